//! The backend-neutral display list: what the map looks like as rectangles, lines, convex
//! polygons, circles and single lines of text in world units, in parts that each say which
//! element of the map they draw. The canvas paints it with egui; exporters write the same
//! items. Editor overlays (selection, hover, drop markers) are not part of it.

mod frame;
mod live;

pub use frame::{ExportMeta, ExportScene, PAD, date_of, export_date, export_scene};
pub use live::LiveScene;

use crate::geom::{Pos, Rect};
use crate::layout::{LINE_HEIGHT, Layout, TextMeasure as _};
use crate::model::{CardId, Document, LaneId, LaneKind, StageId};
use crate::theme::{Color, Theme};

/// A line's width and colour.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stroke {
    /// Width in world units.
    pub width: f32,
    /// Colour.
    pub color: Color,
}

/// One thing to draw.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// A (rounded) rectangle.
    Rect {
        /// Where.
        rect: Rect,
        /// Corner radius.
        radius: f32,
        /// Fill.
        fill: Color,
        /// Outline.
        stroke: Option<Stroke>,
    },
    /// An open polyline.
    Line {
        /// Its points.
        points: Vec<Pos>,
        /// How it is drawn.
        stroke: Stroke,
    },
    /// A filled convex polygon.
    Polygon {
        /// Its corners.
        points: Vec<Pos>,
        /// Fill.
        fill: Color,
    },
    /// The area between a polyline running left to right and a horizontal level (one
    /// stretch of the emotion curve above or below neutral): filled as one shape, so no seams.
    Area {
        /// The polyline, x increasing.
        points: Vec<Pos>,
        /// The y of the level it is closed against.
        level: f32,
        /// Fill.
        fill: Color,
    },
    /// A circle.
    Circle {
        /// Centre.
        center: Pos,
        /// Radius.
        radius: f32,
        /// Fill.
        fill: Color,
        /// Outline.
        stroke: Option<Stroke>,
    },
    /// One line of text (never wrapped by the backend: layout did that).
    Text {
        /// Top-left of the line box (height = size × line height).
        pos: Pos,
        /// The characters.
        text: std::sync::Arc<str>,
        /// Font size.
        size: f32,
        /// Semibold or regular.
        bold: bool,
        /// Colour.
        color: Color,
        /// Measured width (for culling and for drawing unreadably small text as a bar).
        width: f32,
    },
}

impl Item {
    /// Moves the item by `d`.
    pub fn translate_in_place(&mut self, d: Pos) {
        let mv = |pts: &mut Vec<Pos>| {
            for p in pts {
                *p = *p + d;
            }
        };
        match self {
            Item::Rect { rect, .. } => *rect = rect.translate(d),
            Item::Line { points, .. } | Item::Polygon { points, .. } => mv(points),
            Item::Area { points, level, .. } => {
                mv(points);
                *level += d.y;
            }
            Item::Circle { center, .. } => *center = *center + d,
            Item::Text { pos, .. } => *pos = *pos + d,
        }
    }

    /// The same item moved by `d`.
    #[must_use]
    pub fn translate(self, d: Pos) -> Self {
        let mv = |pts: Vec<Pos>| pts.into_iter().map(|p| p + d).collect();
        match self {
            Item::Rect {
                rect,
                radius,
                fill,
                stroke,
            } => Item::Rect {
                rect: rect.translate(d),
                radius,
                fill,
                stroke,
            },
            Item::Line { points, stroke } => Item::Line {
                points: mv(points),
                stroke,
            },
            Item::Polygon { points, fill } => Item::Polygon {
                points: mv(points),
                fill,
            },
            Item::Area {
                points,
                level,
                fill,
            } => Item::Area {
                points: mv(points),
                level: level + d.y,
                fill,
            },
            Item::Circle {
                center,
                radius,
                fill,
                stroke,
            } => Item::Circle {
                center: center + d,
                radius,
                fill,
                stroke,
            },
            Item::Text {
                pos,
                text,
                size,
                bold,
                color,
                width,
            } => Item::Text {
                pos: pos + d,
                text,
                size,
                bold,
                color,
                width,
            },
        }
    }
}

