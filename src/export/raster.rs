//! Display list → pixels on the CPU with tiny-skia, in horizontal bands streamed into a PNG
//! encoder, so memory stays near one band whatever the image size. Text is drawn from the
//! bundled font's outlines placed at the same advances the layout measured with, so lines are
//! exactly as wide as on the canvas and in the SVG.

use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use resvg::tiny_skia as sk;

use crate::geom::Rect;
use crate::layout::{FONT_BOLD, FONT_FALLBACK, FONT_REGULAR, FontMeasure};
use crate::render::{DisplayList, Item, Painter, Seg, Stroke, paint_item};
use crate::theme::Color;

/// One outline command in font units (y up).
#[derive(Clone, Copy)]
enum GlyphSeg {
    Move(f32, f32),
    Line(f32, f32),
    Quad(f32, f32, f32, f32),
    Cubic(f32, f32, f32, f32, f32, f32),
    Close,
}

struct Outline(Vec<GlyphSeg>);

impl ttf_parser::OutlineBuilder for Outline {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.push(GlyphSeg::Move(x, y));
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.0.push(GlyphSeg::Line(x, y));
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.0.push(GlyphSeg::Quad(x1, y1, x, y));
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.0.push(GlyphSeg::Cubic(x1, y1, x2, y2, x, y));
    }
    fn close(&mut self) {
        self.0.push(GlyphSeg::Close);
    }
}

struct Face {
    parsed: ttf_parser::Face<'static>,
    upem: f32,
    glyphs: HashMap<char, (f32, Vec<GlyphSeg>)>,
}

impl Face {
    fn new(bytes: &'static [u8]) -> Option<Self> {
        let face = ttf_parser::Face::parse(bytes, 0).ok()?;
        let upem = f32::from(face.units_per_em());
        Some(Self {
            parsed: face,
            upem,
            glyphs: HashMap::new(),
        })
    }

    /// A character's advance (per em) and outline (font units), cached.
    fn glyph(&mut self, c: char) -> &(f32, Vec<GlyphSeg>) {
        let face = &self.parsed;
        let upem = self.upem;
        self.glyphs.entry(c).or_insert_with(|| {
            let id = face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
            let advance = face
                .glyph_hor_advance(id)
                .map_or(0.5, |a| f32::from(a) / upem);
            let mut o = Outline(Vec::new());
            face.outline_glyph(id, &mut o);
            (advance, o.0)
        })
    }
}

/// Glyph outlines of the bundled faces, built once per export.
pub struct Glyphs {
    regular: Option<Face>,
    bold: Option<Face>,
    /// What Inter lacks (Chinese, Japanese, Korean), for regular and bold text.
    fallback: Option<Face>,
}

impl Default for Glyphs {
    fn default() -> Self {
        Self {
            regular: Face::new(FONT_REGULAR),
            bold: Face::new(FONT_BOLD),
            fallback: Face::new(FONT_FALLBACK),
        }
    }
}

impl Glyphs {
    /// The outline of a line of text with its baseline starting at `(x, y)` (world units).
    fn line_path(&mut self, text: &str, x: f32, y: f32, size: f32, bold: bool) -> Option<sk::Path> {
        if crate::layout::shape::needs_shaping(text) {
            return shaped_path(text, x, y, size, bold);
        }
        let main = if bold {
            self.bold.as_mut()?
        } else {
            self.regular.as_mut()?
        };
        let measure = FontMeasure::shared();
        let mut pb = sk::PathBuilder::new();
        let mut pen = x;
        for c in text.chars() {
            let face = match self.fallback.as_mut() {
                Some(f) if measure.from_fallback(c) => &mut *f,
                _ => &mut *main,
            };
            let s = size / face.upem;
            let (advance, segs) = face.glyph(c);
            let (gx, gy) = (pen, y);
            let p = |px: f32, py: f32| (gx + px * s, gy - py * s);
            for seg in segs {
                match *seg {
                    GlyphSeg::Move(a, b) => {
                        let (a, b) = p(a, b);
                        pb.move_to(a, b);
                    }
                    GlyphSeg::Line(a, b) => {
                        let (a, b) = p(a, b);
                        pb.line_to(a, b);
                    }
                    GlyphSeg::Quad(a, b, c2, d) => {
                        let ((a, b), (c2, d)) = (p(a, b), p(c2, d));
                        pb.quad_to(a, b, c2, d);
                    }
                    GlyphSeg::Cubic(a, b, c2, d, e, f) => {
                        let ((a, b), (c2, d), (e, f)) = (p(a, b), p(c2, d), p(e, f));
                        pb.cubic_to(a, b, c2, d, e, f);
                    }
                    GlyphSeg::Close => pb.close(),
                }
            }
            pen += advance * size;
        }
        pb.finish()
    }
}

