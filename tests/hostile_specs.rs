//! Broken and hostile specs: each class of trouble the generator must turn into a clear
//! `CodegenError` naming the JSON pointer, never a panic, a hang, a silently dropped
//! construct, code that does not compile, or spec text that becomes code.
//!
//! (The regen side, files landing all or none under concurrent runs, is tested in
//! `xtask/src/write.rs`; spec text in doc comments is also run through rustdoc in
//! `codegen/src/emit/docs.rs`; the fixture `tests/fixtures/hostile.yaml` is
//! compiled as `tests/output/hostile`.)

use std::thread;

fn generate(spec: &str) -> Result<String, codegen::CodegenError> {
    let files = codegen::generate(spec, &codegen::Settings::default())?;
    Ok(files.into_iter().map(|f| f.contents).collect())
}

/// A valid spec with one operation; each case breaks it in one place.
fn spec(paths: &str, schemas: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: Hostile, version: '1'}}\nservers: [{{url: 'https://api.example.com'}}]\npaths:\n{paths}\ncomponents:\n  schemas:\n    Thing:\n      type: object\n      properties:\n        name: {{type: string}}\n{schemas}"
    )
}

const OP: &str = "  /things:
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

/// [`spec`] whose operation sends a `Probe` (defined in `schemas`): request types get
/// the rule checks.
fn probe_spec(schemas: &str) -> String {
    let op = OP.replacen(
        "schema: {$ref: '#/components/schemas/Thing'}",
        "schema: {$ref: '#/components/schemas/Probe'}",
        1,
    );
    spec(&op, schemas)
}

