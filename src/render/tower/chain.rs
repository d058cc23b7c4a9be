//! A chain figure: chosen blocks of the world (a path of dependencies and the
//! suppliers at its end, such as the report's EUV chain), one band per layer, with the
//! dependencies among them, in the towers' look and with an optional scenario overlay.

use std::collections::{BTreeMap, BTreeSet};

use crate::graph::{NodeIdx, World};
use crate::render::palette::Jurisdictions;
use crate::render::text::wrap;
use crate::render::{DNode, Diagram};

use super::look::{caption, edge_kind, legend, look, member_edges, tooltip};
use super::rows::finish_rows;
use super::{Marks, TOWER, WRAP, band_of, layer_title};

/// The blocks `nodes` (each once, in layer bands, organizations at the bottom) and
/// the dependencies among them, titled `title` and `subtitle`.
///
/// # Complexity
/// O(N log N + E) for the N nodes drawn and the E dependencies they declare.
pub fn chain(
    world: &World,
    nodes: &[NodeIdx],
    marks: &Marks<'_>,
    title: &str,
    subtitle: &str,
) -> Diagram {
    let jur = Jurisdictions::of(world);
    let band = |i: NodeIdx| {
        if world.node(i).is_org() {
            TOWER.len()
        } else {
            band_of(world, i)
        }
    };
    let mut drawn: Vec<NodeIdx> = nodes.to_vec();
    drawn.sort_by_key(|&i| (band(i), i.index()));
    drawn.dedup();
    let mut pos: BTreeMap<NodeIdx, usize> = BTreeMap::new();
    let mut out = Vec::new();
    let mut shown = BTreeSet::new();
    let mut any_chokepoint = false;
    for &i in &drawn {
        let node = world.node(i);
        if let Some(j) = &node.jurisdiction {
            shown.insert((false, j.clone()));
        }
        let (style, tag) = look(world, &jur, marks, i, false);
        any_chokepoint |= style.heavy;
        pos.insert(i, out.len());
        out.push(DNode {
            key: node.id.clone(),
            lines: wrap(&node.name, WRAP),
            caption: caption(world, i),
            tooltip: tooltip(world, i, tag.as_deref()),
            tag,
            band: band(i),
            row: 0,
            style,
        });
    }
    let mut edges = Vec::new();
    let mut kinds = BTreeSet::new();
    for &i in &drawn {
        let from = pos[&i];
        for group in &world.node(i).needs {
            let Some(kind) = edge_kind(&group.kind, group.need, group.members.len()) else {
                continue;
            };
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
        .chain(["Organizations".to_owned()])
        .collect();
    let bands = finish_rows(&titles, &mut out, &edges);
    let legend_items = legend(&jur, marks, &shown, &kinds, any_chokepoint, false);
    let desc = format!(
        "{title}: {} and {} among them.",
        crate::diag::plural(out.len(), "block"),
        crate::diag::plural(edges.len(), "dependency"),
    );
    Diagram {
        title: title.to_owned(),
        subtitle: subtitle.to_owned(),
        desc,
        bands,
        nodes: out,
        edges,
        legend: legend_items,
    }
}
