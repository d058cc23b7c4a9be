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

/// The status of node `id` anywhere in a scenario's JSON (a country's failures or
/// "outside"), or "intact" when no list names it.
fn node_status(v: &Value, id: &str) -> String {
    let lists = v["countries"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["affected"].as_array().into_iter().flatten())
        .chain(v["outside"].as_array().into_iter().flatten());
    for n in lists {
        if n["id"] == id {
            return n["status"].as_str().unwrap().to_owned();
        }
    }
    "intact".to_owned()
}

#[test]
fn excluding_inferred_edges_changes_only_what_rests_on_them() {
    // The two inferred edges of `stacks/` read Table 1's A100s per SEA-LION version
    // (Epoch AI's hardware dataset is the second source); the row itself needs them,
    // stated. Without the inferred edges the versions stand, the row still falls.
    let with = json(&["scenario", "--remove", "a100", "--format", "json"]);
    let without = json(&[
        "scenario",
        "--remove",
        "a100",
        "--exclude-inferred",
        "--format",
        "json",
    ]);
    assert_eq!(node_status(&with, "sea-lion-v1"), "failed");
    assert_eq!(node_status(&without, "sea-lion-v1"), "intact");
    assert_eq!(node_status(&without, "sea-lion-v2"), "intact");
    assert_eq!(node_status(&with, "sea-lion-v1-v2"), "failed");
    assert_eq!(node_status(&without, "sea-lion-v1-v2"), "failed");
    assert_eq!(
        capability(&with, "SG", "sea-lion"),
        capability(&without, "SG", "sea-lion")
    );
    // Table 1's family-wide infrastructure is stated for the family: Spain's and
    // Sweden's models fall with Nvidia with or without inferred edges, as does what
    // the source states outright.
    let with = json(&["scenario", "--remove", "nvidia", "--format", "json"]);
    let without = json(&[
        "scenario",
        "--remove",
        "nvidia",
        "--exclude-inferred",
        "--format",
        "json",
    ]);
    for (cc, cap) in [
        ("AE", "falcon"),
        ("DK", "gefion"),
        ("ES", "es-foundation-models"),
        ("FR", "jean-zay-upgrade"),
        ("JP", "abci-3"),
        ("NL", "gpt-nl"),
        ("SE", "gpt-sw3"),
        ("TW", "taide"),
    ] {
        assert_eq!(capability(&with, cc, cap), "failed", "{cc} {cap}");
        assert_eq!(capability(&without, cc, cap), "failed", "{cc} {cap}");
    }
    assert_eq!(capability(&without, "JP", "fugaku-llm"), "intact");
}

#[test]
fn exclude_inferred_reaches_cut_sets_and_paths() {
    let with = run(&["cutsets", "sea-lion-v1", "--format", "json"]);
    let without = run(&[
        "cutsets",
        "sea-lion-v1",
        "--exclude-inferred",
        "--format",
        "json",
    ]);
    assert_eq!(with.code, 0, "{}", with.stderr);
    assert_eq!(without.code, 0, "{}", without.stderr);
    assert!(with.stdout.contains("\"nvidia\""), "{}", with.stdout);
    assert!(!without.stdout.contains("\"nvidia\""), "{}", without.stdout);
    let why = run(&["why", "sea-lion-v1", "a100", "--exclude-inferred"]);
    assert!(why.stdout.contains("(0 paths)"), "{}", why.stdout);
    let why = run(&["why", "sea-lion-v1", "a100"]);
    assert!(
        why.stdout.contains("sea-lion-v1 -(required)-> a100"),
        "{}",
        why.stdout
    );
}

/// The rows of a CSV by a key column, for checking dataset citations.
fn csv_rows(
    path: &std::path::Path,
    key: &str,
) -> std::collections::HashMap<String, csv::StringRecord> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let headers = r.headers().unwrap().clone();
    let k = headers.iter().position(|h| h == key).unwrap();
    let mut out = std::collections::HashMap::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        out.insert(rec[k].to_owned(), rec);
    }
    out.insert("\u{0}headers".to_owned(), headers);
    out
}

