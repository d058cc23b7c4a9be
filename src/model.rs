//! Serde types that mirror the YAML files of `stacks/` one to one.
//!
//! These types are the file format, nothing more: they keep every value's source
//! location ([`Spanned`]) so that later checks can point at `file:line:column`, and
//! they reject unknown fields. The analysable graph is built from them by
//! [`crate::graph::build`]; nothing else in the crate reads YAML types.
//!
//! A file may hold any of the top-level sections. A *country file* has `country`,
//! `name` and `capabilities`; a *shared file* has only `organizations`, `nodes`,
//! `sources` or `groups`. A model that is not about countries at all (a fault tree
//! translated into this format) is a shared file with `nodes` only.

use std::fmt;

use schemars::JsonSchema;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

mod facts;
mod layer;
mod need;

pub use facts::{Capacity, Facts, Figure, Figures, SourceTable};
pub use layer::{Layer, Status};
pub use need::{Need, Scope, Shares};

/// A string of a parsed file: ids, names and codes are short, and one of up to 23
/// bytes is kept inline, without an allocation of its own (a file holds hundreds of
/// thousands of them).
pub type Str = smol_str::SmolStr;

/// Where a value starts in its file: 1-based line and column, and its length in
/// characters (for underlining). 12 bytes, a quarter of the parser's own location
/// (which also keeps byte offsets and where an alias's anchor was defined): files
/// hold one per value, so this is most of what a parsed file weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Location {
    line: u32,
    column: u32,
    len: u32,
}

impl Location {
    /// A location at `line`, `column` (1-based), spanning `len` characters.
    pub fn new(line: u32, column: u32, len: u32) -> Location {
        Location { line, column, len }
    }

    /// 1-based line (0 when unknown).
    pub fn line(&self) -> u32 {
        self.line
    }

    /// 1-based column (0 when unknown).
    pub fn column(&self) -> u32 {
        self.column
    }

    /// Length of the value in characters (0 when unknown).
    pub fn len(&self) -> u32 {
        self.len
    }

    /// Whether the span is empty or unknown.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl From<serde_saphyr::Location> for Location {
    fn from(l: serde_saphyr::Location) -> Location {
        let narrow = |x: u64| u32::try_from(x).unwrap_or(u32::MAX);
        Location {
            line: narrow(l.line()),
            column: narrow(l.column()),
            len: u32::try_from(l.span().len()).unwrap_or(u32::MAX),
        }
    }
}

/// A value with where it was written ([`Location`]): where an alias is used, not
/// where its anchor was defined, so a diagnostic points at the text the user wrote.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub referenced: Location,
}

/// Writes the value only, as the parser's own `Spanned` does.
impl<T: Serialize> Serialize for Spanned<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = serde_saphyr::Spanned::<T>::deserialize(deserializer)?;
        Ok(Spanned {
            value: s.value,
            referenced: s.referenced.into(),
        })
    }
}

/// One YAML file of `stacks/`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct StackFile {
    /// ISO 3166-1 alpha-2 code of the country this file describes (`EU` allowed).
    #[schemars(with = "Option<crate::schema::CountryCode>")]
    pub country: Option<Spanned<Str>>,
    /// Display name of the country (required with `country`).
    #[schemars(with = "Option<String>")]
    pub name: Option<Spanned<Str>>,
    /// The nodes the country's sovereign-AI effort must keep working.
    #[serde(default)]
    #[schemars(with = "Vec<crate::schema::Id>")]
    pub capabilities: Vec<Spanned<Str>>,
    /// Free-text remarks about the country.
    pub notes: Option<String>,
    /// Sources cited by the country as a whole.
    #[serde(default)]
    #[schemars(with = "Vec<Citation>")]
    pub sources: Vec<Spanned<Citation>>,
    /// Bibliography entries, declared once and cited by id.
    #[serde(default)]
    #[schemars(with = "Vec<SourceDecl>")]
    pub bibliography: Vec<Spanned<SourceDecl>>,
    /// Named groups of jurisdictions (allies), e.g. the EU member states.
    #[serde(default)]
    #[schemars(with = "Vec<GroupDecl>")]
    pub groups: Vec<Spanned<GroupDecl>>,
    /// Organizations: the owners of nodes, each with a jurisdiction.
    #[serde(default)]
    #[schemars(with = "Vec<OrgDecl>")]
    pub organizations: Vec<Spanned<OrgDecl>>,
    /// The nodes: chips, compute, data, models, distribution channels, capabilities.
    #[serde(default)]
    #[schemars(with = "Vec<NodeDecl>")]
    pub nodes: Vec<Spanned<NodeDecl>>,
}

