//! Contract tests: the generated client against a Prism mock server of `spec/messaging.yaml`.
//!
//! The binary starts Prism itself (installed by `npm ci` in `tests/`, which `cargo xtask
//! test` runs) and fails when it cannot. The cases run one after another because several
//! of them count the requests Prism received:
//!
//! - every operation decodes the spec's static example, and exactly one request reaches
//!   Prism;
//! - every operation decodes Prism's random (`Prefer: dynamic=true`) responses, which mix
//!   string and number amounts, nulls and unknown fields;
//! - error answers (401 without a key, 422 for a broken rule, other statuses on request)
//!   decode into the API's `errors` list;
//! - for every rule of the spec's request schemas, a request breaking it is refused by the
//!   client with the right field and rule, nothing is sent, and the same body sent raw is
//!   refused by Prism with 422 for that same field: the client's rules are the spec's.
//!
//! `cargo test --test contract -- NAME` runs the cases whose name contains `NAME`.

use std::sync::Arc;
use std::time::Duration;

use telnyx_messaging::{
    Client, CreateAlphanumericSenderIdMessageRequest, CreateGroupMmsMessageRequest,
    CreateLongCodeMessageRequest, CreateMessageRequest, CreateNumberPoolMessageRequest,
    CreateShortCodeMessageRequest, DeliveryStatus, Error, LineType, Message, MessageEncoding,
    MessageType,
    error::ApiError,
    rules::{Alternative, Format, Rule, Validate, ValidationError},
};
use telnyx_messaging_tests::harness::{self, Args, Case};
use telnyx_messaging_tests::prism::{self, Prism, PrismHandle};

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

// The rules of the spec's request schemas, as the client is expected to report them.
const TO_NUMBER: &str = r"^(\+[1-9][0-9]{1,14}|[0-9]{3,8})$";
const E164: &str = r"^\+[1-9][0-9]{1,14}$";
const SHORT_CODE: &str = "^[0-9]{3,8}$";
const ALPHANUMERIC: &str = "^[A-Za-z0-9 ]*[A-Za-z][A-Za-z0-9 ]*$";
const WEBHOOK: &str = "^https?://";
const SENDER_ADDRESS: Rule = Rule::AnyOf(&[
    Alternative {
        name: "E164PhoneNumber",
        rules: &[Rule::Pattern(E164)],
    },
    Alternative {
        name: "ShortCode",
        rules: &[Rule::Pattern(SHORT_CODE)],
    },
    Alternative {
        name: "AlphanumericSenderId",
        rules: &[
            Rule::MinLength(1),
            Rule::MaxLength(11),
            Rule::Pattern(ALPHANUMERIC),
        ],
    },
]);

// Values used by the valid requests.
const PROFILE_ID: &str = "4000eba1-a0c0-4563-9925-b25e842a7cb6";
const MEDIA_URL: &str = "https://www.example.com/image.png";
const WEBHOOK_URL: &str = "https://www.example.com/hooks";
const FAILOVER_URL: &str = "https://backup.example.com/hooks";

// The static example of the spec's MessageResponse.
const EXAMPLE_ID: &str = "40385f64-5717-4562-b3fc-2c963f66afa6";
// The example of the spec's ErrorResponse, which Prism serves for every error status.
const EXAMPLE_ERROR_CODE: &str = "10015";

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

/// A request of one of the four operations.
#[derive(Debug, Clone)]
enum Request {
    Message(CreateMessageRequest),
    Alphanumeric(CreateAlphanumericSenderIdMessageRequest),
    ShortCode(CreateShortCodeMessageRequest),
    GroupMms(CreateGroupMmsMessageRequest),
    LongCode(CreateLongCodeMessageRequest),
    NumberPool(CreateNumberPoolMessageRequest),
}

impl Request {
    /// The client method, which also names the cases.
    fn operation(&self) -> &'static str {
        match self {
            Request::Message(_) => "send_message",
            Request::Alphanumeric(_) => "send_alphanumeric_sender_id_message",
            Request::ShortCode(_) => "create_short_code_message",
            Request::GroupMms(_) => "create_group_mms_message",
            Request::LongCode(_) => "create_long_code_message",
            Request::NumberPool(_) => "create_number_pool_message",
        }
    }

    fn path(&self) -> &'static str {
        match self {
            Request::Message(_) => "/messages",
            Request::Alphanumeric(_) => "/messages/alphanumeric_sender_id",
            Request::ShortCode(_) => "/messages/short_code",
            Request::GroupMms(_) => "/messages/group_mms",
            Request::LongCode(_) => "/messages/long_code",
            Request::NumberPool(_) => "/messages/number_pool",
        }
    }

    /// The body the client sends.
    fn json(&self) -> Vec<u8> {
        match self {
            Request::Message(r) => serde_json::to_vec(r),
            Request::Alphanumeric(r) => serde_json::to_vec(r),
            Request::ShortCode(r) => serde_json::to_vec(r),
            Request::GroupMms(r) => serde_json::to_vec(r),
            Request::LongCode(r) => serde_json::to_vec(r),
            Request::NumberPool(r) => serde_json::to_vec(r),
        }
        .unwrap_or_else(|error| panic!("cannot encode {self:?}: {error}"))
    }

    fn validate(&self) -> Result<(), ValidationError> {
        match self {
            Request::Message(r) => r.validate(),
            Request::Alphanumeric(r) => r.validate(),
            Request::ShortCode(r) => r.validate(),
            Request::GroupMms(r) => r.validate(),
            Request::LongCode(r) => r.validate(),
            Request::NumberPool(r) => r.validate(),
        }
    }

    async fn send(&self, client: &Client) -> Result<Message, Error> {
        match self {
            Request::Message(r) => client.send_message(r).await,
            Request::Alphanumeric(r) => client.send_alphanumeric_sender_id_message(r).await,
            Request::ShortCode(r) => client.create_short_code_message(r).await,
            Request::GroupMms(r) => client.create_group_mms_message(r).await,
            Request::LongCode(r) => client.create_long_code_message(r).await,
            Request::NumberPool(r) => client.create_number_pool_message(r).await,
        }
    }
}

