//! Presentation mode, driven with real keys at 1920×1080: full screen without menus or panels,
//! stage by stage with a short animation, the whole map, frozen headers, and the smallest card
//! text measured from what is painted.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly; allow-unwrap-in-tests covers only #[test] bodies"
)]

use crate::common;

use common::*;
use egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use journeymap::ui::App;

fn full_hd() -> Harness<'static, App> {
    harness_sized(None, egui::vec2(1920.0, 1080.0), scratch_recovery_dir())
}

fn press(h: &mut Harness<'_, App>, key: Key) {
    h.event(Event::Key {
        key,
        physical_key: Some(key),
        pressed: true,
        repeat: false,
        modifiers: Modifiers::NONE,
    });
    h.run_steps(1);
}

/// Frames until the view stops moving (at 60 frames a second).
fn settle(h: &mut Harness<'_, App>) -> usize {
    let mut n = 0;
    let mut last = h.state().viewport();
    loop {
        h.run_steps(1);
        n += 1;
        let v = h.state().viewport();
        if v == last || n > 120 {
            return n;
        }
        last = v;
    }
}

/// Font sizes (pixels) of the painted text that is a card's text or its channel/owner line,
/// and how many such lines there are on screen.
fn card_text_sizes(h: &Harness<'_, App>) -> (Vec<f32>, Vec<f32>) {
    let layout = h.state().layout();
    let mut text: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut meta: std::collections::HashSet<String> = std::collections::HashSet::new();
    for c in &layout.cards {
        text.extend(c.lines.iter().map(|l| l.text.to_string()));
        meta.extend(c.meta.iter().map(|l| l.text.to_string()));
    }
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1920.0, 1080.0));
    let ppp = h.output().pixels_per_point;
    let (mut body, mut small) = (Vec::new(), Vec::new());
    for s in &h.output().shapes {
        if let egui::Shape::Text(t) = &s.shape {
            let r = t.visual_bounding_rect();
            if !s.clip_rect.intersects(r) || !screen.intersects(r) {
                continue;
            }
            let g = &t.galley;
            let Some(font) = g.job.sections.first().map(|s| &s.format.font_id) else {
                continue;
            };
            // Only the map's own font (the strip and the hints use the interface font).
            if !matches!(&font.family, egui::FontFamily::Name(n) if n.starts_with("map")) {
                continue;
            }
            let size = font.size * ppp;
            if text.contains(g.text()) {
                body.push(size);
            } else if meta.contains(g.text()) {
                small.push(size);
            }
        }
    }
    (body, small)
}

/// Every text painted on screen (above the bottom band or in it) with its pixel size, and
/// whether it is in the map's own font.
fn painted_texts(h: &Harness<'_, App>) -> Vec<(String, f32, bool)> {
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1920.0, 1080.0));
    let ppp = h.output().pixels_per_point;
    let mut out = Vec::new();
    for s in &h.output().shapes {
        if let egui::Shape::Text(t) = &s.shape {
            let r = t.visual_bounding_rect();
            let Some(font) = t.galley.job.sections.first().map(|s| &s.format.font_id) else {
                continue;
            };
            if !s.clip_rect.intersects(r) || !screen.intersects(r) || t.galley.text().is_empty() {
                continue;
            }
            let map = matches!(&font.family, egui::FontFamily::Name(n) if n.starts_with("map"));
            out.push((t.galley.text().to_owned(), font.size * ppp, map));
        }
    }
    out
}

/// The smallest text of the cards on screen, after checking there are enough to measure.
fn smallest_card_text(h: &Harness<'_, App>) -> f32 {
    let (body, small) = card_text_sizes(h);
    assert!(body.len() >= 3 && small.len() >= 2, "{body:?} {small:?}");
    small.iter().chain(&body).copied().fold(f32::MAX, f32::min)
}

fn lanes_down(h: &mut Harness<'_, App>) {
    press(h, Key::ArrowDown);
    settle(h);
}

