//! The project's structure holds what its documents say: every test named in README's
//! "Guarantees" exists. (Pure file reading: no binary is run.)

use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file below `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Whether `file` defines a function `name` (a test is a function).
fn defines(file: &Path, name: &str) -> bool {
    let text = fs::read_to_string(file).unwrap_or_default();
    text.contains(&format!("fn {name}("))
}

/// The code spans of README's "Guarantees" section (up to the next `## ` heading).
fn guarantee_spans() -> Vec<String> {
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme
        .find("\n## Guarantees\n")
        .expect("README has a Guarantees section");
    let rest = &readme[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |e| e + 3);
    rest[..end]
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

fn is_ident(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && s.starts_with(|c: char| c.is_ascii_lowercase())
}

/// Every test the Guarantees section names exists: `file::name` (an integration test
/// file of `tests/integration/`), `module::tests::name` (a unit test in a file of
/// `src/` named after the module), and bare `snake_case_names` with an underscore (the
/// budget table's `hostile::` tests; a fuzz target or a function jenga calls also
/// counts). Words without `_` or `::` (fuzz target names, flags, values) are not test
/// names.
#[test]
fn every_test_named_in_the_readme_guarantees_exists() {
    let root = root();
    let integration = root.join("tests/integration");
    let src_files = rust_files(&root.join("src"));
    let test_files = rust_files(&root.join("tests"));
    let mut checked = 0;
    let mut missing = Vec::new();
    for span in guarantee_spans() {
        let parts: Vec<&str> = span.split("::").collect();
        if !parts.iter().all(|p| is_ident(p)) {
            continue;
        }
        let name = parts[parts.len() - 1];
        let found = match parts.as_slice() {
            // A bare name: a test, a fuzz target, or a function jenga calls.
            [_] if name.contains('_') => {
                test_files.iter().any(|f| defines(f, name))
                    || root.join(format!("fuzz/fuzz_targets/{name}.rs")).is_file()
                    || src_files.iter().any(|f| {
                        fs::read_to_string(f).is_ok_and(|t| t.contains(&format!("{name}(")))
                    })
            }
            [_] => continue,
            [file, ..]
                if !parts.contains(&"tests")
                    && integration.join(format!("{file}.rs")).is_file() =>
            {
                defines(&integration.join(format!("{file}.rs")), name)
            }
            // `a::b::tests::name`: a test of a file of `src/` whose path holds the
            // module (`cutsets::tests::x` is in `src/analysis/cutsets/tests.rs`).
            [modules @ .., _] => {
                let module = modules.iter().rev().find(|m| **m != "tests").copied();
                let Some(module) = module else {
                    missing.push(format!("{span} (no module)"));
                    continue;
                };
                src_files.iter().any(|f| {
                    let rel = f
                        .strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned();
                    let in_module = rel.trim_end_matches(".rs").split('/').any(|c| c == module);
                    in_module && defines(f, name)
                })
            }
            [] => continue,
        };
        checked += 1;
        if !found {
            missing.push(span);
        }
    }
    assert!(
        checked > 50,
        "only {checked} test names found in the Guarantees section"
    );
    assert!(
        missing.is_empty(),
        "README's Guarantees name tests that do not exist: {missing:#?}"
    );
}

/// The `crate::` modules that `file` refers to, outside comments.
fn crate_refs(file: &Path) -> Vec<String> {
    let text = fs::read_to_string(file).unwrap();
    let mut out = Vec::new();
    for line in text.lines() {
        let code = line.trim_start();
        if code.starts_with("//") {
            continue;
        }
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push(name);
            }
            rest = after;
        }
    }
    out
}

