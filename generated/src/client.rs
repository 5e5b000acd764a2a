//! The request path: [`Client`], and the one way every generated operation method sends
//! a request (`Client::execute`): validation already done, then attempts under the
//! concurrency limit and the time limits, retried as the [`RetryPolicy`](crate::RetryPolicy)
//! allows.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, USER_AGENT};
use serde::Serialize;
use std::fmt;
use tokio::sync::{Semaphore, SemaphorePermit, TryAcquireError};
use tracing::Instrument;

use crate::call::{Call, Decode, Operation};
use crate::config::{
    API_KEY_ENV, BASE_URL_ENV, CallSettings, ClientBuilder, MAX_RESPONSE_BYTES, RequestOptions,
};
use crate::error::{ApiError, Error, TimeoutLimit, excerpt};
use crate::redaction;
use crate::response::Response;
use crate::retry::Jitter;
use crate::transport::{Unread, read_bounded, transport_error};

/// A Telnyx Messaging API client.
///
/// Cheap to clone: clones share the connection pool and
/// the concurrency limit.
///
/// Every call validates the request, then sends it, retrying as its [`RetryPolicy`](crate::RetryPolicy)
/// allows, within the connect, per-attempt and total time limits. Each attempt, once it
/// holds a slot under the concurrency limit, runs in a `tracing` span named
/// `telnyx_messaging.request` with the fields `operation`, `method`, `path`, `attempt`,
/// `status` and `request_id`; retries are logged as events in it. The API key is never
/// logged.
#[derive(Clone)]
pub struct Client {
    shared: Arc<Shared>,
    settings: CallSettings,
}

/// What all clones of a client share.
pub(crate) struct Shared {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    /// The URLs of the operations whose path has no parameters, parsed once.
    pub(crate) fixed_urls: Vec<(&'static str, reqwest::Url)>,
    /// The headers every request carries.
    pub(crate) headers: RequestHeaders,
    /// The key itself, only to cut it out of anything a server echoes back.
    pub(crate) key: Box<str>,
    /// The quick test of whether a response header may echo the key.
    pub(crate) echo_filter: crate::redaction::EchoFilter,
    pub(crate) limiter: Semaphore,
    pub(crate) max_concurrent_requests: usize,
    /// The pool's connect limit, as [`CallSettings::effective_connect_timeout`] set it.
    pub(crate) connect_timeout: Duration,
    /// The attempt limit the reqwest client applies to a request that sets none.
    pub(crate) attempt_timeout: Duration,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print the key: Debug output ends up in logs.
        f.debug_struct("Client")
            .field("base_url", &self.shared.base_url)
            .field("api_key", &"<redacted>")
            .field("retry_policy", &self.settings.retry_policy)
            .field("connect_timeout", &self.shared.connect_timeout)
            .field("attempt_timeout", &self.settings.attempt_timeout)
            .field("total_timeout", &self.settings.total_timeout)
            .field(
                "max_concurrent_requests",
                &self.shared.max_concurrent_requests,
            )
            .finish()
    }
}

impl Client {
    /// A client from its parts ([`ClientBuilder::build`]).
    pub(crate) fn assemble(shared: Shared, settings: CallSettings) -> Self {
        Client {
            shared: Arc::new(shared),
            settings,
        }
    }

    /// A client for `api_key` with the default settings.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the key is empty or not a valid header value.
    pub fn new(api_key: impl Into<String>) -> Result<Self, Error> {
        Self::builder(api_key).build()
    }

    /// A client configured from the environment: the key from `TELNYX_API_KEY`, and the
    /// base URL from `TELNYX_BASE_URL` when it is set.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when `TELNYX_API_KEY` is missing or empty, or when a setting is
    /// invalid.
    pub fn from_env() -> Result<Self, Error> {
        let key = std::env::var(API_KEY_ENV)
            .map_err(|_| Error::Config(format!("{API_KEY_ENV} is not set")))?;
        let mut builder = Self::builder(key);
        if let Ok(base_url) = std::env::var(BASE_URL_ENV) {
            if !base_url.trim().is_empty() {
                builder = builder.base_url(base_url);
            }
        }
        builder.build()
    }

    /// Starts configuring a client for `api_key`.
    pub fn builder(api_key: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(api_key.into())
    }

    /// The base URL requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// This client with `options` overriding its settings, for one call or a few:
    /// `client.with_options(options).send_message(&request)`.
    ///
    /// Cheap: the result shares
    /// the concurrency limit and the connection pool.
    pub fn with_options(&self, options: RequestOptions) -> Client {
        let mut settings = self.settings.clone();
        if let Some(policy) = options.retry_policy {
            settings.retry_policy = policy;
        }
        if let Some(timeout) = options.attempt_timeout {
            settings.attempt_timeout = timeout;
        }
        if let Some(timeout) = options.total_timeout {
            settings.total_timeout = timeout;
        }
        if let Some(parts) = options.max_parts {
            settings.max_parts = Some(parts);
        }
        Client {
            shared: Arc::clone(&self.shared),
            settings,
        }
    }

