//! The figure of `jenga diff`: the nodes that changed between two worlds, with their
//! neighbours and the chokepoints that moved, one band per layer (organizations at the
//! bottom).
//!
//! Every change is told by a shape or a word as well as by a colour (Okabe–Ito):
//! added nodes are blue with a heavy solid outline and the tag `+ added`; removed ones
//! vermillion, hatched, with a dashed outline and `− removed`; changed ones orange with
//! a heavy dotted outline and `~ changed: FIELDS`; unchanged context is white with a
//! thin grey outline. Added dependencies are heavy solid blue, removed ones heavy
//! dash-dotted vermillion ending in a bar (DOT) or a vermillion head (SVG); kept ones
//! keep the look of their kind. A chokepoint that moved carries `▲ rank 5→2` (rose or
//! entered the top) or `▼ rank 1→5` (fell or left it) in its caption.

use std::collections::{BTreeMap, BTreeSet};

use crate::diff::Diff;
use crate::diff::moves::{Movement, Moves};
use crate::graph::{GroupKind, NodeIdx, World};
use crate::model::Layer;

use super::palette::{self, Rgb};
use super::text::wrap;
use super::{DEdge, DNode, Dash, Diagram, EdgeKind, LegendItem, NodeStyle};

/// Characters per line of a node's name.
const WRAP: usize = 22;

/// Bands, top to bottom: the layers, then organizations.
const BANDS: [&str; 7] = [
    "Capabilities",
    "Distribution",
    "Models",
    "Data",
    "Compute",
    "Chips",
    "Organizations",
];

fn band(world: &World, i: NodeIdx) -> usize {
    let n = world.node(i);
    if n.is_org() {
        return 6;
    }
    n.layer.unwrap_or(Layer::Model).rank_top_down()
}

/// How a node changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum State {
    Added,
    Removed,
    Changed,
    Context,
}

fn style(state: State, org: bool) -> NodeStyle {
    let (fill, stroke, dash, heavy, hatch): (Rgb, Rgb, Dash, bool, bool) = match state {
        State::Added => (
            palette::BLUE.tint(0.75),
            palette::darken(palette::BLUE),
            Dash::Solid,
            true,
            false,
        ),
        State::Removed => (
            palette::VERMILLION.tint(0.7),
            palette::darken(palette::VERMILLION),
            Dash::Dashed,
            false,
            true,
        ),
        State::Changed => (
            palette::ORANGE.tint(0.6),
            palette::darken(palette::ORANGE),
            Dash::Dotted,
            true,
            false,
        ),
        State::Context => (palette::WHITE, palette::GREY, Dash::Solid, false, false),
    };
    NodeStyle {
        fill,
        stroke,
        ink: palette::INK,
        double: false,
        heavy,
        dash,
        hatch,
        rounded: !org,
    }
}

/// The kind of the group through which `from` needs `to` in `w`, as an edge look.
fn kind_in(w: &World, from: NodeIdx, to: NodeIdx) -> EdgeKind {
    let mut best = None;
    for g in &w.node(from).needs {
        if !g.members.contains(&to) {
            continue;
        }
        let k = match &g.kind {
            GroupKind::Org | GroupKind::Parent => EdgeKind::Owner,
            GroupKind::Unknown { .. } => EdgeKind::Unknown,
            GroupKind::Partner => EdgeKind::Partner,
            _ if g.need as usize >= g.members.len() => EdgeKind::Required,
            _ => EdgeKind::Alternative,
        };
        // A hard requirement wins over an alternative.
        best = Some(match (best, k) {
            (Some(EdgeKind::Required), _) | (_, EdgeKind::Required) => EdgeKind::Required,
            (Some(b), _) => b,
            (None, k) => k,
        });
    }
    best.unwrap_or(EdgeKind::Required)
}

/// Every (dependent, dependency) pair of `w`, by id.
fn pairs(w: &World) -> BTreeSet<(String, String)> {
    w.indices()
        .flat_map(|i| {
            w.dependencies(i)
                .map(move |d| (w.node(i).id.clone(), w.node(d).id.clone()))
        })
        .collect()
}

