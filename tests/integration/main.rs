//! The integration test binary: drives the real `jenga` binary on fixture stacks.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod check;
mod eco;
mod harness;
mod stacks;
