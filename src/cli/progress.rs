//! How far a long job of the command line is: said on stderr once it takes more than a
//! second.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// What the bootstrap says of itself `elapsed` into the run (nothing in its first second).
fn bootstrap_note(done: usize, replicates: usize, elapsed: Duration) -> Option<String> {
    if elapsed.as_secs_f64() < 1.0 {
        return None;
    }
    let left = if done == 0 {
        String::new()
    } else {
        let secs = elapsed.as_secs_f64() / done as f64 * replicates.saturating_sub(done) as f64;
        format!(", about {} left", crate::text::duration(secs))
    };
    Some(format!(
        "bootstrap: {} of {} replicates{left} (Ctrl+C stops; --bootstrap 0 skips the intervals)",
        crate::text::thousands(done as u64),
        crate::text::thousands(replicates as u64),
    ))
}

/// The bootstrap on every core; past a second it says on stderr how far it is and about how
/// long is left, every few seconds (Ctrl+C stops the command).
pub(super) fn bootstrap(
    prepared: &crate::drivers::Prepared,
    replicates: usize,
    seed: u64,
) -> crate::drivers::Bootstrap {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let progress = crate::drivers::Progress::default();
    let start = Instant::now();
    std::thread::scope(|s| {
        let job =
            s.spawn(|| crate::drivers::bootstrap(prepared, replicates, seed, threads, &progress));
        let mut said = Duration::ZERO;
        while !job.is_finished() {
            std::thread::sleep(Duration::from_millis(50));
            let t = start.elapsed();
            if t < said + Duration::from_secs(3) {
                continue;
            }
            if let Some(line) = bootstrap_note(progress.done.load(Ordering::Relaxed), replicates, t)
            {
                said = t;
                eprintln!("{line}");
            }
        }
        job.join().unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::bootstrap_note;
    use std::time::Duration;

    #[test]
    fn the_bootstrap_says_how_far_it_is_after_a_second() {
        assert_eq!(bootstrap_note(40, 1_000, Duration::from_millis(900)), None);
        let line = bootstrap_note(250, 1_000, Duration::from_secs(20)).unwrap_or_default();
        assert!(
            line.starts_with("bootstrap: 250 of 1,000 replicates, about 1 min left"),
            "{line}"
        );
        assert!(line.contains("Ctrl+C stops"), "{line}");
        let line = bootstrap_note(0, 1_000, Duration::from_secs(2)).unwrap_or_default();
        assert!(
            line.starts_with("bootstrap: 0 of 1,000 replicates ("),
            "{line}"
        );
    }
}
