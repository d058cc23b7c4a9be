//! `jenga render`: DOT and SVG for every target in both engines, the hostile-label
//! proof, determinism, overlays, and the behaviour without Graphviz.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::{fixtures, jenga, jenga_in, root};

/// Whether Graphviz is usable; panics when CI requires it and it is missing.
pub fn graphviz() -> bool {
    let found = jenga::render::graphviz::available();
    if !found && std::env::var_os("JENGA_REQUIRE_GRAPHVIZ").is_some_and(|v| v == "1") {
        panic!("JENGA_REQUIRE_GRAPHVIZ=1 but Graphviz `dot` is not on PATH");
    }
    if !found {
        eprintln!("skipping the Graphviz part: `dot` is not on PATH");
    }
    found
}

/// Runs `dot -Tsvg` and fails on any warning.
pub fn dot_clean(source: &str) -> String {
    let run = jenga::render::graphviz::run(source, "svg", std::time::Duration::from_secs(60))
        .unwrap_or_else(|e| panic!("dot rejected the DOT: {e}\n{source}"));
    assert_eq!(run.stderr, "", "dot warned on:\n{source}");
    run.stdout
}

/// Parses `svg` as XML and checks what every figure must have; returns all its text.
pub fn check_svg(svg: &str) -> String {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("invalid XML: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert!(root.attribute("viewBox").is_some(), "no viewBox");
    let children: Vec<&str> = root
        .children()
        .filter(|n| n.is_element())
        .take(2)
        .map(|n| n.tag_name().name())
        .collect();
    assert_eq!(children, ["title", "desc"], "<title> and <desc> come first");
    for node in doc.descendants() {
        let name = node.tag_name().name();
        assert!(
            !matches!(name, "script" | "foreignObject" | "iframe"),
            "a <{name}>"
        );
        for a in node.attributes() {
            assert!(!a.name().starts_with("on"), "event handler {}", a.name());
            if a.name() == "href" {
                assert!(
                    a.value().starts_with('#'),
                    "external reference {}",
                    a.value()
                );
            }
            assert!(!a.value().contains("url(http"), "external url");
        }
    }
    assert!(!svg.contains("<!DOCTYPE"), "a DOCTYPE with an external DTD");
    assert!(svg.contains("sans-serif"), "fonts end in a generic family");
    doc.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("\n")
}

fn render(dir: &Path, args: &[&str]) -> String {
    let out = jenga_in(dir, args);
    assert_eq!(out.code, 0, "jenga {args:?} failed:\n{}", out.stderr);
    out.stdout
}

#[test]
fn every_target_renders_in_both_engines_and_validates() {
    let gv = graphviz();
    for target in ["SG", "TW", "JP", "AE", "sg", "overview"] {
        let dot = render(root(), &["render", target, "--format", "dot"]);
        assert!(dot.starts_with("digraph "), "{dot}");
        let builtin = render(root(), &["render", target, "--engine", "builtin"]);
        check_svg(&builtin);
        if gv {
            dot_clean(&dot);
            let svg = render(root(), &["render", target, "--engine", "graphviz"]);
            check_svg(&svg);
        }
    }
}

#[test]
fn renders_are_byte_identical_across_runs() {
    for engine in ["builtin", "auto"] {
        let a = render(root(), &["render", "SG", "--engine", engine]);
        let b = render(root(), &["render", "SG", "--engine", engine]);
        assert_eq!(a, b, "{engine} is not deterministic");
    }
}

#[test]
fn hostile_label_is_escaped_in_dot_and_svg() {
    let dir = fixtures().join("render/hostile");
    let dot = render(&dir, &["--stacks", ".", "render", "XA", "--format", "dot"]);
    // The tooltip is a quoted string: quote and backslash escaped.
    assert!(
        dot.contains(r#"tooltip="Nvidia \"A100\" \\ <script> (a100)"#),
        "{dot}"
    );
    // The label is HTML-like: markup escaped.
    assert!(
        dot.contains("<b>Nvidia &quot;A100&quot; \\</b><br/><b>&lt;script&gt;</b>"),
        "{dot}"
    );
    assert!(
        dot.contains(">Nvidia &amp; &lt;b&gt;Co&lt;/b&gt; · US</font>"),
        "{dot}"
    );
    let builtin = render(
        &dir,
        &["--stacks", ".", "render", "XA", "--engine", "builtin"],
    );
    let text = check_svg(&builtin);
    assert!(
        text.contains("Nvidia \"A100\" \\ <script> (a100)"),
        "{text}"
    );
    assert!(text.contains("An ISA ]]> --> &amp;"), "{text}");
    assert!(builtin.contains("Nvidia &quot;A100&quot; \\ &lt;script&gt;"));
    if graphviz() {
        let raw = dot_clean(&dot);
        let svg = render(
            &dir,
            &["--stacks", ".", "render", "XA", "--engine", "graphviz"],
        );
        assert!(
            raw.contains("Nvidia &quot;A100&quot; \\ &lt;script&gt;"),
            "{raw}"
        );
        let text = check_svg(&svg);
        // The text survives exactly, ampersand entity included.
        assert!(text.contains("<script>"), "{text}");
        assert!(text.contains("An ISA ]]> --> &amp;"), "{text}");
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let tips: Vec<&str> = doc
            .descendants()
            .filter_map(|n| n.attribute(("http://www.w3.org/1999/xlink", "title")))
            .collect();
        assert!(
            tips.iter()
                .any(|t| t.starts_with("Nvidia \"A100\" \\ <script> (a100)")),
            "{tips:?}"
        );
    }
}

#[test]
fn unknown_target_is_a_usage_error_listing_the_countries() {
    let out = jenga_in(root(), &["render", "XX"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("unknown render target `XX`"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("AE, BR, CA, DE, DK, ES, EU, FR, IN, IT, JP, NL, SE, SG, TW"),
        "{}",
        out.stderr
    );
}

fn empty_path() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("jenga-no-dot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn without_graphviz_auto_falls_back_and_graphviz_says_how_to_fix() {
    let path = empty_path();
    let run = |engine: &str| {
        Command::new(env!("CARGO_BIN_EXE_jenga"))
            .args(["render", "SG", "--engine", engine])
            .current_dir(root())
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let auto = run("auto");
    assert!(
        auto.status.success(),
        "{}",
        String::from_utf8_lossy(&auto.stderr)
    );
    check_svg(&String::from_utf8(auto.stdout).unwrap());
    let gv = run("graphviz");
    assert_eq!(gv.status.code(), Some(1));
    let err = String::from_utf8_lossy(&gv.stderr);
    assert!(err.contains("apt-get install graphviz"), "{err}");
    assert!(err.contains("--engine builtin"), "{err}");
}

#[test]
fn output_file_is_written_whole() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sg.svg");
    let out = jenga_in(
        root(),
        &[
            "render",
            "SG",
            "--engine",
            "builtin",
            "-o",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "");
    check_svg(&std::fs::read_to_string(&file).unwrap());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
}

#[test]
fn dot_of_fixture_towers_matches_snapshots() {
    for (dir, target) in [
        ("render/hostile", "XA"),
        ("valid", "XA"),
        ("valid", "overview"),
    ] {
        let out = jenga(&["--stacks", dir, "render", target, "--format", "dot"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let name = format!("dot_{}_{}", dir.replace('/', "_"), target);
        insta::assert_snapshot!(name, out.stdout);
    }
}

fn world(dir: &str) -> jenga::graph::World {
    let limits = jenga::load::Limits::default();
    let paths = jenga::load::find_files(&fixtures().join(dir), &limits).unwrap();
    let loaded = jenga::load::load_files(&paths, &limits);
    jenga::graph::build(&loaded.files).unwrap()
}

/// Writes a figure for a person to look at when `JENGA_RENDER_DUMP` names a directory.
fn dump(name: &str, svg: &str) {
    if let Some(dir) = std::env::var_os("JENGA_RENDER_DUMP") {
        std::fs::write(Path::new(&dir).join(name), svg).unwrap();
    }
}

#[test]
fn overlay_marks_nodes_in_place_and_names_the_scenario() {
    use jenga::analysis::NodeStatus;
    use jenga::render::tower::{self, Marks};
    use jenga::render::{Figure, Overlay};
    let w = world("render/hostile");
    let idx = |id: &str| w.lookup(id).unwrap().index();
    let mut status = vec![NodeStatus::Intact; w.len()];
    let mut removed = vec![false; w.len()];
    removed[idx("nvidia")] = true;
    status[idx("nvidia")] = NodeStatus::Failed;
    status[idx("a100")] = NodeStatus::Failed;
    status[idx("isa")] = NodeStatus::Failed;
    status[idx("cpu")] = NodeStatus::Failed;
    status[idx("model-x")] = NodeStatus::Unknown;
    let overlay = Overlay {
        title: "US <chips> cut-off".to_owned(),
        status,
        removed,
        partial: Default::default(),
    };
    let mut choke = vec![false; w.len()];
    choke[idx("isa")] = true;
    let marks = Marks {
        chokepoints: &choke,
        chokepoint_top: 0,
        overlay: Some(&overlay),
    };
    let plain = tower::tower(&w, "XA", &Marks::default()).unwrap();
    let d = tower::tower(&w, "XA", &marks).unwrap();
    // Highlight, don't delete: the same nodes and edges are drawn.
    assert_eq!(d.nodes.len(), plain.nodes.len());
    assert_eq!(d.edges.len(), plain.edges.len());
    assert!(d.title.contains("US <chips> cut-off"), "{}", d.title);
    let tag = |key: &str| d.nodes.iter().find(|n| n.key == key).unwrap().tag.clone();
    assert_eq!(tag("a100").as_deref(), Some("✕ failed · owner removed"));
    assert_eq!(
        tag("isa").as_deref(),
        Some("✕ failed · owner removed · ◆ chokepoint")
    );
    assert_eq!(tag("model-x").as_deref(), Some("? unknown"));
    assert!(d.edges.iter().filter(|e| e.broken).count() >= 3);
    let svg = Figure::Diagram(d.clone()).to_builtin_svg();
    let text = check_svg(&svg);
    assert!(text.contains("US <chips> cut-off"));
    dump("overlay-xa.svg", &svg);
    if graphviz() {
        let dot = Figure::Diagram(d).to_dot();
        dot_clean(&dot);
    }
    // An organization removed shows on the overview's owners band.
    let o = tower::overview(
        &w,
        &marks,
        &jenga::analysis::chokepoints::exposure(&jenga::analysis::cascade::Cascade::new(&w)),
    );
    dump("overlay-overview.svg", &Figure::Diagram(o).to_builtin_svg());
}

#[test]
fn matrix_draws_every_cell_in_both_engines() {
    use jenga::analysis::NodeStatus::{Degraded, Failed, Intact, Unknown};
    use jenga::render::Figure;
    use jenga::render::matrix::{ColumnGroup, Matrix};
    let m = Matrix::new(
        "Exposure: who falls when a block is pulled".to_owned(),
        "Each cell: the country's worst capability after that removal alone".to_owned(),
        vec!["Singapore (SG)".into(), "Taiwan <TW>".into()],
        vec![
            ColumnGroup {
                label: "Top chokepoints".into(),
                columns: vec!["Nvidia".into(), "AWS cloud".into(), "Llama 3".into()],
            },
            ColumnGroup {
                label: "Jurisdictions".into(),
                columns: vec!["US".into()],
            },
        ],
        vec![
            vec![Failed, Failed, Degraded, Failed],
            vec![Unknown, Intact, Degraded, Failed],
        ],
    )
    .unwrap();
    let f = Figure::Matrix(m);
    let svg = f.to_builtin_svg();
    let text = check_svg(&svg);
    assert_eq!(
        text.matches("✕ fails").count(),
        4 + 1,
        "4 cells and the legend: {text}"
    );
    assert!(text.contains("Taiwan <TW>"));
    dump("matrix.svg", &svg);
    if graphviz() {
        dot_clean(&f.to_dot());
        let gv = f
            .to_svg(
                jenga::render::SvgEngine::Graphviz,
                std::time::Duration::from_secs(60),
            )
            .unwrap();
        check_svg(&gv);
        dump("matrix-g.svg", &gv);
    }
}

/// Issue #15: the chokepoint badge marks only the first places of the node ranking
/// that fail a capability, and the legend says how many.
#[test]
fn the_chokepoint_badge_marks_only_the_top_of_the_ranking() {
    let ranking = jenga_in(root(), &["chokepoints", "--format", "json"]);
    let ranking: serde_json::Value = serde_json::from_str(&ranking.stdout).unwrap();
    let top: Vec<String> = ranking["ranking"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["capabilities_failed"].as_u64().unwrap() > 0)
        .take(5)
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    for target in ["overview", "dk", "fr"] {
        let out = jenga_in(root(), &["render", target, "--engine", "builtin"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let badged: Vec<&str> = out
            .stdout
            .lines()
            .filter(|l| l.starts_with("<g id=\"node-") && l.contains("; ◆ chokepoint</title>"))
            .filter_map(|l| l.strip_prefix("<g id=\"node-")?.split('"').next())
            .collect();
        assert!(!badged.is_empty(), "{target}: no badge");
        for id in &badged {
            assert!(
                top.iter().any(|t| t == id),
                "{target}: `{id}` is not in the top 5"
            );
        }
        assert!(
            out.stdout
                .contains("◆ chokepoint: top 5 of the ranking (heavy outline)"),
            "{target}"
        );
    }
}

/// Issue #15: a tower draws every organization a shown block needs directly (a
/// partner, not only an owner in a caption): Gefion's Eviden and Digital Realty,
/// Jean Zay's Eviden, ABCI 3.0's HPE — in both engines' input; the overview shows the
/// partners two countries need.
#[test]
fn towers_draw_the_organizations_a_block_needs_directly() {
    for (country, orgs) in [
        ("dk", &["eviden", "digital-realty"][..]),
        ("fr", &["eviden"]),
        ("jp", &["hpe"]),
    ] {
        let svg = jenga_in(root(), &["render", country, "--engine", "builtin"]);
        assert_eq!(svg.code, 0, "{}", svg.stderr);
        let dot = jenga_in(root(), &["render", country, "--format", "dot"]);
        for org in orgs {
            assert!(
                svg.stdout.contains(&format!("<g id=\"node-{org}\">")),
                "{country}: no `{org}` block"
            );
            assert!(
                dot.stdout.contains(&format!("\"{org}\"")),
                "{country}: `{org}` not in DOT"
            );
        }
        assert!(
            svg.stdout.contains(">ORGANIZATIONS NEEDED DIRECTLY<"),
            "{country}"
        );
    }
    // The overview shows Eviden (needed directly by Denmark and France) and its owner
    // Atos, ranks 3 and 4 of the chokepoint ranking.
    let overview = jenga_in(root(), &["render", "overview", "--engine", "builtin"]);
    for org in ["eviden", "atos"] {
        assert!(
            overview.stdout.contains(&format!("<g id=\"node-{org}\">")),
            "overview: no `{org}`"
        );
    }
}

/// Issue #15: partner edges (Table 2's private-sector partners) have a look of their
/// own, not the "one of several" dashes, and a legend entry — in DOT, in the built-in
/// SVG and in the overview.
#[test]
fn partner_edges_have_their_own_look_and_legend_entry() {
    let dot = jenga_in(root(), &["render", "dk", "--format", "dot"]).stdout;
    let attrs = |from: &str, to: &str| {
        let pat = format!("\"{from}\" -> \"{to}\"");
        dot.lines()
            .find(|l| l.contains(&pat))
            .unwrap_or_else(|| panic!("no edge {pat}"))
            .split_once('[')
            .unwrap()
            .1
            .split(" tooltip=")
            .next()
            .unwrap()
            .to_owned()
    };
    let partner = attrs("gefion", "eviden");
    assert!(partner.contains("arrowhead=\"odiamond\""), "{partner}");
    assert_eq!(partner, attrs("gefion", "digital-realty"));
    assert!(
        dot.contains("partner, not a need: its loss degrades"),
        "DOT legend"
    );
    // An alternative ("one of several") looks different: SEA-LION's distribution.
    let sg = jenga_in(root(), &["render", "sg", "--format", "dot"]).stdout;
    let alt = sg
        .lines()
        .find(|l| l.contains("\"sea-lion\" -> \"github\""))
        .unwrap();
    assert!(
        alt.contains("style=\"dashed\"") && !alt.contains("odiamond"),
        "{alt}"
    );
    // Built-in SVG: the edge uses the partner marker, and the legend draws it.
    let svg = jenga_in(root(), &["render", "dk", "--engine", "builtin"]).stdout;
    let text = check_svg(&svg);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let edge = doc
        .descendants()
        .find(|n| {
            n.has_tag_name("path")
                && n.children()
                    .any(|c| c.text() == Some("Gefion supercomputer needs Eviden"))
        })
        .unwrap();
    assert_eq!(edge.attribute("marker-end"), Some("url(#arrow-partner)"));
    assert!(text.contains("partner, not a need"), "SVG legend");
    let legend_partner = doc
        .descendants()
        .filter(|n| n.attribute("marker-end") == Some("url(#arrow-partner)"))
        .count();
    assert!(legend_partner >= 3, "two edges and the legend's sample");
    // The overview: Denmark reaches Eviden only as a partner.
    let ov = jenga_in(root(), &["render", "overview", "--format", "dot"]).stdout;
    let dk = ov
        .lines()
        .find(|l| l.contains("\"country-DK\" -> \"eviden\""))
        .unwrap();
    assert!(dk.contains("odiamond"), "{dk}");
    assert!(ov.contains("partner, not a need"));
}

/// Issue #15: a crowded organization band wraps into rows of at most
/// `ORGS_PER_ROW` instead of a band wider than the page, and never drops one: a
/// tower whose capability needs 14 organizations directly, and an overview whose
/// two countries share 14 components of 14 owners, name every one.
#[test]
fn crowded_organization_bands_wrap_and_name_every_organization() {
    let dir = tempfile::tempdir().unwrap();
    let n = 14;
    let mut shared = String::from(
        "bibliography:\n  - { id: s, title: T, author: A, date: \"2024\" }\norganizations:\n",
    );
    for k in 0..n {
        shared.push_str(&format!(
            "  - {{ id: org{k}, name: Organization number {k}, jurisdiction: US, kind: company, sources: [s] }}\n"
        ));
    }
    shared.push_str("nodes:\n");
    for k in 0..n {
        shared.push_str(&format!(
            "  - {{ id: part{k}, name: Part {k}, layer: chips, org: org{k}, sources: [s] }}\n"
        ));
    }
    std::fs::write(dir.path().join("shared.yaml"), shared).unwrap();
    let parts: Vec<String> = (0..n).map(|k| format!("part{k}")).collect();
    let orgs: Vec<String> = (0..n).map(|k| format!("org{k}")).collect();
    for cc in ["xa", "xb"] {
        std::fs::write(
            dir.path().join(format!("{cc}.yaml")),
            format!(
                "country: {up}\nname: Land {up}\ncapabilities: [{cc}-cap]\nsources: [s]\nnodes:\n  - id: {cc}-cap\n    name: Capability of {up}\n    layer: capability\n    needs: [{}]\n    partners: [{}]\n    sources: [s]\n",
                parts.join(", "),
                orgs.join(", "),
                up = cc.to_uppercase()
            ),
        )
        .unwrap();
    }
    let d = dir.path().to_str().unwrap();
    let check = jenga(&["--stacks", d, "check", "--strict"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    for target in ["XA", "overview"] {
        let out = jenga(&["--stacks", d, "render", target, "--engine", "builtin"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let svg = out.stdout;
        check_svg(&svg);
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let mut per_row: std::collections::BTreeMap<String, usize> = Default::default();
        for k in 0..n {
            let g = doc
                .descendants()
                .find(|x| x.attribute("id") == Some(format!("node-org{k}").as_str()))
                .unwrap_or_else(|| panic!("{target}: org{k} dropped"));
            let words: String = g.descendants().filter_map(|x| x.text()).collect();
            assert!(
                words.contains(&format!("Organization number {k}")),
                "{target}: named"
            );
            let y = g
                .descendants()
                .find(|x| x.has_tag_name("rect"))
                .unwrap()
                .attribute("y")
                .unwrap()
                .to_owned();
            *per_row.entry(y).or_default() += 1;
        }
        assert!(
            per_row.len() >= 3,
            "{target}: 14 wrap into 3 rows: {per_row:?}"
        );
        assert!(
            per_row
                .values()
                .all(|&c| c <= jenga::render::tower::ORGS_PER_ROW),
            "{target}: {per_row:?}"
        );
        let dot = jenga(&["--stacks", d, "render", target, "--format", "dot"]).stdout;
        for k in 0..n {
            assert!(
                dot.contains(&format!("\"org{k}\"")),
                "{target}: org{k} not in DOT"
            );
        }
        if graphviz() {
            dot_clean(&dot);
        }
    }
}
