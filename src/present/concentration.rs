//! The report's sections for worlds with shares (issue 16): the chip layer's
//! concentration table, as `jenga concentration` prints it. A world without shares
//! (the seed) gets none, so its report is unchanged.

use std::collections::BTreeMap;

use crate::analysis::concentration::{By, Concentration, Scored};
use crate::output::Table;

/// `jenga concentration`'s table of `rows`.
pub fn concentration_table<'a>(rows: impl IntoIterator<Item = &'a Concentration>, by: By) -> Table {
    let unit = if by == By::Country {
        "countries"
    } else {
        "firms"
    };
    let mut t = Table::new([
        "id".to_owned(),
        "name".to_owned(),
        "top".to_owned(),
        "top share".to_owned(),
        "HHI".to_owned(),
        format!("{unit} to 75 %"),
        "providers".to_owned(),
    ])
    .titled(format!(
        "Concentration by {}",
        if by == By::Country {
            "country"
        } else {
            "organization"
        }
    ));
    let one = |x: f64| format!("{x:.1}");
    for c in rows {
        let flag = match c.status {
            Scored::Scored => None,
            Scored::Partial => Some("not scored: some shares missing"),
            Scored::Missing => Some("not scored: no shares"),
        };
        t.push([
            c.id.clone(),
            c.name.clone(),
            c.top.clone().unwrap_or_default(),
            c.top_share
                .map(|s| format!("{} %", one(s)))
                .unwrap_or_else(|| flag.unwrap_or("").to_owned()),
            c.hhi.map(|h| format!("{h:.0}")).unwrap_or_default(),
            c.to_75.map_or_else(
                || {
                    if flag.is_none() {
                        "not reached".to_owned()
                    } else {
                        String::new()
                    }
                },
                |k| k.to_string(),
            ),
            c.providers.len().to_string(),
        ]);
    }
    t
}

/// Adds `concentration.{md,csv}` to `files` and returns the table (for a sheet of
/// `report.xlsx`) when some input has providers with shares. `rows`: the world's
/// concentration by country
/// ([`crate::analysis::concentration::concentration`]; empty for a world without shares).
pub fn concentration_files(
    rows: &[Concentration],
    files: &mut BTreeMap<String, String>,
) -> Option<Table> {
    if !rows.iter().any(|c| c.status != Scored::Missing) {
        return None;
    }
    let t = concentration_table(rows, By::Country);
    files.insert("concentration.md".to_owned(), t.to_markdown());
    files.insert("concentration.csv".to_owned(), t.to_csv());
    Some(t)
}
