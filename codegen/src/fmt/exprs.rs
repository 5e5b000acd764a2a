//! Expressions, statements and blocks, as rustfmt rewrites them: one line when it fits
//! (and the width heuristics allow), else the construct's own multi-line layout.

use syn::{Expr, Stmt};

use super::Width;
use super::lists::{self, ListKind};
use super::{
    ARRAY_WIDTH, FN_CALL_WIDTH, MAX_WIDTH, SINGLE_LINE_IF_ELSE_WIDTH, STRUCT_LIT_WIDTH, Shape, TAB,
    chains, first_line_width, flat, items, last_line_extendable, last_line_width, newline,
    newlines, spaces,
};

/// Where an expression stands: rustfmt writes a block as a statement on several lines,
/// and as a sub-expression on one when it is short.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Position {
    Statement,
    SubExpression,
}

pub(super) fn expr(e: &Expr, shape: Shape) -> Option<String> {
    format_expr(e, Position::SubExpression, shape)
}

/// What a rewrite depends on: the expression (by address, within one file), where it
/// stands, its shape, and whether chains are held to one line.
type Key = (usize, bool, usize, usize, usize, bool);

/// The keys are a handful of small integers: a multiply-and-rotate mix is enough, where
/// the default hasher's SipHash was a tenth of the formatting time.
#[derive(Default)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

type Memo =
    std::collections::HashMap<Key, Option<String>, std::hash::BuildHasherDefault<KeyHasher>>;

thread_local! {
    /// Rewrites already made in this file. rustfmt's layouts try an expression at several
    /// shapes, and nested tries multiply: remembering them keeps a file linear.
    static MEMO: std::cell::RefCell<Memo> = std::cell::RefCell::new(Memo::default());
}

type MacroArgs = std::rc::Rc<syn::punctuated::Punctuated<Expr, syn::Token![,]>>;

