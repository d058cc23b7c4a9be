//! The report's tables: the countries atop it, and the data under each figure (a
//! tower's cone, the overview's shared blocks, the matrix's cells, a scenario's
//! countries).

use crate::analysis::NodeStatus;
use crate::analysis::scenario::{self, ScenarioReport};
use crate::error::Error;
use crate::graph::{NodeIdx, World};
use crate::model::Layer;
use crate::output::Table;

use super::{CountrySummary, slug};

/// The table of the countries, atop the report.
pub fn countries_table(countries: &[CountrySummary]) -> Table {
    let mut t = Table::new([
        "country",
        "capabilities",
        "components",
        "foreign",
        "single removals that fail it",
        "tower",
    ]);
    for c in countries {
        t.push([
            format!("{} ({})", c.name, c.code),
            c.capabilities.join("; "),
            c.components.to_string(),
            c.foreign.to_string(),
            c.failing_removals.to_string(),
            format!("towers/{}.svg", slug(&c.code)),
        ]);
    }
    t
}

/// A table as the lossless text of `--format xlsx`, read back.
pub fn raw_table(text: &str) -> Result<Table, Error> {
    Ok(crate::xlsx::table_from_raw_csv(text)?)
}

/// A node's layer, top layer first (organizations last).
pub fn layer_rank(world: &World, i: NodeIdx) -> usize {
    world
        .node(i)
        .layer
        .map_or(Layer::ALL.len(), Layer::rank_top_down)
}

/// A node's layer as a word (`organization` for an organization).
pub fn layer_name(world: &World, i: NodeIdx) -> String {
    world
        .node(i)
        .layer
        .map_or_else(|| "organization".to_owned(), |l| l.as_str().to_owned())
}

/// The name of a node's owner, empty when it has none.
pub fn owner_of(world: &World, i: NodeIdx) -> String {
    world
        .node(i)
        .org
        .map(|o| world.node(o).name.clone())
        .unwrap_or_default()
}

/// The data under a tower: the components of the country's cone, top layer first.
pub fn tower_table(world: &World, code: &str, caps: &[NodeIdx], choke: &[bool]) -> Table {
    let mut t = Table::new([
        "layer",
        "component",
        "id",
        "owner",
        "jurisdiction",
        "domestic",
        "chokepoint",
    ]);
    let mut cone: Vec<NodeIdx> = scenario::cone(world, caps)
        .into_iter()
        .filter(|&i| !world.node(i).is_org())
        .collect();
    cone.sort_by_key(|&i| (layer_rank(world, i), i.index()));
    for i in cone {
        let n = world.node(i);
        let j = n.jurisdiction.clone().unwrap_or_default();
        t.push([
            layer_name(world, i),
            n.name.clone(),
            n.id.clone(),
            owner_of(world, i),
            j.clone(),
            if j == code { "yes" } else { "" }.to_owned(),
            if choke.get(i.index()).copied().unwrap_or(false) {
                "yes"
            } else {
                ""
            }
            .to_owned(),
        ]);
    }
    t
}

/// The data under the overview: the blocks at least two countries depend on.
pub fn overview_table(world: &World, exposure: &[usize], choke: &[bool]) -> Table {
    let mut t = Table::new([
        "layer",
        "block",
        "id",
        "owner",
        "jurisdiction",
        "countries depending on it",
        "chokepoint",
    ]);
    let mut shared: Vec<NodeIdx> = world
        .indices()
        .filter(|&i| exposure[i.index()] >= 2 && !world.is_capability(i))
        .collect();
    shared.sort_by_key(|&i| {
        (
            std::cmp::Reverse(exposure[i.index()]),
            layer_rank(world, i),
            i.index(),
        )
    });
    for i in shared {
        let n = world.node(i);
        t.push([
            layer_name(world, i),
            n.name.clone(),
            n.id.clone(),
            owner_of(world, i),
            n.jurisdiction.clone().unwrap_or_default(),
            exposure[i.index()].to_string(),
            if choke[i.index()] { "yes" } else { "" }.to_owned(),
        ]);
    }
    t
}

/// The matrix's own cells as a table.
pub fn matrix_table(m: &crate::render::matrix::Matrix) -> Table {
    let headers = std::iter::once("country".to_owned()).chain(
        m.groups
            .iter()
            .flat_map(|g| g.columns.iter().map(move |c| format!("{c} ({})", g.label))),
    );
    let mut t = Table::new(headers);
    for (r, row) in m.rows.iter().zip(&m.cells) {
        t.push(
            std::iter::once(r.clone()).chain(
                row.iter()
                    .map(|s| crate::render::matrix::cell_word(*s).to_owned()),
            ),
        );
    }
    t
}

/// Per country: its status and its capabilities' statuses in a scenario.
pub fn scenario_table(r: &ScenarioReport) -> Table {
    let mut t = Table::new([
        "country",
        "status",
        "capabilities",
        "failed or unknown nodes",
    ]);
    for c in &r.countries {
        let caps: Vec<String> = c
            .capabilities
            .iter()
            .map(|k| format!("{}: {}", k.name, k.status.as_str()))
            .collect();
        let lost: Vec<&str> = c
            .affected
            .iter()
            .filter(|a| matches!(a.status, NodeStatus::Failed | NodeStatus::Unknown))
            .map(|a| a.id.as_str())
            .collect();
        t.push([
            format!("{} ({})", c.name, c.code),
            c.status.as_str().to_owned(),
            caps.join("; "),
            lost.join(" "),
        ]);
    }
    t
}

/// `s` ending with a newline.
pub fn with_newline(mut s: String) -> String {
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
}
