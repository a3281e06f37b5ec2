//! Pointer gestures on the canvas: pan and zoom, select (cards, cells, stages, lanes,
//! points, rectangles), drag cards, resize and reorder stages, reorder lanes, drag out new
//! stages, drag emotion points. Each gesture owns its transaction: begun on press, committed
//! on release, rolled back by Escape; moves that need no live preview are one command on
//! release.

use egui::{CursorIcon, Key, Modifiers, PointerButton, Ui};

use super::drop::{drop_target, lane_drop_index, stage_drop_index, stage_offset_at};
use super::text_edit::{EditTarget, TextEditing, commit_editing, start_edit};
use super::{Canvas, Reveal};
use crate::edit::Command;
use crate::geom::{Pos, Rect};
use crate::layout::{Hit, Layout};
use crate::model::{
    CardId, DEFAULT_STAGE_WIDTH, EmotionPoint, Lane, LaneId, LaneKind, LinkId, MIN_STAGE_WIDTH,
    PointId, Stage, StageId,
};
use crate::ui::app::{App, Selection};

/// A pointer gesture in progress (view state; the document changes on release, except for
/// the live edits of a transaction).
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Gesture {
    /// None.
    #[default]
    None,
    /// Panning with Space+drag.
    Pan,
    /// Rubber-band selection.
    RectSelect {
        /// Where it started (world).
        start: Pos,
        /// Where the pointer is.
        current: Pos,
        /// Whether it adds to the selection.
        additive: bool,
    },
    /// Dragging cards (ghost and drop marker until release).
    DragCards {
        /// The cards.
        ids: Vec<CardId>,
        /// Where the pointer went down.
        grab: Pos,
        /// Where the pointer is.
        current: Pos,
    },
    /// Resizing a stage (live, in a transaction).
    ResizeStage {
        /// The stage.
        id: StageId,
        /// Its width at the press.
        start_width: f32,
        /// Where the pointer went down.
        start_x: f32,
    },
    /// Reordering a stage by its header.
    MoveStage {
        /// The stage.
        id: StageId,
        /// Where the pointer went down.
        grab: Pos,
        /// Where the pointer is.
        current: Pos,
    },
    /// Reordering a lane by its label.
    MoveLane {
        /// The lane.
        id: LaneId,
        /// Where the pointer went down.
        grab: Pos,
        /// Where the pointer is.
        current: Pos,
    },
    /// Dragging an emotion point (live, in a transaction). It keeps its stage and offset
    /// until the pointer has moved sideways past a threshold, so a straight up-or-down drag
    /// never slides it along the curve.
    DragPoint {
        /// The point.
        id: PointId,
        /// Where the pointer went down (screen).
        press: egui::Pos2,
        /// Whether the pointer went far enough sideways to move it along the stages.
        sideways: bool,
    },
    /// Drawing a link from a card's handle, or dragging an end of a selected link to
    /// another card.
    Link {
        /// The card at the end that stays.
        anchor: CardId,
        /// Where the pointer is.
        current: Pos,
        /// The link being retargeted and whether its "to" end moves (`None`: a new link).
        retarget: Option<(LinkId, bool)>,
    },
    /// Dragging out a new stage right of the last one.
    NewStage {
        /// Where the drag started.
        start_x: f32,
        /// Where the pointer is.
        current_x: f32,
    },
}

/// Grab distance for points and edges, in screen points.
pub(super) const GRAB_PX: f32 = 8.0;
/// Smallest drag that makes a new stage, in world units.
const MIN_NEW_STAGE_DRAG: f32 = 30.0;
/// How far (screen points) an emotion point's drag must go sideways before it leaves its place.
pub(crate) const SIDEWAYS_PX: f32 = 24.0;

/// Pan with the wheel and middle button, zoom with Ctrl+wheel or pinch.
pub(crate) fn navigation(app: &mut App, ui: &Ui, response: &egui::Response) {
    let origin = app.canvas.rect.min;
    if response.dragged_by(PointerButton::Middle) {
        app.canvas.view.offset += response.drag_delta();
    }
    if response.contains_pointer() && app.dialogs.modal.is_none() {
        let (scroll, zoom, hover) =
            ui.input(|i| (i.smooth_scroll_delta, i.zoom_delta(), i.pointer.hover_pos()));
        if let Some(h) = hover {
            if (zoom - 1.0).abs() > f32::EPSILON {
                app.canvas.view.zoom_around(origin, h, zoom);
            } else if scroll != egui::Vec2::ZERO {
                app.canvas.view.offset += scroll;
            }
        }
    }
}

