//! Minimal cut sets: the minimal sets of candidate removals that fail a target.
//!
//! The pipeline, as in the best fault-tree engines (SCRAM, XFTA):
//! 1. [`tree::translate`]: the target's cone becomes a monotone Boolean function of
//!    removals, with cycles unrolled per the greatest-fixpoint semantics;
//! 2. [`tree::FaultTree::simplified`]: constants propagated, one-input gates removed;
//! 3. [`modules`]: independent sub-trees (Dutuit & Rauzy 1996) are solved separately
//!    and stand as one variable in their parent;
//! 4. per module, a BDD ([`bdd`]) and Rauzy's minimal solutions into a ZBDD
//!    ([`zbdd`], Rauzy 1993, Minato 1993), the order limit pruning the recursion;
//! 5. modules expanded back into sets of candidates (a product of independent
//!    families of minimal sets is minimal, so no final minimisation is needed).

mod arena;
pub mod bdd;
pub mod modules;
mod solve;
pub mod tree;
pub mod zbdd;

#[cfg(test)]
mod tests;

use serde::Serialize;

use crate::graph::{NodeIdx, World};
use solve::{level, solve};
use tree::FaultTree;

pub use tree::{Target, Translation, translate};

/// Work counters of one computation (for benchmarks and `--format json`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Events of the simplified tree.
    pub events: usize,
    /// Modules solved separately (the top event included).
    pub modules: usize,
    /// BDD nodes made, over all modules.
    pub bdd_nodes: usize,
    /// ZBDD nodes made, over all modules.
    pub zbdd_nodes: usize,
}

/// Minimal cut sets of a fault tree, as sorted lists of basic-event numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Solution {
    /// The sets, each sorted ascending, sorted by order then lexicographically.
    pub sets: Vec<Vec<u32>>,
    /// Work counters.
    pub stats: Stats,
}

/// The limits of one cut-set computation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// The largest order wanted (`None`: every order).
    pub max_order: Option<usize>,
    /// The most sets the computation will enumerate; beyond it the sets are counted
    /// (from the ZBDDs, without enumerating them) and [`Refused::Sets`] says how many.
    pub max_sets: usize,
    /// The most BDD and ZBDD entries (nodes plus memo-table entries, all modules
    /// together) the computation may make; beyond it, [`Refused::Nodes`].
    pub max_nodes: usize,
}

impl Budget {
    /// The default print bound of `jenga cutsets` (`--max-sets`).
    pub const DEFAULT_MAX_SETS: usize = 100_000;
    /// The default entry budget of `jenga cutsets` (`--max-bdd-nodes`): about 300 MB.
    pub const DEFAULT_MAX_NODES: usize = 5_000_000;

    /// No bound but the order.
    pub fn unlimited(max_order: Option<usize>) -> Budget {
        Budget {
            max_order,
            max_sets: usize::MAX,
            max_nodes: usize::MAX,
        }
    }
}

/// Why a computation stopped before enumerating the sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// The BDD/ZBDD entry budget was spent.
    Nodes {
        /// The budget.
        budget: usize,
    },
    /// There are more minimal cut sets (within the order limit) than `limit`.
    Sets {
        /// How many there are (saturating at `u128::MAX`).
        count: u128,
        /// How many of each order (index 0 is order 1), when an order limit was set.
        by_order: Option<Vec<u128>>,
        /// The bound.
        limit: usize,
    },
    /// The simplified tree is too large for the recursion depth jenga allows.
    TooLarge {
        /// Events of the simplified tree.
        events: usize,
    },
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::Nodes { budget } => write!(
                f,
                "the decision diagrams need more than {budget} nodes and memo entries"
            ),
            Refused::Sets {
                count,
                by_order,
                limit,
            } => {
                write!(
                    f,
                    "there are {count} minimal cut sets, more than the {limit} jenga lists"
                )?;
                if let Some(by) = by_order {
                    let parts: Vec<String> = by
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| **c > 0)
                        .map(|(o, c)| format!("{c} of order {}", o + 1))
                        .collect();
                    if !parts.is_empty() {
                        write!(f, " ({})", parts.join(", "))?;
                    }
                }
                Ok(())
            }
            Refused::TooLarge { events } => write!(
                f,
                "the fault tree has {events} events after simplification, more than the {MAX_DEEP_EVENTS} jenga solves; fewer candidates (`--over leaves`, or selectors) or a smaller target make it smaller"
            ),
        }
    }
}

