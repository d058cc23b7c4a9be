//! The ETO tables that define things: inputs and stages (the items, a stage needing
//! its processes) and providers (firms and country views, aliases merged).

use std::collections::HashMap;

use super::SOURCE_ID;
use crate::import::countries::{self, UNKNOWN};
use crate::import::{ImportError, Row, Skipped, Summary, Table, q};

/// A provider of `providers.csv`.
pub(super) struct Provider {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) country_view: bool,
    pub(super) jurisdiction: &'static str,
    pub(super) line: u64,
    pub(super) raw_country: String,
    pub(super) raw_name: String,
}

/// One supply row of `provision.csv`.
pub(super) struct Supply {
    pub(super) node: String,
    pub(super) share: Option<f64>,
}

/// An input or a stage.
pub(super) struct Item {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) kind: &'static str,
    pub(super) place: String,
    pub(super) year: String,
    pub(super) needs: Vec<String>,
    pub(super) cites: Vec<String>,
    pub(super) firms: Vec<Supply>,
    pub(super) countries: Vec<Supply>,
}

/// `eto-` and the dataset's id in lower case (`N20` → `eto-n20`).
fn node_id(raw: &str) -> String {
    format!("eto-{}", raw.to_ascii_lowercase())
}

/// Whether a dataset id is usable in ours (`N20`, `P88`, `S2`).
fn valid_raw_id(raw: &str) -> bool {
    !raw.is_empty() && raw.len() <= 40 && raw.chars().all(|c| c.is_ascii_alphanumeric())
}

pub(super) fn id_of(row: &Row<'_, '_>, col: usize, what: &str) -> Result<String, ImportError> {
    let raw = row.get(col);
    if valid_raw_id(raw) {
        Ok(raw.to_owned())
    } else {
        Err(row.error(
            col,
            &format!("`{raw}` is not a {what} id"),
            "give the dataset's id (letters and digits, such as N20 or P88)",
        ))
    }
}

/// The items of `inputs.csv` then `stages.csv`, and the index of each dataset id.
pub(super) fn items(
    inputs: &Table<'_>,
    stages: &Table<'_>,
) -> Result<(Vec<Item>, HashMap<String, usize>), ImportError> {
    let mut items: Vec<Item> = Vec::new();
    let mut by_raw: HashMap<String, usize> = HashMap::new();
    let (i_id, i_name, i_type, i_stage, i_year) = (
        inputs.column("input_id")?,
        inputs.column("input_name")?,
        inputs.column("type")?,
        inputs.column("stage_id")?,
        inputs.column("year")?,
    );
    let mut stage_of: Vec<(usize, String, String)> = Vec::new();
    for row in inputs.rows() {
        let raw = id_of(&row, i_id, "input")?;
        if let Some(&k) = by_raw.get(&raw) {
            return Err(row.error(
                i_id,
                &format!(
                    "input `{raw}` is defined twice (first at {})",
                    items[k].place
                ),
                "keep one row per input",
            ));
        }
        let stage = row.get(i_stage);
        if !stage.is_empty() {
            stage_of.push((items.len(), stage.to_owned(), row.at(i_stage)));
        }
        by_raw.insert(raw.clone(), items.len());
        items.push(Item {
            id: node_id(&raw),
            name: row.get(i_name).to_owned(),
            kind: match row.get(i_type) {
                "process" => "process",
                "tool_resource" => "tool",
                "material_resource" => "material",
                "design_resource" => "design",
                "ultimate_output" => "output",
                _ => "input",
            },
            place: row.place(),
            year: row.get(i_year).to_owned(),
            needs: Vec::new(),
            cites: vec![format!(
                "{{ source: {SOURCE_ID}, section: {} }}",
                q(&format!(
                    "inputs.csv line {}: {raw} ({}), year {}",
                    row.line(),
                    row.get(i_type),
                    row.get(i_year)
                ))
            )],
            firms: Vec::new(),
            countries: Vec::new(),
        });
    }
    let (s_id, s_name) = (stages.column("stage_id")?, stages.column("stage_name")?);
    for row in stages.rows() {
        let raw = id_of(&row, s_id, "stage")?;
        if let Some(&k) = by_raw.get(&raw) {
            return Err(row.error(
                s_id,
                &format!("`{raw}` is defined twice (first at {})", items[k].place),
                "keep one row per stage",
            ));
        }
        by_raw.insert(raw.clone(), items.len());
        items.push(Item {
            id: node_id(&raw),
            name: row.get(s_name).to_owned(),
            kind: "stage",
            place: row.place(),
            year: String::new(),
            needs: Vec::new(),
            cites: vec![format!(
                "{{ source: {SOURCE_ID}, section: {} }}",
                q(&format!("stages.csv line {}: {raw}", row.line()))
            )],
            firms: Vec::new(),
            countries: Vec::new(),
        });
    }
    // A stage needs its processes.
    for (k, stage, at) in stage_of {
        let Some(&s) = by_raw.get(&stage) else {
            return Err(ImportError(format!(
                "{at}: stage `{stage}` is not in stages.csv (column `stage_id`); give a stage id that stages.csv defines, or leave the cell empty"
            )));
        };
        let id = items[k].id.clone();
        items[s].needs.push(id);
    }
    Ok((items, by_raw))
}

