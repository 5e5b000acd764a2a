//! The segment estimator (`telnyx_messaging::segments`) against the reference calculator
//! developers use by hand: the npm `sms-segments-calculator` (pinned in
//! `tests/package.json`, installed by `cargo xtask test`), run by
//! `support/segments_reference.js` on the same texts.
//!
//! Several thousand generated texts (GSM-7 only, extension characters and emoji at part
//! boundaries, mixed scripts, the empty text, exactly 160/161 and 70/71 units) must get the
//! same encoding and part count without smart encoding, and with it wherever the two
//! smart-encoding tables agree. Where the tables differ, a test of its own says how.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::io::Write as _;
use std::process::{Command, Stdio};

use telnyx_messaging::segments::{Encoding, RequestedEncoding, estimate, estimate_with};

/// What the reference says of one text: (encoding, segments) without and with its smart
/// encoding.
type Reference = ((String, u32), (String, u32));

/// Runs the reference calculator on `texts`.
fn reference(texts: &[String]) -> Vec<Reference> {
    let script = xtask::workspace_root().join("tests/support/segments_reference.js");
    let mut child = Command::new("node")
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| {
            panic!("cannot run node ({error}); `cargo xtask test` installs the tools")
        });
    let input = serde_json::to_vec(texts).expect("texts encode");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&input)
        .expect("write");
    let output = child.wait_with_output().expect("node ends");
    assert!(
        output.status.success(),
        "the reference failed (run `npm ci` in tests/): {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let rows: Vec<(String, u32, String, u32)> =
        serde_json::from_slice(&output.stdout).expect("the reference prints JSON");
    rows.into_iter()
        .map(|(a, b, c, d)| ((a, b), (c, d)))
        .collect()
}

fn name(encoding: Encoding) -> &'static str {
    match encoding {
        Encoding::Gsm7 => "GSM-7",
        _ => "UCS-2",
    }
}

/// A small deterministic generator (xorshift), so that a failure names a text that the
/// next run makes again.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn pick(&mut self, from: &[char]) -> char {
        from[self.below(from.len())]
    }

    fn text(&mut self, len: usize, from: &[char]) -> String {
        (0..len).map(|_| self.pick(from)).collect()
    }
}

const BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const EXTENSION: &str = "^{}\\[]~|€\u{c}";
const OTHER_SCRIPTS: &str = "жЖяáíóúçÁ中文字日本ऋعربيשלוםΔαβγ`";
const EMOJI: &str = "🙂😀👍🏽🎉🇺🇸";
/// Look-alikes both smart-encoding tables replace the same way (checked by
/// `where_the_smart_encoding_tables_differ`).
const SHARED_SMART: &str = "‘’“”–—…";

/// The generated texts: every family the issue names, a few thousand in all.
fn texts() -> Vec<String> {
    let basic: Vec<char> = BASIC.chars().collect();
    let extension: Vec<char> = EXTENSION.chars().collect();
    let other: Vec<char> = OTHER_SCRIPTS.chars().collect();
    let emoji: Vec<char> = EMOJI.chars().collect();
    let smart: Vec<char> = SHARED_SMART.chars().collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut texts = vec![String::new()];
    for len in [70, 71, 134, 135, 153, 159, 160, 161, 306, 307, 1530, 1531] {
        texts.push("a".repeat(len));
        texts.push("ж".repeat(len));
        texts.push(rng.text(len, &basic));
    }
    // GSM-7 only, any length.
    for _ in 0..800 {
        let len = rng.below(480);
        texts.push(rng.text(len, &basic));
    }
    // An extension character (two septets) around each part boundary.
    for boundary in [152, 153, 159, 160, 305, 306] {
        for offset in 0..4 {
            for _ in 0..12 {
                let mut text = rng.text(boundary - offset, &basic);
                text.push(rng.pick(&extension));
                let tail = rng.below(40);
                text.push_str(&rng.text(tail, &basic));
                texts.push(text);
            }
        }
    }
    // An emoji (two UTF-16 units) around each UCS-2 part boundary.
    for boundary in [66, 67, 69, 70, 133, 134] {
        for offset in 0..3 {
            for _ in 0..12 {
                let mut text = rng.text(boundary - offset, &other);
                text.push(rng.pick(&emoji));
                let tail = rng.below(30);
                text.push_str(&rng.text(tail, &other));
                texts.push(text);
            }
        }
    }
    // Mixed: mostly GSM-7 with a few of everything else.
    for _ in 0..1200 {
        let len = rng.below(400);
        let text: String = (0..len)
            .map(|_| match rng.below(40) {
                0 => rng.pick(&extension),
                1 => rng.pick(&other),
                2 => rng.pick(&emoji),
                3 | 4 => rng.pick(&smart),
                _ => rng.pick(&basic),
            })
            .collect();
        texts.push(text);
    }
    // GSM-7 with the shared look-alikes only: GSM-7 after smart encoding.
    for _ in 0..600 {
        let len = rng.below(400);
        let text: String = (0..len)
            .map(|_| {
                if rng.below(8) == 0 {
                    rng.pick(&smart)
                } else {
                    rng.pick(&basic)
                }
            })
            .collect();
        texts.push(text);
    }
    texts
}

