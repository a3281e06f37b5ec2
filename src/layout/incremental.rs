//! [`Incremental`]: keeps a layout current with the work an edit needs. A card edit lays out
//! its cell again and moves the lanes below if its row grew or shrank; a change of stages,
//! lanes or the view lays out everything.

use std::collections::{BTreeSet, HashMap};

use super::cells::{self, EditBox, Live, PlaceCtx, TextCache};
use super::{CellBox, Layout, Style, TextMeasure, View, emotion_box, layout_with};
use crate::edit::Touched;
use crate::model::{CardId, Document, LaneId, StageId};

/// What an update changed, for whoever draws the layout.
#[derive(Clone, Debug, PartialEq)]
pub enum Relaid {
    /// Nothing that is drawn.
    Nothing,
    /// Everything was laid out again.
    Full,
    /// Some cells were laid out again.
    Partial {
        /// Cards placed again (new, edited, moved or in a re-laid cell), at their final place.
        cards: Vec<CardId>,
        /// Cards that are gone.
        removed: Vec<CardId>,
        /// Lanes that moved down (positive) or up, with the distance: every other card in them
        /// moved by as much.
        shifted: Vec<(LaneId, f32)>,
    },
}

/// A layout and the caches that make updating it cheap.
#[derive(Default)]
pub struct Incremental {
    layout: Option<Layout>,
    cache: TextCache,
    live: Live,
    /// What cards named from elsewhere at the last update (persona names, owners taken from
    /// causes): a change there reaches cards anywhere.
    names: cells::CardNames,
}

impl Incremental {
    /// The current layout (empty before the first update).
    #[must_use]
    pub fn layout(&self) -> &Layout {
        static EMPTY: std::sync::OnceLock<Layout> = std::sync::OnceLock::new();
        self.layout
            .as_ref()
            .unwrap_or_else(|| EMPTY.get_or_init(Layout::default))
    }

    /// The text cache (for tests and benchmarks: how many cards were wrapped).
    #[must_use]
    pub fn text_cache(&self) -> &TextCache {
        &self.cache
    }

    /// Brings the layout up to date with `doc` (changed as `touched` says since the last
    /// update), the view and the editor's live state.
    pub fn update(
        &mut self,
        doc: &Document,
        view: &View,
        live: &Live,
        touched: &Touched,
        measure: &dyn TextMeasure,
    ) -> Relaid {
        // Only a change can change them (this runs every frame).
        let mut renamed = false;
        if self.layout.is_none() || !touched.is_empty() {
            let names = cells::CardNames::of(doc);
            renamed = names != self.names;
            self.names = names;
        }
        let full = match &self.layout {
            None => true,
            Some(l) => touched.structure || renamed || !l.view.same_layout(view),
        };
        if full {
            self.layout = Some(layout_with(doc, view, live, measure, &mut self.cache));
            self.live = live.clone();
            return Relaid::Full;
        }
        let Some(layout) = self.layout.as_mut() else {
            return Relaid::Nothing;
        };
        let mut dirty: BTreeSet<(StageId, LaneId)> = touched.cells.clone();
        live_changes(layout, doc, &self.live, live, &mut dirty);
        self.live = live.clone();
        let changed = layout.view != *view;
        if changed {
            layout.view = view.clone();
        }
        let redraw = changed || touched.links;
        if touched.links {
            layout.links = super::links::route_links(doc, layout);
        }
        if dirty.is_empty() && !touched.points {
            return if redraw {
                Relaid::Partial {
                    cards: Vec::new(),
                    removed: Vec::new(),
                    shifted: Vec::new(),
                }
            } else {
                Relaid::Nothing
            };
        }
        let ctx = PlaceCtx {
            view,
            style: Style::of(view),
            live,
            measure,
            names: &self.names,
        };
        partial(layout, doc, &ctx, &mut self.cache, &dirty)
    }
}

/// The cells whose layout the change of live state (expanded cards, the editor) affects.
fn live_changes(
    layout: &Layout,
    doc: &Document,
    old: &Live,
    new: &Live,
    dirty: &mut BTreeSet<(StageId, LaneId)>,
) {
    let cell_of = |id: CardId| {
        layout
            .card(id)
            .map(|c| (c.stage, c.lane))
            .or_else(|| doc.card(id).map(|c| (c.stage, c.lane)))
    };
    for id in old.expanded.symmetric_difference(&new.expanded) {
        // Only cards with hidden lines (or that had them) change size.
        let long = layout.card(*id).is_none_or(|c| c.hidden_lines > 0) || new.expanded.contains(id);
        if long {
            dirty.extend(cell_of(*id));
        }
    }
    if old.editing != new.editing {
        for e in [&old.editing, &new.editing].into_iter().flatten() {
            dirty.extend(e.cell(cell_of));
        }
    }
}

