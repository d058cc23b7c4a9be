//! From the parsed command line to a command: each subcommand's clap arguments are
//! turned into the plain arguments of its module in [`crate::run`] (resolving
//! `--format`/`-o` into the [`Config`]), and the command runs. This is the one place
//! where the command line meets the commands: nothing in `run` sees a clap type.

use clap::CommandFactory as _;

use super::{Cli, Command, GenerateArgs, Removals};
use crate::config::Config;
use crate::error::Error;
use crate::import::Format as ImportFormat;
use crate::run::common::RemovalFlags;
use crate::run::generate::Shape;
use crate::run::{
    analyze, check, cutsets, diff, eco, export, generate, import, openpsa, render, report, table,
};
use crate::synth::Spec;

impl GenerateArgs {
    /// What to generate: a chain, the ANDed pairs, else a world of [`Spec`].
    pub fn shape(&self) -> Shape {
        match (self.chain, self.any_pairs) {
            (Some(nodes), _) => Shape::Chain {
                nodes,
                files: self.files,
            },
            (None, Some(k)) => Shape::AnyPairs(k),
            (None, None) => Shape::World(Spec {
                countries: self.countries,
                nodes: self.nodes,
                suppliers: self.suppliers,
                cycles: self.cycles,
                unknown: self.unknown,
                zipf: self.zipf,
                seed: self.seed,
            }),
        }
    }
}

impl Removals {
    /// The flags as the commands take them.
    pub fn flags(&self) -> RemovalFlags<'_> {
        RemovalFlags {
            remove: &self.remove,
            for_countries: &self.for_countries,
        }
    }
}

/// Runs `command` under `config`.
///
/// # Errors
/// The command's error (its kind decides the exit code: [`Error::exit_code`]).
pub fn dispatch(config: &Config, command: Command) -> Result<(), Error> {
    crate::timings::start();
    match command {
        Command::Check(a) => check::run(config, a.strict, a.sources_dir.as_deref(), a.format),
        Command::Scenario(a) => {
            let (config, format) = a.out.resolve(config, "scenario", vec![])?;
            analyze::scenario(&config, a.file.as_deref(), a.removals.flags(), format)
        }
        Command::Chokepoints(a) => {
            let (config, format) = a.out.resolve(config, "chokepoints", vec![])?;
            match a.key.quantity() {
                None => analyze::chokepoints(&config, a.top, a.by, format),
                Some(key) => analyze::quantity_chokepoints(&config, a.top, a.by, key, format),
            }
        }
        Command::Concentration(a) => {
            let (config, format) = a.out.resolve(config, "concentration", vec![])?;
            analyze::concentration(&config, a.by, format)
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
            let (config, format) = a.out.resolve(config, a.which.as_str(), vec![])?;
            table::run(&config, a.which, format)
        }
        Command::Render(a) => render::run(
            config,
            &render::Args {
                target: &a.target,
                removals: a.removals.flags(),
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
        Command::Completions(a) => eco::completions(a.shell, Cli::command()),
        Command::Generate(a) => generate::run(config, &a.shape(), &a.output),
    }
}
