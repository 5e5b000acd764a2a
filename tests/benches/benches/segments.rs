//! The segment estimator on 160- and 1,600-character texts, GSM-7 and UCS-2 (with and
//! without smart-encoding look-alikes), reported per character: divan's throughput in
//! characters per second gives ns/char as 1e9 / throughput.
//!
//! `cargo bench -p telnyx-messaging-benches --bench segments`.

use divan::Bencher;
use divan::counter::CharsCount;
use telnyx_messaging::segments::{RequestedEncoding, estimate};

fn main() {
    divan::main();
}

/// A text of `len` characters of one family.
fn text(kind: &str, len: usize) -> String {
    let source: Vec<char> = match kind {
        "gsm7" => "The quick brown fox jumps over the lazy dog, 0123456789! "
            .chars()
            .collect(),
        "gsm7_extended" => "Price: 10€ [incl. {tax}] ~ ^ | \\ ".chars().collect(),
        "smart_quotes" => "“Don’t” — go… ".chars().collect(),
        _ => "Привет, как дела? 你好 😀 ".chars().collect(),
    };
    source.iter().cycle().take(len).collect()
}

const KINDS: &[&str] = &["gsm7", "gsm7_extended", "smart_quotes", "ucs2"];

#[divan::bench(args = KINDS)]
fn chars_160(bencher: Bencher, kind: &str) {
    let text = text(kind, 160);
    bencher
        .counter(CharsCount::of_str(&text))
        .bench(|| estimate(divan::black_box(&text), RequestedEncoding::Auto).parts);
}

#[divan::bench(args = KINDS)]
fn chars_1600(bencher: Bencher, kind: &str) {
    let text = text(kind, 1600);
    bencher
        .counter(CharsCount::of_str(&text))
        .bench(|| estimate(divan::black_box(&text), RequestedEncoding::Auto).parts);
}
