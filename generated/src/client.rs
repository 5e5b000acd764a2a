//! The HTTP client: configuration, authentication, and the one request path that every
//! generated operation method goes through.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use reqwest::Url;
use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, USER_AGENT,
};
use serde::Serialize;

use tokio::sync::Semaphore;
use tracing::Instrument;

use crate::call::{Call, Decode, Operation};
use crate::error::{ApiError, EXCERPT_BYTES, Error, TimeoutLimit, excerpt};
use crate::operations::DEFAULT_BASE_URL;
use crate::response::Response;
use crate::retry::{Jitter, RetryPolicy};

/// Environment variable holding the API key for [`Client::from_env`].
pub const API_KEY_ENV: &str = "TELNYX_API_KEY";
/// Environment variable that overrides the base URL for [`Client::from_env`].
pub const BASE_URL_ENV: &str = "TELNYX_BASE_URL";

/// Default limit for establishing a connection (TCP and TLS).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default limit for one attempt: from sending the request to the last byte of the answer.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default limit for a whole call: every attempt and the waits between them.
pub const DEFAULT_TOTAL_TIMEOUT: Duration = Duration::from_secs(60);
/// Default limit on requests in flight at once through one client (and its clones). Over
/// HTTP/1.1 each needs a connection of its own, and the pool keeps at most as many idle
/// ones, which bounds the open connections.
pub const DEFAULT_MAX_CONCURRENT_REQUESTS: usize = 64;
/// Response bodies larger than this are refused without being read whole.
pub const MAX_RESPONSE_BYTES: usize = 1024 * 1024;
/// Idle pooled connections are closed after this long. Servers and load balancers close
/// idle connections too (often after 60 s); reusing one they are closing fails after the
/// request was written, which makes a send ambiguous, so the client lets go first.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(15);
/// Connection pools kept for distinct connect timeouts (see [`HttpStack`]).
const MAX_POOLS: usize = 4;
/// What replaces an echo of the API key in error texts.
const REDACTED: &str = "<redacted>";

/// A Telnyx Messaging API client. Cheap to clone: clones share the connection pool and
/// the concurrency limit.
///
/// Every call validates the request, then sends it, retrying as its [`RetryPolicy`]
/// allows, within the connect, per-attempt and total time limits. Each attempt runs in a
/// `tracing` span named `telnyx_messaging.request` with the fields `operation`, `method`,
/// `path`, `attempt`, `status` and `request_id`; retries are logged as events in it. The
/// API key is never logged.
#[derive(Clone)]
pub struct Client {
    shared: Arc<Shared>,
    settings: CallSettings,
}

/// What all clones of a client share.
struct Shared {
    stack: HttpStack,
    base_url: String,
    auth: HeaderValue,
    /// The key itself, only to cut it out of anything a server echoes back.
    key: Box<str>,
    limiter: Semaphore,
}

/// The HTTP stack: rustls, HTTP/1.1 only, pooled connections, no redirects, no retries of
/// its own, no proxy unless one is configured.
///
/// reqwest fixes the connect timeout per client, so the stack keeps one client (one pool)
/// per connect timeout in use: the client's own, and a few per-request overrides.
struct HttpStack {
    headers: HeaderMap,
    proxy: Option<reqwest::Proxy>,
    max_idle: usize,
    clients: Mutex<Vec<(Duration, reqwest::Client)>>,
}

