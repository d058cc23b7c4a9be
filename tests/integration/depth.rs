//! Depth and budgets (issue 17): deep or explosive inputs end within 60 s of CPU and
//! 2 GiB of address space (`prlimit`, as the hostile battery runs), with exit 0 or
//! exit 1 and a message — never a stack overflow, an allocation abort or a kill.
//!
//! The chain is `jenga generate --chain N` (`synth::chain`: `c0` ← `c1` ← … ←
//! `c{N-1}` ← `chipco`, in 100 files). N is 50,000 in debug builds (what `cargo test`
//! makes: the unoptimised loader takes about 3 s for it, and every walk that recursed
//! once per node overflowed the 8 MiB stack well before), 200,000 in release builds
//! (`cargo test --release`), or `JENGA_CHAIN` (`JENGA_CHAIN=1000000 cargo test
//! --release depth` is the million-node run).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::harness::{Outcome, jenga_in, root};
use crate::hostile::{limited_to, within_memory};

const GIB: u64 = 1 << 30;

fn chain_len() -> usize {
    std::env::var("JENGA_CHAIN")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if cfg!(debug_assertions) {
            50_000
        } else {
            200_000
        })
}

type Slot = OnceLock<(tempfile::TempDir, PathBuf)>;

/// A world from `jenga generate ARGS`, made once per test binary in `slot`.
fn generated(args: &[String], slot: &'static Slot) -> &'static Path {
    &slot
        .get_or_init(|| {
            let tmp = tempfile::tempdir().unwrap();
            let dir = tmp.path().join("w");
            let mut all: Vec<&str> = vec!["generate"];
            all.extend(args.iter().map(String::as_str));
            all.extend(["-o", dir.to_str().unwrap()]);
            let r = jenga_in(root(), &all);
            assert_eq!(r.code, 0, "{}", r.stderr);
            (tmp, dir)
        })
        .1
}

fn chain() -> &'static Path {
    static SLOT: Slot = OnceLock::new();
    generated(&["--chain".to_owned(), chain_len().to_string()], &SLOT)
}

