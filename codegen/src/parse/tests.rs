//! Unit tests of the model: what `parse` makes of small specs, names included.

use crate::Settings;
use crate::model::{
    Api, Format, ParamIn, ParamsStyle, Rule, Struct, SuccessBody, Ty, TypeDef, TypeName,
};

/// A spec with `paths` and `schemas` spliced in.
fn api(paths: &str, schemas: &str) -> Api {
    api_with(paths, schemas, &Settings::default())
}

fn api_with(paths: &str, schemas: &str, settings: &Settings) -> Api {
    let spec = format!(
        "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\nservers: [{{url: 'https://api.example.com/v1/'}}]\npaths:\n{paths}\ncomponents:\n  schemas:\n{schemas}"
    );
    super::parse_with(&spec, settings).unwrap_or_else(|e| panic!("{e}\n{spec}"))
}

fn get(path: &str, id: &str, extra: &str) -> String {
    format!(
        "  {path}:\n    get:\n      operationId: {id}\n{extra}      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Thing'}}\n"
    )
}

const THING: &str = "    Thing:\n      type: object\n      properties:\n        type: {type: string}\n        sendAt: {type: string, format: date-time}\n";

fn find_struct<'a>(api: &'a Api, spec: &str) -> &'a Struct {
    api.types
        .iter()
        .find_map(|t| match t {
            TypeDef::Struct(s) if s.name.spec == spec => Some(s),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no struct {spec}"))
}

#[test]
fn names_are_resolved_once_with_the_wire_name_kept() {
    let api = api(&get("/things", "listThings", ""), THING);
    let op = &api.operations[0];
    assert_eq!(op.id, "listThings");
    assert_eq!(op.method_name, "list_things");
    assert_eq!(op.method_with_response, "list_things_with_response");
    assert_eq!(api.base_url, "https://api.example.com/v1");
    let thing = find_struct(&api, "Thing");
    assert_eq!(thing.name.rust, "Thing");
    let names: Vec<(&str, &str)> = thing
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.rust.as_str()))
        .collect();
    assert_eq!(names, [("type", "type_"), ("sendAt", "send_at")]);
}

#[test]
fn one_string_path_parameter_is_an_argument_and_more_make_a_struct() {
    let one = "      parameters:\n        - {name: id, in: path, required: true, schema: {type: string, format: uuid}}\n";
    let single = api(&get("/things/{id}", "GetThing", one), THING);
    let op = &single.operations[0];
    assert_eq!(op.params_style, ParamsStyle::Single);
    assert_eq!(op.params[0].shape.rules, [Rule::Format(Format::Uuid)]);

    let many = "      parameters:\n        - {name: q, in: query, schema: {type: array, items: {type: string}}, explode: false}\n        - {name: b, in: path, required: true, schema: {type: integer}}\n        - {name: a, in: path, required: true, schema: {type: string}}\n";
    let api = api(&get("/x/{a}/y/{b}", "Search", many), THING);
    let op = &api.operations[0];
    let ParamsStyle::Struct(name) = &op.params_style else {
        panic!("{:?}", op.params_style)
    };
    assert_eq!(name.rust, "SearchParams");
    // Path parameters in template order, then the query.
    let order: Vec<(&str, ParamIn, bool)> = op
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.location, p.explode))
        .collect();
    assert_eq!(
        order,
        [
            ("a", ParamIn::Path, false),
            ("b", ParamIn::Path, false),
            ("q", ParamIn::Query, false)
        ]
    );
    let params = find_struct(&api, "SearchParams");
    assert!(params.in_request);
    assert_eq!(params.required_order, ["a", "b"]);
}

#[test]
fn success_bodies_by_what_the_2xx_answers_carry() {
    let ops = "  /a:\n    delete:\n      operationId: A\n      responses:\n        '204': {description: gone}\n  /b:\n    post:\n      operationId: B\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Thing'}\n        '202': {description: later}\n        4XX:\n          description: bad\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Thing'}\n";
    let api = api(ops, THING);
    assert_eq!(api.operations[0].success.body, SuccessBody::Nothing);
    assert_eq!(api.operations[0].success.statuses, ["204"]);
    let b = &api.operations[1];
    assert_eq!(b.success.statuses, ["200", "202"]);
    assert!(matches!(&b.success.body, SuccessBody::MaybeJson(Ty::Named(n)) if n.spec == "Thing"));
    assert_eq!(b.errors[0].status, "4XX");
}

