//! Epoch AI's GPU clusters (`gpu_clusters.csv`) and ML hardware (`ml_hardware.csv`)
//! as stack files: chips owned by their manufacturers and made by their foundries,
//! and, per country, the clusters as capabilities with their H100-equivalents as
//! capacity.
//!
//! The mapping (README "Importing datasets"):
//!
//! - `ml_hardware.csv`: each chip is a `chips` node `epoch-chip-<name>` owned by its
//!   `Manufacturer` ([`super::vendors`]); a `Foundry` makes it (`SMIC,TSMC` is
//!   either). A blank foundry is no dependency, said in the chip's notes.
//! - `gpu_clusters.csv`: a cluster is counted once, as existing capacity, when its
//!   `Status` is `Existing`, its `Certainty` is not `Unlikely`, it is not a
//!   `Possible Duplicate`, and it is not superseded: no counted cluster names it in
//!   `Builds Upon`, and its `Superseded by` names no counted cluster (the later
//!   phase carries its capacity). Every other row is skipped with its reason, as
//!   is a row without a country; a country the table cannot map is reported.
//! - A counted cluster is a `compute` node in its country's file and one of its
//!   capabilities, with `capacity: { value: <H100 equivalents>, unit: H100e }`
//!   (none when the cell is empty). It needs its chip types (primary and secondary,
//!   each required) and each owner (`Owner` split at commas; an organization whose
//!   headquarters the data does not give, jurisdiction `ZZ`). A chip type Epoch
//!   does not name is the supplier's unspecified accelerator; a supplier given as
//!   `Anonymized` or `Unknown` is an `unknown` dependency, never safe.
//!
//! # Complexity
//! O(n log n) in the rows.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use super::countries::{self, UNKNOWN};
use super::vendors;
use super::{ImportError, Imported, Input, OutFile, Row, Skipped, Summary, Table, num, q, slug};

/// The file of chips, manufacturers and foundries.
pub const CHIPS_FILE: &str = "epoch-chips.yaml";
/// The attribution notice.
pub const NOTICE_FILE: &str = "NOTICE-EPOCH-DATA.md";

/// The id of an organization named `name`: the vendor table's, else an owner id.
fn org_for(name: &str, summary: &mut Summary, orgs: &mut BTreeMap<String, Org>) -> String {
    let name = name.trim();
    if let Some(v) = vendors::find(name) {
        orgs.entry(v.id.to_owned()).or_insert(Org {
            name: v.name.to_owned(),
            jurisdiction: v.jurisdiction,
            note: None,
        });
        return v.id.to_owned();
    }
    let id = format!("epoch-owner-{}", slug(name));
    orgs.entry(id.clone()).or_insert_with(|| {
        summary.count("owners without a known headquarters (ZZ)", 1);
        Org {
            name: name.to_owned(),
            jurisdiction: UNKNOWN,
            note: Some("Epoch gives no headquarters for this owner (user-assigned code ZZ)."),
        }
    });
    id
}

/// An organization to declare.
struct Org {
    name: String,
    jurisdiction: &'static str,
    note: Option<&'static str>,
}

/// A chip node to declare.
struct Chip {
    name: String,
    org: String,
    foundries: Vec<String>,
    cite: String,
    note: Option<String>,
}

