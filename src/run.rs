//! Runs a parsed command: load the world, dispatch to the analysis, print the result.
//! Every failure is an [`Error`] whose kind decides the exit code, in one place.

use std::io::Write as _;

use crate::cli::{Command, Config};
use crate::diag::{Diagnostics, counted, plural};
use crate::graph::World;
use crate::load;
use crate::validate;

mod eco;
mod export;

/// Why a command failed; the variant decides the exit code.
#[derive(Debug)]
pub enum Error {
    /// The command line is wrong or asks for something unavailable (exit 2).
    Usage(String),
    /// The data has errors; the diagnostics say where (exit 1).
    Data(Diagnostics),
    /// An analysis or IO failure that is not a usage error (exit 1).
    Failed(String),
}

impl Error {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
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
                format!("{s}error{r}: {m}\n")
            }
            Error::Data(d) => d.render(color),
        }
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
    let paths = load::find_files(&config.stacks, &config.limits)
        .map_err(|e| Error::Failed(e.to_string()))?;
    let bar = crate::progress::Progress::new(config, "loading", paths.len() as u64);
    let loaded = load::load_files_observed(&paths, &config.limits, &|| bar.inc(1));
    bar.finish();
    let mut diags = validate::validate(&loaded, &config.limits);
    let mut all = Diagnostics::new();
    all.extend(std::mem::take(&mut { loaded.diagnostics }));
    all.extend(std::mem::take(&mut diags));
    all.sort();
    if strict {
        all.promote_warnings();
    }
    if all.has_errors(false) {
        return Err(Error::Data(all));
    }
    let world = crate::graph::build(&loaded.files).map_err(|e| Error::Failed(e.to_string()))?;
    Ok(Opened {
        world,
        warnings: all,
        files: loaded.files.len(),
    })
}

fn not_yet(command: &str, issue: u32) -> Error {
    Error::Usage(format!(
        "`jenga {command}` is not available yet in this version (tracked as issue #{issue}); nothing was computed"
    ))
}

/// Runs `command` and returns the exit code.
pub fn run(config: &Config, command: Command) -> Result<(), Error> {
    match command {
        Command::Check { strict } => check(config, strict),
        Command::Scenario { .. } => Err(not_yet("scenario", 4)),
        Command::Chokepoints { .. } => Err(not_yet("chokepoints", 4)),
        Command::Cutsets { .. } => Err(not_yet("cutsets", 5)),
        Command::Why { .. } => Err(not_yet("why", 4)),
        Command::Dependents { .. } => Err(not_yet("dependents", 4)),
        Command::Sovereignty { .. } => Err(not_yet("sovereignty", 4)),
        Command::Table { .. } => Err(not_yet("table", 3)),
        Command::Render { .. } => Err(not_yet("render", 6)),
        Command::Report { output, .. } => {
            let opened = open(config, false)?;
            report_plan(config, &opened, &output)
        }
        Command::Import { .. } => Err(not_yet("import", 5)),
        Command::Export {
            target,
            format,
            output,
        } => export::run(config, target.as_deref(), format, output.as_deref()),
        Command::Diff { old, new, format } => eco::diff(config, &old, &new, format),
        Command::Schema => eco::schema(),
        Command::New { what, code, output } => eco::new(config, &what, &code, output.as_deref()),
        Command::Completions { shell } => eco::completions(shell),
    }
}

fn check(config: &Config, strict: bool) -> Result<(), Error> {
    let opened = open(config, strict)?;
    let w = &opened.world;
    let mut err = std::io::stderr().lock();
    if !opened.warnings.items().is_empty() {
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
    }
    Ok(())
}

fn report_plan(config: &Config, opened: &Opened, output: &std::path::Path) -> Result<(), Error> {
    if !config.quiet {
        let w = &opened.world;
        let mut err = std::io::stderr().lock();
        let _ = writeln!(
            err,
            "validated {} ({} countries); the report into `{}` is not available yet (issue #6): \
             it will write a tower per country, the overview, the exposure matrix, the chokepoint \
             ranking and every scenario",
            plural(opened.files, "file"),
            w.countries.len(),
            output.display()
        );
    }
    Ok(())
}
