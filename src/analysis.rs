//! Analyses over a [`crate::graph::World`]: pure functions, no IO.

pub mod cascade;
pub mod chokepoints;
pub mod concentration;
pub mod cutsets;
pub mod paths;
pub mod quantity;
pub mod scenario;
pub mod select;
pub mod sovereignty;
pub mod tables;

use serde::Serialize;

/// The state of a node after a scenario.
///
/// Ordered from best to worst, so `max` combines evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeStatus {
    /// Untouched: nothing in its dependency cone failed.
    Intact,
    /// Works, but something it depends on failed (an alternative was lost).
    Degraded,
    /// Works only if the dependencies the sources leave undetermined survive.
    Unknown,
    /// Does not work.
    Failed,
}

impl NodeStatus {
    /// The name used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeStatus::Intact => "intact",
            NodeStatus::Degraded => "degraded",
            NodeStatus::Unknown => "unknown",
            NodeStatus::Failed => "failed",
        }
    }
}
