//! Paints the display list with egui, through the same [`render::Painter`] primitives as the
//! exporters: text laid out at the zoomed size (sharp at every zoom), items outside the view
//! skipped, text too small to read drawn as grey bars, and the zoomed-out overview as meshes
//! built once per change.
//!
//! [`render::Painter`]: crate::render::Painter

use egui::{Color32, FontFamily, FontId, Painter, Shape};

use super::view::Viewport;
use super::{MAP_FONT, MAP_FONT_BOLD};
use crate::geom::{Pos, Rect};
use crate::layout::LINE_HEIGHT;
use crate::render::{Element, Part, Seg, Stroke, Triangles, fill_triangles, flatten, paint_item};
use crate::theme::Color;

/// Below this on-screen font size text is drawn as bars.
const GREEK_BELOW_PX: f32 = 4.5;
/// How far a curve drawn on the canvas may stray from the true one, in screen points.
const CURVE_TOLERANCE_PX: f32 = 0.25;
/// The same for the zoomed-out overview, in map units (a corner is a few pixels there).
const OVERVIEW_TOLERANCE: f32 = 1.0;

/// The egui colour of a theme colour.
#[must_use]
pub fn c32(c: Color) -> Color32 {
    c.to_egui()
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

/// Adds a convex polygon to a mesh (a fan from its first corner).
fn fill_convex(m: &mut egui::Mesh, pts: &[egui::Pos2], color: Color32) {
    let base = m.vertices.len() as u32;
    for q in pts {
        m.colored_vertex(*q, color);
    }
    for k in 1..pts.len().saturating_sub(1) as u32 {
        m.add_triangle(base, base + k, base + k + 1);
    }
}

/// Adds a filled path's triangles to a mesh, each corner placed by `to`.
fn add_triangles(
    m: &mut egui::Mesh,
    t: &Triangles,
    to: impl Fn(Pos) -> egui::Pos2,
    color: Color32,
) {
    let base = m.vertices.len() as u32;
    for v in &t.vertices {
        m.colored_vertex(to(*v), color);
    }
    for [a, b, c] in &t.indices {
        m.add_triangle(base + a, base + b, base + c);
    }
}

/// Adds the area between two polylines with the same x's as one triangle strip (shared
/// vertices: no seams between its slices).
fn add_strip(m: &mut egui::Mesh, upper: &[egui::Pos2], lower: &[egui::Pos2], color: Color32) {
    let base = m.vertices.len() as u32;
    for (u, l) in upper.iter().zip(lower) {
        m.colored_vertex(*u, color);
        m.colored_vertex(*l, color);
    }
    for i in 0..upper.len().min(lower.len()).saturating_sub(1) as u32 {
        let (a, b) = (base + 2 * i, base + 2 * i + 2);
        m.add_triangle(a, a + 1, b);
        m.add_triangle(b, a + 1, b + 1);
    }
}

/// Adds a polyline as quads (for meshes, where there are no stroked shapes).
fn add_line(m: &mut egui::Mesh, pts: &[egui::Pos2], width: f32, color: Color32) {
    let half = width / 2.0;
    for w in pts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let n = (b - a).normalized().rot90() * half;
        fill_convex(m, &[a + n, b + n, b - n, a - n], color);
    }
}

/// The sharp canvas: display-list primitives as egui shapes, transformed to the screen.
struct Sharp<'a> {
    painter: &'a Painter,
    view: &'a Viewport,
    origin: egui::Pos2,
    clip: egui::Rect,
    shapes: Vec<Shape>,
}

/// Whether most of a polyline's length runs horizontally or vertically.
fn mostly_straight(line: &[egui::Pos2]) -> bool {
    let (mut straight, mut all) = (0.0, 0.0);
    for w in line.windows(2) {
        let d = w[1] - w[0];
        let len = d.length();
        all += len;
        if d.x.abs() < 0.01 || d.y.abs() < 0.01 {
            straight += len;
        }
    }
    straight >= 0.8 * all
}

