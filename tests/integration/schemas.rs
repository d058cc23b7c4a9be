//! The two JSON Schemas (stack files, scenario files) checked by a validator no one
//! here wrote: ajv, in its default strict mode, compiles both without a warning and
//! accepts every committed file; YAML 1.1 booleans in `needs` fail it as they fail
//! `jenga check`; `jenga new country -o` points its schema line at the committed
//! schema from wherever the file goes.
//!
//! ajv (npm `ajv-cli`) is skipped when missing unless `JENGA_REQUIRE_AJV=1` (CI).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::{expect_file, jenga, jenga_in, root, yaml_files};

/// The `ajv` command of ajv-cli, if installed.
fn ajv() -> Option<PathBuf> {
    let ok = Command::new("ajv")
        .arg("help")
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then(|| PathBuf::from("ajv"))
}

/// ajv when installed; `None` (after saying so) when it is not and CI does not
/// require it.
fn ajv_or_skip() -> Option<PathBuf> {
    let found = ajv();
    if found.is_none() {
        assert!(
            std::env::var_os("JENGA_REQUIRE_AJV").is_none(),
            "ajv (npm ajv-cli) is missing"
        );
        eprintln!("skipped: ajv (npm ajv-cli) is not installed");
    }
    found
}

/// Runs ajv with `args`; (success, stdout and stderr together).
fn run_ajv(ajv: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(ajv).args(args).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn committed_scenario_schema_is_fresh() {
    let out = jenga(&["schema", "--scenario"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    expect_file(&root().join("scenarios/schema.json"), &out.stdout);
    let files = yaml_files(&root().join("scenarios"));
    assert!(files.len() >= 5);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        assert!(
            text.starts_with("# yaml-language-server: $schema=schema.json\n"),
            "{} does not name scenarios/schema.json",
            f.display()
        );
    }
}

#[test]
fn ajv_strict_compiles_both_schemas_without_a_warning() {
    let Some(ajv) = ajv_or_skip() else { return };
    for schema in ["stacks/schema.json", "scenarios/schema.json"] {
        let path = root().join(schema);
        let (ok, text) = run_ajv(&ajv, &["compile", "--spec=draft7", "-s", path_str(&path)]);
        assert!(ok, "ajv rejects {schema}: {text}");
        assert!(
            !text.contains("strict mode") && !text.contains("unknown format"),
            "ajv warns on {schema}: {text}"
        );
    }
}

#[test]
fn ajv_accepts_every_stack_and_scenario_file() {
    let Some(ajv) = ajv_or_skip() else { return };
    let mut files = 0;
    for (schema, dir) in [
        ("stacks/schema.json", "stacks"),
        ("scenarios/schema.json", "scenarios"),
    ] {
        let schema = root().join(schema);
        for f in yaml_files(&root().join(dir)) {
            let (ok, text) = run_ajv(
                &ajv,
                &[
                    "validate",
                    "--spec=draft7",
                    "-s",
                    path_str(&schema),
                    "-d",
                    path_str(&f),
                ],
            );
            assert!(ok, "ajv rejects {}: {text}", f.display());
            assert!(!text.contains("strict mode"), "{text}");
            files += 1;
        }
    }
    assert!(files >= 20, "only {files} files validated");
}

/// Every spelling of a YAML 1.1 boolean, in needs: `check` rejects each (the loader
/// reads YAML 1.1), and so does the schema, read by the Rust validator and by ajv
/// (whose YAML reader, like an editor's, sees the string).
#[test]
fn yaml_11_booleans_in_needs_fail_the_schema_as_they_fail_check() {
    let ajv = ajv_or_skip();
    let dir = tempfile::tempdir().unwrap();
    let stacks = dir.path().join("stacks");
    std::fs::create_dir(&stacks).unwrap();
    let schema_path = root().join("stacks/schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&schema_path).unwrap()).unwrap();
    let validator = jsonschema::draft7::new(&schema).unwrap();
    let file = stacks.join("t.yaml");
    let words = [
        "yes", "Yes", "YES", "yEs", "y", "Y", "no", "No", "NO", "n", "N", "on", "On", "ON", "oN",
        "off", "Off", "OFF", "oFf",
    ];
    for word in words {
        std::fs::write(
            &file,
            format!("nodes:\n  - id: node-x\n    name: Node X\n    needs: [{word}]\n"),
        )
        .unwrap();
        let check = jenga_in(dir.path(), &["check"]);
        assert_eq!(check.code, 1, "check accepts needs: [{word}]");
        assert!(
            check.stderr.contains("t.yaml:4:13"),
            "{word}: {}",
            check.stderr
        );
        // The editor's reading: YAML 1.2, where the word is a string.
        let as_json = serde_json::json!({
            "nodes": [{ "id": "node-x", "name": "Node X", "needs": [word] }]
        });
        assert!(
            !validator.is_valid(&as_json),
            "the schema accepts needs: [{word}]"
        );
        if let Some(ajv) = &ajv {
            let (ok, text) = run_ajv(
                ajv,
                &[
                    "validate",
                    "--spec=draft7",
                    "-s",
                    path_str(&schema_path),
                    "-d",
                    path_str(&file),
                ],
            );
            assert!(!ok, "ajv accepts needs: [{word}]: {text}");
        }
    }
    // Ids that merely start with those letters stay valid in both.
    for word in ["yesterday", "nvidia", "onnx", "offload", "y2"] {
        std::fs::write(
            &file,
            format!(
                "nodes:\n  - id: node-x\n    name: Node X\n    needs: [{word}]\n  - {{id: {word}, name: W}}\n"
            ),
        )
        .unwrap();
        let check = jenga_in(dir.path(), &["check"]);
        assert_eq!(check.code, 0, "{word}: {}", check.stderr);
        let as_json = serde_json::json!({
            "nodes": [
                { "id": "node-x", "name": "Node X", "needs": [word] },
                { "id": word, "name": "W" }
            ]
        });
        assert!(
            validator.is_valid(&as_json),
            "the schema rejects needs: [{word}]"
        );
    }
}

#[test]
fn scenario_schema_rejects_what_a_scenario_cannot_be() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("scenarios/schema.json")).unwrap(),
    )
    .unwrap();
    let v = jsonschema::draft7::new(&schema).unwrap();
    let ok = |text: &str| {
        let value: serde_json::Value = serde_saphyr::from_str(text).unwrap();
        v.is_valid(&value)
    };
    assert!(ok("name: N\nremovals:\n  - remove: nvidia\n"));
    assert!(ok(
        "name: N\ndescription: D\nremovals:\n  - {remove: jurisdiction:US, for: [AE, SG]}\n  - remove: layer:chips\n"
    ));
    for bad in [
        "removals:\n  - remove: nvidia\n",                    // no name
        "name: N\n",                                          // no removals
        "name: N\nremovals: []\n",                            // removes nothing
        "name: N\nremovals:\n  - remove: jurisdiction:USA\n", // not a code
        "name: N\nremovals:\n  - remove: jurisdiction:UK\n",  // unassigned
        "name: N\nremovals:\n  - remove: layer:chip\n",       // no such layer
        "name: N\nremovals:\n  - remove: nvidia\n    for: [XX1]\n", // not a code
        "name: N\nremovals:\n  - remove: nvidia\n    from: [AE]\n", // unknown field
        "name: N\nremoval:\n  - remove: nvidia\n",            // misspelt
    ] {
        assert!(!ok(bad), "the scenario schema accepts {bad:?}");
    }
}

