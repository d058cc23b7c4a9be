//! A TOP500 list (placeholder until written).
use super::{ImportError, Imported, Input};

/// Imports a TOP500 list.
///
/// # Errors
/// Not yet written.
pub fn import(_file: Input<'_>) -> Result<Imported, ImportError> {
    Err(ImportError("the TOP500 importer is not written yet".into()))
}
