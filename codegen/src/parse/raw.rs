//! The raw document checked against the OpenAPI 3.0.3 object model, before openapiv3 reads
//! it.
//!
//! openapiv3 ignores every key it does not know: a path without its leading `/`, `POST:`,
//! `requestbody:`, `paramters:`, a misspelt keyword in a parameter or a schema... all vanish
//! without a word, and the generated client lacks the operation, the body or the rule.
//! [`check_document`] walks the `serde_yaml::Value` of the whole document and refuses, with
//! the JSON pointer of the offending key:
//!
//! - **Unknown keys.** Every object with fixed fields takes only the fields OpenAPI 3.0.3
//!   defines for it, plus `x-` extensions (lower-case `x-`, the only ones openapiv3 reads),
//!   whose values are never looked at. A near miss names the intended key (`requestbody`:
//!   did you mean `requestBody`?). In a Schema Object an unknown key is an unsupported
//!   keyword (JSON Schema has many OpenAPI 3.0 lacks); elsewhere it is invalid.
//! - **Maps of names** (`properties`, `schemas` and the other components sections,
//!   `content`, `headers`, `examples`, `links`, `encoding`, `variables`, `scopes`,
//!   `mapping`, security requirements, a link's `parameters`) take any string key, `x-`
//!   included: there it is a name. A key that YAML reads as something else (an unquoted
//!   number, boolean or null) is refused: quote it.
//! - **Patterned objects.** Paths: keys start with `/`, or are `x-` extensions. Responses:
//!   `default`, a status code from 100 to 599 (a string, or an unquoted YAML number), a
//!   range `1XX` to `5XX` with an upper-case X (openapiv3 would take `4xx`, the
//!   specification does not), or `x-`. Callbacks: any expression, or `x-`.
//! - **Reference Objects.** Wherever the specification allows `$ref`, a mapping with `$ref`
//!   is a Reference Object, and it has `$ref` (a string) and nothing else: OpenAPI 3.0
//!   ignores everything beside `$ref`, and so does openapiv3, so a `description`,
//!   `nullable: true` or extension written there would be lost. All siblings are refused,
//!   `description` and `x-` included; the message says where they belong instead (for a
//!   schema, `allOf: [{$ref: ...}]` with the keyword beside `allOf`). A Path Item's own
//!   `$ref` is refused when other fields sit beside it, as openapiv3 then keeps only the
//!   reference, and inside a callback at all, where openapiv3 drops it.
//! - **Values of the wrong kind.** A field whose value is not the kind the model says (a
//!   mapping for an object, a sequence for a list, a string, a boolean, a number, a count)
//!   is refused. That includes an empty value (YAML null), which openapiv3 reads as an
//!   absent optional field: `post:` with nothing under it would silently be no operation,
//!   and `security:` with nothing would silently inherit the document's security. Only
//!   values the model leaves free (`default`, `example`, `enum` members, an Example's
//!   `value`, a Link's `requestBody` and `parameters`, extensions) may be anything.
//! - **Missing required fields**, and the rules openapiv3 would otherwise resolve by
//!   dropping something: a parameter or header with both `schema` and `content`, or
//!   `content` with other than one media type; `allowEmptyValue`/`allowReserved` outside
//!   query parameters; a path parameter without `required: true`; a Link with both
//!   `operationRef` and `operationId`; security scheme fields of another scheme type
//!   (`in` on an `http` scheme); `explode: true` on a Header Object (openapiv3 has no such
//!   field there). Enumerated values (`in`, `style`, a schema's `type`, a security scheme's
//!   `type`) are checked too, with a suggestion, though openapiv3 would refuse most itself.
//! - **Depth.** The model nests without bound in three places only: schemas in schemas,
//!   callbacks in callbacks' operations, encodings in the media types of encodings'
//!   headers. Each has a bound ([`MAX_SCHEMA_DEPTH`], [`MAX_CALLBACK_DEPTH`],
//!   [`MAX_ENCODING_DEPTH`]), so neither this walk nor openapiv3's recursive deserializer
//!   runs out of stack on a hostile document, and the error names the pointer of the
//!   first object too deep; see the constants.
//!
//! The walk never panics: whatever YAML it is given, the answer is `Ok` or an error.

use serde_yaml::{Mapping, Value as Y};

use crate::error::{CodegenError, join};

/// The deepest nesting of schemas taken (a component schema is level 1, each property,
/// `items`, `allOf`/`anyOf`/`oneOf` member, `not` or `additionalProperties` one more).
///
/// Only inline nesting counts (this walk does not follow `$ref`), and real specs stay far below it:
/// the Telnyx messaging specs nest 4 levels. The bound is set by openapiv3, not by this
/// walk: its deserializer buffers every schema level through serde's untagged and
/// flattened machinery, about 60 KiB of stack per level in a debug build, and a test
/// thread has 2 MiB. Measured there, `allOf` nested 34 levels under an operation's response
/// overflows, and 28 levels at the deepest point this check allows (in a header of an
/// encoding in a callback's request body). At 20, that worst case keeps 8 levels of margin
/// (a test parses it on a 2 MiB stack).
pub(crate) const MAX_SCHEMA_DEPTH: usize = 20;

/// The deepest nesting of callbacks taken: a callback's operations may not have callbacks
/// of their own. One callback level costs openapiv3 about 250 KiB of stack in a debug
/// build (8 nested levels overflow a 2 MiB thread), and no real API nests them.
pub(crate) const MAX_CALLBACK_DEPTH: usize = 1;

/// The deepest nesting of Encoding Objects taken: the headers of an encoding may not have
/// media types with encodings of their own. That is the model's third cycle (Media Type ->
/// Encoding -> Header -> Media Type), beside schemas and callbacks, and the only other way
/// a document could nest without bound.
pub(crate) const MAX_ENCODING_DEPTH: usize = 1;

/// Checks every key and value kind of the raw document against the OpenAPI 3.0.3 object
/// model (see the module documentation for the rules). Run it before openapiv3 reads the
/// document: what this refuses, openapiv3 would drop without a word.
pub(crate) fn check_document(doc: &Y) -> Result<(), CodegenError> {
    Walker::default().value(Kind::Obj(Obj::Root), doc, "#", Label::field("the document"))
}

/// Checks the `x-webhooks` extension (3.1's `webhooks`, see `v31`) as a map of path
/// items, like a callback: an extension is otherwise free-form, and openapiv3 would drop
/// what it does not know.
pub(crate) fn check_webhooks(doc: &Y) -> Result<(), CodegenError> {
    match doc.get("x-webhooks") {
        Some(webhooks) => Walker::default().value(
            Kind::Obj(Obj::Callback),
            webhooks,
            "#/x-webhooks",
            Label::field("`x-webhooks`"),
        ),
        None => Ok(()),
    }
}

/// The objects of the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Obj {
    Root,
    Info,
    Contact,
    License,
    Server,
    ServerVariable,
    Components,
    Paths,
    PathItem,
    Operation,
    ExternalDocs,
    Parameter,
    RequestBody,
    MediaType,
    Encoding,
    Responses,
    Response,
    Callback,
    Example,
    Link,
    Header,
    Tag,
    Schema,
    Discriminator,
    Xml,
    SecurityScheme,
    OAuthFlows,
    OAuthFlow(Flow),
}

/// The four OAuth flows, each with its own fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Implicit,
    Password,
    ClientCredentials,
    AuthorizationCode,
}

impl Obj {
    fn name(self) -> &'static str {
        match self {
            Obj::Root => "the OpenAPI Object",
            Obj::Info => "the Info Object",
            Obj::Contact => "the Contact Object",
            Obj::License => "the License Object",
            Obj::Server => "a Server Object",
            Obj::ServerVariable => "a Server Variable Object",
            Obj::Components => "the Components Object",
            Obj::Paths => "the Paths Object",
            Obj::PathItem => "a Path Item Object",
            Obj::Operation => "an Operation Object",
            Obj::ExternalDocs => "an External Documentation Object",
            Obj::Parameter => "a Parameter Object",
            Obj::RequestBody => "a Request Body Object",
            Obj::MediaType => "a Media Type Object",
            Obj::Encoding => "an Encoding Object",
            Obj::Responses => "a Responses Object",
            Obj::Response => "a Response Object",
            Obj::Callback => "a Callback Object",
            Obj::Example => "an Example Object",
            Obj::Link => "a Link Object",
            Obj::Header => "a Header Object",
            Obj::Tag => "a Tag Object",
            Obj::Schema => "a Schema Object",
            Obj::Discriminator => "a Discriminator Object",
            Obj::Xml => "an XML Object",
            Obj::SecurityScheme => "a Security Scheme Object",
            Obj::OAuthFlows => "an OAuth Flows Object",
            Obj::OAuthFlow(Flow::Implicit) => "an implicit OAuth Flow Object",
            Obj::OAuthFlow(Flow::Password) => "a password OAuth Flow Object",
            Obj::OAuthFlow(Flow::ClientCredentials) => "a clientCredentials OAuth Flow Object",
            Obj::OAuthFlow(Flow::AuthorizationCode) => "an authorizationCode OAuth Flow Object",
        }
    }
}

