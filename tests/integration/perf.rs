//! The performance work's correctness checks: `jenga generate` writes a world that
//! validates, byte-identically for a seed, refuses bad specs and input directories;
//! and the Python peer of `jenga chokepoints` (benches/chokepoints.py) gives the same
//! ranking as jenga on a generated world and on stacks/ (skipped without python3 and
//! PyYAML, unless JENGA_REQUIRE_PYYAML=1).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::{jenga_in, root};

fn generate(dir: &Path, extra: &[&str]) {
    let out = dir.to_str().unwrap();
    let mut args = vec![
        "generate",
        "--countries",
        "4",
        "--nodes",
        "150",
        "--suppliers",
        "200",
        "--unknown",
        "0.1",
        "--cycles",
        "0.1",
        "-o",
        out,
    ];
    args.extend_from_slice(extra);
    let r = jenga_in(root(), &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

fn texts(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| {
            (
                p.file_name().unwrap().into(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn generate_writes_a_valid_deterministic_world() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    generate(&a, &[]);
    generate(&b, &[]);
    assert_eq!(texts(&a), texts(&b), "same seed, same bytes");
    let check = jenga_in(
        root(),
        &["--stacks", a.to_str().unwrap(), "check", "--strict"],
    );
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stderr.contains("4 countries, 800 nodes"),
        "{}",
        check.stderr
    );
    // Regenerating over a world jenga wrote replaces it; another seed differs.
    generate(&a, &["--seed", "9"]);
    assert_ne!(texts(&a), texts(&b));
}

#[test]
fn generate_refuses_bad_specs_and_the_input_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("w");
    let out = out.to_str().unwrap();
    let r = jenga_in(root(), &["generate", "--cycles", "1.5", "-o", out]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--cycles"), "{}", r.stderr);
    let r = jenga_in(root(), &["generate", "--countries", "100000", "-o", out]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = jenga_in(root(), &["generate", "-o", "stacks/generated"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!root().join("stacks/generated").exists());
}

/// `python3` when it has PyYAML with libyaml, else `None` (or a failure when required).
fn python() -> Option<&'static str> {
    let ok = Command::new("python3")
        .args(["-c", "import yaml; assert yaml.__with_libyaml__"])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some("python3");
    }
    assert!(
        std::env::var_os("JENGA_REQUIRE_PYYAML").is_none(),
        "python3 with PyYAML (libyaml) is required"
    );
    eprintln!("skipped: python3 with PyYAML built against libyaml is not installed");
    None
}

fn same_ranking(stacks: &Path) {
    let Some(py) = python() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let j = jenga_in(
        root(),
        &[
            "--stacks",
            stacks.to_str().unwrap(),
            "chokepoints",
            "--format",
            "json",
        ],
    );
    assert_eq!(j.code, 0, "{}", j.stderr);
    let p = Command::new(py)
        .arg(root().join("benches/chokepoints.py"))
        .arg(stacks)
        .arg("--json")
        .output()
        .unwrap();
    assert!(p.status.success(), "{}", String::from_utf8_lossy(&p.stderr));
    let (jf, pf) = (tmp.path().join("j.json"), tmp.path().join("p.json"));
    std::fs::write(&jf, &j.stdout).unwrap();
    std::fs::write(&pf, &p.stdout).unwrap();
    let cmp = Command::new(py)
        .arg(root().join("benches/same_ranking.py"))
        .args([&jf, &pf])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&cmp.stdout);
    assert!(cmp.status.success(), "{}", said);
    assert!(said.starts_with("yes ("), "{said}");
    // The peer printed its phase times.
    let err = String::from_utf8_lossy(&p.stderr);
    for phase in ["load", "build", "sweep"] {
        assert!(err.contains(&format!("timing: {phase} ")), "{err}");
    }
    // And the rankings are not trivially empty.
    let v: serde_json::Value = serde_json::from_str(&j.stdout).unwrap();
    assert!(v["candidates"].as_u64().unwrap() > 10);
}

#[test]
fn the_python_peer_ranks_a_generated_world_as_jenga_does() {
    let tmp = tempfile::tempdir().unwrap();
    let w = tmp.path().join("w");
    generate(&w, &[]);
    same_ranking(&w);
}

#[test]
fn the_python_peer_ranks_the_real_stacks_as_jenga_does() {
    same_ranking(&root().join("stacks"));
}

#[test]
fn timings_go_to_stderr_only_when_asked() {
    let run = |timings: bool| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_jenga"));
        c.current_dir(root())
            .args(["chokepoints", "--top", "3", "--format", "json"]);
        if timings {
            c.env("JENGA_TIMINGS", "1");
        } else {
            c.env_remove("JENGA_TIMINGS");
        }
        c.output().unwrap()
    };
    let (on, off) = (run(true), run(false));
    assert_eq!(on.stdout, off.stdout, "results never change");
    let err = String::from_utf8_lossy(&on.stderr);
    for phase in ["load", "validate", "build", "prepare", "sweep", "output"] {
        assert!(err.contains(&format!("timing: {phase} ")), "{err}");
    }
    assert!(!String::from_utf8_lossy(&off.stderr).contains("timing:"));
}
