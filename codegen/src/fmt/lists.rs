//! Lists in brackets: call arguments, array items, attribute arguments, tuples. rustfmt's
//! choice among one line, one item per line, items packed on lines, and one line whose
//! last item runs onto the following lines (a closure, a block, a lone call).

use super::Width;
use super::{MAX_WIDTH, SHORT_ITEM_WIDTH, Shape, TAB, first_line_width, newline, spaces};

/// What kind of list, for its brackets and trailing comma.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum ListKind {
    /// `f(a, b)`: a trailing comma when one per line.
    Call,
    /// `[a, b]`.
    Array,
    /// `#[x(a, b)]`: never a trailing comma.
    Attribute,
    /// `name!(...)` of a format-like macro: `n` arguments before the format string.
    FormatMacro(usize),
}

/// An item of a list: how it is written at a given shape, and how rustfmt treats it.
pub(super) trait Item {
    fn rewrite(&self, shape: Shape) -> Option<String>;
    /// Whether, as the last of `count` items, it may run onto the following lines.
    fn can_overflow(&self, count: usize) -> bool;
    /// Its rewrite as an overflowing last item.
    fn rewrite_overflowing(
        &self,
        shape: Shape,
        many_closures: bool,
        with_callee: bool,
    ) -> Option<String> {
        let _ = (many_closures, with_callee);
        self.rewrite(shape)
    }
    /// A call or macro call (possibly behind `&`, `!`, `?`, `as`).
    fn is_nested_call(&self) -> bool {
        false
    }
    /// A literal or a plain path.
    fn is_simple(&self) -> bool {
        false
    }
    fn is_closure(&self) -> bool {
        false
    }
}

/// The tactic rustfmt settles on.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Tactic {
    Horizontal,
    Vertical,
    Mixed,
    /// Format-like macros: the first `n + 1` items on a line, the rest on the next.
    SpecialMacro(usize),
}

/// The width of the last line of `text` where it starts at `shape`.
fn extra_offset(text: &str, shape: Shape) -> usize {
    match text.rfind('\n') {
        Some(at) => text[at + 1..].width().saturating_sub(shape.used_width()),
        None => text.width(),
    }
}

