//! The integration test binary: drives the real `jenga` binary on fixture stacks.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod analysis;
mod check;
mod cutsets;
mod dataset;
mod eco;
mod harness;
mod hostile;
mod properties;
mod render;
mod safe_output;
mod stacks;
mod tables;
