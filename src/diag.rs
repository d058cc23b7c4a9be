//! Diagnostics: located errors and warnings, rendered like a compiler's.
//!
//! Every problem jenga finds in input files becomes a [`Diagnostic`] that names the
//! file, line and column, shows the offending line with a caret under the span, and
//! says what would fix it. Checks collect diagnostics into a [`Diagnostics`] list so
//! that one run reports every problem at once.

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::model::Location;
use serde::Serialize;

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

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}",
            clip(&sanitize(&self.file.path.to_string_lossy())),
            self.line,
            self.column
        )
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

    /// Renders the diagnostic as text (with ANSI colours when `color`).
    pub fn render(&self, color: bool) -> String {
        let st = Styles::new(color);
        let mut out = String::new();
        let (sev, sev_style) = match self.severity {
            Severity::Error => ("error", st.error),
            Severity::Warning => ("warning", st.warning),
        };
        let _ = writeln!(
            out,
            "{sev_style}{sev}[{}]{reset}{bold}: {}{reset}",
            self.code,
            sanitize_clipped(&self.message),
            reset = st.reset,
            bold = st.bold
        );
        let gutter = self
            .place
            .iter()
            .chain(self.notes.iter().map(|(p, _)| p))
            .map(|p| p.line.to_string().len())
            .max()
            .unwrap_or(1);
        if let Some(place) = &self.place {
            render_snippet(&mut out, place, &self.label, gutter, sev_style, &st);
        }
        for (place, text) in &self.notes {
            let pad = " ".repeat(gutter);
            let _ = writeln!(
                out,
                "{pad} {}={} note: {}",
                st.blue,
                st.reset,
                sanitize_clipped(text)
            );
            render_snippet(&mut out, place, "", gutter, st.blue, &st);
        }
        if let Some(help) = &self.help {
            let pad = " ".repeat(gutter);
            let _ = writeln!(
                out,
                "{pad} {}={} help: {}",
                st.blue,
                st.reset,
                sanitize_clipped(help)
            );
        }
        out
    }
}

fn render_snippet(
    out: &mut String,
    place: &Place,
    label: &str,
    gutter: usize,
    caret_style: &str,
    st: &Styles,
) {
    let pad = " ".repeat(gutter);
    let _ = writeln!(out, "{pad}{}-->{} {place}", st.blue, st.reset);
    if place.file.text.is_empty() {
        return; // nothing to quote (an empty or unread file)
    }
    let Some(line) = place.file.line(place.line) else {
        return;
    };
    let (line, col) = window(
        line,
        usize::try_from(place.column).unwrap_or(1).saturating_sub(1),
    );
    let _ = writeln!(out, "{pad} {}|{}", st.blue, st.reset);
    let _ = writeln!(
        out,
        "{}{:>gutter$} |{} {line}",
        st.blue, place.line, st.reset
    );
    let width = line.chars().count();
    let len = usize::try_from(place.len)
        .unwrap_or(1)
        .clamp(1, width.saturating_sub(col).max(1));
    let label = if label.is_empty() {
        String::new()
    } else {
        format!(" {}", sanitize_clipped(label))
    };
    let _ = writeln!(
        out,
        "{pad} {}|{} {}{caret_style}{}{label}{}",
        st.blue,
        st.reset,
        " ".repeat(col),
        "^".repeat(len),
        st.reset
    );
}

/// At most [`SNIPPET_WIDTH`] characters of `line` around the 0-based column `col`,
/// sanitized, with `…` where text was cut, and the column within the window: a hostile
/// file with one 100 MB line must not flood the terminal (or memory).
///
/// # Complexity
/// O(`col` + [`SNIPPET_WIDTH`]) time, O([`SNIPPET_WIDTH`]) memory.
fn window(line: &str, col: usize) -> (String, usize) {
    let start = col.saturating_sub(SNIPPET_WIDTH / 2);
    let mut chars = line.chars();
    let skipped = chars.by_ref().take(start).count();
    let shown: String = chars.by_ref().take(SNIPPET_WIDTH).collect();
    let more = chars.next().is_some();
    if skipped == 0 && !more {
        return (sanitize(line), col);
    }
    let mut out = String::new();
    let mut new_col = col.saturating_sub(skipped);
    if skipped > 0 {
        out.push('…');
        new_col += 1;
    }
    out.push_str(&sanitize(&shown));
    if more {
        out.push('…');
    }
    (out, new_col)
}

