//! What the client adds to a send: the whole `send_message` path (validation, encoding,
//! the concurrency limit, the tracing span, the retry loop, bounded reading, decoding)
//! against a baseline of bare reqwest posting the same bytes and decoding the same answer,
//! both to the same local server in the same run.
//!
//! `cargo bench -p telnyx-messaging-tests --bench send`; compare the two medians.

use std::sync::OnceLock;

use telnyx_messaging::{Client, CreateMessageRequest, MessageResponse, rules::Validate};
use telnyx_messaging_tests::fault_server::{Fault, FaultServer, accepted_message};
use tokio::runtime::Runtime;

fn main() {
    divan::main();
}

/// One runtime and one server for the whole run.
fn setup() -> &'static (Runtime, FaultServer) {
    static SETUP: OnceLock<(Runtime, FaultServer)> = OnceLock::new();
    SETUP.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        let answer = accepted_message("40385f64-5717-4562-b3fc-2c963f66afa6", "Hello, World!");
        let server = runtime
            .block_on(FaultServer::start(move |_, _| Fault::json(200, &answer)))
            .expect("the server starts");
        (runtime, server)
    })
}

fn request() -> CreateMessageRequest {
    CreateMessageRequest::builder()
        .to("+18665550001")
        .from("+18445550001")
        .text("Hello, World!")
        .build()
}

/// The baseline: bare reqwest, same headers and body, same decoding.
#[divan::bench(sample_count = 2000)]
fn baseline_bare_reqwest(bencher: divan::Bencher) {
    let (runtime, server) = setup();
    let http = reqwest::Client::new();
    let url = format!("{}/messages", server.base_url());
    let request = request();
    bencher.bench_local(|| {
        runtime.block_on(async {
            let body = serde_json::to_vec(&request).expect("encodes");
            let response = http
                .post(&url)
                .bearer_auth("KEY")
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .body(body)
                .send()
                .await
                .expect("answered");
            let bytes = response.bytes().await.expect("read");
            serde_json::from_slice::<MessageResponse>(&bytes).expect("decodes")
        })
    });
}

/// The client's `send_message`.
#[divan::bench(sample_count = 2000)]
fn client_send_message(bencher: divan::Bencher) {
    let (runtime, server) = setup();
    let client = Client::builder("KEY")
        .base_url(server.base_url())
        .build()
        .expect("the client builds");
    let request = request();
    bencher.bench_local(|| {
        runtime.block_on(async { client.send_message(&request).await.expect("sent") })
    });
}

/// Validation alone, for scale.
#[divan::bench(sample_count = 2000)]
fn validate_only(bencher: divan::Bencher) {
    let request = request();
    bencher.bench_local(|| request.validate().is_ok());
}
