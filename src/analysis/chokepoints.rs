//! Chokepoints: remove each candidate alone and rank by the damage.
//!
//! Ranking (descending): capabilities failed, countries with a failed
//! capability, countries with an unknown capability, countries with a degraded one,
//! exposure (countries whose capabilities' dependency cones contain the candidate);
//! ties by id ascending. A country is counted in each column whose status one of its
//! capabilities has.
//! Candidates are every node that is not a capability (`--by node`), every
//! organization (`--by org`: an organization's removal takes everything it owns
//! through the implicit dependencies), or every jurisdiction (`--by jurisdiction`: all
//! its nodes at once; a jurisdiction never cuts its own country off).

use std::collections::BTreeSet;

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use super::NodeStatus;
use super::cascade::{Cascade, Workspace};
use super::scenario::{NodeRef, cone};
use crate::graph::{NodeIdx, World};

mod chains;

/// How candidates are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum By {
    /// Each node that is not a capability, alone.
    Node,
    /// Each organization with everything it owns.
    Org,
    /// Each jurisdiction cut off whole.
    Jurisdiction,
}

/// The damage one candidate does when removed alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Chokepoint {
    /// 1-based rank.
    pub rank: usize,
    /// Node id, or the jurisdiction code for `--by jurisdiction`.
    pub id: String,
    /// Display name (the code again for a jurisdiction).
    pub name: String,
    /// `node`, `organization` or `jurisdiction`.
    pub kind: &'static str,
    /// The candidate's jurisdiction (`null` when it has none).
    pub jurisdiction: Option<String>,
    /// How many capabilities fail.
    pub capabilities_failed: usize,
    /// How many countries lose at least one capability.
    pub countries_failed: usize,
    /// How many countries have a capability `unknown` (it works only if what the
    /// sources leave undetermined survives).
    pub countries_unknown: usize,
    /// How many countries have a capability `degraded` (it works in both readings but
    /// lost something it depends on).
    pub countries_degraded: usize,
    /// How many countries' capability cones contain the candidate.
    pub exposure: usize,
    /// The capabilities that fail, by country code then id.
    pub failed: Vec<NodeRef>,
}

/// One cell of the jurisdiction matrix: what country × jurisdiction cut-off does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cell {
    /// The worst capability status of the country after the cut-off.
    pub status: NodeStatus,
    /// Capabilities that fail.
    pub failed: Vec<NodeRef>,
    /// Capabilities that may fail (unknown dependencies).
    pub unknown: Vec<NodeRef>,
    /// Capabilities that survive with lost alternatives.
    pub degraded: Vec<NodeRef>,
}

/// A country as the matrix names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountryRef {
    /// Country code.
    pub code: String,
    /// Display name.
    pub name: String,
}

/// Countries × jurisdictions: which jurisdiction's cut-off fails which capability.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Matrix {
    /// Rows, sorted by code.
    pub countries: Vec<CountryRef>,
    /// Columns, sorted.
    pub jurisdictions: Vec<String>,
    /// `cells[row][column]`.
    pub cells: Vec<Vec<Cell>>,
}

/// The capability statuses of every country after one removal.
struct Damage {
    /// Per country, per capability (in `World::countries` order).
    statuses: Vec<Vec<NodeStatus>>,
}

impl Damage {
    fn read(world: &World, status: impl Fn(NodeIdx) -> NodeStatus) -> Damage {
        Damage {
            statuses: world
                .countries
                .iter()
                .map(|c| c.capabilities.iter().map(|&i| status(i)).collect())
                .collect(),
        }
    }
}

/// For every node, how many countries' capability cones contain it (the popcounts of
/// the sweep's country sets, [`Reach`]).
///
/// # Complexity
/// That of [`Reach::new`], plus O(V · W).
pub fn exposure(cascade: &Cascade<'_>) -> Vec<usize> {
    let reach = Reach::new(cascade);
    cascade
        .world()
        .indices()
        .map(|v| reach.exposure(v))
        .collect()
}

