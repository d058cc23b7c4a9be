//! `jenga table models|infrastructure`: the source's Table 1 or Table 2, regenerated
//! from the data, in any output format.

use super::{Config, Error, open};
use crate::analysis::tables;
use crate::model::SourceTable;
use crate::output::Format;

/// Loads the world, regenerates the table and prints it on standard output.
pub fn run(config: &Config, table: SourceTable, format: Format) -> Result<(), Error> {
    let opened = open(config, false)?;
    let regenerated =
        tables::regenerate(&opened.world, table).map_err(|e| Error::Failed(e.to_string()))?;
    let text = match format {
        Format::Json => crate::output::to_json(&regenerated).map_err(Error::from)?,
        Format::Table | Format::Csv | Format::Markdown | Format::Xlsx => {
            regenerated.to_table().render(format)
        }
    };
    super::emit(config, format, &text)
}
