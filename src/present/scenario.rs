//! A scenario's result as text: the per-country tables (aligned text, CSV, Markdown),
//! the quantitative reading (supply surviving, capacity lost) and the JSON document
//! (docs/json.md). Pure: results in, strings out; the commands print them.

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

/// A capacity amount as the tables print it (one decimal).
pub fn amount(x: f64) -> String {
    crate::import::num((x * 10.0).round() / 10.0)
}

/// The "lost" and "lost share" cells of a capacity loss: an amount, or a range
/// `low–high` when unknowns leave it open; the share in percent, `–` without a total.
pub fn lost_cells(l: &crate::analysis::quantity::CapacityLoss) -> (String, String) {
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
