//! One-line text of token sequences the generator keeps short: types, paths, patterns,
//! generics, visibility, literals. Tokens are joined with rustfmt's spacing (`a::b`,
//! `&'a T`, `Option<T>`, `A + B`, `x: T`, `a | b`, `X { a, .. }`).

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use quote::ToTokens;

/// The text of `node` on one line.
pub(super) fn of(node: &impl ToTokens) -> String {
    tokens(node.to_token_stream())
}

// Shortcuts for the nodes met most often, which skip the round trip through tokens (most
// of the formatter's allocations otherwise).

/// A path: plain segments joined directly, anything with generic arguments as tokens.
pub(super) fn path(path: &syn::Path) -> String {
    if path
        .segments
        .iter()
        .any(|s| !matches!(s.arguments, syn::PathArguments::None))
    {
        return of(path);
    }
    let mut out = String::new();
    if path.leading_colon.is_some() {
        out.push_str("::");
    }
    for (i, segment) in path.segments.iter().enumerate() {
        if i > 0 {
            out.push_str("::");
        }
        out.push_str(&segment.ident.to_string());
    }
    out
}

pub(super) fn expr_path(e: &syn::ExprPath) -> String {
    match &e.qself {
        None => path(&e.path),
        Some(_) => of(e),
    }
}

/// A pattern: a plain binding or `_` directly.
pub(super) fn pat(p: &syn::Pat) -> String {
    match p {
        syn::Pat::Ident(i)
            if i.by_ref.is_none() && i.mutability.is_none() && i.subpat.is_none() =>
        {
            i.ident.to_string()
        }
        syn::Pat::Wild(_) => "_".to_owned(),
        other => of(other),
    }
}

pub(super) fn member(m: &syn::Member) -> String {
    match m {
        syn::Member::Named(ident) => ident.to_string(),
        syn::Member::Unnamed(index) => index.index.to_string(),
    }
}

pub(super) fn binary_op(op: &syn::BinOp) -> String {
    use syn::BinOp as B;
    match op {
        B::And(_) => "&&",
        B::Or(_) => "||",
        B::Eq(_) => "==",
        B::Ne(_) => "!=",
        B::Lt(_) => "<",
        B::Le(_) => "<=",
        B::Gt(_) => ">",
        B::Ge(_) => ">=",
        B::Add(_) => "+",
        B::Sub(_) => "-",
        B::Mul(_) => "*",
        B::Div(_) => "/",
        B::Rem(_) => "%",
        _ => return of(op),
    }
    .to_owned()
}

/// What kind of text came last, which decides the space before the next token.
#[derive(Clone, Copy, PartialEq)]
enum Last {
    Start,
    /// An identifier, literal or closing bracket: a word needs a space after it.
    Word,
    /// A lifetime: a word or a bracket after it needs a space.
    Lifetime,
    /// An opening bracket or a prefix (`&`, `::`, `'`, `<`, `!`, `*`, `#`): no space.
    Tight,
    /// A separator already followed by its space (`, `, `: `, ` = `, ` -> `).
    Spaced,
}

pub(super) fn tokens(stream: TokenStream) -> String {
    let mut out = String::new();
    join(stream, &mut out);
    out
}

