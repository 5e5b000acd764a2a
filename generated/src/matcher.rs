//! A matcher for the simple patterns most specs use (anchored sequences of characters
//! and character classes with counts, or a choice between such sequences): no lock, no
//! allocation, one pass over the value. An ASCII pattern of few states runs as one
//! deterministic automaton (a table lookup per byte), any other simple one as
//! bit-parallel automata, one per alternative. Any other pattern is left to the regex
//! engine (see `rules::Pattern`).
//!
//! [`compile`] is a `const fn`: the generated rules call it in `const` blocks, so each
//! pattern of the spec is compiled when the crate is, into tables in read-only data that
//! nothing has to look up, lock or initialise on the path of a request.
//!
//! The patterns are the generator's regex-lite translation of the spec's ECMA-262 ones.

/// The most states an alternative may have: the automaton's state set is a `u128`.
const MAX_STATES: usize = 127;
/// The most alternatives of a choice `(a|b|...)`.
const MAX_ALTERNATIVES: usize = 4;
/// The most distinct state sets the ASCII characters of one alternative may map to.
const MAX_MASKS: usize = 16;
/// The most ranges of non-ASCII characters one alternative may name.
const MAX_WIDE: usize = 4;
/// The most ranges of one class `[...]`.
const MAX_CLASS_RANGES: usize = 24;
/// The most states of a [`Dfa`] (its accepting states are the bits of a `u64`).
const MAX_DFA_STATES: usize = 64;
/// The most byte classes of a [`Dfa`]: the width of a row of its table.
const DFA_CLASSES: usize = 16;
const _: () = assert!(
    (MAX_DFA_STATES * DFA_CLASSES).is_power_of_two(),
    "a Dfa's index is masked, not checked"
);
/// The state no value leaves once in it, and that matches none.
const DEAD: u8 = 0;
/// For a pattern without `$`: the state of a value whose beginning matched, so that the
/// value matches whatever follows.
const MATCHED: u8 = 1;

/// A set of characters: ranges of code points.
#[derive(Clone, Copy)]
struct Class {
    ranges: [(u32, u32); MAX_CLASS_RANGES],
    len: usize,
}

impl Class {
    const fn single(c: u32) -> Class {
        let mut ranges = [(0, 0); MAX_CLASS_RANGES];
        ranges[0] = (c, c);
        Class { ranges, len: 1 }
    }
}

/// A state set: `u64` for the automata of up to 63 states (the usual ones: half the work
/// of `u128` per character), `u128` for up to 127.
trait States:
    Copy
    + PartialEq
    + std::ops::BitAnd<Output = Self>
    + std::ops::BitOr<Output = Self>
    + std::ops::BitXor<Output = Self>
    + std::ops::Not<Output = Self>
    + std::ops::Shl<u32, Output = Self>
{
    const ZERO: Self;
    const ONE: Self;
    fn wrapping_sub(self, other: Self) -> Self;
}

impl States for u64 {
    const ZERO: u64 = 0;
    const ONE: u64 = 1;
    fn wrapping_sub(self, other: u64) -> u64 {
        u64::wrapping_sub(self, other)
    }
}

impl States for u128 {
    const ZERO: u128 = 0;
    const ONE: u128 = 1;
    fn wrapping_sub(self, other: u128) -> u128 {
        u128::wrapping_sub(self, other)
    }
}

/// One alternative as a bit-parallel automaton: bit `i` of a state set is "before
/// state `i`", the bit after the last state is "matched".
#[derive(Clone, Copy)]
struct Automaton<S> {
    /// For each ASCII character, an index into `masks`: a small table, so that the
    /// automata of a request's checks stay in the cache among the rest of a send's work.
    ascii: [u8; 128],
    /// The distinct state sets of ASCII characters: bit `i` for each state whose class
    /// holds the character; `masks[0]` is the empty set.
    masks: [S; MAX_MASKS],
    /// Non-ASCII ranges and the states whose class holds them.
    wide: [(u32, u32, S); MAX_WIDE],
    wide_len: usize,
    /// States that can be skipped.
    optional: S,
    /// The first state of each run of optional states.
    run_start: S,
    /// The state just after each run of optional states.
    run_after: S,
    /// States that loop on themselves.
    repeat: S,
    /// The "matched" bit.
    accept: S,
}

