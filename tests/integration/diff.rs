//! `jenga diff OLD NEW`: structure, chokepoint movement, exposure movement, words and
//! the figure, on `tests/fixtures/diff/{old,new}`.
//!
//! The fixture: two countries (XA, XB) that ran on Nvidia H100s through AWS in `old`;
//! in `new`, a Korean accelerator (`atom`, by Rebellions) becomes an alternative to
//! the H100, XA builds its own cluster (`xa-cluster`) and leaves AWS, and the unused
//! A100 is gone. Every number asserted here follows from the failure semantics by
//! hand (see the comments).

use serde_json::{Value, json};

use crate::harness::{expect_file, fixtures, jenga};

fn diff_json(args: &[&str]) -> Value {
    let mut all = vec!["-q", "diff", "diff/old", "diff/new", "--format", "json"];
    all.extend_from_slice(args);
    let out = jenga(&all);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap()
}

#[test]
fn chokepoint_ranking_moves_exactly() {
    let j = diff_json(&["--top", "5"]);
    assert_eq!(j["top"], 5);
    // Old ranking (score: capabilities failed, countries failed, countries unknown or
    // degraded, exposure): h100 and nvidia (2,2,0,2) fail both models; aws and aws-cloud
    // (1,1,1,2) fail XA's and degrade XB's; xa-gov (1,1,0,1); xb-gov (1,1,0,1);
    // xb-cluster (0,0,1,1); a100 (0,0,0,0).
    // New: xa-cluster, xa-gov, xb-gov (1,1,0,1); atom, h100, nvidia, rebellions
    // (0,0,2,2) only degrade, since each has an alternative now; then aws, aws-cloud,
    // xb-cluster (0,0,1,1).
    let rows: Vec<(String, String, Value, Value)> = j["chokepoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_owned(),
                c["movement"].as_str().unwrap().to_owned(),
                c["old"]["rank"].clone(),
                c["new"]["rank"].clone(),
            )
        })
        .collect();
    let expected = [
        ("xa-cluster", "entered", Value::Null, json!(1)),
        ("xa-gov", "rose", json!(5), json!(2)),
        ("xb-gov", "entered", json!(6), json!(3)),
        ("atom", "entered", Value::Null, json!(4)),
        ("h100", "fell", json!(1), json!(5)),
        ("nvidia", "left", json!(2), json!(6)),
        ("aws", "left", json!(3), json!(8)),
        ("aws-cloud", "left", json!(4), json!(9)),
    ];
    let expected: Vec<(String, String, Value, Value)> = expected
        .into_iter()
        .map(|(a, b, c, d)| (a.to_owned(), b.to_owned(), c, d))
        .collect();
    assert_eq!(rows, expected);
    let h100 = &j["chokepoints"][4];
    assert_eq!(
        h100["old"],
        json!({"rank": 1, "capabilities_failed": 2, "countries_failed": 2, "countries_unknown": 0, "countries_degraded": 0, "exposure": 2})
    );
    assert_eq!(
        h100["new"],
        json!({"rank": 5, "capabilities_failed": 0, "countries_failed": 0, "countries_unknown": 0, "countries_degraded": 2, "exposure": 2})
    );
    assert_eq!(h100["name"], "H100 SXM", "the new name");
}