/// Dashes along a polyline as quads in one mesh. The pattern's phase carries over corners;
/// every step advances by at least a thousandth of a point, so rounding can never stall it.
fn dashes_into(m: &mut egui::Mesh, line: &[egui::Pos2], st: egui::Stroke, dash: f32, gap: f32) {
    const MIN_STEP: f32 = 1e-3;
    let color = st.color;
    let half = st.width / 2.0;
    let (dash, gap) = (dash.max(0.1), gap.max(0.1));
    let period = dash + gap;
    let mut phase = 0.0_f32;
    for w in line.windows(2) {
        let (a, b) = (w[0], w[1]);
        let len = (b - a).length();
        if !len.is_finite() || len <= MIN_STEP {
            continue;
        }
        let dir = (b - a) / len;
        let n = dir.rot90() * half;
        let mut t = 0.0_f32;
        while len - t > MIN_STEP {
            let on = phase < dash;
            let left = if on { dash - phase } else { period - phase };
            let step = left.max(MIN_STEP).min(len - t);
            if on {
                let p = a + dir * t;
                let q = a + dir * (t + step);
                let base = m.vertices.len() as u32;
                for v in [p + n, q + n, q - n, p - n] {
                    m.colored_vertex(v, color);
                }
                m.add_triangle(base, base + 1, base + 2);
                m.add_triangle(base, base + 2, base + 3);
            }
            t += step;
            phase += step;
            if phase >= period - MIN_STEP {
                phase = 0.0;
            }
        }
    }
}

/// The stretches of a polyline whose segments touch `clip` (whole, when all of it does).
fn visible_runs(line: &[egui::Pos2], clip: egui::Rect) -> Vec<&[egui::Pos2]> {
    let mut runs = Vec::new();
    let mut start: Option<usize> = None;
    for i in 0..line.len().saturating_sub(1) {
        let seg = egui::Rect::from_two_pos(line[i], line[i + 1]);
        if seg.intersects(clip) {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            runs.push(&line[s..=i]);
        }
    }
    if let Some(s) = start {
        runs.push(&line[s..]);
    }
    runs
}

impl Sharp<'_> {
    fn to(&self, p: Pos) -> egui::Pos2 {
        self.view.screen_from_world(self.origin, p)
    }

    fn stroke(&self, s: Stroke) -> egui::Stroke {
        egui::Stroke::new((s.width * self.view.zoom).max(0.5), c32(s.color))
    }
}

