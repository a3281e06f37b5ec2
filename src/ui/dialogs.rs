//! The dialogs room: modal questions (unsaved changes, errors, typed paths, a file changed on
//! disk, restoring unsaved work), the status line, toasts that say what a change did with an
//! Undo button (no modal confirmations in the capture path), and the export dialog's state.

use std::path::PathBuf;

use egui::Key;

use super::app::{App, Closing, Pending};
use super::recovery::Orphan;
use crate::model::{LaneId, StageId};

/// A dialog over the editor.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Modal {
    Unsaved(Pending),
    /// A failure: heading and message.
    Error(&'static str, String),
    OpenPath(String),
    SaveAsPath(String),
    /// The path of a file to import, typed.
    ImportPath(String),
    /// Something worth reading that is not a failure: heading and message.
    Notice(String, String),
    /// The path of a survey, its overall column, and what went wrong last time.
    SurveyPath {
        path: String,
        overall: String,
        error: Option<String>,
    },
    ChangedOnDisk(PathBuf),
    /// Unsaved work of an editor that did not close normally.
    Restore(Orphan),
    /// Closing while an export runs.
    ExportRunning,
    /// The address of a workshop to join, typed or pasted.
    JoinWorkshop(String),
}

/// What a toast can do besides Undo.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum ToastAction {
    /// Lines pasted as many cards: put them in one card instead.
    OneCard {
        text: String,
        stage: StageId,
        lane: LaneId,
        index: usize,
    },
}

/// A short message at the bottom of the canvas.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Toast {
    pub text: String,
    /// The revision right after the change: Undo is offered while it is still the last one.
    pub undo_rev: Option<u64>,
    pub action: Option<ToastAction>,
    /// When it appeared (egui time; set when first shown).
    pub born: Option<f64>,
}

/// How long a toast stays (unless the pointer is on it).
const TOAST_SECS: f64 = 8.0;

/// The toasts on screen, newest last.
#[derive(Default)]
pub(crate) struct Toasts {
    list: Vec<Toast>,
}

impl Toast {
    /// A toast saying what a change did (Undo is offered once it is applied).
    pub fn said(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            undo_rev: None,
            action: None,
            born: None,
        }
    }
}

impl Toasts {
    pub fn push_toast(&mut self, t: Toast) {
        self.list.push(t);
        if self.list.len() > 3 {
            self.list.remove(0);
        }
    }

    pub fn messages(&self) -> Vec<String> {
        self.list.iter().map(|t| t.text.clone()).collect()
    }
}

/// The dialogs room.
#[derive(Default)]
pub(crate) struct Dialogs {
    pub modal: Option<Modal>,
    pub show_shortcuts: bool,
    /// A survey's driver analysis and its panel.
    pub drivers: Option<super::drivers::DriversState>,
    /// What a merge left marked, and its window.
    pub conflicts: super::conflicts::ConflictsState,
    /// The library window.
    pub library: super::library::LibraryState,
    /// Links to other maps: the picker, following them, going back.
    pub map_links: super::map_links::MapLinksState,
    /// The compare window.
    pub compare: super::compare::CompareState,
    /// The versions window.
    pub versions: super::versions::VersionsState,
    /// A survey being read and fitted off the UI thread.
    pub survey_load: Option<super::drivers::SurveyLoad>,
    pub export: super::export::ExportState,
    pub status: Option<String>,
    pub toasts: Toasts,
    /// Whether the workshop window is shown.
    pub workshop_open: bool,
    /// Whether a modal was open last frame (menus close when one opens).
    modal_was_open: bool,
}

/// What the app does once a dialog closes (its file and session flows).
#[derive(Debug)]
pub(crate) enum After {
    /// Save, then go on with what was asked (even if the save first asks for a path or about
    /// a file changed on disk).
    SaveThen(Pending),
    /// Go on without saving.
    Proceed(Pending),
    /// Stop the running export and quit.
    QuitDuringExport,
    LoadSurvey(PathBuf, String),
    Request(Pending),
    SaveAsPath(PathBuf),
    Join(String),
    Import(PathBuf),
    /// Overwrite the file changed on disk.
    WriteTo(PathBuf),
    SaveAs,
    Restore(Orphan),
    /// Throw the unsaved work away, then offer the next.
    Discard(Orphan),
}

/// What the dialogs show besides their own state.
pub(crate) struct ModalShown<'a> {
    /// The map's file.
    pub file: Option<&'a std::path::Path>,
    /// Where the running export writes.
    pub export_path: Option<&'a std::path::Path>,
}

