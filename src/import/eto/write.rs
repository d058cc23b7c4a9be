//! The ETO stack file: the bibliography entry, the providers as organizations, the
//! items as nodes (their supply as `any` groups), then the supply nodes.

use std::fmt::Write as _;

use super::read::{Item, Provider, Supply};
use super::{NOTICE_FILE, SOURCE_ID};
use crate::import::countries::{self, UNKNOWN};
use crate::import::{num, q};

/// The YAML of the stack file.
pub(super) fn stack_file(providers: &[Provider], items: &[Item], supply_nodes: &str) -> String {
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
    for p in providers {
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
    for item in items {
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
    out.push_str(supply_nodes);
    out
}
