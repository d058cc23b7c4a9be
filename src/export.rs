//! Exports of the graph, or of one target's dependency cone, for other tools:
//! GraphML (Gephi, Cytoscape, yEd, networkx), Mermaid (GitHub Markdown), CSV node and
//! edge lists with Neo4j admin-import headers, and JSON.
//!
//! Pure functions from a [`World`](crate::graph::World) and a
//! [`Selection`](crate::export::Selection) to text; writing files is the caller's job.
//! Nodes come in index order (declaration order) and edges in edge order, so the same
//! data gives byte-identical output.
//!
//! This file holds what every format shares (the selection, its edges, a node's
//! attributes); one file per format: `json`, `xml` (GraphML and GEXF), `mermaid`, `csv`.

mod csv;
mod json;
mod mermaid;
mod xml;

use petgraph::visit::EdgeRef as _;

pub use csv::to_csv;
pub use json::to_json;
pub use mermaid::{mermaid_escape, to_mermaid};
pub use xml::{to_gexf, to_graphml, xml_escape};

use crate::graph::{GroupKind, NodeIdx, World};

/// The formats of `jenga export` (a `--format` value; clap reads the variants' doc
/// comments as their help).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// JSON of the whole graph.
    Json,
    /// GraphML.
    Graphml,
    /// GEXF 1.2, Gephi's own format.
    Gexf,
    /// Mermaid flowchart.
    Mermaid,
    /// CSV node and edge lists for spreadsheets (formula guard: a cell starting
    /// with `=`, `+`, `-` or `@` gets a leading `'`).
    Csv,
    /// CSV node and edge lists for databases: the data unaltered.
    CsvRaw,
    /// Open-PSA MEF fault tree.
    OpenPsa,
}

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
                kind: Form::of(&group.kind),
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
    /// The group's form.
    pub kind: Form,
    /// How many members of the group must work.
    pub need: u32,
    /// How many members the group has.
    pub of: usize,
}

/// The form of a group (a [`GroupKind`] without its data), as exports name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// A plain id: `requires`.
    Requires,
    /// The implicit dependency on the `org`: `owned-by`.
    OwnedBy,
    /// The implicit dependency on the `parent`: `subsidiary-of`.
    SubsidiaryOf,
    /// `any`.
    Any,
    /// `at-least`.
    AtLeast,
    /// `partner`.
    Partner,
    /// `unknown`.
    Unknown,
}

impl Form {
    /// The form of `kind`.
    pub fn of(kind: &GroupKind) -> Form {
        match kind {
            GroupKind::Required => Form::Requires,
            GroupKind::Org => Form::OwnedBy,
            GroupKind::Parent => Form::SubsidiaryOf,
            GroupKind::Any => Form::Any,
            GroupKind::AtLeast => Form::AtLeast,
            GroupKind::Partner => Form::Partner,
            GroupKind::Unknown { .. } => Form::Unknown,
        }
    }

    /// The name exports give it: `requires`, `owned-by`, `subsidiary-of`, `any`,
    /// `at-least`, `partner` or `unknown`.
    pub fn name(self) -> &'static str {
        match self {
            Form::Requires => "requires",
            Form::OwnedBy => "owned-by",
            Form::SubsidiaryOf => "subsidiary-of",
            Form::Any => "any",
            Form::AtLeast => "at-least",
            Form::Partner => "partner",
            Form::Unknown => "unknown",
        }
    }
}

/// The name of a group's form in exports (see [`Form::name`]).
pub fn kind_name(kind: &GroupKind) -> &'static str {
    Form::of(kind).name()
}

/// What a node is, in exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// An entry of `organizations`.
    Organization,
    /// An entry of `nodes`.
    Component,
}

impl NodeKind {
    /// `organization` or `component`.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Organization => "organization",
            NodeKind::Component => "component",
        }
    }
}

/// The attributes every export gives a node.
pub(super) struct Attrs<'a> {
    pub(super) id: &'a str,
    pub(super) name: &'a str,
    pub(super) kind: NodeKind,
    pub(super) layer: &'static str,
    pub(super) org: &'a str,
    pub(super) jurisdiction: &'a str,
    pub(super) status: &'static str,
    pub(super) country: &'a str,
}

/// The names of a node's string attributes, in the order every export writes them:
/// `label` is the display name.
pub(super) const NODE_KEYS: [&str; 7] = [
    "label",
    "kind",
    "layer",
    "org",
    "jurisdiction",
    "status",
    "country",
];

impl<'a> Attrs<'a> {
    /// The values of [`NODE_KEYS`], in its order (empty when absent).
    pub(super) fn values(&self) -> [&'a str; 7] {
        [
            self.name,
            self.kind.as_str(),
            self.layer,
            self.org,
            self.jurisdiction,
            self.status,
            self.country,
        ]
    }
}

pub(super) fn attrs(world: &World, i: NodeIdx) -> Attrs<'_> {
    let n = world.node(i);
    Attrs {
        id: &n.id,
        name: &n.name,
        kind: if n.is_org() {
            NodeKind::Organization
        } else {
            NodeKind::Component
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