impl crate::render::Painter for Sharp<'_> {
    fn rect(&mut self, rect: Rect, radius: f32, fill: Option<Color>, stroke: Option<Stroke>) {
        let r = self.view.screen_rect(self.origin, &rect);
        let small = r.height() < 4.0;
        let radius = if small { 0.0 } else { radius * self.view.zoom };
        if let Some(c) = fill {
            self.shapes.push(Shape::rect_filled(r, radius, c32(c)));
        }
        if let Some(s) = stroke
            && !small
        {
            let st = self.stroke(s);
            self.shapes
                .push(Shape::rect_stroke(r, radius, st, egui::StrokeKind::Inside));
        }
    }

    fn path(&mut self, segs: &[Seg], fill: Option<Color>, stroke: Option<Stroke>) {
        // Curves within a quarter of a screen point of the true ones at this zoom.
        let z = self.view.zoom;
        let tolerance = CURVE_TOLERANCE_PX / z.max(1e-3);
        // The whole path fills as one (holes, non-zero winding), as SVG and PNG fill it.
        if let Some(c) = fill {
            let mut m = egui::Mesh::default();
            add_triangles(
                &mut m,
                &fill_triangles(segs, tolerance),
                |p| self.to(p),
                c32(c),
            );
            self.shapes.push(Shape::mesh(m));
        }
        let Some(s) = stroke else {
            return;
        };
        let st = self.stroke(s);
        for (pts, closed) in flatten(segs, tolerance) {
            let mut line: Vec<egui::Pos2> = pts.iter().map(|p| self.to(*p)).collect();
            if closed && let Some(first) = line.first().copied() {
                line.push(first);
            }
            // Only the runs on screen are drawn (a link across the map is mostly off it).
            for run in visible_runs(&line, self.clip.expand(st.width + 2.0)) {
                match s.dash {
                    Some([dash, gap]) if mostly_straight(run) => {
                        // A link's runs are horizontal and vertical: its dashes are
                        // rectangles in one mesh (egui makes a shape of every dash).
                        let mut m = egui::Mesh::default();
                        dashes_into(&mut m, run, st, (dash * z).max(1.0), (gap * z).max(1.0));
                        self.shapes.push(Shape::mesh(m));
                    }
                    Some([dash, gap]) => {
                        self.shapes.extend(Shape::dashed_line(
                            run,
                            st,
                            (dash * z).max(1.0),
                            (gap * z).max(1.0),
                        ));
                    }
                    None => self.shapes.push(Shape::line(run.to_vec(), st)),
                }
            }
        }
    }

    fn strip(&mut self, upper: &[Pos], lower: &[Pos], fill: Color) {
        let u: Vec<egui::Pos2> = upper.iter().map(|p| self.to(*p)).collect();
        let l: Vec<egui::Pos2> = lower.iter().map(|p| self.to(*p)).collect();
        let mut m = egui::Mesh::default();
        add_strip(&mut m, &u, &l, c32(fill));
        self.shapes.push(Shape::mesh(m));
    }

    fn circle(&mut self, center: Pos, radius: f32, fill: Color, stroke: Option<Stroke>) {
        let c = self.to(center);
        let r = radius * self.view.zoom;
        self.shapes.push(Shape::circle_filled(c, r, c32(fill)));
        if let Some(s) = stroke {
            let st = self.stroke(s);
            self.shapes.push(Shape::circle_stroke(c, r, st));
        }
    }

    fn text(&mut self, pos: Pos, text: &str, size: f32, bold: bool, color: Color, width: f32) {
        let z = self.view.zoom;
        let px = size * z;
        let top = self.to(pos);
        if px < GREEK_BELOW_PX {
            let h = (px * 0.6).max(0.5);
            let bar = egui::Rect::from_min_size(
                top + egui::vec2(0.0, px * 0.35),
                egui::vec2(width * z, h),
            );
            self.shapes
                .push(Shape::rect_filled(bar, 0.0, c32(color.alpha(110))));
            return;
        }
        if crate::layout::shape::needs_shaping(text)
            && let Some((tex, w, h)) = shaped_texture(self.painter.ctx(), text, size * z, bold)
        {
            // Drawn from the same shaped outlines as the exports, at the screen's pixels.
            let rect = egui::Rect::from_min_size(top, egui::vec2(w, h));
            let uv = egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0));
            self.shapes
                .push(Shape::image(tex.id(), rect, uv, c32(color)));
            return;
        }
        let galley =
            self.painter
                .layout_no_wrap(text.to_string(), map_font(size, z, bold), c32(color));
        let dy = (size * LINE_HEIGHT * z - galley.size().y) / 2.0;
        self.shapes
            .push(Shape::galley(top + egui::vec2(0.0, dy), galley, c32(color)));
    }
}

/// Lines shaped on screen, as textures: by text, size step and weight; with their size in
/// points at the step's size.
type ShapedCache = std::collections::HashMap<(String, i32, bool), (egui::TextureHandle, f32, f32)>;

