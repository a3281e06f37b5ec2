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

#[test]
fn presenting_steps_through_stages_with_text_readable_from_the_back() {
    let mut h = full_hd();
    let doc = h.state().doc().clone();
    let editor_view = h.state().viewport();
    press(&mut h, Key::F5);
    h.run_steps(2);
    assert!(h.state().is_presenting());
    assert!(h.query_by_label("File").is_none(), "no menus");
    assert!(h.query_by_label("Map").is_none(), "no side panel");
    // The whole map first.
    settle(&mut h);
    assert_eq!(h.state().presented_stage(), None);
    let b = h.state().layout().bounds;
    let canvas = h.state().canvas_rect();
    assert!(canvas.contains(screen(&h, b.min)) && canvas.contains(screen(&h, b.max)));
    // Right: the first stage, reached in at most 200 ms (12 frames at 60 a second).
    press(&mut h, Key::ArrowRight);
    let frames = settle(&mut h);
    assert!(frames <= 13, "the step took {frames} frames");
    assert_eq!(h.state().presented_stage(), Some(0));
    let (body, small) = card_text_sizes(&h);
    assert!(body.len() >= 3 && small.len() >= 2, "{body:?} {small:?}");
    let smallest = small.iter().chain(&body).copied().fold(f32::MAX, f32::min);
    println!(
        "smallest card text on screen: {smallest:.1} px (card text {:.1} px, {} lines measured)",
        body.iter().copied().fold(f32::MAX, f32::min),
        body.len() + small.len()
    );
    assert!(smallest >= 24.0, "smallest card text {smallest} px");
    // The stage shown starts right of the lane names.
    let s0 = h.state().layout().stages[0].column;
    let x0 = screen(&h, s0.min).x;
    let label_w = h.state().layout().style().label_w() * h.state().viewport().zoom;
    assert!((x0 - canvas.min.x - label_w).abs() < 1.0, "{x0}");
    // Right again: the next stage takes its place.
    press(&mut h, Key::ArrowRight);
    settle(&mut h);
    assert_eq!(h.state().presented_stage(), Some(1));
    let s1 = h.state().layout().stages[1].column;
    assert!((screen(&h, s1.min).x - canvas.min.x - label_w).abs() < 1.0);
    press(&mut h, Key::ArrowLeft);
    settle(&mut h);
    assert_eq!(h.state().presented_stage(), Some(0));
    // Scrolled down, the stage names stay at the top.
    h.hover_at(canvas.center());
    h.event(Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, -600.0),
        modifiers: Modifiers::NONE,
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
    });
    h.run_steps(30);
    assert!(h.state().viewport().offset.y < -100.0);
    let header = h
        .get_by_label(&format!("Stage: {}", doc.stages[0].name))
        .rect();
    assert!((header.min.y - canvas.min.y).abs() < 1.0, "{header:?}");
    // Home: the whole map again. Escape leaves, the editor's view and menus come back.
    press(&mut h, Key::Home);
    settle(&mut h);
    assert_eq!(h.state().presented_stage(), None);
    press(&mut h, Key::Escape);
    h.run_steps(3);
    assert!(!h.state().is_presenting());
    assert_eq!(h.state().viewport(), editor_view);
    h.get_by_label("File");
    assert_eq!(h.state().doc(), &doc, "presenting changes nothing");
}

#[test]
fn the_overview_strip_jumps_to_a_stage() {
    let mut h = full_hd();
    press(&mut h, Key::F5);
    settle(&mut h);
    // The strip is at the bottom centre: one box per stage, left to right.
    let canvas = h.state().canvas_rect();
    let n = h.state().doc().stages.len() as f32;
    let w = (canvas.width() * 0.6).min(900.0);
    let x = canvas.center().x - w / 2.0 + w * (3.5 / n);
    let y = canvas.max.y - 8.0 - 17.0;
    click(&mut h, egui::pos2(x, y));
    settle(&mut h);
    assert_eq!(h.state().presented_stage(), Some(3));
}
