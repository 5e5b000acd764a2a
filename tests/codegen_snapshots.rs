//! Snapshots of the generator: its output for small fixture specs (one per family of
//! constructs) and its exact error text for broken specs.
//!
//! Review changes with `cargo insta review`.

use std::path::Path;

fn generate(spec: &str) -> Result<String, codegen::CodegenError> {
    let files = codegen::generate(spec, &codegen::Settings::default())?;
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
    let output =
        generate(&spec).unwrap_or_else(|e| panic!("fixture {name} does not generate: {e}"));
    // Generated output must also be valid Rust: prettyplease printed it from a syn tree,
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
fn output_is_byte_identical_on_every_run() {
    let spec = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/messaging.yaml"),
    )
    .expect("spec/messaging.yaml");
    let first = generate(&spec).expect("the spec generates");
    for _ in 0..3 {
        assert_eq!(generate(&spec).expect("the spec generates"), first);
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

const THING: &str = "    Errors:
      type: object
      properties:
        errors:
          type: array
          items: {$ref: '#/components/schemas/ErrorDetail'}
    ErrorDetail:
      type: object
      required: [code, title]
      properties:
        code: {type: string}
        title: {type: string}
        detail: {type: string}
        source:
          type: object
          properties:
            pointer: {type: string}
    Thing:
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
fn error_unsupported_one_of() {
    let spec = spec_with(
        OK_OP,
        &format!("{THING}\n        shape:\n          oneOf: [{{type: string}}, {{type: integer}}]"),
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
fn error_unsupported_format() {
    let spec = spec_with(
        OK_OP,
        &format!("{THING}\n        mail: {{type: string, format: email}}"),
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
fn error_error_body_the_runtime_cannot_decode() {
    let with_default = OK_OP.replace(
        "      responses:\n",
        "      responses:\n        default:\n          description: error\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Thing'}\n",
    );
    insta::assert_snapshot!(error_text(&spec_with(&with_default, THING)));
}

#[test]
fn error_errors_schema_of_the_wrong_shape() {
    let spec = spec_with(
        OK_OP,
        &THING.replace("required: [code, title]", "required: [code]"),
    );
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
