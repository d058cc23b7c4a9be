//! `jenga render TARGET`: one figure (a country's tower, the overview, the exposure
//! matrix), optionally with a scenario's overlay, as DOT, SVG, PNG or PDF, to standard output or
//! atomically into a file.

use std::path::Path;

use crate::config::Config;
use crate::render::tower::{self, Marks};
use crate::render::{Figure, FigureFormat, SvgEngine};

use super::common::{self, RemovalFlags, figure_bytes};
use super::{Error, open};
use crate::analysis::cascade::Cascade;
use crate::analysis::chokepoints::{self, By};
use crate::config::figure_format;
use crate::present::figures;

/// The parsed `render` command.
pub struct Args<'a> {
    /// A country code, `overview` or `matrix`.
    pub target: &'a str,
    /// Removal flags (overlays).
    pub removals: RemovalFlags<'a>,
    /// A scenario file.
    pub scenario: Option<&'a Path>,
    /// `--format`, if given (else the extension of `output` decides).
    pub format: Option<FigureFormat>,
    /// SVG engine.
    pub engine: SvgEngine,
    /// Output file.
    pub output: Option<&'a Path>,
}

/// Runs `jenga render`.
///
/// With removal flags or a scenario file, the figure carries the scenario's overlay: a
/// country's tower shows the world as that destination sees it (scoped removals
/// included); the overview shows each capability as its own country sees it and every
/// other block at its worst over all destinations (see [`figures::merged_overlay`]).
/// The matrix is every single removal already and takes no overlay.
pub fn run(config: &Config, args: &Args<'_>) -> Result<(), Error> {
    let format = figure_format(args.format, args.output)?;
    let opened = open(config, false)?;
    let world = &opened.world;
    let mut removals = common::removals_from_flags(world, args.removals)?;
    let named = match args.scenario {
        Some(path) => {
            let s = common::load_scenario(config, path, world)?;
            let mut all = s.removals;
            all.append(&mut removals);
            removals = all;
            Some(figures::scenario_title(&s.name, &removals))
        }
        None => None,
    };
    common::warn_empty_selectors(config, &removals);
    let target = args.target;
    let country = match target {
        "overview" | "matrix" => None,
        code => {
            let upper = code.to_ascii_uppercase();
            match world.country_index(&upper) {
                Some(ci) => Some((ci, upper)),
                None => {
                    let known: Vec<&str> =
                        world.countries.iter().map(|c| c.code.as_str()).collect();
                    return Err(Error::Usage(format!(
                        "unknown render target `{code}`: expected a country code ({}), \
                         `overview` or `matrix`",
                        known.join(", ")
                    )));
                }
            }
        }
    };
    if target == "matrix" && (named.is_some() || !removals.is_empty()) {
        return Err(Error::Usage(
            "the matrix already shows every single removal; render it without `--remove` \
             or `--scenario`"
                .to_owned(),
        ));
    }
    let cascade = Cascade::new(world);
    let ranking = chokepoints::chokepoints(&cascade, By::Node, None);
    let choke = figures::chokepoint_flags(world, &ranking);
    let outcome =
        (named.is_some() || !removals.is_empty()).then(|| cascade.evaluate_scenario(&removals));
    let title = named.unwrap_or_else(|| figures::removal_title(&removals));
    let figure = match country {
        None if target == "matrix" => {
            let (_, juris) = chokepoints::rank_jurisdictions(&cascade);
            Figure::Matrix(figures::exposure_matrix(&cascade, &ranking, &juris)?)
        }
        None => {
            let overlay = outcome
                .as_ref()
                .map(|o| figures::merged_overlay(world, &title, o));
            let marks = Marks {
                chokepoints: &choke,
                chokepoint_top: figures::CHOKEPOINT_TOP,
                overlay: overlay.as_ref(),
            };
            Figure::Diagram(tower::overview(
                world,
                &marks,
                &chokepoints::exposure(&cascade),
            ))
        }
        Some((ci, code)) => {
            let overlay = outcome
                .as_ref()
                .and_then(|o| o.country(ci))
                .map(|o| figures::overlay_of(&title, o));
            let marks = Marks {
                chokepoints: &choke,
                chokepoint_top: figures::CHOKEPOINT_TOP,
                overlay: overlay.as_ref(),
            };
            tower::tower(world, &code, &marks)
                .map(Figure::Diagram)
                .ok_or_else(|| Error::Failed(format!("no tower for `{code}`")))?
        }
    };
    let bytes = figure_bytes(&figure, format, args.engine)?;
    match args.output {
        Some(path) => Ok(crate::fsutil::Writer::new(&config.stacks).write_file(path, &bytes)?),
        None => super::print_stdout(&bytes),
    }
}
