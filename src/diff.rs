//! Structural differences between two worlds (two stack directories): nodes added,
//! removed and changed, and dependencies added and removed.
//!
//! This is the structural half of `jenga diff`; how the chokepoint ranking and each
//! country's exposure moved is in [`moves`].
//!
//! Nodes are matched by id, dependencies by (dependent, dependency, kind of group).
//! Everything is sorted by id, so the result is deterministic.

pub mod moves;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::export::kind_name;
pub use crate::graph::NodeRef;
use crate::graph::{NodeIdx, World};
use crate::output::Table;

/// One changed attribute of a node present in both worlds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// The node's id.
    pub id: String,
    /// The node's name in the new world.
    pub name: String,
    /// Which attribute: `name`, `kind`, `layer`, `org`, `jurisdiction`, `status`,
    /// `country` or `needs`.
    pub field: &'static str,
    /// Its old value (`""` when absent).
    pub old: String,
    /// Its new value (`""` when absent).
    pub new: String,
}

/// A dependency edge: `from` needs `to` through a group of the given kind.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct DepRef {
    /// The dependent's id.
    pub from: String,
    /// The dependency's id.
    pub to: String,
    /// The group's kind (`requires`, `owned-by`, `any`, ...; see
    /// [`crate::export::kind_name`]).
    pub kind: &'static str,
}

/// What changed from `old` to `new`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Diff {
    /// Nodes only in the new world.
    pub nodes_added: Vec<NodeRef>,
    /// Nodes only in the old world.
    pub nodes_removed: Vec<NodeRef>,
    /// Attributes that differ, per node in both worlds.
    pub nodes_changed: Vec<FieldChange>,
    /// Dependencies only in the new world.
    pub dependencies_added: Vec<DepRef>,
    /// Dependencies only in the old world.
    pub dependencies_removed: Vec<DepRef>,
}

impl Diff {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.nodes_added.is_empty()
            && self.nodes_removed.is_empty()
            && self.nodes_changed.is_empty()
            && self.dependencies_added.is_empty()
            && self.dependencies_removed.is_empty()
    }
}

