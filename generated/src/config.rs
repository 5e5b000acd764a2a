//! Configuration: [`ClientBuilder`], the per-call [`RequestOptions`], and the defaults.
//! A setting that could leak the key, or let no request ever complete, is refused when
//! the client is built.

use std::fmt;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};
use tokio::sync::Semaphore;

use crate::client::{Client, Shared};
use crate::error::Error;
use crate::redaction::REDACTED;
use crate::retry::RetryPolicy;
use crate::transport;

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
/// Default limit on requests in flight at once through one client (and its clones).
///
/// Over
/// HTTP/1.1 each needs a connection of its own, and the pool keeps at most as many idle
/// ones, which bounds the open connections.
pub const DEFAULT_MAX_CONCURRENT_REQUESTS: usize = 64;
/// The `User-Agent` every request carries: the crate and its version.
pub const USER_AGENT: &str = concat!("telnyx-messaging-rust/", env!("CARGO_PKG_VERSION"));
/// Response bodies larger than this are refused without being read whole.
pub const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

/// Options for a [`Client`]; start with [`Client::builder`].
///
/// | setting | default |
/// |---|---|
/// | [`base_url`](ClientBuilder::base_url) | [`Client::DEFAULT_BASE_URL`] |
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
            .field("base_url", &without_credentials(&self.base_url))
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
    /// The default settings for `api_key` ([`Client::builder`]).
    pub(crate) fn new(api_key: String) -> Self {
        ClientBuilder {
            api_key,
            base_url: Client::DEFAULT_BASE_URL.to_owned(),
            settings: CallSettings {
                retry_policy: RetryPolicy::safe(),
                connect_timeout: DEFAULT_CONNECT_TIMEOUT,
                attempt_timeout: DEFAULT_ATTEMPT_TIMEOUT,
                total_timeout: DEFAULT_TOTAL_TIMEOUT,
                max_parts: None,
            },
            max_concurrent_requests: DEFAULT_MAX_CONCURRENT_REQUESTS,
            headers: Vec::new(),
            proxy: None,
        }
    }

    /// Overrides the base URL (default [`Client::DEFAULT_BASE_URL`]).
    ///
    /// It must be `https`, or
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

    /// Limit for establishing a connection (default [`DEFAULT_CONNECT_TIMEOUT`]), kept under
    /// 90% of the attempt and total limits, so that a connection that does not come up is
    /// reported as not sent.
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

    /// Refuses to send an SMS whose text takes more than `parts` parts, by the estimate of
    /// [`segments`](crate::segments) (encoding, smart encoding, the 10-part limit): the
    /// call fails with [`Error::Validation`](crate::Error::Validation) naming the parts
    /// and the characters that made the text UCS-2, before any I/O.
    ///
    /// Off by default: the API itself decides what it accepts. An MMS (media given) is not
    /// counted.
    pub fn max_parts(mut self, parts: u32) -> Self {
        self.settings.max_parts = Some(parts);
        self
    }

    /// Limit on requests in flight at once (default [`DEFAULT_MAX_CONCURRENT_REQUESTS`],
    /// at least 1); further calls wait their turn, within their total timeout.
    ///
    /// The pool
    /// keeps at most as many idle connections.
    pub fn max_concurrent_requests(mut self, limit: usize) -> Self {
        // tokio's semaphore holds at most `MAX_PERMITS`; more would be no limit anyway.
        self.max_concurrent_requests = limit.clamp(1, Semaphore::MAX_PERMITS);
        self
    }

    /// Sends every request through this proxy (`http://host:port`, or with credentials
    /// `http://user:password@host:port`).
    ///
    /// Requests to the https API go through a CONNECT
    /// tunnel, so the proxy never sees the key. Proxy environment variables
    /// (`HTTPS_PROXY`, ...) are not read: they apply to a whole process, and could send a
    /// loopback request, key and all, to another host.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// Adds a header sent with every request (a tracing header, say).
    ///
    /// `Authorization` is
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
        // One connection pool per client: reqwest fixes the connect limit per pool, so it
        // is the client's, kept under the attempt and total limits (see `CallSettings`).
        let connect_timeout = self.settings.effective_connect_timeout();
        let http = transport::http_client(
            headers,
            proxy,
            self.max_concurrent_requests,
            connect_timeout,
            self.settings.attempt_timeout,
        )?;
        Ok(Client::assemble(
            Shared {
                http,
                fixed_urls: Client::FIXED_PATHS
                    .iter()
                    .filter_map(|path| {
                        let url = reqwest::Url::parse(&format!("{base_url}{path}")).ok()?;
                        Some((*path, url))
                    })
                    .collect(),
                base_url,
                headers: crate::client::RequestHeaders::new(auth),
                echo_filter: crate::redaction::EchoFilter::new(key.as_bytes()),
                key: key.into(),
                limiter: Semaphore::new(self.max_concurrent_requests),
                max_concurrent_requests: self.max_concurrent_requests,
                connect_timeout,
                attempt_timeout: self.settings.attempt_timeout,
            },
            self.settings,
        ))
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

