//! [`Editor`]: the open document, its revision, and undo/redo by inverse ops, per origin.
//!
//! Every change is a group of [`Op`]s applied through [`Editor::apply_ops`] (commands are
//! lowered to ops first). Each origin — the local user, an importer, each remote peer — has
//! its own undo and redo stacks of groups, so undo reverts only the local user's own last
//! gesture and leaves everyone else's later edits in place. An undo step whose field someone
//! else has changed since is skipped rather than overwriting their change.
//!
//! A gesture that changes the map live (dragging a point, resizing a stage, a dragged number)
//! is one transaction: one group, committed on release, rolled back on Escape — and rolled
//! back by [`Editor::end_frame`] if nothing kept it alive during the frame (its widget went
//! away), so no path leaves a transaction open.

use std::collections::{BTreeMap, VecDeque};

use super::apply::{Mint, apply, set_field, still_holds};
use super::lower::lower;
use super::op::{Op, Origin};
use super::{Command, EditError, Touched};
use crate::model::{Document, Repairs};

/// How many undo steps each origin keeps.
pub const HISTORY_CAP: usize = 1_000;

/// One applied op and the ops that undo it (exactly sized: a history holds many).
#[derive(Clone, Debug)]
struct Entry {
    op: Op,
    inverse: Box<[Op]>,
}

/// One undo step: the ops of one gesture, in the order they were applied.
#[derive(Clone, Debug, Default)]
struct Group {
    entries: Vec<Entry>,
    touched: Touched,
}

#[derive(Clone, Debug, Default)]
struct Stacks {
    undo: VecDeque<Group>,
    redo: Vec<Group>,
}

#[derive(Clone, Debug)]
struct Txn {
    origin: Origin,
    group: Group,
    /// Something kept it alive since the last [`Editor::end_frame`].
    held: bool,
}

/// The document being edited, with per-origin history and a revision that changes on every
/// edit.
#[derive(Clone, Debug)]
pub struct Editor {
    doc: Document,
    stacks: BTreeMap<Origin, Stacks>,
    txn: Option<Txn>,
    revision: u64,
    /// What changed since [`Editor::take_touched`] was last called.
    pending: Touched,
    mint: Mint,
    /// What normalising the last document repaired.
    repairs: Repairs,
    /// The ops applied, as applied (ids filled in), with their origin: what a sync layer
    /// sends to other replicas. Kept only while [`Editor::record_done`] is on.
    done: Option<Vec<(Origin, Op)>>,
    /// Cards other people added to cells that are gone here (see `through_limbo`).
    limbo: std::collections::HashMap<crate::model::CardId, std::sync::Arc<crate::model::Card>>,
}

/// A seed nobody else has: the clock and the process's hasher keys.
pub(super) fn seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.write_u32(std::process::id());
    h.finish()
}

impl Editor {
    /// An editor on a document (normalised first), with empty history.
    #[must_use]
    pub fn new(doc: Document) -> Self {
        Self::with_seed(doc, seed())
    }

    /// An editor whose minted ids come from `seed` (tests and benchmarks that must repeat).
    #[must_use]
    pub fn with_seed(mut doc: Document, seed: u64) -> Self {
        let repairs = doc.normalize();
        Self {
            doc,
            stacks: BTreeMap::new(),
            txn: None,
            revision: 1,
            pending: Touched::everything(),
            mint: Mint::new(seed),
            repairs,
            done: None,
            limbo: std::collections::HashMap::new(),
        }
    }

    /// The document.
    #[must_use]
    pub fn doc(&self) -> &Document {
        &self.doc
    }

    /// Notes how the map is shown and its owners' colour order, as written when it is saved:
    /// not an edit (no undo step, no new revision; the colours stay what they were).
    pub fn note_saved_look(&mut self, view: crate::model::MapView, owner_order: Vec<String>) {
        self.doc.view = view;
        self.doc.owner_order = owner_order;
    }

    /// What normalising the document given to [`Editor::new`] or [`Editor::replace`] repaired.
    #[must_use]
    pub fn repairs(&self) -> &Repairs {
        &self.repairs
    }

    /// A number that changes whenever the document does (edits, undo, redo, load).
    #[must_use]
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// What changed since the last call (everything, after a document was replaced).
    pub fn take_touched(&mut self) -> Touched {
        std::mem::take(&mut self.pending)
    }

