//! A matcher for the simple patterns most specs use (anchored sequences of characters
//! and character classes with counts, or a choice between such sequences), run as a
//! bit-parallel automaton: no lock, no allocation, one pass over the value. Any other
//! pattern is left to the regex engine (see `rules::matches_pattern`).
//!
//! The patterns are the generator's regex-lite translation of the spec's ECMA-262 ones.

/// A set of characters: ranges, sorted.
#[derive(Debug, Clone)]
struct Class {
    ranges: Vec<(char, char)>,
}

impl Class {
    fn contains(&self, c: char) -> bool {
        self.ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi)
    }
}

/// One state: a class, and whether it repeats in place (a `*` or `+` past its minimum).
#[derive(Debug, Clone)]
struct State {
    class: Class,
    /// Can be skipped (`?`, the optional copies of `{m,n}`, a `*`).
    optional: bool,
    /// Loops on itself (`*`, and the tail of `+` and `{m,}`).
    repeats: bool,
}

/// One alternative as a bit-parallel automaton: bit `i` of a state set is "before
/// state `i`", bit `len` is "matched".
#[derive(Debug, Clone)]
struct Automaton {
    /// For each ASCII character, the states whose class holds it.
    ascii: Box<[u128; 128]>,
    /// The states, for characters outside ASCII.
    states: Vec<State>,
    /// States that can be skipped.
    optional: u128,
    /// The first state of each run of optional states.
    run_start: u128,
    /// The state just after each run of optional states.
    run_after: u128,
    /// States that loop on themselves.
    repeat: u128,
    /// The "matched" bit.
    accept: u128,
}

impl Automaton {
    fn new(states: Vec<State>) -> Automaton {
        let mut ascii = Box::new([0u128; 128]);
        for (c, mask) in ascii.iter_mut().enumerate() {
            let c = char::from(c as u8);
            for (i, state) in states.iter().enumerate() {
                if state.class.contains(c) {
                    *mask |= 1 << i;
                }
            }
        }
        let bits = |f: fn(&State) -> bool| {
            states
                .iter()
                .enumerate()
                .filter(|(_, s)| f(s))
                .fold(0u128, |acc, (i, _)| acc | 1 << i)
        };
        let optional = bits(|s| s.optional);
        Automaton {
            ascii,
            optional,
            run_start: optional & !(optional << 1),
            run_after: (optional << 1) & !optional,
            repeat: bits(|s| s.repeats),
            accept: 1 << states.len(),
            states,
        }
    }

    /// The states whose class holds `c`.
    fn mask(&self, c: char) -> u128 {
        match usize::try_from(u32::from(c)) {
            Ok(i) if i < 128 => self.ascii[i],
            _ => self
                .states
                .iter()
                .enumerate()
                .filter(|(_, s)| s.class.contains(c))
                .fold(0, |acc, (i, _)| acc | 1 << i),
        }
    }

    /// Adds the positions reachable by skipping optional states, in constant time
    /// however long the runs of optional states are (a `{1,14}` makes a run of 13).
    ///
    /// Within each run, subtracting the run's first bit from the set (with the bit after
    /// the run added, so that the borrow stays inside the run) flips the bits up to the
    /// lowest set one; what did not flip, above it, is what skipping reaches.
    fn closure(&self, set: u128) -> u128 {
        let with_after = set | self.run_after;
        let above_lowest = !with_after.wrapping_sub(self.run_start) ^ with_after;
        set | (above_lowest & (self.optional << 1))
    }

    fn run(&self, value: &str, anchored_end: bool) -> bool {
        let mut current = self.closure(1);
        for c in value.chars() {
            if !anchored_end && current & self.accept != 0 {
                return true;
            }
            let hit = current & self.mask(c);
            if hit == 0 {
                return false;
            }
            current = self.closure((hit << 1) | (hit & self.repeat));
        }
        current & self.accept != 0
    }
}

/// A compiled simple pattern: one automaton per alternative.
#[derive(Debug, Clone)]
pub(crate) struct Simple {
    alternatives: Vec<Automaton>,
    /// Ends with `$`: the whole value must match; otherwise a prefix is enough.
    anchored_end: bool,
}

