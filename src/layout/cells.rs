//! One cell's cards placed top-down: text wrapped through a cache (an edit re-wraps one card),
//! long cards clamped to a few lines on the canvas, the add slot and the in-place editor given
//! room so that nothing ever draws over the next lane.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use super::{
    ADD_SLOT_H, CARD_GAP, CELL_PAD, CardBox, EDITOR_MAX_LINES, LINE_HEIGHT, Style, TextLine,
    TextMeasure, measured, place_lines, wrap,
};
use crate::geom::{Pos, Rect};
use crate::model::{Card, CardId, Channel, Document, LaneId, PersonaId, StageId};

/// What cards' marks rows name from elsewhere in the map.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct CardNames {
    /// Every persona's name, when the map has more than one (with one, every card is that
    /// persona's and naming it on each would be noise).
    personas: HashMap<PersonaId, String>,
    /// Owners cards without one take from their causes ([`crate::model::inherited_owners`]).
    owners: HashMap<CardId, String>,
}

impl CardNames {
    /// The names `doc` gives its cards.
    pub(crate) fn of(doc: &Document) -> Self {
        let personas = if doc.personas.len() < 2 {
            HashMap::new()
        } else {
            doc.personas
                .iter()
                .map(|p| (p.id, p.name.trim().to_owned()))
                .collect()
        };
        Self {
            personas,
            owners: crate::model::inherited_owners(doc),
        }
    }