fn entry(
    world: &World,
    id: String,
    name: String,
    kind: &'static str,
    jurisdiction: Option<String>,
    exposure: usize,
    d: &Damage,
) -> Chokepoint {
    let mut failed = Vec::new();
    let mut countries_failed = 0;
    let mut countries_unknown = 0;
    let mut countries_degraded = 0;
    for (c, sts) in world.countries.iter().zip(&d.statuses) {
        let mut any_failed = false;
        let mut any_unknown = false;
        let mut any_degraded = false;
        for (&cap, &s) in c.capabilities.iter().zip(sts) {
            match s {
                NodeStatus::Failed => {
                    any_failed = true;
                    failed.push(NodeRef::of(world, cap));
                }
                NodeStatus::Unknown => any_unknown = true,
                NodeStatus::Degraded => any_degraded = true,
                NodeStatus::Intact => {}
            }
        }
        countries_failed += usize::from(any_failed);
        countries_unknown += usize::from(any_unknown);
        countries_degraded += usize::from(any_degraded);
    }
    Chokepoint {
        rank: 0,
        id,
        name,
        kind,
        jurisdiction,
        capabilities_failed: failed.len(),
        countries_failed,
        countries_unknown,
        countries_degraded,
        exposure,
        failed,
    }
}

fn sort_and_rank(mut v: Vec<Chokepoint>) -> Vec<Chokepoint> {
    v.sort_by(|a, b| {
        b.capabilities_failed
            .cmp(&a.capabilities_failed)
            .then(b.countries_failed.cmp(&a.countries_failed))
            .then(b.countries_unknown.cmp(&a.countries_unknown))
            .then(b.countries_degraded.cmp(&a.countries_degraded))
            .then(b.exposure.cmp(&a.exposure))
            .then_with(|| a.id.cmp(&b.id))
    });
    for (k, c) in v.iter_mut().enumerate() {
        c.rank = k + 1;
    }
    v
}

/// Where each node is listed as a capability: `slots[start[v]..start[v + 1]]` are the
/// (country index, position in its `capabilities`) of node `v`.
struct CapSlots {
    start: Vec<u32>,
    slots: Vec<(u32, u32)>,
    /// Bit `v` is set when node `v` is listed anywhere (a compact test, 1 bit a node).
    listed: Vec<u64>,
}

