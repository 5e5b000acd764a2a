//! Spec text -> [`Api`]: the only place that knows OpenAPI's shape.
//!
//! Walks the document once, keeping the JSON pointer of wherever it is so that every
//! refusal names the exact construct. Whatever it does not understand is an error, never
//! a guess: generated code that silently drops a rule would send what the API refuses.
//!
//! - `raw`: the document as YAML, before `openapiv3` reads it (which drops unknown keys
//!   without a word): every key must be one OpenAPI 3.0 defines.
//! - `document`: the root: version, servers, security.
//! - `schemas`: schemas -> types and rules.
//! - `operations`: paths, parameters, bodies, responses.
//! - `checks`: whole-model checks and passes run once everything is read.

mod checks;
mod document;
mod operations;
mod raw;
mod schemas;
mod v31;

use std::collections::HashMap;

use openapiv3::OpenAPI;

use crate::Settings;
use crate::error::{CodegenError, ErrorKind};
use crate::model::{Api, TypeDef, TypeName};
use crate::names;

/// Parses spec text (YAML or JSON) into the intermediate model, with default settings.
pub fn parse(spec: &str) -> Result<Api, CodegenError> {
    parse_with(spec, &Settings::default())
}

/// Parses spec text (YAML or JSON) into the intermediate model.
pub fn parse_with(spec: &str, settings: &Settings) -> Result<Api, CodegenError> {
    // Through `serde_yaml::Value` first (it keeps key order, as spec order matters for
    // the output): a YAML error then keeps its line and column, and a shape error is
    // reported as such rather than as a YAML one.
    let mut value: serde_yaml::Value = serde_yaml::from_str(spec)
        .map_err(|e| CodegenError::new("#", ErrorKind::Yaml(e.to_string())))?;
    // OpenAPI 3.1 is read through its 3.0 form (see `v31`).
    if v31::is_31(&value) {
        v31::downgrade(&mut value)?;
    }
    let version = value
        .get("openapi")
        .and_then(serde_yaml::Value::as_str)
        .unwrap_or("");
    if !version.starts_with("3.0.") {
        return Err(CodegenError::new(
            "#/openapi",
            ErrorKind::NotOpenApi(format!(
                "`openapi` is {version:?}, this generator reads 3.0.x and 3.1.x"
            )),
        ));
    }
    raw::check_document(&value)?;
    raw::check_webhooks(&value)?;
    let doc: OpenAPI = serde_yaml::from_value(value)
        .map_err(|e| CodegenError::new("#", ErrorKind::NotOpenApi(e.to_string())))?;
    Parser::new(&doc, settings)?.run()
}

/// What a schema says about the property that uses it, beside its type.
#[derive(Default, Clone, Debug)]
struct Annotations {
    doc: Option<String>,
    nullable: bool,
    default: Option<serde_json::Value>,
    example: Option<serde_json::Value>,
}

/// Schemas nested deeper than this (through properties, items, compositions and
/// `$ref`s) are refused: a hostile spec must not overflow the generator's stack.
const MAX_DEPTH: usize = 32;

struct Parser<'a> {
    doc: &'a OpenAPI,
    /// Component schema name -> the hand-written type it is replaced with.
    replacements: HashMap<String, String>,
    /// Component types, in spec order.
    components: Vec<TypeDef>,
    /// Types of inline objects and enums, in discovery order.
    inline: Vec<TypeDef>,
    /// Every Rust type name handed out, with the pointer of the schema that got it.
    claimed: HashMap<String, String>,
    /// Component name -> its type name, for every component that is a named type.
    component_names: HashMap<String, TypeName>,
    /// Component schemas being inlined right now (a `$ref` chain), to refuse cycles.
    resolving: Vec<String>,
    /// Component schemas already inlined: converted once, so that an inline enum or object
    /// inside one gets its name once, however many properties refer to the component.
    inlined: HashMap<String, (crate::model::Shape, Annotations)>,
    /// How deep the schema walk is right now.
    depth: usize,
    /// Types of body schemas declared in `components/responses` and
    /// `components/requestBodies`, by the schema's pointer.
    body_types: HashMap<String, crate::model::Ty>,
}

impl<'a> Parser<'a> {
    fn new(doc: &'a OpenAPI, settings: &Settings) -> Result<Self, CodegenError> {
        let mut replacements = HashMap::new();
        for (schema, path) in &settings.replacements {
            let pointer = crate::error::join("#/components/schemas", schema);
            let exists = doc
                .components
                .as_ref()
                .is_some_and(|c| c.schemas.contains_key(schema));
            if !exists {
                return Err(CodegenError::invalid(
                    &pointer,
                    format!("a replacement names `{schema}`, which the spec does not define"),
                ));
            }
            if syn::parse_str::<syn::Path>(path).is_err() {
                return Err(CodegenError::invalid(
                    &pointer,
                    format!("the replacement `{path}` is not a Rust path"),
                ));
            }
            replacements.insert(schema.clone(), path.clone());
        }
        Ok(Self {
            doc,
            replacements,
            components: Vec::new(),
            inline: Vec::new(),
            claimed: HashMap::new(),
            component_names: HashMap::new(),
            resolving: Vec::new(),
            inlined: HashMap::new(),
            depth: 0,
            body_types: HashMap::new(),
        })
    }

    fn run(mut self) -> Result<Api, CodegenError> {
        let base_url = document::base_url(self.doc)?;
        document::check_security(self.doc)?;
        self.component_types()?;
        let operations = self.operations()?;
        let webhooks = self.webhooks()?;
        let mut types = std::mem::take(&mut self.components);
        types.append(&mut self.inline);
        checks::infer_one_of_tags(&mut types);
        checks::box_cycles(&mut types);
        checks::mark_request_types(&mut types, &operations);
        checks::mark_webhook_types(&mut types, &operations, &webhooks)?;
        checks::check_sms(&types)?;
        checks::check_builder_names(&types, &self.claimed)?;
        Ok(Api {
            title: self.doc.info.title.clone(),
            version: self.doc.info.version.clone(),
            base_url,
            operations,
            types,
            webhooks,
        })
    }

    /// Hands out the Rust type name of `spec` (a component name or an inline hint).
    fn claim_name(&mut self, spec: &str, pointer: &str) -> Result<TypeName, CodegenError> {
        let rust =
            names::type_name(spec).map_err(|why| CodegenError::invalid_name(pointer, why))?;
        if let Some(first) = self.claimed.get(&rust) {
            return Err(CodegenError::new(
                pointer,
                ErrorKind::NameCollision(format!("type name `{rust}` is already used by {first}")),
            ));
        }
        self.claimed.insert(rust.clone(), pointer.to_owned());
        Ok(TypeName {
            spec: spec.to_owned(),
            rust,
        })
    }

    fn is_type(&self, name: &TypeName, want: fn(&TypeDef) -> bool) -> bool {
        self.components
            .iter()
            .chain(&self.inline)
            .any(|t| t.name() == name && want(t))
    }
}

#[cfg(test)]
mod tests;
