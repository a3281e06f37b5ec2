//! Every change to a document is a [`Command`]; [`Editor`] applies commands and keeps the
//! undo history (snapshots of the document, capped), so one gesture is one undo step.

mod history;
mod touched;

use std::sync::Arc;

pub use history::{Editor, HISTORY_CAP};
pub use touched::Touched;

use crate::model::{
    Card, CardId, Curve, CurveId, Document, EmotionPoint, Lane, LaneId, LaneKind, Link, LinkId,
    MAX_STAGE_WIDTH, MIN_STAGE_WIDTH, Persona, PersonaId, PointId, Stage, StageId,
};

/// One change to a document.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Set the map's title.
    SetTitle(String),
    /// Set the map's description.
    SetDescription(String),
    /// Set what the executive view shows.
    SetExecutive(crate::model::ExecutiveView),
    /// Replace the persona with the same id, or add it.
    SetPersona(Persona),
    /// Delete a persona (its curves stay, belonging to no one).
    DeletePersona(PersonaId),
    /// Insert a stage at an index (clamped to the end).
    AddStage {
        /// Where.
        index: usize,
        /// The new stage.
        stage: Stage,
    },
    /// Rename a stage.
    RenameStage {
        /// Which.
        id: StageId,
        /// New name.
        name: String,
    },
    /// Change a stage's width (clamped to the allowed range).
    ResizeStage {
        /// Which.
        id: StageId,
        /// New width.
        width: f32,
    },
    /// Move a stage to another index (in the order after removing it).
    MoveStage {
        /// Which.
        id: StageId,
        /// Where to.
        to_index: usize,
    },
    /// Delete a stage with its cards and emotion points.
    DeleteStage(StageId),
    /// Insert a lane at an index.
    AddLane {
        /// Where.
        index: usize,
        /// The new lane.
        lane: Lane,
    },
    /// Rename a lane.
    RenameLane {
        /// Which.
        id: LaneId,
        /// New name.
        name: String,
    },
    /// Move a lane to another index (in the order after removing it).
    MoveLane {
        /// Which.
        id: LaneId,
        /// Where to.
        to_index: usize,
    },
    /// Hide or show a lane.
    SetLaneHidden {
        /// Which.
        id: LaneId,
        /// Hidden or not.
        hidden: bool,
    },
    /// Delete a lane with its cards.
    DeleteLane(LaneId),
    /// Insert cards into a cell, in order, starting at a position among that cell's cards.
    AddCards {
        /// The cards; each card's own stage and lane must be the cell's.
        cards: Vec<Card>,
        /// Position within the cell (clamped to its end).
        index: usize,
    },
    /// Replace a card's content (text, channel, owner, note …), keeping its place.
    UpdateCard(Card),
    /// Move cards, in their current order, into a cell at a position (counted among the
    /// cell's cards that are not being moved).
    MoveCards {
        /// Which.
        ids: Vec<CardId>,
        /// Target stage.
        stage: StageId,
        /// Target lane.
        lane: LaneId,
        /// Position in the target cell.
        index: usize,
    },
    /// Delete cards.
    DeleteCards(Vec<CardId>),
    /// Add a point to a curve.
    AddPoint {
        /// The curve.
        curve: CurveId,
        /// The point.
        point: EmotionPoint,
    },
    /// Move an emotion point (value is clamped into the scale, offset into 0..=1).
    MovePoint {
        /// Which.
        id: PointId,
        /// New stage.
        stage: StageId,
        /// New offset in the stage.
        offset: f32,
        /// New value.
        value: f32,
    },
    /// Delete emotion points (of any curve).
    DeletePoints(Vec<PointId>),
    /// Insert a curve at an index (clamped to the end).
    AddCurve {
        /// Where.
        index: usize,
        /// The new curve (with or without points).
        curve: Curve,
    },
    /// Change a curve's name, kind, persona, colour or visibility (its points stay).
    UpdateCurve(Curve),
    /// Delete a curve with its points.
    DeleteCurve(CurveId),
    /// Link two cards.
    AddLink(Link),
    /// Change a link's ends or kind.
    UpdateLink(Link),
    /// Delete links.
    DeleteLinks(Vec<LinkId>),
    /// Several commands as one step.
    Batch(Vec<Command>),
}

