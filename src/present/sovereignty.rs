//! Sovereignty profiles as text: per country, what each jurisdiction's cut-off does
//! (tables and JSON; in a world with capacities, the capacity each cut-off takes).

use crate::analysis::scenario;
use crate::output::{Format, JsonError, Table, to_json};

use super::scenario::{amount, lost_cells};

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
