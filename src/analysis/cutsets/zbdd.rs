//! Zero-suppressed BDDs (Minato 1993) for families of sets, and Rauzy's minimal
//! solutions of a monotone BDD with an order bound that prunes during the recursion.
//!
//! A ZBDD node `(v, lo, hi)` is the family `lo ∪ { S ∪ {v} : S ∈ hi }`; the terminals
//! are [`EMPTY`] (no set) and [`BASE`] (only the empty set). A node whose `hi` is
//! [`EMPTY`] is never made (zero suppression), so each family has one representation.
//!
//! Why not `oxidd` or `biodivine-lib-bdd`: the algorithm needs two operations that
//! neither offers, Rauzy's `minsol` (from a BDD to the ZBDD of its minimal solutions)
//! and `without` (drop the sets that contain a set of another family), each memoised on
//! a key that includes the remaining order budget. biodivine-lib-bdd has no ZBDDs at
//! all; oxidd has ZBDD managers but exposes neither operation, and writing them on top
//! of its generic manager API would mean a second cache keyed by `(node, budget)`
//! outside the manager anyway. The two operations over our own arenas are ~150 lines.

use rustc_hash::FxHashMap;

use super::arena::{Arena, Node};
use super::bdd::{self, Bdd};

/// A ZBDD node: [`EMPTY`], [`BASE`] or an index into the arena.
pub type Zref = u32;

/// The empty family ∅.
pub const EMPTY: Zref = 0;
/// The family {∅}.
pub const BASE: Zref = 1;

/// A ZBDD manager with the memo tables of `minsol` and `without`.
#[derive(Debug)]
pub struct Zbdd {
    arena: Arena,
    minsol: FxHashMap<(bdd::Ref, u32), Zref>,
    without: FxHashMap<(Zref, Zref), Zref>,
    /// Weight of each level: the order a member adds to a set (1 for a candidate,
    /// the least order of a module's cut sets for a module's stand-in).
    weights: Vec<u32>,
    /// Most entries (nodes plus memo entries) this manager may hold.
    limit: usize,
    /// Set once `limit` was reached: every operation then returns [`EMPTY`] at once.
    over: bool,
}

impl Zbdd {
    /// A manager for variables with these weights (by level).
    pub fn new(weights: Vec<u32>) -> Zbdd {
        Zbdd {
            arena: Arena::new(),
            minsol: FxHashMap::default(),
            without: FxHashMap::default(),
            weights,
            limit: usize::MAX,
            over: false,
        }
    }

    /// A manager that stops at `limit` entries (nodes plus memo entries).
    pub fn with_limit(weights: Vec<u32>, limit: usize) -> Zbdd {
        Zbdd {
            limit,
            ..Zbdd::new(weights)
        }
    }

    /// Whether the entry limit was reached (the results are then meaningless).
    pub fn over_budget(&self) -> bool {
        self.over
    }

    /// Entries held: nodes plus memo entries.
    pub fn entries(&self) -> usize {
        self.arena.nodes.len() + self.minsol.len() + self.without.len()
    }

    /// Number of nodes made (terminals included).
    pub fn len(&self) -> usize {
        self.arena.nodes.len()
    }

    /// Whether only the terminals exist.
    pub fn is_empty(&self) -> bool {
        self.arena.nodes.len() == 2
    }

    fn make(&mut self, level: u32, lo: Zref, hi: Zref) -> Zref {
        if hi == EMPTY {
            return lo;
        }
        let full = self.entries() >= self.limit;
        self.arena
            .intern(Node { level, lo, hi }, full)
            .unwrap_or_else(|| {
                self.over = true;
                EMPTY
            })
    }

    fn weight(&self, level: u32) -> u32 {
        self.weights.get(level as usize).copied().unwrap_or(1)
    }

    /// The minimal solutions of the monotone function `f` whose weight is at most
    /// `budget` (Rauzy 1993):
    /// `minsol(x ? f1 : f0) = minsol(f0) ∪ x·(minsol(f1) without minsol(f0))`.
    ///
    /// The budget is passed down (`budget − w(x)` on the high branch), so branches that
    /// cannot yield a set within the order limit are never explored.
    ///
    /// # Complexity
    /// One visit per (BDD node, remaining budget) pair, each doing one `without`. The
    /// recursion (and `without`'s) is as deep as the levels below `f`, at most three
    /// frames per level; the caller sizes the stack for it.
    pub fn minsol(&mut self, b: &Bdd, f: bdd::Ref, budget: u32) -> Zref {
        if f == bdd::FALSE || self.over {
            return EMPTY;
        }
        if f == bdd::TRUE {
            return BASE;
        }
        if budget == 0 {
            // f is monotone and not constant: f(∅) = 0, so every solution is non-empty.
            return EMPTY;
        }
        if let Some(&r) = self.minsol.get(&(f, budget)) {
            return r;
        }
        let level = b.level(f);
        let lo = self.minsol(b, b.lo(f), budget);
        let w = self.weight(level);
        let hi = if w > budget {
            EMPTY
        } else {
            let h = self.minsol(b, b.hi(f), budget - w);
            self.without(h, lo)
        };
        let r = self.make(level, lo, hi);
        self.minsol.insert((f, budget), r);
        r
    }

