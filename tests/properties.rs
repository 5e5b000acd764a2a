//! Property tests: every response decoder and the spec loader answer arbitrary input with
//! a value or an error, never a panic.
//!
//! The decoders (`MessageResponse`, `Message` and `ErrorBody` through serde_json, and
//! `ApiError::from_response`) get arbitrary bytes, arbitrary JSON, and JSON shaped like
//! the API's answers: keys drawn from the real field names, so that decoding reaches the
//! nested types before it meets something wrong. Beyond not panicking, what decodes must
//! survive a round trip, a well-typed answer must always decode, unknown enum values
//! must come back unchanged, and an error answer must keep its status, bound its body
//! excerpt and print on one line.
//!
//! The spec loader (`codegen::generate`) gets arbitrary text, YAML-ish text assembled
//! from OpenAPI keywords, OpenAPI-shaped documents, and mutations of the real spec; a
//! refusal must say where and why, and never be an internal generator error.

use codegen::{ErrorKind, Settings};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::strategy::Union;
use proptest::test_runner::TestCaseError;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{Map, Value, json};
use telnyx_messaging::{
    DeliveryStatus, LineType, Message, MessageEncoding, MessageResponse, MessageType,
    error::{ApiError, ErrorBody},
};

/// Cases per decoder property: cheap to run, so many.
const DECODER_CASES: u32 = 256;
/// Cases per spec loader property: a spec that parses is also emitted and formatted.
const SPEC_CASES: u32 = 128;

/// The real spec, the starting point of the mutation property.
const SPEC: &str = include_str!("../spec/messaging.yaml");

/// Every field name of the response types: `MessageResponse`, `Message`,
/// `MessageSender`, `MessageRecipient`, `MessageMedia`, `MessageCost`,
/// `MessageCostBreakdown`, `ErrorBody`, `ErrorDetail` and `ErrorSource`.
const FIELDS: &[&str] = &[
    "data",
    "record_type",
    "direction",
    "id",
    "type",
    "messaging_profile_id",
    "organization_id",
    "from",
    "to",
    "cc",
    "text",
    "subject",
    "media",
    "webhook_url",
    "webhook_failover_url",
    "encoding",
    "parts",
    "num_chars",
    "tags",
    "cost",
    "cost_breakdown",
    "tcr_campaign_id",
    "tcr_campaign_billable",
    "tcr_campaign_registered",
    "received_at",
    "sent_at",
    "completed_at",
    "valid_until",
    "errors",
    "wait_seconds",
    "smart_encoding_applied",
    "phone_number",
    "carrier",
    "line_type",
    "status",
    "url",
    "content_type",
    "sha256",
    "size",
    "amount",
    "currency",
    "carrier_fee",
    "rate",
    "code",
    "title",
    "detail",
    "source",
    "meta",
    "pointer",
    "parameter",
];

/// No regression files: a failure prints its minimal input, which belongs in a named
/// test rather than in a file next to the sources.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------
// Strategies: JSON
// ---------------------------------------------------------------------------------------

/// Text as a decoder meets it: printable Unicode, control characters and the empty
/// string (control characters are what breaks one-line error messages).
fn text() -> BoxedStrategy<String> {
    prop_oneof![
        4 => any::<String>(),
        2 => vec(any::<char>(), 0..16).prop_map(String::from_iter),
        1 => Just(String::new()),
    ]
    .boxed()
}

/// JSON numbers over the whole range serde_json holds: the i64 and u64 extremes (where a
/// typed `i64` field must refuse rather than wrap) and finite floats, tiny and huge.
fn number() -> BoxedStrategy<Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        select(&[i64::MIN, i64::MIN + 1, -1, 0, 1, i64::MAX][..]).prop_map(Value::from),
        Just(Value::from(u64::MAX)),
        // Not finite: `Value::from` makes it null.
        any::<f64>().prop_map(Value::from),
        select(
            &[
                -0.0,
                5e-324,
                f64::MIN_POSITIVE,
                0.0051,
                1e21,
                f64::MAX,
                f64::MIN
            ][..]
        )
        .prop_map(Value::from),
    ]
    .boxed()
}

/// JSON scalars of every kind.
fn scalar() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        text().prop_map(Value::String),
    ]
    .boxed()
}

/// A JSON object from its entries (a later duplicate key wins).
fn object_of(entries: Vec<(String, Value)>) -> Value {
    Value::Object(entries.into_iter().collect())
}

/// Arbitrary JSON: scalars nested in arrays and objects with arbitrary keys.
fn any_json() -> BoxedStrategy<Value> {
    scalar()
        .prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                vec(inner.clone(), 0..6).prop_map(Value::Array),
                vec((text(), inner), 0..6).prop_map(object_of),
            ]
        })
        .boxed()
}

/// Objects keyed mostly by the response types' real field names, holding arbitrary
/// values and each other: past the outer layer, a decoder meets a wrong type or a
/// missing field deep inside instead of only unknown keys.
fn shaped_json() -> BoxedStrategy<Value> {
    let key = prop_oneof![
        9 => select(FIELDS).prop_map(str::to_owned),
        1 => text(),
    ]
    .boxed();
    any_json()
        .prop_recursive(4, 64, 8, move |inner| {
            prop_oneof![
                3 => vec((key.clone(), inner.clone()), 0..8).prop_map(object_of),
                1 => vec(inner, 0..4).prop_map(Value::Array),
            ]
        })
        .boxed()
}

