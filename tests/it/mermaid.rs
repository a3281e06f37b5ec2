//! Mermaid `journey` text in and out, against Mermaid's own diagrams (`tests/fixtures/mermaid`,
//! copied from mermaid-js/mermaid with a table of what Mermaid itself reads from each).
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::float_cmp,
    reason = "test helpers fail loudly; allow-unwrap-in-tests covers only #[test] bodies"
)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use journeymap::io::mermaid;
use journeymap::model::{CurveKind, Document};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mermaid")
}

/// One row of the fixtures' README table: what Mermaid reads from a file.
struct Expected {
    file: String,
    title: String,
    sections: usize,
    tasks: usize,
    actors: BTreeSet<String>,
    outside: String,
}

/// `'a', 'b'` → {"a", "b"}; an empty cell → {}.
fn quoted_list(cell: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = cell.trim();
    while let Some(start) = rest.find('\'') {
        let after = &rest[start + 1..];
        let end = after.find('\'').unwrap();
        out.insert(after[..end].to_owned());
        rest = &after[end + 1..];
    }
    out
}

fn table() -> Vec<Expected> {
    let readme = std::fs::read_to_string(fixtures().join("README.md")).unwrap();
    let rows: Vec<Expected> = readme
        .lines()
        .filter(|l| l.starts_with("| 0"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            // | file | Mermaid | title | sections | tasks | actors | outside |
            assert_eq!(cells[2], "accepted", "{l}");
            let title = cells[3];
            Expected {
                file: cells[1].to_owned(),
                title: title[1..title.len() - 1].to_owned(),
                sections: cells[4].parse().unwrap(),
                tasks: cells[5].parse().unwrap(),
                actors: quoted_list(cells[6]),
                outside: cells[7].to_owned(),
            }
        })
        .collect();
    assert_eq!(rows.len(), 27, "the table lists every fixture");
    rows
}

#[test]
fn every_fixture_reads_as_mermaid_reads_it() {
    for e in table() {
        let text = std::fs::read_to_string(fixtures().join(&e.file)).unwrap();
        let j = mermaid::parse(&text, &e.file).unwrap_or_else(|err| panic!("{}: {err}", e.file));
        assert_eq!(j.title, e.title, "{}: title", e.file);
        assert_eq!(j.sections.len(), e.sections, "{}: sections", e.file);
        let tasks: Vec<&mermaid::Task> = j.sections.iter().flat_map(|s| &s.tasks).collect();
        assert_eq!(tasks.len(), e.tasks, "{}: tasks", e.file);
        let actors: BTreeSet<String> = tasks.iter().flat_map(|t| t.actors.clone()).collect();
        assert_eq!(actors, e.actors, "{}: actors", e.file);
        // "name=score" for each score outside 1..5 or not a number.
        let outside: Vec<String> = tasks
            .iter()
            .filter(|t| !t.score.is_some_and(|s| (1.0..=5.0).contains(&s)))
            .map(|t| match t.score {
                Some(s) => format!("{}={s}", t.name),
                None => format!("{}=NaN", t.name),
            })
            .collect();
        assert_eq!(
            outside.join(", "),
            e.outside,
            "{}: scores outside 1..5",
            e.file
        );
    }
}

/// Per card of the Actions lane, in stage order: (stage, text, actors, score on 1..5 from the
/// point at the card's place in its stage, if there is one).
type Row = (String, String, Vec<String>, Option<i64>);

fn rows(doc: &Document) -> Vec<Row> {
    let curve = doc.emotion.first_of(CurveKind::Perceived).unwrap();
    let (lo, hi) = (
        f64::from(doc.emotion.scale.min),
        f64::from(doc.emotion.scale.max),
    );
    let mut out = Vec::new();
    for stage in &doc.stages {
        let cards: Vec<_> = doc.cards.iter().filter(|c| c.stage == stage.id).collect();
        for (k, card) in cards.iter().enumerate() {
            let at = (k as f32 + 0.5) / cards.len() as f32;
            // A task's score is the point tied to its card, in its stage at its place.
            let score = curve
                .points
                .iter()
                .find(|p| p.card == Some(card.id))
                .inspect(|p| {
                    assert_eq!(p.stage, stage.id, "{}", card.text);
                    assert!((p.offset - at).abs() < 1e-4, "{}", card.text);
                })
                .map(|p| ((f64::from(p.value) - lo) / (hi - lo) * 4.0 + 1.0) * 100.0)
                .map(|s| s.round() as i64);
            let actors = card
                .personas
                .iter()
                .map(|id| {
                    doc.personas
                        .iter()
                        .find(|p| p.id == *id)
                        .unwrap()
                        .name
                        .clone()
                })
                .collect();
            out.push((stage.name.clone(), card.text.clone(), actors, score));
        }
    }
    out
}

