//! The editor's chrome: the menu bar and the status bar (from the action table), and the
//! keyboard-shortcuts window.

use super::actions::Action;
use super::app::{App, Pending};
use crate::layout::Style;
use crate::model::Channel;
use crate::text::count;
use crate::theme::ThemeKind;

impl App {
    /// A menu entry for an action: label, first shortcut, greyed out when it cannot run.
    pub(crate) fn menu_item(&mut self, ui: &mut egui::Ui, a: Action) {
        let enabled = self.enabled(a);
        // No empty shortcut text: it would leave a trailing space in the accessible label.
        let keys = a.shortcut_text(ui.ctx());
        let mut btn = egui::Button::new(a.label());
        if !keys.is_empty() {
            btn = btn.shortcut_text(keys);
        }
        if ui.add_enabled(enabled, btn).clicked() {
            self.finish_editing();
            self.run(ui.ctx(), a);
            ui.close();
        }
    }

    /// A menu entry for an on/off action, with a check mark.
    fn menu_toggle(&mut self, ui: &mut egui::Ui, a: Action, on: bool) {
        let btn = egui::Button::selectable(on, a.label()).shortcut_text(a.shortcut_text(ui.ctx()));
        if ui.add_enabled(self.enabled(a), btn).clicked() {
            self.run(ui.ctx(), a);
            ui.close();
        }
    }

    pub(crate) fn menu_bar_ui(&mut self, ui: &mut egui::Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                self.menu_item(ui, Action::New);
                ui.menu_button("New from template", |ui| {
                    for t in crate::io::templates::TEMPLATES {
                        if ui.button(t.name).on_hover_text(t.about).clicked() {
                            self.finish_editing();
                            self.request(Pending::NewFrom(t));
                            ui.close();
                        }
                    }
                });
                for a in [Action::Open, Action::OpenPath, Action::OpenFolder] {
                    self.menu_item(ui, a);
                }
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
                self.menu_item(ui, Action::Import);
                let n = self.doc().conflicts.len();
                if n > 0 {
                    let open = self.dialogs.conflicts.open;
                    let label = format!("{} ({n})", Action::MergeConflicts.label());
                    if ui
                        .add(egui::Button::selectable(open, label))
                        .on_hover_text("What a merge of two versions left to settle")
                        .clicked()
                    {
                        self.run(ui.ctx(), Action::MergeConflicts);
                        ui.close();
                    }
                }
                ui.separator();
                for a in [Action::Save, Action::SaveAs, Action::SaveAsPath] {
                    self.menu_item(ui, a);
                }
                for a in [Action::SaveVersion, Action::Versions, Action::CompareWith] {
                    self.menu_item(ui, a);
                }
                ui.separator();
                for a in [Action::Export, Action::ExportAgain] {
                    self.menu_item(ui, a);
                }
                ui.separator();
                for a in [Action::HostWorkshop, Action::JoinWorkshop] {
                    self.menu_item(ui, a);
                }
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
                for a in [Action::SelectAll, Action::EditCard, Action::InsertStage] {
                    self.menu_item(ui, a);
                }
                ui.menu_button("Channel", |ui| {
                    let all = Channel::ALL.iter().copied().map(Some).chain([None]);
                    for ch in all {
                        self.menu_item(ui, Action::SetChannel(ch));
                    }
                });
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
                ui.menu_button(
                    format!("Text size ({:.0} %)", self.prefs.text_scale * 100.0),
                    |ui| {
                        for a in [Action::TextLarger, Action::TextSmaller, Action::TextReset] {
                            self.menu_item(ui, a);
                        }
                        ui.separator();
                        let mut s = self.prefs.text_scale;
                        let slider = egui::Slider::new(&mut s, Style::MIN_SCALE..=Style::MAX_SCALE)
                            .step_by(0.25)
                            .custom_formatter(|v, _| format!("{:.0} %", v * 100.0))
                            .text("Text size");
                        if ui.add(slider).changed() {
                            self.set_text_scale(s);
                        }
                    },
                );
                let dark = self.prefs.theme == ThemeKind::Dark;
                self.menu_toggle(ui, Action::DarkMap, dark);
                ui.separator();
                let ex = self.canvas.executive;
                self.menu_toggle(ui, Action::ExecutiveView, ex);
                ui.menu_button(
                    format!("Colour by: {}", self.canvas.colour_by.label()),
                    |ui| {
                        let choices = crate::render::colour_choices(self.doc());
                        if let Some(c) = colour_by_list(ui, &choices, &self.canvas.colour_by) {
                            self.canvas.colour_by = c;
                            ui.close();
                        }
                    },
                );
                ui.separator();
                let shown = self.prefs.show_inspector;
                self.menu_toggle(ui, Action::ToggleInspector, shown);
                let full = ui.input(|i| i.viewport().fullscreen.unwrap_or(false));
                self.menu_toggle(ui, Action::FullScreen, full);
                self.menu_item(ui, Action::Present);
                ui.separator();
                self.menu_item(ui, Action::ShowBase);
                self.menu_item(ui, Action::BackToMap);
            });
            ui.menu_button("Lanes", |ui| self.lanes_menu(ui));
            ui.menu_button("Data", |ui| {
                self.menu_item(ui, Action::ImportSurvey);
                self.menu_item(ui, Action::RefreshMetrics);
                let open = self.dialogs.drivers.as_ref().is_some_and(|d| d.open);
                self.menu_toggle(ui, Action::DriversPanel, open);
            });
            ui.menu_button("Help", |ui| self.menu_item(ui, Action::Shortcuts));
            ui.separator();
            let fit = Action::ZoomFit;
            if ui
                .button("Fit")
                .on_hover_text(format!("{} ({})", fit.label(), fit.shortcut_text(ui.ctx())))
                .clicked()
            {
                self.run(ui.ctx(), fit);
            }
            ui.label(format!("{:.0} %", self.canvas.view.zoom * 100.0));
            let present = Action::Present;
            if ui
                .button("▶ Present")
                .on_hover_text(format!(
                    "Show the map to a room ({})",
                    present.shortcut_text(ui.ctx())
                ))
                .clicked()
            {
                self.run(ui.ctx(), present);
            }
        });
    }

    /// The keyboard-shortcuts window, made from the action table (so it cannot go stale).
    pub(crate) fn shortcuts_window_ui(&mut self, ctx: &egui::Context) {
        let mut open = self.dialogs.show_shortcuts;
        egui::Window::new("Keyboard shortcuts")
            .open(&mut open)
            .resizable(false)
            .collapsible(false)
            .vscroll(true)
            .show(ctx, |ui| {
                egui::Grid::new("shortcuts")
                    .num_columns(2)
                    .striped(true)
                    .show(ui, |ui| {
                        for a in Action::all() {
                            let keys: Vec<String> = a
                                .shortcuts()
                                .iter()
                                .map(|s| ctx.format_shortcut(s))
                                .collect();
                            if keys.is_empty() {
                                continue;
                            }
                            ui.label(a.label().trim_end_matches('…'));
                            ui.label(keys.join(", "));
                            ui.end_row();
                        }
                    });
                ui.add_space(6.0);
                for line in CAPTURE_HELP {
                    ui.weak(*line);
                }
            });
        self.dialogs.show_shortcuts = open;
    }

    pub(crate) fn status_bar_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            if let Some(s) = super::canvas::editing_status(&self.canvas, self.doc()) {
                ui.label(egui::RichText::new(s).strong());
            } else if let Some(s) = self.selection_hint() {
                ui.label(s);
            } else {
                let doc = self.session.editor.doc();
                ui.label(format!(
                    "{} · {} · {} · {}",
                    count(doc.stages.len(), "stage"),
                    count(doc.lanes.iter().filter(|l| !l.hidden).count(), "lane"),
                    count(doc.cards.len(), "card"),
                    count(doc.emotion.points().count(), "emotion point")
                ));
            }
            self.export_progress_ui(ui);
            // Live: how it stands, one click from the workshop window.
            if let Some(w) = &self.session.workshop {
                ui.separator();
                if ui.link(w.status()).clicked() {
                    self.dialogs.workshop_open = true;
                }
            }
            if let Some(s) = &self.dialogs.status {
                ui.separator();
                ui.label(s);
            }
        });
    }

    /// What the status bar says about the selection: which cell, and what keys do there.
    fn selection_hint(&self) -> Option<String> {
        let doc = self.doc();
        let sel = &self.canvas.selection;
        let (s, l) = sel.cell?;
        let stage = doc.stage(s)?.name.as_str();
        let lane = doc.lane(l)?;
        Some(if lane.kind.holds_cards() {
            format!(
                "{stage} · {} — type to add a card · Tab: next stage · Enter: new card",
                lane.name
            )
        } else {
            let sc = &doc.emotion.scale;
            let minus = if self.canvas.minus { " (−…)" } else { "" };
            format!(
                "{stage} · {} — type a number {} to {} or use ↑/↓ to set the feeling{minus} · Tab: next stage",
                lane.name, sc.min, sc.max
            )
        })
    }
}

