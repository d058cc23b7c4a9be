//! Phase timings on standard error, for benchmarks: with `JENGA_TIMINGS=1` in the
//! environment, every [`mark`] prints `timing: PHASE MS ms`, the wall-clock time since
//! the previous mark (or since [`start`]). Without it, marks cost one relaxed atomic
//! load and print nothing, so results on standard output never change.

use std::io::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

static ENABLED: AtomicBool = AtomicBool::new(false);
static LAST: Mutex<Option<Instant>> = Mutex::new(None);

/// Reads `JENGA_TIMINGS` and starts the clock. Called once by [`crate::cli::dispatch`].
pub fn start() {
    let on = std::env::var_os("JENGA_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0");
    ENABLED.store(on, Ordering::Relaxed);
    if on && let Ok(mut last) = LAST.lock() {
        *last = Some(Instant::now());
    }
}

/// Whether timings are printed.
pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// Ends the phase `name`: prints its duration when timings are enabled.
pub fn mark(name: &str) {
    if !enabled() {
        return;
    }
    let now = Instant::now();
    let Ok(mut last) = LAST.lock() else { return };
    let since = last.map_or(0.0, |t| now.duration_since(t).as_secs_f64() * 1e3);
    *last = Some(now);
    let _ = writeln!(std::io::stderr().lock(), "timing: {name} {since:.3} ms");
}

/// Prints `count: NAME N` when timings are enabled (e.g. the nodes a sweep touched).
pub fn count(name: &str, n: u64) {
    if enabled() {
        let _ = writeln!(std::io::stderr().lock(), "count: {name} {n}");
    }
}
