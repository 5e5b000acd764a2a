//! Checks of single values (defaults, names) and the passes over the whole model that run
//! once every type is known.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::error::{CodegenError, ErrorKind, join};
use crate::model::{Operation, ParamsStyle, Tag, Ty, TypeDef, TypeName};
use crate::names;

pub(super) fn check_default(
    ty: &Ty,
    default: Option<&Value>,
    pointer: &str,
) -> Result<(), CodegenError> {
    let Some(d) = default else { return Ok(()) };
    let fits = match ty {
        Ty::String => d.is_string(),
        Ty::Integer => d.is_i64() || d.is_u64(),
        Ty::Number => d.is_number(),
        Ty::Boolean => d.is_boolean(),
        Ty::Array(_) => d.is_array(),
        Ty::JsonObject | Ty::Map(_) => d.is_object(),
        Ty::StringOrNumber => d.is_string() || d.is_number(),
        // Enums check theirs against their values; other named types document it.
        Ty::Named(_) | Ty::External(_) | Ty::Any => true,
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

/// The Rust names of spec names, in order; refuses a name that makes no Rust identifier,
/// and two names that make the same one.
pub(super) fn check_rust_names<'n>(
    names: impl Iterator<Item = (&'n str, String)>,
    rust_name: fn(&str) -> Result<String, String>,
    what: &str,
    becomes: &str,
) -> Result<Vec<String>, CodegenError> {
    let mut seen: HashMap<String, &str> = HashMap::new();
    let mut out = Vec::new();
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
        out.push(rust);
    }
    Ok(out)
}

/// Request types get a builder type beside them ([`names::builder_name`]); refuses a
/// schema that already took its name. `claimed` maps each Rust type name to its pointer.
pub(super) fn check_builder_names(
    types: &[TypeDef],
    claimed: &HashMap<String, String>,
) -> Result<(), CodegenError> {
    for t in types {
        if let TypeDef::Struct(s) = t {
            let builder = names::builder_name(&s.name.rust);
            if let (true, Some(other)) = (s.in_request, claimed.get(&builder)) {
                return Err(CodegenError::new(
                    other.clone(),
                    ErrorKind::NameCollision(format!(
                        "type name `{builder}` is the builder of the request type `{}` ({})",
                        s.name.rust, s.pointer
                    )),
                ));
            }
        }
    }
    Ok(())
}

/// The `encoding` an `x-sms` names must be a string or a string enum.
pub(super) fn check_sms(types: &[TypeDef]) -> Result<(), CodegenError> {
    for t in types {
        let TypeDef::Struct(s) = t else { continue };
        let Some(sms) = &s.sms else { continue };
        let Some(encoding) = &sms.encoding else {
            continue;
        };
        let field = s.fields.iter().find(|f| f.name == *encoding);
        let ok = field.is_some_and(|f| match &f.shape.ty {
            Ty::String => true,
            Ty::Named(n) => types
                .iter()
                .any(|t| t.name() == n && matches!(t, TypeDef::Enum(_))),
            _ => false,
        });
        if !ok {
            return Err(CodegenError::invalid(
                &join(&join(&s.pointer, "x-sms"), "encoding"),
                format!("`{encoding}` is not a string or a string enum"),
            ));
        }
    }
    Ok(())
}

/// The named types reachable from `roots`, through fields, items, maps and members.
fn reachable(types: &[TypeDef], roots: Vec<TypeName>) -> HashSet<TypeName> {
    let mut todo = roots;
    let mut seen = HashSet::new();
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        match types.iter().find(|t| *t.name() == name) {
            Some(TypeDef::Struct(s)) => {
                todo.extend(s.fields.iter().filter_map(|f| f.shape.ty.named()).cloned());
                todo.extend(s.additional.as_ref().and_then(|a| a.ty.named()).cloned());
            }
            Some(TypeDef::OneOf(o)) => {
                todo.extend(
                    o.variants
                        .iter()
                        .filter_map(|v| v.shape.ty.named())
                        .cloned(),
                );
            }
            _ => {}
        }
    }
    seen
}

