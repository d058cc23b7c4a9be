//! The ecosystem commands: `schema`, `completions` and `new country` (`diff` is in
//! `run/diff.rs`).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::Error;
use crate::config::Config;
use crate::country::{self, CodeError};

/// `jenga schema [--scenario]`: the JSON Schema of stack (or scenario) files on
/// standard output.
pub fn schema(scenario: bool) -> Result<(), Error> {
    if scenario {
        return print_out(crate::schema::scenario_file_schema_json());
    }
    print_out(crate::schema::stack_file_schema_json())
}

/// `jenga completions SHELL`: the completion script of `command` (the command
/// line's definition) on standard output.
pub fn completions(shell: clap_complete::Shell, mut command: clap::Command) -> Result<(), Error> {
    let mut bytes = Vec::new();
    clap_complete::generate(shell, &mut command, "jenga", &mut bytes);
    let text = String::from_utf8(bytes)
        .map_err(|e| Error::Failed(format!("the completion script is not UTF-8: {e}")))?;
    print_out(&text)
}

pub(super) use super::print_stdout as print_out;

/// `jenga new country CC [-o FILE]`: scaffolds a commented country file.
///
/// The code is checked like `country:` in a file (lower case is accepted and
/// upper-cased); the file is created, never overwritten; a country already declared
/// in the stacks directory is refused, since `check` would reject the duplicate.
pub fn new(config: &Config, what: &str, code: &str, output: Option<&Path>) -> Result<(), Error> {
    if what != "country" {
        return Err(Error::Usage(format!(
            "`jenga new` can scaffold `country`, not `{what}`; try `jenga new country SG`"
        )));
    }
    let code = code.to_ascii_uppercase();
    match country::check(&code) {
        Ok(()) => {}
        Err(CodeError::Malformed) => {
            return Err(Error::Usage(format!(
                "`{code}` is not a country code: write two letters, an ISO 3166-1 alpha-2 code such as `SG`, `EU`, or `XA`-`XZ` for a hypothetical country"
            )));
        }
        Err(CodeError::Unassigned) => {
            let hint = if code == "UK" {
                "the United Kingdom is `GB` in ISO 3166-1".to_owned()
            } else {
                "use an assigned ISO 3166-1 alpha-2 code, `EU`, or `XA`-`XZ` for a hypothetical country".to_owned()
            };
            return Err(Error::Usage(format!(
                "`{code}` is not an ISO 3166-1 alpha-2 code; {hint}"
            )));
        }
    }
    let path: PathBuf = match output {
        Some(p) => p.to_owned(),
        None => config
            .stacks
            .join(format!("{}.yaml", code.to_ascii_lowercase())),
    };
    if config.stacks.is_dir() {
        let loaded = crate::load::load_dir(&config.stacks, &config.limits)
            .map_err(|e| Error::Failed(e.to_string()))?;
        if let Some(f) = loaded
            .files
            .iter()
            .find(|f| f.data.country.as_ref().is_some_and(|c| c.value == code))
        {
            return Err(Error::Usage(format!(
                "country `{code}` is already declared in `{}`; edit that file instead",
                f.source.path.display()
            )));
        }
    }
    let schema_ref = schema_reference(&path, &config.stacks);
    let text = country_template(&code, &today(), &schema_ref);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => Error::Usage(format!(
                "`{}` already exists; jenga new never overwrites a file (pass `-o FILE` to write elsewhere)",
                path.display()
            )),
            _ => Error::Failed(format!("cannot create `{}`: {e}", path.display())),
        })?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| Error::Failed(format!("cannot write `{}`: {e}", path.display())))?;
    if !config.quiet {
        let _ = writeln!(
            std::io::stderr(),
            "created {}: replace every TODO, then run `jenga check`",
            path.display()
        );
    }
    Ok(())
}

/// Today's date (UTC) as `YYYY-MM-DD`.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (y, m, d) = civil_from_days(i64::try_from(secs / 86_400).unwrap_or(0));
    format!("{y:04}-{m:02}-{d:02}")
}

