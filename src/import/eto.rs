//! The ETO Advanced Semiconductor Supply Chain dataset (Emerging Technology
//! Observatory, CSET; CC BY-NC 4.0) as one stack file of the `chips` layer.
//!
//! The mapping (README "Importing datasets" has the analyst's version):
//!
//! - every input (`inputs.csv`) and stage (`stages.csv`) is a node `eto-<id>`
//!   (`eto-n20`, `eto-s2`);
//! - `sequence.csv` `goes_into` rows are required dependencies (the process needs
//!   its tools, materials and the process before it, ending at `N99` Finished
//!   logic chip); `is_type_of` rows are a roll-up, never alternatives: a category
//!   needs each of its types (a fab that needs lithography tools needs EUV tools
//!   itself, not EUV *or* ArF);
//! - every provider (`providers.csv`) is an organization `eto-<id>`: a firm with its
//!   ISO 3166-1 alpha-3 headquarters converted to alpha-2, a country provider as an
//!   organization of kind `country` in its own jurisdiction; `EUR` and "Various
//!   countries" keep what they are (user-assigned `XE` and `XV`,
//!   [`super::countries`]);
//! - every `provision.csv` row is a node `eto-<provider>-<input>` owned by its
//!   provider, and the input needs its supply as alternatives weighted by
//!   `share_provided`: one `any` group of the firm rows and one of the country rows
//!   (separate views; neither is derived from the other, and the input needs both:
//!   it loses its supply when either view says so). An empty `share_provided` is an
//!   unknown share, never 0;
//! - every node cites the dataset, the file and line, the year and the `source`
//!   column of the row it comes from.
//!
//! # Complexity
//! O(n log n) in the rows (sorting and maps).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use super::countries::{self, UNKNOWN};
use super::{ImportError, Imported, Input, OutFile, Row, Summary, Table, num, q};

/// The dataset's files, as read from its `data/` folder.
#[derive(Debug, Clone, Copy)]
pub struct Files<'a> {
    /// `inputs.csv`.
    pub inputs: Input<'a>,
    /// `stages.csv`.
    pub stages: Input<'a>,
    /// `providers.csv`.
    pub providers: Input<'a>,
    /// `provision.csv`.
    pub provision: Input<'a>,
    /// `sequence.csv`.
    pub sequence: Input<'a>,
    /// `LICENSE.md`, copied into the notice when given.
    pub license: Option<&'a str>,
}

/// The file names the dataset uses, in [`Files`] order.
pub const FILE_NAMES: [&str; 5] = [
    "inputs.csv",
    "stages.csv",
    "providers.csv",
    "provision.csv",
    "sequence.csv",
];

/// The bibliography id every imported fact cites.
pub const SOURCE_ID: &str = "eto-chip-explorer";

/// The name of the stack file written.
pub const STACK_FILE: &str = "eto-chip-explorer.yaml";

/// The name of the licence notice written beside it.
pub const NOTICE_FILE: &str = "LICENSE-ETO-DATA.md";

/// A provider of `providers.csv`.
struct Provider {
    id: String,
    name: String,
    country_view: bool,
    jurisdiction: &'static str,
    line: u64,
    raw_country: String,
    raw_name: String,
}

/// One supply row of `provision.csv`.
struct Supply {
    node: String,
    share: Option<f64>,
}

/// An input or a stage.
struct Item {
    id: String,
    name: String,
    kind: &'static str,
    place: String,
    year: String,
    needs: Vec<String>,
    cites: Vec<String>,
    firms: Vec<Supply>,
    countries: Vec<Supply>,
}

/// `eto-` and the dataset's id in lower case (`N20` → `eto-n20`).
fn node_id(raw: &str) -> String {
    format!("eto-{}", raw.to_ascii_lowercase())
}

/// Whether a dataset id is usable in ours (`N20`, `P88`, `S2`).
fn valid_raw_id(raw: &str) -> bool {
    !raw.is_empty() && raw.len() <= 40 && raw.chars().all(|c| c.is_ascii_alphanumeric())
}

