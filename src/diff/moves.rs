//! How the analysis moved between two worlds: the chokepoint ranking and each
//! country's exposure.
//!
//! Both worlds are analysed in full with the same engine (`jenga chokepoints` by node
//! and by jurisdiction), and the results are matched by id (nodes) and code
//! (countries, jurisdictions).
//!
//! The measures, per country (see docs/json.md `## diff` for the field names):
//! - **capabilities**: how many it declares;
//! - **cone**: how many nodes its capabilities' dependency cones hold together;
//! - **foreign jurisdictions**: the jurisdictions other than its own that own a node
//!   of that cone (a new one is a new dependency on a foreign jurisdiction);
//! - **single points of failure**: the nodes whose removal alone fails at least one
//!   of its capabilities;
//! - **cut-offs**: its worst capability status when one jurisdiction is cut off whole
//!   (never its own), and when one of the chokepoints listed in the ranking moves is
//!   removed alone. A removal that selects nothing in a world (the node or the
//!   jurisdiction does not exist there) leaves everything intact.
//!
//! A chokepoint's **score** is the tuple it is ranked by: capabilities failed,
//! countries with a failed capability, countries with a degraded or unknown
//! capability, exposure.
//!
//! This file computes the moves; `moves/sentences.rs` words them.

mod sentences;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::analysis::NodeStatus;
use crate::analysis::cascade::Cascade;
use crate::analysis::chokepoints::{self, Chokepoint, Matrix};
use crate::analysis::scenario::{NodeRef, cone};
use crate::graph::{NodeIdx, World};
pub use sentences::{chokepoint_sentences, country_sentences};

/// A chokepoint's place in one world's ranking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place {
    /// 1-based rank among all candidates.
    pub rank: usize,
    /// How many capabilities its removal alone fails.
    pub capabilities_failed: usize,
    /// How many countries lose at least one capability.
    pub countries_failed: usize,
    /// How many countries have a capability unknown.
    pub countries_unknown: usize,
    /// How many countries have a capability degraded.
    pub countries_degraded: usize,
    /// How many countries' capability cones contain it.
    pub exposure: usize,
}

impl Place {
    fn of(c: &Chokepoint) -> Place {
        Place {
            rank: c.rank,
            capabilities_failed: c.capabilities_failed,
            countries_failed: c.countries_failed,
            countries_unknown: c.countries_unknown,
            countries_degraded: c.countries_degraded,
            exposure: c.exposure,
        }
    }

    fn score(&self) -> [(&'static str, usize); 5] {
        [
            ("capabilities failed", self.capabilities_failed),
            ("countries failed", self.countries_failed),
            ("countries unknown", self.countries_unknown),
            ("countries degraded", self.countries_degraded),
            ("exposure", self.exposure),
        ]
    }
}

/// How a chokepoint moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Movement {
    /// In the new top, not in the old one.
    Entered,
    /// In the old top, not in the new one.
    Left,
    /// In both tops, ranked higher (a smaller rank) now.
    Rose,
    /// In both tops, ranked lower now.
    Fell,
    /// Same rank, different score.
    Rescored,
    /// Same rank and score.
    Unchanged,
}

impl Movement {
    /// The name used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Movement::Entered => "entered",
            Movement::Left => "left",
            Movement::Rose => "rose",
            Movement::Fell => "fell",
            Movement::Rescored => "rescored",
            Movement::Unchanged => "unchanged",
        }
    }
}

/// One chokepoint in the top of either world.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChokepointMove {
    /// Node id.
    pub id: String,
    /// Display name (the new world's when it exists there).
    pub name: String,
    /// How it moved.
    pub movement: Movement,
    /// Its place in the old ranking (`null`: not a candidate there).
    pub old: Option<Place>,
    /// Its place in the new ranking (`null`: not a candidate there).
    pub new: Option<Place>,
}

/// Old and new values of a count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Count {
    /// In the old world (0 when the country is absent there).
    pub old: usize,
    /// In the new world.
    pub new: usize,
}

/// A country's worst capability status under one removal, when it changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusMove {
    /// What is removed: `jurisdiction:XX` or a node id.
    pub removal: String,
    /// Worst capability status in the old world.
    pub old: NodeStatus,
    /// Worst capability status in the new world.
    pub new: NodeStatus,
}

