//! The failure cascade: what falls when blocks are pulled.
//!
//! Semantics (ARCHITECTURE.md, "The failure semantics"): a [`Group`](crate::graph::Group) holds when
//! at least `need` of its members work; a node works iff it is not removed and all its
//! groups hold; the result is the *greatest* fixpoint, so a cycle of mutual dependence
//! stays up unless something in it falls. An `unknown` group is read twice:
//!
//! - optimistic: a closed list (`among` with `closed: true`) holds if any candidate
//!   works; an open one (no list, or a list that may miss the real dependency) always
//!   holds;
//! - pessimistic: it holds only if every candidate works and, for an open one, no
//!   removal of this destination *could be it*: none removes a node of its layer, an
//!   owner of one, or (through the nodes it removes) a jurisdiction holding one
//!   ([`World::could_be`]); an `unknown` of no stated layer could be any removal.
//!
//! A node failed in the optimistic reading is [`NodeStatus::Failed`]; failed only in
//! the pessimistic reading, [`NodeStatus::Unknown`]; working in both but with a
//! failed or unknown node in its dependency cone, [`NodeStatus::Degraded`]; otherwise
//! [`NodeStatus::Intact`].
//!
//! # Algorithm
//! Counter propagation (the linear-time propagation of Dowling & Gallier 1984 for
//! Horn formulas, generalised to threshold groups): every group counts its lost
//! members; a failure is pushed from a node to the groups that contain it, and a
//! group whose count exceeds its tolerance (`members - need`) fails its owner, which
//! is pushed in turn. Starting from "everything works" and only ever adding failures
//! yields the greatest fixpoint. Counters live in a reusable [`Workspace`] and are
//! reset only where they were touched, so a scenario costs the size of what it
//! touches, not the size of the graph.
//!
//! Removals are scoped per destination ([`Removal::scope`]): a country's cascade is
//! the world seen from that country, with only the removals that apply to it.

use std::collections::BTreeMap;

use super::NodeStatus;
use crate::graph::{NodeIdx, World};

mod outcome;
mod propagate;
mod workspace;
pub use outcome::{Destination, Outcome, Removal, ScenarioOutcome};
pub use workspace::Workspace;
use workspace::{FAILED, IS_REMOVED, NONE, TOUCHED, cause_of};

/// Why a node does not work (or may not work).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cause {
    /// The scenario removed it.
    Removed,
    /// Its group `needs[group]` lost more members than it tolerates (the first group
    /// to fail during propagation).
    Lost {
        /// Index into the node's [`crate::graph::Node::needs`].
        group: u32,
    },
}

/// The world prepared for cascades: reverse dependencies in compressed rows and every
/// group's tolerances in flat arrays. Build once per world, evaluate many scenarios.
#[derive(Debug, Clone)]
pub struct Cascade<'w> {
    world: &'w World,
    /// First global group id of each node (len V + 1).
    group_start: Vec<u32>,
    /// Owner node of each global group.
    group_owner: Vec<u32>,
    /// How many members each group may lose: [optimistic, pessimistic] reading.
    tol: Vec<[u32; 2]>,
    /// Reverse-dependency rows: `rdeps[rdep_start[v]..rdep_start[v+1]]` are the
    /// global groups that have `v` as a member, with their owners (so propagation
    /// reads one row, not the scattered group arrays, for hard groups).
    rdep_start: Vec<u32>,
    rdeps: Vec<Rdep>,
    /// Dependency rows: `deps[dep_start[v]..dep_start[v+1]]` are the members of
    /// `v`'s groups (a member once per group).
    dep_start: Vec<u32>,
    deps: Vec<u32>,
    /// Global ids of the open `unknown` groups, by the bit of their layer
    /// ([`crate::graph::layer_bit`]; index 7 = no stated layer).
    open_unknown: [Vec<u32>; 8],
    /// Per node, the layers its removal could take away ([`World::could_be`]).
    could_be: Vec<u8>,
}

/// One membership seen from the member: the group, its owner and its tolerances.
/// A group with tolerances `[0, 0]` is *hard*: it fails its owner at the first lost
/// member in both readings (a plain required dependency, an `org` or `parent`), and
/// propagation keeps no counter for it.
#[derive(Debug, Clone, Copy)]
struct Rdep {
    group: u32,
    owner: u32,
    /// The group's tolerances [optimistic, pessimistic] when both fit below
    /// [`FAR`]; else `[FAR, FAR]` and they are read from [`Cascade::tol`].
    tol: [u16; 2],
}

/// See [`Rdep::tol`].
const FAR: u16 = u16::MAX;