impl Automaton<u128> {
    /// No states, no characters.
    const EMPTY: Automaton<u128> = Automaton {
        ascii: [0; 128],
        masks: [0; MAX_MASKS],
        wide: [(0, 0, 0); MAX_WIDE],
        wide_len: 0,
        optional: 0,
        run_start: 0,
        run_after: 0,
        repeat: 0,
        accept: 0,
    };

    /// The same automaton on `u64` state sets; for one of at most 63 states.
    const fn narrow(&self) -> Automaton<u64> {
        let mut masks = [0u64; MAX_MASKS];
        let mut i = 0;
        while i < MAX_MASKS {
            masks[i] = self.masks[i] as u64;
            i += 1;
        }
        let mut wide = [(0u32, 0u32, 0u64); MAX_WIDE];
        let mut i = 0;
        while i < MAX_WIDE {
            wide[i] = (self.wide[i].0, self.wide[i].1, self.wide[i].2 as u64);
            i += 1;
        }
        Automaton {
            ascii: self.ascii,
            masks,
            wide,
            wide_len: self.wide_len,
            optional: self.optional as u64,
            run_start: self.run_start as u64,
            run_after: self.run_after as u64,
            repeat: self.repeat as u64,
            accept: self.accept as u64,
        }
    }
}

impl<S: States> Automaton<S> {
    /// The states whose class holds `c`.
    fn mask(&self, c: char) -> S {
        let c = u32::from(c);
        match usize::try_from(c) {
            Ok(i) if i < 128 => self.masks[usize::from(self.ascii[i]) % MAX_MASKS],
            _ => self.wide[..self.wide_len.min(MAX_WIDE)]
                .iter()
                .filter(|&&(lo, hi, _)| lo <= c && c <= hi)
                .fold(S::ZERO, |acc, &(_, _, states)| acc | states),
        }
    }

    fn run(&self, value: &str, anchored_end: bool) -> bool {
        let closure = |set| closure(set, self.optional, self.run_start, self.run_after);
        let mut current = closure(S::ONE);
        for c in value.chars() {
            if !anchored_end && current & self.accept != S::ZERO {
                return true;
            }
            let hit = current & self.mask(c);
            if hit == S::ZERO {
                return false;
            }
            current = closure((hit << 1) | (hit & self.repeat));
        }
        current & self.accept != S::ZERO
    }
}

/// `set` with the positions reachable by skipping optional states, in constant time
/// however long the runs of optional states are (a `{1,14}` makes a run of 13).
///
/// Within each run, subtracting the run's first bit from the set (with the bit after the
/// run added, so that the borrow stays inside the run) flips the bits up to the lowest
/// set one; what did not flip, above it, is what skipping reaches.
fn closure<S: States>(set: S, optional: S, run_start: S, run_after: S) -> S {
    let with_after = set | run_after;
    let above_lowest = !with_after.wrapping_sub(run_start) ^ with_after;
    set | (above_lowest & (optional << 1))
}

/// The automata of a pattern's alternatives made one deterministic automaton over bytes,
/// when every class is ASCII and the states are few: one table lookup per byte, where
/// the bit-parallel automata take a dozen operations per character and alternative.
///
/// Its states are the sets of states the alternatives can be in together, found by
/// running them from the start on each class of bytes, when the crate is compiled.
#[derive(Clone, Copy)]
struct Dfa {
    /// Each byte's class; 0 for the bytes no state takes (every byte of a non-ASCII
    /// character among them).
    class: [u8; 256],
    /// The state after `state` reads a byte of class `class`, at `state << shift | class`.
    next: [u8; MAX_DFA_STATES * DFA_CLASSES],
    /// A row's width, as a power of two: the fewest bits that hold a class, so that the
    /// rows a value goes through share as few cache lines as they can.
    shift: u32,
    /// Bit `state` for each state where a value may end.
    accepting: u64,
    start: u8,
}

impl Dfa {
    fn is_match(&self, value: &[u8]) -> bool {
        // The table's length is a power of two: masking an index keeps it in bounds
        // with no check on the way.
        const MASK: usize = MAX_DFA_STATES * DFA_CLASSES - 1;
        let mut state = self.start;
        for &byte in value {
            if state <= MATCHED {
                break;
            }
            let class = self.class[usize::from(byte)];
            state = self.next[((usize::from(state) << self.shift) | usize::from(class)) & MASK];
        }
        (self.accepting >> (state % 64)) & 1 == 1
    }

