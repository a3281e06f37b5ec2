//! Paints the display list with egui: text laid out at the zoomed size (sharp at every zoom),
//! items outside the view skipped, and text too small to read drawn as grey bars.

use egui::{Color32, FontFamily, FontId, Painter, Shape};

use super::view::Viewport;
use super::{MAP_FONT, MAP_FONT_BOLD};
use crate::layout::LINE_HEIGHT;
use crate::render::{Element, Item, Part, Stroke};
use crate::theme::Color;

/// Below this on-screen font size text is drawn as bars.
const GREEK_BELOW_PX: f32 = 4.5;

/// The egui colour of a theme colour.
#[must_use]
pub fn c32(c: Color) -> Color32 {
    c.to_egui()
}

fn stroke(s: Stroke, zoom: f32) -> egui::Stroke {
    egui::Stroke::new((s.width * zoom).max(0.5), c32(s.color))
}

/// The font for map text of `size` world units at `zoom`, quantised to half points so the
/// glyph atlas does not fill up with every intermediate size while zooming.
#[must_use]
pub fn map_font(size: f32, zoom: f32, bold: bool) -> FontId {
    let px = ((size * zoom) * 2.0).round() / 2.0;
    FontId::new(
        px.max(1.0),
        FontFamily::Name(if bold { MAP_FONT_BOLD } else { MAP_FONT }.into()),
    )
}

/// Paints every item of `parts` that is inside the painter's clip rectangle (`origin`: the
/// canvas's top-left, shifted for frozen parts).
pub fn paint_parts<'a>(
    painter: &Painter,
    parts: impl Iterator<Item = &'a Part>,
    view: &Viewport,
    origin: egui::Pos2,
) {
    let clip = painter.clip_rect();
    let z = view.zoom;
    let to = |p: crate::geom::Pos| view.screen_from_world(origin, p);
    let mut shapes = Vec::new();
    let visible = parts.filter(|p| view.screen_rect(origin, &p.bounds).intersects(clip));
    for (bounds, item) in visible.flat_map(|p| p.items.iter()) {
        let r = view.screen_rect(origin, bounds);
        if !r.intersects(clip) {
            continue;
        }
        match item {
            Item::Rect {
                rect,
                radius,
                fill,
                stroke: s,
            } => {
                let rect = view.screen_rect(origin, rect);
                let small = rect.height() < 4.0;
                let radius = if small { 0.0 } else { radius * z };
                shapes.push(Shape::rect_filled(rect, radius, c32(*fill)));
                if let Some(s) = s
                    && !small
                {
                    shapes.push(Shape::rect_stroke(
                        rect,
                        radius,
                        stroke(*s, z),
                        egui::StrokeKind::Inside,
                    ));
                }
            }
            Item::Line { points, stroke: s } => {
                shapes.push(Shape::line(
                    points.iter().map(|p| to(*p)).collect(),
                    stroke(*s, z),
                ));
            }
            Item::Area {
                points,
                level,
                fill,
            } => {
                let mut m = egui::Mesh::default();
                add_area(&mut m, points, *level, c32(*fill), to);
                shapes.push(Shape::mesh(m));
            }
            Item::Polygon { points, fill } => {
                shapes.push(Shape::convex_polygon(
                    points.iter().map(|p| to(*p)).collect(),
                    c32(*fill),
                    egui::Stroke::NONE,
                ));
            }
            Item::Circle {
                center,
                radius,
                fill,
                stroke: s,
            } => {
                let st = s.map_or(egui::Stroke::NONE, |s| stroke(s, z));
                shapes.push(Shape::circle_filled(to(*center), radius * z, c32(*fill)));
                if st.width > 0.0 {
                    shapes.push(Shape::circle_stroke(to(*center), radius * z, st));
                }
            }
            Item::Text {
                pos,
                text,
                size,
                bold,
                color,
                width,
            } => {
                let px = size * z;
                let top = to(*pos);
                if px < GREEK_BELOW_PX {
                    let h = (px * 0.6).max(0.5);
                    let bar = egui::Rect::from_min_size(
                        top + egui::vec2(0.0, px * 0.35),
                        egui::vec2(width * z, h),
                    );
                    shapes.push(Shape::rect_filled(bar, 0.0, c32(color.alpha(110))));
                    continue;
                }
                let galley = painter.layout_no_wrap(
                    text.to_string(),
                    map_font(*size, z, *bold),
                    c32(*color),
                );
                let dy = (size * LINE_HEIGHT * z - galley.size().y) / 2.0;
                shapes.push(Shape::galley(
                    top + egui::vec2(0.0, dy),
                    galley,
                    c32(*color),
                ));
            }
        }
    }
    painter.extend(shapes);
}

