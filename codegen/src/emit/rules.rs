//! Rules as runtime data (`Rule::MinLength(1)`), as documentation (`minLength: 1`), and
//! the statements that check a value against them.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::Emitter;
use crate::model::{Format, Rule, Shape, Ty, TypeDef};

/// `use crate::rules::{...}` with exactly the names `rules` needs, so that a generated
/// file has no unused import whatever the spec.
pub(super) fn rules_import(rules: &[&Rule]) -> TokenStream {
    let mut names = vec![quote!(self)];
    if rules.iter().any(|r| matches!(r, Rule::AnyOf(_))) {
        names.push(quote!(Alternative));
    }
    if rules.iter().any(|r| matches!(r, Rule::Format(_))) {
        names.push(quote!(Format));
    }
    if !rules.is_empty() {
        names.push(quote!(Rule));
    }
    if names.len() == 1 {
        return quote!(
            use crate::rules;
        );
    }
    quote!(use crate::rules::{#(#names),*};)
}

/// Every rule of a shape, its items', values' and alternatives' included.
pub(super) fn collect_rules<'s>(shape: &'s Shape, out: &mut Vec<&'s Rule>) {
    for rule in &shape.rules {
        out.push(rule);
        if let Rule::AnyOf(alternatives) = rule {
            out.extend(alternatives.iter().flat_map(|a| &a.rules));
        }
    }
    if let Ty::Array(item) | Ty::Map(item) = &shape.ty {
        collect_rules(item, out);
    }
}

impl Emitter<'_> {
    /// Statements that check `value` (a reference) against `shape`, failing with `?`.
    pub(super) fn check(
        &self,
        shape: &Shape,
        path: TokenStream,
        value: TokenStream,
    ) -> TokenStream {
        let rules = shape.rules.iter().map(rule_tokens);
        let has_rules = !shape.rules.is_empty();
        match &shape.ty {
            Ty::String if has_rules => {
                quote! { rules::check_str(#path, #value, &[#(#rules),*])?; }
            }
            Ty::Integer if has_rules => {
                quote! { rules::check_number(#path, *#value as f64, &[#(#rules),*])?; }
            }
            Ty::Number if has_rules => {
                quote! { rules::check_number(#path, *#value, &[#(#rules),*])?; }
            }
            Ty::Named(name) => match self.api.type_def(name) {
                // An enum field takes the enum, so only a value chosen on purpose
                // (`Unknown`, for one newer than the crate) is outside the spec's list:
                // the API, not the client, judges it.
                Some(TypeDef::Enum(_)) => TokenStream::new(),
                Some(TypeDef::Struct(_) | TypeDef::OneOf(_)) => {
                    quote! { rules::Validate::validate(#value).map_err(|e| e.within(#path))?; }
                }
                None => TokenStream::new(),
            },
            Ty::Array(item) => {
                let count = has_rules
                    .then(|| quote! { rules::check_items(#path, #value.len(), &[#(#rules),*])?; });
                let item_check = self.check(item, quote!(#path.item(index)), quote!(item));
                let each = (!item_check.is_empty()).then(|| {
                    quote! { for (index, item) in #value.iter().enumerate() { #item_check } }
                });
                quote! { #count #each }
            }
            Ty::Map(item) => {
                let item_check = self.check(item, path, quote!(item));
                if item_check.is_empty() {
                    TokenStream::new()
                } else {
                    quote! { for item in #value.values() { #item_check } }
                }
            }
            _ => TokenStream::new(),
        }
    }
}

/// A float literal in its shortest form (`1.7976931348623157e308`, `5e-324`), where the
/// plain one runs to hundreds of digits that no line could hold.
fn float(x: f64) -> Literal {
    let short = format!("{x:?}");
    short
        .parse::<Literal>()
        .ok()
        .filter(|_| x.is_finite())
        .unwrap_or_else(|| Literal::f64_unsuffixed(x))
}

pub(super) fn rule_tokens(rule: &Rule) -> TokenStream {
    match rule {
        Rule::MinLength(n) => {
            let n = Literal::u64_unsuffixed(*n);
            quote!(Rule::MinLength(#n))
        }
        Rule::MaxLength(n) => {
            let n = Literal::u64_unsuffixed(*n);
            quote!(Rule::MaxLength(#n))
        }
        // Compiled by a `const fn` when the crate is built: no work on a request's path.
        Rule::Pattern { regex, .. } => {
            quote!(Rule::Pattern(const { &rules::Pattern::new(#regex) }))
        }
        Rule::Format(f) => {
            let f = match f {
                Format::Uuid => quote!(Uuid),
                Format::DateTime => quote!(DateTime),
                Format::Date => quote!(Date),
                Format::Uri => quote!(Uri),
            };
            quote!(Rule::Format(Format::#f))
        }
        Rule::MinItems(n) => {
            let n = Literal::u64_unsuffixed(*n);
            quote!(Rule::MinItems(#n))
        }
        Rule::MaxItems(n) => {
            let n = Literal::u64_unsuffixed(*n);
            quote!(Rule::MaxItems(#n))
        }
        Rule::Minimum(x) => {
            let x = float(*x);
            quote!(Rule::Minimum(#x))
        }
        Rule::Maximum(x) => {
            let x = float(*x);
            quote!(Rule::Maximum(#x))
        }
        Rule::AnyOf(alternatives) => {
            let alternatives = alternatives.iter().map(|a| {
                let name = &a.name;
                let rules = a.rules.iter().map(rule_tokens);
                quote!(Alternative { name: #name, rules: &[#(#rules),*] })
            });
            quote!(Rule::AnyOf(&[#(#alternatives),*]))
        }
    }
}

/// The rules of a shape, as the spec's own keywords, for the field's documentation.
pub(super) fn rules_summary(shape: &Shape) -> String {
    let mut parts: Vec<String> = shape.rules.iter().map(rule_keyword).collect();
    if let Ty::Array(item) = &shape.ty {
        let items = rules_summary(item);
        if !items.is_empty() {
            parts.push(format!("each item: {items}"));
        }
    }
    if let Ty::Map(value) = &shape.ty {
        let values = rules_summary(value);
        if !values.is_empty() {
            parts.push(format!("each value: {values}"));
        }
    }
    parts.join(", ")
}

fn rule_keyword(rule: &Rule) -> String {
    match rule {
        Rule::MinLength(n) => format!("`minLength: {n}`"),
        Rule::MaxLength(n) => format!("`maxLength: {n}`"),
        Rule::Pattern { spec, .. } => format!("`pattern: {spec}`"),
        Rule::Format(f) => format!("`format: {}`", f.name()),
        Rule::MinItems(n) => format!("`minItems: {n}`"),
        Rule::MaxItems(n) => format!("`maxItems: {n}`"),
        Rule::Minimum(x) => format!("`minimum: {x}`"),
        Rule::Maximum(x) => format!("`maximum: {x}`"),
        Rule::AnyOf(alternatives) => {
            let names: Vec<String> = alternatives
                .iter()
                .map(|a| format!("`{}`", a.name))
                .collect();
            format!("any of {}", names.join(", "))
        }
    }
}
