//! Scenarios: named sets of removals, and their per-country results as plain data.
//!
//! A scenario file (`scenarios/*.yaml`) reads:
//!
//! ```yaml
//! name: US export controls on AI chips
//! description: What falls if the US cuts Nvidia off from the Gulf.
//! removals:
//!   - remove: nvidia          # an id, `jurisdiction:XX` or `layer:NAME`
//!     for: [AE, SA]           # optional: only these destination countries
//!   - remove: layer:distribution
//! ```
//!
//! This module turns the parsed file into a [`Scenario`] (checking every selector
//! and country against the world, with located errors) and a scenario's cascade into
//! a [`ScenarioReport`]; reading the file is [`crate::load::parse_yaml_file`]'s job.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::NodeStatus;
use super::cascade::{Cascade, Cause, Destination, Outcome, Removal};
use super::select::Selector;
use crate::diag::{Diagnostic, Diagnostics, Place, SourceFile, did_you_mean};
use crate::graph::{GroupKind, NodeIdx, World};
use crate::model::Spanned;

pub use crate::graph::{NodeRef, cone};

/// The YAML form of a scenario file (its JSON Schema, derived from this type, is
/// [`crate::schema::scenario_file_schema`]).
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ScenarioFile {
    /// A short title.
    pub name: String,
    /// What the scenario stands for, and why.
    #[serde(default)]
    pub description: Option<String>,
    /// What it removes.
    #[schemars(length(min = 1))]
    pub removals: Vec<RemovalDecl>,
}

/// One removal in a scenario file.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RemovalDecl {
    /// The selector: an id, `jurisdiction:XX` or `layer:NAME`.
    #[schemars(with = "crate::schema::SelectorText")]
    pub remove: Spanned<String>,
    /// The destination countries it applies to (default: every destination).
    #[serde(default, rename = "for")]
    #[schemars(with = "Option<Vec<crate::schema::CountryCode>>")]
    pub for_countries: Option<Vec<Spanned<String>>>,
}

/// A named set of removals, checked against a world.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    /// A short title.
    pub name: String,
    /// What it stands for.
    pub description: Option<String>,
    /// The removals.
    pub removals: Vec<Removal>,
}

