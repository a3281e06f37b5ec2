//! The eframe editor: canvas, inspector, menus and dialogs. The UI reads the document and
//! sends commands; only view state (viewport, selection, gestures) lives here.

mod actions;
mod app;
mod asks;
mod canvas;
mod chrome;
mod clipboard;
mod compare;
mod conflicts;
mod dialogs;
mod document_files;
mod drivers;
mod export;
mod files;
mod inspector;
mod inspector_card;
mod inspector_map;
mod library;
mod map_links;
mod paint;
mod presentation;
mod recovery;
mod run;
mod scene_cache;
mod session;
mod versions;
mod view;
mod workshop;

pub use actions::Action;
pub use app::{App, AppOptions, Prefs, Selection, Start, sample_document};
pub use canvas::Gesture;
pub use export::ExportSettings;
pub use files::{FileDialogs, NoDialogs, RfdDialogs};
pub use presentation::{BAND_H as PRESENT_BAND_H, PRESENT_TEXT_SCALE, SMALLEST_TEXT_PX, step_zoom};
pub use recovery::{AUTOSAVE_AFTER_SECS, RecoveryMeta};
pub use view::Viewport;

/// The side panel's width when first shown, in points.
pub const INSPECTOR_WIDTH: f32 = 300.0;
/// The side panel's narrowest width.
pub const INSPECTOR_MIN: f32 = 240.0;
/// The side panel's widest width.
pub const INSPECTOR_MAX: f32 = 640.0;

use std::path::PathBuf;
use std::sync::Arc;

/// The font family the map is drawn with (the bundled font only, no fallback to system fonts).
pub const MAP_FONT: &str = "map";
/// The bold variant of [`MAP_FONT`].
pub const MAP_FONT_BOLD: &str = "map-bold";

/// Installs the bundled fonts: the map families use Inter, then the CJK fallback face (as the
/// layout measures and every export draws); the editor's own widgets use Inter first, egui's
/// built-in fonts after it (for the symbols egui's widgets draw), then the fallback.
pub fn install_fonts(ctx: &egui::Context) {
    use crate::layout::shape::FaceId;
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "inter".into(),
        Arc::new(egui::FontData::from_static(crate::layout::FONT_REGULAR)),
    );
    fonts.font_data.insert(
        "inter-bold".into(),
        Arc::new(egui::FontData::from_static(crate::layout::FONT_BOLD)),
    );
    fonts.font_data.insert(
        "fallback".into(),
        Arc::new(egui::FontData::from_static(crate::layout::FONT_FALLBACK)),
    );
    // The faces of the scripts the map shapes itself (see `layout::shape`): egui draws
    // them letter by letter, in the side panel's fields and while typing in a card.
    let scripts = [
        ("arabic", FaceId::Arabic),
        ("hebrew", FaceId::Hebrew),
        ("devanagari", FaceId::Devanagari),
        ("thai", FaceId::Thai),
    ];
    for (name, face) in scripts {
        fonts.font_data.insert(
            name.into(),
            Arc::new(egui::FontData::from_static(face.bytes())),
        );
    }
    let after: Vec<String> = std::iter::once("fallback")
        .chain(scripts.iter().map(|(n, _)| *n))
        .map(String::from)
        .collect();
    fonts.families.insert(
        egui::FontFamily::Name(MAP_FONT.into()),
        std::iter::once("inter".to_owned())
            .chain(after.clone())
            .collect(),
    );
    fonts.families.insert(
        egui::FontFamily::Name(MAP_FONT_BOLD.into()),
        std::iter::once("inter-bold".to_owned())
            .chain(after.clone())
            .collect(),
    );
    if let Some(list) = fonts.families.get_mut(&egui::FontFamily::Proportional) {
        list.insert(0, "inter".into());
        list.extend(after.iter().cloned());
    }
    if let Some(list) = fonts.families.get_mut(&egui::FontFamily::Monospace) {
        list.extend(after);
    }
    ctx.set_fonts(fonts);
}

/// Opens the editor window on `file` (or the sample map).
///
/// # Errors
/// When the window cannot be created (no display, no graphics).
pub fn run_native(file: Option<PathBuf>, start: Option<Start>) -> Result<(), eframe::Error> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Journeymap")
            .with_app_id("journeymap")
            .with_inner_size([1440.0, 900.0])
            .with_min_inner_size([640.0, 400.0])
            .with_drag_and_drop(true),
        renderer: eframe::Renderer::Glow,
        persist_window: true,
        ..Default::default()
    };
    eframe::run_native(
        "Journeymap",
        options,
        Box::new(move |cc| {
            let mut opts = AppOptions::new(file, Box::new(RfdDialogs));
            opts.workshop = start;
            Ok(Box::new(App::new(cc, opts)))
        }),
    )
}

/// Whether Enter was pressed in the one-line field `field` (it lost focus by it).
pub(crate) fn entered(ui: &egui::Ui, field: &egui::Response) -> bool {
    field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter))
}

/// A one-line field of `width` with a `hint` that takes the keyboard when `focus` is set (once)
/// and is submitted with Enter: true when it was.
pub(crate) fn submit_field(
    ui: &mut egui::Ui,
    text: &mut String,
    hint: &str,
    width: f32,
    focus: &mut bool,
) -> bool {
    let field = ui.add(
        egui::TextEdit::singleline(text)
            .hint_text(hint)
            .desired_width(width),
    );
    if std::mem::take(focus) {
        field.request_focus();
    }
    entered(ui, &field)
}
