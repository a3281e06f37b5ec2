//! The backend-neutral display list: what the map looks like as rectangles, paths, strips,
//! circles and single lines of text in world units, in parts that each say which element of
//! the map they draw. The canvas paints it with egui; exporters write the same
//! items. Editor overlays (selection, hover, drop markers) are not part of it.

mod emotion;
mod frame;
mod live;
mod primitives;

pub use frame::{ExportMeta, ExportScene, PAD, date_of, export_date, export_scene};
pub use live::LiveScene;
pub use primitives::{Painter, Seg, flatten, paint_item, path_bounds, polyline, triangulate};

use crate::geom::{Pos, Rect};
use crate::layout::{LINE_HEIGHT, Layout};
use crate::model::{CardId, Document, LaneId, LaneKind, StageId};
use crate::theme::{Color, Theme};

/// A line's width, colour and dash pattern.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stroke {
    /// Width in world units.
    pub width: f32,
    /// Colour.
    pub color: Color,
    /// Dash and gap lengths (`None`: solid).
    pub dash: Option<[f32; 2]>,
}

impl Stroke {
    /// A solid stroke.
    #[must_use]
    pub const fn solid(width: f32, color: Color) -> Self {
        Self {
            width,
            color,
            dash: None,
        }
    }

    /// A dashed stroke.
    #[must_use]
    pub const fn dashed(width: f32, color: Color, dash: f32, gap: f32) -> Self {
        Self {
            width,
            color,
            dash: Some([dash, gap]),
        }
    }
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
        /// Fill (transparent: none).
        fill: Color,
        /// Outline, inside the edge.
        stroke: Option<Stroke>,
    },
    /// A path of lines and cubic curves: links, arrowheads, icons, blueprint lines, badges.
    Path {
        /// Its segments.
        segs: Vec<Seg>,
        /// Fill (non-zero winding; may be non-convex).
        fill: Option<Color>,
        /// Outline (maybe dashed).
        stroke: Option<Stroke>,
    },
    /// The area between two polylines with the same x's, filled as one shape (no seams): a
    /// stretch of a curve above or below neutral, or the gap between two curves.
    Area {
        /// The upper polyline, x increasing.
        upper: Vec<Pos>,
        /// The lower polyline, at the same x's.
        lower: Vec<Pos>,
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
            Item::Path { segs, .. } => {
                for s in segs {
                    *s = s.translate(d);
                }
            }
            Item::Area { upper, lower, .. } => {
                mv(upper);
                mv(lower);
            }
            Item::Circle { center, .. } => *center = *center + d,
            Item::Text { pos, .. } => *pos = *pos + d,
        }
    }

    /// The same item moved by `d`.
    #[must_use]
    pub fn translate(mut self, d: Pos) -> Self {
        self.translate_in_place(d);
        self
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

    fn line(&mut self, points: &[Pos], stroke: Stroke) {
        self.path(polyline(points, false), None, Some(stroke));
    }

    /// Adds a path (its bounds from its points, widened by its stroke).
    pub fn path(&mut self, segs: Vec<Seg>, fill: Option<Color>, stroke: Option<Stroke>) {
        let Some(b) = path_bounds(&segs) else {
            return;
        };
        let w = stroke.map_or(0.0, |s| s.width);
        self.push(b.expand(w), Item::Path { segs, fill, stroke });
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
    let grid = Stroke::solid(1.0, theme.grid);
    let label_w = layout.style().label_w();
    for lane in &layout.lanes {
        body.line(
            &[
                Pos::new(label_w, lane.row.max.y),
                Pos::new(b.max.x, lane.row.max.y),
            ],
            grid,
        );
    }
    for s in &layout.stages {
        body.line(
            &[
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
            &[
                Pos::new(0.0, lane.row.max.y),
                Pos::new(label_w, lane.row.max.y),
            ],
            grid,
        );
        if let Some(e) = layout.emotion.as_ref().filter(|e| e.lane == lane.id) {
            emotion::scale_labels(&mut p, doc, e, layout.style(), theme);
        }
        parts.push(p);
    }
    // The emotion lane: scale, good/bad areas, curve, points.
    if let Some(e) = &layout.emotion {
        let mut p = Part::new(Element::Emotion);
        emotion::emotion_items(&mut p, doc, e, theme, layout.spec.active_curve);
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
        Some(Stroke::solid(1.0, theme.card_stroke)),
    );
    if card.is_some_and(|card| card.moment_of_truth) {
        let center = Pos::new(c.rect.max.x - 12.0, c.rect.min.y + 12.0);
        p.path(polyline(&star(center, 6.0), true), Some(theme.moment), None);
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
pub(crate) fn star(c: Pos, r: f32) -> Vec<Pos> {
    // A regular pentagon: convex, so every backend fills it the same; it reads as a "star" badge.
    (0..5)
        .map(|i| {
            let a = -std::f32::consts::FRAC_PI_2 + i as f32 * std::f32::consts::TAU / 5.0;
            Pos::new(c.x + r * a.cos(), c.y + r * a.sin())
        })
        .collect()
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
        let points = doc
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
        doc.emotion.curves[0].points = points;
        let mut cache = crate::layout::TextCache::default();
        let layout = crate::layout::layout(&doc, crate::layout::FontMeasure::shared(), &mut cache);
        let theme = Theme::get(crate::theme::ThemeKind::Light);
        let dl = scene(&doc, &layout, &theme);
        let (mut good, mut bad) = (0, 0);
        for (_, item) in dl.items() {
            let Item::Area { upper, lower, fill } = item else {
                continue;
            };
            // Against neutral one side of the area is the flat neutral line.
            let flat = |v: &[Pos]| v.iter().all(|p| (p.y - v[0].y).abs() < 0.01);
            let (curve, level) = if flat(lower) {
                (upper, lower[0].y)
            } else {
                assert!(flat(upper), "an area against neutral has one flat side");
                (lower, upper[0].y)
            };
            let above = curve.iter().any(|p| p.y < level - 0.5);
            let below = curve.iter().any(|p| p.y > level + 0.5);
            assert!(
                above != below,
                "an area on both sides of neutral: {curve:?}"
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
