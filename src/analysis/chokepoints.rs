//! Chokepoints: remove each candidate alone and rank by the damage.
//!
//! Ranking (descending): capabilities failed, countries with a failed
//! capability, countries with a degraded or unknown capability, exposure (countries
//! whose capabilities' dependency cones contain the candidate); ties by id ascending.
//! Candidates are every node that is not a capability (`--by node`), every
//! organization (`--by org`: an organization's removal takes everything it owns
//! through the implicit dependencies), or every jurisdiction (`--by jurisdiction`: all
//! its nodes at once; a jurisdiction never cuts its own country off).

use std::collections::BTreeSet;

use rayon::prelude::*;
use serde::Serialize;

use super::NodeStatus;
use super::cascade::{Cascade, Workspace};
use super::scenario::{NodeRef, cone};
use crate::graph::{NodeIdx, World};

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
    /// How many countries have a capability degraded or unknown.
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

/// For every node, how many countries' capability cones contain it.
///
/// # Complexity
/// O(C · (V' + E')) for C countries with cones of V' nodes and E' edges, with one
/// O(V) stamp array shared by all the walks (no set per country).
pub fn exposure(world: &World) -> Vec<usize> {
    let mut count = vec![0usize; world.len()];
    let mut stamp = vec![usize::MAX; world.len()];
    let mut stack: Vec<NodeIdx> = Vec::new();
    for (ci, c) in world.countries.iter().enumerate() {
        stack.clear();
        for &r in &c.capabilities {
            if stamp[r.index()] != ci {
                stamp[r.index()] = ci;
                stack.push(r);
            }
        }
        while let Some(v) = stack.pop() {
            count[v.index()] += 1;
            for d in world.dependencies(v) {
                if stamp[d.index()] != ci {
                    stamp[d.index()] = ci;
                    stack.push(d);
                }
            }
        }
    }
    count
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
    let mut countries_degraded = 0;
    for (c, sts) in world.countries.iter().zip(&d.statuses) {
        let mut any_failed = false;
        let mut any_degraded = false;
        for (&cap, &s) in c.capabilities.iter().zip(sts) {
            match s {
                NodeStatus::Failed => {
                    any_failed = true;
                    failed.push(NodeRef::of(world, cap));
                }
                NodeStatus::Unknown | NodeStatus::Degraded => any_degraded = true,
                NodeStatus::Intact => {}
            }
        }
        countries_failed += usize::from(any_failed);
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
}

impl CapSlots {
    fn new(world: &World) -> CapSlots {
        let mut per: Vec<Vec<(u32, u32)>> = vec![Vec::new(); world.len()];
        for (ci, c) in world.countries.iter().enumerate() {
            for (pos, &cap) in c.capabilities.iter().enumerate() {
                per[cap.index()].push((small(ci), small(pos)));
            }
        }
        let mut start = Vec::with_capacity(world.len() + 1);
        let mut slots = Vec::new();
        for p in per {
            start.push(small(slots.len()));
            slots.extend(p);
        }
        start.push(small(slots.len()));
        CapSlots { start, slots }
    }

    fn of(&self, v: usize) -> &[(u32, u32)] {
        &self.slots[self.start[v] as usize..self.start[v + 1] as usize]
    }
}

fn small(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The damage counts of one candidate, read from the nodes its removal touched.
#[derive(Debug, Clone)]
struct Counted<'w> {
    candidate: NodeIdx,
    id: &'w str,
    exposure: usize,
    capabilities_failed: usize,
    countries_failed: usize,
    countries_degraded: usize,
    /// Failed capabilities as (country index, position), sorted.
    failed: Vec<(u32, u32)>,
}

/// Per-thread scratch of the sweep: the cascade workspace and per-country marks that
/// are reset only where set.
struct Scratch {
    ws: Workspace,
    /// Bit 1: a capability failed; bit 2: a capability degraded or unknown.
    country: Vec<u8>,
    marked: Vec<u32>,
}

impl Scratch {
    fn new(countries: usize) -> Scratch {
        Scratch {
            ws: Workspace::new(),
            country: vec![0; countries],
            marked: Vec::new(),
        }
    }
}

/// Evaluates the removal of `i` alone and counts the damage from the touched nodes
/// only: O(touched), independent of the number of capabilities.
fn count_one<'w>(
    cascade: &Cascade<'w>,
    slots: &CapSlots,
    sc: &mut Scratch,
    i: NodeIdx,
    exposure: usize,
) -> Counted<'w> {
    cascade.evaluate_in(&mut sc.ws, &[i]);
    let mut failed = Vec::new();
    for v in sc.ws.affected() {
        let here = slots.of(v.index());
        if here.is_empty() {
            continue;
        }
        let bit = match sc.ws.status(v) {
            NodeStatus::Failed => 1,
            NodeStatus::Unknown | NodeStatus::Degraded => 2,
            NodeStatus::Intact => continue,
        };
        for &(ci, pos) in here {
            let m = &mut sc.country[ci as usize];
            if *m == 0 {
                sc.marked.push(ci);
            }
            *m |= bit;
            if bit == 1 {
                failed.push((ci, pos));
            }
        }
    }
    let (mut countries_failed, mut countries_degraded) = (0, 0);
    for &ci in &sc.marked {
        let m = std::mem::take(&mut sc.country[ci as usize]);
        countries_failed += usize::from(m & 1 != 0);
        countries_degraded += usize::from(m & 2 != 0);
    }
    sc.marked.clear();
    failed.sort_unstable();
    Counted {
        candidate: i,
        id: cascade.world().node(i).id.as_str(),
        exposure,
        capabilities_failed: failed.len(),
        countries_failed,
        countries_degraded,
        failed,
    }
}

