//! Finding the YAML files of a stacks directory: recursively, hidden entries skipped,
//! symbolic links followed (a loop or a second link to a directory already walked is
//! skipped), sorted by path, within the file-count budget.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::read::io_reason;
use super::{Limits, LoadError};

/// Finds the YAML files under `dir`, recursively, sorted by path.
///
/// Symbolic links are followed (`walkdir`); a link that leads back to a directory
/// already walked is skipped, so a symlink loop cannot make the walk endless.
pub fn find_files(dir: &Path, limits: &Limits) -> Result<Vec<PathBuf>, LoadError> {
    let meta = fs::metadata(dir).map_err(|e| {
        LoadError(format!(
            "cannot read the stacks directory `{}`: {}; pass `--stacks DIR` with the directory that holds the YAML files",
            dir.display(),
            io_reason(&e)
        ))
    })?;
    if !meta.is_dir() {
        return Err(LoadError(format!(
            "`{}` is not a directory; pass `--stacks DIR` with the directory that holds the YAML files",
            dir.display()
        )));
    }
    let cannot_read = |path: &Path, e: &std::io::Error| {
        LoadError(format!(
            "cannot read `{}`: {}",
            path.display(),
            io_reason(e)
        ))
    };
    let mut seen = HashSet::new();
    let mut failed: Option<LoadError> = None;
    let mut out = Vec::new();
    let entries = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() > 0 && e.file_name().to_str().is_some_and(|n| n.starts_with('.')) {
                return false;
            }
            if !e.file_type().is_dir() {
                return true;
            }
            // A directory already walked (a symlink loop, or a second link to it).
            match fs::canonicalize(e.path()) {
                Ok(canonical) => seen.insert(canonical),
                Err(err) => {
                    failed.get_or_insert(cannot_read(e.path(), &err));
                    false
                }
            }
        });
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            // A directory that cannot be listed is an error; a dangling or looping
            // symlink holds no data and is skipped.
            Err(err) => match (err.path(), err.io_error()) {
                (Some(path), Some(io)) if fs::metadata(path).is_ok_and(|m| m.is_dir()) => {
                    return Err(cannot_read(path, io));
                }
                _ => continue,
            },
        };
        let path = entry.path();
        if entry.file_type().is_file()
            && matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml")
            )
        {
            out.push(path.to_owned());
            if out.len() > limits.max_files {
                return Err(LoadError(format!(
                    "more than {} YAML files under `{}`; is `--stacks` pointing at the right directory?",
                    limits.max_files,
                    dir.display()
                )));
            }
        }
    }
    if let Some(e) = failed {
        return Err(e);
    }
    out.sort();
    Ok(out)
}
