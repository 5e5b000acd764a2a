//! Schemas -> named types (structs, enums, `oneOf` enums) and inline shapes with rules.

use std::borrow::Borrow;

use heck::ToUpperCamelCase;
use openapiv3::{
    AdditionalProperties, AnySchema, Discriminator, ReferenceOr, Schema, SchemaKind, StringFormat,
    Type, VariantOrUnknownOrEmpty,
};

use super::checks::{check_default, check_rust_names};
use super::{Annotations, MAX_DEPTH, Parser};
use crate::error::{CodegenError, ErrorKind, join};
use crate::model::{
    Alternative, Condition, Enum, Field, Format, OneOf, OneOfVariant, Rule, Shape, Struct, Tag, Ty,
    TypeDef, TypeName, Variant,
};
use crate::names;

pub(super) const SCHEMAS: &str = "#/components/schemas/";

/// The most rules one `anyOf` may expand to: alternatives that repeat a component many
/// levels deep would otherwise grow the generated code exponentially.
const MAX_RULES: usize = 512;

/// An object schema with its `allOf` members merged in.
#[derive(Default)]
struct ObjectSchema<'s> {
    /// Name, schema and pointer of each property, in member order.
    properties: Vec<(&'s str, &'s ReferenceOr<Box<Schema>>, String)>,
    required: Vec<(String, String)>,
    required_any_of: Vec<Vec<Condition>>,
    additional: Option<(&'s ReferenceOr<Schema>, String)>,
    /// Components already merged in: merging one twice adds nothing, and skipping it
    /// keeps a spec that names the same component at every level of a deep `allOf` from
    /// taking exponential time.
    merged: Vec<&'s str>,
}

impl<'a> Parser<'a> {
    pub(super) fn component_types(&mut self) -> Result<(), CodegenError> {
        let Some(components) = &self.doc.components else {
            return Ok(());
        };
        // Reserve every component name first, so inline names cannot steal one.
        for (name, schema) in &components.schemas {
            if self.replacements.contains_key(name) {
                continue;
            }
            if let ReferenceOr::Item(schema) = schema {
                if is_named_kind(schema) {
                    let type_name = self.claim_name(name, &join("#/components/schemas", name))?;
                    self.component_names.insert(name.clone(), type_name);
                }
            }
        }
        for (name, schema) in &components.schemas {
            let pointer = join("#/components/schemas", name);
            if self.replacements.contains_key(name) {
                continue;
            }
            match schema {
                ReferenceOr::Reference { .. } => {
                    return Err(CodegenError::unsupported(
                        &pointer,
                        "a component schema that is only a `$ref`",
                    ));
                }
                ReferenceOr::Item(schema) => match self.component_names.get(name).cloned() {
                    Some(type_name) => {
                        let def = self.type_def(type_name, schema, &pointer)?;
                        self.components.push(def);
                    }
                    // Strings, arrays, `anyOf`s...: inlined wherever they are used.
                    // Converting them here once checks them even when nothing uses them.
                    None => {
                        self.reference_shape(&format!("{SCHEMAS}{name}"), &pointer)?;
                    }
                },
            }
        }
        Ok(())
    }

