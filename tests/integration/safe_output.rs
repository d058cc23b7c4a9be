//! Safe outputs, through the real binary: a stack whose names try to break out of
//! every output format (`tests/fixtures/safe-output`: quotes, backslashes, `<script>`,
//! `</text>`, `=HYPERLINK(...)`, `+cmd|...`, `a|b`, `-->`, `&amp;`, a right-to-left
//! override, control characters) goes through `render` (DOT, built-in SVG, Graphviz
//! SVG), the CSV and Markdown tables, and every export. Each output must parse in its
//! own grammar, carry the text escaped (never as markup), neutralise spreadsheet
//! formulas, and hold no control character or bidirectional override (JSON alone keeps
//! the data verbatim, escaped by its grammar). Writing: `-o` into the stacks directory
//! is refused, `-o` at a directory or under a missing parent is a clear error naming
//! the path, and in every refused case nothing is written.
//!
//! Every run goes through the hostile battery's limits (10 s CPU, 512 MiB).

use std::fs;
use std::path::Path;

use crate::harness::{Outcome, fixtures};
use crate::hostile::{limited, within};

/// The names of the fixture as YAML decodes them.
const MODEL_X: &str = "Nvidia \"A100\" \\ <script>alert('x')</script>";
const COUNTRY: &str = "Testland </text><script>alert(1)</script>";
const EVIL: &str = "=HYPERLINK(\"http://evil.example\",\"click\")";
const CHAT: &str = "+cmd|' /C calc'!A0 \u{202E}gnp.exe\u{200F} \u{7}bell\u{8}";
const PIPE: &str = "a|b ]] --> -->\" <!-- & &amp; @SUM(1) -2 \t tab";

/// A copy of the fixture as `stacks/` in a fresh directory (commands that write run
/// there, so nothing is written into the repository).
fn tree() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    let stacks = t.path().join("stacks");
    fs::create_dir(&stacks).unwrap();
    for f in ["shared.yaml", "xa.yaml"] {
        fs::copy(fixtures().join("safe-output").join(f), stacks.join(f)).unwrap();
    }
    t
}

fn run(dir: &Path, args: &[&str]) -> Outcome {
    let mut all = vec!["--stacks", "stacks"];
    all.extend_from_slice(args);
    let out = within(limited(dir, &all), 10);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    out
}

fn ok(dir: &Path, args: &[&str]) -> Outcome {
    let out = run(dir, args);
    assert_eq!(out.code, 0, "jenga {args:?}: {}", out.stderr);
    out
}

