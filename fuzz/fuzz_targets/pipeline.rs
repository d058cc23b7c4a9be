//! Fuzz target: the whole pipeline that exists today, load → check → build the graph.
//!
//! The input is split at NUL bytes (which YAML never contains) into up to four stack
//! files, loaded next to a fixed valid `shared.yaml` (so that fuzzed files can reference
//! real ids). Every diagnostic must carry a location; whenever validation passes,
//! `graph::build` must succeed (its documented invariant), and the world must be
//! consistent. Extend this target with cascade → render when they land.
#![no_main]

use std::path::PathBuf;

use jenga::load::{Limits, Loaded, parse_bytes};
use libfuzzer_sys::fuzz_target;

const SHARED: &str = include_str!("../../tests/fixtures/valid/shared.yaml");

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    let mut loaded = Loaded::default();
    let mut inputs: Vec<(PathBuf, Vec<u8>)> = vec![(
        PathBuf::from("stacks/shared.yaml"),
        SHARED.as_bytes().to_vec(),
    )];
    for (i, chunk) in data.split(|&b| b == 0).take(4).enumerate() {
        inputs.push((PathBuf::from(format!("stacks/f{i}.yaml")), chunk.to_vec()));
    }
    for (path, bytes) in inputs {
        match parse_bytes(&path, bytes, &limits) {
            Ok(f) => loaded.files.push(f),
            Err(d) => loaded.diagnostics.push(*d),
        }
    }
    let diags = jenga::validate::validate(&loaded, &limits);
    for d in loaded.diagnostics.items().iter().chain(diags.items()) {
        assert!(d.place.is_some(), "a diagnostic without a place: {d:?}");
    }
    let _ = diags.render(false);
    if loaded.diagnostics.has_errors(false) || diags.has_errors(false) {
        return;
    }
    let world = match jenga::graph::build(&loaded.files) {
        Ok(w) => w,
        Err(e) => panic!("validated files failed to build: {e}"),
    };
    for i in world.indices() {
        let _ = world.node(i);
    }
});
