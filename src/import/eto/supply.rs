//! The ETO tables that connect things: `provision.csv` (one supply node per row, the
//! item's `any` groups by firm and by country) and `sequence.csv` (`goes_into`
//! required, `is_type_of` a roll-up).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use super::SOURCE_ID;
use super::read::{Item, Provider, Supply, id_of};
use crate::import::{ImportError, Skipped, Summary, Table, num, q};

/// What the provision rows gave: the supply nodes' YAML, the providers that supply
/// something, and the rows with and without a share.
pub(super) struct Supplied {
    /// The YAML of the supply nodes, in file order.
    pub(super) nodes: String,
    /// The providers that supply something.
    pub(super) used: BTreeSet<usize>,
    /// Rows with a share.
    pub(super) with_share: usize,
    /// Rows without one (unknown share).
    pub(super) without_share: usize,
}

/// Reads `provision.csv`: one node each, in file order, added to its item's firm or
/// country view.
pub(super) fn provision(
    provision: &Table<'_>,
    providers: &[Provider],
    provider_of: &HashMap<String, usize>,
    by_raw: &HashMap<String, usize>,
    items: &mut [Item],
    summary: &mut Summary,
) -> Result<Supplied, ImportError> {
    let (v_provider, v_provided, v_share, v_year, v_source) = (
        provision.column("provider_id")?,
        provision.column("provided_id")?,
        provision.column("share_provided")?,
        provision.column("year")?,
        provision.column("source")?,
    );
    let mut supply_nodes = String::new();
    let mut seen: BTreeMap<(String, String), u64> = BTreeMap::new();
    let mut used_providers: BTreeSet<usize> = BTreeSet::new();
    let (mut with_share, mut without_share) = (0usize, 0usize);
    for row in provision.rows() {
        let prov = id_of(&row, v_provider, "provider")?;
        let Some(&p) = provider_of.get(&prov) else {
            return Err(row.error(
                v_provider,
                &format!("provider `{prov}` is not in providers.csv"),
                "give a provider_id that providers.csv defines",
            ));
        };
        let target = id_of(&row, v_provided, "input or stage")?;
        let Some(&t) = by_raw.get(&target) else {
            return Err(row.error(
                v_provided,
                &format!("`{target}` is neither an input of inputs.csv nor a stage of stages.csv"),
                "give an input_id or stage_id the other files define",
            ));
        };
        let share = row.number(v_share)?;
        if let Some(s) = share
            && !(0.0..=100.0).contains(&s)
        {
            return Err(row.error(
                v_share,
                &format!("share {} is not a percentage", num(s)),
                "write the global market share in percent, from 0 to 100, or leave the cell empty when unknown",
            ));
        }
        if let Some(first) = seen.get(&(prov.clone(), target.clone())) {
            summary.skipped.push(Skipped {
                place: row.place(),
                reason: format!(
                    "the same provider and input as provision.csv:{first} (counted once)"
                ),
            });
            continue;
        }
        seen.insert((prov.clone(), target.clone()), row.line());
        used_providers.insert(p);
        if share.is_some() {
            with_share += 1;
        } else {
            without_share += 1;
        }
        let provider = &providers[p];
        let item = &mut items[t];
        let id = format!(
            "eto-{}-{}",
            prov.to_ascii_lowercase(),
            target.to_ascii_lowercase()
        );
        let year = row.get(v_year);
        let share_text = share.map_or_else(
            || "share_provided empty (unknown share)".to_owned(),
            |s| format!("share_provided {}", num(s)),
        );
        let _ = write!(
            supply_nodes,
            "  - id: {id}\n    name: {}\n    layer: chips\n    org: eto-{}\n    sources:\n      - {{ source: {SOURCE_ID}, section: {}, quote: {} }}\n",
            q(&format!("{}: {}", provider.name, item.name)),
            prov.to_ascii_lowercase(),
            q(&format!(
                "provision.csv line {}: {prov} provides {target}, {share_text}, year {year}",
                row.line()
            )),
            q(row.get(v_source)),
        );
        let supply = Supply { node: id, share };
        if provider.country_view {
            item.countries.push(supply);
        } else {
            item.firms.push(supply);
        }
    }
    Ok(Supplied {
        nodes: supply_nodes,
        used: used_providers,
        with_share,
        without_share,
    })
}

/// Reads `sequence.csv` into the items' needs; returns how many `goes_into`
/// dependencies and `is_type_of` roll-ups it added.
pub(super) fn sequence(
    sequence: &Table<'_>,
    by_raw: &HashMap<String, usize>,
    items: &mut [Item],
    summary: &mut Summary,
) -> Result<(usize, usize), ImportError> {
    let (q_input, q_into, q_type) = (
        sequence.column("input_id")?,
        sequence.column("goes_into_id")?,
        sequence.column("is_type_of_id")?,
    );
    let (mut goes_into, mut type_of) = (0usize, 0usize);
    for row in sequence.rows() {
        let from = id_of(&row, q_input, "input")?;
        let Some(&f) = by_raw.get(&from) else {
            return Err(row.error(
                q_input,
                &format!("input `{from}` is not in inputs.csv"),
                "give an input_id that inputs.csv defines",
            ));
        };
        let mut any = false;
        for (col, what) in [(q_into, "goes into"), (q_type, "is a type of")] {
            if row.get(col).is_empty() {
                continue;
            }
            any = true;
            let to = id_of(&row, col, "input")?;
            let Some(&t) = by_raw.get(&to) else {
                return Err(row.error(
                    col,
                    &format!("input `{to}` is not in inputs.csv"),
                    "give an input_id that inputs.csv defines",
                ));
            };
            if t == f {
                summary.skipped.push(Skipped {
                    place: row.place(),
                    reason: "an input that goes into itself".to_owned(),
                });
                continue;
            }
            let dep = items[f].id.clone();
            let item = &mut items[t];
            if item.needs.contains(&dep) {
                summary.skipped.push(Skipped {
                    place: row.place(),
                    reason: "a dependency already given by an earlier row".to_owned(),
                });
                continue;
            }
            item.needs.push(dep);
            item.cites.push(format!(
                "{{ source: {SOURCE_ID}, section: {} }}",
                q(&format!(
                    "sequence.csv line {}: {from} {what} {to}",
                    row.line()
                ))
            ));
            if col == q_into {
                goes_into += 1;
            } else {
                type_of += 1;
            }
        }
        if !any {
            summary.skipped.push(Skipped {
                place: row.place(),
                reason: "neither goes_into_id nor is_type_of_id is given".to_owned(),
            });
        }
    }
    Ok((goes_into, type_of))
}
