//! Property tests over random worlds, built through the public loader (YAML →
//! `parse_bytes` → `validate` → `graph::build`), so every world is one a user could
//! write.
//!
//! A random world has up to 10 components and up to 3 organizations owning some of
//! them (the implicit owner group); each component has random `needs`: plain ids,
//! `any`, `at-least k of n`, and `unknown` groups with or without `among`; edges go
//! anywhere, so cycles (self-loops aside, which validation refuses) are common. One
//! country, `XA`, declares the components of layer `capability` as its capabilities.
//!
//! - The cascade agrees with a naive greatest-fixpoint oracle written from the
//!   semantics in `SHARED.md` (re-evaluate every node until nothing changes, once per
//!   reading of the unknowns).
//! - The cascade is monotone: removing a superset never makes any node's status better
//!   (intact < degraded < unknown < failed).
//! - The cascade is order-independent: permuting the removals, repeating them, or
//!   splitting them into several `--remove` flags gives the identical outcome.
//! - Rendering (DOT and built-in SVG, tower and overview, with and without an
//!   arbitrary overlay and chokepoint marks, names full of markup) never panics, the
//!   DOT parses, and the SVG is well-formed XML with no `<script>`.

use std::collections::BTreeMap;
use std::path::Path;

use jenga::analysis::NodeStatus;
use jenga::analysis::cascade::{Cascade, Outcome, Removal};
use jenga::analysis::chokepoints;

use crate::harness::naive;
use jenga::analysis::select::Selector;
use jenga::graph::{NodeIdx, World};
use jenga::load::{Limits, Loaded, parse_bytes};
use jenga::render::tower::{self, Marks};
use jenga::render::{Figure, Overlay};
use proptest::prelude::*;

const LAYERS: [&str; 5] = ["capability", "model", "data", "compute", "chips"];

/// One `needs` term: 0 plain id, 1 `any`, 2 `at-least`, 3 `unknown: TEXT` (optionally
/// with `among`), 4 a scoped open `unknown` (`{layer, note, among}`; its layer from
/// `k`), 5 a scoped closed list.
#[derive(Debug, Clone)]
struct Term {
    kind: u8,
    k: usize,
    /// The layer of a scoped `unknown` (index into `LAYERS`, never the capability).
    layer: usize,
    members: Vec<usize>,
}

/// A random world.
#[derive(Debug, Clone)]
struct Spec {
    /// Per component: layer, owner (index into the organizations), name, terms.
    nodes: Vec<(usize, Option<usize>, String, Vec<Term>)>,
    orgs: usize,
}

/// Names that try to break out of DOT, SVG and XML.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9 ]{1,12}",
        "[<>&\"'\\\\|=+@\\-\\]\\[{}a-z ]{1,24}",
        Just("</text><script>alert(1)</script>".to_owned()),
        Just("Nvidia \"A100\" \\ <b>".to_owned()),
        Just("\u{202E}evil\u{2066}".to_owned()),
        Just("日本語 العربية".to_owned()),
    ]
}

fn spec() -> impl Strategy<Value = Spec> {
    (1usize..10, 0usize..4).prop_flat_map(|(n, orgs)| {
        let term = (0u8..6, 1usize..5, prop::collection::vec(0..n, 0..4));
        let node = (
            0..LAYERS.len(),
            prop::option::of(0..orgs.max(1)),
            name(),
            prop::collection::vec(term, 0..3),
        );
        prop::collection::vec(node, n).prop_map(move |raw| Spec {
            orgs,
            nodes: raw
                .into_iter()
                .enumerate()
                .map(|(v, (layer, owner, name, terms))| {
                    let terms = terms
                        .into_iter()
                        .filter_map(|(kind, k, ms)| {
                            let mut ms: Vec<usize> = ms.into_iter().filter(|&m| m != v).collect();
                            ms.sort_unstable();
                            ms.dedup();
                            if ms.is_empty() && kind != 3 && kind != 4 {
                                return None;
                            }
                            let layer = 1 + (k - 1) % 4;
                            let k = 1 + (k - 1) % ms.len().max(1);
                            Some(Term {
                                kind,
                                k,
                                layer,
                                members: ms,
                            })
                        })
                        .collect();
                    // n0 is always a capability: a country declares at least one.
                    let layer = if v == 0 { 0 } else { layer };
                    (layer, owner.filter(|_| orgs > 0), name, terms)
                })
                .collect(),
        })
    })
}

