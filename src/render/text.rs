//! Text measurement and wrapping for the built-in renderer, and the escaping of text
//! for XML.
//!
//! Widths use Helvetica's advance widths (the font SVG viewers fall back to through
//! `sans-serif` are close to it), scaled up by a margin so that the wider fallbacks
//! (DejaVu Sans) still fit inside the boxes that the layout reserves.

/// Helvetica advance widths in 1/1000 em for the printable ASCII range 32..=126.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // ' '../
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0-9
    278, 278, 584, 584, 584, 556, 1015, // :;<=>?@
    667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, // A-M
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // N-Z
    278, 278, 278, 469, 556, 333, // [\]^_`
    556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, // a-m
    556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, // n-z
    334, 260, 334, 584, // {|}~
];

/// Safety margin for fallback fonts wider than Helvetica.
const MARGIN: f64 = 1.12;

/// The width of `s` at `size` px, bold or regular.
pub fn width(s: &str, size: f64, bold: bool) -> f64 {
    let em: u32 = s
        .chars()
        .map(|c| {
            let code = c as u32;
            if (32..=126).contains(&code) {
                u32::from(HELVETICA[(code - 32) as usize])
            } else if c.is_whitespace() {
                278
            } else {
                // Glyphs outside ASCII: letters with accents, symbols, CJK (wide).
                if code >= 0x2E80 { 1000 } else { 600 }
            }
        })
        .sum();
    f64::from(em) / 1000.0 * size * MARGIN * if bold { 1.13 } else { 1.0 }
}

/// Splits `s` into lines of at most `max` characters at spaces; a word longer than
/// `max` is cut. Control characters become spaces.
///
/// # Complexity
/// O(n) in the length of `s` (each line's length is counted as it grows).
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    let max = max.max(4);
    let mut lines = Vec::new();
    let mut line = String::new();
    // Characters in `line`.
    let mut len = 0;
    let words = s.split(|c: char| c == ' ' || c.is_control());
    for word in words.filter(|w| !w.is_empty()) {
        let mut chars = word.chars();
        let mut count = word.chars().count();
        while count > max {
            if len > 0 {
                lines.push(std::mem::take(&mut line));
                len = 0;
            }
            lines.push(chars.by_ref().take(max).collect());
            count -= max;
        }
        if len > 0 && len + 1 + count > max {
            lines.push(std::mem::take(&mut line));
            len = 0;
        }
        if len > 0 {
            line.push(' ');
            len += 1;
        }
        line.extend(chars);
        len += count;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// What [`xml_escape`] does with tabs, line feeds and carriage returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breaks {
    /// Kept as character references (`&#9;`, `&#10;`, `&#13;`): data a reader gets back
    /// whole (GraphML, GEXF, Open-PSA).
    Keep,
    /// Written as spaces: a drawn label, already wrapped into its lines.
    Space,
}

/// Escapes text for XML content and attribute values: the five markup characters,
/// tabs and line breaks as `breaks` says, every other control character, bidi override
/// and XML 1.0 non-character (U+FFFE, U+FFFF) replaced with U+FFFD. The one XML
/// escaper of jenga (figures, exports, the report's HTML).
///
/// # Complexity
/// O(n) in the length of `s`.
pub fn xml_escape(s: &str, breaks: Breaks) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match (c, breaks) {
            ('&', _) => out.push_str("&amp;"),
            ('<', _) => out.push_str("&lt;"),
            ('>', _) => out.push_str("&gt;"),
            ('"', _) => out.push_str("&quot;"),
            ('\'', _) => out.push_str("&#39;"),
            ('\t' | '\n' | '\r', Breaks::Space) => out.push(' '),
            ('\t', Breaks::Keep) => out.push_str("&#9;"),
            ('\n', Breaks::Keep) => out.push_str("&#10;"),
            ('\r', Breaks::Keep) => out.push_str("&#13;"),
            (c, _)
                if c.is_control()
                    || c == '\u{FFFE}'
                    || c == '\u{FFFF}'
                    || crate::diag::is_bidi_control(c) =>
            {
                out.push('\u{FFFD}');
            }
            (c, _) => out.push(c),
        }
    }
    out
}

/// [`xml_escape`] for a drawn label: line breaks as spaces.
pub fn xml(s: &str) -> String {
    xml_escape(s, Breaks::Space)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces_and_cuts_long_words() {
        assert_eq!(
            wrap("Trustworthy AI Dialogue Engine (TAIDE)", 18),
            vec!["Trustworthy AI", "Dialogue Engine", "(TAIDE)"]
        );
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 10), vec![""]);
        assert_eq!(wrap("a\u{7}b", 10), vec!["a b"]);
    }

    /// The quadratic wrapper `wrap` replaced (each word counted the line again), as an
    /// oracle: the linear one gives the same lines.
    fn wrap_by_recounting(s: &str, max: usize) -> Vec<String> {
        let max = max.max(4);
        let clean: String = s
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in clean.split(' ').filter(|w| !w.is_empty()) {
            let mut word: Vec<char> = word.chars().collect();
            while word.len() > max {
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                let rest = word.split_off(max);
                lines.push(word.into_iter().collect());
                word = rest;
            }
            let len = line.chars().count();
            if len > 0 && len + 1 + word.len() > max {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.extend(word);
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        lines
    }

    proptest::proptest! {
        #[test]
        fn wrap_matches_the_recounting_oracle(
            s in "[a-cé \u{7}\t\n]{0,60}",
            max in 0usize..12,
        ) {
            proptest::prop_assert_eq!(wrap(&s, max), wrap_by_recounting(&s, max));
        }
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            xml("Nvidia \"A100\" \\ <script>&'"),
            "Nvidia &quot;A100&quot; \\ &lt;script&gt;&amp;&#39;"
        );
        assert_eq!(xml("a\u{1}b\u{FFFE}"), "a\u{FFFD}b\u{FFFD}");
        assert_eq!(xml("a\u{202E}b\u{85}"), "a\u{FFFD}b\u{FFFD}");
        assert_eq!(xml("two\nlines\tand\r"), "two lines and ");
    }

    #[test]
    fn data_keeps_its_line_breaks_as_references() {
        assert_eq!(
            xml_escape("two\nlines\tand\r 'q' <&>", Breaks::Keep),
            "two&#10;lines&#9;and&#13; &#39;q&#39; &lt;&amp;&gt;"
        );
        assert_eq!(
            xml_escape("a\u{1}\u{202E}", Breaks::Keep),
            "a\u{FFFD}\u{FFFD}"
        );
    }

    #[test]
    fn bold_is_wider_and_width_grows_with_text() {
        assert!(width("Nvidia", 12.0, true) > width("Nvidia", 12.0, false));
        assert!(width("Nvidia H100", 12.0, false) > width("Nvidia", 12.0, false));
        assert!(width("日本", 12.0, false) > width("ab", 12.0, false));
    }
}