/// One field of an object: `None` when absent, otherwise its key and value.
type FieldStrategy = BoxedStrategy<Option<(&'static str, Value)>>;

/// An optional field: absent, `null`, a value of its documented type, or, about once in
/// fifty fields per unit of `noise`, anything at all: rare enough that a noisy message of
/// thirty fields still decodes often, so the round trip gets checked. With no noise the
/// type accepts every value.
fn optional(name: &'static str, typed: BoxedStrategy<Value>, noise: u32) -> FieldStrategy {
    let mut arms = vec![
        (30, Just(None).boxed()),
        (10, Just(Some((name, Value::Null))).boxed()),
        (60, typed.prop_map(move |v| Some((name, v))).boxed()),
    ];
    if noise > 0 {
        arms.push((noise, any_json().prop_map(move |v| Some((name, v))).boxed()));
        arms.push((
            noise,
            shaped_json().prop_map(move |v| Some((name, v))).boxed(),
        ));
    }
    Union::new_weighted(arms).boxed()
}

/// A required field: always there with its documented type, unless `noise` removes it
/// or replaces it with anything at all.
fn required(name: &'static str, typed: BoxedStrategy<Value>, noise: u32) -> FieldStrategy {
    let mut arms = vec![(100, typed.prop_map(move |v| Some((name, v))).boxed())];
    if noise > 0 {
        arms.push((noise, Just(None).boxed()));
        arms.push((noise, any_json().prop_map(move |v| Some((name, v))).boxed()));
    }
    Union::new_weighted(arms).boxed()
}

/// An object with the given fields plus a few unknown keys, which decoders must ignore.
fn object(fields: Vec<FieldStrategy>, noise: u32) -> BoxedStrategy<Value> {
    (fields, vec((text(), any_json()), 0..2 + noise as usize))
        .prop_map(|(fields, unknown)| {
            let mut map = Map::new();
            for (key, value) in unknown {
                if !FIELDS.contains(&key.as_str()) {
                    map.insert(key, value);
                }
            }
            for (key, value) in fields.into_iter().flatten() {
                map.insert(key.to_owned(), value);
            }
            Value::Object(map)
        })
        .boxed()
}

/// A JSON array of up to three items.
fn array(item: BoxedStrategy<Value>) -> BoxedStrategy<Value> {
    vec(item, 0..4).prop_map(Value::Array).boxed()
}

/// A JSON string.
fn string() -> BoxedStrategy<Value> {
    text().prop_map(Value::String).boxed()
}

/// A JSON integer that fits an `i64`.
fn integer() -> BoxedStrategy<Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        select(&[i64::MIN, -1, 0, 1, i64::MAX][..]).prop_map(Value::from),
    ]
    .boxed()
}

/// Strings for an enum-like field: every listed value, near misses of them (case,
/// padding, a trailing NUL) that must not be taken for them, and arbitrary text.
fn enum_text(values: &'static [&'static str]) -> BoxedStrategy<String> {
    prop_oneof![
        2 => select(values).prop_map(str::to_owned),
        2 => (select(values), 0..5u8).prop_map(|(value, how)| match how {
            0 => value.to_uppercase(),
            1 => value.to_lowercase(),
            2 => format!(" {value}"),
            3 => format!("{value} "),
            _ => format!("{value}\0"),
        }),
        3 => text(),
    ]
    .boxed()
}

/// An enum-like JSON string (see [`enum_text`]).
fn enum_value(values: &'static [&'static str]) -> BoxedStrategy<Value> {
    enum_text(values).prop_map(Value::String).boxed()
}

/// A `MessageCost`: the amount as a string or a number (`StringOrNumber`).
fn cost(noise: u32) -> BoxedStrategy<Value> {
    let amount = prop_oneof![string(), number()].boxed();
    object(
        vec![
            optional("amount", amount, noise),
            optional("currency", string(), noise),
        ],
        noise,
    )
}

/// An `ErrorDetail`, with `code` and `title` required.
fn error_detail(noise: u32) -> BoxedStrategy<Value> {
    let source = object(
        vec![
            optional("pointer", string(), noise),
            optional("parameter", string(), noise),
        ],
        noise,
    );
    let meta = vec((text(), any_json()), 0..4).prop_map(object_of).boxed();
    object(
        vec![
            required("code", string(), noise),
            required("title", string(), noise),
            optional("detail", string(), noise),
            optional("source", source, noise),
            optional("meta", meta, noise),
        ],
        noise,
    )
}

/// A list of `ErrorDetail`s, the `errors` of an error answer or a message.
fn error_list(noise: u32) -> BoxedStrategy<Value> {
    array(error_detail(noise))
}

/// A `Message` as the API sends it: every field absent, null or of its documented type,
/// and with `noise > 0` now and then anything at all. With no noise it must decode.
fn message_json(noise: u32) -> BoxedStrategy<Value> {
    let n = noise;
    let line_type = || enum_value(LineType::VALUES);
    let sender = object(
        vec![
            optional("phone_number", string(), n),
            optional("carrier", string(), n),
            optional("line_type", line_type(), n),
        ],
        n,
    );
    let recipient = || {
        object(
            vec![
                optional("phone_number", string(), n),
                optional("status", enum_value(DeliveryStatus::VALUES), n),
                optional("carrier", string(), n),
                optional("line_type", line_type(), n),
            ],
            n,
        )
    };
    let media = object(
        vec![
            optional("url", string(), n),
            optional("content_type", string(), n),
            optional("sha256", string(), n),
            optional("size", integer(), n),
        ],
        n,
    );
    let breakdown = object(
        vec![
            optional("carrier_fee", cost(n), n),
            optional("rate", cost(n), n),
        ],
        n,
    );
    let boolean = || any::<bool>().prop_map(Value::Bool).boxed();
    object(
        vec![
            optional("record_type", enum_value(&["message"]), n),
            optional("direction", enum_value(&["outbound", "inbound"]), n),
            optional("id", string(), n),
            optional("type", enum_value(MessageType::VALUES), n),
            optional("messaging_profile_id", string(), n),
            optional("organization_id", string(), n),
            optional("from", sender, n),
            optional("to", array(recipient()), n),
            optional("cc", array(recipient()), n),
            optional("text", string(), n),
            optional("subject", string(), n),
            optional("media", array(media), n),
            optional("webhook_url", string(), n),
            optional("webhook_failover_url", string(), n),
            optional("encoding", enum_value(MessageEncoding::VALUES), n),
            optional("parts", integer(), n),
            optional("num_chars", integer(), n),
            optional("tags", array(string()), n),
            optional("cost", cost(n), n),
            optional("cost_breakdown", breakdown, n),
            optional("tcr_campaign_id", string(), n),
            optional("tcr_campaign_billable", boolean(), n),
            optional("tcr_campaign_registered", string(), n),
            optional("received_at", string(), n),
            optional("sent_at", string(), n),
            optional("completed_at", string(), n),
            optional("valid_until", string(), n),
            optional("errors", error_list(n), n),
            optional("wait_seconds", number(), n),
            optional("smart_encoding_applied", boolean(), n),
        ],
        n,
    )
}

