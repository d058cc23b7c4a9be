//! The arguments of each subcommand: one clap struct per subcommand, and the flag
//! groups several of them share (the removals, a table's format and file).

use std::path::PathBuf;

use clap::Args;
use clap_complete::engine::ArgValueCandidates;

use super::complete;
use super::values::ChokeKey;
use crate::analysis::{chokepoints, concentration};
use crate::model::SourceTable;
use crate::output::{CheckFormat, Format};
use crate::render::{FigureFormat, SvgEngine};

/// The removal flags shared by `scenario` and `render`.
#[derive(Debug, Clone, Default, Args)]
pub struct Removals {
    /// Remove a node, an organization (with its products), `jurisdiction:XX` or
    /// `layer:NAME`. Repeatable.
    #[arg(long = "remove", short = 'r', value_name = "SEL", add = ArgValueCandidates::new(complete::selectors))]
    pub remove: Vec<String>,

    /// Apply the removals only to these destination countries (export controls
    /// apply per destination).
    #[arg(long = "for", value_name = "CC,CC", value_delimiter = ',', add = ArgValueCandidates::new(complete::countries))]
    pub for_countries: Vec<String>,
}

/// The format and file of a table command's result (`--format`, `-o`), resolved
/// into a [`crate::config::TableOutput`] by [`TableOut::resolve`].
#[derive(Debug, Clone, Default, Args)]
pub struct TableOut {
    /// Output format; without it, the extension of `-o` (`.txt`, `.json`, `.csv`,
    /// `.md`, `.xlsx`), else the aligned text table.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write to FILE instead of standard output (required for `xlsx`).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `jenga check`.
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Treat warnings (e.g. a node without sources, a `TODO` left in a scaffold) as
    /// errors.
    #[arg(long)]
    pub strict: bool,
    /// Where the sources' plain texts are (a bibliography entry's `text` is a file
    /// name in it): every quote must occur in its source's text. Without it,
    /// `JENGA_SOURCE_TEXT` may name one such file.
    #[arg(long, value_name = "DIR")]
    pub sources_dir: Option<PathBuf>,
    /// `text`: diagnostics and a summary on standard error. `json`: in addition,
    /// one JSON document on standard output with every diagnostic and the counts
    /// (docs/json.md), also when the check fails.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
}

/// `jenga scenario`.
#[derive(Debug, Clone, Args)]
pub struct ScenarioArgs {
    /// A scenario file (scenarios/*.yaml) with a name and removals.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// What to remove.
    #[command(flatten)]
    pub removals: Removals,
    /// Where the table goes.
    #[command(flatten)]
    pub out: TableOut,
}

/// `jenga chokepoints`.
#[derive(Debug, Clone, Args)]
pub struct ChokepointsArgs {
    /// Show only the first N.
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// Remove single nodes, whole organizations or whole jurisdictions.
    #[arg(long, value_enum, default_value_t = chokepoints::By::Node)]
    pub by: chokepoints::By,
    /// Rank by capabilities failed (the boolean ranking), by supply lost (shares)
    /// or by capacity lost.
    #[arg(long, value_enum, default_value_t = ChokeKey::Capabilities)]
    pub key: ChokeKey,
    /// Where the table goes.
    #[command(flatten)]
    pub out: TableOut,
}

/// `jenga concentration`.
#[derive(Debug, Clone, Args)]
pub struct ConcentrationArgs {
    /// Read the supply by country (the country view) or by organization.
    #[arg(long, value_enum, default_value_t = concentration::By::Country)]
    pub by: concentration::By,
    /// Where the table goes.
    #[command(flatten)]
    pub out: TableOut,
}

/// `jenga cutsets`.
#[derive(Debug, Clone, Args)]
pub struct CutsetsArgs {
    /// A node id, or a country code (fails when it loses every capability).
    #[arg(add = ArgValueCandidates::new(complete::targets))]
    pub target: String,
    /// Largest cut set order to compute.
    #[arg(long, value_name = "K")]
    pub max_order: Option<usize>,
    /// Candidates: `leaves` (organizations and raw inputs), `all`, or a selector.
    #[arg(long, value_name = "leaves|all|SEL", default_value = "leaves")]
    pub over: Vec<String>,
    /// For a country target: fail when it loses any one capability.
    #[arg(long)]
    pub any_capability: bool,
    /// The most sets listed; beyond it jenga counts them (exit 1) instead.
    #[arg(long, value_name = "N", default_value_t = crate::analysis::cutsets::Budget::DEFAULT_MAX_SETS)]
    pub max_sets: usize,
    /// The most BDD/ZBDD nodes and memo entries the computation may make.
    #[arg(long, value_name = "N", default_value_t = crate::analysis::cutsets::Budget::DEFAULT_MAX_NODES)]
    pub max_bdd_nodes: usize,
    /// Where the table goes.
    #[command(flatten)]
    pub out: TableOut,
}

/// `jenga why`.
#[derive(Debug, Clone, Args)]
pub struct WhyArgs {
    /// A capability id or a country code.
    #[arg(add = ArgValueCandidates::new(complete::targets))]
    pub target: String,
    /// The node depended on.
    #[arg(add = ArgValueCandidates::new(complete::ids))]
    pub node: String,
    /// Most paths shown.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub max_paths: usize,
    /// Where the table goes.
    #[command(flatten)]
    pub out: TableOut,
}

/// `jenga dependents`.
#[derive(Debug, Clone, Args)]
pub struct DependentsArgs {
    /// The node.
    #[arg(add = ArgValueCandidates::new(complete::ids))]
    pub node: String,
    /// Where the table goes.
    #[command(flatten)]
    pub out: TableOut,
}

