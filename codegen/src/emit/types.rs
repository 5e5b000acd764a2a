//! The types file: structs with their builders and `Validate` impls; enums come from
//! `enums`.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::docs::{doc_inner, doc_outer, doc_sections, first_sentence};
use super::rules::{collect_rules, rule_tokens, rules_import, rules_summary};
use super::{Emitter, rust_type};
use crate::model::{Field, Rule, Struct, Ty, TypeDef};
use crate::names::{ADDITIONAL_PROPERTIES, builder_name, ident};

/// Methods of the std operator traits that take `self` and one argument, as a setter does.
const OPERATOR_METHODS: &[&str] = &[
    "add", "bitand", "bitor", "bitxor", "div", "mul", "rem", "shl", "shr", "sub",
];

impl Emitter<'_> {
    /// The types file is laid out in two parts, on two threads: the header and the first
    /// half of the types ([`Self::types_file_first`]), then the rest (no header).
    pub(super) fn types_file_first(&self) -> TokenStream {
        self.types_file_upto(self.api.types.len() / 2)
    }

    /// The second part of the types file: the types after the first half.
    pub(super) fn types_file_rest(&self) -> TokenStream {
        let rest = self.api.types[self.api.types.len() / 2..]
            .iter()
            .map(|def| self.type_item(def));
        quote!(#(#rest)*)
    }

    fn type_item(&self, def: &TypeDef) -> TokenStream {
        match def {
            TypeDef::Struct(s) => self.struct_item(s),
            TypeDef::Enum(e) => super::enums::enum_item(e),
            TypeDef::OneOf(o) => self.one_of_item(o),
        }
    }

    /// The header and the first `count` types.
    fn types_file_upto(&self, count: usize) -> TokenStream {
        let module_doc = doc_inner(&format!(
            "Request and response types of the {} (version {}).\n\nRequest types check every rule of the spec before anything is sent (see [`crate::rules::Validate`]); response types decode leniently: unknown fields are ignored and unknown enum values are kept.",
            self.api.title, self.api.version
        ));
        let rules_import = self.types_rules_import();
        let items = self.api.types[..count]
            .iter()
            .map(|def| self.type_item(def));
        let serde_import = (!self.api.types.is_empty()).then(|| {
            quote!(
                use serde::{Deserialize, Serialize};
            )
        });
        quote! {
            #module_doc
            #serde_import

            #rules_import

            #(#items)*
        }
    }

    /// The rules import of the types file: none when nothing is validated.
    fn types_rules_import(&self) -> TokenStream {
        let mut validated = false;
        let mut rules: Vec<&Rule> = Vec::new();
        for t in &self.api.types {
            match t {
                TypeDef::Struct(s) if s.in_request => {
                    validated = true;
                    for f in &s.fields {
                        collect_rules(&f.shape, &mut rules);
                    }
                    if let Some(additional) = &s.additional {
                        collect_rules(additional, &mut rules);
                    }
                    for condition in s.required_any_of.iter().flatten() {
                        for (_, shape) in &condition.constraints {
                            collect_rules(shape, &mut rules);
                        }
                    }
                }
                TypeDef::OneOf(o) if o.in_request => validated = true,
                _ => {}
            }
        }
        if validated {
            rules_import(&rules)
        } else {
            TokenStream::new()
        }
    }

    fn struct_item(&self, s: &Struct) -> TokenStream {
        let name = ident(&s.name.rust);
        let doc = doc_sections(&[s
            .doc
            .clone()
            .unwrap_or_else(|| format!("The `{}` schema.", s.name.spec))]);
        let mut fields: Vec<TokenStream> = s
            .fields
            .iter()
            .map(|f| self.field_decl(f, s.in_request))
            .collect();
        if let Some(additional) = &s.additional {
            let ty = rust_type(&Ty::Map(additional.clone()));
            let field = ident(ADDITIONAL_PROPERTIES);
            let doc = doc_outer(&format!(
                "The properties the schema does not declare (`additionalProperties`), by name.{}",
                match rules_summary(additional) {
                    summary if summary.is_empty() || !s.in_request => String::new(),
                    summary => format!("\n\nChecked before sending: each value: {summary}."),
                }
            ));
            fields.push(quote! { #doc #[serde(flatten)] pub #field: #ty, });
        }
        let all_optional = s.fields.iter().all(|f| !f.required || f.nullable);
        let default = all_optional.then(|| quote!(Default,));
        let request_impls = if s.in_request {
            let builder = self.builder(s);
            let validate = self.validate_impl(s);
            quote!(#builder #validate)
        } else {
            TokenStream::new()
        };
        let readers = timestamp_readers(s);
        let estimate = s.sms.as_ref().map(|sms| self.estimate_impl(s, sms));
        // Personal data (phone numbers, message text, media URLs) never reaches `Debug`.
        let redacts = s.fields.iter().any(|f| f.shape.sensitive)
            || s.additional.as_ref().is_some_and(|a| a.sensitive);
        let (derive_debug, debug_impl) = if redacts {
            (TokenStream::new(), debug_impl(s))
        } else {
            (quote!(Debug,), TokenStream::new())
        };
        let (derive_deserialize, webhook_impl) = if s.webhook_only {
            (TokenStream::new(), self.webhook_body_impl(s))
        } else {
            (quote!(Deserialize), TokenStream::new())
        };
        quote! {
            #doc
            #[derive(Clone, #derive_debug #default PartialEq, Serialize, #derive_deserialize)]
            #[non_exhaustive]
            pub struct #name {
                #(#fields)*
            }
            #webhook_impl
            #debug_impl
            #readers
            #estimate
            #request_impls
        }
    }

    fn field_decl(&self, f: &Field, in_request: bool) -> TokenStream {
        let doc = doc_sections(&self.field_doc(f, in_request));
        let field = field_serde(f);
        quote!(#doc #field)
    }
}

/// A field with its serde attributes, without docs.
fn field_serde(f: &Field) -> TokenStream {
    {
        let ident = ident(&f.rust);
        let ty = field_type(f);
        let rename = (f.rust != f.name).then(|| {
            let json = &f.name;
            quote!(rename = #json,)
        });
        if f.required && !f.nullable {
            let attr = rename.map(|r| quote!(#[serde(#r)]));
            quote! { #attr pub #ident: #ty, }
        } else if f.required {
            // Required but nullable: always sent, as `null` when unset.
            quote! { #[serde(#rename default)] pub #ident: Option<#ty>, }
        } else {
            quote! {
                #[serde(#rename default, skip_serializing_if = "Option::is_none")]
                pub #ident: Option<#ty>,
            }
        }
    }
}

impl Emitter<'_> {
    /// The description, then the generator's notes, as separate sections.
    fn field_doc(&self, f: &Field, in_request: bool) -> Vec<String> {
        let doc = f
            .doc
            .clone()
            .unwrap_or_else(|| format!("The `{}` property.", f.name));
        let mut notes = Vec::new();
        if !in_request {
            if let Some(Rule::Format(format)) =
                f.shape.rules.iter().find(|r| matches!(r, Rule::Format(_)))
            {
                notes.push(format!("Format: `{}`.", format.name()));
            }
        }
        if let Some(format) = &f.shape.format_doc {
            notes.push(format!("Format: `{format}` (not checked by this crate)."));
        }
        if let Some(default) = &f.default {
            notes.push(format!("When not set, the API uses `{default}`."));
        }
        // Unless the description says so already.
        if f.nullable && !doc.to_ascii_lowercase().contains("null") {
            notes.push("May be `null`.".to_owned());
        }
        if in_request {
            let rules = rules_summary(&f.shape);
            if !rules.is_empty() {
                notes.push(format!("Checked before sending: {rules}."));
            }
        }
        vec![doc, notes.join("\n")]
    }

    /// `S::builder()` and a typestate builder: each required field is set by name and
    /// changes the builder's type, and `build` exists only once all are set, so a
    /// forgotten field fails to compile. Optional fields have setters in every state.
    fn builder(&self, s: &Struct) -> TokenStream {
        let name = ident(&s.name.rust);
        let builder = ident(&builder_name(&s.name.rust));
        // Required, never null: the typestate fields, in the schema's `required` order
        // (which a spec author orders by importance: `from`, `to`, ...).
        let mut required: Vec<&Field> = s
            .fields
            .iter()
            .filter(|f| f.required && !f.nullable)
            .collect();
        required.sort_by_key(|f| s.required_order.iter().position(|r| *r == f.name));
        let position = |f: &Field| required.iter().position(|r| r.name == f.name);
        // Generic names no spec name can take: type names start with a letter.
        let generics: Vec<Ident> = (0..required.len())
            .map(|i| format_ident!("__R{}", i))
            .collect();
        let unset = quote!(crate::builder::Unset);
        let additional = s
            .additional
            .as_ref()
            .map(|a| (ident(ADDITIONAL_PROPERTIES), rust_type(&Ty::Map(a.clone()))));

        let decls = s.fields.iter().map(|f| {
            let ident = ident(&f.rust);
            match position(f) {
                Some(k) => {
                    let generic = &generics[k];
                    quote!(#ident: #generic)
                }
                None => {
                    let ty = field_type(f);
                    quote!(#ident: Option<#ty>)
                }
            }
        });
        let additional_decl = additional.as_ref().map(|(field, ty)| quote!(#field: #ty,));
        let start_inits = s.fields.iter().map(|f| {
            let ident = ident(&f.rust);
            if position(f).is_some() {
                quote!(#ident: #unset)
            } else {
                quote!(#ident: None)
            }
        });
        let additional_init = additional
            .as_ref()
            .map(|(field, _)| quote!(#field: Default::default(),));
        let all_unset = generics.iter().map(|_| unset.clone());

        let required_setters = required.iter().enumerate().map(|(k, f)| {
            let setter = ident(&f.rust);
            let others: Vec<&Ident> = generics
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != k)
                .map(|(_, g)| g)
                .collect();
            let state_in = generics
                .iter()
                .enumerate()
                .map(|(i, g)| if i == k { unset.clone() } else { quote!(#g) });
            let field_ty = field_type(f);
            let state_out = generics
                .iter()
                .enumerate()
                .map(|(i, g)| if i == k { field_ty.clone() } else { quote!(#g) });
            let param = self.param_type(&f.shape.ty);
            let value = self.field_value(f);
            let moves = s.fields.iter().filter(|o| o.name != f.name).map(|o| {
                let o = ident(&o.rust);
                quote!(#o: self.#o)
            });
            let additional_move = additional
                .as_ref()
                .map(|(field, _)| quote!(#field: self.#field,));
            let doc = doc_sections(&[
                format!("Sets `{}` (required).", f.name),
                first_sentence(f.doc.as_deref()),
            ]);
            quote! {
                impl<#(#others),*> #builder<#(#state_in),*> {
                    #doc
                    pub fn #setter(self, value: #param) -> #builder<#(#state_out),*> {
                        #builder { #setter: #value, #(#moves,)* #additional_move }
                    }
                }
            }
        });

        let mut optional_setters: Vec<TokenStream> = s
            .fields
            .iter()
            .filter(|f| position(f).is_none())
            .map(|f| {
                let ident = ident(&f.rust);
                let param = self.param_type(&f.shape.ty);
                let value = self.field_value(f);
                let doc = doc_sections(&[
                    format!("Sets `{}`.", f.name),
                    first_sentence(f.doc.as_deref()),
                ]);
                let typed = (is_date_time(f) && !typed_names_taken(s, f)).then(|| typed_setters(f));
                quote! {
                    #doc
                    pub fn #ident(mut self, value: #param) -> Self {
                        self.#ident = Some(#value);
                        self
                    }
                    #typed
                }
            })
            .collect();
        if let Some((field, ty)) = &additional {
            optional_setters.push(quote! {
                /// Sets the properties the schema does not declare.
                pub fn #field(mut self, value: #ty) -> Self {
                    self.#field = value;
                    self
                }
            });
        }
        // A setter named like an operator's method (`add`, `sub`, ...) is a setter, not
        // the operator.
        let operators = s
            .fields
            .iter()
            .any(|f| position(f).is_none() && OPERATOR_METHODS.contains(&f.rust.as_str()))
            .then(|| quote!(#[allow(clippy::should_implement_trait)]));

        let done = required.iter().map(|f| field_type(f));
        let finals = s.fields.iter().map(|f| {
            let ident = ident(&f.rust);
            quote!(#ident: self.#ident)
        });
        let additional_final = additional
            .as_ref()
            .map(|(field, _)| quote!(#field: self.#field,));

        let names: Vec<String> = required.iter().map(|f| format!("`{}`", f.name)).collect();
        let (builder_doc, start_doc) = if names.is_empty() {
            (
                format!("Builds a [`{}`]; every field is optional.", s.name.rust),
                "Starts a request with no field set.".to_owned(),
            )
        } else {
            (
                format!(
                    "Builds a [`{}`].\n\nSet the required fields ({}) by name, in any order: [`build`](Self::build) exists only once all of them are set, so a forgotten one does not compile. Optional fields can be set at any point.",
                    s.name.rust,
                    names.join(", ")
                ),
                format!(
                    "Starts a request; set {} (required) and any optional fields, then call `build`.",
                    names.join(", ")
                ),
            )
        };
        let builder_doc = doc_outer(&builder_doc);
        let start_doc = doc_outer(&start_doc);
        quote! {
            impl #name {
                #start_doc
                pub fn builder() -> #builder<#(#all_unset),*> {
                    #builder { #(#start_inits,)* #additional_init }
                }
            }

            #builder_doc
            #[derive(Clone)]
            #[must_use]
            pub struct #builder<#(#generics),*> {
                #(#decls,)*
                #additional_decl
            }

            #(#required_setters)*

            #operators
            impl<#(#generics),*> #builder<#(#generics),*> {
                #(#optional_setters)*
            }

            impl #builder<#(#done),*> {
                /// The request, with every field set so far.
                ///
                /// Its rules are checked when it is sent (or by
                /// [`crate::rules::Validate::validate`]).
                pub fn build(self) -> #name {
                    #name { #(#finals,)* #additional_final }
                }
            }
        }
    }

    /// A setter's `value` argument as the field stores it (converted, boxed if need be).
    fn field_value(&self, f: &Field) -> TokenStream {
        let value = self.convert(&f.shape.ty, quote!(value));
        if f.boxed {
            quote!(Box::new(#value))
        } else {
            value
        }
    }

    fn validate_impl(&self, s: &Struct) -> TokenStream {
        let name = ident(&s.name.rust);
        let checks = s.fields.iter().map(|f| {
            let ident = ident(&f.rust);
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
        let additional = s.additional.as_ref().map(|shape| {
            let field = ident(ADDITIONAL_PROPERTIES);
            self.check(
                &crate::model::Shape::plain(Ty::Map(shape.clone())),
                quote!(rules::Path::Field(#ADDITIONAL_PROPERTIES)),
                quote!(self.#field),
            )
        });
        let groups = s.required_any_of.iter().map(|group| {
            let holds = group.iter().map(|condition| {
                let set = condition.required.iter().map(|name| {
                    match s.fields.iter().find(|f| f.name == *name) {
                        // A required field is always sent (as `null` when unset).
                        Some(f) if f.required => quote!(true),
                        Some(f) => {
                            let ident = ident(&f.rust);
                            quote!(self.#ident.is_some())
                        }
                        None => quote!(false),
                    }
                });
                // A constrained property holds when it is not set, or meets the rules.
                let met = condition.constraints.iter().map(|(name, shape)| {
                    let rules = shape.rules.iter().map(rule_tokens);
                    match s.fields.iter().find(|f| f.name == *name) {
                        Some(f) if f.required && !f.nullable => {
                            let ident = ident(&f.rust);
                            quote!(rules::passes_str(&self.#ident, &[#(#rules),*]))
                        }
                        Some(f) => {
                            let ident = ident(&f.rust);
                            quote!(self.#ident.as_deref().is_none_or(|value| rules::passes_str(value, &[#(#rules),*])))
                        }
                        None => quote!(true),
                    }
                });
                let parts: Vec<TokenStream> = set.chain(met).collect();
                if parts.len() == 1 {
                    quote!(#(#parts)*)
                } else {
                    quote!((#(#parts)&&*))
                }
            });
            let lists = group
                .iter()
                .filter(|condition| !condition.required.is_empty())
                .map(|condition| {
                    let names = &condition.required;
                    quote!(&[#(#names),*])
                });
            let lists: Vec<TokenStream> = lists.collect();
            // Alternatives that only constrain properties name the first of them.
            let failure = if lists.is_empty() {
                let (name, shape) = group
                    .iter()
                    .flat_map(|c| &c.constraints)
                    .next()
                    .map(|(name, shape)| (name.as_str(), shape.rules.first()))
                    .unwrap_or(("", None));
                let rule = shape.map(rule_tokens);
                quote!(rules::condition_failed(#name, &[#rule]))
            } else {
                quote!(rules::missing(&[#(#lists),*]))
            };
            quote! {
                if !(#(#holds)||*) {
                    return Err(#failure);
                }
            }
        });
        quote! {
            impl rules::Validate for #name {
                fn validate(&self) -> Result<(), rules::ValidationError> {
                    #(#groups)*
                    #(#checks)*
                    #additional
                    Ok(())
                }
            }
        }
    }
}

impl Emitter<'_> {
    /// `estimate()` for a request that carries an SMS text (`x-sms`).
    fn estimate_impl(&self, s: &Struct, sms: &crate::model::SmsText) -> TokenStream {
        let name = ident(&s.name.rust);
        let field = |wire: &str| s.fields.iter().find(|f| f.name == wire);
        let Some(text_field) = field(&sms.text) else {
            return TokenStream::new();
        };
        let text_ident = ident(&text_field.rust);
        let estimate = if text_field.required && !text_field.nullable {
            quote!(Some(crate::segments::estimate(self.#text_ident.as_str(), encoding)))
        } else {
            quote!(self.#text_ident.as_deref().map(|text| crate::segments::estimate(text, encoding)))
        };
        let encoding = match sms.encoding.as_deref().and_then(field) {
            Some(f) => {
                let ident = ident(&f.rust);
                let is_enum = matches!(f.shape.ty, Ty::Named(_));
                match (f.required && !f.nullable, is_enum) {
                    (true, _) => quote!(Some(self.#ident.as_str())),
                    (false, true) => quote!(self.#ident.as_ref().map(|e| e.as_str())),
                    (false, false) => quote!(self.#ident.as_deref()),
                }
            }
            None => quote!(None),
        };
        let mms = sms.media.as_deref().and_then(field).map(|f| {
            let ident = ident(&f.rust);
            let given = if f.required && !f.nullable {
                quote!(!self.#ident.is_empty())
            } else {
                quote!(self.#ident.as_ref().is_some_and(|media| !media.is_empty()))
            };
            quote! {
                if #given {
                    return None;
                }
            }
        });
        let text_name = &sms.text;
        let doc = doc_outer(&format!(
            "What `{text_name}` costs as an SMS: its encoding, parts and the characters to blame ([`crate::segments::estimate`]).\n\n`None` without a text, or for an MMS (media given), whose text is not split in parts."
        ));
        quote! {
            impl #name {
                #doc
                pub fn estimate(&self) -> Option<crate::segments::Estimate<'_>> {
                    #mms
                    let encoding = crate::segments::RequestedEncoding::from_field(#encoding);
                    #estimate
                }
            }
        }
    }

    /// Whether `ty` names a type that only webhooks carry (one without `Deserialize`).
    pub(super) fn webhook_only(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Named(name) => matches!(
                self.api.type_def(name),
                Some(TypeDef::Struct(crate::model::Struct {
                    webhook_only: true,
                    ..
                })) | Some(TypeDef::OneOf(crate::model::OneOf {
                    webhook_only: true,
                    ..
                }))
            ),
            _ => false,
        }
    }

    /// How the runtime's webhook checks decode a type that only webhooks carry, which has
    /// no `Deserialize` of its own (so that nothing decodes it by accident without the
    /// checks): a private mirror of the struct with serde's `remote` derive, whose fields
    /// of other such types decode through theirs.
    fn webhook_body_impl(&self, s: &Struct) -> TokenStream {
        let name = ident(&s.name.rust);
        let remote = s.name.rust.clone();
        let fields = s.fields.iter().map(|f| {
            let array_item = match &f.shape.ty {
                Ty::Array(item) => Some(&item.ty),
                _ => None,
            };
            let holds = self.webhook_only(&f.shape.ty)
                || array_item.is_some_and(|item| self.webhook_only(item));
            if !holds {
                return field_serde(f);
            }
            let optional = !f.required || f.nullable;
            let with = match (optional, array_item.is_some()) {
                (false, false) => "crate::webhook::field::one",
                (true, false) => "crate::webhook::field::option",
                (false, true) => "crate::webhook::field::vec",
                (true, true) => "crate::webhook::field::option_vec",
            };
            let field = ident(&f.rust);
            let json = &f.name;
            let ty = field_type(f);
            let ty = if optional { quote!(Option<#ty>) } else { ty };
            let default = optional.then(|| quote!(default,));
            quote!(#[serde(rename = #json, #default deserialize_with = #with)] pub #field: #ty,)
        });
        let additional = s.additional.as_ref().map(|shape| {
            let ty = rust_type(&Ty::Map(shape.clone()));
            let field = ident(ADDITIONAL_PROPERTIES);
            quote!(#[serde(flatten)] pub #field: #ty,)
        });
        quote! {
            #[cfg(feature = "webhooks")]
            impl crate::webhook::WebhookBody for #name {
                fn decode_verified(
                    value: &serde_json::Value,
                    _: crate::webhook::Token,
                ) -> Result<Self, serde_json::Error> {
                    #[derive(Deserialize)]
                    #[serde(remote = #remote)]
                    struct Wire {
                        #(#fields)*
                        #additional
                    }
                    Wire::deserialize(value)
                }
            }
        }
    }
}

/// The Rust type of a field's value (without the `Option` of an optional field).
fn field_type(f: &Field) -> TokenStream {
    let ty = rust_type(&f.shape.ty);
    if f.boxed { quote!(Box<#ty>) } else { ty }
}

/// `Debug` that shows `<redacted>` for every sensitive field (and whether an optional one
/// is set), and everything else as `derive(Debug)` would.
fn debug_impl(s: &Struct) -> TokenStream {
    let name = ident(&s.name.rust);
    let shown = &s.name.rust;
    let fields = s.fields.iter().map(|f| {
        let field = ident(&f.rust);
        let label = &f.rust;
        let optional = !f.required || f.nullable;
        match (f.shape.sensitive, optional) {
            (false, _) => quote!(.field(#label, &self.#field)),
            (true, false) => quote!(.field(#label, &"<redacted>")),
            (true, true) => quote!(.field(#label, &self.#field.as_ref().map(|_| "<redacted>"))),
        }
    });
    let additional = s.additional.as_ref().map(|shape| {
        let field = ident(ADDITIONAL_PROPERTIES);
        if shape.sensitive {
            quote!(.field(#ADDITIONAL_PROPERTIES, &format!("<{} redacted>", self.#field.len())))
        } else {
            quote!(.field(#ADDITIONAL_PROPERTIES, &self.#field))
        }
    });
    quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#shown)
                    #(#fields)*
                    #additional
                    .finish()
            }
        }
    }
}

/// A `date-time` string field: it gets typed setters and readers behind the `time` and
/// `chrono` features.
fn is_date_time(f: &Field) -> bool {
    f.shape.ty == Ty::String
        && f.shape
            .rules
            .contains(&Rule::Format(crate::model::Format::DateTime))
}

/// `x_time(OffsetDateTime)` and `x_chrono(DateTime<Tz>)` beside the string setter `x`.
fn typed_setters(f: &Field) -> TokenStream {
    let setter = ident(&f.rust);
    let with_time = format_ident!("{}_time", f.rust);
    let with_chrono = format_ident!("{}_chrono", f.rust);
    let time_doc = format!(
        "Sets `{}` from a [`time::OffsetDateTime`], written as RFC 3339.",
        f.name
    );
    let chrono_doc = format!(
        "Sets `{}` from a [`chrono::DateTime`], written as RFC 3339.",
        f.name
    );
    quote! {
        #[cfg(feature = "time")]
        #[doc = #time_doc]
        pub fn #with_time(self, value: time::OffsetDateTime) -> Self {
            self.#setter(crate::timestamp::format_time(value))
        }
        #[cfg(feature = "chrono")]
        #[doc = #chrono_doc]
        pub fn #with_chrono<Tz: chrono::TimeZone>(self, value: chrono::DateTime<Tz>) -> Self
        where
            Tz::Offset: std::fmt::Display,
        {
            self.#setter(crate::timestamp::format_chrono(value))
        }
    }
}

/// `x_time()` and `x_chrono()`: each date-time string field parsed, behind the features.
fn timestamp_readers(s: &Struct) -> TokenStream {
    let readers: Vec<TokenStream> = s
        .fields
        .iter()
        .filter(|f| is_date_time(f) && !typed_names_taken(s, f))
        .map(|f| {
            let field = ident(&f.rust);
            let time_reader = format_ident!("{}_time", f.rust);
            let chrono_reader = format_ident!("{}_chrono", f.rust);
            let optional = !f.required || f.nullable;
            let (time_ty, chrono_ty, time_body, chrono_body) = if optional {
                (
                    quote!(Option<Result<time::OffsetDateTime, crate::timestamp::TimestampError>>),
                    quote!(
                        Option<
                            Result<
                                chrono::DateTime<chrono::FixedOffset>,
                                crate::timestamp::TimestampError,
                            >,
                        >
                    ),
                    quote!(self.#field.as_deref().map(crate::timestamp::parse_time)),
                    quote!(self.#field.as_deref().map(crate::timestamp::parse_chrono)),
                )
            } else {
                (
                    quote!(Result<time::OffsetDateTime, crate::timestamp::TimestampError>),
                    quote!(
                        Result<
                            chrono::DateTime<chrono::FixedOffset>,
                            crate::timestamp::TimestampError,
                        >
                    ),
                    quote!(crate::timestamp::parse_time(&self.#field)),
                    quote!(crate::timestamp::parse_chrono(&self.#field)),
                )
            };
            let absent = if optional {
                " (`None` when it is not set)"
            } else {
                ""
            };
            let time_doc = format!("`{}` as a [`time::OffsetDateTime`]{absent}.", f.name);
            let chrono_doc = format!("`{}` as a [`chrono::DateTime`]{absent}.", f.name);
            quote! {
                #[cfg(feature = "time")]
                #[doc = #time_doc]
                ///
                /// # Errors
                ///
                /// When the string is not an RFC 3339 date-time.
                pub fn #time_reader(&self) -> #time_ty {
                    #time_body
                }
                #[cfg(feature = "chrono")]
                #[doc = #chrono_doc]
                ///
                /// # Errors
                ///
                /// When the string is not an RFC 3339 date-time.
                pub fn #chrono_reader(&self) -> #chrono_ty {
                    #chrono_body
                }
            }
        })
        .collect();
    if readers.is_empty() {
        return TokenStream::new();
    }
    let name = ident(&s.name.rust);
    quote! {
        impl #name {
            #(#readers)*
        }
    }
}

/// Whether another field's setter already has a typed method's name (`at_time`).
fn typed_names_taken(s: &Struct, f: &Field) -> bool {
    let taken = [format!("{}_time", f.rust), format!("{}_chrono", f.rust)];
    s.fields.iter().any(|other| taken.contains(&other.rust))
}
