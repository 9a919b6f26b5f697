//! Stage timings for performance work: with `GONGSHI_TIMINGS=1` in the environment, every stage
//! wrapped in [`stage`] prints its wall time and the CPU time the whole process spent meanwhile (all
//! threads, so a stage's CPU includes what ran alongside it) to stderr
//! (`[timings] render/pages 412.3 ms (cpu 801.0 ms)`): CPU well under twice the wall time on two cores
//! means a core sat idle. Silent otherwise, and never changes what is built; `benches/run.sh` and
//! docs/performance.md use it.

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
    let cpu = process_cpu_ms();
    let value = f();
    let wall = started.elapsed().as_secs_f64() * 1000.0;
    eprintln!("[timings] {name} {wall:.1} ms (cpu {:.1} ms)", process_cpu_ms() - cpu);
    value
}

/// CPU time of every thread of the process so far, in milliseconds.
fn process_cpu_ms() -> f64 {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
    t.tv_sec as f64 * 1000.0 + t.tv_nsec as f64 / 1e6
}