/// What the shortcuts window says beside the table.
const CAPTURE_HELP: &[&str] = &[
    "Capture: click a cell (or its + slot) and type; Enter adds the next card in the cell, Tab moves to the next stage (Shift+Tab back), Escape ends.",
    "While typing a card, Alt+a channel's letter sets its channel. Click a stage header and type to rename it; Tab goes on to the next stage, past the last it adds one.",
    "In the emotion lane: click a stage's cell, type its value (−2 … 2) or use ↑/↓; Tab goes to the next stage.",
    "Double-click a lane to add a card, a header to rename a stage, the emotion lane to add a point.",
    "Pan: scroll, middle-drag or Space+drag. Zoom: Ctrl+wheel or pinch. Escape cancels a drag or an edit.",
];

/// The colour-by choices as a list that stays quick with thousands of metrics: it scrolls,
/// and only the rows in sight are laid out. Returns the one clicked.
pub(crate) fn colour_by_list(
    ui: &mut egui::Ui,
    choices: &[crate::render::ColourBy],
    current: &crate::render::ColourBy,
) -> Option<crate::render::ColourBy> {
    let row = ui.spacing().interact_size.y;
    let mut picked = None;
    egui::ScrollArea::vertical()
        .id_salt("colour-by-list")
        .max_height(360.0)
        .show_rows(ui, row, choices.len(), |ui, range| {
            for c in &choices[range] {
                if ui.radio(current == c, c.label()).clicked() {
                    picked = Some(c.clone());
                }
            }
        });
    picked
}
