//! [`Op`]: the one way a map changes. Ops are small and field-level (one field of one card,
//! one emotion point, one stage's key …) so that edits by different people to different
//! fields never overwrite each other, and every op applied yields its exact inverse.
//!
//! Ids: an insert whose id is 0 gets a fresh random id, minted inside `apply` and returned
//! in [`Applied::new_ids`]; an insert with an id (an undo, a remote peer) keeps it. Order is
//! data: a card's [`Place`] is its cell and its key there, one value, so two concurrent moves
//! land the card in one cell that one of them chose.

use std::sync::Arc;

use super::Touched;
use crate::model::{
    Card, CardId, Channel, Curve, CurveId, CurveKind, EmotionPoint, Evidence, ExecutiveView, Hue,
    Lane, LaneId, Link, LinkId, LinkKind, MapLink, Metric, Persona, PersonaId, PointId, Stage,
    StageId, Units,
};

/// Where a card sits: its cell (stage × lane) and its key among that cell's cards (empty: after
/// the last).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// The stage.
    pub stage: StageId,
    /// The lane.
    pub lane: LaneId,
    /// The order key in the cell ([`crate::model::order`]).
    pub pos: String,
}

/// A field of the map itself.
#[derive(Clone, Debug, PartialEq)]
pub enum MapField {
    /// The title.
    Title(String),
    /// The description.
    Description(String),
    /// What the executive view shows.
    Executive(ExecutiveView),
    /// What a merge left to decide (see [`crate::model::Conflict`]).
    Conflicts(Vec<crate::model::Conflict>),
    /// The map this one is based on (a path relative to its folder).
    BasedOn(String),
}

/// A field of a stage.
#[derive(Clone, Debug, PartialEq)]
pub enum StageField {
    /// Its name.
    Name(String),
    /// Its width (whole units, clamped to the allowed range).
    Width(f32),
    /// Its order key among the stages.
    Pos(String),
}

/// A field of a lane.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LaneField {
    /// Its name.
    Name(String),
    /// Hidden or shown.
    Hidden(bool),
    /// Its order key among the lanes.
    Pos(String),
}

/// A field of a card (its place is set with [`Op::PlaceCards`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CardField {
    /// What it says.
    Text(String),
    /// Its channel.
    Channel(Option<Channel>),
    /// The name of an "other" channel.
    ChannelName(String),
    /// The owning department.
    Owner(String),
    /// The longer note.
    Note(String),
    /// Whether it is a moment of truth.
    MomentOfTruth(bool),
    /// Severity of a pain point (1–3).
    Severity(Option<u8>),
    /// Priority of an opportunity (1–3).
    Priority(Option<u8>),
    /// Researched or assumed, and the source.
    Evidence(Option<Evidence>),
    /// Its named numbers.
    Metrics(Vec<Metric>),
    /// Whose step it is.
    Personas(Vec<PersonaId>),
    /// Its links to other maps.
    MapLinks(Vec<MapLink>),
}

/// A field of a persona.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PersonaField {
    /// Name.
    Name(String),
    /// Who they are.
    Description(String),
    /// Role or segment.
    Role(String),
    /// Goals.
    Goals(String),
    /// Expectations.
    Expectations(String),
    /// A quote.
    Quote(String),
    /// Their colour.
    Hue(Option<Hue>),
}

/// A field of a curve (its points are ops of their own).
#[derive(Clone, Debug, PartialEq)]
pub enum CurveField {
    /// Name.
    Name(String),
    /// Perceived, measured, future …
    Kind(CurveKind),
    /// Whose curve.
    Persona(Option<PersonaId>),
    /// Colour.
    Hue(Option<Hue>),
    /// Hidden or shown.
    Hidden(bool),
    /// Its own units (boxed: ops are kept small).
    Units(Option<Box<Units>>),
}

/// A field of a link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkField {
    /// Where it starts and where it points.
    Ends(CardId, CardId),
    /// What it means.
    Kind(LinkKind),
}