/// Checks a destination country code against the world.
///
/// # Errors
/// A message and a suggestion when no country of the world has `code`.
pub fn check_country(world: &World, code: &str) -> Result<(), (String, String)> {
    if world.country(code).is_some() {
        return Ok(());
    }
    let help = match did_you_mean(code, world.countries.iter().map(|c| c.code.as_str())) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!(
            "the countries in the data are {}",
            world
                .countries
                .iter()
                .map(|c| c.code.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Err((format!("no country `{code}` in the data"), help))
}

impl Scenario {
    /// Checks a parsed scenario file against `world`; every bad selector or country
    /// is reported at its `file:line:column`.
    ///
    /// # Errors
    /// Every invalid selector, unknown destination country, and an empty removal list.
    pub fn from_file(
        file: ScenarioFile,
        source: &Arc<SourceFile>,
        world: &World,
    ) -> Result<Scenario, Diagnostics> {
        let mut diags = Diagnostics::new();
        let mut removals = Vec::new();
        if file.removals.is_empty() {
            diags.push(
                Diagnostic::error("empty-scenario", "the scenario removes nothing")
                    .at(Place::file_start(source), "")
                    .help("add `removals:` with at least one `- remove: ID`"),
            );
        }
        for r in file.removals {
            let selector = match Selector::parse(&r.remove.value, world) {
                Ok(s) => Some(s),
                Err(e) => {
                    diags.push(
                        Diagnostic::error("unknown-selector", e.message)
                            .at(
                                Place::from_location(source, r.remove.referenced),
                                "unknown selector",
                            )
                            .help(e.help),
                    );
                    None
                }
            };
            let mut scope = None;
            if let Some(fs) = &r.for_countries {
                if fs.is_empty() {
                    // Like `--for ''`: a scope of no country would apply the removal
                    // nowhere, silently.
                    diags.push(
                        Diagnostic::error(
                            "empty-scope",
                            "`for: []` names no destination country, so this removal would apply nowhere",
                        )
                        .at(
                            Place::from_location(source, r.remove.referenced),
                            "scoped to no country",
                        )
                        .help("list the destination countries (`for: [JP, KR]`), or drop `for` to apply the removal everywhere"),
                    );
                }
                let mut codes = Vec::new();
                for c in fs {
                    match check_country(world, &c.value) {
                        Ok(()) => codes.push(c.value.clone()),
                        Err((m, h)) => diags.push(
                            Diagnostic::error("unknown-country", m)
                                .at(Place::from_location(source, c.referenced), "")
                                .help(h),
                        ),
                    }
                }
                codes.sort();
                codes.dedup();
                scope = Some(codes);
            }
            if let Some(s) = selector {
                removals.push(Removal::new(world, s, scope));
            }
        }
        if diags.items().is_empty() {
            Ok(Scenario {
                name: file.name,
                description: file.description,
                removals,
            })
        } else {
            Err(diags)
        }
    }
}

/// Why a node failed (or may fail), in words an analyst can check against the data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum CauseReport {
    /// The scenario removed it; `by` lists the selectors that did.
    Removed {
        /// The selectors, as written.
        by: Vec<String>,
    },
    /// One of its `needs` groups lost too many members.
    Lost {
        /// The group's kind, written `required`, `org`, `parent`, `any`, `at-least`
        /// or `unknown` ([`GroupKind::as_str`]).
        #[serde(serialize_with = "group_name")]
        group: GroupKind,
        /// How many members must work (for `unknown`, in the optimistic reading).
        need: u32,
        /// How many members the group has.
        of: usize,
        /// The members that do not work.
        lost: Vec<NodeRef>,
        /// For an `unknown` group: what the sources say.
        #[serde(skip_serializing_if = "Option::is_none")]
        description: Option<String>,
    },
    /// A degraded node: it works, but these direct dependencies do not work, may not
    /// work, or are degraded themselves (an alternative was lost below them).
    DependsOn {
        /// The direct dependencies that are not intact, in `needs` order.
        on: Vec<NodeRef>,
    },
}

impl CauseReport {
    /// One line of text.
    pub fn text(&self) -> String {
        match self {
            CauseReport::Removed { by } => format!("removed by {}", by.join(", ")),
            CauseReport::Lost {
                group,
                need,
                of,
                lost,
                description,
            } => {
                let ids = lost
                    .iter()
                    .map(|n| n.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                match group {
                    GroupKind::Any => format!("lost every alternative: {ids}"),
                    GroupKind::AtLeast => {
                        format!("needs {need} of {of}, lost {}: {ids}", lost.len())
                    }
                    GroupKind::Unknown { .. } => {
                        let d = description.as_deref().unwrap_or("undetermined");
                        if ids.is_empty() {
                            format!("undetermined dependency ({d})")
                        } else {
                            format!("undetermined dependency ({d}) among lost: {ids}")
                        }
                    }
                    GroupKind::Org => format!("its organization fell: {ids}"),
                    GroupKind::Parent => format!("its parent organization fell: {ids}"),
                    GroupKind::Required | GroupKind::Partner => format!("needs {ids}"),
                }
            }
            CauseReport::DependsOn { on } => format!(
                "works, but depends on {}",
                on.iter()
                    .map(|n| n.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// Serializes a group kind by its name in outputs.
fn group_name<S: serde::Serializer>(kind: &GroupKind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(kind.as_str())
}

/// A node that a scenario touched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AffectedNode {
    /// Unique id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Layer (`null` for organizations).
    pub layer: Option<String>,
    /// `degraded`, `unknown` or `failed`.
    pub status: NodeStatus,
    /// What brought it down (failed, unknown) or what it lost below it (degraded).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<CauseReport>,
}

impl AffectedNode {
    /// Node `i` as `o` leaves it, seen from `dest`, with its cause in words.
    fn new(
        world: &World,
        o: &Outcome,
        removals: &[Removal],
        dest: Destination<'_>,
        i: NodeIdx,
    ) -> AffectedNode {
        let n = world.node(i);
        AffectedNode {
            id: n.id.clone(),
            name: n.name.clone(),
            layer: n.layer.map(|l| l.as_str().to_owned()),
            status: o.status(i),
            cause: explain(world, o, removals, dest, i),
        }
    }
}

/// A capability and its status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CapabilityStatus {
    /// Unique id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// `intact`, `degraded`, `unknown` or `failed`.
    pub status: NodeStatus,
}

/// What one country sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountryReport {
    /// Country code.
    pub code: String,
    /// Display name.
    pub name: String,
    /// The worst status among its capabilities (`intact` when it has none).
    pub status: NodeStatus,
    /// Every capability, in file order.
    pub capabilities: Vec<CapabilityStatus>,
    /// Every node of its dependency cone that is not intact, worst first, then by id.
    pub affected: Vec<AffectedNode>,
}

/// One removal, as the report lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemovalReport {
    /// The selector, as written.
    pub remove: String,
    /// The destination countries (`null` = every destination).
    #[serde(rename = "for")]
    pub for_countries: Option<Vec<String>>,
    /// The nodes it names.
    pub nodes: Vec<NodeRef>,
}

/// A scenario's result, per country.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScenarioReport {
    /// Scenario title.
    pub name: String,
    /// What it stands for.
    pub description: Option<String>,
    /// The removals.
    pub removals: Vec<RemovalReport>,
    /// One entry per country, sorted by code.
    pub countries: Vec<CountryReport>,
    /// Node counts seen from a destination that no scope singles out (only the
    /// unscoped removals apply), over the whole world.
    pub everywhere: Counts,
    /// Every node in no country's dependency cone that is not intact, seen from a
    /// destination no scope singles out, with its cause; worst first, then by id. On
    /// a world without countries (an imported fault tree, a supplier network) this
    /// names every failure.
    pub outside: Vec<AffectedNode>,
}

/// How many nodes end in each state that is not intact.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Nodes removed by the scenario itself.
    pub removed: usize,
    /// Failed nodes (removed ones included).
    pub failed: usize,
    /// Unknown nodes.
    pub unknown: usize,
    /// Degraded nodes.
    pub degraded: usize,
}

impl Counts {
    /// Counts the states of `o`.
    pub fn of(o: &Outcome) -> Counts {
        let mut c = Counts {
            removed: o.removed.iter().filter(|r| **r).count(),
            ..Counts::default()
        };
        for s in &o.status {
            match s {
                NodeStatus::Failed => c.failed += 1,
                NodeStatus::Unknown => c.unknown += 1,
                NodeStatus::Degraded => c.degraded += 1,
                NodeStatus::Intact => {}
            }
        }
        c
    }
}

/// The cause of `i`'s state in `o`, in words.
pub fn explain(
    world: &World,
    o: &Outcome,
    removals: &[Removal],
    dest: Destination<'_>,
    i: NodeIdx,
) -> Option<CauseReport> {
    if o.status(i) == NodeStatus::Degraded {
        let mut on: Vec<NodeIdx> = Vec::new();
        for g in &world.node(i).needs {
            for &m in &g.members {
                if o.status(m) != NodeStatus::Intact && !on.contains(&m) {
                    on.push(m);
                }
            }
        }
        return Some(CauseReport::DependsOn {
            on: on.into_iter().map(|m| NodeRef::of(world, m)).collect(),
        });
    }
    match o.cause(i)? {
        Cause::Removed => Some(CauseReport::Removed {
            by: removals
                .iter()
                .filter(|r| r.applies_to(dest) && r.nodes.contains(&i))
                .map(|r| r.selector.to_string())
                .collect(),
        }),
        Cause::Lost { group } => {
            let g = world.node(i).needs.get(group as usize)?;
            Some(CauseReport::Lost {
                group: g.kind.clone(),
                need: g.need,
                of: g.members.len(),
                lost: o
                    .lost_members(world, i, group)
                    .into_iter()
                    .map(|m| NodeRef::of(world, m))
                    .collect(),
                description: match &g.kind {
                    GroupKind::Unknown { description, .. } => Some(description.to_string()),
                    _ => None,
                },
            })
        }
    }
}

/// Evaluates `scenario` and describes the result per country.
///
/// # Complexity
/// One cascade per distinct set of applicable removals (see
/// [`Cascade::evaluate_scenario`]), plus O(V' + E') per country for its cone.
pub fn report(cascade: &Cascade<'_>, scenario: &Scenario) -> ScenarioReport {
    let world = cascade.world();
    let out = cascade.evaluate_scenario(&scenario.removals);
    let mut countries = Vec::new();
    for (ci, c) in world.countries.iter().enumerate() {
        let Some(o) = out.country(ci) else { continue };
        let dest = Destination::Country(&c.code);
        let capabilities: Vec<CapabilityStatus> = c
            .capabilities
            .iter()
            .map(|&i| CapabilityStatus {
                id: world.node(i).id.clone(),
                name: world.node(i).name.clone(),
                status: o.status(i),
            })
            .collect();
        let mut affected: Vec<AffectedNode> = cone(world, &c.capabilities)
            .into_iter()
            .filter(|&i| o.status(i) != NodeStatus::Intact)
            .map(|i| AffectedNode::new(world, o, &scenario.removals, dest, i))
            .collect();
        affected.sort_by(|a, b| b.status.cmp(&a.status).then_with(|| a.id.cmp(&b.id)));
        countries.push(CountryReport {
            code: c.code.clone(),
            name: c.name.clone(),
            status: capabilities
                .iter()
                .map(|c| c.status)
                .max()
                .unwrap_or(NodeStatus::Intact),
            capabilities,
            affected,
        });
    }
    ScenarioReport {
        name: scenario.name.clone(),
        description: scenario.description.clone(),
        removals: scenario
            .removals
            .iter()
            .map(|r| RemovalReport {
                remove: r.selector.to_string(),
                for_countries: r.scope.clone(),
                nodes: r.nodes.iter().map(|&i| NodeRef::of(world, i)).collect(),
            })
            .collect(),
        countries,
        everywhere: out.everywhere().map(Counts::of).unwrap_or_default(),
        outside: out
            .everywhere()
            .map(|o| outside(world, o, &scenario.removals))
            .unwrap_or_default(),
    }
}

/// The nodes of no country's cone that `o` leaves not intact, with their causes,
/// worst first, then by id.
///
/// # Complexity
/// O(V + E) for the union of the cones, plus O(A log A) for the A such nodes.
fn outside(world: &World, o: &Outcome, removals: &[Removal]) -> Vec<AffectedNode> {
    let roots: Vec<NodeIdx> = world
        .countries
        .iter()
        .flat_map(|c| c.capabilities.iter().copied())
        .collect();
    let mut in_cone = vec![false; world.len()];
    for i in cone(world, &roots) {
        in_cone[i.index()] = true;
    }
    let mut v: Vec<AffectedNode> = world
        .indices()
        .filter(|&i| !in_cone[i.index()] && o.status(i) != NodeStatus::Intact)
        .map(|i| AffectedNode::new(world, o, removals, Destination::Everywhere, i))
        .collect();
    v.sort_by(|a, b| b.status.cmp(&a.status).then_with(|| a.id.cmp(&b.id)));
    v
}