thread_local! {
    /// The arguments of each macro call of this file, parsed once and kept until the file
    /// is done: the memo above knows expressions by address, so an expression must not be
    /// dropped and another allocated in its place while the file is laid out.
    static MACRO_ARGS: std::cell::RefCell<std::collections::HashMap<usize, Option<MacroArgs>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// Forgets the rewrites and parsed arguments of the previous file.
pub(super) fn reset_memo() {
    MEMO.with(|memo| memo.borrow_mut().clear());
    MACRO_ARGS.with(|args| args.borrow_mut().clear());
}

/// A macro call's arguments as expressions, parsed once per file.
fn macro_args(mac: &syn::Macro) -> Option<MacroArgs> {
    let key = std::ptr::from_ref(mac) as usize;
    MACRO_ARGS.with(|args| {
        args.borrow_mut()
            .entry(key)
            .or_insert_with(|| {
                mac.parse_body_with(
                    syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated,
                )
                .ok()
                .map(std::rc::Rc::new)
            })
            .clone()
    })
}

pub(super) fn format_expr(e: &Expr, position: Position, shape: Shape) -> Option<String> {
    let key: Key = (
        std::ptr::from_ref(e) as usize,
        position == Position::Statement,
        shape.indent,
        shape.offset,
        shape.width,
        chains::one_line_forced(),
    );
    if let Some(known) = MEMO.with(|memo| memo.borrow().get(&key).cloned()) {
        return known;
    }
    let result = format_expr_uncached(e, position, shape);
    MEMO.with(|memo| memo.borrow_mut().insert(key, result.clone()));
    result
}

fn format_expr_uncached(e: &Expr, position: Position, shape: Shape) -> Option<String> {
    if !attrs_of(e).is_empty() {
        return None;
    }
    let rewrite = match e {
        // A string literal is never broken, and stands even where it overruns the width
        // (style edition 2024); any other literal must fit.
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(lit),
            ..
        }) => return Some(flat::of(lit)),
        Expr::Lit(lit) => {
            let text = flat::of(&lit.lit);
            return lists::fits(&text, shape).then_some(text);
        }
        Expr::Path(path) => Some(flat::expr_path(path)),
        Expr::Array(array) => {
            let items: Vec<&Expr> = array.elems.iter().collect();
            expr_list("", &items, ListKind::Array, ARRAY_WIDTH, shape)
        }
        Expr::Call(call) => {
            let callee = expr(&call.func, shape)?;
            let args: Vec<&Expr> = call.args.iter().collect();
            expr_list(&callee, &args, ListKind::Call, FN_CALL_WIDTH, shape)
        }
        Expr::Macro(mac) => macro_call(&mac.mac, shape),
        Expr::MethodCall(_) | Expr::Field(_) | Expr::Try(_) | Expr::Await(_) => {
            chains::chain(e, shape)
        }
        Expr::Reference(r) => {
            let prefix = if r.mutability.is_some() { "&mut " } else { "&" };
            prefixed(prefix, &r.expr, shape)
        }
        Expr::Unary(u) => {
            let prefix = match u.op {
                syn::UnOp::Not(_) => "!",
                syn::UnOp::Neg(_) => "-",
                syn::UnOp::Deref(_) => "*",
                _ => return None,
            };
            prefixed(prefix, &u.expr, shape)
        }
        Expr::Paren(p) => {
            let inner = expr(&p.expr, shape.offset_left(1)?.sub_width(1)?)?;
            Some(format!("({inner})"))
        }
        Expr::Cast(c) => {
            let ty = flat::of(&*c.ty);
            let lhs = expr(&c.expr, shape.sub_width(ty.width() + 4)?)?;
            Some(format!("{lhs} as {ty}"))
        }
        Expr::Binary(_) => binary(e, shape),
        Expr::Struct(s) => struct_literal(s, shape),
        Expr::Tuple(t) => {
            let items: Vec<&Expr> = t.elems.iter().collect();
            let text = expr_list("", &items, ListKind::Call, FN_CALL_WIDTH, shape)?;
            match text.strip_suffix(')') {
                // A one-tuple keeps its comma (one per line, the list has put it there).
                Some(open) if items.len() == 1 && !text.contains('\n') => Some(format!("{open},)")),
                _ => Some(text),
            }
        }
        Expr::Closure(c) => closure(c, shape),
        Expr::Block(b) => {
            if b.label.is_some() {
                return None;
            }
            block_expr("", &b.block, position, shape)
        }
        // rustfmt measures a const block's one-line form without its `const `.
        Expr::Const(c) => {
            block_expr("", &c.block, Position::SubExpression, shape).map(|b| format!("const {b}"))
        }
        Expr::Unsafe(u) => block_expr("unsafe ", &u.block, Position::SubExpression, shape),
        Expr::If(_) => if_expr(e, position, shape),
        Expr::Match(m) => match_expr(m, shape),
        Expr::ForLoop(f) => {
            if f.label.is_some() {
                return None;
            }
            let head_shape = shape.offset_left(4)?.sub_width(2)?;
            let pat = flat::pat(&f.pat);
            let iter = expr(&f.expr, head_shape.offset_left(pat.width() + 4)?)?;
            let body = block(&f.body, shape.indent)?;
            Some(format!("for {pat} in {iter} {body}"))
        }
        Expr::Let(l) => {
            let pat = flat::pat(&l.pat);
            let lhs = format!("let {pat} =");
            assign_rhs(&lhs, &l.expr, shape)
        }
        Expr::Return(r) => match &r.expr {
            None => Some("return".to_owned()),
            Some(value) => prefixed("return ", value, shape),
        },
        Expr::Break(b) if b.label.is_none() && b.expr.is_none() => Some("break".to_owned()),
        Expr::Continue(c) if c.label.is_none() => Some("continue".to_owned()),
        Expr::Index(i) => {
            let base = expr(&i.expr, shape)?;
            let index = expr(&i.index, shape.offset_left(last_line_width(&base) + 1)?)?;
            Some(format!("{base}[{index}]"))
        }
        Expr::Range(r) => {
            let start = r.start.as_deref().map(flat::of).unwrap_or_default();
            let end = r.end.as_deref().map(flat::of).unwrap_or_default();
            let op = match r.limits {
                syn::RangeLimits::HalfOpen(_) => "..",
                syn::RangeLimits::Closed(_) => "..=",
            };
            Some(format!("{start}{op}{end}"))
        }
        Expr::Assign(a) => {
            let lhs = format!("{} =", expr(&a.left, shape)?);
            assign_rhs(&lhs, &a.right, shape)
        }
        _ => None,
    }?;
    Some(rewrite)
}

fn attrs_of(e: &Expr) -> &[syn::Attribute] {
    match e {
        Expr::Closure(c) => &c.attrs,
        Expr::Call(c) => &c.attrs,
        Expr::MethodCall(m) => &m.attrs,
        Expr::Block(b) => &b.attrs,
        Expr::Match(m) => &m.attrs,
        _ => &[],
    }
}

/// `&x`, `!x`, `return x`: the prefix, then the expression after it.
fn prefixed(prefix: &str, e: &Expr, shape: Shape) -> Option<String> {
    let inner = expr(e, shape.offset_left(prefix.len())?)?;
    Some(format!("{prefix}{inner}"))
}

