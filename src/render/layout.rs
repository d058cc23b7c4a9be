//! A layered ("Sugiyama") layout with fixed ranks, for the built-in SVG renderer.
//!
//! The rows are given (a tower's layers never move), so the classic pipeline starts
//! after rank assignment:
//!
//! 1. **Normalisation**: an edge spanning several rows is split by dummy vertices, one
//!    per row it crosses, so that it gets a lane that no box occupies; an edge pointing
//!    up is reversed for the layout and drawn back in its own direction.
//! 2. **Crossing reduction**: alternate down and up sweeps ordering each row by the
//!    weighted median of its neighbours' positions in the previous row, barycenter
//!    breaking ties (Gansner, Koutsofios, North & Vo, "A technique for drawing directed
//!    graphs", IEEE TSE 1993), each followed by the *transpose* heuristic (adjacent
//!    swaps that reduce crossings); the best ordering seen is kept. Crossings between
//!    two rows are counted as inversions with a Fenwick tree (Barth, Jünger & Mutzel
//!    2002), O(E log V).
//! 3. **Coordinate assignment**: each row, in alternating sweeps, minimises the
//!    weighted squared distance of its vertices to the mean of their neighbours subject
//!    to its order and the minimum separations: a separation-shifted isotonic
//!    regression solved exactly by pool-adjacent-violators in O(n). Long edges weigh
//!    more, so they straighten (the priority idea of Gansner et al.).
//! 4. **Routing**: edges leave from ports spread along the bottom of the dependent and
//!    enter ports along the top of the dependency, and pass through their dummies'
//!    lanes; [`super::svg`] draws them as cubic splines with vertical tangents.
//!
//! No two boxes overlap: boxes of a row are at least a separation apart, rows are
//! stacked by their tallest box.
//!
//! # Complexity
//! With V vertices (dummies included), E segments and a fixed number of sweeps I:
//! O(I · (V log V + E log V + Σ deg²)) for ordering (the transpose step is quadratic
//! in degree), O(I · (V + E)) for coordinates.

mod order;
mod place;

use order::{crossings, order_rows, positions};
use place::assign_x;

/// A point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Horizontal.
    pub x: f64,
    /// Vertical, growing downwards.
    pub y: f64,
}

/// A placed box: top-left corner and size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// Horizontal centre.
    pub fn cx(&self) -> f64 {
        self.x + self.w / 2.0
    }
}

/// What to lay out.
#[derive(Debug, Clone, Default)]
pub struct Input {
    /// Number of rows.
    pub rows: usize,
    /// The free space above each row (`gaps[0]` is the top margin).
    pub gaps: Vec<f64>,
    /// Each node's row.
    pub node_rows: Vec<usize>,
    /// Each node's width and height.
    pub sizes: Vec<(f64, f64)>,
    /// Edges `(from, to)` between node indices, in drawing order.
    pub edges: Vec<(usize, usize)>,
}

/// A drawn edge.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// From the dependent's port to the dependency's port, through lane points.
    pub points: Vec<Point>,
    /// Both ends in one row: the path leaves and enters from below.
    pub flat: bool,
}

/// The result.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Each node's box.
    pub nodes: Vec<Rect>,
    /// Each edge's route, in input order.
    pub edges: Vec<Route>,
    /// Each row's top and bottom.
    pub rows: Vec<(f64, f64)>,
    /// Extent: everything lies in `0..width` × `0..height`.
    pub width: f64,
    /// Extent.
    pub height: f64,
}

const SEP_NODES: f64 = 26.0;
const SEP_MIXED: f64 = 14.0;
const SEP_DUMMY: f64 = 9.0;
const ORDER_SWEEPS: usize = 24;
const PLACE_SWEEPS: usize = 40;
const DUMMY_ROW_HEIGHT: f64 = 10.0;

struct Graph {
    row: Vec<usize>,
    width: Vec<f64>,
    real: Vec<bool>,
    up: Vec<Vec<usize>>,
    down: Vec<Vec<usize>>,
    /// Per input edge: the vertex chain top to bottom, and whether it was reversed.
    chains: Vec<Option<(Vec<usize>, bool)>>,
}

fn build(input: &Input) -> Graph {
    let n = input.node_rows.len();
    let mut g = Graph {
        row: input.node_rows.clone(),
        width: input.sizes.iter().map(|s| s.0).collect(),
        real: vec![true; n],
        up: vec![Vec::new(); n],
        down: vec![Vec::new(); n],
        chains: Vec::with_capacity(input.edges.len()),
    };
    for &(a, b) in &input.edges {
        if a >= n || b >= n || a == b || g.row[a] == g.row[b] {
            g.chains.push(None);
            continue;
        }
        let (top, bottom, reversed) = if g.row[a] < g.row[b] {
            (a, b, false)
        } else {
            (b, a, true)
        };
        let mut chain = vec![top];
        for r in g.row[top] + 1..g.row[bottom] {
            let d = g.row.len();
            g.row.push(r);
            g.width.push(0.0);
            g.real.push(false);
            g.up.push(Vec::new());
            g.down.push(Vec::new());
            chain.push(d);
        }
        chain.push(bottom);
        for w in chain.windows(2) {
            g.down[w[0]].push(w[1]);
            g.up[w[1]].push(w[0]);
        }
        g.chains.push(Some((chain, reversed)));
    }
    g
}

