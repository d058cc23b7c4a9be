//! `jenga report [-o DIR]`: every figure and table of the data into one directory.
//!
//! The report is planned in memory as a list of files (a [`Plan`]): the figures (a
//! tower per country, the overview, the exposure matrix, and for each scenario the
//! overview with its overlay) as DOT and SVG, the chokepoint rankings, the source
//! tables, each scenario's result, `report.md` and `index.html`. The SVGs are drawn in
//! parallel (rayon; one `dot` process per figure with Graphviz). A scenario's effect on
//! one country's tower is `jenga render CC --scenario FILE`: the report leaves those
//! out because each `dot` run costs about 40 ms and the report is meant to take under
//! a second. The directory is then written through
//! [`crate::fsutil::Writer::write_dir`]: built beside `DIR` and swapped in whole, so a
//! failure at any step leaves the previous report untouched. Every file is a pure
//! function of the data and the scenario files: two runs give the same bytes.
//!
//! `index.html` needs no JavaScript and fetches nothing from the network: it shows the
//! figures from the SVG files beside it (relative links inside `DIR`), each with its
//! caption and its data as a table; all text from the data is escaped.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::analysis::NodeStatus;
use crate::analysis::cascade::Cascade;
use crate::analysis::chokepoints::{self, By, Chokepoints};
use crate::analysis::scenario::{self, ScenarioReport};
use crate::analysis::tables;
use crate::cli::{Config, Engine, Format};
use crate::fsutil::Writer;
use crate::graph::{NodeIdx, World};
use crate::model::{Layer, SourceTable};
use crate::output::{Table, markdown_cell};
use crate::render::tower::{self, Marks};
use crate::render::{Figure, RenderError, SvgEngine, graphviz, text::xml};

use super::common::{self, DOT_TIMEOUT, engine as svg_engine};
use super::{Error, open};
use crate::present::{analyses, figures};

/// How many chokepoints the report's summary table shows (the files hold them all).
const SUMMARY_TOP: usize = 10;

/// Where a figure belongs in the report.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Section {
    Overview,
    Matrix,
    Tower,
    /// A scenario, by its index in the plan's scenario list.
    Scenario(usize),
}

/// One figure of the report.
struct Fig {
    /// Path inside the report without extension (`towers/sg`).
    stem: String,
    /// Where it is shown.
    section: Section,
    /// The figure.
    figure: Figure,
    /// Its data, shown under it.
    data: Table,
}

/// One scenario of the report.
struct ScenarioEntry {
    /// The file, as found in the scenarios directory.
    file: String,
    /// The file name's stem (`us-cutoff`), used for paths and anchors.
    stem: String,
    /// Its result.
    report: ScenarioReport,
}

/// Everything the report says, before any SVG is drawn.
struct Plan {
    figures: Vec<Fig>,
    /// Text files by path.
    files: BTreeMap<String, String>,
    scenarios: Vec<ScenarioEntry>,
    /// The chokepoint ranking by node.
    ranking: Chokepoints,
    /// Countries: (code, name, capabilities, components in the cone, foreign ones).
    countries: Vec<CountrySummary>,
    /// The source tables, for the HTML page.
    source_tables: Vec<(String, Table)>,
    /// `report.xlsx`: every table of the report, one sheet each.
    workbook: Vec<u8>,
}

/// The name of the report's workbook.
const WORKBOOK: &str = "report.xlsx";

/// The table of the countries, atop the report.
fn countries_table(countries: &[CountrySummary]) -> Table {
    let mut t = Table::new([
        "country",
        "capabilities",
        "components",
        "foreign",
        "single removals that fail it",
        "tower",
    ]);
    for c in countries {
        t.push([
            format!("{} ({})", c.name, c.code),
            c.capabilities.join("; "),
            c.components.to_string(),
            c.foreign.to_string(),
            c.failing_removals.to_string(),
            format!("towers/{}.svg", slug(&c.code)),
        ]);
    }
    t
}

/// A table as the lossless text of `--format xlsx`, read back.
fn raw_table(text: &str) -> Result<Table, Error> {
    Ok(crate::xlsx::table_from_raw_csv(text)?)
}

