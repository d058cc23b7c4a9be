//! The ecosystem: JSON Schema, exports, completions, man pages, `new country`.

use std::path::{Path, PathBuf};

use clap::CommandFactory as _;

use crate::harness::{expect_file, fixtures, jenga, jenga_in, root, yaml_files};

// ---------------------------------------------------------------------------
// Schema

/// A YAML file as JSON, the way an editor's YAML language server sees it.
fn yaml_to_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_saphyr::from_str::<serde_json::Value>(&text)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn validator() -> jsonschema::Validator {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("stacks/schema.json")).unwrap())
            .unwrap();
    jsonschema::draft7::new(&schema).expect("the schema is valid draft-07")
}

fn errors(v: &jsonschema::Validator, path: &Path) -> Vec<String> {
    v.iter_errors(&yaml_to_json(path))
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn committed_schema_is_fresh() {
    let out = jenga(&["schema"]);
    assert_eq!(out.code, 0);
    expect_file(&root().join("stacks/schema.json"), &out.stdout);
}

#[test]
fn every_stack_file_and_valid_fixture_validates_and_names_the_schema() {
    let v = validator();
    let files: Vec<PathBuf> = yaml_files(&root().join("stacks"))
        .into_iter()
        .chain(yaml_files(&fixtures().join("valid")))
        .chain(yaml_files(&fixtures().join("eco/evil")))
        .collect();
    assert!(files.len() >= 7);
    for f in files {
        let e = errors(&v, &f);
        assert!(e.is_empty(), "{} fails the schema: {e:#?}", f.display());
        let first = std::fs::read_to_string(&f).unwrap();
        assert!(
            first
                .lines()
                .next()
                .unwrap()
                .starts_with("# yaml-language-server: $schema="),
            "{} lacks the schema line",
            f.display()
        );
    }
}

#[test]
fn invalid_fixtures_the_schema_can_express_are_rejected() {
    let v = validator();
    for (case, file, at) in [
        ("unknown-field", "xb.yaml", "/nodes/0"),
        ("two-files", "xb.yaml", "/nodes/0"),
        ("wrong-type", "xb.yaml", "/nodes/0/needs"),
        ("unknown-layer", "xb.yaml", "/nodes/0/layer"),
        ("country-code", "xb.yaml", "/country"),
        ("empty-any", "xb.yaml", "/nodes/0/needs/0"),
    ] {
        let e = errors(&v, &fixtures().join("err").join(case).join(file));
        assert!(
            e.iter().any(|m| m.starts_with(&format!("{at}:"))),
            "{case}: expected an error at {at}, got {e:#?}"
        );
    }
}

#[test]
fn schema_accepts_scalars_the_loader_reads_as_text() {
    let v = validator();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.yaml");
    std::fs::write(
        &path,
        "bibliography:\n  - {id: src, title: 2024, author: true, date: 2024}\nnodes:\n  - {id: 123, name: 4.5, layer: chips, sources: [src], notes: yes}\n",
    )
    .unwrap();
    assert!(jenga::load::load_file(&path, &jenga::load::Limits::default()).is_ok());
    assert_eq!(errors(&v, &path), Vec::<String>::new());
    std::fs::write(&path, "nodes:\n  - {id: x, name: X, layer: 3}\n").unwrap();
    assert!(
        !errors(&v, &path).is_empty(),
        "an enum still takes only its names"
    );
    // The plain forms of `sources` and `needs` take strings only, in both.
    for bad in ["sources: [2024]", "needs: [7]"] {
        std::fs::write(&path, format!("nodes:\n  - {{id: x, name: X, {bad}}}\n")).unwrap();
        assert!(jenga::load::load_file(&path, &jenga::load::Limits::default()).is_err());
        assert!(!errors(&v, &path).is_empty(), "{bad}");
    }
}

#[test]
fn schema_agrees_with_the_loader_on_needs_forms() {
    let v = validator();
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("[h100]", true),
        ("[{any: [a, b]}]", true),
        ("[{at-least: 1, of: [a, b]}]", true),
        ("[{unknown: tbd}]", true),
        ("[{unknown: tbd, among: [a]}]", true),
        ("[{at-least: 1}]", false),
        ("[{of: [a]}]", false),
        ("[{among: [a]}]", false),
        ("[{any: [a], unknown: x}]", false),
        ("[{anyy: [a]}]", false),
        ("[7]", false),
        ("[{any: [7, h100]}]", true),
        ("[{at-least: 1, of: [true]}]", true),
    ];
    for (needs, ok) in cases {
        let yaml = format!("nodes:\n  - id: node-x\n    name: Node X\n    needs: {needs}\n");
        let path = dir.path().join("t.yaml");
        std::fs::write(&path, &yaml).unwrap();
        let loader = jenga::load::load_file(&path, &jenga::load::Limits::default()).is_ok();
        let schema = errors(&v, &path).is_empty();
        assert_eq!(loader, ok, "loader on {needs}");
        assert_eq!(schema, ok, "schema on {needs}");
    }
}

