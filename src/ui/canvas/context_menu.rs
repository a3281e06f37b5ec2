//! The canvas's context menu: what can be done to the card, stage, lane, cell or point under
//! the pointer, from the action table where an action exists (with its keys).

use egui::Ui;

use super::gestures::add_stage;
use super::text_edit::{EditTarget, start_edit};
use crate::edit::Command;
use crate::layout::Hit;
use crate::model::{Card, Channel, DEFAULT_STAGE_WIDTH, EmotionPoint, PointId};
use crate::ui::actions::Action;
use crate::ui::app::{App, Selection};

/// A menu entry for an action: its label and first shortcut, greyed out when it cannot run.
fn action_item(app: &mut App, ui: &mut Ui, a: Action) {
    let ctx = ui.ctx().clone();
    let btn = egui::Button::new(a.label()).shortcut_text(a.shortcut_text(&ctx));
    if ui.add_enabled(app.enabled(a), btn).clicked() {
        app.run(&ctx, a);
        ui.close();
    }
}

/// Every channel at once, each with its key: one click sets it on the selected cards
/// (`current`: the cards' channel; `mixed`: they differ, none is marked).
pub(crate) fn channel_buttons_ui(
    app: &mut App,
    ui: &mut Ui,
    current: Option<Channel>,
    mixed: bool,
) {
    let ctx = ui.ctx().clone();
    egui::Grid::new("channels")
        .num_columns(2)
        .spacing([6.0, 4.0])
        .show(ui, |ui| {
            let all: Vec<Option<Channel>> = Channel::ALL
                .iter()
                .copied()
                .map(Some)
                .chain(std::iter::once(None))
                .collect();
            for (i, ch) in all.into_iter().enumerate() {
                let a = Action::SetChannel(ch);
                let label = ch.map_or("None", Channel::label);
                let on = !mixed && current == ch;
                let btn = egui::Button::selectable(on, label)
                    .shortcut_text(a.shortcut_text(&ctx))
                    .min_size(egui::vec2(120.0, 0.0));
                if ui
                    .add(btn)
                    .on_hover_text(format!("{} ({})", a.label(), a.shortcut_text(&ctx)))
                    .clicked()
                {
                    app.run(&ctx, a);
                }
                if i % 2 == 1 {
                    ui.end_row();
                }
            }
        });
}

/// Severity of a pain point, priority of an opportunity, one click each.
fn level_items(app: &mut App, ui: &mut Ui, card: &Card) {
    let kind = app.doc().lane(card.lane).map(|l| l.kind);
    let (label, current, names): (&str, Option<u8>, [&str; 3]) = match kind {
        Some(crate::model::LaneKind::PainPoints) => (
            "Severity",
            card.severity,
            ["1 Minor", "2 Major", "3 Severe"],
        ),
        Some(crate::model::LaneKind::Opportunities) => {
            ("Priority", card.priority, ["1 Later", "2 Next", "3 Now"])
        }
        _ => return,
    };
    ui.horizontal(|ui| {
        ui.weak(label);
        for (i, name) in names.iter().enumerate() {
            let level = i as u8 + 1;
            let on = current == Some(level);
            if ui.selectable_label(on, *name).clicked() {
                let new = if on { None } else { Some(level) };
                let mut c = card.clone();
                if label == "Severity" {
                    c.severity = new;
                } else {
                    c.priority = new;
                }
                app.queue(Command::UpdateCard(c));
                ui.close();
            }
        }
    });
}