#[test]
fn presenting_opens_on_the_first_stage_at_reading_size() {
    let mut h = full_hd();
    let doc = h.state().doc().clone();
    let editor_view = h.state().viewport();
    press(&mut h, Key::F5);
    h.run_steps(2);
    assert!(h.state().is_presenting());
    assert!(h.query_by_label("File").is_none(), "no menus");
    assert!(h.query_by_label("Map").is_none(), "no side panel");
    // The first stage at once, at reading size: no key needed before the room can read it.
    settle(&mut h);
    assert_eq!(h.state().presented_stage(), Some(0));
    let smallest = smallest_card_text(&h);
    let (body, _) = card_text_sizes(&h);
    println!(
        "smallest card text on screen: {smallest:.1} px (card text {:.1} px)",
        body.iter().copied().fold(f32::MAX, f32::min),
    );
    assert!(smallest >= 24.0, "smallest card text {smallest} px");
    // Nothing the room reads is small: stage and lane names, the scale, the strip's stage
    // names. (The keys' hint at the bottom right is for the presenter.)
    let texts = painted_texts(&h);
    for (text, size, _) in &texts {
        if text.contains("Esc: leave") {
            continue;
        }
        assert!(*size >= 20.0, "{text:?} is drawn at {size:.1} px");
    }
    for stage in &doc.stages {
        assert!(
            texts
                .iter()
                .any(|(t, s, map)| !map && t == &stage.name && *s >= 20.0),
            "the strip names {:?} at 20 px or more",
            stage.name
        );
    }
    // The stage shown starts right of the lane names.
    let canvas = h.state().canvas_rect();
    let s0 = h.state().layout().stages[0].column;
    let label_w = h.state().layout().style().label_w() * h.state().viewport().zoom;
    assert!((screen(&h, s0.min).x - canvas.min.x - label_w).abs() < 1.0);
    // Right: the next stage takes its place, reached in at most 200 ms (12 frames at 60 a
    // second).
    press(&mut h, Key::ArrowRight);
    let frames = settle(&mut h);
    assert!(frames <= 13, "the step took {frames} frames");
    assert_eq!(h.state().presented_stage(), Some(1));
    let s1 = h.state().layout().stages[1].column;
    assert!((screen(&h, s1.min).x - canvas.min.x - label_w).abs() < 1.0);
    press(&mut h, Key::ArrowLeft);
    settle(&mut h);
    assert_eq!(h.state().presented_stage(), Some(0));
    // Home: the whole map, above the band at the bottom. Right goes back to the first stage.
    press(&mut h, Key::Home);
    settle(&mut h);
    assert_eq!(h.state().presented_stage(), None);
    let b = h.state().layout().bounds;
    let above_band = egui::Rect::from_min_max(
        canvas.min,
        egui::pos2(
            canvas.max.x,
            canvas.max.y - journeymap::ui::PRESENT_BAND_H + 0.5,
        ),
    );
    assert!(above_band.contains(screen(&h, b.min)) && above_band.contains(screen(&h, b.max)));
    press(&mut h, Key::ArrowRight);
    settle(&mut h);
    assert_eq!(h.state().presented_stage(), Some(0));
    // Escape leaves: the editor's view and menus come back.
    press(&mut h, Key::Escape);
    h.run_steps(3);
    assert!(!h.state().is_presenting());
    assert_eq!(h.state().viewport(), editor_view);
    h.get_by_label("File");
    assert_eq!(h.state().doc(), &doc, "presenting changes nothing");
}

