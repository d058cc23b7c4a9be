//! What the command line promises beyond each analysis: `check --format json` says
//! what the text says, `--quiet` leaves nothing but errors on standard error.

use serde_json::Value;

use crate::harness::{fixtures, jenga, jenga_in, root};

/// The places of a text rendering, in order: `--> file:line:column` (a primary
/// place) and `::: file:line:column` (a note's).
fn text_places(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|l| {
            let l = l.trim_start();
            l.strip_prefix("--> ").or_else(|| l.strip_prefix("::: "))
        })
        .map(str::to_owned)
        .collect()
}

/// The primary places of a JSON document's diagnostics, in order.
fn json_places(doc: &Value) -> Vec<String> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| {
            let p = &d["place"];
            (!p.is_null()).then(|| {
                format!(
                    "{}:{}:{}",
                    p["file"].as_str().unwrap(),
                    p["line"],
                    p["column"]
                )
            })
        })
        .collect()
}

#[test]
fn check_json_says_what_the_text_says_on_every_error_fixture() {
    let mut dirs: Vec<_> = std::fs::read_dir(fixtures().join("err"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 8);
    for dir in dirs {
        let rel = dir
            .strip_prefix(fixtures())
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        for strict in [false, true] {
            let mut args = vec!["check", "--stacks", &rel];
            if strict {
                args.push("--strict");
            }
            let text = jenga(&args);
            args.extend(["--format", "json"]);
            let json = jenga(&args);
            assert_eq!(json.code, text.code, "{rel}");
            assert_eq!(json.stderr, text.stderr, "{rel}: stderr is the same");
            let doc: Value = serde_json::from_str(&json.stdout)
                .unwrap_or_else(|e| panic!("{rel}: {e}\n{}", json.stdout));
            assert_eq!(doc["ok"], text.code == 0, "{rel}");
            let diags = doc["diagnostics"].as_array().unwrap();
            let errors = diags.iter().filter(|d| d["severity"] == "error").count();
            let warnings = diags.iter().filter(|d| d["severity"] == "warning").count();
            assert_eq!(doc["errors"], errors, "{rel}");
            assert_eq!(doc["warnings"], warnings, "{rel}");
            assert_eq!(errors > 0, text.code == 1, "{rel}");
            if strict {
                assert_eq!(warnings, 0, "{rel}: --strict makes every warning an error");
            }
            // Primary places and notes together, in the text's order.
            let mut places = json_places(&doc);
            let notes: Vec<String> = diags
                .iter()
                .flat_map(|d| d["notes"].as_array().unwrap().iter())
                .map(|n| {
                    let p = &n["place"];
                    format!(
                        "{}:{}:{}",
                        p["file"].as_str().unwrap(),
                        p["line"],
                        p["column"]
                    )
                })
                .collect();
            let mut from_text = text_places(&text.stderr);
            places.extend(notes);
            places.sort();
            from_text.sort();
            assert_eq!(places, from_text, "{rel}");
            for d in diags {
                let message = d["message"].as_str().unwrap();
                let code = d["code"].as_str().unwrap();
                assert!(
                    text.stderr.contains(&format!("[{code}]: {message}")),
                    "{rel}: {code}: {message} is not in the text"
                );
            }
        }
    }
}

#[test]
fn check_json_counts_the_real_stacks_as_the_summary_does() {
    let text = jenga_in(root(), &["check"]);
    let json = jenga_in(root(), &["check", "--format", "json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let doc: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(doc["ok"], true);
    let summary = format!(
        "checked {} files: {} countries, {} nodes, {} organizations; no problems\n",
        doc["files"], doc["countries"], doc["nodes"], doc["organizations"]
    );
    // The summary, then (with a source text registered, as `JENGA_SOURCE_TEXT` does
    // in CI) the line saying the quotes were checked.
    let (first, rest) = text
        .stderr
        .split_at(text.stderr.find('\n').map_or(0, |i| i + 1));
    assert_eq!(first, summary);
    assert!(
        rest.lines()
            .all(|l| l.starts_with("quotes checked against the text of")),
        "{}",
        text.stderr
    );
    assert_eq!(doc["diagnostics"], serde_json::json!([]));
    // A failed load has no counts.
    let bad = jenga(&["check", "--stacks", "err/syntax", "--format", "json"]);
    assert_eq!(bad.code, 1);
    let doc: Value = serde_json::from_str(&bad.stdout).unwrap();
    assert_eq!(doc["ok"], false);
    assert!(doc["nodes"].is_null() && doc["files"].is_null());
}

/// Every command, under `--quiet`, on data that gives warnings and on the real
/// stacks: standard error is empty when it succeeds, and holds only the errors when
/// it fails.
#[test]
fn quiet_prints_nothing_but_errors_for_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let out = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let stacks = root().join("stacks");
    let stacks = stacks.to_str().unwrap();
    let sg_xml = out("sg.xml");
    let scenario_file = root().join("scenarios/us-cutoff.yaml");
    let scenario_file = scenario_file.to_str().unwrap();
    let (sg_svg, report, th, generated) =
        (out("sg.svg"), out("report"), out("th.yaml"), out("gen"));
    let runs: Vec<Vec<&str>> = vec![
        vec!["check"],
        vec!["scenario", "--remove", "nvidia"],
        vec!["scenario", "--remove", "jurisdiction:CN"],
        vec!["scenario", scenario_file],
        vec!["chokepoints"],
        vec!["concentration"],
        vec!["cutsets", "IN"],
        vec!["why", "JP", "nvidia"],
        vec!["dependents", "h100"],
        vec!["sovereignty"],
        vec!["table", "models"],
        vec!["render", "SG", "-o", &sg_svg],
        vec!["report", "-o", &report],
        vec!["export", "--format", "mermaid"],
        vec!["export", "--format", "open-psa", "SG", "-o", &sg_xml],
        vec!["diff", stacks, stacks],
        vec!["schema"],
        vec!["new", "country", "TH", "-o", &th],
        vec!["generate", "--output", &generated, "--countries", "3"],
        vec!["completions", "bash"],
    ];
    for args in &runs {
        let mut full = vec!["--stacks", stacks, "--quiet"];
        full.extend(args.iter().copied());
        let r = jenga_in(dir.path(), &full);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        assert_eq!(r.stderr, "", "{args:?} prints on stderr under --quiet");
    }
    let r = jenga_in(
        dir.path(),
        &[
            "--quiet",
            "import",
            "open-psa",
            &sg_xml,
            "-o",
            &out("imported.yaml"),
        ],
    );
    assert_eq!((r.code, r.stderr.as_str()), (0, ""), "import");
    // Warnings are not errors: `--quiet` leaves them out; `--strict` makes them errors,
    // which it prints.
    let warned = fixtures().join("err/missing-source");
    let warned = warned.to_str().unwrap();
    let loud = jenga(&["check", "--stacks", warned]);
    assert!(
        loud.stderr.contains("warning[missing-source]"),
        "{}",
        loud.stderr
    );
    let quiet = jenga(&["check", "--stacks", warned, "-q"]);
    assert_eq!((quiet.code, quiet.stderr.as_str()), (0, ""));
    let strict = jenga(&["check", "--stacks", warned, "-q", "--strict"]);
    assert_eq!(strict.code, 1);
    assert!(
        strict.stderr.contains("error[missing-source]"),
        "{}",
        strict.stderr
    );
    assert!(!strict.stderr.contains("checked "), "{}", strict.stderr);
    // An error is still said in full.
    let failed = jenga(&["check", "--stacks", "err/syntax", "-q"]);
    assert_eq!(failed.code, 1);
    assert!(failed.stderr.contains("error"), "{}", failed.stderr);
}

/// The candidates `jenga` offers for the command line `words` (clap_complete's fish
/// protocol: one `value\thelp` a line), run in `dir`, without the options.
fn complete(dir: &std::path::Path, words: &[&str]) -> Vec<String> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jenga"))
        .arg("--")
        .args(words)
        .current_dir(dir)
        .env("COMPLETE", "fish")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split('\t').next().unwrap().to_owned())
        // An empty word is offered the options too; only values are checked here.
        .filter(|c| !c.starts_with('-'))
        .collect()
}

