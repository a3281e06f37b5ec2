//! The emotion lane drawn: the scale, the good and bad stretches of the perceived experience
//! against neutral, the gap between the service as measured and the experience as perceived
//! (shaded, the largest gaps labelled), every visible curve in its colour (the inactive ones
//! dimmed while one is being edited) and their points.

use super::{Part, Stroke};
use crate::geom::{Pos, Rect};
use crate::layout::{CurveBox, EmotionBox, LINE_HEIGHT, Style, TextMeasure as _};
use crate::model::{CurveId, CurveKind, Document};
use crate::theme::{Color, Theme};

/// Distance between the upright lines that hatch the gap, in map units.
pub const GAP_HATCH: f32 = 5.0;
/// Width of those lines.
pub const GAP_HATCH_W: f32 = 1.5;

/// The emotion scale's labels, right-aligned in the label column, clear of the lane's name.
pub(crate) fn scale_labels(
    p: &mut Part,
    doc: &Document,
    e: &EmotionBox,
    style: Style,
    theme: &Theme,
) {
    let scale = &doc.emotion.scale;
    let size = style.scale_font();
    for v in scale.min..=scale.max {
        let y = e.y_of(v as f32);
        let label = match scale.label(v) {
            Some(l) => format!("{v:+} {l}"),
            None => format!("{v:+}"),
        };
        let label = if v == 0 {
            format!("0 {}", scale.label(0).unwrap_or(""))
        } else {
            label
        };
        // Within the label column, whatever the label's length: a long one is cut with "…"
        // instead of running out of the map (and widening every export's page).
        let measure = crate::layout::FontMeasure::shared();
        let text: std::sync::Arc<str> =
            crate::layout::elide(measure, label.trim(), size, false, style.label_w() - 20.0).into();
        let width = measure.width(&text, size, false);
        let x = style.label_w() - 10.0 - width;
        let line = crate::layout::TextLine {
            text,
            pos: Pos::new(x, y - size * LINE_HEIGHT / 2.0),
            size,
            bold: false,
            width,
        };
        p.text(&line, theme.text_muted);
    }
}

/// The colour a curve is drawn in.
#[must_use]
pub fn curve_color(c: &CurveBox, theme: &Theme) -> Color {
    match (c.hue, c.kind) {
        (Some(h), _) => theme.hue(h).accent,
        (None, CurveKind::Perceived) => theme.curve,
        (None, CurveKind::Measured) => theme.curve_measured,
        (None, CurveKind::Future) => theme.curve_future,
        (None, CurveKind::Custom) => theme.hue(crate::model::Hue::Amber).accent,
    }
}

/// How a curve's line is drawn (measured and future curves dashed, so they read apart from
/// the experience in print too).
fn curve_stroke(c: &CurveBox, color: Color) -> Stroke {
    match c.kind {
        CurveKind::Perceived | CurveKind::Custom => Stroke::solid(3.0, color),
        CurveKind::Measured => Stroke::dashed(2.5, color, 10.0, 6.0),
        CurveKind::Future => Stroke::dashed(2.5, color, 3.0, 5.0),
    }
}

/// The curve whose good and bad stretches are shaded: the first perceived one (else the
/// first curve).
fn shaded(e: &EmotionBox) -> Option<&CurveBox> {
    e.first_of(CurveKind::Perceived).or(e.curves.first())
}

