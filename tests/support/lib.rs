//! Shared helpers of the Telnyx Messaging client tests.
//!
//! - [`prism`] starts and stops a [Prism](https://github.com/stoplightio/prism) mock server
//!   of `spec/messaging.yaml` and counts the requests it receives.
//! - [`harness`] is a small sequential test runner for test binaries built with
//!   `harness = false`, with libtest-style output.
//! - [`fault_server`] is a keep-alive HTTP/1.1 server whose answers a test scripts per
//!   request (errors, resets, stalls, cut-off and oversized bodies), counting requests and
//!   connections.
//! - [`capture`] records every `tracing` span and event, and every `log` record (the HTTP
//!   stack's), for tests of what gets logged.

pub mod capture;
pub mod fault_server;
pub mod harness;
pub mod prism;