/// rustfmt's "simple" expression: a literal, a one-segment path, or one behind `&`, `!`,
/// a field, a `?` or a cast.
fn is_simple(e: &Expr) -> bool {
    match e {
        Expr::Lit(_) => true,
        Expr::Path(p) => p.qself.is_none() && p.path.segments.len() <= 1,
        Expr::Reference(r) => is_simple(&r.expr),
        Expr::Unary(u) => is_simple(&u.expr),
        Expr::Cast(c) => is_simple(&c.expr),
        Expr::Field(f) => is_simple(&f.base),
        Expr::Try(t) => is_simple(&t.expr),
        Expr::Index(i) => is_simple(&i.expr) && is_simple(&i.index),
        _ => false,
    }
}

/// rustfmt's `can_be_overflowed_expr`.
fn can_overflow(e: &Expr, count: usize) -> bool {
    match e {
        Expr::Match(_) => count == 1,
        Expr::If(_) | Expr::ForLoop(_) | Expr::Loop(_) | Expr::While(_) => false,
        Expr::Block(_) | Expr::Closure(_) | Expr::Async(_) => true,
        Expr::Array(_) | Expr::Struct(_) => count == 1,
        Expr::Macro(_) => count == 1,
        Expr::Call(_) | Expr::MethodCall(_) | Expr::Tuple(_) => count == 1,
        Expr::Reference(r) => can_overflow(&r.expr, count),
        Expr::Try(t) => can_overflow(&t.expr, count),
        Expr::Unary(u) => can_overflow(&u.expr, count),
        Expr::Cast(c) => can_overflow(&c.expr, count),
        _ => false,
    }
}

fn is_method_call(e: &Expr) -> bool {
    match e {
        Expr::MethodCall(_) => true,
        Expr::Reference(r) => is_method_call(&r.expr),
        Expr::Try(t) => is_method_call(&t.expr),
        Expr::Unary(u) => is_method_call(&u.expr),
        Expr::Cast(c) => is_method_call(&c.expr),
        _ => false,
    }
}

fn is_nested_call(e: &Expr) -> bool {
    match e {
        Expr::Call(_) | Expr::Macro(_) => true,
        Expr::Reference(r) => is_nested_call(&r.expr),
        Expr::Try(t) => is_nested_call(&t.expr),
        Expr::Unary(u) => is_nested_call(&u.expr),
        Expr::Cast(c) => is_nested_call(&c.expr),
        _ => false,
    }
}

struct ExprItem<'a>(&'a Expr);

impl lists::Item for ExprItem<'_> {
    fn rewrite(&self, shape: Shape) -> Option<String> {
        expr(self.0, shape)
    }
    fn can_overflow(&self, count: usize) -> bool {
        can_overflow(self.0, count)
    }
    fn rewrite_overflowing(
        &self,
        shape: Shape,
        many_closures: bool,
        with_callee: bool,
    ) -> Option<String> {
        match self.0 {
            Expr::Closure(c) => {
                if many_closures {
                    None
                } else {
                    last_closure(c, shape)
                }
            }
            // A method chain overflowing a call must stay on one line.
            e if !with_callee && is_method_call(e) => chains::on_one_line(|| expr(e, shape)),
            e => expr(e, shape),
        }
    }
    fn is_nested_call(&self) -> bool {
        is_nested_call(self.0)
    }
    fn is_simple(&self) -> bool {
        is_simple(self.0)
    }
    fn is_closure(&self) -> bool {
        matches!(self.0, Expr::Closure(_))
    }
}

pub(super) fn expr_list(
    ident: &str,
    items: &[&Expr],
    kind: ListKind,
    max_width: usize,
    shape: Shape,
) -> Option<String> {
    let wrapped: Vec<ExprItem<'_>> = items.iter().map(|e| ExprItem(e)).collect();
    let refs: Vec<&dyn lists::Item> = wrapped.iter().map(|w| w as &dyn lists::Item).collect();
    lists::list(ident, &refs, kind, max_width, shape)
}

/// Macros whose first arguments are a format string (and, for some, a few before it).
fn format_macro_offset(name: &str) -> Option<usize> {
    match name {
        "eprint" | "eprintln" | "format" | "format_args" | "print" | "println" | "panic"
        | "unreachable" | "debug" | "error" | "info" | "warn" => Some(0),
        "assert" | "debug_assert" | "write" | "writeln" => Some(1),
        "assert_eq" | "assert_ne" | "debug_assert_eq" | "debug_assert_ne" => Some(2),
        _ => None,
    }
}

