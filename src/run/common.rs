//! What several commands share: turning flags and files into removals, scenarios and
//! cut-set targets against the world, and figures into the bytes of a format. No
//! command module imports another; they all import this.

use std::path::Path;
use std::time::Duration;

use crate::analysis::cascade::Removal;
use crate::analysis::cutsets::Target;
use crate::analysis::scenario::{self, Scenario, ScenarioFile};
use crate::analysis::select::Selector;
use crate::config::Config;
use crate::diag::Diagnostics;
use crate::diag::did_you_mean;
use crate::graph::World;
use crate::render::{Figure, FigureFormat, SvgEngine};

use super::Error;

/// The `--remove` selectors and the `--for` scope of `scenario` and `render`, as the
/// command line gave them (parsed against the world by [`removals_from_flags`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct RemovalFlags<'a> {
    /// `--remove SEL`, in order.
    pub remove: &'a [String],
    /// `--for CC,CC`: the destinations the removals apply to (all when empty).
    pub for_countries: &'a [String],
}

/// Parses `--remove` selectors and the `--for` scope against `world`.
pub fn removals_from_flags(world: &World, flags: RemovalFlags<'_>) -> Result<Vec<Removal>, Error> {
    if flags.remove.is_empty() && !flags.for_countries.is_empty() {
        return Err(Error::Usage(
            "`--for` scopes the `--remove` flags, but none was given; add `--remove SEL`".into(),
        ));
    }
    let scope = if flags.for_countries.is_empty() {
        None
    } else {
        let mut codes = Vec::new();
        for c in flags.for_countries {
            let c = c.trim();
            scenario::check_country(world, c)
                .map_err(|(m, h)| Error::Usage(format!("{m} (in `--for`); {h}")))?;
            codes.push(c.to_owned());
        }
        codes.sort();
        codes.dedup();
        Some(codes)
    };
    flags
        .remove
        .iter()
        .map(|text| {
            Selector::parse(text, world)
                .map(|s| Removal::new(world, s, scope.clone()))
                .map_err(|e| Error::Usage(format!("{} (in `--remove`); {}", e.message, e.help)))
        })
        .collect()
}

/// Reads a scenario file and checks it against `world`.
pub fn load_scenario(config: &Config, path: &Path, world: &World) -> Result<Scenario, Error> {
    let (source, file) = crate::load::parse_yaml_file::<ScenarioFile>(path, &config.limits)
        .map_err(|d| {
            let mut all = Diagnostics::new();
            all.push(*d);
            Error::Data(all)
        })?;
    Scenario::from_file(file, &source, world).map_err(Error::Data)
}

/// Says on standard error (unless `--quiet`) which selectors match no node: a
/// removal that removes nothing must not pass for one that was evaluated.
pub fn warn_empty_selectors(config: &Config, removals: &[Removal]) {
    if config.quiet {
        return;
    }
    for r in removals.iter().filter(|r| r.nodes.is_empty()) {
        eprintln!(
            "warning: `{}` matches no node of the data: nothing is removed for it",
            crate::diag::sanitize(&r.selector.to_string())
        );
    }
}

/// How long `dot` may take for one figure.
pub const DOT_TIMEOUT: Duration = Duration::from_secs(30);

/// `figure` in `format`: DOT as is; SVG from `engine`; PNG and PDF converted from
/// that SVG ([`crate::render::convert`]).
///
/// # Errors
/// Graphviz failing, or the conversion failing (a PNG too large to draw).
pub fn figure_bytes(
    figure: &Figure,
    format: FigureFormat,
    engine: SvgEngine,
) -> Result<Vec<u8>, Error> {
    if format == FigureFormat::Dot {
        return Ok(figure.to_dot().into_bytes());
    }
    let svg = figure
        .to_svg(engine, DOT_TIMEOUT)
        .map_err(|e| Error::Failed(e.to_string()))?;
    match format {
        FigureFormat::Png => crate::render::convert::svg_to_png(&svg).map_err(Error::from),
        FigureFormat::Pdf => crate::render::convert::svg_to_pdf(&svg).map_err(Error::from),
        FigureFormat::Svg | FigureFormat::Dot => Ok(svg.into_bytes()),
    }
}

/// Resolves a target: a node id, else a country code (any case).
///
/// # Errors
/// A usage error with the closest id or code.
pub fn resolve_target(world: &World, text: &str, any_capability: bool) -> Result<Target, Error> {
    if let Some(i) = world.lookup(text) {
        if any_capability {
            return Err(Error::Usage(format!(
                "`--any-capability` applies to a country target, and `{text}` is a node"
            )));
        }
        return Ok(Target::Node(i));
    }
    if let Some(index) = world.country_index(&text.to_ascii_uppercase()) {
        if world.countries[index].capabilities.is_empty() {
            return Err(Error::Usage(format!(
                "country `{}` lists no capabilities, so it cannot fail",
                world.countries[index].code
            )));
        }
        return Ok(Target::Country {
            index,
            any_capability,
        });
    }
    let names = world
        .ids
        .keys()
        .map(String::as_str)
        .chain(world.countries.iter().map(|c| c.code.as_str()));
    let help = match did_you_mean(text, names) {
        Some(s) => format!("did you mean `{s}`?"),
        None => "give a node id or a country code; `jenga check` lists the data".to_owned(),
    };
    Err(Error::Usage(format!(
        "`{text}` is neither a node id nor a country code; {help}"
    )))
}

/// The candidates named by `--over`: `leaves` (organizations and nodes that need
/// nothing), `all`, or selectors; several values are united.
///
/// # Errors
/// A usage error for a bad selector.
pub fn candidates(world: &World, over: &[String]) -> Result<Vec<bool>, Error> {
    let mut pick = vec![false; world.len()];
    let over: Vec<&str> = if over.is_empty() {
        vec!["leaves"]
    } else {
        over.iter()
            .flat_map(|s| s.split(','))
            .map(str::trim)
            .collect()
    };
    for sel in over {
        match sel {
            "leaves" => {
                for i in world.indices() {
                    let n = world.node(i);
                    if n.is_org() || n.needs.is_empty() {
                        pick[i.index()] = true;
                    }
                }
            }
            "all" => pick.iter_mut().for_each(|p| *p = true),
            s => {
                let parsed =
                    Selector::parse(s, world).map_err(|e| Error::Usage(format!("--over: {e}")))?;
                for i in parsed.resolve(world) {
                    pick[i.index()] = true;
                }
            }
        }
    }
    Ok(pick)
}
