//! The quantitative reading of a scenario, computed from the boolean cascade's
//! result: for each node whose dependencies carry shares, the share of its supply
//! that survives (a range where shares are unknown), and for each country and
//! capability the capacity lost, per unit.
//!
//! The boolean cascade decides what works; this module only weighs it. A member
//! works when it is intact or degraded, is lost when failed, and may be lost when
//! `unknown` (lost in the low bound, working in the high one).
//!
//! **Surviving supply of a group** with shares: the working members' shares over
//! all members' shares, `Σ working / Σ all`, so a group untouched by the scenario
//! reads 100 % even when its published shares sum to 99.9 or 101 (rounding). A
//! member without a share has an unknown one: the unknown shares together lie
//! between 0 and what the known ones leave of 100 % (`r = max(0, 100 − Σ known)`).
//! The low bound gives all of `r` to lost members and none to working ones
//! (`Kw / (K + r)`), the high bound the reverse (`(Kw + r) / (K + r)`), each only
//! when such members exist. A node's surviving supply is the smallest over its
//! share groups (a node needs all its groups: both views of its supply).
//!
//! **Capacity lost**: for each country and each of its capabilities, the capacity
//! of the nodes in the dependency cone (the capability and everything it needs)
//! that failed (low bound) or failed or may have failed (high bound), summed per
//! unit; a country's cone is the union of its capabilities' cones, each node
//! counted once. Every country is read in its own view of the scenario (scoped
//! removals apply), the supply in the view of a destination no scope singles out.

use std::collections::BTreeMap;

use serde::Serialize;

use super::NodeStatus;
use super::cascade::{Outcome, ScenarioOutcome};
use super::chokepoints::By;
use super::scenario::cone;
use crate::graph::{NodeIdx, World};

/// A closed interval; `low == high` when the data decides the number.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Range {
    /// The smallest value consistent with the data.
    pub low: f64,
    /// The largest value consistent with the data.
    pub high: f64,
}

impl Range {
    /// A range of one value.
    pub fn exact(x: f64) -> Range {
        Range { low: x, high: x }
    }

    /// `47.5 %` or `0–12.3 %`, one decimal.
    pub fn percent(&self) -> String {
        if (self.low - self.high).abs() < 0.05 {
            format!("{:.1} %", self.low)
        } else {
            format!("{:.1}–{:.1} %", self.low, self.high)
        }
    }
}

/// What a member of a share group is in a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Works,
    Lost,
    Maybe,
}

fn state(s: NodeStatus) -> State {
    match s {
        NodeStatus::Intact | NodeStatus::Degraded => State::Works,
        NodeStatus::Unknown => State::Maybe,
        NodeStatus::Failed => State::Lost,
    }
}

/// The surviving fraction (0 to 1) of a group whose members have `shares` and
/// `states` (parallel), as a range (see the module documentation).
///
/// # Complexity
/// O(n) in the members.
fn surviving(shares: &[Option<f64>], states: &[State]) -> Range {
    let known: f64 = shares.iter().flatten().sum();
    let residual = (100.0 - known).max(0.0);
    let bound = |optimistic: bool| {
        let works = |s: State| s == State::Works || (optimistic && s == State::Maybe);
        let (mut kw, mut unknown_working, mut unknown_lost) = (0.0, false, false);
        for (sh, &st) in shares.iter().zip(states) {
            match sh {
                Some(x) if works(st) => kw += x,
                Some(_) => {}
                None if works(st) => unknown_working = true,
                None => unknown_lost = true,
            }
        }
        let (num, den) = if optimistic {
            let r = if unknown_working { residual } else { 0.0 };
            (kw + r, known + r)
        } else {
            let r = if unknown_lost { residual } else { 0.0 };
            (kw, known + r)
        };
        if den > 0.0 {
            (num / den).clamp(0.0, 1.0)
        } else {
            // No share says anything (all zero, or unknown with nothing left of
            // 100 %): all working is 1, none is 0, a mix could be either.
            let any_works = states.iter().any(|&s| works(s));
            let all_work = states.iter().all(|&s| works(s));
            match (all_work, any_works, optimistic) {
                (true, _, _) => 1.0,
                (false, false, _) => 0.0,
                (false, true, o) => f64::from(u8::from(o)),
            }
        }
    };
    Range {
        low: bound(false) * 100.0,
        high: bound(true) * 100.0,
    }
}

