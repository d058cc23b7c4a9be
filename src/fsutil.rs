//! Writing output files safely: atomically, never inside the input tree, never over
//! something jenga did not write, with errors that say what to do.
//!
//! Every output of jenga goes through this module:
//!
//! - [`Writer::write_file`] (`render -o FILE`, single files): the bytes go to a new
//!   temporary file in the same directory (`O_CREAT|O_EXCL`, so an existing file or a
//!   planted symlink is never followed), are flushed to disk (`fsync`), and the file is
//!   renamed over the target; the directory is then synced. Readers see the old file or
//!   the new one, never a half-written one, and a failure leaves the old file in place.
//!   A target that is a character device or a FIFO (`-o /dev/null`, `-o /dev/stdout`,
//!   a named pipe) is written directly instead and never replaced; a block device or a
//!   socket is refused.
//! - [`Writer::write_dir`] (`report -o DIR`): the whole directory is built as a hidden
//!   sibling (`.DIR.jenga-tmp-PID-N`), every file synced, and then swapped into place
//!   (old directory renamed aside, new one renamed in, old one deleted; if the second
//!   rename fails the old directory is put back). Staging directories left by a
//!   killed run (their process gone, marked, same owner) are removed by the next run.
//!   An existing directory is only ever
//!   replaced when it is empty (or holds only `.gitkeep`) or carries the marker file [`MARKER`] that jenga writes
//!   into every directory it produces, so `report -o .` or `-o ~/Documents` cannot wipe
//!   a directory of someone's files.
//! - Both refuse any target inside (or equal to, or containing) a protected input
//!   directory ([`Writer::new`] protects the stacks directory; add the scenarios
//!   directory with [`Writer::protect`]). Paths are compared after resolving symbolic
//!   links, so `-o stacks/../stacks/x.svg` or a symlink into `stacks/` is caught.
//! - File names inside a written directory are checked by [`Staging::write`]: relative,
//!   `/`-separated components of `[A-Za-z0-9._-]`, no `.`/`..`, no leading dot; callers
//!   build them only from validated ids.
//!
//! Errors are [`WriteError`]s (one sentence naming the path and what to do); they convert
//! into [`crate::error::Error::Write`] (exit 1).
//!
//! A read-only output directory is detected by trying to create the temporary file or
//! directory, so the check holds for root too when the directory is on a read-only
//! mount or marked immutable (`chattr +i`); permission bits alone do not stop root, and
//! jenga does not second-guess them.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The marker file that [`Writer::write_dir`] puts in every directory it writes; only a
/// directory carrying it (or an empty one) is ever replaced.
pub const MARKER: &str = ".jenga-output";

/// Why an output could not be written: one sentence naming the path and the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct WriteError(pub String);

/// Writes output while protecting the input directories.
#[derive(Debug, Clone, Default)]
pub struct Writer {
    protected: Vec<PathBuf>,
}

impl Writer {
    /// A writer that refuses to write inside `stacks` (the input directory).
    pub fn new(stacks: &Path) -> Writer {
        Writer::default().protect(stacks)
    }

    /// Also refuses to write inside `dir` (e.g. the scenarios directory).
    #[must_use]
    pub fn protect(mut self, dir: &Path) -> Writer {
        self.protected.push(dir.to_owned());
        self
    }

    /// Writes `bytes` to `path` atomically (see the module documentation).
    ///
    /// Fails when `path` is inside a protected directory, names a directory, has a parent
    /// that does not exist or is not a directory, or cannot be written.
    pub fn write_file(&self, path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
        self.refuse_input(path, false)?;
        write_file_atomically(path, bytes)
    }

    /// Creates the missing directories above the file `path`, unless `path` is inside
    /// a protected directory; for outputs made of several files written one by one
    /// with [`Writer::write_file`] into a directory that may not exist yet.
    pub fn create_parent(&self, path: &Path) -> Result<(), WriteError> {
        self.refuse_input(path, false)?;
        match path.parent().filter(|d| !d.as_os_str().is_empty()) {
            Some(dir) => fs::create_dir_all(dir)
                .map_err(|e| WriteError(format!("cannot create `{}`: {e}", dir.display()))),
            None => Ok(()),
        }
    }