/// `report.xlsx`: a `contents` sheet (sheet, CSV file of the report with the same
/// cells, what it is), then one sheet per table of `sheets` (title, CSV path, what,
/// table). The CSV files of the tables that have none yet are added to `files`.
fn workbook(
    sheets: Vec<(String, String, String, Table)>,
    files: &mut BTreeMap<String, String>,
) -> Result<Vec<u8>, Error> {
    let titles: Vec<&str> = std::iter::once("contents")
        .chain(sheets.iter().map(|s| s.0.as_str()))
        .collect();
    let names = crate::xlsx::sheet_names(&titles);
    let mut contents = Table::new(["sheet", "csv", "table"]);
    for (name, (_, csv, what, table)) in names.iter().skip(1).zip(&sheets) {
        contents.push([name.clone(), csv.clone(), what.clone()]);
        files.entry(csv.clone()).or_insert_with(|| table.to_csv());
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

struct CountrySummary {
    code: String,
    name: String,
    capabilities: Vec<String>,
    components: usize,
    foreign: usize,
    /// Worst status over single-node removals: how many removals fail it.
    failing_removals: usize,
}

/// A lowercase, file-name-safe form of a country code or file stem.
fn slug(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let s = s.trim_start_matches(['-', '_']).to_owned();
    if s.is_empty() { "x".to_owned() } else { s }
}

/// The scenario files of `dir`, sorted; none when it does not exist.
fn scenario_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::Failed(format!("cannot read `{}`: {e}", dir.display())))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    files.sort();
    Ok(files)
}

fn layer_rank(world: &World, i: NodeIdx) -> usize {
    world
        .node(i)
        .layer
        .map_or(Layer::ALL.len(), Layer::rank_top_down)
}

fn layer_name(world: &World, i: NodeIdx) -> String {
    world
        .node(i)
        .layer
        .map_or_else(|| "organization".to_owned(), |l| l.as_str().to_owned())
}

fn owner_of(world: &World, i: NodeIdx) -> String {
    world
        .node(i)
        .org
        .map(|o| world.node(o).name.clone())
        .unwrap_or_default()
}

/// The data under a tower: the components of the country's cone, top layer first.
fn tower_table(world: &World, code: &str, caps: &[NodeIdx], choke: &[bool]) -> Table {
    let mut t = Table::new([
        "layer",
        "component",
        "id",
        "owner",
        "jurisdiction",
        "domestic",
        "chokepoint",
    ]);
    let mut cone: Vec<NodeIdx> = scenario::cone(world, caps)
        .into_iter()
        .filter(|&i| !world.node(i).is_org())
        .collect();
    cone.sort_by_key(|&i| (layer_rank(world, i), i.index()));
    for i in cone {
        let n = world.node(i);
        let j = n.jurisdiction.clone().unwrap_or_default();
        t.push([
            layer_name(world, i),
            n.name.clone(),
            n.id.clone(),
            owner_of(world, i),
            j.clone(),
            if j == code { "yes" } else { "" }.to_owned(),
            if choke.get(i.index()).copied().unwrap_or(false) {
                "yes"
            } else {
                ""
            }
            .to_owned(),
        ]);
    }
    t
}

/// The data under the overview: the blocks at least two countries depend on.
fn overview_table(world: &World, exposure: &[usize], choke: &[bool]) -> Table {
    let mut t = Table::new([
        "layer",
        "block",
        "id",
        "owner",
        "jurisdiction",
        "countries depending on it",
        "chokepoint",
    ]);
    let mut shared: Vec<NodeIdx> = world
        .indices()
        .filter(|&i| exposure[i.index()] >= 2 && !world.is_capability(i))
        .collect();
    shared.sort_by_key(|&i| {
        (
            std::cmp::Reverse(exposure[i.index()]),
            layer_rank(world, i),
            i.index(),
        )
    });
    for i in shared {
        let n = world.node(i);
        t.push([
            layer_name(world, i),
            n.name.clone(),
            n.id.clone(),
            owner_of(world, i),
            n.jurisdiction.clone().unwrap_or_default(),
            exposure[i.index()].to_string(),
            if choke[i.index()] { "yes" } else { "" }.to_owned(),
        ]);
    }
    t
}

/// The matrix's own cells as a table.
fn matrix_table(m: &crate::render::matrix::Matrix) -> Table {
    let headers = std::iter::once("country".to_owned()).chain(
        m.groups
            .iter()
            .flat_map(|g| g.columns.iter().map(move |c| format!("{c} ({})", g.label))),
    );
    let mut t = Table::new(headers);
    for (r, row) in m.rows.iter().zip(&m.cells) {
        t.push(
            std::iter::once(r.clone()).chain(
                row.iter()
                    .map(|s| crate::render::matrix::cell_word(*s).to_owned()),
            ),
        );
    }
    t
}