#[test]
fn each_countrys_exposure_moves_exactly() {
    let j = diff_json(&["--top", "5"]);
    let countries = j["countries"].as_array().unwrap();
    assert_eq!(countries.len(), 2);
    let xa = &countries[0];
    assert_eq!(xa["code"], "XA");
    assert_eq!(xa["presence"], "both");
    assert_eq!(xa["capabilities"], json!({"old": 1, "new": 1}));
    // old: xa-model, xa-gov, aws-cloud, aws, h100, nvidia;
    // new: xa-model, xa-gov, xa-cluster, h100, nvidia, atom, rebellions.
    assert_eq!(xa["cone"], json!({"old": 6, "new": 7}));
    assert_eq!(xa["foreign_jurisdictions_old"], json!(["US"]));
    assert_eq!(xa["foreign_jurisdictions_new"], json!(["KR", "US"]));
    assert_eq!(xa["foreign_gained"], json!(["KR"]));
    assert_eq!(xa["foreign_lost"], json!([]));
    assert_eq!(xa["single_points"], json!({"old": 5, "new": 2}));
    let ids = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids(&xa["single_points_gained"]), ["xa-cluster"]);
    assert_eq!(
        ids(&xa["single_points_lost"]),
        ["aws", "aws-cloud", "h100", "nvidia"]
    );
    let cut = |c: &Value| -> Vec<String> {
        c["cutoffs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                format!(
                    "{}: {} -> {}",
                    s["removal"].as_str().unwrap(),
                    s["old"].as_str().unwrap(),
                    s["new"].as_str().unwrap()
                )
            })
            .collect()
    };
    assert_eq!(
        cut(xa),
        [
            "jurisdiction:KR: intact -> degraded",
            "jurisdiction:US: failed -> degraded",
            "xa-cluster: intact -> failed",
            "atom: intact -> degraded",
            "h100: failed -> degraded",
            "nvidia: failed -> degraded",
            "aws: failed -> intact",
            "aws-cloud: failed -> intact",
        ]
    );
    let xb = &countries[1];
    assert_eq!(xb["code"], "XB");
    assert_eq!(xb["cone"], json!({"old": 7, "new": 9}));
    assert_eq!(xb["foreign_gained"], json!(["KR"]));
    // aws only ever degraded XB (xb-cluster was the alternative): not a single point.
    assert_eq!(xb["single_points"], json!({"old": 3, "new": 1}));
    assert_eq!(ids(&xb["single_points_lost"]), ["h100", "nvidia"]);
    assert_eq!(ids(&xb["single_points_gained"]), Vec::<String>::new());
    assert_eq!(
        cut(xb),
        [
            "jurisdiction:KR: intact -> degraded",
            "jurisdiction:US: failed -> degraded",
            "atom: intact -> degraded",
            "h100: failed -> degraded",
            "nvidia: failed -> degraded",
        ]
    );
}

