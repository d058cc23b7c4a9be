//! Builds the [`World`] from validated files.
//!
//! Nodes are added in file order (files sorted by path; organizations, then nodes,
//! in the order each file lists them), so indices — and everything derived from
//! them — are the same on every run. The implicit dependencies are made explicit
//! here: a component needs its `org`, an organization needs its `parent`.
//!
//! [`build_owned`] consumes the parsed files: every id is first given its index,
//! then each file is turned into its nodes (in parallel, one file per task), moving
//! its strings rather than copying them and freeing the file's parsed form as soon
//! as it is converted, in the thread that parsed it. The parsed files and the graph
//! therefore never both exist whole, which keeps the peak memory of a load close to
//! the larger of the two rather than their sum.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use petgraph::graph::DiGraph;
use rayon::prelude::*;

use super::{
    Alliance, Capacity, Country, Dep, Group, GroupKind, Node, NodeIdx, NodeKind, Origin,
    Quantities, Source, World,
};
use crate::load::LoadedFile;
use crate::model::{Layer, Location, Need, Spanned, Str};

/// An error that validation should have caught; reported rather than panicking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError(pub String);

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BuildError {}

fn origin(file: &Arc<Path>, loc: Location) -> Origin {
    Origin {
        file: Arc::clone(file),
        line: loc.line(),
        column: loc.column(),
    }
}

/// Builds the world from files that passed [`crate::validate::validate`], leaving
/// them to the caller (a copy of each is converted). [`build_owned`] is the same
/// without the copy, for callers that are done with the files.
///
/// # Complexity
/// O(V + E) for V nodes and E dependency references, plus sorting the countries.
pub fn build(files: &[LoadedFile]) -> Result<World, BuildError> {
    build_owned(files.to_vec())
}

/// One file's nodes, converted.
struct Converted {
    // Boxed on purpose: each node is allocated by the converting thread and moved
    // into the graph as a pointer (see `build_owned`).
    #[allow(clippy::vec_box)]
    nodes: Vec<Box<Node>>,
    capabilities: Vec<NodeIdx>,
    /// Per node of `nodes` (by position) with quantities: its groups' shares
    /// (group index, shares) and its capacity.
    quantities: Vec<NodeQuantities>,
    /// Per node of `nodes` (by position) with `inferred` dependencies: them, with
    /// their reasons.
    inferred: Vec<(usize, Vec<crate::graph::InferredDep>)>,
}

/// A converted node's position in its file's nodes, its groups' shares (group
/// index, shares) and its capacity.
type NodeQuantities = (usize, Vec<(u32, Vec<Option<f64>>)>, Option<Capacity>);

