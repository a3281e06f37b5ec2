//! The drawing primitives every backend implements ([`Painter`]: rounded rectangles, paths
//! with dashes, strips between two polylines, circles, lines of text) and the one translation
//! of display-list items into them ([`paint_item`]), shared by the canvas, SVG and PNG.

use super::{Item, Stroke};
use crate::geom::{Pos, Rect};
use crate::theme::Color;

/// One segment of a path.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Seg {
    /// Starts a subpath.
    Move(Pos),
    /// A straight line to a point.
    Line(Pos),
    /// A cubic Bézier curve (two control points, then the end).
    Cubic(Pos, Pos, Pos),
    /// Closes the subpath.
    Close,
}

impl Seg {
    /// The same segment moved by `d`.
    #[must_use]
    pub fn translate(self, d: Pos) -> Self {
        match self {
            Seg::Move(p) => Seg::Move(p + d),
            Seg::Line(p) => Seg::Line(p + d),
            Seg::Cubic(a, b, c) => Seg::Cubic(a + d, b + d, c + d),
            Seg::Close => Seg::Close,
        }
    }

    /// The same segment scaled by `k` about the origin.
    #[must_use]
    pub fn scale(self, k: f32) -> Self {
        let m = |p: Pos| Pos::new(p.x * k, p.y * k);
        match self {
            Seg::Move(p) => Seg::Move(m(p)),
            Seg::Line(p) => Seg::Line(m(p)),
            Seg::Cubic(a, b, c) => Seg::Cubic(m(a), m(b), m(c)),
            Seg::Close => Seg::Close,
        }
    }
}

/// A path through points (closed or not).
#[must_use]
pub fn polyline(points: &[Pos], close: bool) -> Vec<Seg> {
    let mut segs = Vec::with_capacity(points.len() + 1);
    for (i, p) in points.iter().enumerate() {
        segs.push(if i == 0 { Seg::Move(*p) } else { Seg::Line(*p) });
    }
    if close && !segs.is_empty() {
        segs.push(Seg::Close);
    }
    segs
}

/// The subpaths of a path as polylines, cubics flattened into `steps` lines each.
#[must_use]
pub fn flatten(segs: &[Seg], steps: usize) -> Vec<(Vec<Pos>, bool)> {
    flatten_with(segs, |_| steps)
}

/// The subpaths of a path as polylines, each cubic flattened into as many lines as
/// `steps_for` says for the length of its control polygon (small corners need few).
#[must_use]
pub fn flatten_with(segs: &[Seg], steps_for: impl Fn(f32) -> usize) -> Vec<(Vec<Pos>, bool)> {
    let mut out: Vec<(Vec<Pos>, bool)> = Vec::new();
    let mut cur: Vec<Pos> = Vec::new();
    for s in segs {
        match *s {
            Seg::Move(p) => {
                if cur.len() > 1 {
                    out.push((std::mem::take(&mut cur), false));
                }
                cur = vec![p];
            }
            Seg::Line(p) => cur.push(p),
            Seg::Cubic(c1, c2, e) => {
                let Some(&a) = cur.last() else {
                    continue;
                };
                let d = |p: Pos, q: Pos| (q.x - p.x).hypot(q.y - p.y);
                let steps = steps_for(d(a, c1) + d(c1, c2) + d(c2, e)).max(1);
                for i in 1..=steps {
                    let t = i as f32 / steps as f32;
                    let u = 1.0 - t;
                    let w = [u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t];
                    cur.push(Pos::new(
                        w[0] * a.x + w[1] * c1.x + w[2] * c2.x + w[3] * e.x,
                        w[0] * a.y + w[1] * c1.y + w[2] * c2.y + w[3] * e.y,
                    ));
                }
            }
            Seg::Close => {
                if cur.len() > 1 {
                    out.push((std::mem::take(&mut cur), true));
                }
            }
        }
    }
    if cur.len() > 1 {
        out.push((cur, false));
    }
    out
}

/// The bounds of a path's points (control points included).
#[must_use]
pub fn path_bounds(segs: &[Seg]) -> Option<Rect> {
    let mut pts = segs.iter().flat_map(|s| match *s {
        Seg::Move(p) | Seg::Line(p) => vec![p],
        Seg::Cubic(a, b, c) => vec![a, b, c],
        Seg::Close => Vec::new(),
    });
    let first = pts.next()?;
    Some(pts.fold(
        Rect {
            min: first,
            max: first,
        },
        |r, p| r.union(&Rect { min: p, max: p }),
    ))
}

/// What a backend draws with. Coordinates are world units; each backend applies its own
/// transform.
pub trait Painter {
    /// A rectangle with rounded corners (`radius` 0: square), filled and/or stroked inside
    /// its edge.
    fn rect(&mut self, rect: Rect, radius: f32, fill: Option<Color>, stroke: Option<Stroke>);
    /// A path, filled (non-zero winding; may be non-convex) and/or stroked (maybe dashed).
    fn path(&mut self, segs: &[Seg], fill: Option<Color>, stroke: Option<Stroke>);
    /// The area between two polylines with the same x's (`upper[i].x == lower[i].x`).
    fn strip(&mut self, upper: &[Pos], lower: &[Pos], fill: Color);
    /// A circle, filled and maybe outlined.
    fn circle(&mut self, center: Pos, radius: f32, fill: Color, stroke: Option<Stroke>);
    /// One line of text with its box's top-left at `pos`, `width` as the layout measured it.
    fn text(&mut self, pos: Pos, text: &str, size: f32, bold: bool, color: Color, width: f32);
}

