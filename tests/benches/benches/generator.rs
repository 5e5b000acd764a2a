//! The generator at scale: `codegen::generate` in process on the user crate's spec grown
//! to 40, 200 and 1,000 operations (copies of the long-code send, each on a path and
//! `operationId` of its own), with time per run and the process's peak memory. Linear
//! means the time per operation stays flat.
//!
//! `cargo bench -p telnyx-messaging-benches --bench generator`.

use std::time::Instant;

use telnyx_messaging_benches::peak_rss_mib;

fn main() {
    let root = xtask_root();
    let spec = std::fs::read_to_string(root.join("spec/messaging.yaml")).expect("the spec");
    let settings = codegen::Settings::default()
        .with_replacement("Errors", "crate::error::ErrorBody")
        .with_replacement("ErrorDetail", "crate::error::ErrorDetail")
        .with_replacement("ErrorSource", "crate::error::ErrorSource");
    println!(
        "{:>10} {:>12} {:>14} {:>12} {:>14}",
        "operations", "ms (median)", "µs/operation", "KiB of Rust", "peak RSS MiB"
    );
    for extra in [40usize, 200, 1_000] {
        let grown = grow(&spec, extra);
        let mut times = Vec::new();
        let mut bytes = 0;
        for _ in 0..5 {
            let started = Instant::now();
            let files = codegen::generate(&grown, &settings).expect("generates");
            times.push(started.elapsed().as_secs_f64() * 1e3);
            bytes = files.iter().map(|f| f.contents.len()).sum::<usize>();
        }
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        let operations = extra + 8;
        println!(
            "{operations:>10} {median:>12.1} {:>14.0} {:>12} {:>14.0}",
            median * 1e3 / operations as f64,
            bytes / 1024,
            peak_rss_mib()
        );
    }
}

/// The spec with `extra` copies of the long-code send.
fn grow(spec: &str, extra: usize) -> String {
    let start = spec
        .find("  /messages/long_code:\n")
        .expect("the long-code path");
    let end = spec
        .find("  /messages/number_pool:\n")
        .expect("the next path");
    let block = &spec[start..end];
    let mut copies = String::new();
    for i in 0..extra {
        copies.push_str(
            &block
                .replace("/messages/long_code:", &format!("/messages/long_code_{i}:"))
                .replace(
                    "operationId: CreateLongCodeMessage\n",
                    &format!("operationId: CreateLongCodeMessage{i}\n"),
                )
                .replace(
                    "operationId: CreateLongCodeMessageDeliveryUpdate",
                    &format!("operationId: CreateLongCodeMessage{i}DeliveryUpdate"),
                ),
        );
    }
    format!("{}{copies}{}", &spec[..end], &spec[end..])
}

fn xtask_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace root")
}