/// How one country's exposure moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountryMove {
    /// Country code.
    pub code: String,
    /// Display name (the new world's when it exists there).
    pub name: String,
    /// `both`, `added` (only in the new world) or `removed` (only in the old one).
    pub presence: &'static str,
    /// Capabilities declared.
    pub capabilities: Count,
    /// Nodes in the capabilities' dependency cones.
    pub cone: Count,
    /// Jurisdictions other than its own in the cone, old.
    pub foreign_jurisdictions_old: Vec<String>,
    /// Jurisdictions other than its own in the cone, new.
    pub foreign_jurisdictions_new: Vec<String>,
    /// Foreign jurisdictions it newly depends on.
    pub foreign_gained: Vec<String>,
    /// Foreign jurisdictions it no longer depends on.
    pub foreign_lost: Vec<String>,
    /// Nodes whose removal alone fails one of its capabilities.
    pub single_points: Count,
    /// Single points of failure only in the new world.
    pub single_points_gained: Vec<NodeRef>,
    /// Single points of failure only in the old world.
    pub single_points_lost: Vec<NodeRef>,
    /// Jurisdiction cut-offs and chokepoint removals whose outcome changed for it.
    pub cutoffs: Vec<StatusMove>,
}

impl CountryMove {
    /// Whether any measure moved.
    pub fn changed(&self) -> bool {
        self.presence != "both"
            || self.capabilities.old != self.capabilities.new
            || self.cone.old != self.cone.new
            || !self.foreign_gained.is_empty()
            || !self.foreign_lost.is_empty()
            || !self.single_points_gained.is_empty()
            || !self.single_points_lost.is_empty()
            || !self.cutoffs.is_empty()
    }
}

/// How the analysis moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Moves {
    /// How many places of each ranking are compared.
    pub top: usize,
    /// Every candidate in the top of either world: new top first (by new rank), then
    /// those that left it (by old rank).
    pub chokepoints: Vec<ChokepointMove>,
    /// Every country of either world, by code.
    pub countries: Vec<CountryMove>,
}

/// One world analysed.
struct Analysed<'w> {
    world: &'w World,
    cascade: Cascade<'w>,
    ranking: Vec<Chokepoint>,
    matrix: Matrix,
}

