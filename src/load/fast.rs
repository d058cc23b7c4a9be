//! The fast path of parsing a stack file: the events of a YAML 1.1 parser
//! (`libyaml-safer`, a Rust port of libyaml, about 3.7 times fewer instructions than the
//! serde path on these files) walked straight into [`crate::model`] values.
//!
//! It handles the common, well-formed subset of the format and *defers* on anything
//! else: an anchor, alias or tag, a block scalar, a tab or carriage return anywhere, a
//! key that is unknown, repeated or missing, a plain scalar that the serde path could
//! read as something other than the text (null, a boolean in any YAML version, a
//! number where an id is expected), a number or boolean it does not read exactly as
//! the serde path, `figures`, `capacity` and `facts`, nesting or size near a budget,
//! and any parser error. A deferred file is parsed again by the serde path
//! ([`super::parse_bytes`]), so every diagnostic and budget stays as it is there; an
//! accepted file is built with the same values and the same [`Location`]s (line and
//! column of the value's first character, its length in characters), which the
//! differential tests of [`super::differential`] hold on every YAML file of the
//! repository, on generated worlds and on mutated inputs.
//!
//! # Complexity
//! O(size of the file) time; memory O(size of the parsed value).

mod decls;
mod lexer;

use std::borrow::Cow;

use libyaml_safer::{Event, EventData, Parser, ScalarStyle};

use super::Limits;
use crate::model::{Location, Spanned, StackFile, Str};

/// The fast path cannot build this file: parse it with the serde path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Defer;

/// A fast-path result.
type R<T> = Result<T, Defer>;

/// Parses `text` (a whole stack file, BOM already removed) into a [`StackFile`], or
/// `None` when the serde path must decide.
pub(crate) fn parse(text: &str, limits: &Limits) -> Option<StackFile> {
    lexed(text, limits).or_else(|| parsed(text, limits))
}

/// The lexer's reading of `text` ([`lexer`]), or `None`.
pub(super) fn lexed(text: &str, limits: &Limits) -> Option<StackFile> {
    let lexer = lexer::Lexer::new(text)?;
    decls::stack_file(&mut Events::new(Source::Lexer(lexer), limits)).ok()
}

/// The YAML parser's reading of `text`, or `None`.
pub(super) fn parsed(text: &str, limits: &Limits) -> Option<StackFile> {
    // Tabs and carriage returns, `?` (which libyaml reads as a key indicator where
    // YAML 1.2 does not), and the characters that YAML 1.1 reads as line breaks where
    // YAML 1.2 (the serde path) does not, or as a byte-order mark.
    // A line longer than 64 KiB (libyaml holds a long token as characters, 4 bytes
    // each: the serde path reads it within the memory budgets).
    // A `#` right after a token: libyaml starts a comment there, YAML 1.2 refuses it.
    if text.bytes().any(|b| matches!(b, b'\t' | b'\r' | b'?'))
        || text
            .as_bytes()
            .windows(2)
            .any(|w| w[1] == b'#' && !matches!(w[0], b' ' | b'\n'))
        || text.split('\n').any(|l| l.len() > 64 * 1024)
        || (!text.is_ascii()
            && text
                .chars()
                .any(|c| matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}')))
    {
        return None;
    }
    let mut parser = Parser::new();
    parser.set_input(text.as_bytes());
    let yaml = YamlSource {
        parser,
        text,
        started: false,
    };
    decls::stack_file(&mut Events::new(Source::Yaml(Box::new(yaml)), limits)).ok()
}

/// A scalar as the parser gives it, with its location.
pub(super) struct Scalar<'t> {
    /// The text, after unquoting and folding.
    pub value: Cow<'t, str>,
    /// Whether it was written without quotes.
    pub plain: bool,
    /// Where it was written.
    pub at: Location,
}

/// What the next node of the stream is.
pub(super) enum Node<'t> {
    /// A scalar.
    Scalar(Scalar<'t>),
    /// The start of a mapping, at its location.
    Map(Location),
    /// The start of a sequence.
    Seq,
}

/// One event of a [`Source`], in the forms the fast path reads.
pub(super) enum Tok<'t> {
    /// The start of the stream and of its one document.
    Start,
    /// The end of the document and of the stream.
    End,
    /// The start of a mapping, at its location.
    MapStart(Location),
    /// The end of a mapping.
    MapEnd,
    /// The start of a sequence.
    SeqStart,
    /// The end of a sequence.
    SeqEnd,
    /// A scalar.
    Scalar(Scalar<'t>),
}

/// Where the events come from: the line lexer of the commonest layout, or the YAML
/// parser for the rest.
enum Source<'t> {
    Lexer(lexer::Lexer<'t>),
    Yaml(Box<YamlSource<'t>>),
}

/// The events of `libyaml-safer`, with their text for the locations.
struct YamlSource<'t> {
    parser: Parser<&'t [u8]>,
    text: &'t str,
    started: bool,
}

