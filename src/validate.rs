//! Named checks over the parsed files, each collecting every problem it finds.
//!
//! [`validate`] runs the checks of [`CHECKS`] in order over all files at once (ids are
//! global across files) and returns every diagnostic. A world is built only from
//! files that pass without errors, so the analyses can rely on what is checked here:
//! ids are unique and well-formed, every reference resolves, thresholds are in range,
//! `org` points at an organization, and no node needs itself.

mod table_rows;

use std::collections::BTreeMap;

// Fx hashing: the maps are keyed by ids the files hold, read once per reference;
// SipHash's flooding resistance is not needed for a batch check of local files.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

use crate::country::{self, CodeError};
use crate::diag::{Diagnostic, Diagnostics, Place, SourceFile, Suggester, did_you_mean};
use crate::load::{Limits, Loaded, LoadedFile};
use crate::model::{Citation, Layer, Location, Need, Spanned, Str};

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
    check_country_header,
    check_id_syntax,
    check_duplicate_ids,
    check_jurisdictions,
    check_layers,
    check_references,
    check_inferred,
    check_org_references,
    check_thresholds,
    check_self_dependency,
    check_quantities,
    check_capabilities,
    check_citations,
    table_rows::check,
    check_placeholders,
    check_total_size,
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

fn check_country_header(ctx: &Ctx<'_>, out: &mut Diagnostics) {
    let mut seen: BTreeMap<&str, (&LoadedFile, Location)> = BTreeMap::new();
    for file in ctx.files {
        let d = &file.data;
        let Some(code) = &d.country else {
            if let Some(name) = &d.name {
                out.push(
                    Diagnostic::error("missing-country", "`name` without `country`")
                        .at(
                            Ctx::place(file, name.referenced),
                            "names a country that is not declared",
                        )
                        .help("add `country: XX` (its ISO 3166-1 alpha-2 code), or remove `name`"),
                );
            }
            if let Some(c) = d.capabilities.first() {
                out.push(
                    Diagnostic::error("missing-country", "`capabilities` without `country`")
                        .at(
                            Ctx::place(file, c.referenced),
                            "capabilities belong to a country",
                        )
                        .help("add `country: XX` and `name: ...` to this file"),
                );
            }
            continue;
        };
        check_code(file, code, "country", out);
        if d.name.is_none() {
            out.push(
                Diagnostic::error("missing-field", "missing field `name`")
                    .at(
                        Ctx::place(file, code.referenced),
                        "this country has no name",
                    )
                    .help("add `name: ...`, the country's display name"),
            );
        }
        if d.capabilities.is_empty() {
            out.push(
                Diagnostic::error("missing-field", "a country needs `capabilities`")
                    .at(Ctx::place(file, code.referenced), "no capabilities declared")
                    .help("add `capabilities: [id, ...]`: the nodes its sovereign-AI effort must keep"),
            );
        }
        if let Some((first, loc)) = seen.get(code.value.as_str()) {
            if ctx.country_extensions.contains(&file.source.path) {
                continue; // adds to the country another `--stacks` directory declares
            }
            out.push(
                Diagnostic::error(
                    "duplicate-country",
                    format!("country `{}` is declared twice", code.value),
                )
                .at(Ctx::place(file, code.referenced), "declared again here")
                .note(Ctx::place(first, *loc), "first declared here")
                .help("keep one file per country; move these nodes into the first file"),
            );
        } else {
            seen.insert(&code.value, (file, code.referenced));
        }
    }
}

fn check_code(file: &LoadedFile, code: &Spanned<Str>, what: &str, out: &mut Diagnostics) {
    let place = Ctx::place(file, code.referenced);
    match country::check(&code.value) {
        Ok(()) => {}
        Err(CodeError::Malformed) => out.push(
            Diagnostic::error("invalid-country-code", format!("`{}` is not a country code", code.value))
                .at(place, format!("{what} must be two capital letters"))
                .help("use an ISO 3166-1 alpha-2 code such as `SG` or `US`, `EU` for the European Union, or `XA`–`XZ` for a hypothetical country"),
        ),
        Err(CodeError::Unassigned) => {
            let hint = match code.value.as_str() {
                "UK" => "the United Kingdom is `GB` in ISO 3166-1".to_owned(),
                _ => "use an assigned ISO 3166-1 alpha-2 code, `EU`, or a user-assigned code (`AA`, `QM`–`QZ`, `XA`–`XZ`, `ZZ`) for a hypothetical country".to_owned(),
            };
            out.push(
                Diagnostic::error("invalid-country-code", format!("`{}` is not an ISO 3166-1 alpha-2 code", code.value))
                    .at(place, "unassigned code")
                    .help(hint),
            );
        }
    }
}