/// Documents shaped like the API's answers, bare and wrapped as `{"data": ...}` and
/// `{"errors": [...]}`: typed messages with noise, error lists, and shaped objects.
fn api_document() -> BoxedStrategy<Value> {
    prop_oneof![
        message_json(1),
        message_json(1).prop_map(|m| json!({ "data": m })),
        shaped_json(),
        shaped_json().prop_map(|v| json!({ "data": v })),
        vec(shaped_json(), 0..4).prop_map(|v| json!({ "errors": v })),
        error_list(1).prop_map(|e| json!({ "errors": e })),
        (message_json(1), error_list(1)).prop_map(|(m, e)| json!({ "data": m, "errors": e })),
    ]
    .boxed()
}

// ---------------------------------------------------------------------------------------
// Strategies: bytes and headers
// ---------------------------------------------------------------------------------------

/// Nesting far past serde_json's recursion limit (and well under it), bare or inside an
/// error's `meta`, open or closed: deep input must be an error, not a stack overflow.
fn nested_bytes() -> BoxedStrategy<Vec<u8>> {
    let frames = &[
        ("", ""),
        (r#"{"errors":[{"code":"c","title":"t","meta":"#, "}]}"),
        (
            r#"{"data":{"errors":[{"code":"c","title":"t","meta":"#,
            "}]}}",
        ),
    ][..];
    (select(frames), 1usize..400, any::<bool>())
        .prop_map(|((open, close_frame), depth, close)| {
            let mut text = open.to_owned();
            text.push_str(&r#"{"a":["#.repeat(depth));
            text.push('1');
            if close {
                text.push_str(&"]}".repeat(depth));
                text.push_str(close_frame);
            }
            text.into_bytes()
        })
        .boxed()
}

/// Arbitrary bytes, plus what random bytes seldom are: deep nesting, an API-shaped
/// document cut short, and long multi-byte text (to cut excerpts mid-character).
fn any_bytes() -> BoxedStrategy<Vec<u8>> {
    prop_oneof![
        6 => vec(any::<u8>(), 0..2048),
        1 => nested_bytes(),
        1 => (api_document(), any::<Index>()).prop_map(|(document, cut)| {
            let mut bytes = serde_json::to_vec(&document).expect("JSON values serialize");
            bytes.truncate(cut.index(bytes.len() + 1));
            bytes
        }),
        1 => (text(), 1usize..200).prop_map(|(text, times)| text.repeat(times).into_bytes()),
    ]
    .boxed()
}

/// Header values for `x-request-id`, `retry-after` and `retry-after-ms`: visible ASCII,
/// numbers of every sign and size, HTTP dates with fields out of range, and text that is
/// no header value at all (skipped when the map is built).
fn header_value() -> BoxedStrategy<String> {
    let months = &[
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Foo",
    ][..];
    let date = (
        select(months),
        0u32..100,
        0u32..100_000,
        0u32..100,
        0u32..100,
        0u32..100,
        0u8..3,
    )
        .prop_map(|(month, day, year, h, m, s, form)| match form {
            0 => format!("Sun, {day:02} {month} {year} {h:02}:{m:02}:{s:02} GMT"),
            1 => format!("Sunday, {day:02}-{month}-{year} {h:02}:{m:02}:{s:02} GMT"),
            _ => format!("Sun {month} {day:>2} {h:02}:{m:02}:{s:02} {year}"),
        });
    let numeric = prop_oneof![
        any::<u64>().prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|n| n.to_string()),
        select(
            &[
                "",
                " 0 ",
                "-0",
                "-0.0",
                "-1e-400",
                "1e400",
                "NaN",
                "inf",
                "-inf",
                "1e3",
                "0x10",
                "+5",
                "1.5",
                "18446744073709551616",
                "9e18",
                "1e9",
            ][..]
        )
        .prop_map(str::to_owned),
    ];
    prop_oneof![
        3 => "[\t -~]{0,40}",
        3 => numeric,
        2 => date,
        1 => text(),
    ]
    .boxed()
}

/// Response headers: each of `x-request-id`, `retry-after` and `retry-after-ms` absent,
/// once or twice, and sometimes a content type.
fn headers() -> BoxedStrategy<HeaderMap> {
    let values = || vec(header_value(), 0..3);
    let content_type = proptest::option::of(select(
        &["application/json", "text/html; charset=utf-8", "text/plain"][..],
    ));
    (values(), values(), values(), content_type)
        .prop_map(|(ids, retry, retry_ms, content_type)| {
            let mut map = HeaderMap::new();
            for (name, values) in [
                ("x-request-id", ids),
                ("retry-after", retry),
                ("retry-after-ms", retry_ms),
            ] {
                for value in values {
                    if let Ok(value) = HeaderValue::from_str(&value) {
                        map.append(name, value);
                    }
                }
            }
            if let Some(content_type) = content_type {
                map.insert("content-type", HeaderValue::from_static(content_type));
            }
            map
        })
        .boxed()
}

/// Error answer bodies: arbitrary bytes, arbitrary JSON, and the API's error shape with
/// control characters in every text the error message shows.
fn error_body() -> BoxedStrategy<Vec<u8>> {
    let json = prop_oneof![
        any_json(),
        api_document(),
        error_list(0).prop_map(|e| json!({ "errors": e })),
    ]
    .prop_map(|value| serde_json::to_vec(&value).expect("JSON values serialize"));
    prop_oneof![any_bytes(), json].boxed()
}

// ---------------------------------------------------------------------------------------
// Strategies: spec text
// ---------------------------------------------------------------------------------------

/// Keys that steer the spec loader somewhere: OpenAPI document and schema keywords, and
/// names the generator must turn into Rust identifiers.
const YAML_KEYS: &[&str] = &[
    "openapi",
    "info",
    "title",
    "version",
    "servers",
    "url",
    "variables",
    "paths",
    "/messages",
    "post",
    "get",
    "operationId",
    "requestBody",
    "content",
    "application/json",
    "schema",
    "responses",
    "'200'",
    "200",
    "default",
    "description",
    "components",
    "schemas",
    "requestBodies",
    "securitySchemes",
    "$ref",
    "type",
    "properties",
    "required",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "enum",
    "format",
    "pattern",
    "nullable",
    "items",
    "maxItems",
    "minItems",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "additionalProperties",
    "x-extra",
    "Message",
    "Problems",
    "Problem",
    "code",
    "errors",
    "self",
    "type_",
];

/// Values for [`YAML_KEYS`], and YAML syntax that is easy to get wrong: anchors,
/// aliases, tags, block scalars, unterminated quotes, flow collections.
const YAML_VALUES: &[&str] = &[
    "3.0.3",
    "3.0.0",
    "3.1.0",
    "object",
    "string",
    "integer",
    "number",
    "boolean",
    "array",
    "true",
    "false",
    "null",
    "~",
    "0",
    "-1",
    "1e309",
    "'#/components/schemas/Message'",
    "'#/components/schemas/Problems'",
    "'#/components/schemas/Problem'",
    "\"#/components/responses/X\"",
    "'#/nowhere'",
    "'#'",
    "[]",
    "{}",
    "[a, b]",
    "{a: 1}",
    "[code, title]",
    "date-time",
    "uri",
    "email",
    "'^\\+[1-9]\\d{1,14}$'",
    "'('",
    "'[z-a]'",
    "|",
    ">-",
    "&anchor",
    "*anchor",
    "&a [*a]",
    "!!binary",
    "!!int x",
    "!tag",
    "\"unterminated",
    "'",
    "\"\\u12\"",
    "- x",
    ": :",
    "? complex",
    "https://api.example.com/v2",
    "",
];

/// One line of YAML-ish text: random indentation, then a key and value, a list item, or
/// a stray fragment.
fn yaml_line() -> BoxedStrategy<String> {
    let indent = prop_oneof![
        6 => (0usize..12).prop_map(|n| " ".repeat(n)),
        1 => Just("\t".to_owned()),
    ];
    let value = prop_oneof![
        4 => select(YAML_VALUES).prop_map(str::to_owned),
        1 => text(),
    ];
    let separator = select(&[": ", ":", " : ", ":  ", " "][..]);
    (indent, select(YAML_KEYS), separator, value, 0u8..6)
        .prop_map(|(indent, key, separator, value, shape)| match shape {
            0 | 1 => format!("{indent}{key}:"),
            2 => format!("{indent}{key}{separator}{value}"),
            3 => format!("{indent}- {key}{separator}{value}"),
            4 => format!("{indent}- {value}"),
            _ => format!("{indent}{value}"),
        })
        .boxed()
}

/// YAML-ish documents: lines of [`yaml_line`], often after a valid opening so that the
/// loader gets past the version check into the document's structure.
fn yaml_ish() -> BoxedStrategy<String> {
    let openings = &[
        "",
        "openapi: 3.0.3\n",
        "openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\nservers:\n  - url: https://x\npaths:\n",
        "openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\nservers:\n  - url: https://x\npaths: {}\ncomponents:\n  schemas:\n",
    ][..];
    (
        select(openings),
        vec(yaml_line(), 0..40),
        select(&["\n", "\r\n"][..]),
    )
        .prop_map(|(opening, lines, newline)| format!("{opening}{}", lines.join(newline)))
        .boxed()
}

/// Names for component schemas and `$ref`s: good ones, so that references resolve (two
/// of them collide once converted)...
const SCHEMA_NAMES: &[&str] = &[
    "Message",
    "Item",
    "item",
    "Recipient",
    "Problems",
    "Problem",
];

/// ...and ones that make poor Rust identifiers.
const BAD_SCHEMA_NAMES: &[&str] = &["Self", "type", "A-B", "1st", "", "Option"];

/// Property names that make good Rust identifiers (`type` and `from` once escaped)...
const PROPERTY_NAMES: &[&str] = &[
    "id",
    "type",
    "from",
    "to",
    "text",
    "code",
    "title",
    "errors",
    "media_urls",
    "sendAt",
];

/// ...and ones that do not, or that collide once converted.
const BAD_PROPERTY_NAMES: &[&str] = &[
    "self", "Self", "r#type", "", "1st", "a-b", "a_b", "aB", "_", "__", "match",
];

/// Enum values that make good variant names.
const ENUM_VALUES: &[&str] = &[
    "SMS",
    "MMS",
    "auto",
    "gsm7",
    "queued",
    "delivered",
    "Pre-Paid Wireless",
    "VoIP",
];

/// Text without control characters: JSON made of it is YAML too, so the documents built
/// from it get past the YAML parser to the OpenAPI layer.
fn printable() -> BoxedStrategy<String> {
    any::<String>().boxed()
}

/// Picks from `good`, or now and then (only when not `clean`) from `bad`.
fn good_or_bad(
    good: &'static [&'static str],
    bad: &'static [&'static str],
    clean: bool,
) -> BoxedStrategy<&'static str> {
    if clean {
        select(good).boxed()
    } else {
        prop_oneof![12 => select(good), 1 => select(bad)].boxed()
    }
}

