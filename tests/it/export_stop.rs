//! Stopping an export: from the library (a flag set mid-way), from the status bar's Stop and by
//! quitting during it. A stopped export writes nothing, leaves no temporary file and its
//! threads end within a band (they do not draw on until the process ends).
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly; allow-unwrap-in-tests covers only #[test] bodies"
)]

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable as _;
use journeymap::export::{self, ExportError, Format, Options, Page, Size};
use journeymap::render::ExportMeta;

use crate::common;

fn meta() -> ExportMeta {
    ExportMeta {
        file_name: "big.journeymap.json".into(),
        date: "2026-12-05".into(),
    }
}

/// A stop asked after the first band ends a PNG (drawn in bands) and a PDF (made in tiles, here
/// a deck of a slide per stage) before the last band, with the stop error, and the folder
/// stays empty.
#[test]
fn a_stop_asked_mid_way_ends_png_and_pdf_exports_writing_nothing() {
    let doc = journeymap::model::synthetic_map(12, 1_500, 3);
    let cases = [
        (Format::Png, Size::Scale(2.0), Page::Map),
        (Format::Pdf, Size::Scale(1.0), Page::Slides),
    ];
    for (format, size, page) in cases {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("big.{}", format.extension()));
        let opts = Options {
            format,
            size,
            page,
            ..Options::default()
        };
        let stop = AtomicBool::new(false);
        let seen = Mutex::new(Vec::new());
        let progress = |f: f32| {
            seen.lock().unwrap().push(f);
            // The first band is done: stop.
            if f > 0.05 {
                stop.store(true, Ordering::Relaxed);
            }
        };
        let r = export::export_until(&doc, &meta(), &opts, &path, &progress, &stop);
        assert!(
            matches!(r, Err(ExportError::Stopped)),
            "{format:?}: {:?}",
            r.map(|rep| rep.bytes)
        );
        let seen = seen.into_inner().unwrap();
        let last = seen.iter().copied().fold(0.0, f32::max);
        assert!(
            last > 0.05 && last < 0.9,
            "{format:?}: it stopped at {last} ({} reports): not mid-way",
            seen.len()
        );
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert!(left.is_empty(), "{format:?} left {left:?}");
    }
}

/// Starts a 2× PNG export of a big map in the real app and waits until it writes.
fn start_big_export(
    dir: &std::path::Path,
) -> (
    egui_kittest::Harness<'static, journeymap::ui::App>,
    std::path::PathBuf,
) {
    let map = dir.join("big.journeymap.json");
    journeymap::io::save_atomic(&map, &journeymap::model::synthetic_map(50, 4_000, 1)).unwrap();
    let out_dir = dir.join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let target = out_dir.join("big.png");
    let mut h = common::harness(Some(map));
    common::key(&mut h, Modifiers::COMMAND, Key::E);
    h.get_by_label("2×").click();
    h.run_steps(2);
    common::export_as(&mut h, &target);
    assert!(
        h.state().export_running(),
        "{:?}",
        h.state().error_message()
    );
    // Wait until the export is writing its temporary file.
    for _ in 0..500 {
        if std::fs::read_dir(&out_dir).unwrap().count() > 0 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    (h, target)
}

fn left_in(dir: &std::path::Path) -> Vec<std::ffi::OsString> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect()
}

/// Stop, next to the export's progress in the status bar, ends the export: it says so, writes
/// nothing and leaves nothing, and the next export can start.
#[test]
fn stop_in_the_status_bar_ends_a_running_export() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, target) = start_big_export(dir.path());
    h.get_by_label("Stop").click();
    h.run_steps(1);
    common::wait_for_export(&mut h);
    let said = h.state().status().unwrap_or_default().to_string();
    assert!(said.starts_with("Export stopped"), "{said}");
    assert!(h.state().error_message().is_none());
    assert!(!target.exists());
    let left = left_in(target.parent().unwrap());
    assert!(left.is_empty(), "left behind: {left:?}");
    assert!(
        h.query_by_label("Stop").is_none(),
        "Stop stays after the end"
    );
}

/// Closing the window while an export runs asks first; "Stop it and quit" leaves neither
/// the image nor a temporary file behind, and the export's threads end.
#[test]
fn quitting_during_an_export_asks_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, target) = start_big_export(dir.path());
    common::close_window(&mut h);
    assert!(h.query_by_label("An export is running").is_some());
    h.get_by_label("Stop it and quit").click();
    h.run_steps(2);
    common::close_window(&mut h);
    assert!(h.query_by_label("An export is running").is_none());
    let left = left_in(target.parent().unwrap());
    assert!(left.is_empty(), "left behind: {left:?}");
    // The export ends (within a band) instead of drawing on until the process ends.
    common::wait_for_export(&mut h);
    assert!(!target.exists());
}
