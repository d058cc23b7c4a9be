//! Brute force: on random models, every subset of candidates is checked with the
//! failure cascade (`analysis::cascade`, the semantics every other command uses) and,
//! as a second oracle, with a plain greatest-fixpoint evaluator written here; both are
//! independent of the BDD machinery, and they must agree with each other too.

use std::fmt::Write as _;

use super::tree::FaultTree;
use super::*;
use crate::graph::GroupKind;

/// xorshift64*: a tiny deterministic generator, so failures are reproducible by seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick(&mut self, pool: &[String], k: usize) -> Vec<String> {
        let mut pool = pool.to_vec();
        let mut out = Vec::new();
        for _ in 0..k.min(pool.len()) {
            out.push(pool.swap_remove(self.below(pool.len())));
        }
        out
    }
}

/// A random model: `leaves` raw inputs and organizations, `inner` nodes with random
/// required / any / at-least / unknown groups over any node (cycles included).
fn random_model(rng: &mut Rng, leaves: usize, inner: usize) -> String {
    let orgs = leaves / 4;
    let mut y = String::from("organizations:\n");
    for o in 0..orgs {
        let _ = writeln!(y, "  - {{id: o{o}, name: O{o}, jurisdiction: US}}");
    }
    if orgs == 0 {
        y.clear();
    }
    y.push_str("nodes:\n");
    for l in 0..leaves - orgs {
        let _ = writeln!(y, "  - {{id: l{l}, name: L{l}}}");
    }
    let all: Vec<String> = (0..orgs)
        .map(|o| format!("o{o}"))
        .chain((0..leaves - orgs).map(|l| format!("l{l}")))
        .chain((0..inner).map(|m| format!("m{m}")))
        .collect();
    for m in 0..inner {
        let me = format!("m{m}");
        let others: Vec<String> = all.iter().filter(|x| **x != me).cloned().collect();
        let _ = write!(y, "  - id: {me}\n    name: M{m}\n");
        if orgs > 0 && rng.below(4) == 0 {
            let _ = writeln!(y, "    org: o{}", rng.below(orgs));
        }
        let groups = 1 + rng.below(3);
        let mut pool = others.clone();
        y.push_str("    needs:\n");
        for _ in 0..groups {
            let kind = rng.below(4);
            let size = match kind {
                0 => 1,
                3 => rng.below(3),
                _ => 2 + rng.below(3),
            };
            let members = rng.pick(&pool, size);
            pool.retain(|p| !members.contains(p));
            let list = members.join(", ");
            match kind {
                0 if !members.is_empty() => {
                    let _ = writeln!(y, "      - {list}");
                }
                1 if !members.is_empty() => {
                    let _ = writeln!(y, "      - any: [{list}]");
                }
                2 if !members.is_empty() => {
                    let k = 1 + rng.below(members.len());
                    let _ = writeln!(y, "      - at-least: {k}\n        of: [{list}]");
                }
                _ => {
                    let _ = writeln!(y, "      - unknown: tbd\n        among: [{list}]");
                }
            }
        }
    }
    y
}

fn world_of(yaml: &str) -> World {
    crate::graph::from_yaml(&[yaml])
}

/// Whether `target` fails when `removed` are removed: the greatest fixpoint, by
/// iterating "a working node stops working when a group fails" until nothing changes.
fn fails_naive(w: &World, removed: &[bool], target: NodeIdx) -> bool {
    let mut works: Vec<bool> = removed.iter().map(|r| !r).collect();
    loop {
        let mut changed = false;
        for v in w.indices() {
            if !works[v.index()] {
                continue;
            }
            let holds = |g: &crate::graph::Group| {
                let up = g.members.iter().filter(|m| works[m.index()]).count();
                match g.kind {
                    GroupKind::Unknown { closed, .. } => !closed || up > 0,
                    _ => up >= g.need as usize,
                }
            };
            if !w.node(v).needs.iter().all(holds) {
                works[v.index()] = false;
                changed = true;
            }
        }
        if !changed {
            return !works[target.index()];
        }
    }
}

/// Whether `target` fails when `removed` are removed, according to the cascade
/// (its optimistic reading of unknown groups, the one cut sets are computed for),
/// asserted equal to the naive fixpoint.
fn fails(
    w: &World,
    cascade: &crate::analysis::cascade::Cascade<'_>,
    ws: &mut crate::analysis::cascade::Workspace,
    removed: &[bool],
    target: NodeIdx,
) -> bool {
    let list: Vec<NodeIdx> = w.indices().filter(|i| removed[i.index()]).collect();
    cascade.evaluate_in(ws, &list);
    let by_cascade = ws.status(target) == crate::analysis::NodeStatus::Failed;
    assert_eq!(
        by_cascade,
        fails_naive(w, removed, target),
        "cascade and naive fixpoint disagree on {} with {:?}",
        w.node(target).id,
        list.iter().map(|&i| &w.node(i).id).collect::<Vec<_>>()
    );
    by_cascade
}

