//! Why and who: the dependency paths from a capability (or a country's capabilities)
//! to a node, shortest first; and a node's blast radius, everything that transitively
//! needs it, grouped by country and layer.

use std::collections::BTreeMap;

use serde::Serialize;

use super::NodeStatus;
use super::cascade::Cascade;
use super::scenario::{NodeRef, cone};
use crate::graph::{GroupKind, NodeIdx, World};

/// One hop of a path: the node reached, and the kind of dependency that leads to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hop {
    /// Unique id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// How the previous node needs this one: `required`, `org`, `parent`, `any`,
    /// `at-least` or `unknown` (`null` for the first node).
    pub via: Option<&'static str>,
}

/// One dependency path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Path {
    /// Number of edges.
    pub length: usize,
    /// Whether every hop is a hard requirement (`required`, `org`, `parent`), so the
    /// node's loss alone fails the path's start through it.
    pub hard: bool,
    /// The nodes from the start (a capability) to the node.
    pub hops: Vec<Hop>,
}

/// The answer to "why does TARGET depend on NODE?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Why {
    /// The starting capabilities.
    pub from: Vec<NodeRef>,
    /// The node depended on.
    pub node: NodeRef,
    /// Paths, shortest first, then by their ids.
    pub paths: Vec<Path>,
    /// Whether more paths exist than were listed (or the search budget ran out).
    pub truncated: bool,
}

/// The distinct dependencies of `v` with the kind of the first group that names each,
/// in the order the groups name them.
///
/// # Complexity
/// O(d) expected for d group members (a hash set of those seen; a linear scan of the
/// output made a node with 5,000 needs cost 25 million comparisons per visit).
fn deps<'w>(world: &'w World, v: NodeIdx) -> Vec<(NodeIdx, &'w GroupKind)> {
    let mut out: Vec<(NodeIdx, &'w GroupKind)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for g in &world.node(v).needs {
        for &m in &g.members {
            if seen.insert(m) {
                out.push((m, &g.kind));
            }
        }
    }
    out
}

/// Search steps allowed to [`why`] before it stops and reports truncation.
pub const WHY_BUDGET: usize = 2_000_000;

/// Hops (nodes of listed paths, all paths together) that [`why`] keeps at most, the
/// first path excepted (it is kept whatever its length: at most one hop per node);
/// beyond it the answer is truncated, so `--max-paths 300000` on long paths cannot exhaust
/// memory (each hop holds an id and a name).
pub const WHY_MAX_HOPS: usize = 200_000;

