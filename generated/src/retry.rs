//! When a failed request is sent again, and how long the client waits first.
//!
//! A message send is not idempotent: the API has no idempotency key, so sending a request
//! that the API may already have processed can deliver (and bill) the same message twice.
//! The default policy therefore retries only failures that prove the request was not
//! processed; see [`RetryPolicy`].

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;

use crate::error::Error;

/// Which failed requests the client sends again, how often, and how long it waits.
///
/// | policy | retried |
/// |---|---|
/// | [`RetryPolicy::safe`] (the default) | the connection could not be made (refused, DNS, TLS handshake, connect timeout: no byte of the request was written), or the API answered 429 |
/// | [`RetryPolicy::may_duplicate`] | also 5xx answers, timeouts, and connections that broke after the request was written: each can deliver the message twice |
/// | [`RetryPolicy::none`] | nothing |
///
/// In [`Error`] terms: the safe policy retries an error when [`Error::is_retryable`] and
/// not [`Error::may_have_been_sent`]; the opt-in policy when [`Error::is_retryable`].
///
/// Waits use exponential backoff with full jitter: before retry `n` the client waits a
/// random time between zero and `min(max_backoff, initial_backoff * 2^(n-1))`. When the
/// answer carries `retry-after-ms` or `Retry-After` (seconds or an HTTP date), the client
/// waits that long instead, plus a random part of `initial_backoff` so that calls told the
/// same wait spread out; if the wait asked for is longer than `max_retry_after`, or would
/// end after the request's total timeout, it gives up at once and returns the error,
/// whose [`ApiError::retry_after`](crate::error::ApiError::retry_after) tells when to try again.
///
/// Defaults: 3 attempts in all, initial backoff 250 ms, backoff cap 5 s, Retry-After cap
/// 30 s.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 means no retry.
    pub max_attempts: u32,
    /// The backoff ceiling before the first retry; it doubles for each later one.
    pub initial_backoff: Duration,
    /// The largest backoff ceiling.
    pub max_backoff: Duration,
    /// The longest `Retry-After` the client waits for; a longer one ends the retries.
    pub max_retry_after: Duration,
    /// Whether failures after which a send may have been processed are retried too.
    pub retry_maybe_sent: bool,
}

/// Default attempts in all, for [`RetryPolicy::safe`].
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;
/// Default first backoff ceiling.
pub const DEFAULT_INITIAL_BACKOFF: Duration = Duration::from_millis(250);
/// Default largest backoff ceiling.
pub const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(5);
/// Default cap on a `Retry-After` the client waits for.
pub const DEFAULT_MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::safe()
    }
}

impl RetryPolicy {
    /// The default: retries only failures that prove the request was not processed
    /// (the connection could not be made, or a 429 answer).
    pub fn safe() -> Self {
        RetryPolicy {
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            initial_backoff: DEFAULT_INITIAL_BACKOFF,
            max_backoff: DEFAULT_MAX_BACKOFF,
            max_retry_after: DEFAULT_MAX_RETRY_AFTER,
            retry_maybe_sent: false,
        }
    }

    /// Opt-in: also retries 5xx answers, timeouts and connections that broke after the
    /// request was written.
    ///
    /// The same message can then be delivered and billed twice;
    /// choose it only where a duplicate is better than a lost message.
    pub fn may_duplicate() -> Self {
        RetryPolicy {
            retry_maybe_sent: true,
            ..Self::safe()
        }
    }

    /// Never retries: every request is sent once.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..Self::safe()
        }
    }

    /// Sets the attempts in all, the first included (at least 1).
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the first backoff ceiling and the largest one.
    #[must_use]
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Sets the longest `Retry-After` the client waits for.
    #[must_use]
    pub fn max_retry_after(mut self, cap: Duration) -> Self {
        self.max_retry_after = cap;
        self
    }

    /// Whether this policy sends a request again after `error` (attempt limits aside).
    ///
    /// `repeatable` says whether the operation can be repeated without harm: a lookup
    /// (GET) or a cancel (DELETE), per the spec. Such a request is retried after any
    /// transient failure (5xx, timeouts, broken connections); a send, which has no
    /// idempotency key, only after failures that prove it was not processed, unless the
    /// policy is [`RetryPolicy::may_duplicate`].
    pub fn retries(&self, error: &Error, repeatable: bool) -> bool {
        error.is_retryable() && (repeatable || self.retry_maybe_sent || !error.may_have_been_sent())
    }

    /// How long to wait before attempt `failed + 1`, after `failed` attempts ended with
    /// `error`; `None` means do not retry.
    pub(crate) fn delay(
        &self,
        failed: u32,
        error: &Error,
        repeatable: bool,
        jitter: &mut Jitter,
    ) -> Option<Duration> {
        if failed >= self.max_attempts || !self.retries(error, repeatable) {
            return None;
        }
        if let Some(wait) = error.retry_after() {
            // At least the wait asked for, plus a little jitter, so that many calls told
            // the same wait do not all come back at the same instant.
            return (wait <= self.max_retry_after)
                .then(|| wait.saturating_add(jitter.below(self.initial_backoff)));
        }
        let doublings = failed.saturating_sub(1).min(31);
        let ceiling = self
            .initial_backoff
            .saturating_mul(1 << doublings)
            .min(self.max_backoff);
        Some(jitter.below(ceiling))
    }
}

/// A small random source for backoff jitter, seeded from the standard library's
/// per-process random keys: jitter needs spread, not cryptographic strength.
///
/// Seeded on first use: most calls never retry, and seeding costs a hash.
pub(crate) struct Jitter(u64);

impl Jitter {
    pub(crate) fn new() -> Self {
        Jitter(0)
    }

