//! Where everything goes, in world units: stage columns, lane rows, cards with their wrapped
//! text lines, the emotion curve. Pure geometry from the document; the canvas and every
//! exporter draw from the same [`Layout`], and hit-testing reads it too.

mod curve;
mod hit;
mod text;

pub use curve::monotone_curve;
pub use hit::Hit;
pub use text::{FONT_BOLD, FONT_REGULAR, FontMeasure, TextMeasure, wrap};

use std::collections::HashMap;
use std::sync::Arc;

use crate::geom::{Pos, Rect};
use crate::model::{CardId, Document, LaneId, LaneKind, PointId, StageId};

/// Width of the lane-label column at the left.
pub const LABEL_W: f32 = 180.0;
/// Smallest height of the stage-header band.
pub const HEADER_MIN_H: f32 = 64.0;
/// Padding inside a cell around its cards.
pub const CELL_PAD: f32 = 10.0;
/// Gap between cards in a cell.
pub const CARD_GAP: f32 = 8.0;
/// Padding inside a card around its text.
pub const CARD_PAD: f32 = 10.0;
/// Font size of card text.
pub const CARD_FONT: f32 = 15.0;
/// Font size of a card's channel/owner line.
pub const META_FONT: f32 = 12.0;
/// Font size of stage names.
pub const HEADER_FONT: f32 = 17.0;
/// Font size of lane names.
pub const LANE_FONT: f32 = 15.0;
/// Line height as a multiple of the font size.
pub const LINE_HEIGHT: f32 = 1.3;
/// Smallest height of a lane.
pub const LANE_MIN_H: f32 = 76.0;
/// Height of the emotion lane.
pub const EMOTION_H: f32 = 236.0;
/// Space in the emotion lane above the top of the scale (room for the lane's name).
pub const EMOTION_PAD_TOP: f32 = 44.0;
/// Space in the emotion lane below the bottom of the scale.
pub const EMOTION_PAD_BOTTOM: f32 = 24.0;
/// Width of the band right of the last stage where a new stage can be dragged out.
pub const NEW_STAGE_BAND_W: f32 = 320.0;

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
    /// Its text, wrapped.
    pub lines: Vec<TextLine>,
}

/// A placed emotion point.
#[derive(Clone, Debug, PartialEq)]
pub struct PointBox {
    /// Which point.
    pub id: PointId,
    /// Its stage.
    pub stage: StageId,
    /// Where it is drawn.
    pub pos: Pos,
    /// Its value.
    pub value: f32,
}

/// The emotion lane's geometry.
#[derive(Clone, Debug, PartialEq)]
pub struct EmotionBox {
    /// The lane.
    pub lane: LaneId,
    /// The row across all stages.
    pub row: Rect,
    /// The y of the top (max) and bottom (min) of the scale.
    pub y_max: f32,
    /// See `y_max`.
    pub y_min: f32,
    /// The scale's range.
    pub min: f32,
    /// See `min`.
    pub max: f32,
    /// Points, left to right.
    pub points: Vec<PointBox>,
    /// The smooth curve through the points, as a polyline.
    pub curve: Vec<Pos>,
}

impl EmotionBox {
    /// The y of a value.
    #[must_use]
    pub fn y_of(&self, value: f32) -> f32 {
        let t = (value - self.min) / (self.max - self.min);
        self.y_min + (self.y_max - self.y_min) * t
    }

    /// The value at a y, clamped into the scale.
    #[must_use]
    pub fn value_at(&self, y: f32) -> f32 {
        let t = (y - self.y_min) / (self.y_max - self.y_min);
        (self.min + t * (self.max - self.min)).clamp(self.min, self.max)
    }
}

/// Everything placed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layout {
    /// Stages, left to right.
    pub stages: Vec<StageBox>,
    /// Visible lanes, top to bottom.
    pub lanes: Vec<LaneBox>,
    /// Cards, in document order.
    pub cards: Vec<CardBox>,
    /// The emotion lane, if visible.
    pub emotion: Option<EmotionBox>,
    /// The whole map (labels, headers, rows).
    pub bounds: Rect,
    /// Where a new stage can be dragged out.
    pub new_stage_band: Rect,
    /// Index into `cards` by id.
    card_index: HashMap<CardId, usize>,
}

/// A stage's left x and its wrapped, measured name lines.
type StageText = (f32, Vec<(Arc<str>, f32)>);