/// The attributes compared, as text, in a fixed order.
fn fields(w: &World, i: NodeIdx) -> [(&'static str, String); 8] {
    let n = w.node(i);
    let needs: Vec<String> = n
        .needs
        .iter()
        .map(|g| {
            let mut m: Vec<&str> = g.members.iter().map(|&x| w.node(x).id.as_str()).collect();
            m.sort_unstable();
            format!("{} {} of [{}]", kind_name(&g.kind), g.need, m.join(", "))
        })
        .collect();
    let mut needs = needs;
    needs.sort();
    [
        ("name", n.name.clone()),
        (
            "kind",
            if n.is_org() {
                "organization"
            } else {
                "component"
            }
            .to_owned(),
        ),
        ("layer", n.layer.map_or("", |l| l.as_str()).to_owned()),
        ("org", n.org.map_or(String::new(), |o| w.node(o).id.clone())),
        ("jurisdiction", n.jurisdiction.clone().unwrap_or_default()),
        ("status", n.status.map_or("", |s| s.as_str()).to_owned()),
        (
            "country",
            n.country
                .and_then(|c| w.countries.get(c))
                .map_or(String::new(), |c| c.code.clone()),
        ),
        ("needs", needs.join("; ")),
    ]
}

fn deps(w: &World) -> BTreeSet<DepRef> {
    use petgraph::visit::EdgeRef as _;
    w.graph
        .edge_references()
        .filter_map(|e| {
            let g = w.node(e.source()).needs.get(e.weight().group as usize)?;
            Some(DepRef {
                from: w.node(e.source()).id.clone(),
                to: w.node(e.target()).id.clone(),
                kind: kind_name(&g.kind),
            })
        })
        .collect()
}

/// Compares two worlds.
///
/// # Complexity
/// O((V + E) log(V + E)) for V nodes and E dependency edges of both worlds: ids and
/// edges go into ordered maps and sets, and every node in both is compared field by
/// field (its `needs` sorted).
pub fn diff(old: &World, new: &World) -> Diff {
    let ids = |w: &World| -> BTreeMap<String, NodeIdx> {
        w.indices().map(|i| (w.node(i).id.clone(), i)).collect()
    };
    let (o, n) = (ids(old), ids(new));
    let mut d = Diff::default();
    for (id, &i) in &n {
        match o.get(id) {
            None => d.nodes_added.push(NodeRef {
                id: id.clone(),
                name: new.node(i).name.clone(),
            }),
            Some(&j) => {
                for ((field, a), (_, b)) in fields(old, j).into_iter().zip(fields(new, i)) {
                    if a != b {
                        d.nodes_changed.push(FieldChange {
                            id: id.clone(),
                            name: new.node(i).name.clone(),
                            field,
                            old: a,
                            new: b,
                        });
                    }
                }
            }
        }
    }
    for (id, &j) in &o {
        if !n.contains_key(id) {
            d.nodes_removed.push(NodeRef {
                id: id.clone(),
                name: old.node(j).name.clone(),
            });
        }
    }
    let (od, nd) = (deps(old), deps(new));
    d.dependencies_added = nd.difference(&od).cloned().collect();
    d.dependencies_removed = od.difference(&nd).cloned().collect();
    d
}

/// The diff as one table of changes: `change, id, name, field, old, new`, for the
/// text, CSV and Markdown formats.
pub fn to_table(d: &Diff) -> Table {
    let mut t = Table::new(["change", "id", "name", "field", "old", "new"])
        .titled("Structural changes (old → new)");
    for n in &d.nodes_added {
        t.push(["node added", &n.id, &n.name, "", "", ""]);
    }
    for n in &d.nodes_removed {
        t.push(["node removed", &n.id, &n.name, "", "", ""]);
    }
    for c in &d.nodes_changed {
        t.push(["node changed", &c.id, &c.name, c.field, &c.old, &c.new]);
    }
    for e in &d.dependencies_added {
        t.push(["dependency added", &e.from, "", e.kind, "", &e.to]);
    }
    for e in &d.dependencies_removed {
        t.push(["dependency removed", &e.from, "", e.kind, &e.to, ""]);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world(yaml: &str) -> World {
        crate::graph::from_yaml(&[yaml])
    }

    const OLD: &str = "organizations:\n  - {id: nvidia, name: Nvidia, jurisdiction: US}\nnodes:\n  - {id: h100, name: H100, layer: chips, org: nvidia}\n  - {id: a100, name: A100, layer: chips, org: nvidia}\n  - {id: m, name: M, layer: model, needs: [h100]}\n";
    const NEW: &str = "organizations:\n  - {id: nvidia, name: NVIDIA, jurisdiction: US}\n  - {id: amd, name: AMD, jurisdiction: US}\nnodes:\n  - {id: h100, name: H100, layer: chips, org: nvidia}\n  - {id: mi300, name: MI300, layer: chips, org: amd}\n  - {id: m, name: M, layer: model, needs: [{any: [h100, mi300]}]}\n";

    #[test]
    fn nothing_changes_against_itself() {
        assert!(diff(&world(OLD), &world(OLD)).is_empty());
    }

    #[test]
    fn finds_added_removed_and_changed() {
        let d = diff(&world(OLD), &world(NEW));
        let ids = |v: &[NodeRef]| v.iter().map(|n| n.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&d.nodes_added), ["amd", "mi300"]);
        assert_eq!(ids(&d.nodes_removed), ["a100"]);
        let changes: Vec<(&str, &str, &str, &str)> = d
            .nodes_changed
            .iter()
            .map(|c| (c.id.as_str(), c.field, c.old.as_str(), c.new.as_str()))
            .collect();
        assert_eq!(
            changes,
            [
                (
                    "m",
                    "needs",
                    "requires 1 of [h100]",
                    "any 1 of [h100, mi300]"
                ),
                ("nvidia", "name", "Nvidia", "NVIDIA"),
            ]
        );
        let deps = |v: &[DepRef]| {
            v.iter()
                .map(|e| format!("{}->{}:{}", e.from, e.to, e.kind))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            deps(&d.dependencies_added),
            ["m->h100:any", "m->mi300:any", "mi300->amd:owned-by"]
        );
        assert_eq!(
            deps(&d.dependencies_removed),
            ["a100->nvidia:owned-by", "m->h100:requires"]
        );
        assert_eq!(to_table(&d).to_csv().lines().count(), 1 + 3 + 2 + 3 + 2);
    }
}
