//! Errors: [`Error`], what went wrong, whether trying again could help, and whether the
//! request may have been processed; [`ApiError`], an error answer of the API with its
//! [`ErrorDetail`]s.

use std::fmt;
use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;

pub use crate::error_body::{ErrorBody, ErrorDetail, ErrorSource};
use crate::rules::ValidationError;

/// Everything a call can fail with.
///
/// Two questions decide what a caller may do next, and every variant answers both:
///
/// | variant | [`is_retryable`](Error::is_retryable) | [`may_have_been_sent`](Error::may_have_been_sent) |
/// |---|---|---|
/// | [`Validation`](Error::Validation), [`Encode`](Error::Encode), [`Config`](Error::Config) | no | no: nothing was sent |
/// | [`Api`](Error::Api) 429 | yes | no: the API refused it |
/// | [`Api`](Error::Api) 5xx | yes | yes: the API may have processed it before failing |
/// | [`Api`](Error::Api) other 4xx | no | no: the API refused it |
/// | [`Api`](Error::Api) 1xx or 3xx (a final answer the API does not send) | no | yes: it may have been processed (303 See Other means it was) |
/// | [`Timeout`](Error::Timeout) of the connect limit | yes | no |
/// | [`Timeout`](Error::Timeout) of the attempt or total limit | yes | yes (the client cannot tell how far the attempt got) |
/// | [`Connection`](Error::Connection) before the request was written | yes | no |
/// | [`Connection`](Error::Connection) after the request was written | yes | yes |
/// | [`Decode`](Error::Decode) (a 2xx whose body could not be read) | no | yes: the API accepted it |
///
/// When several attempts were made, [`may_have_been_sent`](Error::may_have_been_sent) is
/// true if it was true of any of them.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request breaks a rule of the spec; it was not sent.
    #[error("request not sent: {0}")]
    Validation(#[from] ValidationError),
    /// The API answered with a non-2xx status.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// A time limit ran out before the answer was complete.
    #[error("{}", timeout_text(*.limit, *.after, *.may_have_been_sent))]
    Timeout {
        /// Which limit ran out.
        limit: TimeoutLimit,
        /// Its length.
        after: Duration,
        /// False only when no attempt got as far as writing the request.
        may_have_been_sent: bool,
        /// The transport's error, when the limit ran out inside the HTTP stack.
        #[source]
        source: Option<reqwest::Error>,
    },
    /// The connection could not be made, or broke down before an answer arrived.
    #[error("{}: {}", connection_text(*.may_have_been_sent), root_cause(.source))]
    Connection {
        /// False when the connection could not be made (refused, DNS, TLS handshake), so
        /// no byte of the request was written, and no earlier attempt may have been sent.
        may_have_been_sent: bool,
        /// The transport's error.
        #[source]
        source: reqwest::Error,
    },
    /// A 2xx answer whose body could not be read (cut short, stalled, too large) or is
    /// not what the spec promises.
    ///
    /// The API accepted the request: the message may well
    /// have been sent, and sending it again would duplicate it.
    ///
    /// The display and debug texts leave out the excerpt: the body of an accepted message
    /// holds its text and phone numbers, which do not belong in logs.
    #[error(
        "HTTP {status}: the request was accepted but the answer is unreadable ({reason}){}",
        request_id_text(.request_id.as_deref())
    )]
    Decode {
        /// HTTP status of the response.
        status: u16,
        /// Why decoding failed.
        reason: String,
        /// The start of the body: at most 512 bytes, cut at a character boundary, with
        /// `…` when cut.
        excerpt: String,
        /// The `x-request-id` response header.
        request_id: Option<String>,
    },
    /// The request could not be encoded as JSON; it was not sent.
    #[error("request not sent: cannot encode it: {0}")]
    Encode(#[source] serde_json::Error),
    /// The client could not be built or set up: missing API key, bad base URL, TLS set-up
    /// failure.
    ///
    /// Nothing was sent.
    #[error("invalid client configuration: {0}")]
    Config(String),
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Validation(e) => f.debug_tuple("Validation").field(e).finish(),
            Error::Api(e) => f.debug_tuple("Api").field(e).finish(),
            Error::Timeout {
                limit,
                after,
                may_have_been_sent,
                source,
            } => f
                .debug_struct("Timeout")
                .field("limit", limit)
                .field("after", after)
                .field("may_have_been_sent", may_have_been_sent)
                .field("source", source)
                .finish(),
            Error::Connection {
                may_have_been_sent,
                source,
            } => f
                .debug_struct("Connection")
                .field("may_have_been_sent", may_have_been_sent)
                .field("source", source)
                .finish(),
            // Written out by hand for this variant: the excerpt of an accepted message's
            // body is its text and phone numbers, and debug output ends up in logs too.
            Error::Decode {
                status,
                reason,
                excerpt,
                request_id,
            } => f
                .debug_struct("Decode")
                .field("status", status)
                .field("reason", reason)
                .field(
                    "excerpt",
                    &format_args!("<{} bytes, in the field>", excerpt.len()),
                )
                .field("request_id", request_id)
                .finish(),
            Error::Encode(e) => f.debug_tuple("Encode").field(e).finish(),
            Error::Config(e) => f.debug_tuple("Config").field(e).finish(),
        }
    }
}