/// Why a command could not be applied; the document is left unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The command names something the map does not have.
    #[error("{0} does not exist")]
    Missing(String),
    /// The command would break a rule of the map.
    #[error("{0}")]
    NotAllowed(String),
}

fn missing<T>(what: &str, id: u64) -> Result<T, EditError> {
    Err(EditError::Missing(format!("{what} {id}")))
}

fn stage_mut(doc: &mut Document, id: StageId) -> Result<&mut Stage, EditError> {
    match doc.stages.iter_mut().find(|s| s.id == id) {
        Some(s) => Ok(s),
        None => missing("stage", id.0),
    }
}

fn lane_mut(doc: &mut Document, id: LaneId) -> Result<&mut Lane, EditError> {
    match doc.lanes.iter_mut().find(|l| l.id == id) {
        Some(l) => Ok(l),
        None => missing("lane", id.0),
    }
}

fn check_cell(doc: &Document, stage: StageId, lane: LaneId) -> Result<(), EditError> {
    if doc.stage(stage).is_none() {
        return missing("stage", stage.0);
    }
    match doc.lane(lane) {
        None => missing("lane", lane.0),
        Some(l) if !l.kind.holds_cards() => Err(EditError::NotAllowed(
            "the emotion lane holds no cards".into(),
        )),
        Some(_) => Ok(()),
    }
}

/// Index in `doc.cards` where a card inserted at position `index` of a cell goes.
fn cell_insert_pos(cards: &[Arc<Card>], stage: StageId, lane: LaneId, index: usize) -> usize {
    let in_cell: Vec<usize> = cards
        .iter()
        .enumerate()
        .filter(|(_, c)| c.stage == stage && c.lane == lane)
        .map(|(i, _)| i)
        .collect();
    match in_cell.get(index) {
        Some(i) => *i,
        None => in_cell.last().map_or(cards.len(), |i| i + 1),
    }
}

/// A stage width as stored: a whole number of units within the allowed range (a live drag
/// gives fractions; files and diffs read better without them).
#[must_use]
pub fn stage_width(width: f32) -> f32 {
    width.round().clamp(MIN_STAGE_WIDTH, MAX_STAGE_WIDTH)
}

fn finite(what: &str, values: &[f32]) -> Result<(), EditError> {
    if values.iter().all(|v| v.is_finite()) {
        Ok(())
    } else {
        Err(EditError::NotAllowed(format!("{what} must be a number")))
    }
}

fn ensure_new_id(doc: &mut Document, id: u64) -> Result<(), EditError> {
    let used = doc.personas.iter().any(|p| p.id.0 == id)
        || doc.stages.iter().any(|s| s.id.0 == id)
        || doc.lanes.iter().any(|l| l.id.0 == id)
        || doc.cards.iter().any(|c| c.id.0 == id)
        || doc.emotion.curves.iter().any(|c| c.id.0 == id)
        || doc.emotion.points().any(|(_, p)| p.id.0 == id)
        || doc.links.iter().any(|l| l.id.0 == id);
    if used {
        return Err(EditError::NotAllowed(format!("id {id} is already used")));
    }
    doc.next_id = doc.next_id.max(id + 1);
    Ok(())
}

/// Removes links whose cards are gone (deleting a card, stage or lane takes its links along in
/// the same step).
fn drop_dangling_links(doc: &mut Document) {
    if doc.links.is_empty() {
        return;
    }
    let ids: std::collections::HashSet<CardId> = doc.cards.iter().map(|c| c.id).collect();
    doc.links
        .retain(|l| ids.contains(&l.from) && ids.contains(&l.to));
}

fn check_persona(doc: &Document, curve: &Curve) -> Result<(), EditError> {
    match curve.persona {
        Some(p) if doc.persona(p).is_none() => missing("persona", p.0),
        _ => Ok(()),
    }
}

fn check_link(doc: &Document, link: &Link) -> Result<(), EditError> {
    for end in [link.from, link.to] {
        if doc.card(end).is_none() {
            return missing("card", end.0);
        }
    }
    if link.from == link.to {
        return Err(EditError::NotAllowed("a card cannot link to itself".into()));
    }
    Ok(())
}

