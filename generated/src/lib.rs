//! A client for the Telnyx Messaging API v2: send SMS and MMS from a phone number, a
//! short code, an alphanumeric sender ID, or as a group MMS.
//!
//! ```no_run
//! use telnyx_messaging::{Client, CreateMessageRequest, Error};
//!
//! # async fn run() -> Result<(), Error> {
//! let client = Client::from_env()?; // TELNYX_API_KEY
//! let request = CreateMessageRequest::builder()
//!     .to("+18665550001")
//!     .from("+18445550001")
//!     .text("Hello, World!")
//!     .build();
//! let message = client.send_message(&request).await?;
//! println!("queued as {:?}", message.id);
//! # Ok(())
//! # }
//! ```
//!
//! Every rule the spec states (phone number formats, non-empty text, at most 8 group
//! recipients, `http(s)://` webhook URLs, ...) is checked before anything is sent; a
//! broken rule is an [`Error::Validation`] naming the field and the rule:
//!
//! ```
//! use telnyx_messaging::{CreateMessageRequest, rules::{Rule, Validate}};
//!
//! let request = CreateMessageRequest::builder()
//!     .to("555-0100")
//!     .from("+18445550001")
//!     .text("Hi")
//!     .build();
//! let error = request.validate().unwrap_err();
//! assert_eq!(error.field, "to");
//! assert!(matches!(error.rule, Rule::Pattern(_)));
//! ```
//!
//! Responses decode leniently: unknown fields are ignored, enum values this version does
//! not list are kept in an `Unknown` variant, and `cost.amount` is accepted as a string
//! or a number ([`StringOrNumber`]).
//!
//! # Failures, retries and time limits
//!
//! Every call fails with one [`Error`] type, and every error answers two questions:
//! [`Error::is_retryable`] (could the same request succeed later?) and
//! [`Error::may_have_been_sent`] (could the message have gone out?). The table on
//! [`Error`] lists the answers per variant; [`ApiError::kind`](error::ApiError::kind) classifies API refusals
//! (400, 401, 403, 404, 409, 422, 429, 5xx).
//!
//! A message send has no idempotency key, so by default ([`RetryPolicy::safe`]) the client
//! resends only what provably was not processed: a connection that could not be made, or
//! a 429. 5xx answers, timeouts and connections that broke after the request was written
//! are retried only under the opt-in [`RetryPolicy::may_duplicate`]. A lookup
//! ([`Client::get_message`]) or a cancel ([`Client::cancel_message`]) can be repeated
//! without harm, so it is retried after any transient failure. Waits use exponential
//! backoff with full jitter and honour `Retry-After` / `retry-after-ms` up to a cap.
//!
//! Time limits: connect ([`DEFAULT_CONNECT_TIMEOUT`](config::DEFAULT_CONNECT_TIMEOUT), 5 s),
//! per attempt ([`DEFAULT_ATTEMPT_TIMEOUT`](config::DEFAULT_ATTEMPT_TIMEOUT), 30 s) and for
//! the whole call ([`DEFAULT_TOTAL_TIMEOUT`](config::DEFAULT_TOTAL_TIMEOUT), 60 s). The policy and the limits are set with [`ClientBuilder`] and can be overridden
//! for one call with [`Client::with_options`]:
//!
//! ```no_run
//! use std::time::Duration;
//! use telnyx_messaging::{Client, CreateMessageRequest, Error, RequestOptions, RetryPolicy};
//!
//! # async fn run(client: Client, request: CreateMessageRequest) -> Result<(), Error> {
//! let options = RequestOptions::new()
//!     .retry_policy(RetryPolicy::none())
//!     .total_timeout(Duration::from_secs(5));
//! match client.with_options(options).send_message(&request).await {
//!     Ok(message) => println!("accepted: {:?}", message.id),
//!     Err(error) if error.may_have_been_sent() => eprintln!("do not resend: {error}"),
//!     Err(error) => eprintln!("not sent: {error}"),
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Each HTTP attempt runs in a `tracing` span named `telnyx_messaging.request` with the
//! fields `operation`, `method`, `path`, `attempt`, `status` and `request_id`; the API key
//! is never logged, printed or put in an error. The `*_with_response` methods return a
//! [`Response`] with the status and headers of the answer.
//!
//! # Where things are
//!
//! The crate root holds what a call needs: [`Client`] (with [`ClientBuilder`] and
//! [`RequestOptions`]), the request and response types, [`Error`], [`Response`] and
//! [`RetryPolicy`]. The rest sits in modules: [`error`] ([`ApiError`](error::ApiError)
//! and the API's error details), [`rules`] (the [`Validate`](rules::Validate) trait and
//! the rules it checks), [`config`] (defaults), [`retry`] (backoff defaults) and
//! [`response`]. With the feature `webhooks`, `webhook` verifies and decodes the
//! webhooks the API posts (signature, timestamp and replay checks first).
//!
//! The request and response types and the operation methods are generated from the
//! crate's OpenAPI spec by `cargo xtask regen` (into `src/generated/`); everything else
//! is the hand-written runtime.

#![deny(missing_docs)]

pub mod builder;
mod call;
mod client;
pub mod config;
pub mod error;
mod error_body;
mod matcher;
mod redaction;
#[cfg(feature = "webhooks")]
mod replay;
pub mod response;
pub mod retry;
pub mod rules;
pub mod segments;
#[cfg(test)]
mod test_random;
pub mod timestamp;
mod transport;
mod value;
#[cfg(feature = "webhooks")]
pub mod webhook;

/// The files `cargo xtask regen` writes from the spec; everything else is hand-written.
mod generated {
    pub(crate) mod operations;
    pub(crate) mod types;
}

// The crate root holds what a call needs: the client, the request and response types
// (generated), and `Error`. The rest sits in the modules above.
pub use client::Client;
pub use config::{ClientBuilder, RequestOptions};
pub use error::Error;
pub use generated::types::*;
pub use response::Response;
pub use retry::RetryPolicy;
pub use value::StringOrNumber;

#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