/// `jenga sovereignty`.
#[derive(Debug, Clone, Args)]
pub struct SovereigntyArgs {
    /// One country (default: all).
    #[arg(add = ArgValueCandidates::new(complete::countries))]
    pub country: Option<String>,
    /// Where the table goes.
    #[command(flatten)]
    pub out: TableOut,
}

/// `jenga table`.
#[derive(Debug, Clone, Args)]
pub struct TableArgs {
    /// Which table.
    #[arg(value_enum)]
    pub which: SourceTable,
    /// Where the table goes.
    #[command(flatten)]
    pub out: TableOut,
}

/// `jenga render`.
#[derive(Debug, Clone, Args)]
pub struct RenderArgs {
    /// A country code, `overview` or `matrix`.
    #[arg(add = ArgValueCandidates::new(complete::render_targets))]
    pub target: String,
    /// What to remove.
    #[command(flatten)]
    pub removals: Removals,
    /// A scenario file to overlay.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// Output format; without it, the extension of `-o` (`.svg`, `.png`, `.pdf`,
    /// `.dot`/`.gv`), else SVG. A format the extension contradicts, or an
    /// extension of no figure format, is a usage error.
    #[arg(long, value_enum)]
    pub format: Option<FigureFormat>,
    /// SVG engine: Graphviz when present, or the built-in renderer.
    #[arg(long, value_enum, default_value_t = SvgEngine::Auto)]
    pub engine: SvgEngine,
    /// Write to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `jenga report`.
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// Output directory.
    #[arg(long, short, value_name = "DIR", default_value = "output")]
    pub output: PathBuf,
    /// Directory of scenario files (default: `scenarios`, when it exists; a
    /// directory given here must exist).
    #[arg(long, value_name = "DIR")]
    pub scenarios: Option<PathBuf>,
    /// SVG engine: the built-in renderer by default, so the report is the same
    /// bytes on every machine; `graphviz` (or `auto`: Graphviz when `dot` is on
    /// PATH) opts in to Graphviz's layout.
    #[arg(long, value_enum, default_value_t = SvgEngine::Builtin)]
    pub engine: SvgEngine,
}

/// `jenga import`.
#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// The format.
    #[arg(value_enum)]
    pub from: crate::import::Format,
    /// Input files (for `eto`, the dataset's directory).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Output: a file for `open-psa` (default: standard output); a directory,
    /// required, for the datasets.
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

/// `jenga export`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// A node id or country code (default: everything).
    #[arg(add = ArgValueCandidates::new(complete::targets))]
    pub target: Option<String>,
    /// The format.
    #[arg(long, value_enum, default_value_t = crate::export::Format::Json)]
    pub format: crate::export::Format,
    /// Output file (for `csv`, a directory: nodes.csv and edges.csv are written
    /// there).
    #[arg(long, short, value_name = "FILE|DIR")]
    pub output: Option<PathBuf>,
}

/// `jenga diff`.
#[derive(Debug, Clone, Args)]
pub struct DiffArgs {
    /// The older directory.
    pub old: PathBuf,
    /// The newer directory.
    pub new: PathBuf,
    /// Where the table goes.
    #[command(flatten)]
    pub out: TableOut,
    /// How many places of each chokepoint ranking to compare.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,
    /// Also draw the changes as a figure, in the format FILE's extension names:
    /// `.svg`, `.png`, `.pdf`, `.dot` or `.gv` (any other is a usage error).
    #[arg(long, value_name = "FILE")]
    pub figure: Option<PathBuf>,
    /// Who draws the SVG figure.
    #[arg(long, value_enum, default_value_t = SvgEngine::Auto)]
    pub engine: SvgEngine,
}

/// `jenga schema`.
#[derive(Debug, Clone, Args)]
pub struct SchemaArgs {
    /// The schema of scenario files instead of stack files.
    #[arg(long)]
    pub scenario: bool,
}

/// `jenga new`.
#[derive(Debug, Clone, Args)]
pub struct NewArgs {
    /// What to create (`country`).
    pub what: String,
    /// Its code.
    pub code: String,
    /// The file to create (default: `STACKS/cc.yaml`); never overwritten.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `jenga completions`.
#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// The arguments of `jenga generate` (see [`crate::synth::Spec`]).
#[derive(Debug, Clone, Args)]
pub struct GenerateArgs {
    /// Number of country files.
    #[arg(long, default_value_t = 40)]
    pub countries: usize,
    /// Components per country (capabilities included).
    #[arg(long, default_value_t = 1000)]
    pub nodes: usize,
    /// Shared supplier products (popularity follows a Zipf law).
    #[arg(long, default_value_t = 2000)]
    pub suppliers: usize,
    /// Probability that a component also needs one of its own layer (cycles).
    #[arg(long, default_value_t = 0.02)]
    pub cycles: f64,
    /// Probability that a component also has an `unknown` dependency.
    #[arg(long, default_value_t = 0.01)]
    pub unknown: f64,
    /// Zipf exponent of supplier popularity (0 = uniform).
    #[arg(long, default_value_t = 1.1)]
    pub zipf: f64,
    /// Seed: the same seed gives byte-identical files.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Instead of a world: a dependency chain of N nodes (`synth::chain`), for depth
    /// tests.
    #[arg(long, value_name = "N", conflicts_with = "any_pairs")]
    pub chain: Option<usize>,
    /// The number of files the chain is spread over.
    #[arg(long, value_name = "N", default_value_t = 100, requires = "chain")]
    pub files: usize,
    /// Instead of a world: K ANDed pairs, 2^K minimal cut sets (`synth::any_pairs`).
    #[arg(long, value_name = "K")]
    pub any_pairs: Option<usize>,
    /// The directory to write (created; replaced only when empty or made by jenga).
    #[arg(long, short, value_name = "DIR")]
    pub output: PathBuf,
}
