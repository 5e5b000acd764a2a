//! Spec names -> Rust names, in one place.
//!
//! `parse` calls these once per name, refusing with the JSON pointer any name that would
//! not make a usable Rust identifier, and stores the result in the model; `emit` only
//! turns the stored names into identifiers.

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Names the runtime or the prelude already use at the crate root: a generated type of
/// the same name would clash with, or silently shadow, them.
const RESERVED_TYPES: &[&str] = &[
    "Alternative",
    "ApiError",
    "ApiErrorKind",
    "BTreeMap",
    "Call",
    // The generic parameters of the generated `Serialize` and `Deserialize` impls.
    "D",
    "Decode",
    "ErrorBody",
    "ErrorDetail",
    "ErrorSource",
    "Box",
    "Client",
    "ClientBuilder",
    "Default",
    "Deserialize",
    "Err",
    "Error",
    "Format",
    "From",
    "HeaderMap",
    "Into",
    "IntoIterator",
    "Iterator",
    "Method",
    "None",
    "Ok",
    "Operation",
    "Option",
    "RequestOptions",
    "Response",
    "Result",
    "RetryPolicy",
    "Rule",
    "S",
    "Self",
    "Serialize",
    "Some",
    "String",
    "StringOrNumber",
    "TimeoutLimit",
    "ToString",
    "Validate",
    "ValidationError",
    "Vec",
];

/// Methods `Client` already has, public or private, by itself or through the traits it
/// implements (a test reads the runtime's `impl Client` blocks and checks each is here).
const RESERVED_METHODS: &[&str] = &[
    "assemble",
    "check_parts",
    "attempt",
    "base_url",
    "builder",
    "clone",
    "clone_from",
    "execute",
    "fmt",
    "from_env",
    "new",
    "with_options",
];

/// The local variables of a generated method: an argument of the same name would be
/// shadowed by them.
pub(crate) const METHOD_LOCALS: &[&str] = &[
    "call", "query", "request", "params", "value", "item", "items",
];

/// Appended to an operation's method name for the method that also returns the status
/// and headers of the answer.
pub(crate) const WITH_RESPONSE: &str = "_with_response";

/// The field that keeps the properties an object does not declare, when its
/// `additionalProperties` has a schema.
pub(crate) const ADDITIONAL_PROPERTIES: &str = "additional_properties";

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

/// A plain ASCII identifier: a letter or `_` first, then letters, digits and `_`.
fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && s != "_"
}

/// The Rust type name of a schema (`CreateMessageRequest`), or why there is none.
pub(crate) fn type_name(spec: &str) -> Result<String, String> {
    let rust = spec.to_upper_camel_case();
    if !is_identifier(&rust) || KEYWORDS.contains(&rust.as_str()) {
        return Err(format!(
            "schema name `{spec}` does not make a Rust type name (`{rust}`)"
        ));
    }
    if RESERVED_TYPES.contains(&rust.as_str()) {
        return Err(format!(
            "schema name `{spec}` becomes `{rust}`, which the runtime or the prelude already uses"
        ));
    }
    Ok(rust)
}

/// The Rust field and setter name of a property (`type` -> `type_`), or why there is none.
pub(crate) fn field_name(spec: &str) -> Result<String, String> {
    let mut rust = spec.to_snake_case();
    if rust.starts_with(|c: char| c.is_ascii_digit()) {
        rust.insert(0, '_');
    }
    if KEYWORDS.contains(&rust.as_str()) || matches!(rust.as_str(), "new" | "validate" | "build") {
        // `new`, `validate` and `build` would collide with the constructor, `Validate`
        // and the builders' `build`.
        rust.push('_');
    }
    if is_identifier(&rust) {
        Ok(rust)
    } else {
        Err(format!(
            "property name `{spec}` does not make a Rust field name (`{rust}`)"
        ))
    }
}

/// The Rust variant name of an enum value (`sending_failed` -> `SendingFailed`, `""` ->
/// `Empty`), or why there is none.
pub(crate) fn variant_name(value: &str) -> Result<String, String> {
    let mut rust = value.to_upper_camel_case();
    if value.is_empty() {
        rust = "Empty".to_owned();
    } else if rust.starts_with(|c: char| c.is_ascii_digit()) {
        rust.insert(0, 'V');
    }
    if !is_identifier(&rust) || KEYWORDS.contains(&rust.as_str()) {
        return Err(format!(
            "enum value {value:?} does not make a Rust variant name (`{rust}`)"
        ));
    }
    if rust == "Unknown" {
        return Err(format!(
            "enum value {value:?} becomes `Unknown`, the variant that keeps values the spec does not list"
        ));
    }
    Ok(rust)
}

/// The Rust method name of an operation (`SendMessage` -> `send_message`), or why there
/// is none.
pub(crate) fn method_name(operation_id: &str) -> Result<String, String> {
    let rust = operation_id.to_snake_case();
    if !is_identifier(&rust) || KEYWORDS.contains(&rust.as_str()) {
        return Err(format!(
            "operationId `{operation_id}` does not make a Rust method name (`{rust}`)"
        ));
    }
    if RESERVED_METHODS.contains(&rust.as_str()) {
        return Err(format!(
            "operationId `{operation_id}` becomes `{rust}`, a method `Client` already has"
        ));
    }
    Ok(rust)
}

/// The typestate builder of request type `rust` (`CreateMessageRequestBuilder`).
pub(crate) fn builder_name(rust: &str) -> String {
    format!("{rust}Builder")
}

/// An identifier from a name the model resolved (and so checked).
pub(crate) fn ident(checked: &str) -> Ident {
    Ident::new(checked, Span::call_site())
}
