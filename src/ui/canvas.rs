//! The map canvas: pan and zoom, pointer gestures (select, drag cards, resize and reorder
//! stages, drag out new stages, drag emotion points), in-place text editing, the context menu,
//! keyboard navigation between cards, and the accessible nodes of cards and stages.

use egui::{CursorIcon, Key, Modifiers, PointerButton, Sense, Ui, WidgetInfo};

use super::app::{App, EditTarget, Selection, TextEditing};
use super::context_menu::context_menu_ui;
use super::overlays::{accessibility_nodes, overlays};
use super::paint::{
    FAR_BELOW_PX, OVERVIEW_BELOW_PX, c32, overview_mesh, paint_display_list, paint_overview,
};
use super::text_edit::{commit_editing, start_edit, text_edit_ui};
use crate::edit::Command;
use crate::geom::{Pos, Rect};
use crate::layout::{CARD_FONT, Hit, Layout};
use crate::model::{
    CardId, DEFAULT_STAGE_WIDTH, EmotionPoint, Lane, LaneId, LaneKind, MIN_STAGE_WIDTH, PointId,
    Stage, StageId,
};
use crate::theme::Theme;

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
        start: Pos,
        current: Pos,
        additive: bool,
    },
    /// Dragging cards (ghost and drop marker until release).
    DragCards {
        ids: Vec<CardId>,
        grab: Pos,
        current: Pos,
    },
    /// Resizing a stage (live, in a transaction).
    ResizeStage {
        id: StageId,
        start_width: f32,
        start_x: f32,
    },
    /// Reordering a stage by its header.
    MoveStage {
        id: StageId,
        grab: Pos,
        current: Pos,
    },
    /// Reordering a lane by its label.
    MoveLane { id: LaneId, grab: Pos, current: Pos },
    /// Dragging an emotion point (live, in a transaction).
    DragPoint { id: PointId },
    /// Dragging out a new stage right of the last one.
    NewStage { start_x: f32, current_x: f32 },
}

/// Grab distance for points and edges, in screen points.
const GRAB_PX: f32 = 8.0;
/// Smallest drag that makes a new stage, in world units.
const MIN_NEW_STAGE_DRAG: f32 = 30.0;

pub(crate) fn canvas_ui(app: &mut App, ui: &mut Ui) {
    app.refresh();
    let (rect, response) = ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
    response.widget_info(|| WidgetInfo::labeled(egui::Role::Canvas, true, "Map canvas"));
    app.canvas_rect = rect;
    // Fit on request, and again when the window changes size while the view is still the
    // fitted one (the user has not panned or zoomed since).
    let refit = app
        .fitted
        .is_some_and(|(v, size)| v == app.view && size != rect.size());
    if (app.fit_pending || refit) && rect.width() > 50.0 {
        app.view.fit(rect.size(), &app.cache.layout.bounds);
        app.fit_pending = false;
        app.fitted = Some((app.view, rect.size()));
    }

    navigation(app, ui, &response);
    pointer(app, ui, &response);
    app.refresh();

    let painter = ui.painter_at(rect);
    let theme = Theme::get(app.prefs.theme);
    painter.rect_filled(rect, 0.0, c32(theme.column_tint));
    let text_px = CARD_FONT * app.view.zoom;
    if text_px < OVERVIEW_BELOW_PX {
        let display = &app.cache.display;
        let mesh = if text_px < FAR_BELOW_PX {
            app.cache
                .far
                .get_or_insert_with(|| std::sync::Arc::new(overview_mesh(display, false)))
        } else {
            app.cache
                .overview
                .get_or_insert_with(|| std::sync::Arc::new(overview_mesh(display, true)))
        };
        paint_overview(&painter, mesh, &app.view, rect.min);
    } else {
        paint_display_list(&painter, &app.cache.display, &app.view, rect.min);
    }
    overlays(app, ui, &painter, &theme);
    accessibility_nodes(app, ui);
    text_edit_ui(app, ui);
    if response.secondary_clicked() {
        // Right-clicking something unselected selects it, as in file managers and editors.
        if let Some(Hit::Card(id)) = app.context_hit
            && !app.selection.cards.contains(&id)
        {
            app.selection = Selection::only_card(id);
        }
    }
    response.context_menu(|ui| context_menu_ui(app, ui));
}

pub(crate) fn world_at(app: &App, p: egui::Pos2) -> Pos {
    app.view.world_from_screen(app.canvas_rect.min, p)
}

