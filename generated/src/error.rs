//! The crate's error type: what went wrong, and whether the message may have been sent.

use std::fmt;

use crate::rules::ValidationError;
use crate::types::ErrorDetail;

/// Everything a call can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request breaks a rule of the spec; it was not sent.
    #[error("request not sent: {0}")]
    Validation(#[from] ValidationError),
    /// The API answered with a non-2xx status.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// No answer within the configured timeout. The message may have been sent.
    #[error("request timed out: {0}")]
    Timeout(#[source] reqwest::Error),
    /// The connection could not be made or broke down before an answer arrived. If it
    /// broke down after the request was written, the message may have been sent.
    #[error("connection failed: {0}")]
    Connection(#[source] reqwest::Error),
    /// A 2xx answer whose body could not be read or is not what the spec promises. The
    /// API accepted the request: the message may well have been sent.
    #[error("HTTP {status}: undecodable response body ({reason}); body starts with {excerpt:?}")]
    Decode {
        /// HTTP status of the response.
        status: u16,
        /// Why decoding failed.
        reason: String,
        /// The start of the body (at most 512 bytes, cut at a character boundary).
        excerpt: String,
    },
    /// The request could not be encoded as JSON; it was not sent.
    #[error("cannot encode the request: {0}")]
    Encode(#[source] serde_json::Error),
    /// The client could not be built: missing API key, bad base URL, TLS set-up failure.
    #[error("invalid client configuration: {0}")]
    Config(String),
}

impl Error {
    /// The HTTP status, when the API answered at all.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// A non-2xx answer from the API.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiError {
    /// HTTP status code.
    pub status: u16,
    /// The `errors` list of the body; empty when the body was not the API's error shape.
    pub errors: Vec<ErrorDetail>,
    /// The `x-request-id` response header, for Telnyx support.
    pub request_id: Option<String>,
    /// The start of the body when it was not the API's error shape (an HTML page from a
    /// proxy, say): at most 512 bytes, cut at a character boundary.
    pub body_excerpt: Option<String>,
}

/// How much of an unexpected body errors keep: enough to recognise it, never a megabyte.
pub(crate) const EXCERPT_BYTES: usize = 512;

/// The first [`EXCERPT_BYTES`] of a body as text, cut at a character boundary.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(EXCERPT_BYTES)]);
    let mut text = text.into_owned();
    if body.len() > EXCERPT_BYTES {
        // A multi-byte character cut in half shows as U+FFFD; drop it.
        while text.ends_with('\u{FFFD}') {
            text.pop();
        }
        text.push('…');
    }
    text
}

impl ApiError {
    /// Decodes an error answer: the `errors` list when the body has the API's error
    /// shape, otherwise a bounded excerpt of the body. The client does this for every
    /// non-2xx answer; it is public for callers that make raw requests.
    pub fn from_body(status: u16, request_id: Option<String>, body: &[u8]) -> Self {
        match serde_json::from_slice::<crate::types::Errors>(body) {
            Ok(decoded) if decoded.errors.as_ref().is_some_and(|e| !e.is_empty()) => ApiError {
                status,
                errors: decoded.errors.unwrap_or_default(),
                request_id,
                body_excerpt: None,
            },
            _ => ApiError {
                status,
                errors: Vec::new(),
                request_id,
                body_excerpt: Some(excerpt(body)),
            },
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the API answered HTTP {}", self.status)?;
        for (i, e) in self.errors.iter().enumerate() {
            f.write_str(if i == 0 { ": " } else { "; " })?;
            write!(f, "{} {}", e.code, e.title)?;
            if let Some(detail) = &e.detail {
                write!(f, " ({detail})")?;
            }
            if let Some(pointer) = e.source.as_ref().and_then(|s| s.pointer.as_deref()) {
                write!(f, " at {pointer}")?;
            }
        }
        if let Some(excerpt) = &self.body_excerpt {
            write!(f, ", body starts with {excerpt:?}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}
