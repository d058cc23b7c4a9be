//! The report planned in memory: every figure model, table and text file but the
//! drawn figures and the two pages.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use crate::analysis::cascade::Cascade;
use crate::analysis::chokepoints::{self, By, Chokepoints};
use crate::analysis::scenario;
use crate::analysis::tables;
use crate::error::Error;
use crate::graph::{NodeIdx, World};
use crate::model::SourceTable;
use crate::output::{Format, Table};
use crate::present::{analyses, figures};
use crate::render::Figure;
use crate::render::tower::{self, Marks};

use super::tables::{
    countries_table, matrix_table, overview_table, raw_table, scenario_table, tower_table,
    with_newline,
};
use super::{CountrySummary, Fig, Plan, ScenarioEntry, ScenarioInput, Section, Sheet, slug};

/// Adds to `files` the CSV file of each sheet that has none yet.
fn sheet_files(sheets: &[Sheet], files: &mut BTreeMap<String, String>) {
    for (_, csv, _, table) in sheets {
        files.entry(csv.clone()).or_insert_with(|| table.to_csv());
    }
}

/// `report.xlsx`: a `contents` sheet (sheet, CSV file of the report with the same
/// cells, what it is), then one sheet per table of `sheets` (title, CSV path, what,
/// table).
///
/// # Errors
/// The workbook cannot be written.
pub fn workbook(sheets: &[Sheet]) -> Result<Vec<u8>, Error> {
    let titles: Vec<&str> = std::iter::once("contents")
        .chain(sheets.iter().map(|s| s.0.as_str()))
        .collect();
    let names = crate::xlsx::sheet_names(&titles);
    let mut contents = Table::new(["sheet", "csv", "table"]);
    for (name, (_, csv, what, _)) in names.iter().skip(1).zip(sheets) {
        contents.push([name.clone(), csv.clone(), what.clone()]);
    }
    let all: Vec<(String, &Table)> = std::iter::once((names[0].clone(), &contents))
        .chain(
            names
                .iter()
                .skip(1)
                .cloned()
                .zip(sheets.iter().map(|s| &s.3)),
        )
        .collect();
    Ok(crate::xlsx::workbook(&all)?)
}

