//! How two specs differ in meaning: both read into the generator's model, then compared
//! operation by operation (matched by `operationId`) and, through each operation's
//! parameters, request body, answers and webhooks, field by field.
//!
//! Type names may differ between the two (one spec's `Message` is the other's
//! `OutboundMessagePayload`): types are compared by where they are used, not by name.
//! Each difference is one line, in a stable order, under its group (an operation, or the
//! spec as a whole).

use std::collections::BTreeMap;

use crate::model::{Api, Callback, Field, Operation, Rule, Shape, SuccessBody, Ty, TypeDef};

/// One difference between the two specs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Difference {
    /// What it is about: `operation SendMessage`, `operations`, `webhooks`.
    pub group: String,
    /// What differs, on one line: `request field send_at: only in ours`.
    pub line: String,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.group, self.line)
    }
}

/// How deep nested types are followed (a recursive type stops here).
const MAX_DEPTH: usize = 8;

/// Every difference between `ours` and `upstream`, sorted by group, then line.
pub fn compare(ours: &Api, upstream: &Api) -> Vec<Difference> {
    let mut out = Differences::default();
    let theirs: BTreeMap<&str, &Operation> = upstream
        .operations
        .iter()
        .map(|o| (o.id.as_str(), o))
        .collect();
    let mine: BTreeMap<&str, &Operation> =
        ours.operations.iter().map(|o| (o.id.as_str(), o)).collect();
    for id in mine.keys().filter(|id| !theirs.contains_key(*id)) {
        out.push("operations", format!("{id}: only in ours"));
    }
    for id in theirs.keys().filter(|id| !mine.contains_key(*id)) {
        out.push("operations", format!("{id}: only upstream"));
    }
    for (id, a) in &mine {
        let Some(b) = theirs.get(id) else { continue };
        let cmp = Pair {
            ours,
            upstream,
            group: format!("operation {id}"),
        };
        cmp.operation(a, b, &mut out);
    }
    let pair = Pair {
        ours,
        upstream,
        group: "webhooks".to_owned(),
    };
    pair.callbacks("", &ours.webhooks, &upstream.webhooks, &mut out);
    let mut list = out.0;
    list.sort();
    list.dedup();
    list
}

#[derive(Default)]
struct Differences(Vec<Difference>);

impl Differences {
    fn push(&mut self, group: &str, line: String) {
        self.0.push(Difference {
            group: group.to_owned(),
            line,
        });
    }
}

/// The two models, and the group the lines go to.
struct Pair<'a> {
    ours: &'a Api,
    upstream: &'a Api,
    group: String,
}

