//! Runs a parsed command: load the world, dispatch to the analysis, print the result.
//! Every failure is an [`Error`] whose kind decides the exit code, in one place.

pub mod analyze;
mod common;
mod table;

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::cli::{Command, Config, Format};
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

/// The format of a table command: `explicit` (`--format`) if given, else the
/// extension of `output` (`.txt`, `.json`, `.csv`, `.md`, `.xlsx`), else the text
/// table.
///
/// # Errors
/// A usage error when the extension names no table format, contradicts `explicit`,
/// or when `xlsx` has no `-o FILE` (a workbook is binary: it never goes to standard
/// output).
pub fn table_format(explicit: Option<Format>, output: Option<&Path>) -> Result<Format, Error> {
    let shown = || output.map_or_else(String::new, |p| p.display().to_string());
    let by_extension = match output.and_then(|p| p.extension()) {
        None => None,
        Some(e) => {
            let e = e.to_string_lossy().to_ascii_lowercase();
            Some(match e.as_str() {
                "txt" => Format::Table,
                "json" => Format::Json,
                "csv" => Format::Csv,
                "md" | "markdown" => Format::Markdown,
                "xlsx" => Format::Xlsx,
                _ => {
                    return Err(Error::Usage(format!(
                        "`{}`: `.{e}` is not a table format; name the file .txt, .json, .csv, .md or .xlsx",
                        shown()
                    )));
                }
            })
        }
    };
    let format = match (explicit, by_extension) {
        (Some(f), Some(g)) if f != g => {
            return Err(Error::Usage(format!(
                "`--format {}` contradicts the extension of `{}`, which names {}; make them agree",
                format_name(f),
                shown(),
                format_name(g)
            )));
        }
        (Some(f), _) | (None, Some(f)) => f,
        (None, None) => Format::Table,
    };
    if format == Format::Xlsx && output.is_none() {
        return Err(Error::Usage(
            "`--format xlsx` writes a binary workbook, which is not for a terminal or a pipe; \
             add `-o FILE.xlsx`"
                .to_owned(),
        ));
    }
    Ok(format)
}

fn format_name(f: Format) -> &'static str {
    match f {
        Format::Table => "table",
        Format::Json => "json",
        Format::Csv => "csv",
        Format::Markdown => "markdown",
        Format::Xlsx => "xlsx",
    }
}

/// `config` with the output of a table command, and its format.
fn table_command(
    config: &Config,
    sheet: &str,
    format: Option<Format>,
    output: Option<PathBuf>,
    protect: Vec<PathBuf>,
) -> Result<(Config, Format), Error> {
    let format = table_format(format, output.as_deref())?;
    let mut config = config.clone();
    config.table_output = output.map(|path| crate::cli::TableOutput {
        path,
        sheet: sheet.to_owned(),
        protect,
    });
    Ok((config, format))
}

/// Writes a table command's result: to standard output, or to its `-o FILE`
/// (atomically, never into the input tree); for `xlsx`, `text` is the table's raw
/// CSV ([`crate::output::Table::to_csv_raw`]), written as a one-sheet workbook.
///
/// # Errors
/// A usage error for `xlsx` without a file; the write's error.
pub fn emit(config: &Config, format: Format, text: impl AsRef<[u8]>) -> Result<(), Error> {
    let Some(out) = &config.table_output else {
        if format == Format::Xlsx {
            return Err(Error::Usage(
                "`--format xlsx` needs `-o FILE.xlsx`".to_owned(),
            ));
        }
        return print_stdout(text);
    };
    let bytes = if format == Format::Xlsx {
        let csv = std::str::from_utf8(text.as_ref())
            .map_err(|e| Error::Failed(format!("the table is not UTF-8: {e}")))?;
        let table = crate::xlsx::table_from_raw_csv(csv)?;
        crate::xlsx::workbook(&[(out.sheet.clone(), &table)])?
    } else {
        text.as_ref().to_vec()
    };
    let mut writer = crate::fsutil::Writer::new(&config.stacks);
    for dir in &out.protect {
        writer = writer.protect(dir);
    }
    Ok(writer.write_file(&out.path, &bytes)?)
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
            output,
        } => {
            let (config, format) = table_command(config, "scenario", format, output, vec![])?;
            analyze::scenario(&config, file.as_deref(), &removals, format)
        }
        Command::Chokepoints {
            top,
            by,
            key,
            format,
            output,
        } => {
            let (config, format) = table_command(config, "chokepoints", format, output, vec![])?;
            if key == crate::cli::ChokeKey::Capabilities {
                analyze::chokepoints(&config, top, by, format)
            } else {
                analyze::quantity_chokepoints(&config, top, by, key, format)
            }
        }
        Command::Concentration { by, format, output } => {
            let (config, format) = table_command(config, "concentration", format, output, vec![])?;
            analyze::concentration(&config, by, format)
        }
        Command::Cutsets {
            target,
            max_order,
            over,
            any_capability,
            max_sets,
            max_bdd_nodes,
            format,
            output,
        } => {
            let (config, format) = table_command(config, "cut sets", format, output, vec![])?;
            cutsets::run(
                &config,
                cutsets::Args {
                    target,
                    max_order,
                    over,
                    any_capability,
                    max_sets,
                    max_bdd_nodes,
                    format,
                },
            )
        }
        Command::Why {
            target,
            node,
            max_paths,
            format,
            output,
        } => {
            let (config, format) = table_command(config, "why", format, output, vec![])?;
            analyze::why(&config, &target, &node, max_paths, format)
        }
        Command::Dependents {
            node,
            format,
            output,
        } => {
            let (config, format) = table_command(config, "dependents", format, output, vec![])?;
            analyze::dependents(&config, &node, format)
        }
        Command::Sovereignty {
            country,
            format,
            output,
        } => {
            let (config, format) = table_command(config, "sovereignty", format, output, vec![])?;
            analyze::sovereignty(&config, country.as_deref(), format)
        }
        Command::Table {
            which,
            format,
            output,
        } => {
            let sheet = match which {
                crate::cli::TableKind::Models => "models",
                crate::cli::TableKind::Infrastructure => "infrastructure",
            };
            let (config, format) = table_command(config, sheet, format, output, vec![])?;
            table::run(&config, which, format)
        }
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
            output,
            top,
            figure,
            engine,
        } => {
            let protect = vec![old.clone(), new.clone()];
            let (config, format) = table_command(config, "diff", format, output, protect)?;
            diff::run(&config, &old, &new, format, top, figure.as_deref(), engine)
        }
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