fn join(stream: TokenStream, out: &mut String) {
    let trees: Vec<TokenTree> = stream.into_iter().collect();
    let mut last = Last::Start;
    let mut i = 0;
    // Inside `<...>` of a path or generics, `<` and `>` are brackets, not operators.
    while i < trees.len() {
        match &trees[i] {
            TokenTree::Ident(ident) => {
                if matches!(last, Last::Word | Last::Lifetime) {
                    out.push(' ');
                }
                out.push_str(&ident.to_string());
                last = if out.ends_with(&format!("'{ident}")) {
                    Last::Lifetime
                } else {
                    Last::Word
                };
            }
            TokenTree::Literal(literal) => {
                if last == Last::Word {
                    out.push(' ');
                }
                out.push_str(&literal.to_string());
                last = Last::Word;
            }
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{", "}"),
                    Delimiter::None => ("", ""),
                };
                let mut inner = String::new();
                join(group.stream(), &mut inner);
                if group.delimiter() == Delimiter::Brace {
                    if last != Last::Start && !out.ends_with(' ') {
                        out.push(' ');
                    }
                    if inner.is_empty() {
                        out.push_str("{}");
                    } else {
                        out.push_str("{ ");
                        out.push_str(&inner);
                        out.push_str(" }");
                    }
                } else {
                    if last == Last::Lifetime {
                        out.push(' ');
                    }
                    out.push_str(open);
                    out.push_str(&inner);
                    out.push_str(close);
                }
                last = Last::Word;
            }
            TokenTree::Punct(punct) => {
                // Multi-character operators come as joint puncts.
                let mut op = String::from(punct.as_char());
                let mut joint = punct.spacing() == Spacing::Joint;
                while joint {
                    let Some(TokenTree::Punct(next)) = trees.get(i + 1) else {
                        break;
                    };
                    // A lifetime's `'` is joint with the identifier after it.
                    if op == "'" {
                        break;
                    }
                    op.push(next.as_char());
                    joint = next.spacing() == Spacing::Joint;
                    i += 1;
                }
                match op.as_str() {
                    "," | ";" => {
                        out.push_str(&op);
                        out.push(' ');
                        last = Last::Spaced;
                    }
                    ":" => {
                        out.push_str(": ");
                        last = Last::Spaced;
                    }
                    "::" | "." | ".." | "..=" => {
                        out.push_str(&op);
                        last = Last::Tight;
                    }
                    "<" => {
                        out.push('<');
                        last = Last::Tight;
                    }
                    ">" | ">>" => {
                        for _ in 0..op.len() {
                            // A trailing comma before `>` goes; so does an empty `<>`.
                            if out.ends_with(", ") {
                                out.truncate(out.len() - 2);
                            }
                            if out.ends_with('<') {
                                out.pop();
                                if out.ends_with("::") {
                                    out.truncate(out.len() - 2);
                                }
                            } else {
                                out.push('>');
                            }
                        }
                        last = Last::Word;
                    }
                    "'" => {
                        if last == Last::Word {
                            out.push(' ');
                        }
                        out.push('\'');
                        last = Last::Tight;
                    }
                    "&" | "&&" | "*" | "!" | "#" | "?" | "$" => {
                        if matches!(last, Last::Word | Last::Lifetime) && op != "?" && op != "!" {
                            out.push(' ');
                        }
                        out.push_str(&op);
                        last = Last::Tight;
                    }
                    // A minus with nothing before it is a sign (`-1` in a pattern).
                    "-" if matches!(last, Last::Start | Last::Tight | Last::Spaced) => {
                        out.push('-');
                        last = Last::Tight;
                    }
                    // `=`, `->`, `=>`, `+`, `|`, `@` and the rest: spaced both sides.
                    _ => {
                        if !out.ends_with(' ') && last != Last::Start {
                            out.push(' ');
                        }
                        out.push_str(&op);
                        out.push(' ');
                        last = Last::Spaced;
                    }
                }
            }
        }
        i += 1;
    }
    // A trailing separator's space.
    while out.ends_with(' ') {
        out.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spacing() {
        let ty = |s: &str| of(&syn::parse_str::<syn::Type>(s).expect(s));
        assert_eq!(ty("& 'static [ & 'static str ]"), "&'static [&'static str]");
        assert_eq!(
            ty("Result < Response < Message > , Error >"),
            "Result<Response<Message>, Error>"
        );
        assert_eq!(ty("fn(&[u8]) -> Result<R, E>"), "fn(&[u8]) -> Result<R, E>");
        assert_eq!(
            ty("impl FnOnce() -> Option<T> + 'a"),
            "impl FnOnce() -> Option<T> + 'a"
        );
        assert_eq!(ty("[u8; 4]"), "[u8; 4]");
        assert_eq!(ty("&mut Vec<u8>"), "&mut Vec<u8>");
        assert_eq!(ty("<T as Trait>::X"), "<T as Trait>::X");
        let pat = |s: &str| of(&syn::Pat::parse_multi.parse_str(s).expect(s));
        use syn::parse::Parser;
        assert_eq!(pat("Some(\"a\" | \"b\")"), "Some(\"a\" | \"b\")");
        assert_eq!(pat("X { a, .. }"), "X { a, .. }");
        assert_eq!(pat("(index, item)"), "(index, item)");
        assert_eq!(pat("&mut x"), "&mut x");
        assert_eq!(pat("Self::Unknown(value)"), "Self::Unknown(value)");
        assert_eq!(pat("Some(-1)"), "Some(-1)");
        assert_eq!(pat("(-1, -2)"), "(-1, -2)");
    }
}
