//! Criterion benchmarks of the whole pipeline on the synthetic benchmark world
//! (`jenga::synth::Spec::default()`: 40 countries × 1,000 nodes + 2,000 suppliers,
//! about 42,000 nodes): loading (read + parse in parallel, validate, build the graph),
//! one scenario with its per-country report, and the built-in renderer (a synthetic
//! country's tower, and the overview of the real stacks/). The sweep is in
//! `benches/cascade.rs`, cut sets in `benches/cutsets.rs`; whole-process comparisons
//! with the peers in `benches/compare.sh`. Run with `cargo bench --bench pipeline`.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use jenga::analysis::cascade::{Cascade, Removal};
use jenga::analysis::scenario::{Scenario, report};
use jenga::analysis::select::Selector;
use jenga::graph::World;
use jenga::load::{Limits, load_dir};
use jenga::render::tower::{self, Marks};
use jenga::render::{Figure, SvgEngine};
use jenga::synth::{Spec, generate};

fn open(dir: &Path) -> World {
    let limits = Limits::default();
    let loaded = load_dir(dir, &limits).unwrap();
    let diags = jenga::validate::validate(&loaded, &limits);
    assert!(!diags.has_errors(false));
    jenga::graph::build(&loaded.files).unwrap()
}

fn bench(c: &mut Criterion) {
    let tmp = tempfile::tempdir().unwrap();
    for f in generate(&Spec::default()).unwrap() {
        std::fs::write(tmp.path().join(&f.name), f.text).unwrap();
    }
    let mut g = c.benchmark_group("load");
    g.sample_size(10);
    g.bench_function("synthetic world: read, parse, validate, build", |b| {
        b.iter(|| open(black_box(tmp.path())))
    });
    g.finish();

    let w = open(tmp.path());
    let cascade = Cascade::new(&w);
    let scenario = Scenario {
        name: "org-0".into(),
        description: None,
        removals: vec![Removal::new(&w, Selector::Id("org-0".into()), None)],
    };
    let mut g = c.benchmark_group("scenario");
    g.bench_function("remove org-0: cascade only", |b| {
        b.iter(|| cascade.evaluate_scenario(black_box(&scenario.removals)))
    });
    g.bench_function("remove org-0: per-country report", |b| {
        b.iter(|| report(&cascade, black_box(&scenario)))
    });
    g.finish();

    let real = open(&Path::new(env!("CARGO_MANIFEST_DIR")).join("stacks"));
    let marks = Marks::default();
    let mut g = c.benchmark_group("render builtin");
    g.sample_size(10);
    g.bench_function("tower of a synthetic country (1,000 nodes)", |b| {
        b.iter(|| {
            let d = tower::tower(&w, "XA", &marks).unwrap();
            Figure::Diagram(d)
                .to_svg(SvgEngine::Builtin, Duration::from_secs(60))
                .unwrap()
                .len()
        })
    });
    g.bench_function("overview of stacks/", |b| {
        b.iter(|| {
            Figure::Diagram(tower::overview(
                &real,
                &marks,
                &jenga::analysis::chokepoints::exposure(&Cascade::new(&real)),
            ))
            .to_svg(SvgEngine::Builtin, Duration::from_secs(60))
            .unwrap()
            .len()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
