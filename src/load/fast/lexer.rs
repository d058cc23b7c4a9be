//! A line lexer for the commonest layout of stack files, the one `jenga generate` and
//! the importers write: top-level `key: value` lines and `key:` lines followed by
//! `- item` lines, every value a plain scalar or a one-line flow collection of plain
//! scalars (`- {id: a, needs: [b, {any: [c, d]}]}`), full-line comments. It yields
//! the same events, with the same locations, as the YAML parser would, and defers
//! ([`Defer`]) on anything else: quotes, a `#` or `:` inside a line's values, a value
//! continued on the next line, nested block collections, `---`, a character other
//! than printable ASCII or a letter or digit, a scalar not starting with a letter or
//! digit. Its scalars borrow the file's text.
//!
//! # Complexity
//! O(length of the file); no allocation but the event queue of one line.

use std::borrow::Cow;
use std::collections::VecDeque;

use super::{Defer, R, Scalar, Tok, chars, narrow};
use crate::model::Location;

/// The deepest nesting of flow collections on one line that the lexer reads (the
/// format needs 4: a node, its `needs`, an `any`, its members).
const MAX_FLOW_DEPTH: usize = 16;

/// Where the lexer is in the file's block structure.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// Reading top-level keys.
    Top,
    /// After `key:` with nothing after it: a block sequence must follow.
    Pending,
    /// Inside a block sequence whose `-` is at this indentation.
    Seq(usize),
    /// Every event was given.
    Done,
}

/// The lexer over one file's text.
pub(super) struct Lexer<'t> {
    rest: &'t str,
    line: u32,
    state: State,
    queue: VecDeque<Tok<'t>>,
}

impl<'t> Lexer<'t> {
    /// A lexer for `text`, or `None` when the text holds a character it does not read
    /// (so that the YAML parser decides about it).
    pub(super) fn new(text: &'t str) -> Option<Lexer<'t>> {
        let bytes_ok = text
            .bytes()
            .all(|b| b == b'\n' || (0x20..0x7f).contains(&b) || b >= 0x80);
        let chars_ok = text.is_ascii() || text.chars().all(|c| c.is_ascii() || c.is_alphanumeric());
        if !bytes_ok || !chars_ok {
            return None;
        }
        let mut queue = VecDeque::with_capacity(64);
        queue.push_back(Tok::Start);
        queue.push_back(Tok::MapStart(Location::new(1, 1, 0)));
        Some(Lexer {
            rest: text,
            line: 0,
            state: State::Top,
            queue,
        })
    }

    /// The next event.
    pub(super) fn next(&mut self) -> R<Tok<'t>> {
        loop {
            if let Some(t) = self.queue.pop_front() {
                return Ok(t);
            }
            if self.state == State::Done {
                return Err(Defer);
            }
            self.fill()?;
        }
    }

    /// Reads lines until one yields events (or the file ends).
    fn fill(&mut self) -> R<()> {
        while self.queue.is_empty() {
            if self.rest.is_empty() {
                match self.state {
                    State::Pending | State::Done => return Err(Defer),
                    State::Seq(_) => self.queue.push_back(Tok::SeqEnd),
                    State::Top => {}
                }
                self.queue.push_back(Tok::MapEnd);
                self.queue.push_back(Tok::End);
                self.state = State::Done;
                return Ok(());
            }
            let (line, rest) = self.rest.split_once('\n').unwrap_or((self.rest, ""));
            self.rest = rest;
            self.line += 1;
            let content = line.trim_start_matches(' ');
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            let indent = line.len() - content.len();
            let mut l = Line {
                text: line,
                pos: indent,
                depth: 0,
                number: self.line,
                ascii: line.is_ascii(),
                out: &mut self.queue,
            };
            self.state = match self.state {
                State::Pending if content.starts_with("- ") => {
                    l.out.push_back(Tok::SeqStart);
                    l.item()?;
                    State::Seq(indent)
                }
                State::Seq(i) if i == indent && content.starts_with("- ") => {
                    l.item()?;
                    State::Seq(i)
                }
                State::Seq(_) if indent == 0 => {
                    l.out.push_back(Tok::SeqEnd);
                    l.top()?
                }
                State::Top if indent == 0 => l.top()?,
                _ => return Err(Defer),
            };
        }
        Ok(())
    }
}

/// One line being lexed.
struct Line<'t, 'q> {
    text: &'t str,
    pos: usize,
    /// How many flow collections are open here (the lexer recurses per level).
    depth: usize,
    number: u32,
    ascii: bool,
    out: &'q mut VecDeque<Tok<'t>>,
}

