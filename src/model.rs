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

/// Lifecycle status of a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Working today.
    Operational,
    /// Being built or upgraded.
    UnderConstruction,
    /// Planned with a budget.
    Planned,
    /// Announced only.
    Announced,
    /// In consultation or calls for interest.
    Consultation,
    /// Released or available to users.
    Released,
    /// Not yet released.
    Unreleased,
    /// Cancelled: announced, then withdrawn.
    Cancelled,
}

/// Quantities the sources give for a node.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Figures {
    /// Money spent or committed.
    pub budget: Option<Figure>,
    /// Number of accelerators.
    pub gpus: Option<Figure>,
    /// Model size in parameters.
    pub parameters: Option<Figure>,
    /// Training corpus size in tokens.
    pub tokens: Option<Figure>,
}

/// One quantity: the source's wording plus, when it states one, a number.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Figure {
    /// The wording of the source, verbatim ("~$52 million", "Undisclosed").
    pub text: String,
    /// The number, when the source states one (US dollars for budgets).
    pub value: Option<f64>,
    /// Upper bound of a range ("$250-300 million").
    pub value_max: Option<f64>,
    /// The source calls the number an estimate.
    #[serde(default)]
    pub estimate: bool,
    /// The source says the figure is undisclosed or to be determined. With a `value`,
    /// the value is the one disclosed part of an undisclosed whole ("Mostly undisclosed
    /// except for ~$560,000").
    #[serde(default)]
    pub unknown: bool,
}

/// A node's capacity: a non-negative amount in a unit.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Capacity {
    /// The amount (finite, at least 0).
    #[schemars(with = "f64")]
    pub value: Spanned<f64>,
    /// The unit: `H100e` (H100-equivalents), `MW`, `Rmax TFlop/s`, `GPUs`, or any
    /// other name; capacities are only ever added up within one unit.
    #[schemars(with = "String")]
    pub unit: Spanned<Str>,
}

/// The shares of a group's members, in member order: the percentage (0 to 100) of
/// the supply the group stands for that each member provides, `None` where the
/// sources give no share (an unknown share, never read as 0).
pub type Shares = Vec<Option<Spanned<f64>>>;

/// Descriptive facts kept verbatim from the sources (the columns of its tables).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Facts {
    /// The source table that lists this node as its country's row (`jenga table`).
    pub table: Option<SourceTable>,
    /// The country cell as the table gives it, when it differs from the country's
    /// `name` ("UAE", "EU").
    pub country: Option<String>,
    /// The name cell as the table gives it, when it differs from the node's `name`
    /// ("Family of foundation models").
    pub title: Option<String>,
    /// How a model was made ("Pretrained from scratch").
    pub model_type: Option<String>,
    /// "Open", "Closed", "Intended to be open".
    pub openness: Option<String>,
    /// What the model was trained on.
    pub training_data: Option<String>,
    /// The infrastructure, as the source names it.
    pub infrastructure: Option<String>,
    /// Where the node is located.
    pub location: Option<String>,
    /// What the investment buys.
    pub investment_nature: Option<String>,
    /// Private-sector partners, as the source lists them.
    pub partners: Option<String>,
    /// Status wording of the source ("Operational as of October 2024").
    pub status_text: Option<String>,
}

/// The tables of the source that `jenga table` regenerates.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum SourceTable {
    /// Table 1, sovereign AI models: one row per country.
    Models,
    /// Table 2, sovereign AI infrastructure: one row per country or region.
    Infrastructure,
}

impl SourceTable {
    /// Both tables, in the source's order.
    pub const ALL: [SourceTable; 2] = [SourceTable::Models, SourceTable::Infrastructure];

    /// The name used in files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceTable::Models => "models",
            SourceTable::Infrastructure => "infrastructure",
        }
    }

    /// The fields a row of this table must give (the cells that the table never leaves
    /// empty), written as in the YAML file, in column order. `facts.title`,
    /// `facts.country` and `facts.location` are optional: they default to the node's
    /// name, the country's name, and nothing.
    pub fn required_fields(self) -> impl Iterator<Item = &'static str> {
        self.cells().iter().map(|(name, _)| *name)
    }

    /// The required fields that `facts` and `figures` leave out, in column order.
    pub fn missing_fields(self, facts: &Facts, figures: Option<&Figures>) -> Vec<&'static str> {
        self.cells()
            .iter()
            .filter(|(_, present)| !present(facts, figures))
            .map(|(name, _)| *name)
            .collect()
    }

    fn cells(self) -> &'static [(&'static str, CellPresent)] {
        const BUDGET: (&str, CellPresent) = ("figures.budget", |_, f| {
            f.is_some_and(|f| f.budget.is_some())
        });
        match self {
            SourceTable::Models => &[
                ("facts.model-type", |f, _| f.model_type.is_some()),
                ("facts.openness", |f, _| f.openness.is_some()),
                ("facts.training-data", |f, _| f.training_data.is_some()),
                BUDGET,
                ("facts.infrastructure", |f, _| f.infrastructure.is_some()),
            ],
            SourceTable::Infrastructure => &[
                BUDGET,
                ("facts.investment-nature", |f, _| {
                    f.investment_nature.is_some()
                }),
                ("facts.partners", |f, _| f.partners.is_some()),
                ("facts.status-text", |f, _| f.status_text.is_some()),
            ],
        }
    }
}

/// Whether a row gives one of its table's cells.
type CellPresent = fn(&Facts, Option<&Figures>) -> bool;

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

/// The layers of a stack, bottom to top, as a Jenga tower is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Layer {
    /// Accelerators and processors.
    Chips,
    /// Supercomputers, data centres and clouds.
    Compute,
    /// Training corpora.
    Data,
    /// Base and derived models.
    Model,
    /// Channels through which models reach users.
    Distribution,
    /// What a country's sovereign-AI effort must keep.
    Capability,
}

impl Layer {
    /// Every layer, bottom to top.
    pub const ALL: [Layer; 6] = [
        Layer::Chips,
        Layer::Compute,
        Layer::Data,
        Layer::Model,
        Layer::Distribution,
        Layer::Capability,
    ];

    /// Every layer, top to bottom, as towers, tables and the report list them: the one
    /// layer order of jenga (the reverse of [`Layer::ALL`] and of the declaration).
    pub const TOP_DOWN: [Layer; 6] = [
        Layer::Capability,
        Layer::Distribution,
        Layer::Model,
        Layer::Data,
        Layer::Compute,
        Layer::Chips,
    ];

    /// The position in [`Layer::TOP_DOWN`]: 0 for `capability`, 5 for `chips`.
    pub fn rank_top_down(self) -> usize {
        Layer::ALL.len() - 1 - self as usize
    }

    /// The name used in files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Chips => "chips",
            Layer::Compute => "compute",
            Layer::Data => "data",
            Layer::Model => "model",
            Layer::Distribution => "distribution",
            Layer::Capability => "capability",
        }
    }

    /// Parses a layer name.
    pub fn parse(s: &str) -> Option<Layer> {
        Layer::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Status {
    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Operational => "operational",
            Status::UnderConstruction => "under-construction",
            Status::Planned => "planned",
            Status::Announced => "announced",
            Status::Consultation => "consultation",
            Status::Released => "released",
            Status::Unreleased => "unreleased",
            Status::Cancelled => "cancelled",
        }
    }
}