fn macro_call(mac: &syn::Macro, shape: Shape) -> Option<String> {
    let name = format!("{}!", flat::path(&mac.path));
    let args = macro_args(mac)?;
    let items: Vec<&Expr> = args.iter().collect();
    match mac.delimiter {
        syn::MacroDelimiter::Paren(_) => {
            let last = mac.path.segments.last()?.ident.to_string();
            let kind = match format_macro_offset(&last) {
                Some(n) => ListKind::FormatMacro(n),
                None => ListKind::Call,
            };
            expr_list(&name, &items, kind, FN_CALL_WIDTH, shape)
        }
        syn::MacroDelimiter::Bracket(_) => {
            expr_list(&name, &items, ListKind::Array, ARRAY_WIDTH, shape)
        }
        syn::MacroDelimiter::Brace(_) => None,
    }
}

/// `lhs` (ending in `=`, `:` or `=>`) followed by `value`: on the same line when it fits,
/// else on the next line, indented, when that looks better (rustfmt's `choose_rhs`).
pub(super) fn assign_rhs(lhs: &str, value: &Expr, shape: Shape) -> Option<String> {
    let width = if lhs.contains('\n') {
        last_line_width(lhs).saturating_sub(shape.indent)
    } else {
        last_line_width(lhs)
    };
    let orig_shape = shape.offset_left(width + 1).unwrap_or(Shape {
        width: 0,
        offset: shape.offset + width + 1,
        ..shape
    });
    let orig = expr(value, orig_shape);
    let rhs = match &orig {
        Some(s) if !s.contains('\n') && s.width() <= orig_shape.width => format!(" {s}"),
        _ => {
            let new_shape = Shape::indented(shape.indent + TAB).sub_width(shape.rhs_overhead())?;
            let next = expr(value, new_shape);
            let indent = newline(shape.indent + TAB);
            match (orig, next) {
                (Some(o), Some(n)) if !lists::fits(&n, new_shape) => format!(" {o}"),
                (Some(o), Some(n)) if prefer_next_line(&o, &n) => format!("{indent}{n}"),
                (None, Some(n)) => format!("{indent}{n}"),
                (None, None) => return None,
                (Some(o), _) => format!(" {o}"),
            }
        }
    };
    Some(format!("{lhs}{rhs}"))
}

/// rustfmt's `prefer_next_line`.
fn prefer_next_line(orig: &str, next: &str) -> bool {
    let first_ends = |s: &str, c: char| s.lines().next().is_some_and(|l| l.ends_with(c));
    !next.contains('\n')
        || newlines(orig) > newlines(next) + 1
        || first_ends(orig, '(') && !first_ends(next, '(')
        || first_ends(orig, '{') && !first_ends(next, '{')
        || first_ends(orig, '[') && !first_ends(next, '[')
}

/// A chain of the same binary operator, on one line or broken before each operator.
fn binary(e: &Expr, shape: Shape) -> Option<String> {
    let Expr::Binary(top) = e else {
        return None;
    };
    let op_text = flat::binary_op(&top.op);
    // Flatten `a op b op c` (left-nested) into operands.
    let mut operands: Vec<&Expr> = Vec::new();
    let mut node = e;
    let mut stack: Vec<&Expr> = Vec::new();
    loop {
        match node {
            Expr::Binary(b) if flat::binary_op(&b.op) == op_text => {
                stack.push(&b.right);
                node = &b.left;
            }
            other => {
                operands.push(other);
                match stack.pop() {
                    Some(right) => node = right,
                    None => break,
                }
            }
        }
    }
    // Each operand after the first, as it would stand on a line of its own.
    let nested = Shape::indented(shape.indent + TAB).sub_width(shape.rhs_overhead())?;
    let default_shape = nested.offset_left(op_text.len() + 1)?;
    let mut rewrites: Vec<Option<String>> = Vec::new();
    for (i, operand) in operands.iter().enumerate() {
        rewrites.push(if i == 0 {
            expr(operand, shape)
        } else {
            expr(operand, default_shape)
        });
    }
    // One line: all but the last on one line; the last may run on (a block) when short.
    let one_line = (|| {
        let mut result = String::new();
        for rw in &rewrites[..rewrites.len() - 1] {
            let rw = rw.as_deref()?;
            if rw.contains('\n') || result.width() > shape.width {
                return None;
            }
            result.push_str(rw);
            result.push(' ');
            result.push_str(&op_text);
            result.push(' ');
        }
        let prefix_len = result.width();
        let last_shape =
            Shape::indented(shape.indent).offset_left(shape.offset + last_line_width(&result))?;
        let last_shape = Shape {
            width: shape.width.checked_sub(last_line_width(&result))?,
            ..last_shape
        };
        let last = expr(operands[operands.len() - 1], last_shape)?;
        result.push_str(&last);
        if first_line_width(&result) > shape.width {
            return None;
        }
        // A last operand running onto more lines is kept only when it opens a block, or
        // follows a short start and does not open a parenthesis.
        if result.contains('\n')
            && !last.starts_with('{')
            && (last.starts_with('(') || prefix_len > TAB)
        {
            return None;
        }
        Some(result)
    })();
    if one_line.is_some() {
        return one_line;
    }
    let mut result = rewrites[0].clone()?;
    for (i, operand) in operands.iter().enumerate().skip(1) {
        let offset = if result.contains('\n') {
            0
        } else {
            shape.used_width()
        };
        if last_line_width(&result) + offset <= nested.used_width() {
            // Keep a short first operand and the next together rather than orphan it.
            if let Some(line_shape) = shape
                .offset_left(op_text.width() + 2 + last_line_width(&result).saturating_sub(offset))
            {
                if let Some(rw) = expr(operand, line_shape) {
                    result.push(' ');
                    result.push_str(&op_text);
                    result.push(' ');
                    result.push_str(&rw);
                    continue;
                }
            }
        }
        result.push_str(&newline(nested.indent));
        result.push_str(&op_text);
        result.push(' ');
        result.push_str(rewrites[i].as_deref()?);
    }
    Some(result)
}

