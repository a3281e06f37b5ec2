//! The editor's chrome: the menu bar and the status bar (from the action table), and the
//! keyboard-shortcuts window.

use super::actions::Action;
use super::app::{App, Pending};
use super::asks::{Ask, Asks};
use crate::layout::Style;
use crate::model::Channel;
use crate::text::count;
use crate::theme::ThemeKind;

/// What the menu bar shows: the parts of the app it reads. What it changes, it asks for.
pub(crate) struct Bar<'a> {
    pub doc: &'a crate::model::Document,
    /// Whether an action can run now (its entry is greyed out when not).
    pub can: &'a dyn Fn(Action) -> bool,
    /// Whether an on/off action is on (its entry has a check mark).
    pub on: &'a dyn Fn(Action) -> bool,
    pub recent: &'a [std::path::PathBuf],
    pub text_scale: f32,
    pub colour_by: &'a crate::render::ColourBy,
    pub zoom: f32,
}

/// A menu entry for an action: label, first shortcut, greyed out when it cannot run.
fn menu_item(ui: &mut egui::Ui, bar: &Bar, a: Action, asks: &mut Asks) {
    // No empty shortcut text: it would leave a trailing space in the accessible label.
    let keys = a.shortcut_text(ui.ctx());
    let mut btn = egui::Button::new(a.label());
    if !keys.is_empty() {
        btn = btn.shortcut_text(keys);
    }
    if ui.add_enabled((bar.can)(a), btn).clicked() {
        asks.ask(Ask::FinishEditing);
        asks.run(a);
        ui.close();
    }
}

/// A menu entry for an on/off action, with a check mark.
fn menu_toggle(ui: &mut egui::Ui, bar: &Bar, a: Action, asks: &mut Asks) {
    let btn =
        egui::Button::selectable((bar.on)(a), a.label()).shortcut_text(a.shortcut_text(ui.ctx()));
    if ui.add_enabled((bar.can)(a), btn).clicked() {
        asks.run(a);
        ui.close();
    }
}

/// The menu bar, with the zoom and Present at its end.
pub(crate) fn menu_bar_ui(ui: &mut egui::Ui, bar: &Bar, asks: &mut Asks) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| file_menu_ui(ui, bar, asks));
        ui.menu_button("Edit", |ui| {
            for a in [Action::Undo, Action::Redo] {
                menu_item(ui, bar, a, asks);
            }
            ui.separator();
            for a in [
                Action::Cut,
                Action::Copy,
                Action::Paste,
                Action::Duplicate,
                Action::Delete,
            ] {
                menu_item(ui, bar, a, asks);
            }
            ui.separator();
            for a in [Action::SelectAll, Action::EditCard, Action::InsertStage] {
                menu_item(ui, bar, a, asks);
            }
            ui.menu_button("Channel", |ui| {
                let all = Channel::ALL.iter().copied().map(Some).chain([None]);
                for ch in all {
                    menu_item(ui, bar, Action::SetChannel(ch), asks);
                }
            });
        });
        ui.menu_button("View", |ui| view_menu_ui(ui, bar, asks));
        ui.menu_button("Lanes", |ui| {
            super::inspector::lanes_menu_ui(ui, bar.doc, asks);
        });
        ui.menu_button("Data", |ui| {
            menu_item(ui, bar, Action::ImportSurvey, asks);
            menu_item(ui, bar, Action::RefreshMetrics, asks);
            menu_toggle(ui, bar, Action::DriversPanel, asks);
        });
        ui.menu_button("Help", |ui| menu_item(ui, bar, Action::Shortcuts, asks));
        ui.separator();
        let fit = Action::ZoomFit;
        if ui
            .button("Fit")
            .on_hover_text(format!("{} ({})", fit.label(), fit.shortcut_text(ui.ctx())))
            .clicked()
        {
            asks.run(fit);
        }
        ui.label(format!("{:.0} %", bar.zoom * 100.0));
        let present = Action::Present;
        if ui
            .button("▶ Present")
            .on_hover_text(format!(
                "Show the map to a room ({})",
                present.shortcut_text(ui.ctx())
            ))
            .clicked()
        {
            asks.run(present);
        }
    });
}