/// The settings a call runs with: the client's, or a request's overrides.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct CallSettings {
    pub(crate) retry_policy: RetryPolicy,
    pub(crate) connect_timeout: Duration,
    pub(crate) attempt_timeout: Duration,
    pub(crate) total_timeout: Duration,
    /// Refuse an SMS whose text takes more parts than this (off when `None`).
    pub(crate) max_parts: Option<u32>,
}

impl CallSettings {
    /// The connect timeout, but shorter than an attempt (at most 90% of it): a
    /// connection that the attempt timeout cuts short would look like a request that may
    /// have been sent, while one the connect timeout cuts short provably was not.
    ///
    /// The same holds for the total limit, for the first attempt; a later attempt that
    /// has less time left than the connect limit may still see the total limit run out
    /// while connecting, and report it as maybe sent (as may a call whose
    /// [`RequestOptions`] shorten the limits below the client's connect limit).
    pub(crate) fn effective_connect_timeout(&self) -> Duration {
        let under = |limit: Duration| {
            // 90%, and at least 20 ms below, so that the two timers never fire together.
            limit.saturating_sub((limit / 10).max(Duration::from_millis(20)))
        };
        self.connect_timeout
            .min(under(self.attempt_timeout))
            .min(under(self.total_timeout))
    }

    /// Zero limits are a mistake, not a request for no limit.
    pub(crate) fn check(&self) -> Result<(), Error> {
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
///
/// Unset options keep the client's value. The connect limit is the client's: it belongs
/// to the connection pool, which every call shares.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
#[must_use]
pub struct RequestOptions {
    /// Which failures are retried.
    pub retry_policy: Option<RetryPolicy>,
    /// Limit for one attempt.
    pub attempt_timeout: Option<Duration>,
    /// Limit for the whole call.
    pub total_timeout: Option<Duration>,
    /// Refuse an SMS whose text takes more parts than this (see
    /// [`ClientBuilder::max_parts`]).
    pub max_parts: Option<u32>,
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

    /// Refuses, for this call, an SMS whose text takes more than `parts` parts (see
    /// [`ClientBuilder::max_parts`]).
    pub fn max_parts(mut self, parts: u32) -> Self {
        self.max_parts = Some(parts);
        self
    }
}

fn check_base_url(base_url: &str) -> Result<String, Error> {
    // The URL as given may carry a password: messages show it without its user part.
    let url = Url::parse(base_url)
        .map_err(|e| Error::Config(format!("the base URL is not a URL: {e}")))?;
    let shown = without_credentials(base_url);
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
                "base URL {shown:?} uses {scheme}: the API key may only travel over https (http is allowed for loopback hosts)"
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
            "base URL {shown:?} must not have a query or fragment"
        )));
    }
    // The parsed form: `Url` trims stray whitespace and normalises the scheme and host.
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// A URL as it may be shown: without a user name or password (which the URL may carry by
/// mistake, the password of a proxy, say), or nothing of it when it does not parse.
fn without_credentials(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut url) => {
            let _ = url.set_username("");
            let _ = url.set_password(None);
            url.to_string()
        }
        Err(_) => "<not a URL>".to_owned(),
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
            max_parts: None,
        }
    }

    #[test]
    fn a_base_url_password_is_never_printed() {
        for url in [
            "http://user:hunter2@api.example.com/v2",
            "https://user:hunter2@api.example.com/v2?x=1",
            "https://user:hunter2@exa mple.com/",
        ] {
            let error = Client::builder("KEY")
                .base_url(url)
                .build()
                .expect_err("refused");
            for text in [error.to_string(), format!("{error:?}")] {
                assert!(!text.contains("hunter2"), "{text}");
            }
        }
        let builder = Client::builder("KEY").base_url("https://user:hunter2@api.example.com");
        assert!(!format!("{builder:?}").contains("hunter2"));
    }

    #[test]
    fn the_connect_limit_stays_under_the_others() {
        let connect = |c, a, t| settings(c, a, t).effective_connect_timeout().as_millis();
        assert_eq!(connect(5_000, 30_000, 60_000), 5_000);
        assert_eq!(connect(5_000, 1_000, 60_000), 900);
        assert_eq!(connect(5_000, 60_000, 3_000), 2_700);
        assert_eq!(connect(5_000, 3_333, 60_000), 2_999);
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
            max_parts: None,
            ..settings(0, 0, 0)
        };
        assert!(huge.effective_connect_timeout() > Duration::from_secs(1 << 40));
    }
}
