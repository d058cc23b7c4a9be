//! The overview: every country on top, the suppliers at least two of them depend on
//! below, and the organizations owning them at the bottom.

use std::collections::{BTreeMap, BTreeSet};

use crate::analysis::NodeStatus;
use crate::graph::{GroupKind, NodeIdx, World};
use crate::render::palette::{self, Jurisdictions};
use crate::render::text::wrap;
use crate::render::{DEdge, DNode, Diagram, EdgeKind, Mark};

use super::look::{broken, kind_rank, legend, look, mark_tag, scenario_summary, tooltip};
use super::rows::{ORGS_PER_ROW, finish_rows, wrap_band};
use super::{Marks, TOWER, WRAP, band_of, layer_title};

/// The overview: every country on top, the suppliers that at least two countries
/// depend on in the layers below, and the organizations owning them at the bottom.
/// An edge means "depends on, directly or through blocks of its own".
///
/// `exposure` is how many countries' cones hold each node, by `NodeIdx::index()`
/// ([`crate::analysis::chokepoints::exposure`]; the caller computes it, so the builder
/// runs no analysis).
///
/// # Complexity
/// One bounded search per drawn node,
/// O(S · (V + E)) for S shared suppliers.
pub fn overview(world: &World, marks: &Marks<'_>, exposure: &[usize]) -> Diagram {
    let jur = Jurisdictions::of(world);
    // Organizations some block needs directly (partners, not owners): shown like the
    // shared components when two countries need them, never dropped.
    let mut partner = vec![false; world.len()];
    for i in world.indices() {
        for g in &world.node(i).needs {
            if matches!(g.kind, GroupKind::Org | GroupKind::Parent) {
                continue;
            }
            for &m in &g.members {
                partner[m.index()] |= world.node(m).is_org();
            }
        }
    }
    let shared: Vec<bool> = world
        .indices()
        .map(|i| {
            exposure.get(i.index()).copied().unwrap_or(0) >= 2
                && (!world.node(i).is_org() || partner[i.index()])
                && !world.is_capability(i)
        })
        .collect();
    let parent_of = |o: NodeIdx| {
        world
            .node(o)
            .needs
            .iter()
            .find(|g| g.kind == GroupKind::Parent)
            .and_then(|g| g.members.first().copied())
    };
    let mut titles = vec!["Countries".to_owned()];
    titles.extend(TOWER[1..].iter().map(|l| layer_title(*l).to_owned()));
    titles.push("Owners".to_owned());
    let owners_band = titles.len() - 1;

    let mut nodes = Vec::new();
    // Whether each drawn node is touched by the overlay: a failure only travels up an
    // edge into a node that is itself hit (the merged view of a scoped scenario marks
    // a block failed for some destinations while others keep it).
    let mut hit: Vec<bool> = Vec::new();
    let mut shown = BTreeSet::new();
    let mut any_chokepoint = false;
    // Countries.
    for c in &world.countries {
        let worst = marks.overlay.map(|o| {
            c.capabilities
                .iter()
                .map(|&k| o.mark_of(k.index()))
                .max()
                .unwrap_or(Mark::Status(NodeStatus::Intact))
        });
        let mut style = match worst {
            Some(m) => palette::mark_style(m),
            None => palette::jurisdiction_style(palette::GREY, false),
        };
        if worst.is_none() {
            style.fill = palette::WHITE;
            style.stroke = palette::INK;
        }
        style.rounded = false;
        let caps = c.capabilities.len();
        hit.push(worst.is_some_and(|m| m != Mark::Status(NodeStatus::Intact)));
        let tag = worst.and_then(mark_tag);
        nodes.push(DNode {
            key: format!("country-{}", c.code),
            lines: wrap(&c.name, WRAP),
            caption: Some(format!(
                "{} · {caps} {}",
                c.code,
                if caps == 1 {
                    "capability"
                } else {
                    "capabilities"
                }
            )),
            tooltip: format!(
                "{} ({}): {}",
                c.name,
                c.code,
                c.capabilities
                    .iter()
                    .map(|&k| world.node(k).name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            tag,
            band: 0,
            row: 0,
            style,
        });
    }
    // Shared components, then their owners.
    let mut pos: BTreeMap<NodeIdx, usize> = BTreeMap::new();
    let mut comps: Vec<NodeIdx> = world
        .indices()
        .filter(|&i| shared[i.index()] && !world.node(i).is_org())
        .collect();
    comps.sort_by_key(|&i| (band_of(world, i), i.index()));
    let partners: Vec<NodeIdx> = world
        .indices()
        .filter(|&i| shared[i.index()] && world.node(i).is_org())
        .collect();
    let mut owners: BTreeSet<NodeIdx> = BTreeSet::new();
    for &i in &comps {
        if let Some(o) = world.node(i).org {
            owners.insert(o);
        }
    }
    for &p in &partners {
        owners.insert(p);
        if let Some(o) = parent_of(p) {
            owners.insert(o);
        }
    }
    let owners: Vec<NodeIdx> = owners.into_iter().collect();
    for (&i, band) in comps
        .iter()
        .map(|i| (i, band_of(world, *i)))
        .chain(owners.iter().map(|i| (i, owners_band)))
    {
        let node = world.node(i);
        if let Some(j) = &node.jurisdiction {
            shown.insert((false, j.clone()));
        }
        let (style, tag) = look(world, &jur, marks, i, false);
        any_chokepoint |= style.heavy;
        let n = exposure.get(i.index()).copied().unwrap_or(0);
        let jcode = node.jurisdiction.as_deref().unwrap_or("no jurisdiction");
        let caption = if node.is_org() {
            format!("{jcode} · under {n} countries")
        } else {
            match node.org {
                Some(o) => format!("{} · {jcode} · {n} countries", world.node(o).name),
                None => format!("{jcode} · {n} countries"),
            }
        };
        pos.insert(i, nodes.len());
        hit.push(
            marks
                .overlay
                .is_some_and(|o| o.mark_of(i.index()) != Mark::Status(NodeStatus::Intact)),
        );
        nodes.push(DNode {
            key: node.id.clone(),
            lines: wrap(&node.name, WRAP),
            caption: Some(caption),
            tooltip: tooltip(world, i, tag.as_deref()),
            tag,
            band,
            row: 0,
            style,
        });
    }
    // Edges: the first shared nodes met from each country and each shared node.
    let mut edges = Vec::new();
    let mut kinds = BTreeSet::new();
    // A shared node met only through `partners:` groups is a partner edge; one met
    // through any need at all is a need (a need wins). `(node, via a partner)` states.
    let reach = |from: usize, starts: Vec<(NodeIdx, bool)>, edges: &mut Vec<DEdge>| {
        let mut seen = BTreeSet::new();
        let mut stack = starts;
        let mut hits: BTreeMap<NodeIdx, bool> = BTreeMap::new();
        while let Some((i, via_partner)) = stack.pop() {
            if !seen.insert((i, via_partner)) {
                continue;
            }
            if shared[i.index()] {
                let only_partner = hits.entry(i).or_insert(true);
                *only_partner &= via_partner;
                continue;
            }
            if world.node(i).is_org() {
                continue;
            }
            for g in &world.node(i).needs {
                let p = via_partner || g.kind == GroupKind::Partner;
                stack.extend(g.members.iter().map(|&m| (m, p)));
            }
        }
        for (h, only_partner) in hits {
            let b = broken(marks, h);
            edges.push(DEdge {
                from,
                to: pos[&h],
                kind: if only_partner {
                    EdgeKind::Partner
                } else {
                    EdgeKind::Required
                },
                broken: b,
            });
        }
    };
    for (k, c) in world.countries.iter().enumerate() {
        let starts = c.capabilities.iter().map(|&i| (i, false)).collect();
        reach(k, starts, &mut edges);
    }
    for &i in &comps {
        let deps: Vec<(NodeIdx, bool)> = world
            .node(i)
            .needs
            .iter()
            .filter(|g| !matches!(g.kind, GroupKind::Org | GroupKind::Parent))
            .flat_map(|g| {
                let p = g.kind == GroupKind::Partner;
                g.members.iter().map(move |&m| (m, p))
            })
            .collect();
        reach(pos[&i], deps, &mut edges);
    }
    let owned = comps
        .iter()
        .filter_map(|&i| world.node(i).org.map(|o| (i, o)))
        .chain(
            partners
                .iter()
                .filter_map(|&p| parent_of(p).map(|o| (p, o))),
        );
    for (i, o) in owned {
        let b = broken(marks, o);
        kinds.insert((3u8, b));
        edges.push(DEdge {
            from: pos[&i],
            to: pos[&o],
            kind: EdgeKind::Owner,
            broken: b,
        });
    }
    for e in &mut edges {
        e.broken &= hit.get(e.from).copied().unwrap_or(true);
    }
    let kinds: BTreeSet<(u8, bool)> = edges
        .iter()
        .map(|e| (kind_rank(e.kind), e.broken))
        .collect();
    let mut bands = finish_rows(&titles, &mut nodes, &edges);
    if let Some(ob) = bands.iter().position(|b| b.label == "Owners") {
        wrap_band(&mut bands, &mut nodes, ob, ORGS_PER_ROW);
    }
    let any_partial = marks.overlay.is_some_and(|o| {
        comps
            .iter()
            .chain(&owners)
            .any(|i| !o.partly_for(i.index()).is_empty())
    });
    let legend_items = legend(&jur, marks, &shown, &kinds, any_chokepoint, any_partial);
    let title = match marks.overlay {
        Some(o) => format!("Every country — scenario: {}", o.title),
        None => "Every country and the suppliers they converge on".to_owned(),
    };
    let subtitle = match marks.overlay {
        Some(o) => {
            let caps: Vec<NodeIdx> = world
                .countries
                .iter()
                .flat_map(|c| c.capabilities.iter().copied())
                .collect();
            scenario_summary(world, &caps, o)
        }
        None => "Suppliers shown are those at least two countries depend on; arrows point to what is needed".to_owned(),
    };
    let desc = format!(
        "Overview of {} and the {} and {} that at least two of them depend on.",
        crate::diag::plural(world.countries.len(), "country"),
        crate::diag::plural(comps.len(), "component"),
        crate::diag::plural(owners.len(), "organization")
    );
    Diagram {
        title,
        subtitle,
        desc,
        bands,
        nodes,
        edges,
        legend: legend_items,
    }
}
