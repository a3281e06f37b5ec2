//! The canvas's context menu: what can be done to the card, stage, lane, cell or point under
//! the pointer, from the action table where an action exists (with its keys).

use egui::Ui;

use super::text_edit::EditTarget;
use crate::edit::Command;
use crate::layout::Hit;
use crate::model::{Card, Channel, Document, EmotionPoint, PointId};
use crate::ui::actions::Action;
use crate::ui::app::Selection;
use crate::ui::asks::{Ask, Asks};
use crate::ui::inspector::{Shown, channels_of};

/// A menu entry for an action: its label and first shortcut, greyed out when it cannot run.
fn action_item(ui: &mut Ui, shown: &Shown, a: Action, asks: &mut Asks) {
    let ctx = ui.ctx().clone();
    let btn = egui::Button::new(a.label()).shortcut_text(a.shortcut_text(&ctx));
    if ui.add_enabled((shown.can)(a), btn).clicked() {
        asks.run(a);
        ui.close();
    }
}

/// Every channel at once, each with its key: one click sets it on the selected cards
/// (`current`: the cards' channel; `mixed`: they differ, none is marked).
pub(crate) fn channel_buttons_ui(
    ui: &mut Ui,
    current: Option<Channel>,
    mixed: bool,
    asks: &mut Asks,
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
                    asks.run(a);
                }
                if i % 2 == 1 {
                    ui.end_row();
                }
            }
        });
}

/// Severity of a pain point, priority of an opportunity, one click each.
fn level_items(ui: &mut Ui, doc: &Document, card: &Card, asks: &mut Asks) {
    let kind = doc.lane(card.lane).map(|l| l.kind);
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
                asks.edit(Command::UpdateCard(c));
                ui.close();
            }
        }
    });
}

/// The menu for what was under the pointer when it opened (`hit`).
pub(crate) fn context_menu_ui(ui: &mut Ui, shown: &Shown, hit: Option<Hit>, asks: &mut Asks) {
    let doc = shown.doc;
    match hit {
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
                action_item(ui, shown, a, asks);
            }
            if let Some(card) = doc.card(id) {
                for l in &card.map_links {
                    if ui
                        .button(format!("Open: {}", l.describe()))
                        .on_hover_text(&l.map)
                        .clicked()
                    {
                        asks.ask(Ask::FollowMapLink(id, l.clone()));
                        ui.close();
                    }
                }
                ui.separator();
                let mut mot = card.moment_of_truth;
                if ui.checkbox(&mut mot, "Moment of truth").changed() {
                    asks.edit(Command::UpdateCard(Card {
                        moment_of_truth: mot,
                        ..card.clone()
                    }));
                    ui.close();
                }
                level_items(ui, doc, card, asks);
                ui.separator();
                ui.weak("Channel");
                let (current, mixed) = channels_of(doc, shown.selection);
                channel_buttons_ui(ui, current, mixed, asks);
            }
        }
        Some(Hit::StageHeader(id) | Hit::StageEdge(id)) => {
            if *shown.selection != Selection::only_stage(id) {
                asks.select(Selection::only_stage(id));
            }
            let index = doc.stage_index(id).unwrap_or(0);
            if ui.button("Rename").clicked() {
                asks.ask(Ask::StartEdit(EditTarget::Stage(id)));
                ui.close();
            }
            if ui.button("Insert stage before").clicked() {
                asks.ask(Ask::AddStage(index));
                ui.close();
            }
            action_item(ui, shown, Action::InsertStage, asks);
            ui.separator();
            if ui.button("Delete stage and its cards").clicked() {
                asks.ask(Ask::DeleteStage(id));
                ui.close();
            }
        }
        Some(Hit::LaneLabel(id)) => crate::ui::inspector::lane_actions_ui(ui, doc, id, asks),
        Some(Hit::Cell { stage, lane, index }) => {
            if ui.button("New card here").clicked() {
                asks.ask(Ask::NewCard { stage, lane, index });
                ui.close();
            }
            cell_paste(ui, shown, asks);
        }
        Some(Hit::AddSlot { stage, lane }) => {
            if ui.button("New card here").clicked() {
                asks.ask(Ask::NewCard {
                    stage,
                    lane,
                    index: usize::MAX,
                });
                ui.close();
            }
            cell_paste(ui, shown, asks);
        }
        Some(Hit::Emotion {
            stage,
            offset,
            value,
        }) => {
            if ui.button("Add emotion point here").clicked() {
                let cmd = super::add_point_cmd(
                    doc,
                    shown.active_curve,
                    EmotionPoint {
                        id: PointId(0),
                        stage,
                        offset,
                        value: (value * 4.0).round() / 4.0,
                        card: None,
                    },
                );
                asks.ask(Ask::EditThen(cmd, Box::new(select_new_point)));
                ui.close();
            }
        }
        Some(Hit::Point(id)) => {
            let only = Selection {
                point: Some(id),
                ..Selection::default()
            };
            if *shown.selection != only {
                asks.select(only);
            }
            action_item(ui, shown, Action::Delete, asks);
        }
        _ => {
            if ui.button("Add stage at end").clicked() {
                asks.ask(Ask::AddStage(doc.stages.len()));
                ui.close();
            }
            action_item(ui, shown, Action::ZoomFit, asks);
        }
    }
}

fn cell_paste(ui: &mut Ui, shown: &Shown, asks: &mut Asks) {
    let can_paste = (shown.can)(Action::Paste);
    let ctx = ui.ctx().clone();
    if ui
        .add_enabled(
            can_paste,
            egui::Button::new(Action::Paste.label())
                .shortcut_text(Action::Paste.shortcut_text(&ctx)),
        )
        .clicked()
    {
        asks.run(Action::Paste);
        ui.close();
    }
}

/// Selects the point a command just added (its id is the last one minted).
pub(crate) fn select_new_point(canvas: &mut super::Canvas, ids: &[u64]) {
    if let Some(id) = ids.last() {
        canvas.selection = Selection {
            point: Some(PointId(*id)),
            ..Selection::default()
        };
    }
}