    fn has_empty_set(&self, mut q: Zref) -> bool {
        while q > BASE {
            q = self.arena.nodes[q as usize].lo;
        }
        q == BASE
    }

    /// The sets of `p` that contain no set of `q` (Rauzy's `without`).
    ///
    /// # Complexity
    /// O(|p|·|q|) with the memo table.
    pub fn without(&mut self, p: Zref, q: Zref) -> Zref {
        if self.over {
            return EMPTY;
        }
        if q == EMPTY || p == EMPTY {
            return p;
        }
        if q == BASE || p == q {
            return EMPTY;
        }
        if p == BASE {
            return if self.has_empty_set(q) { EMPTY } else { BASE };
        }
        if let Some(&r) = self.without.get(&(p, q)) {
            return r;
        }
        let (np, nq) = (self.arena.nodes[p as usize], self.arena.nodes[q as usize]);
        let r = if np.level < nq.level {
            let lo = self.without(np.lo, q);
            let hi = self.without(np.hi, q);
            self.make(np.level, lo, hi)
        } else if np.level > nq.level {
            self.without(p, nq.lo)
        } else {
            let lo = self.without(np.lo, nq.lo);
            let h = self.without(np.hi, nq.hi);
            let hi = self.without(h, nq.lo);
            self.make(np.level, lo, hi)
        };
        self.without.insert((p, q), r);
        r
    }

    /// The least weight of a set of `f` (`None` for the empty family).
    ///
    /// # Complexity
    /// O(nodes below `f`'s index): one pass over the arena, children first (a node's
    /// children are always made before it), so no recursion.
    pub fn min_weight(&self, f: Zref) -> Option<u32> {
        let up = (f as usize).min(self.arena.nodes.len().saturating_sub(1));
        let mut best: Vec<Option<u32>> = vec![None; up + 1];
        if let Some(b) = best.get_mut(BASE as usize) {
            *b = Some(0);
        }
        for i in 2..=up {
            let n = self.arena.nodes[i];
            let lo = best[n.lo as usize];
            let hi = best[n.hi as usize].map(|h| h.saturating_add(self.weight(n.level)));
            best[i] = match (lo, hi) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        if f == EMPTY {
            None
        } else {
            best.get(f as usize).copied().flatten()
        }
    }

    /// For every node up to `f`, folds its family bottom-up: `empty` and `base` for
    /// the terminals, `node(level, lo, hi)` for a node from its children's values.
    /// Returns the value of `f`.
    ///
    /// # Complexity
    /// O(nodes below `f`'s index) calls of `node`, no recursion.
    pub fn fold<T: Clone>(
        &self,
        f: Zref,
        empty: T,
        base: T,
        mut node: impl FnMut(u32, &T, &T) -> T,
    ) -> T {
        let up = (f as usize).min(self.arena.nodes.len().saturating_sub(1));
        let mut val: Vec<T> = Vec::with_capacity(up + 1);
        val.push(empty);
        val.push(base);
        for i in 2..=up {
            let n = self.arena.nodes[i];
            let v = node(n.level, &val[n.lo as usize], &val[n.hi as usize]);
            val.push(v);
        }
        val.swap_remove(f as usize)
    }

    /// Calls `visit` with every set of `f` (as levels, ascending).
    ///
    /// # Complexity
    /// O(total size of the sets), one path per set; an explicit stack, no recursion.
    pub fn for_each_set(&self, f: Zref, visit: &mut impl FnMut(&[u32])) {
        enum Step {
            Visit(Zref),
            Push(u32),
            Pop,
        }
        let mut path: Vec<u32> = Vec::new();
        let mut stack = vec![Step::Visit(f)];
        while let Some(step) = stack.pop() {
            match step {
                Step::Visit(EMPTY) => {}
                Step::Visit(BASE) => visit(&path),
                Step::Visit(g) => {
                    let n = self.arena.nodes[g as usize];
                    // The low branch, then the level pushed, the high branch, popped.
                    stack.extend([Step::Pop, Step::Visit(n.hi), Step::Push(n.level)]);
                    stack.push(Step::Visit(n.lo));
                }
                Step::Push(level) => path.push(level),
                Step::Pop => {
                    path.pop();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sets(z: &Zbdd, f: Zref) -> Vec<Vec<u32>> {
        let mut out = Vec::new();
        z.for_each_set(f, &mut |s| out.push(s.to_vec()));
        out.sort();
        out
    }

    #[test]
    fn minimal_solutions_of_a_small_function() {
        // f = x0 x1 ∨ x1 x2 ∨ x0 x1 x2 ∨ x3
        let mut b = Bdd::new();
        let x: Vec<_> = (0..4).map(|i| b.var(i)).collect();
        let a = b.and(x[0], x[1]);
        let c = b.and(x[1], x[2]);
        let d = b.and(a, x[2]);
        let f = [a, c, d, x[3]]
            .into_iter()
            .fold(bdd::FALSE, |acc, g| b.or(acc, g));
        let mut z = Zbdd::new(vec![1; 4]);
        let m = z.minsol(&b, f, u32::MAX);
        assert_eq!(sets(&z, m), vec![vec![0, 1], vec![1, 2], vec![3]]);
        let m1 = z.minsol(&b, f, 1);
        assert_eq!(sets(&z, m1), vec![vec![3]]);
        assert_eq!(z.min_weight(m), Some(1));
    }
}
