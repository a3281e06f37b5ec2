//! [`App`]: the editor's state and its frame: menus, panels and dialogs (opening and saving
//! files is in `document_files`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use egui::{Key, Modifiers};

use super::actions::Action;
use super::files::FileDialogs;
use super::view::Viewport;
use crate::edit::{Command, Editor};
use crate::io::{self, FileStamp};
use crate::layout::{FontMeasure, Layout, TextCache, layout};
use crate::model::{Card, CardId, Document, LaneId, PointId, StageId};
use crate::render::{DisplayList, scene};
use crate::theme::{Theme, ThemeKind};

const PREFS_KEY: &str = "journeymap-prefs";
/// The sample map that opens when no file is given.
pub const SAMPLE_JSON: &str = include_str!("../../examples/surprise-bill.journeymap.json");

/// What the app starts with.
pub struct AppOptions {
    /// A map to open.
    pub file: Option<PathBuf>,
    /// How Open and Save As pick files.
    pub dialogs: Box<dyn FileDialogs>,
}

/// Preferences kept between runs (eframe storage). Documents are files, never here.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
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
}

/// What is selected (view state, not undoable).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Selection {
    /// Selected cards.
    pub cards: BTreeSet<CardId>,
    /// Selected emotion point.
    pub point: Option<PointId>,
    /// Selected stage.
    pub stage: Option<StageId>,
    /// Selected lane.
    pub lane: Option<LaneId>,
}

impl Selection {
    /// Whether nothing is selected.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.cards.is_empty() && self.point.is_none() && self.stage.is_none() && self.lane.is_none()
    }

    pub(crate) fn only_card(id: CardId) -> Self {
        Self {
            cards: BTreeSet::from([id]),
            ..Self::default()
        }
    }
}

/// What to do once the question about unsaved changes is answered.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Pending {
    New,
    PickOpen,
    Open(PathBuf),
    Close,
}

/// What to run once a dialog closes.
pub(crate) type AfterModal = Box<dyn FnOnce(&mut App)>;

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

/// A dialog over the editor.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Modal {
    Unsaved(Pending),
    /// A failure: heading and message.
    Error(&'static str, String),
    OpenPath(String),
    SaveAsPath(String),
    ChangedOnDisk(PathBuf),
}

/// What an in-place text editor is editing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum EditTarget {
    NewCard {
        stage: StageId,
        lane: LaneId,
        index: usize,
    },
    Card(CardId),
    Stage(StageId),
    Lane(LaneId),
}

/// An in-place text edit on the canvas.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TextEditing {
    pub target: EditTarget,
    pub buf: String,
    pub focused_once: bool,
}

/// Layout and display list of the current revision.
pub(crate) struct Cache {
    pub revision: u64,
    pub theme: ThemeKind,
    pub layout: Layout,
    pub display: DisplayList,
    pub text: TextCache,
    /// Index of each card in the document's `cards`.
    pub card_pos: std::collections::HashMap<CardId, usize>,
    /// The overview drawing of this revision, built when first needed.
    pub overview: Option<std::sync::Arc<super::paint::Overview>>,
    /// The same without text, for views zoomed out further still.
    pub far: Option<std::sync::Arc<super::paint::Overview>>,
}