/// The time limits of a request; see [`ClientBuilder`](crate::ClientBuilder) for their
/// defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutLimit {
    /// Establishing a connection (TCP and TLS); nothing was written yet.
    ///
    /// The client
    /// keeps it under 90% of the attempt limit, so that a connection that does not come
    /// up is reported as such.
    Connect,
    /// One attempt: from sending the request to the last byte of the answer.
    Attempt,
    /// The whole call: every attempt and the waits between them.
    Total,
}

impl fmt::Display for TimeoutLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutLimit::Connect => "connect",
            TimeoutLimit::Attempt => "per-attempt",
            TimeoutLimit::Total => "total",
        })
    }
}

fn timeout_text(limit: TimeoutLimit, after: Duration, may_have_been_sent: bool) -> String {
    format!(
        "timed out: the {limit} limit of {after:?} ran out; {}",
        if may_have_been_sent {
            "the request may have been processed"
        } else {
            "the request was not sent"
        }
    )
}

fn connection_text(may_have_been_sent: bool) -> &'static str {
    if may_have_been_sent {
        "the connection failed after the request was written; the request may have been processed"
    } else {
        "could not connect; the request was not sent"
    }
}

/// The innermost error of a chain: for a transport failure, the part that says what
/// happened ("Connection refused") rather than where.
pub(crate) fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut current = error;
    while let Some(next) = current.source() {
        current = next;
    }
    one_line(&current.to_string())
}

/// `text` with control characters (line breaks above all) shown as spaces: error texts
/// are one line, whatever a server or the transport put in them.
fn one_line(text: &str) -> String {
    bounded(text, usize::MAX)
}

/// Most characters of one server-sent text (a `detail`, a request id) that an error's
/// `Display` shows: the line stays readable whatever the server sends.
const SHOWN_CHARS: usize = 200;

/// `text` on one line (control characters and Unicode line and paragraph separators
/// become spaces), cut after `max` characters with `…`.
fn bounded(text: &str, max: usize) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == max {
            out.push('…');
            break;
        }
        out.push(if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
            ' '
        } else {
            c
        });
    }
    out
}

fn request_id_text(request_id: Option<&str>) -> String {
    request_id.map_or_else(String::new, |id| {
        format!(" [request id {}]", bounded(id, SHOWN_CHARS))
    })
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

    /// The `x-request-id` of the answer, for Telnyx support.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(api) => api.request_id.as_deref(),
            Error::Decode { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// Whether the failure is transient, so that the same request may succeed if sent
    /// again: 429 and 5xx answers, timeouts and connection failures.
    ///
    /// Whether sending it
    /// again is *safe* is [`may_have_been_sent`](Error::may_have_been_sent)'s question.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(api) => api.status == 429 || (500..600).contains(&api.status),
            Error::Timeout { .. } | Error::Connection { .. } => true,
            Error::Validation(_) | Error::Decode { .. } | Error::Encode(_) | Error::Config(_) => {
                false
            }
        }
    }

    /// Whether the message could have gone out.
    ///
    /// False means provably not: the request
    /// was refused before it was processed, or never left this process. When true,
    /// sending the request again can deliver the message twice.
    pub fn may_have_been_sent(&self) -> bool {
        match self {
            // Only a 4xx says the API refused the request. A 1xx or 3xx final answer (303
            // See Other: processed, look there) is no proof either way.
            Error::Api(api) => api.sent_earlier || !(400..500).contains(&api.status),
            Error::Timeout {
                may_have_been_sent, ..
            }
            | Error::Connection {
                may_have_been_sent, ..
            } => *may_have_been_sent,
            Error::Decode { .. } => true,
            Error::Validation(_) | Error::Encode(_) | Error::Config(_) => false,
        }
    }

    /// How long the API asked the caller to wait before trying again.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api(api) => api.retry_after,
            _ => None,
        }
    }

    /// Records that an earlier attempt of the same call may have been sent, so that the
    /// error of the last attempt does not claim otherwise.
    pub(crate) fn after_maybe_sent_attempt(mut self) -> Self {
        match &mut self {
            Error::Api(api) => api.sent_earlier = true,
            Error::Timeout {
                may_have_been_sent, ..
            }
            | Error::Connection {
                may_have_been_sent, ..
            } => *may_have_been_sent = true,
            _ => {}
        }
        self
    }
}

