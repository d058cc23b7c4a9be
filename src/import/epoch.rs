//! Epoch AI's GPU clusters and ML hardware (placeholder until written).
use super::{ImportError, Imported, Input};

/// Imports Epoch's files.
///
/// # Errors
/// Not yet written.
pub fn import(_files: &[Input<'_>]) -> Result<Imported, ImportError> {
    Err(ImportError("the Epoch importer is not written yet".into()))
}