/// A name of good or bad text, as [`good_or_bad`], plus arbitrary text when not `clean`.
fn name_of(
    good: &'static [&'static str],
    bad: &'static [&'static str],
    clean: bool,
) -> BoxedStrategy<String> {
    let picked = good_or_bad(good, bad, clean).prop_map(str::to_owned);
    if clean {
        picked.boxed()
    } else {
        prop_oneof![12 => picked, 1 => printable()].boxed()
    }
}

/// A length or count bound: small and valid, and when not `clean` now and then any number.
fn bound(clean: bool) -> BoxedStrategy<Value> {
    let small = (0u64..20).prop_map(Value::from);
    if clean {
        small.boxed()
    } else {
        prop_oneof![8 => small, 1 => number()].boxed()
    }
}

/// `Some` value with probability `p` when `enabled`, otherwise always `None`.
fn sometimes<S>(enabled: bool, p: f64, strategy: S) -> BoxedStrategy<Option<S::Value>>
where
    S: Strategy + 'static,
    S::Value: Clone,
{
    if enabled {
        proptest::option::weighted(p, strategy).boxed()
    } else {
        Just(None).boxed()
    }
}

/// The error schemas, which every clean document has.
const ERROR_SCHEMA_NAMES: &[&str] = &["Problems", "Problem", "ProblemSource"];

