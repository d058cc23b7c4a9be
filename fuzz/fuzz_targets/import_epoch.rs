//! Fuzz target: arbitrary bytes through `jenga import epoch`'s pure importer. Must never
//! panic; an import that succeeds must write stack files that parse and validate
//! without an error; a refusal must name `file:line:column`.
#![no_main]

use jenga::import::Input;
use libfuzzer_sys::fuzz_target;

#[path = "import_checks.rs"]
mod checks;
use checks::{assert_located, assert_valid};

fuzz_target!(|data: &[u8]| {
    // Files are separated by NUL bytes.
    let parts: Vec<&[u8]> = data.split(|b| *b == 0).collect();
    let part = |k: usize| parts.get(k).copied().unwrap_or_default();
    run(&part);
});

fn run<'a>(part: &dyn Fn(usize) -> &'a [u8]) {
    let inputs = [
        Input {
            name: "c.csv",
            bytes: part(0),
        },
        Input {
            name: "h.csv",
            bytes: part(1),
        },
    ];
    match jenga::import::epoch::import(&inputs) {
        Ok(i) => assert_valid(&i.files),
        Err(e) => assert_located(&e, &["c.csv", "h.csv"]),
    }
}
