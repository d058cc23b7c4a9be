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
//!
//! Files: `read` (XML into a [`Model`], checked), `yaml` (the model as jenga YAML),
//! `write` (a fault tree as MEF XML); errors are [`OpenPsaError`]s.

mod read;
mod write;
mod yaml;

pub use read::Model;
pub use write::export;

/// One input file: its path (for messages) and its text.
#[derive(Debug, Clone)]
pub struct Input<'a> {
    /// Shown in messages.
    pub path: String,
    /// The XML.
    pub text: &'a str,
}

/// Why an Open-PSA file cannot be imported: one variant per mistake, each message
/// starting with the `file:line:column` (`at`) of the element concerned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenPsaError {
    /// The text is not XML (`path` is the file; roxmltree's message has the place).
    #[error("{path}: not well-formed XML: {reason}")]
    Xml {
        /// The file.
        path: String,
        /// roxmltree's message.
        reason: String,
    },
    /// The root element is not `opsa-mef`.
    #[error("{at}: the root element is `{found}`, not `opsa-mef`")]
    Root {
        /// Where.
        at: String,
        /// The root's tag.
        found: String,
    },
    /// A definition or reference without a `name`.
    #[error("{at}: `{tag}` has no `name`")]
    NoName {
        /// Where.
        at: String,
        /// The element's tag.
        tag: String,
    },
    /// A name that is not a jenga id (already clipped for display).
    #[error(
        "{at}: `{name}` is not usable as a jenga id (letters, digits, `-`, `_`, `.`, \
         starting with a letter or digit, at most 128 characters)"
    )]
    BadName {
        /// Where.
        at: String,
        /// The name, clipped.
        name: String,
    },
    /// A gate with no formula or several.
    #[error("{at}: gate `{gate}` must have exactly one formula, it has {count}")]
    FormulaCount {
        /// Where.
        at: String,
        /// The gate.
        gate: String,
        /// How many formulas it has.
        count: usize,
    },
    /// An element outside the coherent subset (`not`, `xor`, CCF groups, ...).
    #[error(
        "{at}: `{tag}` is outside the coherent fault-tree subset that jenga models \
         (`and`, `or`, `atleast`, basic events); remove it or rewrite it with those"
    )]
    Outside {
        /// Where.
        at: String,
        /// The element's tag.
        tag: String,
    },
    /// A basic event defined twice.
    #[error("{at}: basic event `{name}` is defined twice")]
    BasicTwice {
        /// Where the second definition is.
        at: String,
        /// The event.
        name: String,
    },
    /// A name defined as a gate and as something else before.
    #[error("{at}: `{name}` is defined twice (first at {first})")]
    DefinedTwice {
        /// Where the second definition is.
        at: String,
        /// The name.
        name: String,
        /// Where the first is.
        first: String,
    },
    /// A gate that is a direct argument of itself.
    #[error(
        "{at}: gate `{name}` refers to itself; a node cannot need itself (remove the reference)"
    )]
    SelfReference {
        /// Where the reference is.
        at: String,
        /// The gate.
        name: String,
    },
    /// A reference to a name defined nowhere.
    #[error("{at}: `{name}` is not defined as a gate or basic event")]
    Undefined {
        /// Where the reference is.
        at: String,
        /// The name.
        name: String,
    },
    /// An `atleast` without a usable `min`.
    #[error("{at}: `atleast` needs a positive integer `min`")]
    NoMin {
        /// Where.
        at: String,
    },
    /// A formula element with no operator or reference in it.
    #[error("{at}: empty formula")]
    EmptyFormula {
        /// Where.
        at: String,
    },
    /// An operator without arguments.
    #[error("{at}: `{op}` has no arguments")]
    NoArguments {
        /// Where.
        at: String,
        /// The operator's tag.
        op: String,
    },
    /// An `atleast` whose `min` is 0 or more than its arguments.
    #[error("{at}: `atleast` with min=\"{min}\" over {count} arguments (1 ≤ min ≤ arguments)")]
    MinOutOfRange {
        /// Where.
        at: String,
        /// Its `min`.
        min: usize,
        /// Its number of arguments.
        count: usize,
    },
    /// An `atleast` that repeats an argument (jenga groups list each member once).
    #[error("{at}: `atleast` in gate `{gate}` repeats an argument")]
    RepeatedArgument {
        /// Where the gate is.
        at: String,
        /// The gate.
        gate: String,
    },
    /// Files that define nothing (`nodes:` with nothing under it is not a stack file).
    #[error(
        "{sources}: no gate or basic event to import; an Open-PSA model defines them with \
         `define-gate` and `define-basic-event`"
    )]
    Nothing {
        /// The files, comma-separated.
        sources: String,
    },
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