/// A `$ref` to a component schema: when `clean`, to one of the error schemas every clean
/// document has; otherwise to names that may be missing or unusable.
fn reference(clean: bool) -> BoxedStrategy<Value> {
    let name = if clean {
        select(ERROR_SCHEMA_NAMES).boxed()
    } else {
        good_or_bad(SCHEMA_NAMES, BAD_SCHEMA_NAMES, false)
    };
    name.prop_map(|n| json!({ "$ref": format!("#/components/schemas/{n}") }))
        .boxed()
}

/// Sets `key` of the object `schema` when there is a value.
fn set(schema: &mut Value, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        schema[key] = value;
    }
}

/// A schema without subschemas: a bare type, a `$ref`, a string with a format, pattern
/// and length bounds, an enum with or without a default, a bounded number. When not
/// `clean`, also unknown types and formats, patterns that do not compile, enums of the
/// wrong type and empty schemas.
fn leaf_schema(clean: bool) -> BoxedStrategy<Value> {
    let (types, formats, patterns): (&'static [&'static str], &'static [&'static str], _) = if clean
    {
        (
            &["string", "integer", "number", "boolean"][..],
            &["date-time", "date", "uuid", "uri"][..],
            &["^\\+[1-9]\\d{1,14}$", "^[A-Za-z0-9 ]{1,11}$", "^$", ""][..],
        )
    } else {
        (
            &[
                "string", "integer", "number", "boolean", "object", "array", "null", "str",
            ][..],
            &[
                "date-time",
                "uri",
                "email",
                "int32",
                "float",
                "byte",
                "e164",
                "",
            ][..],
            &[
                "^\\+[1-9]\\d{1,14}$",
                "(",
                "[z-a]",
                "a{2,1}",
                "\\p{Nope}",
                "(?<n>a)",
            ][..],
        )
    };
    let reference = reference(clean);
    let string = (
        proptest::option::of(select(formats)),
        proptest::option::of(select(patterns)),
        proptest::option::of(bound(clean)),
        proptest::option::of(bound(clean)),
        any::<bool>(),
    )
        .prop_map(|(format, pattern, min, max, nullable)| {
            let mut s = json!({ "type": "string", "nullable": nullable });
            set(&mut s, "format", format.map(Value::from));
            set(&mut s, "pattern", pattern.map(Value::from));
            set(&mut s, "minLength", min);
            set(&mut s, "maxLength", max);
            s
        });
    let values = if clean {
        proptest::sample::subsequence(ENUM_VALUES, 1..5)
            .prop_map(|values| values.into_iter().map(str::to_owned).collect())
            .boxed()
    } else {
        vec(name_of(ENUM_VALUES, BAD_PROPERTY_NAMES, false), 1..5).boxed()
    };
    let enumeration = (values, proptest::option::of(any::<Index>()), any::<bool>()).prop_map(
        |(values, default, nullable)| {
            let mut s = json!({ "type": "string", "enum": values, "nullable": nullable });
            set(
                &mut s,
                "default",
                default.map(|i| json!(values[i.index(values.len())])),
            );
            s
        },
    );
    let numeric = prop_oneof![
        (proptest::option::of(any::<i32>()), proptest::option::of(any::<i32>()))
            .prop_map(|(min, max)| json!({ "type": "integer", "format": "int64", "minimum": min, "maximum": max })),
        (proptest::option::of(any::<i32>()), proptest::option::of(-1e9..1e9f64))
            .prop_map(|(min, max)| json!({ "type": "number", "minimum": min, "maximum": max })),
    ];
    let clean_leaf = prop_oneof![
        3 => select(types).prop_map(|t| json!({ "type": t })),
        2 => reference,
        3 => string,
        2 => enumeration,
        1 => numeric,
    ];
    if clean {
        return clean_leaf.boxed();
    }
    let wrong_enum = (
        select(types),
        vec(scalar(), 0..4),
        proptest::option::of(scalar()),
    )
        .prop_map(|(t, values, default)| {
            let mut s = json!({ "type": t, "enum": values });
            set(&mut s, "default", default);
            s
        });
    prop_oneof![
        8 => clean_leaf,
        1 => wrong_enum,
        1 => Just(json!({})),
        1 => printable().prop_map(|r| json!({ "$ref": r })),
    ]
    .boxed()
}

/// Schemas built from OpenAPI 3.0 schema keywords, nested through `properties`, `items`
/// and `allOf`. When not `clean`, also `anyOf`, `oneOf`, `not`, `additionalProperties`,
/// required properties that do not exist, and keyword soup: keywords the generator
/// refuses, or with values of the wrong type.
fn schema(clean: bool) -> BoxedStrategy<Value> {
    let keyword = select(
        &[
            "$ref",
            "type",
            "format",
            "enum",
            "default",
            "nullable",
            "pattern",
            "minLength",
            "maxItems",
            "properties",
            "required",
            "items",
            "allOf",
            "anyOf",
            "oneOf",
            "not",
            "additionalProperties",
            "readOnly",
            "discriminator",
            "uniqueItems",
            "x-extra",
            "const",
        ][..],
    );
    let property = name_of(PROPERTY_NAMES, BAD_PROPERTY_NAMES, clean);
    let reference = reference(clean);
    leaf_schema(clean)
        .prop_recursive(3, 32, 5, move |inner| {
            let additional = prop_oneof![any::<bool>().prop_map(Value::Bool), inner.clone()];
            let object = (
                vec((property.clone(), inner.clone()), 0..5),
                vec(any::<Index>(), 0..3),
                sometimes(!clean, 0.1, select(BAD_PROPERTY_NAMES)),
                any::<bool>(),
                sometimes(!clean, 0.2, additional),
            )
                .prop_map(|(properties, picks, stray, nullable, additional)| {
                    let mut required: Vec<String> = picks
                        .iter()
                        .filter(|_| !properties.is_empty())
                        .map(|i| properties[i.index(properties.len())].0.clone())
                        .collect();
                    required.extend(stray.map(str::to_owned));
                    let mut s = json!({
                        "type": "object",
                        "properties": object_of(properties),
                        "required": required,
                        "nullable": nullable,
                    });
                    set(&mut s, "additionalProperties", additional);
                    s
                });
            let array = (
                inner.clone(),
                proptest::option::of(bound(clean)),
                proptest::option::of(bound(clean)),
            )
                .prop_map(move |(mut items, min, max)| {
                    if clean {
                        // Neither nullable items nor arrays of arrays are supported.
                        if let Some(items) = items.as_object_mut() {
                            items.remove("nullable");
                        }
                        if items["type"] == "array" {
                            items = json!({ "type": "string" });
                        }
                    }
                    let mut s = json!({ "type": "array", "items": items });
                    set(&mut s, "minItems", min);
                    set(&mut s, "maxItems", max);
                    s
                });
            let described = (reference.clone(), any::<bool>(), printable())
                .prop_map(|(only, nullable, description)| {
                    json!({ "allOf": [only], "nullable": nullable, "description": description })
                });
            if clean {
                return prop_oneof![4 => object, 1 => array, 1 => described].boxed();
            }
            let composition = (
                select(&["allOf", "anyOf", "oneOf", "not"][..]),
                vec(inner.clone(), 0..3),
            )
                .prop_map(|(keyword, members)| match keyword {
                    "not" => json!({ "not": members.into_iter().next().unwrap_or(Value::Null) }),
                    _ => json!({ keyword: members }),
                });
            let soup =
                vec((keyword.clone(), prop_oneof![inner, scalar()]), 0..4).prop_map(|entries| {
                    object_of(
                        entries
                            .into_iter()
                            .map(|(k, v)| (k.to_owned(), v))
                            .collect(),
                    )
                });
            prop_oneof![
                8 => object,
                2 => array,
                1 => described,
                2 => composition,
                1 => soup,
            ]
            .boxed()
        })
        .boxed()
}

