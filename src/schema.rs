//! The JSON Schema of stack files, generated from the serde types of [`crate::model`].
//!
//! The schema is derived (schemars) from the very types the loader deserializes, so
//! the two cannot drift apart: every field, its type, which fields are required and
//! that unknown fields are errors (`additionalProperties: false`, from
//! `deny_unknown_fields`) come from the same definitions. The hand-written parts are
//! the types whose `Deserialize` is hand-written ([`Need`](crate::model::Need), [`Citation`](crate::model::Citation)) and the
//! value types below that carry the per-value checks of `jenga check` that a schema
//! can express: id syntax, ISO 3166-1 codes, dates, layers, thresholds of at least 1
//! and non-empty, duplicate-free alternative lists.
//!
//! The loader reads any YAML scalar into a string field (`date: 2024` loads as the
//! text `2024`), so string fields admit numbers and booleans too; the plain forms of
//! `needs` and `sources`, which take YAML strings only, do not. The schema never
//! rejects what `jenga check` accepts.
//!
//! What a schema cannot express stays with `jenga check`: references to ids declared
//! in other files, duplicate ids across files, cycles of `parent`, `at-least` larger
//! than its list, citations of undeclared sources.
//!
//! The committed copy is `stacks/schema.json`; stack files point at it with a first
//! line `# yaml-language-server: $schema=schema.json`, which editors using the YAML
//! language server (VS Code's YAML extension, Neovim, Helix, ...) read to complete and
//! validate as the analyst types.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::model::{Citation, Need, StackFile};

/// The identifier the schema declares for itself.
pub const SCHEMA_ID: &str = "https://jenga.invalid/schema/stack-file.json";

/// The line that makes the YAML language server validate a file of `stacks/`
/// against the committed schema (resolved relative to the file).
pub const MODELINE: &str = "# yaml-language-server: $schema=schema.json";

/// The schema line up to the path of the schema, which `jenga new country -o FILE`
/// writes relative to where the file goes.
pub const MODELINE_PREFIX: &str = "# yaml-language-server: $schema=";

/// The JSON Schema (draft-07) of one stack file.
pub fn stack_file_schema() -> serde_json::Value {
    let mut schema = schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<StackFile>();
    schema.insert("$id".to_owned(), SCHEMA_ID.into());
    schema.insert("title".to_owned(), "jenga stack file".into());
    let mut value = schema.to_value();
    accept_scalars_as_strings(&mut value);
    drop_numeric_formats(&mut value);
    split_union_types(&mut value);
    value
}

/// The keywords that apply to one JSON type only (JSON Schema draft-07, section 6).
const TYPE_KEYWORDS: [(&str, &[&str]); 4] = [
    ("string", &["pattern", "minLength", "maxLength", "format"]),
    (
        "number",
        &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
    ),
    (
        "array",
        &[
            "items",
            "additionalItems",
            "minItems",
            "maxItems",
            "uniqueItems",
            "contains",
        ],
    ),
    (
        "object",
        &[
            "properties",
            "required",
            "additionalProperties",
            "patternProperties",
            "propertyNames",
            "minProperties",
            "maxProperties",
            "dependencies",
        ],
    ),
];

/// Rewrites every union type (`"type": ["string", "number"]`) as an `anyOf` of one
/// branch per type, each carrying the keywords of its type (a `pattern` goes with
/// `string`, `items` with `array`), and an `enum` (which needs no type) as it is. The
/// set of valid documents is the same; what changes is that ajv's default strict mode
/// (`strictTypes`) has nothing to warn about: it asks for `allowUnionTypes` before it
/// accepts a union, and for a keyword's type to be known where the keyword stands.
///
/// # Complexity
/// O(size of the schema).
fn split_union_types(v: &mut serde_json::Value) {
    use serde_json::{Map, Value};
    match v {
        Value::Object(map) => {
            for (_, child) in map.iter_mut() {
                split_union_types(child);
            }
            let Some(Value::Array(types)) = map.get("type") else {
                return;
            };
            if map.contains_key("anyOf") || map.contains_key("enum") {
                return;
            }
            let types: Vec<String> = types
                .iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect();
            map.remove("type");
            let mut branches = Vec::new();
            for t in &types {
                let mut branch = Map::new();
                branch.insert("type".to_owned(), Value::String(t.clone()));
                let own = TYPE_KEYWORDS
                    .iter()
                    .find(|(name, _)| name == t || (*name == "number" && t == "integer"));
                if let Some((_, keys)) = own {
                    for k in *keys {
                        if let Some(x) = map.get(*k) {
                            branch.insert((*k).to_owned(), x.clone());
                        }
                    }
                }
                branches.push(Value::Object(branch));
            }
            for (_, keys) in TYPE_KEYWORDS {
                for k in keys {
                    map.remove(*k);
                }
            }
            map.insert("anyOf".to_owned(), Value::Array(branches));
        }
        Value::Array(items) => items.iter_mut().for_each(split_union_types),
        _ => {}
    }
}

