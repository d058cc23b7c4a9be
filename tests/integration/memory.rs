//! The memory budget of a load (issue #8): `jenga check` on the benchmark world (40
//! countries x 1,000 nodes + 2,000 suppliers, about 42,000 nodes in 4.8 MB of YAML)
//! peaks under 10x the size of its input with two parsing threads (the 2-core machine
//! of the issue), read from GNU `time -f %M` through [`crate::hostile::limited_env`].
//!
//! The budget is about an optimised build: a debug build (what a plain `cargo test`
//! makes) needs about 20 s of CPU for this world and keeps about 10 MB more of
//! its own, so there the test only reports that it was skipped; `cargo test --release`
//! runs it. The per-node layouts that the budget rests on are guarded in every build
//! by `graph::tests::per_node_types_stay_lean`.

use std::path::Path;

use crate::harness::{jenga_in, root};
use crate::hostile::limited_env;

fn input_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| std::fs::metadata(p).unwrap().len())
        .sum()
}

#[test]
fn check_peaks_under_ten_times_its_input() {
    if cfg!(debug_assertions) {
        eprintln!(
            "skipped: the memory budget is measured on a release build (cargo test --release)"
        );
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let world = tmp.path().join("world");
    let out = world.to_str().unwrap();
    let args = [
        "generate",
        "--countries",
        "40",
        "--nodes",
        "1000",
        "--suppliers",
        "2000",
        "--seed",
        "42",
        "-o",
        out,
    ];
    let g = jenga_in(root(), &args);
    assert_eq!(g.code, 0, "{}", g.stderr);
    let input = input_bytes(&world);
    assert!(
        input > 4_000_000,
        "the benchmark world is about 4.8 MB, got {input}"
    );
    // Two parsing threads, as on the 2-core machine that the budget is set for: each
    // parsing thread keeps a heap of its own, which adds about 1.5 MB per thread.
    let run = limited_env(
        tmp.path(),
        &["-q", "--stacks", out, "check"],
        &[("RAYON_NUM_THREADS", "2")],
    );
    assert_eq!(run.out.code, 0, "{}", run.out.stderr);
    let Some(kib) = run.max_rss_kib else {
        // `limited` already failed the test if JENGA_REQUIRE_LIMITS=1.
        eprintln!("skipped: GNU time is not installed");
        return;
    };
    let peak = kib * 1024;
    eprintln!("check: peak {peak} bytes for {input} bytes of YAML");
    assert!(
        peak < 10 * input,
        "`jenga check` peaked at {peak} bytes, over 10x its {input}-byte input"
    );
}