fn file_menu_ui(ui: &mut egui::Ui, bar: &Bar, asks: &mut Asks) {
    menu_item(ui, bar, Action::New, asks);
    ui.menu_button("New from template", |ui| {
        for t in crate::io::templates::TEMPLATES {
            if ui.button(t.name).on_hover_text(t.about).clicked() {
                asks.ask(Ask::FinishEditing);
                asks.ask(Ask::Request(Pending::NewFrom(t)));
                ui.close();
            }
        }
    });
    for a in [Action::Open, Action::OpenPath, Action::OpenFolder] {
        menu_item(ui, bar, a, asks);
    }
    ui.menu_button("Open recent", |ui| {
        if bar.recent.is_empty() {
            ui.label("No recent files");
        }
        for p in bar.recent {
            if ui.button(p.display().to_string()).clicked() {
                asks.ask(Ask::Request(Pending::Open(p.clone())));
                ui.close();
            }
        }
    });
    menu_item(ui, bar, Action::Import, asks);
    let n = bar.doc.conflicts.len();
    if n > 0 {
        let a = Action::MergeConflicts;
        let label = format!("{} ({n})", a.label());
        if ui
            .add(egui::Button::selectable((bar.on)(a), label))
            .on_hover_text("What a merge of two versions left to settle")
            .clicked()
        {
            asks.run(a);
            ui.close();
        }
    }
    ui.separator();
    for a in [Action::Save, Action::SaveAs, Action::SaveAsPath] {
        menu_item(ui, bar, a, asks);
    }
    for a in [Action::SaveVersion, Action::Versions, Action::CompareWith] {
        menu_item(ui, bar, a, asks);
    }
    ui.separator();
    for a in [Action::Export, Action::ExportAgain] {
        menu_item(ui, bar, a, asks);
    }
    ui.separator();
    for a in [Action::HostWorkshop, Action::JoinWorkshop] {
        menu_item(ui, bar, a, asks);
    }
    ui.separator();
    menu_item(ui, bar, Action::Quit, asks);
}

fn view_menu_ui(ui: &mut egui::Ui, bar: &Bar, asks: &mut Asks) {
    for a in [
        Action::ZoomIn,
        Action::ZoomOut,
        Action::ZoomReset,
        Action::ZoomFit,
    ] {
        menu_item(ui, bar, a, asks);
    }
    ui.separator();
    ui.menu_button(
        format!("Text size ({:.0} %)", bar.text_scale * 100.0),
        |ui| {
            for a in [Action::TextLarger, Action::TextSmaller, Action::TextReset] {
                menu_item(ui, bar, a, asks);
            }
            ui.separator();
            let mut s = bar.text_scale;
            let slider = egui::Slider::new(&mut s, Style::MIN_SCALE..=Style::MAX_SCALE)
                .step_by(0.25)
                .custom_formatter(|v, _| format!("{:.0} %", v * 100.0))
                .text("Text size");
            if ui.add(slider).changed() {
                asks.ask(Ask::TextScale(s));
            }
        },
    );
    menu_toggle(ui, bar, Action::DarkMap, asks);
    ui.separator();
    menu_toggle(ui, bar, Action::ExecutiveView, asks);
    ui.menu_button(format!("Colour by: {}", bar.colour_by.label()), |ui| {
        let choices = crate::render::colour_choices(bar.doc);
        if let Some(c) = colour_by_list(ui, &choices, bar.colour_by) {
            asks.ask(Ask::ColourBy(c));
            ui.close();
        }
    });
    ui.separator();
    menu_toggle(ui, bar, Action::ToggleInspector, asks);
    menu_toggle(ui, bar, Action::FullScreen, asks);
    menu_item(ui, bar, Action::Present, asks);
    ui.separator();
    menu_item(ui, bar, Action::ShowBase, asks);
    menu_item(ui, bar, Action::BackToMap, asks);
}

impl App {
    /// Whether an on/off action of the menus is on.
    fn is_on(&self, a: Action, full_screen: bool) -> bool {
        match a {
            Action::DarkMap => self.prefs.theme == ThemeKind::Dark,
            Action::ExecutiveView => self.canvas.executive,
            Action::ToggleInspector => self.prefs.show_inspector,
            Action::FullScreen => full_screen,
            Action::DriversPanel => self.dialogs.drivers.as_ref().is_some_and(|d| d.open),
            Action::MergeConflicts => self.dialogs.conflicts.open,
            _ => false,
        }
    }

