//! Spec text -> [`Api`]: the only place that knows OpenAPI's shape.
//!
//! Walks the document once, keeping the JSON pointer of wherever it is so that every
//! refusal names the exact construct. Whatever it does not understand is an error, never
//! a guess: generated code that silently drops a rule would send what the API refuses.

use std::borrow::Borrow;
use std::collections::{HashMap, HashSet};

use heck::ToUpperCamelCase;
use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, MediaType, OpenAPI, ReferenceOr, RequestBody, Schema,
    SchemaKind, SecurityScheme, StatusCode, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use crate::error::{CodegenError, ErrorKind, join};
use crate::model::{
    Alternative, Api, Enum, Field, Format, Operation, Response, Rule, Shape, Struct, Ty, TypeDef,
    Unwrap,
};
use crate::names;

const SCHEMAS: &str = "#/components/schemas/";
const RESPONSES: &str = "#/components/responses/";
const REQUEST_BODIES: &str = "#/components/requestBodies/";
const JSON: &str = "application/json";

/// The schema the hand-written runtime decodes every non-2xx answer as (`ApiError`).
const ERROR_BODY: &str = "Errors";

/// Parses spec text (YAML or JSON) into the intermediate model.
pub fn parse(spec: &str) -> Result<Api, CodegenError> {
    // Through `serde_yaml::Value` first (it keeps key order, as spec order matters for
    // the output): a YAML error then keeps its line and column, and a shape error is
    // reported as such rather than as a YAML one.
    let value: serde_yaml::Value = serde_yaml::from_str(spec)
        .map_err(|e| CodegenError::new("#", ErrorKind::Yaml(e.to_string())))?;
    let version = value
        .get("openapi")
        .and_then(serde_yaml::Value::as_str)
        .unwrap_or("");
    if !version.starts_with("3.0.") {
        return Err(CodegenError::new(
            "#/openapi",
            ErrorKind::NotOpenApi(format!(
                "`openapi` is {version:?}, this generator reads 3.0.x"
            )),
        ));
    }
    check_schema_keywords(&value)?;
    let doc: OpenAPI = serde_yaml::from_value(value)
        .map_err(|e| CodegenError::new("#", ErrorKind::NotOpenApi(e.to_string())))?;
    Parser::new(&doc).run()
}

/// What a schema says about the property that uses it, beside its type.
#[derive(Default, Clone)]
struct Annotations {
    doc: Option<String>,
    nullable: bool,
    default: Option<Value>,
}

struct Parser<'a> {
    doc: &'a OpenAPI,
    /// Component types, in spec order.
    components: Vec<TypeDef>,
    /// Types of inline objects and enums, in discovery order.
    inline: Vec<TypeDef>,
    /// Every type name handed out, with the pointer of the schema that got it.
    names: HashMap<String, String>,
    /// Component schemas being inlined right now (a `$ref` chain), to refuse cycles.
    resolving: Vec<String>,
    /// Component schemas already inlined: converted once, so that an inline enum or object
    /// inside one gets its name once, however many properties refer to the component.
    inlined: HashMap<String, (Shape, Annotations)>,
}

impl<'a> Parser<'a> {
    fn new(doc: &'a OpenAPI) -> Self {
        Self {
            doc,
            components: Vec::new(),
            inline: Vec::new(),
            names: HashMap::new(),
            resolving: Vec::new(),
            inlined: HashMap::new(),
        }
    }

    fn run(mut self) -> Result<Api, CodegenError> {
        let base_url = self.base_url()?;
        self.check_security()?;
        self.component_types()?;
        let operations = self.operations()?;
        let mut types = std::mem::take(&mut self.components);
        types.append(&mut self.inline);
        check_error_body(&types)?;
        mark_request_types(&mut types, &operations);
        Ok(Api {
            title: self.doc.info.title.clone(),
            version: self.doc.info.version.clone(),
            base_url,
            operations,
            types,
        })
    }

    fn base_url(&self) -> Result<String, CodegenError> {
        let server = self.doc.servers.first().ok_or_else(|| {
            CodegenError::invalid(
                "#/servers",
                "no server: the client needs a default base URL",
            )
        })?;
        if server.variables.as_ref().is_some_and(|v| !v.is_empty()) {
            return Err(CodegenError::unsupported(
                "#/servers/0/variables",
                "server variables",
            ));
        }
        Ok(server.url.trim_end_matches('/').to_owned())
    }

    /// The runtime sends `Authorization: Bearer <key>`; any other scheme would be ignored.
    fn check_security(&self) -> Result<(), CodegenError> {
        let Some(components) = &self.doc.components else {
            return Ok(());
        };
        for (name, scheme) in &components.security_schemes {
            let pointer = join("#/components/securitySchemes", name);
            match scheme {
                ReferenceOr::Item(SecurityScheme::HTTP { scheme, .. })
                    if scheme.eq_ignore_ascii_case("bearer") => {}
                _ => {
                    return Err(CodegenError::unsupported(
                        &pointer,
                        "security scheme other than HTTP bearer",
                    ));
                }
            }
        }
        Ok(())
    }

    fn component_types(&mut self) -> Result<(), CodegenError> {
        let Some(components) = &self.doc.components else {
            return Ok(());
        };
        // Reserve every component name first, so inline names cannot steal one.
        for (name, schema) in &components.schemas {
            if let ReferenceOr::Item(schema) = schema {
                if is_named_kind(schema) {
                    self.claim_name(name, &join("#/components/schemas", name))?;
                }
            }
        }
        for (name, schema) in &components.schemas {
            let pointer = join("#/components/schemas", name);
            match schema {
                ReferenceOr::Reference { .. } => {
                    return Err(CodegenError::unsupported(
                        &pointer,
                        "a component schema that is only a `$ref`",
                    ));
                }
                ReferenceOr::Item(schema) if is_named_kind(schema) => {
                    let def = self.type_def(name, schema, &pointer)?;
                    self.components.push(def);
                }
                // Strings, arrays, `anyOf`s...: inlined wherever they are used. Converting
                // them here once checks them even when nothing uses them.
                ReferenceOr::Item(_) => {
                    self.reference_shape(&format!("{SCHEMAS}{name}"), &pointer)?;
                }
            }
        }
        Ok(())
    }

