//! The dependency graph: one [`World`] built from every file of `stacks/`.
//!
//! Nodes are the stack's components and the organizations that own them; an edge
//! `a → b` says that `a` needs `b`. Each node keeps its `needs` as [`Group`]s, the
//! unit of the failure semantics: a group holds when at least `need` of its members
//! work (a plain id is a group of one, `any` needs one of n, `at-least k` needs k of
//! n). The graph is immutable once built; analyses index it by [`NodeIdx`].

pub mod build;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef as _;
use serde::Serialize;

use crate::model::{Citation, Facts, Figures, Layer, OrgKind, Status};

pub use build::{build, build_owned};

/// Index of a node in [`World::graph`].
pub type NodeIdx = NodeIndex<u32>;

/// Whether a node is an organization or a component of the stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeKind {
    /// A company, agency or consortium: an owner of components.
    Organization,
    /// A chip, computer, data set, model, channel or capability.
    Component,
}

/// Where a node was declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The file (shared by every node it declares).
    pub file: Arc<Path>,
    /// 1-based line of its `id`.
    pub line: u32,
    /// 1-based column of its `id`.
    pub column: u32,
}

/// How a group of dependencies is satisfied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupKind {
    /// A plain id in `needs`: the one member is required.
    Required,
    /// The implicit dependency of a node on its `org`.
    Org,
    /// The implicit dependency of an organization on its `parent`.
    Parent,
    /// `any: [...]`: one member suffices.
    Any,
    /// `at-least: k` of the members.
    AtLeast,
    /// `partners: [...]`: organisations or nodes the sources name as partners, not as
    /// needs. `need` is 0: the group always holds, and a failed partner leaves its
    /// dependent degraded, never failed.
    Partner,
    /// `unknown: ...`: a dependency the sources leave undetermined. Its members, if
    /// any, are the candidates it is known to be among (`need` is 1 for a closed list:
    /// one of them; 0 for an open one: one of them or something not in the data).
    Unknown {
        /// What the sources say about it (boxed: a group stays small).
        description: Box<str>,
        /// The layer of what is missing; `None` when the file states none (any
        /// removal could be it).
        layer: Option<Layer>,
        /// Whether the members are the whole list of candidates.
        closed: bool,
    },
}

impl GroupKind {
    /// The group's name in analyses' outputs: `required`, `org`, `parent`, `any`,
    /// `at-least` or `unknown` (exports use their own vocabulary,
    /// [`crate::export::kind_name`]).
    pub fn as_str(&self) -> &'static str {
        match self {
            GroupKind::Required => "required",
            GroupKind::Org => "org",
            GroupKind::Parent => "parent",
            GroupKind::Any => "any",
            GroupKind::AtLeast => "at-least",
            GroupKind::Partner => "partner",
            GroupKind::Unknown { .. } => "unknown",
        }
    }
}

/// One term of a node's `needs`, with its threshold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The form of the term.
    pub kind: GroupKind,
    /// How many members must work for the group to hold (for `Unknown`, in the
    /// optimistic reading; see the analysis module).
    pub need: u32,
    /// The members, in the order the file gives them.
    pub members: Vec<NodeIdx>,
}

impl Group {
    /// How many members may fail before the group fails.
    pub fn tolerance(&self) -> u32 {
        u32::try_from(self.members.len())
            .unwrap_or(u32::MAX)
            .saturating_sub(self.need)
    }

    /// Whether the group is an `unknown` dependency.
    pub fn is_unknown(&self) -> bool {
        matches!(self.kind, GroupKind::Unknown { .. })
    }

    /// Whether the group is an `unknown` whose pessimistic reading is at risk from
    /// removals beyond its candidates: every `unknown` but a closed list. Such a group
    /// fails in the pessimistic reading when a removal could be it
    /// ([`World::could_be`]).
    pub fn is_open_unknown(&self) -> bool {
        matches!(self.kind, GroupKind::Unknown { closed: false, .. })
    }

    /// The layer an open `unknown` stands for (`None`: any layer).
    pub fn unknown_layer(&self) -> Option<Layer> {
        match self.kind {
            GroupKind::Unknown { layer, .. } => layer,
            _ => None,
        }
    }
}

