//! The importance–performance chart of a driver analysis: each touchpoint's importance
//! (its share of the explained overall satisfaction) against its mean score, split into
//! quadrants at the means. Drawn as display-list items, so the drivers panel and every export
//! show the same chart.

use super::{Item, Stroke};
use crate::geom::{Pos, Rect};
use crate::layout::{FontMeasure, LINE_HEIGHT, TextMeasure as _};
use crate::model::{Document, Hue, LaneKind};
use crate::theme::{Color, Theme};

/// One touchpoint on the chart.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartPoint {
    /// Its name.
    pub label: String,
    /// Its mean score.
    pub score: f64,
    /// Its importance (any unit; shown as a share of the total).
    pub importance: f64,
}

/// The chart's points from the `importance` and `score` metrics of a map's cards (as
/// `journeymap drivers --apply` and the drivers panel write them).
#[must_use]
pub fn points_of(doc: &Document) -> Vec<ChartPoint> {
    doc.cards
        .iter()
        .filter(|c| {
            doc.lane(c.lane)
                .is_some_and(|l| l.kind.holds_cards() && l.kind != LaneKind::Emotion)
        })
        .filter_map(|c| {
            Some(ChartPoint {
                label: c.text.split_whitespace().collect::<Vec<_>>().join(" "),
                score: c.metric("score")?,
                importance: c.metric("importance")?,
            })
        })
        .collect()
}

/// Label size.
const FONT: f32 = 13.0;
/// Heading size.
const HEADING: f32 = 15.0;
/// Height of the plot area.
const PLOT_H: f32 = 360.0;
/// The quadrants, as (label, left, top).
const QUADRANTS: [(&str, bool, bool); 4] = [
    ("Concentrate here", true, true),
    ("Keep up the good work", false, true),
    ("Low priority", true, false),
    ("Possible overkill", false, false),
];

fn text(
    items: &mut Vec<(Rect, Item)>,
    s: &str,
    x: f32,
    y: f32,
    size: f32,
    bold: bool,
    color: Color,
) -> f32 {
    let (bounds, item, width) = Item::measured_text(s, Pos::new(x, y), size, bold, color);
    items.push((bounds, item));
    width
}

fn line(items: &mut Vec<(Rect, Item)>, a: Pos, b: Pos, stroke: Stroke) {
    let segs = super::polyline(&[a, b], false);
    let bounds = Rect::from_corners(
        Pos::new(a.x.min(b.x), a.y.min(b.y)),
        Pos::new(a.x.max(b.x), a.y.max(b.y)),
    )
    .expand(stroke.width);
    items.push((
        bounds,
        Item::Path {
            segs,
            fill: None,
            stroke: Some(stroke),
        },
    ));
}

/// Nice axis bounds around `lo..hi`.
fn axis(lo: f64, hi: f64) -> (f64, f64) {
    let span = (hi - lo).max(0.5);
    let pad = span * 0.12;
    (
        (lo - pad).floor().min(lo - pad),
        (hi + pad).ceil().max(hi + pad),
    )
}

