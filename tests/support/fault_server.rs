//! An HTTP/1.1 server on loopback for fault-injection tests: the test chooses, request by
//! request, what the server does (answer, reset, stall, cut the body short, stream too
//! much), and the server counts every connection and request it receives.
//!
//! It keeps connections alive and serves several requests on each, so retries, connection
//! reuse and pool sizes can be observed.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! use telnyx_messaging_tests::fault_server::{Fault, FaultServer};
//!
//! // The first request is reset, every later one answered 200.
//! let server = FaultServer::start(|n, _request| match n {
//!     0 => Fault::ResetAfterRead,
//!     _ => Fault::json(200, &serde_json::json!({ "data": {} })),
//! })
//! .await?;
//! // ... send requests to server.base_url() ...
//! assert_eq!(server.requests(), 2);
//! # Ok(())
//! # }
//! ```
//!
//! Dropping the [`FaultServer`] aborts its accept loop and every connection task, so the
//! listening socket and any stalled connection close.

use std::fmt;
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// Largest request head (request line and headers) the server reads; a longer one is
/// answered `431` and the connection closed.
const HEAD_LIMIT: usize = 64 * 1024;

/// Size of the chunks of [`Fault::Oversized`] bodies.
const CHUNK_SIZE: usize = 16 * 1024;

/// How long a clean close waits for the client to close its side too, after the server
/// has closed its own (see [`close_gracefully`]).
const CLOSE_TIMEOUT: Duration = Duration::from_secs(5);

/// What the server does with one request, chosen per request.
#[derive(Clone, Debug)]
pub enum Fault {
    /// Answer with this status, extra headers, and body (`Content-Length` set from the
    /// body, `Connection: keep-alive`).
    ///
    /// A `Content-Length` or `Connection` header among `headers` replaces the server's
    /// own; with `Connection: close` (from either side) the server closes the connection
    /// cleanly after the answer. Answers to `HEAD`, and `1xx`/`204`/`304` answers, carry no
    /// body bytes, so that the connection stays in step for the next request.
    Respond {
        /// The status code.
        status: u16,
        /// Extra headers, written as given after the server's own.
        headers: Vec<(String, String)>,
        /// The body.
        body: Vec<u8>,
    },
    /// Read the request, then reset the connection (`SO_LINGER` 0 then drop, so the client
    /// sees a RST, not a clean close).
    ResetAfterRead,
    /// Read the request, wait this long, then answer like [`Fault::Respond`].
    DelayHeaders {
        /// How long to wait before writing anything.
        delay: Duration,
        /// The status code.
        status: u16,
        /// Extra headers, as in [`Fault::Respond`].
        headers: Vec<(String, String)>,
        /// The body.
        body: Vec<u8>,
    },
    /// Send the status line and headers announcing `announced_len` body bytes, then
    /// `body_prefix`, then stall: keep the socket open without writing, until the client
    /// closes it or the server is dropped.
    ///
    /// The server goes on reading (and discarding) while it stalls, only to notice the
    /// client closing: a client that gives up frees the connection, so
    /// [`FaultServer::max_open_connections`] is not inflated by abandoned sockets.
    StallBody {
        /// The status code.
        status: u16,
        /// The body bytes sent before the stall.
        body_prefix: Vec<u8>,
        /// The `Content-Length` announced.
        announced_len: usize,
    },
    /// Send headers announcing `announced_len` bytes, then `body` (shorter), then close the
    /// connection cleanly (FIN).
    Truncate {
        /// The status code.
        status: u16,
        /// The body bytes sent before the close.
        body: Vec<u8>,
        /// The `Content-Length` announced.
        announced_len: usize,
    },
    /// Stream a body of `len` bytes (`x`) with chunked transfer-encoding (no
    /// `Content-Length`), in 16 KiB chunks, stopping if the client goes away.
    ///
    /// A client that reads the whole body can reuse the connection.
    Oversized {
        /// The status code.
        status: u16,
        /// The body length.
        len: usize,
    },
}

