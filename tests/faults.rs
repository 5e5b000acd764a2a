//! Fault injection: the client against a local server that fails in every way the tests
//! could think of, counting each request it receives.
//!
//! Every case checks three things: the outcome the retry policy promises, the exact
//! number of requests the server saw (under the default policy a request the API may
//! have processed is never sent twice), and that the call ended within a bounded time.
//! Each case prints one `fault case:` line with its figures.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use telnyx_messaging::{
    Client, ClientBuilder, CreateMessageRequest, Error, Message, RequestOptions, Response,
    RetryPolicy,
    config::DEFAULT_MAX_CONCURRENT_REQUESTS,
    error::{ApiErrorKind, TimeoutLimit},
    rules::Rule,
};
use telnyx_messaging_tests::capture::{Capture, log_lines, record_log};
use telnyx_messaging_tests::fault_server::{
    Fault, FaultServer, Request, accepted_message, refused_base_url,
};

/// A key distinctive enough that finding it anywhere in output is certainly a leak.
const KEY: &str = "KEY01SECRETfaultsZZ9";

const fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

/// The per-attempt limit of the test clients: short, so timeouts cost little.
const ATTEMPT_TIMEOUT: Duration = ms(400);

fn message_request() -> CreateMessageRequest {
    CreateMessageRequest::builder()
        .to("+18665550001")
        .from("+18445550001")
        .text("Hello, fault")
        .build()
}

/// A 200 body as the API sends it, answering [`message_request`].
fn message_body(id: &str) -> Value {
    accepted_message(id, "Hello, fault")
}

fn ok(id: &str) -> Fault {
    Fault::json(200, &message_body(id))
}

/// A script: `first` for the first request, a 200 for every later one.
fn first_then_ok(first: Fault) -> impl Fn(usize) -> Fault + Send + Sync + 'static {
    move |n| {
        if n == 0 {
            first.clone()
        } else {
            ok("after-a-fault")
        }
    }
}

/// An error body as the API sends it.
fn api_error(status: u16, code: &str, title: &str) -> Fault {
    Fault::json(
        status,
        &json!({"errors": [{"code": code, "title": title, "detail": "injected"}]}),
    )
}

fn html(status: u16, page: &str) -> Fault {
    Fault::Respond {
        status,
        headers: vec![("Content-Type".to_owned(), "text/html".to_owned())],
        body: page.as_bytes().to_vec(),
    }
}

/// `policy` with short backoffs, so that the cases run quickly.
fn fast(policy: RetryPolicy) -> RetryPolicy {
    policy.backoff(ms(20), ms(80))
}

fn client(base_url: &str, policy: RetryPolicy) -> Client {
    Client::builder(KEY)
        .base_url(base_url)
        .retry_policy(fast(policy))
        .attempt_timeout(ATTEMPT_TIMEOUT)
        .total_timeout(Duration::from_secs(10))
        .build()
        .expect("the test client builds")
}

/// What one call did.
struct Run {
    result: Result<Response<Message>, Error>,
    server: FaultServer,
    elapsed: Duration,
}

impl Run {
    fn error(&self) -> &Error {
        match &self.result {
            Err(error) => error,
            Ok(response) => panic!("expected an error, got {response:?}"),
        }
    }

    fn response(&self) -> &Response<Message> {
        match &self.result {
            Ok(response) => response,
            Err(error) => panic!("expected success, got {error}"),
        }
    }

    /// Asserts that the call waited at least `wait` (the wait an answer asked for).
    fn waited(&self, wait: Duration) {
        assert!(self.elapsed >= wait, "waited only {:?}", self.elapsed);
    }

    /// The reason of the expected [`Error::Decode`], after checking its status.
    fn decode_reason(&self, expected_status: u16) -> &str {
        match self.error() {
            Error::Decode { status, reason, .. } => {
                assert_eq!(*status, expected_status);
                reason
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
    }

    fn api_error(&self) -> &telnyx_messaging::error::ApiError {
        match self.error() {
            Error::Api(api) => api,
            other => panic!("expected Error::Api, got {other:?}"),
        }
    }

    /// Asserts the number of requests the server saw and that the call took less than
    /// `within`, and prints the case's figures.
    fn saw(&self, case: &str, requests: usize, within: Duration) {
        let outcome = match &self.result {
            Ok(response) => format!("ok after {} attempt(s)", response.attempts),
            Err(error) => format!("error: {error}"),
        };
        eprintln!(
            "fault case: {case}: {} request(s), {} connection(s), {:?}; {outcome}",
            self.server.requests(),
            self.server.connections(),
            self.elapsed
        );
        assert_eq!(self.server.requests(), requests, "{case}: requests seen");
        assert!(
            self.elapsed < within,
            "{case}: took {:?}, over {within:?}",
            self.elapsed
        );
    }
}

/// Sends one message through a client with `policy` to a server that answers request
/// `n` with `script(n)`.
async fn run(policy: RetryPolicy, script: impl Fn(usize) -> Fault + Send + Sync + 'static) -> Run {
    run_with(policy, RequestOptions::new(), script).await
}

async fn run_with(
    policy: RetryPolicy,
    options: RequestOptions,
    script: impl Fn(usize) -> Fault + Send + Sync + 'static,
) -> Run {
    let server = FaultServer::start(move |n, _: &Request| script(n))
        .await
        .expect("the fault server starts");
    let client = client(&server.base_url(), policy).with_options(options);
    let started = Instant::now();
    let result = client.send_message_with_response(&message_request()).await;
    Run {
        result,
        server,
        elapsed: started.elapsed(),
    }
}

fn assert_may_have_been_sent(error: &Error, retryable: bool) {
    assert!(error.may_have_been_sent(), "{error}");
    assert_eq!(error.is_retryable(), retryable, "{error}");
}

fn assert_not_sent(error: &Error) {
    assert!(!error.may_have_been_sent(), "{error}");
    assert!(error.is_retryable(), "{error}");
}

// ---------------------------------------------------------------------------------------
// The request on the wire, and a plain error answer.

#[tokio::test]
async fn the_request_carries_bearer_auth_and_json() {
    let run = run(RetryPolicy::safe(), |_| ok("wire")).await;
    run.saw("200", 1, ms(1000));
    assert_eq!(run.response().data.id.as_deref(), Some("wire"));
    assert_eq!(run.response().status, 200);
    let request = &run.server.received()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/messages");
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {KEY}").as_str())
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("accept"), Some("application/json"));
    assert!(
        request
            .header("user-agent")
            .is_some_and(|agent| agent.starts_with("telnyx-messaging-rust/")),
        "{request:?}"
    );
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        r#"{"from":"+18445550001","to":"+18665550001","text":"Hello, fault"}"#
    );
    // In the order bare reqwest code adds them (the load bench's baseline sends the same
    // bytes): the client's own headers, before those hyper adds.
    let own = ["authorization", "accept", "user-agent", "content-type"];
    let order: Vec<&str> = request
        .headers
        .iter()
        .map(|(name, _)| name.as_str())
        .filter(|name| own.iter().any(|o| name.eq_ignore_ascii_case(o)))
        .collect();
    assert_eq!(order, own, "{request:?}");
}

