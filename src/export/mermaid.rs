//! The Mermaid flowchart export (rendered by GitHub in Markdown) and its label
//! escaper.

use std::fmt::Write as _;

use super::{Form, NodeKind, Selection, attrs};
use crate::graph::{GroupKind, World};

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
        if a.kind == NodeKind::Organization {
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
            Form::Requires => writeln!(out, "  n{f} --> n{t}"),
            Form::OwnedBy | Form::SubsidiaryOf => writeln!(out, "  n{f} -.-> n{t}"),
            Form::Any | Form::AtLeast => {
                writeln!(out, "  n{f} -->|\"{} of {}\"| n{t}", e.need, e.of)
            }
            // Drawn from the group's own node below.
            Form::Unknown => Ok(()),
            Form::Partner => writeln!(out, "  n{f} -->|\"{}\"| n{t}", e.kind.name()),
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
