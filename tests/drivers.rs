//! Driver analysis against numbers worked out by hand (never by this code), and the
//! `journeymap drivers` command.
#![allow(
    clippy::unwrap_used,
    clippy::float_cmp,
    reason = "test helpers fail loudly; allow-unwrap-in-tests covers only #[test] bodies"
)]

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;

use journeymap::drivers::{self, Progress};
use journeymap::model::{Card, CardId, Document, LaneKind};
use nalgebra::{DMatrix, DVector};

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

/// Two touchpoints correlated 0.5 with each other, 0.6 and 0.4 with overall.
///
/// By hand (Johnson 2000): Rxx = [[1, .5], [.5, 1]] has eigenvalues 1.5 and 0.5 with
/// eigenvectors (1, 1)/√2 and (1, −1)/√2, so Λ* = Rxx^½ = [[a, b], [b, a]] with
/// a = (√1.5 + √0.5)/2 = 0.965926, b = (√1.5 − √0.5)/2 = 0.258819, a² − b² = √0.75 = 0.866025.
/// β* = Λ*⁻¹ rxy = [[a, −b], [−b, a]] rxy / (a² − b²) = (0.549670, 0.266827).
/// ε₁ = a²β*₁² + b²β*₂² = 0.933013 · 0.302137 + 0.066987 · 0.071197 = 0.286667 (43/150),
/// ε₂ = b²β*₁² + a²β*₂² = 0.066987 · 0.302137 + 0.933013 · 0.071197 = 0.086667 (13/150).
/// R² = rxyᵀ Rxx⁻¹ rxy = (0.6 · 0.4 + 0.4 · 0.1) / 0.75 = 0.373333 = ε₁ + ε₂.
/// Betas = Rxx⁻¹ rxy = ((0.6 − 0.2)/0.75, (0.4 − 0.3)/0.75) = (0.533333, 0.133333).
#[test]
fn relative_weights_of_two_correlated_touchpoints_match_the_hand_calculation() {
    let rxx = DMatrix::from_row_slice(2, 2, &[1.0, 0.5, 0.5, 1.0]);
    let rxy = DVector::from_row_slice(&[0.6, 0.4]);
    let (w, beta, r2) = drivers::relative_weights(&rxx, &rxy).unwrap();
    assert!(close(w[0], 43.0 / 150.0, 1e-9), "{w}");
    assert!(close(w[1], 13.0 / 150.0, 1e-9), "{w}");
    assert!(close(r2, 0.28 / 0.75, 1e-9), "{r2}");
    assert!(close(beta[0], 0.4 / 0.75, 1e-9), "{beta}");
    assert!(close(beta[1], 0.1 / 0.75, 1e-9), "{beta}");
    // Repeated touchpoints: a clear refusal, not nonsense.
    let same = DMatrix::from_row_slice(2, 2, &[1.0, 1.0, 1.0, 1.0]);
    assert!(drivers::relative_weights(&same, &rxy).is_err());
}

/// A map with touchpoint cards "A" and "B" (and a "B" action, which is not a touchpoint).
fn map() -> (Document, CardId, CardId) {
    let mut doc = journeymap::model::new_map();
    let stage = doc.stages[0].id;
    let lane = doc
        .lanes
        .iter()
        .find(|l| l.kind == LaneKind::Touchpoints)
        .unwrap()
        .id;
    let actions = doc
        .lanes
        .iter()
        .find(|l| l.kind == LaneKind::Actions)
        .unwrap()
        .id;
    let a = CardId(doc.alloc_id());
    let b = CardId(doc.alloc_id());
    let other = CardId(doc.alloc_id());
    doc.cards
        .push(Arc::new(Card::new(other, stage, actions, "B")));
    doc.cards.push(Arc::new(Card::new(a, stage, lane, "A")));
    doc.cards.push(Arc::new(Card::new(b, stage, lane, "B")));
    (doc, a, b)
}