/// What a part of the display list draws: hit-testing, frozen headers, overview tiles and PDF
/// tiling read this instead of positions in the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Element {
    /// The background, column tints and grid lines.
    Body,
    /// A stage's header (its fill and name): frozen at the top of the canvas when scrolled.
    StageHeader(StageId),
    /// A lane's label (fill, colour stripe, name; the emotion lane's scale labels): frozen at
    /// the left of the canvas when scrolled.
    LaneLabel(LaneId),
    /// The emotion curve: scale lines, good and bad areas, the curve and its points.
    Emotion,
    /// A card with its badge and text.
    Card(CardId),
    /// An export's background.
    Page,
    /// An export's title block.
    Title,
    /// An export's legend.
    Legend,
    /// An export's footer.
    Footer,
}

/// The items of one element, with their union as its bounds.
#[derive(Clone, Debug, PartialEq)]
pub struct Part {
    /// What it draws.
    pub element: Element,
    /// The union of its items' bounds.
    pub bounds: Rect,
    /// `(bounds, item)` pairs in paint order.
    pub items: Vec<(Rect, Item)>,
}

impl Part {
    /// An empty part.
    #[must_use]
    pub fn new(element: Element) -> Self {
        Self {
            element,
            bounds: Rect::default(),
            items: Vec::new(),
        }
    }

    /// Adds an item.
    pub fn push(&mut self, bounds: Rect, item: Item) {
        self.bounds = if self.items.is_empty() {
            bounds
        } else {
            self.bounds.union(&bounds)
        };
        self.items.push((bounds, item));
    }

    fn rect(&mut self, rect: Rect, radius: f32, fill: Color, stroke: Option<Stroke>) {
        self.push(
            rect,
            Item::Rect {
                rect,
                radius,
                fill,
                stroke,
            },
        );
    }

    fn line(&mut self, points: Vec<Pos>, stroke: Stroke) {
        let Some(first) = points.first().copied() else {
            return;
        };
        let mut b = Rect {
            min: first,
            max: first,
        };
        for p in &points {
            b = b.union(&Rect { min: *p, max: *p });
        }
        self.push(b.expand(stroke.width), Item::Line { points, stroke });
    }

    fn text(&mut self, line: &crate::layout::TextLine, color: Color) {
        let bounds = Rect::from_xywh(line.pos.x, line.pos.y, line.width, line.size * LINE_HEIGHT);
        self.push(
            bounds,
            Item::Text {
                pos: line.pos,
                text: line.text.clone(),
                size: line.size,
                bold: line.bold,
                color,
                width: line.width,
            },
        );
    }

    /// Moves every item by `d`.
    pub fn translate(&mut self, d: Pos) {
        self.bounds = self.bounds.translate(d);
        for (b, item) in &mut self.items {
            *b = b.translate(d);
            item.translate_in_place(d);
        }
    }
}

/// Parts in paint order: what a view of the map draws.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DisplayList {
    /// The parts.
    pub parts: Vec<Part>,
    /// The union of all bounds.
    pub bounds: Rect,
}

impl DisplayList {
    /// Adds a part.
    pub fn push_part(&mut self, part: Part) {
        if part.items.is_empty() {
            return;
        }
        self.bounds = if self.parts.is_empty() {
            part.bounds
        } else {
            self.bounds.union(&part.bounds)
        };
        self.parts.push(part);
    }

    /// Every item in paint order.
    pub fn items(&self) -> impl Iterator<Item = &(Rect, Item)> {
        self.parts.iter().flat_map(|p| p.items.iter())
    }

    /// How many items there are.
    #[must_use]
    pub fn item_count(&self) -> usize {
        self.parts.iter().map(|p| p.items.len()).sum()
    }
}

/// Builds the display list of a map: the same for the canvas and for exports.
#[must_use]
pub fn scene(doc: &Document, layout: &Layout, theme: &Theme) -> DisplayList {
    let mut dl = DisplayList::default();
    for p in chrome(doc, layout, theme) {
        dl.push_part(p);
    }
    let cards: std::collections::HashMap<_, _> = doc.cards.iter().map(|c| (c.id, c)).collect();
    let kinds: std::collections::HashMap<_, _> = doc.lanes.iter().map(|l| (l.id, l.kind)).collect();
    for c in &layout.cards {
        let kind = kinds.get(&c.lane).copied().unwrap_or(LaneKind::Custom);
        dl.push_part(card_part(cards.get(&c.id).map(|c| &***c), c, kind, theme));
    }
    dl
}