fn quoted(s: &str) -> String {
    // A JSON string is a valid YAML double-quoted scalar.
    serde_json::to_string(s).unwrap()
}

/// The spec as two stack files: organizations and components (declared in `order`, a
/// permutation of the component indices), and the country.
fn files(spec: &Spec, order: &[usize]) -> (String, String) {
    let mut shared = String::from(
        "bibliography:\n  - id: src\n    title: T\n    author: A\n    date: 2024-11\n",
    );
    if spec.orgs > 0 {
        shared.push_str("organizations:\n");
        for o in 0..spec.orgs {
            let j = ["US", "FR", "XA"][o % 3];
            shared.push_str(&format!(
                "  - id: org{o}\n    name: {}\n    jurisdiction: {j}\n    sources: [src]\n",
                quoted(&format!("Org <{o}> & \"co\"")),
            ));
        }
    }
    shared.push_str("nodes:\n");
    for &v in order {
        let (layer, owner, name, terms) = &spec.nodes[v];
        shared.push_str(&format!(
            "  - id: n{v}\n    name: {}\n    layer: {}\n    sources: [src]\n",
            quoted(name),
            LAYERS[*layer]
        ));
        if let Some(o) = owner {
            shared.push_str(&format!("    org: org{o}\n"));
        }
        if terms.is_empty() {
            continue;
        }
        shared.push_str("    needs:\n");
        for t in terms {
            let list = t
                .members
                .iter()
                .map(|m| format!("n{m}"))
                .collect::<Vec<_>>()
                .join(", ");
            match t.kind {
                0 if t.members.len() == 1 => shared.push_str(&format!("      - {list}\n")),
                0 | 1 => shared.push_str(&format!("      - any: [{list}]\n")),
                2 => shared.push_str(&format!("      - {{at-least: {}, of: [{list}]}}\n", t.k)),
                3 if t.members.is_empty() => shared.push_str("      - unknown: tbd\n"),
                3 => shared.push_str(&format!("      - {{unknown: tbd, among: [{list}]}}\n")),
                4 => shared.push_str(&format!(
                    "      - unknown: {{layer: {}, note: tbd, among: [{list}]}}\n",
                    LAYERS[t.layer]
                )),
                _ => shared.push_str(&format!(
                    "      - unknown: {{layer: {}, note: tbd, among: [{list}], closed: true}}\n",
                    LAYERS[t.layer]
                )),
            }
        }
    }
    let caps: Vec<String> = spec
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.0 == 0)
        .map(|(v, _)| format!("n{v}"))
        .collect();
    let country = format!(
        "country: XA\nname: {}\ncapabilities: [{}]\n",
        quoted("Testland <&> \"XA\""),
        caps.join(", ")
    );
    (shared, country)
}

/// A second country, `XB`, listing every other capability of `XA` (n0 is listed by
/// both, so a node can be a capability of two countries).
fn second_country(spec: &Spec) -> String {
    let caps: Vec<String> = spec
        .nodes
        .iter()
        .enumerate()
        .filter(|(v, n)| n.0 == 0 && v % 2 == 0)
        .map(|(v, _)| format!("n{v}"))
        .collect();
    format!(
        "country: XB\nname: Otherland\ncapabilities: [{}]\n",
        caps.join(", ")
    )
}

/// Loads the spec through the public pipeline; the generator only writes valid
/// stacks, so any diagnostic is a failure of the test itself.
fn world(spec: &Spec) -> World {
    let order: Vec<usize> = (0..spec.nodes.len()).collect();
    world_in_order(spec, &order)
}