/// The outline of a line that needs shaping (see [`crate::layout::shape`]), its baseline
/// starting at `(x, y)`.
pub fn shaped_path(text: &str, x: f32, y: f32, size: f32, bold: bool) -> Option<sk::Path> {
    use crate::layout::shape::{self, PathCmd};
    let shaped = shape::shape(text, size, bold);
    let mut pb = sk::PathBuilder::new();
    shape::outline(&shaped, size, x, y, &mut |cmd| match cmd {
        PathCmd::Move(a, b) => pb.move_to(a, b),
        PathCmd::Line(a, b) => pb.line_to(a, b),
        PathCmd::Quad(a, b, c, d) => pb.quad_to(a, b, c, d),
        PathCmd::Cubic(a, b, c, d, e, f) => pb.cubic_to(a, b, c, d, e, f),
        PathCmd::Close => pb.close(),
    });
    pb.finish()
}

/// A line of text as an alpha mask `size` px high (the line box), `(width, height, alpha)`:
/// how the canvas draws lines that need shaping, from the same outlines as the exports.
#[must_use]
pub fn text_mask(text: &str, size: f32, bold: bool) -> Option<(u32, u32, Vec<u8>)> {
    let measure = FontMeasure::shared();
    let shaped_w = crate::layout::TextMeasure::width(measure, text, size, bold);
    let w = (shaped_w.ceil() as u32 + 2).min(16_384);
    let h = ((size * crate::layout::LINE_HEIGHT).ceil() as u32).clamp(1, 4_096);
    let mut pixmap = sk::Pixmap::new(w, h)?;
    let path = shaped_path(text, 1.0, measure.baseline(size), size, bold)?;
    pixmap.fill_path(
        &path,
        &paint(crate::theme::MASK),
        sk::FillRule::Winding,
        sk::Transform::identity(),
        None,
    );
    let alpha = pixmap.pixels().iter().map(|p| p.alpha()).collect();
    Some((w, h, alpha))
}

fn paint(c: Color) -> sk::Paint<'static> {
    let mut p = sk::Paint::default();
    let [r, g, b, a] = c.0;
    p.set_color_rgba8(r, g, b, a);
    p.anti_alias = true;
    p
}

fn rounded_rect(r: Rect, radius: f32) -> Option<sk::Path> {
    let (x0, y0, x1, y1) = (r.min.x, r.min.y, r.max.x, r.max.y);
    if x1 <= x0 || y1 <= y0 {
        return None;
    }
    let rad = radius.min((x1 - x0) / 2.0).min((y1 - y0) / 2.0);
    if rad <= 0.0 {
        return sk::Rect::from_ltrb(x0, y0, x1, y1).map(sk::PathBuilder::from_rect);
    }
    // A quarter circle as one cubic: control points at k·r from the corner's ends.
    let k = rad * (1.0 - 0.552_284_8);
    let mut pb = sk::PathBuilder::new();
    pb.move_to(x0 + rad, y0);
    pb.line_to(x1 - rad, y0);
    pb.cubic_to(x1 - k, y0, x1, y0 + k, x1, y0 + rad);
    pb.line_to(x1, y1 - rad);
    pb.cubic_to(x1, y1 - k, x1 - k, y1, x1 - rad, y1);
    pb.line_to(x0 + rad, y1);
    pb.cubic_to(x0 + k, y1, x0, y1 - k, x0, y1 - rad);
    pb.line_to(x0, y0 + rad);
    pb.cubic_to(x0, y0 + k, x0 + k, y0, x0 + rad, y0);
    pb.close();
    pb.finish()
}

fn polyline(points: &[crate::geom::Pos], close: bool) -> Option<sk::Path> {
    let mut pb = sk::PathBuilder::new();
    let first = points.first()?;
    pb.move_to(first.x, first.y);
    for p in &points[1..] {
        pb.line_to(p.x, p.y);
    }
    if close {
        pb.close();
    }
    pb.finish()
}

