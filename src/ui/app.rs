//! [`App`]: the editor, as a few rooms — the document [`Session`] (editor, file, queued
//! commands, autosave), the [`Canvas`] (view, selection, gestures, in-place editing), the
//! [`Dialogs`] (modals, toasts, status, export) and the [`SceneCache`] (layout and display
//! list) — and the order of a frame: queued commands are applied, then keys, then layout,
//! then panels and the canvas draw from that one layout.

use std::path::{Path, PathBuf};

use super::actions::Action;
use super::canvas::Canvas;
use super::dialogs::{Dialogs, Modal};
use super::files::FileDialogs;
use super::scene_cache::SceneCache;
use super::session::Session;
use super::view::Viewport;
use crate::edit::{Command, Editor};
use crate::io;
use crate::layout::{Layout, Style};
use crate::model::{Card, CardId, Document, LaneId, PointId, StageId};
use crate::render::DisplayList;
use crate::theme::ThemeKind;

const PREFS_KEY: &str = "journeymap-prefs";
/// The sample map that opens when no file is given.
pub const SAMPLE_JSON: &str = include_str!("../../examples/surprise-bill.journeymap.json");

/// What the app starts with.
pub struct AppOptions {
    /// A map to open.
    pub file: Option<PathBuf>,
    /// How Open and Save As pick files.
    pub dialogs: Box<dyn FileDialogs>,
    /// Where unsaved work is kept for recovery after a crash (`None`: the platform's data
    /// folder, `journeymap/recovery`).
    pub recovery_dir: Option<PathBuf>,
    /// A workshop to host or join once the window is up.
    pub workshop: Option<Start>,
}

/// A workshop to start with the window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Start {
    /// Host one for the opened map (on this port, else 7117 or another free one).
    Host(Option<u16>),
    /// Join the one at this address.
    Join(String),
}

impl AppOptions {
    /// Options for a file (or the sample), with no file dialogs and the default recovery folder.
    #[must_use]
    pub fn new(file: Option<PathBuf>, dialogs: Box<dyn FileDialogs>) -> Self {
        Self {
            file,
            dialogs,
            recovery_dir: None,
            workshop: None,
        }
    }
}

/// Preferences kept between runs (eframe storage). Documents are files, never here.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Prefs {
    /// Recently opened or saved maps, newest first.
    pub recent: Vec<PathBuf>,
    /// Canvas theme.
    pub theme: ThemeKind,
    /// The last export's settings.
    pub export: Option<super::export::ExportSettings>,
    /// The map file the last export was of (its path is only reused for the same map).
    pub export_for: Option<PathBuf>,
    /// Whether the side panel is shown.
    pub show_inspector: bool,
    /// The side panel's width, in points.
    pub inspector_width: f32,
    /// Text size on the canvas (1.0 = 100 %).
    pub text_scale: f32,
    /// Whether the persona strip above the canvas is open.
    pub show_personas: bool,
}

impl Default for Prefs {
    fn default() -> Self {
        Self {
            recent: Vec::new(),
            theme: ThemeKind::Light,
            export: None,
            export_for: None,
            show_inspector: true,
            inspector_width: super::INSPECTOR_WIDTH,
            text_scale: 1.0,
            show_personas: true,
        }
    }
}

impl Prefs {
    /// The canvas's text style.
    #[must_use]
    pub fn style(&self) -> Style {
        Style::scaled(self.text_scale.clamp(Style::MIN_SCALE, Style::MAX_SCALE))
    }
}

/// What is selected (view state, not undoable).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Selection {
    /// Selected cards.
    pub cards: std::collections::BTreeSet<CardId>,
    /// Selected emotion point.
    pub point: Option<PointId>,
    /// Selected stage.
    pub stage: Option<StageId>,
    /// Selected lane.
    pub lane: Option<LaneId>,
    /// A selected cell (stage × lane): typing starts a card there; in the emotion lane, keys
    /// set that stage's point.
    pub cell: Option<(StageId, LaneId)>,
    /// A selected link.
    pub link: Option<crate::model::LinkId>,
}

