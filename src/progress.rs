//! Progress bars for long work (loading, sweeps, cut sets, the report), drawn on
//! standard error only when it is a terminal and `--quiet` is not given: never in
//! pipes, files or CI logs, so output stays byte-identical and scripts see nothing.
//!
//! # API
//! ```
//! use jenga::progress::Progress;
//! # let config = jenga::config::Config {
//! #     stacks: "stacks".into(), more_stacks: vec![], color: false, quiet: true,
//! #     limits: jenga::load::Limits::default(), exclude_inferred: false,
//! #     table_output: None,
//! # };
//! let items = vec![1, 2, 3];
//! let bar = Progress::new(&config, "sweeping", items.len() as u64);
//! for _ in &items {
//!     // ... one unit of work ...
//!     bar.inc(1);
//! }
//! bar.finish(); // erases the bar (dropping the last clone does too)
//! ```
//! A [`Progress`](crate::progress::Progress) is cheap to clone and `Send + Sync`: share it with rayon workers
//! (`items.par_iter().for_each(|x| { work(x); bar.inc(1) })`). Use
//! [`Progress::spinner`](crate::progress::Progress::spinner) when the amount of work is not known in advance. When the
//! bar is hidden every method is a no-op, so callers never branch on it.

use std::io::IsTerminal as _;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressFinish, ProgressStyle};

use crate::config::Config;

/// A progress bar, or nothing when progress must not be shown.
#[derive(Debug, Clone)]
pub struct Progress {
    bar: Option<ProgressBar>,
}

/// Whether progress may be drawn: not `--quiet`, standard error is a terminal, and
/// the terminal is not `dumb`.
pub fn enabled(config: &Config) -> bool {
    should_draw(
        config.quiet,
        std::io::stderr().is_terminal(),
        std::env::var_os("TERM").as_deref(),
    )
}

/// The decision of [`enabled`], from its inputs.
pub fn should_draw(quiet: bool, stderr_is_terminal: bool, term: Option<&std::ffi::OsStr>) -> bool {
    !quiet && stderr_is_terminal && term.is_none_or(|t| t != "dumb")
}

impl Progress {
    /// A bar of `len` steps labelled `message`; hidden unless [`enabled`].
    /// Coloured only when `config.color` (so `--color never` and `NO_COLOR` hold).
    pub fn new(config: &Config, message: &str, len: u64) -> Progress {
        if !enabled(config) {
            return Progress::hidden();
        }
        let template = if config.color {
            "{msg} [{bar:30.cyan/blue}] {pos}/{len} {elapsed}"
        } else {
            "{msg} [{bar:30}] {pos}/{len} {elapsed}"
        };
        let style = ProgressStyle::with_template(template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr())
            .with_style(style)
            .with_message(message.to_owned())
            .with_finish(ProgressFinish::AndClear);
        Progress { bar: Some(bar) }
    }

    /// A spinner for work of unknown size; hidden unless [`enabled`].
    pub fn spinner(config: &Config, message: &str) -> Progress {
        if !enabled(config) {
            return Progress::hidden();
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
            .with_message(message.to_owned())
            .with_finish(ProgressFinish::AndClear);
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress { bar: Some(bar) }
    }

    /// A progress that draws nothing.
    pub fn hidden() -> Progress {
        Progress { bar: None }
    }

    /// Whether anything is drawn.
    pub fn is_visible(&self) -> bool {
        self.bar.is_some()
    }

    /// Advances by `n` steps.
    pub fn inc(&self, n: u64) {
        if let Some(b) = &self.bar {
            b.inc(n);
        }
    }

    /// Changes the label.
    pub fn set_message(&self, message: &str) {
        if let Some(b) = &self.bar {
            b.set_message(message.to_owned());
        }
    }

    /// Erases the bar.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drawn_only_on_a_terminal_without_quiet() {
        use std::ffi::OsStr;
        assert!(should_draw(false, true, Some(OsStr::new("xterm"))));
        assert!(should_draw(false, true, None));
        assert!(!should_draw(true, true, Some(OsStr::new("xterm"))));
        assert!(!should_draw(false, false, Some(OsStr::new("xterm"))));
        assert!(!should_draw(false, true, Some(OsStr::new("dumb"))));
    }

    #[test]
    fn hidden_progress_is_a_no_op() {
        let p = Progress::hidden();
        p.inc(3);
        p.set_message("x");
        p.finish();
        assert!(!p.is_visible());
    }
}
