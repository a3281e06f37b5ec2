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

/// A path as kurbo's elements.
fn path_els(segs: &[Seg]) -> Vec<kurbo::PathEl> {
    let pt = |p: Pos| kurbo::Point::new(f64::from(p.x), f64::from(p.y));
    let mut out = Vec::with_capacity(segs.len());
    let mut open = false;
    for s in segs {
        match *s {
            Seg::Move(p) => {
                out.push(kurbo::PathEl::MoveTo(pt(p)));
                open = true;
            }
            // A line or curve with nowhere to start from starts there.
            Seg::Line(p) if !open => {
                out.push(kurbo::PathEl::MoveTo(pt(p)));
                open = true;
            }
            Seg::Cubic(_, _, e) if !open => {
                out.push(kurbo::PathEl::MoveTo(pt(e)));
                open = true;
            }
            Seg::Line(p) => out.push(kurbo::PathEl::LineTo(pt(p))),
            Seg::Cubic(a, b, c) => out.push(kurbo::PathEl::CurveTo(pt(a), pt(b), pt(c))),
            Seg::Close => {
                if open {
                    out.push(kurbo::PathEl::ClosePath);
                }
                open = false;
            }
        }
    }
    out
}

/// The subpaths of a path as polylines (and whether each is closed), curves flattened to
/// lines no farther than `tolerance` from them (kurbo: few lines where a curve is flat, more
/// where it turns).
#[must_use]
pub fn flatten(segs: &[Seg], tolerance: f32) -> Vec<(Vec<Pos>, bool)> {
    let mut out: Vec<(Vec<Pos>, bool)> = Vec::new();
    let mut cur: Vec<Pos> = Vec::new();
    let at = |p: kurbo::Point| Pos::new(p.x as f32, p.y as f32);
    kurbo::flatten(
        path_els(segs),
        f64::from(tolerance.max(1e-3)),
        |el| match el {
            kurbo::PathEl::MoveTo(p) => {
                if cur.len() > 1 {
                    out.push((std::mem::take(&mut cur), false));
                }
                cur = vec![at(p)];
            }
            kurbo::PathEl::LineTo(p) => cur.push(at(p)),
            kurbo::PathEl::ClosePath => {
                if cur.len() > 1 {
                    out.push((std::mem::take(&mut cur), true));
                }
                cur.clear();
            }
            // Flattening leaves only moves, lines and closes.
            kurbo::PathEl::QuadTo(..) | kurbo::PathEl::CurveTo(..) => {}
        },
    );
    if cur.len() > 1 {
        out.push((cur, false));
    }
    out
}

/// The bounds of a path: of the curves themselves, not their control points (`None` for a
/// path with no point).
#[must_use]
pub fn path_bounds(segs: &[Seg]) -> Option<Rect> {
    use kurbo::Shape as _;
    let els = path_els(segs);
    if els.is_empty() {
        return None;
    }
    let b = els.as_slice().bounding_box();
    Some(Rect {
        min: Pos::new(b.x0 as f32, b.y0 as f32),
        max: Pos::new(b.x1 as f32, b.y1 as f32),
    })
}

/// A path filled as triangles: for backends that fill only triangles (the canvas).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Triangles {
    /// The corners.
    pub vertices: Vec<Pos>,
    /// Each triangle's three corners (indices into `vertices`).
    pub indices: Vec<[u32; 3]>,
}

