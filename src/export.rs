//! Exports of the graph, or of one target's dependency cone, for other tools:
//! GraphML (Gephi, Cytoscape, yEd, networkx), Mermaid (GitHub Markdown), CSV node and
//! edge lists with Neo4j admin-import headers, and JSON.
//!
//! Pure functions from a [`World`](crate::graph::World) and a
//! [`Selection`](crate::export::Selection) to text; writing files is the caller's job.
//! Nodes come in index order (declaration order) and edges in edge order, so the same
//! data gives byte-identical output.

use std::fmt::Write as _;

use petgraph::visit::EdgeRef as _;
use serde::Serialize;

use crate::graph::{GroupKind, NodeIdx, World};
use crate::model::Layer;
use crate::output::Table;

/// A target that is neither a country code of the data nor a node id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{target}` is neither a country nor a node id; {hint}")]
pub struct UnknownTarget {
    /// The target as given.
    pub target: String,
    /// What to give instead (the closest id, or the kinds of target).
    pub hint: String,
}

/// The nodes an export covers.
#[derive(Debug, Clone)]
pub struct Selection {
    /// What was asked for: `None` for the whole world, else the target.
    pub target: Option<String>,
    /// `included[i]` for node index `i`.
    pub included: Vec<bool>,
}

impl Selection {
    /// Every node.
    pub fn all(world: &World) -> Selection {
        Selection {
            target: None,
            included: vec![true; world.len()],
        }
    }

    /// The dependency cone of `target`: a country code (its capabilities and
    /// everything they need, transitively) or a node id (the node and everything it
    /// needs). Implicit dependencies on owners count, so the cone holds the
    /// organizations too.
    ///
    /// # Errors
    /// `target` is neither a country code of the data nor a node id; the message
    /// suggests the closest id.
    ///
    /// # Complexity
    /// O(V + E): one depth-first search.
    pub fn cone(world: &World, target: &str) -> Result<Selection, UnknownTarget> {
        let roots: Vec<NodeIdx> = if let Some(c) = world.country(target) {
            c.capabilities.clone()
        } else if let Some(i) = world.lookup(target) {
            vec![i]
        } else {
            let hint = crate::diag::did_you_mean(
                target,
                world
                    .ids
                    .keys()
                    .map(String::as_str)
                    .chain(world.countries.iter().map(|c| c.code.as_str())),
            )
            .map_or_else(
                || "give a country code of the data or a node id".to_owned(),
                |s| format!("did you mean `{s}`?"),
            );
            return Err(UnknownTarget {
                target: target.to_owned(),
                hint,
            });
        };
        Ok(Selection {
            target: Some(target.to_owned()),
            included: crate::graph::cone_mask(world, &roots),
        })
    }

    /// The included nodes, in index order.
    pub fn nodes<'a>(&'a self, world: &'a World) -> impl Iterator<Item = NodeIdx> + 'a {
        world.indices().filter(|i| self.included[i.index()])
    }

    /// The dependency edges between included nodes, in edge order.
    pub fn edges<'a>(&'a self, world: &'a World) -> impl Iterator<Item = Edge> + 'a {
        world.graph.edge_references().filter_map(|e| {
            let (from, to) = (e.source(), e.target());
            if !(self.included[from.index()] && self.included[to.index()]) {
                return None;
            }
            let group = world.node(from).needs.get(e.weight().group as usize)?;
            Some(Edge {
                from,
                to,
                group: e.weight().group,
                kind: kind_name(&group.kind),
                need: group.need,
                of: group.members.len(),
            })
        })
    }
}

/// One dependency edge: `from` needs `to` through one of its groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    /// The dependent.
    pub from: NodeIdx,
    /// The dependency.
    pub to: NodeIdx,
    /// Index of the group in `from`'s needs.
    pub group: u32,
    /// The group's form (see [`kind_name`]).
    pub kind: &'static str,
    /// How many members of the group must work.
    pub need: u32,
    /// How many members the group has.
    pub of: usize,
}

