//! Items: the file's inner attributes, `use` groups in rustfmt's order, structs, enums,
//! impls, functions and their signatures, constants, type aliases; attributes and doc
//! comments.

use std::cmp::Ordering;

use syn::{Attribute, Fields, ImplItem, Item, Meta, UseTree, Visibility};

use super::Width;
use super::exprs;
use super::flat;
use super::lists::{self, ListKind};
use super::{ATTR_FN_LIKE_WIDTH, MAX_WIDTH, Shape, TAB, spaces};

/// The file's text, or the first line of the item it cannot lay out.
pub(super) fn file(file: &syn::File) -> Result<String, String> {
    let mut out = String::new();
    for attr in &file.attrs {
        out.push_str(&attribute(attr, 0).ok_or_else(|| flat::of(attr))?);
        out.push('\n');
    }
    // Consecutive `use` items are one group, sorted as rustfmt sorts them.
    let mut items: Vec<&Item> = Vec::new();
    let mut i = 0;
    while i < file.items.len() {
        if matches!(file.items[i], Item::Use(_)) {
            let start = i;
            while i < file.items.len() && matches!(file.items[i], Item::Use(_)) {
                i += 1;
            }
            let mut group: Vec<&Item> = file.items[start..i].iter().collect();
            group.sort_by(|a, b| match (a, b) {
                (Item::Use(a), Item::Use(b)) => compare_trees(&a.tree, &b.tree),
                _ => Ordering::Equal,
            });
            items.extend(group);
        } else {
            items.push(&file.items[i]);
            i += 1;
        }
    }
    let mut previous_was_use = false;
    for item in items {
        let is_use = matches!(item, Item::Use(_));
        // Consecutive `use` lines stay together; every other item gets a blank line.
        let in_use_group = is_use && previous_was_use;
        if !in_use_group && !out.is_empty() {
            out.push('\n');
        }
        previous_was_use = is_use;
        let text = self::item(item, 0).ok_or_else(|| {
            let text = flat::of(item);
            text.chars().take(120).collect::<String>()
        })?;
        out.push_str(&text);
        out.push('\n');
    }
    Ok(out)
}

/// An item at `indent`, attributes and doc comments included, without a final newline.
pub(super) fn item(item: &Item, indent: usize) -> Option<String> {
    let (attrs, body) = match item {
        Item::Use(item) => (&item.attrs, use_item(item, indent)?),
        Item::Struct(item) => (&item.attrs, struct_item(item, indent)?),
        Item::Enum(item) => (&item.attrs, enum_item(item, indent)?),
        Item::Impl(item) => (&item.attrs, impl_item(item, indent)?),
        Item::Fn(item) => (
            &item.attrs,
            function(&item.vis, &item.sig, &item.block, indent)?,
        ),
        Item::Const(item) => (
            &item.attrs,
            constant(
                &format!(
                    "{}const {}: {} =",
                    visibility(&item.vis),
                    item.ident,
                    flat::of(&*item.ty)
                ),
                &item.expr,
                indent,
            )?,
        ),
        Item::Static(item) => (
            &item.attrs,
            constant(
                &format!(
                    "{}static {}{}: {} =",
                    visibility(&item.vis),
                    if matches!(item.mutability, syn::StaticMutability::Mut(_)) {
                        "mut "
                    } else {
                        ""
                    },
                    item.ident,
                    flat::of(&*item.ty)
                ),
                &item.expr,
                indent,
            )?,
        ),
        Item::Type(item) => (
            &item.attrs,
            format!(
                "{}type {}{} = {};",
                visibility(&item.vis),
                item.ident,
                flat::of(&item.generics),
                flat::of(&*item.ty)
            ),
        ),
        Item::Mod(item) => (&item.attrs, mod_item(item, indent)?),
        _ => return None,
    };
    Some(format!(
        "{}{}{body}",
        attributes(attrs, indent)?,
        spaces(indent)
    ))
}

