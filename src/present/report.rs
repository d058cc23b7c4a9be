//! `jenga report`'s content: the report planned in memory as a list of files (a
//! [`Plan`]), then written. The command (`run/report.rs`) loads the world and the
//! scenario files and hands them here:
//!
//! - [`plan`] builds every table and figure model (a tower per country, the overview,
//!   the exposure matrix, each scenario's overview with its overlay, and for a world
//!   with the chip layer its worked example);
//! - [`tables`] holds the tables shown under the figures and atop the report;
//! - [`markdown`] writes `report.md`, [`html`] `index.html` (no JavaScript, nothing
//!   fetched from the network, every text from the data escaped);
//! - [`chip`] the chip layer's section (concentration, the EUV chain, NL and JP cut
//!   off);
//! - [`write`] draws the figures (SVG, PNG, PDF) and writes every file into the
//!   staging directory.
//!
//! Every file is a pure function of the data and the scenario files: two runs give
//! the same bytes.

use std::collections::BTreeMap;

use crate::analysis::chokepoints::Chokepoints;
use crate::analysis::scenario::{Scenario, ScenarioReport};
use crate::output::Table;
use crate::render::Figure;

pub mod chip;
pub mod html;
pub mod markdown;
pub mod plan;
pub mod tables;
pub mod write;

pub use plan::plan;

/// How many files `plan` writes: its text files, the two pages, the workbook, and
/// each figure as SVG, PNG and PDF (its DOT is among the text files).
pub fn file_count(plan: &Plan) -> usize {
    plan.files.len() + 3 + 3 * plan.figures.len()
}

/// Every text file of `plan` with the two pages and the workbook, by path.
///
/// # Errors
/// A table that cannot be rendered.
pub fn texts(
    world: &crate::graph::World,
    plan: &Plan,
) -> Result<Vec<(String, Vec<u8>)>, crate::error::Error> {
    let mut texts: Vec<(String, Vec<u8>)> = plan
        .files
        .iter()
        .map(|(p, t)| (p.clone(), t.clone().into_bytes()))
        .collect();
    let (pages, book) = rayon::join(
        || -> Result<_, crate::error::Error> {
            Ok([
                (
                    "report.md".to_owned(),
                    markdown::report_md(world, plan)?.into_bytes(),
                ),
                (
                    "index.html".to_owned(),
                    html::index_html(world, plan).into_bytes(),
                ),
            ])
        },
        || plan::workbook(&plan.sheets),
    );
    texts.extend(pages?);
    texts.push((WORKBOOK.to_owned(), book?));
    Ok(texts)
}

/// One sheet of `report.xlsx`: its title, the report's CSV file of the same cells,
/// what it holds, and the table.
pub type Sheet = (String, String, String, Table);

/// A scenario file read by the command, handed to [`plan`].
pub struct ScenarioInput {
    /// The file, as found in the scenarios directory.
    pub file: String,
    /// The file name's stem.
    pub stem: String,
    /// The scenario, checked against the world.
    pub scenario: Scenario,
}

/// How many chokepoints the report's summary table shows (the files hold them all).
pub const SUMMARY_TOP: usize = 10;

/// Where a figure belongs in the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Section {
    /// The overview.
    Overview,
    /// The exposure matrix.
    Matrix,
    /// A country's tower.
    Tower,
    /// The chip layer's worked example.
    ChipLayer,
    /// A scenario, by its index in the plan's scenario list.
    Scenario(usize),
}

/// One figure of the report.
pub struct Fig {
    /// Path inside the report without extension (`towers/sg`).
    pub stem: String,
    /// Where it is shown.
    pub section: Section,
    /// The figure.
    pub figure: Figure,
    /// Its data, shown under it.
    pub data: Table,
}

/// One scenario of the report.
pub struct ScenarioEntry {
    /// The file, as found in the scenarios directory.
    pub file: String,
    /// The file name's stem (`us-cutoff`), used for paths and anchors.
    pub stem: String,
    /// Its result.
    pub report: ScenarioReport,
}

/// Everything the report says, before any SVG is drawn.
pub struct Plan {
    /// The figures, in the order they are shown.
    pub figures: Vec<Fig>,
    /// Text files by path.
    pub files: BTreeMap<String, String>,
    /// The scenarios, in file order.
    pub scenarios: Vec<ScenarioEntry>,
    /// The chokepoint ranking by node.
    pub ranking: Chokepoints,
    /// Countries: (code, name, capabilities, components in the cone, foreign ones).
    pub countries: Vec<CountrySummary>,
    /// The source tables, for the HTML page.
    pub source_tables: Vec<(String, Table)>,
    /// The chip layer's worked example, when the world has it.
    pub chip: Option<chip::ChipSection>,
    /// `report.xlsx`'s sheets: every table of the report, one each.
    pub sheets: Vec<Sheet>,
}

/// The name of the report's workbook.
pub const WORKBOOK: &str = "report.xlsx";

/// One row of the countries table.
pub struct CountrySummary {
    /// The country code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its capabilities' names.
    pub capabilities: Vec<String>,
    /// The components of its cone.
    pub components: usize,
    /// Those under another jurisdiction.
    pub foreign: usize,
    /// Worst status over single-node removals: how many removals fail it.
    pub failing_removals: usize,
}

/// A lowercase, file-name-safe form of a country code or file stem.
pub fn slug(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let s = s.trim_start_matches(['-', '_']).to_owned();
    if s.is_empty() { "x".to_owned() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_file_names() {
        assert_eq!(slug("SG"), "sg");
        assert_eq!(slug("us cut/off"), "us-cut-off");
        assert_eq!(slug(".hidden"), "hidden");
        assert_eq!(slug(""), "x");
    }
}
