//! What a node states beyond its dependencies: its figures (budget, GPUs), its capacity,
//! the descriptive facts of the source's tables, and those tables' required cells.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Spanned, Str};

/// Quantities the sources give for a node.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Figures {
    /// Money spent or committed.
    pub budget: Option<Figure>,
    /// Number of accelerators.
    pub gpus: Option<Figure>,
    /// Model size in parameters.
    pub parameters: Option<Figure>,
    /// Training corpus size in tokens.
    pub tokens: Option<Figure>,
}

/// One quantity: the source's wording plus, when it states one, a number.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Figure {
    /// The wording of the source, verbatim ("~$52 million", "Undisclosed").
    pub text: String,
    /// The number, when the source states one (US dollars for budgets).
    pub value: Option<f64>,
    /// Upper bound of a range ("$250-300 million").
    pub value_max: Option<f64>,
    /// The source calls the number an estimate.
    #[serde(default)]
    pub estimate: bool,
    /// The source says the figure is undisclosed or to be determined. With a `value`,
    /// the value is the one disclosed part of an undisclosed whole ("Mostly undisclosed
    /// except for ~$560,000").
    #[serde(default)]
    pub unknown: bool,
}

/// A node's capacity: a non-negative amount in a unit.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Capacity {
    /// The amount (finite, at least 0).
    #[schemars(with = "f64")]
    pub value: Spanned<f64>,
    /// The unit: `H100e` (H100-equivalents), `MW`, `Rmax TFlop/s`, `GPUs`, or any
    /// other name; capacities are only ever added up within one unit.
    #[schemars(with = "String")]
    pub unit: Spanned<Str>,
}

/// Descriptive facts kept verbatim from the sources (the columns of its tables).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Facts {
    /// The source table that lists this node as its country's row (`jenga table`).
    pub table: Option<SourceTable>,
    /// The country cell as the table gives it, when it differs from the country's
    /// `name` ("UAE", "EU").
    pub country: Option<String>,
    /// The name cell as the table gives it, when it differs from the node's `name`
    /// ("Family of foundation models").
    pub title: Option<String>,
    /// How a model was made ("Pretrained from scratch").
    pub model_type: Option<String>,
    /// "Open", "Closed", "Intended to be open".
    pub openness: Option<String>,
    /// What the model was trained on.
    pub training_data: Option<String>,
    /// The infrastructure, as the source names it.
    pub infrastructure: Option<String>,
    /// Where the node is located.
    pub location: Option<String>,
    /// What the investment buys.
    pub investment_nature: Option<String>,
    /// Private-sector partners, as the source lists them.
    pub partners: Option<String>,
    /// Status wording of the source ("Operational as of October 2024").
    pub status_text: Option<String>,
}

/// The tables of the source that `jenga table` regenerates.
// Also `jenga table`'s argument: each `help` is the variant's text there.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Deserialize,
    Serialize,
    JsonSchema,
    clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum SourceTable {
    /// Table 1, sovereign AI models: one row per country.
    #[value(help = "Table 1: sovereign AI models")]
    Models,
    /// Table 2, sovereign AI infrastructure: one row per country or region.
    #[value(help = "Table 2: sovereign AI infrastructure")]
    Infrastructure,
}

impl SourceTable {
    /// Both tables, in the source's order.
    pub const ALL: [SourceTable; 2] = [SourceTable::Models, SourceTable::Infrastructure];

    /// The name used in files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceTable::Models => "models",
            SourceTable::Infrastructure => "infrastructure",
        }
    }

    /// The fields a row of this table must give (the cells that the table never leaves
    /// empty), written as in the YAML file, in column order. `facts.title`,
    /// `facts.country` and `facts.location` are optional: they default to the node's
    /// name, the country's name, and nothing.
    pub fn required_fields(self) -> impl Iterator<Item = &'static str> {
        self.cells().iter().map(|(name, _)| *name)
    }

    /// The required fields that `facts` and `figures` leave out, in column order.
    pub fn missing_fields(self, facts: &Facts, figures: Option<&Figures>) -> Vec<&'static str> {
        self.cells()
            .iter()
            .filter(|(_, present)| !present(facts, figures))
            .map(|(name, _)| *name)
            .collect()
    }

    fn cells(self) -> &'static [(&'static str, CellPresent)] {
        const BUDGET: (&str, CellPresent) = ("figures.budget", |_, f| {
            f.is_some_and(|f| f.budget.is_some())
        });
        match self {
            SourceTable::Models => &[
                ("facts.model-type", |f, _| f.model_type.is_some()),
                ("facts.openness", |f, _| f.openness.is_some()),
                ("facts.training-data", |f, _| f.training_data.is_some()),
                BUDGET,
                ("facts.infrastructure", |f, _| f.infrastructure.is_some()),
            ],
            SourceTable::Infrastructure => &[
                BUDGET,
                ("facts.investment-nature", |f, _| {
                    f.investment_nature.is_some()
                }),
                ("facts.partners", |f, _| f.partners.is_some()),
                ("facts.status-text", |f, _| f.status_text.is_some()),
            ],
        }
    }
}

/// Whether a row gives one of its table's cells.
type CellPresent = fn(&Facts, Option<&Figures>) -> bool;
