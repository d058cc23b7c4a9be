//! The plain settings that every command reads, resolved once from the command line
//! by [`crate::cli::Cli::into_config`]. No module below `cli` imports it: the library
//! modules (progress bars, loading, output) take this instead.

use std::path::PathBuf;

use crate::load::Limits;

/// Settings that apply to every command.
#[derive(Debug, Clone)]
pub struct Config {
    /// The (first) stacks directory.
    pub stacks: PathBuf,
    /// Further stacks directories (`--stacks` given more than once), loaded with the
    /// first as one world by [`crate::roots`].
    pub more_stacks: Vec<PathBuf>,
    /// Colour diagnostics.
    pub color: bool,
    /// No progress or summaries.
    pub quiet: bool,
    /// Input budgets.
    pub limits: Limits,
    /// Build the world without the `inferred` dependencies.
    pub exclude_inferred: bool,
    /// Where a table command writes its result (`-o FILE`); standard output when
    /// `None`. Set from the command's `--format`/`-o` by `cli::TableOut::resolve`.
    pub table_output: Option<TableOutput>,
}

/// The file a table command writes (`-o FILE`), and what it is called inside a
/// workbook.
#[derive(Debug, Clone)]
pub struct TableOutput {
    /// The file.
    pub path: PathBuf,
    /// The worksheet's name when the format is `xlsx` (the command's name).
    pub sheet: String,
    /// Directories the file must not be written into (`diff`'s inputs).
    pub protect: Vec<PathBuf>,
}