/// What a value must be.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Str,
    Bool,
    Num,
    /// A non-negative integer (`minLength` and the like).
    Count,
    /// Anything at all, null included.
    Any,
    /// A mapping that is that object.
    Obj(Obj),
    /// A mapping that is that object, or a Reference Object.
    RefOr(Obj),
    /// A sequence of these.
    List(&'static Kind),
    /// A mapping from names (any string) to these.
    Names(&'static Kind),
    /// `additionalProperties`: a boolean or a schema.
    SchemaOrBool,
}

impl Kind {
    fn expected(self) -> String {
        match self {
            Kind::Str => "a string".to_owned(),
            Kind::Bool => "a boolean".to_owned(),
            Kind::Num => "a number".to_owned(),
            Kind::Count => "a non-negative integer".to_owned(),
            Kind::Any => "anything".to_owned(),
            Kind::Obj(obj) => format!("a mapping ({})", obj.name()),
            Kind::RefOr(obj) => format!("a mapping ({} or a Reference Object)", obj.name()),
            Kind::List(_) => "a sequence".to_owned(),
            Kind::Names(_) => "a mapping".to_owned(),
            Kind::SchemaOrBool => "a boolean or a mapping (a Schema Object)".to_owned(),
        }
    }
}

/// One fixed field of an object.
struct Field {
    key: &'static str,
    kind: Kind,
    required: bool,
}

const fn opt(key: &'static str, kind: Kind) -> Field {
    Field {
        key,
        kind,
        required: false,
    }
}

const fn req(key: &'static str, kind: Kind) -> Field {
    Field {
        key,
        kind,
        required: true,
    }
}

const STR: Kind = Kind::Str;
const BOOL: Kind = Kind::Bool;
const ANY: Kind = Kind::Any;
const STRINGS: Kind = Kind::List(&Kind::Str);
const SCHEMA: Kind = Kind::RefOr(Obj::Schema);
const SCHEMAS: Kind = Kind::List(&SCHEMA);
const SERVERS: Kind = Kind::List(&Kind::Obj(Obj::Server));
/// A list of Security Requirement Objects: maps from scheme names to lists of scopes.
const SECURITY: Kind = Kind::List(&Kind::Names(&STRINGS));
const PARAMETERS: Kind = Kind::List(&Kind::RefOr(Obj::Parameter));
const EXAMPLES: Kind = Kind::Names(&Kind::RefOr(Obj::Example));
const CONTENT: Kind = Kind::Names(&Kind::Obj(Obj::MediaType));
const HEADERS: Kind = Kind::Names(&Kind::RefOr(Obj::Header));
const LINKS: Kind = Kind::Names(&Kind::RefOr(Obj::Link));
const CALLBACKS: Kind = Kind::Names(&Kind::RefOr(Obj::Callback));
const DOCS: Kind = Kind::Obj(Obj::ExternalDocs);
const OPERATION: Kind = Kind::Obj(Obj::Operation);
const FLOW_SCOPES: Kind = Kind::Names(&Kind::Str);

const ROOT: &[Field] = &[
    req("openapi", STR),
    req("info", Kind::Obj(Obj::Info)),
    opt("servers", SERVERS),
    req("paths", Kind::Obj(Obj::Paths)),
    opt("components", Kind::Obj(Obj::Components)),
    opt("security", SECURITY),
    opt("tags", Kind::List(&Kind::Obj(Obj::Tag))),
    opt("externalDocs", DOCS),
];

const INFO: &[Field] = &[
    req("title", STR),
    opt("description", STR),
    opt("termsOfService", STR),
    opt("contact", Kind::Obj(Obj::Contact)),
    opt("license", Kind::Obj(Obj::License)),
    req("version", STR),
];

const CONTACT: &[Field] = &[opt("name", STR), opt("url", STR), opt("email", STR)];

const LICENSE: &[Field] = &[req("name", STR), opt("url", STR)];

const SERVER: &[Field] = &[
    req("url", STR),
    opt("description", STR),
    opt("variables", Kind::Names(&Kind::Obj(Obj::ServerVariable))),
];

const SERVER_VARIABLE: &[Field] = &[
    opt("enum", STRINGS),
    req("default", STR),
    opt("description", STR),
];

const COMPONENTS: &[Field] = &[
    opt("schemas", Kind::Names(&SCHEMA)),
    opt("responses", Kind::Names(&Kind::RefOr(Obj::Response))),
    opt("parameters", Kind::Names(&Kind::RefOr(Obj::Parameter))),
    opt("examples", EXAMPLES),
    opt("requestBodies", Kind::Names(&Kind::RefOr(Obj::RequestBody))),
    opt("headers", HEADERS),
    opt(
        "securitySchemes",
        Kind::Names(&Kind::RefOr(Obj::SecurityScheme)),
    ),
    opt("links", LINKS),
    opt("callbacks", CALLBACKS),
];

const PATH_ITEM: &[Field] = &[
    opt("$ref", STR),
    opt("summary", STR),
    opt("description", STR),
    opt("get", OPERATION),
    opt("put", OPERATION),
    opt("post", OPERATION),
    opt("delete", OPERATION),
    opt("options", OPERATION),
    opt("head", OPERATION),
    opt("patch", OPERATION),
    opt("trace", OPERATION),
    opt("servers", SERVERS),
    opt("parameters", PARAMETERS),
];

const OPERATION_FIELDS: &[Field] = &[
    opt("tags", STRINGS),
    opt("summary", STR),
    opt("description", STR),
    opt("externalDocs", DOCS),
    opt("operationId", STR),
    opt("parameters", PARAMETERS),
    opt("requestBody", Kind::RefOr(Obj::RequestBody)),
    req("responses", Kind::Obj(Obj::Responses)),
    opt("callbacks", CALLBACKS),
    opt("deprecated", BOOL),
    opt("security", SECURITY),
    opt("servers", SERVERS),
];

const EXTERNAL_DOCS: &[Field] = &[opt("description", STR), req("url", STR)];

const PARAMETER: &[Field] = &[
    req("name", STR),
    req("in", STR),
    opt("description", STR),
    opt("required", BOOL),
    opt("deprecated", BOOL),
    opt("allowEmptyValue", BOOL),
    opt("style", STR),
    opt("explode", BOOL),
    opt("allowReserved", BOOL),
    opt("schema", SCHEMA),
    opt("example", ANY),
    opt("examples", EXAMPLES),
    opt("content", CONTENT),
];

const REQUEST_BODY: &[Field] = &[
    opt("description", STR),
    req("content", CONTENT),
    opt("required", BOOL),
];

const MEDIA_TYPE: &[Field] = &[
    opt("schema", SCHEMA),
    opt("example", ANY),
    opt("examples", EXAMPLES),
    opt("encoding", Kind::Names(&Kind::Obj(Obj::Encoding))),
];

const ENCODING: &[Field] = &[
    opt("contentType", STR),
    opt("headers", HEADERS),
    opt("style", STR),
    opt("explode", BOOL),
    opt("allowReserved", BOOL),
];

const RESPONSE: &[Field] = &[
    req("description", STR),
    opt("headers", HEADERS),
    opt("content", CONTENT),
    opt("links", LINKS),
];

const EXAMPLE: &[Field] = &[
    opt("summary", STR),
    opt("description", STR),
    opt("value", ANY),
    opt("externalValue", STR),
];

const LINK: &[Field] = &[
    opt("operationRef", STR),
    opt("operationId", STR),
    opt("parameters", Kind::Names(&Kind::Any)),
    opt("requestBody", ANY),
    opt("description", STR),
    opt("server", Kind::Obj(Obj::Server)),
];

/// A Header Object is a Parameter Object without `name` and `in`.
const HEADER: &[Field] = &[
    opt("description", STR),
    opt("required", BOOL),
    opt("deprecated", BOOL),
    opt("allowEmptyValue", BOOL),
    opt("style", STR),
    opt("explode", BOOL),
    opt("allowReserved", BOOL),
    opt("schema", SCHEMA),
    opt("example", ANY),
    opt("examples", EXAMPLES),
    opt("content", CONTENT),
];

const TAG: &[Field] = &[
    req("name", STR),
    opt("description", STR),
    opt("externalDocs", DOCS),
];

/// The keywords of an OpenAPI 3.0 Schema Object (`$ref` makes it a Reference Object).
const SCHEMA_FIELDS: &[Field] = &[
    opt("title", STR),
    opt("description", STR),
    opt("type", STR),
    opt("format", STR),
    opt("enum", Kind::List(&Kind::Any)),
    opt("default", ANY),
    opt("nullable", BOOL),
    opt("example", ANY),
    opt("pattern", STR),
    opt("minLength", Kind::Count),
    opt("maxLength", Kind::Count),
    opt("minItems", Kind::Count),
    opt("maxItems", Kind::Count),
    opt("uniqueItems", BOOL),
    opt("minimum", Kind::Num),
    opt("maximum", Kind::Num),
    opt("exclusiveMinimum", BOOL),
    opt("exclusiveMaximum", BOOL),
    opt("multipleOf", Kind::Num),
    opt("required", STRINGS),
    opt("properties", Kind::Names(&SCHEMA)),
    opt("additionalProperties", Kind::SchemaOrBool),
    opt("minProperties", Kind::Count),
    opt("maxProperties", Kind::Count),
    opt("items", SCHEMA),
    opt("allOf", SCHEMAS),
    opt("anyOf", SCHEMAS),
    opt("oneOf", SCHEMAS),
    opt("not", SCHEMA),
    opt("discriminator", Kind::Obj(Obj::Discriminator)),
    opt("readOnly", BOOL),
    opt("writeOnly", BOOL),
    opt("deprecated", BOOL),
    opt("externalDocs", DOCS),
    opt("xml", Kind::Obj(Obj::Xml)),
];

const DISCRIMINATOR: &[Field] = &[
    req("propertyName", STR),
    opt("mapping", Kind::Names(&Kind::Str)),
];

const XML: &[Field] = &[
    opt("name", STR),
    opt("namespace", STR),
    opt("prefix", STR),
    opt("attribute", BOOL),
    opt("wrapped", BOOL),
];

/// Every field of any scheme type; [`Walker::security_scheme`] checks which type takes which.
const SECURITY_SCHEME: &[Field] = &[
    req("type", STR),
    opt("description", STR),
    opt("name", STR),
    opt("in", STR),
    opt("scheme", STR),
    opt("bearerFormat", STR),
    opt("flows", Kind::Obj(Obj::OAuthFlows)),
    opt("openIdConnectUrl", STR),
];

const OAUTH_FLOWS: &[Field] = &[
    opt("implicit", Kind::Obj(Obj::OAuthFlow(Flow::Implicit))),
    opt("password", Kind::Obj(Obj::OAuthFlow(Flow::Password))),
    opt(
        "clientCredentials",
        Kind::Obj(Obj::OAuthFlow(Flow::ClientCredentials)),
    ),
    opt(
        "authorizationCode",
        Kind::Obj(Obj::OAuthFlow(Flow::AuthorizationCode)),
    ),
];

const IMPLICIT_FLOW: &[Field] = &[
    req("authorizationUrl", STR),
    opt("refreshUrl", STR),
    req("scopes", FLOW_SCOPES),
];

/// The password and clientCredentials flows.
const TOKEN_FLOW: &[Field] = &[
    req("tokenUrl", STR),
    opt("refreshUrl", STR),
    req("scopes", FLOW_SCOPES),
];

const AUTHORIZATION_CODE_FLOW: &[Field] = &[
    req("authorizationUrl", STR),
    req("tokenUrl", STR),
    opt("refreshUrl", STR),
    req("scopes", FLOW_SCOPES),
];

/// The fixed fields of an object; empty for the patterned ones (Paths, Responses,
/// Callback), which have walkers of their own.
fn fields(obj: Obj) -> &'static [Field] {
    match obj {
        Obj::Root => ROOT,
        Obj::Info => INFO,
        Obj::Contact => CONTACT,
        Obj::License => LICENSE,
        Obj::Server => SERVER,
        Obj::ServerVariable => SERVER_VARIABLE,
        Obj::Components => COMPONENTS,
        Obj::PathItem => PATH_ITEM,
        Obj::Operation => OPERATION_FIELDS,
        Obj::ExternalDocs => EXTERNAL_DOCS,
        Obj::Parameter => PARAMETER,
        Obj::RequestBody => REQUEST_BODY,
        Obj::MediaType => MEDIA_TYPE,
        Obj::Encoding => ENCODING,
        Obj::Response => RESPONSE,
        Obj::Example => EXAMPLE,
        Obj::Link => LINK,
        Obj::Header => HEADER,
        Obj::Tag => TAG,
        Obj::Schema => SCHEMA_FIELDS,
        Obj::Discriminator => DISCRIMINATOR,
        Obj::Xml => XML,
        Obj::SecurityScheme => SECURITY_SCHEME,
        Obj::OAuthFlows => OAUTH_FLOWS,
        Obj::OAuthFlow(Flow::Implicit) => IMPLICIT_FLOW,
        Obj::OAuthFlow(Flow::Password | Flow::ClientCredentials) => TOKEN_FLOW,
        Obj::OAuthFlow(Flow::AuthorizationCode) => AUTHORIZATION_CODE_FLOW,
        Obj::Paths | Obj::Responses | Obj::Callback => &[],
    }
}

