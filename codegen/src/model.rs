//! The intermediate model: what the emitter needs to know, and nothing of OpenAPI's shape.
//!
//! `parse` builds it from the spec, `emit` turns it into Rust. Every name here is still the
//! spec's name (`operationId`, schema and property names); Rust naming happens in `emit`.

use serde_json::Value;

/// Everything the generated crate is made of.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// The first `servers` URL: the client's default base URL.
    pub base_url: String,
    /// Operations, in spec order (paths, then methods).
    pub operations: Vec<Operation>,
    /// Named types: component schemas first, then inline ones in discovery order.
    pub types: Vec<TypeDef>,
}

/// One HTTP operation: one async method on the client.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId`.
    pub id: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// The path template, e.g. `/messages`.
    pub path: String,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// Type of the JSON request body, if any.
    pub request: Option<String>,
    /// What a 2xx response decodes to.
    pub response: Response,
    /// Type of the error body (from `default` or a 4XX/5XX response), if declared.
    pub error: Option<String>,
}

/// The success response of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The status code declared in the spec (e.g. 200).
    pub status: u16,
    /// The named type of the whole body.
    pub body: String,
    /// When the body is an envelope `{data: T}` with `data` required, the method returns `T`.
    pub unwrap: Option<Unwrap>,
}

/// The single required property of an envelope response that the method returns.
#[derive(Debug, Clone, PartialEq)]
pub struct Unwrap {
    /// Property name (`data`).
    pub field: String,
    /// Its type.
    pub ty: Ty,
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeDef {
    /// An object schema.
    Struct(Struct),
    /// A string schema with `enum`.
    Enum(Enum),
}

impl TypeDef {
    /// The spec name of the type.
    pub fn name(&self) -> &str {
        match self {
            TypeDef::Struct(s) => &s.name,
            TypeDef::Enum(e) => &e.name,
        }
    }
}

/// An object schema with declared properties.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// Type name (component name, or parent + property for inline objects).
    pub name: String,
    /// `description`.
    pub doc: Option<String>,
    /// Properties in spec order.
    pub fields: Vec<Field>,
    /// The `required` list, in spec order: the constructor's argument order.
    pub required_order: Vec<String>,
    /// Object-level `anyOf` groups of `required` lists: in each group, at least one list
    /// must have all its properties set (e.g. `from` or `messaging_profile_id`).
    pub required_any_of: Vec<Vec<Vec<String>>>,
    /// Reachable from a request body: gets a constructor, setters and validation.
    pub in_request: bool,
    /// JSON pointer of the schema, for documentation of where it comes from.
    pub pointer: String,
}

/// One property of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The JSON property name.
    pub name: String,
    /// The property's description, else the referenced schema's.
    pub doc: Option<String>,
    /// Type and rules.
    pub shape: Shape,
    /// Listed in the object's `required`.
    pub required: bool,
    /// `nullable: true`.
    pub nullable: bool,
    /// `default`, as written in the spec.
    pub default: Option<Value>,
}

/// A type plus the rules its values must obey.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// The Rust-level type.
    pub ty: Ty,
    /// Rules from schema keywords, enforced on request values before sending.
    pub rules: Vec<Rule>,
}

/// The types the generator maps schemas to.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// `type: string` without `enum`, with its `format` if any.
    String(Option<Format>),
    /// `type: integer`.
    Integer,
    /// `type: number`.
    Number,
    /// `type: boolean`.
    Boolean,
    /// A named struct or enum.
    Named(String),
    /// `type: array`; the item shape carries the item rules.
    Array(Box<Shape>),
    /// A free-form object.
    JsonObject,
    /// `anyOf: [string, number]`: kept as written on the wire.
    StringOrNumber,
}

impl Ty {
    /// The named types this type refers to, directly or through arrays.
    pub fn named(&self) -> Option<&str> {
        match self {
            Ty::Named(name) => Some(name),
            Ty::Array(item) => item.ty.named(),
            _ => None,
        }
    }
}

/// String formats the generated crate checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `uuid`.
    Uuid,
    /// `date-time` (RFC 3339).
    DateTime,
    /// `date` (RFC 3339 full-date).
    Date,
    /// `uri` (absolute URI).
    Uri,
}

/// A rule from a schema keyword.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// `minLength` (in characters).
    MinLength(u64),
    /// `maxLength` (in characters).
    MaxLength(u64),
    /// `pattern`.
    Pattern(String),
    /// `format`.
    Format(Format),
    /// `minItems`.
    MinItems(u64),
    /// `maxItems`.
    MaxItems(u64),
    /// `minimum`.
    Minimum(f64),
    /// `maximum`.
    Maximum(f64),
    /// `anyOf` of string schemas: the value must satisfy one alternative.
    AnyOf(Vec<Alternative>),
}

/// One alternative of an `anyOf`.
#[derive(Debug, Clone, PartialEq)]
pub struct Alternative {
    /// The referenced schema's name, or `alternative N` for inline ones.
    pub name: String,
    /// Its rules.
    pub rules: Vec<Rule>,
}

/// An open string enum.
#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    /// Type name.
    pub name: String,
    /// `description`.
    pub doc: Option<String>,
    /// The listed values, in spec order.
    pub values: Vec<String>,
    /// `default`, if it is one of the values.
    pub default: Option<String>,
}