/// A node of the world.
#[derive(Debug, Clone)]
pub struct Node {
    /// Unique id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Organization or component.
    pub kind: NodeKind,
    /// The layer of a component (None for organizations and unlayered models).
    pub layer: Option<Layer>,
    /// The owning organization.
    pub org: Option<NodeIdx>,
    /// The effective jurisdiction: an organization's own, a component's org's, or
    /// the country of the file that declares an unowned component.
    pub jurisdiction: Option<String>,
    /// The country whose file declares the node.
    pub country: Option<usize>,
    /// Kind of organization.
    pub org_kind: Option<OrgKind>,
    /// Lifecycle status.
    pub status: Option<Status>,
    /// Quantities, when the file gives any (boxed: most nodes have none; see
    /// [`Node::figures`]).
    pub figures_given: Option<Box<Figures>>,
    /// Verbatim descriptive facts, when the file gives any (see [`Node::facts`]).
    pub facts_given: Option<Box<Facts>>,
    /// Citations.
    pub sources: Vec<Citation>,
    /// Remarks.
    pub notes: Option<String>,
    /// The dependency groups (the implicit org or parent group first; partners, if
    /// any, last).
    pub needs: Vec<Group>,
    /// Where it was declared.
    pub origin: Origin,
}

/// What a node without `figures` has.
static NO_FIGURES: Figures = Figures {
    budget: None,
    gpus: None,
    parameters: None,
    tokens: None,
};

/// What a node without `facts` has.
static NO_FACTS: Facts = Facts {
    table: None,
    country: None,
    title: None,
    model_type: None,
    openness: None,
    training_data: None,
    infrastructure: None,
    location: None,
    investment_nature: None,
    partners: None,
    status_text: None,
};

impl Node {
    /// Quantities (all absent when the file gives none).
    pub fn figures(&self) -> &Figures {
        self.figures_given.as_deref().unwrap_or(&NO_FIGURES)
    }

    /// Verbatim descriptive facts (all absent when the file gives none).
    pub fn facts(&self) -> &Facts {
        self.facts_given.as_deref().unwrap_or(&NO_FACTS)
    }

    /// Whether this node is an organization.
    pub fn is_org(&self) -> bool {
        self.kind == NodeKind::Organization
    }
}

/// The edge payload: which group of the dependent node the edge belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dep {
    /// Index into the dependent node's `needs`.
    pub group: u32,
}

/// A country and what its sovereign-AI effort must keep.
#[derive(Debug, Clone)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code (`EU` allowed).
    pub code: String,
    /// Display name.
    pub name: String,
    /// The capabilities, in file order.
    pub capabilities: Vec<NodeIdx>,
    /// Citations for the country as a whole.
    pub sources: Vec<Citation>,
    /// Remarks.
    pub notes: Option<String>,
    /// The file that declares it.
    pub file: PathBuf,
}

/// A declared group of allied jurisdictions.
#[derive(Debug, Clone)]
pub struct Alliance {
    /// Id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Member jurisdictions, sorted.
    pub members: Vec<String>,
}

/// A bibliography entry.
#[derive(Debug, Clone)]
pub struct Source {
    /// Id used in citations.
    pub id: String,
    /// Title.
    pub title: String,
    /// Author(s).
    pub author: String,
    /// Date.
    pub date: String,
    /// Publisher or venue.
    pub publisher: Option<String>,
    /// Address.
    pub url: Option<String>,
}

/// Everything loaded from `stacks/`, as one graph.
#[derive(Debug, Clone, Default)]
pub struct World {
    /// Nodes and `needs` edges (dependent → dependency). Nodes are boxed: the
    /// graph's array holds a pointer each, and [`World::node`] gives the node.
    pub graph: DiGraph<Box<Node>, Dep>,
    /// Node ids to indices.
    pub ids: HashMap<String, NodeIdx>,
    /// Countries, sorted by code.
    pub countries: Vec<Country>,
    /// Alliances, sorted by id.
    pub alliances: Vec<Alliance>,
    /// Bibliography, sorted by id.
    pub sources: Vec<Source>,
    /// Shares and capacities, the quantitative part of the model (empty for a
    /// world that gives none).
    pub quantities: Quantities,
    /// The dependencies the files mark `inferred` (not stated by the sources): per
    /// node that has any, the dependency and the reason. Empty when the world was
    /// built with `--exclude-inferred`. A side table, so that a node stays lean.
    pub inferred: std::collections::BTreeMap<NodeIdx, Vec<InferredDep>>,
}

/// An `inferred` dependency of a node: the dependency, and why it is assumed.
pub type InferredDep = (NodeIdx, Box<str>);

/// A node's capacity: an amount in a unit (see [`crate::model::Capacity`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Capacity {
    /// The amount, at least 0.
    pub value: f64,
    /// The unit (`H100e`, `MW`, `Rmax TFlop/s`, `GPUs`, ...).
    pub unit: String,
}

/// The quantities of a world, kept beside the graph so that the boolean analyses
/// never carry them.
#[derive(Debug, Clone, Default)]
pub struct Quantities {
    /// For each group that gives shares, keyed by (node, index into its `needs`):
    /// the members' shares in member order, in percent, `None` where unknown.
    pub shares: std::collections::BTreeMap<(NodeIdx, u32), Vec<Option<f64>>>,
    /// The nodes that give a capacity.
    pub capacity: std::collections::BTreeMap<NodeIdx, Capacity>,
}