    fn claim_name(&mut self, name: &str, pointer: &str) -> Result<(), CodegenError> {
        let rust =
            names::type_name(name).map_err(|why| CodegenError::invalid_name(pointer, why))?;
        if let Some(first) = self.names.get(&rust) {
            return Err(CodegenError::new(
                pointer,
                ErrorKind::NameCollision(format!("type name `{rust}` is already used by {first}")),
            ));
        }
        self.names.insert(rust, pointer.to_owned());
        Ok(())
    }

    /// A struct or enum for a schema that [`is_named_kind`].
    fn type_def(
        &mut self,
        name: &str,
        schema: &Schema,
        pointer: &str,
    ) -> Result<TypeDef, CodegenError> {
        let doc = schema.schema_data.description.clone();
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                let mut values = Vec::new();
                for (i, v) in s.enumeration.iter().enumerate() {
                    match v {
                        Some(v) => values.push(v.clone()),
                        None => {
                            return Err(CodegenError::unsupported(
                                &join(&join(pointer, "enum"), &i.to_string()),
                                "`null` in a string enum (use `nullable: true`)",
                            ));
                        }
                    }
                }
                let enum_pointer = join(pointer, "enum");
                check_rust_names(
                    values
                        .iter()
                        .enumerate()
                        .map(|(i, v)| (v.as_str(), join(&enum_pointer, &i.to_string()))),
                    names::variant_name,
                    "enum values",
                    "variant",
                )?;
                let default = match &schema.schema_data.default {
                    None => None,
                    Some(Value::String(d)) if values.contains(d) => Some(d.clone()),
                    Some(d) => {
                        return Err(CodegenError::invalid(
                            &join(pointer, "default"),
                            format!("default {d} is not one of the enum values"),
                        ));
                    }
                };
                Ok(TypeDef::Enum(Enum {
                    name: name.to_owned(),
                    doc,
                    values,
                    default,
                }))
            }
            _ => {
                let Some(object) = ObjectParts::of(schema) else {
                    return Err(CodegenError::internal(
                        pointer,
                        "type_def on a schema that is not named",
                    ));
                };
                self.struct_def(name, doc, &object, pointer)
            }
        }
    }

    fn struct_def(
        &mut self,
        name: &str,
        doc: Option<String>,
        o: &ObjectParts<'_>,
        pointer: &str,
    ) -> Result<TypeDef, CodegenError> {
        if o.min_properties.is_some() || o.max_properties.is_some() {
            return Err(CodegenError::unsupported(
                pointer,
                "`minProperties`/`maxProperties`",
            ));
        }
        if let Some(AdditionalProperties::Schema(_)) = &o.additional_properties {
            return Err(CodegenError::unsupported(
                &join(pointer, "additionalProperties"),
                "`additionalProperties` with a schema beside declared properties",
            ));
        }
        for (i, r) in o.required.iter().enumerate() {
            if !o.properties.contains_key(r) {
                return Err(CodegenError::invalid(
                    &join(&join(pointer, "required"), &i.to_string()),
                    format!("required property `{r}` is not declared"),
                ));
            }
        }
        let props = join(pointer, "properties");
        check_rust_names(
            o.properties
                .keys()
                .map(|prop| (prop.as_str(), join(&props, prop))),
            names::field_name,
            "properties",
            "field",
        )?;
        let mut fields = Vec::new();
        for (prop, schema) in o.properties {
            let prop_pointer = join(&props, prop);
            let hint = format!("{name}{}", prop.to_upper_camel_case());
            let (shape, ann) = self.shape(schema, &prop_pointer, &hint)?;
            fields.push(Field {
                name: prop.clone(),
                doc: ann.doc,
                shape,
                required: o.required.contains(prop),
                nullable: ann.nullable,
                default: ann.default,
            });
        }
        let required_any_of = o.required_any_of(pointer)?;
        for (g, group) in required_any_of.iter().enumerate() {
            for name in group.iter().flatten() {
                if !o.properties.contains_key(name) {
                    return Err(CodegenError::invalid(
                        &format!("{pointer}/anyOf (group {g})"),
                        format!("required property `{name}` is not declared"),
                    ));
                }
            }
        }
        Ok(TypeDef::Struct(Struct {
            name: name.to_owned(),
            doc,
            fields,
            required_order: o.required.to_vec(),
            required_any_of,
            in_request: false,
            pointer: pointer.to_owned(),
        }))
    }

    /// A property's, item's or member's schema, inline (boxed or not) or by `$ref`.
    fn shape<S: Borrow<Schema>>(
        &mut self,
        schema: &ReferenceOr<S>,
        pointer: &str,
        hint: &str,
    ) -> Result<(Shape, Annotations), CodegenError> {
        match schema {
            ReferenceOr::Reference { reference } => self.reference_shape(reference, pointer),
            ReferenceOr::Item(schema) => self.schema_shape(schema.borrow(), pointer, hint),
        }
    }

    /// A `$ref` to a component schema: a named type, or the inlined primitive it names.
    fn reference_shape(
        &mut self,
        reference: &str,
        pointer: &str,
    ) -> Result<(Shape, Annotations), CodegenError> {
        let (name, target) = self.schema_component(reference, pointer)?;
        let target_pointer = join("#/components/schemas", name);
        if is_named_kind(target) {
            let ann = Annotations {
                doc: target.schema_data.description.clone(),
                nullable: target.schema_data.nullable,
                default: target.schema_data.default.clone(),
            };
            return Ok((
                Shape {
                    ty: Ty::Named(name.to_owned()),
                    rules: Vec::new(),
                },
                ann,
            ));
        }
        if let Some(done) = self.inlined.get(name) {
            return Ok(done.clone());
        }
        if self.resolving.iter().any(|n| n == name) {
            return Err(CodegenError::unsupported(
                pointer,
                format!("recursive `$ref` to `{name}`"),
            ));
        }
        self.resolving.push(name.to_owned());
        let result = self.schema_shape(target, &target_pointer, name);
        self.resolving.pop();
        let result = result?;
        self.inlined.insert(name.to_owned(), result.clone());
        Ok(result)
    }

    fn schema_component(
        &self,
        reference: &str,
        pointer: &str,
    ) -> Result<(&'a str, &'a Schema), CodegenError> {
        let ref_pointer = join(pointer, "$ref");
        let Some(name) = reference.strip_prefix(SCHEMAS) else {
            return Err(CodegenError::unsupported(
                &ref_pointer,
                format!("`$ref: {reference}` (only `{SCHEMAS}...` is supported for schemas)"),
            ));
        };
        let schemas = self.doc.components.as_ref().map(|c| &c.schemas);
        match schemas.and_then(|s| s.get_key_value(name)) {
            Some((key, ReferenceOr::Item(schema))) => Ok((key.as_str(), schema)),
            Some((_, ReferenceOr::Reference { .. })) => Err(CodegenError::unsupported(
                &ref_pointer,
                "a `$ref` to a component schema that is only a `$ref`",
            )),
            None => Err(CodegenError::new(
                ref_pointer,
                ErrorKind::DanglingRef(reference.to_owned()),
            )),
        }
    }

    fn schema_shape(
        &mut self,
        schema: &Schema,
        pointer: &str,
        hint: &str,
    ) -> Result<(Shape, Annotations), CodegenError> {
        let data = &schema.schema_data;
        if data.discriminator.is_some() {
            return Err(CodegenError::unsupported(
                &join(pointer, "discriminator"),
                "`discriminator`",
            ));
        }
        if data.read_only || data.write_only {
            return Err(CodegenError::unsupported(pointer, "`readOnly`/`writeOnly`"));
        }
        let mut ann = Annotations {
            doc: data.description.clone(),
            nullable: data.nullable,
            default: data.default.clone(),
        };
        let shape = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => {
                // `allOf: [$ref]` is how OpenAPI 3.0 puts a description or `nullable` on a
                // property that points at a named schema; anything longer is composition.
                let [only] = all_of.as_slice() else {
                    return Err(CodegenError::unsupported(
                        &join(pointer, "allOf"),
                        "`allOf` with more than one member",
                    ));
                };
                let (shape, inner) = self.shape(only, &join(&join(pointer, "allOf"), "0"), hint)?;
                ann.doc = ann.doc.or(inner.doc);
                ann.nullable |= inner.nullable;
                ann.default = ann.default.or(inner.default);
                shape
            }
            SchemaKind::AnyOf { any_of } => self.any_of(any_of, &join(pointer, "anyOf"), hint)?,
            SchemaKind::OneOf { .. } => {
                return Err(CodegenError::unsupported(
                    &join(pointer, "oneOf"),
                    "`oneOf`",
                ));
            }
            SchemaKind::Not { .. } => {
                return Err(CodegenError::unsupported(&join(pointer, "not"), "`not`"));
            }
            SchemaKind::Any(_) if ObjectParts::of(schema).is_some() => {
                self.claim_name(hint, pointer)?;
                let def = self.type_def(hint, schema, pointer)?;
                self.inline.push(def);
                Shape {
                    ty: Ty::Named(hint.to_owned()),
                    rules: Vec::new(),
                }
            }
            SchemaKind::Any(_) => {
                return Err(CodegenError::unsupported(
                    pointer,
                    "a schema without `type` (or with keywords of several types)",
                ));
            }
            SchemaKind::Type(ty) => self.typed_shape(ty, schema, pointer, hint)?,
        };
        check_default(&shape.ty, ann.default.as_ref(), pointer)?;
        Ok((shape, ann))
    }

    fn typed_shape(
        &mut self,
        ty: &Type,
        schema: &Schema,
        pointer: &str,
        hint: &str,
    ) -> Result<Shape, CodegenError> {
        let mut rules = Vec::new();
        let ty = match ty {
            Type::String(s) if !s.enumeration.is_empty() => {
                self.claim_name(hint, pointer)?;
                let def = self.type_def(hint, schema, pointer)?;
                self.inline.push(def);
                Ty::Named(hint.to_owned())
            }
            Type::String(s) => {
                let format = match &s.format {
                    VariantOrUnknownOrEmpty::Empty => None,
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Some(Format::DateTime),
                    VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Some(Format::Date),
                    VariantOrUnknownOrEmpty::Unknown(f) if f == "uuid" => Some(Format::Uuid),
                    VariantOrUnknownOrEmpty::Unknown(f) if f == "uri" => Some(Format::Uri),
                    VariantOrUnknownOrEmpty::Item(other) => {
                        return Err(unsupported_format(
                            pointer,
                            &format!("{other:?}").to_lowercase(),
                        ));
                    }
                    VariantOrUnknownOrEmpty::Unknown(other) => {
                        return Err(unsupported_format(pointer, other));
                    }
                };
                if let Some(min) = s.min_length {
                    rules.push(Rule::MinLength(min as u64));
                }
                if let Some(max) = s.max_length {
                    rules.push(Rule::MaxLength(max as u64));
                }
                if let Some(pattern) = &s.pattern {
                    if let Err(e) = regex_lite::Regex::new(pattern) {
                        return Err(CodegenError::new(
                            join(pointer, "pattern"),
                            ErrorKind::InvalidPattern {
                                pattern: pattern.clone(),
                                reason: e.to_string(),
                            },
                        ));
                    }
                    rules.push(Rule::Pattern(pattern.clone()));
                }
                if let Some(f) = format {
                    rules.push(Rule::Format(f));
                }
                Ty::String(format)
            }
            Type::Integer(i) => {
                if !i.enumeration.is_empty() {
                    return Err(CodegenError::unsupported(
                        &join(pointer, "enum"),
                        "`enum` on an integer",
                    ));
                }
                if i.multiple_of.is_some() || i.exclusive_minimum || i.exclusive_maximum {
                    return Err(CodegenError::unsupported(
                        pointer,
                        "`multipleOf`/`exclusiveMinimum`/`exclusiveMaximum`",
                    ));
                }
                if let VariantOrUnknownOrEmpty::Unknown(f) = &i.format {
                    return Err(CodegenError::unsupported(
                        &join(pointer, "format"),
                        format!("integer format `{f}`"),
                    ));
                }
                rules.extend(i.minimum.map(|m| Rule::Minimum(m as f64)));
                rules.extend(i.maximum.map(|m| Rule::Maximum(m as f64)));
                Ty::Integer
            }
            Type::Number(n) => {
                if !n.enumeration.is_empty() {
                    return Err(CodegenError::unsupported(
                        &join(pointer, "enum"),
                        "`enum` on a number",
                    ));
                }
                if n.multiple_of.is_some() || n.exclusive_minimum || n.exclusive_maximum {
                    return Err(CodegenError::unsupported(
                        pointer,
                        "`multipleOf`/`exclusiveMinimum`/`exclusiveMaximum`",
                    ));
                }
                if let VariantOrUnknownOrEmpty::Unknown(f) = &n.format {
                    return Err(CodegenError::unsupported(
                        &join(pointer, "format"),
                        format!("number format `{f}`"),
                    ));
                }
                rules.extend(n.minimum.map(Rule::Minimum));
                rules.extend(n.maximum.map(Rule::Maximum));
                Ty::Number
            }
            Type::Boolean(b) => {
                if !b.enumeration.is_empty() {
                    return Err(CodegenError::unsupported(
                        &join(pointer, "enum"),
                        "`enum` on a boolean",
                    ));
                }
                Ty::Boolean
            }
            Type::Array(a) => {
                if a.unique_items {
                    return Err(CodegenError::unsupported(
                        &join(pointer, "uniqueItems"),
                        "`uniqueItems`",
                    ));
                }
                let Some(items) = &a.items else {
                    return Err(CodegenError::unsupported(
                        pointer,
                        "an array without `items`",
                    ));
                };
                let items_pointer = join(pointer, "items");
                let (item, item_ann) = self.shape(items, &items_pointer, &format!("{hint}Item"))?;
                if item_ann.nullable {
                    // `Vec<T>` would refuse a `null` item; no spec here needs `Vec<Option<T>>`.
                    return Err(CodegenError::unsupported(
                        &items_pointer,
                        "nullable array items",
                    ));
                }
                if matches!(item.ty, Ty::Array(_)) {
                    return Err(CodegenError::unsupported(
                        &items_pointer,
                        "an array of arrays",
                    ));
                }
                rules.extend(a.min_items.map(|m| Rule::MinItems(m as u64)));
                rules.extend(a.max_items.map(|m| Rule::MaxItems(m as u64)));
                Ty::Array(Box::new(item))
            }
            Type::Object(o) if o.properties.is_empty() => {
                if !o.required.is_empty()
                    || o.min_properties.is_some()
                    || o.max_properties.is_some()
                {
                    return Err(CodegenError::unsupported(
                        pointer,
                        "`required`/`minProperties`/`maxProperties` on an object without `properties`",
                    ));
                }
                if let Some(AdditionalProperties::Schema(_)) = &o.additional_properties {
                    return Err(CodegenError::unsupported(
                        &join(pointer, "additionalProperties"),
                        "`additionalProperties` with a schema (a typed map)",
                    ));
                }
                if let Some(AdditionalProperties::Any(false)) = &o.additional_properties {
                    return Err(CodegenError::unsupported(
                        &join(pointer, "additionalProperties"),
                        "an object that allows no property at all",
                    ));
                }
                Ty::JsonObject
            }
            Type::Object(_) => {
                self.claim_name(hint, pointer)?;
                let def = self.type_def(hint, schema, pointer)?;
                self.inline.push(def);
                Ty::Named(hint.to_owned())
            }
        };
        Ok(Shape { ty, rules })
    }

    /// `anyOf` of strings (a value matching any alternative) or of a string and a number.
    fn any_of(
        &mut self,
        members: &[ReferenceOr<Schema>],
        pointer: &str,
        hint: &str,
    ) -> Result<Shape, CodegenError> {
        let mut alternatives = Vec::new();
        let mut plain_string = false;
        let mut number = false;
        for (i, member) in members.iter().enumerate() {
            let member_pointer = join(pointer, &i.to_string());
            let name = match member {
                ReferenceOr::Reference { reference } => reference
                    .strip_prefix(SCHEMAS)
                    .unwrap_or(reference)
                    .to_owned(),
                ReferenceOr::Item(_) => format!("alternative {}", i + 1),
            };
            let (shape, member_ann) =
                self.shape(member, &member_pointer, &format!("{hint}{}", i + 1))?;
            if member_ann.nullable {
                return Err(CodegenError::unsupported(
                    &member_pointer,
                    "a nullable `anyOf` member (put `nullable` on the `anyOf` itself)",
                ));
            }
            match shape.ty {
                Ty::String(_) => {
                    plain_string |= shape.rules.is_empty();
                    alternatives.push(Alternative {
                        name,
                        rules: shape.rules,
                    });
                }
                Ty::Number | Ty::Integer if shape.rules.is_empty() => number = true,
                _ => {
                    return Err(CodegenError::unsupported(
                        &member_pointer,
                        "an `anyOf` member other than a string (or one plain number beside one plain string)",
                    ));
                }
            }
        }
        if number {
            if alternatives.len() == 1 && plain_string {
                return Ok(Shape {
                    ty: Ty::StringOrNumber,
                    rules: Vec::new(),
                });
            }
            return Err(CodegenError::unsupported(
                pointer,
                "`anyOf` mixing numbers with anything but one plain string",
            ));
        }
        if alternatives.is_empty() {
            return Err(CodegenError::invalid(pointer, "empty `anyOf`"));
        }
        // One unconstrained alternative accepts every string: the others add no rule.
        let rules = if plain_string {
            Vec::new()
        } else {
            vec![Rule::AnyOf(alternatives)]
        };
        Ok(Shape {
            ty: Ty::String(None),
            rules,
        })
    }

    fn operations(&mut self) -> Result<Vec<Operation>, CodegenError> {
        let mut operations = Vec::new();
        // Rust method name -> (operationId, pointer) of the operation that has it.
        let mut seen: HashMap<String, (String, String)> = HashMap::new();
        for (path, item) in self.doc.paths.iter() {
            let path_pointer = join("#/paths", path);
            let ReferenceOr::Item(item) = item else {
                return Err(CodegenError::unsupported(
                    &path_pointer,
                    "a path item that is a `$ref`",
                ));
            };
            if !item.parameters.is_empty() {
                return Err(CodegenError::unsupported(
                    &join(&path_pointer, "parameters"),
                    "parameters",
                ));
            }
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
                seen.insert(method_name, (id.clone(), pointer.clone()));
                seen.insert(with_response, (id.clone(), pointer.clone()));
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
                if !op.parameters.is_empty() {
                    return Err(CodegenError::unsupported(
                        &join(&pointer, "parameters"),
                        "parameters",
                    ));
                }
                if path.contains('{') {
                    return Err(CodegenError::unsupported(
                        &pointer,
                        "path templates (`{...}`)",
                    ));
                }
                if !op.callbacks.is_empty() {
                    return Err(CodegenError::unsupported(
                        &join(&pointer, "callbacks"),
                        "callbacks",
                    ));
                }
                let request = match &op.request_body {
                    None => None,
                    Some(body) => {
                        Some(self.request_body(body, &join(&pointer, "requestBody"), &id)?)
                    }
                };
                let (response, error) = self.responses(op, &pointer, &id)?;
                operations.push(Operation {
                    id,
                    method: method.to_ascii_uppercase(),
                    path: path.clone(),
                    summary: op.summary.clone(),
                    description: op.description.clone(),
                    request,
                    response,
                    error,
                });
            }
        }
        Ok(operations)
    }

    fn request_body(
        &mut self,
        body: &ReferenceOr<RequestBody>,
        pointer: &str,
        id: &str,
    ) -> Result<String, CodegenError> {
        let (body, pointer) = match body {
            ReferenceOr::Item(b) => (b, pointer.to_owned()),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix(REQUEST_BODIES).ok_or_else(|| {
                    CodegenError::unsupported(
                        &join(pointer, "$ref"),
                        format!("`$ref: {reference}`"),
                    )
                })?;
                let found = self
                    .doc
                    .components
                    .as_ref()
                    .and_then(|c| c.request_bodies.get(name));
                match found {
                    Some(ReferenceOr::Item(b)) => (b, join("#/components/requestBodies", name)),
                    _ => {
                        return Err(CodegenError::new(
                            join(pointer, "$ref"),
                            ErrorKind::DanglingRef(reference.clone()),
                        ));
                    }
                }
            }
        };
        if !body.required {
            return Err(CodegenError::unsupported(
                &pointer,
                "an optional request body (add `required: true`)",
            ));
        }
        let media = json_only(&body.content, &join(&pointer, "content"))?;
        self.named_struct(
            media,
            &join(&join(&pointer, "content"), JSON),
            &format!("{id}Request"),
        )
    }

    /// The schema of a JSON body, which must be an object: a named struct.
    fn named_struct(
        &mut self,
        media: &MediaType,
        pointer: &str,
        hint: &str,
    ) -> Result<String, CodegenError> {
        let schema_pointer = join(pointer, "schema");
        let Some(schema) = &media.schema else {
            return Err(CodegenError::unsupported(
                pointer,
                "a JSON body without `schema`",
            ));
        };
        let (shape, _) = self.shape(schema, &schema_pointer, hint)?;
        match shape.ty {
            Ty::Named(name) if self.is_struct(&name) => Ok(name),
            _ => Err(CodegenError::unsupported(
                &schema_pointer,
                "a JSON body that is not an object with properties",
            )),
        }
    }

    fn is_struct(&self, name: &str) -> bool {
        self.components
            .iter()
            .chain(&self.inline)
            .any(|t| matches!(t, TypeDef::Struct(s) if s.name == name))
    }

    fn responses(
        &mut self,
        op: &openapiv3::Operation,
        pointer: &str,
        id: &str,
    ) -> Result<(Response, Option<String>), CodegenError> {
        let responses_pointer = join(pointer, "responses");
        let mut success = None;
        let mut error: Option<(String, String)> = None;
        let all = op
            .responses
            .responses
            .iter()
            .map(|(code, r)| (Some(code), r))
            .chain(op.responses.default.iter().map(|r| (None, r)));
        for (code, response) in all {
            let key = code.map_or_else(|| "default".to_owned(), ToString::to_string);
            let response_pointer = join(&responses_pointer, &key);
            let (response, response_pointer) = self.response_item(response, &response_pointer)?;
            let is_success = match code {
                Some(StatusCode::Code(c)) => (200..300).contains(c),
                Some(StatusCode::Range(r)) => *r == 2,
                None => false,
            };
            if is_success {
                let status = match code {
                    Some(StatusCode::Code(c)) => *c,
                    _ => {
                        return Err(CodegenError::unsupported(
                            &response_pointer,
                            "a `2XX` range as the success response",
                        ));
                    }
                };
                if success.is_some() {
                    return Err(CodegenError::unsupported(
                        &response_pointer,
                        "more than one 2xx response",
                    ));
                }
                let media = json_only(&response.content, &join(&response_pointer, "content"))?;
                let body = self.named_struct(
                    media,
                    &join(&join(&response_pointer, "content"), JSON),
                    &format!("{id}Response"),
                )?;
                success = Some(Response {
                    status,
                    unwrap: self.envelope(&body),
                    body,
                });
            } else if !response.content.is_empty() {
                let media = json_only(&response.content, &join(&response_pointer, "content"))?;
                let body = self.named_struct(
                    media,
                    &join(&join(&response_pointer, "content"), JSON),
                    &format!("{id}Error"),
                )?;
                if let Some((first, first_pointer)) = &error {
                    if *first != body {
                        return Err(CodegenError::unsupported(
                            &response_pointer,
                            format!(
                                "error responses of different types (`{body}` here, `{first}` at {first_pointer})"
                            ),
                        ));
                    }
                } else {
                    if body != ERROR_BODY {
                        return Err(CodegenError::unsupported(
                            &response_pointer,
                            format!(
                                "an error response of type `{body}`: the runtime decodes every error answer as `{ERROR_BODY}`"
                            ),
                        ));
                    }
                    error = Some((body, response_pointer));
                }
            }
        }
        let success = success.ok_or_else(|| {
            CodegenError::unsupported(&responses_pointer, "an operation without a 2xx response")
        })?;
        Ok((success, error.map(|(name, _)| name)))
    }

    fn response_item<'r>(
        &self,
        response: &'r ReferenceOr<openapiv3::Response>,
        pointer: &str,
    ) -> Result<(&'r openapiv3::Response, String), CodegenError>
    where
        'a: 'r,
    {
        match response {
            ReferenceOr::Item(r) => Ok((r, pointer.to_owned())),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix(RESPONSES).ok_or_else(|| {
                    CodegenError::unsupported(
                        &join(pointer, "$ref"),
                        format!("`$ref: {reference}`"),
                    )
                })?;
                match self
                    .doc
                    .components
                    .as_ref()
                    .and_then(|c| c.responses.get(name))
                {
                    Some(ReferenceOr::Item(r)) => Ok((r, join("#/components/responses", name))),
                    _ => Err(CodegenError::new(
                        join(pointer, "$ref"),
                        ErrorKind::DanglingRef(reference.clone()),
                    )),
                }
            }
        }
    }

    /// `{data: T}` with `data` required and nothing else: the method returns `T`.
    fn envelope(&self, body: &str) -> Option<Unwrap> {
        let s = self
            .components
            .iter()
            .chain(&self.inline)
            .find_map(|t| match t {
                TypeDef::Struct(s) if s.name == body => Some(s),
                _ => None,
            })?;
        match s.fields.as_slice() {
            [f] if f.name == "data" && f.required && !f.nullable => Some(Unwrap {
                field: f.name.clone(),
                ty: f.shape.ty.clone(),
            }),
            _ => None,
        }
    }
}

