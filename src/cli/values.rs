//! The closed choices of the command line (`--by`, `--key`, `--engine`, the formats):
//! clap value enums, which the commands map onto the library's own types.

use clap::ValueEnum;

/// Output format of `jenga check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum CheckFormat {
    /// Diagnostics for people, on standard error.
    #[default]
    Text,
    /// Diagnostics and counts as one JSON document on standard output (docs/json.md).
    Json,
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

impl From<ChokeBy> for crate::analysis::chokepoints::By {
    fn from(by: ChokeBy) -> Self {
        match by {
            ChokeBy::Node => Self::Node,
            ChokeBy::Org => Self::Org,
            ChokeBy::Jurisdiction => Self::Jurisdiction,
        }
    }
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

impl ChokeKey {
    /// The quantitative key, or `None` for the boolean ranking (`capabilities`).
    pub fn quantity(self) -> Option<crate::analysis::quantity::Key> {
        match self {
            ChokeKey::Capabilities => None,
            ChokeKey::Supply => Some(crate::analysis::quantity::Key::Supply),
            ChokeKey::Capacity => Some(crate::analysis::quantity::Key::Capacity),
        }
    }
}

/// The views of `jenga concentration`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConcentrationBy {
    /// Countries (groups of country-view providers).
    Country,
    /// Organizations (firms).
    Org,
}

impl From<ConcentrationBy> for crate::analysis::concentration::By {
    fn from(by: ConcentrationBy) -> Self {
        match by {
            ConcentrationBy::Country => Self::Country,
            ConcentrationBy::Org => Self::Org,
        }
    }
}

/// The source's tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableKind {
    /// Table 1: sovereign AI models.
    Models,
    /// Table 2: sovereign AI infrastructure.
    Infrastructure,
}

impl From<TableKind> for crate::model::SourceTable {
    fn from(kind: TableKind) -> Self {
        match kind {
            TableKind::Models => Self::Models,
            TableKind::Infrastructure => Self::Infrastructure,
        }
    }
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
