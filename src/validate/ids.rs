//! Identity checks: country file headers and codes, id syntax, duplicate ids,
//! jurisdictions and layers.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use super::Ctx;
use super::is_valid_id;
use crate::country::{self, CodeError};
use crate::diag::{Diagnostic, Diagnostics, did_you_mean};
use crate::load::LoadedFile;
use crate::model::{Layer, Location, Need, Spanned, Str};

pub(super) fn check_country_header(ctx: &Ctx<'_>, out: &mut Diagnostics) {
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

pub(super) fn check_code(
    file: &LoadedFile,
    code: &Spanned<Str>,
    what: &str,
    out: &mut Diagnostics,
) {
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

pub(super) fn check_id_syntax(ctx: &Ctx<'_>, out: &mut Diagnostics) {
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

pub(super) fn check_duplicate_ids(ctx: &Ctx<'_>, out: &mut Diagnostics) {
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

pub(super) fn duplicate(
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

pub(super) fn check_jurisdictions(ctx: &Ctx<'_>, out: &mut Diagnostics) {
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

pub(super) fn check_layers(ctx: &Ctx<'_>, out: &mut Diagnostics) {
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