fn world_at(app: &App, p: egui::Pos2) -> Pos {
    app.canvas.world_at(app.scene.layout(), p)
}

/// A handle for links: on a card's right edge (drag it to another card to link them), or an
/// end of the selected link (drag it to another card to retarget it).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum LinkHandle {
    /// The handle of a card.
    Card(CardId),
    /// An end of a link (`true`: its "to" end).
    End(LinkId, bool),
}

/// Screen radius of a link handle.
pub(crate) const HANDLE_PX: f32 = 7.0;

/// Where a card's link handle is (world).
pub(crate) fn card_handle(layout: &Layout, id: CardId) -> Option<Pos> {
    let c = layout.card(id)?;
    Some(Pos::new(c.rect.max.x, c.rect.center().y))
}

/// The card near `w` (within `margin` of its rectangle), for showing its link handle.
pub(crate) fn card_near(layout: &Layout, w: Pos, margin: f32) -> Option<CardId> {
    layout
        .cards
        .iter()
        .find(|c| c.rect.expand(margin).contains(w))
        .map(|c| c.id)
}

/// The link handles shown now: the hovered card's and the selected card's, and the ends of the
/// selected link (none while presenting or in the middle of a gesture).
pub(crate) fn link_handles(
    canvas: &Canvas,
    l: &Layout,
    hover: Option<egui::Pos2>,
) -> Vec<(LinkHandle, Pos)> {
    let mut out = Vec::new();
    if canvas.presentation.is_some() || canvas.gesture != Gesture::None || canvas.editing.is_some()
    {
        return out;
    }
    let sel = &canvas.selection;
    if let Some(link) = sel.link.and_then(|id| l.link(id))
        && let (Some(a), Some(b)) = (link.route.first(), link.route.last())
    {
        out.push((LinkHandle::End(link.id, false), *a));
        out.push((LinkHandle::End(link.id, true), *b));
    }
    let margin = 12.0 / canvas.view.zoom;
    let hovered = hover.and_then(|h| card_near(l, canvas.world_at(l, h), margin));
    let selected = (sel.cards.len() == 1)
        .then(|| sel.cards.first().copied())
        .flatten();
    for id in [selected, hovered].into_iter().flatten() {
        if let Some(p) = card_handle(l, id)
            && !out.iter().any(|(h, _)| *h == LinkHandle::Card(id))
        {
            out.push((LinkHandle::Card(id), p));
        }
    }
    out
}

/// The link handle under a screen point.
fn handle_at(app: &App, p: egui::Pos2) -> Option<LinkHandle> {
    let o = app.canvas.rect.min;
    link_handles(&app.canvas, app.scene.layout(), Some(p))
        .into_iter()
        .find(|(_, w)| app.canvas.view.screen_from_world(o, *w).distance(p) <= HANDLE_PX + 2.0)
        .map(|(h, _)| h)
}

pub(crate) fn pointer(app: &mut App, ui: &Ui, response: &egui::Response) {
    let tol = GRAB_PX / app.canvas.view.zoom;
    let latest = ui.input(|i| i.pointer.latest_pos());
    let mods = ui.input(|i| i.modifiers);

    if let Some(p) = response.hover_pos()
        && app.canvas.gesture == Gesture::None
    {
        if handle_at(app, p).is_some() || app.canvas.linking.is_some() {
            ui.ctx().set_cursor_icon(CursorIcon::Crosshair);
        } else {
            match app.scene.layout().hit(world_at(app, p), tol) {
                Hit::StageEdge(_) => ui.ctx().set_cursor_icon(CursorIcon::ResizeHorizontal),
                Hit::Point(_) => ui.ctx().set_cursor_icon(CursorIcon::ResizeVertical),
                Hit::Card(_) | Hit::StageHeader(_) | Hit::LaneLabel(_) => {
                    ui.ctx().set_cursor_icon(CursorIcon::Grab);
                }
                Hit::NewStageBand | Hit::AddSlot { .. } | Hit::Link(_) => {
                    ui.ctx().set_cursor_icon(CursorIcon::PointingHand);
                }
                _ => {}
            }
        }
    }

    if response.drag_started_by(PointerButton::Primary) {
        let press = ui
            .input(|i| i.pointer.press_origin())
            .or(latest)
            .unwrap_or_default();
        start_gesture(app, press, ui.input(|i| i.key_down(Key::Space)), mods);
    }
    if response.dragged_by(PointerButton::Primary)
        && let Some(p) = latest
    {
        if app.canvas.gesture == Gesture::Pan {
            app.canvas.view.offset += response.drag_delta();
        }
        update_gesture(app, p);
    }
    if response.drag_stopped_by(PointerButton::Primary) {
        let cur = latest.map_or(Pos::default(), |p| world_at(app, p));
        end_gesture(app, cur);
    }
    if response.clicked()
        && let Some(p) = response.interact_pointer_pos()
    {
        click(app, world_at(app, p), tol, mods);
    }
    if response.double_clicked()
        && let Some(p) = response.interact_pointer_pos()
    {
        double_click(app, world_at(app, p), tol);
    }
    if response.secondary_clicked()
        && let Some(p) = response.interact_pointer_pos()
    {
        commit_editing(app);
        let hit = app.scene.layout().hit(world_at(app, p), tol);
        if let Hit::Cell { stage, lane, .. } | Hit::AddSlot { stage, lane } = hit {
            app.canvas.selection = Selection::only_cell(stage, lane);
        }
        app.canvas.context_hit = Some(hit);
    }
}

