//! Finding the YAML files of a stacks directory: recursively, hidden entries skipped,
//! symbolic links followed (a loop or a second link to a directory already walked is
//! skipped), sorted by path, within the file-count budget.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use super::read::io_reason;
use super::{Limits, LoadError};

/// Finds the YAML files under `dir`, recursively, sorted by path.
///
/// Symbolic links are followed; a link that leads back to a directory already being
/// walked is skipped, so a symlink loop cannot make the walk endless.
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
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    walk(dir, &mut seen, &mut out, limits)?;
    out.sort();
    Ok(out)
}

fn walk(
    dir: &Path,
    seen: &mut HashSet<PathBuf>,
    out: &mut Vec<PathBuf>,
    limits: &Limits,
) -> Result<(), LoadError> {
    let canonical = fs::canonicalize(dir).map_err(|e| {
        LoadError(format!(
            "cannot read `{}`: {}",
            dir.display(),
            io_reason(&e)
        ))
    })?;
    if !seen.insert(canonical) {
        return Ok(()); // a symlink back into a directory already walked
    }
    let entries = fs::read_dir(dir).map_err(|e| {
        LoadError(format!(
            "cannot read `{}`: {}",
            dir.display(),
            io_reason(&e)
        ))
    })?;
    let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') {
            continue;
        }
        // Follow symlinks; skip dangling ones silently (they hold no data).
        let Ok(meta) = fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            walk(&path, seen, out, limits)?;
        } else if meta.is_file()
            && matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml")
            )
        {
            out.push(path);
            if out.len() > limits.max_files {
                return Err(LoadError(format!(
                    "more than {} YAML files under `{}`; is `--stacks` pointing at the right directory?",
                    limits.max_files,
                    dir.display()
                )));
            }
        }
    }
    Ok(())
}
