//! Where everything goes, in world units: stage columns, lane rows, cards with their wrapped
//! text lines, the emotion curve. Pure geometry from the document and a [`View`]; the
//! canvas and every exporter draw from the same [`Layout`], and hit-testing reads it too.
//! [`Incremental`] keeps a layout current by redoing only the cells an edit touched.

mod cells;
pub(crate) mod emotion;
mod hit;
mod incremental;
mod links;
pub mod shape;
mod style;
mod text;

pub use crate::geom::{monotone_curve, y_at};
pub use crate::view::{CLAMP_LINES, View};
pub use cells::{CardMarks, EditBox, Live, TextCache};
pub(crate) use emotion::emotion_box;
pub use emotion::{CurveBox, EmotionBox, Gap, PointBox};
pub use hit::Hit;
pub use incremental::{Incremental, Relaid};
pub use links::{LinkBox, distance_to};
pub use style::{SCALE_FONT, Style};
pub use text::{FONT_BOLD, FONT_FALLBACK, FONT_REGULAR, FontMeasure, TextMeasure, elide, wrap};

use std::collections::HashMap;
use std::sync::Arc;

use crate::geom::{Pos, Rect};
use crate::model::{CardId, Document, LaneId, LaneKind, StageId};

/// Width of the lane-label column at 100 % text.
pub const LABEL_W: f32 = 180.0;
/// Smallest height of the stage-header band at 100 % text.
pub const HEADER_MIN_H: f32 = 64.0;
/// Padding inside a cell around its cards.
pub const CELL_PAD: f32 = 10.0;
/// Gap between cards in a cell.
pub const CARD_GAP: f32 = 8.0;
/// Padding inside a card around its text at 100 % text.
pub const CARD_PAD: f32 = 10.0;
/// Font size of card text at 100 %.
pub const CARD_FONT: f32 = 15.0;
/// Font size of a card's channel/owner line at 100 %.
pub const META_FONT: f32 = 12.0;
/// Font size of stage names at 100 %.
pub const HEADER_FONT: f32 = 17.0;
/// Font size of lane names at 100 %.
pub const LANE_FONT: f32 = 15.0;
/// Line height as a multiple of the font size.
pub const LINE_HEIGHT: f32 = 1.3;
/// Smallest height of a lane at 100 % text.
pub const LANE_MIN_H: f32 = 76.0;
/// Height of the emotion lane.
pub const EMOTION_H: f32 = 236.0;
/// Space in the emotion lane above the top of the scale (room for the lane's name).
pub const EMOTION_PAD_TOP: f32 = 44.0;
/// Space in the emotion lane below the bottom of the scale.
pub const EMOTION_PAD_BOTTOM: f32 = 24.0;
/// Width of the band right of the last stage where a new stage can be dragged out.
pub const NEW_STAGE_BAND_W: f32 = 320.0;
/// Height of the add slot at the end of each cell in the editor (≥ 24 px at 100 % zoom).
pub const ADD_SLOT_H: f32 = 26.0;
/// Most lines of text the in-place editor grows to before it scrolls.
pub const EDITOR_MAX_LINES: usize = 12;

/// Vertical sizes are multiples of 1/`GRID` of a unit (a 64th of a pixel at 100 %, well
/// below what anyone sees), so that sums of them are exact in an `f32` on maps up to 2^18 =
/// 262,144 units tall: moving the lanes below a changed cell by the change then gives the very
/// numbers a fresh layout gives. (Taller maps are off by the last bit of an `f32` at most.)
pub const GRID: f32 = 64.0;

/// `v` on the layout's grid (see [`GRID`]).
#[must_use]
pub fn grid(v: f32) -> f32 {
    (v * GRID).round() / GRID
}

/// The height of a line of text of `size` (`size` × [`LINE_HEIGHT`], on the grid).
#[must_use]
pub fn line_h(size: f32) -> f32 {
    grid(size * LINE_HEIGHT)
}

/// One line of text, placed.
#[derive(Clone, Debug, PartialEq)]
pub struct TextLine {
    /// The characters (shared: layouts and display lists copy lines without copying text).
    pub text: Arc<str>,
    /// Top-left of the line box.
    pub pos: Pos,
    /// Font size.
    pub size: f32,
    /// Semibold or regular.
    pub bold: bool,
    /// Measured width of the text.
    pub width: f32,
}

impl TextLine {
    fn translate_y(&mut self, dy: f32) {
        self.pos.y += dy;
    }
}

/// A placed stage.
#[derive(Clone, Debug, PartialEq)]
pub struct StageBox {
    /// Which stage.
    pub id: StageId,
    /// Its header.
    pub header: Rect,
    /// Its whole column, header included.
    pub column: Rect,
    /// Its name, wrapped into the header.
    pub name: Vec<TextLine>,
}