#[test]
fn import_export_import_keeps_title_sections_tasks_scores_and_actors() {
    for e in table() {
        let text = std::fs::read_to_string(fixtures().join(&e.file)).unwrap();
        let first = mermaid::import(&text, &e.file).unwrap().doc;
        assert_eq!(first.stages.len(), e.sections, "{}", e.file);
        assert_eq!(first.cards.len(), e.tasks, "{}", e.file);
        let out = mermaid::export(&first);
        let again = mermaid::import(&out, "again.mmd").unwrap_or_else(|err| {
            panic!("{}: the export does not read back: {err}\n{out}", e.file)
        });
        assert!(
            again.warnings.is_empty(),
            "{}: {:?}",
            e.file,
            again.warnings
        );
        let second = again.doc;
        assert_eq!(second.title, first.title, "{}\n{out}", e.file);
        let (a, b) = (rows(&first), rows(&second));
        assert_eq!(a.len(), b.len(), "{}", e.file);
        // Every task comes back with its score, and a task without one (its score was not
        // a number) without one: no score is made up.
        assert_eq!(a, b, "{}\n{out}", e.file);
        assert_eq!(
            second.emotion.curves[0].points.len(),
            first.emotion.curves[0].points.len(),
            "{}: points added\n{out}",
            e.file
        );
        // A fixed point: exporting the map read back writes the same text.
        assert_eq!(mermaid::export(&second), out, "{}", e.file);
        let personas = |d: &Document| -> BTreeSet<String> {
            d.personas.iter().map(|p| p.name.clone()).collect()
        };
        assert_eq!(personas(&second), personas(&first), "{}", e.file);
        assert_eq!(personas(&first), e.actors, "{}", e.file);
    }
}

#[test]
fn scores_map_onto_the_scale_and_odd_ones_are_warned_about_by_line() {
    let read = |name: &str| {
        let text = std::fs::read_to_string(fixtures().join(name)).unwrap();
        mermaid::import(&text, name).unwrap()
    };
    // 5 is the top of the scale, 1 the bottom, 3 the middle.
    let working = read("001_mermaid-docs-my-working-day.mmd");
    let scale = &working.doc.emotion.scale;
    let values: Vec<f32> = working.doc.emotion.curves[0]
        .points
        .iter()
        .map(|p| p.value)
        .collect();
    // Make tea 5, Go upstairs 3, Do work 1, Go downstairs 5, Sit down 5.
    let (lo, hi) = (scale.min as f32, scale.max as f32);
    assert_eq!(values, [hi, f32::midpoint(lo, hi), lo, hi, hi]);
    assert!(working.warnings.is_empty(), "{:?}", working.warnings);

    let negative = read("025_mermaid-cypress-score-negative.mmd");
    assert_eq!(negative.warnings.len(), 1, "{:?}", negative.warnings);
    assert!(
        negative.warnings[0].contains("025_mermaid-cypress-score-negative.mmd:4:")
            && negative.warnings[0].contains("-10")
            && negative.warnings[0].contains("Make tea"),
        "{}",
        negative.warnings[0]
    );
    assert_eq!(negative.doc.emotion.curves[0].points[0].value, lo);
    let above = read("026_mermaid-cypress-score-above-5.mmd");
    assert!(above.warnings[0].contains(":4:") && above.warnings[0].contains("23"));
    assert_eq!(above.doc.emotion.curves[0].points[0].value, hi);
    // Not a number: the card is there, without a point, and the warning says so.
    let nan = read("024_mermaid-cypress-score-non-integer-hello.mmd");
    assert_eq!(nan.doc.cards.len(), 4);
    assert_eq!(nan.doc.emotion.curves[0].points.len(), 3);
    assert!(
        nan.warnings[0].contains(":7:") && nan.warnings[0].contains("Hello"),
        "{:?}",
        nan.warnings
    );
    // Actors are personas, kept on the cards.
    let shopping = read("005_mermaid-platform-go-shopping.mmd");
    assert_eq!(shopping.doc.personas.len(), 4);
    assert!(shopping.doc.cards.iter().all(|c| !c.personas.is_empty()));
}