fn error_line(spec: &str) -> String {
    match generate(spec) {
        Ok(_) => panic!("generated:\n{spec}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_base_spec_generates() {
    assert!(generate(&spec(OP, "")).is_ok());
}

#[test]
fn what_openapiv3_would_drop_silently_is_refused() {
    // (what the maintainer wrote, what openapiv3 alone would have done with it)
    let cases: Vec<(&str, String)> = vec![
        (
            "a path without its leading `/` (the operation vanishes)",
            spec(&OP.replace("/things:", "things:"), ""),
        ),
        (
            "an upper-case method (the operation vanishes)",
            spec(&OP.replace("post:", "POST:"), ""),
        ),
        (
            "a misspelt requestBody (the body vanishes)",
            spec(&OP.replace("requestBody:", "requestbody:"), ""),
        ),
        (
            "a misspelt parameters list",
            spec(
                &OP.replace(
                    "      operationId: MakeThing\n",
                    "      operationId: MakeThing\n      paramters: []\n",
                ),
                "",
            ),
        ),
        (
            "a misspelt key in a response (its content vanishes)",
            spec(&OP.replace("          content:", "          contnet:"), ""),
        ),
        (
            "a misspelt schema keyword (the rule vanishes)",
            spec(OP, "    Other:\n      type: string\n      maxlength: 3\n"),
        ),
        (
            "a lower-case status range (not one the spec defines)",
            spec(
                &OP.replace("'200':", "'200':\n          description: ok\n        4xx:"),
                "",
            ),
        ),
        (
            "a sibling of `$ref` (ignored by OpenAPI 3.0, so `nullable` would vanish)",
            spec(
                OP,
                "    Other:\n      type: object\n      properties:\n        thing: {$ref: '#/components/schemas/Thing', nullable: true}\n",
            ),
        ),
        (
            "an empty operation (`post:` with nothing under it)",
            spec("  /things:\n    post:\n", ""),
        ),
    ];
    let mut report = String::new();
    for (what, spec) in &cases {
        let line = error_line(spec);
        assert!(line.starts_with("#/"), "{what}: {line}");
        report.push_str(&format!("{what}\n  {line}\n"));
    }
    insta::assert_snapshot!(report);
}

#[test]
fn deep_reference_chains_are_refused_without_overflowing_the_stack() {
    // 1,200 components, each a one-member `allOf` (or an array) of the next: followed
    // naively, the walk recurses 1,200 levels deep.
    for (form, link) in [
        (
            "allOf",
            "      allOf: [{$ref: '#/components/schemas/S{next}'}]\n",
        ),
        (
            "items",
            "      type: array\n      items: {$ref: '#/components/schemas/S{next}'}\n",
        ),
        (
            "anyOf",
            "      anyOf: [{$ref: '#/components/schemas/S{next}'}]\n",
        ),
    ] {
        let mut schemas = String::new();
        for i in 0..1200 {
            schemas.push_str(&format!("    S{i}:\n"));
            schemas.push_str(&link.replace("{next}", &(i + 1).to_string()));
        }
        schemas.push_str("    S1200: {type: string}\n");
        let text = spec(OP, &schemas);
        // On a thread with a small stack (1 MiB, half a test thread's): a walk
        // that recursed per `$ref` would overflow it.
        let outcome = thread::Builder::new()
            .stack_size(1024 * 1024)
            .spawn(move || generate(&text).map(|_| ()).map_err(|e| e.to_string()))
            .expect("thread")
            .join()
            .expect("no stack overflow, no panic");
        let error = outcome.expect_err(form);
        assert!(
            error.contains("nested more than 32 levels deep"),
            "{form}: {error}"
        );
        assert!(
            error.starts_with("#/components/schemas/S"),
            "{form}: {error}"
        );
    }
}

#[test]
fn a_chain_within_the_limit_generates() {
    let mut schemas = String::new();
    for i in 0..20 {
        schemas.push_str(&format!(
            "    S{i}:\n      allOf: [{{$ref: '#/components/schemas/S{}'}}]\n",
            i + 1
        ));
    }
    schemas.push_str("    S20: {type: string, minLength: 2}\n");
    let with_use = schemas
        + "    User:\n      type: object\n      properties:\n        s: {$ref: '#/components/schemas/S0'}\n";
    let output = generate(&spec(OP, &with_use)).expect("20 levels generate");
    assert!(output.contains("pub struct User"));
}

/// 22 levels, each naming the next component twice: a walk that expands every mention
/// does 2^22 units of work and builds rules as large.
fn repeated(composition: &str, leaf: &str) -> String {
    let mut schemas = String::new();
    for i in 0..22 {
        let next = format!("{{$ref: '#/components/schemas/R{}'}}", i + 1);
        schemas.push_str(&format!(
            "    R{i}:\n      {composition}: [{next}, {next}]\n"
        ));
    }
    schemas.push_str(&format!("    R22: {leaf}\n"));
    schemas.push_str(
        "    Probe:\n      type: object\n      properties:\n        r: {$ref: '#/components/schemas/R0'}\n",
    );
    probe_spec(&schemas)
}

#[test]
fn repeated_references_cost_linear_work() {
    // anyOf: alternatives that repeat collapse into one; the rule stays one alternative.
    let output =
        generate(&repeated("anyOf", "{type: string, pattern: '^a+$'}")).expect("anyOf generates");
    assert_eq!(output.matches("Alternative {").count(), 1, "{output}");
    // allOf: a component merged twice into one object is merged once.
    let output = generate(&repeated(
        "allOf",
        "{type: object, properties: {leaf: {type: string}}}",
    ))
    .expect("allOf generates");
    assert!(output.contains("pub leaf: Option<String>"));
    // Both outputs stay small: linear in the spec, not exponential.
    assert!(output.len() < 64 * 1024, "{} bytes", output.len());
}

#[test]
fn patterns_are_translated_to_the_same_rule_or_refused() {
    // `\s` is Unicode whitespace in ECMA-262 (what the API validates with) and ASCII in
    // regex-lite: the generated rule spells the ECMA set out.
    let schemas = "    Probe:\n      type: object\n      properties:\n        blank: {type: string, pattern: '^\\s*$'}\n        line: {type: string, pattern: '^.$'}\n";
    let output = generate(&probe_spec(schemas)).expect("translated");
    assert!(
        output.contains(r"\x{A0}"),
        "no-break space in `\\s`:\n{output}"
    );
    assert!(
        output.contains(r"\x{2028}"),
        "line separator in `.`:\n{output}"
    );
    // The docs keep the spec's own pattern.
    assert!(output.contains(r"`pattern: ^\s*$`"), "{output}");
    // What regex-lite cannot do is refused, naming the pattern.
    for pattern in [r"^(a)\1$", r"^(?=a)", r"^\p{L}+$", r"^(?i)abc$"] {
        let schemas = format!(
            "    Bad:\n      type: object\n      properties:\n        p: {{type: string, pattern: '{pattern}'}}\n"
        );
        let line = error_line(&spec(OP, &schemas));
        assert!(
            line.starts_with("#/components/schemas/Bad/properties/p/pattern: pattern"),
            "{pattern}: {line}"
        );
    }
}

#[test]
fn a_server_the_client_would_refuse_is_refused_by_the_generator() {
    for (url, accepted) in [
        ("https://api.example.com/v2", true),
        ("http://localhost:4010", true),
        ("http://127.0.0.1:4010/v2", true),
        ("http://api.example.com", false),
        ("ftp://api.example.com", false),
        ("/v2", false),
        ("https://user:pw@api.example.com", false),
        ("https://api.example.com/v2?x=1", false),
    ] {
        let text = spec(OP, "").replace("https://api.example.com", url);
        let result = generate(&text);
        assert_eq!(result.is_ok(), accepted, "{url}: {result:?}");
        if let Err(e) = result {
            assert_eq!(e.pointer, "#/servers/0/url", "{url}");
        }
    }
}

#[test]
fn malformed_path_templates_are_refused() {
    for path in [
        "/things/{id",
        "/things/id}",
        "/things/{}",
        "/things?x=1",
        "/a b",
    ] {
        let text = spec(&OP.replace("/things:", &format!("'{path}':")), "");
        let line = error_line(&text);
        assert!(line.contains("invalid spec: path"), "{path}: {line}");
    }
}

#[test]
fn bounds_that_no_number_meets_are_refused_not_a_panic() {
    for bound in [".inf", "-.inf", ".nan"] {
        let schemas = format!(
            "    Other:\n      type: object\n      properties:\n        n: {{type: number, minimum: {bound}}}\n"
        );
        let line = error_line(&spec(OP, &schemas));
        assert!(
            line.starts_with("#/components/schemas/Other/properties/n/minimum"),
            "{bound}: {line}"
        );
    }
}

#[test]
fn names_the_generated_code_relies_on_are_refused() {
    // Type names the generated code uses unqualified (the generics of its serde impls,
    // `ToString`), or the runtime exports beside the generated types.
    for name in ["D", "S", "ToString", "ErrorBody", "ErrorDetail", "Call"] {
        let schemas = format!(
            "    {name}:\n      type: object\n      properties:\n        x: {{type: string}}\n"
        );
        let line = error_line(&spec(OP, &schemas));
        assert!(line.contains("unusable name"), "{name}: {line}");
    }
}

#[test]
fn every_method_of_the_runtime_client_is_refused_as_an_operation_id() {
    // Read from the runtime itself, so that a method added to `Client` later is covered.
    let root = xtask::workspace_root();
    let mut methods = Vec::new();
    let src = root.join("generated/src");
    for entry in std::fs::read_dir(&src).expect("generated/src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read");
        let file = syn::parse_file(&text).expect("parses");
        for item in file.items {
            if let syn::Item::Impl(block) = item {
                let syn::Type::Path(ty) = &*block.self_ty else {
                    continue;
                };
                if block.trait_.is_none() && ty.path.is_ident("Client") {
                    for inner in block.items {
                        if let syn::ImplItem::Fn(f) = inner {
                            methods.push(f.sig.ident.to_string());
                        }
                    }
                }
            }
        }
    }
    assert!(methods.contains(&"execute".to_owned()), "{methods:?}");
    // The generated methods are not the runtime's.
    let generated =
        std::fs::read_to_string(root.join("generated/src/generated/operations.rs")).expect("ops");
    for method in methods
        .iter()
        .filter(|m| !generated.contains(&format!("fn {m}(")))
    {
        let line = error_line(&spec(&OP.replace("MakeThing", method), ""));
        assert!(
            line.contains("a method `Client` already has"),
            "{method}: {line}"
        );
    }
}

#[test]
fn success_bodies_of_different_types_are_refused_in_any_order() {
    let responses = [
        "        '204': {description: none}\n        '200': {description: a, content: {application/json: {schema: {type: string}}}}\n        '201': {description: b, content: {application/json: {schema: {type: integer}}}}\n",
        "        '200': {description: a, content: {application/json: {schema: {type: string}}}}\n        '201': {description: b, content: {application/json: {schema: {type: integer}}}}\n        '204': {description: none}\n",
    ];
    for listed in responses {
        let op = format!(
            "  /things:\n    get:\n      operationId: GetThing\n      responses:\n{listed}"
        );
        let line = error_line(&spec(&op, ""));
        assert!(
            line.contains("2xx responses with different bodies"),
            "{line}"
        );
    }
}

#[test]
fn a_condition_on_a_property_that_is_not_a_string_is_refused() {
    let schemas = "    Probe:\n      type: object\n      anyOf:\n        - required: [b]\n        - properties:\n            a: {type: string, pattern: '^x$'}\n      properties:\n        a: {type: integer}\n        b: {type: string}\n";
    let line = error_line(&probe_spec(schemas));
    assert!(
        line.contains("a condition on `a`, which is not a string property"),
        "{line}"
    );
}

#[test]
fn typed_timestamp_methods_never_take_another_field_s_name() {
    let schemas = "    Probe:\n      type: object\n      properties:\n        at: {type: string, format: date-time}\n        at_time: {type: string}\n        on: {type: string, format: date-time}\n";
    let output = generate(&probe_spec(schemas)).expect("generates");
    // `on` gets its typed setter and reader; `at` does not, as `at_time` is a field.
    assert!(
        output.contains("pub fn on_time(self, value: time::OffsetDateTime)"),
        "{output}"
    );
    assert!(
        !output.contains("pub fn at_time(self, value: time::OffsetDateTime)"),
        "{output}"
    );
    assert!(!output.contains("pub fn at_time(&self)"), "{output}");
}

/// Callbacks: a JSON body by `$ref` to a component object is read (and named in the docs);
/// anything the generator would otherwise drop is refused at its pointer.
#[test]
fn callbacks_beyond_a_referenced_body_are_refused() {
    let callback = |body: &str| {
        let op = OP.replacen(
            "      responses:\n",
            &format!(
                "      callbacks:\n        done:\n          '{{$request.body#/url}}':\n            post:\n{body}              responses:\n                '200': {{description: ok}}\n      responses:\n"
            ),
            1,
        );
        spec(
            &op,
            "    Event:\n      type: object\n      properties:\n        id: {type: string}\n",
        )
    };
    let by_ref = |schema: &str| {
        format!(
            "              requestBody:\n                content:\n                  application/json:\n                    schema: {{$ref: '#/components/schemas/{schema}'}}\n"
        )
    };
    let code = generate(&callback(&by_ref("Event"))).expect("a callback by $ref generates");
    assert!(
        code.contains("`done`: `POST {$request.body#/url}` with a [`Event`]"),
        "{code}"
    );
    // Its body type has no `Deserialize`: only the webhook checks decode it.
    assert!(
        code.contains("impl crate::webhook::WebhookBody for Event"),
        "{code}"
    );
    let error = generate(&callback(&by_ref("Thing"))).expect_err("Thing is also sent");
    assert_eq!(error.pointer, "#/paths/~1things/post", "{error}");
    assert!(
        error
            .to_string()
            .contains("also part of a request or response"),
        "{error}"
    );
    for (body, pointer, why) in [
        (
            "              requestBody:\n                content:\n                  application/json:\n                    schema: {type: object, properties: {a: {type: string}}}\n",
            "#/paths/~1things/post/callbacks/done/{$request.body#~1url}/post/requestBody/content",
            "component schema",
        ),
        (
            "              parameters:\n                - {name: x-sig, in: query, schema: {type: string}}\n",
            "#/paths/~1things/post/callbacks/done/{$request.body#~1url}/post/parameters/0",
            "other than an inline header",
        ),
        (
            "",
            "#/paths/~1things/post/callbacks/done/{$request.body#~1url}/post/requestBody",
            "without an inline request body",
        ),
    ] {
        let error = generate(&callback(body)).expect_err(why);
        assert_eq!(error.pointer, pointer, "{error}");
        assert!(error.to_string().contains(why), "{error}");
    }
}

/// `x-sms` names properties of its object of the right kinds, or is refused at its
/// pointer; a valid one gives the request `estimate()` and the send its cost guard.
#[test]
fn an_x_sms_that_names_no_fitting_property_is_refused() {
    let probe = |x_sms: &str| {
        probe_spec(&format!(
            "    Probe:\n      type: object\n      x-sms: {x_sms}\n      properties:\n        body: {{type: string}}\n        count: {{type: integer}}\n        media: {{type: array, items: {{type: string}}}}\n        nested: {{$ref: '#/components/schemas/Thing'}}\n"
        ))
    };
    let code = generate(&probe("{text: body, media: media}")).expect("a valid x-sms");
    assert!(code.contains("pub fn estimate(&self)"), "{code}");
    assert!(
        code.contains("self.check_parts(\"body\", || request.estimate())?;"),
        "{code}"
    );
    for (x_sms, pointer, why) in [
        ("{text: count}", "/x-sms/text", "a string"),
        ("{text: missing}", "/x-sms/text", "a string"),
        ("{text: body, media: body}", "/x-sms/media", "a list"),
        (
            "{text: body, encoding: nested}",
            "/x-sms/encoding",
            "string enum",
        ),
        ("{text: body, colour: red}", "/x-sms/colour", "takes `text`"),
        ("{encoding: body}", "/x-sms", "needs `text`"),
        ("true", "/x-sms", "takes an object"),
    ] {
        let error = generate(&probe(x_sms)).expect_err(x_sms);
        assert_eq!(
            error.pointer,
            format!("#/components/schemas/Probe{pointer}"),
            "{x_sms}: {error}"
        );
        assert!(error.to_string().contains(why), "{x_sms}: {error}");
    }
}