/// `ident(items)` (or `ident[items]`) at `shape`, as rustfmt's `overflow` module writes it.
pub(super) fn list(
    ident: &str,
    items: &[&dyn Item],
    kind: ListKind,
    item_max_width: usize,
    shape: Shape,
) -> Option<String> {
    let (open, close) = match kind {
        ListKind::Array => ("[", "]"),
        _ => ("(", ")"),
    };
    let used_width = extra_offset(ident, shape);
    let one_line_width = shape.width.saturating_sub(used_width + 2);
    let one_line_shape = shape
        .offset_left(super::last_line_width(ident) + 1)
        .and_then(|s| s.sub_width(1))
        .unwrap_or(Shape { width: 0, ..shape });
    let nested_shape = {
        let s = shape.block_indent();
        Shape {
            width: s.width.saturating_sub(1),
            ..s
        }
    };
    if items.is_empty() {
        return Some(format!("{ident}{open}{close}"));
    }
    let mut rewrites: Vec<Option<String>> = items.iter().map(|i| i.rewrite(nested_shape)).collect();
    let last = items.len() - 1;

    let combine_with_callee = items.len() == 1 && ident.len() < TAB && kind != ListKind::Attribute;
    let overflow_last = combine_with_callee || items[last].can_overflow(items.len());
    let mut placeholder: Option<String> = None;
    if overflow_last {
        if let Some(arg_shape) = last_item_shape(items, &rewrites, one_line_shape, item_max_width) {
            let all_closures =
                items.len() > 1 && items.iter().filter(|i| i.is_closure()).count() > 1;
            if let Some(full) =
                items[last].rewrite_overflowing(arg_shape, all_closures, combine_with_callee)
            {
                rewrites[last] = Some(full.lines().next().unwrap_or("").to_owned());
                placeholder = Some(full);
            }
        }
    }
    let widths_ok = |rewrites: &[Option<String>]| rewrites.iter().all(Option::is_some);
    if !widths_ok(&rewrites[..last]) {
        return None;
    }
    let mut tactic = definitive(&rewrites, item_max_width.min(one_line_width));
    match (overflow_last, tactic, placeholder) {
        (true, Tactic::Horizontal, Some(overflowed)) if items.len() == 1 => {
            if super::newlines(&overflowed) == 1 {
                match items[last].rewrite(nested_shape) {
                    Some(rw) if !rw.contains('\n') => rewrites[last] = Some(rw),
                    _ => rewrites[last] = Some(overflowed),
                }
            } else {
                rewrites[last] = Some(overflowed);
            }
        }
        (true, Tactic::Horizontal, Some(overflowed)) => rewrites[last] = Some(overflowed),
        _ => {
            rewrites[last] = items[last].rewrite(nested_shape);
            let single = rewrites[last].as_deref();
            if items.len() == 1
                && one_line_width != 0
                && single.is_some_and(|s| !s.contains('\n') && s.width() <= one_line_width)
            {
                tactic = Tactic::Horizontal;
            } else {
                tactic = definitive(&rewrites, item_max_width.min(one_line_width));
                if tactic == Tactic::Vertical {
                    if let ListKind::FormatMacro(before) = kind {
                        let all_simple =
                            items.len() > before && items[..before].iter().all(|i| i.is_simple());
                        let horizontal = |part: &[Option<String>]| {
                            definitive(part, nested_shape.width) == Tactic::Horizontal
                        };
                        if all_simple
                            && horizontal(&rewrites[..before])
                            && rewrites.len() > before + 1
                            && horizontal(&rewrites[before + 1..])
                        {
                            tactic = Tactic::SpecialMacro(before);
                        }
                    } else if items.iter().all(|i| i.is_simple())
                        && rewrites.iter().all(|r| {
                            r.as_deref()
                                .is_some_and(|r| !r.contains('\n') && r.width() <= SHORT_ITEM_WIDTH)
                        })
                    {
                        tactic = Tactic::Mixed;
                    }
                }
            }
        }
    }
    let rewrites: Vec<String> = rewrites.into_iter().collect::<Option<_>>()?;
    let trailing = !matches!(kind, ListKind::Attribute | ListKind::FormatMacro(_));
    let body = match tactic {
        Tactic::Horizontal => rewrites.join(", "),
        Tactic::Vertical => {
            let mut body = rewrites.join(&format!(",{}", newline(nested_shape.indent)));
            if trailing {
                body.push(',');
            }
            body
        }
        Tactic::Mixed => {
            let mut body = pack(&rewrites, nested_shape.indent);
            body.drain(..nested_shape.indent);
            if !trailing {
                body.pop();
            }
            body
        }
        Tactic::SpecialMacro(before) => {
            let mut body = rewrites[..=before].join(", ");
            body.push(',');
            body.push_str(&newline(nested_shape.indent));
            body.push_str(&rewrites[before + 1..].join(", "));
            body
        }
    };
    let fits_one_line = body.width() <= one_line_width;
    let extendable = tactic == Tactic::Horizontal;
    if (body.contains('\n') || !fits_one_line) && !extendable {
        Some(format!(
            "{ident}{open}{}{body}{}{close}",
            newline(nested_shape.indent),
            newline(shape.indent)
        ))
    } else {
        Some(format!("{ident}{open}{body}{close}"))
    }
}

/// Horizontal when every item is one line and together they fit `limit`.
fn definitive(rewrites: &[Option<String>], limit: usize) -> Tactic {
    let mut total = 0;
    for rw in rewrites {
        match rw {
            Some(rw) if !rw.contains('\n') => total += rw.width(),
            _ => return Tactic::Vertical,
        }
    }
    total += 2 * rewrites.len().saturating_sub(1);
    if total <= limit {
        Tactic::Horizontal
    } else {
        Tactic::Vertical
    }
}

/// Where an overflowing last item starts: after the others on the first line.
fn last_item_shape(
    items: &[&dyn Item],
    rewrites: &[Option<String>],
    shape: Shape,
    max_width: usize,
) -> Option<Shape> {
    if items.len() == 1 && !items[0].is_nested_call() {
        return Some(shape);
    }
    let mut offset = 0;
    for rw in &rewrites[..rewrites.len() - 1] {
        offset += 2 + rw.as_deref()?.width();
    }
    Shape {
        width: max_width.min(shape.width),
        ..shape
    }
    .offset_left(offset)
}

/// Items packed on lines at `indent`, each line as full as the width allows, separated
/// and ended by commas; every line indented.
pub(super) fn pack(items: &[String], indent: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for item in items {
        let piece = format!("{item},");
        if line.is_empty() {
            line = format!("{}{piece}", spaces(indent));
        } else if line.width() + 1 + piece.width() <= MAX_WIDTH {
            line.push(' ');
            line.push_str(&piece);
        } else {
            out.push_str(&line);
            out.push('\n');
            line = format!("{}{piece}", spaces(indent));
        }
    }
    out.push_str(&line);
    out
}

/// Whether `text`, starting where `shape` starts, keeps within the width on every line.
pub(super) fn fits(text: &str, shape: Shape) -> bool {
    first_line_width(text) <= shape.width && text.lines().skip(1).all(|l| l.width() <= MAX_WIDTH)
}