/// Builds the world from files that passed [`crate::validate::validate`],
/// consuming them (see the module documentation for how this bounds memory).
///
/// # Complexity
/// O(V + E) for V nodes and E dependency references, plus sorting the countries;
/// the files are converted in parallel.
pub fn build_owned(mut files: Vec<LoadedFile>) -> Result<World, BuildError> {
    // Every id gets its index first: organizations, then nodes, file by file. Done
    // on a worker thread, whose heap has room left by the parse.
    let nodes: usize = files
        .iter()
        .map(|f| f.data.organizations.len() + f.data.nodes.len())
        .sum();
    let ((ids, jurisdictions), ()) = rayon::join(|| index(&files, nodes), || ());

    // Countries, so nodes can point at their country.
    let mut countries: Vec<(usize, Country)> = files
        .iter_mut()
        .enumerate()
        .filter_map(|(k, f)| {
            let d = &mut f.data;
            let code: String = d.country.take()?.value.into();
            Some((
                k,
                Country {
                    name: d
                        .name
                        .take()
                        .map_or_else(|| code.clone(), |n| n.value.into()),
                    code,
                    capabilities: Vec::new(),
                    sources: std::mem::take(&mut d.sources)
                        .into_iter()
                        .map(|c| c.value)
                        .collect(),
                    notes: d.notes.take(),
                    file: f.source.path.clone(),
                },
            ))
        })
        .collect();
    // Stable: a country's files stay in file order. A code declared by several files
    // (one per `--stacks` directory, which validation allows: `crate::roots`) is one
    // country, named by its first file; the others add their capabilities and sources.
    countries.sort_by(|a, b| a.1.code.cmp(&b.1.code));
    let mut country_of: Vec<Option<usize>> = vec![None; files.len()];
    let mut merged: Vec<Country> = Vec::with_capacity(countries.len());
    for (k, c) in countries {
        match merged.last_mut() {
            Some(last) if last.code == c.code => last.sources.extend(c.sources),
            _ => merged.push(c),
        }
        country_of[k] = Some(merged.len() - 1);
    }
    let mut countries = merged;

    let mut alliances: Vec<Alliance> = files
        .iter_mut()
        .flat_map(|f| std::mem::take(&mut f.data.groups))
        .map(|g| {
            let g = g.value;
            let mut members: Vec<String> = g.members.into_iter().map(|m| m.value.into()).collect();
            members.sort();
            members.dedup();
            Alliance {
                id: g.id.value.into(),
                name: g.name,
                members,
            }
        })
        .collect();
    alliances.sort_by(|a, b| a.id.cmp(&b.id));

    let mut sources: Vec<Source> = files
        .iter_mut()
        .flat_map(|f| std::mem::take(&mut f.data.bibliography))
        .map(|s| {
            let s = s.value;
            Source {
                id: s.id.value.into(),
                title: s.title,
                author: s.author,
                date: s.date.value.into(),
                publisher: s.publisher,
                url: s.url,
            }
        })
        .collect();
    sources.sort_by(|a, b| a.id.cmp(&b.id));

    // Each file to its nodes, in parallel; results stay in file order.
    let converted: Vec<Result<Converted, BuildError>> = files
        .into_par_iter()
        .zip(country_of.clone())
        .map(|(f, country)| {
            let code = country
                .and_then(|c| countries.get(c))
                .map(|c| c.code.as_str());
            convert(f, country, code, &ids, &jurisdictions)
        })
        .collect();
    let converted: Vec<Converted> = converted.into_iter().collect::<Result<_, _>>()?;

    let edges: usize = converted
        .iter()
        .flat_map(|c| &c.nodes)
        .flat_map(|n| &n.needs)
        .map(|g| g.members.len())
        .sum();
    // The graph holds each node boxed: a node is allocated by the thread that
    // converts it, in the memory its file's parsed form just gave back, and the
    // graph's own array is a pointer per node rather than a second, contiguous
    // copy of every node.
    let mut graph: DiGraph<Box<Node>, Dep> = DiGraph::with_capacity(nodes, edges);
    let mut quantities = Quantities::default();
    let mut inferred = std::collections::BTreeMap::new();
    for (k, c) in converted.into_iter().enumerate() {
        if let Some(country) = country_of[k].and_then(|i| countries.get_mut(i)) {
            country.capabilities.extend(c.capabilities);
        }
        let first = graph.node_count();
        for n in c.nodes {
            graph.add_node(n);
        }
        for (pos, list) in c.inferred {
            inferred.insert(NodeIdx::new(first + pos), list);
        }
        for (pos, shares, capacity) in c.quantities {
            let me = NodeIdx::new(first + pos);
            for (g, s) in shares {
                quantities.shares.insert((me, g), s);
            }
            if let Some(cap) = capacity {
                quantities.capacity.insert(me, cap);
            }
        }
    }
    let mut deps: Vec<(NodeIdx, u32)> = Vec::new();
    for me in graph.node_indices() {
        deps.clear();
        for (gi, g) in graph[me].needs.iter().enumerate() {
            let group = u32::try_from(gi).map_err(|_| BuildError("too many needs terms".into()))?;
            deps.extend(g.members.iter().map(|&m| (m, group)));
        }
        for &(m, group) in &deps {
            graph.add_edge(me, m, Dep { group });
        }
    }

    Ok(World {
        graph,
        ids,
        countries,
        alliances,
        sources,
        quantities,
        inferred,
    })
}

/// Every id's index (organizations, then nodes, file by file), and each
/// organization's jurisdiction, which its components take.
///
/// # Complexity
/// O(n) for n declarations.
fn index(files: &[LoadedFile], nodes: usize) -> (HashMap<String, NodeIdx>, HashMap<NodeIdx, Str>) {
    let mut ids: HashMap<String, NodeIdx> = HashMap::with_capacity(nodes);
    let mut jurisdictions: HashMap<NodeIdx, Str> = HashMap::new();
    let mut next = 0usize;
    for f in files {
        let d = &f.data;
        for o in &d.organizations {
            let idx = NodeIdx::new(next);
            ids.insert(o.value.id.value.to_string(), idx);
            jurisdictions.insert(idx, o.value.jurisdiction.value.clone());
            next += 1;
        }
        for n in &d.nodes {
            ids.insert(n.value.id.value.to_string(), NodeIdx::new(next));
            next += 1;
        }
    }
    (ids, jurisdictions)
}

