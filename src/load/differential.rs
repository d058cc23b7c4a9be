//! Differential tests of the fast path ([`super::fast`]) against the serde path: on
//! every YAML file of the repository, on generated worlds and on mutated inputs, the
//! fast path either defers or builds exactly the value the serde path builds (every
//! field and every location, compared through their `Debug` text), and never accepts a
//! file the serde path refuses.

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::{Limits, fast, parse_stack_file};
use crate::model::StackFile;

/// How the fast path disagreed with the serde path on a text.
#[derive(Debug, PartialEq, thiserror::Error)]
enum Disagreement {
    #[error("the fast path and its readers disagree on\n{text}")]
    Readers { text: String },
    #[error(
        "different values at Debug line {line}:\nfast: {fast:?}\nslow: {slow:?}\n--- text ---\n{text}"
    )]
    Values {
        line: usize,
        fast: Option<String>,
        slow: Option<String>,
        text: String,
    },
    #[error("the fast path accepted what the serde path refuses ({error})\n--- text ---\n{text}")]
    Accepted { error: String, text: String },
}

/// Checks one text with both readers of the fast path (the line lexer and the YAML
/// parser's events); returns whether the fast path accepted it.
fn agrees(text: &str, limits: &Limits) -> Result<bool, Disagreement> {
    let lexed = agrees_with(fast::lexed(text, limits), text, limits)?;
    let parsed = agrees_with(fast::parsed(text, limits), text, limits)?;
    let all = fast::parse(text, limits).is_some();
    if all != (lexed || parsed) {
        return Err(Disagreement::Readers {
            text: text.to_owned(),
        });
    }
    Ok(all)
}

/// Whether one reader's value (`None`: it deferred) is the serde path's.
fn agrees_with(fast: Option<StackFile>, text: &str, limits: &Limits) -> Result<bool, Disagreement> {
    let Some(fast) = fast else {
        return Ok(false);
    };
    match parse_stack_file(text, limits) {
        Ok(slow) => {
            let (f, s) = (format!("{fast:#?}"), format!("{slow:#?}"));
            if f == s {
                Ok(true)
            } else {
                let at = f
                    .lines()
                    .zip(s.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or(0);
                Err(Disagreement::Values {
                    line: at,
                    fast: f.lines().nth(at).map(str::to_owned),
                    slow: s.lines().nth(at).map(str::to_owned),
                    text: text.to_owned(),
                })
            }
        }
        Err(e) => Err(Disagreement::Accepted {
            error: e.to_string(),
            text: text.to_owned(),
        }),
    }
}

/// Every `*.yaml`/`*.yml` file under `dir`, recursively.
fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if matches!(
            path.extension().and_then(|x| x.to_str()),
            Some("yaml" | "yml")
        ) {
            out.push(path);
        }
    }
}

/// The text of a file as [`super::parse_bytes`] hands it on (UTF-8, BOM removed).
fn text_of(path: &Path) -> Option<String> {
    let text = String::from_utf8(std::fs::read(path).ok()?).ok()?;
    Some(text.strip_prefix('\u{feff}').unwrap_or(&text).to_owned())
}

#[test]
fn every_yaml_file_of_the_repository_agrees() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["stacks", "links", "scenarios", "tests/fixtures"] {
        yaml_files(&root.join(dir), &mut files);
    }
    files.sort();
    assert!(files.len() > 100, "found only {} YAML files", files.len());
    let mut accepted = 0;
    for path in &files {
        let Some(text) = text_of(path) else { continue };
        match agrees(&text, &Limits::default()) {
            Ok(a) => accepted += usize::from(a),
            Err(e) => panic!("{}: {e}", path.display()),
        }
    }
    // Most fixtures are broken on purpose (they defer), but valid ones are accepted.
    assert!(
        accepted >= 10,
        "the fast path accepted only {accepted} files"
    );
}

#[test]
fn generated_worlds_are_accepted_and_agree() {
    let spec = crate::synth::Spec {
        countries: 3,
        nodes: 300,
        suppliers: 200,
        ..crate::synth::Spec::default()
    };
    let mut files = crate::synth::generate(&spec).expect("a valid spec");
    files.extend(crate::synth::chain(2_000, 3));
    files.push(crate::synth::any_pairs(6));
    for f in &files {
        assert_eq!(
            agrees(&f.text, &Limits::default()),
            Ok(true),
            "{} deferred or disagreed",
            f.name
        );
        // The line lexer reads the layout `jenga generate` writes for nodes.
        assert!(
            !f.text.contains("\nnodes:\n") || fast::lexed(&f.text, &Limits::default()).is_some(),
            "{} is not lexed",
            f.name
        );
    }
}

