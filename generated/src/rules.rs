//! The spec's rules, checked on the client before a request touches the network: the
//! [`Validate`] trait every request type implements, the [`Rule`]s, and the
//! [`ValidationError`] a broken rule gives.
//!
//! Generated code describes each field's rules as [`Rule`] data taken from the spec's
//! keywords (`pattern`, `maxItems`, ...); the functions here evaluate them. A broken rule
//! is a [`ValidationError`] naming the field and the rule.

use std::fmt;

/// A rule from the spec that a request value must obey.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Rule {
    /// `minLength`: at least this many characters.
    MinLength(u64),
    /// `maxLength`: at most this many characters.
    MaxLength(u64),
    /// `pattern`: must match this regular expression.
    Pattern(&'static Pattern),
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
    /// An object-level `anyOf` of `required` lists: at least one list must be set in full
    /// (e.g. `from` or `messaging_profile_id`).
    RequiredAnyOf(&'static [&'static [&'static str]]),
    /// `anyOf`: must satisfy every rule of at least one alternative.
    AnyOf(&'static [Alternative]),
    /// A path parameter must not make its path segment empty, `.` or `..`, which URL
    /// handling would drop or resolve to another path.
    PathSegment,
    /// The cost guard ([`ClientBuilder::max_parts`](crate::ClientBuilder::max_parts)):
    /// the SMS text takes more parts than allowed.
    MaxParts {
        /// The limit set.
        max: u32,
        /// The parts the text takes.
        parts: u32,
        /// Its encoding.
        encoding: crate::segments::Encoding,
        /// For a UCS-2 text, the first characters that made it UCS-2.
        blamed: [Option<crate::segments::Blame>; 3],
    },
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
            Rule::RequiredAnyOf(alternatives) => {
                let sets: Vec<String> = alternatives
                    .iter()
                    .map(|set| {
                        set.iter()
                            .map(|name| format!("`{name}`"))
                            .collect::<Vec<_>>()
                            .join(" and ")
                    })
                    .collect();
                write!(f, "is missing: set {} (anyOf required)", sets.join(" or "))
            }
            Rule::AnyOf(alternatives) => {
                let names: Vec<&str> = alternatives.iter().map(|a| a.name).collect();
                write!(f, "must be a valid {} (anyOf)", names.join(" or "))
            }
            Rule::MaxParts {
                max,
                parts,
                encoding,
                blamed,
            } => {
                write!(
                    f,
                    "takes {parts} {encoding} part(s), more than the {max} allowed (max_parts)"
                )?;
                // Code points and positions only: the characters are the message's.
                let blamed: Vec<String> = blamed
                    .iter()
                    .flatten()
                    .map(|b| format!("U+{:04X} at {}", u32::from(b.character), b.position))
                    .collect();
                if !blamed.is_empty() {
                    write!(f, "; UCS-2 because of {}", blamed.join(", "))?;
                }
                Ok(())
            }
            Rule::PathSegment => f.write_str(
                "must not be empty, `.` or `..` (a path parameter: it would address another path)",
            ),
        }
    }
}

/// A request value that breaks a rule of the spec.
///
/// Nothing was sent.
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
        // A `oneOf` member reports its own path from "" (the `oneOf` itself): a plain
        // member none, an array member `[i]`, an object member its property.
        let parent = parent.to_string();
        self.field = if parent.is_empty() {
            self.field
        } else if self.field.is_empty() || self.field.starts_with('[') {
            format!("{parent}{}", self.field)
        } else {
            format!("{parent}.{}", self.field)
        };
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

/// A boxed value (a recursive type's field) is checked as the value itself.
impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate(&self) -> Result<(), ValidationError> {
        (**self).validate()
    }
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

/// The error of an object-level `anyOf` whose alternatives only constrain properties:
/// `field` does not meet `rules`.
#[allow(dead_code)] // for specs with such conditions
pub(crate) fn condition_failed(field: &'static str, rules: &'static [Rule]) -> ValidationError {
    ValidationError {
        field: field.to_owned(),
        rule: rules.first().copied().unwrap_or(Rule::RequiredAnyOf(&[])),
    }
}

/// Whether `value` meets `rules`: for the conditions of an object-level `anyOf`, which
/// decide between alternatives rather than refuse a field.
#[allow(dead_code)] // for specs with such conditions
pub(crate) fn passes_str(value: &str, rules: &'static [Rule]) -> bool {
    check_str(Path::Field(""), value, rules).is_ok()
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

/// The error for an object-level `anyOf` of `required` lists none of which is set; it
/// names the first list's fields.
pub(crate) fn missing(alternatives: &'static [&'static [&'static str]]) -> ValidationError {
    ValidationError {
        field: alternatives
            .first()
            .map(|set| set.join(", "))
            .unwrap_or_default(),
        rule: Rule::RequiredAnyOf(alternatives),
    }
}

// The checks a send runs every time (patterns, lengths, the plain URL) stay in this
// function; the rarer ones are calls, so that its code takes few cache lines.
fn str_satisfies(value: &str, rule: &Rule) -> bool {
    match rule {
        // JSON Schema counts characters (code points), not bytes. A character takes one
        // to four bytes, so the byte length alone often decides without counting.
        Rule::MinLength(min) => {
            let bytes = value.len() as u64;
            bytes / 4 >= *min || (bytes >= *min && value.chars().count() as u64 >= *min)
        }
        Rule::MaxLength(max) => value.len() as u64 <= *max || value.chars().count() as u64 <= *max,
        Rule::Pattern(pattern) => pattern.is_match(value),
        Rule::Format(format) => matches_format(*format, value),
        Rule::AnyOf(alternatives) => alternatives
            .iter()
            .any(|a| a.rules.iter().all(|r| str_satisfies(value, r))),
        _ => true,
    }
}

/// A `pattern` of the spec, as the client checks it.
///
/// The simple patterns most specs use (anchored sequences of characters and classes with
/// counts, or a choice of such sequences) are compiled with the crate, by a `const fn`,
/// into a small automaton: checking one takes no lock, no allocation and no lookup. Any
/// other pattern is left to regex-lite, compiled once per thread on first use.
#[derive(Clone, Copy)]
pub struct Pattern {
    source: &'static str,
    simple: Option<crate::matcher::Simple>,
}

impl Pattern {
    /// `source` (regex-lite syntax), compiled when it is simple.
    ///
    /// The generated rules call this in `const` blocks, so that the compiling happens when
    /// the crate is built.
    #[allow(dead_code)] // for specs with patterns
    pub(crate) const fn new(source: &'static str) -> Pattern {
        Pattern {
            source,
            simple: crate::matcher::compile(source),
        }
    }

    /// The pattern's text, in regex-lite syntax (the generator's translation of the
    /// spec's ECMA-262 pattern).
    pub fn as_str(&self) -> &'static str {
        self.source
    }

    /// Whether `value` matches.
    fn is_match(&self, value: &str) -> bool {
        match &self.simple {
            Some(simple) => simple.is_match(value),
            None => matches_regex(self.source, value),
        }
    }
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Pattern) -> bool {
        self.source == other.source
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.source, f)
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.source)
    }
}

