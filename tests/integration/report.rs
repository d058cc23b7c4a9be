//! Scenario overlays and the exposure matrix from `jenga render`, and `jenga report`:
//! the committed `output/` is fresh, the report works without Graphviz, is
//! deterministic and atomic, and never replaces a directory it did not write.

use std::path::Path;

use crate::harness::{fixtures, jenga_in};
use crate::render::{check_svg, dot_clean, graphviz};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn ok(args: &[&str]) -> String {
    let out = jenga_in(root(), args);
    assert_eq!(out.code, 0, "jenga {args:?} failed:\n{}", out.stderr);
    out.stdout
}

fn json(args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(args)).unwrap()
}

/// The `<title>` and `<desc>` of an SVG.
fn title_desc(svg: &str) -> (String, String) {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let text = |name: &str| {
        doc.root_element()
            .children()
            .find(|n| n.has_tag_name(name))
            .and_then(|n| n.text())
            .unwrap_or_default()
            .to_owned()
    };
    (text("title"), text("desc"))
}

#[test]
fn scenario_overlay_on_a_tower_names_the_scenario_and_marks_what_fails() {
    let file = "scenarios/us-export-controls.yaml";
    // What the scenario command says about Singapore ...
    let result = json(&["scenario", file, "--format", "json"]);
    let name = result["name"].as_str().unwrap().to_owned();
    let sg = result["countries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "SG")
        .unwrap();
    let failed: Vec<&str> = sg["affected"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["status"] == "failed")
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert!(!failed.is_empty(), "the scenario fails something in SG");
    // ... is what its tower shows.
    let dot = ok(&["render", "SG", "--scenario", file, "--format", "dot"]);
    assert!(dot.contains(&format!("scenario: {name}")), "{dot}");
    for engine in ["builtin", "graphviz"] {
        if engine == "graphviz" && !graphviz() {
            continue;
        }
        let svg = ok(&["render", "sg", "--scenario", file, "--engine", engine]);
        let text = check_svg(&svg);
        let (title, desc) = title_desc(&svg);
        assert!(title.contains(&name), "{engine}: {title}");
        assert!(desc.contains(&format!("Scenario \"{name}\"")), "{desc}");
        assert!(
            text.matches("✕ failed").count() >= failed.len().min(2),
            "{engine}: {text}"
        );
    }
    if graphviz() {
        dot_clean(&dot);
    }
    // A country the scenario does not target keeps its nodes intact and says so.
    let jp = result["countries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "JP")
        .unwrap();
    assert_eq!(jp["status"], "intact");
    let svg = ok(&["render", "JP", "--scenario", file, "--engine", "builtin"]);
    let (_, desc) = title_desc(&svg);
    assert!(desc.contains(" intact."), "{desc}");
    assert_eq!(
        check_svg(&svg).matches("✕ failed").count(),
        1,
        "the legend only"
    );
}

#[test]
fn removal_flags_overlay_the_overview_with_a_generated_title() {
    let args = ["render", "overview", "--remove", "nvidia", "--for", "SG"];
    let dot = ok(&[&args[..], &["--format", "dot"]].concat());
    assert!(
        dot.contains("scenario: remove nvidia (for SG)"),
        "{}",
        &dot[..400]
    );
    let svg = ok(&[&args[..], &["--engine", "builtin"]].concat());
    let text = check_svg(&svg);
    assert!(text.contains("■ removed"), "nvidia is marked removed");
    // Only Singapore is the destination: no other country is marked failed.
    let countries = json(&[
        "scenario", "--remove", "nvidia", "--for", "SG", "--format", "json",
    ]);
    let hit: Vec<&str> = countries["countries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] != "intact")
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(hit, ["SG"]);
    if graphviz() {
        dot_clean(&dot);
        check_svg(&ok(&[&args[..], &["--engine", "graphviz"]].concat()));
    }
}

#[test]
fn matrix_cells_agree_with_the_chokepoint_analyses() {
    let nodes = json(&["chokepoints", "--format", "json"]);
    let juris = json(&["chokepoints", "--by", "jurisdiction", "--format", "json"]);
    // Columns: the first 8 ranked nodes that do any damage, then every jurisdiction.
    let top: Vec<&serde_json::Value> = nodes["ranking"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            c["capabilities_failed"].as_u64().unwrap() + c["countries_degraded"].as_u64().unwrap()
                > 0
        })
        .take(8)
        .collect();
    let m = &juris["matrix"];
    let countries = m["countries"].as_array().unwrap().len();
    let columns = top.len() + m["jurisdictions"].as_array().unwrap().len();
    let failed = top
        .iter()
        .map(|c| c["countries_failed"].as_u64().unwrap())
        .sum::<u64>()
        + m["cells"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r.as_array().unwrap())
            .filter(|c| c["status"] == "failed")
            .count() as u64;
    let want = format!(
        "{failed} of the {} cells fail the country",
        countries * columns
    );
    let builtin = ok(&["render", "matrix", "--engine", "builtin"]);
    let text = check_svg(&builtin);
    assert!(title_desc(&builtin).1.contains(&want), "{want}");
    // Every cell says its state in a word, not only in colour.
    let words = ["✕ fails", "? unknown", "▲ degrades", "✓ spared"]
        .iter()
        .map(|w| text.matches(w).count())
        .sum::<usize>();
    assert_eq!(words, countries * columns + 4, "cells plus the legend");
    for c in &top {
        assert!(text.contains(c["name"].as_str().unwrap()));
    }
    let dot = ok(&["render", "matrix", "--format", "dot"]);
    if graphviz() {
        dot_clean(&dot);
        let svg = ok(&["render", "matrix", "--engine", "graphviz"]);
        check_svg(&svg);
        assert!(title_desc(&svg).1.contains(&want));
    }
}

#[test]
fn matrix_refuses_an_overlay_and_bad_scenarios_point_at_the_file() {
    let out = jenga_in(root(), &["render", "matrix", "--remove", "nvidia"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("every single removal"),
        "{}",
        out.stderr
    );
    let out = jenga_in(
        &fixtures().join("analysis"),
        &[
            "--stacks",
            "world",
            "render",
            "XA",
            "--scenario",
            "scenarios/broken.yaml",
        ],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("scenarios/broken.yaml:3:13"),
        "{}",
        out.stderr
    );
    let out = jenga_in(root(), &["render", "SG", "--remove", "nvdia"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("did you mean"), "{}", out.stderr);
}