#[tokio::test]
async fn an_errors_body_decodes_with_status_kind_and_request_id() {
    let run = run(RetryPolicy::safe(), |_| {
        Fault::json(
            422,
            &json!({"errors": [{
                "code": "10015",
                "title": "Invalid destination number",
                "detail": "bad to",
                "source": {"pointer": "/to"},
                "meta": {"url": "https://example.com/e"}
            }]}),
        )
        .header("x-request-id", "req-123")
    })
    .await;
    run.saw("422 with the API's error body", 1, ms(1000));
    let api = run.api_error();
    assert_eq!(api.status, 422);
    assert_eq!(api.kind(), ApiErrorKind::Unprocessable);
    assert_eq!(api.request_id.as_deref(), Some("req-123"));
    assert_eq!(api.errors[0].code, "10015");
    assert_eq!(api.body_excerpt, None);
    assert!(!run.error().is_retryable());
    assert!(!run.error().may_have_been_sent());
    assert_eq!(
        run.error().to_string(),
        "the API answered HTTP 422 (unprocessable): 10015 Invalid destination number (bad to) at /to [request id req-123]"
    );
}

#[tokio::test]
async fn a_redirect_is_not_followed() {
    // Following it would hand the bearer token to another host.
    let elsewhere = FaultServer::start(|_, _| ok("stolen"))
        .await
        .expect("the fault server starts");
    let location = format!("{}/steal", elsewhere.base_url());
    let run = run(RetryPolicy::may_duplicate(), move |_| Fault::Respond {
        status: 307,
        headers: vec![("Location".to_owned(), location.clone())],
        body: Vec::new(),
    })
    .await;
    run.saw("307 to another host", 1, ms(1000));
    assert_eq!(run.api_error().status, 307);
    assert_eq!(elsewhere.connections(), 0, "the other host was contacted");
}

// ---------------------------------------------------------------------------------------
// 5xx: the API may have processed the request, so the default policy never resends it.

#[tokio::test]
async fn http_500_is_sent_once_by_default() {
    let run = run(RetryPolicy::safe(), |_| {
        api_error(500, "10007", "Unexpected error")
    })
    .await;
    run.saw("500, default policy", 1, ms(1000));
    let api = run.api_error();
    assert_eq!(api.status, 500);
    assert_eq!(api.kind(), ApiErrorKind::ServerError);
    assert_eq!(api.errors[0].code, "10007");
    assert_may_have_been_sent(run.error(), true);
}

#[tokio::test]
async fn http_500_is_retried_under_the_opt_in_policy() {
    let run = run(RetryPolicy::may_duplicate(), |n| {
        if n < 2 {
            api_error(500, "10007", "Unexpected error")
        } else {
            ok("after-two-500s")
        }
    })
    .await;
    run.saw("500, 500, 200, opt-in policy", 3, ms(2000));
    assert_eq!(run.response().attempts, 3);
    assert_eq!(run.response().data.id.as_deref(), Some("after-two-500s"));
}

#[tokio::test]
async fn http_502_html_page_is_sent_once_and_kept_as_an_excerpt() {
    let page = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>";
    let run = run(RetryPolicy::safe(), move |_| html(502, page)).await;
    run.saw("502 HTML page, default policy", 1, ms(1000));
    let api = run.api_error();
    assert_eq!(api.status, 502);
    assert!(api.errors.is_empty());
    assert_eq!(api.body_excerpt.as_deref(), Some(page));
    assert_may_have_been_sent(run.error(), true);
    assert!(!run.error().to_string().contains('\n'));
}

#[tokio::test]
async fn http_503_with_retry_after_is_not_retried_by_default_but_reported() {
    let run = run(RetryPolicy::safe(), |_| {
        api_error(503, "10011", "Service unavailable").header("Retry-After", "1")
    })
    .await;
    // No wait: the default policy does not resend, it hands the wait to the caller.
    run.saw("503 + Retry-After: 1, default policy", 1, ms(900));
    assert_eq!(run.error().retry_after(), Some(Duration::from_secs(1)));
    assert_may_have_been_sent(run.error(), true);
}

#[tokio::test]
async fn http_503_with_retry_after_is_waited_for_under_the_opt_in_policy() {
    let run = run(
        RetryPolicy::may_duplicate(),
        first_then_ok(api_error(503, "10011", "Service unavailable").header("Retry-After", "1")),
    )
    .await;
    run.saw("503 + Retry-After: 1, then 200, opt-in policy", 2, ms(3000));
    run.waited(Duration::from_secs(1));
    assert_eq!(run.response().attempts, 2);
}

// ---------------------------------------------------------------------------------------
// 429: the API refused the request, so resending it is safe.

#[tokio::test]
async fn http_429_with_retry_after_is_waited_for_and_retried() {
    let run = run(
        RetryPolicy::safe(),
        first_then_ok(api_error(429, "10012", "Too many requests").header("Retry-After", "1")),
    )
    .await;
    run.saw("429 + Retry-After: 1, then 200", 2, ms(3000));
    run.waited(Duration::from_secs(1));
    assert_eq!(run.response().attempts, 2);
}

#[tokio::test]
async fn http_429_with_retry_after_ms_is_waited_for_and_retried() {
    let run = run(
        RetryPolicy::safe(),
        first_then_ok(api_error(429, "10012", "Too many requests").header("retry-after-ms", "300")),
    )
    .await;
    run.saw("429 + retry-after-ms: 300, then 200", 2, ms(1500));
    run.waited(ms(300));
}

#[tokio::test]
async fn http_429_every_time_ends_after_the_attempt_limit() {
    let run = run(RetryPolicy::safe().max_attempts(3), |_| {
        api_error(429, "10012", "Too many requests")
    })
    .await;
    run.saw("429 every time, 3 attempts", 3, ms(1500));
    assert_eq!(run.api_error().kind(), ApiErrorKind::RateLimited);
    assert_not_sent(run.error());
}

#[tokio::test]
async fn http_429_asking_for_more_than_the_cap_is_returned_at_once() {
    let run = run(RetryPolicy::safe(), |_| {
        api_error(429, "10012", "Too many requests").header("Retry-After", "120")
    })
    .await;
    run.saw("429 + Retry-After: 120 (over the 30 s cap)", 1, ms(900));
    assert_eq!(run.error().retry_after(), Some(Duration::from_secs(120)));
    assert!(run.error().to_string().contains("retry after 120s"));
}

// ---------------------------------------------------------------------------------------
// Connections.