/// Error schemas in the API's shape, under names of their own (the runtime's `ErrorBody`
/// and `ErrorDetail` are reserved): every clean document has them, so `$ref`s resolve.
fn error_schemas() -> Map<String, Value> {
    let schemas = json!({
        "Problems": {
            "type": "object",
            "properties": {
                "errors": { "type": "array", "items": { "$ref": "#/components/schemas/Problem" } }
            }
        },
        "Problem": {
            "type": "object",
            "required": ["code", "title"],
            "properties": {
                "code": { "type": "string" },
                "title": { "type": "string" },
                "detail": { "type": "string" },
                "source": { "$ref": "#/components/schemas/ProblemSource" }
            }
        },
        "ProblemSource": {
            "type": "object",
            "properties": { "pointer": { "type": "string" }, "parameter": { "type": "string" } }
        }
    });
    match schemas {
        Value::Object(schemas) => schemas,
        _ => unreachable!("a JSON object literal"),
    }
}

/// Paths and operation ids of documents that are valid around their schemas.
const OPERATIONS: &[(&str, &str)] = &[
    ("/messages", "SendMessage"),
    ("/messages/short_code", "SendShortCodeMessage"),
    ("/messages/group_mms", "SendGroupMmsMessage"),
    (
        "/messages/alphanumeric_sender_id",
        "SendAlphanumericSenderIdMessage",
    ),
];

/// An operation: an optional JSON request body and one answer, each with a schema.
fn operation(
    id: BoxedStrategy<Option<String>>,
    status: BoxedStrategy<&'static str>,
    clean: bool,
) -> BoxedStrategy<Value> {
    // A clean body is an object with properties, as the generator requires.
    let body = move || {
        let schema = schema(clean);
        if clean {
            schema
                .prop_map(|data| json!({ "type": "object", "properties": { "data": data } }))
                .boxed()
        } else {
            schema
        }
    };
    (
        id,
        proptest::option::of(body()),
        status,
        if clean {
            body().prop_map(Some).boxed()
        } else {
            proptest::option::of(body()).boxed()
        },
    )
        .prop_map(|(id, request, status, response)| {
            let mut operation = json!({ "responses": {} });
            set(&mut operation, "operationId", id.map(Value::from));
            if let Some(request) = request {
                operation["requestBody"] = json!({
                    "required": true,
                    "content": { "application/json": { "schema": request } }
                });
            }
            let mut answer = json!({ "description": "answer" });
            if let Some(response) = response {
                answer["content"] = json!({ "application/json": { "schema": response } });
            }
            operation["responses"][status] = answer;
            operation
        })
        .boxed()
}

/// OpenAPI-shaped documents (as JSON, which is YAML too) whose operations and component
/// schemas come from [`schema`]. Clean documents are valid around their schemas
/// (version, server, distinct operations, the error schemas) and often generate code;
/// the others also get a wrong version, no or a templated server, missing, clashing or
/// unusable operation ids, templated paths and the error schemas missing.
fn openapi_document(clean: bool) -> BoxedStrategy<Value> {
    let paths = if clean {
        proptest::sample::subsequence(OPERATIONS, 0..=OPERATIONS.len())
            .prop_flat_map(|chosen| {
                chosen
                    .into_iter()
                    .map(|(path, id)| {
                        let id = Just(Some(id.to_owned())).boxed();
                        operation(id, Just("200").boxed(), true)
                            .prop_map(move |op| (path.to_owned(), "post", op))
                    })
                    .collect::<Vec<_>>()
            })
            .boxed()
    } else {
        let id = proptest::option::weighted(
            0.9,
            name_of(
                &["SendMessage", "sendMessage", "send_message"],
                &["", "1st", "Self", "type"],
                false,
            ),
        )
        .boxed();
        let status = prop_oneof![
            4 => Just("200"),
            1 => select(&["201", "204", "2XX", "default", "404", "abc"][..]),
        ]
        .boxed();
        vec(
            (
                select(&["/messages", "/messages/{id}", "/", "messages"][..])
                    .prop_map(str::to_owned),
                select(&["post", "get", "put", "delete", "trace"][..]),
                operation(id, status, false),
            ),
            0..3,
        )
        .boxed()
    };
    let server = if clean {
        Just(json!([{ "url": "https://api.example.com/v2/" }])).boxed()
    } else {
        prop_oneof![
            8 => Just(json!([{ "url": "https://api.example.com/v2/" }])),
            1 => Just(json!([])),
            1 => printable().prop_map(|url| json!([{ "url": url }])),
            1 => Just(
                json!([{ "url": "https://{host}/v2", "variables": { "host": { "default": "x" } } }])
            ),
        ]
        .boxed()
    };
    let version = if clean {
        Just("3.0.3".to_owned()).boxed()
    } else {
        prop_oneof![
            8 => Just("3.0.3".to_owned()),
            1 => Just("3.1.0".to_owned()),
            1 => printable(),
        ]
        .boxed()
    };
    (
        version,
        printable(),
        server,
        paths,
        vec(
            (
                if clean {
                    select(&["Message", "Recipient", "Payload"][..]).boxed()
                } else {
                    good_or_bad(SCHEMA_NAMES, BAD_SCHEMA_NAMES, false)
                },
                schema(clean),
            ),
            0..4,
        ),
        if clean {
            Just(true).boxed()
        } else {
            any::<bool>().boxed()
        },
    )
        .prop_map(|(version, title, servers, paths, schemas, with_errors)| {
            let mut path_items = Map::new();
            for (path, method, operation) in paths {
                let item = path_items.entry(path).or_insert_with(|| json!({}));
                item[method] = operation;
            }
            let mut components: Map<String, Value> = schemas
                .into_iter()
                .map(|(name, schema)| (name.to_owned(), schema))
                .collect();
            if with_errors {
                components.extend(error_schemas());
            }
            json!({
                "openapi": version,
                "info": { "title": title, "version": "1" },
                "servers": servers,
                "paths": path_items,
                "components": { "schemas": components },
            })
        })
        .boxed()
}

