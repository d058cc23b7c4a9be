//! Criterion benchmark of minimal cut sets on the Aralia fault trees (read from
//! `JENGA_FAULT_TREES`, default `../shared/benchmarks/fault-trees`): import, build the
//! world, translate the cone and compute every minimal cut set.
//!
//! Whole-process timings against `scram --bdd` are in `benches/cutsets_vs_scram.sh`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use jenga::analysis::cutsets::{Target, cut_sets};
use jenga::graph::World;
use jenga::load::{Limits, parse_bytes};
use jenga::openpsa::{Input, import};

fn folder() -> PathBuf {
    std::env::var_os("JENGA_FAULT_TREES").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/benchmarks/fault-trees"),
        PathBuf::from,
    )
}

fn world(model: &str) -> Option<World> {
    let dir = folder();
    let texts: Vec<(String, String)> =
        [format!("{model}.xml"), format!("{model}-basic-events.xml")]
            .into_iter()
            .map(|f| {
                let p = dir.join(&f);
                std::fs::read_to_string(&p).ok().map(|t| (f, t))
            })
            .collect::<Option<_>>()?;
    let inputs: Vec<Input<'_>> = texts
        .iter()
        .map(|(p, t)| Input {
            path: p.clone(),
            text: t,
        })
        .collect();
    let yaml = import(&inputs).unwrap().yaml;
    let file = parse_bytes(
        Path::new("model.yaml"),
        yaml.into_bytes(),
        &Limits::default(),
    )
    .unwrap();
    Some(jenga::graph::build(&[file]).unwrap())
}

fn bench(c: &mut Criterion) {
    for model in ["chinese", "baobab2", "baobab1"] {
        let Some(w) = world(model) else {
            eprintln!(
                "{model}: benchmark files not found in {}",
                folder().display()
            );
            continue;
        };
        let top = Target::Node(w.lookup("r1").unwrap());
        let leaves: Vec<bool> = w.indices().map(|i| w.node(i).needs.is_empty()).collect();
        let mut group = c.benchmark_group("cutsets");
        group.sample_size(20);
        group.bench_function(model, |b| {
            b.iter(|| cut_sets(&w, &top, &leaves, None).unwrap().sets.len());
        });
        group.bench_function(format!("{model}/max-order-4"), |b| {
            b.iter(|| cut_sets(&w, &top, &leaves, Some(4)).unwrap().sets.len());
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