impl HttpStack {
    /// The client whose connections time out after `connect_timeout`.
    fn client(&self, connect_timeout: Duration) -> Result<reqwest::Client, Error> {
        let cached = |clients: &[(Duration, reqwest::Client)]| {
            clients
                .iter()
                .find(|(t, _)| *t == connect_timeout)
                .map(|(_, client)| client.clone())
        };
        if let Some(client) = cached(&self.lock()) {
            return Ok(client);
        }
        let mut builder = reqwest::Client::builder()
            // Pinned here: another crate enabling reqwest features (native TLS, HTTP/2,
            // system proxies) must not change what this client promises.
            .use_rustls_tls()
            .http1_only()
            .retry(reqwest::retry::never())
            // Proxy environment variables could route the key, in clear text for a
            // loopback base URL, through another host: only an explicit proxy is used.
            .no_proxy()
            .default_headers(self.headers.clone())
            .connect_timeout(connect_timeout)
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            // A connection goes back to the pool a moment after its request has
            // finished, so the next request may open a new one meanwhile; capping the
            // idle ones keeps the open connections bounded.
            .pool_max_idle_per_host(self.max_idle)
            // The API does not redirect; following one could hand the key to another host.
            .redirect(reqwest::redirect::Policy::none());
        if let Some(proxy) = &self.proxy {
            builder = builder.proxy(proxy.clone());
        }
        let client = builder
            .build()
            .map_err(|e| Error::Config(format!("cannot set up the HTTP client: {e}")))?;
        // Built outside the lock; another call may have built the same one meanwhile.
        let mut clients = self.lock();
        if let Some(client) = cached(&clients) {
            return Ok(client);
        }
        if clients.len() < MAX_POOLS {
            clients.push((connect_timeout, client.clone()));
        }
        Ok(client)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(Duration, reqwest::Client)>> {
        self.clients.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The settings a call runs with: the client's, or a request's overrides.
#[derive(Clone, Debug, PartialEq)]
struct CallSettings {
    retry_policy: RetryPolicy,
    connect_timeout: Duration,
    attempt_timeout: Duration,
    total_timeout: Duration,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print the key: Debug output ends up in logs.
        f.debug_struct("Client")
            .field("base_url", &self.shared.base_url)
            .field("api_key", &"<redacted>")
            .field("retry_policy", &self.settings.retry_policy)
            .field("connect_timeout", &self.settings.connect_timeout)
            .field("attempt_timeout", &self.settings.attempt_timeout)
            .field("total_timeout", &self.settings.total_timeout)
            // The pool keeps as many idle connections as requests may be in flight.
            .field("max_concurrent_requests", &self.shared.stack.max_idle)
            .finish()
    }
}

/// Options for a [`Client`]; start with [`Client::builder`].
///
/// | setting | default |
/// |---|---|
/// | [`base_url`](ClientBuilder::base_url) | [`DEFAULT_BASE_URL`] |
/// | [`retry_policy`](ClientBuilder::retry_policy) | [`RetryPolicy::safe`]: 3 attempts, only when the request provably was not processed |
/// | [`connect_timeout`](ClientBuilder::connect_timeout) | [`DEFAULT_CONNECT_TIMEOUT`] (5 s) |
/// | [`attempt_timeout`](ClientBuilder::attempt_timeout) | [`DEFAULT_ATTEMPT_TIMEOUT`] (30 s) |
/// | [`total_timeout`](ClientBuilder::total_timeout) | [`DEFAULT_TOTAL_TIMEOUT`] (60 s) |
/// | [`max_concurrent_requests`](ClientBuilder::max_concurrent_requests) | [`DEFAULT_MAX_CONCURRENT_REQUESTS`] (64) |
#[derive(Clone)]
#[must_use]
pub struct ClientBuilder {
    api_key: String,
    base_url: String,
    settings: CallSettings,
    max_concurrent_requests: usize,
    headers: Vec<(String, String)>,
    proxy: Option<String>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &"<redacted>")
            .field("base_url", &self.base_url)
            .field("retry_policy", &self.settings.retry_policy)
            .field("connect_timeout", &self.settings.connect_timeout)
            .field("attempt_timeout", &self.settings.attempt_timeout)
            .field("total_timeout", &self.settings.total_timeout)
            .field("max_concurrent_requests", &self.max_concurrent_requests)
            // A proxy URL may carry credentials.
            .field("proxy", &self.proxy.as_ref().map(|_| REDACTED))
            .field(
                "headers",
                &self
                    .headers
                    .iter()
                    .map(|(name, _)| name)
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl ClientBuilder {
    /// Overrides the base URL (default [`DEFAULT_BASE_URL`]). It must be `https`, or
    /// `http` on a loopback host (a local mock server).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Which failures are retried (default [`RetryPolicy::safe`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.settings.retry_policy = policy;
        self
    }

    /// Limit for establishing a connection (default [`DEFAULT_CONNECT_TIMEOUT`]).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.settings.connect_timeout = timeout;
        self
    }

    /// Limit for one attempt, from sending the request to the last byte of the answer
    /// (default [`DEFAULT_ATTEMPT_TIMEOUT`]).
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.settings.attempt_timeout = timeout;
        self
    }