impl Selection {
    /// Whether nothing is selected.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.cards.is_empty()
            && self.point.is_none()
            && self.stage.is_none()
            && self.lane.is_none()
            && self.cell.is_none()
            && self.link.is_none()
    }

    pub(crate) fn only_card(id: CardId) -> Self {
        Self {
            cards: std::collections::BTreeSet::from([id]),
            ..Self::default()
        }
    }

    pub(crate) fn only_stage(id: StageId) -> Self {
        Self {
            stage: Some(id),
            ..Self::default()
        }
    }

    pub(crate) fn only_cell(stage: StageId, lane: LaneId) -> Self {
        Self {
            cell: Some((stage, lane)),
            ..Self::default()
        }
    }
}

/// What to do once the question about unsaved changes is answered.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Pending {
    New,
    /// A new map from a built-in template.
    NewFrom(crate::io::templates::Template),
    PickOpen,
    Open(PathBuf),
    /// Import another tool's file: pick it (or type its path).
    PickImport,
    Close,
}

/// Whether closing the window needs asking about unsaved changes first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Closing {
    /// Ask if there are unsaved changes.
    Ask,
    /// The user said to close (saved or discarded).
    Allowed,
    /// Allowed, and the window should be closed on the next frame.
    CloseNow,
}

/// The editor application.
pub struct App {
    pub(crate) session: Session,
    pub(crate) canvas: Canvas,
    pub(crate) dialogs: Dialogs,
    pub(crate) scene: SceneCache,
    pub(crate) prefs: Prefs,
    pub(crate) clipboard: Option<(String, Vec<Card>)>,
    pub(crate) file_dialogs: Box<dyn FileDialogs>,
    /// The context, for threads that need to wake the UI.
    pub(crate) egui_ctx: Option<egui::Context>,
    /// The window's size last frame (a change refits a fitted view; the side panel does not).
    pub(crate) window_size: egui::Vec2,
    title_shown: String,
}

impl App {
    /// Creates the app (call from eframe's creation closure).
    #[must_use]
    pub fn new(cc: &eframe::CreationContext<'_>, opts: AppOptions) -> Self {
        super::install_fonts(&cc.egui_ctx);
        cc.egui_ctx.options_mut(|o| o.zoom_with_keyboard = false);
        let prefs: Prefs = cc
            .storage
            .and_then(|s| eframe::get_value(s, PREFS_KEY))
            .unwrap_or_default();
        let recovery_dir = opts
            .recovery_dir
            .clone()
            .or_else(super::recovery::default_dir);
        let mut app = Self::with_document(sample_document(), opts.dialogs, recovery_dir);
        app.prefs = prefs;
        // The theme from the first frame on: switching it in the first frame would lay out
        // and rasterise every text of the window a second time.
        cc.egui_ctx.set_theme(app.egui_theme());
        app.egui_ctx = Some(cc.egui_ctx.clone());
        if let Some(path) = opts.file {
            app.import_or_open(&path);
        }
        app.offer_recovery();
        match opts.workshop {
            Some(Start::Host(port)) => app.host_workshop_on(port),
            Some(Start::Join(url)) => app.join_workshop(&url),
            None => {}
        }
        app
    }

    fn with_document(
        doc: Document,
        file_dialogs: Box<dyn FileDialogs>,
        recovery_dir: Option<PathBuf>,
    ) -> Self {
        Self {
            session: Session::new(Editor::new(doc), recovery_dir),
            canvas: Canvas::default(),
            dialogs: Dialogs::default(),
            scene: SceneCache::default(),
            prefs: Prefs::default(),
            clipboard: None,
            file_dialogs,
            egui_ctx: None,
            window_size: egui::Vec2::ZERO,
            title_shown: String::new(),
        }
    }

