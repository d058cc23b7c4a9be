//! A chain figure: chosen blocks of the world (a path of dependencies and the
//! suppliers at its end, such as the report's EUV chain), one band per layer, with the
//! dependencies among them, in the towers' look and with an optional scenario overlay.

use std::collections::BTreeSet;

use crate::graph::{NodeIdx, World};
use crate::render::Diagram;
use crate::render::palette::Jurisdictions;

use super::look::{Blocks, edge_kind, legend, member_edges};
use super::rows::finish_rows;
use super::{Marks, TOWER, band_of, layer_title};

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
    let mut blocks = Blocks::default();
    for &i in &drawn {
        blocks.push(world, &jur, marks, i, false, band(i));
    }
    let Blocks {
        pos,
        nodes: mut out,
        shown,
        any_chokepoint,
    } = blocks;
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