    /// Replaces the document (a file was opened; normalised first): history is cleared.
    pub fn replace(&mut self, mut doc: Document) {
        self.repairs = doc.normalize();
        self.doc = doc;
        self.stacks.clear();
        self.limbo.clear();
        self.txn = None;
        self.revision += 1;
        self.pending = Touched::everything();
    }

    /// Applies a command as the local user: one undo step, or part of the open transaction.
    ///
    /// # Errors
    /// [`EditError`]; the document is then unchanged.
    pub fn apply(&mut self, cmd: &Command) -> Result<(), EditError> {
        self.apply_command(Origin::Local, cmd).map(|_| ())
    }

    /// Applies a command as `origin`; returns the ids minted for what it added.
    ///
    /// # Errors
    /// [`EditError`]; the document is then unchanged.
    pub fn apply_command(&mut self, origin: Origin, cmd: &Command) -> Result<Vec<u64>, EditError> {
        let mut group = Group::default();
        let mut new_ids = Vec::new();
        let result = self.run_command(origin, cmd, &mut group, &mut new_ids);
        self.finish(origin, group, result).map(|()| new_ids)
    }

    fn run_command(
        &mut self,
        origin: Origin,
        cmd: &Command,
        group: &mut Group,
        new_ids: &mut Vec<u64>,
    ) -> Result<(), EditError> {
        if let Command::Batch(cmds) = cmd {
            for c in cmds {
                self.run_command(origin, c, group, new_ids)?;
            }
            return Ok(());
        }
        for op in lower(&self.doc, cmd)? {
            new_ids.extend(self.run_op(origin, op, group)?);
        }
        Ok(())
    }