    /// The cost guard ([`ClientBuilder::max_parts`]): refuses an SMS whose text, in the
    /// request field `field`, takes more parts than the limit; called by the generated
    /// methods of requests that carry SMS text.
    #[allow(dead_code)] // for specs with SMS text
    pub(crate) fn check_parts<'t>(
        &self,
        field: &'static str,
        estimate: impl FnOnce() -> Option<crate::segments::Estimate<'t>>,
    ) -> Result<(), Error> {
        // The text is read only when a limit is set.
        let Some(max) = self.settings.max_parts else {
            return Ok(());
        };
        let Some(estimate) = estimate() else {
            return Ok(());
        };
        if estimate.parts <= max {
            return Ok(());
        }
        let mut blamed = [None; 3];
        if estimate.encoding == crate::segments::Encoding::Ucs2 {
            for (slot, blame) in blamed.iter_mut().zip(estimate.non_gsm_characters()) {
                *slot = Some(blame);
            }
        }
        Err(Error::Validation(crate::rules::ValidationError {
            field: field.to_owned(),
            rule: crate::rules::Rule::MaxParts {
                max,
                parts: estimate.parts,
                encoding: estimate.encoding,
                blamed,
            },
        }))
    }

    /// Sends a request, retrying as the policy allows, and decodes the answer: a 2xx
    /// body with `decode`, anything else as an [`ApiError`].
    pub(crate) async fn execute<B: Serialize + ?Sized, R>(
        &self,
        operation: &Operation,
        call: Call<'_, B>,
        decode: Decode<R>,
    ) -> Result<Response<R>, Error> {
        self.settings.check()?;
        // The first attempt takes the encoded body as it is; a retry (rare) encodes the
        // same value again, which gives the same bytes, rather than every call paying to
        // share them.
        let encode = || {
            call.body
                .map(serde_json::to_vec)
                .transpose()
                .map_err(Error::Encode)
        };
        let mut first_body = Some(encode()?);
        // Only a call with no path parameter and no query can use a URL parsed in advance.
        let fixed = (call.path_params.is_empty() && call.query.is_empty())
            .then(|| {
                self.shared
                    .fixed_urls
                    .iter()
                    .find(|(path, _)| *path == operation.path)
            })
            .flatten();
        let dynamic;
        let url = match fixed {
            // Parsed when the client was built: a copy, not a parse, per attempt.
            Some((_, url)) => url,
            None => {
                // One allocation: the base URL, the filled path, the query.
                let mut url =
                    String::with_capacity(self.shared.base_url.len() + operation.path.len() + 16);
                url.push_str(&self.shared.base_url);
                crate::call::fill_path_into(&mut url, operation.path, call.path_params)?;
                if !call.query.is_empty() {
                    url.push_str(&crate::call::query_string(&call.query));
                }
                dynamic = reqwest::Url::parse(&url).map_err(|_| {
                    Error::Config("the base URL and the path do not make a URL".to_owned())
                })?;
                &dynamic
            }
        };
        let http = &self.shared.http;
        // `None`: a total timeout too large to represent, which is no limit at all.
        let started = Instant::now();
        let deadline = started.checked_add(self.settings.total_timeout);
        let policy = &self.settings.retry_policy;
        let mut jitter = Jitter::new();
        let mut maybe_sent = false;
        let mut attempt = 1;
        loop {
            let span = tracing::info_span!(
                "telnyx_messaging.request",
                operation = operation.id,
                method = %operation.method,
                path = operation.path,
                attempt,
                status = tracing::field::Empty,
                request_id = tracing::field::Empty,
            );
            let body = match first_body.take() {
                Some(body) => body,
                None => encode()?,
            };
            // The first attempt starts now; a later one reads the clock again.
            let now = if attempt == 1 {
                started
            } else {
                Instant::now()
            };
            // Over HTTP/1.1 a request in flight holds a connection: bounding the requests
            // bounds the connections. A retry waits for a slot again, so that a call
            // waiting to retry holds none. Running out of time while waiting is this
            // attempt's failure, judged like any other. (The wait is not in the attempt's
            // span: instrumenting it measurably slowed every send under load.)
            let error = match slot(
                &self.shared.limiter,
                deadline,
                now,
                self.settings.total_timeout,
            )
            .await
            {
                Err(error) => error,
                Ok((permit, now)) => {
                    let attempt_future = self.attempt(
                        http, operation, url, body, decode, deadline, now, permit, &span,
                    );
                    // Entering a span nobody listens to on every poll is work for nothing.
                    // Matched in place rather than bound to a name: a named result (the
                    // decoded answer, most of a call's size) would keep its room in the
                    // call's state across the wait before a retry.
                    match if span.is_disabled() {
                        attempt_future.await
                    } else {
                        attempt_future.instrument(span.clone()).await
                    } {
                        Ok(mut response) => {
                            response.attempts = attempt;
                            return Ok(response);
                        }
                        Err(error) => error,
                    }
                }
            };
            // The policy judges this attempt's failure alone; the caller's error also
            // answers for the attempts before it.
            let delay = policy.delay(attempt, &error, operation.repeatable, &mut jitter);
            let error = if maybe_sent {
                error.after_maybe_sent_attempt()
            } else {
                error
            };
            maybe_sent = error.may_have_been_sent();
            let Some(delay) = delay else {
                span.in_scope(|| tracing::debug!(%error, "request failed"));
                return Err(error);
            };
            // A wait too long to represent, or one past the deadline, is not worth starting.
            let resume = Instant::now().checked_add(delay);
            if resume.is_none_or(|resume| deadline.is_some_and(|deadline| resume >= deadline)) {
                span.in_scope(|| {
                    tracing::debug!(%error, ?delay, "request failed; waiting to retry would pass the total timeout");
                });
                return Err(error);
            }
            span.in_scope(|| tracing::info!(%error, ?delay, "retrying"));
            // Boxed: a cold path, kept out of the size of every call.
            Box::pin(tokio::time::sleep(delay)).await;
            attempt += 1;
        }
    }

    /// One attempt, holding a slot under the concurrency limit: send, read and decode.
    #[allow(clippy::too_many_arguments)]
    async fn attempt<R>(
        &self,
        http: &reqwest::Client,
        operation: &Operation,
        url: &reqwest::Url,
        body: Option<Vec<u8>>,
        decode: Decode<R>,
        deadline: Option<Instant>,
        now: Instant,
        _permit: SemaphorePermit<'_>,
        span: &tracing::Span,
    ) -> Result<Response<R>, Error> {
        let total = self.settings.total_timeout;
        // The per-attempt limit, or what is left of the total when that is shorter.
        let (limit, timeout) = match deadline {
            Some(deadline) => {
                let left = deadline.saturating_duration_since(now);
                if left.is_zero() {
                    return Err(total_ran_out(total));
                }
                if left < self.settings.attempt_timeout {
                    (TimeoutLimit::Total, left)
                } else {
                    (TimeoutLimit::Attempt, self.settings.attempt_timeout)
                }
            }
            None => (TimeoutLimit::Attempt, self.settings.attempt_timeout),
        };
        let limit_length = match limit {
            TimeoutLimit::Total => total,
            _ => self.settings.attempt_timeout,
        };
        // Passed as a temporary: a named request would keep its room (hundreds of bytes)
        // in the attempt's state until the answer is read.
        let mut response = http
            .execute(http_request(&self.shared, operation, url, body, timeout))
            .await
            .map_err(|e| transport_error(e, limit, limit_length, self.shared.connect_timeout))?;
        let status = response.status().as_u16();
        let key = &*self.shared.key;
        // Headers that echo the key are cut out here, so that neither the request id nor
        // `Response::headers` can carry it.
        // Moved out, not copied: the body's length comes from the body itself.
        let mut headers = std::mem::take(response.headers_mut());
        redaction::headers(&mut headers, key, &self.shared.echo_filter);
        span.record("status", status);
        // Recorded only when someone listens; errors read it from the headers themselves.
        if !span.is_disabled() {
            if let Some(id) = headers.get("x-request-id").and_then(|v| v.to_str().ok()) {
                span.record("request_id", id);
            }
        }
        // Borrowed, not moved: a moved response would keep its room in the attempt's
        // state beside the reader's.
        let (body, complete) = read_bounded(&mut response).await;
        // Done with: its connection goes back to the pool (or is closed) now, not when the
        // answer has been decoded.
        drop(response);
        if !(200..300).contains(&status) {
            // An error answer is an `ApiError` whatever its body: too large, cut short or
            // not JSON, the status and what could be read still reach the caller. A
            // server (or a proxy's error page) echoing the request must not put the key
            // into the error's text.
            let mut error = ApiError::from_response(status, &headers, &body);
            error.redact(key);
            return Err(Error::Api(Box::new(error)));
        }
        let decode_error = |reason: String| Error::Decode {
            status,
            reason,
            excerpt: excerpt(&redaction::bytes(&body, key)),
            request_id: crate::error::request_id(&headers),
        };
        match complete {
            Ok(()) => {}
            // The API answered 2xx: the message was accepted, whatever happened to the body.
            Err(Unread::Transport(e)) if e.is_timeout() => {
                return Err(decode_error(format!(
                    "the body stopped arriving: the {limit} limit of {limit_length:?} ran out"
                )));
            }
            Err(Unread::Transport(e)) => {
                return Err(decode_error(format!(
                    "the body was cut short: {}",
                    crate::error::root_cause(&e)
                )));
            }
            Err(Unread::TooLarge) => {
                return Err(decode_error(format!(
                    "the body is larger than {MAX_RESPONSE_BYTES} bytes"
                )));
            }
        }
        let data = decode(&body).map_err(|e| decode_error(decode_reason(&e)))?;
        Ok(Response {
            status,
            headers,
            attempts: 0,
            data,
        })
    }
}

