//! The integration test binary: drives the real `jenga` binary on fixture stacks.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod analysis;
mod browser;
mod check;
mod cli_contract;
mod cutsets;
mod dataset;
mod depth;
mod diff;
mod eco;
mod eco_done;
mod formats;
mod harness;
mod hostile;
mod imports;
mod inferred;
mod lossless;
mod memory;
mod perf;
mod properties;
mod render;
mod report;
mod roots;
mod safe_output;
mod schemas;
mod stacks;
mod structure;
mod tables;
mod xlsx;