/// Draws one item with a backend: the one place items become primitives.
pub fn paint_item(item: &Item, p: &mut impl Painter) {
    match item {
        Item::Rect {
            rect,
            radius,
            fill,
            stroke,
        } => {
            let fill = (fill.0[3] > 0).then_some(*fill);
            p.rect(*rect, *radius, fill, *stroke);
        }
        Item::Path { segs, fill, stroke } => p.path(segs, *fill, *stroke),
        Item::Area { upper, lower, fill } => p.strip(upper, lower, *fill),
        Item::Circle {
            center,
            radius,
            fill,
            stroke,
        } => p.circle(*center, *radius, *fill, *stroke),
        Item::Text {
            pos,
            text,
            size,
            bold,
            color,
            width,
        } => p.text(*pos, text, *size, *bold, *color, *width),
    }
}

/// Splits a closed polygon (one contour, no holes, any shape) into triangles by ear
/// clipping: for backends that fill only triangles (the canvas).
#[must_use]
pub fn triangulate(poly: &[Pos]) -> Vec<[usize; 3]> {
    let n = poly.len();
    if n < 3 {
        return Vec::new();
    }
    let area2: f32 = (0..n)
        .map(|i| {
            let (a, b) = (poly[i], poly[(i + 1) % n]);
            a.x * b.y - b.x * a.y
        })
        .sum();
    let ccw = area2 > 0.0;
    let cross = |a: Pos, b: Pos, c: Pos| (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
    let convex = |a: Pos, b: Pos, c: Pos| {
        let k = cross(a, b, c);
        if ccw { k > 0.0 } else { k < 0.0 }
    };
    let inside = |p: Pos, a: Pos, b: Pos, c: Pos| {
        let (d1, d2, d3) = (cross(a, b, p), cross(b, c, p), cross(c, a, p));
        let neg = d1 < 0.0 || d2 < 0.0 || d3 < 0.0;
        let pos = d1 > 0.0 || d2 > 0.0 || d3 > 0.0;
        !(neg && pos)
    };
    let mut idx: Vec<usize> = (0..n).collect();
    let mut out = Vec::with_capacity(n - 2);
    let mut guard = 0;
    while idx.len() > 3 && guard < n * n {
        guard += 1;
        let m = idx.len();
        let mut clipped = false;
        for k in 0..m {
            let (i0, i1, i2) = (idx[(k + m - 1) % m], idx[k], idx[(k + 1) % m]);
            let (a, b, c) = (poly[i0], poly[i1], poly[i2]);
            if !convex(a, b, c) {
                continue;
            }
            let blocked = idx
                .iter()
                .filter(|&&j| j != i0 && j != i1 && j != i2)
                .any(|&j| inside(poly[j], a, b, c));
            if !blocked {
                out.push([i0, i1, i2]);
                idx.remove(k);
                clipped = true;
                break;
            }
        }
        if !clipped {
            // Degenerate (self-touching) input: fan the rest.
            break;
        }
    }
    for k in 1..idx.len().saturating_sub(1) {
        out.push([idx[0], idx[k], idx[k + 1]]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ear_clipping_covers_a_non_convex_shape_exactly() {
        // An L shape (area 3 of unit squares).
        let l = [
            Pos::new(0.0, 0.0),
            Pos::new(2.0, 0.0),
            Pos::new(2.0, 1.0),
            Pos::new(1.0, 1.0),
            Pos::new(1.0, 2.0),
            Pos::new(0.0, 2.0),
        ];
        let tris = triangulate(&l);
        assert_eq!(tris.len(), 4);
        let area: f32 = tris
            .iter()
            .map(|[a, b, c]| {
                let (a, b, c) = (l[*a], l[*b], l[*c]);
                ((b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)).abs() / 2.0
            })
            .sum();
        assert!((area - 3.0).abs() < 1e-5, "{area}");
    }

    #[test]
    fn cubics_flatten_through_their_ends() {
        let segs = [
            Seg::Move(Pos::new(0.0, 0.0)),
            Seg::Cubic(
                Pos::new(0.0, 10.0),
                Pos::new(10.0, 10.0),
                Pos::new(10.0, 0.0),
            ),
        ];
        let f = flatten(&segs, 8);
        assert_eq!(f.len(), 1);
        let (pts, closed) = &f[0];
        assert!(!closed);
        assert_eq!(pts.len(), 9);
        assert_eq!(*pts.last().unwrap(), Pos::new(10.0, 0.0));
        assert!(pts.iter().all(|p| p.y >= 0.0 && p.y <= 7.6));
    }
}
