//! Writing a [`FaultTree`] as Open-PSA MEF XML that `scram --validate` accepts:
//! constants folded, repeated inputs expanded (MEF forbids them), every gate and basic
//! event labelled with the jenga name it stands for.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::analysis::cutsets::tree::{Event, FaultTree};

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
/// # Complexity
/// Linear in the size of the tree, times 2^r for a gate with r repeated inputs.
pub fn export(tree: &FaultTree, top: &str) -> String {
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
            return out;
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
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_names_are_mef_identifiers() {
        let mut t = FaultTree::new();
        let a = t.basic("sea-lion.v2");
        let b = t.basic("2nd");
        t.root = t.gate(2, vec![a, b], "x");
        let xml = export(&t, "SG");
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
        let xml = export(&t, "top");
        assert_eq!(xml.matches("<basic-event name=\"a\"/>").count(), 1, "{xml}");
        let back = crate::openpsa::import(&[crate::openpsa::Input {
            path: "x".to_owned(),
            text: &xml,
        }])
        .unwrap();
        assert!(back.yaml.contains("id: \"top\""));
    }
}
