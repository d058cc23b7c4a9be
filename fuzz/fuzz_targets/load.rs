//! Fuzz target: arbitrary bytes as one stack file → parse (UTF-8, BOM, YAML budgets,
//! serde) → validate. Must never panic, and every diagnostic must carry a location.
#![no_main]

use std::path::Path;

use jenga::load::{Limits, Loaded, parse_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    let mut loaded = Loaded::default();
    match parse_bytes(Path::new("stacks/fuzz.yaml"), data.to_vec(), &limits) {
        Ok(file) => loaded.files.push(file),
        Err(d) => {
            assert!(
                d.place.is_some(),
                "a parse diagnostic without a place: {d:?}"
            );
            // Rendering quotes the input: it must not panic either.
            let _ = d.render(false);
            return;
        }
    }
    let diags = jenga::validate::validate(&loaded, &limits);
    for d in diags.items() {
        assert!(d.place.is_some(), "a diagnostic without a place: {d:?}");
    }
    let _ = diags.render(false);
});