impl CapSlots {
    /// # Complexity
    /// O(V + K) for K listings (a counting sort by node).
    fn new(world: &World) -> CapSlots {
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

    fn listed(&self, v: usize) -> bool {
        self.listed[v / 64] & (1 << (v % 64)) != 0
    }

    fn of(&self, v: usize) -> &[(u32, u32)] {
        &self.slots[self.start[v] as usize..self.start[v + 1] as usize]
    }
}

fn small(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Country bit sets: for every node, the countries with a capability that depends on
/// it (the node itself included) — the countries whose capability cones contain it.
/// Word `w` of node `v` is `bits[v * words + w]`; country `c` is bit `c % 64` of word
/// `c / 64`.
struct Reach {
    words: usize,
    bits: Vec<u64>,
    /// Per layer bit ([`crate::graph::layer_bit`]), the union of the sets of the owners
    /// of the open `unknown` groups of that layer: what a removal that could be that
    /// layer fails at once in the pessimistic reading.
    always: [Vec<u64>; 8],
    /// Bit `v`: node `v` is in some capability cone (its set is not empty).
    in_cone: Vec<u64>,
}

impl Reach {
    /// # Complexity
    /// O(Σ_c (V_c + E_c) + V · W) for W = ⌈countries / 64⌉ words per node: one walk
    /// down each country's capability cone (V_c nodes, E_c edges), over the
    /// cascade's compressed dependency rows, with one shared stamp array.
    fn new(cascade: &Cascade<'_>) -> Reach {
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

    fn of(&self, v: NodeIdx) -> &[u64] {
        &self.bits[v.index() * self.words..(v.index() + 1) * self.words]
    }

    /// `out = reach(v) ∪ always(layers v could be)`: every country a removal of `v`
    /// alone reaches. O(W).
    fn reached(&self, cascade: &Cascade<'_>, v: NodeIdx, out: &mut [u64]) {
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
    fn in_cone(&self, v: NodeIdx) -> bool {
        self.in_cone[v.index() / 64] & (1 << (v.index() % 64)) != 0
    }

    /// How many countries' capability cones contain `v`.
    fn exposure(&self, v: NodeIdx) -> usize {
        self.of(v).iter().map(|w| w.count_ones() as usize).sum()
    }
}

fn set_bit(set: &mut [u64], c: u32) {
    set[(c / 64) as usize] |= 1 << (c % 64);
}

fn clear_bit(set: &mut [u64], c: u32) {
    set[(c / 64) as usize] &= !(1 << (c % 64));
}

fn popcount(set: &[u64]) -> usize {
    set.iter().map(|w| w.count_ones() as usize).sum()
}

fn intersects(a: &[u64], b: &[u64]) -> bool {
    a.iter().zip(b).any(|(x, y)| x & y != 0)
}

/// The damage counts of one candidate.
#[derive(Debug, Clone)]
struct Counted<'w> {
    candidate: NodeIdx,
    /// Where the candidate's id is (read only to break ties: most rows never are).
    world: &'w World,
    exposure: usize,
    capabilities_failed: usize,
    countries_failed: usize,
    countries_unknown: usize,
    countries_degraded: usize,
    /// Failed capabilities as (country index, position), sorted (shared by the
    /// links of a chain, see [`chains`]).
    failed: std::sync::Arc<Vec<(u32, u32)>>,
}

impl Counted<'_> {
    /// The ranking order: most damaging first, ties by id.
    fn order(&self, other: &Self) -> std::cmp::Ordering {
        other
            .capabilities_failed
            .cmp(&self.capabilities_failed)
            .then(other.countries_failed.cmp(&self.countries_failed))
            .then(other.countries_unknown.cmp(&self.countries_unknown))
            .then(other.countries_degraded.cmp(&self.countries_degraded))
            .then(other.exposure.cmp(&self.exposure))
            .then_with(|| {
                let id = |c: &Self| c.world.node(c.candidate).id.as_str();
                id(self).cmp(id(other))
            })
    }
}

/// A [`Counted`] ordered by rank, for the bounded heap of `--top`: the greatest is
/// the one ranked last.
struct Ranked<'w>(Counted<'w>);

impl PartialEq for Ranked<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.order(&other.0).is_eq()
    }
}
impl Eq for Ranked<'_> {}
impl PartialOrd for Ranked<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ranked<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.order(&other.0)
    }
}

/// Per-thread scratch of the sweep: the cascade workspace, country sets of W words,
/// and the stamps of the upward walk (reset by bumping the epoch).
struct Scratch {
    ws: Workspace,
    /// Countries with a capability that depends on a failed node.
    reached: Vec<u64>,
    /// Countries with a failed capability.
    failed: Vec<u64>,
    /// Countries with an unknown capability.
    unknown: Vec<u64>,
    /// Countries with a degraded capability.
    degraded: Vec<u64>,
    /// For a candidate in no capability cone, whose damage depends only on the layers
    /// it could be (the open `unknown`s it puts at risk): (countries unknown, countries
    /// degraded) by [`Cascade::could_be`] mask, once computed.
    by_mask: Vec<Option<(usize, usize)>>,
    /// Countries still to decide by the walk.
    open: Vec<u64>,
    stamp: Vec<u32>,
    epoch: u32,
    stack: Vec<NodeIdx>,
    /// Nodes visited: the failures plus the nodes the walk reached.
    visited: u64,
}

impl Scratch {
    fn new(words: usize) -> Scratch {
        Scratch {
            ws: Workspace::new(),
            reached: vec![0; words],
            failed: vec![0; words],
            unknown: vec![0; words],
            degraded: vec![0; words],
            by_mask: vec![None; 256],
            open: vec![0; words],
            stamp: Vec::new(),
            epoch: 0,
            stack: Vec::new(),
            visited: 0,
        }
    }
}

