//! Paths and operations: parameters, request bodies and responses.

use std::collections::HashMap;

use heck::ToUpperCamelCase;
use indexmap::IndexMap;
use openapiv3::{
    MediaType, Parameter, ParameterSchemaOrContent, PathStyle, QueryStyle, ReferenceOr,
    RequestBody, StatusCode,
};

use super::Parser;
use super::checks::check_rust_names;
use crate::error::{CodegenError, ErrorKind, join};
use crate::model::{
    Body, Callback, ErrorResponse, Field, Operation, Param, ParamIn, ParamsStyle, Struct, Success,
    SuccessBody, Ty, TypeDef, Unwrap,
};
use crate::names;

impl<'a> Parser<'a> {
    pub(super) fn operations(&mut self) -> Result<Vec<Operation>, CodegenError> {
        let mut operations = Vec::new();
        // Rust method name -> (operationId, pointer) of the operation that has it.
        let mut seen: HashMap<String, (String, String)> = HashMap::new();
        let doc = self.doc;
        for (path, item) in doc.paths.iter() {
            let path_pointer = join("#/paths", path);
            let ReferenceOr::Item(item) = item else {
                return Err(CodegenError::unsupported(
                    &path_pointer,
                    "a path item that is a `$ref`",
                ));
            };
            let template = path_template(path).map_err(|why| {
                CodegenError::invalid(&path_pointer, format!("path {path:?}: {why}"))
            })?;
            if !item.servers.is_empty() {
                return Err(CodegenError::unsupported(
                    &join(&path_pointer, "servers"),
                    "`servers` on a path (the client has one base URL)",
                ));
            }
            for (method, op) in item.iter() {
                let pointer = join(&path_pointer, method);
                let Some(id) = op.operation_id.clone() else {
                    return Err(CodegenError::new(pointer, ErrorKind::MissingOperationId));
                };
                let id_pointer = join(&pointer, "operationId");
                let method_name = names::method_name(&id)
                    .map_err(|why| CodegenError::invalid_name(&id_pointer, why))?;
                // Each operation makes two methods; neither may clash with another's.
                let with_response = format!("{method_name}{}", names::WITH_RESPONSE);
                for name in [&method_name, &with_response] {
                    match seen.get(name) {
                        Some((first_id, first)) if *first_id == id => {
                            return Err(CodegenError::new(
                                id_pointer,
                                ErrorKind::DuplicateOperationId {
                                    id,
                                    first: first.clone(),
                                },
                            ));
                        }
                        Some((first_id, first)) => {
                            return Err(CodegenError::new(
                                id_pointer,
                                ErrorKind::NameCollision(format!(
                                    "operationIds `{first_id}` ({first}) and `{id}` both make method `{name}`"
                                )),
                            ));
                        }
                        None => {}
                    }
                }
                seen.insert(method_name.clone(), (id.clone(), pointer.clone()));
                seen.insert(with_response.clone(), (id.clone(), pointer.clone()));
                if !op.servers.is_empty() {
                    return Err(CodegenError::unsupported(
                        &join(&pointer, "servers"),
                        "`servers` on an operation (the client has one base URL)",
                    ));
                }
                if let Some(security) = &op.security {
                    // The runtime sends the bearer token on every request; an operation
                    // that asks for no authentication, or another scheme, would get it.
                    if security.is_empty()
                        || security.iter().any(|requirement| requirement.is_empty())
                    {
                        return Err(CodegenError::unsupported(
                            &join(&pointer, "security"),
                            "an operation without authentication (the client always sends its bearer token)",
                        ));
                    }
                }
                let callbacks = self.callbacks(&op.callbacks, &join(&pointer, "callbacks"))?;
                let params = self.parameters(
                    &item.parameters,
                    &join(&path_pointer, "parameters"),
                    &op.parameters,
                    &join(&pointer, "parameters"),
                    &template,
                    &pointer,
                    &id,
                )?;
                let params_style = self.params_style(&params, &id, &pointer)?;
                let body = match &op.request_body {
                    None => None,
                    Some(body) => {
                        Some(self.request_body(body, &join(&pointer, "requestBody"), &id)?)
                    }
                };
                let (success, errors) = self.responses(op, &pointer, &id)?;
                let repeatable = match op.extensions.get("x-idempotent") {
                    None => matches!(
                        method,
                        "get" | "head" | "options" | "put" | "delete" | "trace"
                    ),
                    Some(serde_json::Value::Bool(idempotent)) => *idempotent,
                    Some(other) => {
                        return Err(CodegenError::invalid(
                            &join(&pointer, "x-idempotent"),
                            format!("`x-idempotent` is {other}; it takes `true` or `false`"),
                        ));
                    }
                };
                operations.push(Operation {
                    id,
                    method_name,
                    method_with_response: with_response,
                    method: method.to_ascii_uppercase(),
                    path: path.clone(),
                    repeatable,
                    summary: op.summary.clone(),
                    description: op.description.clone(),
                    params,
                    params_style,
                    body,
                    success,
                    errors,
                    callbacks,
                    pointer,
                });
            }
        }
        Ok(operations)
    }

