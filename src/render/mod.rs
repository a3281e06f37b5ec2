//! The backend-neutral display list: what the map looks like as rectangles, paths, strips,
//! circles and single lines of text in world units, in parts that each say which element of
//! the map they draw. The canvas paints it with egui; exporters write the same
//! items. Editor overlays (selection, hover, drop markers) are not part of it.

mod blueprint;
pub mod chart;
mod colour;
mod emotion;
mod frame;
pub mod icons;
mod links;
mod live;
mod primitives;
pub mod slide;

pub use blueprint::blueprint_lines;
pub use colour::{
    CHANGE_KINDS, CardColours, ColourBy, Look, OWNER_HUES, change_hue, colour_choices,
    evidence_hue, heat_at, metric_names, owners,
};
pub use emotion::curve_color;
pub use frame::{ExportMeta, ExportScene, PAD, date_of, export_date, export_scene};
pub use links::{link_color, link_part, rounded};
pub use live::LiveScene;
pub use primitives::{
    Painter, Seg, Triangles, fill_triangles, flatten, paint_item, path_bounds, polyline,
};

use crate::geom::{Pos, Rect};
use crate::layout::{LINE_HEIGHT, Layout};
use crate::model::{CardId, Document, LaneId, LaneKind, LinkId, StageId};
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

    /// The same item scaled by `k` about the origin: places, sizes, text and strokes (a
    /// block of the export's frame laid out at 100 % and shown at the export's text size).
    #[must_use]
    pub fn scale(mut self, k: f32) -> Self {
        let m = |p: Pos| Pos::new(p.x * k, p.y * k);
        let r = |r: Rect| Rect::from_corners(m(r.min), m(r.max));
        let st = |s: Option<Stroke>| {
            s.map(|s| Stroke {
                width: s.width * k,
                dash: s.dash.map(|[a, b]| [a * k, b * k]),
                ..s
            })
        };
        match &mut self {
            Item::Rect {
                rect,
                radius,
                stroke,
                ..
            } => {
                *rect = r(*rect);
                *radius *= k;
                *stroke = st(*stroke);
            }
            Item::Path { segs, stroke, .. } => {
                for s in segs {
                    *s = s.scale(k);
                }
                *stroke = st(*stroke);
            }
            Item::Area { upper, lower, .. } => {
                for p in upper.iter_mut().chain(lower.iter_mut()) {
                    *p = m(*p);
                }
            }
            Item::Circle {
                center,
                radius,
                stroke,
                ..
            } => {
                *center = m(*center);
                *radius *= k;
                *stroke = st(*stroke);
            }
            Item::Text {
                pos, size, width, ..
            } => {
                *pos = m(*pos);
                *size *= k;
                *width *= k;
            }
        }
        self
    }

    /// The same item moved by `d`.
    #[must_use]
    pub fn translate(mut self, d: Pos) -> Self {
        self.translate_in_place(d);
        self
    }

    /// The rounded background of a block drawn on the map's label colour (the export summary,
    /// the chart), with its bounds.
    #[must_use]
    pub fn panel(rect: Rect, theme: &Theme) -> (Rect, Self) {
        (
            rect,
            Item::Rect {
                rect,
                radius: 8.0,
                fill: theme.label_fill,
                stroke: None,
            },
        )
    }

    /// One line of text with its top-left at `pos`, measured in the map font: the item and
    /// its bounds and its width (for the frame's and the chart's own text; the map's text
    /// comes laid out).
    #[must_use]
    pub fn measured_text(
        s: &str,
        pos: Pos,
        size: f32,
        bold: bool,
        color: Color,
    ) -> (Rect, Self, f32) {
        use crate::layout::TextMeasure as _;
        let text: std::sync::Arc<str> = s.into();
        let width = crate::layout::FontMeasure::shared().width(&text, size, bold);
        (
            Rect::from_xywh(pos.x, pos.y, width, size * LINE_HEIGHT),
            Item::Text {
                pos,
                text,
                size,
                bold,
                color,
                width,
            },
            width,
        )
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
    /// A card with its marks and text.
    Card(CardId),
    /// A link between two cards.
    Link(LinkId),
    /// An export's background.
    Page,
    /// An export's title block.
    Title,
    /// An export's summary (worst moments, gaps, moments of truth, opportunities).
    Summary,
    /// An export's legend.
    Legend,
    /// An export's numbered notes.
    Notes,
    /// An export's importance–performance chart.
    Chart,
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

    /// A page's background: `rect` filled with `fill` (the first part of an export's list).
    #[must_use]
    pub fn page(rect: Rect, fill: Color) -> Self {
        let mut p = Self::new(Element::Page);
        p.push(
            rect,
            Item::Rect {
                rect,
                radius: 0.0,
                fill,
                stroke: None,
            },
        );
        p
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

    /// The size of the smallest text (`None` without text).
    #[must_use]
    pub fn smallest_text(&self) -> Option<f32> {
        self.items()
            .filter_map(|(_, i)| match i {
                Item::Text { size, text, .. } if !text.trim().is_empty() => Some(*size),
                _ => None,
            })
            .min_by(f32::total_cmp)
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
    scene_with(doc, layout, theme, &Look::default())
}

/// Builds the display list of a map with cards coloured and notes numbered as `look` says.
#[must_use]
pub fn scene_with(doc: &Document, layout: &Layout, theme: &Theme, look: &Look) -> DisplayList {
    let mut dl = DisplayList::default();
    for p in chrome(doc, layout, theme) {
        dl.push_part(p);
    }
    let cards: std::collections::HashMap<_, _> = doc.cards.iter().map(|c| (c.id, c)).collect();
    let kinds: std::collections::HashMap<_, _> = doc.lanes.iter().map(|l| (l.id, l.kind)).collect();
    for c in &layout.cards {
        let kind = kinds.get(&c.lane).copied().unwrap_or(LaneKind::Custom);
        dl.push_part(card_part(
            cards.get(&c.id).map(|c| &***c),
            c,
            kind,
            theme,
            look,
        ));
    }
    for l in &layout.links {
        dl.push_part(link_part(l, theme));
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
    blueprint_lines(&mut parts, layout, theme);
    // The emotion lane: scale, good/bad areas, curve, points.
    if let Some(e) = &layout.emotion {
        let mut p = Part::new(Element::Emotion);
        emotion::emotion_items(
            &mut p,
            doc,
            e,
            layout.style(),
            theme,
            layout.view.active_curve,
        );
        parts.push(p);
    }
    parts
}

/// A card's part: its rectangle (outlined by its evidence: solid when researched, dashed when
/// assumed; thick in the marker colour for a moment of truth), an owner stripe when coloured by
/// owner, the marks row (channel icon, channel and owner, badges) and its text.
#[must_use]
pub fn card_part(
    card: Option<&crate::model::Card>,
    c: &crate::layout::CardBox,
    kind: LaneKind,
    theme: &Theme,
    look: &Look,
) -> Part {
    use crate::model::EvidenceKind;
    let mut p = Part::new(Element::Card(c.id));
    let colours = look.card_colours(card, kind, theme);
    let evidence = card.and_then(|c| c.evidence.as_ref()).map(|e| e.kind);
    let moment = card.is_some_and(|c| c.moment_of_truth);
    let (color, width) = match (moment, evidence) {
        (true, _) => (theme.moment, 3.0),
        (false, Some(_)) => (theme.text_muted, 1.5),
        (false, None) => (theme.card_stroke, 1.0),
    };
    // A card gone since the compared version: a ghost, dashed in red, its text muted.
    let ghost = matches!(
        look.change_of(c.id),
        Some(crate::compare::view::Mark::Removed)
    );
    let stroke = if ghost {
        Stroke::dashed(1.5, theme.hue(crate::model::Hue::Red).accent, 5.0, 4.0)
    } else if evidence == Some(EvidenceKind::Assumed) {
        Stroke::dashed(width, color, 6.0, 4.0)
    } else {
        Stroke::solid(width, color)
    };
    p.rect(c.rect, 6.0, colours.fill, Some(stroke));
    if let Some(accent) = colours.stripe {
        let r = c.rect;
        let stripe = Rect::from_corners(
            Pos::new(r.min.x + width + 1.0, r.min.y + 5.0),
            Pos::new(r.min.x + width + 5.0, r.max.y - 5.0),
        );
        p.rect(stripe, 2.0, accent, None);
    }
    if let (Some(row), Some(card)) = (c.row, card) {
        card_marks(&mut p, card, c, row, theme, look);
    }
    if let Some(m) = c.meta.as_ref().filter(|m| !m.text.is_empty()) {
        p.text(m, theme.text_muted);
    }
    let text = if ghost { theme.text_muted } else { theme.text };
    for l in &c.lines {
        p.text(l, text);
    }
    p
}

/// The marks row's icon and badges.
fn card_marks(
    p: &mut Part,
    card: &crate::model::Card,
    c: &crate::layout::CardBox,
    row: Rect,
    theme: &Theme,
    look: &Look,
) {
    let h = row.height();
    if let Some(ch) = card.channel {
        let square = Rect::from_xywh(row.min.x, row.min.y + h * 0.1, h * 0.8, h * 0.8);
        icons::channel_icon(p, ch, square, theme.text_muted);
    }
    let font = h / LINE_HEIGHT;
    let step = crate::layout::CardMarks::badge_w(font);
    let mut x = row.max.x - step * c.marks.badges() as f32 + 4.0;
    let mut next = || {
        let r = Rect::from_xywh(x, row.min.y, h, h);
        x += step;
        r
    };
    if c.marks.moment {
        icons::star(p, next(), theme.moment, None);
    }
    if let Some(level) = c.marks.level {
        let chip = next();
        // On a chip of the page's colour: green chevrons and red bars stay visible on any
        // card fill (they vanished on teal and orange owner colours).
        p.rect(chip.expand(h * 0.02), h * 0.2, theme.background, None);
        let square = chip.expand(-h * 0.08);
        if card.severity.is_some() {
            let red = theme.hue(crate::model::Hue::Red).accent;
            icons::severity_bars(p, square, level, red, theme.grid);
        } else {
            let green = theme.hue(crate::model::Hue::Green).accent;
            icons::priority_chevrons(p, square, level, green, theme.grid);
        }
    }
    if c.marks.note {
        let square = next();
        match look.notes.as_ref().and_then(|n| n.get(&card.id)) {
            Some(n) => note_number(p, square, *n, theme),
            None => icons::note_marker(p, square.expand(-h * 0.05), theme.text_muted),
        }
    }
    if let Some(square) = c.map_link_mark() {
        icons::map_link_marker(p, square.expand(-h * 0.05), theme.text_muted);
    }
}

/// A note's number in a filled circle (exports list the notes by these numbers).
pub(crate) fn note_number(p: &mut Part, square: Rect, n: usize, theme: &Theme) {
    use crate::layout::TextMeasure as _;
    let r = square.height() / 2.0;
    let text = n.to_string();
    // The digit as large as the marks row's text (it is a label to read on paper).
    let size = (square.height() / LINE_HEIGHT).max(1.0);
    let w = crate::layout::FontMeasure::shared().width(&text, size, true);
    let rx = r.max(w / 2.0 + r * 0.45);
    let c = square.center();
    p.path(icons::ellipse(c, rx, r), Some(theme.text_muted), None);
    let line = crate::layout::TextLine {
        text: text.into(),
        pos: Pos::new(c.x - w / 2.0, c.y - size * LINE_HEIGHT / 2.0),
        size,
        bold: true,
        width: w,
    };
    p.text(&line, theme.background);
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
                card: None,
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
            if *fill == theme.gap {
                continue;
            }
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