impl Quantities {
    /// Whether the world gives no share and no capacity.
    pub fn is_empty(&self) -> bool {
        self.shares.is_empty() && self.capacity.is_empty()
    }
}

/// The bit of "any layer" in a [`World::could_be`] mask: set on every node, so an
/// `unknown` that states no layer is at risk from any removal.
pub const ANY_LAYER: u8 = 1 << 7;

/// The bit of `layer` in a [`World::could_be`] mask (`None`: [`ANY_LAYER`]).
pub fn layer_bit(layer: Option<Layer>) -> u8 {
    match layer {
        None => ANY_LAYER,
        Some(l) => 1 << Layer::ALL.iter().position(|&x| x == l).unwrap_or(0),
    }
}

/// A node as every JSON output names it (scenario reports, diffs).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct NodeRef {
    /// Unique id.
    pub id: String,
    /// Display name.
    pub name: String,
}
impl NodeRef {
    /// The id and name of `i`.
    pub fn of(world: &World, i: NodeIdx) -> NodeRef {
        let n = world.node(i);
        NodeRef {
            id: n.id.clone(),
            name: n.name.clone(),
        }
    }
}

/// Every node reachable from `roots` along `needs` edges, roots included, as one
/// flag per node index: the one walk behind every cone of jenga ([`cone`], the
/// towers, exports and fault trees).
///
/// # Complexity
/// O(V + E) time over the cone, plus one O(V) allocation.
pub fn cone_mask(world: &World, roots: &[NodeIdx]) -> Vec<bool> {
    let mut seen = vec![false; world.len()];
    let mut stack: Vec<NodeIdx> = Vec::new();
    for &r in roots {
        if r.index() < seen.len() && !seen[r.index()] {
            seen[r.index()] = true;
            stack.push(r);
        }
    }
    while let Some(v) = stack.pop() {
        for d in world.dependencies(v) {
            if !seen[d.index()] {
                seen[d.index()] = true;
                stack.push(d);
            }
        }
    }
    seen
}

/// The dependency cone of `roots`: every node they transitively need, roots included,
/// in index order ([`cone_mask`] read out).
///
/// # Complexity
/// O(V + E): the walk of [`cone_mask`] and one pass over its flags.
pub fn cone(world: &World, roots: &[NodeIdx]) -> Vec<NodeIdx> {
    cone_mask(world, roots)
        .iter()
        .enumerate()
        .filter(|&(_, &inside)| inside)
        .map(|(i, _)| NodeIdx::new(i))
        .collect()
}

impl World {
    /// For every node, the layers an open `unknown` could be that the removal of this
    /// node would take away (a [`layer_bit`] mask): its own layer, the layers of every
    /// component it owns (through `org`, and through `parent` for a group's
    /// subsidiaries' products), and [`ANY_LAYER`]. Removing a jurisdiction removes its
    /// nodes, so it reaches every layer one of them holds.
    ///
    /// # Complexity
    /// O(V · L) for V nodes and L = 6 layers: a walk up the ownership chain stops at
    /// the first owner that already has the bit, so every node gains each bit once.
    pub fn could_be(&self) -> Vec<u8> {
        let mut mask = vec![ANY_LAYER; self.len()];
        let parent = |o: NodeIdx| {
            self.node(o)
                .needs
                .iter()
                .find(|g| g.kind == GroupKind::Parent)
                .and_then(|g| g.members.first().copied())
        };
        for i in self.indices() {
            let n = self.node(i);
            let Some(layer) = n.layer else { continue };
            let bit = layer_bit(Some(layer));
            mask[i.index()] |= bit;
            let mut up = n.org;
            while let Some(o) = up {
                if mask[o.index()] & bit != 0 {
                    break;
                }
                mask[o.index()] |= bit;
                up = parent(o);
            }
        }
        mask
    }

    /// Number of nodes, organizations included.
    pub fn len(&self) -> usize {
        self.graph.node_count()
    }

    /// Whether the world has no nodes.
    pub fn is_empty(&self) -> bool {
        self.graph.node_count() == 0
    }

    /// The node at `i`.
    pub fn node(&self, i: NodeIdx) -> &Node {
        &self.graph[i]
    }

    /// The index of the node with `id`.
    pub fn lookup(&self, id: &str) -> Option<NodeIdx> {
        self.ids.get(id).copied()
    }

