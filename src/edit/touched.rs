//! [`Touched`]: what a change reached, so layout can redo only that (one cell for a card edit,
//! everything for a new stage).

use std::collections::BTreeSet;

use super::Command;
use crate::model::{Document, LaneId, StageId};

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

    /// What `cmd` reaches when applied to `doc` (as it is before the command).
    #[must_use]
    pub fn by(doc: &Document, cmd: &Command) -> Self {
        let mut t = Touched::default();
        t.add(doc, cmd);
        t
    }

    fn add(&mut self, doc: &Document, cmd: &Command) {
        let cell_of = |id| doc.card(id).map(|c| (c.stage, c.lane));
        match cmd {
            Command::SetTitle(_)
            | Command::SetDescription(_)
            | Command::SetExecutive(_)
            | Command::SetPersona(_)
            | Command::DeletePersona(_) => {
                self.meta = true;
                // Curves name their personas in the legend.
                self.points = true;
            }
            Command::AddStage { .. }
            | Command::RenameStage { .. }
            | Command::ResizeStage { .. }
            | Command::MoveStage { .. }
            | Command::DeleteStage(_)
            | Command::AddLane { .. }
            | Command::RenameLane { .. }
            | Command::MoveLane { .. }
            | Command::SetLaneHidden { .. }
            | Command::DeleteLane(_) => {
                self.structure = true;
                // A deleted stage takes its points and links with it.
                self.points = true;
                self.links = true;
            }
            Command::AddCards { cards, .. } => {
                self.cells.extend(cards.iter().map(|c| (c.stage, c.lane)));
            }
            Command::UpdateCard(card) => {
                self.cells.extend(cell_of(card.id));
                self.cells.insert((card.stage, card.lane));
            }
            Command::MoveCards {
                ids, stage, lane, ..
            } => {
                self.cells.extend(ids.iter().filter_map(|id| cell_of(*id)));
                self.cells.insert((*stage, *lane));
            }
            Command::DeleteCards(ids) => {
                self.cells.extend(ids.iter().filter_map(|id| cell_of(*id)));
                self.links |= !doc.links.is_empty();
            }
            Command::AddPoint { .. }
            | Command::MovePoint { .. }
            | Command::DeletePoints(_)
            | Command::AddCurve { .. }
            | Command::UpdateCurve(_)
            | Command::DeleteCurve(_) => {
                self.points = true;
            }
            Command::AddLink(_) | Command::UpdateLink(_) | Command::DeleteLinks(_) => {
                self.links = true;
            }
            Command::Batch(cmds) => {
                // Later commands see the document as the earlier ones left it; the cells a
                // card was in before the batch are what matter for removal, and every cell a
                // command names is included, so reading the starting document is enough.
                for c in cmds {
                    self.add(doc, c);
                }
            }
        }
    }

    /// Whether the parts of `a` and `b` this change reached are the same (the change did
    /// nothing): cheaper than comparing whole documents of ten thousand cards.
    #[must_use]
    pub fn unchanged(&self, a: &Document, b: &Document) -> bool {
        if self.structure || self.meta {
            return a == b;
        }
        if self.points && a.emotion != b.emotion {
            return false;
        }
        if self.links && a.links != b.links {
            return false;
        }
        if a.cards.len() != b.cards.len()
            || a.next_id != b.next_id
            || !a
                .cards
                .iter()
                .map(|c| c.id)
                .eq(b.cards.iter().map(|c| c.id))
        {
            return false;
        }
        if self.cells.is_empty() {
            return true;
        }
        let mut xs = a
            .cards
            .iter()
            .filter(|c| self.cells.contains(&(c.stage, c.lane)));
        let mut ys = b
            .cards
            .iter()
            .filter(|c| self.cells.contains(&(c.stage, c.lane)));
        loop {
            match (xs.next(), ys.next()) {
                (None, None) => return true,
                (Some(x), Some(y)) if x == y => {}
                _ => return false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sample_map;

    #[test]
    fn a_card_edit_reaches_its_cell_and_a_move_both_cells() {
        let doc = sample_map();
        let c = crate::model::Card::clone(&doc.cards[0]);
        let mut edited = c.clone();
        edited.text.push('!');
        let t = Touched::by(&doc, &Command::UpdateCard(edited));
        assert_eq!(t.cells, BTreeSet::from([(c.stage, c.lane)]));
        assert!(!t.structure);
        let to = doc.stages[3].id;
        let t = Touched::by(
            &doc,
            &Command::MoveCards {
                ids: vec![c.id],
                stage: to,
                lane: c.lane,
                index: 0,
            },
        );
        assert_eq!(t.cells, BTreeSet::from([(c.stage, c.lane), (to, c.lane)]));
        let t = Touched::by(&doc, &Command::DeleteStage(to));
        assert!(t.structure);
    }
}
