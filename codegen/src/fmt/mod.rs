//! Rust source laid out as rustfmt lays it out (its default settings, style edition
//! 2024), for the constructs the generator emits, so that a generated file is final as
//! it leaves the generator: no rustfmt process to start (which took longer than
//! generating), and `cargo fmt --check` finds nothing to change.
//!
//! It follows rustfmt's model: each construct is rewritten for a [`Shape`] (where it
//! starts, how much of the line is left, the indent of its continuation lines) and gives
//! up (`None`) when it cannot fit, so that the construct around it tries its next layout;
//! the width heuristics are rustfmt's defaults (`fn_call_width`, `chain_width`, ...).
//! A test compares the output with rustfmt's on every generated file.
//!
//! - `items`: items, attributes, doc comments, `use` order;
//! - `exprs`: expressions, statements, blocks, `match`, closures;
//! - `chains`: method chains;
//! - `lists`: call arguments, array items and struct fields (one line, one per line,
//!   packed, or the last overflowing);
//! - `flat`: types, paths, patterns and generics, which the generator keeps short.

mod chains;
mod exprs;
mod flat;
mod items;
mod lists;

/// rustfmt's `max_width`.
const MAX_WIDTH: usize = 100;
/// rustfmt's `tab_spaces`.
const TAB: usize = 4;
/// rustfmt's `fn_call_width`: the most a call's arguments may take on one line.
const FN_CALL_WIDTH: usize = 60;
/// rustfmt's `attr_fn_like_width`.
const ATTR_FN_LIKE_WIDTH: usize = 70;
/// rustfmt's `struct_lit_width`: the most a struct literal's fields may take on one line.
const STRUCT_LIT_WIDTH: usize = 18;
/// rustfmt's `array_width`.
const ARRAY_WIDTH: usize = 60;
/// rustfmt's `chain_width`.
const CHAIN_WIDTH: usize = 60;
/// rustfmt's `single_line_if_else_max_width`.
const SINGLE_LINE_IF_ELSE_WIDTH: usize = 50;
/// rustfmt's `short_array_element_width_threshold`.
const SHORT_ITEM_WIDTH: usize = 10;

/// Where a rewrite goes: rustfmt's `Shape` for block indentation.
#[derive(Clone, Copy, Debug)]
struct Shape {
    /// The indent of continuation lines.
    indent: usize,
    /// Columns already taken on the first line, after the indent.
    offset: usize,
    /// Columns left on the first line.
    width: usize,
}

impl Shape {
    fn indented(indent: usize) -> Shape {
        Shape {
            indent,
            offset: 0,
            width: MAX_WIDTH.saturating_sub(indent),
        }
    }

    fn offset_left(self, n: usize) -> Option<Shape> {
        Some(Shape {
            offset: self.offset + n,
            width: self.width.checked_sub(n)?,
            ..self
        })
    }

    fn sub_width(self, n: usize) -> Option<Shape> {
        Some(Shape {
            width: self.width.checked_sub(n)?,
            ..self
        })
    }

    /// One level deeper, with the whole line to use.
    fn block_indent(self) -> Shape {
        Shape::indented(self.indent + TAB)
    }

    fn used_width(self) -> usize {
        self.indent + self.offset
    }

    /// What is kept free at the end of the first line (a `;`, a `,`).
    fn rhs_overhead(self) -> usize {
        MAX_WIDTH.saturating_sub(self.used_width() + self.width)
    }
}

fn spaces(n: usize) -> String {
    " ".repeat(n)
}

/// A newline and `n` spaces.
fn newline(n: usize) -> String {
    format!("\n{}", spaces(n))
}

fn first_line_width(s: &str) -> usize {
    s.lines().next().map_or(0, str::width)
}

fn last_line_width(s: &str) -> usize {
    s.rsplit('\n').next().map_or(0, str::width)
}

