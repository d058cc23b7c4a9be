//! `jenga export --format graphml|mermaid|csv|csv-raw|json|open-psa [TARGET] [-o FILE|DIR]`.

use std::io::Write as _;
use std::path::Path;

use super::{Error, common, open};
use crate::config::Config;
use crate::export::{self, Selection};
use crate::fsutil::Writer;

/// Mermaid's default `maxEdges`, which GitHub keeps.
const MERMAID_MAX_EDGES: usize = 500;
/// Mermaid's default `maxTextSize`.
const MERMAID_MAX_TEXT: usize = 50_000;

/// Exports the world, or the cone of `target`, in `format`.
///
/// `csv` writes two files, `nodes.csv` and `edges.csv`, into the directory `-o DIR`
/// (created if missing) and is a usage error without `-o`; the other formats write
/// `-o FILE` or standard output.
pub fn run(
    config: &Config,
    target: Option<&str>,
    format: export::Format,
    output: Option<&Path>,
) -> Result<(), Error> {
    if format == export::Format::OpenPsa {
        return open_psa(config, target, output);
    }
    let writer = Writer::new(&config.stacks);
    if matches!(format, export::Format::Csv | export::Format::CsvRaw) && output.is_none() {
        return Err(Error::Usage(
            "`--format csv` and `csv-raw` write two files, nodes.csv and edges.csv: pass `-o DIR`"
                .to_owned(),
        ));
    }
    let opened = open(config, false)?;
    let world = &opened.world;
    let sel = match target {
        None => Selection::all(world),
        Some(t) => Selection::cone(world, t)?,
    };
    let text = match format {
        export::Format::Json => export::to_json(world, &sel)?,
        export::Format::Graphml => export::to_graphml(world, &sel),
        export::Format::Gexf => export::to_gexf(world, &sel),
        export::Format::Mermaid => {
            let text = export::to_mermaid(world, &sel);
            let edges = sel.edges(world).count();
            if !config.quiet && (edges > MERMAID_MAX_EDGES || text.len() > MERMAID_MAX_TEXT) {
                let _ = writeln!(
                    std::io::stderr(),
                    "warning: {edges} edges, {} characters: Mermaid (and GitHub) refuse more than {MERMAID_MAX_EDGES} edges or {MERMAID_MAX_TEXT} characters by default; export one country's cone (`jenga export --format mermaid CC`)",
                    text.len()
                );
            }
            text
        }
        export::Format::Csv | export::Format::CsvRaw => {
            let (nodes, edges) = export::to_csv(world, &sel, format == export::Format::CsvRaw);
            let dir = output.unwrap_or(Path::new("."));
            let (nodes_csv, edges_csv) = (dir.join("nodes.csv"), dir.join("edges.csv"));
            writer.create_parent(&nodes_csv)?;
            writer.write_file(&nodes_csv, nodes.as_bytes())?;
            writer.write_file(&edges_csv, edges.as_bytes())?;
            return Ok(());
        }
        export::Format::OpenPsa => return open_psa(config, target, output),
    };
    match output {
        Some(path) => Ok(writer.write_file(path, text.as_bytes())?),
        None => super::print_stdout(&text),
    }
}

/// Runs `jenga export --format open-psa TARGET [-o FILE]`: the target's cone as a
/// fault tree whose basic events are the leaves (organizations and raw inputs).
///
/// # Errors
/// A missing or unknown target; a target that cannot fail.
fn open_psa(config: &Config, target: Option<&str>, output: Option<&Path>) -> Result<(), Error> {
    let target = target.ok_or_else(|| {
        Error::Usage(
            "`--format open-psa` exports one target's fault tree: give a node id or a country code"
                .to_owned(),
        )
    })?;
    let opened = open(config, false)?;
    let world = &opened.world;
    let t = common::resolve_target(world, target, false)?;
    let pick = common::candidates(world, &[])?;
    let tr = crate::analysis::cutsets::translate(world, &t, &pick)?;
    let top = match &t {
        crate::analysis::cutsets::Target::Node(i) => world.node(*i).id.clone(),
        crate::analysis::cutsets::Target::Country { index, .. } => {
            world.countries[*index].code.clone()
        }
    };
    let xml = crate::openpsa::export(&tr.tree, &top);
    match output {
        Some(p) => Ok(Writer::new(&config.stacks).write_file(p, xml.as_bytes())?),
        None => super::print_stdout(xml),
    }
}
