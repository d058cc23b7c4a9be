//! Source checks: every fact cites a declared source with a valid date, the total
//! size within budget, no scaffold placeholder left, and quotes found in the source
//! texts ([`check_quotes`]).

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use super::Ctx;
use crate::diag::{Diagnostic, Diagnostics, Place, Suggester};
use crate::load::{Loaded, LoadedFile};
use crate::model::{Citation, Location, Spanned, Str};

pub(super) fn check_citations(ctx: &Ctx<'_>, out: &mut Diagnostics) {
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

pub(super) fn is_date(s: &str) -> bool {
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

pub(super) fn check_total_size(ctx: &Ctx<'_>, out: &mut Diagnostics) {
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
pub(super) fn check_placeholders(ctx: &Ctx<'_>, out: &mut Diagnostics) {
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