/// [`world`] with the components declared in `order`.
fn world_in_order(spec: &Spec, order: &[usize]) -> World {
    let (shared, country) = files(spec, order);
    let other = second_country(spec);
    let limits = Limits::default();
    let mut loaded = Loaded::default();
    for (path, text) in [
        ("stacks/shared.yaml", &shared),
        ("stacks/xa.yaml", &country),
        ("stacks/xb.yaml", &other),
    ] {
        match parse_bytes(Path::new(path), text.clone().into_bytes(), &limits) {
            Ok(f) => loaded.files.push(f),
            Err(d) => panic!("{}\n{text}", d.render(false)),
        }
    }
    let diags = jenga::validate::validate(&loaded, &limits);
    assert!(
        !diags.has_errors(false),
        "{}\n{shared}\n{country}",
        diags.render(false)
    );
    jenga::graph::build(&loaded.files).unwrap()
}

/// The oracle's status of every node.
fn oracle(w: &World, removed: &[NodeIdx]) -> Vec<NodeStatus> {
    let opt = naive(w, removed, false);
    let pes = naive(w, removed, true);
    w.indices()
        .map(|i| {
            if !opt[i.index()] {
                return NodeStatus::Failed;
            }
            if !pes[i.index()] {
                return NodeStatus::Unknown;
            }
            // Degraded: something strictly below it (its dependency cone) does not
            // work in both readings.
            let mut seen = vec![false; w.len()];
            let mut stack: Vec<NodeIdx> = w.dependencies(i).collect();
            while let Some(v) = stack.pop() {
                if std::mem::replace(&mut seen[v.index()], true) {
                    continue;
                }
                if !pes[v.index()] {
                    return NodeStatus::Degraded;
                }
                stack.extend(w.dependencies(v));
            }
            NodeStatus::Intact
        })
        .collect()
}

/// The chokepoint ranking written from its definition with the naive oracle: for
/// every candidate (a node listed by no country; organizations only when `orgs`), the
/// statuses of every capability of every country after removing it alone, and the
/// countries whose capability cones (walked down from scratch) contain it; sorted by
/// the documented order. Rows: (id, capabilities failed, countries failed, countries
/// unknown, countries degraded, exposure, failed capability ids by country then
/// position).
type Row = (String, usize, usize, usize, usize, usize, Vec<String>);

fn naive_ranking(w: &World, orgs: bool) -> Vec<Row> {
    let listed: Vec<NodeIdx> = w
        .countries
        .iter()
        .flat_map(|c| c.capabilities.iter().copied())
        .collect();
    let mut rows: Vec<Row> = w
        .indices()
        .filter(|i| !listed.contains(i) && (!orgs || w.node(*i).is_org()))
        .map(|i| {
            let st = oracle(w, &[i]);
            let mut failed = Vec::new();
            let (mut cf, mut cu, mut cd, mut exposure) = (0, 0, 0, 0);
            for c in &w.countries {
                let sts: Vec<NodeStatus> = c.capabilities.iter().map(|k| st[k.index()]).collect();
                for (k, s) in c.capabilities.iter().zip(&sts) {
                    if *s == NodeStatus::Failed {
                        failed.push(w.node(*k).id.clone());
                    }
                }
                cf += usize::from(sts.contains(&NodeStatus::Failed));
                cu += usize::from(sts.contains(&NodeStatus::Unknown));
                cd += usize::from(sts.contains(&NodeStatus::Degraded));
                let mut seen = vec![false; w.len()];
                let mut stack = c.capabilities.clone();
                while let Some(v) = stack.pop() {
                    if !std::mem::replace(&mut seen[v.index()], true) {
                        stack.extend(w.dependencies(v));
                    }
                }
                exposure += usize::from(seen[i.index()]);
            }
            (
                w.node(i).id.clone(),
                failed.len(),
                cf,
                cu,
                cd,
                exposure,
                failed,
            )
        })
        .collect();
    rows.sort_by(|a, b| {
        (b.1, b.2, b.3, b.4, b.5)
            .cmp(&(a.1, a.2, a.3, a.4, a.5))
            .then_with(|| a.0.cmp(&b.0))
    });
    rows
}

fn pick(w: &World, raw: &[usize]) -> Vec<NodeIdx> {
    raw.iter().map(|r| NodeIdx::new(r % w.len())).collect()
}

fn by_id(w: &World, o: &Outcome) -> BTreeMap<String, (NodeStatus, bool)> {
    w.indices()
        .map(|i| (w.node(i).id.clone(), (o.status(i), o.is_removed(i))))
        .collect()
}

