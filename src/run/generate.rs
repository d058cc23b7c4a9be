//! `jenga generate`: a synthetic world ([`crate::synth`]) written atomically into a
//! directory through [`crate::fsutil::Writer`].

use std::io::Write as _;
use std::path::Path;

use super::Error;
use crate::cli::GenerateArgs;
use crate::config::Config;
use crate::diag::plural;
use crate::synth::{Spec, generate};

/// Generates the world `args` describe into `args.output` (never inside the stacks
/// directory).
pub fn run(config: &Config, args: &GenerateArgs) -> Result<(), Error> {
    let spec = Spec {
        countries: args.countries,
        nodes: args.nodes,
        suppliers: args.suppliers,
        cycles: args.cycles,
        unknown: args.unknown,
        zipf: args.zipf,
        seed: args.seed,
    };
    let output: &Path = &args.output;
    let files = match (args.chain, args.any_pairs) {
        (Some(n), _) => crate::synth::chain(n, args.files),
        (None, Some(k)) => vec![crate::synth::any_pairs(k)],
        (None, None) => generate(&spec)?,
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