fn start_gesture(app: &mut App, press: egui::Pos2, space: bool, mods: Modifiers) {
    commit_editing(app);
    if space {
        app.canvas.gesture = Gesture::Pan;
        return;
    }
    let w = world_at(app, press);
    if let Some(h) = handle_at(app, press) {
        let link = |id| app.doc().links.iter().find(|l| l.id == id).cloned();
        app.canvas.gesture = match h {
            LinkHandle::Card(id) => Gesture::Link {
                anchor: id,
                current: w,
                retarget: None,
            },
            LinkHandle::End(id, to_end) => match link(id) {
                Some(l) => Gesture::Link {
                    anchor: if to_end { l.from } else { l.to },
                    current: w,
                    retarget: Some((id, to_end)),
                },
                None => Gesture::None,
            },
        };
        return;
    }
    let tol = GRAB_PX / app.canvas.view.zoom;
    let hit = app.scene.layout().hit(w, tol);
    app.canvas.gesture = match hit {
        Hit::Point(id) => {
            make_active(app, id);
            app.session.editor.begin();
            app.canvas.selection = Selection {
                point: Some(id),
                ..Selection::default()
            };
            Gesture::DragPoint {
                id,
                press,
                sideways: false,
            }
        }
        Hit::StageEdge(id) => {
            let start_width = app.doc().stage(id).map_or(DEFAULT_STAGE_WIDTH, |s| s.width);
            app.session.editor.begin();
            Gesture::ResizeStage {
                id,
                start_width,
                start_x: w.x,
            }
        }
        Hit::Card(id) => {
            if !app.canvas.selection.cards.contains(&id) {
                app.canvas.selection = Selection::only_card(id);
            }
            let ids = app.selected_cards().iter().map(|c| c.id).collect();
            Gesture::DragCards {
                ids,
                grab: w,
                current: w,
            }
        }
        Hit::StageHeader(id) => {
            app.canvas.selection = Selection::only_stage(id);
            Gesture::MoveStage {
                id,
                grab: w,
                current: w,
            }
        }
        Hit::LaneLabel(id) => {
            app.canvas.selection = Selection {
                lane: Some(id),
                ..Selection::default()
            };
            Gesture::MoveLane {
                id,
                grab: w,
                current: w,
            }
        }
        Hit::NewStageBand => Gesture::NewStage {
            start_x: w.x.max(app.scene.layout().new_stage_band.min.x),
            current_x: w.x,
        },
        _ => Gesture::RectSelect {
            start: w,
            current: w,
            additive: mods.shift || mods.command,
        },
    };
}

fn update_gesture(app: &mut App, p: egui::Pos2) {
    let cur = world_at(app, p);
    match app.canvas.gesture.clone() {
        Gesture::DragPoint {
            id,
            press,
            sideways,
        } => {
            let Some(emo) = app.scene.layout().emotion.as_ref() else {
                return;
            };
            let value = emo.value_at(cur.y);
            let sideways = sideways || (p.x - press.x).abs() > SIDEWAYS_PX;
            let (stage, offset) = if sideways {
                stage_offset_at(app.scene.layout(), cur.x)
            } else {
                let here = app.doc().point(id).map(|pt| (pt.stage, pt.offset));
                (here.map(|h| h.0), here.map_or(0.0, |h| h.1))
            };
            if let Some(stage) = stage {
                app.apply_now(&Command::MovePoint {
                    id,
                    stage,
                    offset,
                    value,
                });
            }
            app.canvas.gesture = Gesture::DragPoint {
                id,
                press,
                sideways,
            };
        }
        Gesture::ResizeStage {
            id,
            start_width,
            start_x,
        } => {
            app.apply_now(&Command::ResizeStage {
                id,
                width: start_width + cur.x - start_x,
            });
        }
        Gesture::DragCards { ids, grab, .. } => {
            app.canvas.gesture = Gesture::DragCards {
                ids,
                grab,
                current: cur,
            }
        }
        Gesture::MoveStage { id, grab, .. } => {
            app.canvas.gesture = Gesture::MoveStage {
                id,
                grab,
                current: cur,
            }
        }
        Gesture::MoveLane { id, grab, .. } => {
            app.canvas.gesture = Gesture::MoveLane {
                id,
                grab,
                current: cur,
            }
        }
        Gesture::NewStage { start_x, .. } => {
            app.canvas.gesture = Gesture::NewStage {
                start_x,
                current_x: cur.x,
            }
        }
        Gesture::Link {
            anchor, retarget, ..
        } => {
            app.canvas.gesture = Gesture::Link {
                anchor,
                current: cur,
                retarget,
            }
        }
        Gesture::RectSelect {
            start, additive, ..
        } => {
            app.canvas.gesture = Gesture::RectSelect {
                start,
                current: cur,
                additive,
            }
        }
        Gesture::Pan | Gesture::None => {}
    }
}

