//! Never lose work: an editor killed after edits leaves its autosaved work, and the next start
//! offers it back; saving or closing normally leaves nothing behind. The kill is real: the test
//! runs the editor (headless, driven with input events) in a child process and SIGKILLs it.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly; allow-unwrap-in-tests covers only #[test] bodies"
)]

use crate::common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::*;
use egui::{Event, Key, Modifiers};
use egui_kittest::kittest::Queryable as _;
use journeymap::model::LaneKind;

const CHILD: &str = "JOURNEYMAP_RECOVERY_CHILD";
const TEXT: &str = "Typed just before the crash";
/// The child's frame time, in seconds.
const FRAME: f32 = 0.25;

fn size() -> egui::Vec2 {
    egui::vec2(1600.0, 1000.0)
}

fn recovery_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    let n = p.to_string_lossy();
                    n.ends_with(".meta.json") || n.ends_with(".journeymap.json")
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The child: edits through the UI, waits for the autosave (its timer, not a call), says it
/// is ready and waits to be killed.
fn child(dir: &Path) {
    // Four frames a second: typing needs no double-click timing, and the autosave's 11 s
    // pass in 44 frames instead of 720.
    let mut h = open(Opening {
        size: size(),
        recovery: dir.to_path_buf(),
        step_dt: FRAME,
        ..Opening::default()
    });
    let doc = h.state().doc().clone();
    let s = doc.stages[6].id;
    let l = lane_of(&doc, LaneKind::PainPoints);
    reset_view(&mut h);
    let at = cell_center(&h, s, l);
    click(&mut h, at);
    for c in TEXT.chars() {
        h.event(Event::Text(c.to_string()));
        h.run_steps(1);
    }
    key(&mut h, Modifiers::NONE, Key::Enter);
    key(&mut h, Modifiers::NONE, Key::Escape);
    assert!(h.state().doc().cards.iter().any(|c| c.text == TEXT));
    // Time passes (11 s, a second more than the autosave waits): its timer fires by itself.
    let secs = journeymap::ui::AUTOSAVE_AFTER_SECS + 1.0;
    h.run_steps((secs / f64::from(FRAME)).ceil() as usize);
    h.state_mut().wait_for_autosave();
    std::fs::write(dir.join("ready"), "").unwrap();
    loop {
        std::thread::sleep(Duration::from_secs(1));
    }
}

#[test]
fn a_killed_editor_s_work_is_offered_back_at_the_next_start() {
    if let Some(dir) = std::env::var_os(CHILD) {
        child(Path::new(&dir));
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut proc = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "recovery::a_killed_editor_s_work_is_offered_back_at_the_next_start",
            "--nocapture",
        ])
        .env(CHILD, dir.path())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !dir.path().join("ready").exists() {
        assert!(
            proc.try_wait().unwrap().is_none(),
            "the child stopped before it was killed"
        );
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the child never got ready"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    proc.kill().unwrap(); // SIGKILL: no save, no cleanup
    proc.wait().unwrap();
    assert_eq!(
        recovery_files(dir.path()).len(),
        2,
        "map and meta are on disk"
    );

    // The next start offers the work back, saying what and from when.
    let mut h = harness_sized(None, size(), dir.path().to_path_buf());
    assert!(h.state().is_offering_recovery());
    h.get_by_label_contains("Sorting out a surprise on my bill");
    h.get_by_label_contains("Autosaved");
    h.get_by_label("Restore").click();
    h.run_steps(3);
    assert!(h.state().doc().cards.iter().any(|c| c.text == TEXT));
    assert!(h.state().is_dirty(), "restored work is not saved yet");
    h.state_mut().wait_for_autosave();
    // Saving it leaves no recovery file behind.
    let elsewhere = tempfile::tempdir().unwrap();
    let out = elsewhere.path().join("saved.journeymap.json");
    h.state_mut().save_as_path(&out);
    h.run_steps(2);
    assert!(!h.state().is_dirty());
    assert!(
        recovery_files(dir.path()).is_empty(),
        "{:?}",
        recovery_files(dir.path())
    );
    let (saved, _) = journeymap::io::load(&out).unwrap();
    assert!(saved.cards.iter().any(|c| c.text == TEXT));
}

