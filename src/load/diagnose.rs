//! Turning a serde-path parser or type error into a located [`Diagnostic`] with a
//! hint: one wording per kind of error, the same for stack files and scenario files.

use std::sync::Arc;

use serde_saphyr::Error as YamlError;

use super::Limits;
use crate::diag::{Diagnostic, Place, SourceFile, did_you_mean};

/// Turns a parser or type error into a diagnostic with a hint.
pub(super) fn yaml_diagnostic(source: &Arc<SourceFile>, err: &YamlError) -> Diagnostic {
    let inner = err.without_snippet();
    let place = match err.location() {
        Some(loc) if loc.line() > 0 => Place::from_location(source, loc.into()),
        _ => Place::file_start(source),
    };
    let d = |code: &'static str, msg: String| Diagnostic::error(code, msg).at(place.clone(), "");
    match inner {
        YamlError::SerdeUnknownField {
            field, expected, ..
        } => {
            let mut place = place.clone();
            place.len = u32::try_from(field.chars().count()).unwrap_or(1);
            let diag = Diagnostic::error("unknown-field", format!("unknown field `{field}`"))
                .at(place, "not a field here");
            let list = expected
                .iter()
                .map(|e| format!("`{e}`"))
                .collect::<Vec<_>>()
                .join(", ");
            match did_you_mean(field, expected.iter().copied()) {
                Some(s) => diag.help(format!("did you mean `{s}`? (expected one of {list})")),
                None => diag.help(format!("expected one of {list}")),
            }
        }
        YamlError::SerdeMissingField { field, .. } => {
            d("missing-field", format!("missing field `{field}`"))
                .help(format!("add `{field}: ...`"))
        }
        YamlError::DuplicateMappingKey { key, .. } => {
            let k = key.as_deref().unwrap_or("?");
            d("duplicate-key", format!("duplicate key `{k}`"))
                .help("a mapping may hold each key once; remove or merge the repeated entry")
        }
        YamlError::SerdeInvalidType {
            unexpected,
            expected,
            ..
        }
        | YamlError::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => d(
            "wrong-type",
            format!("expected {expected}, found {unexpected}"),
        )
        .help(format!("write {expected} here")),
        YamlError::SerdeUnknownVariant {
            variant, expected, ..
        } => {
            let list = expected
                .iter()
                .map(|e| format!("`{e}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let diag = d("unknown-value", format!("unknown value `{variant}`"));
            match did_you_mean(variant, expected.iter().copied()) {
                Some(s) => diag.help(format!("did you mean `{s}`? (expected one of {list})")),
                None => diag.help(format!("expected one of {list}")),
            }
        }
        YamlError::Budget { breach, .. } => {
            let (msg, help) = budget_message(breach);
            d("budget", msg).help(help)
        }
        YamlError::AliasError { .. }
        | YamlError::AliasReplayLimitExceeded { .. }
        | YamlError::AliasExpansionLimitExceeded { .. }
        | YamlError::AliasReplayStackDepthExceeded { .. } => d(
            "budget",
            "the file expands YAML aliases beyond the budget (an alias bomb?)".to_owned(),
        )
        .help("stack files need no aliases; write the values out"),
        YamlError::MultipleDocuments { .. } => d(
            "multiple-documents",
            "the file holds more than one YAML document".to_owned(),
        )
        .help("keep one document per file (remove the `---` separators or split the file)"),
        YamlError::Unexpected { expected, .. } => {
            let what = match *expected {
                "mapping start" => "a mapping (`key: value` lines)",
                "sequence start" => "a list (`[a, b]` or `- a` lines)",
                "string scalar" => "a string",
                e => e,
            };
            if place.line == 1 && place.column == 1 && *expected == "mapping start" {
                d("wrong-type", "a stack file must be a mapping of sections".to_owned()).help(
                    "start with `nodes:`, `organizations:` or `country:`; a top-level list is not a stack file",
                )
            } else {
                d("wrong-type", format!("expected {what} here")).help(format!("write {what} here"))
            }
        }
        YamlError::Message { msg, .. } => d("invalid-value", strip_location(msg))
            .help("see stacks/README.md for the forms this field takes"),
        YamlError::NullIntoString { .. } => {
            d("wrong-type", "expected a string, found nothing".to_owned())
                .help("write a value after the colon, or remove the key")
        }
        other => {
            let msg = strip_location(&other.render());
            if let Some(ty) = msg.strip_prefix("invalid ")
                && matches!(
                    ty,
                    "u8" | "u16" | "u32" | "u64" | "i8" | "i16" | "i32" | "i64" | "usize"
                )
            {
                return d("wrong-type", "expected a small whole number".to_owned())
                    .help("write a whole number such as `2` (this one is not a number or is far too large)");
            }
            if msg.contains("recursion limit") || msg.contains("nesting limit") {
                return d(
                    "budget",
                    format!(
                        "the file nests collections deeper than {} levels",
                        limits_depth_hint()
                    ),
                )
                .help("a stack file needs a few levels of nesting; flatten the lists");
            }
            let help = if msg.contains("unclosed quote") {
                "add the closing quote, or quote the value with the other kind of quote"
            } else if msg.contains("unclosed bracket") {
                "close the bracket: a flow list runs from `[` to `]` on one line or more"
            } else if msg.contains("tab") {
                "indent with spaces: YAML does not allow tabs for indentation"
            } else {
                "check the indentation and quoting near here: YAML nests by consistent spaces"
            };
            d("yaml-syntax", msg).help(help)
        }
    }
}

/// The depth budget named in messages (the default; `--max-depth` does not exist).
fn limits_depth_hint() -> usize {
    Limits::default().max_depth
}

/// One sentence for a parser budget breach, and what to do about it.
fn budget_message(breach: &serde_saphyr::budget::BudgetBreach) -> (String, &'static str) {
    use serde_saphyr::budget::BudgetBreach as B;
    const SPLIT: &str = "split the file: a stack file this large is likely not a stack file";
    const ALIASES: &str = "stack files need no aliases; write the values out";
    match breach {
        B::Depth { depth } => (
            format!("the file nests collections {depth} levels deep, beyond the depth budget"),
            "a stack file needs a few levels of nesting; flatten the lists",
        ),
        B::Nodes { nodes } => (
            format!(
                "the file holds more than {} YAML nodes, beyond the node budget",
                nodes.saturating_sub(1)
            ),
            SPLIT,
        ),
        B::Events { events } => (
            format!(
                "the file holds more than {} YAML events, beyond the budget",
                events.saturating_sub(1)
            ),
            SPLIT,
        ),
        B::Aliases { aliases } => (
            format!("the file uses {aliases} aliases, beyond the alias budget"),
            ALIASES,
        ),
        B::Anchors { anchors } => (
            format!("the file defines {anchors} anchors, beyond the anchor budget"),
            ALIASES,
        ),
        B::ScalarBytes { total_scalar_bytes } => (
            format!(
                "the file's text values add up to {total_scalar_bytes} bytes, beyond the budget"
            ),
            "split the file, or raise the limit with `--max-file-size`",
        ),
        B::Documents { documents } => (
            format!("the file holds {documents} YAML documents; a stack file holds one"),
            "keep one document per file (remove the `---` separators or split the file)",
        ),
        other => (
            format!("the file exceeds a parsing budget ({other:?})"),
            "a stack file needs none of this; simplify the file",
        ),
    }
}

/// Drops the " at line L column C" suffix that the parser adds to some messages.
fn strip_location(msg: &str) -> String {
    let first = msg.lines().next().unwrap_or(msg).trim();
    match first.rfind(" at line ") {
        Some(i) => first[..i].to_owned(),
        None => first.to_owned(),
    }
}