/// Per country: its status and its capabilities' statuses in a scenario.
fn scenario_table(r: &ScenarioReport) -> Table {
    let mut t = Table::new([
        "country",
        "status",
        "capabilities",
        "failed or unknown nodes",
    ]);
    for c in &r.countries {
        let caps: Vec<String> = c
            .capabilities
            .iter()
            .map(|k| format!("{}: {}", k.name, k.status.as_str()))
            .collect();
        let lost: Vec<&str> = c
            .affected
            .iter()
            .filter(|a| matches!(a.status, NodeStatus::Failed | NodeStatus::Unknown))
            .map(|a| a.id.as_str())
            .collect();
        t.push([
            format!("{} ({})", c.name, c.code),
            c.status.as_str().to_owned(),
            caps.join("; "),
            lost.join(" "),
        ]);
    }
    t
}

fn with_newline(mut s: String) -> String {
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
}

/// Builds the whole report in memory (everything but the SVGs).
///
/// # Complexity
/// Dominated by the chokepoint sweeps ([`chokepoints::rank_nodes`],
/// [`chokepoints::rank_jurisdictions`]) and one scenario evaluation per file; the
/// figures are built in O(V + E) each.
fn plan(config: &Config, world: &World, scenarios_dir: &Path) -> Result<Plan, Error> {
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
            tower::overview(world, &marks),
        )),
        data: overview_table(world, &exposure, &choke),
    });
    let matrix = figures::exposure_matrix(&cascade, &ranking, &juris)?;
    figs.push(Fig {
        stem: "matrix".to_owned(),
        section: Section::Matrix,
        data: matrix_table(&matrix),
        figure: Figure::Matrix(matrix),
    });
    let mut countries = Vec::new();
    for c in &world.countries {
        let Some(d) = tower::tower(world, &c.code, &marks) else {
            continue;
        };
        let cone = scenario::cone(world, &c.capabilities);
        let comps: Vec<NodeIdx> = cone
            .iter()
            .copied()
            .filter(|&i| !world.node(i).is_org())
            .collect();
        countries.push(CountrySummary {
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
                .filter(|r| {
                    r.failed
                        .iter()
                        .any(|f| c.capabilities.iter().any(|&k| world.node(k).id == f.id))
                })
                .count(),
        });
        figs.push(Fig {
            stem: format!("towers/{}", slug(&c.code)),
            section: Section::Tower,
            figure: Figure::Diagram(crate::render::summary::fold(world, d)),
            data: tower_table(world, &c.code, &c.capabilities, &choke),
        });
    }

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

    let mut scenarios = Vec::new();
    for path in scenario_files(scenarios_dir)? {
        let s = common::load_scenario(config, &path, world)?;
        let stem = slug(
            &path
                .file_stem()
                .map(|x| x.to_string_lossy().into_owned())
                .unwrap_or_default(),
        );
        let report = scenario::report(&cascade, &s);
        let out = cascade.evaluate_scenario(&s.removals);
        let k = scenarios.len();
        let merged =
            figures::merged_overlay(world, &figures::scenario_title(&s.name, &s.removals), &out);
        figs.push(Fig {
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
                ),
            )),
            data: scenario_table(&report),
        });
        // A world with shares or capacities adds the quantitative reading, as
        // `jenga scenario` does (the seed has none, so its files are unchanged).
        let quantities =
            (!world.quantities.is_empty()).then(|| crate::analysis::quantity::reading(world, &out));
        for (ext, format) in [("md", Format::Markdown), ("json", Format::Json)] {
            files.insert(
                format!("scenarios/{stem}.{ext}"),
                with_newline(analyses::render_scenario_with(
                    &report,
                    quantities.as_ref(),
                    format,
                )?),
            );
        }
        scenarios.push(ScenarioEntry {
            file: path.display().to_string(),
            stem,
            report,
        });
    }
    for f in &figs {
        files.insert(format!("{}.dot", f.stem), f.figure.to_dot());
    }

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
    if let Some(t) = crate::present::concentration::concentration_files(world, &mut files) {
        sheets.push((
            "concentration".to_owned(),
            "concentration.csv".to_owned(),
            "Concentration by country per input (top share, HHI, countries to 75 %)".to_owned(),
            t,
        ));
    }
    let workbook = workbook(sheets, &mut files)?;
    Ok(Plan {
        figures: figs,
        files,
        scenarios,
        ranking,
        countries,
        source_tables,
        workbook,
    })
}