impl Fault {
    /// Convenience: [`Fault::Respond`] with `Content-Type: application/json` and `body`
    /// serialised.
    pub fn json(status: u16, body: &serde_json::Value) -> Fault {
        Fault::Respond {
            status,
            headers: vec![("Content-Type".to_owned(), "application/json".to_owned())],
            body: body.to_string().into_bytes(),
        }
    }

    /// Adds a header to [`Fault::Respond`] or [`Fault::DelayHeaders`] (builder style).
    ///
    /// # Panics
    ///
    /// On any other variant, which has no extra headers: silently dropping the header would
    /// hide a mistake in the test.
    pub fn header(mut self, name: &str, value: &str) -> Fault {
        match &mut self {
            Fault::Respond { headers, .. } | Fault::DelayHeaders { headers, .. } => {
                headers.push((name.to_owned(), value.to_owned()));
            }
            other => panic!("Fault::header({name:?}) on {other:?}, which takes no extra headers"),
        }
        self
    }
}

/// One request as the server read it.
#[derive(Clone, Debug)]
pub struct Request {
    /// The method, as sent (`POST`).
    pub method: String,
    /// The request target, as sent: path and query (`/v2/messages?x=1`).
    pub path: String,
    /// The headers in the order sent, names lowercased, values trimmed.
    pub headers: Vec<(String, String)>,
    /// The body (de-chunked if it was sent with chunked transfer-encoding).
    pub body: Vec<u8>,
    /// Index of the connection it came on (0-based, in the order connections were
    /// accepted).
    pub connection: usize,
}

impl Request {
    /// The value of the first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON, if it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// The function choosing what to do with each request.
type Script = dyn Fn(usize, &Request) -> Fault + Send + Sync;

/// State shared by the server handle, the accept loop and the connection tasks.
struct Shared {
    script: Box<Script>,
    received: Mutex<Vec<Request>>,
    connections: AtomicUsize,
    open: AtomicUsize,
    max_open: AtomicUsize,
}

impl Shared {
    /// Records a fully read request and returns its number.
    ///
    /// The number is taken under the same lock as the push, so request `n` is always
    /// `received()[n]`.
    fn record(&self, request: Request) -> usize {
        let mut received = self.received.lock().unwrap_or_else(PoisonError::into_inner);
        received.push(request);
        received.len() - 1
    }
}

/// Counts a connection as open from its accept until its task ends, however it ends
/// (returns early, panics, or is aborted).
struct OpenGuard(Arc<Shared>);

impl OpenGuard {
    fn new(shared: Arc<Shared>) -> OpenGuard {
        let open = shared.open.fetch_add(1, Ordering::SeqCst) + 1;
        shared.max_open.fetch_max(open, Ordering::SeqCst);
        OpenGuard(shared)
    }
}

impl Drop for OpenGuard {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A running fault-injection server; dropping it stops it.
pub struct FaultServer {
    base_url: String,
    shared: Arc<Shared>,
    accept: JoinHandle<()>,
}

impl FaultServer {
    /// Starts a server that answers request number `n` (0-based, counted over all
    /// connections, in the order requests were fully read) with `script(n, &request)`.
    ///
    /// The server runs on the current tokio runtime, one task per connection.
    pub async fn start(
        script: impl Fn(usize, &Request) -> Fault + Send + Sync + 'static,
    ) -> io::Result<FaultServer> {
        Self::start_on("127.0.0.1:0", script).await
    }