/// A bibliography entry: a source declared once and cited by its id.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SourceDecl {
    /// Identifier used in citations.
    #[schemars(with = "crate::schema::Id")]
    pub id: Spanned<Str>,
    /// Title of the work.
    pub title: String,
    /// Author or authors.
    pub author: String,
    /// Publication date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    #[schemars(with = "crate::schema::Date")]
    pub date: Spanned<Str>,
    /// Publisher or venue.
    pub publisher: Option<String>,
    /// Where the work can be found.
    pub url: Option<String>,
    /// The file name of the work's plain text in a sources directory
    /// (`jenga check --sources-dir DIR` reads `DIR/TEXT`, or `JENGA_SOURCE_TEXT` names
    /// it): when it is available, every quote citing this source must occur in it.
    pub text: Option<String>,
    /// Free-text remarks.
    pub notes: Option<String>,
}

/// A citation: a source id, optionally with the section or passage that states the fact.
///
/// Written either as a plain id (`lostri-2024`) or as a mapping
/// (`{ source: lostri-2024, section: "Table 1" }`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// Id of a [`SourceDecl`].
    pub source: Str,
    /// Section, table or passage of the source.
    pub section: Option<String>,
    /// A short quotation of the passage.
    pub quote: Option<String>,
}

/// A named group of jurisdictions, e.g. `eu` with the EU member states.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct GroupDecl {
    /// Identifier of the group.
    #[schemars(with = "crate::schema::Id")]
    pub id: Spanned<Str>,
    /// Display name.
    pub name: String,
    /// Member jurisdictions (ISO 3166-1 alpha-2 codes or `EU`).
    #[schemars(with = "Vec<crate::schema::CountryCode>")]
    pub members: Vec<Spanned<Str>>,
    /// Citations.
    #[serde(default)]
    #[schemars(with = "Vec<Citation>")]
    pub sources: Vec<Spanned<Citation>>,
    /// Free-text remarks.
    pub notes: Option<String>,
}

/// An organization: a company, agency or consortium that owns nodes.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct OrgDecl {
    /// Unique identifier across all files.
    #[schemars(with = "crate::schema::Id")]
    pub id: Spanned<Str>,
    /// Display name.
    #[schemars(with = "String")]
    pub name: Spanned<Str>,
    /// Where the organization is incorporated (ISO 3166-1 alpha-2 or `EU`).
    #[schemars(with = "crate::schema::CountryCode")]
    pub jurisdiction: Spanned<Str>,
    /// The organization that owns this one; a subsidiary falls with its parent.
    #[schemars(with = "Option<crate::schema::Id>")]
    pub parent: Option<Spanned<Str>>,
    /// What kind of organization this is.
    pub kind: Option<OrgKind>,
    /// Citations.
    #[serde(default)]
    #[schemars(with = "Vec<Citation>")]
    pub sources: Vec<Spanned<Citation>>,
    /// Free-text remarks.
    pub notes: Option<String>,
}

/// What kind of organization an [`OrgDecl`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum OrgKind {
    /// A private company.
    Company,
    /// A government, ministry or public agency.
    Government,
    /// A university, academy or research institute.
    Academic,
    /// A foundation, consortium or other non-profit.
    Nonprofit,
    /// An intergovernmental body such as the EU.
    Intergovernmental,
    /// A country as a whole, standing for the firms located there: a dataset's
    /// country-level view of a market (the ETO data's country providers). Shares of
    /// a group of such members are the country view (`jenga concentration --by
    /// country`).
    Country,
}

