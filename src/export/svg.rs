//! Display list → SVG: one element per item, text kept as text in the bundled font, which is
//! embedded (`@font-face`, base64) so every viewer shows the same glyphs and line breaks. The
//! CJK fallback face is embedded too when the map has text only it draws (3.4 MB: only then).

use std::fmt::Write as _;

use base64::Engine as _;

use crate::geom::Rect;
use crate::layout::{FONT_BOLD, FONT_FALLBACK, FONT_REGULAR, FontMeasure};
use crate::render::{DisplayList, Element, Painter, Seg, Stroke, paint_item};
use crate::theme::Color;

/// The family names the embedded fonts are declared under; `Inter` and the fallback's own name
/// follow for renderers that ignore `@font-face` but were given the same fonts (resvg,
/// svg2pdf), which take each character from the first that has it.
pub const FAMILY: &str =
    "'Journeymap Inter', Inter, 'Journeymap Fallback', 'Droid Sans Fallback', sans-serif";

/// How the SVG's outer size is given.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SvgSize {
    /// Width attribute (pixels for SVG/PNG, points for PDF).
    pub width: f32,
    /// Height attribute.
    pub height: f32,
}

/// Writes `v` with at most two decimals and no trailing zeros.
fn num(out: &mut String, v: f32) {
    let r = (v * 100.0).round() / 100.0;
    let r = if r == 0.0 { 0.0 } else { r };
    let _ = write!(out, "{r}");
}

fn color_attr(out: &mut String, name: &str, c: Color) {
    let [r, g, b, a] = c.0;
    let _ = write!(out, " {name}=\"#{r:02x}{g:02x}{b:02x}\"");
    if a < 255 {
        let _ = write!(out, " {name}-opacity=\"{}\"", f32::from(a) / 255.0);
    }
}

fn stroke_attrs(out: &mut String, s: Stroke) {
    color_attr(out, "stroke", s.color);
    out.push_str(" stroke-width=\"");
    num(out, s.width);
    out.push('"');
    if let Some([dash, gap]) = s.dash {
        out.push_str(" stroke-dasharray=\"");
        num(out, dash);
        out.push(' ');
        num(out, gap);
        out.push('"');
    }
}

/// Escapes text for XML content or attribute values, dropping characters XML 1.0 forbids
/// (control characters other than tab, line feed and carriage return; U+FFFE and U+FFFF) and
/// the ones it discourages (DEL and the C1 controls, U+007F to U+009F), which no font draws.
/// Tabs, line feeds and carriage returns become spaces: a display-list text is one line.
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

fn points(out: &mut String, pts: &[crate::geom::Pos]) {
    for (i, p) in pts.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        num(out, p.x);
        out.push(',');
        num(out, p.y);
    }
}

fn font_face(out: &mut String, fallback: bool) {
    let b64 = base64::engine::general_purpose::STANDARD;
    if fallback {
        // One face for every weight, as the canvas and the PNG draw it (no synthetic bold).
        out.push_str(
            "@font-face{font-family:'Journeymap Fallback';font-weight:100 900;src:url(data:font/ttf;base64,",
        );
        b64.encode_string(FONT_FALLBACK, out);
        out.push_str(") format('truetype');}\n");
    }
    for (bytes, weight) in [(FONT_REGULAR, 400), (FONT_BOLD, 600)] {
        let _ = write!(
            out,
            "@font-face{{font-family:'Journeymap Inter';font-weight:{weight};src:url(data:font/otf;base64,"
        );
        b64.encode_string(bytes, out);
        out.push_str(") format('opentype');}\n");
    }
}

