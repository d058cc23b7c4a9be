//! A TOP500 list (CSV with the list's 38 columns) as stack files: per country, each
//! system a `compute` capability with its Rmax as capacity (`Rmax TFlop/s`).
//!
//! A system (`top500-<System ID>`) is owned by its site (an organization in the
//! system's country) and needs its processor and accelerator (`chips` nodes owned
//! by their vendors, names normalised by [`super::vendors`]: "NVIDIA H100 SXM5
//! 80GB" and "Nvidia H100 SXM5 94Gb" are two chips of one vendor, `nvidia`) and each
//! integrator of the `Manufacturer` column (split at `,` and `/`). An accelerator
//! of `None` is no dependency. A vendor the table does not know is an organization
//! with jurisdiction `ZZ`, reported in the summary.
//!
//! # Complexity
//! O(n log n) in the rows.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::countries;
use super::vendors;
use super::{ImportError, Imported, Input, OutFile, Skipped, Summary, Table, num, q, slug};

/// The attribution notice.
pub const NOTICE_FILE: &str = "NOTICE-TOP500.md";

/// Processor families named without their vendor.
const FAMILIES: &[(&str, &str)] = &[
    ("xeon", "intel"),
    ("epyc", "amd"),
    ("a64fx", "fujitsu"),
    ("gh200", "nvidia"),
    ("grace", "nvidia"),
    ("vector engine", "nec"),
    ("sx-aurora", "nec"),
    ("power9", "ibm"),
    ("power10", "ibm"),
    ("gh superchip", "nvidia"),
    ("deep computing processor", "hygon"),
    ("matrix-2000", "nudt"),
];

/// The vendor of a product text: its leading vendor name, else a known family.
pub fn vendor_of(text: &str) -> Option<vendors::Vendor> {
    vendors::find(text).or_else(|| {
        let t = text.to_lowercase();
        FAMILIES
            .iter()
            .find(|(fam, _)| {
                t.split(|c: char| !c.is_alphanumeric() && c != '-')
                    .any(|w| w == *fam)
                    || t.starts_with(fam)
            })
            .and_then(|(_, v)| vendors::find(v))
    })
}