/// Evaluates the removal of `i` alone and counts the damage.
///
/// The failures come from [`Cascade::failures_in`] (O(what fails)). The countries are
/// then read without the upward closure of the failures (which, for a supplier used
/// everywhere, is most of the graph): a country is degraded iff one of its
/// capabilities depends on a failure (pessimistic reading) without failing itself
/// (optimistic reading). Every failure depends on `i` or on an owner of an open
/// `unknown` that `i` could be (failure only travels to dependents), so the countries
/// reached are exactly `reach(i) ∪ reach.always[layers i could be]`, read in O(W). A reached country with no failed
/// capability is degraded; one with a failed capability and no unknown one is decided
/// by a walk up from the failures that enters only nodes whose [`Reach`] meets the
/// still-undecided countries and stops as soon as none is left. Worst case the closure
/// (as before); usually a few nodes.
fn count_one<'w>(
    cascade: &Cascade<'w>,
    slots: &CapSlots,
    reach: &Reach,
    sc: &mut Scratch,
    i: NodeIdx,
) -> Counted<'w> {
    let no_cone = reach.of(i).iter().all(|&w| w == 0);
    let mask = usize::from(cascade.could_be(i));
    if no_cone {
        // In no capability cone: no capability depends on it, so none fails, and what
        // happens inside the cones (the open `unknown`s it could be failing in the
        // pessimistic reading) depends only on the layers it could be: one cascade per
        // mask, then no cascade needed. (23,530 of the 40,140 candidates of the
        // benchmark world.)
        reach.reached(cascade, i, &mut sc.reached);
        let counts = if sc.reached.iter().all(|&w| w == 0) {
            Some((0, 0))
        } else {
            sc.by_mask[mask]
        };
        if let Some((countries_unknown, countries_degraded)) = counts {
            return Counted {
                candidate: i,
                world: cascade.world(),
                exposure: 0,
                capabilities_failed: 0,
                countries_failed: 0,
                countries_unknown,
                countries_degraded,
                failed: std::sync::Arc::new(Vec::new()),
            };
        }
    }
    // Only the nodes in some capability cone matter to the counts, and that union
    // is closed under dependencies: the cascade need not leave it.
    cascade.failures_in(&mut sc.ws, &[i], |v| reach.in_cone(v));
    reach.reached(cascade, i, &mut sc.reached);
    sc.failed.fill(0);
    sc.unknown.fill(0);
    sc.degraded.fill(0);
    let mut failed = Vec::new();
    for v in sc.ws.affected() {
        if !slots.listed(v.index()) {
            continue;
        }
        let here = slots.of(v.index());
        let is_failed = sc.ws.status(v) == NodeStatus::Failed;
        for &(ci, pos) in here {
            if is_failed {
                set_bit(&mut sc.failed, ci);
                failed.push((ci, pos));
            } else {
                set_bit(&mut sc.unknown, ci);
            }
        }
    }
    sc.visited += sc.ws.affected().len() as u64;
    let mut undecided = false;
    for w in 0..sc.reached.len() {
        // A reached country with neither a failed nor an unknown capability has a
        // degraded one; the others are decided by the walk.
        let (r, f, u) = (sc.reached[w], sc.failed[w], sc.unknown[w]);
        sc.degraded[w] = r & !f & !u;
        sc.open[w] = r & (f | u);
        undecided |= sc.open[w] != 0;
    }
    if undecided {
        walk_up(cascade, slots, reach, sc);
    }
    failed.sort_unstable();
    let (countries_unknown, countries_degraded) = (popcount(&sc.unknown), popcount(&sc.degraded));
    if no_cone {
        sc.by_mask[mask] = Some((countries_unknown, countries_degraded));
    }
    Counted {
        candidate: i,
        world: cascade.world(),
        exposure: reach.exposure(i),
        capabilities_failed: failed.len(),
        countries_failed: popcount(&sc.failed),
        countries_unknown,
        countries_degraded,
        failed: std::sync::Arc::new(failed),
    }
}