const LOCATIONS: &[&str] = &["path", "query", "header", "cookie"];
const PATH_STYLES: &[&str] = &["matrix", "label", "simple"];
const QUERY_STYLES: &[&str] = &["form", "spaceDelimited", "pipeDelimited", "deepObject"];
const HEADER_STYLES: &[&str] = &["simple"];
const COOKIE_STYLES: &[&str] = &["form"];
const SCHEMA_TYPES: &[&str] = &["string", "number", "integer", "boolean", "array", "object"];
const SCHEME_TYPES: &[&str] = &["apiKey", "http", "oauth2", "openIdConnect"];
const API_KEY_LOCATIONS: &[&str] = &["query", "header", "cookie"];
/// The fields of a Security Scheme Object that belong to one scheme type only.
const SCHEME_FIELDS: &[(&str, &str)] = &[
    ("name", "apiKey"),
    ("in", "apiKey"),
    ("scheme", "http"),
    ("bearerFormat", "http"),
    ("flows", "oauth2"),
    ("openIdConnectUrl", "openIdConnect"),
];

/// How an error names the value it is about.
#[derive(Clone, Copy)]
struct Label<'a> {
    /// The key of the field or name it is the value of (or the list's key, for an item).
    key: &'a str,
    /// An item of the list under `key`.
    item: bool,
}

impl<'a> Label<'a> {
    fn field(key: &'a str) -> Self {
        Self { key, item: false }
    }

    fn render(self) -> String {
        if self.item {
            format!("an item of `{}`", self.key)
        } else if self.key == "the document" {
            self.key.to_owned()
        } else {
            format!("`{}`", self.key)
        }
    }
}

#[derive(Default)]
struct Walker {
    /// Schema levels entered and not left.
    schemas: usize,
    /// Callback levels entered and not left.
    callbacks: usize,
    /// Encoding levels entered and not left.
    encodings: usize,
}

impl Walker {
    fn value(&mut self, kind: Kind, v: &Y, ptr: &str, label: Label) -> Result<(), CodegenError> {
        let fits = match (kind, v) {
            (Kind::Any, _)
            | (Kind::Str, Y::String(_))
            | (Kind::Bool, Y::Bool(_))
            | (Kind::SchemaOrBool, Y::Bool(_)) => true,
            // `.inf` and `.nan` are YAML numbers, and no bound any JSON value could meet.
            (Kind::Num, Y::Number(n)) => n.as_f64().is_some_and(f64::is_finite),
            (Kind::Count, Y::Number(n)) => n.as_u64().is_some(),
            (Kind::List(item), Y::Sequence(items)) => {
                let label = Label {
                    key: label.key,
                    item: true,
                };
                for (i, x) in items.iter().enumerate() {
                    self.value(*item, x, &join(ptr, &i.to_string()), label)?;
                }
                true
            }
            (Kind::Names(entry), Y::Mapping(m)) => {
                for (k, x) in m {
                    let Y::String(name) = k else {
                        return Err(not_a_string_key(k, ptr, "a name"));
                    };
                    self.value(*entry, x, &join(ptr, name), Label::field(name))?;
                }
                true
            }
            (Kind::Obj(obj), Y::Mapping(m)) => {
                self.object(obj, m, ptr)?;
                true
            }
            (Kind::RefOr(obj), Y::Mapping(m)) => {
                if m.contains_key("$ref") {
                    reference(obj, m, ptr)?;
                } else {
                    self.object(obj, m, ptr)?;
                }
                true
            }
            (Kind::SchemaOrBool, Y::Mapping(_)) => {
                self.value(SCHEMA, v, ptr, label)?;
                true
            }
            _ => false,
        };
        if fits {
            Ok(())
        } else {
            Err(mismatch(kind, v, ptr, label))
        }
    }

    fn object(&mut self, obj: Obj, m: &Mapping, ptr: &str) -> Result<(), CodegenError> {
        match obj {
            Obj::Paths => self.paths(m, ptr),
            Obj::Responses => self.responses(m, ptr),
            Obj::Callback => {
                if self.callbacks >= MAX_CALLBACK_DEPTH {
                    return Err(CodegenError::unsupported(
                        ptr,
                        format!(
                            "a callback nested in a callback's operation (callbacks nest at most {MAX_CALLBACK_DEPTH} level deep)"
                        ),
                    ));
                }
                self.callbacks += 1;
                let result = self.callback(m, ptr);
                self.callbacks -= 1;
                result
            }
            Obj::Encoding => {
                if self.encodings >= MAX_ENCODING_DEPTH {
                    return Err(CodegenError::unsupported(
                        ptr,
                        format!(
                            "an encoding in a media type of an encoding's header (encodings nest at most {MAX_ENCODING_DEPTH} level deep)"
                        ),
                    ));
                }
                self.encodings += 1;
                let result = self.fixed(obj, m, ptr);
                self.encodings -= 1;
                result
            }
            Obj::Schema => {
                if self.schemas >= MAX_SCHEMA_DEPTH {
                    return Err(CodegenError::unsupported(
                        ptr,
                        format!("schemas nested more than {MAX_SCHEMA_DEPTH} levels deep"),
                    ));
                }
                self.schemas += 1;
                let result = self.fixed(obj, m, ptr);
                self.schemas -= 1;
                result
            }
            _ => self.fixed(obj, m, ptr),
        }
    }

