//! The XML exports: GraphML (Gephi, Cytoscape, yEd, networkx) and GEXF 1.2 (Gephi's
//! own format), with the one XML escaper.

use std::fmt::Write as _;

use super::json::needs_attr;
use super::{NODE_KEYS, Selection, attrs};
use crate::graph::World;
use crate::render::text::{self, Breaks};

/// Escapes text for XML character data and attribute values, keeping line breaks
/// ([`text::xml_escape`] with [`Breaks::Keep`]).
pub fn xml_escape(s: &str) -> String {
    text::xml_escape(s, Breaks::Keep)
}

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
        for (k, v) in NODE_KEYS.iter().zip(a.values()) {
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
            e.kind.name(),
            e.group,
            e.need,
            e.of
        );
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}

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
        // The name is GEXF's own `label`, written above.
        for (k, v) in NODE_KEYS.iter().zip(a.values()).skip(1) {
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
            e.kind.name(),
            e.group,
            e.need,
            e.of
        );
    }
    out.push_str("    </edges>\n  </graph>\n</gexf>\n");
    out
}