/// A card's wrapped and measured text, with what it was computed from.
struct CachedCard {
    text: String,
    width_bits: u32,
    channel: Option<crate::model::Channel>,
    owner: String,
    lines: Vec<(Arc<str>, f32)>,
    meta: Option<(Arc<str>, f32)>,
}

/// Wrapped card text, kept between layouts so an edit does not re-wrap every card.
#[derive(Default)]
pub struct TextCache {
    entries: HashMap<CardId, CachedCard>,
    wraps: u64,
}

impl TextCache {
    /// The card's text lines and channel/owner line, wrapped to `width`: from the cache when
    /// nothing they depend on changed.
    fn card(
        &mut self,
        measure: &dyn TextMeasure,
        card: &crate::model::Card,
        width: f32,
    ) -> &CachedCard {
        let fresh = self.entries.get(&card.id).is_some_and(|e| {
            e.width_bits == width.to_bits()
                && e.text == card.text
                && e.channel == card.channel
                && e.owner == card.owner
        });
        if !fresh {
            self.wraps += 1;
            let lines = measured(
                measure,
                wrap(measure, &card.text, CARD_FONT, false, width),
                CARD_FONT,
                false,
            );
            let meta = meta_text(card).map(|m| {
                let w = measure.width(&m, META_FONT, true);
                (Arc::from(m), w)
            });
            let entry = CachedCard {
                text: card.text.clone(),
                width_bits: width.to_bits(),
                channel: card.channel,
                owner: card.owner.clone(),
                lines,
                meta,
            };
            self.entries.insert(card.id, entry);
        }
        &self.entries[&card.id]
    }

    /// How many times a card's text was wrapped (cache misses) since the cache was made.
    #[must_use]
    pub fn wraps(&self) -> u64 {
        self.wraps
    }

    /// Number of cached entries.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
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
    let lh = size * LINE_HEIGHT;
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

/// The channel/owner line of a card.
fn meta_text(card: &crate::model::Card) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(ch) = card.channel {
        parts.push(ch.label().to_uppercase());
    }
    if !card.owner.is_empty() {
        parts.push(card.owner.clone());
    }
    (!parts.is_empty()).then(|| parts.join(" \u{b7} "))
}

/// Height of a card whose text wrapped into `lines` lines.
#[must_use]
pub fn card_height(lines: usize, has_meta: bool) -> f32 {
    let meta = if has_meta {
        META_FONT * LINE_HEIGHT + 4.0
    } else {
        0.0
    };
    2.0 * CARD_PAD + meta + lines.max(1) as f32 * CARD_FONT * LINE_HEIGHT
}

