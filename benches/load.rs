//! The load path at scale: the fast parse path against the serde path on the same
//! files (single thread, MB/s), and the whole of what `jenga check` does (read and
//! parse in parallel, validate, build the graph) on a 1,000,000-node chain
//! (`synth::chain(1_000_000, 100)`, 82 MB) and on the 42,000-node benchmark world.
//! The whole-process figures against the Python peer are `benches/compare.sh`'s.
//!
//! `cargo bench --bench load` (`JENGA_CHAIN=N` for another chain length, `RUNS=k` for
//! the number of runs of which the median is printed, 3 by default).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    clippy::print_stdout
)]

use std::path::Path;
use std::time::{Duration, Instant};

use jenga::load::{Limits, load_dir, parse_fast_path, parse_serde_path};
use jenga::synth::{File, Spec, chain, generate};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn runs() -> usize {
    std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3)
        .max(1)
}

/// Median time of `f` over [`runs`] runs.
fn time(mut f: impl FnMut()) -> Duration {
    median(
        (0..runs())
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

fn mb_per_s(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64()
}

/// Single-thread parse throughput of both paths on `files`.
fn parsers(what: &str, files: &[File]) {
    let limits = Limits::default();
    let bytes: usize = files.iter().map(|f| f.text.len()).sum();
    for f in files {
        assert!(
            parse_fast_path(&f.text, &limits).is_some(),
            "{} deferred",
            f.name
        );
    }
    let fast = time(|| {
        for f in files {
            std::hint::black_box(parse_fast_path(&f.text, &limits));
        }
    });
    let serde = time(|| {
        for f in files {
            std::hint::black_box(parse_serde_path(&f.text, &limits));
        }
    });
    println!(
        "| parse {what} ({:.1} MB), one thread | {:.0} ms = {:.1} MB/s | {:.0} ms = {:.1} MB/s | {:.1}× |",
        bytes as f64 / 1e6,
        fast.as_secs_f64() * 1e3,
        mb_per_s(bytes, fast),
        serde.as_secs_f64() * 1e3,
        mb_per_s(bytes, serde),
        serde.as_secs_f64() / fast.as_secs_f64()
    );
}

/// The phases of `jenga check` in process on the files of `dir`.
fn check(what: &str, dir: &Path) {
    let limits = Limits::default();
    let (mut load, mut validate, mut build) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs() {
        let t = Instant::now();
        let loaded = load_dir(dir, &limits).unwrap();
        load.push(t.elapsed());
        let t = Instant::now();
        let diags = jenga::validate::validate(&loaded, &limits);
        validate.push(t.elapsed());
        assert!(!diags.has_errors(false));
        let t = Instant::now();
        let world = jenga::graph::build::build_owned(loaded.files).unwrap();
        build.push(t.elapsed());
        std::hint::black_box(world.len());
    }
    let (l, v, b) = (median(load), median(validate), median(build));
    println!(
        "| check {what}: read + parse (parallel) / validate / build | {:.0} / {:.0} / {:.0} ms, {:.2} s in all | | |",
        l.as_secs_f64() * 1e3,
        v.as_secs_f64() * 1e3,
        b.as_secs_f64() * 1e3,
        (l + v + b).as_secs_f64()
    );
}

fn write(dir: &Path, files: &[File]) {
    for f in files {
        std::fs::write(dir.join(&f.name), &f.text).unwrap();
    }
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` runs nothing heavy.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let n = std::env::var("JENGA_CHAIN")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    println!("| what | fast path | serde path | ratio |");
    println!("|---|---:|---:|---:|");
    let world = generate(&Spec::default()).unwrap();
    parsers("benchmark world", &world);
    let chain_files = chain(n, 100);
    // The serde path takes seconds per 10 MB: its throughput on a tenth of the chain.
    parsers(
        "a tenth of the chain",
        &chain_files[..chain_files.len() / 10],
    );
    let tmp = tempfile::tempdir().unwrap();
    let (w, c) = (tmp.path().join("world"), tmp.path().join("chain"));
    std::fs::create_dir_all(&w).unwrap();
    std::fs::create_dir_all(&c).unwrap();
    write(&w, &world);
    write(&c, &chain_files);
    check("benchmark world", &w);
    check(&format!("{n}-node chain"), &c);
}