fn id_of(row: &Row<'_, '_>, col: usize, what: &str) -> Result<String, ImportError> {
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

/// Imports the dataset (see the module documentation).
///
/// # Errors
/// A malformed file or row, located at `file:line:column`: a missing column, a
/// duplicate id, a share that is not a percentage, a reference to an id the other
/// files do not define, a provider type other than `country` or `organization`.
pub fn import(files: &Files<'_>) -> Result<Imported, ImportError> {
    let mut summary = Summary::default();
    let inputs = Table::parse(files.inputs)?;
    let stages = Table::parse(files.stages)?;
    let providers_t = Table::parse(files.providers)?;
    let provision = Table::parse(files.provision)?;
    let sequence = Table::parse(files.sequence)?;

    // Items: inputs, then stages.
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

    // Providers.
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
                summary.skipped.push(super::Skipped {
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
            summary.skipped.push(super::Skipped {
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

    // Provision rows: one node each, in file order.
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
            summary.skipped.push(super::Skipped {
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

    // Sequence: goes_into (required) and is_type_of (roll-up).
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
                summary.skipped.push(super::Skipped {
                    place: row.place(),
                    reason: "an input that goes into itself".to_owned(),
                });
                continue;
            }
            let dep = items[f].id.clone();
            let item = &mut items[t];
            if item.needs.contains(&dep) {
                summary.skipped.push(super::Skipped {
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
            summary.skipped.push(super::Skipped {
                place: row.place(),
                reason: "neither goes_into_id nor is_type_of_id is given".to_owned(),
            });
        }
    }

    // The file.
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Imported by `jenga import eto` from the ETO Advanced Semiconductor Supply Chain Dataset.\n# Licence: CC BY-NC 4.0 (see {NOTICE_FILE}); not the project's licence.\nbibliography:\n  - id: {SOURCE_ID}\n    title: \"ETO Advanced Semiconductor Supply Chain Dataset\"\n    author: \"Emerging Technology Observatory (CSET, Georgetown University)\"\n    date: \"2026\"\n    publisher: \"Center for Security and Emerging Technology\"\n    url: \"https://github.com/georgetown-cset/eto-chip-explorer\"\n    notes: \"CC BY-NC 4.0. CSET analysis of TechInsights data (2025); earlier rows from CSET's The Semiconductor Supply Chain: Assessing National Competitiveness (2021).\""
    );
    // An empty list is left out: `organizations:` with nothing after it is null,
    // which the loader rejects.
    if !providers.is_empty() {
        out.push_str("organizations:\n");
    }
    for p in &providers {
        let _ = write!(
            out,
            "  - id: eto-{}\n    name: {}\n    jurisdiction: {}\n    kind: {}\n",
            p.id.to_ascii_lowercase(),
            q(&p.name),
            p.jurisdiction,
            if p.country_view { "country" } else { "company" },
        );
        let note = match p.jurisdiction {
            countries::EUROPE => Some(
                "ETO's `EUR`: Europe as a region, kept as such (user-assigned code XE), not the EU.",
            ),
            countries::VARIOUS => Some(
                "ETO's \"Various countries\": an aggregate of unnamed countries, kept as such (user-assigned code XV).",
            ),
            UNKNOWN if p.raw_country.is_empty() => {
                Some("No country in the data (user-assigned code ZZ).")
            }
            UNKNOWN => Some(
                "The data's country could not be mapped to an ISO code (user-assigned code ZZ); see the import summary.",
            ),
            _ => None,
        };
        if let Some(n) = note {
            let _ = writeln!(out, "    notes: {}", q(n));
        }
        let col = if p.country_view {
            "provider_name"
        } else {
            "country"
        };
        let _ = writeln!(
            out,
            "    sources: [{{ source: {SOURCE_ID}, section: {} }}]",
            q(&format!(
                "providers.csv line {}: {}, {col} {}",
                p.line, p.id, p.raw_country
            ))
        );
    }
    if !items.is_empty() {
        out.push_str("nodes:\n");
    }
    let member = |s: &Supply| match s.share {
        Some(x) => format!("{{ id: {}, share: {} }}", s.node, num(x)),
        None => format!("{{ id: {} }}", s.node),
    };
    for item in &items {
        let _ = write!(
            out,
            "  - id: {}\n    name: {}\n    layer: chips\n",
            item.id,
            q(&item.name)
        );
        let views: Vec<&Vec<Supply>> = [&item.firms, &item.countries]
            .into_iter()
            .filter(|v| !v.is_empty())
            .collect();
        if !views.is_empty() || !item.needs.is_empty() {
            out.push_str("    needs:\n");
            for v in views {
                let members: Vec<String> = v.iter().map(member).collect();
                let _ = writeln!(out, "      - any: [{}]", members.join(", "));
            }
            for n in &item.needs {
                let _ = writeln!(out, "      - {n}");
            }
        }
        let mut notes = format!("ETO {} ({}).", item.kind, item.place);
        if !item.year.is_empty() {
            let _ = write!(notes, " Year {}.", item.year);
        }
        if !item.firms.is_empty() && !item.countries.is_empty() {
            notes.push_str(" Supply in two views: by firm, then by country; the input needs both.");
        }
        let _ = writeln!(out, "    notes: {}", q(&notes));
        out.push_str("    sources:\n");
        for c in &item.cites {
            let _ = writeln!(out, "      - {c}");
        }
    }
    out.push_str(&supply_nodes);
    // Keep the counts honest about providers that supply nothing.
    let idle = providers.len() - used_providers.len();
    summary.count("inputs and stages", items.len());
    summary.count("providers", providers.len());
    summary.count("supply rows with a share", with_share);
    summary.count("supply rows without a share (unknown)", without_share);
    summary.count("goes_into dependencies", goes_into);
    summary.count("is_type_of roll-ups", type_of);
    if idle > 0 {
        summary.count("providers that supply nothing", idle);
    }
    let notice = notice(files.license);
    Ok(Imported {
        files: vec![
            OutFile {
                name: NOTICE_FILE.to_owned(),
                text: notice,
            },
            OutFile {
                name: STACK_FILE.to_owned(),
                text: out,
            },
        ],
        summary,
    })
}

/// The licence notice written into the output directory.
fn notice(license: Option<&str>) -> String {
    let mut s = String::from(
        "# Licence of the data in this directory\n\n\
         `eto-chip-explorer.yaml` is derived from the ETO Advanced Semiconductor Supply Chain\n\
         Dataset (Emerging Technology Observatory, Center for Security and Emerging Technology,\n\
         Georgetown University; <https://github.com/georgetown-cset/eto-chip-explorer>), converted\n\
         by `jenga import eto`. It is licensed under the Creative Commons\n\
         Attribution-NonCommercial 4.0 International License\n\
         (<http://creativecommons.org/licenses/by-nc/4.0/>), not under jenga's licence: credit the\n\
         dataset and do not use it commercially.\n\n\
         Changes made: rows became nodes and dependencies (see jenga's README, \"Importing\n\
         datasets\"); ISO 3166-1 alpha-3 codes became alpha-2; `EUR` is written `XE` and\n\
         \"Various countries\" `XV`.\n",
    );
    if let Some(l) = license {
        s.push_str("\n## The dataset's LICENSE.md\n\n");
        s.push_str(l.trim_end());
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const INPUTS: &str = "input_id,input_name,type,stage_name,stage_id,description,year\nN20,EUV lithography tools,tool_resource,,,d,2025\nN19,Lithography tools,tool_resource,,,d,2025\n";
    const STAGES: &str = "stage_id,stage_name\nS2,Fabrication\n";
    const PROVIDERS: &str = "provider_name,alias,provider_id,provider_type,country\nNLD,Netherlands,P45,country,\nASML,,P88,organization,NLD\n";
    const SEQUENCE: &str = "input_name,input_id,goes_into_name,goes_into_id,is_type_of_name,is_type_of_id\nEUV,N20,,,Lithography tools,N19\n";

    fn run(provision: &str, sequence: &str) -> Result<Imported, ImportError> {
        import(&Files {
            inputs: Input {
                name: "inputs.csv",
                bytes: INPUTS.as_bytes(),
            },
            stages: Input {
                name: "stages.csv",
                bytes: STAGES.as_bytes(),
            },
            providers: Input {
                name: "providers.csv",
                bytes: PROVIDERS.as_bytes(),
            },
            provision: Input {
                name: "provision.csv",
                bytes: provision.as_bytes(),
            },
            sequence: Input {
                name: "sequence.csv",
                bytes: sequence.as_bytes(),
            },
            license: None,
        })
    }

    const PROVISION: &str = "provider_name,provider_id,provided_name,provided_id,share_provided,year,source\nASML,P88,EUV,N20,100.0,2025,TechInsights\nNLD,P45,EUV,N20,100.0,2025,TechInsights\nASML,P88,Litho,N19,,2019,CSET\n";

    #[test]
    fn supply_is_weighted_and_a_missing_share_stays_unknown() {
        let y = run(PROVISION, SEQUENCE).unwrap();
        let text = &y.files[1].text;
        assert!(text.contains("      - any: [{ id: eto-p88-n20, share: 100 }]\n      - any: [{ id: eto-p45-n20, share: 100 }]\n"), "{text}");
        assert!(
            text.contains("      - any: [{ id: eto-p88-n19 }]\n      - eto-n20\n"),
            "{text}"
        );
        assert!(text.contains("jurisdiction: NL\n    kind: country\n"));
        assert_eq!(y.summary.counts["supply rows without a share (unknown)"], 1);
    }

    #[test]
    fn a_share_that_is_not_a_number_is_located() {
        let bad = "provider_name,provider_id,provided_name,provided_id,share_provided,year,source\nASML,P88,EUV,N20,\"ten, or so\",2025,T\n";
        assert_eq!(
            run(bad, SEQUENCE).err().unwrap().0,
            "provision.csv:2:18: `ten, or so` is not a number (column `share_provided`); write a decimal number such as 12.5, or leave the cell empty when unknown"
        );
    }

    #[test]
    fn an_unknown_reference_is_located() {
        let bad = "input_name,input_id,goes_into_name,goes_into_id,is_type_of_name,is_type_of_id\nEUV,N20,,N77,,\n";
        assert_eq!(
            run(PROVISION, bad).err().unwrap().0,
            "sequence.csv:2:10: input `N77` is not in inputs.csv (column `goes_into_id`); give an input_id that inputs.csv defines"
        );
    }
}
