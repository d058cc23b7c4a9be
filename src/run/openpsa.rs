//! `jenga import open-psa`: file IO around [`crate::openpsa`].

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::Error;
use crate::config::Config;
use crate::fsutil::Writer;
use crate::openpsa::{Input, import};

/// Prints `text`, or writes it atomically to `output` through `writer` (which refuses
/// the inputs).
fn emit(writer: &Writer, output: Option<&Path>, text: &str) -> Result<(), Error> {
    match output {
        Some(p) => Ok(writer.write_file(p, text.as_bytes())?),
        None => super::print_stdout(text),
    }
}

/// Runs `jenga import open-psa FILE... [-o FILE]`.
///
/// # Errors
/// Unreadable files, and every import error (with file:line:column).
pub fn import_open_psa(
    config: &Config,
    files: &[PathBuf],
    output: Option<&Path>,
) -> Result<(), Error> {
    let mut texts = Vec::with_capacity(files.len());
    for f in files {
        // Bounded by the read itself, not by the reported length: a FIFO or
        // `/dev/zero` says 0 bytes and never ends.
        let bytes = crate::load::read_limited(f, config.limits.max_file_bytes)?;
        let text = String::from_utf8(bytes).map_err(|e| {
            Error::Failed(format!(
                "cannot read `{}`: it is not UTF-8 text (invalid byte at offset {})",
                f.display(),
                e.utf8_error().valid_up_to()
            ))
        })?;
        texts.push((f.display().to_string(), text));
    }
    let inputs: Vec<Input<'_>> = texts
        .iter()
        .map(|(p, t)| Input {
            path: p.clone(),
            text: t,
        })
        .collect();
    let imported = import(&inputs)?;
    // The import reads Open-PSA files, not stacks/: writing a model into a stacks
    // directory is its purpose. Only the files it reads are protected.
    let writer = files.iter().fold(Writer::default(), |w, f| w.protect(f));
    emit(&writer, output, &imported.yaml)?;
    if !config.quiet {
        let _ = writeln!(
            std::io::stderr().lock(),
            "imported {} gates and {} basic events; top events: {}",
            imported.gates,
            imported.basic_events,
            imported.tops.join(", ")
        );
    }
    Ok(())
}
