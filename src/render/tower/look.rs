//! How the layered figures look: each node's style, tag, caption and tooltip from its
//! jurisdiction, the chokepoint marks and a scenario's overlay; edge kinds and the
//! legend both builders share.

use std::collections::{BTreeMap, BTreeSet};

use crate::analysis::NodeStatus;
use crate::graph::{GroupKind, NodeIdx, World};
use crate::render::palette::{self, Jurisdictions};
use crate::render::text::wrap;
use crate::render::{DEdge, DNode, EdgeKind, LegendItem, Mark, NodeStyle, Overlay};

use super::{Marks, WRAP};

pub(super) fn mark_tag(mark: Mark) -> Option<String> {
    match mark {
        Mark::Status(NodeStatus::Intact) => None,
        m => Some(format!("{} {}", m.glyph(), m.word())),
    }
}

pub(super) fn join_tags(a: Option<String>, b: Option<&str>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(format!("{a} · {b}")),
        (Some(a), None) => Some(a),
        (None, Some(b)) => Some(b.to_owned()),
        (None, None) => None,
    }
}

/// The style, tag and edge breakage of node `i`.
pub(super) fn look(
    world: &World,
    jur: &Jurisdictions,
    marks: &Marks<'_>,
    i: NodeIdx,
    domestic: bool,
) -> (NodeStyle, Option<String>) {
    let node = world.node(i);
    let chokepoint = marks.chokepoint(i);
    let (mut style, tag) = match marks.overlay {
        Some(o) if !o.partly_for(i.index()).is_empty() => {
            let m = o.mark_of(i.index());
            (
                palette::partial_style(),
                Some(format!(
                    "◐ {} for {} only",
                    m.word(),
                    o.partly_for(i.index()).join(", ")
                )),
            )
        }
        Some(o) => {
            let m = o.mark_of(i.index());
            (palette::mark_style(m), mark_tag(m))
        }
        None => (
            palette::jurisdiction_style(jur.colour(node.jurisdiction.as_deref()), domestic),
            None,
        ),
    };
    style.double = domestic;
    style.heavy = chokepoint;
    style.rounded = !node.is_org();
    let owner_removed = marks
        .overlay
        .zip(node.org)
        .is_some_and(|(o, org)| o.removed(org.index()) && o.partly_for(org.index()).is_empty());
    let tag = join_tags(tag, owner_removed.then_some("owner removed"));
    (style, join_tags(tag, chokepoint.then_some("◆ chokepoint")))
}

pub(super) fn broken(marks: &Marks<'_>, i: NodeIdx) -> bool {
    marks.overlay.is_some_and(|o| {
        matches!(
            o.mark_of(i.index()),
            Mark::Removed | Mark::Status(NodeStatus::Failed)
        )
    })
}

pub(super) fn tooltip(world: &World, i: NodeIdx, tag: Option<&str>) -> String {
    let node = world.node(i);
    let mut t = format!("{} ({})", node.name, node.id);
    if let Some(l) = node.layer {
        t.push_str(&format!(", {}", l.as_str()));
    }
    if let Some(o) = node.org {
        t.push_str(&format!(", owned by {}", world.node(o).name));
    }
    if let Some(j) = &node.jurisdiction {
        t.push_str(&format!(", jurisdiction {j}"));
    }
    if let Some(tag) = tag {
        t.push_str(&format!("; {tag}"));
    }
    t
}

pub(super) fn caption(world: &World, i: NodeIdx) -> Option<String> {
    let node = world.node(i);
    let owner = node.org.map(|o| world.node(o).name.as_str());
    match (owner, node.jurisdiction.as_deref()) {
        (Some(o), Some(j)) => Some(format!("{o} · {j}")),
        (Some(o), None) => Some(o.to_owned()),
        (None, Some(j)) => Some(j.to_owned()),
        (None, None) => None,
    }
}

pub(super) fn edge_kind(kind: &GroupKind, need: u32, members: usize) -> Option<EdgeKind> {
    match kind {
        GroupKind::Org | GroupKind::Parent => None,
        GroupKind::Unknown { .. } => Some(EdgeKind::Unknown),
        GroupKind::Partner => Some(EdgeKind::Partner),
        _ if need as usize >= members => Some(EdgeKind::Required),
        _ => Some(EdgeKind::Alternative),
    }
}

