//! The xlsx exports, read back with an independent reader (calamine): every sheet
//! holds, cell for cell, the table the same command writes as CSV (numbers as
//! numbers, percentages as fractions, text unaltered where the CSV guards it), and
//! the same data gives the same bytes.

use std::path::Path;

use calamine::{Data, Reader, Xlsx};

use crate::harness::{Outcome, jenga_in, root};

/// The CSV text parsed into rows, with the spreadsheet guard undone: a cell the CSV
/// prefixed with `'` (it started with `=`, `+`, `-`, `@`) is the data after it.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    r.records()
        .map(|rec| {
            rec.unwrap()
                .iter()
                .map(|c| match c.strip_prefix('\'') {
                    Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => {
                        rest.to_owned()
                    }
                    _ => c.to_owned(),
                })
                .collect()
        })
        .collect()
}

/// Every sheet of the workbook at `path`, by name in order, as cells.
fn sheets(path: &Path) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut book: Xlsx<_> = calamine::open_workbook(path).unwrap();
    let names = book.sheet_names().to_vec();
    names
        .into_iter()
        .map(|n| {
            let range = book.worksheet_range(&n).unwrap();
            // calamine's range starts at the first used cell: the header is in A1.
            assert_eq!(range.start(), Some((0, 0)), "sheet {n} starts in A1");
            let rows = range.rows().map(<[Data]>::to_vec).collect();
            (n, rows)
        })
        .collect()
}

/// Asserts that `cells` (a sheet) equals `csv` (its CSV rows) cell for cell; returns
/// how many cells were numbers and how many of those came from a percentage.
fn same_cells(what: &str, cells: &[Vec<Data>], csv: &[Vec<String>]) -> (usize, usize) {
    assert_eq!(cells.len(), csv.len(), "{what}: rows");
    let (mut numbers, mut percents) = (0, 0);
    for (r, (row, expected)) in cells.iter().zip(csv).enumerate() {
        // calamine's rows are as wide as the widest row; the CSV's trailing cells
        // may be empty.
        for (c, text) in expected.iter().enumerate() {
            let cell = row.get(c).unwrap_or(&Data::Empty);
            let at = format!("{what} row {} column {}", r + 1, c + 1);
            match cell {
                Data::Empty => assert_eq!(text, "", "{at}"),
                Data::String(s) => {
                    assert_eq!(s, text, "{at}");
                    assert!(
                        r == 0 || !plain_number(text),
                        "{at}: the number {text} is text"
                    );
                }
                Data::Float(x) => {
                    numbers += 1;
                    assert!(r > 0, "{at}: a header is text");
                    if let Some(p) = text.strip_suffix('%') {
                        percents += 1;
                        let p: f64 = p.trim_end().parse().unwrap();
                        assert!((x * 100.0 - p).abs() < 1e-9, "{at}: {x} for {text}");
                    } else {
                        assert_eq!(*x, text.parse::<f64>().unwrap(), "{at}: {text}");
                    }
                }
                Data::Int(x) => {
                    numbers += 1;
                    assert_eq!(x.to_string(), *text, "{at}");
                }
                other => panic!("{at}: unexpected cell {other:?} for {text:?}"),
            }
        }
        assert!(
            row.iter().skip(expected.len()).all(|c| *c == Data::Empty),
            "{what} row {}: cells beyond the CSV's",
            r + 1
        );
    }
    (numbers, percents)
}

/// A plain decimal: `-`?, digits (no leading zero but `0`), `.digits`?.
fn plain_number(t: &str) -> bool {
    let b = t.strip_prefix('-').unwrap_or(t);
    let (i, f) = b.split_once('.').unwrap_or((b, "0"));
    let digits = |x: &str| !x.is_empty() && x.chars().all(|c| c.is_ascii_digit());
    digits(i) && digits(f) && !(i.len() > 1 && i.starts_with('0')) && i.len() + f.len() <= 15
}

fn run(dir: &Path, args: &[&str]) -> Outcome {
    let out = jenga_in(dir, args);
    assert_eq!(out.code, 0, "jenga {args:?}: {}", out.stderr);
    out
}

