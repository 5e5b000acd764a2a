//! What the client adds to a send: the whole `send_message` path (validation, encoding,
//! the concurrency limit, the tracing span, the retry loop, bounded reading, decoding)
//! against a baseline of bare reqwest posting the same bytes and decoding the same answer,
//! both to the same local server in the same run.
//!
//! `cargo bench -p telnyx-messaging-benches --bench send`; compare the two medians. (Under
//! load, with CPU time and percentiles: the `load` bench.)

use std::sync::OnceLock;

use telnyx_messaging::{Client, rules::Validate};
use telnyx_messaging_benches::{request, serve};
use tokio::runtime::Runtime;

fn main() {
    divan::main();
}

/// One runtime and one server (on another runtime's thread) for the whole run; the
/// server's base URL.
fn setup() -> &'static (Runtime, String) {
    static SETUP: OnceLock<(Runtime, String)> = OnceLock::new();
    SETUP.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("a port");
        let base_url = format!("http://{}", listener.local_addr().expect("an address"));
        runtime.spawn(serve(listener));
        (runtime, base_url)
    })
}

/// The baseline: bare reqwest, same headers and body, same decoding.
#[divan::bench(sample_count = 2000)]
fn baseline_bare_reqwest(bencher: divan::Bencher) {
    let (runtime, base_url) = setup();
    let http = telnyx_messaging_benches::bare_client(1);
    let url = reqwest::Url::parse(&format!("{base_url}/messages")).expect("a URL");
    let request = request();
    bencher.bench_local(|| {
        runtime.block_on(telnyx_messaging_benches::bare_send(
            &http, &url, "KEY", &request,
        ))
    });
}

/// The client's `send_message`.
#[divan::bench(sample_count = 2000)]
fn client_send_message(bencher: divan::Bencher) {
    let (runtime, base_url) = setup();
    let client = Client::builder("KEY")
        .base_url(base_url)
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