#[tokio::test]
async fn connection_refused_is_retried_and_reported_as_not_sent() {
    let base_url = refused_base_url().await.expect("a free port");
    let (capture, _guard) = Capture::install();
    let client = client(&base_url, RetryPolicy::safe().max_attempts(3));
    let started = Instant::now();
    let result = client.send_message(&message_request()).await;
    let elapsed = started.elapsed();
    let attempts = capture.spans("telnyx_messaging.request").len();
    eprintln!("fault case: connection refused: {attempts} attempt(s), {elapsed:?}");
    let error = result.expect_err("nothing listens");
    assert!(
        matches!(
            error,
            Error::Connection {
                may_have_been_sent: false,
                ..
            }
        ),
        "{error:?}"
    );
    assert_not_sent(&error);
    assert_eq!(attempts, 3, "attempts made");
    assert!(elapsed < ms(1500), "took {elapsed:?}");
    assert!(
        error
            .to_string()
            .starts_with("could not connect; the request was not sent: "),
        "{error}"
    );
}

#[tokio::test]
async fn connection_refused_until_the_server_starts_succeeds_with_one_request() {
    let base_url = refused_base_url().await.expect("a free port");
    let address = base_url.trim_start_matches("http://").to_owned();
    let server = tokio::spawn(async move {
        tokio::time::sleep(ms(300)).await;
        FaultServer::start_on(&address, |_, _| ok("once-up")).await
    });
    let client = Client::builder(KEY)
        .base_url(&base_url)
        .retry_policy(
            RetryPolicy::safe()
                .max_attempts(30)
                .backoff(ms(50), ms(100)),
        )
        .build()
        .expect("the test client builds");
    let started = Instant::now();
    let result = client.send_message_with_response(&message_request()).await;
    let elapsed = started.elapsed();
    let server = server
        .await
        .expect("the server task ran")
        .expect("the server starts on the refused port");
    let response = result.expect("sent once the server is up");
    eprintln!(
        "fault case: refused, then up: {} request(s) after {} attempt(s), {elapsed:?}",
        server.requests(),
        response.attempts
    );
    assert!(response.attempts > 1, "the first attempts were refused");
    assert_eq!(server.requests(), 1);
    assert!(elapsed < ms(3000), "took {elapsed:?}");
}

/// A TCP listener for `https://` URLs that does not speak TLS: on each connection it
/// writes `greeting` (nothing when empty, so the handshake hangs) and keeps the socket
/// open. Returns the base URL and the count of accepted connections.
async fn not_tls(
    greeting: &'static [u8],
) -> (String, Arc<AtomicUsize>, tokio::task::JoinHandle<()>) {
    use tokio::io::AsyncWriteExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port");
    let base_url = format!("https://{}", listener.local_addr().expect("bound"));
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&accepted);
    let task = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((mut socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            if !greeting.is_empty() {
                let _ = socket.write_all(greeting).await;
                let _ = socket.shutdown().await;
            }
            open.push(socket);
        }
    });
    (base_url, accepted, task)
}

/// Sends one message with `options` through a client that `configure` sets up, to a
/// server whose TLS handshake never completes. Returns the error, the connections the
/// server accepted and the time taken.
async fn against_hung_tls(
    configure: impl FnOnce(ClientBuilder) -> ClientBuilder,
    options: RequestOptions,
) -> (Error, usize, Duration) {
    let (base_url, accepted, server) = not_tls(b"").await;
    let client = configure(Client::builder(KEY).base_url(&base_url))
        .build()
        .expect("the test client builds");
    let started = Instant::now();
    let error = client
        .with_options(options)
        .send_message(&message_request())
        .await
        .expect_err("no TLS server");
    let elapsed = started.elapsed();
    server.abort();
    (error, accepted.load(Ordering::SeqCst), elapsed)
}

/// Asserts that `error` is the connect limit of `after` running out.
fn assert_connect_timeout(error: &Error, limit_length: Duration) {
    match error {
        Error::Timeout {
            limit: TimeoutLimit::Connect,
            after,
            ..
        } => assert_eq!(*after, limit_length),
        other => panic!("expected a connect timeout, got {other:?}"),
    }
    assert_not_sent(error);
}

#[tokio::test]
async fn a_tls_handshake_that_never_completes_is_a_connect_timeout_and_retried() {
    let (error, connections, elapsed) = against_hung_tls(
        |builder| {
            builder
                .connect_timeout(ms(200))
                .retry_policy(fast(RetryPolicy::safe().max_attempts(3)))
        },
        RequestOptions::new(),
    )
    .await;
    eprintln!(
        "fault case: TLS handshake never answered: {connections} connection(s), 0 requests, {elapsed:?}; error: {error}"
    );
    assert_connect_timeout(&error, ms(200));
    assert_eq!(connections, 3, "attempts made");
    assert!(elapsed < ms(1500), "took {elapsed:?}");
}

#[tokio::test]
async fn connecting_never_takes_longer_than_an_attempt() {
    // With an attempt limit shorter than the connect limit, a connection that does not
    // come up is still reported as not sent (the connect limit becomes 90% of the
    // attempt's), and so retried by the default policy.
    let (error, connections, _) = against_hung_tls(
        |builder| {
            builder
                .connect_timeout(Duration::from_secs(5))
                .attempt_timeout(Duration::from_secs(1))
                .retry_policy(fast(RetryPolicy::safe().max_attempts(2)))
        },
        RequestOptions::new(),
    )
    .await;
    assert_connect_timeout(&error, ms(900));
    assert_eq!(connections, 2, "attempts made");
}

#[tokio::test]
async fn a_proxy_is_reached_through_a_tunnel_and_never_sees_the_key() {
    let proxy = FaultServer::start(|_, _| Fault::Respond {
        status: 403,
        headers: Vec::new(),
        body: Vec::new(),
    })
    .await
    .expect("the fault server starts");
    let client = Client::builder(KEY)
        .base_url("https://api.telnyx.example/v2")
        .proxy(proxy.base_url())
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("the test client builds");
    let error = client
        .send_message(&message_request())
        .await
        .expect_err("the proxy refuses the tunnel");
    assert!(
        matches!(
            error,
            Error::Connection {
                may_have_been_sent: false,
                ..
            }
        ),
        "{error:?}"
    );
    let received = proxy.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].method, "CONNECT");
    assert_eq!(received[0].path, "api.telnyx.example:443");
    let seen = format!("{:?}", received[0]);
    assert!(!seen.contains(KEY), "the proxy saw the key: {seen}");
}