impl<'t> Line<'t, '_> {
    /// A top-level `key: value` or `key:` line; the state after it.
    fn top(&mut self) -> R<State> {
        self.scalar(true)?;
        self.expect(b':')?;
        if self.pos == self.text.len() {
            return Ok(State::Pending);
        }
        self.expect(b' ')?;
        self.spaces();
        self.node()?;
        self.end()?;
        Ok(State::Top)
    }

    /// A `- node` line.
    fn item(&mut self) -> R<()> {
        self.pos += 2;
        self.spaces();
        self.node()?;
        self.end()
    }

    /// Only spaces up to the end of the line.
    fn end(&mut self) -> R<()> {
        self.spaces();
        if self.pos == self.text.len() {
            Ok(())
        } else {
            Err(Defer)
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn spaces(&mut self) {
        while self.peek() == Some(b' ') {
            self.pos += 1;
        }
    }

    fn expect(&mut self, b: u8) -> R<()> {
        if self.peek() == Some(b) {
            self.pos += 1;
            Ok(())
        } else {
            Err(Defer)
        }
    }

    /// The location of `len` bytes at `start` of this line.
    fn at(&self, start: usize, len: usize) -> R<Location> {
        let (column, len) = if self.ascii {
            (start, len)
        } else {
            let before = self.text.get(..start).ok_or(Defer)?;
            let span = self.text.get(start..start + len).ok_or(Defer)?;
            (chars(before), chars(span))
        };
        Ok(Location::new(
            self.number,
            narrow(column as u64 + 1)?,
            narrow(len as u64)?,
        ))
    }

    /// A flow node: `{...}`, `[...]` or a plain scalar, at most [`MAX_FLOW_DEPTH`]
    /// collections deep (deeper defers, so the recursion stays shallow).
    fn node(&mut self) -> R<()> {
        if matches!(self.peek(), Some(b'{' | b'[')) {
            self.depth += 1;
            if self.depth > MAX_FLOW_DEPTH {
                return Err(Defer);
            }
            let r = self.collection();
            self.depth -= 1;
            return r;
        }
        self.scalar(false)
    }

    /// A flow collection, `{...}` or `[...]`.
    fn collection(&mut self) -> R<()> {
        match self.peek() {
            Some(b'{') => {
                let at = self.at(self.pos, 1)?;
                self.pos += 1;
                self.out.push_back(Tok::MapStart(at));
                self.spaces();
                if self.peek() == Some(b'}') {
                    self.pos += 1;
                    self.out.push_back(Tok::MapEnd);
                    return Ok(());
                }
                loop {
                    self.scalar(true)?;
                    self.expect(b':')?;
                    self.expect(b' ')?;
                    self.spaces();
                    self.node()?;
                    self.spaces();
                    match self.peek() {
                        Some(b',') => {
                            self.pos += 1;
                            self.spaces();
                        }
                        Some(b'}') => {
                            self.pos += 1;
                            self.out.push_back(Tok::MapEnd);
                            return Ok(());
                        }
                        _ => return Err(Defer),
                    }
                }
            }
            Some(b'[') => {
                self.pos += 1;
                self.out.push_back(Tok::SeqStart);
                self.spaces();
                if self.peek() == Some(b']') {
                    self.pos += 1;
                    self.out.push_back(Tok::SeqEnd);
                    return Ok(());
                }
                loop {
                    self.node()?;
                    self.spaces();
                    match self.peek() {
                        Some(b',') => {
                            self.pos += 1;
                            self.spaces();
                        }
                        Some(b']') => {
                            self.pos += 1;
                            self.out.push_back(Tok::SeqEnd);
                            return Ok(());
                        }
                        _ => return Err(Defer),
                    }
                }
            }
            _ => Err(Defer),
        }
    }

    /// A plain scalar: it starts with a letter or digit and runs up to a `,`, `[`,
    /// `]`, `{`, `}` or the end of the line (a key: up to its `:`), without trailing
    /// spaces; a `:`, `#` or quote in it defers, as does a space before a key's `:`.
    fn scalar(&mut self, key: bool) -> R<()> {
        let start = self.pos;
        let first = self.text.get(start..).and_then(|s| s.chars().next());
        if !first.is_some_and(char::is_alphanumeric) {
            return Err(Defer);
        }
        let bytes = self.text.as_bytes();
        let mut end = start;
        while let Some(&b) = bytes.get(end) {
            match b {
                b',' | b'[' | b']' | b'{' | b'}' => break,
                b':' if key => break,
                b':' | b'#' | b'"' | b'\'' => return Err(Defer),
                _ => end += 1,
            }
        }
        let value = self.text.get(start..end).ok_or(Defer)?;
        let trimmed = value.trim_end_matches(' ');
        if key && trimmed.len() != value.len() {
            return Err(Defer);
        }
        self.pos = start + trimmed.len();
        let at = self.at(start, trimmed.len())?;
        self.out.push_back(Tok::Scalar(Scalar {
            value: Cow::Borrowed(trimmed),
            plain: true,
            at,
        }));
        Ok(())
    }
}
