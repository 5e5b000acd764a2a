//! Contract tests: the generated client against a Prism mock server of `spec/messaging.yaml`.
//!
//! Every case comes from the spec through the generator's model (`support/spec_cases.rs`)
//! and reaches the typed client through the generated dispatch module (`support/generated/
//! dispatch.rs`): an operation, field or rule added to the spec gets its cases here without
//! a line of this file changing.
//!
//! The binary starts Prism itself (installed by `npm ci` in `tests/`, which `cargo xtask
//! test` runs) and fails when it cannot. The cases run one after another because several
//! of them count the requests Prism received:
//!
//! - every operation, called with a valid input that sets every parameter and field the
//!   spec declares, decodes Prism's static answer field by field (the typed value, encoded
//!   again, holds everything the answer held), and exactly one request reaches Prism;
//! - every operation decodes Prism's random (`Prefer: dynamic=true`) answers, which mix
//!   string and number amounts, nulls and unknown fields;
//! - every operation answers 401 without a key, and each error status it declares (with
//!   400, 429 and 500 for a `default`) reaches the caller as `Error::Api` with the API's
//!   `errors` list, tried again only where the retry rules say so;
//! - for every rule of every parameter and request body, an input breaking it is refused by
//!   the client naming that field and rule, nothing is sent, and the same input sent raw is
//!   refused by Prism with 422 for that same field: the client's rules are the spec's;
//! - an enum value the spec does not list is sent, for the API to judge;
//! - the client's verdicts on boundary values of each checked format equal Prism's;
//! - the examples run against Prism as a user runs them.
//!
//! `cargo test --test contract -- NAME` runs the cases whose name contains `NAME`.

use std::sync::Arc;
use std::time::Duration;

use codegen::model::{Api, Format, Operation, SuccessBody, Ty, TypeDef};
use serde_json::Value;
use telnyx_messaging::{Client, Error, RetryPolicy, error::ApiError};
use telnyx_messaging_tests::dispatch;
use telnyx_messaging_tests::examples::example_binary;
use telnyx_messaging_tests::harness::{self, Args, Case};
use telnyx_messaging_tests::prism::{self, Prism, PrismHandle};
use telnyx_messaging_tests::spec_cases::{self, Expected, Input, Location, RuleCase};

/// How long Prism gets to start.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);
/// How long one case may run.
const CASE_TIMEOUT: Duration = Duration::from_secs(30);
/// Limit of every HTTP request the cases make.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// How many random responses each operation decodes.
const DYNAMIC_ROUNDS: usize = 10;

/// Any non-empty key passes Prism's bearer check.
const API_KEY: &str = "KEY0123456789";

/// A value no enum of the spec lists.
const UNLISTED: &str = "UNLISTED_BY_THE_SPEC";

fn main() -> std::process::ExitCode {
    let args = Args::from_env();
    let cases = cases();
    if args.list() {
        harness::print_list(&cases);
        return std::process::ExitCode::SUCCESS;
    }
    let (selected, filtered_out) = args.select(cases);
    if selected.is_empty() {
        // Nothing to run: no need for Prism.
        harness::print_header(0);
        let summary = harness::Summary {
            filtered_out,
            ..harness::Summary::default()
        };
        summary.print();
        return std::process::ExitCode::SUCCESS;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(selected, filtered_out))
}