/// Which file an input is, from its header.
fn kind_of(t: &Table<'_>) -> Option<&'static str> {
    if t.column("H100 equivalents").is_ok() {
        Some("clusters")
    } else if t.column("Hardware name").is_ok() {
        Some("hardware")
    } else {
        None
    }
}

/// A cluster name as other rows refer to it: trimmed, surrounding quotes removed.
fn norm(name: &str) -> String {
    name.trim().trim_matches('"').trim().to_owned()
}

/// Imports Epoch's files (either or both; see the module documentation).
///
/// # Errors
/// A file that is neither, a malformed row (located), an H100-equivalents cell
/// that is not a non-negative number.
pub fn import(files: &[Input<'_>]) -> Result<Imported, ImportError> {
    let mut summary = Summary::default();
    let mut clusters_t = None;
    let mut hardware_t = None;
    for f in files {
        let t = Table::parse(*f)?;
        match kind_of(&t) {
            Some("clusters") => clusters_t = Some(t),
            Some(_) => hardware_t = Some(t),
            None => {
                return Err(ImportError(format!(
                    "{}:1:1: neither gpu_clusters.csv (no column `H100 equivalents`) nor ml_hardware.csv (no column `Hardware name`); give Epoch's files as downloaded",
                    f.name
                )));
            }
        }
    }
    let mut orgs: BTreeMap<String, Org> = BTreeMap::new();
    let mut chips: BTreeMap<String, Chip> = BTreeMap::new();
    let mut chip_by_name: HashMap<String, String> = HashMap::new();
    if let Some(h) = &hardware_t {
        let (c_name, c_man, c_fab) = (
            h.column("Hardware name")?,
            h.column("Manufacturer")?,
            h.column("Foundry")?,
        );
        for row in h.rows() {
            let name = row.get(c_name);
            if name.is_empty() {
                summary.skipped.push(Skipped {
                    place: row.place(),
                    reason: "a chip without a name".into(),
                });
                continue;
            }
            let id = format!("epoch-chip-{}", slug(name));
            if chips.contains_key(&id) {
                summary.skipped.push(Skipped {
                    place: row.place(),
                    reason: "a chip already read under the same name".into(),
                });
                continue;
            }
            let man = row.get(c_man);
            let org = if man.is_empty() {
                summary.skipped.push(Skipped {
                    place: row.place(),
                    reason: "no manufacturer: the chip is kept, owned by nobody".into(),
                });
                String::new()
            } else {
                if vendors::find(man).is_none() {
                    *summary
                        .unmapped
                        .entry(format!("manufacturer {man}"))
                        .or_default() += 1;
                }
                org_for(man, &mut summary, &mut orgs)
            };
            let fab = row.get(c_fab);
            let foundries: Vec<String> = fab
                .split(',')
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .map(|f| {
                    if vendors::find(f).is_none() {
                        *summary.unmapped.entry(format!("foundry {f}")).or_default() += 1;
                    }
                    org_for(f, &mut summary, &mut orgs)
                })
                .collect();
            chip_by_name.insert(name.to_lowercase(), id.clone());
            chips.insert(
                id,
                Chip {
                    name: name.to_owned(),
                    org,
                    note: foundries
                        .is_empty()
                        .then(|| "ml_hardware.csv gives no foundry for this chip.".to_owned()),
                    foundries,
                    cite: format!(
                        "{{ source: epoch-ml-hardware, section: {} }}",
                        q(&format!(
                            "ml_hardware.csv line {}: Manufacturer {man}, Foundry {fab}",
                            row.line()
                        ))
                    ),
                },
            );
        }
        summary.count("chips", chips.len());
    }

    // Clusters.
    let mut by_country: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let mut nodes_text = String::new();
    let mut used_ids: BTreeSet<String> = BTreeSet::new();
    if let Some(t) = &clusters_t {
        let col = |n: &str| t.column(n);
        let (c_name, c_status, c_cert, c_dup, c_h100, c_chip1, c_chip2, c_sup1, c_sup2) = (
            col("Name")?,
            col("Status")?,
            col("Certainty")?,
            col("Possible Duplicate")?,
            col("H100 equivalents")?,
            col("Chip type (primary)")?,
            col("Chip type (secondary)")?,
            col("GPU Supplier (primary)")?,
            col("GPU supplier (secondary)")?,
        );
        let (c_country, c_owner, c_builds, c_super, c_q1, c_mw) = (
            col("Country")?,
            col("Owner")?,
            col("Builds Upon")?,
            col("Superseded by")?,
            col("Chip quantity (primary)")?,
            col("Power Capacity (MW)")?,
        );
        let rows: Vec<Row<'_, '_>> = t.rows().collect();
        // Eligible: existing, not unlikely, not a possible duplicate.
        let eligible = |r: &Row<'_, '_>| {
            r.get(c_status) == "Existing"
                && r.get(c_cert) != "Unlikely"
                && !r.get(c_dup).eq_ignore_ascii_case("TRUE")
        };
        let eligible_names: BTreeSet<String> = rows
            .iter()
            .filter(|r| eligible(r))
            .map(|r| norm(r.get(c_name)))
            .collect();
        let built_upon: BTreeMap<String, String> = rows
            .iter()
            .filter(|r| eligible(r) && !r.get(c_builds).is_empty())
            .map(|r| (norm(r.get(c_builds)), norm(r.get(c_name))))
            .collect();
        for r in &rows {
            let name = norm(r.get(c_name));
            let skip = |reason: String, summary: &mut Summary| {
                summary.skipped.push(Skipped {
                    place: r.place(),
                    reason,
                });
            };
            let status = r.get(c_status);
            if status != "Existing" {
                skip(
                    format!("Status {status} (only existing clusters are capacity)"),
                    &mut summary,
                );
                continue;
            }
            if r.get(c_cert) == "Unlikely" {
                skip("Certainty Unlikely".into(), &mut summary);
                continue;
            }
            if r.get(c_dup).eq_ignore_ascii_case("TRUE") {
                skip(
                    "Possible Duplicate (counted under the cluster it duplicates)".into(),
                    &mut summary,
                );
                continue;
            }
            let sup = norm(r.get(c_super));
            if !sup.is_empty() && eligible_names.contains(&sup) {
                skip(
                    "Superseded by a counted cluster (its capacity is counted there)".into(),
                    &mut summary,
                );
                continue;
            }
            if built_upon.contains_key(&name) {
                skip(
                    "a counted cluster Builds Upon it (its capacity is counted there)".into(),
                    &mut summary,
                );
                continue;
            }
            let country_text = r.get(c_country);
            let Some(cc) = countries::from_name(country_text) else {
                if country_text.is_empty() {
                    skip("no Country".into(), &mut summary);
                } else {
                    *summary.unmapped.entry(country_text.to_owned()).or_default() += 1;
                    skip(
                        format!("Country {country_text:?} is not mapped to an ISO code"),
                        &mut summary,
                    );
                }
                continue;
            };
            let h100 = r.number(c_h100)?;
            if let Some(h) = h100
                && h < 0.0
            {
                return Err(r.error(c_h100, "a negative number of H100-equivalents", "write the cluster's H100-equivalents (0 or more), or leave the cell empty when unknown"));
            }
            let base = format!("epoch-{}", slug(&name));
            let id = if used_ids.contains(&base) {
                format!("{base}-{}", r.line())
            } else {
                base
            };
            used_ids.insert(id.clone());
            // Dependencies: chips, then owners.
            let mut needs: Vec<String> = Vec::new();
            let mut unknown: Option<String> = None;
            for (chip_col, sup_col) in [(c_chip1, c_sup1), (c_chip2, c_sup2)] {
                let chip = r.get(chip_col);
                let supplier = r.get(sup_col);
                if chip.is_empty() && supplier.is_empty() {
                    continue;
                }
                if let Some(id) = chip_by_name.get(&chip.to_lowercase()) {
                    needs.push(id.clone());
                    continue;
                }
                let vendor = vendors::find(chip).or_else(|| vendors::find(supplier));
                match vendor {
                    Some(v) if !chip.is_empty() => {
                        let id = format!("epoch-chip-{}", slug(chip));
                        chip_by_name.insert(chip.to_lowercase(), id.clone());
                        orgs.entry(v.id.to_owned()).or_insert(Org {
                            name: v.name.to_owned(),
                            jurisdiction: v.jurisdiction,
                            note: None,
                        });
                        chips.entry(id.clone()).or_insert_with(|| {
                            summary.count("chip types not in ml_hardware.csv", 1);
                            Chip {
                                name: chip.to_owned(),
                                org: v.id.to_owned(),
                                foundries: Vec::new(),
                                cite: format!(
                                    "{{ source: epoch-gpu-clusters, section: {} }}",
                                    q(&format!("gpu_clusters.csv line {}: chip type {chip}, supplier {supplier}", r.line()))
                                ),
                                note: Some("A chip type of gpu_clusters.csv that ml_hardware.csv does not list: no foundry known.".into()),
                            }
                        });
                        needs.push(id);
                    }
                    Some(v) => {
                        let id = format!("epoch-chip-{}-unspecified", v.id);
                        orgs.entry(v.id.to_owned()).or_insert(Org {
                            name: v.name.to_owned(),
                            jurisdiction: v.jurisdiction,
                            note: None,
                        });
                        chips.entry(id.clone()).or_insert_with(|| Chip {
                            name: format!("{} accelerators (type not given)", v.name),
                            org: v.id.to_owned(),
                            foundries: Vec::new(),
                            cite: format!(
                                "{{ source: epoch-gpu-clusters, section: {} }}",
                                q(&format!(
                                    "gpu_clusters.csv line {}: supplier {supplier}, no chip type",
                                    r.line()
                                ))
                            ),
                            note: Some(
                                "Clusters whose supplier Epoch names without a chip type.".into(),
                            ),
                        });
                        needs.push(id);
                    }
                    None => {
                        if !supplier.is_empty()
                            && !supplier.eq_ignore_ascii_case("Anonymized")
                            && !supplier.eq_ignore_ascii_case("Unknown")
                        {
                            *summary
                                .unmapped
                                .entry(format!("supplier {supplier}"))
                                .or_default() += 1;
                        }
                        unknown.get_or_insert_with(|| {
                            format!(
                                "Epoch gives the chip supplier as {} (gpu_clusters.csv line {})",
                                if supplier.is_empty() {
                                    "blank"
                                } else {
                                    supplier
                                },
                                r.line()
                            )
                        });
                    }
                }
            }
            needs.dedup();
            for owner in r
                .get(c_owner)
                .split(',')
                .map(str::trim)
                .filter(|o| !o.is_empty())
            {
                let o = org_for(owner, &mut summary, &mut orgs);
                if !needs.contains(&o) {
                    needs.push(o);
                }
            }
            let _ = write!(
                nodes_text,
                "  - id: {id}\n    name: {}\n    layer: compute\n    status: operational\n",
                q(&name)
            );
            if let Some(h) = h100 {
                let _ = writeln!(
                    nodes_text,
                    "    capacity: {{ value: {}, unit: H100e }}",
                    num(h)
                );
            } else {
                summary.count("counted clusters without H100 equivalents (no capacity)", 1);
            }
            if !needs.is_empty() || unknown.is_some() {
                nodes_text.push_str("    needs:\n");
                for n in &needs {
                    let _ = writeln!(nodes_text, "      - {n}");
                }
                if let Some(u) = &unknown {
                    let _ = writeln!(nodes_text, "      - unknown: {}", q(u));
                }
            }
            let _ = writeln!(
                nodes_text,
                "    notes: {}",
                q(&format!(
                    "Epoch: Certainty {}; chip quantity (primary) {}; power {} MW.",
                    r.get(c_cert),
                    if r.get(c_q1).is_empty() {
                        "not given"
                    } else {
                        r.get(c_q1)
                    },
                    if r.get(c_mw).is_empty() {
                        "not given"
                    } else {
                        r.get(c_mw)
                    },
                ))
            );
            let _ = writeln!(
                nodes_text,
                "    sources: [{{ source: epoch-gpu-clusters, section: {} }}]",
                q(&format!(
                    "gpu_clusters.csv line {}: H100 equivalents {}, Status Existing, Country {country_text}",
                    r.line(),
                    r.get(c_h100)
                ))
            );
            by_country
                .entry(cc)
                .or_default()
                .push(std::mem::take(&mut nodes_text));
            summary.count("clusters counted", 1);
        }
    }

    // The chip file.
    let mut out = String::from(
        "# Imported by `jenga import epoch` from Epoch AI's data (CC BY; credit \"Epoch AI\"; see NOTICE-EPOCH-DATA.md).\nbibliography:\n  - id: epoch-gpu-clusters\n    title: \"GPU Clusters\"\n    author: \"Epoch AI (Pilz, Rahman, Sanders, Heim: Trends in AI Supercomputers)\"\n    date: \"2025\"\n    url: \"https://epoch.ai/data/gpu-clusters\"\n    notes: \"CC BY. Epoch estimates the dataset covers 10-20 % of global GPU-cluster performance; Chinese rows are anonymised and rounded.\"\n  - id: epoch-ml-hardware\n    title: \"Machine Learning Hardware\"\n    author: \"Epoch AI\"\n    date: \"2025\"\n    url: \"https://epoch.ai/data/machine-learning-hardware\"\n    notes: \"CC BY.\"\n",
    );
    if !orgs.is_empty() {
        out.push_str("organizations:\n");
        for (id, o) in &orgs {
            let _ = write!(
                out,
                "  - id: {id}\n    name: {}\n    jurisdiction: {}\n    kind: company\n",
                q(&o.name),
                o.jurisdiction
            );
            if let Some(n) = o.note {
                let _ = writeln!(out, "    notes: {}", q(n));
            }
            let _ = writeln!(
                out,
                "    sources: [{}]",
                if clusters_t.is_some() {
                    "epoch-gpu-clusters"
                } else {
                    "epoch-ml-hardware"
                }
            );
        }
    }
    let foundries: BTreeSet<&String> = chips.values().flat_map(|c| &c.foundries).collect();
    if !chips.is_empty() {
        out.push_str("nodes:\n");
        for f in &foundries {
            let name = orgs.get(*f).map_or(f.as_str(), |o| o.name.as_str());
            let _ = write!(
                out,
                "  - id: epoch-fab-{f}\n    name: {}\n    layer: chips\n    org: {f}\n    sources: [epoch-ml-hardware]\n",
                q(&format!("{name} fabrication"))
            );
        }
        for (id, c) in &chips {
            let _ = write!(
                out,
                "  - id: {id}\n    name: {}\n    layer: chips\n",
                q(&c.name)
            );
            if !c.org.is_empty() {
                let _ = writeln!(out, "    org: {}", c.org);
            }
            match c.foundries.as_slice() {
                [] => {}
                [one] => {
                    let _ = writeln!(out, "    needs: [epoch-fab-{one}]");
                }
                many => {
                    let m: Vec<String> = many.iter().map(|f| format!("epoch-fab-{f}")).collect();
                    let _ = writeln!(out, "    needs:\n      - any: [{}]", m.join(", "));
                }
            }
            if let Some(n) = &c.note {
                let _ = writeln!(out, "    notes: {}", q(n));
            }
            let _ = writeln!(out, "    sources: [{}]", c.cite);
        }
    }
    let mut files_out = vec![
        OutFile {
            name: NOTICE_FILE.to_owned(),
            text: "# Attribution\n\nThe stack files in this directory are derived from Epoch AI's data (<https://epoch.ai/data>),\nlicensed under Creative Commons Attribution (CC BY): credit \"Epoch AI\"; for the GPU clusters,\nPilz, Rahman, Sanders and Heim, \"Trends in AI Supercomputers\". Converted by `jenga import epoch`:\nrows became nodes and dependencies, country names ISO 3166-1 alpha-2 codes, and only existing,\nnon-duplicate, non-superseded clusters were kept (see jenga's README, \"Importing datasets\").\n".to_owned(),
        },
        OutFile {
            name: CHIPS_FILE.to_owned(),
            text: out,
        },
    ];
    for (cc, nodes) in by_country {
        let code = cc.to_ascii_lowercase();
        let name = countries::name_of(cc).unwrap_or(cc);
        let ids: Vec<String> = nodes
            .iter()
            .filter_map(|n| {
                n.strip_prefix("  - id: ")
                    .and_then(|r| r.split('\n').next())
                    .map(str::to_owned)
            })
            .collect();
        let mut text = format!(
            "# Imported by `jenga import epoch` (CC BY, Epoch AI).\ncountry: {cc}\nname: {}\ncapabilities: [{}]\nsources: [{{ source: epoch-gpu-clusters, section: \"gpu_clusters.csv, column Country\" }}]\nnodes:\n",
            q(name),
            ids.join(", ")
        );
        for n in nodes {
            text.push_str(&n);
        }
        files_out.push(OutFile {
            name: format!("epoch-{code}.yaml"),
            text,
        });
    }
    summary.count("organizations", orgs.len());
    Ok(Imported {
        files: files_out,
        summary,
    })
}