    /// Every node index, in declaration order.
    pub fn indices(&self) -> impl Iterator<Item = NodeIdx> + '_ {
        self.graph.node_indices()
    }

    /// The country with `code`.
    pub fn country(&self, code: &str) -> Option<&Country> {
        self.countries.iter().find(|c| c.code == code)
    }

    /// The position of the country with `code` in [`World::countries`].
    pub fn country_index(&self, code: &str) -> Option<usize> {
        self.countries.iter().position(|c| c.code == code)
    }

    /// Whether `i` is a capability of some country.
    pub fn is_capability(&self, i: NodeIdx) -> bool {
        self.countries.iter().any(|c| c.capabilities.contains(&i))
    }

    /// The direct dependencies of `i` (each once, in edge order).
    pub fn dependencies(&self, i: NodeIdx) -> impl Iterator<Item = NodeIdx> + '_ {
        self.graph.edges(i).map(|e| e.target())
    }

    /// The direct dependents of `i`: the nodes that need it.
    pub fn dependents(&self, i: NodeIdx) -> impl Iterator<Item = NodeIdx> + '_ {
        self.graph
            .edges_directed(i, petgraph::Direction::Incoming)
            .map(|e| e.source())
    }

    /// How many dependencies the files mark `inferred` (0 in a world built with
    /// `--exclude-inferred`).
    pub fn inferred_count(&self) -> usize {
        self.inferred.values().map(Vec::len).sum()
    }

    /// For each node, whether its dependency cone crosses an `inferred` dependency
    /// (it, or something it transitively needs, has one): the results about it may
    /// change under `--exclude-inferred`.
    ///
    /// # Complexity
    /// O(V + E): one upward search from the nodes holding an inferred dependency.
    pub fn rests_on_inferred(&self) -> Vec<bool> {
        let mut mark = vec![false; self.len()];
        let mut stack: Vec<NodeIdx> = self.inferred.keys().copied().collect();
        for &i in &stack {
            mark[i.index()] = true;
        }
        while let Some(i) = stack.pop() {
            for d in self.dependents(i) {
                if !mark[d.index()] {
                    mark[d.index()] = true;
                    stack.push(d);
                }
            }
        }
        mark
    }

    /// Whether jurisdictions `a` and `b` share a declared alliance.
    pub fn allied(&self, a: &str, b: &str) -> bool {
        self.alliances.iter().any(|al| {
            al.members.binary_search_by(|m| m.as_str().cmp(a)).is_ok()
                && al.members.binary_search_by(|m| m.as_str().cmp(b)).is_ok()
        })
    }
}

/// Builds a world from YAML texts, one file each (`f0.yaml`, `f1.yaml`, …), for unit
/// tests; panics with the rendered diagnostics when the YAML is invalid.
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
pub(crate) fn from_yaml(files: &[&str]) -> World {
    let parsed: Vec<_> = files
        .iter()
        .enumerate()
        .map(|(k, y)| {
            crate::load::parse_bytes(
                Path::new(&format!("f{k}.yaml")),
                y.as_bytes().to_vec(),
                &crate::load::Limits::default(),
            )
            .unwrap_or_else(|d| panic!("{}", d.render(false)))
        })
        .collect();
    build(&parsed).unwrap_or_else(|d| panic!("{d:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_top_down_layer_order_is_the_reverse_of_all() {
        let mut up = Layer::TOP_DOWN;
        up.reverse();
        assert_eq!(up, Layer::ALL);
        for (rank, l) in Layer::TOP_DOWN.into_iter().enumerate() {
            assert_eq!(l.rank_top_down(), rank);
        }
    }
    use crate::model::{Location, Need, NodeDecl, Spanned, Str};

    /// Regression guard for the memory of a load (issue #8: peak under 10x the
    /// input). A world holds one of each of these per node, reference or need term,
    /// and a load of the 42,000-node benchmark world peaks at about 45 MB against a
    /// 47.8 MB budget, so a few bytes more on each would exceed it. The bounds are
    /// the sizes of the lean layout (x86-64): grow one only with a measurement of
    /// `jenga check` on that world (BENCHMARKS.md) in hand.
    #[test]
    fn per_node_types_stay_lean() {
        let sizes = [
            ("graph::Node", size_of::<Node>(), 216),
            ("graph::Group", size_of::<Group>(), 56),
            ("model::Location", size_of::<Location>(), 12),
            ("model::Spanned<Str>", size_of::<Spanned<Str>>(), 40),
            ("model::Spanned<Need>", size_of::<Spanned<Need>>(), 72),
            // 264 + the boxed `capacity`, `partners` and `inferred` (a pointer each).
            ("model::NodeDecl", size_of::<NodeDecl>(), 288),
        ];
        for (name, size, bound) in sizes {
            eprintln!("{name}: {size} bytes");
            assert!(size <= bound, "{name} is {size} bytes, over its {bound}");
        }
    }
}
