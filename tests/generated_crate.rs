//! The generated crate as a whole: committed files are fresh, a broken spec writes
//! nothing, the public API is snapshotted, and responses decode as the API sends them.

use std::fs;
use std::path::{Path, PathBuf};

use quote::ToTokens;
use telnyx_messaging::{
    Client, CreateGroupMmsMessageRequest, CreateMessageRequest, DeliveryStatus, Error, LineType,
    Message, MessageEncoding, MessageResponse, MessageType, StringOrNumber,
    rules::{Rule, Validate},
};

fn root() -> PathBuf {
    xtask::workspace_root()
}

#[test]
fn committed_generated_files_are_fresh() {
    // The user crate and every compiled output (fixtures and the upstream spec).
    if let Err(message) = xtask::generate_all(&root(), true) {
        panic!("{message}");
    }
}

/// The generator lays its output out itself, with no rustfmt run: every Rust file it
/// writes, for every target, must be what rustfmt would make of it.
#[test]
fn generated_rust_is_already_in_rustfmt_layout() {
    let rustfmt = std::env::var_os("RUSTFMT").unwrap_or_else(|| "rustfmt".into());
    let mut checked = 0;
    for target in xtask::targets(&root()).expect("targets") {
        let files = xtask::render(&root(), &target).expect("the target generates");
        for (path, contents) in files.iter().filter(|(path, _)| path.ends_with(".rs")) {
            let mut child = std::process::Command::new(&rustfmt)
                .args(["--edition", "2024", "--emit", "stdout"])
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("rustfmt runs (rustup component add rustfmt)");
            {
                use std::io::Write;
                let mut stdin = child.stdin.take().expect("stdin");
                stdin.write_all(contents.as_bytes()).expect("rustfmt reads");
            }
            let output = child.wait_with_output().expect("rustfmt finishes");
            assert!(
                output.status.success(),
                "{path}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            let formatted = String::from_utf8_lossy(&output.stdout);
            if formatted != *contents {
                let line = formatted
                    .lines()
                    .zip(contents.lines())
                    .position(|(a, b)| a != b)
                    .map_or(0, |i| i + 1);
                panic!(
                    "{path}: rustfmt lays line {line} out otherwise:\n  generated: {:?}\n  rustfmt:   {:?}",
                    contents.lines().nth(line.saturating_sub(1)).unwrap_or(""),
                    formatted.lines().nth(line.saturating_sub(1)).unwrap_or("")
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 25, "{checked} files");
}

#[test]
fn every_output_crate_is_compiled_by_the_tests() {
    // The tests crate depends on every output crate, so `cargo test` builds them all.
    let manifest = fs::read_to_string(root().join("tests/Cargo.toml")).expect("tests/Cargo.toml");
    let targets = xtask::targets(&root()).expect("targets");
    let outputs: Vec<&xtask::Target> = targets.iter().filter(|t| t.output_crate).collect();
    assert!(outputs.len() >= 10, "{} outputs", outputs.len());
    for target in outputs {
        // Possibly with features: `{ path = "output/x", features = [...] }`.
        let dependency = format!(
            "output-{} = {{ path = \"output/{}\"",
            target.name, target.name
        );
        assert!(
            manifest.contains(&dependency),
            "tests/Cargo.toml lacks `{dependency}`"
        );
    }
    // And nothing is left in tests/output that no spec makes.
    for entry in fs::read_dir(root().join(xtask::OUTPUT_DIR)).expect("tests/output") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        assert!(
            targets.iter().any(|t| t.output_crate && t.name == name),
            "tests/output/{name} has no spec"
        );
    }
}

#[test]
fn check_mode_names_stale_files_and_the_command() {
    let scratch = scratch_copy("stale");
    let types = scratch.join("generated/src/generated/types.rs");
    let mut text = fs::read_to_string(&types).expect("types.rs");
    text.push_str("\n// edited by hand\n");
    fs::write(&types, &text).expect("write");
    let error = xtask::generate(&scratch, &root().join(xtask::DEFAULT_SPEC), true)
        .expect_err("stale file passes --check");
    assert!(error.contains("run `cargo xtask regen`"), "{error}");
    assert!(
        error.contains("generated/src/generated/types.rs"),
        "{error}"
    );
    assert!(!error.contains("operations.rs"), "{error}");
    // --check wrote nothing.
    assert_eq!(fs::read_to_string(&types).expect("types.rs"), text);
}

#[test]
fn broken_spec_leaves_every_generated_file_as_it_was() {
    let scratch = scratch_copy("broken");
    let before = snapshot_dir(&scratch.join("generated/src/generated"));
    let spec = fs::read_to_string(root().join(xtask::DEFAULT_SPEC)).expect("spec");
    // Valid YAML, valid up to the last schema: the generator fails late, after having
    // produced most of its output in memory.
    let broken = format!("{spec}    Broken:\n      not: {{type: string}}\n");
    let broken_path = scratch.join("broken.yaml");
    fs::write(&broken_path, broken).expect("write spec");
    let error = xtask::generate(&scratch, &broken_path, false).expect_err("broken spec generated");
    assert!(
        error.contains("#/components/schemas/Broken/not: unsupported: `not`"),
        "{error}"
    );
    assert_eq!(
        snapshot_dir(&scratch.join("generated/src/generated")),
        before
    );
}

#[test]
fn regen_writes_then_reports_unchanged() {
    let scratch = scratch_copy("regen");
    let ops = scratch.join("generated/src/generated/operations.rs");
    fs::write(&ops, "// stale\n").expect("write");
    let report =
        xtask::generate(&scratch, &root().join(xtask::DEFAULT_SPEC), false).expect("regen");
    let states: Vec<String> = report.iter().map(|(p, s)| format!("{p}: {s}")).collect();
    assert_eq!(
        states,
        [
            "generated/src/generated/types.rs: unchanged",
            "generated/src/generated/operations.rs: written",
            "tests/support/generated/dispatch.rs: unchanged"
        ]
    );
    assert_eq!(
        fs::read_to_string(&ops).expect("ops"),
        fs::read_to_string(root().join("generated/src/generated/operations.rs")).expect("ops")
    );
    assert!(xtask::generate(&scratch, &root().join(xtask::DEFAULT_SPEC), true).is_ok());
}

/// A copy of the user crate's generated files (`generated/src/generated` and the tests'
/// dispatch module) under a fresh scratch root.
fn scratch_copy(name: &str) -> PathBuf {
    let scratch = std::env::temp_dir().join(format!(
        "telnyx-messaging-test-{name}-{}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&scratch);
    let src = scratch.join("generated/src/generated");
    fs::create_dir_all(&src).expect("scratch dir");
    for entry in
        fs::read_dir(root().join("generated/src/generated")).expect("generated/src/generated")
    {
        let path = entry.expect("entry").path();
        fs::copy(&path, src.join(path.file_name().expect("file name"))).expect("copy");
    }
    let dispatch = scratch.join(xtask::DISPATCH_FILE);
    fs::create_dir_all(dispatch.parent().expect("a folder")).expect("scratch dir");
    fs::copy(root().join(xtask::DISPATCH_FILE), &dispatch).expect("copy");
    scratch
}

fn snapshot_dir(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = fs::read_dir(dir)
        .expect("dir")
        .map(|e| {
            let path = e.expect("entry").path();
            (
                path.display().to_string(),
                fs::read_to_string(&path).expect("read"),
            )
        })
        .collect();
    files.sort();
    files
}

// ---------------------------------------------------------------------------------------
// API surface: every public type, field, variant and method, one line each.

#[test]
fn public_api_surface() {
    let src = root().join("generated/src");
    let mut files: Vec<PathBuf> = [src.clone(), src.join("generated")]
        .iter()
        .flat_map(|dir| fs::read_dir(dir).expect("generated/src"))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    let parsed: Vec<(PathBuf, syn::File)> = files
        .into_iter()
        .map(|path| {
            let text = fs::read_to_string(&path).expect("read");
            let file = syn::parse_file(&text).expect("parse");
            (path, file)
        })
        .collect();
    // Trait impls count only for public types.
    let mut public = std::collections::HashSet::new();
    for (_, file) in &parsed {
        for item in &file.items {
            match item {
                syn::Item::Struct(s) if is_pub(&s.vis) => public.insert(s.ident.to_string()),
                syn::Item::Enum(e) if is_pub(&e.vis) => public.insert(e.ident.to_string()),
                _ => false,
            };
        }
    }
    let mut out = String::new();
    for (path, file) in parsed {
        let mut lines = Vec::new();
        for item in &file.items {
            surface_item(item, &public, &mut lines);
        }
        if !lines.is_empty() {
            out.push_str(&format!(
                "# {}\n",
                path.file_name().expect("name").to_string_lossy()
            ));
            for line in lines {
                out.push_str(&line);
                out.push('\n');
            }
        }
    }
    insta::assert_snapshot!(out);
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn tokens(t: &impl ToTokens) -> String {
    let raw = t.to_token_stream().to_string();
    let mut s = raw;
    for (from, to) in [
        (" :: ", "::"),
        (":: ", "::"),
        (" : ", ": "),
        ("& '", "&'"),
        ("& ", "&"),
        (" < ", "<"),
        ("< ", "<"),
        (" <", "<"),
        (" >", ">"),
        ("( ", "("),
        (" )", ")"),
        (" ,", ","),
        ("[ ", "["),
        (" ]", "]"),
        ("# [", "#["),
        (" ;", ";"),
        ("' static", "'static"),
        (" (", "("),
        ("->(", "-> ("),
        (",)", ")"),
        ("{ ", "{"),
        (" }", "}"),
        (",}", "}"),
    ] {
        while s.contains(from) {
            s = s.replace(from, to);
        }
    }
    s
}

/// `#[derive(..)]` and `#[non_exhaustive]`, which are part of a type's API.
fn markers(attrs: &[syn::Attribute]) -> String {
    let mut out = String::new();
    for attr in attrs {
        if attr.path().is_ident("derive") || attr.path().is_ident("non_exhaustive") {
            out.push_str(&format!("  {}", tokens(attr)));
        }
    }
    out
}

fn fields(fields: &syn::Fields) -> String {
    match fields {
        syn::Fields::Unit => String::new(),
        syn::Fields::Unnamed(f) => {
            let types: Vec<String> = f.unnamed.iter().map(|f| tokens(&f.ty)).collect();
            format!("({})", types.join(", "))
        }
        syn::Fields::Named(f) => {
            let named: Vec<String> = f
                .named
                .iter()
                .map(|f| {
                    format!(
                        "{}: {}",
                        f.ident
                            .as_ref()
                            .map(ToString::to_string)
                            .unwrap_or_default(),
                        tokens(&f.ty)
                    )
                })
                .collect();
            format!(" {{ {} }}", named.join(", "))
        }
    }
}

fn surface_item(
    item: &syn::Item,
    public: &std::collections::HashSet<String>,
    out: &mut Vec<String>,
) {
    match item {
        syn::Item::Struct(s) if is_pub(&s.vis) => {
            out.push(format!(
                "pub struct {}{}{}",
                s.ident,
                tokens(&s.generics),
                markers(&s.attrs)
            ));
            for f in &s.fields {
                if is_pub(&f.vis) {
                    let name = f
                        .ident
                        .as_ref()
                        .map(|i| format!("{i}: "))
                        .unwrap_or_default();
                    out.push(format!("    pub {name}{}", tokens(&f.ty)));
                }
            }
        }
        syn::Item::Enum(e) if is_pub(&e.vis) => {
            out.push(format!("pub enum {}{}", e.ident, markers(&e.attrs)));
            for v in &e.variants {
                out.push(format!("    {}{}", v.ident, fields(&v.fields)));
            }
        }
        syn::Item::Impl(i) => {
            let self_name = match &*i.self_ty {
                syn::Type::Path(p) => p
                    .path
                    .segments
                    .last()
                    .map(|s| s.ident.to_string())
                    .unwrap_or_default(),
                _ => String::new(),
            };
            if !public.contains(&self_name) {
                return;
            }
            let head = match &i.trait_ {
                Some((path, _)) => format!("impl {} for {}", tokens(path), tokens(&i.self_ty)),
                None => format!("impl {}", tokens(&i.self_ty)),
            };
            let mut members = Vec::new();
            for member in &i.items {
                match member {
                    syn::ImplItem::Fn(f) if is_pub(&f.vis) => {
                        members.push(format!("    pub {}", tokens(&f.sig)))
                    }
                    syn::ImplItem::Const(c) if is_pub(&c.vis) => {
                        members.push(format!("    pub const {}: {}", c.ident, tokens(&c.ty)));
                    }
                    _ => {}
                }
            }
            if i.trait_.is_some() || !members.is_empty() {
                out.push(head);
                out.extend(members);
            }
        }
        syn::Item::Trait(t) if is_pub(&t.vis) => {
            out.push(format!("pub trait {}", t.ident));
            for member in &t.items {
                if let syn::TraitItem::Fn(f) = member {
                    out.push(format!("    {}", tokens(&f.sig)));
                }
            }
        }
        syn::Item::Const(c) if is_pub(&c.vis) => {
            out.push(format!("pub const {}: {}", c.ident, tokens(&c.ty)))
        }
        syn::Item::Fn(f) if is_pub(&f.vis) => out.push(format!("pub {}", tokens(&f.sig))),
        syn::Item::Use(u) if is_pub(&u.vis) => out.push(format!("pub use {}", tokens(&u.tree))),
        syn::Item::Mod(m) if is_pub(&m.vis) => out.push(format!("pub mod {}", m.ident)),
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------
// Decoding: what the API and its documents actually send.

/// Seed 003's example body (no `data` wrapper there; the wire format wraps it), with
/// `cost.amount` as JSON numbers as in real traffic.
const MESSAGE_WITH_NUMBER_COST: &str = r#"{
  "record_type": "message", "direction": "outbound",
  "id": "40385f64-5717-4562-b3fc-2c963f66afa6", "type": "MMS",
  "messaging_profile_id": "4000eba1-a0c0-4563-9925-b25e842a7cb6",
  "organization_id": "b448f9cc-a842-4784-98e9-03c1a5872950",
  "from": {"phone_number": "+18445550001", "carrier": "TELNYX LLC", "line_type": "VoIP"},
  "to": [{"phone_number": "+18665550001", "status": "queued", "carrier": "T-MOBILE USA, INC.", "line_type": "Wireless"}],
  "cc": [], "text": "Hello, World!", "subject": "From Telnyx!",
  "media": [{"url": "https://example.com/a.png", "content_type": null, "sha256": null, "size": null}],
  "webhook_url": "https://www.example.com/hooks", "webhook_failover_url": "https://backup.example.com/hooks",
  "encoding": "GSM-7", "parts": 1, "tags": ["Greetings"],
  "cost": {"amount": 0.0051, "currency": "USD"},
  "cost_breakdown": {"carrier_fee": {"amount": 0.00305, "currency": "USD"}, "rate": {"amount": 0.00205, "currency": "USD"}},
  "tcr_campaign_id": "TCPA3X7", "tcr_campaign_billable": true, "tcr_campaign_registered": "REGISTERED",
  "received_at": "2019-01-23T18:10:02.574Z", "sent_at": null, "completed_at": null, "valid_until": null,
  "errors": []
}"#;

#[test]
fn decodes_a_message_with_numeric_cost_and_nulls() {
    let message: Message = serde_json::from_str(MESSAGE_WITH_NUMBER_COST).expect("decodes");
    assert_eq!(
        message.id.as_deref(),
        Some("40385f64-5717-4562-b3fc-2c963f66afa6")
    );
    assert_eq!(message.type_, Some(MessageType::Mms));
    let cost = message.cost.expect("cost");
    assert_eq!(
        cost.amount.as_ref().map(StringOrNumber::as_str).as_deref(),
        Some("0.0051")
    );
    let to = &message.to.expect("to")[0];
    assert_eq!(to.status, Some(DeliveryStatus::Queued));
    assert_eq!(to.line_type, Some(LineType::Wireless));
    assert_eq!(message.sent_at, None);
    let media = &message.media.expect("media")[0];
    assert_eq!(media.size, None);
}

#[test]
fn decodes_the_wrapped_response_with_string_cost() {
    let body = format!(
        r#"{{"data": {}}}"#,
        MESSAGE_WITH_NUMBER_COST.replace("0.0051", "\"0.0051\"")
    );
    let response: MessageResponse = serde_json::from_str(&body).expect("decodes");
    let amount = response.data.cost.and_then(|c| c.amount).expect("amount");
    assert_eq!(amount, StringOrNumber::Text("0.0051".to_owned()));
    assert_eq!(amount.to_f64(), Some(0.0051));
}

#[test]
fn unknown_fields_are_ignored_and_unknown_enum_values_round_trip() {
    let body = r#"{"id": "x", "brand_new_field": {"a": 1}, "type": "RCS",
        "to": [{"status": "webhook_delivered", "line_type": "Satellite"}, {"status": "scheduled"}]}"#;
    let message: Message = serde_json::from_str(body).expect("decodes");
    assert_eq!(message.type_, Some(MessageType::Unknown("RCS".to_owned())));
    let to = message.to.as_ref().expect("to");
    assert_eq!(
        to[0].status,
        Some(DeliveryStatus::Unknown("webhook_delivered".to_owned()))
    );
    assert_eq!(
        to[0].line_type,
        Some(LineType::Unknown("Satellite".to_owned()))
    );
    let back = serde_json::to_value(&message).expect("encodes");
    assert_eq!(back["type"], "RCS");
    assert_eq!(back["to"][0]["status"], "webhook_delivered");
    assert_eq!(back["to"][1]["status"], "scheduled");
    assert!(back.get("brand_new_field").is_none());
    // Known values come back as their variants, not as Unknown.
    assert_eq!(DeliveryStatus::from("delivered"), DeliveryStatus::Delivered);
    assert_eq!(LineType::from(""), LineType::Empty);
    assert_eq!(
        LineType::from("Pre-Paid Wireless").as_str(),
        "Pre-Paid Wireless"
    );
}

#[test]
fn a_missing_data_envelope_is_a_decode_error() {
    // The API always wraps; a bare message must not silently decode as an empty one.
    assert!(serde_json::from_str::<MessageResponse>(MESSAGE_WITH_NUMBER_COST).is_err());
}

// ---------------------------------------------------------------------------------------
// Requests: what is sent, and what is refused before sending.

#[test]
fn requests_serialize_only_what_was_set_under_the_wire_names() {
    let request = CreateMessageRequest::builder()
        .to("+18665550001")
        .from("+18445550001")
        .text("Hello")
        .type_(MessageType::Sms)
        .encoding(MessageEncoding::Gsm7)
        .use_profile_webhooks(false)
        .build();
    let json = serde_json::to_value(&request).expect("encodes");
    assert_eq!(
        json,
        serde_json::json!({"to": "+18665550001", "from": "+18445550001", "text": "Hello",
            "type": "SMS", "encoding": "gsm7", "use_profile_webhooks": false})
    );
    assert!(request.validate().is_ok());
    assert_eq!(MessageEncoding::default(), MessageEncoding::Auto);
}

#[test]
fn validation_names_the_field_and_the_rule() {
    let error = CreateGroupMmsMessageRequest::builder()
        .from("+13125550001")
        .to((0..9).map(|i| format!("+1312555010{i}")))
        .build()
        .validate()
        .expect_err("9 recipients pass");
    assert_eq!(error.field, "to");
    assert_eq!(error.rule, Rule::MaxItems(8));
    assert_eq!(
        error.to_string(),
        "field `to` must have at most 8 item(s) (maxItems)"
    );

    let error = CreateGroupMmsMessageRequest::builder()
        .from("+13125550001")
        .to(["+13125550002", "12"])
        .build()
        .validate()
        .expect_err("a 2-digit recipient passes");
    assert_eq!(error.field, "to[1]");
    assert!(matches!(error.rule, Rule::Pattern(_)));

    let error = CreateMessageRequest::builder()
        .to("+18665550001")
        .from("MyCompany1234")
        .messaging_profile_id("4000eba1-a0c0-4563-9925-b25e842a7cb6")
        .text("Hi")
        .build()
        .validate()
        .expect_err("12-character sender passes");
    assert_eq!(error.field, "from");
    assert!(matches!(error.rule, Rule::AnyOf(_)));
    assert!(
        error
            .to_string()
            .contains("E164PhoneNumber or ShortCode or AlphanumericSenderId"),
        "{error}"
    );
    // The object-level rules: a sender (`from` or the profile's Number Pool) and content.
    let error = CreateMessageRequest::builder()
        .to("+18665550001")
        .text("Hi")
        .build()
        .validate()
        .expect_err("a message without sender passes");
    assert_eq!(error.field, "from");
    assert_eq!(
        error.to_string(),
        "field `from` is missing: set `from` or `messaging_profile_id` (anyOf required)"
    );
    let pooled = CreateMessageRequest::builder()
        .to("+18665550001")
        .messaging_profile_id("4000eba1-a0c0-4563-9925-b25e842a7cb6")
        .media_urls(["https://example.com/a.png"])
        .build();
    assert!(pooled.validate().is_ok());
    let error = CreateMessageRequest::builder()
        .to("+18665550001")
        .from("+18445550001")
        .subject("No content")
        .build()
        .validate()
        .expect_err("a message without content passes");
    assert_eq!(
        error.rule,
        Rule::RequiredAnyOf(&[&["text"], &["media_urls"]])
    );

    // Every kind of sender; an alphanumeric one with its messaging profile.
    for ok in ["+18445550001", "12345", "MyCompany", "My Co 2"] {
        assert!(
            CreateMessageRequest::builder()
                .to("+18665550001")
                .from(ok)
                .messaging_profile_id("4000eba1-a0c0-4563-9925-b25e842a7cb6")
                .text("Hi")
                .build()
                .validate()
                .is_ok(),
            "{ok}"
        );
    }
}

#[tokio::test]
async fn a_refused_request_never_reaches_the_network() {
    // Nothing listens on this port: any attempt to send would be a connection error.
    let client = Client::builder("KEY")
        .base_url("http://127.0.0.1:9")
        .build()
        .expect("client");
    let error = client
        .send_message(
            &CreateMessageRequest::builder()
                .to("+18665550001")
                .from("+18445550001")
                .text("")
                .build(),
        )
        .await
        .expect_err("empty text was sent");
    match error {
        Error::Validation(v) => {
            assert_eq!(v.field, "text");
            assert_eq!(v.rule, Rule::MinLength(1));
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// Client configuration.

#[test]
fn client_configuration_is_checked_and_the_key_never_printed() {
    let client = Client::builder("KEYsecret123")
        .base_url("https://api.example.com/v2/")
        .build()
        .expect("client");
    assert_eq!(client.base_url(), "https://api.example.com/v2");
    // As from a hand-edited environment variable: stray spaces do not reach the URL.
    let padded = Client::builder("KEY")
        .base_url(" https://API.example.com/v2 ")
        .build()
        .expect("client");
    assert_eq!(padded.base_url(), "https://api.example.com/v2");
    assert!(!format!("{client:?}").contains("secret123"));
    assert!(!format!("{:?}", Client::builder("KEYsecret123")).contains("secret123"));
    assert_eq!(
        Client::new("KEY").expect("client").base_url(),
        "https://api.telnyx.com/v2"
    );
    for (key, base) in [
        ("", "https://api.telnyx.com/v2"),
        ("KEY", "http://api.telnyx.com/v2"),
        ("KEY", "ftp://127.0.0.1"),
        ("KEY", "not a url"),
        ("KE\nY", "https://api.telnyx.com/v2"),
        // Credentials in the URL would become a second Authorization header.
        ("KEY", "https://user:pass@api.telnyx.com/v2"),
        ("KEY", "https://user@api.telnyx.com/v2"),
    ] {
        let result = Client::builder(key).base_url(base).build();
        assert!(matches!(result, Err(Error::Config(_))), "{key:?} {base:?}");
    }
    for loopback in [
        "http://127.0.0.1:4010",
        "http://localhost:4010",
        "http://[::1]:4010",
    ] {
        assert!(
            Client::builder("KEY").base_url(loopback).build().is_ok(),
            "{loopback}"
        );
    }
    let refused = Client::builder("KEY")
        .header("Authorization", "Bearer other")
        .build();
    assert!(matches!(refused, Err(Error::Config(_))));
    // A proxy would read the key of a plain-http request; its URL may hold credentials.
    let proxied = Client::builder("KEY")
        .base_url("http://127.0.0.1:4010")
        .proxy("http://proxy.example:3128")
        .build();
    assert!(matches!(proxied, Err(Error::Config(_))), "{proxied:?}");
    let builder = Client::builder("KEY").proxy("http://user:hunter2@proxy.example:3128");
    assert!(!format!("{builder:?}").contains("hunter2"));
    assert!(builder.build().is_ok());
    // reqwest would go direct, quietly, for a scheme it does not know.
    for proxy in [
        "htp://proxy.example:3128",
        "ftp://proxy.example:21",
        "proxy.example",
    ] {
        let result = Client::builder("KEY").proxy(proxy).build();
        assert!(
            matches!(result, Err(Error::Config(_))),
            "{proxy}: {result:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Personal data stays out of `Debug`.

/// The wire names of fields that hold phone numbers, message text or media URLs.
const PERSONAL: &[&str] = &[
    "to",
    "from",
    "cc",
    "text",
    "subject",
    "media_urls",
    "phone_number",
    "url",
];

#[test]
fn the_spec_marks_every_personal_field_sensitive() {
    let spec = fs::read_to_string(root().join(xtask::DEFAULT_SPEC)).expect("spec");
    let api = codegen::parse::parse_with(&spec, &xtask::crate_settings()).expect("parses");
    let mut checked = 0;
    for t in &api.types {
        if let codegen::model::TypeDef::Struct(s) = t {
            for f in s
                .fields
                .iter()
                .filter(|f| PERSONAL.contains(&f.name.as_str()))
            {
                assert!(
                    f.shape.sensitive,
                    "{}.{} is not x-sensitive",
                    s.name.spec, f.name
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 20, "{checked} fields");
}

#[test]
fn an_alphanumeric_sender_on_post_messages_needs_a_messaging_profile() {
    let request = |from: &str, profile: Option<&str>| {
        let builder = CreateMessageRequest::builder()
            .to("+18665550001")
            .from(from)
            .text("Hi");
        match profile {
            Some(id) => builder.messaging_profile_id(id).build(),
            None => builder.build(),
        }
    };
    let error = request("MyCompany", None)
        .validate()
        .expect_err("no profile");
    assert_eq!(error.field, "messaging_profile_id");
    assert!(
        request("MyCompany", Some("4000eba1-a0c0-4563-9925-b25e842a7cb6"))
            .validate()
            .is_ok()
    );
    // A phone number or a short code needs none.
    assert!(request("+18445550001", None).validate().is_ok());
    assert!(request("12345", None).validate().is_ok());
}

#[test]
fn debug_shows_no_phone_number_text_or_media_url() {
    let (to, from, text, media) = (
        "+18665550199",
        "+18445550188",
        "secret text 42",
        "https://media.example/p42.jpg",
    );
    let mut shown = vec![
        format!(
            "{:?}",
            CreateMessageRequest::builder()
                .to(to)
                .from(from)
                .text(text)
                .subject(text)
                .media_urls([media])
                .build()
        ),
        format!(
            "{:?}",
            CreateGroupMmsMessageRequest::builder()
                .from(from)
                .to([to, to])
                .text(text)
                .media_urls([media])
                .build()
        ),
    ];
    let message: Message = serde_json::from_value(serde_json::json!({
        "id": "40385f64-5717-4562-b3fc-2c963f66afa6",
        "from": {"phone_number": from},
        "to": [{"phone_number": to, "status": "queued"}],
        "cc": [{"phone_number": to}],
        "text": text,
        "subject": text,
        "media": [{"url": media}]
    }))
    .expect("decodes");
    shown.push(format!("{message:?}"));
    for debug in &shown {
        for secret in [to, from, text, media] {
            assert!(!debug.contains(secret), "{secret} in {debug}");
        }
        assert!(debug.contains("<redacted>"), "{debug}");
    }
    // What is not personal is still shown.
    assert!(shown[2].contains("40385f64"), "{}", shown[2]);
}

// ---------------------------------------------------------------------------------------
// Docs: every item's summary (the first paragraph of its doc comment) is one sentence.

/// The sentence ends inside `paragraph`: `.`, `!` or `?`, then a space and a capital, a
/// backquote or a bracket, outside backquotes and not after an abbreviation.
fn sentence_ends(paragraph: &str) -> usize {
    let mut ends = 0;
    let mut in_code = false;
    let chars: Vec<char> = paragraph.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        match c {
            '`' => in_code = !in_code,
            '.' | '!' | '?' if !in_code => {
                let next = chars.get(i + 1);
                let after = chars.get(i + 2);
                let before: String = chars[..i].iter().collect();
                let word = before.rsplit(' ').next().unwrap_or("");
                let abbreviation = matches!(word, "e.g" | "i.e" | "etc" | "vs" | "(e.g" | "(i.e");
                if next == Some(&' ')
                    && after.is_some_and(|c| c.is_uppercase() || *c == '`' || *c == '[')
                    && !abbreviation
                {
                    ends += 1;
                }
            }
            _ => {}
        }
    }
    ends
}

#[test]
fn every_doc_summary_is_one_sentence() {
    let src = root().join("generated/src");
    let mut long = Vec::new();
    for dir in [src.clone(), src.join("generated")] {
        for entry in fs::read_dir(&dir).expect("generated/src") {
            let path = entry.expect("entry").path();
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = fs::read_to_string(&path).expect("read");
            let mut paragraph = String::new();
            let mut block = String::new();
            let mut in_block = false;
            let mut in_summary = false;
            for line in text.lines().map(str::trim) {
                let doc = line.strip_prefix("///");
                match doc {
                    Some(doc) => {
                        if !in_block {
                            in_block = true;
                            in_summary = true;
                            paragraph.clear();
                            block.clear();
                        }
                        block.push_str(doc);
                        block.push('\n');
                        if doc.trim().is_empty() {
                            in_summary = false;
                        } else if in_summary {
                            paragraph.push(' ');
                            paragraph.push_str(doc.trim());
                        }
                    }
                    None => {
                        // The generator's "May be `null`." only where the text is silent.
                        if block.contains("May be `null`.")
                            && block.to_ascii_lowercase().matches("null").count() > 1
                        {
                            long.push(format!("{}: null said twice: {block}", path.display()));
                        }
                        let summary = paragraph.trim();
                        if in_block
                            && !summary.starts_with("```")
                            && !summary.starts_with('|')
                            && sentence_ends(summary) > 0
                        {
                            long.push(format!("{}: {summary}", path.display()));
                        }
                        in_block = false;
                    }
                }
            }
        }
    }
    assert!(
        long.is_empty(),
        "summaries of more than one sentence:\n{}",
        long.join("\n")
    );
}

// ---------------------------------------------------------------------------------------
// Typed timestamps (features `time` and `chrono`).

#[test]
fn date_times_can_be_set_and_read_as_typed_values() {
    // 2030-01-23T18:10:00Z
    let at = time::OffsetDateTime::from_unix_timestamp(1_895_422_200).expect("in range");
    let request = CreateMessageRequest::builder()
        .to("+18665550001")
        .text("Hi")
        .send_at_time(at)
        .build();
    assert_eq!(request.send_at.as_deref(), Some("2030-01-23T18:10:00Z"));
    let chrono_at = chrono::DateTime::from_timestamp(1_895_422_200, 0).expect("in range");
    let request = CreateMessageRequest::builder()
        .to("+18665550001")
        .from("+18445550001")
        .text("Hi")
        .send_at_chrono(chrono_at)
        .build();
    assert_eq!(
        request.send_at.as_deref(),
        Some("2030-01-23T18:10:00+00:00")
    );
    assert!(request.validate().is_ok(), "{:?}", request.validate());

    let message: Message = serde_json::from_value(serde_json::json!({
        "sent_at": "2030-01-23T19:10:00+01:00",
        "completed_at": "yesterday"
    }))
    .expect("decodes");
    assert_eq!(message.sent_at_time(), Some(Ok(at)));
    assert_eq!(
        message.sent_at_chrono().map(|r| r.map(|t| t.timestamp())),
        Some(Ok(1_895_422_200))
    );
    assert!(matches!(message.completed_at_time(), Some(Err(_))));
    assert_eq!(message.received_at_time(), None);
    // The string form stays as the API sent it.
    assert_eq!(
        message.sent_at.as_deref(),
        Some("2030-01-23T19:10:00+01:00")
    );
}

#[test]
fn no_runtime_file_names_a_generated_item() {
    // The runtime compiles against any spec's generated files (the outputs in
    // tests/output prove it); it names none of them. Only lib.rs declares and re-exports
    // the generated modules.
    let src = root().join("generated/src");
    let mut checked = 0;
    for entry in fs::read_dir(&src).expect("generated/src") {
        let path = entry.expect("entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() || name == "lib.rs" {
            continue;
        }
        let text = fs::read_to_string(&path).expect("read");
        for generated in ["generated::", "crate::types", "crate::operations"] {
            assert!(!text.contains(generated), "{name} names `{generated}`");
        }
        checked += 1;
    }
    assert!(checked >= 12, "{checked} runtime files");
}

/// The spec-derived cases (`support/spec_cases.rs`) before they meet the mock server: every
/// operation has a valid input that the typed request accepts, every rule of every
/// parameter and request body has a case, and the client refuses each case before any
/// I/O, naming the case's field and rule.
#[tokio::test]
async fn every_rule_of_the_spec_has_a_case_the_client_refuses_before_io() {
    use telnyx_messaging_tests::{dispatch, spec_cases};
    let api = spec_cases::api();
    // Port 9 (discard) on loopback: a case the client let through would fail to connect,
    // which the match below tells apart from a validation error.
    let client = Client::builder("KEY0123456789")
        .base_url("http://127.0.0.1:9")
        .build()
        .expect("client");
    let mut ops = 0;
    for op in &api.operations {
        let valid = spec_cases::valid_input(&api, op).unwrap_or_else(|e| panic!("{e}"));
        if let Some(body) = &valid.body {
            let verdict = dispatch::validate(&op.method_name, body).expect("the body decodes");
            assert_eq!(verdict, Ok(()), "{} valid input {body}", op.method_name);
        }
        ops += 1;
    }
    assert_eq!(ops, dispatch::OPERATIONS.len());
    let cases = spec_cases::all_rule_cases(&api);
    for case in &cases {
        let answer = dispatch::call(
            &client,
            &case.operation,
            &case.input.params,
            case.input.body.as_ref(),
        )
        .await
        .unwrap_or_else(|e| panic!("{} {}: {e}", case.operation, case.name));
        match answer {
            Err(Error::Validation(error)) => {
                assert_eq!(
                    error.field, case.field,
                    "{} {}: {error}",
                    case.operation, case.name
                );
                assert!(
                    spec_cases::is_reported(&case.expected, &error.rule),
                    "{} {}: expected {:?}, the client reported {error}",
                    case.operation,
                    case.name,
                    case.expected
                );
            }
            other => panic!(
                "{} {}: not refused before I/O: {other:?}",
                case.operation, case.name
            ),
        }
    }
    assert!(cases.len() >= 60, "{} cases", cases.len());
}

/// A rule the derivation cannot make a case for fails loudly, naming the field: here a new
/// patterned field without an `example` (no general way exists to write a value matching
/// an arbitrary pattern).
#[test]
fn a_rule_without_a_derivable_case_fails_naming_the_field() {
    use telnyx_messaging_tests::spec_cases;
    let spec = fs::read_to_string(root().join(xtask::DEFAULT_SPEC)).expect("spec");
    let anchor = "      properties:\n        from:\n          x-sensitive: true\n          allOf:\n            - $ref: '#/components/schemas/AlphanumericSenderId'";
    assert!(spec.contains(anchor), "the anchor moved");
    let added = anchor.replacen(
        "      properties:\n",
        "      properties:\n        campaign:\n          type: string\n          description: A campaign code.\n          pattern: '^[A-Z]{3}[0-9]{2}$'\n",
        1,
    );
    let api = spec_cases::api_from(&spec.replacen(anchor, &added, 1)).expect("the spec parses");
    let missing = spec_cases::rule_cases(&api).expect_err("no example for `campaign`");
    let shown: Vec<String> = missing.iter().map(ToString::to_string).collect();
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert!(
        shown[0].contains("send_alphanumeric_sender_id_message field `campaign`")
            && shown[0].contains("no `example`"),
        "{shown:?}"
    );
    // With an example, the new rule gets its case.
    let with_example = added.replacen(
        "          pattern: '^[A-Z]{3}[0-9]{2}$'\n",
        "          pattern: '^[A-Z]{3}[0-9]{2}$'\n          example: ABC12\n",
        1,
    );
    let api = spec_cases::api_from(&spec.replacen(anchor, &with_example, 1)).expect("parses");
    let cases = spec_cases::rule_cases(&api).expect("every rule has a case");
    assert!(
        cases
            .iter()
            .any(|c| c.operation == "send_alphanumeric_sender_id_message"
                && c.name == "campaign_pattern"),
        "no case for the new rule"
    );
}

/// Webhook events decode as the API sends them: the examples of Telnyx's published 3.1
/// spec (its `webhooks` section's bodies), a numeric `cost.amount`, and an event type this
/// version does not know, which is kept as it came.
#[test]
fn webhook_events_decode_the_upstream_examples_and_keep_unknown_types() {
    use telnyx_messaging::webhook::decode_unverified;
    use telnyx_messaging::{DeliveryEventType, WebhookEvent, WebhookEventData};
    let decode = |value: serde_json::Value| -> WebhookEvent {
        decode_unverified(&serde_json::to_vec(&value).expect("encodes")).expect("decodes")
    };
    let upstream = root().join("../shared/upstream/telnyx-messages-openapi-3.1.json");
    let spec: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&upstream).expect("the upstream 3.1 spec"))
            .expect("JSON");
    let example = |schema: &str| spec["components"]["schemas"][schema]["example"].clone();
    let meta = serde_json::json!({"attempt": 2, "delivered_to": "https://www.example.com/hooks"});

    let mut sent = example("OutboundMessage");
    assert_eq!(
        sent["event_type"], "message.sent",
        "the upstream example moved"
    );
    sent["payload"]["cost"]["amount"] = serde_json::json!(0.0051);
    let event = decode(serde_json::json!({"data": sent, "meta": meta}));
    match event.data.as_ref().expect("data") {
        WebhookEventData::DeliveryUpdate(update) => {
            assert_eq!(update.event_type, Some(DeliveryEventType::MessageSent));
            let payload = update.payload.as_ref().expect("payload");
            assert_eq!(
                payload.id.as_deref(),
                Some("40385f64-5717-4562-b3fc-2c963f66afa6")
            );
            let amount = payload
                .cost
                .as_ref()
                .and_then(|c| c.amount.as_ref())
                .expect("amount");
            assert_eq!(amount.as_str(), "0.0051");
        }
        other => panic!("not a delivery update: {other:?}"),
    }
    let meta = event.meta.as_ref().expect("meta");
    assert_eq!(meta.attempt, Some(2));

    let received = example("InboundMessage");
    assert_eq!(
        received["event_type"], "message.received",
        "the upstream example moved"
    );
    let event = decode(serde_json::json!({"data": received}));
    match event.data.as_ref().expect("data") {
        WebhookEventData::MessageReceived(message) => {
            let payload = message.payload.as_ref().expect("payload");
            assert_eq!(payload.text.as_deref(), Some("Hello, World!"));
        }
        other => panic!("not a received message: {other:?}"),
    }

    let unknown = serde_json::json!({
        "data": {"record_type": "event", "event_type": "message.deleted", "id": "x", "extra": [1.5]},
    });
    let event = decode(unknown.clone());
    assert!(
        matches!(event.data, Some(WebhookEventData::Unknown(_))),
        "{event:?}"
    );
    assert_eq!(serde_json::to_value(&event).expect("encodes"), unknown);
}