/// A placed visible lane.
#[derive(Clone, Debug, PartialEq)]
pub struct LaneBox {
    /// Which lane.
    pub id: LaneId,
    /// Its kind.
    pub kind: LaneKind,
    /// The label cell at the left.
    pub label: Rect,
    /// The row across all stages (without the label).
    pub row: Rect,
    /// Its name, wrapped into the label.
    pub name: Vec<TextLine>,
    /// The least height the lane has whatever its cells hold (its name, the lane minimum).
    floor_h: f32,
}

/// A placed card.
#[derive(Clone, Debug, PartialEq)]
pub struct CardBox {
    /// Which card.
    pub id: CardId,
    /// Its stage.
    pub stage: StageId,
    /// Its lane.
    pub lane: LaneId,
    /// Its position among the cards of its cell.
    pub index: usize,
    /// Its rectangle.
    pub rect: Rect,
    /// The channel/owner line, if any.
    pub meta: Option<TextLine>,
    /// The marks row (channel icon, channel/owner line, badges), if the card has marks.
    pub row: Option<Rect>,
    /// What the marks row holds.
    pub marks: CardMarks,
    /// Its text, wrapped (the last shown line ends in "…" when lines are hidden).
    pub lines: Vec<TextLine>,
    /// Lines of text not shown (a long card on the canvas; 0 when all are shown).
    pub hidden_lines: usize,
    /// The card's whole text (for tooltips and screen readers).
    pub text: Arc<str>,
}

impl CardBox {
    /// Where the mark for links to other maps is (the last badge of the marks row), if the
    /// card has it: drawn there, and clicked there to open the other map.
    #[must_use]
    pub fn map_link_mark(&self) -> Option<Rect> {
        let row = self.row.filter(|_| self.marks.away)?;
        let h = row.height();
        let step = CardMarks::badge_w(h / LINE_HEIGHT);
        Some(Rect::from_xywh(row.max.x - step + 4.0, row.min.y, h, h))
    }

    fn translate_y(&mut self, dy: f32) {
        self.rect = self.rect.translate(Pos::new(0.0, dy));
        if let Some(m) = &mut self.meta {
            m.translate_y(dy);
        }
        if let Some(r) = &mut self.row {
            *r = r.translate(Pos::new(0.0, dy));
        }
        for l in &mut self.lines {
            l.translate_y(dy);
        }
    }
}

/// The cards of one cell as laid out: their ids in order and the height they need.
#[derive(Clone, Debug, Default, PartialEq)]
struct CellBox {
    cards: Vec<CardId>,
    /// Height of the cell's content from the lane's top (paddings, cards, add slot, editor).
    content_h: f32,
}

/// Everything placed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layout {
    /// The view this was laid out for.
    pub view: View,
    /// Stages, left to right.
    pub stages: Vec<StageBox>,
    /// Visible lanes, top to bottom.
    pub lanes: Vec<LaneBox>,
    /// Cards: in document order after a full layout; cards laid out again by an incremental
    /// update come last (cells never overlap, so order does not matter for drawing).
    pub cards: Vec<CardBox>,
    /// The emotion lane, if visible.
    pub emotion: Option<EmotionBox>,
    /// The whole map (labels, headers, rows).
    pub bounds: Rect,
    /// Where a new stage can be dragged out.
    pub new_stage_band: Rect,
    /// Where the in-place editor of a new card goes (room made for it in its cell).
    pub edit_rect: Option<Rect>,
    /// Links between cards, routed through the gaps of the grid.
    pub links: Vec<LinkBox>,
    /// Index into `cards` by id.
    card_index: HashMap<CardId, usize>,
    /// Each visible cell's cards and height.
    cells: HashMap<(StageId, LaneId), CellBox>,
}

/// Lays out a document for an export (every line of every card, no editor affordances).
#[must_use]
pub fn layout(doc: &Document, measure: &dyn TextMeasure, cache: &mut TextCache) -> Layout {
    layout_with(doc, &View::default(), &Live::default(), measure, cache)
}

