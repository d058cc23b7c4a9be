//! What every importer fuzz target checks (included by `import_eto`, `import_epoch`
//! and `import_top500`): a successful import writes stack files that parse and
//! validate without an error; a refusal names `file:line:column`.

use std::path::Path;

use jenga::import::{ImportError, OutFile};

/// Every YAML file of a successful import parses, and the whole validates.
pub fn assert_valid(files: &[OutFile]) {
    let limits = jenga::load::Limits::default();
    let mut loaded = jenga::load::Loaded::default();
    for f in files.iter().filter(|f| f.name.ends_with(".yaml")) {
        match jenga::load::parse_bytes(Path::new(&f.name), f.text.clone().into_bytes(), &limits) {
            Ok(file) => loaded.files.push(file),
            Err(d) => panic!("{} does not parse: {}", f.name, d.render(false)),
        }
    }
    let diags = jenga::validate::validate(&loaded, &limits);
    assert!(!diags.has_errors(false), "{}", diags.render(false));
}

/// A refusal names one of `names` with a line and a column.
pub fn assert_located(e: &ImportError, names: &[&str]) {
    let ok = names.iter().any(|n| {
        e.0.strip_prefix(n)
            .and_then(|r| r.strip_prefix(':'))
            .and_then(|r| r.split_once(':'))
            .is_some_and(|(line, rest)| {
                line.parse::<u64>().is_ok()
                    && rest
                        .split_once(':')
                        .is_some_and(|(c, _)| c.parse::<u64>().is_ok())
            })
    });
    assert!(ok, "not located: {}", e.0);
}
