//! The merge-conflicts window: what a three-way merge (`journeymap merge`, a git merge
//! driver) left marked in the map, each settled in one click (one undo step); clicking what
//! a conflict is on selects it on the canvas. It opens by itself when a map with new
//! conflicts arrives (a merged file opened, a co-editor's merge).

use super::app::App;
use super::canvas::{Canvas, Reveal};
use crate::compare::{Choice, conflict_text, resolve, thing_label, value_text};
use crate::model::{CardId, Document, LaneId, LinkId, PointId, StageId};

/// Whether the window is shown, and how many conflicts the map had when last looked at.
#[derive(Debug, Default)]
pub(crate) struct ConflictsState {
    pub open: bool,
    seen: usize,
}

/// What was clicked in the window.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Picked {
    /// What conflict `i` is on: select it on the map.
    Select(usize),
    /// Settle conflict `i` with one side.
    Settle(usize, Choice),
}

/// The window (when open and the map has conflicts), drawn from its state and the map; opens
/// it when their number grows.
pub(crate) fn conflicts_ui(
    ctx: &egui::Context,
    state: &mut ConflictsState,
    doc: &Document,
) -> Option<Picked> {
    let n = doc.conflicts.len();
    if n > state.seen {
        state.open = true;
    }
    state.seen = n;
    if n == 0 || !state.open {
        return None;
    }
    let mut open = true;
    let mut settle: Option<(usize, Choice)> = None;
    let mut select: Option<usize> = None;
    egui::Window::new(format!("Merge conflicts ({n})"))
        .id(egui::Id::unique("merge conflicts"))
        .open(&mut open)
        .default_width(420.0)
        .default_height(320.0)
        .default_pos(ctx.content_rect().right_top() + egui::vec2(-460.0, 60.0))
        .vscroll(true)
        .show(ctx, |ui| {
            ui.label(
                "The two versions merged here disagree on these. The map shows ours \
                     until you pick; each pick is one step to undo.",
            );
            ui.separator();
            for (i, c) in doc.conflicts.iter().enumerate() {
                ui.push_id(i, |ui| {
                    let label = thing_label(doc, c);
                    if ui
                        .link(egui::RichText::new(&label).strong())
                        .on_hover_text("Select it on the map")
                        .clicked()
                    {
                        select = Some(i);
                    }
                    if c.is_removal() {
                        ui.label(conflict_text(doc, c));
                        ui.horizontal(|ui| {
                            let remover = if c.removes(Choice::Ours) {
                                Choice::Ours
                            } else {
                                Choice::Theirs
                            };
                            let keeper = match remover {
                                Choice::Ours => Choice::Theirs,
                                Choice::Theirs => Choice::Ours,
                            };
                            if ui.button("Keep it").clicked() {
                                settle = Some((i, keeper));
                            }
                            if ui.button("Remove it").clicked() {
                                settle = Some((i, remover));
                            }
                        });
                    } else {
                        ui.label(egui::RichText::new(&c.field).weak());
                        let ours = value_text(doc, c, &c.ours);
                        let theirs = value_text(doc, c, &c.theirs);
                        egui::Grid::new("sides").num_columns(2).show(ui, |ui| {
                            if ui.button("Keep ours").clicked() {
                                settle = Some((i, Choice::Ours));
                            }
                            ui.label(ours);
                            ui.end_row();
                            if ui.button("Use theirs").clicked() {
                                settle = Some((i, Choice::Theirs));
                            }
                            ui.label(theirs);
                            ui.end_row();
                        });
                    }
                    ui.separator();
                });
            }
        });
    state.open = open;
    settle
        .map(|(i, c)| Picked::Settle(i, c))
        .or(select.map(Picked::Select))
}

impl App {
    /// The merge-conflicts window, then what was picked in it.
    pub(crate) fn conflicts_window(&mut self, ctx: &egui::Context) {
        let picked = conflicts_ui(ctx, &mut self.dialogs.conflicts, self.session.editor.doc());
        if let Some(Picked::Select(i)) = picked {
            select_conflict(&mut self.canvas, self.session.editor.doc(), i);
        }
        if let Some(Picked::Settle(i, choice)) = picked {
            self.finish_editing();
            match resolve(self.doc(), i, choice) {
                Ok(ops) => {
                    let r = self
                        .session
                        .editor
                        .apply_ops(crate::edit::Origin::Local, ops);
                    if let Err(e) = r {
                        self.dialogs.status = Some(format!("Not settled: {e}"));
                    }
                }
                Err(e) => self.dialogs.status = Some(format!("Not settled: {e}")),
            }
        }
    }
}

/// Selects what conflict `i` is on and scrolls it into view.
fn select_conflict(canvas: &mut Canvas, doc: &Document, i: usize) {
    let Some(c) = doc.conflicts.get(i) else {
        return;
    };
    let (kind, id) = (c.kind.as_str(), c.id);
    let s = &mut canvas.selection;
    *s = super::Selection::default();
    match kind {
        "card" => {
            s.cards.insert(CardId(id));
            canvas.reveal = Some(Reveal::Card(CardId(id)));
        }
        "stage" => {
            s.stage = Some(StageId(id));
            canvas.reveal = Some(Reveal::Stage(StageId(id)));
        }
        "lane" => s.lane = Some(LaneId(id)),
        "point" => s.point = Some(PointId(id)),
        "link" => {
            s.link = Some(LinkId(id));
            if let Some(l) = doc.link(LinkId(id)) {
                canvas.reveal = Some(Reveal::Card(l.from));
            }
        }
        _ => {}
    }
}
