//! Running actions ([`App::run`]) and the keyboard of a frame ([`App::keys`]): Escape, then
//! the shortcuts of the action table, clipboard events, then the canvas's own keys (typing
//! starts a card, emotion values, moving the selection).

use egui::{Key, Modifiers};

use super::actions::{Action, consume_shortcut};
use super::app::{App, Pending, Selection};
use super::canvas::{EditTarget, Reveal, add_stage, commit_editing, start_edit, take_typed_before};
use super::dialogs::Modal;
use crate::edit::{Command, Touched};
use crate::layout::Style;
use crate::model::{Channel, DEFAULT_STAGE_WIDTH, StageId};
use crate::theme::ThemeKind;

/// How much Larger/Smaller text changes the text size.
const TEXT_STEP: f32 = 0.25;

impl App {
    /// Runs an action.
    pub fn run(&mut self, ctx: &egui::Context, a: Action) {
        match a {
            Action::New => self.request(Pending::New),
            Action::Open => self.request(Pending::PickOpen),
            Action::OpenPath => self.dialogs.modal = Some(Modal::OpenPath(String::new())),
            Action::Import => self.request(Pending::PickImport),
            Action::ImportSurvey => self.pick_survey(),
            Action::DriversPanel => {
                if let Some(d) = &mut self.dialogs.drivers {
                    d.open = !d.open;
                }
            }
            Action::SaveVersion => self.open_versions(true),
            Action::Versions => self.open_versions(false),
            Action::OpenFolder => self.open_library(None),
            Action::RefreshMetrics => self.refresh_metrics(),
            Action::CompareWith => self.open_compare(),
            Action::ShowBase => self.show_base(),
            Action::MergeConflicts => {
                self.dialogs.conflicts.open = !self.dialogs.conflicts.open;
            }
            Action::Save => self.save(),
            Action::SaveAs => self.save_as(),
            Action::SaveAsPath => {
                self.dialogs.modal = Some(Modal::SaveAsPath(self.suggested_path()));
            }
            Action::Export => self.open_export_dialog(),
            Action::ExportAgain => self.export_again(),
            Action::HostWorkshop => self.host_workshop(),
            Action::JoinWorkshop => {
                self.dialogs.modal = Some(Modal::JoinWorkshop(String::new()));
            }
            Action::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            Action::Undo | Action::Redo => self.undo_redo(a == Action::Undo),
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
                self.canvas.selection = Selection {
                    cards: self.doc().cards.iter().map(|c| c.id).collect(),
                    ..Selection::default()
                };
            }
            Action::EditCard => self.edit_selected(None),
            Action::InsertStage => self.insert_stage(),
            Action::LinkTo => self.start_linking(),
            Action::LinkToMap => self.open_map_link_picker(),
            Action::BackToMap => self.back_to_map(),
            Action::ExecutiveView => {
                self.canvas.executive = !self.canvas.executive;
                self.canvas.selection = Selection::default();
                self.canvas.fit_pending = true;
                self.dialogs.status = Some(if self.canvas.executive {
                    "Executive view: severe pain points, moments of truth, opportunities, the curves and their gap (Ctrl+Shift+X for the whole map)".into()
                } else {
                    "The whole map".into()
                });
            }
            Action::SetChannel(ch) => self.set_channel(ch),
            Action::ZoomIn => self.zoom_keys(1.25),
            Action::ZoomOut => self.zoom_keys(0.8),
            Action::ZoomReset => {
                let f = 1.0 / self.canvas.view.zoom;
                self.zoom_keys(f);
            }
            Action::ZoomFit => self.canvas.fit_pending = true,
            Action::TextLarger | Action::TextSmaller | Action::TextReset => {
                let s = match a {
                    Action::TextLarger => self.prefs.text_scale + TEXT_STEP,
                    Action::TextSmaller => self.prefs.text_scale - TEXT_STEP,
                    _ => 1.0,
                };
                self.set_text_scale(s);
            }
            Action::DarkMap => {
                self.prefs.theme = match self.prefs.theme {
                    ThemeKind::Light => ThemeKind::Dark,
                    ThemeKind::Dark => ThemeKind::Light,
                };
            }
            Action::ToggleInspector => self.prefs.show_inspector = !self.prefs.show_inspector,
            Action::FullScreen => {
                let on = ctx.input(|i| i.viewport().fullscreen.unwrap_or(false));
                ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(!on));
            }
            Action::Present => {
                if self.is_presenting() {
                    self.leave_presentation(ctx);
                } else {
                    self.enter_presentation(ctx);
                }
            }
            Action::NextStage => self.present_step(1),
            Action::PreviousStage => self.present_step(-1),
            Action::WholeMap => self.present_whole(),
            Action::LanesDown => self.present_scroll(1),
            Action::LanesUp => self.present_scroll(-1),
            Action::Shortcuts => self.dialogs.show_shortcuts = !self.dialogs.show_shortcuts,
        }
    }

    /// Sets the canvas's text size (100 % to 200 %), keeping the view where it is.
    pub(crate) fn set_text_scale(&mut self, s: f32) {
        let s = (s / TEXT_STEP).round() * TEXT_STEP;
        self.prefs.text_scale = s.clamp(Style::MIN_SCALE, Style::MAX_SCALE);
    }

    fn zoom_keys(&mut self, factor: f32) {
        let c = self.canvas.rect.center();
        self.canvas
            .view
            .zoom_around(self.canvas.rect.min, c, factor);
    }

    /// Undo or redo, then bring what changed into sight (a restored stage, the cells touched).
    fn undo_redo(&mut self, undo: bool) {
        self.canvas.editing = None;
        if self
            .session
            .workshop
            .as_ref()
            .is_some_and(super::workshop::Workshop::read_only)
        {
            self.dialogs.status =
                Some("The facilitator has locked the map: nothing was changed".into());
            return;
        }
        let stages: Vec<StageId> = self.doc().stages.iter().map(|s| s.id).collect();
        let ed = &mut self.session.editor;
        let touched = if undo { ed.undo() } else { ed.redo() };
        let Some(touched) = touched else {
            return;
        };
        self.canvas.reveal = reveal_for(&touched, &stages, self.doc());
    }

    /// F2 or Enter: edit the selected card, start a card in the selected cell, rename the
    /// selected stage; `typed` is text typed to start it (it replaces a name).
    pub(crate) fn edit_selected(&mut self, typed: Option<String>) {
        let sel = self.canvas.selection.clone();
        if sel.cards.len() == 1
            && let Some(id) = sel.cards.first().copied()
        {
            match typed {
                // Typing on a selected card starts a new card after it.
                Some(t) => self.new_card_after(id, t),
                None => start_edit(
                    &mut self.canvas,
                    self.session.editor.doc(),
                    EditTarget::Card(id),
                ),
            }
        } else if !sel.cards.is_empty() {
            if let (Some(t), Some(last)) = (typed, self.last_selected_card()) {
                self.new_card_after(last, t);
            }
        } else if let Some((stage, lane)) = sel.cell {
            if self.doc().lane(lane).is_some_and(|l| l.kind.holds_cards()) {
                self.canvas
                    .open_new_card(stage, lane, usize::MAX, typed.unwrap_or_default());
            }
        } else if let Some(id) = sel.stage {
            start_edit(
                &mut self.canvas,
                self.session.editor.doc(),
                EditTarget::Stage(id),
            );
            if let (Some(t), Some(e)) = (typed, self.canvas.editing.as_mut()) {
                // Typed over the name: the cursor goes after what was typed.
                e.buf = t;
                e.select_all = false;
            }
        } else if let Some(id) = sel.lane {
            start_edit(
                &mut self.canvas,
                self.session.editor.doc(),
                EditTarget::Lane(id),
            );
            if let (Some(t), Some(e)) = (typed, self.canvas.editing.as_mut()) {
                e.buf = t;
                e.select_all = false;
            }
        }
    }

    fn last_selected_card(&self) -> Option<crate::model::CardId> {
        self.doc()
            .cards
            .iter()
            .rev()
            .find(|c| self.canvas.selection.cards.contains(&c.id))
            .map(|c| c.id)
    }

    fn new_card_after(&mut self, id: crate::model::CardId, text: String) {
        let Some(c) = self.scene.layout().card(id) else {
            return;
        };
        let (stage, lane, index) = (c.stage, c.lane, c.index + 1);
        self.canvas.open_new_card(stage, lane, index, text);
    }

    /// Inserts a stage after the selected stage (or the stage of the selected card or cell),
    /// or at the end, and opens its name.
    fn insert_stage(&mut self) {
        let sel = &self.canvas.selection;
        let doc = self.doc();
        let at = sel
            .stage
            .or(sel.cell.map(|c| c.0))
            .or_else(|| {
                sel.cards
                    .first()
                    .and_then(|id| doc.card(*id))
                    .map(|c| c.stage)
            })
            .and_then(|s| doc.stage_index(s));
        let (index, width) = match at {
            Some(i) => (i + 1, doc.stages[i].width),
            None => (doc.stages.len(), DEFAULT_STAGE_WIDTH),
        };
        add_stage(&mut self.canvas, &mut self.session, index, width);
    }

    /// Sets the channel of the card being typed, or of every selected card.
    fn set_channel(&mut self, ch: Option<Channel>) {
        if let Some(e) = self.canvas.editing.as_mut()
            && matches!(e.target, EditTarget::Card(_) | EditTarget::NewCard { .. })
        {
            e.channel = ch;
            e.channel_set = true;
            return;
        }
        let cmds: Vec<Command> = self
            .selected_cards()
            .into_iter()
            .filter(|c| c.channel != ch)
            .map(|mut c| {
                c.channel = ch;
                Command::UpdateCard(c)
            })
            .collect();
        if !cmds.is_empty() {
            self.queue(Command::Batch(cmds));
        }
        let label = ch.map_or("no channel", Channel::label);
        self.dialogs.status = Some(format!("Channel: {label}"));
    }

    /// The keyboard of this frame.
    pub(crate) fn keys(&mut self, ctx: &egui::Context) {
        if self.escape(ctx) {
            return;
        }
        if self.shortcut_while_typing(ctx) {
            return;
        }
        if self.dialogs.modal.is_some()
            || self.dialogs.export.dialog.is_some()
            || ctx.egui_wants_keyboard_input()
        {
            return;
        }
        let presenting = self.is_presenting();
        let mut fired = false;
        for &(a, s) in Action::key_shortcuts() {
            if (a.presenting_only() && !presenting)
                || (presenting && !allowed_presenting(a))
                || !self.enabled(a)
            {
                continue;
            }
            if consume_shortcut(ctx, s) {
                self.run(ctx, a);
                fired = true;
            }
        }
        if presenting {
            return;
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
        super::canvas::canvas_keys(self, ctx, fired);
    }

    /// While a card, stage or lane name is being typed on the map, the keys that leave the
    /// typing still work (save, export, present, full screen, quit): what was typed is
    /// committed and applied first, then the action runs. Returns whether one ran.
    fn shortcut_while_typing(&mut self, ctx: &egui::Context) -> bool {
        if self.canvas.editing.is_none()
            || self.dialogs.modal.is_some()
            || self.dialogs.export.dialog.is_some()
        {
            return false;
        }
        let leaves_typing = |a: Action| {
            matches!(
                a,
                Action::Save
                    | Action::SaveAs
                    | Action::Export
                    | Action::ExportAgain
                    | Action::Present
                    | Action::FullScreen
                    | Action::Quit
            )
        };
        let shortcuts: Vec<(Action, egui::KeyboardShortcut)> = Action::key_shortcuts()
            .iter()
            .copied()
            .filter(|(a, _)| leaves_typing(*a) && self.enabled(*a))
            .collect();
        // The first such key among this frame's events, and the text typed before it in
        // the same frame (the text field has not seen it yet: events go in arrival order).
        let found = ctx.input_mut(|i| {
            let at = i.events.iter().position(|e| {
                shortcuts
                    .iter()
                    .any(|(_, s)| super::actions::is_shortcut(e, *s))
            })?;
            let action = shortcuts
                .iter()
                .find(|(_, s)| super::actions::is_shortcut(&i.events[at], *s))
                .map(|(a, _)| *a)?;
            Some((action, take_typed_before(i, at)))
        });
        let Some((action, before)) = found else {
            return false;
        };
        if let Some(e) = self.canvas.editing.as_mut() {
            e.buf.push_str(&before);
        }
        super::canvas::commit_editing(&mut self.canvas, &mut self.session);
        // Run once the commit is applied (a save writes the card just typed).
        self.session.after_drain = Some(action);
        ctx.request_repaint();
        true
    }

    /// Escape: leaves what is going on (a menu, an edit, presenting, a gesture), else clears
    /// the selection. Returns whether the frame's keys are done.
    fn escape(&mut self, ctx: &egui::Context) -> bool {
        let esc = ctx.input(|i| i.key_pressed(Key::Escape));
        if !esc || egui::Popup::is_any_open(ctx) || self.dialogs.modal.is_some() {
            // An open menu or dialog takes Escape itself.
            return false;
        }
        let take =
            |ctx: &egui::Context| ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape));
        if self.canvas.editing.is_some() {
            // "Esc: done": what was typed is kept, also what was typed in this frame before
            // the Escape (the text field has not seen it yet); an empty new card is simply
            // not made. (An Enter before it in the frame ends the card the same way.)
            let before = ctx.input_mut(|i| {
                let at = i.events.iter().position(|e| {
                    matches!(
                        e,
                        egui::Event::Key {
                            key: Key::Escape,
                            pressed: true,
                            ..
                        }
                    )
                })?;
                Some(take_typed_before(i, at))
            });
            if let (Some(e), Some(before)) = (self.canvas.editing.as_mut(), before) {
                e.buf.push_str(&before);
            }
            super::canvas::commit_editing(&mut self.canvas, &mut self.session);
            return true;
        }
        if self.dialogs.export.dialog.is_some() {
            return false;
        }
        if self.canvas.gesture != super::canvas::Gesture::None {
            take(ctx);
            self.session.editor.rollback();
            self.canvas.gesture = super::canvas::Gesture::None;
            return true;
        }
        if self.canvas.linking.take().is_some() {
            take(ctx);
            self.dialogs.status = Some("Link cancelled".into());
            return true;
        }
        if self.is_presenting() {
            take(ctx);
            self.leave_presentation(ctx);
            return true;
        }
        if ctx.egui_wants_keyboard_input() {
            return false;
        }
        take(ctx);
        self.canvas.selection = Selection::default();
        self.canvas.minus = false;
        true
    }

    /// Commits an open in-place edit (before a menu action that changes the document).
    pub(crate) fn finish_editing(&mut self) {
        commit_editing(&mut self.canvas, &mut self.session);
    }
}

