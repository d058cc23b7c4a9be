//! The `jenga` binary: parse arguments, run, print the error, exit.

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let (config, command) = jenga::cli::Cli::parse().into_config();
    match jenga::run::run(&config, command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = std::io::stderr().write_all(e.render(config.color).as_bytes());
            ExitCode::from(e.exit_code())
        }
    }
}
