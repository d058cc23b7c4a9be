//! Tabular output shared by every analysis: one [`Table`] rendered as aligned text,
//! CSV or Markdown, with the escaping each format needs; JSON goes through serde.
//!
//! Escaping rules (they are guarantees, tested below):
//! - CSV: RFC 4180 quoting; a cell starting with `=`, `+`, `-`, `@`, tab or carriage
//!   return is prefixed with `'` so spreadsheets do not evaluate it as a formula
//!   (negative numbers are kept as they are).
//! - Markdown: `|`, `\`, `*`, `_`, `` ` ``, `[`, `]`, `~` and `$` are backslash-escaped
//!   (so a cell cannot split the row, start emphasis, code, a link or LaTeX math when
//!   two amounts share a row), line breaks become `<br>`, and `<`, `>` and `&` are
//!   written as entities so a cell cannot inject HTML into a rendered page.
//! - Text: control characters are replaced so a cell cannot drive the terminal.

use std::fmt::Write as _;

/// Output format of `jenga check` (a `--format` value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum CheckFormat {
    /// Diagnostics for people, on standard error.
    #[default]
    Text,
    /// Diagnostics and counts as one JSON document on standard output (docs/json.md).
    Json,
}

/// Output format of an analysis (a `--format` value; clap reads the variants' doc
/// comments as their help).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Format {
    /// Aligned text for the terminal.
    #[default]
    Table,
    /// Documented, stable JSON (see docs/json.md).
    Json,
    /// Comma-separated values.
    Csv,
    /// GitHub-flavoured Markdown tables.
    Markdown,
    /// An Excel workbook (`.xlsx`) of the table the CSV holds, with numbers as
    /// numbers; binary, so it needs `-o FILE`.
    Xlsx,
}

/// A titled table of strings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// Optional heading printed above the table (text and Markdown only).
    pub title: Option<String>,
    /// Column headers.
    pub headers: Vec<String>,
    /// Rows; each has as many cells as there are headers.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these headers.
    pub fn new<S: Into<String>>(headers: impl IntoIterator<Item = S>) -> Table {
        Table {
            title: None,
            headers: headers.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    /// Sets the title.
    #[must_use]
    pub fn titled(mut self, title: impl Into<String>) -> Table {
        self.title = Some(title.into());
        self
    }

    /// Appends a row.
    pub fn push<S: Into<String>>(&mut self, row: impl IntoIterator<Item = S>) {
        self.rows.push(row.into_iter().map(Into::into).collect());
    }

    /// Renders in `format` (JSON is not tabular: use [`to_json`] for it).
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Table | Format::Json => self.to_text(),
            Format::Csv => self.to_csv(),
            // The lossless text the workbook is made from (`run::emit`).
            Format::Xlsx => self.to_csv_raw(),
            Format::Markdown => self.to_markdown(),
        }
    }

    /// Aligned text with a header rule.
    pub fn to_text(&self) -> String {
        let cells: Vec<Vec<String>> = std::iter::once(&self.headers)
            .chain(&self.rows)
            .map(|r| {
                r.iter()
                    .map(|c| crate::diag::sanitize(c).replace('\n', " "))
                    .collect()
            })
            .collect();
        let cols = self.headers.len();
        let mut width = vec![0usize; cols];
        for row in &cells {
            for (i, c) in row.iter().enumerate().take(cols) {
                width[i] = width[i].max(c.chars().count());
            }
        }
        let mut out = String::new();
        if let Some(t) = &self.title {
            let _ = writeln!(out, "{}", crate::diag::sanitize(t));
        }
        for (ri, row) in cells.iter().enumerate() {
            let mut line = String::new();
            for (i, c) in row.iter().enumerate().take(cols) {
                if i > 0 {
                    line.push_str("  ");
                }
                line.push_str(c);
                if i + 1 < cols {
                    line.push_str(&" ".repeat(width[i] - c.chars().count()));
                }
            }
            let _ = writeln!(out, "{}", line.trim_end());
            if ri == 0 {
                let rule: Vec<String> = width.iter().map(|w| "-".repeat(*w)).collect();
                let _ = writeln!(out, "{}", rule.join("  "));
            }
        }
        out
    }

    /// RFC 4180 CSV with formula neutralisation.
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        for row in std::iter::once(&self.headers).chain(&self.rows) {
            let line: Vec<String> = row.iter().map(|c| csv_cell(c)).collect();
            out.push_str(&line.join(","));
            out.push_str("\r\n");
        }
        out
    }

    /// RFC 4180 CSV with the data unaltered (for databases: `neo4j-admin import`,
    /// Kùzu's `COPY FROM`): no formula guard, no replaced characters; only quoting.
    pub fn to_csv_raw(&self) -> String {
        let mut out = String::new();
        for row in std::iter::once(&self.headers).chain(&self.rows) {
            let line: Vec<String> = row.iter().map(|c| csv_cell_raw(c)).collect();
            out.push_str(&line.join(","));
            out.push_str("\r\n");
        }
        out
    }

    /// A GitHub-flavoured Markdown table.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        if let Some(t) = &self.title {
            let _ = writeln!(out, "### {}\n", markdown_cell(t));
        }
        let row = |r: &Vec<String>| {
            format!(
                "| {} |",
                r.iter()
                    .map(|c| markdown_cell(c))
                    .collect::<Vec<_>>()
                    .join(" | ")
            )
        };
        let _ = writeln!(out, "{}", row(&self.headers));
        let _ = writeln!(out, "|{}|", vec!["---"; self.headers.len()].join("|"));
        for r in &self.rows {
            let _ = writeln!(out, "{}", row(r));
        }
        out
    }
}

