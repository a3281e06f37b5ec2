//! The emotion curve: monotone cubic (Fritsch–Carlson) interpolation through the points, so
//! the curve is smooth, passes through every point and never overshoots between two of them
//! (so never past the scale).

use crate::geom::Pos;

/// A polyline through `knots` (sorted by x), with `steps` segments between two knots.
#[must_use]
pub fn monotone_curve(knots: &[Pos], steps: usize) -> Vec<Pos> {
    let n = knots.len();
    if n < 2 {
        return knots.to_vec();
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
    let mut out = Vec::with_capacity((n - 1) * steps + 1);
    out.push(knots[0]);
    for i in 0..n - 1 {
        let (p0, p1) = (knots[i], knots[i + 1]);
        for k in 1..=steps {
            let t = k as f32 / steps as f32;
            let (t2, t3) = (t * t, t * t * t);
            let h00 = 2.0 * t3 - 3.0 * t2 + 1.0;
            let h10 = t3 - 2.0 * t2 + t;
            let h01 = -2.0 * t3 + 3.0 * t2;
            let h11 = t3 - t2;
            let y = h00 * p0.y + h10 * h[i] * m[i] + h01 * p1.y + h11 * h[i] * m[i + 1];
            out.push(Pos::new(p0.x + t * (p1.x - p0.x), y));
        }
    }
    out
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
