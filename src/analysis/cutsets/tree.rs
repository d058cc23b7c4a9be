//! The fault tree: a target's cone as a monotone Boolean function of removals.
//!
//! An [`Event`] is true when it has *failed*. A node fails when it is removed (if it is
//! a candidate) or when one of its groups fails; a group that needs `m` of its `n`
//! members fails when at least `n − m + 1` members fail. So a required dependency is
//! an OR of failures, `any` an AND, and `at-least k of n` an `(n−k+1)`-of-n gate.
//! Events are stored so that every input has a smaller index than its gate.

use std::collections::HashMap;

use petgraph::algo::kosaraju_scc;

use crate::graph::{Group, NodeIdx, World};

/// One event of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Never fails.
    False,
    /// Always failed.
    True,
    /// A basic event: the removal of candidate number `.0`.
    Basic(u32),
    /// Fails when at least `k` of `inputs` fail (`k = 1`: OR; `k = n`: AND).
    Gate {
        /// The threshold, `1 ≤ k ≤ inputs.len()` once simplified.
        k: u32,
        /// Input events (smaller indices); may repeat an event, which then counts twice.
        inputs: Vec<u32>,
    },
}

/// A fault tree: events in topological order (inputs first) and the top event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultTree {
    /// The events; [`Event::Gate`] inputs have smaller indices.
    pub events: Vec<Event>,
    /// A name per event (for export and messages).
    pub names: Vec<String>,
    /// The top event.
    pub root: u32,
    /// Names of the basic events, by candidate number.
    pub basics: Vec<String>,
}

impl FaultTree {
    /// An empty tree whose events 0 and 1 are the constants.
    pub fn new() -> FaultTree {
        FaultTree {
            events: vec![Event::False, Event::True],
            names: vec!["false".to_owned(), "true".to_owned()],
            root: 0,
            basics: Vec::new(),
        }
    }

    /// Appends an event and returns its index.
    pub fn push(&mut self, event: Event, name: impl Into<String>) -> u32 {
        self.events.push(event);
        self.names.push(name.into());
        u32::try_from(self.events.len() - 1).unwrap_or(u32::MAX)
    }

    /// Appends a gate that fails when at least `k` of `inputs` fail; returns its index.
    pub fn gate(&mut self, k: u32, inputs: Vec<u32>, name: impl Into<String>) -> u32 {
        self.push(Event::Gate { k, inputs }, name)
    }

    /// Adds a basic event named `name` and returns its event index.
    pub fn basic(&mut self, name: &str) -> u32 {
        let b = u32::try_from(self.basics.len()).unwrap_or(u32::MAX);
        self.basics.push(name.to_owned());
        self.push(Event::Basic(b), name)
    }

    /// Evaluates the top event when the basic events in `failed` (by candidate
    /// number) have failed.
    ///
    /// # Complexity
    /// O(events + inputs).
    pub fn evaluate(&self, failed: &[bool]) -> bool {
        let mut value = vec![false; self.events.len()];
        for (i, e) in self.events.iter().enumerate() {
            value[i] = match e {
                Event::False => false,
                Event::True => true,
                Event::Basic(b) => failed.get(*b as usize).copied().unwrap_or(false),
                Event::Gate { k, inputs } => {
                    inputs.iter().filter(|&&x| value[x as usize]).count() >= *k as usize
                }
            };
        }
        value.get(self.root as usize).copied().unwrap_or(false)
    }

    /// Propagates constants, collapses one-input gates, and drops events the root does
    /// not reach. Basic-event numbering is kept.
    ///
    /// # Complexity
    /// O(events + inputs).
    pub fn simplified(&self) -> FaultTree {
        let n = self.events.len();
        // repl[i]: the event of `out` that stands for event i.
        let mut out = FaultTree::new();
        out.basics = self.basics.clone();
        let mut repl = vec![0u32; n];
        let reach = self.reachable();
        for i in 0..n {
            if !reach[i] {
                continue;
            }
            repl[i] = match &self.events[i] {
                Event::False => 0,
                Event::True => 1,
                Event::Basic(b) => out.push(Event::Basic(*b), self.names[i].clone()),
                Event::Gate { k, inputs } => {
                    let mut k = *k as usize;
                    let mut ins: Vec<u32> = Vec::with_capacity(inputs.len());
                    for &x in inputs {
                        match repl[x as usize] {
                            0 => {}
                            1 => k = k.saturating_sub(1),
                            y => ins.push(y),
                        }
                    }
                    let all = k == ins.len();
                    if k == 1 || all {
                        ins.sort_unstable();
                        ins.dedup();
                        if all {
                            k = ins.len();
                        }
                    }
                    if k == 0 {
                        1
                    } else if k > ins.len() {
                        0
                    } else if ins.len() == 1 {
                        ins[0]
                    } else {
                        let k = u32::try_from(k).unwrap_or(u32::MAX);
                        out.push(Event::Gate { k, inputs: ins }, self.names[i].clone())
                    }
                }
            };
        }
        out.root = repl[self.root as usize];
        out.prune()
    }

