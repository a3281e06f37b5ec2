//! The editor's chrome: menu bar, status bar and dialogs.

use std::path::PathBuf;

use egui::Key;

use super::actions::Action;
use super::app::{AfterModal, App, Closing, Modal, Pending};
use crate::text::count;
use crate::theme::ThemeKind;

impl App {
    pub(crate) fn menu_item(&mut self, ui: &mut egui::Ui, a: Action) {
        let enabled = self.enabled(a);
        let btn = egui::Button::new(a.label()).shortcut_text(a.shortcut_text(ui.ctx()));
        if ui.add_enabled(enabled, btn).clicked() {
            self.run(ui.ctx(), a);
            ui.close();
        }
    }

    pub(crate) fn menu_bar_ui(&mut self, ui: &mut egui::Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                self.menu_item(ui, Action::New);
                self.menu_item(ui, Action::Open);
                self.menu_item(ui, Action::OpenPath);
                ui.menu_button("Open recent", |ui| {
                    if self.prefs.recent.is_empty() {
                        ui.label("No recent files");
                    }
                    for p in self.prefs.recent.clone() {
                        if ui.button(p.display().to_string()).clicked() {
                            self.request(Pending::Open(p));
                            ui.close();
                        }
                    }
                });
                ui.separator();
                self.menu_item(ui, Action::Save);
                self.menu_item(ui, Action::SaveAs);
                if ui.button("Save as path…").clicked() {
                    self.modal = Some(Modal::SaveAsPath(self.suggested_path()));
                    ui.close();
                }
                ui.separator();
                self.menu_item(ui, Action::Export);
                self.menu_item(ui, Action::ExportAgain);
                ui.separator();
                self.menu_item(ui, Action::Quit);
            });
            ui.menu_button("Edit", |ui| {
                for a in [Action::Undo, Action::Redo] {
                    self.menu_item(ui, a);
                }
                ui.separator();
                for a in [
                    Action::Cut,
                    Action::Copy,
                    Action::Paste,
                    Action::Duplicate,
                    Action::Delete,
                ] {
                    self.menu_item(ui, a);
                }
                ui.separator();
                self.menu_item(ui, Action::SelectAll);
                self.menu_item(ui, Action::EditCard);
            });
            ui.menu_button("View", |ui| {
                for a in [
                    Action::ZoomIn,
                    Action::ZoomOut,
                    Action::ZoomReset,
                    Action::ZoomFit,
                ] {
                    self.menu_item(ui, a);
                }
                ui.separator();
                let mut dark = self.prefs.theme == ThemeKind::Dark;
                if ui.checkbox(&mut dark, "Dark map").changed() {
                    self.prefs.theme = if dark {
                        ThemeKind::Dark
                    } else {
                        ThemeKind::Light
                    };
                }
            });
            ui.menu_button("Lanes", |ui| super::inspector::lanes_menu_ui(self, ui));
            ui.menu_button("Help", |ui| self.menu_item(ui, Action::Shortcuts));
            ui.separator();
            if ui
                .button("Fit")
                .on_hover_text(format!(
                    "Zoom to fit ({})",
                    Action::ZoomFit.shortcut_text(ui.ctx())
                ))
                .clicked()
            {
                self.fit_pending = true;
            }
            ui.label(format!("{:.0} %", self.view.zoom * 100.0));
        });
    }

    /// The keyboard-shortcuts window, made from the action table (so it cannot go stale).
    pub(crate) fn shortcuts_window_ui(&mut self, ctx: &egui::Context) {
        let mut open = self.show_shortcuts;
        egui::Window::new("Keyboard shortcuts").open(&mut open).resizable(false).collapsible(false).show(ctx, |ui| {
            egui::Grid::new("shortcuts").num_columns(2).striped(true).show(ui, |ui| {
                for a in Action::ALL {
                    let keys: Vec<String> = a.shortcuts().iter().map(|s| ctx.format_shortcut(s)).collect();
                    ui.label(a.label().trim_end_matches('…'));
                    ui.label(keys.join(", "));
                    ui.end_row();
                }
            });
            ui.add_space(6.0);
            ui.weak("Double-click a lane to add a card, a header to rename a stage, the emotion lane to add a point.");
            ui.weak("Pan: scroll, middle-drag or Space+drag. Zoom: Ctrl+wheel or pinch. Escape cancels a drag or an edit.");
        });
        self.show_shortcuts = open;
    }

    pub(crate) fn status_bar_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            let doc = self.editor.doc();
            ui.label(format!(
                "{} · {} · {} · {}",
                count(doc.stages.len(), "stage"),
                count(doc.lanes.iter().filter(|l| !l.hidden).count(), "lane"),
                count(doc.cards.len(), "card"),
                count(doc.emotion.points.len(), "emotion point")
            ));
            self.export_progress_ui(ui);
            if let Some(s) = &self.status {
                ui.separator();
                ui.label(s);
            }
        });
    }

    pub(crate) fn modal_ui(&mut self, ctx: &egui::Context) {
        let Some(modal) = self.modal.clone() else {
            return;
        };
        let mut close = false;
        let mut then: Option<AfterModal> = None;
        let resp = egui::Modal::new(egui::Id::unique("journeymap-modal")).show(ctx, |ui| {
            ui.set_max_width(520.0);
            match modal {
                Modal::Unsaved(p) => {
                    ui.heading("Save changes?");
                    ui.label(format!(
                        "{} has changes that are not saved.",
                        self.file
                            .as_ref()
                            .map_or("This map".into(), |f| f.display().to_string())
                    ));
                    ui.horizontal(|ui| {
                        if ui.button("Save").clicked() {
                            close = true;
                            let p = p.clone();
                            // Carried on once the save succeeds, even if it first asks
                            // for a path or about a file changed on disk.
                            then = Some(Box::new(move |app: &mut App| {
                                app.after_save = Some(p);
                                app.save();
                            }));
                        }
                        if ui.button("Don't save").clicked() {
                            close = true;
                            let p = p.clone();
                            then = Some(Box::new(move |app: &mut App| app.proceed_after(p)));
                        }
                        if ui.button("Cancel").clicked() {
                            close = true;
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
                Modal::OpenPath(mut buf) | Modal::SaveAsPath(mut buf) => {
                    let open = matches!(self.modal, Some(Modal::OpenPath(_)));
                    ui.heading(if open { "Open path" } else { "Save as path" });
                    let label = ui.label("Path of the map file:");
                    let te = ui
                        .add(egui::TextEdit::singleline(&mut buf).desired_width(480.0))
                        .labelled_by(label.id);
                    if !te.has_focus() && !te.lost_focus() {
                        te.request_focus();
                    }
                    let enter = te.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
                    ui.horizontal(|ui| {
                        let ok = ui.button(if open { "Open" } else { "Save" }).clicked();
                        if (ok || enter) && !buf.trim().is_empty() {
                            close = true;
                            let path = PathBuf::from(buf.trim());
                            then = Some(if open {
                                Box::new(move |app: &mut App| app.request(Pending::Open(path)))
                            } else {
                                Box::new(move |app: &mut App| app.save_as_path(&path))
                            });
                        }
                        if ui.button("Cancel").clicked() {
                            close = true;
                        }
                    });
                    if !close {
                        self.modal = Some(if open {
                            Modal::OpenPath(buf)
                        } else {
                            Modal::SaveAsPath(buf)
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
                            then = Some(Box::new(move |app: &mut App| app.write_to(&path)));
                        }
                        if ui.button("Save as…").clicked() {
                            close = true;
                            then = Some(Box::new(App::save_as));
                        }
                        if ui.button("Cancel").clicked() {
                            close = true;
                        }
                    });
                }
            }
        });
        if resp.should_close() {
            close = true;
        }
        if close {
            self.modal = None;
            if then.is_none() {
                // Cancelled: whatever was to follow a save does not happen.
                self.after_save = None;
            }
        }
        if let Some(f) = then {
            f(self);
        }
    }

    pub(crate) fn proceed_after(&mut self, p: Pending) {
        let closing = p == Pending::Close;
        self.proceed(p);
        if closing {
            self.closing = Closing::CloseNow;
        }
    }
}
