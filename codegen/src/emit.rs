//! [`Api`] -> Rust tokens -> formatted text. Rust names come from `names`, which the
//! parser already used to check every spec name.
//!
//! The emitted code leans on the hand-written runtime of the generated crate
//! (`crate::client`, `crate::rules`, `crate::StringOrNumber`): anything that is the same
//! for every type lives there once instead of being stamped out per type.

use heck::ToUpperCamelCase;
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};

use crate::error::{CodegenError, ErrorKind};
use crate::model::{Api, Enum, Field, Format, Operation, Rule, Shape, Struct, Ty, TypeDef};
use crate::names::{
    field_ident, method_ident, method_with_response_ident, type_ident, variant_ident,
};

/// The two generated source files, as (path under `generated/src/`, formatted text).
pub(crate) fn emit(api: &Api) -> Result<Vec<(&'static str, String)>, CodegenError> {
    let emitter = Emitter { api };
    Ok(vec![
        ("types.rs", format(emitter.types_file())?),
        ("operations.rs", format(emitter.operations_file())?),
    ])
}

/// Formats a file with prettyplease, one item at a time so that items are separated by a
/// blank line (prettyplease itself packs them together).
fn format(tokens: TokenStream) -> Result<String, CodegenError> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        CodegenError::new(
            "#",
            ErrorKind::Internal(format!("emitted tokens do not parse: {e}")),
        )
    })?;
    let mut out = prettyplease::unparse(&syn::File {
        shebang: None,
        frontmatter: None,
        attrs: file.attrs,
        items: Vec::new(),
    });
    let mut previous_was_use = false;
    for item in file.items {
        let is_use = matches!(item, syn::Item::Use(_));
        // Consecutive `use` lines stay together; every other item gets a blank line.
        if !(is_use && previous_was_use) {
            out.push('\n');
        }
        previous_was_use = is_use;
        out.push_str(&prettyplease::unparse(&syn::File {
            shebang: None,
            frontmatter: None,
            attrs: Vec::new(),
            items: vec![item],
        }));
    }
    Ok(out)
}

struct Emitter<'a> {
    api: &'a Api,
}

