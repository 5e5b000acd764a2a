//! The operations file: two methods on `Client` per operation.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use super::docs::{doc_inner, doc_outer, doc_sections};
use super::rules::{collect_rules, rules_import};
use super::{Emitter, rust_type};
use crate::model::{Operation, ParamIn, ParamsStyle, Rule, SuccessBody, Ty};
use crate::names::ident;

/// The runtime's types for the API's error body, which it decodes itself.
const RUNTIME_ERROR_TYPES: &[&str] = &["crate::error::ErrorBody", "crate::error::ErrorDetail"];

impl Emitter<'_> {
    pub(super) fn operations_file(&self) -> TokenStream {
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
        let mut add = |ty: &Ty| {
            if let Some(name) = ty.named() {
                if !imports.contains(&name.rust) {
                    imports.push(name.rust.clone());
                }
            }
        };
        let mut single_rules: Vec<&Rule> = Vec::new();
        let mut any_single_check = false;
        for op in &self.api.operations {
            match &op.success.body {
                SuccessBody::Nothing => {}
                SuccessBody::Json { ty, unwrap } => {
                    add(ty);
                    if let Some(u) = unwrap {
                        add(&u.ty);
                    }
                }
                SuccessBody::MaybeJson(ty) => add(ty),
            }
            if let Some(body) = &op.body {
                add(&Ty::Named(body.ty.clone()));
            }
            match &op.params_style {
                ParamsStyle::Struct(name) => add(&Ty::Named(name.clone())),
                ParamsStyle::Single => {
                    for p in &op.params {
                        any_single_check |= !p.shape.rules.is_empty();
                        collect_rules(&p.shape, &mut single_rules);
                    }
                }
                ParamsStyle::None => {}
            }
        }
        imports.sort();
        let types_import = (!imports.is_empty()).then(|| {
            let imports = imports.iter().map(|n| Ident::new(n, Span::call_site()));
            quote!(use super::types::{#(#imports),*};)
        });
        let rules_import = any_single_check.then(|| rules_import(&single_rules));
        let runtime_imports = (!self.api.operations.is_empty()).then(|| {
            quote! {
                use reqwest::Method;

                use crate::call::{Call, Operation};
                use crate::{Error, Response};
            }
        });
        let mut fixed_paths: Vec<&str> = self
            .api
            .operations
            .iter()
            .map(|op| op.path.as_str())
            .filter(|path| !path.contains('{'))
            .collect();
        fixed_paths.sort_unstable();
        fixed_paths.dedup();
        let client_impl = (!self.api.operations.is_empty()).then(|| {
            quote! {
                impl Client {
                    #(#methods)*
                }
            }
        });
        quote! {
            #module_doc
            use crate::client::Client;
            #runtime_imports
            #types_import
            #rules_import

            impl Client {
                /// The API's base URL, from the spec's first server entry: where a client
                /// sends requests unless [`ClientBuilder::base_url`](crate::ClientBuilder::base_url)
                /// says otherwise.
                pub const DEFAULT_BASE_URL: &'static str = #base_url;

                /// The paths without parameters: the client parses their URLs once, when
                /// it is built, instead of on every call.
                pub(crate) const FIXED_PATHS: &'static [&'static str] = &[#(#fixed_paths),*];
            }

            #client_impl
        }
    }

    fn operation_method(&self, op: &Operation) -> TokenStream {
        let name = ident(&op.method_name);
        let with_response = ident(&op.method_with_response);
        let path = &op.path;
        let method = format_ident!("{}", op.method);
        let id = &op.id;
        let repeatable = op.repeatable;

        // Arguments: parameters first, then the body.
        let mut params = Vec::new();
        let mut args = Vec::new();
        let mut checks = Vec::new();
        let mut path_values = Vec::new();
        let mut query = Vec::new();
        match &op.params_style {
            ParamsStyle::None => {}
            ParamsStyle::Single => {
                let p = &op.params[0];
                let arg = ident(&p.rust);
                params.push(quote!(#arg: &str));
                args.push(quote!(#arg));
                let json = &p.name;
                checks.push(self.check(&p.shape, quote!(rules::Path::Field(#json)), quote!(#arg)));
                path_values.push(quote!(#arg));
            }
            ParamsStyle::Struct(type_name) => {
                let ty = ident(&type_name.rust);
                params.push(quote!(params: &#ty));
                args.push(quote!(params));
                checks.push(quote!(crate::rules::Validate::validate(params)?;));
                for p in &op.params {
                    let field = ident(&p.rust);
                    let json = &p.name;
                    match p.location {
                        ParamIn::Path => path_values.push(match &p.shape.ty {
                            Ty::String => quote!(params.#field.as_str()),
                            Ty::Named(_) => quote!(params.#field.as_str()),
                            _ => quote!(&params.#field.to_string()),
                        }),
                        ParamIn::Query => {
                            let text = |value: TokenStream, ty: &Ty| match ty {
                                Ty::String => quote!(#value.clone()),
                                _ => quote!(#value.to_string()),
                            };
                            let push = match &p.shape.ty {
                                Ty::Array(item) if p.explode => {
                                    let item_text = text(quote!(item), &item.ty);
                                    quote! {
                                        for item in value {
                                            query.push((#json, #item_text));
                                        }
                                    }
                                }
                                Ty::Array(item) if item.ty == Ty::String => {
                                    quote!(query.push((#json, value.join(",")));)
                                }
                                Ty::Array(_) => {
                                    quote! {
                                        let items: Vec<String> = value.iter().map(std::string::ToString::to_string).collect();
                                        query.push((#json, items.join(",")));
                                    }
                                }
                                ty => {
                                    let value_text = text(quote!(value), ty);
                                    quote!(query.push((#json, #value_text));)
                                }
                            };
                            query.push(if p.required {
                                quote! { let value = &params.#field; #push }
                            } else {
                                quote! { if let Some(value) = &params.#field { #push } }
                            });
                        }
                    }
                }
            }
        }
        let body_expr = match &op.body {
            Some(body) => {
                let ty = ident(&body.ty.rust);
                // The cost guard, for a request that carries an SMS text.
                let guard = match self.api.type_def(&body.ty) {
                    Some(crate::model::TypeDef::Struct(s)) => s.sms.as_ref().map(|sms| {
                        let text = &sms.text;
                        quote!(self.check_parts(#text, || request.estimate())?;)
                    }),
                    _ => None,
                };
                if body.required {
                    params.push(quote!(request: &#ty));
                    checks.push(quote!(crate::rules::Validate::validate(request)?; #guard));
                    quote!(Some(request))
                } else {
                    params.push(quote!(request: Option<&#ty>));
                    checks.push(quote! {
                        if let Some(request) = request {
                            crate::rules::Validate::validate(request)?;
                            #guard
                        }
                    });
                    quote!(request)
                }
            }
            None => quote!(None::<&()>),
        };
        if op.body.is_some() {
            args.push(quote!(request));
        }

        let (returns, decode, unwrap) = match &op.success.body {
            SuccessBody::Nothing => (quote!(()), quote!(crate::call::nothing), TokenStream::new()),
            SuccessBody::Json { ty, unwrap } => {
                let body_ty = rust_type(ty);
                match unwrap {
                    Some(u) => {
                        let field = ident(&u.rust);
                        (
                            rust_type(&u.ty),
                            quote!(crate::call::json::<#body_ty>),
                            quote!(.map(|response| response.map(|body| body.#field))),
                        )
                    }
                    None => (
                        body_ty.clone(),
                        quote!(crate::call::json::<#body_ty>),
                        TokenStream::new(),
                    ),
                }
            }
            SuccessBody::MaybeJson(ty) => {
                let body_ty = rust_type(ty);
                (
                    quote!(Option<#body_ty>),
                    quote!(crate::call::json_if_any::<#body_ty>),
                    TokenStream::new(),
                )
            }
        };
        let query_init = if query.is_empty() {
            quote!(let query = Vec::new();)
        } else {
            quote! {
                let mut query = Vec::new();
                #(#query)*
            }
        };
        let doc = doc_sections(&self.method_doc(op));
        let with_response_doc = doc_outer(&format!(
            "`{} {}` (operation `{}`), like [`{name}`](Client::{name}), also returning the status, the headers and the attempt count of the answer.\n\n# Errors\n\nAs for [`{name}`](Client::{name}).",
            op.method, op.path, op.id
        ));
        quote! {
            #doc
            pub async fn #name(&self, #(#params),*) -> Result<#returns, Error> {
                self.#with_response(#(#args),*).await.map(Response::into_data)
            }

            #with_response_doc
            pub async fn #with_response(&self, #(#params),*) -> Result<Response<#returns>, Error> {
                #(#checks)*
                const OPERATION: Operation = Operation { id: #id, method: Method::#method, path: #path, repeatable: #repeatable };
                #query_init
                let call = Call { path_params: &[#(#path_values),*], query, body: #body_expr };
                self.execute(&OPERATION, call, #decode).await #unwrap
            }
        }
    }

    /// The summary, the description, and the generator's text, as separate sections.
    fn method_doc(&self, op: &Operation) -> Vec<String> {
        let mut sections: Vec<String> = Vec::new();
        sections.extend(op.summary.clone());
        sections.extend(op.description.clone());
        let mut doc = String::new();
        let statuses = op
            .success
            .statuses
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(" or ");
        let returns_doc = match &op.success.body {
            SuccessBody::Json {
                unwrap: Some(u), ..
            } => format!("the `{}` of the {statuses} answer", u.field),
            SuccessBody::Json { .. } => format!("the {statuses} answer"),
            SuccessBody::MaybeJson(_) => {
                format!("the {statuses} answer, `None` when it has no body")
            }
            SuccessBody::Nothing => format!("nothing (the {statuses} answer has no body)"),
        };
        doc.push_str(&format!(
            "`{} {}` (operation `{}`); returns {returns_doc}.",
            op.method, op.path, op.id
        ));
        sections.push(std::mem::take(&mut doc));
        for p in &op.params {
            if let Some(d) = &p.doc {
                let place = match p.location {
                    ParamIn::Path => "path",
                    ParamIn::Query => "query",
                };
                sections.push(format!("`{}` ({place}): {}", p.name, d.trim()));
            }
        }
        let checked = match (&op.params_style, &op.body) {
            (_, Some(_)) => Some("`request`"),
            (ParamsStyle::Struct(_), None) => Some("`params`"),
            (ParamsStyle::Single, None) if op.params.iter().any(|p| !p.shape.rules.is_empty()) => {
                Some("an argument")
            }
            _ => None,
        };
        if !op.callbacks.is_empty() {
            let lines: Vec<String> = op
                .callbacks
                .iter()
                .map(|c| {
                    format!(
                        "- `{}`: `{} {}` with a [`{}`](crate::{})",
                        c.name, c.method, c.expression, c.body.rust, c.body.rust
                    )
                })
                .collect();
            sections.push(format!(
                "# Webhooks\n\nWhat the API posts to the user afterwards, each decoded by its type:\n\n{}",
                lines.join("\n")
            ));
        }
        doc.push_str("# Errors\n\n");
        if let Some(what) = checked {
            doc.push_str(&format!(
                "[`Error::Validation`] when {what} breaks a rule of the spec: nothing is sent then. "
            ));
        }
        doc.push_str(&format!(
            "[`Error::Api`] when the API answers with an error status{}; the other variants of [`Error`] for transport and decoding failures.",
            self.error_bodies(op)
        ));
        if op.body.is_some() {
            doc.push_str(
                " [`Error::may_have_been_sent`] tells whether the request may have been processed.",
            );
        }
        sections.push(doc);
        sections
    }

    /// ` (403: [`X`](crate::X); default: ...)`: the declared error bodies. Those the
    /// runtime reads itself land in [`ApiError::errors`]; others are read with
    /// `ApiError::decode_body`.
    fn error_bodies(&self, op: &Operation) -> String {
        let described: Vec<String> = op
            .errors
            .iter()
            .filter_map(|e| {
                let body = match e.body.as_ref()? {
                    Ty::Named(n) => format!("[`{}`](crate::{})", n.rust, n.rust),
                    // The runtime reads its own error types into `ApiError::errors`.
                    Ty::External(path) if RUNTIME_ERROR_TYPES.contains(&path.as_str()) => {
                        "the API's errors, read into [`ApiError::errors`](crate::error::ApiError::errors)"
                            .to_owned()
                    }
                    Ty::External(path) => {
                        let last = path.rsplit("::").next().unwrap_or(path);
                        format!("[`{last}`]({path})")
                    }
                    other => format!("`{}`", rust_type(other)),
                };
                Some(format!("{}: {body}", e.status))
            })
            .collect();
        // Whether every declared body is one the runtime reads into `ApiError::errors`.
        let runtime_only = op.errors.iter().all(|e| match &e.body {
            Some(Ty::External(path)) => RUNTIME_ERROR_TYPES.contains(&path.as_str()),
            Some(_) => false,
            None => true,
        });
        if described.is_empty() {
            String::new()
        } else if runtime_only {
            format!(" ({})", described.join("; "))
        } else {
            format!(
                " ({}; read a body with [`ApiError::decode_body`](crate::error::ApiError::decode_body))",
                described.join("; ")
            )
        }
    }
}