/// One share group of a node, read in a scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupSupply {
    /// Index into the node's `needs` (the implicit `org` group counts).
    pub group: u32,
    /// `country` when every member is owned by an organization of kind `country`
    /// (a dataset's country view), else `org`.
    pub view: &'static str,
    /// Percent of the group's supply that survives.
    pub surviving: Range,
    /// Members that failed, with their shares (`None` = unknown share).
    pub lost: Vec<(String, Option<f64>)>,
    /// Members that may have failed (status `unknown`).
    pub maybe_lost: Vec<(String, Option<f64>)>,
    /// How many members have no share.
    pub unknown_shares: usize,
}

/// A node whose supply the scenario reduced (or may have reduced).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeSupply {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Its boolean status.
    pub status: NodeStatus,
    /// Percent of its supply that survives: the smallest over its groups.
    pub surviving: Range,
    /// Each share group.
    pub groups: Vec<GroupSupply>,
}

/// Capacity of one unit in a cone, and how much of it the scenario takes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CapacityLoss {
    /// The unit.
    pub unit: String,
    /// All capacity of that unit in the cone.
    pub total: f64,
    /// Capacity lost: failed (low) to failed or unknown (high).
    pub lost: Range,
}

/// A capability's capacity and what it loses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CapabilityCapacity {
    /// Id of the capability.
    pub id: String,
    /// Name.
    pub name: String,
    /// Per unit, sorted by unit.
    pub capacity: Vec<CapacityLoss>,
}

/// A country's capacity and what it loses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountryCapacity {
    /// Country code.
    pub code: String,
    /// Country name.
    pub name: String,
    /// Per unit over the union of its capabilities' cones, sorted by unit.
    pub capacity: Vec<CapacityLoss>,
    /// Per capability, in the country's order.
    pub capabilities: Vec<CapabilityCapacity>,
}

/// The supply as one destination country sees it, when scoped removals make its
/// view differ from the world at large.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountrySupply {
    /// Country code.
    pub code: String,
    /// Country name.
    pub name: String,
    /// As [`QuantityReport::supply`], in this country's view.
    pub supply: Vec<NodeSupply>,
}

/// The quantitative reading of a scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuantityReport {
    /// Nodes whose supply is not wholly intact, lowest surviving first, then by id,
    /// seen from a destination no scope singles out.
    pub supply: Vec<NodeSupply>,
    /// The countries whose view differs (scoped removals, a jurisdiction not cut off
    /// from itself), by code; empty otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub supply_by_country: Vec<CountrySupply>,
    /// Countries with any capacity in their cones, in code order.
    pub countries: Vec<CountryCapacity>,
}