    /// An object with fixed fields (and `x-` extensions).
    fn fixed(&mut self, obj: Obj, m: &Mapping, ptr: &str) -> Result<(), CodegenError> {
        let table = fields(obj);
        for (k, v) in m {
            let Y::String(key) = k else {
                return Err(not_a_string_key(k, ptr, "a field name"));
            };
            let here = join(ptr, key);
            if key.starts_with("x-") {
                continue;
            }
            let Some(field) = table.iter().find(|f| f.key == key) else {
                return Err(unknown_key(obj, key, &here, table));
            };
            self.value(field.kind, v, &here, Label::field(key))?;
        }
        if let Some(missing) = table.iter().find(|f| f.required && !m.contains_key(f.key)) {
            return Err(CodegenError::invalid(
                ptr,
                format!(
                    "{} without `{}` (a required field)",
                    obj.name(),
                    missing.key
                ),
            ));
        }
        match obj {
            Obj::Parameter => parameter(m, ptr),
            Obj::Header => header(m, ptr),
            Obj::Encoding => one_of(m, ptr, "style", QUERY_STYLES, "an encoding"),
            Obj::Link => link(m, ptr),
            Obj::SecurityScheme => security_scheme(m, ptr),
            Obj::Schema => one_of(m, ptr, "type", SCHEMA_TYPES, "a schema"),
            Obj::PathItem => self.path_item(m, ptr),
            _ => Ok(()),
        }
    }

    fn paths(&mut self, m: &Mapping, ptr: &str) -> Result<(), CodegenError> {
        for (k, v) in m {
            let Y::String(path) = k else {
                return Err(not_a_string_key(k, ptr, "a path"));
            };
            let here = join(ptr, path);
            if path.starts_with('/') {
                self.value(Kind::Obj(Obj::PathItem), v, &here, Label::field(path))?;
            } else if !path.starts_with("x-") {
                let hint =
                    extension_case(path).unwrap_or_else(|| format!(" (did you mean `/{path}`?)"));
                return Err(CodegenError::invalid(
                    &here,
                    format!(
                        "path `{path}` does not start with `/`{hint}: openapiv3 would drop it with its operations"
                    ),
                ));
            }
        }
        Ok(())
    }

    fn responses(&mut self, m: &Mapping, ptr: &str) -> Result<(), CodegenError> {
        for (k, v) in m {
            let (text, fits) = match k {
                Y::String(s) => (
                    s.clone(),
                    s == "default" || s.starts_with("x-") || is_status(s),
                ),
                Y::Number(n) => (
                    n.to_string(),
                    n.as_u64().is_some_and(|c| (100..=599).contains(&c)),
                ),
                other => (key_text(other), false),
            };
            let here = join(ptr, &text);
            if !fits {
                return Err(bad_status(&text, &here));
            }
            if !text.starts_with("x-") {
                self.value(Kind::RefOr(Obj::Response), v, &here, Label::field(&text))?;
            }
        }
        Ok(())
    }

    /// A Callback Object: runtime expressions to Path Items, and extensions.
    fn callback(&mut self, m: &Mapping, ptr: &str) -> Result<(), CodegenError> {
        for (k, v) in m {
            let Y::String(expression) = k else {
                return Err(not_a_string_key(k, ptr, "an expression"));
            };
            if !expression.starts_with("x-") {
                self.value(
                    Kind::Obj(Obj::PathItem),
                    v,
                    &join(ptr, expression),
                    Label::field(expression),
                )?;
            }
        }
        Ok(())
    }

    fn path_item(&self, m: &Mapping, ptr: &str) -> Result<(), CodegenError> {
        if !m.contains_key("$ref") {
            return Ok(());
        }
        if self.callbacks > 0 {
            return Err(CodegenError::unsupported(
                &join(ptr, "$ref"),
                "`$ref` on a Path Item of a callback (openapiv3 reads those without references and would drop it)",
            ));
        }
        match m.keys().find(|k| k.as_str() != Some("$ref")) {
            Some(other) => Err(CodegenError::unsupported(
                &join(ptr, &key_text(other)),
                format!(
                    "`{}` beside `$ref` in a Path Item (openapiv3 reads a Path Item with `$ref` as the bare reference and drops everything else)",
                    key_text(other)
                ),
            )),
            None => Ok(()),
        }
    }
}

/// A mapping with `$ref` where the model allows a Reference Object.
fn reference(obj: Obj, m: &Mapping, ptr: &str) -> Result<(), CodegenError> {
    for (k, v) in m {
        if k.as_str() == Some("$ref") {
            if !v.is_string() {
                return Err(mismatch(
                    Kind::Str,
                    v,
                    &join(ptr, "$ref"),
                    Label::field("$ref"),
                ));
            }
            continue;
        }
        let key = key_text(k);
        let advice = if obj == Obj::Schema {
            format!(
                "; to add it to the referenced schema here, write `allOf: [{{$ref: ...}}]` with `{key}` beside `allOf`"
            )
        } else {
            "; move it into the referenced definition".to_owned()
        };
        return Err(CodegenError::invalid(
            &join(ptr, &key),
            format!(
                "`{key}` beside `$ref`: an OpenAPI 3.0 Reference Object has nothing but `$ref`, everything beside it is ignored (openapiv3 drops it){advice}"
            ),
        ));
    }
    Ok(())
}

fn parameter(m: &Mapping, ptr: &str) -> Result<(), CodegenError> {
    one_of(m, ptr, "in", LOCATIONS, "a parameter")?;
    let location = m.get("in").and_then(Y::as_str).unwrap_or_default();
    let styles = match location {
        "path" => PATH_STYLES,
        "query" => QUERY_STYLES,
        "header" => HEADER_STYLES,
        _ => COOKIE_STYLES,
    };
    one_of(m, ptr, "style", styles, &format!("a {location} parameter"))?;
    if location != "query" {
        only_for_query(m, ptr, &format!("a {location} parameter"))?;
    }
    if location == "path" && m.get("required").and_then(Y::as_bool) != Some(true) {
        return Err(CodegenError::invalid(
            &join(ptr, "required"),
            "a path parameter must have `required: true`",
        ));
    }
    schema_or_content(m, ptr, "a Parameter Object")
}

fn header(m: &Mapping, ptr: &str) -> Result<(), CodegenError> {
    one_of(m, ptr, "style", HEADER_STYLES, "a header")?;
    only_for_query(m, ptr, "a Header Object")?;
    if m.get("explode").and_then(Y::as_bool) == Some(true) {
        return Err(CodegenError::unsupported(
            &join(ptr, "explode"),
            "`explode: true` on a Header Object (openapiv3 has no such field there and would drop it)",
        ));
    }
    schema_or_content(m, ptr, "a Header Object")
}

/// `allowEmptyValue` and `allowReserved` belong to query parameters; openapiv3 drops them
/// anywhere else.
fn only_for_query(m: &Mapping, ptr: &str, what: &str) -> Result<(), CodegenError> {
    for key in ["allowEmptyValue", "allowReserved"] {
        if m.contains_key(key) {
            return Err(CodegenError::invalid(
                &join(ptr, key),
                format!(
                    "`{key}` applies only to query parameters, not to {what} (openapiv3 would drop it)"
                ),
            ));
        }
    }
    Ok(())
}

/// A parameter or header has `schema` or `content` (with one media type), not both:
/// given both, openapiv3 keeps `schema` and drops `content`.
fn schema_or_content(m: &Mapping, ptr: &str, what: &str) -> Result<(), CodegenError> {
    match (m.get("schema"), m.get("content")) {
        (Some(_), Some(_)) => Err(CodegenError::invalid(
            &join(ptr, "content"),
            format!("{what} has `schema` or `content`, not both (openapiv3 would drop `content`)"),
        )),
        (None, None) => Err(CodegenError::invalid(
            ptr,
            format!("{what} needs `schema` or `content`"),
        )),
        (None, Some(Y::Mapping(content))) if content.len() != 1 => Err(CodegenError::invalid(
            &join(ptr, "content"),
            format!(
                "`content` of {what} must have exactly one media type, found {}",
                content.len()
            ),
        )),
        _ => Ok(()),
    }
}

fn link(m: &Mapping, ptr: &str) -> Result<(), CodegenError> {
    match (
        m.contains_key("operationRef"),
        m.contains_key("operationId"),
    ) {
        (true, true) => Err(CodegenError::invalid(
            &join(ptr, "operationRef"),
            "a Link Object has `operationRef` or `operationId`, not both (openapiv3 would drop one)",
        )),
        (false, false) => Err(CodegenError::invalid(
            ptr,
            "a Link Object needs `operationRef` or `operationId`",
        )),
        _ => Ok(()),
    }
}

fn security_scheme(m: &Mapping, ptr: &str) -> Result<(), CodegenError> {
    one_of(m, ptr, "type", SCHEME_TYPES, "a security scheme")?;
    let ty = m.get("type").and_then(Y::as_str).unwrap_or_default();
    for key in m.keys().filter_map(Y::as_str) {
        let owner = SCHEME_FIELDS
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, o)| *o);
        if let Some(owner) = owner.filter(|o| *o != ty) {
            return Err(CodegenError::invalid(
                &join(ptr, key),
                format!(
                    "`{key}` belongs to `type: {owner}` schemes, not to `type: {ty}` (openapiv3 would drop it)"
                ),
            ));
        }
    }
    let required: &[&str] = match ty {
        "apiKey" => &["name", "in"],
        "http" => &["scheme"],
        "oauth2" => &["flows"],
        _ => &["openIdConnectUrl"],
    };
    if let Some(missing) = required.iter().find(|key| !m.contains_key(**key)) {
        return Err(CodegenError::invalid(
            ptr,
            format!("a `type: {ty}` security scheme without `{missing}` (a required field)"),
        ));
    }
    if ty == "apiKey" {
        one_of(m, ptr, "in", API_KEY_LOCATIONS, "an API key")?;
    }
    Ok(())
}

