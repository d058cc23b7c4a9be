//! One output file written atomically (temporary sibling, fsync, rename), or
//! straight into a character device or FIFO; block devices and sockets refused.

use std::fs::{self, OpenOptions};
use std::io::Write as _;
use std::path::Path;

use super::{WriteError, not_writable, parent_dir, sync_dir, temp_sibling, write_error};

/// Writes `bytes` to `path` through a synced temporary file in the same directory and a
/// rename, so the file is replaced whole or not at all.
///
/// Does not check protected directories: use [`Writer::write_file`] for outputs.
///
/// # Complexity
/// O(size of `bytes`) plus two `fsync`s.
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    if path.file_name().is_none() {
        return Err(WriteError::NamesDirectory {
            path: path.to_owned(),
        });
    }
    let parent = parent_dir(path)?;
    if let Ok(m) = fs::metadata(path)
        && m.is_dir()
    {
        return Err(WriteError::IsDirectory {
            path: path.to_owned(),
        });
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
            .map_err(|e| write_error(path, &e))?;
        drop(f);
        fs::rename(&tmp, path).map_err(|e| WriteError::Replace {
            path: path.to_owned(),
            reason: e.to_string(),
        })?;
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
            return Err(WriteError::BlockDevice {
                path: path.to_owned(),
            });
        }
        Special::Socket => {
            return Err(WriteError::Socket {
                path: path.to_owned(),
            });
        }
        Special::CharDevice | Special::Fifo => {}
    }
    let mut f = OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| write_error(path, &e))?;
    f.write_all(bytes)
        .and_then(|()| f.flush())
        .map_err(|e| write_error(path, &e))
}