// Valid requests that set every field, so that each rule case breaks exactly one rule of
// an otherwise complete request.

fn valid_message() -> CreateMessageRequest {
    CreateMessageRequest::builder()
        .to("+18665550001")
        .from("+18445550001")
        .messaging_profile_id(PROFILE_ID)
        .text("Hello, World!")
        .subject("From Telnyx!")
        .media_urls([MEDIA_URL])
        .webhook_url(WEBHOOK_URL)
        .webhook_failover_url(FAILOVER_URL)
        .use_profile_webhooks(true)
        .type_(MessageType::Mms)
        .auto_detect(false)
        .encoding(MessageEncoding::Auto)
        .send_at("2030-01-23T18:10:00Z")
        .build()
}

fn valid_alphanumeric() -> CreateAlphanumericSenderIdMessageRequest {
    CreateAlphanumericSenderIdMessageRequest::builder()
        .from("MyCompany")
        .to("+447700900123")
        .text("Your code is 123456")
        .messaging_profile_id(PROFILE_ID)
        .webhook_url(WEBHOOK_URL)
        .webhook_failover_url(FAILOVER_URL)
        .use_profile_webhooks(false)
        .build()
}

fn valid_short_code() -> CreateShortCodeMessageRequest {
    CreateShortCodeMessageRequest::builder()
        .from("12345")
        .to("+18665550001")
        .text("Hello, World!")
        .subject("From Telnyx!")
        .media_urls([MEDIA_URL])
        .webhook_url(WEBHOOK_URL)
        .webhook_failover_url(FAILOVER_URL)
        .use_profile_webhooks(true)
        .type_(MessageType::Mms)
        .auto_detect(false)
        .encoding(MessageEncoding::Gsm7)
        .build()
}

fn valid_group_mms() -> CreateGroupMmsMessageRequest {
    CreateGroupMmsMessageRequest::builder()
        .from("+13125551234")
        .to(["+18655551234", "+14155551234"])
        .text("Hello, World!")
        .subject("From Telnyx!")
        .media_urls([MEDIA_URL])
        .webhook_url(WEBHOOK_URL)
        .webhook_failover_url(FAILOVER_URL)
        .use_profile_webhooks(true)
        .build()
}

fn valid_long_code() -> CreateLongCodeMessageRequest {
    CreateLongCodeMessageRequest::builder()
        .from("+18445550001")
        .to("+18665550001")
        .text("Hello, World!")
        .subject("From Telnyx!")
        .media_urls([MEDIA_URL])
        .webhook_url(WEBHOOK_URL)
        .webhook_failover_url(FAILOVER_URL)
        .use_profile_webhooks(true)
        .type_(MessageType::Mms)
        .auto_detect(false)
        .encoding(MessageEncoding::Ucs2)
        .build()
}

fn valid_number_pool() -> CreateNumberPoolMessageRequest {
    CreateNumberPoolMessageRequest::builder()
        .to("+18665550001")
        .messaging_profile_id(PROFILE_ID)
        .text("Hello, World!")
        .subject("From Telnyx!")
        .media_urls([MEDIA_URL])
        .webhook_url(WEBHOOK_URL)
        .webhook_failover_url(FAILOVER_URL)
        .use_profile_webhooks(true)
        .type_(MessageType::Sms)
        .auto_detect(true)
        .encoding(MessageEncoding::Auto)
        .build()
}

fn valid_requests() -> [Request; 6] {
    [
        Request::Message(valid_message()),
        Request::Alphanumeric(valid_alphanumeric()),
        Request::ShortCode(valid_short_code()),
        Request::GroupMms(valid_group_mms()),
        Request::LongCode(valid_long_code()),
        Request::NumberPool(valid_number_pool()),
    ]
}

