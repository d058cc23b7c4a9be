//! `jenga report [-o DIR]`: every figure and table of the data into one directory.
//!
//! The command is thin: it loads the world and the scenario files, checks the output
//! directory and the engine, and hands them to [`crate::present::report`], which plans
//! the report in memory and draws it. A scenario's effect on one country's tower is
//! `jenga render CC --scenario FILE`: the report leaves those out because each `dot`
//! run costs about 40 ms and the report is meant to take under a second. The directory
//! is written through [`crate::fsutil::Writer::write_dir`]: built beside `DIR` and
//! swapped in whole, so a failure at any step leaves the previous report untouched.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::fsutil::Writer;
use crate::present::report::{self, ScenarioInput, slug};
use crate::render::{RenderError, SvgEngine, graphviz};

use super::common::{self, DOT_TIMEOUT};
use super::{Error, open};

/// The scenario files of `dir` (`*.yaml`, `*.yml`, not below it), sorted by name;
/// none when it does not exist.
fn scenario_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .min_depth(1)
        .max_depth(1)
        .follow_links(true)
        .sort_by_file_name()
    {
        let entry = match entry {
            Ok(e) => e,
            // The directory itself cannot be read.
            Err(e) if e.depth() == 0 => {
                return Err(Error::Failed(format!(
                    "cannot read `{}`: {e}",
                    dir.display()
                )));
            }
            // An entry that vanished or cannot be followed is not a scenario file.
            Err(_) => continue,
        };
        let p = entry.path();
        if entry.file_type().is_file() && p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
            files.push(p.to_path_buf());
        }
    }
    Ok(files)
}

/// Runs `jenga report`.
///
/// `scenarios`: the directory given with `--scenarios`, which must exist; without it,
/// `scenarios` is read when it exists (a report of the stacks alone otherwise).
pub fn run(
    config: &Config,
    output: &Path,
    scenarios: Option<&Path>,
    engine: SvgEngine,
) -> Result<(), Error> {
    let scenarios = match scenarios {
        Some(dir) if !dir.is_dir() => {
            return Err(Error::Usage(format!(
                "the scenarios directory `{}` {}; give an existing directory with `--scenarios`, or leave it out",
                dir.display(),
                if dir.exists() {
                    "is not a directory"
                } else {
                    "does not exist"
                }
            )));
        }
        Some(dir) => dir,
        None => Path::new("scenarios"),
    };
    let started = std::time::Instant::now();
    let opened = open(config, false)?;
    let world = &opened.world;
    let writer = config
        .more_stacks
        .iter()
        .fold(Writer::new(&config.stacks).protect(scenarios), |w, d| {
            w.protect(d)
        });
    writer.preflight_dir(output)?;
    let engine = match engine {
        SvgEngine::Auto if graphviz::available() => SvgEngine::Graphviz,
        SvgEngine::Auto => SvgEngine::Builtin,
        e => e,
    };
    if engine == SvgEngine::Graphviz && !graphviz::available() {
        return Err(Error::Failed(RenderError::GraphvizMissing.to_string()));
    }
    let mut inputs = Vec::new();
    for path in scenario_files(scenarios)? {
        let scenario = common::load_scenario(config, &path, world)?;
        let stem = slug(
            &path
                .file_stem()
                .map(|x| x.to_string_lossy().into_owned())
                .unwrap_or_default(),
        );
        inputs.push(ScenarioInput {
            file: path.display().to_string(),
            stem,
            scenario,
        });
    }
    let plan = report::plan(world, inputs)?;
    crate::timings::mark("report: sheets");
    let count = report::file_count(&plan);
    let bar = crate::progress::Progress::new(config, "drawing", plan.figures.len() as u64);
    writer.write_dir(output, |staging| {
        // The pages and the workbook are written while the figures are drawn.
        let texts = || report::texts(world, &plan);
        report::write::draw_and_write(staging, &plan.figures, texts, engine, DOT_TIMEOUT, &bar)
    })?;
    crate::timings::mark("report: draw and write");
    bar.finish();
    if !config.quiet {
        let _ = writeln!(
            std::io::stderr().lock(),
            "wrote {count} files ({} figures, {} scenarios) into `{}` with the {} engine in {:.2} s",
            plan.figures.len(),
            plan.scenarios.len(),
            output.display(),
            if engine == SvgEngine::Graphviz {
                "Graphviz"
            } else {
                "built-in"
            },
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}