pub(crate) fn emotion_items(
    p: &mut Part,
    doc: &Document,
    e: &EmotionBox,
    style: Style,
    theme: &Theme,
    active: Option<CurveId>,
) {
    let scale = &doc.emotion.scale;
    let (x0, x1) = (e.row.min.x, e.row.max.x);
    for v in scale.min..=scale.max {
        let y = e.y_of(v as f32);
        let (width, color) = if v == 0 {
            (1.5, theme.neutral)
        } else {
            (1.0, theme.grid)
        };
        p.line(
            &[Pos::new(x0, y), Pos::new(x1, y)],
            Stroke::solid(width, color),
        );
    }
    if let Some(c) = shaded(e) {
        good_and_bad(p, e, &c.line, theme);
    }
    gap(p, e, style, theme);
    let dim = |c: &CurveBox, color: Color| match active {
        Some(a) if a != c.id => color.alpha(color.0[3] / 3),
        _ => color,
    };
    for c in &e.curves {
        let color = dim(c, curve_color(c, theme));
        if c.line.len() >= 2 {
            p.line(&c.line, curve_stroke(c, color));
        }
        for pt in &c.points {
            let fill = match c.kind {
                CurveKind::Perceived if pt.value > 0.0 => theme.good.alpha(255),
                CurveKind::Perceived if pt.value < 0.0 => theme.bad.alpha(255),
                CurveKind::Perceived => theme.neutral,
                _ => color.alpha(255),
            };
            let r = 7.0;
            p.push(
                Rect::from_xywh(
                    pt.pos.x - r - 2.0,
                    pt.pos.y - r - 2.0,
                    2.0 * r + 4.0,
                    2.0 * r + 4.0,
                ),
                super::Item::Circle {
                    center: pt.pos,
                    radius: r,
                    fill: dim(c, fill),
                    stroke: Some(Stroke::solid(2.0, theme.background)),
                },
            );
        }
    }
    worst_moment(p, e, style, theme);
}

/// The worst moment (the lowest point of the perceived experience, below neutral) ringed and
/// labelled, so an executive finds it first; stages that share the lowest value are each
/// ringed (the summary lists them all as worst moments).
fn worst_moment(p: &mut Part, e: &EmotionBox, style: Style, theme: &Theme) {
    let neutral = e.neutral();
    let Some(lowest) = e.lowest.filter(|v| *v < neutral) else {
        return;
    };
    for w in e.worst_points().filter(|w| w.value <= lowest + 1e-4) {
        ring(p, e, w.pos, style, theme);
    }
}

/// One worst moment's ring and label.
fn ring(p: &mut Part, e: &EmotionBox, at: Pos, style: Style, theme: &Theme) {
    let red = theme.hue(crate::model::Hue::Red).accent;
    let r = 13.0;
    p.path(
        super::icons::ellipse(at, r, r),
        None,
        Some(Stroke::solid(3.0, red)),
    );
    // A little larger than a card's channel line, and larger with the text size.
    let size = style.meta_font() * 13.0 / 12.0;
    let text: std::sync::Arc<str> = "Worst moment".into();
    let width = crate::layout::FontMeasure::shared().width(&text, size, true);
    // Below the ring when there is room in the lane, else above it.
    let h = size * LINE_HEIGHT;
    let y = if at.y + r + 4.0 + h <= e.row.max.y {
        at.y + r + 4.0
    } else {
        at.y - r - 4.0 - h
    };
    let x = (at.x - width / 2.0).clamp(
        e.row.min.x + 2.0,
        (e.row.max.x - width - 2.0).max(e.row.min.x),
    );
    let bg = Rect::from_xywh(x - 4.0, y, width + 8.0, h);
    p.rect(bg, 4.0, theme.background.alpha(230), None);
    let line = crate::layout::TextLine {
        text,
        pos: Pos::new(x, y),
        size,
        bold: true,
        width,
    };
    p.text(&line, red);
}

/// Good and bad stretches: each run of the curve on one side of the neutral line is one area
/// closed against that line (split where the curve crosses or touches neutral).
fn good_and_bad(p: &mut Part, e: &EmotionBox, line: &[Pos], theme: &Theme) {
    let y0 = e.y_of(0.0_f32.clamp(e.min, e.max));
    // Which side of neutral a point is on (0: on the line). A run takes the side of its first
    // point off the line; it ends where the curve reaches the other side, whether it crosses
    // the line between two samples or touches it at a sample (a point whose value is 0).
    let side_of = |q: Pos| {
        let d = q.y - y0;
        if d.abs() <= 0.01 {
            0_i8
        } else if d < 0.0 {
            -1
        } else {
            1
        }
    };
    // Closes a run into one area, coloured for its side (a run that never left the line
    // draws nothing).
    let flush = |p: &mut Part, run: &mut Vec<Pos>, side: i8| {
        let pts = std::mem::take(run);
        if side == 0 || pts.len() < 2 {
            return;
        }
        let level: Vec<Pos> = pts.iter().map(|q| Pos::new(q.x, y0)).collect();
        let (upper, lower, fill) = if side < 0 {
            (pts, level, theme.good)
        } else {
            (level, pts, theme.bad)
        };
        p.area(upper, lower, fill);
    };
    let mut run: Vec<Pos> = line.first().copied().into_iter().collect();
    let mut run_side = run.first().map_or(0, |&q| side_of(q));
    for w in line.windows(2) {
        let (a, b) = (w[0], w[1]);
        let b_side = side_of(b);
        if run_side != 0 && b_side != 0 && b_side != run_side {
            let m = if side_of(a) == 0 {
                Pos::new(a.x, y0)
            } else {
                let t = (y0 - a.y) / (b.y - a.y);
                Pos::new(a.x + t * (b.x - a.x), y0)
            };
            run.push(m);
            flush(p, &mut run, run_side);
            run.push(m);
        }
        if b_side != 0 {
            run_side = b_side;
        }
        run.push(b);
    }
    flush(p, &mut run, run_side);
}

