//! How many parts an SMS text costs, before it is sent.
//!
//! An SMS is billed per part. A text goes out in GSM-7 (160 characters in one part, 153 a
//! part when split) when every character is in the GSM-7 alphabet, and in UCS-2 (70 and
//! 67) otherwise; one curly quote or emoji is enough to double or triple the cost.
//!
//! - GSM-7 counts septets: `^ { } \ [ ] ~ |`, the euro sign and the form feed take two
//!   (an escape and the character), every other character of the alphabet one. A part
//!   never ends between the two.
//! - UCS-2 counts UTF-16 units: a character outside the Basic Multilingual Plane (most
//!   emoji) takes two, and a part never ends between them.
//! - A message has at most 10 parts.
//! - With `encoding: auto` (and `gsm7`), the API's smart encoding first replaces Unicode
//!   look-alikes (curly quotes, dashes, unusual spaces, the ellipsis, ...) with GSM-7
//!   characters. Telnyx does not publish its full table; [`estimate`] assumes the
//!   replacements of [`Replacement`]'s list and reports each one it assumed. With `ucs2`,
//!   nothing is replaced.
//!
//! [`estimate`] reads the text once and allocates nothing; the characters to blame and
//! the replacements are iterators over the text, computed when asked for.
//!
//! ```
//! use telnyx_messaging::segments::{estimate, Encoding, RequestedEncoding};
//!
//! let plain = estimate("Your code is 123456", RequestedEncoding::Auto);
//! assert_eq!((plain.encoding, plain.parts), (Encoding::Gsm7, 1));
//!
//! let emoji = estimate("Your code is 123456 🎉", RequestedEncoding::Auto);
//! assert_eq!((emoji.encoding, emoji.parts), (Encoding::Ucs2, 1));
//! let blamed: Vec<char> = emoji.non_gsm_characters().map(|b| b.character).collect();
//! assert_eq!(blamed, ['🎉']);
//! ```

use std::fmt;

/// The most parts a message may have.
pub const MAX_PARTS: u32 = 10;

/// The encoding a request asks for (its `encoding` field).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RequestedEncoding {
    /// GSM-7 when the text (after smart encoding) allows it, else UCS-2.
    #[default]
    Auto,
    /// GSM-7, after smart encoding; the API refuses a text with other characters (400).
    Gsm7,
    /// UCS-2, without smart encoding.
    Ucs2,
}

impl RequestedEncoding {
    /// The request field's value (`auto`, `gsm7`, `ucs2`); any other value is read as
    /// `auto`, the API's default.
    pub fn from_field(value: Option<&str>) -> Self {
        match value {
            Some("gsm7") => RequestedEncoding::Gsm7,
            Some("ucs2") => RequestedEncoding::Ucs2,
            _ => RequestedEncoding::Auto,
        }
    }
}

/// The encoding a text goes out in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Encoding {
    /// 7-bit GSM: 160 characters in one part, 153 a part when split.
    Gsm7,
    /// UCS-2 (UTF-16): 70 units in one part, 67 a part when split.
    Ucs2,
}

impl Encoding {
    /// Units in a message of one part.
    pub fn single_part_units(self) -> u32 {
        match self {
            Encoding::Gsm7 => 160,
            Encoding::Ucs2 => 70,
        }
    }

    /// Units in each part of a message of several.
    pub fn multi_part_units(self) -> u32 {
        match self {
            Encoding::Gsm7 => 153,
            Encoding::Ucs2 => 67,
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Encoding::Gsm7 => "GSM-7",
            Encoding::Ucs2 => "UCS-2",
        })
    }
}

/// What a text costs: its encoding and parts.
#[derive(Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Estimate<'a> {
    text: &'a str,
    /// Whether smart encoding's replacements were assumed.
    smart: bool,
    /// The encoding the text goes out in.
    pub encoding: Encoding,
    /// How many parts it is billed as (1 for an empty text).
    pub parts: u32,
    /// Units (GSM-7 septets or UTF-16 units) a part holds: 160 or 70 for one part, 153
    /// or 67 for each of several.
    pub units_per_part: u32,
    /// Units used in the last part.
    pub last_part_units: u32,
    /// Units of the whole text, after the assumed replacements.
    pub units: u32,
    /// With `gsm7` requested: whether every character (after replacements) is in GSM-7.
    ///
    /// The API refuses the text with 400 otherwise. Always true for `auto` and `ucs2`.
    pub encodable: bool,
}

