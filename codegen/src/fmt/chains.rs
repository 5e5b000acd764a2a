//! Chains of method calls, fields, `.await` and `?`: on one line when the chain is
//! short (`chain_width`), else one element per line below a root that keeps the first
//! element when it is no longer than a tab (`self.method()`, `f.debug_struct(..)`).

use syn::Expr;

use super::Width;
use super::exprs;
use super::lists::ListKind;
use super::{
    CHAIN_WIDTH, FN_CALL_WIDTH, MAX_WIDTH, Shape, TAB, first_line_width, flat,
    last_line_extendable, newline,
};

enum Kind<'a> {
    Method { callee: String, args: Vec<&'a Expr> },
    Field(String),
    Await,
}

struct Element<'a> {
    kind: Kind<'a>,
    /// How many `?` follow it.
    tries: usize,
}

impl Element<'_> {
    fn rewrite(&self, shape: Shape) -> Option<String> {
        let shape = shape.sub_width(self.tries)?;
        let text = match &self.kind {
            Kind::Method { callee, args } => {
                exprs::expr_list(callee, args, ListKind::Call, FN_CALL_WIDTH, shape)?
            }
            Kind::Field(name) => format!(".{name}"),
            Kind::Await => ".await".to_owned(),
        };
        Some(format!("{text}{}", "?".repeat(self.tries)))
    }
}

/// Whether the root, as written, ends in a block the chain continues from.
fn root_is_block_like(root: &Expr, text: &str) -> bool {
    match root {
        Expr::Macro(_)
        | Expr::Call(_)
        | Expr::MethodCall(_)
        | Expr::Array(_)
        | Expr::Struct(_)
        | Expr::If(_)
        | Expr::Block(_)
        | Expr::Const(_)
        | Expr::Match(_)
        | Expr::ForLoop(_) => text.contains('\n'),
        Expr::Paren(p) => root_is_block_like(&p.expr, text),
        Expr::Unary(u) => root_is_block_like(&u.expr, text),
        Expr::Closure(c) => root_is_block_like(&c.body, text),
        Expr::Try(t) => root_is_block_like(&t.expr, text),
        _ => false,
    }
}