fn struct_literal(s: &syn::ExprStruct, shape: Shape) -> Option<String> {
    if s.qself.is_some() {
        return None;
    }
    let path = flat::path(&s.path);
    if s.fields.is_empty() && s.rest.is_none() {
        return Some(format!("{path} {{}}"));
    }
    let v_shape = Shape::indented(shape.indent + TAB);
    let h_width = shape
        .width
        .checked_sub(path.width() + 3 + 2)
        .map(|w| w.min(STRUCT_LIT_WIDTH));
    let mut fields: Vec<String> = Vec::new();
    for field in &s.fields {
        let name = flat::member(&field.member);
        let Some(_) = field.colon_token else {
            fields.push(name);
            continue;
        };
        let field_shape = v_shape.sub_width(1)?;
        let value_shape = field_shape.offset_left(name.width() + 2)?;
        let text = match expr(&field.expr, value_shape) {
            Some(value) => format!("{name}: {value}"),
            None => {
                let value = expr(&field.expr, Shape::indented(v_shape.indent + TAB))?;
                format!("{name}:{}{value}", newline(v_shape.indent + TAB))
            }
        };
        fields.push(text);
    }
    let has_rest = s.rest.is_some();
    if let Some(rest) = &s.rest {
        fields.push(format!("..{}", expr(rest, v_shape.offset_left(2)?)?));
    }
    let horizontal = h_width.is_some_and(|w| {
        fields.iter().all(|f| !f.contains('\n'))
            && fields.iter().map(|s| s.width()).sum::<usize>() + 2 * (fields.len() - 1) <= w
    });
    if horizontal {
        return Some(format!("{path} {{ {} }}", fields.join(", ")));
    }
    let mut body = fields.join(&format!(",{}", newline(v_shape.indent)));
    if !has_rest {
        body.push(',');
    }
    Some(format!(
        "{path} {{{}{body}{}}}",
        newline(v_shape.indent),
        newline(shape.indent)
    ))
}

/// The statements of a block at `indent` (the block's own), braces included.
pub(super) fn block(b: &syn::Block, indent: usize) -> Option<String> {
    if b.stmts.is_empty() {
        return Some("{}".to_owned());
    }
    let mut out = String::from("{\n");
    for stmt in &b.stmts {
        out.push_str(&spaces(indent + TAB));
        out.push_str(&statement(stmt, indent + TAB)?);
        out.push('\n');
    }
    out.push_str(&spaces(indent));
    out.push('}');
    Some(out)
}

/// A block as an expression, behind `prefix` (`const `, `unsafe `): on one line when it
/// holds one short expression and stands as a sub-expression.
fn block_expr(prefix: &str, b: &syn::Block, position: Position, shape: Shape) -> Option<String> {
    let multi = block(b, shape.indent)?;
    if position == Position::SubExpression && newlines(&multi) <= 2 {
        if let [Stmt::Expr(inner, None)] = b.stmts.as_slice() {
            let inner_shape = shape.offset_left(prefix.len())?;
            if let Some(text) = expr(inner, inner_shape) {
                let one = format!("{prefix}{{ {text} }}");
                // rustfmt counts bytes here, not columns.
                if one.len() <= shape.width && !one.contains('\n') {
                    return Some(one);
                }
            }
        }
    }
    Some(format!("{prefix}{multi}"))
}

