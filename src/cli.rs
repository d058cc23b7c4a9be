//! The command line: clap types, turned into a plain [`Config`] before any work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::load::Limits;

/// Pull a block, see what falls: dependency analysis of national sovereign-AI stacks.
#[derive(Debug, Parser)]
#[command(name = "jenga", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Directory of the stack files (searched recursively for *.yaml and *.yml).
    #[arg(long, global = true, default_value = "stacks", value_name = "DIR")]
    pub stacks: PathBuf,

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

/// Output format of an analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// Aligned text for the terminal.
    #[default]
    Table,
    /// Documented, stable JSON (see docs/json.md).
    Json,
    /// Comma-separated values.
    Csv,
    /// GitHub-flavoured Markdown tables.
    Markdown,
}

/// Output format of `jenga check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum CheckFormat {
    /// Diagnostics for people, on standard error.
    #[default]
    Text,
    /// Diagnostics and counts as one JSON document on standard output (docs/json.md).
    Json,
}

/// The removal flags shared by `scenario` and `render`.
#[derive(Debug, Clone, Default, Args)]
pub struct Removals {
    /// Remove a node, an organization (with its products), `jurisdiction:XX` or
    /// `layer:NAME`. Repeatable.
    #[arg(long = "remove", short = 'r', value_name = "SEL")]
    pub remove: Vec<String>,