/// Lays out a document.
#[must_use]
pub fn layout(doc: &Document, measure: &dyn TextMeasure, cache: &mut TextCache) -> Layout {
    let mut out = Layout::default();
    // Stage x ranges and header height.
    let mut x = LABEL_W;
    let mut names = Vec::with_capacity(doc.stages.len());
    let mut header_h = HEADER_MIN_H;
    for s in &doc.stages {
        let lines = measured(
            measure,
            wrap(
                measure,
                &s.name,
                HEADER_FONT,
                true,
                s.width - 2.0 * CELL_PAD,
            ),
            HEADER_FONT,
            true,
        );
        header_h = header_h.max(2.0 * 14.0 + lines.len() as f32 * HEADER_FONT * LINE_HEIGHT);
        names.push((x, lines));
        x += s.width;
    }
    let right = x;
    // Cards per cell, in document order.
    let stage_pos: HashMap<StageId, usize> = doc
        .stages
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id, i))
        .collect();
    let mut cells: HashMap<(StageId, LaneId), Vec<usize>> = HashMap::new();
    // Placed cards by document index, so they come out in document order without a sort.
    let mut slots: Vec<Option<CardBox>> = vec![None; doc.cards.len()];
    for (i, c) in doc.cards.iter().enumerate() {
        cells.entry((c.stage, c.lane)).or_default().push(i);
    }
    // Lanes: each row as tall as its fullest cell.
    let mut y = header_h;
    for lane in doc.lanes.iter().filter(|l| !l.hidden) {
        let top = y;
        let mut h: f32 = if lane.kind == LaneKind::Emotion {
            EMOTION_H
        } else {
            LANE_MIN_H
        };
        if lane.kind.holds_cards() {
            for (si, s) in doc.stages.iter().enumerate() {
                let Some(idx) = cells.get(&(s.id, lane.id)) else {
                    continue;
                };
                let (sx, _) = &names[si];
                let card_w = s.width - 2.0 * CELL_PAD;
                let text_w = card_w - 2.0 * CARD_PAD;
                let mut cy = top + CELL_PAD;
                for (k, &ci) in idx.iter().enumerate() {
                    let card = &doc.cards[ci];
                    let cached = cache.card(measure, card, text_w);
                    let ch = card_height(cached.lines.len(), cached.meta.is_some());
                    let rect = Rect::from_xywh(sx + CELL_PAD, cy, card_w, ch);
                    let mut ty = cy + CARD_PAD;
                    let meta = cached.meta.as_ref().map(|(m, width)| {
                        let line = TextLine {
                            text: Arc::clone(m),
                            pos: Pos::new(rect.min.x + CARD_PAD, ty),
                            size: META_FONT,
                            bold: true,
                            width: *width,
                        };
                        ty += META_FONT * LINE_HEIGHT + 4.0;
                        line
                    });
                    let lines =
                        place_lines(&cached.lines, rect.min.x + CARD_PAD, ty, CARD_FONT, false);
                    slots[ci] = Some(CardBox {
                        id: card.id,
                        stage: s.id,
                        lane: lane.id,
                        index: k,
                        rect,
                        meta,
                        lines,
                    });
                    cy += ch + CARD_GAP;
                }
                h = h.max(cy - CARD_GAP + CELL_PAD - top);
            }
        }
        let name_lines = measured(
            measure,
            wrap(measure, &lane.name, LANE_FONT, true, LABEL_W - 28.0),
            LANE_FONT,
            true,
        );
        let name_h = name_lines.len() as f32 * LANE_FONT * LINE_HEIGHT;
        // A long lane name grows the lane too (and pushes the emotion scale down).
        let scale_top = EMOTION_PAD_TOP.max(12.0 + name_h + 8.0);
        h = if lane.kind == LaneKind::Emotion {
            h + scale_top - EMOTION_PAD_TOP
        } else {
            h.max(12.0 + name_h + 12.0)
        };
        let label = Rect::from_xywh(0.0, top, LABEL_W, h);
        let name = place_lines(&name_lines, 16.0, top + 12.0, LANE_FONT, true);
        let row = Rect::from_xywh(LABEL_W, top, right - LABEL_W, h);
        if lane.kind == LaneKind::Emotion {
            out.emotion = Some(emotion_box(
                doc, lane.id, row, scale_top, &stage_pos, &names,
            ));
        }
        out.lanes.push(LaneBox {
            id: lane.id,
            kind: lane.kind,
            label,
            row,
            name,
        });
        y += h;
    }
    let bottom = y.max(header_h + LANE_MIN_H);
    for (s, (sx, lines)) in doc.stages.iter().zip(names) {
        let header = Rect::from_xywh(sx, 0.0, s.width, header_h);
        let lh = HEADER_FONT * LINE_HEIGHT;
        let ty = (header_h - lines.len() as f32 * lh) / 2.0;
        let name = place_lines(&lines, sx + CELL_PAD, ty, HEADER_FONT, true);
        out.stages.push(StageBox {
            id: s.id,
            header,
            column: Rect::from_xywh(sx, 0.0, s.width, bottom),
            name,
        });
    }
    out.cards = slots.into_iter().flatten().collect();
    out.card_index = out
        .cards
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id, i))
        .collect();
    out.bounds = Rect::from_xywh(0.0, 0.0, right, bottom);
    out.new_stage_band = Rect::from_xywh(right, 0.0, NEW_STAGE_BAND_W, header_h);
    out
}

fn emotion_box(
    doc: &Document,
    lane: LaneId,
    row: Rect,
    scale_top: f32,
    stage_pos: &HashMap<StageId, usize>,
    stages: &[StageText],
) -> EmotionBox {
    let scale = &doc.emotion.scale;
    let mut b = EmotionBox {
        lane,
        row,
        y_max: row.min.y + scale_top,
        y_min: row.max.y - EMOTION_PAD_BOTTOM,
        min: scale.min as f32,
        max: scale.max as f32,
        points: Vec::new(),
        curve: Vec::new(),
    };
    let mut pts: Vec<PointBox> = doc
        .emotion
        .points
        .iter()
        .filter_map(|p| {
            let si = *stage_pos.get(&p.stage)?;
            let x = stages[si].0 + p.offset * doc.stages[si].width;
            Some(PointBox {
                id: p.id,
                stage: p.stage,
                pos: Pos::new(x, b.y_of(p.value)),
                value: p.value,
            })
        })
        .collect();
    pts.sort_by(|a, c| a.pos.x.total_cmp(&c.pos.x).then(a.id.cmp(&c.id)));
    let knots: Vec<Pos> = pts.iter().map(|p| p.pos).collect();
    b.curve = monotone_curve(&knots, 16);
    b.points = pts;
    b
}