// `Debug` without the text: it is the message.
impl fmt::Debug for Estimate<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Estimate")
            .field("encoding", &self.encoding)
            .field("parts", &self.parts)
            .field("units_per_part", &self.units_per_part)
            .field("last_part_units", &self.last_part_units)
            .field("units", &self.units)
            .field("encodable", &self.encodable)
            .finish_non_exhaustive()
    }
}

/// A character of the text and where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Blame {
    /// Its position in characters (Unicode scalar values), from 0.
    pub position: usize,
    /// Its position in bytes (UTF-8), for slicing the text.
    pub byte: usize,
    /// The character.
    pub character: char,
}

/// A replacement smart encoding is assumed to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replacement {
    /// Where, and which character is replaced.
    pub at: Blame,
    /// What it is replaced with (GSM-7 text; empty for a character that is dropped).
    pub with: &'static str,
}

impl<'a> Estimate<'a> {
    /// Whether the message fits the API's limit of [`MAX_PARTS`] parts.
    pub fn within_limit(&self) -> bool {
        self.parts <= MAX_PARTS
    }

    /// The characters outside GSM-7 (after the assumed replacements): those that made
    /// the text UCS-2 with `auto`, or that the API refuses with `gsm7`.
    pub fn non_gsm_characters(&self) -> impl Iterator<Item = Blame> + 'a {
        let smart = self.smart;
        scan(self.text).filter(move |b| {
            gsm_units(b.character).is_none() && !(smart && smart_replacement(b.character).is_some())
        })
    }

    /// The replacements smart encoding is assumed to make, before the encoding is chosen
    /// (none with `ucs2`, or with smart encoding off).
    pub fn replacements(&self) -> impl Iterator<Item = Replacement> + 'a {
        let applies = self.smart;
        scan(self.text).filter(move |_| applies).filter_map(|at| {
            if gsm_units(at.character).is_some() {
                return None;
            }
            smart_replacement(at.character).map(|with| Replacement { at, with })
        })
    }
}

/// The characters of `text` with their positions.
fn scan(text: &str) -> impl Iterator<Item = Blame> + '_ {
    text.char_indices()
        .enumerate()
        .map(|(position, (byte, character))| Blame {
            position,
            byte,
            character,
        })
}

/// Estimates the encoding and parts of `text` sent with `encoding`, assuming the
/// messaging profile's smart encoding is on (Telnyx applies it with `auto` then, and
/// always with `gsm7`).
pub fn estimate(text: &str, encoding: RequestedEncoding) -> Estimate<'_> {
    estimate_with(text, encoding, true)
}

/// [`estimate`] with the profile's smart encoding setting given: with `false`, `auto`
/// replaces nothing (`gsm7` still does, `ucs2` never does).
pub fn estimate_with(
    text: &str,
    encoding: RequestedEncoding,
    smart_encoding: bool,
) -> Estimate<'_> {
    let smart = match encoding {
        RequestedEncoding::Auto => smart_encoding,
        RequestedEncoding::Gsm7 => true,
        RequestedEncoding::Ucs2 => false,
    };
    // One pass counts both encodings: the replacements come first, and the encoding
    // follows from what is left.
    let mut gsm = Parts::new(Encoding::Gsm7);
    let mut ucs2 = Parts::new(Encoding::Ucs2);
    let mut all_gsm = true;
    for c in text.chars() {
        if let Some(units) = gsm_units(c) {
            gsm.push(units);
            ucs2.push(1);
        } else if let Some(with) = smart.then(|| smart_replacement(c)).flatten() {
            for r in with.chars() {
                gsm.push(gsm_units(r).unwrap_or(1));
                ucs2.push(1);
            }
        } else {
            all_gsm = false;
            // With `gsm7` the API refuses the text; it is counted as one septet.
            gsm.push(1);
            ucs2.push(c.len_utf16() as u8);
        }
    }
    let (parts, encodable) = match encoding {
        RequestedEncoding::Gsm7 => (gsm, all_gsm),
        RequestedEncoding::Auto if all_gsm => (gsm, true),
        _ => (ucs2, true),
    };
    parts.finish(text, smart, encodable)
}