    /// The automaton of `count` alternatives, or `None` when a class holds non-ASCII
    /// characters or the states or classes outnumber the tables.
    const fn build(
        alternatives: &[Automaton<u128>; MAX_ALTERNATIVES],
        count: usize,
        anchored_end: bool,
    ) -> Option<Dfa> {
        let mut dfa = Dfa {
            class: [0; 256],
            next: [DEAD; MAX_DFA_STATES * DFA_CLASSES],
            shift: 0,
            accepting: 0,
            start: DEAD,
        };
        let mut a = 0;
        while a < count {
            if alternatives[a].wide_len > 0 {
                return None;
            }
            a += 1;
        }
        // Bytes whose mask is the same in every alternative form a class; class 0 is the
        // bytes with no state in any (mask 0 everywhere).
        let mut keys = [[0u8; MAX_ALTERNATIVES]; DFA_CLASSES];
        let mut classes = 1;
        let mut byte = 0;
        while byte < 128 {
            let mut key = [0u8; MAX_ALTERNATIVES];
            let mut a = 0;
            while a < count {
                key[a] = alternatives[a].ascii[byte];
                a += 1;
            }
            let mut k = 0;
            while k < classes && !same_key(&keys[k], &key) {
                k += 1;
            }
            if k == classes {
                if classes == DFA_CLASSES {
                    return None;
                }
                keys[classes] = key;
                classes += 1;
            }
            dfa.class[byte] = k as u8;
            byte += 1;
        }
        while 1 << dfa.shift < classes {
            dfa.shift += 1;
        }
        // The state sets found so far; 0 is DEAD, 1 is MATCHED (no set of its own).
        let mut sets = [[0u128; MAX_ALTERNATIVES]; MAX_DFA_STATES];
        let mut len = 2;
        let mut start = [0u128; MAX_ALTERNATIVES];
        let mut a = 0;
        while a < count {
            let automaton = &alternatives[a];
            start[a] = closure_const(1, automaton);
            a += 1;
        }
        dfa.start = match intern(
            &mut sets,
            &mut len,
            start,
            alternatives,
            count,
            anchored_end,
        ) {
            Some(state) => state,
            None => return None,
        };
        // Each state found, on each class, in the order found: the table fills as the
        // list grows.
        let mut state = 2;
        while state < len {
            let mut k = 1;
            while k < classes {
                let mut next = [0u128; MAX_ALTERNATIVES];
                let mut a = 0;
                while a < count {
                    let automaton = &alternatives[a];
                    let hit = sets[state][a] & automaton.masks[keys[k][a] as usize % MAX_MASKS];
                    if hit != 0 {
                        next[a] = closure_const((hit << 1) | (hit & automaton.repeat), automaton);
                    }
                    a += 1;
                }
                dfa.next[(state << dfa.shift) | k] =
                    match intern(&mut sets, &mut len, next, alternatives, count, anchored_end) {
                        Some(next) => next,
                        None => return None,
                    };
                k += 1;
            }
            if accepts(&sets[state], alternatives, count) {
                dfa.accepting |= 1 << state;
            }
            state += 1;
        }
        if !anchored_end {
            let mut k = 0;
            while k < 1 << dfa.shift {
                dfa.next[((MATCHED as usize) << dfa.shift) | k] = MATCHED;
                k += 1;
            }
            dfa.accepting |= 1 << MATCHED;
        }
        Some(dfa)
    }
}

