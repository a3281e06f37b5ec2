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
    // Labels go beside their dot where they cover no other label or dot: right, left, then a
    // line above or below; in a crowd, further out (a line at a time) with a leader line from
    // the dot. Every dot is in `taken` before the first label is placed.
    let mut taken: Vec<Rect> = centres
        .iter()
        .map(|c| Rect::from_xywh(c.x - r, c.y - r, 2.0 * r, 2.0 * r))
        .chain(quadrant_labels)
        .collect();
    let lh = FONT * LINE_HEIGHT;
    let dots: Vec<(Rect, Item)> = centres
        .iter()
        .map(|&c| {
            (
                Rect::from_xywh(c.x - r - 1.0, c.y - r - 1.0, 2.0 * r + 2.0, 2.0 * r + 2.0),
                Item::Circle {
                    center: c,
                    radius: r,
                    fill: dot,
                    stroke: Some(Stroke::solid(1.5, theme.background)),
                },
            )
        })
        .collect();
    let mut labels = Vec::new();
    // The most important touchpoints choose their places first.
    for (p, c) in order.iter().zip(&centres).rev() {
        let c = *c;
        let label = crate::text::short(&p.label, 32);
        let lw = FontMeasure::shared().width(&label, FONT, false);
        let (rx, lx, cx) = (c.x + 10.0, c.x - 10.0 - lw, c.x - lw / 2.0);
        let mid = c.y - lh / 2.0;
        let (above, below) = (c.y - r - lh - 2.0, c.y + r + 2.0);
        let mut candidates = vec![
            (rx, mid),
            (lx, mid),
            (rx, mid - lh * 0.8),
            (rx, mid + lh * 0.8),
            (lx, mid - lh * 0.8),
            (lx, mid + lh * 0.8),
            (cx, above),
            (cx, below),
        ];
        let near = candidates.len();
        for k in 1..=6 {
            let d = k as f32 * lh;
            candidates.extend([
                (cx, above - d),
                (cx, below + d),
                (rx, mid - lh * 0.8 - d),
                (rx, mid + lh * 0.8 + d),
                (lx, mid - lh * 0.8 - d),
                (lx, mid + lh * 0.8 + d),
            ]);
        }
        // How much a label there would cover of other labels and dots (and the plot's edge).
        let overlap = |x: f32, y: f32| -> f32 {
            let b = Rect::from_xywh(x, y, lw, lh);
            let inside = x >= left + 2.0 && x + lw <= right && y >= top && y + lh <= bottom;
            let outside = if inside { 0.0 } else { lw * lh };
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
        // A leader from the dot's edge to the nearest point of a label at `b`.
        let leader = |b: Rect| -> (Pos, Pos) {
            let to = Pos::new(c.x.clamp(b.min.x, b.max.x), c.y.clamp(b.min.y, b.max.y));
            let (dx, dy) = (to.x - c.x, to.y - c.y);
            let len = (dx * dx + dy * dy).sqrt().max(1.0);
            let from = Pos::new(c.x + dx / len * (r + 1.0), c.y + dy / len * (r + 1.0));
            (from, to)
        };
        // Whether that leader would run through another dot or label.
        let crosses = |x: f32, y: f32| -> bool {
            let (a, b) = leader(Rect::from_xywh(x, y, lw, lh));
            taken.iter().any(|o| !o.contains(c) && o.hits_segment(a, b))
        };
        // Free: covers nothing, and a label away from its dot has a clear leader.
        let free =
            |i: usize, (x, y): (f32, f32)| overlap(x, y) <= 0.0 && (i < near || !crosses(x, y));
        // The place in the plot nearest the dot that passes `ok` (tried nearest first).
        let nearest = |ok: &dyn Fn(f32, f32) -> bool| -> Option<(f32, f32)> {
            let mut spots = Vec::new();
            let mut y = top;
            while y + lh <= bottom {
                let mut x = left + 2.0;
                while x + lw <= right {
                    let to = Pos::new(c.x.clamp(x, x + lw), c.y.clamp(y, y + lh));
                    spots.push(((to.x - c.x).powi(2) + (to.y - c.y).powi(2), (x, y)));
                    x += 4.0;
                }
                y += lh / 4.0;
            }
            spots.sort_by(|a, b| a.0.total_cmp(&b.0));
            spots.into_iter().map(|(_, at)| at).find(|&(x, y)| ok(x, y))
        };
        // In a crowd with no room nearby: the free place in the plot nearest the dot, else
        // the nearest place that covers nothing (its leader crossing something).
        if !candidates.iter().enumerate().any(|(i, &at)| free(i, at)) {
            let at = nearest(&|x, y| free(usize::MAX, (x, y)))
                .or_else(|| nearest(&|x, y| overlap(x, y) <= 0.0));
            candidates.extend(at);
        }
        // The first free place, else the last added (covering nothing), else the one that
        // covers least.
        let i = (0..candidates.len())
            .find(|&i| free(i, candidates[i]))
            .or_else(|| {
                let last = candidates.len() - 1;
                (last >= near && overlap(candidates[last].0, candidates[last].1) <= 0.0)
                    .then_some(last)
            })
            .or_else(|| {
                (0..candidates.len()).min_by(|&a, &b| {
                    overlap(candidates[a].0, candidates[a].1)
                        .total_cmp(&overlap(candidates[b].0, candidates[b].1))
                })
            })
            .unwrap_or(0);
        let (x, y) = candidates[i];
        let b = Rect::from_xywh(x, y, lw, lh);
        if i >= near {
            let (from, to) = leader(b);
            line(&mut items, from, to, Stroke::solid(1.0, theme.text_muted));
        }
        taken.push(b);
        labels.push((label, x, y));
    }
    // Dots over the leaders, labels over everything.
    items.extend(dots);
    for (label, x, y) in labels {
        text(&mut items, &label, x, y, FONT, false, theme.text);
    }
    let h = bottom + 16.0 + 2.0 * FONT * LINE_HEIGHT;
    let bg = Rect {
        max: Pos::new(bg.max.x, h),
        ..bg
    };
    items.insert(0, Item::panel(bg, theme));
    (items, h)
}
