//! Coordinate assignment for the layered layout: each row placed by a
//! separation-shifted isotonic regression (pool-adjacent-violators), in sweeps.

use super::{Graph, PLACE_SWEEPS, SEP_DUMMY, SEP_MIXED, SEP_NODES};

/// Weighted isotonic regression (non-decreasing) by pool-adjacent-violators, O(n).
pub(super) fn pav(y: &[f64], w: &[f64]) -> Vec<f64> {
    // Blocks: (weighted sum, weight, count).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(y.len());
    for (&yi, &wi) in y.iter().zip(w) {
        blocks.push((yi * wi, wi, 1));
        while blocks.len() >= 2 {
            let (s2, w2, c2) = blocks[blocks.len() - 1];
            let (s1, w1, c1) = blocks[blocks.len() - 2];
            if s1 / w1 > s2 / w2 {
                blocks.pop();
                if let Some(last) = blocks.last_mut() {
                    *last = (s1 + s2, w1 + w2, c1 + c2);
                }
            } else {
                break;
            }
        }
    }
    blocks
        .into_iter()
        .flat_map(|(s, wt, c)| std::iter::repeat_n(s / wt, c))
        .collect()
}

pub(super) fn separation(g: &Graph, a: usize, b: usize) -> f64 {
    let sep = match (g.real[a], g.real[b]) {
        (true, true) => SEP_NODES,
        (false, false) => SEP_DUMMY,
        _ => SEP_MIXED,
    };
    (g.width[a] + g.width[b]) / 2.0 + sep
}

pub(super) fn segment_weight(g: &Graph, a: usize, b: usize) -> f64 {
    match (g.real[a], g.real[b]) {
        (true, true) => 1.0,
        (false, false) => 8.0,
        _ => 2.0,
    }
}

/// Places one row as close as its order allows to the desired positions.
pub(super) fn place_row(g: &Graph, row: &[usize], desired: &[f64], weight: &[f64], x: &mut [f64]) {
    let mut offset = Vec::with_capacity(row.len());
    let mut acc = 0.0;
    for (k, &v) in row.iter().enumerate() {
        if k > 0 {
            acc += separation(g, row[k - 1], v);
        }
        offset.push(acc);
    }
    let y: Vec<f64> = desired.iter().zip(&offset).map(|(d, o)| d - o).collect();
    let fit = pav(&y, weight);
    for ((&v, f), o) in row.iter().zip(fit).zip(offset) {
        x[v] = f + o;
    }
}

pub(super) fn assign_x(g: &Graph, order: &[Vec<usize>]) -> Vec<f64> {
    let mut x = vec![0.0; g.row.len()];
    // Packed start, every row centred on 0.
    for row in order {
        let mut acc = 0.0;
        for (k, &v) in row.iter().enumerate() {
            if k > 0 {
                acc += separation(g, row[k - 1], v);
            }
            x[v] = acc;
        }
        for &v in row {
            x[v] -= acc / 2.0;
        }
    }
    for sweep in 0..PLACE_SWEEPS {
        let both = sweep >= PLACE_SWEEPS - 8;
        let downward = sweep % 2 == 0;
        let rows: Vec<usize> = if downward {
            (0..order.len()).collect()
        } else {
            (0..order.len()).rev().collect()
        };
        for r in rows {
            let row = &order[r];
            let mut desired = Vec::with_capacity(row.len());
            let mut weight = Vec::with_capacity(row.len());
            for &v in row {
                let mut neighbours: Vec<usize> = Vec::new();
                if downward || both {
                    neighbours.extend(&g.up[v]);
                }
                if !downward || both {
                    neighbours.extend(&g.down[v]);
                }
                let (mut s, mut w) = (0.0, 0.0);
                for &u in &neighbours {
                    let k = segment_weight(g, u, v);
                    s += k * x[u];
                    w += k;
                }
                if w > 0.0 {
                    desired.push(s / w);
                    weight.push(w);
                } else {
                    desired.push(x[v]);
                    weight.push(0.05);
                }
            }
            place_row(g, row, &desired, &weight, &mut x);
        }
    }
    x
}
