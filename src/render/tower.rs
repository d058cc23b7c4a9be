//! Builders of layered figures: a country's Jenga tower and the overview of every
//! country over the suppliers they share.
//!
//! Both are pure functions of the world and plain marks (chokepoints by node index,
//! an optional [`Overlay`]); they decide what is drawn and how it looks, never where.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::analysis::NodeStatus;
use crate::analysis::cascade::Cascade;
use crate::graph::{GroupKind, NodeIdx, World};
use crate::model::Layer;

use super::palette::{self, Jurisdictions};
use super::text::wrap;
use super::{Band, DEdge, DNode, Diagram, EdgeKind, LegendItem, Mark, NodeStyle, Overlay};

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

/// Assigns rows inside each band so that an edge between two nodes of one band points
/// down: the longest path from the band's top (Kahn's algorithm; nodes on a cycle go
/// below their processed predecessors).
///
/// `nodes` are `(band, key)`; `edges` are `(from, to)` indices into `nodes`. Returns
/// each node's row inside its band and each band's row count.
///
/// # Complexity
/// O(V + E).
fn sub_rows(nodes: &[usize], bands: usize, edges: &[(usize, usize)]) -> (Vec<usize>, Vec<usize>) {
    let n = nodes.len();
    let mut succ = vec![Vec::new(); n];
    let mut indeg = vec![0usize; n];
    for &(a, b) in edges {
        if nodes[a] == nodes[b] && a != b {
            succ[a].push(b);
            indeg[b] += 1;
        }
    }
    let mut depth = vec![0usize; n];
    // `queued` is set when a node enters the queue, so that no node enters twice.
    let mut queued = vec![false; n];
    let mut queue: VecDeque<usize> = VecDeque::new();
    for v in 0..n {
        if indeg[v] == 0 {
            queued[v] = true;
            queue.push_back(v);
        }
    }
    loop {
        while let Some(v) = queue.pop_front() {
            for &w in &succ[v] {
                if queued[w] {
                    continue;
                }
                depth[w] = depth[w].max(depth[v] + 1);
                indeg[w] = indeg[w].saturating_sub(1);
                if indeg[w] == 0 {
                    queued[w] = true;
                    queue.push_back(w);
                }
            }
        }
        // A cycle: release its first node, keeping the depth found so far.
        match (0..n).find(|&v| !queued[v]) {
            Some(v) => {
                queued[v] = true;
                queue.push_back(v);
            }
            None => break,
        }
    }
    let mut rows = vec![0usize; bands];
    for v in 0..n {
        rows[nodes[v]] = rows[nodes[v]].max(depth[v] + 1);
    }
    (depth, rows)
}

/// Lays nodes out into non-empty bands: returns the bands and sets each node's `band`
/// and `row` from its provisional band index (into `titles`) and sub-row.
pub(crate) fn finish_rows(titles: &[String], nodes: &mut [DNode], edges: &[DEdge]) -> Vec<Band> {
    let bands: Vec<usize> = nodes.iter().map(|n| n.band).collect();
    let pairs: Vec<(usize, usize)> = edges.iter().map(|e| (e.from, e.to)).collect();
    let (depth, rows) = sub_rows(&bands, titles.len(), &pairs);
    let mut out = Vec::new();
    let mut new_index = vec![0usize; titles.len()];
    let mut first_row = vec![0usize; titles.len()];
    let mut row = 0;
    for (b, title) in titles.iter().enumerate() {
        if rows[b] > 0 {
            new_index[b] = out.len();
            first_row[b] = row;
            row += rows[b];
            out.push(Band {
                label: title.clone(),
                rows: rows[b],
            });
        }
    }
    for (v, node) in nodes.iter_mut().enumerate() {
        let b = node.band;
        node.band = new_index[b];
        node.row = first_row[b] + depth[v];
    }
    out
}

/// At most this many organizations side by side in a row of an organization band; a
/// crowded band wraps into further rows instead of growing wider than the page.
pub const ORGS_PER_ROW: usize = 6;

