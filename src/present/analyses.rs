//! The analyses' results as text: tables (aligned text, CSV, Markdown) and JSON
//! documents (docs/json.md) for `chokepoints`, `why` and `dependents`; `scenario`'s
//! and `sovereignty`'s are in [`super::scenario`] and [`super::sovereignty`],
//! re-exported here. Pure: results in, strings out; the commands print them.

use crate::analysis::NodeStatus;
use crate::analysis::scenario;
use crate::output::{Format, JsonError, Table, to_json};

pub use super::scenario::{amount, render_scenario, render_scenario_with};
pub use super::sovereignty::render_sovereignty;

/// Which columns a chokepoint table shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChokeColumns {
    /// Every column, id and name apart, and the capabilities each removal fails.
    Full,
    /// The report's summary: the block as "name (id)", without the list of what fails.
    Summary,
}

/// The one table of a chokepoint ranking (the command's and the report's summary).
pub fn chokepoint_table(
    ranking: &[crate::analysis::chokepoints::Chokepoint],
    columns: ChokeColumns,
) -> Table {
    let full = columns == ChokeColumns::Full;
    let mut header = vec!["rank"];
    header.extend(if full {
        &["id", "name"][..]
    } else {
        &["block"][..]
    });
    header.extend([
        "kind",
        "jurisdiction",
        "capabilities failed",
        "countries failed",
        "countries unknown",
        "countries degraded",
        "exposure",
    ]);
    if full {
        header.push("fails");
    }
    let mut t = Table::new(header);
    for c in ranking {
        let mut row = vec![c.rank.to_string()];
        if full {
            row.extend([c.id.clone(), c.name.clone()]);
        } else {
            row.push(format!("{} ({})", c.name, c.id));
        }
        row.extend([
            c.kind.as_str().to_owned(),
            c.jurisdiction.clone().unwrap_or_default(),
            c.capabilities_failed.to_string(),
            c.countries_failed.to_string(),
            c.countries_unknown.to_string(),
            c.countries_degraded.to_string(),
            c.exposure.to_string(),
        ]);
        if full {
            row.push(
                c.failed
                    .iter()
                    .map(|n| n.id.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            );
        }
        t.push(row);
    }
    t
}

/// Renders a chokepoint analysis in `format`.
pub fn render_chokepoints(
    result: &crate::analysis::chokepoints::Chokepoints,
    format: Format,
) -> Result<String, JsonError> {
    if format == Format::Json {
        return to_json(result);
    }
    let t = chokepoint_table(&result.ranking, ChokeColumns::Full);
    let title = format!(
        "Chokepoints by {} ({} of {} candidates)",
        match result.by {
            crate::analysis::chokepoints::By::Node => "node",
            crate::analysis::chokepoints::By::Org => "organization",
            crate::analysis::chokepoints::By::Jurisdiction => "jurisdiction",
        },
        result.ranking.len(),
        result.candidates
    );
    let Some(m) = &result.matrix else {
        return Ok(t.titled(title).render(format));
    };
    let mut mt =
        Table::new(std::iter::once("country".to_owned()).chain(m.jurisdictions.iter().cloned()))
            .titled("Which jurisdiction's cut-off fails which capability (rows: countries)");
    for (c, row) in m.countries.iter().zip(&m.cells) {
        mt.push(
            std::iter::once(c.code.clone()).chain(row.iter().zip(&m.jurisdictions).map(
                |(cell, j)| {
                    if *j == c.code {
                        return "(own)".to_owned();
                    }
                    let ids = |v: &[scenario::NodeRef]| {
                        v.iter()
                            .map(|n| n.id.as_str())
                            .collect::<Vec<_>>()
                            .join(" ")
                    };
                    match cell.status {
                        NodeStatus::Intact => "-".to_owned(),
                        NodeStatus::Degraded => "degraded".to_owned(),
                        NodeStatus::Unknown => format!("unknown: {}", ids(&cell.unknown)),
                        NodeStatus::Failed => format!("failed: {}", ids(&cell.failed)),
                    }
                },
            )),
        );
    }
    if matches!(format, Format::Csv | Format::Xlsx) {
        // One CSV document per command: the matrix is the jurisdiction view's table.
        return Ok(mt.render(format));
    }
    Ok(format!(
        "{}\n{}",
        t.titled(title).render(format),
        mt.render(format)
    ))
}

fn path_text(p: &crate::analysis::paths::Path) -> String {
    let mut s = String::new();
    for h in &p.hops {
        if let Some(v) = h.via {
            s.push_str(&format!(" -({v})-> "));
        }
        s.push_str(&h.id);
    }
    s
}

/// Renders the paths of `jenga why`.
pub fn render_why(
    result: &crate::analysis::paths::Why,
    target: &str,
    format: Format,
) -> Result<String, JsonError> {
    if format == Format::Json {
        return to_json(result);
    }
    let mut t = Table::new(["#", "length", "hard", "path"]).titled(format!(
        "Why {} depends on {} ({} {}{})",
        target,
        result.node.id,
        result.paths.len(),
        if result.paths.len() == 1 {
            "path"
        } else {
            "paths"
        },
        if result.truncated {
            ", more not shown (raise --max-paths)"
        } else {
            ""
        }
    ));
    for (k, p) in result.paths.iter().enumerate() {
        t.push([
            (k + 1).to_string(),
            p.length.to_string(),
            if p.hard { "yes" } else { "no" }.to_owned(),
            path_text(p),
        ]);
    }
    Ok(t.render(format))
}

/// Renders the blast radius of `jenga dependents`.
pub fn render_dependents(
    result: &crate::analysis::paths::Dependents,
    format: Format,
) -> Result<String, JsonError> {
    if format == Format::Json {
        return to_json(result);
    }
    let mut flat = Table::new(["country", "layer", "id", "name", "status if removed"]);
    let mut out = format!(
        "{}Blast radius of {} ({}): {} dependent {}\n",
        if format == Format::Markdown {
            "## "
        } else {
            ""
        },
        result.node.id,
        result.node.name,
        result.total,
        if result.total == 1 { "node" } else { "nodes" }
    );
    for c in &result.countries {
        let caps = c
            .capabilities
            .iter()
            .map(|k| format!("{} {}", k.id, k.status.as_str()))
            .collect::<Vec<_>>()
            .join(", ");
        let mut t = Table::new(["layer", "id", "name", "status if removed"])
            .titled(format!("{} {} (capabilities: {caps})", c.code, c.name));
        for l in &c.layers {
            for d in &l.nodes {
                t.push([
                    l.layer.clone(),
                    d.id.clone(),
                    d.name.clone(),
                    d.status.as_str().to_owned(),
                ]);
                flat.push([
                    c.code.clone(),
                    l.layer.clone(),
                    d.id.clone(),
                    d.name.clone(),
                    d.status.as_str().to_owned(),
                ]);
            }
        }
        out.push('\n');
        out.push_str(&t.render(format));
    }
    if !result.elsewhere.is_empty() {
        let mut t = Table::new(["layer", "id", "name", "status if removed"])
            .titled("Needed by no country's capabilities");
        for d in &result.elsewhere {
            let layer = d.layer.clone().unwrap_or_else(|| "organization".to_owned());
            t.push([
                layer.clone(),
                d.id.clone(),
                d.name.clone(),
                d.status.as_str().to_owned(),
            ]);
            flat.push([
                String::new(),
                layer,
                d.id.clone(),
                d.name.clone(),
                d.status.as_str().to_owned(),
            ]);
        }
        out.push('\n');
        out.push_str(&t.render(format));
    }
    if matches!(format, Format::Csv | Format::Xlsx) {
        return Ok(flat.render(format));
    }
    Ok(out)
}
