//! Scenario overlays and the exposure matrix from `jenga render`, and `jenga report`:
//! the committed `output/` is fresh, the report works without Graphviz, is
//! deterministic and atomic, and never replaces a directory it did not write.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use crate::harness::{fixtures, jenga_in, root};
use crate::render::{check_svg, dot_clean, graphviz};

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
        // Its removals are scoped: the title goes on to name the destinations.
        assert!(
            desc.contains(&format!("Scenario \"{name} (remove ")),
            "{desc}"
        );
        assert!(desc.contains("(for AE, BR, IN, SG)"), "{desc}");
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

/// Issue #15: a scoped scenario's overview draws a supplier failed only for the
/// destinations it fails: H100, cut off for AE and IN, is "partly" (its own dashed
/// style, in the legend) while Denmark, Spain, France ... still point at it intact.
#[test]
fn a_scoped_overview_draws_a_shared_supplier_partly_not_failed() {
    let args = ["render", "overview", "--remove", "nvidia", "--for", "AE,IN"];
    let svg = ok(&[&args[..], &["--engine", "builtin"]].concat());
    let text = check_svg(&svg);
    assert!(
        text.contains("remove nvidia (for AE, IN)"),
        "the title names them"
    );
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let node = |id: &str| {
        doc.descendants()
            .find(|n| n.attribute("id") == Some(id))
            .unwrap_or_else(|| panic!("no {id}"))
    };
    let h100 = node("node-h100");
    let words: String = h100.descendants().filter_map(|n| n.text()).collect();
    assert!(words.contains("◐ failed for AE, IN only"), "{words}");
    assert!(!words.contains("✕ failed"), "not simply failed: {words}");
    let rect = h100.descendants().find(|n| n.has_tag_name("rect")).unwrap();
    assert!(
        rect.attribute("stroke-dasharray").is_some(),
        "dashed outline"
    );
    assert!(
        text.contains("◐ partly: hit for the destinations named"),
        "legend"
    );
    // Failure travels up from H100 into the UAE only; intact countries' edges stay plain.
    let edge = |title: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name("path") && n.children().any(|c| c.text() == Some(title)))
            .unwrap_or_else(|| panic!("no edge {title}"))
            .attribute("stroke")
            .unwrap()
            .to_owned()
    };
    assert_ne!(
        edge("United Arab Emirates needs Nvidia H100"),
        edge("Denmark needs Nvidia H100")
    );
    assert_eq!(
        edge("Denmark needs Nvidia H100"),
        edge("Spain needs Nvidia H100")
    );
    // The same in DOT: H100's node is dashed and says whom it fails; the legend has it.
    let dot = ok(&[&args[..], &["--format", "dot"]].concat());
    let line = dot
        .lines()
        .find(|l| l.trim_start().starts_with("\"h100\"["))
        .unwrap();
    assert!(line.contains("◐ failed for AE, IN only"), "{line}");
    assert!(line.contains("dashed"), "{line}");
    assert!(dot.contains("◐ partly"), "DOT legend");
    let de = dot
        .lines()
        .find(|l| l.contains("\"country-DK\" -> \"h100\""))
        .unwrap();
    assert!(
        !de.contains("penwidth"),
        "Denmark's edge is not broken: {de}"
    );
    // Unscoped, every destination loses it: plainly failed, no "partly" entry.
    let dot = ok(&[
        "render", "overview", "--remove", "nvidia", "--format", "dot",
    ]);
    assert!(
        !dot.contains("◐"),
        "no partial node when the removal is unscoped"
    );
    if graphviz() {
        dot_clean(&ok(&[&args[..], &["--format", "dot"]].concat()));
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
/// Every file under `dir`, by relative path.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn run_report(dir: &Path, path_env: Option<&Path>, args: &[&str]) -> std::process::Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jenga"));
    c.arg("report")
        .args(args)
        .arg("-o")
        .arg(dir)
        .current_dir(root())
        .env("NO_COLOR", "1");
    if let Some(p) = path_env {
        c.env("PATH", p);
    }
    c.output().unwrap()
}

