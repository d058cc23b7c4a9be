//! `jenga check`: exit codes and the exact text of every error class.
//!
//! Each directory `tests/fixtures/err/<case>/` holds a broken stack and
//! `expected.stderr`, the exact diagnostics; `JENGA_BLESS=1 cargo test` rewrites them.

use crate::harness::{expect_file, fixtures, jenga};

fn case(name: &str) -> crate::harness::Outcome {
    let dir = format!("err/{name}");
    let out = jenga(&["--stacks", &dir, "check"]);
    expect_file(&fixtures().join(&dir).join("expected.stderr"), &out.stderr);
    assert_eq!(out.stdout, "", "check prints diagnostics on stderr only");
    out
}

#[test]
fn valid_stack_passes() {
    let out = jenga(&["--stacks", "valid", "check", "--strict"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        "checked 2 files: 1 country, 2 nodes, 1 organization; no problems\n"
    );
}

#[test]
fn typo_in_needs_suggests_the_id() {
    let out = case("typo");
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("err/typo/xb.yaml:8:13"));
    assert!(out.stderr.contains("did you mean `nvidia`?"));
}

#[test]
fn unknown_field_points_at_its_line() {
    let out = case("unknown-field");
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("err/unknown-field/xb.yaml:7:5"));
    assert!(out.stderr.contains("7 |     layr: model"));
}

#[test]
fn two_broken_files_are_both_reported() {
    let out = case("two-files");
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("err/two-files/xb.yaml:4:5"));
    assert!(out.stderr.contains("err/two-files/xc.yaml:4:13"));
    assert!(out.stderr.ends_with("2 errors found in 2 files\n"));
}

#[test]
fn wrong_type() {
    assert_eq!(case("wrong-type").code, 1);
}

#[test]
fn duplicate_key() {
    assert_eq!(case("duplicate-key").code, 1);
}

#[test]
fn duplicate_id_across_files() {
    let out = case("duplicate-id");
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("first defined here"));
}

#[test]
fn at_least_out_of_range() {
    assert_eq!(case("threshold").code, 1);
}

#[test]
fn empty_alternatives() {
    assert_eq!(case("empty-any").code, 1);
}

#[test]
fn unknown_layer() {
    assert_eq!(case("unknown-layer").code, 1);
}

#[test]
fn invalid_country_code() {
    assert_eq!(case("country-code").code, 1);
}

#[test]
fn org_that_is_not_an_organization() {
    assert_eq!(case("not-org").code, 1);
}

#[test]
fn self_dependency() {
    assert_eq!(case("self-dep").code, 1);
}

#[test]
fn yaml_syntax_error() {
    assert_eq!(case("syntax").code, 1);
}

#[test]
fn missing_source_is_a_warning_and_strict_makes_it_an_error() {
    let out = case("missing-source");
    assert_eq!(out.code, 0);
    let strict = jenga(&["--stacks", "err/missing-source", "check", "--strict"]);
    assert_eq!(strict.code, 1);
    assert!(
        strict
            .stderr
            .starts_with("error[missing-source]: node `cluster` cites no source")
    );
}

#[test]
fn missing_stacks_directory_is_a_located_error() {
    let out = jenga(&["--stacks", "no-such-dir", "check"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "error: cannot read the stacks directory `no-such-dir`: no such file or directory; \
         pass `--stacks DIR` with the directory that holds the YAML files\n"
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(jenga(&["check", "--no-such-flag"]).code, 2);
    assert_eq!(jenga(&["no-such-command"]).code, 2);
}

#[test]
fn every_contract_subcommand_is_in_help() {
    let help = jenga(&["--help"]).stdout;
    for cmd in [
        "check",
        "scenario",
        "chokepoints",
        "cutsets",
        "why",
        "dependents",
        "sovereignty",
        "table",
        "render",
        "report",
    ] {
        assert!(
            help.contains(&format!("  {cmd} ")),
            "`{cmd}` missing from --help:\n{help}"
        );
    }
}

/// A scoped `unknown` names a real layer, and `closed: true` needs candidates to close
/// (issue #15); an open list of candidates is valid.
#[test]
fn scoped_unknowns_name_a_layer_and_close_only_a_list() {
    let out = case("unknown-scope");
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("err/unknown-scope/xb.yaml:6:27"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("did you mean `chips`?"));
    assert!(
        out.stderr
            .contains("`closed: true` closes an empty list of candidates")
    );
    assert!(out.stderr.contains("2 errors found"));
}

/// Issue #15: `check --sources-dir DIR` verifies every quote against its source's text
/// (`text:` in the bibliography names the file), with the citation's place; without
/// the texts the same data passes.
#[test]
fn quotes_are_checked_against_the_registered_source_text() {
    let out = jenga(&[
        "--stacks",
        "err/quote",
        "check",
        "--sources-dir",
        "source-texts",
    ]);
    assert_eq!(out.code, 1);
    expect_file(&fixtures().join("err/quote/expected.stderr"), &out.stderr);
    assert!(
        out.stderr.contains("err/quote/xq.yaml:13:9"),
        "{}",
        out.stderr
    );
    // The first quote (curly quotes, `\$` in the text) is found; only the second is not.
    assert_eq!(out.stderr.matches("error[quote-not-in-source]").count(), 1);
    let without = jenga(&["--stacks", "err/quote", "check"]);
    assert_eq!(without.code, 0, "{}", without.stderr);
}