/// Converts one file into its nodes, consuming it: strings are moved, and the
/// parsed declarations are freed as the conversion goes.
///
/// # Complexity
/// O(n + r) for the file's n declarations and r references.
fn convert(
    file: LoadedFile,
    country: Option<usize>,
    code: Option<&str>,
    ids: &HashMap<String, NodeIdx>,
    jurisdictions: &HashMap<NodeIdx, Str>,
) -> Result<Converted, BuildError> {
    let resolve = |id: &str| -> Result<NodeIdx, BuildError> {
        ids.get(id)
            .copied()
            .ok_or_else(|| BuildError(format!("reference to undefined id `{id}`")))
    };
    let all = |v: Vec<Spanned<Str>>| -> Result<Vec<NodeIdx>, BuildError> {
        v.iter().map(|s| resolve(&s.value)).collect()
    };
    let LoadedFile { source, data } = file;
    let path: Arc<Path> = Arc::from(source.path.as_path());
    drop(source);
    let mut nodes = Vec::with_capacity(data.organizations.len() + data.nodes.len());
    for o in data.organizations {
        let o = o.value;
        let needs = match o.parent {
            Some(p) => vec![Group {
                kind: GroupKind::Parent,
                need: 1,
                members: vec![resolve(&p.value)?],
            }],
            None => Vec::new(),
        };
        nodes.push(Box::new(Node {
            origin: origin(&path, o.id.referenced),
            id: o.id.value.into(),
            name: o.name.value.into(),
            kind: NodeKind::Organization,
            layer: None,
            org: None,
            jurisdiction: Some(o.jurisdiction.value.into()),
            country,
            org_kind: o.kind,
            status: None,
            figures_given: None,
            facts_given: None,
            sources: o.sources.into_iter().map(|c| c.value).collect(),
            notes: o.notes,
            needs,
        }));
    }
    let mut quantities = Vec::new();
    let mut inferred_of = Vec::new();
    for n in data.nodes {
        let n = n.value;
        let mut shares = Vec::new();
        let inferred = n
            .inferred()
            .iter()
            .map(|i| {
                Ok((
                    resolve(&i.value.need.value)?,
                    i.value.reason.clone().into_boxed_str(),
                ))
            })
            .collect::<Result<Vec<_>, BuildError>>()?;
        let partners = all(n.partners.map(|b| *b).unwrap_or_default())?;
        let org = n.org.as_ref().map(|o| resolve(&o.value)).transpose()?;
        let mut needs = Vec::with_capacity(usize::from(org.is_some()) + n.needs.len());
        if let Some(o) = org {
            needs.push(Group {
                kind: GroupKind::Org,
                need: 1,
                members: vec![o],
            });
        }
        for need in n.needs {
            if let Some(s) = need.value.shares() {
                let group = u32::try_from(needs.len())
                    .map_err(|_| BuildError("too many needs terms".into()))?;
                shares.push((
                    group,
                    s.iter().map(|x| x.as_ref().map(|v| v.value)).collect(),
                ));
            }
            let closed = need.value.is_closed();
            needs.push(match need.value {
                Need::Id(id) => Group {
                    kind: GroupKind::Required,
                    need: 1,
                    members: vec![resolve(&id)?],
                },
                Need::Any(v, _) => Group {
                    kind: GroupKind::Any,
                    need: 1,
                    members: all(v)?,
                },
                Need::AtLeast { k, of, .. } => Group {
                    kind: GroupKind::AtLeast,
                    need: u32::try_from(k.value)
                        .map_err(|_| BuildError("threshold too large".into()))?,
                    members: all(of)?,
                },
                Need::Unknown {
                    description,
                    among,
                    scope,
                } => Group {
                    kind: GroupKind::Unknown {
                        description,
                        layer: scope.as_ref().and_then(|s| Layer::parse(&s.layer.value)),
                        closed,
                    },
                    need: u32::from(closed),
                    members: all(among)?,
                },
            });
        }
        if !partners.is_empty() {
            needs.push(Group {
                kind: GroupKind::Partner,
                need: 0,
                members: partners,
            });
        }
        let capacity = n.capacity.map(|c| Capacity {
            value: c.value.value,
            unit: c.unit.value.into(),
        });
        if !inferred.is_empty() {
            inferred_of.push((nodes.len(), inferred));
        }
        if !shares.is_empty() || capacity.is_some() {
            quantities.push((nodes.len(), shares, capacity));
        }
        nodes.push(Box::new(Node {
            origin: origin(&path, n.id.referenced),
            id: n.id.value.into(),
            name: n.name.value.into(),
            kind: NodeKind::Component,
            layer: n.layer.as_ref().and_then(|l| Layer::parse(&l.value)),
            org,
            // The effective jurisdiction: its org's, or its file's country's.
            jurisdiction: match org {
                Some(o) => jurisdictions.get(&o).map(|j| j.to_string()),
                None => code.map(str::to_owned),
            },
            country,
            org_kind: None,
            status: n.status.map(|s| s.value),
            figures_given: n.figures,
            facts_given: n.facts,
            sources: n.sources.into_iter().map(|c| c.value).collect(),
            notes: n.notes,
            needs,
        }));
    }
    let capabilities = data
        .capabilities
        .iter()
        .map(|c| resolve(&c.value))
        .collect::<Result<_, _>>()?;
    Ok(Converted {
        nodes,
        capabilities,
        quantities,
        inferred: inferred_of,
    })
}
