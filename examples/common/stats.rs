//! Median and 95th percentile of timings, in milliseconds (shared by the benchmarks).

use std::time::Duration;

/// Median and 95th percentile of `v`, in milliseconds.
pub fn stats(mut v: Vec<Duration>) -> (f64, f64) {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = ms(v[v.len() / 2]);
    let p95 = ms(v[((v.len() as f64 * 0.95).ceil() as usize).min(v.len()) - 1]);
    (median, p95)
}
