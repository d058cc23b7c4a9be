//! Builds the [`World`] from validated files.
//!
//! Nodes are added in file order (files sorted by path; organizations, then nodes,
//! in the order each file lists them), so indices — and everything derived from
//! them — are the same on every run. The implicit dependencies are made explicit
//! here: a component needs its `org`, an organization needs its `parent`.

use std::collections::HashMap;

use petgraph::graph::DiGraph;

use super::{
    Alliance, Country, Dep, Group, GroupKind, Node, NodeIdx, NodeKind, Origin, Source, World,
};
use crate::load::LoadedFile;
use crate::model::{Layer, Need};

/// An error that validation should have caught; reported rather than panicking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError(pub String);

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BuildError {}

fn origin(file: &LoadedFile, loc: crate::model::Location) -> Origin {
    Origin {
        file: file.source.path.clone(),
        line: u32::try_from(loc.line()).unwrap_or(0),
        column: u32::try_from(loc.column()).unwrap_or(0),
    }
}

/// Builds the world from files that passed [`crate::validate::validate`].
///
/// # Complexity
/// O(V + E) for V nodes and E dependency references, plus sorting the countries.
pub fn build(files: &[LoadedFile]) -> Result<World, BuildError> {
    // Sized up front: a graph grown by doubling holds up to twice its nodes' memory.
    let (nodes, edges) = files.iter().fold((0, 0), |(n, e), f| {
        let d = &f.data;
        let deps: usize = d
            .nodes
            .iter()
            .map(|x| usize::from(x.value.org.is_some()) + x.value.needs.len() * 2)
            .sum();
        (
            n + d.organizations.len() + d.nodes.len(),
            e + deps + d.organizations.len(),
        )
    });
    let mut graph: DiGraph<Node, Dep> = DiGraph::with_capacity(nodes, edges);
    let mut ids: HashMap<String, NodeIdx> = HashMap::new();

    // Countries first, so nodes can point at their country.
    let mut countries: Vec<Country> = files
        .iter()
        .filter_map(|f| {
            let code = f.data.country.as_ref()?;
            Some(Country {
                code: code.value.clone(),
                name: f
                    .data
                    .name
                    .as_ref()
                    .map_or_else(|| code.value.clone(), |n| n.value.clone()),
                capabilities: Vec::new(),
                sources: f.data.sources.iter().map(|c| c.value.clone()).collect(),
                notes: f.data.notes.clone(),
                file: f.source.path.clone(),
            })
        })
        .collect();
    countries.sort_by(|a, b| a.code.cmp(&b.code));
    let country_of: HashMap<&std::path::Path, usize> = countries
        .iter()
        .enumerate()
        .map(|(i, c)| (c.file.as_path(), i))
        .collect();

    // Pass 1: every node, without its dependencies.
    for file in files {
        let country = country_of.get(file.source.path.as_path()).copied();
        for o in &file.data.organizations {
            let o = &o.value;
            let idx = graph.add_node(Node {
                id: o.id.value.clone(),
                name: o.name.value.clone(),
                kind: NodeKind::Organization,
                layer: None,
                org: None,
                jurisdiction: Some(o.jurisdiction.value.clone()),
                country,
                org_kind: o.kind,
                status: None,
                figures: Default::default(),
                facts: Default::default(),
                sources: o.sources.iter().map(|c| c.value.clone()).collect(),
                notes: o.notes.clone(),
                needs: Vec::new(),
                origin: origin(file, o.id.referenced),
            });
            ids.insert(o.id.value.clone(), idx);
        }
        for n in &file.data.nodes {
            let n = &n.value;
            let idx = graph.add_node(Node {
                id: n.id.value.clone(),
                name: n.name.value.clone(),
                kind: NodeKind::Component,
                layer: n.layer.as_ref().and_then(|l| Layer::parse(&l.value)),
                org: None,
                jurisdiction: None,
                country,
                org_kind: None,
                status: n.status.as_ref().map(|s| s.value),
                figures: n.figures.as_deref().cloned().unwrap_or_default(),
                facts: n.facts.as_deref().cloned().unwrap_or_default(),
                sources: n.sources.iter().map(|c| c.value.clone()).collect(),
                notes: n.notes.clone(),
                needs: Vec::new(),
                origin: origin(file, n.id.referenced),
            });
            ids.insert(n.id.value.clone(), idx);
        }
    }

    let resolve = |id: &str| -> Result<NodeIdx, BuildError> {
        ids.get(id)
            .copied()
            .ok_or_else(|| BuildError(format!("reference to undefined id `{id}`")))
    };

    // Pass 2: dependencies.
    let mut groups: Vec<(NodeIdx, Vec<Group>)> = Vec::new();
    for file in files {
        for o in &file.data.organizations {
            if let Some(p) = &o.value.parent {
                let me = resolve(&o.value.id.value)?;
                let parent = resolve(&p.value)?;
                groups.push((
                    me,
                    vec![Group {
                        kind: GroupKind::Parent,
                        need: 1,
                        members: vec![parent],
                    }],
                ));
            }
        }
        for n in &file.data.nodes {
            let me = resolve(&n.value.id.value)?;
            let mut gs = Vec::new();
            if let Some(org) = &n.value.org {
                gs.push(Group {
                    kind: GroupKind::Org,
                    need: 1,
                    members: vec![resolve(&org.value)?],
                });
            }
            for need in &n.value.needs {
                let ids_of =
                    |v: &[crate::model::Spanned<String>]| -> Result<Vec<NodeIdx>, BuildError> {
                        v.iter().map(|s| resolve(&s.value)).collect()
                    };
                gs.push(match &need.value {
                    Need::Id(id) => Group {
                        kind: GroupKind::Required,
                        need: 1,
                        members: vec![resolve(id)?],
                    },
                    Need::Any(v) => Group {
                        kind: GroupKind::Any,
                        need: 1,
                        members: ids_of(v)?,
                    },
                    Need::AtLeast { k, of } => Group {
                        kind: GroupKind::AtLeast,
                        need: u32::try_from(k.value)
                            .map_err(|_| BuildError("threshold too large".into()))?,
                        members: ids_of(of)?,
                    },
                    Need::Unknown { description, among } => Group {
                        kind: GroupKind::Unknown {
                            description: description.clone(),
                        },
                        need: u32::from(!among.is_empty()),
                        members: ids_of(among)?,
                    },
                });
            }
            groups.push((me, gs));
        }
    }
    for (me, gs) in groups {
        for (gi, g) in gs.iter().enumerate() {
            let group = u32::try_from(gi).map_err(|_| BuildError("too many needs terms".into()))?;
            for &m in &g.members {
                graph.add_edge(me, m, Dep { group });
            }
        }
        graph[me].needs = gs;
    }

    // Effective jurisdictions and owners.
    let indices: Vec<NodeIdx> = graph.node_indices().collect();
    for &i in &indices {
        if graph[i].kind == NodeKind::Organization {
            continue;
        }
        let org = graph[i]
            .needs
            .iter()
            .find(|g| g.kind == GroupKind::Org)
            .and_then(|g| g.members.first().copied());
        graph[i].org = org;
        graph[i].jurisdiction = match org {
            Some(o) => graph[o].jurisdiction.clone(),
            None => graph[i].country.map(|c| countries[c].code.clone()),
        };
    }

    for file in files {
        let Some(code) = &file.data.country else {
            continue;
        };
        let Some(c) = countries.iter_mut().find(|c| c.code == code.value) else {
            continue;
        };
        for cap in &file.data.capabilities {
            c.capabilities.push(resolve(&cap.value)?);
        }
    }

    let mut alliances: Vec<Alliance> = files
        .iter()
        .flat_map(|f| &f.data.groups)
        .map(|g| {
            let mut members: Vec<String> =
                g.value.members.iter().map(|m| m.value.clone()).collect();
            members.sort();
            members.dedup();
            Alliance {
                id: g.value.id.value.clone(),
                name: g.value.name.clone(),
                members,
            }
        })
        .collect();
    alliances.sort_by(|a, b| a.id.cmp(&b.id));

    let mut sources: Vec<Source> = files
        .iter()
        .flat_map(|f| &f.data.bibliography)
        .map(|s| Source {
            id: s.value.id.value.clone(),
            title: s.value.title.clone(),
            author: s.value.author.clone(),
            date: s.value.date.value.clone(),
            publisher: s.value.publisher.clone(),
            url: s.value.url.clone(),
        })
        .collect();
    sources.sort_by(|a, b| a.id.cmp(&b.id));

    Ok(World {
        graph,
        ids,
        countries,
        alliances,
        sources,
    })
}
