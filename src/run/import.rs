//! `jenga import eto|epoch|top500 ... -o DIR`: file IO around [`crate::import`].
//! Reads the inputs (within the file-size budget), runs the pure importer, and only
//! when it succeeded writes the directory through `fsutil::Writer::write_dir`
//! (built aside and swapped in: nothing is written on error).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::Error;
use crate::config::Config;
use crate::fsutil::Writer;
use crate::import::Format;
use crate::import::{self, Imported, Input};

/// Reads `path` whole, within the file-size budget.
fn read(config: &Config, path: &Path) -> Result<Vec<u8>, Error> {
    let meta = std::fs::metadata(path)
        .map_err(|e| Error::Failed(format!("cannot read `{}`: {e}", path.display())))?;
    if meta.is_dir() {
        return Err(Error::Failed(format!(
            "`{}` is a directory; give the CSV file",
            path.display()
        )));
    }
    if meta.len() > config.limits.max_file_bytes {
        return Err(Error::Failed(format!(
            "`{}` is {} bytes, over the limit of {} (--max-file-size)",
            path.display(),
            meta.len(),
            config.limits.max_file_bytes
        )));
    }
    std::fs::read(path).map_err(|e| Error::Failed(format!("cannot read `{}`: {e}", path.display())))
}

/// Runs an import of a dataset.
///
/// # Errors
/// Usage errors (no `-o`, wrong number of inputs), unreadable files, every import
/// error (located), and write errors.
pub fn run(
    config: &Config,
    from: Format,
    files: &[PathBuf],
    output: Option<&Path>,
) -> Result<(), Error> {
    let Some(output) = output else {
        return Err(Error::Usage(
            "`jenga import` of a dataset needs `-o DIR`, the directory to write the stack files into".into(),
        ));
    };
    let imported = match from {
        Format::Eto => eto(config, files)?,
        Format::Epoch => {
            let texts = files
                .iter()
                .map(|f| Ok((f.display().to_string(), read(config, f)?)))
                .collect::<Result<Vec<_>, Error>>()?;
            let inputs: Vec<Input<'_>> = texts
                .iter()
                .map(|(n, b)| Input { name: n, bytes: b })
                .collect();
            import::epoch::import(&inputs).map_err(|e| Error::Failed(e.0))?
        }
        Format::Top500 => {
            let [file] = files else {
                return Err(Error::Usage(
                    "`jenga import top500` reads one file: the list as CSV".into(),
                ));
            };
            let name = file.display().to_string();
            let bytes = read(config, file)?;
            import::top500::import(Input {
                name: &name,
                bytes: &bytes,
            })
            .map_err(|e| Error::Failed(e.0))?
        }
        Format::OpenPsa => {
            return Err(Error::Usage(
                "open-psa is imported by `jenga import open-psa`".into(),
            ));
        }
    };
    let writer = files
        .iter()
        .fold(Writer::new(&config.stacks), |w, f| w.protect(f));
    writer.write_dir(output, |staging| {
        imported
            .files
            .iter()
            .try_for_each(|f| staging.write(&f.name, f.text.as_bytes()))
    })?;
    if !config.quiet {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "{}", imported.summary.render());
        let _ = writeln!(
            err,
            "wrote {} files into `{}`",
            imported.files.len(),
            output.display()
        );
    }
    Ok(())
}

/// Reads the ETO dataset's directory and imports it.
fn eto(config: &Config, files: &[PathBuf]) -> Result<Imported, Error> {
    let [dir] = files else {
        return Err(Error::Usage(
            "`jenga import eto` reads one directory: the dataset's `data/` folder".into(),
        ));
    };
    if !dir.is_dir() {
        return Err(Error::Failed(format!(
            "`{}` is not a directory; give the folder that holds inputs.csv, providers.csv, provision.csv, sequence.csv and stages.csv",
            dir.display()
        )));
    }
    let mut texts = Vec::new();
    for name in import::eto::FILE_NAMES {
        let p = dir.join(name);
        texts.push((p.display().to_string(), read(config, &p)?));
    }
    let license = std::fs::read_to_string(dir.join("LICENSE.md")).ok();
    let at = |k: usize| Input {
        name: &texts[k].0,
        bytes: &texts[k].1,
    };
    import::eto::import(&import::eto::Files {
        inputs: at(0),
        stages: at(1),
        providers: at(2),
        provision: at(3),
        sequence: at(4),
        license: license.as_deref(),
    })
    .map_err(|e| Error::Failed(e.0))
}