/// The string under `key`, when present, must be one of `allowed`.
fn one_of(
    m: &Mapping,
    ptr: &str,
    key: &str,
    allowed: &[&str],
    what: &str,
) -> Result<(), CodegenError> {
    let Some(value) = m.get(key).and_then(Y::as_str) else {
        return Ok(());
    };
    if allowed.contains(&value) {
        return Ok(());
    }
    let hint = match (key, value) {
        ("in", "body" | "formData") => {
            " (Swagger 2.0's body and form parameters are a `requestBody` in OpenAPI 3.0)"
                .to_owned()
        }
        ("type", "null") => " (OpenAPI 3.0 has no `null` type: use `nullable: true`)".to_owned(),
        ("type", "basic") => {
            " (Swagger 2.0's `basic` is `type: http` with `scheme: basic`)".to_owned()
        }
        _ => did_you_mean(value, allowed.iter().copied()),
    };
    let list = allowed
        .iter()
        .map(|a| format!("`{a}`"))
        .collect::<Vec<_>>()
        .join(", ");
    Err(CodegenError::invalid(
        &join(ptr, key),
        format!("`{key}: {value}` is not valid for {what}, which takes {list}{hint}"),
    ))
}

/// `nnn` from 100 to 599, or a range `1XX` to `5XX`.
fn is_status(s: &str) -> bool {
    match s.as_bytes() {
        [b'1'..=b'5', b'X', b'X'] => true,
        [a, b, c] if [a, b, c].iter().all(|d| d.is_ascii_digit()) => (b'1'..=b'5').contains(a),
        _ => false,
    }
}

fn bad_status(text: &str, here: &str) -> CodegenError {
    let bytes = text.as_bytes();
    let detail = if let [first @ b'1'..=b'5', b'x' | b'X', b'x' | b'X'] = bytes {
        format!(
            "the status code range `{text}` must be written with an upper-case X: `{}XX`",
            char::from(*first)
        )
    } else if !text.is_empty() && bytes.iter().all(u8::is_ascii_digit) {
        format!("`{text}` is not an HTTP status code (100 to 599)")
    } else if let Some(hint) = extension_case(text) {
        format!("`{text}` is not a response key{hint}")
    } else {
        format!(
            "`{text}` is not a response key{}",
            did_you_mean(text, ["default"].into_iter())
        )
    };
    CodegenError::invalid(
        here,
        format!(
            "{detail}; a Responses Object takes `default`, a status code from 100 to 599, a range from `1XX` to `5XX` or an `x-` extension (openapiv3 would drop this response)"
        ),
    )
}

fn unknown_key(obj: Obj, key: &str, here: &str, table: &[Field]) -> CodegenError {
    let known = || table.iter().map(|f| f.key);
    let hint = if key == "<<" {
        " (YAML merge keys are not supported: write the fields out)".to_owned()
    } else if key == "$ref" {
        format!(" ({} cannot be a Reference Object here)", obj.name())
    } else if let Some(hint) = extension_case(key) {
        hint
    } else if matches!(obj, Obj::Parameter | Obj::Header)
        && SCHEMA_FIELDS.iter().any(|f| f.key == key)
    {
        " (a schema keyword: it belongs under `schema`)".to_owned()
    } else {
        did_you_mean(key, known())
    };
    if obj == Obj::Schema {
        CodegenError::unsupported(
            here,
            format!("keyword `{key}` (not an OpenAPI 3.0 schema keyword){hint}"),
        )
    } else {
        CodegenError::invalid(
            here,
            format!(
                "`{key}` is not a field of {}{hint}: openapiv3 would drop it",
                obj.name()
            ),
        )
    }
}

/// `X-Foo` is no extension: openapiv3 takes only a lower-case `x-`.
fn extension_case(key: &str) -> Option<String> {
    key.strip_prefix("X-")
        .map(|rest| format!(" (extensions start with a lower-case `x-`: did you mean `x-{rest}`?)"))
}

fn not_a_string_key(k: &Y, ptr: &str, what: &str) -> CodegenError {
    let text = key_text(k);
    CodegenError::invalid(
        &join(ptr, &text),
        format!(
            "the key `{text}` is {}, not a string; {what} must be a string (quote it)",
            describe(k)
        ),
    )
}

/// The text of a mapping key that may not be a string, for pointers and messages.
fn key_text(k: &Y) -> String {
    match k {
        Y::String(s) => s.clone(),
        Y::Number(n) => n.to_string(),
        Y::Bool(b) => b.to_string(),
        Y::Null => "null".to_owned(),
        Y::Sequence(_) => "[...]".to_owned(),
        Y::Mapping(_) => "{...}".to_owned(),
        Y::Tagged(t) => t.tag.to_string(),
    }
}

fn mismatch(kind: Kind, v: &Y, ptr: &str, label: Label) -> CodegenError {
    let hint = match (kind, v, label.key) {
        (_, Y::Null, _) => {
            " (an empty value: openapiv3 would read the field as absent; fill it in or remove it)"
        }
        (Kind::Str, Y::Sequence(_), "type") => {
            " (a list of types is OpenAPI 3.1: OpenAPI 3.0 takes one type and `nullable: true`)"
        }
        (Kind::Str, Y::Number(_) | Y::Bool(_), _) => {
            " (quote it: YAML reads it as another kind, which openapiv3 may not keep as written)"
        }
        (Kind::Bool, Y::Number(_), "exclusiveMinimum" | "exclusiveMaximum") => {
            " (in OpenAPI 3.0 it is a boolean that makes `minimum`/`maximum` exclusive)"
        }
        (Kind::Bool, Y::String(s), _) if s == "true" || s == "false" => " (write it unquoted)",
        (Kind::RefOr(Obj::Schema), Y::Sequence(_), "items") => {
            " (OpenAPI 3.0 `items` is one schema, not a list)"
        }
        _ => "",
    };
    CodegenError::invalid(
        ptr,
        format!(
            "{} must be {}, found {}{hint}",
            label.render(),
            kind.expected(),
            describe(v)
        ),
    )
}

fn describe(v: &Y) -> String {
    match v {
        Y::Null => "null".to_owned(),
        Y::Bool(b) => format!("the boolean `{b}`"),
        Y::Number(n) => format!("the number `{n}`"),
        Y::String(s) => {
            let mut short: String = s.chars().take(40).collect();
            if short.len() < s.len() {
                short.push_str("...");
            }
            format!("the string `{short}`")
        }
        Y::Sequence(_) => "a sequence".to_owned(),
        Y::Mapping(_) => "a mapping".to_owned(),
        Y::Tagged(t) => format!("a value tagged `{}`", t.tag),
    }
}

/// ` (did you mean `x`?)` for the closest of `candidates`, or nothing.
fn did_you_mean<'a>(key: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    closest(key, candidates)
        .map(|c| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default()
}

/// The candidate `key` most likely misspells: the same but for case, `_`, `-` and spaces
/// (`request_body`, `POST`), or within 1 edit (candidates of 4 characters or fewer) or 2
/// (longer ones), a swap of two neighbours counting as one.
fn closest<'a>(key: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    fn fold(s: &str) -> Vec<char> {
        s.chars()
            .filter(|c| !matches!(c, '_' | '-' | ' '))
            .flat_map(char::to_lowercase)
            .collect()
    }
    let key_folded = fold(key);
    let key_lower: Vec<char> = key.chars().flat_map(char::to_lowercase).collect();
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let distance = if fold(candidate) == key_folded {
            0
        } else {
            let lower: Vec<char> = candidate.chars().flat_map(char::to_lowercase).collect();
            edit_distance(&key_lower, &lower)
        };
        let limit = if candidate.chars().count() <= 4 { 1 } else { 2 };
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// Levenshtein distance with adjacent transpositions (optimal string alignment).
fn edit_distance(a: &[char], b: &[char]) -> usize {
    // Rows of the distance table: two back (for transpositions), one back, current.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, &x) in a.iter().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, &y) in b.iter().enumerate() {
            let mut best = (previous[j + 1] + 1)
                .min(current[j] + 1)
                .min(previous[j] + usize::from(x != y));
            if i > 0 && j > 0 && x == b[j - 1] && a[i - 1] == y {
                best = best.min(before[j - 1] + 1);
            }
            current[j + 1] = best;
        }
        before = std::mem::replace(&mut previous, current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    const BASE: &str = "openapi: 3.0.3
info:
  title: Test
  version: '1'
servers:
  - url: https://api.example.com
security:
  - bearerAuth: []
paths:
  /messages:
    post:
      operationId: SendMessage
      parameters:
        - name: id
          in: query
          schema: {type: string}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Message'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Message'}
components:
  schemas:
    Message:
      type: object
      properties:
        text: {type: string, minLength: 1}
  securitySchemes:
    bearerAuth: {type: http, scheme: bearer}
