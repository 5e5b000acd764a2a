//! Webhook verification (`telnyx_messaging::webhook`, feature `webhooks`) with real
//! signatures: a key pair made here signs each body as the API does,
//! `base64(sign("{timestamp}|{body}"))`.
//!
//! - signed events decode: the examples of Telnyx's published 3.1 spec, and random events
//!   that Prism makes from that spec's event schemas;
//! - each check refuses what it must, with its own error, and no error quotes the body;
//! - an event accepted once is a replay the second time, in memory and in a real Redis
//!   server that this test starts and stops itself (installed by `.ci/run`), where two
//!   verifiers racing on one event accept it exactly once.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signer as _, SigningKey};
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{Value, json};
use telnyx_messaging::webhook::{
    DecodeReason, RedisReplayStore, WebhookError, WebhookVerifier, decode_unverified,
};
use telnyx_messaging::{DeliveryEventType, WebhookEvent, WebhookEventData};

/// A key pair made for this run: 32 bytes from the process's random hasher seeds.
fn key_pair() -> SigningKey {
    use std::hash::{BuildHasher, Hasher};
    let mut seed = [0u8; 32];
    for chunk in seed.chunks_mut(8) {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(0);
        chunk.copy_from_slice(&hasher.finish().to_le_bytes());
    }
    SigningKey::from_bytes(&seed)
}

fn public_key(key: &SigningKey) -> String {
    STANDARD.encode(key.verifying_key().as_bytes())
}

/// The signature header the API would send for `body` at `timestamp`.
fn sign(key: &SigningKey, timestamp: &str, body: &[u8]) -> String {
    let mut signed = timestamp.as_bytes().to_vec();
    signed.push(b'|');
    signed.extend_from_slice(body);
    STANDARD.encode(key.sign(&signed).to_bytes())
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
}

fn upstream_31() -> Value {
    let path = xtask::workspace_root().join("../shared/upstream/telnyx-messages-openapi-3.1.json");
    serde_json::from_str(&std::fs::read_to_string(&path).expect("the upstream 3.1 spec"))
        .expect("JSON")
}

/// A delivery update as the API posts it: upstream's example event under `data`.
fn delivery_update(id: &str) -> Vec<u8> {
    let mut data = upstream_31()["components"]["schemas"]["OutboundMessage"]["example"].clone();
    data["id"] = json!(id);
    serde_json::to_vec(&json!({
        "data": data,
        "meta": {"attempt": 1, "delivered_to": "https://www.example.com/hooks"}
    }))
    .expect("encodes")
}

#[tokio::test]
async fn signed_events_verify_and_decode() {
    let key = key_pair();
    let verifier = WebhookVerifier::new(&public_key(&key)).expect("a valid key");
    let timestamp = now().to_string();

    let body = delivery_update("86f58db9-0fe3-4adc-9d1f-46e66e6e9323");
    let event: WebhookEvent = verifier
        .verify(&body, &timestamp, &sign(&key, &timestamp, &body))
        .await
        .expect("verifies");
    match event.data {
        Some(WebhookEventData::DeliveryUpdate(update)) => {
            assert_eq!(update.event_type, Some(DeliveryEventType::MessageSent));
        }
        other => panic!("{other:?}"),
    }

    // Through the headers, as a server framework hands them over; inbound this time.
    let data = upstream_31()["components"]["schemas"]["InboundMessage"]["example"].clone();
    let body = serde_json::to_vec(&json!({ "data": data })).expect("encodes");
    let mut headers = HeaderMap::new();
    headers.insert(
        "telnyx-timestamp",
        HeaderValue::from_str(&timestamp).expect("ascii"),
    );
    headers.insert(
        "telnyx-signature-ed25519",
        HeaderValue::from_str(&sign(&key, &timestamp, &body)).expect("ascii"),
    );
    let event: WebhookEvent = verifier
        .verify_headers(&body, &headers)
        .await
        .expect("verifies");
    assert!(
        matches!(event.data, Some(WebhookEventData::MessageReceived(_))),
        "{event:?}"
    );
}