    /// The menu bar, drawn from the parts of the app it shows; then what it asked for.
    pub(crate) fn menu_bar(&mut self, ui: &mut egui::Ui) {
        let full = ui.input(|i| i.viewport().fullscreen.unwrap_or(false));
        let mut asks = Asks::default();
        let can = |a| self.enabled(a);
        let on = |a| self.is_on(a, full);
        let bar = Bar {
            doc: self.doc(),
            can: &can,
            on: &on,
            recent: &self.prefs.recent,
            text_scale: self.prefs.text_scale,
            colour_by: &self.canvas.colour_by,
            zoom: self.canvas.view.zoom,
        };
        menu_bar_ui(ui, &bar, &mut asks);
        self.answer(ui.ctx(), asks);
    }

    /// The status bar, drawn from the parts of the app it shows; its workshop link opens
    /// the workshop window.
    pub(crate) fn status_bar(&mut self, ui: &mut egui::Ui) {
        let progress = self
            .dialogs
            .export
            .job
            .as_ref()
            .map(|j| j.progress.load(std::sync::atomic::Ordering::Relaxed) as f32 / 1000.0);
        let status = Status {
            doc: self.session.editor.doc(),
            canvas: &self.canvas,
            export_progress: progress,
            workshop: self
                .session
                .workshop
                .as_ref()
                .map(super::workshop::Workshop::status),
            said: self.dialogs.status.as_deref(),
        };
        let clicked = status_bar_ui(ui, &status);
        if clicked.workshop {
            self.dialogs.workshop_open = true;
        }
        if clicked.stop_export {
            self.stop_export();
        }
    }
}

/// The keyboard-shortcuts window, made from the action table (so it cannot go stale).
pub(crate) fn shortcuts_window_ui(ctx: &egui::Context, open: &mut bool) {
    egui::Window::new("Keyboard shortcuts")
        .open(open)
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
}

/// What the status bar shows.
pub(crate) struct Status<'a> {
    pub doc: &'a crate::model::Document,
    pub canvas: &'a super::canvas::Canvas,
    /// How far the running export is (0..=1).
    pub export_progress: Option<f32>,
    /// How the live workshop stands.
    pub workshop: Option<String>,
    /// The last message.
    pub said: Option<&'a str>,
}

/// What was clicked in the status bar.
#[derive(Default, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct StatusClicked {
    /// The workshop's link (opens the workshop window).
    pub workshop: bool,
    /// Stop, next to the export's progress.
    pub stop_export: bool,
}

/// The status bar: what is being typed or selected (and the keys there), or the map's
/// counts; the export's progress (with Stop); the workshop; the last message.
pub(crate) fn status_bar_ui(ui: &mut egui::Ui, s: &Status) -> StatusClicked {
    let mut clicked = StatusClicked::default();
    ui.horizontal(|ui| {
        let doc = s.doc;
        if let Some(t) = super::canvas::editing_status(s.canvas, doc) {
            ui.label(egui::RichText::new(t).strong());
        } else if let Some(t) = selection_hint(doc, s.canvas) {
            ui.label(t);
        } else {
            ui.label(format!(
                "{} · {} · {} · {}",
                count(doc.stages.len(), "stage"),
                count(doc.lanes.iter().filter(|l| !l.hidden).count(), "lane"),
                count(doc.cards.len(), "card"),
                count(doc.emotion.points().count(), "emotion point")
            ));
        }
        if let Some(f) = s.export_progress {
            ui.separator();
            ui.add(
                egui::ProgressBar::new(f)
                    .desired_width(160.0)
                    .show_percentage()
                    .text(format!("Exporting {:.0} %", f * 100.0)),
            );
            clicked.stop_export = ui
                .small_button("Stop")
                .on_hover_text("Stop the export; nothing is written")
                .clicked();
        }
        // Live: how it stands, one click from the workshop window.
        if let Some(w) = &s.workshop {
            ui.separator();
            clicked.workshop = ui.link(w).clicked();
        }
        if let Some(t) = s.said {
            ui.separator();
            ui.label(t);
        }
    });
    clicked
}

/// What the status bar says about the selection: which cell, and what keys do there.
fn selection_hint(doc: &crate::model::Document, canvas: &super::canvas::Canvas) -> Option<String> {
    let sel = &canvas.selection;
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
        let minus = if canvas.minus { " (−…)" } else { "" };
        format!(
            "{stage} · {} — type a number {} to {} or use ↑/↓ to set the feeling{minus} · Tab: next stage",
            lane.name, sc.min, sc.max
        )
    })
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

#[cfg(test)]
#[path = "chrome_tests.rs"]
mod tests;
