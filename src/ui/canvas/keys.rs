//! The canvas's own keys, once the action table has had its shortcuts: typing starts a card
//! in the selected cell (or after the selected card) or renames the selected stage or lane —
//! typed text is never dropped; in a stage's emotion cell a number or Up/Down sets that
//! stage's point; arrows and Tab move the selection between cards and cells.

use egui::{Key, Modifiers};

use super::text_edit::next_cell;
use super::{Canvas, Reveal};
use crate::edit::Command;
use crate::layout::{CardBox, Layout};
use crate::model::{CardId, CurveId, Document, EmotionPoint, LaneId, PointId, StageId};
use crate::ui::app::{App, Selection};
use crate::ui::asks::{Ask, Asks};
use crate::ui::inspector::active_point_in;

/// Handles the canvas's keys; `fired`: a shortcut ran this frame (its key's text is not
/// typing).
pub(crate) fn canvas_keys(app: &mut App, ctx: &egui::Context, fired: bool) {
    let before = nav_presses(ctx);
    canvas_keys_inner(app, ctx, fired);
    if nav_presses(ctx) < before {
        // The canvas took Tab or an arrow: egui must not also move keyboard focus to the
        // menu bar with it (it decided that at the start of the frame).
        ctx.memory_mut(|m| m.move_focus(egui::FocusDirection::None));
    }
}

/// How many Tab and arrow presses are in this frame's input.
fn nav_presses(ctx: &egui::Context) -> usize {
    ctx.input(|i| {
        i.events
            .iter()
            .filter(|e| {
                matches!(
                    e,
                    egui::Event::Key {
                        key: Key::Tab
                            | Key::ArrowUp
                            | Key::ArrowDown
                            | Key::ArrowLeft
                            | Key::ArrowRight,
                        pressed: true,
                        ..
                    }
                )
            })
            .count()
    })
}

fn canvas_keys_inner(app: &mut App, ctx: &egui::Context, fired: bool) {
    let mods = ctx.input(|i| i.modifiers);
    let emotion_cell = emotion_cell(app.doc(), &app.canvas.selection);
    if let Some((stage, lane)) = emotion_cell {
        let mut asks = Asks::default();
        let curve = app.active_curve();
        emotion_keys(
            ctx,
            app.session.editor.doc(),
            &mut app.canvas,
            curve,
            (stage, lane),
            &mut asks,
        );
        app.answer(ctx, asks);
        return;
    }
    if !fired && !mods.command && !mods.ctrl && !mods.alt {
        let typed: String = ctx.input_mut(|i| {
            let mut s = String::new();
            i.events.retain(|e| match e {
                egui::Event::Text(t) => {
                    s.push_str(t);
                    false
                }
                _ => true,
            });
            s
        });
        // An editor just opened by the pointer (a double-click, whose last release takes
        // egui's keyboard focus for a frame) does not have the keyboard yet: what is typed
        // goes into it, not into a new card.
        if !typed.is_empty()
            && let Some(e) = app.canvas.editing.as_mut()
            && e.frames < super::text_edit::EDITOR_SETTLES
        {
            e.buf.push_str(&typed);
            e.select_all = false;
            // The field takes focus again with its cursor after what was just typed.
            e.focused_once = false;
            return;
        }
        // Space alone pans (Space+drag); it starts nothing.
        if !typed.trim().is_empty() {
            app.edit_selected(Some(typed));
            if app.canvas.editing.is_some() {
                return;
            }
        }
    }
    navigation(ctx, &mut app.canvas, app.scene.layout());
}

/// The selected emotion cell: the stage and the emotion lane.
fn emotion_cell(doc: &Document, sel: &Selection) -> Option<(StageId, LaneId)> {
    let (s, l) = sel.cell?;
    let lane = doc.lane(l)?;
    (!lane.kind.holds_cards()).then_some((s, l))
}

