//! jenga: pull a block, see what falls.
//!
//! The data flows one way: YAML files → [`model`] types → [`graph::World`] →
//! analyses → renderers → files. Only [`load`], [`run`] and the renderers touch the
//! system; everything between them is pure.

/// Analyses over the graph (pure, no IO).
pub mod analysis;
/// Command-line types and the plain configuration made from them.
pub mod cli;
/// The plain settings every command reads, resolved once from the command line.
pub mod config;
/// ISO 3166-1 alpha-2 codes.
pub mod country;
/// Located diagnostics and their rendering.
pub mod diag;
/// Structural differences between two worlds.
pub mod diff;
/// The program's error type, its exit codes and the one standard-output writer.
pub mod error;
/// Exports for other tools: GraphML, Mermaid, CSV, JSON.
pub mod export;
/// Safe output: atomic writes that never touch the input tree.
pub mod fsutil;
/// The dependency graph and its construction.
pub mod graph;
/// Importers of public datasets (ETO, Epoch AI, TOP500) into stack files; pure.
pub mod import;
/// Reading stack files within budgets.
pub mod load;
/// Serde types that mirror the YAML.
pub mod model;
/// Open-PSA MEF import and export (coherent fault trees).
pub mod openpsa;
/// Tables rendered as text, CSV or Markdown, and JSON.
pub mod output;
/// Results as tables, Markdown, JSON shapes and figure data (pure).
pub mod present;
/// Progress bars on a terminal only.
pub mod progress;
/// Figures: towers, the overview and the exposure matrix as DOT or SVG.
pub mod render;
/// Several stacks directories as one world, and the link files that join them.
pub mod roots;
/// Command dispatch and exit codes.
pub mod run;
/// The JSON Schema of stack files, generated from the model types.
pub mod schema;
/// Synthetic stacks for benchmarks and scale tests.
pub mod synth;
/// Phase timings on standard error (`JENGA_TIMINGS=1`), for benchmarks.
pub mod timings;
/// Named checks that collect every error.
pub mod validate;
/// Excel workbooks of the tables (rust_xlsxwriter).
pub mod xlsx;
