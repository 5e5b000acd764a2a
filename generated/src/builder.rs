//! The typestate of the generated request builders.
//!
//! `CreateMessageRequest::builder()` starts with every required field [`Unset`]; setting
//! one changes the builder's type, and `build()` exists only on the type where all are
//! set. Required fields are set by name, in any order:
//!
//! ```
//! use telnyx_messaging::{CreateAlphanumericSenderIdMessageRequest, MessageType};
//!
//! let request = CreateAlphanumericSenderIdMessageRequest::builder()
//!     .to("+447700900123")
//!     .messaging_profile_id("4000eba1-a0c0-4563-9925-b25e842a7cb6")
//!     .from("MyBrand")
//!     .text("Your code is 123456")
//!     .build();
//! assert_eq!(request.from, "MyBrand");
//! ```
//!
//! Forgetting one is a compile error (here `messaging_profile_id`: no `build` method), not
//! a refusal at run time:
//!
//! ```compile_fail,E0599
//! use telnyx_messaging::CreateAlphanumericSenderIdMessageRequest;
//!
//! let request = CreateAlphanumericSenderIdMessageRequest::builder()
//!     .to("+447700900123")
//!     .from("MyBrand")
//!     .text("Your code is 123456")
//!     .build();
//! ```
//!
//! Enum fields take the enum, so a misspelt value does not compile either:
//!
//! ```compile_fail,E0308
//! use telnyx_messaging::CreateMessageRequest;
//!
//! let request = CreateMessageRequest::builder().to("+18665550001").type_("sms").build();
//! ```
//!
//! A value newer than the crate stays reachable, on purpose, through the enum's `Unknown`
//! arm (`MessageType::from("RCS")`).

/// A required field of a request builder that is not set yet.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Unset;
