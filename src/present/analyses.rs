//! The analyses' results as text: tables (aligned text, CSV, Markdown) and JSON
//! documents (docs/json.md) for `scenario`, `chokepoints`, `why`, `dependents` and
//! `sovereignty`. Pure: results in, strings out; the commands print them.

use crate::analysis::NodeStatus;
use crate::analysis::scenario::{self, ScenarioReport};
use crate::output::{Format, JsonError, Table, to_json};

fn removal_text(report: &ScenarioReport) -> String {
    report
        .removals
        .iter()
        .map(|r| {
            let empty = if r.nodes.is_empty() {
                " [matches no node: nothing removed]"
            } else {
                ""
            };
            match &r.for_countries {
                Some(cs) => format!("{} (for {}){empty}", r.remove, cs.join(", ")),
                None => format!("{}{empty}", r.remove),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn country_rows(c: &scenario::CountryReport) -> Vec<[String; 6]> {
    let mut rows = Vec::new();
    let is_cap = |id: &str| c.capabilities.iter().any(|k| k.id == id);
    for cap in &c.capabilities {
        let cause = c
            .affected
            .iter()
            .find(|a| a.id == cap.id)
            .and_then(|a| a.cause.as_ref())
            .map(|x| x.text())
            .unwrap_or_default();
        rows.push([
            "capability".to_owned(),
            cap.id.clone(),
            cap.name.clone(),
            "capability".to_owned(),
            cap.status.as_str().to_owned(),
            cause,
        ]);
    }
    for a in c.affected.iter().filter(|a| !is_cap(&a.id)) {
        rows.push([
            "affected".to_owned(),
            a.id.clone(),
            a.name.clone(),
            a.layer.clone().unwrap_or_else(|| "organization".to_owned()),
            a.status.as_str().to_owned(),
            a.cause.as_ref().map(|x| x.text()).unwrap_or_default(),
        ]);
    }
    rows
}

/// Renders a scenario report with its quantitative reading, when there is one:
/// JSON gains a `quantities` key (docs/json.md), the table and Markdown two more
/// tables (supply surviving, capacity lost); CSV stays the boolean rows.
pub fn render_scenario_with(
    report: &ScenarioReport,
    quantities: Option<&crate::analysis::quantity::QuantityReport>,
    format: Format,
) -> Result<String, JsonError> {
    let Some(q) = quantities else {
        return render_scenario(report, format);
    };
    match format {
        Format::Json => {
            #[derive(serde::Serialize)]
            struct WithQuantities<'a> {
                #[serde(flatten)]
                report: &'a ScenarioReport,
                quantities: &'a crate::analysis::quantity::QuantityReport,
            }
            to_json(&WithQuantities {
                report,
                quantities: q,
            })
        }
        Format::Csv | Format::Xlsx => render_scenario(report, format),
        Format::Table | Format::Markdown => {
            let mut out = render_scenario(report, format)?;
            out.push('\n');
            out.push_str(&render_quantities(q, format));
            Ok(out)
        }
    }
}

/// The supply and capacity tables of a quantitative reading.
fn render_quantities(q: &crate::analysis::quantity::QuantityReport, format: Format) -> String {
    let mut out = supply_table(
        &q.supply,
        "Supply surviving (shares of the supply each dependency stands for)".to_owned(),
        format,
    );
    for c in &q.supply_by_country {
        out.push('\n');
        out.push_str(&supply_table(
            &c.supply,
            format!("Supply surviving as {} {} sees it", c.code, c.name),
            format,
        ));
    }
    capacity_tables(q, format, out)
}

/// One table of surviving supply.
fn supply_table(
    supply: &[crate::analysis::quantity::NodeSupply],
    title: String,
    format: Format,
) -> String {
    let share = |s: &Option<f64>| s.map_or_else(|| "?".to_owned(), crate::import::num);
    let mut t = Table::new(["id", "name", "status", "supply surviving", "by group"]).titled(title);
    for n in supply {
        let groups: Vec<String> = n
            .groups
            .iter()
            .map(|g| {
                let lost: Vec<String> = g
                    .lost
                    .iter()
                    .map(|(id, s)| format!("{id} {}", share(s)))
                    .collect();
                let mut text = format!("{} view {}", g.view, g.surviving.percent());
                if !lost.is_empty() {
                    text.push_str(&format!(", lost {}", lost.join(", ")));
                }
                if !g.maybe_lost.is_empty() {
                    text.push_str(&format!(", {} may be lost", g.maybe_lost.len()));
                }
                if g.unknown_shares > 0 {
                    text.push_str(&format!(", {} share(s) unknown", g.unknown_shares));
                }
                text
            })
            .collect();
        t.push([
            n.id.clone(),
            n.name.clone(),
            n.status.as_str().to_owned(),
            n.surviving.percent(),
            groups.join("; "),
        ]);
    }
    t.render(format)
}

/// The capacity-lost table, appended to `out`.
fn capacity_tables(
    q: &crate::analysis::quantity::QuantityReport,
    format: Format,
    mut out: String,
) -> String {
    if !q.countries.is_empty() {
        let mut t = Table::new([
            "country",
            "capability",
            "unit",
            "total",
            "lost",
            "lost share",
        ])
        .titled("Capacity lost");
        for c in &q.countries {
            for l in &c.capacity {
                let (text, pct) = lost_cells(l);
                t.push([
                    format!("{} {}", c.code, c.name),
                    "(all)".to_owned(),
                    l.unit.clone(),
                    amount(l.total),
                    text,
                    pct,
                ]);
            }
            for k in &c.capabilities {
                for l in k.capacity.iter().filter(|l| l.lost.high > 0.0) {
                    let (text, pct) = lost_cells(l);
                    t.push([
                        c.code.clone(),
                        k.id.clone(),
                        l.unit.clone(),
                        amount(l.total),
                        text,
                        pct,
                    ]);
                }
            }
        }
        out.push('\n');
        out.push_str(&t.render(format));
    }
    out
}

/// The rows of the nodes outside every country's cone (role `outside`).
fn outside_rows(report: &ScenarioReport) -> Vec<[String; 6]> {
    report
        .outside
        .iter()
        .map(|a| {
            [
                "outside".to_owned(),
                a.id.clone(),
                a.name.clone(),
                a.layer.clone().unwrap_or_default(),
                a.status.as_str().to_owned(),
                a.cause.as_ref().map(|x| x.text()).unwrap_or_default(),
            ]
        })
        .collect()
}

/// Renders a scenario report in `format`.
pub fn render_scenario(report: &ScenarioReport, format: Format) -> Result<String, JsonError> {
    match format {
        Format::Json => to_json(report),
        Format::Csv | Format::Xlsx => {
            let mut t = Table::new(["country", "role", "id", "name", "layer", "status", "cause"]);
            for c in &report.countries {
                for r in country_rows(c) {
                    t.push(std::iter::once(c.code.clone()).chain(r));
                }
            }
            for r in outside_rows(report) {
                t.push(std::iter::once(String::new()).chain(r));
            }
            Ok(t.render(format))
        }
        Format::Table | Format::Markdown => {
            let md = format == Format::Markdown;
            let mut out = String::new();
            let esc = |s: &str| {
                if md {
                    crate::output::markdown_cell(s)
                } else {
                    crate::diag::sanitize(s)
                }
            };
            let h = if md { "## " } else { "" };
            out.push_str(&format!("{h}Scenario: {}\n", esc(&report.name)));
            if let Some(d) = &report.description {
                out.push_str(&format!("\n{}\n", esc(d)));
            }
            out.push_str(&format!("\nRemoved: {}\n", esc(&removal_text(report))));
            let e = &report.everywhere;
            out.push_str(&format!(
                "Everywhere (unscoped removals only): {} removed, {} failed, {} unknown, {} degraded\n",
                e.removed, e.failed, e.unknown, e.degraded
            ));
            for c in &report.countries {
                let mut t = Table::new(["id", "name", "layer", "status", "cause"]).titled(format!(
                    "{} {}: {}",
                    c.code,
                    c.name,
                    c.status.as_str()
                ));
                for r in country_rows(c) {
                    t.push(r.into_iter().skip(1));
                }
                out.push('\n');
                out.push_str(&t.render(format));
            }
            if !report.outside.is_empty() {
                let mut t = Table::new(["id", "name", "layer", "status", "cause"]).titled(format!(
                    "Outside any country: {} not intact",
                    report.outside.len()
                ));
                for r in outside_rows(report) {
                    t.push(r.into_iter().skip(1));
                }
                out.push('\n');
                out.push_str(&t.render(format));
            }
            Ok(out)
        }
    }
}

/// Renders a chokepoint analysis in `format`.
pub fn render_chokepoints(
    result: &crate::analysis::chokepoints::Chokepoints,
    format: Format,
) -> Result<String, JsonError> {
    if format == Format::Json {
        return to_json(result);
    }
    let mut t = Table::new([
        "rank",
        "id",
        "name",
        "kind",
        "jurisdiction",
        "capabilities failed",
        "countries failed",
        "countries unknown",
        "countries degraded",
        "exposure",
        "fails",
    ]);
    for c in &result.ranking {
        t.push([
            c.rank.to_string(),
            c.id.clone(),
            c.name.clone(),
            c.kind.as_str().to_owned(),
            c.jurisdiction.clone().unwrap_or_default(),
            c.capabilities_failed.to_string(),
            c.countries_failed.to_string(),
            c.countries_unknown.to_string(),
            c.countries_degraded.to_string(),
            c.exposure.to_string(),
            c.failed
                .iter()
                .map(|n| n.id.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        ]);
    }
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

/// Renders sovereignty profiles.
pub fn render_sovereignty(
    result: &[crate::analysis::sovereignty::Profile],
    format: Format,
) -> Result<String, JsonError> {
    #[derive(serde::Serialize)]
    struct Doc<'a> {
        countries: &'a [crate::analysis::sovereignty::Profile],
    }
    if format == Format::Json {
        return to_json(&Doc { countries: result });
    }
    let ids = |v: &[scenario::NodeRef]| {
        v.iter()
            .map(|n| n.id.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut flat = Table::new([
        "country",
        "section",
        "layer or jurisdiction",
        "total",
        "domestic",
        "allied",
        "foreign",
        "unattributed",
        "undetermined",
        "relation",
        "fails",
        "may fail",
        "degrades",
    ]);
    let mut out = String::new();
    for p in result {
        let mut t = Table::new([
            "layer",
            "total",
            "domestic",
            "allied",
            "foreign",
            "unattributed",
            "undetermined",
        ])
        .titled(format!("{} {}: dependency cone by layer", p.code, p.name));
        for s in p.layers.iter().chain(std::iter::once(&p.all)) {
            let cell = |n: usize| format!("{n} ({}%)", s.percent(n));
            t.push([
                s.layer.clone(),
                s.total.to_string(),
                cell(s.domestic),
                cell(s.allied),
                cell(s.foreign),
                cell(s.unattributed),
                cell(s.undetermined),
            ]);
            flat.push([
                p.code.clone(),
                "layer".to_owned(),
                s.layer.clone(),
                s.total.to_string(),
                s.domestic.to_string(),
                s.allied.to_string(),
                s.foreign.to_string(),
                s.unattributed.to_string(),
                s.undetermined.to_string(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
        let mut ct = Table::new(["jurisdiction", "relation", "fails", "may fail", "degrades"])
            .titled(format!(
                "{} {}: jurisdictions whose cut-off hurts a capability",
                p.code, p.name
            ));
        for c in &p.cutoffs {
            let rel = serde_json::to_value(c.relation)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            ct.push([
                c.jurisdiction.clone(),
                rel.clone(),
                ids(&c.failed),
                ids(&c.unknown),
                ids(&c.degraded),
            ]);
            flat.push([
                p.code.clone(),
                "cutoff".to_owned(),
                c.jurisdiction.clone(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                rel,
                ids(&c.failed),
                ids(&c.unknown),
                ids(&c.degraded),
            ]);
        }
        if !out.is_empty() {
            out.push('\n');
        }
        let headline = format!(
            "{} {}: {} of {} dependencies ({}%) undetermined by the sources; {}% domestic",
            p.code,
            p.name,
            p.all.undetermined,
            p.all.total,
            p.all.percent(p.all.undetermined),
            p.all.percent(p.all.domestic)
        );
        // Escaped as the format's titles are.
        out.push_str(&if format == Format::Markdown {
            format!("{}\n\n", crate::output::markdown_cell(&headline))
        } else {
            format!("{}\n", crate::diag::sanitize(&headline))
        });
        out.push_str(&t.render(format));
        out.push('\n');
        if p.cutoffs.is_empty() {
            out.push_str(&format!(
                "{} {}: no other jurisdiction's cut-off hurts a capability\n",
                p.code, p.name
            ));
        } else {
            out.push_str(&ct.render(format));
        }
        out.push_str(&cutoff_capacity_table(p, format));
    }
    if matches!(format, Format::Csv | Format::Xlsx) {
        return Ok(flat.render(format));
    }
    Ok(out)
}

/// In a world with capacities, a country's capacity lost per jurisdiction cut-off
/// (empty text otherwise; CSV keeps the boolean rows).
fn cutoff_capacity_table(p: &crate::analysis::sovereignty::Profile, format: Format) -> String {
    if p.cutoffs.iter().all(|c| c.capacity_lost.is_empty()) {
        return String::new();
    }
    let mut t =
        Table::new(["jurisdiction", "unit", "total", "lost", "lost share"]).titled(format!(
            "{} {}: capacity lost by jurisdiction cut-off",
            p.code, p.name
        ));
    for c in &p.cutoffs {
        for l in &c.capacity_lost {
            let (lost, share) = lost_cells(l);
            t.push([
                c.jurisdiction.clone(),
                l.unit.clone(),
                amount(l.total),
                lost,
                share,
            ]);
        }
    }
    format!("\n{}", t.render(format))
}

/// A capacity amount as the tables print it (one decimal).
pub fn amount(x: f64) -> String {
    crate::import::num((x * 10.0).round() / 10.0)
}

/// The "lost" and "lost share" cells of a capacity loss: an amount, or a range
/// `low–high` when unknowns leave it open; the share in percent, `–` without a total.
fn lost_cells(l: &crate::analysis::quantity::CapacityLoss) -> (String, String) {
    let r = &l.lost;
    let text = if (r.low - r.high).abs() < f64::EPSILON {
        amount(r.low)
    } else {
        format!("{}–{}", amount(r.low), amount(r.high))
    };
    let share = if l.total > 0.0 {
        crate::analysis::quantity::Range {
            low: r.low / l.total * 100.0,
            high: r.high / l.total * 100.0,
        }
        .percent()
    } else {
        "–".to_owned()
    };
    (text, share)
}