#[tokio::test]
async fn a_failed_tls_handshake_is_retried_as_not_sent() {
    let (base_url, accepted, server) = not_tls(b"HTTP/1.1 400 Bad Request\r\n\r\n").await;
    let client = client(&base_url, RetryPolicy::safe().max_attempts(3));
    let error = client
        .send_message(&message_request())
        .await
        .expect_err("no TLS server");
    server.abort();
    eprintln!(
        "fault case: TLS handshake failed: {} connection(s), 0 requests; error: {error}",
        accepted.load(Ordering::SeqCst)
    );
    assert!(
        matches!(
            error,
            Error::Connection {
                may_have_been_sent: false,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(accepted.load(Ordering::SeqCst), 3, "attempts made");
}

#[tokio::test]
async fn reset_after_the_request_was_read_is_not_retried_by_default() {
    let run = run(RetryPolicy::safe(), |_| Fault::ResetAfterRead).await;
    run.saw(
        "reset after the request was read, default policy",
        1,
        ms(1000),
    );
    assert!(
        matches!(
            run.error(),
            Error::Connection {
                may_have_been_sent: true,
                ..
            }
        ),
        "{:?}",
        run.error()
    );
    assert_may_have_been_sent(run.error(), true);
}

#[tokio::test]
async fn reset_after_the_request_was_read_is_retried_under_the_opt_in_policy() {
    let run = run(
        RetryPolicy::may_duplicate(),
        first_then_ok(Fault::ResetAfterRead),
    )
    .await;
    run.saw("reset, then 200, opt-in policy", 2, ms(1500));
    assert_eq!(run.response().attempts, 2);
}

// ---------------------------------------------------------------------------------------
// Time limits.

#[tokio::test]
async fn headers_slower_than_the_attempt_timeout_time_out_once() {
    let run = run(RetryPolicy::safe(), |_| Fault::DelayHeaders {
        delay: Duration::from_secs(5),
        status: 200,
        headers: Vec::new(),
        body: message_body("too-late").to_string().into_bytes(),
    })
    .await;
    run.saw(
        "headers slower than the timeout, default policy",
        1,
        ms(1500),
    );
    assert!(run.elapsed >= ATTEMPT_TIMEOUT, "took {:?}", run.elapsed);
    match run.error() {
        Error::Timeout {
            limit: TimeoutLimit::Attempt,
            after,
            may_have_been_sent: true,
            ..
        } => assert_eq!(*after, ATTEMPT_TIMEOUT),
        other => panic!("expected a per-attempt timeout, got {other:?}"),
    }
    assert_may_have_been_sent(run.error(), true);
}

#[tokio::test]
async fn slow_headers_are_retried_under_the_opt_in_policy() {
    let run = run(
        RetryPolicy::may_duplicate(),
        first_then_ok(Fault::DelayHeaders {
            delay: Duration::from_secs(5),
            status: 200,
            headers: Vec::new(),
            body: Vec::new(),
        }),
    )
    .await;
    run.saw("slow headers, then 200, opt-in policy", 2, ms(2000));
}

#[tokio::test]
async fn the_total_timeout_bounds_the_whole_call() {
    let total = ms(700);
    let run = run_with(
        RetryPolicy::may_duplicate().max_attempts(100),
        RequestOptions::new()
            .attempt_timeout(ms(300))
            .total_timeout(total),
        |_| Fault::DelayHeaders {
            delay: Duration::from_secs(5),
            status: 200,
            headers: Vec::new(),
            body: Vec::new(),
        },
    )
    .await;
    // 300 ms attempts and short waits: a third attempt starts only if the first two and
    // the waits took under 700 ms, and the total limit then cuts it short.
    let requests = run.server.requests();
    assert!((2..=3).contains(&requests), "{requests} requests in 700 ms");
    run.saw(
        "slow headers every time, 100 attempts allowed, 700 ms total",
        requests,
        ms(1500),
    );
    assert!(
        matches!(run.error(), Error::Timeout { .. }),
        "{:?}",
        run.error()
    );
    assert!(run.elapsed < total + ms(1500), "took {:?}", run.elapsed);
}

#[tokio::test]
async fn a_total_timeout_shorter_than_an_attempt_is_reported_as_total() {
    let run = run_with(
        RetryPolicy::may_duplicate(),
        RequestOptions::new()
            .attempt_timeout(Duration::from_secs(10))
            .total_timeout(ms(300)),
        |_| Fault::DelayHeaders {
            delay: Duration::from_secs(5),
            status: 200,
            headers: Vec::new(),
            body: Vec::new(),
        },
    )
    .await;
    run.saw("slow headers, 300 ms total, 10 s per attempt", 1, ms(1000));
    match run.error() {
        Error::Timeout {
            limit: TimeoutLimit::Total,
            after,
            ..
        } => assert_eq!(*after, ms(300)),
        other => panic!("expected the total timeout, got {other:?}"),
    }
}

#[tokio::test]
async fn a_2xx_body_that_stalls_is_not_resent_even_under_the_opt_in_policy() {
    let body = message_body("stalled").to_string().into_bytes();
    let announced_len = body.len();
    let run = run(RetryPolicy::may_duplicate(), move |_| Fault::StallBody {
        status: 200,
        body_prefix: body[..20].to_vec(),
        announced_len,
    })
    .await;
    run.saw("200 whose body stalls mid-way, opt-in policy", 1, ms(1500));
    let reason = run.decode_reason(200);
    assert!(reason.contains("stopped arriving"), "{reason}");
    // Accepted by the API: resending would duplicate it.
    assert_may_have_been_sent(run.error(), false);
}

#[tokio::test]
async fn a_5xx_body_that_stalls_is_an_api_error_with_what_arrived() {
    let run = run(RetryPolicy::safe(), |_| Fault::StallBody {
        status: 500,
        body_prefix: b"<html>Internal".to_vec(),
        announced_len: 1000,
    })
    .await;
    run.saw("500 whose body stalls mid-way, default policy", 1, ms(1500));
    assert_eq!(run.api_error().status, 500);
    assert_eq!(
        run.api_error().body_excerpt.as_deref(),
        Some("<html>Internal")
    );
}

#[tokio::test]
async fn timeouts_can_be_set_per_request() {
    let server = FaultServer::start(|_, _| Fault::DelayHeaders {
        delay: ms(600),
        status: 200,
        headers: Vec::new(),
        body: message_body("slow").to_string().into_bytes(),
    })
    .await
    .expect("the fault server starts");
    // The client's limit lets the slow answer through ...
    let client = Client::builder(KEY)
        .base_url(server.base_url())
        .attempt_timeout(Duration::from_secs(5))
        .build()
        .expect("the test client builds");
    let message = client.send_message(&message_request()).await;
    assert_eq!(
        message.expect("slow but in time").id.as_deref(),
        Some("slow")
    );
    // ... one request's shorter limit does not.
    let started = Instant::now();
    let error = client
        .with_options(RequestOptions::new().attempt_timeout(ms(200)))
        .send_message(&message_request())
        .await
        .expect_err("over the per-request limit");
    assert!(
        matches!(error, Error::Timeout { limit: TimeoutLimit::Attempt, after, .. } if after == ms(200)),
        "{error:?}"
    );
    assert!(started.elapsed() < ms(550), "took {:?}", started.elapsed());
    assert_eq!(server.requests(), 2);
}

// ---------------------------------------------------------------------------------------
// Bodies.

#[tokio::test]
async fn truncated_json_on_a_2xx_is_a_decode_error_and_not_resent() {
    let body = message_body("cut").to_string().into_bytes();
    let announced_len = body.len();
    let run = run(RetryPolicy::may_duplicate(), move |_| Fault::Truncate {
        status: 200,
        body: body[..body.len() / 2].to_vec(),
        announced_len,
    })
    .await;
    run.saw(
        "200 with truncated JSON (connection closed early), opt-in policy",
        1,
        ms(1000),
    );
    let reason = run.decode_reason(200);
    assert!(reason.contains("cut short"), "{reason}");
    assert_may_have_been_sent(run.error(), false);
}

#[tokio::test]
async fn incomplete_json_of_full_length_is_a_decode_error() {
    let run = run(RetryPolicy::may_duplicate(), |_| Fault::Respond {
        status: 200,
        headers: Vec::new(),
        body: br#"{"data": {"id": "x", "parts": "#.to_vec(),
    })
    .await;
    run.saw(
        "200 with an incomplete JSON document, opt-in policy",
        1,
        ms(1000),
    );
    match run.error() {
        Error::Decode {
            status, excerpt, ..
        } => {
            assert_eq!(*status, 200);
            assert_eq!(excerpt, r#"{"data": {"id": "x", "parts": "#);
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn an_html_page_with_200_is_a_decode_error() {
    let run = run(RetryPolicy::safe(), |_| {
        html(200, "<html><body>Sign in to the Wi-Fi</body></html>")
    })
    .await;
    run.saw("200 with an HTML page, default policy", 1, ms(1000));
    assert!(
        matches!(run.error(), Error::Decode { status: 200, .. }),
        "{:?}",
        run.error()
    );
}

#[tokio::test]
async fn empty_bodies() {
    let empty = |status| Fault::Respond {
        status,
        headers: Vec::new(),
        body: Vec::new(),
    };
    let run_200 = run(RetryPolicy::safe(), move |_| empty(200)).await;
    run_200.saw("200 with an empty body", 1, ms(1000));
    assert!(matches!(run_200.error(), Error::Decode { status: 200, .. }));

    let run_500 = run(RetryPolicy::safe(), move |_| empty(500)).await;
    run_500.saw("500 with an empty body, default policy", 1, ms(1000));
    assert_eq!(run_500.api_error().body_excerpt.as_deref(), Some(""));

    let run_429 = run(RetryPolicy::safe(), first_then_ok(empty(429))).await;
    run_429.saw("429 with an empty body, then 200", 2, ms(1000));
}

#[tokio::test]
async fn oversized_bodies_are_refused_without_reading_them_whole() {
    // 8 GiB: reading it all would take far longer than the time bounds.
    let len = 8 << 30;
    let chunked = run(RetryPolicy::may_duplicate(), move |_| Fault::Oversized {
        status: 200,
        len,
    })
    .await;
    chunked.saw("200 with an 8 GiB chunked body, opt-in policy", 1, ms(2000));
    let reason = chunked.decode_reason(200);
    assert!(reason.contains("larger than"), "{reason}");

    // An announced length is refused before the rest arrives: the server sends 600 bytes
    // and then nothing, so waiting for more would run into the attempt timeout.
    let announced = run(RetryPolicy::safe(), move |_| Fault::StallBody {
        status: 200,
        body_prefix: vec![b'x'; 600],
        announced_len: len,
    })
    .await;
    announced.saw("200 announcing an 8 GiB body", 1, ATTEMPT_TIMEOUT / 2);
    let reason = announced.decode_reason(200);
    assert!(reason.contains("larger than"), "{reason}");

    let announced_error = run(RetryPolicy::safe(), move |_| Fault::StallBody {
        status: 500,
        body_prefix: vec![b'x'; 600],
        announced_len: len,
    })
    .await;
    announced_error.saw(
        "500 announcing an 8 GiB body, default policy",
        1,
        ATTEMPT_TIMEOUT / 2,
    );
    assert_eq!(
        announced_error.api_error().body_excerpt,
        Some(format!("{}…", "x".repeat(512)))
    );

    let error_page = run(RetryPolicy::safe(), move |_| Fault::Oversized {
        status: 500,
        len,
    })
    .await;
    error_page.saw(
        "500 with an 8 GiB chunked body, default policy",
        1,
        ms(2000),
    );
    let excerpt = error_page
        .api_error()
        .body_excerpt
        .as_deref()
        .unwrap_or_default();
    assert_eq!(excerpt, format!("{}…", "x".repeat(512)));
}

// ---------------------------------------------------------------------------------------
// Policies across attempts, and per request.

#[tokio::test]
async fn an_error_after_a_maybe_sent_attempt_says_it_may_have_been_sent() {
    let run = run(RetryPolicy::may_duplicate().max_attempts(2), |n| {
        if n == 0 {
            api_error(500, "10007", "Unexpected error")
        } else {
            api_error(429, "10012", "Too many requests")
        }
    })
    .await;
    run.saw("500, then 429, opt-in policy, 2 attempts", 2, ms(1000));
    assert_eq!(run.api_error().status, 429);
    // A 429 alone proves nothing was sent; the 500 before it does not.
    assert!(run.error().may_have_been_sent());
}

#[tokio::test]
async fn the_policy_can_be_overridden_per_request() {
    let opt_in = run_with(
        RetryPolicy::safe(),
        RequestOptions::new().retry_policy(fast(RetryPolicy::may_duplicate())),
        first_then_ok(api_error(502, "10007", "Bad gateway")),
    )
    .await;
    opt_in.saw(
        "502, then 200; safe client, opt-in for the request",
        2,
        ms(1000),
    );

    let never = run_with(
        RetryPolicy::may_duplicate(),
        RequestOptions::new().retry_policy(RetryPolicy::none()),
        first_then_ok(api_error(429, "10012", "Too many requests")),
    )
    .await;
    never.saw(
        "429; opt-in client, no retries for the request",
        1,
        ms(1000),
    );
}

#[tokio::test]
async fn a_request_that_breaks_a_rule_never_reaches_the_server() {
    let server = FaultServer::start(|_, _| ok("unused"))
        .await
        .expect("the fault server starts");
    let client = client(&server.base_url(), RetryPolicy::may_duplicate());
    let request = CreateMessageRequest::builder()
        .to("not a number")
        .from("+18445550001")
        .text("x")
        .build();
    match client.send_message(&request).await {
        Err(Error::Validation(error)) => {
            assert_eq!(error.field, "to");
            assert!(matches!(error.rule, Rule::Pattern(_)));
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert_eq!(server.connections(), 0);
    assert_eq!(server.requests(), 0);
}

// ---------------------------------------------------------------------------------------
// Load.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_sends_share_a_bounded_pool() {
    const SENDS: usize = 1000;
    let server = FaultServer::start(|_, request: &Request| {
        let text = request
            .json()
            .and_then(|body| body.get("text").and_then(Value::as_str).map(str::to_owned))
            .unwrap_or_default();
        Fault::json(
            200,
            &json!({"data": {"id": format!("id-{text}"), "text": text}}),
        )
    })
    .await
    .expect("the fault server starts");
    let client = Client::builder(KEY)
        .base_url(server.base_url())
        .build()
        .expect("the test client builds");
    let started = Instant::now();
    let mut sends = tokio::task::JoinSet::new();
    for i in 0..SENDS {
        let client = client.clone();
        sends.spawn(async move {
            let request = CreateMessageRequest::builder()
                .to("+18665550001")
                .from("+18445550001")
                .text(format!("load-{i}"))
                .build();
            (i, client.send_message(&request).await)
        });
    }
    let mut answered = BTreeSet::new();
    while let Some(joined) = sends.join_next().await {
        let (i, result) = joined.expect("the send task ran");
        let message = result.unwrap_or_else(|error| panic!("send {i} failed: {error}"));
        assert_eq!(
            message.id,
            Some(format!("id-load-{i}")),
            "send {i} got another's answer"
        );
        answered.insert(i);
    }
    let elapsed = started.elapsed();
    let received = server.received();
    let texts: BTreeSet<String> = received
        .iter()
        .filter_map(|request| request.json()?.get("text")?.as_str().map(str::to_owned))
        .collect();
    eprintln!(
        "load: {SENDS} sends in {elapsed:?}; server saw {} requests over {} connections, at most {} open at once",
        received.len(),
        server.connections(),
        server.max_open_connections()
    );
    assert_eq!(answered.len(), SENDS, "every send answered");
    assert_eq!(received.len(), SENDS, "each message sent exactly once");
    assert_eq!(texts.len(), SENDS, "every distinct message seen");
    // At most the limit in flight, plus connections on their way back to the pool, which
    // keeps at most the limit idle.
    assert!(
        server.max_open_connections() <= 2 * DEFAULT_MAX_CONCURRENT_REQUESTS,
        "{} connections open at once",
        server.max_open_connections()
    );
    assert!(
        server.connections() <= 2 * DEFAULT_MAX_CONCURRENT_REQUESTS,
        "{} connections for {SENDS} sends: the pool is not reused",
        server.connections()
    );
}

// ---------------------------------------------------------------------------------------
// Observability and secrets.

#[tokio::test]
async fn each_attempt_is_a_span_with_operation_attempt_status_and_request_id() {
    let (capture, _guard) = Capture::install();
    let run = run(RetryPolicy::safe(), |n| {
        if n == 0 {
            api_error(429, "10012", "Too many requests")
                .header("retry-after-ms", "10")
                .header("x-request-id", "req-first")
        } else {
            ok("traced").header("x-request-id", "req-second")
        }
    })
    .await;
    run.saw("429, then 200, traced", 2, ms(1000));
    let response = run.response();
    assert_eq!(response.status, 200);
    assert_eq!(response.request_id(), Some("req-second"));
    assert_eq!(
        response
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    let spans = capture.spans("telnyx_messaging.request");
    assert_eq!(spans.len(), 2, "{spans:?}");
    for (span, (attempt, status, request_id)) in spans
        .iter()
        .zip([("1", "429", "req-first"), ("2", "200", "req-second")])
    {
        assert_eq!(span.field("operation"), Some("SendMessage"));
        assert_eq!(span.field("method"), Some("POST"));
        assert_eq!(span.field("path"), Some("/messages"));
        assert_eq!(span.field("attempt"), Some(attempt));
        assert_eq!(span.field("status"), Some(status));
        assert_eq!(span.field("request_id"), Some(request_id));
    }
    assert!(
        capture
            .events()
            .iter()
            .any(|event| event.contains("retrying")),
        "{:#?}",
        capture.events()
    );
}

/// `text` as a JSON string literal with every character `\u`-escaped: how a server that
/// re-encodes what it echoes could send the key.
fn json_escaped(text: &str) -> String {
    text.chars()
        .map(|c| format!("\\u{:04x}", u32::from(c)))
        .collect()
}

#[tokio::test]
async fn echoes_of_the_key_in_any_form_never_reach_output() {
    let start = &KEY[..10];
    let escaped = json_escaped(KEY);
    let half_escaped = format!("{}{}", &KEY[..4], json_escaped(&KEY[4..]));
    let echoing: Vec<Fault> = vec![
        // JSON-escaped in an error's detail, and in a free-form `meta`.
        Fault::Respond {
            status: 400,
            headers: vec![("Content-Type".to_owned(), "application/json".to_owned())],
            body: format!(
                r#"{{"errors":[{{"code":"1","title":"t","detail":"Bearer {escaped}","meta":{{"auth":"{half_escaped}"}}}}]}}"#
            )
            .into_bytes(),
        },
        // A start of the key in the middle of a text, and as a request id.
        api_error(422, "10001", &format!("key {start}… (truncated) was refused"))
            .header("x-request-id", &format!("{start}-trace")),
        // Not JSON: an excerpt of a page with an escaped echo.
        html(502, &format!(r#"<pre>{{"auth":"Bearer {escaped}"}}</pre>"#)),
    ];
    for fault in echoing {
        let run = run(RetryPolicy::none(), move |_| fault.clone()).await;
        let error = run.error();
        let Error::Api(api) = error else {
            panic!("{error:?}")
        };
        let body: serde_json::Value = api.decode_body().unwrap_or(Value::Null);
        for text in [
            format!("{error}"),
            format!("{error:?}"),
            format!("{:?}", api.errors),
            error.request_id().unwrap_or_default().to_owned(),
            body.to_string(),
        ] {
            assert!(!text.contains(start), "a start of the key is left: {text}");
            assert!(
                !text.contains(r"\u004b\u0045"),
                "an escaped key is left: {text}"
            );
        }
        // What was kept shows where the echo was.
        let kept = format!("{:?} {:?}", api.errors, api.body_excerpt);
        assert!(kept.contains("<redacted>"), "{kept}");
        assert!(!kept.contains(start), "{kept}");
    }
    // A successful answer whose headers echo the key.
    let server = FaultServer::start(move |_, _: &Request| {
        ok("echoing-headers")
            .header("x-request-id", &format!("req {KEY}"))
            .header("x-debug", &format!("Authorization: Bearer {KEY}"))
    })
    .await
    .expect("server");
    let response = client(&server.base_url(), RetryPolicy::none())
        .send_message_with_response(&message_request())
        .await
        .expect("accepted");
    for text in [
        format!("{response:?}"),
        response.request_id().unwrap_or_default().to_owned(),
        format!("{:?}", response.headers),
    ] {
        assert!(!text.contains(start), "the key is left: {text}");
    }
    assert_eq!(response.request_id(), Some("<redacted>"));
}

#[tokio::test]
async fn the_api_key_never_appears_in_output() {
    record_log();
    let (capture, _guard) = Capture::install();
    /// An error's display and debug texts, and those of its sources.
    fn texts(error: &Error) -> Vec<String> {
        let mut texts = vec![format!("{error}"), format!("{error:?}")];
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            texts.push(format!("{cause} / {cause:?}"));
            source = cause.source();
        }
        texts
    }
    let mut output = Vec::new();
    // Servers that echo the key back: in an error body, a proxy's page, a header, and the
    // body of an accepted message.
    let echo = format!("Bearer {KEY}");
    let echoing: Vec<Fault> = vec![
        api_error(400, "10001", &format!("got authorization: {echo}")),
        html(
            502,
            &format!("<html><pre>Authorization: {echo}</pre></html>"),
        ),
        api_error(500, "10007", "echo").header("x-request-id", &format!("id {echo}")),
        html(200, &format!("<p>{echo}</p>")),
        // serde's own message would quote this string.
        Fault::json(200, &json!({ "data": format!("Authorization: {echo}") })),
        // Cut short in the middle of the key.
        Fault::Truncate {
            status: 200,
            body: format!(r#"{{"data": "{}"#, &echo[..echo.len() - 4]).into_bytes(),
            announced_len: 200,
        },
    ];
    for fault in echoing {
        let run = run(RetryPolicy::safe(), move |_| fault.clone()).await;
        let error = run.error();
        let kept = match error {
            Error::Decode { excerpt, .. } => excerpt.clone(),
            // The excerpt is kept in its field (`Debug` shows only its size).
            Error::Api(api) => format!("{api:?} {:?}", api.body_excerpt),
            other => format!("{other:?}"),
        };
        assert!(
            kept.contains("<redacted>"),
            "the echo vanished whole: {kept}"
        );
        assert!(
            !kept.contains("KEY01SEC"),
            "a start of the key is left: {kept}"
        );
        output.extend(texts(error));
        output.push(kept);
    }
    // An API error, a timeout, a reset, a decode error and a refused connection.
    let faults: Vec<fn(usize) -> Fault> = vec![
        |_| api_error(401, "10009", "Authentication failed"),
        |_| Fault::DelayHeaders {
            delay: Duration::from_secs(5),
            status: 200,
            headers: Vec::new(),
            body: Vec::new(),
        },
        |_| Fault::ResetAfterRead,
        |_| html(200, "<html></html>"),
    ];
    let mut authorizations = Vec::new();
    for fault in faults {
        let run = run(RetryPolicy::may_duplicate().max_attempts(2), fault).await;
        output.extend(texts(run.error()));
        authorizations.extend(
            run.server
                .received()
                .iter()
                .filter_map(|r| r.header("authorization").map(str::to_owned)),
        );
    }
    let refused = client(
        &refused_base_url().await.expect("a free port"),
        RetryPolicy::safe(),
    );
    output.extend(texts(
        &refused
            .send_message(&message_request())
            .await
            .expect_err("refused"),
    ));
    output.push(format!("{refused:?}"));
    output.push(format!("{:?}", Client::builder(KEY)));
    output.push(capture.text());
    let log = log_lines().join("\n");
    output.push(log.clone());

    // Positive controls: the key was sent, where it belongs, and the `log` recorder saw
    // the HTTP stack at work.
    assert!(!authorizations.is_empty());
    assert!(log.contains("starting new connection"), "{log}");
    assert!(authorizations.iter().all(|a| *a == format!("Bearer {KEY}")));
    assert!(
        capture.text().contains("telnyx_messaging.request"),
        "nothing was logged"
    );
    for text in &output {
        assert!(!text.contains(KEY), "the key leaked into: {text}");
        assert!(
            !text.contains("SECRETfaults"),
            "part of the key leaked into: {text}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Settings at their extremes.

#[tokio::test]
async fn extreme_settings_neither_panic_nor_hang() {
    // A hang would otherwise stall the whole run.
    tokio::time::timeout(Duration::from_secs(20), extreme_settings())
        .await
        .expect("the calls ended");
}

async fn extreme_settings() {
    let server = FaultServer::start(|n, _| {
        if n == 0 {
            // A wait far beyond any cap.
            api_error(429, "10012", "Too many requests")
                .header("Retry-After", &u64::MAX.to_string())
        } else {
            ok("extreme")
        }
    })
    .await
    .expect("the fault server starts");
    let huge = Client::builder(KEY)
        .base_url(server.base_url())
        .max_concurrent_requests(usize::MAX)
        .connect_timeout(Duration::MAX)
        .attempt_timeout(Duration::MAX)
        .total_timeout(Duration::MAX)
        .retry_policy(
            RetryPolicy::may_duplicate()
                .max_attempts(u32::MAX)
                .backoff(Duration::MAX, Duration::MAX)
                .max_retry_after(Duration::MAX),
        )
        .build()
        .expect("the test client builds");
    // The 429 asks for a wait no deadline can hold: the call ends at once with it.
    let error = huge
        .send_message(&message_request())
        .await
        .expect_err("the wait asked for is too long");
    assert_eq!(error.status(), Some(429));
    let message = huge.send_message(&message_request()).await;
    assert_eq!(message.expect("sent").id.as_deref(), Some("extreme"));

    // Zero limits are refused, on the client and per request; the rest is clamped.
    let zero = Client::builder(KEY)
        .base_url(server.base_url())
        .max_concurrent_requests(0)
        .retry_policy(
            RetryPolicy::safe()
                .max_attempts(0)
                .backoff(Duration::ZERO, Duration::ZERO),
        );
    for limit in ["connect", "attempt", "total"] {
        let builder = match limit {
            "connect" => zero.clone().connect_timeout(Duration::ZERO),
            "attempt" => zero.clone().attempt_timeout(Duration::ZERO),
            _ => zero.clone().total_timeout(Duration::ZERO),
        };
        match builder.build() {
            Err(Error::Config(text)) => assert!(text.contains(limit), "{text}"),
            other => panic!("expected a refusal of the zero {limit} timeout, got {other:?}"),
        }
    }
    let zero = zero.build().expect("the test client builds");
    let error = zero
        .with_options(RequestOptions::new().total_timeout(Duration::ZERO))
        .send_message(&message_request())
        .await
        .expect_err("no time at all");
    assert!(matches!(error, Error::Config(_)), "{error:?}");
    let message = zero.send_message(&message_request()).await;
    assert_eq!(message.expect("sent").id.as_deref(), Some("extreme"));
    assert_eq!(server.requests(), 3, "the refused call sent nothing");
}

#[test]
fn proxy_environment_variables_are_ignored() {
    // Run one case in a child process that alone sees the variables: setting them here
    // would change every test of this binary. Port 9 on loopback has nothing listening.
    let proxy = "http://127.0.0.1:9";
    let mut child = std::process::Command::new(std::env::current_exe().expect("the test binary"));
    child.args(["--exact", "the_request_carries_bearer_auth_and_json"]);
    for name in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        child.env(name, proxy);
    }
    let output = child.output().expect("the child runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("1 passed"), "{stdout}");
}

// ---------------------------------------------------------------------------------------
// Retries by what the operation is: a lookup or a cancel can be repeated without harm.

const MESSAGE_ID: &str = "40385f64-5717-4562-b3fc-2c963f66afa6";

/// A server whose first `failures` requests get `fault`, and every later one a 200
/// with a message (wrapped in `data` for a lookup, bare for a cancel: the spec's shapes).
async fn failing_then_ok(failures: usize, fault: Fault) -> FaultServer {
    FaultServer::start(move |n, request: &Request| {
        if n < failures {
            return fault.clone();
        }
        let message = message_body("after")["data"].clone();
        if request.method == "DELETE" {
            Fault::json(200, &message)
        } else {
            Fault::json(200, &json!({ "data": message }))
        }
    })
    .await
    .expect("server")
}

#[tokio::test]
async fn a_lookup_is_retried_on_5xx_timeouts_and_broken_connections_a_send_is_not() {
    for (name, fault) in [
        ("500", api_error(500, "10007", "unexpected")),
        ("reset", Fault::ResetAfterRead),
        (
            "timeout",
            Fault::DelayHeaders {
                delay: Duration::from_secs(5),
                status: 200,
                headers: Vec::new(),
                body: Vec::new(),
            },
        ),
    ] {
        // GET: retried under the default policy until it succeeds.
        let server = failing_then_ok(2, fault.clone()).await;
        let api = client(&server.base_url(), RetryPolicy::safe());
        let record = api.get_message(MESSAGE_ID).await;
        assert!(record.is_ok(), "{name}: {record:?}");
        assert_eq!(server.requests(), 3, "{name}: a lookup is tried again");
        // DELETE: a cancel likewise.
        let server = failing_then_ok(1, fault.clone()).await;
        let api = client(&server.base_url(), RetryPolicy::safe());
        let cancelled = api.cancel_message(MESSAGE_ID).await;
        assert!(cancelled.is_ok(), "{name}: {cancelled:?}");
        assert_eq!(server.requests(), 2, "{name}: a cancel is tried again");
        // POST: still sent once.
        let server = failing_then_ok(1, fault).await;
        let api = client(&server.base_url(), RetryPolicy::safe());
        let error = api
            .send_message(&message_request())
            .await
            .expect_err("not retried");
        assert!(error.may_have_been_sent(), "{name}: {error}");
        assert!(
            error.to_string().contains("may have been processed") || error.status() == Some(500),
            "{name}: {error}"
        );
        assert_eq!(server.requests(), 1, "{name}: a send is never sent twice");
        println!("fault case: {name}: GET 3 requests, DELETE 2, POST 1");
    }
}

/// The same rule for every operation of the spec, from the model: an operation the spec
/// makes repeatable (its method, or `x-idempotent`) is tried again after a 500 and
/// succeeds; any other is sent once and reports that it may have been processed.
#[tokio::test]
async fn every_operation_of_the_spec_is_retried_on_500_only_if_repeatable() {
    use telnyx_messaging_tests::{dispatch, spec_cases};
    let api = spec_cases::api();
    let mut repeatable = 0;
    for op in &api.operations {
        let input = spec_cases::valid_input(&api, op).unwrap_or_else(|e| panic!("{e}"));
        let server = failing_then_ok(1, api_error(500, "10007", "unexpected")).await;
        let client = client(&server.base_url(), RetryPolicy::safe());
        let answer = dispatch::call(&client, &op.method_name, &input.params, input.body.as_ref())
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", op.method_name));
        if op.repeatable {
            repeatable += 1;
            assert!(answer.is_ok(), "{}: {answer:?}", op.method_name);
            assert_eq!(server.requests(), 2, "{}: tried again", op.method_name);
        } else {
            let error = answer.expect_err("not tried again");
            assert!(error.may_have_been_sent(), "{}: {error}", op.method_name);
            assert_eq!(server.requests(), 1, "{}: sent once", op.method_name);
        }
    }
    assert!(repeatable >= 2 && repeatable < api.operations.len());
}

#[tokio::test]
async fn rate_limits_are_visible_and_a_429_waits_for_the_reset() {
    let server = FaultServer::start(|n, _: &Request| {
        let fault = if n == 0 {
            api_error(429, "10011", "Too many requests")
        } else {
            ok("after-the-limit")
        };
        fault
            .header("x-ratelimit-limit", "100")
            .header("x-ratelimit-remaining", if n == 0 { "0" } else { "99" })
            .header("x-ratelimit-reset", "1")
    })
    .await
    .expect("server");
    let started = Instant::now();
    let response = client(&server.base_url(), RetryPolicy::safe())
        .send_message_with_response(&message_request())
        .await
        .expect("sent after the reset");
    // No `Retry-After`: the client waited for `x-ratelimit-reset` (1 s) before retrying.
    assert!(started.elapsed() >= ms(1000), "{:?}", started.elapsed());
    assert_eq!(server.requests(), 2);
    let limit = response.rate_limit().expect("reported");
    assert_eq!((limit.limit, limit.remaining), (Some(100), Some(99)));
    // And on the error of the refused attempt.
    let server = FaultServer::start(|_, _: &Request| {
        api_error(429, "10011", "Too many requests")
            .header("x-ratelimit-remaining", "0")
            .header("x-ratelimit-reset", "120")
    })
    .await
    .expect("server");
    let error = client(&server.base_url(), RetryPolicy::safe())
        .send_message(&message_request())
        .await
        .expect_err("over the cap");
    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    // Two minutes is over the 30 s cap: no retry, and the wait is reported.
    assert_eq!(server.requests(), 1);
    assert_eq!(api.retry_after, Some(Duration::from_secs(120)));
    assert_eq!(api.rate_limit.and_then(|l| l.remaining), Some(0));
}

#[tokio::test]
async fn a_cancel_whose_answer_was_lost_is_repeated_and_may_then_answer_404() {
    // The first DELETE cancels the message but its answer is lost (the connection
    // resets); the repeat finds nothing left to cancel. The docs of `cancel_message` say
    // to look the message up then.
    let server = FaultServer::start(|n, _: &Request| {
        if n == 0 {
            Fault::ResetAfterRead
        } else {
            Fault::json(
                404,
                &json!({"code": "10005", "title": "Resource not found"}),
            )
        }
    })
    .await
    .expect("server");
    let error = client(&server.base_url(), RetryPolicy::safe())
        .cancel_message(MESSAGE_ID)
        .await
        .expect_err("404 after the repeat");
    assert_eq!(server.requests(), 2, "the cancel was repeated once");
    assert_eq!(error.status(), Some(404));
    // The first attempt may have gone through: the error says so.
    assert!(error.may_have_been_sent(), "{error}");
}