/// Lays out `dirty` cells again and moves what lies below them.
fn partial(
    layout: &mut Layout,
    doc: &Document,
    ctx: &PlaceCtx<'_>,
    cache: &mut TextCache,
    dirty: &BTreeSet<(StageId, LaneId)>,
) -> Relaid {
    // Only cells that are laid out: a visible lane that holds cards, an existing stage. The
    // width is the stage's own (as a fresh layout takes it), not the column's max - min.
    let columns: HashMap<StageId, (f32, f32)> = layout
        .stages
        .iter()
        .map(|s| {
            let w = doc.stage(s.id).map_or(s.column.width(), |st| st.width);
            (s.id, (s.column.min.x, w))
        })
        .collect();
    let rows: HashMap<LaneId, f32> = layout
        .lanes
        .iter()
        .filter(|l| l.kind.holds_cards())
        .map(|l| (l.id, l.row.min.y))
        .collect();
    let dirty: Vec<(StageId, LaneId)> = dirty
        .iter()
        .copied()
        .filter(|(s, l)| columns.contains_key(s) && rows.contains_key(l))
        .collect();
    let mut removed: BTreeSet<CardId> = BTreeSet::new();
    for cell in &dirty {
        if let Some(c) = layout.cells.remove(cell) {
            for id in c.cards {
                layout.remove_card(id);
                removed.insert(id);
            }
        }
    }
    // The document's cards stand in cell order: each cell's are found by binary search, not
    // by a pass over every card.
    let by_cell: HashMap<(StageId, LaneId), Vec<&crate::model::Card>> = dirty
        .iter()
        .map(|(s, l)| {
            (
                (*s, *l),
                doc.cell_slice(*s, *l).iter().map(|c| &**c).collect(),
            )
        })
        .collect();
    if !matches!(ctx.live.editing, Some(EditBox::New { .. })) {
        layout.edit_rect = None;
    }
    let mut relaid = Vec::new();
    let mut grown: BTreeSet<LaneId> = BTreeSet::new();
    for cell in &dirty {
        let (x, w) = columns[&cell.0];
        let top = rows[&cell.1];
        let cards = by_cell.get(cell).map_or(&[][..], Vec::as_slice);
        let placed = cells::place_cell(ctx, cache, cards, *cell, x, w, top);
        if let Some(r) = placed.edit_rect {
            layout.edit_rect = Some(r);
        }
        layout.cells.insert(
            *cell,
            CellBox {
                cards: placed.boxes.iter().map(|b| b.id).collect(),
                content_h: placed.content_h,
            },
        );
        for b in placed.boxes {
            removed.remove(&b.id);
            relaid.push(b.id);
            layout.push_card(b);
        }
        grown.insert(cell.1);
    }
    let shifted = reflow_rows(layout, &grown);
    if !shifted.is_empty() {
        let by_lane: HashMap<LaneId, f32> = shifted.iter().copied().collect();
        for c in &mut layout.cards {
            if let Some(dy) = by_lane.get(&c.lane) {
                c.translate_y(*dy);
            }
        }
        if let (Some(r), Some(EditBox::New { lane, .. })) =
            (&mut layout.edit_rect, &ctx.live.editing)
            && let Some(dy) = by_lane.get(lane)
        {
            *r = r.translate(crate::geom::Pos::new(0.0, *dy));
        }
    }
    let bottom = layout
        .lanes
        .last()
        .map_or(layout.header_h(), |l| l.row.max.y);
    let bottom = bottom.max(layout.header_h() + layout.style().lane_min_h());
    for s in &mut layout.stages {
        s.column.max.y = bottom;
    }
    layout.bounds.max.y = bottom;
    layout.emotion = layout
        .lanes
        .iter()
        .find(|l| l.kind == crate::model::LaneKind::Emotion)
        .map(|l| emotion_box(doc, l, &layout.stages));
    if !doc.links.is_empty() || !layout.links.is_empty() {
        layout.links = super::links::route_links(doc, layout);
    }
    Relaid::Partial {
        cards: relaid,
        removed: removed.into_iter().collect(),
        shifted,
    }
}

/// Sets the height of the lanes in `grown` from their cells and moves every lane to follow
/// the one above it; returns the lanes that moved and by how much.
fn reflow_rows(layout: &mut Layout, grown: &BTreeSet<LaneId>) -> Vec<(LaneId, f32)> {
    let stage_ids: Vec<StageId> = layout.stages.iter().map(|s| s.id).collect();
    let mut top = layout.header_h();
    let mut shifted = Vec::new();
    for lane in &mut layout.lanes {
        let dy = top - lane.row.min.y;
        if dy.abs() > f32::EPSILON {
            lane.translate_y(dy);
            shifted.push((lane.id, dy));
        }
        if grown.contains(&lane.id) {
            let h = stage_ids
                .iter()
                .filter_map(|s| layout.cells.get(&(*s, lane.id)))
                .map(|c| c.content_h)
                .fold(lane.floor_h, f32::max);
            lane.set_height(h);
        }
        top = lane.row.max.y;
    }
    shifted
}

impl Layout {
    fn remove_card(&mut self, id: CardId) {
        let Some(i) = self.card_index.remove(&id) else {
            return;
        };
        self.cards.swap_remove(i);
        if let Some(moved) = self.cards.get(i) {
            self.card_index.insert(moved.id, i);
        }
    }

    fn push_card(&mut self, b: super::CardBox) {
        self.card_index.insert(b.id, self.cards.len());
        self.cards.push(b);
    }
}