/// Completion offers the ids, country codes and selectors of the stacks directory
/// (`--stacks` of the line, or `stacks/`), each equal to what `jenga export --format
/// json` lists.
#[test]
fn completions_offer_node_ids_country_codes_and_selectors_from_the_stacks() {
    let json = jenga_in(root(), &["export", "--format", "json"]);
    let doc: Value = serde_json::from_str(&json.stdout).unwrap();
    let mut ids: Vec<String> = doc["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    let check: Value =
        serde_json::from_str(&jenga_in(root(), &["check", "--format", "json"]).stdout).unwrap();
    let r = root();
    // Node and organization ids: every one, nothing else.
    let mut got = complete(r, &["jenga", "dependents", ""]);
    got.sort();
    assert_eq!(got, ids);
    assert_eq!(complete(r, &["jenga", "why", "JP", "nvi"]), ["nvidia"]);
    // Country codes: the declared ones.
    let countries = complete(r, &["jenga", "sovereignty", ""]);
    assert_eq!(countries.len() as u64, check["countries"].as_u64().unwrap());
    assert!(countries.iter().any(|c| c == "SG") && countries.iter().all(|c| c.len() == 2));
    assert_eq!(
        complete(
            r,
            &["jenga", "scenario", "--remove", "nvidia", "--for", "AE,I"]
        ),
        ["AE,IN", "AE,IT"]
    );
    // Render targets and selectors.
    let render = complete(r, &["jenga", "render", ""]);
    assert_eq!(&render[..2], ["overview", "matrix"]);
    assert_eq!(render.len(), countries.len() + 2);
    let layers = complete(r, &["jenga", "scenario", "--remove", "layer:"]);
    assert_eq!(
        layers,
        [
            "layer:chips",
            "layer:compute",
            "layer:data",
            "layer:model",
            "layer:distribution",
            "layer:capability"
        ]
    );
    assert!(
        complete(r, &["jenga", "scenario", "-r", "jurisdiction:U"])
            .contains(&"jurisdiction:US".to_owned())
    );
    // Another stacks directory, named on the line; a directory that does not load
    // offers nothing (and does not fail).
    let fixture = fixtures().join("valid");
    let f = complete(
        r,
        &[
            "jenga",
            "--stacks",
            fixture.to_str().unwrap(),
            "sovereignty",
            "",
        ],
    );
    assert!(
        !f.is_empty() && f.iter().all(|c| !countries.contains(c) || c == "XA"),
        "{f:?}"
    );
    let none = complete(r, &["jenga", "--stacks=/nonexistent", "dependents", ""]);
    assert!(none.is_empty(), "{none:?}");
}

/// The bash hook (`source <(COMPLETE=bash jenga)`) completes a node id in a real bash.
#[test]
fn bash_completes_a_node_id_through_the_dynamic_hook() {
    if std::process::Command::new("bash")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: bash is not installed");
        return;
    }
    let bin = env!("CARGO_BIN_EXE_jenga");
    let script = format!(
        "source <(COMPLETE=bash {bin})\n\
         COMP_WORDS=(jenga dependents h1); COMP_CWORD=2; COMP_TYPE=9\n\
         COMP_LINE='jenga dependents h1'; COMP_POINT=${{#COMP_LINE}}\n\
         _clap_complete_jenga jenga h1 dependents\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"\n"
    );
    let out = std::process::Command::new("bash")
        .args(["-c", &script])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "h100\n");
}