    /// Builds the directory `dir` with `fill` and swaps it into place (see the module
    /// documentation). `fill` writes files through the [`Staging`] it is given.
    pub fn write_dir<E: From<WriteError>>(
        &self,
        dir: &Path,
        fill: impl FnOnce(&Staging) -> Result<(), E>,
    ) -> Result<(), E> {
        self.refuse_input(dir, true)?;
        write_dir_atomically(dir, fill)
    }

    /// Checks, before any work, that `dir` could be written by [`Writer::write_dir`]:
    /// not an input, not a file, replaceable, and its parent writable.
    pub fn preflight_dir(&self, dir: &Path) -> Result<(), WriteError> {
        self.refuse_input(dir, true)?;
        let parent = parent_dir(dir)?;
        check_replaceable(dir)?;
        let probe = temp_sibling(&parent, dir, "probe");
        fs::create_dir(&probe).map_err(|e| not_writable(&parent, &e))?;
        let _ = fs::remove_dir(&probe);
        if dir.is_dir() {
            // Renaming the directory aside needs it writable too (an immutable or
            // read-only-mounted directory cannot be moved).
            let probe = temp_sibling(dir, Path::new("probe"), "probe");
            File::create(&probe).map_err(|e| not_writable(dir, &e))?;
            let _ = fs::remove_file(&probe);
        }
        Ok(())
    }

    fn refuse_input(&self, target: &Path, is_dir: bool) -> Result<(), WriteError> {
        let target_abs = resolve(target);
        for p in &self.protected {
            let input = resolve(p);
            let inside = target_abs.starts_with(&input);
            let contains = is_dir && input.starts_with(&target_abs);
            if inside || contains {
                return Err(WriteError(format!(
                    "refusing to write `{}`: it is {} the input directory `{}`, which jenga never writes; choose an output path outside it",
                    target.display(),
                    if inside { "inside" } else { "a parent of" },
                    p.display()
                )));
            }
        }
        Ok(())
    }
}

/// Resolves symbolic links in the longest existing prefix of `path` and makes it
/// absolute, so that `a/../b` and links are compared by where they lead.
fn resolve(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_owned()
    } else {
        std::env::current_dir().map_or_else(|_| path.to_owned(), |d| d.join(path))
    };
    let mut existing = abs.clone();
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    loop {
        if let Ok(c) = fs::canonicalize(&existing) {
            let mut out = c;
            for part in rest.iter().rev() {
                if part == ".." {
                    out.pop();
                } else if part != "." {
                    out.push(part);
                }
            }
            return out;
        }
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_owned());
                existing = parent.to_owned();
            }
            _ => return abs,
        }
    }
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// `.NAME.jenga-KIND-PID-N` next to `target`, inside `dir`.
fn temp_sibling(dir: &Path, target: &Path, kind: &str) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    dir.join(format!(".{name}.jenga-{kind}-{}-{n}", std::process::id()))
}

/// The directory that will hold `path` (`.` for a bare file name); it must exist.
fn parent_dir(path: &Path) -> Result<PathBuf, WriteError> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    match fs::metadata(&parent) {
        Ok(m) if m.is_dir() => Ok(parent),
        Ok(_) => Err(WriteError(format!(
            "cannot write `{}`: `{}` is a file, not a directory",
            path.display(),
            parent.display()
        ))),
        Err(_) => Err(WriteError(format!(
            "cannot write `{}`: the directory `{}` does not exist; create it first",
            path.display(),
            parent.display()
        ))),
    }
}

fn not_writable(dir: &Path, e: &io::Error) -> WriteError {
    let why = match e.raw_os_error() {
        Some(30) => "it is on a read-only file system".to_owned(), // EROFS
        Some(1) | Some(13) => "it is read-only (permission denied)".to_owned(), // EPERM, EACCES
        _ => e.to_string(),
    };
    WriteError(format!(
        "cannot write into `{}`: {why}; choose another output directory with `-o`",
        dir.display()
    ))
}