#[test]
fn diff_explains_the_change_in_words() {
    let j = diff_json(&["--top", "5"]);
    let summary: Vec<&str> = j["summary"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(
        summary[0],
        "Structure: 3 nodes added, 1 node removed, 3 nodes changed; 7 dependencies added, 3 dependencies removed. Added: `atom`, `rebellions`, `xa-cluster`. Removed: `a100`."
    );
    assert!(summary.contains(
        &"`h100` (H100 SXM) fell from #1 to #5 (capabilities failed 2 → 0, countries failed 2 → 0, countries degraded 0 → 2)."
    ));
    assert!(summary.contains(
        &"`xa-cluster` (Alpha cluster) entered the top 5 at #1: it is new as a candidate."
    ));
    assert!(summary.contains(&"`xa-gov` (Alphaland government) rose from #5 to #2."));
    assert_eq!(
        summary.last().copied(),
        Some(
            "XB (Betaland): dependency cone 7 → 9 nodes; now depends on KR; single points of failure 3 → 1; no longer: h100, nvidia; cut off from KR: intact → degraded; cut off from US: failed → degraded; without `atom`: intact → degraded; without `h100`: failed → degraded; without `nvidia`: failed → degraded."
        )
    );
    assert_eq!(summary.len(), 1 + 8 + 2);
    // The table and Markdown forms lead with the same sentences, then the tables.
    let md = jenga(&[
        "-q", "diff", "diff/old", "diff/new", "--top", "5", "--format", "markdown",
    ]);
    assert_eq!(md.code, 0, "{}", md.stderr);
    expect_file(&fixtures().join("diff/expected.md"), &md.stdout);
    let text = jenga(&["diff", "diff/old", "diff/new", "--top", "5"]);
    assert_eq!(text.code, 0);
    assert!(
        text.stdout
            .starts_with("diff/old → diff/new\n- Structure: ")
    );
    assert!(
        text.stdout.contains("\nfell      h100        H100 SXM "),
        "{}",
        text.stdout
    );
    assert_eq!(
        text.stderr,
        "3 nodes added, 1 node removed, 3 nodes changed; 7 dependencies added, 3 dependencies removed; 8 chokepoints moved in the top 5; 2 countries whose exposure moved\n"
    );
}

#[test]
fn csv_is_one_flat_table_of_every_change() {
    let out = jenga(&[
        "-q", "diff", "diff/old", "diff/new", "--top", "5", "--format", "csv",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.split("\r\n").collect();
    assert_eq!(lines[0], "change,id,name,field,old,new");
    for row in [
        "node removed,a100,A100,,,",
        "dependency removed,xa-model,,requires,aws-cloud,",
        "chokepoint entered,xa-cluster,Alpha cluster,rank,,1",
        "chokepoint fell,h100,H100 SXM,rank,1,5",
        "chokepoint fell,h100,H100 SXM,capabilities failed,2,0",
        "exposure moved,XA,Alphaland,cone size,6,7",
        "exposure moved,XA,Alphaland,foreign jurisdiction,,KR",
        "exposure moved,XA,Alphaland,single point of failure,aws,",
        "exposure moved,XB,Betaland,cut off from US,failed,degraded",
        "exposure moved,XB,Betaland,without nvidia,failed,degraded",
    ] {
        assert!(lines.contains(&row), "missing {row:?} in\n{}", out.stdout);
    }
}

#[test]
fn a_directory_against_itself_moves_nothing() {
    let j = {
        let out = jenga(&["-q", "diff", "diff/new", "diff/new", "--format", "json"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        serde_json::from_str::<Value>(&out.stdout).unwrap()
    };
    assert_eq!(
        j["summary"],
        json!([
            "The two directories describe the same graph.",
            "The top 10 chokepoints did not move.",
            "No country's exposure moved."
        ])
    );
    assert!(
        j["chokepoints"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["movement"] == "unchanged")
    );
    assert_eq!(j["chokepoints"].as_array().unwrap().len(), 10);
    assert!(
        j["countries"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["cutoffs"] == json!([]))
    );
}

#[test]
fn countries_that_appear_or_disappear_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let gone = dir.path().join("gone");
    std::fs::create_dir(&gone).unwrap();
    for f in ["shared.yaml", "xa.yaml"] {
        std::fs::copy(fixtures().join("diff/old").join(f), gone.join(f)).unwrap();
    }
    let out = jenga(&[
        "-q",
        "diff",
        "diff/old",
        gone.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let j: Value = serde_json::from_str(&out.stdout).unwrap();
    let xb = &j["countries"][1];
    assert_eq!(xb["presence"], "removed");
    assert_eq!(xb["capabilities"], json!({"old": 1, "new": 0}));
    assert!(
        j["summary"]
            .as_array()
            .unwrap()
            .contains(&json!("XB (Betaland) is no longer in the stacks.")),
        "{}",
        j["summary"]
    );
    let back = jenga(&[
        "-q",
        "diff",
        gone.to_str().unwrap(),
        "diff/old",
        "--format",
        "json",
    ]);
    let j: Value = serde_json::from_str(&back.stdout).unwrap();
    assert_eq!(j["countries"][1]["presence"], "added");
    assert!(
        j["summary"].as_array().unwrap().contains(&json!(
            "XB (Betaland) is new: 1 capabilities over a cone of 7 nodes, 3 single points of failure."
        )),
        "{}",
        j["summary"]
    );
}

#[test]
fn diff_usage_errors() {
    let out = jenga(&["diff", "diff/old", "diff/new", "--top", "0"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("--top 0"), "{}", out.stderr);
    let missing = jenga(&["diff", "diff/old", "diff/nowhere"]);
    assert_ne!(missing.code, 0);
    // The figure is never written into an input directory.
    let inside = jenga(&[
        "-q",
        "diff",
        "diff/old",
        "diff/new",
        "--figure",
        "diff/new/x.svg",
    ]);
    assert_eq!(inside.code, 1, "{}", inside.stderr);
    assert!(!fixtures().join("diff/new/x.svg").exists());
}

/// The figure: every change is marked by a word and a shape, not only a colour.
#[test]
fn figure_highlights_the_changes() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("diff.svg");
    let dot = dir.path().join("diff.dot");
    let svg_s = svg.to_str().unwrap();
    let dot_s = dot.to_str().unwrap();
    for (file, engine) in [(svg_s, "builtin"), (dot_s, "builtin")] {
        let out = jenga(&[
            "-q", "diff", "diff/old", "diff/new", "--top", "5", "--figure", file, "--engine",
            engine,
        ]);
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
    let s = std::fs::read_to_string(&svg).unwrap();
    // Which group of the SVG draws a node.
    let node = |id: &str| -> String {
        let start = s
            .find(&format!("<g id=\"node-{id}\">"))
            .unwrap_or_else(|| panic!("{id} is not drawn"));
        let end = s[start..].find("</g>").unwrap();
        s[start..start + end].to_owned()
    };
    let added = node("atom");
    assert!(added.contains(">+ added</text>"), "{added}");
    assert!(
        added.contains("stroke-width=\"3.2\""),
        "heavy outline: {added}"
    );
    assert!(added.contains("▲ rank —→4"), "{added}");
    let removed = node("a100");
    assert!(removed.contains(">− removed</text>"), "{removed}");
    assert!(removed.contains("url(#hatch)"), "hatched: {removed}");
    assert!(removed.contains("stroke-dasharray"), "dashed: {removed}");
    let changed = node("h100");
    assert!(changed.contains(">~ changed: name</text>"), "{changed}");
    assert!(changed.contains("▼ rank 1→5"), "{changed}");
    let context = node("aws");
    assert!(context.contains("▼ rank 3→8"), "{context}");
    assert!(!context.contains("added") && !context.contains("removed"));
    // Dependencies: added ones solid blue, removed ones dash-dotted vermillion.
    assert!(
        s.contains("stroke=\"#0072b2\" stroke-width=\"2.8\" marker-end"),
        "{s}"
    );
    assert!(s.contains("stroke=\"#d55e00\" stroke-width=\"2.8\" stroke-dasharray=\"9 3 2 3\""));
    for word in [
        "+ added (heavy solid outline)",
        "dependency removed (heavy dash-dot)",
    ] {
        assert!(s.contains(word), "legend lacks {word}");
    }
    // Not drawn: what neither changed nor moved (xb-model, xa-gov's ... stay out).
    assert!(!s.contains("node-xb-model"));
    // Deterministic.
    let again = dir.path().join("again.svg");
    jenga(&[
        "-q",
        "diff",
        "diff/old",
        "diff/new",
        "--top",
        "5",
        "--figure",
        again.to_str().unwrap(),
        "--engine",
        "builtin",
    ]);
    assert_eq!(std::fs::read_to_string(&again).unwrap(), s);

    let d = std::fs::read_to_string(&dot).unwrap();
    assert!(d.starts_with("digraph"), "{d}");
    assert!(d.contains("\"a100\" -> \"nvidia\" [style=\"dashed\" color=\"#d55e00\" penwidth=\"2.6\" arrowhead=\"tee\""), "{d}");
    assert!(
        d.contains("\"xa-cluster\" -> \"atom\" [color=\"#0072b2\" penwidth=\"2.6\""),
        "{d}"
    );
    // Graphviz reads the DOT and draws the SVG.
    if crate::render::graphviz() {
        let gv = dir.path().join("gv.svg");
        let out = jenga(&[
            "-q",
            "diff",
            "diff/old",
            "diff/new",
            "--top",
            "5",
            "--figure",
            gv.to_str().unwrap(),
            "--engine",
            "graphviz",
        ]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let g = std::fs::read_to_string(&gv).unwrap();
        assert!(g.contains("<title>What changed</title>"), "{g}");
        assert!(g.contains("+ added"));
    }
}

/// Labels that try to break out of every output: Markdown, CSV, SVG, DOT.
#[test]
fn hostile_labels_stay_text_in_every_diff_output() {
    let md = jenga(&["-q", "diff", "valid", "eco/evil", "--format", "markdown"]);
    assert_eq!(md.code, 0, "{}", md.stderr);
    assert!(md.stdout.contains("&lt;script&gt;"), "{}", md.stdout);
    assert!(!md.stdout.contains("<script"), "{}", md.stdout);
    let csv = jenga(&["-q", "diff", "valid", "eco/evil", "--format", "csv"]);
    assert!(
        csv.stdout.contains("'=HYPERLINK"),
        "formulas are neutralised: {}",
        csv.stdout
    );
    assert!(!csv.stdout.contains(",=HYPERLINK"), "{}", csv.stdout);
    let dir = tempfile::tempdir().unwrap();
    for (name, engine) in [("b.svg", "builtin"), ("g.dot", "builtin")] {
        let f = dir.path().join(name);
        let out = jenga(&[
            "-q",
            "diff",
            "valid",
            "eco/evil",
            "--figure",
            f.to_str().unwrap(),
            "--engine",
            engine,
        ]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let text = std::fs::read_to_string(&f).unwrap();
        // DOT may hold `<` inside a quoted string (Graphviz escapes it); HTML-like
        // labels, and SVG everywhere, must not.
        if name.ends_with(".svg") {
            assert!(!text.contains("<script"), "{name}: {text}");
        }
        assert!(
            text.contains("&lt;script&gt;"),
            "{name} shows the label: {text}"
        );
    }
    if crate::render::graphviz() {
        let f = dir.path().join("g.svg");
        let out = jenga(&[
            "-q",
            "diff",
            "valid",
            "eco/evil",
            "--figure",
            f.to_str().unwrap(),
            "--engine",
            "graphviz",
        ]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(!std::fs::read_to_string(&f).unwrap().contains("<script"));
    }
}
