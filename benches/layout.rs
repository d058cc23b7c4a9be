//! Benchmark of the built-in layered layout and SVG drawing on synthetic towers.
//!
//! `cargo bench --bench layout` prints the median time of each size. (A plain harness:
//! the numbers are what matters here, and it keeps the dependency tree small.)

#![allow(missing_docs, clippy::unwrap_used, clippy::print_stdout)]

use std::time::{Duration, Instant};

use jenga::render::layout::{self, Input};

/// A deterministic pseudo-random generator (64-bit LCG, Knuth's MMIX constants).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// `n` nodes in 6 rows; each node below the top row is needed by 2 nodes above it,
/// from any higher row (so long edges and dummies are common).
fn tower(n: usize, seed: u64) -> Input {
    let rows = 6;
    let mut rng = Lcg(seed);
    let node_rows: Vec<usize> = (0..n).map(|i| i * rows / n.max(1)).collect();
    let mut edges = Vec::new();
    for v in 0..n {
        if node_rows[v] == 0 {
            continue;
        }
        let above: Vec<usize> = (0..n).filter(|&u| node_rows[u] < node_rows[v]).collect();
        for _ in 0..2 {
            edges.push((above[rng.next(above.len())], v));
        }
    }
    Input {
        rows,
        gaps: vec![40.0; rows],
        node_rows,
        sizes: vec![(120.0, 44.0); n],
        edges,
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    for n in [25, 100, 400] {
        let input = tower(n, 42);
        let runs = if n >= 400 { 5 } else { 15 };
        let times: Vec<Duration> = (0..runs)
            .map(|_| {
                let t = Instant::now();
                let l = layout::layout(&input);
                std::hint::black_box(l);
                t.elapsed()
            })
            .collect();
        println!(
            "layout  {n:>4} nodes {:>4} edges  crossings {:>5}  median {:?}",
            input.edges.len(),
            layout::count_crossings(&input),
            median(times)
        );
    }
}
