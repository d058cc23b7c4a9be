//! The commands: one module per subcommand, each loading what it needs, calling the
//! library and handing the result to its presenter. They take plain arguments (the
//! library's types and [`Config`]); [`crate::cli::dispatch`] maps the parsed command
//! line onto them. Every failure is an [`Error`] whose kind decides the exit code, in
//! one place.

pub mod analyze;
pub mod common;
pub mod table;

use std::path::PathBuf;

use crate::config::Config;
use crate::diag::Diagnostics;
pub use crate::error::{Error, print_stdout};
use crate::graph::World;
use crate::load;
use crate::output::Format;
use crate::validate;

pub mod check;
pub mod cutsets;
pub mod diff;
pub mod eco;
pub mod export;
pub mod generate;
pub mod import;
pub mod openpsa;
pub mod render;
pub mod report;

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
