//! A successful answer with its HTTP details, for callers who need more than the data.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub use reqwest::header::HeaderMap;

/// A 2xx answer: the decoded data plus the status, the headers and how many attempts the
/// call took.
///
/// The `*_with_response` methods return it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Response<T> {
    /// HTTP status code (2xx).
    pub status: u16,
    /// The response headers, as received.
    pub headers: HeaderMap,
    /// Attempts the call took, 1 when the first one succeeded.
    pub attempts: u32,
    /// The decoded body.
    pub data: T,
}

impl<T> Response<T> {
    /// The `x-request-id` header, for Telnyx support.
    pub fn request_id(&self) -> Option<&str> {
        self.headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
    }

    /// The rate limit the answer reports (`x-ratelimit-*` headers), if it reports one.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        RateLimit::from_headers(&self.headers, SystemTime::now())
    }

    /// The decoded body, dropping the rest.
    pub fn into_data(self) -> T {
        self.data
    }

    /// The same answer with its data transformed.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            status: self.status,
            headers: self.headers,
            attempts: self.attempts,
            data: f(self.data),
        }
    }
}

/// The rate limit an answer reports in its `x-ratelimit-limit`, `x-ratelimit-remaining` and
/// `x-ratelimit-reset` headers; each part is `None` when its header is missing or not a
/// number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// Requests allowed in the current window.
    pub limit: Option<u64>,
    /// Requests left in it.
    pub remaining: Option<u64>,
    /// How long until the window resets.
    ///
    /// The header holds seconds; a value too large to be a wait (over 10^9) is read as a
    /// Unix time, as some servers send.
    pub reset: Option<Duration>,
}

impl RateLimit {
    /// The rate limit in `headers`, or `None` when none of the three headers is there.
    pub(crate) fn from_headers(headers: &HeaderMap, now: SystemTime) -> Option<Self> {
        let number = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
        };
        let reset = number("x-ratelimit-reset").map(|seconds| {
            if seconds > 1_000_000_000 {
                // A time too far ahead to represent is a wait over any cap.
                UNIX_EPOCH
                    .checked_add(Duration::from_secs(seconds))
                    .map_or(Duration::MAX, |at| {
                        at.duration_since(now).unwrap_or(Duration::ZERO)
                    })
            } else {
                Duration::from_secs(seconds)
            }
        });
        let limit = RateLimit {
            limit: number("x-ratelimit-limit"),
            remaining: number("x-ratelimit-remaining"),
            reset,
        };
        (limit.limit.is_some() || limit.remaining.is_some() || limit.reset.is_some())
            .then_some(limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn rate_limit_headers_are_read_as_seconds_or_a_unix_time() {
        let now = UNIX_EPOCH + Duration::from_secs(1_900_000_000);
        let mut headers = HeaderMap::new();
        assert_eq!(RateLimit::from_headers(&headers, now), None);
        headers.insert("x-ratelimit-limit", HeaderValue::from_static("100"));
        headers.insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
        headers.insert("x-ratelimit-reset", HeaderValue::from_static("7"));
        let limit = RateLimit::from_headers(&headers, now).expect("reported");
        assert_eq!(
            (limit.limit, limit.remaining, limit.reset),
            (Some(100), Some(0), Some(Duration::from_secs(7)))
        );
        headers.insert("x-ratelimit-reset", HeaderValue::from_static("1900000012"));
        let limit = RateLimit::from_headers(&headers, now).expect("reported");
        assert_eq!(limit.reset, Some(Duration::from_secs(12)));
        headers.insert(
            "x-ratelimit-reset",
            HeaderValue::from_static("18446744073709551615"),
        );
        let limit = RateLimit::from_headers(&headers, now).expect("reported");
        assert_eq!(limit.reset, Some(Duration::MAX));
        headers.insert("x-ratelimit-reset", HeaderValue::from_static("soon"));
        assert_eq!(
            RateLimit::from_headers(&headers, now).and_then(|l| l.reset),
            None
        );
    }
}
