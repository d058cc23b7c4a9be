//! The "Done when" items of issue #9 that `eco.rs` does not already cover, each made
//! true by a test: a typo in any stack file fails the schema (and the loader), every
//! schema line resolves to the committed schema, `scram --validate` accepts the
//! Open-PSA export of every country, the completion scripts install and complete, the
//! man pages install into a MANPATH, and the CSV export follows Neo4j's admin-import
//! header convention.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::{fixtures, jenga_in, root, yaml_files};

fn validator() -> jsonschema::Validator {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("stacks/schema.json")).unwrap())
            .unwrap();
    jsonschema::draft7::new(&schema).unwrap()
}

fn as_json(path: &Path) -> serde_json::Value {
    serde_saphyr::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Every stack file and every valid fixture, with the schema line first.
fn stack_files() -> Vec<PathBuf> {
    let mut v = yaml_files(&root().join("stacks"));
    for d in ["valid", "diff/old", "diff/new"] {
        v.extend(yaml_files(&fixtures().join(d)));
    }
    v
}

#[test]
fn every_schema_line_points_at_the_committed_schema() {
    let schema = root().join("stacks/schema.json").canonicalize().unwrap();
    let v = validator();
    let files = stack_files();
    assert!(files.len() >= 20, "{files:?}");
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let line = text.lines().next().unwrap_or_default();
        let target = line
            .strip_prefix("# yaml-language-server: $schema=")
            .unwrap_or_else(|| panic!("{} lacks the schema line", f.display()));
        let resolved = f.parent().unwrap().join(target).canonicalize();
        assert_eq!(
            resolved.ok().as_deref(),
            Some(schema.as_path()),
            "{}: `{target}` is not stacks/schema.json",
            f.display()
        );
        let errors: Vec<String> = v.iter_errors(&as_json(&f)).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", f.display());
    }
}

/// Renames the first key `from` found in a depth-first walk; whether one was found.
fn misspell(v: &mut serde_json::Value, from: &str, to: &str) -> bool {
    match v {
        serde_json::Value::Object(map) => {
            if let Some(x) = map.remove(from) {
                map.insert(to.to_owned(), x);
                return true;
            }
            map.values_mut().any(|x| misspell(x, from, to))
        }
        serde_json::Value::Array(a) => a.iter_mut().any(|x| misspell(x, from, to)),
        _ => false,
    }
}

#[test]
fn a_typo_in_any_stack_file_fails_the_schema_and_the_loader() {
    let v = validator();
    let dir = tempfile::tempdir().unwrap();
    let limits = jenga::load::Limits::default();
    let mut checked = 0;
    for f in stack_files() {
        let original = as_json(&f);
        for (from, to) in [
            ("name", "nmae"),
            ("jurisdiction", "jurisdicton"),
            ("needs", "need"),
            ("capabilities", "capabilites"),
            ("sources", "source"),
        ] {
            let mut bad = original.clone();
            if !misspell(&mut bad, from, to) {
                continue;
            }
            checked += 1;
            assert!(
                v.iter_errors(&bad).next().is_some(),
                "{}: the schema accepts `{to}`",
                f.display()
            );
            // JSON is YAML: the loader reads the same document and refuses it too.
            let copy = dir.path().join("typo.yaml");
            std::fs::write(&copy, serde_json::to_string_pretty(&bad).unwrap()).unwrap();
            assert!(
                jenga::load::load_file(&copy, &limits).is_err(),
                "{}: the loader accepts `{to}`",
                f.display()
            );
        }
        // A misspelt enumeration value fails too.
        let text = std::fs::read_to_string(&f).unwrap();
        if text.contains("layer: chips") {
            let copy = dir.path().join("layer.yaml");
            std::fs::write(&copy, text.replacen("layer: chips", "layer: chps", 1)).unwrap();
            assert!(v.iter_errors(&as_json(&copy)).next().is_some());
            checked += 1;
        }
    }
    assert!(checked >= 60, "only {checked} typos tried");
}

#[test]
fn scram_validates_the_open_psa_export_of_every_country() {
    if Command::new("scram").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("JENGA_REQUIRE_SCRAM").is_none_or(|v| v != "1"),
            "JENGA_REQUIRE_SCRAM=1 but scram is not installed"
        );
        eprintln!("skipped: scram is not installed");
        return;
    }
    let limits = jenga::load::Limits::default();
    let loaded = jenga::load::load_dir(&root().join("stacks"), &limits).unwrap();
    let world = jenga::graph::build(&loaded.files).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut validated = 0;
    for c in &world.countries {
        let file = dir.path().join(format!("{}.xml", c.code));
        let out = jenga_in(
            root(),
            &[
                "-q",
                "export",
                "--format",
                "open-psa",
                &c.code,
                "-o",
                file.to_str().unwrap(),
            ],
        );
        assert_eq!(out.code, 0, "{}: {}", c.code, out.stderr);
        let r = Command::new("scram")
            .arg("--validate")
            .arg(&file)
            .output()
            .unwrap();
        assert!(
            r.status.success(),
            "scram --validate rejects the export of {}: {}",
            c.code,
            String::from_utf8_lossy(&r.stderr)
        );
        validated += 1;
    }
    assert_eq!(
        validated,
        world.countries.len(),
        "every country is exported"
    );
}