fn navigation(app: &mut App, ui: &Ui, response: &egui::Response) {
    let origin = app.canvas_rect.min;
    if response.dragged_by(PointerButton::Middle) {
        app.view.offset += response.drag_delta();
    }
    if response.contains_pointer() && app.modal.is_none() {
        let (scroll, zoom, hover) =
            ui.input(|i| (i.smooth_scroll_delta, i.zoom_delta(), i.pointer.hover_pos()));
        if let Some(h) = hover {
            if (zoom - 1.0).abs() > f32::EPSILON {
                app.view.zoom_around(origin, h, zoom);
            } else if scroll != egui::Vec2::ZERO {
                app.view.offset += scroll;
            }
        }
    }
}

fn pointer(app: &mut App, ui: &Ui, response: &egui::Response) {
    let tol = GRAB_PX / app.view.zoom;
    let latest = ui.input(|i| i.pointer.latest_pos());
    let mods = ui.input(|i| i.modifiers);

    if let Some(p) = response.hover_pos()
        && app.gesture == Gesture::None
    {
        match app.cache.layout.hit(world_at(app, p), tol) {
            Hit::StageEdge(_) => ui.ctx().set_cursor_icon(CursorIcon::ResizeHorizontal),
            Hit::Point(_) => ui.ctx().set_cursor_icon(CursorIcon::ResizeVertical),
            Hit::Card(_) | Hit::StageHeader(_) | Hit::LaneLabel(_) => {
                ui.ctx().set_cursor_icon(CursorIcon::Grab);
            }
            Hit::NewStageBand => ui.ctx().set_cursor_icon(CursorIcon::Crosshair),
            _ => {}
        }
    }

    if response.drag_started_by(PointerButton::Primary) {
        let press = ui
            .input(|i| i.pointer.press_origin())
            .or(latest)
            .unwrap_or_default();
        start_gesture(
            app,
            world_at(app, press),
            ui.input(|i| i.key_down(Key::Space)),
            mods,
        );
    }
    if response.dragged_by(PointerButton::Primary)
        && let Some(p) = latest
    {
        if app.gesture == Gesture::Pan {
            app.view.offset += response.drag_delta();
        }
        update_gesture(app, world_at(app, p));
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
        let hit = app.cache.layout.hit(world_at(app, p), tol);
        if let Hit::Cell { stage, lane, .. } = hit {
            app.last_cell = Some((stage, lane));
        }
        app.context_hit = Some(hit);
    }
}