/// The supply reading of every node with share groups in outcome `o`, keeping
/// those whose supply is not wholly intact in some bound.
///
/// # Complexity
/// O(S) for S members of share groups, plus sorting the reported nodes.
pub fn supply(world: &World, o: &Outcome) -> Vec<NodeSupply> {
    let mut by_node: BTreeMap<NodeIdx, Vec<GroupSupply>> = BTreeMap::new();
    for (&(node, group), shares) in &world.quantities.shares {
        let Some(g) = world.node(node).needs.get(group as usize) else {
            continue;
        };
        let states: Vec<State> = g.members.iter().map(|&m| state(o.status(m))).collect();
        let range = surviving(shares, &states);
        if range.low >= 100.0 && range.high >= 100.0 {
            continue;
        }
        let pick = |want: State| -> Vec<(String, Option<f64>)> {
            g.members
                .iter()
                .zip(shares)
                .zip(&states)
                .filter(|(_, s)| **s == want)
                .map(|((&m, sh), _)| (world.node(m).id.clone(), *sh))
                .collect()
        };
        let country_view = g.members.iter().all(|&m| {
            world
                .node(m)
                .org
                .is_some_and(|org| world.node(org).org_kind == Some(crate::model::OrgKind::Country))
        });
        by_node.entry(node).or_default().push(GroupSupply {
            group,
            view: if country_view { "country" } else { "org" },
            surviving: range,
            lost: pick(State::Lost),
            maybe_lost: pick(State::Maybe),
            unknown_shares: shares.iter().filter(|s| s.is_none()).count(),
        });
    }
    let mut out: Vec<NodeSupply> = by_node
        .into_iter()
        .map(|(i, groups)| {
            let n = world.node(i);
            let surviving = Range {
                low: groups.iter().map(|g| g.surviving.low).fold(100.0, f64::min),
                high: groups
                    .iter()
                    .map(|g| g.surviving.high)
                    .fold(100.0, f64::min),
            };
            NodeSupply {
                id: n.id.clone(),
                name: n.name.clone(),
                status: o.status(i),
                surviving,
                groups,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        a.surviving
            .low
            .total_cmp(&b.surviving.low)
            .then_with(|| a.id.cmp(&b.id))
    });
    out
}

/// Capacity per unit over `nodes`, and what outcome `o` takes of it, sorted by unit
/// (what [`reading`] gives per country and capability). O(|nodes|).
pub fn capacity_over(world: &World, o: &Outcome, nodes: &[NodeIdx]) -> Vec<CapacityLoss> {
    let mut units: BTreeMap<&str, (f64, f64, f64)> = BTreeMap::new();
    for i in nodes {
        let Some(c) = world.quantities.capacity.get(i) else {
            continue;
        };
        let e = units.entry(c.unit.as_str()).or_default();
        e.0 += c.value;
        match o.status(*i) {
            NodeStatus::Failed => {
                e.1 += c.value;
                e.2 += c.value;
            }
            NodeStatus::Unknown => e.2 += c.value,
            NodeStatus::Intact | NodeStatus::Degraded => {}
        }
    }
    units
        .into_iter()
        .map(|(unit, (total, low, high))| CapacityLoss {
            unit: unit.to_owned(),
            total,
            lost: Range { low, high },
        })
        .collect()
}

/// The quantitative reading of an evaluated scenario.
///
/// # Complexity
/// O(S + Σ cones) for S members of share groups and the cones of every country's
/// capabilities (a cone walk per capability and per country).
pub fn reading(world: &World, out: &ScenarioOutcome) -> QuantityReport {
    let supply_all = out
        .everywhere()
        .map(|o| supply(world, o))
        .unwrap_or_default();
    let mut supply_by_country = Vec::new();
    if !world.quantities.shares.is_empty() {
        for (ci, c) in world.countries.iter().enumerate() {
            if out.countries.get(ci) == Some(&out.everywhere) {
                continue;
            }
            let Some(o) = out.country(ci) else { continue };
            supply_by_country.push(CountrySupply {
                code: c.code.clone(),
                name: c.name.clone(),
                supply: supply(world, o),
            });
        }
    }
    let mut countries = Vec::new();
    if !world.quantities.capacity.is_empty() {
        for (ci, c) in world.countries.iter().enumerate() {
            let Some(o) = out.country(ci) else { continue };
            let capacity = capacity_over(world, o, &cone(world, &c.capabilities));
            if capacity.is_empty() {
                continue;
            }
            let capabilities = c
                .capabilities
                .iter()
                .map(|&k| CapabilityCapacity {
                    id: world.node(k).id.clone(),
                    name: world.node(k).name.clone(),
                    capacity: capacity_over(world, o, &cone(world, &[k])),
                })
                .collect();
            countries.push(CountryCapacity {
                code: c.code.clone(),
                name: c.name.clone(),
                capacity,
                capabilities,
            });
        }
    }
    QuantityReport {
        supply: supply_all,
        supply_by_country,
        countries,
    }
}

/// One candidate of a quantitative chokepoint sweep.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SupplyChokepoint {
    /// Rank, 1-based.
    pub rank: usize,
    /// Id of the node, organization, or `jurisdiction:XX`.
    pub id: String,
    /// Name.
    pub name: String,
    /// Nodes whose supply drops to 0 % (low bound).
    pub supply_cut: usize,
    /// Supply lost, summed over the nodes with shares, in whole supplies: each
    /// node adds `(100 − surviving low) / 100`.
    pub supply_lost: f64,
    /// Capacity lost world-wide (failed nodes), per unit, sorted by unit.
    pub capacity_lost: Vec<(String, f64)>,
}

