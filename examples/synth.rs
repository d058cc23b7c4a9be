//! Writes a synthetic world of about 40,000 nodes into a directory, for measuring
//! `jenga` at scale: `cargo run --example synth -- DIR`, then
//! `jenga --stacks DIR scenario --remove org-0`.

#![allow(clippy::print_stderr)]

fn main() -> std::process::ExitCode {
    let Some(dir) = std::env::args_os().nth(1) else {
        eprintln!("usage: synth DIR");
        return std::process::ExitCode::from(2);
    };
    let dir = std::path::PathBuf::from(dir);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("cannot create {}: {e}", dir.display());
        return std::process::ExitCode::from(1);
    }
    for (name, text) in jenga::synth::stacks(jenga::synth::Shape::large()) {
        if let Err(e) = std::fs::write(dir.join(&name), text) {
            eprintln!("cannot write {name}: {e}");
            return std::process::ExitCode::from(1);
        }
    }
    std::process::ExitCode::SUCCESS
}
