//! Runs a parsed command: load the world, dispatch to the analysis, print the result.
//! Every failure is an [`Error`] whose kind decides the exit code, in one place.

pub mod analyze;
mod common;
mod table;

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::cli::{Command, Config};
use crate::diag::{Diagnostics, counted, plural};
pub use crate::error::{Error, print_stdout};
use crate::graph::World;
use crate::load;
use crate::validate;

mod cutsets;
mod diff;
mod eco;
mod export;
mod generate;
mod import;
mod openpsa;
mod render;
mod report;

/// A loaded, validated world and the warnings found on the way.
pub struct Opened {
    /// The graph.
    pub world: World,
    /// Warnings (never errors: those fail [`open`]).
    pub warnings: Diagnostics,
    /// How many files were read.
    pub files: usize,
}

/// Loads, validates and builds the world of `config.stacks`.
///
/// Fails with every diagnostic when any file has an error (or, when `strict`, a warning).
pub fn open(config: &Config, strict: bool) -> Result<Opened, Error> {
    open_with(config, strict, |_| Diagnostics::new())
}

/// [`open`], with `more` checks over the loaded files (those that need more than the
/// files, such as the sources' texts).
pub fn open_with(
    config: &Config,
    strict: bool,
    more: impl FnOnce(&load::Loaded) -> Diagnostics,
) -> Result<Opened, Error> {
    let paths = load::find_files(&config.stacks, &config.limits)
        .map_err(|e| Error::Failed(e.to_string()))?;
    let bar = crate::progress::Progress::new(config, "loading", paths.len() as u64);
    let loaded = load::load_files_observed(&paths, &config.limits, &|| bar.inc(1));
    bar.finish();
    crate::timings::mark("load");
    let mut diags = validate::validate(&loaded, &config.limits);
    diags.extend(more(&loaded));
    crate::timings::mark("validate");
    let load::Loaded {
        mut files,
        diagnostics,
    } = loaded;
    if config.exclude_inferred {
        for f in &mut files {
            for n in &mut f.data.nodes {
                n.value.exclude_inferred();
            }
        }
    }
    let mut all = Diagnostics::new();
    all.extend(diagnostics);
    all.extend(std::mem::take(&mut diags));
    all.sort();
    if strict {
        all.promote_warnings();
    }
    if all.has_errors(false) {
        return Err(Error::Data(all));
    }
    let count = files.len();
    // Consumes the parsed files, so they and the graph never both peak at once.
    let world = crate::graph::build_owned(files).map_err(|e| Error::Failed(e.to_string()))?;
    crate::timings::mark("build");
    Ok(Opened {
        world,
        warnings: all,
        files: count,
    })
}

/// Runs `command` and returns the exit code.
pub fn run(config: &Config, command: Command) -> Result<(), Error> {
    crate::timings::start();
    match command {
        Command::Check {
            strict,
            sources_dir,
            format,
        } => check(config, strict, sources_dir.as_deref(), format),
        Command::Scenario {
            file,
            removals,
            format,
        } => analyze::scenario(config, file.as_deref(), &removals, format),
        Command::Chokepoints {
            top,
            by,
            key: crate::cli::ChokeKey::Capabilities,
            format,
        } => analyze::chokepoints(config, top, by, format),
        Command::Chokepoints {
            top,
            by,
            key,
            format,
        } => analyze::quantity_chokepoints(config, top, by, key, format),
        Command::Concentration { by, format } => analyze::concentration(config, by, format),
        Command::Cutsets {
            target,
            max_order,
            over,
            any_capability,
            max_sets,
            max_bdd_nodes,
            format,
        } => cutsets::run(
            config,
            cutsets::Args {
                target,
                max_order,
                over,
                any_capability,
                max_sets,
                max_bdd_nodes,
                format,
            },
        ),
        Command::Why {
            target,
            node,
            max_paths,
            format,
        } => analyze::why(config, &target, &node, max_paths, format),
        Command::Dependents { node, format } => analyze::dependents(config, &node, format),
        Command::Sovereignty { country, format } => {
            analyze::sovereignty(config, country.as_deref(), format)
        }
        Command::Table { which, format } => table::run(config, which, format),
        Command::Render {
            target,
            removals,
            scenario,
            format,
            engine,
            output,
        } => render::run(
            config,
            &render::Args {
                target: &target,
                removals: &removals,
                scenario: scenario.as_deref(),
                format,
                engine,
                output: output.as_deref(),
            },
        ),
        Command::Report {
            output,
            scenarios,
            engine,
        } => report::run(config, &output, scenarios.as_deref(), engine),
        Command::Import {
            from,
            files,
            output,
        } => match from {
            crate::cli::ImportFormat::OpenPsa => {
                openpsa::import_open_psa(config, &files, output.as_deref())
            }
            dataset => import::run(config, dataset, &files, output.as_deref()),
        },
        Command::Export {
            target,
            format,
            output,
        } => export::run(config, target.as_deref(), format, output.as_deref()),
        Command::Diff {
            old,
            new,
            format,
            top,
            figure,
            engine,
        } => diff::run(config, &old, &new, format, top, figure.as_deref(), engine),
        Command::Schema { scenario } => eco::schema(scenario),
        Command::New { what, code, output } => eco::new(config, &what, &code, output.as_deref()),
        Command::Completions { shell } => eco::completions(shell),
        Command::Generate(args) => generate::run(config, &args),
    }
}

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

fn check(
    config: &Config,
    strict: bool,
    sources_dir: Option<&Path>,
    format: crate::cli::CheckFormat,
) -> Result<(), Error> {
    let json = format == crate::cli::CheckFormat::Json;
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