/// Applies one command. On error the document may be partly changed: [`Editor`] restores it.
///
/// # Errors
/// [`EditError`] when the command names something missing or breaks a rule.
pub fn apply(doc: &mut Document, cmd: &Command) -> Result<(), EditError> {
    match cmd {
        Command::SetTitle(t) => doc.title.clone_from(t),
        Command::SetDescription(t) => doc.description.clone_from(t),
        Command::SetExecutive(v) => {
            if let Some(l) = v.lanes.iter().find(|l| doc.lane(**l).is_none()) {
                return missing("lane", l.0);
            }
            doc.executive = crate::model::ExecutiveView {
                min_severity: v.min_severity.clamp(1, crate::model::MAX_LEVEL),
                lanes: v.lanes.clone(),
            };
        }
        Command::SetPersona(p) => {
            if let Some(q) = doc.personas.iter_mut().find(|q| q.id == p.id) {
                *q = p.clone();
            } else {
                ensure_new_id(doc, p.id.0)?;
                doc.personas.push(p.clone());
            }
        }
        Command::DeletePersona(id) => {
            let Some(i) = doc.personas.iter().position(|p| p.id == *id) else {
                return missing("persona", id.0);
            };
            doc.personas.remove(i);
            for c in &mut doc.emotion.curves {
                if c.persona == Some(*id) {
                    c.persona = None;
                }
            }
            for c in &mut doc.cards {
                if c.personas.contains(id) {
                    std::sync::Arc::make_mut(c).personas.retain(|p| p != id);
                }
            }
        }
        Command::AddStage { index, stage } => {
            finite("a stage's width", &[stage.width])?;
            ensure_new_id(doc, stage.id.0)?;
            let mut stage = stage.clone();
            stage.width = stage_width(stage.width);
            let i = (*index).min(doc.stages.len());
            doc.stages.insert(i, stage);
        }
        Command::RenameStage { id, name } => stage_mut(doc, *id)?.name.clone_from(name),
        Command::ResizeStage { id, width } => {
            finite("a stage's width", &[*width])?;
            stage_mut(doc, *id)?.width = stage_width(*width);
        }
        Command::MoveStage { id, to_index } => {
            let Some(i) = doc.stage_index(*id) else {
                return missing("stage", id.0);
            };
            let s = doc.stages.remove(i);
            let to = (*to_index).min(doc.stages.len());
            doc.stages.insert(to, s);
        }
        Command::DeleteStage(id) => {
            let Some(i) = doc.stage_index(*id) else {
                return missing("stage", id.0);
            };
            doc.stages.remove(i);
            doc.cards.retain(|c| c.stage != *id);
            for curve in &mut doc.emotion.curves {
                curve.points.retain(|p| p.stage != *id);
            }
            drop_dangling_links(doc);
        }
        Command::AddLane { index, lane } => {
            ensure_new_id(doc, lane.id.0)?;
            if lane.kind == LaneKind::Emotion && doc.emotion_lane().is_some() {
                return Err(EditError::NotAllowed(
                    "the map already has an emotion lane".into(),
                ));
            }
            let i = (*index).min(doc.lanes.len());
            doc.lanes.insert(i, lane.clone());
        }
        Command::RenameLane { id, name } => lane_mut(doc, *id)?.name.clone_from(name),
        Command::MoveLane { id, to_index } => {
            let Some(i) = doc.lane_index(*id) else {
                return missing("lane", id.0);
            };
            let l = doc.lanes.remove(i);
            let to = (*to_index).min(doc.lanes.len());
            doc.lanes.insert(to, l);
        }
        Command::SetLaneHidden { id, hidden } => lane_mut(doc, *id)?.hidden = *hidden,
        Command::DeleteLane(id) => {
            let Some(i) = doc.lane_index(*id) else {
                return missing("lane", id.0);
            };
            doc.lanes.remove(i);
            doc.cards.retain(|c| c.lane != *id);
            doc.executive.lanes.retain(|l| l != id);
            drop_dangling_links(doc);
        }
        Command::AddCards { cards, index } => {
            let mut pos = None;
            for (k, card) in cards.iter().enumerate() {
                check_cell(doc, card.stage, card.lane)?;
                ensure_new_id(doc, card.id.0)?;
                let at = match pos {
                    Some(p) => p,
                    None => cell_insert_pos(&doc.cards, card.stage, card.lane, *index),
                };
                doc.cards.insert(at, Arc::new(card.clone()));
                // The following cards go right after this one if they share its cell.
                pos = cards
                    .get(k + 1)
                    .filter(|n| n.stage == card.stage && n.lane == card.lane)
                    .map(|_| at + 1);
            }
        }
        Command::UpdateCard(card) => {
            check_cell(doc, card.stage, card.lane)?;
            match doc.cards.iter_mut().find(|c| c.id == card.id) {
                Some(c) => *c = Arc::new(card.clone()),
                None => return missing("card", card.id.0),
            }
        }
        Command::MoveCards {
            ids,
            stage,
            lane,
            index,
        } => {
            check_cell(doc, *stage, *lane)?;
            let mut moving = Vec::with_capacity(ids.len());
            for id in ids {
                if doc.card(*id).is_none() {
                    return missing("card", id.0);
                }
            }
            let mut rest = Vec::with_capacity(doc.cards.len());
            for c in doc.cards.drain(..) {
                if ids.contains(&c.id) {
                    moving.push(c);
                } else {
                    rest.push(c);
                }
            }
            let at = cell_insert_pos(&rest, *stage, *lane, *index);
            for c in &mut moving {
                if c.stage != *stage || c.lane != *lane {
                    let c = Arc::make_mut(c);
                    c.stage = *stage;
                    c.lane = *lane;
                }
            }
            rest.splice(at..at, moving);
            doc.cards = rest;
        }
        Command::DeleteCards(ids) => {
            for id in ids {
                if doc.card(*id).is_none() {
                    return missing("card", id.0);
                }
            }
            doc.cards.retain(|c| !ids.contains(&c.id));
            drop_dangling_links(doc);
        }
        Command::AddPoint { curve, point } => {
            if doc.stage(point.stage).is_none() {
                return missing("stage", point.stage.0);
            }
            finite("a point's place", &[point.offset, point.value])?;
            ensure_new_id(doc, point.id.0)?;
            let mut p = point.clone();
            p.value = doc.emotion.scale.clamp(p.value);
            p.offset = p.offset.clamp(0.0, 1.0);
            match doc.emotion.curves.iter_mut().find(|c| c.id == *curve) {
                Some(c) => c.points.push(p),
                None => return missing("curve", curve.0),
            }
        }
        Command::MovePoint {
            id,
            stage,
            offset,
            value,
        } => {
            if doc.stage(*stage).is_none() {
                return missing("stage", stage.0);
            }
            finite("a point's place", &[*offset, *value])?;
            let value = doc.emotion.scale.clamp(*value);
            let point = doc
                .emotion
                .curves
                .iter_mut()
                .flat_map(|c| c.points.iter_mut())
                .find(|p| p.id == *id);
            match point {
                Some(p) => {
                    p.stage = *stage;
                    p.offset = offset.clamp(0.0, 1.0);
                    p.value = value;
                }
                None => return missing("emotion point", id.0),
            }
        }
        Command::DeletePoints(ids) => {
            for id in ids {
                if doc.point(*id).is_none() {
                    return missing("emotion point", id.0);
                }
            }
            for c in &mut doc.emotion.curves {
                c.points.retain(|p| !ids.contains(&p.id));
            }
        }
        Command::AddCurve { index, curve } => {
            ensure_new_id(doc, curve.id.0)?;
            for p in &curve.points {
                ensure_new_id(doc, p.id.0)?;
            }
            check_persona(doc, curve)?;
            let i = (*index).min(doc.emotion.curves.len());
            doc.emotion.curves.insert(i, curve.clone());
        }
        Command::UpdateCurve(curve) => {
            check_persona(doc, curve)?;
            match doc.emotion.curves.iter_mut().find(|c| c.id == curve.id) {
                Some(c) => {
                    c.name.clone_from(&curve.name);
                    c.kind = curve.kind;
                    c.persona = curve.persona;
                    c.hue = curve.hue;
                    c.hidden = curve.hidden;
                }
                None => return missing("curve", curve.id.0),
            }
        }
        Command::DeleteCurve(id) => {
            let Some(i) = doc.emotion.curves.iter().position(|c| c.id == *id) else {
                return missing("curve", id.0);
            };
            doc.emotion.curves.remove(i);
        }
        Command::AddLink(link) => {
            check_link(doc, link)?;
            ensure_new_id(doc, link.id.0)?;
            doc.links.push(link.clone());
        }
        Command::UpdateLink(link) => {
            check_link(doc, link)?;
            match doc.links.iter_mut().find(|l| l.id == link.id) {
                Some(l) => *l = link.clone(),
                None => return missing("link", link.id.0),
            }
        }
        Command::DeleteLinks(ids) => {
            for id in ids {
                if doc.link(*id).is_none() {
                    return missing("link", id.0);
                }
            }
            doc.links.retain(|l| !ids.contains(&l.id));
        }
        Command::Batch(cmds) => {
            for c in cmds {
                apply(doc, c)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sample_map;

    #[test]
    fn delete_stage_takes_cards_and_points() {
        let mut doc = sample_map();
        let s = doc.stages[2].id;
        apply(&mut doc, &Command::DeleteStage(s)).unwrap();
        assert!(doc.cards.iter().all(|c| c.stage != s));
        assert!(doc.emotion.points().all(|(_, p)| p.stage != s));
        doc.validate().unwrap();
    }

    #[test]
    fn move_cards_into_position() {
        let mut doc = sample_map();
        let (s0, s1) = (doc.stages[0].id, doc.stages[1].id);
        let lane = doc.lanes[0].id;
        let first: Vec<CardId> = doc.cell_cards(s0, lane).map(|c| c.id).collect();
        let target: Vec<CardId> = doc.cell_cards(s1, lane).map(|c| c.id).collect();
        apply(
            &mut doc,
            &Command::MoveCards {
                ids: vec![first[1]],
                stage: s1,
                lane,
                index: 0,
            },
        )
        .unwrap();
        let now: Vec<CardId> = doc.cell_cards(s1, lane).map(|c| c.id).collect();
        assert_eq!(now[0], first[1]);
        assert_eq!(&now[1..], &target[..]);
        // Reorder inside one cell: put the first card of stage 1 last.
        apply(
            &mut doc,
            &Command::MoveCards {
                ids: vec![now[0]],
                stage: s1,
                lane,
                index: 9,
            },
        )
        .unwrap();
        let again: Vec<CardId> = doc.cell_cards(s1, lane).map(|c| c.id).collect();
        assert_eq!(*again.last().unwrap(), first[1]);
    }

    #[test]
    fn widths_are_whole_and_nan_is_refused() {
        let mut doc = sample_map();
        let id = doc.stages[0].id;
        apply(
            &mut doc,
            &Command::ResizeStage {
                id,
                width: 234.806_46,
            },
        )
        .unwrap();
        assert!((doc.stages[0].width - 235.0).abs() < f32::EPSILON);
        assert!(
            apply(
                &mut doc,
                &Command::ResizeStage {
                    id,
                    width: f32::NAN
                }
            )
            .is_err()
        );
        let stage = Stage {
            id: StageId(doc.next_id),
            name: "x".into(),
            width: f32::NAN,
        };
        assert!(apply(&mut doc, &Command::AddStage { index: 0, stage }).is_err());
        let p = EmotionPoint {
            id: PointId(doc.next_id),
            stage: id,
            offset: 0.5,
            value: f32::NAN,
        };
        let curve = doc.emotion.curves[0].id;
        assert!(apply(&mut doc, &Command::AddPoint { curve, point: p }).is_err());
    }

    #[test]
    fn emotion_lane_rejects_cards() {
        let mut doc = sample_map();
        let emo = doc.emotion_lane().unwrap().id;
        let id = CardId(doc.next_id);
        let card = Card::new(id, doc.stages[0].id, emo, "x");
        assert!(
            apply(
                &mut doc,
                &Command::AddCards {
                    cards: vec![card],
                    index: 0
                }
            )
            .is_err()
        );
    }
}
