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
        Some(path) => write_file_atomically(path, bytes.as_bytes())
            .map_err(|e| Error::Failed(format!("cannot write `{}`: {e}", path.display()))),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes.as_bytes())
                .and_then(|()| out.flush())
                .map_err(|e| Error::Failed(format!("cannot write to standard output: {e}")))
        }
    }
}

/// Writes `bytes` to a temporary file beside `path`, then renames it into place, so a
/// reader never sees a partial file. (To be unified with `fsutil` when it lands.)
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".to_owned());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