/// Whether `c` is a bidirectional embedding, override or isolate.
fn bidi(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// No control character (line breaks and tabs aside) and no bidi override.
fn no_deceptive_characters(what: &str, s: &str) {
    if let Some(c) = s
        .chars()
        .find(|&c| bidi(c) || (c.is_control() && !matches!(c, '\n' | '\r' | '\t')))
    {
        panic!("{what} holds U+{:04X}", u32::from(c));
    }
}

/// What the human-facing outputs show for a name: controls and bidi overrides gone.
fn shown(name: &str) -> Vec<String> {
    name.split(|c: char| bidi(c) || c.is_control())
        .filter(|p| !p.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

/// Parses an SVG and checks it is inert: no `<script>`, `<foreignObject>`, event
/// handler or `javascript:` link. Returns its character data (text and titles).
fn inert_svg(what: &str, svg: &str) -> String {
    // Graphviz writes a DOCTYPE; roxmltree refuses DTDs unless asked.
    let opt = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(svg, opt)
        .unwrap_or_else(|e| panic!("{what} is not well-formed XML: {e}"));
    assert_eq!(doc.root_element().tag_name().name(), "svg", "{what}");
    for n in doc.descendants().filter(roxmltree::Node::is_element) {
        let tag = n.tag_name().name().to_ascii_lowercase();
        assert!(
            tag != "script" && tag != "foreignobject",
            "{what}: a <{tag}> element"
        );
        for a in n.attributes() {
            assert!(
                !a.name().to_ascii_lowercase().starts_with("on"),
                "{what}: an event handler {}",
                a.name()
            );
            assert!(
                !a.value()
                    .trim_start()
                    .to_ascii_lowercase()
                    .starts_with("javascript:"),
                "{what}: a javascript: link"
            );
        }
    }
    no_deceptive_characters(what, svg);
    // Text nodes, and tooltips (Graphviz writes them as `xlink:title` attributes).
    let mut text: Vec<&str> = Vec::new();
    for n in doc.descendants() {
        if n.is_text() {
            text.extend(n.text());
        }
        text.extend(
            n.attributes()
                .filter(|a| a.name() == "title")
                .map(|a| a.value()),
        );
    }
    text.join("\n")
}

/// Every HTML-like (`<...>`) attribute value of a parsed DOT graph.
fn html_labels(g: &graphviz_rust::dot_structures::Graph) -> Vec<String> {
    use graphviz_rust::dot_structures::{Attribute, Graph, GraphAttributes, Id, Stmt};
    fn attrs(a: &[Attribute], out: &mut Vec<String>) {
        for Attribute(_, v) in a {
            if let Id::Html(h) = v {
                out.push(h.clone());
            }
        }
    }
    fn stmts(s: &[Stmt], out: &mut Vec<String>) {
        for st in s {
            match st {
                Stmt::Node(n) => attrs(&n.attributes, out),
                Stmt::Edge(e) => attrs(&e.attributes, out),
                Stmt::Attribute(a) => attrs(std::slice::from_ref(a), out),
                Stmt::GAttribute(
                    GraphAttributes::Graph(a) | GraphAttributes::Node(a) | GraphAttributes::Edge(a),
                ) => attrs(a, out),
                Stmt::Subgraph(sg) => stmts(&sg.stmts, out),
            }
        }
    }
    let mut out = Vec::new();
    match g {
        Graph::Graph { stmts: s, .. } | Graph::DiGraph { stmts: s, .. } => stmts(s, &mut out),
    }
    out
}

#[test]
fn render_dot_escapes_every_label_and_graphviz_accepts_it() {
    let t = tree();
    for (target, file) in [("XA", "xa.dot"), ("overview", "overview.dot")] {
        let out = ok(t.path(), &["render", target, "--format", "dot", "-o", file]);
        assert_eq!(out.stdout, "");
        let dot = fs::read_to_string(t.path().join(file)).unwrap();
        no_deceptive_characters(file, &dot);
        // The DOT grammar accepts it (graphviz-rust's parser, always available) ...
        graphviz_rust::parse(&dot).unwrap_or_else(|e| panic!("{file} does not parse: {e}"));
        // ... no HTML-like label opens markup of the data: `<` is always `&lt;` there
        // (quoted strings keep `<script>` as text, which Graphviz escapes in its SVG).
        let graph = graphviz_rust::parse(&dot).unwrap();
        let html = html_labels(&graph);
        assert!(!html.is_empty(), "{file}: no HTML-like label");
        for h in &html {
            assert!(!h.to_ascii_lowercase().contains("<script"), "{file}: {h}");
            assert!(!h.contains("</text>"), "{file}: {h}");
        }
        assert!(html.iter().any(|h| h.contains("&lt;script&gt;")), "{file}");
        // ... and Graphviz itself draws it without a complaint into an inert SVG.
        if crate::render::graphviz() {
            let svg = crate::render::dot_clean(&dot);
            let text = inert_svg(&format!("dot -Tsvg {file}"), &svg);
            assert!(text.contains("alert(1)</script>"), "{file}: {text}");
        }
    }
}

#[test]
fn render_svg_carries_the_text_escaped_and_inert() {
    let t = tree();
    let mut engines = vec!["builtin"];
    if crate::render::graphviz() {
        engines.push("graphviz");
    }
    for engine in engines {
        for target in ["XA", "overview"] {
            let file = format!("{target}-{engine}.svg");
            ok(
                t.path(),
                &["render", target, "--engine", engine, "-o", &file],
            );
            let svg = fs::read_to_string(t.path().join(&file)).unwrap();
            let text = inert_svg(&file, &svg);
            // The tower draws every node; the overview draws countries and owners.
            let names: &[&str] = if target == "XA" {
                &[MODEL_X, COUNTRY, EVIL, CHAT, PIPE]
            } else {
                &[COUNTRY]
            };
            for name in names {
                for part in shown(name) {
                    // Labels are wrapped at spaces; every word of the name is drawn.
                    for word in part.split_whitespace() {
                        assert!(text.contains(word), "{file}: `{word}` missing");
                    }
                }
            }
            if target == "XA" {
                assert!(text.contains(COUNTRY), "{file}: the title is not the name");
            }
        }
    }
}

/// A minimal RFC 4180 reader: rows of cells.
fn csv_rows(s: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') if cell.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    assert!(!quoted, "an unterminated quoted cell");
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows
}

/// Every cell is either a number or does not start a spreadsheet formula.
fn formula_safe(what: &str, csv: &str) -> Vec<Vec<String>> {
    no_deceptive_characters(what, csv);
    let rows = csv_rows(csv);
    let width = rows.first().map_or(0, Vec::len);
    for r in &rows {
        assert_eq!(r.len(), width, "{what}: a row of another width: {r:?}");
        for c in r {
            if c.parse::<f64>().is_err() {
                assert!(
                    !c.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{what}: the cell `{c}` starts a formula"
                );
            }
        }
    }
    rows
}

#[test]
fn csv_neutralises_formulas() {
    let t = tree();
    let choke = ok(t.path(), &["chokepoints", "--format", "csv"]).stdout;
    let rows = formula_safe("chokepoints csv", &choke);
    assert!(
        rows.iter().flatten().any(|c| c == &format!("'{EVIL}")),
        "{choke}"
    );
    let deps = ok(t.path(), &["dependents", "h100", "--format", "csv"]).stdout;
    let rows = formula_safe("dependents csv", &deps);
    assert!(
        rows.iter().flatten().any(|c| c.starts_with("'+cmd|")),
        "{deps}"
    );
    for cmd in [
        &["scenario", "--remove", "h100"][..],
        &["cutsets", "model-x"],
        &["sovereignty", "XA"],
    ] {
        let mut args = cmd.to_vec();
        args.extend(["--format", "csv"]);
        let out = ok(t.path(), &args).stdout;
        formula_safe(&format!("{cmd:?} csv"), &out);
    }
    ok(t.path(), &["export", "--format", "csv", "-o", "csv"]);
    for f in ["nodes.csv", "edges.csv"] {
        let s = fs::read_to_string(t.path().join("csv").join(f)).unwrap();
        let rows = formula_safe(f, &s);
        if f == "nodes.csv" {
            assert!(
                rows.iter().flatten().any(|c| c == &format!("'{EVIL}")),
                "{s}"
            );
            assert!(rows.iter().flatten().any(|c| c == MODEL_X), "{s}");
        }
    }
}

/// The number of column separators in a Markdown table row: `|` not escaped by an
/// odd run of backslashes.
fn separators(line: &str) -> usize {
    let mut n = 0;
    let mut backslashes = 0;
    for c in line.chars() {
        match c {
            '\\' => backslashes += 1,
            '|' if backslashes % 2 == 0 => {
                n += 1;
                backslashes = 0;
            }
            _ => backslashes = 0,
        }
    }
    n
}

fn markdown_safe(what: &str, md: &str) {
    no_deceptive_characters(what, md);
    assert!(
        !md.replace("<br>", "").contains('<'),
        "{what}: raw HTML:\n{md}"
    );
    // Each table (a run of `|` lines) keeps its header's column count on every row.
    let mut columns = None;
    let mut tables = 0;
    for line in md.lines() {
        if !line.starts_with('|') {
            columns = None;
            continue;
        }
        let n = separators(line);
        match columns {
            None => {
                columns = Some(n);
                tables += 1;
            }
            Some(c) => assert_eq!(n, c, "{what}: a cell broke the table: {line}"),
        }
    }
    assert!(tables > 0, "{what}: no table:\n{md}");
}

#[test]
fn markdown_escapes_pipes_and_markup() {
    let t = tree();
    let choke = ok(t.path(), &["chokepoints", "--format", "markdown"]).stdout;
    markdown_safe("chokepoints markdown", &choke);
    assert!(choke.contains("a\\|b"), "{choke}");
    let deps = ok(t.path(), &["dependents", "h100", "--format", "markdown"]).stdout;
    markdown_safe("dependents markdown", &deps);
    assert!(deps.contains("&lt;script&gt;"), "{deps}");
    assert!(deps.contains("Testland &lt;/text&gt;"), "{deps}");
    for cmd in [
        &["scenario", "--remove", "h100"][..],
        &["cutsets", "model-x"],
        &["sovereignty", "XA"],
    ] {
        let mut args = cmd.to_vec();
        args.extend(["--format", "markdown"]);
        let out = ok(t.path(), &args).stdout;
        markdown_safe(&format!("{cmd:?} markdown"), &out);
    }
}

#[test]
fn exports_escape_labels_in_their_own_grammar() {
    let t = tree();
    // GraphML: well-formed XML whose label data decode to the names (bidi overrides
    // and controls replaced).
    ok(
        t.path(),
        &["export", "--format", "graphml", "-o", "g.graphml"],
    );
    let g = fs::read_to_string(t.path().join("g.graphml")).unwrap();
    no_deceptive_characters("graphml", &g);
    let doc = roxmltree::Document::parse(&g).unwrap();
    let labels: Vec<&str> = doc
        .descendants()
        .filter(|n| n.attribute("key") == Some("n_label"))
        .filter_map(|n| n.text())
        .collect();
    assert!(labels.contains(&MODEL_X), "{labels:?}");
    assert!(labels.contains(&EVIL), "{labels:?}");
    assert!(labels.contains(&PIPE), "{labels:?}");
    assert!(
        labels
            .iter()
            .any(|l| l.starts_with("+cmd|' /C calc'!A0 \u{FFFD}gnp.exe")),
        "{labels:?}"
    );
    assert!(!doc.descendants().any(|n| n.tag_name().name() == "script"));

    // Mermaid: every label is one quoted string with no quote, angle bracket, pipe or
    // bracket inside (they are entity codes), so none can end its node or edge.
    ok(t.path(), &["export", "--format", "mermaid", "-o", "g.mmd"]);
    let m = fs::read_to_string(t.path().join("g.mmd")).unwrap();
    no_deceptive_characters("mermaid", &m);
    for line in m
        .lines()
        .filter(|l| l.contains("[\"") || l.contains("([\""))
    {
        let line = line.replace("<br/>", " ");
        let inner = line
            .split_once('"')
            .and_then(|(_, rest)| rest.rsplit_once('"'))
            .map(|(inner, _)| inner)
            .unwrap_or_else(|| panic!("mermaid: an unquoted label: {line}"));
        assert!(
            !inner.contains(['"', '<', '>', '|', '[', ']', '`']),
            "mermaid: a label can break out: {line}"
        );
    }
    assert!(m.contains("#60;script#62;"), "{m}");

    // JSON: parses, and keeps every name verbatim (data, escaped by JSON's grammar).
    ok(t.path(), &["export", "--format", "json", "-o", "g.json"]);
    let j: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(t.path().join("g.json")).unwrap()).unwrap();
    let names: Vec<&str> = j["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["name"].as_str())
        .collect();
    for name in [MODEL_X, EVIL, CHAT, PIPE] {
        assert!(names.contains(&name), "json lost {name:?}: {names:?}");
    }
    assert_eq!(j["countries"][0]["name"], COUNTRY);
}

/// Every file under `dir`, with its bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p.clone());
            }
            out.push((
                p.strip_prefix(dir).unwrap().display().to_string(),
                fs::read(&p).unwrap_or_default(),
            ));
        }
    }
    out.sort();
    out
}

