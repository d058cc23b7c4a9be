//! A [`Diagnostic`] drawn the way rustc draws one, by annotate-snippets: the title
//! `error[code]: message`, ` --> file:line:column`, the quoted line with carets under
//! the span and the label, each note with its own quoted place, and `= help: ...`.
//!
//! Everything quoted goes through [`sanitize`] first (no control character, escape or
//! bidi override reaches the terminal; a tab becomes a space, so carets stay
//! aligned). A line is quoted up to [`SNIPPET_WIDTH`] characters past the column;
//! annotate-snippets trims what it shows to the terminal width, with `...` where it
//! cut, and computes the column it prints from the quoted text, which therefore keeps
//! every character before the column. A column beyond [`QUOTE_COLUMN_LIMIT`] is named
//! but its line is not quoted, so a hostile file (one 100 MB line) costs O(limit) per
//! diagnostic, not O(line).

use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use super::{Diagnostic, Place, Severity, sanitize, sanitize_clipped};

/// Characters of a line quoted past the column of the span.
pub const SNIPPET_WIDTH: usize = 120;

/// The last column (in characters) whose line is quoted; beyond it a diagnostic
/// names the place only.
pub const QUOTE_COLUMN_LIMIT: usize = 10_000;

/// What a place's snippet shows: the file as printed, the line number, and the quoted
/// text with the span's byte range in it (`None`: the place is named, not quoted).
struct Quote {
    path: String,
    line: usize,
    column: usize,
    text: Option<(String, Range<usize>)>,
}

impl Quote {
    /// The quote of `place`: the sanitized start of its line, up to
    /// [`SNIPPET_WIDTH`] characters past the column (padded with spaces when the
    /// column is past the end, so the printed column is the place's), and the span,
    /// at least one character wide where the line has one.
    ///
    /// # Complexity
    /// O(column + [`SNIPPET_WIDTH`]), at most O([`QUOTE_COLUMN_LIMIT`]).
    fn of(place: &Place) -> Quote {
        let col = usize::try_from(place.column).unwrap_or(1).saturating_sub(1);
        let line = Some(&place.file.text)
            .filter(|t| !t.is_empty() && col <= QUOTE_COLUMN_LIMIT)
            .and_then(|_| place.file.line(place.line));
        let text = line.map(|l| {
            let mut chars = l.chars();
            let head: String = chars.by_ref().take(col + SNIPPET_WIDTH).collect();
            let mut text = sanitize(&head);
            let width = text.chars().count();
            text.extend(std::iter::repeat_n(' ', col.saturating_sub(width)));
            let len = usize::try_from(place.len)
                .unwrap_or(1)
                .clamp(1, width.saturating_sub(col).max(1));
            let byte = |c: usize| text.char_indices().nth(c).map_or(text.len(), |(b, _)| b);
            let span = byte(col)..byte((col + len).min(width.max(col)));
            if chars.next().is_some() {
                text.push_str("...");
            }
            (text, span)
        });
        Quote {
            path: place.shown_path(),
            line: usize::try_from(place.line).unwrap_or(usize::MAX),
            column: col + 1,
            text,
        }
    }
}

/// Adds `quote` to `group`: a snippet annotated with `kind` and `label`, or only the
/// place when the line is not quoted.
fn with_quote<'a>(
    group: Group<'a>,
    quote: &'a Quote,
    kind: AnnotationKind,
    label: &'a str,
) -> Group<'a> {
    match &quote.text {
        Some((text, span)) => group.element(
            Snippet::source(text.as_str())
                .line_start(quote.line)
                .path(quote.path.as_str())
                .annotation(
                    kind.span(span.clone())
                        .label((!label.is_empty()).then_some(label)),
                ),
        ),
        None => group.element(
            Origin::path(quote.path.as_str())
                .line(quote.line)
                .char_column(quote.column),
        ),
    }
}

/// `d` as text, ending with a newline; styled (anstyle colours, annotate-snippets'
/// defaults) when `color`.
pub(super) fn render(d: &Diagnostic, color: bool) -> String {
    let title = sanitize_clipped(&d.message);
    let label = sanitize_clipped(&d.label);
    let main = d.place.as_ref().map(Quote::of);
    let notes: Vec<(String, Quote)> = d
        .notes
        .iter()
        .map(|(p, t)| (sanitize_clipped(t), Quote::of(p)))
        .collect();
    let help = d.help.as_deref().map(sanitize_clipped);
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let mut group = Group::with_title(level.primary_title(title.as_str()).id(d.code));
    if let Some(q) = &main {
        group = with_quote(group, q, AnnotationKind::Primary, &label);
    }
    for (text, q) in &notes {
        group = group.element(Level::NOTE.message(text.as_str()));
        group = with_quote(group, q, AnnotationKind::Context, "");
    }
    if let Some(h) = &help {
        group = group.element(Level::HELP.message(h.as_str()));
    }
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = renderer.render(&[group]);
    out.push('\n');
    out
}