/// What kind of refusal an [`ApiError`] is, from its status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApiErrorKind {
    /// 400: the request is malformed.
    BadRequest,
    /// 401: the API key is missing, wrong or revoked.
    Unauthorized,
    /// 403: the key may not do this (a sender not enabled for the account, say).
    Forbidden,
    /// 404: a referenced resource does not exist.
    NotFound,
    /// 409: the request conflicts with the state of a resource.
    Conflict,
    /// 422: the request is well-formed but breaks a rule of the API.
    Unprocessable,
    /// 429: too many requests; see [`ApiError::retry_after`].
    RateLimited,
    /// 5xx: the API or a proxy in front of it failed.
    ServerError,
    /// 3xx: a redirect, which the client does not follow (it could hand the key to
    /// another host); the request may have been processed.
    Redirection,
    /// Any other non-2xx status.
    Other,
}

impl ApiErrorKind {
    /// The kind of `status`.
    pub fn of(status: u16) -> Self {
        match status {
            400 => Self::BadRequest,
            401 => Self::Unauthorized,
            403 => Self::Forbidden,
            404 => Self::NotFound,
            409 => Self::Conflict,
            422 => Self::Unprocessable,
            429 => Self::RateLimited,
            500..=599 => Self::ServerError,
            300..=399 => Self::Redirection,
            _ => Self::Other,
        }
    }

    fn text(self) -> &'static str {
        match self {
            Self::BadRequest => "bad request",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not found",
            Self::Conflict => "conflict",
            Self::Unprocessable => "unprocessable",
            Self::RateLimited => "rate limited",
            Self::ServerError => "server error",
            Self::Redirection => "redirect, not followed",
            Self::Other => "unexpected status",
        }
    }
}

/// A non-2xx answer from the API.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiError {
    /// HTTP status code.
    pub status: u16,
    /// The `errors` list of the body; empty when the body was not the API's error shape.
    pub errors: Vec<ErrorDetail>,
    /// The `x-request-id` response header, for Telnyx support.
    pub request_id: Option<String>,
    /// The wait the answer asked for, from `retry-after-ms` or `Retry-After` (seconds or
    /// an HTTP date).
    pub retry_after: Option<Duration>,
    /// The start of the body when it was not the API's error shape (an HTML page from a
    /// proxy, say): at most 512 bytes, cut at a character boundary, with `…` when cut.
    pub body_excerpt: Option<String>,
    /// The rate limit the answer reported (`x-ratelimit-*` headers).
    pub rate_limit: Option<crate::response::RateLimit>,
    /// The whole body as received (at most [`MAX_RESPONSE_BYTES`](crate::MAX_RESPONSE_BYTES)),
    /// for [`ApiError::decode_body`].
    body: RawBody,
    /// Whether an earlier attempt of the same call may have been sent.
    sent_earlier: bool,
}

/// An error answer's body.
///
/// Its `Debug` shows only the length: a body can quote the
/// request, phone numbers and message text included.
#[derive(Clone, PartialEq)]
struct RawBody(Vec<u8>);

impl fmt::Debug for RawBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes>", self.0.len())
    }
}

/// How much of an unexpected body errors keep: enough to recognise it, never a megabyte.
pub(crate) const EXCERPT_BYTES: usize = 512;

/// The start of a body as text: at most [`EXCERPT_BYTES`] bytes of UTF-8 (invalid bytes
/// shown as U+FFFD), cut at a character boundary, with `…` when something was left out.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let head = &body[..body.len().min(EXCERPT_BYTES)];
    let mut cut = body.len() > head.len();
    // A character the cut split in half is dropped, not shown as U+FFFD.
    let head = if cut {
        &head[..head.len() - split_character(head)]
    } else {
        head
    };
    let mut text = String::from_utf8_lossy(head).into_owned();
    // Each invalid byte became a three-byte U+FFFD: the text can be longer than its bytes.
    if text.len() > EXCERPT_BYTES {
        let mut end = EXCERPT_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        cut = true;
    }
    if cut {
        text.push('…');
    }
    text
}