/// Whether `value` matches `pattern` by regex-lite: for the patterns [`Pattern`] cannot
/// compile itself.
///
/// Each is compiled once per thread and kept in a thread-local list (a spec has a
/// handful), found by the address of its `&'static str`: no lock on the path of a request.
#[inline(never)] // out of the checks of every field: see `str_satisfies`
fn matches_regex(pattern: &'static str, value: &str) -> bool {
    /// A compiled pattern; `None` if regex-lite refused it.
    type Compiled = std::rc::Rc<Option<regex_lite::Regex>>;
    thread_local! {
        static CACHE: std::cell::RefCell<Vec<(usize, usize, Compiled)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    let key = (pattern.as_ptr() as usize, pattern.len());
    let regex = CACHE.with(|cache| {
        if let Some((_, _, regex)) = cache.borrow().iter().find(|(p, l, _)| (*p, *l) == key) {
            return std::rc::Rc::clone(regex);
        }
        // `None` cannot happen with generated rules (the generator compiles every
        // pattern); refusing is the safe answer if it ever did.
        let regex = std::rc::Rc::new(regex_lite::Regex::new(pattern).ok());
        cache
            .borrow_mut()
            .push((key.0, key.1, std::rc::Rc::clone(&regex)));
        regex
    });
    regex
        .as_ref()
        .as_ref()
        .is_some_and(|regex| regex.is_match(value))
}

fn matches_format(format: Format, value: &str) -> bool {
    match format {
        Format::Uuid => is_uuid(value),
        Format::DateTime => is_date_time(value),
        Format::Date => is_date(value),
        Format::Uri => is_absolute_url(value),
    }
}

// The format checks accept everything the reference JSON Schema validators accept (Prism's
// among them), so that the client never refuses what the spec allows; see the contract
// tests, which compare both verdicts on boundary values.

/// 8-4-4-4-12 hex digits, either case, optionally behind `urn:uuid:`.
#[inline(never)] // out of the checks of every field: see `str_satisfies`
fn is_uuid(value: &str) -> bool {
    let bytes = value.as_bytes();
    let bytes = match bytes.get(..9) {
        Some(prefix) if prefix.eq_ignore_ascii_case(b"urn:uuid:") => &bytes[9..],
        _ => bytes,
    };
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// Exactly `n` ASCII digits, as a number.
fn number(s: &[u8], n: usize) -> Option<u32> {
    (s.len() == n && s.iter().all(u8::is_ascii_digit))
        .then(|| s.iter().fold(0, |acc, b| acc * 10 + u32::from(b - b'0')))
}

/// `YYYY-MM-DD`, a real day of a real month (leap years included).
#[inline(never)] // out of the checks of every field: see `str_satisfies`
fn is_date(value: &str) -> bool {
    let b = value.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) =
        (number(&b[..4], 4), number(&b[5..7], 2), number(&b[8..], 2))
    else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// RFC 3339 `date-time`: a date, `T` (or `t` or a space), `HH:MM:SS[.fraction]`, and a
/// zone `Z` or `±HH[[:]MM]`; a leap second only at 23:59:60.
#[inline(never)] // out of the checks of every field: see `str_satisfies`
fn is_date_time(value: &str) -> bool {
    if value.len() < 20 || !value.is_char_boundary(10) || !is_date(&value[..10]) {
        return false;
    }
    let Some(separator) = value[10..].chars().next() else {
        return false;
    };
    if !(matches!(separator, 'T' | 't') || is_js_whitespace(separator)) {
        return false;
    }
    let time = &value.as_bytes()[10 + separator.len_utf8()..];
    if time.len() < 8 || time[2] != b':' || time[5] != b':' {
        return false;
    }
    let (Some(hour), Some(minute), Some(second)) = (
        number(&time[..2], 2),
        number(&time[3..5], 2),
        number(&time[6..8], 2),
    ) else {
        return false;
    };
    let clock_ok = (hour <= 23 && minute <= 59 && second <= 59)
        || (hour == 23 && minute == 59 && second == 60);
    let mut rest = &time[8..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let digits = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 {
            return false;
        }
        rest = &fraction[digits..];
    }
    let zone_ok = match rest {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', offset @ ..] => {
            let (h, m) = match offset {
                [h1, h2] => ([*h1, *h2], None),
                [h1, h2, b':', m1, m2] | [h1, h2, m1, m2] => ([*h1, *h2], Some([*m1, *m2])),
                _ => return false,
            };
            number(&h, 2).is_some_and(|h| h <= 24)
                && m.is_none_or(|m| number(&m, 2).is_some_and(|m| m <= 59))
        }
        _ => false,
    };
    clock_ok && zone_ok
}

/// JavaScript's `\s`, which the reference validator accepts between date and time.
fn is_js_whitespace(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}

/// An absolute URL as the WHATWG URL standard parses it (the `url` crate), which is how
/// the API reads URLs: internationalized hosts (`https://bücher.example/`), non-ASCII
/// paths and `[]` in a query are fine; a special scheme with no host (`https://`) is not.
fn is_absolute_url(value: &str) -> bool {
    is_plain_web_url(value) || url::Url::parse(value).is_ok()
}

/// Whether `value` is an `http`/`https` URL of the plainest shape, which every URL parser
/// accepts: a lowercase scheme; a host of ASCII letter-digit-hyphen labels, none a
/// punycode one, the last beginning with a letter (so that it cannot be read as an IPv4
/// address); an optional port up to 65535; then a path, query and fragment of printable
/// ASCII that no parser refuses.
///
/// Why by hand: the usual webhook or media URL is checked in one pass with no
/// allocation, where the URL parser (which builds the serialization and runs IDNA on the
/// host) was a twentieth of a send's CPU under load. It only ever says yes to what the
/// parser accepts (a test compares the two on generated strings); anything else, and
/// every refusal, is the parser's call.
fn is_plain_web_url(value: &str) -> bool {
    let Some(rest) = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
    else {
        return false;
    };
    let rest = rest.as_bytes();
    // The host, label by label, in one pass: it ends at the first byte that is not a
    // letter, a digit, `-` or `.`.
    let mut end = 0;
    let mut label_start = 0;
    loop {
        match rest.get(end) {
            Some(c) if c.is_ascii_alphanumeric() || *c == b'-' => end += 1,
            next => {
                let label = &rest[label_start..end];
                let label_ok = matches!((label.first(), label.last()), (Some(a), Some(z)) if a.is_ascii_alphanumeric() && z.is_ascii_alphanumeric())
                    && label.len() <= 63
                    && !label
                        .get(..4)
                        .is_some_and(|p| p.eq_ignore_ascii_case(b"xn--"));
                if !label_ok {
                    return false;
                }
                if next != Some(&b'.') {
                    break;
                }
                end += 1;
                label_start = end;
            }
        }
    }
    // The last label begins with a letter: the host cannot be read as an IPv4 address.
    if end > 253 || !rest.get(label_start).is_some_and(u8::is_ascii_alphabetic) {
        return false;
    }
    let tail = match &rest[end..] {
        [] => return true,
        [b':', port @ ..] => {
            let digits = port.iter().take_while(|c| c.is_ascii_digit()).count();
            let number = std::str::from_utf8(&port[..digits])
                .ok()
                .and_then(|d| d.parse::<u16>().ok());
            let after = &port[digits..];
            // A port ends the authority: only a path, query or fragment may follow.
            if !(1..=5).contains(&digits)
                || number.is_none()
                || !after
                    .first()
                    .is_none_or(|c| matches!(c, b'/' | b'?' | b'#'))
            {
                return false;
            }
            after
        }
        tail @ [b'/' | b'?' | b'#', ..] => tail,
        _ => return false,
    };
    tail.iter().all(|&c| PLAIN_URL_TAIL[usize::from(c)])
}

/// The bytes a plain URL's path, query and fragment may hold: letters, digits and the
/// printable ASCII that no parser refuses there.
const PLAIN_URL_TAIL: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        table[c] = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b':'
                    | b'@'
                    | b'/'
                    | b'?'
                    | b'#'
                    | b'%'
            );
        c += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        for ok in [
            "4000eba1-a0c0-4563-9925-b25e842a7cb6",
            "4000EBA1-A0C0-4563-9925-B25E842A7CB6",
            "urn:uuid:4000eba1-a0c0-4563-9925-b25e842a7cb6",
        ] {
            assert!(is_uuid(ok), "{ok}");
        }
        for bad in [
            "4000eba1a0c0-4563-9925-b25e842a7cb6-",
            "4000eba1-a0c0-4563-9925-b25e842a7cbg",
            "{4000eba1-a0c0-4563-9925-b25e842a7cb6}",
            "4000eba1a0c045639925b25e842a7cb6",
        ] {
            assert!(!is_uuid(bad), "{bad}");
        }
        for ok in [
            "2019-01-23T18:10:02.574Z",
            "2026-11-22T08:00:00+01:00",
            "2026-11-22t08:00:00z",
            "2026-11-22 08:00:00Z",
            "2030-01-23T18:10:00+0100",
            "2030-01-23T18:10:00+01",
            "2030-01-23T18:10:00-24:00",
            "2030-01-23T23:59:60Z",
            "2030-01-23T23:59:60+01:00",
            "2024-02-29T00:00:00Z",
            "2000-02-29T00:00:00Z",
            "0000-01-01T00:00:00Z",
        ] {
            assert!(is_date_time(ok), "{ok}");
        }
        for bad in [
            "2026-11-22T08:00:00",
            "2026-13-22T08:00:00Z",
            "2026-11-22T08:00:00.Z",
            "2030-01-23T18:10:00+25:00",
            "2030-01-23T18:10:00+01:60",
            "2030-01-23T22:59:60-01:00",
            "2030-01-23T18:10:60Z",
            "2023-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2030-02-30T18:10:00Z",
            "2030-04-31T18:10:00Z",
            "2030-01-23T24:00:00Z",
            "2030-01-23T18:10Z",
            "2030-01-23T18:10:00+1",
            "2030-01-23T18:10:00Z ",
            "2030-1-23T18:10:00Z",
            "2030-01-00T18:10:00Z",
            "2030-01-23T18:10:00é",
        ] {
            assert!(!is_date_time(bad), "{bad}");
        }
        assert!(is_date("2026-11-22"));
        assert!(!is_date("2026-11-31"));
        for ok in [
            "https://example.com/hooks",
            "http://example.com",
            "https://[::1]:80/x",
            "https://user@www.example.com:8080/a?b=c#d",
            "https://www.example.com/%41",
            "https://exa_mple.com/",
            "mailto:a@b.c",
            "urn:isbn:0451450523",
            // What the API accepts and an RFC 3986 reading refuses.
            "https://bücher.example/hooks",
            "https://www.example.com/caf\u{e9}",
            "https://www.example.com/a?b=[c]",
        ] {
            assert!(is_absolute_url(ok), "{ok}");
        }
        for bad in [
            "example.com/hooks",
            "https://exa mple.com",
            "1http://x",
            "https:",
            "https://",
            "https:?x",
            "https://[::1/",
            "https://www.example.com:99999/",
        ] {
            assert!(!is_absolute_url(bad), "{bad}");
        }
    }

    /// The fast path says yes only where the URL parser does: on the plain URLs it is for,
    /// and on pseudo-random strings built from the characters that matter to either.
    #[test]
    fn the_plain_url_fast_path_accepts_only_what_the_parser_accepts() {
        for plain in [
            "https://www.example.com/hooks",
            "http://example.com",
            "https://a.b-c.example:8443/x/y?z=1&w=%41#frag",
            "https://EXAMPLE.com/",
        ] {
            assert!(is_plain_web_url(plain), "{plain}");
            assert!(url::Url::parse(plain).is_ok(), "{plain}");
        }
        // Left to the parser, whichever way it decides.
        for other in [
            "https://1.2.3.4/",
            "https://example.123/",
            "https://xn--bcher-kva.example/",
            "https://exa_mple.com/",
            "https://a..b/",
            "https://-a.com/",
            "https://a.com:99999/",
            "https://a.com:/",
            "https://user@a.com/",
            "https://a.com/ b",
            "HTTPS://a.com/",
            "ftp://a.com/",
        ] {
            assert!(!is_plain_web_url(other), "{other}");
        }
        const PIECES: &[&str] = &[
            "http://", "https://", "a", "Z", "0", "9", "-", ".", "_", ":", "/", "?", "#", "%", "@",
            "[", "]", " ", "\\", "xn--", "0x", "com", "é", "65535", "65536", "\n", "'", "~", "..",
        ];
        let mut next = crate::test_random::numbers(0x2545_F491_4F6C_DD1D);
        let mut accepted = 0;
        for _ in 0..200_000 {
            let mut value = String::from(if next() % 2 == 0 {
                "https://"
            } else {
                "http://"
            });
            for _ in 0..(next() % 12) {
                value.push_str(PIECES[(next() % PIECES.len() as u64) as usize]);
            }
            if is_plain_web_url(&value) {
                accepted += 1;
                assert!(url::Url::parse(&value).is_ok(), "{value:?}");
            }
        }
        // The generator reaches the fast path often enough for the comparison to mean
        // something.
        assert!(accepted > 2_000, "{accepted}");
    }

    #[test]
    fn boundaries_of_the_reference_validator() {
        // JavaScript's `\s` separates date and time; U+0085 is not in it.
        for ok in [
            "2030-01-23\u{b}18:10:00Z",
            "2030-01-23\u{a0}18:10:00Z",
            "2030-01-23\u{3000}18:10:00Z",
        ] {
            assert!(is_date_time(ok), "{ok:?}");
        }
        for bad in ["2030-01-23\u{85}18:10:00Z", "2030-01-23_18:10:00Z"] {
            assert!(!is_date_time(bad), "{bad:?}");
        }
        for bad in ["https://[zz]/", "https://[1.2.3.4]/", "https:#x"] {
            assert!(!is_absolute_url(bad), "{bad}");
        }
    }

    #[test]
    fn any_of_passes_when_one_alternative_passes() {
        const RULES: &[Rule] = &[Rule::AnyOf(&[
            Alternative {
                name: "Digits",
                rules: &[Rule::Pattern(const { &Pattern::new("^[0-9]+$") })],
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
        // Every mix of one- to four-byte characters, against every limit around its
        // length: the byte-length shortcuts give the count's answer.
        let widths = ["a", "é", "€", "😀"];
        for len in 0..6u32 {
            for mix in 0..4usize.pow(len) {
                let text: String = (0..len).map(|i| widths[mix / 4usize.pow(i) % 4]).collect();
                let chars = text.chars().count() as u64;
                for limit in 0..8 {
                    let min = str_satisfies(&text, &Rule::MinLength(limit));
                    let max = str_satisfies(&text, &Rule::MaxLength(limit));
                    assert_eq!(min, chars >= limit, "{text:?} minLength {limit}");
                    assert_eq!(max, chars <= limit, "{text:?} maxLength {limit}");
                }
            }
        }
    }
}
