//! Several stacks directories loaded as one world (`--stacks A --stacks B ...`), and
//! the link files that join them.
//!
//! One directory (the default, `stacks/`) loads exactly as [`crate::load`] loads it.
//! With more, the directories ("roots") are read in the order given and merged by
//! these rules, applied before validation:
//!
//! 1. **Organizations**: an organization id declared by more than one root is one
//!    organization when every declaration gives the same jurisdiction; the first root's
//!    declaration (name, kind, sources) is kept and the later ones are dropped. Seed
//!    and importers use plain ids for firms (`nvidia`, `tsmc`), so Epoch's and
//!    TOP500's `nvidia` are the seed's Nvidia. Declarations that disagree on the
//!    jurisdiction are all kept, so `check` reports the `duplicate-id`. Within one root
//!    a repeated id stays an error.
//! 2. **Countries**: a country declared by more than one root is one country: the
//!    first root's file names it, and the later roots' files for it add their nodes and
//!    capabilities (their nodes keep that country as their jurisdiction). Within one
//!    root a repeated country stays an error.
//! 3. **Node, group and source ids** are never merged: a node id declared by two roots
//!    is a `duplicate-id` error. The importers prefix their node ids (`eto-`, `epoch-`,
//!    `top500-`) so their layers never collide with each other or with the seed.
//! 4. **Link files** (`*.links.yaml` in any root, never read as stack files) add
//!    required dependencies between the roots' nodes: `node: h100` `needs:
//!    epoch-chip-nvidia-h100-sxm5-80gb`, each with the citation it rests on. A link
//!    file applies only when every source id of its `applies-with` list is declared
//!    by a loaded root (the imported layer it points into is present); otherwise it is
//!    skipped whole. When it applies, each link's ids must be declared (a located
//!    error otherwise) and its citation is added to the node's sources.
//!
//! Cost: linear in the declarations and links (hash maps keyed by id).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::{Diagnostic, Place};
use crate::load::{self, Limits, LoadError, Loaded};
use crate::model::{Citation, Location, Need, Spanned, Str};

/// A link file: dependencies added between nodes of different roots.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct LinkFile {
    /// Source (bibliography) ids that must all be declared for the file to apply.
    applies_with: Vec<Spanned<Str>>,
    /// The links.
    links: Vec<Spanned<Link>>,
}

/// One added dependency.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Link {
    /// The node that gains the dependency.
    node: Spanned<Str>,
    /// What it needs (a node or organization id).
    needs: Spanned<Str>,
    /// What the link rests on.
    source: Citation,
}

/// Whether `path` names a link file rather than a stack file.
pub fn is_link_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".links.yaml") || n.ends_with(".links.yml"))
}

/// What [`load_roots`] did beyond loading.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Merged {
    /// Organization declarations dropped as the same organization as an earlier root's.
    pub organizations: usize,
    /// Files whose country an earlier root declares (they add to it).
    pub country_files: usize,
    /// Links added.
    pub links: usize,
    /// Link files skipped because a source of their `applies-with` is not loaded.
    pub skipped_link_files: Vec<PathBuf>,
}

/// The YAML files of every root, in root order then path order, and the link files.
pub fn find_all(
    roots: &[PathBuf],
    limits: &Limits,
) -> Result<(Vec<PathBuf>, Vec<PathBuf>), LoadError> {
    let mut stacks = Vec::new();
    let mut links = Vec::new();
    for root in roots {
        for p in load::find_files(root, limits)? {
            if is_link_file(&p) {
                links.push(p);
            } else {
                stacks.push(p);
            }
        }
    }
    if stacks.len() > limits.max_files {
        return Err(LoadError(format!(
            "more than {} YAML files under the stacks directories; is `--stacks` pointing at the right directories?",
            limits.max_files
        )));
    }
    Ok((stacks, links))
}

/// Loads every root and merges them by the rules of the module documentation.
/// `on_file` is called after each stack file is parsed.
pub fn load_roots(
    roots: &[PathBuf],
    limits: &Limits,
    on_file: &(dyn Fn() + Sync),
) -> Result<(Loaded, Merged), LoadError> {
    let mut root_of = Vec::new();
    let mut paths = Vec::new();
    let mut link_paths = Vec::new();
    for (r, root) in roots.iter().enumerate() {
        let (s, l) = find_all(std::slice::from_ref(root), limits)?;
        root_of.extend(std::iter::repeat_n(r, s.len()));
        paths.extend(s);
        link_paths.extend(l);
    }
    if paths.len() > limits.max_files {
        return Err(LoadError(format!(
            "more than {} YAML files under the stacks directories; is `--stacks` pointing at the right directories?",
            limits.max_files
        )));
    }
    // Parse all files at once, then say which root each parsed file came from.
    let mut loaded = load::load_files_observed(&paths, limits, on_file);
    let root_by_path: HashMap<&Path, usize> = paths
        .iter()
        .map(PathBuf::as_path)
        .zip(root_of.iter().copied())
        .collect();
    let roots_of: Vec<usize> = loaded
        .files
        .iter()
        .map(|f| {
            root_by_path
                .get(f.source.path.as_path())
                .copied()
                .unwrap_or(0)
        })
        .collect();
    let mut merged = Merged::default();
    if roots.len() > 1 {
        merge(&mut loaded, &roots_of, &mut merged);
    }
    for p in &link_paths {
        apply_links(p, &mut loaded, limits, &mut merged);
    }
    Ok((loaded, merged))
}

