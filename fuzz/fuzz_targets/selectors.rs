//! Fuzz target: the command-line parsers of selectors. The input, split at the first
//! NUL, is a `--remove` selector and a `--for` list (split at commas as clap does);
//! both are parsed against a small world (the test fixtures) exactly as the CLI does
//! (`removals_from_flags`, `Selector::parse`), and the whole input is checked by the
//! argument guard that refuses control characters. Must never panic; a refusal always
//! says what is wrong and how to fix it; an accepted selector names a node of the world.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use jenga::analysis::select::Selector;
use jenga::graph::World;
use jenga::load::{Limits, parse_bytes};
use jenga::run::common::{RemovalFlags, removals_from_flags};
use libfuzzer_sys::fuzz_target;

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let files = [
            (
                "shared.yaml",
                include_str!("../../tests/fixtures/valid/shared.yaml"),
            ),
            (
                "xa.yaml",
                include_str!("../../tests/fixtures/valid/xa.yaml"),
            ),
        ]
        .map(|(name, text)| {
            parse_bytes(
                Path::new(name),
                text.as_bytes().to_vec(),
                &Limits::default(),
            )
            .unwrap_or_else(|d| panic!("fixture: {}", d.render(false)))
        });
        jenga::graph::build(&files).unwrap_or_else(|e| panic!("fixture: {e}"))
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let w = world();
    let (remove, scope) = text.split_once('\0').unwrap_or((text, ""));
    match Selector::parse(remove, w) {
        Ok(_) => {}
        Err(e) => assert!(
            !e.message.is_empty() && !e.help.is_empty(),
            "a selector error without message or help: {e:?}"
        ),
    }
    let removes = [remove.to_owned()];
    let for_countries: Vec<String> = if scope.is_empty() {
        Vec::new()
    } else {
        scope.split(',').map(str::to_owned).collect()
    };
    let flags = RemovalFlags {
        remove: &removes,
        for_countries: &for_countries,
    };
    match removals_from_flags(w, flags) {
        Ok(removals) => assert_eq!(removals.len(), 1),
        Err(e) => {
            assert_eq!(e.exit_code(), 2, "a flag error is a usage error");
            let shown = e.render(false);
            assert!(shown.starts_with("error: "), "{shown}");
            assert!(
                !shown.chars().any(|c| c.is_control() && c != '\n'),
                "a control character reaches the terminal: {shown:?}"
            );
        }
    }
    let args = ["jenga", "scenario", "--remove", remove, "--for", scope].map(Into::into);
    if let Some(e) = jenga::cli::refuse_control_characters(&args) {
        let shown = e.render(false);
        assert_eq!(shown.lines().count(), 1, "{shown:?}");
        assert!(
            !shown.chars().any(|c| c.is_control() && c != '\n'),
            "{shown:?}"
        );
    }
});