impl Emitter<'_> {
    fn types_file(&self) -> TokenStream {
        let module_doc = doc_inner(&format!(
            "Request and response types of the {} (version {}).\n\nRequest types check every rule of the spec before anything is sent (see [`crate::Validate`]); response types decode leniently: unknown fields are ignored and unknown enum values are kept.",
            self.api.title, self.api.version
        ));
        let rules_import = self.rules_import();
        let items = self.api.types.iter().map(|def| match def {
            TypeDef::Struct(s) => self.struct_item(s),
            TypeDef::Enum(e) => enum_item(e),
        });
        quote! {
            #module_doc
            use serde::{Deserialize, Serialize};

            #rules_import

            #(#items)*
        }
    }

    /// `use crate::rules::{...}` with exactly the names the validation code uses, so that
    /// the generated file has no unused import whatever the spec.
    fn rules_import(&self) -> TokenStream {
        let request_structs: Vec<&Struct> = self
            .api
            .types
            .iter()
            .filter_map(|t| match t {
                TypeDef::Struct(s) if s.in_request => Some(s),
                _ => None,
            })
            .collect();
        if request_structs.is_empty() {
            return TokenStream::new();
        }
        let mut rules = Vec::new();
        for f in request_structs.iter().flat_map(|s| &s.fields) {
            collect_rules(&f.shape, &mut rules);
        }
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

    fn is_enum(&self, name: &str) -> bool {
        self.api
            .types
            .iter()
            .any(|t| matches!(t, TypeDef::Enum(e) if e.name == name))
    }

    fn struct_item(&self, s: &Struct) -> TokenStream {
        let name = type_ident(&s.name);
        let doc = doc_outer(
            s.doc
                .as_deref()
                .unwrap_or(&format!("The `{}` schema.", s.name)),
        );
        let fields = s.fields.iter().map(|f| self.field_decl(f, s.in_request));
        let all_optional = s.fields.iter().all(|f| !f.required || f.nullable);
        let default = all_optional.then(|| quote!(Default,));
        let request_impls = if s.in_request {
            let builder = self.builder(s);
            let validate = self.validate_impl(s);
            quote!(#builder #validate)
        } else {
            TokenStream::new()
        };
        quote! {
            #doc
            #[derive(Clone, Debug, #default PartialEq, Serialize, Deserialize)]
            #[non_exhaustive]
            pub struct #name {
                #(#fields)*
            }
            #request_impls
        }
    }

    fn field_decl(&self, f: &Field, in_request: bool) -> TokenStream {
        let ident = field_ident(&f.name);
        let ty = rust_type(&f.shape.ty);
        let doc = doc_outer(&self.field_doc(f, in_request));
        let rename = (ident != f.name.as_str()).then(|| {
            let json = &f.name;
            quote!(rename = #json,)
        });
        if f.required && !f.nullable {
            let attr = rename.map(|r| quote!(#[serde(#r)]));
            quote! { #doc #attr pub #ident: #ty, }
        } else if f.required {
            // Required but nullable: always sent, as `null` when unset.
            quote! { #doc #[serde(#rename default)] pub #ident: Option<#ty>, }
        } else {
            quote! {
                #doc
                #[serde(#rename default, skip_serializing_if = "Option::is_none")]
                pub #ident: Option<#ty>,
            }
        }
    }

    fn field_doc(&self, f: &Field, in_request: bool) -> String {
        let mut doc = f
            .doc
            .clone()
            .unwrap_or_else(|| format!("The `{}` property.", f.name));
        let mut notes = Vec::new();
        if let (Ty::String(Some(format)), false) = (&f.shape.ty, in_request) {
            notes.push(format!("Format: `{}`.", format_name(*format)));
        }
        if let Some(default) = &f.default {
            notes.push(format!("When not set, the API uses `{default}`."));
        }
        if f.nullable {
            notes.push("May be `null`.".to_owned());
        }
        if in_request {
            let rules = rules_summary(&f.shape);
            if !rules.is_empty() {
                notes.push(format!("Checked before sending: {rules}."));
            }
        }
        if !notes.is_empty() {
            doc.push_str("\n\n");
            doc.push_str(&notes.join("\n"));
        }
        doc
    }

    /// `new(required...)` and one chained setter per optional field.
    fn builder(&self, s: &Struct) -> TokenStream {
        let name = type_ident(&s.name);
        // Constructor arguments follow the schema's `required` list, which a spec author
        // orders by importance (`from`, `to`, ...), unlike the property list.
        let mut required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
        required.sort_by_key(|f| s.required_order.iter().position(|r| *r == f.name));
        let params = required.iter().map(|f| {
            let ident = field_ident(&f.name);
            let ty = param_type(&f.shape.ty);
            if f.nullable {
                let plain = rust_type(&f.shape.ty);
                quote!(#ident: Option<#plain>)
            } else {
                quote!(#ident: #ty)
            }
        });
        let inits = s.fields.iter().map(|f| {
            let ident = field_ident(&f.name);
            if !f.required {
                quote!(#ident: None)
            } else if f.nullable {
                quote!(#ident)
            } else {
                let value = convert(&f.shape.ty, quote!(#ident));
                quote!(#ident: #value)
            }
        });
        let names = required
            .iter()
            .map(|f| format!("`{}`", f.name))
            .collect::<Vec<_>>()
            .join(", ");
        let new_doc = doc_outer(&if required.is_empty() {
            "Creates an empty request; set fields with the methods below.".to_owned()
        } else {
            format!(
                "Creates the request from its required fields ({names}); set optional fields with the methods below."
            )
        });
        let many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        let setters = s.fields.iter().filter(|f| !f.required).map(|f| {
            let ident = field_ident(&f.name);
            let ty = param_type(&f.shape.ty);
            let value = convert(&f.shape.ty, quote!(value));
            let doc = doc_outer(&format!(
                "Sets `{}`. {}",
                f.name,
                first_sentence(f.doc.as_deref())
            ));
            quote! {
                #doc
                #[must_use]
                pub fn #ident(mut self, value: #ty) -> Self {
                    self.#ident = Some(#value);
                    self
                }
            }
        });
        quote! {
            impl #name {
                #new_doc
                #many
                pub fn new(#(#params),*) -> Self {
                    Self { #(#inits),* }
                }
                #(#setters)*
            }
        }
    }

    fn validate_impl(&self, s: &Struct) -> TokenStream {
        let name = type_ident(&s.name);
        let checks = s.fields.iter().map(|f| {
            let ident = field_ident(&f.name);
            let json = &f.name;
            let check = self.check(&f.shape, quote!(rules::Path::Field(#json)), quote!(value));
            if check.is_empty() {
                TokenStream::new()
            } else if f.required && !f.nullable {
                quote! { let value = &self.#ident; #check }
            } else {
                quote! { if let Some(value) = &self.#ident { #check } }
            }
        });
        let groups = s.required_any_of.iter().map(|group| {
            let present = group.iter().map(|alternative| {
                let set = alternative.iter().map(|name| {
                    match s.fields.iter().find(|f| f.name == *name) {
                        // A required field is always sent (as `null` when unset).
                        Some(f) if f.required => quote!(true),
                        _ => {
                            let ident = field_ident(name);
                            quote!(self.#ident.is_some())
                        }
                    }
                });
                if alternative.len() == 1 {
                    quote!(#(#set)*)
                } else {
                    quote!((#(#set)&&*))
                }
            });
            let lists = group.iter().map(|alternative| quote!(&[#(#alternative),*]));
            quote! {
                if !(#(#present)||*) {
                    return Err(rules::missing(&[#(#lists),*]));
                }
            }
        });
        quote! {
            impl rules::Validate for #name {
                fn validate(&self) -> Result<(), rules::ValidationError> {
                    #(#groups)*
                    #(#checks)*
                    Ok(())
                }
            }
        }
    }

    /// Statements that check `value` (a reference) against `shape`, failing with `?`.
    fn check(&self, shape: &Shape, path: TokenStream, value: TokenStream) -> TokenStream {
        let rules = shape.rules.iter().map(rule_tokens);
        let has_rules = !shape.rules.is_empty();
        match &shape.ty {
            Ty::String(_) if has_rules => {
                quote! { rules::check_str(#path, #value, &[#(#rules),*])?; }
            }
            Ty::Integer if has_rules => {
                quote! { rules::check_number(#path, *#value as f64, &[#(#rules),*])?; }
            }
            Ty::Number if has_rules => {
                quote! { rules::check_number(#path, *#value, &[#(#rules),*])?; }
            }
            Ty::Named(name) if self.is_enum(name) => {
                let ty = type_ident(name);
                quote! { rules::check_enum(#path, #value.as_str(), #ty::VALUES)?; }
            }
            Ty::Named(_) => {
                quote! { rules::Validate::validate(#value).map_err(|e| e.within(#path))?; }
            }
            Ty::Array(item) => {
                let count = has_rules
                    .then(|| quote! { rules::check_items(#path, #value.len(), &[#(#rules),*])?; });
                let item_check = self.check(item, quote!(#path.item(index)), quote!(item));
                let each = (!item_check.is_empty()).then(|| {
                    quote! { for (index, item) in #value.iter().enumerate() { #item_check } }
                });
                quote! { #count #each }
            }
            _ => TokenStream::new(),
        }
    }

    fn operations_file(&self) -> TokenStream {
        let module_doc = doc_inner(&format!(
            "One method on [`Client`] per operation of the {}.",
            self.api.title
        ));
        let base_url = &self.api.base_url;
        let methods = self
            .api
            .operations
            .iter()
            .map(|op| self.operation_method(op));
        let mut imports: Vec<String> = Vec::new();
        for op in &self.api.operations {
            let mut names = vec![op.response.body.clone()];
            names.extend(op.request.clone());
            if let Some(name) = op.response.unwrap.as_ref().and_then(|u| u.ty.named()) {
                names.push(name.to_owned());
            }
            for name in names {
                let name = name.to_upper_camel_case();
                if !imports.contains(&name) {
                    imports.push(name);
                }
            }
        }
        imports.sort();
        let imports = imports.iter().map(|n| Ident::new(n, Span::call_site()));
        quote! {
            #module_doc
            use reqwest::Method;

            use crate::client::{Client, Operation};
            use crate::types::{#(#imports),*};
            use crate::{Error, Response};

            /// The API's base URL, from the spec's first server entry.
            pub const DEFAULT_BASE_URL: &str = #base_url;

            impl Client {
                #(#methods)*
            }
        }
    }

    fn operation_method(&self, op: &Operation) -> TokenStream {
        let name = method_ident(&op.id);
        let path = &op.path;
        let method = format_ident!("{}", op.method);
        let mut doc = String::new();
        if let Some(summary) = &op.summary {
            doc.push_str(summary.trim());
            doc.push_str("\n\n");
        }
        if let Some(description) = &op.description {
            doc.push_str(description.trim());
            doc.push_str("\n\n");
        }
        let returns_doc = match &op.response.unwrap {
            Some(u) => format!("the `{}` of the `{}` answer", u.field, op.response.status),
            None => format!("the `{}` answer", op.response.status),
        };
        doc.push_str(&format!(
            "`{} {}` (operation `{}`); returns {returns_doc}.",
            op.method, op.path, op.id
        ));
        let (returns, unwrap) = match &op.response.unwrap {
            Some(u) => {
                let field = field_ident(&u.field);
                (
                    rust_type(&u.ty),
                    quote!(.map(|response| response.map(|body| body.#field))),
                )
            }
            None => (
                rust_type(&Ty::Named(op.response.body.clone())),
                TokenStream::new(),
            ),
        };
        let body_ty = rust_type(&Ty::Named(op.response.body.clone()));
        let error_body = match &op.error {
            Some(name) => format!(
                " (its body decoded from [`{}`](crate::{}))",
                name,
                name.to_upper_camel_case()
            ),
            None => String::new(),
        };
        let (param, arg, validate, body) = match &op.request {
            Some(request) => {
                let ty = rust_type(&Ty::Named(request.clone()));
                doc.push_str(&format!(
                    "\n\n# Errors\n\n[`Error::Validation`] when `request` breaks a rule of the spec: nothing is sent then. [`Error::Api`] when the API answers with an error status{error_body}; the other variants of [`Error`] for transport and decoding failures. [`Error::may_have_been_sent`] tells whether the request may have been processed.",
                ));
                (
                    quote!(request: &#ty),
                    quote!(request),
                    quote!(crate::Validate::validate(request)?;),
                    quote!(Some(request)),
                )
            }
            None => {
                doc.push_str(&format!(
                    "\n\n# Errors\n\n[`Error::Api`] when the API answers with an error status{error_body}; the other variants of [`Error`] for transport and decoding failures.",
                ));
                (
                    TokenStream::new(),
                    TokenStream::new(),
                    TokenStream::new(),
                    quote!(None::<&()>),
                )
            }
        };
        let with_response = method_with_response_ident(&op.id);
        let with_response_doc = doc_outer(&format!(
            "`{} {}` (operation `{}`), like [`{name}`](Client::{name}), also returning the status, the headers and the attempt count of the answer.\n\n# Errors\n\nAs for [`{name}`](Client::{name}).",
            op.method, op.path, op.id
        ));
        let doc = doc_outer(&doc);
        let id = &op.id;
        quote! {
            #doc
            pub async fn #name(&self, #param) -> Result<#returns, Error> {
                self.#with_response(#arg).await.map(Response::into_data)
            }

            #with_response_doc
            pub async fn #with_response(&self, #param) -> Result<Response<#returns>, Error> {
                #validate
                const OPERATION: Operation = Operation { id: #id, method: Method::#method, path: #path };
                self.execute::<_, #body_ty>(&OPERATION, #body).await #unwrap
            }
        }
    }
}

fn enum_item(e: &Enum) -> TokenStream {
    let name = type_ident(&e.name);
    let doc = doc_outer(&format!(
        "{}\n\nAn open enum: values this version does not list decode to `Unknown` and serialize back unchanged.",
        e.doc
            .as_deref()
            .unwrap_or(&format!("The `{}` values.", e.name))
    ));
    // Variant names were checked (valid, distinct, not `Unknown`) by the parser.
    let variants: Vec<(Ident, &String)> = e.values.iter().map(|v| (variant_ident(v), v)).collect();
    let default_variant = e.default.as_ref().map(|d| variant_ident(d));
    let derive_default = default_variant.is_some().then(|| quote!(Default,));
    let decls = variants.iter().map(|(v, value)| {
        let is_default = default_variant.as_ref() == Some(v);
        let doc = doc_outer(&if is_default {
            format!("`{value}` (the default)")
        } else {
            format!("`{value}`")
        });
        let attr = is_default.then(|| quote!(#[default]));
        quote!(#doc #attr #v,)
    });
    let values = variants.iter().map(|(_, value)| value);
    let as_str = variants
        .iter()
        .map(|(v, value)| quote!(Self::#v => #value,));
    // The match arms of both `From` impls.
    let from: Vec<TokenStream> = variants
        .iter()
        .map(|(v, value)| quote!(#value => Self::#v,))
        .collect();
    quote! {
        #doc
        #[derive(Clone, Debug, #derive_default PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#decls)*
            /// A value the spec does not list, kept exactly as the API sent it.
            Unknown(String),
        }

        impl #name {
            /// Every value the spec lists, in spec order.
            pub const VALUES: &'static [&'static str] = &[#(#values),*];

            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::Unknown(value) => value,
                }
            }

            /// Whether the value is one of [`Self::VALUES`].
            pub fn is_known(&self) -> bool {
                Self::VALUES.contains(&self.as_str())
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    #(#from)*
                    _ => Self::Unknown(value),
                }
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(Self::from)
            }
        }
    }
}

fn rust_type(ty: &Ty) -> TokenStream {
    match ty {
        Ty::String(_) => quote!(String),
        Ty::Integer => quote!(i64),
        Ty::Number => quote!(f64),
        Ty::Boolean => quote!(bool),
        Ty::Named(name) => {
            let ident = type_ident(name);
            quote!(#ident)
        }
        Ty::Array(item) => {
            let item = rust_type(&item.ty);
            quote!(Vec<#item>)
        }
        Ty::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
        Ty::StringOrNumber => quote!(crate::StringOrNumber),
    }
}

/// Whether a setter takes `impl Into<T>` rather than `T`.
fn takes_into(ty: &Ty) -> bool {
    matches!(ty, Ty::String(_) | Ty::Named(_) | Ty::StringOrNumber)
}

fn param_type(ty: &Ty) -> TokenStream {
    match ty {
        Ty::Array(item) if takes_into(&item.ty) => {
            let item = rust_type(&item.ty);
            quote!(impl IntoIterator<Item = impl Into<#item>>)
        }
        Ty::Array(item) => {
            let item = rust_type(&item.ty);
            quote!(impl IntoIterator<Item = #item>)
        }
        ty if takes_into(ty) => {
            let ty = rust_type(ty);
            quote!(impl Into<#ty>)
        }
        ty => rust_type(ty),
    }
}

/// Turns a setter or constructor argument into the field's type.
fn convert(ty: &Ty, value: TokenStream) -> TokenStream {
    match ty {
        Ty::Array(item) if takes_into(&item.ty) => {
            quote!(#value.into_iter().map(Into::into).collect())
        }
        Ty::Array(_) => quote!(#value.into_iter().collect()),
        ty if takes_into(ty) => quote!(#value.into()),
        _ => value,
    }
}

fn rule_tokens(rule: &Rule) -> TokenStream {
    match rule {
        Rule::MinLength(n) => {
            let n = Literal::u64_unsuffixed(*n);
            quote!(Rule::MinLength(#n))
        }
        Rule::MaxLength(n) => {
            let n = Literal::u64_unsuffixed(*n);
            quote!(Rule::MaxLength(#n))
        }
        Rule::Pattern(p) => quote!(Rule::Pattern(#p)),
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
            let x = Literal::f64_unsuffixed(*x);
            quote!(Rule::Minimum(#x))
        }
        Rule::Maximum(x) => {
            let x = Literal::f64_unsuffixed(*x);
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
fn rules_summary(shape: &Shape) -> String {
    let mut parts: Vec<String> = shape.rules.iter().map(rule_keyword).collect();
    if let Ty::Array(item) = &shape.ty {
        let items = rules_summary(item);
        if !items.is_empty() {
            parts.push(format!("each item: {items}"));
        }
    }
    parts.join(", ")
}

fn rule_keyword(rule: &Rule) -> String {
    match rule {
        Rule::MinLength(n) => format!("`minLength: {n}`"),
        Rule::MaxLength(n) => format!("`maxLength: {n}`"),
        Rule::Pattern(p) => format!("`pattern: {p}`"),
        Rule::Format(f) => format!("`format: {}`", format_name(*f)),
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

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Uuid => "uuid",
        Format::DateTime => "date-time",
        Format::Date => "date",
        Format::Uri => "uri",
    }
}

/// Descriptions become one `///` line each. A description's code can never turn into a
/// doctest of the generated crate: lines are trimmed (no indented code blocks) and every
/// opening code fence is marked `text`.
fn doc_lines(text: &str) -> Vec<String> {
    let mut in_fence = false;
    let mut lines: Vec<String> = text
        .trim()
        .lines()
        .map(|line| {
            let line = line.trim();
            if line.starts_with("```") {
                in_fence = !in_fence;
                if in_fence {
                    return " ```text".to_owned();
                }
            }
            if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            }
        })
        .collect();
    lines.dedup_by(|a, b| a.is_empty() && b.is_empty());
    lines
}

/// Every rule of a shape, its items' and its alternatives' included.
fn collect_rules<'s>(shape: &'s Shape, out: &mut Vec<&'s Rule>) {
    for rule in &shape.rules {
        out.push(rule);
        if let Rule::AnyOf(alternatives) = rule {
            out.extend(alternatives.iter().flat_map(|a| &a.rules));
        }
    }
    if let Ty::Array(item) = &shape.ty {
        collect_rules(item, out);
    }
}

/// The first sentence of a description's first paragraph, for one-line setter docs.
fn first_sentence(doc: Option<&str>) -> String {
    let paragraph: Vec<&str> = doc
        .unwrap_or("")
        .trim()
        .lines()
        .map(str::trim)
        .take_while(|l| !l.is_empty())
        .collect();
    let paragraph = paragraph.join(" ");
    match paragraph.find(". ") {
        Some(end) => paragraph[..=end].to_owned(),
        None => paragraph,
    }
}

fn doc_outer(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote!(#(#[doc = #lines])*)
}

fn doc_inner(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote!(#(#![doc = #lines])*)
}