#[test]
fn bash_completion_installs_and_completes() {
    let out = jenga_in(root(), &["completions", "bash"]);
    assert_eq!(out.code, 0);
    let dir = tempfile::tempdir().unwrap();
    // Where bash-completion looks for user completions.
    let file = dir.path().join("bash-completion/completions/jenga");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, out.stdout).unwrap();
    let complete = |words: &[&str]| -> Vec<String> {
        let script = format!(
            "source {}; COMP_WORDS=({}); COMP_CWORD={}; _jenga jenga {} {}; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            file.display(),
            words.join(" "),
            words.len() - 1,
            words[words.len() - 1],
            words[words.len() - 2],
        );
        let r = Command::new("bash").args(["-c", &script]).output().unwrap();
        assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
        String::from_utf8_lossy(&r.stdout)
            .lines()
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(complete(&["jenga", "cho"]), ["chokepoints"]);
    assert_eq!(complete(&["jenga", "diff", "--fi"]), ["--figure"]);
    let r = Command::new("bash")
        .args([
            "-c",
            &format!("source {}; complete -p jenga", file.display()),
        ])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&r.stdout).contains("-F _jenga"),
        "the script registers its completion function"
    );
}

#[test]
fn man_pages_install_into_a_manpath() {
    if Command::new("man").arg("--version").output().is_err() {
        eprintln!("skipped: man is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let man1 = dir.path().join("man1");
    std::fs::create_dir(&man1).unwrap();
    let mut pages = 0;
    for e in std::fs::read_dir(root().join("docs/man")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, man1.join(p.file_name().unwrap())).unwrap();
        pages += 1;
    }
    assert!(pages > 10);
    for (page, expect) in [
        ("jenga", "Pull a block, see what falls"),
        ("jenga-diff", "figure"),
        ("jenga-completions", "powershell"),
    ] {
        let r = Command::new("man")
            .arg("-M")
            .arg(dir.path())
            .args(["-P", "cat", page])
            .env("MANWIDTH", "80")
            .output()
            .unwrap();
        assert!(
            r.status.success(),
            "man {page}: {}",
            String::from_utf8_lossy(&r.stderr)
        );
        let text = String::from_utf8_lossy(&r.stdout);
        assert!(text.contains(expect), "man {page} lacks {expect}: {text}");
    }
}

/// Neo4j admin import: a node file with one `:ID` column and a `:LABEL` column
/// (labels joined by `;`), a relationship file with `:START_ID`, `:END_ID` and `:TYPE`;
/// other columns `name` or `name:type` with a Neo4j type.
#[test]
fn csv_headers_follow_neo4j_admin_import() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("csv");
    let out = jenga_in(
        root(),
        &["-q", "export", "--format", "csv", "-o", d.to_str().unwrap()],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let read = |f: &str| -> Vec<Vec<String>> {
        let text = std::fs::read_to_string(d.join(f)).unwrap();
        assert!(text.ends_with("\r\n"));
        text.split("\r\n")
            .filter(|l| !l.is_empty())
            .map(rfc4180_record)
            .collect()
    };
    let types = ["int", "long", "float", "double", "boolean", "string"];
    let check_header = |h: &[String], special: &[&str]| {
        for col in h {
            match col.split_once(':') {
                Some((_, t)) if special.contains(&format!(":{t}").as_str()) => {}
                Some((name, t)) => {
                    assert!(!name.is_empty() && types.contains(&t), "bad column {col}");
                }
                None => assert!(!col.is_empty()),
            }
        }
        for s in special {
            assert_eq!(
                h.iter().filter(|c| c.ends_with(s)).count(),
                1,
                "exactly one {s} column in {h:?}"
            );
        }
    };
    let nodes = read("nodes.csv");
    let edges = read("edges.csv");
    check_header(&nodes[0], &[":ID", ":LABEL"]);
    check_header(&edges[0], &[":START_ID", ":END_ID", ":TYPE"]);
    let col = |h: &[String], s: &str| h.iter().position(|c| c.ends_with(s)).unwrap();
    let (id, label) = (col(&nodes[0], ":ID"), col(&nodes[0], ":LABEL"));
    let ids: std::collections::BTreeSet<&str> = nodes[1..].iter().map(|r| r[id].as_str()).collect();
    assert_eq!(ids.len(), nodes.len() - 1, "ids are unique");
    let ident = |s: &str| {
        s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    for r in &nodes[1..] {
        assert!(r[label].split(';').all(ident), "label {}", r[label]);
    }
    let (s, e, t) = (
        col(&edges[0], ":START_ID"),
        col(&edges[0], ":END_ID"),
        col(&edges[0], ":TYPE"),
    );
    for r in &edges[1..] {
        assert!(ids.contains(r[s].as_str()) && ids.contains(r[e].as_str()));
        assert!(
            ident(&r[t]) && r[t] == r[t].to_ascii_uppercase(),
            "type {}",
            r[t]
        );
    }
}

/// One RFC 4180 record without line breaks inside quotes (the export has none).
fn rfc4180_record(line: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                cells.last_mut().unwrap().push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => cells.push(String::new()),
            (c, _) => cells.last_mut().unwrap().push(c),
        }
    }
    assert!(!quoted, "unterminated quote in {line}");
    cells
}