/// One change to a map. Kept small (large items boxed): an undo history holds tens of
/// thousands.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    /// Set a field of the map.
    SetMap(MapField),
    /// Add a persona (at an index of the list, or at its end).
    InsertPersona {
        /// The persona (id 0: mint one).
        persona: Box<Persona>,
        /// Where in the list.
        at: Option<usize>,
    },
    /// Remove a persona; curves and cards that name it stop naming it.
    RemovePersona(PersonaId),
    /// Set a field of a persona.
    SetPersona(PersonaId, PersonaField),
    /// Add a stage where its key puts it (empty key: after the last).
    InsertStage(Box<Stage>),
    /// Remove a stage with its cards, their links and its emotion points.
    RemoveStage(StageId),
    /// Set a field of a stage.
    SetStage(StageId, StageField),
    /// Add a lane where its key puts it (empty key: after the last).
    InsertLane(Box<Lane>),
    /// Remove a lane with its cards and their links.
    RemoveLane(LaneId),
    /// Set a field of a lane.
    SetLane(LaneId, LaneField),
    /// Add cards, each in its cell at its key (empty key: after the cell's last card).
    InsertCards(Vec<Arc<Card>>),
    /// Remove cards and the links that join them.
    RemoveCards(Vec<CardId>),
    /// Set one field of a card.
    SetCard(CardId, CardField),
    /// Move cards: each to its place (cell and key) as one value.
    PlaceCards(Vec<(CardId, Place)>),
    /// Add an emotion point to a curve.
    InsertPoint {
        /// The curve.
        curve: CurveId,
        /// The point (id 0: mint one; value clamped into the scale, offset into 0..=1).
        point: EmotionPoint,
        /// Where in the curve's list (none: at its end).
        at: Option<usize>,
    },
    /// Remove emotion points (of any curve).
    RemovePoints(Vec<PointId>),
    /// Move an emotion point.
    SetPoint {
        /// Which.
        id: PointId,
        /// Its stage.
        stage: StageId,
        /// Its offset in the stage (clamped into 0..=1).
        offset: f32,
        /// Its value (clamped into the scale).
        value: f32,
    },
    /// Add a curve with its points.
    InsertCurve {
        /// The curve (id 0: mint one; points with id 0 too).
        curve: Box<Curve>,
        /// Where in the list (none: at its end).
        at: Option<usize>,
    },
    /// Remove a curve with its points.
    RemoveCurve(CurveId),
    /// Set a field of a curve.
    SetCurve(CurveId, CurveField),
    /// Add links (at indices of the list, or at its end).
    InsertLinks {
        /// The links (id 0: mint one).
        links: Vec<Link>,
        /// Their indices in the list afterwards, ascending (empty: at its end).
        at: Vec<usize>,
    },
    /// Remove links.
    RemoveLinks(Vec<LinkId>),
    /// Set a field of a link.
    SetLink(LinkId, LinkField),
}

/// What applying an op did.
#[derive(Clone, Debug, PartialEq)]
pub struct Applied {
    /// The op as applied: ids it minted and keys it chose filled in, items it skipped left
    /// out, what a removal took along named. Sending these to another replica makes the same
    /// change there.
    pub done: Vec<Op>,
    /// Ops that undo it exactly, to be applied in this order.
    pub inverse: Vec<Op>,
    /// What it reached (for layout).
    pub touched: Touched,
    /// Ids minted for inserts that had none, in the order of the op's items.
    pub new_ids: Vec<u64>,
}

/// Who made a change: undo reverts only the local user's own edits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Origin {
    /// The person at this keyboard.
    Local,
    /// An importer, a migration or analysis writing into the map.
    Import,
    /// Another participant (a remote peer), by number.
    Peer(u64),
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An undo history holds tens of thousands of ops: large items are boxed.
    #[test]
    fn ops_are_small() {
        assert!(size_of::<Op>() <= 64, "{}", size_of::<Op>());
    }
}
