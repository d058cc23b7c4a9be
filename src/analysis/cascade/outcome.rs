//! What a cascade produces and what drives it: the [`Outcome`] of one evaluation,
//! the [`Removal`]s of a scenario and where each applies ([`Destination`]), and the
//! [`ScenarioOutcome`] of the views a scenario needs. Plain data: the algorithm is in
//! the parent module.

use super::Cause;
use crate::analysis::NodeStatus;
use crate::analysis::select::Selector;
use crate::graph::{NodeIdx, World};

/// Every node's status after one evaluation, indexed by [`NodeIdx::index`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Status by node index.
    pub status: Vec<NodeStatus>,
    /// Whether the scenario removed the node (directly, not by the cascade).
    pub removed: Vec<bool>,
    /// Why each failed or unknown node is so (None for intact and degraded nodes).
    pub cause: Vec<Option<Cause>>,
}

impl Outcome {
    /// The status of `i`.
    pub fn status(&self, i: NodeIdx) -> NodeStatus {
        self.status
            .get(i.index())
            .copied()
            .unwrap_or(NodeStatus::Intact)
    }

    /// Why `i` failed (or may fail, for an unknown node).
    pub fn cause(&self, i: NodeIdx) -> Option<Cause> {
        self.cause.get(i.index()).copied().flatten()
    }

    /// Whether the scenario removed `i` itself.
    pub fn is_removed(&self, i: NodeIdx) -> bool {
        self.removed.get(i.index()).copied().unwrap_or(false)
    }

    /// The members of `i`'s group `group` that do not work in the reading that made
    /// `i` fall: failed members for a failed node, failed or unknown members for an
    /// unknown node. Empty for an `unknown` group with no candidates.
    pub fn lost_members(&self, world: &World, i: NodeIdx, group: u32) -> Vec<NodeIdx> {
        let floor = if self.status(i) == NodeStatus::Failed {
            NodeStatus::Failed
        } else {
            NodeStatus::Unknown
        };
        world
            .node(i)
            .needs
            .get(group as usize)
            .map(|g| {
                g.members
                    .iter()
                    .copied()
                    .filter(|&m| self.status(m) >= floor)
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Where a cascade is seen from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination<'a> {
    /// A destination that no scope singles out: only unscoped removals apply, and
    /// every jurisdiction cut-off applies (nobody is exempt).
    Everywhere,
    /// The country with this code.
    Country(&'a str),
}

/// One removal of a scenario: the nodes a selector names and the destinations it
/// applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    /// What the user wrote.
    pub selector: Selector,
    /// The nodes it names (an organization is one node: its products fall through
    /// their implicit dependency on it).
    pub nodes: Vec<NodeIdx>,
    /// The destination countries it applies to; `None` = everywhere.
    pub scope: Option<Vec<String>>,
}

impl Removal {
    /// A removal of what `selector` names in `world`, for `scope`.
    pub fn new(world: &World, selector: Selector, scope: Option<Vec<String>>) -> Removal {
        Removal {
            nodes: selector.resolve(world),
            selector,
            scope,
        }
    }

    /// Whether it applies to `dest`: a scoped removal applies only to its countries;
    /// `jurisdiction:XX` never applies to the destination `XX` itself (a country is
    /// not cut off from itself).
    pub fn applies_to(&self, dest: Destination<'_>) -> bool {
        match dest {
            Destination::Everywhere => self.scope.is_none(),
            Destination::Country(code) => {
                if let Selector::Jurisdiction(j) = &self.selector
                    && j == code
                {
                    return false;
                }
                self.scope
                    .as_ref()
                    .is_none_or(|s| s.iter().any(|c| c == code))
            }
        }
    }
}

/// A scenario evaluated for every destination.
#[derive(Debug, Clone)]
pub struct ScenarioOutcome {
    /// The distinct evaluations.
    pub views: Vec<Outcome>,
    /// Which view is the world at large ([`Destination::Everywhere`]).
    pub everywhere: usize,
    /// Which view each country sees, parallel to [`World::countries`].
    pub countries: Vec<usize>,
}

impl ScenarioOutcome {
    /// What country `c` (an index into [`World::countries`]) sees.
    pub fn country(&self, c: usize) -> Option<&Outcome> {
        self.countries.get(c).and_then(|&v| self.views.get(v))
    }

    /// What a destination that no scope singles out sees.
    pub fn everywhere(&self) -> Option<&Outcome> {
        self.views.get(self.everywhere)
    }
}
