//! Runs the `jenga` binary in `tests/fixtures` and compares its output with expected files.

use std::path::{Path, PathBuf};
use std::process::Command;

use jenga::graph::{GroupKind, NodeIdx, World};

/// The repository root (where `stacks/`, `scenarios/` and `output/` are).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The `*.yaml` files directly in `dir`, sorted.
pub fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    v.sort();
    v
}

/// The fixtures directory; commands run there so paths in messages are short and stable.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
}

/// What a run produced.
#[derive(Debug)]
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `jenga ARGS` in `dir` (relative to the fixtures), without colour.
pub fn jenga_in(dir: &Path, args: &[&str]) -> Outcome {
    let out = Command::new(env!("CARGO_BIN_EXE_jenga"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the jenga binary runs");
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `jenga ARGS` in the fixtures directory.
pub fn jenga(args: &[&str]) -> Outcome {
    jenga_in(&fixtures(), args)
}

/// Compares `actual` with the file at `path`; with `JENGA_BLESS=1`, rewrites the file.
pub fn expect_file(path: &Path, actual: &str) {
    if std::env::var_os("JENGA_BLESS").is_some() {
        std::fs::write(path, actual).expect("bless writes the expected file");
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_else(|_| {
        panic!(
            "{} is missing; run `JENGA_BLESS=1 cargo test` to create it",
            path.display()
        )
    });
    assert_eq!(
        actual,
        expected,
        "output differs from {} (rerun with JENGA_BLESS=1 to accept a deliberate change)",
        path.display()
    );
}

/// The naive greatest fixpoint of one reading of the failure semantics
/// (ARCHITECTURE.md), an oracle independent of `jenga::analysis::cascade`: everything
/// works but the removed nodes; re-evaluate every node until nothing changes. An open
/// `unknown` (no list, or a list not marked `closed`) always holds optimistically; a
/// closed one while a candidate works. Pessimistically every candidate must work and,
/// for an open one, no removed node could be it ([`could_be`]). O(V · (V + E)).
pub fn naive(w: &World, removed: &[NodeIdx], pessimistic: bool) -> Vec<bool> {
    let mut works = vec![true; w.len()];
    for r in removed {
        works[r.index()] = false;
    }
    loop {
        let mut changed = false;
        for i in w.indices() {
            if !works[i.index()] {
                continue;
            }
            let holds = w.node(i).needs.iter().all(|g| {
                let up = g.members.iter().filter(|m| works[m.index()]).count();
                let GroupKind::Unknown { layer, closed, .. } = g.kind else {
                    return up >= g.need as usize;
                };
                if !pessimistic {
                    !closed || up >= 1
                } else {
                    up == g.members.len()
                        && (closed || !removed.iter().any(|&r| could_be(w, r, layer)))
                }
            });
            if !holds {
                works[i.index()] = false;
                changed = true;
            }
        }
        if !changed {
            return works;
        }
    }
}

/// Whether removing `r` could be an open `unknown` of `layer` (`None`: any layer),
/// straight from the definition: `r` is of that layer, or owns a component of it
/// through a chain of `org` and `parent`. O(V · V) at worst.
pub fn could_be(w: &World, r: NodeIdx, layer: Option<jenga::model::Layer>) -> bool {
    let Some(layer) = layer else { return true };
    w.indices().any(|v| {
        if w.node(v).layer != Some(layer) {
            return false;
        }
        let mut cur = Some(v);
        for _ in 0..=w.len() {
            let Some(c) = cur else { return false };
            if c == r {
                return true;
            }
            cur = if c == v {
                w.node(c).org
            } else {
                w.node(c)
                    .needs
                    .iter()
                    .find(|g| g.kind == GroupKind::Parent)
                    .and_then(|g| g.members.first().copied())
            };
        }
        false
    })
}