/// The name of a group's form in exports: `requires`, `owned-by`, `subsidiary-of`,
/// `any`, `at-least`, `partner` or `unknown`.
pub fn kind_name(kind: &GroupKind) -> &'static str {
    match kind {
        GroupKind::Required => "requires",
        GroupKind::Org => "owned-by",
        GroupKind::Parent => "subsidiary-of",
        GroupKind::Any => "any",
        GroupKind::AtLeast => "at-least",
        GroupKind::Partner => "partner",
        GroupKind::Unknown { .. } => "unknown",
    }
}

/// The attributes every export gives a node.
struct Attrs<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'static str,
    layer: &'static str,
    org: &'a str,
    jurisdiction: &'a str,
    status: &'static str,
    country: &'a str,
}

fn attrs(world: &World, i: NodeIdx) -> Attrs<'_> {
    let n = world.node(i);
    Attrs {
        id: &n.id,
        name: &n.name,
        kind: if n.is_org() {
            "organization"
        } else {
            "component"
        },
        layer: n.layer.map_or("", |l| l.as_str()),
        org: n.org.map_or("", |o| world.node(o).id.as_str()),
        jurisdiction: n.jurisdiction.as_deref().unwrap_or(""),
        status: n.status.map_or("", |s| s.as_str()),
        country: n
            .country
            .and_then(|c| world.countries.get(c))
            .map_or("", |c| c.code.as_str()),
    }
}

// ---------------------------------------------------------------------------
// JSON

#[derive(Serialize)]
struct JsonGraph<'a> {
    target: Option<&'a str>,
    countries: Vec<JsonCountry<'a>>,
    nodes: Vec<JsonNode<'a>>,
    edges: Vec<JsonEdge<'a>>,
}

#[derive(Serialize)]
struct JsonCountry<'a> {
    code: &'a str,
    name: &'a str,
    capabilities: Vec<&'a str>,
}

#[derive(Serialize)]
struct JsonNode<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'static str,
    layer: Option<&'static str>,
    org: Option<&'a str>,
    jurisdiction: Option<&'a str>,
    status: Option<&'static str>,
    country: Option<&'a str>,
    needs: Vec<JsonGroup<'a>>,
}

/// One group of a node's needs, with every field the model gives it. The JSON
/// export lists these under `needs`; GraphML and CSV carry the same objects as a
/// JSON-text attribute `needs` on the node, so a group with no members (an `unknown`
/// the sources leave open) is not lost with the edges. A new field of a group is
/// one line here and reaches every export.
#[derive(Serialize)]
struct JsonGroup<'a> {
    kind: &'static str,
    need: u32,
    members: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    /// An `unknown` group's scope: the layer of what is missing (absent: any layer).
    #[serde(skip_serializing_if = "Option::is_none")]
    layer: Option<&'static str>,
    /// An `unknown` group's candidates are the whole list (`true`) or open (`false`).
    #[serde(skip_serializing_if = "Option::is_none")]
    closed: Option<bool>,
}

fn json_group<'a>(world: &'a World, g: &'a crate::graph::Group) -> JsonGroup<'a> {
    JsonGroup {
        kind: kind_name(&g.kind),
        need: g.need,
        members: g
            .members
            .iter()
            .map(|&m| world.node(m).id.as_str())
            .collect(),
        description: match &g.kind {
            GroupKind::Unknown { description, .. } => Some(&**description),
            _ => None,
        },
        layer: g.unknown_layer().map(Layer::as_str),
        closed: match g.kind {
            GroupKind::Unknown { closed, .. } => Some(closed),
            _ => None,
        },
    }
}

