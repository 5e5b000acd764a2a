//! Open string enums and `oneOf` enums: both keep what this version does not know.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::{doc_outer, doc_sections};
use super::{Emitter, rust_type};
use crate::model::{Enum, OneOf, Ty};
use crate::names::ident;

pub(super) fn enum_item(e: &Enum) -> TokenStream {
    let name = ident(&e.name.rust);
    let doc = doc_sections(&[
        e.doc
            .clone()
            .unwrap_or_else(|| format!("The `{}` values.", e.name.spec)),
        "An open enum: values this version does not list decode to `Unknown` and serialize back unchanged.".to_owned(),
    ]);
    // Variant names were checked (valid, distinct, not `Unknown`) by the parser.
    let variants: Vec<(Ident, &String)> = e
        .values
        .iter()
        .map(|v| (ident(&v.rust), &v.value))
        .collect();
    let default_variant = e
        .default
        .as_ref()
        .and_then(|d| e.values.iter().find(|v| v.value == *d))
        .map(|v| ident(&v.rust));
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

impl Emitter<'_> {
    /// How a `oneOf` decodes one member from `value`: through the member's
    /// `WebhookBody` when only webhooks carry it (it has no `Deserialize`), else serde.
    fn member_decode(
        &self,
        o: &OneOf,
        v: &crate::model::OneOfVariant,
        ty: &TokenStream,
    ) -> TokenStream {
        if o.webhook_only && self.webhook_only(&v.shape.ty) {
            quote!(<#ty as crate::webhook::WebhookBody>::decode_verified(&value, token))
        } else {
            quote!(<#ty as Deserialize>::deserialize(&value))
        }
    }

    /// A `oneOf`: a variant per member, and `Unknown` for any other shape. A tagged one
    /// (by its `discriminator`, or a property every member fixes to a value of its own)
    /// is decoded by the tag; an untagged one tries each member in spec order.
    pub(super) fn one_of_item(&self, o: &OneOf) -> TokenStream {
        let name = ident(&o.name.rust);
        let how = match &o.tag {
            Some(tag) if tag.declared => format!(
                "Decoded by its `{}` property (the spec's `discriminator`).",
                tag.property
            ),
            Some(tag) => format!(
                "Decoded by its `{}` property, which every member fixes to a value of its own.",
                tag.property
            ),
            None => "Decoded as the first member, in spec order, that the value fits.".to_owned(),
        };
        let doc = doc_sections(&[
            o.doc
                .clone()
                .unwrap_or_else(|| format!("The `{}` schema.", o.name.spec)),
            format!(
                "One of several shapes (`oneOf`). {how} A value that fits no member is kept as JSON in `Unknown`, not refused."
            ),
        ]);
        let variants: Vec<(Ident, TokenStream)> = o
            .variants
            .iter()
            .map(|v| {
                let ty = rust_type(&v.shape.ty);
                let ty = if v.boxed { quote!(Box<#ty>) } else { ty };
                (ident(&v.rust), ty)
            })
            .collect();
        let decls = o.variants.iter().zip(&variants).map(|(v, (variant, ty))| {
            let doc = doc_outer(&match &v.shape.ty {
                Ty::Named(n) => format!("A [`{}`].", n.rust),
                _ => format!("A `{}` value.", v.rust),
            });
            quote!(#doc #variant(#ty),)
        });
        let serialize_arms = variants
            .iter()
            .map(|(variant, _)| quote!(Self::#variant(value) => value.serialize(serializer),));
        let decode = match &o.tag {
            Some(tag) => {
                let property = &tag.property;
                let arms = o.variants.iter().zip(&variants).map(|(v, (variant, ty))| {
                    let values = &v.tag_values;
                    let member = self.member_decode(o, v, ty);
                    quote! {
                        Some(#(#values)|*) => #member.map(Self::#variant).ok(),
                    }
                });
                quote! {
                    let decoded = match value.get(#property).and_then(serde_json::Value::as_str) {
                        #(#arms)*
                        _ => None,
                    };
                    Ok(decoded.unwrap_or(Self::Unknown(value)))
                }
            }
            None => {
                let attempts = o.variants.iter().zip(&variants).map(|(v, (variant, ty))| {
                    let member = self.member_decode(o, v, ty);
                    quote! {
                        if let Ok(member) = #member {
                            return Ok(Self::#variant(member));
                        }
                    }
                });
                quote! {
                    #(#attempts)*
                    Ok(Self::Unknown(value))
                }
            }
        };
        // A `oneOf` only webhooks carry has no `Deserialize` (see `types::webhook_body_impl`).
        let decode_impl = if o.webhook_only {
            quote! {
                #[cfg(feature = "webhooks")]
                impl crate::webhook::WebhookBody for #name {
                    fn decode_verified(
                        value: &serde_json::Value,
                        token: crate::webhook::Token,
                    ) -> Result<Self, serde_json::Error> {
                        let _ = token;
                        let value = value.clone();
                        #decode
                    }
                }
            }
        } else {
            quote! {
                impl<'de> Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        let value = serde_json::Value::deserialize(deserializer)?;
                        #decode
                    }
                }
            }
        };
        let validate = o.in_request.then(|| {
            let arms: Vec<TokenStream> = o
                .variants
                .iter()
                .zip(&variants)
                .filter_map(|(v, (variant, _))| {
                    // A plain member's error names no field: the parent's `within` does.
                    let check =
                        self.check(&v.shape, quote!(rules::Path::Field("")), quote!(member));
                    (!check.is_empty()).then(|| quote!(Self::#variant(member) => { #check Ok(()) }))
                })
                .collect();
            // Members without rules (and `Unknown`) pass as they are.
            let body = if arms.is_empty() {
                quote!(Ok(()))
            } else {
                quote! {
                    match self {
                        #(#arms)*
                        _ => Ok(()),
                    }
                }
            };
            quote! {
                impl rules::Validate for #name {
                    fn validate(&self) -> Result<(), rules::ValidationError> {
                        #body
                    }
                }
            }
        });
        // Members are as large as the spec makes them; boxing every one would cost each
        // match a dereference for a size only some specs reach.
        // `Debug` by hand: an unknown shape is arbitrary JSON, which may hold personal
        // data, and a plain member may be sensitive itself.
        let debug_arms = o.variants.iter().zip(&variants).map(|(v, (variant, _))| {
            let label = v.rust.as_str();
            if v.shape.sensitive && !matches!(v.shape.ty, Ty::Named(_)) {
                quote!(Self::#variant(_) => f.debug_tuple(#label).field(&"<redacted>").finish(),)
            } else {
                quote!(Self::#variant(value) => f.debug_tuple(#label).field(value).finish(),)
            }
        });
        let debug_impl = quote! {
            impl std::fmt::Debug for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    match self {
                        #(#debug_arms)*
                        Self::Unknown(_) => f.debug_tuple("Unknown").field(&"<JSON not shown>").finish(),
                    }
                }
            }
        };
        quote! {
            #doc
            #[derive(Clone, PartialEq)]
            #[non_exhaustive]
            #[allow(clippy::large_enum_variant)]
            pub enum #name {
                #(#decls)*
                /// A shape the spec does not list, kept as it arrived.
                Unknown(serde_json::Value),
            }

            #debug_impl

            impl Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    match self {
                        #(#serialize_arms)*
                        Self::Unknown(value) => value.serialize(serializer),
                    }
                }
            }

            #decode_impl

            #validate
        }
    }
}