impl<'w> Cascade<'w> {
    /// Prepares `world` for cascades.
    ///
    /// # Complexity
    /// O(V + E) time and memory for V nodes and E group memberships (edges).
    pub fn new(world: &'w World) -> Cascade<'w> {
        let n = world.len();
        let mut group_start = Vec::with_capacity(n + 1);
        let mut group_owner = Vec::new();
        let mut tol_opt = Vec::new();
        let mut tol_pes = Vec::new();
        let mut open_unknown: [Vec<u32>; 8] = Default::default();
        let mut indeg = vec![0u32; n + 1];
        let mut dep_start = Vec::with_capacity(n + 1);
        let mut deps = Vec::new();
        for i in world.indices() {
            dep_start.push(len_u32(deps.len()));
            group_start.push(len_u32(group_owner.len()));
            for g in &world.node(i).needs {
                let id = len_u32(group_owner.len());
                group_owner.push(len_u32(i.index()));
                let t = g.tolerance();
                tol_opt.push(t);
                tol_pes.push(if g.is_unknown() { 0 } else { t });
                if g.is_open_unknown() {
                    let bit = crate::graph::layer_bit(g.unknown_layer());
                    open_unknown[bit.trailing_zeros() as usize].push(id);
                }
                for m in &g.members {
                    indeg[m.index()] += 1;
                    deps.push(len_u32(m.index()));
                }
            }
        }
        dep_start.push(len_u32(deps.len()));
        group_start.push(len_u32(group_owner.len()));
        // Counting sort of memberships into rows by member.
        let mut rdep_start = vec![0u32; n + 1];
        for v in 0..n {
            rdep_start[v + 1] = rdep_start[v] + indeg[v];
        }
        let mut fill = rdep_start.clone();
        let mut rdeps = vec![
            Rdep {
                group: 0,
                owner: 0,
                tol: [0, 0],
            };
            rdep_start[n] as usize
        ];
        for i in world.indices() {
            let base = group_start[i.index()];
            for (k, g) in world.node(i).needs.iter().enumerate() {
                let id = base + len_u32(k);
                let (o, p) = (tol_opt[id as usize], tol_pes[id as usize]);
                let tol = match (u16::try_from(o), u16::try_from(p)) {
                    (Ok(o), Ok(p)) if o < FAR && p < FAR => [o, p],
                    _ => [FAR, FAR],
                };
                for m in &g.members {
                    let slot = &mut fill[m.index()];
                    rdeps[*slot as usize] = Rdep {
                        group: id,
                        owner: len_u32(i.index()),
                        tol,
                    };
                    *slot += 1;
                }
            }
        }
        Cascade {
            world,
            group_start,
            group_owner,
            tol: tol_opt
                .iter()
                .zip(&tol_pes)
                .map(|(&o, &p)| [o, p])
                .collect(),
            rdep_start,
            rdeps,
            dep_start,
            deps,
            open_unknown,
            could_be: world.could_be(),
        }
    }

    /// The layers (a [`crate::graph::layer_bit`] mask) that removing `removed` could
    /// take away: 0 when nothing is removed.
    fn risk_mask(&self, removed: &[u32]) -> u8 {
        removed.iter().fold(0, |m, &v| {
            m | self.could_be.get(v as usize).copied().unwrap_or(0)
        })
    }

    /// The open `unknown` groups put at risk by removals of layer mask `mask`.
    fn risky(&self, mask: u8) -> impl Iterator<Item = u32> + '_ {
        (0..8)
            .filter(move |b| mask & (1 << b) != 0)
            .flat_map(move |b| self.open_unknown[b].iter().copied())
    }

    /// The layers removing `v` alone could take away, as a
    /// [`crate::graph::layer_bit`] mask.
    pub fn could_be(&self, v: NodeIdx) -> u8 {
        self.could_be.get(v.index()).copied().unwrap_or(0)
    }

