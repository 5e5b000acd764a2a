//! Test cases derived from the spec through the generator's own model: a valid request for
//! every operation, and for every rule of every parameter and request body a request that
//! breaks that rule and nothing else.
//!
//! Nothing here names an operation, a field or a pattern of `spec/messaging.yaml`: a new
//! endpoint, field or rule gets its cases from the spec alone. What the spec must give for
//! that is an `example` on every string that has a pattern (there is no general way to
//! write a value that matches an arbitrary pattern); [`valid_input`] says which field
//! lacks one.
//!
//! Which values break a rule is decided by this module's own reading of each rule
//! ([`breaks`]), not by the client's: the tests then check that the client names that same
//! rule, and that the mock server, reading the spec on its own, refuses the value too.

use std::fmt;

use codegen::model::{
    Api, Condition, Field, Format, Operation, ParamIn, Rule, Shape, Struct, Ty, TypeDef,
};
use serde_json::{Map, Value, json};

/// The user crate's spec, parsed as `cargo xtask regen` parses it.
pub fn api() -> Api {
    let root = xtask::workspace_root();
    let path = root.join(xtask::DEFAULT_SPEC);
    let spec = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    api_from(&spec).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// A spec text parsed with the user crate's settings.
pub fn api_from(spec: &str) -> Result<Api, codegen::CodegenError> {
    codegen::parse::parse_with(spec, &xtask::crate_settings())
}

/// The input of one call: parameters by wire name and the JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    /// A JSON object of the parameters.
    pub params: Value,
    /// The request body, for operations that take one.
    pub body: Option<Value>,
}

impl Input {
    /// The request path: `template` with each `{name}` replaced by its parameter, as the
    /// client encodes it (every byte but RFC 3986's unreserved ones percent-encoded).
    pub fn path(&self, template: &str) -> String {
        let mut path = template.to_owned();
        if let Some(params) = self.params.as_object() {
            for (name, value) in params {
                let text = match value {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                let encoded: String = text
                    .bytes()
                    .map(|b| {
                        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                            char::from(b).to_string()
                        } else {
                            format!("%{b:02X}")
                        }
                    })
                    .collect();
                path = path.replace(&format!("{{{name}}}"), &encoded);
            }
        }
        path
    }
}

/// What the client must report for a broken input.
#[derive(Debug, Clone, PartialEq)]
pub enum Expected {
    /// A rule of a field, parameter or array item.
    Rule(Rule),
    /// An object-level `anyOf` none of whose alternatives holds: the `required` lists of
    /// its alternatives (empty when they only constrain properties).
    Alternatives(Vec<Vec<String>>),
}

/// Where the broken value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A path parameter.
    Path,
    /// A query parameter.
    Query,
    /// The request body.
    Body,
}

/// An input of one operation that breaks exactly one rule of the spec.
#[derive(Debug, Clone)]
pub struct RuleCase {
    /// The operation's method name.
    pub operation: String,
    /// What is broken, for the case's name: `to_pattern`, `media_urls_item_format_uri`.
    pub name: String,
    /// The valid input with the one value broken.
    pub input: Input,
    /// Where the value is.
    pub location: Location,
    /// The field as the client names it: `to`, `media_urls[1]`, or for an `anyOf` of
    /// objects the first alternative's fields joined by `, `.
    pub field: String,
    /// The rule the client must name.
    pub expected: Expected,
}

/// Why no case could be derived: the spec lacks what the derivation needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Underivable(pub String);

impl fmt::Display for Underivable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The body type of `op`, when it has an object body.
pub fn body_struct<'a>(api: &'a Api, op: &Operation) -> Option<&'a Struct> {
    match api.type_def(&op.body.as_ref()?.ty)? {
        TypeDef::Struct(s) => Some(s),
        _ => None,
    }
}

/// A valid input of `op` that sets every parameter and every body field the spec declares.
/// Values are the spec's examples; where there is none, a value made from the type and
/// its rules.
pub fn valid_input(api: &Api, op: &Operation) -> Result<Input, Underivable> {
    let mut params = Map::new();
    for p in &op.params {
        let at = format!("{} parameter `{}`", op.method_name, p.name);
        params.insert(
            p.name.clone(),
            value_of(api, &p.shape, p.example.as_ref(), &at)?,
        );
    }
    let body = match body_struct(api, op) {
        Some(s) => Some(object_of(api, s, &op.method_name)?),
        None => None,
    };
    Ok(Input {
        params: Value::Object(params),
        body,
    })
}