    /// A struct, enum or `oneOf` enum for a schema that [`is_named_kind`].
    fn type_def(
        &mut self,
        name: TypeName,
        schema: &'a Schema,
        pointer: &str,
    ) -> Result<TypeDef, CodegenError> {
        let doc = schema.schema_data.description.clone();
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                let values = self.enum_values(&s.enumeration, pointer)?;
                let default = match &schema.schema_data.default {
                    None => None,
                    Some(serde_json::Value::String(d)) if values.iter().any(|v| v.value == *d) => {
                        Some(d.clone())
                    }
                    Some(d) => {
                        return Err(CodegenError::invalid(
                            &join(pointer, "default"),
                            format!("default {d} is not one of the enum values"),
                        ));
                    }
                };
                Ok(TypeDef::Enum(Enum {
                    name,
                    doc,
                    values,
                    default,
                }))
            }
            SchemaKind::OneOf { one_of } => self.one_of_def(name, doc, schema, one_of, pointer),
            _ => {
                let mut object = ObjectSchema::default();
                self.collect_object(schema, pointer, &mut object)?;
                let mut def = self.struct_def(name, doc, object, pointer)?;
                if let TypeDef::Struct(s) = &mut def {
                    s.sms = sms_extension(&schema.schema_data, s, pointer)?;
                }
                Ok(def)
            }
        }
    }

    fn enum_values(
        &self,
        enumeration: &[Option<String>],
        pointer: &str,
    ) -> Result<Vec<Variant>, CodegenError> {
        let enum_pointer = join(pointer, "enum");
        let mut values = Vec::new();
        for (i, v) in enumeration.iter().enumerate() {
            match v {
                Some(v) => values.push(v.clone()),
                None => {
                    return Err(CodegenError::unsupported(
                        &join(&enum_pointer, &i.to_string()),
                        "`null` in a string enum (use `nullable: true`)",
                    ));
                }
            }
        }
        let rust = check_rust_names(
            values
                .iter()
                .enumerate()
                .map(|(i, v)| (v.as_str(), join(&enum_pointer, &i.to_string()))),
            names::variant_name,
            "enum values",
            "variant",
        )?;
        Ok(values
            .into_iter()
            .zip(rust)
            .map(|(value, rust)| Variant { value, rust })
            .collect())
    }

    /// Gathers the properties of an object schema and of every `allOf` member into `out`.
    fn collect_object(
        &mut self,
        schema: &'a Schema,
        pointer: &str,
        out: &mut ObjectSchema<'a>,
    ) -> Result<(), CodegenError> {
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => {
                if o.min_properties.is_some() || o.max_properties.is_some() {
                    return Err(CodegenError::unsupported(
                        pointer,
                        "`minProperties`/`maxProperties`",
                    ));
                }
                add_properties(out, &o.properties, &o.required, pointer)?;
                add_additional(out, o.additional_properties.as_ref(), pointer)?;
            }
            SchemaKind::Any(a) if is_object_like(a) => {
                if a.min_properties.is_some() || a.max_properties.is_some() {
                    return Err(CodegenError::unsupported(
                        pointer,
                        "`minProperties`/`maxProperties`",
                    ));
                }
                add_properties(out, &a.properties, &a.required, pointer)?;
                add_additional(out, a.additional_properties.as_ref(), pointer)?;
                if !a.any_of.is_empty() {
                    let group = self.conditions(&a.any_of, &join(pointer, "anyOf"))?;
                    out.required_any_of.push(group);
                }
                self.collect_all_of(&a.all_of, &join(pointer, "allOf"), out)?;
            }
            SchemaKind::AllOf { all_of } => {
                self.collect_all_of(all_of, &join(pointer, "allOf"), out)?;
            }
            _ => {
                return Err(CodegenError::unsupported(
                    pointer,
                    "an `allOf` member that is not an object (only objects merge)",
                ));
            }
        }
        Ok(())
    }

    fn collect_all_of(
        &mut self,
        members: &'a [ReferenceOr<Schema>],
        pointer: &str,
        out: &mut ObjectSchema<'a>,
    ) -> Result<(), CodegenError> {
        for (i, member) in members.iter().enumerate() {
            let member_pointer = join(pointer, &i.to_string());
            match member {
                ReferenceOr::Reference { reference } => {
                    let (name, target) = self.schema_component(reference, &member_pointer)?;
                    if self.replacements.contains_key(name) {
                        return Err(CodegenError::unsupported(
                            &member_pointer,
                            format!(
                                "an `allOf` member `{name}` that is replaced by a hand-written type"
                            ),
                        ));
                    }
                    if self.resolving.iter().any(|n| n == name) {
                        return Err(CodegenError::unsupported(
                            &member_pointer,
                            format!("recursive `$ref` to `{name}`"),
                        ));
                    }
                    if out.merged.contains(&name) {
                        continue;
                    }
                    out.merged.push(name);
                    self.enter(&member_pointer)?;
                    self.resolving.push(name.to_owned());
                    let result =
                        self.collect_object(target, &join("#/components/schemas", name), out);
                    self.resolving.pop();
                    self.depth -= 1;
                    result?;
                }
                ReferenceOr::Item(Schema {
                    schema_kind: SchemaKind::AnyOf { any_of },
                    ..
                }) => {
                    let group = self.conditions(any_of, &join(&member_pointer, "anyOf"))?;
                    out.required_any_of.push(group);
                }
                ReferenceOr::Item(member) => {
                    if let Some(list) = bare_required_list(member) {
                        out.required
                            .extend(list.iter().map(|r| (r.clone(), member_pointer.clone())));
                        continue;
                    }
                    self.enter(&member_pointer)?;
                    let result = self.collect_object(member, &member_pointer, out);
                    self.depth -= 1;
                    result?;
                }
            }
        }
        Ok(())
    }

    /// The alternatives of an object-level `anyOf`: `{required: [a, b]}` (these are set),
    /// `{properties: {p: schema}}` (`p`, when set, is a string meeting the schema's rules),
    /// or both in one member.
    fn conditions(
        &mut self,
        members: &'a [ReferenceOr<Schema>],
        pointer: &str,
    ) -> Result<Vec<Condition>, CodegenError> {
        let mut conditions = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let member_pointer = join(pointer, &i.to_string());
            let refused = || {
                CodegenError::unsupported(
                    &member_pointer,
                    "an `anyOf` member of an object other than a `required` list or `properties` of strings",
                )
            };
            let ReferenceOr::Item(Schema {
                schema_kind: SchemaKind::Any(a),
                ..
            }) = member
            else {
                return Err(refused());
            };
            let plain = a.typ.is_none()
                && only_object_keywords(a)
                && a.any_of.is_empty()
                && a.all_of.is_empty()
                && a.additional_properties.is_none()
                && a.min_properties.is_none()
                && a.max_properties.is_none();
            if !plain || (a.required.is_empty() && a.properties.is_empty()) {
                return Err(refused());
            }
            let mut constraints = Vec::new();
            let props = join(&member_pointer, "properties");
            for (name, schema) in &a.properties {
                let at = join(&props, name);
                let (shape, _) = self.shape(schema, &at, &format!("{name}Condition"))?;
                if shape.ty != Ty::String || shape.rules.is_empty() {
                    return Err(CodegenError::unsupported(
                        &at,
                        "a condition on a property other than string rules",
                    ));
                }
                constraints.push((name.clone(), shape));
            }
            conditions.push(Condition {
                required: a.required.clone(),
                constraints,
            });
        }
        Ok(conditions)
    }

    fn struct_def(
        &mut self,
        name: TypeName,
        doc: Option<String>,
        object: ObjectSchema<'a>,
        pointer: &str,
    ) -> Result<TypeDef, CodegenError> {
        let declared = |prop: &str| object.properties.iter().any(|(p, _, _)| *p == prop);
        let mut required_order: Vec<String> = Vec::new();
        for (r, at) in &object.required {
            if !declared(r) {
                return Err(CodegenError::invalid(
                    &join(at, "required"),
                    format!("required property `{r}` is not declared"),
                ));
            }
            if !required_order.contains(r) {
                required_order.push(r.clone());
            }
        }
        let rust_names = check_rust_names(
            object
                .properties
                .iter()
                .map(|(prop, _, at)| (*prop, join(at, prop))),
            names::field_name,
            "properties",
            "field",
        )?;
        let mut fields = Vec::new();
        for ((prop, schema, at), rust) in object.properties.iter().zip(rust_names) {
            let prop_pointer = join(at, prop);
            let hint = format!("{}{}", name.spec, prop.to_upper_camel_case());
            let (shape, ann) = self.shape(*schema, &prop_pointer, &hint)?;
            fields.push(Field {
                name: (*prop).to_owned(),
                rust,
                doc: ann.doc,
                shape,
                required: required_order.iter().any(|r| r == prop),
                nullable: ann.nullable,
                default: ann.default,
                example: ann.example,
                boxed: false,
            });
        }
        let additional = match object.additional {
            None => None,
            Some((schema, at)) => {
                if fields
                    .iter()
                    .any(|f| f.rust == names::ADDITIONAL_PROPERTIES)
                {
                    return Err(CodegenError::new(
                        at,
                        ErrorKind::NameCollision(format!(
                            "the map of other properties is the field `{}`, which a property already uses",
                            names::ADDITIONAL_PROPERTIES
                        )),
                    ));
                }
                let hint = format!("{}Value", name.spec);
                Some(Box::new(self.map_value(schema, &at, &hint)?))
            }
        };
        for (g, group) in object.required_any_of.iter().enumerate() {
            for (name, _) in group.iter().flat_map(|c| &c.constraints) {
                let declared_string = fields
                    .iter()
                    .any(|f| f.name == *name && f.shape.ty == Ty::String);
                if !declared_string && declared(name) {
                    return Err(CodegenError::unsupported(
                        &format!("{pointer}/anyOf (group {g})"),
                        format!("a condition on `{name}`, which is not a string property"),
                    ));
                }
            }
            let names = group.iter().flat_map(|c| {
                c.required
                    .iter()
                    .chain(c.constraints.iter().map(|(name, _)| name))
            });
            for name in names {
                if !declared(name) {
                    return Err(CodegenError::invalid(
                        &format!("{pointer}/anyOf (group {g})"),
                        format!("required property `{name}` is not declared"),
                    ));
                }
            }
        }
        Ok(TypeDef::Struct(Struct {
            name,
            doc,
            fields,
            required_order,
            required_any_of: object.required_any_of,
            additional,
            in_request: false,
            webhook_only: false,
            sms: None,
            pointer: pointer.to_owned(),
        }))
    }

    /// The value shape of a map (`additionalProperties` with a schema).
    fn map_value(
        &mut self,
        schema: &'a ReferenceOr<Schema>,
        pointer: &str,
        hint: &str,
    ) -> Result<Shape, CodegenError> {
        let (shape, ann) = self.shape(schema, pointer, hint)?;
        if ann.nullable {
            return Err(CodegenError::unsupported(
                pointer,
                "nullable map values (`additionalProperties` with `nullable: true`)",
            ));
        }
        Ok(shape)
    }

    fn one_of_def(
        &mut self,
        name: TypeName,
        doc: Option<String>,
        schema: &'a Schema,
        members: &'a [ReferenceOr<Schema>],
        pointer: &str,
    ) -> Result<TypeDef, CodegenError> {
        let one_of_pointer = join(pointer, "oneOf");
        if members.is_empty() {
            return Err(CodegenError::invalid(&one_of_pointer, "empty `oneOf`"));
        }
        let mut variants: Vec<OneOfVariant> = Vec::new();
        let mut refs: Vec<Option<&str>> = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let member_pointer = join(&one_of_pointer, &i.to_string());
            let (shape, ann) =
                self.shape(member, &member_pointer, &format!("{}{}", name.spec, i + 1))?;
            if ann.nullable {
                return Err(CodegenError::unsupported(
                    &member_pointer,
                    "a nullable `oneOf` member (put `nullable` on the `oneOf` itself)",
                ));
            }
            let rust = variant_name_of(&shape.ty);
            if rust == "Unknown" {
                return Err(CodegenError::new(
                    member_pointer,
                    ErrorKind::NameCollision(
                        "a `oneOf` member named `Unknown`: the variant that keeps unknown shapes"
                            .to_owned(),
                    ),
                ));
            }
            if let Some(j) = variants.iter().position(|v| v.rust == rust) {
                return Err(CodegenError::new(
                    member_pointer,
                    ErrorKind::NameCollision(format!(
                        "`oneOf` members {j} and {i} both become variant `{rust}`"
                    )),
                ));
            }
            refs.push(match member {
                ReferenceOr::Reference { reference } => Some(reference.as_str()),
                ReferenceOr::Item(_) => None,
            });
            variants.push(OneOfVariant {
                rust,
                shape,
                boxed: false,
                tag_values: Vec::new(),
            });
        }
        let tag = match &schema.schema_data.discriminator {
            None => None,
            Some(d) => Some(self.declared_tag(d, &refs, &mut variants, pointer)?),
        };
        Ok(TypeDef::OneOf(OneOf {
            name,
            doc,
            variants,
            tag,
            in_request: false,
            webhook_only: false,
        }))
    }

    /// The tag values of each member, from `discriminator.mapping` or, for a member
    /// without a mapping entry, the name of the component it refers to.
    fn declared_tag(
        &self,
        d: &Discriminator,
        refs: &[Option<&str>],
        variants: &mut [OneOfVariant],
        pointer: &str,
    ) -> Result<Tag, CodegenError> {
        let d_pointer = join(pointer, "discriminator");
        let normalise = |target: &str| {
            if target.starts_with('#') {
                target.to_owned()
            } else {
                format!("{SCHEMAS}{target}")
            }
        };
        for (value, target) in &d.mapping {
            let target = normalise(target);
            let Some(i) = refs.iter().position(|r| *r == Some(target.as_str())) else {
                return Err(CodegenError::invalid(
                    &join(&join(&d_pointer, "mapping"), value),
                    format!("maps to `{target}`, which is not a member of the `oneOf`"),
                ));
            };
            variants[i].tag_values.push(value.clone());
        }
        let mut seen: Vec<&str> = Vec::new();
        for (i, variant) in variants.iter_mut().enumerate() {
            if variant.tag_values.is_empty() {
                match refs[i].and_then(|r| r.strip_prefix(SCHEMAS)) {
                    Some(component) => variant.tag_values.push(component.to_owned()),
                    None => {
                        return Err(CodegenError::unsupported(
                            &join(&join(pointer, "oneOf"), &i.to_string()),
                            "an inline `oneOf` member without a `discriminator.mapping` entry",
                        ));
                    }
                }
            }
        }
        for variant in variants.iter() {
            for value in &variant.tag_values {
                if seen.contains(&value.as_str()) {
                    return Err(CodegenError::invalid(
                        &d_pointer,
                        format!("tag value {value:?} selects two members"),
                    ));
                }
                seen.push(value);
            }
        }
        Ok(Tag {
            property: d.property_name.clone(),
            declared: true,
        })
    }

    /// A property's, item's or member's schema, inline (boxed or not) or by `$ref`.
    pub(super) fn shape<S: Borrow<Schema>>(
        &mut self,
        schema: &'a ReferenceOr<S>,
        pointer: &str,
        hint: &str,
    ) -> Result<(Shape, Annotations), CodegenError> {
        self.enter(pointer)?;
        let result = match schema {
            ReferenceOr::Reference { reference } => self.reference_shape(reference, pointer),
            ReferenceOr::Item(schema) => self.schema_shape(schema.borrow(), pointer, hint),
        };
        self.depth -= 1;
        result
    }

    /// One level deeper into the schema walk, refused past [`MAX_DEPTH`].
    fn enter(&mut self, pointer: &str) -> Result<(), CodegenError> {
        if self.depth >= MAX_DEPTH {
            return Err(CodegenError::unsupported(
                pointer,
                format!("schemas nested more than {MAX_DEPTH} levels deep"),
            ));
        }
        self.depth += 1;
        Ok(())
    }

    /// A `$ref` to a component schema: a named type, a replacement, or the inlined
    /// primitive it names.
    pub(super) fn reference_shape(
        &mut self,
        reference: &str,
        pointer: &str,
    ) -> Result<(Shape, Annotations), CodegenError> {
        let (name, target) = self.schema_component(reference, pointer)?;
        let target_pointer = join("#/components/schemas", name);
        let ann = Annotations {
            doc: target.schema_data.description.clone(),
            nullable: target.schema_data.nullable,
            default: target.schema_data.default.clone(),
            example: target.schema_data.example.clone(),
        };
        let sensitive = marked_sensitive(&target.schema_data, &target_pointer)?;
        if let Some(path) = self.replacements.get(name) {
            return Ok((
                Shape {
                    sensitive,
                    ..Shape::plain(Ty::External(path.clone()))
                },
                ann,
            ));
        }
        if let Some(type_name) = self.component_names.get(name) {
            return Ok((
                Shape {
                    sensitive,
                    ..Shape::plain(Ty::Named(type_name.clone()))
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

    pub(super) fn schema_component(
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
        schema: &'a Schema,
        pointer: &str,
        hint: &str,
    ) -> Result<(Shape, Annotations), CodegenError> {
        let data = &schema.schema_data;
        if data.discriminator.is_some() && !matches!(schema.schema_kind, SchemaKind::OneOf { .. }) {
            return Err(CodegenError::unsupported(
                &join(pointer, "discriminator"),
                "`discriminator` outside a `oneOf`",
            ));
        }
        if data.read_only || data.write_only {
            return Err(CodegenError::unsupported(pointer, "`readOnly`/`writeOnly`"));
        }
        let mut ann = Annotations {
            doc: data.description.clone(),
            nullable: data.nullable,
            default: data.default.clone(),
            example: data.example.clone(),
        };
        let shape = match &schema.schema_kind {
            // `allOf: [$ref]` is how OpenAPI 3.0 puts a description or `nullable` on a
            // property that points at a named schema; longer ones merge objects.
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                let (shape, inner) =
                    self.shape(&all_of[0], &join(&join(pointer, "allOf"), "0"), hint)?;
                ann.doc = ann.doc.or(inner.doc);
                ann.nullable |= inner.nullable;
                ann.default = ann.default.or(inner.default);
                ann.example = ann.example.or(inner.example);
                shape
            }
            SchemaKind::AllOf { all_of } if all_of.is_empty() => {
                return Err(CodegenError::invalid(
                    &join(pointer, "allOf"),
                    "empty `allOf`",
                ));
            }
            SchemaKind::AnyOf { any_of } => self.any_of(any_of, &join(pointer, "anyOf"), hint)?,
            SchemaKind::Not { .. } => {
                return Err(CodegenError::unsupported(&join(pointer, "not"), "`not`"));
            }
            _ if is_named_kind(schema) => {
                let name = self.claim_name(hint, pointer)?;
                let def = self.type_def(name.clone(), schema, pointer)?;
                self.inline.push(def);
                Shape::plain(Ty::Named(name))
            }
            SchemaKind::Any(a) if says_nothing_of_its_type(a) => Shape::plain(Ty::Any),
            SchemaKind::Any(_) => {
                return Err(CodegenError::unsupported(
                    pointer,
                    "a schema without `type` whose keywords belong to a type (or to several)",
                ));
            }
            SchemaKind::Type(ty) => self.typed_shape(ty, pointer, hint)?,
            SchemaKind::AllOf { .. } | SchemaKind::OneOf { .. } => {
                return Err(CodegenError::internal(pointer, "composition not named"));
            }
        };
        check_default(&shape.ty, ann.default.as_ref(), pointer)?;
        let mut shape = shape;
        shape.sensitive |= marked_sensitive(data, pointer)?;
        Ok((shape, ann))
    }

    fn typed_shape(
        &mut self,
        ty: &'a Type,
        pointer: &str,
        hint: &str,
    ) -> Result<Shape, CodegenError> {
        let mut rules = Vec::new();
        let mut format_doc = None;
        let mut items_sensitive = false;
        let ty = match ty {
            Type::String(s) => {
                let format = match &s.format {
                    VariantOrUnknownOrEmpty::Empty => None,
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Some(Format::DateTime),
                    VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Some(Format::Date),
                    VariantOrUnknownOrEmpty::Unknown(f) if f == "uuid" => Some(Format::Uuid),
                    VariantOrUnknownOrEmpty::Unknown(f) if f == "uri" => Some(Format::Uri),
                    // Formats the crate does not check are documented, never refused: the
                    // OpenAPI spec lets tools ignore formats they do not know.
                    VariantOrUnknownOrEmpty::Item(other) => {
                        format_doc = Some(
                            match other {
                                StringFormat::Password => "password",
                                StringFormat::Byte => "byte",
                                StringFormat::Binary => "binary",
                                StringFormat::Date | StringFormat::DateTime => "",
                            }
                            .to_owned(),
                        );
                        None
                    }
                    VariantOrUnknownOrEmpty::Unknown(other) => {
                        format_doc = Some(other.clone());
                        None
                    }
                };
                if let Some(min) = s.min_length {
                    rules.push(Rule::MinLength(min as u64));
                }
                if let Some(max) = s.max_length {
                    rules.push(Rule::MaxLength(max as u64));
                }
                if let Some(pattern) = &s.pattern {
                    rules.push(pattern_rule(pattern, &join(pointer, "pattern"))?);
                }
                if let Some(f) = format {
                    rules.push(Rule::Format(f));
                }
                Ty::String
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
                    format_doc = Some(f.clone());
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
                    format_doc = Some(f.clone());
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
                items_sensitive = item.sensitive;
                Ty::Array(Box::new(item))
            }
            Type::Object(o) => {
                // With properties it is named (see `is_named_kind`); this is a map or a
                // free-form object.
                if !o.required.is_empty()
                    || o.min_properties.is_some()
                    || o.max_properties.is_some()
                {
                    return Err(CodegenError::unsupported(
                        pointer,
                        "`required`/`minProperties`/`maxProperties` on an object without `properties`",
                    ));
                }
                match &o.additional_properties {
                    Some(AdditionalProperties::Schema(value)) => {
                        let value_pointer = join(pointer, "additionalProperties");
                        Ty::Map(Box::new(self.map_value(
                            value.as_ref(),
                            &value_pointer,
                            &format!("{hint}Value"),
                        )?))
                    }
                    Some(AdditionalProperties::Any(false)) => {
                        return Err(CodegenError::unsupported(
                            &join(pointer, "additionalProperties"),
                            "an object that allows no property at all",
                        ));
                    }
                    _ => Ty::JsonObject,
                }
            }
        };
        Ok(Shape {
            ty,
            rules,
            format_doc,
            sensitive: items_sensitive,
        })
    }

    /// `anyOf` of strings (a value matching any alternative) or of a string and a number.
    fn any_of(
        &mut self,
        members: &'a [ReferenceOr<Schema>],
        pointer: &str,
        hint: &str,
    ) -> Result<Shape, CodegenError> {
        let mut alternatives: Vec<Alternative> = Vec::new();
        let mut plain_string = false;
        let mut number = false;
        let mut sensitive = false;
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
            sensitive |= shape.sensitive;
            match shape.ty {
                Ty::String => {
                    plain_string |= shape.rules.is_empty();
                    match shape.rules.as_slice() {
                        // An `anyOf` of `anyOf`s is one `anyOf` of all their alternatives.
                        [Rule::AnyOf(inner)] => {
                            for alternative in inner {
                                if !alternatives.contains(alternative) {
                                    alternatives.push(alternative.clone());
                                }
                            }
                        }
                        _ => {
                            let alternative = Alternative {
                                name,
                                rules: shape.rules,
                            };
                            if !alternatives.contains(&alternative) {
                                alternatives.push(alternative);
                            }
                        }
                    }
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
                    sensitive,
                    ..Shape::plain(Ty::StringOrNumber)
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
        if plain_string {
            return Ok(Shape {
                sensitive,
                ..Shape::plain(Ty::String)
            });
        }
        let rules = vec![Rule::AnyOf(alternatives)];
        if count_rules(&rules) > MAX_RULES {
            return Err(CodegenError::unsupported(
                pointer,
                format!("an `anyOf` that expands to more than {MAX_RULES} rules"),
            ));
        }
        Ok(Shape {
            ty: Ty::String,
            rules,
            format_doc: None,
            sensitive,
        })
    }
}

fn add_properties<'s>(
    out: &mut ObjectSchema<'s>,
    properties: &'s indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: &[String],
    pointer: &str,
) -> Result<(), CodegenError> {
    let props_pointer = join(pointer, "properties");
    for (name, schema) in properties {
        match out.properties.iter().find(|(p, _, _)| *p == name.as_str()) {
            None => out
                .properties
                .push((name.as_str(), schema, props_pointer.clone())),
            Some((_, first, _)) if *first == schema => {}
            Some((_, _, first_pointer)) => {
                return Err(CodegenError::unsupported(
                    &join(&props_pointer, name),
                    format!(
                        "property `{name}` is declared differently by two `allOf` members (first at {})",
                        join(first_pointer, name)
                    ),
                ));
            }
        }
    }
    out.required
        .extend(required.iter().map(|r| (r.clone(), pointer.to_owned())));
    Ok(())
}

fn add_additional<'s>(
    out: &mut ObjectSchema<'s>,
    additional: Option<&'s AdditionalProperties>,
    pointer: &str,
) -> Result<(), CodegenError> {
    if let Some(AdditionalProperties::Schema(schema)) = additional {
        let at = join(pointer, "additionalProperties");
        if out.additional.is_some() {
            return Err(CodegenError::unsupported(
                &at,
                "`additionalProperties` with a schema in two `allOf` members",
            ));
        }
        out.additional = Some((schema.as_ref(), at));
    }
    Ok(())
}

/// The variant name of a `oneOf` member.
fn variant_name_of(ty: &Ty) -> String {
    match ty {
        Ty::Named(name) => name.rust.clone(),
        Ty::External(path) => path.rsplit("::").next().unwrap_or(path).trim().to_owned(),
        Ty::String => "String".to_owned(),
        Ty::Integer => "Integer".to_owned(),
        Ty::Number => "Number".to_owned(),
        Ty::Boolean => "Boolean".to_owned(),
        Ty::Array(_) => "Array".to_owned(),
        Ty::Map(_) | Ty::JsonObject => "Object".to_owned(),
        Ty::Any => "Value".to_owned(),
        Ty::StringOrNumber => "StringOrNumber".to_owned(),
    }
}

/// The rule of a `pattern`: refused when it does not compile, or when the generated crate's
/// regex engine would read it differently from the ECMA-262 engine the API validates with.
fn pattern_rule(pattern: &str, pointer: &str) -> Result<Rule, CodegenError> {
    let invalid = |reason: String| {
        CodegenError::new(
            pointer,
            ErrorKind::InvalidPattern {
                pattern: pattern.to_owned(),
                reason,
            },
        )
    };
    let regex = crate::pattern::translate(pattern).map_err(invalid)?;
    regex_lite::Regex::new(&regex).map_err(|e| invalid(e.to_string()))?;
    Ok(Rule::Pattern {
        spec: pattern.to_owned(),
        regex,
    })
}

/// `x-sensitive: true`: the schema's values are personal data, redacted in `Debug`.
/// `x-sms: {text, encoding, media}` on an object: which of its properties hold an SMS
/// text (a string), its requested encoding (a string or string enum) and the media that
/// make it an MMS (a list).
fn sms_extension(
    data: &openapiv3::SchemaData,
    s: &crate::model::Struct,
    pointer: &str,
) -> Result<Option<crate::model::SmsText>, CodegenError> {
    let Some(value) = data.extensions.get("x-sms") else {
        return Ok(None);
    };
    let at = join(pointer, "x-sms");
    let Some(object) = value.as_object() else {
        return Err(CodegenError::invalid(
            &at,
            "`x-sms` takes an object: {text, encoding, media}",
        ));
    };
    if let Some(key) = object
        .keys()
        .find(|k| !["text", "encoding", "media"].contains(&k.as_str()))
    {
        return Err(CodegenError::invalid(
            &join(&at, key),
            format!("`x-sms` has no `{key}` (it takes `text`, `encoding` and `media`)"),
        ));
    }
    let property = |key: &str,
                    fits: &dyn Fn(&Ty) -> bool,
                    what: &str|
     -> Result<Option<String>, CodegenError> {
        let Some(value) = object.get(key) else {
            return Ok(None);
        };
        let name = value.as_str().unwrap_or_default();
        match s.fields.iter().find(|f| f.name == name) {
            Some(f) if fits(&f.shape.ty) => Ok(Some(name.to_owned())),
            _ => Err(CodegenError::invalid(
                &join(&at, key),
                format!("`{value}` is not a property of this object that is {what}"),
            )),
        }
    };
    let text = property("text", &|ty| *ty == Ty::String, "a string")?
        .ok_or_else(|| CodegenError::invalid(&at, "`x-sms` needs `text`"))?;
    let encoding = property(
        "encoding",
        &|ty| matches!(ty, Ty::String | Ty::Named(_)),
        "a string or a string enum",
    )?;
    let media = property("media", &|ty| matches!(ty, Ty::Array(_)), "a list")?;
    Ok(Some(crate::model::SmsText {
        text,
        encoding,
        media,
    }))
}

fn marked_sensitive(data: &openapiv3::SchemaData, pointer: &str) -> Result<bool, CodegenError> {
    match data.extensions.get("x-sensitive") {
        None => Ok(false),
        Some(serde_json::Value::Bool(marked)) => Ok(*marked),
        Some(other) => Err(CodegenError::invalid(
            &join(pointer, "x-sensitive"),
            format!("`x-sensitive` is {other}; it takes `true` or `false`"),
        )),
    }
}

fn count_rules(rules: &[Rule]) -> usize {
    rules
        .iter()
        .map(|r| match r {
            Rule::AnyOf(alternatives) => {
                1 + alternatives
                    .iter()
                    .map(|a| count_rules(&a.rules))
                    .sum::<usize>()
            }
            _ => 1,
        })
        .sum()
}

/// Objects with properties, merged `allOf`s, `oneOf`s and string enums become named Rust
/// types; everything else is inlined where it is used.
pub(super) fn is_named_kind(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => !s.enumeration.is_empty(),
        SchemaKind::Type(Type::Object(o)) => !o.properties.is_empty(),
        SchemaKind::AllOf { all_of } => all_of.len() >= 2,
        SchemaKind::OneOf { .. } => true,
        SchemaKind::Any(a) => {
            is_object_like(a) && (!a.properties.is_empty() || !a.all_of.is_empty())
        }
        _ => false,
    }
}

/// An untyped (or `type: object`) schema with only object keywords: openapiv3 reads an
/// object this way when it has no `type`, or carries `anyOf`/`allOf` beside its
/// properties (conditional requirements such as "`from` or `messaging_profile_id`").
fn is_object_like(a: &AnySchema) -> bool {
    matches!(a.typ.as_deref(), None | Some("object")) && only_object_keywords(a)
}

/// A schema with no type and no keyword of any type: any JSON value.
fn says_nothing_of_its_type(a: &AnySchema) -> bool {
    a.typ.is_none()
        && only_object_keywords(a)
        && a.properties.is_empty()
        && a.required.is_empty()
        && a.additional_properties.is_none()
        && a.min_properties.is_none()
        && a.max_properties.is_none()
        && a.any_of.is_empty()
        && a.all_of.is_empty()
}

pub(super) fn only_object_keywords(a: &AnySchema) -> bool {
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

/// `{required: [a, b]}` and nothing else.
fn bare_required_list(schema: &Schema) -> Option<&[String]> {
    match &schema.schema_kind {
        SchemaKind::Any(a)
            if !a.required.is_empty()
                && a.typ.is_none()
                && a.properties.is_empty()
                && only_object_keywords(a)
                && a.any_of.is_empty()
                && a.all_of.is_empty()
                && a.additional_properties.is_none()
                && a.min_properties.is_none()
                && a.max_properties.is_none() =>
        {
            Some(&a.required)
        }
        _ => None,
    }
}