/// The organization id for a vendor text, declaring it.
fn vendor_org(
    text: &str,
    what: &str,
    summary: &mut Summary,
    orgs: &mut BTreeMap<String, (String, &'static str)>,
) -> String {
    match vendor_of(text) {
        Some(v) => {
            orgs.entry(v.id.to_owned())
                .or_insert((v.name.to_owned(), v.jurisdiction));
            v.id.to_owned()
        }
        None => {
            *summary
                .unmapped
                .entry(format!("{what} {text}"))
                .or_default() += 1;
            let id = format!("top500-vendor-{}", slug(text));
            orgs.entry(id.clone())
                .or_insert((text.to_owned(), countries::UNKNOWN));
            id
        }
    }
}

/// Imports a TOP500 list.
///
/// # Errors
/// A missing column, a malformed row, an Rmax that is not a non-negative number,
/// a repeated System ID: each located.
pub fn import(file: Input<'_>) -> Result<Imported, ImportError> {
    let mut summary = Summary::default();
    let t = Table::parse(file)?;
    let c = |n: &str| t.column(n);
    let (c_rank, c_name, c_site, c_site_id, c_man, c_country, c_rmax, c_proc, c_acc, c_sys) = (
        c("Rank")?,
        c("Name")?,
        c("Site")?,
        c("Site ID")?,
        c("Manufacturer")?,
        c("Country")?,
        c("Rmax [TFlop/s]")?,
        c("Processor")?,
        c("Accelerator/Co-Processor")?,
        c("System ID")?,
    );
    let mut orgs: BTreeMap<String, (String, &'static str)> = BTreeMap::new();
    let mut sites: BTreeMap<String, (String, &'static str, String)> = BTreeMap::new();
    let mut chips: BTreeMap<String, (String, String, String)> = BTreeMap::new();
    let mut by_country: BTreeMap<&'static str, Vec<(String, String)>> = BTreeMap::new();
    let mut seen: BTreeMap<String, u64> = BTreeMap::new();
    for r in t.rows() {
        let sys = r.get(c_sys);
        if sys.is_empty() || sys.len() > 40 || !sys.chars().all(|ch| ch.is_ascii_alphanumeric()) {
            return Err(r.error(
                c_sys,
                &format!("`{sys}` is not a System ID"),
                "give the list's numeric System ID",
            ));
        }
        if let Some(first) = seen.get(sys) {
            return Err(r.error(
                c_sys,
                &format!("System ID {sys} appears twice (first at line {first})"),
                "keep one row per system",
            ));
        }
        seen.insert(sys.to_owned(), r.line());
        let country_text = r.get(c_country);
        let Some(cc) = countries::from_name(country_text) else {
            *summary.unmapped.entry(country_text.to_owned()).or_default() += 1;
            summary.skipped.push(Skipped {
                place: r.place(),
                reason: format!("Country {country_text:?} is not mapped to an ISO code"),
            });
            continue;
        };
        let rmax = match r.number(c_rmax)? {
            Some(x) if x >= 0.0 => x,
            _ => {
                return Err(r.error(
                    c_rmax,
                    &format!("Rmax `{}` is not a non-negative number", r.get(c_rmax)),
                    "write the measured Rmax in TFlop/s",
                ));
            }
        };
        let site_id = format!("top500-site-{}", slug(r.get(c_site_id)));
        sites.entry(site_id.clone()).or_insert((
            r.get(c_site).to_owned(),
            cc,
            format!("line {}", r.line()),
        ));
        let mut needs: Vec<String> = Vec::new();
        for (col, what) in [(c_proc, "processor"), (c_acc, "accelerator")] {
            let text = r.get(col);
            if text.is_empty() || text.eq_ignore_ascii_case("None") {
                continue;
            }
            let org = vendor_org(text, what, &mut summary, &mut orgs);
            let id = format!(
                "top500-{}-{}",
                if what == "processor" { "cpu" } else { "acc" },
                slug(text)
            );
            chips.entry(id.clone()).or_insert((
                text.to_owned(),
                org,
                format!("line {}, column {}", r.line(), t_header(what)),
            ));
            needs.push(id);
        }
        for integrator in r
            .get(c_man)
            .split([',', '/'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let org = vendor_org(integrator, "integrator", &mut summary, &mut orgs);
            if !needs.contains(&org) {
                needs.push(org);
            }
        }
        let id = format!("top500-{sys}");
        let mut node = format!(
            "  - id: {id}\n    name: {}\n    layer: compute\n    org: {site_id}\n    status: operational\n    capacity: {{ value: {}, unit: Rmax TFlop/s }}\n",
            q(&format!(
                "{} (TOP500 #{})",
                if r.get(c_name).is_empty() {
                    sys
                } else {
                    r.get(c_name)
                },
                r.get(c_rank)
            )),
            num(rmax)
        );
        if !needs.is_empty() {
            node.push_str("    needs:\n");
            for n in &needs {
                let _ = writeln!(node, "      - {n}");
            }
        }
        let _ = writeln!(
            node,
            "    sources: [{{ source: top500-2025-06, section: {} }}]",
            q(&format!(
                "line {}: Rank {}, Rmax {} TFlop/s, Country {country_text}",
                r.line(),
                r.get(c_rank),
                r.get(c_rmax)
            ))
        );
        by_country.entry(cc).or_default().push((id, node));
    }
    let mut out = String::from(
        "# Imported by `jenga import top500` (statistics of the TOP500 list, with attribution to top500.org; see NOTICE-TOP500.md).\nbibliography:\n  - id: top500-2025-06\n    title: \"TOP500 list, June 2025\"\n    author: \"TOP500 (Strohmaier, Dongarra, Simon, Meuer)\"\n    date: \"2025-06\"\n    url: \"https://top500.org/lists/top500/2025/06/\"\n    notes: \"No open licence; TOP500 permits sub-lists and statistics with attribution to top500.org.\"\n",
    );
    // Empty lists are left out: `organizations:` or `nodes:` with nothing after it is
    // null, which the loader rejects (found by the `import_top500` fuzz target).
    if !orgs.is_empty() || !sites.is_empty() {
        out.push_str("organizations:\n");
    }
    for (id, (name, j)) in &orgs {
        let _ = write!(
            out,
            "  - id: {id}\n    name: {}\n    jurisdiction: {j}\n    kind: company\n    sources: [top500-2025-06]\n",
            q(name)
        );
        if *j == countries::UNKNOWN {
            out.push_str("    notes: \"A vendor the import's table does not know (user-assigned code ZZ).\"\n");
        }
    }
    for (id, (name, j, line)) in &sites {
        let _ = write!(
            out,
            "  - id: {id}\n    name: {}\n    jurisdiction: {j}\n    sources: [{{ source: top500-2025-06, section: {} }}]\n",
            q(name),
            q(&format!("{line}, column Site"))
        );
    }
    if !chips.is_empty() {
        out.push_str("nodes:\n");
    }
    for (id, (name, org, place)) in &chips {
        let _ = write!(
            out,
            "  - id: {id}\n    name: {}\n    layer: chips\n    org: {org}\n    sources: [{{ source: top500-2025-06, section: {} }}]\n",
            q(name),
            q(place)
        );
    }
    let mut files = vec![
        OutFile {
            name: NOTICE_FILE.to_owned(),
            text: "# Attribution\n\nThe stack files in this directory are statistics of the TOP500 list of June 2025\n(<https://top500.org>), converted by `jenga import top500`. The list has no open licence;\nTOP500 permits sub-lists and statistics with attribution to top500.org.\n".to_owned(),
        },
        OutFile {
            name: "top500-vendors.yaml".to_owned(),
            text: out,
        },
    ];
    let systems: usize = by_country.values().map(Vec::len).sum();
    for (cc, nodes) in by_country {
        let ids: Vec<&str> = nodes.iter().map(|(id, _)| id.as_str()).collect();
        let mut text = format!(
            "# Imported by `jenga import top500` (attribution: top500.org).\ncountry: {cc}\nname: {}\ncapabilities: [{}]\nsources: [{{ source: top500-2025-06, section: \"column Country\" }}]\nnodes:\n",
            q(countries::name_of(cc).unwrap_or(cc)),
            ids.join(", ")
        );
        for (_, n) in &nodes {
            text.push_str(n);
        }
        files.push(OutFile {
            name: format!("top500-{}.yaml", cc.to_ascii_lowercase()),
            text,
        });
    }
    summary.count("systems", systems);
    summary.count("sites", sites.len());
    summary.count("processors and accelerators", chips.len());
    summary.count("vendors and integrators", orgs.len());
    Ok(Imported { files, summary })
}

/// The column a chip came from.
fn t_header(what: &str) -> &'static str {
    if what == "processor" {
        "Processor"
    } else {
        "Accelerator/Co-Processor"
    }
}
