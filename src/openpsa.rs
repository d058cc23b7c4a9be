//! Open-PSA Model Exchange Format (MEF) for the coherent fault-tree subset: `and`,
//! `or`, `atleast` gates and basic events.
//!
//! [`import`] reads MEF XML into a jenga YAML model: a fault-tree OR gate (fails when
//! any input fails) is a node that needs all its inputs, an AND gate needs any one,
//! an ATLEAST k-of-n gate needs `n − k + 1` of its inputs working, and basic events
//! are leaves. [`export`] writes a [`FaultTree`] (a target's cone) as MEF that
//! `scram --validate` accepts. Everything outside the coherent subset (`not`, `xor`,
//! house events, CCF groups, ...) is an error that names the element and its place.
//! This module never touches the file system: callers pass text and get text.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use crate::analysis::cutsets::tree::{Event, FaultTree};
use crate::validate::is_valid_id;

/// One input file: its path (for messages) and its text.
#[derive(Debug, Clone)]
pub struct Input<'a> {
    /// Shown in messages.
    pub path: String,
    /// The XML.
    pub text: &'a str,
}

/// Where an element starts: the input's index and the byte offset. Turned into
/// `file:line:column` only for an error ([`Model::at`]), since computing a line and
/// column scans the text up to the offset (doing it for every element made the
/// import quadratic).
#[derive(Debug, Clone, Copy)]
struct Loc {
    file: usize,
    pos: usize,
}

#[derive(Debug)]
enum Formula {
    Ref { name: String, place: Loc },
    Gate { k: Kind, args: Vec<Formula> },
}

/// Dropped with an explicit stack: a formula nested a million deep (one `<or>` inside
/// the next) would overflow the call stack in the recursive drop the compiler writes.
///
/// # Complexity
/// O(size of the formula) time, O(widest level summed along one path) memory.
impl Drop for Formula {
    fn drop(&mut self) {
        let Formula::Gate { args, .. } = self else {
            return;
        };
        let mut stack = std::mem::take(args);
        while let Some(mut f) = stack.pop() {
            if let Formula::Gate { args, .. } = &mut f {
                stack.append(args);
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Or,
    And,
    AtLeast(usize),
}

#[derive(Debug)]
struct GateDef {
    name: String,
    label: Option<String>,
    formula: Formula,
    place: Loc,
}

/// The coherent fault trees read from MEF files.
#[derive(Debug)]
pub struct Model<'a> {
    inputs: &'a [Input<'a>],
    gates: Vec<GateDef>,
    basics: BTreeMap<String, (Option<String>, Loc)>,
}

/// What an import produced.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The jenga YAML model.
    pub yaml: String,
    /// The top events: gates that no other gate uses, sorted.
    pub tops: Vec<String>,
    /// Number of gates and basic events.
    pub gates: usize,
    /// Number of basic events.
    pub basic_events: usize,
}

/// `path:line:column` of `node`, for an error message (O(offset): only on errors).
fn place(path: &str, doc: &roxmltree::Document<'_>, node: roxmltree::Node<'_, '_>) -> String {
    let p = doc.text_pos_at(node.range().start);
    format!("{path}:{}:{}", p.row, p.col)
}

fn loc(file: usize, node: roxmltree::Node<'_, '_>) -> Loc {
    Loc {
        file,
        pos: node.range().start,
    }
}

fn outside(what: &str, at: &str) -> String {
    format!(
        "{at}: `{what}` is outside the coherent fault-tree subset that jenga models \
         (`and`, `or`, `atleast`, basic events); remove it or rewrite it with those"
    )
}

fn label_of(node: roxmltree::Node<'_, '_>) -> Option<String> {
    node.children()
        .find(|c| c.has_tag_name("label"))
        .and_then(|l| l.text())
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty())
}

fn name_attr(
    path: &str,
    doc: &roxmltree::Document<'_>,
    node: roxmltree::Node<'_, '_>,
) -> Result<String, String> {
    let name = node.attribute("name").ok_or_else(|| {
        format!(
            "{}: `{}` has no `name`",
            place(path, doc, node),
            node.tag_name().name()
        )
    })?;
    if !is_valid_id(name) {
        return Err(format!(
            "{}: `{}` is not usable as a jenga id (letters, digits, `-`, `_`, `.`, \
             starting with a letter or digit, at most 128 characters)",
            place(path, doc, node),
            crate::diag::clip(name)
        ));
    }
    Ok(name.to_owned())
}

