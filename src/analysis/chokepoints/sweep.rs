//! The node sweep: every candidate removed alone, in parallel, its damage counted
//! from the country bit sets without the upward closure of its failures.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use rayon::prelude::*;

use super::chains;
use fixedbitset::FixedBitSet;

use super::reach::{CapSlots, Reach};
use super::{CandidateKind, Chokepoint};
use crate::analysis::NodeStatus;
use crate::analysis::cascade::{Cascade, Workspace};
use crate::analysis::scenario::NodeRef;
use crate::graph::{NodeIdx, World};

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
    reached: FixedBitSet,
    /// Countries with a failed capability.
    failed: FixedBitSet,
    /// Countries with an unknown capability.
    unknown: FixedBitSet,
    /// Countries with a degraded capability.
    degraded: FixedBitSet,
    /// For a candidate in no capability cone, whose damage depends only on the layers
    /// it could be (the open `unknown`s it puts at risk): (countries unknown, countries
    /// degraded) by [`Cascade::could_be`] mask, once computed.
    by_mask: Vec<Option<(usize, usize)>>,
    /// Countries still to decide by the walk.
    open: FixedBitSet,
    stamp: Vec<u32>,
    epoch: u32,
    stack: Vec<NodeIdx>,
    /// Nodes visited: the failures plus the nodes the walk reached.
    visited: u64,
}

impl Scratch {
    fn new(reach: &Reach) -> Scratch {
        Scratch {
            ws: Workspace::new(),
            reached: reach.country_set(),
            failed: reach.country_set(),
            unknown: reach.country_set(),
            degraded: reach.country_set(),
            by_mask: vec![None; 256],
            open: reach.country_set(),
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
    let no_cone = !reach.in_cone(i);
    let mask = usize::from(cascade.could_be(i));
    if no_cone {
        // In no capability cone: no capability depends on it, so none fails, and what
        // happens inside the cones (the open `unknown`s it could be failing in the
        // pessimistic reading) depends only on the layers it could be: one cascade per
        // mask, then no cascade needed. (23,530 of the 40,140 candidates of the
        // benchmark world.)
        reach.reached(cascade, i, &mut sc.reached);
        let counts = if sc.reached.is_clear() {
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
    sc.failed.clear();
    sc.unknown.clear();
    let mut failed = Vec::new();
    for v in sc.ws.affected() {
        if !slots.listed(v.index()) {
            continue;
        }
        let here = slots.of(v.index());
        let is_failed = sc.ws.status(v) == NodeStatus::Failed;
        for &(ci, pos) in here {
            if is_failed {
                sc.failed.insert(ci as usize);
                failed.push((ci, pos));
            } else {
                sc.unknown.insert(ci as usize);
            }
        }
    }
    sc.visited += sc.ws.affected().len() as u64;
    // A reached country with neither a failed nor an unknown capability has a
    // degraded one; the others are decided by the walk.
    sc.degraded.clone_from(&sc.reached);
    sc.degraded.difference_with(&sc.failed);
    sc.degraded.difference_with(&sc.unknown);
    sc.open.clone_from(&sc.failed);
    sc.open.union_with(&sc.unknown);
    sc.open.intersect_with(&sc.reached);
    if !sc.open.is_clear() {
        walk_up(cascade, slots, reach, sc);
    }
    failed.sort_unstable();
    let (countries_unknown, countries_degraded) =
        (sc.unknown.count_ones(..), sc.degraded.count_ones(..));
    if no_cone {
        sc.by_mask[mask] = Some((countries_unknown, countries_degraded));
    }
    Counted {
        candidate: i,
        world: cascade.world(),
        exposure: reach.exposure(i),
        capabilities_failed: failed.len(),
        countries_failed: sc.failed.count_ones(..),
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
        if !reach.meets(u, open) {
            return false;
        }
        *visited += 1;
        if slots.listed(u.index()) {
            for &(ci, _) in slots.of(u.index()) {
                degraded.insert(ci as usize);
                open.remove(ci as usize);
            }
            if open.is_clear() {
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
pub(super) fn rank_nodes_top(
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
            let mut sc = Scratch::new(&reach);
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
                kind: if n.is_org() {
                    CandidateKind::Organization
                } else {
                    CandidateKind::Node
                },
                node: Some(c.candidate),
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
