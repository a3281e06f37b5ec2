//! The inspector panel: the selected card's, stage's, lane's or point's properties, or with
//! nothing selected the map's title, description and persona. Text fields commit one undo
//! step when they lose focus; while one has focus its own undo applies.

use egui::Ui;

use super::app::App;
use super::canvas::{EditTarget, add_lane, channel_buttons_ui, start_edit};
use crate::edit::Command;
use crate::model::{Card, LaneId, LaneKind};

/// A text field that shows the document's value and returns the new text when the user
/// leaves the field having changed it.
pub(crate) fn committed_text(
    ui: &mut Ui,
    label: &str,
    salt: impl std::hash::Hash + std::fmt::Debug,
    current: &str,
    multiline: bool,
) -> Option<String> {
    let id = ui.make_persistent_id(("inspector-field", salt));
    let l = ui.label(label);
    let mut buf: String = ui
        .data(|d| d.get_temp::<String>(id))
        .unwrap_or_else(|| current.to_owned());
    let te = if multiline {
        egui::TextEdit::multiline(&mut buf).desired_rows(3)
    } else {
        egui::TextEdit::singleline(&mut buf)
    };
    let resp = ui
        .add(te.id(id.with("te")).desired_width(f32::INFINITY))
        .labelled_by(l.id);
    if resp.has_focus() {
        ui.data_mut(|d| d.insert_temp(id, buf));
        return None;
    }
    ui.data_mut(|d| d.remove::<String>(id));
    (resp.lost_focus() && buf != current).then_some(buf)
}

/// Applies the edit of a dragged or typed number widget: a drag is one transaction (one undo
/// step), a single change is one step.
pub(crate) fn live_edit(app: &mut App, r: &egui::Response, cmd: impl FnOnce() -> Command) {
    if r.drag_started() {
        app.session.editor.begin();
    } else if r.dragged() {
        app.session.editor.hold();
    }
    if r.changed() {
        app.apply_now(&cmd());
    }
    if r.drag_stopped() {
        app.session.editor.commit();
    }
}

pub(crate) fn inspector_ui(app: &mut App, ui: &mut Ui) {
    // The panel keeps its width whatever it shows: wider content wraps or scrolls instead of
    // widening the panel (which would move the map).
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        ui.set_max_width(ui.available_width());
        ui.add_space(6.0);
        let sel = app.canvas.selection.clone();
        if sel.cards.len() == 1 {
            if let Some(card) = sel.cards.first().and_then(|id| app.doc().card(*id)).cloned() {
                card_ui(app, ui, &card);
            }
        } else if sel.cards.len() > 1 {
            ui.heading(format!("{} cards selected", sel.cards.len()));
            ui.label("Drag them to move them together; Delete removes them; Ctrl+C / Ctrl+D copy or duplicate them.");
            ui.add_space(4.0);
            ui.label("Channel");
            let chans: Vec<_> = app.selected_cards().iter().map(|c| c.channel).collect();
            let current = chans.first().copied().flatten();
            let mixed = chans.iter().any(|c| *c != current);
            channel_buttons_ui(app, ui, current, mixed);
            ui.add_space(4.0);
            if ui.button("Delete cards").clicked() {
                app.delete_selection();
            }
        } else if let Some(id) = sel.stage {
            stage_ui(app, ui, id);
        } else if let Some(id) = sel.lane {
            ui.heading("Lane");
            lane_actions_ui(app, ui, id);
        } else if let Some(id) = sel.point {
            point_ui(app, ui, id);
        } else if let Some(id) = sel.link {
            super::inspector_card::link_ui(app, ui, id);
        } else if let Some((stage, lane)) = sel.cell {
            cell_ui(app, ui, stage, lane);
        } else {
            super::inspector_map::map_ui(app, ui);
        }
    });
}

