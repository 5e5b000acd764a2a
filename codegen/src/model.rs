//! The intermediate model: what the emitter needs to know, and nothing of OpenAPI's shape.
//!
//! `parse` builds it from the spec, `emit` turns it into Rust. Every name is resolved
//! here, once: each item keeps the spec's (wire) name beside the Rust name it gets, and
//! the emitter only spells what the model says.

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
    /// The requests the API makes to the user outside any operation (3.1's `webhooks`).
    pub webhooks: Vec<Callback>,
}

impl Api {
    /// The type definition of a name, if the spec defines it (replaced schemas have none).
    pub fn type_def(&self, name: &TypeName) -> Option<&TypeDef> {
        self.types.iter().find(|t| t.name() == name)
    }
}

/// A named type: the spec's name (component or inline hint) and its Rust name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TypeName {
    /// The component name, or the parent's name plus the property's for inline schemas.
    pub spec: String,
    /// The Rust type name.
    pub rust: String,
}

/// One HTTP operation: two async methods on the client.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId`.
    pub id: String,
    /// The Rust method name (`send_message`).
    pub method_name: String,
    /// The Rust name of the twin that also returns the status and headers.
    pub method_with_response: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// The path template, e.g. `/messages/{id}`.
    pub path: String,
    /// Repeating the request does no harm: from the HTTP method (GET, HEAD, OPTIONS, PUT,
    /// DELETE, TRACE are idempotent in HTTP's sense), or the operation's `x-idempotent`.
    /// The runtime's retry policy resends such a request after any transient failure.
    pub repeatable: bool,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// Path and query parameters, path ones first in template order.
    pub params: Vec<Param>,
    /// How the method takes its parameters.
    pub params_style: ParamsStyle,
    /// The JSON request body, if any.
    pub body: Option<Body>,
    /// What a 2xx answer decodes to.
    pub success: Success,
    /// The declared error answers, in spec order (for the documentation: the runtime
    /// decodes every error answer itself).
    pub errors: Vec<ErrorResponse>,
    /// The webhooks the API posts after this operation (its `callbacks`), in spec order.
    pub callbacks: Vec<Callback>,
    /// JSON pointer of the operation.
    pub pointer: String,
}

/// A request the API makes to the user after an operation (an OpenAPI callback, such as a
/// delivery status webhook): the type a receiver decodes it into.
#[derive(Debug, Clone, PartialEq)]
pub struct Callback {
    /// The callback's name in the spec (`deliveryUpdate`).
    pub name: String,
    /// Where it is sent: a runtime expression such as `{$request.body#/webhook_url}`.
    pub expression: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// The body's type: a component schema.
    pub body: TypeName,
    /// The headers it is sent with (such as a signature), by name.
    pub headers: Vec<String>,
}

/// How a method takes the operation's parameters.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamsStyle {
    /// No parameters.
    None,
    /// One path parameter and nothing else: a plain argument.
    Single,
    /// Several parameters, or any query parameter: a generated struct with a
    /// constructor for the required ones and setters for the rest.
    Struct(TypeName),
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamIn {
    /// A `{name}` segment of the path, percent-encoded.
    Path,
    /// A query pair, form-encoded.
    Query,
}

/// One path or query parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The wire name.
    pub name: String,
    /// The Rust argument or field name.
    pub rust: String,
    /// Path or query.
    pub location: ParamIn,
    /// Path parameters always are.
    pub required: bool,
    /// `description`.
    pub doc: Option<String>,
    /// Type and rules: checked before any I/O like a body field.
    pub shape: Shape,
    /// `example` of the parameter, else of its schema.
    pub example: Option<Value>,
    /// An array query parameter repeats its name per item (`explode`, the default), or
    /// joins its items with commas.
    pub explode: bool,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// The body's object type.
    pub ty: TypeName,
    /// `required: true`; otherwise the method takes an `Option`.
    pub required: bool,
}

/// The 2xx answers of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Success {
    /// The declared statuses (`200`, `204`, `2XX`), in spec order.
    pub statuses: Vec<String>,
    /// What their bodies decode to.
    pub body: SuccessBody,
}

