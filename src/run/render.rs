//! `jenga render TARGET`: one figure (a country's tower, the overview) as DOT or SVG,
//! to standard output or atomically into a file.

use std::io::Write as _;
use std::path::Path;
use std::time::Duration;

use crate::cli::{Config, Engine, Removals, RenderFormat};
use crate::render::tower::{self, Marks};
use crate::render::{Figure, SvgEngine};

use super::{Error, open};

/// How long `dot` may take for one figure.
pub const DOT_TIMEOUT: Duration = Duration::from_secs(30);

/// The render engine named on the command line.
pub fn engine(e: Engine) -> SvgEngine {
    match e {
        Engine::Auto => SvgEngine::Auto,
        Engine::Graphviz => SvgEngine::Graphviz,
        Engine::Builtin => SvgEngine::Builtin,
    }
}

/// The parsed `render` command.
pub struct Args<'a> {
    /// A country code or `overview`.
    pub target: &'a str,
    /// Removal flags (overlays).
    pub removals: &'a Removals,
    /// A scenario file.
    pub scenario: Option<&'a Path>,
    /// DOT or SVG.
    pub format: RenderFormat,
    /// SVG engine.
    pub engine: Engine,
    /// Output file.
    pub output: Option<&'a Path>,
}

/// Runs `jenga render`.
pub fn run(config: &Config, args: &Args<'_>) -> Result<(), Error> {
    if !args.removals.remove.is_empty()
        || !args.removals.for_countries.is_empty()
        || args.scenario.is_some()
    {
        return Err(Error::Usage(
            "scenario overlays (`--remove`, `--for`, `--scenario`) need the cascade, which is \
             not available yet in this version (issue #4); render without them"
                .to_owned(),
        ));
    }
    let opened = open(config, false)?;
    let world = &opened.world;
    let marks = Marks::default();
    let figure = match args.target {
        "overview" => Figure::Diagram(tower::overview(world, &marks)),
        "matrix" => {
            return Err(Error::Usage(
                "`jenga render matrix` needs the cascade, which is not available yet in this \
                 version (issue #4)"
                    .to_owned(),
            ));
        }
        code => {
            let upper = code.to_ascii_uppercase();
            match tower::tower(world, &upper, &marks) {
                Some(d) => Figure::Diagram(d),
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
    let bytes = match args.format {
        RenderFormat::Dot => figure.to_dot(),
        RenderFormat::Svg => figure
            .to_svg(engine(args.engine), DOT_TIMEOUT)
            .map_err(|e| Error::Failed(e.to_string()))?,
    };
    match args.output {
        Some(path) => {
            Ok(crate::fsutil::Writer::new(&config.stacks).write_file(path, bytes.as_bytes())?)
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes.as_bytes())
                .and_then(|()| out.flush())
                .map_err(|e| Error::Failed(format!("cannot write to standard output: {e}")))
        }
    }
}