fn check_id_syntax(ctx: &Ctx<'_>, out: &mut Diagnostics) {
    for file in ctx.files {
        let ids = file
            .data
            .organizations
            .iter()
            .map(|o| &o.value.id)
            .chain(file.data.nodes.iter().map(|n| &n.value.id))
            .chain(file.data.bibliography.iter().map(|s| &s.value.id))
            .chain(file.data.groups.iter().map(|g| &g.value.id));
        for id in ids {
            if !is_valid_id(&id.value) {
                out.push(
                    Diagnostic::error("invalid-id", format!("`{}` is not a valid id", id.value))
                        .at(Ctx::place(file, id.referenced), "ids are plain names")
                        .help("use letters, digits, `-`, `_` and `.`, starting with a letter or digit (at most 128 characters), e.g. `sea-lion-v2`"),
                );
            }
        }
    }
}

fn check_duplicate_ids(ctx: &Ctx<'_>, out: &mut Diagnostics) {
    let mut first_source: HashMap<&str, (&LoadedFile, Location)> = HashMap::default();
    let mut first_group: HashMap<&str, (&LoadedFile, Location)> = HashMap::default();
    for file in ctx.files {
        let ids = file
            .data
            .organizations
            .iter()
            .map(|o| &o.value.id)
            .chain(file.data.nodes.iter().map(|n| &n.value.id));
        // The definitions index already holds each id's first definition (in this
        // same order); any other definition of the id is a duplicate.
        for id in ids {
            if let Some(def) = ctx.defs.get(id.value.as_str())
                && !(std::ptr::eq(def.file, file) && def.loc == id.referenced)
            {
                out.push(duplicate(file, id, "id", def.file, def.loc));
            }
        }
        for s in &file.data.bibliography {
            dup(&mut first_source, file, &s.value.id, "source id", out);
        }
        for g in &file.data.groups {
            dup(&mut first_group, file, &g.value.id, "group id", out);
        }
    }
}

fn dup<'a>(
    first: &mut HashMap<&'a str, (&'a LoadedFile, Location)>,
    file: &'a LoadedFile,
    id: &'a Spanned<Str>,
    what: &str,
    out: &mut Diagnostics,
) {
    if let Some((f, loc)) = first.get(id.value.as_str()) {
        out.push(duplicate(file, id, what, f, *loc));
    } else {
        first.insert(&id.value, (file, id.referenced));
    }
}

fn duplicate(
    file: &LoadedFile,
    id: &Spanned<Str>,
    what: &str,
    first: &LoadedFile,
    loc: Location,
) -> Diagnostic {
    Diagnostic::error(
        "duplicate-id",
        format!("{what} `{}` is defined twice", id.value),
    )
    .at(Ctx::place(file, id.referenced), "defined again here")
    .note(Ctx::place(first, loc), "first defined here")
    .help("ids are global across all files: rename one of them, or delete the copy")
}

fn check_jurisdictions(ctx: &Ctx<'_>, out: &mut Diagnostics) {
    for file in ctx.files {
        for o in &file.data.organizations {
            check_code(file, &o.value.jurisdiction, "a jurisdiction", out);
        }
        for g in &file.data.groups {
            for m in &g.value.members {
                check_code(file, m, "a group member", out);
            }
        }
    }
}