#[test]
fn losing_focus_autosaves_and_a_normal_close_removes_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness_sized(None, size(), dir.path().to_path_buf());
    reset_view(&mut h);
    let card = card_by_text(&h, "Chat bot");
    let at = card_center(&h, card.id);
    click(&mut h, at);
    key(&mut h, Modifiers::NONE, Key::Delete);
    assert!(
        recovery_files(dir.path()).is_empty(),
        "not yet: the change is new"
    );
    // The window loses focus: the work is written at once (on a background thread).
    lose_focus(&mut h);
    let files = recovery_files(dir.path());
    assert_eq!(files.len(), 2);
    let map = files
        .iter()
        .find(|p| p.to_string_lossy().ends_with(".journeymap.json"))
        .unwrap();
    let (doc, _) = journeymap::io::load(map).unwrap();
    assert!(
        doc.card(card.id).is_none(),
        "the recovery file has the change"
    );
    // The user's own file is never written by autosave: there is none.
    assert!(h.state().file().is_none());
    // Closing without saving, on purpose: nothing is left to recover.
    close_window(&mut h);
    h.get_by_label("Don't save").click();
    h.run_steps(3);
    assert!(h.state().close_allowed());
    assert!(recovery_files(dir.path()).is_empty());
}

/// An editor on `file` that deletes a card and autosaves (the window loses focus), then
/// stops without closing (dropped: no save, no cleanup, its lock let go as a crash's is).
fn crash_after_an_edit(file: &Path, recovery: &Path) {
    let mut h = harness_sized(Some(file.to_path_buf()), size(), recovery.to_path_buf());
    reset_view(&mut h);
    let card = card_by_text(&h, "Chat bot");
    let at = card_center(&h, card.id);
    click(&mut h, at);
    key(&mut h, Modifiers::NONE, Key::Delete);
    lose_focus(&mut h);
}

/// The window loses focus (unsaved work is autosaved at once), and the write is waited for.
fn lose_focus(h: &mut egui_kittest::Harness<'_, journeymap::ui::App>) {
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .focused = Some(false);
    h.run_steps(2);
    h.state_mut().wait_for_autosave();
}

#[test]
fn a_restore_still_notices_that_the_file_changed_since_the_crash() {
    let dir = tempfile::tempdir().unwrap();
    let recovery = dir.path().join("recovery");
    let file = dir.path().join("map.json");
    journeymap::io::save_atomic(&file, &journeymap::ui::sample_document()).unwrap();
    crash_after_an_edit(&file, &recovery);
    // Meanwhile someone changes the file (another program, a colleague's copy).
    let mut theirs = journeymap::ui::sample_document();
    theirs.title = "Their newer change".into();
    journeymap::io::save_atomic(&file, &theirs).unwrap();

    let mut h = harness_sized(None, size(), recovery.clone());
    assert!(h.state().is_offering_recovery());
    h.get_by_label("Restore").click();
    h.run_steps(3);
    assert_eq!(
        h.state().file(),
        Some(file.canonicalize().unwrap().as_path())
    );
    // Ctrl+S asks instead of writing over their change.
    key(&mut h, Modifiers::COMMAND, Key::S);
    h.run_steps(2);
    h.get_by_label_contains("The file changed on disk");
    let (on_disk, _) = journeymap::io::load(&file).unwrap();
    assert_eq!(on_disk.title, "Their newer change");
}

#[test]
fn a_restore_names_the_whole_path_and_saves_there_from_any_folder() {
    let dir = tempfile::tempdir().unwrap();
    let recovery = dir.path().join("recovery");
    std::fs::create_dir_all(dir.path().join("t2")).unwrap();
    let file = dir.path().join("t2").join("link.json");
    journeymap::io::save_atomic(&file, &journeymap::ui::sample_document()).unwrap();
    // Opened by a path that is not the file's own (as `cd somewhere; journeymap t2/../t2/link.json`).
    let roundabout = dir
        .path()
        .join("t2")
        .join("..")
        .join("t2")
        .join("link.json");
    crash_after_an_edit(&roundabout, &recovery);
    let meta = std::fs::read_dir(&recovery)
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().ends_with(".meta.json"))
        .unwrap()
        .path();
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(meta).unwrap()).unwrap();
    let kept = std::path::PathBuf::from(meta["file"].as_str().unwrap());
    assert_eq!(
        kept,
        file.canonicalize().unwrap(),
        "absolute, without detours"
    );

    let h = harness_sized(None, size(), recovery);
    h.get_by_label_contains(&file.canonicalize().unwrap().display().to_string());
}

#[cfg(unix)]
#[test]
fn recovery_files_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let recovery = dir.path().join("recovery");
    // A folder made earlier (or by another tool) open to everyone is closed.
    std::fs::create_dir_all(&recovery).unwrap();
    std::fs::set_permissions(&recovery, std::fs::Permissions::from_mode(0o755)).unwrap();
    let file = dir.path().join("private.json");
    journeymap::io::save_atomic(&file, &journeymap::ui::sample_document()).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    crash_after_an_edit(&file, &recovery);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&recovery), 0o700);
    let files: Vec<PathBuf> = std::fs::read_dir(&recovery)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    assert!(files.len() >= 2, "{files:?}");
    for f in files {
        assert_eq!(mode(&f), 0o600, "{}", f.display());
    }
}