    /// Creates the app without eframe (for benchmarks and headless use); no autosave.
    #[must_use]
    pub fn headless(ctx: &egui::Context, doc: Document) -> Self {
        super::install_fonts(ctx);
        ctx.options_mut(|o| o.zoom_with_keyboard = false);
        let mut app = Self::with_document(doc, Box::new(super::files::NoDialogs), None);
        app.egui_ctx = Some(ctx.clone());
        app
    }

    /// Like [`App::headless`], with autosave into `recovery_dir` (for benchmarks of it).
    #[must_use]
    pub fn headless_with_recovery(
        ctx: &egui::Context,
        doc: Document,
        recovery_dir: PathBuf,
    ) -> Self {
        let mut app = Self::headless(ctx, doc);
        app.session = Session::new(
            Editor::new(app.session.editor.doc().clone()),
            Some(recovery_dir),
        );
        app
    }

    // ----- what tests and benchmarks read -----

    /// The address of the live workshop this map is in, if any.
    #[must_use]
    pub fn workshop_url(&self) -> Option<&str> {
        self.session.workshop.as_ref().map(|w| w.url.as_str())
    }

    /// The open document.
    #[must_use]
    pub fn doc(&self) -> &Document {
        self.session.editor.doc()
    }

    /// The driver analysis of the survey read with Data → Import survey…, if any: the fit
    /// and whether its bootstrap is still running.
    #[must_use]
    pub fn drivers(&self) -> Option<(&crate::drivers::Fit, bool)> {
        self.dialogs
            .drivers
            .as_ref()
            .map(|d| (&d.fit, d.job.is_some()))
    }

    /// The editor (document and history).
    #[must_use]
    pub fn editor(&self) -> &Editor {
        &self.session.editor
    }

    /// The file the document belongs to.
    #[must_use]
    pub fn file(&self) -> Option<&Path> {
        self.session.file.as_deref()
    }

    /// The selection.
    #[must_use]
    pub fn selection(&self) -> &Selection {
        &self.canvas.selection
    }

    /// The viewport.
    #[must_use]
    pub fn viewport(&self) -> Viewport {
        self.canvas.view
    }

    /// The current layout (of the last frame's revision).
    #[must_use]
    pub fn layout(&self) -> &Layout {
        self.scene.layout()
    }

    /// The display list the canvas paints (cards in layout order).
    #[must_use]
    pub fn display_list(&self) -> DisplayList {
        self.scene.scene.to_list(self.scene.layout())
    }

    /// The canvas on screen.
    #[must_use]
    pub fn canvas_rect(&self) -> egui::Rect {
        self.canvas.rect
    }

    /// The top-left of the canvas on screen.
    #[must_use]
    pub fn canvas_origin(&self) -> egui::Pos2 {
        self.canvas.rect.min
    }

    /// The message of the open error dialog, if any.
    #[must_use]
    pub fn error_message(&self) -> Option<&str> {
        match &self.dialogs.modal {
            Some(Modal::Error(_, m)) => Some(m),
            _ => None,
        }
    }

    /// The status bar's message, if any.
    #[must_use]
    pub fn status(&self) -> Option<&str> {
        self.dialogs.status.as_deref()
    }

    /// The messages of the toasts on screen.
    #[must_use]
    pub fn toasts(&self) -> Vec<String> {
        self.dialogs.toasts.messages()
    }

    /// Whether the app is asking whether to save unsaved changes.
    #[must_use]
    pub fn is_asking_to_save(&self) -> bool {
        matches!(self.dialogs.modal, Some(Modal::Unsaved(_)))
    }

    /// Whether the app is offering to restore unsaved work from a crash.
    #[must_use]
    pub fn is_offering_recovery(&self) -> bool {
        matches!(self.dialogs.modal, Some(Modal::Restore(_)))
    }

    /// Whether a close of the window was allowed (changes saved or discarded).
    #[must_use]
    pub fn close_allowed(&self) -> bool {
        self.session.closing != Closing::Ask
    }

