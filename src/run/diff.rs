//! `jenga diff OLD NEW`: what changed between two stack directories, how the
//! chokepoint ranking and each country's exposure moved, in words, tables, JSON and a
//! figure.

use std::io::Write as _;
use std::path::Path;

use serde::Serialize;

use super::Error;
use crate::config::Config;
use crate::diff::moves::{self, Moves};
use crate::diff::{self as structure, Diff};
use crate::output::Format;
use crate::output::Table;
use crate::render::Figure;

/// The whole comparison, as `--format json` prints it (docs/json.md `## diff`).
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    /// The old directory, as given.
    pub old: String,
    /// The new directory, as given.
    pub new: String,
    /// What changed and how the analysis moved, in sentences.
    pub summary: Vec<String>,
    /// The structural changes.
    #[serde(flatten)]
    pub diff: &'a Diff,
    /// The analysis movement.
    #[serde(flatten)]
    pub moves: &'a Moves,
}

/// Runs `jenga diff`.
///
/// Both directories must pass `check` (a failure is a data error, exit 1).
pub fn run(
    config: &Config,
    old: &Path,
    new: &Path,
    format: Format,
    top: usize,
    figure: Option<&Path>,
    engine: crate::render::SvgEngine,
) -> Result<(), Error> {
    if top == 0 {
        return Err(Error::Usage(
            "`--top 0` compares nothing; give at least 1".to_owned(),
        ));
    }
    let figure_format = figure
        .map(|p| crate::config::figure_format(None, Some(p)))
        .transpose()?;
    let open_dir = |dir: &Path| {
        let mut c = config.clone();
        c.stacks = dir.to_owned();
        super::open(&c, false)
    };
    let (o, n) = (open_dir(old)?, open_dir(new)?);
    let spinner = crate::progress::Progress::spinner(config, "analysing both versions");
    let d = structure::diff(&o.world, &n.world);
    let m = moves::moves(&o.world, &n.world, top);
    spinner.finish();
    let report = Report {
        old: old.display().to_string(),
        new: new.display().to_string(),
        summary: summary(&d, &m),
        diff: &d,
        moves: &m,
    };
    if let Some(path) = figure {
        let fig = Figure::Diagram(crate::render::diff::figure(
            &o.world,
            &n.world,
            &d,
            &m,
            &format!("{} → {}", report.old, report.new),
        ));
        let bytes = super::common::figure_bytes(
            &fig,
            figure_format.unwrap_or(crate::render::FigureFormat::Svg),
            engine,
        )?;
        // Never inside either input directory.
        crate::fsutil::Writer::new(&config.stacks)
            .protect(old)
            .protect(new)
            .write_file(path, &bytes)?;
    }
    let text = match format {
        Format::Json => crate::output::to_json(&report).map_err(Error::from)?,
        Format::Csv | Format::Xlsx => flat(&d, &m).render(format),
        Format::Table | Format::Markdown => text(&report, format),
    };
    super::emit(config, format, &text)?;
    if !config.quiet {
        let moved = m.countries.iter().filter(|c| c.changed()).count();
        let ranked = m
            .chokepoints
            .iter()
            .filter(|c| c.movement != moves::Movement::Unchanged)
            .count();
        let _ = writeln!(
            std::io::stderr(),
            "{}; {} moved in the top {top}; {} whose exposure moved",
            structural_summary(&d),
            crate::diag::plural(ranked, "chokepoint"),
            crate::diag::plural(moved, "country"),
        );
    }
    Ok(())
}