    /// [`FaultServer::start`] on a given address, such as one where connections were
    /// refused a moment ago.
    pub async fn start_on(
        address: &str,
        script: impl Fn(usize, &Request) -> Fault + Send + Sync + 'static,
    ) -> io::Result<FaultServer> {
        let listener = TcpListener::bind(address).await?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let shared = Arc::new(Shared {
            script: Box::new(script),
            received: Mutex::new(Vec::new()),
            connections: AtomicUsize::new(0),
            open: AtomicUsize::new(0),
            max_open: AtomicUsize::new(0),
        });
        let accept = tokio::spawn(accept_loop(listener, Arc::clone(&shared)));
        Ok(FaultServer {
            base_url,
            shared,
            accept,
        })
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// Number of complete requests read so far (head and full body), including those the
    /// server then reset or cut short.
    pub fn requests(&self) -> usize {
        self.shared
            .received
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Every request received, in order.
    pub fn received(&self) -> Vec<Request> {
        self.shared
            .received
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Number of TCP connections accepted so far.
    pub fn connections(&self) -> usize {
        self.shared.connections.load(Ordering::SeqCst)
    }

    /// Largest number of connections open at the same time so far.
    pub fn max_open_connections(&self) -> usize {
        self.shared.max_open.load(Ordering::SeqCst)
    }
}

impl fmt::Debug for FaultServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FaultServer")
            .field("base_url", &self.base_url)
            .field("requests", &self.requests())
            .field("connections", &self.connections())
            .field("max_open_connections", &self.max_open_connections())
            .finish_non_exhaustive()
    }
}

impl Drop for FaultServer {
    /// Aborts the accept loop; the connection tasks live in its [`JoinSet`], which aborts
    /// them all when the loop is dropped, so stalled sockets close too.
    fn drop(&mut self) {
        self.accept.abort();
    }
}

/// The body of a 200 to a send, as the API answers it: message `id`, sent from
/// +18445550001 to +18665550001 with `text`.
pub fn accepted_message(id: &str, text: &str) -> serde_json::Value {
    serde_json::json!({
        "data": {
            "record_type": "message",
            "id": id,
            "direction": "outbound",
            "type": "SMS",
            "from": {"phone_number": "+18445550001", "carrier": "Telnyx", "line_type": "VoIP"},
            "to": [{"phone_number": "+18665550001", "status": "queued"}],
            "text": text,
            "parts": 1,
            "encoding": "GSM-7",
            "cost": {"amount": "0.0051", "currency": "USD"}
        }
    })
}

/// `http://127.0.0.1:PORT` for a port nothing listens on, so connections are refused.
///
/// The port was free a moment ago; another process could take it in between, which on
/// loopback in a test run is unlikely enough to ignore.
pub async fn refused_base_url() -> io::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    drop(listener);
    Ok(format!("http://{address}"))
}

/// Accepts connections until aborted, one task each.
async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    // Owning the connection tasks here means aborting this loop aborts them all.
    let mut tasks = JoinSet::new();
    loop {
        // Reap finished connections so the set does not grow with every connection.
        while tasks.try_join_next().is_some() {}
        match listener.accept().await {
            Ok((stream, _)) => {
                let index = shared.connections.fetch_add(1, Ordering::SeqCst);
                // Made before the spawn, so the count is right even if the task is aborted
                // before it first runs.
                let guard = OpenGuard::new(Arc::clone(&shared));
                let shared = Arc::clone(&shared);
                tasks.spawn(async move {
                    let _guard = guard;
                    serve_connection(stream, index, &shared).await;
                });
            }
            // Accept errors (a connection aborted before it was accepted, too many open
            // files) are transient: wait a little rather than spin.
            Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
        }
    }
}

/// Why reading a request stopped short.
enum Stop {
    /// The client closed or reset the connection, or it failed: nothing more to do.
    Closed,
    /// The request is malformed: answer this status and close.
    Reject(u16),
}

impl From<io::Error> for Stop {
    fn from(_: io::Error) -> Stop {
        Stop::Closed
    }
}

/// What to do with the connection once a request is dealt with.
enum Next {
    /// Read the next request.
    KeepAlive,
    /// Close the connection cleanly.
    Close,
    /// Stop at once (the connection is already done with, or failed).
    Stop,
}

/// Serves requests on one connection until the client closes it or a fault ends it.
async fn serve_connection(stream: TcpStream, index: usize, shared: &Shared) {
    // Small answers go out at once rather than waiting on Nagle's algorithm.
    let _ = stream.set_nodelay(true);
    let mut connection = Connection {
        stream,
        buffer: Vec::new(),
    };
    loop {
        let request = match connection.read_request(index).await {
            Ok(request) => request,
            Err(Stop::Closed) => return,
            Err(Stop::Reject(status)) => {
                let head =
                    response_head(status, &[("Content-Length", "0"), ("Connection", "close")]);
                if connection.stream.write_all(&head).await.is_ok() {
                    close_gracefully(connection.stream).await;
                }
                return;
            }
        };
        let client_closes = has_close_token(request.header("connection"));
        let is_head = request.method.eq_ignore_ascii_case("HEAD");
        // Counted before the fault is acted on, so a request the server then resets or
        // cuts short is still counted once the client sees the fault.
        let n = shared.record(request.clone());
        let fault = (shared.script)(n, &request);
        let next = match fault {
            Fault::Respond {
                status,
                headers,
                body,
            } => {
                respond(
                    &mut connection.stream,
                    status,
                    &headers,
                    &body,
                    is_head,
                    client_closes,
                )
                .await
            }
            Fault::DelayHeaders {
                delay,
                status,
                headers,
                body,
            } => {
                tokio::time::sleep(delay).await;
                respond(
                    &mut connection.stream,
                    status,
                    &headers,
                    &body,
                    is_head,
                    client_closes,
                )
                .await
            }
            Fault::ResetAfterRead => {
                // With a zero linger time, closing the socket sends a RST.
                let _ = connection.stream.set_zero_linger();
                drop(connection);
                return;
            }
            Fault::StallBody {
                status,
                body_prefix,
                announced_len,
            } => {
                let written =
                    write_short_body(&mut connection.stream, status, &body_prefix, announced_len)
                        .await;
                if written.is_ok() {
                    drain(&mut connection.stream).await;
                }
                Next::Stop
            }
            Fault::Truncate {
                status,
                body,
                announced_len,
            } => {
                match write_short_body(&mut connection.stream, status, &body, announced_len).await {
                    Ok(()) => Next::Close,
                    Err(_) => Next::Stop,
                }
            }
            Fault::Oversized { status, len } => {
                stream_chunked(&mut connection.stream, status, len, client_closes).await
            }
        };
        match next {
            Next::KeepAlive => {}
            Next::Close => {
                close_gracefully(connection.stream).await;
                return;
            }
            Next::Stop => return,
        }
    }
}

/// Writes a complete answer; see [`Fault::Respond`].
async fn respond(
    stream: &mut TcpStream,
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
    is_head: bool,
    client_closes: bool,
) -> Next {
    let given = |name: &str| headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
    let bodiless = (100..200).contains(&status) || status == 204 || status == 304;
    let length = body.len().to_string();
    let mut own: Vec<(&str, &str)> = Vec::new();
    if !given("content-length") && !(100..200).contains(&status) && status != 204 {
        own.push(("Content-Length", &length));
    }
    if !given("connection") {
        own.push((
            "Connection",
            if client_closes { "close" } else { "keep-alive" },
        ));
    }
    let server_closes = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("connection") && has_close_token(Some(v)));
    own.extend(headers.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    let mut out = response_head(status, &own);
    if !bodiless && !is_head {
        out.extend_from_slice(body);
    }
    match stream.write_all(&out).await {
        Ok(()) if client_closes || server_closes => Next::Close,
        Ok(()) => Next::KeepAlive,
        Err(_) => Next::Stop,
    }
}

/// Streams `len` bytes with chunked transfer-encoding; see [`Fault::Oversized`].
async fn stream_chunked(
    stream: &mut TcpStream,
    status: u16,
    len: usize,
    client_closes: bool,
) -> Next {
    let connection = if client_closes { "close" } else { "keep-alive" };
    let head = response_head(
        status,
        &[("Transfer-Encoding", "chunked"), ("Connection", connection)],
    );
    if stream.write_all(&head).await.is_err() {
        return Next::Stop;
    }
    let data = vec![b'x'; CHUNK_SIZE];
    let mut left = len;
    while left > 0 {
        let size = left.min(CHUNK_SIZE);
        let mut chunk = format!("{size:x}\r\n").into_bytes();
        chunk.extend_from_slice(&data[..size]);
        chunk.extend_from_slice(b"\r\n");
        if stream.write_all(&chunk).await.is_err() {
            return Next::Stop;
        }
        left -= size;
    }
    match stream.write_all(b"0\r\n\r\n").await {
        Ok(()) if client_closes => Next::Close,
        Ok(()) => Next::KeepAlive,
        Err(_) => Next::Stop,
    }
}

/// Closes the server's side (FIN), then waits a while for the client to close its own.
///
/// Dropping a socket with unread bytes in its receive buffer makes the kernel send a RST
/// instead of a FIN, and a RST can discard data the client has not read yet; reading to
/// the end first keeps the close clean.
async fn close_gracefully(mut stream: TcpStream) {
    if stream.shutdown().await.is_ok() {
        let _ = tokio::time::timeout(CLOSE_TIMEOUT, drain(&mut stream)).await;
    }
}

/// Writes a head announcing `announced_len` body bytes, then only `body`: the start of a
/// body whose rest never comes.
async fn write_short_body(
    stream: &mut TcpStream,
    status: u16,
    body: &[u8],
    announced_len: usize,
) -> io::Result<()> {
    let length = announced_len.to_string();
    let mut out = response_head(
        status,
        &[("Content-Length", &length), ("Connection", "keep-alive")],
    );
    out.extend_from_slice(body);
    stream.write_all(&out).await
}

/// Reads and discards until the client closes the connection or it fails.
async fn drain(stream: &mut TcpStream) {
    let mut scratch = [0u8; 4096];
    while let Ok(n) = stream.read(&mut scratch).await {
        if n == 0 {
            return;
        }
    }
}

/// A status line and headers, ending with the blank line.
fn response_head(status: u16, headers: &[(&str, &str)]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    out.into_bytes()
}

/// The reason phrase of common statuses; clients go by the code, so any text will do for
/// the others.
fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

/// Whether a `Connection` header value lists the `close` token.
fn has_close_token(value: Option<&str>) -> bool {
    value.is_some_and(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case("close")))
}

