//! Hit-testing: what is under a point of the map.

use super::{CARD_GAP, Layout, NEW_STAGE_BAND_W};
use crate::geom::Pos;
use crate::model::{CardId, LaneId, PointId, StageId};

/// What a point of the map falls on, most specific first.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Hit {
    /// An emotion point.
    Point(PointId),
    /// The right edge of a stage (drag to resize).
    StageEdge(StageId),
    /// A card.
    Card(CardId),
    /// A link between two cards.
    Link(crate::model::LinkId),
    /// A stage header.
    StageHeader(StageId),
    /// The band right of the last stage (drag out a new stage).
    NewStageBand,
    /// A lane's label.
    LaneLabel(LaneId),
    /// The emotion lane, away from any point.
    Emotion {
        /// The stage under the point.
        stage: StageId,
        /// Offset within the stage, 0..=1.
        offset: f32,
        /// The value at that height.
        value: f32,
    },
    /// The add slot at the end of a cell (click to add a card there).
    AddSlot {
        /// The stage.
        stage: StageId,
        /// The lane.
        lane: LaneId,
    },
    /// An empty spot in a cell; `index` is where a card dropped here would go.
    Cell {
        /// The stage.
        stage: StageId,
        /// The lane.
        lane: LaneId,
        /// Position among the cell's cards.
        index: usize,
    },
    /// Nothing.
    Nothing,
}

impl Layout {
    /// The link nearest `pos` within `tol`.
    fn link_near(&self, pos: Pos, tol: f32) -> Option<crate::model::LinkId> {
        self.links
            .iter()
            .map(|l| (l.id, super::distance_to(&l.route, pos)))
            .filter(|(_, d)| *d <= tol)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(id, _)| id)
    }

    /// What is at `pos`; `tol` is the grab distance for points and edges, in world units.
    #[must_use]
    pub fn hit(&self, pos: Pos, tol: f32) -> Hit {
        if let Some(e) = &self.emotion
            && e.row.expand(tol).contains(pos)
        {
            let near = e
                .points()
                .map(|p| (p, (p.pos.x - pos.x).hypot(p.pos.y - pos.y)))
                .filter(|(_, d)| *d <= tol);
            if let Some((p, _)) = near.min_by(|a, b| a.1.total_cmp(&b.1)) {
                return Hit::Point(p.id);
            }
        }
        // A link running along a stage's edge is hit when the pointer is right on it (the edge
        // stays grabbable beside it and wherever no link runs).
        if let Some(id) = self.link_near(pos, tol.min(4.0)) {
            return Hit::Link(id);
        }
        for s in &self.stages {
            if (pos.x - s.column.max.x).abs() <= tol.min(6.0)
                && pos.y >= s.column.min.y
                && pos.y <= s.column.max.y
            {
                return Hit::StageEdge(s.id);
            }
        }
        if let Some(c) = self.cards.iter().find(|c| c.rect.contains(pos)) {
            return Hit::Card(c.id);
        }
        if let Some(id) = self.link_near(pos, tol.max(3.0)) {
            return Hit::Link(id);
        }
        if let Some(s) = self.stages.iter().find(|s| s.header.contains(pos)) {
            return Hit::StageHeader(s.id);
        }
        let mut band = self.new_stage_band;
        band.max.x += NEW_STAGE_BAND_W * 100.0;
        if band.contains(pos) {
            return Hit::NewStageBand;
        }
        if let Some(l) = self.lanes.iter().find(|l| l.label.contains(pos)) {
            return Hit::LaneLabel(l.id);
        }
        let Some(stage) = self.stages.iter().find(|s| s.column.contains(pos)) else {
            return Hit::Nothing;
        };
        if let Some(e) = &self.emotion
            && e.row.contains(pos)
        {
            let offset = ((pos.x - stage.column.min.x) / stage.column.width()).clamp(0.0, 1.0);
            return Hit::Emotion {
                stage: stage.id,
                offset,
                value: e.value_at(pos.y),
            };
        }
        let Some(lane) = self.lanes.iter().find(|l| l.row.contains(pos)) else {
            return Hit::Nothing;
        };
        if self
            .add_slot(stage.id, lane.id)
            .is_some_and(|r| r.contains(pos))
        {
            return Hit::AddSlot {
                stage: stage.id,
                lane: lane.id,
            };
        }
        Hit::Cell {
            stage: stage.id,
            lane: lane.id,
            index: self.drop_index(stage.id, lane.id, pos.y),
        }
    }

    /// Where in a cell a card dropped at height `y` goes.
    #[must_use]
    pub fn drop_index(&self, stage: StageId, lane: LaneId, y: f32) -> usize {
        self.cell_cards(stage, lane)
            .filter(|c| c.rect.center().y < y)
            .count()
    }

    /// The y of the drop marker for position `index` of a cell, counted among the cell's
    /// cards other than `moving` (the cards being dragged).
    #[must_use]
    pub fn drop_marker_y(
        &self,
        stage: StageId,
        lane: LaneId,
        index: usize,
        moving: &[CardId],
    ) -> Option<f32> {
        let cell = self.cell_rect(stage, lane)?;
        let cards: Vec<_> = self
            .cell_cards(stage, lane)
            .filter(|c| !moving.contains(&c.id))
            .collect();
        Some(
            match (
                index.checked_sub(1).and_then(|i| cards.get(i)),
                cards.get(index),
            ) {
                (_, Some(next)) => next.rect.min.y - CARD_GAP / 2.0,
                (Some(prev), None) => prev.rect.max.y + CARD_GAP / 2.0,
                (None, None) => cell.min.y + super::CELL_PAD / 2.0,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{FontMeasure, TextCache, layout};
    use crate::model::sample_map;

    #[test]
    fn hits_cards_points_and_cells() {
        let doc = sample_map();
        let l = layout(&doc, FontMeasure::shared(), &mut TextCache::default());
        let c = &l.cards[3];
        assert_eq!(l.hit(c.rect.center(), 8.0), Hit::Card(c.id));
        let p = l.emotion.as_ref().unwrap().points().next().unwrap();
        assert_eq!(l.hit(p.pos, 8.0), Hit::Point(p.id));
        let s = &l.stages[1];
        assert_eq!(
            l.hit(Pos::new(s.column.max.x, 10.0), 8.0),
            Hit::StageEdge(s.id)
        );
        assert_eq!(l.hit(s.header.center(), 8.0), Hit::StageHeader(s.id));
        let lane = &l.lanes[0];
        let below = Pos::new(s.column.center().x, lane.row.max.y - 2.0);
        assert!(matches!(l.hit(below, 8.0), Hit::Cell { .. } | Hit::Card(_)));
    }
}