/// Lays out a document for a view, with the editor's live state (expanded cards, the text
/// being edited).
#[must_use]
pub fn layout_with(
    doc: &Document,
    view: &View,
    live: &Live,
    measure: &dyn TextMeasure,
    cache: &mut TextCache,
) -> Layout {
    let style = Style::of(view);
    let mut out = Layout {
        view: view.clone(),
        ..Layout::default()
    };
    let (names, header_h) = stage_names(doc, style, measure);
    let right = names.last().map_or(style.label_w(), |(x, w, _)| x + w);
    // Cards per cell, in document order.
    let mut by_cell: HashMap<(StageId, LaneId), Vec<&crate::model::Card>> = HashMap::new();
    for c in &doc.cards {
        by_cell.entry((c.stage, c.lane)).or_default().push(c);
    }
    let card_names = cells::CardNames::of(doc);
    let ctx = cells::PlaceCtx {
        view,
        style,
        live,
        measure,
        names: &card_names,
    };
    let mut y = header_h;
    // Cards are placed per cell, then put in document order.
    let mut placed: HashMap<CardId, CardBox> = HashMap::with_capacity(doc.cards.len());
    for lane in doc.lanes.iter().filter(|l| !l.hidden) {
        let top = y;
        let mut lane_box = lane_box(lane, top, right, style, measure);
        let mut h = lane_box.floor_h;
        if lane.kind.holds_cards() {
            for (s, (sx, sw, _)) in doc.stages.iter().zip(&names) {
                let cards = by_cell.get(&(s.id, lane.id)).map_or(&[][..], Vec::as_slice);
                let cell = cells::place_cell(&ctx, cache, cards, (s.id, lane.id), *sx, *sw, top);
                h = h.max(cell.content_h);
                if let Some(r) = cell.edit_rect {
                    out.edit_rect = Some(r);
                }
                out.cells.insert(
                    (s.id, lane.id),
                    CellBox {
                        cards: cell.boxes.iter().map(|b| b.id).collect(),
                        content_h: cell.content_h,
                    },
                );
                placed.extend(cell.boxes.into_iter().map(|b| (b.id, b)));
            }
        }
        lane_box.set_height(h);
        out.lanes.push(lane_box);
        y += h;
    }
    out.cards = doc
        .cards
        .iter()
        .filter_map(|c| placed.remove(&c.id))
        .collect();
    out.reindex();
    out.finish(doc, &names, header_h, y);
    out.links = links::route_links(doc, &out);
    cache.prune(doc);
    out
}

/// Each stage's left x, width and wrapped name lines, and the header band's height.
type StageNames = Vec<(f32, f32, Vec<(Arc<str>, f32)>)>;

fn stage_names(doc: &Document, style: Style, measure: &dyn TextMeasure) -> (StageNames, f32) {
    let mut x = style.label_w();
    let mut header_h = style.header_min_h();
    let font = style.header_font();
    let names = doc
        .stages
        .iter()
        .map(|s| {
            let lines = measured(
                measure,
                wrap(measure, &s.name, font, true, s.width - 2.0 * CELL_PAD),
                font,
                true,
            );
            header_h = header_h.max(2.0 * 14.0 + lines.len() as f32 * line_h(font));
            let entry = (x, s.width, lines);
            x += s.width;
            entry
        })
        .collect();
    (names, header_h)
}

/// A lane's label and name at `top`, with its floor height (the row is set later).
fn lane_box(
    lane: &crate::model::Lane,
    top: f32,
    right: f32,
    style: Style,
    measure: &dyn TextMeasure,
) -> LaneBox {
    let font = style.lane_font();
    let label_w = style.label_w();
    let name_lines = measured(
        measure,
        wrap(measure, &lane.name, font, true, label_w - 28.0),
        font,
        true,
    );
    let name_h = name_lines.len() as f32 * line_h(font);
    // A long lane name grows the lane too (and pushes the emotion scale down).
    let floor_h = if lane.kind == LaneKind::Emotion {
        EMOTION_H + (12.0 + name_h + 8.0 - EMOTION_PAD_TOP).max(0.0)
    } else {
        style.lane_min_h().max(12.0 + name_h + 12.0)
    };
    LaneBox {
        id: lane.id,
        kind: lane.kind,
        label: Rect::from_xywh(0.0, top, label_w, floor_h),
        row: Rect::from_xywh(label_w, top, right - label_w, floor_h),
        name: place_lines(&name_lines, 16.0, top + 12.0, font, true),
        floor_h,
    }
}

impl LaneBox {
    fn set_height(&mut self, h: f32) {
        self.label.max.y = self.label.min.y + h;
        self.row.max.y = self.row.min.y + h;
    }

    fn translate_y(&mut self, dy: f32) {
        let d = Pos::new(0.0, dy);
        self.label = self.label.translate(d);
        self.row = self.row.translate(d);
        for l in &mut self.name {
            l.translate_y(dy);
        }
    }
}

