//! Builders of layered figures: a country's Jenga tower and the overview of every
//! country over the suppliers they share.
//!
//! Both are pure functions of the world and plain marks (chokepoints by node index,
//! an optional [`Overlay`]); they decide what is drawn and how it looks, never where.

use std::collections::BTreeSet;

use crate::analysis::NodeStatus;
use crate::graph::{GroupKind, NodeIdx, World};
use crate::model::Layer;

use super::palette::{self, Jurisdictions};
use super::text::wrap;
use super::{DEdge, DNode, Diagram, LegendItem, Mark, Overlay};

mod chain;
mod look;
mod overview;
mod rows;

pub use chain::chain;
pub use overview::overview;
pub use rows::ORGS_PER_ROW;
pub(crate) use rows::{finish_rows, wrap_band};

use look::{Blocks, edge_kind, kind_rank, legend, member_edges, scenario_summary};
/// Characters per line of a node's name.
const WRAP: usize = 22;

/// The layers as bands, top to bottom.
const TOWER: [Layer; 6] = Layer::TOP_DOWN;

/// What the builders mark on the nodes besides their jurisdiction.
#[derive(Debug, Clone, Copy, Default)]
pub struct Marks<'a> {
    /// Chokepoints, by `NodeIdx::index()` (shorter means "not a chokepoint").
    pub chokepoints: &'a [bool],
    /// How many places of the ranking `chokepoints` marks (said in the legend; 0 when
    /// the marks are not a ranking's top).
    pub chokepoint_top: usize,
    /// A scenario's result to lay over the figure.
    pub overlay: Option<&'a Overlay>,
}

impl Marks<'_> {
    fn chokepoint(&self, i: NodeIdx) -> bool {
        self.chokepoints.get(i.index()).copied().unwrap_or(false)
    }
}

/// The band (index into [`TOWER`]) of a component.
fn band_of(world: &World, i: NodeIdx) -> usize {
    world.node(i).layer.unwrap_or(Layer::Model).rank_top_down()
}

fn layer_title(layer: Layer) -> &'static str {
    match layer {
        Layer::Capability => "Capabilities",
        Layer::Distribution => "Distribution",
        Layer::Model => "Models",
        Layer::Data => "Data",
        Layer::Compute => "Compute",
        Layer::Chips => "Chips",
    }
}

