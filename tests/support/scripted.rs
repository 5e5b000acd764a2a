//! A one-connection HTTP server on loopback that answers every request with bytes the
//! test chose, and hands back what it received: for answers a mock server will not give
//! (an HTML error page, a body over the size limit, a cut-off body).

use std::io;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// A running scripted server.
pub struct Scripted {
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    /// Resolves to the raw requests received, one per connection.
    pub requests: JoinHandle<io::Result<Vec<Vec<u8>>>>,
}

/// Serves `connections` connections, answering each request with `answer` and closing.
pub async fn serve(answer: Vec<u8>, connections: usize) -> io::Result<Scripted> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let base_url = format!("http://{}", listener.local_addr()?);
    let requests = tokio::spawn(async move {
        let mut received = Vec::new();
        for _ in 0..connections {
            let (mut socket, _) = listener.accept().await?;
            let request = read_request(&mut socket).await?;
            received.push(request);
            // The client may stop reading early (an oversized body): that is not an error
            // of the server's.
            let _ = socket.write_all(&answer).await;
            let _ = socket.shutdown().await;
        }
        Ok(received)
    });
    Ok(Scripted { base_url, requests })
}

/// Reads one request: the head, then as many body bytes as `Content-Length` says.
async fn read_request(socket: &mut tokio::net::TcpStream) -> io::Result<Vec<u8>> {
    let mut request = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let n = socket.read(&mut buffer).await?;
        if n == 0 {
            return Ok(request);
        }
        request.extend_from_slice(&buffer[..n]);
        if let Some(head_end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&request[..head_end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if request.len() >= head_end + 4 + length {
                return Ok(request);
            }
        }
    }
}

/// An HTTP/1.1 answer with `status`, extra `headers` and `body` (with its length).
pub fn answer(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}