/// Everything but the cards: background and grid, stage headers, lane labels, the emotion
/// curve.
#[must_use]
pub fn chrome(doc: &Document, layout: &Layout, theme: &Theme) -> Vec<Part> {
    let mut parts = Vec::with_capacity(layout.stages.len() + layout.lanes.len() + 2);
    let b = layout.bounds;
    let mut body = Part::new(Element::Body);
    body.rect(b, 0.0, theme.background, None);
    // Alternate column tint.
    for (i, s) in layout.stages.iter().enumerate() {
        if i % 2 == 1 {
            let col = Rect {
                min: Pos::new(s.column.min.x, s.header.max.y),
                max: s.column.max,
            };
            body.rect(col, 0.0, theme.column_tint, None);
        }
    }
    let grid = Stroke {
        width: 1.0,
        color: theme.grid,
    };
    let label_w = layout.style().label_w();
    for lane in &layout.lanes {
        body.line(
            vec![
                Pos::new(label_w, lane.row.max.y),
                Pos::new(b.max.x, lane.row.max.y),
            ],
            grid,
        );
    }
    for s in &layout.stages {
        body.line(
            vec![
                Pos::new(s.column.max.x, s.header.max.y),
                Pos::new(s.column.max.x, s.column.max.y),
            ],
            grid,
        );
    }
    parts.push(body);
    for s in &layout.stages {
        let mut p = Part::new(Element::StageHeader(s.id));
        p.rect(s.header, 0.0, theme.header_fill, None);
        for l in &s.name {
            p.text(l, theme.header_text());
        }
        parts.push(p);
    }
    for lane in &layout.lanes {
        let mut p = Part::new(Element::LaneLabel(lane.id));
        p.rect(lane.label, 0.0, theme.label_fill, None);
        let stripe = Rect::from_xywh(lane.label.min.x, lane.label.min.y, 5.0, lane.label.height());
        p.rect(stripe, 0.0, theme.kind_accent(lane.kind), None);
        for l in &lane.name {
            p.text(l, theme.text);
        }
        p.line(
            vec![
                Pos::new(0.0, lane.row.max.y),
                Pos::new(label_w, lane.row.max.y),
            ],
            grid,
        );
        if let Some(e) = layout.emotion.as_ref().filter(|e| e.lane == lane.id) {
            scale_labels(&mut p, doc, e, layout.style(), theme);
        }
        parts.push(p);
    }
    // The emotion lane: scale, good/bad areas, curve, points.
    if let Some(e) = &layout.emotion {
        let mut p = Part::new(Element::Emotion);
        emotion_items(&mut p, doc, e, theme);
        parts.push(p);
    }
    parts
}

/// A card's part: its rectangle, moment-of-truth badge, channel/owner line and text.
#[must_use]
pub fn card_part(
    card: Option<&crate::model::Card>,
    c: &crate::layout::CardBox,
    kind: LaneKind,
    theme: &Theme,
) -> Part {
    let mut p = Part::new(Element::Card(c.id));
    p.rect(
        c.rect,
        6.0,
        theme.card_fill(kind),
        Some(Stroke {
            width: 1.0,
            color: theme.card_stroke,
        }),
    );
    if card.is_some_and(|card| card.moment_of_truth) {
        let r = 6.0;
        let center = Pos::new(c.rect.max.x - 12.0, c.rect.min.y + 12.0);
        p.push(
            Rect::from_xywh(center.x - r, center.y - r, 2.0 * r, 2.0 * r),
            Item::Polygon {
                points: star(center, r),
                fill: theme.moment,
            },
        );
    }
    if let Some(m) = &c.meta {
        p.text(m, theme.text_muted);
    }
    for l in &c.lines {
        p.text(l, theme.text);
    }
    p
}

/// A five-pointed star as a convex-enough polygon (a pentagon-star outline).
fn star(c: Pos, r: f32) -> Vec<Pos> {
    // A regular pentagon: convex, so every backend fills it the same; it reads as a "star" badge.
    (0..5)
        .map(|i| {
            let a = -std::f32::consts::FRAC_PI_2 + i as f32 * std::f32::consts::TAU / 5.0;
            Pos::new(c.x + r * a.cos(), c.y + r * a.sin())
        })
        .collect()
}