/// The simple dependency paths from any of `from` to `node`, shortest first (ties by
/// the sequence of ids), at most `max_paths` of them.
///
/// # Algorithm
/// A reverse breadth-first search from `node` gives every node's distance to it;
/// then iterative deepening enumerates simple paths of length L = d, d+1, ... by
/// depth-first search that only steps to a node whose distance still fits in L, so
/// no branch is explored that cannot reach `node` in time. The deepening stops as soon
/// as a round cuts no branch for length (every longer path would have been seen), so a
/// single short path does not cost one round per node of the graph.
///
/// # Complexity
/// O(V + E) for the distances, then output-sensitive enumeration, bounded by
/// [`WHY_BUDGET`] steps in all and [`WHY_MAX_HOPS`] listed hops (beyond either,
/// `truncated` is set); each step costs O(d) for the d dependencies of its node.
pub fn why(world: &World, from: &[NodeIdx], node: NodeIdx, max_paths: usize) -> Why {
    let n = world.len();
    let mut dist = vec![usize::MAX; n];
    dist[node.index()] = 0;
    let mut queue = std::collections::VecDeque::from([node]);
    while let Some(v) = queue.pop_front() {
        for u in world.dependents(v) {
            if dist[u.index()] == usize::MAX {
                dist[u.index()] = dist[v.index()] + 1;
                queue.push_back(u);
            }
        }
    }
    let mut roots: Vec<NodeIdx> = from.to_vec();
    roots.sort();
    roots.dedup();
    let shortest = roots
        .iter()
        .map(|r| dist[r.index()])
        .min()
        .unwrap_or(usize::MAX);
    let mut paths: Vec<Path> = Vec::new();
    let mut truncated = false;
    let mut budget = WHY_BUDGET;
    if shortest != usize::MAX && max_paths > 0 {
        let mut on_path = vec![false; n];
        let mut hops_left = WHY_MAX_HOPS;
        for len in shortest..n {
            let mut found: Vec<Vec<(NodeIdx, Option<&GroupKind>)>> = Vec::new();
            let mut cut = false;
            for &r in &roots {
                if dist[r.index()] > len {
                    continue;
                }
                let mut stack = vec![(r, None)];
                on_path[r.index()] = true;
                dfs(
                    world,
                    &dist,
                    node,
                    len,
                    &mut stack,
                    &mut on_path,
                    &mut found,
                    &mut budget,
                    &mut hops_left,
                    &mut cut,
                    max_paths.saturating_add(1),
                );
                on_path[r.index()] = false;
            }
            let mut batch: Vec<Path> = found
                .into_iter()
                .map(|p| Path {
                    length: p.len() - 1,
                    hard: p.iter().skip(1).all(|(_, via)| {
                        matches!(
                            via,
                            Some(GroupKind::Required | GroupKind::Org | GroupKind::Parent)
                        )
                    }),
                    hops: p
                        .into_iter()
                        .map(|(i, via)| Hop {
                            id: world.node(i).id.clone(),
                            name: world.node(i).name.clone(),
                            via: via.map(GroupKind::as_str),
                        })
                        .collect(),
                })
                .collect();
            batch.sort_by(|a, b| {
                a.hops
                    .iter()
                    .map(|h| &h.id)
                    .cmp(b.hops.iter().map(|h| &h.id))
            });
            paths.extend(batch);
            if budget == 0 || hops_left == 0 {
                truncated = true;
                break;
            }
            if paths.len() > max_paths || !cut {
                break;
            }
        }
    }
    if paths.len() > max_paths {
        paths.truncate(max_paths);
        truncated = true;
    }
    if max_paths == 0 && shortest != usize::MAX {
        // Paths exist and none was asked for.
        truncated = true;
    }
    Why {
        from: roots.iter().map(|&r| NodeRef::of(world, r)).collect(),
        node: NodeRef::of(world, node),
        paths,
        truncated,
    }
}