fn no_dot_path() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// The country codes of the real data, from the jurisdiction matrix.
fn country_codes() -> Vec<String> {
    json(&["chokepoints", "--by", "jurisdiction", "--format", "json"])["matrix"]["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap().to_ascii_lowercase())
        .collect()
}

/// Every `attr="…"` value in `html`.
fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let pat = format!(" {attr}=\"");
    html.match_indices(&pat)
        .map(|(i, _)| {
            let rest = &html[i + pat.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

/// Checks that `index.html` is navigable and self-contained within `files`.
fn check_index(html: &str, files: &BTreeMap<String, Vec<u8>>) {
    assert!(html.starts_with("<!DOCTYPE html>"));
    for bad in [
        "<script",
        "javascript:",
        "http://",
        "https://",
        "<iframe",
        "<object",
    ] {
        assert!(!html.contains(bad), "index.html contains {bad}");
    }
    let ids: BTreeSet<&str> = attr_values(html, "id").into_iter().collect();
    let hrefs = attr_values(html, "href");
    assert!(hrefs.len() > 20, "{hrefs:?}");
    for link in hrefs.iter().chain(attr_values(html, "src").iter()) {
        if let Some(anchor) = link.strip_prefix('#') {
            assert!(ids.contains(anchor), "dangling anchor #{anchor}");
        } else {
            assert!(
                !link.starts_with('/') && !link.contains(':') && !link.contains(".."),
                "not a relative link inside the report: {link}"
            );
            assert!(files.contains_key(*link), "link to a missing file {link}");
        }
    }
    for section in [
        "countries",
        "overview",
        "matrix",
        "chokepoints",
        "towers",
        "scenarios",
    ] {
        assert!(ids.contains(section), "no section #{section}");
        assert!(
            hrefs.contains(&format!("#{section}").as_str()),
            "not in the nav: {section}"
        );
    }
    // Every figure has a caption and a data table.
    let figures = html.matches("<figure ").count();
    assert_eq!(figures, html.matches("<figcaption>").count());
    assert_eq!(figures, html.matches("<summary>Data table").count());
    let svgs = files.keys().filter(|k| k.ends_with(".svg")).count();
    assert_eq!(figures, svgs, "every SVG is shown once");
}

#[test]
fn report_without_graphviz_writes_everything_and_is_deterministic() {
    let no_dot = no_dot_path();
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for d in [&a, &b] {
        let run = run_report(d, Some(no_dot.path()), &[]);
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert!(
            String::from_utf8_lossy(&run.stderr).contains("built-in engine"),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
    let ta = tree(&a);
    assert!(ta == tree(&b), "two runs differ");
    let mut must: Vec<String> = [
        "overview.svg",
        "overview.dot",
        "matrix.svg",
        "matrix.dot",
        "chokepoints.md",
        "chokepoints.csv",
        "chokepoints.json",
        "jurisdictions.json",
        "tables/models.md",
        "tables/infrastructure.csv",
        "report.md",
        "index.html",
        ".jenga-output",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    for cc in country_codes() {
        must.push(format!("towers/{cc}.svg"));
        must.push(format!("towers/{cc}.dot"));
    }
    // The scenario files, as the report finds them: `*.yaml` and `*.yml` (not
    // `scenarios/schema.json`).
    let scenarios: Vec<String> = std::fs::read_dir(root().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(scenarios.len() >= 4);
    for s in &scenarios {
        for ext in ["md", "json"] {
            must.push(format!("scenarios/{s}.{ext}"));
        }
        must.push(format!("scenarios/{s}/overview.svg"));
    }
    for m in &must {
        assert!(ta.contains_key(m), "{m} is missing: {:?}", ta.keys());
    }
    // The chokepoint files are the chokepoints command's own output.
    assert_eq!(
        String::from_utf8_lossy(&ta["chokepoints.json"]),
        ok(&["chokepoints", "--format", "json"])
    );
    assert_eq!(
        String::from_utf8_lossy(&ta["jurisdictions.json"]),
        ok(&["chokepoints", "--by", "jurisdiction", "--format", "json"])
    );
    let s = &scenarios[0];
    assert_eq!(
        String::from_utf8_lossy(&ta[&format!("scenarios/{s}.json")]),
        ok(&[
            "scenario",
            &format!("scenarios/{s}.yaml"),
            "--format",
            "json"
        ])
    );
    let mut figures = 0;
    for (path, bytes) in &ta {
        if let Some(stem) = path.strip_suffix(".svg") {
            check_svg(std::str::from_utf8(bytes).unwrap());
            // Every figure also as PNG (it decodes) and PDF (header and trailer).
            let png = &ta[&format!("{stem}.png")];
            let mut reader = png::Decoder::new(std::io::Cursor::new(png))
                .read_info()
                .unwrap_or_else(|e| panic!("{stem}.png: {e}"));
            let mut buf = vec![0; reader.output_buffer_size().unwrap()];
            reader.next_frame(&mut buf).unwrap();
            let pdf = &ta[&format!("{stem}.pdf")];
            assert!(pdf.starts_with(b"%PDF-1."), "{stem}.pdf");
            assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"), "{stem}.pdf");
            figures += 1;
        } else if path.ends_with(".json") {
            serde_json::from_str::<serde_json::Value>(std::str::from_utf8(bytes).unwrap())
                .unwrap_or_else(|e| panic!("{path}: {e}"));
        }
    }
    assert!(figures > country_codes().len(), "{figures} figures");
    check_index(&String::from_utf8_lossy(&ta["index.html"]), &ta);
    let md = String::from_utf8_lossy(&ta["report.md"]);
    for (path, _) in ta
        .iter()
        .filter(|(p, _)| p.ends_with(".svg") || p.ends_with(".png") || p.ends_with(".pdf"))
    {
        assert!(md.contains(&format!("]({path})")), "report.md links {path}");
    }
}

#[test]
fn report_escapes_hostile_text() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let no_scenarios = tempfile::tempdir().unwrap();
    let mut c = Command::new(env!("CARGO_BIN_EXE_jenga"));
    let run = c
        .args([
            "--stacks",
            "render/hostile",
            "report",
            "--engine",
            "builtin",
        ])
        // An empty scenarios directory: the report of the stacks alone.
        .arg("--scenarios")
        .arg(no_scenarios.path())
        .arg("-o")
        .arg(&out)
        .current_dir(fixtures())
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let files = tree(&out);
    let html = String::from_utf8_lossy(&files["index.html"]);
    check_index(&html, &files);
    assert!(
        html.contains("Nvidia &quot;A100&quot; \\ &lt;script&gt;"),
        "{html}"
    );
    assert!(!html.contains("<script"));
    let md = String::from_utf8_lossy(&files["report.md"]);
    assert!(!md.contains("<script"), "{md}");
    if graphviz() {
        let run = Command::new(env!("CARGO_BIN_EXE_jenga"))
            .args([
                "--stacks",
                "render/hostile",
                "report",
                "--engine",
                "graphviz",
            ])
            // An empty scenarios directory: the report of the stacks alone.
            .arg("--scenarios")
            .arg(no_scenarios.path())
            .arg("-o")
            .arg(&out)
            .current_dir(fixtures())
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        for (path, bytes) in tree(&out) {
            if path.ends_with(".svg") {
                check_svg(std::str::from_utf8(&bytes).unwrap());
            } else if path.ends_with(".dot") {
                dot_clean(std::str::from_utf8(&bytes).unwrap());
            }
        }
    }
}

#[test]
fn a_failed_report_leaves_the_previous_one_intact() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let run = run_report(&out, None, &["--engine", "builtin"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let before = tree(&out);
    let bad = fixtures().join("report/bad-scenarios");
    let run = run_report(
        &out,
        None,
        &["--engine", "builtin", "--scenarios", bad.to_str().unwrap()],
    );
    assert_eq!(run.status.code(), Some(1));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("bad.yaml:3:13"), "{err}");
    assert!(tree(&out) == before, "the previous report changed");
    let names: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "temporary directories were left: {names:?}");
}

#[test]
fn report_refuses_to_replace_a_directory_it_did_not_write() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("thesis.tex"), "precious").unwrap();
    let run = run_report(tmp.path(), None, &["--engine", "builtin"]);
    assert_eq!(run.status.code(), Some(1));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("did not write"), "{err}");
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("thesis.tex")).unwrap(),
        "precious"
    );
}

/// The committed `output/` is what the README's `cargo run --release -- report`
/// writes, on any machine: the report's default engine is the built-in one, so the
/// test runs (and the bytes agree) with or without Graphviz installed — here with
/// `dot` hidden from PATH.
#[test]
fn committed_output_is_fresh() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("output");
    let no_dot = no_dot_path();
    let run = run_report(&out, Some(no_dot.path()), &[]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("with the built-in engine"),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let fresh = tree(&out);
    if graphviz() {
        // Installing Graphviz does not change what the default report writes.
        let with_dot = tmp.path().join("with-dot");
        let run = run_report(&with_dot, None, &[]);
        assert!(run.status.success());
        assert!(
            tree(&with_dot) == fresh,
            "the default report depends on Graphviz"
        );
    }
    let committed = tree(&root().join("output"));
    // The figures are valid, and Graphviz (when installed) reads every DOT without a
    // warning.
    for (path, bytes) in &fresh {
        if path.ends_with(".svg") {
            check_svg(std::str::from_utf8(bytes).unwrap());
        } else if path.ends_with(".dot") && graphviz() {
            dot_clean(std::str::from_utf8(bytes).unwrap());
        }
    }
    let stale: BTreeSet<&String> = fresh
        .keys()
        .chain(committed.keys())
        .filter(|k| fresh.get(*k) != committed.get(*k))
        .collect();
    assert!(
        stale.is_empty(),
        "output/ is stale ({} files differ: {:?}); regenerate it with \
         `cargo run --release -- report` and commit it",
        stale.len(),
        stale.iter().take(8).collect::<Vec<_>>()
    );
}

/// Issue #15: a scenario whose removals are scoped names its destinations in the
/// figures' titles (the name alone does not say whom an export control targets).
#[test]
fn a_scoped_scenario_names_its_destinations_in_the_title() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.yaml");
    std::fs::write(
        &file,
        "name: Chips for three\nremovals:\n  - remove: nvidia\n    for: [AE, IN, SG]\n",
    )
    .unwrap();
    let out = jenga_in(
        root(),
        &[
            "render",
            "overview",
            "--scenario",
            file.to_str().unwrap(),
            "--format",
            "dot",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("Chips for three (remove nvidia (for AE, IN, SG))"),
        "{}",
        &out.stdout[..600.min(out.stdout.len())]
    );
}
