//! Driver analysis against numbers worked out by hand (never by this code), and the
//! `journeymap drivers` command.
#![allow(
    clippy::unwrap_used,
    clippy::float_cmp,
    reason = "test helpers fail loudly; allow-unwrap-in-tests covers only #[test] bodies"
)]

use std::path::PathBuf;
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
    let mut ids = journeymap::model::IdGen::from(doc.unused_id());
    let a = CardId(ids.next_id());
    let b = CardId(ids.next_id());
    let other = CardId(ids.next_id());
    doc.cards
        .push(Arc::new(Card::new(other, stage, actions, "B")));
    doc.cards.push(Arc::new(Card::new(a, stage, lane, "A")));
    doc.cards.push(Arc::new(Card::new(b, stage, lane, "B")));
    doc.normalize();
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
    // Two overall columns: which one? Said, not guessed.
    let e = err("A,overall,B,OVERALL\n1,2,3,4\n", "overall");
    assert!(
        e.contains("columns B (\u{201c}overall\u{201d}) and D"),
        "{e}"
    );
    // An unquoted decimal comma splits a score in two: refused with its row.
    let e = err("A,B,overall\n1,2,3\n1,3,5,4\n", "overall");
    assert!(
        e.contains("row 3 has 4 cells but the header names 3 columns"),
        "{e}"
    );
    // A survey is not a map: its errors do not say "invalid map".
    assert!(!e.contains("invalid map"), "{e}");
    // A quote never closed.
    assert!(err("A,B,overall\n1,\"2,3\n", "overall").contains("never closed"));
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

#[test]
fn the_command_prints_json_and_applies_metrics() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (doc, a, b) = map();
    let map_path = dir.join("map.json");
    journeymap::io::save_atomic(&map_path, &doc).unwrap();
    let survey = dir.join("survey.csv");
    let header = format!("card:{},overall", b.0);
    std::fs::write(&survey, SURVEY.replace("B,overall", &header)).unwrap();
    let out_path = dir.join("with-importance.json");
    let out = common::bin()
        .arg("drivers")
        .arg(&map_path)
        .arg(&survey)
        .args(["--json", "--bootstrap", "100", "--apply"])
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

    // One replicate gives no interval; a million would take gigabytes; a what-if of 1e308
    // says nothing: each refused with the sentence why.
    for (args, wanted) in [
        (["--bootstrap", "1"], "0 (no intervals) or 100 to 100000"),
        (
            ["--bootstrap", "5000000"],
            "0 (no intervals) or 100 to 100000",
        ),
        (["--what-if", "A=1e308"], "a change of at most 1000 points"),
    ] {
        let out = common::bin()
            .arg("drivers")
            .arg(&map_path)
            .arg(&survey)
            .args(args)
            .output()
            .unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains(wanted), "{args:?}: {err}");
    }

    // The table names the ranking and R².
    let out = common::bin()
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
    let out = common::bin()
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
}

use crate::common;
use egui_kittest::kittest::Queryable as _;

/// Runs frames until the survey being read is read (it is read on another thread).
fn wait_for_survey(h: &mut egui_kittest::Harness<'_, journeymap::ui::App>) {
    for _ in 0..1_000 {
        if !h.state().survey_loading() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        h.run_steps(1);
    }
    assert!(!h.state().survey_loading(), "the survey was read");
    h.run_steps(3);
}

/// A big survey is read off the UI thread (issue 19, item 7): the window keeps drawing
/// frames, says what it is doing after half a second, and Cancel stops the read and leaves
/// the map as it was with no panel.
#[test]
fn a_big_survey_is_read_off_the_ui_thread_and_can_be_cancelled() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    // The sample's survey, its 240 respondents answering 2,000 times over (480,000 rows).
    let text = std::fs::read_to_string(root.join("examples/surprise-bill-survey.csv")).unwrap();
    let (header, rows) = text.split_once('\n').unwrap();
    let mut csv = format!("{header}\n");
    for _ in 0..2_000 {
        csv.push_str(rows);
    }
    let survey = tmp.path().join("big.csv");
    std::fs::write(&survey, csv).unwrap();

    let mut h = common::ready();
    let before = h.state().doc().clone();
    let started = std::time::Instant::now();
    h.state_mut().load_survey(&survey, "overall");
    // It returned at once: the read goes on while frames are drawn.
    assert!(h.state().survey_loading());
    assert!(h.state().drivers().is_none());
    std::thread::sleep(std::time::Duration::from_millis(600));
    h.run_steps(2);
    assert!(
        h.state().survey_loading(),
        "the read took {:?}: too fast for this test",
        started.elapsed()
    );
    h.get_by_label_contains("and fitting the model");
    h.get_by_label("Cancel").click();
    h.run_steps(2);
    assert!(!h.state().survey_loading());
    assert!(h.query_by_label_contains("and fitting the model").is_none());
    assert!(
        h.state()
            .status()
            .is_some_and(|s| s.contains("Stopped reading"))
    );
    // Nothing arrives later.
    std::thread::sleep(std::time::Duration::from_millis(300));
    h.run_steps(2);
    assert!(h.state().drivers().is_none());
    assert_eq!(h.state().doc(), &before);
}