const fn same_key(a: &[u8; MAX_ALTERNATIVES], b: &[u8; MAX_ALTERNATIVES]) -> bool {
    let mut i = 0;
    while i < MAX_ALTERNATIVES {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Whether an alternative has matched in `set`.
const fn accepts(
    set: &[u128; MAX_ALTERNATIVES],
    alternatives: &[Automaton<u128>; MAX_ALTERNATIVES],
    count: usize,
) -> bool {
    let mut a = 0;
    while a < count {
        if set[a] & alternatives[a].accept != 0 {
            return true;
        }
        a += 1;
    }
    false
}

/// The state of `set`: [`DEAD`] when no alternative is alive, [`MATCHED`] when one has
/// matched and the pattern has no `$`, otherwise its number, added if new; `None` when
/// the table is full.
const fn intern(
    sets: &mut [[u128; MAX_ALTERNATIVES]; MAX_DFA_STATES],
    len: &mut usize,
    set: [u128; MAX_ALTERNATIVES],
    alternatives: &[Automaton<u128>; MAX_ALTERNATIVES],
    count: usize,
    anchored_end: bool,
) -> Option<u8> {
    let mut alive = false;
    let mut a = 0;
    while a < MAX_ALTERNATIVES {
        alive = alive || set[a] != 0;
        a += 1;
    }
    if !alive {
        return Some(DEAD);
    }
    if !anchored_end && accepts(&set, alternatives, count) {
        return Some(MATCHED);
    }
    let mut state = 2;
    while state < *len {
        let mut same = true;
        let mut a = 0;
        while a < MAX_ALTERNATIVES {
            same = same && sets[state][a] == set[a];
            a += 1;
        }
        if same {
            return Some(state as u8);
        }
        state += 1;
    }
    if *len == MAX_DFA_STATES {
        return None;
    }
    sets[*len] = set;
    *len += 1;
    Some(state as u8)
}

/// [`closure`] for the tables built at compile time (a trait's methods cannot be called
/// in a `const fn`).
const fn closure_const(set: u128, automaton: &Automaton<u128>) -> u128 {
    let with_after = set | automaton.run_after;
    let above_lowest = !with_after.wrapping_sub(automaton.run_start) ^ with_after;
    set | (above_lowest & (automaton.optional << 1))
}

/// The automata of a pattern, on the narrowest state sets that hold them.
// Built in `const` blocks and read in place from read-only data: never moved at run time,
// so the size of the wide variant costs nothing (and a const cannot box).
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Copy)]
enum Automata {
    Narrow([Automaton<u64>; MAX_ALTERNATIVES]),
    Wide([Automaton<u128>; MAX_ALTERNATIVES]),
}

/// A compiled simple pattern: one automaton per alternative, and when the pattern is
/// ASCII and small, the deterministic automaton they make together.
#[derive(Clone, Copy)]
pub(crate) struct Simple {
    alternatives: Automata,
    count: usize,
    /// Ends with `$`: the whole value must match; otherwise a prefix is enough.
    anchored_end: bool,
    dfa: Option<Dfa>,
}

impl Simple {
    /// Whether `value` matches.
    pub(crate) fn is_match(&self, value: &str) -> bool {
        match &self.dfa {
            Some(dfa) => dfa.is_match(value.as_bytes()),
            None => self.run_automata(value),
        }
    }

    /// Whether `value` matches, by the bit-parallel automata.
    // Kept out of `is_match`, so that the usual case does not pay for this one's registers.
    #[inline(never)]
    fn run_automata(&self, value: &str) -> bool {
        let count = self.count.min(MAX_ALTERNATIVES);
        match &self.alternatives {
            Automata::Narrow(all) => all[..count]
                .iter()
                .any(|automaton| automaton.run(value, self.anchored_end)),
            Automata::Wide(all) => all[..count]
                .iter()
                .any(|automaton| automaton.run(value, self.anchored_end)),
        }
    }
}

/// The automata of a compiled pattern on `u64` sets when every one has at most 63 states.
const fn narrowest(wide: [Automaton<u128>; MAX_ALTERNATIVES], count: usize) -> Automata {
    let mut i = 0;
    while i < count {
        if wide[i].accept > 1 << 63 {
            return Automata::Wide(wide);
        }
        i += 1;
    }
    let mut narrow = [Automaton::EMPTY.narrow(); MAX_ALTERNATIVES];
    let mut i = 0;
    while i < count {
        narrow[i] = wide[i].narrow();
        i += 1;
    }
    Automata::Narrow(narrow)
}

