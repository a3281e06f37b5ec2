//! Files: save → open gives the same document; bad files give a clear error with file, line
//! and column, and leave both the open map and the file untouched; saves are atomic.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly; allow-unwrap-in-tests covers only #[test] bodies"
)]

use crate::common;

use std::path::Path;

use journeymap::io::{LoadError, load, save_atomic, to_json_string};
use journeymap::model::sample_map;

#[test]
fn save_then_open_gives_the_same_document_and_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("map.json");
    let doc = sample_map();
    save_atomic(&path, &doc).unwrap();
    let first = std::fs::read(&path).unwrap();
    let (back, _) = load(&path).unwrap();
    assert_eq!(back, doc);
    save_atomic(&path, &back).unwrap();
    assert_eq!(
        std::fs::read(&path).unwrap(),
        first,
        "saving twice gives identical bytes"
    );
    // No temporary files are left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn a_small_edit_gives_a_small_diff() {
    let mut doc = sample_map();
    let a = to_json_string(&doc);
    doc.card_at_mut(5).text.push_str(" (again)");
    let b = to_json_string(&doc);
    let changed = a.lines().zip(b.lines()).filter(|(x, y)| x != y).count();
    assert_eq!(a.lines().count(), b.lines().count());
    assert_eq!(changed, 1);
}

fn malformed() -> Vec<(&'static str, String, usize)> {
    let good = to_json_string(&sample_map());
    let truncated = good[..good.len() / 2].to_string();
    // The line where the text stops (when it stops right after a line break: the line before).
    let truncated_line = truncated.trim_end_matches('\n').lines().count();
    let wrong_type = good.replacen("\"width\": 260.0", "\"width\": \"wide\"", 1);
    let wrong_line = wrong_type
        .lines()
        .position(|l| l.contains("\"wide\""))
        .unwrap()
        + 1;
    vec![
        ("truncated", truncated, truncated_line),
        ("wrong type", wrong_type, wrong_line),
        ("not JSON", "hello, I am not a map\n".to_string(), 1),
    ]
}

#[test]
fn malformed_files_report_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    for (what, text, line) in malformed() {
        let path = dir.path().join(format!("{}.json", what.replace(' ', "-")));
        std::fs::write(&path, &text).unwrap();
        let err = load(&path).unwrap_err();
        match &err {
            LoadError::Syntax {
                line: l, column, ..
            } => {
                assert_eq!(*l, line, "{what}: {err}");
                assert!(*column >= 1);
            }
            other => panic!("{what}: expected a syntax error, got {other}"),
        }
        let msg = err.to_string();
        assert!(
            msg.starts_with(&format!("{}:{line}:", path.display())),
            "{what}: {msg}"
        );
        assert!(!msg.contains('\n'));
    }
}

#[test]
fn a_newer_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.json");
    let current = format!("\"version\": {}", journeymap::io::CURRENT_VERSION);
    let next = format!("\"version\": {}", journeymap::io::CURRENT_VERSION + 1);
    let text = to_json_string(&sample_map()).replacen(&current, &next, 1);
    std::fs::write(&path, &text).unwrap();
    let err = load(&path).unwrap_err();
    assert!(
        matches!(err, LoadError::NewerVersion { found, .. } if found == journeymap::io::CURRENT_VERSION + 1),
        "{err}"
    );
    assert!(err.to_string().contains("newer"));
}

fn write_bad_files(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut files: Vec<(std::path::PathBuf, Vec<u8>)> = malformed()
        .into_iter()
        .map(|(what, text, _)| {
            (
                dir.join(format!("{}.json", what.replace(' ', "-"))),
                text.into_bytes(),
            )
        })
        .collect();
    let current = format!("\"version\": {}", journeymap::io::CURRENT_VERSION);
    let newer = to_json_string(&sample_map()).replacen(&current, "\"version\": 9", 1);
    files.push((dir.join("newer.json"), newer.into_bytes()));
    for (p, bytes) in &files {
        std::fs::write(p, bytes).unwrap();
    }
    files
}