/// One sentence on the structural changes.
fn structural_summary(d: &Diff) -> String {
    let changed_nodes = d
        .nodes_changed
        .iter()
        .map(|c| c.id.as_str())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let node_parts: Vec<String> = [
        (d.nodes_added.len(), "added"),
        (d.nodes_removed.len(), "removed"),
        (changed_nodes, "changed"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{} {what}", crate::diag::plural(n, "node")))
    .collect();
    let dep_parts: Vec<String> = [
        (d.dependencies_added.len(), "added"),
        (d.dependencies_removed.len(), "removed"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{} {what}", crate::diag::plural(n, "dependency")))
    .collect();
    let parts: Vec<String> = [node_parts.join(", "), dep_parts.join(", ")]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() {
        "no structural change".to_owned()
    } else {
        parts.join("; ")
    }
}

/// What changed and how the analysis moved, in sentences: the structure first, then
/// the chokepoints, then the countries.
pub fn summary(d: &Diff, m: &Moves) -> Vec<String> {
    let mut out = Vec::new();
    if d.is_empty() {
        out.push("The two directories describe the same graph.".to_owned());
    } else {
        let list = |v: &[structure::NodeRef]| {
            v.iter()
                .map(|n| format!("`{}`", n.id))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut s = format!("Structure: {}.", structural_summary(d));
        if !d.nodes_added.is_empty() {
            s.push_str(&format!(" Added: {}.", list(&d.nodes_added)));
        }
        if !d.nodes_removed.is_empty() {
            s.push_str(&format!(" Removed: {}.", list(&d.nodes_removed)));
        }
        out.push(s);
    }
    let ranking = moves::chokepoint_sentences(m);
    if ranking.is_empty() {
        out.push(format!("The top {} chokepoints did not move.", m.top));
    }
    out.extend(ranking);
    let countries = moves::country_sentences(m);
    if countries.is_empty() {
        out.push("No country's exposure moved.".to_owned());
    }
    out.extend(countries);
    out
}

fn place(p: Option<&moves::Place>) -> String {
    p.map_or(String::new(), |p| p.rank.to_string())
}

fn score(p: Option<&moves::Place>) -> String {
    p.map_or(String::new(), |p| {
        format!(
            "{}/{}/{}/{}/{}",
            p.capabilities_failed,
            p.countries_failed,
            p.countries_unknown,
            p.countries_degraded,
            p.exposure
        )
    })
}

/// The chokepoint movement as a table.
fn chokepoint_table(m: &Moves) -> Table {
    let mut t = Table::new([
        "movement",
        "id",
        "name",
        "old rank",
        "new rank",
        "old score",
        "new score",
    ])
    .titled(format!(
        "Chokepoints in the top {} of either ranking (score: capabilities failed / countries failed / countries unknown / countries degraded / exposure)",
        m.top
    ));
    for c in &m.chokepoints {
        t.push([
            c.movement.as_str().to_owned(),
            c.id.clone(),
            c.name.clone(),
            place(c.old.as_ref()),
            place(c.new.as_ref()),
            score(c.old.as_ref()),
            score(c.new.as_ref()),
        ]);
    }
    t
}

/// Rows `(measure, old, new)` of one country, only those that moved.
fn country_rows(c: &moves::CountryMove) -> Vec<(String, String, String)> {
    let mut rows = Vec::new();
    if c.presence != "both" {
        rows.push((
            "present".to_owned(),
            (c.presence == "removed").to_string(),
            (c.presence == "added").to_string(),
        ));
    }
    let count = |rows: &mut Vec<(String, String, String)>, what: &str, x: &moves::Count| {
        if x.old != x.new {
            rows.push((what.to_owned(), x.old.to_string(), x.new.to_string()));
        }
    };
    count(&mut rows, "capabilities", &c.capabilities);
    count(&mut rows, "cone size", &c.cone);
    for j in &c.foreign_gained {
        rows.push(("foreign jurisdiction".to_owned(), String::new(), j.clone()));
    }
    for j in &c.foreign_lost {
        rows.push(("foreign jurisdiction".to_owned(), j.clone(), String::new()));
    }
    count(&mut rows, "single points of failure", &c.single_points);
    for n in &c.single_points_gained {
        rows.push((
            "single point of failure".to_owned(),
            String::new(),
            n.id.clone(),
        ));
    }
    for n in &c.single_points_lost {
        rows.push((
            "single point of failure".to_owned(),
            n.id.clone(),
            String::new(),
        ));
    }
    for s in &c.cutoffs {
        let what = match s.removal.strip_prefix("jurisdiction:") {
            Some(j) => format!("cut off from {j}"),
            None => format!("without {}", s.removal),
        };
        rows.push((what, s.old.as_str().to_owned(), s.new.as_str().to_owned()));
    }
    rows
}

/// The exposure movement as a table.
fn country_table(m: &Moves) -> Table {
    let mut t = Table::new(["country", "name", "measure", "old", "new"])
        .titled("Country exposure that moved (cut-offs: worst capability status)");
    for c in &m.countries {
        for (what, o, n) in country_rows(c) {
            t.push([c.code.clone(), c.name.clone(), what, o, n]);
        }
    }
    t
}

/// A sentence as Markdown: ids between backticks become code spans, everything else
/// is escaped (so a name can never open a code span, a link or HTML).
fn markdown_sentence(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    let is_id = |p: &str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | ':'))
    };
    // An even number of backticks, each pair around an id: otherwise escape it all.
    if parts.len().is_multiple_of(2) || !parts.iter().skip(1).step_by(2).all(|p| is_id(p)) {
        return crate::output::markdown_cell(s);
    }
    parts
        .iter()
        .enumerate()
        .map(|(k, p)| {
            if !k.is_multiple_of(2) {
                format!("`{p}`")
            } else {
                crate::output::markdown_cell(p)
            }
        })
        .collect()
}

/// Text or Markdown: the sentences, then the three tables.
fn text(r: &Report<'_>, format: Format) -> String {
    let md = format == Format::Markdown;
    let mut out = String::new();
    if md {
        out.push_str(&format!(
            "## {} → {}\n\n",
            crate::output::markdown_cell(&r.old),
            crate::output::markdown_cell(&r.new)
        ));
        for s in &r.summary {
            out.push_str(&format!("- {}\n", markdown_sentence(s)));
        }
    } else {
        out.push_str(&format!(
            "{} → {}\n",
            crate::diag::sanitize(&r.old),
            crate::diag::sanitize(&r.new)
        ));
        for s in &r.summary {
            out.push_str(&format!("- {}\n", crate::diag::sanitize(s)));
        }
    }
    for t in [
        structure::to_table(r.diff),
        chokepoint_table(r.moves),
        country_table(r.moves),
    ] {
        out.push('\n');
        out.push_str(&t.render(format));
    }
    out
}

/// Everything as one CSV table: `change, id, name, field, old, new`.
fn flat(d: &Diff, m: &Moves) -> Table {
    let mut t = structure::to_table(d);
    for c in &m.chokepoints {
        let change = format!("chokepoint {}", c.movement.as_str());
        t.push([
            change.clone(),
            c.id.clone(),
            c.name.clone(),
            "rank".to_owned(),
            place(c.old.as_ref()),
            place(c.new.as_ref()),
        ]);
        if let (Some(o), Some(n)) = (&c.old, &c.new) {
            for (field, x, y) in [
                (
                    "capabilities failed",
                    o.capabilities_failed,
                    n.capabilities_failed,
                ),
                ("countries failed", o.countries_failed, n.countries_failed),
                (
                    "countries unknown",
                    o.countries_unknown,
                    n.countries_unknown,
                ),
                (
                    "countries degraded",
                    o.countries_degraded,
                    n.countries_degraded,
                ),
                ("exposure", o.exposure, n.exposure),
            ] {
                if x != y {
                    t.push([
                        change.clone(),
                        c.id.clone(),
                        c.name.clone(),
                        field.to_owned(),
                        x.to_string(),
                        y.to_string(),
                    ]);
                }
            }
        }
    }
    for c in &m.countries {
        for (what, o, n) in country_rows(c) {
            t.push([
                "exposure moved".to_owned(),
                c.code.clone(),
                c.name.clone(),
                what,
                o,
                n,
            ]);
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::markdown_sentence;

    #[test]
    fn markdown_sentences_keep_ids_as_code_and_escape_names() {
        assert_eq!(
            markdown_sentence("`h100` (H100 | *x*) fell."),
            "`h100` (H100 \\| \\*x\\*) fell."
        );
        assert_eq!(
            markdown_sentence("`a` (name with ` tick)"),
            "\\`a\\` (name with \\` tick)"
        );
        assert_eq!(markdown_sentence("`a b` x `c`"), "\\`a b\\` x \\`c\\`");
    }
}
