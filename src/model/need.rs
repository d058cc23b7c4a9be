//! One term of `needs` ([`Need`]): its forms (an id, `any`, `at-least`/`of`,
//! `unknown`), the members' shares, and how each form is read from YAML.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use super::{Location, Spanned, Str};

/// The shares of a group's members, in member order: the percentage (0 to 100) of
/// the supply the group stands for that each member provides, `None` where the
/// sources give no share (an unknown share, never read as 0).
pub type Shares = Vec<Option<Spanned<f64>>>;

/// One term of `needs`.
///
/// - `nvidia`: required;
/// - `any: [a, b]`: at least one of the alternatives;
/// - `at-least: 2` with `of: [a, b, c]`: k of n;
/// - `unknown: {layer: chips, note: "...", among: [a, b], closed: true}`: a dependency
///   the sources leave open, scoped to what could be it: its layer, optionally
///   candidates, and whether they are the whole list (`closed`). The older
///   `unknown: "..."` (optionally with a sibling `among: [a, b]`) is an unknown of no
///   stated layer: any removal could be it (with `among`: a closed list). Analyses never
///   treat it as safe where a removal could be it.
#[derive(Debug, Clone, PartialEq)]
pub enum Need {
    /// A plain id: the dependency is required.
    Id(Str),
    /// `any: [...]`: one of the alternatives suffices. The second field holds the
    /// members' shares when any member is written as a mapping, `{ id: x, share:
    /// 40 }` or `{ id: x }` (a share the sources do not give).
    Any(Vec<Spanned<Str>>, Option<Box<Shares>>),
    /// `at-least: k` of `of: [...]`.
    AtLeast {
        /// How many must work.
        k: Spanned<u64>,
        /// The candidates.
        of: Vec<Spanned<Str>>,
        /// The candidates' shares, when any is written with one.
        shares: Option<Box<Shares>>,
    },
    /// `unknown: ...`: a dependency the sources leave undetermined.
    Unknown {
        /// What the sources say about it (boxed: a need term stays small).
        description: Box<str>,
        /// The candidates it is known to be among, if any.
        among: Vec<Spanned<Str>>,
        /// The layer and closure of the scoped form (`None`: the old string form,
        /// which states no layer, so any removal could be it, and whose `among`, if
        /// any, is a closed list). Boxed: most terms are not unknowns.
        scope: Option<Box<Scope>>,
    },
}

/// What the scoped form of `unknown:` says beyond its note and candidates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// The layer of the missing dependency.
    pub layer: Spanned<Str>,
    /// `closed: true|false`, where written: whether `among` is the whole list (else
    /// one of them, or something not in the data).
    pub closed: Option<Spanned<bool>>,
}

impl Need {
    /// Whether an `unknown` term's candidates are the whole list (`false` for other
    /// terms and for an empty list).
    pub fn is_closed(&self) -> bool {
        match self {
            Need::Unknown { among, scope, .. } => {
                !among.is_empty()
                    && scope
                        .as_ref()
                        .is_none_or(|s| s.closed.as_ref().is_some_and(|c| c.value))
            }
            _ => false,
        }
    }
}

/// The mapping form of `unknown:`: what is missing, scoped.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct UnknownScope {
    layer: Spanned<Str>,
    note: String,
    among: Option<Vec<Spanned<Str>>>,
    closed: Option<Spanned<bool>>,
}

/// The value of `unknown:`: the old free text, or the scoped mapping.
enum UnknownValue {
    Text(String),
    Scoped(UnknownScope),
}

impl<'de> Deserialize<'de> for UnknownValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = UnknownValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("`{layer: LAYER, note: \"...\"}` (optionally `among: [...]`, `closed: true`) or a text")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<UnknownValue, E> {
                Ok(UnknownValue::Text(v.to_owned()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<UnknownValue, E> {
                Err(E::invalid_type(de::Unexpected::Bool(v), &self))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<UnknownValue, A::Error> {
                UnknownScope::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(UnknownValue::Scoped)
            }
        }
        deserializer.deserialize_any(V)
    }
}

impl Need {
    /// The members' shares, when the term gives any (`any` and `at-least` only).
    pub fn shares(&self) -> Option<&Shares> {
        match self {
            Need::Any(_, s) | Need::AtLeast { shares: s, .. } => s.as_deref(),
            Need::Id(_) | Need::Unknown { .. } => None,
        }
    }

    /// The ids this term refers to, with their locations.
    pub fn references(&self) -> Vec<(&str, Option<Location>)> {
        match self {
            Need::Id(id) => vec![(id.as_str(), None)],
            Need::Any(ids, _)
            | Need::AtLeast { of: ids, .. }
            | Need::Unknown { among: ids, .. } => ids
                .iter()
                .map(|s| (s.value.as_str(), Some(s.referenced)))
                .collect(),
        }
    }
}

/// The mapping forms of a [`Need`], deserialized strictly and then checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct NeedMap {
    any: Option<Vec<Member>>,
    at_least: Option<Spanned<u64>>,
    of: Option<Vec<Member>>,
    unknown: Option<UnknownValue>,
    among: Option<Vec<Spanned<Str>>>,
}

