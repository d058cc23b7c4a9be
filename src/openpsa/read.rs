//! Reading Open-PSA MEF XML into a [`Model`]: the definitions (gates and basic events,
//! in containers nested to any depth), each gate's formula, and the checks that every
//! name is defined once and every reference defined. Iterative throughout (explicit
//! stacks): nesting of any depth reads without growing the call stack.

use std::collections::{BTreeMap, HashMap};

use super::{Input, OpenPsaError};
use crate::validate::is_valid_id;

/// Where an element starts: the input's index and the byte offset. Turned into
/// `file:line:column` only for an error ([`Model::at`]), since computing a line and
/// column scans the text up to the offset (doing it for every element made the
/// import quadratic).
#[derive(Debug, Clone, Copy)]
pub(super) struct Loc {
    file: usize,
    pos: usize,
}

#[derive(Debug)]
pub(super) enum Formula {
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
pub(super) enum Kind {
    Or,
    And,
    AtLeast(usize),
}

#[derive(Debug)]
pub(super) struct GateDef {
    pub(super) name: String,
    pub(super) label: Option<String>,
    pub(super) formula: Formula,
    pub(super) place: Loc,
}

/// The coherent fault trees read from MEF files.
#[derive(Debug)]
pub struct Model<'a> {
    inputs: &'a [Input<'a>],
    pub(super) gates: Vec<GateDef>,
    pub(super) basics: BTreeMap<String, (Option<String>, Loc)>,
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
) -> Result<String, OpenPsaError> {
    let name = node.attribute("name").ok_or_else(|| OpenPsaError::NoName {
        at: place(path, doc, node),
        tag: node.tag_name().name().to_owned(),
    })?;
    if !is_valid_id(name) {
        return Err(OpenPsaError::BadName {
            at: place(path, doc, node),
            name: crate::diag::clip(name).into_owned(),
        });
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
    pub fn read(inputs: &'a [Input<'a>]) -> Result<Model<'a>, OpenPsaError> {
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
            let doc = roxmltree::Document::parse_with_options(input.text, opts).map_err(|e| {
                OpenPsaError::Xml {
                    path: input.path.clone(),
                    reason: e.to_string(),
                }
            })?;
            let root = doc.root_element();
            if !root.has_tag_name("opsa-mef") {
                return Err(OpenPsaError::Root {
                    at: place(&input.path, &doc, root),
                    found: root.tag_name().name().to_owned(),
                });
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
    pub(super) fn at(&self, loc: Loc) -> String {
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
    ) -> Result<(), OpenPsaError> {
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
                        return Err(OpenPsaError::FormulaCount {
                            at: at(),
                            gate: name,
                            count: formulas.len(),
                        });
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
                        return Err(OpenPsaError::BasicTwice { at: at(), name });
                    }
                }
                other => {
                    return Err(OpenPsaError::Outside {
                        at: at(),
                        tag: other.to_owned(),
                    });
                }
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
    fn check(&self) -> Result<(), OpenPsaError> {
        let mut names: HashMap<&str, Loc> = HashMap::new();
        for (n, (_, at)) in &self.basics {
            names.insert(n, *at);
        }
        for g in &self.gates {
            if let Some(first) = names.insert(&g.name, g.place) {
                return Err(OpenPsaError::DefinedTwice {
                    at: self.at(g.place),
                    name: g.name.clone(),
                    first: self.at(first),
                });
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
                    return Err(OpenPsaError::SelfReference {
                        at: self.at(*place),
                        name: name.clone(),
                    });
                }
            }
            let mut stack = vec![&g.formula];
            while let Some(f) = stack.pop() {
                match f {
                    Formula::Ref { name, place } => {
                        if !names.contains_key(name.as_str()) {
                            return Err(OpenPsaError::Undefined {
                                at: self.at(*place),
                                name: name.clone(),
                            });
                        }
                    }
                    Formula::Gate { args, .. } => stack.extend(args),
                }
            }
        }
        Ok(())
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
) -> Result<Formula, OpenPsaError> {
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
                        .ok_or_else(|| OpenPsaError::NoMin { at: at() })?;
                    Some(Kind::AtLeast(min))
                }
                other => {
                    return Err(OpenPsaError::Outside {
                        at: at(),
                        tag: other.to_owned(),
                    });
                }
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
                return Err(OpenPsaError::EmptyFormula {
                    at: place(path, doc, node),
                });
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
                return Err(OpenPsaError::NoArguments {
                    at: at(),
                    op: n.tag_name().name().to_owned(),
                });
            }
            if let Kind::AtLeast(k) = kind
                && (k == 0 || k > args.len())
            {
                return Err(OpenPsaError::MinOutOfRange {
                    at: at(),
                    min: k,
                    count: args.len(),
                });
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