/// Every minimal failing subset of the candidates, by enumeration of all subsets.
fn brute_force(w: &World, cand: &[NodeIdx], target: NodeIdx) -> Vec<Vec<String>> {
    let n = cand.len();
    let cascade = crate::analysis::cascade::Cascade::new(w);
    let mut ws = crate::analysis::cascade::Workspace::new();
    let removed_of = |mask: u32| {
        let mut r = vec![false; w.len()];
        for (b, c) in cand.iter().enumerate() {
            if mask >> b & 1 == 1 {
                r[c.index()] = true;
            }
        }
        r
    };
    let fail: Vec<bool> = (0..1u32 << n)
        .map(|m| fails(w, &cascade, &mut ws, &removed_of(m), target))
        .collect();
    let mut out = Vec::new();
    for m in 0..1u32 << n {
        if fail[m as usize] && (0..n).all(|b| m >> b & 1 == 0 || !fail[(m & !(1 << b)) as usize]) {
            let mut ids: Vec<String> = (0..n)
                .filter(|b| m >> b & 1 == 1)
                .map(|b| w.node(cand[b]).id.clone())
                .collect();
            ids.sort();
            out.push(ids);
        }
    }
    out.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    out
}

fn check(seed: u64, leaves: usize, inner: usize, all: bool) {
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let yaml = random_model(&mut rng, leaves, inner);
    let w = world_of(&yaml);
    let pick: Vec<bool> = w
        .indices()
        .map(|i| all || w.node(i).is_org() || w.node(i).needs.is_empty())
        .collect();
    let cand: Vec<NodeIdx> = w.indices().filter(|i| pick[i.index()]).collect();
    let target = w.lookup(&format!("m{}", rng.below(inner))).unwrap();
    let expected = brute_force(&w, &cand, target);
    for max_order in [None, Some(1), Some(2), Some(3)] {
        let got = cut_sets(&w, &Target::Node(target), &pick, max_order).unwrap();
        let got: Vec<Vec<String>> = got
            .sets
            .iter()
            .map(|s| s.iter().map(|&i| w.node(i).id.clone()).collect())
            .collect();
        let want: Vec<Vec<String>> = expected
            .iter()
            .filter(|s| max_order.is_none_or(|k| s.len() <= k))
            .cloned()
            .collect();
        assert_eq!(
            got,
            want,
            "seed {seed}, target {}, max order {max_order:?}\n{yaml}",
            w.node(target).id
        );
    }
}

#[test]
fn random_models_agree_with_brute_force_over_leaves() {
    for seed in 0..300 {
        let leaves = 3 + (seed as usize % 12); // up to 14 leaves
        check(seed, leaves, 4 + (seed as usize % 7), false);
    }
}

#[test]
fn random_models_agree_with_brute_force_over_all_nodes() {
    for seed in 1000..1200 {
        let leaves = 2 + (seed as usize % 6);
        let inner = 3 + (seed as usize % 6); // at most 13 candidates
        check(seed, leaves, inner, true);
    }
}

#[test]
fn a_cycle_stays_up_unless_something_in_it_falls() {
    // a and b need each other and one leaf each (p, q): the cycle alone never fails.
    let w = world_of(
        "nodes:\n  - {id: p, name: P}\n  - {id: q, name: Q}\n  - {id: a, name: A, needs: [b, p]}\n  - {id: b, name: B, needs: [a, q]}\n  - id: t\n    name: T\n    needs:\n      - any: [a, b]\n",
    );
    let pick: Vec<bool> = w.indices().map(|i| w.node(i).needs.is_empty()).collect();
    let r = cut_sets(&w, &Target::Node(w.lookup("t").unwrap()), &pick, None).unwrap();
    let ids: Vec<Vec<&str>> = r
        .sets
        .iter()
        .map(|s| s.iter().map(|&i| w.node(i).id.as_str()).collect())
        .collect();
    assert_eq!(ids, vec![vec!["p"], vec!["q"]]);
}

#[test]
fn the_order_limit_prunes_the_computation() {
    // (a1 ∨ … ∨ a6) ∧ (b1 ∨ … ∨ b6) ∧ (c1 ∨ … ∨ c6) ∧ (d1 ∨ (e1 ∧ e2)): the inputs
    // share nothing, so each is a module. All sets have order 4 or 5.
    let mut t = FaultTree::new();
    let mut ors = Vec::new();
    for p in ["a", "b", "c"] {
        let xs: Vec<u32> = (1..=6).map(|i| t.basic(&format!("{p}{i}"))).collect();
        ors.push(t.gate(1, xs, p));
    }
    let d = t.basic("d1");
    let e1 = t.basic("e1");
    let e2 = t.basic("e2");
    let e = t.gate(2, vec![e1, e2], "e");
    ors.push(t.gate(1, vec![d, e], "d"));
    t.root = t.gate(4, ors, "top");
    let all = minimal_cut_sets(&t, None);
    assert_eq!(all.sets.len(), 6 * 6 * 6 * 2);
    assert!(all.stats.modules >= 4, "{:?}", all.stats);
    let four = minimal_cut_sets(&t, Some(4));
    assert_eq!(four.sets.len(), 6 * 6 * 6);
    assert!(four.sets.iter().all(|s| s.len() == 4));
    let three = minimal_cut_sets(&t, Some(3));
    assert!(three.sets.is_empty());
    // Pruned inside the recursion: fewer ZBDD nodes are ever made.
    assert!(
        three.stats.zbdd_nodes < four.stats.zbdd_nodes,
        "{:?} {:?}",
        three.stats,
        four.stats
    );
    // (With 4, the order-5 sets are cut while expanding module d into e1 and e2.)
}
