//! Sends one SMS and prints what the API accepted.
//!
//! ```sh
//! TELNYX_API_KEY=KEY cargo run -p telnyx-messaging --example send_sms -- +18445550001 +18665550001 "Hello"
//! ```
//!
//! Set `TELNYX_BASE_URL` to try it against a local mock server, such as Prism serving
//! `spec/messaging.yaml` on `http://127.0.0.1:4010`.

use std::process::ExitCode;

use telnyx_messaging::{Client, CreateMessageRequest, Error};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [from, to, text] = args.as_slice() else {
        eprintln!("usage: send_sms FROM TO TEXT   (with TELNYX_API_KEY set)");
        return ExitCode::from(2);
    };
    match send(from, to, text).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(Error::Validation(e)) => {
            eprintln!("not sent: {e}");
            ExitCode::from(2)
        }
        // Safe to run again later: the message provably did not go out.
        Err(e) if !e.may_have_been_sent() => {
            eprintln!("not sent: {e}");
            ExitCode::FAILURE
        }
        // Running again could deliver the message twice.
        Err(e) => {
            eprintln!("may have been sent, do not simply resend: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn send(from: &str, to: &str, text: &str) -> Result<(), Error> {
    let client = Client::from_env()?;
    let request = CreateMessageRequest::builder()
        .to(to)
        .from(from)
        .text(text)
        .build();
    let message = client.send_message(&request).await?;
    println!(
        "message {} to {} is {}",
        message.id.as_deref().unwrap_or("?"),
        to,
        message
            .to
            .as_ref()
            .and_then(|to| to.first())
            .and_then(|r| r.status.as_ref())
            .map_or("unknown", |s| s.as_str()),
    );
    Ok(())
}