/// Marks the objects and `oneOf`s reachable only from the bodies of callbacks: they get
/// no `Deserialize` of their own, so that a webhook is decoded only after the runtime's
/// checks. A callback body that is also sent or answered is refused.
pub(super) fn mark_webhook_types(
    types: &mut [TypeDef],
    operations: &[Operation],
    webhooks: &[crate::model::Callback],
) -> Result<(), CodegenError> {
    let mut other_roots: Vec<TypeName> = Vec::new();
    for op in operations {
        other_roots.extend(op.body.as_ref().map(|b| b.ty.clone()));
        if let ParamsStyle::Struct(name) = &op.params_style {
            other_roots.push(name.clone());
        }
        match &op.success.body {
            crate::model::SuccessBody::Json { ty, .. }
            | crate::model::SuccessBody::MaybeJson(ty) => other_roots.extend(ty.named().cloned()),
            crate::model::SuccessBody::Nothing => {}
        }
        other_roots.extend(
            op.errors
                .iter()
                .filter_map(|e| e.body.as_ref()?.named().cloned()),
        );
    }
    let webhook_roots: Vec<TypeName> = operations
        .iter()
        .flat_map(|op| op.callbacks.iter())
        .chain(webhooks)
        .map(|c| c.body.clone())
        .collect();
    let elsewhere = reachable(types, other_roots);
    for (op, callback) in operations
        .iter()
        .flat_map(|op| op.callbacks.iter().map(move |c| (Some(op), c)))
        .chain(webhooks.iter().map(|c| (None, c)))
    {
        {
            if elsewhere.contains(&callback.body) {
                return Err(CodegenError::unsupported(
                    &op.map_or_else(
                        || join("#/x-webhooks", &callback.name),
                        |op| op.pointer.clone(),
                    ),
                    format!(
                        "`{}` is the body of callback `{}` and also part of a request or response",
                        callback.body.spec, callback.name
                    ),
                ));
            }
        }
    }
    let webhook_only: HashSet<TypeName> = reachable(types, webhook_roots)
        .into_iter()
        .filter(|name| !elsewhere.contains(name))
        .collect();
    // The generated decoders of such types handle a field of another such type directly,
    // in an `Option` or in a list; boxes and maps of them are refused.
    let held = |ty: &Ty| ty.named().is_some_and(|n| webhook_only.contains(n));
    for t in types.iter() {
        let awkward = match t {
            TypeDef::Struct(s) if webhook_only.contains(&s.name) => {
                s.fields.iter().any(|f| match &f.shape.ty {
                    Ty::Named(_) => f.boxed && held(&f.shape.ty),
                    Ty::Array(item) => !matches!(item.ty, Ty::Named(_)) && held(&item.ty),
                    other => held(other),
                }) || s.additional.as_ref().is_some_and(|a| held(&a.ty))
            }
            TypeDef::OneOf(o) if webhook_only.contains(&o.name) => o
                .variants
                .iter()
                .any(|v| (v.boxed || !matches!(v.shape.ty, Ty::Named(_))) && held(&v.shape.ty)),
            _ => false,
        };
        if awkward {
            return Err(CodegenError::unsupported(
                &match t {
                    TypeDef::Struct(s) => s.pointer.clone(),
                    _ => format!("#/components/schemas/{}", t.name().spec),
                },
                "a webhook type holding another in a box, a map or a nested list",
            ));
        }
    }
    for t in types.iter_mut() {
        match t {
            TypeDef::Struct(s) if webhook_only.contains(&s.name) => s.webhook_only = true,
            TypeDef::OneOf(o) if webhook_only.contains(&o.name) => o.webhook_only = true,
            _ => {}
        }
    }
    Ok(())
}

/// Flags every type reachable from a request body or a parameters struct: those get
/// constructors and checks.
pub(super) fn mark_request_types(types: &mut [TypeDef], operations: &[Operation]) {
    let mut roots: Vec<TypeName> = Vec::new();
    for op in operations {
        roots.extend(op.body.as_ref().map(|b| b.ty.clone()));
        if let ParamsStyle::Struct(name) = &op.params_style {
            roots.push(name.clone());
        }
    }
    let sent = reachable(types, roots);
    for t in types.iter_mut() {
        match t {
            TypeDef::Struct(s) if sent.contains(&s.name) => s.in_request = true,
            TypeDef::OneOf(o) if sent.contains(&o.name) => o.in_request = true,
            _ => {}
        }
    }
}

