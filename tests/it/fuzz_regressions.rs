//! Inputs the fuzz targets (`fuzz/`) found problems with, run through the same checks as the
//! targets: `tests/fixtures/fuzz/{json,mermaid,csv,survey}/`. Every crash found is kept here.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers fail loudly; allow-unwrap-in-tests covers only #[test] bodies"
)]

use std::path::PathBuf;

fn inputs(kind: &str) -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(kind);
    let mut out = Vec::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let bytes = std::fs::read(&p).unwrap();
        if let Ok(text) = String::from_utf8(bytes) {
            out.push((p.file_name().unwrap().to_string_lossy().into_owned(), text));
        }
    }
    out
}

#[test]
fn json_inputs_load_or_fail_and_round_trip() {
    for (name, text) in inputs("json") {
        if let Ok(doc) = journeymap::io::from_json_str(&text, &name) {
            let saved = journeymap::io::to_json_string(&doc);
            let again = journeymap::io::from_json_str(&saved, "again.json")
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(again, doc, "{name}");
        }
    }
}

#[test]
fn mermaid_inputs_import_or_fail_and_read_back() {
    let all = inputs("mermaid");
    assert!(!all.is_empty());
    for (name, text) in all {
        if let Ok(imported) = journeymap::io::mermaid::import(&text, &name) {
            let out = journeymap::io::mermaid::export(&imported.doc);
            let again = journeymap::io::mermaid::import(&out, "again.mmd")
                .unwrap_or_else(|e| panic!("{name}: {e}\n{out}"));
            assert_eq!(again.doc.stages.len(), imported.doc.stages.len(), "{name}");
            assert_eq!(
                again.doc.cards.len(),
                imported.doc.cards.len(),
                "{name}\n{out}"
            );
        }
    }
}

#[test]
fn csv_inputs_import_or_fail_and_read_back() {
    for (name, text) in inputs("csv") {
        if let Ok(imported) = journeymap::io::table::import(&text, &name) {
            let out = String::from_utf8(journeymap::io::table::export(&imported.doc)).unwrap();
            let again = journeymap::io::table::import(&out, "again.csv")
                .unwrap_or_else(|e| panic!("{name}: {e}\n{out}"));
            let texts = |d: &journeymap::model::Document| -> Vec<String> {
                let mut v: Vec<String> = d
                    .cards
                    .iter()
                    .map(|c| format!("{:?} {:?}", d.stage(c.stage).map(|s| &s.name), c.text))
                    .collect();
                v.sort();
                v
            };
            assert_eq!(texts(&again.doc), texts(&imported.doc), "{name}");
            assert_eq!(again.doc.stages.len(), imported.doc.stages.len(), "{name}");
        }
    }
}

#[test]
fn survey_inputs_fit_sensibly_or_fail() {
    let doc = journeymap::model::sample_map();
    for (name, text) in inputs("survey") {
        let Ok(p) = journeymap::drivers::prepare(&doc, &text, &name, "overall") else {
            continue;
        };
        if let Ok(fit) = journeymap::drivers::fit(&p) {
            let sum: f64 = fit.drivers.iter().map(|d| d.weight).sum();
            assert!(
                fit.r2.is_finite() && fit.r2 > -1e-9 && fit.r2 < 1.0 + 1e-6,
                "{name}"
            );
            assert!((sum - fit.r2).abs() < 1e-6, "{name}");
            let boot = journeymap::drivers::bootstrap(
                &p,
                5,
                1,
                1,
                &journeymap::drivers::Progress::default(),
            );
            let deltas: Vec<_> = fit.drivers.iter().map(|d| (d.card, 0.5)).collect();
            let _ = journeymap::drivers::what_if(&fit, Some(&boot), &deltas);
        }
    }
}