/// Outer attributes, one per line, each followed by a newline and indented.
pub(super) fn attributes(attrs: &[Attribute], indent: usize) -> Option<String> {
    let mut out = String::new();
    for attr in attrs {
        out.push_str(&spaces(indent));
        out.push_str(&attribute(attr, indent)?);
        out.push('\n');
    }
    Some(out)
}

/// One attribute (no indent before it): a doc comment as `///` (or `//!`), the rest as
/// rustfmt writes a meta item.
fn attribute(attr: &Attribute, indent: usize) -> Option<String> {
    let inner = matches!(attr.style, syn::AttrStyle::Inner(_));
    if let Meta::NameValue(nv) = &attr.meta {
        if nv.path.is_ident("doc") {
            if let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(text),
                ..
            }) = &nv.value
            {
                let text = text.value();
                // A comment when the line can be one; else the attribute stays.
                if !text.contains(['\n', '\r']) && (inner || !text.starts_with('/')) {
                    let marker = if inner { "//!" } else { "///" };
                    return Some(format!("{marker}{}", text.trim_end_matches(' ')));
                }
            }
        }
    }
    let open = if inner { "#![" } else { "#[" };
    let shape = Shape::indented(indent)
        .offset_left(open.len())?
        .sub_width(1)?;
    Some(format!("{open}{}]", meta(&attr.meta, shape)?))
}

fn meta(meta: &Meta, shape: Shape) -> Option<String> {
    match meta {
        Meta::Path(path) => Some(flat::of(path)),
        // Attribute values are literals and paths: written as they are, without the
        // expression memo (a nested meta is parsed anew each time, at a new address).
        Meta::NameValue(nv) => Some(format!("{} = {}", flat::of(&nv.path), flat::of(&nv.value))),
        Meta::List(list) => {
            let path = flat::of(&list.path);
            let nested = list
                .parse_args_with(
                    syn::punctuated::Punctuated::<Meta, syn::Token![,]>::parse_terminated,
                )
                .ok()?;
            let items: Vec<MetaItem<'_>> = nested.iter().map(MetaItem).collect();
            let items: Vec<&dyn lists::Item> =
                items.iter().map(|m| m as &dyn lists::Item).collect();
            lists::list(
                &path,
                &items,
                ListKind::Attribute,
                ATTR_FN_LIKE_WIDTH,
                shape,
            )
        }
    }
}

/// An argument of an attribute, as a list item: it never runs onto following lines.
struct MetaItem<'a>(&'a Meta);

impl lists::Item for MetaItem<'_> {
    fn rewrite(&self, shape: Shape) -> Option<String> {
        meta(self.0, shape)
    }

    fn can_overflow(&self, _count: usize) -> bool {
        false
    }
}

pub(super) fn visibility(vis: &Visibility) -> String {
    match vis {
        Visibility::Inherited => String::new(),
        vis => format!("{} ", flat::of(vis)),
    }
}

fn use_item(item: &syn::ItemUse, indent: usize) -> Option<String> {
    let prefix = format!("{}use ", visibility(&item.vis));
    let flat_tree = use_tree(&item.tree);
    let one_line = format!("{prefix}{flat_tree};");
    if indent + one_line.width() <= MAX_WIDTH {
        return Some(one_line);
    }
    // A long list: its last `{...}` broken, the names packed on the lines between.
    let (path, names) = split_last_list(&item.tree)?;
    let lines = lists::pack(&names, indent + TAB);
    Some(format!("{prefix}{path}{{\n{lines}\n{}}};", spaces(indent)))
}

/// `a::b::` and the sorted names of a tree ending in a list.
fn split_last_list(tree: &UseTree) -> Option<(String, Vec<String>)> {
    match tree {
        UseTree::Path(path) => {
            let (rest, names) = split_last_list(&path.tree)?;
            Some((format!("{}::{rest}", path.ident), names))
        }
        UseTree::Group(group) => {
            let mut trees: Vec<&UseTree> = group.items.iter().collect();
            trees.sort_by(|a, b| compare_trees(a, b));
            Some((String::new(), trees.into_iter().map(use_tree).collect()))
        }
        _ => None,
    }
}