/// On-screen size of card text below which the canvas switches to the overview drawing.
pub const OVERVIEW_BELOW_PX: f32 = GREEK_BELOW_PX;

/// On-screen size of card text below which text is left out of the overview altogether
/// (a line would be under a pixel and a half tall).
pub const FAR_BELOW_PX: f32 = 1.5;

/// Side of the square tiles the overview's cards are grouped in, in world units.
const TILE: f32 = 1024.0;

/// The whole map as meshes in world units, drawn simply: square corners, no outlines, text
/// as bars (or none). Built once per revision and only moved and scaled per frame, so a
/// zoomed-out view of ten thousand cards costs a copy, not a tessellation; the cards are in
/// tiles so only the tiles in view are copied.
pub struct Overview {
    /// Backgrounds, labels, grid and the emotion curve.
    base: egui::Mesh,
    /// Cards, by tile: the tile's bounds and its mesh.
    tiles: Vec<(egui::Rect, egui::Mesh)>,
}

fn add_item(m: &mut egui::Mesh, item: &Item, with_text: bool) {
    let p = |q: crate::geom::Pos| egui::pos2(q.x, q.y);
    let fan = |m: &mut egui::Mesh, pts: &[egui::Pos2], color: Color32| {
        let base = m.vertices.len() as u32;
        for q in pts {
            m.colored_vertex(*q, color);
        }
        for i in 1..pts.len().saturating_sub(1) as u32 {
            m.add_triangle(base, base + i, base + i + 1);
        }
    };
    match item {
        Item::Rect { rect, fill, .. } => m.add_colored_rect(
            egui::Rect::from_min_max(p(rect.min), p(rect.max)),
            c32(*fill),
        ),
        Item::Line { points, stroke: s } => {
            let color = c32(s.color);
            let half = s.width / 2.0;
            for w in points.windows(2) {
                let (a, b) = (p(w[0]), p(w[1]));
                let n = (b - a).normalized().rot90() * half;
                fan(m, &[a + n, b + n, b - n, a - n], color);
            }
        }
        Item::Area {
            points,
            level,
            fill,
        } => add_area(m, points, *level, c32(*fill), p),
        Item::Polygon { points, fill } => fan(
            m,
            &points.iter().map(|q| p(*q)).collect::<Vec<_>>(),
            c32(*fill),
        ),
        Item::Circle {
            center,
            radius,
            fill,
            ..
        } => {
            let c = p(*center);
            let pts: Vec<egui::Pos2> = (0..12)
                .map(|i| {
                    let a = i as f32 * std::f32::consts::TAU / 12.0;
                    c + egui::vec2(a.cos(), a.sin()) * *radius
                })
                .collect();
            fan(m, &pts, c32(*fill));
        }
        Item::Text { .. } if !with_text => {}
        Item::Text {
            pos,
            size,
            width,
            color,
            ..
        } => {
            let bar = egui::Rect::from_min_size(
                p(*pos) + egui::vec2(0.0, size * 0.35),
                egui::vec2(*width, size * 0.6),
            );
            m.add_colored_rect(bar, c32(color.alpha(110)));
        }
    }
}

