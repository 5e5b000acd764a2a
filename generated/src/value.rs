//! Values whose JSON type varies on the wire.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A decimal the API sends either as a string (`"0.0051"`) or as a JSON number (`0.0051`).
///
/// The value keeps the form it arrived in (string or number) and serializes back the same
/// way. A string keeps every digit; a number is held as a JSON number, which keeps
/// integers exactly and other values as the nearest `f64` (`0.10` reads back as `0.1`).
/// [`as_str`](Self::as_str) gives the decimal text in both cases; [`to_f64`](Self::to_f64)
/// converts when an approximation is enough.
///
/// ```
/// use telnyx_messaging::StringOrNumber;
///
/// let text: StringOrNumber = serde_json::from_str(r#""0.0051""#).unwrap();
/// let number: StringOrNumber = serde_json::from_str("0.0051").unwrap();
/// assert_eq!(text.as_str(), "0.0051");
/// assert_eq!(number.as_str(), "0.0051");
/// assert_eq!(serde_json::to_string(&number).unwrap(), "0.0051");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum StringOrNumber {
    /// Sent as a JSON string.
    Text(String),
    /// Sent as a JSON number.
    Number(serde_json::Number),
}

impl StringOrNumber {
    /// The value as decimal text, whichever form it arrived in.
    pub fn as_str(&self) -> std::borrow::Cow<'_, str> {
        match self {
            StringOrNumber::Text(text) => std::borrow::Cow::Borrowed(text),
            StringOrNumber::Number(number) => std::borrow::Cow::Owned(number.to_string()),
        }
    }

    /// The value as a float, if it is a number or a string holding one.
    pub fn to_f64(&self) -> Option<f64> {
        match self {
            StringOrNumber::Text(text) => text.trim().parse().ok(),
            StringOrNumber::Number(number) => number.as_f64(),
        }
    }
}

impl fmt::Display for StringOrNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_str())
    }
}

impl From<&str> for StringOrNumber {
    fn from(value: &str) -> Self {
        StringOrNumber::Text(value.to_owned())
    }
}

impl From<String> for StringOrNumber {
    fn from(value: String) -> Self {
        StringOrNumber::Text(value)
    }
}