fn sk_stroke(s: Stroke) -> sk::Stroke {
    sk::Stroke {
        width: s.width,
        line_join: sk::LineJoin::Round,
        dash: s
            .dash
            .and_then(|[dash, gap]| sk::StrokeDash::new(vec![dash, gap], 0.0)),
        ..sk::Stroke::default()
    }
}

/// Draws the items of a display list that touch the band into `pixmap`, whose top-left is the
/// world point `origin` and which holds `scale` pixels per world unit.
pub fn draw_band(
    dl: &DisplayList,
    glyphs: &mut Glyphs,
    pixmap: &mut sk::PixmapMut<'_>,
    origin: crate::geom::Pos,
    scale: f32,
) {
    let ts = sk::Transform::from_row(scale, 0.0, 0.0, scale, -origin.x * scale, -origin.y * scale);
    // The band in world units, a little larger for anti-aliasing and strokes.
    let margin = 4.0 / scale;
    let band = Rect::from_xywh(
        origin.x - margin,
        origin.y - margin,
        pixmap.width() as f32 / scale + 2.0 * margin,
        pixmap.height() as f32 / scale + 2.0 * margin,
    );
    let mut painter = SkPainter { pixmap, glyphs, ts };
    for (bounds, item) in dl
        .parts
        .iter()
        .filter(|p| p.bounds.intersects(&band))
        .flat_map(|p| p.items.iter())
    {
        if bounds.intersects(&band) {
            paint_item(item, &mut painter);
        }
    }
}

/// Draws display-list primitives into a pixmap with tiny-skia.
struct SkPainter<'a, 'p> {
    pixmap: &'a mut sk::PixmapMut<'p>,
    glyphs: &'a mut Glyphs,
    ts: sk::Transform,
}

impl SkPainter<'_, '_> {
    fn fill(&mut self, path: &sk::Path, c: Color) {
        self.pixmap
            .fill_path(path, &paint(c), sk::FillRule::Winding, self.ts, None);
    }

    fn stroke(&mut self, path: &sk::Path, s: Stroke) {
        self.pixmap
            .stroke_path(path, &paint(s.color), &sk_stroke(s), self.ts, None);
    }
}

impl Painter for SkPainter<'_, '_> {
    fn rect(&mut self, rect: Rect, radius: f32, fill: Option<Color>, stroke: Option<Stroke>) {
        if let Some(c) = fill
            && let Some(path) = rounded_rect(rect, radius)
        {
            self.fill(&path, c);
        }
        if let Some(s) = stroke {
            let h = s.width / 2.0;
            let inner = Rect::from_corners(
                crate::geom::Pos::new(rect.min.x + h, rect.min.y + h),
                crate::geom::Pos::new(rect.max.x - h, rect.max.y - h),
            );
            if let Some(path) = rounded_rect(inner, (radius - h).max(0.0)) {
                self.stroke(&path, s);
            }
        }
    }

    fn path(&mut self, segs: &[Seg], fill: Option<Color>, stroke: Option<Stroke>) {
        let mut pb = sk::PathBuilder::new();
        for s in segs {
            match *s {
                Seg::Move(p) => pb.move_to(p.x, p.y),
                Seg::Line(p) => pb.line_to(p.x, p.y),
                Seg::Cubic(a, b, c) => pb.cubic_to(a.x, a.y, b.x, b.y, c.x, c.y),
                Seg::Close => pb.close(),
            }
        }
        let Some(path) = pb.finish() else {
            return;
        };
        if let Some(c) = fill {
            self.fill(&path, c);
        }
        if let Some(s) = stroke {
            self.stroke(&path, s);
        }
    }

    fn strip(&mut self, upper: &[crate::geom::Pos], lower: &[crate::geom::Pos], fill: Color) {
        let ring: Vec<crate::geom::Pos> = upper.iter().chain(lower.iter().rev()).copied().collect();
        if let Some(path) = polyline(&ring, true) {
            self.fill(&path, fill);
        }
    }

