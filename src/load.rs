//! Reading `stacks/`: find the YAML files, read them within budgets, and parse them
//! into [`crate::model`] types, turning every failure into a located [`Diagnostic`].
//!
//! Files are found recursively (`*.yaml`, `*.yml`, [`walk`]), sorted by path so that
//! every run sees them in the same order, and parsed in parallel: by the fast path
//! ([`fast`]) when it can, else by serde-saphyr, whose errors [`diagnose`] words. A file that fails to parse
//! yields one diagnostic (the parser stops at its first error) and the others are
//! still parsed, so one run reports every broken file.

mod diagnose;
#[cfg(test)]
mod differential;
mod fast;
mod read;
mod walk;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics, Place, SourceFile};
use crate::model::StackFile;
use diagnose::yaml_diagnostic;
pub use read::ReadError;
pub(crate) use read::read_limited;
pub use walk::find_files;

/// Limits that keep hostile input from exhausting time or memory.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest file read, in bytes.
    pub max_file_bytes: u64,
    /// Most files read from one directory tree.
    pub max_files: usize,
    /// Deepest nesting of YAML collections.
    pub max_depth: usize,
    /// Most YAML nodes in one file (after alias expansion).
    pub max_nodes: usize,
    /// Most alias uses in one file.
    pub max_aliases: usize,
    /// Most jenga nodes and organizations in all files together.
    pub max_total_nodes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_bytes: 64 * 1024 * 1024,
            max_files: 100_000,
            max_depth: 64,
            max_nodes: 250_000,
            max_aliases: 10_000,
            max_total_nodes: 5_000_000,
        }
    }
}

/// One parsed file.
#[derive(Debug, Clone)]
pub struct LoadedFile {
    /// Its text and path, for diagnostics.
    pub source: Arc<SourceFile>,
    /// Its contents.
    pub data: StackFile,
}

/// Everything read from a stacks directory.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Files that parsed, in path order.
    pub files: Vec<LoadedFile>,
    /// Problems found while reading and parsing.
    pub diagnostics: Diagnostics,
    /// Files whose `country` an earlier `--stacks` directory declares: they add to
    /// that country rather than declare it twice (see [`crate::roots`]).
    pub country_extensions: HashSet<PathBuf>,
}

/// An error that prevents reading the directory at all.
#[derive(Debug)]
pub struct LoadError(pub String);

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LoadError {}

/// Reads and parses every YAML file under `dir`.
pub fn load_dir(dir: &Path, limits: &Limits) -> Result<Loaded, LoadError> {
    let paths = find_files(dir, limits)?;
    Ok(load_files(&paths, limits))
}

/// Reads and parses the given files, in parallel, keeping their order.
pub fn load_files(paths: &[PathBuf], limits: &Limits) -> Loaded {
    load_files_observed(paths, limits, &|| {})
}

/// [`load_files`], calling `on_file` after each file is parsed (from any thread),
/// e.g. to advance a [`crate::progress::Progress`].
pub fn load_files_observed(
    paths: &[PathBuf],
    limits: &Limits,
    on_file: &(dyn Fn() + Sync),
) -> Loaded {
    let results: Vec<Result<LoadedFile, Box<Diagnostic>>> = paths
        .par_iter()
        .map(|p| {
            let r = load_file(p, limits);
            on_file();
            r
        })
        .collect();
    let mut loaded = Loaded::default();
    for r in results {
        match r {
            Ok(f) => loaded.files.push(f),
            Err(d) => loaded.diagnostics.push(*d),
        }
    }
    loaded
}

/// Reads and parses one file.
pub fn load_file(path: &Path, limits: &Limits) -> Result<LoadedFile, Box<Diagnostic>> {
    let empty = |text: String| {
        Arc::new(SourceFile {
            path: path.to_owned(),
            text,
        })
    };
    let bytes = read_limited(path, limits.max_file_bytes).map_err(|msg| {
        Box::new(
            Diagnostic::error("unreadable-file", msg.to_string())
                .at(Place::file_start(&empty(String::new())), ""),
        )
    })?;
    parse_bytes(path, bytes, limits)
}