#[test]
fn output_into_the_stacks_a_directory_or_a_missing_parent_is_refused() {
    let t = tree();
    fs::create_dir(t.path().join("figures")).unwrap();
    let before = files(t.path());
    let cases: [(&[&str], &str); 9] = [
        (
            &["render", "XA", "-o", "stacks/xa.svg"],
            "error: refusing to write `stacks/xa.svg`: it is inside the input directory `stacks`, which jenga never writes; choose an output path outside it\n",
        ),
        (
            &[
                "render",
                "XA",
                "--format",
                "dot",
                "-o",
                "stacks/../stacks/xa.dot",
            ],
            "error: refusing to write `stacks/../stacks/xa.dot`: it is inside the input directory `stacks`, which jenga never writes; choose an output path outside it\n",
        ),
        (
            &["render", "XA", "-o", "figures"],
            "error: cannot write `figures`: it is a directory; give a file name (e.g. `figures/out.svg`)\n",
        ),
        (
            &[
                "render",
                "overview",
                "--format",
                "dot",
                "-o",
                "missing/overview.dot",
            ],
            "error: cannot write `missing/overview.dot`: the directory `missing` does not exist; create it first\n",
        ),
        (
            &["export", "--format", "graphml", "-o", "stacks/g.graphml"],
            "error: refusing to write `stacks/g.graphml`: it is inside the input directory `stacks`, which jenga never writes; choose an output path outside it\n",
        ),
        (
            &["export", "--format", "mermaid", "-o", "figures"],
            "error: cannot write `figures`: it is a directory; give a file name (e.g. `figures/out.svg`)\n",
        ),
        (
            &["export", "--format", "json", "-o", "missing/g.json"],
            "error: cannot write `missing/g.json`: the directory `missing` does not exist; create it first\n",
        ),
        (
            &["export", "--format", "csv", "-o", "stacks"],
            "error: refusing to write `stacks/nodes.csv`: it is inside the input directory `stacks`, which jenga never writes; choose an output path outside it\n",
        ),
        (
            &[
                "export",
                "--format",
                "open-psa",
                "XA",
                "-o",
                "stacks/xa.xml",
            ],
            "error: refusing to write `stacks/xa.xml`: it is inside the input directory `stacks`, which jenga never writes; choose an output path outside it\n",
        ),
    ];
    for (args, expected) in cases {
        let out = run(t.path(), args);
        assert_eq!(out.code, 1, "jenga {args:?}: {}", out.stderr);
        assert_eq!(out.stderr, expected, "jenga {args:?}");
        assert_eq!(out.stdout, "", "jenga {args:?}");
        assert_eq!(files(t.path()), before, "jenga {args:?} wrote something");
    }
}