fn pairs(k: usize, slot: &'static Slot) -> &'static Path {
    generated(&["--any-pairs".to_owned(), k.to_string()], slot)
}

/// Runs `jenga --stacks DIR ARGS` under 2 GiB and 60 s of CPU, asserting both and
/// that the process was not killed, and that it ended with exit 0 or 1.
fn run(dir: &Path, args: &[&str]) -> Outcome {
    let mut all = vec!["--stacks", dir.to_str().unwrap()];
    all.extend_from_slice(args);
    let out = within_memory(limited_to(root(), &all, &[], 2 * GIB, 60), 60, 2 * GIB);
    assert!(
        !out.stderr.contains("overflow") && !out.stderr.contains("panicked"),
        "{}",
        out.stderr
    );
    assert!(
        out.code == 0 || out.code == 1,
        "exit {}: {}",
        out.code,
        out.stderr
    );
    out
}

fn last() -> String {
    format!("c{}", chain_len() - 1)
}

#[test]
fn a_long_chain_checks() {
    let out = run(chain(), &["check"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!("{} nodes", chain_len())),
        "{}",
        out.stderr
    );
}

#[test]
fn why_follows_a_long_chain() {
    let out = run(chain(), &["why", "XA", &last(), "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let paths = v["paths"].as_array().unwrap();
    assert_eq!(paths.len(), 1);
    assert_eq!(paths[0]["length"], chain_len() - 1);
    assert_eq!(paths[0]["hard"], true);
}

#[test]
fn dependents_and_scenario_on_a_long_chain() {
    let out = run(chain(), &["dependents", &last()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains(&format!("{} dependent nodes", chain_len() - 1)),
        "{}",
        &out.stdout[..out.stdout.len().min(500)]
    );
    // The owner and every link fail.
    let out = run(chain(), &["scenario", "--remove", "chipco"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains(&format!("1 removed, {} failed", chain_len() + 1)),
        "{}",
        &out.stdout[..out.stdout.len().min(500)]
    );
}

#[test]
fn cutsets_of_a_long_chain() {
    // Over the leaves: the chip's owner alone.
    let out = run(chain(), &["cutsets", "XA", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["sets"], serde_json::json!([["chipco"]]));
    // Over every node: each link alone, and the owner: N + 1 sets of order 1, listed
    // within the print bound or counted beyond it.
    let n = chain_len() + 1;
    let out = run(
        chain(),
        &[
            "cutsets",
            "XA",
            "--over",
            "all",
            "--max-sets",
            "100000",
            "--format",
            "json",
        ],
    );
    if n <= 100_000 {
        assert_eq!(out.code, 0, "{}", out.stderr);
        let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(v["total"], n);
    } else {
        assert_eq!(out.code, 1, "{}", out.stderr);
        assert!(
            out.stderr
                .contains(&format!("there are {n} minimal cut sets")),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn chokepoints_of_a_long_chain_share_one_cascade() {
    let out = run(chain(), &["chokepoints", "--top", "5", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let rows = v["ranking"].as_array().or_else(|| v.as_array()).unwrap();
    assert_eq!(rows.len(), 5);
    // Every link fails the one capability; ties by id.
    for r in rows {
        assert_eq!(r["capabilities_failed"], 1, "{r}");
        assert_eq!(r["exposure"], 1, "{r}");
    }
    assert_eq!(rows[0]["id"], "c1");
}

#[test]
fn the_builtin_layout_refuses_a_huge_tower() {
    let out = run(chain(), &["render", "XA", "--engine", "builtin"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("more than the built-in layout draws")
            && out.stderr.contains("--engine graphviz"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stdout, "");
}

#[test]
fn two_to_the_thirty_cut_sets_are_counted_not_listed() {
    static SLOT: Slot = OnceLock::new();
    let dir = pairs(30, &SLOT);
    let out = run(dir, &["cutsets", "XA"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("there are 1073741824 minimal cut sets, more than the 100000 jenga lists")
            && out.stderr.contains("--max-order"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stdout, "");
    // With an order limit, the count by order; below the order of every set, none.
    let out = run(dir, &["cutsets", "XA", "--max-order", "30"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("(1073741824 of order 30)"),
        "{}",
        out.stderr
    );
    let out = run(
        dir,
        &["cutsets", "XA", "--max-order", "29", "--format", "json"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["total"], 0);
}

#[test]
fn the_decision_diagram_budget_stops_the_computation() {
    static SLOT: Slot = OnceLock::new();
    let dir = pairs(10, &SLOT);
    // Within the budgets: every one of the 2^10 sets (one chip of each pair).
    let out = run(dir, &["cutsets", "XA", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["total"], 1024);
    // Over every node: 3^10 + 1 sets, counted beyond a bound of 10.
    let out = run(dir, &["cutsets", "XA", "--over", "all", "--max-sets", "10"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("there are 59050 minimal cut sets"),
        "{}",
        out.stderr
    );
    let out = run(
        dir,
        &["cutsets", "XA", "--over", "all", "--max-bdd-nodes", "10"],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("more than 10 nodes and memo entries")
            && out.stderr.contains("--max-bdd-nodes"),
        "{}",
        out.stderr
    );
}

/// The Aralia tree `edf9206` (issue 17: 8.8 GB resident, killed), when the benchmark
/// folder (`JENGA_FAULT_TREES`) holds it as `edf9206.xml` and
/// `edf9206-basic-events.xml`: imported, then `cutsets r1` under 2 GiB and 60 s of CPU
/// ends with exit 0, or exit 1 and a budget message — never killed or aborted. The
/// folder of this project's benchmarks holds chinese, baobab1 and baobab2 only, so the
/// test says it skipped (even with `JENGA_REQUIRE_FAULT_TREES=1`) until the tree is added.
#[test]
fn the_aralia_tree_edf9206_ends_within_the_budgets() {
    let Some(ft) = std::env::var_os("JENGA_FAULT_TREES").map(PathBuf::from) else {
        eprintln!("skipped: JENGA_FAULT_TREES is not set");
        return;
    };
    let files = [ft.join("edf9206.xml"), ft.join("edf9206-basic-events.xml")];
    if !files.iter().all(|f| f.is_file()) {
        eprintln!(
            "skipped: {} holds no edf9206.xml / edf9206-basic-events.xml",
            ft.display()
        );
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let stacks = tmp.path().join("stacks");
    std::fs::create_dir(&stacks).unwrap();
    let out = stacks.join("model.yaml");
    let mut args = vec!["import".to_owned(), "open-psa".to_owned()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    args.extend(["-o".to_owned(), out.display().to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = jenga_in(tmp.path(), &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(&stacks, &["cutsets", "r1"]);
    if r.code == 1 {
        assert!(
            r.stderr.contains("--max-bdd-nodes")
                || r.stderr.contains("--max-sets")
                || r.stderr.contains("--max-order"),
            "{}",
            r.stderr
        );
    }
}

/// The in-process depth tests: a 1,000,000-node chain (`synth::chain`), parsed,
/// validated and built through the library once per test binary, then each command's
/// analysis run on it. The process tests above check the commands' exits and limits on
/// the smaller chain; these check that no walk recurses once per node at a million
/// nodes, in the normal `cargo test` (the world is built in seconds where a debug
/// `jenga` process would load its 82 MB for a minute per command).
mod million {
    use std::path::Path;
    use std::sync::OnceLock;
    use std::time::Duration;

    use jenga::analysis::cascade::Cascade;
    use jenga::analysis::chokepoints::{By, chokepoints};
    use jenga::analysis::cutsets::tree::Target;
    use jenga::analysis::cutsets::{Budget, CutSetError, Refused, cut_sets_within};
    use jenga::analysis::paths::{dependents, why};
    use jenga::graph::World;
    use jenga::load::{Limits, Loaded, LoadedFile, parse_bytes};
    use jenga::model::Need;
    use jenga::render::tower::{Marks, tower};
    use jenga::render::{Figure, RenderError, SvgEngine};
    use rayon::prelude::*;

    const N: usize = 1_000_000;

    /// The chain of `synth::chain(N, 100)`, made without parsing 82 MB of YAML (which
    /// the unoptimised deserializer takes minutes on): its first file is parsed, each
    /// other link is a copy of a parsed link with its id, name and need set, 10,000
    /// links per file. Then validated and built as `check` does.
    fn world() -> &'static World {
        static WORLD: OnceLock<World> = OnceLock::new();
        WORLD.get_or_init(|| {
            let limits = Limits::default();
            let parse = |f: jenga::synth::File| {
                parse_bytes(Path::new(&f.name), f.text.into_bytes(), &limits)
                    .unwrap_or_else(|d| panic!("{}", d.render(false)))
            };
            let mut sample = jenga::synth::chain(3, 1).into_iter();
            let country = parse(sample.next().unwrap());
            // c0 (the capability), c1 (a link), c2 (the chip, owned by chipco).
            let three = parse(sample.next().unwrap());
            let [cap, link, chip] = <[_; 3]>::try_from(three.data.nodes.clone()).unwrap();
            let per = N / 100;
            let mut files: Vec<LoadedFile> = (0..100)
                .into_par_iter()
                .map(|f| {
                    let mut file = three.clone();
                    file.data.nodes = (f * per..(f + 1) * per)
                        .map(|i| {
                            let mut n = if i == 0 {
                                cap.clone()
                            } else if i + 1 == N {
                                chip.clone()
                            } else {
                                link.clone()
                            };
                            n.value.id.value = format!("c{i}").into();
                            n.value.name.value = format!("C {i}").into();
                            if let Some(need) = n.value.needs.first_mut() {
                                need.value = Need::Id(format!("c{}", i + 1).into());
                            }
                            n
                        })
                        .collect();
                    file
                })
                .collect();
            files.insert(0, country);
            let loaded = Loaded {
                files,
                ..Loaded::default()
            };
            let diags = jenga::validate::validate(&loaded, &limits);
            assert!(!diags.has_errors(true), "{diags:?}");
            jenga::graph::build::build_owned(loaded.files).unwrap()
        })
    }

    fn idx(id: &str) -> jenga::graph::NodeIdx {
        world().lookup(id).unwrap()
    }

    #[test]
    fn check_builds_a_million_node_chain() {
        let w = world();
        // N links and the organization.
        assert_eq!(w.len(), N + 1);
        assert_eq!(w.country("XA").unwrap().capabilities, vec![idx("c0")]);
    }

    #[test]
    fn why_follows_a_million_node_chain() {
        let w = world();
        let r = why(w, &[idx("c0")], idx(&format!("c{}", N - 1)), 10);
        assert_eq!(r.paths.len(), 1);
        assert_eq!(r.paths[0].length, N - 1);
        assert!(r.paths[0].hard);
        assert_eq!(r.paths[0].hops.len(), N);
    }

    #[test]
    fn dependents_of_the_bottom_of_a_million_node_chain() {
        let cascade = Cascade::new(world());
        let r = dependents(&cascade, idx(&format!("c{}", N - 1)));
        assert_eq!(r.total, N - 1);
    }

    #[test]
    fn cutsets_of_a_million_node_chain() {
        let w = world();
        let target = Target::Node(idx("c0"));
        // Over the leaves: the owner alone.
        let leaves: Vec<bool> = w
            .indices()
            .map(|i| w.node(i).is_org() || w.node(i).needs.is_empty())
            .collect();
        let budget = Budget {
            max_order: None,
            max_sets: Budget::DEFAULT_MAX_SETS,
            max_nodes: Budget::DEFAULT_MAX_NODES,
        };
        let r = cut_sets_within(w, &target, &leaves, &budget).unwrap();
        let ids: Vec<Vec<&str>> = r
            .sets
            .iter()
            .map(|s| s.iter().map(|&i| w.node(i).id.as_str()).collect())
            .collect();
        assert_eq!(ids, vec![vec!["chipco"]]);
        // Over every node: N + 1 sets of order 1, counted beyond the print bound, or
        // a tree beyond the largest the solver takes: refused with a message either
        // way, never a stack overflow.
        let all = vec![true; w.len()];
        match cut_sets_within(w, &target, &all, &budget) {
            Err(CutSetError::Refused(Refused::Sets { count, .. })) => {
                assert_eq!(count, (N + 1) as u128);
            }
            Err(CutSetError::Refused(r @ Refused::TooLarge { .. })) => {
                assert!(r.to_string().contains("--over"), "{r}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn chokepoints_of_a_million_node_chain() {
        let cascade = Cascade::new(world());
        let r = chokepoints(&cascade, By::Node, Some(5));
        assert_eq!(r.ranking.len(), 5);
        for row in &r.ranking {
            assert_eq!(row.capabilities_failed, 1, "{row:?}");
            assert_eq!(row.exposure, 1, "{row:?}");
        }
        assert_eq!(r.ranking[0].id, "c1");
    }

    #[test]
    fn the_builtin_layout_refuses_a_million_node_tower() {
        let marks = Marks {
            chokepoints: &[],
            chokepoint_top: 0,
            overlay: None,
        };
        let d = tower(world(), "XA", &marks).unwrap();
        let err = Figure::Diagram(d)
            .to_svg(SvgEngine::Builtin, Duration::from_secs(1))
            .unwrap_err();
        assert!(
            matches!(err, RenderError::TooLarge { nodes, .. } if nodes >= N),
            "{err}"
        );
        assert!(err.to_string().contains("--engine graphviz"), "{err}");
    }
}
