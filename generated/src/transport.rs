//! The HTTP transport: the one reqwest client a [`Client`](crate::Client) talks through,
//! reading answers within a size bound, and classifying transport failures.

use std::time::Duration;

use reqwest::header::HeaderMap;

use crate::config::MAX_RESPONSE_BYTES;
use crate::error::{EXCERPT_BYTES, Error, TimeoutLimit};

/// Idle pooled connections are closed after this long.
///
/// Servers and load balancers close
/// idle connections too (often after 60 s); reusing one they are closing fails after the
/// request was written, which makes a send ambiguous, so the client lets go first.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(15);

/// The HTTP stack: rustls, HTTP/1.1 only, pooled connections, no redirects, no retries of
/// its own, no proxy unless one is configured.
pub(crate) fn http_client(
    headers: HeaderMap,
    proxy: Option<reqwest::Proxy>,
    max_idle: usize,
    connect_timeout: Duration,
    attempt_timeout: Duration,
) -> Result<reqwest::Client, Error> {
    let mut builder = reqwest::Client::builder()
        // Pinned here: another crate enabling reqwest features (native TLS, HTTP/2,
        // system proxies) must not change what this client promises.
        .use_rustls_tls()
        .http1_only()
        .retry(reqwest::retry::never())
        // Proxy environment variables could route the key, in clear text for a
        // loopback base URL, through another host: only an explicit proxy is used.
        .no_proxy()
        .default_headers(headers)
        .connect_timeout(connect_timeout)
        // The attempt limit a request gets unless it sets one of its own: most requests
        // use the client's, and setting it per request costs an allocation each time.
        .timeout(attempt_timeout)
        .pool_idle_timeout(POOL_IDLE_TIMEOUT)
        // A connection goes back to the pool a moment after its request has finished, so
        // the next request may open a new one meanwhile; capping the idle ones keeps the
        // open connections bounded.
        .pool_max_idle_per_host(max_idle)
        // The API does not redirect; following one could hand the key to another host.
        .redirect(reqwest::redirect::Policy::none());
    if let Some(proxy) = proxy {
        builder = builder.proxy(proxy);
    }
    builder
        .build()
        .map_err(|e| Error::Config(format!("cannot set up the HTTP client: {e}")))
}

/// Classifies a failure to get an answer.
///
/// Only a failure to connect proves that no byte
/// of the request was written; anything later may have reached the API.
pub(crate) fn transport_error(
    e: reqwest::Error,
    limit: TimeoutLimit,
    limit_length: Duration,
    connect_timeout: Duration,
) -> Error {
    match (e.is_connect(), e.is_timeout()) {
        (true, true) => Error::Timeout {
            limit: TimeoutLimit::Connect,
            after: connect_timeout,
            may_have_been_sent: false,
            source: Some(e),
        },
        (false, true) => Error::Timeout {
            limit,
            after: limit_length,
            may_have_been_sent: true,
            source: Some(e),
        },
        (connect, false) => Error::Connection {
            may_have_been_sent: !connect,
            source: e,
        },
    }
}

/// Why a body was not read to its end.
pub(crate) enum Unread {
    /// It is larger than [`MAX_RESPONSE_BYTES`].
    TooLarge,
    /// The connection failed or timed out mid-body.
    Transport(reqwest::Error),
}

/// Reads the body chunk by chunk and stops at [`MAX_RESPONSE_BYTES`]: a hostile or broken
/// server cannot make the client buffer an unbounded body.
///
/// Returns what was read, and why
/// the rest was not.
pub(crate) async fn read_bounded(
    response: &mut reqwest::Response,
) -> (bytes::Bytes, Result<(), Unread>) {
    // A body announced as too large is refused up front; only enough of it for an
    // error excerpt is read.
    let announced_too_large = response
        .content_length()
        .is_some_and(|n| n > MAX_RESPONSE_BYTES as u64);
    let limit = if announced_too_large {
        EXCERPT_BYTES + 1
    } else {
        MAX_RESPONSE_BYTES
    };
    // A body that arrives in one chunk (the usual answer) is kept as it came, not copied.
    let mut first: Option<bytes::Bytes> = None;
    let mut body: Vec<u8> = Vec::new();
    let done = |body: Vec<u8>, first: Option<bytes::Bytes>, why| {
        (first.unwrap_or_else(|| bytes::Bytes::from(body)), why)
    };
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if let Some(held) = first.take() {
                    body.reserve(held.len() + chunk.len());
                    body.extend_from_slice(&held);
                }
                let room = limit - body.len();
                if chunk.len() > room {
                    body.extend_from_slice(&chunk[..room]);
                    return done(body, None, Err(Unread::TooLarge));
                }
                if body.is_empty() {
                    first = Some(chunk);
                } else {
                    body.extend_from_slice(&chunk);
                }
                let read = first.as_ref().map_or(body.len(), bytes::Bytes::len);
                if announced_too_large && read == limit {
                    return done(body, first, Err(Unread::TooLarge));
                }
            }
            Ok(None) if announced_too_large => return done(body, first, Err(Unread::TooLarge)),
            Ok(None) => return done(body, first, Ok(())),
            Err(e) => return done(body, first, Err(Unread::Transport(e))),
        }
    }
}
