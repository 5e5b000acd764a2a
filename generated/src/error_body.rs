//! The body of the API's error answers, as the runtime reads it.
//!
//! These types are hand-written, not generated: the client decodes every error answer
//! into them, whatever spec the operations come from. A spec maps its own error schemas
//! onto them (the generator's `Settings::with_replacement`), so that generated types that
//! embed an error (a message's `errors`, say) use these same types.

use serde::{Deserialize, Serialize};

/// An error answer: `{"errors": [...]}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorBody {
    /// The problems found; usually one.
    #[serde(default)]
    pub errors: Vec<ErrorDetail>,
}

/// One problem with a request or a message.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorDetail {
    /// The Telnyx error code, a string of digits.
    #[serde(default)]
    pub code: String,
    /// A short summary of the problem.
    #[serde(default)]
    pub title: String,
    /// A longer explanation of the problem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The part of the request that caused the problem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<ErrorSource>,
    /// Further information, free-form; often a `url` pointing at the error's documentation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<serde_json::Map<String, serde_json::Value>>,
}

/// The part of the request that caused the problem.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorSource {
    /// A JSON Pointer (RFC 6901) to the offending value in the request body, such as `/to`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// The query parameter that caused the problem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
}

/// The `errors` of an error answer: the list of `{"errors": [...]}`, or the one error of
/// a body that is a single error object (some operations answer 403 and 404 so).
///
/// `None`
/// when the body is neither.
pub(crate) fn decode(body: &[u8]) -> Option<Vec<ErrorDetail>> {
    if let Ok(list) = serde_json::from_slice::<ErrorBody>(body) {
        if !list.errors.is_empty() {
            return Some(list.errors);
        }
    }
    match serde_json::from_slice::<ErrorDetail>(body) {
        Ok(one) if !one.code.is_empty() || !one.title.is_empty() => Some(vec![one]),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_or_a_single_error_is_read() {
        let list = decode(br#"{"errors":[{"code":"10001","title":"Bad"}]}"#).unwrap_or_default();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].code, "10001");
        let one = decode(br#"{"code":"10005","title":"Not found","detail":"no such message"}"#)
            .unwrap_or_default();
        assert_eq!(one[0].detail.as_deref(), Some("no such message"));
        assert_eq!(decode(br#"{"errors":[]}"#), None);
        assert_eq!(decode(br#"{"other":1}"#), None);
        assert_eq!(decode(b"<html>"), None);
    }
}