// ---- report.md ---------------------------------------------------------------------

const TITLE: &str = "Sovereign-AI stacks: what falls when a block is pulled";

/// How many results rest on dependencies the sources do not state: the inferred
/// edges, and the capabilities whose cone crosses one (their statuses may change
/// under `--exclude-inferred`).
fn inferred_note(world: &World) -> String {
    let edges = world.inferred_count();
    let rests = world.rests_on_inferred();
    let caps: Vec<&str> = world
        .countries
        .iter()
        .flat_map(|c| &c.capabilities)
        .filter(|&&i| rests[i.index()])
        .map(|&i| world.node(i).id.as_str())
        .collect();
    let total: usize = world.countries.iter().map(|c| c.capabilities.len()).sum();
    format!(
        "Inferred dependencies: {edges} dependencies are marked `inferred` (the source does \
         not state them; each carries its reason and the sources it rests on). {} of {total} capabilities rest on one{}; \
         every analysis can be rerun without them with `--exclude-inferred`.",
        caps.len(),
        if caps.is_empty() {
            String::new()
        } else {
            format!(" ({})", caps.join(", "))
        }
    )
}

fn md_figure(m: &mut String, f: &Fig) {
    let _ = writeln!(
        m,
        "![{0}]({1}.svg)\n\n*{0}* ([SVG]({1}.svg), [PNG]({1}.png), [PDF]({1}.pdf), [DOT]({1}.dot); \
         data: [CSV]({1}.csv), [xlsx]({WORKBOOK}))\n",
        markdown_cell(f.figure.title()),
        f.stem,
    );
}

fn report_md(world: &World, p: &Plan) -> Result<String, Error> {
    let mut m = String::new();
    let _ = writeln!(m, "# {TITLE}\n");
    let _ = writeln!(
        m,
        "Generated by `jenga report` from the stack files: {} countries, {} nodes, {} \
         scenarios. Regenerate with `cargo run --release -- report`; do not edit by hand. \
         [index.html](index.html) is the same report as a web page.\n",
        world.countries.len(),
        world.len(),
        p.scenarios.len()
    );
    let _ = writeln!(
        m,
        "## Countries\n\nEvery table of this report is also one sheet of [{WORKBOOK}]({WORKBOOK}) \
         (its `contents` sheet names each one's CSV file); each figure's data is the CSV beside it.\n"
    );
    m.push_str(&countries_table(&p.countries).to_markdown());
    let _ = writeln!(m, "\n{}", inferred_note(world));
    let sections = [
        ("Overview", Section::Overview),
        ("Exposure matrix", Section::Matrix),
    ];
    for (name, s) in sections {
        let _ = writeln!(m, "\n## {name}\n");
        for f in p.figures.iter().filter(|f| f.section == s) {
            md_figure(&mut m, f);
        }
    }
    let _ = writeln!(
        m,
        "## Chokepoints\n\nThe {SUMMARY_TOP} nodes whose removal alone does the most damage. \
         Full ranking: [md](chokepoints.md), [csv](chokepoints.csv), [json](chokepoints.json); \
         by jurisdiction: [md](jurisdictions.md), [csv](jurisdictions.csv), \
         [json](jurisdictions.json); both, with every other table, in [xlsx]({WORKBOOK}).\n"
    );
    let top = Chokepoints {
        by: p.ranking.by,
        candidates: p.ranking.candidates,
        ranking: p
            .ranking
            .ranking
            .iter()
            .take(SUMMARY_TOP)
            .cloned()
            .collect(),
        matrix: None,
        touched: p.ranking.touched,
    };
    m.push_str(analyses::render_chokepoints(&top, Format::Markdown)?.trim_end());
    let _ = writeln!(m, "\n\n## Towers\n");
    for f in p.figures.iter().filter(|f| f.section == Section::Tower) {
        md_figure(&mut m, f);
    }
    let _ = writeln!(m, "## Scenarios\n");
    for (k, s) in p.scenarios.iter().enumerate() {
        let r = &s.report;
        let _ = writeln!(m, "### {}\n", markdown_cell(&r.name));
        if let Some(d) = &r.description {
            let _ = writeln!(m, "{}\n", markdown_cell(d));
        }
        let _ = writeln!(
            m,
            "Details: [md](scenarios/{0}.md), [csv](scenarios/{0}.csv), [json](scenarios/{0}.json), \
             [xlsx]({WORKBOOK}).\n",
            s.stem
        );
        m.push_str(&scenario_table(r).to_markdown());
        m.push('\n');
        for f in p
            .figures
            .iter()
            .filter(|f| f.section == Section::Scenario(k))
        {
            md_figure(&mut m, f);
        }
    }
    if !p.source_tables.is_empty() {
        let _ = writeln!(m, "## The source's tables, regenerated from the data\n");
        for (stem, t) in &p.source_tables {
            m.push_str(&t.to_markdown());
            let _ = writeln!(
                m,
                "\nAs [md](tables/{stem}.md), [csv](tables/{stem}.csv), [json](tables/{stem}.json), \
             [xlsx]({WORKBOOK}).\n"
            );
        }
    }
    Ok(m)
}

