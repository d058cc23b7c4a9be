//! Rows inside the bands of a layered figure: sub-rows for dependencies inside a band
//! (longest path, cycles released), empty bands dropped, crowded bands wrapped.

use std::collections::VecDeque;

use crate::render::{Band, DEdge, DNode};

/// Assigns rows inside each band so that an edge between two nodes of one band points
/// down: the longest path from the band's top (Kahn's algorithm; nodes on a cycle go
/// below their processed predecessors).
///
/// `nodes` are `(band, key)`; `edges` are `(from, to)` indices into `nodes`. Returns
/// each node's row inside its band and each band's row count.
///
/// # Complexity
/// O(V + E).
pub(super) fn sub_rows(
    nodes: &[usize],
    bands: usize,
    edges: &[(usize, usize)],
) -> (Vec<usize>, Vec<usize>) {
    let n = nodes.len();
    let mut succ = vec![Vec::new(); n];
    let mut indeg = vec![0usize; n];
    for &(a, b) in edges {
        if nodes[a] == nodes[b] && a != b {
            succ[a].push(b);
            indeg[b] += 1;
        }
    }
    let mut depth = vec![0usize; n];
    // `queued` is set when a node enters the queue, so that no node enters twice.
    let mut queued = vec![false; n];
    let mut queue: VecDeque<usize> = VecDeque::new();
    for v in 0..n {
        if indeg[v] == 0 {
            queued[v] = true;
            queue.push_back(v);
        }
    }
    loop {
        while let Some(v) = queue.pop_front() {
            for &w in &succ[v] {
                if queued[w] {
                    continue;
                }
                depth[w] = depth[w].max(depth[v] + 1);
                indeg[w] = indeg[w].saturating_sub(1);
                if indeg[w] == 0 {
                    queued[w] = true;
                    queue.push_back(w);
                }
            }
        }
        // A cycle: release its first node, keeping the depth found so far.
        match (0..n).find(|&v| !queued[v]) {
            Some(v) => {
                queued[v] = true;
                queue.push_back(v);
            }
            None => break,
        }
    }
    let mut rows = vec![0usize; bands];
    for v in 0..n {
        rows[nodes[v]] = rows[nodes[v]].max(depth[v] + 1);
    }
    (depth, rows)
}

/// Lays nodes out into non-empty bands: returns the bands and sets each node's `band`
/// and `row` from its provisional band index (into `titles`) and sub-row.
pub(crate) fn finish_rows(titles: &[String], nodes: &mut [DNode], edges: &[DEdge]) -> Vec<Band> {
    let bands: Vec<usize> = nodes.iter().map(|n| n.band).collect();
    let pairs: Vec<(usize, usize)> = edges.iter().map(|e| (e.from, e.to)).collect();
    let (depth, rows) = sub_rows(&bands, titles.len(), &pairs);
    let mut out = Vec::new();
    let mut new_index = vec![0usize; titles.len()];
    let mut first_row = vec![0usize; titles.len()];
    let mut row = 0;
    for (b, title) in titles.iter().enumerate() {
        if rows[b] > 0 {
            new_index[b] = out.len();
            first_row[b] = row;
            row += rows[b];
            out.push(Band {
                label: title.clone(),
                rows: rows[b],
            });
        }
    }
    for (v, node) in nodes.iter_mut().enumerate() {
        let b = node.band;
        node.band = new_index[b];
        node.row = first_row[b] + depth[v];
    }
    out
}

/// At most this many organizations side by side in a row of an organization band; a
/// crowded band wraps into further rows instead of growing wider than the page.
pub const ORGS_PER_ROW: usize = 6;

/// Wraps each row of band `band` (an index into `bands`) that holds more than `max`
/// nodes into rows of at most `max`, in the nodes' order, and renumbers the rows
/// below. Every node stays; edges inside the band still point down (the chunks of a
/// row come before the next row's).
///
/// # Complexity
/// O(V log V) for the sort by row.
pub(crate) fn wrap_band(bands: &mut [Band], nodes: &mut [DNode], band: usize, max: usize) {
    let Some(b) = bands.get(band) else { return };
    let first: usize = bands[..band].iter().map(|b| b.rows).sum();
    let (start, end) = (first, first + b.rows);
    let max = max.max(1);
    // New row of each old row's k-th node, for the rows of this band.
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); b.rows];
    for (v, n) in nodes.iter().enumerate() {
        if n.band == band && (start..end).contains(&n.row) {
            members[n.row - start].push(v);
        }
    }
    let mut next = start;
    let mut new_row = vec![0usize; nodes.len()];
    for row in &members {
        for chunk in row.chunks(max) {
            for &v in chunk {
                new_row[v] = next;
            }
            next += 1;
        }
        if row.is_empty() {
            next += 1;
        }
    }
    let added = next - end;
    if added == 0 {
        return;
    }
    for (v, n) in nodes.iter_mut().enumerate() {
        if n.band == band && (start..end).contains(&n.row) {
            n.row = new_row[v];
        } else if n.row >= end {
            n.row += added;
        }
    }
    bands[band].rows += added;
}