fn cases() -> Vec<Case<Ctx>> {
    let mut cases = Vec::new();
    for request in valid_requests() {
        let name = format!("static_example_{}", request.operation());
        cases.push(Case::new(name, move |ctx| static_example(ctx, request)));
    }
    for request in valid_requests() {
        let name = format!("dynamic_responses_{}", request.operation());
        cases.push(Case::new(name, move |ctx| dynamic_responses(ctx, request)));
    }
    cases.push(Case::new("missing_key_is_401", missing_key_is_401));
    cases.push(Case::new("broken_rule_is_422", broken_rule_is_422));
    cases.push(Case::new(
        "error_statuses_are_api_errors",
        error_statuses_are_api_errors,
    ));
    cases.push(Case::new(
        "request_count_sees_one_request",
        request_count_sees_one_request,
    ));
    cases.push(Case::new(
        "example_send_sms_runs_against_prism",
        example_send_sms,
    ));
    cases.push(Case::new(
        "example_schedule_looks_up_and_cancels_against_prism",
        example_schedule,
    ));
    cases.push(Case::new(
        "an_unlisted_enum_value_is_left_to_the_api",
        unlisted_enum_value,
    ));
    cases.push(Case::new(
        "lookup_and_cancel_error_answers",
        lookup_and_cancel_error_answers,
    ));
    cases.push(Case::new(
        "every_rule_of_every_request_body_has_a_case",
        |_ctx| async { every_rule_has_a_case() },
    ));
    cases.push(Case::new("format_date_time_agrees_with_prism", |ctx| {
        format_agrees(ctx, "send_at", DATE_TIMES, &[], |v| {
            message(|r| r.send_at = some(v))
        })
    }));
    cases.push(Case::new("format_uuid_agrees_with_prism", |ctx| {
        format_agrees(ctx, "messaging_profile_id", UUIDS, &[], |v| {
            alphanumeric(|r| r.messaging_profile_id = v.to_owned())
        })
    }));
    cases.push(Case::new("format_uri_agrees_with_prism", |ctx| {
        // `media_urls` items carry `format: uri` alone (webhook URLs add a pattern).
        format_agrees(
            ctx,
            "media_urls[0]",
            URIS,
            URIS_THE_API_READS_OTHERWISE,
            |v| message(|r| r.media_urls = Some(vec![v.to_owned()])),
        )
    }));
    for rule_case in rule_cases() {
        let name = format!("rule_{}_{}", rule_case.request.operation(), rule_case.name);
        cases.push(Case::new(name, move |ctx| broken_rule(ctx, rule_case)));
    }
    cases
}

/// A valid request gets the spec's static example, decoded field by field; exactly one
/// request reaches Prism.
async fn static_example(ctx: Arc<Ctx>, request: Request) {
    let before = received(&ctx).await;
    let message = request
        .send(&ctx.client)
        .await
        .unwrap_or_else(|error| panic!("{} failed: {error}", request.operation()));
    let after = received(&ctx).await;
    assert_eq!(after - before, 1, "requests Prism received for one call");

    assert_eq!(message.id.as_deref(), Some(EXAMPLE_ID));
    assert_eq!(message.record_type.as_deref(), Some("message"));
    assert_eq!(message.direction.as_deref(), Some("outbound"));
    assert_eq!(message.type_, Some(MessageType::Mms));
    assert_eq!(message.messaging_profile_id.as_deref(), Some(PROFILE_ID));
    let from = message.from.as_ref().expect("`from` is in the example");
    assert_eq!(from.phone_number.as_deref(), Some("+18445550001"));
    assert_eq!(from.carrier.as_deref(), Some("TELNYX LLC"));
    assert_eq!(from.line_type, Some(LineType::VoIp));
    let to = message.to.as_deref().expect("`to` is in the example");
    assert_eq!(to.len(), 1);
    assert_eq!(to[0].phone_number.as_deref(), Some("+18665550001"));
    assert_eq!(to[0].status, Some(DeliveryStatus::Queued));
    assert_eq!(to[0].line_type, Some(LineType::Wireless));
    assert_eq!(message.cc.as_deref().map(<[_]>::len), Some(0));
    assert_eq!(message.text.as_deref(), Some("Hello, World!"));
    assert_eq!(message.subject.as_deref(), Some("From Telnyx!"));
    let media = message.media.as_deref().expect("`media` is in the example");
    assert_eq!(media.len(), 1);
    assert_eq!(media[0].content_type, None, "null content_type");
    assert_eq!(media[0].size, None, "null size");
    assert_eq!(message.webhook_url.as_deref(), Some(WEBHOOK_URL));
    assert_eq!(message.webhook_failover_url.as_deref(), Some(FAILOVER_URL));
    assert_eq!(message.encoding.as_deref(), Some("GSM-7"));
    assert_eq!(message.parts, Some(1));
    assert_eq!(message.num_chars, Some(13));
    assert_eq!(message.tags, Some(vec!["Greetings".to_owned()]));
    let cost = message.cost.as_ref().expect("`cost` is in the example");
    assert_eq!(
        cost.amount
            .as_ref()
            .map(|amount| amount.as_str().into_owned()),
        Some("0.0051".to_owned())
    );
    assert_eq!(cost.currency.as_deref(), Some("USD"));
    let carrier_fee = message
        .cost_breakdown
        .as_ref()
        .and_then(|breakdown| breakdown.carrier_fee.as_ref())
        .and_then(|fee| fee.amount.as_ref())
        .map(|amount| amount.as_str().into_owned());
    assert_eq!(carrier_fee.as_deref(), Some("0.00305"));
    assert_eq!(message.tcr_campaign_id.as_deref(), Some("TCPA3X7"));
    assert_eq!(message.tcr_campaign_billable, Some(true));
    assert_eq!(
        message.tcr_campaign_registered.as_deref(),
        Some("REGISTERED")
    );
    assert_eq!(
        message.received_at.as_deref(),
        Some("2019-01-23T18:10:02.574Z")
    );
    assert_eq!(message.sent_at, None, "null sent_at");
    assert_eq!(message.completed_at, None, "null completed_at");
    assert_eq!(message.valid_until, None, "null valid_until");
    assert_eq!(message.errors.as_deref().map(<[_]>::len), Some(0));
    assert_eq!(message.wait_seconds, Some(0.5));
    assert_eq!(message.smart_encoding_applied, Some(false));
}