/// Four complete respondents where A and B are uncorrelated and overall = 2.5 + 0.5·(A−1) +
/// 1·(B−1) exactly, plus one who skipped B, an id and a comment column.
///
/// By hand: centred, A = (1, 1, −1, −1), B = (1, −1, 1, −1), overall = (1.5, −0.5, 0.5, −1.5);
/// ΣA·y = 2, ΣB·y = 4, ΣA² = ΣB² = 4, Σy² = 5, so `r_A` = 2/√20 = 0.447214 and
/// `r_B` = 4/√20 = 0.894427; uncorrelated touchpoints have betas equal to their r and weights
/// equal to r²: 0.2 and 0.8, R² = 1. Slopes (overall per point): 0.5 and 1. n(A) = 5 with
/// mean (2+2+0+0+4)/5 = 1.6; n(B) = 4, mean 1.
const SURVEY: &str = "id,A,B,overall,comment\n\
                      1,2,2,4,fine\n\
                      2,2,0,2,\n\
                      3,0,2,3,\"slow, then ok\"\n\
                      4,0,0,1,\n\
                      5,4,,5,skipped B\n";

#[test]
fn uncorrelated_touchpoints_weigh_their_squared_correlations() {
    let (doc, a, b) = map();
    let p = drivers::prepare(&doc, SURVEY, "survey.csv", "overall").unwrap();
    assert_eq!(p.respondents, 5);
    assert_eq!(p.unmatched, ["id", "comment"]);
    assert_eq!(p.columns.len(), 2);
    // "B" matches the touchpoint, not the action with the same text.
    assert_eq!(p.columns[1].card, b);
    let fit = drivers::fit(&p).unwrap();
    assert_eq!(
        fit.n, 4,
        "the model uses respondents who answered everything"
    );
    assert!(close(fit.r2, 1.0, 1e-9));
    let (first, second) = (&fit.drivers[0], &fit.drivers[1]);
    assert_eq!((first.card, second.card), (b, a), "ranked by weight");
    assert!(close(first.weight, 0.8, 1e-9) && close(second.weight, 0.2, 1e-9));
    assert!(close(first.share, 80.0, 1e-7));
    assert!(close(first.r, 4.0 / 20f64.sqrt(), 1e-9));
    assert!(close(second.r, 2.0 / 20f64.sqrt(), 1e-9));
    assert!(close(first.beta, first.r, 1e-9) && close(second.beta, second.r, 1e-9));
    assert!(close(first.slope, 1.0, 1e-9) && close(second.slope, 0.5, 1e-9));
    assert_eq!((second.n, first.n), (5, 4));
    assert!(close(second.mean, 1.6, 1e-12) && close(first.mean, 1.0, 1e-12));
    // What if B's mean rose by 0.5, and both by 1: +0.5 and +1.5.
    assert!(close(
        drivers::what_if(&fit, None, &[(b, 0.5)]).change,
        0.5,
        1e-9
    ));
    assert!(close(
        drivers::what_if(&fit, None, &[(a, 1.0), (b, 1.0)]).change,
        1.5,
        1e-9
    ));
}

#[test]
fn the_bootstrap_is_seeded_and_does_not_depend_on_threads() {
    let (doc, _, _) = map();
    let text = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/surprise-bill-survey.csv"),
    )
    .unwrap();
    let (sample, _) = journeymap::io::load(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/surprise-bill.journeymap.json"),
    )
    .unwrap();
    drop(doc);
    let p = drivers::prepare(&sample, &text, "survey.csv", "overall").unwrap();
    let one = drivers::bootstrap(&p, 200, 42, 1, &Progress::default());
    let two = drivers::bootstrap(&p, 200, 42, 2, &Progress::default());
    let other = drivers::bootstrap(&p, 200, 43, 2, &Progress::default());
    assert_eq!(one.weights, two.weights);
    assert_ne!(one.weights, other.weights);
    let mut fit = drivers::fit(&p).unwrap();
    drivers::add_intervals(&mut fit, &one);
    for d in &fit.drivers {
        let (lo, hi) = (d.low.unwrap(), d.high.unwrap());
        assert!(lo <= hi && lo >= 0.0 && hi <= 1.0, "{d:?}");
        assert!(lo <= d.weight * 1.5 && hi >= d.weight * 0.5, "{d:?}");
    }
    // The weights add up to R².
    let sum: f64 = fit.drivers.iter().map(|d| d.weight).sum();
    assert!(close(sum, fit.r2, 1e-9));
    // Stopping early stops.
    let stop = Progress::default();
    stop.cancel
        .store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(drivers::bootstrap(&p, 200, 42, 2, &stop).weights.is_empty());
}