    /// Apply the removals only to these destination countries (export controls
    /// apply per destination).
    #[arg(long = "for", value_name = "CC,CC", value_delimiter = ',')]
    pub for_countries: Vec<String>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate every stack file and report every error at once.
    Check {
        /// Treat warnings (e.g. a node without sources, a `TODO` left in a scaffold) as
        /// errors.
        #[arg(long)]
        strict: bool,
        /// Where the sources' plain texts are (a bibliography entry's `text` is a file
        /// name in it): every quote must occur in its source's text. Without it,
        /// `JENGA_SOURCE_TEXT` may name one such file.
        #[arg(long, value_name = "DIR")]
        sources_dir: Option<PathBuf>,
        /// `text`: diagnostics and a summary on standard error. `json`: in addition,
        /// one JSON document on standard output with every diagnostic and the counts
        /// (docs/json.md), also when the check fails.
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// Run an export-control scenario: remove blocks and see what falls.
    Scenario {
        /// A scenario file (scenarios/*.yaml) with a name and removals.
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
        /// What to remove.
        #[command(flatten)]
        removals: Removals,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Rank the nodes whose removal alone does the most damage.
    Chokepoints {
        /// Show only the first N.
        #[arg(long, value_name = "N")]
        top: Option<usize>,
        /// Remove single nodes, whole organizations or whole jurisdictions.
        #[arg(long, value_enum, default_value_t = ChokeBy::Node)]
        by: ChokeBy,
        /// Rank by capabilities failed (the boolean ranking), by supply lost (shares)
        /// or by capacity lost.
        #[arg(long, value_enum, default_value_t = ChokeKey::Capabilities)]
        key: ChokeKey,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Market concentration of each input's supply: top share, HHI and the number
    /// of countries (or firms) that reach 75 %, from the shares of its dependencies.
    /// Inputs whose shares are missing are flagged, not scored.
    Concentration {
        /// Read the supply by country (the country view) or by organization.
        #[arg(long, value_enum, default_value_t = ConcentrationBy::Country)]
        by: ConcentrationBy,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Minimal cut sets: the smallest sets of removals that fail a target.
    Cutsets {
        /// A node id, or a country code (fails when it loses every capability).
        target: String,
        /// Largest cut set order to compute.
        #[arg(long, value_name = "K")]
        max_order: Option<usize>,
        /// Candidates: `leaves` (organizations and raw inputs), `all`, or a selector.
        #[arg(long, value_name = "leaves|all|SEL", default_value = "leaves")]
        over: Vec<String>,
        /// For a country target: fail when it loses any one capability.
        #[arg(long)]
        any_capability: bool,
        /// The most sets listed; beyond it jenga counts them (exit 1) instead.
        #[arg(long, value_name = "N", default_value_t = crate::analysis::cutsets::Budget::DEFAULT_MAX_SETS)]
        max_sets: usize,
        /// The most BDD/ZBDD nodes and memo entries the computation may make.
        #[arg(long, value_name = "N", default_value_t = crate::analysis::cutsets::Budget::DEFAULT_MAX_NODES)]
        max_bdd_nodes: usize,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// The dependency paths from a capability or country to a node.
    Why {
        /// A capability id or a country code.
        target: String,
        /// The node depended on.
        node: String,
        /// Most paths shown.
        #[arg(long, value_name = "N", default_value_t = 20)]
        max_paths: usize,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Everything that transitively needs a node: its blast radius.
    Dependents {
        /// The node.
        node: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// How much of each country's stack is domestic, allied or foreign.
    Sovereignty {
        /// One country (default: all).
        country: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Regenerate the source's tables from the data.
    Table {
        /// Which table.
        #[arg(value_enum)]
        which: TableKind,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Draw a country's tower, the overview or the exposure matrix.
    Render {
        /// A country code, `overview` or `matrix`.
        target: String,
        /// What to remove.
        #[command(flatten)]
        removals: Removals,
        /// A scenario file to overlay.
        #[arg(long, value_name = "FILE")]
        scenario: Option<PathBuf>,
        /// Output format; without it, the extension of `-o` (`.svg`, `.png`, `.pdf`,
        /// `.dot`/`.gv`), else SVG. A format the extension contradicts, or an
        /// extension of no figure format, is a usage error.
        #[arg(long, value_enum)]
        format: Option<RenderFormat>,
        /// SVG engine: Graphviz when present, or the built-in renderer.
        #[arg(long, value_enum, default_value_t = Engine::Auto)]
        engine: Engine,
        /// Write to FILE instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// The main job: every diagram and table into the output directory.
    Report {
        /// Output directory.
        #[arg(long, short, value_name = "DIR", default_value = "output")]
        output: PathBuf,
        /// Directory of scenario files.
        #[arg(long, value_name = "DIR", default_value = "scenarios")]
        scenarios: PathBuf,
        /// SVG engine: the built-in renderer by default, so the report is the same
        /// bytes on every machine; `graphviz` (or `auto`: Graphviz when `dot` is on
        /// PATH) opts in to Graphviz's layout.
        #[arg(long, value_enum, default_value_t = Engine::Builtin)]
        engine: Engine,
    },
    /// Import a model from another tool's format, or a public dataset into a stack
    /// directory.
    ///
    /// `import eto DIR -o OUT` (the ETO chip supply chain's `data/` folder),
    /// `import epoch FILE... -o OUT` (`gpu_clusters.csv`, `ml_hardware.csv`),
    /// `import top500 FILE -o OUT` (a TOP500 list as CSV), `import open-psa FILE...
    /// [-o FILE]`.
    Import {
        /// The format.
        #[arg(value_enum)]
        from: ImportFormat,
        /// Input files (for `eto`, the dataset's directory).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Output: a file for `open-psa` (default: standard output); a directory,
        /// required, for the datasets.
        #[arg(long, short, value_name = "PATH")]
        output: Option<PathBuf>,
    },
    /// Export the graph, or a target's cone, for other tools.
    Export {
        /// A node id or country code (default: everything).
        target: Option<String>,
        /// The format.
        #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
        /// Output file (for `csv`, a directory: nodes.csv and edges.csv are written
        /// there).
        #[arg(long, short, value_name = "FILE|DIR")]
        output: Option<PathBuf>,
    },
    /// Compare two stack directories: what changed, and how the chokepoint ranking and
    /// each country's exposure moved.
    Diff {
        /// The older directory.
        old: PathBuf,
        /// The newer directory.
        new: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
        /// How many places of each chokepoint ranking to compare.
        #[arg(long, value_name = "N", default_value_t = 10)]
        top: usize,
        /// Also draw the changes as a figure, in the format FILE's extension names:
        /// `.svg`, `.png`, `.pdf`, `.dot` or `.gv` (any other is a usage error).
        #[arg(long, value_name = "FILE")]
        figure: Option<PathBuf>,
        /// Who draws the SVG figure.
        #[arg(long, value_enum, default_value_t = Engine::Auto)]
        engine: Engine,
    },
    /// Print the JSON Schema of stack files (`stacks/schema.json`), or with
    /// `--scenario` of scenario files (`scenarios/schema.json`).
    Schema {
        /// The schema of scenario files instead of stack files.
        #[arg(long)]
        scenario: bool,
    },
    /// Scaffold a new file.
    New {
        /// What to create (`country`).
        what: String,
        /// Its code.
        code: String,
        /// The file to create (default: `STACKS/cc.yaml`); never overwritten.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Write a synthetic world (for benchmarks and scaling tests) into a directory.
    Generate(GenerateArgs),
    /// Print shell completions.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
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

/// How `chokepoints` groups removals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChokeBy {
    /// Each node alone.
    Node,
    /// Each organization with everything it owns.
    Org,
    /// Each jurisdiction cut off whole.
    Jurisdiction,
}

/// What `jenga chokepoints` ranks by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChokeKey {
    /// Capabilities failed, countries failed, degraded, exposure.
    Capabilities,
    /// Supply lost: the shares of the supply each removal takes.
    Supply,
    /// Capacity lost (H100e, Rmax, ...).
    Capacity,
}

/// The views of `jenga concentration`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConcentrationBy {
    /// Countries (groups of country-view providers).
    Country,
    /// Organizations (firms).
    Org,
}

/// The source's tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableKind {
    /// Table 1: sovereign AI models.
    Models,
    /// Table 2: sovereign AI infrastructure.
    Infrastructure,
}

/// Diagram formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RenderFormat {
    /// Graphviz DOT.
    Dot,
    /// SVG.
    Svg,
    /// PNG (drawn from the SVG by resvg, one pixel per SVG pixel).
    Png,
    /// PDF (converted from the SVG by svg2pdf, text embedded).
    Pdf,
}

/// SVG engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Engine {
    /// Graphviz when `dot` is on PATH, else built-in.
    Auto,
    /// Graphviz `dot`.
    Graphviz,
    /// The built-in pure-Rust renderer.
    Builtin,
}

/// Import formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// Open-PSA Model Exchange Format (fault trees).
    OpenPsa,
    /// The ETO Advanced Semiconductor Supply Chain dataset (a directory).
    Eto,
    /// Epoch AI's `gpu_clusters.csv` and `ml_hardware.csv`.
    Epoch,
    /// A TOP500 list as CSV.
    Top500,
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// JSON of the whole graph.
    Json,
    /// GraphML.
    Graphml,
    /// Mermaid flowchart.
    Mermaid,
    /// CSV node and edge lists for spreadsheets (formula guard: a cell starting
    /// with `=`, `+`, `-` or `@` gets a leading `'`).
    Csv,
    /// CSV node and edge lists for databases: the data unaltered.
    CsvRaw,
    /// Open-PSA MEF fault tree.
    OpenPsa,
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
        let limits = Limits {
            max_file_bytes: self.max_file_size,
            max_total_nodes: self.max_nodes,
            ..Limits::default()
        };
        (
            Config {
                stacks: self.stacks,
                color,
                quiet: self.quiet,
                limits,
            },
            self.command,
        )
    }
}