fn statement(stmt: &Stmt, indent: usize) -> Option<String> {
    let shape = Shape::indented(indent);
    match stmt {
        Stmt::Local(local) => {
            if !local.attrs.is_empty() {
                return None;
            }
            let pat = flat::pat(&local.pat);
            let Some(init) = &local.init else {
                return Some(format!("let {pat};"));
            };
            let lhs = format!("let {pat} =");
            match &init.diverge {
                None => Some(format!(
                    "{};",
                    assign_rhs(&lhs, &init.expr, shape.sub_width(1)?)?
                )),
                Some((_, diverge)) => {
                    let Expr::Block(else_block) = &**diverge else {
                        return None;
                    };
                    let head = assign_rhs(&lhs, &init.expr, shape.sub_width(7)?)?;
                    let body = block(&else_block.block, indent)?;
                    Some(format!("{head} else {body};"))
                }
            }
        }
        Stmt::Item(item) => items::item(item, indent).map(|s| s.trim_start().to_owned()),
        Stmt::Expr(e, semi) => {
            let (shape, suffix) = if semi.is_some() {
                (shape.sub_width(1)?, ";")
            } else {
                (shape, "")
            };
            Some(format!(
                "{}{suffix}",
                format_expr(e, Position::Statement, shape)?
            ))
        }
        Stmt::Macro(m) => {
            let text = macro_call(&m.mac, shape.sub_width(1)?)?;
            Some(format!(
                "{text}{}",
                if m.semi_token.is_some() { ";" } else { "" }
            ))
        }
    }
}

/// `if` (and its `else` chain), on several lines; on one line only as a short
/// sub-expression with simple branches.
fn if_expr(e: &Expr, position: Position, shape: Shape) -> Option<String> {
    let Expr::If(i) = e else {
        return None;
    };
    if position == Position::SubExpression {
        if let Some(one) = single_line_if(i, shape) {
            return Some(one);
        }
    }
    let mut out = String::new();
    let mut current = i;
    loop {
        let cond_shape = Shape {
            width: MAX_WIDTH.saturating_sub(
                shape.indent
                    + out
                        .lines()
                        .last()
                        .map_or(0, |l| l.width().saturating_sub(shape.indent)),
            ),
            ..shape
        };
        let head = if out.is_empty() { "if " } else { " if " };
        let cond_shape = cond_shape.offset_left(if out.is_empty() {
            3
        } else {
            (last_line_width(&out) + 4).saturating_sub(shape.indent)
        })?;
        let cond_shape = cond_shape.sub_width(2)?;
        let cond = expr(&current.cond, cond_shape)?;
        out.push_str(head);
        out.push_str(&cond);
        if brace_on_own_line(&cond, shape) {
            out.push_str(&newline(shape.indent));
            out.push('{');
            out.push_str(&block(&current.then_branch, shape.indent)?[1..]);
        } else {
            out.push(' ');
            out.push_str(&block(&current.then_branch, shape.indent)?);
        }
        match &current.else_branch {
            None => break,
            Some((_, else_expr)) => match &**else_expr {
                Expr::If(next) => {
                    out.push_str(" else");
                    current = next;
                }
                Expr::Block(b) => {
                    out.push_str(" else ");
                    out.push_str(&block(&b.block, shape.indent)?);
                    break;
                }
                _ => return None,
            },
        }
    }
    Some(out)
}

/// Whether a multi-line condition puts the opening brace on a line of its own: unless its
/// last line only closes brackets at the construct's own indent.
fn brace_on_own_line(cond: &str, shape: Shape) -> bool {
    let offsetted = cond
        .rsplit('\n')
        .next()
        .is_some_and(|l| l.len() - l.trim_start().len() > shape.indent);
    cond.contains('\n') && (!last_line_extendable(cond) || offsetted)
}

