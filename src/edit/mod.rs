//! Edits. [`Op`] is the one way a map changes: small, field-level, each with its exact
//! inverse ([`op`], applied in `apply`). A [`Command`] is what a gesture means, lowered to ops
//! against the map as it is (`lower`). [`Editor`] holds the map, applies ops and keeps undo
//! by inverse ops per [`Origin`], so undo reverts only the local user's own last gesture.

mod apply;
mod build;
pub mod diff;
mod history;
mod lower;
pub use lower::lower;
pub mod op;
pub mod random;
mod touched;
pub mod whole;

pub use apply::{Mint, apply, check_card};
pub use build::Build;
pub use history::{Editor, HISTORY_CAP};
pub use op::{
    Applied, CardField, CurveField, LaneField, LinkField, MapField, Op, Origin, PersonaField,
    Place, StageField,
};
pub use touched::Touched;

use crate::model::{
    Card, CardId, Curve, CurveId, EmotionPoint, Lane, LaneId, Link, LinkId, MAX_STAGE_WIDTH,
    MIN_STAGE_WIDTH, Persona, PersonaId, PointId, Stage, StageId,
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
    /// Ops made elsewhere (analysis writing metrics, a merge), applied as they are.
    Ops(Vec<Op>),
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

/// A stage width as stored: a whole number of units within the allowed range (a live drag
/// gives fractions; files and diffs read better without them).
#[must_use]
pub fn stage_width(width: f32) -> f32 {
    width.round().clamp(MIN_STAGE_WIDTH, MAX_STAGE_WIDTH)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Document, sample_map};

    fn apply(doc: &mut Document, cmd: &Command) -> Result<(), EditError> {
        let mut ed = Editor::with_seed(doc.clone(), 1);
        ed.apply(cmd)?;
        *doc = ed.doc().clone();
        Ok(())
    }

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
            id: StageId(0),
            name: "x".into(),
            width: f32::NAN,
            pos: String::new(),
        };
        assert!(apply(&mut doc, &Command::AddStage { index: 0, stage }).is_err());
        let p = EmotionPoint {
            id: PointId(0),
            stage: id,
            offset: 0.5,
            value: f32::NAN,
            card: None,
        };
        let curve = doc.emotion.curves[0].id;
        assert!(apply(&mut doc, &Command::AddPoint { curve, point: p }).is_err());
    }

    #[test]
    fn emotion_lane_rejects_cards() {
        let mut doc = sample_map();
        let emo = doc.emotion_lane().unwrap().id;
        let id = CardId(0);
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