/// The node's groups as one line of JSON (the `needs` attribute of GraphML and
/// CSV), and how many of them are `unknown`.
fn needs_attr(world: &World, i: NodeIdx) -> (String, usize) {
    let n = world.node(i);
    let groups: Vec<JsonGroup<'_>> = n.needs.iter().map(|g| json_group(world, g)).collect();
    // Serializing plain strings and integers cannot fail.
    let text = serde_json::to_string(&groups).unwrap_or_default();
    (text, n.needs.iter().filter(|g| g.is_unknown()).count())
}

#[derive(Serialize)]
struct JsonEdge<'a> {
    from: &'a str,
    to: &'a str,
    kind: &'static str,
    group: u32,
}

fn nonempty(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

/// The graph as JSON (documented in `docs/json.md`, section `export`).
///
/// # Errors
/// Serialization failure (not expected for these types).
pub fn to_json(world: &World, sel: &Selection) -> Result<String, crate::output::JsonError> {
    let nodes = sel
        .nodes(world)
        .map(|i| {
            let a = attrs(world, i);
            let n = world.node(i);
            JsonNode {
                id: a.id,
                name: a.name,
                kind: a.kind,
                layer: nonempty(a.layer).map(|_| a.layer),
                org: nonempty(a.org),
                jurisdiction: nonempty(a.jurisdiction),
                status: nonempty(a.status).map(|_| a.status),
                country: nonempty(a.country),
                needs: n.needs.iter().map(|g| json_group(world, g)).collect(),
            }
        })
        .collect();
    let edges = sel
        .edges(world)
        .map(|e| JsonEdge {
            from: &world.node(e.from).id,
            to: &world.node(e.to).id,
            kind: e.kind,
            group: e.group,
        })
        .collect();
    let countries = world
        .countries
        .iter()
        .filter(|c| c.capabilities.iter().any(|&i| sel.included[i.index()]))
        .map(|c| JsonCountry {
            code: &c.code,
            name: &c.name,
            capabilities: c
                .capabilities
                .iter()
                .map(|&i| world.node(i).id.as_str())
                .collect(),
        })
        .collect();
    crate::output::to_json(&JsonGraph {
        target: sel.target.as_deref(),
        countries,
        nodes,
        edges,
    })
}

// ---------------------------------------------------------------------------
// GraphML

/// Escapes text for XML character data and attribute values.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            '\r' => out.push_str("&#13;"),
            // Other control characters are not allowed in XML 1.0 at all; bidi
            // overrides would make a label display differently from what it holds.
            c if c.is_control() || crate::diag::is_bidi_control(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

const NODE_KEYS: [&str; 7] = [
    "label",
    "kind",
    "layer",
    "org",
    "jurisdiction",
    "status",
    "country",
];

/// The graph as GraphML: node attributes `label` (the display name), `kind`,
/// `layer`, `org`, `jurisdiction`, `status`, `country`, `unknown` (how many of its
/// groups are `unknown`) and `needs` (its groups as JSON text, the objects of the
/// JSON export: kind, need, members, description); edge attributes `kind` (the
/// group's form), `group`, `need` and `of`. Every attribute is declared as a
/// `<key>`; absent values are left out (GraphML's default is "no value").
pub fn to_graphml(world: &World, sel: &Selection) -> String {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n");
    for k in NODE_KEYS {
        let _ = writeln!(
            out,
            "  <key id=\"n_{k}\" for=\"node\" attr.name=\"{k}\" attr.type=\"string\"/>"
        );
    }
    out.push_str(
        "  <key id=\"n_unknown\" for=\"node\" attr.name=\"unknown\" attr.type=\"int\"/>\n",
    );
    out.push_str("  <key id=\"n_needs\" for=\"node\" attr.name=\"needs\" attr.type=\"string\"/>\n");
    out.push_str("  <key id=\"e_kind\" for=\"edge\" attr.name=\"kind\" attr.type=\"string\"/>\n");
    out.push_str("  <key id=\"e_group\" for=\"edge\" attr.name=\"group\" attr.type=\"int\"/>\n");
    out.push_str("  <key id=\"e_need\" for=\"edge\" attr.name=\"need\" attr.type=\"int\"/>\n");
    out.push_str("  <key id=\"e_of\" for=\"edge\" attr.name=\"of\" attr.type=\"int\"/>\n");
    let _ = writeln!(
        out,
        "  <graph id=\"{}\" edgedefault=\"directed\">",
        xml_escape(sel.target.as_deref().unwrap_or("jenga"))
    );
    for i in sel.nodes(world) {
        let a = attrs(world, i);
        let _ = writeln!(out, "    <node id=\"{}\">", xml_escape(a.id));
        let values = [
            a.name,
            a.kind,
            a.layer,
            a.org,
            a.jurisdiction,
            a.status,
            a.country,
        ];
        for (k, v) in NODE_KEYS.iter().zip(values) {
            if !v.is_empty() {
                let _ = writeln!(out, "      <data key=\"n_{k}\">{}</data>", xml_escape(v));
            }
        }
        let (needs, unknown) = needs_attr(world, i);
        let _ = writeln!(
            out,
            "      <data key=\"n_unknown\">{unknown}</data>\n      <data key=\"n_needs\">{}</data>",
            xml_escape(&needs)
        );
        out.push_str("    </node>\n");
    }
    for (n, e) in sel.edges(world).enumerate() {
        let _ = writeln!(
            out,
            "    <edge id=\"e{n}\" source=\"{}\" target=\"{}\">\n      <data key=\"e_kind\">{}</data>\n      <data key=\"e_group\">{}</data>\n      <data key=\"e_need\">{}</data>\n      <data key=\"e_of\">{}</data>\n    </edge>",
            xml_escape(&world.node(e.from).id),
            xml_escape(&world.node(e.to).id),
            e.kind,
            e.group,
            e.need,
            e.of
        );
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}

// ---------------------------------------------------------------------------
// GEXF

/// The graph as GEXF 1.2 (Gephi's own format): each node's `label` is its display
/// name; node attributes `kind`, `layer`, `org`, `jurisdiction`, `status`, `country`
/// (strings), `unknown` (an integer: how many of its groups are `unknown`) and `needs`
/// (its groups as JSON text, as in GraphML); edge attributes `kind`, `group`, `need`
/// and `of`, in the same order as GraphML's. Absent values are left out. Attribute ids
/// are their titles, so readers that key by either agree.
///
/// # Complexity
/// O(nodes + edges + the size of their attributes).
pub fn to_gexf(world: &World, sel: &Selection) -> String {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<gexf xmlns=\"http://www.gexf.net/1.2draft\" version=\"1.2\">\n");
    let _ = writeln!(
        out,
        "  <meta>\n    <creator>jenga</creator>\n    <description>{}</description>\n  </meta>",
        xml_escape(sel.target.as_deref().unwrap_or("jenga"))
    );
    out.push_str("  <graph mode=\"static\" defaultedgetype=\"directed\">\n");
    out.push_str("    <attributes class=\"node\">\n");
    for k in &NODE_KEYS[1..] {
        let _ = writeln!(
            out,
            "      <attribute id=\"{k}\" title=\"{k}\" type=\"string\"/>"
        );
    }
    out.push_str("      <attribute id=\"unknown\" title=\"unknown\" type=\"integer\"/>\n");
    out.push_str("      <attribute id=\"needs\" title=\"needs\" type=\"string\"/>\n");
    out.push_str("    </attributes>\n    <attributes class=\"edge\">\n");
    out.push_str("      <attribute id=\"kind\" title=\"kind\" type=\"string\"/>\n");
    for k in ["group", "need", "of"] {
        let _ = writeln!(
            out,
            "      <attribute id=\"{k}\" title=\"{k}\" type=\"integer\"/>"
        );
    }
    out.push_str("    </attributes>\n    <nodes>\n");
    for i in sel.nodes(world) {
        let a = attrs(world, i);
        let _ = writeln!(
            out,
            "      <node id=\"{}\" label=\"{}\">\n        <attvalues>",
            xml_escape(a.id),
            xml_escape(a.name)
        );
        let values = [a.kind, a.layer, a.org, a.jurisdiction, a.status, a.country];
        for (k, v) in NODE_KEYS[1..].iter().zip(values) {
            if !v.is_empty() {
                let _ = writeln!(
                    out,
                    "          <attvalue for=\"{k}\" value=\"{}\"/>",
                    xml_escape(v)
                );
            }
        }
        let (needs, unknown) = needs_attr(world, i);
        let _ = writeln!(
            out,
            "          <attvalue for=\"unknown\" value=\"{unknown}\"/>\n          <attvalue for=\"needs\" value=\"{}\"/>\n        </attvalues>\n      </node>",
            xml_escape(&needs)
        );
    }
    out.push_str("    </nodes>\n    <edges>\n");
    for (n, e) in sel.edges(world).enumerate() {
        let _ = writeln!(
            out,
            "      <edge id=\"e{n}\" source=\"{}\" target=\"{}\">\n        <attvalues>\n          <attvalue for=\"kind\" value=\"{}\"/>\n          <attvalue for=\"group\" value=\"{}\"/>\n          <attvalue for=\"need\" value=\"{}\"/>\n          <attvalue for=\"of\" value=\"{}\"/>\n        </attvalues>\n      </edge>",
            xml_escape(&world.node(e.from).id),
            xml_escape(&world.node(e.to).id),
            e.kind,
            e.group,
            e.need,
            e.of
        );
    }
    out.push_str("    </edges>\n  </graph>\n</gexf>\n");
    out
}

// ---------------------------------------------------------------------------
// Mermaid

/// Escapes a label for a quoted Mermaid string: `"`, `<`, `>`, `&`, `#`, backquotes
/// and brackets become Mermaid entity codes (`#34;`), line breaks become spaces, so
/// no label can close its string, inject HTML or start a Markdown string.
pub fn mermaid_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' | '<' | '>' | '&' | '#' | '`' | '[' | ']' | '{' | '}' | '(' | ')' | '|' | '\\' => {
                let _ = write!(out, "#{};", u32::from(c));
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c if crate::diag::is_bidi_control(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The graph as a Mermaid flowchart that GitHub renders in Markdown (inside a
/// ```` ```mermaid ```` block). Dependents point down at their dependencies, so
/// capabilities sit on top and chips at the bottom; organizations are rounded;
/// implicit ownership edges are dotted; `any` and `at-least` edges are labelled
/// `k of n` (`1 of 3`); every `unknown` group is a hexagon `uN` with the sources'
/// note, dotted from its owner and to its candidates. Node ids are `n0`, `n1`, ... (jenga ids may hold characters Mermaid
/// reads as syntax); the jenga id is in a comment next to each node.
pub fn to_mermaid(world: &World, sel: &Selection) -> String {
    let mut out = String::new();
    out.push_str("flowchart TD\n");
    let mut ids = vec![usize::MAX; world.len()];
    let mut layers: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    for (n, i) in sel.nodes(world).enumerate() {
        ids[i.index()] = n;
        let a = attrs(world, i);
        let label = mermaid_escape(a.name);
        let _ = writeln!(out, "  %% {}", mermaid_escape(a.id));
        if a.kind == "organization" {
            let _ = writeln!(
                out,
                "  n{n}([\"{label}<br/>{}\"])",
                mermaid_escape(a.jurisdiction)
            );
            layers.entry("organization").or_default().push(n);
        } else {
            let _ = writeln!(out, "  n{n}[\"{label}\"]");
            layers
                .entry(if a.layer.is_empty() { "other" } else { a.layer })
                .or_default()
                .push(n);
        }
    }
    for e in sel.edges(world) {
        let (f, t) = (ids[e.from.index()], ids[e.to.index()]);
        let _ = match e.kind {
            "requires" => writeln!(out, "  n{f} --> n{t}"),
            "owned-by" | "subsidiary-of" => writeln!(out, "  n{f} -.-> n{t}"),
            "any" | "at-least" => writeln!(out, "  n{f} -->|\"{} of {}\"| n{t}", e.need, e.of),
            // Drawn from the group's own node below.
            "unknown" => Ok(()),
            other => writeln!(out, "  n{f} -->|\"{other}\"| n{t}"),
        };
    }
    // Every `unknown` group is a node of its own (`u0`, `u1`, ...) holding the
    // sources' note, reached by a dotted `unknown` edge from its owner and pointing
    // at its candidates, if any: a group with no members still shows.
    let mut unknowns = Vec::new();
    for i in sel.nodes(world) {
        for g in &world.node(i).needs {
            if let GroupKind::Unknown {
                description,
                layer,
                closed,
            } = &g.kind
            {
                let u = unknowns.len();
                unknowns.push(u);
                // The scope: the layer of what is missing and whether the candidates
                // are the whole list.
                let scope = match (layer, closed) {
                    (Some(l), true) => format!(" {}, one of the candidates", l.as_str()),
                    (Some(l), false) => format!(" {}", l.as_str()),
                    (None, true) => " one of the candidates".to_owned(),
                    (None, false) => String::new(),
                };
                let _ = writeln!(
                    out,
                    "  u{u}{{{{\"unknown{}: {}\"}}}}\n  n{} -.->|\"unknown\"| u{u}",
                    mermaid_escape(&scope),
                    mermaid_escape(description),
                    ids[i.index()]
                );
                for &m in &g.members {
                    if sel.included[m.index()] {
                        let _ = writeln!(out, "  u{u} -.-> n{}", ids[m.index()]);
                    }
                }
            }
        }
    }
    // Colour-blind-safe fills (Okabe-Ito, lightened) per layer.
    let fills = [
        ("capability", "#f0e442"),
        ("distribution", "#cc79a7"),
        ("model", "#56b4e9"),
        ("data", "#009e73"),
        ("compute", "#e69f00"),
        ("chips", "#d55e00"),
        ("organization", "#dddddd"),
        ("other", "#ffffff"),
    ];
    for (class, fill) in fills {
        if let Some(nodes) = layers.get(class) {
            let _ = writeln!(out, "  classDef {class} fill:{fill},stroke:#333,color:#000");
            let list: Vec<String> = nodes.iter().map(|n| format!("n{n}")).collect();
            let _ = writeln!(out, "  class {} {class}", list.join(","));
        }
    }
    if !unknowns.is_empty() {
        out.push_str(
            "  classDef unknown fill:#ffffff,stroke:#333,stroke-dasharray:4 3,color:#000\n",
        );
        let list: Vec<String> = unknowns.iter().map(|u| format!("u{u}")).collect();
        let _ = writeln!(out, "  class {} unknown", list.join(","));
    }
    out
}

// ---------------------------------------------------------------------------
// CSV

/// The node and edge lists as CSV with Neo4j admin-import headers (`neo4j-admin
/// database import full --nodes=nodes.csv --relationships=edges.csv`): nodes
/// `id:ID,name,kind,layer,org,jurisdiction,status,country,unknown:int,needs,:LABEL`
/// (`unknown` counts the node's `unknown` groups, `needs` holds all its groups as
/// JSON text, the objects of the JSON export); edges
/// `:START_ID,:END_ID,:TYPE,kind,group:int,need:int,of:int`. Labels are
/// `Organization` or `Component` plus the layer (`Component;Chips`); every edge's
/// type is `NEEDS` (with `kind` saying which form), except ownership: `OWNED_BY`
/// and `SUBSIDIARY_OF`. Cells are RFC 4180; with `raw` false, a cell a spreadsheet
/// would read as a formula (`=`, `+`, `-`, `@`) is prefixed with `'` and control
/// characters are replaced (for spreadsheets); with `raw` true the data is left
/// unaltered (for databases).
pub fn to_csv(world: &World, sel: &Selection, raw: bool) -> (String, String) {
    let mut nodes = Table::new([
        "id:ID",
        "name",
        "kind",
        "layer",
        "org",
        "jurisdiction",
        "status",
        "country",
        "unknown:int",
        "needs",
        ":LABEL",
    ]);
    for i in sel.nodes(world) {
        let a = attrs(world, i);
        let label = if a.kind == "organization" {
            "Organization".to_owned()
        } else if a.layer.is_empty() {
            "Component".to_owned()
        } else {
            let mut l = a.layer.to_owned();
            l[..1].make_ascii_uppercase();
            format!("Component;{l}")
        };
        let (needs, unknown) = needs_attr(world, i);
        nodes.push([
            a.id,
            a.name,
            a.kind,
            a.layer,
            a.org,
            a.jurisdiction,
            a.status,
            a.country,
            &unknown.to_string(),
            &needs,
            &label,
        ]);
    }
    let mut edges = Table::new([
        ":START_ID",
        ":END_ID",
        ":TYPE",
        "kind",
        "group:int",
        "need:int",
        "of:int",
    ]);
    for e in sel.edges(world) {
        let ty = match e.kind {
            "owned-by" => "OWNED_BY",
            "subsidiary-of" => "SUBSIDIARY_OF",
            _ => "NEEDS",
        };
        edges.push([
            world.node(e.from).id.clone(),
            world.node(e.to).id.clone(),
            ty.to_owned(),
            e.kind.to_owned(),
            e.group.to_string(),
            e.need.to_string(),
            e.of.to_string(),
        ]);
    }
    if raw {
        (nodes.to_csv_raw(), edges.to_csv_raw())
    } else {
        (nodes.to_csv(), edges.to_csv())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world() -> World {
        let yaml = "country: XA\nname: Testland\ncapabilities: [cap]\norganizations:\n  - {id: nvidia, name: 'Nvidia \"A100\" \\ <script>', jurisdiction: US}\n  - {id: fujitsu, name: Fujitsu, jurisdiction: JP}\nnodes:\n  - {id: h100, name: H100, layer: chips, org: nvidia}\n  - {id: a64fx, name: A64FX, layer: chips, org: fujitsu}\n  - {id: cap, name: Cap, layer: capability, needs: [{any: [h100, a64fx]}]}\n  - {id: other, name: Other, layer: compute, needs: [{at-least: 1, of: [a64fx]}]}\n";
        crate::graph::from_yaml(&[yaml])
    }

    #[test]
    fn cone_of_a_country_and_of_a_node() {
        let w = world();
        let ids =
            |s: &Selection| -> Vec<String> { s.nodes(&w).map(|i| w.node(i).id.clone()).collect() };
        let c = Selection::cone(&w, "XA").unwrap();
        assert_eq!(ids(&c), ["nvidia", "fujitsu", "h100", "a64fx", "cap"]);
        let o = Selection::cone(&w, "other").unwrap();
        assert_eq!(ids(&o), ["fujitsu", "a64fx", "other"]);
        let e = Selection::cone(&w, "h10").unwrap_err();
        assert!(e.to_string().contains("did you mean `h100`?"), "{e}");
    }

    #[test]
    fn labels_cannot_break_out() {
        let w = world();
        let all = Selection::all(&w);
        let g = to_graphml(&w, &all);
        assert!(
            g.contains("Nvidia &quot;A100&quot; \\ &lt;script&gt;"),
            "{g}"
        );
        let m = to_mermaid(&w, &all);
        assert!(
            m.contains("n0([\"Nvidia #34;A100#34; #92; #60;script#62;<br/>US\"])"),
            "{m}"
        );
        let (nodes, edges) = to_csv(&w, &all, false);
        assert!(nodes.starts_with(
            "id:ID,name,kind,layer,org,jurisdiction,status,country,unknown:int,needs,:LABEL\r\n"
        ));
        assert!(
            nodes.contains("h100,H100,component,chips,nvidia,US,,XA,0,\"[{\"\"kind\"\":\"\"owned-by\"\",\"\"need\"\":1,\"\"members\"\":[\"\"nvidia\"\"]}]\",Component;Chips\r\n"),
            "{nodes}"
        );
        assert!(edges.contains("cap,h100,NEEDS,any,0,1,2\r\n"), "{edges}");
        assert!(
            edges.contains("h100,nvidia,OWNED_BY,owned-by,0,1,1\r\n"),
            "{edges}"
        );
    }

    #[test]
    fn every_export_carries_unknown_groups_with_their_note() {
        let yaml = "country: XA\nname: Testland\ncapabilities: [cap]\nnodes:\n  - {id: chip, name: Chip, layer: chips}\n  - id: cap\n    name: Cap\n    layer: capability\n    needs:\n      - unknown: \"=Hardware to be determined\"\n      - {any: [chip, chip2]}\n  - {id: chip2, name: Chip2, layer: chips}\n";
        let w = crate::graph::from_yaml(&[yaml]);
        let all = Selection::all(&w);
        let note = "=Hardware to be determined";
        let j: serde_json::Value = serde_json::from_str(&to_json(&w, &all).unwrap()).unwrap();
        assert_eq!(j["nodes"][1]["needs"][0]["kind"], "unknown");
        assert_eq!(j["nodes"][1]["needs"][0]["description"], note);
        let g = to_graphml(&w, &all);
        assert!(g.contains("<data key=\"n_unknown\">1</data>"), "{g}");
        assert!(
            g.contains("&quot;description&quot;:&quot;=Hardware to be determined&quot;"),
            "{g}"
        );
        let (nodes, _) = to_csv(&w, &all, false);
        assert!(
            nodes.contains(",1,\"[{\"\"kind\"\":\"\"unknown\"\""),
            "{nodes}"
        );
        let (raw, _) = to_csv(&w, &all, true);
        assert!(raw.contains(note), "{raw}");
        let m = to_mermaid(&w, &all);
        assert!(
            m.contains(
                "  u0{{\"unknown: =Hardware to be determined\"}}\n  n1 -.->|\"unknown\"| u0\n"
            ),
            "{m}"
        );
        assert!(m.contains("n1 -->|\"1 of 2\"| n0"), "{m}");
    }

    #[test]
    fn raw_csv_leaves_data_unaltered_and_the_spreadsheet_csv_guards_it() {
        let yaml = "country: XA\nname: Testland\ncapabilities: [cap]\nnodes:\n  - {id: cap, name: \"-SEA-LION, v3\", layer: capability}\n";
        let w = crate::graph::from_yaml(&[yaml]);
        let all = Selection::all(&w);
        assert!(to_csv(&w, &all, false).0.contains(",\"'-SEA-LION, v3\","));
        assert!(to_csv(&w, &all, true).0.contains(",\"-SEA-LION, v3\","));
    }

    #[test]
    fn json_lists_every_node_with_id_and_name() {
        let w = world();
        let j: serde_json::Value =
            serde_json::from_str(&to_json(&w, &Selection::all(&w)).unwrap()).unwrap();
        let nodes = j["nodes"].as_array().unwrap();
        assert_eq!(nodes.len(), w.len());
        assert!(
            nodes
                .iter()
                .all(|n| n["id"].is_string() && n["name"].is_string())
        );
        assert_eq!(j["edges"].as_array().unwrap().len(), w.graph.edge_count());
        assert_eq!(j["countries"][0]["capabilities"][0], "cap");
    }
}
