//! In-place text editing on the canvas: card text, new cards, stage and lane names.

use egui::{Key, Modifiers, Ui, WidgetInfo};

use super::app::{App, EditTarget, Selection, TextEditing};
use super::paint::map_font;
use crate::edit::Command;
use crate::geom::Rect;
use crate::layout::{CARD_FONT, CARD_PAD, CELL_PAD, LANE_FONT};
use crate::model::{Card, CardId};

/// Starts editing the text of a card, stage or lane.
pub(crate) fn start_edit(app: &mut App, target: EditTarget) {
    let doc = app.doc();
    let buf = match target {
        EditTarget::Card(id) => doc.card(id).map(|c| c.text.clone()),
        EditTarget::Stage(id) => doc.stage(id).map(|s| s.name.clone()),
        EditTarget::Lane(id) => doc.lane(id).map(|l| l.name.clone()),
        EditTarget::NewCard { .. } => Some(String::new()),
    };
    if let Some(buf) = buf {
        app.editing = Some(TextEditing {
            target,
            buf,
            focused_once: false,
        });
    }
}

/// Ends the in-place edit, applying it as one undo step.
pub(crate) fn commit_editing(app: &mut App) {
    let Some(ed) = app.editing.take() else { return };
    let doc = app.doc();
    let cmd = match ed.target {
        EditTarget::NewCard { stage, lane, index } => {
            let text = ed.buf.trim_end().to_string();
            if text.trim().is_empty() {
                return;
            }
            let id = CardId(doc.next_id);
            app.apply(&Command::AddCards {
                cards: vec![Card::new(id, stage, lane, text)],
                index,
            });
            app.selection = Selection::only_card(id);
            return;
        }
        EditTarget::Card(id) => doc.card(id).filter(|c| c.text != ed.buf).map(|c| {
            let mut c = c.clone();
            c.text = ed.buf.trim_end().to_string();
            Command::UpdateCard(c)
        }),
        EditTarget::Stage(id) => {
            (doc.stage(id).is_some_and(|s| s.name != ed.buf)).then(|| Command::RenameStage {
                id,
                name: ed.buf.trim().to_string(),
            })
        }
        EditTarget::Lane(id) => {
            (doc.lane(id).is_some_and(|l| l.name != ed.buf)).then(|| Command::RenameLane {
                id,
                name: ed.buf.trim().to_string(),
            })
        }
    };
    if let Some(cmd) = cmd {
        app.apply(&cmd);
    }
}

/// Where the in-place editor sits, in world units.
pub(crate) fn edit_rect(app: &App, target: EditTarget) -> Option<Rect> {
    let l = &app.cache.layout;
    match target {
        EditTarget::Card(id) => l.card(id).map(|c| c.rect),
        EditTarget::Stage(id) => l.stage(id).map(|s| s.header.expand(-6.0)),
        EditTarget::Lane(id) => l.lane(id).map(|r| {
            Rect::from_xywh(
                r.label.min.x + 8.0,
                r.label.min.y + 6.0,
                r.label.width() - 16.0,
                LANE_FONT * 2.4,
            )
        }),
        EditTarget::NewCard { stage, lane, index } => {
            let cell = l.cell_rect(stage, lane)?;
            let y = l.drop_marker_y(stage, lane, index, &[])?;
            Some(Rect::from_xywh(
                cell.min.x + CELL_PAD,
                y,
                cell.width() - 2.0 * CELL_PAD,
                crate::layout::card_height(2, false),
            ))
        }
    }
}

pub(crate) fn text_edit_ui(app: &mut App, ui: &mut Ui) {
    let Some(ed) = app.editing.clone() else {
        return;
    };
    let Some(world) = edit_rect(app, ed.target) else {
        app.editing = None;
        return;
    };
    let id = ui.scope_id().with("in-place-edit");
    let focused = ui.memory(|m| m.has_focus(id));
    // Enter commits and Escape cancels; Shift+Enter reaches the text field as a newline.
    // (consume_key ignores a held Shift, so check it first.)
    if focused && ui.input_mut(|i| !i.modifiers.shift && i.consume_key(Modifiers::NONE, Key::Enter))
    {
        commit_editing(app);
        return;
    }
    let mut buf = ed.buf.clone();
    let rect = app.view.screen_rect(app.canvas_rect.min, &world);
    let (size, bold, multiline) = match ed.target {
        EditTarget::Card(_) | EditTarget::NewCard { .. } => (CARD_FONT, false, true),
        EditTarget::Stage(_) => (crate::layout::HEADER_FONT, true, false),
        EditTarget::Lane(_) => (LANE_FONT, true, false),
    };
    let font = map_font(size, app.view.zoom, bold);
    let margin = egui::Margin::same((CARD_PAD * app.view.zoom * 0.6).clamp(2.0, 20.0) as i8);
    let label = match ed.target {
        EditTarget::NewCard { .. } => "New card text",
        EditTarget::Card(_) => "Card text",
        EditTarget::Stage(_) => "Stage name",
        EditTarget::Lane(_) => "Lane name",
    };
    let te = if multiline {
        egui::TextEdit::multiline(&mut buf)
    } else {
        egui::TextEdit::singleline(&mut buf)
    };
    let te = te
        .id(id)
        .font(font)
        .margin(margin)
        .desired_width(rect.width())
        .hint_text(label);
    let mut child = ui.new_child(
        egui::UiBuilder::new()
            .max_rect(rect)
            .layout(egui::Layout::top_down(egui::Align::Min)),
    );
    let resp = child.add_sized(rect.size(), te);
    resp.widget_info(|| {
        WidgetInfo::labeled(
            if multiline {
                egui::Role::MultilineTextInput
            } else {
                egui::Role::TextInput
            },
            true,
            label,
        )
    });
    if !ed.focused_once {
        resp.request_focus();
        // Names are usually retyped: select them all. Card text keeps the cursor at the end.
        let mut state = egui::text_edit::TextEditState::load(ui.ctx(), id).unwrap_or_default();
        let n = ed.buf.chars().count();
        let range = if multiline {
            egui::text_selection::CCursorRange::one(egui::text::CCursor::new(n))
        } else {
            egui::text_selection::CCursorRange::two(
                egui::text::CCursor::new(0),
                egui::text::CCursor::new(n),
            )
        };
        state.cursor.set_char_range(Some(range));
        state.store(ui.ctx(), id);
    }
    if let Some(e) = app.editing.as_mut() {
        e.buf = buf;
        e.focused_once = true;
    }
    if resp.lost_focus() {
        commit_editing(app);
    }
}