#[test]
fn the_command_line_imports_and_exports_mermaid() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let input = fixtures().join("025_mermaid-cypress-score-negative.mmd");
    let map = dir.join("map.json");
    let out = common::bin()
        .args(["import"])
        .arg(&input)
        .arg("-o")
        .arg(&map)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("warning:") && stderr.contains(":4:"),
        "{stderr}"
    );
    let (doc, _) = journeymap::io::load(&map).unwrap();
    assert_eq!(doc.cards.len(), 4);

    let mmd = dir.join("back.mmd");
    let out = common::bin()
        .arg("export")
        .arg(&map)
        .arg(&mmd)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = std::fs::read_to_string(&mmd).unwrap();
    assert!(text.starts_with("journey\n"), "{text}");
    let back = mermaid::parse(&text, "back.mmd").unwrap();
    assert_eq!(back.sections.len(), 2);
    assert_eq!(back.sections[0].tasks[0].name, "Make tea");
    assert_eq!(back.sections[0].tasks[0].score, Some(1.0));

    // Text Mermaid rejects: an error with line and column, exit 1, nothing written.
    let bad = dir.join("bad.mmd");
    std::fs::write(&bad, "journey\n  section Work\n    Make tea 5 Me\n").unwrap();
    let target = dir.join("bad.json");
    let out = common::bin()
        .arg("import")
        .arg(&bad)
        .arg("-o")
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("bad.mmd:3:"), "{err}");
    assert!(!target.exists());
    // The input as output is refused.
    let out = common::bin()
        .arg("import")
        .arg(&input)
        .arg("-o")
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        std::fs::read_to_string(&input)
            .unwrap()
            .contains("Make tea")
    );
}

use crate::common;
use egui_kittest::kittest::Queryable as _;

#[test]
fn file_import_reads_a_mermaid_journey_into_a_new_unsaved_map() {
    use egui::{Key, Modifiers};
    let mut h = common::ready();
    let before = h.state().doc().title.clone();
    // File → Import… (no file dialog in tests: the path is typed).
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label_contains("Import…").click();
    h.run_steps(2);
    // A file Mermaid rejects: the error names line and column, the open map stays.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let bad = dir.join("bad.mmd");
    std::fs::write(&bad, "journey\nsection A\nTask without a score\n").unwrap();
    common::type_text(&mut h, &bad.display().to_string());
    common::key(&mut h, Modifiers::NONE, Key::Enter);
    h.run_steps(3);
    h.get_by_label_contains("bad.mmd:3:");
    assert_eq!(h.state().doc().title, before);
    h.get_by_label("OK").click();
    h.run_steps(2);

    // A good one, with a score outside 1..5: imported, the warning shown, the map unsaved.
    common::key(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::I);
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("Path of a Mermaid journey")
            .is_some(),
        "Ctrl+Shift+I opens Import"
    );
    let file = fixtures().join("026_mermaid-cypress-score-above-5.mmd");
    common::type_text(&mut h, &file.display().to_string());
    common::key(&mut h, Modifiers::NONE, Key::Enter);
    h.run_steps(3);
    assert_ne!(h.state().doc().title, before, "{:?}", h.state().status());
    assert_eq!(h.state().doc().cards.len(), 4);
    assert_eq!(h.state().doc().stages.len(), 2);
    assert!(h.state().is_dirty(), "an imported map is not saved yet");
    h.get_by_label_contains("Imported, with 1 warning");
    h.get_by_label_contains("outside 1..5");
    h.get_by_label("OK").click();
    h.run_steps(2);
    // The actors are personas kept on the cards: the inspector toggles them.
    h.run_steps(4);
    let card = h.state().doc().cards[1].clone();
    assert_eq!(card.personas.len(), 1);
    let at = common::card_center(&h, card.id);
    common::click(&mut h, at);
    // The side panel's toggle (the persona strip above the map names "Me" too).
    h.get_all_by_label("Me")
        .max_by(|a, b| a.rect().min.x.total_cmp(&b.rect().min.x))
        .unwrap()
        .click();
    h.run_steps(3);
    assert!(h.state().doc().card(card.id).unwrap().personas.is_empty());
    common::key(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(h.state().doc().card(card.id).unwrap().personas.len(), 1);
    // Undo does not bring back the old map piecemeal: the import is a new document.
    common::key(&mut h, Modifiers::COMMAND, Key::Z);
    common::key(&mut h, Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().doc().cards.len(), 4);
}

