//! The canvas's context menu and keyboard navigation between cards.

use egui::{Key, Modifiers, Ui};

use super::app::{App, EditTarget, Selection, TextEditing};
use super::canvas::{Gesture, add_stage};
use super::text_edit::start_edit;
use crate::edit::Command;
use crate::layout::Hit;
use crate::model::{Card, CardId, DEFAULT_STAGE_WIDTH, EmotionPoint, LaneId, PointId, StageId};

pub(crate) fn context_menu_ui(app: &mut App, ui: &mut Ui) {
    let ctx = ui.ctx().clone();
    match app.context_hit {
        Some(Hit::Card(id)) => {
            for a in [
                super::Action::EditCard,
                super::Action::Duplicate,
                super::Action::Copy,
                super::Action::Cut,
                super::Action::Delete,
            ] {
                let label = if a == super::Action::EditCard {
                    "Edit text"
                } else {
                    a.label()
                };
                if ui
                    .add(egui::Button::new(label).shortcut_text(a.shortcut_text(&ctx)))
                    .clicked()
                {
                    if a == super::Action::EditCard {
                        start_edit(app, EditTarget::Card(id));
                    } else {
                        app.run(&ctx, a);
                    }
                    ui.close();
                }
            }
            if let Some(card) = app.doc().card(id).cloned() {
                ui.separator();
                let mut mot = card.moment_of_truth;
                if ui.checkbox(&mut mot, "Moment of truth").changed() {
                    app.apply(&Command::UpdateCard(Card {
                        moment_of_truth: mot,
                        ..card
                    }));
                    ui.close();
                }
            }
        }
        Some(Hit::StageHeader(id) | Hit::StageEdge(id)) => {
            let index = app.doc().stage_index(id).unwrap_or(0);
            if ui.button("Rename").clicked() {
                start_edit(app, EditTarget::Stage(id));
                ui.close();
            }
            if ui.button("Insert stage before").clicked() {
                add_stage(app, index, DEFAULT_STAGE_WIDTH);
                ui.close();
            }
            if ui.button("Insert stage after").clicked() {
                add_stage(app, index + 1, DEFAULT_STAGE_WIDTH);
                ui.close();
            }
            ui.separator();
            if ui.button("Delete stage and its cards").clicked() {
                app.apply(&Command::DeleteStage(id));
                ui.close();
            }
        }
        Some(Hit::LaneLabel(id)) => super::inspector::lane_actions_ui(app, ui, id),
        Some(Hit::Cell { stage, lane, index }) => {
            if ui.button("New card here").clicked() {
                app.editing = Some(TextEditing {
                    target: EditTarget::NewCard { stage, lane, index },
                    buf: String::new(),
                    focused_once: false,
                });
                ui.close();
            }
            let can_paste = app.clipboard.is_some();
            if ui
                .add_enabled(can_paste, egui::Button::new("Paste"))
                .clicked()
            {
                app.selection = Selection::default();
                app.last_cell = Some((stage, lane));
                app.run(&ctx, super::Action::Paste);
                ui.close();
            }
        }
        Some(Hit::Emotion {
            stage,
            offset,
            value,
        }) => {
            if ui.button("Add emotion point here").clicked() {
                let id = PointId(app.doc().next_id);
                app.apply(&Command::AddPoint(EmotionPoint {
                    id,
                    stage,
                    offset,
                    value: (value * 4.0).round() / 4.0,
                }));
                ui.close();
            }
        }
        Some(Hit::Point(id)) => {
            if ui.button("Delete emotion point").clicked() {
                app.apply(&Command::DeletePoints(vec![id]));
                ui.close();
            }
        }
        _ => {
            if ui.button("Add stage at end").clicked() {
                let index = app.doc().stages.len();
                add_stage(app, index, DEFAULT_STAGE_WIDTH);
                ui.close();
            }
            if ui.button("Zoom to fit").clicked() {
                app.fit_pending = true;
                ui.close();
            }
        }
    }
}

/// Arrow keys and Tab move the card selection; Escape cancels a gesture.
pub(crate) fn keyboard_navigation(app: &mut App, ctx: &egui::Context) {
    if app.gesture != Gesture::None && ctx.input(|i| i.key_pressed(Key::Escape)) {
        app.editor.rollback();
        app.gesture = Gesture::None;
        return;
    }
    let l = &app.cache.layout;
    let nav_keys = [
        Key::Tab,
        Key::ArrowUp,
        Key::ArrowDown,
        Key::ArrowLeft,
        Key::ArrowRight,
    ];
    if l.cards.is_empty() || !ctx.input(|i| nav_keys.iter().any(|k| i.key_pressed(*k))) {
        return;
    }
    // Reading order: stage by stage, lane by lane, top to bottom.
    let stage_idx = |s: StageId| l.stages.iter().position(|b| b.id == s).unwrap_or(0);
    let lane_idx = |x: LaneId| l.lanes.iter().position(|b| b.id == x).unwrap_or(0);
    let mut order: Vec<&crate::layout::CardBox> = l.cards.iter().collect();
    order.sort_by_key(|c| (stage_idx(c.stage), lane_idx(c.lane), c.index));
    let current = app
        .selection
        .cards
        .iter()
        .next()
        .and_then(|id| order.iter().position(|c| c.id == *id));
    let pressed = |k: Key, m: Modifiers| ctx.input_mut(|i| i.consume_key(m, k));
    let target: Option<CardId> = if pressed(Key::Tab, Modifiers::NONE) {
        Some(order[current.map_or(0, |i| (i + 1) % order.len())].id)
    } else if pressed(Key::Tab, Modifiers::SHIFT) {
        Some(order[current.map_or(order.len() - 1, |i| (i + order.len() - 1) % order.len())].id)
    } else {
        let dir = [
            (Key::ArrowUp, 0),
            (Key::ArrowDown, 1),
            (Key::ArrowLeft, 2),
            (Key::ArrowRight, 3),
        ]
        .into_iter()
        .find(|(k, _)| pressed(*k, Modifiers::NONE))
        .map(|(_, d)| d);
        match (dir, current) {
            (None, _) => None,
            (Some(_), None) => Some(order[0].id),
            (Some(d), Some(i)) => {
                let c = order[i];
                let from = c.rect.center();
                // The nearest card in that direction, preferring the same column or row.
                l.cards
                    .iter()
                    .filter(|o| o.id != c.id)
                    .filter(|o| {
                        let p = o.rect.center();
                        match d {
                            0 => p.y < from.y - 1.0,
                            1 => p.y > from.y + 1.0,
                            2 => p.x < from.x - 1.0,
                            _ => p.x > from.x + 1.0,
                        }
                    })
                    .min_by(|a, b| {
                        let score = |o: &crate::layout::CardBox| {
                            let p = o.rect.center();
                            let (along, across) = if d < 2 {
                                ((p.y - from.y).abs(), (p.x - from.x).abs())
                            } else {
                                ((p.x - from.x).abs(), (p.y - from.y).abs())
                            };
                            along + 3.0 * across
                        };
                        score(a).total_cmp(&score(b))
                    })
                    .map(|o| o.id)
            }
        }
    };
    if let Some(id) = target {
        app.selection = Selection::only_card(id);
        if let Some(c) = l.card(id) {
            // Keep the selected card in view.
            let r = app.view.screen_rect(app.canvas_rect.min, &c.rect);
            if !app.canvas_rect.contains_rect(r) {
                let d = app.canvas_rect.center() - r.center();
                app.view.offset += d;
            }
        }
    }
}