    /// A uniformly random duration in `[0, max]`.
    pub(crate) fn below(&mut self, max: Duration) -> Duration {
        if self.0 == 0 {
            self.0 = RandomState::new().build_hasher().finish() | 1;
        }
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let random = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D);
        let nanos = (max.as_nanos().min(u128::from(u64::MAX)) * u128::from(random)) >> 64;
        Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
    }
}

/// The wait an answer asks for: `retry-after-ms` (milliseconds, not standard but precise)
/// first, then `Retry-After` as delay-seconds or an HTTP date.
///
/// A date in the past means no
/// wait. Unparseable values are ignored.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(ms) = text("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        if ms.is_finite() && ms >= 0.0 {
            return Some(Duration::from_secs_f64((ms / 1000.0).min(1e9)));
        }
    }
    let value = text("retry-after")?;
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Too many seconds for a u64 is still a wait, a very long one: over any cap.
        return Some(
            value
                .parse::<u64>()
                .map_or(Duration::MAX, Duration::from_secs),
        );
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;
    use std::time::UNIX_EPOCH;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn retry_after_dates_in_all_three_formats_and_huge_waits() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_777 - 5);
        let wait = |value: &str| retry_after(&headers(&[("retry-after", value)]), now);
        for text in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(wait(text), Some(Duration::from_secs(5)), "{text}");
        }
        for bad in ["06 Nov 1994", "Sun, 06 Foo 1994 08:49:37 GMT", "-1", "1.5"] {
            assert_eq!(wait(bad), None, "{bad:?}");
        }
        // More seconds than a u64 holds: a wait over any cap, not no wait at all.
        assert_eq!(wait("99999999999999999999999"), Some(Duration::MAX));
    }

    #[test]
    fn retry_after_headers() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_777);
        let wait = |pairs: &[(&'static str, &str)]| retry_after(&headers(pairs), now);
        assert_eq!(wait(&[("retry-after", "7")]), Some(Duration::from_secs(7)));
        assert_eq!(wait(&[("retry-after", " 0 ")]), Some(Duration::ZERO));
        assert_eq!(
            wait(&[("retry-after", "Sun, 06 Nov 1994 08:50:07 GMT")]),
            Some(Duration::from_secs(30))
        );
        // A date already past asks for no wait.
        assert_eq!(
            wait(&[("retry-after", "Sun, 06 Nov 1994 08:00:00 GMT")]),
            Some(Duration::ZERO)
        );
        // The precise header wins over the standard one.
        assert_eq!(
            wait(&[("retry-after", "7"), ("retry-after-ms", "1500")]),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            wait(&[("retry-after-ms", "2.5")]),
            Some(Duration::from_micros(2500))
        );
        // Garbage is ignored, falling back to the other header.
        assert_eq!(
            wait(&[("retry-after-ms", "soon"), ("retry-after", "3")]),
            Some(Duration::from_secs(3))
        );
        assert_eq!(wait(&[("retry-after-ms", "-5")]), None);
        assert_eq!(wait(&[("retry-after", "-5")]), None);
        assert_eq!(wait(&[("retry-after", "tomorrow")]), None);
        assert_eq!(wait(&[]), None);
    }

    #[test]
    fn full_jitter_stays_under_the_exponential_ceiling() {
        let policy = RetryPolicy::may_duplicate()
            .max_attempts(10)
            .backoff(Duration::from_millis(100), Duration::from_millis(1000));
        let error = Error::Timeout {
            limit: crate::error::TimeoutLimit::Attempt,
            after: Duration::from_secs(1),
            may_have_been_sent: true,
            source: None,
        };
        let mut jitter = Jitter::new();
        for failed in 1..10 {
            let ceiling = Duration::from_millis((100 << (failed - 1)).min(1000));
            let delays: Vec<Duration> = (0..200)
                .map(|_| policy.delay(failed, &error, false, &mut jitter).unwrap())
                .collect();
            assert!(delays.iter().all(|d| *d <= ceiling), "attempt {failed}");
            // Full jitter spreads over the whole range, not just near the ceiling.
            assert!(delays.iter().any(|d| *d < ceiling / 4), "attempt {failed}");
            assert!(
                delays.iter().any(|d| *d > ceiling * 3 / 4),
                "attempt {failed}"
            );
        }
        assert_eq!(policy.delay(10, &error, false, &mut jitter), None);
        assert_eq!(
            RetryPolicy::safe().delay(1, &error, false, &mut jitter),
            None
        );
        assert_eq!(
            RetryPolicy::none().delay(1, &error, false, &mut jitter),
            None
        );
    }

    #[test]
    fn a_retry_after_is_waited_for_plus_a_little_jitter_up_to_the_cap() {
        let answer = |wait: &str| {
            Error::Api(Box::new(crate::error::ApiError::from_response(
                429,
                &headers(&[("retry-after", wait)]),
                b"",
            )))
        };
        let policy = RetryPolicy::safe()
            .backoff(Duration::from_millis(100), Duration::from_secs(1))
            .max_retry_after(Duration::from_secs(10));
        let mut jitter = Jitter::new();
        let delays: Vec<Duration> = (0..200)
            .map(|_| policy.delay(1, &answer("2"), false, &mut jitter).unwrap())
            .collect();
        let (wait, most) = (Duration::from_secs(2), Duration::from_millis(2100));
        assert!(
            delays.iter().all(|d| (wait..=most).contains(d)),
            "{delays:?}"
        );
        // Calls told the same wait spread out.
        assert!(delays.iter().any(|d| *d != delays[0]));
        // Over the cap: no retry, the caller gets the wait.
        assert_eq!(policy.delay(1, &answer("11"), false, &mut jitter), None);
    }
}
