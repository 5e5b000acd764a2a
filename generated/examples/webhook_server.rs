//! Receives delivery webhooks and prints the delivery status of each message.
//!
//! ```sh
//! TELNYX_PUBLIC_KEY=... cargo run -p telnyx-messaging --features webhooks --example webhook_server -- 127.0.0.1:8080
//! ```
//!
//! `TELNYX_PUBLIC_KEY` is the account's public key as the portal shows it (base64). Every
//! request is verified (signature, timestamp, replay) before its body is read as an event;
//! a refused one gets 401 and a line on standard error, a body over 1 MiB 413, and one the
//! replay store could not check 503 (the API tries again). Message text and phone numbers are
//! not printed. An optional second argument stops the server after that many requests.

use std::process::ExitCode;

use std::io::Read as _;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use telnyx_messaging::webhook::{WebhookError, WebhookVerifier};
use telnyx_messaging::{WebhookEvent, WebhookEventData};

/// The largest body read: a webhook is a few kilobytes.
const MAX_BODY: u64 = 1024 * 1024;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let address = args.next().unwrap_or_else(|| "127.0.0.1:8080".to_owned());
    let limit: Option<usize> = args.next().and_then(|n| n.parse().ok());
    let Ok(key) = std::env::var("TELNYX_PUBLIC_KEY") else {
        eprintln!("TELNYX_PUBLIC_KEY is not set");
        return ExitCode::from(1);
    };
    let verifier = match WebhookVerifier::new(&key) {
        Ok(verifier) => verifier,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::from(1);
        }
    };
    let server = match tiny_http::Server::http(&address) {
        Ok(server) => server,
        Err(error) => {
            eprintln!("cannot listen on {address}: {error}");
            return ExitCode::from(1);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("cannot start the async runtime: {error}");
            return ExitCode::from(1);
        }
    };
    println!("listening on {address}");
    for mut request in server.incoming_requests().take(limit.unwrap_or(usize::MAX)) {
        // Anyone can post here: read at most 1 MiB before anything is checked.
        let mut body = Vec::new();
        let read = request
            .as_reader()
            .take(MAX_BODY + 1)
            .read_to_end(&mut body);
        if read.is_err() || body.len() as u64 > MAX_BODY {
            let _ = request.respond(tiny_http::Response::empty(413));
            continue;
        }
        let mut headers = HeaderMap::new();
        for header in request.headers() {
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(header.field.as_str().as_bytes()),
                HeaderValue::from_bytes(header.value.as_bytes()),
            ) {
                headers.append(name, value);
            }
        }
        let verified = runtime.block_on(verifier.verify_headers::<WebhookEvent>(&body, &headers));
        let status = match verified {
            Ok(event) => {
                report(&event);
                200
            }
            // Delivered before: already handled, so the API may stop sending it.
            Err(WebhookError::Replayed { event_id }) => {
                eprintln!("event {event_id} again: ignored");
                200
            }
            // Neither taken nor refused: the API should try again later.
            Err(error @ WebhookError::Store(_)) => {
                eprintln!("not handled: {error}");
                503
            }
            Err(error) => {
                eprintln!("refused: {error}");
                401
            }
        };
        let _ = request.respond(tiny_http::Response::empty(status));
    }
    ExitCode::SUCCESS
}

/// One line per event: the message id and each recipient's delivery status.
fn report(event: &WebhookEvent) {
    match &event.data {
        Some(WebhookEventData::DeliveryUpdate(update)) => {
            let kind = update.event_type.as_ref().map_or("?", |t| t.as_str());
            let Some(message) = &update.payload else {
                println!("{kind}: no message");
                return;
            };
            let statuses: Vec<&str> = message
                .to
                .iter()
                .flatten()
                .map(|r| r.status.as_ref().map_or("?", |s| s.as_str()))
                .collect();
            println!(
                "{kind}: message {} is {}",
                message.id.as_deref().unwrap_or("?"),
                statuses.join(", ")
            );
        }
        Some(WebhookEventData::MessageReceived(received)) => {
            let id = received.payload.as_ref().and_then(|m| m.id.as_deref());
            println!("message.received: message {}", id.unwrap_or("?"));
        }
        _ => println!("an event of a type this version does not know"),
    }
}