/// A connection's socket and the bytes read from it but not yet used (the start of a
/// pipelined next request, for one).
struct Connection {
    stream: TcpStream,
    buffer: Vec<u8>,
}

impl Connection {
    /// Reads more bytes into the buffer; fails on end of stream.
    async fn fill(&mut self) -> Result<(), Stop> {
        let mut scratch = [0u8; 16 * 1024];
        let n = self.stream.read(&mut scratch).await?;
        if n == 0 {
            return Err(Stop::Closed);
        }
        self.buffer.extend_from_slice(&scratch[..n]);
        Ok(())
    }

    /// Takes the next `n` bytes.
    async fn take(&mut self, n: usize) -> Result<Vec<u8>, Stop> {
        while self.buffer.len() < n {
            self.fill().await?;
        }
        Ok(self.buffer.drain(..n).collect())
    }

    /// Takes the next line, without its CRLF.
    async fn take_line(&mut self) -> Result<String, Stop> {
        let mut searched = 0;
        loop {
            if let Some(at) = find(&self.buffer[searched..], b"\r\n") {
                let end = searched + at;
                let line = String::from_utf8_lossy(&self.buffer[..end]).into_owned();
                self.buffer.drain(..end + 2);
                return Ok(line);
            }
            if self.buffer.len() > HEAD_LIMIT {
                return Err(Stop::Reject(400));
            }
            searched = self.buffer.len().saturating_sub(1);
            self.fill().await?;
        }
    }