/// Every table command of the repository's data: its `--format xlsx -o FILE`
/// workbook is one sheet with the cells of its `--format csv`, and a second run
/// writes the same bytes.
#[test]
fn every_table_command_writes_its_csv_as_a_workbook() {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("t.xlsx");
    let book = book.to_str().unwrap();
    let commands: &[&[&str]] = &[
        &["chokepoints"],
        &["chokepoints", "--by", "jurisdiction"],
        &["chokepoints", "--by", "org", "--key", "supply"],
        &["concentration"],
        &["sovereignty"],
        &["sovereignty", "SG"],
        &["table", "models"],
        &["table", "infrastructure"],
        &["scenario", "scenarios/us-export-controls.yaml"],
        &["scenario", "--remove", "jurisdiction:US"],
        &["cutsets", "SG"],
        &["why", "SG", "nvidia"],
        &["dependents", "nvidia"],
    ];
    let mut numbers = 0;
    for args in commands {
        let csv = run(root(), &[args, &["--format", "csv"][..]].concat()).stdout;
        // `-o FILE.xlsx` picks the format from the extension.
        run(root(), &[args, &["-o", book][..]].concat());
        let first = std::fs::read(book).unwrap();
        let got = sheets(Path::new(book));
        assert_eq!(got.len(), 1, "{args:?}: one sheet");
        numbers += same_cells(&format!("{args:?}"), &got[0].1, &csv_rows(&csv)).0;
        run(
            root(),
            &[args, &["--format", "xlsx", "-o", book][..]].concat(),
        );
        assert_eq!(
            std::fs::read(book).unwrap(),
            first,
            "{args:?}: same bytes twice"
        );
    }
    assert!(
        numbers > 100,
        "ranks, counts and totals are numbers ({numbers})"
    );
}

/// `diff`'s table, with the inputs protected.
#[test]
fn diff_writes_its_csv_as_a_workbook() {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("d.xlsx");
    let dir = crate::harness::fixtures().join("diff");
    let csv = run(&dir, &["diff", "old", "new", "--format", "csv"]).stdout;
    run(&dir, &["diff", "old", "new", "-o", book.to_str().unwrap()]);
    let got = sheets(&book);
    assert_eq!(got[0].0, "diff");
    same_cells("diff", &got[0].1, &csv_rows(&csv));
}

/// Percentages become fractions with a percent number format; text that the CSV
/// guards (`-SEA-LION`, `=1+1`) is stored unaltered as text, never as a formula.
#[test]
fn percentages_are_numbers_and_formulas_are_text() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("w.yaml"),
        "bibliography:\n  - {id: src, title: T, author: A, date: 2024-11}\n\
         organizations:\n  - {id: acme, name: \"=1+1\", jurisdiction: US, sources: [src]}\n  \
         - {id: beta, name: \"-SEA-LION\", jurisdiction: JP, sources: [src]}\n\
         nodes:\n  - {id: chip-a, name: A, layer: chips, org: acme, sources: [src]}\n  \
         - {id: chip-b, name: B, layer: chips, org: beta, sources: [src]}\n\
         country: XA\nname: Testland\ncapabilities: [model-x]\n",
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("x.yaml"),
        "nodes:\n  - id: model-x\n    name: Model X\n    layer: capability\n    \
         needs:\n      - any: [{id: chip-a, share: 62.5}, {id: chip-b, share: 37.5}]\n    \
         sources: [src]\n",
    )
    .unwrap();
    let stacks = tmp.path().to_str().unwrap();
    let out = tempfile::tempdir().unwrap();
    for (args, sheet) in [
        (&["concentration", "--by", "org"][..], "concentration"),
        (&["chokepoints", "--by", "org"][..], "chokepoints"),
    ] {
        let csv = run(
            tmp.path(),
            &[&["--stacks", stacks][..], args, &["--format", "csv"]].concat(),
        );
        let book = out.path().join(format!("{sheet}.xlsx"));
        run(
            tmp.path(),
            &[
                &["--stacks", stacks][..],
                args,
                &["-o", book.to_str().unwrap()],
            ]
            .concat(),
        );
        let got = sheets(&book);
        assert_eq!(got[0].0, sheet);
        let (_, percents) = same_cells(sheet, &got[0].1, &csv_rows(&csv.stdout));
        if sheet == "concentration" {
            assert!(csv.stdout.contains("62.5 %"), "{}", csv.stdout);
            assert_eq!(percents, 1, "the top share is a number");
            // The percent format is in the workbook's styles.
            let styles = unzip_entry(&book, "xl/styles.xml");
            assert!(styles.contains("formatCode=\"0.0%\""), "{styles}");
        } else {
            assert!(csv.stdout.contains("'=1+1") && csv.stdout.contains("'-SEA-LION"));
            let flat: Vec<&Data> = got[0].1.iter().flatten().collect();
            assert!(flat.contains(&&Data::String("=1+1".to_owned())));
            assert!(flat.contains(&&Data::String("-SEA-LION".to_owned())));
            let sheet1 = unzip_entry(&book, "xl/worksheets/sheet1.xml");
            assert!(!sheet1.contains("<f>"), "no formula: {sheet1}");
            assert!(
                sheet1.contains("<pane ySplit=\"1\""),
                "the header row is frozen"
            );
            assert!(sheet1.contains("<col "), "column widths are set");
        }
    }
}

