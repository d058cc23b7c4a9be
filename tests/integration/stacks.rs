//! The real data: every file of `stacks/` loads and passes `check --strict`.

use std::path::Path;

use crate::harness::jenga_in;

#[test]
fn every_stack_file_passes_strict_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = jenga_in(root, &["check", "--strict"]);
    assert_eq!(
        out.code, 0,
        "jenga check --strict failed on stacks/:\n{}",
        out.stderr
    );
    assert!(out.stderr.contains("no problems"), "{}", out.stderr);
}

#[test]
fn every_stack_file_is_loaded() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let limits = jenga::load::Limits::default();
    let paths =
        jenga::load::find_files(&root.join("stacks"), &limits).expect("stacks/ is readable");
    assert!(!paths.is_empty());
    let loaded = jenga::load::load_files(&paths, &limits);
    assert!(
        loaded.diagnostics.items().is_empty(),
        "{}",
        loaded.diagnostics.render(false)
    );
    assert_eq!(loaded.files.len(), paths.len());
    let world = jenga::graph::build(&loaded.files).expect("stacks/ builds");
    for code in ["AE", "JP", "SG", "TW"] {
        assert!(world.country(code).is_some(), "country {code} is missing");
    }
    for org in [
        "nvidia",
        "aws",
        "meta",
        "google",
        "microsoft",
        "hugging-face",
        "ibm",
        "fujitsu",
        "arm",
    ] {
        let i = world
            .lookup(org)
            .unwrap_or_else(|| panic!("supplier `{org}` is missing"));
        assert!(world.node(i).is_org(), "`{org}` is not an organization");
    }
}