/// The chart laid out from (0, 0), `w` wide: its items and height. Nothing for fewer than two
/// points.
#[must_use]
pub fn chart(points: &[ChartPoint], theme: &Theme, w: f32) -> (Vec<(Rect, Item)>, f32) {
    let mut items = Vec::new();
    let pts: Vec<&ChartPoint> = points
        .iter()
        .filter(|p| p.score.is_finite() && p.importance.is_finite())
        .collect();
    if pts.len() < 2 {
        return (items, 0.0);
    }
    let total: f64 = pts.iter().map(|p| p.importance.max(0.0)).sum();
    let share = |p: &ChartPoint| {
        if total > 0.0 {
            p.importance.max(0.0) / total * 100.0
        } else {
            0.0
        }
    };
    let bg = Rect::from_xywh(0.0, 0.0, w, 0.0);
    let mut y = 14.0;
    let title_w = text(
        &mut items,
        "Which touchpoints matter",
        12.0,
        y,
        HEADING,
        true,
        theme.text,
    );
    let sub = "importance (share of explained overall satisfaction) against mean score";
    let sub_w = FontMeasure::shared().width(sub, FONT, false);
    if 12.0 + title_w + 10.0 + sub_w <= w - 12.0 {
        text(
            &mut items,
            sub,
            22.0 + title_w,
            y + 1.0,
            FONT,
            false,
            theme.text_muted,
        );
    } else {
        y += HEADING * LINE_HEIGHT + 2.0;
        text(&mut items, sub, 12.0, y, FONT, false, theme.text_muted);
        y -= HEADING * LINE_HEIGHT - FONT * LINE_HEIGHT;
    }
    y += HEADING * LINE_HEIGHT + 10.0;
    text(
        &mut items,
        "\u{2191} Importance",
        12.0,
        y,
        FONT,
        false,
        theme.text,
    );
    y += FONT * LINE_HEIGHT + 8.0;
    let left = 64.0;
    let right = w - 24.0;
    let (top, bottom) = (y, y + PLOT_H);
    let (x_lo, x_hi) = axis(
        pts.iter().map(|p| p.score).fold(f64::INFINITY, f64::min),
        pts.iter()
            .map(|p| p.score)
            .fold(f64::NEG_INFINITY, f64::max),
    );
    let max_share = pts.iter().map(|p| share(p)).fold(0.0, f64::max);
    let y_step = if max_share > 40.0 { 10.0 } else { 5.0 };
    let y_hi = ((max_share * 1.1) / y_step).ceil().max(1.0) * y_step;
    let sx = |v: f64| left + ((v - x_lo) / (x_hi - x_lo)) as f32 * (right - left);
    let sy = |v: f64| bottom - (v / y_hi) as f32 * (bottom - top);
    let grid = Stroke::solid(1.0, theme.grid);
    let axis_stroke = Stroke::solid(1.5, theme.text_muted);
    // Quadrants at the mean score and the mean share.
    let mean_x = pts.iter().map(|p| p.score).sum::<f64>() / pts.len() as f64;
    let mean_y = 100.0 / pts.len() as f64;
    let (qx, qy) = (sx(mean_x), sy(mean_y));
    let concentrate = Rect::from_corners(Pos::new(left, top), Pos::new(qx, qy));
    items.push((
        concentrate,
        Item::Rect {
            rect: concentrate,
            radius: 0.0,
            fill: theme.hue(Hue::Red).fill,
            stroke: None,
        },
    ));
    let mut quadrant_labels = Vec::new();
    for (label, is_left, is_top) in QUADRANTS {
        let lw = FontMeasure::shared().width(label, FONT, true);
        let x = if is_left {
            left + 8.0
        } else {
            right - lw - 8.0
        };
        let y = if is_top {
            top + 6.0
        } else {
            bottom - FONT * LINE_HEIGHT - 6.0
        };
        let color = if is_left && is_top {
            theme.hue(Hue::Red).accent
        } else {
            theme.text_muted
        };
        text(&mut items, label, x, y, FONT, true, color);
        quadrant_labels.push(Rect::from_xywh(x, y, lw, FONT * LINE_HEIGHT));
    }
    line(
        &mut items,
        Pos::new(qx, top),
        Pos::new(qx, bottom),
        Stroke {
            dash: Some([6.0, 4.0]),
            ..grid
        },
    );
    line(
        &mut items,
        Pos::new(left, qy),
        Pos::new(right, qy),
        Stroke {
            dash: Some([6.0, 4.0]),
            ..grid
        },
    );
    // Axes with ticks.
    line(
        &mut items,
        Pos::new(left, bottom),
        Pos::new(right, bottom),
        axis_stroke,
    );
    line(
        &mut items,
        Pos::new(left, top),
        Pos::new(left, bottom),
        axis_stroke,
    );
    let x_step = if x_hi - x_lo > 6.0 { 2.0 } else { 1.0 };
    let mut v = x_lo.ceil();
    while v <= x_hi + 1e-9 {
        let x = sx(v);
        line(
            &mut items,
            Pos::new(x, bottom),
            Pos::new(x, bottom + 5.0),
            axis_stroke,
        );
        let s = format!("{v:.0}");
        let tw = FontMeasure::shared().width(&s, FONT, false);
        text(
            &mut items,
            &s,
            x - tw / 2.0,
            bottom + 7.0,
            FONT,
            false,
            theme.text_muted,
        );
        v += x_step;
    }
    let mut v = 0.0;
    while v <= y_hi + 1e-9 {
        let yy = sy(v);
        line(
            &mut items,
            Pos::new(left - 5.0, yy),
            Pos::new(left, yy),
            axis_stroke,
        );
        let s = format!("{v:.0} %");
        let tw = FontMeasure::shared().width(&s, FONT, false);
        text(
            &mut items,
            &s,
            left - 8.0 - tw,
            yy - FONT * LINE_HEIGHT / 2.0,
            FONT,
            false,
            theme.text_muted,
        );
        v += y_step;
    }
    let x_label = "Mean score (performance) \u{2192}";
    let xw = FontMeasure::shared().width(x_label, FONT, false);
    text(
        &mut items,
        x_label,
        (left + right - xw) / 2.0,
        bottom + 8.0 + FONT * LINE_HEIGHT,
        FONT,
        false,
        theme.text,
    );
    // The points, most important last (on top), labelled.
    let mut order: Vec<&&ChartPoint> = pts.iter().collect();
    order.sort_by(|a, b| share(a).total_cmp(&share(b)));
    let dot = theme.hue(Hue::Teal).accent;
    let r = 6.0;
    let centres: Vec<Pos> = order
        .iter()
        .map(|p| Pos::new(sx(p.score), sy(share(p))))
        .collect();
    // Labels go beside their dot where they overlap no other label or dot: right, left, then
    // a line above or below.
    let mut taken: Vec<Rect> = centres
        .iter()
        .map(|c| Rect::from_xywh(c.x - r, c.y - r, 2.0 * r, 2.0 * r))
        .chain(quadrant_labels)
        .collect();
    let lh = FONT * LINE_HEIGHT;
    for (p, c) in order.iter().zip(&centres) {
        let c = *c;
        items.push((
            Rect::from_xywh(c.x - r - 1.0, c.y - r - 1.0, 2.0 * r + 2.0, 2.0 * r + 2.0),
            Item::Circle {
                center: c,
                radius: r,
                fill: dot,
                stroke: Some(Stroke::solid(1.5, theme.background)),
            },
        ));
        let label = crate::text::short(&p.label, 32);
        let lw = FontMeasure::shared().width(&label, FONT, false);
        let (rx, lx) = (c.x + 10.0, c.x - 10.0 - lw);
        let mid = c.y - lh / 2.0;
        let candidates = [
            (rx, mid),
            (lx, mid),
            (rx, mid - lh * 0.8),
            (rx, mid + lh * 0.8),
            (lx, mid - lh * 0.8),
            (lx, mid + lh * 0.8),
            (c.x - lw / 2.0, c.y - r - lh - 2.0),
            (c.x - lw / 2.0, c.y + r + 2.0),
        ];
        // How much a label there would cover of other labels and dots (and the plot's edge).
        let overlap = |x: f32, y: f32| -> f32 {
            let b = Rect::from_xywh(x, y, lw, lh);
            let outside = if x >= left + 2.0 && x + lw <= right {
                0.0
            } else {
                lw * lh
            };
            outside
                + taken
                    .iter()
                    .filter(|t| t.intersects(&b))
                    .map(|t| {
                        (t.max.x.min(b.max.x) - t.min.x.max(b.min.x)).max(0.0)
                            * (t.max.y.min(b.max.y) - t.min.y.max(b.min.y)).max(0.0)
                    })
                    .sum::<f32>()
        };
        // The first place with no overlap, else the one with the least.
        let (x, y) = candidates
            .iter()
            .copied()
            .find(|(x, y)| overlap(*x, *y) <= 0.0)
            .or_else(|| {
                candidates
                    .iter()
                    .copied()
                    .min_by(|a, b| overlap(a.0, a.1).total_cmp(&overlap(b.0, b.1)))
            })
            .unwrap_or((rx, mid));
        taken.push(Rect::from_xywh(x, y, lw, lh));
        text(&mut items, &label, x, y, FONT, false, theme.text);
    }
    let h = bottom + 16.0 + 2.0 * FONT * LINE_HEIGHT;
    let bg = Rect {
        max: Pos::new(bg.max.x, h),
        ..bg
    };
    items.insert(
        0,
        (
            bg,
            Item::Rect {
                rect: bg,
                radius: 8.0,
                fill: theme.label_fill,
                stroke: None,
            },
        ),
    );
    (items, h)
}
