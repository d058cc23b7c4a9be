//! The vocabularies of a node: its layer of the tower and its lifecycle status.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Lifecycle status of a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Working today.
    Operational,
    /// Being built or upgraded.
    UnderConstruction,
    /// Planned with a budget.
    Planned,
    /// Announced only.
    Announced,
    /// In consultation or calls for interest.
    Consultation,
    /// Released or available to users.
    Released,
    /// Not yet released.
    Unreleased,
    /// Cancelled: announced, then withdrawn.
    Cancelled,
}

/// The layers of a stack, bottom to top, as a Jenga tower is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Layer {
    /// Accelerators and processors.
    Chips,
    /// Supercomputers, data centres and clouds.
    Compute,
    /// Training corpora.
    Data,
    /// Base and derived models.
    Model,
    /// Channels through which models reach users.
    Distribution,
    /// What a country's sovereign-AI effort must keep.
    Capability,
}

impl Layer {
    /// Every layer, bottom to top.
    pub const ALL: [Layer; 6] = [
        Layer::Chips,
        Layer::Compute,
        Layer::Data,
        Layer::Model,
        Layer::Distribution,
        Layer::Capability,
    ];

    /// Every layer, top to bottom, as towers, tables and the report list them: the one
    /// layer order of jenga (the reverse of [`Layer::ALL`] and of the declaration).
    pub const TOP_DOWN: [Layer; 6] = [
        Layer::Capability,
        Layer::Distribution,
        Layer::Model,
        Layer::Data,
        Layer::Compute,
        Layer::Chips,
    ];

    /// The position in [`Layer::TOP_DOWN`]: 0 for `capability`, 5 for `chips`.
    pub fn rank_top_down(self) -> usize {
        Layer::ALL.len() - 1 - self as usize
    }

    /// The name used in files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Chips => "chips",
            Layer::Compute => "compute",
            Layer::Data => "data",
            Layer::Model => "model",
            Layer::Distribution => "distribution",
            Layer::Capability => "capability",
        }
    }

    /// Parses a layer name.
    pub fn parse(s: &str) -> Option<Layer> {
        Layer::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Status {
    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Operational => "operational",
            Status::UnderConstruction => "under-construction",
            Status::Planned => "planned",
            Status::Announced => "announced",
            Status::Consultation => "consultation",
            Status::Released => "released",
            Status::Unreleased => "unreleased",
            Status::Cancelled => "cancelled",
        }
    }
}
