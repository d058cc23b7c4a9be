//! A small reduced ordered BDD package (no complement edges) for monotone functions.
//!
//! Nodes live in one arena with a unique table (hash-consing), so equal functions are
//! the same [`Ref`]; `and`/`or` are memoised in a computed table. Variables are levels
//! `0..n`, level 0 at the top.
//!
//! # Complexity
//! `apply(f, g)` is O(|f|·|g|) in the worst case (Bryant 1986); with the computed table
//! each pair of nodes is visited once. Its recursion is as deep as the number of
//! levels below `f` and `g` (the caller sizes the stack for it, see
//! `cutsets::minimal_cut_sets_within`). A manager made with [`Bdd::with_limit`] stops
//! at a number of entries (nodes plus memo entries) instead of exhausting memory.

use rustc_hash::FxHashMap;

use super::arena::{Arena, Node};

/// A BDD node: `0` is false, `1` is true, others index the arena.
pub type Ref = u32;

/// The false terminal.
pub const FALSE: Ref = 0;
/// The true terminal.
pub const TRUE: Ref = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Op {
    And,
    Or,
}

/// A BDD manager: the arena, the unique table and the computed table.
#[derive(Debug)]
pub struct Bdd {
    arena: Arena,
    computed: FxHashMap<(Op, Ref, Ref), Ref>,
    /// Most entries (nodes plus computed-table entries) this manager may hold.
    limit: usize,
    /// Set once `limit` was reached: every operation then returns [`FALSE`] at once,
    /// and the result is meaningless (the caller reports the budget).
    over: bool,
}

impl Default for Bdd {
    fn default() -> Self {
        Self::new()
    }
}

impl Bdd {
    /// An empty manager.
    pub fn new() -> Bdd {
        Bdd {
            arena: Arena::new(),
            computed: FxHashMap::default(),
            limit: usize::MAX,
            over: false,
        }
    }

    /// An empty manager that stops at `limit` entries (nodes plus memo entries).
    pub fn with_limit(limit: usize) -> Bdd {
        Bdd {
            limit,
            ..Bdd::new()
        }
    }

    /// Whether the entry limit was reached (the results are then meaningless).
    pub fn over_budget(&self) -> bool {
        self.over
    }

    /// Entries held: nodes plus computed-table entries.
    pub fn entries(&self) -> usize {
        self.arena.nodes.len() + self.computed.len()
    }

    /// Number of nodes made so far (terminals included).
    pub fn len(&self) -> usize {
        self.arena.nodes.len()
    }

    /// Whether only the terminals exist.
    pub fn is_empty(&self) -> bool {
        self.arena.nodes.len() == 2
    }

    /// The level of `f` (`u32::MAX` for a terminal).
    pub fn level(&self, f: Ref) -> u32 {
        self.arena.nodes[f as usize].level
    }

    /// The low (variable false) child of `f`.
    pub fn lo(&self, f: Ref) -> Ref {
        self.arena.nodes[f as usize].lo
    }

    /// The high (variable true) child of `f`.
    pub fn hi(&self, f: Ref) -> Ref {
        self.arena.nodes[f as usize].hi
    }

    fn make(&mut self, level: u32, lo: Ref, hi: Ref) -> Ref {
        if lo == hi {
            return lo;
        }
        let full = self.entries() >= self.limit;
        self.arena
            .intern(Node { level, lo, hi }, full)
            .unwrap_or_else(|| {
                self.over = true;
                FALSE
            })
    }

    /// The function that is true iff variable `level` is true.
    pub fn var(&mut self, level: u32) -> Ref {
        self.make(level, FALSE, TRUE)
    }

    /// Conjunction.
    pub fn and(&mut self, f: Ref, g: Ref) -> Ref {
        self.apply(Op::And, f, g)
    }

    /// Disjunction.
    pub fn or(&mut self, f: Ref, g: Ref) -> Ref {
        self.apply(Op::Or, f, g)
    }

