//! Unit tests of the cascade.

use super::*;
use crate::analysis::select::Selector;

pub(crate) fn world(yaml: &str) -> World {
    crate::graph::from_yaml(&[yaml])
}

fn statuses(w: &World, o: &Outcome) -> Vec<(String, &'static str)> {
    w.indices()
        .map(|i| (w.node(i).id.clone(), o.status(i).as_str()))
        .collect()
}

fn run(w: &World, ids: &[&str]) -> Outcome {
    let c = Cascade::new(w);
    let r: Vec<NodeIdx> = ids.iter().map(|i| w.lookup(i).unwrap()).collect();
    c.evaluate(&r)
}

fn st(w: &World, o: &Outcome, id: &str) -> &'static str {
    o.status(w.lookup(id).unwrap()).as_str()
}

#[test]
fn any_and_at_least() {
    let w = world(
        "nodes:\n  - {id: a, name: A}\n  - {id: b, name: B}\n  - {id: c, name: C}\n  - {id: x, name: X, needs: [{any: [a, b]}]}\n  - {id: y, name: Y, needs: [{at-least: 2, of: [a, b, c]}]}\n  - {id: z, name: Z, needs: [x]}\n",
    );
    let o = run(&w, &["a"]);
    assert_eq!(st(&w, &o, "x"), "degraded");
    assert_eq!(st(&w, &o, "y"), "degraded");
    assert_eq!(st(&w, &o, "z"), "degraded");
    assert_eq!(st(&w, &o, "c"), "intact");
    let o = run(&w, &["a", "b"]);
    assert_eq!(st(&w, &o, "x"), "failed");
    assert_eq!(st(&w, &o, "y"), "failed");
    assert_eq!(st(&w, &o, "z"), "failed");
    assert_eq!(
        o.cause(w.lookup("z").unwrap()),
        Some(Cause::Lost { group: 0 })
    );
    assert_eq!(o.cause(w.lookup("a").unwrap()), Some(Cause::Removed));
    let y = w.lookup("y").unwrap();
    assert_eq!(o.lost_members(&w, y, 0).len(), 2);
}

#[test]
fn cycles_stay_up_unless_something_in_them_falls() {
    let w = world(
        "nodes:\n  - {id: a, name: A, needs: [b]}\n  - {id: b, name: B, needs: [a]}\n  - {id: c, name: C}\n  - {id: d, name: D, needs: [a, c]}\n",
    );
    let o = run(&w, &["c"]);
    assert_eq!(st(&w, &o, "a"), "intact");
    assert_eq!(st(&w, &o, "b"), "intact");
    assert_eq!(st(&w, &o, "d"), "failed");
    let o = run(&w, &["b"]);
    assert_eq!(st(&w, &o, "a"), "failed");
    assert_eq!(st(&w, &o, "d"), "failed");
    assert_eq!(st(&w, &o, "c"), "intact");
}

#[test]
fn unknowns_are_never_safe() {
    let w = world(
        "nodes:\n  - {id: a, name: A}\n  - {id: b, name: B}\n  - {id: u, name: U, needs: [{unknown: tbd, among: [a, b]}]}\n  - {id: e, name: E, needs: [{unknown: tbd}]}\n  - {id: top, name: Top, needs: [u]}\n",
    );
    let o = run(&w, &[]);
    assert!(statuses(&w, &o).iter().all(|(_, s)| *s == "intact"));
    let o = run(&w, &["a"]);
    assert_eq!(st(&w, &o, "u"), "unknown");
    assert_eq!(st(&w, &o, "top"), "unknown");
    assert_eq!(
        st(&w, &o, "e"),
        "unknown",
        "an empty unknown under any removal"
    );
    let u = w.lookup("u").unwrap();
    assert_eq!(o.cause(u), Some(Cause::Lost { group: 0 }));
    assert_eq!(o.lost_members(&w, u, 0), vec![w.lookup("a").unwrap()]);
    let o = run(&w, &["a", "b"]);
    assert_eq!(st(&w, &o, "u"), "failed");
    assert_eq!(st(&w, &o, "top"), "failed");
}