/// How many bytes at the end of `bytes` are the start of a character that continues
/// beyond them (0 when the last character is complete or invalid anyway).
fn split_character(bytes: &[u8]) -> usize {
    for back in 1..=bytes.len().min(3) {
        let byte = bytes[bytes.len() - back];
        if byte & 0xC0 == 0x80 {
            continue; // a continuation byte: look further back for the lead byte
        }
        let needed = match byte {
            0xF0.. => 4,
            0xE0.. => 3,
            0xC0.. => 2,
            _ => 1,
        };
        return if needed > back { back } else { 0 };
    }
    0
}

/// The `x-request-id` header of an answer.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

impl ApiError {
    /// Decodes an error answer: the `errors` list when the body has the API's error
    /// shape, otherwise a bounded excerpt of the body; the request id and the wait asked
    /// for from the headers.
    ///
    /// The client does this for every non-2xx answer; it is public
    /// for callers that make raw requests.
    pub fn from_response(status: u16, headers: &HeaderMap, body: &[u8]) -> Self {
        let (errors, body_excerpt) = match crate::error_body::decode(body) {
            Some(errors) => (errors, None),
            None => (Vec::new(), Some(excerpt(body))),
        };
        let now = SystemTime::now();
        let rate_limit = crate::response::RateLimit::from_headers(headers, now);
        // A 429 that says nothing of `Retry-After` still says when its window resets.
        let retry_after = crate::retry::retry_after(headers, now).or_else(|| {
            (status == 429)
                .then(|| rate_limit.and_then(|limit| limit.reset))
                .flatten()
        });
        ApiError {
            status,
            errors,
            request_id: request_id(headers),
            retry_after,
            body_excerpt,
            rate_limit,
            body: RawBody(body.to_vec()),
            sent_earlier: false,
        }
    }