#[test]
fn one_of_tags_come_from_the_discriminator_or_from_fixed_properties() {
    let schemas = "    Thing:\n      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]\n      discriminator: {propertyName: kind, mapping: {kitty: '#/components/schemas/Cat'}}\n    Cat: {type: object, properties: {kind: {type: string}}}\n    Dog: {type: object, properties: {kind: {type: string}}}\n    Event:\n      oneOf:\n        - {type: object, properties: {type: {type: string, enum: [a]}}}\n        - {type: object, properties: {type: {type: string, enum: [b]}}}\n    Loose:\n      oneOf: [{type: string}, {type: integer}]\n";
    let api = api(&get("/things", "GetThing", ""), schemas);
    let one_of = |name: &str| {
        api.types
            .iter()
            .find_map(|t| match t {
                TypeDef::OneOf(o) if o.name.spec == name => Some(o),
                _ => None,
            })
            .unwrap_or_else(|| panic!("{name}"))
    };
    let thing = one_of("Thing");
    let tag = thing.tag.as_ref().expect("tag");
    assert!(tag.declared);
    assert_eq!(tag.property, "kind");
    assert_eq!(thing.variants[0].tag_values, ["kitty"]);
    assert_eq!(thing.variants[1].tag_values, ["Dog"]);
    let event = one_of("Event");
    assert_eq!(
        event
            .tag
            .as_ref()
            .map(|t| (t.property.as_str(), t.declared)),
        Some(("type", false))
    );
    assert_eq!(event.variants[1].tag_values, ["b"]);
    let loose = one_of("Loose");
    assert_eq!(loose.tag, None);
    let variants: Vec<&str> = loose.variants.iter().map(|v| v.rust.as_str()).collect();
    assert_eq!(variants, ["String", "Integer"]);
}

#[test]
fn all_of_members_merge_in_order_with_their_requirements() {
    let schemas = "    Thing:\n      allOf:\n        - $ref: '#/components/schemas/Base'\n        - properties: {extra: {type: integer}}\n          anyOf: [{required: [a]}, {required: [extra]}]\n        - required: [extra]\n    Base: {required: [a], properties: {a: {type: string}, b: {type: boolean}}}\n";
    let api = api(&get("/things", "GetThing", ""), schemas);
    let thing = find_struct(&api, "Thing");
    let fields: Vec<(&str, bool)> = thing
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.required))
        .collect();
    assert_eq!(fields, [("a", true), ("b", false), ("extra", true)]);
    assert_eq!(thing.required_order, ["a", "extra"]);
    let group: Vec<&[String]> = thing.required_any_of[0]
        .iter()
        .map(|c| c.required.as_slice())
        .collect();
    assert_eq!(group, [["a".to_owned()], ["extra".to_owned()]]);
    // `Base` has properties and no `type`: an object all the same.
    assert!(find_struct(&api, "Base").fields.len() == 2);
}

#[test]
fn maps_any_values_formats_and_replacements() {
    let schemas = "    Thing:\n      type: object\n      properties:\n        counts: {type: object, additionalProperties: {type: integer}}\n        anything: {description: whatever}\n        to: {type: string, format: address}\n        id: {type: string, format: uuid}\n        error: {$ref: '#/components/schemas/Problem'}\n      additionalProperties: {type: string}\n    Problem: {type: object, properties: {code: {type: string}}}\n";
    let settings = Settings::default().with_replacement("Problem", "crate::error::ErrorDetail");
    let api = api_with(&get("/things", "GetThing", ""), schemas, &settings);
    let thing = find_struct(&api, "Thing");
    let field = |name: &str| {
        thing
            .fields
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    assert!(matches!(&field("counts").shape.ty, Ty::Map(v) if v.ty == Ty::Integer));
    assert_eq!(field("anything").shape.ty, Ty::Any);
    assert_eq!(field("to").shape.ty, Ty::String);
    assert_eq!(field("to").shape.format_doc.as_deref(), Some("address"));
    assert!(field("to").shape.rules.is_empty());
    assert_eq!(field("id").shape.rules, [Rule::Format(Format::Uuid)]);
    assert_eq!(
        field("error").shape.ty,
        Ty::External("crate::error::ErrorDetail".to_owned())
    );
    assert!(matches!(&thing.additional, Some(v) if v.ty == Ty::String));
    // A replaced schema gets no type of its own.
    let problem = TypeName {
        spec: "Problem".to_owned(),
        rust: "Problem".to_owned(),
    };
    assert!(api.type_def(&problem).is_none());
}