    /// Reads one request: the head up to the blank line, then the body as
    /// `Content-Length` or chunked transfer-encoding says.
    async fn read_request(&mut self, index: usize) -> Result<Request, Stop> {
        let head_end = loop {
            // Empty lines before a request line are allowed (RFC 9112, section 2.2).
            while self.buffer.starts_with(b"\r\n") {
                self.buffer.drain(..2);
            }
            if let Some(at) = find(&self.buffer, b"\r\n\r\n") {
                break at;
            }
            if self.buffer.len() > HEAD_LIMIT {
                return Err(Stop::Reject(431));
            }
            self.fill().await?;
        };
        if head_end > HEAD_LIMIT {
            return Err(Stop::Reject(431));
        }
        let head = String::from_utf8_lossy(&self.buffer[..head_end]).into_owned();
        self.buffer.drain(..head_end + 4);

        let mut lines = head.split("\r\n");
        let request_line = lines.next().unwrap_or_default();
        let mut parts = request_line.split_whitespace();
        let (Some(method), Some(path), Some(version), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(Stop::Reject(400));
        };
        if !version.starts_with("HTTP/1.") {
            return Err(Stop::Reject(400));
        }
        let mut headers = Vec::new();
        for line in lines {
            let Some((name, value)) = line.split_once(':') else {
                return Err(Stop::Reject(400));
            };
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
        let mut request = Request {
            method: method.to_owned(),
            path: path.to_owned(),
            headers,
            body: Vec::new(),
            connection: index,
        };

        if request
            .header("expect")
            .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
        {
            self.stream
                .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
                .await?;
        }
        let chunked = request.header("transfer-encoding").is_some_and(|v| {
            v.rsplit(',')
                .next()
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("chunked"))
        });
        request.body = if chunked {
            self.read_chunked().await?
        } else {
            let mut lengths = request
                .headers
                .iter()
                .filter(|(n, _)| n == "content-length")
                .map(|(_, v)| v.parse::<usize>());
            match lengths.next() {
                None => Vec::new(),
                Some(Ok(length)) => {
                    if lengths.any(|other| other.ok() != Some(length)) {
                        return Err(Stop::Reject(400));
                    }
                    self.take(length).await?
                }
                Some(Err(_)) => return Err(Stop::Reject(400)),
            }
        };
        Ok(request)
    }