/// Actions that work while presenting (the rest would edit or open dialogs).
fn allowed_presenting(a: Action) -> bool {
    matches!(
        a,
        Action::Present
            | Action::NextStage
            | Action::PreviousStage
            | Action::WholeMap
            | Action::LanesDown
            | Action::LanesUp
            | Action::FullScreen
            | Action::ZoomIn
            | Action::ZoomOut
            | Action::ZoomReset
            | Action::ZoomFit
            | Action::ExecutiveView
            | Action::Quit
    )
}

/// What to bring into sight after an undo or redo: a stage it brought back, else the cells it
/// touched.
fn reveal_for(t: &Touched, before: &[StageId], doc: &crate::model::Document) -> Option<Reveal> {
    if t.structure {
        return doc
            .stages
            .iter()
            .find(|s| !before.contains(&s.id))
            .map(|s| Reveal::Stage(s.id));
    }
    t.cells.iter().next().map(|(s, l)| Reveal::Cell(*s, *l))
}

impl App {
    /// Reads the metrics that name a data source again (files beside the map), as one undo
    /// step; says what could not be read.
    pub(crate) fn refresh_metrics(&mut self) {
        let dir = self.map_dir();
        let mut doc = self.doc().clone();
        let r = crate::io::refresh::refresh(&mut doc, &dir, &crate::render::export_date());
        let ops = crate::edit::whole::document_ops(self.doc(), &doc);
        if let Err(e) = self
            .session
            .editor
            .apply_ops(crate::edit::Origin::Local, ops)
        {
            self.dialogs.status = Some(format!("Metrics not refreshed: {e}"));
            return;
        }
        if r.failed > 0 {
            self.dialogs.modal = Some(Modal::Error(
                "Some metrics were not read",
                r.lines.join("\n"),
            ));
        }
        self.dialogs.status = Some(format!(
            "Metrics: {} read from data, {} not read",
            r.updated, r.failed
        ));
    }
}