/// A country's Jenga tower: the components in the dependency cone of its capabilities,
/// one band per layer (chips at the bottom, capabilities on top), coloured by the
/// jurisdiction of their owner with domestic ones set apart, owners in each caption.
///
/// Returns `None` when `code` is not a country of the world.
///
/// # Complexity
/// O(V + E) plus the sorting of the drawn nodes, O(V log V).
pub fn tower(world: &World, code: &str, marks: &Marks<'_>) -> Option<Diagram> {
    let country = world.country(code)?;
    let jur = Jurisdictions::of(world);
    let inside = crate::graph::cone_mask(world, &country.capabilities);
    // Organizations a component needs directly (a partner such as Gefion's Eviden), not
    // as its owner: drawn in a band of their own, never dropped (owners are in the
    // captions).
    let mut partner = vec![false; world.len()];
    for i in world.indices().filter(|&i| inside[i.index()]) {
        if world.node(i).is_org() {
            continue;
        }
        for g in &world.node(i).needs {
            if matches!(g.kind, GroupKind::Org | GroupKind::Parent) {
                continue;
            }
            for &m in &g.members {
                if world.node(m).is_org() {
                    partner[m.index()] = true;
                }
            }
        }
    }
    let band = |i: NodeIdx| {
        if world.node(i).is_org() {
            TOWER.len()
        } else {
            band_of(world, i)
        }
    };
    // Components of the cone and the partners, by band then declaration order.
    let mut drawn: Vec<NodeIdx> = world
        .indices()
        .filter(|&i| inside[i.index()] && (!world.node(i).is_org() || partner[i.index()]))
        .collect();
    drawn.sort_by_key(|&i| (band(i), i.index()));
    let mut blocks = Blocks::default();
    for &i in &drawn {
        let domestic = world.node(i).jurisdiction.as_deref() == Some(code);
        blocks.push(world, &jur, marks, i, domestic, band(i));
    }
    let Blocks {
        pos,
        mut nodes,
        shown,
        any_chokepoint,
    } = blocks;
    let mut edges = Vec::new();
    let mut kinds = BTreeSet::new();
    let mut unknowns = 0usize;
    for &i in &drawn {
        let from = pos[&i];
        for group in &world.node(i).needs {
            let Some(kind) = edge_kind(&group.kind, group.need, group.members.len()) else {
                continue;
            };
            if let (GroupKind::Unknown { description, .. }, true) =
                (&group.kind, group.members.is_empty())
            {
                unknowns += 1;
                let mut style = palette::mark_style(Mark::Status(NodeStatus::Unknown));
                style.rounded = true;
                let to = nodes.len();
                nodes.push(DNode {
                    key: format!("unknown-{unknowns}"),
                    lines: wrap(&format!("? {description}"), WRAP),
                    caption: Some("undetermined by the sources".to_owned()),
                    tag: None,
                    band: nodes[from].band,
                    row: 0,
                    style,
                    tooltip: format!(
                        "Undetermined dependency of {}: {description}",
                        world.node(i).name
                    ),
                });
                edges.push(DEdge {
                    from,
                    to,
                    kind,
                    broken: false,
                });
                kinds.insert((kind_rank(kind), false));
                continue;
            }
            member_edges(
                marks,
                from,
                kind,
                &group.members,
                &pos,
                &mut edges,
                &mut kinds,
            );
        }
    }
    let titles: Vec<String> = TOWER
        .iter()
        .map(|l| layer_title(*l).to_owned())
        .chain(["Organizations needed directly".to_owned()])
        .collect();
    let mut bands = finish_rows(&titles, &mut nodes, &edges);
    if let Some(ob) = bands
        .iter()
        .position(|b| b.label == "Organizations needed directly")
    {
        wrap_band(&mut bands, &mut nodes, ob, ORGS_PER_ROW);
    }
    let legend_items = legend(&jur, marks, &shown, &kinds, any_chokepoint, false);
    let legend_items = domestic_first(legend_items, marks.overlay.is_none());
    let (title, subtitle) = match marks.overlay {
        None => (
            format!(
                "{} ({}): the sovereign-AI stack",
                country.name, country.code
            ),
            "Capabilities on top rest on the blocks below; arrows point to what each block needs"
                .to_owned(),
        ),
        Some(o) => (
            format!(
                "{} ({}) — scenario: {}",
                country.name, country.code, o.title
            ),
            scenario_summary(world, &country.capabilities, o),
        ),
    };
    let foreign = drawn
        .iter()
        .filter(|&&i| world.node(i).jurisdiction.as_deref() != Some(code))
        .count();
    let desc = format!(
        "Jenga tower of {}: {} in {}, {} of them under foreign jurisdiction, {}.{}",
        country.name,
        crate::diag::plural(drawn.len(), "component"),
        crate::diag::plural(bands.len(), "layer"),
        foreign,
        crate::diag::plural(edges.len(), "dependency"),
        match marks.overlay {
            Some(o) => format!(
                " Scenario \"{}\": {}.",
                o.title,
                scenario_summary(world, &country.capabilities, o)
            ),
            None => String::new(),
        }
    );
    Some(Diagram {
        title,
        subtitle,
        desc,
        bands,
        nodes,
        edges,
        legend: legend_items,
    })
}

/// Puts domestic jurisdiction entries before foreign ones (the set orders by code).
fn domestic_first(items: Vec<LegendItem>, by_jurisdiction: bool) -> Vec<LegendItem> {
    if !by_jurisdiction {
        return items;
    }
    let (mut dom, rest): (Vec<LegendItem>, Vec<LegendItem>) = items
        .into_iter()
        .partition(|it| matches!(it, LegendItem::Node { style, .. } if style.double));
    dom.extend(rest);
    dom
}

#[cfg(test)]
mod tests {
    use super::rows::sub_rows;
    use super::*;
    use crate::render::EdgeKind;

    #[test]
    fn sub_rows_push_dependencies_down_and_survive_cycles() {
        // band 0: 0 → 1 → 2, band 1: 3; a cycle 4 ⇄ 5 in band 1.
        let bands = [0, 0, 0, 1, 1, 1];
        let edges = [(0, 1), (1, 2), (0, 3), (4, 5), (5, 4)];
        let (depth, rows) = sub_rows(&bands, 2, &edges);
        assert_eq!(&depth[..3], &[0, 1, 2]);
        assert_eq!(rows[0], 3);
        assert_eq!(depth[3], 0);
        assert_ne!(depth[4], depth[5]);
        assert_eq!(rows[1], 2);
    }

    #[test]
    fn dashes_follow_group_kinds() {
        assert_eq!(
            edge_kind(&GroupKind::Any, 1, 3),
            Some(EdgeKind::Alternative)
        );
        assert_eq!(
            edge_kind(&GroupKind::AtLeast, 2, 2),
            Some(EdgeKind::Required)
        );
        assert_eq!(edge_kind(&GroupKind::Org, 1, 1), None);
        // A partner group has need 0 but is not an alternative: its own look.
        assert_eq!(
            edge_kind(&GroupKind::Partner, 0, 2),
            Some(EdgeKind::Partner)
        );
        assert_eq!(
            edge_kind(&GroupKind::Required, 1, 1),
            Some(EdgeKind::Required)
        );
    }
}
