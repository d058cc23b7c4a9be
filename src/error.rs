//! Why a command failed: one error type for the whole program, one [`Display`] (the
//! message) and one function, [`Error::exit_code`], that decides the exit code.
//!
//! The library modules return their own typed errors (a [`WriteError`], a
//! [`JsonError`], ...); each converts into a variant here with `?`, and `main` prints
//! [`Error::render`] and exits with [`Error::exit_code`]. Modeled on just's
//! `src/error.rs`.
//!
//! [`Display`]: std::fmt::Display

use crate::diag::Diagnostics;
use crate::fsutil::WriteError;
use crate::output::JsonError;

/// Why a command failed; the variant decides the exit code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line is wrong or asks for something unavailable (exit 2).
    #[error("{0}")]
    Usage(String),
    /// The data has errors; the diagnostics say where (exit 1).
    #[error("{}", .0.render(false))]
    Data(Diagnostics),
    /// An analysis or IO failure that is not a usage error (exit 1).
    #[error("{0}")]
    Failed(String),
    /// An output could not be written (exit 1).
    #[error(transparent)]
    Write(#[from] WriteError),
    /// A result could not be serialized (exit 1; not expected for jenga's types).
    #[error(transparent)]
    Json(#[from] JsonError),
    /// An input file that cannot be read or is over the size limit (exit 1).
    #[error(transparent)]
    Read(#[from] crate::load::ReadError),
    /// A target that names nothing in the data (exit 2).
    #[error(transparent)]
    UnknownTarget(#[from] crate::export::UnknownTarget),
    /// A `generate` spec that cannot be generated (exit 2: a flag to change).
    #[error(transparent)]
    Spec(#[from] crate::synth::SpecError),
    /// A dependency cycle too large to unroll exactly (exit 1).
    #[error(transparent)]
    Cycle(#[from] crate::analysis::cutsets::tree::CycleTooLarge),
    /// A matrix figure whose cells do not fit its rows and columns (exit 1; not
    /// expected: jenga builds them).
    #[error(transparent)]
    Shape(#[from] crate::render::matrix::ShapeError),
    /// An Open-PSA file that cannot be imported (exit 1; the message has the place).
    #[error(transparent)]
    OpenPsa(#[from] crate::openpsa::OpenPsaError),
    /// A table that cannot be written as a workbook (exit 1).
    #[error(transparent)]
    Workbook(#[from] crate::xlsx::WorkbookError),
    /// A figure that cannot be converted to PNG or PDF (exit 1).
    #[error(transparent)]
    Convert(#[from] crate::render::convert::ConvertError),
    /// Standard output was closed by its reader (`jenga ... | head`): not a failure,
    /// so nothing is printed and the exit code is 0 (see [`print_stdout`]).
    #[error("standard output was closed")]
    ClosedPipe,
}

impl Error {
    /// The process exit code for this error: the one place that decides it.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::ClosedPipe => 0,
            Error::Usage(_) | Error::UnknownTarget(_) | Error::Spec(_) => 2,
            Error::Data(_)
            | Error::Failed(_)
            | Error::Write(_)
            | Error::Read(_)
            | Error::Json(_)
            | Error::Cycle(_)
            | Error::Shape(_)
            | Error::OpenPsa(_)
            | Error::Workbook(_)
            | Error::Convert(_) => 1,
        }
    }

    /// The text to print on standard error: `error: MESSAGE` (the diagnostics for
    /// [`Error::Data`], nothing for [`Error::ClosedPipe`]).
    pub fn render(&self, color: bool) -> String {
        match self {
            Error::Data(d) => d.render(color),
            Error::ClosedPipe => String::new(),
            other => {
                let s = if color {
                    anstyle::AnsiColor::Red.on_default().bold()
                } else {
                    anstyle::Style::new()
                };
                // Messages quote user input (paths, ids, codes): no control character
                // or bidi override reaches the terminal.
                let m: Vec<String> = other
                    .to_string()
                    .split('\n')
                    .map(crate::diag::sanitize_clipped)
                    .collect();
                format!("{s}error{s:#}: {}\n", m.join("\n"))
            }
        }
    }
}

/// Writes `text` to standard output and flushes it: the one place every command prints
/// its result.
///
/// A write error (`> /dev/full`, a full disk, an I/O error) is [`Error::Failed`] (exit
/// 1 with a message), so output is never lost without notice; a closed pipe (`| head`)
/// is [`Error::ClosedPipe`], which `main` turns into a quiet, successful exit.
pub fn print_stdout(text: impl AsRef<[u8]>) -> Result<(), Error> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_ref()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(Error::ClosedPipe),
        Err(e) => Err(Error::Failed(format!(
            "cannot write to standard output: {e}"
        ))),
    }
}