fn use_tree(tree: &UseTree) -> String {
    match tree {
        UseTree::Path(path) => format!("{}::{}", path.ident, use_tree(&path.tree)),
        UseTree::Name(name) => name.ident.to_string(),
        UseTree::Rename(rename) => format!("{} as {}", rename.ident, rename.rename),
        UseTree::Glob(_) => "*".to_owned(),
        UseTree::Group(group) => {
            let mut trees: Vec<&UseTree> = group.items.iter().collect();
            trees.sort_by(|a, b| compare_trees(a, b));
            let names: Vec<String> = trees.into_iter().map(use_tree).collect();
            // `a::{B}` is `a::B`.
            match names.as_slice() {
                [one] if one != "self" => one.clone(),
                _ => format!("{{{}}}", names.join(", ")),
            }
        }
    }
}

/// rustfmt's order of use trees: `self`, `super`, `crate`, then names (version order),
/// then `*`, then `{...}` lists; segment by segment.
fn compare_trees(a: &UseTree, b: &UseTree) -> Ordering {
    let segments = |tree: &UseTree| -> Vec<Segment> {
        let mut out = Vec::new();
        let mut tree = tree;
        loop {
            match tree {
                UseTree::Path(path) => {
                    out.push(Segment::named(&path.ident.to_string()));
                    tree = &path.tree;
                }
                UseTree::Name(name) => {
                    out.push(Segment::named(&name.ident.to_string()));
                    return out;
                }
                UseTree::Rename(rename) => {
                    out.push(Segment::named(&rename.ident.to_string()));
                    return out;
                }
                UseTree::Glob(_) => {
                    out.push(Segment::Glob);
                    return out;
                }
                UseTree::Group(group) => {
                    let mut trees: Vec<&UseTree> = group.items.iter().collect();
                    trees.sort_by(|a, b| compare_trees(a, b));
                    out.push(Segment::List(trees.into_iter().map(use_tree).collect()));
                    return out;
                }
            }
        }
    };
    let (a, b) = (segments(a), segments(b));
    for (x, y) in a.iter().zip(&b) {
        let ord = x.cmp(y);
        if ord != Ordering::Equal {
            return ord;
        }
    }
    a.len().cmp(&b.len())
}

#[derive(PartialEq, Eq)]
enum Segment {
    SelfValue,
    Super,
    Crate,
    Name(String),
    Glob,
    List(Vec<String>),
}

impl Segment {
    fn named(name: &str) -> Segment {
        match name {
            "self" => Segment::SelfValue,
            "super" => Segment::Super,
            "crate" => Segment::Crate,
            name => Segment::Name(name.to_owned()),
        }
    }

    fn rank(&self) -> u8 {
        match self {
            Segment::SelfValue => 0,
            Segment::Super => 1,
            Segment::Crate => 2,
            Segment::Name(_) => 3,
            Segment::Glob => 4,
            Segment::List(_) => 5,
        }
    }
}

