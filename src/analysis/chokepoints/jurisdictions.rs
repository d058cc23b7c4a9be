//! Jurisdictions cut off whole: the ranking and the countries × jurisdictions matrix.

use std::collections::BTreeSet;

use rayon::prelude::*;

use super::{CandidateKind, Cell, Chokepoint, CountryRef, Damage, Matrix, entry, sort_and_rank};
use crate::analysis::NodeStatus;
use crate::analysis::cascade::{Cascade, Workspace};
use crate::analysis::scenario::{NodeRef, cone};
use crate::graph::{NodeIdx, World};

/// Every jurisdiction of the world's nodes, sorted.
pub fn jurisdictions(world: &World) -> Vec<String> {
    world
        .indices()
        .filter_map(|i| world.node(i).jurisdiction.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// Cuts off each jurisdiction whole and returns the ranking and the matrix of
/// countries × jurisdictions. A country is never cut off from its own jurisdiction:
/// its row in its own column is intact.
///
/// # Complexity
/// One cascade per jurisdiction J (O(V) to select its nodes plus O(touched)), in
/// parallel, and O(C·K) per jurisdiction to fill the matrix.
pub fn rank_jurisdictions(cascade: &Cascade<'_>) -> (Vec<Chokepoint>, Matrix) {
    let world = cascade.world();
    let js = jurisdictions(world);
    let cones: Vec<Vec<NodeIdx>> = world
        .countries
        .iter()
        .map(|c| cone(world, &c.capabilities))
        .collect();
    let results: Vec<(Chokepoint, Vec<Cell>)> = js
        .par_iter()
        .map_init(Workspace::new, |ws, j| {
            let removed: Vec<NodeIdx> = world
                .indices()
                .filter(|&i| world.node(i).jurisdiction.as_deref() == Some(j.as_str()))
                .collect();
            cascade.evaluate_in(ws, &removed);
            let mut d = Damage::read(world, |c| ws.status(c));
            let mut exposure = 0;
            for (ci, c) in world.countries.iter().enumerate() {
                if &c.code == j {
                    // Not cut off from itself: nothing is removed for this destination.
                    for s in &mut d.statuses[ci] {
                        *s = NodeStatus::Intact;
                    }
                } else if cones[ci]
                    .iter()
                    .any(|&i| world.node(i).jurisdiction.as_deref() == Some(j.as_str()))
                {
                    exposure += 1;
                }
            }
            let cells = world
                .countries
                .iter()
                .zip(&d.statuses)
                .map(|(c, sts)| {
                    let pick = |want: NodeStatus| {
                        c.capabilities
                            .iter()
                            .zip(sts)
                            .filter(|(_, s)| **s == want)
                            .map(|(&i, _)| NodeRef::of(world, i))
                            .collect::<Vec<_>>()
                    };
                    Cell {
                        status: sts.iter().copied().max().unwrap_or(NodeStatus::Intact),
                        failed: pick(NodeStatus::Failed),
                        unknown: pick(NodeStatus::Unknown),
                        degraded: pick(NodeStatus::Degraded),
                    }
                })
                .collect();
            let row = entry(
                world,
                j.clone(),
                j.clone(),
                CandidateKind::Jurisdiction,
                Some(j.clone()),
                exposure,
                &d,
            );
            (row, cells)
        })
        .collect();
    let mut columns: Vec<Vec<Cell>> = Vec::with_capacity(results.len());
    let mut rows = Vec::with_capacity(results.len());
    for (r, cells) in results {
        rows.push(r);
        columns.push(cells);
    }
    let cells: Vec<Vec<Cell>> = (0..world.countries.len())
        .map(|ci| columns.iter().map(|col| col[ci].clone()).collect())
        .collect();
    let matrix = Matrix {
        countries: world
            .countries
            .iter()
            .map(|c| CountryRef {
                code: c.code.clone(),
                name: c.name.clone(),
            })
            .collect(),
        jurisdictions: js,
        cells,
    };
    (sort_and_rank(rows), matrix)
}
