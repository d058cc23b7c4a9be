//! Exports that lose nothing: GraphML, CSV (both dialects) and Mermaid of `stacks/`,
//! read back with each format's own client (networkx, Python's `csv`, mermaid-cli),
//! carry the same nodes, edges, groups and attributes as the JSON export, the 19
//! `unknown` groups of `stacks/` among them; and an independent reader of the
//! exported graph reaches `jenga scenario`'s verdicts, `unknown` included.
//!
//! The Python clients are skipped when missing unless `JENGA_REQUIRE_NETWORKX=1`
//! (CI), mermaid-cli unless `JENGA_REQUIRE_MERMAID=1`.

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

use crate::harness::{jenga_in, root};

/// The `unknown` groups `stacks/` records (one per `unknown:` line in its files).
const STACKS_UNKNOWNS: usize = 19;

/// The JSON export in the canonical form the readers below print: nodes by id with
/// their attributes and groups, edges as sorted `[from, to, kind, group]`.
fn canonical_json_export() -> Value {
    let out = jenga_in(root(), &["export", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let j: Value = serde_json::from_str(&out.stdout).unwrap();
    let mut nodes = serde_json::Map::new();
    for n in j["nodes"].as_array().unwrap() {
        let mut attrs = serde_json::Map::new();
        for k in [
            "name",
            "kind",
            "layer",
            "org",
            "jurisdiction",
            "status",
            "country",
        ] {
            attrs.insert(k.to_owned(), n[k].clone());
        }
        attrs.insert("needs".to_owned(), n["needs"].clone());
        nodes.insert(n["id"].as_str().unwrap().to_owned(), Value::Object(attrs));
    }
    let mut edges: Vec<Value> = j["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| json!([e["from"], e["to"], e["kind"], e["group"]]))
        .collect();
    edges.sort_by_key(Value::to_string);
    json!({ "nodes": nodes, "edges": edges })
}

fn unknown_groups(canonical: &Value) -> usize {
    canonical["nodes"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|n| n["needs"].as_array().unwrap())
        .filter(|g| g["kind"] == "unknown")
        .count()
}

/// Runs `python3 -c SCRIPT ARGS` and parses its standard output as JSON; `None`
/// (skip) when python3 or `module` is missing and `JENGA_REQUIRE_NETWORKX` is unset.
fn python(module: &str, script: &str, args: &[&Path]) -> Option<Value> {
    let present = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .status()
        .is_ok_and(|s| s.success());
    if !present {
        assert!(
            std::env::var_os("JENGA_REQUIRE_NETWORKX").is_none_or(|v| v != "1"),
            "JENGA_REQUIRE_NETWORKX=1 but python3 with {module} is not installed"
        );
        eprintln!("skipped: python3 with {module} is not installed");
        return None;
    }
    let r = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    Some(serde_json::from_slice(&r.stdout).unwrap())
}

/// Python that prints `{"nodes": ..., "edges": ...}` read from a GraphML file with
/// networkx (absent attributes become `null`, `needs` is parsed from its JSON text).
const READ_GRAPHML: &str = r#"
import sys, json, networkx as nx
g = nx.read_graphml(sys.argv[1])
keys = ["kind", "layer", "org", "jurisdiction", "status", "country"]
nodes = {}
for i, a in g.nodes(data=True):
    n = {"name": a.get("label")}
    n.update({k: a.get(k) for k in keys})
    n["needs"] = json.loads(a["needs"])
    assert a["unknown"] == sum(1 for x in n["needs"] if x["kind"] == "unknown")
    nodes[i] = n
edges = sorted(([u, v, a["kind"], a["group"]] for u, v, a in g.edges(data=True)), key=lambda e: json.dumps(e, separators=(",", ":")))
print(json.dumps({"nodes": nodes, "edges": edges}))
"#;

/// The same from `nodes.csv` and `edges.csv` with Python's `csv` module (empty
/// cells are absent values).
const READ_CSV: &str = r#"
import sys, csv, json
def rows(p):
    with open(p, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))
keys = ["name", "kind", "layer", "org", "jurisdiction", "status", "country"]
nodes = {}
for r in rows(sys.argv[1]):
    n = {k: (r[k] or None) for k in keys}
    n["needs"] = json.loads(r["needs"])
    assert int(r["unknown:int"]) == sum(1 for x in n["needs"] if x["kind"] == "unknown")
    nodes[r["id:ID"]] = n
edges = sorted(([r[":START_ID"], r[":END_ID"], r["kind"], int(r["group:int"])] for r in rows(sys.argv[2])), key=lambda e: json.dumps(e, separators=(",", ":")))
print(json.dumps({"nodes": nodes, "edges": edges}))
"#;

/// Sorts edges the way the Python readers do (compact JSON text), so the two sides
/// compare as values.
fn sort_edges(mut v: Value) -> Value {
    if let Some(edges) = v["edges"].as_array_mut() {
        edges.sort_by_key(Value::to_string);
    }
    v
}

/// `stacks/` exported as GraphML into a temporary directory (kept alive by the
/// returned handle).
fn export_graphml() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("world.graphml");
    let out = jenga_in(
        root(),
        &[
            "export",
            "--format",
            "graphml",
            "-o",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    (dir, file)
}

#[test]
fn graphml_read_by_networkx_equals_the_json_export() {
    let (_dir, file) = export_graphml();
    let Some(read) = python("networkx", READ_GRAPHML, &[&file]) else {
        return;
    };
    let expected = canonical_json_export();
    assert_eq!(unknown_groups(&expected), STACKS_UNKNOWNS);
    assert_eq!(unknown_groups(&read), STACKS_UNKNOWNS);
    assert_eq!(sort_edges(read), sort_edges(expected));
}

/// Python that prints `{"nodes": ..., "edges": ...}` read from a GEXF file with
/// networkx's GEXF reader (what Gephi users script with).
const READ_GEXF: &str = r#"
import sys, json, networkx as nx
g = nx.read_gexf(sys.argv[1], node_type=str)
keys = ["kind", "layer", "org", "jurisdiction", "status", "country"]
nodes = {}
for i, a in g.nodes(data=True):
    n = {"name": a.get("label")}
    n.update({k: a.get(k) for k in keys})
    n["needs"] = json.loads(a["needs"])
    assert a["unknown"] == sum(1 for x in n["needs"] if x["kind"] == "unknown")
    nodes[i] = n
edges = sorted(([u, v, a["kind"], a["group"]] for u, v, a in g.edges(data=True)), key=lambda e: json.dumps(e, separators=(",", ":")))
assert all(isinstance(a["need"], int) and isinstance(a["of"], int) for _, _, a in g.edges(data=True))
print(json.dumps({"nodes": nodes, "edges": edges}))
"#;

#[test]
fn gexf_read_by_networkx_equals_the_json_export() {
    for target in [None, Some("SG")] {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("world.gexf");
        let mut args = vec!["export", "--format", "gexf", "-o", file.to_str().unwrap()];
        args.extend(target);
        let out = jenga_in(root(), &args);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let Some(read) = python("networkx", READ_GEXF, &[&file]) else {
            return;
        };
        if target.is_none() {
            let expected = canonical_json_export();
            // Every unknown group of the JSON export (at least the 15 of issue #19).
            assert!(unknown_groups(&expected) >= STACKS_UNKNOWNS);
            assert_eq!(unknown_groups(&read), unknown_groups(&expected));
            assert_eq!(sort_edges(read), sort_edges(expected));
        } else {
            // A cone: the same nodes and edges as the JSON export of that cone.
            let j = jenga_in(root(), &["export", "--format", "json", "SG"]);
            let j: Value = serde_json::from_str(&j.stdout).unwrap();
            let mut ids: Vec<&str> = j["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["id"].as_str().unwrap())
                .collect();
            ids.sort_unstable();
            let mut got: Vec<&str> = read["nodes"]
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            got.sort_unstable();
            assert_eq!(got, ids);
            assert_eq!(
                read["edges"].as_array().unwrap().len(),
                j["edges"].as_array().unwrap().len()
            );
        }
    }
}

#[test]
fn csv_read_by_python_equals_the_json_export_in_both_dialects() {
    for format in ["csv", "csv-raw"] {
        let dir = tempfile::tempdir().unwrap();
        let out = jenga_in(
            root(),
            &[
                "export",
                "--format",
                format,
                "-o",
                dir.path().to_str().unwrap(),
            ],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        let (nodes, edges) = (dir.path().join("nodes.csv"), dir.path().join("edges.csv"));
        let Some(read) = python("csv", READ_CSV, &[&nodes, &edges]) else {
            return;
        };
        let expected = canonical_json_export();
        assert_eq!(unknown_groups(&read), STACKS_UNKNOWNS, "{format}");
        if format == "csv-raw" {
            assert_eq!(sort_edges(read), sort_edges(expected), "{format}");
        } else {
            // The spreadsheet dialect differs from the data only by the formula
            // guard: a leading `'` on cells a spreadsheet would evaluate.
            let guarded =
                |s: &str| s.starts_with(['=', '+', '-', '@']) && s.parse::<f64>().is_err();
            let mut fixed = expected.clone();
            for n in fixed["nodes"].as_object_mut().unwrap().values_mut() {
                for v in n.as_object_mut().unwrap().values_mut() {
                    if let Some(s) = v.as_str().filter(|s| guarded(s)) {
                        *v = Value::String(format!("'{s}"));
                    }
                }
            }
            assert_eq!(sort_edges(read), sort_edges(fixed), "{format}");
        }
    }
}

/// Python over the networkx graph alone: the two readings of the failure semantics
/// (greatest fixpoint; a closed `unknown` list holds optimistically when one of its
/// candidates works, pessimistically when all do; an open `unknown` holds
/// optimistically, pessimistically unless a removal could be it: a node of its layer
/// or an organization owning one), then each capability's verdict.
const UNDETERMINED: &str = r#"
import sys, json, networkx as nx
g = nx.read_graphml(sys.argv[1])
removed = set(json.loads(sys.argv[2]))
needs = {i: json.loads(a["needs"]) for i, a in g.nodes(data=True)}
layer = {i: a.get("layer") for i, a in g.nodes(data=True)}
# The layers the removals could be: a removed node's own, and those of the nodes a
# removed organization owns (an open `unknown` of such a layer is at risk).
could_be = {layer[r] for r in removed if layer.get(r)}
could_be |= {layer[i] for i, a in g.nodes(data=True) if a.get("org") in removed and layer.get(i)}
def at_risk(grp):
    return bool(removed) if grp.get("layer") is None else grp["layer"] in could_be
def fails(optimistic):
    down = set(removed)
    changed = True
    while changed:
        changed = False
        for i, groups in needs.items():
            if i in down:
                continue
            for grp in groups:
                up = [m for m in grp["members"] if m not in down]
                if grp["kind"] == "unknown" and grp.get("closed"):
                    # A closed list: one of its candidates, at risk only from them.
                    holds = bool(up) if optimistic else len(up) == len(grp["members"])
                elif grp["kind"] == "unknown":
                    # An open one: holds optimistically; pessimistically unless a
                    # removal could be it.
                    holds = True if optimistic else not at_risk(grp)
                else:
                    holds = len(up) >= grp["need"]
                if not holds:
                    down.add(i)
                    changed = True
                    break
    return down
opt, pes = fails(True), fails(False)
caps = [i for i, a in g.nodes(data=True) if a.get("layer") == "capability"]
print(json.dumps({c: "failed" if c in opt else "unknown" if c in pes else "works" for c in caps}, sort_keys=True))
"#;

#[test]
fn undetermined_capabilities_read_from_the_graphml_equal_jenga_scenario() {
    let (_dir, file) = export_graphml();
    let scenario = jenga_in(
        root(),
        &[
            "scenario",
            "--remove",
            "jurisdiction:US",
            "--format",
            "json",
        ],
    );
    assert_eq!(scenario.code, 0, "{}", scenario.stderr);
    let s: Value = serde_json::from_str(&scenario.stdout).unwrap();
    let removed: Vec<&str> = s["removals"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["nodes"].as_array().unwrap())
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    let mut verdicts = serde_json::Map::new();
    for c in s["countries"].as_array().unwrap() {
        for cap in c["capabilities"].as_array().unwrap() {
            let status = match cap["status"].as_str().unwrap() {
                "failed" => "failed",
                "unknown" => "unknown",
                _ => "works",
            };
            verdicts.insert(cap["id"].as_str().unwrap().to_owned(), json!(status));
        }
    }
    let removed_json = serde_json::to_string(&removed).unwrap();
    let Some(read) = python("networkx", UNDETERMINED, &[&file, Path::new(&removed_json)]) else {
        return;
    };
    let undetermined = verdicts.values().filter(|v| *v == "unknown").count();
    assert!(
        undetermined >= 8,
        "the issue's 8 undetermined capabilities: {verdicts:?}"
    );
    assert_eq!(read, Value::Object(verdicts));
}

/// Text content of an SVG element (mermaid puts labels in XHTML inside
/// `foreignObject`; `<br/>` separates lines).
fn text_of(n: roxmltree::Node<'_, '_>) -> String {
    let mut out = String::new();
    for d in n.descendants() {
        if d.is_text() {
            out.push_str(d.text().unwrap_or(""));
        } else if d.has_tag_name("br") {
            out.push('\n');
        }
    }
    out
}

#[test]
fn mermaid_rendered_by_mermaid_cli_equals_the_json_export() {
    let Some((mmdc, chromium)) = crate::eco::mermaid_cli() else {
        assert!(
            std::env::var_os("JENGA_REQUIRE_MERMAID").is_none(),
            "mmdc or chromium is missing"
        );
        eprintln!("skipped: mmdc (npm @mermaid-js/mermaid-cli) or chromium is not installed");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("puppeteer.json");
    std::fs::write(
        &config,
        json!({
            "executablePath": chromium,
            "args": ["--no-sandbox", "--headless", "--disable-gpu"]
        })
        .to_string(),
    )
    .unwrap();
    let out = jenga_in(root(), &["export", "--format", "mermaid"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let (input, svg) = (dir.path().join("in.mmd"), dir.path().join("out.svg"));
    std::fs::write(&input, &out.stdout).unwrap();
    let r = Command::new(&mmdc)
        .arg("-p")
        .arg(&config)
        .arg("-i")
        .arg(&input)
        .arg("-o")
        .arg(&svg)
        .output()
        .unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    // The jenga id of each Mermaid node `nK` is in the comment line before it.
    let mut jenga_id = std::collections::HashMap::new();
    let mut lines = out.stdout.lines().map(str::trim);
    while let Some(l) = lines.next() {
        if let Some(id) = l.strip_prefix("%% ") {
            let decl = lines.next().unwrap();
            let n: String = decl
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            jenga_id.insert(n, id.to_owned());
        }
    }
    // What mermaid-cli drew: nodes (`my-svg-flowchart-ID-N`) with their labels, and
    // edges (`L_FROM_TO_N`) with theirs.
    let text = std::fs::read_to_string(&svg).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let mut labels = std::collections::BTreeMap::new();
    let mut edges = Vec::new();
    for n in doc.descendants() {
        let Some(id) = n.attribute("id").or_else(|| n.attribute("data-id")) else {
            continue;
        };
        if let Some(rest) = id.strip_prefix("my-svg-flowchart-") {
            let mid = rest.rsplit_once('-').unwrap().0.to_owned();
            labels.insert(mid, text_of(n));
        } else if n.has_tag_name("g") && id.starts_with("L_") {
            let parts: Vec<&str> = id.split('_').collect();
            edges.push((parts[1].to_owned(), parts[2].to_owned(), text_of(n)));
        }
    }
    let jid = |m: &str| jenga_id.get(m).cloned().unwrap_or_else(|| m.to_owned());
    // The JSON export, in the same terms.
    let j: Value =
        serde_json::from_str(&jenga_in(root(), &["export", "--format", "json"]).stdout).unwrap();
    let mut want_nodes: Vec<String> = Vec::new();
    let mut want_edges: Vec<(String, String, String)> = Vec::new();
    let mut want_unknowns: Vec<(String, String, Vec<String>)> = Vec::new();
    for n in j["nodes"].as_array().unwrap() {
        let id = n["id"].as_str().unwrap().to_owned();
        let name = n["name"].as_str().unwrap();
        let shown = &labels[jenga_id.iter().find(|(_, v)| **v == id).unwrap().0];
        assert!(
            shown.starts_with(name),
            "{id}: {shown:?} does not show {name:?}"
        );
        for g in n["needs"].as_array().unwrap() {
            let members: Vec<String> = g["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m.as_str().unwrap().to_owned())
                .collect();
            let label = match g["kind"].as_str().unwrap() {
                "any" | "at-least" => format!("{} of {}", g["need"], members.len()),
                "partner" => "partner".to_owned(),
                "unknown" => {
                    // The scope as the export words it: the layer of what is missing,
                    // and whether the candidates are the whole list.
                    let scope = match (g["layer"].as_str(), g["closed"].as_bool() == Some(true)) {
                        (Some(l), true) => format!(" {l}, one of the candidates"),
                        (Some(l), false) => format!(" {l}"),
                        (None, true) => " one of the candidates".to_owned(),
                        (None, false) => String::new(),
                    };
                    let note = format!("unknown{scope}: {}", g["description"].as_str().unwrap());
                    want_unknowns.push((id.clone(), note, members));
                    continue;
                }
                _ => String::new(),
            };
            for m in members {
                want_edges.push((id.clone(), m, label.clone()));
            }
        }
        want_nodes.push(id);
    }
    let mut got_nodes: Vec<String> = labels
        .keys()
        .filter(|k| k.starts_with('n'))
        .map(|k| jid(k))
        .collect();
    let mut got_edges: Vec<(String, String, String)> = edges
        .iter()
        .filter(|(f, t, _)| f.starts_with('n') && t.starts_with('n'))
        .map(|(f, t, l)| (jid(f), jid(t), l.clone()))
        .collect();
    let mut got_unknowns: Vec<(String, String, Vec<String>)> = labels
        .iter()
        .filter(|(k, _)| k.starts_with('u'))
        .map(|(u, note)| {
            let owner = edges.iter().find(|(_, t, _)| t == u).map(|(f, _, l)| {
                assert_eq!(l, "unknown");
                jid(f)
            });
            let mut candidates: Vec<String> = edges
                .iter()
                .filter(|(f, _, _)| f == u)
                .map(|(_, t, _)| jid(t))
                .collect();
            candidates.sort();
            (owner.unwrap(), note.clone(), candidates)
        })
        .collect();
    for v in [&mut want_nodes, &mut got_nodes] {
        v.sort();
    }
    for v in [&mut want_edges, &mut got_edges] {
        v.sort();
    }
    for (_, _, c) in &mut want_unknowns {
        c.sort();
    }
    for v in [&mut want_unknowns, &mut got_unknowns] {
        v.sort();
    }
    assert_eq!(got_nodes, want_nodes);
    assert_eq!(got_edges, want_edges);
    assert_eq!(want_unknowns.len(), STACKS_UNKNOWNS);
    assert_eq!(got_unknowns, want_unknowns);
}
