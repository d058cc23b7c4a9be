//! Data honesty on the real `stacks/`: dependencies the source does not state are
//! marked `inferred` (and `--exclude-inferred` builds the world without them),
//! Table 2's private-sector partners are `partner` edges that degrade and never fail,
//! and what the source states beyond its tables (a cancelled investment, Microsoft's
//! GPUs for France, the French armed forces' machine, the U.S. government's Top500
//! systems, China's own chips, Australia's report) is in the data.

use serde_json::Value;

use crate::harness::{Outcome, jenga_in, root};

fn run(args: &[&str]) -> Outcome {
    jenga_in(root(), args)
}

fn json(args: &[&str]) -> Value {
    let out = run(args);
    assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap()
}

/// The status of capability `cap` of country `cc` in a scenario's JSON.
fn capability(v: &Value, cc: &str, cap: &str) -> String {
    let c = v["countries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == cc)
        .unwrap_or_else(|| panic!("no country {cc}"));
    c["capabilities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == cap)
        .unwrap_or_else(|| panic!("no capability {cap} in {cc}"))["status"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn excluding_inferred_edges_changes_only_what_rests_on_them() {
    let with = json(&["scenario", "--remove", "nvidia", "--format", "json"]);
    let without = json(&[
        "scenario",
        "--remove",
        "nvidia",
        "--exclude-inferred",
        "--format",
        "json",
    ]);
    // Spain's and Sweden's models reach Nvidia only through Table 1's family-wide
    // infrastructure read per subset (inferred): without those edges they stand.
    assert_eq!(capability(&with, "ES", "es-foundation-models"), "failed");
    assert_eq!(capability(&without, "ES", "es-foundation-models"), "intact");
    assert_eq!(capability(&with, "SE", "gpt-sw3"), "failed");
    assert_eq!(capability(&without, "SE", "gpt-sw3"), "intact");
    // What the source states outright does not move.
    for (cc, cap) in [
        ("AE", "falcon"),
        ("DK", "gefion"),
        ("FR", "jean-zay-upgrade"),
        ("JP", "abci-3"),
        ("NL", "gpt-nl"),
        ("TW", "taide"),
    ] {
        assert_eq!(capability(&with, cc, cap), "failed", "{cc} {cap}");
        assert_eq!(capability(&without, cc, cap), "failed", "{cc} {cap}");
    }
    assert_eq!(capability(&without, "JP", "fugaku-llm"), "intact");
}

#[test]
fn exclude_inferred_reaches_cut_sets_and_paths() {
    let with = run(&["cutsets", "es-foundation-models", "--format", "json"]);
    let without = run(&[
        "cutsets",
        "es-foundation-models",
        "--exclude-inferred",
        "--format",
        "json",
    ]);
    assert_eq!(with.code, 0, "{}", with.stderr);
    assert_eq!(without.code, 0, "{}", without.stderr);
    assert!(with.stdout.contains("\"nvidia\""), "{}", with.stdout);
    assert!(!without.stdout.contains("\"nvidia\""), "{}", without.stdout);
    let why = run(&["why", "ES", "nvidia", "--exclude-inferred"]);
    assert!(!why.stdout.contains("marenostrum-5"), "{}", why.stdout);
    let why = run(&["why", "ES", "nvidia"]);
    assert!(why.stdout.contains("marenostrum-5"), "{}", why.stdout);
}

#[test]
fn every_inferred_edge_gives_a_reason_and_a_quoted_source() {
    let files = crate::harness::yaml_files(&root().join("stacks"));
    let mut count = 0;
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let doc: Value = serde_saphyr::from_str(&text).unwrap();
        for n in doc["nodes"].as_array().into_iter().flatten() {
            for i in n["inferred"].as_array().into_iter().flatten() {
                count += 1;
                let reason = i["reason"].as_str().unwrap();
                assert!(reason.len() > 40, "{}: a real reason", n["id"]);
                let srcs = i["sources"].as_array().unwrap();
                assert!(
                    srcs.iter().any(|s| s["quote"].is_string()),
                    "{}: the inference quotes the passage it is drawn from",
                    n["id"]
                );
            }
        }
    }
    assert_eq!(count, 8, "the README's data section lists 8 inferred edges");
}

#[test]
fn an_inferred_entry_that_names_no_need_is_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.yaml"),
        "nodes:\n  - id: a\n    name: A\n    needs: [b]\n    inferred:\n      - need: c\n        reason: \"\"\n        sources: []\n    sources: [s]\n  - id: b\n    name: B\n    sources: [s]\n  - id: c\n    name: C\n    sources: [s]\nbibliography:\n  - { id: s, title: T, author: A, date: \"2024\" }\n",
    )
    .unwrap();
    let out = jenga_in(dir.path(), &["check", "--stacks", "."]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("`c` is marked inferred but is not in the `needs` of `a`"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("a.yaml:6:15"), "{}", out.stderr);
    assert!(out.stderr.contains("gives no reason"), "{}", out.stderr);
    assert!(out.stderr.contains("cites no source"), "{}", out.stderr);
}

#[test]
fn table_2_partners_degrade_and_never_fail() {
    for (remove, cc, cap) in [
        ("eviden", "DK", "gefion"),
        ("eviden", "FR", "jean-zay-upgrade"),
        ("digital-realty", "DK", "gefion"),
        ("hpe", "JP", "abci-3"),
    ] {
        let v = json(&["scenario", "--remove", remove, "--format", "json"]);
        assert_eq!(capability(&v, cc, cap), "degraded", "--remove {remove}");
    }
    // Drawn and exported as partner edges.
    let out = run(&["export", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("\"partner\""),
        "exports name the edge kind"
    );
}

#[test]
fn what_the_source_states_beyond_its_tables_is_in_the_data() {
    let v = json(&[
        "scenario",
        "--remove",
        "jurisdiction:CN",
        "--format",
        "json",
    ]);
    let nodes: Vec<&str> = v["removals"][0]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert!(nodes.contains(&"chinese-chips"), "{nodes:?}");
    let text = |f: &str| std::fs::read_to_string(root().join("stacks").join(f)).unwrap();
    let others = text("others.yaml");
    assert!(others.contains("id: edinburgh-ai-compute") && others.contains("status: cancelled"));
    assert!(others.contains("id: us-government-top500"));
    let fr = text("fr.yaml");
    assert!(fr.contains("id: microsoft-france-gpus") && fr.contains("value: 25000"));
    assert!(fr.contains("id: french-defence-supercomputer"));
    assert!(text("sources.yaml").contains("id: csiro-2024"));
    assert!(text("jp.yaml").contains("source: csiro-2024"));
    // Every quote, these included, is in the article (when JENGA_SOURCE_TEXT names it).
    if let Some(dir) = std::env::var_os("JENGA_SOURCE_TEXT")
        .map(std::path::PathBuf::from)
        .and_then(|p| p.parent().map(std::path::Path::to_path_buf))
    {
        let out = run(&["check", "--sources-dir", dir.to_str().unwrap()]);
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
}

#[test]
fn the_report_says_how_many_results_rest_on_inferred_edges() {
    let md = std::fs::read_to_string(root().join("output/report.md")).unwrap();
    assert!(
        md.contains("Inferred dependencies: 8 dependencies are marked `inferred`"),
        "report.md states the count"
    );
    assert!(md.contains("es-foundation-models") && md.contains("--exclude-inferred"));
}
