//! Where a drag would drop: the stage and offset under the pointer, the cell and index for
//! dragged cards, the new place of a dragged stage or lane. Geometry on the layout only.

use crate::geom::Pos;
use crate::layout::{Hit, Layout};
use crate::model::{CardId, Document, Lane, LaneId, StageId};

/// The stage under x (clamped to the first and last stage) and the offset in it.
pub(crate) fn stage_offset_at(layout: &Layout, x: f32) -> (Option<StageId>, f32) {
    let s = layout
        .stages
        .iter()
        .find(|s| x >= s.column.min.x && x < s.column.max.x)
        .or_else(|| {
            if x < layout.stages.first()?.column.min.x {
                layout.stages.first()
            } else {
                layout.stages.last()
            }
        });
    match s {
        Some(s) => (
            Some(s.id),
            ((x - s.column.min.x) / s.column.width()).clamp(0.0, 1.0),
        ),
        None => (None, 0.0),
    }
}

/// Where dragged cards would land: cell and position among the cell's cards not being moved.
pub(crate) fn drop_target(
    layout: &Layout,
    ids: &[CardId],
    at: Pos,
) -> Option<(StageId, LaneId, usize)> {
    let (stage, lane, index) = match layout.hit(at, 0.0) {
        Hit::Cell { stage, lane, index } => (stage, lane, index),
        Hit::AddSlot { stage, lane } => (stage, lane, usize::MAX),
        Hit::Card(id) => {
            let c = layout.card(id)?;
            (
                c.stage,
                c.lane,
                c.index + usize::from(at.y > c.rect.center().y),
            )
        }
        _ => return None,
    };
    let kind = layout.lane(lane)?.kind;
    if !kind.holds_cards() {
        return None;
    }
    let excl = layout
        .cell_cards(stage, lane)
        .filter(|c| c.index < index && !ids.contains(&c.id))
        .count();
    Some((stage, lane, excl))
}

/// Where a dragged lane would go: its index in the document's lane order after removing it
/// (hidden lanes keep their places relative to the visible ones).
pub(crate) fn lane_drop_index(doc: &Document, layout: &Layout, id: LaneId, y: f32) -> usize {
    let visible_before = layout
        .lanes
        .iter()
        .filter(|l| l.id != id && l.row.center().y < y)
        .count();
    let others: Vec<&Lane> = doc.lanes.iter().filter(|l| l.id != id).collect();
    let visible: Vec<usize> = others
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.hidden)
        .map(|(i, _)| i)
        .collect();
    match visible.get(visible_before) {
        Some(i) => *i,
        None => visible.last().map_or(others.len(), |i| i + 1),
    }
}

/// The y where a dragged lane's drop marker goes.
pub(crate) fn lane_drop_y(layout: &Layout, id: LaneId, y: f32) -> f32 {
    let others: Vec<_> = layout.lanes.iter().filter(|l| l.id != id).collect();
    let before = others.iter().filter(|l| l.row.center().y < y).count();
    others.get(before).map_or_else(
        || others.last().map_or(layout.header_h(), |l| l.row.max.y),
        |l| l.row.min.y,
    )
}

/// The stage index a dragged stage header would move to.
pub(crate) fn stage_drop_index(layout: &Layout, id: StageId, x: f32) -> usize {
    let mut idx = 0;
    for s in layout.stages.iter().filter(|s| s.id != id) {
        if x > s.column.center().x {
            idx += 1;
        }
    }
    idx
}