/// Each check has its own error; none of them quotes the body.
#[tokio::test]
async fn each_check_refuses_with_its_own_error() {
    let key = key_pair();
    let verifier = WebhookVerifier::new(&public_key(&key)).expect("a valid key");
    let now_secs = now();
    let at = |secs: u64| UNIX_EPOCH + Duration::from_secs(secs);
    let fresh = now_secs.to_string();
    let body = delivery_update("00000000-0000-4000-8000-000000000001");
    let good = sign(&key, &fresh, &body);
    let check = |result: Result<WebhookEvent, WebhookError>| result.map(|_| ());

    // A key that is not one.
    assert_eq!(
        WebhookVerifier::new("not base64!").err(),
        Some(WebhookError::BadKey)
    );
    assert_eq!(
        WebhookVerifier::new(&STANDARD.encode([1u8; 31])).err(),
        Some(WebhookError::BadKey)
    );

    // Headers.
    let mut headers = HeaderMap::new();
    headers.insert(
        "telnyx-signature-ed25519",
        HeaderValue::from_str(&good).expect("ascii"),
    );
    assert_eq!(
        check(verifier.verify_headers(&body, &headers).await),
        Err(WebhookError::MissingHeader("telnyx-timestamp"))
    );
    let mut headers = HeaderMap::new();
    headers.insert(
        "telnyx-timestamp",
        HeaderValue::from_str(&fresh).expect("ascii"),
    );
    assert_eq!(
        check(verifier.verify_headers(&body, &headers).await),
        Err(WebhookError::MissingHeader("telnyx-signature-ed25519"))
    );

    // The signature's form, then its validity.
    for bad in ["***", "", &STANDARD.encode([7u8; 63])] {
        assert_eq!(
            check(verifier.verify(&body, &fresh, bad).await),
            Err(WebhookError::BadSignatureEncoding),
            "{bad:?}"
        );
    }
    let mut tampered = body.clone();
    let last = tampered.len() - 2;
    tampered[last] ^= 1;
    assert_eq!(
        check(verifier.verify(&tampered, &fresh, &good).await),
        Err(WebhookError::BadSignature)
    );
    let later = (now_secs + 1).to_string();
    assert_eq!(
        check(verifier.verify(&body, &later, &good).await),
        Err(WebhookError::BadSignature)
    );
    let other_key = SigningKey::from_bytes(&[9u8; 32]);
    let forged = sign(&other_key, &fresh, &body);
    assert_eq!(
        check(verifier.verify(&body, &fresh, &forged).await),
        Err(WebhookError::BadSignature)
    );

    // The timestamp: a number, within the tolerance either way (checked after the
    // signature, so only a signed timestamp gets this far).
    let word = "yesterday";
    assert_eq!(
        check(verifier.verify(&body, word, &sign(&key, word, &body)).await),
        Err(WebhookError::BadTimestamp)
    );
    let sent = now_secs - 1000;
    let old = sent.to_string();
    let refused = verifier
        .verify_at::<WebhookEvent>(&body, &old, &sign(&key, &old, &body), at(sent + 301))
        .await;
    assert_eq!(
        refused.map(|_| ()),
        Err(WebhookError::TooOld {
            age: Duration::from_secs(301)
        })
    );
    let refused = verifier
        .verify_at::<WebhookEvent>(&body, &old, &sign(&key, &old, &body), at(sent - 301))
        .await;
    assert_eq!(
        refused.map(|_| ()),
        Err(WebhookError::TooNew {
            ahead: Duration::from_secs(301)
        })
    );
    let strict = WebhookVerifier::new(&public_key(&key))
        .expect("key")
        .tolerance(Duration::from_secs(10));
    let refused = strict
        .verify_at::<WebhookEvent>(&body, &old, &sign(&key, &old, &body), at(sent + 11))
        .await;
    assert_eq!(
        refused.map(|_| ()),
        Err(WebhookError::TooOld {
            age: Duration::from_secs(11)
        })
    );
    for skew in [sent - 300, sent + 300] {
        let verifier = WebhookVerifier::new(&public_key(&key)).expect("key");
        let accepted = verifier
            .verify_at::<WebhookEvent>(&body, &old, &sign(&key, &old, &body), at(skew))
            .await;
        assert!(
            accepted.is_ok(),
            "300 s either way is within the tolerance: {accepted:?}"
        );
    }

    // The body: JSON, then of the type asked for. The errors keep the body's text out.
    let secret_text =
        br#"{"data": {"event_type": "message.sent", "payload": {"text": "+18665550001 says hi"}}}"#;
    let errors = [
        (&br"+18665550001 says hi"[..], "NotJson"),
        (
            &br#"{"data": {"id": "+18665550001 says hi", "meta": 1"#[..],
            "NotJson",
        ),
        (&br#""+18665550001 says hi""#[..], "Decode"),
        (
            &br#"{"meta": {"attempt": "+18665550001 says hi"}}"#[..],
            "Decode",
        ),
    ];
    for (bad, kind) in errors {
        let error = verifier
            .verify::<WebhookEvent>(bad, &fresh, &sign(&key, &fresh, bad))
            .await
            .expect_err("refused");
        assert!(format!("{error:?}").starts_with(kind), "{error:?}");
        for shown in [error.to_string(), format!("{error:?}")] {
            assert!(
                !shown.contains("18665550001") && !shown.contains("says hi"),
                "{shown}"
            );
        }
    }
    let error = decode_unverified::<WebhookEvent>(b"5").expect_err("not an event");
    assert_eq!(
        error,
        WebhookError::Decode {
            reason: DecodeReason::WrongType
        }
    );
    let event: WebhookEvent = decode_unverified(secret_text).expect("decodes without checks");
    assert!(!format!("{event:?}").contains("says hi"), "{event:?}");
}

/// An event accepted once is a replay within the window, even with a new signature and
/// timestamp (the id is the event's); `forget` lets a failed handler take it again.
#[tokio::test]
async fn an_event_accepted_once_is_a_replay_afterwards() {
    let key = key_pair();
    let verifier = WebhookVerifier::new(&public_key(&key)).expect("key");
    let body = delivery_update("11111111-1111-4111-8111-111111111111");
    let first = now().to_string();
    let event: Result<WebhookEvent, _> = verifier
        .verify(&body, &first, &sign(&key, &first, &body))
        .await;
    assert!(event.is_ok(), "{event:?}");
    let again = (now() + 1).to_string();
    let replayed: Result<WebhookEvent, _> = verifier
        .verify(&body, &again, &sign(&key, &again, &body))
        .await;
    assert_eq!(
        replayed.map(|_| ()),
        Err(WebhookError::Replayed {
            event_id: "11111111-1111-4111-8111-111111111111".to_owned()
        })
    );
    // Another event is new.
    let other = delivery_update("22222222-2222-4222-8222-222222222222");
    let accepted: Result<WebhookEvent, _> = verifier
        .verify(&other, &first, &sign(&key, &first, &other))
        .await;
    assert!(accepted.is_ok());
    // Forgotten, the first is new again.
    verifier
        .forget("11111111-1111-4111-8111-111111111111")
        .await
        .expect("forget");
    let accepted: Result<WebhookEvent, _> = verifier
        .verify(&body, &again, &sign(&key, &again, &body))
        .await;
    assert!(accepted.is_ok(), "{accepted:?}");
}

/// A Redis server on a free loopback port, stopped when dropped.
struct RedisServer {
    child: std::process::Child,
    url: String,
}

impl RedisServer {
    fn start() -> RedisServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = std::process::Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| {
                panic!("cannot start redis-server ({error}); install it (`.ci/run` does: apt-get install redis-server)")
            });
        let server = RedisServer {
            child,
            url: format!("redis://127.0.0.1:{port}/"),
        };
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "redis-server did not start"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        server
    }
}

