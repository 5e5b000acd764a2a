//! Typed timestamps for the API's date-time strings (RFC 3339), with the `time` or the
//! `chrono` feature.
//!
//! The string form stays: every date-time field is a `String`, as the API sends it. With
//! a feature on, each request builder with an optional date-time field also has a setter
//! that takes the typed value (`send_at_time`, `send_at_chrono`), and each type with a
//! date-time field has a reader that parses it (`sent_at_time()`, `sent_at_chrono()`).

use std::fmt;

/// A date-time string that is not RFC 3339.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TimestampError {
    /// What the date crate said.
    pub reason: String,
}

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not an RFC 3339 date-time: {}", self.reason)
    }
}

impl std::error::Error for TimestampError {}

/// `value` as the API writes date-times.
#[cfg(feature = "time")]
pub(crate) fn format_time(value: time::OffsetDateTime) -> String {
    use time::format_description::well_known::Rfc3339;
    // In UTC: RFC 3339 has no offsets with seconds. A year outside 0 to 9999 has no RFC
    // 3339 form at all; its plain form then fails the field's `date-time` check.
    let utc = value.to_offset(time::UtcOffset::UTC);
    utc.format(&Rfc3339).unwrap_or_else(|_| utc.to_string())
}

/// A date-time string of the API as a [`time::OffsetDateTime`].
#[cfg(feature = "time")]
pub(crate) fn parse_time(text: &str) -> Result<time::OffsetDateTime, TimestampError> {
    use time::format_description::well_known::Rfc3339;
    time::OffsetDateTime::parse(text, &Rfc3339).map_err(|e| TimestampError {
        reason: e.to_string(),
    })
}

/// `value` as the API writes date-times.
#[cfg(feature = "chrono")]
pub(crate) fn format_chrono<Tz: chrono::TimeZone>(value: chrono::DateTime<Tz>) -> String
where
    Tz::Offset: fmt::Display,
{
    value.to_rfc3339()
}

/// A date-time string of the API as a [`chrono::DateTime`].
#[cfg(feature = "chrono")]
pub(crate) fn parse_chrono(
    text: &str,
) -> Result<chrono::DateTime<chrono::FixedOffset>, TimestampError> {
    chrono::DateTime::parse_from_rfc3339(text).map_err(|e| TimestampError {
        reason: e.to_string(),
    })
}