impl Ord for Segment {
    fn cmp(&self, other: &Segment) -> Ordering {
        match (self, other) {
            (Segment::Name(a), Segment::Name(b)) => version_order(a, b),
            (Segment::List(a), Segment::List(b)) => {
                for (x, y) in a.iter().zip(b) {
                    let ord = version_order(x, y);
                    if ord != Ordering::Equal {
                        return ord;
                    }
                }
                a.len().cmp(&b.len())
            }
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

impl PartialOrd for Segment {
    fn partial_cmp(&self, other: &Segment) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Version order (style edition 2024): `self` first, then character by character, with
/// runs of digits compared as numbers.
fn version_order(a: &str, b: &str) -> Ordering {
    match (a == "self", b == "self") {
        (true, false) => return Ordering::Less,
        (false, true) => return Ordering::Greater,
        _ => {}
    }
    let (mut x, mut y) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (x.peek().copied(), y.peek().copied()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let mut m = String::new();
                while let Some(c) = x.peek().copied().filter(char::is_ascii_digit) {
                    m.push(c);
                    x.next();
                }
                let mut n = String::new();
                while let Some(d) = y.peek().copied().filter(char::is_ascii_digit) {
                    n.push(d);
                    y.next();
                }
                let ord = m
                    .trim_start_matches('0')
                    .len()
                    .cmp(&n.trim_start_matches('0').len())
                    .then_with(|| m.trim_start_matches('0').cmp(n.trim_start_matches('0')));
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(&d);
                }
                x.next();
                y.next();
            }
        }
    }
}

/// A type in `width` columns: on one line when it fits, else with the generic arguments
/// of its last segment one per line below it (closed at `indent`).
fn ty(t: &syn::Type, indent: usize, width: usize) -> String {
    let one_line = flat::of(t);
    if one_line.width() <= width {
        return one_line;
    }
    let syn::Type::Path(path) = t else {
        return one_line;
    };
    if path.qself.is_some() {
        return one_line;
    }
    let Some(last) = path.path.segments.last() else {
        return one_line;
    };
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return one_line;
    };
    let count = path.path.segments.len();
    let mut prefix = if path.path.leading_colon.is_some() {
        "::".to_owned()
    } else {
        String::new()
    };
    for (i, segment) in path.path.segments.iter().enumerate() {
        if i > 0 {
            prefix.push_str("::");
        }
        if i + 1 == count {
            prefix.push_str(&segment.ident.to_string());
        } else {
            prefix.push_str(&flat::of(segment));
        }
    }
    let mut out = format!("{prefix}<");
    for arg in &args.args {
        let text = match arg {
            syn::GenericArgument::Type(t) => {
                ty(t, indent + TAB, MAX_WIDTH.saturating_sub(indent + TAB + 1))
            }
            other => flat::of(other),
        };
        out.push_str(&format!("\n{}{text},", spaces(indent + TAB)));
    }
    out.push_str(&format!("\n{}>", spaces(indent)));
    out
}

/// `name<params>`, with the parameters one per line when the line would be too long.
fn generics_head(name: &str, generics: &syn::Generics, indent: usize, reserve: usize) -> String {
    let one_line = format!("{name}{}", flat::of(generics));
    if indent + one_line.len() + reserve <= MAX_WIDTH || generics.params.is_empty() {
        return one_line;
    }
    let mut out = format!("{name}<");
    for param in &generics.params {
        out.push_str(&format!("\n{}{},", spaces(indent + TAB), flat::of(param)));
    }
    out.push_str(&format!("\n{}>", spaces(indent)));
    out
}

fn struct_item(item: &syn::ItemStruct, indent: usize) -> Option<String> {
    let head = generics_head(
        &format!("{}struct {}", visibility(&item.vis), item.ident),
        &item.generics,
        indent,
        2,
    );
    let where_clause = item.generics.where_clause.as_ref();
    if where_clause.is_some() {
        return None;
    }
    match &item.fields {
        Fields::Unit => Some(format!("{head};")),
        Fields::Unnamed(fields) => {
            let parts: Vec<String> = fields
                .unnamed
                .iter()
                .map(|f| field_text(f, None))
                .collect::<Option<_>>()?;
            let one_line = format!("{head}({});", parts.join(", "));
            (indent + one_line.width() <= MAX_WIDTH).then_some(one_line)
        }
        Fields::Named(fields) => {
            if fields.named.is_empty() {
                return Some(format!("{head} {{}}"));
            }
            let mut out = format!("{head} {{\n");
            for field in &fields.named {
                out.push_str(&attributes(&field.attrs, indent + TAB)?);
                out.push_str(&spaces(indent + TAB));
                out.push_str(&field_text(field, field.ident.as_ref())?);
                out.push_str(",\n");
            }
            out.push_str(&spaces(indent));
            out.push('}');
            Some(out)
        }
    }
}

fn field_text(field: &syn::Field, name: Option<&syn::Ident>) -> Option<String> {
    if name.is_none() && !field.attrs.is_empty() {
        return None;
    }
    Some(match name {
        Some(name) => format!("{}{name}: {}", visibility(&field.vis), flat::of(&field.ty)),
        None => format!("{}{}", visibility(&field.vis), flat::of(&field.ty)),
    })
}