/// The dialog in `modal` (kept there while open, with what is typed in it); whether it
/// closed, and what the app does next.
pub(crate) fn modal_window_ui(
    ctx: &egui::Context,
    modal: &mut Option<Modal>,
    shown: &ModalShown,
) -> (bool, Option<After>) {
    let Some(current) = modal.clone() else {
        return (false, None);
    };
    let mut close = false;
    let mut then: Option<After> = None;
    let resp = egui::Modal::new(egui::Id::unique("journeymap-modal")).show(ctx, |ui| {
        ui.set_max_width(560.0);
        match current {
                Modal::Unsaved(p) => {
                    ui.heading("Save changes?");
                    ui.label(format!(
                        "{} has changes that are not saved.",
                        shown
                            .file
                            .map_or("This map".into(), |f| f.display().to_string())
                    ));
                    ui.horizontal(|ui| {
                        if ui.button("Save").clicked() {
                            close = true;
                            let p = p.clone();
                            // Carried on once the save succeeds, even if it first asks
                            // for a path or about a file changed on disk.
                            then = Some(After::SaveThen(p));
                        }
                        if ui.button("Don't save").clicked() {
                            close = true;
                            let p = p.clone();
                            then = Some(After::Proceed(p));
                        }
                        if ui.button("Cancel").clicked() {
                            close = true;
                        }
                    });
                }
                Modal::ExportRunning => {
                    ui.heading("An export is running");
                    let path = shown
                        .export_path
                        .map(|p| p.display().to_string())
                        .unwrap_or_default();
                    ui.label(format!(
                        "Quitting now stops the export of {path}: nothing is written there (an existing file stays as it was)."
                    ));
                    ui.horizontal(|ui| {
                        if ui.button("Wait for it").clicked() {
                            close = true;
                        }
                        if ui.button("Stop it and quit").clicked() {
                            close = true;
                            then = Some(After::QuitDuringExport);
                        }
                    });
                }
                Modal::Error(heading, msg) => {
                    ui.heading(heading);
                    ui.label(msg);
                    if ui.button("OK").clicked() {
                        close = true;
                    }
                }
                Modal::Notice(heading, msg) => {
                    ui.heading(heading);
                    egui::ScrollArea::vertical()
                        .max_height(320.0)
                        .show(ui, |ui| ui.label(msg));
                    if ui.button("OK").clicked() {
                        close = true;
                    }
                }
                Modal::SurveyPath {
                    mut path,
                    mut overall,
                    error,
                } => {
                    ui.heading("Import survey");
                    ui.label("A CSV table: one row per respondent, a column per touchpoint (named as its card, or card:ID), and an overall-satisfaction column. Blank cells are missing answers.");
                    if let Some(e) = &error {
                        ui.colored_label(ui.visuals().error_fg_color, e);
                    }
                    let mut enter = false;
                    egui::Grid::new("survey-path").num_columns(2).show(ui, |ui| {
                        let label = ui.label("Survey file:");
                        let te = ui
                            .add(egui::TextEdit::singleline(&mut path).desired_width(420.0))
                            .labelled_by(label.id);
                        if path.is_empty() && !te.has_focus() && !te.lost_focus() {
                            te.request_focus();
                        }
                        enter |= te.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
                        ui.end_row();
                        let label = ui.label("Overall column:");
                        let te = ui
                            .add(egui::TextEdit::singleline(&mut overall).desired_width(200.0))
                            .labelled_by(label.id);
                        if !path.is_empty() && error.is_some() && !te.has_focus() && !te.lost_focus() {
                            te.request_focus();
                        }
                        enter |= te.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
                        ui.end_row();
                    });
                    ui.horizontal(|ui| {
                        let ok = ui.button("Read survey").clicked();
                        if (ok || enter) && !path.trim().is_empty() && !overall.trim().is_empty() {
                            close = true;
                            let p = PathBuf::from(path.trim());
                            let o = overall.trim().to_owned();
                            then = Some(After::LoadSurvey(p, o));
                        }
                        if ui.button("Cancel").clicked() {
                            close = true;
                        }
                    });
                    if !close {
                        *modal = Some(Modal::SurveyPath {
                            path,
                            overall,
                            error,
                        });
                    }
                }
                // The typed paths (where no file dialog can be shown): one field, one button.
                Modal::OpenPath(mut buf)
                | Modal::SaveAsPath(mut buf)
                | Modal::ImportPath(mut buf)
                | Modal::JoinWorkshop(mut buf) => {
                    let (heading, prompt, button) = match modal {
                        Some(Modal::OpenPath(_)) => ("Open path", "Path of the map file:", "Open"),
                        Some(Modal::JoinWorkshop(_)) => (
                            "Join workshop",
                            "The workshop's address (http://…/?token=…), or its room code (K7Q-X42, on the same Wi-Fi; or the address and the code: 192.168.1.20:7117 K7Q-X42):",
                            "Join",
                        ),
                        Some(Modal::SaveAsPath(_)) => {
                            ("Save as path", "Path of the map file:", "Save")
                        }
                        _ => (
                            "Import",
                            "Path of a Mermaid journey (.mmd) or a CSV table (.csv):",
                            "Import",
                        ),
                    };
                    ui.heading(heading);
                    let label = ui.label(prompt);
                    let te = ui
                        .add(egui::TextEdit::singleline(&mut buf).desired_width(480.0))
                        .labelled_by(label.id);
                    if !te.has_focus() && !te.lost_focus() {
                        te.request_focus();
                    }
                    let enter = te.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
                    ui.horizontal(|ui| {
                        let ok = ui.button(button).clicked();
                        if (ok || enter) && !buf.trim().is_empty() {
                            close = true;
                            let path = PathBuf::from(buf.trim());
                            then = Some(match button {
                                "Open" => After::Request(Pending::Open(path)),
                                "Save" => After::SaveAsPath(path),
                                "Join" => After::Join(buf.trim().to_string()),
                                _ => After::Import(path),
                            });
                        }
                        if ui.button("Cancel").clicked() {
                            close = true;
                        }
                    });
                    if !close {
                        *modal = Some(match button {
                            "Open" => Modal::OpenPath(buf),
                            "Save" => Modal::SaveAsPath(buf),
                            "Join" => Modal::JoinWorkshop(buf),
                            _ => Modal::ImportPath(buf),
                        });
                    }
                }
                Modal::ChangedOnDisk(path) => {
                    ui.heading("The file changed on disk");
                    ui.label(format!(
                        "{} was changed by another program since it was opened or saved here.",
                        path.display()
                    ));
                    ui.horizontal(|ui| {
                        if ui.button("Overwrite it").clicked() {
                            close = true;
                            then = Some(After::WriteTo(path));
                        }
                        if ui.button("Save as…").clicked() {
                            close = true;
                            then = Some(After::SaveAs);
                        }
                        if ui.button("Cancel").clicked() {
                            close = true;
                        }
                    });
                }
                Modal::Restore(orphan) => {
                    ui.heading("Restore unsaved work?");
                    let m = &orphan.meta;
                    let what = match &m.file {
                        Some(f) => format!("changes to {}", f.display()),
                        None => "a map that was never saved".into(),
                    };
                    ui.label(format!(
                        "Journeymap closed without saving {what}: \u{201c}{}\u{201d}, {}.",
                        m.title,
                        crate::text::count(m.cards, "card")
                    ));
                    ui.label(format!(
                        "Autosaved {} ({}).",
                        super::recovery::when(m.saved_at),
                        super::recovery::ago(m.saved_at)
                    ));
                    ui.horizontal(|ui| {
                        if ui.button("Restore").clicked() {
                            close = true;
                            then = Some(After::Restore(orphan.clone()));
                        }
                        if ui.button("Discard").clicked() {
                            close = true;
                            then = Some(After::Discard(orphan.clone()));
                        }
                        if ui
                            .button("Decide later")
                            .on_hover_text("Keeps it; it is offered again at the next start")
                            .clicked()
                        {
                            close = true;
                        }
                    });
                }
        }
    });
    if resp.should_close() {
        close = true;
    }
    (close, then)
}

