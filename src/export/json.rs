//! The JSON export (`docs/json.md`, section `export`) and the one serializer of a
//! group that every format's `needs` attribute uses.

use serde::Serialize;

use super::{Selection, attrs, kind_name};
use crate::graph::{GroupKind, NodeIdx, World};
use crate::model::Layer;

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
pub(super) fn needs_attr(world: &World, i: NodeIdx) -> (String, usize) {
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
                kind: a.kind.as_str(),
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
            kind: e.kind.name(),
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