fn single_line_if(i: &syn::ExprIf, shape: Shape) -> Option<String> {
    let (_, else_expr) = i.else_branch.as_ref()?;
    let Expr::Block(else_block) = &**else_expr else {
        return None;
    };
    fn simple(b: &syn::Block) -> Option<&Expr> {
        match b.stmts.as_slice() {
            [Stmt::Expr(e, None)] => Some(e),
            _ => None,
        }
    }
    let then_e = simple(&i.then_branch)?;
    let else_e = simple(&else_block.block)?;
    let cond = expr(&i.cond, Shape::indented(0))?;
    let then_t = expr(then_e, Shape::indented(0))?;
    let else_t = expr(else_e, Shape::indented(0))?;
    let one = format!("if {cond} {{ {then_t} }} else {{ {else_t} }}");
    (!one.contains('\n') && one.width() <= shape.width.min(SINGLE_LINE_IF_ELSE_WIDTH))
        .then_some(one)
}

fn match_expr(m: &syn::ExprMatch, shape: Shape) -> Option<String> {
    let cond = expr(&m.expr, shape.offset_left(6)?.sub_width(2)?)?;
    // As after `if`: a multi-line scrutinee puts the brace on a line of its own.
    let brace = if brace_on_own_line(&cond, shape) {
        format!("{}{{", newline(shape.indent))
    } else {
        " {".to_owned()
    };
    if m.arms.is_empty() {
        return Some(format!("match {cond}{brace}}}"));
    }
    let arm_indent = shape.indent + TAB;
    let mut out = format!("match {cond}{brace}\n");
    for arm in &m.arms {
        if !arm.attrs.is_empty() {
            return None;
        }
        out.push_str(&spaces(arm_indent));
        out.push_str(&match_arm(arm, arm_indent)?);
        out.push('\n');
    }
    out.push_str(&spaces(shape.indent));
    out.push('}');
    Some(out)
}

fn match_arm(arm: &syn::Arm, indent: usize) -> Option<String> {
    let shape = Shape::indented(indent);
    let pats = flat::pat(&arm.pat);
    let (extend, body) = flatten_arm_body(&arm.body);
    let (is_block, is_empty_block) = match body {
        Expr::Block(b) => (true, b.block.stmts.is_empty()),
        _ => (false, false),
    };
    let comma = if is_block { "" } else { "," };
    let next_line_indent = if !is_block || is_empty_block {
        indent + TAB
    } else {
        indent
    };
    let combine_orig = |body: &str| format!("{pats} => {body}{comma}");
    let combine_next = |body: &str| {
        if is_block {
            format!("{pats} =>{}{body}{comma}", newline(next_line_indent))
        } else {
            format!(
                "{pats} => {{{}{body}{}}}",
                newline(next_line_indent),
                newline(indent)
            )
        }
    };
    let orig_shape = shape
        .offset_left(pats.width() + 4)
        .and_then(|s| s.sub_width(comma.len()));
    let orig = match orig_shape {
        Some(orig_shape) => {
            let rewrite = format_expr(body, Position::Statement, orig_shape);
            match &rewrite {
                Some(b) if is_block || (!b.contains('\n') && b.len() <= orig_shape.width) => {
                    return Some(combine_orig(b));
                }
                _ => rewrite,
            }
        }
        None => None,
    };
    let orig_budget = orig_shape.map_or(0, |s| s.width);
    let next = format_expr(body, Position::Statement, Shape::indented(next_line_indent));
    match (orig, next) {
        (Some(o), Some(n)) if prefer_next_line(&o, &n) => Some(combine_next(&n)),
        (Some(o), _) if extend && first_line_width(&o) <= orig_budget => Some(combine_orig(&o)),
        (Some(o), Some(n)) if o.contains('\n') => Some(combine_next(&n)),
        (None, Some(n)) => Some(combine_next(&n)),
        (None, None) => None,
        (Some(o), _) => Some(combine_orig(&o)),
    }
}

/// A block arm body holding one expression stands as that expression; whether the arm
/// may keep a multi-line body on its own line.
fn flatten_arm_body(body: &Expr) -> (bool, &Expr) {
    if let Expr::Block(b) = body {
        if b.label.is_none() && b.attrs.is_empty() {
            if let [Stmt::Expr(inner, None)] = b.block.stmts.as_slice() {
                if !matches!(inner, Expr::Macro(_)) {
                    if let Expr::Block(_) = inner {
                        return flatten_arm_body(inner);
                    }
                    return (can_flatten_around(inner), inner);
                }
            }
        }
    }
    (can_flatten_around(body), body)
}

fn can_flatten_around(e: &Expr) -> bool {
    match e {
        Expr::If(_) | Expr::ForLoop(_) | Expr::While(_) => false,
        Expr::Loop(_)
        | Expr::Match(_)
        | Expr::Block(_)
        | Expr::Array(_)
        | Expr::Call(_)
        | Expr::MethodCall(_)
        | Expr::Macro(_)
        | Expr::Struct(_)
        | Expr::Tuple(_) => true,
        Expr::Reference(r) => can_flatten_around(&r.expr),
        Expr::Try(t) => can_flatten_around(&t.expr),
        Expr::Unary(u) => can_flatten_around(&u.expr),
        Expr::Index(i) => can_flatten_around(&i.expr),
        Expr::Cast(c) => can_flatten_around(&c.expr),
        _ => false,
    }
}