/// A line that needs shaping (right-to-left, joined or clustered scripts) as a white texture
/// to tint, rendered at the screen's pixels for about `px` points of text; its size in points
/// at `px`.
fn shaped_texture(
    ctx: &egui::Context,
    text: &str,
    px: f32,
    bold: bool,
) -> Option<(egui::TextureHandle, f32, f32)> {
    let id = egui::Id::unique("shaped text textures");
    // Rendered at sizes an eighth of an octave apart (9 %) and scaled to the exact size, so
    // zooming reuses textures instead of rendering every line again every frame.
    let step = (px.max(0.5).log2() * 8.0).round();
    let rendered = (step / 8.0).exp2();
    let k = px / rendered;
    let key = (text.to_owned(), step as i32, bold);
    let scaled = |(t, w, h): (egui::TextureHandle, f32, f32)| (t, w * k, h * k);
    if let Some(hit) = ctx.data(|d| {
        d.get_temp::<ShapedCache>(id)
            .and_then(|c| c.get(&key).cloned())
    }) {
        return Some(scaled(hit));
    }
    let ppp = ctx.pixels_per_point();
    let (w, h, alpha) = crate::export::text_mask(text, rendered * ppp, bold)?;
    let pixels = alpha.into_iter().map(Color32::from_white_alpha).collect();
    let image = egui::ColorImage::new([w as usize, h as usize], pixels);
    let tex = ctx.load_texture("shaped text", image, egui::TextureOptions::LINEAR);
    let entry = (tex, w as f32 / ppp, h as f32 / ppp);
    ctx.data_mut(|d| {
        let cache = d.get_temp_mut_or_default::<ShapedCache>(id);
        // Many lines at many sizes: start again rather than grow without bound.
        if cache.len() > 2_000 {
            cache.clear();
        }
        cache.insert(key, entry.clone());
    });
    Some(scaled(entry))
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
    let mut sharp = Sharp {
        painter,
        view,
        origin,
        clip,
        shapes: Vec::new(),
    };
    // Culled in world units: the clip rectangle is mapped once, not every bound.
    let world_clip = Rect {
        min: view.world_from_screen(origin, clip.min),
        max: view.world_from_screen(origin, clip.max),
    };
    let visible = parts.filter(|p| p.bounds.intersects(&world_clip));
    for (bounds, item) in visible.flat_map(|p| p.items.iter()) {
        if bounds.intersects(&world_clip) {
            paint_item(item, &mut sharp);
        }
    }
    painter.extend(sharp.shapes);
}

/// On-screen size of card text below which the canvas switches to the overview drawing.
pub const OVERVIEW_BELOW_PX: f32 = GREEK_BELOW_PX;

/// On-screen size of card text below which text is left out of the overview altogether
/// (a line would be under a pixel and a half tall).
pub const FAR_BELOW_PX: f32 = 1.5;

/// Side of the square tiles the overview's cards are grouped in, in world units.
const TILE: f32 = 1024.0;

/// The whole map as meshes in world units, drawn simply: square corners, no outlines, text
/// as bars (or none). Built once per change and only moved and scaled per frame, so a
/// zoomed-out view of ten thousand cards costs a copy, not a tessellation; the cards are in
/// tiles so only the tiles in view are copied.
pub struct Overview {
    /// Backgrounds, labels, grid and the emotion curve.
    base: egui::Mesh,
    /// Cards, by tile: the tile's bounds and its mesh.
    tiles: Vec<(egui::Rect, egui::Mesh)>,
}

/// Display-list primitives as one mesh in world units (simplified).
struct Simple<'a> {
    mesh: &'a mut egui::Mesh,
    with_text: bool,
}

fn p2(q: Pos) -> egui::Pos2 {
    egui::pos2(q.x, q.y)
}