/// Parts filled one character at a time: a character never straddles two parts.
struct Parts {
    encoding: Encoding,
    units: u32,
    /// Parts of `multi_part_units` filled so far, and the units in the current one.
    full: u32,
    current: u32,
}

impl Parts {
    fn new(encoding: Encoding) -> Self {
        Parts {
            encoding,
            units: 0,
            full: 0,
            current: 0,
        }
    }

    fn push(&mut self, units: u8) {
        let units = u32::from(units);
        self.units += units;
        if self.current + units > self.encoding.multi_part_units() {
            self.full += 1;
            self.current = 0;
        }
        self.current += units;
    }

    fn finish(self, text: &str, smart: bool, encodable: bool) -> Estimate<'_> {
        let single = self.encoding.single_part_units();
        let (parts, units_per_part, last_part_units) = if self.units <= single {
            (1, single, self.units)
        } else {
            (
                self.full + 1,
                self.encoding.multi_part_units(),
                self.current,
            )
        };
        Estimate {
            text,
            smart,
            encoding: self.encoding,
            parts,
            units_per_part,
            last_part_units,
            units: self.units,
            encodable,
        }
    }
}

/// Septets `c` takes in GSM-7 (3GPP TS 23.038's default alphabet and its extension
/// table), or `None` when it is not in it.
fn gsm_units(c: char) -> Option<u8> {
    match c {
        // The ASCII part of the default alphabet: letters, digits, space, LF, CR and the
        // punctuation it shares with ASCII (not ` which has no GSM-7 form).
        'A'..='Z' | 'a'..='z' | '0'..='9' | ' ' | '\n' | '\r' => Some(1),
        '!' | '"' | '#' | '%' | '&' | '\'' | '(' | ')' | '*' | '+' | ',' | '-' | '.' | '/' => {
            Some(1)
        }
        ':' | ';' | '<' | '=' | '>' | '?' | '@' | '_' | '$' => Some(1),
        // The rest of the default alphabet.
        '£' | '¥' | 'è' | 'é' | 'ù' | 'ì' | 'ò' | 'Ç' | 'Ø' | 'ø' | 'Å' | 'å' | 'Δ' | 'Φ' | 'Γ'
        | 'Λ' | 'Ω' | 'Π' | 'Ψ' | 'Σ' | 'Θ' | 'Ξ' | 'Æ' | 'æ' | 'ß' | 'É' | '¤' | '¡' | 'Ä'
        | 'Ö' | 'Ñ' | 'Ü' | '§' | '¿' | 'ä' | 'ö' | 'ñ' | 'ü' | 'à' => Some(1),
        // The extension table: an escape septet, then the character.
        '^' | '{' | '}' | '\\' | '[' | ']' | '~' | '|' | '€' | '\u{c}' => Some(2),
        _ => None,
    }
}

