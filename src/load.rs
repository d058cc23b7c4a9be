//! Reading `stacks/`: find the YAML files, read them within budgets, and parse them
//! into [`crate::model`] types, turning every failure into a located [`Diagnostic`].
//!
//! Files are found recursively (`*.yaml`, `*.yml`), sorted by path so that every run
//! sees them in the same order, and parsed in parallel. A file that fails to parse
//! yields one diagnostic (the parser stops at its first error) and the others are
//! still parsed, so one run reports every broken file.

use std::collections::HashSet;
use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde_saphyr::Error as YamlError;

use crate::diag::{Diagnostic, Diagnostics, Place, SourceFile, did_you_mean};
use crate::model::StackFile;

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

/// Finds the YAML files under `dir`, recursively, sorted by path.
///
/// Symbolic links are followed; a link that leads back to a directory already being
/// walked is skipped, so a symlink loop cannot make the walk endless.
pub fn find_files(dir: &Path, limits: &Limits) -> Result<Vec<PathBuf>, LoadError> {
    let meta = fs::metadata(dir).map_err(|e| {
        LoadError(format!(
            "cannot read the stacks directory `{}`: {}; pass `--stacks DIR` with the directory that holds the YAML files",
            dir.display(),
            io_reason(&e)
        ))
    })?;
    if !meta.is_dir() {
        return Err(LoadError(format!(
            "`{}` is not a directory; pass `--stacks DIR` with the directory that holds the YAML files",
            dir.display()
        )));
    }
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    walk(dir, &mut seen, &mut out, limits)?;
    out.sort();
    Ok(out)
}

fn walk(
    dir: &Path,
    seen: &mut HashSet<PathBuf>,
    out: &mut Vec<PathBuf>,
    limits: &Limits,
) -> Result<(), LoadError> {
    let canonical = fs::canonicalize(dir).map_err(|e| {
        LoadError(format!(
            "cannot read `{}`: {}",
            dir.display(),
            io_reason(&e)
        ))
    })?;
    if !seen.insert(canonical) {
        return Ok(()); // a symlink back into a directory already walked
    }
    let entries = fs::read_dir(dir).map_err(|e| {
        LoadError(format!(
            "cannot read `{}`: {}",
            dir.display(),
            io_reason(&e)
        ))
    })?;
    let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') {
            continue;
        }
        // Follow symlinks; skip dangling ones silently (they hold no data).
        let Ok(meta) = fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            walk(&path, seen, out, limits)?;
        } else if meta.is_file()
            && matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml")
            )
        {
            out.push(path);
            if out.len() > limits.max_files {
                return Err(LoadError(format!(
                    "more than {} YAML files under `{}`; is `--stacks` pointing at the right directory?",
                    limits.max_files,
                    dir.display()
                )));
            }
        }
    }
    Ok(())
}

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
    let options = parser_options(limits);
    match serde_saphyr::from_str_with_options::<StackFile>(&source.text, options) {
        Ok(data) => {
            let data = compact(data);
            Ok(LoadedFile { source, data })
        }
        Err(e) => Err(Box::new(yaml_diagnostic(&source, &e))),
    }
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

/// Why [`read_limited`] read nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// The file cannot be opened or read.
    #[error("cannot read `{}`: {reason}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why, in words.
        reason: String,
    },
    /// The file is larger than the limit.
    #[error(
        "`{}` is larger than the {max} byte limit; split it, or raise the limit with `--max-file-size`",
        path.display()
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The limit in bytes.
        max: u64,
    },
}

/// Reads at most `max` bytes of `path` (a file, a FIFO, `/dev/zero`: the limit holds
/// whatever the file's reported length), or says it is larger than the limit.
///
/// # Complexity
/// O(min(size, `max`)) time and memory.
pub(crate) fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    let unreadable = |e: std::io::Error| ReadError::Io {
        path: path.to_owned(),
        reason: io_reason(&e),
    };
    let file = fs::File::open(path).map_err(unreadable)?;
    // Sized from the file's length (re-checked by the read): a buffer grown by
    // doubling would keep up to twice the text.
    let hint = file.metadata().map_or(0, |m| m.len()).min(max) + 1;
    let mut bytes = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > max {
        return Err(ReadError::TooLarge {
            path: path.to_owned(),
            max,
        });
    }
    Ok(bytes)
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => e.to_string(),
    }
}

