//! Runs a parsed command: load the world, dispatch to the analysis, print the result.
//! Every failure is an [`Error`] whose kind decides the exit code, in one place.

pub mod analyze;
mod table;

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::cli::{Command, Config};
use crate::diag::{Diagnostics, counted, plural};
use crate::graph::World;
use crate::load;
use crate::validate;

mod cutsets;
mod diff;
mod eco;
mod export;
mod figures;
mod generate;
mod import;
mod openpsa;
mod render;
mod report;

/// Why a command failed; the variant decides the exit code.
#[derive(Debug)]
pub enum Error {
    /// The command line is wrong or asks for something unavailable (exit 2).
    Usage(String),
    /// The data has errors; the diagnostics say where (exit 1).
    Data(Diagnostics),
    /// An analysis or IO failure that is not a usage error (exit 1).
    Failed(String),
    /// Standard output was closed by its reader (`jenga ... | head`): not a failure,
    /// so nothing is printed and the exit code is 0 (see [`print_stdout`]).
    ClosedPipe,
}

impl Error {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::ClosedPipe => 0,
            Error::Usage(_) => 2,
            Error::Data(_) | Error::Failed(_) => 1,
        }
    }

    /// The text to print on standard error.
    pub fn render(&self, color: bool) -> String {
        match self {
            Error::Usage(m) | Error::Failed(m) => {
                let (s, r) = if color {
                    ("\x1b[1;31m", "\x1b[0m")
                } else {
                    ("", "")
                };
                // Messages quote user input (paths, ids, codes): no control character
                // or bidi override reaches the terminal.
                let m: Vec<String> = m.split('\n').map(crate::diag::sanitize_clipped).collect();
                format!("{s}error{r}: {}\n", m.join("\n"))
            }
            Error::Data(d) => d.render(color),
            Error::ClosedPipe => String::new(),
        }
    }
}

/// Writes `text` to standard output and flushes it: the one place every command prints
/// its result.
///
/// A write error (`> /dev/full`, a full disk, an I/O error) is [`Error::Failed`] (exit
/// 1 with a message), so output is never lost without notice; a closed pipe (`| head`)
/// is [`Error::ClosedPipe`], which `main` turns into a quiet, successful exit.
pub fn print_stdout(text: impl AsRef<[u8]>) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_ref()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(Error::ClosedPipe),
        Err(e) => Err(Error::Failed(format!(
            "cannot write to standard output: {e}"
        ))),
    }
}

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
    let roots: Vec<PathBuf> = std::iter::once(&config.stacks)
        .chain(&config.more_stacks)
        .cloned()
        .collect();
    let (paths, _) =
        crate::roots::find_all(&roots, &config.limits).map_err(|e| Error::Failed(e.to_string()))?;
    let bar = crate::progress::Progress::new(config, "loading", paths.len() as u64);
    let (loaded, _) = crate::roots::load_roots(&roots, &config.limits, &|| bar.inc(1))
        .map_err(|e| Error::Failed(e.to_string()))?;
    bar.finish();
    crate::timings::mark("load");
    let mut diags = validate::validate(&loaded, &config.limits);
    diags.extend(more(&loaded));
    crate::timings::mark("validate");
    let load::Loaded {
        mut files,
        diagnostics,
        ..
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
            plural(w.countries.len(), "country").replace("countrys", "countries"),
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