fn closure_prefix(c: &syn::ExprClosure) -> Option<String> {
    if c.lifetimes.is_some() || c.constness.is_some() || c.asyncness.is_some() {
        return None;
    }
    let params: Vec<String> = c.inputs.iter().map(flat::pat).collect();
    let capture = if c.capture.is_some() { "move " } else { "" };
    let output = match &c.output {
        syn::ReturnType::Default => String::new(),
        syn::ReturnType::Type(_, ty) => format!(" -> {}", flat::of(&**ty)),
    };
    Some(format!("{capture}|{}|{output}", params.join(", ")))
}

fn closure(c: &syn::ExprClosure, shape: Shape) -> Option<String> {
    let prefix = closure_prefix(c)?;
    let body_shape = shape.offset_left(prefix.len() + 1)?;
    let has_output = !matches!(c.output, syn::ReturnType::Default);
    if let Expr::Block(b) = &*c.body {
        if b.block.stmts.is_empty() {
            return Some(format!("{prefix} {{}}"));
        }
        let without = if has_output {
            None
        } else {
            let inner = inner_expr(&c.body);
            if block_forced(inner) {
                closure_with_block(inner, &prefix, shape)
            } else {
                closure_expr(inner, &prefix, body_shape)
            }
        };
        without.or_else(|| closure_block(&b.block, &prefix, shape))
    } else {
        closure_expr(&c.body, &prefix, body_shape)
            .or_else(|| closure_with_block(&c.body, &prefix, shape))
    }
}

/// A block holding one expression (no statements) stands for the expression.
fn inner_expr(e: &Expr) -> &Expr {
    if let Expr::Block(b) = e {
        if b.label.is_none() {
            if let [Stmt::Expr(inner, None)] = b.block.stmts.as_slice() {
                return inner_expr(inner);
            }
        }
    }
    e
}

/// Control flow as a closure body keeps its block.
fn block_forced(e: &Expr) -> bool {
    matches!(
        e,
        Expr::If(_) | Expr::While(_) | Expr::Loop(_) | Expr::ForLoop(_)
    )
}

fn allow_multi_line(e: &Expr) -> bool {
    match e {
        Expr::Match(_) | Expr::Block(_) | Expr::Loop(_) | Expr::Struct(_) => true,
        Expr::Reference(r) => allow_multi_line(&r.expr),
        Expr::Try(t) => allow_multi_line(&t.expr),
        Expr::Unary(u) => allow_multi_line(&u.expr),
        Expr::Cast(c) => allow_multi_line(&c.expr),
        _ => false,
    }
}

fn closure_expr(e: &Expr, prefix: &str, shape: Shape) -> Option<String> {
    let text = expr(e, shape)?;
    if !allow_multi_line(e) && text.contains('\n') {
        return None;
    }
    Some(format!("{prefix} {text}"))
}

fn closure_with_block(e: &Expr, prefix: &str, shape: Shape) -> Option<String> {
    let body = format_expr(e, Position::Statement, Shape::indented(shape.indent + TAB))?;
    Some(format!(
        "{prefix} {{{}{body}{}}}",
        newline(shape.indent + TAB),
        newline(shape.indent)
    ))
}

fn closure_block(b: &syn::Block, prefix: &str, shape: Shape) -> Option<String> {
    Some(format!("{prefix} {}", block(b, shape.indent)?))
}

/// A closure as the last argument, running onto the following lines.
fn last_closure(c: &syn::ExprClosure, shape: Shape) -> Option<String> {
    let prefix = closure_prefix(c)?;
    let body = match &*c.body {
        Expr::Block(b) if b.label.is_none() => match b.block.stmts.as_slice() {
            [Stmt::Expr(inner, None)] => inner,
            _ => &*c.body,
        },
        other => other,
    };
    if block_forced(body) {
        let with_block = closure_with_block(body, &prefix, shape)?;
        if matches!(c.output, syn::ReturnType::Default) && with_block.lines().count() <= 7 {
            if let Some(one) = closure_expr(body, &prefix, shape) {
                if !one.contains('\n') {
                    return Some(one);
                }
            }
        }
        return Some(with_block);
    }
    closure(c, shape)
}
