//! The bit sets of the chokepoint sweep: where each node is listed as a capability,
//! and for every node the countries whose capability cones contain it.

use super::super::cascade::Cascade;
use crate::graph::{NodeIdx, World};

/// Where each node is listed as a capability: `slots[start[v]..start[v + 1]]` are the
/// (country index, position in its `capabilities`) of node `v`.
pub(super) struct CapSlots {
    pub(super) start: Vec<u32>,
    pub(super) slots: Vec<(u32, u32)>,
    /// Bit `v` is set when node `v` is listed anywhere (a compact test, 1 bit a node).
    pub(super) listed: Vec<u64>,
}

impl CapSlots {
    /// # Complexity
    /// O(V + K) for K listings (a counting sort by node).
    pub(super) fn new(world: &World) -> CapSlots {
        let mut start = vec![0u32; world.len() + 1];
        for c in &world.countries {
            for &cap in &c.capabilities {
                start[cap.index() + 1] += 1;
            }
        }
        for v in 0..world.len() {
            start[v + 1] += start[v];
        }
        let mut fill = start.clone();
        let mut slots = vec![(0, 0); start[world.len()] as usize];
        for (ci, c) in world.countries.iter().enumerate() {
            for (pos, &cap) in c.capabilities.iter().enumerate() {
                let f = &mut fill[cap.index()];
                slots[*f as usize] = (small(ci), small(pos));
                *f += 1;
            }
        }
        let mut listed = vec![0u64; world.len().div_ceil(64)];
        for v in 0..world.len() {
            if start[v + 1] > start[v] {
                listed[v / 64] |= 1 << (v % 64);
            }
        }
        CapSlots {
            start,
            slots,
            listed,
        }
    }

    pub(super) fn listed(&self, v: usize) -> bool {
        self.listed[v / 64] & (1 << (v % 64)) != 0
    }

    pub(super) fn of(&self, v: usize) -> &[(u32, u32)] {
        &self.slots[self.start[v] as usize..self.start[v + 1] as usize]
    }
}

pub(super) fn small(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Country bit sets: for every node, the countries with a capability that depends on
/// it (the node itself included) — the countries whose capability cones contain it.
/// Word `w` of node `v` is `bits[v * words + w]`; country `c` is bit `c % 64` of word
/// `c / 64`.
pub(super) struct Reach {
    pub(super) words: usize,
    pub(super) bits: Vec<u64>,
    /// Per layer bit ([`crate::graph::layer_bit`]), the union of the sets of the owners
    /// of the open `unknown` groups of that layer: what a removal that could be that
    /// layer fails at once in the pessimistic reading.
    pub(super) always: [Vec<u64>; 8],
    /// Bit `v`: node `v` is in some capability cone (its set is not empty).
    pub(super) in_cone: Vec<u64>,
}

impl Reach {
    /// # Complexity
    /// O(Σ_c (V_c + E_c) + V · W) for W = ⌈countries / 64⌉ words per node: one walk
    /// down each country's capability cone (V_c nodes, E_c edges), over the
    /// cascade's compressed dependency rows, with one shared stamp array.
    pub(super) fn new(cascade: &Cascade<'_>) -> Reach {
        let world = cascade.world();
        let words = world.countries.len().div_ceil(64).max(1);
        let mut bits = vec![0u64; world.len() * words];
        let mut stamp = vec![u32::MAX; world.len()];
        let mut stack: Vec<NodeIdx> = Vec::new();
        for (ci, c) in world.countries.iter().enumerate() {
            let ci = small(ci);
            for &r in &c.capabilities {
                if stamp[r.index()] != ci {
                    stamp[r.index()] = ci;
                    stack.push(r);
                }
            }
            while let Some(v) = stack.pop() {
                set_bit(&mut bits[v.index() * words..(v.index() + 1) * words], ci);
                for d in cascade.dependencies_of(v) {
                    if stamp[d.index()] != ci {
                        stamp[d.index()] = ci;
                        stack.push(d);
                    }
                }
            }
        }
        let always: [Vec<u64>; 8] = std::array::from_fn(|bit| {
            let mut always = vec![0u64; words];
            for e in cascade.risky_unknown_owners(1 << bit) {
                let b = e.index() * words;
                for (a, x) in always.iter_mut().zip(&bits[b..b + words]) {
                    *a |= x;
                }
            }
            always
        });
        let mut in_cone = vec![0u64; world.len().div_ceil(64)];
        for v in 0..world.len() {
            if bits[v * words..(v + 1) * words].iter().any(|&w| w != 0) {
                in_cone[v / 64] |= 1 << (v % 64);
            }
        }
        Reach {
            words,
            bits,
            always,
            in_cone,
        }
    }

    pub(super) fn of(&self, v: NodeIdx) -> &[u64] {
        &self.bits[v.index() * self.words..(v.index() + 1) * self.words]
    }

    /// `out = reach(v) ∪ always(layers v could be)`: every country a removal of `v`
    /// alone reaches. O(W).
    pub(super) fn reached(&self, cascade: &Cascade<'_>, v: NodeIdx, out: &mut [u64]) {
        out.copy_from_slice(self.of(v));
        let mask = cascade.could_be(v);
        for (bit, always) in self.always.iter().enumerate() {
            if mask & (1 << bit) != 0 {
                for (r, a) in out.iter_mut().zip(always) {
                    *r |= a;
                }
            }
        }
    }

    /// Whether `v` is in some capability cone (a compact bit, 1 per node).
    pub(super) fn in_cone(&self, v: NodeIdx) -> bool {
        self.in_cone[v.index() / 64] & (1 << (v.index() % 64)) != 0
    }

    /// How many countries' capability cones contain `v`.
    pub(super) fn exposure(&self, v: NodeIdx) -> usize {
        self.of(v).iter().map(|w| w.count_ones() as usize).sum()
    }
}

pub(super) fn set_bit(set: &mut [u64], c: u32) {
    set[(c / 64) as usize] |= 1 << (c % 64);
}

pub(super) fn clear_bit(set: &mut [u64], c: u32) {
    set[(c / 64) as usize] &= !(1 << (c % 64));
}

pub(super) fn popcount(set: &[u64]) -> usize {
    set.iter().map(|w| w.count_ones() as usize).sum()
}

pub(super) fn intersects(a: &[u64], b: &[u64]) -> bool {
    a.iter().zip(b).any(|(x, y)| x & y != 0)
}