#[test]
fn old_mac_line_ends_are_line_ends() {
    let lf = "journey\n  title Mac\n  section Find\n    Search: 3: Me\n    Call: 1: Me\n";
    let cr = lf.replace('\n', "\r");
    let a = mermaid::import(lf, "lf.mmd").unwrap().doc;
    let b = mermaid::import(&cr, "cr.mmd").unwrap().doc;
    assert_eq!(b.title, "Mac");
    assert_eq!(b.cards.len(), a.cards.len());
    assert_eq!(b.cards.len(), 2);
}

#[test]
fn an_empty_score_is_said_to_be_empty() {
    let t = "journey\n  section S\n    Task: : Me\n";
    let w = mermaid::import(t, "e.mmd").unwrap().warnings;
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("is empty (Mermaid reads it as 0)"), "{w:?}");
    assert!(!w[0].contains("is ,"), "{w:?}");
}

/// A task's score is tied to its card (issue 18, item 17): in the window, hovering the point
/// names its task and the point's accessible node says whom it was given for; a task without
/// a score keeps none, on export too.
#[test]
fn a_tasks_point_is_tied_to_its_card_in_the_window() {
    use egui_kittest::kittest::{NodeT as _, Queryable as _};
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("tea.mmd");
    std::fs::write(
        &file,
        "journey\n  title Tea\n  section Morning\n    Make tea: Hello: Me\n    Go upstairs: 2: Me\n    Sit down: 5: Me\n",
    )
    .unwrap();
    let mut h = common::harness(Some(file));
    h.run_steps(3);
    // "Hello" is not a number: the import says so.
    h.get_by_label_contains("not a number");
    h.get_by_label("OK").click();
    h.run_steps(2);
    common::reset_view(&mut h);
    let doc = h.state().doc().clone();
    let up = common::card_by_text(&h, "Go upstairs");
    let point = doc.emotion.curves[0]
        .points
        .iter()
        .find(|p| p.card == Some(up.id))
        .unwrap()
        .clone();
    // Two points, for the two tasks with a score; none for "Make tea".
    assert_eq!(doc.emotion.curves[0].points.len(), 2);
    let tea = common::card_by_text(&h, "Make tea");
    assert!(
        doc.emotion.curves[0]
            .points
            .iter()
            .all(|p| p.card != Some(tea.id))
    );
    // Its accessible node says which task it was given for.
    let label = |h: &egui_kittest::Harness<'_, journeymap::ui::App>, text: &str| {
        h.query_all_by_label_contains(text)
            .map(|n| {
                let n = n.accesskit_node();
                n.label().or_else(|| n.value()).unwrap_or_default()
            })
            .collect::<Vec<_>>()
    };
    let said = label(&h, "Emotion point: Morning");
    assert!(
        said.iter()
            .any(|t| t.ends_with("given for \u{201c}Go upstairs\u{201d}")),
        "{said:?}"
    );
    // Hovering the point names the task.
    let pos = h.state().layout().emotion.as_ref().unwrap().curves[0]
        .points
        .iter()
        .find(|p| p.id == point.id)
        .unwrap()
        .pos;
    let at = common::screen(&h, pos);
    h.event(egui::Event::PointerMoved(at));
    h.run_steps(3);
    assert!(
        !label(&h, "Given for \u{201c}Go upstairs\u{201d}").is_empty(),
        "no tooltip naming the task"
    );
    // Exported, "Make tea" has no score made up for it.
    let out = mermaid::export(&doc);
    assert!(out.contains("Make tea: none: Me"), "{out}");
    assert!(out.contains("Go upstairs: 2: Me"), "{out}");
}