/// Writes `bytes` to `path` through a synced temporary file in the same directory and a
/// rename, so the file is replaced whole or not at all.
///
/// Does not check protected directories: use [`Writer::write_file`] for outputs.
///
/// # Complexity
/// O(size of `bytes`) plus two `fsync`s.
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    if path.file_name().is_none() {
        return Err(WriteError(format!(
            "cannot write `{}`: it names a directory, not a file; give a file name",
            path.display()
        )));
    }
    let parent = parent_dir(path)?;
    if let Ok(m) = fs::metadata(path)
        && m.is_dir()
    {
        return Err(WriteError(format!(
            "cannot write `{}`: it is a directory; give a file name (e.g. `{}`)",
            path.display(),
            path.join("out.svg").display()
        )));
    }
    if let Some(kind) = special_file(path) {
        return write_special(path, kind, bytes);
    }
    let tmp = temp_sibling(&parent, path, "tmp");
    let result = (|| {
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|e| not_writable(&parent, &e))?;
        f.write_all(bytes)
            .and_then(|()| f.sync_all())
            .map_err(|e| WriteError(format!("cannot write `{}`: {e}", path.display())))?;
        drop(f);
        fs::rename(&tmp, path)
            .map_err(|e| WriteError(format!("cannot replace `{}`: {e}", path.display())))?;
        sync_dir(&parent);
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// What kind of non-regular file an output path leads to (after symbolic links).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Special {
    CharDevice,
    Fifo,
    BlockDevice,
    Socket,
}

/// The kind of special file `path` leads to, or `None` for a regular file, a
/// directory or nothing.
fn special_file(path: &Path) -> Option<Special> {
    use std::os::unix::fs::FileTypeExt as _;
    let t = fs::metadata(path).ok()?.file_type();
    if t.is_char_device() {
        Some(Special::CharDevice)
    } else if t.is_fifo() {
        Some(Special::Fifo)
    } else if t.is_block_device() {
        Some(Special::BlockDevice)
    } else if t.is_socket() {
        Some(Special::Socket)
    } else {
        None
    }
}

/// Writes `bytes` straight into a character device (`/dev/null`, a terminal) or a
/// FIFO: opened for writing without creating or truncating anything, so the node
/// itself is never replaced (a rename over `/dev/null` would put a regular file in its
/// place). Block devices (a disk) and sockets are refused.
fn write_special(path: &Path, kind: Special, bytes: &[u8]) -> Result<(), WriteError> {
    match kind {
        Special::BlockDevice => {
            return Err(WriteError(format!(
                "refusing to write `{}`: it is a block device (a disk); give a file name",
                path.display()
            )));
        }
        Special::Socket => {
            return Err(WriteError(format!(
                "cannot write `{}`: it is a socket; give a file name, a FIFO or a character device",
                path.display()
            )));
        }
        Special::CharDevice | Special::Fifo => {}
    }
    let mut f = OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| WriteError(format!("cannot write `{}`: {e}", path.display())))?;
    f.write_all(bytes)
        .and_then(|()| f.flush())
        .map_err(|e| WriteError(format!("cannot write `{}`: {e}", path.display())))
}