/// Parses the bytes of a file named `path`.
pub fn parse_bytes(
    path: &Path,
    bytes: Vec<u8>,
    limits: &Limits,
) -> Result<LoadedFile, Box<Diagnostic>> {
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let bytes = e.as_bytes();
            let offset = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(bytes).into_owned();
            let file = Arc::new(SourceFile {
                path: path.to_owned(),
                text: lossy,
            });
            return Err(Box::new(
                Diagnostic::error("invalid-utf8", "the file is not valid UTF-8")
                    .at(Place::at_byte(&file, bytes, offset), "invalid byte here")
                    .help("save the file as UTF-8 (YAML files must be Unicode text)"),
            ));
        }
    };
    // A byte-order mark is legal at the start of a YAML stream; drop it so columns count
    // from the first visible character.
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    };
    let source = Arc::new(SourceFile {
        path: path.to_owned(),
        text,
    });
    if source.text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
    }) {
        return Err(Box::new(
            Diagnostic::error("empty-file", "the file holds no data")
                .at(Place::file_start(&source), "")
                .help("add `nodes:` (and `country:`, `name:`, `capabilities:` for a country), or delete the file"),
        ));
    }
    if let Some(data) = fast::parse(&source.text, limits) {
        return Ok(LoadedFile { source, data });
    }
    match parse_stack_file(&source.text, limits) {
        Ok(data) => Ok(LoadedFile { source, data }),
        Err(e) => Err(Box::new(yaml_diagnostic(&source, &e))),
    }
}

/// The fast path alone on a stack file's text (BOM removed): the value, or `None` where
/// it defers. For benchmarks (`benches/load.rs`); [`parse_bytes`] is the loader.
#[doc(hidden)]
pub fn parse_fast_path(text: &str, limits: &Limits) -> Option<StackFile> {
    fast::parse(text, limits)
}

/// The serde path alone on a stack file's text: the value, or `None` on any error. For
/// benchmarks (`benches/load.rs`); [`parse_bytes`] is the loader.
#[doc(hidden)]
pub fn parse_serde_path(text: &str, limits: &Limits) -> Option<StackFile> {
    parse_stack_file(text, limits).ok()
}

/// The serde path: parses a whole stack file with every check and budget of the format
/// (the fast path, [`fast`], defers to it on anything unusual).
fn parse_stack_file(text: &str, limits: &Limits) -> Result<StackFile, serde_saphyr::Error> {
    serde_saphyr::from_str_with_options::<StackFile>(text, parser_options(limits)).map(compact)
}

/// Copies the parsed file into exactly sized allocations and frees the parser's
/// (its lists grew by doubling, and its allocations are interleaved with the
/// parser's short-lived ones, which would leave the heap full of holes for as long
/// as the files are held).
///
/// # Complexity
/// O(size of the parsed file).
fn compact(data: StackFile) -> StackFile {
    data.clone()
}

/// The parser's budgets, the same for stack files and scenario files: depth (block
/// and flow), YAML nodes and events, alias uses, anchors and the events aliases replay,
/// the text of all values, one document.
fn parser_options(limits: &Limits) -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: limits.max_depth,
            // One more than the depth budget, so that deep `[[[...` is reported as the
            // depth budget rather than as a parser error.
            flow_nesting_limit: limits.max_depth.saturating_add(1),
            max_nodes: limits.max_nodes,
            max_events: limits.max_nodes.saturating_mul(2),
            max_aliases: limits.max_aliases,
            max_anchors: limits.max_aliases,
            max_total_scalar_bytes: usize::try_from(limits.max_file_bytes).unwrap_or(usize::MAX),
            max_documents: 1,
        },
        // Alias bombs: bound the events that aliases replay (the expansion), not just
        // the number of `*alias` uses.
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: limits.max_nodes,
            max_replay_stack_depth: limits.max_depth,
        },
        with_snippet: false,
    }
}

/// Reads and parses any YAML document of jenga's (a scenario file, say) into `T`,
/// with the same budgets, UTF-8 and BOM handling, and located parser diagnostics as
/// stack files. Returns the text with the value, so later checks can point into it.
pub fn parse_yaml_file<T: serde::de::DeserializeOwned>(
    path: &Path,
    limits: &Limits,
) -> Result<(Arc<SourceFile>, T), Box<Diagnostic>> {
    let empty = || {
        Arc::new(SourceFile {
            path: path.to_owned(),
            text: String::new(),
        })
    };
    let bytes = read_limited(path, limits.max_file_bytes).map_err(|msg| {
        Box::new(
            Diagnostic::error("unreadable-file", msg.to_string())
                .at(Place::file_start(&empty()), ""),
        )
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let file = Arc::new(SourceFile {
            path: path.to_owned(),
            text: String::from_utf8_lossy(&bytes).into_owned(),
        });
        Box::new(
            Diagnostic::error("invalid-utf8", "the file is not valid UTF-8")
                .at(Place::at_byte(&file, &bytes, offset), "invalid byte here")
                .help("save the file as UTF-8 (YAML files must be Unicode text)"),
        )
    })?;
    let source = Arc::new(SourceFile {
        path: path.to_owned(),
        text: text.strip_prefix('\u{feff}').unwrap_or(&text).to_owned(),
    });
    let options = parser_options(limits);
    match serde_saphyr::from_str_with_options::<T>(&source.text, options) {
        Ok(value) => Ok((source, value)),
        Err(e) => Err(Box::new(yaml_diagnostic(&source, &e))),
    }
}
