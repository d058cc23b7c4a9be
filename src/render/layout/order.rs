//! Crossing reduction for the layered layout: the initial depth-first order, median
//! and barycenter sweeps, the transpose heuristic, crossings counted as inversions.

use super::{Graph, ORDER_SWEEPS};

/// The initial order: depth-first from the top rows, children in input order, so that
/// subtrees start together.
pub(super) fn initial_order(g: &Graph, rows: usize) -> Vec<Vec<usize>> {
    let mut order = vec![Vec::new(); rows];
    let mut seen = vec![false; g.row.len()];
    let mut starts: Vec<usize> = (0..g.row.len()).collect();
    starts.sort_by_key(|&v| (g.row[v], v));
    for s in starts {
        let mut stack = vec![s];
        while let Some(v) = stack.pop() {
            if std::mem::replace(&mut seen[v], true) {
                continue;
            }
            if let Some(r) = order.get_mut(g.row[v]) {
                r.push(v);
            }
            stack.extend(g.down[v].iter().rev().filter(|&&w| !seen[w]));
        }
    }
    order
}

/// Crossings between rows `r` and `r+1` as inversions, with a Fenwick tree.
pub(super) fn crossings_between(
    g: &Graph,
    upper: &[usize],
    lower: &[usize],
    pos: &[usize],
) -> usize {
    let mut pairs: Vec<(usize, usize)> = upper
        .iter()
        .flat_map(|&u| g.down[u].iter().map(move |&w| (pos[u], pos[w])))
        .collect();
    pairs.sort_unstable();
    let n = lower.len();
    let mut tree = vec![0usize; n + 1];
    let mut total = 0;
    for (k, &(_, p)) in pairs.iter().enumerate() {
        // Count earlier pairs with a lower position greater than p.
        let mut i = p + 1;
        let mut not_greater = 0;
        while i > 0 {
            not_greater += tree[i];
            i -= i & i.wrapping_neg();
        }
        total += k - not_greater;
        let mut i = p + 1;
        while i <= n {
            tree[i] += 1;
            i += i & i.wrapping_neg();
        }
    }
    total
}

pub(super) fn crossings(g: &Graph, order: &[Vec<usize>], pos: &[usize]) -> usize {
    order
        .windows(2)
        .map(|w| crossings_between(g, &w[0], &w[1], pos))
        .sum()
}

pub(super) fn positions(order: &[Vec<usize>], n: usize) -> Vec<usize> {
    let mut pos = vec![0; n];
    for row in order {
        for (k, &v) in row.iter().enumerate() {
            pos[v] = k;
        }
    }
    pos
}

/// The weighted median of sorted positions (Gansner et al. 1993).
pub(super) fn median(p: &[f64]) -> Option<f64> {
    let n = p.len();
    if n == 0 {
        return None;
    }
    let m = n / 2;
    if n % 2 == 1 {
        return Some(p[m]);
    }
    if n == 2 {
        return Some((p[0] + p[1]) / 2.0);
    }
    let left = p[m - 1] - p[0];
    let right = p[n - 1] - p[m];
    if left + right == 0.0 {
        return Some((p[m - 1] + p[m]) / 2.0);
    }
    Some((p[m - 1] * right + p[m] * left) / (left + right))
}

pub(super) fn sort_row(row: &mut [usize], neighbours: &[Vec<usize>], pos: &[usize]) {
    let mut keys: Vec<(f64, f64, usize, usize)> = row
        .iter()
        .enumerate()
        .map(|(k, &v)| {
            let mut p: Vec<f64> = neighbours[v].iter().map(|&u| pos[u] as f64).collect();
            p.sort_by(f64::total_cmp);
            let med = median(&p).unwrap_or(k as f64);
            let bary = if p.is_empty() {
                k as f64
            } else {
                p.iter().sum::<f64>() / p.len() as f64
            };
            (med, bary, k, v)
        })
        .collect();
    keys.sort_by(|a, b| {
        a.0.total_cmp(&b.0)
            .then(a.1.total_cmp(&b.1))
            .then(a.2.cmp(&b.2))
    });
    for (slot, key) in row.iter_mut().zip(keys) {
        *slot = key.3;
    }
}

/// Crossings among the edges of `v` and `w` (v left of w) to one neighbouring row.
pub(super) fn pair_crossings(nv: &[usize], nw: &[usize], pos: &[usize]) -> usize {
    let mut c = 0;
    for &a in nv {
        for &b in nw {
            if pos[a] > pos[b] {
                c += 1;
            }
        }
    }
    c
}

pub(super) fn transpose(g: &Graph, order: &mut [Vec<usize>], pos: &mut [usize]) {
    for _ in 0..4 {
        let mut improved = false;
        for row in order.iter_mut() {
            for k in 1..row.len() {
                let (v, w) = (row[k - 1], row[k]);
                let now = pair_crossings(&g.up[v], &g.up[w], pos)
                    + pair_crossings(&g.down[v], &g.down[w], pos);
                let swapped = pair_crossings(&g.up[w], &g.up[v], pos)
                    + pair_crossings(&g.down[w], &g.down[v], pos);
                if swapped < now {
                    row.swap(k - 1, k);
                    pos[v] = k;
                    pos[w] = k - 1;
                    improved = true;
                }
            }
        }
        if !improved {
            break;
        }
    }
}

pub(super) fn order_rows(g: &Graph, rows: usize) -> Vec<Vec<usize>> {
    let mut order = initial_order(g, rows);
    let mut pos = positions(&order, g.row.len());
    let mut best = order.clone();
    let mut best_c = crossings(g, &order, &pos);
    for sweep in 0..ORDER_SWEEPS {
        if best_c == 0 {
            break;
        }
        if sweep % 2 == 0 {
            for row in order.iter_mut().skip(1) {
                sort_row(row, &g.up, &pos);
                for (k, &v) in row.iter().enumerate() {
                    pos[v] = k;
                }
            }
        } else {
            for r in (0..rows.saturating_sub(1)).rev() {
                sort_row(&mut order[r], &g.down, &pos);
                for (k, &v) in order[r].iter().enumerate() {
                    pos[v] = k;
                }
            }
        }
        transpose(g, &mut order, &mut pos);
        let c = crossings(g, &order, &pos);
        if c < best_c {
            best_c = c;
            best = order.clone();
        }
    }
    best
}
