//! The fast path's readers of the file format: one function per type of
//! [`crate::model`], each taking the fields the serde path takes, with the same
//! defaults, and deferring on an unknown, repeated or missing key.

use super::{
    Defer, Events, Node, R, Scalar, plain_bool, plain_f64, plain_u64, spanned_str, text_scalar,
    word_scalar,
};
use crate::model::{
    Citation, GroupDecl, Inferred, Need, NodeDecl, OrgDecl, OrgKind, Scope, Shares, SourceDecl,
    Spanned, StackFile, Status, Str,
};

/// Fills `slot`, deferring when the key was already given.
fn set<T>(slot: &mut Option<T>, value: T) -> R<()> {
    if slot.is_some() {
        return Err(Defer);
    }
    *slot = Some(value);
    Ok(())
}

/// A required field.
fn need<T>(slot: Option<T>) -> R<T> {
    slot.ok_or(Defer)
}

/// The next node, which must be the start of a mapping.
fn map_start(ev: &mut Events<'_>) -> R<()> {
    match ev.node()? {
        Node::Map(_) => Ok(()),
        _ => Err(Defer),
    }
}

/// A whole stack file.
pub(super) fn stack_file(ev: &mut Events<'_>) -> R<StackFile> {
    ev.document_start()?;
    map_start(ev)?;
    let (mut country, mut name, mut capabilities, mut notes) = (None, None, None, None);
    let (mut sources, mut bibliography, mut groups) = (None, None, None);
    let (mut organizations, mut nodes) = (None, None);
    while let Some(key) = ev.key()? {
        match &*key {
            "country" => set(&mut country, ev.str()?)?,
            "name" => set(&mut name, ev.str()?)?,
            "capabilities" => set(&mut capabilities, ev.strs()?)?,
            "notes" => set(&mut notes, ev.text()?.value.into_owned())?,
            "sources" => set(&mut sources, citations(ev)?)?,
            "bibliography" => set(&mut bibliography, ev.list(|ev, n| spanned(ev, n, source))?)?,
            "groups" => set(&mut groups, ev.list(|ev, n| spanned(ev, n, group))?)?,
            "organizations" => set(&mut organizations, ev.list(|ev, n| spanned(ev, n, org))?)?,
            "nodes" => set(&mut nodes, ev.list(|ev, n| spanned(ev, n, node))?)?,
            _ => return Err(Defer),
        }
    }
    ev.document_end()?;
    Ok(StackFile {
        country,
        name,
        capabilities: capabilities.unwrap_or_default(),
        notes,
        sources: sources.unwrap_or_default(),
        bibliography: bibliography.unwrap_or_default(),
        groups: groups.unwrap_or_default(),
        organizations: organizations.unwrap_or_default(),
        nodes: nodes.unwrap_or_default(),
    })
}

