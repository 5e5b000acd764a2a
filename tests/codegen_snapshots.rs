//! Snapshots of the generator: its output for small fixture specs (one per family of
//! constructs) and its exact error text for broken specs.
//!
//! Review changes with `cargo insta review`.

use std::path::Path;

fn generate(spec: &str) -> Result<String, codegen::CodegenError> {
    generate_with(spec, &codegen::Settings::default())
}

fn generate_with(
    spec: &str,
    settings: &codegen::Settings,
) -> Result<String, codegen::CodegenError> {
    let files = codegen::generate(spec, settings)?;
    Ok(files
        .iter()
        .map(|f| format!("==> {} <==\n{}", f.path, f.contents))
        .collect::<Vec<_>>()
        .join("\n"))
}

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn snapshot_fixture(name: &str) {
    let spec = fixture(&format!("{name}.yaml"));
    // The settings `cargo xtask regen` uses for the fixture's compiled output.
    let output = generate_with(&spec, &xtask::settings_for(name))
        .unwrap_or_else(|e| panic!("fixture {name} does not generate: {e}"));
    // Generated output must also be valid Rust: the formatter printed it from a syn tree,
    // and it must parse back.
    for part in output.split("==> ").skip(1) {
        let source = part.split_once('\n').map_or("", |(_, s)| s);
        syn::parse_file(source)
            .unwrap_or_else(|e| panic!("{name}: generated code does not parse: {e}"));
    }
    insta::assert_snapshot!(format!("fixture_{name}"), output);
}

#[test]
fn objects_refs_required_optional_nullable() {
    snapshot_fixture("objects");
}

#[test]
fn arrays_integers_numbers_booleans_free_form_defaults() {
    snapshot_fixture("primitives");
}

#[test]
fn open_enums() {
    snapshot_fixture("enums");
}

#[test]
fn string_formats_patterns_any_of_string_or_number() {
    snapshot_fixture("strings");
}

#[test]
fn envelope_and_default_responses() {
    snapshot_fixture("responses");
}

#[test]
fn path_and_query_parameters_get_delete_optional_bodies() {
    snapshot_fixture("parameters");
}

#[test]
fn success_and_error_statuses_ranges_and_shared_responses() {
    snapshot_fixture("statuses");
}

#[test]
fn one_of_all_of_untyped_objects_maps_any() {
    snapshot_fixture("composition");
}

#[test]
fn checked_and_unknown_formats() {
    snapshot_fixture("formats");
}

#[test]
fn openapi_3_1_through_its_3_0_form() {
    snapshot_fixture("openapi31");
}

#[test]
fn hostile_text_stays_text() {
    snapshot_fixture("hostile");
}

#[test]
fn output_is_byte_identical_on_every_run() {
    let spec = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/messaging.yaml"),
    )
    .expect("spec/messaging.yaml");
    let settings = xtask::crate_settings();
    let first = generate_with(&spec, &settings).expect("the spec generates");
    for _ in 0..3 {
        assert_eq!(
            generate_with(&spec, &settings).expect("the spec generates"),
            first
        );
    }
}

/// A minimal valid document with `rest` spliced in under `paths:` or after it.
fn spec_with(paths: &str, components: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: Broken, version: '1'}}\nservers: [{{url: 'https://api.example.com'}}]\npaths:\n{paths}\ncomponents:\n  schemas:\n{components}"
    )
}

const OK_OP: &str = "  /things:
    post:
      operationId: MakeThing
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}";

const THING: &str = "    Thing:
      type: object
      properties:
        name: {type: string}";

#[test]
fn the_base_of_the_broken_specs_generates() {
    // Each error test breaks this valid spec in one place.
    assert!(generate(&spec_with(OK_OP, THING)).is_ok());
}