/// The most states an alternative may have: the automaton's state set is a `u128`.
const MAX_STATES: usize = 127;

impl Simple {
    /// Compiles `pattern` when it is simple enough; `None` otherwise.
    pub(crate) fn compile(pattern: &str) -> Option<Simple> {
        let body = pattern.strip_prefix('^')?;
        let (body, anchored_end) = match body.strip_suffix('$') {
            Some(b) if !b.ends_with('\\') => (b, true),
            _ => (body, false),
        };
        // `(a|b|c)` as the whole body: a choice; otherwise one sequence.
        let alternatives: Vec<&str> = match body.strip_prefix('(').and_then(|b| b.strip_suffix(')'))
        {
            Some(inner) if !inner.contains(['(', ')']) => split_top(inner)?,
            _ => vec![body],
        };
        let alternatives = alternatives
            .into_iter()
            .map(|a| sequence(a).map(Automaton::new))
            .collect::<Option<Vec<_>>>()?;
        Some(Simple {
            alternatives,
            anchored_end,
        })
    }

    /// Whether `value` matches.
    pub(crate) fn is_match(&self, value: &str) -> bool {
        self.alternatives
            .iter()
            .any(|automaton| automaton.run(value, self.anchored_end))
    }
}

/// Splits on `|` outside classes and escapes.
fn split_top(inner: &str) -> Option<Vec<&str>> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut in_class = false;
    let mut escaped = false;
    for (i, c) in inner.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' => in_class = true,
            ']' => in_class = false,
            '|' if !in_class => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    Some(parts)
}

/// A sequence of atoms with counts -> states.
fn sequence(text: &str) -> Option<Vec<State>> {
    let mut states = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let class = match c {
            '[' => class(&mut chars)?,
            '\\' => single(escaped(chars.next()?)?),
            '.' | '(' | ')' | '|' | '*' | '+' | '?' | '{' | '}' | '^' | '$' => return None,
            c => single(c),
        };
        let (min, max) = match chars.peek() {
            Some('?') => {
                chars.next();
                (0, Some(1))
            }
            Some('*') => {
                chars.next();
                (0, None)
            }
            Some('+') => {
                chars.next();
                (1, None)
            }
            Some('{') => {
                chars.next();
                let mut spec = String::new();
                for c in chars.by_ref() {
                    if c == '}' {
                        break;
                    }
                    spec.push(c);
                }
                let (lo, hi) = match spec.split_once(',') {
                    None => {
                        let n: usize = spec.parse().ok()?;
                        (n, Some(n))
                    }
                    Some((lo, "")) => (lo.parse().ok()?, None),
                    Some((lo, hi)) => (lo.parse().ok()?, Some(hi.parse().ok()?)),
                };
                if hi.is_some_and(|hi| hi < lo) {
                    return None;
                }
                (lo, hi)
            }
            _ => (1, Some(1)),
        };
        // Lazy quantifiers and other suffixes are not simple.
        if matches!(chars.peek(), Some('?' | '+' | '*' | '{')) {
            return None;
        }
        for _ in 0..min {
            states.push(State {
                class: class.clone(),
                optional: false,
                repeats: false,
            });
        }
        match max {
            Some(max) => {
                for _ in min..max {
                    states.push(State {
                        class: class.clone(),
                        optional: true,
                        repeats: false,
                    });
                }
            }
            None => states.push(State {
                class,
                optional: true,
                repeats: true,
            }),
        }
        if states.len() > MAX_STATES {
            return None;
        }
    }
    Some(states)
}

fn single(c: char) -> Class {
    Class {
        ranges: vec![(c, c)],
    }
}

/// The character an escape stands for, when it is a plain character.
fn escaped(c: char) -> Option<char> {
    match c {
        '\\' | '+' | '.' | '-' | '/' | '(' | ')' | '[' | ']' | '?' | '*' | '{' | '}' | '|'
        | '^' | '$' | ' ' | '#' | '&' | '~' | ':' | '_' | '@' | '%' | '=' | '!' | '<' | '>'
        | ',' | '\'' | '"' => Some(c),
        _ => None,
    }
}