/// What was clicked on a toast.
pub(crate) enum ToastPick {
    Undo,
    /// Undo the paste and make its lines one card.
    OneCard(ToastAction),
}

/// The toasts, stacked above `anchor` (the bottom middle of the canvas); `rev`: the map's
/// revision now (a toast offers Undo only while nothing has changed since what it says).
pub(crate) fn toasts_ui(
    ctx: &egui::Context,
    toasts: &mut Toasts,
    rev: u64,
    anchor: egui::Pos2,
) -> Option<ToastPick> {
    if toasts.list.is_empty() {
        return None;
    }
    let now = ctx.input(|i| i.time);
    let mut undo = false;
    let mut one_card: Option<ToastAction> = None;
    let mut keep = Vec::new();
    let list = std::mem::take(&mut toasts.list);
    let n = list.len();
    for (i, mut t) in list.into_iter().enumerate() {
        let born = *t.born.get_or_insert(now);
        let mut close = false;
        let offset = (n - 1 - i) as f32 * 52.0;
        let resp = egui::Area::new(egui::Id::unique(("toast", i)))
            .order(egui::Order::Foreground)
            .pivot(egui::Align2::CENTER_BOTTOM)
            .fixed_pos(anchor - egui::vec2(0.0, offset))
            .show(ctx, |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.label(&t.text);
                        let can_undo = t.undo_rev == Some(rev);
                        if t.undo_rev.is_some() {
                            let b = ui
                                .add_enabled(can_undo, egui::Button::new("Undo"))
                                .on_disabled_hover_text("Changed since: use Edit → Undo");
                            if b.clicked() {
                                undo = true;
                                close = true;
                            }
                        }
                        if let Some(a @ ToastAction::OneCard { .. }) = &t.action
                            && can_undo
                            && ui.button("Make it one card").clicked()
                        {
                            one_card = Some(a.clone());
                            close = true;
                        }
                        if ui.small_button("×").on_hover_text("Dismiss").clicked() {
                            close = true;
                        }
                    });
                });
            });
        let hovered = resp.response.contains_pointer();
        if hovered {
            t.born = Some(now);
        }
        if !close && (hovered || now - born < TOAST_SECS) {
            keep.push(t);
        }
    }
    toasts.list = keep;
    if !toasts.list.is_empty() {
        ctx.request_repaint_after(std::time::Duration::from_millis(500));
    }
    if undo {
        return Some(ToastPick::Undo);
    }
    one_card.map(ToastPick::OneCard)
}