// ---------------------------------------------------------------------------
// Export

fn counts() -> (usize, usize) {
    let limits = jenga::load::Limits::default();
    let loaded = jenga::load::load_dir(&root().join("stacks"), &limits).unwrap();
    let w = jenga::graph::build(&loaded.files).unwrap();
    (w.len(), w.graph.edge_count())
}

#[test]
fn networkx_reads_the_graphml() {
    if std::process::Command::new("python3")
        .args(["-c", "import networkx"])
        .status()
        .map_or(true, |s| !s.success())
    {
        assert!(
            std::env::var_os("JENGA_REQUIRE_NETWORKX").is_none(),
            "networkx is required"
        );
        eprintln!("skipped: python3 with networkx is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("world.graphml");
    let out = jenga_in(
        root(),
        &[
            "export",
            "--format",
            "graphml",
            "-o",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let py = "import sys, networkx as nx\n\
              g = nx.read_graphml(sys.argv[1])\n\
              print(g.number_of_nodes(), g.number_of_edges())\n\
              n = g.nodes['h100']\n\
              print(n['label'], n['layer'], n['org'], n['jurisdiction'])\n\
              print(g.nodes['nvidia']['kind'], g.edges['h100', 'nvidia']['kind'])\n";
    let r = std::process::Command::new("python3")
        .args(["-c", py, file.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&r.stdout);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let (n, e) = counts();
    let mut lines = text.lines();
    assert_eq!(lines.next().unwrap(), format!("{n} {e}"));
    assert_eq!(lines.next().unwrap(), "Nvidia H100 chips nvidia US");
    assert_eq!(lines.next().unwrap(), "organization owned-by");
}

#[test]
fn json_export_lists_every_node_and_edge() {
    let out = jenga_in(root(), &["export", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let j: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let (n, e) = counts();
    let nodes = j["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), n);
    assert!(
        nodes
            .iter()
            .all(|x| x["id"].is_string() && x["name"].is_string())
    );
    assert_eq!(j["edges"].as_array().unwrap().len(), e);
    assert_eq!(j["target"], serde_json::Value::Null);
    let again = jenga_in(root(), &["export", "--format", "json"]);
    assert_eq!(out.stdout, again.stdout, "output is deterministic");
}

#[test]
fn export_of_a_country_is_its_cone() {
    let out = jenga_in(root(), &["export", "--format", "json", "JP"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let j: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let ids: Vec<&str> = j["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    for id in ["fugaku-llm", "fugaku", "a64fx", "fujitsu"] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    assert!(!ids.contains(&"sea-lion"), "{ids:?}");
    assert_eq!(j["countries"][0]["code"], "JP");
    let bad = jenga_in(root(), &["export", "--format", "json", "fugku"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("did you mean `fugaku`?"),
        "{}",
        bad.stderr
    );
}

#[test]
fn mermaid_export_is_a_well_formed_flowchart() {
    let out = jenga_in(root(), &["export", "--format", "mermaid", "SG"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut lines = out.stdout.lines();
    assert_eq!(lines.next(), Some("flowchart TD"));
    // `nK["label"]`, `nK(["label"])`, or an unknown group's `uK{{"unknown SCOPE: note"}}`.
    let node = |l: &str, prefix: char| {
        let l = l.trim();
        let Some(rest) = l.strip_prefix(prefix) else {
            return false;
        };
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        let body = &rest[digits..];
        let inner = if prefix == 'u' {
            // `unknown: note`, or with the scope: `unknown compute: note`,
            // `unknown compute, one of the candidates: note`.
            body.strip_prefix("{{\"unknown")
                .and_then(|b| b.split_once(": "))
                .filter(|(scope, _)| {
                    scope.is_empty()
                        || scope
                            .strip_prefix(' ')
                            .is_some_and(|x| !x.is_empty() && !x.contains('"'))
                })
                .and_then(|(_, b)| b.strip_suffix("\"}}"))
        } else {
            body.strip_prefix("[\"")
                .and_then(|b| b.strip_suffix("\"]"))
                .or_else(|| {
                    body.strip_prefix("([\"")
                        .and_then(|b| b.strip_suffix("\"])"))
                })
        };
        digits > 0 && inner.is_some_and(|i| !i.contains('"'))
    };
    // `nA --> nB`, `nA -.-> nB`, optionally with a quoted label: `nA -->|"2 of 3"| nB`;
    // `nA -.->|"unknown"| uB` and `uB -.-> nC` for an unknown group and its candidates.
    let edge = |l: &str| {
        let id = |s: &str| {
            s.strip_prefix(['n', 'u'])
                .is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()))
        };
        let Some((from, rest)) = l.split_once(' ') else {
            return false;
        };
        let Some((arrow, to)) = rest.rsplit_once(' ') else {
            return false;
        };
        let arrow = arrow
            .strip_prefix("-->")
            .or_else(|| arrow.strip_prefix("-.->"));
        let label_ok = arrow.is_some_and(|a| {
            a.is_empty()
                || a.strip_prefix("|\"")
                    .and_then(|a| a.strip_suffix("\"|"))
                    .is_some_and(|t| !t.contains(['"', '|']))
        });
        id(from) && id(to) && label_ok
    };
    let (mut nodes, mut unknowns, mut edges, mut to_unknown) = (0, 0, 0, 0);
    for l in lines {
        let t = l.trim();
        if t.starts_with("%%") || t.starts_with("classDef ") || t.starts_with("class ") {
            continue;
        }
        if node(t, 'n') {
            nodes += 1;
        } else if node(t, 'u') {
            unknowns += 1;
        } else if t.contains("->") {
            assert!(edge(t), "malformed edge line: {t}");
            if t.rsplit(' ').next().is_some_and(|to| to.starts_with('u')) {
                to_unknown += 1;
            } else {
                edges += 1;
            }
        } else {
            panic!("unexpected line: {t}");
        }
    }
    let json = jenga_in(root(), &["export", "--format", "json", "SG"]);
    let j: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let groups: Vec<&serde_json::Value> = j["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|n| n["needs"].as_array().unwrap())
        .filter(|g| g["kind"] == "unknown")
        .collect();
    assert_eq!(nodes, j["nodes"].as_array().unwrap().len());
    assert_eq!(unknowns, groups.len());
    assert!(unknowns > 0, "SG's cone has an unknown group (SEA-LION v3)");
    assert_eq!(to_unknown, groups.len());
    assert_eq!(edges, j["edges"].as_array().unwrap().len());
}

#[test]
fn csv_export_writes_neo4j_node_and_edge_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("csv");
    let out = jenga_in(
        root(),
        &["export", "--format", "csv", "-o", d.to_str().unwrap()],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let nodes = std::fs::read_to_string(d.join("nodes.csv")).unwrap();
    let edges = std::fs::read_to_string(d.join("edges.csv")).unwrap();
    assert!(nodes.starts_with(
        "id:ID,name,kind,layer,org,jurisdiction,status,country,unknown:int,needs,:LABEL\r\n"
    ));
    assert!(edges.starts_with(":START_ID,:END_ID,:TYPE,kind,group:int,need:int,of:int\r\n"));
    let (n, e) = counts();
    assert_eq!(nodes.lines().count(), n + 1);
    assert_eq!(edges.lines().count(), e + 1);
    assert!(
        edges.contains("\r\nh100,nvidia,OWNED_BY,owned-by,0,1,1\r\n"),
        "{edges}"
    );
    let no_dir = jenga_in(root(), &["export", "--format", "csv"]);
    assert_eq!(no_dir.code, 2);
    assert!(no_dir.stderr.contains("pass `-o DIR`"));
}

#[test]
fn open_psa_is_one_of_the_export_formats() {
    let out = jenga_in(root(), &["export", "--format", "open-psa", "SG"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("<opsa-mef"), "{}", out.stdout);
    assert!(out.stdout.contains("<define-fault-tree"), "{}", out.stdout);
}

// ---------------------------------------------------------------------------
// Completions and man pages

#[test]
fn completions_for_every_shell_mention_the_subcommands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = jenga(&["completions", shell]);
        assert_eq!(out.code, 0, "{shell}: {}", out.stderr);
        for sub in ["check", "scenario", "chokepoints", "export", "completions"] {
            assert!(out.stdout.contains(sub), "{shell} completions lack `{sub}`");
        }
    }
    assert_eq!(jenga(&["completions", "tcsh"]).code, 2);
}

#[test]
fn bash_completion_script_is_valid_bash() {
    let out = jenga(&["completions", "bash"]);
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("jenga.bash");
    std::fs::write(&f, out.stdout).unwrap();
    let r = std::process::Command::new("bash")
        .args(["-n", f.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(r.success());
}

/// Text for a man page: `-` written `\-` (a hyphen, not a minus), a leading `.` or
/// `'` guarded.
fn roff(text: &str) -> String {
    text.replace('\\', "\\e").replace('-', "\\-")
}

/// Examples of each command (the page's name without `jenga-`; `jenga` for the main
/// page): (what it does, the command line).
fn man_examples(command: &str) -> Vec<(&'static str, &'static str)> {
    match command {
        "jenga" => vec![
            ("Check every stack file.", "jenga check"),
            (
                "What falls if Nvidia is unavailable.",
                "jenga scenario --remove nvidia",
            ),
            ("Write the whole report into output/.", "jenga report"),
        ],
        "check" => vec![
            ("Report every error and warning at once.", "jenga check"),
            (
                "Warnings are errors; results as JSON.",
                "jenga check --strict --format json",
            ),
        ],
        "scenario" => vec![
            (
                "Remove Nvidia for two destinations only.",
                "jenga scenario --remove nvidia --for AE,IN",
            ),
            (
                "Run a scenario file, as JSON.",
                "jenga scenario scenarios/us-cutoff.yaml --format json",
            ),
        ],
        "chokepoints" => vec![
            (
                "The ten nodes whose removal does most damage.",
                "jenga chokepoints --top 10",
            ),
            (
                "By jurisdiction, as CSV.",
                "jenga chokepoints --by jurisdiction --format csv",
            ),
        ],
        "concentration" => vec![(
            "Concentration by supplying firm.",
            "jenga concentration --by org",
        )],
        "cutsets" => vec![(
            "The minimal cut sets of Singapore's stack.",
            "jenga cutsets SG",
        )],
        "why" => vec![("Why Japan depends on Nvidia.", "jenga why JP nvidia")],
        "dependents" => vec![("Everything that needs the H100.", "jenga dependents h100")],
        "sovereignty" => vec![(
            "India's domestic, allied and foreign shares.",
            "jenga sovereignty IN",
        )],
        "table" => vec![("The source's Table 1.", "jenga table models")],
        "render" => vec![
            ("Singapore's tower as PDF.", "jenga render SG -o sg.pdf"),
            (
                "The overview with a scenario's overlay.",
                "jenga render overview --scenario scenarios/nvidia.yaml -o nvidia.svg",
            ),
        ],
        "report" => vec![(
            "Every figure and table into a directory.",
            "jenga report -o /tmp/report",
        )],
        "import" => vec![
            (
                "An Open-PSA fault tree as a stack file.",
                "jenga import open-psa tree.xml -o imported.yaml",
            ),
            (
                "A TOP500 list as a stack directory.",
                "jenga import top500 TOP500_202411.csv -o top500/",
            ),
        ],
        "export" => vec![
            (
                "The graph for Gephi or networkx.",
                "jenga export --format graphml -o world.graphml",
            ),
            (
                "Japan's cone as an Open-PSA fault tree.",
                "jenga export --format open-psa JP -o jp.xml",
            ),
        ],
        "diff" => vec![(
            "What changed, with a figure.",
            "jenga diff stacks-2024/ stacks/ --figure changes.svg",
        )],
        "schema" => vec![
            (
                "Refresh the committed schema of stack files.",
                "jenga schema > stacks/schema.json",
            ),
            (
                "The schema of scenario files.",
                "jenga schema --scenario > scenarios/schema.json",
            ),
        ],
        "new" => vec![(
            "Scaffold Thailand in a subfolder.",
            "jenga new country TH -o stacks/asia/th.yaml",
        )],
        "generate" => vec![(
            "A synthetic world of 100 countries.",
            "jenga generate --output /tmp/world --countries 100",
        )],
        "completions" => vec![(
            "Install bash completions (static).",
            "jenga completions bash > ~/.local/share/bash-completion/completions/jenga",
        )],
        _ => Vec::new(),
    }
}

/// The EXIT STATUS, ENVIRONMENT and EXAMPLES sections of the page of `command`.
fn man_extra_sections(command: &str) -> String {
    let mut o = String::new();
    o.push_str(".SH \"EXIT STATUS\"\n");
    for (code, what) in [
        ("0", "Success (also when standard output is a closed pipe)."),
        (
            "1",
            "A data or analysis error: an invalid stack or scenario file (the message names file:line:column and the fix), a failed write, a missing tool such as Graphviz for --engine graphviz.",
        ),
        (
            "2",
            "A usage error: an unknown option or value, a mismatched --format and output extension, a file jenga would overwrite or a path it refuses.",
        ),
    ] {
        o.push_str(&format!(".TP\n{code}\n{}\n", roff(what)));
    }
    o.push_str(".SH ENVIRONMENT\n");
    for (var, what) in [
        (
            "NO_COLOR",
            "When set and not empty, --color auto never colours.",
        ),
        (
            "JENGA_SOURCE_TEXT",
            "The plain text of the source, against which check verifies every quote (as --sources-dir does).",
        ),
        (
            "JENGA_TIMINGS",
            "When 1, print the time of each phase (load, validate, build, analyse, render) on standard error.",
        ),
        (
            "PATH",
            "Where the Graphviz dot program is looked up for --engine graphviz and auto.",
        ),
        (
            "TERM",
            "Progress is drawn only on a terminal whose TERM is not dumb.",
        ),
    ] {
        o.push_str(&format!(".TP\n\\fB{}\\fR\n{}\n", roff(var), roff(what)));
    }
    let examples = man_examples(command);
    if !examples.is_empty() {
        o.push_str(".SH EXAMPLES\n");
        for (what, line) in examples {
            o.push_str(&format!(".TP\n{}\n.B {}\n", roff(what), roff(line)));
        }
    }
    o
}

/// The man pages: `docs/man/jenga.1` and one `jenga-<command>.1` per subcommand, each
/// with EXIT STATUS, ENVIRONMENT and EXAMPLES. The `help` subcommand has no page and
/// is not listed (`jenga help CMD` is `jenga CMD --help`).
fn man_pages() -> Vec<(String, String)> {
    let cmd = jenga::cli::Cli::command().disable_help_subcommand(true);
    let mut pages = Vec::new();
    let mut render = |name: String, command: &str, c: clap::Command| {
        let mut buf = Vec::new();
        clap_mangen::Man::new(c).render(&mut buf).unwrap();
        let mut page = String::from_utf8(buf).unwrap();
        let extra = man_extra_sections(command);
        match page.find("\n.SH VERSION") {
            Some(at) => page.insert_str(at + 1, &extra),
            None => page.push_str(&extra),
        }
        pages.push((name, page));
    };
    render("jenga.1".to_owned(), "jenga", cmd.clone());
    for sub in cmd.get_subcommands() {
        let name = format!("jenga-{}", sub.get_name());
        let file = format!("{name}.1");
        render(
            file,
            sub.get_name(),
            sub.clone().name(&*Box::leak(name.into_boxed_str())),
        );
    }
    pages
}

/// Every page has the three sections, names only pages that exist in its SEE ALSO and
/// subcommand list, and each example's command exists.
#[test]
fn man_pages_have_exit_status_environment_examples_and_no_dangling_reference() {
    let pages = man_pages();
    let names: Vec<String> = pages
        .iter()
        .map(|(f, _)| f.trim_end_matches(".1").to_owned())
        .collect();
    let cmd = jenga::cli::Cli::command();
    for (file, page) in &pages {
        for section in [".SH \"EXIT STATUS\"", ".SH ENVIRONMENT", ".SH EXAMPLES"] {
            assert!(page.contains(section), "{file} lacks {section}");
        }
        // Every `name(1)` reference is a page we write.
        for (at, _) in page.match_indices("(1)") {
            let start = page[..at]
                .rfind(|c: char| c.is_whitespace())
                .map_or(0, |i| i + 1);
            let name = page[start..at].replace("\\-", "-");
            assert!(names.contains(&name), "{file} refers to {name}(1)");
        }
    }
    assert!(!pages.iter().any(|(_, p)| p.contains("jenga\\-help")));
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        assert!(
            !man_examples(sub.get_name()).is_empty(),
            "no example for {}",
            sub.get_name()
        );
        for (_, line) in man_examples(sub.get_name()) {
            assert!(
                line.starts_with(&format!("jenga {}", sub.get_name())),
                "{line}"
            );
        }
    }
    // Every example is a command line jenga accepts (up to a shell redirection).
    let mut all = man_examples("jenga");
    for sub in cmd.get_subcommands() {
        all.extend(man_examples(sub.get_name()));
    }
    for (_, line) in all {
        let words = line.split_whitespace().take_while(|w| *w != ">");
        if let Err(e) = <jenga::cli::Cli as clap::Parser>::try_parse_from(words) {
            panic!("the example `{line}` does not parse: {e}");
        }
    }
}

#[test]
fn committed_man_pages_are_fresh() {
    let dir = root().join("docs").join("man");
    if std::env::var_os("JENGA_BLESS").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
    }
    let pages = man_pages();
    for (name, text) in &pages {
        expect_file(&dir.join(name), text);
    }
    let committed = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(committed, pages.len(), "stale pages in docs/man");
    let page = &pages[0].1;
    assert!(page.contains(".TH jenga 1"));
    assert!(page.contains("jenga\\-check(1)") || page.contains("check"));
}

#[test]
fn man_renders_the_page() {
    if std::process::Command::new("man")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: man is not installed");
        return;
    }
    let r = std::process::Command::new("man")
        .args(["-l", "-P", "cat"])
        .arg(root().join("docs/man/jenga.1"))
        .env("MANWIDTH", "80")
        .output()
        .unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let text = String::from_utf8_lossy(&r.stdout);
    assert!(text.contains("Pull a block, see what falls"), "{text}");
}

// ---------------------------------------------------------------------------
// new country

#[test]
fn new_country_scaffolds_a_file_that_passes_check() {
    let dir = tempfile::tempdir().unwrap();
    let stacks = dir.path().join("stacks");
    std::fs::create_dir(&stacks).unwrap();
    for f in ["suppliers.yaml", "sources.yaml", "schema.json"] {
        std::fs::copy(root().join("stacks").join(f), stacks.join(f)).unwrap();
    }
    let out = jenga_in(dir.path(), &["new", "country", "fr"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        "created stacks/fr.yaml: replace every TODO, then run `jenga check`\n"
    );
    let text = std::fs::read_to_string(stacks.join("fr.yaml")).unwrap();
    assert!(text.starts_with("# yaml-language-server: $schema=schema.json\n"));
    assert!(text.contains("country: FR\n"));
    let check = jenga_in(dir.path(), &["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stderr.contains("2 countries") || check.stderr.contains("1 country"),
        "{}",
        check.stderr
    );
    // Issue #15: a scaffold still holding `TODO` fails `check --strict`, at each
    // placeholder; once they are replaced it passes.
    let strict = jenga_in(dir.path(), &["check", "--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    let todos = text
        .lines()
        .filter(|l| l.contains("TODO") && !l.trim_start().starts_with('#'))
        .count();
    assert_eq!(
        strict.stderr.matches("error[placeholder]").count(),
        todos,
        "{}",
        strict.stderr
    );
    assert!(
        strict.stderr.contains("stacks/fr.yaml:"),
        "{}",
        strict.stderr
    );
    std::fs::write(stacks.join("fr.yaml"), text.replace("TODO", "Filled in")).unwrap();
    let filled = jenga_in(dir.path(), &["check", "--strict"]);
    assert_eq!(filled.code, 0, "{}", filled.stderr);
    std::fs::write(stacks.join("fr.yaml"), &text).unwrap();
    assert!(errors(&validator(), &stacks.join("fr.yaml")).is_empty());

    // Never overwrites, refuses a declared country, validates the code.
    let again = jenga_in(dir.path(), &["new", "country", "FR"]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already"), "{}", again.stderr);
    let other = jenga_in(
        dir.path(),
        &["new", "country", "FR", "-o", "stacks/other.yaml"],
    );
    assert_eq!(other.code, 2);
    assert!(
        other
            .stderr
            .contains("already declared in `stacks/fr.yaml`"),
        "{}",
        other.stderr
    );
    let uk = jenga_in(dir.path(), &["new", "country", "UK"]);
    assert_eq!(uk.code, 2);
    assert!(uk.stderr.contains("`GB`"), "{}", uk.stderr);
    assert_eq!(jenga_in(dir.path(), &["new", "country", "../x"]).code, 2);
    assert_eq!(jenga_in(dir.path(), &["new", "region", "FR"]).code, 2);
    let existing = dir.path().join("taken.yaml");
    std::fs::write(&existing, "keep me").unwrap();
    let taken = jenga_in(dir.path(), &["new", "country", "DE", "-o", "taken.yaml"]);
    assert_eq!(taken.code, 2);
    assert_eq!(std::fs::read_to_string(existing).unwrap(), "keep me");
}

// ---------------------------------------------------------------------------
// Colour and progress

/// Runs `jenga ARGS` under a pseudo-terminal (util-linux `script`), in the crate
/// root, with extra environment; `None` when `script` is not installed.
fn on_terminal(args: &str, env: &[(&str, &str)]) -> Option<String> {
    let probe = std::process::Command::new("script")
        .arg("--version")
        .output();
    if probe.is_err() {
        eprintln!("skipped: util-linux `script` is not installed");
        return None;
    }
    let mut cmd = std::process::Command::new("script");
    cmd.args(["-qec"])
        .arg(format!("{} {args}", env!("CARGO_BIN_EXE_jenga")))
        .arg("/dev/null")
        .current_dir(root())
        .env_remove("NO_COLOR")
        .env("TERM", "xterm");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn progress_is_drawn_on_a_terminal_only() {
    let Some(tty) = on_terminal("check", &[]) else {
        return;
    };
    assert!(tty.contains("loading ["), "{tty:?}");
    assert!(tty.contains("\x1b[36m"), "coloured on a terminal: {tty:?}");
    let quiet = on_terminal("--quiet check", &[]).unwrap();
    assert!(!quiet.contains("loading"), "{quiet:?}");
    let no_color = on_terminal("check", &[("NO_COLOR", "1")]).unwrap();
    assert!(no_color.contains("loading ["), "{no_color:?}");
    assert!(!no_color.contains("\x1b[3"), "NO_COLOR: {no_color:?}");
    let never = on_terminal("--color never check", &[]).unwrap();
    assert!(!never.contains("\x1b[3"), "--color never: {never:?}");
    // In a pipe: nothing but the summary.
    let piped = jenga_in(root(), &["check"]);
    assert!(!piped.stderr.contains("loading"), "{}", piped.stderr);
}

#[test]
fn color_flag_governs_help_and_errors() {
    let always = jenga(&["--color", "always", "--stacks", "err/typo", "check"]);
    assert!(always.stderr.contains("\x1b["), "{}", always.stderr);
    let piped = jenga(&["--stacks", "err/typo", "check"]);
    assert!(!piped.stderr.contains('\x1b'), "{}", piped.stderr);
    let help = jenga(&["--color=always", "--help"]);
    assert!(help.stdout.contains("\x1b["), "{}", help.stdout);
    if let Some(tty) = on_terminal("--color never --help", &[]) {
        assert!(!tty.contains('\x1b'), "{tty:?}");
        let auto = on_terminal("--help", &[("NO_COLOR", "1")]).unwrap();
        assert!(!auto.contains('\x1b'), "{auto:?}");
    }
}

// ---------------------------------------------------------------------------
// Hostile labels through the real consumers

const EVIL: &str = "Nvidia \"A100\" \\ <script>alert(1)</script> & #35; `x` [a] (b) {c} | d";

#[test]
fn networkx_reads_hostile_labels_back_verbatim() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("evil.graphml");
    let out = jenga(&[
        "--stacks",
        "eco/evil",
        "export",
        "--format",
        "graphml",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let py = "import sys, json, networkx as nx\n\
              g = nx.read_graphml(sys.argv[1])\n\
              print(json.dumps([g.nodes['nvidia']['label'], g.nodes['h100']['label'], g.number_of_edges()]))\n";
    let Ok(r) = std::process::Command::new("python3")
        .args(["-c", py, file.to_str().unwrap()])
        .output()
    else {
        assert!(
            std::env::var_os("JENGA_REQUIRE_NETWORKX").is_none(),
            "python3 is required"
        );
        eprintln!("skipped: python3 is not installed");
        return;
    };
    if !r.status.success() && std::env::var_os("JENGA_REQUIRE_NETWORKX").is_none() {
        eprintln!("skipped: {}", String::from_utf8_lossy(&r.stderr));
        return;
    }
    let v: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
    assert_eq!(v[0], EVIL);
    assert_eq!(v[1], "H100\nsecond line");
    assert_eq!(v[2], 6);
}

/// `mmdc` (@mermaid-js/mermaid-cli) from `JENGA_MMDC` or PATH, and a Chromium for it.
pub(crate) fn mermaid_cli() -> Option<(PathBuf, PathBuf)> {
    let find = |name: &str| -> Option<PathBuf> {
        std::env::var_os("PATH").and_then(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join(name))
                .find(|f| f.is_file())
        })
    };
    let mmdc = std::env::var_os("JENGA_MMDC")
        .map(PathBuf::from)
        .or_else(|| find("mmdc"))?;
    let chromium = find("chromium").or_else(|| find("chromium-browser"))?;
    Some((mmdc, chromium))
}

#[test]
fn mermaid_cli_renders_the_export_with_hostile_labels() {
    let Some((mmdc, chromium)) = mermaid_cli() else {
        assert!(
            std::env::var_os("JENGA_REQUIRE_MERMAID").is_none(),
            "mmdc or chromium is missing"
        );
        eprintln!("skipped: mmdc (npm @mermaid-js/mermaid-cli) or chromium is not installed");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("puppeteer.json");
    std::fs::write(
        &config,
        serde_json::json!({
            "executablePath": chromium,
            "args": ["--no-sandbox", "--headless", "--disable-gpu"]
        })
        .to_string(),
    )
    .unwrap();
    for (stacks, target) in [
        ("eco/evil", None),
        ("../../stacks", Some("SG")),
        ("../../stacks", None),
    ] {
        let mut args = vec!["--stacks", stacks, "export", "--format", "mermaid"];
        args.extend(target);
        let out = jenga(&args);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let input = dir.path().join("in.mmd");
        let svg = dir.path().join("out.svg");
        std::fs::write(&input, &out.stdout).unwrap();
        let r = std::process::Command::new(&mmdc)
            .arg("-p")
            .arg(&config)
            .arg("-i")
            .arg(&input)
            .arg("-o")
            .arg(&svg)
            .output()
            .unwrap();
        assert!(
            r.status.success(),
            "mmdc rejected the export of {stacks}: {}",
            String::from_utf8_lossy(&r.stderr)
        );
        let text = std::fs::read_to_string(&svg).unwrap();
        assert!(!text.contains("<script"), "a label injected markup");
        if stacks == "eco/evil" {
            let shown = EVIL
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            assert!(text.contains(&shown), "the label is not shown verbatim");
        }
    }
}

// ---------------------------------------------------------------------------
// diff (structural part)

#[test]
fn diff_reports_structural_changes_between_directories() {
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("new");
    std::fs::create_dir(&new).unwrap();
    let valid = fixtures().join("valid");
    std::fs::copy(valid.join("xa.yaml"), new.join("xa.yaml")).unwrap();
    let shared = std::fs::read_to_string(valid.join("shared.yaml"))
        .unwrap()
        .replace("    name: H100\n", "    name: H100 SXM\n")
        + "  - id: a100\n    name: A100\n    layer: chips\n    org: nvidia\n    sources: [src]\n";
    std::fs::write(new.join("shared.yaml"), shared).unwrap();
    let new_s = new.to_str().unwrap();
    let out = jenga(&["diff", "valid", new_s, "--format", "csv"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // The structural rows come first; a100 also enters the ranking (it is a new
    // candidate), which tests/integration/diff.rs checks in detail.
    assert!(
        out.stdout.starts_with(
            "change,id,name,field,old,new\r\n\
             node added,a100,A100,,,\r\n\
             node changed,h100,H100 SXM,name,H100,H100 SXM\r\n\
             dependency added,a100,,owned-by,,nvidia\r\n"
        ),
        "{}",
        out.stdout
    );
    assert!(out.stderr.contains("1 node added"), "{}", out.stderr);
    let json = jenga(&["diff", "valid", new_s, "--format", "json"]);
    let j: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(j["nodes_added"][0]["id"], "a100");
    assert_eq!(j["nodes_added"][0]["name"], "A100");
    assert_eq!(j["dependencies_added"][0]["to"], "nvidia");
    let same = jenga(&["diff", "valid", "valid", "--format", "json"]);
    let j: serde_json::Value = serde_json::from_str(&same.stdout).unwrap();
    assert_eq!(j["nodes_changed"], serde_json::json!([]));
    let broken = jenga(&["diff", "valid", "err/typo"]);
    assert_eq!(
        broken.code, 1,
        "a directory that fails check is a data error"
    );
}

#[test]
fn mermaid_export_warns_beyond_what_renderers_accept() {
    let dir = tempfile::tempdir().unwrap();
    let mut yaml = String::from(
        "bibliography:\n  - {id: src, title: T, author: A, date: '2024'}\nnodes:\n  - {id: n0, name: N0, layer: chips, sources: [src]}\n",
    );
    for i in 1..=600 {
        yaml.push_str(&format!(
            "  - {{id: n{i}, name: N{i}, layer: compute, needs: [n{}], sources: [src]}}\n",
            i - 1
        ));
    }
    std::fs::write(dir.path().join("big.yaml"), yaml).unwrap();
    let stacks = dir.path().to_str().unwrap();
    let out = jenga(&["--stacks", stacks, "export", "--format", "mermaid"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.starts_with("warning: 600 edges"),
        "{}",
        out.stderr
    );
    let small = jenga(&["--stacks", stacks, "export", "--format", "mermaid", "n3"]);
    assert_eq!(small.stderr, "");
    assert_eq!(small.stdout.matches(" --> ").count(), 3);
}