    /// Reads a chunked body and its trailers, returning the body.
    async fn read_chunked(&mut self) -> Result<Vec<u8>, Stop> {
        let mut body = Vec::new();
        loop {
            let line = self.take_line().await?;
            let size = line.split(';').next().unwrap_or_default().trim();
            let size = usize::from_str_radix(size, 16).map_err(|_| Stop::Reject(400))?;
            if size == 0 {
                // Trailers, up to the blank line.
                while !self.take_line().await?.is_empty() {}
                return Ok(body);
            }
            body.extend(self.take(size).await?);
            if !self.take_line().await?.is_empty() {
                return Err(Stop::Reject(400));
            }
        }
    }
}

/// Position of the first `needle` in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    use serde_json::json;

    /// Bounds every client step, so a server bug fails the test instead of hanging it.
    const STEP: Duration = Duration::from_secs(5);

    async fn connect(server: &FaultServer) -> TcpStream {
        let address = server.base_url().trim_start_matches("http://").to_owned();
        TcpStream::connect(address).await.unwrap()
    }

    /// Reads one answer with a `Content-Length`: returns its head (lowercased) and body.
    async fn read_answer(stream: &mut TcpStream) -> (String, Vec<u8>) {
        let mut buffer = Vec::new();
        let mut scratch = [0u8; 4096];
        tokio::time::timeout(STEP, async {
            loop {
                if let Some(end) = find(&buffer, b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
                    let length: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .map(|v| v.trim().parse().unwrap())
                        .unwrap();
                    if buffer.len() >= end + 4 + length {
                        assert_eq!(buffer.len(), end + 4 + length, "bytes after the answer");
                        return (head, buffer[end + 4..].to_vec());
                    }
                }
                let n = stream.read(&mut scratch).await.unwrap();
                assert_ne!(n, 0, "end of stream inside an answer");
                buffer.extend_from_slice(&scratch[..n]);
            }
        })
        .await
        .unwrap()
    }

    /// Reads until end of stream or an error; returns the bytes and whether it ended in
    /// an error.
    async fn read_to_end(stream: &mut TcpStream) -> (Vec<u8>, Option<io::Error>) {
        let mut buffer = Vec::new();
        let mut scratch = [0u8; 16 * 1024];
        tokio::time::timeout(STEP, async {
            loop {
                match stream.read(&mut scratch).await {
                    Ok(0) => return (buffer, None),
                    Ok(n) => buffer.extend_from_slice(&scratch[..n]),
                    Err(error) => return (buffer, Some(error)),
                }
            }
        })
        .await
        .unwrap()
    }

    #[tokio::test]
    async fn respond_serves_several_requests_on_one_connection() {
        let server =
            FaultServer::start(|n, _| Fault::json(200, &json!({ "n": n })).header("X-Test", "yes"))
                .await
                .unwrap();
        let mut stream = connect(&server).await;

        let body = br#"{"to":"+15550001111"}"#;
        let request = format!(
            "POST /v2/messages?x=1 HTTP/1.1\r\nHost: localhost\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        stream.write_all(body).await.unwrap();
        let (head, body) = read_answer(&mut stream).await;
        assert!(head.starts_with("http/1.1 200 ok\r\n"), "{head}");
        assert!(head.contains("\r\nconnection: keep-alive"), "{head}");
        assert!(
            head.contains("\r\ncontent-type: application/json"),
            "{head}"
        );
        assert!(head.contains("\r\nx-test: yes"), "{head}");
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&body).unwrap(),
            json!({ "n": 0 })
        );

        stream
            .write_all(b"GET /second HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .await
            .unwrap();
        let (_, body) = read_answer(&mut stream).await;
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&body).unwrap(),
            json!({ "n": 1 })
        );

        assert_eq!(server.requests(), 2);
        assert_eq!(server.connections(), 1);
        let received = server.received();
        assert_eq!(received[0].method, "POST");
        assert_eq!(received[0].path, "/v2/messages?x=1");
        assert_eq!(received[0].header("CONTENT-TYPE"), Some("application/json"));
        assert_eq!(received[0].json(), Some(json!({ "to": "+15550001111" })));
        assert_eq!(received[1].method, "GET");
        assert!(received[1].body.is_empty());
        assert_eq!((received[0].connection, received[1].connection), (0, 0));
    }

    #[tokio::test]
    async fn chunked_request_bodies_are_decoded() {
        let server = FaultServer::start(|_, _| Fault::json(200, &json!({})))
            .await
            .unwrap();
        let mut stream = connect(&server).await;
        stream
            .write_all(
                b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n\
                  4\r\n{\"a\"\r\n3;x=y\r\n:1}\r\n0\r\n\r\n",
            )
            .await
            .unwrap();
        read_answer(&mut stream).await;
        assert_eq!(server.received()[0].json(), Some(json!({ "a": 1 })));
    }

    #[tokio::test]
    async fn reset_after_read_counts_the_request_and_resets() {
        let server = FaultServer::start(|_, _| Fault::ResetAfterRead)
            .await
            .unwrap();
        let mut stream = connect(&server).await;
        stream
            .write_all(b"POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}")
            .await
            .unwrap();
        let (bytes, error) = read_to_end(&mut stream).await;
        assert!(bytes.is_empty());
        if let Some(error) = error {
            assert_eq!(error.kind(), io::ErrorKind::ConnectionReset);
        }
        assert_eq!(server.requests(), 1);
    }

    #[tokio::test]
    async fn max_open_connections_counts_simultaneous_connections() {
        let server = FaultServer::start(|_, _| Fault::json(200, &json!({})))
            .await
            .unwrap();
        let mut first = connect(&server).await;
        let mut second = connect(&server).await;
        for stream in [&mut first, &mut second] {
            stream.write_all(b"GET / HTTP/1.1\r\n\r\n").await.unwrap();
            read_answer(stream).await;
        }
        assert_eq!(server.connections(), 2);
        assert_eq!(server.max_open_connections(), 2);
        let connections: Vec<usize> = server.received().iter().map(|r| r.connection).collect();
        assert_eq!(connections, [0, 1]);
    }

    #[tokio::test]
    async fn truncate_announces_more_than_it_sends_then_closes() {
        let server = FaultServer::start(|_, _| Fault::Truncate {
            status: 200,
            body: b"{\"da".to_vec(),
            announced_len: 100,
        })
        .await
        .unwrap();
        let mut stream = connect(&server).await;
        stream.write_all(b"GET / HTTP/1.1\r\n\r\n").await.unwrap();
        let (bytes, error) = read_to_end(&mut stream).await;
        assert!(error.is_none(), "{error:?}");
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains("\r\nContent-Length: 100\r\n"), "{text}");
        assert!(text.ends_with("\r\n\r\n{\"da"), "{text}");
    }

    #[tokio::test]
    async fn stall_body_holds_the_connection_until_the_server_is_dropped() {
        let server = FaultServer::start(|_, _| Fault::StallBody {
            status: 200,
            body_prefix: b"{".to_vec(),
            announced_len: 10,
        })
        .await
        .unwrap();
        let mut stream = connect(&server).await;
        stream.write_all(b"GET / HTTP/1.1\r\n\r\n").await.unwrap();
        let mut buffer = Vec::new();
        let mut scratch = [0u8; 1024];
        while !buffer.ends_with(b"\r\n\r\n{") {
            let n = tokio::time::timeout(STEP, stream.read(&mut scratch))
                .await
                .unwrap()
                .unwrap();
            assert_ne!(n, 0);
            buffer.extend_from_slice(&scratch[..n]);
        }
        // Nothing more while the server runs.
        let stalled =
            tokio::time::timeout(Duration::from_millis(200), stream.read(&mut scratch)).await;
        assert!(stalled.is_err(), "{stalled:?}");
        drop(server);
        let (bytes, _) = read_to_end(&mut stream).await;
        assert!(bytes.is_empty());
    }

    #[tokio::test]
    async fn a_connection_stops_counting_as_open_when_the_client_closes_it() {
        let server = FaultServer::start(|_, _| Fault::StallBody {
            status: 200,
            body_prefix: Vec::new(),
            announced_len: 10,
        })
        .await
        .unwrap();
        let mut stream = connect(&server).await;
        stream.write_all(b"GET / HTTP/1.1\r\n\r\n").await.unwrap();
        let mut scratch = [0u8; 1024];
        tokio::time::timeout(STEP, stream.read(&mut scratch))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(server.shared.open.load(Ordering::SeqCst), 1);
        drop(stream);
        tokio::time::timeout(STEP, async {
            while server.shared.open.load(Ordering::SeqCst) != 0 {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
        .await
        .unwrap();
        assert_eq!(server.max_open_connections(), 1);
    }

    #[tokio::test]
    async fn oversized_streams_a_chunked_body_and_keeps_the_connection() {
        let len = 3 * CHUNK_SIZE + 5;
        let server = FaultServer::start(move |n, _| match n {
            0 => Fault::Oversized { status: 200, len },
            _ => Fault::json(200, &json!({})),
        })
        .await
        .unwrap();
        let mut stream = connect(&server).await;
        stream.write_all(b"GET / HTTP/1.1\r\n\r\n").await.unwrap();
        let mut buffer = Vec::new();
        let mut scratch = [0u8; 16 * 1024];
        while !buffer.ends_with(b"\r\n0\r\n\r\n") {
            let n = tokio::time::timeout(STEP, stream.read(&mut scratch))
                .await
                .unwrap()
                .unwrap();
            assert_ne!(n, 0);
            buffer.extend_from_slice(&scratch[..n]);
        }
        let end = find(&buffer, b"\r\n\r\n").unwrap();
        let head = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
        assert!(head.contains("\r\ntransfer-encoding: chunked"), "{head}");
        assert!(!head.contains("content-length"), "{head}");
        // Decode the chunks.
        let mut rest = &buffer[end + 4..];
        let mut decoded = 0;
        loop {
            let line_end = find(rest, b"\r\n").unwrap();
            let size =
                usize::from_str_radix(std::str::from_utf8(&rest[..line_end]).unwrap(), 16).unwrap();
            rest = &rest[line_end + 2..];
            if size == 0 {
                break;
            }
            assert!(size <= CHUNK_SIZE);
            assert!(rest[..size].iter().all(|&b| b == b'x'));
            decoded += size;
            rest = &rest[size + 2..];
        }
        assert_eq!(decoded, len);

        stream.write_all(b"GET / HTTP/1.1\r\n\r\n").await.unwrap();
        read_answer(&mut stream).await;
        assert_eq!((server.requests(), server.connections()), (2, 1));
    }

    #[tokio::test]
    async fn refused_base_url_refuses_connections() {
        let url = refused_base_url().await.unwrap();
        let address = url.strip_prefix("http://127.0.0.1:").unwrap();
        assert!(address.parse::<u16>().is_ok(), "{url}");
        let error = TcpStream::connect(url.trim_start_matches("http://"))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::ConnectionRefused);
    }
}
