//! The analysis commands: parse their arguments against the world, run the pure
//! analyses of [`crate::analysis`], and print the result in the chosen format.

use std::path::Path;

use crate::analysis::cascade::Cascade;
use crate::analysis::scenario::{self, Scenario};
use crate::config::Config;
use crate::graph::World;
use crate::output::Format;
use crate::output::{Table, to_json};

use super::common::{RemovalFlags, load_scenario, removals_from_flags, warn_empty_selectors};
use super::{Error, open};
use crate::present::analyses::{
    render_chokepoints, render_dependents, render_scenario_with, render_sovereignty, render_why,
};

/// `jenga scenario`.
pub fn scenario(
    config: &Config,
    file: Option<&Path>,
    flags: RemovalFlags<'_>,
    format: Format,
) -> Result<(), Error> {
    let opened = open(config, false)?;
    let world = &opened.world;
    let extra = removals_from_flags(world, flags)?;
    let mut scenario = match file {
        Some(path) => load_scenario(config, path, world)?,
        None => {
            if extra.is_empty() {
                return Err(Error::Usage(
                    "nothing to remove: give `--remove SEL` (an id, `jurisdiction:XX` or \
                     `layer:NAME`) or a scenario file"
                        .into(),
                ));
            }
            Scenario {
                name: "command line".to_owned(),
                description: None,
                removals: Vec::new(),
            }
        }
    };
    scenario.removals.extend(extra);
    warn_empty_selectors(config, &scenario.removals);
    let cascade = Cascade::new(world);
    crate::timings::mark("prepare");
    let report = scenario::report(&cascade, &scenario);
    // The quantitative reading, only for a world that gives shares or capacities
    // (so the boolean outputs of other worlds stay as they were).
    let quantities = (!world.quantities.is_empty()).then(|| {
        crate::analysis::quantity::reading(world, &cascade.evaluate_scenario(&scenario.removals))
    });
    crate::timings::mark("scenario");
    super::emit(
        config,
        format,
        &render_scenario_with(&report, quantities.as_ref(), format)?,
    )?;
    crate::timings::mark("output");
    Ok(())
}

/// `jenga concentration`.
pub fn concentration(
    config: &Config,
    by: crate::analysis::concentration::By,
    format: Format,
) -> Result<(), Error> {
    use crate::analysis::concentration::{By, concentration};
    let opened = open(config, false)?;
    let rows = concentration(&opened.world, by);
    if format == Format::Json {
        #[derive(serde::Serialize)]
        struct Out<'a> {
            by: By,
            inputs: &'a [crate::analysis::concentration::Concentration],
        }
        super::emit(
            config,
            format,
            &to_json(&Out { by, inputs: &rows }).map_err(Error::from)?,
        )?;
        return Ok(());
    }
    let t = crate::present::concentration::concentration_table(&rows, by);
    super::emit(config, format, t.render(format))?;
    Ok(())
}

/// `jenga chokepoints --key supply|capacity`: the quantitative sweep.
pub fn quantity_chokepoints(
    config: &Config,
    top: Option<usize>,
    by: crate::analysis::chokepoints::By,
    key: crate::analysis::quantity::Key,
    format: Format,
) -> Result<(), Error> {
    use crate::analysis::quantity::sweep;
    let opened = open(config, false)?;
    let cascade = Cascade::new(&opened.world);
    let rows = sweep(&cascade, by, key, top);
    if format == Format::Json {
        super::emit(config, format, &to_json(&rows).map_err(Error::from)?)?;
        return Ok(());
    }
    let mut t = Table::new([
        "rank",
        "id",
        "name",
        "supply lost",
        "supplies cut to 0 %",
        "capacity lost",
    ])
    .titled("Chokepoints by quantity");
    for r in &rows {
        let cap: Vec<String> = r
            .capacity_lost
            .iter()
            .map(|(u, x)| format!("{} {u}", crate::present::analyses::amount(*x)))
            .collect();
        t.push([
            r.rank.to_string(),
            r.id.clone(),
            r.name.clone(),
            format!("{:.2}", r.supply_lost),
            r.supply_cut.to_string(),
            cap.join(", "),
        ]);
    }
    super::emit(config, format, t.render(format))?;
    Ok(())
}

/// `jenga chokepoints`.
pub fn chokepoints(
    config: &Config,
    top: Option<usize>,
    by: crate::analysis::chokepoints::By,
    format: Format,
) -> Result<(), Error> {
    let opened = open(config, false)?;
    let cascade = Cascade::new(&opened.world);
    crate::timings::mark("prepare");
    let spinner = crate::progress::Progress::spinner(config, "sweeping chokepoints");
    let result = crate::analysis::chokepoints::chokepoints(&cascade, by, top);
    spinner.finish();
    crate::timings::mark("sweep");
    crate::timings::count("sweep-touched", result.touched);
    super::emit(config, format, &render_chokepoints(&result, format)?)?;
    crate::timings::mark("output");
    Ok(())
}

fn lookup_node(world: &World, text: &str, what: &str) -> Result<crate::graph::NodeIdx, Error> {
    world.lookup(text).ok_or_else(|| {
        let help = match crate::diag::did_you_mean(text, world.ids.keys().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "run `jenga check` to validate the data and see what it holds".to_owned(),
        };
        Error::Usage(format!(
            "no node or organization has the id `{text}` ({what}); {help}"
        ))
    })
}

/// `jenga why TARGET NODE`.
pub fn why(
    config: &Config,
    target: &str,
    node: &str,
    max_paths: usize,
    format: Format,
) -> Result<(), Error> {
    let opened = open(config, false)?;
    let world = &opened.world;
    let from = match world.country(target) {
        Some(c) => c.capabilities.clone(),
        None => vec![lookup_node(
            world,
            target,
            "the target: a node id or a country code",
        )?],
    };
    let node = lookup_node(world, node, "the node depended on")?;
    let result = crate::analysis::paths::why(world, &from, node, max_paths);
    super::emit(config, format, &render_why(&result, target, format)?)?;
    Ok(())
}

/// `jenga dependents NODE`.
pub fn dependents(config: &Config, node: &str, format: Format) -> Result<(), Error> {
    let opened = open(config, false)?;
    let world = &opened.world;
    let node = lookup_node(world, node, "the node whose blast radius to show")?;
    let cascade = Cascade::new(world);
    let result = crate::analysis::paths::dependents(&cascade, node);
    super::emit(config, format, &render_dependents(&result, format)?)?;
    Ok(())
}

/// `jenga sovereignty [CC]`.
pub fn sovereignty(config: &Config, country: Option<&str>, format: Format) -> Result<(), Error> {
    let opened = open(config, false)?;
    let world = &opened.world;
    if let Some(code) = country {
        scenario::check_country(world, code).map_err(|(m, h)| Error::Usage(format!("{m}; {h}")))?;
    }
    let cascade = Cascade::new(world);
    let result = crate::analysis::sovereignty::profiles(&cascade, country);
    super::emit(config, format, &render_sovereignty(&result, format)?)?;
    Ok(())
}
