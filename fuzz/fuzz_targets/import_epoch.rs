//! Fuzz target: arbitrary bytes through `jenga import epoch`'s pure importer. Must never
//! panic; an import that succeeds must write stack files that parse and validate
//! without an error; a refusal must name `file:line:column`.
#![no_main]

use std::path::Path;

use jenga::import::{ImportError, Input, OutFile};
use libfuzzer_sys::fuzz_target;

fn assert_valid(files: &[OutFile]) {
    let limits = jenga::load::Limits::default();
    let mut loaded = jenga::load::Loaded::default();
    for f in files.iter().filter(|f| f.name.ends_with(".yaml")) {
        match jenga::load::parse_bytes(Path::new(&f.name), f.text.clone().into_bytes(), &limits) {
            Ok(file) => loaded.files.push(file),
            Err(d) => panic!("{} does not parse: {}", f.name, d.render(false)),
        }
    }
    let diags = jenga::validate::validate(&loaded, &limits);
    assert!(!diags.has_errors(false), "{}", diags.render(false));
}

fn assert_located(e: &ImportError, names: &[&str]) {
    let ok = names.iter().any(|n| {
        e.0.strip_prefix(n)
            .and_then(|r| r.strip_prefix(':'))
            .and_then(|r| r.split_once(':'))
            .is_some_and(|(line, rest)| {
                line.parse::<u64>().is_ok()
                    && rest.split_once(':').is_some_and(|(c, _)| c.parse::<u64>().is_ok())
            })
    });
    assert!(ok, "not located: {}", e.0);
}

fuzz_target!(|data: &[u8]| {
    // Files are separated by NUL bytes.
    let parts: Vec<&[u8]> = data.split(|b| *b == 0).collect();
    let part = |k: usize| parts.get(k).copied().unwrap_or_default();
    run(&part);
});

fn run<'a>(part: &dyn Fn(usize) -> &'a [u8]) {
    let inputs = [
        Input { name: "c.csv", bytes: part(0) },
        Input { name: "h.csv", bytes: part(1) },
    ];
    match jenga::import::epoch::import(&inputs) {
        Ok(i) => assert_valid(&i.files),
        Err(e) => assert_located(&e, &["c.csv", "h.csv"]),
    }
}