/// The providers of `providers.csv` (a repeated row with the same name, type and
/// country is an alias: skipped), and the index of each provider id.
pub(super) fn providers(
    providers_t: &Table<'_>,
    summary: &mut Summary,
) -> Result<(Vec<Provider>, HashMap<String, usize>), ImportError> {
    let (p_id, p_name, p_alias, p_type, p_country) = (
        providers_t.column("provider_id")?,
        providers_t.column("provider_name")?,
        providers_t.column("alias")?,
        providers_t.column("provider_type")?,
        providers_t.column("country")?,
    );
    let mut providers: Vec<Provider> = Vec::new();
    let mut provider_of: HashMap<String, usize> = HashMap::new();
    for row in providers_t.rows() {
        let raw = id_of(&row, p_id, "provider")?;
        let name = row.get(p_name).to_owned();
        if let Some(&k) = provider_of.get(&raw) {
            // A repeated id with the same name, type and country lists an alias
            // (Canon ANELVA, Canon Machinery): one provider.
            let first = &providers[k];
            let same_country = if first.country_view {
                row.get(p_type) == "country"
            } else {
                row.get(p_type) == "organization" && row.get(p_country) == first.raw_country
            };
            if first.raw_name == name && same_country {
                summary.skipped.push(Skipped {
                    place: row.place(),
                    reason: format!(
                        "another alias of a provider already read (first at line {}); one organization",
                        first.line
                    ),
                });
                continue;
            }
            return Err(row.error(
                p_id,
                &format!(
                    "provider `{raw}` is defined twice, differently (first at line {})",
                    first.line
                ),
                "give each provider one id, or repeat the same name, type and country for an alias",
            ));
        }
        let (country_view, code_text) = match row.get(p_type) {
            "country" => (true, name.clone()),
            "organization" => (false, row.get(p_country).to_owned()),
            other => {
                return Err(row.error(
                    p_type,
                    &format!("provider type `{other}` is neither `country` nor `organization`"),
                    "write `country` for a country's share or `organization` for a firm's",
                ));
            }
        };
        let jurisdiction = if code_text.is_empty() {
            summary.skipped.push(Skipped {
                place: row.place(),
                reason: format!("provider has no country; kept with jurisdiction {UNKNOWN}"),
            });
            UNKNOWN
        } else if let Some(c) =
            countries::from_alpha3(&code_text).or_else(|| countries::from_name(&code_text))
        {
            c
        } else {
            *summary.unmapped.entry(code_text.clone()).or_default() += 1;
            UNKNOWN
        };
        let alias = row.get(p_alias);
        let display = if country_view {
            let long = if alias.is_empty() {
                countries::name_of(jurisdiction).unwrap_or(&name)
            } else {
                alias
            };
            if long == name {
                format!("{name} (country view)")
            } else {
                format!("{long} ({name}, country view)")
            }
        } else {
            name.clone()
        };
        provider_of.insert(raw.clone(), providers.len());
        providers.push(Provider {
            id: raw,
            raw_name: name,
            name: display,
            country_view,
            jurisdiction,
            line: row.line(),
            raw_country: code_text,
        });
    }
    Ok((providers, provider_of))
}