impl Layout {
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
        let mut v: Vec<&CardBox> = self
            .cards
            .iter()
            .filter(|c| c.stage == stage && c.lane == lane)
            .collect();
        v.sort_by_key(|c| c.index);
        v.into_iter()
    }

    /// Height of the header band.
    #[must_use]
    pub fn header_h(&self) -> f32 {
        self.new_stage_band.height()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sample_map;

    #[test]
    fn cards_stay_inside_their_cells_and_do_not_overlap() {
        let doc = sample_map();
        let l = layout(&doc, FontMeasure::shared(), &mut TextCache::default());
        assert_eq!(l.cards.len(), doc.cards.len());
        for c in &l.cards {
            let cell = l.cell_rect(c.stage, c.lane).unwrap();
            assert!(
                cell.contains(c.rect.min) && cell.contains(c.rect.max),
                "card {:?} outside its cell",
                c.id
            );
            for line in &c.lines {
                let w = FontMeasure::shared().width(&line.text, line.size, line.bold);
                assert!(line.pos.x + w <= c.rect.max.x + 0.01);
                assert!(line.pos.y + line.size * LINE_HEIGHT <= c.rect.max.y + 0.01);
            }
            for d in &l.cards {
                if c.id != d.id {
                    assert!(
                        !c.rect.intersects(&d.rect),
                        "{:?} overlaps {:?}",
                        c.id,
                        d.id
                    );
                }
            }
        }
        let emo = l.emotion.unwrap();
        assert_eq!(emo.points.len(), doc.emotion.points.len());
    }

    #[test]
    fn an_edit_rewraps_only_the_edited_card() {
        let mut doc = crate::model::synthetic_map(10, 500, 3);
        let mut cache = TextCache::default();
        let _ = layout(&doc, FontMeasure::shared(), &mut cache);
        assert_eq!(cache.wraps(), 500);
        doc.cards[42].text.push_str(" and more");
        let l = layout(&doc, FontMeasure::shared(), &mut cache);
        assert_eq!(cache.wraps(), 501);
        assert_eq!(l.cards.len(), 500);
        // Resizing a stage re-wraps that stage's cards only.
        let s = doc.stages[3].id;
        doc.stages[3].width += 40.0;
        let _ = layout(&doc, FontMeasure::shared(), &mut cache);
        let in_stage = doc.cards.iter().filter(|c| c.stage == s).count() as u64;
        assert_eq!(cache.wraps(), 501 + in_stage);
    }

    #[test]
    fn long_lane_names_grow_their_lane() {
        let mut doc = sample_map();
        let l1 = layout(&doc, FontMeasure::shared(), &mut TextCache::default());
        for lane in &mut doc.lanes {
            lane.name = "A very long lane name that wraps onto many lines in the label".into();
        }
        let l2 = layout(&doc, FontMeasure::shared(), &mut TextCache::default());
        for (a, b) in l1.lanes.iter().zip(&l2.lanes) {
            let last = b.name.last().unwrap();
            assert!(
                last.pos.y + last.size * LINE_HEIGHT <= b.label.max.y,
                "{:?} name overflows",
                b.kind
            );
            assert!(b.label.height() >= a.label.height());
        }
        let e = l2.emotion.as_ref().unwrap();
        let lane = l2.lane(e.lane).unwrap();
        let last = lane.name.last().unwrap();
        assert!(
            last.pos.y + last.size * LINE_HEIGHT < e.y_max,
            "the name stays above the scale"
        );
    }

    #[test]
    fn long_text_grows_the_row() {
        let mut doc = sample_map();
        let l1 = layout(&doc, FontMeasure::shared(), &mut TextCache::default());
        let lane = doc.cards[0].lane;
        doc.cards[0].text = "word ".repeat(200);
        let l2 = layout(&doc, FontMeasure::shared(), &mut TextCache::default());
        assert!(l2.lane(lane).unwrap().row.height() > l1.lane(lane).unwrap().row.height() + 100.0);
    }
}
