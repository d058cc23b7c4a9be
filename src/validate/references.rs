//! Reference checks: every id a file uses is defined (with "did you mean"),
//! `inferred` entries name a need and cite a second source, `org` and `parent` point
//! at organizations.

use super::Ctx;
use super::DefKind;
use crate::diag::{Diagnostic, Diagnostics, Suggester};
use crate::load::LoadedFile;
use crate::model::{Citation, Location, Need, Spanned, Str};

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
pub(super) fn need_refs(n: &Spanned<Need>) -> Vec<(&str, Location)> {
    n.value
        .references()
        .into_iter()
        .map(|(id, loc)| (id, loc.unwrap_or(n.referenced)))
        .collect()
}

pub(super) fn check_references(ctx: &Ctx<'_>, out: &mut Diagnostics) {
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
pub(super) fn check_inferred(ctx: &Ctx<'_>, out: &mut Diagnostics) {
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

pub(super) fn check_org_references(ctx: &Ctx<'_>, out: &mut Diagnostics) {
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
