//! The HTTP client: configuration, authentication, and the one request path that every
//! generated operation method goes through.

use std::fmt;
use std::time::Duration;

use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, USER_AGENT,
};
use reqwest::{Method, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, EXCERPT_BYTES, Error, excerpt};
use crate::operations::DEFAULT_BASE_URL;

/// Environment variable holding the API key for [`Client::from_env`].
pub const API_KEY_ENV: &str = "TELNYX_API_KEY";
/// Environment variable that overrides the base URL for [`Client::from_env`].
pub const BASE_URL_ENV: &str = "TELNYX_BASE_URL";

/// Default limit for the whole request (connect, send, and read the answer).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Default limit for establishing a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Response bodies larger than this are refused without being read whole.
pub const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

/// A Telnyx Messaging API client. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base_url: String,
    auth: HeaderValue,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print the key: Debug output ends up in logs.
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("api_key", &"<redacted>")
            .finish()
    }
}

/// Options for a [`Client`]; start with [`Client::builder`].
#[derive(Clone)]
#[must_use]
pub struct ClientBuilder {
    api_key: String,
    base_url: String,
    timeout: Duration,
    connect_timeout: Duration,
    headers: Vec<(String, String)>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &"<redacted>")
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
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

    /// Limit for the whole request (default [`DEFAULT_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Limit for establishing a connection (default [`DEFAULT_CONNECT_TIMEOUT`]).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
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
    /// base URL that is not `https` (or `http` on loopback), or a TLS set-up failure.
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
        let http = reqwest::Client::builder()
            .default_headers(headers)
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            // The API does not redirect; following one could hand the key to another host.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::Config(format!("cannot set up the HTTP client: {e}")))?;
        Ok(Client {
            http,
            base_url,
            auth,
        })
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
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Config(format!(
            "base URL {base_url:?} must not have a query or fragment"
        )));
    }
    // The parsed form: `Url` trims stray whitespace and normalises the scheme and host.
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// What the generated methods tell [`Client::execute`] about their operation.
pub(crate) struct Operation {
    pub(crate) method: Method,
    pub(crate) path: &'static str,
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
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            headers: Vec::new(),
        }
    }

    /// The base URL requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Sends one request and decodes the answer: a 2xx body as `R`, anything else as an
    /// [`ApiError`].
    pub(crate) async fn execute<B: Serialize + ?Sized, R: DeserializeOwned>(
        &self,
        operation: &Operation,
        body: Option<&B>,
    ) -> Result<R, Error> {
        let url = format!("{}{}", self.base_url, operation.path);
        let mut request = self
            .http
            .request(operation.method.clone(), url)
            .header(AUTHORIZATION, self.auth.clone())
            .header(ACCEPT, "application/json")
            .header(
                USER_AGENT,
                concat!("telnyx-messaging-rust/", env!("CARGO_PKG_VERSION")),
            );
        if let Some(body) = body {
            let json = serde_json::to_vec(body).map_err(Error::Encode)?;
            request = request.header(CONTENT_TYPE, "application/json").body(json);
        }
        let response = request.send().await.map_err(transport_error)?;
        let status = response.status().as_u16();
        let request_id = response
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        if !(200..300).contains(&status) {
            // An error answer is an `ApiError` whatever its body: too large, cut short or
            // not JSON, the status and what could be read still reach the caller.
            let (body, _complete) = read_bounded(response).await;
            return Err(Error::Api(Box::new(ApiError::from_body(
                status, request_id, &body,
            ))));
        }
        let (body, complete) = read_bounded(response).await;
        match complete {
            Ok(()) => {}
            // The API answered 2xx: the message was accepted, whatever happened to the body.
            Err(Unread::Transport(e)) => {
                return Err(Error::Decode {
                    status,
                    reason: format!("the body was cut short: {e}"),
                    excerpt: excerpt(&body),
                });
            }
            Err(Unread::TooLarge) => {
                return Err(Error::Decode {
                    status,
                    reason: format!("response body larger than {MAX_RESPONSE_BYTES} bytes"),
                    excerpt: excerpt(&body),
                });
            }
        }
        serde_json::from_slice(&body).map_err(|e| Error::Decode {
            status,
            reason: e.to_string(),
            excerpt: excerpt(&body),
        })
    }
}

fn transport_error(e: reqwest::Error) -> Error {
    if e.is_timeout() {
        Error::Timeout(e)
    } else {
        Error::Connection(e)
    }
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
