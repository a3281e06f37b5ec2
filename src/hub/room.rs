//! The hub's own copy of the session: its replica and an editor over the map it holds, so
//! that what phones ask for becomes ordinary ops, and the hub always has the map to save and
//! to show phones.

use std::collections::BTreeMap;

use crate::edit::{Editor, Op, Origin};
use crate::model::Document;
use crate::sync::peer::{apply_remote, push_local};
use crate::sync::session::{self, Role};
use crate::sync::{Replica, SyncError};

/// Who sent something to the hub.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Who {
    /// The participant (`laptop-…`, `phone-…`): authorship, roles, votes and kicks go by it.
    pub id: String,
    /// The facilitator's own connection.
    pub host: bool,
}

/// What became of a client's update.
#[derive(Debug)]
pub enum Imported {
    /// Taken. The update to pass on: the client's own bytes (`None`), or, when the hub noted
    /// who wrote new cards, everything since, to send to everyone (the writer included) so
    /// that a private card never shows anywhere without its mark.
    Taken(Option<Vec<u8>>),
    /// Refused and undone: the update to send to everyone (the sender's change and the
    /// hub's undoing of it, which cancel out), and why, for the sender.
    Refused(Vec<u8>, String),
}

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

    /// Takes a client's update, if `who` may make it: only the facilitator changes the
    /// session's state (timer, rounds, roles), only the hub notes authors, and a contributor
    /// adds cards and changes only their own. Anything else is undone at once (a change of
    /// the hub's own that puts back what was there) and the whole is sent on, so every
    /// replica ends where it was. The hub notes who wrote each new card (and the open
    /// private round it belongs to).
    ///
    /// # Errors
    /// Bytes Loro cannot read (nothing is taken then).
    pub fn import(&mut self, bytes: &[u8], who: &Who) -> Result<Imported, SyncError> {
        let doc = self.replica.loro().clone();
        let (before, since) = (doc.state_frontiers(), self.replica.version());
        self.replica.import(bytes)?;
        let roots = self.replica.take_other_roots();
        let (ops, again) = self.replica.take_ops(self.editor.doc());
        if let Some(why) = self.refusal(&roots, &ops, again, who) {
            doc.revert_to(&before)?;
            doc.commit();
            self.replica.forget_changes();
            self.revision += 1;
            return Ok(Imported::Refused(self.replica.updates_since(&since)?, why));
        }
        let applied = apply_remote(&mut self.editor, &mut self.replica, ops, again);
        self.revision += 1;
        let added: Vec<u64> = applied
            .iter()
            .filter_map(|op| match op {
                Op::InsertCards(cs) => Some(cs.iter().map(|c| c.id.0)),
                _ => None,
            })
            .flatten()
            .filter(|id| session::author_of(&doc, *id).is_none())
            .collect();
        if added.is_empty() {
            return Ok(Imported::Taken(None));
        }
        session::note_authors(&doc, &added, &who.id)?;
        doc.commit();
        Ok(Imported::Taken(Some(self.replica.updates_since(&since)?)))
    }

    /// Why `who` may not make a change that touched these session roots and brings these
    /// ops, if they may not.
    fn refusal(
        &self,
        roots: &std::collections::BTreeSet<String>,
        ops: &[Op],
        again: bool,
        who: &Who,
    ) -> Option<String> {
        let doc = self.replica.loro();
        for r in roots {
            let only_facilitator = r == session::WORKSHOP || r == session::ROLES;
            let hub_only = r == session::AUTHORS || r == session::PRIVATE || r == session::FILES;
            if hub_only || (only_facilitator && !who.host) {
                return Some(format!(
                    "only the facilitator changes the workshop's {r}: your change was undone"
                ));
            }
        }
        if session::role_of(doc, &who.id, who.host) != Role::Contributor {
            return None;
        }
        let own =
            |id: &crate::model::CardId| session::author_of(doc, id.0).is_some_and(|a| a == who.id);
        let fine = !again
            && ops.iter().all(|op| match op {
                Op::InsertCards(cs) => cs
                    .iter()
                    .all(|c| session::author_of(doc, c.id.0).is_none_or(|a| a == who.id)),
                Op::SetCard(id, _) => own(id),
                Op::RemoveCards(ids) => ids.iter().all(own),
                Op::PlaceCards(ps) => ps.iter().all(|(id, _)| own(id)),
                _ => false,
            });
        (!fine).then(|| {
            "as a contributor you add cards and change only your own: your change was undone"
                .to_string()
        })
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
            session::note_authors(doc, &ids, who).map_err(|e| e.to_string())?;
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
        session::authors(self.replica.loro())
    }
}