    /// Whom a card names, as its marks row says it ("Dana, Sam"), or nothing.
    fn who(&self, card: &Card) -> String {
        if self.personas.is_empty() {
            return String::new();
        }
        card.personas
            .iter()
            .filter_map(|p| self.personas.get(p))
            .filter(|n| !n.is_empty())
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The owner a card without one takes from its cause, or nothing.
    fn via(&self, card: &Card) -> String {
        if card.owner.trim().is_empty() {
            self.owners.get(&card.id).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    }
}

/// What the in-place editor is editing, for the room layout makes for it.
#[derive(Clone, Debug, PartialEq)]
pub enum EditBox {
    /// A card's text, as typed so far (the card grows with it).
    Card {
        /// Which card.
        id: CardId,
        /// The text in the editor.
        text: String,
    },
    /// A new card about to be added at `index` of a cell.
    New {
        /// The stage.
        stage: StageId,
        /// The lane.
        lane: LaneId,
        /// Its position among the cell's cards.
        index: usize,
        /// The text in the editor.
        text: String,
    },
}

impl EditBox {
    /// The cell the editor is in (`card_cell` finds an edited card's).
    #[must_use]
    pub fn cell(
        &self,
        card_cell: impl Fn(CardId) -> Option<(StageId, LaneId)>,
    ) -> Option<(StageId, LaneId)> {
        match self {
            EditBox::Card { id, .. } => card_cell(*id),
            EditBox::New { stage, lane, .. } => Some((*stage, *lane)),
        }
    }
}

/// The editor's state that changes the layout: cards shown whole (selected) and the text
/// being edited.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Live {
    /// Cards shown with all their lines even where the view clamps long cards.
    pub expanded: BTreeSet<CardId>,
    /// The in-place editor, if open.
    pub editing: Option<EditBox>,
}

/// A card's wrapped and measured text, with what it was computed from.
struct CachedCard {
    text: String,
    /// The same text, shared with the card boxes (tooltips, screen readers).
    shared: Arc<str>,
    width_bits: u32,
    scale_bits: u32,
    channel: Option<Channel>,
    channel_name: String,
    owner: String,
    /// Its personas' names, when the map has several.
    who: String,
    /// The owner it takes from its cause.
    via: String,
    marks: CardMarks,
    lines: Vec<(Arc<str>, f32)>,
    meta: Option<(Arc<str>, f32)>,
    /// The last shown line of the clamped card (with "…"), for the clamp it was made for.
    clamped: Option<(usize, Arc<str>, f32)>,
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
        style: Style,
        card: &Card,
        width: f32,
        names: &CardNames,
    ) -> &mut CachedCard {
        use std::collections::hash_map::Entry;
        let who = names.who(card);
        let via = names.via(card);
        let mut marks = CardMarks::of(card);
        marks.text |= !who.is_empty() || !via.is_empty();
        let fresh = |e: &CachedCard| {
            e.width_bits == width.to_bits()
                && e.scale_bits == style.text_scale.to_bits()
                && e.text == card.text
                && e.channel == card.channel
                && e.channel_name == card.channel_name
                && e.owner == card.owner
                && e.who == who
                && e.via == via
                && e.marks == marks
        };
        let compute = || {
            let font = style.card_font();
            let lines = measured(
                measure,
                wrap(measure, &card.text, font, false, width),
                font,
                false,
            );
            // The marks row is one line: the channel's icon, then channel and owner (a long
            // owner cut with an ellipsis), then the badges at the right.
            let room = width - marks.reserved(style.meta_font());
            let meta = if marks.any() {
                let m = meta_text(card, &who, &via).unwrap_or_default();
                let w = measure.width(&m, style.meta_font(), true);
                Some(if w > room && room > 0.0 {
                    with_ellipsis(measure, &m, style.meta_font(), true, room)
                } else {
                    (Arc::from(m), w)
                })
            } else {
                None
            };
            CachedCard {
                text: card.text.clone(),
                shared: Arc::from(card.text.as_str()),
                width_bits: width.to_bits(),
                scale_bits: style.text_scale.to_bits(),
                channel: card.channel,
                channel_name: card.channel_name.clone(),
                owner: card.owner.clone(),
                who: who.clone(),
                via: via.clone(),
                marks,
                lines,
                meta,
                clamped: None,
            }
        };
        match self.entries.entry(card.id) {
            Entry::Occupied(o) if fresh(o.get()) => o.into_mut(),
            Entry::Occupied(mut o) => {
                self.wraps += 1;
                *o.get_mut() = compute();
                o.into_mut()
            }
            Entry::Vacant(v) => {
                self.wraps += 1;
                v.insert(compute())
            }
        }
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

    /// Forgets cards the document no longer has (when there are many of them).
    pub(crate) fn prune(&mut self, doc: &crate::model::Document) {
        if self.entries.len() > 2 * doc.cards.len() + 64 {
            let ids: std::collections::HashSet<CardId> = doc.cards.iter().map(|c| c.id).collect();
            self.entries.retain(|id, _| ids.contains(id));
        }
    }
}

/// What a card's marks row holds besides its text: the channel's icon at the left, badges at
/// the right (moment of truth, severity or priority, note). Layout leaves room for them; the
/// renderer draws them in the same places.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent marks of one card, each shown or not"
)]
pub struct CardMarks {
    /// A channel icon before the text.
    pub icon: bool,
    /// Moment-of-truth star.
    pub moment: bool,
    /// Severity (pain point) or priority (opportunity) level.
    pub level: Option<u8>,
    /// A note marker.
    pub note: bool,
    /// A mark for links to other maps.
    pub away: bool,
    /// Whether there is any channel or owner text.
    pub text: bool,
}

impl CardMarks {
    /// The marks of a card.
    #[must_use]
    pub fn of(card: &Card) -> Self {
        Self {
            icon: card.channel.is_some(),
            moment: card.moment_of_truth,
            level: card.severity.or(card.priority),
            note: !card.note.trim().is_empty(),
            away: !card.map_links.is_empty(),
            text: card.channel.is_some() || !card.owner.is_empty(),
        }
    }

    /// Whether the card needs a marks row.
    #[must_use]
    pub fn any(self) -> bool {
        self.icon || self.moment || self.level.is_some() || self.note || self.away || self.text
    }

    /// How many badges sit at the right.
    #[must_use]
    pub fn badges(self) -> usize {
        usize::from(self.moment)
            + usize::from(self.level.is_some())
            + usize::from(self.note)
            + usize::from(self.away)
    }

