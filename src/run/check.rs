//! `jenga check`: validate every stack file, print every diagnostic and the counts
//! (or one JSON document with them).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::{Error, open_with, print_stdout};
use crate::config::Config;
use crate::diag::{Diagnostics, counted, plural};
use crate::load;
use crate::output::CheckFormat;
use crate::validate;

/// The JSON document of `jenga check --format json` (docs/json.md): whether the data
/// passed, the counts (`null` when it did not load), every diagnostic.
fn check_json(
    ok: bool,
    counts: Option<(usize, usize, usize, usize)>,
    diags: &Diagnostics,
) -> String {
    let (files, countries, nodes, organizations) = match counts {
        Some((f, c, n, o)) => (Some(f), Some(c), Some(n), Some(o)),
        None => (None, None, None, None),
    };
    let doc = serde_json::json!({
        "ok": ok,
        "files": files,
        "countries": countries,
        "nodes": nodes,
        "organizations": organizations,
        "errors": diags.error_count(false),
        "warnings": diags.warning_count(false),
        "diagnostics": diags.to_json(),
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// `jenga check`: loads and validates every file of the stacks (and, with
/// `sources_dir` or `JENGA_SOURCE_TEXT`, every quote against its source's text), and
/// reports every diagnostic at once; with `strict`, warnings fail too.
///
/// # Errors
/// [`Error::Data`] with the diagnostics when any is an error.
pub fn run(
    config: &Config,
    strict: bool,
    sources_dir: Option<&Path>,
    format: CheckFormat,
) -> Result<(), Error> {
    let json = format == CheckFormat::Json;
    let env = std::env::var_os("JENGA_SOURCE_TEXT").map(PathBuf::from);
    let mut checked = 0usize;
    let opened = match open_with(config, strict, |loaded| {
        let texts = source_texts(loaded, sources_dir, env.as_deref());
        checked = texts.len();
        validate::check_quotes(loaded, &texts)
    }) {
        Ok(o) => o,
        Err(Error::Data(diags)) if json => {
            print_stdout(check_json(false, None, &diags))?;
            return Err(Error::Data(diags));
        }
        Err(e) => return Err(e),
    };
    let w = &opened.world;
    if json {
        let orgs = w.indices().filter(|&i| w.node(i).is_org()).count();
        print_stdout(check_json(
            true,
            Some((opened.files, w.countries.len(), w.len() - orgs, orgs)),
            &opened.warnings,
        ))?;
    }
    let mut err = std::io::stderr().lock();
    // `--quiet` prints nothing but results and errors: warnings (errors under
    // `--strict`, printed by the caller then) are left out, as is the summary.
    if !config.quiet && !opened.warnings.items().is_empty() {
        let _ = write!(err, "{}", opened.warnings.render(config.color));
    }
    if !config.quiet {
        let orgs = w.indices().filter(|&i| w.node(i).is_org()).count();
        let _ = writeln!(
            err,
            "checked {}: {}, {}, {}; {}",
            plural(opened.files, "file"),
            plural(w.countries.len(), "country"),
            plural(w.len() - orgs, "node"),
            plural(orgs, "organization"),
            if opened.warnings.items().is_empty() {
                "no problems".to_owned()
            } else {
                counted(&[(opened.warnings.warning_count(false), "warning")])
            }
        );
        if checked > 0 {
            let _ = writeln!(
                err,
                "quotes checked against the text of {}",
                plural(checked, "source")
            );
        }
    }
    Ok(())
}

/// The plain texts of the bibliography entries that name one (`text:`) and can be
/// found: `DIR/TEXT` under `sources_dir`, or the file `env` (`JENGA_SOURCE_TEXT`)
/// when its file name is `TEXT`. By source id. A text that cannot be read is left out.
fn source_texts(
    loaded: &load::Loaded,
    sources_dir: Option<&Path>,
    env: Option<&Path>,
) -> std::collections::BTreeMap<String, String> {
    let mut texts = std::collections::BTreeMap::new();
    for f in &loaded.files {
        for b in &f.data.bibliography {
            let Some(name) = b.value.text.as_deref() else {
                continue;
            };
            let path = match (sources_dir, env) {
                (Some(d), _) => Some(d.join(name)),
                (None, Some(e)) if e.file_name().is_some_and(|f| f == name) => {
                    Some(e.to_path_buf())
                }
                _ => None,
            };
            if let Some(text) = path.and_then(|p| std::fs::read_to_string(p).ok()) {
                texts.insert(b.value.id.value.to_string(), text);
            }
        }
    }
    texts
}