/// The read stops soon after it is told to (the window's Cancel), with a reason.
#[test]
fn a_survey_read_stops_when_told() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let (doc, _) =
        journeymap::io::load(&root.join("examples/surprise-bill.journeymap.json")).unwrap();
    let text = std::fs::read_to_string(root.join("examples/surprise-bill-survey.csv")).unwrap();
    let stop = std::sync::atomic::AtomicBool::new(true);
    let e = drivers::prepare_until(&doc, &text, "s.csv", "overall", &stop).unwrap_err();
    assert!(e.to_string().contains("stopped"), "{e}");
    let go = std::sync::atomic::AtomicBool::new(false);
    assert!(drivers::prepare_until(&doc, &text, "s.csv", "overall", &go).is_ok());
}

#[test]
fn the_drivers_panel_ranks_writes_importance_and_colours_the_map() {
    use egui::{Key, Modifiers};
    let mut h = common::ready();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    // Data → Import survey… (typed path: no file dialog in tests), with the wrong overall
    // column first: the dialog says so and lets it be named.
    h.get_by_label("Data").click();
    h.run_steps(2);
    h.get_by_label_contains("Import survey").click();
    h.run_steps(2);
    let survey = root.join("examples/surprise-bill-survey.csv");
    common::type_text(&mut h, &survey.display().to_string());
    common::key(&mut h, Modifiers::NONE, Key::Tab);
    for _ in 0..7 {
        common::key(&mut h, Modifiers::NONE, Key::Backspace);
    }
    common::type_text(&mut h, "satisfaction");
    common::key(&mut h, Modifiers::NONE, Key::Enter);
    wait_for_survey(&mut h);
    h.get_by_label_contains("no \u{201c}satisfaction\u{201d} column");
    assert!(h.state().drivers().is_none());
    for _ in 0.."satisfaction".len() {
        common::key(&mut h, Modifiers::NONE, Key::Backspace);
    }
    common::type_text(&mut h, "overall");
    common::key(&mut h, Modifiers::NONE, Key::Enter);
    wait_for_survey(&mut h);
    let (fit, _) = h.state().drivers().unwrap();
    assert_eq!(fit.drivers[0].text, "First bill");
    assert_eq!(fit.drivers.len(), 12);
    h.get_by_label("Which touchpoints matter");
    // The bootstrap runs off the UI thread; the panel shows its intervals when done.
    for _ in 0..600 {
        if !h.state().drivers().unwrap().1 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.run_steps(1);
    }
    assert!(!h.state().drivers().unwrap().1, "the bootstrap finished");
    assert!(h.state().drivers().unwrap().0.drivers[0].low.is_some());
    h.run_steps(2);
    // Plain words, not r and beta; the buttons above the table, in sight without scrolling.
    h.get_by_label("How much it drives overall");
    assert!(h.query_by_label("Beta").is_none() && h.query_by_label("r").is_none());
    let button = h
        .get_by_label("Write importance and score onto the cards")
        .rect();
    let table = h.get_by_label("How much it drives overall").rect();
    assert!(button.max.y < table.min.y, "{button:?} {table:?}");

    // Write importance and score onto the cards: one undoable step.
    let before = h.state().doc().clone();
    h.get_by_label("Write importance and score onto the cards")
        .scroll_to_me();
    h.run_steps(3);
    h.get_by_label("Write importance and score onto the cards")
        .click();
    h.run_steps(3);
    let first_bill = h
        .state()
        .doc()
        .cards
        .iter()
        .find(|c| c.text == "First bill")
        .unwrap()
        .clone();
    let fit = h.state().drivers().unwrap().0.clone();
    assert_eq!(first_bill.metric("importance"), Some(fit.drivers[0].weight));
    assert_eq!(first_bill.metric("score"), Some(fit.drivers[0].mean));
    common::key(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(h.state().doc().cards, before.cards, "undo takes them back");
    h.get_by_label("Colour the map by importance")
        .scroll_to_me();
    h.run_steps(3);
    h.get_by_label("Colour the map by importance").click();
    h.run_steps(3);
    assert_eq!(
        *h.state().colour_by(),
        journeymap::render::ColourBy::Metric("importance".into())
    );
    assert!(
        h.state()
            .doc()
            .cards
            .iter()
            .any(|c| c.metric("importance").is_some())
    );
}

#[test]
fn exports_draw_the_chart_when_asked() {
    use journeymap::export::{Format, Options, Size};
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let (mut doc, _) =
        journeymap::io::load(&root.join("examples/surprise-bill.journeymap.json")).unwrap();
    let text = std::fs::read_to_string(root.join("examples/surprise-bill-survey.csv")).unwrap();
    let p = drivers::prepare(&doc, &text, "survey.csv", "overall").unwrap();
    let fit = drivers::fit(&p).unwrap();
    drivers::apply(&mut doc, &fit);
    let svg = |doc: &Document, chart: bool| {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let path = dir.join("map.svg");
        let opts = Options {
            format: Format::Svg,
            size: Size::Scale(1.0),
            view: journeymap::view::View::default().with_chart(chart),
            ..Options::default()
        };
        let meta = journeymap::render::ExportMeta {
            file_name: "map.json".into(),
            date: "2026-11-25".into(),
        };
        journeymap::export::export(doc, &meta, &opts, &path, &|_| {}).unwrap();
        std::fs::read_to_string(&path).unwrap()
    };
    assert!(!svg(&doc, false).contains("class=\"chart\""));
    let with = svg(&doc, true);
    let tree = roxmltree::Document::parse(&with).unwrap();
    let chart = tree
        .descendants()
        .find(|n| n.attribute("class") == Some("chart"))
        .expect("a chart group");
    // Text y of a label inside the chart.
    let y_of = |label: &str| -> f64 {
        chart
            .descendants()
            .find(|n| n.is_element() && n.text() == Some(label))
            .and_then(|n| n.attribute("y"))
            .unwrap_or_else(|| panic!("{label} in the chart"))
            .parse()
            .unwrap()
    };
    for q in [
        "Concentrate here",
        "Keep up the good work",
        "Low priority",
        "Possible overkill",
    ] {
        y_of(q);
    }
    // The most important touchpoint sits highest, the least important lowest.
    let top = &fit.drivers[0].text;
    let bottom = &fit.drivers[fit.drivers.len() - 1].text;
    assert!(y_of(top) < y_of("Agent call") && y_of("Agent call") < y_of(bottom));
    // A map without importance has no chart even when asked.
    let (plain, _) =
        journeymap::io::load(&root.join("examples/surprise-bill.journeymap.json")).unwrap();
    assert!(!svg(&plain, true).contains("class=\"chart\""));
}

#[test]
fn survey_limits_are_refused_clearly() {
    let (doc, _, _) = map();
    // More columns than a survey may have.
    let header: Vec<String> = (0..=drivers::MAX_COLUMNS)
        .map(|i| format!("c{i}"))
        .collect();
    let text = format!("{},overall\n", header.join(","));
    let e = drivers::prepare(&doc, &text, "wide.csv", "overall").unwrap_err();
    assert!(e.to_string().contains("at most 2000"), "{e}");
    // More respondents than are read: refused when the limit is passed, not after reading all.
    let mut text = String::from("A,overall\n");
    for _ in 0..=drivers::MAX_RESPONDENTS {
        text.push_str("1,2\n");
    }
    let e = drivers::prepare(&doc, &text, "long.csv", "overall").unwrap_err();
    assert!(
        e.to_string()
            .contains("row 1000002: more than 1,000,000 respondents"),
        "{e}"
    );
}

/// Each way a survey can leave the model empty says its own cause, with the column: not "no
/// survey column matches a touchpoint" or "overall does not vary" for all of them.
#[test]
fn a_survey_the_model_cannot_use_says_why() {
    let (doc, _, _) = map();
    let fit_error = |text: &str| -> String {
        match drivers::prepare(&doc, text, "s.csv", "overall") {
            Ok(p) => drivers::fit(&p).unwrap_err(),
            Err(e) => e.to_string(),
        }
    };
    // One respondent: too few, not "no column matches".
    let e = fit_error("A,B,overall\n1,2,3\n");
    assert!(
        e.contains("1 respondent answered") && e.contains("at least 4"),
        "{e}"
    );
    // Overall blank in every row.
    let e = fit_error("A,B,overall\n1,2,\n2,3,\n3,1,\n4,4,\n5,5,\n");
    assert!(
        e.contains("column C (\u{201c}overall\u{201d}, the overall score) is blank in every row"),
        "{e}"
    );
    // A touchpoint column nobody answered is left out, and the other one is fitted.
    let p = drivers::prepare(
        &doc,
        "A,B,overall\n1,,1\n2,,2\n3,,2\n4,,4\n5,,5\n",
        "s.csv",
        "overall",
    )
    .unwrap();
    assert_eq!(p.excluded, ["B"]);
    assert!(
        p.warnings
            .iter()
            .any(|w| w.contains("column B (\u{201c}B\u{201d}) is blank in every row")),
        "{:?}",
        p.warnings
    );
    assert!(drivers::fit(&p).is_ok());
    // Both touchpoints blank: said so, with the columns.
    let e = fit_error("A,B,overall\n,,1\n,,2\n,,3\n");
    assert!(
        e.contains("every survey column that matches a touchpoint was left out")
            && e.contains("A, B"),
        "{e}"
    );
    // An overall everyone gave the same score.
    let e = fit_error("A,B,overall\n1,2,3\n2,1,3\n3,3,3\n4,5,3\n5,4,3\n");
    assert!(
        e.contains("\u{201c}overall\u{201d} (the overall score) is the same for every respondent"),
        "{e}"
    );
    // Scores far outside any scale are refused by row and column, not "does not vary".
    let e = fit_error("A,B,overall\n1,2,3\n1e300,2,4\n3,1,5\n4,4,1\n5,5,2\n");
    assert!(
        e.contains("row 3, column A (A): \u{201c}1e300\u{201d} is too large for a score"),
        "{e}"
    );
}

#[test]
fn chart_labels_cover_no_dot_and_no_other_label() {
    use journeymap::render::Item;
    use journeymap::render::chart::{ChartPoint, chart};
    use journeymap::theme::ThemeKind;
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let (doc, _) =
        journeymap::io::load(&root.join("examples/surprise-bill.journeymap.json")).unwrap();
    let text = std::fs::read_to_string(root.join("examples/surprise-bill-survey.csv")).unwrap();
    let p = drivers::prepare(&doc, &text, "survey.csv", "overall").unwrap();
    let fit = drivers::fit(&p).unwrap();
    let points: Vec<ChartPoint> = fit
        .drivers
        .iter()
        .map(|d| ChartPoint {
            label: d.text.clone(),
            score: d.mean,
            importance: d.weight,
        })
        .collect();
    let theme = journeymap::theme::Theme::get(ThemeKind::Light);
    let overlap = |a: &journeymap::geom::Rect, b: &journeymap::geom::Rect| {
        (a.max.x.min(b.max.x) - a.min.x.max(b.min.x)).max(0.0)
            * (a.max.y.min(b.max.y) - a.min.y.max(b.min.y)).max(0.0)
    };
    // From the narrowest drivers panel to an export's chart.
    for w in [360.0, 420.0, 480.0, 560.0, 700.0, 900.0] {
        let (items, _) = chart(&points, &theme, w);
        let dots: Vec<_> = items
            .iter()
            .filter(|(_, i)| matches!(i, Item::Circle { .. }))
            .map(|(b, _)| b.expand(-1.0))
            .collect();
        assert_eq!(dots.len(), points.len());
        let labels: Vec<_> = items
            .iter()
            .filter(|(_, i)| {
                matches!(i, Item::Text { text, .. } if points.iter().any(|p| p.label == **text))
            })
            .map(|(b, _)| *b)
            .collect();
        assert_eq!(
            labels.len(),
            points.len(),
            "every touchpoint is labelled at {w}"
        );
        for (i, a) in labels.iter().enumerate() {
            for d in &dots {
                assert!(
                    overlap(a, d) < 0.5,
                    "a label covers a dot at width {w}: {a:?} {d:?}"
                );
            }
            for b in &labels[i + 1..] {
                assert!(
                    overlap(a, b) < 0.5,
                    "two labels overlap at width {w}: {a:?} {b:?}"
                );
            }
        }
    }
}
