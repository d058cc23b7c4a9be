//! The `jenga` binary: parse arguments, run, print the error, exit.

use std::io::Write as _;
use std::process::ExitCode;

use clap::{CommandFactory as _, FromArgMatches as _};

fn main() -> ExitCode {
    // Under `COMPLETE=SHELL` (the shell's completion hook), print the candidates for
    // the command line being typed and exit; otherwise a no-op.
    clap_complete::CompleteEnv::with_factory(jenga::cli::Cli::command).complete();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // No argument is echoed raw: one holding a control character (a newline, an
    // escape sequence) or a bidi override is refused before clap or jenga quote it.
    if let Some(e) = jenga::cli::refuse_control_characters(&args) {
        let _ = std::io::stderr().write_all(e.render(false).as_bytes());
        return ExitCode::from(e.exit_code());
    }
    let matches = jenga::cli::Cli::command()
        .color(jenga::cli::clap_color(&args))
        .get_matches_from(args);
    let cli = jenga::cli::Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let (config, command) = cli.into_config();
    match jenga::cli::dispatch(&config, command) {
        // A closed pipe (`jenga ... | head`) is a reader that has seen enough.
        Ok(()) | Err(jenga::run::Error::ClosedPipe) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = std::io::stderr().write_all(e.render(config.color).as_bytes());
            ExitCode::from(e.exit_code())
        }
    }
}
