//! The figures that need analysis results: chokepoint marks, scenario overlays and the
//! exposure matrix. Renderers never call the cascade (`render` builds from plain data);
//! this module is where the cascade's results are turned into that plain data, for
//! `jenga render` and `jenga report` alike.

use crate::analysis::NodeStatus;
use crate::analysis::cascade::{Cascade, Outcome, Removal, ScenarioOutcome};
use crate::analysis::chokepoints::{self, Chokepoints};
use crate::graph::World;
use crate::render::Overlay;
use crate::render::matrix::{ColumnGroup, Matrix};

use crate::render::matrix::ShapeError;

/// How many chokepoints the exposure matrix shows as columns.
pub const MATRIX_TOP: usize = 8;

/// How many of the ranking's first places the figures badge as chokepoints (stated in
/// their legends).
pub const CHOKEPOINT_TOP: usize = 5;

/// Chokepoints to emphasise, by node index: the first [`CHOKEPOINT_TOP`] nodes of
/// `ranking` (sorted, most damaging first) whose removal alone fails at least one
/// capability somewhere.
///
/// # Complexity
/// O(V + R) for R ranked candidates.
pub fn chokepoint_flags(world: &World, ranking: &Chokepoints) -> Vec<bool> {
    let mut choke = vec![false; world.len()];
    for c in ranking
        .ranking
        .iter()
        .filter(|c| c.capabilities_failed > 0)
        .take(CHOKEPOINT_TOP)
    {
        if let Some(i) = c.node {
            choke[i.index()] = true;
        }
    }
    choke
}

/// The worst capability status of every country (in `World::countries` order) in an
/// outcome.
fn worst_per_country(world: &World, o: &Outcome) -> Vec<NodeStatus> {
    world
        .countries
        .iter()
        .map(|c| {
            c.capabilities
                .iter()
                .map(|&k| o.status(k))
                .max()
                .unwrap_or(NodeStatus::Intact)
        })
        .collect()
}

/// The exposure matrix: countries × (the top [`MATRIX_TOP`] chokepoints that do any
/// damage, every jurisdiction cut off whole). Each cell is the country's worst
/// capability when that column's removal happens alone; a jurisdiction never cuts off
/// its own country.
///
/// `ranking` is the node ranking (`By::Node`), `juris` the countries × jurisdictions
/// matrix of [`chokepoints::rank_jurisdictions`].
///
/// # Complexity
/// One cascade per chokepoint column (O(touched) each, plus O(V) for the dense
/// outcome), then O(C · (T + J)) to fill the cells.
///
/// # Errors
/// Never in practice: the shape is checked by [`Matrix::new`].
pub fn exposure_matrix(
    cascade: &Cascade<'_>,
    ranking: &Chokepoints,
    juris: &chokepoints::Matrix,
) -> Result<Matrix, ShapeError> {
    let world = cascade.world();
    let top: Vec<(&chokepoints::Chokepoint, crate::graph::NodeIdx)> = ranking
        .ranking
        .iter()
        .filter(|c| c.capabilities_failed + c.countries_unknown + c.countries_degraded > 0)
        .filter_map(|c| c.node.map(|i| (c, i)))
        .take(MATRIX_TOP)
        .collect();
    let columns: Vec<Vec<NodeStatus>> = top
        .iter()
        .map(|&(_, i)| worst_per_country(world, &cascade.evaluate(&[i])))
        .collect();
    let rows: Vec<String> = world
        .countries
        .iter()
        .map(|c| format!("{} ({})", c.name, c.code))
        .collect();
    let cells: Vec<Vec<NodeStatus>> = (0..world.countries.len())
        .map(|r| {
            columns
                .iter()
                .map(|col| col[r])
                .chain(
                    juris
                        .cells
                        .get(r)
                        .into_iter()
                        .flatten()
                        .map(|cell| cell.status),
                )
                .collect()
        })
        .collect();
    Matrix::new(
        "Exposure: which pulled block fails which country".to_owned(),
        "Each cell: the country's worst capability when that block alone is pulled \
         (a jurisdiction never cuts off its own country)"
            .to_owned(),
        rows,
        vec![
            ColumnGroup {
                label: format!("Top {} chokepoints", top.len()),
                columns: top.iter().map(|(c, _)| c.name.clone()).collect(),
            },
            ColumnGroup {
                label: "Jurisdictions cut off".to_owned(),
                columns: juris.jurisdictions.clone(),
            },
        ],
        cells,
    )
}

