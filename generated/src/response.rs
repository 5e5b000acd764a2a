//! A successful answer with its HTTP details, for callers who need more than the data.

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
