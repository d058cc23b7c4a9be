//! Diagnostics: located errors and warnings, rendered like a compiler's.
//!
//! Every problem jenga finds in input files becomes a [`Diagnostic`] that names the
//! file, line and column, shows the offending line with a caret under the span, and
//! says what would fix it. Checks collect diagnostics into a [`Diagnostics`] list so
//! that one run reports every problem at once.
//!
//! This file holds the types and the list; `diag/render.rs` draws a diagnostic
//! (annotate-snippets), `diag/text.rs` makes quoted input safe to print, and
//! `diag/suggest.rs` finds "did you mean" candidates.

mod render;
mod suggest;
mod text;

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use crate::model::Location;
pub use render::{QUOTE_COLUMN_LIMIT, SNIPPET_WIDTH};
pub use suggest::{MAX_EDITS, SUGGEST_BUDGET, Suggester, did_you_mean};
pub use text::{MESSAGE_WIDTH, clip, is_bidi_control, sanitize, sanitize_clipped};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth fixing, but the data is usable (an error under `--strict`).
    Warning,
    /// The data cannot be used as it is.
    Error,
}

/// The text of one input file, kept so that diagnostics can quote it.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user can find it (the stacks directory joined with the file).
    pub path: PathBuf,
    /// The file's text (empty when it could not be read as UTF-8).
    pub text: String,
}

impl SourceFile {
    /// The `n`-th line (1-based), without its line ending.
    pub fn line(&self, n: u32) -> Option<&str> {
        let n = usize::try_from(n).ok()?.checked_sub(1)?;
        self.text
            .split('\n')
            .nth(n)
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
    }
}

/// A place in a file: 1-based line and column (in characters) and a length in characters.
#[derive(Debug, Clone)]
pub struct Place {
    /// The file.
    pub file: Arc<SourceFile>,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub column: u32,
    /// Length of the span in characters (at least 1 is drawn).
    pub len: u32,
}

impl Place {
    /// A place from a parsed value's location in `file`.
    pub fn from_location(file: &Arc<SourceFile>, loc: Location) -> Place {
        Place {
            file: Arc::clone(file),
            line: loc.line().max(1),
            column: loc.column().max(1),
            len: loc.len(),
        }
    }

    /// The start of `file`.
    pub fn file_start(file: &Arc<SourceFile>) -> Place {
        Place {
            file: Arc::clone(file),
            line: 1,
            column: 1,
            len: 0,
        }
    }

    /// A place at a byte offset of `bytes` (which need not be valid UTF-8).
    pub fn at_byte(file: &Arc<SourceFile>, bytes: &[u8], offset: usize) -> Place {
        let before = &bytes[..offset.min(bytes.len())];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        Place {
            file: Arc::clone(file),
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
            len: 1,
        }
    }
}

impl Place {
    /// The file's path as messages print it: sanitized and clipped.
    fn shown_path(&self) -> String {
        clip(&sanitize(&self.file.path.to_string_lossy())).into_owned()
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.shown_path(), self.line, self.column)
    }
}

/// One located problem.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable, kebab-case name of the check that found it (`dangling-reference`).
    pub code: &'static str,
    /// One sentence saying what is wrong.
    pub message: String,
    /// Where it is, when it is in a file.
    pub place: Option<Place>,
    /// A short label drawn under the span.
    pub label: String,
    /// What would fix it.
    pub help: Option<String>,
    /// Other places worth showing (the first definition of a duplicate id).
    pub notes: Vec<(Place, String)>,
}

impl Diagnostic {
    /// An error at `place`.
    pub fn error(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            place: None,
            label: String::new(),
            help: None,
            notes: Vec::new(),
        }
    }

    /// A warning.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// Sets the place and the label drawn under it.
    #[must_use]
    pub fn at(mut self, place: Place, label: impl Into<String>) -> Diagnostic {
        self.place = Some(place);
        self.label = label.into();
        self
    }

    /// Sets what would fix it.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Adds a related place.
    #[must_use]
    pub fn note(mut self, place: Place, text: impl Into<String>) -> Diagnostic {
        self.notes.push((place, text.into()));
        self
    }

    /// Renders the diagnostic as text (with ANSI colours when `color`): rustc's
    /// layout, drawn by annotate-snippets (see [`render`]).
    pub fn render(&self, color: bool) -> String {
        render::render(self, color)
    }
}