/// Walks up from the frontier of the last evaluation in `sc.ws` (the working nodes
/// with a failed member, [`Workspace::frontier`]), never into a failure, entering only
/// nodes whose reach meets `sc.open`; every node entered works in both readings and
/// depends on a failure, so the countries of a capability met are degraded and leave
/// `sc.open`. Stops as soon as `sc.open` is empty.
fn walk_up(cascade: &Cascade<'_>, slots: &CapSlots, reach: &Reach, sc: &mut Scratch) {
    let Scratch {
        ws,
        degraded,
        open,
        stamp,
        epoch,
        stack,
        visited,
        ..
    } = sc;
    let n = cascade.world().len();
    if stamp.len() != n {
        *stamp = vec![0; n];
        *epoch = 0;
    }
    *epoch = epoch.wrapping_add(1);
    if *epoch == 0 {
        stamp.fill(0);
        *epoch = 1;
    }
    let epoch = *epoch;
    stack.clear();
    // Enters `u` unless seen or irrelevant; true when no country is left open.
    let mut enter = |u: NodeIdx, stack: &mut Vec<NodeIdx>| -> bool {
        let s = &mut stamp[u.index()];
        if *s == epoch {
            return false;
        }
        *s = epoch;
        if !intersects(reach.of(u), open) {
            return false;
        }
        *visited += 1;
        if slots.listed(u.index()) {
            for &(ci, _) in slots.of(u.index()) {
                set_bit(degraded, ci);
                clear_bit(open, ci);
            }
            if open.iter().all(|&w| w == 0) {
                return true;
            }
        }
        stack.push(u);
        false
    };
    for u in ws.frontier() {
        if enter(u, stack) {
            return;
        }
    }
    while let Some(v) = stack.pop() {
        for u in cascade.dependents_of(v) {
            if ws.status(u) == NodeStatus::Intact && enter(u, stack) {
                return;
            }
        }
    }
}

/// Ranks single nodes (`By::Node`: every non-capability node; `By::Org`: every
/// organization) by the damage their removal alone does, in parallel, keeping the
/// first `top` rows.
///
/// # Complexity
/// O((V + E) · W) for the country bit sets ([`Reach`], which also give the exposure),
/// O(V + E) for the chains of hard links ([`chains::representatives`]: a candidate
/// whose only dependent needs it hard does that dependent's damage), then for each of
/// the R ≤ N distinct representatives its failures (O(what fails), see
/// [`Cascade::failures_in`]) and their countries, O(F · W) for F failures, plus a
/// pruned walk up from them only when a country with a failed capability may also
/// have a degraded one: O(Σ failures + walks) in total, at most the sum of the
/// removals' cones of dependents, spread over the rayon pool in chunks (one
/// workspace per chunk, no allocation per candidate unless it fails a capability);
/// then O(N log k) to keep the first k rows in a bounded heap (O(N log N) for all),
/// and the names and failed lists of the rows kept. On a chain of N links, R = 1: O(N)
/// instead of the O(N²) of one cascade per link.
pub fn rank_nodes(cascade: &Cascade<'_>, orgs_only: bool) -> Vec<Chokepoint> {
    rank_nodes_top(cascade, orgs_only, None).0
}