    /// Decodes the body as `T`: for an operation whose spec gives an error status a
    /// schema of its own (the operation's documentation names it), or a body that is not
    /// the API's usual error shape.
    ///
    /// # Errors
    ///
    /// When the body is not JSON of that shape.
    pub fn decode_body<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body.0)
    }

    /// Cuts every echo of the API key out of what the server sent: the decoded errors,
    /// the excerpt, the request id and the kept body (see `redaction`).
    pub(crate) fn redact(&mut self, key: &str) {
        let clean = |text: &mut String| {
            if let std::borrow::Cow::Owned(c) = crate::redaction::text(text, key) {
                *text = c;
            }
        };
        for e in &mut self.errors {
            clean(&mut e.code);
            clean(&mut e.title);
            if let Some(detail) = &mut e.detail {
                clean(detail);
            }
            if let Some(source) = &mut e.source {
                for text in [&mut source.pointer, &mut source.parameter]
                    .into_iter()
                    .flatten()
                {
                    clean(text);
                }
            }
            if let Some(meta) = &mut e.meta {
                let mut value = serde_json::Value::Object(std::mem::take(meta));
                crate::redaction::json(&mut value, key);
                if let serde_json::Value::Object(clean) = value {
                    *meta = clean;
                }
            }
        }
        if let Some(id) = &mut self.request_id {
            clean(id);
        }
        // Only a body that echoes the key is rewritten: any other stays as received.
        if let std::borrow::Cow::Owned(cleaned) = crate::redaction::bytes(&self.body.0, key) {
            // The excerpt is cut from the cleaned body, so that no piece of the key
            // survives at the cut.
            if self.body_excerpt.is_some() {
                self.body_excerpt = Some(excerpt(&cleaned));
            }
            self.body.0 = match serde_json::from_slice::<serde_json::Value>(&self.body.0) {
                Ok(mut value) => {
                    crate::redaction::json(&mut value, key);
                    serde_json::to_vec(&value).unwrap_or(cleaned)
                }
                Err(_) => cleaned,
            };
        }
    }

    /// What kind of refusal this is.
    pub fn kind(&self) -> ApiErrorKind {
        ApiErrorKind::of(self.status)
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // As derived, but the excerpt only by its size: it may quote the request.
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("errors", &self.errors)
            .field("request_id", &self.request_id)
            .field("retry_after", &self.retry_after)
            .field(
                "body_excerpt",
                &self
                    .body_excerpt
                    .as_ref()
                    .map(|e| format!("<{} characters>", e.chars().count())),
            )
            .field("rate_limit", &self.rate_limit)
            .field("body", &self.body)
            .field("sent_earlier", &self.sent_earlier)
            .finish()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the API answered HTTP {} ({})",
            self.status,
            self.kind().text()
        )?;
        // At most a few errors, each piece bounded: one line of bounded length.
        const SHOWN_ERRORS: usize = 3;
        for (i, e) in self.errors.iter().take(SHOWN_ERRORS).enumerate() {
            f.write_str(if i == 0 { ": " } else { "; " })?;
            write!(
                f,
                "{} {}",
                bounded(&e.code, SHOWN_CHARS),
                bounded(&e.title, SHOWN_CHARS)
            )?;
            if let Some(detail) = &e.detail {
                write!(f, " ({})", bounded(detail, SHOWN_CHARS))?;
            }
            if let Some(pointer) = e.source.as_ref().and_then(|s| s.pointer.as_deref()) {
                write!(f, " at {}", bounded(pointer, SHOWN_CHARS))?;
            }
        }
        if self.errors.len() > SHOWN_ERRORS {
            write!(f, "; and {} more", self.errors.len() - SHOWN_ERRORS)?;
        }
        // The excerpt itself stays out of the text (and so out of logs): a body that is
        // not the API's error shape may echo the request, phone numbers and all.
        if let Some(excerpt) = &self.body_excerpt {
            write!(
                f,
                ", a body not in the API's error shape ({} characters; see `body_excerpt`)",
                excerpt.chars().count()
            )?;
        }
        if let Some(wait) = self.retry_after {
            write!(f, "; retry after {wait:?}")?;
        }
        f.write_str(&request_id_text(self.request_id.as_deref()))
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn api_error(status: u16, body: &[u8], request_id: &str) -> Error {
        let mut headers = HeaderMap::new();
        if let Ok(value) = reqwest::header::HeaderValue::from_str(request_id) {
            headers.insert("x-request-id", value);
        }
        Error::Api(Box::new(ApiError::from_response(status, &headers, body)))
    }

    #[test]
    fn only_a_4xx_proves_the_request_was_not_processed() {
        for (status, retryable, maybe_sent) in [
            (303, false, true),
            (301, false, true),
            (102, false, true),
            (400, false, false),
            (422, false, false),
            (429, true, false),
            (500, true, true),
        ] {
            let error = api_error(status, b"", "id");
            assert_eq!(error.is_retryable(), retryable, "{status}");
            assert_eq!(error.may_have_been_sent(), maybe_sent, "{status}");
        }
        assert_eq!(ApiErrorKind::of(303), ApiErrorKind::Redirection);
    }

    #[test]
    fn error_texts_stay_one_bounded_line() {
        let detail = format!("a\u{2028}b\u{2029}c\n{}", "x".repeat(1 << 20));
        let body = serde_json::json!({"errors": [
            {"code": "1", "title": "t\u{2028}t", "detail": detail},
            {"code": "2", "title": "t"}, {"code": "3", "title": "t"}, {"code": "4", "title": "t"}
        ]});
        let request_id = "r".repeat(300_000);
        let text = api_error(422, body.to_string().as_bytes(), &request_id).to_string();
        assert!(
            !text.contains(['\n', '\r', '\u{2028}', '\u{2029}']),
            "{text:?}"
        );
        assert!(text.len() < 2_000, "{} bytes", text.len());
        assert!(text.contains("and 1 more"), "{text}");
    }

    #[test]
    fn excerpts_stay_within_their_bound() {
        let limit = EXCERPT_BYTES + '…'.len_utf8();
        assert_eq!(excerpt(b"short"), "short");
        assert_eq!(excerpt(&[b'x'; 600]), format!("{}…", "x".repeat(512)));
        // Invalid bytes widen to U+FFFD: still at most the limit.
        let invalid = excerpt(&[0xFF; 172]);
        assert!(invalid.len() <= limit, "{}", invalid.len());
        assert!(invalid.starts_with('\u{FFFD}') && invalid.ends_with('…'));
        assert!(excerpt(&[0xFF; 4000]).len() <= limit);
        // A long body of invalid bytes still shows them, not just the ellipsis.
        assert!(excerpt(&[0xFF; 4000]).starts_with('\u{FFFD}'));
        // A character split by the cut is dropped whole.
        let mut body = vec![b'a'; 511];
        body.extend_from_slice("é and more".as_bytes());
        assert_eq!(excerpt(&body), format!("{}…", "a".repeat(511)));
        let mut body = vec![b'a'; 510];
        body.extend_from_slice("€ and more".as_bytes());
        assert_eq!(excerpt(&body), format!("{}…", "a".repeat(510)));
        // A character that ends exactly at the cut is kept.
        let mut body = vec![b'a'; 510];
        body.extend_from_slice("é and more".as_bytes());
        assert_eq!(excerpt(&body), format!("{}é…", "a".repeat(510)));
    }
}