// ---- index.html --------------------------------------------------------------------

const STYLE: &str = "\
body{font-family:Helvetica,Arial,'Liberation Sans','DejaVu Sans',sans-serif;color:#1f2328;\
background:#fff;max-width:72rem;margin:0 auto;padding:1rem 1.5rem 4rem;line-height:1.45}\
h1{font-size:1.7rem;margin:.5rem 0}h2{margin-top:2.5rem;border-bottom:2px solid #d0d4d9;\
padding-bottom:.2rem}h3{margin-top:2rem}\
nav{position:sticky;top:0;background:#f4f5f7;border:1px solid #d0d4d9;padding:.4rem .8rem;\
z-index:1}nav a{margin-right:1.2rem;font-weight:bold}\
a{color:#0058a3}figure{margin:1.5rem 0;border:1px solid #e1e4e8;padding:.8rem}\
figure .scroll{overflow-x:auto}\
figure img{display:block;margin:0 auto;max-width:100%;min-width:min(40rem,100%);height:auto}\
figcaption{color:#3d444d;margin-top:.5rem}figcaption b{color:#1f2328}\
table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}\
th,td{border:1px solid #d0d4d9;padding:.25rem .5rem;text-align:left;vertical-align:top}\
th{background:#f4f5f7}details{margin-top:.5rem}summary{cursor:pointer;color:#0058a3}\
.failed{background:#d55e00;color:#000;font-weight:bold}.unknown{background:#c3c7cc}\
.degraded{background:#f2c766}.intact{background:#e8f4ef}\
ul.toc{columns:3;padding-left:1.2rem}.note{color:#5a626b}\
@page{size:A4;margin:1.5cm}\
@media print{body{max-width:none;margin:0;padding:0;font-size:10pt;color:#000}\
nav,summary{display:none}a{color:#000;text-decoration:none}\
figure{break-inside:avoid;border:0;padding:0;margin:0 0 1rem}\
figure .scroll{overflow:visible}\
figure img{min-width:0;max-width:100%;max-height:24cm;width:auto;height:auto;object-fit:contain}\
h2{break-after:avoid}table{font-size:8pt}tr{break-inside:avoid}}";

fn h(s: &str) -> String {
    xml(s)
}

