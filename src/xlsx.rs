//! Excel workbooks of jenga's tables (rust_xlsxwriter): one worksheet per [`Table`].
//!
//! Each sheet has the table's headers as a bold, frozen first row, then its rows. A
//! cell that is a plain decimal number (`12`, `-3.5`) is written as a number, a
//! percentage (`37 %`, `12.5%`) as the fraction (0.125) with a percent number format
//! of as many decimals as the text had; every other cell is a string, stored as a
//! string (never a formula, whatever it starts with), so no formula guard is needed
//! and the data is written unaltered. Column widths follow the longest cell of each
//! column (capped). The document's creation time is fixed, so the same tables give
//! the same bytes.
//!
//! # Complexity
//! O(total characters of the tables) to classify and write the cells, plus the zip
//! compression of the result.

use std::collections::BTreeSet;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

use crate::output::Table;

/// The longest sheet name Excel accepts.
pub const MAX_SHEET_NAME: usize = 31;

/// Widest column, in characters.
const MAX_WIDTH: usize = 60;

/// Why a workbook could not be written or a raw CSV table read back.
#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    /// rust_xlsxwriter refused the workbook (not expected for valid names and cell
    /// counts within Excel's limits).
    #[error("cannot write the workbook: {0}")]
    Write(#[from] XlsxError),
    /// The text of a table is not the CSV jenga writes.
    #[error("{0}")]
    Csv(#[from] csv::Error),
}

/// What a cell's text is written as.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    /// A plain decimal number.
    Number(f64),
    /// A percentage: the fraction and the number of decimals the text showed.
    Percent(f64, usize),
    /// Anything else, written as a string.
    Text(&'a str),
}

/// Whether `s` is a plain decimal number: an optional `-`, digits without a leading
/// zero (unless the integer part is `0`), an optional fraction; at most 15 significant
/// digits, so the number an f64 holds prints back as `s`. `1e5`, `inf`, `NaN`, `007`
/// and `+1` stay text.
fn decimal(s: &str) -> Option<(f64, usize)> {
    let body = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || (int.len() > 1 && int.starts_with('0')) {
        return None;
    }
    if let Some(f) = frac
        && !digits(f)
    {
        return None;
    }
    let decimals = frac.map_or(0, str::len);
    if int.len() + decimals > 15 {
        return None;
    }
    s.parse::<f64>().ok().map(|x| (x, decimals))
}

/// How the cell text `s` is written.
pub fn classify(s: &str) -> Cell<'_> {
    if let Some((x, _)) = decimal(s) {
        return Cell::Number(x);
    }
    if let Some(p) = s.strip_suffix('%') {
        let p = p.strip_suffix(' ').unwrap_or(p);
        if let Some((x, d)) = decimal(p) {
            return Cell::Percent(x / 100.0, d);
        }
    }
    Cell::Text(s)
}

/// Unique sheet names for `titles`, in order: characters Excel forbids (`[]:*?/\`)
/// become `-`, leading and trailing apostrophes are dropped, names are cut to 31
/// characters, and a name already taken (case-insensitively, as Excel compares them)
/// gets a ` (2)`, ` (3)` … suffix within the 31.
pub fn sheet_names<S: AsRef<str>>(titles: &[S]) -> Vec<String> {
    let mut taken = BTreeSet::new();
    let mut out = Vec::with_capacity(titles.len());
    for t in titles {
        let clean: String = t
            .as_ref()
            .chars()
            .map(|c| {
                if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() {
                    '-'
                } else {
                    c
                }
            })
            .collect();
        let clean = clean.trim().trim_matches('\'').trim();
        let base = if clean.is_empty() || clean.eq_ignore_ascii_case("history") {
            format!("sheet {}", out.len() + 1)
        } else {
            clean.to_owned()
        };
        let cut = |s: &str, n: usize| s.chars().take(n).collect::<String>().trim_end().to_owned();
        let mut name = cut(&base, MAX_SHEET_NAME);
        let mut k = 2;
        while taken.contains(&name.to_lowercase()) {
            let suffix = format!(" ({k})");
            name = format!(
                "{}{suffix}",
                cut(&base, MAX_SHEET_NAME - suffix.chars().count())
            );
            k += 1;
        }
        taken.insert(name.to_lowercase());
        out.push(name);
    }
    out
}

/// The workbook of `sheets` (sheet title, table), as the bytes of an `.xlsx` file.
/// Titles are made valid and unique with [`sheet_names`].
///
/// # Errors
/// [`WorkbookError::Write`], rust_xlsxwriter's error (it has none for valid names and
/// cell counts within Excel's 1,048,576 rows and 16,384 columns).
pub fn workbook(sheets: &[(String, &Table)]) -> Result<Vec<u8>, WorkbookError> {
    Ok(build(sheets)?)
}