    /// Applies ops as one group of `origin` (one undo step, or part of the open transaction
    /// when it is the transaction's origin). All or nothing.
    ///
    /// # Errors
    /// [`EditError`] from the first op refused; the document is then unchanged.
    pub fn apply_ops(&mut self, origin: Origin, ops: Vec<Op>) -> Result<Vec<u64>, EditError> {
        let mut group = Group::default();
        let mut new_ids = Vec::new();
        let mut result = Ok(());
        for op in ops {
            let op = match origin {
                Origin::Peer(_) => match self.through_limbo(op) {
                    Some(op) => op,
                    None => continue,
                },
                _ => op,
            };
            match self.run_op(origin, op, &mut group) {
                Ok(ids) => new_ids.extend(ids),
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        self.finish(origin, group, result).map(|()| new_ids)
    }

    /// A remote op as it applies here: cards added by someone into a cell that is gone here
    /// (another person deleted its stage or lane meanwhile) wait out of sight, taking their
    /// edits, until a move brings them into a cell that exists, or a removal drops them.
    /// So the race "delete a lane" / "add a card there and move it elsewhere" ends alike on
    /// every replica. `None`: nothing is left to apply.
    fn through_limbo(&mut self, op: Op) -> Option<Op> {
        let cell_exists = |doc: &Document, s, l| {
            doc.stage(s).is_some() && doc.lane(l).is_some_and(|l| l.kind.holds_cards())
        };
        match op {
            Op::InsertCards(cards) => {
                let (here, gone): (Vec<_>, Vec<_>) = cards
                    .into_iter()
                    .partition(|c| cell_exists(&self.doc, c.stage, c.lane));
                for c in gone {
                    self.limbo.insert(c.id, c);
                }
                (!here.is_empty()).then_some(Op::InsertCards(here))
            }
            Op::PlaceCards(places) if !self.limbo.is_empty() => {
                let mut back = Vec::new();
                let mut rest = Vec::new();
                for (id, p) in places {
                    match self.limbo.get(&id) {
                        Some(_) if cell_exists(&self.doc, p.stage, p.lane) => {
                            if let Some(mut c) = self.limbo.remove(&id) {
                                let card = std::sync::Arc::make_mut(&mut c);
                                card.stage = p.stage;
                                card.lane = p.lane;
                                card.pos = p.pos;
                                back.push(c);
                            }
                        }
                        Some(_) => {}
                        None => rest.push((id, p)),
                    }
                }
                if !back.is_empty() {
                    let mut group = Group::default();
                    if self
                        .run_op(Origin::Import, Op::InsertCards(back), &mut group)
                        .is_ok()
                    {
                        self.pending.merge(&group.touched);
                        self.revision += 1;
                    }
                }
                (!rest.is_empty()).then_some(Op::PlaceCards(rest))
            }
            Op::SetCard(id, f) if self.limbo.contains_key(&id) => {
                if let Some(c) = self.limbo.get_mut(&id) {
                    set_field(std::sync::Arc::make_mut(c), f);
                }
                None
            }
            Op::RemoveCards(ids) if !self.limbo.is_empty() => {
                for id in &ids {
                    self.limbo.remove(id);
                }
                Some(Op::RemoveCards(ids))
            }
            op => Some(op),
        }
    }

    /// Starts (or stops) keeping the ops applied, for [`Editor::take_done`].
    pub fn record_done(&mut self, on: bool) {
        self.done = on.then(Vec::new);
    }

    /// The ops applied since the last call, as applied, with their origin (undo and redo
    /// are the local user's).
    pub fn take_done(&mut self) -> Vec<(Origin, Op)> {
        self.done.as_mut().map(std::mem::take).unwrap_or_default()
    }

    /// Applies one op into `group`; a no-op is not recorded.
    fn run_op(&mut self, origin: Origin, op: Op, group: &mut Group) -> Result<Vec<u64>, EditError> {
        let recorded = op.clone();
        let applied = apply(&mut self.doc, op, &mut self.mint)?;
        if applied.inverse.is_empty() {
            return Ok(applied.new_ids);
        }
        let recorded = match &applied.done[..] {
            [op] if !matches!(op, Op::InsertCards(_) | Op::RemoveCards(_)) => op.clone(),
            _ => recorded,
        };
        if let Some(done) = &mut self.done {
            done.extend(applied.done.into_iter().map(|op| (origin, op)));
        }
        group.touched.merge(&applied.touched);
        group.entries.push(Entry {
            op: recorded,
            inverse: applied.inverse.into_boxed_slice(),
        });
        Ok(applied.new_ids)
    }

    /// Records a finished group (or undoes it, if it failed part way).
    fn finish(
        &mut self,
        origin: Origin,
        group: Group,
        result: Result<(), EditError>,
    ) -> Result<(), EditError> {
        if let Err(e) = result {
            self.revert(origin, group);
            return Err(e);
        }
        if group.entries.is_empty() {
            return Ok(());
        }
        self.pending.merge(&group.touched);
        self.revision += 1;
        match &mut self.txn {
            Some(t) if t.origin == origin => {
                t.group.touched.merge(&group.touched);
                t.group.entries.extend(group.entries);
            }
            _ => self.push_undo(origin, group),
        }
        Ok(())
    }

    /// Applies the inverses of a group's entries, last first; returns the group that redoes
    /// it. Entries whose effect someone else has changed since are skipped.
    fn revert(&mut self, origin: Origin, group: Group) -> Group {
        let mut back = Group::default();
        for entry in group.entries.into_iter().rev() {
            if !still_holds(&self.doc, &entry.op) {
                continue;
            }
            for op in entry.inverse {
                let _ = self.run_op(origin, op, &mut back);
            }
        }
        if !back.entries.is_empty() {
            self.pending.merge(&back.touched);
            self.revision += 1;
        }
        back
    }

    fn push_undo(&mut self, origin: Origin, group: Group) {
        let s = self.stacks.entry(origin).or_default();
        s.undo.push_back(group);
        if s.undo.len() > HISTORY_CAP {
            s.undo.pop_front();
        }
        s.redo.clear();
    }

    /// Starts a transaction of the local user: what they change until [`Editor::commit`] is
    /// one undo step. A transaction already open is committed first.
    pub fn begin(&mut self) {
        self.commit();
        self.txn = Some(Txn {
            origin: Origin::Local,
            group: Group::default(),
            held: true,
        });
    }

    /// Keeps the open transaction alive through this frame (the gesture that owns it is
    /// still going on).
    pub fn hold(&mut self) {
        if let Some(t) = &mut self.txn {
            t.held = true;
        }
    }

    /// Called once a frame: a transaction that nothing held since the last call lost its
    /// gesture and is rolled back.
    pub fn end_frame(&mut self) {
        match &mut self.txn {
            Some(t) if t.held => t.held = false,
            Some(_) => self.rollback(),
            None => {}
        }
    }

    /// Whether a transaction is open.
    #[must_use]
    pub fn in_transaction(&self) -> bool {
        self.txn.is_some()
    }

    /// Ends the transaction, recording one undo step if anything changed.
    pub fn commit(&mut self) {
        if let Some(t) = self.txn.take()
            && !t.group.entries.is_empty()
        {
            self.push_undo(t.origin, t.group);
        }
    }

    /// Ends the transaction and undoes what it changed.
    pub fn rollback(&mut self) {
        if let Some(t) = self.txn.take() {
            self.revert(t.origin, t.group);
        }
    }

    /// Whether the local user has something to undo.
    #[must_use]
    pub fn can_undo(&self) -> bool {
        self.can_undo_of(Origin::Local)
    }

    /// Whether `origin` has something to undo.
    #[must_use]
    pub fn can_undo_of(&self, origin: Origin) -> bool {
        self.stacks.get(&origin).is_some_and(|s| !s.undo.is_empty())
    }

    /// Whether the local user has something to redo.
    #[must_use]
    pub fn can_redo(&self) -> bool {
        self.stacks
            .get(&Origin::Local)
            .is_some_and(|s| !s.redo.is_empty())
    }

    /// Number of undo steps the local user has.
    #[must_use]
    pub fn undo_len(&self) -> usize {
        self.stacks.get(&Origin::Local).map_or(0, |s| s.undo.len())
    }

    /// Undoes the local user's last step; returns what it reached (`None`: nothing to undo).
    pub fn undo(&mut self) -> Option<Touched> {
        self.undo_of(Origin::Local)
    }

    /// Redoes the local user's last undone step.
    pub fn redo(&mut self) -> Option<Touched> {
        self.redo_of(Origin::Local)
    }

    /// Undoes `origin`'s last step, leaving other origins' edits in place.
    pub fn undo_of(&mut self, origin: Origin) -> Option<Touched> {
        self.commit();
        let group = self.stacks.get_mut(&origin)?.undo.pop_back()?;
        let touched = group.touched.clone();
        let back = self.revert(origin, group);
        if !back.entries.is_empty() {
            self.stacks.entry(origin).or_default().redo.push(back);
        }
        Some(touched)
    }

    /// Redoes `origin`'s last undone step.
    pub fn redo_of(&mut self, origin: Origin) -> Option<Touched> {
        self.commit();
        let group = self.stacks.get_mut(&origin)?.redo.pop()?;
        let touched = group.touched.clone();
        let again = self.revert(origin, group);
        if !again.entries.is_empty() {
            let s = self.stacks.entry(origin).or_default();
            s.undo.push_back(again);
        }
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
    fn rollback_restores_and_a_transaction_nobody_holds_is_rolled_back() {
        let mut ed = Editor::new(sample_map());
        let id = ed.doc().stages[0].id;
        ed.begin();
        ed.apply(&Command::ResizeStage { id, width: 500.0 })
            .unwrap();
        ed.rollback();
        assert_eq!(ed.doc(), &sample_map());
        assert!(!ed.can_undo());
        // A gesture that vanished: held in its first frame, then nobody holds it.
        ed.begin();
        ed.apply(&Command::ResizeStage { id, width: 500.0 })
            .unwrap();
        ed.end_frame();
        assert!(ed.in_transaction());
        ed.end_frame();
        assert!(!ed.in_transaction());
        assert_eq!(ed.doc(), &sample_map());
        // Later edits are their own steps, not swallowed by the dead transaction.
        ed.apply(&Command::SetTitle("A".into())).unwrap();
        ed.apply(&Command::SetTitle("B".into())).unwrap();
        assert_eq!(ed.undo_len(), 2);
    }

    #[test]
    fn undo_reports_what_the_step_reached_and_new_ids_are_fresh() {
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
        // Ids are minted inside apply, random, 1 to 2^53, and new.
        let stage = ed.doc().stages[0].id;
        let lane = ed.doc().lanes[0].id;
        let before: Vec<u64> = ed.doc().all_ids().collect();
        let new = crate::model::Card::new(crate::model::CardId(0), stage, lane, "x");
        let ids = ed
            .apply_command(
                Origin::Local,
                &Command::AddCards {
                    cards: vec![new.clone(), new],
                    index: 0,
                },
            )
            .unwrap();
        assert_eq!(ids.len(), 2);
        assert_ne!(ids[0], ids[1]);
        assert!(
            ids.iter()
                .all(|id| !before.contains(id) && (1..=crate::model::MAX_ID).contains(id))
        );
        assert_eq!(
            ed.doc().cell_cards(stage, lane).next().unwrap().id.0,
            ids[0]
        );
    }
}