/// An HTML table; cells whose text is a status get its class.
fn html_table(t: &Table, caption: Option<&str>) -> String {
    let mut o = String::from("<table>");
    if let Some(c) = caption {
        let _ = write!(o, "<caption>{}</caption>", h(c));
    }
    o.push_str("<thead><tr>");
    for c in &t.headers {
        let _ = write!(o, "<th scope=\"col\">{}</th>", h(c));
    }
    o.push_str("</tr></thead><tbody>\n");
    for r in &t.rows {
        o.push_str("<tr>");
        for c in r {
            let class = match c.as_str() {
                "failed" | "fails" => " class=\"failed\"",
                "unknown" => " class=\"unknown\"",
                "degraded" | "degrades" => " class=\"degraded\"",
                "intact" | "spared" => " class=\"intact\"",
                _ => "",
            };
            let _ = write!(o, "<td{class}>{}</td>", h(c));
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody></table>\n");
    o
}

fn html_figure(o: &mut String, n: usize, f: &Fig) {
    let desc = match &f.figure {
        Figure::Diagram(d) => d.desc.as_str(),
        Figure::Matrix(m) => m.desc.as_str(),
    };
    let id = f.stem.replace('/', "-");
    let _ = write!(
        o,
        "<figure id=\"fig-{id}\">\n<div class=\"scroll\"><a href=\"{0}.svg\"><img src=\"{0}.svg\" \
         alt=\"{1}\"></a></div>\n<figcaption><b>Figure {n}. {2}</b> {3} \
         <a href=\"{0}.svg\">SVG</a> · <a href=\"{0}.png\">PNG</a> · <a href=\"{0}.pdf\">PDF</a> · \
         <a href=\"{0}.dot\">DOT</a>; data: <a href=\"{0}.csv\">CSV</a> · \
         <a href=\"{WORKBOOK}\">xlsx</a>\n\
         <details><summary>Data table ({4} rows)</summary>\n{5}</details></figcaption>\n</figure>\n",
        f.stem,
        h(desc),
        h(f.figure.title()),
        h(desc),
        f.data.rows.len(),
        html_table(&f.data, None)
    );
}

fn index_html(world: &World, p: &Plan) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src 'self'; style-src 'unsafe-inline'\">\n\
         <title>{TITLE}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <header><h1>{TITLE}</h1>\n<p>Generated by <code>jenga report</code> from the stack \
         files: {} countries, {} nodes, {} scenarios. Every figure below is an SVG file of \
         this directory, with its DOT source and its data; every table is also one sheet of \
         <a href=\"{WORKBOOK}\">{WORKBOOK}</a>.</p></header>\n\
         <nav aria-label=\"Contents\"><a href=\"#countries\">Countries</a><a href=\"#overview\">Overview</a>\
         <a href=\"#matrix\">Exposure matrix</a><a href=\"#chokepoints\">Chokepoints</a>\
         <a href=\"#towers\">Towers</a><a href=\"#scenarios\">Scenarios</a>{}</nav>\n<main>\n",
        world.countries.len(),
        world.len(),
        p.scenarios.len(),
        if p.source_tables.is_empty() {
            ""
        } else {
            "<a href=\"#tables\">Source tables</a>"
        }
    );
    let mut n = 0;
    // Countries.
    o.push_str(
        "<section id=\"countries\">\n<h2>Countries</h2>\n<table><thead><tr>\
        <th scope=\"col\">country</th><th scope=\"col\">capabilities</th>\
        <th scope=\"col\">components</th><th scope=\"col\">under foreign jurisdiction</th>\
        <th scope=\"col\">single removals that fail it</th></tr></thead><tbody>\n",
    );
    for c in &p.countries {
        let _ = writeln!(
            o,
            "<tr><td><a href=\"#tower-{}\">{} ({})</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            slug(&c.code),
            h(&c.name),
            h(&c.code),
            h(&c.capabilities.join("; ")),
            c.components,
            c.foreign,
            c.failing_removals
        );
    }
    let _ = writeln!(
        o,
        "</tbody></table>\n<p>{}</p>\n</section>",
        h(&inferred_note(world).replace('`', ""))
    );
    for (id, name, s) in [
        ("overview", "Overview", Section::Overview),
        ("matrix", "Exposure matrix", Section::Matrix),
    ] {
        let _ = writeln!(o, "<section id=\"{id}\">\n<h2>{name}</h2>");
        for f in p.figures.iter().filter(|f| f.section == s) {
            n += 1;
            html_figure(&mut o, n, f);
        }
        o.push_str("</section>\n");
    }
    // Chokepoints.
    let _ = writeln!(
        o,
        "<section id=\"chokepoints\">\n<h2>Chokepoints</h2>\n<p>The {SUMMARY_TOP} blocks \
         whose removal alone does the most damage, of {} candidates. Full ranking: \
         <a href=\"chokepoints.md\">Markdown</a>, <a href=\"chokepoints.csv\">CSV</a>, \
         <a href=\"chokepoints.json\">JSON</a>; by jurisdiction: \
         <a href=\"jurisdictions.md\">Markdown</a>, <a href=\"jurisdictions.csv\">CSV</a>, \
         <a href=\"jurisdictions.json\">JSON</a>; both, with every other table of the report, \
         as one Excel workbook: <a href=\"{WORKBOOK}\">{WORKBOOK}</a>.</p>",
        p.ranking.candidates
    );
    let mut t = Table::new([
        "rank",
        "block",
        "kind",
        "jurisdiction",
        "capabilities failed",
        "countries failed",
        "countries unknown",
        "countries degraded",
        "exposure",
    ]);
    for c in p.ranking.ranking.iter().take(SUMMARY_TOP) {
        t.push([
            c.rank.to_string(),
            format!("{} ({})", c.name, c.id),
            c.kind.as_str().to_owned(),
            c.jurisdiction.clone().unwrap_or_default(),
            c.capabilities_failed.to_string(),
            c.countries_failed.to_string(),
            c.countries_unknown.to_string(),
            c.countries_degraded.to_string(),
            c.exposure.to_string(),
        ]);
    }
    o.push_str(&html_table(&t, Some("Chokepoints by node")));
    o.push_str("</section>\n");
    // Towers.
    o.push_str("<section id=\"towers\">\n<h2>Towers</h2>\n<ul class=\"toc\">");
    for c in &p.countries {
        let _ = write!(
            o,
            "<li><a href=\"#tower-{}\">{}</a></li>",
            slug(&c.code),
            h(&c.name)
        );
    }
    o.push_str("</ul>\n");
    for (c, f) in p
        .countries
        .iter()
        .zip(p.figures.iter().filter(|f| f.section == Section::Tower))
    {
        let _ = writeln!(
            o,
            "<section id=\"tower-{}\">\n<h3>{} ({})</h3>",
            slug(&c.code),
            h(&c.name),
            h(&c.code)
        );
        n += 1;
        html_figure(&mut o, n, f);
        o.push_str("</section>\n");
    }
    o.push_str("</section>\n");
    // Scenarios.
    o.push_str("<section id=\"scenarios\">\n<h2>Scenarios</h2>\n<ul>");
    for s in &p.scenarios {
        let _ = write!(
            o,
            "<li><a href=\"#scenario-{}\">{}</a></li>",
            s.stem,
            h(&s.report.name)
        );
    }
    o.push_str("</ul>\n");
    if p.scenarios.is_empty() {
        o.push_str("<p class=\"note\">No scenario files were found.</p>\n");
    }
    for (k, s) in p.scenarios.iter().enumerate() {
        let r = &s.report;
        let _ = writeln!(
            o,
            "<section id=\"scenario-{}\">\n<h3>{}</h3>",
            s.stem,
            h(&r.name)
        );
        if let Some(d) = &r.description {
            let _ = writeln!(o, "<p>{}</p>", h(d));
        }
        let removed: Vec<String> = r
            .removals
            .iter()
            .map(|x| match &x.for_countries {
                Some(cs) => format!("{} (for {})", x.remove, cs.join(", ")),
                None => x.remove.clone(),
            })
            .collect();
        let _ = writeln!(
            o,
            "<p>Removes: <code>{}</code>. Result: <a href=\"scenarios/{1}.md\">Markdown</a>, \
             <a href=\"scenarios/{1}.csv\">CSV</a>, <a href=\"scenarios/{1}.json\">JSON</a>, \
             <a href=\"{WORKBOOK}\">xlsx</a>. One country's tower under this \
             scenario: <code>jenga render CC --scenario {2}</code>.</p>",
            h(&removed.join("; ")),
            s.stem,
            h(&s.file)
        );
        o.push_str(&html_table(
            &scenario_table(r),
            Some("Every country after the scenario"),
        ));
        for f in p
            .figures
            .iter()
            .filter(|f| f.section == Section::Scenario(k))
        {
            n += 1;
            html_figure(&mut o, n, f);
        }
        o.push_str("</section>\n");
    }
    o.push_str("</section>\n");
    if !p.source_tables.is_empty() {
        o.push_str(
            "<section id=\"tables\">\n<h2>The source's tables, regenerated from the data</h2>\n",
        );
        for (stem, t) in &p.source_tables {
            o.push_str(&html_table(t, t.title.as_deref()));
            let _ = writeln!(
                o,
                "<p>As <a href=\"tables/{stem}.md\">Markdown</a>, <a href=\"tables/{stem}.csv\">CSV</a>, \
                 <a href=\"tables/{stem}.json\">JSON</a>, <a href=\"{WORKBOOK}\">xlsx</a>.</p>"
            );
        }
        o.push_str("</section>\n");
    }
    o.push_str("</main>\n</body>\n</html>\n");
    o
}

