//! Graphviz DOT through graphviz-rust's AST and printer.
//!
//! graphviz-rust prints an `Id::Escaped` verbatim, so every quoted string is made
//! here by [`quote`] (which escapes `"` and `\` and drops control characters) and
//! every HTML-like label by `html` (which escapes `&`, `<`, `>`, `"` and `'`).
//! Text from the data never reaches the output any other way.
//!
//! Layout in DOT mirrors the built-in renderer: one cluster per band, one
//! `rank=same` subgraph per row, and an invisible chain of row anchors that fixes
//! the rows top to bottom (`newrank=true` lets ranks cross clusters).

use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Subgraph, Vertex,
};
use graphviz_rust::printer::{DotPrinter as _, PrinterContext};

use super::matrix::Matrix;
use super::palette::{self, Rgb};
use super::text::xml;
use super::{Dash, Diagram, EdgeKind, LegendItem, NodeStatus, NodeStyle};

/// The font list: Graphviz writes it into the SVG as `font-family`, ending in a
/// generic family so that any viewer has a fallback.
pub const FONT: &str = "Helvetica,Arial,Liberation Sans,DejaVu Sans,sans-serif";

/// A DOT quoted string: `"` and `\` escaped, newlines as `\n`, other control
/// characters dropped, and `&` written `&amp;` (Graphviz decodes entities in strings,
/// so a literal `&lt;` in the data would otherwise be drawn as `<`).
pub fn quote(s: &str) -> Id {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '&' => out.push_str("&amp;"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c if crate::diag::is_bidi_control(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out.push('"');
    Id::Escaped(out)
}

/// An HTML-like label `<...>` from already escaped markup.
fn html(markup: String) -> Id {
    Id::Html(format!("<{markup}>"))
}

fn plain(s: &str) -> Id {
    Id::Plain(s.to_owned())
}

fn attr(k: &str, v: Id) -> Attribute {
    Attribute(plain(k), v)
}

fn attr_q(k: &str, v: &str) -> Attribute {
    attr(k, quote(v))
}

fn colour(c: Rgb) -> Id {
    quote(&c.to_string())
}

fn node(key: &str, attributes: Vec<Attribute>) -> Stmt {
    Stmt::Node(Node::new(NodeId(quote(key), None), attributes))
}

fn edge(a: &str, b: &str, attributes: Vec<Attribute>) -> Stmt {
    Stmt::Edge(Edge {
        ty: EdgeTy::Pair(
            Vertex::N(NodeId(quote(a), None)),
            Vertex::N(NodeId(quote(b), None)),
        ),
        attributes,
    })
}

fn print(graph: &Graph) -> String {
    let mut ctx = PrinterContext::default();
    ctx.with_semi().with_indent_step(2);
    let mut s = graph.print(&mut ctx);
    s.push('\n');
    s
}

fn heading(title: &str, subtitle: &str) -> Id {
    html(format!(
        "<font point-size=\"17\"><b>{}</b></font><br/><font point-size=\"11\" color=\"{}\">{}</font><br/> ",
        xml(title),
        palette::MUTED,
        xml(subtitle)
    ))
}

fn graph_defaults(title: &str, subtitle: &str) -> Vec<Stmt> {
    vec![
        Stmt::GAttribute(GraphAttributes::Graph(vec![
            attr("label", heading(title, subtitle)),
            attr_q("labelloc", "t"),
            attr_q("labeljust", "l"),
            attr_q("fontname", FONT),
            attr_q("newrank", "true"),
            attr_q("rankdir", "TB"),
            attr_q("nodesep", "0.3"),
            attr_q("ranksep", "0.45"),
            attr_q("pad", "0.3"),
            attr_q("bgcolor", "#ffffff"),
            attr_q("splines", "spline"),
            attr_q("outputorder", "edgesfirst"),
        ])),
        Stmt::GAttribute(GraphAttributes::Node(vec![
            attr_q("fontname", FONT),
            attr_q("fontsize", "11"),
            attr_q("shape", "box"),
            attr_q("margin", "0.12,0.05"),
        ])),
        Stmt::GAttribute(GraphAttributes::Edge(vec![
            attr_q("fontname", FONT),
            attr("color", colour(palette::EDGE)),
            attr_q("arrowsize", "0.7"),
        ])),
    ]
}

fn node_style_attrs(style: &NodeStyle) -> Vec<Attribute> {
    let mut parts = vec!["filled"];
    if style.hatch {
        parts.push("diagonals");
    } else if style.rounded {
        parts.push("rounded");
    }
    match style.dash {
        Dash::Solid => {}
        Dash::Dashed => parts.push("dashed"),
        Dash::Dotted => parts.push("dotted"),
    }
    let mut a = vec![
        attr_q("style", &parts.join(",")),
        attr("fillcolor", colour(style.fill)),
        attr("color", colour(style.stroke)),
        attr("fontcolor", colour(style.ink)),
        attr_q("penwidth", if style.heavy { "3" } else { "1.2" }),
    ];
    if style.double {
        a.push(attr_q("peripheries", "2"));
    }
    a
}

fn edge_style_attrs(kind: EdgeKind, broken: bool) -> Vec<Attribute> {
    let mut a = Vec::new();
    match kind {
        EdgeKind::Required => {}
        EdgeKind::Alternative => a.push(attr_q("style", "dashed")),
        EdgeKind::Unknown => a.push(attr_q("style", "dotted")),
        EdgeKind::Partner => {
            a.push(attr_q("style", "dashed"));
            a.push(attr_q("arrowhead", "odiamond"));
            a.push(attr_q("penwidth", "0.8"));
        }
        EdgeKind::Owner => {
            a.push(attr_q("style", "dotted"));
            a.push(attr_q("arrowhead", "odot"));
        }
        EdgeKind::Added => {
            a.push(attr("color", colour(palette::BLUE)));
            a.push(attr_q("penwidth", "2.6"));
        }
        EdgeKind::Removed => {
            a.push(attr_q("style", "dashed"));
            a.push(attr("color", colour(palette::VERMILLION)));
            a.push(attr_q("penwidth", "2.6"));
            a.push(attr_q("arrowhead", "tee"));
        }
    }
    if broken {
        a.push(attr("color", colour(palette::VERMILLION)));
        a.push(attr_q("penwidth", "2.2"));
    }
    a
}

fn node_label(n: &super::DNode) -> Id {
    let mut m = String::new();
    for (k, line) in n.lines.iter().enumerate() {
        if k > 0 {
            m.push_str("<br/>");
        }
        m.push_str(&format!("<b>{}</b>", xml(line)));
    }
    if let Some(c) = &n.caption {
        m.push_str(&format!(
            "<br/><font point-size=\"9\" color=\"{}\">{}</font>",
            palette::MUTED,
            xml(c)
        ));
    }
    if let Some(t) = &n.tag {
        m.push_str(&format!(
            "<br/><font point-size=\"9\"><b>{}</b></font>",
            xml(t)
        ));
    }
    html(m)
}

fn legend_table(items: &[LegendItem]) -> Id {
    let mut m = String::from(
        "<table border=\"0\" cellborder=\"0\" cellspacing=\"3\" cellpadding=\"2\">\
         <tr><td colspan=\"2\" align=\"left\"><b>Legend</b></td></tr>",
    );
    for item in items {
        match item {
            LegendItem::Node { style, label } => {
                m.push_str(&format!(
                    "<tr><td width=\"26\" height=\"14\" bgcolor=\"{}\" border=\"{}\" color=\"{}\"{}></td>\
                     <td align=\"left\"><font point-size=\"10\">{}</font></td></tr>",
                    style.fill,
                    if style.heavy { 3 } else { 1 },
                    style.stroke,
                    if style.double { " sides=\"ltrb\"" } else { "" },
                    xml(label)
                ));
            }
            LegendItem::Edge {
                kind,
                broken,
                label,
            } => {
                let stroke = match kind {
                    EdgeKind::Required => "━━━▶",
                    EdgeKind::Alternative => "╍╍╍▶",
                    EdgeKind::Unknown | EdgeKind::Owner => "┈┈┈▶",
                    EdgeKind::Partner => "╌·╌·◇",
                    EdgeKind::Added => "━━━▶",
                    EdgeKind::Removed => "╍·╍·┫",
                };
                let c = match kind {
                    EdgeKind::Added => palette::BLUE,
                    EdgeKind::Removed => palette::VERMILLION,
                    _ if *broken => palette::VERMILLION,
                    _ => palette::EDGE,
                };
                m.push_str(&format!(
                    "<tr><td align=\"center\"><font color=\"{c}\">{stroke}</font></td>\
                     <td align=\"left\"><font point-size=\"10\">{}</font></td></tr>",
                    xml(label)
                ));
            }
        }
    }
    m.push_str("</table>");
    html(m)
}

/// A tower or the overview as DOT.
pub fn diagram(d: &Diagram) -> String {
    let mut stmts = graph_defaults(&d.title, &d.subtitle);
    stmts.push(Stmt::Attribute(attr_q("tooltip", &d.desc)));
    let row_band = d.row_bands();
    let rows = row_band.len();
    // Nodes by row.
    let mut by_row: Vec<Vec<usize>> = vec![Vec::new(); rows];
    for (k, n) in d.nodes.iter().enumerate() {
        if let Some(r) = by_row.get_mut(n.row) {
            r.push(k);
        }
    }
    let mut first_row = 0;
    for (b, band) in d.bands.iter().enumerate() {
        let fill = palette::BANDS[b % 2];
        let mut cluster = vec![
            Stmt::Attribute(attr(
                "label",
                html(format!("<b>{}</b>", xml(&band.label.to_uppercase()))),
            )),
            Stmt::Attribute(attr_q("labeljust", "l")),
            Stmt::Attribute(attr_q("labelloc", "t")),
            Stmt::Attribute(attr_q("fontsize", "10")),
            Stmt::Attribute(attr("fontcolor", colour(palette::MUTED))),
            Stmt::Attribute(attr_q("style", "filled,rounded")),
            Stmt::Attribute(attr("fillcolor", colour(fill))),
            Stmt::Attribute(attr("color", colour(fill))),
            Stmt::Attribute(attr_q("margin", "10")),
        ];
        for r in first_row..first_row + band.rows {
            let mut row = vec![
                Stmt::Attribute(attr_q("rank", "same")),
                node(
                    &format!("row {r}"),
                    vec![
                        attr_q("style", "invis"),
                        attr_q("shape", "point"),
                        attr_q("width", "0"),
                        attr_q("label", ""),
                    ],
                ),
            ];
            for &k in by_row.get(r).map(Vec::as_slice).unwrap_or_default() {
                let n = &d.nodes[k];
                let mut a = vec![attr("label", node_label(n)), attr_q("tooltip", &n.tooltip)];
                a.extend(node_style_attrs(&n.style));
                row.push(node(&n.key, a));
            }
            cluster.push(Stmt::Subgraph(Subgraph {
                id: plain(&format!("row{r}")),
                stmts: row,
            }));
        }
        first_row += band.rows;
        stmts.push(Stmt::Subgraph(Subgraph {
            id: plain(&format!("cluster_band{b}")),
            stmts: cluster,
        }));
    }
    for r in 1..rows {
        stmts.push(edge(
            &format!("row {}", r - 1),
            &format!("row {r}"),
            vec![attr_q("style", "invis"), attr_q("weight", "100")],
        ));
    }
    for e in &d.edges {
        let (Some(a), Some(b)) = (d.nodes.get(e.from), d.nodes.get(e.to)) else {
            continue;
        };
        let mut attrs = edge_style_attrs(e.kind, e.broken);
        attrs.push(attr_q(
            "tooltip",
            &format!("{} → {}", a.lines.join(" "), b.lines.join(" ")),
        ));
        stmts.push(edge(&a.key, &b.key, attrs));
    }
    if !d.legend.is_empty() {
        stmts.push(Stmt::Subgraph(Subgraph {
            id: plain("legend"),
            stmts: vec![
                Stmt::Attribute(attr_q("rank", "sink")),
                node(
                    "legend",
                    vec![
                        attr_q("shape", "plain"),
                        attr("label", legend_table(&d.legend)),
                        attr_q("tooltip", "Legend"),
                    ],
                ),
            ],
        }));
        if rows > 0 {
            stmts.push(edge(
                &format!("row {}", rows - 1),
                "legend",
                vec![attr_q("style", "invis")],
            ));
        }
    }
    print(&Graph::DiGraph {
        id: quote(&d.title),
        strict: false,
        stmts,
    })
}

/// The exposure matrix as DOT: one HTML-like table.
pub fn matrix(m: &Matrix) -> String {
    let mut stmts = graph_defaults(&m.title, &m.subtitle);
    stmts.push(Stmt::Attribute(attr_q("tooltip", &m.desc)));
    let mut t = String::from(
        "<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"5\" color=\"#ffffff\">",
    );
    // Group header.
    t.push_str("<tr><td border=\"0\"></td>");
    for g in &m.groups {
        t.push_str(&format!(
            "<td colspan=\"{}\" border=\"0\" align=\"center\"><b>{}</b></td>",
            g.columns.len().max(1),
            xml(&g.label)
        ));
    }
    t.push_str("</tr><tr><td border=\"0\" align=\"left\"><i>country</i></td>");
    for g in &m.groups {
        for c in &g.columns {
            t.push_str(&format!(
                "<td border=\"0\" align=\"center\"><font point-size=\"9\">{}</font></td>",
                xml(c)
            ));
        }
    }
    t.push_str("</tr>");
    for (r, row) in m.rows.iter().enumerate() {
        t.push_str(&format!(
            "<tr><td align=\"left\" border=\"0\"><b>{}</b></td>",
            xml(row)
        ));
        for status in m.cells.get(r).map(Vec::as_slice).unwrap_or_default() {
            let fill = palette::cell_colour(*status);
            let ink = palette::cell_ink(*status);
            let mark = super::Mark::Status(*status);
            t.push_str(&format!(
                "<td bgcolor=\"{fill}\"><font color=\"{ink}\" point-size=\"9\">{} {}</font></td>",
                mark.glyph(),
                xml(super::matrix::cell_word(*status))
            ));
        }
        t.push_str("</tr>");
    }
    t.push_str("</table>");
    stmts.push(node(
        "matrix",
        vec![
            attr_q("shape", "plain"),
            attr("label", html(t)),
            attr_q("tooltip", &m.desc),
        ],
    ));
    // The legend, in its own node under the table so it does not widen the columns.
    let mut l = String::from("<table border=\"0\" cellspacing=\"3\" cellpadding=\"2\">");
    for s in [
        NodeStatus::Failed,
        NodeStatus::Unknown,
        NodeStatus::Degraded,
        NodeStatus::Intact,
    ] {
        l.push_str(&format!(
            "<tr><td bgcolor=\"{}\" width=\"18\" border=\"1\" color=\"{}\"></td>\
             <td align=\"left\"><font point-size=\"10\">{} {}: {}</font></td></tr>",
            palette::cell_colour(s),
            palette::INK,
            super::Mark::Status(s).glyph(),
            super::matrix::cell_word(s),
            super::matrix::cell_meaning(s)
        ));
    }
    l.push_str("</table>");
    stmts.push(node(
        "legend",
        vec![
            attr_q("shape", "plain"),
            attr("label", html(l)),
            attr_q("tooltip", "Legend"),
        ],
    ));
    stmts.push(edge("matrix", "legend", vec![attr_q("style", "invis")]));
    print(&Graph::DiGraph {
        id: quote(&m.title),
        strict: false,
        stmts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_escapes_quotes_and_backslashes() {
        let Id::Escaped(q) = quote("Nvidia \"A100\" \\ <script>&\n\u{7}") else {
            unreachable!()
        };
        assert_eq!(q, r#""Nvidia \"A100\" \\ <script>&amp;\n""#);
    }

    #[test]
    fn a_trailing_backslash_cannot_close_the_string() {
        let Id::Escaped(q) = quote("a\\") else {
            unreachable!()
        };
        assert_eq!(q, r#""a\\""#);
    }
}