pub(crate) fn context_menu_ui(app: &mut App, ui: &mut Ui) {
    match app.canvas.context_hit {
        Some(Hit::Card(id)) => {
            for a in [
                Action::EditCard,
                Action::Duplicate,
                Action::Copy,
                Action::Cut,
                Action::Delete,
                Action::LinkTo,
                Action::LinkToMap,
            ] {
                action_item(app, ui, a);
            }
            if let Some(card) = app.doc().card(id).cloned() {
                for l in &card.map_links {
                    if ui
                        .button(format!("Open: {}", l.describe()))
                        .on_hover_text(&l.map)
                        .clicked()
                    {
                        app.follow_map_link(id, l);
                        ui.close();
                    }
                }
                ui.separator();
                let mut mot = card.moment_of_truth;
                if ui.checkbox(&mut mot, "Moment of truth").changed() {
                    app.queue(Command::UpdateCard(Card {
                        moment_of_truth: mot,
                        ..card.clone()
                    }));
                    ui.close();
                }
                level_items(app, ui, &card);
                ui.separator();
                ui.weak("Channel");
                let selected: Vec<Option<Channel>> =
                    app.selected_cards().iter().map(|c| c.channel).collect();
                let current = selected.first().copied().flatten();
                let mixed = selected.iter().any(|c| *c != current);
                channel_buttons_ui(app, ui, current, mixed);
            }
        }
        Some(Hit::StageHeader(id) | Hit::StageEdge(id)) => {
            app.canvas.selection = Selection::only_stage(id);
            let index = app.doc().stage_index(id).unwrap_or(0);
            if ui.button("Rename").clicked() {
                start_edit(app, EditTarget::Stage(id));
                ui.close();
            }
            if ui.button("Insert stage before").clicked() {
                add_stage(app, index, DEFAULT_STAGE_WIDTH);
                ui.close();
            }
            action_item(app, ui, Action::InsertStage);
            ui.separator();
            if ui.button("Delete stage and its cards").clicked() {
                app.delete_stage(id);
                ui.close();
            }
        }
        Some(Hit::LaneLabel(id)) => crate::ui::inspector::lane_actions_ui(app, ui, id),
        Some(Hit::Cell { stage, lane, index }) => {
            if ui.button("New card here").clicked() {
                app.canvas.open_new_card(stage, lane, index, String::new());
                ui.close();
            }
            cell_paste(app, ui);
        }
        Some(Hit::AddSlot { stage, lane }) => {
            if ui.button("New card here").clicked() {
                app.canvas
                    .open_new_card(stage, lane, usize::MAX, String::new());
                ui.close();
            }
            cell_paste(app, ui);
        }
        Some(Hit::Emotion {
            stage,
            offset,
            value,
        }) => {
            if ui.button("Add emotion point here").clicked() {
                let cmd = app.add_point_cmd(EmotionPoint {
                    id: PointId(0),
                    stage,
                    offset,
                    value: (value * 4.0).round() / 4.0,
                    card: None,
                });
                app.queue_then(cmd, select_new_point);
                ui.close();
            }
        }
        Some(Hit::Point(id)) => {
            app.canvas.selection = Selection {
                point: Some(id),
                ..Selection::default()
            };
            action_item(app, ui, Action::Delete);
        }
        _ => {
            if ui.button("Add stage at end").clicked() {
                let index = app.doc().stages.len();
                add_stage(app, index, DEFAULT_STAGE_WIDTH);
                ui.close();
            }
            action_item(app, ui, Action::ZoomFit);
        }
    }
}

fn cell_paste(app: &mut App, ui: &mut Ui) {
    let can_paste = app.clipboard.is_some();
    let ctx = ui.ctx().clone();
    if ui
        .add_enabled(
            can_paste,
            egui::Button::new(Action::Paste.label())
                .shortcut_text(Action::Paste.shortcut_text(&ctx)),
        )
        .clicked()
    {
        app.run(&ctx, Action::Paste);
        ui.close();
    }
}

/// Selects the point a command just added (its id is the last one minted).
pub(crate) fn select_new_point(app: &mut App, ids: &[u64]) {
    if let Some(id) = ids.last() {
        app.canvas.selection = Selection {
            point: Some(PointId(*id)),
            ..Selection::default()
        };
    }
}