    /// Limit for a whole call, every attempt and wait included (default
    /// [`DEFAULT_TOTAL_TIMEOUT`]).
    pub fn total_timeout(mut self, timeout: Duration) -> Self {
        self.settings.total_timeout = timeout;
        self
    }

    /// Limit on requests in flight at once (default [`DEFAULT_MAX_CONCURRENT_REQUESTS`],
    /// at least 1); further calls wait their turn, within their total timeout. The pool
    /// keeps at most as many idle connections.
    pub fn max_concurrent_requests(mut self, limit: usize) -> Self {
        // tokio's semaphore holds at most `MAX_PERMITS`; more would be no limit anyway.
        self.max_concurrent_requests = limit.clamp(1, Semaphore::MAX_PERMITS);
        self
    }

    /// Sends every request through this proxy (`http://host:port`, or with credentials
    /// `http://user:password@host:port`). Requests to the https API go through a CONNECT
    /// tunnel, so the proxy never sees the key. Proxy environment variables
    /// (`HTTPS_PROXY`, ...) are not read: they apply to a whole process, and could send a
    /// loopback request, key and all, to another host.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// Adds a header sent with every request (a tracing header, say). `Authorization` is
    /// refused: the API key is set with [`Client::builder`].
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] for an empty API key, a key that cannot be a header value, a
    /// base URL that is not `https` (or `http` on loopback) or that carries credentials,
    /// a proxy that is not a URL or is combined with an `http` base URL, or a TLS set-up
    /// failure.
    pub fn build(self) -> Result<Client, Error> {
        let key = self.api_key.trim();
        if key.is_empty() {
            return Err(Error::Config("the API key is empty".to_owned()));
        }
        let mut auth = HeaderValue::from_str(&format!("Bearer {key}")).map_err(|_| {
            Error::Config(
                "the API key contains characters not allowed in an HTTP header".to_owned(),
            )
        })?;
        // Marks the header so that HTTP debug logging never prints it.
        auth.set_sensitive(true);
        let base_url = check_base_url(&self.base_url)?;
        let mut headers = HeaderMap::new();
        for (name, value) in &self.headers {
            let header = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::Config(format!("{name:?} is not a valid header name")))?;
            if header == AUTHORIZATION {
                return Err(Error::Config(
                    "set the API key with Client::builder, not as a header".to_owned(),
                ));
            }
            let value = HeaderValue::from_str(value).map_err(|_| {
                Error::Config(format!(
                    "the value of header {name:?} is not a valid header value"
                ))
            })?;
            headers.append(header, value);
        }
        let proxy = match &self.proxy {
            None => None,
            // Through a proxy, a plain-http request would show the key to the proxy.
            Some(_) if base_url.starts_with("http:") => {
                return Err(Error::Config(
                    "a proxy needs an https base URL: it would see the key of an http request"
                        .to_owned(),
                ));
            }
            Some(url) => Some(proxy(url)?),
        };
        self.settings.check()?;
        let stack = HttpStack {
            headers,
            proxy,
            max_idle: self.max_concurrent_requests,
            clients: Mutex::new(Vec::new()),
        };
        // Built now, so that a TLS set-up failure shows here rather than at the first call.
        stack.client(self.settings.effective_connect_timeout())?;
        Ok(Client {
            shared: Arc::new(Shared {
                stack,
                base_url,
                auth,
                key: key.into(),
                limiter: Semaphore::new(self.max_concurrent_requests),
            }),
            settings: self.settings,
        })
    }
}

/// The proxy at `url`, which must be `http` or `https`: reqwest would take any scheme,
/// and quietly go direct for one it does not know (a typo such as `htp://`).
fn proxy(url: &str) -> Result<reqwest::Proxy, Error> {
    let refused =
        || Error::Config("the proxy URL must be http://host:port or https://host:port".to_owned());
    let url = Url::parse(url.trim()).map_err(|_| refused())?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(refused());
    }
    reqwest::Proxy::all(url).map_err(|_| refused())
}