/// Small files of every form the fast path reads, for the mutations to work on.
const SEEDS: &[&str] = &[
    "country: XA\nname: Chainland é\ncapabilities: [c0, 'c 1']\nsources: [synth]\nbibliography:\n  - {id: synth, title: \"Synthetic \\\"chain\\\"\", author: jenga, date: 2026-11, url: 'x'}\norganizations:\n  - {id: chipco, name: ChipCo, jurisdiction: US, kind: company, parent: p, sources: [synth, {source: s, section: T1, quote: \"q\"}]}\ngroups:\n  - id: eu\n    name: EU\n    members: [FR, DE]\nnotes: plain text\n",
    "nodes:\n  - {id: c0, name: C 0, layer: capability, needs: [c1, {any: [a, {id: b, share: 40}]}], sources: [synth]}\n  - id: c1\n    name: C 1\n    status: operational\n    needs:\n      - at-least: 2\n        of: [x, w, z]\n      - {unknown: partner to be determined, among: [p, q]}\n      - unknown: {layer: chips, note: n, among: [r], closed: true}\n    partners: [pp]\n    inferred:\n      - {need: x, reason: because, sources: [s]}\n",
    "---\nnodes:\n- id: a\n  name: A\n  layer: chips\n  org: o\n...\n",
    "# comment\ncountry: XA\nname: Chainland é\ncapabilities: [c0, c1]\nsources: [synth]\nbibliography:\n  - {id: synth, title: Synthetic chain, author: jenga generate, date: 2026-11}\norganizations:\n  - {id: chipco, name: ChipCo, jurisdiction: US, kind: company, sources: [synth, {source: s, section: T1}]}\nnodes:\n- {id: c0, name: C 0, layer: capability, needs: [c1, {any: [a, {id: b, share: 40}]}, {at-least: 1, of: [x, z]}, {unknown: tbd, among: [p]}], sources: [synth]}\n  # inside\n- {id: c1, name: C 1, layer: chips, org: chipco, partners: [], status: planned}\n",
    "nodes:\n  - {id: é1, name: Ünïcode  ñame , layer: model}\n  - {id: c2,name: C 2, needs: [é1], notes: a note}\n",
];

/// Bits of YAML that a mutation inserts.
const BITS: &[&str] = &[
    ":", " ", "\n", "-", "- ", "{", "}", "[", "]", ",", "\"", "'", "#", "&a ", "*a", "!t ", "|",
    ">", "~", "?", "%", "@", "é", "0", "7", "x", "yes", "null", "1.5", "true", "  ", "id: z, ",
    ": ", "\\", "\t", "\r\n", "---\n", "name", "needs", "any", "at-least", "of", "\u{1}", "\u{85}",
    "\u{2028}", "\u{feff}", "–", "ß", "2026-11", "-1", "0x1f", "1e3", "Yes", "~",
];

/// A mutation: insert a bit, delete a range, or repeat a line.
#[derive(Debug, Clone)]
enum Mutation {
    Insert(usize, usize),
    Delete(usize, usize),
    RepeatLine(usize),
}

fn apply(text: &str, muts: &[Mutation]) -> String {
    let mut t = text.to_owned();
    for m in muts {
        let at = |i: usize, t: &str| {
            let mut i = i % (t.len() + 1);
            while !t.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        match *m {
            Mutation::Insert(i, b) => {
                let i = at(i, &t);
                t.insert_str(i, BITS[b % BITS.len()]);
            }
            Mutation::Delete(i, n) => {
                let i = at(i, &t);
                let j = at(i + n % 8, &t).max(i);
                t.replace_range(i..j, "");
            }
            Mutation::RepeatLine(l) => {
                let lines: Vec<&str> = t.lines().collect();
                if !lines.is_empty() {
                    let l = l % lines.len();
                    let mut v = lines.clone();
                    v.insert(l, lines[l]);
                    t = v.join("\n") + "\n";
                }
            }
        }
    }
    t
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<usize>()).prop_map(|(i, b)| Mutation::Insert(i, b)),
        (any::<usize>(), any::<usize>()).prop_map(|(i, n)| Mutation::Delete(i, n)),
        any::<usize>().prop_map(Mutation::RepeatLine),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn mutated_files_defer_or_agree(
        seed in 0..SEEDS.len(),
        muts in proptest::collection::vec(mutation(), 1..4),
        small in any::<bool>(),
    ) {
        let text = apply(SEEDS[seed], &muts);
        let limits = if small {
            Limits { max_depth: 4, max_nodes: 40, ..Limits::default() }
        } else {
            Limits::default()
        };
        if let Err(e) = agrees(&text, &limits) {
            prop_assert!(false, "{}", e);
        }
    }
}

#[test]
fn the_seeds_are_accepted() {
    for s in SEEDS {
        assert_eq!(agrees(s, &Limits::default()), Ok(true), "{s}");
    }
    for s in &SEEDS[3..] {
        assert!(
            fast::lexed(s, &Limits::default()).is_some(),
            "not lexed: {s}"
        );
    }
}

#[test]
fn deep_or_long_lines_defer_without_recursing_or_holding_them_as_characters() {
    let limits = Limits::default();
    for open in ["[", "{a: "] {
        let deep = format!("nodes: {}", open.repeat(100_000));
        assert!(fast::parse(&deep, &limits).is_none());
    }
    let long = format!("nodes:\n  - id: x\n    name: {}\n", "a".repeat(100_000));
    assert!(fast::parsed(&long, &limits).is_none());
}