/// Fills a path (any number of subpaths, non-convex, with holes) by the non-zero winding
/// rule as SVG and PNG fill it, curves flattened to `tolerance` (lyon's tessellator). A path
/// with a coordinate that is not a number fills nothing.
#[must_use]
pub fn fill_triangles(segs: &[Seg], tolerance: f32) -> Triangles {
    use lyon_tessellation::math::point;
    use lyon_tessellation::{
        BuffersBuilder, FillOptions, FillRule, FillTessellator, FillVertex, VertexBuffers,
    };
    let finite = |p: &Pos| p.x.is_finite() && p.y.is_finite();
    let ok = segs.iter().all(|s| match s {
        Seg::Move(p) | Seg::Line(p) => finite(p),
        Seg::Cubic(a, b, c) => finite(a) && finite(b) && finite(c),
        Seg::Close => true,
    });
    if !ok {
        return Triangles::default();
    }
    let mut b = lyon_tessellation::path::Path::builder();
    let mut open = false;
    let f = |p: kurbo::Point| point(p.x as f32, p.y as f32);
    for el in path_els(segs) {
        match el {
            kurbo::PathEl::MoveTo(p) => {
                if open {
                    b.end(false);
                }
                b.begin(f(p));
                open = true;
            }
            kurbo::PathEl::LineTo(p) => {
                b.line_to(f(p));
            }
            kurbo::PathEl::QuadTo(c, p) => {
                b.quadratic_bezier_to(f(c), f(p));
            }
            kurbo::PathEl::CurveTo(c1, c2, p) => {
                b.cubic_bezier_to(f(c1), f(c2), f(p));
            }
            kurbo::PathEl::ClosePath => {
                b.end(true);
                open = false;
            }
        }
    }
    if open {
        b.end(false);
    }
    let path = b.build();
    let mut out: VertexBuffers<Pos, u32> = VertexBuffers::new();
    let options = FillOptions::tolerance(tolerance.max(1e-3)).with_fill_rule(FillRule::NonZero);
    let made = FillTessellator::new().tessellate_path(
        &path,
        &options,
        &mut BuffersBuilder::new(&mut out, |v: FillVertex<'_>| {
            let p = v.position();
            Pos::new(p.x, p.y)
        }),
    );
    if made.is_err() {
        return Triangles::default();
    }
    Triangles {
        indices: out
            .indices
            .chunks_exact(3)
            .map(|t| [t[0], t[1], t[2]])
            .collect(),
        vertices: out.vertices,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn area(t: &Triangles) -> f32 {
        t.indices
            .iter()
            .map(|[a, b, c]| {
                let (a, b, c) = (
                    t.vertices[*a as usize],
                    t.vertices[*b as usize],
                    t.vertices[*c as usize],
                );
                ((b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)).abs() / 2.0
            })
            .sum()
    }

    fn square(x: f32, y: f32, side: f32, clockwise: bool) -> Vec<Pos> {
        let mut pts = vec![
            Pos::new(x, y),
            Pos::new(x + side, y),
            Pos::new(x + side, y + side),
            Pos::new(x, y + side),
        ];
        if !clockwise {
            pts.reverse();
        }
        pts
    }

    #[test]
    fn a_non_convex_shape_fills_exactly() {
        // An L shape (area 3 of unit squares).
        let l = [
            Pos::new(0.0, 0.0),
            Pos::new(2.0, 0.0),
            Pos::new(2.0, 1.0),
            Pos::new(1.0, 1.0),
            Pos::new(1.0, 2.0),
            Pos::new(0.0, 2.0),
        ];
        let t = fill_triangles(&polyline(&l, true), 0.1);
        assert!((area(&t) - 3.0).abs() < 1e-4, "{}", area(&t));
        assert!(t.indices.len() >= 4);
    }

    #[test]
    fn holes_and_winding_fill_as_svg_does() {
        // A ring: the inner square wound the other way is a hole (non-zero), 16 − 4.
        let mut ring = polyline(&square(0.0, 0.0, 4.0, true), true);
        ring.extend(polyline(&square(1.0, 1.0, 2.0, false), true));
        assert!((area(&fill_triangles(&ring, 0.1)) - 12.0).abs() < 1e-4);
        // Wound the same way, the inner square is inside twice: filled (non-zero), 16.
        let mut twice = polyline(&square(0.0, 0.0, 4.0, true), true);
        twice.extend(polyline(&square(1.0, 1.0, 2.0, true), true));
        assert!((area(&fill_triangles(&twice, 0.1)) - 16.0).abs() < 1e-4);
        // A bow tie (self-crossing) fills both halves; a path with no number fills nothing.
        let bow = [
            Pos::new(0.0, 0.0),
            Pos::new(2.0, 2.0),
            Pos::new(2.0, 0.0),
            Pos::new(0.0, 2.0),
        ];
        assert!((area(&fill_triangles(&polyline(&bow, true), 0.1)) - 2.0).abs() < 1e-4);
        let nan = [
            Pos::new(0.0, 0.0),
            Pos::new(f32::NAN, 1.0),
            Pos::new(1.0, 0.0),
        ];
        assert_eq!(
            fill_triangles(&polyline(&nan, true), 0.1),
            Triangles::default()
        );
    }

    #[test]
    fn a_filled_curve_covers_its_area() {
        // A circle of radius 10 as four cubics (the usual 0.5523 handles): area ≈ 100π.
        let k = 0.552_284_8 * 10.0;
        let segs = [
            Seg::Move(Pos::new(10.0, 0.0)),
            Seg::Cubic(Pos::new(10.0, k), Pos::new(k, 10.0), Pos::new(0.0, 10.0)),
            Seg::Cubic(Pos::new(-k, 10.0), Pos::new(-10.0, k), Pos::new(-10.0, 0.0)),
            Seg::Cubic(
                Pos::new(-10.0, -k),
                Pos::new(-k, -10.0),
                Pos::new(0.0, -10.0),
            ),
            Seg::Cubic(Pos::new(k, -10.0), Pos::new(10.0, -k), Pos::new(10.0, 0.0)),
            Seg::Close,
        ];
        let a = area(&fill_triangles(&segs, 0.01));
        assert!((a - 100.0 * std::f32::consts::PI).abs() < 0.5, "{a}");
        // Its bounds are the circle's, not its control points' (which reach the same here).
        let b = path_bounds(&segs).unwrap();
        assert!(
            (b.min.x + 10.0).abs() < 1e-3 && (b.max.y - 10.0).abs() < 1e-3,
            "{b:?}"
        );
    }

    /// A hump from (0, 0) to (10, 0) whose control points reach y = 10.
    fn hump() -> [Seg; 2] {
        [
            Seg::Move(Pos::new(0.0, 0.0)),
            Seg::Cubic(
                Pos::new(0.0, 10.0),
                Pos::new(10.0, 10.0),
                Pos::new(10.0, 0.0),
            ),
        ]
    }

    #[test]
    fn bounds_are_the_curves_not_the_control_points() {
        // A hump whose control points reach y = 10: the curve itself only 7.5.
        let segs = hump();
        let b = path_bounds(&segs).unwrap();
        assert!((b.max.y - 7.5).abs() < 1e-3, "{b:?}");
        assert_eq!(path_bounds(&[]), None);
    }

    #[test]
    fn cubics_flatten_through_their_ends_within_the_tolerance() {
        let segs = hump();
        let curve = |t: f32| {
            let u = 1.0 - t;
            let w = [u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t];
            Pos::new(
                w[1] * 0.0 + w[2] * 10.0 + w[3] * 10.0,
                w[1] * 10.0 + w[2] * 10.0,
            )
        };
        for tol in [1.0f32, 0.1, 0.01] {
            let f = flatten(&segs, tol);
            assert_eq!(f.len(), 1);
            let (pts, closed) = &f[0];
            assert!(!closed);
            assert_eq!(pts[0], Pos::new(0.0, 0.0));
            assert_eq!(*pts.last().unwrap(), Pos::new(10.0, 0.0));
            // Every point of the curve is within the tolerance of the polyline.
            for i in 0..=200 {
                let p = curve(i as f32 / 200.0);
                let d = crate::layout::distance_to(pts, p);
                assert!(d <= tol * 1.01 + 1e-4, "tolerance {tol}: {p:?} is {d} away");
            }
        }
        // A finer tolerance takes more lines; a closed subpath says so.
        assert!(flatten(&segs, 0.01)[0].0.len() > flatten(&segs, 1.0)[0].0.len());
        let closed = flatten(&polyline(&square(0.0, 0.0, 1.0, true), true), 0.1);
        assert!(closed[0].1);
    }
}
