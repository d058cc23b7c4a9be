//! Benchmarks of the cascade on the synthetic benchmark world of about 42,000 nodes
//! (`jenga::synth::Spec::default()`): one scenario, a scoped per-country scenario, and
//! the chokepoint sweeps. Run with `cargo bench --bench cascade`.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use jenga::analysis::cascade::{Cascade, Removal, Workspace};
use jenga::analysis::chokepoints::{By, chokepoints};
use jenga::analysis::select::Selector;
use jenga::graph::World;
use jenga::load::{Limits, parse_bytes};
use jenga::synth::{Spec, generate};

fn world() -> World {
    let files: Vec<_> = generate(&Spec::default())
        .unwrap()
        .into_iter()
        .map(|f| {
            parse_bytes(Path::new(&f.name), f.text.into_bytes(), &Limits::default())
                .map_err(|d| d.render(false))
                .unwrap()
        })
        .collect();
    jenga::graph::build(&files).unwrap()
}

fn bench(c: &mut Criterion) {
    let w = world();
    eprintln!(
        "synthetic world: {} nodes, {} edges",
        w.len(),
        w.graph.edge_count()
    );
    let cascade = Cascade::new(&w);
    let org = w.lookup("org-0").unwrap();
    let mut ws = Workspace::new();
    c.bench_function("scenario/remove one organization", |b| {
        b.iter(|| cascade.evaluate_in(&mut ws, black_box(&[org])))
    });
    let scoped: Vec<Removal> = vec![
        Removal::new(
            &w,
            Selector::Id("org-0".into()),
            Some(vec!["XA".into(), "XB".into()]),
        ),
        Removal::new(&w, Selector::Id("org-7".into()), None),
    ];
    c.bench_function("scenario/scoped, per country, dense outcomes", |b| {
        b.iter(|| cascade.evaluate_scenario(black_box(&scoped)))
    });
    c.bench_function("cascade/prepare (Cascade::new)", |b| {
        b.iter(|| Cascade::new(black_box(&w)))
    });
    let mut g = c.benchmark_group("sweep");
    g.sample_size(10);
    g.bench_function("chokepoints by org", |b| {
        b.iter(|| chokepoints(&cascade, By::Org, None))
    });
    g.bench_function("chokepoints by jurisdiction", |b| {
        b.iter(|| chokepoints(&cascade, By::Jurisdiction, None))
    });
    g.bench_function("chokepoints by node", |b| {
        b.iter(|| chokepoints(&cascade, By::Node, Some(10)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
