//! Client-side checks of the spec's rules, run before a request touches the network.
//!
//! Generated code describes each field's rules as [`Rule`] data taken from the spec's
//! keywords (`pattern`, `maxItems`, ...); the functions here evaluate them. A broken rule
//! is a [`ValidationError`] naming the field and the rule.

use std::fmt;
use std::sync::{Mutex, OnceLock};

/// A rule from the spec that a request value must obey.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Rule {
    /// `minLength`: at least this many characters.
    MinLength(u64),
    /// `maxLength`: at most this many characters.
    MaxLength(u64),
    /// `pattern`: must match this regular expression.
    Pattern(&'static str),
    /// `format`.
    Format(Format),
    /// `minItems`: at least this many items.
    MinItems(u64),
    /// `maxItems`: at most this many items.
    MaxItems(u64),
    /// `minimum`.
    Minimum(f64),
    /// `maximum`.
    Maximum(f64),
    /// `enum`: one of these values.
    OneOf(&'static [&'static str]),
    /// `anyOf`: must satisfy every rule of at least one alternative.
    AnyOf(&'static [Alternative]),
}

/// One alternative of [`Rule::AnyOf`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Alternative {
    /// The spec's name for it (e.g. `E164PhoneNumber`).
    pub name: &'static str,
    /// Its rules.
    pub rules: &'static [Rule],
}

/// String formats the crate checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// A UUID: 32 hex digits in groups of 8-4-4-4-12.
    Uuid,
    /// An RFC 3339 date-time such as `2026-11-22T08:00:00Z`.
    DateTime,
    /// An RFC 3339 full-date such as `2026-11-22`.
    Date,
    /// An absolute URI: a scheme, `:`, and no whitespace.
    Uri,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Uuid => "uuid",
            Format::DateTime => "date-time",
            Format::Date => "date",
            Format::Uri => "uri",
        })
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::MinLength(n) => write!(f, "must be at least {n} character(s) long (minLength)"),
            Rule::MaxLength(n) => write!(f, "must be at most {n} character(s) long (maxLength)"),
            Rule::Pattern(p) => write!(f, "must match the pattern `{p}`"),
            Rule::Format(format) => write!(f, "must be a valid `{format}` (format)"),
            Rule::MinItems(n) => write!(f, "must have at least {n} item(s) (minItems)"),
            Rule::MaxItems(n) => write!(f, "must have at most {n} item(s) (maxItems)"),
            Rule::Minimum(x) => write!(f, "must be at least {x} (minimum)"),
            Rule::Maximum(x) => write!(f, "must be at most {x} (maximum)"),
            Rule::OneOf(values) => write!(f, "must be one of {values:?} (enum)"),
            Rule::AnyOf(alternatives) => {
                let names: Vec<&str> = alternatives.iter().map(|a| a.name).collect();
                write!(f, "must be a valid {} (anyOf)", names.join(" or "))
            }
        }
    }
}

/// A request value that breaks a rule of the spec. Nothing was sent.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ValidationError {
    /// Where the value sits in the request body: `to`, `media_urls[2]`, ...
    pub field: String,
    /// The rule it breaks.
    pub rule: Rule,
}

impl ValidationError {
    /// Prefixes the field path with the property that holds a nested object.
    // Called by generated code only when a request nests an object; not every spec does.
    #[allow(dead_code)]
    pub(crate) fn within(mut self, parent: Path<'_>) -> Self {
        self.field = format!("{parent}.{}", self.field);
        self
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "field `{}` {}", self.field, self.rule)
    }
}

impl std::error::Error for ValidationError {}

/// Checks a request against every rule of the spec.
///
/// The client's send methods call this first and refuse to send on failure; call it
/// yourself to check a request early (when it is built from user input, say).
pub trait Validate {
    /// The first broken rule, if any.
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] naming the field and the rule.
    fn validate(&self) -> Result<(), ValidationError>;
}

/// Where a checked value sits; turned into text only when a check fails.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Path<'a> {
    /// A property.
    Field(&'a str),
    /// An item of an array property.
    Item(&'a str, usize),
}

impl Path<'_> {
    pub(crate) fn item(self, index: usize) -> Self {
        match self {
            Path::Field(name) | Path::Item(name, _) => Path::Item(name, index),
        }
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Field(name) => f.write_str(name),
            Path::Item(name, index) => write!(f, "{name}[{index}]"),
        }
    }
}