impl<'a> Model<'a> {
    /// Reads MEF files; definitions may be spread over several files (gates in one,
    /// basic events in another, as in the Aralia benchmarks).
    ///
    /// # Errors
    /// Malformed XML, unsupported elements, duplicate or undefined names, each with
    /// `file:line:column`.
    ///
    /// # Complexity
    /// Linear in the size of the input: positions are kept as byte offsets and turned
    /// into lines and columns only for the one error reported.
    pub fn read(inputs: &'a [Input<'a>]) -> Result<Model<'a>, String> {
        let mut model = Model {
            inputs,
            gates: Vec::new(),
            basics: BTreeMap::new(),
        };
        for (file, input) in inputs.iter().enumerate() {
            let opts = roxmltree::ParsingOptions {
                allow_dtd: false,
                nodes_limit: 10_000_000,
                ..roxmltree::ParsingOptions::default()
            };
            let doc = roxmltree::Document::parse_with_options(input.text, opts)
                .map_err(|e| format!("{}: not well-formed XML: {e}", input.path))?;
            let root = doc.root_element();
            if !root.has_tag_name("opsa-mef") {
                return Err(format!(
                    "{}: the root element is `{}`, not `opsa-mef`",
                    place(&input.path, &doc, root),
                    root.tag_name().name()
                ));
            }
            model.read_container(file, &input.path, &doc, root)?;
        }
        model.check()?;
        Ok(model)
    }

    /// `file:line:column` of `loc`.
    ///
    /// # Complexity
    /// O(offset): call it only to report an error.
    fn at(&self, loc: Loc) -> String {
        let Some(input) = self.inputs.get(loc.file) else {
            return "?".to_owned();
        };
        let before = input.text.get(..loc.pos).unwrap_or(input.text);
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!("{}:{line}:{col}", input.path)
    }

    /// Reads the definitions under `node`, descending into nested containers
    /// (`define-fault-tree`, `model-data`, `define-component`) with an explicit stack
    /// of sibling iterators, in document order: nesting of any depth cannot overflow
    /// the call stack.
    ///
    /// # Complexity
    /// O(elements under `node`) plus the formulas read.
    fn read_container(
        &mut self,
        file: usize,
        path: &str,
        doc: &roxmltree::Document<'_>,
        node: roxmltree::Node<'_, '_>,
    ) -> Result<(), String> {
        let mut levels = vec![node.children()];
        while let Some(level) = levels.last_mut() {
            let Some(child) = level.find(roxmltree::Node::is_element) else {
                levels.pop();
                continue;
            };
            let at = || place(path, doc, child);
            match child.tag_name().name() {
                "define-fault-tree" | "model-data" | "define-component" => {
                    levels.push(child.children());
                }
                "label" | "attributes" | "define-parameter" => {}
                "define-gate" => {
                    let name = name_attr(path, doc, child)?;
                    let formulas: Vec<_> = child
                        .children()
                        .filter(|c| {
                            c.is_element() && !matches!(c.tag_name().name(), "label" | "attributes")
                        })
                        .collect();
                    let [f] = formulas.as_slice() else {
                        return Err(format!(
                            "{}: gate `{name}` must have exactly one formula, it has {}",
                            at(),
                            formulas.len()
                        ));
                    };
                    let formula = read_formula(file, path, doc, *f)?;
                    self.gates.push(GateDef {
                        name,
                        label: label_of(child),
                        formula,
                        place: loc(file, child),
                    });
                }
                "define-basic-event" => {
                    let name = name_attr(path, doc, child)?;
                    if self
                        .basics
                        .insert(name.clone(), (label_of(child), loc(file, child)))
                        .is_some()
                    {
                        return Err(format!("{}: basic event `{name}` is defined twice", at()));
                    }
                }
                other => return Err(outside(other, &at())),
            }
        }
        Ok(())
    }

    /// Every name defined once, every reference defined, no gate referring to itself
    /// directly (its own node would need itself, which `check` refuses; a longer cycle
    /// is a legitimate jenga cycle).
    ///
    /// # Complexity
    /// O(size of the model) expected (hash lookups).
    fn check(&self) -> Result<(), String> {
        let mut names: HashMap<&str, Loc> = HashMap::new();
        for (n, (_, at)) in &self.basics {
            names.insert(n, *at);
        }
        for g in &self.gates {
            if let Some(first) = names.insert(&g.name, g.place) {
                return Err(format!(
                    "{}: `{}` is defined twice (first at {})",
                    self.at(g.place),
                    g.name,
                    self.at(first)
                ));
            }
        }
        for g in &self.gates {
            // The references that become `g`'s own needs: its formula, or the direct
            // arguments of its operator (nested operators become nodes of their own).
            let direct: Vec<&Formula> = match &g.formula {
                f @ Formula::Ref { .. } => vec![f],
                Formula::Gate { args, .. } => args.iter().collect(),
            };
            for f in direct {
                if let Formula::Ref { name, place } = f
                    && *name == g.name
                {
                    return Err(format!(
                        "{}: gate `{name}` refers to itself; a node cannot need itself (remove the reference)",
                        self.at(*place)
                    ));
                }
            }
            let mut stack = vec![&g.formula];
            while let Some(f) = stack.pop() {
                match f {
                    Formula::Ref { name, place } => {
                        if !names.contains_key(name.as_str()) {
                            return Err(format!(
                                "{}: `{name}` is not defined as a gate or basic event",
                                self.at(*place)
                            ));
                        }
                    }
                    Formula::Gate { args, .. } => stack.extend(args),
                }
            }
        }
        Ok(())
    }

    /// Writes the model as jenga YAML (a shared file with `nodes:` only).
    ///
    /// # Errors
    /// An `atleast` that repeats an argument (jenga groups list each member once).
    pub fn to_yaml(&self, sources: &[String]) -> Result<Imported, String> {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# Imported by `jenga import open-psa` from {}.\n# A fault-tree OR gate is a node that needs all its inputs, an AND gate needs\n# any one, ATLEAST k-of-n needs n-k+1 of them working; basic events are leaves.",
            sources.join(", ")
        );
        let tops = self.tops();
        let _ = writeln!(out, "# Top events: {}.\nnodes:", tops.join(", "));
        let taken: BTreeSet<&str> = self
            .gates
            .iter()
            .map(|g| g.name.as_str())
            .chain(self.basics.keys().map(String::as_str))
            .collect();
        let mut extra = 0usize;
        for g in &self.gates {
            let mut pending = vec![(g.name.clone(), g.label.clone(), &g.formula)];
            let mut counter = 0usize;
            while let Some((id, label, f)) = pending.pop() {
                let _ = writeln!(out, "  - id: {}", quote(&id));
                let _ = writeln!(out, "    name: {}", quote(label.as_deref().unwrap_or(&id)));
                match f {
                    Formula::Ref { name, .. } => {
                        let _ = writeln!(out, "    needs: [{}]", quote(name));
                    }
                    Formula::Gate { k, args } => {
                        let mut ids = Vec::with_capacity(args.len());
                        for a in args {
                            ids.push(match a {
                                Formula::Ref { name, .. } => name.clone(),
                                Formula::Gate { .. } => {
                                    let mut sub;
                                    loop {
                                        counter += 1;
                                        sub = format!("{}.{counter}", g.name);
                                        if !taken.contains(sub.as_str()) {
                                            break;
                                        }
                                    }
                                    extra += 1;
                                    pending.push((sub.clone(), None, a));
                                    sub
                                }
                            });
                        }
                        let mut uniq = ids.clone();
                        uniq.sort();
                        uniq.dedup();
                        let list = |v: &[String]| {
                            v.iter().map(|s| quote(s)).collect::<Vec<_>>().join(", ")
                        };
                        match k {
                            Kind::Or => {
                                let mut seen = BTreeSet::new();
                                let ordered: Vec<String> =
                                    ids.into_iter().filter(|i| seen.insert(i.clone())).collect();
                                let _ = writeln!(out, "    needs: [{}]", list(&ordered));
                            }
                            Kind::And => {
                                let mut seen = BTreeSet::new();
                                let ordered: Vec<String> =
                                    ids.into_iter().filter(|i| seen.insert(i.clone())).collect();
                                let _ =
                                    writeln!(out, "    needs:\n      - any: [{}]", list(&ordered));
                            }
                            Kind::AtLeast(k) => {
                                if uniq.len() != ids.len() {
                                    return Err(format!(
                                        "{}: `atleast` in gate `{}` repeats an argument",
                                        self.at(g.place),
                                        g.name
                                    ));
                                }
                                let n = ids.len();
                                let need = n + 1 - k;
                                let _ = writeln!(
                                    out,
                                    "    needs:\n      - at-least: {need}\n        of: [{}]",
                                    list(&ids)
                                );
                            }
                        }
                    }
                }
            }
        }
        for (name, (label, _)) in &self.basics {
            let _ = writeln!(out, "  - id: {}", quote(name));
            let _ = writeln!(out, "    name: {}", quote(label.as_deref().unwrap_or(name)));
        }
        Ok(Imported {
            yaml: out,
            tops,
            gates: self.gates.len() + extra,
            basic_events: self.basics.len(),
        })
    }

    fn tops(&self) -> Vec<String> {
        let mut used = BTreeSet::new();
        for g in &self.gates {
            let mut stack = vec![&g.formula];
            while let Some(f) = stack.pop() {
                match f {
                    Formula::Ref { name, .. } => {
                        used.insert(name.as_str());
                    }
                    Formula::Gate { args, .. } => stack.extend(args),
                }
            }
        }
        let mut tops: Vec<String> = self
            .gates
            .iter()
            .filter(|g| !used.contains(g.name.as_str()))
            .map(|g| g.name.clone())
            .collect();
        tops.sort();
        tops
    }
}