#[test]
fn opening_a_bad_file_in_the_app_keeps_the_open_map_and_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let files = write_bad_files(dir.path());
    let mut h = common::harness(None);
    let before = h.state().doc().clone();
    for (path, bytes) in &files {
        h.state_mut().open_path(path);
        h.run_steps(2);
        let msg = h
            .state()
            .error_message()
            .expect("an error is shown")
            .to_string();
        assert!(msg.contains(&path.display().to_string()), "{msg}");
        assert_eq!(h.state().doc(), &before, "the open map is unchanged");
        assert_eq!(h.state().file(), None);
        assert_eq!(
            &std::fs::read(path).unwrap(),
            bytes,
            "the file is untouched"
        );
        h.get_by_label("OK").click();
        h.run_steps(2);
    }
}

use egui_kittest::kittest::Queryable as _;

#[test]
fn a_newer_file_is_never_overwritten_by_save_as() {
    let dir = tempfile::tempdir().unwrap();
    let files = write_bad_files(dir.path());
    let (newer, bytes) = files.last().unwrap();
    let mut h = common::harness(None);
    h.state_mut().save_as_path(newer);
    h.run_steps(2);
    assert!(
        h.state()
            .error_message()
            .unwrap()
            .contains("not overwritten")
    );
    assert_eq!(&std::fs::read(newer).unwrap(), bytes);
}

#[test]
fn app_save_and_reopen_and_detects_changes_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bill.json");
    save_atomic(&path, &sample_map()).unwrap();
    let mut h = common::harness(Some(path.clone()));
    assert_eq!(h.state().file(), Some(path.as_path()));
    assert!(!h.state().is_dirty());
    // Edit, save with Ctrl+S, reopen: same document.
    common::reset_view(&mut h);
    let card = h.state().doc().cards[0].id;
    let at = common::card_center(&h, card);
    common::click(&mut h, at);
    common::key(&mut h, egui::Modifiers::NONE, egui::Key::Delete);
    assert!(h.state().is_dirty());
    common::key(&mut h, egui::Modifiers::COMMAND, egui::Key::S);
    assert!(!h.state().is_dirty());
    let (on_disk, _) = load(&path).unwrap();
    assert_eq!(&on_disk, h.state().doc());
    // Another program changes the file: the next save asks instead of overwriting.
    std::fs::write(&path, to_json_string(&sample_map())).unwrap();
    common::key(&mut h, egui::Modifiers::COMMAND, egui::Key::A);
    common::key(&mut h, egui::Modifiers::NONE, egui::Key::Delete);
    common::key(&mut h, egui::Modifiers::COMMAND, egui::Key::S);
    h.get_by_label("The file changed on disk");
    assert_eq!(
        load(&path).unwrap().0,
        sample_map(),
        "not overwritten without asking"
    );
    h.get_by_label("Overwrite it").click();
    h.run_steps(2);
    assert!(load(&path).unwrap().0.cards.is_empty());
}

/// A file dropped on the window, as the windowing layer hands it over.
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

/// The sample map under another title, saved in a fresh temporary folder (kept alive by the
/// returned guard).
fn sample_saved_as(name: &str, title: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    let mut doc = sample_map();
    doc.title = title.into();
    save_atomic(&path, &doc).unwrap();
    (dir, path)
}

#[test]
fn dropping_a_file_opens_it_and_it_becomes_recent() {
    let (_dir, path) = sample_saved_as("dropped.journeymap.json", "Dropped map");
    let mut h = common::harness(None);
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(path.clone())));
    h.run_steps(2);
    assert_eq!(h.state().doc().title, "Dropped map");
    assert_eq!(h.state().file(), Some(path.as_path()));
    let canonical = std::fs::canonicalize(&path).unwrap();
    assert_eq!(h.state().prefs().recent.first(), Some(&canonical));
}

