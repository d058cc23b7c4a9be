//! Fuzz target: arbitrary bytes as one Open-PSA MEF file → `import open-psa`. Must
//! never panic; an error names `file:line:column` (or the file, for XML that does not
//! parse); an import that succeeds writes YAML that jenga's own loader parses and whose
//! only validation errors are the ones an import cannot know about.
#![no_main]

use std::path::Path;

use jenga::load::{Limits, parse_bytes};
use jenga::openpsa::{Input, import};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let input = [Input {
        path: "fuzz.xml".to_owned(),
        text,
    }];
    match import(&input) {
        Err(e) => {
            assert!(
                e.to_string().starts_with("fuzz.xml"),
                "an error without its file: {e}"
            );
        }
        Ok(imported) => {
            let file = parse_bytes(
                Path::new("stacks/imported.yaml"),
                imported.yaml.into_bytes(),
                &Limits::default(),
            );
            if let Err(d) = file {
                panic!(
                    "the import wrote YAML its loader rejects: {}",
                    d.render(false)
                );
            }
        }
    }
});
