//! The command line: clap types, turned into a plain [`Config`] before any work.
//!
//! One args struct per subcommand lives in [`args`], the closed choices in [`values`],
//! the dynamic completion of ids and codes in [`complete`], and [`dispatch`] hands the
//! parsed command to its module in [`crate::run`] as plain arguments. Nothing below the command
//! layer imports this module: the library takes [`Config`] and its own types.

pub mod args;
pub mod complete;
mod dispatch;
pub mod values;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

pub use self::args::*;
pub use self::dispatch::dispatch;
pub use self::values::*;
pub use crate::config::{Config, TableOutput};
use crate::error::Error;
use crate::load::Limits;
pub use crate::output::Format;

/// Pull a block, see what falls: dependency analysis of national sovereign-AI stacks.
#[derive(Debug, Parser)]
#[command(name = "jenga", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Directory of the stack files (searched recursively for *.yaml and *.yml). Give it
    /// more than once to load several directories as one world (an imported layer next
    /// to the seed, and `links/`): see ARCHITECTURE.md, "Several stacks directories".
    #[arg(long, global = true, default_value = "stacks", value_name = "DIR", action = clap::ArgAction::Append)]
    pub stacks: Vec<PathBuf>,

    /// When to colour diagnostics. NO_COLOR in the environment means never under `auto`.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Print nothing but results and errors (no progress, no summaries, no warnings).
    #[arg(long, short, global = true)]
    pub quiet: bool,

    /// Largest stack file read, in bytes.
    #[arg(long, global = true, value_name = "BYTES", default_value_t = Limits::default().max_file_bytes)]
    pub max_file_size: u64,

    /// Most nodes and organizations loaded from all files together.
    #[arg(long, global = true, value_name = "N", default_value_t = Limits::default().max_total_nodes)]
    pub max_nodes: usize,

    /// Build the world without the dependencies the files mark `inferred` (those the
    /// sources do not state): every analysis then rests on stated edges only.
    #[arg(long, global = true)]
    pub exclude_inferred: bool,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stderr is a terminal and NO_COLOR is not set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// The subcommands, each with its own args struct.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate every stack file and report every error at once.
    Check(CheckArgs),
    /// Run an export-control scenario: remove blocks and see what falls.
    Scenario(ScenarioArgs),
    /// Rank the nodes whose removal alone does the most damage.
    Chokepoints(ChokepointsArgs),
    /// Market concentration of each input's supply: top share, HHI and the number
    /// of countries (or firms) that reach 75 %, from the shares of its dependencies.
    /// Inputs whose shares are missing are flagged, not scored.
    Concentration(ConcentrationArgs),
    /// Minimal cut sets: the smallest sets of removals that fail a target.
    Cutsets(CutsetsArgs),
    /// The dependency paths from a capability or country to a node.
    Why(WhyArgs),
    /// Everything that transitively needs a node: its blast radius.
    Dependents(DependentsArgs),
    /// How much of each country's stack is domestic, allied or foreign.
    Sovereignty(SovereigntyArgs),
    /// Regenerate the source's tables from the data.
    Table(TableArgs),
    /// Draw a country's tower, the overview or the exposure matrix.
    Render(RenderArgs),
    /// The main job: every diagram and table into the output directory.
    Report(ReportArgs),
    /// Import a model from another tool's format, or a public dataset into a stack
    /// directory.
    ///
    /// `import eto DIR -o OUT` (the ETO chip supply chain's `data/` folder),
    /// `import epoch FILE... -o OUT` (`gpu_clusters.csv`, `ml_hardware.csv`),
    /// `import top500 FILE -o OUT` (a TOP500 list as CSV), `import open-psa FILE...
    /// [-o FILE]`.
    Import(ImportArgs),
    /// Export the graph, or a target's cone, for other tools.
    Export(ExportArgs),
    /// Compare two stack directories: what changed, and how the chokepoint ranking and
    /// each country's exposure moved.
    Diff(DiffArgs),
    /// Print the JSON Schema of stack files (`stacks/schema.json`), or with
    /// `--scenario` of scenario files (`scenarios/schema.json`).
    Schema(SchemaArgs),
    /// Scaffold a new file.
    New(NewArgs),
    /// Write a synthetic world (for benchmarks and scaling tests) into a directory.
    Generate(GenerateArgs),
    /// Print shell completions.
    Completions(CompletionsArgs),
}

/// The colour choice for clap's own output (help, usage errors), read from the raw
/// arguments before parsing: `--color always|never` (or `--color=...`) wins; under
/// `auto` clap's terminal detection applies, which honours `NO_COLOR`.
pub fn clap_color(args: &[std::ffi::OsString]) -> clap::ColorChoice {
    let mut choice = clap::ColorChoice::Auto;
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        let value = match a.strip_prefix("--color") {
            Some("") => it.next().map(|v| v.into_owned()),
            Some(v) => v.strip_prefix('=').map(str::to_owned),
            None => None,
        };
        match value.as_deref() {
            Some("always") => choice = clap::ColorChoice::Always,
            Some("never") => choice = clap::ColorChoice::Never,
            Some("auto") => choice = clap::ColorChoice::Auto,
            _ => {}
        }
    }
    choice
}

impl Cli {
    /// Splits the parsed arguments into the settings and the command.
    pub fn into_config(self) -> (Config, Command) {
        let color = match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::IsTerminal::is_terminal(&std::io::stderr())
            }
        };
        let mut stacks = self.stacks.into_iter();
        let limits = Limits {
            max_file_bytes: self.max_file_size,
            max_total_nodes: self.max_nodes,
            ..Limits::default()
        };
        (
            Config {
                stacks: stacks.next().unwrap_or_else(|| PathBuf::from("stacks")),
                more_stacks: stacks.collect(),
                color,
                quiet: self.quiet,
                limits,
                exclude_inferred: self.exclude_inferred,
                table_output: None,
            },
            self.command,
        )
    }
}

impl TableOut {
    /// `config` with this table command's output (`sheet` names the worksheet of an
    /// `xlsx` file; `protect` the directories it must not be written into), and the
    /// format ([`crate::config::table_format`]).
    ///
    /// # Errors
    /// [`crate::config::table_format`]'s usage errors.
    pub fn resolve(
        self,
        config: &Config,
        sheet: &str,
        protect: Vec<PathBuf>,
    ) -> Result<(Config, Format), Error> {
        let format = crate::config::table_format(self.format, self.output.as_deref())?;
        let mut config = config.clone();
        config.table_output = self.output.map(|path| TableOutput {
            path,
            sheet: sheet.to_owned(),
            protect,
        });
        Ok((config, format))
    }
}

/// A usage error for the first argument that holds a control character (newline,
/// tab, escape sequences) or a bidirectional override: no id, code, selector or
/// sensible path needs one, and refusing it means no message ever echoes one to the
/// terminal. The argument is quoted sanitized ([`crate::diag::sanitize`]) and clipped.
pub fn refuse_control_characters(args: &[std::ffi::OsString]) -> Option<Error> {
    args.iter().enumerate().skip(1).find_map(|(i, a)| {
        let text = a.to_string_lossy();
        text.chars()
            .any(|c| c.is_control() || crate::diag::is_bidi_control(c))
            .then(|| {
                Error::Usage(format!(
                    "argument {i} (`{}`) holds a control character or a bidirectional override (shown as \u{FFFD}); jenga's ids, codes, selectors and paths never need one",
                    crate::diag::sanitize_clipped(&text)
                ))
            })
    })
}
