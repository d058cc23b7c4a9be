//! Several `--stacks` directories as one world (`jenga::roots`): the merge rule for
//! organizations and countries declared by more than one directory, the link files and
//! their `applies-with`, and the connected world of the seed with the imported ETO and
//! Epoch layers (when the datasets are present).

use std::path::Path;

use serde_json::Value;

use crate::harness::{jenga_in, root};

fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Root `a`: a seed-like world (country XA, org `acme`, chip `chip`, capability
/// `model`). Root `b`: a layer that declares `acme` again (same jurisdiction), XA
/// again (a cluster), and a fab; `links/`: `chip` needs `b-fab` when `b` is loaded.
fn two_roots(tmp: &Path) {
    write(
        tmp,
        "a/shared.yaml",
        "bibliography:\n  - { id: src-a, title: A, author: T, date: 2024-11 }\norganizations:\n  - { id: acme, name: Acme, jurisdiction: US, sources: [src-a] }\nnodes:\n  - { id: chip, name: Chip, layer: chips, org: acme, sources: [src-a] }\n",
    );
    write(
        tmp,
        "a/xa.yaml",
        "country: XA\nname: Testland\ncapabilities: [model]\nnodes:\n  - { id: model, name: Model, layer: capability, needs: [chip], sources: [src-a] }\n",
    );
    write(
        tmp,
        "b/layer.yaml",
        "bibliography:\n  - { id: src-b, title: B, author: T, date: 2025 }\norganizations:\n  - { id: acme, name: ACME Corp, jurisdiction: US, sources: [src-b] }\n  - { id: fabco, name: Fabco, jurisdiction: XB, sources: [src-b] }\nnodes:\n  - { id: b-fab, name: Fab, layer: chips, org: fabco, sources: [src-b] }\n",
    );
    write(
        tmp,
        "b/xa.yaml",
        "country: XA\nname: Testland (layer b)\ncapabilities: [b-cluster]\nnodes:\n  - { id: b-cluster, name: Cluster, layer: compute, needs: [chip], capacity: { value: 10, unit: GPUs }, sources: [src-b] }\n",
    );
    write(
        tmp,
        "links/b.links.yaml",
        "applies-with: [src-b]\nlinks:\n  - node: chip\n    needs: b-fab\n    source: { source: src-b, section: \"row 1\" }\n",
    );
}

fn json(tmp: &Path, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend_from_slice(&["--format", "json"]);
    let r = jenga_in(tmp, &all);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

/// The ids that a scenario's JSON reports failed for country `code`.
fn failed_in(v: &Value, code: &str) -> Vec<String> {
    let text = v.to_string();
    assert!(text.contains(code), "{code} not in {text}");
    let mut out = Vec::new();
    collect_failed(v, &mut out);
    out.sort();
    out.dedup();
    out
}

fn collect_failed(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if m.get("status").and_then(Value::as_str) == Some("failed")
                && let Some(id) = m.get("id").and_then(Value::as_str)
            {
                out.push(id.to_owned());
            }
            m.values().for_each(|x| collect_failed(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| collect_failed(x, out)),
        _ => {}
    }
}

#[test]
fn roots_merge_a_repeated_organization_and_country_and_apply_their_links() {
    let tmp = tempfile::tempdir().unwrap();
    two_roots(tmp.path());
    let args = ["--stacks", "a", "--stacks", "b", "--stacks", "links"];
    let mut check = args.to_vec();
    check.push("check");
    let r = jenga_in(tmp.path(), &check);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // One country (XA, from both roots), one `acme` (the second declaration dropped).
    assert!(
        r.stderr.contains("1 country") && r.stderr.contains("2 organizations"),
        "{}",
        r.stderr
    );
    // The link makes `chip` need `b-fab`: cutting off XB (Fabco's jurisdiction) fails
    // the chip, so both of XA's capabilities, the seed's and the layer's.
    let mut scen = args.to_vec();
    scen.extend_from_slice(&["scenario", "--remove", "jurisdiction:XB"]);
    let v = json(tmp.path(), &scen);
    let failed = failed_in(&v, "XA");
    for id in ["b-cluster", "b-fab", "chip", "model"] {
        assert!(
            failed.contains(&id.to_owned()),
            "{id} not failed: {failed:?}"
        );
    }
    // Without the link directory the two roots load, but XB's removal reaches nothing
    // of XA.
    let v = json(
        tmp.path(),
        &[
            "--stacks",
            "a",
            "--stacks",
            "b",
            "scenario",
            "--remove",
            "jurisdiction:XB",
        ],
    );
    let failed = failed_in(&v, "XA");
    assert!(!failed.contains(&"chip".to_owned()), "{failed:?}");
}

#[test]
fn a_link_file_applies_only_with_the_layer_it_names() {
    let tmp = tempfile::tempdir().unwrap();
    two_roots(tmp.path());
    // `links/` next to `a` alone: `src-b` is not loaded, so the file is skipped and the
    // world is `a`'s, byte for byte in every analysis.
    let alone = jenga_in(
        tmp.path(),
        &["--stacks", "a", "chokepoints", "--format", "json"],
    );
    let with = jenga_in(
        tmp.path(),
        &[
            "--stacks",
            "a",
            "--stacks",
            "links",
            "chokepoints",
            "--format",
            "json",
        ],
    );
    assert_eq!(alone.code, 0, "{}", alone.stderr);
    assert_eq!(with.code, 0, "{}", with.stderr);
    assert_eq!(alone.stdout, with.stdout);
}

#[test]
fn a_link_to_an_undeclared_id_is_located_in_the_link_file() {
    let tmp = tempfile::tempdir().unwrap();
    two_roots(tmp.path());
    write(
        tmp.path(),
        "links/b.links.yaml",
        "applies-with: [src-b]\nlinks:\n  - node: chip\n    needs: b-fabb\n    source: { source: src-b }\n",
    );
    let r = jenga_in(
        tmp.path(),
        &[
            "--stacks", "a", "--stacks", "b", "--stacks", "links", "check",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("link to `b-fabb`, which no loaded file declares")
            && r.stderr.contains("b.links.yaml:4:12"),
        "{}",
        r.stderr
    );
}

#[test]
fn within_one_root_or_with_another_jurisdiction_a_repeated_id_stays_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    two_roots(tmp.path());
    // `acme` under another jurisdiction in `b`: not the same organization.
    write(
        tmp.path(),
        "b/layer.yaml",
        "bibliography:\n  - { id: src-b, title: B, author: T, date: 2025 }\norganizations:\n  - { id: acme, name: Acme KK, jurisdiction: JP, sources: [src-b] }\n",
    );
    std::fs::remove_file(tmp.path().join("b/xa.yaml")).unwrap();
    let r = jenga_in(tmp.path(), &["--stacks", "a", "--stacks", "b", "check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("id `acme` is defined twice"),
        "{}",
        r.stderr
    );
    // XA twice inside one directory: still one file per country.
    write(
        tmp.path(),
        "a/xa2.yaml",
        "country: XA\nname: Testland\ncapabilities: [model2]\nnodes:\n  - { id: model2, name: M2, layer: capability, needs: [chip], sources: [src-a] }\n",
    );
    let r = jenga_in(tmp.path(), &["--stacks", "a", "check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("country `XA` is declared twice"),
        "{}",
        r.stderr
    );
}

#[test]
fn the_seed_alone_is_unchanged_by_the_link_directory() {
    let r = root();
    let alone = jenga_in(
        r,
        &["--stacks", "stacks", "sovereignty", "--format", "json"],
    );
    let with = jenga_in(
        r,
        &[
            "--stacks",
            "stacks",
            "--stacks",
            "links",
            "sovereignty",
            "--format",
            "json",
        ],
    );
    assert_eq!(alone.code, 0, "{}", alone.stderr);
    assert_eq!(alone.stdout, with.stdout);
}

/// The datasets folder (as `imports.rs` finds it), or None when absent and not required.
fn datasets() -> Option<std::path::PathBuf> {
    let required = std::env::var_os("JENGA_REQUIRE_DATASETS").is_some_and(|v| v == "1");
    let dir = std::env::var_os("JENGA_DATASETS").map_or_else(
        || root().join("../shared/datasets"),
        std::path::PathBuf::from,
    );
    if dir.join("eto-chip-explorer/provision.csv").is_file() {
        Some(dir)
    } else if required {
        panic!(
            "JENGA_REQUIRE_DATASETS=1 but {} holds no datasets",
            dir.display()
        );
    } else {
        eprintln!("skipped: no datasets at {}", dir.display());
        None
    }
}

/// A directory holding `stacks` and `links` (links to the repository's), `datasets`
/// (a link to the datasets) and the ETO and Epoch layers imported from it as `eto` and
/// `epoch`, so every path jenga prints is relative and the same on every machine.
fn connected(ds: &Path) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    for (name, target) in [
        ("stacks", root().join("stacks")),
        ("links", root().join("links")),
        ("datasets", ds.to_owned()),
    ] {
        std::os::unix::fs::symlink(target, t.join(name)).unwrap();
    }
    for args in [
        &["import", "eto", "datasets/eto-chip-explorer", "-o", "eto"][..],
        &[
            "import",
            "epoch",
            "datasets/epoch/gpu_clusters.csv",
            "datasets/epoch/ml_hardware.csv",
            "-o",
            "epoch",
        ],
    ] {
        let r = jenga_in(t, args);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    tmp
}

const CONNECTED: [&str; 8] = [
    "--stacks", "stacks", "--stacks", "links", "--stacks", "eto", "--stacks", "epoch",
];

fn run_connected(t: &Path, args: &[&str]) -> String {
    let mut all = CONNECTED.to_vec();
    all.extend_from_slice(args);
    let r = jenga_in(t, &all);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
}

#[test]
fn the_connected_world_answers_what_cutting_off_the_netherlands_does_to_each_stack() {
    let Some(ds) = datasets() else { return };
    let tmp = connected(&ds);
    let t = tmp.path();
    let r = jenga_in(t, &[&CONNECTED[..], &["check"]].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    // (With the source texts registered, CI's environment, a line on the quotes follows.)
    assert!(r.stderr.contains("; no problems\n"), "{}", r.stderr);
    // Unscoped: EUV supply is gone, so TSMC's fabrication, the H100 (via the link
    // files) and the seed's Falcon (AE) fail.
    let v: Value = serde_json::from_str(&run_connected(
        t,
        &[
            "scenario",
            "--remove",
            "jurisdiction:NL",
            "--format",
            "json",
        ],
    ))
    .unwrap();
    let failed = failed_in(&v, "AE");
    for id in [
        "eto-n20",
        "eto-n99",
        "epoch-fab-tsmc",
        "epoch-chip-nvidia-h100-sxm5-80gb",
        "h100",
        "falcon",
    ] {
        assert!(failed.contains(&id.to_owned()), "{id} not failed");
    }
    let euv = v["quantities"]["supply"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "eto-n20")
        .expect("EUV tools in the supply table");
    assert_eq!(euv["surviving"]["high"].as_f64(), Some(0.0));
    // Each country's H100e lost is at least its failed clusters' capacities (the
    // capabilities that fail whole), and never more than its total.
    for c in v["quantities"]["countries"].as_array().unwrap() {
        for cap in c["capacity"].as_array().unwrap() {
            let low = cap["lost"]["low"].as_f64().unwrap();
            assert!(low <= cap["total"].as_f64().unwrap() + 1e-6, "{c}");
        }
    }
    let ae = v["quantities"]["countries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "AE")
        .unwrap();
    let superpod = ae["capabilities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "epoch-core42-superpod")
        .unwrap();
    assert_eq!(
        superpod["capacity"][0]["lost"]["low"].as_f64(),
        Some(1272.0)
    );
    // Scoped to China (`--for CN`): the Netherlands still supplies everyone else, so the
    // seed's stacks stand.
    let v: Value = serde_json::from_str(&run_connected(
        t,
        &[
            "scenario",
            "--remove",
            "jurisdiction:NL",
            "--for",
            "CN",
            "--format",
            "json",
        ],
    ))
    .unwrap();
    let mut ae_failed = Vec::new();
    for c in v["countries"].as_array().unwrap() {
        if c["code"] == "AE" {
            collect_failed(c, &mut ae_failed);
        }
    }
    assert!(!ae_failed.contains(&"falcon".to_owned()), "{ae_failed:?}");
    // Sovereignty reads the capacity each cut-off takes.
    let s: Value = serde_json::from_str(&run_connected(
        t,
        &["sovereignty", "AE", "--format", "json"],
    ))
    .unwrap();
    let nl = s["countries"][0]["cutoffs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["jurisdiction"] == "NL")
        .expect("NL's cut-off hurts the UAE");
    assert!(
        nl["capacity_lost"][0]["lost"]["low"].as_f64().unwrap() >= 1272.0,
        "{nl}"
    );
}

/// The worked example of the README (`docs/chip-layer/`): regenerated from the
/// datasets, byte for byte the committed files (`JENGA_BLESS=1` rewrites them).
#[test]
fn the_chip_layer_worked_example_regenerates_byte_for_byte() {
    let Some(ds) = datasets() else { return };
    let tmp = connected(&ds);
    let t = tmp.path();
    let dir = root().join("docs/chip-layer");
    let eto = |args: &[&str]| {
        let mut all = vec!["--stacks", "eto"];
        all.extend_from_slice(args);
        let r = jenga_in(t, &all);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout
    };
    let files: Vec<(&str, String)> = vec![
        (
            "LICENSE-ETO-DATA.md",
            std::fs::read_to_string(t.join("eto/LICENSE-ETO-DATA.md")).unwrap(),
        ),
        (
            "concentration.md",
            eto(&["concentration", "--format", "markdown"]),
        ),
        (
            "euv-tools.mmd",
            run_connected(t, &["export", "eto-n20", "--format", "mermaid"]),
        ),
        (
            "euv-chain.md",
            run_connected(t, &["why", "falcon", "eto-p88-n20", "--format", "markdown"]),
        ),
        ("nl-jp.md", nl_jp(t)),
    ];
    for (name, text) in files {
        crate::harness::expect_file(&dir.join(name), &text);
    }
}

/// The NL+JP scenario on the connected world, its heading and its quantitative
/// tables: the per-country lists of failed nodes (1.7 MB of Markdown) are left out.
fn nl_jp(t: &Path) -> String {
    let full = run_connected(
        t,
        &[
            "scenario",
            "--remove",
            "jurisdiction:NL",
            "--remove",
            "jurisdiction:JP",
            "--format",
            "markdown",
        ],
    );
    let head = full.find("\n### ").expect("a country section");
    let quantities = full.find("### Supply surviving").expect("the supply table");
    format!(
        "{}\n\n(The lists of failed nodes per country are left out here; the command prints them.)\n\n{}",
        &full[..head],
        &full[quantities..]
    )
}

/// Issue 16: the report on the connected world succeeds; its overview folds the
/// imported layers into summary boxes that say how many blocks they hold, and the
/// overview's table still lists every shared block (nothing dropped).
#[test]
fn the_connected_world_report_folds_the_imported_layers_and_drops_nothing() {
    let Some(ds) = datasets() else { return };
    let t = connected(&ds);
    let t = t.path();
    run_connected(t, &["report", "-q", "--engine", "builtin", "-o", "rep"]);
    let svg = std::fs::read_to_string(t.join("rep/overview.svg")).unwrap();
    assert!(
        svg.contains("blocks folded"),
        "no summary box in the overview"
    );
    // Each box's count, once per distinct count (the SVG repeats it in edge titles).
    let counts: std::collections::BTreeSet<usize> = svg
        .split("blocks folded")
        .filter_map(|s| s.rsplit(['>', ' ', '\n']).nth(1)?.parse::<usize>().ok())
        .collect();
    let folded: usize = counts.iter().sum();
    assert!(folded > 400, "only {folded} blocks folded");
    let csv = std::fs::read_to_string(t.join("rep/overview.csv")).unwrap();
    assert!(
        csv.lines().count() > folded,
        "the overview's table must list every block"
    );
    assert!(csv.contains("eto-"), "the table keeps the imported blocks");
}

/// A `low–high %` or `N %` cell (or an amount, `low–high`) as its two ends.
fn range_cell(cell: &str) -> (f64, f64) {
    let s = cell.trim_end_matches(" %");
    let mut parts = s.split('–').map(|x| x.parse::<f64>().unwrap());
    let low = parts.next().unwrap();
    (low, parts.next().unwrap_or(low))
}

/// Issue 16: the report on the connected world has the chip layer's worked example —
/// the most concentrated inputs, the EUV chain figure, and the cut-off of every
/// country supplying EUV or ArF immersion tools with its supply and capacity tables —
/// every value equal to what `concentration` and `scenario` compute from the data.
#[test]
fn the_connected_world_report_has_the_chip_layer_worked_example_computed_from_the_data() {
    let Some(ds) = datasets() else { return };
    let tmp = connected(&ds);
    let t = tmp.path();
    std::fs::create_dir_all(t.join("none")).unwrap();
    run_connected(
        t,
        &[
            "report",
            "-q",
            "--engine",
            "builtin",
            "--scenarios",
            "none",
            "-o",
            "rep",
        ],
    );
    let md = std::fs::read_to_string(t.join("rep/report.md")).unwrap();
    assert!(
        md.contains("## The chip layer: a worked example"),
        "no section"
    );
    assert!(md.contains("(chip-layer/euv-chain.svg)"), "no EUV figure");
    let html = std::fs::read_to_string(t.join("rep/index.html")).unwrap();
    assert!(
        html.contains("<section id=\"chip-layer\">"),
        "no HTML section"
    );
    for ext in ["svg", "png", "pdf", "dot", "csv"] {
        assert!(
            t.join(format!("rep/chip-layer/euv-chain.{ext}")).is_file(),
            "{ext}"
        );
    }
    let read_csv = |name: &str| -> Vec<Vec<String>> {
        let text = std::fs::read_to_string(t.join("rep").join(name)).unwrap();
        csv::Reader::from_reader(text.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect()
    };
    // The concentration rows: the scored inputs with the highest HHI, as
    // `concentration` computes them.
    let conc: Value =
        serde_json::from_str(&run_connected(t, &["concentration", "--format", "json"])).unwrap();
    let mut scored: Vec<&Value> = conc["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "scored" && c["hhi"].is_number())
        .collect();
    scored.sort_by(|a, b| {
        let k = |c: &Value| (c["hhi"].as_f64().unwrap(), c["top_share"].as_f64().unwrap());
        let (ha, sa) = k(a);
        let (hb, sb) = k(b);
        hb.total_cmp(&ha)
            .then(sb.total_cmp(&sa))
            .then(a["id"].as_str().cmp(&b["id"].as_str()))
    });
    let rows = read_csv("chip-layer/concentration.csv");
    assert_eq!(rows.len(), 10.min(scored.len()));
    for (row, c) in rows.iter().zip(&scored) {
        assert_eq!(row[0], c["id"].as_str().unwrap());
        assert_eq!(row[4], format!("{:.0}", c["hhi"].as_f64().unwrap()));
    }
    // The jurisdictions cut off: every country supplying EUV or ArF immersion tools.
    let mut cut: Vec<String> = conc["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["id"] == "eto-n20" || c["id"] == "eto-n22")
        .flat_map(|c| c["providers"].as_array().unwrap())
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect();
    cut.sort();
    cut.dedup();
    assert!(!cut.is_empty());
    let mut args = vec!["scenario".to_owned()];
    for j in &cut {
        args.extend(["--remove".to_owned(), format!("jurisdiction:{j}")]);
    }
    args.extend(["--format".to_owned(), "json".to_owned()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let v: Value = serde_json::from_str(&run_connected(t, &args)).unwrap();
    assert!(md.contains(&format!("jenga {}", args[..args.len() - 2].join(" "))));
    // Supply surviving for the two tools.
    let supply = read_csv("chip-layer/supply.csv");
    assert_eq!(supply.len(), 2);
    for row in &supply {
        let s = v["quantities"]["supply"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == row[0].as_str())
            .unwrap_or_else(|| panic!("{} not in the supply table", row[0]));
        let (low, high) = range_cell(&row[3]);
        let pct = |k: &str| s["surviving"][k].as_f64().unwrap() * 100.0;
        assert!((low - pct("low")).abs() < 0.051, "{row:?} vs {s}");
        assert!((high - pct("high")).abs() < 0.051, "{row:?} vs {s}");
    }
    // What each country loses: its failed capabilities and its capacity lost.
    let countries = read_csv("chip-layer/countries.csv");
    assert!(!countries.is_empty());
    for row in &countries {
        let code = row[0].rsplit('(').next().unwrap().trim_end_matches(')');
        let c = v["countries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == code)
            .unwrap();
        let caps = c["capabilities"].as_array().unwrap();
        let failed = caps.iter().filter(|k| k["status"] == "failed").count();
        assert_eq!(row[1], format!("{failed} of {}", caps.len()), "{code}");
        if row[2].is_empty() {
            continue;
        }
        let q = v["quantities"]["countries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == code)
            .unwrap();
        let l = q["capacity"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["unit"] == row[2].as_str())
            .unwrap();
        let (low, high) = range_cell(&row[4]);
        assert!(
            (low - l["lost"]["low"].as_f64().unwrap()).abs() < 0.051,
            "{row:?}"
        );
        assert!(
            (high - l["lost"]["high"].as_f64().unwrap()).abs() < 0.051,
            "{row:?}"
        );
        assert!((range_cell(&row[3]).0 - l["total"].as_f64().unwrap()).abs() < 0.051);
    }
    // The chain starts at a capability and reaches EUV tools and their suppliers.
    let chain = read_csv("chip-layer/euv-chain.csv");
    let is_capability = v["countries"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["capabilities"].as_array().unwrap())
        .any(|k| k["id"] == chain[0][2].as_str());
    assert!(is_capability, "{chain:?}");
    assert!(chain.iter().any(|r| r[2] == "eto-n20"));
    assert!(chain.iter().any(|r| r[1].contains("ASML")), "{chain:?}");
}