/// A slot under the concurrency limit, waited for until the total deadline at most;
/// with the time the attempt starts (`now` unless the slot had to be waited for).
///
/// (Functions of their own, not methods: a `Client` method's name is one an operation
/// cannot take.)
async fn slot(
    limiter: &Semaphore,
    deadline: Option<Instant>,
    now: Instant,
    total: Duration,
) -> Result<(SemaphorePermit<'_>, Instant), Error> {
    // A free slot is taken at once; only a call that has to wait arms a timer.
    let waited = match limiter.try_acquire() {
        Ok(permit) => return Ok((permit, now)),
        Err(TryAcquireError::Closed) => None,
        Err(TryAcquireError::NoPermits) => match deadline {
            Some(deadline) => tokio::time::timeout_at(deadline.into(), limiter.acquire())
                .await
                .map_err(|_| total_ran_out(total))?
                .ok(),
            None => limiter.acquire().await.ok(),
        },
    };
    let permit = waited.ok_or_else(|| Error::Config("the client was shut down".to_owned()))?;
    // Waiting took time: the clock is read again.
    Ok((permit, Instant::now()))
}

/// The request of an attempt, built in place rather than by the builder API, which moves
/// the whole request (hundreds of bytes) on every call.
///
/// The headers are a copy of a set made once, not four inserts; the attempt limit is set
/// only when it is not the reqwest client's own.
fn http_request(
    shared: &Shared,
    operation: &Operation,
    url: &reqwest::Url,
    body: Option<Vec<u8>>,
    timeout: Duration,
) -> reqwest::Request {
    let mut request = reqwest::Request::new(operation.method.clone(), url.clone());
    match body {
        Some(body) => {
            *request.headers_mut() = shared.headers.with_body.clone();
            *request.body_mut() = Some(body.into());
        }
        None => *request.headers_mut() = shared.headers.without_body.clone(),
    }
    if timeout != shared.attempt_timeout {
        *request.timeout_mut() = Some(timeout);
    }
    request
}