/// What the 2xx answers of an operation carry.
#[derive(Debug, Clone, PartialEq)]
pub enum SuccessBody {
    /// None of them has a body: the method returns `()`.
    Nothing,
    /// Every one has a JSON body of this type.
    Json {
        /// The type of the whole body.
        ty: Ty,
        /// When the body is an envelope `{data: T}`, the method returns `T`.
        unwrap: Option<Unwrap>,
    },
    /// Some have a JSON body of this type, some none: the method returns an `Option`.
    MaybeJson(Ty),
}

/// The single required property of an envelope response that the method returns.
#[derive(Debug, Clone, PartialEq)]
pub struct Unwrap {
    /// Property name (`data`).
    pub field: String,
    /// Its Rust field name.
    pub rust: String,
    /// Its type.
    pub ty: Ty,
}

/// A declared error answer.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorResponse {
    /// `403`, `4XX` or `default`.
    pub status: String,
    /// Its JSON body's type, when it declares one.
    pub body: Option<Ty>,
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeDef {
    /// An object schema.
    Struct(Struct),
    /// A string schema with `enum`.
    Enum(Enum),
    /// A `oneOf`.
    OneOf(OneOf),
}

impl TypeDef {
    /// The name of the type.
    pub fn name(&self) -> &TypeName {
        match self {
            TypeDef::Struct(s) => &s.name,
            TypeDef::Enum(e) => &e.name,
            TypeDef::OneOf(o) => &o.name,
        }
    }
}

/// An object schema with declared properties.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// Type name.
    pub name: TypeName,
    /// `description`.
    pub doc: Option<String>,
    /// Properties in spec order (`allOf` members merged in member order).
    pub fields: Vec<Field>,
    /// The `required` list, in spec order: the constructor's argument order.
    pub required_order: Vec<String>,
    /// Object-level `anyOf` groups: in each group, at least one alternative must hold
    /// (e.g. `from` or `messaging_profile_id` set).
    pub required_any_of: Vec<Vec<Condition>>,
    /// `additionalProperties` with a schema beside the declared properties: the other
    /// properties, kept in a map.
    pub additional: Option<Box<Shape>>,
    /// Reachable from a request body or parameters: gets a constructor, setters and
    /// validation.
    pub in_request: bool,
    /// `x-sms`: the properties that hold an SMS text, its requested encoding and the media
    /// that make it an MMS; such a request gets `estimate()` and the cost guard.
    pub sms: Option<SmsText>,
    /// Reachable only from the bodies of callbacks (webhooks): decoded only after the
    /// runtime's webhook checks (or by their explicitly unverified twin), so it has no
    /// `Deserialize` of its own.
    pub webhook_only: bool,
    /// JSON pointer of the schema.
    pub pointer: String,
}

/// The properties of a request that hold an SMS (the `x-sms` extension), by wire name.
#[derive(Debug, Clone, PartialEq)]
pub struct SmsText {
    /// The text (a string).
    pub text: String,
    /// The requested encoding (a string or a string enum: `auto`, `gsm7`, `ucs2`).
    pub encoding: Option<String>,
    /// Media whose presence makes the message an MMS, whose text is not split in parts.
    pub media: Option<String>,
}

/// One alternative of an object-level `anyOf`: properties that must be set, and rules
/// that properties must meet when they are set (JSON Schema's `properties` constrain only
/// the properties present).
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// `required`.
    pub required: Vec<String>,
    /// `properties`: each named property, when set, meets its shape's rules.
    pub constraints: Vec<(String, Shape)>,
}

/// One property of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The JSON property name.
    pub name: String,
    /// The Rust field and setter name.
    pub rust: String,
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
    /// `example`, as written in the spec (the property's own, else the referenced
    /// schema's): documentation, and the tests' source of valid values.
    pub example: Option<Value>,
    /// Boxed: the field's type contains the struct itself (directly, not through a list
    /// or a map), which would otherwise make a type of infinite size.
    pub boxed: bool,
}