/// The editor application.
pub struct App {
    pub(crate) editor: Editor,
    pub(crate) file: Option<PathBuf>,
    pub(crate) stamp: Option<FileStamp>,
    pub(crate) saved_revision: u64,
    pub(crate) view: Viewport,
    pub(crate) selection: Selection,
    pub(crate) gesture: super::canvas::Gesture,
    pub(crate) editing: Option<TextEditing>,
    pub(crate) modal: Option<Modal>,
    pub(crate) cache: Cache,
    pub(crate) prefs: Prefs,
    pub(crate) dialogs: Box<dyn FileDialogs>,
    pub(crate) fit_pending: bool,
    /// The view right after the last zoom-to-fit and the canvas size it fitted.
    pub(crate) fitted: Option<(Viewport, egui::Vec2)>,
    pub(crate) clipboard: Option<(String, Vec<Card>)>,
    pub(crate) status: Option<String>,
    pub(crate) closing: Closing,
    /// Whether the keyboard-shortcuts window is open.
    pub(crate) show_shortcuts: bool,
    /// What to do once the pending save succeeds (New, Open or Close after "Save").
    pub(crate) after_save: Option<Pending>,
    pub(crate) context_hit: Option<crate::layout::Hit>,
    pub(crate) canvas_rect: egui::Rect,
    pub(crate) last_cell: Option<(StageId, LaneId)>,
    pub(crate) export: super::export::ExportState,
    /// The context, for threads that need to wake the UI.
    pub(crate) egui_ctx: Option<egui::Context>,
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
        let mut app = Self::with_document(sample_document(), opts.dialogs);
        app.prefs = prefs;
        if let Some(path) = opts.file {
            app.open_path(&path);
        }
        app
    }

    fn with_document(doc: Document, dialogs: Box<dyn FileDialogs>) -> Self {
        let editor = Editor::new(doc);
        let saved_revision = editor.revision();
        Self {
            editor,
            file: None,
            stamp: None,
            saved_revision,
            view: Viewport::default(),
            selection: Selection::default(),
            gesture: super::canvas::Gesture::None,
            editing: None,
            modal: None,
            cache: Cache {
                revision: 0,
                theme: ThemeKind::Light,
                layout: Layout::default(),
                display: DisplayList::default(),
                text: TextCache::default(),
                overview: None,
                far: None,
                card_pos: std::collections::HashMap::new(),
            },
            prefs: Prefs::default(),
            dialogs,
            fit_pending: true,
            fitted: None,
            clipboard: None,
            status: None,
            closing: Closing::Ask,
            show_shortcuts: false,
            after_save: None,
            context_hit: None,
            canvas_rect: egui::Rect::NOTHING,
            last_cell: None,
            export: super::export::ExportState::default(),
            egui_ctx: None,
            title_shown: String::new(),
        }
    }

    /// The open document.
    #[must_use]
    pub fn doc(&self) -> &Document {
        self.editor.doc()
    }

    /// The editor (document and history).
    #[must_use]
    pub fn editor(&self) -> &Editor {
        &self.editor
    }

    /// The file the document belongs to.
    #[must_use]
    pub fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    /// The selection.
    #[must_use]
    pub fn selection(&self) -> &Selection {
        &self.selection
    }

    /// The viewport.
    #[must_use]
    pub fn viewport(&self) -> Viewport {
        self.view
    }

    /// The current layout (of the last frame's revision).
    #[must_use]
    pub fn layout(&self) -> &Layout {
        &self.cache.layout
    }

    /// The display list the canvas paints.
    #[must_use]
    pub fn display_list(&self) -> &DisplayList {
        &self.cache.display
    }

    /// The top-left of the canvas on screen.
    #[must_use]
    pub fn canvas_origin(&self) -> egui::Pos2 {
        self.canvas_rect.min
    }

    /// The message of the open error dialog, if any.
    #[must_use]
    pub fn error_message(&self) -> Option<&str> {
        match &self.modal {
            Some(Modal::Error(_, m)) => Some(m),
            _ => None,
        }
    }

    /// The status bar's message, if any.
    #[must_use]
    pub fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }

    /// Whether the app is asking whether to save unsaved changes.
    #[must_use]
    pub fn is_asking_to_save(&self) -> bool {
        matches!(self.modal, Some(Modal::Unsaved(_)))
    }

    /// Whether a close of the window was allowed (changes saved or discarded).
    #[must_use]
    pub fn close_allowed(&self) -> bool {
        self.closing != Closing::Ask
    }

    /// Whether an in-place text editor is open on the canvas.
    #[must_use]
    pub fn is_editing_text(&self) -> bool {
        self.editing.is_some()
    }

    /// Creates the app without eframe (for benchmarks and headless use).
    #[must_use]
    pub fn headless(ctx: &egui::Context, doc: Document) -> Self {
        super::install_fonts(ctx);
        ctx.options_mut(|o| o.zoom_with_keyboard = false);
        Self::with_document(doc, Box::new(super::files::NoDialogs))
    }

    /// Draws one frame of the whole editor into `ui` (what eframe calls each frame).
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if self.egui_ctx.is_none() {
            self.egui_ctx = Some(ctx.clone());
        }
        self.poll_export(&ctx);
        self.shortcuts(&ctx);
        egui::Panel::top("menu").show(ui, |ui| self.menu_bar_ui(ui));
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar_ui(ui));
        egui::Panel::right("inspector")
            .default_size(300.0)
            .resizable(true)
            .show(ui, |ui| {
                super::inspector::inspector_ui(self, ui);
            });
        egui::CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| super::canvas::canvas_ui(self, ui));
        self.shortcuts_window_ui(&ctx);
        self.export_dialog_ui(&ctx);
        self.modal_ui(&ctx);
    }

    /// Starts dragging a card (as a pointer press would); for benchmarks of the drag frame.
    pub fn begin_card_drag(&mut self, id: CardId) {
        if let Some(c) = self.cache.layout.card(id) {
            let p = c.rect.center();
            self.selection = Selection::only_card(id);
            self.gesture = super::canvas::Gesture::DragCards {
                ids: vec![id],
                grab: p,
                current: crate::geom::Pos::new(p.x + 40.0, p.y + 30.0),
            };
        }
    }

    /// Opens the in-place editor on a card with some text typed (for benchmarks of typing).
    pub fn begin_typing(&mut self, id: CardId, text: &str) {
        self.editing = Some(TextEditing {
            target: EditTarget::Card(id),
            buf: text.to_string(),
            focused_once: false,
        });
    }

    /// Zooms so the whole map fits on the next frame.
    pub fn request_fit(&mut self) {
        self.fit_pending = true;
    }

    /// Sets the viewport.
    pub fn set_viewport(&mut self, v: Viewport) {
        self.view = v;
    }

    /// Whether the document has changes not yet saved.
    #[must_use]
    pub fn is_dirty(&self) -> bool {
        self.editor.revision() != self.saved_revision
    }

    /// Preferences.
    #[must_use]
    pub fn prefs(&self) -> &Prefs {
        &self.prefs
    }

    /// Applies a command as one undo step, as the UI does (for scripting and benchmarks).
    ///
    /// # Errors
    /// When the command is refused; the document is then unchanged.
    pub fn apply_command(&mut self, cmd: &Command) -> Result<(), crate::edit::EditError> {
        self.editor.apply(cmd)
    }

    /// Applies a command as one undo step; a refused command is reported in the status line.
    pub(crate) fn apply(&mut self, cmd: &Command) {
        if let Err(e) = self.editor.apply(cmd) {
            self.status = Some(format!("Not done: {e}"));
        }
    }

    /// Recomputes layout and display list if the document or theme changed.
    pub(crate) fn refresh(&mut self) {
        let rev = self.editor.revision();
        if self.cache.revision == rev && self.cache.theme == self.prefs.theme {
            return;
        }
        let doc = self.editor.doc();
        self.cache.layout = layout(doc, FontMeasure::shared(), &mut self.cache.text);
        self.cache.display = scene(doc, &self.cache.layout, &Theme::get(self.prefs.theme));
        self.cache.overview = None;
        self.cache.far = None;
        self.cache.revision = rev;
        self.cache.theme = self.prefs.theme;
        // Drop selections of things that no longer exist.
        let doc = self.editor.doc();
        self.cache.card_pos = doc
            .cards
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id, i))
            .collect();
        let pos = &self.cache.card_pos;
        self.selection.cards.retain(|id| pos.contains_key(id));
        self.selection.point = self.selection.point.filter(|p| doc.point(*p).is_some());
        self.selection.stage = self.selection.stage.filter(|s| doc.stage(*s).is_some());
        self.selection.lane = self.selection.lane.filter(|l| doc.lane(*l).is_some());
    }

    // ----- actions -----

    /// Whether an action can run now.
    #[must_use]
    pub fn enabled(&self, a: Action) -> bool {
        match a {
            Action::Undo => self.editor.can_undo(),
            Action::Redo => self.editor.can_redo(),
            Action::Copy | Action::Cut | Action::Duplicate => !self.selection.cards.is_empty(),
            Action::Delete => !self.selection.is_empty(),
            Action::EditCard => self.selection.cards.len() == 1,
            Action::Export | Action::ExportAgain => self.export.job.is_none(),
            _ => true,
        }
    }

    /// Runs an action.
    pub fn run(&mut self, ctx: &egui::Context, a: Action) {
        match a {
            Action::New => self.request(Pending::New),
            Action::Open => self.request(Pending::PickOpen),
            Action::OpenPath => self.modal = Some(Modal::OpenPath(String::new())),
            Action::Save => self.save(),
            Action::SaveAs => self.save_as(),
            Action::Undo => {
                self.editing = None;
                self.editor.undo();
            }
            Action::Redo => {
                self.editing = None;
                self.editor.redo();
            }
            Action::Copy => self.copy(ctx, false),
            Action::Cut => self.copy(ctx, true),
            Action::Paste => {
                if let Some((text, _)) = &self.clipboard {
                    let text = text.clone();
                    self.paste(&text);
                }
            }
            Action::Duplicate => self.duplicate(),
            Action::Delete => self.delete_selection(),
            Action::SelectAll => {
                self.selection = Selection {
                    cards: self.doc().cards.iter().map(|c| c.id).collect(),
                    ..Selection::default()
                };
            }
            Action::EditCard => {
                if let Some(id) = self.selection.cards.first().copied()
                    && let Some(card) = self.doc().card(id)
                {
                    self.editing = Some(TextEditing {
                        target: EditTarget::Card(id),
                        buf: card.text.clone(),
                        focused_once: false,
                    });
                }
            }
            Action::ZoomIn => self.zoom_keys(1.25),
            Action::ZoomOut => self.zoom_keys(0.8),
            Action::ZoomReset => {
                let c = self.canvas_rect.center();
                let f = 1.0 / self.view.zoom;
                self.view.zoom_around(self.canvas_rect.min, c, f);
            }
            Action::ZoomFit => self.fit_pending = true,
            Action::Shortcuts => self.show_shortcuts = !self.show_shortcuts,
            Action::Export => self.open_export_dialog(),
            Action::ExportAgain => self.export_again(),
            Action::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
        }
    }

    fn zoom_keys(&mut self, factor: f32) {
        let c = self.canvas_rect.center();
        self.view.zoom_around(self.canvas_rect.min, c, factor);
    }

    // ----- frame -----

    fn shortcuts(&mut self, ctx: &egui::Context) {
        // Escape cancels an in-place edit (egui has already taken focus from the text field
        // by now, so this cannot wait for the field).
        if self.editing.is_some()
            && self.modal.is_none()
            && ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape))
        {
            self.editing = None;
            return;
        }
        if self.modal.is_some() || self.export.dialog.is_some() || ctx.egui_wants_keyboard_input() {
            return;
        }
        for &(a, s) in Action::key_shortcuts() {
            if ctx.input_mut(|i| i.consume_shortcut(&s)) && self.enabled(a) {
                self.run(ctx, a);
            }
        }
        let events = ctx.input(|i| i.events.clone());
        for e in events {
            match e {
                egui::Event::Copy => self.copy(ctx, false),
                egui::Event::Cut => self.copy(ctx, true),
                egui::Event::Paste(text) => self.paste(&text),
                _ => {}
            }
        }
        super::context_menu::keyboard_navigation(self, ctx);
        if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape)) {
            self.selection = Selection::default();
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
        // Runs even while the window is hidden: never let a close drop unsaved work.
        if ctx.input(|i| i.viewport().close_requested())
            && self.is_dirty()
            && self.closing == Closing::Ask
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            if self.modal.is_none() {
                self.modal = Some(Modal::Unsaved(Pending::Close));
            }
        }
        if self.closing == Closing::CloseNow {
            self.closing = Closing::Allowed;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
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
        let title = self.window_title();
        if title != self.title_shown {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title_shown = title;
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let dark = self.prefs.theme == ThemeKind::Dark;
        let want = if dark {
            egui::Theme::Dark
        } else {
            egui::Theme::Light
        };
        if ui.ctx().theme() != want {
            ui.ctx().set_theme(want);
        }
        self.frame_ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFS_KEY, &self.prefs);
    }
}
