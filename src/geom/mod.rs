//! Plain 2-D geometry in world units, shared by layout, render and hit-testing (no egui here).

mod curve;

pub use curve::{monotone_curve, y_at};

/// A point or a vector in world units.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Pos {
    /// Horizontal coordinate (grows to the right).
    pub x: f32,
    /// Vertical coordinate (grows downwards).
    pub y: f32,
}

impl Pos {
    /// A point from its coordinates.
    #[must_use]
    pub const fn new(x: f32, y: f32) -> Self {
        Self { x, y }
    }
}

impl std::ops::Add for Pos {
    type Output = Pos;

    fn add(self, d: Pos) -> Pos {
        Pos::new(self.x + d.x, self.y + d.y)
    }
}

/// An axis-aligned rectangle in world units.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rect {
    /// Top-left corner.
    pub min: Pos,
    /// Bottom-right corner.
    pub max: Pos,
}

impl Rect {
    /// This rectangle moved by `d`.
    #[must_use]
    pub fn translate(&self, d: Pos) -> Self {
        Self {
            min: self.min + d,
            max: self.max + d,
        }
    }

    /// A rectangle from its left, top, width and height.
    #[must_use]
    pub const fn from_xywh(x: f32, y: f32, w: f32, h: f32) -> Self {
        Self {
            min: Pos::new(x, y),
            max: Pos::new(x + w, y + h),
        }
    }

    /// A rectangle spanning two corners in any order.
    #[must_use]
    pub fn from_corners(a: Pos, b: Pos) -> Self {
        Self {
            min: Pos::new(a.x.min(b.x), a.y.min(b.y)),
            max: Pos::new(a.x.max(b.x), a.y.max(b.y)),
        }
    }

    /// Width.
    #[must_use]
    pub fn width(&self) -> f32 {
        self.max.x - self.min.x
    }

    /// Height.
    #[must_use]
    pub fn height(&self) -> f32 {
        self.max.y - self.min.y
    }

    /// Centre point.
    #[must_use]
    pub fn center(&self) -> Pos {
        Pos::new(
            f32::midpoint(self.min.x, self.max.x),
            f32::midpoint(self.min.y, self.max.y),
        )
    }

    /// Whether the point lies inside (edges included).
    #[must_use]
    pub fn contains(&self, p: Pos) -> bool {
        p.x >= self.min.x && p.x <= self.max.x && p.y >= self.min.y && p.y <= self.max.y
    }

    /// Whether the segment from `a` to `b` touches the rectangle (clipped against both
    /// slabs, Liang–Barsky).
    #[must_use]
    pub fn hits_segment(&self, a: Pos, b: Pos) -> bool {
        let (mut t0, mut t1) = (0.0_f32, 1.0_f32);
        for (p, d, lo, hi) in [
            (a.x, b.x - a.x, self.min.x, self.max.x),
            (a.y, b.y - a.y, self.min.y, self.max.y),
        ] {
            if d.abs() < 1e-6 {
                if p < lo || p > hi {
                    return false;
                }
            } else {
                let (u0, u1) = ((lo - p) / d, (hi - p) / d);
                t0 = t0.max(u0.min(u1));
                t1 = t1.min(u0.max(u1));
                if t0 > t1 {
                    return false;
                }
            }
        }
        true
    }

    /// Whether the two rectangles overlap.
    #[must_use]
    pub fn intersects(&self, other: &Rect) -> bool {
        self.min.x <= other.max.x
            && other.min.x <= self.max.x
            && self.min.y <= other.max.y
            && other.min.y <= self.max.y
    }

    /// The smallest rectangle holding both.
    #[must_use]
    pub fn union(&self, other: &Rect) -> Rect {
        Rect {
            min: Pos::new(self.min.x.min(other.min.x), self.min.y.min(other.min.y)),
            max: Pos::new(self.max.x.max(other.max.x), self.max.y.max(other.max.y)),
        }
    }

    /// The rectangle grown by `d` on every side.
    #[must_use]
    pub fn expand(&self, d: f32) -> Rect {
        Rect {
            min: Pos::new(self.min.x - d, self.min.y - d),
            max: Pos::new(self.max.x + d, self.max.y + d),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Pos, Rect};

    #[test]
    fn segments_hit_rectangles_they_cross_and_miss_others() {
        let r = Rect::from_xywh(10.0, 10.0, 10.0, 10.0);
        let p = Pos::new;
        assert!(
            r.hits_segment(p(0.0, 15.0), p(30.0, 15.0)),
            "straight through"
        );
        assert!(
            r.hits_segment(p(0.0, 0.0), p(30.0, 30.0)),
            "diagonal through"
        );
        assert!(r.hits_segment(p(12.0, 12.0), p(13.0, 13.0)), "inside");
        assert!(!r.hits_segment(p(0.0, 0.0), p(30.0, 5.0)), "above");
        assert!(!r.hits_segment(p(0.0, 0.0), p(9.0, 9.0)), "short of it");
        assert!(
            !r.hits_segment(p(0.0, 15.0), p(15.0, 0.0)),
            "past the corner"
        );
        assert!(
            !r.hits_segment(p(5.0, 0.0), p(5.0, 30.0)),
            "vertical beside it"
        );
    }
}
