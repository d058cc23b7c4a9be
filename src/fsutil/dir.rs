//! One output directory built as a hidden sibling and swapped into place; only an
//! empty or marked directory is ever replaced, and staged names are checked.

use std::fs::{self, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Component, Path, PathBuf};

use super::{MARKER, WriteError, not_writable, parent_dir, sync_dir, temp_sibling, write_error};

/// Refuses to replace `dir` unless it is absent, an empty directory, or marked as
/// jenga's output.
pub(super) fn check_replaceable(dir: &Path) -> Result<(), WriteError> {
    match fs::symlink_metadata(dir) {
        Err(_) => Ok(()),
        Ok(m) if m.is_dir() => {
            let empty = fs::read_dir(dir)
                .map_err(|e| not_writable(dir, &e))?
                .next()
                .is_none();
            // A directory holding only `.gitkeep` is an empty one kept in git.
            let only_gitkeep = fs::read_dir(dir)
                .is_ok_and(|mut it| it.all(|e| e.is_ok_and(|e| e.file_name() == ".gitkeep")));
            if empty || only_gitkeep || dir.join(MARKER).is_file() {
                Ok(())
            } else {
                Err(WriteError::Foreign {
                    dir: dir.to_owned(),
                })
            }
        }
        Ok(m) if m.file_type().is_symlink() => Err(WriteError::Symlink {
            dir: dir.to_owned(),
        }),
        Ok(_) => Err(WriteError::FileExists {
            dir: dir.to_owned(),
        }),
    }
}

/// The directory being built by [`write_dir_atomically`].
#[derive(Debug)]
pub struct Staging {
    root: PathBuf,
}

impl Staging {
    /// Writes `bytes` to `rel` inside the directory being built, creating
    /// subdirectories. `rel` must be relative, `/`-separated, and each component made
    /// of `[A-Za-z0-9._-]`, not starting with `.` (so never `..`).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), WriteError> {
        let path = self.path_of(rel)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| WriteError::Create {
                path: PathBuf::from(rel),
                reason: e.to_string(),
            })?;
        }
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| {
                if e.kind() == io::ErrorKind::AlreadyExists {
                    WriteError::Duplicate {
                        name: rel.to_owned(),
                    }
                } else {
                    write_error(Path::new(rel), &e)
                }
            })?;
        f.write_all(bytes)
            .and_then(|()| f.sync_all())
            .map_err(|e| write_error(Path::new(rel), &e))
    }

    /// The path `rel` will have in the staging directory, after checking its name.
    fn path_of(&self, rel: &str) -> Result<PathBuf, WriteError> {
        let ok = !rel.is_empty()
            && rel.split('/').all(|c| {
                !c.is_empty()
                    && !c.starts_with('.')
                    && c.len() <= 200
                    && c.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
            });
        if !ok
            || Path::new(rel)
                .components()
                .any(|c| !matches!(c, Component::Normal(_)))
        {
            return Err(WriteError::BadName {
                name: crate::diag::sanitize(rel),
            });
        }
        Ok(self.root.join(rel))
    }
}

/// Builds a directory with `fill` in a hidden sibling of `dir`, then swaps it into
/// place. The marker [`MARKER`] is written first; an existing `dir` is replaced only
/// when it is empty or carries the marker.
///
/// Does not check protected directories: use [`Writer::write_dir`] for outputs.
///
/// # Complexity
/// O(total bytes written) plus one `fsync` per file and three renames.
pub fn write_dir_atomically<E: From<WriteError>>(
    dir: &Path,
    fill: impl FnOnce(&Staging) -> Result<(), E>,
) -> Result<(), E> {
    let parent = parent_dir(dir)?;
    if dir.file_name().is_none() {
        return Err(WriteError::NoDirName {
            dir: dir.to_owned(),
        }
        .into());
    }
    check_replaceable(dir)?;
    let tmp = temp_sibling(&parent, dir, "tmp");
    fs::create_dir(&tmp).map_err(|e| not_writable(&parent, &e))?;
    remove_stale(&parent, dir, &tmp);
    let staging = Staging { root: tmp.clone() };
    let built = fs::write(
        tmp.join(MARKER),
        b"written by jenga; this directory is replaced whole on each run\n",
    )
    .map_err(|e| E::from(not_writable(&parent, &e)))
    .and_then(|()| fill(&staging));
    if let Err(e) = built {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }
    sync_dir(&tmp);
    let swapped = swap_in(&tmp, dir, &parent);
    if swapped.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    swapped.map_err(E::from)
}

/// Removes what a killed run (`kill -9` during `report`) left beside `dir`: the
/// directories `.NAME.jenga-tmp-PID-N` and `.NAME.jenga-old-PID-N` of this target
/// whose process PID no longer runs, that belong to the same user as `ours` (the
/// staging directory just made) and carry the [`MARKER`] jenga writes first. Anything
/// else (a live concurrent run's directory, someone else's, an unmarked one) is left
/// alone. Best effort: a failure to remove is not an error.
///
/// # Complexity
/// O(entries of the parent directory) plus the size of what is removed.
fn remove_stale(parent: &Path, dir: &Path, ours: &Path) {
    use std::os::unix::fs::MetadataExt as _;
    let (Some(name), Ok(me)) = (dir.file_name(), fs::metadata(ours)) else {
        return;
    };
    let name = name.to_string_lossy();
    // Without /proc, whether a process runs is unknown: remove nothing.
    let Ok(entries) = fs::read_dir(parent).and_then(|it| {
        Path::new("/proc/self")
            .exists()
            .then_some(it)
            .ok_or_else(|| io::Error::other("no /proc"))
    }) else {
        return;
    };
    for e in entries.filter_map(Result::ok) {
        let file = e.file_name();
        let file = file.to_string_lossy();
        let Some(rest) = file
            .strip_prefix('.')
            .and_then(|f| f.strip_prefix(name.as_ref()))
            .and_then(|f| {
                f.strip_prefix(".jenga-tmp-")
                    .or_else(|| f.strip_prefix(".jenga-old-"))
            })
        else {
            continue;
        };
        let mut parts = rest.splitn(2, '-');
        let (Some(pid), Some(n)) = (parts.next(), parts.next()) else {
            continue;
        };
        let (Ok(pid), true) = (pid.parse::<u32>(), n.bytes().all(|b| b.is_ascii_digit())) else {
            continue;
        };
        let path = e.path();
        let alive = pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists();
        let owned = fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir() && m.uid() == me.uid());
        if !alive && owned && path.join(MARKER).is_file() {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

/// Renames `new` to `dir`, moving an existing `dir` aside first and deleting it after.
fn swap_in(new: &Path, dir: &Path, parent: &Path) -> Result<(), WriteError> {
    let old = if fs::symlink_metadata(dir).is_ok() {
        let old = temp_sibling(parent, dir, "old");
        fs::rename(dir, &old).map_err(|e| not_writable(dir, &e))?;
        Some(old)
    } else {
        None
    };
    if let Err(e) = fs::rename(new, dir) {
        if let Some(old) = &old {
            let _ = fs::rename(old, dir);
        }
        return Err(WriteError::Swap {
            dir: dir.to_owned(),
            reason: e.to_string(),
        });
    }
    sync_dir(parent);
    if let Some(old) = old {
        let _ = fs::remove_dir_all(old);
    }
    Ok(())
}