/// [`rank_nodes`] keeping the first `top` rows; also returns the number of candidates
/// and the number of nodes the sweep visited (failures plus the walks).
fn rank_nodes_top(
    cascade: &Cascade<'_>,
    orgs_only: bool,
    top: Option<usize>,
) -> (Vec<Chokepoint>, usize, u64) {
    let world = cascade.world();
    let slots = CapSlots::new(world);
    let reach = Reach::new(cascade);
    let candidates: Vec<NodeIdx> = world
        .indices()
        .filter(|i| slots.of(i.index()).is_empty() && (!orgs_only || world.node(*i).is_org()))
        .collect();
    // Cascade once per representative of a chain of hard links ([`chains`]); every
    // candidate then reads its representative's counts and its own exposure.
    let rep = chains::representatives(world, |v| slots.listed(v.index()), |v| cascade.could_be(v));
    let mut work: Vec<NodeIdx> = candidates.iter().map(|c| rep[c.index()]).collect();
    work.sort_unstable();
    work.dedup();
    // One worker per thread, each with one scratch (its workspace is as large as the
    // world), taking the next run of representatives from a shared counter until none
    // is left: balanced however the heavy ones are spread.
    const RUN: usize = 8;
    let threads = rayon::current_num_threads().max(1);
    let next = AtomicUsize::new(0);
    let touched = AtomicU64::new(0);
    let keep = top.unwrap_or(usize::MAX);
    let parts: Vec<Vec<Counted>> = (0..threads)
        .into_par_iter()
        .map(|_| {
            let mut sc = Scratch::new(reach.words);
            let mut done = Vec::new();
            loop {
                let from = next.fetch_add(RUN, Ordering::Relaxed);
                let Some(run) = work.get(from..(from + RUN).min(work.len())) else {
                    break;
                };
                for &i in run {
                    done.push(count_one(cascade, &slots, &reach, &mut sc, i));
                }
            }
            touched.fetch_add(sc.visited, Ordering::Relaxed);
            done
        })
        .collect();
    let mut of_rep: Vec<Option<Counted>> = (0..world.len()).map(|_| None).collect();
    for c in parts.into_iter().flatten() {
        let at = c.candidate.index();
        of_rep[at] = Some(c);
    }
    let mut heap = std::collections::BinaryHeap::new();
    let mut all = Vec::new();
    for &i in &candidates {
        let Some(r) = &of_rep[rep[i.index()].index()] else {
            continue;
        };
        let c = Counted {
            candidate: i,
            world,
            exposure: reach.exposure(i),
            capabilities_failed: r.capabilities_failed,
            countries_failed: r.countries_failed,
            countries_unknown: r.countries_unknown,
            countries_degraded: r.countries_degraded,
            failed: std::sync::Arc::clone(&r.failed),
        };
        if top.is_none() {
            all.push(c);
        } else if heap.len() < keep {
            heap.push(Ranked(c));
        } else if heap.peek().is_some_and(|worst| c.order(&worst.0).is_lt()) {
            heap.pop();
            heap.push(Ranked(c));
        }
    }
    let parts = [all, heap.into_iter().map(|r| r.0).collect()];
    let total = candidates.len();
    let mut rows: Vec<Counted> = parts.into_iter().flatten().collect();
    // Ids are unique, so an unstable order is deterministic.
    rows.par_sort_unstable_by(Counted::order);
    rows.truncate(keep);
    let touched = touched.into_inner();
    let ranking = rows
        .into_iter()
        .enumerate()
        .map(|(k, c)| {
            let n = world.node(c.candidate);
            Chokepoint {
                rank: k + 1,
                id: n.id.clone(),
                name: n.name.clone(),
                kind: if n.is_org() { "organization" } else { "node" },
                jurisdiction: n.jurisdiction.clone(),
                capabilities_failed: c.capabilities_failed,
                countries_failed: c.countries_failed,
                countries_unknown: c.countries_unknown,
                countries_degraded: c.countries_degraded,
                exposure: c.exposure,
                failed: c
                    .failed
                    .iter()
                    .map(|&(ci, pos)| {
                        NodeRef::of(
                            world,
                            world.countries[ci as usize].capabilities[pos as usize],
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    (ranking, total, touched)
}

/// Every jurisdiction of the world's nodes, sorted.
pub fn jurisdictions(world: &World) -> Vec<String> {
    world
        .indices()
        .filter_map(|i| world.node(i).jurisdiction.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// Cuts off each jurisdiction whole and returns the ranking and the matrix of
/// countries × jurisdictions. A country is never cut off from its own jurisdiction:
/// its row in its own column is intact.
///
/// # Complexity
/// One cascade per jurisdiction J (O(V) to select its nodes plus O(touched)), in
/// parallel, and O(C·K) per jurisdiction to fill the matrix.
pub fn rank_jurisdictions(cascade: &Cascade<'_>) -> (Vec<Chokepoint>, Matrix) {
    let world = cascade.world();
    let js = jurisdictions(world);
    let cones: Vec<Vec<NodeIdx>> = world
        .countries
        .iter()
        .map(|c| cone(world, &c.capabilities))
        .collect();
    let results: Vec<(Chokepoint, Vec<Cell>)> = js
        .par_iter()
        .map_init(Workspace::new, |ws, j| {
            let removed: Vec<NodeIdx> = world
                .indices()
                .filter(|&i| world.node(i).jurisdiction.as_deref() == Some(j.as_str()))
                .collect();
            cascade.evaluate_in(ws, &removed);
            let mut d = Damage::read(world, |c| ws.status(c));
            let mut exposure = 0;
            for (ci, c) in world.countries.iter().enumerate() {
                if &c.code == j {
                    // Not cut off from itself: nothing is removed for this destination.
                    for s in &mut d.statuses[ci] {
                        *s = NodeStatus::Intact;
                    }
                } else if cones[ci]
                    .iter()
                    .any(|&i| world.node(i).jurisdiction.as_deref() == Some(j.as_str()))
                {
                    exposure += 1;
                }
            }
            let cells = world
                .countries
                .iter()
                .zip(&d.statuses)
                .map(|(c, sts)| {
                    let pick = |want: NodeStatus| {
                        c.capabilities
                            .iter()
                            .zip(sts)
                            .filter(|(_, s)| **s == want)
                            .map(|(&i, _)| NodeRef::of(world, i))
                            .collect::<Vec<_>>()
                    };
                    Cell {
                        status: sts.iter().copied().max().unwrap_or(NodeStatus::Intact),
                        failed: pick(NodeStatus::Failed),
                        unknown: pick(NodeStatus::Unknown),
                        degraded: pick(NodeStatus::Degraded),
                    }
                })
                .collect();
            let row = entry(
                world,
                j.clone(),
                j.clone(),
                "jurisdiction",
                Some(j.clone()),
                exposure,
                &d,
            );
            (row, cells)
        })
        .collect();
    let mut columns: Vec<Vec<Cell>> = Vec::with_capacity(results.len());
    let mut rows = Vec::with_capacity(results.len());
    for (r, cells) in results {
        rows.push(r);
        columns.push(cells);
    }
    let cells: Vec<Vec<Cell>> = (0..world.countries.len())
        .map(|ci| columns.iter().map(|col| col[ci].clone()).collect())
        .collect();
    let matrix = Matrix {
        countries: world
            .countries
            .iter()
            .map(|c| CountryRef {
                code: c.code.clone(),
                name: c.name.clone(),
            })
            .collect(),
        jurisdictions: js,
        cells,
    };
    (sort_and_rank(rows), matrix)
}

/// The full chokepoint analysis, as plain data for outputs and reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Chokepoints {
    /// How candidates were grouped.
    pub by: By,
    /// How many candidates were evaluated.
    pub candidates: usize,
    /// The ranking, best-ranked (most damaging) first, cut to `--top`.
    pub ranking: Vec<Chokepoint>,
    /// For `--by jurisdiction`: countries × jurisdictions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matrix: Option<Matrix>,
    /// How many nodes the candidates' cascades touched in total (the sweep's work,
    /// for benchmarks; 0 when not counted). Not part of the JSON output.
    #[serde(skip)]
    pub touched: u64,
}

/// Runs the analysis for `by`, keeping the first `top` rows (all when `None`).
pub fn chokepoints(cascade: &Cascade<'_>, by: By, top: Option<usize>) -> Chokepoints {
    let (ranking, candidates, matrix, touched) = match by {
        By::Node | By::Org => {
            let (r, total, touched) = rank_nodes_top(cascade, by == By::Org, top);
            (r, total, None, touched)
        }
        By::Jurisdiction => {
            let (mut r, m) = rank_jurisdictions(cascade);
            let total = r.len();
            if let Some(n) = top {
                r.truncate(n);
            }
            (r, total, Some(m), 0)
        }
    };
    Chokepoints {
        by,
        candidates,
        ranking,
        matrix,
        touched,
    }
}
