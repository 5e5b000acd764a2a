//! Keeping the API key out of everything a server sends back: error bodies, excerpts,
//! request ids, response headers.
//!
//! A server (or a proxy's error page) may echo the request, `Authorization` header and
//! all. The key must not reach any `Debug`, `Display`, log line or accessor, in the forms
//! an echo takes: verbatim, in any letter case; JSON-escaped (`\u0041`, `\/`) or
//! percent-encoded (`%5F`), which decoding turns back into the key; or any piece of it
//! of [`MIN_ECHO`] bytes or more (cut short, or the key's tail after an encoded byte).
//! Not covered: encodings a server would have to invent (base64 of the header, HTML
//! entities), and a key split into pieces shorter than [`MIN_ECHO`].

use std::borrow::Cow;

use reqwest::header::{HeaderMap, HeaderValue};

/// What replaces an echo of the key.
pub(crate) const REDACTED: &str = "<redacted>";

/// A piece of the key this long or longer counts as an echo: shorter ones are too likely
/// to be something else.
const MIN_ECHO: usize = 8;

/// `text` with every echo of `key` replaced by [`REDACTED`]: the whole key, or a piece of
/// it of [`MIN_ECHO`] or more bytes, anywhere.
pub(crate) fn text<'a>(text: &'a str, key: &str) -> Cow<'a, str> {
    match bytes(text.as_bytes(), key) {
        Cow::Borrowed(_) => Cow::Borrowed(text),
        // Runs of the key (visible ASCII, as a header value built from a `&str` must be)
        // were replaced by ASCII, so the text stays UTF-8 but for a decoded escape.
        Cow::Owned(out) => Cow::Owned(String::from_utf8_lossy(&out).into_owned()),
    }
}

/// [`text`] on bytes; a body that may hold JSON escapes is read unescaped first, so that
/// `\u004bEY...` is found too.
pub(crate) fn bytes<'a>(body: &'a [u8], key: &str) -> Cow<'a, [u8]> {
    let key = key.as_bytes();
    if key.is_empty() {
        return Cow::Borrowed(body);
    }
    let mut decoded = Cow::Borrowed(body);
    if decoded.contains(&b'\\') {
        decoded = Cow::Owned(unescape_json(&decoded).into_owned());
    }
    if decoded.contains(&b'%') {
        decoded = Cow::Owned(unescape_percent(&decoded));
    }
    match cut_echoes(&decoded, key) {
        Some(out) => Cow::Owned(out),
        None => Cow::Borrowed(body),
    }
}

/// The key's pieces of [`MIN_ECHO`] bytes (fewer for a shorter key), lowercased, each
/// packed into a `u64`, with every place it starts in the key: built once per key and thread,
/// as every answer's headers are scanned with them.
struct Pieces {
    lower: Vec<u8>,
    filter: EchoFilter,
    at: std::collections::HashMap<u64, Vec<usize>, std::hash::BuildHasherDefault<PackedHasher>>,
}

/// What one pass over a text needs to tell that it holds no echo of a key; built once
/// per client, as every answer's headers go through it.
pub(crate) struct EchoFilter {
    /// For each byte, [`IN_KEY`] if the key holds it (in either case: an echo is a run of
    /// such bytes at least `window` long), and [`ESCAPE`] if decoding starts at it.
    kind: [u8; 256],
    /// The shortest echo: [`MIN_ECHO`], or the key's length if shorter.
    window: usize,
}

const IN_KEY: u8 = 1;
const ESCAPE: u8 = 2;

impl EchoFilter {
    pub(crate) fn new(key: &[u8]) -> EchoFilter {
        let mut kind = [0; 256];
        for &b in key {
            kind[usize::from(b.to_ascii_lowercase())] |= IN_KEY;
            kind[usize::from(b.to_ascii_uppercase())] |= IN_KEY;
        }
        kind[usize::from(b'\\')] |= ESCAPE;
        kind[usize::from(b'%')] |= ESCAPE;
        EchoFilter {
            kind,
            window: MIN_ECHO.min(key.len()),
        }
    }

