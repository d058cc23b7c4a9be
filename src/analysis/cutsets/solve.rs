//! Solving a simplified fault tree: its modules one by one (a BDD, then the minimal
//! solutions into a ZBDD, counted before they are enumerated), expanded back into
//! sets of basic events.

use std::collections::{HashMap, HashSet};

use super::bdd::{self, Bdd};
use super::modules;
use super::tree::{Event, FaultTree};
use super::zbdd::Zbdd;
use super::{Budget, Refused, Solution, Stats};

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

/// [`minimal_cut_sets_within`] on a simplified tree.
pub(super) fn solve(t: &FaultTree, budget: &Budget) -> Result<Solution, Refused> {
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

pub(super) fn level(i: usize) -> u32 {
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