    /// The width of the channel icon and its gap, for a row of `font` size.
    #[must_use]
    pub fn icon_w(font: f32) -> f32 {
        font * LINE_HEIGHT + 3.0
    }

    /// The width of one badge and its gap.
    #[must_use]
    pub fn badge_w(font: f32) -> f32 {
        font * LINE_HEIGHT + 4.0
    }

    /// The row's width the icon and badges take.
    #[must_use]
    pub fn reserved(self, font: f32) -> f32 {
        let icon = if self.icon { Self::icon_w(font) } else { 0.0 };
        icon + self.badges() as f32 * Self::badge_w(font)
    }
}

/// The channel/owner line of a card, with whom it names (`who`) and the owner it takes from
/// its cause (`via`), said as such.
fn meta_text(card: &Card, who: &str, via: &str) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(ch) = card.channel_label() {
        parts.push(ch.to_uppercase());
    }
    if !card.owner.is_empty() {
        parts.push(card.owner.clone());
    } else if !via.is_empty() {
        parts.push(format!("{via} (via cause)"));
    }
    if !who.is_empty() {
        parts.push(who.to_owned());
    }
    (!parts.is_empty()).then(|| parts.join(" \u{b7} "))
}

/// `line` shortened so that it and an ellipsis fit in `width`.
fn with_ellipsis(
    measure: &dyn TextMeasure,
    line: &str,
    size: f32,
    bold: bool,
    width: f32,
) -> (Arc<str>, f32) {
    let dots = measure.width("\u{2026}", size, bold);
    let mut s: String = line.trim_end().to_string();
    let mut w = measure.width(&s, size, bold);
    while w + dots > width && !s.is_empty() {
        if let Some(c) = s.pop() {
            w -= measure.advance(c, size, bold);
        }
    }
    let s = format!("{}\u{2026}", s.trim_end());
    let w = measure.width(&s, size, bold);
    (Arc::from(s), w)
}

/// What layout needs to place cells.
pub(crate) struct PlaceCtx<'a> {
    pub view: &'a crate::view::View,
    /// The view's text sizes.
    pub style: Style,
    pub live: &'a Live,
    pub measure: &'a dyn TextMeasure,
    /// What cards name from elsewhere in the map ([`CardNames`]).
    pub names: &'a CardNames,
}

/// One cell, placed.
pub(crate) struct PlacedCell {
    pub boxes: Vec<CardBox>,
    /// Height of the content from the lane's top.
    pub content_h: f32,
    /// The room made for a new card's editor, if it is in this cell.
    pub edit_rect: Option<Rect>,
}

/// Lines the editor needs for `text` (one more than the text takes, for the caret), capped.
fn editor_lines(measure: &dyn TextMeasure, style: Style, text: &str, width: f32) -> usize {
    let n = wrap(measure, text, style.card_font(), false, width).len();
    (n + 1).clamp(2, EDITOR_MAX_LINES)
}