    fn reachable(&self) -> Vec<bool> {
        let mut seen = vec![false; self.events.len()];
        let mut stack = vec![self.root];
        while let Some(i) = stack.pop() {
            if std::mem::replace(&mut seen[i as usize], true) {
                continue;
            }
            if let Event::Gate { inputs, .. } = &self.events[i as usize] {
                stack.extend(inputs.iter().copied());
            }
        }
        seen
    }

    /// Keeps the constants and the events the root reaches, renumbered in order.
    fn prune(self) -> FaultTree {
        let reach = self.reachable();
        let mut out = FaultTree::new();
        out.basics = self.basics;
        let mut map = vec![0u32; self.events.len()];
        map[1] = 1;
        for (i, (e, name)) in self.events.into_iter().zip(self.names).enumerate() {
            if i < 2 || !reach[i] {
                continue;
            }
            let e = match e {
                Event::Gate { k, inputs } => Event::Gate {
                    k,
                    inputs: inputs.iter().map(|&x| map[x as usize]).collect(),
                },
                e => e,
            };
            map[i] = out.push(e, name);
        }
        out.root = map[self.root as usize];
        out
    }
}

impl Default for FaultTree {
    fn default() -> Self {
        Self::new()
    }
}

/// What fails: one node, or a country losing all (or any) of its capabilities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A node.
    Node(NodeIdx),
    /// A country (index into `World::countries`).
    Country {
        /// The country.
        index: usize,
        /// Fails when any one capability fails (rather than all).
        any_capability: bool,
    },
}

/// A target's cone translated into a fault tree.
#[derive(Debug, Clone)]
pub struct Translation {
    /// The tree (not simplified).
    pub tree: FaultTree,
    /// The node each basic event removes, by candidate number.
    pub candidates: Vec<NodeIdx>,
    /// How many `unknown` groups the cone holds (read optimistically).
    pub unknown_groups: usize,
    /// Nodes in the cone (the target's own nodes included).
    pub cone: usize,
}

/// Largest number of events that unrolling the cycles may create.
pub const MAX_UNROLLED: usize = 2_000_000;

/// A dependency cycle whose exact unrolling would exceed [`MAX_UNROLLED`] events.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the dependency cycle through `{through}` ({nodes} nodes) is too large to unroll exactly")]
pub struct CycleTooLarge {
    /// The id of a node of the cycle.
    pub through: String,
    /// How many nodes the cycle has.
    pub nodes: usize,
}