/// The overlay of one outcome (a destination country's view of a scenario).
pub fn overlay_of(title: &str, o: &Outcome) -> Overlay {
    Overlay {
        title: title.to_owned(),
        status: o.status.clone(),
        removed: o.removed.clone(),
        partial: std::collections::BTreeMap::new(),
    }
}

/// One overlay for the overview, where every country is drawn at once although a
/// scoped scenario differs by destination: each capability as its own country sees it,
/// every other node at its worst over all destinations (removed when any destination
/// has it removed). So a block cut off for one country only is marked, and no country
/// is shown better off than it is. A block hit for some destinations while another
/// country whose cone holds it sees it intact is recorded in `partial` with the
/// destinations that see it hit (the figure draws it "partly", not failed).
///
/// # Complexity
/// O(W · V) for the W distinct views, plus, for a scoped scenario, O(C · (V + E)) for
/// C countries (one cone each).
pub fn merged_overlay(world: &World, title: &str, out: &ScenarioOutcome) -> Overlay {
    let mut status = vec![NodeStatus::Intact; world.len()];
    let mut removed = vec![false; world.len()];
    // Each distinct view once (countries share views; the worst and the union do not
    // change when a view is read again).
    let mut views: Vec<usize> = out
        .countries
        .iter()
        .copied()
        .chain([out.everywhere])
        .filter(|&v| v < out.views.len())
        .collect();
    views.sort_unstable();
    views.dedup();
    let mut capability = vec![false; world.len()];
    for &k in world.countries.iter().flat_map(|c| &c.capabilities) {
        capability[k.index()] = true;
    }
    for o in views.iter().map(|&v| &out.views[v]) {
        for i in world.indices() {
            let k = i.index();
            if !capability[k] {
                status[k] = status[k].max(o.status(i));
            }
            removed[k] |= o.is_removed(i);
        }
    }
    for (ci, c) in world.countries.iter().enumerate() {
        if let Some(o) = out.country(ci) {
            for &k in &c.capabilities {
                status[k.index()] = o.status(k);
            }
        }
    }
    // Partly hit: some destination sees the block hit, another country whose cone
    // holds it sees it intact. Only a scoped scenario has more than one view.
    let mut partial = std::collections::BTreeMap::new();
    if out.views.len() > 1 {
        let hit = |o: &Outcome, i| o.is_removed(i) || o.status(i) != NodeStatus::Intact;
        let mut hit_for: Vec<Vec<usize>> = vec![Vec::new(); world.len()];
        let mut intact_user = vec![false; world.len()];
        for (ci, c) in world.countries.iter().enumerate() {
            let Some(o) = out.country(ci) else { continue };
            let cone = crate::graph::cone_mask(world, &c.capabilities);
            for i in world.indices() {
                if capability[i.index()] {
                    continue;
                }
                if hit(o, i) {
                    hit_for[i.index()].push(ci);
                } else if cone[i.index()] {
                    intact_user[i.index()] = true;
                }
            }
        }
        for i in world.indices() {
            let k = i.index();
            if intact_user[k] && !hit_for[k].is_empty() {
                let codes = hit_for[k]
                    .iter()
                    .map(|&ci| world.countries[ci].code.clone())
                    .collect();
                partial.insert(k, codes);
            }
        }
    }
    Overlay {
        title: title.to_owned(),
        status,
        removed,
        partial,
    }
}

/// The title of a named scenario's figures: its name, followed by its removals with
/// their destinations when any removal is scoped, so a figure of an export control
/// says whom it targets.
pub fn scenario_title(name: &str, removals: &[Removal]) -> String {
    if removals.iter().any(|r| r.scope.is_some()) {
        format!("{name} ({})", removal_title(removals))
    } else {
        name.to_owned()
    }
}

/// A title for removals given as flags, each with its destinations:
/// "remove nvidia (for AE, SG); remove jurisdiction:US".
pub fn removal_title(removals: &[Removal]) -> String {
    removals
        .iter()
        .map(|r| match &r.scope {
            Some(s) => format!("remove {} (for {})", r.selector, s.join(", ")),
            None => format!("remove {}", r.selector),
        })
        .collect::<Vec<_>>()
        .join("; ")
}