fn card_ui(app: &mut App, ui: &mut Ui, card: &Card) {
    let doc = app.doc();
    let lane = doc.lane(card.lane).map(|l| (l.name.clone(), l.kind));
    let stage = doc
        .stage(card.stage)
        .map(|s| s.name.clone())
        .unwrap_or_default();
    ui.heading("Card");
    if let Some((name, _)) = &lane {
        ui.weak(format!("{stage} · {name}"));
    }
    ui.add_space(4.0);
    let key = card.id.0;
    if let Some(text) = committed_text(ui, "Text", ("text", key), &card.text, true) {
        app.queue(Command::UpdateCard(Card {
            text,
            ..card.clone()
        }));
    }
    ui.add_space(4.0);
    ui.label("Channel");
    channel_buttons_ui(app, ui, card.channel, false);
    ui.add_space(4.0);
    if let Some(owner) =
        committed_text(ui, "Owner / department", ("owner", key), &card.owner, false)
    {
        app.queue(Command::UpdateCard(Card {
            owner,
            ..card.clone()
        }));
    }
    if let Some(note) = committed_text(ui, "Note", ("note", key), &card.note, true) {
        app.queue(Command::UpdateCard(Card {
            note,
            ..card.clone()
        }));
    }
    let mut mot = card.moment_of_truth;
    if ui
        .checkbox(&mut mot, "Moment of truth")
        .on_hover_text("A touchpoint that decides whether the customer stays")
        .changed()
    {
        app.queue(Command::UpdateCard(Card {
            moment_of_truth: mot,
            ..card.clone()
        }));
    }
    super::inspector_card::card_depth_ui(app, ui, card, lane.as_ref().map(|l| l.1));
    ui.add_space(8.0);
    if ui.button("Delete card").clicked() {
        app.delete_selection();
    }
}

fn stage_ui(app: &mut App, ui: &mut Ui, id: crate::model::StageId) {
    let Some(stage) = app.doc().stage(id).cloned() else {
        return;
    };
    ui.heading("Stage");
    if let Some(name) = committed_text(ui, "Name", ("stage", id.0), &stage.name, false) {
        app.queue(Command::RenameStage { id, name });
    }
    ui.horizontal(|ui| {
        let l = ui.label("Width");
        let mut w = stage.width;
        let r = ui
            .add(
                egui::DragValue::new(&mut w)
                    .range(crate::model::MIN_STAGE_WIDTH..=crate::model::MAX_STAGE_WIDTH),
            )
            .labelled_by(l.id);
        live_edit(app, &r, || Command::ResizeStage { id, width: w });
    });
    let cards = app.doc().cards.iter().filter(|c| c.stage == id).count();
    let points = app
        .doc()
        .emotion
        .points()
        .filter(|(_, p)| p.stage == id)
        .count();
    ui.weak(format!(
        "{}, {}",
        crate::text::count(cards, "card"),
        crate::text::count(points, "emotion point")
    ));
    let index = app.doc().stage_index(id).unwrap_or(0);
    ui.horizontal(|ui| {
        if ui
            .add_enabled(index > 0, egui::Button::new("◀ Move left"))
            .clicked()
        {
            app.queue(Command::MoveStage {
                id,
                to_index: index - 1,
            });
        }
        if ui
            .add_enabled(
                index + 1 < app.doc().stages.len(),
                egui::Button::new("Move right ▶"),
            )
            .clicked()
        {
            app.queue(Command::MoveStage {
                id,
                to_index: index + 1,
            });
        }
    });
    if ui
        .button("Delete stage")
        .on_hover_text("Deletes the stage with its cards and emotion points (one undo step)")
        .clicked()
    {
        app.delete_stage(id);
    }
}

fn point_ui(app: &mut App, ui: &mut Ui, id: crate::model::PointId) {
    let Some(p) = app.doc().point(id).cloned() else {
        return;
    };
    let scale = app.doc().emotion.scale.clone();
    ui.heading("Emotion point");
    let mut v = p.value;
    let l = ui.label("Feeling");
    let r = ui
        .add(egui::Slider::new(&mut v, scale.min as f32..=scale.max as f32).step_by(0.25))
        .labelled_by(l.id);
    live_edit(app, &r, || Command::MovePoint {
        id,
        stage: p.stage,
        offset: p.offset,
        value: v,
    });
    if let Some(label) = scale.label(v.round() as i32) {
        ui.weak(label);
    }
    if ui.button("Delete point").clicked() {
        app.queue(Command::DeletePoints(vec![id]));
    }
}

