//! The node arena of the BDD and ZBDD managers: nodes `(level, lo, hi)` in one
//! vector behind a unique table (hash-consing, so equal nodes are one index), the two
//! terminals first, made only while the manager's entry budget has room.

use rustc_hash::FxHashMap;

/// A decision-diagram node: its variable's level and its two children.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct Node {
    pub(super) level: u32,
    pub(super) lo: u32,
    pub(super) hi: u32,
}

/// The nodes and their unique table.
#[derive(Debug)]
pub(super) struct Arena {
    pub(super) nodes: Vec<Node>,
    unique: FxHashMap<Node, u32>,
}

impl Arena {
    /// An arena holding the terminals 0 and 1 (at level `u32::MAX`, below every
    /// variable).
    pub(super) fn new() -> Arena {
        let terminal = |lo| Node {
            level: u32::MAX,
            lo,
            hi: lo,
        };
        Arena {
            nodes: vec![terminal(0), terminal(1)],
            unique: FxHashMap::default(),
        }
    }

    /// The index of `node`: the existing one, else a new one unless `full` (then
    /// `None`, and the caller reports its budget).
    ///
    /// # Complexity
    /// O(1) expected (one hash lookup).
    pub(super) fn intern(&mut self, node: Node, full: bool) -> Option<u32> {
        if let Some(&r) = self.unique.get(&node) {
            return Some(r);
        }
        if full {
            return None;
        }
        let r = u32::try_from(self.nodes.len()).unwrap_or(u32::MAX);
        self.nodes.push(node);
        self.unique.insert(node, r);
        Some(r)
    }
}