fn enum_item(item: &syn::ItemEnum, indent: usize) -> Option<String> {
    let head = format!(
        "{}enum {}{}",
        visibility(&item.vis),
        item.ident,
        flat::of(&item.generics)
    );
    if item.variants.is_empty() {
        return Some(format!("{head} {{}}"));
    }
    let mut out = format!("{head} {{\n");
    for variant in &item.variants {
        out.push_str(&attributes(&variant.attrs, indent + TAB)?);
        out.push_str(&spaces(indent + TAB));
        out.push_str(&variant.ident.to_string());
        match &variant.fields {
            Fields::Unit => {}
            Fields::Unnamed(fields) => {
                let parts: Vec<String> = fields
                    .unnamed
                    .iter()
                    .map(|f| field_text(f, None))
                    .collect::<Option<_>>()?;
                out.push_str(&format!("({})", parts.join(", ")));
            }
            Fields::Named(_) => return None,
        }
        if variant.discriminant.is_some() {
            return None;
        }
        out.push_str(",\n");
    }
    out.push_str(&spaces(indent));
    out.push('}');
    Some(out)
}

fn impl_item(item: &syn::ItemImpl, indent: usize) -> Option<String> {
    if item.generics.where_clause.is_some() || item.unsafety.is_some() {
        return None;
    }
    let generics = flat::of(&item.generics);
    let mut target = String::new();
    if let Some((path, _)) = &item.trait_ {
        target.push_str(&flat::of(path));
        target.push_str(" for ");
    }
    let one_line = format!("impl{generics} {target}{}", flat::of(&*item.self_ty));
    // Too long: the type on a line of its own (broken further if need be), the brace
    // below it.
    let (head, brace) = if indent + one_line.width() + 2 <= MAX_WIDTH {
        (one_line, " {".to_owned())
    } else {
        let width = MAX_WIDTH.saturating_sub(indent + TAB + target.width());
        (
            format!(
                "impl{generics}\n{}{target}{}",
                spaces(indent + TAB),
                ty(&item.self_ty, indent + TAB, width)
            ),
            format!("\n{}{{", spaces(indent)),
        )
    };
    if item.items.is_empty() {
        let close = if brace.starts_with('\n') {
            format!("\n{}}}", spaces(indent))
        } else {
            "}".to_owned()
        };
        return Some(format!("{head}{brace}{close}"));
    }
    let mut out = format!("{head}{brace}\n");
    for member in &item.items {
        let text = match member {
            ImplItem::Fn(f) => format!(
                "{}{}{}",
                attributes(&f.attrs, indent + TAB)?,
                spaces(indent + TAB),
                function(&f.vis, &f.sig, &f.block, indent + TAB)?
            ),
            ImplItem::Const(c) => format!(
                "{}{}{}",
                attributes(&c.attrs, indent + TAB)?,
                spaces(indent + TAB),
                constant(
                    &format!(
                        "{}const {}: {} =",
                        visibility(&c.vis),
                        c.ident,
                        flat::of(&c.ty)
                    ),
                    &c.expr,
                    indent + TAB
                )?
            ),
            ImplItem::Type(t) => format!(
                "{}{}{}type {} = {};",
                attributes(&t.attrs, indent + TAB)?,
                spaces(indent + TAB),
                visibility(&t.vis),
                t.ident,
                flat::of(&t.ty)
            ),
            _ => return None,
        };
        out.push_str(&text);
        out.push('\n');
    }
    out.push_str(&spaces(indent));
    out.push('}');
    Some(out)
}

fn mod_item(item: &syn::ItemMod, indent: usize) -> Option<String> {
    let head = format!("{}mod {}", visibility(&item.vis), item.ident);
    let Some((_, items)) = &item.content else {
        return Some(format!("{head};"));
    };
    if items.is_empty() {
        return Some(format!("{head} {{}}"));
    }
    let mut out = format!("{head} {{\n");
    let mut previous_was_use = false;
    for (i, member) in items.iter().enumerate() {
        let is_use = matches!(member, Item::Use(_));
        if i > 0 && !(is_use && previous_was_use) {
            out.push('\n');
        }
        previous_was_use = is_use;
        out.push_str(&self::item(member, indent + TAB)?);
        out.push('\n');
    }
    out.push_str(&spaces(indent));
    out.push('}');
    Some(out)
}