/// The largest simplified tree [`minimal_cut_sets_within`] solves: the BDD and ZBDD
/// recursions are at most three frames per level of a module, so the computation runs
/// on a thread whose stack is sized for the tree (2 KiB per event) up to 1 GiB.
pub const MAX_DEEP_EVENTS: usize = 500_000;

/// Trees up to this many events are solved on the calling thread's stack.
const SHALLOW_EVENTS: usize = 4_000;

/// The minimal cut sets of `tree` of order at most `max_order`, without bounds on the
/// work (see [`minimal_cut_sets_within`]).
///
/// # Example
/// ```
/// use jenga::analysis::cutsets::{minimal_cut_sets, tree::{Event, FaultTree}};
/// let mut t = FaultTree::new();
/// let (a, b, c) = (t.basic("a"), t.basic("b"), t.basic("c"));
/// let and = t.gate(2, vec![b, c], "and");
/// t.root = t.gate(1, vec![a, and], "top");
/// assert_eq!(minimal_cut_sets(&t, None).sets, vec![vec![0], vec![1, 2]]);
/// ```
///
/// # Complexity
/// As [`minimal_cut_sets_within`].
pub fn minimal_cut_sets(tree: &FaultTree, max_order: Option<usize>) -> Solution {
    // Without bounds nothing is refused but a tree beyond MAX_DEEP_EVENTS events.
    minimal_cut_sets_within(tree, &Budget::unlimited(max_order)).unwrap_or(Solution {
        sets: Vec::new(),
        stats: Stats::default(),
    })
}

/// The minimal cut sets of `tree` of order at most `budget.max_order`, within the
/// budget's bounds on sets and decision-diagram entries.
///
/// # Arguments
/// - `tree`: a monotone fault tree (it is simplified first);
/// - `budget`: the order limit (it bounds the minimal-solutions recursion, a branch
///   whose cheapest completion exceeds it is never explored, and the module
///   expansion), the most sets to enumerate and the most BDD/ZBDD entries.
///
/// # Returns
/// Every minimal cut set within the limit, each sorted, the list sorted by order.
///
/// # Errors
/// [`Refused::Nodes`] when the decision diagrams need more entries than the budget
/// (checked as they grow, so the computation stops within the time it took to make
/// them); [`Refused::Sets`] with the exact count when there are more sets than
/// `max_sets` (counted on the ZBDDs, linear in their size, never enumerated);
/// [`Refused::TooLarge`] beyond [`MAX_DEEP_EVENTS`] events.
///
/// # Complexity
/// Exponential in the worst case (the number of minimal cut sets can be), bounded by
/// the entry budget; in practice bounded by the BDD sizes of the modules under the
/// depth-first variable order and by the output size. Counting is linear in the ZBDD
/// sizes (times the order limit squared with an order limit).
///
/// # References
/// A. Rauzy, "New algorithms for fault trees analysis", Reliability Engineering and
/// System Safety 40 (1993); S. Minato, "Zero-suppressed BDDs for set manipulation in
/// combinatorial problems", DAC 1993; Y. Dutuit, A. Rauzy, "A linear-time algorithm to
/// find modules of fault trees", IEEE Trans. Reliability 45 (1996).
pub fn minimal_cut_sets_within(tree: &FaultTree, budget: &Budget) -> Result<Solution, Refused> {
    let t = tree.simplified();
    let events = t.events.len();
    if events <= SHALLOW_EVENTS {
        return solve(&t, budget);
    }
    if events > MAX_DEEP_EVENTS {
        return Err(Refused::TooLarge { events });
    }
    let stack = (16 << 20) + events * 2048;
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("cutsets".to_owned())
            .stack_size(stack)
            .spawn_scoped(scope, || solve(&t, budget))
            .map_err(|_| Refused::TooLarge { events })?
            .join()
            .unwrap_or(Err(Refused::TooLarge { events }))
    })
}