fn fail(path: Path<'_>, rule: Rule) -> Result<(), ValidationError> {
    Err(ValidationError {
        field: path.to_string(),
        rule,
    })
}

pub(crate) fn check_str(
    path: Path<'_>,
    value: &str,
    rules: &'static [Rule],
) -> Result<(), ValidationError> {
    for rule in rules {
        if !str_satisfies(value, rule) {
            return fail(path, *rule);
        }
    }
    Ok(())
}

pub(crate) fn check_items(
    path: Path<'_>,
    len: usize,
    rules: &'static [Rule],
) -> Result<(), ValidationError> {
    let len = len as u64;
    for rule in rules {
        let ok = match rule {
            Rule::MinItems(min) => len >= *min,
            Rule::MaxItems(max) => len <= *max,
            _ => true,
        };
        if !ok {
            return fail(path, *rule);
        }
    }
    Ok(())
}

// Called by generated code only for numeric request fields with `minimum`/`maximum`.
#[allow(dead_code)]
pub(crate) fn check_number(
    path: Path<'_>,
    value: f64,
    rules: &'static [Rule],
) -> Result<(), ValidationError> {
    for rule in rules {
        let ok = match rule {
            Rule::Minimum(min) => value >= *min,
            Rule::Maximum(max) => value <= *max,
            _ => true,
        };
        if !ok {
            return fail(path, *rule);
        }
    }
    Ok(())
}

pub(crate) fn check_enum(
    path: Path<'_>,
    value: &str,
    allowed: &'static [&'static str],
) -> Result<(), ValidationError> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        fail(path, Rule::OneOf(allowed))
    }
}

fn str_satisfies(value: &str, rule: &Rule) -> bool {
    match rule {
        // JSON Schema counts characters (code points), not bytes.
        Rule::MinLength(min) => value.chars().count() as u64 >= *min,
        Rule::MaxLength(max) => value.chars().count() as u64 <= *max,
        Rule::Pattern(pattern) => matches_pattern(pattern, value),
        Rule::Format(format) => matches_format(*format, value),
        Rule::AnyOf(alternatives) => alternatives
            .iter()
            .any(|a| a.rules.iter().all(|r| str_satisfies(value, r))),
        _ => true,
    }
}

/// Compiled patterns, each compiled once per process. The set is the spec's patterns, a
/// handful, so a list behind a mutex is plenty.
fn matches_pattern(pattern: &'static str, value: &str) -> bool {
    static CACHE: OnceLock<Mutex<Vec<(&'static str, &'static regex_lite::Regex)>>> =
        OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(Vec::new()));
    // A poisoned lock only means another thread panicked mid-push; the list is still valid.
    let mut cache = cache
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let regex = match cache.iter().find(|(p, _)| *p == pattern) {
        Some((_, regex)) => *regex,
        None => match regex_lite::Regex::new(pattern) {
            Ok(regex) => {
                // Leaked on purpose: one regex per spec pattern, alive for the process.
                let regex: &'static regex_lite::Regex = Box::leak(Box::new(regex));
                cache.push((pattern, regex));
                regex
            }
            // The generator compiles every pattern, so this cannot happen with generated
            // rules; refusing is the safe answer if it ever did.
            Err(_) => return false,
        },
    };
    drop(cache);
    regex.is_match(value)
}

fn matches_format(format: Format, value: &str) -> bool {
    match format {
        Format::Uuid => is_uuid(value),
        Format::DateTime => is_date_time(value),
        Format::Date => is_date(value),
        Format::Uri => is_absolute_uri(value),
    }
}

fn is_uuid(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `YYYY-MM-DD` with a month 01-12 and a day 01-31.
fn is_date(value: &str) -> bool {
    let parts: Vec<&str> = value.split('-').collect();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
            digits(y).is_some()
                && digits(m).is_some_and(|m| (1..=12).contains(&m))
                && digits(d).is_some_and(|d| (1..=31).contains(&d))
        }
        _ => false,
    }
}

