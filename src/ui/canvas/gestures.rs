//! Pointer gestures on the canvas: pan and zoom, select (cards, cells, stages, lanes,
//! points, rectangles), drag cards, resize and reorder stages, reorder lanes, drag out new
//! stages, drag emotion points. Each gesture owns its transaction: begun on press, committed
//! on release, rolled back by Escape; moves that need no live preview are one command on
//! release.

use egui::{CursorIcon, Key, Modifiers, PointerButton, Ui};

use super::drop::{drop_target, lane_drop_index, stage_drop_index, stage_offset_at};
use super::text_edit::{EditTarget, TextEditing, commit_editing, start_edit};
use super::{Canvas, Parts, Reveal};
use crate::edit::Command;
use crate::geom::{Pos, Rect};
use crate::layout::{Hit, Layout};
use crate::model::{
    CardId, DEFAULT_STAGE_WIDTH, EmotionPoint, Lane, LaneId, LaneKind, LinkId, MIN_STAGE_WIDTH,
    PointId, Stage, StageId,
};
use crate::ui::app::Selection;
use crate::ui::asks::Ask;
use crate::ui::session::Session;

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
/// `modal`: a dialog is open over the canvas (the wheel is its own).
pub(crate) fn navigation(canvas: &mut Canvas, ui: &Ui, response: &egui::Response, modal: bool) {
    let origin = canvas.rect.min;
    if response.dragged_by(PointerButton::Middle) {
        canvas.view.offset += response.drag_delta();
    }
    if response.contains_pointer() && !modal {
        let (scroll, zoom, hover) =
            ui.input(|i| (i.smooth_scroll_delta, i.zoom_delta(), i.pointer.hover_pos()));
        if let Some(h) = hover {
            if (zoom - 1.0).abs() > f32::EPSILON {
                canvas.view.zoom_around(origin, h, zoom);
            } else if scroll != egui::Vec2::ZERO {
                canvas.view.offset += scroll;
            }
        }
    }
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
fn handle_at(canvas: &Canvas, layout: &Layout, p: egui::Pos2) -> Option<LinkHandle> {
    let o = canvas.rect.min;
    link_handles(canvas, layout, Some(p))
        .into_iter()
        .find(|(_, w)| canvas.view.screen_from_world(o, *w).distance(p) <= HANDLE_PX + 2.0)
        .map(|(h, _)| h)
}

/// Presses, drags, clicks and double-clicks on the map.
pub(crate) fn pointer(m: &mut Parts, ui: &Ui, response: &egui::Response) {
    let tol = GRAB_PX / m.canvas.view.zoom;
    let latest = ui.input(|i| i.pointer.latest_pos());
    let mods = ui.input(|i| i.modifiers);

    if let Some(p) = response.hover_pos()
        && m.canvas.gesture == Gesture::None
    {
        if handle_at(m.canvas, m.layout, p).is_some() || m.canvas.linking.is_some() {
            ui.ctx().set_cursor_icon(CursorIcon::Crosshair);
        } else {
            match m.layout.hit(m.world_at(p), tol) {
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
        start_gesture(m, press, ui.input(|i| i.key_down(Key::Space)), mods);
    }
    if response.dragged_by(PointerButton::Primary)
        && let Some(p) = latest
    {
        if m.canvas.gesture == Gesture::Pan {
            m.canvas.view.offset += response.drag_delta();
        }
        update_gesture(m, p);
    }
    if response.drag_stopped_by(PointerButton::Primary) {
        let cur = latest.map_or(Pos::default(), |p| m.world_at(p));
        end_gesture(m, cur);
    }
    if response.clicked()
        && let Some(p) = response.interact_pointer_pos()
    {
        click(m, m.world_at(p), tol, mods);
    }
    if response.double_clicked()
        && let Some(p) = response.interact_pointer_pos()
    {
        double_click(m, m.world_at(p), tol);
    }
    if response.secondary_clicked()
        && let Some(p) = response.interact_pointer_pos()
    {
        commit_editing(m.canvas, m.session);
        let hit = m.layout.hit(m.world_at(p), tol);
        if let Hit::Cell { stage, lane, .. } | Hit::AddSlot { stage, lane } = hit {
            m.canvas.selection = Selection::only_cell(stage, lane);
        }
        m.canvas.context_hit = Some(hit);
    }
}

fn start_gesture(m: &mut Parts, press: egui::Pos2, space: bool, mods: Modifiers) {
    commit_editing(m.canvas, m.session);
    if space {
        m.canvas.gesture = Gesture::Pan;
        return;
    }
    let w = m.world_at(press);
    if let Some(h) = handle_at(m.canvas, m.layout, press) {
        let link = |id| m.session.editor.doc().link(id).cloned();
        m.canvas.gesture = match h {
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
    let tol = GRAB_PX / m.canvas.view.zoom;
    let hit = m.layout.hit(w, tol);
    m.canvas.gesture = match hit {
        Hit::Point(id) => {
            make_active(m.canvas, m.session.editor.doc(), id);
            m.session.editor.begin();
            m.canvas.selection = Selection {
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
            let start_width = m
                .session
                .editor
                .doc()
                .stage(id)
                .map_or(DEFAULT_STAGE_WIDTH, |s| s.width);
            m.session.editor.begin();
            Gesture::ResizeStage {
                id,
                start_width,
                start_x: w.x,
            }
        }
        Hit::Card(id) => {
            if !m.canvas.selection.cards.contains(&id) {
                m.canvas.selection = Selection::only_card(id);
            }
            let ids = m
                .session
                .editor
                .doc()
                .cards
                .iter()
                .filter(|c| m.canvas.selection.cards.contains(&c.id))
                .map(|c| c.id)
                .collect();
            Gesture::DragCards {
                ids,
                grab: w,
                current: w,
            }
        }
        Hit::StageHeader(id) => {
            m.canvas.selection = Selection::only_stage(id);
            Gesture::MoveStage {
                id,
                grab: w,
                current: w,
            }
        }
        Hit::LaneLabel(id) => {
            m.canvas.selection = Selection {
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
            start_x: w.x.max(m.layout.new_stage_band.min.x),
            current_x: w.x,
        },
        _ => Gesture::RectSelect {
            start: w,
            current: w,
            additive: mods.shift || mods.command,
        },
    };
}

fn update_gesture(m: &mut Parts, p: egui::Pos2) {
    let cur = m.world_at(p);
    match m.canvas.gesture.clone() {
        Gesture::DragPoint {
            id,
            press,
            sideways,
        } => {
            let Some(emo) = m.layout.emotion.as_ref() else {
                return;
            };
            let value = emo.value_at(cur.y);
            let sideways = sideways || (p.x - press.x).abs() > SIDEWAYS_PX;
            let (stage, offset) = if sideways {
                stage_offset_at(m.layout, cur.x)
            } else {
                let here = m
                    .session
                    .editor
                    .doc()
                    .point(id)
                    .map(|pt| (pt.stage, pt.offset));
                (here.map(|h| h.0), here.map_or(0.0, |h| h.1))
            };
            if let Some(stage) = stage {
                m.apply_now(&Command::MovePoint {
                    id,
                    stage,
                    offset,
                    value,
                });
            }
            m.canvas.gesture = Gesture::DragPoint {
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
            m.apply_now(&Command::ResizeStage {
                id,
                width: start_width + cur.x - start_x,
            });
        }
        Gesture::DragCards { ids, grab, .. } => {
            m.canvas.gesture = Gesture::DragCards {
                ids,
                grab,
                current: cur,
            }
        }
        Gesture::MoveStage { id, grab, .. } => {
            m.canvas.gesture = Gesture::MoveStage {
                id,
                grab,
                current: cur,
            }
        }
        Gesture::MoveLane { id, grab, .. } => {
            m.canvas.gesture = Gesture::MoveLane {
                id,
                grab,
                current: cur,
            }
        }
        Gesture::NewStage { start_x, .. } => {
            m.canvas.gesture = Gesture::NewStage {
                start_x,
                current_x: cur.x,
            }
        }
        Gesture::Link {
            anchor, retarget, ..
        } => {
            m.canvas.gesture = Gesture::Link {
                anchor,
                current: cur,
                retarget,
            }
        }
        Gesture::RectSelect {
            start, additive, ..
        } => {
            m.canvas.gesture = Gesture::RectSelect {
                start,
                current: cur,
                additive,
            }
        }
        Gesture::Pan | Gesture::None => {}
    }
}

/// A point's curve becomes the one being edited.
fn make_active(canvas: &mut Canvas, doc: &crate::model::Document, point: PointId) {
    let curve = doc
        .emotion
        .points()
        .find(|(_, p)| p.id == point)
        .map(|(c, _)| c.id);
    if curve.is_some() {
        canvas.active_curve = curve;
    }
}

/// The card a link being drawn would go to: the card under the pointer, not the anchor.
pub(crate) fn link_target(layout: &Layout, anchor: CardId, at: Pos) -> Option<CardId> {
    card_near(layout, at, 4.0).filter(|id| *id != anchor)
}

fn end_gesture(m: &mut Parts, cur: Pos) {
    let g = std::mem::take(&mut m.canvas.gesture);
    match g {
        Gesture::Link {
            anchor, retarget, ..
        } => {
            let Some(target) = link_target(m.layout, anchor, cur) else {
                return;
            };
            match retarget {
                None => {
                    m.asks.ask(Ask::AddLink(anchor, target));
                }
                Some((id, to_end)) => {
                    if let Some(mut l) = m.session.editor.doc().link(id).cloned() {
                        if to_end {
                            l.to = target;
                        } else {
                            l.from = target;
                        }
                        m.session.queue(Command::UpdateLink(l));
                        m.canvas.selection = Selection {
                            link: Some(id),
                            ..Selection::default()
                        };
                    }
                }
            }
        }
        Gesture::DragPoint { .. } | Gesture::ResizeStage { .. } => m.session.editor.commit(),
        Gesture::DragCards { ids, grab, .. } => {
            if (cur.x - grab.x).hypot(cur.y - grab.y) > 2.0
                && let Some((stage, lane, index)) = drop_target(m.layout, &ids, cur)
            {
                m.session.queue(Command::MoveCards {
                    ids,
                    stage,
                    lane,
                    index,
                });
            }
        }
        Gesture::MoveStage { id, .. } => {
            let to_index = stage_drop_index(m.layout, id, cur.x);
            m.session.queue(Command::MoveStage { id, to_index });
        }
        Gesture::MoveLane { id, grab, .. } => {
            if (cur.y - grab.y).abs() > 2.0 {
                let to_index = lane_drop_index(m.session.editor.doc(), m.layout, id, cur.y);
                m.session.queue(Command::MoveLane { id, to_index });
            }
        }
        Gesture::NewStage { start_x, current_x } => {
            let width = (current_x - start_x).abs();
            if width >= MIN_NEW_STAGE_DRAG {
                let index = m.session.editor.doc().stages.len();
                add_stage(m.canvas, m.session, index, width.max(MIN_STAGE_WIDTH));
            }
        }
        Gesture::RectSelect {
            start,
            current,
            additive,
        } => {
            let r = Rect::from_corners(start, current);
            let mut sel = if additive {
                m.canvas.selection.clone()
            } else {
                Selection::default()
            };
            sel.cell = None;
            let l = m.layout;
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
            m.canvas.selection = sel;
        }
        Gesture::Pan | Gesture::None => {}
    }
}

/// Adds a stage at `index`, selects it, brings it into sight and opens its name for typing.
pub(crate) fn add_stage(canvas: &mut Canvas, session: &mut Session, index: usize, width: f32) {
    commit_editing(canvas, session);
    session.queue_then(
        Command::AddStage {
            index,
            stage: Stage {
                pos: String::new(),
                id: StageId(0),
                name: "New stage".into(),
                width,
            },
        },
        None,
        Box::new(|canvas, ids| {
            if let Some(id) = ids.first().map(|id| StageId(*id)) {
                canvas.selection = Selection::only_stage(id);
                canvas.editing = Some(TextEditing::new(EditTarget::Stage(id), "New stage".into()));
                canvas.reveal = Some(Reveal::Stage(id));
            }
        }),
    );
}

/// Adds a lane of a kind at an index.
pub(crate) fn add_lane(session: &mut Session, index: usize, kind: LaneKind) {
    session.queue_then(
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
        None,
        Box::new(|canvas, ids| {
            if let Some(id) = ids.first() {
                canvas.selection = Selection {
                    lane: Some(LaneId(*id)),
                    ..Selection::default()
                };
            }
        }),
    );
}

fn click(m: &mut Parts, w: Pos, tol: f32, mods: Modifiers) {
    commit_editing(m.canvas, m.session);
    m.canvas.minus = false;
    let hit = m.layout.hit(w, tol);
    if let Some(from) = m.canvas.linking.take() {
        match hit {
            Hit::Card(to) if to != from => {
                m.asks.ask(Ask::AddLink(from, to));
            }
            _ => m.asks.ask(Ask::Say("Link cancelled".into())),
        }
        return;
    }
    if let Hit::Point(id) = hit {
        make_active(m.canvas, m.session.editor.doc(), id);
    }
    // The mark of links to other maps opens the other map.
    if let Hit::Card(id) = hit
        && !(mods.shift || mods.command)
        && let Some(mark) = m
            .layout
            .card(id)
            .and_then(crate::layout::CardBox::map_link_mark)
        && mark.expand(2.0).contains(w)
    {
        m.canvas.selection = Selection::only_card(id);
        let at = m.canvas.view.screen_from_world(m.canvas.rect.min, w);
        m.asks.ask(Ask::MapLinkMark(id, at));
        return;
    }
    let sel = &mut m.canvas.selection;
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
            m.canvas
                .open_new_card(stage, lane, usize::MAX, String::new());
        }
        Hit::Emotion { stage, .. } => {
            let lane = m.layout.emotion.as_ref().map(|e| e.lane);
            *sel = lane.map_or_else(Selection::default, |l| Selection::only_cell(stage, l));
        }
        Hit::NewStageBand | Hit::Nothing => *sel = Selection::default(),
    }
}

fn double_click(m: &mut Parts, w: Pos, tol: f32) {
    match m.layout.hit(w, tol) {
        Hit::Cell { stage, lane, index } => {
            m.canvas.open_new_card(stage, lane, index, String::new());
        }
        Hit::Card(id) => start_edit(m.canvas, m.session.editor.doc(), EditTarget::Card(id)),
        Hit::StageHeader(id) => start_edit(m.canvas, m.session.editor.doc(), EditTarget::Stage(id)),
        Hit::LaneLabel(id) => start_edit(m.canvas, m.session.editor.doc(), EditTarget::Lane(id)),
        Hit::Emotion {
            stage,
            offset,
            value,
        } => {
            let value = (value * 4.0).round() / 4.0;
            let doc = m.session.editor.doc();
            let cmd = super::add_point_cmd(
                doc,
                m.canvas.curve_for_points(doc),
                EmotionPoint {
                    id: PointId(0),
                    stage,
                    offset,
                    value,
                    card: None,
                },
            );
            m.session
                .queue_then(cmd, None, Box::new(super::context_menu::select_new_point));
        }
        Hit::NewStageBand => {
            let index = m.session.editor.doc().stages.len();
            add_stage(m.canvas, m.session, index, DEFAULT_STAGE_WIDTH);
        }
        _ => {}
    }
}