/// Reads one formula element: a reference, or an operator over formulas.
///
/// Iterative (an explicit stack of open operators, each with its remaining children),
/// in the order the recursive reading would take: elements are checked on the way
/// down, an operator's arguments when it closes. A gate nested a million deep reads
/// like a flat one.
///
/// # Complexity
/// O(elements in the formula) time and memory.
fn read_formula(
    file: usize,
    path: &str,
    doc: &roxmltree::Document<'_>,
    node: roxmltree::Node<'_, '_>,
) -> Result<Formula, String> {
    struct Open<'a, 'i> {
        node: roxmltree::Node<'a, 'i>,
        kind: Kind,
        args: Vec<Formula>,
        children: roxmltree::Children<'a, 'i>,
    }
    let mut open: Vec<Open<'_, '_>> = Vec::new();
    let mut next = Some(node);
    loop {
        // Enter `next`: a reference is complete at once, an operator opens.
        let mut done = None;
        if let Some(n) = next.take() {
            let at = || place(path, doc, n);
            let kind = match n.tag_name().name() {
                "event" | "gate" | "basic-event" => {
                    let name = name_attr(path, doc, n)?;
                    done = Some(Formula::Ref {
                        name,
                        place: loc(file, n),
                    });
                    None
                }
                "or" => Some(Kind::Or),
                "and" => Some(Kind::And),
                "atleast" => {
                    let min = n
                        .attribute("min")
                        .and_then(|m| m.trim().parse::<usize>().ok())
                        .ok_or_else(|| {
                            format!("{}: `atleast` needs a positive integer `min`", at())
                        })?;
                    Some(Kind::AtLeast(min))
                }
                other => return Err(outside(other, &at())),
            };
            if let Some(kind) = kind {
                open.push(Open {
                    node: n,
                    kind,
                    args: Vec::new(),
                    children: n.children(),
                });
            }
        }
        if done.is_none() {
            let Some(top) = open.last_mut() else {
                return Err(format!("{}: empty formula", place(path, doc, node)));
            };
            if let Some(c) = top.children.find(roxmltree::Node::is_element) {
                next = Some(c);
                continue;
            }
            // The operator on top has read all its arguments: close it.
            let Some(Open {
                node: n,
                kind,
                args,
                ..
            }) = open.pop()
            else {
                continue;
            };
            let at = || place(path, doc, n);
            if args.is_empty() {
                return Err(format!(
                    "{}: `{}` has no arguments",
                    at(),
                    n.tag_name().name()
                ));
            }
            if let Kind::AtLeast(k) = kind
                && (k == 0 || k > args.len())
            {
                return Err(format!(
                    "{}: `atleast` with min=\"{k}\" over {} arguments (1 ≤ min ≤ arguments)",
                    at(),
                    args.len()
                ));
            }
            done = Some(Formula::Gate { k: kind, args });
        }
        if let Some(f) = done {
            match open.last_mut() {
                Some(parent) => parent.args.push(f),
                None => return Ok(f),
            }
        }
    }
}