/// Ranks single nodes (`By::Node`: every non-capability node; `By::Org`: every
/// organization) by the damage their removal alone does, in parallel, keeping the
/// first `top` rows.
///
/// # Complexity
/// O(C·(V'+E')) for the exposure, then for each of the N candidates one cascade
/// (O(touched), see [`Cascade::evaluate_in`]) whose damage is read from the touched
/// nodes only: O(Σ touched) in total — the sum of the removals' cones of dependents —
/// spread over the rayon pool in chunks (one workspace per chunk, no allocation per
/// candidate unless it fails a capability); then O(N log N) to sort (O(N + k log k)
/// with `top` = k), and the names and failed lists of the rows kept.
pub fn rank_nodes(cascade: &Cascade<'_>, orgs_only: bool) -> Vec<Chokepoint> {
    rank_nodes_top(cascade, orgs_only, None).0
}

/// [`rank_nodes`] keeping the first `top` rows; also returns the number of candidates
/// and the total number of nodes their cascades touched (Σ touched).
fn rank_nodes_top(
    cascade: &Cascade<'_>,
    orgs_only: bool,
    top: Option<usize>,
) -> (Vec<Chokepoint>, usize, u64) {
    let world = cascade.world();
    let slots = CapSlots::new(world);
    let exp = exposure(world);
    let candidates: Vec<NodeIdx> = world
        .indices()
        .filter(|i| slots.of(i.index()).is_empty() && (!orgs_only || world.node(*i).is_org()))
        .collect();
    let threads = rayon::current_num_threads().max(1);
    let chunk = (candidates.len() / (threads * 8)).max(64);
    let touched = std::sync::atomic::AtomicU64::new(0);
    let mut rows: Vec<Counted> = candidates
        .par_chunks(chunk)
        .flat_map_iter(|part| {
            let mut sc = Scratch::new(world.countries.len());
            let mut seen = 0u64;
            let rows = part
                .iter()
                .map(|&i| {
                    let c = count_one(cascade, &slots, &mut sc, i, exp[i.index()]);
                    seen += sc.ws.affected().len() as u64;
                    c
                })
                .collect::<Vec<_>>();
            touched.fetch_add(seen, std::sync::atomic::Ordering::Relaxed);
            rows
        })
        .collect();
    let touched = touched.into_inner();
    // Ids are unique, so an unstable order is deterministic.
    let order = |a: &Counted<'_>, b: &Counted<'_>| {
        b.capabilities_failed
            .cmp(&a.capabilities_failed)
            .then(b.countries_failed.cmp(&a.countries_failed))
            .then(b.countries_degraded.cmp(&a.countries_degraded))
            .then(b.exposure.cmp(&a.exposure))
            .then_with(|| a.id.cmp(b.id))
    };
    let total = rows.len();
    match top {
        // The first `n` only: a linear-time selection, then a sort of those.
        Some(n) if n < rows.len() => {
            if n > 0 {
                rows.select_nth_unstable_by(n - 1, order);
            }
            rows.truncate(n);
            rows.sort_unstable_by(order);
        }
        _ => rows.par_sort_unstable_by(order),
    }
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
