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
/// O(C · (V' + E') ) for C countries with cones of V' nodes and E' edges.
pub fn exposure(world: &World) -> Vec<usize> {
    let mut count = vec![0usize; world.len()];
    for c in &world.countries {
        for i in cone(world, &c.capabilities) {
            count[i.index()] += 1;
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

/// Ranks single nodes (`By::Node`: every non-capability node; `By::Org`: every
/// organization) by the damage their removal alone does, in parallel.
///
/// # Complexity
/// O(C·(V'+E')) for the exposure, then for each of the N candidates one cascade
/// (O(touched), see [`Cascade::evaluate_in`]) plus O(K) to read the K capabilities:
/// O(N·(T + K)) in total for an average touched size T, spread over the rayon pool;
/// then O(N log N) to sort.
pub fn rank_nodes(cascade: &Cascade<'_>, orgs_only: bool) -> Vec<Chokepoint> {
    let world = cascade.world();
    let caps: BTreeSet<NodeIdx> = world
        .countries
        .iter()
        .flat_map(|c| c.capabilities.iter().copied())
        .collect();
    let exp = exposure(world);
    let candidates: Vec<NodeIdx> = world
        .indices()
        .filter(|i| !caps.contains(i) && (!orgs_only || world.node(*i).is_org()))
        .collect();
    let rows: Vec<Chokepoint> = candidates
        .par_iter()
        .map_init(Workspace::new, |ws, &i| {
            cascade.evaluate_in(ws, &[i]);
            let d = Damage::read(world, |c| ws.status(c));
            let n = world.node(i);
            entry(
                world,
                n.id.clone(),
                n.name.clone(),
                if n.is_org() { "organization" } else { "node" },
                n.jurisdiction.clone(),
                exp[i.index()],
                &d,
            )
        })
        .collect();
    sort_and_rank(rows)
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
}

/// Runs the analysis for `by`, keeping the first `top` rows (all when `None`).
pub fn chokepoints(cascade: &Cascade<'_>, by: By, top: Option<usize>) -> Chokepoints {
    let (mut ranking, matrix) = match by {
        By::Node => (rank_nodes(cascade, false), None),
        By::Org => (rank_nodes(cascade, true), None),
        By::Jurisdiction => {
            let (r, m) = rank_jurisdictions(cascade);
            (r, Some(m))
        }
    };
    let candidates = ranking.len();
    if let Some(n) = top {
        ranking.truncate(n);
    }
    Chokepoints {
        by,
        candidates,
        ranking,
        matrix,
    }
}