fn start_gesture(app: &mut App, w: Pos, space: bool, mods: Modifiers) {
    commit_editing(app);
    if space {
        app.gesture = Gesture::Pan;
        return;
    }
    let tol = GRAB_PX / app.view.zoom;
    app.gesture = match app.cache.layout.hit(w, tol) {
        Hit::Point(id) => {
            app.editor.begin();
            app.selection = Selection {
                point: Some(id),
                ..Selection::default()
            };
            Gesture::DragPoint { id }
        }
        Hit::StageEdge(id) => {
            let start_width = app.doc().stage(id).map_or(DEFAULT_STAGE_WIDTH, |s| s.width);
            app.editor.begin();
            Gesture::ResizeStage {
                id,
                start_width,
                start_x: w.x,
            }
        }
        Hit::Card(id) => {
            if !app.selection.cards.contains(&id) {
                app.selection = Selection::only_card(id);
            }
            let ids = app.selected_cards().iter().map(|c| c.id).collect();
            Gesture::DragCards {
                ids,
                grab: w,
                current: w,
            }
        }
        Hit::StageHeader(id) => {
            app.selection = Selection {
                stage: Some(id),
                ..Selection::default()
            };
            Gesture::MoveStage {
                id,
                grab: w,
                current: w,
            }
        }
        Hit::LaneLabel(id) => {
            app.selection = Selection {
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
            start_x: w.x.max(app.cache.layout.new_stage_band.min.x),
            current_x: w.x,
        },
        _ => Gesture::RectSelect {
            start: w,
            current: w,
            additive: mods.shift || mods.command,
        },
    };
}

fn update_gesture(app: &mut App, cur: Pos) {
    match app.gesture.clone() {
        Gesture::DragPoint { id } => {
            let Some(emo) = app.cache.layout.emotion.as_ref() else {
                return;
            };
            let value = emo.value_at(cur.y);
            let (stage, offset) = stage_offset_at(&app.cache.layout, cur.x);
            if let Some(stage) = stage {
                app.apply(&Command::MovePoint {
                    id,
                    stage,
                    offset,
                    value,
                });
            }
        }
        Gesture::ResizeStage {
            id,
            start_width,
            start_x,
        } => {
            app.apply(&Command::ResizeStage {
                id,
                width: start_width + cur.x - start_x,
            });
        }
        Gesture::DragCards { ids, grab, .. } => {
            app.gesture = Gesture::DragCards {
                ids,
                grab,
                current: cur,
            }
        }
        Gesture::MoveStage { id, grab, .. } => {
            app.gesture = Gesture::MoveStage {
                id,
                grab,
                current: cur,
            }
        }
        Gesture::MoveLane { id, grab, .. } => {
            app.gesture = Gesture::MoveLane {
                id,
                grab,
                current: cur,
            }
        }
        Gesture::NewStage { start_x, .. } => {
            app.gesture = Gesture::NewStage {
                start_x,
                current_x: cur.x,
            }
        }
        Gesture::RectSelect {
            start, additive, ..
        } => {
            app.gesture = Gesture::RectSelect {
                start,
                current: cur,
                additive,
            }
        }
        Gesture::Pan | Gesture::None => {}
    }
}

/// The stage under x (clamped to the first and last stage) and the offset in it.
fn stage_offset_at(layout: &Layout, x: f32) -> (Option<StageId>, f32) {
    let s = layout
        .stages
        .iter()
        .find(|s| x >= s.column.min.x && x < s.column.max.x)
        .or_else(|| {
            if x < layout.stages.first()?.column.min.x {
                layout.stages.first()
            } else {
                layout.stages.last()
            }
        });
    match s {
        Some(s) => (
            Some(s.id),
            ((x - s.column.min.x) / s.column.width()).clamp(0.0, 1.0),
        ),
        None => (None, 0.0),
    }
}

/// Where dragged cards would land: cell and position among the cell's cards not being moved.
pub(crate) fn drop_target(
    layout: &Layout,
    ids: &[CardId],
    at: Pos,
) -> Option<(StageId, LaneId, usize)> {
    let (stage, lane, index) = match layout.hit(at, 0.0) {
        Hit::Cell { stage, lane, index } => (stage, lane, index),
        Hit::Card(id) => {
            let c = layout.card(id)?;
            (
                c.stage,
                c.lane,
                c.index + usize::from(at.y > c.rect.center().y),
            )
        }
        _ => return None,
    };
    let kind = layout.lane(lane)?.kind;
    if !kind.holds_cards() {
        return None;
    }
    let excl = layout
        .cell_cards(stage, lane)
        .filter(|c| c.index < index && !ids.contains(&c.id))
        .count();
    Some((stage, lane, excl))
}

/// Where a dragged lane would go: its index in the document's lane order after removing it
/// (hidden lanes keep their places relative to the visible ones).
pub(crate) fn lane_drop_index(
    doc: &crate::model::Document,
    layout: &Layout,
    id: LaneId,
    y: f32,
) -> usize {
    let visible_before = layout
        .lanes
        .iter()
        .filter(|l| l.id != id && l.row.center().y < y)
        .count();
    let others: Vec<&crate::model::Lane> = doc.lanes.iter().filter(|l| l.id != id).collect();
    let visible: Vec<usize> = others
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.hidden)
        .map(|(i, _)| i)
        .collect();
    match visible.get(visible_before) {
        Some(i) => *i,
        None => visible.last().map_or(others.len(), |i| i + 1),
    }
}

/// The y where a dragged lane's drop marker goes.
pub(crate) fn lane_drop_y(layout: &Layout, id: LaneId, y: f32) -> f32 {
    let others: Vec<_> = layout.lanes.iter().filter(|l| l.id != id).collect();
    let before = others.iter().filter(|l| l.row.center().y < y).count();
    others.get(before).map_or_else(
        || others.last().map_or(layout.header_h(), |l| l.row.max.y),
        |l| l.row.min.y,
    )
}

/// The stage index a dragged stage header would move to.
pub(crate) fn stage_drop_index(layout: &Layout, id: StageId, x: f32) -> usize {
    let mut idx = 0;
    for s in layout.stages.iter().filter(|s| s.id != id) {
        if x > s.column.center().x {
            idx += 1;
        }
    }
    idx
}