/// Best effort: makes a rename durable by syncing its directory.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Refuses to replace `dir` unless it is absent, an empty directory, or marked as
/// jenga's output.
fn check_replaceable(dir: &Path) -> Result<(), WriteError> {
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
                Err(WriteError(format!(
                    "refusing to replace `{}`: it holds files that jenga did not write (no `{MARKER}` marker); remove it or choose another directory with `-o`",
                    dir.display()
                )))
            }
        }
        Ok(m) if m.file_type().is_symlink() => Err(WriteError(format!(
            "refusing to replace `{}`: it is a symbolic link; give the real directory with `-o`",
            dir.display()
        ))),
        Ok(_) => Err(WriteError(format!(
            "cannot write the directory `{}`: a file of that name exists; remove it or choose another directory with `-o`",
            dir.display()
        ))),
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
            fs::create_dir_all(parent)
                .map_err(|e| WriteError(format!("cannot create `{rel}`: {e}")))?;
        }
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| {
                WriteError(if e.kind() == io::ErrorKind::AlreadyExists {
                    format!("two outputs are named `{rel}`")
                } else {
                    format!("cannot write `{rel}`: {e}")
                })
            })?;
        f.write_all(bytes)
            .and_then(|()| f.sync_all())
            .map_err(|e| WriteError(format!("cannot write `{rel}`: {e}")))
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
            return Err(WriteError(format!(
                "refusing to write the output file name `{}`: names are built from ids ([A-Za-z0-9._-], no leading dot)",
                crate::diag::sanitize(rel)
            )));
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
        return Err(WriteError(format!(
            "cannot write the directory `{}`: give a directory name",
            dir.display()
        ))
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
        return Err(WriteError(format!(
            "cannot move the new output into `{}`: {e}",
            dir.display()
        )));
    }
    sync_dir(parent);
    if let Some(old) = old {
        let _ = fs::remove_dir_all(old);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_replaces_and_leaves_no_temporary_files() {
        let t = tempfile::tempdir().unwrap();
        let p = t.path().join("a.svg");
        write_file_atomically(&p, b"one").unwrap();
        write_file_atomically(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        assert_eq!(fs::read_dir(t.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_directory_target_is_an_error() {
        let t = tempfile::tempdir().unwrap();
        let e = write_file_atomically(t.path(), b"x").unwrap_err();
        assert!(e.0.contains("is a directory"), "{e}");
    }

    #[test]
    fn refuses_inside_and_above_the_input() {
        let t = tempfile::tempdir().unwrap();
        let stacks = t.path().join("stacks");
        fs::create_dir(&stacks).unwrap();
        let w = Writer::new(&stacks);
        let e = w.write_file(&stacks.join("x.svg"), b"x").unwrap_err();
        assert!(e.0.contains("inside the input directory"), "{e}");
        let sneaky = t
            .path()
            .join("stacks")
            .join("..")
            .join("stacks")
            .join("y.yaml");
        assert!(w.write_file(&sneaky, b"x").is_err());
        let e = w
            .write_dir(t.path(), |_| Ok::<(), WriteError>(()))
            .unwrap_err();
        assert!(e.0.contains("a parent of"), "{e}");
        assert_eq!(fs::read_dir(&stacks).unwrap().count(), 0);
    }

    #[test]
    fn writes_a_directory_and_replaces_only_its_own() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("output");
        let w = Writer::default();
        w.write_dir(&out, |s| {
            s.write("towers/sg.svg", b"<svg/>")?;
            s.write("index.md", b"# x")
        })
        .unwrap();
        assert_eq!(fs::read(out.join("towers/sg.svg")).unwrap(), b"<svg/>");
        assert!(out.join(MARKER).is_file());
        // Replaced whole: the old file disappears.
        w.write_dir(&out, |s| s.write("b.md", b"b")).unwrap();
        assert!(!out.join("index.md").exists());
        assert_eq!(
            fs::read_dir(t.path()).unwrap().count(),
            1,
            "no temporaries left"
        );
        // Someone's own directory is never replaced.
        let mine = t.path().join("mine");
        fs::create_dir(&mine).unwrap();
        fs::write(mine.join("thesis.docx"), b"precious").unwrap();
        let e = w.write_dir(&mine, |s| s.write("a", b"a")).unwrap_err();
        assert!(e.0.contains("did not write"), "{e}");
        assert_eq!(fs::read(mine.join("thesis.docx")).unwrap(), b"precious");
    }

    #[test]
    fn a_failing_fill_keeps_the_old_output() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("output");
        let w = Writer::default();
        w.write_dir(&out, |s| s.write("a.md", b"old")).unwrap();
        let e = w
            .write_dir(&out, |s| {
                s.write("a.md", b"new")?;
                Err(WriteError("render failed".into()))
            })
            .unwrap_err();
        assert_eq!(e.0, "render failed");
        assert_eq!(fs::read(out.join("a.md")).unwrap(), b"old");
        assert_eq!(fs::read_dir(t.path()).unwrap().count(), 1);
    }

    #[test]
    fn staging_names_are_checked() {
        let t = tempfile::tempdir().unwrap();
        let w = Writer::default();
        for bad in [
            "../x",
            "/etc/passwd",
            "a/../../b",
            ".hidden",
            "a//b",
            "",
            "a b",
            "x\u{1b}",
        ] {
            let r = w.write_dir(&t.path().join("o"), |s| s.write(bad, b"x"));
            assert!(r.is_err(), "{bad:?} was accepted");
        }
    }
}