impl CallSettings {
    /// The connect timeout, but shorter than an attempt (at most 90% of it): a
    /// connection that the attempt timeout cuts short would look like a request that may
    /// have been sent, while one the connect timeout cuts short provably was not.
    ///
    /// The same holds for the total limit, for the first attempt; a later attempt that
    /// has less time left than the connect limit may still see the total limit run out
    /// while connecting, and report it as maybe sent. Values of a second and more are
    /// rounded down to whole 100 ms, so that nearby settings share a connection pool.
    fn effective_connect_timeout(&self) -> Duration {
        let under = |limit: Duration| {
            // 90%, and at least 20 ms below, so that the two timers never fire together.
            limit.saturating_sub((limit / 10).max(Duration::from_millis(20)))
        };
        let connect = self
            .connect_timeout
            .min(under(self.attempt_timeout))
            .min(under(self.total_timeout));
        if connect >= Duration::from_secs(1) {
            Duration::new(
                connect.as_secs(),
                connect.subsec_millis() / 100 * 100_000_000,
            )
        } else {
            connect
        }
    }

    /// Zero limits are a mistake, not a request for no limit.
    fn check(&self) -> Result<(), Error> {
        for (name, limit) in [
            ("connect", self.connect_timeout),
            ("attempt", self.attempt_timeout),
            ("total", self.total_timeout),
        ] {
            if limit.is_zero() {
                return Err(Error::Config(format!(
                    "the {name} timeout is zero: no request could ever complete"
                )));
            }
        }
        Ok(())
    }
}

/// Per-request overrides of a client's settings; apply them with [`Client::with_options`].
/// Unset options keep the client's value.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
#[must_use]
pub struct RequestOptions {
    /// Which failures are retried.
    pub retry_policy: Option<RetryPolicy>,
    /// Limit for establishing a connection. reqwest sets it per connection pool, so a
    /// value that changes the client's connect limit (this one, or an attempt or total
    /// limit short enough to shorten it) gives the call another pool: four are kept,
    /// beyond that such a call connects afresh.
    pub connect_timeout: Option<Duration>,
    /// Limit for one attempt.
    pub attempt_timeout: Option<Duration>,
    /// Limit for the whole call.
    pub total_timeout: Option<Duration>,
}

impl RequestOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// Overrides the retry policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = Some(policy);
        self
    }

    /// Overrides the connect timeout.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Overrides the per-attempt timeout.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// Overrides the total timeout.
    pub fn total_timeout(mut self, timeout: Duration) -> Self {
        self.total_timeout = Some(timeout);
        self
    }
}