/// Removes the `format` annotations schemars puts on numbers (`double`, `float`,
/// `int32`, `uint`, ...): they are not formats of JSON Schema, and validators in their
/// default strict mode (ajv) reject a schema naming a format they do not know. The
/// range checks that matter (`minimum`, `maximum`) stay.
///
/// # Complexity
/// O(size of the schema).
fn drop_numeric_formats(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            let numeric = matches!(
                map.get("format").and_then(Value::as_str),
                Some(f) if f == "double" || f == "float" || f.starts_with("int") || f.starts_with("uint")
            );
            if numeric {
                map.remove("format");
            }
            for (_, child) in map.iter_mut() {
                drop_numeric_formats(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(drop_numeric_formats),
        _ => {}
    }
}

/// The loader reads any YAML scalar into a string field (`date: 2024`, `name: 1984`,
/// `id: 123` all load as text), but a YAML-to-JSON reading sees numbers and booleans.
/// So that the schema never rejects what the loader accepts, every string-typed
/// schema without an `enum` also admits numbers and booleans (a `pattern` still
/// applies to strings; `jenga check` still checks the text of the others).
///
/// # Complexity
/// O(size of the schema).
fn accept_scalars_as_strings(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            let strict = map.get("$comment").and_then(Value::as_str) == Some(STRICT_STRING);
            if !map.contains_key("enum") && !strict {
                let widened = match map.get("type") {
                    Some(Value::String(t)) if t == "string" => {
                        Some(serde_json::json!(["string", "number", "boolean"]))
                    }
                    Some(Value::Array(ts)) if ts.iter().any(|t| t == "string") => {
                        let mut ts = ts.clone();
                        for extra in ["number", "boolean"] {
                            if !ts.iter().any(|t| t == extra) {
                                ts.push(extra.into());
                            }
                        }
                        Some(Value::Array(ts))
                    }
                    _ => None,
                };
                if let Some(t) = widened {
                    map.insert("type".to_owned(), t);
                }
            }
            for (_, child) in map.iter_mut() {
                accept_scalars_as_strings(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(accept_scalars_as_strings),
        _ => {}
    }
}

/// The identifier the scenario-file schema declares for itself.
pub const SCENARIO_SCHEMA_ID: &str = "https://jenga.invalid/schema/scenario-file.json";

/// The JSON Schema (draft-07) of one scenario file (`scenarios/*.yaml`), derived from
/// [`crate::analysis::scenario::ScenarioFile`] like the stack-file schema: unknown
/// fields, a missing `name` or `removals`, an empty `removals`, a selector that is not
/// an id, `jurisdiction:XX` or `layer:NAME`, and a `for` entry that is not a country
/// code are errors. Whether an id or a `for` country exists in the data is
/// `jenga scenario`'s check.
pub fn scenario_file_schema() -> serde_json::Value {
    let mut schema = schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<crate::analysis::scenario::ScenarioFile>();
    schema.insert("$id".to_owned(), SCENARIO_SCHEMA_ID.into());
    schema.insert("title".to_owned(), "jenga scenario file".into());
    let mut value = schema.to_value();
    accept_scalars_as_strings(&mut value);
    drop_numeric_formats(&mut value);
    split_union_types(&mut value);
    value
}

/// [`scenario_file_schema`] as pretty-printed JSON with a final newline: the bytes
/// of `scenarios/schema.json` and of `jenga schema --scenario`.
pub fn scenario_file_schema_json() -> String {
    let mut text = serde_json::to_string_pretty(&scenario_file_schema()).unwrap_or_default();
    text.push('\n');
    text
}

/// The schema as pretty-printed JSON with a final newline: the bytes of
/// `stacks/schema.json` and of `jenga schema`. Keys are sorted, so the output is the
/// same on every run.
pub fn stack_file_schema_json() -> String {
    let value = stack_file_schema();
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// The `$comment` of a string schema that must not admit numbers and booleans: the
/// plain-id forms of `needs` and `sources`, whose hand-written `Deserialize` takes a
/// YAML string only.
const STRICT_STRING: &str = "a YAML string: numbers and booleans are not read as ids here";

/// The words a YAML 1.1 reader (the loader's) takes for booleans, in any case; `true`
/// and `false` are booleans to every YAML reader, so the schema's `"type": "string"`
/// already rejects them.
const YAML11_BOOLEAN_WORDS: &str = "^([yY]|[yY][eE][sS]|[nN]|[nN][oO]|[oO][nN]|[oO][fF][fF])$";

/// An id written as a string (the plain forms of [`Need`] and [`Citation`]).
///
/// The loader reads YAML 1.1, where `yes`, `on`, `y`, `no`, `off`, `n` (any case)
/// written bare are booleans, and rejects them as ids; an editor's YAML 1.2 reader
/// sees the strings. So the schema rejects those words here too (even quoted, since a
/// JSON reading cannot tell: an id of that spelling must then be renamed).
fn strict_id() -> Schema {
    json_schema!({
        "$comment": STRICT_STRING,
        "description": "An id: letters, digits, `-`, `_` and `.`, starting with a letter or digit, at most 128 characters; not `yes`, `no`, `on`, `off`, `y` or `n` (YAML 1.1 booleans), in any case.",
        "type": "string",
        "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$",
        "not": { "$comment": STRICT_STRING, "type": "string", "pattern": YAML11_BOOLEAN_WORDS }
    })
}

/// An id of a node, organization, source or group (see
/// [`crate::validate::is_valid_id`]); also used for references to ids.
pub struct Id;

impl JsonSchema for Id {
    fn schema_name() -> Cow<'static, str> {
        "Id".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An id: letters, digits, `-`, `_` and `.`, starting with a letter or digit, at most 128 characters.",
            "type": "string",
            "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"
        })
    }
}