/// Whether a multi-line text's last line is only closing brackets (and a `?`), which an
/// opening brace may follow on the same line.
fn last_line_extendable(s: &str) -> bool {
    let last = s.rsplit('\n').next().unwrap_or("").trim();
    !last.is_empty()
        && last
            .chars()
            .all(|c| matches!(c, ')' | ']' | '}' | '?' | '>'))
}

/// How many columns text takes, as rustfmt counts them (Unicode width): wide East Asian
/// characters and emoji take two, combining marks and zero-width characters none.
trait Width {
    fn width(&self) -> usize;
}

impl Width for str {
    fn width(&self) -> usize {
        if self.is_ascii() {
            return self.len();
        }
        self.chars().map(char_width).sum()
    }
}

impl Width for String {
    fn width(&self) -> usize {
        self.as_str().width()
    }
}

fn char_width(c: char) -> usize {
    match u32::from(c) {
        0x0300..=0x036F | 0x200B..=0x200F | 0x20D0..=0x20FF | 0xFE00..=0xFE0F => 0,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF
        | 0x20000..=0x2FFFD
        | 0x30000..=0x3FFFD => 2,
        _ => 1,
    }
}

fn newlines(s: &str) -> usize {
    s.matches('\n').count()
}

/// A whole file, or the start of the first item holding a construct beyond this
/// formatter.
pub(crate) fn file(file: &syn::File) -> Result<String, String> {
    exprs::reset_memo();
    let result = items::file(file);
    exprs::reset_memo();
    result
}

#[cfg(test)]
mod tests {
    /// Constructs an independent review found laid out otherwise than by rustfmt (or not
    /// at all); the expected text is rustfmt's own.
    #[test]
    fn lays_out_as_rustfmt_does() {
        let source = "fn f() { let x = (segment_0::segment_1::segment_2::segment_3::segment_4::segment_5::segment_6::segment_7,); let y = (a,); match v { Some(-1) => 0, _ => 1, } match value.get(\"a_rather_long_discriminator_name\").and_then(serde_json::Value::as_str).map(str::len) { Some(n) => n, None => 0, } }
impl X { pub fn a_long_named_setter_for_a_date_time_field_chrono<Tz: chrono::TimeZone>(self, value: chrono::DateTime<Tz>) -> Self where Tz::Offset: std::fmt::Display { self } }";
        let expected = "fn f() {
    let x =
        (segment_0::segment_1::segment_2::segment_3::segment_4::segment_5::segment_6::segment_7,);
    let y = (a,);
    match v {
        Some(-1) => 0,
        _ => 1,
    }
    match value
        .get(\"a_rather_long_discriminator_name\")
        .and_then(serde_json::Value::as_str)
        .map(str::len)
    {
        Some(n) => n,
        None => 0,
    }
}

impl X {
    pub fn a_long_named_setter_for_a_date_time_field_chrono<Tz: chrono::TimeZone>(
        self,
        value: chrono::DateTime<Tz>,
    ) -> Self
    where
        Tz::Offset: std::fmt::Display,
    {
        self
    }
}
";
        let file = syn::parse_file(source).expect("parses");
        assert_eq!(super::file(&file).as_deref(), Ok(expected));
    }

    /// Whatever the widths, laying out never panics: it succeeds or names the item.
    #[test]
    fn extreme_widths_do_not_panic() {
        let long = "x".repeat(120);
        let nested = format!("{}u8{}", "Vec<".repeat(30), ">".repeat(30));
        for source in [
            format!("impl From<{long}> for AnotherType<A, B> {{}}"),
            format!("fn f{long}() -> Result<{long}, {long}> {{ x }}"),
            format!("struct S {{ field: {nested} }}"),
            format!("fn f() -> {nested} {{ x }}"),
            "fn f() { match x { _ => { let _ = { if a {} else if b { c(); } }; } } }".to_owned(),
            format!("fn f() {{ g({long}, {long}, [{long}; 3], ({long},)); }}"),
        ] {
            let file = syn::parse_file(&source).expect("parses");
            let _ = super::file(&file);
        }
    }
}
