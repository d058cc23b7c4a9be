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
//!
//! This file holds the [`Writer`] (the protected directories), [`WriteError`] and the
//! helpers both kinds of output use; `fsutil/file.rs` writes one file,
//! `fsutil/dir.rs` builds and swaps in a directory.

mod dir;
mod file;

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use dir::check_replaceable;
pub use dir::{Staging, write_dir_atomically};
pub use file::write_file_atomically;

/// The marker file that [`Writer::write_dir`] puts in every directory it writes; only a
/// directory carrying it (or an empty one) is ever replaced.
pub const MARKER: &str = ".jenga-output";

/// Why an output could not be written: one variant per case, each message one
/// sentence naming the path and the fix. `reason` is the system's error text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    /// A target inside (`inside`) or above a protected input directory.
    #[error(
        "refusing to write `{}`: it is {} the input directory `{}`, which jenga never writes; choose an output path outside it",
        .target.display(),
        if *.inside { "inside" } else { "a parent of" },
        .input.display()
    )]
    Protected {
        /// The output asked for.
        target: PathBuf,
        /// Inside the input (else a parent of it).
        inside: bool,
        /// The protected directory.
        input: PathBuf,
    },
    /// A directory that could not be created.
    #[error("cannot create `{}`: {reason}", .path.display())]
    Create {
        /// The directory (or the staged name).
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A file that could not be written.
    #[error("cannot write `{}`: {reason}", .path.display())]
    Write {
        /// The file (or the staged name).
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A temporary file that could not be renamed over the target.
    #[error("cannot replace `{}`: {reason}", .path.display())]
    Replace {
        /// The target.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The parent of the target is a file.
    #[error("cannot write `{}`: `{}` is a file, not a directory", .path.display(), .parent.display())]
    ParentIsFile {
        /// The target.
        path: PathBuf,
        /// Its parent.
        parent: PathBuf,
    },
    /// The parent of the target does not exist.
    #[error(
        "cannot write `{}`: the directory `{}` does not exist; create it first",
        .path.display(),
        .parent.display()
    )]
    NoParent {
        /// The target.
        path: PathBuf,
        /// Its parent.
        parent: PathBuf,
    },
    /// A directory that cannot be written into (read-only, permission denied, ...).
    #[error(
        "cannot write into `{}`: {why}; choose another output directory with `-o`",
        .dir.display()
    )]
    NotWritable {
        /// The directory.
        dir: PathBuf,
        /// Why, in words.
        why: String,
    },
    /// A file target that names a directory (`..`, `/`).
    #[error(
        "cannot write `{}`: it names a directory, not a file; give a file name",
        .path.display()
    )]
    NamesDirectory {
        /// The target.
        path: PathBuf,
    },
    /// A file target that is an existing directory.
    #[error(
        "cannot write `{}`: it is a directory; give a file name (e.g. `{}`)",
        .path.display(),
        .path.join("out.svg").display()
    )]
    IsDirectory {
        /// The target.
        path: PathBuf,
    },
    /// A block device (a disk).
    #[error(
        "refusing to write `{}`: it is a block device (a disk); give a file name",
        .path.display()
    )]
    BlockDevice {
        /// The target.
        path: PathBuf,
    },
    /// A socket.
    #[error(
        "cannot write `{}`: it is a socket; give a file name, a FIFO or a character device",
        .path.display()
    )]
    Socket {
        /// The target.
        path: PathBuf,
    },
    /// A directory holding files jenga did not write.
    #[error(
        "refusing to replace `{}`: it holds files that jenga did not write (no `{}` marker); remove it or choose another directory with `-o`",
        .dir.display(),
        MARKER
    )]
    Foreign {
        /// The directory.
        dir: PathBuf,
    },
    /// A directory target that is a symbolic link.
    #[error(
        "refusing to replace `{}`: it is a symbolic link; give the real directory with `-o`",
        .dir.display()
    )]
    Symlink {
        /// The target.
        dir: PathBuf,
    },
    /// A directory target that is a file.
    #[error(
        "cannot write the directory `{}`: a file of that name exists; remove it or choose another directory with `-o`",
        .dir.display()
    )]
    FileExists {
        /// The target.
        dir: PathBuf,
    },
    /// A directory target without a name (`/`, `..`).
    #[error("cannot write the directory `{}`: give a directory name", .dir.display())]
    NoDirName {
        /// The target.
        dir: PathBuf,
    },
    /// Two outputs of one directory with the same name.
    #[error("two outputs are named `{name}`")]
    Duplicate {
        /// The name.
        name: String,
    },
    /// An output file name not built from ids (already sanitized for display).
    #[error(
        "refusing to write the output file name `{name}`: names are built from ids ([A-Za-z0-9._-], no leading dot)"
    )]
    BadName {
        /// The name, sanitized.
        name: String,
    },
    /// The built directory could not be moved into place (the old one is restored).
    #[error("cannot move the new output into `{}`: {reason}", .dir.display())]
    Swap {
        /// The target.
        dir: PathBuf,
        /// Why.
        reason: String,
    },
}

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
            Some(dir) => fs::create_dir_all(dir).map_err(|e| WriteError::Create {
                path: dir.to_owned(),
                reason: e.to_string(),
            }),
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
                return Err(WriteError::Protected {
                    target: target.to_owned(),
                    inside,
                    input: p.clone(),
                });
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
        Ok(_) => Err(WriteError::ParentIsFile {
            path: path.to_owned(),
            parent,
        }),
        Err(_) => Err(WriteError::NoParent {
            path: path.to_owned(),
            parent,
        }),
    }
}

fn not_writable(dir: &Path, e: &io::Error) -> WriteError {
    let why = match e.raw_os_error() {
        Some(30) => "it is on a read-only file system".to_owned(), // EROFS
        Some(1) | Some(13) => "it is read-only (permission denied)".to_owned(), // EPERM, EACCES
        _ => e.to_string(),
    };
    WriteError::NotWritable {
        dir: dir.to_owned(),
        why,
    }
}

/// [`WriteError::Write`] for `path`.
fn write_error(path: &Path, e: &io::Error) -> WriteError {
    WriteError::Write {
        path: path.to_owned(),
        reason: e.to_string(),
    }
}

/// Best effort: makes a rename durable by syncing its directory.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
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
        assert!(e.to_string().contains("is a directory"), "{e}");
    }

    #[test]
    fn refuses_inside_and_above_the_input() {
        let t = tempfile::tempdir().unwrap();
        let stacks = t.path().join("stacks");
        fs::create_dir(&stacks).unwrap();
        let w = Writer::new(&stacks);
        let e = w.write_file(&stacks.join("x.svg"), b"x").unwrap_err();
        assert!(e.to_string().contains("inside the input directory"), "{e}");
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
        assert!(e.to_string().contains("a parent of"), "{e}");
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
        assert!(e.to_string().contains("did not write"), "{e}");
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
                Err(WriteError::Duplicate {
                    name: "a.md".to_owned(),
                })
            })
            .unwrap_err();
        assert_eq!(e.to_string(), "two outputs are named `a.md`");
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