fn check_layers(ctx: &Ctx<'_>, out: &mut Diagnostics) {
    let names: Vec<&str> = Layer::ALL.iter().map(|l| l.as_str()).collect();
    for file in ctx.files {
        for n in &file.data.nodes {
            let unknown_layers = n.value.needs.iter().filter_map(|need| match &need.value {
                Need::Unknown { scope, .. } => scope.as_ref().map(|s| &s.layer),
                _ => None,
            });
            for layer in n.value.layer.iter().chain(unknown_layers) {
                if Layer::parse(&layer.value).is_some() {
                    continue;
                }
                let list = names
                    .iter()
                    .map(|l| format!("`{l}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let d =
                    Diagnostic::error("unknown-layer", format!("unknown layer `{}`", layer.value))
                        .at(Ctx::place(file, layer.referenced), "not a layer");
                out.push(match did_you_mean(&layer.value, names.iter().copied()) {
                    Some(s) => d.help(format!(
                        "did you mean `{s}`? (layers, bottom to top: {list})"
                    )),
                    None => d.help(format!("layers, bottom to top: {list}")),
                });
            }
        }
    }
}

impl Ctx<'_> {
    fn dangling(
        &self,
        file: &LoadedFile,
        id: &str,
        loc: Location,
        role: &str,
    ) -> Option<Diagnostic> {
        if self.defs.contains_key(id) || self.maybe_defined.contains(id) {
            return None;
        }
        let d = Diagnostic::error(
            "dangling-reference",
            format!("`{id}` is not defined in any file"),
        )
        .at(Ctx::place(file, loc), format!("unknown {role}"));
        let suggester = self
            .suggest_ids
            .get_or_init(|| Suggester::new(self.defs.keys().copied()));
        Some(match suggester.suggest(id) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None => d.help(format!(
                "define `{id}` under `nodes:` or `organizations:` in some file, or fix the reference"
            )),
        })
    }
}

/// The location of a plain-id need is the location of the term itself.
fn need_refs(n: &Spanned<Need>) -> Vec<(&str, Location)> {
    n.value
        .references()
        .into_iter()
        .map(|(id, loc)| (id, loc.unwrap_or(n.referenced)))
        .collect()
}

fn check_references(ctx: &Ctx<'_>, out: &mut Diagnostics) {
    for file in ctx.files {
        for n in &file.data.nodes {
            for need in &n.value.needs {
                for (id, loc) in need_refs(need) {
                    out.extend_opt(ctx.dangling(file, id, loc, "dependency"));
                }
            }
            for p in n.value.partners() {
                out.extend_opt(ctx.dangling(file, &p.value, p.referenced, "partner"));
            }
            if let Some(org) = &n.value.org {
                out.extend_opt(ctx.dangling(file, &org.value, org.referenced, "organization"));
            }
        }
        for o in &file.data.organizations {
            if let Some(p) = &o.value.parent {
                out.extend_opt(ctx.dangling(file, &p.value, p.referenced, "parent organization"));
            }
        }
        for c in &file.data.capabilities {
            out.extend_opt(ctx.dangling(file, &c.value, c.referenced, "capability"));
        }
    }
}

trait ExtendOpt {
    fn extend_opt(&mut self, d: Option<Diagnostic>);
}

impl ExtendOpt for Diagnostics {
    fn extend_opt(&mut self, d: Option<Diagnostic>) {
        if let Some(d) = d {
            self.push(d);
        }
    }
}