#[test]
fn the_estimate_agrees_with_the_reference_calculator() {
    let texts = texts();
    assert!(texts.len() >= 3_000, "{} texts", texts.len());
    let answers = reference(&texts);
    let mut differences = Vec::new();
    for (text, (plain, smart)) in texts.iter().zip(&answers) {
        let ours = estimate_with(text, RequestedEncoding::Auto, false);
        if (name(ours.encoding), ours.parts) != (plain.0.as_str(), plain.1) {
            differences.push(format!(
                "without smart encoding: ours {} {}, reference {plain:?}: {text:?}",
                ours.encoding, ours.parts
            ));
        }
        let ours = estimate(text, RequestedEncoding::Auto);
        if (name(ours.encoding), ours.parts) != (smart.0.as_str(), smart.1) {
            differences.push(format!(
                "with smart encoding: ours {} {}, reference {smart:?}: {text:?}",
                ours.encoding, ours.parts
            ));
        }
    }
    assert!(
        differences.is_empty(),
        "{} of {} texts differ:\n{}",
        differences.len(),
        texts.len(),
        differences
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    println!(
        "{} texts, every one agreeing with the reference",
        texts.len()
    );
}

/// The two smart-encoding tables are not the same: the reference emulates Twilio's,
/// this crate assumes only the kinds Telnyx documents (curly quotes, dashes, unusual
/// spaces, the ellipsis, invisible characters). Here is how they differ, character by
/// character over the BMP's punctuation, symbol and letter-like blocks:
///
/// - characters only the reference replaces (fullwidth forms, small capitals, fractions,
///   dingbat quotes, ...) are estimated here as UCS-2: the estimate errs on the costly
///   side where Telnyx's table is not known;
/// - a few look-alikes only this crate replaces, each listed below with why.
#[test]
fn where_the_smart_encoding_tables_differ() {
    let mut characters: Vec<char> = (0x80u32..0x3100)
        .chain(0xFE00..0xFF70)
        .filter_map(char::from_u32)
        .collect();
    characters.push('\t');
    let texts: Vec<String> = characters.iter().map(|c| format!("a{c}b")).collect();
    let answers = reference(&texts);
    let mut only_here = Vec::new();
    let mut only_reference = 0;
    for ((c, text), (_, smart)) in characters.iter().zip(&texts).zip(&answers) {
        let ours = estimate(text, RequestedEncoding::Auto).encoding == Encoding::Gsm7;
        let theirs = smart.0 == "GSM-7";
        match (ours, theirs) {
            (true, false) => only_here.push(*c),
            (false, true) => only_reference += 1,
            _ => {}
        }
    }
    // Replaced here, kept by the reference: the soft hyphen, zero-width joiner and middle
    // dot (invisible or a list bullet), the non-breaking hyphen, figure dash and minus
    // sign (dashes), and the prime and double prime (quotes, as a keyboard's
    // "smart" quotes often are).
    assert_eq!(
        only_here,
        [
            '\u{ad}', '\u{b7}', '\u{200d}', '\u{2011}', '\u{2012}', '\u{2032}', '\u{2033}',
            '\u{2212}'
        ]
    );
    assert!(only_reference > 100, "{only_reference}");
    // Replaced by both, differently: the reference turns a no-break space into two
    // spaces, Telnyx's documentation into a space. At a part boundary that is a part.
    let boundary = [format!("{}\u{a0}", "a".repeat(159))];
    let ours = estimate(&boundary[0], RequestedEncoding::Auto);
    assert_eq!(
        (ours.encoding, ours.parts, ours.units),
        (Encoding::Gsm7, 1, 160)
    );
    assert_eq!(reference(&boundary)[0].1, ("GSM-7".to_owned(), 2));
    // Every character of the shared list is replaced alike by both.
    for c in SHARED_SMART.chars() {
        let i = characters
            .iter()
            .position(|x| *x == c)
            .expect("in the range");
        assert_eq!(answers[i].1.0, "GSM-7", "{c:?}");
    }
}

/// The classic vectors, by hand.
#[test]
fn classic_vectors() {
    let cases: &[(&str, RequestedEncoding, Encoding, u32, u32)] = &[
        (
            "Hello, World!",
            RequestedEncoding::Auto,
            Encoding::Gsm7,
            1,
            13,
        ),
        (
            "Price: 10€ [tax incl.]",
            RequestedEncoding::Auto,
            Encoding::Gsm7,
            1,
            25,
        ),
        ("Привет", RequestedEncoding::Auto, Encoding::Ucs2, 1, 6),
        ("👍🏽", RequestedEncoding::Auto, Encoding::Ucs2, 1, 4),
        ("Hello", RequestedEncoding::Ucs2, Encoding::Ucs2, 1, 5),
        ("It’s", RequestedEncoding::Auto, Encoding::Gsm7, 1, 4),
        ("It’s", RequestedEncoding::Ucs2, Encoding::Ucs2, 1, 4),
    ];
    for (text, requested, encoding, parts, units) in cases {
        let e = estimate(text, *requested);
        assert_eq!(
            (e.encoding, e.parts, e.units),
            (*encoding, *parts, *units),
            "{text:?}"
        );
    }
}

/// The opt-in cost guard: a text over the limit is refused before any I/O with a typed
/// error naming the parts and the characters to blame (by code point and position, not
/// the text); within it, or for an MMS, the request is sent; off by default.
#[tokio::test]
async fn the_cost_guard_refuses_locally_and_names_the_blame() {
    use telnyx_messaging::rules::Rule;
    use telnyx_messaging::segments::Blame;
    use telnyx_messaging::{Client, CreateMessageRequest, Error, RequestOptions};
    use telnyx_messaging_tests::fault_server::{Fault, FaultServer, accepted_message};

    let server = FaultServer::start(|_, _| Fault::json(200, &accepted_message("m-1", "x")))
        .await
        .expect("server");
    let client = |max_parts: Option<u32>| {
        let mut builder = Client::builder("KEY0123456789").base_url(server.base_url());
        if let Some(max) = max_parts {
            builder = builder.max_parts(max);
        }
        builder.build().expect("client")
    };
    let request = |text: &str| {
        CreateMessageRequest::builder()
            .to("+18665550001")
            .from("+18445550001")
            .text(text)
            .build()
    };

    // 200 GSM-7 characters: two parts.
    let long = "a".repeat(200);
    match client(Some(1)).send_message(&request(&long)).await {
        Err(Error::Validation(error)) => {
            assert_eq!(error.field, "text");
            assert_eq!(
                error.rule,
                Rule::MaxParts {
                    max: 1,
                    parts: 2,
                    encoding: Encoding::Gsm7,
                    blamed: [None; 3]
                }
            );
        }
        other => panic!("not refused: {other:?}"),
    }
    // 60 GSM-7 characters and two emoji: UCS-2, 64 units, one part; ten more make two.
    let text = format!("{}😀{}🎉{}", "a".repeat(30), "b".repeat(30), "c".repeat(10));
    let error = match client(Some(1)).send_message(&request(&text)).await {
        Err(Error::Validation(error)) => error,
        other => panic!("not refused: {other:?}"),
    };
    let Rule::MaxParts {
        parts,
        encoding,
        blamed,
        ..
    } = error.rule
    else {
        panic!("{error}");
    };
    assert_eq!((parts, encoding), (2, Encoding::Ucs2));
    assert_eq!(
        blamed,
        [
            Some(Blame {
                position: 30,
                byte: 30,
                character: '😀'
            }),
            Some(Blame {
                position: 61,
                byte: 64,
                character: '🎉'
            }),
            None
        ]
    );
    let shown = format!("{error} {error:?}");
    assert!(
        shown.contains("U+1F600 at 30") && shown.contains("U+1F389 at 61"),
        "{shown}"
    );
    assert!(
        !shown.contains("aaaa") && !shown.contains("bbbb"),
        "{shown}"
    );
    assert_eq!(server.requests(), 0, "refused before any I/O");

    // Within the limit, per call, and for an MMS, the request goes out.
    let guarded = client(Some(1));
    let relaxed = guarded.with_options(RequestOptions::new().max_parts(2));
    assert!(relaxed.send_message(&request(&text)).await.is_ok());
    let mut mms = request(&text);
    mms.media_urls = Some(vec!["https://www.example.com/a.png".to_owned()]);
    assert!(mms.estimate().is_none());
    assert!(guarded.send_message(&mms).await.is_ok());
    // Off by default: even 20 parts are the API's to judge.
    assert!(
        client(None)
            .send_message(&request(&"a".repeat(3_000)))
            .await
            .is_ok()
    );
    assert_eq!(server.requests(), 3);

    // The same estimate on the request itself.
    let sms = request(&text);
    let estimate = sms.estimate().expect("an SMS");
    assert_eq!((estimate.encoding, estimate.parts), (Encoding::Ucs2, 2));
}

/// Counts the allocations of the current thread, for the test below.
struct CountingAllocator;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

#[allow(unsafe_code)]
// SAFETY: every call is passed on to the system allocator unchanged; the count is a
// thread-local `Cell` with a constant initializer, which allocates nothing itself.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        // SAFETY: the caller's contract is the system allocator's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// The estimate, its blame and its replacements allocate nothing, whatever the text.
#[test]
fn estimating_allocates_nothing() {
    let texts = [
        "a".repeat(1_600),
        "Price: 10€ [tax]".repeat(100),
        "“Don’t” — go… ".repeat(100),
        "Привет 😀 ".repeat(160),
    ];
    for text in &texts {
        let before = ALLOCATIONS.with(Cell::get);
        let mut seen = 0;
        for encoding in [
            RequestedEncoding::Auto,
            RequestedEncoding::Gsm7,
            RequestedEncoding::Ucs2,
        ] {
            let e = estimate(text, encoding);
            seen += e.parts as usize + e.non_gsm_characters().count() + e.replacements().count();
        }
        let after = ALLOCATIONS.with(Cell::get);
        assert_eq!(after - before, 0, "{} allocations", after - before);
        assert!(seen > 0);
    }
}