/// Writes a display list as an SVG document showing `view` (world units) at `size`.
#[must_use]
pub fn to_svg(dl: &DisplayList, view: Rect, size: SvgSize, title: &str) -> String {
    let mut out = String::with_capacity(800_000 + dl.item_count() * 120);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"");
    num(&mut out, size.width);
    out.push_str("\" height=\"");
    num(&mut out, size.height);
    out.push_str("\" viewBox=\"");
    num(&mut out, view.min.x);
    out.push(' ');
    num(&mut out, view.min.y);
    out.push(' ');
    num(&mut out, view.width());
    out.push(' ');
    num(&mut out, view.height());
    let _ = writeln!(
        out,
        "\" preserveAspectRatio=\"xMidYMid meet\" xml:space=\"preserve\" font-family=\"{FAMILY}\" font-kerning=\"none\" text-rendering=\"geometricPrecision\">"
    );
    out.push_str("<title>");
    escape_into(&mut out, title);
    out.push_str("</title>\n<defs><style>\n");
    let measure = FontMeasure::shared();
    let fallback = dl.parts.iter().flat_map(|p| &p.items).any(|(_, item)| {
        matches!(item, crate::render::Item::Text { text, .. } if text.chars().any(|c| measure.from_fallback(c)))
    });
    font_face(&mut out, fallback);
    out.push_str("</style></defs>\n");
    for part in &dl.parts {
        // Cards, links and the frame's blocks are groups an editor (and a reader) can pick out.
        let group = match part.element {
            Element::Card(id) => Some(format!("<g class=\"card\" id=\"card-{}\">\n", id.0)),
            Element::Link(id) => Some(format!("<g class=\"link\" id=\"link-{}\">\n", id.0)),
            Element::Emotion => Some("<g class=\"emotion\">\n".to_owned()),
            Element::Summary => Some("<g class=\"summary\">\n".to_owned()),
            Element::Legend => Some("<g class=\"legend\">\n".to_owned()),
            Element::Notes => Some("<g class=\"notes\">\n".to_owned()),
            Element::Chart => Some("<g class=\"chart\">\n".to_owned()),
            _ => None,
        };
        if let Some(g) = &group {
            out.push_str(g);
        }
        let mut painter = SvgPainter { out: &mut out };
        for (_, item) in &part.items {
            paint_item(item, &mut painter);
        }
        if group.is_some() {
            out.push_str("</g>\n");
        }
    }
    out.push_str("</svg>\n");
    out
}

fn rect_el(out: &mut String, r: Rect, radius: f32, fill: Option<Color>, stroke: Option<&Stroke>) {
    out.push_str("<rect x=\"");
    num(out, r.min.x);
    out.push_str("\" y=\"");
    num(out, r.min.y);
    out.push_str("\" width=\"");
    num(out, r.width().max(0.0));
    out.push_str("\" height=\"");
    num(out, r.height().max(0.0));
    out.push('"');
    if radius > 0.0 {
        out.push_str(" rx=\"");
        num(out, radius);
        out.push('"');
    }
    match fill {
        Some(c) => color_attr(out, "fill", c),
        None => out.push_str(" fill=\"none\""),
    }
    if let Some(s) = stroke {
        stroke_attrs(out, *s);
    }
    out.push_str("/>\n");
}

fn pos(out: &mut String, p: crate::geom::Pos) {
    num(out, p.x);
    out.push(',');
    num(out, p.y);
}

/// Writes display-list primitives as SVG elements.
struct SvgPainter<'a> {
    out: &'a mut String,
}