/// Draws every figure and writes it, with the text files, into the staging directory.
///
/// The SVGs are drawn in parallel (rayon; one `dot` process per figure with Graphviz:
/// several graphs in one `dot` run lay out differently from run to run). Meanwhile
/// [`WRITERS`] threads write the files as they become ready; each file is synced to
/// disk before the directory is swapped in, and those syncs, which wait on the disk
/// rather than the CPU, overlap with the drawing and with each other.
///
/// # Complexity
/// O(total bytes) of writing, plus one `dot` run (or one built-in layout) per figure.
fn draw_and_write(
    staging: &crate::fsutil::Staging,
    figs: &[Fig],
    texts: Vec<(String, Vec<u8>)>,
    engine: SvgEngine,
    bar: &crate::progress::Progress,
) -> Result<(), Error> {
    let (tx, rx) = std::sync::mpsc::channel::<(String, Vec<u8>)>();
    let rx = std::sync::Mutex::new(rx);
    let failed: std::sync::Mutex<Option<Error>> = std::sync::Mutex::new(None);
    let work = || {
        loop {
            let next = match rx.lock() {
                Ok(r) => r.recv(),
                Err(_) => break,
            };
            let Ok((path, text)) = next else { break };
            if let Err(e) = staging.write(&path, &text)
                && let Ok(mut f) = failed.lock()
            {
                f.get_or_insert(e.into());
            }
        }
    };
    let drawn = std::thread::scope(|scope| {
        // A thread the system refuses (EAGAIN on a loaded machine) is one writer
        // fewer, never a panic; with none at all, this thread writes at the end.
        let mut writers = 0;
        for _ in 0..WRITERS {
            if std::thread::Builder::new()
                .spawn_scoped(scope, work)
                .is_err()
            {
                break;
            }
            writers += 1;
        }
        for (path, text) in texts {
            let _ = tx.send((path, text));
        }
        let drawn = figs.par_iter().try_for_each_with(tx.clone(), |tx, f| {
            let svg = f
                .figure
                .to_svg(engine, DOT_TIMEOUT)
                .map_err(|e| Error::Failed(format!("{}.svg: {e}", f.stem)))?;
            // The same figure as PNG and PDF, for slides and print.
            let png = crate::render::convert::svg_to_png(&svg)
                .map_err(|e| Error::Failed(format!("{}.png: {e}", f.stem)))?;
            let pdf = crate::render::convert::svg_to_pdf(&svg)
                .map_err(|e| Error::Failed(format!("{}.pdf: {e}", f.stem)))?;
            bar.inc(1);
            let _ = tx.send((format!("{}.svg", f.stem), svg.into_bytes()));
            let _ = tx.send((format!("{}.png", f.stem), png));
            let _ = tx.send((format!("{}.pdf", f.stem), pdf));
            Ok::<(), Error>(())
        });
        drop(tx);
        if writers == 0 {
            work();
        }
        drawn
    });
    drawn?;
    match failed.into_inner() {
        Ok(None) => Ok(()),
        Ok(Some(e)) => Err(e),
        Err(_) => Err(Error::Failed("a report writer thread failed".to_owned())),
    }
}

