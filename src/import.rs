//! Importers of public datasets into stack files: each a pure function from the
//! files' bytes to YAML text that `jenga check` accepts, with located errors
//! (`file:line:column` of the CSV row and column) and a summary of what was skipped.
//!
//! - [`eto`]: the ETO Advanced Semiconductor Supply Chain dataset (CC BY-NC 4.0);
//! - [`epoch`]: Epoch AI's GPU clusters and ML hardware;
//! - [`top500`]: a TOP500 list.
//!
//! The Open-PSA importer is [`crate::openpsa`] (re-exported here as [`openpsa`]).
//! Country names and ISO 3166-1 alpha-3 codes are mapped by [`countries`], which
//! reports every name it could not map. Nothing here reads or writes files: the
//! commands in `run::import` do, through `fsutil::Writer::write_dir`.

pub mod countries;
pub mod epoch;
pub mod eto;
pub mod top500;
pub mod vendors;

pub use crate::openpsa;

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// What `jenga import` reads (its first argument; clap reads the variants' doc
/// comments as their help).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Open-PSA Model Exchange Format (fault trees).
    OpenPsa,
    /// The ETO Advanced Semiconductor Supply Chain dataset (a directory).
    Eto,
    /// Epoch AI's `gpu_clusters.csv` and `ml_hardware.csv`.
    Epoch,
    /// A TOP500 list as CSV.
    Top500,
}

/// One input file: its name as the user gave it (for error messages) and bytes.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The path as given on the command line.
    pub name: &'a str,
    /// Its contents.
    pub bytes: &'a [u8],
}

/// One output file: a name relative to the output directory, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutFile {
    /// Relative, `/`-separated, made of `[A-Za-z0-9._-]`.
    pub name: String,
    /// The contents.
    pub text: String,
}

/// What an import produced.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    /// The stack files and notices, in writing order.
    pub files: Vec<OutFile>,
    /// What was imported, skipped and left unmapped.
    pub summary: Summary,
}

/// What an import read, what it skipped and why, and the names it could not map.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Counts of what was written ("organizations" → 380).
    pub counts: BTreeMap<String, usize>,
    /// Rows left out, each with its place and reason.
    pub skipped: Vec<Skipped>,
    /// Country names (or codes), and vendor names, that no table maps, with how many
    /// rows gave them.
    pub unmapped: BTreeMap<String, usize>,
}

/// A row left out of the import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// `file:line`.
    pub place: String,
    /// Why.
    pub reason: String,
}

impl Summary {
    /// Adds `n` to the count of `what`.
    pub fn count(&mut self, what: &str, n: usize) {
        *self.counts.entry(what.to_owned()).or_default() += n;
    }

    /// The summary as text: counts, then skipped rows grouped by reason (every
    /// place listed), then the unmapped names.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let counts: Vec<String> = self
            .counts
            .iter()
            .map(|(k, v)| format!("{v} {k}"))
            .collect();
        let _ = writeln!(out, "imported {}", counts.join(", "));
        let mut by_reason: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for s in &self.skipped {
            by_reason.entry(&s.reason).or_default().push(&s.place);
        }
        for (reason, places) in by_reason {
            let _ = writeln!(out, "skipped {} row(s): {reason}", places.len());
            for p in places {
                let _ = writeln!(out, "  {p}");
            }
        }
        if !self.unmapped.is_empty() {
            let _ = writeln!(
                out,
                "names not mapped (countries: rows skipped; vendors and owners: jurisdiction ZZ), with their rows:"
            );
            for (name, n) in &self.unmapped {
                let _ = writeln!(out, "  {name:?}: {n}");
            }
        }
        out
    }
}

/// A located import error: `file:line:column: message` and what would fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError(pub String);

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A CSV file read whole: its header and records, each with where it starts.
pub struct Table<'a> {
    name: &'a str,
    bytes: &'a [u8],
    headers: Vec<String>,
    rows: Vec<(csv::StringRecord, u64, u64)>,
}

/// One record of a [`Table`], with access to its fields by column name.
pub struct Row<'t, 'a> {
    table: &'t Table<'a>,
    record: &'t csv::StringRecord,
    line: u64,
    byte: u64,
}

impl<'a> Table<'a> {
    /// Parses `input` as CSV with a header row (RFC 4180 quoting, a BOM skipped).
    ///
    /// # Errors
    /// Invalid UTF-8, a row whose field count differs from the header's, a quoting
    /// error: each located.
    ///
    /// # Complexity
    /// O(n) in the file's bytes.
    pub fn parse(input: Input<'a>) -> Result<Table<'a>, ImportError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(input.bytes);
        let headers = reader
            .headers()
            .map_err(|e| csv_error(input.name, &e))?
            .iter()
            .map(str::to_owned)
            .collect();
        let mut rows = Vec::new();
        for r in reader.records() {
            let r = r.map_err(|e| csv_error(input.name, &e))?;
            let (line, byte) = r.position().map_or((0, 0), |p| (p.line(), p.byte()));
            rows.push((r, line, byte));
        }
        Ok(Table {
            name: input.name,
            bytes: input.bytes,
            headers,
            rows,
        })
    }

    /// The file name.
    pub fn name(&self) -> &str {
        self.name
    }

    /// The index of column `name`.
    ///
    /// # Errors
    /// The header lacks it: located at the header line.
    pub fn column(&self, name: &str) -> Result<usize, ImportError> {
        self.headers.iter().position(|h| h == name).ok_or_else(|| {
            ImportError(format!(
                "{}:1:1: the header has no column `{name}` (it has: {}); give the file as the dataset publishes it",
                self.name,
                self.headers.join(", ")
            ))
        })
    }