/// An `inferred` entry names one of its node's `needs`, gives a reason and cites at
/// least one source; one that cites a single source (no second source supporting the
/// inference) is a warning, an error under `--strict`.
fn check_inferred(ctx: &Ctx<'_>, out: &mut Diagnostics) {
    for file in ctx.files {
        for n in &file.data.nodes {
            let needs: Vec<&str> = n
                .value
                .needs
                .iter()
                .flat_map(|t| t.value.references())
                .map(|(id, _)| id)
                .collect();
            for i in n.value.inferred() {
                let need = &i.value.need;
                if !needs.contains(&need.value.as_str()) {
                    out.push(
                        Diagnostic::error(
                            "inferred-not-a-need",
                            format!(
                                "`{}` is marked inferred but is not in the `needs` of `{}`",
                                need.value, n.value.id.value
                            ),
                        )
                        .at(Ctx::place(file, need.referenced), "not one of the node's needs")
                        .help("name an id that the node's `needs` list (in any term), or remove the entry"),
                    );
                }
                if i.value.reason.trim().is_empty() {
                    out.push(
                        Diagnostic::error(
                            "inferred-without-reason",
                            format!("the inferred dependency on `{}` gives no reason", need.value),
                        )
                        .at(Ctx::place(file, i.referenced), "empty `reason`")
                        .help("say why the dependency is assumed although the source does not state it"),
                    );
                }
                if i.value.sources.is_empty() {
                    out.push(
                        Diagnostic::error(
                            "inferred-without-source",
                            format!(
                                "the inferred dependency on `{}` cites no source",
                                need.value
                            ),
                        )
                        .at(Ctx::place(file, i.referenced), "no `sources`")
                        .help("cite the source the reasoning rests on: `sources: [source-id]`"),
                    );
                } else if distinct_sources(&i.value.sources) < 2 {
                    out.push(
                        Diagnostic::warning(
                            "inferred-without-second-source",
                            format!(
                                "the inferred dependency on `{}` cites one source only",
                                need.value
                            ),
                        )
                        .at(
                            Ctx::place(file, i.value.sources[0].referenced),
                            "the passage it is drawn from, and no second source",
                        )
                        .help(
                            "cite a second source that supports the inference (a dataset row: \
                             `{ source: ID, section: \"FILE, row KEY, column COL\", quote: CELL }`), \
                             or state the dependency where the source states it; `--strict` makes this an error",
                        ),
                    );
                }
            }
        }
    }
}

/// How many different sources a citation list names (`O(n²)` on a list of a few).
fn distinct_sources(sources: &[Spanned<Citation>]) -> usize {
    let mut seen: Vec<&str> = Vec::new();
    for c in sources {
        if !seen.contains(&c.value.source.as_str()) {
            seen.push(c.value.source.as_str());
        }
    }
    seen.len()
}

fn check_org_references(ctx: &Ctx<'_>, out: &mut Diagnostics) {
    let not_org = |file: &LoadedFile, id: &Spanned<Str>, what: &str| -> Option<Diagnostic> {
        let def = ctx.defs.get(id.value.as_str())?;
        (def.kind != DefKind::Organization).then(|| {
            Diagnostic::error("not-an-organization", format!("`{}` is not an organization", id.value))
                .at(Ctx::place(file, id.referenced), format!("{what} must be an organization"))
                .note(Ctx::place(def.file, def.loc), "defined here as a node")
                .help(format!(
                    "declare `{}` under `organizations:` with a `jurisdiction`, or list it in `needs` instead",
                    id.value
                ))
        })
    };
    for file in ctx.files {
        for n in &file.data.nodes {
            if let Some(org) = &n.value.org {
                out.extend_opt(not_org(file, org, "`org`"));
            }
        }
        for o in &file.data.organizations {
            if let Some(p) = &o.value.parent {
                out.extend_opt(not_org(file, p, "`parent`"));
            }
        }
        for c in &file.data.capabilities {
            if let Some(def) = ctx.defs.get(c.value.as_str())
                && def.kind == DefKind::Organization
            {
                out.push(
                    Diagnostic::error("not-a-node", format!("capability `{}` is an organization", c.value))
                        .at(Ctx::place(file, c.referenced), "capabilities are nodes")
                        .note(Ctx::place(def.file, def.loc), "defined here as an organization")
                        .help("list the node that the country must keep (a model, a computer), not its owner"),
                );
            }
        }
    }
}