/// A scenario's selector (see [`crate::analysis::select::Selector::parse`]): an id,
/// `jurisdiction:XX` with a code [`crate::country::check`] accepts, or `layer:NAME`.
pub struct SelectorText;

impl JsonSchema for SelectorText {
    fn schema_name() -> Cow<'static, str> {
        "Selector".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let id = generator.subschema_for::<Id>();
        let mut named: Vec<String> = country_codes()
            .iter()
            .map(|c| format!("jurisdiction:{c}"))
            .collect();
        named.extend(
            crate::model::Layer::ALL
                .iter()
                .map(|l| format!("layer:{}", l.as_str())),
        );
        json_schema!({
            "description": "What to remove: a node or organization id, `jurisdiction:XX` (everything under that jurisdiction) or `layer:NAME` (every component of that layer).",
            "anyOf": [
                id,
                { "type": "string", "enum": named }
            ]
        })
    }
}

/// A jurisdiction or country code accepted by [`crate::country::check`].
pub struct CountryCode;

/// Every code [`crate::country::check`] accepts, sorted: the assigned ISO 3166-1
/// alpha-2 codes, `EU` and the user-assigned ranges.
pub fn country_codes() -> Vec<String> {
    let mut codes: Vec<String> = crate::country::ASSIGNED
        .iter()
        .map(|c| (*c).to_owned())
        .collect();
    codes.push("EU".to_owned());
    for a in b'A'..=b'Z' {
        for b in b'A'..=b'Z' {
            let code = String::from_utf8_lossy(&[a, b]).into_owned();
            if crate::country::is_user_assigned(&code) {
                codes.push(code);
            }
        }
    }
    codes.sort();
    codes.dedup();
    codes
}

impl JsonSchema for CountryCode {
    fn schema_name() -> Cow<'static, str> {
        "CountryCode".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An ISO 3166-1 alpha-2 code (`SG`, `US`), `EU` for the European Union, or a user-assigned code (`AA`, `QM`-`QZ`, `XA`-`XZ`, `ZZ`) for a hypothetical country.",
            "type": "string",
            "enum": country_codes()
        })
    }
}

/// A publication date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
pub struct Date;

impl JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.",
            "type": "string",
            "pattern": "^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
        })
    }
}

/// A list of alternatives: ids, each once; with `shares`, a member may also be
/// written `{ id: x, share: 40 }`.
fn alternatives(generator: &mut SchemaGenerator, min_items: u32, shares: bool) -> Schema {
    let id = generator.subschema_for::<Id>();
    if !shares {
        return json_schema!({
            "type": "array",
            "items": id,
            "minItems": min_items,
            "uniqueItems": true
        });
    }
    let plain = generator.subschema_for::<Id>();
    json_schema!({
        "type": "array",
        "items": {
            "oneOf": [
                plain,
                {
                    "type": "object",
                    "description": "A member with its share of the supply the group stands for; without `share`, a member whose share the sources do not give. One member written so makes the group a supply with shares.",
                    "properties": {
                        "id": id,
                        "share": { "type": "number", "minimum": 0, "maximum": 100, "description": "Percent of the supply this member provides; leave it out when the sources give none (an unknown share, never 0)." }
                    },
                    "required": ["id"],
                    "additionalProperties": false
                }
            ]
        },
        "minItems": min_items,
        "uniqueItems": true
    })
}

