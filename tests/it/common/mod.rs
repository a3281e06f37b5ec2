//! Helpers for driving the real app with `egui_kittest`.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly; allow-unwrap-in-tests covers only #[test] bodies"
)]
#![allow(dead_code, reason = "each test file uses a different part")]

pub mod pdf;
pub mod rgb;

use egui::{Event, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use journeymap::geom::Pos;
use journeymap::ui::{App, AppOptions, NoDialogs};

/// The real app (logic + ui, as eframe runs it) in a 1600×1000 window, 60 frames a second.
pub fn harness(file: Option<std::path::PathBuf>) -> Harness<'static, App> {
    open(Opening {
        file,
        ..Opening::default()
    })
}

/// The real app in a window of `size`, keeping unsaved work in `recovery`.
pub fn harness_sized(
    file: Option<std::path::PathBuf>,
    size: egui::Vec2,
    recovery: std::path::PathBuf,
) -> Harness<'static, App> {
    open(Opening {
        file,
        size,
        recovery,
        ..Opening::default()
    })
}

/// The real app on `file`, drawing characters no bundled font has as boxes ("tofu"), as the
/// app does (tests otherwise stop at a missing glyph).
pub fn harness_allowing_tofu(file: Option<std::path::PathBuf>) -> Harness<'static, App> {
    open(Opening {
        file,
        tofu: true,
        ..Opening::default()
    })
}

/// How a test window of the real app opens ([`open`]); `..Opening::default()` for the rest.
pub struct Opening {
    /// The file it opens (the sample map if none).
    pub file: Option<std::path::PathBuf>,
    /// The window's size (1600×1000).
    pub size: egui::Vec2,
    /// Where it keeps unsaved work (a folder of this test's own).
    pub recovery: std::path::PathBuf,
    /// Characters no bundled font has drawn as boxes, as the app does (tests otherwise stop
    /// at a missing glyph).
    pub tofu: bool,
    /// The view from the first frame on (else the map is fitted).
    pub view: Option<journeymap::ui::Viewport>,
    /// Seconds from one frame to the next: 1/60 (egui needs two clicks within its
    /// double-click time); more for a test that waits for a timer, in fewer frames.
    pub step_dt: f32,
    /// A workshop to host or join when it starts.
    pub workshop: Option<journeymap::ui::Start>,
}

impl Default for Opening {
    fn default() -> Self {
        Self {
            file: None,
            size: egui::vec2(1600.0, 1000.0),
            recovery: scratch_recovery_dir(),
            tofu: false,
            view: None,
            step_dt: 1.0 / 60.0,
            workshop: None,
        }
    }
}

/// The real app, opened as `o` says, after its first four frames.
pub fn open(o: Opening) -> Harness<'static, App> {
    let mut builder = Harness::builder();
    if o.tofu {
        builder = builder.allow_missing_glyphs();
    }
    let Opening {
        file,
        recovery,
        view,
        workshop,
        ..
    } = o;
    // The app's own (light) theme from the start: kittest's default is dark, and the app
    // switching it in its first frame would lay out every text of the window twice.
    let mut h = builder
        .with_theme(egui::Theme::Light)
        .with_size(o.size)
        .with_step_dt(o.step_dt)
        .build_eframe(move |cc| {
            let mut app = App::new(
                cc,
                AppOptions {
                    file,
                    dialogs: Box::new(NoDialogs),
                    recovery_dir: Some(recovery),
                    workshop,
                },
            );
            if let Some(v) = view {
                app.set_viewport(v);
            }
            // Glyphs at whole pixels, as egui places CJK text: the same shaping, advances and
            // glyph rasteriser, glyphs within half a pixel of where the app puts them (cards
            // wrap by the map's own layout, unchanged), but each glyph of a size rasterised
            // once instead of at up to four quarter-pixel offsets: a fresh window rasterises
            // all it shows, ≈ 15 % of the tests' CPU. The app keeps quarter pixels (whole ones
            // make small text visibly uneven, which only a look at the real window judges).
            cc.egui_ctx
                .all_styles_mut(|s| s.visuals.text_options.subpixel_binning = false);
            app
        });
    h.run_steps(4);
    h
}

/// The `journeymap` binary, for command-line tests.
pub fn bin() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_journeymap"))
}

/// A recovery folder of this test's own (so tests never offer each other's unsaved work).
pub fn scratch_recovery_dir() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    std::env::temp_dir().join(format!(
        "journeymap-test-recovery-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ))
}

/// A world position on screen.
pub fn screen(h: &Harness<'_, App>, p: Pos) -> Pos2 {
    let app = h.state();
    app.viewport().screen_from_world(app.canvas_origin(), p)
}

/// The zoom the tests work at: the whole sample map (and the band right of it) is on screen.
pub const ZOOM: f32 = 0.6;

/// The test view: [`ZOOM`] with the map's top-left near the canvas corner.
const TEST_VIEW: journeymap::ui::Viewport = journeymap::ui::Viewport {
    offset: egui::vec2(10.0, 10.0),
    zoom: ZOOM,
};

/// Sets the zoom to [`ZOOM`] with the map's top-left near the canvas corner.
pub fn reset_view(h: &mut Harness<'_, App>) {
    h.state_mut().set_viewport(TEST_VIEW);
    h.run_steps(2);
}

pub fn press(h: &Harness<'_, App>, pos: Pos2, mods: Modifiers) {
    h.event(Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed: true,
        modifiers: mods,
    });
}