fn check_thresholds(ctx: &Ctx<'_>, out: &mut Diagnostics) {
    for file in ctx.files {
        for n in &file.data.nodes {
            for need in &n.value.needs {
                let members = match &need.value {
                    Need::Id(_) => continue,
                    Need::Any(m, _) => {
                        if m.is_empty() {
                            out.push(
                                Diagnostic::error(
                                    "empty-alternatives",
                                    "`any` lists no alternatives",
                                )
                                .at(Ctx::place(file, need.referenced), "nothing to choose from")
                                .help("list at least one id in `any: [...]`, or remove the term"),
                            );
                        }
                        m
                    }
                    Need::AtLeast { k, of, .. } => {
                        let n_of = of.len() as u64;
                        if of.is_empty() {
                            out.push(
                                Diagnostic::error(
                                    "empty-alternatives",
                                    "`of` lists no alternatives",
                                )
                                .at(Ctx::place(file, need.referenced), "nothing to choose from")
                                .help("list the candidates in `of: [...]`"),
                            );
                        } else if k.value == 0 || k.value > n_of {
                            out.push(
                                Diagnostic::error(
                                    "threshold-out-of-range",
                                    format!("`at-least: {}` of {} alternatives can never be met as intended", k.value, n_of),
                                )
                                .at(Ctx::place(file, k.referenced), format!("must be between 1 and {n_of}"))
                                .help(format!("write a k from 1 to {n_of}, or add alternatives to `of`")),
                            );
                        }
                        of
                    }
                    Need::Unknown {
                        among,
                        scope: Some(scope),
                        ..
                    } if among.is_empty() && scope.closed.as_ref().is_some_and(|c| c.value) => {
                        let at = scope
                            .closed
                            .as_ref()
                            .map_or(need.referenced, |c| c.referenced);
                        out.push(
                            Diagnostic::error(
                                "empty-alternatives",
                                "`closed: true` closes an empty list of candidates",
                            )
                            .at(Ctx::place(file, at), "no `among` to close")
                            .help(
                                "list the candidates in `among: [...]`, or remove `closed: true`",
                            ),
                        );
                        among
                    }
                    Need::Unknown { among, .. } => among,
                };
                let mut seen = HashSet::default();
                for m in members {
                    if !seen.insert(m.value.as_str()) {
                        out.push(
                            Diagnostic::error(
                                "duplicate-alternative",
                                format!("`{}` is listed twice in one term", m.value),
                            )
                            .at(Ctx::place(file, m.referenced), "repeated")
                            .help("list each alternative once"),
                        );
                    }
                }
            }
        }
    }
}

fn check_self_dependency(ctx: &Ctx<'_>, out: &mut Diagnostics) {
    for file in ctx.files {
        for n in &file.data.nodes {
            let me = n.value.id.value.as_str();
            for need in &n.value.needs {
                for (id, loc) in need_refs(need) {
                    if id == me {
                        out.push(
                            Diagnostic::error("self-dependency", format!("`{me}` needs itself"))
                                .at(Ctx::place(file, loc), "a node cannot depend on itself")
                                .help("remove this term; cycles through other nodes are fine"),
                        );
                    }
                }
            }
        }
        for o in &file.data.organizations {
            if let Some(p) = &o.value.parent
                && p.value == o.value.id.value
            {
                out.push(
                    Diagnostic::error(
                        "self-dependency",
                        format!("`{}` is its own parent", p.value),
                    )
                    .at(
                        Ctx::place(file, p.referenced),
                        "an organization cannot own itself",
                    )
                    .help("remove `parent`, or name the owning organization"),
                );
            }
        }
    }
}

/// Shares are percentages (finite, 0 to 100); a capacity is a finite amount of at
/// least 0 in a named unit.
fn check_quantities(ctx: &Ctx<'_>, out: &mut Diagnostics) {
    for file in ctx.files {
        for n in &file.data.nodes {
            for need in &n.value.needs {
                for share in need.value.shares().into_iter().flatten().flatten() {
                    if !(share.value.is_finite() && (0.0..=100.0).contains(&share.value)) {
                        out.push(
                            Diagnostic::error(
                                "share-out-of-range",
                                format!("share {} is not a percentage", share.value),
                            )
                            .at(Ctx::place(file, share.referenced), "must be from 0 to 100")
                            .help("write the member's share of the supply in percent (40 for 40 %), or leave `share` out when the sources give none"),
                        );
                    }
                }
            }
            if let Some(c) = &n.value.capacity {
                if !(c.value.value.is_finite() && c.value.value >= 0.0) {
                    out.push(
                        Diagnostic::error(
                            "capacity-out-of-range",
                            format!("capacity {} is not an amount", c.value.value),
                        )
                        .at(Ctx::place(file, c.value.referenced), "must be a finite number of at least 0")
                        .help("write the amount in `value` and its unit in `unit` (`{ value: 20000, unit: H100e }`)"),
                    );
                }
                if c.unit.value.trim().is_empty() {
                    out.push(
                        Diagnostic::error("capacity-unit", "capacity has an empty unit")
                            .at(Ctx::place(file, c.unit.referenced), "name the unit")
                            .help("write a unit such as `H100e`, `MW`, `Rmax TFlop/s` or `GPUs`"),
                    );
                }
            }
        }
    }
}

