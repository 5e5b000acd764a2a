//! [`Api`] -> Rust tokens -> formatted text. Every Rust name comes resolved in the model.
//!
//! - `types`: structs, their builders and validation;
//! - `enums`: open string enums and `oneOf` enums;
//! - `operations`: the client methods;
//! - `rules`: rule data and the statements that check a value;
//! - `docs`: spec text -> doc comments that can never run or break the build.
//!
//! The emitted code leans on the hand-written runtime of the generated crate
//! (`crate::client`, `crate::call`, `crate::rules`, `crate::StringOrNumber`): anything that
//! is the same for every type lives there once instead of being stamped out per type.

mod dispatch;
mod docs;
mod enums;
mod operations;
mod rules;
mod types;

use proc_macro2::TokenStream;
use quote::quote;

use crate::error::{CodegenError, ErrorKind};
use crate::model::{Api, Ty, TypeDef};
use crate::names::ident;

/// The two generated source files, as (path under the crate's `src/`, formatted text).
/// They live in a folder of their own, `src/generated/`, beside the hand-written runtime.
pub(crate) fn emit(api: &Api) -> Result<Vec<(&'static str, String)>, CodegenError> {
    let emitter = Emitter { api };
    Ok(vec![
        ("generated/types.rs", format(emitter.types_file())?),
        (
            "generated/operations.rs",
            format(emitter.operations_file())?,
        ),
    ])
}

/// Formats a file with prettyplease, one item at a time so that items are separated by a
/// blank line (prettyplease itself packs them together).
/// The tests' dispatch module for the crate at the Rust path `krate` (see `dispatch`).
pub(crate) fn emit_dispatch(api: &Api, krate: &str) -> Result<String, CodegenError> {
    let krate: syn::Path = syn::parse_str(krate).map_err(|e| {
        CodegenError::new(
            "#",
            ErrorKind::Internal(format!("`{krate}` is no Rust path: {e}")),
        )
    })?;
    format(Emitter { api }.dispatch_file(&krate))
}

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

fn rust_type(ty: &Ty) -> TokenStream {
    match ty {
        Ty::String => quote!(String),
        Ty::Integer => quote!(i64),
        Ty::Number => quote!(f64),
        Ty::Boolean => quote!(bool),
        Ty::Named(name) => {
            let ident = ident(&name.rust);
            quote!(#ident)
        }
        Ty::External(path) => {
            // Checked to be a Rust path when the settings were read.
            syn::parse_str::<syn::Path>(path).map_or_else(|_| quote!(()), |p| quote!(#p))
        }
        Ty::Array(item) => {
            let item = rust_type(&item.ty);
            quote!(Vec<#item>)
        }
        Ty::Map(value) => {
            let value = rust_type(&value.ty);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        Ty::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
        Ty::Any => quote!(serde_json::Value),
        Ty::StringOrNumber => quote!(crate::StringOrNumber),
    }
}

impl Emitter<'_> {
    /// Whether a setter takes `impl Into<T>` rather than `T`. An enum is taken as the
    /// enum: a string would compile and only fail when sent (its `Unknown` arm stays
    /// reachable on purpose, through `From<&str>`).
    fn takes_into(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Named(name) => !matches!(self.api.type_def(name), Some(TypeDef::Enum(_))),
            _ => matches!(
                ty,
                Ty::String | Ty::External(_) | Ty::StringOrNumber | Ty::Any
            ),
        }
    }

    fn param_type(&self, ty: &Ty) -> TokenStream {
        match ty {
            Ty::Array(item) if self.takes_into(&item.ty) => {
                let item = rust_type(&item.ty);
                quote!(impl IntoIterator<Item = impl Into<#item>>)
            }
            Ty::Array(item) => {
                let item = rust_type(&item.ty);
                quote!(impl IntoIterator<Item = #item>)
            }
            ty if self.takes_into(ty) => {
                let ty = rust_type(ty);
                quote!(impl Into<#ty>)
            }
            ty => rust_type(ty),
        }
    }

    /// Turns a setter argument into the field's type.
    fn convert(&self, ty: &Ty, value: TokenStream) -> TokenStream {
        match ty {
            Ty::Array(item) if self.takes_into(&item.ty) => {
                quote!(#value.into_iter().map(Into::into).collect())
            }
            Ty::Array(_) => quote!(#value.into_iter().collect()),
            ty if self.takes_into(ty) => quote!(#value.into()),
            _ => value,
        }
    }
}