/// Spreads `count` ports along a side of width `w` centred on `cx`.
fn port(cx: f64, w: f64, k: usize, count: usize) -> f64 {
    if count <= 1 {
        return cx;
    }
    let span = (w * 0.7).min(count as f64 * 16.0);
    cx - span / 2.0 + span * (k as f64 + 0.5) / count as f64
}

/// Lays out `input`.
///
/// # Complexity
/// See the module documentation.
pub fn layout(input: &Input) -> Layout {
    let g = build(input);
    let rows = input
        .rows
        .max(input.node_rows.iter().map(|r| r + 1).max().unwrap_or(0));
    let order = order_rows(&g, rows);
    let mut x = assign_x(&g, &order);
    let n = input.node_rows.len();
    let left = (0..g.row.len())
        .map(|v| x[v] - g.width[v] / 2.0)
        .fold(f64::INFINITY, f64::min);
    let left = if left.is_finite() { left } else { 0.0 };
    for v in &mut x {
        *v -= left;
    }
    let width = (0..g.row.len())
        .map(|v| x[v] + g.width[v] / 2.0)
        .fold(0.0, f64::max);
    // Rows.
    let mut row_h = vec![DUMMY_ROW_HEIGHT; rows];
    for v in 0..n {
        row_h[g.row[v]] = row_h[g.row[v]].max(input.sizes[v].1);
    }
    let mut row_span = Vec::with_capacity(rows);
    let mut y = 0.0;
    for (r, h) in row_h.iter().enumerate() {
        y += input.gaps.get(r).copied().unwrap_or(40.0);
        row_span.push((y, y + h));
        y += h;
    }
    let height = y;
    let nodes: Vec<Rect> = (0..n)
        .map(|v| {
            let (w, h) = input.sizes[v];
            let (top, bottom) = row_span[g.row[v]];
            Rect {
                x: x[v] - w / 2.0,
                y: top + (bottom - top - h) / 2.0,
                w,
                h,
            }
        })
        .collect();
    // Ports: the order of a node's segments along its sides follows their other ends.
    let mut out_ports: Vec<Vec<(f64, usize)>> = vec![Vec::new(); n];
    let mut in_ports: Vec<Vec<(f64, usize)>> = vec![Vec::new(); n];
    for (e, chain) in g.chains.iter().enumerate() {
        if let Some((c, _)) = chain {
            let (first, second) = (c[0], c[1]);
            let (last, before) = (c[c.len() - 1], c[c.len() - 2]);
            out_ports[first].push((x[second], e));
            in_ports[last].push((x[before], e));
        }
    }
    let mut start = vec![0.0; g.chains.len()];
    let mut end = vec![0.0; g.chains.len()];
    for v in 0..n {
        for (ports, slot) in [
            (&mut out_ports[v], &mut start),
            (&mut in_ports[v], &mut end),
        ] {
            ports.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let count = ports.len();
            for (k, &(_, e)) in ports.iter().enumerate() {
                slot[e] = port(x[v], input.sizes[v].0, k, count);
            }
        }
    }
    let edges = g
        .chains
        .iter()
        .enumerate()
        .map(|(e, chain)| match chain {
            Some((c, reversed)) => {
                let top = nodes[c[0]];
                let bottom = nodes[c[c.len() - 1]];
                let mut pts = vec![Point {
                    x: start[e],
                    y: top.y + top.h,
                }];
                for &d in &c[1..c.len() - 1] {
                    let (t, b) = row_span[g.row[d]];
                    pts.push(Point { x: x[d], y: t });
                    pts.push(Point { x: x[d], y: b });
                }
                pts.push(Point {
                    x: end[e],
                    y: bottom.y,
                });
                if *reversed {
                    pts.reverse();
                }
                Route {
                    points: pts,
                    flat: false,
                }
            }
            None => {
                let (a, b) = input.edges[e];
                let pa = nodes.get(a).copied().unwrap_or(Rect {
                    x: 0.0,
                    y: 0.0,
                    w: 0.0,
                    h: 0.0,
                });
                let pb = nodes.get(b).copied().unwrap_or(pa);
                Route {
                    points: vec![
                        Point {
                            x: pa.cx(),
                            y: pa.y + pa.h,
                        },
                        Point {
                            x: pb.cx(),
                            y: pb.y + pb.h,
                        },
                    ],
                    flat: true,
                }
            }
        })
        .collect();
    Layout {
        nodes,
        edges,
        rows: row_span,
        width,
        height,
    }
}

/// The number of edge crossings of a layout's ordering, for tests and benchmarks.
pub fn count_crossings(input: &Input) -> usize {
    let g = build(input);
    let rows = input
        .rows
        .max(input.node_rows.iter().map(|r| r + 1).max().unwrap_or(0));
    let order = order_rows(&g, rows);
    let pos = positions(&order, g.row.len());
    crossings(&g, &order, &pos)
}

