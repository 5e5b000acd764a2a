//! OpenAPI 3.1 -> the 3.0 form the parser reads, for the constructs Telnyx's published
//! spec uses; any other 3.1 construct is refused with its pointer.
//!
//! - `type: [T, "null"]` -> `type: T` with `nullable: true`;
//! - `examples: [...]` in a schema -> `example` (the first);
//! - `const: v` -> `enum: [v]`;
//! - numeric `exclusiveMinimum`/`exclusiveMaximum` -> the bound with the 3.0 flag;
//! - a `$ref` with sibling keywords -> `allOf: [{$ref}]` beside them (3.0 ignores
//!   siblings of a `$ref`; 3.1 applies them);
//! - the top-level `webhooks` -> the `x-webhooks` extension, which the parser reads like
//!   callbacks;
//! - `$comment` is dropped (a comment).
//!
//! What 3.0 cannot express (tuple items, conditionals, dynamic references, a `type` list
//! of two real types, ...) is refused rather than guessed.

use serde_yaml::{Mapping, Value as Y};

use crate::error::{CodegenError, ErrorKind, join};

/// 3.1 keywords that 3.0 has no form for.
const REFUSED_SCHEMA_KEYWORDS: &[&str] = &[
    "prefixItems",
    "$defs",
    "if",
    "then",
    "else",
    "dependentRequired",
    "dependentSchemas",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contains",
    "minContains",
    "maxContains",
    "patternProperties",
    "propertyNames",
    "$dynamicRef",
    "$dynamicAnchor",
    "$anchor",
    "$id",
    "$schema",
    "$vocabulary",
    "contentEncoding",
    "contentMediaType",
    "contentSchema",
];

/// Whether the document says it is OpenAPI 3.1.
pub(super) fn is_31(doc: &Y) -> bool {
    doc.get("openapi")
        .and_then(Y::as_str)
        .is_some_and(|v| v.starts_with("3.1."))
}

/// Rewrites a 3.1 document in place into the 3.0 form.
pub(super) fn downgrade(doc: &mut Y) -> Result<(), CodegenError> {
    let Some(root) = doc.as_mapping_mut() else {
        return Ok(());
    };
    for key in ["jsonSchemaDialect"] {
        if root.contains_key(key) {
            return Err(refuse(&join("#", key), key));
        }
    }
    if let Some(info) = root.get("info").and_then(Y::as_mapping) {
        for key in ["summary"] {
            if info.contains_key(key) {
                return Err(refuse(&join("#/info", key), &format!("info.{key}")));
            }
        }
        if info
            .get("license")
            .and_then(|l| l.get("identifier"))
            .is_some()
        {
            return Err(refuse("#/info/license/identifier", "license.identifier"));
        }
    }
    if let Some(components) = root.get("components").and_then(Y::as_mapping) {
        if components.contains_key("pathItems") {
            return Err(refuse("#/components/pathItems", "components.pathItems"));
        }
    }
    root.insert(Y::from("openapi"), Y::from("3.0.3"));
    if let Some(webhooks) = root.remove("webhooks") {
        root.insert(Y::from("x-webhooks"), webhooks);
    }
    // Every schema: the component schemas, and every `schema` of a parameter, media type
    // or header (wherever the key `schema` appears outside a schema).
    let mut root_value = Y::Mapping(std::mem::take(root));
    walk(&mut root_value, "#", false)?;
    *doc = root_value;
    Ok(())
}

