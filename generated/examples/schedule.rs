//! Schedules an SMS, looks it up, and cancels it before it goes out.
//!
//! ```sh
//! TELNYX_API_KEY=KEY cargo run -p telnyx-messaging --example schedule -- \
//!     +18445550001 +18665550001 "See you at 9" 2030-01-23T18:10:00Z
//! ```
//!
//! The API schedules sends from 5 minutes to 5 days ahead, and cancels a scheduled one
//! until a minute before its time. Set `TELNYX_BASE_URL` to try it against a local mock
//! server, such as Prism serving `spec/messaging.yaml` on `http://127.0.0.1:4010`.

use std::process::ExitCode;

use telnyx_messaging::{Client, CreateMessageRequest, Error, MessageRecord};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [from, to, text, send_at] = args.as_slice() else {
        eprintln!("usage: schedule FROM TO TEXT SEND_AT   (with TELNYX_API_KEY set)");
        return ExitCode::from(2);
    };
    match run(from, to, text, send_at).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(Error::Validation(e)) => {
            eprintln!("not sent: {e}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("failed: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(from: &str, to: &str, text: &str, send_at: &str) -> Result<(), Error> {
    let client = Client::from_env()?;
    let request = CreateMessageRequest::builder()
        .to(to)
        .from(from)
        .text(text)
        .send_at(send_at)
        .build();
    let scheduled = client.send_message(&request).await?;
    let id = scheduled.id.unwrap_or_default();
    println!("scheduled {id}");
    // A lookup (and a cancel) is retried after any transient failure: repeating it does
    // no harm, unlike a send.
    match client.get_message(&id).await? {
        MessageRecord::Message(message) => println!(
            "looked up: outbound, {} recipient(s)",
            message.to.map_or(0, |to| to.len())
        ),
        MessageRecord::InboundMessage(_) => println!("looked up: inbound"),
        _ => println!("looked up: a shape this version does not know"),
    }
    let cancelled = client.cancel_message(&id).await?;
    println!("cancelled {}", cancelled.id.as_deref().unwrap_or("?"));
    Ok(())
}