/// An object setting every field of `s`.
fn object_of(api: &Api, s: &Struct, at: &str) -> Result<Value, Underivable> {
    let mut object = Map::new();
    for f in &s.fields {
        let at = format!("{at} field `{}`", f.name);
        object.insert(
            f.name.clone(),
            value_of(api, &f.shape, f.example.as_ref(), &at)?,
        );
    }
    Ok(Value::Object(object))
}

/// A value of `shape`: `example` when given, otherwise made from the type and rules.
fn value_of(
    api: &Api,
    shape: &Shape,
    example: Option<&Value>,
    at: &str,
) -> Result<Value, Underivable> {
    if let Some(example) = example {
        return Ok(example.clone());
    }
    Ok(match &shape.ty {
        Ty::Boolean => Value::Bool(true),
        Ty::Integer | Ty::Number => {
            let min = shape.rules.iter().find_map(|r| match r {
                Rule::Minimum(x) => Some(*x),
                _ => None,
            });
            json!(min.unwrap_or(1.0).ceil() as i64)
        }
        Ty::String => Value::String(string_without_example(shape, at)?),
        Ty::StringOrNumber => json!("1"),
        Ty::Array(item) => {
            let count = shape
                .rules
                .iter()
                .find_map(|r| match r {
                    Rule::MinItems(n) => Some(*n),
                    _ => None,
                })
                .unwrap_or(1)
                .max(1);
            let item = value_of(api, item, None, &format!("{at} item"))?;
            Value::Array(vec![item; count as usize])
        }
        Ty::Named(name) => match api.type_def(name) {
            Some(TypeDef::Enum(e)) => {
                let value = e
                    .default
                    .clone()
                    .or_else(|| e.values.first().map(|v| v.value.clone()));
                Value::String(
                    value.ok_or_else(|| Underivable(format!("{at}: an enum without values")))?,
                )
            }
            Some(TypeDef::Struct(s)) => object_of(api, s, at)?,
            Some(TypeDef::OneOf(o)) => {
                let variant = o
                    .variants
                    .first()
                    .ok_or_else(|| Underivable(format!("{at}: a `oneOf` without members")))?;
                value_of(api, &variant.shape, None, at)?
            }
            None => return Err(Underivable(format!("{at}: unknown type {}", name.rust))),
        },
        Ty::Map(_) | Ty::JsonObject => json!({}),
        Ty::Any | Ty::External(_) => Value::Null,
    })
}

/// A string meeting `shape`'s rules when the spec gives no example: possible for formats
/// and lengths, not for patterns.
fn string_without_example(shape: &Shape, at: &str) -> Result<String, Underivable> {
    let mut value = "text".to_owned();
    for rule in &shape.rules {
        match rule {
            Rule::Format(format) => value = format_example(*format).to_owned(),
            Rule::Pattern { spec, .. } => {
                return Err(Underivable(format!(
                    "{at} has the pattern `{spec}` and no `example` in the spec: give it one, \
                     so that the tests have a valid value to start from"
                )));
            }
            Rule::AnyOf(_) => {
                return Err(Underivable(format!(
                    "{at} is an `anyOf` of strings with no `example` in the spec: give it one"
                )));
            }
            _ => {}
        }
    }
    for rule in &shape.rules {
        match rule {
            Rule::MinLength(n) => value = cycle(&value, (*n as usize).max(value.chars().count())),
            Rule::MaxLength(n) => value = value.chars().take(*n as usize).collect(),
            _ => {}
        }
    }
    Ok(value)
}

/// A value of each format, as any reader of the format takes it.
fn format_example(format: Format) -> &'static str {
    match format {
        Format::Uuid => "4000eba1-a0c0-4563-9925-b25e842a7cb6",
        Format::DateTime => "2030-01-23T18:10:00Z",
        Format::Date => "2030-01-23",
        Format::Uri => "https://www.example.com/",
    }
}

/// `text`'s characters repeated (or cut) to `len` characters.
fn cycle(text: &str, len: usize) -> String {
    let source = if text.is_empty() { "a" } else { text };
    source.chars().cycle().take(len).collect()
}