";

    /// The pointer of the requestBody's schema in [`BASE`].
    const OP: &str = "#/paths/~1messages/post";

    fn check(yaml: &str) -> Result<(), CodegenError> {
        let doc: Y = serde_yaml::from_str(yaml).expect("the test YAML parses");
        check_document(&doc)
    }

    /// [`BASE`] with its first `from` replaced by `to`.
    fn edit(from: &str, to: &str) -> String {
        assert!(BASE.contains(from), "BASE has no {from:?}");
        BASE.replacen(from, to, 1)
    }

    /// Asserts that `yaml` is refused at `pointer` with a message containing `needle`.
    fn refused(yaml: &str, pointer: &str, needle: &str) -> CodegenError {
        let error = check(yaml).expect_err("the document is refused");
        assert_eq!(error.pointer, pointer, "{error}");
        assert!(
            error.to_string().contains(needle),
            "{error:?} does not say {needle:?}"
        );
        error
    }

    fn openapiv3(yaml: &str) -> openapiv3::OpenAPI {
        serde_yaml::from_str(yaml).expect("openapiv3 reads it")
    }

    #[test]
    fn the_base_document_is_accepted_and_read_whole_by_openapiv3() {
        check(BASE).expect("BASE passes");
        let doc = openapiv3(BASE);
        assert_eq!(doc.operations().count(), 1);
    }

    #[test]
    fn a_path_without_its_slash_is_refused() {
        refused(
            &edit("  /messages:\n", "  messages:\n"),
            "#/paths/messages",
            "path `messages` does not start with `/` (did you mean `/messages`?)",
        );
        // What it guards against: openapiv3 drops that path and its operations.
        let doc = openapiv3(&edit("  /messages:\n", "  messages:\n"));
        assert_eq!(doc.operations().count(), 0);
    }

    #[test]
    fn an_upper_case_method_is_refused() {
        let e = refused(
            &edit("    post:\n", "    POST:\n"),
            "#/paths/~1messages/POST",
            "(did you mean `post`?)",
        );
        assert!(matches!(e.kind, ErrorKind::Invalid(_)));
        assert!(
            e.to_string().contains("not a field of a Path Item Object"),
            "{e}"
        );
        refused(
            &edit("    post:\n", "    Get:\n"),
            "#/paths/~1messages/Get",
            "(did you mean `get`?)",
        );
    }

    #[test]
    fn a_misspelt_request_body_is_refused() {
        for wrong in ["requestbody", "request_body", "RequestBody", "requestBdoy"] {
            refused(
                &edit("requestBody:", &format!("{wrong}:")),
                &format!("{OP}/{wrong}"),
                &format!(
                    "`{wrong}` is not a field of an Operation Object (did you mean `requestBody`?)"
                ),
            );
        }
    }

    #[test]
    fn misspelt_keys_are_refused_at_every_level() {
        let cases = [
            // (from, to, pointer, the suggestion)
            ("components:\n", "component:\n", "#/component", "components"),
            ("  title: Test", "  titel: Test", "#/info/titel", "title"),
            ("  - url: https", "  - URL: https", "#/servers/0/URL", "url"),
            (
                "      parameters:",
                "      paramters:",
                "#/paths/~1messages/post/paramters",
                "parameters",
            ),
            (
                "      responses:",
                "      respones:",
                "#/paths/~1messages/post/respones",
                "responses",
            ),
            (
                "      operationId:",
                "      operationid:",
                "#/paths/~1messages/post/operationid",
                "operationId",
            ),
            (
                "          in: query",
                "          In: query",
                "#/paths/~1messages/post/parameters/0/In",
                "in",
            ),
            (
                "          description: ok",
                "          desription: ok",
                "#/paths/~1messages/post/responses/200/desription",
                "description",
            ),
            (
                "            schema: {$ref",
                "            schemas: {$ref",
                "#/paths/~1messages/post/requestBody/content/application~1json/schemas",
                "schema",
            ),
            (
                "  schemas:\n",
                "  Schemas:\n",
                "#/components/Schemas",
                "schemas",
            ),
            (
                "  securitySchemes:",
                "  securityschemes:",
                "#/components/securityschemes",
                "securitySchemes",
            ),
            (
                "scheme: bearer",
                "schema: bearer",
                "#/components/securitySchemes/bearerAuth/schema",
                "scheme",
            ),
        ];
        for (from, to, pointer, suggestion) in cases {
            let e = refused(
                &edit(from, to),
                pointer,
                &format!("(did you mean `{suggestion}`?)"),
            );
            assert!(matches!(e.kind, ErrorKind::Invalid(_)), "{e:?}");
        }
    }

    #[test]
    fn unknown_schema_keywords_are_unsupported_with_a_suggestion() {
        let e = refused(
            &edit("minLength: 1", "minlength: 1"),
            "#/components/schemas/Message/properties/text/minlength",
            "keyword `minlength` (not an OpenAPI 3.0 schema keyword) (did you mean `minLength`?)",
        );
        assert!(matches!(e.kind, ErrorKind::Unsupported(_)));
        // A JSON Schema keyword keeps the message the generator has always given.
        let e = refused(
            &edit("minLength: 1", "const: fixed"),
            "#/components/schemas/Message/properties/text/const",
            "",
        );
        assert_eq!(
            e.to_string(),
            "#/components/schemas/Message/properties/text/const: unsupported: keyword `const` (not an OpenAPI 3.0 schema keyword)"
        );
    }

    #[test]
    fn response_codes_as_numbers_strings_and_upper_case_ranges_are_accepted() {
        let yaml = edit(
            "        '200':\n",
            "        x-note: {anything: [1, 2]}\n        default: {description: other}\n        4XX: {description: client}\n        '201': {description: created}\n        200:\n",
        );
        check(&yaml).expect("accepted");
        let doc = openapiv3(&yaml);
        let op = doc.operations().next().expect("one operation").2;
        let codes: Vec<String> = op
            .responses
            .responses
            .keys()
            .map(ToString::to_string)
            .collect();
        assert_eq!(codes, ["4XX", "201", "200"]);
    }

    #[test]
    fn response_keys_that_are_no_status_are_refused() {
        let r = |key: &str| edit("        '200':\n", &format!("        {key}:\n"));
        // openapiv3 would read `4xx` as 4XX, but the specification wants an upper-case X.
        refused(
            &r("4xx"),
            &format!("{OP}/responses/4xx"),
            "upper-case X: `4XX`",
        );
        refused(&r("'2xX'"), &format!("{OP}/responses/2xX"), "`2XX`");
        // openapiv3 would keep 600 as a status; it drops `2XY`, `20`, `Default` silently.
        refused(
            &r("600"),
            &format!("{OP}/responses/600"),
            "`600` is not an HTTP status code",
        );
        refused(
            &r("'099'"),
            &format!("{OP}/responses/099"),
            "not an HTTP status code",
        );
        refused(
            &r("2XY"),
            &format!("{OP}/responses/2XY"),
            "`2XY` is not a response key",
        );
        refused(
            &r("20"),
            &format!("{OP}/responses/20"),
            "not an HTTP status code",
        );
        refused(
            &r("200.5"),
            &format!("{OP}/responses/200.5"),
            "not a response key",
        );
        refused(
            &r("Default"),
            &format!("{OP}/responses/Default"),
            "(did you mean `default`?)",
        );
        refused(
            &r("X-note"),
            &format!("{OP}/responses/X-note"),
            "lower-case `x-`",
        );
    }

    #[test]
    fn extensions_are_accepted_wherever_the_model_allows_them() {
        let yaml = BASE
            .replace("info:\n", "x-root: 1\ninfo:\n  x-info: {a: b}\n")
            .replace("paths:\n", "paths:\n  x-paths: [1]\n")
            .replace("    post:\n", "    x-item: 1\n    post:\n      x-op: ~\n")
            .replace(
                "          in: query\n",
                "          in: query\n          x-param: true\n",
            )
            .replace(
                "      type: object\n",
                "      type: object\n      x-schema: 1\n",
            )
            .replace(
                "        description: ok\n",
                "        description: ok\n          x-response: 1\n",
            )
            .replace("  schemas:\n", "  x-components: 1\n  schemas:\n")
            .replace(
                "bearerAuth: {type: http,",
                "bearerAuth: {x-s: 1, type: http,",
            );
        check(&yaml).expect("extensions pass");
        openapiv3(&yaml);
        refused(
            &edit("info:\n", "X-root: 1\ninfo:\n"),
            "#/X-root",
            "(extensions start with a lower-case `x-`: did you mean `x-root`?)",
        );
    }

    #[test]
    fn maps_of_names_take_any_string_key_but_not_other_kinds() {
        let yaml = edit(
            "        text: {type: string, minLength: 1}\n",
            "        text: {type: string, minLength: 1}\n        x-id: {type: string}\n        type: {type: string}\n        '200': {type: string}\n        $ref: {type: string}\n",
        );
        check(&yaml).expect("names pass");
        refused(
            &edit("        text:", "        200:"),
            "#/components/schemas/Message/properties/200",
            "the key `200` is the number `200`, not a string; a name must be a string (quote it)",
        );
        refused(
            &edit("  - bearerAuth: []", "  - true: []"),
            "#/security/0/true",
            "quote it",
        );
    }

    #[test]
    fn siblings_of_a_reference_are_refused() {
        let e = refused(
            &edit(
                "{$ref: '#/components/schemas/Message'}",
                "{$ref: '#/components/schemas/Message', nullable: true}",
            ),
            &format!("{OP}/requestBody/content/application~1json/schema/nullable"),
            "`nullable` beside `$ref`",
        );
        assert!(e.to_string().contains("allOf: [{$ref: ...}]"), "{e}");
        for sibling in ["description: d", "x-note: 1"] {
            let key = sibling.split(':').next().unwrap_or_default();
            refused(
                &edit(
                    "{$ref: '#/components/schemas/Message'}",
                    &format!("{{$ref: '#/components/schemas/Message', {sibling}}}"),
                ),
                &format!("{OP}/requestBody/content/application~1json/schema/{key}"),
                "ignored",
            );
        }
        refused(
            &edit(
                "      requestBody:\n",
                "      requestBody:\n        $ref: '#/components/requestBodies/B'\n",
            ),
            &format!("{OP}/requestBody/required"),
            "move it into the referenced definition",
        );
        // A `$ref` that is not a string would make openapiv3 read an empty schema.
        refused(
            &edit("{$ref: '#/components/schemas/Message'}", "{$ref: 5}"),
            &format!("{OP}/requestBody/content/application~1json/schema/$ref"),
            "`$ref` must be a string, found the number `5`",
        );
        // Where no Reference Object may stand, `$ref` is an unknown key.
        refused(
            &edit(
                "          application/json:\n",
                "          application/json:\n            $ref: '#/x'\n",
            ),
            &format!("{OP}/requestBody/content/application~1json/$ref"),
            "a Media Type Object cannot be a Reference Object here",
        );
    }

    #[test]
    fn empty_values_are_refused_where_openapiv3_would_read_them_as_absent() {
        refused(
            &edit("    post:\n", "    get:\n    post:\n"),
            "#/paths/~1messages/get",
            "`get` must be a mapping (an Operation Object), found null (an empty value",
        );
        refused(
            &edit(
                "      requestBody:\n        required: true\n",
                "      requestBody:\n      x-body:\n",
            ),
            &format!("{OP}/requestBody"),
            "found null",
        );
        refused(
            &edit("      operationId: SendMessage\n", "      security:\n"),
            &format!("{OP}/security"),
            "found null",
        );
        // Free values may be null.
        check(&edit(
            "minLength: 1",
            "default: ~, example: ~, enum: [a, ~], nullable: true",
        ))
        .expect("free values");
    }

    #[test]
    fn values_of_the_wrong_kind_are_refused() {
        refused(
            &edit("        required: true\n", "        required: 'true'\n"),
            &format!("{OP}/requestBody/required"),
            "`required` must be a boolean, found the string `true` (write it unquoted)",
        );
        // openapiv3 would take the number and lose its text (1.10 is 1.1).
        refused(
            &edit("version: '1'", "version: 1.10"),
            "#/info/version",
            "quote it",
        );
        refused(
            &edit("      parameters:\n", "      parameters: {}\n      x-p:\n"),
            &format!("{OP}/parameters"),
            "must be a sequence, found a mapping",
        );
        refused(
            &edit("minLength: 1", "minLength: -1"),
            "#/components/schemas/Message/properties/text/minLength",
            "a non-negative integer",
        );
        refused(
            &edit("type: string, minLength: 1", "type: [string, 'null']"),
            "#/components/schemas/Message/properties/text/type",
            "OpenAPI 3.1",
        );
        refused(
            &edit("type: string, minLength: 1", "type: strin"),
            "#/components/schemas/Message/properties/text/type",
            "(did you mean `string`?)",
        );
        refused(
            &edit("minLength: 1", "items: [{type: string}]"),
            "#/components/schemas/Message/properties/text/items",
            "one schema, not a list",
        );
        refused(
            &edit("servers:\n  - url: https://api.example.com\n", "servers:\n"),
            "#/servers",
            "found null",
        );
    }

    #[test]
    fn parameter_rules_that_openapiv3_would_resolve_by_dropping_something() {
        let param = |text: &str| {
            edit(
                "          in: query\n          schema: {type: string}\n",
                text,
            )
        };
        refused(
            &param(
                "          in: header\n          allowReserved: true\n          schema: {type: string}\n",
            ),
            &format!("{OP}/parameters/0/allowReserved"),
            "applies only to query parameters, not to a header parameter",
        );
        refused(
            &param("          in: path\n          schema: {type: string}\n"),
            &format!("{OP}/parameters/0/required"),
            "`required: true`",
        );
        check(&param(
            "          in: path\n          required: true\n          schema: {type: string}\n",
        ))
        .expect("a path parameter");
        refused(
            &param(
                "          in: query\n          schema: {type: string}\n          content: {text/plain: {}}\n",
            ),
            &format!("{OP}/parameters/0/content"),
            "not both",
        );
        refused(
            &param(
                "          in: query\n          content: {text/plain: {}, application/json: {}}\n",
            ),
            &format!("{OP}/parameters/0/content"),
            "exactly one media type, found 2",
        );
        refused(
            &param("          in: query\n"),
            &format!("{OP}/parameters/0"),
            "needs `schema` or `content`",
        );
        refused(
            &param("          in: body\n          schema: {type: string}\n"),
            &format!("{OP}/parameters/0/in"),
            "`requestBody` in OpenAPI 3.0",
        );
        refused(
            &param("          in: Query\n          schema: {type: string}\n"),
            &format!("{OP}/parameters/0/in"),
            "(did you mean `query`?)",
        );
        refused(
            &param(
                "          in: path\n          required: true\n          style: form\n          schema: {type: string}\n",
            ),
            &format!("{OP}/parameters/0/style"),
            "`style: form` is not valid for a path parameter",
        );
        refused(
            &param("          in: query\n          type: string\n"),
            &format!("{OP}/parameters/0/type"),
            "a schema keyword: it belongs under `schema`",
        );
        refused(
            &param("          schema: {type: string}\n"),
            &format!("{OP}/parameters/0"),
            "without `in`",
        );
    }

    #[test]
    fn security_scheme_fields_of_another_type_are_refused() {
        refused(
            &edit(
                "{type: http, scheme: bearer}",
                "{type: http, scheme: bearer, in: header, name: X-Key}",
            ),
            "#/components/securitySchemes/bearerAuth/in",
            "`in` belongs to `type: apiKey` schemes, not to `type: http`",
        );
        refused(
            &edit(
                "{type: http, scheme: bearer}",
                "{type: apiKey, name: X-Key}",
            ),
            "#/components/securitySchemes/bearerAuth",
            "without `in`",
        );
        refused(
            &edit("{type: http, scheme: bearer}", "{type: basic}"),
            "#/components/securitySchemes/bearerAuth/type",
            "`scheme: basic`",
        );
        let oauth = edit(
            "{type: http, scheme: bearer}",
            "{type: oauth2, flows: {implicit: {authorizationUrl: 'https://a', scopes: {read: r}}}}",
        );
        check(&oauth).expect("an oauth2 scheme");
        refused(
            &oauth.replace("authorizationUrl", "tokenUrl"),
            "#/components/securitySchemes/bearerAuth/flows/implicit/tokenUrl",
            "not a field of an implicit OAuth Flow Object",
        );
    }

    #[test]
    fn path_item_references_callbacks_and_links() {
        refused(
            &edit("    post:\n", "    $ref: '#/x'\n    post:\n"),
            "#/paths/~1messages/post",
            "beside `$ref` in a Path Item",
        );
        let callback = "      callbacks:\n        done:\n          '{$request.body#/url}':\n            post:\n              responses: {'200': {description: ok}}\n";
        let yaml = edit(
            "      responses:\n",
            &format!("{callback}      responses:\n"),
        );
        check(&yaml).expect("a callback");
        let nested = callback.replace(
            "              responses:",
            "              callbacks: {again: {'/x': {get: {responses: {default: {description: d}}}}}}\n              responses:",
        );
        refused(
            &edit("      responses:\n", &format!("{nested}      responses:\n")),
            &format!("{OP}/callbacks/done/{{$request.body#~1url}}/post/callbacks/again"),
            "a callback nested in a callback's operation",
        );
        refused(
            &edit(
                "      responses:\n",
                &format!(
                    "{}      responses:\n",
                    callback.replace(
                        "            post:\n",
                        "            $ref: '#/x'\n            post:\n"
                    )
                ),
            ),
            &format!("{OP}/callbacks/done/{{$request.body#~1url}}/$ref"),
            "Path Item of a callback",
        );
        let link = |fields: &str| {
            edit(
                "          description: ok\n",
                &format!("          description: ok\n          links: {{next: {{{fields}}}}}\n"),
            )
        };
        check(&link(
            "operationId: SendMessage, parameters: {id: '$response.body#/id'}",
        ))
        .expect("a link");
        refused(
            &link("operationId: a, operationRef: b"),
            &format!("{OP}/responses/200/links/next/operationRef"),
            "not both",
        );
    }

    #[test]
    fn keys_that_are_not_strings_and_merge_keys_are_refused() {
        refused(
            &edit("    post:\n", "    1:\n      a: b\n    post:\n"),
            "#/paths/~1messages/1",
            "not a string",
        );
        refused(
            &edit("  /messages:\n", "  ~:\n    get: {}\n  /messages:\n"),
            "#/paths/null",
            "not a string",
        );
        refused(
            &edit(
                "      type: object\n",
                "      <<: {type: string}\n      type: object\n",
            ),
            "#/components/schemas/Message/<<",
            "YAML merge keys are not supported",
        );
    }

    /// `levels` schemas nested through `key`, innermost `{type: string}`.
    fn nested(key: &str, levels: usize) -> String {
        let mut schema = "{type: string}".to_owned();
        for _ in 1..levels {
            schema = match key {
                "properties" => format!("{{type: object, properties: {{a: {schema}}}}}"),
                "items" => format!("{{type: array, items: {schema}}}"),
                "allOf" => format!("{{allOf: [{schema}]}}"),
                _ => format!("{{{key}: {schema}}}"),
            };
        }
        schema
    }

    #[test]
    fn schemas_nested_too_deep_are_refused() {
        for key in [
            "not",
            "items",
            "allOf",
            "additionalProperties",
            "properties",
        ] {
            let at = |levels| {
                edit(
                    "    Message:\n",
                    &format!("    Deep: {}\n    Message:\n", nested(key, levels)),
                )
            };
            check(&at(MAX_SCHEMA_DEPTH)).expect("the deepest schema taken");
            let e = check(&at(MAX_SCHEMA_DEPTH + 1)).expect_err("one level more");
            assert!(matches!(e.kind, ErrorKind::Unsupported(_)), "{e:?}");
            let message = format!("schemas nested more than {MAX_SCHEMA_DEPTH} levels deep");
            assert!(e.to_string().contains(&message), "{e}");
            assert!(e.pointer.starts_with("#/components/schemas/Deep/"), "{e}");
        }
        let e = check(&edit(
            "    Message:\n",
            &format!("    Deep: {}\n    Message:\n", nested("not", 30)),
        ))
        .expect_err("refused");
        assert_eq!(
            e.pointer,
            format!(
                "#/components/schemas/Deep{}",
                "/not".repeat(MAX_SCHEMA_DEPTH)
            )
        );
    }

    #[test]
    fn a_document_nested_thousands_of_levels_deep_is_refused_without_overflow() {
        // Built directly: serde_yaml's parser stops at 128 levels, a Value need not.
        let mut schema = Y::Mapping(Mapping::new());
        for _ in 0..5_000 {
            let mut m = Mapping::new();
            m.insert(Y::from("not"), schema);
            schema = Y::Mapping(m);
        }
        let mut doc: Y = serde_yaml::from_str(BASE).expect("BASE parses");
        doc["components"]["schemas"]["Deep"] = schema;
        let handle = std::thread::Builder::new()
            .stack_size(256 << 10)
            .spawn(move || {
                let result = check_document(&doc);
                // Dropping a Value recurses: let it go on a thread with room for that.
                std::mem::forget(doc);
                result
            })
            .expect("thread");
        let e = handle.join().expect("no overflow").expect_err("refused");
        assert!(e.to_string().contains("nested more than"), "{e}");
    }

    /// The deepest document this check takes, with `schema_levels` of `allOf` (the
    /// costliest keyword for openapiv3) at its deepest point: in the media type of a header
    /// of an encoding of a request body of an operation in a callback.
    fn deepest(schema_levels: usize) -> String {
        let mut schema = nested("allOf", schema_levels);
        for _ in 0..MAX_ENCODING_DEPTH {
            schema = format!(
                "{{type: object}}, encoding: {{a: {{headers: {{h: {{content: {{text/plain: {{schema: {schema}}}}}}}}}}}}}"
            );
        }
        let mut operation = format!(
            "{{requestBody: {{content: {{multipart/form-data: {{schema: {schema}}}}}}}, responses: {{default: {{description: d}}}}}}"
        );
        for _ in 0..MAX_CALLBACK_DEPTH {
            operation = format!(
                "{{callbacks: {{c: {{'/x': {{post: {operation}}}}}}}, responses: {{default: {{description: d}}}}}}"
            );
        }
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{/a: {{post: {operation}}}}}\ncomponents: {{schemas: {{Deep: {}}}}}\n",
            nested("properties", MAX_SCHEMA_DEPTH)
        )
    }

    /// openapiv3 reads `yaml` on a thread with a 2 MiB stack, a test thread's.
    fn openapiv3_on_a_small_stack(yaml: String) -> Result<(), String> {
        std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                serde_yaml::from_str::<openapiv3::OpenAPI>(&yaml)
                    .map(drop)
                    .map_err(|e| e.to_string())
            })
            .expect("thread")
            .join()
            .expect("no panic")
    }

    /// The deepest document taken must not overflow openapiv3's recursive deserializer on
    /// a test thread's 2 MiB stack in a debug build. (`RAW_SCHEMA_DEPTH=n` runs it with `n` schema
    /// levels, to measure the margin: it overflows at 28 levels, 8 more than are taken.)
    #[test]
    fn the_deepest_document_taken_parses_with_openapiv3_on_a_small_stack() {
        let levels = std::env::var("RAW_SCHEMA_DEPTH")
            .ok()
            .and_then(|d| d.parse().ok())
            .unwrap_or(MAX_SCHEMA_DEPTH);
        let yaml = deepest(levels);
        if levels == MAX_SCHEMA_DEPTH {
            check(&yaml).expect("the deepest document taken");
            let more = |from: &str, to: &str| {
                assert!(yaml.contains(from));
                check(&yaml.replacen(from, to, 1)).expect_err("one level more")
            };
            more("{type: string}", "{allOf: [{type: string}]}");
            more("{text/plain: {", "{text/plain: {encoding: {b: {}}, ");
            more("{requestBody", "{callbacks: {d: {}}, requestBody");
        }
        openapiv3_on_a_small_stack(yaml).expect("openapiv3 reads it");
    }

    fn read(path: &str) -> String {
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
    }

    #[test]
    fn the_project_spec_passes() {
        let spec = read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../spec/messaging.yaml"
        ));
        check(&spec).expect("spec/messaging.yaml passes");
    }

    #[test]
    fn the_upstream_spec_passes() {
        let spec = read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/upstream/telnyx-messages-openapi-3.0.json"
        ));
        check(&spec).expect("the upstream 3.0 spec passes");
    }

    /// Replaces the `n`th node (depth first, keys excluded) with `with`; false once past
    /// the last node.
    fn replace_nth(v: &mut Y, n: &mut usize, with: &Y) -> bool {
        if *n == 0 {
            *v = with.clone();
            return true;
        }
        *n -= 1;
        match v {
            Y::Sequence(items) => items.iter_mut().any(|x| replace_nth(x, n, with)),
            Y::Mapping(m) => m.values_mut().any(|x| replace_nth(x, n, with)),
            _ => false,
        }
    }

    /// Every node of the real spec replaced by each odd value in turn: the check answers,
    /// never panics, and never refuses a free value.
    #[test]
    fn arbitrary_yaml_in_any_place_gets_an_answer() {
        let spec = read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../spec/messaging.yaml"
        ));
        let doc: Y = serde_yaml::from_str(&spec).expect("spec parses");
        let odd: Vec<Y> = [
            "~",
            "7",
            "-1.5",
            "true",
            "text",
            "[]",
            "[1, {a: b}]",
            "{}",
            "{1: 2, ~: [x], [a]: b}",
            "!tag {a: b}",
            "{$ref: 5}",
            "{$ref: '#/x', X-y: 1}",
        ]
        .iter()
        .map(|s| serde_yaml::from_str(s).expect("odd value parses"))
        .collect();
        let (mut refused, mut accepted) = (0, 0);
        for with in &odd {
            for index in 0.. {
                let mut mutated = doc.clone();
                if !replace_nth(&mut mutated, &mut { index }, with) {
                    break;
                }
                match check_document(&mutated) {
                    Ok(()) => accepted += 1,
                    Err(e) => {
                        assert!(e.pointer.starts_with('#'), "{e}");
                        refused += 1;
                    }
                }
            }
        }
        assert!(
            refused > 0 && accepted > 0,
            "{refused} refused, {accepted} accepted"
        );
    }

    #[test]
    fn suggestions() {
        let ops = || OPERATION_FIELDS.iter().map(|f| f.key);
        assert_eq!(closest("requestbody", ops()), Some("requestBody"));
        assert_eq!(closest("request_body", ops()), Some("requestBody"));
        assert_eq!(closest("paramters", ops()), Some("parameters"));
        assert_eq!(closest("respones", ops()), Some("responses"));
        assert_eq!(closest("resposnes", ops()), Some("responses"));
        assert_eq!(closest("operation_id", ops()), Some("operationId"));
        assert_eq!(closest("body", ops()), None);
        assert_eq!(
            closest("POST", PATH_ITEM.iter().map(|f| f.key)),
            Some("post")
        );
        assert_eq!(closest("gte", PATH_ITEM.iter().map(|f| f.key)), Some("get"));
        assert_eq!(edit_distance(&['a', 'b'], &['b', 'a']), 1);
        assert_eq!(edit_distance(&[], &['a', 'b']), 2);
        assert_eq!(edit_distance(&['a', 'b', 'c'], &['c', 'a']), 3);
        let word = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(edit_distance(&word("kitten"), &word("sitting")), 3);
        assert_eq!(edit_distance(&word("respones"), &word("responses")), 1);
    }
}