/// Imports MEF files into jenga YAML.
///
/// # Errors
/// See [`Model::read`] and [`Model::to_yaml`].
pub fn import(inputs: &[Input<'_>]) -> Result<Imported, OpenPsaError> {
    let model = Model::read(inputs)?;
    let sources: Vec<String> = inputs.iter().map(|i| i.path.clone()).collect();
    if model.gates.is_empty() && model.basics.is_empty() {
        // `nodes:` with nothing under it is not a stack file (found by fuzzing).
        return Err(OpenPsaError::Nothing {
            sources: sources.join(", "),
        });
    }
    model.to_yaml(&sources)
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;

    fn imp(xml: &str) -> Result<Imported, OpenPsaError> {
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
        let err = imp(&bad).unwrap_err().to_string();
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
            imp(xml).unwrap_err().to_string(),
            "t.xml:4:3: `not` is outside the coherent fault-tree subset that jenga models (`and`, `or`, `atleast`, basic events); remove it or rewrite it with those"
        );
        let ccf = "<opsa-mef><model-data/><define-CCF-group name=\"pumps\" model=\"beta-factor\"/></opsa-mef>";
        assert!(
            imp(ccf)
                .unwrap_err()
                .to_string()
                .contains("`define-CCF-group` is outside")
        );
        let undefined = "<opsa-mef><define-gate name=\"t\"><or><event name=\"x\"/><event name=\"y\"/></or></define-gate><define-basic-event name=\"x\"/></opsa-mef>";
        assert!(
            imp(undefined)
                .unwrap_err()
                .to_string()
                .contains("`y` is not defined")
        );
    }

    /// 100,000 gates, each the only input of the one above (`g0` needs `g1` ... needs
    /// the basic event): the definitions, the checks, the top events and the YAML are
    /// walked with explicit stacks, so the chain imports like a flat model; an
    /// undefined name at the bottom is a located error, not a crash.
    #[test]
    fn a_chain_of_100000_gates_imports() {
        const GATES: usize = 100_000;
        let mut xml = String::from("<opsa-mef><define-fault-tree name=\"ft\">\n");
        for i in 0..GATES - 1 {
            let _ = writeln!(
                xml,
                "<define-gate name=\"g{i}\"><or><gate name=\"g{}\"/><event name=\"e\"/></or></define-gate>",
                i + 1
            );
        }
        let _ = writeln!(
            xml,
            "<define-gate name=\"g{}\"><or><event name=\"e\"/><event name=\"f\"/></or></define-gate>",
            GATES - 1
        );
        let model = "</define-fault-tree><model-data><define-basic-event name=\"e\"/><define-basic-event name=\"f\"/></model-data></opsa-mef>";
        let y = imp(&format!("{xml}{model}")).unwrap();
        assert_eq!(
            (y.tops, y.gates, y.basic_events),
            (vec!["g0".to_owned()], GATES, 2)
        );
        assert!(
            y.yaml.contains(
                "  - id: \"g99998\"\n    name: \"g99998\"\n    needs: [\"g99999\", \"e\"]\n"
            ),
            "the chain's last link is missing"
        );
        let bad = model.replace("<define-basic-event name=\"f\"/>", "");
        assert_eq!(
            imp(&format!("{xml}{bad}")).unwrap_err().to_string(),
            format!(
                "t.xml:{}:49: `f` is not defined as a gate or basic event",
                GATES + 1
            )
        );
    }
}