fn build(sheets: &[(String, &Table)]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    // A fixed creation time (the zip entries' times are fixed by rust_xlsxwriter):
    // the same tables give the same bytes.
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    book.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&created)
            .set_title("jenga tables"),
    );
    let header = Format::new().set_bold();
    let names = sheet_names(&sheets.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>());
    let percent: Vec<Format> = (0..=6)
        .map(|d| {
            let f = if d == 0 {
                "0%".to_owned()
            } else {
                format!("0.{}%", "0".repeat(d))
            };
            Format::new().set_num_format(f)
        })
        .collect();
    for (name, (_, table)) in names.iter().zip(sheets) {
        let ws = book.add_worksheet();
        ws.set_name(name)?;
        let mut width: Vec<usize> = table.headers.iter().map(|h| h.chars().count()).collect();
        for (c, h) in table.headers.iter().enumerate() {
            ws.write_string_with_format(0, col(c)?, h, &header)?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
            for (c, text) in row.iter().enumerate() {
                if let Some(w) = width.get_mut(c) {
                    *w = (*w).max(text.chars().count());
                }
                let c = col(c)?;
                match classify(text) {
                    Cell::Number(x) => {
                        ws.write_number(r, c, x)?;
                    }
                    Cell::Percent(x, d) => {
                        ws.write_number_with_format(r, c, x, &percent[d.min(6)])?;
                    }
                    Cell::Text("") => {}
                    Cell::Text(s) => {
                        ws.write_string(r, c, s)?;
                    }
                }
            }
        }
        ws.set_freeze_panes(1, 0)?;
        for (c, w) in width.iter().enumerate() {
            // A little room for the bold header and the autofilter-less padding.
            ws.set_column_width(col(c)?, (*w).clamp(4, MAX_WIDTH) as f64 + 2.0)?;
        }
    }
    book.save_to_buffer()
}

fn col(c: usize) -> Result<u16, XlsxError> {
    u16::try_from(c).map_err(|_| XlsxError::RowColumnLimitError)
}

/// Reads the raw CSV jenga writes for a table ([`Table::to_csv_raw`]) back into a
/// table: the first record is the headers. Lossless: raw CSV alters no cell.
///
/// # Errors
/// [`WorkbookError::Csv`], the csv crate's error, should the text not be CSV.
pub fn table_from_raw_csv(text: &str) -> Result<Table, WorkbookError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let headers: Vec<String> = match records.next() {
        Some(r) => r?.iter().map(str::to_owned).collect(),
        None => Vec::new(),
    };
    let mut t = Table::new(headers);
    for r in records {
        let r = r?;
        t.push(r.iter().map(str::to_owned));
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_percentages_are_recognised_strictly() {
        assert_eq!(classify("12"), Cell::Number(12.0));
        assert_eq!(classify("-3.50"), Cell::Number(-3.5));
        assert_eq!(classify("0.25"), Cell::Number(0.25));
        assert_eq!(classify("37 %"), Cell::Percent(0.37, 0));
        assert_eq!(classify("12.5%"), Cell::Percent(0.125, 1));
        for text in [
            "007", "+1", "1e5", "inf", "NaN", "1.", ".5", "-", "12 % x", "1,5", "",
        ] {
            assert_eq!(classify(text), Cell::Text(text), "{text}");
        }
        assert_eq!(classify("1234567890123456"), Cell::Text("1234567890123456"));
    }

    #[test]
    fn sheet_names_are_valid_short_and_unique() {
        let names = sheet_names(&[
            "chokepoints",
            "Chokepoints",
            "scenario us-export-controls-and-more-words",
            "scenario us-export-controls-and-more-words",
            "a/b:c?",
            "",
            "History",
        ]);
        assert_eq!(names[0], "chokepoints");
        assert_eq!(names[1], "Chokepoints (2)");
        assert_eq!(names[2], "scenario us-export-controls-and");
        assert_eq!(names[3], "scenario us-export-controls (2)");
        assert_eq!(names[4], "a-b-c-");
        assert_eq!(names[5], "sheet 6");
        assert_eq!(names[6], "sheet 7");
        assert!(names.iter().all(|n| n.chars().count() <= MAX_SHEET_NAME));
    }

    #[test]
    fn raw_csv_reads_back_unaltered() {
        let mut t = Table::new(["a", "b"]);
        t.push(["-SEA-LION, \"x\"", " lead"]);
        t.push(["=1+1", "line\r\nbreak"]);
        assert_eq!(table_from_raw_csv(&t.to_csv_raw()).unwrap(), t);
    }

    #[test]
    fn the_same_tables_give_the_same_bytes() {
        let mut t = Table::new(["id", "share"]);
        t.push(["x", "12 %"]);
        let a = workbook(&[("t".to_owned(), &t)]).unwrap();
        assert!(a.starts_with(b"PK"));
        assert_eq!(a, workbook(&[("t".to_owned(), &t)]).unwrap());
    }
}
