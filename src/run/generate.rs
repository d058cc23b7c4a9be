//! `jenga generate`: a synthetic world ([`crate::synth`]) written atomically into a
//! directory through [`crate::fsutil::Writer`].

use std::io::Write as _;
use std::path::Path;

use super::Error;
use crate::config::Config;
use crate::diag::plural;
use crate::synth::{Spec, generate};

/// What `jenga generate` writes.
#[derive(Debug, Clone)]
pub enum Shape {
    /// A world of countries and shared suppliers ([`generate`]).
    World(Spec),
    /// A dependency chain of `nodes` nodes over `files` files ([`crate::synth::chain`]).
    Chain {
        /// Nodes in the chain.
        nodes: usize,
        /// Files it is spread over.
        files: usize,
    },
    /// `k` ANDed pairs, 2^k minimal cut sets ([`crate::synth::any_pairs`]).
    AnyPairs(usize),
}

/// Generates `shape` into `output` (never inside the stacks directory).
pub fn run(config: &Config, shape: &Shape, output: &Path) -> Result<(), Error> {
    let files = match shape {
        Shape::World(spec) => generate(spec)?,
        &Shape::Chain { nodes, files } => crate::synth::chain(nodes, files),
        &Shape::AnyPairs(k) => vec![crate::synth::any_pairs(k)],
    };
    crate::fsutil::Writer::new(&config.stacks).write_dir(output, |staging| {
        files
            .iter()
            .try_for_each(|f| staging.write(&f.name, f.text.as_bytes()))
    })?;
    if !config.quiet {
        let bytes: usize = files.iter().map(|f| f.text.len()).sum();
        let _ = writeln!(
            std::io::stderr().lock(),
            "wrote {} ({} bytes) into `{}`",
            plural(files.len(), "file"),
            bytes,
            output.display()
        );
    }
    Ok(())
}