/// A number, "−" and a number, or Up/Down set the stage's point (created if it has none);
/// Tab and Shift+Tab (or Left/Right) move to the next or previous stage's emotion cell.
/// `curve`: the one new points go to.
fn emotion_keys(
    ctx: &egui::Context,
    doc: &Document,
    canvas: &mut Canvas,
    curve: Option<CurveId>,
    (stage, lane): (StageId, LaneId),
    asks: &mut Asks,
) {
    let scale = &doc.emotion.scale;
    let typed: Vec<char> = ctx.input_mut(|i| {
        let mut cs = Vec::new();
        i.events.retain(|e| match e {
            egui::Event::Text(t) => {
                cs.extend(t.chars());
                false
            }
            _ => true,
        });
        cs
    });
    let current = active_point_in(doc, curve, stage).map(|p| p.value);
    let mut value = None;
    for c in typed {
        match c {
            '-' | '\u{2212}' => canvas.minus = true,
            '+' => canvas.minus = false,
            d if d.is_ascii_digit() => {
                let n = d.to_digit(10).map_or(0, |n| n as i32);
                let v = if canvas.minus { -n } else { n };
                canvas.minus = false;
                if (scale.min..=scale.max).contains(&v) {
                    value = Some(v as f32);
                } else {
                    asks.ask(Ask::Say(format!(
                        "{v} is outside the scale ({} to {}).",
                        scale.min, scale.max
                    )));
                }
            }
            _ => {}
        }
    }
    let step = |i: &mut egui::InputState, k: Key| {
        i.consume_key(Modifiers::SHIFT, k) || i.consume_key(Modifiers::NONE, k)
    };
    let (up, down) = ctx.input_mut(|i| (step(i, Key::ArrowUp), step(i, Key::ArrowDown)));
    let middle = ((scale.min + scale.max) as f32 / 2.0).round();
    if up || down {
        let base = current.unwrap_or(middle);
        let d = if up { 1.0 } else { -1.0 };
        value = Some((base.round() + d).clamp(scale.min as f32, scale.max as f32));
    }
    if let Some(v) = value {
        set_stage_value(doc, curve, stage, v, asks);
    }
    let (next, back) = ctx.input_mut(|i| {
        let back = i.consume_key(Modifiers::SHIFT, Key::Tab)
            || i.consume_key(Modifiers::NONE, Key::ArrowLeft);
        let next = !back
            && (i.consume_key(Modifiers::NONE, Key::Tab)
                || i.consume_key(Modifiers::NONE, Key::ArrowRight));
        (next, back)
    });
    if next || back {
        let stages = &doc.stages;
        let i = stages.iter().position(|s| s.id == stage).unwrap_or(0);
        let j = if back { i.checked_sub(1) } else { Some(i + 1) };
        if let Some(s) = j.and_then(|j| stages.get(j)).map(|s| s.id) {
            canvas.selection = Selection::only_cell(s, lane);
            canvas.minus = false;
            canvas.reveal = Some(Reveal::Cell(s, lane));
        }
    }
}

/// Sets a stage's point on the active curve to `value` (its first point there, or a new one
/// in the stage's middle).
fn set_stage_value(
    doc: &Document,
    curve: Option<CurveId>,
    stage: StageId,
    value: f32,
    asks: &mut Asks,
) {
    if let Some(p) = active_point_in(doc, curve, stage) {
        asks.edit(Command::MovePoint {
            id: p.id,
            stage,
            offset: p.offset,
            value,
        });
    } else {
        asks.edit(super::add_point_cmd(
            doc,
            curve,
            EmotionPoint {
                id: PointId(0),
                stage,
                offset: 0.5,
                value,
                card: None,
            },
        ));
    }
    let label = doc
        .emotion
        .scale
        .label(value.round() as i32)
        .unwrap_or("")
        .to_string();
    let name = doc.stage(stage).map_or("", |s| s.name.as_str()).to_string();
    asks.ask(Ask::Say(
        format!("{name}: {value:+} {label}").replace('-', "\u{2212}"),
    ));
}