async fn run(cases: Vec<Case<Ctx>>, filtered_out: usize) -> std::process::ExitCode {
    let prism = match Prism::start(
        &prism::default_binary(),
        &prism::default_spec(),
        STARTUP_TIMEOUT,
    )
    .await
    {
        Ok(prism) => prism,
        Err(error) => {
            eprintln!("error: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let summary = match Ctx::new(prism.handle()) {
        Ok(ctx) => Some(harness::run(cases, Arc::new(ctx), filtered_out, CASE_TIMEOUT).await),
        Err(error) => {
            eprintln!("error: cannot build the clients: {error}");
            None
        }
    };
    let pid = prism.pid();
    let stopped = prism.stop().await;
    let log_path = save_log(stopped.as_ref().map_or("", String::as_str));
    if let Err(error) = &stopped {
        eprintln!("error: cannot stop Prism (pid {pid:?}): {error}");
    }
    let Some(summary) = summary else {
        return std::process::ExitCode::FAILURE;
    };
    summary.print();
    if !summary.success() {
        if let Some(path) = log_path {
            eprintln!("Prism's log: {}", path.display());
        }
    }
    if summary.success() && stopped.is_ok() {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}

/// Writes Prism's output next to the build's other test files, for a look after a failure.
fn save_log(output: &str) -> Option<std::path::PathBuf> {
    let dir = option_env!("CARGO_TARGET_TMPDIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let path = dir.join("contract-prism.log");
    std::fs::write(&path, output).ok().map(|()| path)
}

/// What every case gets: Prism and the clients pointed at it.
struct Ctx {
    prism: PrismHandle,
    /// The client with a key; Prism answers the static examples.
    client: Client,
    /// The same with `Prefer: dynamic=true`; Prism answers random data.
    dynamic: Client,
    /// For raw requests the client would not send.
    http: reqwest::Client,
}

impl Ctx {
    fn new(prism: PrismHandle) -> Result<Self, Box<dyn std::error::Error>> {
        let client = client_with(&prism, None)?;
        let dynamic = client_with(&prism, Some("dynamic=true"))?;
        let http = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .build()?;
        Ok(Self {
            prism,
            client,
            dynamic,
            http,
        })
    }
}

fn client_with(prism: &PrismHandle, prefer: Option<&str>) -> Result<Client, Error> {
    let mut builder = Client::builder(API_KEY)
        .base_url(prism.base_url())
        .attempt_timeout(REQUEST_TIMEOUT);
    if let Some(prefer) = prefer {
        builder = builder.header("Prefer", prefer);
    }
    builder.build()
}

/// The number of requests Prism has received so far (every earlier answer included).
async fn received(ctx: &Ctx) -> usize {
    ctx.prism
        .request_count()
        .await
        .unwrap_or_else(|error| panic!("cannot count the requests Prism received: {error}"))
}

/// One operation of the spec with its valid input.
#[derive(Debug, Clone)]
struct OperationCase {
    op: Operation,
    valid: Input,
}

impl OperationCase {
    fn name(&self) -> &str {
        &self.op.method_name
    }

    /// Calls the typed method through the dispatch module.
    async fn call(&self, client: &Client, input: &Input) -> Result<Value, Error> {
        dispatch::call(client, self.name(), &input.params, input.body.as_ref())
            .await
            .unwrap_or_else(|error| panic!("{}: {error}", self.name()))
    }

    /// Sends `input` raw, as the client would send it.
    async fn raw(
        &self,
        ctx: &Ctx,
        input: &Input,
        key: Option<&str>,
        prefer: Option<&str>,
    ) -> RawResponse {
        raw(
            ctx,
            &self.op.method,
            &input.path(&self.op.path),
            input.body.as_ref(),
            key,
            prefer,
        )
        .await
    }
}

/// Every operation of the spec with its valid input; every rule case.
fn derived() -> (Vec<OperationCase>, Vec<RuleCase>, Api) {
    let api = spec_cases::api();
    let operations = api
        .operations
        .iter()
        .map(|op| OperationCase {
            op: op.clone(),
            valid: spec_cases::valid_input(&api, op).unwrap_or_else(|error| panic!("{error}")),
        })
        .collect();
    let rules = spec_cases::all_rule_cases(&api);
    (operations, rules, api)
}

fn cases() -> Vec<Case<Ctx>> {
    let (operations, rule_cases, api) = derived();
    let mut cases = Vec::new();
    for op in &operations {
        let name = op.name().to_owned();
        let case = op.clone();
        cases.push(Case::new(format!("static_example_{name}"), move |ctx| {
            static_example(ctx, case)
        }));
        let case = op.clone();
        cases.push(Case::new(format!("dynamic_responses_{name}"), move |ctx| {
            dynamic_responses(ctx, case)
        }));
        let case = op.clone();
        cases.push(Case::new(
            format!("missing_key_is_401_{name}"),
            move |ctx| missing_key_is_401(ctx, case),
        ));
        let case = op.clone();
        cases.push(Case::new(format!("error_answers_{name}"), move |ctx| {
            error_answers(ctx, case)
        }));
        for (field, input) in unlisted_enum_inputs(&api, op) {
            let case = op.clone();
            cases.push(Case::new(
                format!("unlisted_enum_value_is_left_to_the_api_{name}_{field}"),
                move |ctx| unlisted_enum_value(ctx, case, input),
            ));
        }
    }
    let first = operations
        .first()
        .cloned()
        .expect("the spec has operations");
    cases.push(Case::new("request_count_sees_one_request", move |ctx| {
        request_count_sees_one_request(ctx, first)
    }));
    let sender = operation_named(&operations, "send_message");
    cases.push(Case::new(
        "example_send_sms_runs_against_prism",
        move |ctx| example_send_sms(ctx, sender),
    ));
    let sender = operation_named(&operations, "send_message");
    cases.push(Case::new(
        "example_schedule_looks_up_and_cancels_against_prism",
        move |ctx| example_schedule(ctx, sender),
    ));
    for (format, values, differ) in [
        (Format::DateTime, DATE_TIMES, &[][..]),
        (Format::Uuid, UUIDS, &[][..]),
        (Format::Uri, URIS, URIS_THE_API_READS_OTHERWISE),
    ] {
        let target = format_target(&api, &operations, format)
            .unwrap_or_else(|| panic!("no request field has the format {} alone", format.name()));
        cases.push(Case::new(
            format!(
                "format_{}_agrees_with_prism",
                format.name().replace('-', "_")
            ),
            move |ctx| format_agrees(ctx, target, values, differ),
        ));
    }
    for rule_case in rule_cases {
        let op = operations
            .iter()
            .find(|o| o.name() == rule_case.operation)
            .cloned()
            .expect("a case's operation is in the spec");
        let name = format!("rule_{}_{}", rule_case.operation, rule_case.name);
        cases.push(Case::new(name, move |ctx| broken_rule(ctx, op, rule_case)));
    }
    cases
}

/// The operation the examples call, by its method name.
fn operation_named(operations: &[OperationCase], name: &str) -> OperationCase {
    operations
        .iter()
        .find(|o| o.name() == name)
        .cloned()
        .unwrap_or_else(|| panic!("the spec has no operation `{name}`"))
}

/// A valid input gets the spec's static example: the typed answer, encoded again, holds
/// every value of Prism's answer (so nothing was dropped or changed in decoding); exactly
/// one request reaches Prism.
async fn static_example(ctx: Arc<Ctx>, case: OperationCase) {
    let before = received(&ctx).await;
    let typed = case
        .call(&ctx.client, &case.valid)
        .await
        .unwrap_or_else(|error| panic!("{} failed: {error}", case.name()));
    assert_eq!(
        received(&ctx).await - before,
        1,
        "requests Prism received for one call"
    );

    let raw = case.raw(&ctx, &case.valid, Some(API_KEY), None).await;
    assert!(
        (200..300).contains(&raw.status),
        "raw answer {}: {}",
        raw.status,
        raw.text()
    );
    let answer: Value = match &case.op.success.body {
        SuccessBody::Nothing => Value::Null,
        SuccessBody::Json { .. } | SuccessBody::MaybeJson(_) if raw.body.is_empty() => Value::Null,
        SuccessBody::Json { unwrap, .. } => {
            let whole: Value = serde_json::from_slice(&raw.body).unwrap_or_else(|error| {
                panic!("Prism's answer is no JSON ({error}): {}", raw.text())
            });
            match unwrap {
                Some(unwrap) => whole[&unwrap.field].clone(),
                None => whole,
            }
        }
        SuccessBody::MaybeJson(_) => serde_json::from_slice(&raw.body)
            .unwrap_or_else(|error| panic!("Prism's answer is no JSON ({error}): {}", raw.text())),
    };
    if let Err(difference) = holds(&answer, &typed, "") {
        panic!(
            "{}: the typed answer lost or changed {difference}\nPrism: {answer}\ntyped: {typed}",
            case.name()
        );
    }
}

/// Whether `typed` holds every value of `answer`: objects key by key (a `null` may be left
/// out), arrays item by item, numbers by value.
fn holds(answer: &Value, typed: &Value, at: &str) -> Result<(), String> {
    match (answer, typed) {
        (Value::Object(a), Value::Object(t)) => {
            for (key, value) in a {
                let at = format!("{at}/{key}");
                match t.get(key) {
                    Some(typed) => holds(value, typed, &at)?,
                    None if value.is_null() => {}
                    None => return Err(at),
                }
            }
            Ok(())
        }
        (Value::Array(a), Value::Array(t)) if a.len() == t.len() => a
            .iter()
            .zip(t)
            .enumerate()
            .try_for_each(|(i, (a, t))| holds(a, t, &format!("{at}/{i}"))),
        (Value::Number(a), Value::Number(t)) if a.as_f64() == t.as_f64() => Ok(()),
        (a, t) if a == t => Ok(()),
        _ => Err(if at.is_empty() {
            "/".to_owned()
        } else {
            at.to_owned()
        }),
    }
}

/// Random responses (string or number amounts, nulls, unknown fields) all decode.
async fn dynamic_responses(ctx: Arc<Ctx>, case: OperationCase) {
    let before = received(&ctx).await;
    for round in 1..=DYNAMIC_ROUNDS {
        if let Err(error) = case.call(&ctx.dynamic, &case.valid).await {
            panic!(
                "{} round {round}: a random response of the spec's shape did not decode: {error}",
                case.name()
            );
        }
    }
    let after = received(&ctx).await;
    assert_eq!(after - before, DYNAMIC_ROUNDS, "requests Prism received");
}

/// The answer to a raw request.
struct RawResponse {
    status: u16,
    headers: reqwest::header::HeaderMap,
    /// Prism's `sl-violations` header: the rules the request broke.
    violations: Option<String>,
    body: Vec<u8>,
}

impl RawResponse {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn api_error(&self) -> ApiError {
        ApiError::from_response(self.status, &self.headers, &self.body)
    }
}

/// Sends `method path` with `body` as JSON, with `Authorization: Bearer <key>` when `key`
/// is given and a `Prefer` header when `prefer` is.
async fn raw(
    ctx: &Ctx,
    method: &str,
    path: &str,
    body: Option<&Value>,
    key: Option<&str>,
    prefer: Option<&str>,
) -> RawResponse {
    let url = format!("{}{path}", ctx.prism.base_url());
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("an HTTP method");
    let mut request = ctx
        .http
        .request(method.clone(), &url)
        .header("Accept", "application/json");
    if let Some(body) = body {
        let bytes = serde_json::to_vec(body).expect("JSON values encode");
        request = request
            .header("Content-Type", "application/json")
            .body(bytes);
    }
    if let Some(key) = key {
        request = request.header("Authorization", format!("Bearer {key}"));
    }
    if let Some(prefer) = prefer {
        request = request.header("Prefer", prefer);
    }
    let response = request
        .send()
        .await
        .unwrap_or_else(|error| panic!("{method} {url} failed: {error}"));
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let violations = headers
        .get("sl-violations")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let body = response
        .bytes()
        .await
        .unwrap_or_else(|error| panic!("reading the answer to {method} {url} failed: {error}"))
        .to_vec();
    RawResponse {
        status,
        headers,
        violations,
        body,
    }
}

/// Asserts that `response` carries the API's error shape, decoded into `errors`.
fn assert_error_list(response: &RawResponse) {
    let error = response.api_error();
    assert_eq!(error.status, response.status);
    assert!(
        !error.errors.is_empty() && error.body_excerpt.is_none(),
        "ApiError::from_response found no `errors` in {:?}",
        response.text()
    );
    assert!(
        error
            .errors
            .iter()
            .all(|e| !e.code.is_empty() && !e.title.is_empty()),
        "{error}"
    );
}

/// Without a key the operation answers 401 with the API's error shape; with one, 2xx.
async fn missing_key_is_401(ctx: Arc<Ctx>, case: OperationCase) {
    let response = case.raw(&ctx, &case.valid, None, None).await;
    assert_eq!(
        response.status,
        401,
        "{} without Authorization: {}",
        case.name(),
        response.text()
    );
    assert_error_list(&response);
    // Positive control: the same input with the key goes through.
    let response = case.raw(&ctx, &case.valid, Some(API_KEY), None).await;
    assert!(
        (200..300).contains(&response.status),
        "{}: {}",
        response.status,
        response.text()
    );
}

/// The statuses an operation's error answers are tried with: each it declares, and for a
/// `default` or a range a client error, a rate limit and a server error.
fn error_statuses(op: &Operation) -> Vec<u16> {
    let mut statuses: Vec<u16> = Vec::new();
    for error in &op.errors {
        let more: Vec<u16> = match error.status.parse::<u16>() {
            Ok(status) => vec![status],
            Err(_) => vec![400, 429, 500],
        };
        for status in more {
            if !statuses.contains(&status) {
                statuses.push(status);
            }
        }
    }
    statuses
}

/// Each error status the operation declares reaches the caller as `Error::Api` with the
/// status and the API's `errors` (the list, or a single error object, as the spec
/// declares it). A 429 is tried again; a 5xx only when repeating the operation does no
/// harm (the spec's method, or `x-idempotent`); anything else once.
async fn error_answers(ctx: Arc<Ctx>, case: OperationCase) {
    let statuses = error_statuses(&case.op);
    assert!(
        !statuses.is_empty(),
        "{} declares no error answer",
        case.name()
    );
    let attempts = RetryPolicy::safe().max_attempts as usize;
    for status in statuses {
        let prefer = format!("code={status}");
        let client = client_with(&ctx.prism, Some(prefer.as_str()))
            .unwrap_or_else(|error| panic!("cannot build a client: {error}"));
        let before = received(&ctx).await;
        let error = match case.call(&client, &case.valid).await {
            Err(Error::Api(error)) => error,
            other => panic!(
                "{} HTTP {status}: expected Error::Api, got {other:?}",
                case.name()
            ),
        };
        let sent = received(&ctx).await - before;
        let expected = match status {
            429 => attempts,
            500..=599 if case.op.repeatable => attempts,
            _ => 1,
        };
        assert_eq!(
            sent,
            expected,
            "{} HTTP {status}: requests Prism received",
            case.name()
        );
        assert_eq!(error.status, status);
        let raw = case
            .raw(&ctx, &case.valid, Some(API_KEY), Some(&prefer))
            .await;
        assert_eq!(raw.status, status);
        assert_error_list(&raw);
        assert_eq!(
            error.errors,
            raw.api_error().errors,
            "{} HTTP {status}: the client's `errors` are not the answer's",
            case.name()
        );
    }
}

/// Positive control for the counting the rule cases rely on.
async fn request_count_sees_one_request(ctx: Arc<Ctx>, case: OperationCase) {
    let before = received(&ctx).await;
    assert_eq!(received(&ctx).await, before, "no request in between");
    if let Err(error) = case.call(&ctx.client, &case.valid).await {
        panic!("{} failed: {error}", case.name());
    }
    assert_eq!(received(&ctx).await, before + 1, "one request in between");
}

/// The inputs that set one enum field of the operation's body to a value the spec does
/// not list, by field.
fn unlisted_enum_inputs(api: &Api, case: &OperationCase) -> Vec<(String, Input)> {
    let Some(s) = spec_cases::body_struct(api, &case.op) else {
        return Vec::new();
    };
    s.fields
        .iter()
        .filter(|f| match &f.shape.ty {
            Ty::Named(name) => matches!(api.type_def(name), Some(TypeDef::Enum(_))),
            _ => false,
        })
        .map(|f| {
            let mut input = case.valid.clone();
            if let Some(body) = &mut input.body {
                body[&f.name] = Value::String(UNLISTED.to_owned());
            }
            (f.name.clone(), input)
        })
        .collect()
}

/// An enum value the spec does not list can only be sent on purpose (the enum's `Unknown`
/// arm): one newer than the crate may be valid. The client sends it, and the API (here
/// Prism, which knows only the spec's values) is the judge.
async fn unlisted_enum_value(ctx: Arc<Ctx>, case: OperationCase, input: Input) {
    let body = input.body.as_ref().expect("a body");
    assert_eq!(
        dispatch::validate(case.name(), body).expect("the body decodes"),
        Ok(()),
        "{body}"
    );
    let before = received(&ctx).await;
    match case.call(&ctx.client, &input).await {
        Err(Error::Api(error)) => assert_eq!(error.status, 422, "{error}"),
        other => panic!("Prism should refuse an unlisted value: {other:?}"),
    }
    assert_eq!(received(&ctx).await, before + 1);
}

/// Where Prism's `sl-violations` locate a broken `field`: `media_urls[1]` of the body is
/// `["request", "body", "media_urls", "1"]`, the path parameter `id` is
/// `["request", "path", "id"]`.
fn violation_location(location: Location, field: &str) -> Vec<String> {
    let place = match location {
        Location::Body => "body",
        Location::Path => "path",
        Location::Query => "query",
    };
    ["request", place]
        .into_iter()
        .map(str::to_owned)
        .chain(
            field
                .replace('[', ".")
                .replace(']', "")
                .split('.')
                .map(str::to_owned),
        )
        .collect()
}

/// The client refuses the input naming the field and the rule, sends nothing, and Prism
/// refuses the same input with 422 for that same field.
async fn broken_rule(ctx: Arc<Ctx>, op: OperationCase, case: RuleCase) {
    let shown = format!("params {} body {:?}", case.input.params, case.input.body);
    let field = case.field.as_str();
    let expected = &case.expected;

    // The client refuses it without sending anything.
    let before = received(&ctx).await;
    let refused = match op.call(&ctx.client, &case.input).await {
        Err(Error::Validation(error)) => error,
        Err(Error::Api(error)) => panic!(
            "the client sent an input that breaks `{field}` ({expected:?}) and Prism answered: \
             {error}; the client does not enforce this rule as the spec does\n{shown}"
        ),
        Err(other) => panic!("expected Error::Validation, got {other}\n{shown}"),
        Ok(answer) => panic!(
            "the client sent an input that breaks `{field}` ({expected:?}) and Prism accepted it \
             ({answer})\n{shown}"
        ),
    };
    assert_eq!(
        refused.field, field,
        "the validation error names another field ({refused})\n{shown}"
    );
    assert!(
        spec_cases::is_reported(expected, &refused.rule),
        "the validation error names another rule than {expected:?} ({refused})\n{shown}"
    );
    if let (Location::Body, Some(body)) = (case.location, &case.input.body) {
        let verdict = dispatch::validate(op.name(), body).expect("the body decodes");
        assert_eq!(verdict, Err(refused), "Validate::validate");
    }
    assert_eq!(
        received(&ctx).await,
        before,
        "the client refused the input but Prism received it"
    );

    // Prism, enforcing the spec, refuses the same input for the same field.
    let response = op.raw(&ctx, &case.input, Some(API_KEY), None).await;
    assert_eq!(
        response.status,
        422,
        "Prism accepted an input that the client refuses for `{field}` ({expected:?}): the \
         client is stricter than the spec\n{} {}\n{shown}\nanswer: {}",
        op.op.method,
        case.input.path(&op.op.path),
        response.text()
    );
    let violations = response
        .violations
        .as_deref()
        .unwrap_or_else(|| panic!("Prism's 422 has no sl-violations header\n{shown}"));
    let violations: Value = serde_json::from_str(violations)
        .unwrap_or_else(|error| panic!("sl-violations is not JSON ({error}): {violations}"));
    let locations: Vec<&Value> = violations
        .as_array()
        .map(|list| list.iter().map(|v| &v["location"]).collect())
        .unwrap_or_default();
    // A missing property is reported on the body itself (a conditional one also at the
    // properties its alternatives constrain, inside the body).
    let alternatives = matches!(expected, Expected::Alternatives(_));
    let wanted = if alternatives {
        serde_json::json!(["request", "body"])
    } else {
        serde_json::json!(violation_location(case.location, field))
    };
    let within_body = |location: &Value| {
        location.as_array().is_some_and(|parts| {
            parts.len() >= 2
                && parts[..2] == [serde_json::json!("request"), serde_json::json!("body")]
        })
    };
    let fits = |location: &Value| {
        if alternatives {
            within_body(location)
        } else {
            *location == wanted
        }
    };
    assert!(
        !locations.is_empty()
            && locations.iter().all(|location| fits(location))
            && locations.iter().any(|location| **location == wanted),
        "Prism should refuse the input for `{field}` only ({wanted}), it found: {violations}\n{shown}"
    );
    assert_error_list(&response);
    assert_eq!(
        received(&ctx).await,
        before + 1,
        "requests Prism received: only the raw one"
    );
}

// Boundary values of the string formats. For each, the client's verdict must be Prism's:
// a client stricter than the spec would refuse messages the API takes, a laxer one would
// send requests the API refuses.

const DATE_TIMES: &[&str] = &[
    "2030-01-23T18:10:00Z",
    "2030-01-23t18:10:00z",
    "2030-01-23 18:10:00Z",
    "2030-01-23\t18:10:00Z",
    "2030-01-23\u{b}18:10:00Z",
    "2030-01-23\u{a0}18:10:00Z",
    "2030-01-23\u{3000}18:10:00Z",
    "2030-01-23\u{85}18:10:00Z",
    "2030-01-23_18:10:00Z",
    "2030-01-23T18:10:00.123456789+0530",
    "2030-01-23T18:10:00+01",
    "2030-01-23T18:10:00+24:30",
    "2030-01-23T18:10:00-24:00",
    "2030-01-23T18:10:00+25:00",
    "2030-01-23T18:10:00+01:60",
    "2030-01-23T18:10:00+1",
    "2030-01-23T18:10:00",
    "2030-01-23T18:10:00.Z",
    "2030-01-23T18:10:00Z ",
    "2030-01-23T18:10Z",
    "2030-01-23T24:00:00Z",
    "2030-01-23T23:59:60Z",
    "2030-01-23T23:59:60+01:00",
    "2030-01-23T22:59:60-01:00",
    "2030-01-23T18:10:60Z",
    "2024-02-29T00:00:00Z",
    "2000-02-29T00:00:00Z",
    "2023-02-29T00:00:00Z",
    "1900-02-29T00:00:00Z",
    "2030-04-31T18:10:00Z",
    "2030-01-00T18:10:00Z",
    "2030-1-23T18:10:00Z",
    "0000-01-01T00:00:00Z",
];

const UUIDS: &[&str] = &[
    "4000eba1-a0c0-4563-9925-b25e842a7cb6",
    "4000EBA1-A0C0-4563-9925-B25E842A7CB6",
    "urn:uuid:4000eba1-a0c0-4563-9925-b25e842a7cb6",
    "{4000eba1-a0c0-4563-9925-b25e842a7cb6}",
    "4000eba1a0c045639925b25e842a7cb6",
    "4000eba1-a0c0-4563-9925-b25e842a7cbg",
];

/// Where the client (and the API, which parses URLs as the WHATWG URL standard does) and
/// Prism (an RFC 3986 reading) differ. The API takes what a browser takes: non-ASCII,
/// spaces, `[]`, `{}`, `|`, `\\`, `^`, backquote, quotes and lone `%` in a path, query or
/// fragment; and refuses a special scheme without a host, an out-of-range port and an
/// IPvFuture host, which RFC 3986 allows.
const URIS_THE_API_READS_OTHERWISE: &[&str] = &[
    "https://[v1.fe80::a+en1]/",
    "https://",
    "https://www.example.com:99999/",
    "https://www.example.com/%zz",
    "https://www.example.com/a%",
    "https://www.example.com/[x]",
    "https://www.example.com/a?b=[c]",
    "https://www.example.com/a#b[c]",
    "https://www.example.com/a\\b",
    "https://www.example.com/a^b",
    "https://www.example.com/a`b",
    "https://www.example.com/a<b",
    "https://www.example.com/a\"b",
    "https://www.example.com/\u{e4}",
    "https://www.example.com/a|b",
    "https://www.example.com/{hooks}",
    "https://www.example.com/#a#b",
    "https://www.example.com/a b",
];

const URIS: &[&str] = &[
    "mailto:a@b.c",
    "urn:isbn:0451450523",
    "HTTPS://www.example.com/",
    "https:?x",
    "https:#x",
    "https://[zz]/",
    "https://[1.2.3.4]/",
    "https://[v1.fe80::a+en1]/",
    "https://[::1]/x",
    "https://[::1/",
    "1https://x",
    "https://www.example.com/hooks",
    "https://user@www.example.com:8080/a?b=c#d",
    "https://[::1]:80/x",
    "https://www.example.com/a'b",
    "https://www.example.com/a~b!c",
    "https://www.example.com/%41",
    "https://",
    "https://exa_mple.com/",
    "https://www.example.com/a#b?c/d",
    "https://www.example.com/a@b:c",
    "https://www.example.com:99999/",
    "https://www.example.com/%zz",
    "https://www.example.com/a%",
    "https://www.example.com/[x]",
    "https://www.example.com/a?b=[c]",
    "https://www.example.com/a#b[c]",
    "https://a]b.com/",
    "https://www.example.com/a\\b",
    "https://www.example.com/a^b",
    "https://www.example.com/a`b",
    "https://www.example.com/a<b",
    "https://www.example.com/a\"b",
    "https://www.example.com/\u{e4}",
    "https://www.example.com/a|b",
    "https://www.example.com/{hooks}",
    "https://www.example.com/#a#b",
    "https://www.example.com/a b",
];

/// A body field on which to try a format's boundary values: one whose only rule is that
/// format (a string, or the items of an array), so that the verdicts are the format's.
#[derive(Debug, Clone)]
struct FormatTarget {
    case: OperationCase,
    /// The body field.
    field: String,
    /// The field is an array whose items carry the format: the value goes in as its only
    /// item, and the client names `field[0]`.
    item: bool,
}

impl FormatTarget {
    fn input(&self, value: &str) -> Input {
        let mut input = self.case.valid.clone();
        let value = Value::String(value.to_owned());
        if let Some(body) = &mut input.body {
            body[&self.field] = if self.item {
                Value::Array(vec![value])
            } else {
                value
            };
        }
        input
    }

    fn reported_field(&self) -> String {
        if self.item {
            format!("{}[0]", self.field)
        } else {
            self.field.clone()
        }
    }
}

/// The first body field of the spec that carries `format` and no other rule.
fn format_target(api: &Api, operations: &[OperationCase], format: Format) -> Option<FormatTarget> {
    let only = |rules: &[codegen::model::Rule]| rules == [codegen::model::Rule::Format(format)];
    operations.iter().find_map(|case| {
        let s = spec_cases::body_struct(api, &case.op)?;
        s.fields.iter().find_map(|f| {
            let item = match &f.shape.ty {
                Ty::String if only(&f.shape.rules) => false,
                Ty::Array(item)
                    if f.shape.rules.iter().all(|r| {
                        matches!(r, codegen::model::Rule::MinItems(n) if *n <= 1)
                            || matches!(r, codegen::model::Rule::MaxItems(_))
                    }) && only(&item.rules) =>
                {
                    true
                }
                _ => return None,
            };
            Some(FormatTarget {
                case: case.clone(),
                field: f.name.clone(),
                item,
            })
        })
    })
}

/// Sends each value raw to Prism and checks the client's verdict against Prism's; the
/// values in `differ` are the only ones allowed to get different verdicts.
async fn format_agrees(
    ctx: Arc<Ctx>,
    target: FormatTarget,
    values: &'static [&'static str],
    differ: &'static [&'static str],
) {
    let field = target.reported_field();
    let name = target.case.name().to_owned();
    let mut disagreements = Vec::new();
    for value in values {
        let input = target.input(value);
        let body = input.body.as_ref().expect("a body");
        let client_accepts = match dispatch::validate(&name, body).expect("the body decodes") {
            Ok(()) => true,
            Err(error) => {
                assert_eq!(error.field, field, "{value:?} broke another field: {error}");
                false
            }
        };
        let response = target.case.raw(&ctx, &input, Some(API_KEY), None).await;
        let prism_accepts = match response.status {
            200..=299 => true,
            422 => false,
            other => panic!(
                "{field} = {value:?}: Prism answered {other}: {}",
                response.text()
            ),
        };
        if client_accepts != prism_accepts {
            disagreements.push(format!(
                "{field} = {value:?}: client {}, Prism {}",
                if client_accepts { "accepts" } else { "refuses" },
                if prism_accepts { "accepts" } else { "refuses" },
            ));
        }
    }
    let unexpected: Vec<&String> = disagreements
        .iter()
        .filter(|d| !differ.iter().any(|value| d.contains(&format!("{value:?}"))))
        .collect();
    assert!(
        unexpected.is_empty() && disagreements.len() == differ.len(),
        "{name}: verdicts differ beyond the {} expected:\n{}",
        differ.len(),
        disagreements.join("\n")
    );
}

/// `generated/examples/send_sms.rs`, run as a user would: configured from the environment
/// by `Client::from_env`, pointed at Prism by `TELNYX_BASE_URL`.
async fn example_send_sms(ctx: Arc<Ctx>, sender: OperationCase) {
    let example = example_binary("send_sms", &[]).await;
    let base_url = ctx.prism.base_url().to_owned();
    let id = static_id(&ctx, &sender).await;

    let before = received(&ctx).await;
    let (code, stdout, stderr) = run_example(
        &example,
        &base_url,
        &["+18445550001", "+18665550001", "Hello"],
        Some(API_KEY),
    )
    .await;
    assert_eq!(code, Some(0), "stdout: {stdout}\nstderr: {stderr}");
    assert_eq!(
        stdout.trim(),
        format!("message {id} to +18665550001 is queued")
    );
    assert_eq!(
        received(&ctx).await,
        before + 1,
        "the example sent one request"
    );

    let (code, _, stderr) = run_example(
        &example,
        &base_url,
        &["+18445550001", "555-0100", "Hello"],
        Some(API_KEY),
    )
    .await;
    assert_eq!(code, Some(2), "stderr: {stderr}");
    assert!(
        stderr.contains("not sent: field `to` must match the pattern"),
        "{stderr}"
    );

    let (code, _, stderr) = run_example(
        &example,
        &base_url,
        &["+18445550001", "+18665550001", "Hello"],
        None,
    )
    .await;
    assert_eq!(code, Some(1), "stderr: {stderr}");
    assert!(stderr.contains("TELNYX_API_KEY is not set"), "{stderr}");
    assert_eq!(
        received(&ctx).await,
        before + 1,
        "refused runs sent nothing"
    );
}

/// `generated/examples/schedule.rs`: schedules a message, looks it up and cancels it,
/// three requests to Prism, which answers each from the spec.
async fn example_schedule(ctx: Arc<Ctx>, sender: OperationCase) {
    let example = example_binary("schedule", &[]).await;
    let base_url = ctx.prism.base_url().to_owned();
    let id = static_id(&ctx, &sender).await;
    let before = received(&ctx).await;
    let (code, stdout, stderr) = run_example(
        &example,
        &base_url,
        &[
            "+18445550001",
            "+18665550001",
            "See you at 9",
            "2030-01-23T18:10:00Z",
        ],
        Some(API_KEY),
    )
    .await;
    assert_eq!(code, Some(0), "stdout: {stdout}\nstderr: {stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines.first().copied(),
        Some(format!("scheduled {id}").as_str())
    );
    assert!(
        lines.get(1).is_some_and(|l| l.starts_with("looked up: ")),
        "{stdout}"
    );
    assert!(
        lines.get(2).is_some_and(|l| l.starts_with("cancelled ")),
        "{stdout}"
    );
    assert_eq!(received(&ctx).await, before + 3, "send, lookup, cancel");
    // A send time that is no date-time is refused before anything is sent.
    let (code, _, stderr) = run_example(
        &example,
        &base_url,
        &["+18445550001", "+18665550001", "Hi", "tomorrow"],
        Some(API_KEY),
    )
    .await;
    assert_eq!(code, Some(2), "stderr: {stderr}");
    assert!(stderr.contains("send_at"), "{stderr}");
    assert_eq!(
        received(&ctx).await,
        before + 3,
        "the refused run sent nothing"
    );
}

/// The message id in Prism's static answer to a send: what the examples print.
async fn static_id(ctx: &Ctx, sender: &OperationCase) -> String {
    let raw = sender.raw(ctx, &sender.valid, Some(API_KEY), None).await;
    let whole: Value = serde_json::from_slice(&raw.body)
        .unwrap_or_else(|error| panic!("Prism's answer is no JSON ({error}): {}", raw.text()));
    let data = match &sender.op.success.body {
        SuccessBody::Json {
            unwrap: Some(unwrap),
            ..
        } => &whole[&unwrap.field],
        _ => &whole,
    };
    data["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no message id in {whole}"))
        .to_owned()
}

/// Runs an example with `TELNYX_BASE_URL` set and `TELNYX_API_KEY` set to `key` (or
/// unset); returns its exit code, standard output and standard error.
async fn run_example(
    example: &std::path::Path,
    base_url: &str,
    args: &[&str],
    key: Option<&str>,
) -> (Option<i32>, String, String) {
    let mut command = tokio::process::Command::new(example);
    command
        .args(args)
        .env_remove("TELNYX_API_KEY")
        .env("TELNYX_BASE_URL", base_url);
    if let Some(key) = key {
        command.env("TELNYX_API_KEY", key);
    }
    let output = command
        .output()
        .await
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", example.display()));
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}
