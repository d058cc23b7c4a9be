//! The project's structure holds what its documents say: every test named in README's
//! "Guarantees" exists. (Pure file reading: no binary is run.)

use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file below `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Whether `file` defines a function `name` (a test is a function).
fn defines(file: &Path, name: &str) -> bool {
    let text = fs::read_to_string(file).unwrap_or_default();
    text.contains(&format!("fn {name}("))
}

/// The code spans of README's "Guarantees" section (up to the next `## ` heading).
fn guarantee_spans() -> Vec<String> {
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme
        .find("\n## Guarantees\n")
        .expect("README has a Guarantees section");
    let rest = &readme[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |e| e + 3);
    rest[..end]
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

fn is_ident(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && s.starts_with(|c: char| c.is_ascii_lowercase())
}

/// Every test the Guarantees section names exists: `file::name` (an integration test
/// file of `tests/integration/`), `module::tests::name` (a unit test in a file of
/// `src/` named after the module), and bare `snake_case_names` with an underscore (the
/// budget table's `hostile::` tests; a fuzz target or a function jenga calls also
/// counts). Words without `_` or `::` (fuzz target names, flags, values) are not test
/// names.
#[test]
fn every_test_named_in_the_readme_guarantees_exists() {
    let root = root();
    let integration = root.join("tests/integration");
    let src_files = rust_files(&root.join("src"));
    let test_files = rust_files(&root.join("tests"));
    let mut checked = 0;
    let mut missing = Vec::new();
    for span in guarantee_spans() {
        let parts: Vec<&str> = span.split("::").collect();
        if !parts.iter().all(|p| is_ident(p)) {
            continue;
        }
        let name = parts[parts.len() - 1];
        let found = match parts.as_slice() {
            // A bare name: a test, a fuzz target, or a function jenga calls.
            [_] if name.contains('_') => {
                test_files.iter().any(|f| defines(f, name))
                    || root.join(format!("fuzz/fuzz_targets/{name}.rs")).is_file()
                    || src_files.iter().any(|f| {
                        fs::read_to_string(f).is_ok_and(|t| t.contains(&format!("{name}(")))
                    })
            }
            [_] => continue,
            [file, ..]
                if !parts.contains(&"tests")
                    && integration.join(format!("{file}.rs")).is_file() =>
            {
                defines(&integration.join(format!("{file}.rs")), name)
            }
            // `a::b::tests::name`: a test of a file of `src/` whose path holds the
            // module (`cutsets::tests::x` is in `src/analysis/cutsets/tests.rs`).
            [modules @ .., _] => {
                let module = modules.iter().rev().find(|m| **m != "tests").copied();
                let Some(module) = module else {
                    missing.push(format!("{span} (no module)"));
                    continue;
                };
                src_files.iter().any(|f| {
                    let rel = f
                        .strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned();
                    let in_module = rel.trim_end_matches(".rs").split('/').any(|c| c == module);
                    in_module && defines(f, name)
                })
            }
            [] => continue,
        };
        checked += 1;
        if !found {
            missing.push(span);
        }
    }
    assert!(
        checked > 50,
        "only {checked} test names found in the Guarantees section"
    );
    assert!(
        missing.is_empty(),
        "README's Guarantees name tests that do not exist: {missing:#?}"
    );
}