/// A selected cell: what is in it and what the keys do there.
fn cell_ui(app: &mut App, ui: &mut Ui, stage: crate::model::StageId, lane: LaneId) {
    let doc = app.doc();
    let (Some(s), Some(l)) = (doc.stage(stage), doc.lane(lane)) else {
        return;
    };
    ui.heading("Cell");
    ui.weak(format!("{} · {}", s.name, l.name));
    ui.add_space(4.0);
    if l.kind.holds_cards() {
        let n = doc.cell_cards(stage, lane).count();
        ui.label(crate::text::count(n, "card"));
        ui.label("Type to add a card here. Enter adds the next one, Tab moves to the next stage.");
        if ui.button("New card here").clicked() {
            app.edit_selected(None);
        }
    } else {
        let sc = doc.emotion.scale.clone();
        let point = app.active_point_in(stage);
        match point {
            Some(p) => {
                ui.label(format!(
                    "Feeling: {:+} {}",
                    p.value,
                    sc.label(p.value.round() as i32).unwrap_or("")
                ));
            }
            None => {
                ui.label("No point in this stage yet.");
            }
        }
        ui.label(format!(
            "Type a number from {} to {} (\u{2212} first for negative ones) or use \u{2191}/\u{2193}; Tab moves to the next stage.",
            sc.min, sc.max
        ));
    }
}

/// Rename, hide, move, insert and delete for one lane (inspector and context menu).
pub(crate) fn lane_actions_ui(app: &mut App, ui: &mut Ui, id: LaneId) {
    let Some(lane) = app.doc().lane(id).cloned() else {
        return;
    };
    let index = app.doc().lane_index(id).unwrap_or(0);
    let count = app.doc().lanes.len();
    ui.weak(format!("{} lane", lane.kind.label()));
    if ui.button("Rename").clicked() {
        start_edit(app, EditTarget::Lane(id));
        ui.close();
    }
    if ui.button("Hide lane").on_hover_text("Hidden lanes are kept in the file but not shown or exported; show them again from the Lanes menu").clicked() {
        app.queue(Command::SetLaneHidden { id, hidden: true });
        ui.close();
    }
    if ui
        .add_enabled(index > 0, egui::Button::new("Move up"))
        .clicked()
    {
        app.queue(Command::MoveLane {
            id,
            to_index: index - 1,
        });
        ui.close();
    }
    if ui
        .add_enabled(index + 1 < count, egui::Button::new("Move down"))
        .clicked()
    {
        app.queue(Command::MoveLane {
            id,
            to_index: index + 1,
        });
        ui.close();
    }
    ui.menu_button("Insert lane below", |ui| {
        for kind in LaneKind::ALL {
            let allowed = kind != LaneKind::Emotion || app.doc().emotion_lane().is_none();
            if ui
                .add_enabled(allowed, egui::Button::new(kind.label()))
                .clicked()
            {
                add_lane(app, index + 1, kind);
                ui.close();
            }
        }
    });
    if ui
        .button("Delete lane")
        .on_hover_text("Deletes the lane with its cards (one undo step)")
        .clicked()
    {
        app.delete_lane(id);
        ui.close();
    }
}

/// The Lanes menu: every lane with a visibility check box, and adding lanes.
pub(crate) fn lanes_menu_ui(app: &mut App, ui: &mut Ui) {
    for lane in app.doc().lanes.clone() {
        let mut shown = !lane.hidden;
        if ui
            .checkbox(&mut shown, format!("{} ({})", lane.name, lane.kind.label()))
            .changed()
        {
            app.queue(Command::SetLaneHidden {
                id: lane.id,
                hidden: !shown,
            });
        }
    }
    ui.separator();
    ui.menu_button("Add lane", |ui| {
        for kind in LaneKind::ALL {
            let allowed = kind != LaneKind::Emotion || app.doc().emotion_lane().is_none();
            if ui
                .add_enabled(allowed, egui::Button::new(kind.label()))
                .clicked()
            {
                let index = app.doc().lanes.len();
                add_lane(app, index, kind);
                ui.close();
            }
        }
    });
}