/// The headers every request carries, in the order bare reqwest code would add them
/// (`Authorization`, `Accept`, `User-Agent`, and `Content-Type` for a JSON body), made
/// once per client.
pub(crate) struct RequestHeaders {
    without_body: HeaderMap,
    with_body: HeaderMap,
}

impl RequestHeaders {
    pub(crate) fn new(auth: HeaderValue) -> RequestHeaders {
        // Built at compile time: a header set from a `&str` is checked and copied.
        const JSON: HeaderValue = HeaderValue::from_static("application/json");
        const AGENT: HeaderValue = HeaderValue::from_static(crate::config::USER_AGENT);
        let mut without_body = HeaderMap::with_capacity(3);
        without_body.insert(AUTHORIZATION, auth);
        without_body.insert(ACCEPT, JSON);
        without_body.insert(USER_AGENT, AGENT);
        let mut with_body = without_body.clone();
        with_body.insert(CONTENT_TYPE, JSON);
        RequestHeaders {
            without_body,
            with_body,
        }
    }
}

/// The error of a call whose total time limit (`total`) ran out before an attempt could
/// start.
fn total_ran_out(total: Duration) -> Error {
    Error::Timeout {
        limit: TimeoutLimit::Total,
        after: total,
        may_have_been_sent: false,
        source: None,
    }
}

/// Why a body did not decode, without quoting it: serde's own message can repeat a
/// string from the body, which may be message text, a phone number, or an echoed key.
fn decode_reason(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match e.classify() {
        Category::Eof => "the JSON ends early",
        Category::Syntax => "the body is not valid JSON",
        Category::Data => "the JSON does not have the shape the spec promises",
        Category::Io => "the body could not be read",
    };
    format!("{what} (line {}, column {})", e.line(), e.column())
}