/// A YAML double-quoted scalar (JSON string syntax is valid YAML).
fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{}\"", s.escape_default()))
}

/// Imports MEF files into jenga YAML.
///
/// # Errors
/// See [`Model::read`] and [`Model::to_yaml`].
pub fn import(inputs: &[Input<'_>]) -> Result<Imported, String> {
    let model = Model::read(inputs)?;
    let sources: Vec<String> = inputs.iter().map(|i| i.path.clone()).collect();
    if model.gates.is_empty() && model.basics.is_empty() {
        // `nodes:` with nothing under it is not a stack file (found by fuzzing).
        return Err(format!(
            "{}: no gate or basic event to import; an Open-PSA model defines them with `define-gate` and `define-basic-event`",
            sources.join(", ")
        ));
    }
    model.to_yaml(&sources)
}

/// An Open-PSA identifier for `name`: letters, digits, `_` and `-`, starting with a
/// letter; made unique with a numeric suffix.
fn mef_name(name: &str, used: &mut BTreeSet<String>) -> String {
    let mut base: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !base.starts_with(|c: char| c.is_ascii_alphabetic()) {
        base.insert_str(0, "n_");
    }
    let mut candidate = base.clone();
    let mut i = 2;
    while !used.insert(candidate.clone()) {
        candidate = format!("{base}_{i}");
        i += 1;
    }
    candidate
}

/// An argument of an exported gate.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Arg {
    Gate(String),
    Basic(String),
}

