//! A client for the Telnyx Messaging API v2: send SMS and MMS from a phone number, a
//! short code, an alphanumeric sender ID, or as a group MMS.
//!
//! ```no_run
//! use telnyx_messaging::{Client, CreateMessageRequest, Error};
//!
//! # async fn run() -> Result<(), Error> {
//! let client = Client::from_env()?; // TELNYX_API_KEY
//! let request = CreateMessageRequest::new("+18665550001")
//!     .from("+18445550001")
//!     .text("Hello, World!");
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
//! use telnyx_messaging::{CreateMessageRequest, Rule, Validate};
//!
//! let request = CreateMessageRequest::new("555-0100")
//!     .from("+18445550001")
//!     .text("Hi");
//! let error = request.validate().unwrap_err();
//! assert_eq!(error.field, "to");
//! assert!(matches!(error.rule, Rule::Pattern(_)));
//! ```
//!
//! Responses decode leniently: unknown fields are ignored, enum values this version does
//! not list are kept in an `Unknown` variant, and `cost.amount` is accepted as a string
//! or a number ([`StringOrNumber`]).
//!
//! The types and the operation methods are generated from the crate's OpenAPI spec by
//! `cargo xtask regen`; the client, errors and rule checks are the hand-written runtime.

#![deny(missing_docs)]

mod client;
mod error;
mod operations;
mod response;
mod retry;
mod rules;
mod types;
mod value;

pub use client::{
    API_KEY_ENV, BASE_URL_ENV, Client, ClientBuilder, DEFAULT_ATTEMPT_TIMEOUT,
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_CONCURRENT_REQUESTS, DEFAULT_TOTAL_TIMEOUT,
    MAX_RESPONSE_BYTES, RequestOptions,
};
pub use error::{ApiError, ApiErrorKind, Error, TimeoutLimit};
pub use operations::DEFAULT_BASE_URL;
pub use reqwest::header::HeaderMap;
pub use response::Response;
pub use retry::{
    DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_BACKOFF, DEFAULT_MAX_RETRY_AFTER,
    RetryPolicy,
};
pub use rules::{Alternative, Format, Rule, Validate, ValidationError};
pub use types::*;
pub use value::StringOrNumber;

#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