/// RFC 3339 `date-time`: `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`.
fn is_date_time(value: &str) -> bool {
    let Some((date, time)) = value.split_once(['T', 't']) else {
        return false;
    };
    if !is_date(date) {
        return false;
    }
    let (clock, offset) = if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        (clock, None)
    } else if let Some(at) = time.rfind(['+', '-']) {
        (&time[..at], Some(&time[at + 1..]))
    } else {
        return false;
    };
    let (hms, fraction) = match clock.split_once('.') {
        Some((hms, fraction)) => (hms, Some(fraction)),
        None => (clock, None),
    };
    let hms_ok = match hms.split(':').collect::<Vec<_>>().as_slice() {
        [h, m, s] if h.len() == 2 && m.len() == 2 && s.len() == 2 => {
            digits(h).is_some_and(|h| h <= 23)
                && digits(m).is_some_and(|m| m <= 59)
                && digits(s).is_some_and(|s| s <= 60)
        }
        _ => false,
    };
    let fraction_ok =
        fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    let offset_ok = offset.is_none_or(|o| match o.split_once(':') {
        Some((h, m)) if h.len() == 2 && m.len() == 2 => {
            digits(h).is_some_and(|h| h <= 23) && digits(m).is_some_and(|m| m <= 59)
        }
        _ => false,
    });
    hms_ok && fraction_ok && offset_ok
}

/// RFC 3986 absolute URI: `scheme ":" rest`, the scheme a letter then letters, digits,
/// `+`, `-` or `.`, and no whitespace or control character anywhere.
fn is_absolute_uri(value: &str) -> bool {
    let Some((scheme, rest)) = value.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert!(is_uuid("4000eba1-a0c0-4563-9925-b25e842a7cb6"));
        assert!(!is_uuid("4000eba1a0c0-4563-9925-b25e842a7cb6-"));
        assert!(!is_uuid("4000eba1-a0c0-4563-9925-b25e842a7cbg"));
        assert!(is_date_time("2019-01-23T18:10:02.574Z"));
        assert!(is_date_time("2026-11-22T08:00:00+01:00"));
        assert!(is_date_time("2026-11-22T08:00:00-05:30"));
        assert!(!is_date_time("2026-11-22 08:00:00Z"));
        assert!(!is_date_time("2026-13-22T08:00:00Z"));
        assert!(!is_date_time("2026-11-22T08:00:00"));
        assert!(!is_date_time("2026-11-22T08:00:00.Z"));
        assert!(is_date("2026-11-22"));
        assert!(!is_date("2026-11-32"));
        assert!(is_absolute_uri("https://example.com/hooks"));
        assert!(is_absolute_uri("http://example.com"));
        assert!(!is_absolute_uri("example.com/hooks"));
        assert!(!is_absolute_uri("https://exa mple.com"));
        assert!(!is_absolute_uri("1http://x"));
    }

    #[test]
    fn any_of_passes_when_one_alternative_passes() {
        const RULES: &[Rule] = &[Rule::AnyOf(&[
            Alternative {
                name: "Digits",
                rules: &[Rule::Pattern("^[0-9]+$")],
            },
            Alternative {
                name: "Short",
                rules: &[Rule::MaxLength(2)],
            },
        ])];
        let rules = RULES;
        assert!(check_str(Path::Field("x"), "12345", rules).is_ok());
        assert!(check_str(Path::Field("x"), "ab", rules).is_ok());
        let err = check_str(Path::Field("x"), "abc", rules).unwrap_err();
        assert_eq!(
            err.to_string(),
            "field `x` must be a valid Digits or Short (anyOf)"
        );
    }

    #[test]
    fn numbers_and_nesting() {
        assert!(
            check_number(
                Path::Field("parts"),
                10.0,
                &[Rule::Minimum(1.0), Rule::Maximum(10.0)]
            )
            .is_ok()
        );
        let err = check_number(
            Path::Field("parts"),
            11.0,
            &[Rule::Minimum(1.0), Rule::Maximum(10.0)],
        )
        .unwrap_err();
        assert_eq!(err.rule, Rule::Maximum(10.0));
        let nested = err.within(Path::Item("items", 2));
        assert_eq!(
            nested.to_string(),
            "field `items[2].parts` must be at most 10 (maximum)"
        );
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        assert!(check_str(Path::Field("t"), "éé", &[Rule::MaxLength(2)]).is_ok());
        let err = check_str(Path::Item("to", 3), "", &[Rule::MinLength(1)]).unwrap_err();
        assert_eq!(err.field, "to[3]");
        assert_eq!(err.rule, Rule::MinLength(1));
    }
}
