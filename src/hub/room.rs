//! The hub's own copy of the session: its replica and an editor over the map it holds, so
//! that what phones ask for becomes ordinary ops, and the hub always has the map to save and
//! to show phones.

use std::collections::BTreeMap;

use crate::edit::{Editor, Op, Origin};
use crate::model::Document;
use crate::sync::peer::{pull_remote, push_local};
use crate::sync::{Replica, SyncError};

/// The root map of who wrote each card (card id → participant), kept in the shared document
/// so that it survives a restart: a contributor may change only their own cards.
pub const AUTHORS: &str = "authors";

/// The hub's replica and editor.
pub struct Room {
    replica: Replica,
    editor: Editor,
    /// Bumped on every change (phones are sent the map again).
    pub revision: u64,
}

impl Room {
    /// A room over a replica.
    #[must_use]
    pub fn new(replica: Replica) -> Self {
        let mut editor = Editor::new(replica.document());
        editor.record_done(true);
        Self {
            replica,
            editor,
            revision: 1,
        }
    }

    /// The replica.
    #[must_use]
    pub fn replica(&self) -> &Replica {
        &self.replica
    }

    /// The map.
    #[must_use]
    pub fn doc(&self) -> &Document {
        self.editor.doc()
    }

    /// Takes a client's update.
    ///
    /// # Errors
    /// Bytes Loro cannot read (nothing is taken then).
    pub fn import(&mut self, bytes: &[u8]) -> Result<(), SyncError> {
        self.replica.import(bytes)?;
        pull_remote(&mut self.editor, &mut self.replica)?;
        self.revision += 1;
        Ok(())
    }

    /// Applies ops on behalf of a participant without a replica (a phone), noting them as
    /// the author of the cards the ops add; returns the update to send to every replica, and
    /// the ids minted.
    ///
    /// # Errors
    /// The op refused (a sentence for the participant), or Loro's.
    pub fn apply(
        &mut self,
        ops: Vec<Op>,
        author: Option<&str>,
    ) -> Result<(Vec<u8>, Vec<u64>), String> {
        let before = self.replica.version();
        let ids = self
            .editor
            .apply_ops(Origin::Local, ops)
            .map_err(|e| e.to_string())?;
        push_local(&mut self.editor, &mut self.replica).map_err(|e| e.to_string())?;
        if let Some(who) = author {
            let doc = self.replica.loro();
            let authors = doc.get_map(AUTHORS);
            for id in &ids {
                authors
                    .insert(&id.to_string(), who)
                    .map_err(|e| e.to_string())?;
            }
            doc.commit();
        }
        self.revision += 1;
        let update = self
            .replica
            .updates_since(&before)
            .map_err(|e| e.to_string())?;
        Ok((update, ids))
    }

    /// A phone's dot on a card (or one taken back); returns the update to send.
    ///
    /// # Errors
    /// A sentence for the phone.
    pub fn cast(&mut self, voter: &str, card: u64, add: bool) -> Result<Vec<u8>, String> {
        let before = self.replica.version();
        super::vote::cast(self.replica.loro(), self.editor.doc(), voter, card, add)?;
        self.revision += 1;
        self.replica
            .updates_since(&before)
            .map_err(|e| e.to_string())
    }

    /// Who wrote which card.
    #[must_use]
    pub fn authors(&self) -> BTreeMap<u64, String> {
        let mut out = BTreeMap::new();
        self.replica.loro().get_map(AUTHORS).for_each(|k, v| {
            if let (Ok(id), loro::ValueOrContainer::Value(loro::LoroValue::String(s))) =
                (k.parse::<u64>(), v)
            {
                out.insert(id, s.to_string());
            }
        });
        out
    }
}
