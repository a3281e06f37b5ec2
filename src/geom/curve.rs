//! The emotion curve: monotone cubic (Fritsch–Carlson) interpolation through the points, so
//! the curve is smooth, passes through every point and never overshoots between two of them
//! (so never past the scale).

use crate::geom::Pos;

/// A polyline through `knots` (sorted by x), with `steps` segments between two knots.
#[must_use]
pub fn monotone_curve(knots: &[Pos], steps: usize) -> Vec<Pos> {
    use kurbo::ParamCurve as _;
    if knots.len() < 2 {
        return knots.to_vec();
    }
    let steps = steps.max(1);
    let mut out = Vec::with_capacity((knots.len() - 1) * steps + 1);
    out.push(knots[0]);
    for span in monotone_spans(knots) {
        for k in 1..=steps {
            let p = span.eval(k as f64 / steps as f64);
            out.push(Pos::new(p.x as f32, p.y as f32));
        }
    }
    out
}

/// The curve through `knots` (sorted by x) as one cubic Bézier a span: Fritsch–Carlson
/// tangents (zero at a peak, a trough or a flat stretch; limited so that no span
/// overshoots), each span's control points a third of the way across it, so x runs evenly
/// with the curve's parameter.
#[must_use]
pub fn monotone_spans(knots: &[Pos]) -> Vec<kurbo::CubicBez> {
    let n = knots.len();
    if n < 2 {
        return Vec::new();
    }
    let h: Vec<f32> = knots
        .windows(2)
        .map(|w| (w[1].x - w[0].x).max(1e-3))
        .collect();
    let d: Vec<f32> = knots
        .windows(2)
        .zip(&h)
        .map(|(w, h)| (w[1].y - w[0].y) / h)
        .collect();
    // Tangents.
    let mut m = vec![0.0; n];
    m[0] = d[0];
    m[n - 1] = d[n - 2];
    for i in 1..n - 1 {
        m[i] = if d[i - 1] * d[i] <= 0.0 {
            0.0
        } else {
            f32::midpoint(d[i - 1], d[i])
        };
    }
    for i in 0..n - 1 {
        if d[i] == 0.0 {
            m[i] = 0.0;
            m[i + 1] = 0.0;
            continue;
        }
        let a = m[i] / d[i];
        let b = m[i + 1] / d[i];
        let s = a * a + b * b;
        if s > 9.0 {
            let t = 3.0 / s.sqrt();
            m[i] = t * a * d[i];
            m[i + 1] = t * b * d[i];
        }
    }
    let pt = |p: Pos| kurbo::Point::new(f64::from(p.x), f64::from(p.y));
    (0..n - 1)
        .map(|i| {
            let (p0, p1) = (pt(knots[i]), pt(knots[i + 1]));
            let third = (p1.x - p0.x) / 3.0;
            let hy = f64::from(h[i]) / 3.0;
            kurbo::CubicBez::new(
                p0,
                p0 + kurbo::Vec2::new(third, hy * f64::from(m[i])),
                p1 - kurbo::Vec2::new(third, hy * f64::from(m[i + 1])),
                p1,
            )
        })
        .collect()
}

/// The y of a polyline (x increasing) at `x`, if `x` is within it.
#[must_use]
pub fn y_at(line: &[Pos], x: f32) -> Option<f32> {
    let (first, last) = (line.first()?, line.last()?);
    if x < first.x - 0.01 || x > last.x + 0.01 {
        return None;
    }
    let i = line.partition_point(|p| p.x < x);
    if i == 0 {
        return Some(first.y);
    }
    let (a, b) = (line[i - 1], *line.get(i).unwrap_or(last));
    if (b.x - a.x).abs() < 1e-6 {
        return Some(b.y);
    }
    let t = (x - a.x) / (b.x - a.x);
    Some(a.y + t * (b.y - a.y))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_peak_is_flat_and_halfway_is_where_hermite_puts_it() {
        // Slopes 1 then −1: the tangent is 1 at the start, 0 at the peak. Halfway up the
        // first span the Hermite basis gives 0.125·1 + 0.5·1 = 0.625 (worked by hand).
        let knots = [Pos::new(0.0, 0.0), Pos::new(1.0, 1.0), Pos::new(2.0, 0.0)];
        let c = monotone_curve(&knots, 2);
        assert_eq!(c.len(), 5);
        assert!(
            (c[1].x - 0.5).abs() < 1e-6 && (c[1].y - 0.625).abs() < 1e-6,
            "{:?}",
            c[1]
        );
        assert!(
            (c[3].x - 1.5).abs() < 1e-6 && (c[3].y - 0.625).abs() < 1e-6,
            "{:?}",
            c[3]
        );
        // The spans meet at the peak with a level tangent.
        let spans = monotone_spans(&knots);
        assert_eq!(spans.len(), 2);
        assert!((spans[0].p2.y - 1.0).abs() < 1e-9 && (spans[1].p1.y - 1.0).abs() < 1e-9);
    }

    proptest! {
        #[test]
        fn never_overshoots(ys in proptest::collection::vec(-2.0f32..=2.0, 2..12), gaps in proptest::collection::vec(1.0f32..300.0, 12)) {
            let mut x = 0.0;
            let knots: Vec<Pos> = ys.iter().zip(&gaps).map(|(y, g)| { x += g; Pos::new(x, *y) }).collect();
            let curve = monotone_curve(&knots, 16);
            for w in knots.windows(2) {
                let (lo, hi) = (w[0].y.min(w[1].y), w[0].y.max(w[1].y));
                for p in curve.iter().filter(|p| p.x >= w[0].x && p.x <= w[1].x) {
                    prop_assert!(p.y >= lo - 1e-3 && p.y <= hi + 1e-3, "{p:?} outside {lo}..{hi}");
                }
            }
            for k in &knots {
                prop_assert!(curve.iter().any(|p| (p.x - k.x).abs() < 1e-3 && (p.y - k.y).abs() < 1e-3));
            }
        }
    }
}
