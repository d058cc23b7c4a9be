//! The source's Table 1 (sovereign AI models) and Table 2 (sovereign AI
//! infrastructure), regenerated from the data.
//!
//! A node is a row of a table when its `facts.table` names it (validation keeps that
//! to one row per country and table, declared in a country file, with every required
//! cell). The cells are the verbatim wording the data keeps: `facts.*` for the
//! descriptive columns, the `text` of `figures.budget` for the amounts; the first
//! cell is `facts.country` or the country's name, the name cell `facts.title` or the
//! node's name. Rows are ordered as the source orders them, alphabetically by their
//! first cell.
//!
//! Nothing here reads files: [`regenerate`] turns a [`World`] into a
//! [`RegeneratedTable`], which the caller renders as text, CSV, Markdown or JSON.

use serde::Serialize;

use crate::graph::{Node, World};
use crate::model::{Citation, Figure, SourceTable};
use crate::output::Table;

/// A table of the source, regenerated: the columns as the source heads them and one
/// row per country.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegeneratedTable {
    /// `models` or `infrastructure`.
    pub table: &'static str,
    /// The source's caption ("Table 1. Sovereign AI models.").
    pub title: &'static str,
    /// The column headers, verbatim.
    pub columns: Vec<&'static str>,
    /// The rows, in the source's order.
    pub rows: Vec<Row>,
}

/// One row of a regenerated table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// The node the row is made from.
    pub id: String,
    /// Its display name.
    pub name: String,
    /// The country (or region) the row belongs to.
    pub country: CountryRef,
    /// The cells, one per column, verbatim.
    pub cells: Vec<String>,
    /// The lifecycle status of the node (`operational`, `announced`, ...), if given.
    pub status: Option<&'static str>,
    /// The budget with its number and flags.
    pub budget: Option<FigureOut>,
    /// The accelerator count with its number and flags.
    pub gpus: Option<FigureOut>,
    /// The node's citations.
    pub sources: Vec<CitationOut>,
}

/// A country in a row: its code and display name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountryRef {
    /// ISO 3166-1 alpha-2 code (`EU` allowed).
    pub id: String,
    /// Display name.
    pub name: String,
}

/// A figure: the source's wording plus the number and the honesty flags.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureOut {
    /// The wording of the source.
    pub text: String,
    /// The number, when the source states one.
    pub value: Option<f64>,
    /// The upper bound of a range.
    pub value_max: Option<f64>,
    /// The source calls the number an estimate.
    pub estimate: bool,
    /// The source says the figure is undisclosed or to be determined.
    pub unknown: bool,
}

/// A citation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CitationOut {
    /// Bibliography id.
    pub source: String,
    /// Section of the source.
    pub section: Option<String>,
    /// Verbatim quotation.
    pub quote: Option<String>,
}

/// A row that lacks a cell; validation reports it first, with its location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingCell {
    /// The node.
    pub id: String,
    /// The field it lacks, as written in the file.
    pub field: &'static str,
}

impl std::fmt::Display for MissingCell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "node `{}` is a table row but has no `{}`",
            self.id, self.field
        )
    }
}

impl std::error::Error for MissingCell {}

/// The source's caption of `table`.
pub fn title(table: SourceTable) -> &'static str {
    match table {
        SourceTable::Models => "Table 1. Sovereign AI models.",
        SourceTable::Infrastructure => "Table 2. Sovereign AI infrastructure.",
    }
}

/// The source's column headers of `table`, verbatim (including Table 2's
/// "Country/ Region").
pub fn columns(table: SourceTable) -> Vec<&'static str> {
    match table {
        SourceTable::Models => vec![
            "Country",
            "Model Name",
            "Model Type",
            "Open or Closed",
            "Training Data",
            "Disclosed Budget",
            "Infrastructure Used",
        ],
        SourceTable::Infrastructure => vec![
            "Country/ Region",
            "Name & Location",
            "Investment Amount",
            "Nature of Investment",
            "Private-Sector Partners",
            "Status",
        ],
    }
}

/// Regenerates `table` from `world`.
///
/// Returns every node whose `facts.table` is `table` as one row, sorted by the first
/// cell (case-insensitively, then by node id), or the first missing cell of a row
/// that validation did not stop.
///
/// # Complexity
/// O(V + R log R) for V nodes and R rows.
///
/// # Example
/// ```
/// # use jenga::{analysis::tables, model::SourceTable};
/// let t = tables::regenerate(&jenga::graph::World::default(), SourceTable::Models)?;
/// assert!(t.rows.is_empty());
/// assert_eq!(t.columns[0], "Country");
/// # Ok::<(), tables::MissingCell>(())
/// ```
pub fn regenerate(world: &World, table: SourceTable) -> Result<RegeneratedTable, MissingCell> {
    let mut rows = Vec::new();
    for i in world.indices() {
        let node = world.node(i);
        if node.facts().table != Some(table) {
            continue;
        }
        let Some(country) = node.country.and_then(|c| world.countries.get(c)) else {
            return Err(MissingCell {
                id: node.id.clone(),
                field: "country",
            });
        };
        if let Some(field) = table
            .missing_fields(node.facts(), Some(node.figures()))
            .first()
        {
            return Err(MissingCell {
                id: node.id.clone(),
                field,
            });
        }
        let first = node.facts().country.clone().unwrap_or(country.name.clone());
        let name = node.facts().title.clone().unwrap_or(node.name.clone());
        let budget = node.figures().budget.as_ref().map(|b| b.text.clone());
        let f = node.facts();
        let cell = |c: &Option<String>| c.clone().unwrap_or_default();
        let cells = match table {
            SourceTable::Models => vec![
                first,
                name,
                cell(&f.model_type),
                cell(&f.openness),
                cell(&f.training_data),
                cell(&budget),
                cell(&f.infrastructure),
            ],
            SourceTable::Infrastructure => vec![
                first,
                match &f.location {
                    Some(l) => format!("{name}; {l}"),
                    None => name,
                },
                cell(&budget),
                cell(&f.investment_nature),
                cell(&f.partners),
                cell(&f.status_text),
            ],
        };
        rows.push(row(node, country, cells));
    }
    rows.sort_by(|a, b| {
        a.cells[0]
            .to_lowercase()
            .cmp(&b.cells[0].to_lowercase())
            .then_with(|| a.id.cmp(&b.id))
    });
    Ok(RegeneratedTable {
        table: table.as_str(),
        title: title(table),
        columns: columns(table),
        rows,
    })
}