impl App {
    /// The toasts at the bottom of the canvas, then what was clicked on them.
    pub(crate) fn toasts_shown(&mut self, ctx: &egui::Context) {
        let rev = self.session.editor.revision();
        let anchor = self.canvas.rect.center_bottom() - egui::vec2(0.0, 16.0);
        let picked = toasts_ui(ctx, &mut self.dialogs.toasts, rev, anchor);
        if let Some(ToastPick::Undo) = picked {
            self.run(ctx, super::actions::Action::Undo);
        }
        if let Some(ToastPick::OneCard(ToastAction::OneCard {
            text,
            stage,
            lane,
            index,
        })) = picked
        {
            self.run(ctx, super::actions::Action::Undo);
            let card = crate::model::Card::new(crate::model::CardId(0), stage, lane, text);
            self.queue_then(
                crate::edit::Command::AddCards {
                    cards: vec![card],
                    index,
                },
                |canvas, ids| {
                    if let Some(id) = ids.first() {
                        canvas.selection =
                            super::app::Selection::only_card(crate::model::CardId(*id));
                    }
                },
            );
        }
    }

    /// The dialog over the editor, if one is open; then what it asked for.
    pub(crate) fn modal_ui(&mut self, ctx: &egui::Context) {
        if self.dialogs.modal.is_none() {
            self.dialogs.modal_was_open = false;
            return;
        }
        if !self.dialogs.modal_was_open {
            // A dialog closes open menus (they would otherwise float over it).
            egui::Popup::close_all(ctx);
            self.dialogs.modal_was_open = true;
        }
        let shown = ModalShown {
            file: self.session.file.as_deref(),
            export_path: self.dialogs.export.job.as_ref().map(|j| j.path.as_path()),
        };
        let (close, then) = modal_window_ui(ctx, &mut self.dialogs.modal, &shown);
        if close {
            self.dialogs.modal = None;
            if then.is_none() {
                // Cancelled: whatever was to follow a save does not happen.
                self.session.after_save = None;
            }
        }
        if let Some(a) = then {
            self.after_modal(a);
        }
    }

    /// Does what a closed dialog asked for.
    fn after_modal(&mut self, a: After) {
        match a {
            After::SaveThen(p) => {
                self.session.after_save = Some(p);
                self.save();
            }
            After::Proceed(p) => self.proceed_after(p),
            After::QuitDuringExport => {
                self.session.quit_during_export = true;
                // Its threads end within a band instead of drawing on until the process ends.
                self.stop_export();
                if let Some(ctx) = self.egui_ctx.clone() {
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
            }
            After::LoadSurvey(p, o) => self.load_survey(&p, &o),
            After::Request(p) => self.request(p),
            After::SaveAsPath(p) => self.save_as_path(&p),
            After::Join(url) => self.join_workshop(&url),
            After::Import(p) => self.import_path(&p),
            After::WriteTo(p) => self.write_to(&p),
            After::SaveAs => self.save_as(),
            After::Restore(o) => self.restore(&o),
            After::Discard(o) => {
                o.remove();
                self.offer_recovery();
            }
        }
    }

    pub(crate) fn proceed_after(&mut self, p: Pending) {
        let closing = p == Pending::Close;
        self.proceed(p);
        if closing {
            self.session.closing = Closing::CloseNow;
        }
    }
}