#[test]
fn file_names_come_only_from_validated_ids() {
    let t = tree();
    // The one command that names a file after user data (`new country CODE`) takes the
    // name from a validated ISO code; a path-like code is refused before any write.
    let before = files(t.path());
    for code in ["../../etc", "..", "x/y", "XA/../..", "a\u{202E}b"] {
        let out = run(t.path(), &["new", "country", code]);
        assert_eq!(out.code, 2, "new country {code:?}: {}", out.stderr);
        // A bidi override is refused by the argument guard before any command runs.
        assert!(
            out.stderr.contains("is not a country code")
                || out
                    .stderr
                    .contains("holds a control character or a bidirectional override"),
            "{}",
            out.stderr
        );
        no_deceptive_characters("the error", &out.stderr);
        assert_eq!(
            files(t.path()),
            before,
            "new country {code:?} wrote something"
        );
    }
    // And a country code from the data that looks like a path never loads (the
    // hostile battery's `path_like_country_code`), so no figure is named after it.
    let stacks = t.path().join("stacks");
    let xa = fs::read_to_string(stacks.join("xa.yaml")).unwrap();
    fs::write(
        stacks.join("xa.yaml"),
        xa.replace("country: XA", "country: ../../etc"),
    )
    .unwrap();
    let out = run(t.path(), &["render", "../../etc", "-o", "x.svg"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("stacks/xa.yaml:2:10"), "{}", out.stderr);
    assert!(!t.path().join("x.svg").exists());
}
