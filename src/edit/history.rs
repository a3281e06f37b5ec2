//! [`Editor`]: the open document, its revision and its undo/redo history.
//!
//! Undo entries are whole snapshots of the document (simple and safe at these sizes). A
//! transaction groups the many small changes of one gesture (a drag, a resize) into one entry.

use super::{Command, EditError, apply};
use crate::model::Document;

/// How many undo steps are kept.
pub const HISTORY_CAP: usize = 200;

/// The document being edited, with history and a revision that changes on every edit.
#[derive(Clone, Debug)]
pub struct Editor {
    doc: Document,
    undo: Vec<Document>,
    redo: Vec<Document>,
    /// The document as it was when the open transaction began.
    txn: Option<Document>,
    revision: u64,
}

impl Editor {
    /// An editor on a document, with empty history.
    #[must_use]
    pub fn new(doc: Document) -> Self {
        Self {
            doc,
            undo: Vec::new(),
            redo: Vec::new(),
            txn: None,
            revision: 1,
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

    /// Replaces the document (a file was opened): history is cleared.
    pub fn replace(&mut self, doc: Document) {
        self.doc = doc;
        self.undo.clear();
        self.redo.clear();
        self.txn = None;
        self.revision += 1;
    }

    /// Applies a command as one undo step (or as part of the open transaction).
    ///
    /// # Errors
    /// [`EditError`]; the document is then unchanged.
    pub fn apply(&mut self, cmd: &Command) -> Result<(), EditError> {
        let before = self.doc.clone();
        if let Err(e) = apply(&mut self.doc, cmd) {
            self.doc = before;
            return Err(e);
        }
        if self.doc == before {
            return Ok(());
        }
        if self.txn.is_none() {
            self.push_undo(before);
        }
        self.revision += 1;
        Ok(())
    }

    fn push_undo(&mut self, before: Document) {
        self.undo.push(before);
        if self.undo.len() > HISTORY_CAP {
            self.undo.remove(0);
        }
        self.redo.clear();
    }

    /// Starts a transaction: the commands applied until [`Editor::commit`] are one undo step.
    pub fn begin(&mut self) {
        if self.txn.is_none() {
            self.txn = Some(self.doc.clone());
        }
    }

    /// Whether a transaction is open.
    #[must_use]
    pub fn in_transaction(&self) -> bool {
        self.txn.is_some()
    }

    /// Ends the transaction, recording one undo step if anything changed.
    pub fn commit(&mut self) {
        if let Some(before) = self.txn.take()
            && before != self.doc
        {
            self.push_undo(before);
        }
    }

    /// Ends the transaction and restores the document as it was at [`Editor::begin`].
    pub fn rollback(&mut self) {
        if let Some(before) = self.txn.take()
            && before != self.doc
        {
            self.doc = before;
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

    /// Undoes the last step; returns whether there was one.
    pub fn undo(&mut self) -> bool {
        self.commit();
        let Some(prev) = self.undo.pop() else {
            return false;
        };
        self.redo.push(std::mem::replace(&mut self.doc, prev));
        self.revision += 1;
        true
    }

    /// Redoes the last undone step; returns whether there was one.
    pub fn redo(&mut self) -> bool {
        self.commit();
        let Some(next) = self.redo.pop() else {
            return false;
        };
        self.undo.push(std::mem::replace(&mut self.doc, next));
        self.revision += 1;
        true
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
        assert!(ed.undo());
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
}
