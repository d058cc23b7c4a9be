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

use serde::Serialize;

use super::NodeStatus;
use super::cascade::Cascade;
use super::scenario::NodeRef;
use crate::graph::{NodeIdx, World};

mod chains;
mod jurisdictions;
mod reach;
mod sweep;

pub use jurisdictions::{jurisdictions, rank_jurisdictions};
use reach::Reach;
pub use sweep::rank_nodes;
use sweep::rank_nodes_top;

/// How candidates are grouped (a `chokepoints --by` value; `help` is its text there).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum By {
    /// Each node that is not a capability, alone.
    #[value(help = "Each node alone")]
    Node,
    /// Each organization with everything it owns.
    Org,
    /// Each jurisdiction cut off whole.
    Jurisdiction,
}

/// What a ranked candidate is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CandidateKind {
    /// A node that is not an organization.
    Node,
    /// An organization (with everything it owns).
    Organization,
    /// A jurisdiction cut off whole.
    Jurisdiction,
}

impl CandidateKind {
    /// The name in outputs: `node`, `organization` or `jurisdiction`.
    pub fn as_str(self) -> &'static str {
        match self {
            CandidateKind::Node => "node",
            CandidateKind::Organization => "organization",
            CandidateKind::Jurisdiction => "jurisdiction",
        }
    }
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
    pub kind: CandidateKind,
    /// The candidate's node (`None` for a jurisdiction): what figures mark, without
    /// looking the id up again. Not part of the JSON output.
    #[serde(skip)]
    pub node: Option<NodeIdx>,
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
    kind: CandidateKind,
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
        node: None,
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