#[test]
fn new_map_asks_about_unsaved_changes_first() {
    let mut h = common::ready();
    common::key(&mut h, egui::Modifiers::COMMAND, egui::Key::A);
    common::key(&mut h, egui::Modifiers::NONE, egui::Key::Delete);
    let edited = h.state().doc().clone();
    common::key(&mut h, egui::Modifiers::COMMAND, egui::Key::N);
    assert!(h.state().is_asking_to_save());
    h.get_by_label("Cancel").click();
    h.run_steps(2);
    assert_eq!(h.state().doc(), &edited);
    common::key(&mut h, egui::Modifiers::COMMAND, egui::Key::N);
    h.get_by_label("Don't save").click();
    h.run_steps(2);
    let doc = h.state().doc();
    assert_eq!(doc.title, "Untitled journey");
    assert_eq!(doc.stages.len(), 3);
    assert!(
        doc.lanes
            .iter()
            .any(|l| l.kind == journeymap::model::LaneKind::Emotion)
    );
    assert!(!h.state().is_dirty());
    assert!(
        !h.state().editor().can_undo(),
        "opening or creating a map is not an undo step"
    );
}

#[test]
fn save_from_the_unsaved_question_then_carries_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("typed.journeymap.json");
    let mut h = common::ready();
    common::key(&mut h, egui::Modifiers::COMMAND, egui::Key::A);
    common::key(&mut h, egui::Modifiers::NONE, egui::Key::Delete);
    let edited = h.state().doc().clone();
    common::key(&mut h, egui::Modifiers::COMMAND, egui::Key::N);
    h.get_by_label("Save").click();
    h.run_steps(3);
    // No dialog can be shown here, so the path is typed.
    h.get_by_label("Path of the map file:").focus();
    h.run_steps(1);
    h.event(egui::Event::Key {
        key: egui::Key::A,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: egui::Modifiers::COMMAND,
    });
    h.event(egui::Event::Text(path.display().to_string()));
    h.run_steps(2);
    h.get_by_label("Save").click();
    h.run_steps(3);
    assert_eq!(load(&path).unwrap().0, edited, "the map was saved");
    assert_eq!(
        h.state().doc().title,
        "Untitled journey",
        "then the new map opened"
    );
}

mod never_panics {
    use journeymap::io::{from_json_str, to_json_string};
    use journeymap::layout::{FontMeasure, TextCache, layout};
    use journeymap::model::sample_map;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]
        /// Damaged files (cut short, bytes changed) give an error or a valid map, never a panic;
        /// a map that loads also lays out.
        #[test]
        fn damaged_files_give_errors_not_panics(cut in 0usize..10_000, edits in proptest::collection::vec((0usize..10_000, any::<u8>()), 0..6)) {
            let mut bytes = to_json_string(&sample_map()).into_bytes();
            for (at, b) in edits {
                let i = at % bytes.len();
                bytes[i] = b;
            }
            bytes.truncate(bytes.len() - cut % bytes.len().max(1));
            let text = String::from_utf8_lossy(&bytes);
            if let Ok(doc) = from_json_str(&text, "damaged.json") {
                prop_assert!(doc.validate().is_ok());
                let _ = layout(&doc, FontMeasure::shared(), &mut TextCache::default());
            }
        }
    }
}

#[test]
fn open_without_a_dialog_asks_for_a_typed_path() {
    let (_dir, path) = sample_saved_as("typed-open.json", "Typed open");
    let mut h = common::harness(None);
    common::key(&mut h, egui::Modifiers::COMMAND, egui::Key::O);
    h.get_by_label("Path of the map file:").focus();
    h.run_steps(1);
    h.event(egui::Event::Text(path.display().to_string()));
    h.run_steps(2);
    h.get_by_label("Open").click();
    h.run_steps(3);
    assert_eq!(h.state().doc().title, "Typed open");
    assert_eq!(h.state().file(), Some(path.as_path()));
}