/// The proleptic Gregorian date of a day count since 1970-01-01.
///
/// # Complexity
/// O(1). Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms" (2013).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        y,
        u32::try_from(m).unwrap_or(1),
        u32::try_from(d).unwrap_or(1),
    )
}

/// The path, relative to the directory of `file`, of `stacks/schema.json` (`schema`
/// in the stacks directory `stacks`), with `/` separators: what the YAML language
/// server resolves the schema line against. `schema.json` for a file directly in
/// `stacks`, `../schema.json` for one in `stacks/asia/`, `../stacks/schema.json` for
/// one in a sibling directory. Both directories are canonicalized when they exist
/// (so symbolic links and `..` do not mislead it), made absolute otherwise.
///
/// # Complexity
/// O(depth of the two paths).
pub fn schema_reference(file: &Path, stacks: &Path) -> String {
    fn resolved(dir: &Path) -> PathBuf {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        dir.canonicalize()
            .or_else(|_| std::path::absolute(dir))
            .unwrap_or_else(|_| dir.to_owned())
    }
    let from = resolved(file.parent().unwrap_or(Path::new(".")));
    let to = resolved(stacks);
    let from_parts: Vec<_> = from.components().collect();
    let to_parts: Vec<_> = to.components().collect();
    let common = from_parts
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<String> = Vec::new();
    parts.extend(std::iter::repeat_n(
        "..".to_owned(),
        from_parts.len() - common,
    ));
    parts.extend(
        to_parts[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.push("schema.json".to_owned());
    parts.join("/")
}

/// The commented country file for `code` (already validated), citing a placeholder
/// source dated `date`, whose schema line points at `schema_ref` (see
/// [`schema_reference`]).
pub fn country_template(code: &str, date: &str, schema_ref: &str) -> String {
    let lc = code.to_ascii_lowercase();
    format!(
        r#"{modeline}{schema_ref}
# {code}: the country's sovereign-AI stack. Scaffolded by `jenga new country {code}`.
# Replace every TODO (`jenga check --strict` fails while one is left), then run it.
#
# Layers, bottom to top: chips, compute, data, model, distribution, capability.
# A `needs` term is one of:
#   - some-id                           required
#   - any: [a, b]                       one of the alternatives suffices
#   - at-least: 2                       k of n must work
#     of: [a, b, c]
#   - unknown: {{ layer: chips, note: "what the source says" }}
#                                       the source leaves it open: at risk from removals
#                                       that could be it (a node of that layer, its
#                                       owner, a jurisdiction holding one)
#     (inside the braces, optionally `among: [a, b]`: candidates, one of these or
#     something not in the data; `closed: true` when they are the whole list)
# Shared suppliers (nvidia, h100, aws-cloud, llama-3, hugging-face-hub, ...) are
# declared once in suppliers.yaml: point at their ids, do not copy them here.
country: {code}
name: "TODO: {code}'s display name"
# What the country's sovereign-AI effort must keep working.
capabilities: [{lc}-sovereign-model]
sources: [{lc}-source]

# Every fact cites a source declared once here (or in sources.yaml).
bibliography:
  - id: {lc}-source
    title: "TODO: the title of the source that states these facts"
    author: "TODO: its author"
    date: "{date}"
    url: "TODO: where it can be found"

# Organizations own nodes; a node with `org` falls with its owner.
organizations:
  - id: {lc}-agency
    name: "TODO: the national agency or company that leads the effort"
    jurisdiction: {code}
    kind: government
    sources: [{lc}-source]

nodes:
  - id: {lc}-sovereign-model
    name: "TODO: the national model's name"
    layer: capability
    org: {lc}-agency
    status: announced
    needs:
      - unknown: {{ layer: compute, note: "TODO: the compute it is trained on" }}
    sources: [{{ source: {lc}-source, section: "TODO: the section that says so" }}]
"#,
        modeline = crate::schema::MODELINE_PREFIX,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }
}