    /// The path item's and the operation's parameters (the operation's win), path ones
    /// first in template order, then query ones in spec order.
    #[allow(clippy::too_many_arguments)]
    fn parameters(
        &mut self,
        item_params: &'a [ReferenceOr<Parameter>],
        item_pointer: &str,
        op_params: &'a [ReferenceOr<Parameter>],
        op_pointer: &str,
        template: &[String],
        pointer: &str,
        id: &str,
    ) -> Result<Vec<Param>, CodegenError> {
        // (location, name) -> (parameter, pointer), operation-level ones replacing.
        let mut declared: IndexMap<(ParamIn, String), (&'a Parameter, String)> = IndexMap::new();
        let parameters = self.doc.components.as_ref().map(|c| &c.parameters);
        for (list, list_pointer) in [(item_params, item_pointer), (op_params, op_pointer)] {
            let mut here: Vec<(ParamIn, String)> = Vec::new();
            for (i, param) in list.iter().enumerate() {
                let (param, at) = component(
                    param,
                    &join(list_pointer, &i.to_string()),
                    "parameters",
                    parameters,
                )?;
                let location = match param {
                    Parameter::Path { .. } => ParamIn::Path,
                    Parameter::Query { .. } => ParamIn::Query,
                    Parameter::Header { .. } | Parameter::Cookie { .. } => {
                        return Err(CodegenError::unsupported(
                            &at,
                            "header and cookie parameters",
                        ));
                    }
                };
                let key = (location, param.parameter_data_ref().name.clone());
                if here.contains(&key) {
                    return Err(CodegenError::invalid(
                        &at,
                        format!("parameter `{}` is declared twice", key.1),
                    ));
                }
                here.push(key.clone());
                declared.insert(key, (param, at));
            }
        }
        for name in template {
            if !declared.contains_key(&(ParamIn::Path, name.clone())) {
                return Err(CodegenError::invalid(
                    pointer,
                    format!("the path names `{{{name}}}`, which no path parameter declares"),
                ));
            }
        }
        let mut params = Vec::new();
        let mut path_params = Vec::new();
        for ((location, name), (param, at)) in &declared {
            if *location == ParamIn::Path && !template.contains(name) {
                return Err(CodegenError::invalid(
                    at,
                    format!("path parameter `{name}` is not in the path"),
                ));
            }
            let data = param.parameter_data_ref();
            let explode = match param {
                Parameter::Path { style, .. } => {
                    if !matches!(style, PathStyle::Simple) {
                        return Err(CodegenError::unsupported(
                            &join(at, "style"),
                            "path parameter styles other than `simple`",
                        ));
                    }
                    if !data.required {
                        return Err(CodegenError::invalid(
                            &join(at, "required"),
                            "a path parameter must be `required: true`",
                        ));
                    }
                    false
                }
                Parameter::Query { style, .. } => {
                    if !matches!(style, QueryStyle::Form) {
                        return Err(CodegenError::unsupported(
                            &join(at, "style"),
                            "query parameter styles other than `form`",
                        ));
                    }
                    data.explode.unwrap_or(true)
                }
                _ => false,
            };
            let ParameterSchemaOrContent::Schema(schema) = &data.format else {
                return Err(CodegenError::unsupported(
                    &join(at, "content"),
                    "a parameter described by `content` (only `schema`)",
                ));
            };
            let hint = format!("{id}{}", name.to_upper_camel_case());
            let (shape, ann) = self.shape(schema, &join(at, "schema"), &hint)?;
            let scalar = |ty: &Ty| match ty {
                Ty::String | Ty::Integer | Ty::Number | Ty::Boolean => true,
                Ty::Named(n) => self.is_type(n, |t| matches!(t, TypeDef::Enum(_))),
                _ => false,
            };
            let fits = match (&shape.ty, location) {
                (Ty::Array(item), ParamIn::Query) => scalar(&item.ty),
                (ty, _) => scalar(ty),
            };
            if !fits || ann.nullable {
                return Err(CodegenError::unsupported(
                    &join(at, "schema"),
                    "a parameter that is not a string, number, boolean or string enum (or, in the query, an array of them)",
                ));
            }
            let param = Param {
                name: name.clone(),
                rust: String::new(),
                location: *location,
                required: data.required,
                doc: data.description.clone().or(ann.doc),
                shape,
                example: data.example.clone().or(ann.example),
                explode,
            };
            match location {
                ParamIn::Path => path_params.push(param),
                ParamIn::Query => params.push(param),
            }
        }
        // Path parameters in the order the template names them.
        path_params.sort_by_key(|p| template.iter().position(|t| *t == p.name));
        path_params.append(&mut params);
        let rust = check_rust_names(
            path_params
                .iter()
                .map(|p| (p.name.as_str(), pointer.to_owned())),
            names::field_name,
            "parameters",
            "argument",
        )?;
        for (param, rust) in path_params.iter_mut().zip(rust) {
            param.rust = rust;
        }
        Ok(path_params)
    }

    /// One string path parameter is a plain argument; anything more is a struct, so that
    /// no two values of one type are passed by position.
    fn params_style(
        &mut self,
        params: &[Param],
        id: &str,
        pointer: &str,
    ) -> Result<ParamsStyle, CodegenError> {
        match params {
            [] => Ok(ParamsStyle::None),
            [p] if p.location == ParamIn::Path
                && p.shape.ty == Ty::String
                && !names::METHOD_LOCALS.contains(&p.rust.as_str()) =>
            {
                Ok(ParamsStyle::Single)
            }
            _ => {
                let at = join(pointer, "parameters");
                let name = self.claim_name(&format!("{id}Params"), &at)?;
                let fields = params
                    .iter()
                    .map(|p| Field {
                        name: p.name.clone(),
                        rust: p.rust.clone(),
                        doc: p.doc.clone(),
                        shape: p.shape.clone(),
                        required: p.required,
                        nullable: false,
                        default: None,
                        example: p.example.clone(),
                        boxed: false,
                    })
                    .collect();
                self.inline.push(TypeDef::Struct(Struct {
                    name: name.clone(),
                    doc: Some(format!("The parameters of `{id}`.")),
                    fields,
                    required_order: params
                        .iter()
                        .filter(|p| p.required)
                        .map(|p| p.name.clone())
                        .collect(),
                    required_any_of: Vec::new(),
                    additional: None,
                    in_request: true,
                    webhook_only: false,
                    sms: None,
                    pointer: at,
                }));
                Ok(ParamsStyle::Struct(name))
            }
        }
    }

    /// An operation's callbacks: each a JSON body given by `$ref` to a component schema of
    /// an object (or a `oneOf`), which a receiver decodes; anything more is refused.
    fn callbacks(
        &self,
        callbacks: &IndexMap<String, openapiv3::Callback>,
        pointer: &str,
    ) -> Result<Vec<Callback>, CodegenError> {
        let mut out = Vec::new();
        for (name, callback) in callbacks {
            let callback_pointer = join(pointer, name);
            for (expression, item) in callback {
                let item_pointer = join(&callback_pointer, expression);
                out.extend(self.callback_item(name, expression, item, &item_pointer)?);
            }
        }
        Ok(out)
    }

    /// The top-level webhooks (3.1's `webhooks`, as the `x-webhooks` extension of the
    /// 3.0 form): each a path item the API requests, read like a callback's.
    pub(super) fn webhooks(&self) -> Result<Vec<Callback>, CodegenError> {
        let Some(value) = self.doc.extensions.get("x-webhooks") else {
            return Ok(Vec::new());
        };
        let items: IndexMap<String, openapiv3::PathItem> = serde_json::from_value(value.clone())
            .map_err(|e| CodegenError::invalid("#/x-webhooks", format!("not webhooks: {e}")))?;
        let mut out = Vec::new();
        for (name, item) in &items {
            out.extend(self.callback_item(name, "", item, &join("#/x-webhooks", name))?);
        }
        Ok(out)
    }

    /// The operations of one callback (or webhook) path item: each a JSON body given by
    /// `$ref` to a component object, which a receiver decodes; header parameters are
    /// named in the docs; anything more is refused.
    fn callback_item(
        &self,
        name: &str,
        expression: &str,
        item: &openapiv3::PathItem,
        item_pointer: &str,
    ) -> Result<Vec<Callback>, CodegenError> {
        let headers = |parameters: &[ReferenceOr<Parameter>], at: &str| {
            parameters
                .iter()
                .enumerate()
                .map(|(i, p)| match p {
                    ReferenceOr::Item(Parameter::Header { parameter_data, .. }) => {
                        Ok(parameter_data.name.clone())
                    }
                    _ => Err(CodegenError::unsupported(
                        &join(&join(at, "parameters"), &i.to_string()),
                        "a callback parameter other than an inline header",
                    )),
                })
                .collect::<Result<Vec<String>, CodegenError>>()
        };
        let item_headers = headers(&item.parameters, item_pointer)?;
        let mut out = Vec::new();
        for (method, op) in item.iter() {
            let op_pointer = join(item_pointer, method);
            let mut op_headers = item_headers.clone();
            op_headers.extend(headers(&op.parameters, &op_pointer)?);
            if !op.callbacks.is_empty() {
                return Err(CodegenError::unsupported(
                    &join(&op_pointer, "callbacks"),
                    "callbacks of a callback",
                ));
            }
            let body_pointer = join(&op_pointer, "requestBody");
            let body = match &op.request_body {
                Some(ReferenceOr::Item(body)) => body,
                _ => {
                    return Err(CodegenError::unsupported(
                        &body_pointer,
                        "a callback without an inline request body",
                    ));
                }
            };
            let reference = json_media(&body.content).and_then(|(_, media)| match &media.schema {
                Some(ReferenceOr::Reference { reference }) => Some(reference),
                _ => None,
            });
            let Some(reference) = reference else {
                return Err(CodegenError::unsupported(
                    &join(&body_pointer, "content"),
                    "a callback body other than JSON given by `$ref` to a component schema",
                ));
            };
            let (component, _) = self.schema_component(reference, &body_pointer)?;
            let body = self
                .component_names
                .get(component)
                .filter(|n| self.is_type(n, |t| matches!(t, TypeDef::Struct(_))))
                .cloned()
                .ok_or_else(|| {
                    CodegenError::unsupported(
                        &body_pointer,
                        "a callback body that is not an object with properties",
                    )
                })?;
            out.push(Callback {
                name: name.to_owned(),
                expression: expression.to_owned(),
                method: method.to_ascii_uppercase(),
                body,
                headers: op_headers,
            });
        }
        Ok(out)
    }

    fn request_body(
        &mut self,
        body: &'a ReferenceOr<RequestBody>,
        pointer: &str,
        id: &str,
    ) -> Result<Body, CodegenError> {
        let bodies = self.doc.components.as_ref().map(|c| &c.request_bodies);
        let (body, pointer) = component(body, pointer, "requestBodies", bodies)?;
        let content_pointer = join(&pointer, "content");
        let Some((media_type, media)) = json_media(&body.content) else {
            return Err(CodegenError::unsupported(
                &content_pointer,
                "a request body without JSON content (`application/json`)",
            ));
        };
        if let Some((other, _)) = body.content.iter().find(|(k, _)| *k != media_type) {
            return Err(CodegenError::unsupported(
                &join(&content_pointer, other),
                format!(
                    "a second media type `{other}` beside `{media_type}` (the client sends JSON)"
                ),
            ));
        }
        let media_pointer = join(&content_pointer, media_type);
        let Some(schema) = &media.schema else {
            return Err(CodegenError::unsupported(
                &media_pointer,
                "a JSON body without `schema`",
            ));
        };
        let schema_pointer = join(&media_pointer, "schema");
        let ty = self.body_shape(schema, &schema_pointer, &pointer, &format!("{id}Request"))?;
        match ty {
            Ty::Named(name)
                if self.is_type(&name, |t| {
                    matches!(t, TypeDef::Struct(_) | TypeDef::OneOf(_))
                }) =>
            {
                Ok(Body {
                    ty: name,
                    required: body.required,
                })
            }
            _ => Err(CodegenError::unsupported(
                &schema_pointer,
                "a request body that is not an object with properties (or a `oneOf` of them)",
            )),
        }
    }

    fn responses(
        &mut self,
        op: &'a openapiv3::Operation,
        pointer: &str,
        id: &str,
    ) -> Result<(Success, Vec<ErrorResponse>), CodegenError> {
        let responses_pointer = join(pointer, "responses");
        let responses = self.doc.components.as_ref().map(|c| &c.responses);
        let mut successes: Vec<(String, Option<Ty>, String)> = Vec::new();
        let mut errors = Vec::new();
        let all = op
            .responses
            .responses
            .iter()
            .map(|(code, r)| (Some(code), r))
            .chain(op.responses.default.iter().map(|r| (None, r)));
        for (code, response) in all {
            let key = code.map_or_else(|| "default".to_owned(), ToString::to_string);
            let at = join(&responses_pointer, &key);
            let (response, response_pointer) = component(response, &at, "responses", responses)?;
            let is_success = match code {
                Some(StatusCode::Code(c)) => (200..300).contains(c),
                Some(StatusCode::Range(r)) => *r == 2,
                None => false,
            };
            let content_pointer = join(&response_pointer, "content");
            let media = json_media(&response.content);
            if is_success && media.is_none() && !response.content.is_empty() {
                let other = response.content.keys().next().map_or("", String::as_str);
                return Err(CodegenError::unsupported(
                    &join(&content_pointer, other),
                    format!("a success body of media type `{other}` (the client reads JSON)"),
                ));
            }
            let hint = if is_success {
                format!("{id}Response")
            } else {
                format!("{id}Error{}", key.to_upper_camel_case())
            };
            let body = match media {
                None => None,
                Some((media_type, media)) => match &media.schema {
                    // JSON of no stated shape.
                    None => Some(Ty::Any),
                    Some(schema) => {
                        let schema_pointer = join(&join(&content_pointer, media_type), "schema");
                        Some(self.body_shape(schema, &schema_pointer, &response_pointer, &hint)?)
                    }
                },
            };
            if is_success {
                successes.push((key, body, response_pointer));
            } else {
                errors.push(ErrorResponse { status: key, body });
            }
        }
        if successes.is_empty() {
            return Err(CodegenError::unsupported(
                &responses_pointer,
                "an operation without a 2xx response",
            ));
        }
        let with_body: Vec<&Ty> = successes
            .iter()
            .filter_map(|(_, b, _)| b.as_ref())
            .collect();
        if let Some((_, Some(other), at)) = successes
            .iter()
            .find(|(_, b, _)| b.as_ref().is_some_and(|b| Some(&b) != with_body.first()))
        {
            return Err(CodegenError::unsupported(
                at,
                format!(
                    "2xx responses with different bodies ({} and {})",
                    describe(with_body.first().copied()),
                    describe(Some(other))
                ),
            ));
        }
        let body = match with_body.first() {
            None => SuccessBody::Nothing,
            Some(ty) if with_body.len() == successes.len() => SuccessBody::Json {
                ty: (*ty).clone(),
                unwrap: self.envelope(ty),
            },
            Some(ty) => SuccessBody::MaybeJson((*ty).clone()),
        };
        Ok((
            Success {
                statuses: successes.into_iter().map(|(s, _, _)| s).collect(),
                body,
            },
            errors,
        ))
    }

    /// The type of a response or request body's schema. One declared under
    /// `#/components/responses` or `#/components/requestBodies` is converted once and
    /// named after that component, however many operations use it.
    fn body_shape(
        &mut self,
        schema: &'a ReferenceOr<openapiv3::Schema>,
        schema_pointer: &str,
        owner_pointer: &str,
        hint: &str,
    ) -> Result<Ty, CodegenError> {
        if let Some(ty) = self.body_types.get(schema_pointer) {
            return Ok(ty.clone());
        }
        let component = ["#/components/responses/", "#/components/requestBodies/"]
            .iter()
            .find_map(|prefix| owner_pointer.strip_prefix(prefix));
        let hint = match component {
            Some(name) => {
                let name = name.replace("~1", "/").replace("~0", "~");
                let taken =
                    names::type_name(&name).map_or(true, |rust| self.claimed.contains_key(&rust));
                if taken { format!("{name}Body") } else { name }
            }
            None => hint.to_owned(),
        };
        let ty = self.shape(schema, schema_pointer, &hint)?.0.ty;
        if component.is_some() {
            self.body_types
                .insert(schema_pointer.to_owned(), ty.clone());
        }
        Ok(ty)
    }

    /// `{data: T}` with `data` required and nothing else: the method returns `T`.
    fn envelope(&self, body: &Ty) -> Option<Unwrap> {
        let Ty::Named(name) = body else { return None };
        let s = self
            .components
            .iter()
            .chain(&self.inline)
            .find_map(|t| match t {
                TypeDef::Struct(s) if s.name == *name => Some(s),
                _ => None,
            })?;
        match s.fields.as_slice() {
            [f] if f.name == "data" && f.required && !f.nullable && s.additional.is_none() => {
                Some(Unwrap {
                    field: f.name.clone(),
                    rust: f.rust.clone(),
                    ty: f.shape.ty.clone(),
                })
            }
            _ => None,
        }
    }
}

/// An item, or the component of section `section` (`responses`, `parameters`, ...) a
/// `$ref` names, with the JSON pointer of where it is written.
fn component<'a, T>(
    item: &'a ReferenceOr<T>,
    pointer: &str,
    section: &str,
    components: Option<&'a IndexMap<String, ReferenceOr<T>>>,
) -> Result<(&'a T, String), CodegenError> {
    let reference = match item {
        ReferenceOr::Item(item) => return Ok((item, pointer.to_owned())),
        ReferenceOr::Reference { reference } => reference,
    };
    let ref_pointer = join(pointer, "$ref");
    let section_pointer = format!("#/components/{section}");
    let name = reference
        .strip_prefix(&format!("{section_pointer}/"))
        .ok_or_else(|| CodegenError::unsupported(&ref_pointer, format!("`$ref: {reference}`")))?;
    match components.and_then(|c| c.get(name)) {
        Some(ReferenceOr::Item(item)) => Ok((item, join(&section_pointer, name))),
        _ => Err(CodegenError::new(
            ref_pointer,
            ErrorKind::DanglingRef(reference.clone()),
        )),
    }
}