/// Minimal cut sets of a target in a [`World`].
#[derive(Debug, Clone)]
pub struct CutSets {
    /// The sets, each as node indices sorted by id; sorted by order, then by ids.
    pub sets: Vec<Vec<NodeIdx>>,
    /// How many candidates there were in the cone.
    pub candidates: usize,
    /// Nodes in the target's cone.
    pub cone: usize,
    /// `unknown` groups in the cone, read optimistically (an unknown with no known
    /// candidates never fails; one with candidates fails when all of them do).
    pub unknown_groups: usize,
    /// The order limit applied, if any.
    pub max_order: Option<usize>,
    /// Work counters.
    pub stats: Stats,
}

impl CutSets {
    /// How many sets of each order: index 0 is order 1.
    pub fn counts_by_order(&self) -> Vec<usize> {
        let top = self.sets.iter().map(Vec::len).max().unwrap_or(0);
        let mut counts = vec![0; top];
        for s in &self.sets {
            if let Some(c) = s.len().checked_sub(1).and_then(|i| counts.get_mut(i)) {
                *c += 1;
            }
        }
        counts
    }
}

/// The minimal sets of candidate nodes whose joint removal fails `target`, with no
/// bound but the order (see [`cut_sets_within`]).
///
/// # Errors
/// When the cone's cycles are too large to unroll (see [`tree::translate`]).
///
/// # Complexity
/// As [`cut_sets_within`].
pub fn cut_sets(
    world: &World,
    target: &Target,
    is_candidate: &[bool],
    max_order: Option<usize>,
) -> Result<CutSets, CutSetError> {
    cut_sets_within(world, target, is_candidate, &Budget::unlimited(max_order))
}

/// Why [`cut_sets_within`] gave no sets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CutSetError {
    /// The cone cannot be translated (cycles too large to unroll).
    #[error(transparent)]
    Translate(tree::CycleTooLarge),
    /// A budget stopped the computation.
    #[error("{0}")]
    Refused(Refused),
}

/// The minimal sets of candidate nodes whose joint removal fails `target`, within
/// `budget`.
///
/// # Errors
/// [`CutSetError::Translate`] when the cone's cycles are too large to unroll (see
/// [`tree::translate`]); [`CutSetError::Refused`] past a bound of `budget` (see
/// [`minimal_cut_sets_within`]).
///
/// # Complexity
/// That of [`translate`] plus that of [`minimal_cut_sets_within`], plus sorting the
/// output.
pub fn cut_sets_within(
    world: &World,
    target: &Target,
    is_candidate: &[bool],
    budget: &Budget,
) -> Result<CutSets, CutSetError> {
    let max_order = budget.max_order;
    let tr = translate(world, target, is_candidate).map_err(CutSetError::Translate)?;
    let sol = minimal_cut_sets_within(&tr.tree, budget).map_err(CutSetError::Refused)?;
    // Rank the candidates by id once, so that sorting compares integers, not strings.
    let mut by_id: Vec<u32> = (0..level(tr.candidates.len())).collect();
    by_id.sort_by(|&a, &b| {
        let id = |x: u32| world.node(tr.candidates[x as usize]).id.as_str();
        id(a).cmp(id(b))
    });
    let mut rank = vec![0u32; by_id.len()];
    for (r, &b) in by_id.iter().enumerate() {
        rank[b as usize] = level(r);
    }
    let mut ranked: Vec<Vec<u32>> = sol
        .sets
        .into_iter()
        .map(|s| {
            let mut v: Vec<u32> = s.iter().map(|&b| rank[b as usize]).collect();
            v.sort_unstable();
            v
        })
        .collect();
    ranked.sort_unstable_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    let sets: Vec<Vec<NodeIdx>> = ranked
        .into_iter()
        .map(|s| {
            s.into_iter()
                .map(|r| tr.candidates[by_id[r as usize] as usize])
                .collect()
        })
        .collect();
    Ok(CutSets {
        sets,
        candidates: tr.candidates.len(),
        cone: tr.cone,
        unknown_groups: tr.unknown_groups,
        max_order,
        stats: sol.stats,
    })
}