/// Random responses (string or number amounts, nulls, unknown fields) all decode.
async fn dynamic_responses(ctx: Arc<Ctx>, request: Request) {
    let before = received(&ctx).await;
    for round in 1..=DYNAMIC_ROUNDS {
        if let Err(error) = request.send(&ctx.dynamic).await {
            panic!(
                "{} round {round}: a random response of the spec's shape did not decode: {error}",
                request.operation()
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

/// POSTs `body` to `path` as JSON, with `Authorization: Bearer <key>` when `key` is given.
async fn post_raw(ctx: &Ctx, path: &str, body: Vec<u8>, key: Option<&str>) -> RawResponse {
    let url = format!("{}{path}", ctx.prism.base_url());
    let mut request = ctx
        .http
        .post(&url)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .body(body);
    if let Some(key) = key {
        request = request.header("Authorization", format!("Bearer {key}"));
    }
    let response = request
        .send()
        .await
        .unwrap_or_else(|error| panic!("POST {url} failed: {error}"));
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    };
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let violations = header("sl-violations");
    let body = response
        .bytes()
        .await
        .unwrap_or_else(|error| panic!("reading the answer to POST {url} failed: {error}"))
        .to_vec();
    RawResponse {
        status,
        headers,
        violations,
        body,
    }
}

/// Asserts that `response` carries the spec's error example as a decoded `errors` list.
fn assert_error_example(response: &RawResponse) {
    let error = response.api_error();
    assert_eq!(error.status, response.status);
    assert!(
        !error.errors.is_empty(),
        "ApiError::from_response found no `errors` in {:?}",
        response.text()
    );
    assert_eq!(error.errors[0].code, EXAMPLE_ERROR_CODE);
    assert_eq!(error.errors[0].title, "Invalid destination number");
    assert_eq!(
        error.errors[0]
            .source
            .as_ref()
            .and_then(|source| source.pointer.as_deref()),
        Some("/to")
    );
    assert_eq!(error.body_excerpt, None);
}

/// Without a key every operation answers 401 with the error example; with one, 200.
async fn missing_key_is_401(ctx: Arc<Ctx>) {
    for request in valid_requests() {
        let response = post_raw(&ctx, request.path(), request.json(), None).await;
        assert_eq!(
            response.status,
            401,
            "POST {} without Authorization: {}",
            request.path(),
            response.text()
        );
        assert_error_example(&response);
        // Positive control: the same request with the client's key goes through.
        if let Err(error) = request.send(&ctx.client).await {
            panic!("{} with a key failed: {error}", request.operation());
        }
    }
}

/// A body breaking a rule is answered 422 with the error example.
async fn broken_rule_is_422(ctx: Arc<Ctx>) {
    let body = br#"{"from":"+18445550001","to":"abc","text":"Hello"}"#.to_vec();
    let response = post_raw(&ctx, "/messages", body, Some(API_KEY)).await;
    assert_eq!(response.status, 422, "answer: {}", response.text());
    assert!(
        response
            .violations
            .as_deref()
            .is_some_and(|v| v.contains("\"to\"")),
        "sl-violations should name `to`: {:?}",
        response.violations
    );
    assert_error_example(&response);
}

/// Non-2xx answers reach the caller as `Error::Api` with the decoded `errors` list and
/// the kind of the status. Under the default policy only the 429 is sent again (three
/// attempts in all); the 5xx, which the API may have processed, is sent once.
async fn error_statuses_are_api_errors(ctx: Arc<Ctx>) {
    use telnyx_messaging::{RetryPolicy, error::ApiErrorKind};
    let cases = [
        (400, ApiErrorKind::BadRequest, 1),
        (404, ApiErrorKind::NotFound, 1),
        (
            429,
            ApiErrorKind::RateLimited,
            RetryPolicy::safe().max_attempts,
        ),
        (500, ApiErrorKind::ServerError, 1),
    ];
    for (status, kind, attempts) in cases {
        let before = received(&ctx).await;
        let prefer = format!("code={status}");
        let client = client_with(&ctx.prism, Some(prefer.as_str()))
            .unwrap_or_else(|error| panic!("cannot build a client: {error}"));
        match client.send_message(&valid_message()).await {
            Err(Error::Api(error)) => {
                assert_eq!(error.status, status);
                assert_eq!(error.kind(), kind);
                assert_eq!(
                    error.errors.first().map(|e| e.code.as_str()),
                    Some(EXAMPLE_ERROR_CODE),
                    "errors of the HTTP {status} answer: {error}"
                );
            }
            Err(other) => panic!("HTTP {status}: expected Error::Api, got {other}"),
            Ok(message) => panic!("HTTP {status}: expected Error::Api, got {message:?}"),
        }
        let after = received(&ctx).await;
        assert_eq!(
            after - before,
            attempts as usize,
            "requests Prism received for HTTP {status}"
        );
    }
}

/// The error answers of a lookup and a cancel, as Prism serves them from the spec: a 404
/// with the `errors` list (GetMessage's default), a 404 and a 403 that are single error
/// objects (CancelMessage's own), each read into `ApiError::errors`. A 500 on a lookup is
/// retried (repeating a GET does no harm); on a cancel too.
async fn lookup_and_cancel_error_answers(ctx: Arc<Ctx>) {
    use telnyx_messaging::{RetryPolicy, error::ApiErrorKind};
    for (status, kind) in [
        (404, ApiErrorKind::NotFound),
        (403, ApiErrorKind::Forbidden),
    ] {
        let prefer = format!("code={status}");
        let client = client_with(&ctx.prism, Some(prefer.as_str()))
            .unwrap_or_else(|error| panic!("cannot build a client: {error}"));
        let before = received(&ctx).await;
        match client.cancel_message(EXAMPLE_ID).await {
            Err(Error::Api(error)) => {
                assert_eq!((error.status, error.kind()), (status, kind));
                assert_eq!(error.errors.len(), 1, "a single error object: {error}");
            }
            other => panic!("cancel, HTTP {status}: expected Error::Api, got {other:?}"),
        }
        assert_eq!(received(&ctx).await, before + 1, "a 4xx is not retried");
    }
    let client = client_with(&ctx.prism, Some("code=404"))
        .unwrap_or_else(|error| panic!("cannot build a client: {error}"));
    match client.get_message(EXAMPLE_ID).await {
        Err(Error::Api(error)) => {
            assert_eq!(error.status, 404);
            assert_eq!(
                error.errors.first().map(|e| e.code.as_str()),
                Some(EXAMPLE_ERROR_CODE),
                "{error}"
            );
        }
        other => panic!("lookup, HTTP 404: expected Error::Api, got {other:?}"),
    }
    let client = client_with(&ctx.prism, Some("code=500"))
        .unwrap_or_else(|error| panic!("cannot build a client: {error}"));
    let before = received(&ctx).await;
    let error = client.get_message(EXAMPLE_ID).await.expect_err("500");
    assert_eq!(error.status(), Some(500));
    assert_eq!(
        received(&ctx).await - before,
        RetryPolicy::safe().max_attempts as usize,
        "a lookup is tried again on 500"
    );
}

/// Positive control for the counting the rule cases rely on.
async fn request_count_sees_one_request(ctx: Arc<Ctx>) {
    let before = received(&ctx).await;
    assert_eq!(received(&ctx).await, before, "no request in between");
    if let Err(error) = ctx.client.send_message(&valid_message()).await {
        panic!("send_message failed: {error}");
    }
    assert_eq!(received(&ctx).await, before + 1, "one request in between");
}

/// A request that breaks exactly one rule of the spec.
struct RuleCase {
    /// What is broken, for the case name.
    name: &'static str,
    request: Request,
    /// The field the client must name.
    field: &'static str,
    /// The rule the client must name.
    rule: Rule,
}

fn message(edit: impl FnOnce(&mut CreateMessageRequest)) -> Request {
    let mut request = valid_message();
    edit(&mut request);
    Request::Message(request)
}

fn alphanumeric(edit: impl FnOnce(&mut CreateAlphanumericSenderIdMessageRequest)) -> Request {
    let mut request = valid_alphanumeric();
    edit(&mut request);
    Request::Alphanumeric(request)
}

fn short_code(edit: impl FnOnce(&mut CreateShortCodeMessageRequest)) -> Request {
    let mut request = valid_short_code();
    edit(&mut request);
    Request::ShortCode(request)
}

fn group_mms(edit: impl FnOnce(&mut CreateGroupMmsMessageRequest)) -> Request {
    let mut request = valid_group_mms();
    edit(&mut request);
    Request::GroupMms(request)
}

fn long_code(edit: impl FnOnce(&mut CreateLongCodeMessageRequest)) -> Request {
    let mut request = valid_long_code();
    edit(&mut request);
    Request::LongCode(request)
}

fn number_pool(edit: impl FnOnce(&mut CreateNumberPoolMessageRequest)) -> Request {
    let mut request = valid_number_pool();
    edit(&mut request);
    Request::NumberPool(request)
}

fn rule(name: &'static str, request: Request, field: &'static str, rule: Rule) -> RuleCase {
    RuleCase {
        name,
        request,
        field,
        rule,
    }
}

fn some(text: &str) -> Option<String> {
    Some(text.to_owned())
}

fn media_urls(count: usize) -> Option<Vec<String>> {
    Some(
        (0..count)
            .map(|i| format!("https://www.example.com/image{i}.png"))
            .collect(),
    )
}

fn recipients(count: usize) -> Vec<String> {
    (0..count).map(|i| format!("+1865555{i:04}")).collect()
}

/// Rule cases several request types share, broken the same way on each.
macro_rules! webhook_cases {
    ($build:ident) => {
        vec![
            rule(
                "webhook_url_pattern",
                $build(|r| r.webhook_url = some("ftp://example.com/hooks")),
                "webhook_url",
                Rule::Pattern(WEBHOOK),
            ),
            rule(
                "webhook_url_uri",
                $build(|r| r.webhook_url = some("https://www.exa mple.com/hooks")),
                "webhook_url",
                Rule::Format(Format::Uri),
            ),
            rule(
                "webhook_failover_url_pattern",
                $build(|r| r.webhook_failover_url = some("www.example.com/hooks")),
                "webhook_failover_url",
                Rule::Pattern(WEBHOOK),
            ),
            rule(
                "webhook_failover_url_uri",
                $build(|r| r.webhook_failover_url = some("https://backup.exa mple.com/")),
                "webhook_failover_url",
                Rule::Format(Format::Uri),
            ),
        ]
    };
}

/// The operations whose `to` is one number and whose `text` may not be empty.
macro_rules! to_and_text_cases {
    ($build:ident) => {
        vec![
            rule(
                "to_pattern",
                $build(|r| r.to = "1-866-555-0001".into()),
                "to",
                Rule::Pattern(TO_NUMBER),
            ),
            rule(
                "text_min_length",
                $build(|r| r.text = some("")),
                "text",
                Rule::MinLength(1),
            ),
        ]
    };
}

macro_rules! media_cases {
    ($build:ident) => {
        vec![
            rule(
                "media_urls_max_items",
                $build(|r| r.media_urls = media_urls(11)),
                "media_urls",
                Rule::MaxItems(10),
            ),
            rule(
                "media_urls_min_items",
                $build(|r| r.media_urls = media_urls(0)),
                "media_urls",
                Rule::MinItems(1),
            ),
            rule(
                "media_urls_item_uri",
                $build(|r| r.media_urls = bad_media()),
                "media_urls[1]",
                Rule::Format(Format::Uri),
            ),
        ]
    };
}

/// The operations that send SMS or MMS: content required, `type` and `encoding` enums.
macro_rules! sms_mms_cases {
    ($build:ident) => {
        vec![rule(
            "text_or_media_urls_required",
            $build(|r| {
                r.text = None;
                r.media_urls = None;
            }),
            "text",
            Rule::RequiredAnyOf(&[&["text"], &["media_urls"]]),
        )]
    };
}

/// Two media URLs, the second of them not a URI.
fn bad_media() -> Option<Vec<String>> {
    Some(vec![
        MEDIA_URL.to_owned(),
        "example.com/image.png".to_owned(),
    ])
}

/// Every rule of the request schemas of `spec/messaging.yaml`, broken once.
fn rule_cases() -> Vec<RuleCase> {
    let mut cases = Vec::new();

    // POST /messages (CreateMessageRequest)
    cases.extend(vec![
        rule(
            "from_or_messaging_profile_id_required",
            message(|r| {
                r.from = None;
                r.messaging_profile_id = None;
            }),
            "from",
            Rule::RequiredAnyOf(&[&["from"], &["messaging_profile_id"]]),
        ),
        rule(
            "alphanumeric_from_needs_messaging_profile_id",
            message(|r| {
                r.from = some("MyCompany");
                r.messaging_profile_id = None;
            }),
            "messaging_profile_id",
            Rule::RequiredAnyOf(&[&["messaging_profile_id"]]),
        ),
        rule(
            "to_pattern",
            message(|r| r.to = "abc".into()),
            "to",
            Rule::Pattern(TO_NUMBER),
        ),
        rule(
            "from_any_of_symbol",
            message(|r| r.from = some("My-Company")),
            "from",
            SENDER_ADDRESS,
        ),
        rule(
            "from_any_of_nine_digits",
            message(|r| r.from = some("123456789")),
            "from",
            SENDER_ADDRESS,
        ),
        rule(
            "from_any_of_twelve_letters",
            message(|r| r.from = some("ABCDEFGHIJKL")),
            "from",
            SENDER_ADDRESS,
        ),
        rule(
            "text_min_length",
            message(|r| r.text = some("")),
            "text",
            Rule::MinLength(1),
        ),
        rule(
            "send_at_date_time",
            message(|r| r.send_at = some("next tuesday")),
            "send_at",
            Rule::Format(Format::DateTime),
        ),
        rule(
            "send_at_date_time_without_offset",
            message(|r| r.send_at = some("2030-01-23T18:10:00")),
            "send_at",
            Rule::Format(Format::DateTime),
        ),
        rule(
            "send_at_date_time_without_seconds",
            message(|r| r.send_at = some("2030-01-23T18:10Z")),
            "send_at",
            Rule::Format(Format::DateTime),
        ),
    ]);
    cases.extend(webhook_cases!(message));
    cases.extend(media_cases!(message));
    cases.extend(sms_mms_cases!(message));

    // POST /messages/alphanumeric_sender_id
    cases.extend(vec![
        rule(
            "from_min_length",
            alphanumeric(|r| r.from = String::new()),
            "from",
            Rule::MinLength(1),
        ),
        rule(
            "from_max_length",
            alphanumeric(|r| r.from = "ABCDEFGHIJKL".into()),
            "from",
            Rule::MaxLength(11),
        ),
        rule(
            "from_pattern_symbol",
            alphanumeric(|r| r.from = "My-Company".into()),
            "from",
            Rule::Pattern(ALPHANUMERIC),
        ),
        rule(
            "from_pattern_no_letter",
            alphanumeric(|r| r.from = "12345".into()),
            "from",
            Rule::Pattern(ALPHANUMERIC),
        ),
        rule(
            "to_pattern",
            alphanumeric(|r| r.to = "+0447700900123".into()),
            "to",
            Rule::Pattern(TO_NUMBER),
        ),
        rule(
            "text_min_length",
            alphanumeric(|r| r.text = String::new()),
            "text",
            Rule::MinLength(1),
        ),
        rule(
            "messaging_profile_id_uuid",
            alphanumeric(|r| r.messaging_profile_id = "4000eba1a0c045639925b25e842a7cb6".into()),
            "messaging_profile_id",
            Rule::Format(Format::Uuid),
        ),
    ]);
    cases.extend(webhook_cases!(alphanumeric));

    // POST /messages/short_code
    cases.extend(vec![rule(
        "from_pattern",
        short_code(|r| r.from = "12".into()),
        "from",
        Rule::Pattern(TO_NUMBER),
    )]);
    cases.extend(to_and_text_cases!(short_code));
    cases.extend(webhook_cases!(short_code));
    cases.extend(media_cases!(short_code));
    cases.extend(sms_mms_cases!(short_code));

    // POST /messages/long_code
    cases.extend(vec![rule(
        "from_pattern",
        long_code(|r| r.from = "12345".into()),
        "from",
        Rule::Pattern(E164),
    )]);
    cases.extend(to_and_text_cases!(long_code));
    cases.extend(webhook_cases!(long_code));
    cases.extend(media_cases!(long_code));
    cases.extend(sms_mms_cases!(long_code));

    // POST /messages/number_pool
    cases.extend(vec![rule(
        "messaging_profile_id_uuid",
        number_pool(|r| r.messaging_profile_id = "profile-1".into()),
        "messaging_profile_id",
        Rule::Format(Format::Uuid),
    )]);
    cases.extend(to_and_text_cases!(number_pool));
    cases.extend(webhook_cases!(number_pool));
    cases.extend(media_cases!(number_pool));
    cases.extend(sms_mms_cases!(number_pool));

    // POST /messages/group_mms
    cases.extend(vec![
        rule(
            "from_pattern",
            group_mms(|r| r.from = "12345".into()),
            "from",
            Rule::Pattern(E164),
        ),
        rule(
            "to_max_items",
            group_mms(|r| r.to = recipients(9)),
            "to",
            Rule::MaxItems(8),
        ),
        rule(
            "to_item_pattern",
            group_mms(|r| r.to = vec!["+18655551234".into(), "abc".into()]),
            "to[1]",
            Rule::Pattern(TO_NUMBER),
        ),
        rule(
            "text_min_length",
            group_mms(|r| r.text = some("")),
            "text",
            Rule::MinLength(1),
        ),
    ]);
    cases.extend(webhook_cases!(group_mms));
    cases.extend(media_cases!(group_mms));
    cases
}

/// Where Prism's `sl-violations` locate a broken `field`: `media_urls[1]` is
/// `["request", "body", "media_urls", "1"]`.
fn violation_location(field: &str) -> Vec<String> {
    ["request", "body"]
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

/// The client refuses the request naming the field and the rule, sends nothing, and
/// Prism refuses the same body with 422 for that same field.
async fn broken_rule(ctx: Arc<Ctx>, case: RuleCase) {
    let RuleCase {
        request,
        field,
        rule,
        ..
    } = case;
    let body = request.json();
    let body_text = String::from_utf8_lossy(&body).into_owned();

    // The client refuses it without sending anything.
    let before = received(&ctx).await;
    let refused = match request.send(&ctx.client).await {
        Err(Error::Validation(error)) => error,
        Err(Error::Api(error)) => panic!(
            "the client sent a body that breaks `{field}` ({rule}) and Prism answered: {error}; \
             the client does not enforce this rule as the spec does\nbody: {body_text}"
        ),
        Err(other) => panic!("expected Error::Validation, got {other}\nbody: {body_text}"),
        Ok(message) => panic!(
            "the client sent a body that breaks `{field}` ({rule}) and Prism accepted it (message id {:?})\nbody: {body_text}",
            message.id
        ),
    };
    assert_eq!(
        (refused.field.as_str(), &refused.rule),
        (field, &rule),
        "the validation error names another field or rule ({refused})\nbody: {body_text}"
    );
    assert_eq!(request.validate(), Err(refused), "Validate::validate");
    assert_eq!(
        received(&ctx).await,
        before,
        "the client refused the request but Prism received it"
    );

    // Prism, enforcing the spec, refuses the same body for the same field.
    let response = post_raw(&ctx, request.path(), body, Some(API_KEY)).await;
    assert_eq!(
        response.status,
        422,
        "Prism accepted a body that the client refuses for `{field}` ({rule}): \
         the client is stricter than the spec\nPOST {} {body_text}\nanswer: {}",
        request.path(),
        response.text()
    );
    let violations = response
        .violations
        .as_deref()
        .unwrap_or_else(|| panic!("Prism's 422 has no sl-violations header\nbody: {body_text}"));
    let violations: serde_json::Value = serde_json::from_str(violations)
        .unwrap_or_else(|error| panic!("sl-violations is not JSON ({error}): {violations}"));
    let locations: Vec<&serde_json::Value> = violations
        .as_array()
        .map(|list| list.iter().map(|v| &v["location"]).collect())
        .unwrap_or_default();
    // A missing property is reported on the body itself (a conditional one also at the
    // properties its alternatives constrain, inside the body).
    let expected = match rule {
        Rule::RequiredAnyOf(_) => serde_json::json!(["request", "body"]),
        _ => serde_json::json!(violation_location(field)),
    };
    let within_body = |location: &serde_json::Value| {
        location.as_array().is_some_and(|parts| {
            parts.len() >= 2
                && parts[..2] == [serde_json::json!("request"), serde_json::json!("body")]
        })
    };
    let fits = |location: &serde_json::Value| match rule {
        Rule::RequiredAnyOf(_) => within_body(location),
        _ => *location == expected,
    };
    assert!(
        !locations.is_empty()
            && locations.iter().all(|location| fits(location))
            && locations.iter().any(|location| **location == expected),
        "Prism should refuse the body for `{field}` only ({expected}), it found: {violations}\nbody: {body_text}"
    );
    assert_error_example(&response);
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

/// Sends each value raw to Prism and checks the client's verdict against Prism's.
async fn format_agrees(
    ctx: Arc<Ctx>,
    field: &'static str,
    values: &'static [&'static str],
    expected: &'static [&'static str],
    build: impl Fn(&str) -> Request,
) {
    let mut disagreements = Vec::new();
    for value in values {
        let request = build(value);
        let client_accepts = match request.validate() {
            Ok(()) => true,
            Err(error) => {
                assert_eq!(error.field, field, "{value:?} broke another field: {error}");
                false
            }
        };
        let response = post_raw(&ctx, request.path(), request.json(), Some(API_KEY)).await;
        let prism_accepts = match response.status {
            200 => true,
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
        .filter(|d| {
            !expected
                .iter()
                .any(|value| d.contains(&format!("{value:?}")))
        })
        .collect();
    assert!(
        unexpected.is_empty() && disagreements.len() == expected.len(),
        "verdicts differ beyond the {} expected:\n{}",
        expected.len(),
        disagreements.join("\n")
    );
}

/// `generated/examples/send_sms.rs`, run as a user would: configured from the environment
/// by `Client::from_env`, pointed at Prism by `TELNYX_BASE_URL`.
async fn example_send_sms(ctx: Arc<Ctx>) {
    let example = example_binary("send_sms").await;
    let base_url = ctx.prism.base_url().to_owned();

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
        format!("message {EXAMPLE_ID} to +18665550001 is queued")
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
async fn example_schedule(ctx: Arc<Ctx>) {
    let example = example_binary("schedule").await;
    let base_url = ctx.prism.base_url().to_owned();
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
        Some(format!("scheduled {EXAMPLE_ID}").as_str())
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

/// The name of a rule's kind (`Pattern`, `MinItems`, ...), from its `Debug` form: the same
/// for the generator's model and the runtime's rule.
fn rule_kind(debug: &str) -> String {
    debug
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect()
}

/// Every rule of every request body in the spec, read through the generator's model, has
/// a case in [`rule_cases`]: a rule added to the spec without a case fails here.
fn every_rule_has_a_case() {
    let root = xtask::workspace_root();
    let spec = std::fs::read_to_string(root.join(xtask::DEFAULT_SPEC)).expect("spec");
    let api = codegen::parse::parse_with(&spec, &xtask::crate_settings()).expect("the spec parses");
    let cases = rule_cases();
    let covered = |operation: &str, field: &str, kind: &str| {
        cases.iter().any(|c| {
            c.request.operation() == operation
                && c.field.split('[').next() == Some(field)
                && rule_kind(&format!("{:?}", c.rule)) == kind
        })
    };
    let mut missing = Vec::new();
    let mut checked = 0;
    for op in &api.operations {
        let Some(body) = &op.body else { continue };
        let Some(codegen::model::TypeDef::Struct(s)) = api.type_def(&body.ty) else {
            continue;
        };
        for f in &s.fields {
            let mut rules: Vec<&codegen::model::Rule> = f.shape.rules.iter().collect();
            if let codegen::model::Ty::Array(item) = &f.shape.ty {
                rules.extend(&item.rules);
            }
            for rule in rules {
                let kind = rule_kind(&format!("{rule:?}"));
                checked += 1;
                if !covered(&op.method_name, &f.name, &kind) {
                    missing.push(format!("{} {}: {kind}", op.method_name, f.name));
                }
            }
        }
        for group in &s.required_any_of {
            checked += 1;
            let names: Vec<&String> = group
                .iter()
                .flat_map(|c| {
                    c.required
                        .iter()
                        .chain(c.constraints.iter().map(|(n, _)| n))
                })
                .collect();
            if !names
                .iter()
                .any(|n| covered(&op.method_name, n, "RequiredAnyOf"))
            {
                missing.push(format!("{} anyOf of {names:?}", op.method_name));
            }
        }
    }
    assert!(checked >= 60, "{checked} rules checked");
    assert!(
        missing.is_empty(),
        "rules without a case:\n{}",
        missing.join("\n")
    );
}

/// An enum value the spec does not list can only be sent on purpose (`Unknown`): one newer
/// than the crate may be valid. The client sends it, and the API (here Prism, which knows
/// only the spec's values) is the judge.
async fn unlisted_enum_value(ctx: Arc<Ctx>) {
    let before = received(&ctx).await;
    for request in [
        message(|r| r.type_ = Some(MessageType::Unknown("FAX".into()))),
        message(|r| r.encoding = Some(MessageEncoding::Unknown("utf8".into()))),
    ] {
        assert!(request.validate().is_ok(), "{request:?}");
        match request.send(&ctx.client).await {
            Err(Error::Api(error)) => assert_eq!(error.status, 422, "{error}"),
            other => panic!("Prism should refuse an unlisted value: {other:?}"),
        }
    }
    assert_eq!(received(&ctx).await, before + 2);
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

/// Builds an example of the generated crate (a no-op when it is up to date) and returns
/// the path of its binary.
async fn example_binary(name: &str) -> std::path::PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = tokio::process::Command::new(cargo)
        .args([
            "build",
            "--quiet",
            "-p",
            "telnyx-messaging",
            "--example",
            name,
            "--message-format=json",
        ])
        .output()
        .await
        .unwrap_or_else(|error| panic!("cannot build example {name}: {error}"));
    assert!(
        output.status.success(),
        "building example {name} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Cargo reports the binary it built (or found fresh) as a compiler-artifact message.
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| {
            message["reason"] == "compiler-artifact" && message["target"]["name"] == name
        })
        .find_map(|message| message["executable"].as_str().map(std::path::PathBuf::from))
        .unwrap_or_else(|| panic!("cargo did not report the binary of example {name}"))
}