/// The largest char boundary of `text` at or before `at`.
fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// One edit of a spec's text.
#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(Index),
    DuplicateLine(Index),
    Replace(Index, usize, String),
    Truncate(Index),
}

impl Mutation {
    fn apply(&self, spec: &str) -> String {
        let lines: Vec<&str> = spec.split_inclusive('\n').collect();
        match self {
            Mutation::DeleteLine(_) | Mutation::DuplicateLine(_) if lines.is_empty() => {
                spec.to_owned()
            }
            Mutation::DeleteLine(line) => {
                let at = line.index(lines.len());
                lines[..at].concat() + &lines[at + 1..].concat()
            }
            Mutation::DuplicateLine(line) => {
                let at = line.index(lines.len());
                lines[..=at].concat() + &lines[at..].concat()
            }
            Mutation::Replace(start, len, with) => {
                let start = floor_boundary(spec, start.index(spec.len() + 1));
                let end = floor_boundary(spec, start + len);
                format!("{}{with}{}", &spec[..start], &spec[end..])
            }
            Mutation::Truncate(at) => {
                spec[..floor_boundary(spec, at.index(spec.len() + 1))].to_owned()
            }
        }
    }
}

/// The real spec after one to three edits: a line deleted or duplicated, a byte range
/// replaced by arbitrary text or YAML fragments, the text cut short.
fn mutated_spec() -> BoxedStrategy<String> {
    let replacement = prop_oneof![
        text(),
        select(YAML_VALUES).prop_map(str::to_owned),
        yaml_line(),
    ];
    let mutation = prop_oneof![
        3 => any::<Index>().prop_map(Mutation::DeleteLine),
        2 => any::<Index>().prop_map(Mutation::DuplicateLine),
        4 => (any::<Index>(), 0usize..64, replacement)
            .prop_map(|(at, len, with)| Mutation::Replace(at, len, with)),
        1 => any::<Index>().prop_map(Mutation::Truncate),
    ];
    vec(mutation, 1..4)
        .prop_map(|mutations| {
            mutations
                .iter()
                .fold(SPEC.to_owned(), |spec, mutation| mutation.apply(&spec))
        })
        .boxed()
}

// ---------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------

/// Decodes `$bytes` as `$ty`: an error must say something; a value must survive a round
/// trip through `serde_json::Value` unchanged. Evaluates to the decoded value, if any.
macro_rules! decode {
    ($ty:ty, $bytes:expr) => {
        match serde_json::from_slice::<$ty>($bytes) {
            Ok(decoded) => {
                let value = serde_json::to_value(&decoded).map_err(|e| {
                    TestCaseError::fail(format!(
                        "decoded {} does not serialize: {e}",
                        stringify!($ty)
                    ))
                })?;
                let again = serde_json::from_value::<$ty>(value.clone()).map_err(|e| {
                    TestCaseError::fail(format!(
                        "re-serialized {} does not decode: {e}; JSON: {value}",
                        stringify!($ty)
                    ))
                })?;
                prop_assert_eq!(&again, &decoded);
                Some(decoded)
            }
            Err(error) => {
                prop_assert!(!error.to_string().is_empty());
                None
            }
        }
    };
}

/// Every serde decoder of a response body, on the same bytes.
fn check_decoders(bytes: &[u8]) -> Result<(), TestCaseError> {
    decode!(MessageResponse, bytes);
    decode!(Message, bytes);
    decode!(ErrorBody, bytes);
    Ok(())
}

/// `ApiError::from_response` on one answer: the status is kept; the body is either the
/// error list or a bounded excerpt that is the start of the body; the request id is one
/// of the answer's; the message is one line.
fn check_api_error(status: u16, headers: &HeaderMap, body: &[u8]) -> Result<(), TestCaseError> {
    let error = ApiError::from_response(status, headers, body);
    prop_assert_eq!(error.status, status);
    prop_assert_eq!(error.errors.is_empty(), error.body_excerpt.is_some());
    if let Some(excerpt) = &error.body_excerpt {
        prop_assert!(
            excerpt.len() <= 512 + '…'.len_utf8(),
            "excerpt of {} bytes",
            excerpt.len()
        );
        // The ellipsis marks a cut (a body ending in one is still a start without it).
        let start = excerpt.strip_suffix('…').unwrap_or(excerpt);
        prop_assert!(
            String::from_utf8_lossy(body).starts_with(start),
            "excerpt {excerpt:?} is not the start of the body"
        );
    }
    if let Some(id) = &error.request_id {
        prop_assert!(
            headers
                .get_all("x-request-id")
                .iter()
                .any(|v| v.as_bytes() == id.as_bytes()),
            "request id {id:?} is not an x-request-id of the answer"
        );
    }
    let shown = error.to_string();
    prop_assert!(
        !shown.contains(['\n', '\r']),
        "message spans lines: {shown:?}"
    );
    Ok(())
}