/// Places the cards of the cell `(stage, lane)` (in their order) in the column from `x`,
/// `width` wide, from the lane's `top`.
pub(crate) fn place_cell(
    ctx: &PlaceCtx<'_>,
    cache: &mut TextCache,
    cards: &[&Card],
    cell: (StageId, LaneId),
    x: f32,
    width: f32,
    top: f32,
) -> PlacedCell {
    let style = ctx.style;
    let pad = style.card_pad();
    let card_w = width - 2.0 * CELL_PAD;
    let text_w = card_w - 2.0 * pad;
    let font = style.card_font();
    let mut y = top + CELL_PAD;
    let mut boxes = Vec::with_capacity(cards.len());
    let mut edit_rect = None;
    let new_at = match &ctx.live.editing {
        Some(EditBox::New {
            stage,
            lane,
            index,
            text,
        }) if (*stage, *lane) == cell => Some(((*index).min(cards.len()), text.as_str())),
        _ => None,
    };
    let editor = |y: &mut f32, text: &str| {
        let lines = editor_lines(ctx.measure, style, text, text_w);
        let r = Rect::from_xywh(x + CELL_PAD, *y, card_w, style.card_height(lines, false));
        *y = r.max.y + CARD_GAP;
        r
    };
    for (k, card) in cards.iter().enumerate() {
        if let Some((at, text)) = new_at
            && at == k
        {
            edit_rect = Some(editor(&mut y, text));
        }
        let edited = match &ctx.live.editing {
            Some(EditBox::Card { id, text }) if *id == card.id => Some(text.as_str()),
            _ => None,
        };
        let entry = cache.card(ctx.measure, style, card, text_w, ctx.names);
        let (lines, hidden, shown) = if let Some(text) = edited {
            // The card grows with the text being typed (the editor scrolls past a cap).
            let n = editor_lines(ctx.measure, style, text, text_w);
            (Vec::new(), 0, n)
        } else {
            let total = entry.lines.len();
            let clamp = ctx
                .view
                .clamp_lines
                .filter(|n| total > *n && !ctx.live.expanded.contains(&card.id));
            match clamp {
                Some(n) => {
                    let last = match &entry.clamped {
                        Some((m, text, w)) if *m == n => (Arc::clone(text), *w),
                        _ => {
                            let (text, w) = with_ellipsis(
                                ctx.measure,
                                &entry.lines[n - 1].0,
                                font,
                                false,
                                text_w,
                            );
                            entry.clamped = Some((n, Arc::clone(&text), w));
                            (text, w)
                        }
                    };
                    let mut lines: Vec<(Arc<str>, f32)> = entry.lines[..n - 1].to_vec();
                    lines.push(last);
                    (lines, total - n, n)
                }
                None => (entry.lines.clone(), 0, total),
            }
        };
        let has_meta = entry.meta.is_some() && edited.is_none();
        let h = style.card_height(shown, has_meta);
        let rect = Rect::from_xywh(x + CELL_PAD, y, card_w, h);
        let mut ty = y + pad;
        let icon_w = if entry.marks.icon {
            CardMarks::icon_w(style.meta_font())
        } else {
            0.0
        };
        let row = has_meta.then(|| {
            Rect::from_xywh(
                rect.min.x + pad,
                ty,
                card_w - 2.0 * pad,
                style.meta_line_h(),
            )
        });
        let meta = entry.meta.as_ref().filter(|_| has_meta).map(|(m, w)| {
            let line = TextLine {
                text: Arc::clone(m),
                pos: Pos::new(rect.min.x + pad + icon_w, ty),
                size: style.meta_font(),
                bold: true,
                width: *w,
            };
            ty += style.meta_line_h() + 4.0;
            line
        });
        boxes.push(CardBox {
            id: card.id,
            stage: cell.0,
            lane: cell.1,
            index: k,
            rect,
            meta,
            row,
            marks: entry.marks,
            lines: {
                let mut placed = place_lines(&lines, rect.min.x + pad, ty, font, false);
                // Right-to-left lines (Arabic, Hebrew) start at the card's right edge.
                for l in &mut placed {
                    if super::shape::reads_rtl(&l.text) {
                        l.pos.x = rect.min.x + card_w - pad - l.width;
                    }
                }
                placed
            },
            hidden_lines: hidden,
            text: Arc::clone(&entry.shared),
        });
        y += h + CARD_GAP;
    }
    if let Some((at, text)) = new_at
        && at >= cards.len()
    {
        edit_rect = Some(editor(&mut y, text));
    }
    let mut bottom = if cards.is_empty() && edit_rect.is_none() {
        top + CELL_PAD
    } else {
        y - CARD_GAP
    };
    if ctx.view.add_slots {
        let gap = if bottom > top + CELL_PAD {
            CARD_GAP
        } else {
            0.0
        };
        bottom += gap + ADD_SLOT_H;
    }
    PlacedCell {
        boxes,
        content_h: bottom + CELL_PAD - top,
        edit_rect,
    }
}