/// Compiles `pattern` when it is simple enough (and within the table sizes above);
/// `None` otherwise.
pub(crate) const fn compile(pattern: &str) -> Option<Simple> {
    let b = pattern.as_bytes();
    if b.is_empty() || b[0] != b'^' {
        return None;
    }
    let start = 1;
    let mut end = b.len();
    let mut anchored_end = false;
    if end > start && b[end - 1] == b'$' && !(end - 1 > start && b[end - 2] == b'\\') {
        anchored_end = true;
        end -= 1;
    }
    let mut alternatives = [Automaton::EMPTY; MAX_ALTERNATIVES];
    let mut count = 0;
    // `(a|b|c)` as the whole body, with no other parentheses: a choice; otherwise one
    // sequence.
    let choice = end >= start + 2 && b[start] == b'(' && b[end - 1] == b')' && {
        let mut i = start + 1;
        let mut plain = true;
        while i < end - 1 {
            if b[i] == b'(' || b[i] == b')' {
                plain = false;
            }
            i += 1;
        }
        plain
    };
    if !choice {
        match sequence(b, start, end) {
            Some(automaton) => {
                alternatives[0] = automaton;
                return Some(Simple {
                    alternatives: narrowest(alternatives, 1),
                    count: 1,
                    anchored_end,
                    dfa: Dfa::build(&alternatives, 1, anchored_end),
                });
            }
            None => return None,
        }
    }
    // Split on `|` outside classes and escapes.
    let (inner_start, inner_end) = (start + 1, end - 1);
    let mut from = inner_start;
    let mut i = inner_start;
    let mut in_class = false;
    let mut escaped = false;
    while i <= inner_end {
        let split = i == inner_end || (!escaped && !in_class && b[i] == b'|');
        if split {
            if count == MAX_ALTERNATIVES {
                return None;
            }
            match sequence(b, from, i) {
                Some(automaton) => alternatives[count] = automaton,
                None => return None,
            }
            count += 1;
            from = i + 1;
        } else if escaped {
            escaped = false;
        } else if b[i] == b'\\' {
            escaped = true;
        } else if b[i] == b'[' {
            in_class = true;
        } else if b[i] == b']' {
            in_class = false;
        }
        i += 1;
    }
    Some(Simple {
        alternatives: narrowest(alternatives, count),
        count,
        anchored_end,
        dfa: Dfa::build(&alternatives, count, anchored_end),
    })
}

/// The character at byte `i` of `b` (UTF-8) and the index after it, if it starts
/// before `end`.
const fn char_at(b: &[u8], i: usize, end: usize) -> Option<(u32, usize)> {
    if i >= end || end > b.len() {
        return None;
    }
    let lead = b[i] as u32;
    let (len, mut value) = if lead < 0x80 {
        (1, lead)
    } else if lead & 0xE0 == 0xC0 {
        (2, lead & 0x1F)
    } else if lead & 0xF0 == 0xE0 {
        (3, lead & 0x0F)
    } else if lead & 0xF8 == 0xF0 {
        (4, lead & 0x07)
    } else {
        return None;
    };
    if i + len > end {
        return None;
    }
    let mut k = 1;
    while k < len {
        value = (value << 6) | (b[i + k] as u32 & 0x3F);
        k += 1;
    }
    Some((value, i + len))
}

/// The character an escape stands for, when it is a plain character (`\<` and `\>` are
/// word boundaries to regex-lite: not plain).
const fn escaped(c: u32) -> Option<u32> {
    match char::from_u32(c) {
        Some(
            '\\' | '+' | '.' | '-' | '/' | '(' | ')' | '[' | ']' | '?' | '*' | '{' | '}' | '|'
            | '^' | '$' | ' ' | '#' | '&' | '~' | ':' | '_' | '@' | '%' | '=' | '!' | ',' | '\''
            | '"',
        ) => Some(c),
        _ => None,
    }
}

/// The plain character an escape stands for (read from `i`, after its backslash), and
/// the index after it.
const fn escape_at(b: &[u8], i: usize, end: usize) -> Option<(u32, usize)> {
    match char_at(b, i, end) {
        Some((c, next)) => match escaped(c) {
            Some(c) => Some((c, next)),
            None => None,
        },
        None => None,
    }
}