#[test]
fn bad_surveys_are_refused_with_row_and_column() {
    let (doc, _, _) = map();
    let err = |text: &str, overall: &str| {
        drivers::prepare(&doc, text, "s.csv", overall)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    assert!(err("A,B,overall\n1,2,3\n1,x,2\n", "overall").contains("row 3, column B (B)"));
    assert!(err("A,B,score\n1,2,3\n", "overall").contains("no \u{201c}overall\u{201d} column"));
    assert!(err("", "overall").contains("empty"));
    // `--overall NAME` picks another column.
    assert!(drivers::prepare(&doc, "A,B,score\n1,2,3\n", "s.csv", "Score").is_ok());
    // Too few respondents for the model.
    let p = drivers::prepare(&doc, "A,B,overall\n1,2,3\n2,1,3\n", "s.csv", "overall").unwrap();
    assert!(drivers::fit(&p).unwrap_err().contains("at least 4"));
    // A column everyone scored the same is left out with a warning.
    let p = drivers::prepare(
        &doc,
        "A,B,overall\n1,3,1\n2,3,2\n3,3,2\n4,3,4\n5,3,5\n",
        "s.csv",
        "overall",
    )
    .unwrap();
    assert_eq!(p.columns.len(), 1);
    assert_eq!(p.excluded, ["B"]);
    assert!(drivers::fit(&p).is_ok());
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_journeymap"))
}

#[test]
fn the_command_prints_json_and_applies_metrics() {
    let dir = std::env::temp_dir().join(format!("jm-drivers-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (doc, a, b) = map();
    let map_path = dir.join("map.json");
    journeymap::io::save_atomic(&map_path, &doc).unwrap();
    let survey = dir.join("survey.csv");
    let header = format!("card:{},overall", b.0);
    std::fs::write(&survey, SURVEY.replace("B,overall", &header)).unwrap();
    let out_path = dir.join("with-importance.json");
    let out = bin()
        .arg("drivers")
        .arg(&map_path)
        .arg(&survey)
        .args(["--json", "--bootstrap", "50", "--apply"])
        .arg(&out_path)
        .args(["--what-if", "A=1"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(close(v["r2"].as_f64().unwrap(), 1.0, 1e-9));
    assert_eq!(v["n"], 4);
    assert_eq!(v["unmatched"], serde_json::json!(["id", "comment"]));
    let tps = v["touchpoints"].as_array().unwrap();
    assert_eq!(tps[0]["card"], b.0, "card:ID matched B");
    assert!(close(tps[0]["weight"].as_f64().unwrap(), 0.8, 1e-9));
    for key in ["text", "n", "mean", "r", "beta", "weight", "low", "high"] {
        assert!(tps[1].get(key).is_some(), "{key}");
    }
    assert!(close(v["what_if"]["change"].as_f64().unwrap(), 0.5, 1e-9));
    let (applied, _) = journeymap::io::load(&out_path).unwrap();
    let card = applied.card(a).unwrap();
    assert!(close(card.metric("importance").unwrap(), 0.2, 1e-9));
    assert!(close(card.metric("score").unwrap(), 1.6, 1e-12));

    // The table names the ranking and R².
    let out = bin()
        .arg("drivers")
        .arg(&map_path)
        .arg(&survey)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("R² = 1.000 from 4 respondents"), "{text}");
    assert!(
        text.contains("Not touchpoints of the map: id, comment"),
        "{text}"
    );
    // A bad score: exit 1 with row and column, nothing written.
    std::fs::write(&survey, "A,overall\n1,2\nlots,3\n").unwrap();
    let gone = dir.join("never.json");
    let out = bin()
        .arg("drivers")
        .arg(&map_path)
        .arg(&survey)
        .arg("--apply")
        .arg(&gone)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("row 3, column A")
    );
    assert!(!gone.exists());
    let _ = std::fs::remove_dir_all(&dir);
}
