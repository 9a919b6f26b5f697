//! Stage timings for performance work: with `GONGSHI_TIMINGS=1` in the environment, every stage
//! wrapped in [`stage`] prints its wall time to stderr (`[timings] render/pages 412.3 ms`). Silent
//! otherwise, and never changes what is built; `benches/run.sh` and docs/performance.md use it.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("GONGSHI_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0"))
}

/// Runs `f`, printing how long it took when timings are on.
pub fn stage<T>(name: &str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let started = Instant::now();
    let value = f();
    eprintln!("[timings] {name} {:.1} ms", started.elapsed().as_secs_f64() * 1000.0);
    value
}
