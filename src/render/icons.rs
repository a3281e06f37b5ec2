//! Vector marks drawn by the app, the same on the canvas and in every export: an icon for
//! every channel, the moment-of-truth star, severity bars, priority chevrons and the note
//! marker. Each is a path in a 16 × 16 design box, placed into a square of any size.

use super::{Part, Seg, Stroke, polyline};
use crate::geom::{Pos, Rect};
use crate::model::Channel;
use crate::theme::Color;

/// Maps design-box coordinates (0‥16) into a square.
#[derive(Clone, Copy)]
struct Box16 {
    origin: Pos,
    k: f32,
}

impl Box16 {
    fn new(square: Rect) -> Self {
        let side = square.width().min(square.height());
        let origin = Pos::new(
            square.center().x - side / 2.0,
            square.center().y - side / 2.0,
        );
        Self {
            origin,
            k: side / 16.0,
        }
    }

    fn p(self, x: f32, y: f32) -> Pos {
        Pos::new(self.origin.x + x * self.k, self.origin.y + y * self.k)
    }

    fn poly(self, pts: &[(f32, f32)], close: bool) -> Vec<Seg> {
        let pts: Vec<Pos> = pts.iter().map(|&(x, y)| self.p(x, y)).collect();
        polyline(&pts, close)
    }

    /// A circle as four cubics.
    fn circle(self, cx: f32, cy: f32, r: f32) -> Vec<Seg> {
        ellipse(self.p(cx, cy), r * self.k, r * self.k)
    }

    fn stroke(self, color: Color) -> Stroke {
        Stroke::solid((1.5 * self.k).max(0.75), color)
    }
}

/// An ellipse as four cubics.
#[must_use]
pub fn ellipse(c: Pos, rx: f32, ry: f32) -> Vec<Seg> {
    const K: f32 = 0.552_284_8;
    let (kx, ky) = (rx * K, ry * K);
    vec![
        Seg::Move(Pos::new(c.x + rx, c.y)),
        Seg::Cubic(
            Pos::new(c.x + rx, c.y + ky),
            Pos::new(c.x + kx, c.y + ry),
            Pos::new(c.x, c.y + ry),
        ),
        Seg::Cubic(
            Pos::new(c.x - kx, c.y + ry),
            Pos::new(c.x - rx, c.y + ky),
            Pos::new(c.x - rx, c.y),
        ),
        Seg::Cubic(
            Pos::new(c.x - rx, c.y - ky),
            Pos::new(c.x - kx, c.y - ry),
            Pos::new(c.x, c.y - ry),
        ),
        Seg::Cubic(
            Pos::new(c.x + kx, c.y - ry),
            Pos::new(c.x + rx, c.y - ky),
            Pos::new(c.x + rx, c.y),
        ),
        Seg::Close,
    ]
}