/// The most diagnostics [`Diagnostics::render`] prints; the summary line still counts
/// them all. A hostile file can produce millions (one per item of a huge list), and
/// printing each with its quoted line would take quadratic time.
pub const MAX_RENDERED: usize = 200;

/// A list of diagnostics collected by checks.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Diagnostics {
        Diagnostics::default()
    }

    /// Adds one.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Adds all of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// The diagnostics, in the order they were found.
    pub fn items(&self) -> &[Diagnostic] {
        &self.items
    }

    /// How many errors (warnings counted as errors when `strict`).
    pub fn error_count(&self, strict: bool) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error || strict)
            .count()
    }

    /// How many warnings (none when `strict`: they count as errors).
    pub fn warning_count(&self, strict: bool) -> usize {
        if strict {
            0
        } else {
            self.items
                .iter()
                .filter(|d| d.severity == Severity::Warning)
                .count()
        }
    }

    /// Whether there is anything fatal.
    pub fn has_errors(&self, strict: bool) -> bool {
        self.error_count(strict) > 0
    }

    /// Sorts by file, line, column, then severity, for deterministic output.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                d.place
                    .as_ref()
                    .map(|p| (p.file.path.clone(), p.line, p.column))
            };
            key(a).cmp(&key(b)).then(b.severity.cmp(&a.severity))
        });
    }

    /// Under `--strict`, every warning becomes an error.
    pub fn promote_warnings(&mut self) {
        for d in &mut self.items {
            d.severity = Severity::Error;
        }
    }

    /// Every diagnostic as JSON (`jenga check --format json`, see docs/json.md), in
    /// the order of [`Diagnostics::sort`]: severity, code, message, the place
    /// (`file`, 1-based `line` and `column`, `len` in characters; `null` when it is in
    /// no file), label, help (`null` when none) and notes. Text is written verbatim,
    /// escaped by JSON's grammar; every diagnostic is listed, not only the first
    /// [`MAX_RENDERED`].
    ///
    /// # Complexity
    /// O(number of diagnostics + their text).
    pub fn to_json(&self) -> serde_json::Value {
        let place = |p: &Place| {
            serde_json::json!({
                "file": p.file.path.to_string_lossy(),
                "line": p.line,
                "column": p.column,
                "len": p.len.max(1),
            })
        };
        let items: Vec<serde_json::Value> = self
            .items
            .iter()
            .map(|d| {
                serde_json::json!({
                    "severity": d.severity,
                    "code": d.code,
                    "message": d.message,
                    "place": d.place.as_ref().map(place),
                    "label": d.label,
                    "help": d.help,
                    "notes": d.notes.iter().map(|(p, text)| serde_json::json!({
                        "place": place(p),
                        "text": text,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        serde_json::Value::Array(items)
    }

    /// Renders every diagnostic and a closing summary line.
    pub fn render(&self, color: bool) -> String {
        let mut out = String::new();
        for d in self.items.iter().take(MAX_RENDERED) {
            out.push_str(&d.render(color));
            out.push('\n');
        }
        if self.items.len() > MAX_RENDERED {
            let _ = writeln!(
                out,
                "... and {} more not shown (the first {MAX_RENDERED} are above)\n",
                self.items.len() - MAX_RENDERED
            );
        }
        let errors = self
            .items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        let warnings = self.items.len() - errors;
        let files = {
            let mut f: Vec<&Path> = self
                .items
                .iter()
                .filter_map(|d| d.place.as_ref())
                .map(|p| p.file.path.as_path())
                .collect();
            f.sort();
            f.dedup();
            f.len()
        };
        if !self.items.is_empty() {
            let _ = writeln!(
                out,
                "{} found in {}",
                counted(&[(errors, "error"), (warnings, "warning")]),
                plural(files, "file")
            );
        }
        out
    }
}

/// "2 errors and 1 warning"
pub fn counted(parts: &[(usize, &str)]) -> String {
    let shown: Vec<String> = parts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, w)| plural(*n, w))
        .collect();
    if shown.is_empty() {
        "nothing".to_owned()
    } else {
        shown.join(" and ")
    }
}

/// "1 file", "2 files"; "1 country", "2 countries" (a consonant and `y` become
/// `ies`): the one place jenga counts things in words.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        return format!("{n} {word}");
    }
    match word.strip_suffix('y') {
        Some(stem) if !stem.ends_with(['a', 'e', 'i', 'o', 'u']) => format!("{n} {stem}ies"),
        _ => format!("{n} {word}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plural_counts_in_words() {
        assert_eq!(plural(1, "dependency"), "1 dependency");
        assert_eq!(plural(2, "dependency"), "2 dependencies");
        assert_eq!(plural(0, "country"), "0 countries");
        assert_eq!(plural(2, "key"), "2 keys");
        assert_eq!(plural(3, "component"), "3 components");
        assert_eq!(plural(1, "component"), "1 component");
    }

    fn file(text: &str) -> Arc<SourceFile> {
        Arc::new(SourceFile {
            path: PathBuf::from("stacks/x.yaml"),
            text: text.to_owned(),
        })
    }

    #[test]
    fn renders_rustc_style() {
        let f = file("nodes:\n  - id: a\n    needs: [nvdia]\n");
        let d = Diagnostic::error("dangling-reference", "`nvdia` is not defined in any file")
            .at(
                Place {
                    file: f,
                    line: 3,
                    column: 13,
                    len: 5,
                },
                "unknown id",
            )
            .help("did you mean `nvidia`?");
        assert_eq!(
            d.render(false),
            "error[dangling-reference]: `nvdia` is not defined in any file\n \
             --> stacks/x.yaml:3:13\n  |\n3 |     needs: [nvdia]\n  |             ^^^^^ unknown id\n  |\n  \
             = help: did you mean `nvidia`?\n"
        );
    }

    /// A long line is quoted around the column, cut with `...`, and the printed
    /// column is the place's; past [`QUOTE_COLUMN_LIMIT`] the place is named only.
    #[test]
    fn long_lines_keep_their_column() {
        let at = |text: &str, column: usize| {
            Diagnostic::error("c", "m")
                .at(
                    Place {
                        file: file(text),
                        line: 1,
                        column: u32::try_from(column).unwrap(),
                        len: 3,
                    },
                    "here",
                )
                .render(false)
        };
        let line = format!("{}abc{}", "x".repeat(1_999), "y".repeat(5_000));
        let r = at(&line, 2_000);
        assert!(r.contains(" --> stacks/x.yaml:1:2000\n"), "{r}");
        assert!(r.contains("...") && r.contains("^^^ here"), "{r}");
        assert!(r.lines().all(|l| l.chars().count() < 200), "{r}");
        let far = QUOTE_COLUMN_LIMIT + 20;
        let r = at(&"x".repeat(far + 50), far);
        assert!(r.contains(&format!("--> stacks/x.yaml:1:{far}\n")), "{r}");
        assert!(r.len() < 200, "{r}");
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            did_you_mean("nvdia", ["nvidia", "aws", "meta"]),
            Some("nvidia")
        );
        assert_eq!(did_you_mean("layr", ["layer", "name"]), Some("layer"));
        assert_eq!(did_you_mean("zzz", ["nvidia", "aws"]), None);
    }

    #[test]
    fn control_characters_are_neutralised() {
        assert_eq!(sanitize("a\x1b[31mb\tc"), "a\u{FFFD}[31mb c");
        assert_eq!(sanitize("x\u{202E}y\u{2066}z"), "x\u{FFFD}y\u{FFFD}z");
        // Right-to-left text itself and the invisible marks are kept.
        assert_eq!(sanitize("العربية\u{200F}"), "العربية\u{200F}");
        assert!(is_bidi_control('\u{202A}') && is_bidi_control('\u{2069}'));
        assert!(!is_bidi_control('\u{200F}') && !is_bidi_control('\u{2070}'));
    }

    #[test]
    fn byte_places() {
        let f = file("ab\ncdé?");
        let p = Place::at_byte(&f, "ab\ncdé".as_bytes(), 7);
        assert_eq!((p.line, p.column), (2, 4));
    }
}