/// A threshold over arguments, once constants are folded.
#[derive(Debug, Clone)]
enum Folded {
    True,
    False,
    Arg(Arg),
}

/// The exported gates: name, label, formula opening tag, closing tag, arguments.
#[derive(Debug, Default)]
struct Gates {
    used: BTreeSet<String>,
    list: Vec<(String, String, String, &'static str, Vec<Arg>)>,
}

impl Gates {
    fn emit(
        &mut self,
        name: Option<&str>,
        base: &str,
        label: &str,
        k: usize,
        args: Vec<Arg>,
    ) -> Arg {
        let name = match name {
            Some(n) => n.to_owned(),
            None => mef_name(&format!("{base}_part"), &mut self.used),
        };
        let n = args.len();
        let (open, close) = if k == 1 {
            ("<or>".to_owned(), "</or>")
        } else if k == n {
            ("<and>".to_owned(), "</and>")
        } else {
            (format!("<atleast min=\"{k}\">"), "</atleast>")
        };
        self.list
            .push((name.clone(), label.to_owned(), open, close, args));
        Arg::Gate(name)
    }

    /// "At least `k` of `items`", each item counted `mult` times. MEF forbids repeated
    /// arguments, so a repeated item `x` is expanded by Shannon's rule:
    /// `T(k) = x ∧ T_rest(k − mult) ∨ T_rest(k)`.
    fn threshold(
        &mut self,
        name: Option<&str>,
        base: &str,
        label: &str,
        k: usize,
        items: &[(Arg, usize)],
    ) -> Folded {
        let total: usize = items.iter().map(|(_, m)| m).sum();
        if k == 0 {
            return Folded::True;
        }
        if k > total {
            return Folded::False;
        }
        let Some(pos) = items.iter().position(|(_, m)| *m > 1) else {
            if let [(only, _)] = items {
                return Folded::Arg(only.clone());
            }
            let args = items.iter().map(|(a, _)| a.clone()).collect();
            return Folded::Arg(self.emit(name, base, label, k, args));
        };
        let (x, m) = items[pos].clone();
        let mut rest = items.to_vec();
        rest.remove(pos);
        let hi = self.threshold(None, base, label, k.saturating_sub(m), &rest);
        let lo = self.threshold(None, base, label, k, &rest);
        let with_x = match hi {
            Folded::True => Folded::Arg(x),
            Folded::False => Folded::False,
            Folded::Arg(h) => Folded::Arg(self.emit(None, base, label, 2, vec![x, h])),
        };
        match (with_x, lo) {
            (Folded::True, _) | (_, Folded::True) => Folded::True,
            (Folded::False, other) | (other, Folded::False) => other,
            (Folded::Arg(a), Folded::Arg(b)) => {
                Folded::Arg(self.emit(name, base, label, 1, vec![a, b]))
            }
        }
    }
}

/// Writes `tree` (simplified first) as an Open-PSA MEF fault tree whose top gate is
/// named after `top`. Each gate and basic event carries the jenga name it stands for
/// as its `<label>`. A gate whose inputs repeat (several products of one organization
/// in an `at-least`) is expanded so that no argument repeats, which MEF requires.
///
/// Basic events are named after the jenga ids of the candidates they stand for
/// (an id MEF would not accept as a name, one starting with a digit, gets `n_` in
/// front; the label always holds the id). A target that cannot fail gives a top gate
/// `<constant value="false"/>`.
///
/// # Errors
/// None for trees built by [`crate::analysis::cutsets::translate`]; kept for
/// callers' sake.
///
/// # Complexity
/// Linear in the size of the tree, times 2^r for a gate with r repeated inputs.
pub fn export(tree: &FaultTree, top: &str) -> Result<String, String> {
    let t = tree.simplified();
    let mut gates = Gates::default();
    // Basic events are named first, so each takes its jenga id exactly (the removal
    // of a node that also has needs is `ID.removed` in the tree: its event is `ID`
    // and the gate of the node's failure `ID-gate`).
    let mut basic_name: Vec<Option<String>> = vec![None; t.events.len()];
    let mut basic_ids = BTreeSet::new();
    for (i, e) in t.events.iter().enumerate() {
        if let Event::Basic(_) = e {
            let id = t.names[i].strip_suffix(".removed").unwrap_or(&t.names[i]);
            basic_ids.insert(id.to_owned());
            basic_name[i] = Some(mef_name(id, &mut gates.used));
        }
    }
    let gate_base = |name: &str| {
        if basic_ids.contains(name) {
            format!("{name}-gate")
        } else {
            name.to_owned()
        }
    };
    let top_name = mef_name(&gate_base(top), &mut gates.used);
    let mut resolved: Vec<Folded> = vec![Folded::False; t.events.len()];
    let mut basics = Vec::new();
    for (i, e) in t.events.iter().enumerate() {
        resolved[i] = match e {
            Event::False => Folded::False,
            Event::True => Folded::True,
            Event::Basic(_) => {
                let name = basic_name[i].clone().unwrap_or_default();
                let id = t.names[i].strip_suffix(".removed").unwrap_or(&t.names[i]);
                basics.push((name.clone(), id.to_owned()));
                Folded::Arg(Arg::Basic(name))
            }
            Event::Gate { k, inputs } => {
                let mut k = *k as usize;
                let mut counts: BTreeMap<Arg, usize> = BTreeMap::new();
                for &x in inputs {
                    match &resolved[x as usize] {
                        Folded::True => k = k.saturating_sub(1),
                        Folded::False => {}
                        Folded::Arg(a) => *counts.entry(a.clone()).or_default() += 1,
                    }
                }
                // Keep the input order of first appearance for readable output.
                let mut items: Vec<(Arg, usize)> = Vec::new();
                for &x in inputs {
                    if let Folded::Arg(a) = &resolved[x as usize]
                        && !items.iter().any(|(b, _)| b == a)
                    {
                        items.push((a.clone(), counts[a]));
                    }
                }
                let name = if i == t.root as usize {
                    top_name.clone()
                } else {
                    mef_name(&gate_base(&t.names[i]), &mut gates.used)
                };
                gates.threshold(Some(&name), &name, &t.names[i], k, &items)
            }
        };
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opsa-mef>\n");
    let _ = writeln!(out, "  <define-fault-tree name=\"{top_name}\">");
    let root_arg = match &resolved[t.root as usize] {
        // A target that no removal of the candidates can fail (or that fails with
        // none) is a constant top event: MEF's `<constant>`, which scram reads as the
        // empty (or the unit) sum of products.
        Folded::False | Folded::True => {
            let value = matches!(resolved[t.root as usize], Folded::True);
            let _ = writeln!(
                out,
                "    <define-gate name=\"{top_name}\">\n      <label>{}</label>\n      <constant value=\"{value}\"/>\n    </define-gate>\n  </define-fault-tree>\n</opsa-mef>",
                crate::export::xml_escape(top),
            );
            return Ok(out);
        }
        Folded::Arg(a) => a.clone(),
    };
    let arg_xml = |a: &Arg| match a {
        Arg::Gate(n) => format!("<gate name=\"{n}\"/>"),
        Arg::Basic(n) => format!("<basic-event name=\"{n}\"/>"),
    };
    if root_arg != Arg::Gate(top_name.clone()) {
        let _ = writeln!(
            out,
            "    <define-gate name=\"{top_name}\">\n      <label>{}</label>\n      {}\n    </define-gate>",
            crate::export::xml_escape(top),
            arg_xml(&root_arg)
        );
    }
    for (name, label, open, close, args) in gates.list.iter().rev() {
        let _ = writeln!(out, "    <define-gate name=\"{name}\">");
        let _ = writeln!(
            out,
            "      <label>{}</label>",
            crate::export::xml_escape(label)
        );
        let _ = writeln!(out, "      {open}");
        for a in args {
            let _ = writeln!(out, "        {}", arg_xml(a));
        }
        let _ = writeln!(out, "      {close}\n    </define-gate>");
    }
    out.push_str("  </define-fault-tree>\n  <model-data>\n");
    for (name, label) in &basics {
        let _ = writeln!(
            out,
            "    <define-basic-event name=\"{name}\">\n      <label>{}</label>\n    </define-basic-event>",
            crate::export::xml_escape(label)
        );
    }
    out.push_str("  </model-data>\n</opsa-mef>\n");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn imp(xml: &str) -> Result<Imported, String> {
        import(&[Input {
            path: "t.xml".to_owned(),
            text: xml,
        }])
    }

    #[test]
    fn gates_become_needs() {
        let xml = r#"<opsa-mef><define-fault-tree name="ft">
<define-gate name="top"><or><gate name="g"/><basic-event name="a"/><and><event name="b"/><event name="c"/></and></or></define-gate>
<define-gate name="g"><atleast min="2"><event name="a"/><event name="b"/><event name="c"/></atleast></define-gate>
</define-fault-tree><model-data><define-basic-event name="a"/><define-basic-event name="b"/><define-basic-event name="c"><label>Pump C</label></define-basic-event></model-data></opsa-mef>"#;
        let y = imp(xml).unwrap();
        assert_eq!(y.tops, vec!["top"]);
        assert!(
            y.yaml.contains(
                "  - id: \"top\"\n    name: \"top\"\n    needs: [\"g\", \"a\", \"top.1\"]\n"
            ),
            "{}",
            y.yaml
        );
        assert!(y.yaml.contains(
            "  - id: \"top.1\"\n    name: \"top.1\"\n    needs:\n      - any: [\"b\", \"c\"]\n"
        ));
        assert!(
            y.yaml
                .contains("      - at-least: 2\n        of: [\"a\", \"b\", \"c\"]\n")
        );
        assert!(y.yaml.contains("  - id: \"c\"\n    name: \"Pump C\"\n"));
    }

    /// A gate nested 1,000,000 deep (`<or><event/><or><event/>…`) and containers
    /// nested 100,000 deep read, translate and drop without recursion (the test
    /// thread's stack is 2 MiB; one recursive frame per level would overflow it).
    #[test]
    fn a_gate_nested_a_million_deep_imports() {
        const DEPTH: usize = 1_000_000;
        let mut xml = String::with_capacity(DEPTH * 32);
        xml.push_str("<opsa-mef><define-fault-tree name=\"ft\"><define-gate name=\"top\">");
        for _ in 0..DEPTH {
            xml.push_str("<or><event name=\"a\"/>");
        }
        xml.push_str("<event name=\"b\"/>");
        for _ in 0..DEPTH {
            xml.push_str("</or>");
        }
        xml.push_str("</define-gate></define-fault-tree><model-data><define-basic-event name=\"a\"/><define-basic-event name=\"b\"/></model-data></opsa-mef>");
        let y = imp(&xml).unwrap();
        assert_eq!(y.tops, vec!["top"]);
        // `top` and one node per nested operator below it.
        assert_eq!(y.gates, DEPTH);
        assert!(
            y.yaml
                .contains("  - id: \"top\"\n    name: \"top\"\n    needs: [\"a\", \"top.1\"]\n")
        );
        let last = format!(
            "  - id: \"top.{}\"\n    name: \"top.{0}\"\n    needs: [\"a\", \"b\"]\n",
            DEPTH - 1
        );
        assert!(y.yaml.contains(&last));

        // An error at the bottom is still located.
        let bad = xml.replacen("<event name=\"b\"/>", "<not><event name=\"b\"/></not>", 1);
        let err = imp(&bad).unwrap_err();
        assert!(
            err.starts_with("t.xml:1:") && err.contains("`not` is outside"),
            "{err}"
        );

        const NEST: usize = 100_000;
        let mut nested = String::from("<opsa-mef>");
        for _ in 0..NEST {
            nested.push_str("<define-component name=\"c\">");
        }
        nested.push_str("<define-gate name=\"top\"><or><event name=\"a\"/><event name=\"b\"/></or></define-gate><define-basic-event name=\"a\"/><define-basic-event name=\"b\"/>");
        for _ in 0..NEST {
            nested.push_str("</define-component>");
        }
        nested.push_str("</opsa-mef>");
        let y = imp(&nested).unwrap();
        assert_eq!(
            (y.tops, y.gates, y.basic_events),
            (vec!["top".to_owned()], 1, 2)
        );
    }

    #[test]
    fn non_coherent_elements_are_named() {
        let xml = "<opsa-mef>\n<define-fault-tree name=\"ft\">\n<define-gate name=\"top\">\n  <not><event name=\"a\"/></not>\n</define-gate>\n</define-fault-tree></opsa-mef>";
        assert_eq!(
            imp(xml).unwrap_err(),
            "t.xml:4:3: `not` is outside the coherent fault-tree subset that jenga models (`and`, `or`, `atleast`, basic events); remove it or rewrite it with those"
        );
        let ccf = "<opsa-mef><model-data/><define-CCF-group name=\"pumps\" model=\"beta-factor\"/></opsa-mef>";
        assert!(
            imp(ccf)
                .unwrap_err()
                .contains("`define-CCF-group` is outside")
        );
        let undefined = "<opsa-mef><define-gate name=\"t\"><or><event name=\"x\"/><event name=\"y\"/></or></define-gate><define-basic-event name=\"x\"/></opsa-mef>";
        assert!(imp(undefined).unwrap_err().contains("`y` is not defined"));
    }

    #[test]
    fn export_names_are_mef_identifiers() {
        let mut t = FaultTree::new();
        let a = t.basic("sea-lion.v2");
        let b = t.basic("2nd");
        t.root = t.gate(2, vec![a, b], "x");
        let xml = export(&t, "SG").unwrap();
        assert!(xml.contains("<define-gate name=\"SG\">"));
        assert!(xml.contains("<basic-event name=\"sea-lion_v2\"/>"));
        assert!(xml.contains("<define-basic-event name=\"n_2nd\">"));
        assert!(xml.contains("<and>"));
    }

    #[test]
    fn repeated_inputs_are_expanded() {
        // At least 2 of [a, a, b]: a alone fails it (it counts twice).
        let mut t = FaultTree::new();
        let a = t.basic("a");
        let b = t.basic("b");
        t.root = t.gate(2, vec![a, a, b], "g");
        let xml = export(&t, "top").unwrap();
        assert_eq!(xml.matches("<basic-event name=\"a\"/>").count(), 1, "{xml}");
        let back = import(&[Input {
            path: "x".to_owned(),
            text: &xml,
        }])
        .unwrap();
        assert!(back.yaml.contains("id: \"top\""));
    }
}