thread_local! {
    /// Set while a chain is tried as the overflowing last argument of a call: then it
    /// must stay on one line (rustfmt's `force_one_line_chain`).
    static ONE_LINE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

pub(super) fn one_line_forced() -> bool {
    ONE_LINE.with(std::cell::Cell::get)
}

/// `f` with chains held to one line.
pub(super) fn on_one_line<T>(f: impl FnOnce() -> T) -> T {
    let before = ONE_LINE.with(|c| c.replace(true));
    let result = f();
    ONE_LINE.with(|c| c.set(before));
    result
}

pub(super) fn chain(e: &Expr, shape: Shape) -> Option<String> {
    let text = chain_inner(e, shape)?;
    if text.contains('\n') && ONE_LINE.with(std::cell::Cell::get) {
        return None;
    }
    Some(text)
}

fn chain_inner(e: &Expr, shape: Shape) -> Option<String> {
    // Walk from the outermost element to the root.
    let mut reversed: Vec<Element<'_>> = Vec::new();
    let mut pending_tries = 0;
    let mut node = e;
    let root = loop {
        match node {
            Expr::Try(t) => {
                pending_tries += 1;
                node = &t.expr;
            }
            Expr::MethodCall(m) => {
                let turbofish = m.turbofish.as_ref().map(flat::of).unwrap_or_default();
                reversed.push(Element {
                    kind: Kind::Method {
                        callee: format!(".{}{turbofish}", m.method),
                        args: m.args.iter().collect(),
                    },
                    tries: pending_tries,
                });
                pending_tries = 0;
                node = &m.receiver;
            }
            Expr::Field(f) => {
                reversed.push(Element {
                    kind: Kind::Field(flat::member(&f.member)),
                    tries: pending_tries,
                });
                pending_tries = 0;
                node = &f.base;
            }
            Expr::Await(a) => {
                reversed.push(Element {
                    kind: Kind::Await,
                    tries: pending_tries,
                });
                pending_tries = 0;
                node = &a.base;
            }
            other => break other,
        }
    };
    let root_tries = pending_tries;
    let root_rewrite = |shape: Shape| -> Option<String> {
        let text = exprs::expr(root, shape.sub_width(root_tries)?)?;
        Some(format!("{text}{}", "?".repeat(root_tries)))
    };
    let children: Vec<Element<'_>> = reversed.into_iter().rev().collect();
    if children.is_empty() {
        return root_rewrite(shape);
    }
    let child_count = children.len();

    // The root, which keeps the next elements while it is no longer than a tab.
    let mut root_text = root_rewrite(shape)?;
    let mut root_ends_with_block = root_is_block_like(root, &root_text);
    let tab_width = TAB.saturating_sub(shape.offset);
    let mut rest: &[Element<'_>] = &children;
    while root_text.width() <= tab_width && !root_text.contains('\n') {
        let Some(first) = rest.first() else {
            break;
        };
        let Some(text) = first.rewrite(shape.offset_left(root_text.width())?) else {
            break;
        };
        root_text.push_str(&text);
        root_ends_with_block = last_line_extendable(&root_text);
        rest = &rest[1..];
        if rest.is_empty() {
            break;
        }
    }
    if rest.is_empty() {
        return fits(root_text, shape);
    }
    let child_shape = if root_ends_with_block {
        Shape::indented(shape.indent)
    } else {
        Shape::indented(shape.indent + TAB)
    };
    let mut rewrites = vec![root_text];
    for element in &rest[..rest.len() - 1] {
        rewrites.push(element.rewrite(child_shape)?);
    }

    // The last element: after the others on one line when they fit, or on its own line.
    let last = &rest[rest.len() - 1];
    let extendable = rewrites.len() == 1 && last_line_extendable(&rewrites[0]);
    let almost_total = if extendable {
        super::last_line_width(&rewrites[0])
    } else {
        rewrites.iter().map(|s| s.width()).sum()
    } + last.tries;
    let budget = if child_count == 1 {
        shape.width
    } else {
        shape.width.min(CHAIN_WIDTH)
    }
    .saturating_sub(almost_total);
    let all_in_one_line = rewrites.iter().all(|s| !s.contains('\n')) && budget > 0;
    let last_shape = if all_in_one_line {
        shape.sub_width(last.tries)?
    } else if extendable {
        child_shape.sub_width(last.tries)?
    } else {
        child_shape.sub_width(shape.rhs_overhead() + last.tries)?
    };
    let mut fits_single_line = false;
    let mut last_text: Option<String> = None;
    if all_in_one_line || extendable {
        if let Some(one_line_shape) = last_shape.offset_left(almost_total) {
            if let Some(rw) = last.rewrite(one_line_shape) {
                let line_count = rw.lines().count();
                let could_fit_single_line = first_line_width(&rw) <= budget;
                if could_fit_single_line && line_count >= 5 {
                    last_text = Some(rw);
                    fits_single_line = all_in_one_line;
                } else {
                    let own_line = child_shape.sub_width(shape.rhs_overhead() + last.tries)?;
                    match last.rewrite(own_line) {
                        Some(new_rw) if !could_fit_single_line => last_text = Some(new_rw),
                        Some(new_rw) if new_rw.lines().count() >= line_count => {
                            last_text = Some(rw);
                            fits_single_line = could_fit_single_line && all_in_one_line;
                        }
                        Some(new_rw) => last_text = Some(new_rw),
                        None => {
                            last_text = Some(rw);
                            fits_single_line = could_fit_single_line && all_in_one_line;
                        }
                    }
                }
            }
        }
    }
    let last_text = match last_text {
        Some(text) => text,
        None => last.rewrite(last_shape)?,
    };
    rewrites.push(last_text);
    let connector = if fits_single_line {
        String::new()
    } else {
        newline(child_shape.indent)
    };
    fits(rewrites.join(&connector), shape)
}

/// rustfmt's `wrap_str`: the first line within the shape, the others within the width,
/// the last within the shape's end.
fn fits(text: String, shape: Shape) -> Option<String> {
    if first_line_width(&text) > shape.width {
        return None;
    }
    if text.contains('\n') {
        if text.lines().skip(1).any(|l| l.width() > MAX_WIDTH) {
            return None;
        }
        if super::last_line_width(&text) > shape.used_width() + shape.width {
            return None;
        }
    }
    Some(text)
}