/// Builds the overview of the parts of a display list.
#[must_use]
pub fn overview_mesh<'a>(parts: impl Iterator<Item = &'a Part>, with_text: bool) -> Overview {
    let mut base = egui::Mesh::default();
    // Each card goes to the tile of its top-left corner.
    let mut tiles: std::collections::BTreeMap<(i32, i32), (egui::Rect, egui::Mesh)> =
        std::collections::BTreeMap::new();
    for part in parts {
        if !matches!(part.element, Element::Card(_)) {
            for (_, item) in &part.items {
                add_item(&mut base, item, with_text);
            }
            continue;
        }
        let b = part.bounds;
        let key = (
            (b.min.x / TILE).floor() as i32,
            (b.min.y / TILE).floor() as i32,
        );
        let b =
            egui::Rect::from_min_max(egui::pos2(b.min.x, b.min.y), egui::pos2(b.max.x, b.max.y));
        let tile = tiles
            .entry(key)
            .or_insert_with(|| (b, egui::Mesh::default()));
        tile.0 = tile.0.union(b);
        for (_, item) in &part.items {
            add_item(&mut tile.1, item, with_text);
        }
    }
    Overview {
        base,
        tiles: tiles.into_values().collect(),
    }
}

/// Paints the overview at the current pan and zoom: the base and the tiles in view.
pub fn paint_overview(painter: &Painter, overview: &Overview, view: &Viewport, origin: egui::Pos2) {
    let t = origin.to_vec2() + view.offset;
    let z = view.zoom;
    let clip = painter.clip_rect();
    let world_clip = egui::Rect::from_min_max(
        egui::pos2((clip.min.x - t.x) / z, (clip.min.y - t.y) / z),
        egui::pos2((clip.max.x - t.x) / z, (clip.max.y - t.y) / z),
    );
    let place = |mesh: &egui::Mesh| {
        let mut m = mesh.clone();
        for v in &mut m.vertices {
            v.pos = egui::pos2(t.x + v.pos.x * z, t.y + v.pos.y * z);
        }
        Shape::mesh(m)
    };
    painter.add(place(&overview.base));
    for (bounds, mesh) in &overview.tiles {
        if bounds.intersects(world_clip) {
            painter.add(place(mesh));
        }
    }
}

/// An area between a left-to-right polyline and a level as one triangle strip (shared
/// vertices: no seams between its slices).
fn add_area(
    m: &mut egui::Mesh,
    points: &[crate::geom::Pos],
    level: f32,
    color: Color32,
    to: impl Fn(crate::geom::Pos) -> egui::Pos2,
) {
    let base = m.vertices.len() as u32;
    for q in points {
        m.colored_vertex(to(*q), color);
        m.colored_vertex(to(crate::geom::Pos::new(q.x, level)), color);
    }
    for i in 0..points.len().saturating_sub(1) as u32 {
        let (a, b) = (base + 2 * i, base + 2 * i + 2);
        m.add_triangle(a, a + 1, b);
        m.add_triangle(b, a + 1, b + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{FontMeasure, TextCache, layout};
    use crate::model::synthetic_map;
    use crate::render::scene;
    use crate::theme::{Theme, ThemeKind};

    #[test]
    fn overview_tiles_hold_every_card_once() {
        let doc = synthetic_map(20, 800, 5);
        let l = layout(&doc, FontMeasure::shared(), &mut TextCache::default());
        let dl = scene(&doc, &l, &Theme::get(ThemeKind::Light));
        let o = overview_mesh(dl.parts.iter(), false);
        assert!(o.tiles.len() > 4, "a map this size spans several tiles");
        // Without text each card is one rectangle (4 vertices) plus a badge for moments of truth.
        let stars = doc.cards.iter().filter(|c| c.moment_of_truth).count();
        let verts: usize = o.tiles.iter().map(|(_, m)| m.vertices.len()).sum();
        assert_eq!(verts, 4 * doc.cards.len() + 5 * stars);
        for c in &l.cards {
            let r = egui::Rect::from_min_max(
                egui::pos2(c.rect.min.x, c.rect.min.y),
                egui::pos2(c.rect.max.x, c.rect.max.y),
            );
            assert!(
                o.tiles.iter().any(|(b, _)| b.contains_rect(r)),
                "card {:?} is in no tile",
                c.id
            );
        }
    }
}
