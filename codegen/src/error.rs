//! The one error type of the generator: where in the spec, and what is wrong there.

use std::fmt;

/// A spec the generator cannot turn into correct code.
///
/// `pointer` is a JSON pointer into the spec document (`#` for the whole document) so a
/// maintainer can jump straight to the construct; `kind` says what is wrong with it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CodegenError {
    /// JSON pointer (RFC 6901, in URI fragment form) of the offending construct.
    pub pointer: String,
    /// What is wrong there.
    pub kind: ErrorKind,
}

/// The ways a spec can be refused.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The text is not valid YAML.
    Yaml(String),
    /// The YAML is not an OpenAPI 3.0 document.
    NotOpenApi(String),
    /// A `$ref` that points at nothing.
    DanglingRef(String),
    /// A valid OpenAPI construct this generator does not support.
    Unsupported(String),
    /// An operation without `operationId`: its method name would have to be guessed.
    MissingOperationId,
    /// Two operations share an `operationId`.
    DuplicateOperationId {
        /// The repeated id.
        id: String,
        /// Pointer of the operation that used it first.
        first: String,
    },
    /// A `pattern` the regex engine of the generated crate cannot compile.
    InvalidPattern {
        /// The pattern as written in the spec.
        pattern: String,
        /// The regex engine's complaint.
        reason: String,
    },
    /// A name that does not make a usable Rust identifier.
    InvalidName(String),
    /// Two spec names map to the same Rust name.
    NameCollision(String),
    /// The spec contradicts itself (e.g. a default outside its enum).
    Invalid(String),
    /// The emitted tokens did not parse as Rust: a bug in the generator itself.
    Internal(String),
}

impl CodegenError {
    pub(crate) fn new(pointer: impl Into<String>, kind: ErrorKind) -> Self {
        Self {
            pointer: pointer.into(),
            kind,
        }
    }

    pub(crate) fn unsupported(pointer: &str, what: impl Into<String>) -> Self {
        Self::new(pointer, ErrorKind::Unsupported(what.into()))
    }

    pub(crate) fn invalid(pointer: &str, what: impl Into<String>) -> Self {
        Self::new(pointer, ErrorKind::Invalid(what.into()))
    }

    pub(crate) fn invalid_name(pointer: &str, why: String) -> Self {
        Self::new(pointer, ErrorKind::InvalidName(why))
    }

    pub(crate) fn internal(pointer: &str, what: &str) -> Self {
        Self::new(pointer, ErrorKind::Internal(what.to_owned()))
    }
}

impl fmt::Display for CodegenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.pointer)?;
        match &self.kind {
            ErrorKind::Yaml(e) => write!(f, "invalid YAML: {e}"),
            ErrorKind::NotOpenApi(e) => write!(f, "not an OpenAPI 3.0 document: {e}"),
            ErrorKind::DanglingRef(r) => write!(f, "`$ref: {r}` points at nothing"),
            ErrorKind::Unsupported(what) => write!(f, "unsupported: {what}"),
            ErrorKind::MissingOperationId => write!(
                f,
                "operation has no `operationId` (it names the generated method)"
            ),
            ErrorKind::DuplicateOperationId { id, first } => {
                write!(f, "duplicate operationId `{id}` (first used at {first})")
            }
            ErrorKind::InvalidPattern { pattern, reason } => {
                write!(f, "pattern `{pattern}` does not compile: {reason}")
            }
            ErrorKind::InvalidName(what) => write!(f, "unusable name: {what}"),
            ErrorKind::NameCollision(what) => write!(f, "name collision: {what}"),
            ErrorKind::Invalid(what) => write!(f, "invalid spec: {what}"),
            ErrorKind::Internal(what) => write!(f, "internal generator error: {what}"),
        }
    }
}

impl std::error::Error for CodegenError {}

/// Appends one reference token to a JSON pointer, escaping `~` and `/` as RFC 6901 asks.
pub(crate) fn join(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", token.replace('~', "~0").replace('/', "~1"))
}