/// How many threads write the report's files.
const WRITERS: usize = 16;

/// Runs `jenga report`.
///
/// `scenarios`: the directory given with `--scenarios`, which must exist; without it,
/// `scenarios` is read when it exists (a report of the stacks alone otherwise).
pub fn run(
    config: &Config,
    output: &Path,
    scenarios: Option<&Path>,
    engine: Engine,
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
    let engine = match svg_engine(engine) {
        SvgEngine::Auto if graphviz::available() => SvgEngine::Graphviz,
        SvgEngine::Auto => SvgEngine::Builtin,
        e => e,
    };
    if engine == SvgEngine::Graphviz && !graphviz::available() {
        return Err(Error::Failed(RenderError::GraphvizMissing.to_string()));
    }
    let plan = plan(config, world, scenarios)?;
    let mut texts: Vec<(String, Vec<u8>)> = plan
        .files
        .iter()
        .map(|(p, t)| (p.clone(), t.clone().into_bytes()))
        .collect();
    texts.push((
        "report.md".to_owned(),
        report_md(world, &plan)?.into_bytes(),
    ));
    texts.push((
        "index.html".to_owned(),
        index_html(world, &plan).into_bytes(),
    ));
    texts.push((WORKBOOK.to_owned(), plan.workbook.clone()));
    // Each figure is written as SVG, PNG and PDF (its DOT is among the texts).
    let count = texts.len() + 3 * plan.figures.len();
    let bar = crate::progress::Progress::new(config, "drawing", plan.figures.len() as u64);
    writer.write_dir(output, |staging| {
        draw_and_write(staging, &plan.figures, texts, engine, &bar)
    })?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_file_names() {
        assert_eq!(slug("SG"), "sg");
        assert_eq!(slug("us cut/off"), "us-cut-off");
        assert_eq!(slug(".hidden"), "hidden");
        assert_eq!(slug(""), "x");
    }
}