impl Layout {
    fn reindex(&mut self) {
        self.card_index = self
            .cards
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id, i))
            .collect();
    }

    /// Stage boxes, the emotion box and the bounds, once the lanes are placed (`bottom` is
    /// the bottom of the last lane).
    fn finish(&mut self, doc: &Document, names: &StageNames, header_h: f32, bottom: f32) {
        let style = self.style();
        let right = names.last().map_or(style.label_w(), |(x, w, _)| x + w);
        let bottom = bottom.max(header_h + style.lane_min_h());
        let font = style.header_font();
        self.stages = doc
            .stages
            .iter()
            .zip(names)
            .map(|(s, (sx, sw, lines))| {
                let lh = line_h(font);
                let ty = (header_h - lines.len() as f32 * lh) / 2.0;
                StageBox {
                    id: s.id,
                    header: Rect::from_xywh(*sx, 0.0, *sw, header_h),
                    column: Rect::from_xywh(*sx, 0.0, *sw, bottom),
                    name: place_lines(lines, sx + CELL_PAD, ty, font, true),
                }
            })
            .collect();
        self.emotion = self
            .lanes
            .iter()
            .find(|l| l.kind == LaneKind::Emotion)
            .map(|l| emotion_box(doc, l, &self.stages));
        self.bounds = Rect::from_xywh(0.0, 0.0, right, bottom);
        self.new_stage_band = Rect::from_xywh(right, 0.0, NEW_STAGE_BAND_W, header_h);
    }
}

pub(crate) fn measured(
    measure: &dyn TextMeasure,
    lines: Vec<String>,
    size: f32,
    bold: bool,
) -> Vec<(Arc<str>, f32)> {
    lines
        .into_iter()
        .map(|l| {
            let w = measure.width(&l, size, bold);
            (Arc::from(l), w)
        })
        .collect()
}

pub(crate) fn place_lines(
    lines: &[(Arc<str>, f32)],
    x: f32,
    y: f32,
    size: f32,
    bold: bool,
) -> Vec<TextLine> {
    let lh = line_h(size);
    lines
        .iter()
        .enumerate()
        .map(|(i, (text, width))| TextLine {
            text: Arc::clone(text),
            pos: Pos::new(x, y + i as f32 * lh),
            size,
            bold,
            width: *width,
        })
        .collect()
}

impl Layout {
    /// The placed link with this id.
    #[must_use]
    pub fn link(&self, id: crate::model::LinkId) -> Option<&LinkBox> {
        self.links.iter().find(|l| l.id == id)
    }

    /// The placed card with this id.
    #[must_use]
    pub fn card(&self, id: CardId) -> Option<&CardBox> {
        self.card_index.get(&id).map(|i| &self.cards[*i])
    }

    /// The placed stage with this id.
    #[must_use]
    pub fn stage(&self, id: StageId) -> Option<&StageBox> {
        self.stages.iter().find(|s| s.id == id)
    }

    /// The placed lane with this id.
    #[must_use]
    pub fn lane(&self, id: LaneId) -> Option<&LaneBox> {
        self.lanes.iter().find(|l| l.id == id)
    }

    /// The rectangle of a cell.
    #[must_use]
    pub fn cell_rect(&self, stage: StageId, lane: LaneId) -> Option<Rect> {
        let s = self.stage(stage)?;
        let l = self.lane(lane)?;
        Some(Rect {
            min: Pos::new(s.header.min.x, l.row.min.y),
            max: Pos::new(s.header.max.x, l.row.max.y),
        })
    }

    /// The cards of a cell, in order.
    pub fn cell_cards(&self, stage: StageId, lane: LaneId) -> impl Iterator<Item = &CardBox> {
        self.cells
            .get(&(stage, lane))
            .map_or(&[][..], |c| c.cards.as_slice())
            .iter()
            .filter_map(|id| self.card(*id))
    }

    /// Where the add slot of a cell is: below its last card, as wide as its cards (`None`
    /// when the view has no add slots or the lane holds no cards).
    #[must_use]
    pub fn add_slot(&self, stage: StageId, lane: LaneId) -> Option<Rect> {
        if !self.view.add_slots || !self.lane(lane)?.kind.holds_cards() {
            return None;
        }
        let cell = self.cell_rect(stage, lane)?;
        let top = self
            .cell_cards(stage, lane)
            .last()
            .map_or(cell.min.y + CELL_PAD, |c| c.rect.max.y + CARD_GAP);
        let top = match self.edit_rect {
            Some(r) if r.min.x > cell.min.x && r.max.x < cell.max.x && r.max.y > top => {
                r.max.y + CARD_GAP
            }
            _ => top,
        };
        Some(Rect::from_xywh(
            cell.min.x + CELL_PAD,
            top,
            cell.width() - 2.0 * CELL_PAD,
            ADD_SLOT_H,
        ))
    }

    /// Height of the header band.
    #[must_use]
    pub fn header_h(&self) -> f32 {
        self.new_stage_band.height()
    }

    /// The style the layout was made with.
    #[must_use]
    pub fn style(&self) -> Style {
        Style::of(&self.view)
    }
}

#[cfg(test)]
mod tests;
