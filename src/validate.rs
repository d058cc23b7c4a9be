//! Named checks over the parsed files, each collecting every problem it finds.
//!
//! [`validate`] runs the checks of [`CHECKS`] in order over all files at once (ids are
//! global across files) and returns every diagnostic. A world is built only from
//! files that pass without errors, so the analyses can rely on what is checked here:
//! ids are unique and well-formed, every reference resolves, thresholds are in range,
//! `org` points at an organization, and no node needs itself.

mod ids;
mod references;
mod sources;
mod table_rows;
mod values;

// Fx hashing: the maps are keyed by ids the files hold, read once per reference;
// SipHash's flooding resistance is not needed for a batch check of local files.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

use crate::diag::{Diagnostics, Place, SourceFile, Suggester};
use crate::load::{Limits, Loaded, LoadedFile};
use crate::model::Location;
pub use sources::check_quotes;

/// What an id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefKind {
    /// An entry of `organizations`.
    Organization,
    /// An entry of `nodes`.
    Node,
}

/// Where an id is defined.
#[derive(Debug, Clone)]
struct Def<'a> {
    file: &'a LoadedFile,
    loc: Location,
    kind: DefKind,
}

/// What the checks share: the files and an index of every definition.
pub struct Ctx<'a> {
    files: &'a [LoadedFile],
    /// Files that add to a country an earlier stacks directory declares.
    country_extensions: &'a std::collections::HashSet<std::path::PathBuf>,
    defs: HashMap<&'a str, Def<'a>>,
    sources: HashMap<&'a str, (&'a LoadedFile, Location)>,
    /// Ids that a file which failed to parse seems to define: references to them are
    /// not reported as dangling, since the real error is the broken file.
    maybe_defined: HashSet<String>,
    limits: Limits,
    /// "Did you mean" over the defined ids, built at the first dangling reference.
    suggest_ids: std::sync::OnceLock<Suggester<'a>>,
    /// "Did you mean" over the declared sources.
    suggest_sources: std::sync::OnceLock<Suggester<'a>>,
}

/// One named check.
pub type Check = fn(&Ctx<'_>, &mut Diagnostics);

/// The checks, in the order they run.
pub const CHECKS: &[Check] = &[
    ids::check_country_header,
    ids::check_id_syntax,
    ids::check_duplicate_ids,
    ids::check_jurisdictions,
    ids::check_layers,
    references::check_references,
    references::check_inferred,
    references::check_org_references,
    values::check_thresholds,
    values::check_self_dependency,
    values::check_quantities,
    values::check_capabilities,
    sources::check_citations,
    table_rows::check,
    sources::check_placeholders,
    sources::check_total_size,
];

/// Runs every check over `loaded` and returns what they found, sorted by place.
pub fn validate(loaded: &Loaded, limits: &Limits) -> Diagnostics {
    let ctx = Ctx::new(loaded, *limits);
    let mut out = Diagnostics::new();
    for check in CHECKS {
        check(&ctx, &mut out);
    }
    out.sort();
    out
}

impl<'a> Ctx<'a> {
    fn new(loaded: &'a Loaded, limits: Limits) -> Ctx<'a> {
        let count: usize = loaded
            .files
            .iter()
            .map(|f| f.data.organizations.len() + f.data.nodes.len())
            .sum();
        // Sized once: a table grown by doubling briefly holds both its old and new
        // arrays, at the moment the parsed files weigh most.
        let mut defs = HashMap::with_capacity_and_hasher(count, Default::default());
        let mut sources = HashMap::default();
        for file in &loaded.files {
            for o in &file.data.organizations {
                defs.entry(o.value.id.value.as_str()).or_insert(Def {
                    file,
                    loc: o.value.id.referenced,
                    kind: DefKind::Organization,
                });
            }
            for n in &file.data.nodes {
                defs.entry(n.value.id.value.as_str()).or_insert(Def {
                    file,
                    loc: n.value.id.referenced,
                    kind: DefKind::Node,
                });
            }
            for s in &file.data.bibliography {
                sources
                    .entry(s.value.id.value.as_str())
                    .or_insert((file, s.value.id.referenced));
            }
        }
        let maybe_defined = loaded
            .diagnostics
            .items()
            .iter()
            .filter_map(|d| d.place.as_ref())
            .flat_map(|p| ids_in_text(&p.file.text))
            .collect();
        Ctx {
            files: &loaded.files,
            country_extensions: &loaded.country_extensions,
            defs,
            sources,
            maybe_defined,
            limits,
            suggest_ids: std::sync::OnceLock::new(),
            suggest_sources: std::sync::OnceLock::new(),
        }
    }

    fn place(file: &LoadedFile, loc: Location) -> Place {
        Place::from_location(&file.source, loc)
    }

    fn source(file: &LoadedFile) -> &Arc<SourceFile> {
        &file.source
    }
}

/// Ids a broken file appears to define (`id: x` lines), found without parsing it.
fn ids_in_text(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            let t = l.trim_start().trim_start_matches("- ").trim_start();
            let rest = t.strip_prefix("id:")?;
            let v = rest
                .split('#')
                .next()?
                .trim()
                .trim_matches(|c| c == '"' || c == '\'');
            (!v.is_empty()).then(|| v.to_owned())
        })
        .collect()
}

/// Whether `id` is a well-formed id: ASCII letters, digits, `-`, `_`, `.`, starting
/// with a letter or digit, at most 128 characters. Ids become file names and
/// command-line selectors, so nothing else is allowed.
pub fn is_valid_id(id: &str) -> bool {
    let b = id.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && b[0].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

#[cfg(test)]
mod tests {
    use super::sources::is_date;
    use super::*;

    #[test]
    fn ids() {
        assert!(is_valid_id("sea-lion-v2"));
        assert!(is_valid_id("G1.a_b"));
        assert!(!is_valid_id("../etc"));
        assert!(!is_valid_id("-x"));
        assert!(!is_valid_id("a b"));
        assert!(!is_valid_id("jurisdiction:US"));
        assert!(!is_valid_id(""));
    }

    #[test]
    fn dates() {
        assert!(is_date("2024"));
        assert!(is_date("2024-11"));
        assert!(is_date("2024-11-20"));
        assert!(!is_date("2024-13"));
        assert!(!is_date("Nov 2024"));
    }

    #[test]
    fn ids_in_broken_text() {
        assert_eq!(
            ids_in_text("nodes:\n  - id: a # x\n    name: A\n  - id: \"b\"\n"),
            vec!["a", "b"]
        );
    }
}