    /// Whether an in-place text editor is open on the canvas.
    #[must_use]
    pub fn is_editing_text(&self) -> bool {
        self.canvas.editing.is_some()
    }

    /// The text in the in-place editor, if one is open.
    #[must_use]
    pub fn editing_text(&self) -> Option<&str> {
        self.canvas.editing.as_ref().map(|e| e.buf.as_str())
    }

    /// Whether the app is presenting.
    #[must_use]
    pub fn is_presenting(&self) -> bool {
        self.canvas.presentation.is_some()
    }

    /// The stage the presentation shows (`None`: the whole map, or not presenting).
    #[must_use]
    pub fn presented_stage(&self) -> Option<usize> {
        self.canvas.presentation.as_ref().and_then(|p| p.stage)
    }

    /// Whether the canvas shows the executive view.
    #[must_use]
    pub fn is_executive(&self) -> bool {
        self.canvas.executive
    }

    /// What card colours say on the canvas.
    #[must_use]
    pub fn colour_by(&self) -> &crate::render::ColourBy {
        &self.canvas.colour_by
    }

    /// "Link to…" is waiting for a click on the target card.
    #[must_use]
    pub fn is_linking(&self) -> bool {
        self.canvas.linking.is_some()
    }

    /// Whether the side panel is shown.
    #[must_use]
    pub fn inspector_shown(&self) -> bool {
        self.prefs.show_inspector && !self.is_presenting()
    }

    /// Whether the document has changes not yet saved.
    #[must_use]
    pub fn is_dirty(&self) -> bool {
        self.session.is_dirty()
    }

    /// Preferences.
    #[must_use]
    pub fn prefs(&self) -> &Prefs {
        &self.prefs
    }

    /// Where unsaved work is being kept for recovery (`None`: no autosave).
    #[must_use]
    pub fn recovery_files(&self) -> Option<(PathBuf, PathBuf)> {
        self.session
            .recovery
            .as_ref()
            .map(super::recovery::Recovery::files)
    }

    // ----- driving it from code (benchmarks, scripts) -----