fn row(node: &Node, country: &crate::graph::Country, cells: Vec<String>) -> Row {
    Row {
        id: node.id.clone(),
        name: node.name.clone(),
        country: CountryRef {
            id: country.code.clone(),
            name: country.name.clone(),
        },
        cells,
        status: node.status.map(|s| s.as_str()),
        budget: node.figures().budget.as_ref().map(figure),
        gpus: node.figures().gpus.as_ref().map(figure),
        sources: node.sources.iter().map(citation).collect(),
    }
}

fn figure(f: &Figure) -> FigureOut {
    FigureOut {
        text: f.text.clone(),
        value: f.value,
        value_max: f.value_max,
        estimate: f.estimate,
        unknown: f.unknown,
    }
}

fn citation(c: &Citation) -> CitationOut {
    CitationOut {
        source: c.source.to_string(),
        section: c.section.clone(),
        quote: c.quote.clone(),
    }
}

impl RegeneratedTable {
    /// The table as plain cells, for text, CSV and Markdown.
    pub fn to_table(&self) -> Table {
        let mut t = Table::new(self.columns.iter().copied()).titled(self.title);
        for r in &self.rows {
            t.push(r.cells.iter().cloned());
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Country, NodeKind, Origin};
    use crate::model::{Facts, Figures};

    fn node(id: &str, facts: Facts, budget: &str) -> Node {
        Node {
            id: id.into(),
            name: format!("{id} name"),
            kind: NodeKind::Component,
            layer: None,
            org: None,
            jurisdiction: None,
            country: Some(0),
            org_kind: None,
            status: None,
            figures_given: Some(Box::new(Figures {
                budget: Some(Figure {
                    text: budget.into(),
                    value: None,
                    value_max: None,
                    estimate: false,
                    unknown: true,
                }),
                ..Figures::default()
            })),
            facts_given: Some(Box::new(facts)),
            sources: Vec::new(),
            notes: None,
            needs: Vec::new(),
            origin: Origin {
                file: std::path::Path::new("x.yaml").into(),
                line: 1,
                column: 1,
            },
        }
    }

    fn world(nodes: Vec<Node>, countries: &[&str]) -> World {
        let mut w = World::default();
        for (i, c) in countries.iter().enumerate() {
            w.countries.push(Country {
                code: format!("X{}", (b'A' + u8::try_from(i).unwrap_or(0)) as char),
                name: (*c).into(),
                capabilities: Vec::new(),
                sources: Vec::new(),
                notes: None,
                file: "x.yaml".into(),
            });
        }
        for n in nodes {
            let id = n.id.clone();
            let i = w.graph.add_node(Box::new(n));
            w.ids.insert(id, i);
        }
        w
    }

    fn infra(location: Option<&str>) -> Facts {
        Facts {
            table: Some(SourceTable::Infrastructure),
            location: location.map(Into::into),
            investment_nature: Some("To be determined".into()),
            partners: Some("HPE & Nvidia".into()),
            status_text: Some("Announced".into()),
            ..Facts::default()
        }
    }

    #[test]
    fn rows_are_sorted_by_first_cell_and_name_joins_location() {
        let mut a = node("b-row", infra(Some("near Tokyo")), "~$1 million");
        a.country = Some(1);
        let mut b = node("a-row", infra(None), "Undisclosed");
        b.facts_given.get_or_insert_default().country = Some("EU".into());
        b.facts_given.get_or_insert_default().title = Some("Existing computers".into());
        let w = world(vec![a, b], &["Zland", "Japan"]);
        let t = regenerate(&w, SourceTable::Infrastructure).unwrap();
        let cells: Vec<&Vec<String>> = t.rows.iter().map(|r| &r.cells).collect();
        assert_eq!(
            cells,
            [
                &vec![
                    "EU",
                    "Existing computers",
                    "Undisclosed",
                    "To be determined",
                    "HPE & Nvidia",
                    "Announced"
                ],
                &vec![
                    "Japan",
                    "b-row name; near Tokyo",
                    "~$1 million",
                    "To be determined",
                    "HPE & Nvidia",
                    "Announced"
                ],
            ]
        );
        assert!(regenerate(&w, SourceTable::Models).unwrap().rows.is_empty());
    }

    #[test]
    fn a_missing_cell_is_an_error_not_an_empty_cell() {
        let mut f = infra(None);
        f.partners = None;
        let w = world(vec![node("x", f, "$1")], &["Xland"]);
        assert_eq!(
            regenerate(&w, SourceTable::Infrastructure),
            Err(MissingCell {
                id: "x".into(),
                field: "facts.partners"
            })
        );
    }
}