    /// The records, in file order.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_, 'a>> {
        self.rows.iter().map(|(record, line, byte)| Row {
            table: self,
            record,
            line: *line,
            byte: *byte,
        })
    }
}

impl Row<'_, '_> {
    /// Field `col`, trimmed.
    pub fn get(&self, col: usize) -> &str {
        self.record.get(col).map_or("", str::trim)
    }

    /// The 1-based line where the record starts.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// `file:line` of the record.
    pub fn place(&self) -> String {
        format!("{}:{}", self.table.name, self.line)
    }

    /// `file:line:column` of field `col` (a quoted field spanning lines is located
    /// where it starts).
    pub fn at(&self, col: usize) -> String {
        let (line, column) = field_start(self.table.bytes, self.byte, self.line, col);
        format!("{}:{line}:{column}", self.table.name)
    }

    /// A located error about field `col`: `what` is wrong, `fix` would mend it.
    pub fn error(&self, col: usize, what: &str, fix: &str) -> ImportError {
        ImportError(format!(
            "{}: {what} (column `{}`); {fix}",
            self.at(col),
            self.table.headers.get(col).map_or("", String::as_str)
        ))
    }

    /// Field `col` as a number, `None` when empty.
    ///
    /// # Errors
    /// Not a finite number: located.
    pub fn number(&self, col: usize) -> Result<Option<f64>, ImportError> {
        let v = self.get(col).replace(',', "");
        if v.is_empty() {
            return Ok(None);
        }
        match v.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(Some(x)),
            _ => Err(self.error(
                col,
                &format!("`{}` is not a number", self.get(col)),
                "write a decimal number such as 12.5, or leave the cell empty when unknown",
            )),
        }
    }
}

/// Where field `col` of the record starting at `byte` (on `line`) begins: scans
/// the raw bytes, counting separators outside quotes.
///
/// # Complexity
/// O(length of the record).
fn field_start(bytes: &[u8], byte: u64, line: u64, col: usize) -> (u64, u64) {
    let start = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
    let (mut line, mut column) = (line.max(1), 1u64);
    let mut field = 0usize;
    let mut quoted = false;
    let rest = bytes.get(start..).unwrap_or_default();
    for &b in rest {
        if field == col {
            break;
        }
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => {
                field += 1;
            }
            b'\n' if !quoted => break,
            b'\n' => {
                line += 1;
                column = 0;
            }
            _ => {}
        }
        // Columns count characters: continuation bytes of UTF-8 do not advance.
        if b & 0xC0 != 0x80 {
            column += 1;
        }
    }
    (line, column)
}

/// A csv error, located.
fn csv_error(name: &str, e: &csv::Error) -> ImportError {
    let pos = e.position();
    let (line, byte) = pos.map_or((0, 0), |p| (p.line(), p.byte()));
    ImportError(match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "{name}:{line}:1: this row has {len} fields, the header has {expected_len}; quote fields that contain commas (\"a, b\") or add the missing cells"
        ),
        csv::ErrorKind::Utf8 { err, .. } => format!(
            "{name}:{line}:1: field {} is not valid UTF-8; save the file as UTF-8",
            err.field() + 1
        ),
        _ => format!("{name}:{line}:1: cannot read the CSV (byte {byte}): {e}"),
    })
}

/// `s` as a YAML double-quoted scalar: `"` and `\\` escaped, and every character
/// YAML does not allow raw (controls, C1 controls, U+FEFF, U+FFFE, U+FFFF) or could
/// read as a line break (U+2028, U+2029) written as `\\uXXXX`.
pub fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control()
                || matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}'
                ) =>
            {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A number as YAML writes it: integers without a fraction, others as Rust's
/// shortest round-trip form.
pub fn num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

/// An id fragment from free text: lower case, runs of other characters as `-`.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-');
    let mut out: String = out.chars().take(80).collect();
    if out.is_empty() {
        out.push('x');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_located_past_quoted_commas_and_lines() {
        let text = b"a,b,c\n1,\"x, \"\"y\"\"\",3\n\"multi\nline\",q,z\n";
        let t = Table::parse(Input {
            name: "f.csv",
            bytes: text,
        })
        .unwrap();
        let rows: Vec<_> = t.rows().collect();
        assert_eq!(rows[0].at(2), "f.csv:2:14");
        assert_eq!(rows[0].get(1), "x, \"y\"");
        assert_eq!(rows[1].at(0), "f.csv:3:1");
        assert_eq!(rows[1].at(1), "f.csv:4:7");
    }

    #[test]
    fn a_short_row_is_a_located_error() {
        let e = Table::parse(Input {
            name: "f.csv",
            bytes: b"a,b\n1,2\n3\n",
        })
        .err()
        .unwrap();
        assert_eq!(
            e.0,
            "f.csv:3:1: this row has 1 fields, the header has 2; quote fields that contain commas (\"a, b\") or add the missing cells"
        );
    }

    #[test]
    fn quoting_escapes_what_yaml_cannot_hold_raw() {
        assert_eq!(
            q("a\"b\\c\nd\u{85}e\u{2028}"),
            "\"a\\\"b\\\\c\\nd\\u0085e\\u2028\""
        );
    }

    #[test]
    fn slugs_are_ids() {
        assert_eq!(slug("NVIDIA H100 SXM5 80GB"), "nvidia-h100-sxm5-80gb");
        assert_eq!(slug("  --  "), "x");
    }
}