/// The widest source line quoted in a diagnostic, in characters.
pub const SNIPPET_WIDTH: usize = 120;

/// Whether `c` is a bidirectional embedding, override or isolate (U+202A-U+202E,
/// U+2066-U+2069): characters that make text display in an order different from the
/// one it is stored in ("Trojan Source"). Right-to-left scripts never need them, so
/// every human-facing output (terminal, figures, tables, CSV, Markdown, GraphML,
/// Mermaid) replaces them with U+FFFD; only JSON keeps the data verbatim.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Replaces control characters (terminal escapes included), bidirectional overrides and
/// tabs so that quoted input can never drive or mislead the terminal, and carets stay
/// aligned.
pub fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' => ' ',
            // Control characters, and the bidirectional overrides and isolates that can
            // make a quoted line display differently from what it holds.
            c if c.is_control() || is_bidi_control(c) => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// The longest message line printed, in characters: a longer one (a 10 MB key quoted
/// in "unknown field") keeps its start and end around a count of what was left out.
pub const MESSAGE_WIDTH: usize = 400;

/// `s` cut to at most [`MESSAGE_WIDTH`] characters (plus the marker of the cut): its
/// first and last 180 characters around `… (N characters omitted) …`.
///
/// # Complexity
/// O(length of `s`).
pub fn clip(s: &str) -> std::borrow::Cow<'_, str> {
    let n = s.chars().count();
    if n <= MESSAGE_WIDTH {
        return std::borrow::Cow::Borrowed(s);
    }
    let keep = 180;
    let head: String = s.chars().take(keep).collect();
    let tail: String = s.chars().skip(n - keep).collect();
    std::borrow::Cow::Owned(format!(
        "{head}… ({} characters omitted) …{tail}",
        n - 2 * keep
    ))
}

/// [`sanitize`] then [`clip`]: how every message line reaches the terminal.
pub fn sanitize_clipped(s: &str) -> String {
    clip(&sanitize(s)).into_owned()
}

struct Styles {
    error: &'static str,
    warning: &'static str,
    blue: &'static str,
    bold: &'static str,
    reset: &'static str,
}