/// Wraps each row of band `band` (an index into `bands`) that holds more than `max`
/// nodes into rows of at most `max`, in the nodes' order, and renumbers the rows
/// below. Every node stays; edges inside the band still point down (the chunks of a
/// row come before the next row's).
///
/// # Complexity
/// O(V log V) for the sort by row.
pub(crate) fn wrap_band(bands: &mut [Band], nodes: &mut [DNode], band: usize, max: usize) {
    let Some(b) = bands.get(band) else { return };
    let first: usize = bands[..band].iter().map(|b| b.rows).sum();
    let (start, end) = (first, first + b.rows);
    let max = max.max(1);
    // New row of each old row's k-th node, for the rows of this band.
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); b.rows];
    for (v, n) in nodes.iter().enumerate() {
        if n.band == band && (start..end).contains(&n.row) {
            members[n.row - start].push(v);
        }
    }
    let mut next = start;
    let mut new_row = vec![0usize; nodes.len()];
    for row in &members {
        for chunk in row.chunks(max) {
            for &v in chunk {
                new_row[v] = next;
            }
            next += 1;
        }
        if row.is_empty() {
            next += 1;
        }
    }
    let added = next - end;
    if added == 0 {
        return;
    }
    for (v, n) in nodes.iter_mut().enumerate() {
        if n.band == band && (start..end).contains(&n.row) {
            n.row = new_row[v];
        } else if n.row >= end {
            n.row += added;
        }
    }
    bands[band].rows += added;
}

fn mark_tag(mark: Mark) -> Option<String> {
    match mark {
        Mark::Status(NodeStatus::Intact) => None,
        m => Some(format!("{} {}", m.glyph(), m.word())),
    }
}

fn join_tags(a: Option<String>, b: Option<&str>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(format!("{a} · {b}")),
        (Some(a), None) => Some(a),
        (None, Some(b)) => Some(b.to_owned()),
        (None, None) => None,
    }
}

/// The style, tag and edge breakage of node `i`.
fn look(
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

fn broken(marks: &Marks<'_>, i: NodeIdx) -> bool {
    marks.overlay.is_some_and(|o| {
        matches!(
            o.mark_of(i.index()),
            Mark::Removed | Mark::Status(NodeStatus::Failed)
        )
    })
}

fn tooltip(world: &World, i: NodeIdx, tag: Option<&str>) -> String {
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

fn caption(world: &World, i: NodeIdx) -> Option<String> {
    let node = world.node(i);
    let owner = node.org.map(|o| world.node(o).name.as_str());
    match (owner, node.jurisdiction.as_deref()) {
        (Some(o), Some(j)) => Some(format!("{o} · {j}")),
        (Some(o), None) => Some(o.to_owned()),
        (None, Some(j)) => Some(j.to_owned()),
        (None, None) => None,
    }
}

fn edge_kind(kind: &GroupKind, need: u32, members: usize) -> Option<EdgeKind> {
    match kind {
        GroupKind::Org | GroupKind::Parent => None,
        GroupKind::Unknown { .. } => Some(EdgeKind::Unknown),
        GroupKind::Partner => Some(EdgeKind::Partner),
        _ if need as usize >= members => Some(EdgeKind::Required),
        _ => Some(EdgeKind::Alternative),
    }
}

/// Legend entries shared by both builders.
fn legend(
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

fn kind_rank(k: EdgeKind) -> u8 {
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

fn scenario_summary(world: &World, caps: &[NodeIdx], overlay: &Overlay) -> String {
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
    let mut pos: BTreeMap<NodeIdx, usize> = BTreeMap::new();
    let mut nodes = Vec::new();
    let mut shown = BTreeSet::new();
    let mut any_chokepoint = false;
    for &i in &drawn {
        let node = world.node(i);
        let domestic = node.jurisdiction.as_deref() == Some(code);
        if let Some(j) = &node.jurisdiction {
            shown.insert((domestic, j.clone()));
        }
        let (style, tag) = look(world, &jur, marks, i, domestic);
        any_chokepoint |= style.heavy;
        pos.insert(i, nodes.len());
        nodes.push(DNode {
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
            for &m in &group.members {
                if let Some(&to) = pos.get(&m) {
                    let b = broken(marks, m);
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

/// The overview: every country on top, the suppliers that at least two countries
/// depend on in the layers below, and the organizations owning them at the bottom.
/// An edge means "depends on, directly or through blocks of its own".
///
/// # Complexity
/// O(V + E + C · (V + E)) for the exposure count ([`crate::analysis::chokepoints::exposure`]), plus one bounded search per drawn node,
/// O(S · (V + E)) for S shared suppliers.
pub fn overview(world: &World, marks: &Marks<'_>) -> Diagram {
    let jur = Jurisdictions::of(world);
    let exposure = crate::analysis::chokepoints::exposure(&Cascade::new(world));
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
            exposure[i.index()] >= 2
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
        let n = exposure[i.index()];
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

#[cfg(test)]
mod tests {
    use super::*;

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