/// The diff figure. `subtitle` names the two directories.
///
/// Drawn: every node added, removed or changed, both ends of every dependency added or
/// removed, and every chokepoint of `moves` that moved; between them, every dependency
/// of either world.
///
/// # Complexity
/// O((V + E) log(V + E)) for the union of both worlds: the pairs of each world go into
/// ordered sets, then the drawn nodes are laid into rows in O(V' + E').
pub fn figure(old: &World, new: &World, d: &Diff, moves: &Moves, subtitle: &str) -> Diagram {
    let mut state: BTreeMap<String, State> = BTreeMap::new();
    for n in &d.nodes_added {
        state.insert(n.id.clone(), State::Added);
    }
    for n in &d.nodes_removed {
        state.insert(n.id.clone(), State::Removed);
    }
    let mut fields: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for c in &d.nodes_changed {
        state.entry(c.id.clone()).or_insert(State::Changed);
        fields.entry(c.id.as_str()).or_default().push(c.field);
    }
    for e in d.dependencies_added.iter().chain(&d.dependencies_removed) {
        for id in [&e.from, &e.to] {
            state.entry(id.clone()).or_insert(State::Context);
        }
    }
    let mut rank_tag: BTreeMap<&str, String> = BTreeMap::new();
    for c in &moves.chokepoints {
        let r = |p: Option<&crate::diff::moves::Place>| {
            p.map_or_else(|| "—".to_owned(), |p| p.rank.to_string())
        };
        let glyph = match c.movement {
            Movement::Entered | Movement::Rose => "▲",
            Movement::Left | Movement::Fell => "▼",
            Movement::Rescored => "◆",
            Movement::Unchanged => continue,
        };
        state.entry(c.id.clone()).or_insert(State::Context);
        rank_tag.insert(
            c.id.as_str(),
            format!("{glyph} rank {}→{}", r(c.old.as_ref()), r(c.new.as_ref())),
        );
    }
    // The world each drawn node is read from: the new one unless it was removed.
    let mut nodes: Vec<DNode> = Vec::new();
    let mut order: Vec<(usize, String)> = Vec::new();
    let mut source: BTreeMap<String, (&World, NodeIdx)> = BTreeMap::new();
    for id in state.keys() {
        let at = new
            .lookup(id)
            .map(|i| (new, i))
            .or_else(|| old.lookup(id).map(|i| (old, i)));
        if let Some((w, i)) = at {
            source.insert(id.clone(), (w, i));
            order.push((band(w, i), id.clone()));
        }
    }
    order.sort();
    let mut pos: BTreeMap<&str, usize> = BTreeMap::new();
    for (b, id) in &order {
        let Some(&(w, i)) = source.get(id) else {
            continue;
        };
        let st = state.get(id).copied().unwrap_or(State::Context);
        let n = w.node(i);
        let mut tags = Vec::new();
        match st {
            State::Added => tags.push("+ added".to_owned()),
            State::Removed => tags.push("− removed".to_owned()),
            State::Changed => tags.push(format!(
                "~ changed: {}",
                fields
                    .get(id.as_str())
                    .map(|f| f.join(", "))
                    .unwrap_or_default()
            )),
            State::Context => {}
        }
        let tag = (!tags.is_empty()).then(|| tags.join(" · "));
        let jurisdiction = n
            .jurisdiction
            .clone()
            .or_else(|| n.org.and_then(|o| w.node(o).jurisdiction.clone()));
        let mut caption = match jurisdiction {
            Some(j) => format!("{} · {j}", n.id),
            None => n.id.clone(),
        };
        // The rank movement goes in the caption, which is sized for its font.
        if let Some(t) = rank_tag.get(id.as_str()) {
            caption.push_str(&format!(" · {t}"));
        }
        let mut tooltip = format!("{} ({})", n.name, n.id);
        if let Some(t) = &tag {
            tooltip.push_str(&format!(": {t}"));
        }
        if let Some(t) = rank_tag.get(id.as_str()) {
            tooltip.push_str(&format!("; chokepoint {t}"));
        }
        pos.insert(id.as_str(), nodes.len());
        nodes.push(DNode {
            key: n.id.clone(),
            lines: wrap(&n.name, WRAP),
            caption: Some(caption),
            tag,
            band: *b,
            row: 0,
            style: style(st, n.is_org()),
            tooltip,
        });
    }
    // Edges among the drawn nodes: in both worlds (kept), or in one only.
    let (op, np) = (pairs(old), pairs(new));
    let mut edges = Vec::new();
    let mut kinds: BTreeSet<u8> = BTreeSet::new();
    for (a, b) in op.union(&np) {
        let (Some(&from), Some(&to)) = (pos.get(a.as_str()), pos.get(b.as_str())) else {
            continue;
        };
        let key = (a.clone(), b.clone());
        let kind = match (op.contains(&key), np.contains(&key)) {
            (false, _) => EdgeKind::Added,
            (_, false) => EdgeKind::Removed,
            _ => match (new.lookup(a), new.lookup(b)) {
                (Some(x), Some(y)) => kind_in(new, x, y),
                _ => EdgeKind::Required,
            },
        };
        kinds.insert(match kind {
            EdgeKind::Added => 0,
            EdgeKind::Removed => 1,
            EdgeKind::Required => 2,
            EdgeKind::Alternative => 3,
            EdgeKind::Unknown => 4,
            EdgeKind::Owner => 5,
            EdgeKind::Partner => 6,
        });
        edges.push(DEdge {
            from,
            to,
            kind,
            broken: false,
        });
    }
    let titles: Vec<String> = BANDS.iter().map(|s| (*s).to_owned()).collect();
    let bands = super::tower::finish_rows(&titles, &mut nodes, &edges);
    let mut legend = Vec::new();
    let present: BTreeSet<State> = state.values().copied().collect();
    for (st, label) in [
        (State::Added, "+ added (heavy solid outline)"),
        (State::Removed, "− removed (hatched, dashed outline)"),
        (State::Changed, "~ changed (heavy dotted outline)"),
        (State::Context, "unchanged, shown for context"),
    ] {
        if present.contains(&st) {
            legend.push(LegendItem::Node {
                style: style(st, false),
                label: label.to_owned(),
            });
        }
    }
    if !rank_tag.is_empty() {
        legend.push(LegendItem::Node {
            style: style(State::Context, false),
            label: "▲ rank 5→2 / ▼ rank 1→5: the chokepoint rose / fell (— not ranked)".to_owned(),
        });
    }
    for (k, kind, label) in [
        (0, EdgeKind::Added, "dependency added (heavy solid)"),
        (1, EdgeKind::Removed, "dependency removed (heavy dash-dot)"),
        (2, EdgeKind::Required, "dependency kept"),
        (3, EdgeKind::Alternative, "kept: one of several (dashed)"),
        (4, EdgeKind::Unknown, "kept: undetermined (dotted)"),
        (5, EdgeKind::Owner, "kept: owned by (dotted)"),
        (6, EdgeKind::Partner, "kept: partner, not a need (dash-dot)"),
    ] {
        if kinds.contains(&k) {
            legend.push(LegendItem::Edge {
                kind,
                broken: false,
                label: label.to_owned(),
            });
        }
    }
    let moved = rank_tag.len();
    let desc = format!(
        "What changed between two versions of the stacks: {} nodes added, {} removed, {} changed; {} dependencies added, {} removed; {} chokepoints moved in the top {}. {}",
        d.nodes_added.len(),
        d.nodes_removed.len(),
        fields.len(),
        d.dependencies_added.len(),
        d.dependencies_removed.len(),
        moved,
        moves.top,
        if nodes.is_empty() {
            "Nothing changed."
        } else {
            "Added nodes are blue with a heavy solid outline, removed ones hatched with a dashed outline, changed ones have a heavy dotted outline; each carries a word saying so."
        }
    );
    Diagram {
        title: "What changed".to_owned(),
        subtitle: if nodes.is_empty() {
            format!("{subtitle}: nothing changed")
        } else {
            subtitle.to_owned()
        },
        desc,
        bands,
        nodes,
        edges,
        legend,
    }
}
