//! Reading one file within the size budget, whatever its reported length.

use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};

/// Why [`read_limited`] read nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// The file cannot be opened or read.
    #[error("cannot read `{}`: {reason}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why, in words.
        reason: String,
    },
    /// The file is larger than the limit.
    #[error(
        "`{}` is larger than the {max} byte limit; split it, or raise the limit with `--max-file-size`",
        path.display()
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The limit in bytes.
        max: u64,
    },
}

/// Reads at most `max` bytes of `path` (a file, a FIFO, `/dev/zero`: the limit holds
/// whatever the file's reported length), or says it is larger than the limit.
///
/// # Complexity
/// O(min(size, `max`)) time and memory.
pub(crate) fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    let unreadable = |e: std::io::Error| ReadError::Io {
        path: path.to_owned(),
        reason: io_reason(&e),
    };
    let file = fs::File::open(path).map_err(unreadable)?;
    // Sized from the file's length (re-checked by the read): a buffer grown by
    // doubling would keep up to twice the text.
    let hint = file.metadata().map_or(0, |m| m.len()).min(max) + 1;
    let mut bytes = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > max {
        return Err(ReadError::TooLarge {
            path: path.to_owned(),
            max,
        });
    }
    Ok(bytes)
}

pub(super) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => e.to_string(),
    }
}