    /// Whether `text` holds a run of the key's bytes as long as an echo, or (when `stop`
    /// is [`ESCAPE`]) an escape.
    fn scan(&self, text: &[u8], stop: u8) -> bool {
        let mut run = 0;
        text.iter().any(|&b| {
            let kind = self.kind[usize::from(b)];
            run = if kind & IN_KEY != 0 { run + 1 } else { 0 };
            kind & stop != 0 || run >= self.window
        })
    }

    /// Whether `text` holds a run of the key's bytes as long as an echo.
    fn has_run(&self, text: &[u8]) -> bool {
        self.scan(text, 0)
    }

    /// Whether `text` may hold an echo: such a run, or an escape (`\\`, `%`) that
    /// decoding could turn into one.
    ///
    /// `false` means [`bytes`] would find none.
    fn may_hold(&self, text: &[u8]) -> bool {
        text.len() >= self.window && self.scan(text, ESCAPE)
    }
}

/// The packed pieces are already well spread; hashing them again would be wasted work.
#[derive(Default)]
struct PackedHasher(u64);

impl std::hash::Hasher for PackedHasher {
    fn finish(&self) -> u64 {
        // A multiplicative mix, so that the map's buckets see the high bits change too.
        self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// `bytes` (at most 8) lowercased and packed.
fn pack(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0u64, |acc, b| {
        (acc << 8) | u64::from(b.to_ascii_lowercase())
    })
}

fn pieces(key: &[u8]) -> std::rc::Rc<Pieces> {
    thread_local! {
        static CACHE: std::cell::RefCell<Option<(Vec<u8>, std::rc::Rc<Pieces>)>> =
            const { std::cell::RefCell::new(None) };
    }
    CACHE.with(|cache| {
        if let Some((cached, pieces)) = &*cache.borrow() {
            if cached.as_slice() == key {
                return std::rc::Rc::clone(pieces);
            }
        }
        let lower: Vec<u8> = key.iter().map(u8::to_ascii_lowercase).collect();
        let filter = EchoFilter::new(key);
        let mut at = std::collections::HashMap::default();
        for (start, piece) in lower.windows(filter.window).enumerate() {
            at.entry(pack(piece)).or_insert_with(Vec::new).push(start);
        }
        let pieces = std::rc::Rc::new(Pieces { lower, filter, at });
        *cache.borrow_mut() = Some((key.to_vec(), std::rc::Rc::clone(&pieces)));
        pieces
    })
}

/// `text` with every piece of `key` of [`MIN_ECHO`] bytes or more (any letter case)
/// replaced, or `None` when there is none.
///
/// Linear in `text`: the key's pieces of [`MIN_ECHO`] bytes are looked up in a set, and
/// a hit is extended as far as it goes. Nothing is allocated unless there is an echo.
fn cut_echoes(text: &[u8], key: &[u8]) -> Option<Vec<u8>> {
    let window = MIN_ECHO.min(key.len());
    if text.len() < window {
        return None;
    }
    let pieces = pieces(key);
    // Most texts (a content type, a date) hold no run of the key's bytes long enough to
    // be an echo: one pass says so.
    if !pieces.filter.has_run(text) {
        return None;
    }
    let mut out: Option<Vec<u8>> = None;
    let mut i = 0;
    while i + window <= text.len() {
        let Some(starts) = pieces.at.get(&pack(&text[i..i + window])) else {
            if let Some(out) = &mut out {
                out.push(text[i]);
            }
            i += 1;
            continue;
        };
        // From wherever the piece sits in the key, the longest run the text repeats.
        let same = starts
            .iter()
            .map(|&at| {
                text[i..]
                    .iter()
                    .zip(&pieces.lower[at..])
                    .take_while(|(a, b)| a.to_ascii_lowercase() == **b)
                    .count()
            })
            .max()
            .unwrap_or(0);
        if same < window {
            if let Some(out) = &mut out {
                out.push(text[i]);
            }
            i += 1;
            continue;
        }
        let out = out.get_or_insert_with(|| text[..i].to_vec());
        out.extend_from_slice(REDACTED.as_bytes());
        i += same;
    }
    let mut out = out?;
    out.extend_from_slice(&text[i.min(text.len())..]);
    Some(out)
}

/// Every string in a JSON value, redacted in place.
pub(crate) fn json(value: &mut serde_json::Value, key: &str) {
    match value {
        serde_json::Value::String(s) => {
            if let Cow::Owned(clean) = text(s, key) {
                *s = clean;
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| json(v, key)),
        serde_json::Value::Object(map) => {
            let entries = std::mem::take(map);
            for (name, mut v) in entries {
                json(&mut v, key);
                map.insert(text(&name, key).into_owned(), v);
            }
        }
        _ => {}
    }
}

/// Every header value holding an echo of the key, replaced by [`REDACTED`]; `filter` is
/// the key's.
pub(crate) fn headers(headers: &mut HeaderMap, key: &str, filter: &EchoFilter) {
    for value in headers.values_mut() {
        // Most values (a content type, a length, an id) are too short, or hold neither
        // an escape nor a run of the key's bytes: one pass over them says so.
        if !filter.may_hold(value.as_bytes()) {
            continue;
        }
        if matches!(bytes(value.as_bytes(), key), Cow::Owned(_)) {
            *value = HeaderValue::from_static(REDACTED);
        }
    }
}

/// The bytes with `%XX` escapes resolved; a `%` not followed by two hex digits is kept.
fn unescape_percent(body: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        if body[i] == b'%' && i + 2 < body.len() {
            if let (Some(h), Some(l)) = (hex(body[i + 1]), hex(body[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(body[i]);
        i += 1;
    }
    out
}

/// The bytes with JSON string escapes resolved (`\/`, `\"`, `\\`, `\n`..., `\uXXXX` with
/// surrogate pairs); anything else, malformed escapes included, is kept as it is.
fn unescape_json(body: &[u8]) -> Cow<'_, [u8]> {
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        if body[i] != b'\\' || i + 1 >= body.len() {
            out.push(body[i]);
            i += 1;
            continue;
        }
        let simple = match body[i + 1] {
            b'/' => Some(b'/'),
            b'"' => Some(b'"'),
            b'\\' => Some(b'\\'),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            b'b' => Some(0x08),
            b'f' => Some(0x0C),
            _ => None,
        };
        if let Some(byte) = simple {
            out.push(byte);
            i += 2;
            continue;
        }
        let hex = |at: usize| {
            body.get(at..at + 4)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u32::from_str_radix(h, 16).ok())
        };
        if body[i + 1] == b'u' {
            if let Some(unit) = hex(i + 2) {
                let (code, len) = match unit {
                    0xD800..=0xDBFF if body.get(i + 6..i + 8) == Some(b"\\u") => match hex(i + 8) {
                        Some(low @ 0xDC00..=0xDFFF) => {
                            (0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), 12)
                        }
                        _ => (unit, 6),
                    },
                    _ => (unit, 6),
                };
                if let Some(c) = char::from_u32(code) {
                    let mut buf = [0; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                    i += len;
                    continue;
                }
            }
        }
        out.push(body[i]);
        i += 1;
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "KEY0123456789abc";

    fn clean(body: &str) -> String {
        String::from_utf8_lossy(&bytes(body.as_bytes(), KEY)).into_owned()
    }

    #[test]
    fn echoes_of_the_key_in_any_form_are_cut_out() {
        assert_eq!(clean("nothing here"), "nothing here");
        assert_eq!(
            clean("a KEY0123456789abc b KEY0123456789abc"),
            "a <redacted> b <redacted>"
        );
        // Cut short, at the end or in the middle of a text.
        assert_eq!(clean("x Bearer KEY01234"), "x Bearer <redacted>");
        assert_eq!(
            clean("key KEY012345… (truncated)"),
            "key <redacted>… (truncated)"
        );
        // JSON-escaped: `\u` escapes and `\/` decode to the key.
        assert_eq!(
            clean(r#"{"detail":"\u004b\u0045\u0059\u0030123456789abc"}"#),
            r#"{"detail":"<redacted>"}"#
        );
        // `\/` is `/` in JSON: a key with a slash is found through it.
        assert_eq!(
            bytes(br"x key\/with-slash y", "key/with-slash").as_ref(),
            b"x <redacted> y"
        );
        // Too short a piece to tell from other text.
        assert_eq!(clean("x KEY0"), "x KEY0");
        // Any piece of 8 bytes or more: the tail after an encoded byte, another case,
        // percent-encoding.
        assert_eq!(clean("..23456789abc"), "..<redacted>");
        assert_eq!(clean("key0123456789ABC"), "<redacted>");
        assert_eq!(clean("%4B%45%59%30123456789abc"), "<redacted>");
    }

    #[test]
    fn json_values_and_headers_are_cleaned_in_place() {
        let mut value = serde_json::json!({"a": ["Bearer KEY0123456789abc"], "b": 1});
        json(&mut value, KEY);
        assert_eq!(
            value,
            serde_json::json!({"a": ["Bearer <redacted>"], "b": 1})
        );
        let mut map = HeaderMap::new();
        map.insert("x-echo", HeaderValue::from_static("KEY0123456789"));
        map.insert("x-other", HeaderValue::from_static("fine"));
        map.insert(
            "x-encoded",
            HeaderValue::from_static("%4B%45%59%30123456789abc"),
        );
        map.insert("x-escaped", HeaderValue::from_static(r"\u004bEY0123456789"));
        // Every byte encoded: no run of the key's bytes is left to see.
        map.insert(
            "x-all-encoded",
            HeaderValue::from_static("%4B%45%59%30%31%32%33%34%35%36%37%38%39%61%62%63"),
        );
        map.insert("content-type", HeaderValue::from_static("application/json"));
        headers(&mut map, KEY, &EchoFilter::new(KEY.as_bytes()));
        assert_eq!(map["x-echo"], REDACTED);
        assert_eq!(map["x-encoded"], REDACTED);
        assert_eq!(map["x-escaped"], REDACTED);
        assert_eq!(map["x-all-encoded"], REDACTED);
        assert_eq!(map["x-other"], "fine");
        assert_eq!(map["content-type"], "application/json");
    }

    /// The quick test lets through every text in which the full search finds an echo
    /// (pseudo-random texts built from pieces of the key, escapes and other bytes).
    #[test]
    fn the_quick_test_misses_no_echo() {
        const PIECES: &[&str] = &[
            "KEY",
            "key",
            "0123",
            "4567",
            "89abc",
            "89ABC",
            "%4B%45%59",
            "%30%31%32%33",
            "%34%35%36%37",
            "%38%39%61%62%63",
            "%4B",
            "%45",
            "\\u0059",
            "\\/",
            "%",
            "\\",
            "x",
            "-",
            "/",
            " ",
            "application/json",
            "é",
        ];
        let filter = EchoFilter::new(KEY.as_bytes());
        let mut next = crate::test_random::numbers(0x9E37_79B9_7F4A_7C15);
        let (mut passed, mut echoes) = (0, 0);
        for _ in 0..100_000 {
            let text: String = (0..next() % 9)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            let found = matches!(bytes(text.as_bytes(), KEY), Cow::Owned(_));
            let may_hold = filter.may_hold(text.as_bytes());
            assert!(may_hold || !found, "{text:?}");
            passed += usize::from(!may_hold);
            echoes += usize::from(found);
        }
        // Both kinds of text were drawn.
        assert!(passed > 10_000 && echoes > 1_000, "{passed} {echoes}");
    }
}
