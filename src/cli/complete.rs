//! Dynamic completion of values from the stack files (clap_complete's
//! `CompleteEnv`): node and organization ids, country codes, selectors. The stacks
//! directory is the `--stacks DIR` of the command line being completed (default
//! `stacks`); files that do not load contribute nothing, so completion never fails.

use std::ffi::OsString;
use std::path::PathBuf;

use clap_complete::engine::CompletionCandidate;

/// What the stacks directory declares, for completion.
#[derive(Debug, Default)]
pub struct Names {
    /// Node and organization ids with their names, sorted by id.
    pub ids: Vec<(String, String)>,
    /// Declared country codes with the country's name, sorted.
    pub countries: Vec<(String, String)>,
    /// Jurisdictions of the organizations, sorted, each once.
    pub jurisdictions: Vec<String>,
}

/// The `--stacks` value in `args` (`--stacks DIR` or `--stacks=DIR`; the last one
/// wins), or `stacks`.
pub fn stacks_dir(args: &[OsString]) -> PathBuf {
    let mut dir = PathBuf::from("stacks");
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let a = a.to_string_lossy();
        if a == "--stacks" {
            if let Some(v) = it.next() {
                dir = PathBuf::from(v);
            }
        } else if let Some(v) = a.strip_prefix("--stacks=") {
            dir = PathBuf::from(v);
        }
    }
    dir
}

/// Reads the names of the stack files under `dir` (every file that parses).
///
/// # Complexity
/// O(size of the files) to parse them, O(n log n) to sort n names.
pub fn names(dir: &std::path::Path) -> Names {
    let Ok(loaded) = crate::load::load_dir(dir, &crate::load::Limits::default()) else {
        return Names::default();
    };
    let mut n = Names::default();
    for f in &loaded.files {
        let d = &f.data;
        if let Some(c) = &d.country {
            let name = d
                .name
                .as_ref()
                .map(|x| x.value.to_string())
                .unwrap_or_default();
            n.countries.push((c.value.to_string(), name));
        }
        for o in &d.organizations {
            n.ids
                .push((o.value.id.value.to_string(), o.value.name.value.to_string()));
            n.jurisdictions.push(o.value.jurisdiction.value.to_string());
        }
        for x in &d.nodes {
            n.ids
                .push((x.value.id.value.to_string(), x.value.name.value.to_string()));
        }
    }
    n.ids.sort();
    n.ids.dedup_by(|a, b| a.0 == b.0);
    n.countries.sort();
    n.countries.dedup_by(|a, b| a.0 == b.0);
    n.jurisdictions.sort();
    n.jurisdictions.dedup();
    n
}

fn current() -> Names {
    let args: Vec<OsString> = std::env::args_os().collect();
    names(&stacks_dir(&args))
}

fn candidates(items: impl IntoIterator<Item = (String, String)>) -> Vec<CompletionCandidate> {
    items
        .into_iter()
        .map(|(v, help)| {
            let c = CompletionCandidate::new(v);
            if help.is_empty() {
                c
            } else {
                c.help(Some(crate::diag::sanitize(&help).into()))
            }
        })
        .collect()
}

/// Node and organization ids.
pub fn ids() -> Vec<CompletionCandidate> {
    candidates(current().ids)
}

/// Declared country codes.
pub fn countries() -> Vec<CompletionCandidate> {
    candidates(current().countries)
}

/// A target: a country code or a node id.
pub fn targets() -> Vec<CompletionCandidate> {
    let n = current();
    candidates(n.countries.into_iter().chain(n.ids))
}

/// What `render` draws: a country, `overview` or `matrix`.
pub fn render_targets() -> Vec<CompletionCandidate> {
    let n = current();
    let fixed = [
        (
            "overview".to_owned(),
            "every country side by side".to_owned(),
        ),
        ("matrix".to_owned(), "the exposure matrix".to_owned()),
    ];
    candidates(fixed.into_iter().chain(n.countries))
}

/// A selector: an id, `jurisdiction:XX` (every jurisdiction of the data and every
/// declared country) or `layer:NAME`.
pub fn selectors() -> Vec<CompletionCandidate> {
    let n = current();
    let mut codes: Vec<String> = n
        .jurisdictions
        .into_iter()
        .chain(n.countries.into_iter().map(|c| c.0))
        .collect();
    codes.sort();
    codes.dedup();
    let juris = codes
        .into_iter()
        .map(|c| (format!("jurisdiction:{c}"), String::new()));
    let layers = crate::model::Layer::ALL
        .iter()
        .map(|l| (format!("layer:{}", l.as_str()), String::new()));
    candidates(n.ids.into_iter().chain(juris).chain(layers))
}
