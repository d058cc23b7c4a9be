//! The bit sets of the chokepoint sweep (`fixedbitset`): where each node is listed as
//! a capability, and for every node the countries whose capability cones contain it.

use fixedbitset::{Block, FixedBitSet};

use super::super::cascade::Cascade;
use crate::graph::{NodeIdx, World};

/// Bits in a block of a [`FixedBitSet`].
const BITS: usize = Block::BITS as usize;

/// Where each node is listed as a capability: `slots[start[v]..start[v + 1]]` are the
/// (country index, position in its `capabilities`) of node `v`.
pub(super) struct CapSlots {
    pub(super) start: Vec<u32>,
    pub(super) slots: Vec<(u32, u32)>,
    /// Node `v` is listed anywhere (a compact test, 1 bit a node).
    pub(super) listed: FixedBitSet,
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
        let mut listed = FixedBitSet::with_capacity(world.len());
        for v in 0..world.len() {
            listed.set(v, start[v + 1] > start[v]);
        }
        CapSlots {
            start,
            slots,
            listed,
        }
    }

    pub(super) fn listed(&self, v: usize) -> bool {
        self.listed.contains(v)
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
/// One [`FixedBitSet`] holds them all, a row of `words` blocks per node: country `c`
/// of node `v` is bit `v * words * BITS + c`, so a row is a slice of blocks that
/// reads against a country set ([`Reach::country_set`]) without a copy.
pub(super) struct Reach {
    pub(super) words: usize,
    pub(super) bits: FixedBitSet,
    /// Per layer bit ([`crate::graph::layer_bit`]), the union of the sets of the owners
    /// of the open `unknown` groups of that layer: what a removal that could be that
    /// layer fails at once in the pessimistic reading.
    pub(super) always: [FixedBitSet; 8],
    /// Node `v` is in some capability cone (its set is not empty).
    pub(super) in_cone: FixedBitSet,
}

impl Reach {
    /// # Complexity
    /// O(Σ_c (V_c + E_c) + V · W) for W = ⌈countries / 64⌉ words per node: one walk
    /// down each country's capability cone (V_c nodes, E_c edges), over the
    /// cascade's compressed dependency rows, with one shared stamp array.
    pub(super) fn new(cascade: &Cascade<'_>) -> Reach {
        let world = cascade.world();
        let words = world.countries.len().div_ceil(BITS).max(1);
        let row = words * BITS;
        let mut bits = FixedBitSet::with_capacity(world.len() * row);
        let mut stamp = vec![u32::MAX; world.len()];
        let mut stack: Vec<NodeIdx> = Vec::new();
        for (ci, c) in world.countries.iter().enumerate() {
            let stamp_ci = small(ci);
            for &r in &c.capabilities {
                if stamp[r.index()] != stamp_ci {
                    stamp[r.index()] = stamp_ci;
                    stack.push(r);
                }
            }
            while let Some(v) = stack.pop() {
                bits.insert(v.index() * row + ci);
                for d in cascade.dependencies_of(v) {
                    if stamp[d.index()] != stamp_ci {
                        stamp[d.index()] = stamp_ci;
                        stack.push(d);
                    }
                }
            }
        }
        let mut reach = Reach {
            words,
            bits,
            always: std::array::from_fn(|_| FixedBitSet::new()),
            in_cone: FixedBitSet::with_capacity(world.len()),
        };
        reach.always = std::array::from_fn(|bit| {
            let mut always = reach.country_set();
            for e in cascade.risky_unknown_owners(1 << bit) {
                for (a, x) in always.as_mut_slice().iter_mut().zip(reach.of(e)) {
                    *a |= x;
                }
            }
            always
        });
        for v in world.indices() {
            let in_cone = reach
                .bits
                .contains_any_in_range(v.index() * row..(v.index() + 1) * row);
            reach.in_cone.set(v.index(), in_cone);
        }
        reach
    }

    /// An empty set of countries, as wide as a row.
    pub(super) fn country_set(&self) -> FixedBitSet {
        FixedBitSet::with_capacity(self.words * BITS)
    }

    /// The row of `v`: the blocks of its country set.
    pub(super) fn of(&self, v: NodeIdx) -> &[Block] {
        &self.bits.as_slice()[v.index() * self.words..(v.index() + 1) * self.words]
    }

    /// `out = reach(v) ∪ always(layers v could be)`: every country a removal of `v`
    /// alone reaches. O(W).
    pub(super) fn reached(&self, cascade: &Cascade<'_>, v: NodeIdx, out: &mut FixedBitSet) {
        out.as_mut_slice().copy_from_slice(self.of(v));
        let mask = cascade.could_be(v);
        for (bit, always) in self.always.iter().enumerate() {
            if mask & (1 << bit) != 0 {
                out.union_with(always);
            }
        }
    }

    /// Whether the country set of `v` meets `set`. O(W).
    pub(super) fn meets(&self, v: NodeIdx, set: &FixedBitSet) -> bool {
        self.of(v)
            .iter()
            .zip(set.as_slice())
            .any(|(x, y)| x & y != 0)
    }

    /// Whether `v` is in some capability cone (a compact bit, 1 per node).
    pub(super) fn in_cone(&self, v: NodeIdx) -> bool {
        self.in_cone.contains(v.index())
    }

    /// How many countries' capability cones contain `v`.
    pub(super) fn exposure(&self, v: NodeIdx) -> usize {
        let row = self.words * BITS;
        self.bits.count_ones(v.index() * row..(v.index() + 1) * row)
    }
}