/// Runs `redis-cli` against `server`; its standard output.
fn redis_cli(server: &RedisServer, args: &[&str]) -> String {
    let port = server
        .url
        .trim_end_matches('/')
        .rsplit(':')
        .next()
        .expect("a port");
    let output = std::process::Command::new("redis-cli")
        .args(["-p", port])
        .args(args)
        .output()
        .expect("redis-cli runs");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Two verifiers (two instances of a service) share a Redis store: of two racing
/// deliveries of one event exactly one is accepted, and so of twenty; a replay to the
/// other instance later is caught.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shared_redis_store_accepts_a_raced_event_exactly_once() {
    let server = RedisServer::start();
    let key = key_pair();
    let instance = || async {
        let store = RedisReplayStore::connect(&server.url)
            .await
            .expect("connects");
        WebhookVerifier::new(&public_key(&key))
            .expect("key")
            .replay_store(store)
    };
    let (a, b) = (instance().await, instance().await);
    for round in 0..20 {
        let id = format!("33333333-3333-4333-8333-{round:012}");
        let body = delivery_update(&id);
        let timestamp = now().to_string();
        let signature = sign(&key, &timestamp, &body);
        let (left, right) = tokio::join!(
            a.verify::<WebhookEvent>(&body, &timestamp, &signature),
            b.verify::<WebhookEvent>(&body, &timestamp, &signature),
        );
        let accepted = [left.is_ok(), right.is_ok()]
            .iter()
            .filter(|ok| **ok)
            .count();
        assert_eq!(accepted, 1, "round {round}: {left:?} / {right:?}");
        let refused = if left.is_ok() { right } else { left };
        assert_eq!(
            refused.map(|_| ()),
            Err(WebhookError::Replayed {
                event_id: id.clone()
            })
        );
    }
    // Twenty deliveries of one event at once, spread over both instances.
    let body = delivery_update("44444444-4444-4444-8444-444444444444");
    let timestamp = now().to_string();
    let signature = sign(&key, &timestamp, &body);
    let verifiers = [a.clone(), b.clone()];
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..20 {
        let verifier = verifiers[i % 2].clone();
        let (body, timestamp, signature) = (body.clone(), timestamp.clone(), signature.clone());
        tasks.spawn(async move {
            verifier
                .verify::<WebhookEvent>(&body, &timestamp, &signature)
                .await
                .is_ok()
        });
    }
    let accepted = tasks.join_all().await.into_iter().filter(|ok| *ok).count();
    assert_eq!(accepted, 1);
    // The key lives as long as the event's timestamp would pass (here 58 s after it was
    // sent, with a one-minute tolerance: 3 to 4 s left; not 60 s after, where a second
    // ticking over between signing and verifying made it too old), and `forget` removes it.
    let short = WebhookVerifier::new(&public_key(&key))
        .expect("key")
        .tolerance(Duration::from_secs(60))
        .replay_store(
            RedisReplayStore::connect(&server.url)
                .await
                .expect("connects"),
        );
    let id = "88888888-8888-4888-8888-888888888888";
    let body = delivery_update(id);
    let sent = (now() - 58).to_string();
    let signature = sign(&key, &sent, &body);
    assert!(
        short
            .verify::<WebhookEvent>(&body, &sent, &signature)
            .await
            .is_ok()
    );
    let pttl = redis_cli(
        &server,
        &["PTTL", &format!("{}{id}", RedisReplayStore::DEFAULT_PREFIX)],
    );
    let pttl: i64 = pttl
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("PTTL: {pttl:?}"));
    assert!((1..=4_000).contains(&pttl), "PTTL {pttl}");
    short.forget(id).await.expect("forget");
    assert!(
        short
            .verify::<WebhookEvent>(&body, &sent, &signature)
            .await
            .is_ok(),
        "forgotten"
    );

    // An unreachable store is an error of its own: the event is neither taken nor refused.
    drop(server);
    let body = delivery_update("55555555-5555-4555-8555-555555555555");
    let signature = sign(&key, &timestamp, &body);
    let error = a
        .verify::<WebhookEvent>(&body, &timestamp, &signature)
        .await
        .expect_err("no store");
    assert!(matches!(error, WebhookError::Store(_)), "{error:?}");
}

