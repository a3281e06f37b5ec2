//! The map canvas: pan and zoom, pointer gestures (select, drag cards, resize and reorder
//! stages, drag out new stages, drag emotion points), in-place text editing, the context menu,
//! keyboard navigation between cards, and the accessible nodes of cards and stages.

use egui::{CursorIcon, Key, Modifiers, PointerButton, Sense, Ui, WidgetInfo};

use super::app::{App, EditTarget, Selection, TextEditing};
use super::paint::{
    OVERVIEW_BELOW_PX, c32, map_font, overview_mesh, paint_display_list, paint_overview,
};
use crate::edit::Command;
use crate::geom::{Pos, Rect};
use crate::layout::{CARD_FONT, CARD_PAD, CELL_PAD, Hit, LANE_FONT, Layout};
use crate::model::{
    Card, CardId, DEFAULT_STAGE_WIDTH, EmotionPoint, Lane, LaneId, LaneKind, MIN_STAGE_WIDTH,
    PointId, Stage, StageId,
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
    if CARD_FONT * app.view.zoom < OVERVIEW_BELOW_PX {
        let mesh = app
            .cache
            .overview
            .get_or_insert_with(|| std::sync::Arc::new(overview_mesh(&app.cache.display)));
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

fn world_at(app: &App, p: egui::Pos2) -> Pos {
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
            Hit::Card(_) | Hit::StageHeader(_) => ui.ctx().set_cursor_icon(CursorIcon::Grab),
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

/// The stage index a dragged stage header would move to.
fn stage_drop_index(layout: &Layout, id: StageId, x: f32) -> usize {
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
fn edit_rect(app: &App, target: EditTarget) -> Option<Rect> {
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
            let y = l.drop_marker_y(stage, lane, index)?;
            Some(Rect::from_xywh(
                cell.min.x + CELL_PAD,
                y,
                cell.width() - 2.0 * CELL_PAD,
                crate::layout::card_height(2, false),
            ))
        }
    }
}

fn text_edit_ui(app: &mut App, ui: &mut Ui) {
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

fn overlays(app: &App, ui: &Ui, painter: &egui::Painter, theme: &Theme) {
    let o = app.canvas_rect.min;
    let v = &app.view;
    let l = &app.cache.layout;
    let sel = egui::Stroke::new(2.5, c32(theme.selection));
    let accent = egui::Stroke::new(3.0, c32(theme.accent));
    // Hint in the new-stage band.
    let band = v.screen_rect(o, &l.new_stage_band);
    if app.gesture == Gesture::None && band.width() > 60.0 {
        painter.text(
            band.left_center() + egui::vec2(16.0, 0.0),
            egui::Align2::LEFT_CENTER,
            "+ drag here to add a stage",
            egui::FontId::proportional(13.0),
            c32(theme.hint),
        );
    }
    for id in &app.selection.cards {
        if let Some(c) = l.card(*id) {
            painter.rect_stroke(
                v.screen_rect(o, &c.rect).expand(2.0),
                7.0 * v.zoom,
                sel,
                egui::StrokeKind::Outside,
            );
        }
    }
    if let Some(s) = app.selection.stage.and_then(|s| l.stage(s)) {
        painter.rect_stroke(
            v.screen_rect(o, &s.column),
            0.0,
            sel,
            egui::StrokeKind::Inside,
        );
    }
    if let Some(r) = app.selection.lane.and_then(|id| l.lane(id)) {
        painter.rect_stroke(
            v.screen_rect(o, &r.label.union(&r.row)),
            0.0,
            sel,
            egui::StrokeKind::Inside,
        );
    }
    if let Some(p) = app
        .selection
        .point
        .and_then(|id| l.emotion.as_ref()?.points.iter().find(|p| p.id == id))
    {
        painter.circle_stroke(v.screen_from_world(o, p.pos), 11.0 * v.zoom.max(0.5), sel);
    }
    match &app.gesture {
        Gesture::DragCards { ids, grab, current } => {
            let d = egui::vec2(current.x - grab.x, current.y - grab.y) * v.zoom;
            for id in ids {
                if let Some(c) = l.card(*id) {
                    let r = v.screen_rect(o, &c.rect).translate(d);
                    painter.rect_filled(r, 6.0 * v.zoom, c32(theme.selection.alpha(40)));
                    painter.rect_stroke(
                        r,
                        6.0 * v.zoom,
                        egui::Stroke::new(1.5, c32(theme.selection)),
                        egui::StrokeKind::Inside,
                    );
                }
            }
            if let Some((stage, lane, index)) = drop_target(l, ids, *current) {
                // Marker position counted among all cards of the cell.
                let all: Vec<_> = l
                    .cell_cards(stage, lane)
                    .filter(|c| !ids.contains(&c.id))
                    .collect();
                let y = match (
                    index.checked_sub(1).and_then(|i| all.get(i)),
                    all.get(index),
                ) {
                    (_, Some(next)) => next.rect.min.y - crate::layout::CARD_GAP / 2.0,
                    (Some(prev), None) => prev.rect.max.y + crate::layout::CARD_GAP / 2.0,
                    (None, None) => l
                        .cell_rect(stage, lane)
                        .map_or(0.0, |c| c.min.y + CELL_PAD / 2.0),
                };
                if let Some(cell) = l.cell_rect(stage, lane) {
                    let a = v.screen_from_world(o, Pos::new(cell.min.x + CELL_PAD, y));
                    let b = v.screen_from_world(o, Pos::new(cell.max.x - CELL_PAD, y));
                    painter.line_segment([a, b], accent);
                    painter.rect_stroke(
                        v.screen_rect(o, &cell),
                        0.0,
                        egui::Stroke::new(1.0, c32(theme.accent)),
                        egui::StrokeKind::Inside,
                    );
                }
            }
        }
        Gesture::MoveStage { id, grab, current } => {
            if let Some(s) = l.stage(*id) {
                let r = v
                    .screen_rect(o, &s.header)
                    .translate(egui::vec2((current.x - grab.x) * v.zoom, 0.0));
                painter.rect_filled(r, 4.0, c32(theme.selection.alpha(60)));
            }
            let idx = stage_drop_index(l, *id, current.x);
            let others: Vec<_> = l.stages.iter().filter(|s| s.id != *id).collect();
            let x = others.get(idx).map_or_else(
                || others.last().map_or(l.bounds.min.x, |s| s.column.max.x),
                |s| s.column.min.x,
            );
            let a = v.screen_from_world(o, Pos::new(x, 0.0));
            let b = v.screen_from_world(o, Pos::new(x, l.bounds.max.y));
            painter.line_segment([a, b], accent);
        }
        Gesture::NewStage { start_x, current_x } => {
            let r = Rect::from_corners(
                Pos::new(*start_x, 0.0),
                Pos::new(*current_x, l.bounds.max.y),
            );
            let sr = v.screen_rect(o, &r);
            painter.rect_filled(sr, 0.0, c32(theme.accent.alpha(30)));
            painter.rect_stroke(
                sr,
                0.0,
                egui::Stroke::new(1.5, c32(theme.accent)),
                egui::StrokeKind::Inside,
            );
            painter.text(
                sr.center_top() + egui::vec2(0.0, 20.0),
                egui::Align2::CENTER_CENTER,
                format!("New stage · {:.0}", r.width()),
                egui::FontId::proportional(13.0),
                c32(theme.accent),
            );
        }
        Gesture::RectSelect { start, current, .. } => {
            let r = v.screen_rect(o, &Rect::from_corners(*start, *current));
            painter.rect_filled(r, 0.0, c32(theme.selection.alpha(30)));
            painter.rect_stroke(
                r,
                0.0,
                egui::Stroke::new(1.0, c32(theme.selection)),
                egui::StrokeKind::Inside,
            );
        }
        Gesture::DragPoint { id } => {
            if let Some(p) = l
                .emotion
                .as_ref()
                .and_then(|e| e.points.iter().find(|p| p.id == *id))
            {
                let scale = &app.doc().emotion.scale;
                let label = scale.label(p.value.round() as i32).unwrap_or("");
                let text = format!("{:+.1}  {label}", p.value).replace('-', "\u{2212}");
                let at = v.screen_from_world(o, p.pos) + egui::vec2(14.0, -14.0);
                let galley =
                    painter.layout_no_wrap(text, egui::FontId::proportional(14.0), c32(theme.text));
                let bg = egui::Rect::from_min_size(at, galley.size()).expand(4.0);
                painter.rect_filled(bg, 4.0, c32(theme.background));
                painter.rect_stroke(
                    bg,
                    4.0,
                    egui::Stroke::new(1.0, c32(theme.grid)),
                    egui::StrokeKind::Inside,
                );
                painter.galley(at, galley, c32(theme.text));
            }
        }
        Gesture::ResizeStage { id, .. } => {
            if let Some(s) = l.stage(*id) {
                let a = v.screen_from_world(o, Pos::new(s.column.max.x, 0.0));
                let b = v.screen_from_world(o, Pos::new(s.column.max.x, s.column.max.y));
                painter.line_segment([a, b], accent);
            }
        }
        Gesture::Pan | Gesture::None => {
            if let Some(h) = ui.input(|i| i.pointer.hover_pos())
                && app.canvas_rect.contains(h)
                && let Hit::Card(id) = l.hit(world_at(app, h), 0.0)
                && let Some(c) = l.card(id)
                && !app.selection.cards.contains(&id)
            {
                painter.rect_stroke(
                    v.screen_rect(o, &c.rect),
                    6.0 * v.zoom,
                    egui::Stroke::new(1.5, c32(theme.selection.alpha(120))),
                    egui::StrokeKind::Inside,
                );
            }
        }
    }
}

/// Registers an accessible node for every visible card and stage header, so screen readers
/// (and tests) can find them by their text.
fn accessibility_nodes(app: &App, ui: &Ui) {
    // In the overview (text too small to read) there is nothing to read out card by card.
    if CARD_FONT * app.view.zoom < OVERVIEW_BELOW_PX {
        return;
    }
    let o = app.canvas_rect.min;
    let clip = app.canvas_rect;
    let doc = app.doc();
    for s in &app.cache.layout.stages {
        let r = app.view.screen_rect(o, &s.header);
        if !r.intersects(clip) {
            continue;
        }
        let name = doc.stage(s.id).map(|s| s.name.clone()).unwrap_or_default();
        let resp = ui.interact(
            r.intersect(clip),
            ui.scope_id().with(("stage", s.id.0)),
            Sense::hover(),
        );
        resp.widget_info(|| WidgetInfo::labeled(egui::Role::Label, true, format!("Stage: {name}")));
    }
    for c in &app.cache.layout.cards {
        let r = app.view.screen_rect(o, &c.rect);
        if !r.intersects(clip) || r.width() < 8.0 {
            continue;
        }
        let text = doc.card(c.id).map(|c| c.text.clone()).unwrap_or_default();
        let selected = app.selection.cards.contains(&c.id);
        let resp = ui.interact(
            r.intersect(clip),
            ui.scope_id().with(("card", c.id.0)),
            Sense::hover(),
        );
        resp.widget_info(|| {
            let mut info = WidgetInfo::labeled(egui::Role::Button, true, format!("Card: {text}"));
            info.selected = Some(selected);
            info
        });
    }
}

fn context_menu_ui(app: &mut App, ui: &mut Ui) {
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
            if ui.button("Delete stage").clicked() {
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