impl Styles {
    fn new(color: bool) -> Styles {
        if color {
            Styles {
                error: "\x1b[1;31m",
                warning: "\x1b[1;33m",
                blue: "\x1b[1;34m",
                bold: "\x1b[1m",
                reset: "\x1b[0m",
            }
        } else {
            Styles {
                error: "",
                warning: "",
                blue: "",
                bold: "",
                reset: "",
            }
        }
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

/// Suggests the closest of `candidates` to `word`, if one is close enough to be a typo.
///
/// Uses the Damerau–Levenshtein distance, allowing one edit per three characters
/// (at least one, at most [`MAX_EDITS`]). Ties go to the alphabetically first
/// candidate. For many lookups against the same candidates, build one [`Suggester`].
///
/// # Complexity
/// As [`Suggester::suggest`], plus O(n log n) to sort the n candidates.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    Suggester::new(candidates).suggest(word)
}

/// The most edits a "did you mean" suggestion may be away from the word.
pub const MAX_EDITS: usize = 3;

/// Work units (one per candidate passed through the filters, plus 16 per cell of an
/// exact distance) that one [`Suggester`] spends in all its lookups; when they run out, it
/// suggests nothing more. About 0.2 s of CPU.
pub const SUGGEST_BUDGET: u64 = 200_000_000;

/// Buckets of the character histogram used as a filter.
const BUCKETS: usize = 16;

/// "Did you mean" lookups against one set of candidates, with a bounded total cost
/// (10,000 ids of 120 characters and hundreds of misspellings once cost a minute).
///
/// Each lookup keeps only the candidates whose length is within the edit limit k
/// (a binary search in the candidates sorted by length), then those whose character
/// histogram (16 buckets) is within 2k (an edit changes it by at most 2, a
/// transposition not at all: both are lower bounds of the distance, so no
/// suggestion is lost), and computes the exact distance only for those.
/// All lookups together spend at most [`SUGGEST_BUDGET`] work units; beyond it they
/// return `None` (a missing hint, never a wrong one), deterministically.
///
/// # Complexity
/// Building: O(total length + n log n) for n candidates, 40 bytes each. A lookup of
/// a word of length m: O(log n) plus O(1) per candidate of length m ± k for the
/// filters plus O(m²) per survivor, all bounded by the remaining budget.
///
/// # References
/// Ukkonen, "Algorithms for approximate string matching", Information and Control
/// 64 (1985) (length and q-gram count filters).
#[derive(Debug)]
pub struct Suggester<'a> {
    /// (length in characters, candidate, its histogram), sorted.
    by_len: Vec<(usize, &'a str, [u8; BUCKETS])>,
    budget: std::sync::atomic::AtomicU64,
}

/// The character histogram of `s` in [`BUCKETS`] buckets (saturating at 255; a
/// saturated bucket is never used to reject).
fn histogram(s: &str) -> [u8; BUCKETS] {
    let mut h = [0u8; BUCKETS];
    for c in s.chars() {
        let b = &mut h[c as usize % BUCKETS];
        *b = b.saturating_add(1);
    }
    h
}

impl<'a> Suggester<'a> {
    /// Indexes `candidates`.
    pub fn new(candidates: impl IntoIterator<Item = &'a str>) -> Suggester<'a> {
        let mut by_len: Vec<(usize, &'a str, [u8; BUCKETS])> = candidates
            .into_iter()
            .map(|c| (c.chars().count(), c, histogram(c)))
            .collect();
        by_len.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        by_len.dedup_by(|a, b| a.1 == b.1);
        Suggester {
            by_len,
            budget: std::sync::atomic::AtomicU64::new(SUGGEST_BUDGET),
        }
    }

    /// The closest candidate to `word` within one edit per three characters (at least
    /// one, at most [`MAX_EDITS`]), ties to the alphabetically first; `None` when none
    /// is close enough, or the budget is spent.
    pub fn suggest(&self, word: &str) -> Option<&'a str> {
        use std::sync::atomic::Ordering;
        let m = word.chars().count();
        let limit = (m / 3).clamp(1, MAX_EDITS);
        let want = histogram(word);
        let lo = self.by_len.partition_point(|&(l, _, _)| l + limit < m);
        let mut best: Option<(usize, &'a str)> = None;
        let mut left = self.budget.load(Ordering::Relaxed);
        for &(len, c, have) in &self.by_len[lo..] {
            if len > m + limit {
                break;
            }
            if left == 0 {
                best = None;
                break;
            }
            left -= 1;
            let l1: u32 = want
                .iter()
                .zip(&have)
                .filter(|&(&a, &b)| a < u8::MAX && b < u8::MAX)
                .map(|(&a, &b)| u32::from(a.abs_diff(b)))
                .sum();
            if l1 as usize > 2 * limit || c == word {
                continue;
            }
            let cells = 16 * (m as u64 + 1) * (len as u64 + 1);
            if cells > left {
                left = 0;
                best = None;
                break;
            }
            left -= cells;
            let d = strsim::damerau_levenshtein(word, c);
            if d <= limit && best.is_none_or(|b| (d, c) < b) {
                best = Some((d, c));
            }
        }
        self.budget.store(left, Ordering::Relaxed);
        best.map(|(_, c)| c)
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
             --> stacks/x.yaml:3:13\n  |\n3 |     needs: [nvdia]\n  |             ^^^^^ unknown id\n  \
             = help: did you mean `nvidia`?\n"
        );
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
