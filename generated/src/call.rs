//! What one call of an operation sends and how its answer is read: the operation's fixed
//! description, the path with its parameters filled in and percent-encoded, the query
//! string, and the decoders of a 2xx body. The generated methods build a [`Call`]; the
//! client turns it into a URL once per call, before the first attempt.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::Method;
use serde::de::DeserializeOwned;

use crate::rules::{Rule, ValidationError};

/// What the generated methods tell the client about their operation.
pub(crate) struct Operation {
    /// The spec's operationId, for tracing.
    pub(crate) id: &'static str,
    pub(crate) method: Method,
    /// The path template, such as `/messages/{id}`: traced as it is, so that no
    /// parameter value reaches a log.
    pub(crate) path: &'static str,
    /// Whether repeating the request does no harm (from the spec: its method, or
    /// `x-idempotent`), so that the retry policy may resend it after any transient failure.
    pub(crate) repeatable: bool,
}

/// The inputs of one call: path parameter values in the order the template names them,
/// query pairs, and the body.
pub(crate) struct Call<'a, B: ?Sized> {
    pub(crate) path_params: &'a [&'a str],
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) body: Option<&'a B>,
}

/// How a 2xx body becomes the method's result.
pub(crate) type Decode<R> = fn(&[u8]) -> Result<R, serde_json::Error>;

/// The body as JSON of type `R`.
pub(crate) fn json<R: DeserializeOwned>(body: &[u8]) -> Result<R, serde_json::Error> {
    serde_json::from_slice(body)
}

/// No body is promised (a 204, say): whatever arrived is ignored.
#[allow(dead_code)] // for specs with such operations; the compiled outputs use it
pub(crate) fn nothing(_body: &[u8]) -> Result<(), serde_json::Error> {
    Ok(())
}

/// Some success statuses carry a body and some do not: `None` for an empty body.
#[allow(dead_code)] // for specs with such operations; the compiled outputs use it
pub(crate) fn json_if_any<R: DeserializeOwned>(
    body: &[u8],
) -> Result<Option<R>, serde_json::Error> {
    if body.iter().all(u8::is_ascii_whitespace) {
        Ok(None)
    } else {
        serde_json::from_slice(body).map(Some)
    }
}

/// Everything but the unreserved characters of RFC 3986 (`A-Z a-z 0-9 - . _ ~`) is
/// encoded in a path parameter: a value can never add a segment, a query or a fragment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// [`fill_path_into`] into a new string.
#[cfg(test)]
pub(crate) fn fill_path(template: &str, params: &[&str]) -> Result<String, ValidationError> {
    let mut out = String::new();
    fill_path_into(&mut out, template, params)?;
    Ok(out)
}

/// `template` with each `{name}` replaced by the next value of `params`, percent-encoded,
/// appended to `out` (after the base URL, so that a URL is one allocation).
///
/// A segment that parameters make empty, `.` or `..` is refused: URL handling would drop
/// it or resolve it (even percent-encoded, `%2E%2E` is `..` to a URL parser), so the
/// request would reach another path.
pub(crate) fn fill_path_into(
    out: &mut String,
    template: &str,
    params: &[&str],
) -> Result<(), ValidationError> {
    out.reserve(template.len() + params.iter().map(|p| p.len()).sum::<usize>());
    let mut params = params.iter();
    for (i, segment) in template.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        let start = out.len();
        // The first parameter of this segment, to name in an error.
        let mut named: Option<&str> = None;
        let mut rest = segment;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            named = named.or(Some(&rest[open + 1..open + close]));
            let value = params.next().copied().unwrap_or_default();
            out.extend(utf8_percent_encode(value, SEGMENT));
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
        if let Some(name) = named {
            if matches!(&out[start..], "" | "." | "..") {
                return Err(ValidationError {
                    field: name.to_owned(),
                    rule: Rule::PathSegment,
                });
            }
        }
    }
    Ok(())
}

/// `?a=1&b=x%20y` (form encoding), or nothing for no pairs.
pub(crate) fn query_string(pairs: &[(&'static str, String)]) -> String {
    if pairs.is_empty() {
        return String::new();
    }
    let mut query = form_urlencoded::Serializer::for_suffix(String::from("?"), 1);
    for (name, value) in pairs {
        query.append_pair(name, value);
    }
    query.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_parameters_cannot_escape_their_segment() {
        let fill = |template, params| fill_path(template, params).map_err(|e| e.to_string());
        assert_eq!(
            fill("/messages/{id}", &["abc-1"]).as_deref(),
            Ok("/messages/abc-1")
        );
        assert_eq!(
            fill("/messages/{id}", &["a/b?c#d e%"]).as_deref(),
            Ok("/messages/a%2Fb%3Fc%23d%20e%25")
        );
        assert_eq!(
            fill("/messages/{id}", &["a..b"]).as_deref(),
            Ok("/messages/a..b")
        );
        assert_eq!(
            fill("/messages/{id}", &["%2E%2E"]).as_deref(),
            Ok("/messages/%252E%252E")
        );
        assert_eq!(
            fill("/x/{a}/y/{b}.json", &["1", "é"]).as_deref(),
            Ok("/x/1/y/%C3%A9.json")
        );
        assert_eq!(fill("/plain", &[]).as_deref(), Ok("/plain"));
        for value in ["", ".", ".."] {
            let error = fill_path("/messages/{id}", &[value]).expect_err(value);
            assert_eq!(error.field, "id");
            assert_eq!(error.rule, Rule::PathSegment);
        }
        // Together, two values can make a dot segment too.
        let error = fill_path("/x/{a}{b}/y", &[".", "."]).expect_err("..");
        assert_eq!(error.field, "a");
        // Where literal text keeps the segment a name, any value will do.
        assert_eq!(fill("/x/{name}.json", &[""]).as_deref(), Ok("/x/.json"));
        assert_eq!(fill("/x/{name}.json", &["."]).as_deref(), Ok("/x/..json"));
    }

    #[test]
    fn query_pairs_are_form_encoded() {
        assert_eq!(query_string(&[]), "");
        assert_eq!(
            query_string(&[("page[size]", "2".to_owned()), ("q", "a b&c=d".to_owned())]),
            "?page%5Bsize%5D=2&q=a+b%26c%3Dd"
        );
    }

    #[test]
    fn bodies_decode_by_what_the_spec_promises() {
        assert_eq!(json_if_any::<u8>(b" \n").ok(), Some(None));
        assert_eq!(json_if_any::<u8>(b"7").ok(), Some(Some(7)));
        assert!(nothing(b"<html>").is_ok());
        assert!(json::<u8>(b"").is_err());
    }
}