    fn apply(&mut self, op: Op, f: Ref, g: Ref) -> Ref {
        if self.over {
            return FALSE;
        }
        match op {
            Op::And => {
                if f == FALSE || g == FALSE {
                    return FALSE;
                }
                if f == TRUE || f == g {
                    return g;
                }
                if g == TRUE {
                    return f;
                }
            }
            Op::Or => {
                if f == TRUE || g == TRUE {
                    return TRUE;
                }
                if f == FALSE || f == g {
                    return g;
                }
                if g == FALSE {
                    return f;
                }
            }
        }
        let (f, g) = if f < g { (f, g) } else { (g, f) };
        if let Some(&r) = self.computed.get(&(op, f, g)) {
            return r;
        }
        let (nf, ng) = (self.arena.nodes[f as usize], self.arena.nodes[g as usize]);
        let level = nf.level.min(ng.level);
        let (f0, f1) = if nf.level == level {
            (nf.lo, nf.hi)
        } else {
            (f, f)
        };
        let (g0, g1) = if ng.level == level {
            (ng.lo, ng.hi)
        } else {
            (g, g)
        };
        let lo = self.apply(op, f0, g0);
        let hi = self.apply(op, f1, g1);
        let r = self.make(level, lo, hi);
        self.computed.insert((op, f, g), r);
        r
    }

    /// "At least `k` of `inputs` are true", built by the threshold recursion
    /// `T(i, j) = x_i ∧ T(i+1, j−1) ∨ T(i+1, j)`.
    ///
    /// The inputs are taken in the order of their top variables, and combined from the
    /// deepest up, so each step puts a variable above what is built so far: for
    /// single variables an OR or AND of n of them costs O(n) nodes and operations.
    /// (Folding in the other direction rebuilt the whole chain at every step: a node
    /// needing 10,000 leaves made 50 million BDD nodes, N² memory.)
    ///
    /// # Complexity
    /// O(n log n) to order the inputs, then O(n·k) apply operations (each O(1) for
    /// variable inputs).
    pub fn at_least(&mut self, k: usize, inputs: &[Ref]) -> Ref {
        let n = inputs.len();
        if k == 0 {
            return TRUE;
        }
        if k > n {
            return FALSE;
        }
        // Folding the deepest inputs first keeps each step at the top of the result
        // (an OR of n variables is n steps of one node each, not n²/2).
        let mut deepest_first = inputs.to_vec();
        deepest_first.sort_by_key(|&x| std::cmp::Reverse(self.level(x)));
        if k == 1 {
            return deepest_first.iter().fold(FALSE, |acc, &x| self.or(acc, x));
        }
        if k == n {
            return deepest_first.iter().fold(TRUE, |acc, &x| self.and(acc, x));
        }
        // row[j] = at least j of inputs[i..]; start with i = n.
        let mut row = vec![FALSE; k + 1];
        row[0] = TRUE;
        for i in (0..n).rev() {
            // Iterate j downwards so row[j-1] is still the value for i+1.
            let top = k.min(n - i);
            for j in (1..=top).rev() {
                let with = self.and(inputs[i], row[j - 1]);
                row[j] = self.or(with, row[j]);
            }
        }
        row[k]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(b: &Bdd, mut f: Ref, assignment: &[bool]) -> bool {
        while f > TRUE {
            f = if assignment[b.level(f) as usize] {
                b.hi(f)
            } else {
                b.lo(f)
            };
        }
        f == TRUE
    }

    #[test]
    fn threshold_matches_counting() {
        let mut b = Bdd::new();
        let xs: Vec<Ref> = (0..5).map(|i| b.var(i)).collect();
        for k in 0..=6 {
            let f = b.at_least(k, &xs);
            for m in 0u32..32 {
                let a: Vec<bool> = (0..5).map(|i| m >> i & 1 == 1).collect();
                assert_eq!(eval(&b, f, &a), m.count_ones() as usize >= k, "k={k} m={m}");
            }
        }
    }

    #[test]
    fn canonical() {
        let mut b = Bdd::new();
        let (x, y) = (b.var(0), b.var(1));
        let f = b.and(x, y);
        let g = b.and(y, x);
        assert_eq!(f, g);
        let h = b.or(f, x);
        assert_eq!(h, x);
    }
}
