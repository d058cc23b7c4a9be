//! Fuzz target: the whole pipeline, load → check → build → cascade → render.
//!
//! The input is split at NUL bytes (which YAML never contains) into up to four stack
//! files, loaded next to a fixed valid `shared.yaml` (so that fuzzed files can reference
//! real ids). Every diagnostic must carry a location; whenever validation passes,
//! `graph::build` must succeed (its documented invariant). Then a removal chosen from
//! the input's last two bytes (which node, whether by id or by its jurisdiction, and
//! which destination it is scoped to) runs through the cascade, whose outcome must be
//! consistent (a removed node is failed, every failed or unknown node has a cause); the
//! overview and one country's tower, with and without the overlay, are drawn as DOT
//! (which must parse back) and as built-in SVG (which must be well-formed XML with no
//! `<script>` element).
#![no_main]

use std::path::PathBuf;

use jenga::analysis::NodeStatus;
use jenga::analysis::cascade::{Cascade, Removal};
use jenga::analysis::select::Selector;
use jenga::graph::{NodeIdx, World};
use jenga::load::{Limits, Loaded, parse_bytes};
use jenga::render::tower::{self, Marks};
use jenga::render::{Figure, Overlay};
use libfuzzer_sys::fuzz_target;

const SHARED: &str = include_str!("../../tests/fixtures/valid/shared.yaml");

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    let mut loaded = Loaded::default();
    let mut inputs: Vec<(PathBuf, Vec<u8>)> = vec![(
        PathBuf::from("stacks/shared.yaml"),
        SHARED.as_bytes().to_vec(),
    )];
    for (i, chunk) in data.split(|&b| b == 0).take(4).enumerate() {
        inputs.push((PathBuf::from(format!("stacks/f{i}.yaml")), chunk.to_vec()));
    }
    for (path, bytes) in inputs {
        match parse_bytes(&path, bytes, &limits) {
            Ok(f) => loaded.files.push(f),
            Err(d) => loaded.diagnostics.push(*d),
        }
    }
    let diags = jenga::validate::validate(&loaded, &limits);
    for d in loaded.diagnostics.items().iter().chain(diags.items()) {
        assert!(d.place.is_some(), "a diagnostic without a place: {d:?}");
    }
    let _ = diags.render(false);
    if loaded.diagnostics.has_errors(false) || diags.has_errors(false) {
        return;
    }
    let world = match jenga::graph::build(&loaded.files) {
        Ok(w) => w,
        Err(e) => panic!("validated files failed to build: {e}"),
    };
    for i in world.indices() {
        let _ = world.node(i);
    }
    let pick = data.last().copied().unwrap_or(0);
    let scope = data.len().checked_sub(2).map_or(0, |i| data[i]);
    cascade_and_render(&world, pick, scope);
});

/// Runs one scenario chosen by `pick` and `scope` and draws it.
fn cascade_and_render(world: &World, pick: u8, scope: u8) {
    if world.is_empty() {
        return;
    }
    let node = NodeIdx::new(usize::from(pick & 0x7f) % world.len());
    let selector = if pick & 0x80 != 0 {
        match &world.node(node).jurisdiction {
            Some(j) => Selector::Jurisdiction(j.clone()),
            None => Selector::Id(world.node(node).id.clone()),
        }
    } else {
        Selector::Id(world.node(node).id.clone())
    };
    let countries = world.countries.len();
    let dest = usize::from(scope) % (countries + 1);
    let scoped = world.countries.get(dest).map(|c| vec![c.code.clone()]);
    let removal = Removal::new(world, selector, scoped);
    let cascade = Cascade::new(world);
    let out = cascade.evaluate_scenario(std::slice::from_ref(&removal));
    let Some(everywhere) = out.everywhere() else {
        panic!("a scenario without an everywhere view");
    };
    for (c, country) in world.countries.iter().enumerate() {
        let Some(o) = out.country(c) else {
            panic!("no view for country {}", country.code);
        };
        for i in world.indices() {
            if o.is_removed(i) {
                assert_eq!(o.status(i), NodeStatus::Failed, "{}", world.node(i).id);
            }
            if matches!(o.status(i), NodeStatus::Failed | NodeStatus::Unknown) {
                assert!(o.cause(i).is_some(), "{} has no cause", world.node(i).id);
            }
        }
    }
    let view = out.country(dest).unwrap_or(everywhere);
    let overlay = Overlay {
        title: format!("without {}", world.node(node).id),
        status: view.status.clone(),
        removed: view.removed.clone(),
        partial: Default::default(),
    };
    let chokepoints: Vec<bool> = view
        .status
        .iter()
        .map(|s| *s == NodeStatus::Failed)
        .collect();
    let plain = Marks::default();
    let marked = Marks {
        chokepoints: &chokepoints,
        chokepoint_top: 0,
        overlay: Some(&overlay),
    };
    for marks in [&plain, &marked] {
        draw(&Figure::Diagram(tower::overview(
            world,
            marks,
            &jenga::analysis::chokepoints::exposure(&jenga::analysis::cascade::Cascade::new(world)),
        )));
        if let Some(c) = world.countries.get(usize::from(scope) % countries.max(1)) {
            match tower::tower(world, &c.code, marks) {
                Some(d) => draw(&Figure::Diagram(d)),
                None => panic!("no tower for a loaded country {}", c.code),
            }
        }
    }
}

/// Draws `figure` both ways and checks that both outputs parse.
fn draw(figure: &Figure) {
    let dot = figure.to_dot();
    if let Err(e) = graphviz_rust::parse(&dot) {
        panic!("DOT does not parse: {e}\n{dot}");
    }
    let svg = figure.to_builtin_svg();
    let doc = match roxmltree::Document::parse(&svg) {
        Ok(d) => d,
        Err(e) => panic!("SVG is not well-formed XML: {e}\n{svg}"),
    };
    assert!(
        !doc.descendants().any(|n| n.tag_name().name() == "script"),
        "a <script> element in the SVG"
    );
}
