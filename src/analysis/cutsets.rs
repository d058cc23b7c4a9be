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

pub mod bdd;
pub mod modules;
pub mod tree;
pub mod zbdd;

#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::graph::{NodeIdx, World};
use bdd::Bdd;
use tree::{Event, FaultTree};
use zbdd::Zbdd;

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Elem {
    Basic(u32),
    Module(u32),
}

#[derive(Debug, Default)]
struct ModuleResult {
    /// The module's own sets (over basic events and sub-module stand-ins); empty when
    /// `count` exceeds the print bound (they are then never enumerated).
    sets: Vec<Vec<Elem>>,
    min_order: Option<u32>,
    /// How many sets over basic events the module expands into (see [`Counts`]).
    count: Vec<u128>,
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

/// Counting sets without enumerating them: with an order limit `k`, a vector of
/// `k + 1` counts by order (a polynomial truncated at degree `k`); without one, a
/// single total. Arithmetic saturates at `u128::MAX`.
#[derive(Debug, Clone, Copy)]
struct Counts {
    cap: Option<usize>,
}

impl Counts {
    fn zero(self) -> Vec<u128> {
        vec![0; self.cap.map_or(1, |k| k + 1)]
    }
    /// The family {∅}.
    fn unit(self) -> Vec<u128> {
        let mut v = self.zero();
        v[0] = 1;
        v
    }
    /// The family {{b}} of one basic event.
    fn basic(self) -> Vec<u128> {
        let mut v = self.zero();
        match self.cap {
            None => v[0] = 1,
            Some(k) if k >= 1 => v[1] = 1,
            Some(_) => {}
        }
        v
    }
    fn add(self, a: &[u128], b: &[u128]) -> Vec<u128> {
        a.iter().zip(b).map(|(x, y)| x.saturating_add(*y)).collect()
    }
    fn mul(self, a: &[u128], b: &[u128]) -> Vec<u128> {
        let mut out = self.zero();
        if self.cap.is_none() {
            out[0] = a[0].saturating_mul(b[0]);
            return out;
        }
        for (i, &x) in a.iter().enumerate() {
            if x == 0 {
                continue;
            }
            for (j, &y) in b.iter().enumerate() {
                if let Some(o) = out.get_mut(i + j) {
                    *o = o.saturating_add(x.saturating_mul(y));
                }
            }
        }
        out
    }
    fn total(self, a: &[u128]) -> u128 {
        a.iter().fold(0u128, |t, x| t.saturating_add(*x))
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

/// [`minimal_cut_sets_within`] on a simplified tree.
fn solve(t: &FaultTree, budget: &Budget) -> Result<Solution, Refused> {
    let order = budget
        .max_order
        .map_or(u32::MAX, |k| u32::try_from(k).unwrap_or(u32::MAX));
    let counts = Counts {
        cap: budget.max_order.filter(|&k| k <= 64),
    };
    let mut stats = Stats {
        events: t.events.len(),
        ..Stats::default()
    };
    let mut sets = match t.events.get(t.root as usize) {
        None | Some(Event::False) => Vec::new(),
        Some(Event::True) => vec![Vec::new()],
        Some(Event::Basic(b)) => {
            if order >= 1 {
                vec![vec![*b]]
            } else {
                Vec::new()
            }
        }
        Some(Event::Gate { .. }) => {
            let is_module = modules::find(t);
            let mut results: HashMap<u32, ModuleResult> = HashMap::new();
            let mut remaining = budget.max_nodes;
            for (m, &is) in is_module.iter().enumerate() {
                if is {
                    let m = u32::try_from(m).unwrap_or(u32::MAX);
                    let r = solve_module(
                        t,
                        m,
                        &is_module,
                        &results,
                        order,
                        counts,
                        budget,
                        &mut remaining,
                        &mut stats,
                    )?;
                    results.insert(m, r);
                }
            }
            if let Some(root) = results.get(&t.root) {
                let count = counts.total(&root.count);
                if count > budget.max_sets as u128 {
                    return Err(Refused::Sets {
                        count,
                        by_order: counts
                            .cap
                            .map(|_| root.count.iter().skip(1).copied().collect()),
                        limit: budget.max_sets,
                    });
                }
            }
            expand_all(t.root, order, &is_module, results)
        }
    };
    for s in &mut sets {
        s.sort_unstable();
    }
    sets.sort_unstable_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    Ok(Solution { sets, stats })
}

/// Solves module `m`: a BDD over its basic events and sub-module stand-ins, then the
/// ZBDD of its minimal solutions within `order`, counted (each stand-in weighted by
/// its module's count) and enumerated when the count is within the print bound.
#[allow(clippy::too_many_arguments)]
fn solve_module(
    t: &FaultTree,
    m: u32,
    is_module: &[bool],
    done: &HashMap<u32, ModuleResult>,
    order: u32,
    counts: Counts,
    budget: &Budget,
    remaining: &mut usize,
    stats: &mut Stats,
) -> Result<ModuleResult, Refused> {
    // Depth-first from m, stopping at basic events and other modules: the order of
    // first encounter is the variable order (the classic depth-first heuristic).
    let mut level_of: HashMap<u32, u32> = HashMap::new();
    let mut elems: Vec<Elem> = Vec::new();
    let mut gates: Vec<u32> = Vec::new();
    let mut seen: HashSet<u32> = HashSet::new();
    let mut stack = vec![m];
    while let Some(e) = stack.pop() {
        if !seen.insert(e) {
            continue;
        }
        match &t.events[e as usize] {
            Event::Basic(b) => {
                level_of.insert(e, level(elems.len()));
                elems.push(Elem::Basic(*b));
            }
            Event::Gate { inputs, .. } if e == m || !is_module[e as usize] => {
                gates.push(e);
                stack.extend(inputs.iter().rev());
            }
            Event::Gate { .. } => {
                level_of.insert(e, level(elems.len()));
                elems.push(Elem::Module(e));
            }
            Event::False | Event::True => {}
        }
    }
    let weights: Vec<u32> = elems
        .iter()
        .map(|el| match el {
            Elem::Basic(_) => 1,
            Elem::Module(x) => done.get(x).and_then(|r| r.min_order).unwrap_or(u32::MAX),
        })
        .collect();
    let mut b = Bdd::with_limit(*remaining);
    let mut value: HashMap<u32, bdd::Ref> = HashMap::new();
    let input_value = |b: &mut Bdd, value: &HashMap<u32, bdd::Ref>, x: u32| -> bdd::Ref {
        match t.events[x as usize] {
            Event::False => bdd::FALSE,
            Event::True => bdd::TRUE,
            _ => {
                if let Some(&v) = value.get(&x) {
                    return v;
                }
                match level_of.get(&x) {
                    Some(&l) if weights[l as usize] != u32::MAX => b.var(l),
                    _ => bdd::FALSE,
                }
            }
        }
    };
    // Gates in index order: inputs before the gates that use them.
    gates.sort_unstable();
    for &g in &gates {
        if let Event::Gate { k, inputs } = &t.events[g as usize] {
            let ins: Vec<bdd::Ref> = inputs
                .iter()
                .map(|&x| input_value(&mut b, &value, x))
                .collect();
            let f = b.at_least(*k as usize, &ins);
            value.insert(g, f);
        }
        if b.over_budget() {
            return Err(Refused::Nodes {
                budget: budget.max_nodes,
            });
        }
    }
    let top = value.get(&m).copied().unwrap_or(bdd::FALSE);
    let mut z = Zbdd::with_limit(weights, remaining.saturating_sub(b.entries()));
    let sol = z.minsol(&b, top, order);
    if z.over_budget() {
        return Err(Refused::Nodes {
            budget: budget.max_nodes,
        });
    }
    *remaining = remaining.saturating_sub(b.entries() + z.entries());
    let count = z.fold(sol, counts.zero(), counts.unit(), |l, lo, hi| {
        let w = match elems.get(l as usize) {
            Some(Elem::Module(x)) => done
                .get(x)
                .map_or_else(|| counts.zero(), |r| r.count.clone()),
            _ => counts.basic(),
        };
        counts.add(lo, &counts.mul(hi, &w))
    });
    let mut sets = Vec::new();
    if counts.total(&count) <= budget.max_sets as u128 {
        z.for_each_set(sol, &mut |s| {
            sets.push(s.iter().map(|&l| elems[l as usize]).collect());
        });
    }
    stats.modules += 1;
    stats.bdd_nodes += b.len();
    stats.zbdd_nodes += z.len();
    Ok(ModuleResult {
        min_order: z.min_weight(sol),
        sets,
        count,
    })
}

fn level(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// The cut sets of the root over basic events, of order at most `order`: every
/// module's family is built bottom-up (a module's sub-modules have smaller indices),
/// each consumed by its one parent, so no recursion however deep modules nest.
///
/// # Complexity
/// Linear in the size of the families built (each product is built once).
fn expand_all(
    root: u32,
    order: u32,
    is_module: &[bool],
    mut results: HashMap<u32, ModuleResult>,
) -> Vec<Vec<u32>> {
    let min_of: HashMap<u32, u32> = results
        .iter()
        .map(|(&m, r)| (m, r.min_order.unwrap_or(u32::MAX)))
        .collect();
    let mut families: HashMap<u32, Vec<Vec<u32>>> = HashMap::new();
    for (m, &is) in is_module.iter().enumerate() {
        let m = level(m);
        if !is {
            continue;
        }
        let Some(r) = results.remove(&m) else {
            continue;
        };
        let family = expand_one(&r, order, &min_of, &mut families);
        families.insert(m, family);
        if m == root {
            break;
        }
    }
    families.remove(&root).unwrap_or_default()
}

/// One module's family from its own sets and its sub-modules' families (removed
/// from `families`: each module has one parent).
fn expand_one(
    r: &ModuleResult,
    order: u32,
    min_of: &HashMap<u32, u32>,
    families: &mut HashMap<u32, Vec<Vec<u32>>>,
) -> Vec<Vec<u32>> {
    let min_of = |x: u32| min_of.get(&x).copied().unwrap_or(u32::MAX);
    let mut subs_used: HashMap<u32, Vec<Vec<u32>>> = HashMap::new();
    let mut uses: HashMap<u32, usize> = HashMap::new();
    for set in &r.sets {
        for e in set {
            if let Elem::Module(x) = e {
                *uses.entry(*x).or_default() += 1;
                if !subs_used.contains_key(x) {
                    subs_used.insert(*x, families.remove(x).unwrap_or_default());
                }
            }
        }
    }
    let mut out: Vec<Vec<u32>> = Vec::new();
    for set in &r.sets {
        // A set that is one sub-module used nowhere else: its family is moved, not
        // copied (nested ORs, a chain of them, stay linear). Its sets all fit, since
        // every family is built within `order`.
        if let [Elem::Module(x)] = set.as_slice()
            && uses.get(x) == Some(&1)
        {
            out.append(subs_used.get_mut(x).map_or(&mut Vec::new(), |f| f));
            continue;
        }
        let basics: Vec<u32> = set
            .iter()
            .filter_map(|e| match e {
                Elem::Basic(b) => Some(*b),
                Elem::Module(_) => None,
            })
            .collect();
        let subs: Vec<u32> = set
            .iter()
            .filter_map(|e| match e {
                Elem::Module(x) => Some(*x),
                Elem::Basic(_) => None,
            })
            .collect();
        let mut partial = vec![basics];
        for (i, &x) in subs.iter().enumerate() {
            let rest: u32 = subs[i + 1..]
                .iter()
                .map(|&y| min_of(y))
                .fold(0u32, u32::saturating_add);
            let fam: &[Vec<u32>] = subs_used.get(&x).map_or(&[], Vec::as_slice);
            let mut next = Vec::new();
            for p in &partial {
                let used = level(p.len()).saturating_add(rest);
                let Some(room) = order.checked_sub(used) else {
                    continue;
                };
                for s in fam.iter().filter(|s| level(s.len()) <= room) {
                    let mut u = p.clone();
                    u.extend_from_slice(s);
                    next.push(u);
                }
            }
            partial = next;
        }
        out.extend(partial.into_iter().filter(|p| level(p.len()) <= order));
    }
    out
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
