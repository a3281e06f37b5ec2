//! What the canvas draws over the map for the editor only (selection, hover, ghosts, drop
//! markers, previews), and the accessible nodes of the cards and stages on screen.

use egui::Ui;

use super::drop::{drop_target, lane_drop_y, stage_drop_index};
use super::gestures::Gesture;
use crate::geom::{Pos, Rect};
use crate::layout::{CELL_PAD, Hit};
use crate::theme::Theme;
use crate::ui::canvas::Canvas;
use crate::ui::paint::{OVERVIEW_BELOW_PX, c32};

/// The parts of the app the overlays are drawn from.
pub(crate) struct Over<'a> {
    pub canvas: &'a Canvas,
    pub layout: &'a crate::layout::Layout,
    /// How the scene was drawn (what changed since a compared version, for the tooltips).
    pub look: &'a crate::render::Look,
    pub doc: &'a crate::model::Document,
    /// The live workshop's people (their selections are outlined in their colours).
    pub workshop: Option<&'a crate::ui::workshop::Workshop>,
}

pub(crate) fn overlays(ui: &Ui, painter: &egui::Painter, theme: &Theme, over: &Over) {
    let canvas = over.canvas;
    let o = canvas.rect.min;
    let v = &canvas.view;
    let l = over.layout;
    let doc = over.doc;
    let screen = Screen::new(canvas, l);
    // Only where the canvas is on top: not under a dialog, the legend or a toast (a card's
    // tooltip drew over the modal Export dialog).
    let hover = ui
        .input(|i| i.pointer.hover_pos())
        .filter(|h| canvas.rect.contains(*h))
        .filter(|h| ui.ctx().layer_id_at(*h) == Some(ui.layer_id()));
    let presenting = canvas.presentation.is_some();
    let hit = match hover {
        Some(h) if !presenting => l.hit(canvas.world_at(l, h), 0.0),
        _ => Hit::Nothing,
    };
    if !presenting {
        cell_overlays(canvas, &screen, painter, theme, hit);
    }
    let sel = egui::Stroke::new(2.5, c32(theme.selection));
    let accent = egui::Stroke::new(3.0, c32(theme.accent));
    // Hint in the new-stage band.
    let band = v.screen_rect(o, &l.new_stage_band);
    if canvas.gesture == Gesture::None && band.width() > 60.0 && !presenting {
        painter.text(
            band.left_center() + egui::vec2(16.0, 0.0),
            egui::Align2::LEFT_CENTER,
            "+ drag here to add a stage",
            egui::FontId::proportional(13.0),
            c32(theme.hint),
        );
    }
    for id in &canvas.selection.cards {
        if let Some(c) = l.card(*id) {
            painter.rect_stroke(
                v.screen_rect(o, &c.rect).expand(2.0),
                7.0 * v.zoom,
                sel,
                egui::StrokeKind::Outside,
            );
        }
    }
    presence_overlays(over.workshop, &screen, painter, theme);
    if !presenting {
        conflict_overlays(doc, &screen, painter, theme);
    }
    if let Some(s) = canvas.selection.stage.and_then(|s| l.stage(s)) {
        painter.rect_stroke(
            v.screen_rect(o, &s.column),
            0.0,
            sel,
            egui::StrokeKind::Inside,
        );
    }
    if let Some(r) = canvas.selection.lane.and_then(|id| l.lane(id)) {
        painter.rect_stroke(v.screen_rect(o, &r.row), 0.0, sel, egui::StrokeKind::Inside);
    }
    if let Some(p) = canvas
        .selection
        .point
        .and_then(|id| l.emotion.as_ref()?.point(id))
    {
        painter.circle_stroke(v.screen_from_world(o, p.pos), 11.0 * v.zoom.max(0.5), sel);
    }
    link_overlays(canvas, &screen, painter, theme, hover);
    match &canvas.gesture {
        Gesture::Link {
            anchor, current, ..
        } => {
            link_preview(&screen, painter, theme, *anchor, *current);
        }
        Gesture::DragCards { ids, grab, current } => {
            let d = egui::vec2(current.x - grab.x, current.y - grab.y) * v.zoom;
            for id in ids {
                if let Some(c) = l.card(*id) {
                    // The ghost: the card itself, lifted and see-through, following the pointer.
                    let r = v.screen_rect(o, &c.rect).translate(d);
                    let kind = l
                        .lane(c.lane)
                        .map_or(crate::model::LaneKind::Custom, |l| l.kind);
                    painter.rect_filled(r, 6.0 * v.zoom, c32(theme.card_fill(kind).alpha(200)));
                    if l.style().card_font() * v.zoom >= OVERVIEW_BELOW_PX {
                        for line in &c.lines {
                            let at = v.screen_from_world(o, line.pos) + d;
                            let font = crate::ui::paint::map_font(line.size, v.zoom, line.bold);
                            painter.text(
                                at,
                                egui::Align2::LEFT_TOP,
                                &line.text,
                                font,
                                c32(theme.text.alpha(200)),
                            );
                        }
                    }
                    painter.rect_stroke(
                        r,
                        6.0 * v.zoom,
                        egui::Stroke::new(1.5, c32(theme.selection)),
                        egui::StrokeKind::Inside,
                    );
                }
            }
            if let Some((stage, lane, index)) = drop_target(l, ids, *current)
                && let (Some(cell), Some(y)) = (
                    l.cell_rect(stage, lane),
                    l.drop_marker_y(stage, lane, index, ids),
                )
            {
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
        Gesture::MoveLane { id, grab, current } => {
            if let Some(lane) = l.lane(*id) {
                let r = v
                    .screen_rect(o, &lane.label)
                    .translate(egui::vec2(0.0, (current.y - grab.y) * v.zoom));
                painter.rect_filled(r, 4.0, c32(theme.selection.alpha(60)));
            }
            let y = lane_drop_y(l, *id, current.y);
            let a = v.screen_from_world(o, Pos::new(0.0, y));
            let b = v.screen_from_world(o, Pos::new(l.bounds.max.x, y));
            painter.line_segment([a, b], accent);
        }
        Gesture::NewStage { start_x, current_x } => {
            // The new stage joins the map at its right edge, as wide as the drag.
            let x0 = l.new_stage_band.min.x;
            let width = (current_x - start_x)
                .abs()
                .max(crate::model::MIN_STAGE_WIDTH);
            let r = Rect::from_corners(Pos::new(x0, 0.0), Pos::new(x0 + width, l.bounds.max.y));
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
        Gesture::DragPoint { id, .. } => {
            if let Some(p) = l.emotion.as_ref().and_then(|e| e.point(*id)) {
                let scale = &doc.emotion.scale;
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
            // Points are grabbed within a few pixels, as the gestures take them.
            let near = match (hit, hover) {
                (Hit::Card(_), _) | (_, None) => hit,
                (_, Some(h)) => l.hit(canvas.world_at(l, h), super::gestures::GRAB_PX / v.zoom),
            };
            point_ties(doc, &screen, ui, painter, theme, near);
            if let Hit::Card(id) = hit
                && let Some(c) = l.card(id)
                && !canvas.selection.cards.contains(&id)
            {
                painter.rect_stroke(
                    v.screen_rect(o, &c.rect),
                    6.0 * v.zoom,
                    egui::Stroke::new(1.5, c32(theme.selection.alpha(120))),
                    egui::StrokeKind::Inside,
                );
                let card = doc.card(id);
                let note = card.map_or("", |c| c.note.trim());
                let source = card
                    .and_then(|c| c.evidence.as_ref())
                    .map_or("", |e| e.source.trim());
                let change = change_text(over.look, id);
                let away: Vec<String> = card
                    .map(|c| {
                        c.map_links
                            .iter()
                            .map(crate::model::MapLink::describe)
                            .collect()
                    })
                    .unwrap_or_default();
                let on_mark = c.map_link_mark().is_some_and(|m| {
                    hover.is_some_and(|h| m.expand(2.0).contains(canvas.world_at(l, h)))
                });
                if on_mark {
                    ui.ctx().set_cursor_icon(egui::CursorIcon::PointingHand);
                }
                if c.hidden_lines > 0
                    || !note.is_empty()
                    || !source.is_empty()
                    || !change.is_empty()
                    || !away.is_empty()
                {
                    // A clamped card shows all of its text in a tooltip, with its note and
                    // the source of its evidence; in the compare view, what it was.
                    let mut text = if c.hidden_lines > 0 {
                        c.text.to_string()
                    } else {
                        String::new()
                    };
                    if !change.is_empty() {
                        if !text.is_empty() {
                            text.push_str("\n\n");
                        }
                        text.push_str(&change);
                    }
                    for (label, t) in [("Note: ", note), ("Source: ", source)] {
                        if !t.is_empty() {
                            if !text.is_empty() {
                                text.push_str("\n\n");
                            }
                            text.push_str(label);
                            text.push_str(t);
                        }
                    }
                    if !away.is_empty() {
                        if !text.is_empty() {
                            text.push_str("\n\n");
                        }
                        text.push_str("Other maps (click the mark to open):");
                        for a in &away {
                            text.push_str("\n\u{2197} ");
                            text.push_str(a);
                        }
                    }
                    pointer_tooltip(ui, ("card-tooltip", id.0), text);
                }
            }
        }
    }
}

/// In the compare view, what happened to a card since the other version: new, gone, or
/// each changed field's old value.
fn change_text(look: &crate::render::Look, id: crate::model::CardId) -> String {
    use crate::compare::view::Mark;
    let since = look.changes.as_ref().map_or("", |m| m.other.as_str());
    match look.change_of(id) {
        None => String::new(),
        Some(Mark::Added) => format!("New since {since}"),
        Some(Mark::Removed) => format!("Removed since {since}"),
        Some(Mark::Changed(fields)) => {
            use std::fmt::Write as _;
            let mut t = format!("Changed since {since}:");
            for (f, old) in fields {
                let _ = write!(t, "\n{f} was {old}");
            }
            t
        }
    }
}

/// A tooltip at the pointer, over the canvas, for what is hovered there.
fn pointer_tooltip(ui: &Ui, key: (&str, u64), text: String) {
    egui::Tooltip::always_open(
        ui.ctx().clone(),
        ui.layer_id(),
        egui::Id::unique(key),
        egui::PopupAnchor::Pointer,
    )
    .show(|ui| {
        ui.set_max_width(420.0);
        ui.label(text);
    });
}

/// A point given for a card (a Mermaid task's score) and its card, shown together: hovering
/// the point outlines the card, joins them with a thin line and names the card; hovering the
/// card rings its point.
fn point_ties(
    doc: &crate::model::Document,
    screen: &Screen<'_>,
    ui: &Ui,
    painter: &egui::Painter,
    theme: &Theme,
    hit: Hit,
) {
    let (o, v, l) = (screen.origin, screen.view, screen.layout);
    let Some(e) = &l.emotion else {
        return;
    };
    let stroke = egui::Stroke::new(1.5, c32(theme.selection.alpha(160)));
    match hit {
        Hit::Point(pid) => {
            let Some(card) = doc.point(pid).and_then(|p| p.card) else {
                return;
            };
            let (Some(c), Some(pb)) = (
                l.card(card),
                e.curves
                    .iter()
                    .flat_map(|c| &c.points)
                    .find(|p| p.id == pid),
            ) else {
                return;
            };
            let r = v.screen_rect(o, &c.rect);
            let at = v.screen_from_world(o, pb.pos);
            painter.rect_stroke(r, 6.0 * v.zoom, stroke, egui::StrokeKind::Outside);
            // To the card's near edge (its lane may be above or below the emotion lane).
            let y = if at.y > r.bottom() {
                r.bottom()
            } else {
                r.top()
            };
            let edge = egui::pos2(at.x.clamp(r.left(), r.right()), y);
            painter.line_segment([at, edge], stroke);
            pointer_tooltip(
                ui,
                ("point-tie", pid.0),
                format!("Given for \u{201c}{}\u{201d}", c.text),
            );
        }
        Hit::Card(id) => {
            for p in e.curves.iter().flat_map(|c| &c.points) {
                if doc.point(p.id).and_then(|p| p.card) == Some(id) {
                    let at = v.screen_from_world(o, p.pos);
                    painter.circle_stroke(at, 11.0, stroke);
                }
            }
        }
        _ => {}
    }
}

/// What a merge left to settle: a magenta ring around each card and stage header with a
/// conflict, and a "!" on its top left corner (the merge-conflicts window lists them).
fn conflict_overlays(
    doc: &crate::model::Document,
    screen: &Screen<'_>,
    painter: &egui::Painter,
    theme: &Theme,
) {
    if doc.conflicts.is_empty() {
        return;
    }
    let (o, v, l) = (screen.origin, screen.view, screen.layout);
    let mut marked: Vec<egui::Rect> = Vec::new();
    for c in &doc.conflicts {
        let world = match c.kind.as_str() {
            "card" => l.card(crate::model::CardId(c.id)).map(|k| k.rect),
            "stage" => l.stage(crate::model::StageId(c.id)).map(|s| s.header),
            "lane" => l.lane(crate::model::LaneId(c.id)).map(|r| r.label),
            _ => None,
        };
        if let Some(w) = world {
            let r = v.screen_rect(o, &w);
            if !marked.contains(&r) {
                marked.push(r);
            }
        }
    }
    let colour = c32(theme.conflict);
    let ring = egui::Stroke::new(3.0, colour);
    for r in marked {
        painter.rect_stroke(r.expand(3.0), 7.0 * v.zoom, ring, egui::StrokeKind::Outside);
        let centre = r.left_top() + egui::vec2(2.0, 2.0);
        painter.circle_filled(centre, 9.0, colour);
        painter.text(
            centre,
            egui::Align2::CENTER_CENTER,
            "!",
            egui::FontId::proportional(13.0),
            c32(theme.background),
        );
    }
}

/// Other people in a live workshop: the cards each has selected, outlined in their colour,
/// with their name on the first (and "typing" on the card they type in).
fn presence_overlays(
    workshop: Option<&crate::ui::workshop::Workshop>,
    screen: &Screen<'_>,
    painter: &egui::Painter,
    theme: &Theme,
) {
    let Some(w) = workshop else {
        return;
    };
    let (o, v, l) = (screen.origin, screen.view, screen.layout);
    // An open dot-voting round: each card's dots in a badge on its top right corner.
    for (&id, n) in w.vote_counts().into_iter().flatten() {
        let Some(c) = l.card(crate::model::CardId(id)) else {
            continue;
        };
        let r = v.screen_rect(o, &c.rect);
        let galley = painter.layout_no_wrap(
            n.to_string(),
            egui::FontId::proportional(13.0),
            c32(theme.background),
        );
        let radius = (galley.size().x / 2.0 + 6.0).max(10.0);
        let centre = r.right_top() + egui::vec2(-2.0, 2.0);
        painter.circle_filled(centre, radius, c32(theme.accent));
        painter.galley(centre - galley.size() / 2.0, galley, c32(theme.accent));
    }
    for p in w.others() {
        let colour = c32(theme.hue(presence_hue(p.peer)).accent);
        let mut named = false;
        let typing = p.typing.into_iter().filter(|t| !p.cards.contains(t));
        for id in p.cards.iter().copied().chain(typing) {
            let Some(c) = l.card(crate::model::CardId(id)) else {
                continue;
            };
            let r = v.screen_rect(o, &c.rect).expand(4.0);
            painter.rect_stroke(
                r,
                8.0 * v.zoom,
                egui::Stroke::new(2.0, colour),
                egui::StrokeKind::Outside,
            );
            if !named || p.typing == Some(id) {
                named = true;
                let label = if p.typing == Some(id) {
                    format!("{} is typing", p.name)
                } else {
                    p.name.clone()
                };
                let galley = painter.layout_no_wrap(
                    label,
                    egui::FontId::proportional(12.0),
                    c32(theme.background),
                );
                let tag = egui::Rect::from_min_size(
                    r.left_top() - egui::vec2(0.0, galley.size().y + 4.0),
                    galley.size() + egui::vec2(8.0, 4.0),
                );
                painter.rect_filled(tag, 3.0, colour);
                painter.galley(tag.min + egui::vec2(4.0, 2.0), galley, colour);
            }
        }
    }
}

/// Where the map is on screen: the canvas's top-left, the view and the laid-out map (what
/// the overlays need of the app, and no more).
pub(crate) struct Screen<'a> {
    pub origin: egui::Pos2,
    pub view: &'a crate::ui::Viewport,
    pub layout: &'a crate::layout::Layout,
}

impl<'a> Screen<'a> {
    /// The canvas's map on screen.
    pub(crate) fn new(canvas: &'a Canvas, layout: &'a crate::layout::Layout) -> Self {
        Self {
            origin: canvas.rect.min,
            view: &canvas.view,
            layout,
        }
    }

    /// A polyline of world points on the screen.
    fn line(&self, pts: &[Pos]) -> Vec<egui::Pos2> {
        pts.iter()
            .map(|p| self.view.screen_from_world(self.origin, *p))
            .collect()
    }
}

/// The selected link; the links of the selected card with the cards at their other ends
/// outlined (a pain point's causes stand out); the link handles.
fn link_overlays(
    canvas: &Canvas,
    screen: &Screen<'_>,
    painter: &egui::Painter,
    theme: &Theme,
    hover: Option<egui::Pos2>,
) {
    let o = screen.origin;
    let v = screen.view;
    let l = screen.layout;
    let sel = &canvas.selection;
    if let Some(link) = sel.link.and_then(|id| l.link(id)) {
        painter.add(egui::Shape::line(
            screen.line(&link.route),
            egui::Stroke::new(5.0, c32(theme.selection.alpha(150))),
        ));
    }
    if sel.cards.len() == 1
        && let Some(card) = sel.cards.first().copied()
        && canvas.gesture == Gesture::None
    {
        for link in l.links.iter().filter(|x| x.from == card || x.to == card) {
            let color = crate::render::link_color(link.kind, theme);
            painter.add(egui::Shape::line(
                screen.line(&link.route),
                egui::Stroke::new(4.0, c32(color)),
            ));
            let other = if link.from == card {
                link.to
            } else {
                link.from
            };
            if let Some(c) = l.card(other) {
                let r = v.screen_rect(o, &c.rect).expand(3.0);
                painter.rect_stroke(
                    r,
                    7.0 * v.zoom,
                    egui::Stroke::new(3.0, c32(color)),
                    egui::StrokeKind::Outside,
                );
                let tag = match (link.kind, link.from == card) {
                    (crate::model::LinkKind::Causes, true) => "Cause",
                    (crate::model::LinkKind::Causes, false) => "Effect",
                    (crate::model::LinkKind::LeadsTo, true) => "Leads here",
                    (crate::model::LinkKind::LeadsTo, false) => "Leads from here",
                    (crate::model::LinkKind::RelatesTo, _) => "Related",
                };
                let galley = painter.layout_no_wrap(
                    tag.to_owned(),
                    egui::FontId::proportional(12.0),
                    c32(theme.background),
                );
                let at = r.left_top() + egui::vec2(6.0, -galley.size().y - 2.0);
                let bg = egui::Rect::from_min_size(at, galley.size()).expand2(egui::vec2(4.0, 1.0));
                painter.rect_filled(bg, 3.0, c32(color));
                painter.galley(at, galley, c32(theme.background));
            }
        }
    }
    // "Link to…": the card under the pointer is the target.
    if let (Some(from), Some(h)) = (canvas.linking, hover) {
        let w = canvas.world_at(l, h);
        link_preview(screen, painter, theme, from, w);
    }
    for (handle, w) in super::gestures::link_handles(canvas, l, hover) {
        let c = v.screen_from_world(o, w);
        let near = hover.is_some_and(|h| h.distance(c) <= super::gestures::HANDLE_PX + 2.0);
        let r = super::gestures::HANDLE_PX + if near { 2.0 } else { 0.0 };
        let fill = match handle {
            super::gestures::LinkHandle::Card(_) => theme.selection,
            super::gestures::LinkHandle::End(..) => theme.accent,
        };
        painter.circle(
            c,
            r,
            c32(fill),
            egui::Stroke::new(2.0, c32(theme.background)),
        );
        if matches!(handle, super::gestures::LinkHandle::Card(_)) {
            // An arrow: drag out a link.
            let s = egui::Stroke::new(1.6, c32(theme.background));
            painter.line_segment(
                [c - egui::vec2(r * 0.45, 0.0), c + egui::vec2(r * 0.45, 0.0)],
                s,
            );
            painter.line_segment(
                [c + egui::vec2(r * 0.45, 0.0), c + egui::vec2(0.0, -r * 0.4)],
                s,
            );
            painter.line_segment(
                [c + egui::vec2(r * 0.45, 0.0), c + egui::vec2(0.0, r * 0.4)],
                s,
            );
        }
    }
}

/// A link being drawn: a line from the anchor card to the pointer, the target outlined.
fn link_preview(
    screen: &Screen<'_>,
    painter: &egui::Painter,
    theme: &Theme,
    anchor: crate::model::CardId,
    at: Pos,
) {
    let (o, v, l) = (screen.origin, screen.view, screen.layout);
    let Some(start) = super::gestures::card_handle(l, anchor) else {
        return;
    };
    let a = v.screen_from_world(o, start);
    let b = v.screen_from_world(o, at);
    let stroke = egui::Stroke::new(2.5, c32(theme.accent));
    painter.line_segment([a, b], stroke);
    let d = (b - a).normalized();
    if d.is_finite() && (b - a).length() > 12.0 {
        let n = egui::vec2(-d.y, d.x);
        painter.add(egui::Shape::convex_polygon(
            vec![b, b - d * 12.0 + n * 6.0, b - d * 12.0 - n * 6.0],
            c32(theme.accent),
            egui::Stroke::NONE,
        ));
    }
    if let Some(c) = super::gestures::link_target(l, anchor, at).and_then(|id| l.card(id)) {
        painter.rect_stroke(
            v.screen_rect(o, &c.rect).expand(3.0),
            7.0 * v.zoom,
            egui::Stroke::new(3.0, c32(theme.accent)),
            egui::StrokeKind::Outside,
        );
    }
}

/// The selected cell, and the add slot of the cell under the pointer or selected.
fn cell_overlays(
    canvas: &super::Canvas,
    screen: &Screen<'_>,
    painter: &egui::Painter,
    theme: &Theme,
    hit: Hit,
) {
    let (o, v, l) = (screen.origin, screen.view, screen.layout);
    if let Some((s, ln)) = canvas.selection.cell
        && let Some(r) = l.cell_rect(s, ln)
    {
        let r = v.screen_rect(o, &r);
        painter.rect_filled(r, 0.0, c32(theme.selection.alpha(18)));
        painter.rect_stroke(
            r,
            0.0,
            egui::Stroke::new(2.0, c32(theme.selection)),
            egui::StrokeKind::Inside,
        );
    }
    if canvas.editing.is_some() || canvas.gesture != Gesture::None {
        return;
    }
    let hovered = match hit {
        Hit::Cell { stage, lane, .. } | Hit::AddSlot { stage, lane } => Some((stage, lane)),
        Hit::Card(id) => l.card(id).map(|c| (c.stage, c.lane)),
        _ => None,
    };
    for cell in hovered.into_iter().chain(canvas.selection.cell) {
        let Some(slot) = l.add_slot(cell.0, cell.1) else {
            continue;
        };
        let r = v.screen_rect(o, &slot);
        let on = matches!(hit, Hit::AddSlot { stage, lane } if (stage, lane) == cell);
        let color = if on { theme.selection } else { theme.hint };
        painter.rect_stroke(
            r,
            5.0 * v.zoom,
            egui::Stroke::new(if on { 1.5 } else { 1.0 }, c32(color)),
            egui::StrokeKind::Inside,
        );
        let size = (13.0 * v.zoom).clamp(9.0, 20.0);
        if r.height() > size {
            painter.text(
                r.center(),
                egui::Align2::CENTER_CENTER,
                "+ Add card (or just type)",
                egui::FontId::proportional(size),
                c32(color),
            );
        }
    }
}

/// The colour a participant shows in, on every canvas and in the workshop window.
#[must_use]
pub(crate) fn presence_hue(peer: u64) -> crate::model::Hue {
    crate::model::Hue::ALL[(peer % crate::model::Hue::ALL.len() as u64) as usize]
}