impl<'w> Analysed<'w> {
    fn new(world: &'w World) -> Analysed<'w> {
        let cascade = Cascade::new(world);
        let ranking = chokepoints::rank_nodes(&cascade, false);
        let (_, matrix) = chokepoints::rank_jurisdictions(&cascade);
        Analysed {
            world,
            cascade,
            ranking,
            matrix,
        }
    }

    /// Each country's worst capability status when `id` is removed alone (all intact
    /// when `id` is not a node of this world).
    fn worst_without(&self, id: &str) -> BTreeMap<String, NodeStatus> {
        let w = self.world;
        let out = w.lookup(id).map(|i| self.cascade.evaluate(&[i]));
        w.countries
            .iter()
            .map(|c| {
                let s = out.as_ref().map_or(NodeStatus::Intact, |o| {
                    c.capabilities
                        .iter()
                        .map(|&k| o.status(k))
                        .max()
                        .unwrap_or(NodeStatus::Intact)
                });
                (c.code.clone(), s)
            })
            .collect()
    }

    /// A country's worst status when jurisdiction `j` is cut off (intact when `j` owns
    /// nothing here, or is the country's own).
    fn worst_under(&self, code: &str, j: &str) -> NodeStatus {
        let m = &self.matrix;
        let row = m.countries.iter().position(|c| c.code == code);
        let col = m.jurisdictions.iter().position(|x| x == j);
        match (row, col) {
            (Some(r), Some(k)) => m.cells[r][k].status,
            _ => NodeStatus::Intact,
        }
    }

    /// Per country code: the ids of the nodes whose removal alone fails one of its
    /// capabilities.
    fn single_points(&self) -> BTreeMap<String, BTreeSet<String>> {
        let w = self.world;
        let country_of: BTreeMap<&str, &str> = w
            .countries
            .iter()
            .flat_map(|c| {
                c.capabilities
                    .iter()
                    .map(move |&k| (w.node(k).id.as_str(), c.code.as_str()))
            })
            .collect();
        let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for c in &self.ranking {
            for f in &c.failed {
                if let Some(code) = country_of.get(f.id.as_str()) {
                    out.entry((*code).to_owned())
                        .or_default()
                        .insert(c.id.clone());
                }
            }
        }
        out
    }

    fn name_of(&self, id: &str) -> Option<String> {
        self.world
            .lookup(id)
            .map(|i| self.world.node(i).name.clone())
    }
}

/// Per country code: its cone size and foreign jurisdictions.
fn cones(w: &World) -> BTreeMap<String, (usize, BTreeSet<String>)> {
    w.countries
        .iter()
        .map(|c| {
            let cone: Vec<NodeIdx> = cone(w, &c.capabilities);
            let foreign = cone
                .iter()
                .filter_map(|&i| w.node(i).jurisdiction.clone())
                .filter(|j| *j != c.code)
                .collect();
            (c.code.clone(), (cone.len(), foreign))
        })
        .collect()
}

fn refs(ids: impl Iterator<Item = String>, a: &Analysed<'_>, b: &Analysed<'_>) -> Vec<NodeRef> {
    ids.map(|id| NodeRef {
        name: a
            .name_of(&id)
            .or_else(|| b.name_of(&id))
            .unwrap_or_default(),
        id,
    })
    .collect()
}

/// Compares the analyses of `old` and `new`, over the first `top` places of each
/// node ranking.
///
/// # Complexity
/// Dominated by the two full analyses: for each world, one cascade per candidate and
/// per jurisdiction (see [`chokepoints::rank_nodes`], [`chokepoints::rank_jurisdictions`]),
/// then one cascade per listed chokepoint (at most 2·`top`), and O(C·(V+E)) for the
/// cones of C countries. Matching is O(N log N) in ordered maps.
pub fn moves(old: &World, new: &World, top: usize) -> Moves {
    let (a, b) = (Analysed::new(old), Analysed::new(new));
    let chokepoints = chokepoint_moves(&a, &b, top);
    let listed: Vec<&str> = chokepoints.iter().map(|m| m.id.as_str()).collect();
    let countries = country_moves(&a, &b, &listed);
    Moves {
        top,
        chokepoints,
        countries,
    }
}

fn chokepoint_moves(a: &Analysed<'_>, b: &Analysed<'_>, top: usize) -> Vec<ChokepointMove> {
    let index = |r: &[Chokepoint]| -> BTreeMap<String, Place> {
        r.iter().map(|c| (c.id.clone(), Place::of(c))).collect()
    };
    let (oi, ni) = (index(&a.ranking), index(&b.ranking));
    let in_top = |p: Option<&Place>| p.is_some_and(|p| p.rank <= top);
    let mut listed: Vec<&str> = b.ranking.iter().take(top).map(|c| c.id.as_str()).collect();
    listed.extend(
        a.ranking
            .iter()
            .take(top)
            .map(|c| c.id.as_str())
            .filter(|id| !in_top(ni.get(*id))),
    );
    listed
        .into_iter()
        .map(|id| {
            let (o, n) = (oi.get(id), ni.get(id));
            let movement = match (in_top(o), in_top(n), o, n) {
                (false, true, ..) => Movement::Entered,
                (true, false, ..) => Movement::Left,
                (_, _, Some(o), Some(n)) if n.rank < o.rank => Movement::Rose,
                (_, _, Some(o), Some(n)) if n.rank > o.rank => Movement::Fell,
                (_, _, Some(o), Some(n)) if o.score() != n.score() => Movement::Rescored,
                _ => Movement::Unchanged,
            };
            ChokepointMove {
                id: id.to_owned(),
                name: b.name_of(id).or_else(|| a.name_of(id)).unwrap_or_default(),
                movement,
                old: o.cloned(),
                new: n.cloned(),
            }
        })
        .collect()
}

/// Each country's worst capability status under one removal, by code.
type Worst = BTreeMap<String, NodeStatus>;

fn country_moves(a: &Analysed<'_>, b: &Analysed<'_>, listed: &[&str]) -> Vec<CountryMove> {
    let (oc, nc) = (cones(a.world), cones(b.world));
    let (osp, nsp) = (a.single_points(), b.single_points());
    let without: Vec<(&str, Worst, Worst)> = listed
        .iter()
        .map(|id| (*id, a.worst_without(id), b.worst_without(id)))
        .collect();
    let jurisdictions: BTreeSet<String> = chokepoints::jurisdictions(a.world)
        .into_iter()
        .chain(chokepoints::jurisdictions(b.world))
        .collect();
    let codes: BTreeSet<&str> = a
        .world
        .countries
        .iter()
        .chain(&b.world.countries)
        .map(|c| c.code.as_str())
        .collect();
    let empty = BTreeSet::new();
    codes
        .into_iter()
        .map(|code| {
            let (oc_, nc_) = (a.world.country(code), b.world.country(code));
            let presence = match (oc_, nc_) {
                (Some(_), Some(_)) => "both",
                (None, _) => "added",
                (_, None) => "removed",
            };
            let name = nc_.or(oc_).map(|c| c.name.clone()).unwrap_or_default();
            let (ocone, ofor) = oc.get(code).map_or((0, &empty), |(n, f)| (*n, f));
            let (ncone, nfor) = nc.get(code).map_or((0, &empty), |(n, f)| (*n, f));
            let (os, ns) = (
                osp.get(code).unwrap_or(&empty),
                nsp.get(code).unwrap_or(&empty),
            );
            let mut cutoffs = Vec::new();
            for j in &jurisdictions {
                let (x, y) = (a.worst_under(code, j), b.worst_under(code, j));
                if x != y {
                    cutoffs.push(StatusMove {
                        removal: format!("jurisdiction:{j}"),
                        old: x,
                        new: y,
                    });
                }
            }
            for (id, ow, nw) in &without {
                let x = ow.get(code).copied().unwrap_or(NodeStatus::Intact);
                let y = nw.get(code).copied().unwrap_or(NodeStatus::Intact);
                if x != y {
                    cutoffs.push(StatusMove {
                        removal: (*id).to_owned(),
                        old: x,
                        new: y,
                    });
                }
            }
            CountryMove {
                code: code.to_owned(),
                name,
                presence,
                capabilities: Count {
                    old: oc_.map_or(0, |c| c.capabilities.len()),
                    new: nc_.map_or(0, |c| c.capabilities.len()),
                },
                cone: Count {
                    old: ocone,
                    new: ncone,
                },
                foreign_jurisdictions_old: ofor.iter().cloned().collect(),
                foreign_jurisdictions_new: nfor.iter().cloned().collect(),
                foreign_gained: nfor.difference(ofor).cloned().collect(),
                foreign_lost: ofor.difference(nfor).cloned().collect(),
                single_points: Count {
                    old: os.len(),
                    new: ns.len(),
                },
                single_points_gained: refs(ns.difference(os).cloned(), b, a),
                single_points_lost: refs(os.difference(ns).cloned(), a, b),
                cutoffs,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::sentences::{rank, score_changes};
    use super::*;

    fn world(files: &[&str]) -> World {
        crate::graph::from_yaml(files)
    }

    const SHARED: &str = "organizations:\n  - {id: chipco, name: ChipCo, jurisdiction: US}\nnodes:\n  - {id: gpu, name: GPU, layer: chips, org: chipco}\n";
    const XA: &str = "country: XA\nname: A\ncapabilities: [xa-m]\nnodes:\n  - {id: xa-m, name: XA model, layer: capability, needs: [gpu]}\n";
    const XB: &str = "country: XB\nname: B\ncapabilities: [xb-m]\nnodes:\n  - {id: xb-m, name: XB model, layer: capability, needs: [gpu]}\n";

    #[test]
    fn same_rank_with_a_new_score_is_rescored_and_a_new_country_is_added() {
        let old = world(&[SHARED, XA]);
        let new = world(&[SHARED, XA, XB]);
        let m = moves(&old, &new, 2);
        // gpu and chipco both fail every capability; ties by id: chipco #1, gpu #2.
        let got: Vec<(&str, Movement, usize, usize)> = m
            .chokepoints
            .iter()
            .map(|c| {
                (
                    c.id.as_str(),
                    c.movement,
                    c.old.as_ref().map_or(0, |p| p.capabilities_failed),
                    c.new.as_ref().map_or(0, |p| p.capabilities_failed),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("chipco", Movement::Rescored, 1, 2),
                ("gpu", Movement::Rescored, 1, 2),
            ]
        );
        let xb = &m.countries[1];
        assert_eq!((xb.code.as_str(), xb.presence), ("XB", "added"));
        assert_eq!(xb.single_points, Count { old: 0, new: 2 });
        assert!(!m.countries[0].changed(), "XA's exposure did not move");
        assert_eq!(
            chokepoint_sentences(&m)[0],
            "`chipco` (ChipCo) stayed at #1 with a new score: capabilities failed 1 → 2, countries failed 1 → 2, exposure 1 → 2."
        );
        let same = moves(&new, &new, 2);
        assert!(
            same.chokepoints
                .iter()
                .all(|c| c.movement == Movement::Unchanged)
        );
        assert!(chokepoint_sentences(&same).is_empty());
        assert!(country_sentences(&same).is_empty());
    }

    #[test]
    fn score_changes_name_only_what_differs() {
        let p = |r, c| Place {
            rank: r,
            capabilities_failed: c,
            countries_failed: 1,
            countries_unknown: 0,
            countries_degraded: 0,
            exposure: 2,
        };
        assert_eq!(
            score_changes(Some(&p(1, 2)), Some(&p(3, 1))),
            ["capabilities failed 2 → 1"]
        );
        assert!(score_changes(None, Some(&p(1, 1))).is_empty());
        assert_eq!(rank(None), "—");
    }
}