impl Painter for SvgPainter<'_> {
    fn rect(&mut self, rect: Rect, radius: f32, fill: Option<Color>, stroke: Option<Stroke>) {
        if fill.is_some() {
            rect_el(self.out, rect, radius, fill, None);
        }
        if let Some(s) = stroke {
            // Strokes sit inside the rectangle, as on the canvas.
            let h = s.width / 2.0;
            let inner = Rect::from_corners(
                crate::geom::Pos::new(rect.min.x + h, rect.min.y + h),
                crate::geom::Pos::new(rect.max.x - h, rect.max.y - h),
            );
            rect_el(self.out, inner, (radius - h).max(0.0), None, Some(&s));
        }
    }

    fn path(&mut self, segs: &[Seg], fill: Option<Color>, stroke: Option<Stroke>) {
        let out = &mut *self.out;
        out.push_str("<path d=\"");
        for (i, s) in segs.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            match *s {
                Seg::Move(p) => {
                    out.push('M');
                    pos(out, p);
                }
                Seg::Line(p) => {
                    out.push('L');
                    pos(out, p);
                }
                Seg::Cubic(a, b, c) => {
                    out.push('C');
                    pos(out, a);
                    out.push(' ');
                    pos(out, b);
                    out.push(' ');
                    pos(out, c);
                }
                Seg::Close => out.push('Z'),
            }
        }
        out.push('"');
        match fill {
            Some(c) => color_attr(out, "fill", c),
            None => out.push_str(" fill=\"none\""),
        }
        if let Some(s) = stroke {
            stroke_attrs(out, s);
            out.push_str(" stroke-linejoin=\"round\"");
        }
        out.push_str("/>\n");
    }

    fn strip(&mut self, upper: &[crate::geom::Pos], lower: &[crate::geom::Pos], fill: Color) {
        let out = &mut *self.out;
        out.push_str("<polygon points=\"");
        let ring: Vec<crate::geom::Pos> = upper.iter().chain(lower.iter().rev()).copied().collect();
        points(out, &ring);
        out.push('"');
        color_attr(out, "fill", fill);
        out.push_str("/>\n");
    }

    fn circle(
        &mut self,
        center: crate::geom::Pos,
        radius: f32,
        fill: Color,
        stroke: Option<Stroke>,
    ) {
        let out = &mut *self.out;
        out.push_str("<circle cx=\"");
        num(out, center.x);
        out.push_str("\" cy=\"");
        num(out, center.y);
        out.push_str("\" r=\"");
        num(out, radius);
        out.push('"');
        color_attr(out, "fill", fill);
        if let Some(s) = stroke {
            stroke_attrs(out, s);
        }
        out.push_str("/>\n");
    }

    fn text(
        &mut self,
        p: crate::geom::Pos,
        text: &str,
        size: f32,
        bold: bool,
        color: Color,
        width: f32,
    ) {
        let out = &mut *self.out;
        let baseline = p.y + FontMeasure::shared().baseline(size);
        // A line that needs shaping (right to left, joined, clustered) is drawn as the glyph
        // outlines every backend draws, the text kept over it, transparent, for copy and
        // search.
        let shaped = crate::layout::shape::needs_shaping(text);
        if shaped {
            shaped_path(out, text, p.x, baseline, size, bold, color);
        }
        out.push_str("<text x=\"");
        num(out, p.x);
        out.push_str("\" y=\"");
        num(out, baseline);
        out.push_str("\" font-size=\"");
        num(out, size);
        out.push('"');
        if bold {
            out.push_str(" font-weight=\"600\"");
        }
        // The line is exactly as wide as the layout measured it, whatever the viewer's
        // shaping does (kerning, rounding).
        if width > 0.0 && text.chars().count() > 1 {
            out.push_str(" textLength=\"");
            num(out, width);
            out.push_str("\" lengthAdjust=\"spacing\"");
        }
        // Over a shaped line's outlines the text is there for copy and search only.
        color_attr(out, "fill", if shaped { color.alpha(0) } else { color });
        out.push('>');
        escape_into(out, text);
        out.push_str("</text>\n");
    }
}

/// The outlines of a shaped line as one `<path>`, its baseline starting at `(x, y)`.
fn shaped_path(out: &mut String, text: &str, x: f32, y: f32, size: f32, bold: bool, color: Color) {
    use crate::layout::shape::{self, PathCmd};
    let shaped = shape::shape(text, size, bold);
    out.push_str("<path class=\"shaped-text\" d=\"");
    shape::outline(&shaped, size, x, y, &mut |cmd| {
        let pts: &[f32] = match &cmd {
            PathCmd::Move(a, b) | PathCmd::Line(a, b) => &[*a, *b],
            PathCmd::Quad(a, b, c, d) => &[*a, *b, *c, *d],
            PathCmd::Cubic(a, b, c, d, e, f) => &[*a, *b, *c, *d, *e, *f],
            PathCmd::Close => &[],
        };
        out.push(match cmd {
            PathCmd::Move(..) => 'M',
            PathCmd::Line(..) => 'L',
            PathCmd::Quad(..) => 'Q',
            PathCmd::Cubic(..) => 'C',
            PathCmd::Close => 'Z',
        });
        for (i, v) in pts.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            num(out, *v);
        }
    });
    out.push('"');
    color_attr(out, "fill", color);
    out.push_str("/>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_strips() {
        let mut s = String::new();
        escape_into(
            &mut s,
            "</text><script>alert(1)</script> & \"q\"\u{1}\u{FFFF}\tx",
        );
        assert_eq!(
            s,
            "&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; x"
        );
    }

    #[test]
    fn numbers_are_short() {
        let mut s = String::new();
        num(&mut s, 12.345_678);
        s.push(' ');
        num(&mut s, -0.001);
        s.push(' ');
        num(&mut s, 180.0);
        assert_eq!(s, "12.35 0 180");
    }
}
