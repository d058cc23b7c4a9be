//! jenga: pull a block, see what falls.
//!
//! The data flows one way: YAML files → [`model`] types → [`graph::World`] →
//! analyses → renderers → files. Only [`load`], [`run`] and the renderers touch the
//! system; everything between them is pure.

/// Analyses over the graph (pure, no IO).
pub mod analysis;
/// Command-line types and the plain configuration made from them.
pub mod cli;
/// ISO 3166-1 alpha-2 codes.
pub mod country;
/// Located diagnostics and their rendering.
pub mod diag;
/// Structural differences between two worlds.
pub mod diff;
/// Exports for other tools: GraphML, Mermaid, CSV, JSON.
pub mod export;
/// The dependency graph and its construction.
pub mod graph;
/// Reading stack files within budgets.
pub mod load;
/// Serde types that mirror the YAML.
pub mod model;
/// Tables rendered as text, CSV or Markdown, and JSON.
pub mod output;
/// Progress bars on a terminal only.
pub mod progress;
/// Command dispatch and exit codes.
pub mod run;
/// The JSON Schema of stack files, generated from the model types.
pub mod schema;
/// Named checks that collect every error.
pub mod validate;