/// A member of `any` or `of`: a plain id, or `{ id: x, share: 40 }`.
struct Member {
    id: Spanned<Str>,
    share: Option<Spanned<f64>>,
    /// Written as a mapping: the group is a supply with shares, and a mapping
    /// without `share` is a member whose share is unknown.
    mapped: bool,
}

impl<'de> Deserialize<'de> for Member {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// The member as written, before its location is attached.
        enum Form {
            Plain(Str),
            Map(MemberMap),
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct MemberMap {
            id: Spanned<Str>,
            share: Option<Spanned<f64>>,
        }
        impl<'de> Deserialize<'de> for Form {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct FormVisitor;
                impl<'de> Visitor<'de> for FormVisitor {
                    type Value = Form;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str("a node id or `{ id: x, share: 40 }`")
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<Form, E> {
                        Ok(Form::Plain(Str::from(v)))
                    }
                    // A plain scalar that YAML reads as a number or a boolean is
                    // still an id here, as in every other list of ids.
                    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Form, E> {
                        Ok(Form::Plain(Str::from(v.to_string())))
                    }
                    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Form, E> {
                        Ok(Form::Plain(Str::from(v.to_string())))
                    }
                    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Form, E> {
                        Ok(Form::Plain(Str::from(v.to_string())))
                    }
                    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Form, E> {
                        Ok(Form::Plain(Str::from(if v { "true" } else { "false" })))
                    }
                    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Form, A::Error> {
                        MemberMap::deserialize(de::value::MapAccessDeserializer::new(map))
                            .map(Form::Map)
                    }
                }
                deserializer.deserialize_any(FormVisitor)
            }
        }
        let form = Spanned::<Form>::deserialize(deserializer)?;
        Ok(match form.value {
            Form::Plain(id) => Member {
                id: Spanned {
                    value: id,
                    referenced: form.referenced,
                },
                share: None,
                mapped: false,
            },
            Form::Map(m) => Member {
                id: m.id,
                share: m.share,
                mapped: true,
            },
        })
    }
}

/// Splits members into ids and, when any member is written as a mapping (with or
/// without a share), the shares.
fn split_members(members: Vec<Member>) -> (Vec<Spanned<Str>>, Option<Box<Shares>>) {
    let any_share = members.iter().any(|m| m.mapped);
    let mut ids = Vec::with_capacity(members.len());
    let mut shares = Vec::with_capacity(if any_share { members.len() } else { 0 });
    for m in members {
        ids.push(m.id);
        if any_share {
            shares.push(m.share);
        }
    }
    (ids, any_share.then(|| Box::new(shares)))
}

impl<'de> Deserialize<'de> for Need {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NeedVisitor;
        impl<'de> Visitor<'de> for NeedVisitor {
            type Value = Need;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a node id, `any: [...]`, `at-least: k` with `of: [...]`, or `unknown: ...`",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Need, E> {
                Ok(Need::Id(Str::from(v)))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Need, A::Error> {
                let m = NeedMap::deserialize(de::value::MapAccessDeserializer::new(map))?;
                match m {
                    NeedMap {
                        any: Some(any),
                        at_least: None,
                        of: None,
                        unknown: None,
                        among: None,
                    } => {
                        let (ids, shares) = split_members(any);
                        Ok(Need::Any(ids, shares))
                    }
                    NeedMap {
                        any: None,
                        at_least: Some(k),
                        of: Some(of),
                        unknown: None,
                        among: None,
                    } => {
                        let (of, shares) = split_members(of);
                        Ok(Need::AtLeast { k, of, shares })
                    }
                    NeedMap {
                        any: None,
                        at_least: None,
                        of: None,
                        unknown: Some(UnknownValue::Text(d)),
                        among,
                    } => Ok(Need::Unknown {
                        description: d.into_boxed_str(),
                        among: among.unwrap_or_default(),
                        scope: None,
                    }),
                    NeedMap {
                        any: None,
                        at_least: None,
                        of: None,
                        unknown: Some(UnknownValue::Scoped(u)),
                        among: None,
                    } => Ok(Need::Unknown {
                        description: u.note.into_boxed_str(),
                        among: u.among.unwrap_or_default(),
                        scope: Some(Box::new(Scope {
                            layer: u.layer,
                            closed: u.closed,
                        })),
                    }),
                    NeedMap {
                        unknown: Some(UnknownValue::Scoped(_)),
                        among: Some(_),
                        ..
                    } => Err(de::Error::custom(
                        "write `among: [...]` inside the `unknown: {layer: ..., note: ..., among: [...]}` mapping",
                    )),
                    NeedMap {
                        at_least: Some(_),
                        of: None,
                        ..
                    } => Err(de::Error::custom(
                        "`at-least` needs `of: [...]`, the list to choose from",
                    )),
                    NeedMap {
                        at_least: None,
                        of: Some(_),
                        ..
                    } => Err(de::Error::custom(
                        "`of` needs `at-least: k`, how many must work",
                    )),
                    NeedMap {
                        among: Some(_),
                        unknown: None,
                        ..
                    } => Err(de::Error::custom("`among` belongs with `unknown: ...`")),
                    _ => Err(de::Error::custom(
                        "a needs term is one of `any: [...]`, `at-least: k` with `of: [...]`, or `unknown: ...`; write them as separate terms",
                    )),
                }
            }
        }
        deserializer.deserialize_any(NeedVisitor)
    }
}