fn end_gesture(app: &mut App, cur: Pos) {
    let g = std::mem::take(&mut app.gesture);
    match g {
        Gesture::DragPoint { .. } | Gesture::ResizeStage { .. } => app.editor.commit(),
        Gesture::DragCards { ids, grab, .. } => {
            if (cur.x - grab.x).hypot(cur.y - grab.y) > 2.0
                && let Some((stage, lane, index)) = drop_target(&app.cache.layout, &ids, cur)
            {
                app.apply(&Command::MoveCards {
                    ids,
                    stage,
                    lane,
                    index,
                });
            }
        }
        Gesture::MoveStage { id, .. } => {
            let to_index = stage_drop_index(&app.cache.layout, id, cur.x);
            app.apply(&Command::MoveStage { id, to_index });
        }
        Gesture::MoveLane { id, grab, .. } => {
            if (cur.y - grab.y).abs() > 2.0 {
                let to_index = lane_drop_index(app.doc(), &app.cache.layout, id, cur.y);
                app.apply(&Command::MoveLane { id, to_index });
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
                app.selection.clone()
            } else {
                Selection::default()
            };
            sel.cards.extend(
                app.cache
                    .layout
                    .cards
                    .iter()
                    .filter(|c| c.rect.intersects(&r))
                    .map(|c| c.id),
            );
            if let Some(p) = app
                .cache
                .layout
                .emotion
                .as_ref()
                .and_then(|e| e.points.iter().find(|p| r.contains(p.pos)))
            {
                sel.point = Some(p.id);
            }
            app.selection = sel;
        }
        Gesture::Pan | Gesture::None => {}
    }
}

/// Adds a stage and starts renaming it.
pub(crate) fn add_stage(app: &mut App, index: usize, width: f32) {
    let id = StageId(app.doc().next_id);
    app.apply(&Command::AddStage {
        index,
        stage: Stage {
            id,
            name: "New stage".into(),
            width,
        },
    });
    app.selection = Selection {
        stage: Some(id),
        ..Selection::default()
    };
    app.editing = Some(TextEditing {
        target: EditTarget::Stage(id),
        buf: "New stage".into(),
        focused_once: false,
    });
}

/// Adds a lane of a kind at an index.
pub(crate) fn add_lane(app: &mut App, index: usize, kind: LaneKind) {
    let id = LaneId(app.doc().next_id);
    app.apply(&Command::AddLane {
        index,
        lane: Lane {
            id,
            name: kind.label().into(),
            kind,
            hidden: false,
        },
    });
    app.selection = Selection {
        lane: Some(id),
        ..Selection::default()
    };
}

fn click(app: &mut App, w: Pos, tol: f32, mods: Modifiers) {
    commit_editing(app);
    let hit = app.cache.layout.hit(w, tol);
    match hit {
        Hit::Card(id) => {
            if mods.shift || mods.command {
                app.selection.point = None;
                app.selection.stage = None;
                app.selection.lane = None;
                if !app.selection.cards.remove(&id) {
                    app.selection.cards.insert(id);
                }
            } else {
                app.selection = Selection::only_card(id);
            }
            if let Some(c) = app.doc().card(id) {
                app.last_cell = Some((c.stage, c.lane));
            }
        }
        Hit::Point(id) => {
            app.selection = Selection {
                point: Some(id),
                ..Selection::default()
            }
        }
        Hit::StageHeader(id) | Hit::StageEdge(id) => {
            app.selection = Selection {
                stage: Some(id),
                ..Selection::default()
            }
        }
        Hit::LaneLabel(id) => {
            app.selection = Selection {
                lane: Some(id),
                ..Selection::default()
            }
        }
        Hit::Cell { stage, lane, .. } => {
            app.last_cell = Some((stage, lane));
            app.selection = Selection::default();
        }
        _ => app.selection = Selection::default(),
    }
}

fn double_click(app: &mut App, w: Pos, tol: f32) {
    match app.cache.layout.hit(w, tol) {
        Hit::Cell { stage, lane, index } => {
            app.selection = Selection::default();
            app.editing = Some(TextEditing {
                target: EditTarget::NewCard { stage, lane, index },
                buf: String::new(),
                focused_once: false,
            });
        }
        Hit::Card(id) => start_edit(app, EditTarget::Card(id)),
        Hit::StageHeader(id) => start_edit(app, EditTarget::Stage(id)),
        Hit::LaneLabel(id) => start_edit(app, EditTarget::Lane(id)),
        Hit::Emotion {
            stage,
            offset,
            value,
        } => {
            let id = PointId(app.doc().next_id);
            let value = (value * 4.0).round() / 4.0;
            app.apply(&Command::AddPoint(EmotionPoint {
                id,
                stage,
                offset,
                value,
            }));
            app.selection = Selection {
                point: Some(id),
                ..Selection::default()
            };
        }
        Hit::NewStageBand => {
            let index = app.doc().stages.len();
            add_stage(app, index, DEFAULT_STAGE_WIDTH);
        }
        _ => {}
    }
}
