//! The dispatch file: every operation and type of the generated crate reachable by name,
//! with JSON in and out.
//!
//! Not part of the crate users get: the tests compile it beside the crate, so that their
//! cases come from the spec (through the model) and reach each typed method, request type
//! and decoder the spec declares without a hand-written line per operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::Emitter;
use super::docs::doc_inner;
use crate::model::{Operation, ParamsStyle, TypeDef};
use crate::names::ident;

impl Emitter<'_> {
    /// The dispatch module for the crate named `krate` (a Rust path such as
    /// `telnyx_messaging`).
    pub(super) fn dispatch_file(&self, krate: &syn::Path) -> TokenStream {
        let module_doc = doc_inner(&format!(
            "Every operation and type of the {} by name, with JSON in and out: how the tests \
             reach all of them from the spec's model.",
            self.api.title
        ));
        let names = self.api.operations.iter().map(|op| &op.method_name);
        let calls = self
            .api
            .operations
            .iter()
            .map(|op| self.dispatch_call(op, krate));
        let validations = self.api.operations.iter().filter_map(|op| {
            let body = op.body.as_ref()?;
            let name = &op.method_name;
            let ty = ident(&body.ty.rust);
            Some(quote! {
                #name => {
                    let request: #krate::#ty = decode(Some(body))?;
                    Ok(#krate::rules::Validate::validate(&request))
                }
            })
        });
        let types: Vec<&str> = self
            .api
            .types
            .iter()
            .map(|t| t.name().rust.as_str())
            .collect();
        let decoders = self.api.types.iter().map(|t| {
            let name = &t.name().rust;
            let ty = ident(name);
            // A webhook body has no `Deserialize`: it decodes through the webhook module.
            let decode = match t {
                TypeDef::Struct(s) if s.webhook_only => quote! {
                    #krate::webhook::decode_unverified::<T>(bytes).map_err(|e| e.to_string())
                },
                TypeDef::OneOf(o) if o.webhook_only => quote! {
                    #krate::webhook::decode_unverified::<T>(bytes).map_err(|e| e.to_string())
                },
                _ => quote! {
                    serde_json::from_slice::<T>(bytes).map_err(|e| e.to_string())
                },
            };
            // The type by a short name, so that a long one never has to break a line.
            quote! {
                #name => {
                    type T = #krate::#ty;
                    Ok(#decode.and_then(|value| encode(&value)))
                }
            }
        });
        let known = self.api.types.iter().filter_map(|t| match t {
            TypeDef::Enum(e) => {
                let name = &e.name.rust;
                let ty = ident(name);
                Some(quote!(#name => Ok(#krate::#ty::from(value).is_known()),))
            }
            _ => None,
        });
        let request_types = self.api.types.iter().filter_map(|t| match t {
            TypeDef::Struct(s) if s.in_request => Some(s.name.rust.as_str()),
            _ => None,
        });
        quote! {
            #module_doc

            use serde_json::Value;

            /// The client methods, in spec order.
            pub const OPERATIONS: &[&str] = &[#(#names),*];

            /// Every generated type, in the model's order.
            pub const TYPES: &[&str] = &[#(#types),*];

            /// The types that are sent (request bodies, parameters and what they hold).
            pub const REQUEST_TYPES: &[&str] = &[#(#request_types),*];

            /// Calls `operation` with `params` (an object of its parameters by wire name)
            /// and `body`, and gives the client's answer with its data as JSON.
            ///
            /// `Err` when there is no such operation or the JSON does not fit its types.
            pub async fn call(
                client: &#krate::Client,
                operation: &str,
                params: &Value,
                body: Option<&Value>,
            ) -> Result<Result<Value, #krate::Error>, String> {
                let _ = (params, body);
                match operation {
                    #(#calls)*
                    _ => Err(format!("no operation `{operation}`")),
                }
            }

            /// Validates `body` as the request body of `operation`, as sending it would.
            ///
            /// `Err` when the operation takes no body or the JSON does not fit its type.
            pub fn validate(
                operation: &str,
                body: &Value,
            ) -> Result<Result<(), #krate::rules::ValidationError>, String> {
                let _ = body;
                match operation {
                    #(#validations)*
                    _ => Err(format!("no operation with a body `{operation}`")),
                }
            }

            /// Decodes `bytes` as the type `name` and gives it back as JSON.
            ///
            /// The outer `Err` when there is no such type; the inner one is the decoder's
            /// refusal.
            pub fn decode_as(name: &str, bytes: &[u8]) -> Result<Result<Value, String>, String> {
                let _ = bytes;
                match name {
                    #(#decoders)*
                    _ => Err(format!("no type `{name}`")),
                }
            }

            /// Whether `value` is one of the values the spec lists for the enum `name`.
            pub fn is_known(name: &str, value: &str) -> Result<bool, String> {
                let _ = value;
                match name {
                    #(#known)*
                    _ => Err(format!("no enum `{name}`")),
                }
            }

            #[allow(dead_code)]
            fn decode<T: serde::de::DeserializeOwned>(value: Option<&Value>) -> Result<T, String> {
                serde_json::from_value(value.cloned().unwrap_or(Value::Null))
                    .map_err(|e| format!("the JSON does not fit: {e}"))
            }

            #[allow(dead_code)]
            fn encode<T: serde::Serialize>(value: &T) -> Result<Value, String> {
                serde_json::to_value(value).map_err(|e| format!("cannot encode the answer: {e}"))
            }

            #[allow(dead_code)]
            fn answer<T: serde::Serialize>(
                result: Result<T, #krate::Error>,
            ) -> Result<Result<Value, #krate::Error>, String> {
                match result {
                    Ok(value) => Ok(Ok(encode(&value)?)),
                    Err(error) => Ok(Err(error)),
                }
            }

            #[allow(dead_code)]
            fn param<'a>(params: &'a Value, name: &str) -> Result<&'a str, String> {
                params
                    .get(name)
                    .and_then(Value::as_str)
                    .ok_or_else(|| format!("parameter `{name}` is missing or not a string"))
            }
        }
    }

    fn dispatch_call(&self, op: &Operation, krate: &syn::Path) -> TokenStream {
        let name = &op.method_name;
        let method = ident(&op.method_name);
        let mut lets = Vec::new();
        let mut args = Vec::new();
        match &op.params_style {
            ParamsStyle::None => {}
            ParamsStyle::Single => {
                let wire = &op.params[0].name;
                lets.push(quote!(let param = param(params, #wire)?;));
                args.push(quote!(param));
            }
            ParamsStyle::Struct(type_name) => {
                let ty = ident(&type_name.rust);
                lets.push(quote!(let params: #krate::#ty = decode(Some(params))?;));
                args.push(quote!(&params));
            }
        }
        if let Some(body) = &op.body {
            let ty = ident(&body.ty.rust);
            if body.required {
                lets.push(quote!(let request: #krate::#ty = decode(body)?;));
                args.push(quote!(&request));
            } else {
                lets.push(quote! {
                    let request: Option<#krate::#ty> = body.map(|b| decode(Some(b))).transpose()?;
                });
                args.push(quote!(request.as_ref()));
            }
        }
        quote! {
            #name => {
                #(#lets)*
                answer(client.#method(#(#args),*).await)
            }
        }
    }
}