#[test]
fn every_inferred_edge_gives_a_reason_and_a_second_source() {
    let files = crate::harness::yaml_files(&root().join("stacks"));
    let datasets = std::env::var_os("JENGA_DATASETS").map_or_else(
        || root().join("../shared/datasets"),
        std::path::PathBuf::from,
    );
    let hw = datasets.join("epoch/ml_hardware.csv");
    if !hw.is_file() {
        assert!(
            std::env::var_os("JENGA_REQUIRE_DATASETS").is_none_or(|v| v != "1"),
            "JENGA_REQUIRE_DATASETS=1 but {} is missing",
            hw.display()
        );
    }
    let rows = hw.is_file().then(|| csv_rows(&hw, "Hardware name"));
    let mut count = 0;
    let mut checked = 0;
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
                    srcs.iter()
                        .any(|s| s["source"] == "lostri-2024" && s["quote"].is_string()),
                    "{}: the inference quotes the passage it is drawn from",
                    n["id"]
                );
                let second: Vec<&Value> = srcs
                    .iter()
                    .filter(|s| s["source"] != "lostri-2024")
                    .collect();
                assert!(!second.is_empty(), "{}: a second source", n["id"]);
                // A dataset row cited as the second source holds the quoted item in
                // the named column of the named row.
                for s in second {
                    assert_eq!(s["source"], "epoch-ml-hardware-2025", "{}", n["id"]);
                    let section = s["section"].as_str().unwrap();
                    let parts: Vec<&str> = section.split('"').collect();
                    assert!(section.starts_with("ml_hardware.csv, row "), "{section}");
                    let (row, col) = (parts[1], parts[3]);
                    if let Some(rows) = &rows {
                        let headers = &rows["\u{0}headers"];
                        let c = headers.iter().position(|h| h == col).unwrap();
                        let items: Vec<&str> = rows[row][c].split(',').map(str::trim).collect();
                        let quote = s["quote"].as_str().unwrap();
                        assert!(items.contains(&quote), "{row}/{col} lacks {quote}");
                        checked += 1;
                    }
                }
            }
        }
    }
    assert_eq!(count, 2, "the README's data section lists 2 inferred edges");
    if rows.is_some() {
        assert_eq!(checked, 2, "each second source checked against its row");
    }
}

#[test]
fn an_inferred_entry_with_one_source_fails_check_strict_at_that_citation() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.yaml"),
        "nodes:\n  - id: a\n    name: A\n    needs: [b]\n    inferred:\n      - need: b\n        reason: \"read per subset\"\n        sources: [{ source: s, quote: \"B\" }]\n    sources: [s]\n  - id: b\n    name: B\n    sources: [s]\nbibliography:\n  - { id: s, title: T, author: A, date: \"2024\" }\n  - { id: t, title: U, author: A, date: \"2024\" }\n",
    )
    .unwrap();
    let out = jenga_in(dir.path(), &["check", "--stacks", "."]);
    assert_eq!(out.code, 0, "a warning without --strict: {}", out.stderr);
    assert!(
        out.stderr.contains("cites one source only"),
        "{}",
        out.stderr
    );
    let out = jenga_in(dir.path(), &["check", "--strict", "--stacks", "."]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("the inferred dependency on `b` cites one source only"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("a.yaml:8:19"), "{}", out.stderr);
    assert!(out.stderr.contains("second source"), "{}", out.stderr);
    // A second, different source settles it.
    let text = std::fs::read_to_string(dir.path().join("a.yaml")).unwrap().replace(
        "sources: [{ source: s, quote: \"B\" }]",
        "sources: [{ source: s, quote: \"B\" }, { source: t, section: \"f.csv, row \\\"B\\\"\" }]",
    );
    std::fs::write(dir.path().join("a.yaml"), text).unwrap();
    let out = jenga_in(dir.path(), &["check", "--strict", "--stacks", "."]);
    assert_eq!(out.code, 0, "{}", out.stderr);
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
        md.contains("Inferred dependencies: 2 dependencies are marked `inferred`"),
        "report.md states the count"
    );
    assert!(md.contains("sea-lion") && md.contains("--exclude-inferred"));
}
