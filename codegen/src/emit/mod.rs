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

/// A generated source file: its path under the crate's `src/`, and its formatted text.
pub(crate) type File = (&'static str, String);

/// The two generated source files, as (path under the crate's `src/`, formatted text).
/// They live in a folder of their own, `src/generated/`, beside the hand-written runtime.
pub(crate) fn emit(api: &Api) -> Result<Vec<File>, CodegenError> {
    emit_with(api, None).map(|(files, _)| files)
}

/// The crate's files and, for `Some(krate)`, the tests' dispatch module, laid out on two
/// threads: the first half of the types (and the dispatch module) on this one, the rest of
/// the types and the operations on the other (tokens cannot cross threads, so each thread
/// emits its own). Laying out takes most of a regen, and the machine has a core to spare;
/// one spawned thread means one more allocator arena to grow, not three.
pub(crate) fn emit_with(
    api: &Api,
    dispatch: Option<&str>,
) -> Result<(Vec<File>, Option<String>), CodegenError> {
    let (first, dispatch, rest, operations) = std::thread::scope(|scope| {
        let others = scope.spawn(|| {
            let emitter = Emitter { api };
            (
                format(emitter.types_file_rest()),
                format(emitter.operations_file()),
            )
        });
        let first = format(Emitter { api }.types_file_first());
        let dispatch = dispatch.map(|krate| emit_dispatch(api, krate));
        let (rest, operations) = others
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (first, dispatch, rest, operations)
    });
    let (first, rest) = (first?, rest?);
    // Items are separated by a blank line, the second part's first item too.
    let types = if rest.is_empty() {
        first
    } else {
        format!("{first}\n{rest}")
    };
    Ok((
        vec![
            ("generated/types.rs", types),
            ("generated/operations.rs", operations?),
        ],
        dispatch.transpose()?,
    ))
}

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

/// The tokens of a file as rustfmt would lay them out (see `crate::fmt`).
fn format(tokens: TokenStream) -> Result<String, CodegenError> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        CodegenError::new(
            "#",
            ErrorKind::Internal(format!("emitted tokens do not parse: {e}")),
        )
    })?;
    crate::fmt::file(&file).map_err(|item| {
        CodegenError::new(
            "#",
            ErrorKind::Internal(format!(
                "the formatter does not cover a construct of this item: {item}"
            )),
        )
    })
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