/// Turns a parser or type error into a diagnostic with a hint.
fn yaml_diagnostic(source: &Arc<SourceFile>, err: &YamlError) -> Diagnostic {
    let inner = err.without_snippet();
    let place = match err.location() {
        Some(loc) if loc.line() > 0 => Place::from_location(source, loc.into()),
        _ => Place::file_start(source),
    };
    let d = |code: &'static str, msg: String| Diagnostic::error(code, msg).at(place.clone(), "");
    match inner {
        YamlError::SerdeUnknownField {
            field, expected, ..
        } => {
            let mut place = place.clone();
            place.len = u32::try_from(field.chars().count()).unwrap_or(1);
            let diag = Diagnostic::error("unknown-field", format!("unknown field `{field}`"))
                .at(place, "not a field here");
            let list = expected
                .iter()
                .map(|e| format!("`{e}`"))
                .collect::<Vec<_>>()
                .join(", ");
            match did_you_mean(field, expected.iter().copied()) {
                Some(s) => diag.help(format!("did you mean `{s}`? (expected one of {list})")),
                None => diag.help(format!("expected one of {list}")),
            }
        }
        YamlError::SerdeMissingField { field, .. } => {
            d("missing-field", format!("missing field `{field}`"))
                .help(format!("add `{field}: ...`"))
        }
        YamlError::DuplicateMappingKey { key, .. } => {
            let k = key.as_deref().unwrap_or("?");
            d("duplicate-key", format!("duplicate key `{k}`"))
                .help("a mapping may hold each key once; remove or merge the repeated entry")
        }
        YamlError::SerdeInvalidType {
            unexpected,
            expected,
            ..
        } => d(
            "wrong-type",
            format!("expected {expected}, found {unexpected}"),
        )
        .help(format!("write {expected} here")),
        YamlError::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => d(
            "wrong-type",
            format!("expected {expected}, found {unexpected}"),
        )
        .help(format!("write {expected} here")),
        YamlError::SerdeUnknownVariant {
            variant, expected, ..
        } => {
            let list = expected
                .iter()
                .map(|e| format!("`{e}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let diag = d("unknown-value", format!("unknown value `{variant}`"));
            match did_you_mean(variant, expected.iter().copied()) {
                Some(s) => diag.help(format!("did you mean `{s}`? (expected one of {list})")),
                None => diag.help(format!("expected one of {list}")),
            }
        }
        YamlError::Budget { breach, .. } => {
            let (msg, help) = budget_message(breach);
            d("budget", msg).help(help)
        }
        YamlError::AliasError { .. }
        | YamlError::AliasReplayLimitExceeded { .. }
        | YamlError::AliasExpansionLimitExceeded { .. }
        | YamlError::AliasReplayStackDepthExceeded { .. } => d(
            "budget",
            "the file expands YAML aliases beyond the budget (an alias bomb?)".to_owned(),
        )
        .help("stack files need no aliases; write the values out"),
        YamlError::MultipleDocuments { .. } => d(
            "multiple-documents",
            "the file holds more than one YAML document".to_owned(),
        )
        .help("keep one document per file (remove the `---` separators or split the file)"),
        YamlError::Unexpected { expected, .. } => {
            let what = match *expected {
                "mapping start" => "a mapping (`key: value` lines)",
                "sequence start" => "a list (`[a, b]` or `- a` lines)",
                "string scalar" => "a string",
                e => e,
            };
            if place.line == 1 && place.column == 1 && *expected == "mapping start" {
                d("wrong-type", "a stack file must be a mapping of sections".to_owned()).help(
                    "start with `nodes:`, `organizations:` or `country:`; a top-level list is not a stack file",
                )
            } else {
                d("wrong-type", format!("expected {what} here")).help(format!("write {what} here"))
            }
        }
        YamlError::Message { msg, .. } => d("invalid-value", strip_location(msg))
            .help("see stacks/README.md for the forms this field takes"),
        YamlError::NullIntoString { .. } => {
            d("wrong-type", "expected a string, found nothing".to_owned())
                .help("write a value after the colon, or remove the key")
        }
        other => {
            let msg = strip_location(&other.render());
            if let Some(ty) = msg.strip_prefix("invalid ")
                && matches!(
                    ty,
                    "u8" | "u16" | "u32" | "u64" | "i8" | "i16" | "i32" | "i64" | "usize"
                )
            {
                return d("wrong-type", "expected a small whole number".to_owned())
                    .help("write a whole number such as `2` (this one is not a number or is far too large)");
            }
            if msg.contains("recursion limit") || msg.contains("nesting limit") {
                return d(
                    "budget",
                    format!(
                        "the file nests collections deeper than {} levels",
                        limits_depth_hint()
                    ),
                )
                .help("a stack file needs a few levels of nesting; flatten the lists");
            }
            let help = if msg.contains("unclosed quote") {
                "add the closing quote, or quote the value with the other kind of quote"
            } else if msg.contains("unclosed bracket") {
                "close the bracket: a flow list runs from `[` to `]` on one line or more"
            } else if msg.contains("tab") {
                "indent with spaces: YAML does not allow tabs for indentation"
            } else {
                "check the indentation and quoting near here: YAML nests by consistent spaces"
            };
            d("yaml-syntax", msg).help(help)
        }
    }
}

/// The depth budget named in messages (the default; `--max-depth` does not exist).
fn limits_depth_hint() -> usize {
    Limits::default().max_depth
}

/// One sentence for a parser budget breach, and what to do about it.
fn budget_message(breach: &serde_saphyr::budget::BudgetBreach) -> (String, &'static str) {
    use serde_saphyr::budget::BudgetBreach as B;
    const SPLIT: &str = "split the file: a stack file this large is likely not a stack file";
    const ALIASES: &str = "stack files need no aliases; write the values out";
    match breach {
        B::Depth { depth } => (
            format!("the file nests collections {depth} levels deep, beyond the depth budget"),
            "a stack file needs a few levels of nesting; flatten the lists",
        ),
        B::Nodes { nodes } => (
            format!(
                "the file holds more than {} YAML nodes, beyond the node budget",
                nodes.saturating_sub(1)
            ),
            SPLIT,
        ),
        B::Events { events } => (
            format!(
                "the file holds more than {} YAML events, beyond the budget",
                events.saturating_sub(1)
            ),
            SPLIT,
        ),
        B::Aliases { aliases } => (
            format!("the file uses {aliases} aliases, beyond the alias budget"),
            ALIASES,
        ),
        B::Anchors { anchors } => (
            format!("the file defines {anchors} anchors, beyond the anchor budget"),
            ALIASES,
        ),
        B::ScalarBytes { total_scalar_bytes } => (
            format!(
                "the file's text values add up to {total_scalar_bytes} bytes, beyond the budget"
            ),
            "split the file, or raise the limit with `--max-file-size`",
        ),
        B::Documents { documents } => (
            format!("the file holds {documents} YAML documents; a stack file holds one"),
            "keep one document per file (remove the `---` separators or split the file)",
        ),
        other => (
            format!("the file exceeds a parsing budget ({other:?})"),
            "a stack file needs none of this; simplify the file",
        ),
    }
}

/// Drops the " at line L column C" suffix that the parser adds to some messages.
fn strip_location(msg: &str) -> String {
    let first = msg.lines().next().unwrap_or(msg).trim();
    match first.rfind(" at line ") {
        Some(i) => first[..i].to_owned(),
        None => first.to_owned(),
    }
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