impl<'t> YamlSource<'t> {
    /// The next event, deferring on errors, anchors, tags, aliases, block scalars,
    /// directives and second documents.
    fn next(&mut self) -> R<Tok<'t>> {
        if !self.started {
            self.started = true;
            let EventData::StreamStart { .. } = self.parse()?.data else {
                return Err(Defer);
            };
            return match self.parse()?.data {
                EventData::DocumentStart {
                    version_directive: None,
                    tag_directives,
                    ..
                } if tag_directives.is_empty() => Ok(Tok::Start),
                _ => Err(Defer),
            };
        }
        let ev = self.parse()?;
        let at = self.location(&ev)?;
        Ok(match ev.data {
            EventData::DocumentEnd { .. } => match self.parse()?.data {
                EventData::StreamEnd => Tok::End,
                _ => return Err(Defer),
            },
            EventData::Scalar {
                anchor: None,
                tag: None,
                value,
                style,
                ..
            } => {
                let plain = match style {
                    ScalarStyle::Plain => true,
                    ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => false,
                    _ => return Err(Defer),
                };
                Tok::Scalar(Scalar {
                    value: Cow::Owned(value),
                    plain,
                    at,
                })
            }
            EventData::MappingStart {
                anchor: None,
                tag: None,
                ..
            } => Tok::MapStart(at),
            EventData::SequenceStart {
                anchor: None,
                tag: None,
                ..
            } => Tok::SeqStart,
            EventData::MappingEnd => Tok::MapEnd,
            EventData::SequenceEnd => Tok::SeqEnd,
            _ => return Err(Defer),
        })
    }

    fn parse(&mut self) -> R<Event> {
        self.parser.parse().map_err(|_| Defer)
    }

    /// Where an event starts: 1-based line and column, and its length in characters.
    fn location(&self, ev: &Event) -> R<Location> {
        let (start, end) = (
            usize::try_from(ev.start_mark.index).map_err(|_| Defer)?,
            usize::try_from(ev.end_mark.index).map_err(|_| Defer)?,
        );
        let span = self.text.get(start..end).ok_or(Defer)?;
        Ok(Location::new(
            narrow(ev.start_mark.line + 1)?,
            narrow(ev.start_mark.column + 1)?,
            narrow(chars(span) as u64)?,
        ))
    }
}

/// A position or length in the 32 bits of a [`Location`].
pub(super) fn narrow(x: u64) -> R<u32> {
    u32::try_from(x).map_err(|_| Defer)
}

/// The length of `s` in characters.
pub(super) fn chars(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// The events of one file, with the budgets of the fast path: a nesting depth well
/// below the serde path's budget, and fewer events than its node budget.
pub(super) struct Events<'t> {
    source: Source<'t>,
    depth: usize,
    max_depth: usize,
    events: usize,
    max_events: usize,
}

impl<'t> Events<'t> {
    fn new(source: Source<'t>, limits: &Limits) -> Events<'t> {
        Events {
            source,
            depth: 0,
            // The fast path's files nest at most 6 deep; defer well before the budget.
            max_depth: limits.max_depth.saturating_sub(2),
            events: 0,
            // The serde path counts YAML nodes (at most the events) against
            // `max_nodes` and events against twice that: stay under both.
            max_events: limits.max_nodes.saturating_sub(8),
        }
    }

    /// The next event, within the budgets.
    fn event(&mut self) -> R<Tok<'t>> {
        self.events += 1;
        if self.events > self.max_events {
            return Err(Defer);
        }
        let tok = match &mut self.source {
            Source::Lexer(l) => l.next()?,
            Source::Yaml(y) => y.next()?,
        };
        match tok {
            Tok::MapStart(_) | Tok::SeqStart => {
                self.depth += 1;
                if self.depth > self.max_depth {
                    return Err(Defer);
                }
            }
            Tok::MapEnd | Tok::SeqEnd => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        Ok(tok)
    }

    /// The stream's start, up to the document's top node.
    pub(super) fn document_start(&mut self) -> R<()> {
        match self.event()? {
            Tok::Start => Ok(()),
            _ => Err(Defer),
        }
    }

    /// The document's end and the stream's.
    pub(super) fn document_end(&mut self) -> R<()> {
        match self.event()? {
            Tok::End => Ok(()),
            _ => Err(Defer),
        }
    }

    /// The next node.
    pub(super) fn node(&mut self) -> R<Node<'t>> {
        match self.event()? {
            Tok::Scalar(s) => Ok(Node::Scalar(s)),
            Tok::MapStart(at) => Ok(Node::Map(at)),
            Tok::SeqStart => Ok(Node::Seq),
            _ => Err(Defer),
        }
    }