/// Draws a channel's icon into `square`.
pub fn channel_icon(p: &mut Part, ch: Channel, square: Rect, color: Color) {
    let b = Box16::new(square);
    let st = Some(b.stroke(color));
    let dot = |p: &mut Part, x: f32, y: f32, r: f32| p.path(b.circle(x, y, r), Some(color), None);
    match ch {
        Channel::Phone => {
            // A handset, filled.
            let segs = vec![
                Seg::Move(b.p(3.0, 2.0)),
                Seg::Line(b.p(6.2, 2.0)),
                Seg::Line(b.p(7.4, 5.6)),
                Seg::Line(b.p(5.6, 7.0)),
                Seg::Cubic(b.p(6.4, 8.6), b.p(7.4, 9.6), b.p(9.0, 10.4)),
                Seg::Line(b.p(10.4, 8.6)),
                Seg::Line(b.p(14.0, 9.8)),
                Seg::Line(b.p(14.0, 13.0)),
                Seg::Cubic(b.p(7.5, 14.5), b.p(1.5, 8.5), b.p(3.0, 2.0)),
                Seg::Close,
            ];
            p.path(segs, Some(color), None);
        }
        Channel::Email => {
            p.path(
                b.poly(&[(1.5, 3.5), (14.5, 3.5), (14.5, 12.5), (1.5, 12.5)], true),
                None,
                st,
            );
            p.path(
                b.poly(&[(1.5, 3.5), (8.0, 8.8), (14.5, 3.5)], false),
                None,
                st,
            );
        }
        Channel::Chat => {
            // Two speech bubbles.
            p.path(
                b.poly(
                    &[
                        (1.5, 2.0),
                        (10.5, 2.0),
                        (10.5, 8.5),
                        (5.0, 8.5),
                        (2.5, 11.0),
                        (2.5, 8.5),
                        (1.5, 8.5),
                    ],
                    true,
                ),
                None,
                st,
            );
            p.path(
                b.poly(
                    &[
                        (10.5, 5.5),
                        (14.5, 5.5),
                        (14.5, 11.5),
                        (13.5, 11.5),
                        (13.5, 14.0),
                        (11.0, 11.5),
                        (6.5, 11.5),
                        (6.5, 8.5),
                    ],
                    false,
                ),
                None,
                st,
            );
        }
        Channel::Sms => {
            // One bubble with three dots.
            p.path(
                b.poly(
                    &[
                        (1.5, 2.5),
                        (14.5, 2.5),
                        (14.5, 11.0),
                        (7.0, 11.0),
                        (3.5, 14.0),
                        (3.5, 11.0),
                        (1.5, 11.0),
                    ],
                    true,
                ),
                None,
                st,
            );
            for x in [5.0, 8.0, 11.0] {
                dot(p, x, 6.8, 1.1);
            }
        }
        Channel::Web => {
            p.path(b.circle(8.0, 8.0, 6.5), None, st);
            p.path(ellipse(b.p(8.0, 8.0), 2.8 * b.k, 6.5 * b.k), None, st);
            p.path(b.poly(&[(1.5, 8.0), (14.5, 8.0)], false), None, st);
        }
        Channel::App => {
            p.path(
                b.poly(&[(4.0, 1.0), (12.0, 1.0), (12.0, 15.0), (4.0, 15.0)], true),
                None,
                st,
            );
            p.path(b.poly(&[(6.5, 12.5), (9.5, 12.5)], false), None, st);
        }
        Channel::InPerson => {
            p.path(b.circle(8.0, 4.8, 2.9), None, st);
            let segs = vec![
                Seg::Move(b.p(2.5, 15.0)),
                Seg::Cubic(b.p(2.5, 8.5), b.p(13.5, 8.5), b.p(13.5, 15.0)),
            ];
            p.path(segs, None, st);
        }
        Channel::Social => {
            p.path(
                b.poly(&[(12.0, 3.5), (4.0, 8.0), (12.0, 12.5)], false),
                None,
                st,
            );
            for (x, y) in [(4.0, 8.0), (12.0, 3.5), (12.0, 12.5)] {
                dot(p, x, y, 2.3);
            }
        }
        Channel::Post => {
            // A parcel.
            p.path(
                b.poly(&[(1.5, 5.5), (14.5, 5.5), (14.5, 14.5), (1.5, 14.5)], true),
                None,
                st,
            );
            p.path(
                b.poly(&[(1.5, 5.5), (3.5, 1.5), (12.5, 1.5), (14.5, 5.5)], false),
                None,
                st,
            );
            p.path(b.poly(&[(8.0, 1.5), (8.0, 9.0)], false), None, st);
        }
        Channel::SelfService => {
            // A question mark in a circle.
            p.path(b.circle(8.0, 8.0, 6.8), None, st);
            let segs = vec![
                Seg::Move(b.p(5.8, 6.2)),
                Seg::Cubic(b.p(5.8, 3.3), b.p(10.2, 3.3), b.p(10.2, 6.0)),
                Seg::Cubic(b.p(10.2, 7.8), b.p(8.0, 7.8), b.p(8.0, 9.8)),
            ];
            p.path(segs, None, st);
            dot(p, 8.0, 12.0, 1.0);
        }
        Channel::Ivr => {
            // A keypad.
            for row in 0..3 {
                for col in 0..3 {
                    dot(p, 3.5 + col as f32 * 4.5, 3.0 + row as f32 * 4.5, 1.4);
                }
            }
            dot(p, 8.0, 15.0, 1.0);
        }
        Channel::Other => {
            p.path(b.circle(8.0, 8.0, 6.8), None, st);
            for x in [5.0, 8.0, 11.0] {
                dot(p, x, 8.0, 1.1);
            }
        }
    }
}