pub fn release(h: &Harness<'_, App>, pos: Pos2, mods: Modifiers) {
    h.event(Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed: false,
        modifiers: mods,
    });
}

/// A click at a screen position.
pub fn click(h: &mut Harness<'_, App>, pos: Pos2) {
    click_mods(h, pos, Modifiers::NONE);
}

/// A click with modifiers held.
pub fn click_mods(h: &mut Harness<'_, App>, pos: Pos2, mods: Modifiers) {
    h.hover_at(pos);
    h.event(Event::ModifiersChanged(mods));
    press(h, pos, mods);
    release(h, pos, mods);
    h.event(Event::ModifiersChanged(Modifiers::NONE));
    h.run_steps(3);
}

/// Two quick clicks (egui needs them within its double-click time: the step is 1/60 s).
pub fn double_click(h: &mut Harness<'_, App>, pos: Pos2) {
    h.hover_at(pos);
    press(h, pos, Modifiers::NONE);
    release(h, pos, Modifiers::NONE);
    press(h, pos, Modifiers::NONE);
    release(h, pos, Modifiers::NONE);
    h.run_steps(3);
}

/// A primary-button drag in `steps` moves (one frame each), then release.
pub fn drag(h: &mut Harness<'_, App>, from: Pos2, to: Pos2, steps: usize) {
    h.hover_at(from);
    h.drag_at(from);
    h.run_steps(1);
    for i in 1..=steps {
        let t = i as f32 / steps as f32;
        h.hover_at(from + (to - from) * t);
        h.run_steps(1);
    }
    h.drop_at(to);
    h.run_steps(3);
}

/// Types text into whatever has keyboard focus.
pub fn type_text(h: &mut Harness<'_, App>, text: &str) {
    h.event(Event::Text(text.to_string()));
    h.run_steps(2);
}

/// Presses a key (with modifiers).
pub fn key(h: &mut Harness<'_, App>, mods: Modifiers, key: egui::Key) {
    h.key_press_modifiers(mods, key);
    h.run_steps(2);
}

/// The app on the sample map, at the test zoom from its first frame (not fitted first: the
/// text of the whole map would be laid out at two sizes).
pub fn ready() -> Harness<'static, App> {
    open(Opening {
        view: Some(TEST_VIEW),
        ..Opening::default()
    })
}

/// The sample card with this text.
pub fn card_by_text(h: &Harness<'_, App>, text: &str) -> journeymap::model::Card {
    h.state()
        .doc()
        .cards
        .iter()
        .find(|c| c.text == text)
        .map(|c| journeymap::model::Card::clone(c))
        .unwrap()
}

/// Where a card's centre is on screen.
pub fn card_center(h: &Harness<'_, App>, id: journeymap::model::CardId) -> Pos2 {
    screen(h, h.state().layout().card(id).unwrap().rect.center())
}

/// The centre of a cell (stage × lane) on screen.
pub fn cell_center(
    h: &Harness<'_, App>,
    stage: journeymap::model::StageId,
    lane: journeymap::model::LaneId,
) -> Pos2 {
    screen(
        h,
        h.state().layout().cell_rect(stage, lane).unwrap().center(),
    )
}

/// A right-click at a screen position (opens the context menu).
pub fn right_click(h: &mut Harness<'_, App>, pos: Pos2) {
    h.hover_at(pos);
    for pressed in [true, false] {
        h.event(Event::PointerButton {
            pos,
            button: PointerButton::Secondary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    h.run_steps(3);
}

/// Asks to close the window, as its close button does.
pub fn close_window(h: &mut Harness<'_, App>) {
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.run_steps(2);
}

/// The (first) lane of a kind.
pub fn lane_of(
    doc: &journeymap::model::Document,
    kind: journeymap::model::LaneKind,
) -> journeymap::model::LaneId {
    doc.lanes.iter().find(|l| l.kind == kind).unwrap().id
}

/// Opens a menu of the menu bar with a pointer click on its title.
pub fn open_menu(h: &mut Harness<'_, App>, title: &str) {
    use egui_kittest::kittest::Queryable as _;
    let r = h.get_by_label(title).rect();
    click(h, r.center());
}

/// Opens a submenu of the menu bar: a click on the menu's title, then the pointer on the item
/// whose label contains `item`.
pub fn open_submenu(h: &mut Harness<'_, App>, menu: &str, item: &str) {
    use egui_kittest::kittest::Queryable as _;
    open_menu(h, menu);
    let r = h.get_by_label_contains(item).rect();
    h.hover_at(r.center());
    h.run_steps(3);
}

/// The mouse wheel turned at `at` by `dy` points (negative: down the map).
pub fn wheel(h: &mut Harness<'_, App>, at: Pos2, dy: f32) {
    h.hover_at(at);
    h.event(Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, dy),
        modifiers: Modifiers::NONE,
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
    });
}

/// Steps the app until its export finishes (at most ~6 s).
pub fn wait_for_export(h: &mut egui_kittest::Harness<'_, journeymap::ui::App>) {
    for _ in 0..600 {
        h.run_steps(1);
        if !h.state().export_running() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("the export did not finish");
}

/// In the open export dialog: types `path` into the File field (replacing what it held) and
/// clicks Export.
pub fn export_as(h: &mut Harness<'_, App>, path: &std::path::Path) {
    use egui_kittest::kittest::Queryable as _;
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "File")
        .click();
    h.run_steps(2);
    key(h, Modifiers::COMMAND, egui::Key::A);
    type_text(h, &path.display().to_string());
    h.get_by_label("Export").click();
    h.run_steps(2);
}