    /// The next key of a mapping whose start was read (a plain scalar), or `None` at
    /// its end.
    pub(super) fn key(&mut self) -> R<Option<Cow<'t, str>>> {
        match self.event()? {
            Tok::MapEnd => Ok(None),
            Tok::Scalar(Scalar {
                value, plain: true, ..
            }) => Ok(Some(value)),
            _ => Err(Defer),
        }
    }

    /// The next item of a sequence whose start was read, or `None` at its end.
    pub(super) fn item(&mut self) -> R<Option<Node<'t>>> {
        match self.event()? {
            Tok::SeqEnd => Ok(None),
            Tok::Scalar(s) => Ok(Some(Node::Scalar(s))),
            Tok::MapStart(at) => Ok(Some(Node::Map(at))),
            Tok::SeqStart => Ok(Some(Node::Seq)),
            _ => Err(Defer),
        }
    }

    /// A list: a sequence of items each read by `each`.
    pub(super) fn list<T>(
        &mut self,
        mut each: impl FnMut(&mut Self, Node<'t>) -> R<T>,
    ) -> R<Vec<T>> {
        let Node::Seq = self.node()? else {
            return Err(Defer);
        };
        let mut out = Vec::new();
        while let Some(n) = self.item()? {
            out.push(each(self, n)?);
        }
        out.shrink_to_fit();
        Ok(out)
    }

    /// A text that the serde path reads with `deserialize_str`: any quoted scalar, or a
    /// plain one that is not null-like (`~`, `null`, empty), which it refuses.
    pub(super) fn text(&mut self) -> R<Scalar<'t>> {
        match self.node()? {
            Node::Scalar(s) => text_scalar(s),
            _ => Err(Defer),
        }
    }

    /// [`Events::text`] as a located short string.
    pub(super) fn str(&mut self) -> R<Spanned<Str>> {
        self.text().map(spanned_str)
    }

    /// A list of located short strings.
    pub(super) fn strs(&mut self) -> R<Vec<Spanned<Str>>> {
        self.list(|_, n| match n {
            Node::Scalar(s) => text_scalar(s).map(spanned_str),
            _ => Err(Defer),
        })
    }
}

/// A scalar the serde path reads as its text into a string field.
pub(super) fn text_scalar(s: Scalar<'_>) -> R<Scalar<'_>> {
    if s.plain && matches!(&*s.value, "" | "~" | "null" | "Null" | "NULL") {
        return Err(Defer);
    }
    Ok(s)
}

/// A scalar the serde path reads as a text where any type is accepted (an id in
/// `needs`, a citation): quoted, or plain and starting with a letter and not a word
/// that any YAML version reads as a boolean, a null or a special number.
pub(super) fn word_scalar(s: Scalar<'_>) -> R<Scalar<'_>> {
    if s.plain {
        let first_is_letter = s.value.chars().next().is_some_and(char::is_alphabetic);
        let lower = s.value.to_ascii_lowercase();
        let special = matches!(
            lower.as_str(),
            "true"
                | "false"
                | "yes"
                | "no"
                | "on"
                | "off"
                | "y"
                | "n"
                | "null"
                | "nan"
                | "inf"
                | "infinity"
        );
        if !first_is_letter || special {
            return Err(Defer);
        }
    }
    Ok(s)
}

/// The scalar as a located short string.
pub(super) fn spanned_str(s: Scalar<'_>) -> Spanned<Str> {
    Spanned {
        value: Str::from(&*s.value),
        referenced: s.at,
    }
}

/// A plain whole number without sign or leading zero, as the serde path reads it.
pub(super) fn plain_u64(s: &Scalar<'_>) -> R<u64> {
    let v = &*s.value;
    let digits = !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit());
    if !s.plain || !digits || (v.len() > 1 && v.starts_with('0')) {
        return Err(Defer);
    }
    v.parse().map_err(|_| Defer)
}

/// A plain decimal number (`40`, `12.5`, `-3`), as the serde path reads it.
pub(super) fn plain_f64(s: &Scalar<'_>) -> R<f64> {
    let v = &*s.value;
    let unsigned = v.strip_prefix('-').unwrap_or(v);
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, "1"));
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !s.plain || !digits(int) || !digits(frac) || (int.len() > 1 && int.starts_with('0')) {
        return Err(Defer);
    }
    v.parse().map_err(|_| Defer)
}

/// A plain `true` or `false`.
pub(super) fn plain_bool(s: &Scalar<'_>) -> R<bool> {
    match (s.plain, &*s.value) {
        (true, "true") => Ok(true),
        (true, "false") => Ok(false),
        _ => Err(Defer),
    }
}
