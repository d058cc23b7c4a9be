//! The command line: clap types, turned into a plain [`Config`] before any work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::engine::ArgValueCandidates;

pub use crate::config::{Config, TableOutput};
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
    #[arg(long = "remove", short = 'r', value_name = "SEL", add = ArgValueCandidates::new(complete::selectors))]
    pub remove: Vec<String>,

    /// Apply the removals only to these destination countries (export controls
    /// apply per destination).
    #[arg(long = "for", value_name = "CC,CC", value_delimiter = ',', add = ArgValueCandidates::new(complete::countries))]
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
        /// Output format; without it, the extension of `-o` (`.txt`, `.json`, `.csv`,
        /// `.md`, `.xlsx`), else the aligned text table.
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// Write to FILE instead of standard output (required for `xlsx`).
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
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
        /// Output format; without it, the extension of `-o` (`.txt`, `.json`, `.csv`,
        /// `.md`, `.xlsx`), else the aligned text table.
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// Write to FILE instead of standard output (required for `xlsx`).
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Market concentration of each input's supply: top share, HHI and the number
    /// of countries (or firms) that reach 75 %, from the shares of its dependencies.
    /// Inputs whose shares are missing are flagged, not scored.
    Concentration {
        /// Read the supply by country (the country view) or by organization.
        #[arg(long, value_enum, default_value_t = ConcentrationBy::Country)]
        by: ConcentrationBy,
        /// Output format; without it, the extension of `-o` (`.txt`, `.json`, `.csv`,
        /// `.md`, `.xlsx`), else the aligned text table.
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// Write to FILE instead of standard output (required for `xlsx`).
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Minimal cut sets: the smallest sets of removals that fail a target.
    Cutsets {
        /// A node id, or a country code (fails when it loses every capability).
        #[arg(add = ArgValueCandidates::new(complete::targets))]
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
        /// Output format; without it, the extension of `-o` (`.txt`, `.json`, `.csv`,
        /// `.md`, `.xlsx`), else the aligned text table.
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// Write to FILE instead of standard output (required for `xlsx`).
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// The dependency paths from a capability or country to a node.
    Why {
        /// A capability id or a country code.
        #[arg(add = ArgValueCandidates::new(complete::targets))]
        target: String,
        /// The node depended on.
        #[arg(add = ArgValueCandidates::new(complete::ids))]
        node: String,
        /// Most paths shown.
        #[arg(long, value_name = "N", default_value_t = 20)]
        max_paths: usize,
        /// Output format; without it, the extension of `-o` (`.txt`, `.json`, `.csv`,
        /// `.md`, `.xlsx`), else the aligned text table.
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// Write to FILE instead of standard output (required for `xlsx`).
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Everything that transitively needs a node: its blast radius.
    Dependents {
        /// The node.
        #[arg(add = ArgValueCandidates::new(complete::ids))]
        node: String,
        /// Output format; without it, the extension of `-o` (`.txt`, `.json`, `.csv`,
        /// `.md`, `.xlsx`), else the aligned text table.
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// Write to FILE instead of standard output (required for `xlsx`).
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// How much of each country's stack is domestic, allied or foreign.
    Sovereignty {
        /// One country (default: all).
        #[arg(add = ArgValueCandidates::new(complete::countries))]
        country: Option<String>,
        /// Output format; without it, the extension of `-o` (`.txt`, `.json`, `.csv`,
        /// `.md`, `.xlsx`), else the aligned text table.
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// Write to FILE instead of standard output (required for `xlsx`).
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Regenerate the source's tables from the data.
    Table {
        /// Which table.
        #[arg(value_enum)]
        which: TableKind,
        /// Output format; without it, the extension of `-o` (`.txt`, `.json`, `.csv`,
        /// `.md`, `.xlsx`), else the aligned text table.
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// Write to FILE instead of standard output (required for `xlsx`).
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Draw a country's tower, the overview or the exposure matrix.
    Render {
        /// A country code, `overview` or `matrix`.
        #[arg(add = ArgValueCandidates::new(complete::render_targets))]
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
        /// Directory of scenario files (default: `scenarios`, when it exists; a
        /// directory given here must exist).
        #[arg(long, value_name = "DIR")]
        scenarios: Option<PathBuf>,
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
        #[arg(add = ArgValueCandidates::new(complete::targets))]
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
        /// Output format; without it, the extension of `-o` (`.txt`, `.json`, `.csv`,
        /// `.md`, `.xlsx`), else the aligned text table.
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// Write to FILE instead of standard output (required for `xlsx`).
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
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
    /// GEXF 1.2, Gephi's own format.
    Gexf,
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

/// A usage error for the first argument that holds a control character (newline,
/// tab, escape sequences) or a bidirectional override: no id, code, selector or
/// sensible path needs one, and refusing it means no message ever echoes one to the
/// terminal. The argument is quoted sanitized ([`crate::diag::sanitize`]) and clipped.
pub fn refuse_control_characters(args: &[std::ffi::OsString]) -> Option<crate::error::Error> {
    args.iter().enumerate().skip(1).find_map(|(i, a)| {
        let text = a.to_string_lossy();
        text.chars()
            .any(|c| c.is_control() || crate::diag::is_bidi_control(c))
            .then(|| {
                crate::error::Error::Usage(format!(
                    "argument {i} (`{}`) holds a control character or a bidirectional override (shown as \u{FFFD}); jenga's ids, codes, selectors and paths never need one",
                    crate::diag::sanitize_clipped(&text)
                ))
            })
    })
}

/// Dynamic completion of values from the stack files (clap_complete's
/// `CompleteEnv`): node and organization ids, country codes, selectors. The stacks
/// directory is the `--stacks DIR` of the command line being completed (default
/// `stacks`); files that do not load contribute nothing, so completion never fails.
pub mod complete {
    use std::ffi::OsString;
    use std::path::PathBuf;

    use clap_complete::engine::CompletionCandidate;

    /// What the stacks directory declares, for completion.
    #[derive(Debug, Default)]
    pub struct Names {
        /// Node and organization ids with their names, sorted by id.
        pub ids: Vec<(String, String)>,
        /// Declared country codes with the country's name, sorted.
        pub countries: Vec<(String, String)>,
        /// Jurisdictions of the organizations, sorted, each once.
        pub jurisdictions: Vec<String>,
    }

    /// The `--stacks` value in `args` (`--stacks DIR` or `--stacks=DIR`; the last one
    /// wins), or `stacks`.
    pub fn stacks_dir(args: &[OsString]) -> PathBuf {
        let mut dir = PathBuf::from("stacks");
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let a = a.to_string_lossy();
            if a == "--stacks" {
                if let Some(v) = it.next() {
                    dir = PathBuf::from(v);
                }
            } else if let Some(v) = a.strip_prefix("--stacks=") {
                dir = PathBuf::from(v);
            }
        }
        dir
    }

    /// Reads the names of the stack files under `dir` (every file that parses).
    ///
    /// # Complexity
    /// O(size of the files) to parse them, O(n log n) to sort n names.
    pub fn names(dir: &std::path::Path) -> Names {
        let Ok(loaded) = crate::load::load_dir(dir, &crate::load::Limits::default()) else {
            return Names::default();
        };
        let mut n = Names::default();
        for f in &loaded.files {
            let d = &f.data;
            if let Some(c) = &d.country {
                let name = d
                    .name
                    .as_ref()
                    .map(|x| x.value.to_string())
                    .unwrap_or_default();
                n.countries.push((c.value.to_string(), name));
            }
            for o in &d.organizations {
                n.ids
                    .push((o.value.id.value.to_string(), o.value.name.value.to_string()));
                n.jurisdictions.push(o.value.jurisdiction.value.to_string());
            }
            for x in &d.nodes {
                n.ids
                    .push((x.value.id.value.to_string(), x.value.name.value.to_string()));
            }
        }
        n.ids.sort();
        n.ids.dedup_by(|a, b| a.0 == b.0);
        n.countries.sort();
        n.countries.dedup_by(|a, b| a.0 == b.0);
        n.jurisdictions.sort();
        n.jurisdictions.dedup();
        n
    }

    fn current() -> Names {
        let args: Vec<OsString> = std::env::args_os().collect();
        names(&stacks_dir(&args))
    }

    fn candidates(items: impl IntoIterator<Item = (String, String)>) -> Vec<CompletionCandidate> {
        items
            .into_iter()
            .map(|(v, help)| {
                let c = CompletionCandidate::new(v);
                if help.is_empty() {
                    c
                } else {
                    c.help(Some(crate::diag::sanitize(&help).into()))
                }
            })
            .collect()
    }

    /// Node and organization ids.
    pub fn ids() -> Vec<CompletionCandidate> {
        candidates(current().ids)
    }

    /// Declared country codes.
    pub fn countries() -> Vec<CompletionCandidate> {
        candidates(current().countries)
    }

    /// A target: a country code or a node id.
    pub fn targets() -> Vec<CompletionCandidate> {
        let n = current();
        candidates(n.countries.into_iter().chain(n.ids))
    }

    /// What `render` draws: a country, `overview` or `matrix`.
    pub fn render_targets() -> Vec<CompletionCandidate> {
        let n = current();
        let fixed = [
            (
                "overview".to_owned(),
                "every country side by side".to_owned(),
            ),
            ("matrix".to_owned(), "the exposure matrix".to_owned()),
        ];
        candidates(fixed.into_iter().chain(n.countries))
    }

    /// A selector: an id, `jurisdiction:XX` (every jurisdiction of the data and every
    /// declared country) or `layer:NAME`.
    pub fn selectors() -> Vec<CompletionCandidate> {
        let n = current();
        let mut codes: Vec<String> = n
            .jurisdictions
            .into_iter()
            .chain(n.countries.into_iter().map(|c| c.0))
            .collect();
        codes.sort();
        codes.dedup();
        let juris = codes
            .into_iter()
            .map(|c| (format!("jurisdiction:{c}"), String::new()));
        let layers = crate::model::Layer::ALL
            .iter()
            .map(|l| (format!("layer:{}", l.as_str()), String::new()));
        candidates(n.ids.into_iter().chain(juris).chain(layers))
    }
}