/// Legend entries shared by both builders.
pub(super) fn legend(
    jur: &Jurisdictions,
    marks: &Marks<'_>,
    shown: &BTreeSet<(bool, String)>,
    kinds: &BTreeSet<(u8, bool)>,
    any_chokepoint: bool,
    any_partial: bool,
) -> Vec<LegendItem> {
    let mut items = Vec::new();
    match marks.overlay {
        None => {
            for (domestic, j) in shown {
                let style = palette::jurisdiction_style(jur.colour(Some(j)), *domestic);
                let label = if *domestic {
                    format!("{j}: domestic (double outline)")
                } else {
                    format!("{j}: foreign")
                };
                items.push(LegendItem::Node { style, label });
            }
        }
        Some(_) => {
            for (mark, text) in [
                (Mark::Removed, "removed by the scenario (hatched)"),
                (Mark::Status(NodeStatus::Failed), "failed"),
                (
                    Mark::Status(NodeStatus::Unknown),
                    "unknown: depends on undetermined facts",
                ),
                (
                    Mark::Status(NodeStatus::Degraded),
                    "degraded: lost an alternative",
                ),
                (Mark::Status(NodeStatus::Intact), "intact"),
            ] {
                items.push(LegendItem::Node {
                    style: palette::mark_style(mark),
                    label: format!("{} {text}", mark.glyph()),
                });
            }
            if any_partial {
                items.push(LegendItem::Node {
                    style: palette::partial_style(),
                    label: "◐ partly: hit for the destinations named, intact for other \
                            countries that need it (dashed)"
                        .to_owned(),
                });
            }
        }
    }
    if any_chokepoint {
        let mut style = palette::jurisdiction_style(palette::GREY, false);
        style.fill = palette::WHITE;
        style.stroke = palette::INK;
        style.heavy = true;
        items.push(LegendItem::Node {
            style,
            label: if marks.chokepoint_top > 0 {
                format!(
                    "◆ chokepoint: top {} of the ranking (heavy outline)",
                    marks.chokepoint_top
                )
            } else {
                "◆ chokepoint (heavy outline)".to_owned()
            },
        });
    }
    for &(k, broken) in kinds {
        let (kind, text) = match k {
            0 => (EdgeKind::Required, "needs"),
            1 => (EdgeKind::Alternative, "needs one of several (dashed)"),
            2 => (EdgeKind::Unknown, "undetermined dependency (dotted)"),
            4 => (
                EdgeKind::Partner,
                "partner, not a need: its loss degrades (open diamond)",
            ),
            _ => (EdgeKind::Owner, "owned by (dotted)"),
        };
        let label = if broken {
            format!("{text}: failure travels up")
        } else {
            text.to_owned()
        };
        items.push(LegendItem::Edge {
            kind,
            broken,
            label,
        });
    }
    items
}

/// The blocks of a tower-look figure as they are drawn: each node's place, the boxes, the
/// jurisdictions the legend names (domestic first) and whether any block is a
/// chokepoint.
#[derive(Default)]
pub(super) struct Blocks {
    pub pos: BTreeMap<NodeIdx, usize>,
    pub nodes: Vec<DNode>,
    pub shown: BTreeSet<(bool, String)>,
    pub any_chokepoint: bool,
}

impl Blocks {
    /// Draws block `i` in band `band`, in its look ([`look`], [`caption`], [`tooltip`]).
    pub fn push(
        &mut self,
        world: &World,
        jur: &Jurisdictions,
        marks: &Marks<'_>,
        i: NodeIdx,
        domestic: bool,
        band: usize,
    ) {
        let node = world.node(i);
        if let Some(j) = &node.jurisdiction {
            self.shown.insert((domestic, j.clone()));
        }
        let (style, tag) = look(world, jur, marks, i, domestic);
        self.any_chokepoint |= style.heavy;
        self.pos.insert(i, self.nodes.len());
        self.nodes.push(DNode {
            key: node.id.clone(),
            lines: wrap(&node.name, WRAP),
            caption: caption(world, i),
            tooltip: tooltip(world, i, tag.as_deref()),
            tag,
            band,
            row: 0,
            style,
        });
    }
}

/// Pushes the edges from drawn node `from` to the drawn members of a group (`pos`: a
/// node's place in the figure; members not drawn get no edge), each broken when the
/// overlay removed or failed its member, and notes each (kind, broken) for the legend.
pub(super) fn member_edges(
    marks: &Marks<'_>,
    from: usize,
    kind: EdgeKind,
    members: &[NodeIdx],
    pos: &BTreeMap<NodeIdx, usize>,
    edges: &mut Vec<DEdge>,
    kinds: &mut BTreeSet<(u8, bool)>,
) {
    for m in members {
        if let Some(&to) = pos.get(m) {
            let b = broken(marks, *m);
            kinds.insert((kind_rank(kind), b));
            edges.push(DEdge {
                from,
                to,
                kind,
                broken: b,
            });
        }
    }
}

pub(super) fn kind_rank(k: EdgeKind) -> u8 {
    match k {
        EdgeKind::Required => 0,
        EdgeKind::Alternative => 1,
        EdgeKind::Unknown => 2,
        EdgeKind::Owner => 3,
        EdgeKind::Partner => 4,
        EdgeKind::Added => 5,
        EdgeKind::Removed => 6,
    }
}

pub(super) fn scenario_summary(world: &World, caps: &[NodeIdx], overlay: &Overlay) -> String {
    let mut count: BTreeMap<Mark, usize> = BTreeMap::new();
    for &c in caps {
        *count.entry(overlay.mark_of(c.index())).or_default() += 1;
    }
    let parts: Vec<String> = count
        .iter()
        .rev()
        .map(|(m, n)| format!("{n} {}", m.word()))
        .collect();
    let _ = world;
    format!(
        "{} {}: {}",
        caps.len(),
        if caps.len() == 1 {
            "capability"
        } else {
            "capabilities"
        },
        parts.join(", ")
    )
}
