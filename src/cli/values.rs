//! The closed choices of the command line that no one library enum stands for
//! (`chokepoints --key`: the boolean ranking or a quantity key), mapped onto the
//! library's types here, once. Every other choice (`--by`, `--engine`, the formats,
//! `table`'s kind) is the library's own enum, deriving `clap::ValueEnum` where it is
//! declared, so that each concept is written once.

use clap::ValueEnum;

/// What `jenga chokepoints` ranks by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChokeKey {
    /// Capabilities failed, countries failed, degraded, exposure.
    Capabilities,
    /// Supply lost: the shares of the supply each removal takes.
    Supply,
    /// Capacity lost (H100e, Rmax, ...).
    Capacity,
}

impl ChokeKey {
    /// The quantitative key, or `None` for the boolean ranking (`capabilities`).
    pub fn quantity(self) -> Option<crate::analysis::quantity::Key> {
        match self {
            ChokeKey::Capabilities => None,
            ChokeKey::Supply => Some(crate::analysis::quantity::Key::Supply),
            ChokeKey::Capacity => Some(crate::analysis::quantity::Key::Capacity),
        }
    }
}