fn check_capabilities(ctx: &Ctx<'_>, out: &mut Diagnostics) {
    for file in ctx.files {
        let mut seen = HashSet::default();
        for c in &file.data.capabilities {
            if !seen.insert(c.value.as_str()) {
                out.push(
                    Diagnostic::error(
                        "duplicate-capability",
                        format!("capability `{}` is listed twice", c.value),
                    )
                    .at(Ctx::place(file, c.referenced), "repeated")
                    .help("list each capability once"),
                );
            }
        }
    }
}

fn check_citations(ctx: &Ctx<'_>, out: &mut Diagnostics) {
    let cite = |file: &LoadedFile, c: &Spanned<Citation>, out: &mut Diagnostics| {
        if !ctx.sources.contains_key(c.value.source.as_str()) {
            let d = Diagnostic::error(
                "unknown-source",
                format!("source `{}` is not declared", c.value.source),
            )
            .at(Ctx::place(file, c.referenced), "not in any `bibliography`");
            let suggester = ctx
                .suggest_sources
                .get_or_init(|| Suggester::new(ctx.sources.keys().copied()));
            out.push(match suggester.suggest(&c.value.source) {
                Some(s) => d.help(format!("did you mean `{s}`?")),
                None => d.help(
                    "declare it once under `bibliography:` with `id`, `title`, `author` and `date`",
                ),
            });
        }
    };
    for file in ctx.files {
        for c in &file.data.sources {
            cite(file, c, out);
        }
        for s in &file.data.bibliography {
            if !is_date(&s.value.date.value) {
                out.push(
                    Diagnostic::error(
                        "invalid-date",
                        format!("`{}` is not a date", s.value.date.value),
                    )
                    .at(
                        Ctx::place(file, s.value.date.referenced),
                        "expected YYYY, YYYY-MM or YYYY-MM-DD",
                    )
                    .help("write the publication date as `2024-11-20`, `2024-11` or `2024`"),
                );
            }
        }
        for g in &file.data.groups {
            for c in &g.value.sources {
                cite(file, c, out);
            }
        }
        for o in &file.data.organizations {
            for c in &o.value.sources {
                cite(file, c, out);
            }
            if o.value.sources.is_empty() {
                out.push(missing_source(file, &o.value.id, "organization"));
            }
        }
        for n in &file.data.nodes {
            for c in n
                .value
                .sources
                .iter()
                .chain(n.value.inferred().iter().flat_map(|i| &i.value.sources))
            {
                cite(file, c, out);
            }
            if n.value.sources.is_empty() {
                out.push(missing_source(file, &n.value.id, "node"));
            }
        }
    }
}

fn missing_source(file: &LoadedFile, id: &Spanned<Str>, what: &str) -> Diagnostic {
    Diagnostic::warning(
        "missing-source",
        format!("{what} `{}` cites no source", id.value),
    )
    .at(
        Place::from_location(Ctx::source(file), id.referenced),
        "no `sources`",
    )
    .help("add `sources: [source-id]` naming the bibliography entry that states this fact")
}

fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| p.len() == len && p.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y] => num(y, 4),
        [y, m] => num(y, 4) && num(m, 2) && matches!(m.parse::<u8>(), Ok(1..=12)),
        [y, m, d] => {
            num(y, 4)
                && num(m, 2)
                && num(d, 2)
                && matches!(m.parse::<u8>(), Ok(1..=12))
                && matches!(d.parse::<u8>(), Ok(1..=31))
        }
        _ => false,
    }
}

