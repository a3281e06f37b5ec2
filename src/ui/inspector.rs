//! The inspector panel: the selected card's, stage's, lane's or point's properties, or with
//! nothing selected the map's title, description and persona. Text fields commit one undo
//! step when they lose focus; while one has focus its own undo applies.

use std::path::PathBuf;

use egui::Ui;

use super::actions::Action;
use super::app::Selection;
use super::asks::{Ask, Asks};
use super::canvas::{EditTarget, channel_buttons_ui};
use crate::edit::Command;
use crate::model::{Card, CurveId, Document, EmotionPoint, LaneId, LaneKind, StageId};

/// What the side panel and the menus are drawn from: the parts of the app they read. What
/// they change, they ask for ([`Asks`]).
pub(crate) struct Shown<'a> {
    pub doc: &'a Document,
    pub selection: &'a Selection,
    /// The curve new points go to.
    pub active_curve: Option<CurveId>,
    /// Whether the canvas shows the executive view.
    pub executive: bool,
    /// Whether an action can run now (its button is greyed out when not).
    pub can: &'a dyn Fn(Action) -> bool,
    /// For the selected card's links to other maps, in order: the file each opens, or why it
    /// opens nothing.
    pub map_links: Vec<Result<PathBuf, String>>,
}

impl Shown<'_> {
    /// The active curve's first point in a stage.
    #[must_use]
    pub fn active_point_in(&self, stage: StageId) -> Option<EmotionPoint> {
        active_point_in(self.doc, self.active_curve, stage)
    }
}

/// A curve's first point in a stage.
#[must_use]
pub(crate) fn active_point_in(
    doc: &Document,
    curve: Option<CurveId>,
    stage: StageId,
) -> Option<EmotionPoint> {
    let curve = doc.emotion.curve(curve?)?;
    curve.points.iter().find(|p| p.stage == stage).cloned()
}

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

/// The side panel: what is selected, or the map.
pub(crate) fn inspector_ui(ui: &mut Ui, shown: &Shown, asks: &mut Asks) {
    // The panel keeps its width whatever it shows: wider content wraps or scrolls instead of
    // widening the panel (which would move the map).
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        ui.set_max_width(ui.available_width());
        ui.add_space(6.0);
        let sel = shown.selection;
        let doc = shown.doc;
        if sel.cards.len() == 1 {
            if let Some(card) = sel.cards.first().and_then(|id| doc.card(*id)) {
                card_ui(ui, shown, card, asks);
            }
        } else if sel.cards.len() > 1 {
            ui.heading(format!("{} cards selected", sel.cards.len()));
            ui.label("Drag them to move them together; Delete removes them; Ctrl+C / Ctrl+D copy or duplicate them.");
            ui.add_space(4.0);
            ui.label("Channel");
            let (current, mixed) = channels_of(doc, sel);
            channel_buttons_ui(ui, current, mixed, asks);
            ui.add_space(4.0);
            if ui.button("Delete cards").clicked() {
                asks.ask(Ask::DeleteSelection);
            }
        } else if let Some(id) = sel.stage {
            stage_ui(ui, doc, id, asks);
        } else if let Some(id) = sel.lane {
            ui.heading("Lane");
            lane_actions_ui(ui, doc, id, asks);
        } else if let Some(id) = sel.point {
            point_ui(ui, doc, id, asks);
        } else if let Some(id) = sel.link {
            super::inspector_card::link_ui(ui, doc, id, asks);
        } else if let Some((stage, lane)) = sel.cell {
            cell_ui(ui, shown, stage, lane, asks);
        } else {
            super::inspector_map::map_ui(ui, shown, asks);
        }
    });
}

/// The selected cards' channel, and whether they differ (then none is marked).
pub(crate) fn channels_of(
    doc: &Document,
    sel: &Selection,
) -> (Option<crate::model::Channel>, bool) {
    let chans: Vec<_> = doc
        .cards
        .iter()
        .filter(|c| sel.cards.contains(&c.id))
        .map(|c| c.channel)
        .collect();
    let current = chans.first().copied().flatten();
    (current, chans.iter().any(|c| *c != current))
}