/// A `oneOf` without a `discriminator` whose members are all objects that declare the
/// same property as a one-value string enum, each its own value (`direction: outbound`
/// and `direction: inbound`), is decoded by that property rather than by trying each
/// member in turn: every member of a leniently decoded `oneOf` would accept most objects.
pub(super) fn infer_one_of_tags(types: &mut [TypeDef]) {
    let single_values: HashMap<TypeName, String> = types
        .iter()
        .filter_map(|t| match t {
            TypeDef::Enum(e) if e.values.len() == 1 => {
                Some((e.name.clone(), e.values[0].value.clone()))
            }
            _ => None,
        })
        .collect();
    // Struct name -> its properties that are one-value enums, with their value.
    let constants: HashMap<TypeName, Vec<(String, String)>> = types
        .iter()
        .filter_map(|t| match t {
            TypeDef::Struct(s) => Some((
                s.name.clone(),
                s.fields
                    .iter()
                    .filter_map(|f| match &f.shape.ty {
                        Ty::Named(n) => single_values.get(n).map(|v| (f.name.clone(), v.clone())),
                        _ => None,
                    })
                    .collect(),
            )),
            _ => None,
        })
        .collect();
    for t in types.iter_mut() {
        let TypeDef::OneOf(o) = t else { continue };
        if o.tag.is_some() {
            continue;
        }
        let members: Option<Vec<&Vec<(String, String)>>> = o
            .variants
            .iter()
            .map(|v| match &v.shape.ty {
                Ty::Named(n) => constants.get(n),
                _ => None,
            })
            .collect();
        let Some(members) = members else { continue };
        let Some(first) = members.first() else {
            continue;
        };
        let found = first.iter().find_map(|(property, _)| {
            let values: Option<Vec<&String>> = members
                .iter()
                .map(|m| m.iter().find(|(p, _)| p == property).map(|(_, v)| v))
                .collect();
            let values = values?;
            let distinct: HashSet<&String> = values.iter().copied().collect();
            (distinct.len() == values.len()).then(|| (property.clone(), values))
        });
        if let Some((property, values)) = found {
            for (variant, value) in o.variants.iter_mut().zip(values) {
                variant.tag_values = vec![value.clone()];
            }
            o.tag = Some(Tag {
                property,
                declared: false,
            });
        }
    }
}

/// Boxes every field and `oneOf` member whose type contains its own type again without a
/// list or map between (`Node { parent: Option<Node> }`): such a Rust type would have
/// infinite size.
pub(super) fn box_cycles(types: &mut [TypeDef]) {
    // Direct containment: a struct holds its fields' types, a `oneOf` its members'.
    let edges: HashMap<TypeName, Vec<TypeName>> = types
        .iter()
        .map(|t| {
            let targets = match t {
                TypeDef::Struct(s) => s
                    .fields
                    .iter()
                    .filter_map(|f| direct(&f.shape.ty))
                    .cloned()
                    .collect(),
                TypeDef::OneOf(o) => o
                    .variants
                    .iter()
                    .filter_map(|v| direct(&v.shape.ty))
                    .cloned()
                    .collect(),
                TypeDef::Enum(_) => Vec::new(),
            };
            (t.name().clone(), targets)
        })
        .collect();
    let reaches = |from: &TypeName, to: &TypeName| {
        let mut seen: HashSet<&TypeName> = HashSet::new();
        let mut todo = vec![from];
        while let Some(at) = todo.pop() {
            if at == to {
                return true;
            }
            if seen.insert(at) {
                todo.extend(edges.get(at).into_iter().flatten());
            }
        }
        false
    };
    for t in types.iter_mut() {
        match t {
            TypeDef::Struct(s) => {
                for f in &mut s.fields {
                    f.boxed = direct(&f.shape.ty).is_some_and(|to| reaches(to, &s.name));
                }
            }
            TypeDef::OneOf(o) => {
                for v in &mut o.variants {
                    v.boxed = direct(&v.shape.ty).is_some_and(|to| reaches(to, &o.name));
                }
            }
            TypeDef::Enum(_) => {}
        }
    }
}

/// The named type a value of `ty` holds in place (not through a list or a map).
fn direct(ty: &Ty) -> Option<&TypeName> {
    match ty {
        Ty::Named(name) => Some(name),
        _ => None,
    }
}