fn check_base_url(base_url: &str) -> Result<String, Error> {
    let url = Url::parse(base_url)
        .map_err(|e| Error::Config(format!("base URL {base_url:?} is not a URL: {e}")))?;
    let host = url.host_str().unwrap_or("");
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        scheme => {
            return Err(Error::Config(format!(
                "base URL {base_url:?} uses {scheme}: the API key may only travel over https (http is allowed for loopback hosts)"
            )));
        }
    }
    if !url.username().is_empty() || url.password().is_some() {
        // reqwest would turn them into a second Authorization header; and the URL is shown
        // by `Client::base_url` and `Debug`.
        return Err(Error::Config(
            "the base URL must not carry a user name or password".to_owned(),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Config(format!(
            "base URL {base_url:?} must not have a query or fragment"
        )));
    }
    // The parsed form: `Url` trims stray whitespace and normalises the scheme and host.
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

impl Client {
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
        ClientBuilder {
            api_key: api_key.into(),
            base_url: DEFAULT_BASE_URL.to_owned(),
            settings: CallSettings {
                retry_policy: RetryPolicy::safe(),
                connect_timeout: DEFAULT_CONNECT_TIMEOUT,
                attempt_timeout: DEFAULT_ATTEMPT_TIMEOUT,
                total_timeout: DEFAULT_TOTAL_TIMEOUT,
            },
            max_concurrent_requests: DEFAULT_MAX_CONCURRENT_REQUESTS,
            headers: Vec::new(),
            proxy: None,
        }
    }

    /// The base URL requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// This client with `options` overriding its settings, for one call or a few:
    /// `client.with_options(options).send_message(&request)`. Cheap: the result shares
    /// the concurrency limit, and the connection pool unless the options change the
    /// connect limit (see [`RequestOptions::connect_timeout`]).
    pub fn with_options(&self, options: RequestOptions) -> Client {
        let mut settings = self.settings.clone();
        if let Some(policy) = options.retry_policy {
            settings.retry_policy = policy;
        }
        if let Some(timeout) = options.connect_timeout {
            settings.connect_timeout = timeout;
        }
        if let Some(timeout) = options.attempt_timeout {
            settings.attempt_timeout = timeout;
        }
        if let Some(timeout) = options.total_timeout {
            settings.total_timeout = timeout;
        }
        Client {
            shared: Arc::clone(&self.shared),
            settings,
        }
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
        let body = call
            .body
            .map(serde_json::to_vec)
            .transpose()
            .map_err(Error::Encode)?;
        let url = format!(
            "{}{}{}",
            self.shared.base_url,
            crate::call::fill_path(operation.path, call.path_params)?,
            crate::call::query_string(&call.query)
        );
        let http = self
            .shared
            .stack
            .client(self.settings.effective_connect_timeout())?;
        // `None`: a total timeout too large to represent, which is no limit at all.
        let deadline = Instant::now().checked_add(self.settings.total_timeout);
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
            let result = self
                .attempt(
                    &http,
                    operation,
                    &url,
                    body.as_deref(),
                    decode,
                    deadline,
                    &span,
                )
                .instrument(span.clone())
                .await;
            let error = match result {
                Ok(mut response) => {
                    response.attempts = attempt;
                    return Ok(response);
                }
                Err(error) => error,
            };
            // The policy judges this attempt's failure alone; the caller's error also
            // answers for the attempts before it.
            let delay = policy.delay(attempt, &error, &mut jitter);
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
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// One attempt: wait for a slot under the concurrency limit, send, read and decode.
    #[allow(clippy::too_many_arguments)]
    async fn attempt<R>(
        &self,
        http: &reqwest::Client,
        operation: &Operation,
        url: &str,
        body: Option<&[u8]>,
        decode: Decode<R>,
        deadline: Option<Instant>,
        span: &tracing::Span,
    ) -> Result<Response<R>, Error> {
        let total = self.settings.total_timeout;
        let total_ran_out = || Error::Timeout {
            limit: TimeoutLimit::Total,
            after: total,
            may_have_been_sent: false,
            source: None,
        };
        // Over HTTP/1.1 a request in flight holds a connection: bounding the requests
        // bounds the connections.
        let permit = match deadline {
            Some(deadline) => {
                tokio::time::timeout_at(deadline.into(), self.shared.limiter.acquire())
                    .await
                    .map_err(|_| total_ran_out())?
            }
            None => self.shared.limiter.acquire().await,
        };
        let _permit = permit.map_err(|_| Error::Config("the client was shut down".to_owned()))?;
        // The per-attempt limit, or what is left of the total when that is shorter.
        let (limit, timeout) = match deadline {
            Some(deadline) => {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(total_ran_out());
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
        let mut request = http
            .request(operation.method.clone(), url)
            .timeout(timeout)
            .header(AUTHORIZATION, self.shared.auth.clone())
            .header(ACCEPT, "application/json")
            .header(
                USER_AGENT,
                concat!("telnyx-messaging-rust/", env!("CARGO_PKG_VERSION")),
            );
        if let Some(body) = body {
            request = request
                .header(CONTENT_TYPE, "application/json")
                .body(body.to_vec());
        }
        let response = request.send().await.map_err(|e| {
            transport_error(
                e,
                limit,
                limit_length,
                self.settings.effective_connect_timeout(),
            )
        })?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        span.record("status", status);
        let key = &*self.shared.key;
        let request_id = crate::error::request_id(&headers).map(|id| id.replace(key, REDACTED));
        if let Some(id) = &request_id {
            span.record("request_id", id.as_str());
        }
        let (body, complete) = read_bounded(response).await;
        if !(200..300).contains(&status) {
            // An error answer is an `ApiError` whatever its body: too large, cut short or
            // not JSON, the status and what could be read still reach the caller. A
            // server (or a proxy's error page) echoing the request must not put the key
            // into the error's text.
            let mut error = ApiError::from_response(status, &headers, &redact(&body, key));
            error.request_id = request_id;
            return Err(Error::Api(Box::new(error)));
        }
        let decode_error = |reason: String| Error::Decode {
            status,
            reason,
            excerpt: excerpt(&redact(&body, key)),
            request_id: request_id.clone(),
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

/// Classifies a failure to get an answer. Only a failure to connect proves that no byte
/// of the request was written; anything later may have reached the API.
fn transport_error(
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

/// `body` with every occurrence of `secret` replaced by [`REDACTED`], and a start of it
/// at the very end too (a body cut short mid-key; 8 bytes or more, as shorter ones are
/// too likely to be something else).
fn redact<'a>(body: &'a [u8], secret: &str) -> Cow<'a, [u8]> {
    let secret = secret.as_bytes();
    let cut_short = |bytes: &[u8]| {
        (8..secret.len())
            .rev()
            .find(|&len| bytes.ends_with(&secret[..len]))
    };
    let whole = !secret.is_empty() && body.windows(secret.len()).any(|w| w == secret);
    if !whole && cut_short(body).is_none() {
        return Cow::Borrowed(body);
    }
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    while let Some((first, tail)) = rest.split_first() {
        if whole && rest.starts_with(secret) {
            out.extend_from_slice(REDACTED.as_bytes());
            rest = &rest[secret.len()..];
        } else {
            out.push(*first);
            rest = tail;
        }
    }
    if let Some(len) = cut_short(&out) {
        out.truncate(out.len() - len);
        out.extend_from_slice(REDACTED.as_bytes());
    }
    Cow::Owned(out)
}

/// Why a body was not read to its end.
enum Unread {
    /// It is larger than [`MAX_RESPONSE_BYTES`].
    TooLarge,
    /// The connection failed or timed out mid-body.
    Transport(reqwest::Error),
}

/// Reads the body chunk by chunk and stops at [`MAX_RESPONSE_BYTES`]: a hostile or broken
/// server cannot make the client buffer an unbounded body. Returns what was read, and why
/// the rest was not.
async fn read_bounded(mut response: reqwest::Response) -> (Vec<u8>, Result<(), Unread>) {
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
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = limit - body.len();
                if chunk.len() > room {
                    body.extend_from_slice(&chunk[..room]);
                    return (body, Err(Unread::TooLarge));
                }
                body.extend_from_slice(&chunk);
                if announced_too_large && body.len() == limit {
                    return (body, Err(Unread::TooLarge));
                }
            }
            Ok(None) if announced_too_large => return (body, Err(Unread::TooLarge)),
            Ok(None) => return (body, Ok(())),
            Err(e) => return (body, Err(Unread::Transport(e))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(connect: u64, attempt: u64, total: u64) -> CallSettings {
        CallSettings {
            retry_policy: RetryPolicy::safe(),
            connect_timeout: Duration::from_millis(connect),
            attempt_timeout: Duration::from_millis(attempt),
            total_timeout: Duration::from_millis(total),
        }
    }

    #[test]
    fn the_connect_limit_stays_under_the_others() {
        let connect = |c, a, t| settings(c, a, t).effective_connect_timeout().as_millis();
        assert_eq!(connect(5_000, 30_000, 60_000), 5_000);
        assert_eq!(connect(5_000, 1_000, 60_000), 900);
        assert_eq!(connect(5_000, 60_000, 3_000), 2_700);
        // Rounded down to 100 ms from a second up, so nearby settings share a pool.
        assert_eq!(connect(5_000, 3_333, 60_000), 2_900);
        // At least 20 ms below a short limit, and never below zero.
        assert_eq!(connect(5_000, 100, 60_000), 80);
        assert_eq!(connect(5_000, 10, 60_000), 0);
        assert_eq!(
            settings(0, 0, 0).effective_connect_timeout(),
            Duration::ZERO
        );
        let huge = CallSettings {
            connect_timeout: Duration::MAX,
            attempt_timeout: Duration::MAX,
            total_timeout: Duration::MAX,
            ..settings(0, 0, 0)
        };
        assert!(huge.effective_connect_timeout() > Duration::from_secs(1 << 40));
    }

    #[test]
    fn echoes_of_the_key_are_cut_out() {
        let key = "KEY0123456789abc";
        let redacted = |body: &str| String::from_utf8(redact(body.as_bytes(), key).into_owned());
        assert_eq!(redacted("nothing here").as_deref(), Ok("nothing here"));
        assert_eq!(
            redacted("a KEY0123456789abc b KEY0123456789abc").as_deref(),
            Ok("a <redacted> b <redacted>")
        );
        // A body cut short mid-key.
        assert_eq!(
            redacted("x Bearer KEY01234").as_deref(),
            Ok("x Bearer <redacted>")
        );
        // Too short a start to tell from other text.
        assert_eq!(redacted("x KEY0").as_deref(), Ok("x KEY0"));
    }
}