/// Arrow keys and Tab move the selection: between cards (nearest in that direction, Tab in
/// reading order), or from a selected cell to the next cell.
fn navigation(ctx: &egui::Context, canvas: &mut Canvas, l: &Layout) {
    let nav_keys = [
        Key::Tab,
        Key::ArrowUp,
        Key::ArrowDown,
        Key::ArrowLeft,
        Key::ArrowRight,
    ];
    if !ctx.input(|i| nav_keys.iter().any(|k| i.key_pressed(*k))) {
        return;
    }
    let pressed = |k: Key, m: Modifiers| ctx.input_mut(|i| i.consume_key(m, k));
    if let Some((stage, lane)) = canvas.selection.cell
        && canvas.selection.cards.is_empty()
    {
        let target = if pressed(Key::Tab, Modifiers::SHIFT) {
            next_cell(l, stage, lane, true)
        } else if pressed(Key::Tab, Modifiers::NONE) {
            next_cell(l, stage, lane, false)
        } else {
            arrow(&pressed).and_then(|d| adjacent_cell(l, stage, lane, d))
        };
        if let Some((s, ln)) = target {
            canvas.selection = Selection::only_cell(s, ln);
            canvas.reveal = Some(Reveal::Cell(s, ln));
        }
        return;
    }
    if l.cards.is_empty() {
        return;
    }
    // Reading order: stage by stage, lane by lane, top to bottom.
    let stage_idx = |s: StageId| l.stages.iter().position(|b| b.id == s).unwrap_or(0);
    let lane_idx = |x: LaneId| l.lanes.iter().position(|b| b.id == x).unwrap_or(0);
    let mut order: Vec<&CardBox> = l.cards.iter().collect();
    order.sort_by_key(|c| (stage_idx(c.stage), lane_idx(c.lane), c.index));
    let current = canvas
        .selection
        .cards
        .iter()
        .next()
        .and_then(|id| order.iter().position(|c| c.id == *id));
    let target: Option<CardId> = if pressed(Key::Tab, Modifiers::SHIFT) {
        Some(order[current.map_or(order.len() - 1, |i| (i + order.len() - 1) % order.len())].id)
    } else if pressed(Key::Tab, Modifiers::NONE) {
        Some(order[current.map_or(0, |i| (i + 1) % order.len())].id)
    } else {
        match (arrow(&pressed), current) {
            (None, _) => None,
            (Some(_), None) => Some(order[0].id),
            (Some(d), Some(i)) => nearest(l, order[i], d),
        }
    };
    if let Some(id) = target {
        canvas.selection = Selection::only_card(id);
        canvas.reveal = Some(Reveal::Card(id));
    }
}

/// The arrow key pressed, as a direction: 0 up, 1 down, 2 left, 3 right.
fn arrow(pressed: &impl Fn(Key, Modifiers) -> bool) -> Option<usize> {
    [
        Key::ArrowUp,
        Key::ArrowDown,
        Key::ArrowLeft,
        Key::ArrowRight,
    ]
    .into_iter()
    .position(|k| pressed(k, Modifiers::NONE))
}

/// The nearest card in direction `d` (up, down, left, right), preferring the same column or
/// row.
fn nearest(l: &Layout, c: &CardBox, d: usize) -> Option<CardId> {
    let from = c.rect.center();
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
            let score = |o: &CardBox| {
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

/// The cell next to `(stage, lane)` in direction `d` (up, down, left, right).
fn adjacent_cell(l: &Layout, stage: StageId, lane: LaneId, d: usize) -> Option<(StageId, LaneId)> {
    let si = l.stages.iter().position(|s| s.id == stage)?;
    let li = l.lanes.iter().position(|x| x.id == lane)?;
    let (si, li) = match d {
        0 => (si, li.checked_sub(1)?),
        1 => (si, li + 1),
        2 => (si.checked_sub(1)?, li),
        _ => (si + 1, li),
    };
    Some((l.stages.get(si)?.id, l.lanes.get(li)?.id))
}
