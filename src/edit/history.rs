//! [`Editor`]: the open document, its revision and its undo/redo history.
//!
//! Undo entries are whole snapshots of the document (simple and safe at these sizes). A
//! transaction groups the many small changes of one gesture (a drag, a resize) into one entry.
//! Each entry also keeps what its change [`Touched`], so undoing a card edit re-lays out one
//! cell, not the whole map.

use super::{Command, EditError, Touched, apply};
use crate::model::Document;

/// How many undo steps are kept.
pub const HISTORY_CAP: usize = 200;

/// One undo (or redo) step: the document before it, and what the step reached.
#[derive(Clone, Debug)]
struct Step {
    doc: Document,
    touched: Touched,
}

/// The document being edited, with history and a revision that changes on every edit.
#[derive(Clone, Debug)]
pub struct Editor {
    doc: Document,
    undo: Vec<Step>,
    redo: Vec<Step>,
    /// The document as it was when the open transaction began, and what it reached so far.
    txn: Option<Step>,
    revision: u64,
    /// What changed since [`Editor::take_touched`] was last called.
    pending: Touched,
    /// The next id to hand out: never below the document's `next_id`, and never handed out
    /// twice in a session (also after an undo).
    reserved: u64,
}

impl Editor {
    /// An editor on a document, with empty history.
    #[must_use]
    pub fn new(doc: Document) -> Self {
        let reserved = doc.next_id;
        Self {
            doc,
            undo: Vec::new(),
            redo: Vec::new(),
            txn: None,
            revision: 1,
            pending: Touched::everything(),
            reserved,
        }
    }

    /// The document.
    #[must_use]
    pub fn doc(&self) -> &Document {
        &self.doc
    }

    /// A number that changes whenever the document does (edits, undo, redo, load).
    #[must_use]
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// A fresh id for something the next command adds (a card, stage, lane, point): unique in
    /// the map and never handed out before in this session. The UI asks for ids here and mints
    /// none itself.
    pub fn new_id(&mut self) -> u64 {
        let id = self.reserved.max(self.doc.next_id);
        self.reserved = id + 1;
        id
    }

    /// What changed since the last call (everything, after a document was replaced).
    pub fn take_touched(&mut self) -> Touched {
        std::mem::take(&mut self.pending)
    }

    /// Replaces the document (a file was opened): history is cleared.
    pub fn replace(&mut self, doc: Document) {
        self.reserved = self.reserved.max(doc.next_id);
        self.doc = doc;
        self.undo.clear();
        self.redo.clear();
        self.txn = None;
        self.revision += 1;
        self.pending = Touched::everything();
    }

    /// Applies a command as one undo step (or as part of the open transaction).
    ///
    /// # Errors
    /// [`EditError`]; the document is then unchanged.
    pub fn apply(&mut self, cmd: &Command) -> Result<(), EditError> {
        let touched = Touched::by(&self.doc, cmd);
        let before = self.doc.clone();
        if let Err(e) = apply(&mut self.doc, cmd) {
            self.doc = before;
            return Err(e);
        }
        if touched.unchanged(&before, &self.doc) {
            return Ok(());
        }
        self.reserved = self.reserved.max(self.doc.next_id);
        self.pending.merge(&touched);
        match &mut self.txn {
            Some(t) => t.touched.merge(&touched),
            None => self.push_undo(Step {
                doc: before,
                touched,
            }),
        }
        self.revision += 1;
        Ok(())
    }

    fn push_undo(&mut self, step: Step) {
        self.undo.push(step);
        if self.undo.len() > HISTORY_CAP {
            self.undo.remove(0);
        }
        self.redo.clear();
    }

    /// Starts a transaction: the commands applied until [`Editor::commit`] are one undo step.
    pub fn begin(&mut self) {
        if self.txn.is_none() {
            self.txn = Some(Step {
                doc: self.doc.clone(),
                touched: Touched::default(),
            });
        }
    }

    /// Whether a transaction is open.
    #[must_use]
    pub fn in_transaction(&self) -> bool {
        self.txn.is_some()
    }

    /// Ends the transaction, recording one undo step if anything changed.
    pub fn commit(&mut self) {
        if let Some(step) = self.txn.take()
            && !step.touched.is_empty()
            && step.doc != self.doc
        {
            self.push_undo(step);
        }
    }

    /// Ends the transaction and restores the document as it was at [`Editor::begin`].
    pub fn rollback(&mut self) {
        if let Some(step) = self.txn.take()
            && !step.touched.is_empty()
        {
            self.doc = step.doc;
            self.pending.merge(&step.touched);
            self.revision += 1;
        }
    }

    /// Whether there is something to undo.
    #[must_use]
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is something to redo.
    #[must_use]
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Number of undo steps available.
    #[must_use]
    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }

    /// Undoes the last step; returns what it reached (`None`: nothing to undo).
    pub fn undo(&mut self) -> Option<Touched> {
        self.commit();
        let step = self.undo.pop()?;
        let touched = step.touched.clone();
        let now = std::mem::replace(&mut self.doc, step.doc);
        self.redo.push(Step {
            doc: now,
            touched: step.touched,
        });
        self.pending.merge(&touched);
        self.revision += 1;
        Some(touched)
    }

    /// Redoes the last undone step; returns what it reached (`None`: nothing to redo).
    pub fn redo(&mut self) -> Option<Touched> {
        self.commit();
        let step = self.redo.pop()?;
        let touched = step.touched.clone();
        let now = std::mem::replace(&mut self.doc, step.doc);
        self.undo.push(Step {
            doc: now,
            touched: step.touched,
        });
        self.pending.merge(&touched);
        self.revision += 1;
        Some(touched)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sample_map;

    #[test]
    fn transaction_is_one_step() {
        let mut ed = Editor::new(sample_map());
        let id = ed.doc().stages[0].id;
        ed.begin();
        for w in 0..40 {
            ed.apply(&Command::ResizeStage {
                id,
                width: 200.0 + w as f32,
            })
            .unwrap();
        }
        ed.commit();
        assert_eq!(ed.undo_len(), 1);
        assert!(ed.undo().is_some());
        assert_eq!(ed.doc(), &sample_map());
    }

    #[test]
    fn rollback_restores() {
        let mut ed = Editor::new(sample_map());
        let id = ed.doc().stages[0].id;
        ed.begin();
        ed.apply(&Command::ResizeStage { id, width: 500.0 })
            .unwrap();
        ed.rollback();
        assert_eq!(ed.doc(), &sample_map());
        assert!(!ed.can_undo());
    }

    #[test]
    fn undo_reports_what_the_step_reached_and_ids_are_never_reused() {
        let mut ed = Editor::new(sample_map());
        let _ = ed.take_touched();
        let card = crate::model::Card::clone(&ed.doc().cards[0]);
        let mut edited = card.clone();
        edited.text = "Changed".into();
        ed.apply(&Command::UpdateCard(edited)).unwrap();
        let t = ed.take_touched();
        assert_eq!(t.cells.len(), 1);
        assert!(!t.structure);
        let undone = ed.undo().unwrap();
        assert_eq!(undone.cells, t.cells);
        assert_eq!(ed.take_touched().cells, t.cells);
        // A no-op is not an undo step.
        ed.apply(&Command::UpdateCard(card)).unwrap();
        assert!(!ed.can_undo());
        let a = ed.new_id();
        let b = ed.new_id();
        assert!(b > a && a >= ed.doc().next_id);
    }
}
