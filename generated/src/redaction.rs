//! Keeping the API key out of everything a server sends back: error bodies, excerpts,
//! request ids, response headers.
//!
//! A server (or a proxy's error page) may echo the request, `Authorization` header and
//! all. The key must not reach any `Debug`, `Display`, log line or accessor, in any form
//! the echo could take: verbatim; JSON-escaped (`\u0041`, `\/`), which decoding turns
//! back into the key; or cut short, a start of it followed by anything (`KEY01234…`).

use std::borrow::Cow;

use reqwest::header::{HeaderMap, HeaderValue};

/// What replaces an echo of the key.
pub(crate) const REDACTED: &str = "<redacted>";

/// A start of the key this long or longer counts as an echo: shorter ones are too likely
/// to be something else.
const MIN_ECHO: usize = 8;

/// `text` with every echo of `key` replaced by [`REDACTED`]: the whole key, or a start of
/// it of [`MIN_ECHO`] or more bytes, anywhere.
pub(crate) fn text<'a>(text: &'a str, key: &str) -> Cow<'a, str> {
    match bytes(text.as_bytes(), key) {
        Cow::Borrowed(_) => Cow::Borrowed(text),
        // Only ASCII runs (the key) were replaced by ASCII, so the text stays UTF-8; a
        // key with other bytes is refused when the client is built.
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
    let unescaped = if body.contains(&b'\\') {
        unescape_json(body)
    } else {
        Cow::Borrowed(body)
    };
    let echo_len = |at: &[u8]| {
        let same = at.iter().zip(key).take_while(|(a, b)| a == b).count();
        (same == key.len() || same >= MIN_ECHO.min(key.len())).then_some(same)
    };
    let first = (0..unescaped.len()).find(|&i| echo_len(&unescaped[i..]).is_some());
    let Some(first) = first else {
        return Cow::Borrowed(body);
    };
    let mut out = Vec::with_capacity(unescaped.len());
    out.extend_from_slice(&unescaped[..first]);
    let mut i = first;
    while i < unescaped.len() {
        match echo_len(&unescaped[i..]) {
            Some(len) => {
                out.extend_from_slice(REDACTED.as_bytes());
                i += len;
            }
            None => {
                out.push(unescaped[i]);
                i += 1;
            }
        }
    }
    Cow::Owned(out)
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
        serde_json::Value::Object(map) => map.values_mut().for_each(|v| json(v, key)),
        _ => {}
    }
}

/// Every header value holding an echo of the key, replaced by [`REDACTED`].
pub(crate) fn headers(headers: &mut HeaderMap, key: &str) {
    for value in headers.values_mut() {
        if matches!(bytes(value.as_bytes(), key), Cow::Owned(_)) {
            *value = HeaderValue::from_static(REDACTED);
        }
    }
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
        // Too short a start to tell from other text.
        assert_eq!(clean("x KEY0"), "x KEY0");
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
        headers(&mut map, KEY);
        assert_eq!(map["x-echo"], REDACTED);
        assert_eq!(map["x-other"], "fine");
    }
}