impl Pair<'_> {
    fn push(&self, out: &mut Differences, line: String) {
        out.push(&self.group, line);
    }

    fn operation(&self, a: &Operation, b: &Operation, out: &mut Differences) {
        if (a.method.as_str(), a.path.as_str()) != (b.method.as_str(), b.path.as_str()) {
            self.push(
                out,
                format!(
                    "endpoint: ours {} {}, upstream {} {}",
                    a.method, a.path, b.method, b.path
                ),
            );
        }
        // Parameters, by name.
        for p in &a.params {
            match b.params.iter().find(|q| q.name == p.name) {
                None => self.push(out, format!("parameter {}: only in ours", p.name)),
                Some(q) => {
                    if p.required != q.required {
                        self.push(
                            out,
                            format!(
                                "parameter {}: {}",
                                p.name,
                                required_text(p.required, q.required)
                            ),
                        );
                    }
                    self.shape(&format!("parameter {}", p.name), &p.shape, &q.shape, 0, out);
                }
            }
        }
        for q in &b.params {
            if !a.params.iter().any(|p| p.name == q.name) {
                self.push(out, format!("parameter {}: only upstream", q.name));
            }
        }
        // The request body.
        match (&a.body, &b.body) {
            (Some(x), Some(y)) => {
                if x.required != y.required {
                    self.push(
                        out,
                        format!("request: {}", required_text(x.required, y.required)),
                    );
                }
                self.shape(
                    "request",
                    &Shape::plain(Ty::Named(x.ty.clone())),
                    &Shape::plain(Ty::Named(y.ty.clone())),
                    0,
                    out,
                );
            }
            (Some(_), None) => self.push(out, "request: a body only in ours".to_owned()),
            (None, Some(_)) => self.push(out, "request: a body only upstream".to_owned()),
            (None, None) => {}
        }
        // The answer.
        match (answer(&a.success.body), answer(&b.success.body)) {
            (Some(x), Some(y)) => {
                self.shape("response", &Shape::plain(x), &Shape::plain(y), 0, out)
            }
            (Some(_), None) => self.push(out, "response: a body only in ours".to_owned()),
            (None, Some(_)) => self.push(out, "response: a body only upstream".to_owned()),
            (None, None) => {}
        }
        let statuses = |o: &Operation| {
            o.errors
                .iter()
                .map(|e| e.status.clone())
                .collect::<Vec<_>>()
        };
        let (x, y) = (statuses(a), statuses(b));
        if x != y {
            self.push(
                out,
                format!(
                    "error statuses: ours [{}], upstream [{}]",
                    x.join(", "),
                    y.join(", ")
                ),
            );
        }
        self.callbacks("webhook ", &a.callbacks, &b.callbacks, out);
    }

    fn callbacks(&self, prefix: &str, a: &[Callback], b: &[Callback], out: &mut Differences) {
        for c in a {
            match b.iter().find(|d| d.name == c.name) {
                None => self.push(out, format!("{prefix}{}: only in ours", c.name)),
                Some(d) => self.shape(
                    &format!("{prefix}{}", c.name),
                    &Shape::plain(Ty::Named(c.body.clone())),
                    &Shape::plain(Ty::Named(d.body.clone())),
                    0,
                    out,
                ),
            }
        }
        for d in b {
            if !a.iter().any(|c| c.name == d.name) {
                self.push(out, format!("{prefix}{}: only upstream", d.name));
            }
        }
    }

    /// Two uses of a shape at `at`: type, enum values, format, rules, and for objects
    /// their fields, recursively.
    fn shape(&self, at: &str, a: &Shape, b: &Shape, depth: usize, out: &mut Differences) {
        let (ka, kb) = (self.kind(self.ours, &a.ty), self.kind(self.upstream, &b.ty));
        if ka != kb {
            self.push(out, format!("{at}: type: ours {ka}, upstream {kb}"));
            return;
        }
        let (fa, fb) = (format_of(a), format_of(b));
        if fa != fb {
            self.push(
                out,
                format!(
                    "{at}: format: ours {}, upstream {}",
                    fa.unwrap_or("none"),
                    fb.unwrap_or("none")
                ),
            );
        }
        let (ra, rb) = (rules_text(&a.rules), rules_text(&b.rules));
        if ra != rb {
            self.push(
                out,
                format!(
                    "{at}: rules: ours [{}], upstream [{}]",
                    ra.join("; "),
                    rb.join("; ")
                ),
            );
        }
        if depth >= MAX_DEPTH {
            return;
        }
        match (&a.ty, &b.ty) {
            (Ty::Array(x), Ty::Array(y)) | (Ty::Map(x), Ty::Map(y)) => {
                self.shape(&format!("{at}[]"), x, y, depth + 1, out);
            }
            (Ty::Named(x), Ty::Named(y)) => {
                match (self.ours.type_def(x), self.upstream.type_def(y)) {
                    (Some(TypeDef::Struct(s)), Some(TypeDef::Struct(t))) => {
                        self.fields(at, &s.fields, &t.fields, depth, out);
                    }
                    (Some(TypeDef::Enum(e)), Some(TypeDef::Enum(f))) => {
                        let values = |v: &[crate::model::Variant]| {
                            // As sets: the order of an enum's values means nothing.
                            let mut list: Vec<String> = v.iter().map(|x| x.value.clone()).collect();
                            list.sort();
                            list
                        };
                        let (va, vb) = (values(&e.values), values(&f.values));
                        if va != vb {
                            self.push(
                                out,
                                format!(
                                    "{at}: enum values: ours [{}], upstream [{}]",
                                    va.join(", "),
                                    vb.join(", ")
                                ),
                            );
                        }
                    }
                    (Some(TypeDef::OneOf(o)), Some(TypeDef::OneOf(p))) => {
                        let tags = |o: &crate::model::OneOf| {
                            o.variants
                                .iter()
                                .map(|v| v.tag_values.join("|"))
                                .collect::<Vec<_>>()
                        };
                        if o.variants.len() != p.variants.len() || tags(o) != tags(p) {
                            self.push(
                                out,
                                format!(
                                    "{at}: oneOf members: ours {} [{}], upstream {} [{}]",
                                    o.variants.len(),
                                    tags(o).join(", "),
                                    p.variants.len(),
                                    tags(p).join(", ")
                                ),
                            );
                        }
                        for (i, (v, w)) in o.variants.iter().zip(&p.variants).enumerate() {
                            self.shape(
                                &format!("{at} member {}", i + 1),
                                &v.shape,
                                &w.shape,
                                depth + 1,
                                out,
                            );
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }

    fn fields(&self, at: &str, a: &[Field], b: &[Field], depth: usize, out: &mut Differences) {
        for f in a {
            let here = format!("{at} field {}", f.name);
            match b.iter().find(|g| g.name == f.name) {
                None => self.push(out, format!("{here}: only in ours")),
                Some(g) => {
                    if f.required != g.required {
                        self.push(
                            out,
                            format!("{here}: {}", required_text(f.required, g.required)),
                        );
                    }
                    if f.nullable != g.nullable {
                        let text = |n: bool| if n { "nullable" } else { "not nullable" };
                        self.push(
                            out,
                            format!(
                                "{here}: {} in ours, {} upstream",
                                text(f.nullable),
                                text(g.nullable)
                            ),
                        );
                    }
                    self.shape(&here, &f.shape, &g.shape, depth + 1, out);
                }
            }
        }
        for g in b {
            if !a.iter().any(|f| f.name == g.name) {
                self.push(out, format!("{at} field {}: only upstream", g.name));
            }
        }
    }

    /// What kind of value a type holds, without its name (names differ between specs).
    fn kind(&self, api: &Api, ty: &Ty) -> String {
        match ty {
            Ty::String => "string".to_owned(),
            Ty::Integer => "integer".to_owned(),
            Ty::Number => "number".to_owned(),
            Ty::Boolean => "boolean".to_owned(),
            Ty::StringOrNumber => "string or number".to_owned(),
            Ty::Array(item) => format!("array of {}", self.kind(api, &item.ty)),
            Ty::Map(value) => format!("map of {}", self.kind(api, &value.ty)),
            Ty::JsonObject => "free-form object".to_owned(),
            Ty::Any => "any".to_owned(),
            Ty::External(_) => "object".to_owned(),
            Ty::Named(name) => match api.type_def(name) {
                Some(TypeDef::Struct(_)) => "object".to_owned(),
                Some(TypeDef::Enum(_)) => "string enum".to_owned(),
                Some(TypeDef::OneOf(_)) => "oneOf".to_owned(),
                None => "object".to_owned(),
            },
        }
    }
}

/// The whole body of a 2xx answer (envelopes included, so that both sides compare the
/// same thing whether or not the generator unwraps them).
fn answer(body: &SuccessBody) -> Option<Ty> {
    match body {
        SuccessBody::Nothing => None,
        SuccessBody::Json { ty, .. } | SuccessBody::MaybeJson(ty) => Some(ty.clone()),
    }
}

fn required_text(ours: bool, upstream: bool) -> String {
    let text = |r: bool| if r { "required" } else { "optional" };
    format!("{} in ours, {} upstream", text(ours), text(upstream))
}

/// The `format` of a shape, checked or only documented.
fn format_of(shape: &Shape) -> Option<&str> {
    shape
        .rules
        .iter()
        .find_map(|r| match r {
            Rule::Format(f) => Some(f.name()),
            _ => None,
        })
        .or(shape.format_doc.as_deref())
}

/// The rules of a shape other than its format, as text, sorted.
fn rules_text(rules: &[Rule]) -> Vec<String> {
    let mut list: Vec<String> = rules
        .iter()
        .filter_map(|r| {
            Some(match r {
                Rule::MinLength(n) => format!("minLength {n}"),
                Rule::MaxLength(n) => format!("maxLength {n}"),
                Rule::Pattern { spec, .. } => format!("pattern {spec}"),
                Rule::Format(_) => return None,
                Rule::MinItems(n) => format!("minItems {n}"),
                Rule::MaxItems(n) => format!("maxItems {n}"),
                Rule::Minimum(x) => format!("minimum {x}"),
                Rule::Maximum(x) => format!("maximum {x}"),
                Rule::AnyOf(alternatives) => {
                    let mut parts: Vec<String> = alternatives
                        .iter()
                        .map(|a| rules_text(&a.rules).join(", "))
                        .collect();
                    parts.sort();
                    format!("anyOf ({})", parts.join(" | "))
                }
            })
        })
        .collect();
    list.sort();
    list
}

/// The differences judged against an allow-list: which are on purpose, and which of
/// the list's patterns matched nothing (stale).
#[derive(Debug, Clone)]
pub struct Report {
    /// Each difference, and whether the allow-list covers it.
    pub differences: Vec<(Difference, bool)>,
    /// Allow-list patterns no difference matched.
    pub unused: Vec<String>,
}

impl Report {
    /// Whether every difference is on purpose.
    pub fn clean(&self) -> bool {
        self.differences.iter().all(|(_, allowed)| *allowed)
    }

    /// The report: differences grouped, one line each, allowed ones marked `=` and the
    /// others `!`; then a count naming the allow-list.
    pub fn render(&self, allow_list: &str) -> String {
        let mut out = String::new();
        let mut group = "";
        for (d, allowed) in &self.differences {
            if d.group != group {
                group = &d.group;
                out.push_str(group);
                out.push('\n');
            }
            let mark = if *allowed { "  = " } else { "  ! " };
            out.push_str(&format!("{mark}{}\n", d.line));
        }
        let allowed = self.differences.iter().filter(|(_, a)| *a).count();
        out.push_str(&format!(
            "{} difference(s): {allowed} allowed by {allow_list} (=), {} not (!)\n",
            self.differences.len(),
            self.differences.len() - allowed
        ));
        for entry in &self.unused {
            out.push_str(&format!("allow-list entry matching nothing: {entry}\n"));
        }
        out
    }
}

/// Judges `differences` against an allow-list's text: one pattern per line, `*` standing
/// for any text, `#` starting a comment line.
pub fn judge(differences: Vec<Difference>, allow_list: &str) -> Report {
    let allow: Vec<&str> = allow_list
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let differences: Vec<(Difference, bool)> = differences
        .into_iter()
        .map(|d| {
            let text = d.to_string();
            let allowed = allow.iter().any(|entry| glob(entry, &text));
            (d, allowed)
        })
        .collect();
    let unused = allow
        .iter()
        .filter(|entry| !differences.iter().any(|(d, _)| glob(entry, &d.to_string())))
        .map(|entry| (*entry).to_owned())
        .collect();
    Report {
        differences,
        unused,
    }
}

/// Whether `text` matches `pattern`, where `*` stands for any run of characters.
fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(schemas: &str, extra_paths: &str) -> Api {
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\nservers: [{{url: 'https://api.example.com'}}]\nsecurity: [{{bearer: []}}]\npaths:\n  /things:\n    post:\n      operationId: MakeThing\n      requestBody:\n        required: true\n        content:\n          application/json:\n            schema: {{$ref: '#/components/schemas/Thing'}}\n      responses:\n        '200':\n          description: ok\n{extra_paths}components:\n  securitySchemes:\n    bearer: {{type: http, scheme: bearer}}\n  schemas:\n{schemas}"
        );
        crate::parse::parse(&spec).unwrap_or_else(|e| panic!("{e}\n{spec}"))
    }

    fn lines(a: &Api, b: &Api) -> Vec<String> {
        compare(a, b).iter().map(ToString::to_string).collect()
    }

    const THING: &str = "    Thing:\n      type: object\n      required: [to]\n      properties:\n        to: {type: string, pattern: '^[0-9]+$'}\n        when: {type: string, format: date-time}\n        kind: {type: string, enum: [a, b]}\n        tags: {type: array, items: {type: string}, maxItems: 3}\n";

    #[test]
    fn the_same_spec_has_no_difference() {
        assert_eq!(
            lines(&api(THING, ""), &api(THING, "")),
            Vec::<String>::new()
        );
    }

    #[test]
    fn each_kind_of_difference_is_one_line() {
        let upstream = THING
            .replace("required: [to]", "required: [to, when]")
            .replace("pattern: '^[0-9]+$'", "pattern: '^[0-9]*$'")
            .replace("format: date-time", "format: date")
            .replace("enum: [a, b]", "enum: [a, b, c]")
            .replace("maxItems: 3", "maxItems: 4")
            .replace(
                "        tags:",
                "        extra: {type: integer}\n        tags:",
            );
        let upstream = upstream.replace(
            "        kind:",
            "        gone_upstream: {type: string}\n        kind:",
        );
        let ours = THING.replace(
            "        kind:",
            "        mine: {type: boolean}\n        kind:",
        );
        let other_op = "  /other:\n    get:\n      operationId: Other\n      responses:\n        '204': {description: none}\n";
        assert_eq!(
            lines(&api(&ours, ""), &api(&upstream, other_op)),
            [
                "operation MakeThing: request field extra: only upstream",
                "operation MakeThing: request field gone_upstream: only upstream",
                "operation MakeThing: request field kind: enum values: ours [a, b], upstream [a, b, c]",
                "operation MakeThing: request field mine: only in ours",
                "operation MakeThing: request field tags: rules: ours [maxItems 3], upstream [maxItems 4]",
                "operation MakeThing: request field to: rules: ours [pattern ^[0-9]+$], upstream [pattern ^[0-9]*$]",
                "operation MakeThing: request field when: format: ours date-time, upstream date",
                "operation MakeThing: request field when: optional in ours, required upstream",
                "operations: Other: only upstream",
            ]
        );
    }

    #[test]
    fn types_are_compared_by_use_not_by_name() {
        let renamed = format!("{THING}{}", THING.replace("    Thing:", "    Widget:"));
        let mut upstream = api(&renamed, "");
        // The operation points at the renamed type through the same body.
        upstream.operations[0].body.as_mut().expect("body").ty.spec = "Widget".to_owned();
        upstream.operations[0].body.as_mut().expect("body").ty.rust = "Widget".to_owned();
        assert_eq!(lines(&api(THING, ""), &upstream), Vec::<String>::new());
        let changed = THING.replace(
            "to: {type: string, pattern: '^[0-9]+$'}",
            "to: {type: integer}",
        );
        assert_eq!(
            lines(&api(THING, ""), &api(&changed, "")),
            ["operation MakeThing: request field to: type: ours string, upstream integer"]
        );
    }

    #[test]
    fn nullability_parameters_statuses_and_webhooks_are_compared_too() {
        let op = |param: &str, status: &str, callback: &str| {
            format!(
                "  /things/{{id}}:\n    get:\n      operationId: GetThing\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string{param}}}}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Thing'}}\n        '{status}': {{description: no}}\n{callback}"
            )
        };
        let hook = "      callbacks:\n        done:\n          '{$request.body#/url}':\n            post:\n              requestBody:\n                content:\n                  application/json:\n                    schema: {$ref: '#/components/schemas/Event'}\n              responses:\n                '200': {description: ok}\n";
        let event =
            "    Event:\n      type: object\n      properties:\n        id: {type: string}\n";
        let nullable = THING.replace(
            "when: {type: string, format: date-time}",
            "when: {type: string, format: date-time, nullable: true}",
        );
        let ours = api(
            &format!("{nullable}{event}"),
            &op(", format: uuid", "404", hook),
        );
        let upstream = api(&format!("{THING}{event}"), &op("", "4XX", ""));
        assert_eq!(
            lines(&ours, &upstream),
            [
                "operation GetThing: error statuses: ours [404], upstream [4XX]",
                "operation GetThing: parameter id: format: ours uuid, upstream none",
                "operation GetThing: response field when: nullable in ours, not nullable upstream",
                "operation GetThing: webhook done: only in ours",
                "operation MakeThing: request field when: nullable in ours, not nullable upstream",
            ]
        );
    }

    #[test]
    fn allow_list_patterns_match_with_stars_anywhere() {
        assert!(glob("a: b", "a: b"));
        assert!(!glob("a: b", "a: bc"));
        assert!(glob(
            "operation *: rules: ours [*], upstream []",
            "operation X: rules: ours [minLength 1], upstream []"
        ));
        assert!(!glob(
            "operation *: rules: ours [*], upstream []",
            "operation X: rules: ours [a], upstream [b]"
        ));
        assert!(glob(
            "*amount: type*",
            "operation X: response field cost field amount: type: ours a, upstream b"
        ));
        assert!(glob("*", "anything"));
    }
}