    /// Draws one frame of the whole editor into `ui` (what eframe calls each frame).
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if self.egui_ctx.is_none() {
            self.egui_ctx = Some(ctx.clone());
        }
        self.poll_export(&ctx);
        self.end_gestures();
        // Keys and panels queue commands; the canvas applies them all in one place, before it
        // lays the map out (`canvas_ui`).
        self.keys(&ctx);
        self.refresh();
        let presenting = self.is_presenting();
        if !presenting {
            egui::Panel::top("menu").show(ui, |ui| self.menu_bar(ui));
            egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
            if self.prefs.show_inspector {
                let resp = egui::Panel::right("inspector")
                    .default_size(self.prefs.inspector_width)
                    .size_range(super::INSPECTOR_MIN..=super::INSPECTOR_MAX)
                    .resizable(true)
                    .show(ui, |ui| self.inspector_panel(ui));
                self.prefs.inspector_width = resp.response.rect.width().round();
            }
            egui::Panel::top("personas").show(ui, |ui| {
                let personas = &self.session.editor.doc().personas;
                super::canvas::personas_ui(
                    ui,
                    personas,
                    self.prefs.theme,
                    &mut self.prefs.show_personas,
                );
            });
        }
        egui::CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| super::canvas::canvas_ui(self, ui));
        if !presenting {
            super::chrome::shortcuts_window_ui(&ctx, &mut self.dialogs.show_shortcuts);
            self.drivers_ui(&ctx);
            self.conflicts_window(&ctx);
            self.compare_ui(&ctx);
            self.library_ui(&ctx);
            self.map_links_ui(&ctx);
            self.versions_ui(&ctx);
            self.export_dialog_ui(&ctx);
            self.workshop_window(&ctx);
        }
        self.toasts_shown(&ctx);
        if let Some(w) = &self.session.workshop {
            let theme = crate::theme::Theme::get(self.prefs.theme);
            super::workshop::workshop_timer_ui(&ctx, w, self.canvas.rect, &theme);
        }
        self.modal_ui(&ctx);
        self.autosave(&ctx);
        if self.session.has_queued() {
            ctx.request_repaint();
        }
    }

    /// Starts dragging a card (as a pointer press would); for benchmarks of the drag frame.
    pub fn begin_card_drag(&mut self, id: CardId) {
        if let Some(c) = self.scene.layout().card(id) {
            let p = c.rect.center();
            self.canvas.selection = Selection::only_card(id);
            self.canvas.gesture = super::canvas::Gesture::DragCards {
                ids: vec![id],
                grab: p,
                current: crate::geom::Pos::new(p.x + 40.0, p.y + 30.0),
            };
        }
    }

    /// Opens the in-place editor on a card with some text typed (for benchmarks of typing).
    pub fn begin_typing(&mut self, id: CardId, text: &str) {
        self.canvas.editing = Some(super::canvas::TextEditing::new(
            super::canvas::EditTarget::Card(id),
            text.to_string(),
        ));
    }

    /// Zooms so the whole map fits on the next frame.
    pub fn request_fit(&mut self) {
        self.canvas.fit_pending = true;
    }

    /// Shows the map at this view (a zoom-to-fit still pending, as when the app starts, is
    /// dropped).
    pub fn set_viewport(&mut self, v: Viewport) {
        self.canvas.view = v;
        self.canvas.fit_pending = false;
    }

    /// egui's theme for the user's: its widgets light or dark with the map.
    fn egui_theme(&self) -> egui::Theme {
        if self.prefs.theme == ThemeKind::Dark {
            egui::Theme::Dark
        } else {
            egui::Theme::Light
        }
    }

    /// Queues a command to be applied at the start of the next frame, before layout (as the UI
    /// does).
    pub fn queue_command(&mut self, cmd: Command) {
        self.session.queue(cmd);
    }

    // ----- frame -----

    /// Applies a command now (live gestures in a transaction, and code that needs the result
    /// before the next frame); a refused command is reported in the status line.
    pub(crate) fn apply_now(&mut self, cmd: &Command) {
        if let Err(e) = self.session.editor.apply(cmd) {
            self.dialogs.status = Some(format!("Not done: {e}"));
        }
    }

    /// Queues a command for the start of the next frame.
    pub(crate) fn queue(&mut self, cmd: Command) {
        self.session.queue(cmd);
    }

    /// Queues a command and what to do once it is applied, with the ids it minted.
    pub(crate) fn queue_then(
        &mut self,
        cmd: Command,
        then: impl FnOnce(&mut super::canvas::Canvas, &[u64]) + 'static,
    ) {
        self.session.queue_then(cmd, None, Box::new(then));
    }

    /// Queues a command that says what it did in a toast with an Undo button once applied.
    pub(crate) fn queue_with_toast(&mut self, cmd: Command, toast: super::dialogs::Toast) {
        self.session.queue_with_toast(cmd, toast);
    }

    /// The curve new points go to: the one chosen (by its legend chip or a point), else the
    /// first visible perceived curve, else the first visible curve.
    #[must_use]
    pub fn active_curve(&self) -> Option<crate::model::CurveId> {
        self.canvas.curve_for_points(self.doc())
    }

    /// What the side panel and the menus read (they ask for what they change).
    pub(crate) fn shown<'a>(
        &'a self,
        can: &'a dyn Fn(super::actions::Action) -> bool,
    ) -> super::inspector::Shown<'a> {
        super::inspector::Shown {
            doc: self.doc(),
            selection: &self.canvas.selection,
            active_curve: self.active_curve(),
            executive: self.canvas.executive,
            can,
            map_links: Vec::new(),
        }
    }

    /// Whether an action can run now.
    #[must_use]
    pub fn enabled(&self, a: Action) -> bool {
        let sel = &self.canvas.selection;
        match a {
            Action::Undo => self.session.editor.can_undo(),
            Action::Redo => self.session.editor.can_redo(),
            Action::Copy | Action::Cut | Action::Duplicate => !sel.cards.is_empty(),
            Action::Paste => self.clipboard.is_some(),
            Action::Delete => {
                let doc = self.doc();
                let emotion_points = sel.cell.is_some_and(|(s, l)| {
                    doc.lane(l).is_some_and(|l| !l.kind.holds_cards())
                        && doc.emotion.points().any(|(_, p)| p.stage == s)
                });
                !sel.cards.is_empty()
                    || sel.point.is_some()
                    || sel.stage.is_some()
                    || sel.lane.is_some()
                    || sel.link.is_some()
                    || emotion_points
            }
            Action::LinkTo | Action::LinkToMap => sel.cards.len() == 1,
            Action::BackToMap => self.dialogs.map_links.back.is_some(),
            Action::EditCard => sel.cards.len() == 1 || sel.cell.is_some() || sel.stage.is_some(),
            Action::SetChannel(_) => !sel.cards.is_empty() || self.canvas.editing_card(),
            Action::Export | Action::ExportAgain => self.dialogs.export.job.is_none(),
            Action::DriversPanel => self.dialogs.drivers.is_some(),
            Action::MergeConflicts => !self.doc().conflicts.is_empty(),
            Action::RefreshMetrics => self
                .doc()
                .cards
                .iter()
                .any(|c| c.metrics.iter().any(|m| m.source.is_some())),
            Action::ShowBase => !self.doc().based_on.trim().is_empty(),
            // Versions are kept beside the map's file.
            Action::SaveVersion | Action::Versions => self.session.file.is_some(),
            Action::TextLarger => self.prefs.text_scale < Style::MAX_SCALE - 0.01,
            Action::TextSmaller => self.prefs.text_scale > Style::MIN_SCALE + 0.01,
            Action::NextStage
            | Action::PreviousStage
            | Action::WholeMap
            | Action::LanesDown
            | Action::LanesUp => self.is_presenting(),
            _ => true,
        }
    }

    fn title_and_close(&mut self, ctx: &egui::Context) {
        // Runs even while the window is hidden: never let a close drop unsaved work.
        if ctx.input(|i| i.viewport().close_requested()) {
            if self.export_running() && !self.session.quit_during_export {
                // Asked first: the export would be cut off.
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                if self.dialogs.modal.is_none() {
                    self.dialogs.modal = Some(Modal::ExportRunning);
                }
                return;
            }
            if self.session.quit_during_export
                && let Some(job) = &self.dialogs.export.job
            {
                // The unfinished export's temporary file goes with it.
                crate::io::files::remove_temps_of(&job.path);
            }
            if self.is_dirty() && self.session.closing == Closing::Ask {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                if self.dialogs.modal.is_none() {
                    self.dialogs.modal = Some(Modal::Unsaved(Pending::Close));
                }
            } else {
                // A normal close: the recovery file is not needed any more.
                self.session.discard_recovery();
            }
        }
        if self.session.closing == Closing::CloseNow {
            self.session.closing = Closing::Allowed;
            self.session.discard_recovery();
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        let title = self.window_title();
        if title != self.title_shown {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title_shown = title;
        }
    }
}

/// The sample map shipped in `examples/`.
#[must_use]
pub fn sample_document() -> Document {
    io::from_json_str(SAMPLE_JSON, "examples/surprise-bill.journeymap.json")
        .unwrap_or_else(|_| crate::model::sample_map())
}

impl eframe::App for App {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.title_and_close(ctx);
        // A live workshop exchanges edits even while the window is hidden or covered (the
        // canvas steps it again before layout when it is shown).
        self.workshop_step();
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if let Some(p) = dropped.into_iter().next() {
            self.request(Pending::Open(p));
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let want = self.egui_theme();
        if ui.ctx().theme() != want {
            ui.ctx().set_theme(want);
        }
        self.frame_ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFS_KEY, &self.prefs);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.session.finish_recovery(self.is_dirty());
    }
}