/// Rules 1 and 2: organizations of later roots that repeat an earlier root's with the
/// same jurisdiction are dropped; files whose country an earlier root declares are
/// marked as adding to it.
fn merge(loaded: &mut Loaded, roots_of: &[usize], merged: &mut Merged) {
    // id -> (root, jurisdiction) of the first declaration.
    let mut orgs: HashMap<Str, (usize, Str)> = HashMap::new();
    let mut countries: HashMap<Str, usize> = HashMap::new();
    for (f, &root) in loaded.files.iter_mut().zip(roots_of) {
        let d = &mut f.data;
        let before = d.organizations.len();
        d.organizations.retain(|o| {
            let o = &o.value;
            match orgs.get(&o.id.value) {
                Some((r, j)) => !(*r < root && *j == o.jurisdiction.value),
                None => {
                    orgs.insert(o.id.value.clone(), (root, o.jurisdiction.value.clone()));
                    true
                }
            }
        });
        merged.organizations += before - d.organizations.len();
        if let Some(code) = &d.country {
            match countries.get(&code.value) {
                Some(r) if *r < root => {
                    loaded.country_extensions.insert(f.source.path.clone());
                    merged.country_files += 1;
                }
                Some(_) => {}
                None => {
                    countries.insert(code.value.clone(), root);
                }
            }
        }
    }
}

/// Rule 4: reads one link file and, when its `applies-with` sources are loaded, adds
/// its links; problems become located diagnostics in `loaded`.
fn apply_links(path: &Path, loaded: &mut Loaded, limits: &Limits, merged: &mut Merged) {
    let (source, file) = match load::parse_yaml_file::<LinkFile>(path, limits) {
        Ok(x) => x,
        Err(d) => {
            loaded.diagnostics.push(*d);
            return;
        }
    };
    let declared_sources: HashSet<&str> = loaded
        .files
        .iter()
        .flat_map(|f| &f.data.bibliography)
        .map(|s| s.value.id.value.as_str())
        .collect();
    if !file
        .applies_with
        .iter()
        .all(|s| declared_sources.contains(s.value.as_str()))
    {
        merged.skipped_link_files.push(path.to_owned());
        return;
    }
    let at = |loc: Location| Place::from_location(&source, loc);
    if file.applies_with.is_empty() {
        loaded.diagnostics.push(
            Diagnostic::error("missing-field", "a link file needs `applies-with`")
                .at(Place::file_start(&source), "no source listed")
                .help("list the source ids of the layers the links point into, e.g. `applies-with: [epoch-ml-hardware]`"),
        );
        return;
    }
    // id -> (file index, node index or None for an organization).
    let mut defs: HashMap<&str, (usize, Option<usize>)> = HashMap::new();
    for (k, f) in loaded.files.iter().enumerate() {
        for o in &f.data.organizations {
            defs.entry(o.value.id.value.as_str()).or_insert((k, None));
        }
        for (n, node) in f.data.nodes.iter().enumerate() {
            defs.entry(node.value.id.value.as_str())
                .or_insert((k, Some(n)));
        }
    }
    let mut problems = Vec::new();
    let mut adds = Vec::new();
    for l in &file.links {
        let l = &l.value;
        if !declared_sources.contains(l.source.source.as_str()) {
            problems.push(
                Diagnostic::error(
                    "unknown-source",
                    format!("source `{}` is not declared", l.source.source),
                )
                .at(at(l.node.referenced), "this link's citation")
                .help("cite a source that a loaded stack file declares under `bibliography`"),
            );
            continue;
        }
        let Some(&(k, Some(n))) = defs.get(l.node.value.as_str()) else {
            problems.push(
                Diagnostic::error("unknown-id", format!("link from `{}`, which no loaded file declares as a node", l.node.value))
                    .at(at(l.node.referenced), "not a node of the loaded stacks")
                    .help("name a node id of the loaded stacks directories (a link needs a node, not an organization, on its left)"),
            );
            continue;
        };
        if !defs.contains_key(l.needs.value.as_str()) {
            problems.push(
                Diagnostic::error("unknown-id", format!("link to `{}`, which no loaded file declares", l.needs.value))
                    .at(at(l.needs.referenced), "not declared")
                    .help("name a node or organization id of the loaded stacks directories, or add the directory that declares it with another `--stacks`"),
            );
            continue;
        }
        if l.node.value == l.needs.value {
            problems.push(
                Diagnostic::error(
                    "self-dependency",
                    format!("`{}` is linked to itself", l.node.value),
                )
                .at(at(l.needs.referenced), "the same id as `node`")
                .help("remove the link"),
            );
            continue;
        }
        adds.push((k, n, l.needs.value.clone(), l.source.clone()));
    }
    if !problems.is_empty() {
        for p in problems {
            loaded.diagnostics.push(p);
        }
        return;
    }
    merged.links += adds.len();
    for (k, n, needs, citation) in adds {
        // The added terms carry no location: they are not written in the node's file,
        // and their ids were checked above against the loaded declarations.
        let node = &mut loaded.files[k].data.nodes[n].value;
        let already = node
            .needs
            .iter()
            .any(|t| matches!(&t.value, Need::Id(id) if *id == needs));
        if !already {
            node.needs.push(Spanned {
                value: Need::Id(needs),
                referenced: Location::default(),
            });
        }
        node.sources.push(Spanned {
            value: citation,
            referenced: Location::default(),
        });
    }
}