/// A five-pointed star (a non-convex outline) filled into `square`.
pub fn star(p: &mut Part, square: Rect, fill: Color, outline: Option<Stroke>) {
    let b = Box16::new(square);
    let c = b.p(8.0, 8.6);
    let (r, inner) = (8.0 * b.k, 3.4 * b.k);
    let pts: Vec<Pos> = (0..10)
        .map(|i| {
            let a = -std::f32::consts::FRAC_PI_2 + i as f32 * std::f32::consts::PI / 5.0;
            let r = if i % 2 == 0 { r } else { inner };
            Pos::new(c.x + r * a.cos(), c.y + r * a.sin())
        })
        .collect();
    p.path(polyline(&pts, true), Some(fill), outline);
}

/// Severity as three bars of rising height, `level` of them filled: readable without colour.
pub fn severity_bars(p: &mut Part, square: Rect, level: u8, color: Color, empty: Color) {
    let b = Box16::new(square);
    for i in 0..3u8 {
        let x = 1.5 + f32::from(i) * 5.0;
        let top = 10.0 - f32::from(i) * 4.0;
        let fill = if i < level { color } else { empty };
        p.path(
            b.poly(
                &[(x, top), (x + 3.5, top), (x + 3.5, 15.0), (x, 15.0)],
                true,
            ),
            Some(fill),
            None,
        );
    }
}

/// Priority as up to three stacked chevrons, `level` of them strong.
pub fn priority_chevrons(p: &mut Part, square: Rect, level: u8, color: Color, empty: Color) {
    let b = Box16::new(square);
    for i in 0..3u8 {
        let y = 12.0 - f32::from(i) * 4.5;
        let c = if i < level { color } else { empty };
        p.path(
            b.poly(&[(2.5, y + 3.0), (8.0, y - 1.5), (13.5, y + 3.0)], false),
            None,
            Some(Stroke::solid(2.2 * b.k, c)),
        );
    }
}

/// The note marker: a page with a folded corner.
pub fn note_marker(p: &mut Part, square: Rect, color: Color) {
    let b = Box16::new(square);
    let st = Some(b.stroke(color));
    p.path(
        b.poly(
            &[
                (3.0, 1.5),
                (10.0, 1.5),
                (13.5, 5.0),
                (13.5, 14.5),
                (3.0, 14.5),
            ],
            true,
        ),
        None,
        st,
    );
    p.path(
        b.poly(&[(10.0, 1.5), (10.0, 5.0), (13.5, 5.0)], false),
        None,
        st,
    );
    for y in [8.0, 11.0] {
        p.path(b.poly(&[(5.5, y), (11.0, y)], false), None, st);
    }
}

/// A link to another map: a page with an arrow leaving it at the top right.
pub fn map_link_marker(p: &mut Part, square: Rect, color: Color) {
    let b = Box16::new(square);
    let st = Some(b.stroke(color));
    // The page, open at its top right corner where the arrow leaves.
    p.path(
        b.poly(
            &[
                (8.0, 3.0),
                (2.5, 3.0),
                (2.5, 13.5),
                (13.0, 13.5),
                (13.0, 8.0),
            ],
            false,
        ),
        None,
        st,
    );
    p.path(b.poly(&[(7.0, 9.0), (14.0, 2.0)], false), None, st);
    p.path(
        b.poly(&[(9.5, 2.0), (14.0, 2.0), (14.0, 6.5)], false),
        None,
        st,
    );
}