fn card_ui(ui: &mut Ui, shown: &Shown, card: &Card, asks: &mut Asks) {
    let doc = shown.doc;
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
        asks.edit(Command::UpdateCard(Card {
            text,
            ..card.clone()
        }));
    }
    ui.add_space(4.0);
    ui.label("Channel");
    channel_buttons_ui(ui, card.channel, false, asks);
    ui.add_space(4.0);
    if let Some(owner) =
        committed_text(ui, "Owner / department", ("owner", key), &card.owner, false)
    {
        asks.edit(Command::UpdateCard(Card {
            owner,
            ..card.clone()
        }));
    }
    if let Some(note) = committed_text(ui, "Note", ("note", key), &card.note, true) {
        asks.edit(Command::UpdateCard(Card {
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
        asks.edit(Command::UpdateCard(Card {
            moment_of_truth: mot,
            ..card.clone()
        }));
    }
    super::inspector_card::card_depth_ui(ui, shown, card, lane.as_ref().map(|l| l.1), asks);
    ui.add_space(8.0);
    if ui.button("Delete card").clicked() {
        asks.ask(Ask::DeleteSelection);
    }
}

fn stage_ui(ui: &mut Ui, doc: &Document, id: StageId, asks: &mut Asks) {
    let Some(stage) = doc.stage(id) else {
        return;
    };
    ui.heading("Stage");
    if let Some(name) = committed_text(ui, "Name", ("stage", id.0), &stage.name, false) {
        asks.edit(Command::RenameStage { id, name });
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
        asks.live(&r, || Command::ResizeStage { id, width: w });
    });
    let cards = doc.cards.iter().filter(|c| c.stage == id).count();
    let points = doc.emotion.points().filter(|(_, p)| p.stage == id).count();
    ui.weak(format!(
        "{}, {}",
        crate::text::count(cards, "card"),
        crate::text::count(points, "emotion point")
    ));
    let index = doc.stage_index(id).unwrap_or(0);
    ui.horizontal(|ui| {
        if ui
            .add_enabled(index > 0, egui::Button::new("◀ Move left"))
            .clicked()
        {
            asks.edit(Command::MoveStage {
                id,
                to_index: index - 1,
            });
        }
        if ui
            .add_enabled(
                index + 1 < doc.stages.len(),
                egui::Button::new("Move right ▶"),
            )
            .clicked()
        {
            asks.edit(Command::MoveStage {
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
        asks.ask(Ask::DeleteStage(id));
    }
}

fn point_ui(ui: &mut Ui, doc: &Document, id: crate::model::PointId, asks: &mut Asks) {
    let Some(p) = doc.point(id) else {
        return;
    };
    let scale = &doc.emotion.scale;
    ui.heading("Emotion point");
    let mut v = p.value;
    let l = ui.label("Feeling");
    let r = ui
        .add(egui::Slider::new(&mut v, scale.min as f32..=scale.max as f32).step_by(0.25))
        .labelled_by(l.id);
    asks.live(&r, || Command::MovePoint {
        id,
        stage: p.stage,
        offset: p.offset,
        value: v,
    });
    if let Some(label) = scale.label(v.round() as i32) {
        ui.weak(label);
    }
    if ui.button("Delete point").clicked() {
        asks.edit(Command::DeletePoints(vec![id]));
    }
}

/// A selected cell: what is in it and what the keys do there.
fn cell_ui(ui: &mut Ui, shown: &Shown, stage: StageId, lane: LaneId, asks: &mut Asks) {
    let doc = shown.doc;
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
            asks.ask(Ask::EditSelected);
        }
    } else {
        let sc = &doc.emotion.scale;
        let point = shown.active_point_in(stage);
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
pub(crate) fn lane_actions_ui(ui: &mut Ui, doc: &Document, id: LaneId, asks: &mut Asks) {
    let Some(lane) = doc.lane(id) else {
        return;
    };
    let index = doc.lane_index(id).unwrap_or(0);
    let count = doc.lanes.len();
    ui.weak(format!("{} lane", lane.kind.label()));
    if ui.button("Rename").clicked() {
        asks.ask(Ask::StartEdit(EditTarget::Lane(id)));
        ui.close();
    }
    if ui.button("Hide lane").on_hover_text("Hidden lanes are kept in the file but not shown or exported; show them again from the Lanes menu").clicked() {
        asks.edit(Command::SetLaneHidden { id, hidden: true });
        ui.close();
    }
    if ui
        .add_enabled(index > 0, egui::Button::new("Move up"))
        .clicked()
    {
        asks.edit(Command::MoveLane {
            id,
            to_index: index - 1,
        });
        ui.close();
    }
    if ui
        .add_enabled(index + 1 < count, egui::Button::new("Move down"))
        .clicked()
    {
        asks.edit(Command::MoveLane {
            id,
            to_index: index + 1,
        });
        ui.close();
    }
    ui.menu_button("Insert lane below", |ui| {
        for kind in LaneKind::ALL {
            let allowed = kind != LaneKind::Emotion || doc.emotion_lane().is_none();
            if ui
                .add_enabled(allowed, egui::Button::new(kind.label()))
                .clicked()
            {
                asks.ask(Ask::AddLane(index + 1, kind));
                ui.close();
            }
        }
    });
    if ui
        .button("Delete lane")
        .on_hover_text("Deletes the lane with its cards (one undo step)")
        .clicked()
    {
        asks.ask(Ask::DeleteLane(id));
        ui.close();
    }
}

/// The Lanes menu: every lane with a visibility check box, and adding lanes.
pub(crate) fn lanes_menu_ui(ui: &mut Ui, doc: &Document, asks: &mut Asks) {
    for lane in &doc.lanes {
        let mut shown = !lane.hidden;
        if ui
            .checkbox(&mut shown, format!("{} ({})", lane.name, lane.kind.label()))
            .changed()
        {
            asks.edit(Command::SetLaneHidden {
                id: lane.id,
                hidden: !shown,
            });
        }
    }
    ui.separator();
    ui.menu_button("Add lane", |ui| {
        for kind in LaneKind::ALL {
            let allowed = kind != LaneKind::Emotion || doc.emotion_lane().is_none();
            if ui
                .add_enabled(allowed, egui::Button::new(kind.label()))
                .clicked()
            {
                asks.ask(Ask::AddLane(doc.lanes.len(), kind));
                ui.close();
            }
        }
    });
}

impl super::App {
    /// Draws the side panel from the parts of the app it shows, then does what it asked.
    pub(crate) fn inspector_panel(&mut self, ui: &mut Ui) {
        let card = match self.canvas.selection.cards.first() {
            Some(id) if self.canvas.selection.cards.len() == 1 => self.doc().card(*id),
            _ => None,
        };
        let links = card.map(|c| c.map_links.clone()).unwrap_or_default();
        let map_links = self.map_links_reach(&links, ui.input(|i| i.time));
        let mut asks = Asks::default();
        let can = |a| self.enabled(a);
        inspector_ui(
            ui,
            &Shown {
                map_links,
                ..self.shown(&can)
            },
            &mut asks,
        );
        self.answer(ui.ctx(), asks);
    }
}

#[cfg(test)]
#[path = "inspector_tests.rs"]
mod tests;
