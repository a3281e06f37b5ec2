//! [`Touched`]: what a change reached, so layout can redo only that (one cell for a card edit,
//! everything for a new stage).

use std::collections::BTreeSet;

use crate::model::{LaneId, StageId};

/// The parts of a map a change reached.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent flags of what changed, read separately by layout and scene"
)]
pub struct Touched {
    /// Stages or lanes changed (added, removed, moved, resized, renamed, hidden): every cell
    /// may move, so everything is laid out again.
    pub structure: bool,
    /// Cells (stage × lane) whose cards changed: added, removed, edited, reordered.
    pub cells: BTreeSet<(StageId, LaneId)>,
    /// Emotion points or curves changed.
    pub points: bool,
    /// Links changed (or may have: a card they join was deleted).
    pub links: bool,
    /// Title, description or personas changed (nothing on the canvas grid moves).
    pub meta: bool,
}

impl Touched {
    /// Everything (a document was replaced).
    #[must_use]
    pub fn everything() -> Self {
        Self {
            structure: true,
            cells: BTreeSet::new(),
            points: true,
            links: true,
            meta: true,
        }
    }

    /// Whether nothing was reached.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        !self.structure && self.cells.is_empty() && !self.points && !self.links && !self.meta
    }

    /// Adds what `other` reached.
    pub fn merge(&mut self, other: &Touched) {
        self.structure |= other.structure;
        self.points |= other.points;
        self.links |= other.links;
        self.meta |= other.meta;
        self.cells.extend(other.cells.iter().copied());
    }
}