/// Translates the cone of `target` into a fault tree whose basic events are the
/// removals of the nodes with `is_candidate` set.
///
/// Cycles follow the greatest-fixpoint semantics: a node fails only through a finite
/// chain of failures starting at removals (the least fixpoint of failure). Such a chain
/// never needs to pass twice through the same node, so inside a strongly connected
/// component of `s` nodes the failure of each node is unrolled `s` times, layer `ℓ`
/// reading its in-component dependencies from layer `ℓ − 1` and layer 0 being "not
/// failed". This is exact and keeps the tree acyclic.
///
/// # Errors
/// [`CycleTooLarge`] when unrolling the cycles would exceed [`MAX_UNROLLED`] events.
///
/// # Complexity
/// O(V + E) outside cycles; O(s²·e) events for a component of `s` nodes and `e`
/// group memberships (Kosaraju–Sharir 1981 for the components, iterative).
pub fn translate(
    world: &World,
    target: &Target,
    is_candidate: &[bool],
) -> Result<Translation, CycleTooLarge> {
    let roots: Vec<NodeIdx> = match target {
        Target::Node(i) => vec![*i],
        Target::Country { index, .. } => world
            .countries
            .get(*index)
            .map(|c| c.capabilities.clone())
            .unwrap_or_default(),
    };
    let n = world.len();
    let in_cone = crate::graph::cone_mask(world, &roots);
    let cone = in_cone.iter().filter(|&&c| c).count();

    // Kosaraju's algorithm: petgraph's is iterative (its `tarjan_scc` recurses once per
    // node of a path and overflows the stack on a long dependency chain).
    let sccs = kosaraju_scc(&world.graph);
    let mut scc_of = vec![usize::MAX; n];
    for (s, comp) in sccs.iter().enumerate() {
        for v in comp {
            scc_of[v.index()] = s;
        }
    }

    let mut tree = FaultTree::new();
    let mut candidates = Vec::new();
    let mut basic_of: Vec<Option<u32>> = vec![None; n];
    // The event that stands for the failure of each node, once built.
    let mut final_event: Vec<u32> = vec![0; n];
    let mut unknown_groups = 0;
    let mut budget = MAX_UNROLLED;

    // Components come dependencies first (the order is a reverse topological one).
    for comp in &sccs {
        if !in_cone[comp[0].index()] {
            continue;
        }
        for &v in comp {
            if is_candidate.get(v.index()).copied().unwrap_or(false) {
                let node = world.node(v);
                let name = if node.needs.is_empty() {
                    node.id.clone()
                } else {
                    format!("{}.removed", node.id)
                };
                basic_of[v.index()] = Some(tree.basic(&name));
                candidates.push(v);
            }
            unknown_groups += world
                .node(v)
                .needs
                .iter()
                .filter(|g| g.is_unknown())
                .count();
        }
        let s = comp.len();
        let layers = if s == 1 { 1 } else { s };
        let cost = layers.saturating_mul(
            comp.iter()
                .map(|&v| world.node(v).needs.len() + 1)
                .sum::<usize>(),
        );
        // Only a cycle is unrolled: a node outside cycles makes one event per
        // dependency group (linear in the cone, which the world bounds), so it is not
        // charged; a million-node chain translates.
        budget = if s == 1 {
            Some(budget)
        } else {
            budget.checked_sub(cost)
        }
        .ok_or_else(|| CycleTooLarge {
            through: world.node(comp[0]).id.to_string(),
            nodes: s,
        })?;
        let scc_id = scc_of[comp[0].index()];
        // Position of each member in the component, for O(1) layer look-ups.
        let pos: HashMap<NodeIdx, usize> = comp.iter().enumerate().map(|(p, &v)| (v, p)).collect();
        // prev[p]: the layer ℓ−1 event of member p (layer 0: never failed).
        let mut prev: Vec<u32> = vec![0; s];
        for layer in 1..=layers {
            let mut next = Vec::with_capacity(s);
            for &v in comp {
                let lookup = |m: NodeIdx| -> u32 {
                    if s > 1 && scc_of[m.index()] == scc_id {
                        pos.get(&m).map_or(0, |&p| prev[p])
                    } else {
                        final_event[m.index()]
                    }
                };
                let suffix = if layer == layers {
                    String::new()
                } else {
                    format!(".layer{layer}")
                };
                next.push(node_event(
                    world,
                    v,
                    basic_of[v.index()],
                    &lookup,
                    &mut tree,
                    &suffix,
                ));
            }
            prev = next;
        }
        for (&v, e) in comp.iter().zip(prev) {
            final_event[v.index()] = e;
        }
    }

    tree.root = match target {
        Target::Node(i) => final_event[i.index()],
        Target::Country {
            index,
            any_capability,
        } => {
            let inputs: Vec<u32> = roots.iter().map(|c| final_event[c.index()]).collect();
            let k = if *any_capability { 1 } else { inputs.len() };
            let name = world
                .countries
                .get(*index)
                .map(|c| c.code.clone())
                .unwrap_or_default();
            if inputs.is_empty() {
                0
            } else {
                let k = u32::try_from(k).unwrap_or(u32::MAX);
                tree.push(Event::Gate { k, inputs }, name)
            }
        }
    };
    Ok(Translation {
        tree,
        candidates,
        unknown_groups,
        cone,
    })
}

/// The failure event of node `v`: its removal or the failure of one of its groups.
fn node_event(
    world: &World,
    v: NodeIdx,
    basic: Option<u32>,
    lookup: &dyn Fn(NodeIdx) -> u32,
    tree: &mut FaultTree,
    suffix: &str,
) -> u32 {
    let node = world.node(v);
    let mut inputs = Vec::with_capacity(node.needs.len() + 1);
    inputs.extend(basic);
    for (gi, g) in node.needs.iter().enumerate() {
        if let Some(e) = group_event(g, lookup, tree, || format!("{}.needs{gi}{suffix}", node.id)) {
            inputs.push(e);
        }
    }
    match inputs.len() {
        0 => 0,
        1 if basic.is_some() && node.needs.is_empty() => inputs[0],
        _ => tree.push(Event::Gate { k: 1, inputs }, format!("{}{suffix}", node.id)),
    }
}

/// The failure event of one group (`None` when the group can never fail).
fn group_event(
    g: &Group,
    lookup: &dyn Fn(NodeIdx) -> u32,
    tree: &mut FaultTree,
    name: impl FnOnce() -> String,
) -> Option<u32> {
    let members: Vec<u32> = g.members.iter().map(|&m| lookup(m)).collect();
    let n = members.len();
    if n == 0 || g.is_open_unknown() || g.need == 0 {
        // An open `unknown` holds in the optimistic reading whatever fails; a group
        // that needs none of its members (partners) never fails.
        return None;
    }
    let k = if g.is_unknown() {
        // Optimistic reading of a closed list: holds while any candidate works.
        n
    } else {
        let need = (g.need as usize).min(n);
        n - need + 1
    };
    if n == 1 && k == 1 {
        return Some(members[0]);
    }
    let k = u32::try_from(k).unwrap_or(u32::MAX);
    Some(tree.push(Event::Gate { k, inputs: members }, name()))
}