/// A class `[...]` starting after its `[` at `i`, and the index after its `]`.
///
/// Characters, ranges and plain escapes; no negation.
const fn class(b: &[u8], mut i: usize, end: usize) -> Option<(Class, usize)> {
    let mut class = Class {
        ranges: [(0, 0); MAX_CLASS_RANGES],
        len: 0,
    };
    if i < end && b[i] == b'^' {
        return None;
    }
    let mut first = true;
    loop {
        let Some((c, next)) = char_at(b, i, end) else {
            return None;
        };
        i = next;
        // A `]` or `-` first, or a `-` anywhere but last or between the ends of a range,
        // is read by regex-lite in ways of its own: left to it.
        let dash_in_the_middle = c == '-' as u32 && !(i < end && b[i] == b']');
        let c = if c == ']' as u32 && !first {
            return Some((class, i));
        } else if (first && (c == ']' as u32 || c == '-' as u32))
            || dash_in_the_middle
            || c == '[' as u32
            || c == '&' as u32
            || c == '~' as u32
        {
            return None;
        } else if c == '\\' as u32 {
            let Some((e, next)) = escape_at(b, i, end) else {
                return None;
            };
            i = next;
            e
        } else {
            c
        };
        first = false;
        let mut hi = c;
        if i < end && b[i] == b'-' && i + 1 < end && b[i + 1] != b']' {
            let Some((h, next)) = char_at(b, i + 1, end) else {
                return None;
            };
            i = next;
            hi = if h == '\\' as u32 {
                let Some((e, next)) = escape_at(b, i, end) else {
                    return None;
                };
                i = next;
                e
            } else if h == '[' as u32 || h == ']' as u32 || h == '-' as u32 {
                return None;
            } else {
                h
            };
            if hi < c {
                return None;
            }
        }
        if class.len == MAX_CLASS_RANGES {
            return None;
        }
        class.ranges[class.len] = (c, hi);
        class.len += 1;
    }
}

/// A decimal count of at most four digits.
const fn count(b: &[u8], from: usize, to: usize) -> Option<usize> {
    if from == to || to - from > 4 {
        return None;
    }
    let mut n = 0;
    let mut i = from;
    while i < to {
        if !b[i].is_ascii_digit() {
            return None;
        }
        n = n * 10 + (b[i] - b'0') as usize;
        i += 1;
    }
    Some(n)
}