/// A class `[...]` (after its `[`): characters, ranges and plain escapes; no negation.
fn class(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<Class> {
    let mut ranges = Vec::new();
    if chars.peek() == Some(&'^') {
        return None;
    }
    let mut first = true;
    loop {
        let c = chars.next()?;
        let c = match c {
            ']' if !first => break,
            '[' | '&' | '~' => return None,
            '\\' => escaped(chars.next()?)?,
            c => c,
        };
        first = false;
        if chars.peek() == Some(&'-') {
            let mut ahead = chars.clone();
            ahead.next();
            match ahead.peek() {
                Some(']') | None => ranges.push((c, c)),
                Some(_) => {
                    chars.next();
                    let hi = match chars.next()? {
                        '\\' => escaped(chars.next()?)?,
                        '[' | ']' => return None,
                        hi => hi,
                    };
                    if hi < c {
                        return None;
                    }
                    ranges.push((c, hi));
                }
            }
        } else {
            ranges.push((c, c));
        }
    }
    Some(Class { ranges })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The compiled matcher and regex-lite agree on every pattern and value below.
    #[test]
    fn agrees_with_the_regex_engine() {
        let patterns = [
            r"^\+[1-9][0-9]{1,14}$",
            r"^[0-9]{3,8}$",
            r"^[A-Za-z0-9 ]*[A-Za-z][A-Za-z0-9 ]*$",
            r"^(\+[1-9][0-9]{1,14}|[0-9]{3,8})$",
            r"^https?://",
            r"^[a-f0-9-]+$",
            r"^x?y*z+$",
            r"^a{2,}b$",
            r"^[-a]{0,3}$",
        ];
        let values = [
            "",
            "+",
            "+1",
            "+18445550001",
            "+08445550001",
            "+1234567890123456",
            "123",
            "12",
            "12345678",
            "123456789",
            "MyCompany",
            "My Company",
            "12345",
            "My-Company",
            " a ",
            "http://x",
            "https://x",
            "ftp://x",
            "https:/",
            "httpsx://",
            "abc-123",
            "ABC",
            "z",
            "xz",
            "yyz",
            "xyyzzz",
            "aab",
            "ab",
            "aaaab",
            "-",
            "a-a",
            "----",
            "é",
            "+1\n",
        ];
        for pattern in patterns {
            let simple = Simple::compile(pattern).unwrap_or_else(|| panic!("{pattern} is simple"));
            let regex = regex_lite::Regex::new(pattern).expect("compiles");
            for value in values {
                assert_eq!(
                    simple.is_match(value),
                    regex.is_match(value),
                    "{pattern} on {value:?}"
                );
            }
        }
    }

    #[test]
    fn other_patterns_are_left_to_the_regex_engine() {
        for pattern in [
            r"^[^a]$",
            r"^a.b$",
            r"^(a(b))$",
            r"^a+?$",
            r"abc",
            r"^\d+$",
            r"^(?i)a$",
            r"^[\s]$",
        ] {
            assert!(Simple::compile(pattern).is_none(), "{pattern}");
        }
    }

    /// The constant-time closure reaches what skipping one optional state at a time
    /// reaches, for every layout of optional states and every state set (pseudo-random,
    /// fixed seed).
    #[test]
    fn the_closure_is_the_step_by_step_one() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let len = (next() % 127) as usize + 1;
            let states: Vec<State> = (0..len)
                .map(|_| State {
                    class: Class { ranges: Vec::new() },
                    optional: next() % 3 != 0,
                    repeats: false,
                })
                .collect();
            let automaton = Automaton::new(states);
            let all = (1u128 << len << 1).wrapping_sub(1);
            let set = ((u128::from(next()) << 64) | u128::from(next())) & all;
            let mut expected = set;
            loop {
                let step = expected | ((expected & automaton.optional) << 1);
                if step == expected {
                    break;
                }
                expected = step;
            }
            assert_eq!(automaton.closure(set), expected, "{len} states, set {set:#b}");
        }
    }
}
