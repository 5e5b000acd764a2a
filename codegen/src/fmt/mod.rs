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
    s.lines().next().map_or(0, str::len)
}

fn last_line_width(s: &str) -> usize {
    s.rsplit('\n').next().map_or(0, str::len)
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