/// A point's curve becomes the one being edited.
fn make_active(app: &mut App, point: PointId) {
    let curve = app
        .doc()
        .emotion
        .points()
        .find(|(_, p)| p.id == point)
        .map(|(c, _)| c.id);
    if curve.is_some() {
        app.canvas.active_curve = curve;
    }
}

/// The card a link being drawn would go to: the card under the pointer, not the anchor.
pub(crate) fn link_target(layout: &Layout, anchor: CardId, at: Pos) -> Option<CardId> {
    card_near(layout, at, 4.0).filter(|id| *id != anchor)
}

fn end_gesture(app: &mut App, cur: Pos) {
    let g = std::mem::take(&mut app.canvas.gesture);
    match g {
        Gesture::Link {
            anchor, retarget, ..
        } => {
            let Some(target) = link_target(app.scene.layout(), anchor, cur) else {
                return;
            };
            match retarget {
                None => {
                    app.add_link(anchor, target);
                }
                Some((id, to_end)) => {
                    if let Some(mut l) = app.doc().links.iter().find(|l| l.id == id).cloned() {
                        if to_end {
                            l.to = target;
                        } else {
                            l.from = target;
                        }
                        app.queue(Command::UpdateLink(l));
                        app.canvas.selection = Selection {
                            link: Some(id),
                            ..Selection::default()
                        };
                    }
                }
            }
        }
        Gesture::DragPoint { .. } | Gesture::ResizeStage { .. } => app.session.editor.commit(),
        Gesture::DragCards { ids, grab, .. } => {
            if (cur.x - grab.x).hypot(cur.y - grab.y) > 2.0
                && let Some((stage, lane, index)) = drop_target(app.scene.layout(), &ids, cur)
            {
                app.queue(Command::MoveCards {
                    ids,
                    stage,
                    lane,
                    index,
                });
            }
        }
        Gesture::MoveStage { id, .. } => {
            let to_index = stage_drop_index(app.scene.layout(), id, cur.x);
            app.queue(Command::MoveStage { id, to_index });
        }
        Gesture::MoveLane { id, grab, .. } => {
            if (cur.y - grab.y).abs() > 2.0 {
                let to_index = lane_drop_index(app.doc(), app.scene.layout(), id, cur.y);
                app.queue(Command::MoveLane { id, to_index });
            }
        }
        Gesture::NewStage { start_x, current_x } => {
            let width = (current_x - start_x).abs();
            if width >= MIN_NEW_STAGE_DRAG {
                let index = app.doc().stages.len();
                add_stage(app, index, width.max(MIN_STAGE_WIDTH));
            }
        }
        Gesture::RectSelect {
            start,
            current,
            additive,
        } => {
            let r = Rect::from_corners(start, current);
            let mut sel = if additive {
                app.canvas.selection.clone()
            } else {
                Selection::default()
            };
            sel.cell = None;
            let l = app.scene.layout();
            sel.cards.extend(
                l.cards
                    .iter()
                    .filter(|c| c.rect.intersects(&r))
                    .map(|c| c.id),
            );
            if let Some(p) = l
                .emotion
                .as_ref()
                .and_then(|e| e.points().find(|p| r.contains(p.pos)))
            {
                sel.point = Some(p.id);
            }
            app.canvas.selection = sel;
        }
        Gesture::Pan | Gesture::None => {}
    }
}