/// What [`dfs`] does on entering the node on top of `stack`: spends one step of the
/// budget, records a path when the node is the target at the wanted length (and the
/// hops it may still print allow it), and returns the dependencies to explore (`None`
/// when there is nothing to explore).
#[allow(clippy::too_many_arguments)]
fn enter<'w>(
    world: &'w World,
    target: NodeIdx,
    len: usize,
    stack: &[(NodeIdx, Option<&'w GroupKind>)],
    found: &mut Vec<Vec<(NodeIdx, Option<&'w GroupKind>)>>,
    budget: &mut usize,
    hops_left: &mut usize,
    cap: usize,
) -> Option<Vec<(NodeIdx, &'w GroupKind)>> {
    if *budget == 0 || *hops_left == 0 || found.len() >= cap {
        return None;
    }
    *budget -= 1;
    let &(v, _) = stack.last()?;
    if v == target {
        if stack.len() - 1 == len {
            // The first path is always kept: it has at most one hop per node of the
            // graph, and a chain longer than the bound has that one answer. The
            // bound limits the paths after it (0 left means one was refused).
            let first = *hops_left == WHY_MAX_HOPS;
            if !first && stack.len() > *hops_left {
                *hops_left = 0;
                return None;
            }
            *hops_left = hops_left.saturating_sub(stack.len()).max(1);
            found.push(stack.to_vec());
        }
        return None;
    }
    Some(deps(world, v))
}

/// The simple paths of exactly `len` edges from the node on `stack` to `target`,
/// depth first over an explicit stack of frames (one per node on the path, holding
/// its dependencies and the next one to try), so a path as long as the graph needs
/// no call stack. Sets `cut` when a branch was pruned for being too long (a longer
/// round may find more). Leaves `stack` and `on_path` as it found them.
///
/// # Complexity
/// O(steps) time within the `budget` of steps, O(len × max out-degree) memory for
/// the frames.
#[allow(clippy::too_many_arguments)]
fn dfs<'w>(
    world: &'w World,
    dist: &[usize],
    target: NodeIdx,
    len: usize,
    stack: &mut Vec<(NodeIdx, Option<&'w GroupKind>)>,
    on_path: &mut [bool],
    found: &mut Vec<Vec<(NodeIdx, Option<&'w GroupKind>)>>,
    budget: &mut usize,
    hops_left: &mut usize,
    cut: &mut bool,
    cap: usize,
) {
    let Some(first) = enter(world, target, len, stack, found, budget, hops_left, cap) else {
        return;
    };
    let mut frames: Vec<(Vec<(NodeIdx, &'w GroupKind)>, usize)> = vec![(first, 0)];
    while let Some((ds, next)) = frames.last_mut() {
        let Some(&(u, via)) = ds.get(*next) else {
            frames.pop();
            if !frames.is_empty()
                && let Some((u, _)) = stack.pop()
            {
                on_path[u.index()] = false;
            }
            continue;
        };
        *next += 1;
        let depth = stack.len() - 1;
        let d = dist[u.index()];
        if on_path[u.index()] || d == usize::MAX {
            continue;
        }
        if depth + 1 + d > len {
            *cut = true;
            continue;
        }
        on_path[u.index()] = true;
        stack.push((u, Some(via)));
        match enter(world, target, len, stack, found, budget, hops_left, cap) {
            Some(ds) => frames.push((ds, 0)),
            None => {
                stack.pop();
                on_path[u.index()] = false;
            }
        }
    }
}

/// One node of a blast radius.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dependent {
    /// Unique id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Layer (`null` for organizations).
    pub layer: Option<String>,
    /// Its status when the node is removed everywhere.
    pub status: NodeStatus,
}

/// A country's share of a blast radius.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountryDependents {
    /// Country code.
    pub code: String,
    /// Display name.
    pub name: String,
    /// The dependents in its capabilities' cone, by layer (bottom to top;
    /// `organization` last), each list sorted by id.
    pub layers: Vec<LayerDependents>,
    /// Its capabilities' statuses when the node is removed.
    pub capabilities: Vec<super::scenario::CapabilityStatus>,
}

/// The dependents of one layer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LayerDependents {
    /// The layer name, or `organization`.
    pub layer: String,
    /// The dependents, sorted by id.
    pub nodes: Vec<Dependent>,
}

/// Everything that transitively needs a node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dependents {
    /// The node.
    pub node: NodeRef,
    /// How many nodes transitively need it.
    pub total: usize,
    /// Per country whose cone it is in, sorted by code.
    pub countries: Vec<CountryDependents>,
    /// Dependents that no country's capabilities need, sorted by id.
    pub elsewhere: Vec<Dependent>,
}

fn layer_key(world: &World, i: NodeIdx) -> (u8, &'static str) {
    match world.node(i).layer {
        Some(l) => (l as u8, l.as_str()),
        None => (u8::MAX, "organization"),
    }
}

/// The blast radius of `node`: every node that transitively needs it, with its
/// status when `node` is removed, grouped by country and layer.
///
/// # Complexity
/// O(V + E) for the upward closure and one cascade, plus O(C·(V'+E')) for the
/// countries' cones.
pub fn dependents(cascade: &Cascade<'_>, node: NodeIdx) -> Dependents {
    let world = cascade.world();
    let mut seen = vec![false; world.len()];
    let mut stack = vec![node];
    seen[node.index()] = true;
    let mut radius = Vec::new();
    while let Some(v) = stack.pop() {
        for u in world.dependents(v) {
            if !seen[u.index()] {
                seen[u.index()] = true;
                radius.push(u);
                stack.push(u);
            }
        }
    }
    radius.sort();
    let o = cascade.evaluate(&[node]);
    let dep = |i: NodeIdx| Dependent {
        id: world.node(i).id.clone(),
        name: world.node(i).name.clone(),
        layer: world.node(i).layer.map(|l| l.as_str().to_owned()),
        status: o.status(i),
    };
    let mut in_some_country = vec![false; world.len()];
    let mut countries = Vec::new();
    for c in &world.countries {
        let cone = cone(world, &c.capabilities);
        if !cone.contains(&node) {
            continue;
        }
        let mut layers: BTreeMap<(u8, &'static str), Vec<Dependent>> = BTreeMap::new();
        for i in cone.into_iter().filter(|&i| i != node && seen[i.index()]) {
            in_some_country[i.index()] = true;
            layers.entry(layer_key(world, i)).or_default().push(dep(i));
        }
        let layers = layers
            .into_iter()
            .map(|((_, layer), mut nodes)| {
                nodes.sort_by(|a, b| a.id.cmp(&b.id));
                LayerDependents {
                    layer: layer.to_owned(),
                    nodes,
                }
            })
            .collect();
        countries.push(CountryDependents {
            code: c.code.clone(),
            name: c.name.clone(),
            layers,
            capabilities: c
                .capabilities
                .iter()
                .map(|&i| super::scenario::CapabilityStatus {
                    id: world.node(i).id.clone(),
                    name: world.node(i).name.clone(),
                    status: o.status(i),
                })
                .collect(),
        });
    }
    let mut elsewhere: Vec<Dependent> = radius
        .iter()
        .filter(|i| !in_some_country[i.index()])
        .map(|&i| dep(i))
        .collect();
    elsewhere.sort_by(|a, b| a.id.cmp(&b.id));
    Dependents {
        node: NodeRef::of(world, node),
        total: radius.len(),
        countries,
        elsewhere,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world(yaml: &str) -> World {
        crate::graph::from_yaml(&[yaml])
    }

    /// A diamond with a cycle: top needs a and b; a needs c; b needs a (so top -> b
    /// -> a -> c is longer); c needs a (a cycle that must not loop).
    const YAML: &str = "nodes:\n  - {id: top, name: Top, needs: [a, {any: [b, c]}]}\n  - {id: a, name: A, needs: [c]}\n  - {id: b, name: B, needs: [a]}\n  - {id: c, name: C, needs: [{unknown: tbd, among: [a]}]}\n";

    #[test]
    fn paths_are_simple_valid_and_shortest_first() {
        let w = world(YAML);
        let top = w.lookup("top").unwrap();
        let c = w.lookup("c").unwrap();
        let r = why(&w, &[top], c, 10);
        let texts: Vec<Vec<&str>> = r
            .paths
            .iter()
            .map(|p| p.hops.iter().map(|h| h.id.as_str()).collect())
            .collect();
        assert_eq!(
            texts,
            [
                vec!["top", "c"],
                vec!["top", "a", "c"],
                vec!["top", "b", "a", "c"]
            ]
        );
        assert!(!r.truncated);
        assert_eq!(r.paths[1].hops[1].via, Some("required"));
        assert_eq!(r.paths[0].hops[1].via, Some("any"));
        assert!(r.paths[1].hard);
        assert!(!r.paths[0].hard);
        let r = why(&w, &[top], c, 2);
        assert_eq!(r.paths.len(), 2);
        assert!(r.truncated);
    }

    #[test]
    fn dependents_are_the_upward_closure() {
        let w = world(YAML);
        let cascade = Cascade::new(&w);
        let d = dependents(&cascade, w.lookup("c").unwrap());
        // a, b, top need c (a through c's cycle back to a counts once).
        assert_eq!(d.total, 3);
        let ids: Vec<&str> = d.elsewhere.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "top"]);
        assert!(d.elsewhere.iter().all(|n| n.status == NodeStatus::Failed));
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        fn graph() -> impl Strategy<Value = (usize, Vec<(usize, usize)>)> {
            (2usize..9)
                .prop_flat_map(|n| (Just(n), prop::collection::vec((0..n, 0..n), 0..(3 * n))))
        }

        fn yaml(n: usize, edges: &[(usize, usize)]) -> String {
            let mut s = String::from("nodes:\n");
            for v in 0..n {
                let mut deps: Vec<usize> = edges
                    .iter()
                    .filter(|(a, b)| *a == v && a != b)
                    .map(|e| e.1)
                    .collect();
                deps.sort_unstable();
                deps.dedup();
                let list: Vec<String> = deps.iter().map(|d| format!("n{d}")).collect();
                s.push_str(&format!(
                    "  - {{id: n{v}, name: N{v}, needs: [{}]}}\n",
                    list.join(", ")
                ));
            }
            s
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(1000))]

            /// Every path is a simple chain of real dependencies from the start to the
            /// node, the first is as short as a breadth-first search says, lengths never
            /// decrease, and no path is listed twice.
            #[test]
            fn paths_are_valid_sorted_and_start_shortest((n, edges) in graph(), a in 0usize..9, b in 0usize..9) {
                let w = world(&yaml(n, &edges));
                let (from, to) = (NodeIdx::new(a % n), NodeIdx::new(b % n));
                let r = why(&w, &[from], to, 50);
                // BFS distance from `from` to `to` over dependencies.
                let mut dist = vec![usize::MAX; n];
                dist[from.index()] = 0;
                let mut q = std::collections::VecDeque::from([from]);
                while let Some(v) = q.pop_front() {
                    for u in w.dependencies(v) {
                        if dist[u.index()] == usize::MAX {
                            dist[u.index()] = dist[v.index()] + 1;
                            q.push_back(u);
                        }
                    }
                }
                if dist[to.index()] == usize::MAX {
                    prop_assert!(r.paths.is_empty());
                } else {
                    prop_assert_eq!(r.paths[0].length, dist[to.index()]);
                }
                // Completeness: a brute-force count of the simple paths.
                fn count(w: &World, v: NodeIdx, to: NodeIdx, on: &mut Vec<bool>) -> usize {
                    if v == to {
                        return 1;
                    }
                    let mut total = 0;
                    let deps: std::collections::BTreeSet<NodeIdx> = w.dependencies(v).collect();
                    for u in deps {
                        if !on[u.index()] {
                            on[u.index()] = true;
                            total += count(w, u, to, on);
                            on[u.index()] = false;
                        }
                    }
                    total
                }
                let mut on = vec![false; n];
                on[from.index()] = true;
                let all = count(&w, from, to, &mut on);
                prop_assert_eq!(r.paths.len(), all.min(50));
                prop_assert_eq!(r.truncated, all > 50);
                let mut seen = std::collections::BTreeSet::new();
                let mut last = 0;
                for p in &r.paths {
                    let ids: Vec<&str> = p.hops.iter().map(|h| h.id.as_str()).collect();
                    prop_assert!(seen.insert(ids.clone()), "duplicate path {:?}", ids);
                    prop_assert!(p.length >= last);
                    last = p.length;
                    prop_assert_eq!(p.length + 1, ids.len());
                    prop_assert_eq!(ids[0], w.node(from).id.as_str());
                    prop_assert_eq!(*ids.last().unwrap(), w.node(to).id.as_str());
                    let unique: std::collections::BTreeSet<&&str> = ids.iter().collect();
                    prop_assert_eq!(unique.len(), ids.len(), "not simple: {:?}", ids);
                    for pair in ids.windows(2) {
                        let (x, y) = (w.lookup(pair[0]).unwrap(), w.lookup(pair[1]).unwrap());
                        prop_assert!(w.dependencies(x).any(|d| d == y));
                    }
                }
            }
        }
    }
}