#[test]
fn every_lane_of_a_stage_can_be_shown_and_stepping_stays_down_the_lanes() {
    let mut h = full_hd();
    press(&mut h, Key::F5);
    settle(&mut h);
    let canvas = h.state().canvas_rect();
    let band_top = canvas.max.y - journeymap::ui::PRESENT_BAND_H;
    let lanes = h.state().layout().lanes.clone();
    let last = lanes.last().unwrap();
    let last_name = h.state().doc().lane(last.id).unwrap().name.clone();
    // At the top of the sample's first stage the lowest lanes are off screen, and the band
    // says which.
    assert!(
        screen(&h, last.row.max).y > band_top,
        "the sample is taller than the screen"
    );
    let note = |h: &Harness<'_, App>| {
        painted_texts(h)
            .into_iter()
            .find(|(t, _, _)| t.starts_with('\u{2191}') || t.starts_with('\u{2193}'))
            .map(|(t, _, _)| t)
    };
    let said = note(&h).unwrap();
    assert!(
        said.starts_with('\u{2193}') && said.contains(&last_name),
        "{said}"
    );
    // Down (twice at most) shows the last lane whole, above the band; nothing is below.
    lanes_down(&mut h);
    lanes_down(&mut h);
    let bottom = screen(&h, last.row.max).y;
    assert!(bottom <= band_top + 1.0, "{bottom} > {band_top}");
    assert!(
        note(&h).is_none_or(|t| !t.contains('\u{2193}')),
        "{:?}",
        note(&h)
    );
    assert!(smallest_card_text(&h) >= 24.0);
    // Right: the next stage at the same place down the lanes (the pain points stay in view).
    let y = h.state().viewport().offset.y;
    press(&mut h, Key::PageDown);
    settle(&mut h);
    assert_eq!(h.state().presented_stage(), Some(1));
    assert!((h.state().viewport().offset.y - y).abs() < 0.5);
    // Up goes back towards the top, where the stage names still are.
    press(&mut h, Key::ArrowUp);
    press(&mut h, Key::ArrowUp);
    settle(&mut h);
    assert!(h.state().viewport().offset.y.abs() < 0.5);
    // The wheel scrolls too, the stage names stay at the top, and a step keeps the place.
    wheel(&mut h, canvas.center(), -300.0);
    h.run_steps(30);
    let y = h.state().viewport().offset.y;
    assert!(y < -100.0, "{y}");
    let name = h.state().doc().stages[1].name.clone();
    let header = h.get_by_label(&format!("Stage: {name}")).rect();
    assert!((header.min.y - canvas.min.y).abs() < 1.0, "{header:?}");
    press(&mut h, Key::PageUp);
    settle(&mut h);
    assert_eq!(h.state().presented_stage(), Some(0));
    assert!((h.state().viewport().offset.y - y).abs() < 0.5);
}

#[test]
fn a_larger_text_size_presents_larger() {
    let mut h = full_hd();
    for _ in 0..2 {
        open_submenu(&mut h, "View", "Text size (");
        let r = h.get_by_label_contains("Larger text").rect();
        click(&mut h, r.center());
        h.run_steps(2);
    }
    assert!((h.state().prefs().text_scale - 1.5).abs() < 1e-6);
    h.key_press(Key::Escape);
    h.run_steps(2);
    press(&mut h, Key::F5);
    settle(&mut h);
    let smallest = smallest_card_text(&h);
    assert!(
        smallest >= 24.0 * 1.5 / journeymap::ui::PRESENT_TEXT_SCALE - 0.5,
        "at 150 % the smallest card text is {smallest} px"
    );
}

#[test]
fn the_overview_strip_jumps_to_a_stage() {
    let mut h = full_hd();
    press(&mut h, Key::F5);
    settle(&mut h);
    let name = h.state().doc().stages[3].name.clone();
    h.get_by_label(&format!("Go to stage 4: {name}")).click();
    h.run_steps(1);
    settle(&mut h);
    assert_eq!(h.state().presented_stage(), Some(3));
}

/// Down the lanes at the worst moment: the curve's labels (the gap, "Worst moment", the
/// scale) are as readable as the cards.
#[test]
fn the_curve_s_labels_are_readable_when_presented() {
    let mut h = full_hd();
    press(&mut h, Key::F5);
    settle(&mut h);
    for _ in 0..3 {
        press(&mut h, Key::ArrowRight);
        settle(&mut h);
    }
    lanes_down(&mut h);
    let texts = painted_texts(&h);
    for label in [
        "CSAT 4.5 / 5 measured, feels \u{2212}2",
        "Worst moment",
        "Very negative",
    ] {
        assert!(
            texts.iter().any(|(t, _, _)| t.contains(label)),
            "{label:?} is on screen: {:?}",
            texts.iter().map(|t| &t.0).collect::<Vec<_>>()
        );
    }
    for (text, size, _) in &texts {
        if text.contains("Esc: leave") {
            continue;
        }
        assert!(*size >= 20.0, "{text:?} is drawn at {size:.1} px");
    }
}
