//! Fuzz target: arbitrary bytes through `jenga import eto`'s pure importer. Must never
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
    let names = [
        "inputs.csv",
        "stages.csv",
        "providers.csv",
        "provision.csv",
        "sequence.csv",
    ];
    let at = |k: usize| Input {
        name: names[k],
        bytes: part(k),
    };
    match jenga::import::eto::import(&jenga::import::eto::Files {
        inputs: at(0),
        stages: at(1),
        providers: at(2),
        provision: at(3),
        sequence: at(4),
        license: None,
    }) {
        Ok(i) => assert_valid(&i.files),
        Err(e) => assert_located(&e, &names),
    }
}
