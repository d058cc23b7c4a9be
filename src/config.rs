//! The plain settings that every command reads, resolved once from the command line
//! by [`crate::cli::Cli::into_config`]. No module below `cli` imports it: the library
//! modules (progress bars, loading, output) take this instead.

use std::path::PathBuf;

use crate::load::Limits;

/// Settings that apply to every command.
#[derive(Debug, Clone)]
pub struct Config {
    /// The stacks directory.
    pub stacks: PathBuf,
    /// Colour diagnostics.
    pub color: bool,
    /// No progress or summaries.
    pub quiet: bool,
    /// Input budgets.
    pub limits: Limits,
    /// Build the world without the `inferred` dependencies.
    pub exclude_inferred: bool,
}