/// The emotion scale's labels, right-aligned in the label column, clear of the lane's name.
fn scale_labels(
    p: &mut Part,
    doc: &Document,
    e: &crate::layout::EmotionBox,
    style: crate::layout::Style,
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
        let text: std::sync::Arc<str> = label.trim().into();
        let width = crate::layout::FontMeasure::shared().width(&text, size, false);
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

fn emotion_items(p: &mut Part, doc: &Document, e: &crate::layout::EmotionBox, theme: &Theme) {
    let scale = &doc.emotion.scale;
    let x0 = e.row.min.x;
    let x1 = e.row.max.x;
    for v in scale.min..=scale.max {
        let y = e.y_of(v as f32);
        let color = if v == 0 { theme.neutral } else { theme.grid };
        p.line(
            vec![Pos::new(x0, y), Pos::new(x1, y)],
            Stroke {
                width: if v == 0 { 1.5 } else { 1.0 },
                color,
            },
        );
    }
    // Good and bad stretches: each run of the curve on one side of the neutral line is one
    // area closed against that line (split where the curve crosses neutral).
    let y0 = e.y_of(0.0_f32.clamp(e.min, e.max));
    // Which side of neutral a point is on (0: on the line). A run takes the side of its first
    // point off the line; it ends where the curve reaches the other side, whether it crosses
    // the line between two samples or touches it at a sample (a point whose value is 0).
    let side_of = |p: Pos| {
        let d = p.y - y0;
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
        let fill = if side < 0 { theme.good } else { theme.bad };
        let mut b = Rect::from_corners(pts[0], Pos::new(pts[0].x, y0));
        for p in &pts {
            b = b.union(&Rect { min: *p, max: *p });
        }
        p.push(
            b,
            Item::Area {
                points: pts,
                level: y0,
                fill,
            },
        );
    };
    let mut run: Vec<Pos> = e.curve.first().copied().into_iter().collect();
    let mut run_side = run.first().map_or(0, |&p| side_of(p));
    for w in e.curve.windows(2) {
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
    if e.curve.len() >= 2 {
        p.line(
            e.curve.clone(),
            Stroke {
                width: 3.0,
                color: theme.curve,
            },
        );
    }
    for pt in &e.points {
        let fill = if pt.value > 0.0 {
            theme.good.alpha(255)
        } else if pt.value < 0.0 {
            theme.bad.alpha(255)
        } else {
            theme.neutral
        };
        let r = 7.0;
        p.push(
            Rect::from_xywh(
                pt.pos.x - r - 2.0,
                pt.pos.y - r - 2.0,
                2.0 * r + 4.0,
                2.0 * r + 4.0,
            ),
            Item::Circle {
                center: pt.pos,
                radius: r,
                fill,
                stroke: Some(Stroke {
                    width: 2.0,
                    color: theme.background,
                }),
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every good/bad area lies on one side of neutral and has that side's colour, also where
    /// the curve touches neutral at a point (value 0) and goes on to the other side.
    #[test]
    fn emotion_areas_take_the_colour_of_their_side() {
        let mut doc = crate::model::sample_map();
        let values = [1.0, 0.0, -2.0, 0.0, 0.0, 1.5, -1.0];
        doc.emotion.points = doc
            .stages
            .iter()
            .zip(values)
            .zip(1000..)
            .map(|((s, value), id)| crate::model::EmotionPoint {
                id: crate::model::PointId(id),
                stage: s.id,
                offset: 0.5,
                value,
            })
            .collect();
        let mut cache = crate::layout::TextCache::default();
        let layout = crate::layout::layout(&doc, crate::layout::FontMeasure::shared(), &mut cache);
        let theme = Theme::get(crate::theme::ThemeKind::Light);
        let dl = scene(&doc, &layout, &theme);
        let (mut good, mut bad) = (0, 0);
        for (_, item) in dl.items() {
            let Item::Area {
                points,
                level,
                fill,
            } = item
            else {
                continue;
            };
            let above = points.iter().any(|p| p.y < level - 0.5);
            let below = points.iter().any(|p| p.y > level + 0.5);
            assert!(
                above != below,
                "an area on both sides of neutral: {points:?}"
            );
            if above {
                assert_eq!(*fill, theme.good);
                good += 1;
            } else {
                assert_eq!(*fill, theme.bad);
                bad += 1;
            }
        }
        // Above: the first stretch and the one around 1.5; below: around -2 and -1.
        assert_eq!((good, bad), (2, 2));
    }
}