/// The file's path below `src/`, with `/` separators.
fn rel(file: &Path) -> String {
    file.strip_prefix(root().join("src"))
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

/// The command modules: one file of `src/run/` per subcommand (or family).
fn command_modules() -> Vec<String> {
    rust_files(&root().join("src/run"))
        .iter()
        .map(|f| rel(f))
        .filter(|r| r.matches('/').count() == 1 && r != "run/common.rs")
        .map(|r| {
            r.trim_start_matches("run/")
                .trim_end_matches(".rs")
                .to_owned()
        })
        .collect()
}

/// The layer order of ARCHITECTURE.md holds: nothing below `cli` imports it (only
/// `main.rs` and `cli` itself may; the commands of `run` take plain arguments);
/// nothing below the commands imports `run` (only `main.rs`, `cli` and `run`); no command module
/// imports another (they share `run/common.rs`); the presentation layer (`present`,
/// `output`) imports neither commands nor `cli`; and nothing below presentation
/// imports it.
#[test]
fn the_module_layers_import_only_downwards() {
    let commands = command_modules();
    assert!(commands.len() >= 10, "{commands:?}");
    let mut wrong = Vec::new();
    for file in rust_files(&root().join("src")) {
        let r = rel(&file);
        let in_commands = r == "run.rs" || r.starts_with("run/");
        let in_cli = r == "cli.rs" || r.starts_with("cli/");
        let refs = crate_refs(&file);
        let text = fs::read_to_string(&file).unwrap();
        for m in &refs {
            let upward = match m.as_str() {
                "cli" => !(in_cli || r == "main.rs"),
                "run" => !(in_commands || in_cli || r == "main.rs"),
                "present" => {
                    !(in_commands
                        || r == "present.rs"
                        || r.starts_with("present/")
                        || r == "lib.rs")
                }
                _ => false,
            };
            if upward {
                wrong.push(format!("{r} imports crate::{m}"));
            }
        }
        if let Some(me) = r
            .strip_prefix("run/")
            .map(|s| s.split(['/', '.']).next().unwrap_or(""))
            && commands.iter().any(|c| c == me)
        {
            for other in commands.iter().filter(|c| *c != me) {
                for pat in [
                    format!("super::{other}::"),
                    format!("crate::run::{other}::"),
                ] {
                    if text
                        .lines()
                        .any(|l| !l.trim_start().starts_with("//") && l.contains(&pat))
                    {
                        wrong.push(format!("command {me} uses command {other} ({pat})"));
                    }
                }
                let uses_braced = text.lines().any(|l| {
                    l.trim_start().starts_with("use super::{")
                        && l.split(['{', '}', ',', ' ']).any(|w| w == other.as_str())
                });
                if uses_braced {
                    wrong.push(format!(
                        "command {me} uses command {other} (use super::{{..}})"
                    ));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layer order: {wrong:#?}"
    );
}

/// The files ARCHITECTURE.md's code map names: the backticked paths of each row's
/// first cell; a name without `/` is beside the previous path of its cell
/// (`src/import/eto.rs`, `epoch.rs`).
fn code_map_paths() -> Vec<String> {
    let doc = fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let start = doc
        .find("\n## Code map")
        .expect("ARCHITECTURE.md has a code map");
    let mut out = Vec::new();
    for line in doc[start + 1..].lines().skip(1) {
        if line.starts_with("## ") {
            break;
        }
        let Some(cell) = line.strip_prefix('|').and_then(|l| l.split('|').next()) else {
            continue;
        };
        let mut dir = String::new();
        for span in cell.split('`').skip(1).step_by(2) {
            let path = if span.contains('/') {
                span.to_owned()
            } else {
                format!("{dir}{span}")
            };
            if let Some(slash) = path.rfind('/') {
                path[..=slash].clone_into(&mut dir);
            }
            out.push(path);
        }
    }
    out
}

/// ARCHITECTURE.md's code map matches the tree: every file of `src/` has a row, and
/// every path the map names exists.
#[test]
fn the_architecture_code_map_matches_the_tree() {
    let named = code_map_paths();
    let root = root();
    let missing: Vec<String> = rust_files(&root.join("src"))
        .iter()
        .map(|f| format!("src/{}", rel(f)))
        .filter(|p| !named.contains(p))
        .collect();
    let stale: Vec<&String> = named.iter().filter(|p| !root.join(p).exists()).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "ARCHITECTURE.md's code map: files without a row {missing:#?}; rows naming nothing {stale:#?}"
    );
}

/// Issue 18: every file of `src/` keeps to one job, and none grows past 600 lines.
#[test]
fn no_file_of_src_is_over_600_lines() {
    let root = root();
    let long: Vec<String> = rust_files(&root.join("src"))
        .iter()
        .filter_map(|f| {
            let lines = fs::read_to_string(f).ok()?.lines().count();
            (lines > 600).then(|| format!("{} ({lines} lines)", rel(f)))
        })
        .collect();
    assert!(long.is_empty(), "files over 600 lines: {long:?}");
}

/// Issue 18: errors are typed (thiserror) end to end; no function of `src/` returns
/// `Result<_, String>` (a `Result` whose last type argument is `String`).
#[test]
fn no_function_of_src_returns_a_string_error() {
    let root = root();
    let mut found = Vec::new();
    for f in rust_files(&root.join("src")) {
        let text = fs::read_to_string(&f).unwrap_or_default();
        for (n, line) in text.lines().enumerate() {
            let mut rest = line;
            while let Some(at) = rest.find("Result<") {
                rest = &rest[at + "Result<".len()..];
                // The type arguments, up to the `>` that closes this `Result<`.
                let mut depth = 1usize;
                let end = rest
                    .char_indices()
                    .find_map(|(i, c)| {
                        match c {
                            '<' => depth += 1,
                            '>' => depth -= 1,
                            _ => {}
                        }
                        (depth == 0).then_some(i)
                    })
                    .unwrap_or(rest.len());
                let args = &rest[..end];
                // The last top-level argument.
                let mut level = 0usize;
                let mut last = 0;
                for (i, c) in args.char_indices() {
                    match c {
                        '<' | '(' | '[' => level += 1,
                        '>' | ')' | ']' => level = level.saturating_sub(1),
                        ',' if level == 0 => last = i + 1,
                        _ => {}
                    }
                }
                if last > 0 && args[last..].trim() == "String" {
                    found.push(format!("{}:{}: {}", rel(&f), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(found.is_empty(), "string errors: {found:?}");
}