fn check_total_size(ctx: &Ctx<'_>, out: &mut Diagnostics) {
    let total: usize = ctx
        .files
        .iter()
        .map(|f| f.data.nodes.len() + f.data.organizations.len())
        .sum();
    if total > ctx.limits.max_total_nodes {
        let file = ctx.files.last().map(Ctx::source);
        let d = Diagnostic::error(
            "budget",
            format!("{total} nodes exceed the limit of {}", ctx.limits.max_total_nodes),
        )
        .help("raise the limit with `--max-nodes`, or check that `--stacks` points at the right directory");
        out.push(match file {
            Some(f) => d.at(Place::file_start(f), ""),
            None => d,
        });
    }
}

/// A scaffold's `TODO` left in a value (not in a comment): a warning, so `jenga check`
/// passes a fresh scaffold and `jenga check --strict` fails it until every placeholder
/// is replaced. Comments are skipped (a `#` after a blank or at the start of a line,
/// outside quotes).
fn check_placeholders(ctx: &Ctx<'_>, out: &mut Diagnostics) {
    for file in ctx.files {
        for (n, line) in file.source.text.lines().enumerate() {
            let code = strip_comment(line);
            let Some(at) = code.find("TODO") else {
                continue;
            };
            let column = line[..at].chars().count() + 1;
            let loc = Location::new(
                u32::try_from(n + 1).unwrap_or(u32::MAX),
                u32::try_from(column).unwrap_or(u32::MAX),
                4,
            );
            out.push(
                Diagnostic::warning("placeholder", "a `TODO` placeholder is left in the data")
                    .at(Place::from_location(Ctx::source(file), loc), "placeholder")
                    .help("replace it with what the source says (or remove the field)"),
            );
        }
    }
}

/// `line` up to its YAML comment, if any.
fn strip_comment(line: &str) -> &str {
    let (mut single, mut double) = (false, false);
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match c {
            '\'' if !double => single = !single,
            '"' if !single && prev != '\\' => double = !double,
            '#' if !single && !double && prev.is_whitespace() => return &line[..i],
            _ => {}
        }
        prev = c;
    }
    line
}

/// The source text normalised as quotes are compared with it: the Markdown escapes of
/// `$` dropped and `[text](#)` links reduced to their text (the article's own markup).
fn normalise_source(text: &str) -> String {
    let s = text.replace("\\\\$", "$").replace("\\$", "$");
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(open) = rest.find('[') {
        match rest[open..].find("](#)") {
            Some(close) => {
                out.push_str(&rest[..open]);
                out.push_str(&rest[open + 1..open + close]);
                rest = &rest[open + close + 4..];
            }
            None => {
                out.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every quote of a citation whose source's text is in `texts` (by source id) occurs
/// in that text, verbatim: an error at the citation otherwise.
///
/// # Complexity
/// O(T + Q · T) for texts of total length T and Q quotes (substring search).
pub fn check_quotes(loaded: &Loaded, texts: &BTreeMap<String, String>) -> Diagnostics {
    let mut out = Diagnostics::new();
    if texts.is_empty() {
        return out;
    }
    let texts: HashMap<&str, String> = texts
        .iter()
        .map(|(k, v)| (k.as_str(), normalise_source(v)))
        .collect();
    for file in &loaded.files {
        let d = &file.data;
        let citations = d
            .sources
            .iter()
            .chain(d.groups.iter().flat_map(|g| &g.value.sources))
            .chain(d.organizations.iter().flat_map(|o| &o.value.sources))
            .chain(d.nodes.iter().flat_map(|n| &n.value.sources))
            .chain(
                d.nodes
                    .iter()
                    .flat_map(|n| n.value.inferred())
                    .flat_map(|i| &i.value.sources),
            );
        for c in citations {
            let (Some(q), Some(text)) = (&c.value.quote, texts.get(c.value.source.as_str())) else {
                continue;
            };
            if !text.contains(q.as_str()) {
                out.push(
                    Diagnostic::error(
                        "quote-not-in-source",
                        format!("this quote is not in the text of `{}`", c.value.source),
                    )
                    .at(Ctx::place(file, c.referenced), "not found verbatim")
                    .help("copy the passage exactly as the source prints it (curly quotes and apostrophes included)"),
                );
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
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