/// Builds the whole report in memory (everything but the SVGs).
///
/// # Complexity
/// Dominated by the chokepoint sweeps ([`chokepoints::rank_nodes`],
/// [`chokepoints::rank_jurisdictions`]) and one scenario evaluation per file; the
/// figures are built in O(V + E) each.
pub fn plan(world: &World, inputs: Vec<ScenarioInput>) -> Result<Plan, Error> {
    let cascade = Cascade::new(world);
    let ranking = chokepoints::chokepoints(&cascade, By::Node, None);
    let (juris_rank, juris) = chokepoints::rank_jurisdictions(&cascade);
    let choke = figures::chokepoint_flags(world, &ranking);
    let exposure = chokepoints::exposure(&cascade);
    let marks = Marks {
        chokepoints: &choke,
        chokepoint_top: figures::CHOKEPOINT_TOP,
        overlay: None,
    };
    let mut figs = Vec::new();
    let mut files = BTreeMap::new();

    figs.push(Fig {
        stem: "overview".to_owned(),
        section: Section::Overview,
        figure: Figure::Diagram(crate::render::summary::fold(
            world,
            tower::overview(world, &marks, &exposure),
        )),
        data: overview_table(world, &exposure, &choke),
    });
    crate::timings::mark("report: rankings");
    let matrix = figures::exposure_matrix(&cascade, &ranking, &juris)?;
    figs.push(Fig {
        stem: "matrix".to_owned(),
        section: Section::Matrix,
        data: matrix_table(&matrix),
        figure: Figure::Matrix(matrix),
    });
    crate::timings::mark("report: overview and matrix");
    // The towers, built in parallel and kept in the countries' order.
    let towers: Vec<(CountrySummary, Fig)> = world
        .countries
        .par_iter()
        .filter_map(|c| {
            let d = tower::tower(world, &c.code, &marks)?;
            let cone = scenario::cone(world, &c.capabilities);
            let comps: Vec<NodeIdx> = cone
                .iter()
                .copied()
                .filter(|&i| !world.node(i).is_org())
                .collect();
            let ids: BTreeSet<&str> = c
                .capabilities
                .iter()
                .map(|&k| world.node(k).id.as_str())
                .collect();
            let summary = CountrySummary {
                code: c.code.clone(),
                name: c.name.clone(),
                capabilities: c
                    .capabilities
                    .iter()
                    .map(|&k| world.node(k).name.clone())
                    .collect(),
                components: comps.len(),
                foreign: comps
                    .iter()
                    .filter(|&&i| world.node(i).jurisdiction.as_deref() != Some(c.code.as_str()))
                    .count(),
                failing_removals: ranking
                    .ranking
                    .iter()
                    .filter(|r| r.failed.iter().any(|f| ids.contains(f.id.as_str())))
                    .count(),
            };
            let fig = Fig {
                stem: format!("towers/{}", slug(&c.code)),
                section: Section::Tower,
                figure: Figure::Diagram(crate::render::summary::fold(world, d)),
                data: tower_table(world, &c.code, &c.capabilities, &choke),
            };
            Some((summary, fig))
        })
        .collect();
    let mut countries = Vec::with_capacity(towers.len());
    for (summary, fig) in towers {
        countries.push(summary);
        figs.push(fig);
    }

    crate::timings::mark("report: towers");
    // Concentration by country, once for the chip section and `concentration.md`.
    let by_country = if world.quantities.is_empty() {
        Vec::new()
    } else {
        crate::analysis::concentration::concentration(
            world,
            crate::analysis::concentration::By::Country,
        )
    };
    let chip = super::chip::section(world, &cascade, &by_country, &choke).map(|(section, fig)| {
        figs.push(fig);
        section
    });

    for (name, result) in [("chokepoints", &ranking)] {
        for (ext, format) in [
            ("md", Format::Markdown),
            ("csv", Format::Csv),
            ("json", Format::Json),
        ] {
            files.insert(
                format!("{name}.{ext}"),
                with_newline(analyses::render_chokepoints(result, format)?),
            );
        }
    }
    let by_jurisdiction = Chokepoints {
        by: By::Jurisdiction,
        candidates: juris_rank.len(),
        ranking: juris_rank,
        matrix: Some(juris),
        touched: 0,
    };
    for (ext, format) in [
        ("md", Format::Markdown),
        ("csv", Format::Csv),
        ("json", Format::Json),
    ] {
        files.insert(
            format!("jurisdictions.{ext}"),
            with_newline(analyses::render_chokepoints(&by_jurisdiction, format)?),
        );
    }

    crate::timings::mark("report: chip layer and rankings' files");
    let mut source_tables = Vec::new();
    for (stem, which) in [
        ("models", SourceTable::Models),
        ("infrastructure", SourceTable::Infrastructure),
    ] {
        // A world without the source's table rows (a fixture) has no such table.
        let Ok(t) = tables::regenerate(world, which) else {
            continue;
        };
        if t.rows.is_empty() {
            continue;
        }
        let table = t.to_table();
        files.insert(
            format!("tables/{stem}.md"),
            with_newline(table.to_markdown()),
        );
        files.insert(format!("tables/{stem}.csv"), table.to_csv());
        files.insert(
            format!("tables/{stem}.json"),
            with_newline(crate::output::to_json(&t).map_err(Error::from)?),
        );
        source_tables.push((stem.to_owned(), table));
    }

    // The scenarios, evaluated in parallel and kept in file order.
    type Done = (Fig, Vec<(String, String)>, ScenarioEntry);
    let done: Vec<Done> = inputs
        .into_par_iter()
        .enumerate()
        .map(|(k, input)| -> Result<Done, Error> {
            let ScenarioInput {
                file,
                stem,
                scenario: s,
            } = input;
            let report = scenario::report(&cascade, &s);
            let out = cascade.evaluate_scenario(&s.removals);
            let merged = figures::merged_overlay(
                world,
                &figures::scenario_title(&s.name, &s.removals),
                &out,
            );
            let fig = Fig {
                stem: format!("scenarios/{stem}/overview"),
                section: Section::Scenario(k),
                figure: Figure::Diagram(crate::render::summary::fold(
                    world,
                    tower::overview(
                        world,
                        &Marks {
                            chokepoints: &choke,
                            chokepoint_top: figures::CHOKEPOINT_TOP,
                            overlay: Some(&merged),
                        },
                        &exposure,
                    ),
                )),
                data: scenario_table(&report),
            };
            // A world with shares or capacities adds the quantitative reading, as
            // `jenga scenario` does (the seed has none, so its files are unchanged).
            let quantities = (!world.quantities.is_empty())
                .then(|| crate::analysis::quantity::reading(world, &out));
            let mut texts = Vec::new();
            for (ext, format) in [("md", Format::Markdown), ("json", Format::Json)] {
                texts.push((
                    format!("scenarios/{stem}.{ext}"),
                    with_newline(analyses::render_scenario_with(
                        &report,
                        quantities.as_ref(),
                        format,
                    )?),
                ));
            }
            Ok((fig, texts, ScenarioEntry { file, stem, report }))
        })
        .collect::<Result<_, Error>>()?;
    let mut scenarios = Vec::with_capacity(done.len());
    for (fig, texts, entry) in done {
        figs.push(fig);
        files.extend(texts);
        scenarios.push(entry);
    }
    crate::timings::mark("report: scenarios");
    let dots: Vec<(String, String)> = figs
        .par_iter()
        .map(|f| (format!("{}.dot", f.stem), f.figure.to_dot()))
        .collect();
    files.extend(dots);

    // Every table, one sheet each, with the CSV file that holds the same cells.
    let mut sheets: Vec<(String, String, String, Table)> = vec![(
        "countries".to_owned(),
        "countries.csv".to_owned(),
        "The countries: capabilities, components, foreign ones".to_owned(),
        countries_table(&countries),
    )];
    let xlsx = Format::Xlsx;
    sheets.push((
        "chokepoints".to_owned(),
        "chokepoints.csv".to_owned(),
        "Chokepoints by node: the full ranking".to_owned(),
        raw_table(&analyses::render_chokepoints(&ranking, xlsx)?)?,
    ));
    let ranking_only = Chokepoints {
        matrix: None,
        ..by_jurisdiction.clone()
    };
    sheets.push((
        "jurisdictions".to_owned(),
        "jurisdiction-ranking.csv".to_owned(),
        "Chokepoints by jurisdiction: the ranking".to_owned(),
        raw_table(&analyses::render_chokepoints(&ranking_only, xlsx)?)?,
    ));
    sheets.push((
        "jurisdiction matrix".to_owned(),
        "jurisdictions.csv".to_owned(),
        "Which jurisdiction's cut-off fails which capability (rows: countries)".to_owned(),
        raw_table(&analyses::render_chokepoints(&by_jurisdiction, xlsx)?)?,
    ));
    for f in &figs {
        let title = match &f.section {
            Section::Overview => "overview".to_owned(),
            Section::Matrix => "exposure matrix".to_owned(),
            Section::Tower => format!(
                "tower {}",
                f.stem.trim_start_matches("towers/").to_uppercase()
            ),
            Section::Scenario(k) => format!("{} by country", scenarios[*k].stem),
            Section::ChipLayer => "EUV chain".to_owned(),
        };
        sheets.push((
            title,
            format!("{}.csv", f.stem),
            format!("The data of the figure {}", f.figure.title()),
            f.data.clone(),
        ));
    }
    for s in &scenarios {
        sheets.push((
            s.stem.clone(),
            format!("scenarios/{}.csv", s.stem),
            format!("Scenario {}: every node affected", s.report.name),
            raw_table(&analyses::render_scenario(&s.report, xlsx)?)?,
        ));
    }
    for (stem, t) in &source_tables {
        sheets.push((
            stem.clone(),
            format!("tables/{stem}.csv"),
            t.title.clone().unwrap_or_else(|| stem.clone()),
            t.clone(),
        ));
    }
    if let Some(t) = crate::present::concentration::concentration_files(&by_country, &mut files) {
        sheets.push((
            "concentration".to_owned(),
            "concentration.csv".to_owned(),
            "Concentration by country per input (top share, HHI, countries to 75 %)".to_owned(),
            t,
        ));
    }
    if let Some(c) = &chip {
        for (title, csv, what, table) in [
            (
                "chip concentration",
                "chip-layer/concentration.csv",
                "The chip layer's most concentrated inputs by country",
                &c.concentration,
            ),
            (
                "chip supply",
                "chip-layer/supply.csv",
                "The lithography tools' supply surviving the cut-off",
                &c.supply,
            ),
            (
                "chip countries",
                "chip-layer/countries.csv",
                "What each country loses when the lithography suppliers are cut off",
                &c.countries,
            ),
        ] {
            sheets.push((
                title.to_owned(),
                csv.to_owned(),
                what.to_owned(),
                table.clone(),
            ));
        }
    }
    crate::timings::mark("report: DOT and tables");
    sheet_files(&sheets, &mut files);
    Ok(Plan {
        figures: figs,
        files,
        scenarios,
        ranking,
        countries,
        source_tables,
        chip,
        sheets,
    })
}
