//! Sovereignty profiles: per country and layer, how much of the dependency cone of
//! its capabilities is domestic, allied (a declared group shared with the country,
//! e.g. the EU member states), foreign, or undetermined (an `unknown` dependency: the
//! sources do not say who supplies it, so it is counted on its layer and never as
//! domestic); and which jurisdictions' cut-off fails which capability.

use serde::Serialize;

use super::NodeStatus;
use super::cascade::ScenarioOutcome;
use super::cascade::{Cascade, Removal};
use super::chokepoints::rank_jurisdictions;
use super::quantity::{CapacityLoss, capacity_over};
use super::scenario::{NodeRef, cone};
use super::select::Selector;
use crate::graph::{NodeIdx, World};
use crate::model::Layer;

/// How a node's jurisdiction relates to a country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// The country's own jurisdiction.
    Domestic,
    /// A jurisdiction that shares a declared group with the country.
    Allied,
    /// Any other jurisdiction.
    Foreign,
    /// A node with no jurisdiction (an unowned node of a shared file).
    Unattributed,
}

/// How `jurisdiction` relates to `country`.
pub fn relation(world: &World, country: &str, jurisdiction: Option<&str>) -> Relation {
    match jurisdiction {
        None => Relation::Unattributed,
        Some(j) if j == country => Relation::Domestic,
        Some(j) if world.allied(country, j) => Relation::Allied,
        Some(_) => Relation::Foreign,
    }
}

/// Counts of one layer of a cone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Shares {
    /// `chips` ... `capability`, `organization`, or `all`.
    pub layer: String,
    /// Nodes in the cone on this layer.
    pub total: usize,
    /// Domestic nodes.
    pub domestic: usize,
    /// Allied nodes.
    pub allied: usize,
    /// Foreign nodes.
    pub foreign: usize,
    /// Nodes without a jurisdiction.
    pub unattributed: usize,
    /// Undetermined dependencies (`unknown` groups of the cone's nodes) of this layer:
    /// counted in `total`, as neither domestic nor foreign.
    pub undetermined: usize,
}

impl Shares {
    fn add(&mut self, r: Relation) {
        self.total += 1;
        match r {
            Relation::Domestic => self.domestic += 1,
            Relation::Allied => self.allied += 1,
            Relation::Foreign => self.foreign += 1,
            Relation::Unattributed => self.unattributed += 1,
        }
    }

    fn add_undetermined(&mut self) {
        self.total += 1;
        self.undetermined += 1;
    }

    /// The share of `part` in percent, rounded to one decimal (0 for an empty layer).
    pub fn percent(&self, part: usize) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            (part as f64 * 1000.0 / self.total as f64).round() / 10.0
        }
    }
}

/// A jurisdiction whose cut-off hurts a country.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cutoff {
    /// The jurisdiction.
    pub jurisdiction: String,
    /// `allied`, `foreign`.
    pub relation: Relation,
    /// Capabilities that fail.
    pub failed: Vec<NodeRef>,
    /// Capabilities that may fail (unknown dependencies).
    pub unknown: Vec<NodeRef>,
    /// Capabilities that survive with lost alternatives.
    pub degraded: Vec<NodeRef>,
    /// In a world with capacities: the country's capacity per unit and what the
    /// cut-off takes of it (as `scenario --remove jurisdiction:XX` reads it); empty
    /// (and left out of JSON) otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub capacity_lost: Vec<CapacityLoss>,
}

/// One country's profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Profile {
    /// Country code.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Per layer, bottom to top, then `organization`; layers absent from the cone are
    /// left out.
    pub layers: Vec<Shares>,
    /// The whole cone (its `undetermined` is the headline: how much the sources leave
    /// open).
    pub all: Shares,
    /// Jurisdictions other than its own whose cut-off fails, may fail or degrades a
    /// capability, worst first, then by code.
    pub cutoffs: Vec<Cutoff>,
}

/// The profiles of every country, or of the one with `only` as code.
///
/// # Complexity
/// O(C·(V'+E')) for the cones and one cascade per jurisdiction (see
/// [`rank_jurisdictions`]); in a world with capacities, one more cascade (O(V+E))
/// per jurisdiction whose cut-off hurts some country, computed once, and a walk of
/// the country's cone per cut-off (O(V') each).
pub fn profiles(cascade: &Cascade<'_>, only: Option<&str>) -> Vec<Profile> {
    let world = cascade.world();
    let (_, matrix) = rank_jurisdictions(cascade);
    // One cascade per jurisdiction whose cut-off hurts some country, computed once.
    let mut outcomes: std::collections::HashMap<String, ScenarioOutcome> =
        std::collections::HashMap::new();
    let mut capacity_lost = |j: &str, ci: usize, nodes: &[NodeIdx]| -> Vec<CapacityLoss> {
        if world.quantities.capacity.is_empty() {
            return Vec::new();
        }
        let out = outcomes.entry(j.to_owned()).or_insert_with(|| {
            let removal = Removal {
                selector: Selector::Jurisdiction(j.to_owned()),
                nodes: world
                    .indices()
                    .filter(|&i| world.node(i).jurisdiction.as_deref() == Some(j))
                    .collect(),
                scope: None,
            };
            cascade.evaluate_scenario(&[removal])
        });
        out.country(ci)
            .map(|o| capacity_over(world, o, nodes))
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    for (ci, c) in world.countries.iter().enumerate() {
        if only.is_some_and(|o| o != c.code) {
            continue;
        }
        let mut by_layer: Vec<Shares> = Layer::ALL
            .iter()
            .map(|l| l.as_str())
            .chain(["organization"])
            .map(|l| Shares {
                layer: l.to_owned(),
                ..Shares::default()
            })
            .collect();
        let mut all = Shares {
            layer: "all".to_owned(),
            ..Shares::default()
        };
        let nodes = cone(world, &c.capabilities);
        for &i in &nodes {
            let n = world.node(i);
            let r = relation(world, &c.code, n.jurisdiction.as_deref());
            let slot = n.layer.map_or(Layer::ALL.len(), |l| l as usize);
            by_layer[slot].add(r);
            all.add(r);
            // What the node needs but the sources leave undetermined, on the layer the
            // unknown states (its owner's when it states none).
            for g in n.needs.iter().filter(|g| g.is_unknown()) {
                let slot = g
                    .unknown_layer()
                    .or(n.layer)
                    .map_or(Layer::ALL.len(), |l| l as usize);
                by_layer[slot].add_undetermined();
                all.add_undetermined();
            }
        }
        let mut cutoffs: Vec<Cutoff> = matrix
            .jurisdictions
            .iter()
            .zip(matrix.cells.get(ci).into_iter().flatten())
            .filter(|(j, cell)| **j != c.code && cell.status != NodeStatus::Intact)
            .map(|(j, cell)| Cutoff {
                jurisdiction: j.clone(),
                relation: relation(world, &c.code, Some(j)),
                failed: cell.failed.clone(),
                unknown: cell.unknown.clone(),
                degraded: cell.degraded.clone(),
                capacity_lost: capacity_lost(j, ci, &nodes),
            })
            .collect();
        cutoffs.sort_by(|a, b| {
            (b.failed.len(), b.unknown.len(), b.degraded.len())
                .cmp(&(a.failed.len(), a.unknown.len(), a.degraded.len()))
                .then_with(|| a.jurisdiction.cmp(&b.jurisdiction))
        });
        out.push(Profile {
            code: c.code.clone(),
            name: c.name.clone(),
            layers: by_layer.into_iter().filter(|s| s.total > 0).collect(),
            all,
            cutoffs,
        });
    }
    out
}