/// A type plus the rules its values must obey.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// The Rust-level type.
    pub ty: Ty,
    /// Rules from schema keywords, enforced on request values before sending.
    pub rules: Vec<Rule>,
    /// The `format` as written, when the generator does not check it: named in the
    /// documentation only.
    pub format_doc: Option<String>,
    /// Personal data (`x-sensitive: true` on the schema, its items or a member): `Debug`
    /// shows `<redacted>` instead of the value.
    pub sensitive: bool,
}

impl Shape {
    /// A shape without rules.
    pub fn plain(ty: Ty) -> Self {
        Shape {
            ty,
            rules: Vec::new(),
            format_doc: None,
            sensitive: false,
        }
    }
}

/// The types the generator maps schemas to.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// `type: string` without `enum`.
    String,
    /// `type: integer`.
    Integer,
    /// `type: number`.
    Number,
    /// `type: boolean`.
    Boolean,
    /// A generated struct, enum or `oneOf` enum.
    Named(TypeName),
    /// A hand-written type a schema was mapped onto (`Settings::with_replacement`).
    External(String),
    /// `type: array`; the item shape carries the item rules.
    Array(Box<Shape>),
    /// `additionalProperties` with a schema and no declared properties: a map.
    Map(Box<Shape>),
    /// A free-form object.
    JsonObject,
    /// A schema that says nothing of its type: any JSON value.
    Any,
    /// `anyOf: [string, number]`: kept as written on the wire.
    StringOrNumber,
}

impl Ty {
    /// The generated type this type refers to, directly or through arrays and maps.
    pub fn named(&self) -> Option<&TypeName> {
        match self {
            Ty::Named(name) => Some(name),
            Ty::Array(item) | Ty::Map(item) => item.ty.named(),
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

impl Format {
    /// The spec's name of the format.
    pub fn name(self) -> &'static str {
        match self {
            Format::Uuid => "uuid",
            Format::DateTime => "date-time",
            Format::Date => "date",
            Format::Uri => "uri",
        }
    }
}

/// A rule from a schema keyword.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// `minLength` (in characters).
    MinLength(u64),
    /// `maxLength` (in characters).
    MaxLength(u64),
    /// `pattern`: as the spec writes it (an ECMA-262 regular expression), and the
    /// equivalent the generated crate's regex engine runs.
    Pattern {
        /// As written in the spec.
        spec: String,
        /// For `regex-lite`.
        regex: String,
    },
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
    pub name: TypeName,
    /// `description`.
    pub doc: Option<String>,
    /// The listed values with their Rust variant names, in spec order.
    pub values: Vec<Variant>,
    /// `default`, if it is one of the values.
    pub default: Option<String>,
}

/// A value of an enum and its Rust variant name.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// The value on the wire.
    pub value: String,
    /// The Rust variant name.
    pub rust: String,
}

/// A `oneOf`: a Rust enum with a variant per member and an `Unknown` arm that keeps any
/// other shape as JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct OneOf {
    /// Type name.
    pub name: TypeName,
    /// `description`.
    pub doc: Option<String>,
    /// The members, in spec order.
    pub variants: Vec<OneOfVariant>,
    /// How a value picks its member.
    pub tag: Option<Tag>,
    /// Reachable from a request: validated by its member's rules.
    pub in_request: bool,
    /// Reachable only from the bodies of callbacks: no `Deserialize` of its own (see
    /// [`Struct::webhook_only`]).
    pub webhook_only: bool,
}

/// One member of a `oneOf`.
#[derive(Debug, Clone, PartialEq)]
pub struct OneOfVariant {
    /// The Rust variant name.
    pub rust: String,
    /// The member's type and rules (checked when a request holds this member).
    pub shape: Shape,
    /// Boxed: the member contains the `oneOf` itself (directly, not through a list).
    pub boxed: bool,
    /// The tag values that select this member (with a [`Tag`]).
    pub tag_values: Vec<String>,
}

/// The property whose value names the member of a `oneOf`.
#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    /// The property name.
    pub property: String,
    /// From the spec's `discriminator`, or found: a property that every member declares
    /// as a string enum of its own distinct values.
    pub declared: bool,
}