#[test]
fn scoped_unknowns_are_at_risk_only_from_what_could_be_them() {
    let w = world(
        "organizations:\n  - {id: chipco, name: ChipCo, jurisdiction: US}\n  - {id: holding, name: Holding, jurisdiction: US}\n  - {id: sub, name: Sub, jurisdiction: US, parent: holding}\n  - {id: bank, name: Bank, jurisdiction: BR}\nnodes:\n  - {id: gpu, name: GPU, layer: chips, org: sub}\n  - {id: cloud, name: Cloud, layer: compute}\n  - {id: m, name: M, layer: model}\n  - {id: g, name: G, layer: capability, needs: [{unknown: {layer: chips, note: tbd}}]}\n  - {id: open, name: Open, layer: capability, needs: [{unknown: {layer: compute, note: tbd, among: [cloud]}}]}\n  - {id: closed, name: Closed, layer: capability, needs: [{unknown: {layer: compute, note: tbd, among: [cloud], closed: true}}]}\n",
    );
    // Nothing that could be chips: the chips unknown stays safe.
    for other in [&["m"][..], &["bank"], &["cloud"]] {
        assert_eq!(st(&w, &run(&w, other), "g"), "intact", "{other:?}");
    }
    // A chip, its owner, or its owner's parent could be it.
    for risky in ["gpu", "sub", "holding"] {
        assert_eq!(st(&w, &run(&w, &[risky]), "g"), "unknown", "{risky}");
    }
    // An open list: its candidate failing leaves it unknown, never failed; a
    // closed one fails with its only candidate.
    let o = run(&w, &["cloud"]);
    assert_eq!(st(&w, &o, "open"), "unknown");
    assert_eq!(st(&w, &o, "closed"), "failed");
    // A closed list is at risk from its candidates only, not from its layer.
    let w2 = world(
        "nodes:\n  - {id: cloud, name: Cloud, layer: compute}\n  - {id: other, name: Other, layer: compute}\n  - {id: open, name: Open, needs: [{unknown: {layer: compute, note: tbd, among: [cloud]}}]}\n  - {id: closed, name: Closed, needs: [{unknown: {layer: compute, note: tbd, among: [cloud], closed: true}}]}\n",
    );
    let o = run(&w2, &["other"]);
    assert_eq!(st(&w2, &o, "open"), "unknown");
    assert_eq!(st(&w2, &o, "closed"), "intact");
}

#[test]
fn org_removal_takes_its_products() {
    let w = world(
        "organizations:\n  - {id: nv, name: NV, jurisdiction: US}\n  - {id: sub, name: Sub, jurisdiction: US, parent: nv}\nnodes:\n  - {id: h, name: H, org: nv}\n  - {id: s, name: S, org: sub}\n  - {id: m, name: M, needs: [{any: [h, s]}]}\n",
    );
    let o = run(&w, &["nv"]);
    assert_eq!(st(&w, &o, "h"), "failed");
    assert_eq!(st(&w, &o, "s"), "failed");
    assert_eq!(st(&w, &o, "sub"), "failed");
    assert_eq!(st(&w, &o, "m"), "failed");
    assert!(o.is_removed(w.lookup("nv").unwrap()));
    assert!(!o.is_removed(w.lookup("h").unwrap()));
}

#[test]
fn workspace_reuse_matches_fresh_evaluation() {
    let w = world(
        "nodes:\n  - {id: a, name: A}\n  - {id: b, name: B, needs: [a]}\n  - {id: c, name: C, needs: [{any: [a, b]}]}\n",
    );
    let c = Cascade::new(&w);
    let mut ws = Workspace::new();
    let a = w.lookup("a").unwrap();
    let b = w.lookup("b").unwrap();
    c.evaluate_in(&mut ws, &[a]);
    c.evaluate_in(&mut ws, &[b]);
    assert_eq!(c.outcome(&ws), c.evaluate(&[b]));
    assert_eq!(ws.affected().count(), 2);
}

#[test]
fn scoping_per_destination() {
    let w = world(
        "country: XA\nname: A\ncapabilities: [ca]\norganizations:\n  - {id: us-co, name: US Co, jurisdiction: US}\nnodes:\n  - {id: chip, name: Chip, org: us-co}\n  - {id: ca, name: CA, layer: capability, needs: [chip]}\n",
    );
    let chip = w.lookup("chip").unwrap();
    let ca = w.lookup("ca").unwrap();
    let c = Cascade::new(&w);
    let scoped = Removal {
        selector: Selector::Id("chip".into()),
        nodes: vec![chip],
        scope: Some(vec!["XB".into()]),
    };
    let out = c.evaluate_scenario(std::slice::from_ref(&scoped));
    assert_eq!(out.country(0).unwrap().status(ca), NodeStatus::Intact);
    let scoped = Removal {
        scope: Some(vec!["XA".into()]),
        ..scoped
    };
    let out = c.evaluate_scenario(&[scoped]);
    assert_eq!(out.country(0).unwrap().status(ca), NodeStatus::Failed);
    assert_eq!(out.everywhere().unwrap().status(ca), NodeStatus::Intact);
    let jur = Removal::new(&w, Selector::Jurisdiction("XA".into()), None);
    assert!(!jur.applies_to(Destination::Country("XA")));
    assert!(jur.applies_to(Destination::Country("XB")));
    assert!(jur.applies_to(Destination::Everywhere));
}

// Random-world properties (agreement with a naive fixpoint, monotonicity,
// independence of removal and declaration order) are in
// tests/integration/properties.rs, on worlds loaded through the real loader.