impl crate::render::Painter for Simple<'_> {
    fn rect(&mut self, rect: Rect, _radius: f32, fill: Option<Color>, _stroke: Option<Stroke>) {
        if let Some(c) = fill {
            self.mesh
                .add_colored_rect(egui::Rect::from_min_max(p2(rect.min), p2(rect.max)), c32(c));
        }
    }

    fn path(&mut self, segs: &[Seg], fill: Option<Color>, stroke: Option<Stroke>) {
        match (fill, stroke) {
            (Some(c), _) => add_triangles(
                self.mesh,
                &fill_triangles(segs, OVERVIEW_TOLERANCE),
                p2,
                c32(c),
            ),
            (None, Some(s)) => {
                for (pts, _) in flatten(segs, OVERVIEW_TOLERANCE) {
                    let pts: Vec<egui::Pos2> = pts.into_iter().map(p2).collect();
                    add_line(self.mesh, &pts, s.width, c32(s.color));
                }
            }
            (None, None) => {}
        }
    }

    fn strip(&mut self, upper: &[Pos], lower: &[Pos], fill: Color) {
        let u: Vec<egui::Pos2> = upper.iter().map(|p| p2(*p)).collect();
        let l: Vec<egui::Pos2> = lower.iter().map(|p| p2(*p)).collect();
        add_strip(self.mesh, &u, &l, c32(fill));
    }

    fn circle(&mut self, center: Pos, radius: f32, fill: Color, _stroke: Option<Stroke>) {
        let c = p2(center);
        let pts: Vec<egui::Pos2> = (0..12)
            .map(|i| {
                let a = i as f32 * std::f32::consts::TAU / 12.0;
                c + egui::vec2(a.cos(), a.sin()) * radius
            })
            .collect();
        fill_convex(self.mesh, &pts, c32(fill));
    }

    fn text(&mut self, pos: Pos, _text: &str, size: f32, _bold: bool, color: Color, width: f32) {
        if self.with_text {
            let bar = egui::Rect::from_min_size(
                p2(pos) + egui::vec2(0.0, size * 0.35),
                egui::vec2(width, size * 0.6),
            );
            self.mesh.add_colored_rect(bar, c32(color.alpha(110)));
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
        let mesh = if matches!(part.element, Element::Card(_)) {
            let b = part.bounds;
            let key = (
                (b.min.x / TILE).floor() as i32,
                (b.min.y / TILE).floor() as i32,
            );
            let b = egui::Rect::from_min_max(p2(b.min), p2(b.max));
            let tile = tiles
                .entry(key)
                .or_insert_with(|| (b, egui::Mesh::default()));
            tile.0 = tile.0.union(b);
            &mut tile.1
        } else {
            &mut base
        };
        let card = matches!(part.element, Element::Card(_) | Element::Link(_));
        let mut simple = Simple { mesh, with_text };
        for (bounds, item) in &part.items {
            // A card's icon and badges and a link's dot and arrowhead are too small to read
            // here: the card's rectangle (and text bars) and the link's line say it all.
            if card
                && matches!(
                    item,
                    crate::render::Item::Path { .. } | crate::render::Item::Circle { .. }
                )
                && bounds.width().max(bounds.height()) < 24.0
            {
                continue;
            }
            paint_item(item, &mut simple);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{FontMeasure, TextCache, layout};
    use crate::model::synthetic_map;
    use crate::render::scene;
    use crate::theme::{Theme, ThemeKind};

    /// Dashes along long runs far from the origin (where a float's steps are coarse) end,
    /// with as many dashes as the length holds.
    #[test]
    fn dashes_end_on_long_runs_far_out() {
        for origin in [0.0_f32, 1_000.0, 20_000.0, 300_000.0] {
            let line = [
                egui::pos2(origin, origin),
                egui::pos2(origin + 1_200.0, origin),
                egui::pos2(origin + 1_200.0, origin + 600.0),
            ];
            let mut m = egui::Mesh::default();
            dashes_into(
                &mut m,
                &line,
                egui::Stroke::new(2.0, Color32::RED),
                2.0,
                4.0,
            );
            let dashes = m.vertices.len() / 4;
            // 1,800 points of 6-point periods: 300 dashes, give or take the corner.
            assert!((299..=302).contains(&dashes), "{origin}: {dashes}");
        }
    }

    #[test]
    fn overview_tiles_hold_every_card_once() {
        let doc = synthetic_map(20, 800, 5);
        let l = layout(&doc, FontMeasure::shared(), &mut TextCache::default());
        let dl = scene(&doc, &l, &Theme::get(ThemeKind::Light));
        let o = overview_mesh(dl.parts.iter(), false);
        assert!(o.tiles.len() > 4, "a map this size spans several tiles");
        // The tiles hold each card's shapes once: as many vertices as the cards drawn alone.
        let count = |o: &Overview| -> usize { o.tiles.iter().map(|(_, m)| m.vertices.len()).sum() };
        let alone: usize = dl
            .parts
            .iter()
            .filter(|p| matches!(p.element, Element::Card(_)))
            .map(|p| count(&overview_mesh(std::iter::once(p), false)))
            .sum();
        assert!(alone >= 4 * doc.cards.len());
        assert_eq!(count(&o), alone);
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
