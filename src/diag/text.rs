//! Quoted input made safe to print: control characters, terminal escapes and
//! bidirectional overrides replaced, long messages clipped around a count of what was
//! left out.

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
