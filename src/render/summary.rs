//! Folding the imported layers of a big overview into summary boxes (issue 16).
//!
//! An overview of the connected world (the seed plus the ETO and Epoch layers) has
//! thousands of shared blocks and is too large to draw. When a diagram has more than
//! [`NODE_BUDGET`] nodes, every node declared outside the seed's directories (the
//! directories that declare a country's capability) is folded into one box per
//! (directory, band) that names what it folds and how many ("eto · Chips: 1,612
//! blocks folded — see the report's tables"); edges are redirected to the boxes and
//! deduplicated. Nothing is dropped: the counts are on the box and the full data stays
//! in the figure's CSV/JSON/xlsx. A diagram within the budget is returned unchanged,
//! so the seed's figures stay byte-identical.
//!
//! # Complexity
//! O(N log N + E log E) for N nodes and E edges of the diagram.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::graph::World;
use crate::render::{DEdge, DNode, Diagram};

/// The largest diagram drawn node by node.
pub const NODE_BUDGET: usize = 400;

/// The directory of a world node's declaration.
fn dir_of<'a>(world: &'a World, id: &str) -> Option<&'a Path> {
    let i = world.lookup(id)?;
    world.node(i).origin.file.parent()
}

/// `d` with the nodes outside the seed's directories folded, when over the budget.
pub fn fold(world: &World, d: Diagram) -> Diagram {
    if d.nodes.len() <= NODE_BUDGET {
        return d;
    }
    let seed: BTreeSet<&Path> = world
        .countries
        .iter()
        .flat_map(|c| &c.capabilities)
        .filter_map(|&k| world.node(k).origin.file.parent())
        .collect();
    // Which nodes fold, and into which (directory, band) box.
    let mut boxes: BTreeMap<(String, usize), Vec<usize>> = BTreeMap::new();
    let mut folded = vec![None; d.nodes.len()];
    for (k, n) in d.nodes.iter().enumerate() {
        let Some(dir) = dir_of(world, &n.key) else {
            continue;
        };
        if seed.contains(dir) {
            continue;
        }
        let name = dir.file_name().map_or_else(
            || dir.display().to_string(),
            |s| s.to_string_lossy().into_owned(),
        );
        boxes.entry((name, n.band)).or_default().push(k);
        folded[k] = Some(());
    }
    if boxes.is_empty() {
        return d;
    }
    let mut nodes: Vec<DNode> = Vec::new();
    let mut new_of = vec![0usize; d.nodes.len()];
    for (k, n) in d.nodes.iter().enumerate() {
        if folded[k].is_none() {
            new_of[k] = nodes.len();
            nodes.push(n.clone());
        }
    }
    let mut total = 0;
    for ((dir, band), members) in &boxes {
        let first = &d.nodes[members[0]];
        let band_title = d.bands.get(*band).map_or("", |b| b.label.as_str());
        let at = nodes.len();
        for &k in members {
            new_of[k] = at;
        }
        total += members.len();
        let mut style = first.style;
        style.heavy = members.iter().any(|&k| d.nodes[k].style.heavy);
        let examples: Vec<&str> = members
            .iter()
            .take(5)
            .map(|&k| d.nodes[k].key.as_str())
            .collect();
        nodes.push(DNode {
            key: format!("summary-{dir}-{band}"),
            lines: vec![
                format!("{dir} · {band_title}"),
                format!("{} blocks folded", members.len()),
            ],
            caption: Some("see the figure's table".to_owned()),
            tag: None,
            band: *band,
            row: 0,
            style,
            tooltip: format!(
                "{} blocks of the layer in `{dir}` ({band_title}) folded into this box, e.g. {}; every one is listed in the figure's CSV/JSON and report.xlsx",
                members.len(),
                examples.join(", ")
            ),
        });
    }
    let mut seen = BTreeSet::new();
    let mut edges: Vec<DEdge> = Vec::new();
    for e in &d.edges {
        let (from, to) = (new_of[e.from], new_of[e.to]);
        if from == to || !seen.insert((from, to, e.broken, format!("{:?}", e.kind))) {
            continue;
        }
        edges.push(DEdge {
            from,
            to,
            ..e.clone()
        });
    }
    Diagram {
        subtitle: format!(
            "{} — {total} blocks of the imported layers folded into {} summary boxes (all listed in the tables)",
            d.subtitle,
            boxes.len()
        ),
        desc: format!(
            "{} {total} blocks declared outside the seed's stacks are folded into {} boxes by layer directory and band; the figure's table lists every one.",
            d.desc,
            boxes.len()
        ),
        nodes,
        edges,
        ..d
    }
}
