//! Runs a parsed command: load the world, dispatch to the analysis, print the result.
//! Every failure is an [`Error`] whose kind decides the exit code, in one place.

pub mod analyze;
mod common;
mod table;

use std::path::PathBuf;

use crate::cli::{Command, ImportFormat, TableKind};
use crate::config::Config;
use crate::diag::Diagnostics;
pub use crate::error::{Error, print_stdout};
use crate::graph::World;
use crate::load;
use crate::output::Format;
use crate::validate;

mod check;
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

/// Runs `command`: each subcommand's module loads what it needs, calls the library
/// and hands the result to its presenter.
pub fn run(config: &Config, command: Command) -> Result<(), Error> {
    crate::timings::start();
    match command {
        Command::Check(a) => check::run(config, a.strict, a.sources_dir.as_deref(), a.format),
        Command::Scenario(a) => {
            let (config, format) = a.out.resolve(config, "scenario", vec![])?;
            analyze::scenario(&config, a.file.as_deref(), &a.removals, format)
        }
        Command::Chokepoints(a) => {
            let (config, format) = a.out.resolve(config, "chokepoints", vec![])?;
            match a.key.quantity() {
                None => analyze::chokepoints(&config, a.top, a.by.into(), format),
                Some(key) => {
                    analyze::quantity_chokepoints(&config, a.top, a.by.into(), key, format)
                }
            }
        }
        Command::Concentration(a) => {
            let (config, format) = a.out.resolve(config, "concentration", vec![])?;
            analyze::concentration(&config, a.by.into(), format)
        }
        Command::Cutsets(a) => {
            let (config, format) = a.out.resolve(config, "cut sets", vec![])?;
            cutsets::run(
                &config,
                cutsets::Args {
                    target: a.target,
                    max_order: a.max_order,
                    over: a.over,
                    any_capability: a.any_capability,
                    max_sets: a.max_sets,
                    max_bdd_nodes: a.max_bdd_nodes,
                    format,
                },
            )
        }
        Command::Why(a) => {
            let (config, format) = a.out.resolve(config, "why", vec![])?;
            analyze::why(&config, &a.target, &a.node, a.max_paths, format)
        }
        Command::Dependents(a) => {
            let (config, format) = a.out.resolve(config, "dependents", vec![])?;
            analyze::dependents(&config, &a.node, format)
        }
        Command::Sovereignty(a) => {
            let (config, format) = a.out.resolve(config, "sovereignty", vec![])?;
            analyze::sovereignty(&config, a.country.as_deref(), format)
        }
        Command::Table(a) => {
            let sheet = match a.which {
                TableKind::Models => "models",
                TableKind::Infrastructure => "infrastructure",
            };
            let (config, format) = a.out.resolve(config, sheet, vec![])?;
            table::run(&config, a.which.into(), format)
        }
        Command::Render(a) => render::run(
            config,
            &render::Args {
                target: &a.target,
                removals: &a.removals,
                scenario: a.scenario.as_deref(),
                format: a.format,
                engine: a.engine,
                output: a.output.as_deref(),
            },
        ),
        Command::Report(a) => report::run(config, &a.output, a.scenarios.as_deref(), a.engine),
        Command::Import(a) => match a.from {
            ImportFormat::OpenPsa => {
                openpsa::import_open_psa(config, &a.files, a.output.as_deref())
            }
            dataset => import::run(config, dataset, &a.files, a.output.as_deref()),
        },
        Command::Export(a) => {
            export::run(config, a.target.as_deref(), a.format, a.output.as_deref())
        }
        Command::Diff(a) => {
            let protect = vec![a.old.clone(), a.new.clone()];
            let (config, format) = a.out.resolve(config, "diff", protect)?;
            diff::run(
                &config,
                &a.old,
                &a.new,
                format,
                a.top,
                a.figure.as_deref(),
                a.engine,
            )
        }
        Command::Schema(a) => eco::schema(a.scenario),
        Command::New(a) => eco::new(config, &a.what, &a.code, a.output.as_deref()),
        Command::Completions(a) => eco::completions(a.shell),
        Command::Generate(a) => generate::run(config, &a),
    }
}