/// Random events that Prism makes from the event schemas of Telnyx's 3.1 spec, signed
/// here, verify and decode. Prism serves webhooks only as documentation, so each event
/// schema gets a path of its own in a copy of the spec.
#[tokio::test]
async fn random_events_of_the_upstream_schemas_verify_and_decode() {
    use telnyx_messaging_tests::prism::{self, Prism};
    let mut spec = upstream_31();
    let webhooks = spec["webhooks"]
        .as_object()
        .cloned()
        .expect("a webhooks section");
    let mut paths = Vec::new();
    for (name, item) in &webhooks {
        let schema = item["post"]["requestBody"]["content"]["application/json"]["schema"].clone();
        let path = format!("/events/{name}");
        spec["paths"][&path] = json!({"get": {
            "operationId": format!("Event{name}"),
            "responses": {"200": {"description": "an event", "content": {"application/json": {"schema": schema}}}}
        }});
        paths.push(path);
    }
    let dir: PathBuf = std::env::temp_dir().join(format!("telnyx-webhooks-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("events.json");
    std::fs::write(&file, serde_json::to_vec(&spec).expect("encodes")).expect("write");
    let prism = Prism::start(&prism::default_binary(), &file, Duration::from_secs(60))
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    let http = reqwest::Client::new();
    let key = key_pair();
    let verifier = WebhookVerifier::new(&public_key(&key)).expect("key");
    let mut decoded = 0;
    for path in &paths {
        for _ in 0..15 {
            let body = http
                .get(format!("{}{path}", prism.base_url()))
                .header("Prefer", "dynamic=true")
                .header("Authorization", "Bearer KEY0123456789")
                .send()
                .await
                .expect("Prism answers")
                .bytes()
                .await
                .expect("a body");
            let timestamp = now().to_string();
            let event: Result<WebhookEvent, _> = verifier
                .verify(&body, &timestamp, &sign(&key, &timestamp, &body))
                .await;
            match event {
                Ok(_) => decoded += 1,
                // Random ids may repeat across rounds only by chance; any other refusal
                // is a defect.
                Err(WebhookError::Replayed { .. }) => {}
                Err(error) => panic!("{path}: {error}\n{}", String::from_utf8_lossy(&body)),
            }
        }
    }
    let _ = prism.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
    assert!(decoded >= 25, "{decoded} events decoded");
}

/// `generated/examples/webhook_server.rs`, run as a user would: a signed delivery update
/// gets 200 and a line with the message's delivery status; a forged one gets 401 and
/// nothing is printed for it; the same event again is taken as already handled.
#[tokio::test]
async fn the_webhook_server_example_prints_the_status_of_verified_events() {
    let binary =
        telnyx_messaging_tests::examples::example_binary("webhook_server", &["webhooks"]).await;
    let key = key_pair();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let address = format!("127.0.0.1:{port}");
    let child = tokio::process::Command::new(&binary)
        .args([&address, "3"])
        .env("TELNYX_PUBLIC_KEY", public_key(&key))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the example starts");
    let http = reqwest::Client::new();
    let body = delivery_update("66666666-6666-4666-8666-666666666666");
    let post = |timestamp: String, signature: String| {
        http.post(format!("http://{address}/webhooks"))
            .header("telnyx-timestamp", timestamp)
            .header("telnyx-signature-ed25519", signature)
            .body(body.clone())
            .send()
    };
    let timestamp = now().to_string();
    let signature = sign(&key, &timestamp, &body);
    let mut status = None;
    for _ in 0..100 {
        match post(timestamp.clone(), signature.clone()).await {
            Ok(response) => {
                status = Some(response.status().as_u16());
                break;
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
    assert_eq!(status, Some(200));
    let forged = sign(&SigningKey::from_bytes(&[3u8; 32]), &timestamp, &body);
    let response = post(timestamp.clone(), forged).await.expect("answers");
    assert_eq!(response.status().as_u16(), 401);
    let response = post(timestamp, signature).await.expect("answers");
    assert_eq!(
        response.status().as_u16(),
        200,
        "a replay is acknowledged, not handled again"
    );

    let output = child
        .wait_with_output()
        .await
        .expect("the example stops after 3 requests");
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stdout.contains("message.sent: message 40385f64-5717-4562-b3fc-2c963f66afa6 is queued"),
        "{stdout}"
    );
    assert_eq!(stdout.matches("message.sent").count(), 1, "{stdout}");
    assert!(
        stderr.contains("refused: the webhook signature does not match"),
        "{stderr}"
    );
    assert!(stderr.contains("again: ignored"), "{stderr}");
    assert!(
        !stdout.contains("+1866") && !stderr.contains("+1866"),
        "no phone number printed"
    );
}

/// An event without an id is known by its signature: the same request again is a replay,
/// the same body signed at another time is not.
#[tokio::test]
async fn an_event_without_an_id_is_known_by_its_signature() {
    let key = key_pair();
    let verifier = WebhookVerifier::new(&public_key(&key)).expect("key");
    let body = br#"{"data": {"event_type": "message.deleted"}}"#;
    let first = now().to_string();
    let signature = sign(&key, &first, body);
    let accepted: Result<WebhookEvent, _> = verifier.verify(body, &first, &signature).await;
    assert!(accepted.is_ok(), "{accepted:?}");
    let again: Result<WebhookEvent, _> = verifier.verify(body, &first, &signature).await;
    assert!(
        matches!(again, Err(WebhookError::Replayed { .. })),
        "{again:?}"
    );
    let later = (now() + 2).to_string();
    let resent: Result<WebhookEvent, _> = verifier
        .verify(body, &later, &sign(&key, &later, body))
        .await;
    assert!(resent.is_ok(), "{resent:?}");
}

/// The edges a hostile sender or a misconfiguration reaches: non-canonical and malformed
/// signatures, weak and invalid keys, hostile timestamps and clocks, the order of the
/// checks, and the tolerance at its extremes. Each is a typed error, never a panic.
#[tokio::test]
async fn hostile_inputs_and_edges_are_typed_errors() {
    let key = key_pair();
    let public = public_key(&key);
    let verifier = WebhookVerifier::new(&public).expect("key");
    let body = delivery_update("77777777-7777-4777-8777-777777777777");
    let fresh = now().to_string();
    let check = |r: Result<WebhookEvent, WebhookError>| r.map(|_| ());

    // A weak (small-order) key verifies nothing under strict verification: refused at once.
    let mut identity = [0u8; 32];
    identity[0] = 1;
    assert_eq!(
        WebhookVerifier::new(&STANDARD.encode(identity)).err(),
        Some(WebhookError::BadKey)
    );

    // The same signature with `s + L` (the group order added): valid under a lax check,
    // refused by the strict one.
    let good = STANDARD.decode(sign(&key, &fresh, &body)).expect("base64");
    const L: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde,
        0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ];
    let mut high = good.clone();
    let mut carry = 0u16;
    for i in 0..32 {
        let sum = u16::from(high[32 + i]) + u16::from(L[i]) + carry;
        high[32 + i] = sum as u8;
        carry = sum >> 8;
    }
    let refused = check(
        verifier
            .verify(&body, &fresh, &STANDARD.encode(&high))
            .await,
    );
    assert!(
        matches!(
            refused,
            Err(WebhookError::BadSignature | WebhookError::BadSignatureEncoding)
        ),
        "{refused:?}"
    );
    let mut long = good.clone();
    long.push(0);
    assert_eq!(
        check(
            verifier
                .verify(&body, &fresh, &STANDARD.encode(&long))
                .await
        ),
        Err(WebhookError::BadSignatureEncoding)
    );

    // Header values that are not text are refused by the check of their content.
    let mut headers = HeaderMap::new();
    headers.insert(
        "telnyx-timestamp",
        HeaderValue::from_bytes(b"17\xff").expect("bytes"),
    );
    headers.insert(
        "telnyx-signature-ed25519",
        HeaderValue::from_str(&sign(&key, &fresh, &body)).expect("ascii"),
    );
    assert_eq!(
        check(verifier.verify_headers(&body, &headers).await),
        Err(WebhookError::BadTimestamp)
    );
    let mut headers = HeaderMap::new();
    headers.insert(
        "telnyx-timestamp",
        HeaderValue::from_str(&fresh).expect("ascii"),
    );
    headers.insert(
        "telnyx-signature-ed25519",
        HeaderValue::from_bytes(b"ab\xfe").expect("bytes"),
    );
    assert_eq!(
        check(verifier.verify_headers(&body, &headers).await),
        Err(WebhookError::BadSignatureEncoding)
    );

    // Hostile timestamps, validly signed: never a panic.
    for timestamp in [
        "18446744073709551615",
        "99999999999999999999",
        "-1",
        "+1700000000",
        " 12 ",
    ] {
        let result = check(
            verifier
                .verify(&body, timestamp, &sign(&key, timestamp, &body))
                .await,
        );
        assert!(
            matches!(
                result,
                Err(WebhookError::TooNew { .. }
                    | WebhookError::TooOld { .. }
                    | WebhookError::BadTimestamp)
            ),
            "{timestamp}: {result:?}"
        );
    }
    // A local clock before 1970.
    let before_epoch = UNIX_EPOCH - Duration::from_secs(10);
    let result = verifier
        .verify_at::<WebhookEvent>(&body, &fresh, &sign(&key, &fresh, &body), before_epoch)
        .await;
    assert!(
        matches!(result, Err(WebhookError::TooNew { .. })),
        "{result:?}"
    );

    // The age is checked before the body is read: an old body that is no JSON is too old.
    let old = (now() - 3_600).to_string();
    let junk = b"not json at all";
    assert!(matches!(
        check(verifier.verify(junk, &old, &sign(&key, &old, junk)).await),
        Err(WebhookError::TooOld { .. })
    ));

    // No tolerance at all still catches a replay in the same second.
    let strict = WebhookVerifier::new(&public)
        .expect("key")
        .tolerance(Duration::ZERO);
    let at = now();
    let stamp = at.to_string();
    let signature = sign(&key, &stamp, &body);
    let clock = UNIX_EPOCH + Duration::from_secs(at);
    assert!(
        strict
            .verify_at::<WebhookEvent>(&body, &stamp, &signature, clock)
            .await
            .is_ok()
    );
    assert!(matches!(
        strict
            .verify_at::<WebhookEvent>(&body, &stamp, &signature, clock)
            .await,
        Err(WebhookError::Replayed { .. })
    ));
    // A tolerance past a day is a day: replays are still caught, and a 2-day-old event
    // is too old.
    let lax = WebhookVerifier::new(&public)
        .expect("key")
        .tolerance(Duration::MAX);
    let signature = sign(&key, &fresh, &body);
    assert!(
        lax.verify::<WebhookEvent>(&body, &fresh, &signature)
            .await
            .is_ok()
    );
    assert!(matches!(
        lax.verify::<WebhookEvent>(&body, &fresh, &signature).await,
        Err(WebhookError::Replayed { .. })
    ));
    let two_days = (now() - 2 * 86_400).to_string();
    assert!(matches!(
        check(
            lax.verify(&body, &two_days, &sign(&key, &two_days, &body))
                .await
        ),
        Err(WebhookError::TooOld { .. })
    ));

    // An id-less event's replay names its signature, not its body.
    let bare = br#"{"data": {"event_type": "message.sent", "payload": {"text": "secret words"}}}"#;
    let signature = sign(&key, &fresh, bare);
    assert!(
        verifier
            .verify::<WebhookEvent>(bare, &fresh, &signature)
            .await
            .is_ok()
    );
    let error = verifier
        .verify::<WebhookEvent>(bare, &fresh, &signature)
        .await
        .expect_err("replay");
    let shown = format!("{error} {error:?}");
    assert!(
        shown.contains(&signature) && !shown.contains("secret"),
        "{shown}"
    );
}