/// `new country -o FILE` writes the path of `stacks/schema.json` relative to FILE's
/// folder, which is what the YAML language server resolves: in the stacks folder,
/// in a subfolder, and outside it.
#[test]
fn new_country_points_at_the_schema_from_wherever_the_file_goes() {
    let dir = tempfile::tempdir().unwrap();
    let stacks = dir.path().join("stacks");
    std::fs::create_dir_all(stacks.join("asia/south-east")).unwrap();
    std::fs::create_dir(dir.path().join("drafts")).unwrap();
    for f in ["suppliers.yaml", "sources.yaml", "schema.json"] {
        std::fs::copy(root().join("stacks").join(f), stacks.join(f)).unwrap();
    }
    let cases = [
        ("th", "stacks/th.yaml", "schema.json"),
        ("vn", "stacks/asia/vn.yaml", "../schema.json"),
        ("my", "stacks/asia/south-east/my.yaml", "../../schema.json"),
        ("ph", "drafts/ph.yaml", "../stacks/schema.json"),
        ("id", "id.yaml", "stacks/schema.json"),
    ];
    let committed = stacks.join("schema.json").canonicalize().unwrap();
    for (code, out, expected) in cases {
        let r = jenga_in(dir.path(), &["new", "country", code, "-o", out]);
        assert_eq!(r.code, 0, "{out}: {}", r.stderr);
        let file = dir.path().join(out);
        let text = std::fs::read_to_string(&file).unwrap();
        let first = text.lines().next().unwrap();
        assert_eq!(
            first,
            format!("# yaml-language-server: $schema={expected}"),
            "{out}"
        );
        let target = file
            .parent()
            .unwrap()
            .join(expected)
            .canonicalize()
            .unwrap();
        assert_eq!(target, committed, "{out}");
    }
    // The files inside `stacks/` load as part of it.
    let check = jenga_in(dir.path(), &["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}