/// `codegen::generate` on one spec: files, or an error that names a place in the
/// document and says what is wrong; never an internal generator error.
fn check_generate(spec: &str) -> Result<(), TestCaseError> {
    match codegen::generate(spec, &Settings::default()) {
        Ok(files) => {
            prop_assert!(!files.is_empty());
            let preamble = Settings::default().preamble();
            for file in &files {
                prop_assert!(file.contents.starts_with(&preamble), "{}", file.path);
            }
        }
        Err(error) => {
            let shown = error.to_string();
            prop_assert!(!shown.is_empty());
            prop_assert!(error.pointer.starts_with('#'), "pointer of {shown}");
            prop_assert!(
                !matches!(error.kind, ErrorKind::Internal(_)),
                "internal generator error: {shown}"
            );
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Properties: response decoders
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(DECODER_CASES))]

    /// Whatever bytes arrive, each decoder returns a value or an error.
    #[test]
    fn decoders_take_arbitrary_bytes(bytes in any_bytes()) {
        check_decoders(&bytes)?;
    }

    /// Valid JSON of any shape: the decoders refuse it cleanly or decode it.
    #[test]
    fn decoders_take_arbitrary_json(value in any_json()) {
        check_decoders(&serde_json::to_vec(&value).expect("JSON values serialize"))?;
    }

    /// JSON shaped like the API's answers reaches the nested types; mistakes there are
    /// errors too, and what decodes round-trips.
    #[test]
    fn decoders_take_api_shaped_json(value in api_document()) {
        check_decoders(&serde_json::to_vec(&value).expect("JSON values serialize"))?;
    }

    /// Decoding is lenient: a message whose fields are absent, null or of their
    /// documented type (unknown keys and enum values included) always decodes, bare and
    /// as a `MessageResponse`, and so does an error list.
    #[test]
    fn well_typed_answers_always_decode(message in message_json(0), errors in error_list(0)) {
        let bytes = serde_json::to_vec(&message).expect("JSON values serialize");
        prop_assert!(decode!(Message, &bytes).is_some(), "refused {message}");
        let wrapped = serde_json::to_vec(&json!({ "data": message })).expect("serializes");
        prop_assert!(decode!(MessageResponse, &wrapped).is_some(), "refused {message}");
        let errors = json!({ "errors": errors });
        let bytes = serde_json::to_vec(&errors).expect("JSON values serialize");
        prop_assert!(decode!(ErrorBody, &bytes).is_some(), "refused {errors}");
    }

    /// Enum values this version does not list decode and serialize back unchanged; the
    /// listed ones are recognised exactly, not by a near miss.
    #[test]
    fn enum_values_survive_unchanged(
        direction in enum_text(&["outbound", "inbound"]),
        kind in enum_text(MessageType::VALUES),
        record_type in enum_text(&["message"]),
        encoding in enum_text(MessageEncoding::VALUES),
        status in enum_text(DeliveryStatus::VALUES),
        line_type in enum_text(LineType::VALUES),
        sender_line_type in enum_text(LineType::VALUES),
    ) {
        let input = json!({
            "direction": direction,
            "type": kind,
            "record_type": record_type,
            "encoding": encoding,
            "from": { "line_type": sender_line_type },
            "to": [{ "status": status, "line_type": line_type }],
        });
        let bytes = serde_json::to_vec(&input).expect("JSON values serialize");
        let message: Message = serde_json::from_slice(&bytes)
            .map_err(|e| TestCaseError::fail(format!("{e}: {input}")))?;
        prop_assert_eq!(&serde_json::to_value(&message).expect("serializes"), &input);

        let decoded_kind = message.type_.as_ref().expect("type");
        prop_assert_eq!(decoded_kind.as_str(), kind.as_str());
        prop_assert_eq!(decoded_kind.is_known(), MessageType::VALUES.contains(&kind.as_str()));
        let recipient = &message.to.as_ref().expect("to")[0];
        let decoded_status = recipient.status.as_ref().expect("status");
        prop_assert_eq!(decoded_status.as_str(), status.as_str());
        prop_assert_eq!(
            decoded_status.is_known(),
            DeliveryStatus::VALUES.contains(&status.as_str())
        );
        let decoded_line = recipient.line_type.as_ref().expect("line_type");
        prop_assert_eq!(decoded_line.as_str(), line_type.as_str());
        prop_assert_eq!(decoded_line.is_known(), LineType::VALUES.contains(&line_type.as_str()));

        let wrapped = json!({ "data": input });
        let bytes = serde_json::to_vec(&wrapped).expect("JSON values serialize");
        let response: MessageResponse = serde_json::from_slice(&bytes)
            .map_err(|e| TestCaseError::fail(format!("{e}: {wrapped}")))?;
        prop_assert_eq!(&serde_json::to_value(&response).expect("serializes"), &wrapped);
    }

    /// An error answer with arbitrary bytes as its body and arbitrary headers.
    #[test]
    fn api_error_takes_arbitrary_bytes(
        status in 100u16..=599,
        headers in headers(),
        body in vec(any::<u8>(), 0..2048),
    ) {
        check_api_error(status, &headers, &body)?;
    }

    /// An error answer with a body that is JSON, API-shaped, or the API's error shape
    /// with control characters in its texts.
    #[test]
    fn api_error_takes_api_shaped_bodies(
        status in 100u16..=599,
        headers in headers(),
        body in error_body(),
    ) {
        check_api_error(status, &headers, &body)?;
    }
}

// ---------------------------------------------------------------------------------------
// Properties: spec loader
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(SPEC_CASES))]

    /// Text that is not a spec at all, including control characters and invalid UTF-8
    /// made valid by replacement.
    #[test]
    fn generate_takes_arbitrary_text(
        spec in prop_oneof![
            any::<String>(),
            vec(any::<char>(), 0..256).prop_map(String::from_iter),
            vec(any::<u8>(), 0..512).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        ]
    ) {
        check_generate(&spec)?;
    }

    /// YAML-ish text from OpenAPI keywords and tricky YAML syntax.
    #[test]
    fn generate_takes_yaml_ish_text(spec in yaml_ish()) {
        check_generate(&spec)?;
    }

    /// Well-formed documents whose OpenAPI content is arbitrary, valid around the
    /// schemas or not: this reaches the schema walk, name conversion and code emission.
    #[test]
    fn generate_takes_openapi_shaped_documents(
        document in prop_oneof![openapi_document(true), openapi_document(false)]
    ) {
        check_generate(&document.to_string())?;
    }

    /// The real spec, slightly broken.
    #[test]
    fn generate_takes_mutations_of_the_real_spec(spec in mutated_spec()) {
        check_generate(&spec)?;
    }
}