/// `lhs` (`pub const X: T =`) and the value, with rustfmt's choice of line for the value.
fn constant(lhs: &str, value: &syn::Expr, indent: usize) -> Option<String> {
    let shape = Shape::indented(indent).sub_width(1)?;
    Some(format!("{};", exprs::assign_rhs(lhs, value, shape)?))
}

/// A function: its signature on one line if it fits, else its parameters one per line.
fn function(
    vis: &Visibility,
    sig: &syn::Signature,
    block: &syn::Block,
    indent: usize,
) -> Option<String> {
    if sig.variadic.is_some() {
        return None;
    }
    let mut head = visibility(vis);
    if sig.constness.is_some() {
        head.push_str("const ");
    }
    if sig.asyncness.is_some() {
        head.push_str("async ");
    }
    if !flat::of(&sig.safety).is_empty() || sig.abi.is_some() {
        return None;
    }
    head.push_str(&format!("fn {}{}", sig.ident, flat::of(&sig.generics)));
    let params: Vec<String> = sig.inputs.iter().map(flat::of).collect();
    let ret = match &sig.output {
        syn::ReturnType::Default => None,
        syn::ReturnType::Type(_, t) => Some(&**t),
    };
    let output = ret
        .map(|t| format!(" -> {}", flat::of(t)))
        .unwrap_or_default();
    let body = exprs::block(block, indent)?;
    let one_line = format!("{head}({}){output}", params.join(", "));
    // A `where` clause: each bound on a line of its own, the brace below them.
    let where_clause = sig.generics.where_clause.as_ref().map(|clause| {
        let mut text = format!("\n{}where", spaces(indent));
        for predicate in &clause.predicates {
            text.push_str(&format!(
                "\n{}{},",
                spaces(indent + TAB),
                flat::of(predicate)
            ));
        }
        text.push_str(&format!("\n{}", spaces(indent)));
        text
    });
    // `head(` and the parameters one per line, up to the closing parenthesis.
    let vertical_params = || {
        let mut out = format!("{head}(\n");
        for param in &params {
            out.push_str(&format!("{}{param},\n", spaces(indent + TAB)));
        }
        out.push_str(&spaces(indent));
        out.push(')');
        out
    };
    if let Some(where_clause) = &where_clause {
        if indent + one_line.width() <= MAX_WIDTH {
            return Some(format!("{one_line}{where_clause}{body}"));
        }
        // Too long: the parameters one per line, then the return type and the clause.
        return Some(format!("{}{output}{where_clause}{body}", vertical_params()));
    }
    if indent + one_line.width() + 2 <= MAX_WIDTH {
        return Some(format!("{one_line} {body}"));
    }
    let signature = if params.is_empty() {
        let start = format!("{head}()");
        match ret {
            // The return type on a line of its own when it fits there, else its generic
            // arguments broken where it stands.
            Some(t) if indent + output.width() + 1 > MAX_WIDTH => format!(
                "{start} -> {}",
                ty(
                    t,
                    indent,
                    MAX_WIDTH.saturating_sub(indent + start.width() + 6)
                )
            ),
            Some(_) => format!("{start}\n{}{}", spaces(indent), output.trim_start()),
            None => start,
        }
    } else {
        let mut out = vertical_params();
        if let Some(t) = ret {
            out.push_str(" -> ");
            out.push_str(&ty(t, indent, MAX_WIDTH.saturating_sub(indent + 7)));
        }
        out
    };
    // rustfmt measures the last line with its indent against the width left after the
    // indent: the brace goes on a line of its own sooner than the width alone would say.
    let last = super::last_line_width(&signature);
    if last + 2 > MAX_WIDTH.saturating_sub(indent) {
        Some(format!("{signature}\n{}{body}", spaces(indent)))
    } else {
        Some(format!("{signature} {body}"))
    }
}