#[cfg(test)]
mod tests {
    use super::order::median;
    use super::place::pav;
    use super::*;

    fn input(rows: &[usize], edges: &[(usize, usize)]) -> Input {
        Input {
            rows: rows.iter().max().map_or(0, |m| m + 1),
            gaps: vec![40.0; 8],
            node_rows: rows.to_vec(),
            sizes: vec![(80.0, 30.0); rows.len()],
            edges: edges.to_vec(),
        }
    }

    #[test]
    fn empty_input_gives_empty_layout() {
        let l = layout(&Input::default());
        assert!(l.nodes.is_empty() && l.edges.is_empty());
    }

    #[test]
    fn a_crossing_that_can_be_undone_is_undone() {
        // Row 0: a b; row 1: c d with a→d, b→c: one crossing in the given order.
        let i = input(&[0, 0, 1, 1], &[(0, 3), (1, 2)]);
        assert_eq!(count_crossings(&i), 0);
    }

    #[test]
    fn boxes_in_a_row_never_overlap() {
        let rows = [0, 0, 0, 1, 1, 1, 1, 2, 2];
        let edges = [
            (0, 3),
            (0, 4),
            (1, 4),
            (2, 5),
            (2, 6),
            (3, 7),
            (6, 8),
            (0, 8),
            (1, 7),
        ];
        let l = layout(&input(&rows, &edges));
        for a in 0..rows.len() {
            for b in a + 1..rows.len() {
                if rows[a] == rows[b] {
                    let (ra, rb) = (l.nodes[a], l.nodes[b]);
                    assert!(
                        ra.x + ra.w <= rb.x || rb.x + rb.w <= ra.x,
                        "{a} and {b} overlap"
                    );
                }
            }
        }
        // Long edge 0→8 passes through row 1 at a lane, not through a box.
        let r = &l.edges[7];
        assert_eq!(r.points.len(), 4);
        let lane = r.points[1].x;
        for v in 3..7 {
            let b = l.nodes[v];
            assert!(lane <= b.x || lane >= b.x + b.w);
        }
    }

    #[test]
    fn upward_edges_keep_their_direction() {
        let l = layout(&input(&[0, 1], &[(1, 0)]));
        let p = &l.edges[0].points;
        assert!(p[0].y < p[p.len() - 1].y || p[0].y > p[p.len() - 1].y);
        // Starts at the dependent (row 1, below) and ends at row 0.
        assert!(p[0].y > p[p.len() - 1].y);
    }

    proptest::proptest! {
        #[test]
        fn random_graphs_lay_out_without_overlap(
            rows in proptest::collection::vec(0usize..5, 1..30),
            raw in proptest::collection::vec((0usize..30, 0usize..30), 0..60),
            widths in proptest::collection::vec(20.0f64..200.0, 30),
        ) {
            let n = rows.len();
            let edges: Vec<(usize, usize)> = raw.into_iter().map(|(a, b)| (a % n, b % n)).collect();
            let mut i = input(&rows, &edges);
            for (k, s) in i.sizes.iter_mut().enumerate() {
                s.0 = widths[k];
            }
            let l = layout(&i);
            proptest::prop_assert_eq!(&l, &layout(&i), "deterministic");
            proptest::prop_assert_eq!(l.edges.len(), edges.len());
            for a in 0..n {
                let ra = l.nodes[a];
                proptest::prop_assert!(ra.x >= -1e-6 && ra.x + ra.w <= l.width + 1e-6);
                proptest::prop_assert!(ra.y >= 0.0 && ra.y + ra.h <= l.height + 1e-6);
                for b in a + 1..n {
                    let rb = l.nodes[b];
                    let apart_x = ra.x + ra.w <= rb.x + 1e-6 || rb.x + rb.w <= ra.x + 1e-6;
                    let apart_y = ra.y + ra.h <= rb.y + 1e-6 || rb.y + rb.h <= ra.y + 1e-6;
                    proptest::prop_assert!(apart_x || apart_y, "{} and {} overlap", a, b);
                }
            }
            for r in &l.edges {
                for p in &r.points {
                    proptest::prop_assert!(p.x.is_finite() && p.y.is_finite());
                }
            }
        }
    }

    #[test]
    fn pav_is_isotonic_and_exact() {
        assert_eq!(pav(&[3.0, 1.0, 2.0], &[1.0, 1.0, 1.0]), vec![2.0, 2.0, 2.0]);
        assert_eq!(pav(&[1.0, 2.0], &[1.0, 1.0]), vec![1.0, 2.0]);
    }

    #[test]
    fn median_weighs_towards_the_tighter_side() {
        assert_eq!(median(&[0.0, 1.0, 2.0]), Some(1.0));
        assert_eq!(median(&[0.0, 4.0]), Some(2.0));
        assert_eq!(median(&[]), None);
    }
}