impl JsonSchema for Need {
    fn schema_name() -> Cow<'static, str> {
        "Need".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let id = strict_id();
        let any = alternatives(generator, 1, true);
        let of = alternatives(generator, 1, true);
        let among = alternatives(generator, 0, false);
        let scoped_among = alternatives(generator, 0, false);
        let layer = generator.subschema_for::<crate::model::Layer>();
        json_schema!({
            "description": "One dependency: a node id (required), `any: [...]` (one of the alternatives), `at-least: k` with `of: [...]` (k of n), or `unknown: ...` (the sources leave it open), optionally with `among: [...]`.",
            "oneOf": [
                id,
                {
                    "type": "object",
                    "description": "One of the alternatives suffices.",
                    "properties": { "any": any },
                    "required": ["any"],
                    "additionalProperties": false
                },
                {
                    "type": "object",
                    "description": "At least k of the alternatives must work.",
                    "properties": {
                        "at-least": { "type": "integer", "minimum": 1 },
                        "of": of
                    },
                    "required": ["at-least", "of"],
                    "additionalProperties": false
                },
                {
                    "type": "object",
                    "description": "A dependency the sources leave undetermined; analyses never treat it as safe.",
                    "properties": {
                        "unknown": {
                            "oneOf": [
                                {
                                    "type": "object",
                                    "description": "What is missing: its layer, what the sources say, optionally candidates and whether they are the whole list. Only removals that could be it (a node of that layer, an owner of one, a jurisdiction holding one; for a closed list, the candidates) put it at risk.",
                                    "properties": {
                                        "layer": layer,
                                        "note": { "type": "string", "description": "What the sources say about it." },
                                        "among": { "anyOf": [scoped_among, { "type": "null" }], "description": "Candidates: one of these, or (unless `closed`) something not in the data." },
                                        "closed": { "type": "boolean", "description": "The candidates are the whole list: the dependency is one of them." }
                                    },
                                    "required": ["layer", "note"],
                                    "additionalProperties": false
                                },
                                { "type": "string", "description": "The older form: what the sources say, with no layer, so any removal could be it (with a sibling `among`: a closed list)." }
                            ]
                        },
                        "among": { "anyOf": [among, { "type": "null" }] }
                    },
                    "required": ["unknown"],
                    "additionalProperties": false
                }
            ]
        })
    }
}

impl JsonSchema for Citation {
    fn schema_name() -> Cow<'static, str> {
        "Citation".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let id = generator.subschema_for::<Id>();
        let plain = strict_id();
        json_schema!({
            "description": "A source id declared in a `bibliography`, or `{ source: id, section: ..., quote: ... }`.",
            "oneOf": [
                plain,
                {
                    "type": "object",
                    "properties": {
                        "source": id,
                        "section": { "type": ["string", "null"], "description": "Section, table or passage of the source." },
                        "quote": { "type": ["string", "null"], "description": "A short quotation of the passage." }
                    },
                    "required": ["source"],
                    "additionalProperties": false
                }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_codes_agree_with_the_checker() {
        let codes = country_codes();
        assert!(codes.iter().all(|c| crate::country::check(c).is_ok()));
        let mut all = 0;
        for a in b'A'..=b'Z' {
            for b in b'A'..=b'Z' {
                let code = String::from_utf8_lossy(&[a, b]).into_owned();
                if crate::country::check(&code).is_ok() {
                    all += 1;
                    assert!(codes.binary_search(&code).is_ok(), "{code}");
                }
            }
        }
        assert_eq!(codes.len(), all);
    }

    #[test]
    fn schema_is_draft_07_and_closed() {
        let v = stack_file_schema();
        assert_eq!(v["$schema"], "http://json-schema.org/draft-07/schema#");
        assert_eq!(v["additionalProperties"], false);
        assert_eq!(v["definitions"]["NodeDecl"]["additionalProperties"], false);
        assert_eq!(
            v["definitions"]["NodeDecl"]["required"],
            serde_json::json!(["id", "name"])
        );
    }
}
