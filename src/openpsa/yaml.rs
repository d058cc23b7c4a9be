//! Writing a read [`Model`] as jenga YAML: a fault-tree OR gate becomes a node that
//! needs all its inputs, an AND gate one that needs any, ATLEAST k-of-n one that needs
//! `n − k + 1` of them; each nested operator becomes a node of its own.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::read::{Formula, Kind, Model};
use super::{Imported, OpenPsaError};

impl Model<'_> {
    /// Writes the model as jenga YAML (a shared file with `nodes:` only).
    ///
    /// # Errors
    /// An `atleast` that repeats an argument (jenga groups list each member once).
    pub fn to_yaml(&self, sources: &[String]) -> Result<Imported, OpenPsaError> {
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
                                    return Err(OpenPsaError::RepeatedArgument {
                                        at: self.at(g.place),
                                        gate: g.name.clone(),
                                    });
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

/// A YAML double-quoted scalar (JSON string syntax is valid YAML).
fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{}\"", s.escape_default()))
}