/// A mapping item of a list, read by `read` (the mapping's start already read), with
/// the mapping's location.
fn spanned<T>(ev: &mut Events, n: Node, read: fn(&mut Events<'_>) -> R<T>) -> R<Spanned<T>> {
    match n {
        Node::Map(at) => Ok(Spanned {
            value: read(ev)?,
            referenced: at,
        }),
        _ => Err(Defer),
    }
}

/// A list of citations.
fn citations(ev: &mut Events<'_>) -> R<Vec<Spanned<Citation>>> {
    ev.list(citation)
}

/// A citation: a source id, or `{source, section, quote}`.
fn citation(ev: &mut Events, n: Node) -> R<Spanned<Citation>> {
    match n {
        Node::Scalar(s) => {
            let s = word_scalar(s)?;
            Ok(Spanned {
                value: Citation {
                    source: Str::from(&*s.value),
                    section: None,
                    quote: None,
                },
                referenced: s.at,
            })
        }
        Node::Map(at) => {
            let (mut source, mut section, mut quote) = (None, None, None);
            while let Some(key) = ev.key()? {
                match &*key {
                    "source" => set(&mut source, Str::from(&*ev.text()?.value))?,
                    "section" => set(&mut section, ev.text()?.value.into_owned())?,
                    "quote" => set(&mut quote, ev.text()?.value.into_owned())?,
                    _ => return Err(Defer),
                }
            }
            Ok(Spanned {
                value: Citation {
                    source: need(source)?,
                    section,
                    quote,
                },
                referenced: at,
            })
        }
        Node::Seq => Err(Defer),
    }
}

/// A bibliography entry.
fn source(ev: &mut Events<'_>) -> R<SourceDecl> {
    let (mut id, mut title, mut author, mut date) = (None, None, None, None);
    let (mut publisher, mut url, mut text, mut notes) = (None, None, None, None);
    while let Some(key) = ev.key()? {
        match &*key {
            "id" => set(&mut id, ev.str()?)?,
            "title" => set(&mut title, ev.text()?.value.into_owned())?,
            "author" => set(&mut author, ev.text()?.value.into_owned())?,
            "date" => set(&mut date, ev.str()?)?,
            "publisher" => set(&mut publisher, ev.text()?.value.into_owned())?,
            "url" => set(&mut url, ev.text()?.value.into_owned())?,
            "text" => set(&mut text, ev.text()?.value.into_owned())?,
            "notes" => set(&mut notes, ev.text()?.value.into_owned())?,
            _ => return Err(Defer),
        }
    }
    Ok(SourceDecl {
        id: need(id)?,
        title: need(title)?,
        author: need(author)?,
        date: need(date)?,
        publisher,
        url,
        text,
        notes,
    })
}

/// A group of jurisdictions.
fn group(ev: &mut Events<'_>) -> R<GroupDecl> {
    let (mut id, mut name, mut members, mut sources, mut notes) = (None, None, None, None, None);
    while let Some(key) = ev.key()? {
        match &*key {
            "id" => set(&mut id, ev.str()?)?,
            "name" => set(&mut name, ev.text()?.value.into_owned())?,
            "members" => set(&mut members, ev.strs()?)?,
            "sources" => set(&mut sources, citations(ev)?)?,
            "notes" => set(&mut notes, ev.text()?.value.into_owned())?,
            _ => return Err(Defer),
        }
    }
    Ok(GroupDecl {
        id: need(id)?,
        name: need(name)?,
        members: need(members)?,
        sources: sources.unwrap_or_default(),
        notes,
    })
}

/// An organization.
fn org(ev: &mut Events<'_>) -> R<OrgDecl> {
    let (mut id, mut name, mut jurisdiction, mut parent) = (None, None, None, None);
    let (mut kind, mut sources, mut notes) = (None, None, None);
    while let Some(key) = ev.key()? {
        match &*key {
            "id" => set(&mut id, ev.str()?)?,
            "name" => set(&mut name, ev.str()?)?,
            "jurisdiction" => set(&mut jurisdiction, ev.str()?)?,
            "parent" => set(&mut parent, ev.str()?)?,
            "kind" => set(&mut kind, org_kind(&ev.text()?)?)?,
            "sources" => set(&mut sources, citations(ev)?)?,
            "notes" => set(&mut notes, ev.text()?.value.into_owned())?,
            _ => return Err(Defer),
        }
    }
    Ok(OrgDecl {
        id: need(id)?,
        name: need(name)?,
        jurisdiction: need(jurisdiction)?,
        parent,
        kind,
        sources: sources.unwrap_or_default(),
        notes,
    })
}

/// An organization's kind, written plain.
fn org_kind(s: &Scalar) -> R<OrgKind> {
    if !s.plain {
        return Err(Defer);
    }
    Ok(match &*s.value {
        "company" => OrgKind::Company,
        "government" => OrgKind::Government,
        "academic" => OrgKind::Academic,
        "nonprofit" => OrgKind::Nonprofit,
        "intergovernmental" => OrgKind::Intergovernmental,
        "country" => OrgKind::Country,
        _ => return Err(Defer),
    })
}

/// A node's status, written plain.
fn status(s: Scalar) -> R<Spanned<Status>> {
    if !s.plain {
        return Err(Defer);
    }
    let value = match &*s.value {
        "operational" => Status::Operational,
        "under-construction" => Status::UnderConstruction,
        "planned" => Status::Planned,
        "announced" => Status::Announced,
        "consultation" => Status::Consultation,
        "released" => Status::Released,
        "unreleased" => Status::Unreleased,
        "cancelled" => Status::Cancelled,
        _ => return Err(Defer),
    };
    Ok(Spanned {
        value,
        referenced: s.at,
    })
}

/// A node (`figures`, `capacity` and `facts` defer).
fn node(ev: &mut Events<'_>) -> R<NodeDecl> {
    let (mut id, mut name, mut layer, mut org) = (None, None, None, None);
    let (mut needs, mut partners, mut inferred, mut status_) = (None, None, None, None);
    let (mut sources, mut notes) = (None, None);
    while let Some(key) = ev.key()? {
        match &*key {
            "id" => set(&mut id, ev.str()?)?,
            "name" => set(&mut name, ev.str()?)?,
            "layer" => set(&mut layer, ev.str()?)?,
            "org" => set(&mut org, ev.str()?)?,
            "needs" => set(&mut needs, ev.list(need_term)?)?,
            "partners" => set(&mut partners, Box::new(ev.strs()?))?,
            "inferred" => set(
                &mut inferred,
                Box::new(ev.list(|ev, n| spanned(ev, n, inferred_need))?),
            )?,
            "status" => set(&mut status_, status(ev.text()?)?)?,
            "sources" => set(&mut sources, citations(ev)?)?,
            "notes" => set(&mut notes, ev.text()?.value.into_owned())?,
            _ => return Err(Defer),
        }
    }
    Ok(NodeDecl {
        id: need(id)?,
        name: need(name)?,
        layer,
        org,
        needs: needs.unwrap_or_default(),
        partners,
        inferred,
        status: status_,
        figures: None,
        capacity: None,
        facts: None,
        sources: sources.unwrap_or_default(),
        notes,
    })
}

/// An inferred dependency.
fn inferred_need(ev: &mut Events<'_>) -> R<Inferred> {
    let (mut need_, mut reason, mut sources) = (None, None, None);
    while let Some(key) = ev.key()? {
        match &*key {
            "need" => set(&mut need_, ev.str()?)?,
            "reason" => set(&mut reason, ev.text()?.value.into_owned())?,
            "sources" => set(&mut sources, citations(ev)?)?,
            _ => return Err(Defer),
        }
    }
    Ok(Inferred {
        need: need(need_)?,
        reason: need(reason)?,
        sources: need(sources)?,
    })
}

/// A member of `any` or `of`: a plain id, or `{id, share}`.
struct Member {
    id: Spanned<Str>,
    share: Option<Spanned<f64>>,
    mapped: bool,
}

/// A list of members.
fn members(ev: &mut Events<'_>) -> R<Vec<Member>> {
    ev.list(|ev, n| match n {
        Node::Scalar(s) => Ok(Member {
            id: spanned_str(word_scalar(s)?),
            share: None,
            mapped: false,
        }),
        Node::Map(_) => {
            let (mut id, mut share) = (None, None);
            while let Some(key) = ev.key()? {
                match &*key {
                    "id" => set(&mut id, ev.str()?)?,
                    "share" => {
                        let s = ev.text()?;
                        let value = plain_f64(&s)?;
                        set(
                            &mut share,
                            Spanned {
                                value,
                                referenced: s.at,
                            },
                        )?;
                    }
                    _ => return Err(Defer),
                }
            }
            Ok(Member {
                id: need(id)?,
                share,
                mapped: true,
            })
        }
        Node::Seq => Err(Defer),
    })
}

/// Splits members into ids and, when any is written as a mapping, their shares.
fn split(members: Vec<Member>) -> (Vec<Spanned<Str>>, Option<Box<Shares>>) {
    let mapped = members.iter().any(|m| m.mapped);
    let mut ids = Vec::with_capacity(members.len());
    let mut shares = Vec::with_capacity(if mapped { members.len() } else { 0 });
    for m in members {
        ids.push(m.id);
        if mapped {
            shares.push(m.share);
        }
    }
    (ids, mapped.then(|| Box::new(shares)))
}

/// The value of `unknown:`: a text, or the scoped mapping.
enum Unknown {
    Text(String),
    Scoped {
        layer: Spanned<Str>,
        note: String,
        among: Option<Vec<Spanned<Str>>>,
        closed: Option<Spanned<bool>>,
    },
}

/// Reads the value of `unknown:`.
fn unknown(ev: &mut Events<'_>) -> R<Unknown> {
    match ev.node()? {
        Node::Scalar(s) => Ok(Unknown::Text(word_scalar(s)?.value.into_owned())),
        Node::Map(_) => {
            let (mut layer, mut note, mut among, mut closed) = (None, None, None, None);
            while let Some(key) = ev.key()? {
                match &*key {
                    "layer" => set(&mut layer, ev.str()?)?,
                    "note" => set(&mut note, ev.text()?.value.into_owned())?,
                    "among" => set(&mut among, ev.strs()?)?,
                    "closed" => {
                        let s = ev.text()?;
                        let value = plain_bool(&s)?;
                        set(
                            &mut closed,
                            Spanned {
                                value,
                                referenced: s.at,
                            },
                        )?;
                    }
                    _ => return Err(Defer),
                }
            }
            Ok(Unknown::Scoped {
                layer: need(layer)?,
                note: need(note)?,
                among,
                closed,
            })
        }
        Node::Seq => Err(Defer),
    }
}

/// One term of `needs` (a combination of keys the serde path refuses defers).
fn need_term(ev: &mut Events, n: Node) -> R<Spanned<Need>> {
    let at = match n {
        Node::Scalar(s) => {
            let s = word_scalar(text_scalar(s)?)?;
            return Ok(Spanned {
                value: Need::Id(Str::from(&*s.value)),
                referenced: s.at,
            });
        }
        Node::Map(at) => at,
        Node::Seq => return Err(Defer),
    };
    let (mut any, mut at_least, mut of, mut unknown_, mut among) = (None, None, None, None, None);
    while let Some(key) = ev.key()? {
        match &*key {
            "any" => set(&mut any, members(ev)?)?,
            "at-least" => {
                let s = ev.text()?;
                let value = plain_u64(&s)?;
                set(
                    &mut at_least,
                    Spanned {
                        value,
                        referenced: s.at,
                    },
                )?;
            }
            "of" => set(&mut of, members(ev)?)?,
            "unknown" => set(&mut unknown_, unknown(ev)?)?,
            "among" => set(&mut among, ev.strs()?)?,
            _ => return Err(Defer),
        }
    }
    let value = match (any, at_least, of, unknown_, among) {
        (Some(any), None, None, None, None) => {
            let (ids, shares) = split(any);
            Need::Any(ids, shares)
        }
        (None, Some(k), Some(of), None, None) => {
            let (of, shares) = split(of);
            Need::AtLeast { k, of, shares }
        }
        (None, None, None, Some(Unknown::Text(d)), among) => Need::Unknown {
            description: d.into_boxed_str(),
            among: among.unwrap_or_default(),
            scope: None,
        },
        (
            None,
            None,
            None,
            Some(Unknown::Scoped {
                layer,
                note,
                among,
                closed,
            }),
            None,
        ) => Need::Unknown {
            description: note.into_boxed_str(),
            among: among.unwrap_or_default(),
            scope: Some(Box::new(Scope { layer, closed })),
        },
        _ => return Err(Defer),
    };
    Ok(Spanned {
        value,
        referenced: at,
    })
}