/// A sequence of atoms with counts (bytes `start..end` of `b`) -> an automaton.
const fn sequence(b: &[u8], start: usize, end: usize) -> Option<Automaton<u128>> {
    // For each ASCII character, the states whose class holds it.
    let mut ascii_states = [0u128; 128];
    let mut automaton = Automaton::EMPTY;
    let mut states = 0usize;
    let mut i = start;
    while i < end {
        let Some((c, next)) = char_at(b, i, end) else {
            return None;
        };
        i = next;
        let class = if c == '[' as u32 {
            match class(b, i, end) {
                Some((class, next)) => {
                    i = next;
                    class
                }
                None => return None,
            }
        } else if c == '\\' as u32 {
            let Some((e, next)) = escape_at(b, i, end) else {
                return None;
            };
            i = next;
            Class::single(e)
        } else if matches!(
            char::from_u32(c),
            Some('.' | '(' | ')' | '|' | '*' | '+' | '?' | '{' | '}' | '^' | '$')
        ) {
            return None;
        } else {
            Class::single(c)
        };
        let (min, max) = if i < end && b[i] == b'?' {
            i += 1;
            (0, Some(1))
        } else if i < end && b[i] == b'*' {
            i += 1;
            (0, None)
        } else if i < end && b[i] == b'+' {
            i += 1;
            (1, None)
        } else if i < end && b[i] == b'{' {
            let open = i + 1;
            let mut close = open;
            while close < end && b[close] != b'}' {
                close += 1;
            }
            if close == end {
                return None;
            }
            let mut comma = open;
            while comma < close && b[comma] != b',' {
                comma += 1;
            }
            i = close + 1;
            if comma == close {
                match count(b, open, close) {
                    Some(n) => (n, Some(n)),
                    None => return None,
                }
            } else {
                let Some(lo) = count(b, open, comma) else {
                    return None;
                };
                if comma + 1 == close {
                    (lo, None)
                } else {
                    match count(b, comma + 1, close) {
                        Some(hi) if hi >= lo => (lo, Some(hi)),
                        _ => return None,
                    }
                }
            }
        } else {
            (1, Some(1))
        };
        // Lazy quantifiers and other suffixes are not simple.
        if i < end && matches!(b[i], b'?' | b'+' | b'*' | b'{') {
            return None;
        }
        let copies = match max {
            Some(max) => max,
            None => min + 1,
        };
        if states + copies > MAX_STATES {
            return None;
        }
        let first = states;
        states += copies;
        // The states this atom adds, and which of them are optional or repeat.
        let mut added = 0u128;
        let mut k = first;
        while k < states {
            added |= 1 << k;
            if k >= first + min {
                automaton.optional |= 1 << k;
            }
            k += 1;
        }
        if max.is_none() {
            automaton.repeat |= 1 << (states - 1);
        }
        let mut r = 0;
        while r < class.len {
            let (lo, hi) = class.ranges[r];
            let mut ch = lo;
            while ch <= hi && ch < 128 {
                ascii_states[ch as usize] |= added;
                ch += 1;
            }
            if hi >= 128 {
                let lo = if lo < 128 { 128 } else { lo };
                let mut w = 0;
                while w < automaton.wide_len
                    && !(automaton.wide[w].0 == lo && automaton.wide[w].1 == hi)
                {
                    w += 1;
                }
                if w == automaton.wide_len {
                    if w == MAX_WIDE {
                        return None;
                    }
                    automaton.wide[w] = (lo, hi, 0);
                    automaton.wide_len += 1;
                }
                automaton.wide[w].2 |= added;
            }
            r += 1;
        }
    }
    // Each ASCII character's state set, as an index into the distinct sets.
    let mut masks_len = 1;
    let mut ch = 0;
    while ch < 128 {
        let set = ascii_states[ch];
        let mut m = 0;
        while m < masks_len && automaton.masks[m] != set {
            m += 1;
        }
        if m == masks_len {
            if m == MAX_MASKS {
                return None;
            }
            automaton.masks[m] = set;
            masks_len += 1;
        }
        automaton.ascii[ch] = m as u8;
        ch += 1;
    }
    let optional = automaton.optional;
    automaton.run_start = optional & !(optional << 1);
    automaton.run_after = (optional << 1) & !optional;
    automaton.accept = 1 << states;
    Some(automaton)
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
            r"^[a-]{0,3}$",
            r"^[à-ÿ]{2,3}$",
            r"^(a|b|c|é)$",
            r"^[a-zé]{2,}x?$",
            r"^[a-]\-$",
            r"^$",
            r"^()$",
            r"^(ab|ac|a)$",
            r"^(ab|a)",
            r"^",
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
            "àé",
            "àéÿ",
            "àéÿü",
            "abé",
            "abéx",
            "]a]",
            "--",
            "a-",
            "a\u{10000}",
        ];
        for pattern in patterns {
            let simple = compile(pattern).unwrap_or_else(|| panic!("{pattern} is simple"));
            let regex = regex_lite::Regex::new(pattern).expect("compiles");
            for value in values {
                assert_agree(&simple, &regex, pattern, value);
            }
        }
    }

    /// Both ways of running a compiled pattern (the deterministic automaton, when it has
    /// one, and the bit-parallel automata) give regex-lite's answer.
    fn assert_agree(simple: &Simple, regex: &regex_lite::Regex, pattern: &str, value: &str) {
        let expected = regex.is_match(value);
        assert_eq!(simple.is_match(value), expected, "{pattern} on {value:?}");
        assert_eq!(
            simple.run_automata(value),
            expected,
            "{pattern} on {value:?}, bit-parallel"
        );
    }

    /// The patterns specs use get a deterministic automaton; non-ASCII classes and
    /// patterns of too many states keep the bit-parallel ones.
    #[test]
    fn small_ascii_patterns_get_a_deterministic_automaton() {
        for (pattern, deterministic) in [
            (r"^\+[1-9][0-9]{1,14}$", true),
            (r"^(\+[1-9][0-9]{1,14}|[0-9]{3,8})$", true),
            (r"^[A-Za-z0-9 ]*[A-Za-z][A-Za-z0-9 ]*$", true),
            (r"^https?://", true),
            (
                r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
                true,
            ),
            (r"^[0-9]{1,61}$", true),
            (r"^[0-9]{1,62}$", false),
            (r"^[à-ÿ]{2,3}$", false),
            (r"^(a|b|c|é)$", false),
            (r"^(abcdefgh|ijklmnop)$", false),
        ] {
            let simple = compile(pattern).unwrap_or_else(|| panic!("{pattern} is simple"));
            assert_eq!(simple.dfa.is_some(), deterministic, "{pattern}");
        }
    }

    /// On random values over each pattern's own characters (and a few others), both
    /// ways of running it agree with regex-lite (pseudo-random, fixed seed).
    #[test]
    fn agrees_with_the_regex_engine_on_random_values() {
        let mut next = crate::test_random::numbers(0x2545_F491_4F6C_DD1D);
        for pattern in [
            r"^\+[1-9][0-9]{1,14}$",
            r"^(\+[1-9][0-9]{1,14}|[0-9]{3,8})$",
            r"^[A-Za-z0-9 ]*[A-Za-z][A-Za-z0-9 ]*$",
            r"^https?://",
            r"^(ab|ac|a)$",
            r"^(ab|a)",
            r"^(a|ab|abc)",
            r"^(a|abc?|b{2,})$",
            r"^[0-9]{2,4}-?[a-c]*",
            r"^[a-c]{1,3}[b-d]*c{2}$",
            r"^x*",
            r"^(abcdefgh|ijklmnop)$",
            r"^[0-9]{1,61}$",
            r"^[0-9]{1,62}$",
        ] {
            let simple = compile(pattern).unwrap_or_else(|| panic!("{pattern} is simple"));
            let regex = regex_lite::Regex::new(pattern).expect("compiles");
            let mut alphabet: Vec<char> = pattern
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect();
            alphabet.extend(['+', '-', '/', ':', ' ', 'é', '9']);
            for _ in 0..3_000 {
                let len = (next() % 24) as usize;
                let value: String = (0..len)
                    .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                    .collect();
                assert_agree(&simple, &regex, pattern, &value);
            }
        }
    }

    /// Past 63 states an automaton runs on `u128` sets; both kinds agree with regex-lite
    /// at their edges.
    #[test]
    fn long_patterns_run_on_wide_state_sets() {
        for (pattern, wide) in [
            (r"^[0-9]{1,63}$", false),
            (r"^[0-9]{1,64}$", true),
            (r"^x[0-9]{70,120}y?$", true),
        ] {
            let simple = compile(pattern).unwrap_or_else(|| panic!("{pattern} is simple"));
            assert_eq!(
                matches!(simple.alternatives, Automata::Wide(_)),
                wide,
                "{pattern}"
            );
            let regex = regex_lite::Regex::new(pattern).expect("compiles");
            for n in [0, 1, 61, 62, 63, 64, 69, 70, 71, 120, 121, 126, 127, 128] {
                for value in [
                    "7".repeat(n),
                    format!("x{}", "7".repeat(n)),
                    format!("x{}y", "7".repeat(n)),
                ] {
                    assert_agree(&simple, &regex, pattern, &value);
                }
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
            // Classes regex-lite reads in ways of its own, and its word boundaries.
            r"^[--a]$",
            r"^[]a]+$",
            r"^[]-a]$",
            r"^[!--]$",
            r"^[a-b-c]$",
            r"^\<a$",
            r"^\>+$",
            // Past the table sizes: five alternatives, seventeen distinct letters.
            r"^(a|b|c|d|e)$",
            r"^abcdefghijklmnopq$",
            r"^a{200}$",
        ] {
            assert!(compile(pattern).is_none(), "{pattern}");
        }
    }

    /// The constant-time closure reaches what skipping one optional state at a time
    /// reaches, for every layout of optional states and every state set (pseudo-random,
    /// fixed seed).
    #[test]
    fn the_closure_is_the_step_by_step_one() {
        let mut next = crate::test_random::numbers(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            let len = (next() % 127) as usize + 1;
            let optional = (0..len)
                .filter(|_| next() % 3 != 0)
                .fold(0u128, |acc, i| acc | 1 << i);
            let (run_start, run_after) = (optional & !(optional << 1), (optional << 1) & !optional);
            let all = (1u128 << len << 1).wrapping_sub(1);
            let set = ((u128::from(next()) << 64) | u128::from(next())) & all;
            let mut expected = set;
            loop {
                let step = expected | ((expected & optional) << 1);
                if step == expected {
                    break;
                }
                expected = step;
            }
            assert_eq!(
                closure::<u128>(set, optional, run_start, run_after),
                expected,
                "{len} states, set {set:#b}"
            );
            let automaton = Automaton {
                optional,
                run_start,
                run_after,
                ..Automaton::EMPTY
            };
            assert_eq!(closure_const(set, &automaton), expected);
        }
    }
}