fn describe(ty: Option<&Ty>) -> String {
    match ty {
        Some(Ty::Named(n)) => format!("`{}`", n.spec),
        Some(other) => format!("{other:?}"),
        None => "none".to_owned(),
    }
}

/// The JSON media type of a body: `application/json`, or any `+json` type.
fn json_media(content: &IndexMap<String, MediaType>) -> Option<(&str, &MediaType)> {
    content
        .iter()
        .find(|(k, _)| is_json(k))
        .map(|(k, m)| (k.as_str(), m))
}

fn is_json(media_type: &str) -> bool {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// The parameter names of a path template, in order; refuses a malformed template and
/// literal text the client would have to encode.
fn path_template(path: &str) -> Result<Vec<String>, String> {
    if !path.starts_with('/') {
        return Err("a path must start with `/`".to_owned());
    }
    let mut names = Vec::new();
    let mut rest = path;
    loop {
        let literal_end = rest.find(['{', '}']).unwrap_or(rest.len());
        let literal = &rest[..literal_end];
        if let Some(c) = literal
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || "-._~/:@!$&'()*+,;=".contains(*c)))
        {
            return Err(format!(
                "{c:?} is not allowed in the literal part of a path (it would need percent-encoding)"
            ));
        }
        rest = &rest[literal_end..];
        let Some(after) = rest.strip_prefix('{') else {
            if rest.starts_with('}') {
                return Err("`}` without `{`".to_owned());
            }
            break;
        };
        let close = after.find('}').ok_or("`{` without `}`")?;
        let name = &after[..close];
        if name.is_empty() || name.contains('{') {
            return Err(format!("`{{{name}}}` is not a parameter name"));
        }
        if names.iter().any(|n| n == name) {
            return Err(format!("`{{{name}}}` appears twice"));
        }
        names.push(name.to_owned());
        rest = &after[close + 1..];
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_templates_are_read_strictly() {
        assert_eq!(path_template("/messages/{id}"), Ok(vec!["id".to_owned()]));
        assert_eq!(
            path_template("/a/{x}/b/{y}.json"),
            Ok(vec!["x".to_owned(), "y".to_owned()])
        );
        assert!(path_template("messages").is_err());
        assert!(path_template("/a/{x").is_err());
        assert!(path_template("/a/x}").is_err());
        assert!(path_template("/a/{}").is_err());
        assert!(path_template("/a/{x}/{x}").is_err());
        assert!(path_template("/a b").is_err());
        assert!(path_template("/a?b=1").is_err());
        assert!(path_template("/a#b").is_err());
        assert!(path_template("/a%20").is_err());
    }

    #[test]
    fn json_media_types() {
        assert!(is_json("application/json"));
        assert!(is_json("application/json; charset=utf-8"));
        assert!(is_json("application/vnd.api+json"));
        assert!(!is_json("text/plain"));
        assert!(!is_json("multipart/form-data"));
    }
}
