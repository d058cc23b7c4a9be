//! `jenga table models|infrastructure` against the source's Table 1 and Table 2.
//!
//! The expected rows come from `tests/fixtures/source-tables/` (verbatim copies of the
//! tables only). When `JENGA_SOURCE_TEXT` names the article, its tables are extracted
//! and must equal those copies, so the copies cannot drift from the source; with
//! `JENGA_REQUIRE_SOURCES=1` (CI) a missing `JENGA_SOURCE_TEXT` fails the test.

use std::path::Path;

use crate::harness::{expect_file, fixtures, jenga, jenga_in, root};

/// A table of the source: caption, header cells and rows, as the article writes them
/// (Markdown-escaped: `\$`).
pub struct SourceTable {
    pub caption: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The article's text, when `JENGA_SOURCE_TEXT` names it; `None` when unset, unless
/// `JENGA_REQUIRE_SOURCES=1`, which makes an unset variable a failure.
pub fn article() -> Option<String> {
    match std::env::var_os("JENGA_SOURCE_TEXT") {
        Some(p) => Some(
            std::fs::read_to_string(&p)
                .unwrap_or_else(|e| panic!("JENGA_SOURCE_TEXT={}: {e}", Path::new(&p).display())),
        ),
        None => {
            assert!(
                std::env::var("JENGA_REQUIRE_SOURCES").as_deref() != Ok("1"),
                "JENGA_REQUIRE_SOURCES=1 but JENGA_SOURCE_TEXT is not set to the article's path"
            );
            None
        }
    }
}

/// Extracts "Table N." from the article: the caption line, then the tab-separated
/// lines that follow it (blank lines skipped), as the text of the fixture file.
pub fn extract(article: &str, n: u32) -> String {
    let prefix = format!("Table {n}. ");
    let mut lines = article.lines().skip_while(|l| !l.starts_with(&prefix));
    let caption = lines.next().expect("the article has the table's caption");
    let mut out = format!("{caption}\n");
    for l in lines.skip_while(|l| l.trim().is_empty()) {
        if !l.contains('\t') {
            break;
        }
        out.push_str(l);
        out.push('\n');
    }
    out
}

/// Table `n` as the source gives it, checked against the article when available.
pub fn source_table(n: u32) -> SourceTable {
    let path = fixtures()
        .join("source-tables")
        .join(format!("table-{n}.txt"));
    let copy = std::fs::read_to_string(&path).expect("the committed table copy exists");
    if let Some(text) = article() {
        assert_eq!(
            extract(&text, n),
            copy,
            "{} differs from Table {n} of the article",
            path.display()
        );
    }
    let mut lines = copy.lines();
    let caption = lines.next().expect("caption").to_owned();
    let split = |l: &str| l.split('\t').map(str::to_owned).collect::<Vec<_>>();
    let header = split(lines.next().expect("header"));
    let rows: Vec<Vec<String>> = lines.map(split).collect();
    assert!(rows.iter().all(|r| r.len() == header.len()));
    SourceTable {
        caption,
        header,
        rows,
    }
}

/// The article's Markdown escapes undone: `\$` and `\\$` are `$`, `[text](#)` is `text`.
pub fn unescape(s: &str) -> String {
    let s = s.replace("\\\\$", "$").replace("\\$", "$");
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(open) = rest.find('[') {
        match rest[open..].find("](#)") {
            Some(close) => {
                out.push_str(&rest[..open]);
                out.push_str(&rest[open + 1..open + close]);
                rest = &rest[open + close + 4..];
            }
            None => {
                out.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn run(which: &str, format: &str) -> String {
    let out = jenga_in(root(), &["table", which, "--format", format]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stderr, "");
    out.stdout
}

fn unescaped(rows: &[Vec<String>]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|c| unescape(c)).collect())
        .collect()
}

/// RFC 4180: quoted cells with doubled quotes, CRLF line ends.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut cell, mut quoted, mut chars) =
        (Vec::new(), String::new(), false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    rows
}

fn compare_json(which: &str, n: u32) {
    let src = source_table(n);
    let json: serde_json::Value = serde_json::from_str(&run(which, "json")).unwrap();
    assert_eq!(json["table"], which);
    assert_eq!(json["title"], src.caption.as_str());
    let columns: Vec<String> = serde_json::from_value(json["columns"].clone()).unwrap();
    assert_eq!(columns, src.header);
    let rows = json["rows"].as_array().unwrap();
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| serde_json::from_value(r["cells"].clone()).unwrap())
        .collect();
    assert_eq!(cells, unescaped(&src.rows), "Table {n} as JSON");
    for r in rows {
        assert!(r["id"].is_string() && r["name"].is_string(), "{r}");
        assert!(r["country"]["id"].is_string() && r["country"]["name"].is_string());
        assert!(!r["sources"].as_array().unwrap().is_empty(), "{r}");
        assert_eq!(r["budget"]["text"], r["cells"][if n == 1 { 5 } else { 2 }]);
    }
}

fn compare_csv(which: &str, n: u32) {
    let src = source_table(n);
    let csv = parse_csv(&run(which, "csv"));
    assert_eq!(csv[0], src.header);
    assert_eq!(
        &csv[1..],
        unescaped(&src.rows).as_slice(),
        "Table {n} as CSV"
    );
}

/// The Markdown rows are the source's rows cell for cell: the article escapes `$` as
/// `\$` exactly as jenga does; `&` becomes `&amp;` and `~` (strikethrough on GitHub)
/// becomes `\~`.
fn compare_markdown(which: &str, n: u32) {
    let src = source_table(n);
    let md = run(which, "markdown");
    let row = |cells: &[String]| {
        format!(
            "| {} |",
            cells
                .iter()
                .map(|c| c.replace('&', "&amp;").replace('~', "\\~"))
                .collect::<Vec<_>>()
                .join(" | ")
        )
    };
    let mut expected = format!("### {}\n\n{}\n", src.caption, row(&src.header));
    expected.push_str(&format!("|{}|\n", vec!["---"; src.header.len()].join("|")));
    for r in &src.rows {
        expected.push_str(&row(r));
        expected.push('\n');
    }
    assert_eq!(md, expected, "Table {n} as Markdown");
}

fn compare_text(which: &str, n: u32) {
    let src = source_table(n);
    let text = run(which, "table");
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(src.caption.as_str()));
    let body: Vec<&str> = lines.skip(2).collect();
    assert_eq!(body.len(), src.rows.len());
    for (line, row) in body.iter().zip(unescaped(&src.rows)) {
        let mut rest = *line;
        for cell in &row {
            let at = rest
                .find(cell.as_str())
                .unwrap_or_else(|| panic!("`{cell}` missing or out of order in `{line}`"));
            rest = &rest[at + cell.len()..];
        }
    }
}

#[test]
fn table_1_models_as_json() {
    compare_json("models", 1);
}

#[test]
fn table_2_infrastructure_as_json() {
    compare_json("infrastructure", 2);
}

#[test]
fn both_tables_as_csv() {
    compare_csv("models", 1);
    compare_csv("infrastructure", 2);
}

#[test]
fn both_tables_as_markdown() {
    compare_markdown("models", 1);
    compare_markdown("infrastructure", 2);
}

#[test]
fn both_tables_as_text() {
    compare_text("models", 1);
    compare_text("infrastructure", 2);
}

#[test]
fn output_is_deterministic() {
    for format in ["json", "csv", "markdown", "table"] {
        assert_eq!(run("models", format), run("models", format));
    }
}

#[test]
fn unknown_table_is_a_usage_error() {
    let out = jenga_in(root(), &["table", "budgets"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("models"), "{}", out.stderr);
}

#[test]
fn a_fixture_row_regenerates_with_its_escaping() {
    let out = jenga(&[
        "--stacks",
        "tables",
        "table",
        "infrastructure",
        "--format",
        "markdown",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "### Table 2. Sovereign AI infrastructure.\n\n\
         | Country/ Region | Name &amp; Location | Investment Amount | Nature of Investment | Private-Sector Partners | Status |\n\
         |---|---|---|---|---|---|\n\
         | Atlantis | Atlas \\| &lt;b&gt;; under the sea | \\~\\$1 billion | To be determined | A &amp; B | Announced |\n"
    );
    let csv = jenga(&[
        "--stacks",
        "tables",
        "table",
        "infrastructure",
        "--format",
        "csv",
    ]);
    assert_eq!(
        csv.stdout.lines().nth(1),
        Some("Atlantis,Atlas | <b>; under the sea,~$1 billion,To be determined,A & B,Announced")
    );
    let none = jenga(&["--stacks", "tables", "table", "models", "--format", "csv"]);
    assert_eq!(none.code, 0);
    assert_eq!(
        none.stdout.lines().count(),
        1,
        "only the header: {}",
        none.stdout
    );
}

#[test]
fn incomplete_and_duplicate_rows_are_located_errors() {
    let dir = "err/table-row";
    let out = jenga(&["--stacks", dir, "check"]);
    assert_eq!(out.code, 1);
    expect_file(&fixtures().join(dir).join("expected.stderr"), &out.stderr);
    assert!(out.stderr.contains("error[missing-table-cell]"));
    assert!(out.stderr.contains("error[duplicate-table-row]"));
    assert!(out.stderr.contains("error[table-row-without-country]"));
    let table = jenga(&["--stacks", dir, "table", "models"]);
    assert_eq!(table.code, 1, "no table is printed from invalid data");
    assert_eq!(table.stdout, "");
}

#[test]
fn the_extractor_reads_the_committed_copies_back() {
    for n in [1, 2] {
        let copy = std::fs::read_to_string(
            fixtures()
                .join("source-tables")
                .join(format!("table-{n}.txt")),
        )
        .unwrap();
        let article = format!("Intro.\n\n{copy}\nAfter the table.\n");
        assert_eq!(extract(&article, n), copy);
        assert_eq!(source_table(n).rows.len(), 7);
    }
    assert_eq!(
        unescape("a [\\\\$7.4 million project](#) ~\\$1"),
        "a $7.4 million project ~$1"
    );
}
