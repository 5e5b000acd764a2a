//! Shared helpers of the Telnyx Messaging client tests.
//!
//! - [`prism`] starts and stops a [Prism](https://github.com/stoplightio/prism) mock server
//!   of `spec/messaging.yaml` and counts the requests it receives.
//! - [`harness`] is a small sequential test runner for test binaries built with
//!   `harness = false`, with libtest-style output.
//! - [`scripted`] answers requests with bytes a test chose, for answers no mock gives.

pub mod fault_server;
pub mod harness;
pub mod prism;
pub mod scripted;