/// A node of the stack.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct NodeDecl {
    /// Unique identifier across all files.
    #[schemars(with = "crate::schema::Id")]
    pub id: Spanned<Str>,
    /// Display name.
    #[schemars(with = "String")]
    pub name: Spanned<Str>,
    /// Layer of the tower (`chips`, `compute`, `data`, `model`, `distribution`,
    /// `capability`). Models that are not stacks (fault trees) may leave it out.
    #[schemars(with = "Option<Layer>")]
    pub layer: Option<Spanned<Str>>,
    /// The owning organization; the node implicitly needs it.
    #[schemars(with = "Option<crate::schema::Id>")]
    pub org: Option<Spanned<Str>>,
    /// Dependencies, all of which must hold.
    #[serde(default)]
    #[schemars(with = "Vec<Need>")]
    pub needs: Vec<Spanned<Need>>,
    /// Partners the sources name without saying the node depends on them (Table 2's
    /// "private-sector partners"): drawn and exported as `partner` edges, never a
    /// hard need. A partner's removal degrades the node, never fails it.
    #[serde(default)]
    #[schemars(extend("default" = []))]
    #[schemars(with = "Vec<crate::schema::Id>")]
    pub partners: Option<Box<Vec<Spanned<Str>>>>,
    /// Dependencies of `needs` that the sources do not state, each with the reasoning
    /// and a second source. `--exclude-inferred` builds the world without them.
    #[serde(default)]
    #[schemars(extend("default" = []))]
    #[schemars(with = "Vec<Inferred>")]
    pub inferred: Option<Box<Vec<Spanned<Inferred>>>>,
    /// Lifecycle status as the sources give it.
    #[schemars(with = "Option<Status>")]
    pub status: Option<Spanned<Status>>,
    // Boxed: most nodes have neither, and a node without them stays small (about half
    // the size), which matters for worlds of many thousand nodes.
    /// Quantities the sources give: budget, GPU count.
    pub figures: Option<Box<Figures>>,
    /// What the node provides, in a unit that analyses add up (H100-equivalents,
    /// MW, Rmax TFlop/s, GPUs): the capacity a scenario can take away.
    pub capacity: Option<Box<Capacity>>,
    /// Descriptive facts the sources give, kept verbatim.
    pub facts: Option<Box<Facts>>,
    /// Citations.
    #[serde(default)]
    #[schemars(with = "Vec<Citation>")]
    pub sources: Vec<Spanned<Citation>>,
    /// Free-text remarks.
    pub notes: Option<String>,
}

/// A dependency that the sources do not state but the data assumes.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Inferred {
    /// The id, one of the node's `needs` (in any term), that is inferred.
    #[schemars(with = "crate::schema::Id")]
    pub need: Spanned<Str>,
    /// Why the dependency is assumed although the sources do not state it.
    pub reason: String,
    /// Where the reasoning comes from (at least one: a second source, or the passage
    /// the inference is drawn from).
    #[schemars(with = "Vec<Citation>")]
    pub sources: Vec<Spanned<Citation>>,
}

impl NodeDecl {
    /// The `partners` (boxed in the type: most nodes have none, and a node stays small).
    pub fn partners(&self) -> &[Spanned<Str>] {
        self.partners.as_deref().map_or(&[], Vec::as_slice)
    }

    /// The `inferred` entries (boxed like `partners`).
    pub fn inferred(&self) -> &[Spanned<Inferred>] {
        self.inferred.as_deref().map_or(&[], Vec::as_slice)
    }

    /// Removes the inferred dependencies from `needs`: a plain id is dropped, an
    /// alternative or candidate leaves its list (a list left empty drops its term),
    /// and `at-least k` keeps at most as many as remain.
    pub fn exclude_inferred(&mut self) {
        if self.inferred().is_empty() {
            return;
        }
        let gone: Vec<Str> = self
            .inferred()
            .iter()
            .map(|i| i.value.need.value.clone())
            .collect();
        let keep = |s: &Spanned<Str>| !gone.contains(&s.value);
        self.needs.retain_mut(|n| match &mut n.value {
            Need::Id(id) => !gone.contains(id),
            Need::Any(ids, shares) => {
                let mask: Vec<bool> = ids.iter().map(keep).collect();
                retain_masked(ids, &mask);
                if let Some(s) = shares {
                    retain_masked(s, &mask);
                }
                !ids.is_empty()
            }
            Need::AtLeast { k, of, shares } => {
                let mask: Vec<bool> = of.iter().map(keep).collect();
                retain_masked(of, &mask);
                if let Some(s) = shares {
                    retain_masked(s, &mask);
                }
                k.value = k.value.min(of.len() as u64);
                !of.is_empty()
            }
            Need::Unknown { among, .. } => {
                among.retain(keep);
                true
            }
        });
    }
}

/// Keeps the elements of `v` whose `mask` entry is true.
fn retain_masked<T>(v: &mut Vec<T>, mask: &[bool]) {
    let mut i = 0;
    v.retain(|_| {
        let k = mask.get(i).copied().unwrap_or(true);
        i += 1;
        k
    });
}

impl<'de> Deserialize<'de> for Citation {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct CitationMap {
            source: Str,
            section: Option<String>,
            quote: Option<String>,
        }
        struct CitationVisitor;
        impl<'de> Visitor<'de> for CitationVisitor {
            type Value = Citation;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a source id or `{ source: id, section: ... }`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Citation, E> {
                Ok(Citation {
                    source: Str::from(v),
                    section: None,
                    quote: None,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Citation, A::Error> {
                let m = CitationMap::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Citation {
                    source: m.source,
                    section: m.section,
                    quote: m.quote,
                })
            }
        }
        deserializer.deserialize_any(CitationVisitor)
    }
}
