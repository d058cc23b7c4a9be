//! The plain settings that every command reads, resolved once from the command line
//! by [`crate::cli::Cli::into_config`]. No module below `cli` imports it: the library
//! modules (progress bars, loading, output) take this instead.

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use crate::error::Error;
use crate::load::Limits;
use crate::output::Format;
use crate::render::FigureFormat;

/// Settings that apply to every command.
#[derive(Debug, Clone)]
pub struct Config {
    /// The (first) stacks directory.
    pub stacks: PathBuf,
    /// Further stacks directories (`--stacks` given more than once), loaded with the
    /// first as one world by [`crate::roots`].
    pub more_stacks: Vec<PathBuf>,
    /// Colour diagnostics.
    pub color: bool,
    /// No progress or summaries.
    pub quiet: bool,
    /// Input budgets.
    pub limits: Limits,
    /// Build the world without the `inferred` dependencies.
    pub exclude_inferred: bool,
    /// Where a table command writes its result (`-o FILE`); standard output when
    /// `None`. Set from the command's `--format`/`-o` by `cli::TableOut::resolve`.
    pub table_output: Option<TableOutput>,
}

/// The file a table command writes (`-o FILE`), and what it is called inside a
/// workbook.
#[derive(Debug, Clone)]
pub struct TableOutput {
    /// The file.
    pub path: PathBuf,
    /// The worksheet's name when the format is `xlsx` (the command's name).
    pub sheet: String,
    /// Directories the file must not be written into (`diff`'s inputs).
    pub protect: Vec<PathBuf>,
}

/// The format of an output: `explicit` (`--format`) if given, else the one the
/// extension of `output` names in `extensions`, else `default`. `what` (`table`,
/// `figure`) and `listed` (the extensions as the message lists them) word the errors.
///
/// # Errors
/// A usage error when the extension names no format of `extensions`, or another
/// format than `explicit` (`--format dot -o x.svg`).
pub fn format_from<F: ValueEnum + Copy + PartialEq>(
    explicit: Option<F>,
    output: Option<&Path>,
    (what, listed): (&str, &str),
    extensions: &[(&str, F)],
    default: F,
) -> Result<F, Error> {
    let shown = || output.map_or_else(String::new, |p| p.display().to_string());
    let name = |f: F| {
        f.to_possible_value()
            .map(|v| v.get_name().to_owned())
            .unwrap_or_default()
    };
    let by_extension = match output.and_then(|p| p.extension()) {
        None => None,
        Some(e) => {
            let e = e.to_string_lossy().to_ascii_lowercase();
            let found = extensions.iter().find(|(x, _)| *x == e).map(|&(_, f)| f);
            if found.is_none() {
                return Err(Error::Usage(format!(
                    "`{}`: `.{e}` is not a {what} format; name the file {listed}",
                    shown()
                )));
            }
            found
        }
    };
    match (explicit, by_extension) {
        (Some(f), Some(g)) if f != g => Err(Error::Usage(format!(
            "`--format {}` contradicts the extension of `{}`, which names {}; make them agree",
            name(f),
            shown(),
            name(g)
        ))),
        (Some(f), _) | (None, Some(f)) => Ok(f),
        (None, None) => Ok(default),
    }
}

/// The format of a table command: `explicit` (`--format`) if given, else the
/// extension of `output` (`.txt`, `.json`, `.csv`, `.md`, `.xlsx`), else the text
/// table ([`format_from`]).
///
/// # Errors
/// A usage error when the extension names no table format, contradicts `explicit`,
/// or when `xlsx` has no `-o FILE` (a workbook is binary: it never goes to standard
/// output).
pub fn table_format(explicit: Option<Format>, output: Option<&Path>) -> Result<Format, Error> {
    let format = format_from(
        explicit,
        output,
        ("table", ".txt, .json, .csv, .md or .xlsx"),
        &[
            ("txt", Format::Table),
            ("json", Format::Json),
            ("csv", Format::Csv),
            ("md", Format::Markdown),
            ("markdown", Format::Markdown),
            ("xlsx", Format::Xlsx),
        ],
        Format::Table,
    )?;
    if format == Format::Xlsx && output.is_none() {
        return Err(Error::Usage(
            "`--format xlsx` writes a binary workbook, which is not for a terminal or a pipe; \
             add `-o FILE.xlsx`"
                .to_owned(),
        ));
    }
    Ok(format)
}

/// The format a figure is written in: `explicit` (`--format`) if given, else the
/// extension of `output`, else SVG ([`format_from`]).
///
/// # Errors
/// A usage error when the extension names no figure format (`.docx`), or another
/// format than `explicit` (`--format dot -o x.svg`).
pub fn figure_format(
    explicit: Option<FigureFormat>,
    output: Option<&Path>,
) -> Result<FigureFormat, Error> {
    format_from(
        explicit,
        output,
        ("figure", ".svg, .png, .pdf or .dot"),
        &[
            ("svg", FigureFormat::Svg),
            ("png", FigureFormat::Png),
            ("pdf", FigureFormat::Pdf),
            ("dot", FigureFormat::Dot),
            ("gv", FigureFormat::Dot),
        ],
        FigureFormat::Svg,
    )
}
