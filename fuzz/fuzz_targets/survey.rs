//! Any text as a survey of the sample map: an error or a model whose weights are finite,
//! never negative and add up to R² (at most 1); a short bootstrap and a what-if never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn sample() -> &'static journeymap::model::Document {
    static DOC: OnceLock<journeymap::model::Document> = OnceLock::new();
    DOC.get_or_init(journeymap::model::sample_map)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let doc = sample();
    let Ok(p) = journeymap::drivers::prepare(doc, text, "fuzz.csv", "overall") else {
        return;
    };
    if let Ok(fit) = journeymap::drivers::fit(&p) {
        let sum: f64 = fit.drivers.iter().map(|d| d.weight).sum();
        assert!(
            fit.r2.is_finite() && fit.r2 > -1e-9 && fit.r2 < 1.0 + 1e-6,
            "{}",
            fit.r2
        );
        assert!((sum - fit.r2).abs() < 1e-6);
        assert!(
            fit.drivers
                .iter()
                .all(|d| d.weight > -1e-9 && d.weight.is_finite())
        );
        let boot =
            journeymap::drivers::bootstrap(&p, 5, 1, 1, &journeymap::drivers::Progress::default());
        let deltas: Vec<_> = fit.drivers.iter().map(|d| (d.card, 0.5)).collect();
        let _ = journeymap::drivers::what_if(&fit, Some(&boot), &deltas);
    }
});