// ---------------------------------------------------------------------------------------
// This module's reading of the rules
// ---------------------------------------------------------------------------------------

/// Whether `value` breaks `rule` (rules about other kinds of value never break).
pub fn breaks(value: &str, rule: &Rule) -> bool {
    match rule {
        Rule::MinLength(n) => (value.chars().count() as u64) < *n,
        Rule::MaxLength(n) => (value.chars().count() as u64) > *n,
        Rule::Pattern { regex, .. } => regex_lite::Regex::new(regex)
            .map(|re| !re.is_match(value))
            .unwrap_or_else(|error| {
                panic!("the model's pattern {regex} does not compile: {error}")
            }),
        Rule::Format(format) => !has_format(value, *format),
        Rule::AnyOf(alternatives) => alternatives
            .iter()
            .all(|a| a.rules.iter().any(|r| breaks(value, r))),
        Rule::MinItems(_) | Rule::MaxItems(_) | Rule::Minimum(_) | Rule::Maximum(_) => false,
    }
}

/// A plain reading of each format: enough to tell the values this module makes apart
/// (the boundary cases are the contract tests' format lists).
fn has_format(value: &str, format: Format) -> bool {
    let pattern = match format {
        Format::Uuid => {
            "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"
        }
        Format::DateTime => {
            r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$"
        }
        Format::Date => "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
        Format::Uri => return url::Url::parse(value).is_ok() && !value.contains(' '),
    };
    regex_lite::Regex::new(pattern).is_ok_and(|re| re.is_match(value))
}

// ---------------------------------------------------------------------------------------
// Broken inputs
// ---------------------------------------------------------------------------------------

/// Every rule case of every operation: one per rule of each parameter, body field and
/// array item, and one per object-level `anyOf` of each body. An `Err` names each rule
/// no case could be made for.
pub fn rule_cases(api: &Api) -> Result<Vec<RuleCase>, Vec<Underivable>> {
    let pool = string_pool(api);
    let mut cases = Vec::new();
    let mut missing = Vec::new();
    for op in &api.operations {
        let valid = match valid_input(api, op) {
            Ok(input) => input,
            Err(error) => {
                missing.push(error);
                continue;
            }
        };
        for p in &op.params {
            let location = match p.location {
                ParamIn::Path => Location::Path,
                ParamIn::Query => Location::Query,
            };
            let value = &valid.params[&p.name];
            for (suffix, field, broken, rule) in field_breaks(&p.name, &p.shape, value, &pool) {
                match broken {
                    Some(broken) => {
                        let mut input = valid.clone();
                        input.params[&p.name] = broken;
                        cases.push(RuleCase {
                            operation: op.method_name.clone(),
                            name: format!("{}_{suffix}", p.name),
                            input,
                            location,
                            field,
                            expected: Expected::Rule(rule),
                        });
                    }
                    None => missing.push(cannot(op, &p.name, &rule)),
                }
            }
        }
        let Some(s) = body_struct(api, op) else {
            continue;
        };
        let Some(body) = &valid.body else { continue };
        for f in &s.fields {
            for (suffix, field, broken, rule) in
                field_breaks(&f.name, &f.shape, &body[&f.name], &pool)
            {
                match broken {
                    Some(broken) => {
                        let mut input = valid.clone();
                        if let Some(body) = &mut input.body {
                            body[&f.name] = broken;
                        }
                        cases.push(RuleCase {
                            operation: op.method_name.clone(),
                            name: format!("{}_{suffix}", f.name),
                            input,
                            location: Location::Body,
                            field,
                            expected: Expected::Rule(rule),
                        });
                    }
                    None => missing.push(cannot(op, &f.name, &rule)),
                }
            }
        }
        for (index, group) in s.required_any_of.iter().enumerate() {
            let others_hold = |broken: &Value| {
                broken.as_object().is_some_and(|object| {
                    s.required_any_of
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| *i != index)
                        .all(|(_, other)| other.iter().any(|c| condition_holds(c, object)))
                })
            };
            match break_group(s, group, body, &pool).filter(others_hold) {
                Some(broken) => {
                    let lists: Vec<Vec<String>> = group
                        .iter()
                        .filter(|c| !c.required.is_empty())
                        .map(|c| c.required.clone())
                        .collect();
                    let field = match lists.first() {
                        Some(first) => first.join(", "),
                        None => group
                            .iter()
                            .flat_map(|c| &c.constraints)
                            .map(|(name, _)| name.clone())
                            .next()
                            .unwrap_or_default(),
                    };
                    let mut input = valid.clone();
                    input.body = Some(broken);
                    cases.push(RuleCase {
                        operation: op.method_name.clone(),
                        name: format!("any_of_{}_{}", index + 1, group_names(group).join("_or_")),
                        input,
                        location: Location::Body,
                        field,
                        expected: Expected::Alternatives(lists),
                    });
                }
                None => missing.push(Underivable(format!(
                    "{}: no body breaks the `anyOf` of {:?} alone",
                    op.method_name,
                    group_names(group)
                ))),
            }
        }
    }
    if missing.is_empty() {
        Ok(cases)
    } else {
        Err(missing)
    }
}

