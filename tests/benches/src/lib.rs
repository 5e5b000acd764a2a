//! What the benchmarks share: a small keep-alive HTTP/1.1 server that answers every
//! request with the same realistic `{"data": Message}`, the request both sides send, and
//! the process's CPU time.

use std::time::Duration;

use telnyx_messaging::{CreateMessageRequest, MessageResponse};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The answer to a send, as the API gives it: every field of the spec's example.
pub const ANSWER: &str = r#"{"data":{"record_type":"message","direction":"outbound","id":"40385f64-5717-4562-b3fc-2c963f66afa6","type":"SMS","messaging_profile_id":"4000eba1-a0c0-4563-9925-b25e842a7cb6","organization_id":"b448f9cc-a842-4784-98e9-03c1a5872950","from":{"phone_number":"+18445550001","carrier":"TELNYX LLC","line_type":"VoIP"},"to":[{"phone_number":"+18665550001","status":"queued","carrier":"T-MOBILE USA, INC.","line_type":"Wireless"}],"cc":[],"text":"Hello, World!","subject":null,"media":[],"webhook_url":"https://www.example.com/hooks","webhook_failover_url":"https://backup.example.com/hooks","encoding":"GSM-7","parts":1,"num_chars":13,"tags":["Greetings"],"cost":{"amount":"0.0051","currency":"USD"},"cost_breakdown":{"carrier_fee":{"amount":"0.00305","currency":"USD"},"rate":{"amount":"0.00205","currency":"USD"}},"tcr_campaign_id":"TCPA3X7","tcr_campaign_billable":true,"tcr_campaign_registered":"REGISTERED","received_at":"2019-01-23T18:10:02.574Z","sent_at":null,"completed_at":null,"valid_until":null,"errors":[],"wait_seconds":0.5,"smart_encoding_applied":false}}"#;

/// The request both sides send.
pub fn request() -> CreateMessageRequest {
    CreateMessageRequest::builder()
        .to("+18665550001")
        .from("+18445550001")
        .text("Hello, World!")
        .webhook_url("https://www.example.com/hooks")
        .build()
}

/// The baseline's HTTP client: reqwest with the settings the client gives its own
/// (rustls, HTTP/1.1 only, no retries, no proxy, no redirects, its default connect and
/// attempt limits, its pool settings), so that the comparison is of what the client does
/// around reqwest.
pub fn bare_client(max_idle: usize) -> reqwest::Client {
    reqwest::Client::builder()
        .use_rustls_tls()
        .http1_only()
        .retry(reqwest::retry::never())
        .no_proxy()
        .connect_timeout(telnyx_messaging::config::DEFAULT_CONNECT_TIMEOUT)
        .timeout(telnyx_messaging::config::DEFAULT_ATTEMPT_TIMEOUT)
        .pool_idle_timeout(Duration::from_secs(15))
        .pool_max_idle_per_host(max_idle)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("reqwest builds")
}

/// The baseline send: bare reqwest posting the request's JSON to a URL parsed beforehand
/// (as the client parses the URLs of paths without parameters once), with the same headers as
/// the client, in the same order (the same bytes on the wire), and decoding the answer the same way.
pub async fn bare_send(
    http: &reqwest::Client,
    url: &reqwest::Url,
    key: &str,
    request: &CreateMessageRequest,
) -> MessageResponse {
    let body = serde_json::to_vec(request).expect("encodes");
    let response = http
        .post(url.clone())
        .bearer_auth(key)
        .header("accept", "application/json")
        .header("user-agent", telnyx_messaging::config::USER_AGENT)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("answered");
    assert!(response.status().is_success());
    let bytes = response.bytes().await.expect("read");
    serde_json::from_slice::<MessageResponse>(&bytes).expect("decodes")
}

/// Serves `listener` until the process ends: every request gets [`ANSWER`].
pub async fn serve(listener: TcpListener) {
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-request-id: bench\r\ncontent-length: {}\r\n\r\n{ANSWER}",
        ANSWER.len()
    )
    .into_bytes();
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let response = response.clone();
        tokio::spawn(async move {
            let _ = connection(stream, &response).await;
        });
    }
}

/// One keep-alive connection: reads each request (headers, then `content-length` bytes)
/// and writes the answer.
async fn connection(mut stream: TcpStream, response: &[u8]) -> std::io::Result<()> {
    let mut buffer = Vec::with_capacity(8192);
    let mut chunk = [0u8; 8192];
    loop {
        // Headers.
        let header_end = loop {
            if let Some(at) = find(&buffer, b"\r\n\r\n") {
                break at + 4;
            }
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buffer.extend_from_slice(&chunk[..n]);
        };
        let headers = String::from_utf8_lossy(&buffer[..header_end]).to_ascii_lowercase();
        let length: usize = headers
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        while buffer.len() < header_end + length {
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buffer.extend_from_slice(&chunk[..n]);
        }
        buffer.drain(..header_end + length);
        stream.write_all(response).await?;
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// User plus system CPU time this process has used so far.
pub fn cpu_time() -> Duration {
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    usage().map_or(Duration::ZERO, |u| time(u.ru_utime) + time(u.ru_stime))
}

/// The process's peak resident memory so far, in MiB.
pub fn peak_rss_mib() -> f64 {
    usage().map_or(0.0, |u| u.ru_maxrss as f64 / 1024.0)
}

/// `getrusage` of this process.
fn usage() -> Option<libc::rusage> {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: `getrusage` writes a `rusage` into the pointer it is given, which points at
    // one; it only reads `RUSAGE_SELF`.
    #[allow(unsafe_code)]
    unsafe {
        (libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) == 0).then(|| usage.assume_init())
    }
}
