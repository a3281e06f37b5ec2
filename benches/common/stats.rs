//! Median and 95th percentile of timings, in milliseconds, and the resident memory (shared by
//! the benchmarks).

use std::time::Duration;

/// Median and 95th percentile of `v`, in milliseconds.
pub fn stats(mut v: Vec<Duration>) -> (f64, f64) {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = ms(v[v.len() / 2]);
    let p95 = ms(v[((v.len() as f64 * 0.95).ceil() as usize).min(v.len()) - 1]);
    (median, p95)
}

/// The resident set of this process, in bytes (Linux; 0 elsewhere).
#[allow(dead_code, reason = "not every benchmark measures memory")]
pub fn rss() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}