/// Keywords of an OpenAPI 3.0 Schema Object. openapiv3 drops anything else without a
/// word, so a JSON Schema keyword such as `const` or `if` would be silently ignored and
/// the generated checks would be weaker than the spec: refuse it instead.
const SCHEMA_KEYWORDS: &[&str] = &[
    "$ref",
    "title",
    "description",
    "type",
    "format",
    "enum",
    "default",
    "nullable",
    "example",
    "pattern",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "required",
    "properties",
    "additionalProperties",
    "minProperties",
    "maxProperties",
    "items",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "discriminator",
    "readOnly",
    "writeOnly",
    "deprecated",
    "externalDocs",
    "xml",
];

/// Finds every schema in the raw document and refuses keywords OpenAPI 3.0 does not have.
fn check_schema_keywords(doc: &serde_yaml::Value) -> Result<(), CodegenError> {
    use serde_yaml::Value as Y;
    fn entries(v: &Y) -> Vec<(String, &Y)> {
        match v {
            // Unquoted status codes (`200:`) are numbers in YAML; openapiv3 takes them too.
            Y::Mapping(m) => m
                .iter()
                .filter_map(|(k, v)| match k {
                    Y::String(k) => Some((k.clone(), v)),
                    Y::Number(n) => Some((n.to_string(), v)),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }
    fn schema(v: &Y, pointer: &str) -> Result<(), CodegenError> {
        for (key, child) in entries(v) {
            let here = join(pointer, &key);
            if !SCHEMA_KEYWORDS.contains(&key.as_str()) && !key.starts_with("x-") {
                return Err(CodegenError::unsupported(
                    &here,
                    format!("keyword `{key}` (not an OpenAPI 3.0 schema keyword)"),
                ));
            }
            match key.as_str() {
                "properties" => {
                    for (name, property) in entries(child) {
                        schema(property, &join(&here, &name))?;
                    }
                }
                "items" | "not" => schema(child, &here)?,
                "additionalProperties" if child.is_mapping() => schema(child, &here)?,
                "allOf" | "anyOf" | "oneOf" => {
                    if let Y::Sequence(members) = child {
                        for (i, member) in members.iter().enumerate() {
                            schema(member, &join(&here, &i.to_string()))?;
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }
    /// `content` of a request body or response: each media type's `schema`.
    fn content(v: &Y, pointer: &str) -> Result<(), CodegenError> {
        for (media, m) in entries(v.get("content").unwrap_or(&Y::Null)) {
            if let Some(s) = m.get("schema") {
                schema(s, &join(&join(&join(pointer, "content"), &media), "schema"))?;
            }
        }
        Ok(())
    }
    let components = doc.get("components").unwrap_or(&Y::Null);
    for (name, s) in entries(components.get("schemas").unwrap_or(&Y::Null)) {
        schema(s, &join("#/components/schemas", &name))?;
    }
    for section in ["responses", "requestBodies"] {
        for (name, r) in entries(components.get(section).unwrap_or(&Y::Null)) {
            content(r, &join(&format!("#/components/{section}"), &name))?;
        }
    }
    for (path, item) in entries(doc.get("paths").unwrap_or(&Y::Null)) {
        let path_pointer = join("#/paths", &path);
        for (method, op) in entries(item) {
            let op_pointer = join(&path_pointer, &method);
            if let Some(body) = op.get("requestBody") {
                content(body, &join(&op_pointer, "requestBody"))?;
            }
            for (code, r) in entries(op.get("responses").unwrap_or(&Y::Null)) {
                content(r, &join(&join(&op_pointer, "responses"), &code))?;
            }
        }
    }
    Ok(())
}

fn unsupported_format(pointer: &str, format: &str) -> CodegenError {
    CodegenError::unsupported(
        &join(pointer, "format"),
        format!("string format `{format}` (supported: uuid, date-time, date, uri)"),
    )
}

/// Objects with properties and string enums become named Rust types; everything else is
/// inlined where it is used.
fn is_named_kind(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => !s.enumeration.is_empty(),
        _ => ObjectParts::of(schema).is_some(),
    }
}

/// The parts of an object schema with properties. openapiv3 reads one as `type: object`,
/// or, when it also carries `anyOf`/`allOf` of `required` lists (conditional
/// requirements such as "`from` or `messaging_profile_id`"), as an untyped schema.
struct ObjectParts<'s> {
    properties: &'s IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: &'s [String],
    additional_properties: &'s Option<AdditionalProperties>,
    min_properties: Option<usize>,
    max_properties: Option<usize>,
    any_of: &'s [ReferenceOr<Schema>],
    all_of: &'s [ReferenceOr<Schema>],
}

impl<'s> ObjectParts<'s> {
    fn of(schema: &'s Schema) -> Option<Self> {
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) if !o.properties.is_empty() => Some(ObjectParts {
                properties: &o.properties,
                required: &o.required,
                additional_properties: &o.additional_properties,
                min_properties: o.min_properties,
                max_properties: o.max_properties,
                any_of: &[],
                all_of: &[],
            }),
            SchemaKind::Any(a)
                if a.typ.as_deref() == Some("object")
                    && !a.properties.is_empty()
                    && only_object_keywords(a) =>
            {
                Some(ObjectParts {
                    properties: &a.properties,
                    required: &a.required,
                    additional_properties: &a.additional_properties,
                    min_properties: a.min_properties,
                    max_properties: a.max_properties,
                    any_of: &a.any_of,
                    all_of: &a.all_of,
                })
            }
            _ => None,
        }
    }

    /// The object's `anyOf` (one group) and each `allOf` member's `anyOf` (one group
    /// each), every alternative a `required` list.
    fn required_any_of(&self, pointer: &str) -> Result<Vec<Vec<Vec<String>>>, CodegenError> {
        let mut groups = Vec::new();
        if !self.any_of.is_empty() {
            groups.push(required_lists(self.any_of, &join(pointer, "anyOf"))?);
        }
        for (i, member) in self.all_of.iter().enumerate() {
            let member_pointer = join(&join(pointer, "allOf"), &i.to_string());
            match member {
                ReferenceOr::Item(Schema {
                    schema_kind: SchemaKind::AnyOf { any_of },
                    ..
                }) => groups.push(required_lists(any_of, &join(&member_pointer, "anyOf"))?),
                _ => {
                    return Err(CodegenError::unsupported(
                        &member_pointer,
                        "an `allOf` member of an object other than an `anyOf` of `required` lists",
                    ));
                }
            }
        }
        Ok(groups)
    }
}

fn only_object_keywords(a: &AnySchema) -> bool {
    a.pattern.is_none()
        && a.multiple_of.is_none()
        && a.exclusive_minimum.is_none()
        && a.exclusive_maximum.is_none()
        && a.minimum.is_none()
        && a.maximum.is_none()
        && a.items.is_none()
        && a.min_items.is_none()
        && a.max_items.is_none()
        && a.unique_items.is_none()
        && a.enumeration.is_empty()
        && a.format.is_none()
        && a.min_length.is_none()
        && a.max_length.is_none()
        && a.one_of.is_empty()
        && a.not.is_none()
}

/// `[{required: [a]}, {required: [b, c]}]` -> `[[a], [b, c]]`.
fn required_lists(
    members: &[ReferenceOr<Schema>],
    pointer: &str,
) -> Result<Vec<Vec<String>>, CodegenError> {
    let mut lists = Vec::new();
    for (i, member) in members.iter().enumerate() {
        let member_pointer = join(pointer, &i.to_string());
        match member {
            ReferenceOr::Item(Schema {
                schema_kind: SchemaKind::Any(a),
                ..
            }) if !a.required.is_empty()
                && a.typ.is_none()
                && a.properties.is_empty()
                && only_object_keywords(a)
                && a.any_of.is_empty()
                && a.all_of.is_empty()
                && a.additional_properties.is_none()
                && a.min_properties.is_none()
                && a.max_properties.is_none() =>
            {
                lists.push(a.required.clone());
            }
            _ => {
                return Err(CodegenError::unsupported(
                    &member_pointer,
                    "an `anyOf` member of an object other than a `required` list",
                ));
            }
        }
    }
    Ok(lists)
}

fn json_only<'m>(
    content: &'m IndexMap<String, MediaType>,
    pointer: &str,
) -> Result<&'m MediaType, CodegenError> {
    if let Some((other, _)) = content.iter().find(|(k, _)| k.as_str() != JSON) {
        return Err(CodegenError::unsupported(
            &join(pointer, other),
            format!("media type `{other}` (only {JSON})"),
        ));
    }
    content.get(JSON).ok_or_else(|| {
        CodegenError::unsupported(pointer, format!("a body without `{JSON}` content"))
    })
}

fn check_default(ty: &Ty, default: Option<&Value>, pointer: &str) -> Result<(), CodegenError> {
    let Some(d) = default else { return Ok(()) };
    let fits = match ty {
        Ty::String(_) => d.is_string(),
        Ty::Integer => d.is_i64() || d.is_u64(),
        Ty::Number => d.is_number(),
        Ty::Boolean => d.is_boolean(),
        Ty::Array(_) => d.is_array(),
        Ty::JsonObject => d.is_object(),
        Ty::StringOrNumber => d.is_string() || d.is_number(),
        Ty::Named(_) => true, // checked against the enum in `type_def`
    };
    if fits {
        Ok(())
    } else {
        Err(CodegenError::invalid(
            &join(pointer, "default"),
            format!("default {d} does not fit the type"),
        ))
    }
}

/// Flags every struct reachable from a request body: those get constructors and checks.
fn mark_request_types(types: &mut [TypeDef], operations: &[Operation]) {
    let mut todo: Vec<String> = operations
        .iter()
        .filter_map(|o| o.request.clone())
        .collect();
    let mut seen = HashSet::new();
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        for t in types.iter_mut() {
            if let TypeDef::Struct(s) = t {
                if s.name == name {
                    s.in_request = true;
                    todo.extend(
                        s.fields
                            .iter()
                            .filter_map(|f| f.shape.ty.named())
                            .map(str::to_owned),
                    );
                }
            }
        }
    }
}

/// Refuses a name that makes no Rust identifier, and two names that make the same one.
fn check_rust_names<'n>(
    names: impl Iterator<Item = (&'n str, String)>,
    rust_name: fn(&str) -> Result<String, String>,
    what: &str,
    becomes: &str,
) -> Result<(), CodegenError> {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for (name, pointer) in names {
        let rust = rust_name(name).map_err(|why| CodegenError::invalid_name(&pointer, why))?;
        if let Some(other) = seen.insert(rust.clone(), name) {
            return Err(CodegenError::new(
                pointer,
                ErrorKind::NameCollision(format!(
                    "{what} {other:?} and {name:?} both become {becomes} `{rust}`"
                )),
            ));
        }
    }
    Ok(())
}

/// The runtime's `ApiError` reads `Errors.errors[].{code, title, detail, source.pointer}`;
/// refuse a spec whose error body would not compile against it.
fn check_error_body(types: &[TypeDef]) -> Result<(), CodegenError> {
    let contract = "the runtime decodes error answers as `Errors { errors?: [ErrorDetail { code: string, title: string, detail?: string, source?: { pointer?: string } }] }`";
    let find = |name: &str| {
        types.iter().find_map(|t| match t {
            TypeDef::Struct(s) if s.name == name => Some(s),
            _ => None,
        })
    };
    let field = |s: &Struct, name: &str| s.fields.iter().find(|f| f.name == name).cloned();
    let fail = |pointer: &str| Err(CodegenError::unsupported(pointer, contract));
    let Some(errors) = find(ERROR_BODY) else {
        return fail(&join("#/components/schemas", ERROR_BODY));
    };
    let detail_name = match field(errors, "errors") {
        Some(Field {
            required: false,
            shape: Shape {
                ty: Ty::Array(item),
                ..
            },
            ..
        }) => match item.ty {
            Ty::Named(name) => name,
            _ => return fail(&errors.pointer),
        },
        _ => return fail(&errors.pointer),
    };
    let Some(detail) = find(&detail_name) else {
        return fail(&errors.pointer);
    };
    // A string property, required and never null, or optional.
    let is_string = |f: &Option<Field>, required: bool| {
        f.as_ref().is_some_and(|f| {
            matches!(f.shape.ty, Ty::String(_))
                && if required {
                    f.required && !f.nullable
                } else {
                    !f.required
                }
        })
    };
    if detail_name != "ErrorDetail"
        || !is_string(&field(detail, "code"), true)
        || !is_string(&field(detail, "title"), true)
        || !is_string(&field(detail, "detail"), false)
    {
        return fail(&detail.pointer);
    }
    let source_ok = match field(detail, "source") {
        Some(Field {
            required: false,
            shape: Shape {
                ty: Ty::Named(name),
                ..
            },
            ..
        }) => find(&name).is_some_and(|source| is_string(&field(source, "pointer"), false)),
        _ => false,
    };
    if !source_ok {
        return fail(&detail.pointer);
    }
    Ok(())
}