/// [`rule_cases`], or a panic listing every rule no case could be made for.
pub fn all_rule_cases(api: &Api) -> Vec<RuleCase> {
    rule_cases(api).unwrap_or_else(|missing| {
        let lines: Vec<String> = missing.iter().map(ToString::to_string).collect();
        panic!("rules without a case:\n{}", lines.join("\n"))
    })
}

fn cannot(op: &Operation, field: &str, rule: &Rule) -> Underivable {
    Underivable(format!(
        "{}: no value of `{field}` breaks {rule:?} and no other rule of it",
        op.method_name
    ))
}

/// The properties an object-level `anyOf` names, required or constrained.
fn group_names(group: &[Condition]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for condition in group {
        for name in condition
            .required
            .iter()
            .chain(condition.constraints.iter().map(|(n, _)| n))
        {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
    }
    names
}

/// One broken value per rule of a field (or parameter) whose valid value is `valid`:
/// (name suffix, the field as the client names it, the broken value or `None` when none
/// was found, the rule the client reports for it).
fn field_breaks(
    name: &str,
    shape: &Shape,
    valid: &Value,
    pool: &[String],
) -> Vec<(String, String, Option<Value>, Rule)> {
    let mut out = Vec::new();
    match (&shape.ty, valid) {
        (Ty::Array(item), Value::Array(items)) if !items.is_empty() => {
            for rule in &shape.rules {
                let broken = match rule {
                    Rule::MinItems(n) if *n > 0 => Some(cycle_items(items, *n as usize - 1)),
                    Rule::MaxItems(n) => Some(cycle_items(items, *n as usize + 1)),
                    _ => None,
                };
                out.push((
                    rule_suffix(rule),
                    name.to_owned(),
                    broken.map(Value::Array),
                    rule.clone(),
                ));
            }
            // An item rule is broken in the second item, after a valid first one.
            if let Some(Value::String(first)) = items.first() {
                for rule in &item.rules {
                    let (broken, reported) = match break_string(first, &item.rules, rule, pool) {
                        Some((bad, reported)) => {
                            let mut list = vec![items[0].clone(), Value::String(bad)];
                            list.extend(items.iter().skip(2).cloned());
                            (Some(Value::Array(list)), reported)
                        }
                        None => (None, rule.clone()),
                    };
                    out.push((
                        format!("item_{}", rule_suffix(rule)),
                        format!("{name}[1]"),
                        broken,
                        reported,
                    ));
                }
            }
        }
        (Ty::String, Value::String(text)) => {
            for rule in &shape.rules {
                let (broken, reported) = match break_string(text, &shape.rules, rule, pool) {
                    Some((bad, reported)) => (Some(Value::String(bad)), reported),
                    None => (None, rule.clone()),
                };
                out.push((rule_suffix(rule), name.to_owned(), broken, reported));
            }
        }
        (Ty::Integer | Ty::Number, Value::Number(_)) => {
            for rule in &shape.rules {
                let broken = match rule {
                    Rule::Minimum(min) => Some(json!(min - 1.0)),
                    Rule::Maximum(max) => Some(json!(max + 1.0)),
                    _ => None,
                };
                out.push((rule_suffix(rule), name.to_owned(), broken, rule.clone()));
            }
        }
        _ => {
            for rule in &shape.rules {
                out.push((rule_suffix(rule), name.to_owned(), None, rule.clone()));
            }
        }
    }
    out
}

/// `items` repeated (or cut) to `count` items.
fn cycle_items(items: &[Value], count: usize) -> Vec<Value> {
    items.iter().cycle().take(count).cloned().collect()
}

/// `pattern`, `max_length`, `format_uri`, ...: a rule in a case name.
fn rule_suffix(rule: &Rule) -> String {
    match rule {
        Rule::MinLength(_) => "min_length".to_owned(),
        Rule::MaxLength(_) => "max_length".to_owned(),
        Rule::Pattern { .. } => "pattern".to_owned(),
        Rule::Format(f) => format!("format_{}", f.name().replace('-', "_")),
        Rule::MinItems(_) => "min_items".to_owned(),
        Rule::MaxItems(_) => "max_items".to_owned(),
        Rule::Minimum(_) => "minimum".to_owned(),
        Rule::Maximum(_) => "maximum".to_owned(),
        Rule::AnyOf(_) => "any_of".to_owned(),
    }
}

/// A string that breaks `target` and, where one exists, no other of `rules`, made from the
/// valid `value`, from the spec's other example strings, or from values that break each
/// format; with the rule the client reports for it (the first of `rules` it breaks, the
/// order the client checks them in).
fn break_string(
    value: &str,
    rules: &[Rule],
    target: &Rule,
    pool: &[String],
) -> Option<(String, Rule)> {
    let chars = value.chars().count();
    let mut candidates: Vec<String> = Vec::new();
    match target {
        Rule::MinLength(n) => candidates.push(
            value
                .chars()
                .take((*n as usize).saturating_sub(1))
                .collect(),
        ),
        Rule::MaxLength(n) => candidates.push(cycle(value, *n as usize + 1)),
        Rule::Format(Format::Uuid) => {
            candidates.push(value.replace('-', ""));
            candidates.push("not-a-uuid".to_owned());
        }
        Rule::Format(Format::DateTime) => {
            candidates.push("next tuesday".to_owned());
            candidates.push(value.trim_end_matches(['Z', 'z']).to_owned());
        }
        Rule::Format(Format::Date) => candidates.push("2030-13-45".to_owned()),
        Rule::Format(Format::Uri) => {
            // A space in the host: no URL reader takes it; the rest stays as it was.
            if let Some(at) = value.find("://") {
                let host = at + 3;
                let cut = value[host..]
                    .char_indices()
                    .nth(3)
                    .map_or(value.len(), |(i, _)| host + i);
                candidates.push(format!("{} {}", &value[..cut], &value[cut..]));
            }
            candidates.push("not a uri".to_owned());
        }
        _ => {}
    }
    // Small edits that leave most of the value as it was, then the spec's other strings.
    candidates.extend([
        format!("{value}-"),
        format!("x{value}"),
        format!("-{value}"),
        "1".repeat(chars.max(1)),
        "a".repeat(chars.max(1)),
        format!("+0{value}"),
        "12".to_owned(),
        "abc".to_owned(),
        String::new(),
    ]);
    candidates.extend(pool.iter().cloned());
    candidates.retain(|c| c != value && breaks(c, target));
    let alone = candidates
        .iter()
        .position(|c| rules.iter().filter(|r| *r != target).all(|r| !breaks(c, r)));
    // A rule that no value breaks alone (a `minLength: 1` beside a pattern that needs a
    // character anyway) is broken with others; the client reports the first of them.
    let chosen = alone.map_or_else(
        || candidates.first().cloned(),
        |i| Some(candidates[i].clone()),
    )?;
    let reported = rules.iter().find(|r| breaks(&chosen, r))?.clone();
    Some((chosen, reported))
}

/// Every example string of the spec: fields, array items and parameters.
fn string_pool(api: &Api) -> Vec<String> {
    let mut pool: Vec<String> = Vec::new();
    let mut add = |value: Option<&Value>| {
        let strings: Vec<&Value> = match value {
            Some(Value::Array(items)) => items.iter().collect(),
            Some(other) => vec![other],
            None => Vec::new(),
        };
        for s in strings.into_iter().filter_map(Value::as_str) {
            if !pool.iter().any(|p| p == s) {
                pool.push(s.to_owned());
            }
        }
    };
    for t in &api.types {
        if let TypeDef::Struct(s) = t {
            for f in &s.fields {
                add(f.example.as_ref());
            }
        }
    }
    for op in &api.operations {
        for p in &op.params {
            add(p.example.as_ref());
        }
    }
    pool
}

/// A body in which no alternative of `group` holds and every field still meets its own
/// rules: each alternative's optional required fields removed, and each property an
/// alternative constrains set to a value that meets the field's rules but not the
/// alternative's.
fn break_group(s: &Struct, group: &[Condition], valid: &Value, pool: &[String]) -> Option<Value> {
    let mut body = valid.clone();
    let object = body.as_object_mut()?;
    for condition in group {
        for name in &condition.required {
            let field = s.fields.iter().find(|f| f.name == *name)?;
            if field.required {
                return None;
            }
            object.remove(name);
        }
    }
    for condition in group {
        if !condition.required.is_empty() {
            continue;
        }
        for (name, constraint) in &condition.constraints {
            let field: &Field = s.fields.iter().find(|f| f.name == *name)?;
            let fits = |c: &String| {
                field.shape.rules.iter().all(|r| !breaks(c, r))
                    && constraint.rules.iter().any(|r| breaks(c, r))
            };
            let value = pool.iter().find(|c| fits(c))?;
            object.insert(name.clone(), Value::String(value.clone()));
        }
    }
    // Constraints of alternatives that also require fields: those fields are gone, so
    // the alternative fails whatever the constrained value.
    let holds = group
        .iter()
        .any(|condition| condition_holds(condition, object));
    (!holds).then_some(body)
}

/// Whether one alternative of an object-level `anyOf` holds for `object`.
pub fn condition_holds(condition: &Condition, object: &Map<String, Value>) -> bool {
    let present = |name: &String| object.get(name).is_some_and(|v| !v.is_null());
    condition.required.iter().all(present)
        && condition.constraints.iter().all(|(name, shape)| {
            match object.get(name).and_then(Value::as_str) {
                Some(value) => shape.rules.iter().all(|r| !breaks(value, r)),
                None => true,
            }
        })
}

// ---------------------------------------------------------------------------------------
// The client's report
// ---------------------------------------------------------------------------------------

/// Whether the client's `reported` rule is the model's `expected` one.
pub fn is_reported(expected: &Expected, reported: &telnyx_messaging::rules::Rule) -> bool {
    use telnyx_messaging::rules::Rule as Reported;
    match (expected, reported) {
        (Expected::Alternatives(lists), Reported::RequiredAnyOf(got)) => {
            lists.len() == got.len()
                && lists
                    .iter()
                    .zip(got.iter())
                    .all(|(want, got)| want.iter().map(String::as_str).eq(got.iter().copied()))
        }
        // Alternatives that only constrain properties report the first constraint's rule.
        (Expected::Alternatives(lists), _) => lists.is_empty(),
        (Expected::Rule(rule), reported) => same_rule(rule, reported),
    }
}

/// Whether the generator's `model` rule and the runtime's `runtime` rule are one rule.
pub fn same_rule(model: &Rule, runtime: &telnyx_messaging::rules::Rule) -> bool {
    use telnyx_messaging::rules::{Format as F, Rule as R};
    match (model, runtime) {
        (Rule::MinLength(a), R::MinLength(b))
        | (Rule::MaxLength(a), R::MaxLength(b))
        | (Rule::MinItems(a), R::MinItems(b))
        | (Rule::MaxItems(a), R::MaxItems(b)) => a == b,
        (Rule::Minimum(a), R::Minimum(b)) | (Rule::Maximum(a), R::Maximum(b)) => a == b,
        (Rule::Pattern { regex, .. }, R::Pattern(b)) => regex == b.as_str(),
        (Rule::Format(a), R::Format(b)) => matches!(
            (a, b),
            (Format::Uuid, F::Uuid)
                | (Format::DateTime, F::DateTime)
                | (Format::Date, F::Date)
                | (Format::Uri, F::Uri)
        ),
        (Rule::AnyOf(a), R::AnyOf(b)) => {
            a.len() == b.len()
                && a.iter().zip(b.iter()).all(|(a, b)| {
                    a.name == b.name
                        && a.rules.len() == b.rules.len()
                        && a.rules.iter().zip(b.rules).all(|(a, b)| same_rule(a, b))
                })
        }
        _ => false,
    }
}