    /// The owners of the open `unknown` groups a removal of layer mask `mask` puts at
    /// risk: the nodes the pessimistic reading fails at once.
    pub fn risky_unknown_owners(&self, mask: u8) -> impl Iterator<Item = NodeIdx> + '_ {
        self.risky(mask)
            .map(|g| NodeIdx::new(self.group_owner[g as usize] as usize))
    }

    /// The world this cascade evaluates.
    pub fn world(&self) -> &'w World {
        self.world
    }

    fn rdeps_of(&self, v: u32) -> &[Rdep] {
        let v = v as usize;
        &self.rdeps[self.rdep_start[v] as usize..self.rdep_start[v + 1] as usize]
    }

    /// Evaluates the removal of `removed` into `ws` (read it with
    /// [`Workspace::status`] and [`Workspace::affected`]). Duplicates are harmless,
    /// and the order of `removed` never matters (causes included).
    ///
    /// # Complexity
    /// O(R log R + U + Σ out(v)) over the nodes v that end up failed, unknown or degraded,
    /// where R = |removed|, U is the number of open `unknown` groups of the layers the
    /// removals could be (failed at once in the pessimistic reading) and out(v) is the number
    /// of groups v belongs to: the cost of what the scenario touches, independent of
    /// the size of the graph. No allocation once the workspace has grown to the world.
    pub fn evaluate_in(&self, ws: &mut Workspace, removed: &[NodeIdx]) {
        self.failures::<true>(ws, removed, |_| true);
        // Degraded: the upward closure of everything failed in the pessimistic reading.
        ws.queue.clear();
        for k in 0..ws.touched.len() {
            let v = ws.touched[k];
            if ws.flags[v as usize] & FAILED != 0 {
                ws.flags[v as usize] |= TOUCHED;
                ws.queue.push(v);
            }
        }
        while let Some(v) = ws.queue.pop() {
            for r in self.rdeps_of(v) {
                let u = r.owner;
                if ws.flags[u as usize] & TOUCHED == 0 {
                    ws.mark(u, TOUCHED);
                    ws.queue.push(u);
                }
            }
        }
    }

    /// Evaluates the failures of `removed` in both readings into `ws`, without the
    /// degraded closure: afterwards [`Workspace::affected`] lists exactly the nodes that
    /// fail in the pessimistic reading (which include the optimistic failures), and
    /// [`Workspace::status`] reads [`NodeStatus::Failed`] or [`NodeStatus::Unknown`] on
    /// them and [`NodeStatus::Intact`] everywhere else — nodes that only depend on a
    /// failure are not marked `Degraded`. Causes are not recorded. For sweeps that
    /// read the closure more cheaply themselves (the chokepoint ranking does, with
    /// country bit sets).
    ///
    /// Only the nodes for which `within` holds are followed: pass a set closed under
    /// dependencies (every dependency of a node in it is in it, as a union of
    /// capability cones is) and the outcome is exact on it — a node's status depends
    /// on its dependencies only — while nothing outside it is visited or marked.
    /// `|_| true` follows everything.
    ///
    /// # Complexity
    /// O(R log R + U + Σ out(v)) over the nodes v that fail in either reading (see
    /// [`Cascade::evaluate_in`]), within the set.
    pub fn failures_in(
        &self,
        ws: &mut Workspace,
        removed: &[NodeIdx],
        within: impl Fn(NodeIdx) -> bool,
    ) {
        self.failures::<false>(ws, removed, |u| within(NodeIdx::new(u as usize)));
    }

    /// Both readings' failures, recording causes when `CAUSES`, following only the
    /// nodes `within` accepts.
    fn failures<const CAUSES: bool>(
        &self,
        ws: &mut Workspace,
        removed: &[NodeIdx],
        within: impl Fn(u32) -> bool,
    ) {
        ws.fit(self.world.len(), self.group_owner.len());
        ws.clear();
        ws.causes = CAUSES;
        ws.evaluated = true;
        let mut list = std::mem::take(&mut ws.removed);
        list.clear();
        list.extend(
            removed
                .iter()
                .map(|i| len_u32(i.index()))
                .filter(|&v| (v as usize) < ws.flags.len()),
        );
        // The propagation order decides which group is reported as a node's cause;
        // sorting makes the whole outcome, causes included, a function of the set.
        list.sort_unstable();
        list.dedup();
        for &v in &list {
            ws.mark(v, IS_REMOVED);
        }
        let mask = self.risk_mask(&list);
        let sensitive = self.propagate::<CAUSES>(ws, &list, false, &within, mask);
        // FAILED_OPT stands for both readings where the pessimistic pass does not
        // mark (every optimistic failure is a pessimistic one; readers test `FAILED`).
        if !CAUSES {
            self.continue_pessimistic(ws, mask, &within);
        } else if sensitive || self.risky(mask).next().is_some() {
            // A pass of its own, so that causes are those of a propagation in that
            // reading. Otherwise no group whose pessimistic tolerance differs lost a
            // member and no open `unknown` fails at once: the pessimistic
            // propagation would be the optimistic one.
            ws.clear_counters();
            self.propagate::<CAUSES>(ws, &list, true, &within, mask);
        }
        // The groups that lost a member in the pessimistic reading and still hold.
        ws.frontier.clear();
        for &(_, u) in &ws.touched_groups {
            if ws.flags[u as usize] & FAILED == 0 {
                ws.frontier.push(u);
            }
        }
        ws.clear_counters();
        ws.removed = list;
    }

    /// The direct dependencies of `v`: the members of its groups (a member once per
    /// group), from compressed rows.
    pub fn dependencies_of(&self, v: NodeIdx) -> impl ExactSizeIterator<Item = NodeIdx> + '_ {
        let v = v.index();
        self.deps[self.dep_start[v] as usize..self.dep_start[v + 1] as usize]
            .iter()
            .map(|&m| NodeIdx::new(m as usize))
    }

    /// The direct dependents of `v` as the cascade sees them: the owners of the groups
    /// `v` is a member of (an owner appears once per such group).
    pub fn dependents_of(&self, v: NodeIdx) -> impl ExactSizeIterator<Item = NodeIdx> + '_ {
        self.rdeps_of(len_u32(v.index()))
            .iter()
            .map(|r| NodeIdx::new(r.owner as usize))
    }

    /// Evaluates the removal of `removed` and returns every node's status.
    ///
    /// # Complexity
    /// [`Cascade::evaluate_in`] plus O(V) to fill the dense result.
    ///
    /// # Example
    /// ```
    /// # use jenga::analysis::{NodeStatus, cascade::Cascade};
    /// # let yaml = "organizations:\n  - {id: nvidia, name: Nvidia, jurisdiction: US}\nnodes:\n  - {id: h100, name: H100, layer: chips, org: nvidia}\n  - {id: llm, name: LLM, layer: model, needs: [h100]}\n";
    /// # let f = jenga::load::parse_bytes("t.yaml".as_ref(), yaml.into(), &Default::default()).map_err(|d| d.render(false)).unwrap();
    /// # let world = jenga::graph::build(&[f]).unwrap();
    /// let cascade = Cascade::new(&world);
    /// let nvidia = world.lookup("nvidia").unwrap();
    /// let outcome = cascade.evaluate(&[nvidia]);
    /// assert_eq!(outcome.status(world.lookup("llm").unwrap()), NodeStatus::Failed);
    /// ```
    pub fn evaluate(&self, removed: &[NodeIdx]) -> Outcome {
        let mut ws = Workspace::new();
        self.evaluate_in(&mut ws, removed);
        self.outcome(&ws)
    }

    /// The dense result of the last evaluation in `ws`.
    ///
    /// # Complexity
    /// O(V).
    pub fn outcome(&self, ws: &Workspace) -> Outcome {
        let n = self.world.len();
        let mut status = vec![NodeStatus::Intact; n];
        let mut removed = vec![false; n];
        let mut cause = vec![None; n];
        if ws.evaluated {
            for &v in &ws.touched {
                let vi = v as usize;
                let i = NodeIdx::new(vi);
                status[vi] = ws.status(i);
                removed[vi] = ws.flags[vi] & IS_REMOVED != 0;
                let code = match status[vi] {
                    NodeStatus::Failed => ws.cause_opt[vi],
                    NodeStatus::Unknown => ws.cause_pes[vi],
                    _ => NONE,
                };
                cause[vi] = cause_of(code, &self.group_start, vi);
            }
        }
        Outcome {
            status,
            removed,
            cause,
        }
    }

    /// Evaluates a scenario for every destination country and for the world at large.
    ///
    /// Countries whose applicable removals are the same share one evaluation.
    ///
    /// # Complexity
    /// O(C·Rm) to sort the destinations (C countries, Rm removals), then one
    /// [`Cascade::evaluate`] per distinct set of applicable removals (one when nothing
    /// is scoped and no jurisdiction is cut off from a country of its own).
    pub fn evaluate_scenario(&self, removals: &[Removal]) -> ScenarioOutcome {
        let mut views: Vec<Outcome> = Vec::new();
        let mut by_key: BTreeMap<Vec<bool>, usize> = BTreeMap::new();
        let mut ws = Workspace::new();
        let mut view_of = |dest: Destination<'_>| -> usize {
            let key: Vec<bool> = removals.iter().map(|r| r.applies_to(dest)).collect();
            *by_key.entry(key.clone()).or_insert_with(|| {
                let nodes: Vec<NodeIdx> = removals
                    .iter()
                    .zip(&key)
                    .filter(|(_, a)| **a)
                    .flat_map(|(r, _)| r.nodes.iter().copied())
                    .collect();
                self.evaluate_in(&mut ws, &nodes);
                views.push(self.outcome(&ws));
                views.len() - 1
            })
        };
        let everywhere = view_of(Destination::Everywhere);
        let countries: Vec<usize> = self
            .world
            .countries
            .iter()
            .map(|c| view_of(Destination::Country(&c.code)))
            .collect();
        ScenarioOutcome {
            views,
            everywhere,
            countries,
        }
    }
}

fn len_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests;
