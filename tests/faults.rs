//! Fault-injection tests.