/// The gap between the service as measured and the experience as perceived: the area
/// between the two curves where both run, and the largest stage gaps labelled with a bracket
/// and their size.
fn gap(p: &mut Part, e: &EmotionBox, style: Style, theme: &Theme) {
    let (Some(m), Some(q)) = (
        e.first_of(CurveKind::Measured),
        e.first_of(CurveKind::Perceived),
    ) else {
        return;
    };
    let (Some(m0), Some(m1), Some(q0), Some(q1)) =
        (m.line.first(), m.line.last(), q.line.first(), q.line.last())
    else {
        return;
    };
    let (lo, hi) = (m0.x.max(q0.x), m1.x.min(q1.x));
    if hi - lo < 1.0 {
        return;
    }
    // Hatched with thin upright lines rather than filled: an orange fill over the red of
    // "feels bad" read as mud; lines let both colours show.
    let mut hatch = Vec::new();
    let mut x = lo + GAP_HATCH / 2.0;
    while x < hi {
        if let (Some(ym), Some(yq)) = (
            crate::layout::y_at(&m.line, x),
            crate::layout::y_at(&q.line, x),
        ) && (ym - yq).abs() > 1.0
        {
            hatch.push(crate::render::primitives::Seg::Move(Pos::new(x, ym)));
            hatch.push(crate::render::primitives::Seg::Line(Pos::new(x, yq)));
        }
        x += GAP_HATCH;
    }
    if !hatch.is_empty() {
        p.path(hatch, None, Some(Stroke::solid(GAP_HATCH_W, theme.gap)));
    }
    for g in e.largest_gaps() {
        let (a, b) = g.at;
        let x = a.x;
        let stroke = Stroke::solid(1.5, theme.gap_text);
        p.line(&[Pos::new(x, a.y), Pos::new(x, b.y)], stroke);
        for y in [a.y, b.y] {
            p.line(&[Pos::new(x - 5.0, y), Pos::new(x + 5.0, y)], stroke);
        }
        let text: std::sync::Arc<str> = g.said("feels").into();
        let size = style.meta_font();
        let width = crate::layout::FontMeasure::shared().width(&text, size, true);
        let line = crate::layout::TextLine {
            text,
            pos: Pos::new(x + 8.0, f32::midpoint(a.y, b.y) - size * LINE_HEIGHT / 2.0),
            size,
            bold: true,
            width,
        };
        // On a backing of the page's colour, above the hatching.
        p.rect(
            Rect::from_xywh(
                line.pos.x - 3.0,
                line.pos.y,
                width + 6.0,
                size * LINE_HEIGHT,
            ),
            3.0,
            theme.background.alpha(225),
            None,
        );
        p.text(&line, theme.gap_text);
    }
}

impl Part {
    /// Adds an area between two polylines with the same x's.
    pub(crate) fn area(&mut self, upper: Vec<Pos>, lower: Vec<Pos>, fill: Color) {
        let Some(first) = upper.first().copied() else {
            return;
        };
        let b = upper.iter().chain(&lower).fold(
            Rect {
                min: first,
                max: first,
            },
            |r, q| r.union(&Rect { min: *q, max: *q }),
        );
        self.push(b, super::Item::Area { upper, lower, fill });
    }
}