/// One entry of the zip archive at `path` (an xlsx), as text, read with Python's
/// standard `zipfile` (a reader of its own, not jenga's).
fn unzip_entry(path: &Path, entry: &str) -> String {
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())",
            path.to_str().unwrap(),
            entry,
        ])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A workbook never goes to a terminal or pipe, a contradicting or unknown
/// extension is a usage error, and none of them writes a file.
#[test]
fn xlsx_usage_errors_exit_2_and_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let path = |n: &str| tmp.path().join(n).to_str().unwrap().to_owned();
    let cases: Vec<Vec<String>> = vec![
        vec!["chokepoints".into(), "--format".into(), "xlsx".into()],
        vec![
            "table".into(),
            "models".into(),
            "--format".into(),
            "xlsx".into(),
        ],
        vec![
            "chokepoints".into(),
            "--format".into(),
            "csv".into(),
            "-o".into(),
            path("a.xlsx"),
        ],
        vec![
            "sovereignty".into(),
            "--format".into(),
            "xlsx".into(),
            "-o".into(),
            path("b.csv"),
        ],
        vec!["concentration".into(), "-o".into(), path("c.docx")],
    ];
    for args in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = jenga_in(root(), &args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(
            out.stdout.is_empty(),
            "{args:?}: nothing on standard output"
        );
        assert!(out.stderr.contains("error:"), "{}", out.stderr);
    }
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
    // `-o FILE.csv` writes what standard output gets.
    let csv = run(root(), &["chokepoints", "--format", "csv"]).stdout;
    run(root(), &["chokepoints", "-o", &path("r.csv")]);
    assert_eq!(std::fs::read_to_string(path("r.csv")).unwrap(), csv);
}

/// `report.xlsx`: a contents sheet naming, for every other sheet, the report's CSV
/// file with the same cells; every CSV of the report is a sheet; names are unique
/// and at most 31 characters; the Markdown and HTML link it; two reports give the
/// same bytes.
#[test]
fn the_report_workbook_holds_every_table_of_the_report() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for d in [&a, &b] {
        run(root(), &["report", "-o", d.to_str().unwrap(), "-q"]);
    }
    let book = a.join("report.xlsx");
    assert_eq!(
        std::fs::read(&book).unwrap(),
        std::fs::read(b.join("report.xlsx")).unwrap(),
        "two reports, the same workbook"
    );
    let got = sheets(&book);
    assert_eq!(got[0].0, "contents");
    let contents = &got[0].1;
    assert_eq!(
        contents.len(),
        got.len(),
        "one contents row per other sheet"
    );
    let mut names = std::collections::BTreeSet::new();
    let mut listed = std::collections::BTreeSet::new();
    for (k, (name, cells)) in got.iter().enumerate() {
        assert!(name.chars().count() <= 31, "{name}");
        assert!(names.insert(name.to_lowercase()), "{name} twice");
        if k == 0 {
            continue;
        }
        let row = &contents[k];
        assert_eq!(row[0], Data::String(name.clone()), "contents row {k}");
        let Data::String(csv) = &row[1] else {
            panic!("contents row {k}: {row:?}")
        };
        let text = std::fs::read_to_string(a.join(csv)).unwrap();
        same_cells(&format!("{name} ({csv})"), cells, &csv_rows(&text));
        listed.insert(csv.clone());
    }
    // Every CSV file of the report is one of the sheets.
    let mut all = Vec::new();
    let mut stack = vec![a.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "csv") {
                all.push(p.strip_prefix(&a).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    for csv in &all {
        assert!(listed.contains(csv), "{csv} is in no sheet");
    }
    assert!(got.len() > 30, "{} sheets", got.len());
    for page in ["report.md", "index.html"] {
        let text = std::fs::read_to_string(a.join(page)).unwrap();
        assert!(text.contains("report.xlsx"), "{page} links the workbook");
    }
}