    fn circle(
        &mut self,
        center: crate::geom::Pos,
        radius: f32,
        fill: Color,
        stroke: Option<Stroke>,
    ) {
        if let Some(path) = sk::PathBuilder::from_circle(center.x, center.y, radius) {
            self.fill(&path, fill);
            if let Some(s) = stroke {
                self.stroke(&path, s);
            }
        }
    }

    fn text(
        &mut self,
        pos: crate::geom::Pos,
        text: &str,
        size: f32,
        bold: bool,
        color: Color,
        _width: f32,
    ) {
        let baseline = pos.y + FontMeasure::shared().baseline(size);
        if let Some(path) = self.glyphs.line_path(text, pos.x, baseline, size, bold) {
            self.fill(&path, color);
        }
    }
}

/// Renders `view` (world units) of a display list at `scale` into a `width` × `height` PNG
/// written to `out`, band by band: one thread draws the next band while this one compresses
/// the last (two bands in flight at most). `progress` gets the fraction done after each band;
/// when `stop` is set, drawing and writing end after the band in hand (an `Interrupted` error).
pub fn write_png(
    dl: &DisplayList,
    view: Rect,
    scale: f32,
    (width, height): (u32, u32),
    out: impl Write,
    progress: &dyn Fn(f32),
    stop: &AtomicBool,
) -> std::io::Result<()> {
    let mut encoder = png::Encoder::new(out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    encoder.set_filter(png::FilterType::Sub);
    let mut writer = encoder.write_header().map_err(std::io::Error::other)?;
    // Bands of about 8 MB of pixels (at least 16 rows).
    let band_rows = (8_000_000 / (u64::from(width) * 4)).clamp(16, 1024) as u32;
    // Fail here, before any thread starts, if even one band cannot be allocated.
    if sk::Pixmap::new(width, band_rows.min(height)).is_none() {
        return Err(std::io::Error::other("the image is too large to render"));
    }
    // The first item is the export's background: it also fills the part of the last pixel
    // row or column that the map's bounds only partly cover.
    let background = match dl.items().next() {
        Some((_, Item::Rect { fill, .. })) => {
            let [r, g, b, a] = fill.0;
            sk::Color::from_rgba8(r, g, b, a)
        }
        _ => sk::Color::WHITE,
    };
    let bands = height.div_ceil(band_rows);
    // Workers draw bands round-robin (band i on worker i % n); this thread compresses them
    // in order. Each worker has at most one finished band waiting.
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .clamp(1, 4) as u32;
    std::thread::scope(|scope| -> std::io::Result<()> {
        let mut queues = Vec::new();
        for k in 0..workers {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(1);
            queues.push(rx);
            scope.spawn(move || {
                let Some(mut pixmap) = sk::Pixmap::new(width, band_rows.min(height)) else {
                    return;
                };
                let mut glyphs = Glyphs::default();
                for band in (k..bands).step_by(workers as usize) {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    let y0 = band * band_rows;
                    let rows = band_rows.min(height - y0);
                    pixmap.fill(background);
                    let origin = crate::geom::Pos::new(view.min.x, view.min.y + y0 as f32 / scale);
                    draw_band(dl, &mut glyphs, &mut pixmap.as_mut(), origin, scale);
                    let n = (rows * width) as usize;
                    let mut rgb = Vec::with_capacity(n * 3);
                    for px in pixmap.data()[..n * 4].chunks_exact(4) {
                        // The background is opaque, so premultiplied colour is the colour.
                        rgb.extend_from_slice(&px[..3]);
                    }
                    if tx.send(rgb).is_err() {
                        // The encoder stopped (a write failed): nothing more to draw.
                        return;
                    }
                }
            });
        }
        let mut stream = writer
            .stream_writer_with_size(1 << 20)
            .map_err(std::io::Error::other)?;
        for band in 0..bands {
            if stop.load(Ordering::Relaxed) {
                // Returning drops the queues: a worker still drawing ends at its next send.
                return Err(std::io::Error::new(
                    std::io::ErrorKind::Interrupted,
                    "the export was stopped",
                ));
            }
            let rgb = queues[(band % workers) as usize]
                .recv()
                .map_err(|_| std::io::Error::other("the image could not be drawn"))?;
            stream.write_all(&rgb)?;
            progress((band + 1) as f32 / bands as f32);
        }
        stream.finish().map_err(std::io::Error::other)
    })?;
    writer.finish().map_err(std::io::Error::other)
}