/// One CSV cell: quoted when needed; a leading formula character is neutralised.
pub fn csv_cell(c: &str) -> String {
    let is_number = c.parse::<f64>().is_ok();
    let risky = !is_number && c.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let c: String = c
        .chars()
        .map(|ch| match ch {
            '\n' | '\r' | '\t' => ch,
            ch if ch.is_control() || crate::diag::is_bidi_control(ch) => '\u{FFFD}',
            ch => ch,
        })
        .collect();
    let c = if risky { format!("'{c}") } else { c };
    if c.contains([',', '"', '\n', '\r']) || c.starts_with(' ') || c.ends_with(' ') {
        format!("\"{}\"", c.replace('"', "\"\""))
    } else {
        c
    }
}

/// One RFC 4180 CSV cell, quoted when it must be and otherwise as it is.
pub fn csv_cell_raw(c: &str) -> String {
    if c.contains([',', '"', '\n', '\r']) || c.starts_with(' ') || c.ends_with(' ') {
        format!("\"{}\"", c.replace('"', "\"\""))
    } else {
        c.to_owned()
    }
}

/// One Markdown table cell: pipes escaped, HTML neutralised, one line.
pub fn markdown_cell(c: &str) -> String {
    let mut out = String::with_capacity(c.len());
    for ch in c.chars() {
        match ch {
            // ASCII punctuation that Markdown interprets inside a cell: the column
            // separator, emphasis, code spans, links and strikethrough. CommonMark lets
            // any ASCII punctuation be backslash-escaped, and the escape renders as the
            // character itself. `$` would start LaTeX math on GitHub.
            '|' | '\\' | '*' | '_' | '`' | '[' | ']' | '~' | '$' => {
                out.push('\\');
                out.push(ch);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' => out.push_str("<br>"),
            '\r' => {}
            c if c.is_control() || crate::diag::is_bidi_control(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Pretty JSON with a trailing newline; serialization of jenga's own result types
/// cannot fail, but if it ever did the error is reported rather than panicking.
pub fn to_json<T: serde::Serialize>(value: &T) -> Result<String, JsonError> {
    let mut s = serde_json::to_string_pretty(value)?;
    s.push('\n');
    Ok(s)
}

/// A result that could not be serialized as JSON.
#[derive(Debug, thiserror::Error)]
#[error("cannot serialize the result as JSON: {0}")]
pub struct JsonError(#[from] serde_json::Error);

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        let mut t = Table::new(["id", "name"]).titled("Nodes");
        t.push(["nvidia", "Nvidia"]);
        t.push(["evil", "=HYPERLINK(\"x\") | <b>"]);
        t
    }

    #[test]
    fn text_is_aligned() {
        assert_eq!(
            sample().to_text(),
            "Nodes\nid      name\n------  ---------------------\nnvidia  Nvidia\nevil    =HYPERLINK(\"x\") | <b>\n"
        );
    }

    #[test]
    fn csv_neutralises_formulas_and_quotes() {
        assert_eq!(
            sample().to_csv(),
            "id,name\r\nnvidia,Nvidia\r\nevil,\"'=HYPERLINK(\"\"x\"\") | <b>\"\r\n"
        );
        assert_eq!(csv_cell("-12.5"), "-12.5");
        assert_eq!(csv_cell("-cmd"), "'-cmd");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("+1+1"), "'+1+1");
        assert_eq!(csv_cell("a\u{7}b\u{202E}c"), "a\u{FFFD}b\u{FFFD}c");
        assert_eq!(csv_cell("a\tb"), "a\tb");
    }

    #[test]
    fn markdown_escapes_what_markdown_interprets() {
        assert_eq!(
            markdown_cell("a|b *c* _d_ `e` [f](g) ~h~ \\ <i>&\nj"),
            "a\\|b \\*c\\* \\_d\\_ \\`e\\` \\[f\\](g) \\~h\\~ \\\\ &lt;i&gt;&amp;<br>j"
        );
    }

    #[test]
    fn markdown_escapes_pipes_and_html() {
        assert_eq!(markdown_cell("~$1 and ~US$2"), "\\~\\$1 and \\~US\\$2");
        assert_eq!(
            sample().to_markdown(),
            "### Nodes\n\n| id | name |\n|---|---|\n| nvidia | Nvidia |\n| evil | =HYPERLINK(\"x\") \\| &lt;b&gt; |\n"
        );
    }
}