/// One `--remove ID` per node (unscoped).
fn removals(w: &World, nodes: &[NodeIdx]) -> Vec<Removal> {
    nodes
        .iter()
        .map(|&i| Removal::new(w, Selector::Id(w.node(i).id.clone()), None))
        .collect()
}

/// Checks that a figure draws both ways: DOT parses, SVG is inert XML.
fn draws(figure: &Figure) -> Result<(), TestCaseError> {
    let dot = figure.to_dot();
    prop_assert!(
        graphviz_rust::parse(&dot).is_ok(),
        "DOT does not parse:\n{}",
        dot
    );
    let svg = figure.to_builtin_svg();
    let doc = roxmltree::Document::parse(&svg);
    prop_assert!(doc.is_ok(), "SVG is not XML: {:?}\n{}", doc.err(), svg);
    let doc = doc.unwrap();
    prop_assert!(!doc.descendants().any(|n| n.tag_name().name() == "script"));
    prop_assert!(
        !svg.chars()
            .any(|c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')),
        "a bidi override in the SVG"
    );
    Ok(())
}

fn status() -> impl Strategy<Value = NodeStatus> {
    prop_oneof![
        Just(NodeStatus::Intact),
        Just(NodeStatus::Degraded),
        Just(NodeStatus::Unknown),
        Just(NodeStatus::Failed),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn cascade_agrees_with_the_naive_fixpoint(
        s in spec(),
        rm in prop::collection::vec(0usize..16, 0..4),
    ) {
        let w = world(&s);
        let removed = pick(&w, &rm);
        let o = Cascade::new(&w).evaluate(&removed);
        prop_assert_eq!(&o.status, &oracle(&w, &removed));
        for i in w.indices() {
            prop_assert_eq!(o.is_removed(i), removed.contains(&i));
            if matches!(o.status(i), NodeStatus::Failed | NodeStatus::Unknown) {
                prop_assert!(o.cause(i).is_some(), "{} has no cause", w.node(i).id);
            }
        }
    }

    /// The sweep reads the damage without the degraded closure (country bit sets and
    /// a pruned walk, `chokepoints.rs`); it must rank exactly as the definition does.
    #[test]
    fn chokepoint_ranking_agrees_with_the_naive_definition(s in spec()) {
        let w = world(&s);
        let cascade = Cascade::new(&w);
        for orgs in [false, true] {
            let got: Vec<Row> = chokepoints::rank_nodes(&cascade, orgs)
                .into_iter()
                .enumerate()
                .map(|(k, c)| {
                    assert_eq!(c.rank, k + 1);
                    (
                        c.id,
                        c.capabilities_failed,
                        c.countries_failed,
                        c.countries_unknown,
                        c.countries_degraded,
                        c.exposure,
                        c.failed.into_iter().map(|r| r.id).collect(),
                    )
                })
                .collect();
            prop_assert_eq!(got, naive_ranking(&w, orgs));
        }
    }

    #[test]
    fn cascade_is_monotone(
        s in spec(),
        rm in prop::collection::vec(0usize..16, 0..4),
        more in prop::collection::vec(0usize..16, 1..4),
    ) {
        let w = world(&s);
        let small = pick(&w, &rm);
        let mut big = small.clone();
        big.extend(pick(&w, &more));
        let c = Cascade::new(&w);
        let (a, b) = (c.evaluate(&small), c.evaluate(&big));
        for i in w.indices() {
            prop_assert!(
                a.status(i) <= b.status(i),
                "{} went from {:?} to {:?} when more was removed",
                w.node(i).id, a.status(i), b.status(i)
            );
        }
        // The same through scenarios (one `--remove` per node).
        let (sa, sb) = (
            c.evaluate_scenario(&removals(&w, &small)),
            c.evaluate_scenario(&removals(&w, &big)),
        );
        let (ea, eb) = (sa.everywhere().unwrap(), sb.everywhere().unwrap());
        for i in w.indices() {
            prop_assert!(ea.status(i) <= eb.status(i));
        }
    }

    #[test]
    fn cascade_is_independent_of_removal_order_and_grouping(
        (s, rm, order) in (spec(), prop::collection::vec(0usize..16, 0..5)).prop_flat_map(|(s, rm)| {
            let order: Vec<usize> = (0..rm.len()).collect();
            (Just(s), Just(rm), Just(order).prop_shuffle())
        }),
        split in 0usize..6,
    ) {
        let w = world(&s);
        let removed = pick(&w, &rm);
        let c = Cascade::new(&w);
        let straight = c.evaluate(&removed);
        // Permuted.
        let permuted: Vec<NodeIdx> = order.iter().map(|&k| removed[k]).collect();
        prop_assert_eq!(&c.evaluate(&permuted), &straight);
        // Repeated.
        let mut twice = permuted.clone();
        twice.extend(&removed);
        prop_assert_eq!(&c.evaluate(&twice), &straight);
        // Split: one `--remove` flag per node, and the nodes grouped into two
        // flags at `split`; only the union counts.
        let one_each = c.evaluate_scenario(&removals(&w, &permuted));
        prop_assert_eq!(by_id(&w, one_each.everywhere().unwrap()), by_id(&w, &straight));
        let cut = split.min(permuted.len());
        let group = |nodes: &[NodeIdx]| Removal {
            nodes: nodes.to_vec(),
            ..Removal::new(&w, Selector::Id(w.node(NodeIdx::new(0)).id.clone()), None)
        };
        let flags = vec![group(&permuted[..cut]), group(&permuted[cut..])];
        let scen = c.evaluate_scenario(&flags);
        prop_assert_eq!(by_id(&w, scen.everywhere().unwrap()), by_id(&w, &straight));
        prop_assert_eq!(by_id(&w, scen.country(0).unwrap()), by_id(&w, &straight));
    }

    #[test]
    fn cascade_is_independent_of_declaration_order(
        (s, order) in spec().prop_flat_map(|s| {
            let order: Vec<usize> = (0..s.nodes.len()).collect();
            (Just(s), Just(order).prop_shuffle())
        }),
        rm in prop::collection::vec(0usize..16, 0..4),
    ) {
        let w1 = world(&s);
        let w2 = world_in_order(&s, &order);
        let ids: Vec<String> = pick(&w1, &rm).into_iter().map(|i| w1.node(i).id.clone()).collect();
        let r1: Vec<NodeIdx> = ids.iter().filter_map(|i| w1.lookup(i)).collect();
        let r2: Vec<NodeIdx> = ids.iter().filter_map(|i| w2.lookup(i)).collect();
        let o1 = Cascade::new(&w1).evaluate(&r1);
        let o2 = Cascade::new(&w2).evaluate(&r2);
        prop_assert_eq!(by_id(&w1, &o1), by_id(&w2, &o2));
    }

}

proptest! {
    // Each case draws 12 figures and parses each twice: fewer cases.
    #![proptest_config(ProptestConfig::with_cases(100))]

    #[test]
    fn rendering_never_panics_and_stays_well_formed(
        s in spec(),
        statuses in prop::collection::vec(status(), 0..20),
        removed in prop::collection::vec(any::<bool>(), 0..20),
        chokepoints in prop::collection::vec(any::<bool>(), 0..20),
        title in name(),
        rm in prop::collection::vec(0usize..16, 0..3),
    ) {
        let w = world(&s);
        // An arbitrary overlay (any length, any combination) ...
        // (any nodes, in range or not, drawn "partly" for a destination).
        let partial = rm.iter().map(|&i| (i, vec!["XA".to_owned()])).collect();
        let arbitrary = Overlay { title, status: statuses, removed, partial };
        // ... and the real one of a cascade.
        let out = Cascade::new(&w).evaluate(&pick(&w, &rm));
        let real = Overlay {
            title: "scenario".to_owned(),
            status: out.status.clone(),
            removed: out.removed.clone(),
            partial: Default::default(),
        };
        for overlay in [None, Some(&arbitrary), Some(&real)] {
            for chokes in [&[][..], &chokepoints[..]] {
                let marks = Marks { chokepoints: chokes, chokepoint_top: 0, overlay };
                draws(&Figure::Diagram(tower::overview(&w, &marks, &chokepoints::exposure(&Cascade::new(&w)))))?;
                let t = tower::tower(&w, "XA", &marks);
                prop_assert!(t.is_some(), "no tower for XA");
                draws(&Figure::Diagram(t.unwrap()))?;
            }
        }
    }
}
