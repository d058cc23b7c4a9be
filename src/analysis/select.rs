//! Selectors: the `SEL` of `--remove SEL` and `--over SEL`.
//!
//! - `ID`: one node or organization (removing an organization removes its products
//!   through their implicit dependency on it; the selector itself names one node);
//! - `jurisdiction:XX`: every node whose effective jurisdiction is `XX`;
//! - `layer:NAME`: every component of that layer.

use std::fmt;

use crate::country;
use crate::diag::did_you_mean;
use crate::graph::{NodeIdx, World};
use crate::model::Layer;

/// A parsed selector.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Selector {
    /// One node by id.
    Id(String),
    /// Every node of a jurisdiction.
    Jurisdiction(String),
    /// Every component of a layer.
    Layer(Layer),
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Selector::Id(id) => f.write_str(id),
            Selector::Jurisdiction(j) => write!(f, "jurisdiction:{j}"),
            Selector::Layer(l) => write!(f, "layer:{l}"),
        }
    }
}

/// Why a selector is not valid, with what would fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectError {
    /// What is wrong.
    pub message: String,
    /// What would fix it.
    pub help: String,
}

impl fmt::Display for SelectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}; {}", self.message, self.help)
    }
}

impl std::error::Error for SelectError {}

impl Selector {
    /// Parses `text` and checks it against `world`.
    ///
    /// # Errors
    /// An unknown id (with the closest id as a suggestion), an unknown layer, or a
    /// jurisdiction that is not a country code.
    pub fn parse(text: &str, world: &World) -> Result<Selector, SelectError> {
        if let Some(code) = text.strip_prefix("jurisdiction:") {
            return match country::check(code) {
                Ok(()) => Ok(Selector::Jurisdiction(code.to_owned())),
                Err(_) => Err(SelectError {
                    message: format!("`{code}` in `{text}` is not a country code"),
                    help: "write `jurisdiction:XX` with an ISO 3166-1 alpha-2 code such as `US`, or `EU`"
                        .to_owned(),
                }),
            };
        }
        if let Some(name) = text.strip_prefix("layer:") {
            return Layer::parse(name).map(Selector::Layer).ok_or_else(|| {
                let names = Layer::ALL.map(Layer::as_str);
                SelectError {
                    message: format!("unknown layer `{name}` in `{text}`"),
                    help: match did_you_mean(name, names) {
                        Some(s) => format!("did you mean `layer:{s}`?"),
                        None => format!("layers are {}", names.join(", ")),
                    },
                }
            });
        }
        if world.lookup(text).is_some() {
            return Ok(Selector::Id(text.to_owned()));
        }
        let help = match did_you_mean(text, world.ids.keys().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`?"),
            None if text.contains(':') => {
                "selectors are an id, `jurisdiction:XX` or `layer:NAME`".to_owned()
            }
            None => "run `jenga check` to list the data, or use `jurisdiction:XX` or `layer:NAME`"
                .to_owned(),
        };
        Err(SelectError {
            message: format!("no node or organization has the id `{text}`"),
            help,
        })
    }

    /// The nodes this selector names, in index order.
    ///
    /// # Complexity
    /// O(1) for an id, O(V) for a jurisdiction or layer.
    pub fn resolve(&self, world: &World) -> Vec<NodeIdx> {
        match self {
            Selector::Id(id) => world.lookup(id).into_iter().collect(),
            Selector::Jurisdiction(j) => world
                .indices()
                .filter(|&i| world.node(i).jurisdiction.as_deref() == Some(j.as_str()))
                .collect(),
            Selector::Layer(l) => world
                .indices()
                .filter(|&i| world.node(i).layer == Some(*l))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world() -> World {
        let yaml = "organizations:\n  - {id: nvidia, name: Nvidia, jurisdiction: US}\n  - {id: fujitsu, name: Fujitsu, jurisdiction: JP}\nnodes:\n  - {id: h100, name: H100, layer: chips, org: nvidia}\n  - {id: a64fx, name: A64FX, layer: chips, org: fujitsu}\n  - {id: fugaku, name: Fugaku, layer: compute, needs: [a64fx]}\n";
        crate::graph::from_yaml(&[yaml])
    }

    fn ids(w: &World, v: Vec<NodeIdx>) -> Vec<String> {
        v.into_iter().map(|i| w.node(i).id.clone()).collect()
    }

    #[test]
    fn selects() {
        let w = world();
        let sel = |s: &str| Selector::parse(s, &w).map(|x| ids(&w, x.resolve(&w)));
        assert_eq!(sel("h100"), Ok(vec!["h100".to_owned()]));
        assert_eq!(
            sel("jurisdiction:US"),
            Ok(vec!["nvidia".to_owned(), "h100".to_owned()])
        );
        assert_eq!(
            sel("layer:chips"),
            Ok(vec!["h100".to_owned(), "a64fx".to_owned()])
        );
        assert_eq!(sel("jurisdiction:CN"), Ok(vec![]));
    }

    #[test]
    fn errors_say_what_would_fix_them() {
        let w = world();
        let e = Selector::parse("nvdia", &w).unwrap_err();
        assert_eq!(
            e.to_string(),
            "no node or organization has the id `nvdia`; did you mean `nvidia`?"
        );
        let e = Selector::parse("layer:chip", &w).unwrap_err();
        assert_eq!(e.help, "did you mean `layer:chips`?");
        assert!(Selector::parse("jurisdiction:usa", &w).is_err());
    }
}