/// The GSM-7 text smart encoding is assumed to put in place of `c`: look-alike
/// punctuation and spaces, as Telnyx's documentation describes it (curly quotes, dashes,
/// non-breaking spaces, the ellipsis, ...).
fn smart_replacement(c: char) -> Option<&'static str> {
    Some(match c {
        // Quotes and primes.
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{00B4}'
        | '\u{02BC}' | '\u{FF07}' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' | '\u{FF02}' => "\"",
        '\u{2039}' => "<",
        '\u{203A}' => ">",
        // Hyphens, dashes and the minus sign.
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' | '\u{FE63}' | '\u{FF0D}' => "-",
        // Spaces other than the plain one.
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' | '\t' => " ",
        // Invisible characters.
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => "",
        '\u{2026}' => "...",
        '\u{2022}' | '\u{00B7}' => "-",
        '\u{02C6}' => "^",
        '\u{02DC}' => "~",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> (Encoding, u32, u32) {
        let e = estimate(text, RequestedEncoding::Auto);
        (e.encoding, e.parts, e.last_part_units)
    }

    #[test]
    fn the_classic_boundaries() {
        assert_eq!(parts(&"a".repeat(160)), (Encoding::Gsm7, 1, 160));
        assert_eq!(parts(&"a".repeat(161)), (Encoding::Gsm7, 2, 8));
        assert_eq!(parts(&"a".repeat(306)), (Encoding::Gsm7, 2, 153));
        assert_eq!(parts(&"a".repeat(307)), (Encoding::Gsm7, 3, 1));
        assert_eq!(parts(&"a".repeat(1530)), (Encoding::Gsm7, 10, 153));
        assert_eq!(parts(&"é".repeat(160)), (Encoding::Gsm7, 1, 160));
        assert_eq!(parts(&"ж".repeat(70)), (Encoding::Ucs2, 1, 70));
        assert_eq!(parts(&"ж".repeat(71)), (Encoding::Ucs2, 2, 4));
        assert_eq!(parts(&"ж".repeat(134)), (Encoding::Ucs2, 2, 67));
        assert_eq!(parts(""), (Encoding::Gsm7, 1, 0));
    }

    #[test]
    fn an_escape_pair_or_a_surrogate_pair_is_never_split() {
        // 152 septets, then `{` (two): it goes whole into the second part.
        let text = format!("{}{{{}", "a".repeat(152), "a".repeat(10));
        let e = estimate(&text, RequestedEncoding::Auto);
        assert_eq!((e.units, e.parts, e.last_part_units), (164, 2, 12));
        // 66 units, then an emoji (two): into the second part.
        let text = format!("{}😀{}", "ж".repeat(66), "ж".repeat(5));
        let e = estimate(&text, RequestedEncoding::Auto);
        assert_eq!((e.units, e.parts, e.last_part_units), (73, 2, 7));
        assert_eq!(parts(&"€".repeat(80)), (Encoding::Gsm7, 1, 160));
        assert_eq!(parts(&"€".repeat(81)), (Encoding::Gsm7, 2, 10));
    }

    #[test]
    fn smart_encoding_is_assumed_with_auto_and_gsm7_only() {
        let text = "“Don’t” — go…";
        let auto = estimate(text, RequestedEncoding::Auto);
        assert_eq!((auto.encoding, auto.units), (Encoding::Gsm7, 15));
        let replaced: Vec<(usize, &str)> = auto
            .replacements()
            .map(|r| (r.at.position, r.with))
            .collect();
        assert_eq!(
            replaced,
            [(0, "\""), (4, "'"), (6, "\""), (8, "-"), (12, "...")]
        );
        assert_eq!(auto.non_gsm_characters().count(), 0);
        let ucs2 = estimate(text, RequestedEncoding::Ucs2);
        assert_eq!(
            (ucs2.encoding, ucs2.units, ucs2.replacements().count()),
            (Encoding::Ucs2, 13, 0)
        );
        // One character that has no replacement makes the whole text UCS-2; the
        // replacements are made first all the same.
        let mixed = estimate("“Hi” …😀", RequestedEncoding::Auto);
        assert_eq!((mixed.encoding, mixed.units), (Encoding::Ucs2, 10));
        assert_eq!(mixed.replacements().count(), 3);
        // With the profile's smart encoding off, `auto` replaces nothing.
        let off = estimate_with(text, RequestedEncoding::Auto, false);
        assert_eq!(
            (off.encoding, off.units, off.replacements().count()),
            (Encoding::Ucs2, 13, 0)
        );
        let blamed: Vec<Blame> = mixed.non_gsm_characters().collect();
        assert_eq!(
            blamed,
            [Blame {
                position: 6,
                byte: 12,
                character: '😀'
            }]
        );
    }

    #[test]
    fn gsm7_requested_counts_what_it_can_and_flags_the_rest() {
        let e = estimate("Hi 😀", RequestedEncoding::Gsm7);
        assert_eq!(
            (e.encoding, e.encodable, e.parts),
            (Encoding::Gsm7, false, 1)
        );
        assert_eq!(
            e.non_gsm_characters()
                .map(|b| b.character)
                .collect::<Vec<_>>(),
            ['😀']
        );
        assert!(estimate("Hi", RequestedEncoding::Gsm7).encodable);
    }

    #[test]
    fn the_limit_is_ten_parts() {
        assert!(estimate(&"a".repeat(1530), RequestedEncoding::Auto).within_limit());
        assert!(!estimate(&"a".repeat(1531), RequestedEncoding::Auto).within_limit());
    }
}