/// Finds schemas in the non-schema parts of the document.
fn walk(value: &mut Y, pointer: &str, in_schemas: bool) -> Result<(), CodegenError> {
    match value {
        Y::Mapping(map) => {
            for (key, child) in map.iter_mut() {
                let key = key_text(key);
                let at = join(pointer, &key);
                if in_schemas || key == "schema" {
                    schema(child, &at)?;
                } else {
                    walk(child, &at, pointer == "#/components" && key == "schemas")?;
                }
            }
        }
        Y::Sequence(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                walk(child, &join(pointer, &i.to_string()), false)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Rewrites one schema and the schemas inside it.
fn schema(value: &mut Y, pointer: &str) -> Result<(), CodegenError> {
    let Y::Mapping(map) = value else {
        return Ok(());
    };
    for keyword in REFUSED_SCHEMA_KEYWORDS {
        if map.contains_key(*keyword) {
            return Err(refuse(&join(pointer, keyword), &format!("`{keyword}`")));
        }
    }
    map.remove("$comment");
    types(map, pointer)?;
    if let Some(Y::Sequence(examples)) = map.remove("examples") {
        if !map.contains_key("example") {
            if let Some(first) = examples.into_iter().next() {
                map.insert(Y::from("example"), first);
            }
        }
    }
    if let Some(value) = map.remove("const") {
        if map.contains_key("enum") {
            return Err(refuse(&join(pointer, "const"), "`const` beside `enum`"));
        }
        // 3.1 lets `const` stand alone; 3.0's `enum` needs the type beside it.
        if !map.contains_key("type") {
            let ty = match &value {
                Y::String(_) => Some("string"),
                Y::Bool(_) => Some("boolean"),
                Y::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
                Y::Number(_) => Some("number"),
                _ => None,
            };
            if let Some(ty) = ty {
                map.insert(Y::from("type"), Y::from(ty));
            }
        }
        map.insert(Y::from("enum"), Y::Sequence(vec![value]));
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(limit) = map.get(exclusive).filter(|v| v.is_number()).cloned() {
            if map.contains_key(bound) {
                return Err(refuse(
                    &join(pointer, exclusive),
                    &format!("a numeric `{exclusive}` beside `{bound}`"),
                ));
            }
            map.insert(Y::from(bound), limit);
            map.insert(Y::from(exclusive), Y::Bool(true));
        }
    }
    if map.contains_key("$ref") && map.len() > 1 {
        let reference = map.remove("$ref").unwrap_or(Y::Null);
        let mut only_ref = Mapping::new();
        only_ref.insert(Y::from("$ref"), reference);
        let mut all_of = match map.remove("allOf") {
            Some(Y::Sequence(items)) => items,
            _ => Vec::new(),
        };
        all_of.insert(0, Y::Mapping(only_ref));
        map.insert(Y::from("allOf"), Y::Sequence(all_of));
    }
    // The schemas inside.
    for (key, child) in map.iter_mut() {
        let key = key_text(key);
        let at = join(pointer, &key);
        match key.as_str() {
            "properties" => {
                if let Y::Mapping(properties) = child {
                    for (name, property) in properties.iter_mut() {
                        schema(property, &join(&at, &key_text(name)))?;
                    }
                }
            }
            "items" | "not" | "additionalProperties" => schema(child, &at)?,
            "allOf" | "anyOf" | "oneOf" => {
                if let Y::Sequence(members) = child {
                    for (i, member) in members.iter_mut().enumerate() {
                        schema(member, &join(&at, &i.to_string()))?;
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// `type` as a list: one type, or one type and `null`.
fn types(map: &mut Mapping, pointer: &str) -> Result<(), CodegenError> {
    let Some(Y::Sequence(list)) = map.get("type") else {
        if map.get("type").and_then(Y::as_str) == Some("null") {
            return Err(refuse(&join(pointer, "type"), "`type: null` alone"));
        }
        return Ok(());
    };
    let names: Vec<&str> = list.iter().filter_map(Y::as_str).collect();
    if names.len() != list.len() {
        return Err(CodegenError::invalid(
            &join(pointer, "type"),
            "a `type` list of something other than type names",
        ));
    }
    let real: Vec<&str> = names.iter().copied().filter(|t| *t != "null").collect();
    let nullable = real.len() < names.len();
    let [single] = real.as_slice() else {
        return Err(refuse(
            &join(pointer, "type"),
            &format!("a `type` list of {names:?} (one type, or one and `null`, fits 3.0)"),
        ));
    };
    let single = (*single).to_owned();
    map.insert(Y::from("type"), Y::from(single));
    if nullable {
        map.insert(Y::from("nullable"), Y::Bool(true));
    }
    Ok(())
}

fn key_text(key: &Y) -> String {
    match key {
        Y::String(s) => s.clone(),
        other => serde_yaml::to_string(other)
            .map(|s| s.trim().to_owned())
            .unwrap_or_default(),
    }
}

fn refuse(pointer: &str, what: &str) -> CodegenError {
    CodegenError::new(
        pointer,
        ErrorKind::Unsupported(format!(
            "{what}: an OpenAPI 3.1 construct that 3.0, which this generator reads, cannot express"
        )),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn downgraded(text: &str) -> Result<Y, CodegenError> {
        let mut doc: Y = serde_yaml::from_str(text).expect("YAML");
        downgrade(&mut doc).map(|()| doc)
    }

    const HEAD: &str = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\n";

    #[test]
    fn the_constructs_telnyx_uses_become_their_3_0_forms() {
        let doc = downgraded(&format!(
            "{HEAD}components:\n  schemas:\n    A:\n      type: [string, 'null']\n      examples: [x, y]\n    B:\n      type: object\n      properties:\n        kind: {{const: sms}}\n        n: {{type: [integer, 'null'], exclusiveMinimum: 0}}\n        r: {{$ref: '#/components/schemas/A', description: why}}\nwebhooks:\n  hook: {{post: {{responses: {{'200': {{description: ok}}}}}}}}\n"
        ))
        .expect("converts");
        let text = serde_yaml::to_string(&doc).expect("YAML");
        assert!(text.contains("openapi: 3.0.3"), "{text}");
        let a = &doc["components"]["schemas"]["A"];
        assert_eq!(
            (a["type"].as_str(), a["nullable"].as_bool()),
            (Some("string"), Some(true))
        );
        assert_eq!(a["example"].as_str(), Some("x"));
        let b = &doc["components"]["schemas"]["B"]["properties"];
        assert_eq!(b["kind"]["enum"][0].as_str(), Some("sms"));
        assert_eq!(b["kind"]["type"].as_str(), Some("string"));
        assert_eq!(b["n"]["minimum"].as_i64(), Some(0));
        assert_eq!(b["n"]["exclusiveMinimum"].as_bool(), Some(true));
        assert_eq!(
            b["r"]["allOf"][0]["$ref"].as_str(),
            Some("#/components/schemas/A")
        );
        assert_eq!(b["r"]["description"].as_str(), Some("why"));
        assert!(doc.get("webhooks").is_none() && doc.get("x-webhooks").is_some());
    }

    #[test]
    fn what_3_0_cannot_express_is_refused_at_its_pointer() {
        for (schema, pointer) in [
            ("{type: [string, integer]}", "#/components/schemas/X/type"),
            ("{type: 'null'}", "#/components/schemas/X/type"),
            (
                "{prefixItems: [{type: string}]}",
                "#/components/schemas/X/prefixItems",
            ),
            (
                "{type: object, if: {required: [a]}}",
                "#/components/schemas/X/if",
            ),
            (
                "{type: object, properties: {a: {$dynamicRef: '#x'}}}",
                "#/components/schemas/X/properties/a/$dynamicRef",
            ),
            (
                "{type: string, contentMediaType: text/html}",
                "#/components/schemas/X/contentMediaType",
            ),
            ("{const: a, enum: [a]}", "#/components/schemas/X/const"),
        ] {
            let error = downgraded(&format!("{HEAD}components:\n  schemas:\n    X: {schema}\n"))
                .expect_err(schema);
            assert_eq!(error.pointer, pointer, "{schema}: {error}");
            assert!(error.to_string().contains("3.1"), "{error}");
        }
        let error =
            downgraded(&format!("{HEAD}jsonSchemaDialect: https://x\n")).expect_err("dialect");
        assert_eq!(error.pointer, "#/jsonSchemaDialect");
        let error =
            downgraded("openapi: 3.1.0\ninfo: {title: T, version: '1', summary: s}\npaths: {}\n")
                .expect_err("summary");
        assert_eq!(error.pointer, "#/info/summary");
    }
}
