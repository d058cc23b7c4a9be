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
use std::rc::Rc;

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
    sets: Vec<Vec<Elem>>,
    min_order: Option<u32>,
}

/// The minimal cut sets of `tree` of order at most `max_order`.
///
/// # Arguments
/// - `tree`: a monotone fault tree (it is simplified first);
/// - `max_order`: the largest order wanted; it bounds the minimal-solutions recursion
///   (a branch whose cheapest completion exceeds it is never explored) and the module
///   expansion.
///
/// # Returns
/// Every minimal cut set within the limit, each sorted, the list sorted by order.
///
/// # Complexity
/// Exponential in the worst case (the number of minimal cut sets can be); in practice
/// bounded by the BDD sizes of the modules under the depth-first variable order and by
/// the output size.
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
/// # References
/// A. Rauzy, "New algorithms for fault trees analysis", Reliability Engineering and
/// System Safety 40 (1993); S. Minato, "Zero-suppressed BDDs for set manipulation in
/// combinatorial problems", DAC 1993; Y. Dutuit, A. Rauzy, "A linear-time algorithm to
/// find modules of fault trees", IEEE Trans. Reliability 45 (1996).
pub fn minimal_cut_sets(tree: &FaultTree, max_order: Option<usize>) -> Solution {
    let t = tree.simplified();
    let budget = max_order.map_or(u32::MAX, |k| u32::try_from(k).unwrap_or(u32::MAX));
    let mut stats = Stats {
        events: t.events.len(),
        ..Stats::default()
    };
    let mut sets = match t.events.get(t.root as usize) {
        None | Some(Event::False) => Vec::new(),
        Some(Event::True) => vec![Vec::new()],
        Some(Event::Basic(b)) => {
            if budget >= 1 {
                vec![vec![*b]]
            } else {
                Vec::new()
            }
        }
        Some(Event::Gate { .. }) => {
            let is_module = modules::find(&t);
            let mut results: HashMap<u32, ModuleResult> = HashMap::new();
            for (m, &is) in is_module.iter().enumerate() {
                if is {
                    let m = u32::try_from(m).unwrap_or(u32::MAX);
                    let r = solve_module(&t, m, &is_module, &results, budget, &mut stats);
                    results.insert(m, r);
                }
            }
            let mut memo = HashMap::new();
            expand(t.root, budget, &results, &mut memo).to_vec()
        }
    };
    for s in &mut sets {
        s.sort_unstable();
    }
    sets.sort_unstable_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    Solution { sets, stats }
}

/// Solves module `m`: a BDD over its basic events and sub-module stand-ins, then the
/// ZBDD of its minimal solutions within `budget`.
fn solve_module(
    t: &FaultTree,
    m: u32,
    is_module: &[bool],
    done: &HashMap<u32, ModuleResult>,
    budget: u32,
    stats: &mut Stats,
) -> ModuleResult {
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
    let mut b = Bdd::new();
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
    }
    let top = value.get(&m).copied().unwrap_or(bdd::FALSE);
    let mut z = Zbdd::new(weights);
    let sol = z.minsol(&b, top, budget);
    let mut sets = Vec::new();
    z.for_each_set(sol, &mut |s| {
        sets.push(s.iter().map(|&l| elems[l as usize]).collect());
    });
    stats.modules += 1;
    stats.bdd_nodes += b.len();
    stats.zbdd_nodes += z.len();
    ModuleResult {
        min_order: z.min_weight(sol),
        sets,
    }
}

fn level(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

type Family = Rc<Vec<Vec<u32>>>;

/// The cut sets of module `m` over basic events, of order at most `budget`.
///
/// # Complexity
/// Linear in the size of the output (each product is built once per budget).
fn expand(
    m: u32,
    budget: u32,
    results: &HashMap<u32, ModuleResult>,
    memo: &mut HashMap<(u32, u32), Family>,
) -> Family {
    if let Some(f) = memo.get(&(m, budget)) {
        return Rc::clone(f);
    }
    let mut out: Vec<Vec<u32>> = Vec::new();
    if let Some(r) = results.get(&m) {
        let min_of = |x: u32| {
            results
                .get(&x)
                .and_then(|r| r.min_order)
                .unwrap_or(u32::MAX)
        };
        for set in &r.sets {
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
                let mut next = Vec::new();
                for p in &partial {
                    let used = level(p.len()).saturating_add(rest);
                    let Some(room) = budget.checked_sub(used) else {
                        continue;
                    };
                    let fam = expand(x, room, results, memo);
                    for s in fam.iter() {
                        let mut u = p.clone();
                        u.extend_from_slice(s);
                        next.push(u);
                    }
                }
                partial = next;
            }
            out.extend(partial.into_iter().filter(|p| level(p.len()) <= budget));
        }
    }
    let f = Rc::new(out);
    memo.insert((m, budget), Rc::clone(&f));
    f
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

/// The minimal sets of candidate nodes whose joint removal fails `target`.
///
/// # Errors
/// When the cone's cycles are too large to unroll (see [`tree::translate`]).
///
/// # Complexity
/// That of [`translate`] plus that of [`minimal_cut_sets`], plus sorting the output.
pub fn cut_sets(
    world: &World,
    target: &Target,
    is_candidate: &[bool],
    max_order: Option<usize>,
) -> Result<CutSets, String> {
    let tr = translate(world, target, is_candidate)?;
    let sol = minimal_cut_sets(&tr.tree, max_order);
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