/// How a quantitative sweep ranks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// By supply lost (then supplies cut to 0 %).
    Supply,
    /// By capacity lost (the first unit, then the others).
    Capacity,
}

/// Removes each candidate alone and ranks by the quantities it takes: supply lost
/// and supplies cut (nodes with shares), capacity lost (nodes with a capacity). Seen
/// from a destination no scope singles out (a jurisdiction is cut off from
/// everyone, its own firms included). `By::Org` takes each organization with
/// everything it owns, not those of kind `country`.
///
/// # Complexity
/// O(K · (V + E + S)) for K candidates: one cascade and one supply reading each.
pub fn sweep(
    cascade: &super::cascade::Cascade<'_>,
    candidates: By,
    key: Key,
    top: Option<usize>,
) -> Vec<SupplyChokepoint> {
    let world = cascade.world();
    let mut sets: Vec<(String, String, Vec<NodeIdx>)> = Vec::new();
    match candidates {
        By::Node | By::Org => {
            for i in world.indices() {
                let n = world.node(i);
                // An organization of kind `country` is a country view, not a firm:
                // the jurisdiction sweep covers it.
                let country = n.org_kind == Some(crate::model::OrgKind::Country);
                if (candidates == By::Org) == n.is_org() && !country {
                    sets.push((n.id.clone(), n.name.clone(), vec![i]));
                }
            }
        }
        By::Jurisdiction => {
            let mut by_j: BTreeMap<String, Vec<NodeIdx>> = BTreeMap::new();
            for i in world.indices() {
                if let Some(j) = &world.node(i).jurisdiction {
                    by_j.entry(j.clone()).or_default().push(i);
                }
            }
            for (j, nodes) in by_j {
                sets.push((format!("jurisdiction:{j}"), j, nodes));
            }
        }
    }
    let mut rows: Vec<SupplyChokepoint> = sets
        .into_iter()
        .map(|(id, name, nodes)| {
            let o = cascade.evaluate(&nodes);
            let s = supply(world, &o);
            let all: Vec<NodeIdx> = world.quantities.capacity.keys().copied().collect();
            SupplyChokepoint {
                rank: 0,
                id,
                name,
                supply_cut: s.iter().filter(|n| n.surviving.low <= 0.0).count(),
                // `+ 0.0`: an empty sum of f64 is -0.0.
                supply_lost: s
                    .iter()
                    .map(|n| (100.0 - n.surviving.low) / 100.0)
                    .sum::<f64>()
                    + 0.0,
                capacity_lost: capacity_over(world, &o, &all)
                    .into_iter()
                    .map(|c| (c.unit, c.lost.low))
                    .collect(),
            }
        })
        .collect();
    let cap = |r: &SupplyChokepoint| -> Vec<f64> { r.capacity_lost.iter().map(|c| c.1).collect() };
    rows.sort_by(|a, b| {
        let by_supply = b
            .supply_lost
            .total_cmp(&a.supply_lost)
            .then_with(|| b.supply_cut.cmp(&a.supply_cut));
        let by_capacity = cap(b)
            .iter()
            .zip(cap(a).iter())
            .map(|(x, y)| x.total_cmp(y))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal);
        match key {
            Key::Supply => by_supply.then(by_capacity),
            Key::Capacity => by_capacity.then(by_supply),
        }
        .then_with(|| a.id.cmp(&b.id))
    });
    if let Some(k) = top {
        rows.truncate(k);
    }
    for (k, r) in rows.iter_mut().enumerate() {
        r.rank = k + 1;
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::cascade::Cascade;

    fn st(v: &[u8]) -> Vec<State> {
        v.iter()
            .map(|c| match c {
                b'w' => State::Works,
                b'l' => State::Lost,
                _ => State::Maybe,
            })
            .collect()
    }

    #[test]
    fn known_shares_give_one_number_relative_to_the_published_total() {
        let r = surviving(&[Some(81.5), Some(15.0), Some(3.4)], &st(b"lww"));
        assert!((r.low - 18.4 / 99.9 * 100.0).abs() < 1e-9 && r.low == r.high);
        assert_eq!(surviving(&[Some(100.0)], &st(b"l")), Range::exact(0.0));
        assert_eq!(
            surviving(&[Some(60.0), Some(40.0)], &st(b"ww")),
            Range::exact(100.0)
        );
    }

    #[test]
    fn unknown_shares_give_a_range() {
        // 70 known and lost, an unknown-share member works: it holds 0 to 30.
        let r = surviving(&[Some(70.0), None], &st(b"lw"));
        assert_eq!(
            r,
            Range {
                low: 0.0,
                high: 30.0
            }
        );
        // 70 known and working, the unknown one is lost.
        let r = surviving(&[Some(70.0), None], &st(b"wl"));
        assert_eq!(
            r,
            Range {
                low: 70.0,
                high: 100.0
            }
        );
        // Nothing known: all working or all lost decide; a mix does not.
        assert_eq!(surviving(&[None, None], &st(b"ww")), Range::exact(100.0));
        assert_eq!(surviving(&[None, None], &st(b"ll")), Range::exact(0.0));
        assert_eq!(
            surviving(&[None, None], &st(b"wl")),
            Range {
                low: 0.0,
                high: 100.0
            }
        );
        // A member that may be lost widens the range.
        assert_eq!(
            surviving(&[Some(50.0), Some(50.0)], &st(b"wm")),
            Range {
                low: 50.0,
                high: 100.0
            }
        );
    }

    #[test]
    fn capacity_lost_is_summed_per_country_and_unit() {
        let w = crate::graph::from_yaml(&[
            "organizations:\n  - {id: nv, name: Nvidia, jurisdiction: US}\n  - {id: am, name: AMD, jurisdiction: US}\nnodes:\n  - {id: h100, name: H100, layer: chips, org: nv}\n  - {id: mi300, name: MI300, layer: chips, org: am}\n",
            "country: AE\nname: UAE\ncapabilities: [c1, c2]\nnodes:\n  - {id: c1, name: C1, layer: compute, needs: [h100], capacity: {value: 1000, unit: H100e}}\n  - {id: c2, name: C2, layer: compute, needs: [{any: [{id: h100, share: 60}, {id: mi300, share: 40}]}], capacity: {value: 500, unit: H100e}}\n",
        ]);
        let c = Cascade::new(&w);
        let removal = crate::analysis::cascade::Removal::new(
            &w,
            crate::analysis::select::Selector::Id("nv".into()),
            None,
        );
        let out = c.evaluate_scenario(&[removal]);
        let q = reading(&w, &out);
        assert_eq!(q.countries.len(), 1);
        let ae = &q.countries[0];
        assert_eq!(ae.capacity[0].total, 1500.0);
        assert_eq!(ae.capacity[0].lost, Range::exact(1000.0));
        assert_eq!(ae.capabilities[1].capacity[0].lost, Range::exact(0.0));
        assert_eq!(q.supply.len(), 1);
        assert_eq!(q.supply[0].id, "c2");
        assert_eq!(q.supply[0].surviving, Range::exact(40.0));
        assert_eq!(
            q.supply[0].groups[0].lost,
            vec![("h100".to_owned(), Some(60.0))]
        );
    }
}