/// Adds a stage at `index`, selects it, brings it into sight and opens its name for typing.
pub(crate) fn add_stage(app: &mut App, index: usize, width: f32) {
    commit_editing(app);
    app.queue_then(
        Command::AddStage {
            index,
            stage: Stage {
                pos: String::new(),
                id: StageId(0),
                name: "New stage".into(),
                width,
            },
        },
        |app, ids| {
            if let Some(id) = ids.first().map(|id| StageId(*id)) {
                app.canvas.selection = Selection::only_stage(id);
                app.canvas.editing =
                    Some(TextEditing::new(EditTarget::Stage(id), "New stage".into()));
                app.canvas.reveal = Some(Reveal::Stage(id));
            }
        },
    );
}

/// Adds a lane of a kind at an index.
pub(crate) fn add_lane(app: &mut App, index: usize, kind: LaneKind) {
    app.queue_then(
        Command::AddLane {
            index,
            lane: Lane {
                pos: String::new(),
                id: LaneId(0),
                name: kind.label().into(),
                kind,
                hidden: false,
            },
        },
        |app, ids| {
            if let Some(id) = ids.first() {
                app.canvas.selection = Selection {
                    lane: Some(LaneId(*id)),
                    ..Selection::default()
                };
            }
        },
    );
}

fn click(app: &mut App, w: Pos, tol: f32, mods: Modifiers) {
    commit_editing(app);
    app.canvas.minus = false;
    let hit = app.scene.layout().hit(w, tol);
    if let Some(from) = app.canvas.linking.take() {
        match hit {
            Hit::Card(to) if to != from => {
                app.add_link(from, to);
            }
            _ => app.dialogs.status = Some("Link cancelled".into()),
        }
        return;
    }
    if let Hit::Point(id) = hit {
        make_active(app, id);
    }
    // The mark of links to other maps opens the other map.
    if let Hit::Card(id) = hit
        && !(mods.shift || mods.command)
        && let Some(mark) = app
            .scene
            .layout()
            .card(id)
            .and_then(crate::layout::CardBox::map_link_mark)
        && mark.expand(2.0).contains(w)
    {
        app.canvas.selection = Selection::only_card(id);
        let at = app.canvas.view.screen_from_world(app.canvas.rect.min, w);
        app.map_link_mark_clicked(id, at);
        return;
    }
    let sel = &mut app.canvas.selection;
    match hit {
        Hit::Card(id) => {
            if mods.shift || mods.command {
                sel.point = None;
                sel.stage = None;
                sel.lane = None;
                sel.cell = None;
                sel.link = None;
                if !sel.cards.remove(&id) {
                    sel.cards.insert(id);
                }
            } else {
                *sel = Selection::only_card(id);
            }
        }
        Hit::Point(id) => {
            *sel = Selection {
                point: Some(id),
                ..Selection::default()
            }
        }
        Hit::Link(id) => {
            *sel = Selection {
                link: Some(id),
                ..Selection::default()
            }
        }
        Hit::StageHeader(id) | Hit::StageEdge(id) => *sel = Selection::only_stage(id),
        Hit::LaneLabel(id) => {
            *sel = Selection {
                lane: Some(id),
                ..Selection::default()
            }
        }
        Hit::Cell { stage, lane, .. } => *sel = Selection::only_cell(stage, lane),
        Hit::AddSlot { stage, lane } => {
            app.canvas
                .open_new_card(stage, lane, usize::MAX, String::new());
        }
        Hit::Emotion { stage, .. } => {
            let lane = app.scene.layout().emotion.as_ref().map(|e| e.lane);
            *sel = lane.map_or_else(Selection::default, |l| Selection::only_cell(stage, l));
        }
        Hit::NewStageBand | Hit::Nothing => *sel = Selection::default(),
    }
}

fn double_click(app: &mut App, w: Pos, tol: f32) {
    match app.scene.layout().hit(w, tol) {
        Hit::Cell { stage, lane, index } => {
            app.canvas.open_new_card(stage, lane, index, String::new());
        }
        Hit::Card(id) => start_edit(app, EditTarget::Card(id)),
        Hit::StageHeader(id) => start_edit(app, EditTarget::Stage(id)),
        Hit::LaneLabel(id) => start_edit(app, EditTarget::Lane(id)),
        Hit::Emotion {
            stage,
            offset,
            value,
        } => {
            let value = (value * 4.0).round() / 4.0;
            let cmd = app.add_point_cmd(EmotionPoint {
                id: PointId(0),
                stage,
                offset,
                value,
                card: None,
            });
            app.queue_then(cmd, super::context_menu::select_new_point);
        }
        Hit::NewStageBand => {
            let index = app.doc().stages.len();
            add_stage(app, index, DEFAULT_STAGE_WIDTH);
        }
        _ => {}
    }
}