fn error_text(spec: &str) -> String {
    match generate(spec) {
        Ok(_) => panic!("the broken spec generated code"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn error_bad_yaml() {
    insta::assert_snapshot!(error_text("openapi: 3.0.3\ninfo: [unclosed\npaths: {}\n"));
}

#[test]
fn error_not_openapi_3_0() {
    insta::assert_snapshot!(error_text(
        "openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths: {}\n"
    ));
}

#[test]
fn error_dangling_ref() {
    let spec = spec_with(
        OK_OP,
        &format!("{THING}\n        owner: {{$ref: '#/components/schemas/Owner'}}"),
    );
    insta::assert_snapshot!(error_text(&spec));
}

#[test]
fn error_keyword_openapi_3_0_does_not_have() {
    let spec = spec_with(
        OK_OP,
        &format!("{THING}\n        kind: {{type: string, const: fixed}}"),
    );
    insta::assert_snapshot!(error_text(&spec));
}

#[test]
fn error_invalid_pattern() {
    let spec = spec_with(
        OK_OP,
        &format!("{THING}\n        code: {{type: string, pattern: '^(?=a)b$'}}"),
    );
    insta::assert_snapshot!(error_text(&spec));
}

#[test]
fn error_missing_operation_id() {
    let spec = spec_with(&OK_OP.replace("      operationId: MakeThing\n", ""), THING);
    insta::assert_snapshot!(error_text(&spec));
}

#[test]
fn error_duplicate_operation_id() {
    let second = OK_OP.replace("/things:", "/other_things:");
    let spec = spec_with(&format!("{OK_OP}\n{second}"), THING);
    insta::assert_snapshot!(error_text(&spec));
}

#[test]
fn error_unusable_type_name() {
    let spec = spec_with(
        OK_OP,
        &format!("{THING}\n    2FA:\n      type: string\n      enum: [sms, voice]"),
    );
    insta::assert_snapshot!(error_text(&spec));
}

#[test]
fn error_enum_values_collide() {
    let spec = spec_with(
        OK_OP,
        &format!("{THING}\n    Kind:\n      type: string\n      enum: [pre-paid, pre_paid]"),
    );
    insta::assert_snapshot!(error_text(&spec));
}

#[test]
fn error_operation_ids_collide_as_methods() {
    let second = OK_OP
        .replace("/things:", "/other_things:")
        .replace("MakeThing", "makeThing");
    let spec = spec_with(&format!("{OK_OP}\n{second}"), THING);
    insta::assert_snapshot!(error_text(&spec));
}

#[test]
fn error_nullable_array_items() {
    let spec = spec_with(
        OK_OP,
        &format!(
            "{THING}\n        tags:\n          type: array\n          items: {{type: string, nullable: true}}"
        ),
    );
    insta::assert_snapshot!(error_text(&spec));
}

#[test]
fn error_operation_id_taken_by_the_client() {
    let spec = spec_with(&OK_OP.replace("MakeThing", "Clone"), THING);
    insta::assert_snapshot!(error_text(&spec));
}

#[test]
fn error_enum_default_outside_enum() {
    let spec = spec_with(
        OK_OP,
        &format!("{THING}\n    Size:\n      type: string\n      enum: [s, m]\n      default: xl"),
    );
    insta::assert_snapshot!(error_text(&spec));
}

#[test]
fn error_unsupported_not() {
    let spec = spec_with(
        OK_OP,
        &format!("{THING}\n        shape:\n          not: {{type: integer}}"),
    );
    insta::assert_snapshot!(error_text(&spec));
}

#[test]
fn error_replacement_of_a_schema_the_spec_lacks() {
    let settings =
        codegen::Settings::default().with_replacement("Missing", "crate::error::ErrorBody");
    let error = generate_with(&spec_with(OK_OP, THING), &settings).expect_err("generated");
    insta::assert_snapshot!(error.to_string());
}

#[test]
fn error_plain_http_server() {
    let spec = spec_with(OK_OP, THING).replace("https://api.example.com", "http://api.example.com");
    insta::assert_snapshot!(error_text(&spec));
}

#[test]
fn error_path_parameter_the_path_does_not_name() {
    let op = OK_OP.replace(
        "      operationId: MakeThing\n",
        "      operationId: MakeThing\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n",
    );
    insta::assert_snapshot!(error_text(&spec_with(&op, THING)));
}

#[test]
fn error_header_parameter() {
    let op = OK_OP.replace(
        "      operationId: MakeThing\n",
        "      operationId: MakeThing\n      parameters:\n        - {name: X-Trace, in: header, schema: {type: string}}\n",
    );
    insta::assert_snapshot!(error_text(&spec_with(&op, THING)));
}

#[test]
fn error_two_success_bodies() {
    let op = OK_OP.replace(
        "      responses:\n",
        "      responses:\n        '201':\n          description: other\n          content:\n            application/json:\n              schema: {type: string}\n",
    );
    insta::assert_snapshot!(error_text(&spec_with(&op, THING)));
}

#[test]
fn error_all_of_members_that_disagree() {
    let spec = spec_with(
        OK_OP,
        &format!(
            "{THING}\n    Both:\n      allOf:\n        - {{properties: {{a: {{type: string}}}}}}\n        - {{properties: {{a: {{type: integer}}}}}}"
        ),
    );
    insta::assert_snapshot!(error_text(&spec));
}
