//! Co-editing: a [`Replica`] keeps a map in a shared Loro document and the editor's
//! [`Document`] in step with it. It is an adapter, not a second model: the `Document` stays
//! what the canvas, layout and exporters read; the Loro document is what replicas exchange.
//!
//! - Local edits: after the editor applies ops of the local user, [`Replica::write_ops`]
//!   writes the state of what they touched into the shared document (only fields whose value
//!   changed, so concurrent edits to other fields survive) and commits.
//! - Remote edits: [`Replica::import`] takes another replica's update bytes; the import's
//!   events say which records changed, and [`Replica::take_ops`] turns the difference between
//!   the editor's map and the shared state of those records into ordinary [`Op`]s, which the
//!   editor applies with a peer origin — so they never enter the local user's undo.
//!
//! Undo stays the editor's (inverse ops per origin, with its guard against undoing over
//! someone else's later change): an undo is a local edit like any other and is written to
//! the shared document as such.

mod index;
pub mod peer;
mod project;
mod reconcile;
pub mod records;
pub mod schema;
pub mod session;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, PoisonError};

use loro::{LoroDoc, Subscription, VersionVector};

use crate::edit::Op;
use crate::model::{CardId, Document, order};
use schema::{Fields, Kind, META, mark_deleted, write};

/// What went wrong exchanging changes.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The shared document refused a change or bytes (corrupt, or from another document).
    #[error("co-editing state: {0}")]
    Loro(#[from] loro::LoroError),
    /// The shared document could not be written out.
    #[error("co-editing state could not be encoded: {0}")]
    Encode(#[from] loro::LoroEncodeError),
}

/// An empty map (no stages, lanes or cards), to be filled from a shared document.
#[must_use]
pub fn empty() -> Document {
    let mut d = crate::model::new_map();
    d.title = String::new();
    d.description = String::new();
    d.clear_content();
    d
}

/// Which records other replicas' changes reached since the last [`Replica::take_ops`].
#[derive(Debug, Default)]
struct Changes {
    meta: bool,
    /// Something but the cards changed (those are few: they are compared whole).
    frame: bool,
    cards: BTreeSet<u64>,
    /// Compare every card (something cards stand on came back, or a private round was
    /// revealed).
    full: bool,
    /// Root maps touched that are not the map's (the session's own state).
    other: BTreeSet<String>,
}

/// A map in a shared Loro document (see the module).
pub struct Replica {
    doc: LoroDoc,
    /// Who looks at the map here (a private round's cards are shown to their author only);
    /// `None` sees everything.
    viewer: Option<String>,
    /// Where every card record is (see [`index`]).
    index: index::CardIndex,
    /// The cards the last [`Replica::take_ops`] compared (compared again by
    /// [`Replica::settle_ops`]).
    last_named: BTreeSet<u64>,
    changes: Arc<Mutex<Changes>>,
    _events: Subscription,
}

impl std::fmt::Debug for Replica {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Replica")
            .field("peer", &self.doc.peer_id())
            .finish_non_exhaustive()
    }
}

impl Replica {
    /// An empty replica with this peer id (each replica of a session needs its own).
    ///
    /// # Errors
    /// Loro's, for a peer id it cannot use.
    pub fn new(peer: u64) -> Result<Self, SyncError> {
        let doc = LoroDoc::new();
        doc.set_peer_id(peer)?;
        let changes = Arc::new(Mutex::new(Changes::default()));
        let sink = Arc::clone(&changes);
        let events = doc.subscribe_root(Arc::new(move |e: loro::event::DiffEvent<'_>| {
            if e.triggered_by.is_local() {
                return;
            }
            let mut c = sink.lock().unwrap_or_else(PoisonError::into_inner);
            for d in &e.events {
                note_change(&mut c, d);
            }
        }));
        Ok(Self {
            doc,
            viewer: None,
            index: index::CardIndex::default(),
            last_named: BTreeSet::new(),
            changes,
            _events: events,
        })
    }

    /// A replica holding `map` (the hub's, when a session starts from a file).
    ///
    /// # Errors
    /// Loro's.
    pub fn from_document(map: &Document, peer: u64) -> Result<Self, SyncError> {
        let mut r = Self::new(peer)?;
        r.write_all(map)?;
        Ok(r)
    }

    /// A replica from another's snapshot or updates (a client joining).
    ///
    /// # Errors
    /// Bytes Loro cannot read.
    pub fn from_bytes(bytes: &[u8], peer: u64) -> Result<Self, SyncError> {
        let mut r = Self::new(peer)?;
        r.import(bytes)?;
        r.take_changes();
        r.index_cards();
        Ok(r)
    }

    /// The Loro document.
    #[must_use]
    pub fn loro(&self) -> &LoroDoc {
        &self.doc
    }

    /// The map as the shared document has it (for this replica's viewer).
    #[must_use]
    pub fn document(&self) -> Document {
        project::document(&self.doc, self.viewer.as_deref())
    }

    /// Says who looks at the map here (see [`session::hidden`]); compare the whole map with
    /// [`Replica::all_ops`] after.
    pub fn set_viewer(&mut self, viewer: Option<String>) {
        self.viewer = viewer;
    }

    /// The root maps outside the map itself that other replicas' changes touched since the
    /// last call (the session's own state: the hub checks who may change it).
    pub fn take_other_roots(&self) -> BTreeSet<String> {
        std::mem::take(
            &mut self
                .changes
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .other,
        )
    }

    /// What this replica has seen, to ask another for what it lacks.
    #[must_use]
    pub fn version(&self) -> VersionVector {
        self.doc.oplog_vv()
    }

    /// The changes another replica that has seen `since` lacks.
    ///
    /// # Errors
    /// Loro's encoding errors.
    pub fn updates_since(&self, since: &VersionVector) -> Result<Vec<u8>, SyncError> {
        Ok(self.doc.export(loro::ExportMode::updates(since))?)
    }

    /// Everything, for a replica that has nothing.
    ///
    /// # Errors
    /// Loro's encoding errors.
    pub fn snapshot(&self) -> Result<Vec<u8>, SyncError> {
        Ok(self.doc.export(loro::ExportMode::Snapshot)?)
    }

    /// Takes another replica's changes (updates or a snapshot).
    ///
    /// # Errors
    /// Bytes Loro cannot read; nothing is taken then.
    pub fn import(&mut self, bytes: &[u8]) -> Result<(), SyncError> {
        self.doc.import(bytes)?;
        Ok(())
    }

    /// Reads where every card is, so that a change that shows or hides many cards later
    /// reads only those (see [`index`]): once, when a session starts (≈ 20 ms at 10,000
    /// cards).
    pub fn index_cards(&mut self) {
        self.index.read_all(&self.doc);
    }

    /// Forgets which records changed (a replica with no editor to bring in line: the hub's,
    /// or one whose changes were undone).
    pub fn forget_changes(&mut self) {
        drop(self.take_changes());
        self.index.forget();
    }

    fn take_changes(&self) -> Changes {
        std::mem::take(&mut *self.changes.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// The ops that bring `map` (the editor's) in line with what other replicas changed since
    /// the last call; to be applied with a peer origin. The flag says a second, wider pass
    /// ([`Replica::settle_ops`]) is needed once they are applied.
    #[must_use]
    pub fn take_ops(&mut self, map: &Document) -> (Vec<Op>, bool) {
        let c = self.take_changes();
        if !c.meta && !c.frame && c.cards.is_empty() && !c.full {
            return (Vec::new(), false);
        }
        let scope = if c.full {
            reconcile::Scope::Wide(&c.cards)
        } else {
            reconcile::Scope::Named(&c.cards)
        };
        let out = reconcile::ops(
            &self.doc,
            self.viewer.as_deref(),
            map,
            c.meta,
            scope,
            &mut self.index,
        );
        self.last_named = c.cards;
        out
    }

    /// The ops that bring `map` in line with the shared document where it may still
    /// differ after the ops [`Replica::take_ops`] gave were applied, some refused (the cards
    /// it compared, and those that may show or hide now). Far cheaper than
    /// [`Replica::all_ops`] on a large map.
    #[must_use]
    pub fn settle_ops(&mut self, map: &Document) -> (Vec<Op>, bool) {
        let named = std::mem::take(&mut self.last_named);
        let out = reconcile::ops(
            &self.doc,
            self.viewer.as_deref(),
            map,
            true,
            reconcile::Scope::Wide(&named),
            &mut self.index,
        );
        self.last_named = named;
        out
    }

    /// The ops that bring all of `map` in line with the shared document, every record
    /// read (a map that may differ anywhere, or a check).
    #[must_use]
    pub fn all_ops(&mut self, map: &Document) -> (Vec<Op>, bool) {
        drop(self.take_changes());
        reconcile::ops(
            &self.doc,
            self.viewer.as_deref(),
            map,
            true,
            reconcile::Scope::All,
            &mut self.index,
        )
    }

    /// Writes the whole map into the shared document (only what differs) and commits.
    ///
    /// # Errors
    /// Loro's.
    pub fn write_all(&mut self, map: &Document) -> Result<(), SyncError> {
        self.write_meta(map)?;
        for k in Kind::ALL {
            if k != Kind::Card {
                self.write_kind(map, k)?;
            }
        }
        let root = self.doc.get_map(Kind::Card.root());
        let mut ids: BTreeSet<u64> = map.cards.iter().map(|c| c.id.0).collect();
        for k in root.keys() {
            if let Ok(id) = k.parse::<u64>() {
                ids.insert(id);
            }
        }
        self.write_cards(map, ids.into_iter())?;
        // Every card record was just written (or marked removed): the index has them all.
        self.index.whole();
        self.doc.commit();
        Ok(())
    }

    /// Writes what local ops (as applied: [`crate::edit::Applied::done`]) touched and
    /// commits. Returns whether anything changed in the shared document.
    ///
    /// # Errors
    /// Loro's.
    pub fn write_ops(&mut self, map: &Document, ops: &[Op]) -> Result<bool, SyncError> {
        let before = self.doc.oplog_vv();
        let mut kinds = 0u8;
        let mut meta = false;
        let mut all_cards = false;
        let mut cards = BTreeSet::new();
        for op in ops {
            touches(op, &mut meta, &mut kinds, &mut all_cards, &mut cards);
        }
        // A local edit can show what the shared document held hidden: a persona, stage or
        // lane put back shows cards others changed meanwhile, a card put back shows links.
        // The next pull compares those.
        {
            let mut c = self.changes.lock().unwrap_or_else(PoisonError::into_inner);
            for op in ops {
                match op {
                    Op::InsertPersona { .. } | Op::InsertStage(_) | Op::InsertLane(_) => {
                        c.full = true;
                    }
                    Op::InsertCards(_) | Op::InsertCurve { .. } => {
                        c.frame = true;
                    }
                    _ => {}
                }
            }
        }
        if all_cards {
            return self.write_all(map).map(|()| self.doc.oplog_vv() != before);
        }
        if meta {
            self.write_meta(map)?;
        }
        for k in Kind::ALL {
            if kinds & k.bit() != 0 {
                self.write_kind(map, k)?;
            }
        }
        self.write_cards(map, cards.into_iter())?;
        self.doc.commit();
        Ok(self.doc.oplog_vv() != before)
    }

    fn write_meta(&self, map: &Document) -> Result<(), SyncError> {
        let m = self.doc.get_map(META);
        write(&m, &schema::read(&m), &records::meta(map))?;
        Ok(())
    }

    fn write_cards(
        &mut self,
        map: &Document,
        ids: impl Iterator<Item = u64>,
    ) -> Result<(), SyncError> {
        let root = self.doc.get_map(Kind::Card.root());
        for id in ids {
            match (map.card(CardId(id)), project::record(&root, id)) {
                (Some(c), Some((m, have))) => {
                    write(&m, &have, &records::card(c))?;
                    self.index.wrote(c);
                }
                (Some(c), None) => {
                    let m = root.ensure_mergeable_map(&id.to_string())?;
                    write(&m, &Fields::new(), &records::card(c))?;
                    self.index.wrote(c);
                }
                (None, Some((m, have))) => {
                    mark_deleted(&m, &have)?;
                    self.index.removed(id);
                }
                (None, None) => {}
            }
        }
        Ok(())
    }

    /// Writes every record of a kind other than cards (they are few).
    fn write_kind(&self, map: &Document, kind: Kind) -> Result<(), SyncError> {
        let root = self.doc.get_map(kind.root());
        // Every record once: its fields (to compare) and its map (to write).
        let mut have: std::collections::BTreeMap<u64, Fields> = std::collections::BTreeMap::new();
        let mut maps: std::collections::BTreeMap<u64, loro::LoroMap> =
            std::collections::BTreeMap::new();
        root.for_each(|k, v| {
            if let (Ok(id), loro::ValueOrContainer::Container(loro::Container::Map(m))) =
                (k.parse::<u64>(), v)
            {
                have.insert(id, schema::read(&m));
                maps.insert(id, m);
            }
        });
        let want: Vec<(u64, Fields)> = match kind {
            Kind::Stage => map
                .stages
                .iter()
                .map(|s| (s.id.0, records::stage(s)))
                .collect(),
            Kind::Lane => map
                .lanes
                .iter()
                .map(|l| (l.id.0, records::lane(l)))
                .collect(),
            Kind::Card => Vec::new(),
            Kind::Persona => keyed(&have, map.personas.iter().map(|p| p.id.0), |i, k| {
                records::persona(&map.personas[i], k)
            }),
            Kind::Curve => keyed(&have, map.emotion.curves.iter().map(|c| c.id.0), |i, k| {
                records::curve(&map.emotion.curves[i], k)
            }),
            Kind::Point => {
                let mut all = Vec::new();
                for c in &map.emotion.curves {
                    all.extend(keyed(&have, c.points.iter().map(|p| p.id.0), |i, k| {
                        records::point(c.id, &c.points[i], k)
                    }));
                }
                all
            }
            Kind::Link => keyed(&have, map.links.iter().map(|l| l.id.0), |i, k| {
                records::link(&map.links[i], k)
            }),
        };
        let wanted: BTreeSet<u64> = want.iter().map(|(id, _)| *id).collect();
        for (id, f) in &want {
            match (maps.get(id), have.get(id)) {
                (Some(m), Some(old)) => write(m, old, f)?,
                _ => write(
                    &root.ensure_mergeable_map(&id.to_string())?,
                    &Fields::new(),
                    f,
                )?,
            };
        }
        for (id, f) in &have {
            if !wanted.contains(id)
                && let Some(m) = maps.get(id)
            {
                mark_deleted(m, f)?;
            }
        }
        Ok(())
    }
}

/// Records for a listed kind in the map's order, each with an order key: the key it has if
/// that keeps the order, else a new one between its neighbours.
fn keyed(
    have: &std::collections::BTreeMap<u64, Fields>,
    ids: impl Iterator<Item = u64>,
    fields: impl Fn(usize, &str) -> Fields,
) -> Vec<(u64, Fields)> {
    let ids: Vec<u64> = ids.collect();
    let old: Vec<Option<String>> = ids
        .iter()
        .map(|id| {
            have.get(id)
                .filter(|f| !schema::is_deleted(f))
                .map(|f| records::key_of(f).to_string())
                .filter(|k| order::is_valid(k))
        })
        .collect();
    let mut keys: Vec<String> = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        let prev = keys.last().map(|k| (k.as_str(), ids[i - 1]));
        let fits = |k: &str| prev.is_none_or(|p| order::cmp(p, (k, *id)).is_lt());
        let key = match &old[i] {
            Some(k) if fits(k) => k.clone(),
            _ => {
                let hi = old[i + 1..]
                    .iter()
                    .flatten()
                    .find(|k| prev.is_none_or(|p| p.0 < k.as_str()))
                    .map(String::as_str);
                order::between(prev.map(|p| p.0), hi)
            }
        };
        keys.push(key);
    }
    ids.iter()
        .zip(&keys)
        .enumerate()
        .map(|(i, (id, k))| (*id, fields(i, k)))
        .collect()
}

/// What an op (as applied) touched, for writing it into the shared document.
fn touches(
    op: &Op,
    meta: &mut bool,
    kinds: &mut u8,
    all_cards: &mut bool,
    cards: &mut BTreeSet<u64>,
) {
    let links = Kind::Link.bit();
    match op {
        Op::SetMap(_) => *meta = true,
        Op::InsertPersona { .. } | Op::SetPersona(..) => *kinds |= Kind::Persona.bit(),
        // Cards and curves that named it stop naming it.
        Op::RemovePersona(_) => *all_cards = true,
        Op::SetStage(..) => *kinds |= Kind::Stage.bit(),
        Op::SetLane(..) => *kinds |= Kind::Lane.bit(),
        Op::InsertStage(_) | Op::RemoveStage(_) | Op::InsertLane(_) | Op::RemoveLane(_) => {
            *all_cards = true;
        }
        Op::InsertCards(cs) => {
            cards.extend(cs.iter().map(|c| c.id.0));
            *kinds |= links;
        }
        Op::RemoveCards(ids) => {
            cards.extend(ids.iter().map(|c| c.0));
            *kinds |= links;
        }
        Op::SetCard(id, _) => {
            cards.insert(id.0);
        }
        Op::PlaceCards(ps) => cards.extend(ps.iter().map(|(id, _)| id.0)),
        Op::InsertPoint { .. } | Op::RemovePoints(_) | Op::SetPoint { .. } => {
            *kinds |= Kind::Point.bit();
        }
        Op::InsertCurve { .. } | Op::RemoveCurve(_) | Op::SetCurve(..) => {
            *kinds |= Kind::Curve.bit() | Kind::Point.bit();
        }
        Op::InsertLinks { .. } | Op::RemoveLinks(_) | Op::SetLink(..) => *kinds |= links,
    }
}

/// Notes which records an imported change reached, from the path of its event.
fn note_change(c: &mut Changes, d: &loro::event::ContainerDiff<'_>) {
    let root = match d.path.first() {
        Some((loro::ContainerID::Root { name, .. }, _)) => name.to_string(),
        _ => match d.target {
            loro::ContainerID::Root { name, .. } => name.to_string(),
            loro::ContainerID::Normal { .. } => return,
        },
    };
    if root == META {
        c.meta = true;
        return;
    }
    let Some(kind) = Kind::of_root(&root) else {
        note_session_change(c, &root, d);
        return;
    };
    if kind != Kind::Card {
        c.frame = true;
        return;
    }
    // A change inside a card's record: the path's second step is the card's key. A change
    // of the root map itself (a record made): the keys it updated.
    if let Some((_, loro::Index::Key(k))) = d.path.get(1) {
        if let Ok(id) = k.parse() {
            c.cards.insert(id);
        }
    } else if let loro::event::Diff::Map(m) = &d.diff {
        c.cards
            .extend(m.updated.keys().filter_map(|k| k.parse::<u64>().ok()));
    }
}

/// A change to the session's own state: a private round opened or revealed shows or hides
/// cards everywhere; a card marked private or given its author shows or hides that card.
fn note_session_change(c: &mut Changes, root: &str, d: &loro::event::ContainerDiff<'_>) {
    let keys = || match &d.diff {
        loro::event::Diff::Map(m) => m.updated.keys().map(ToString::to_string).collect(),
        _ => Vec::new(),
    };
    match root {
        session::WORKSHOP if keys().iter().any(|k| k == session::BRAINSTORM) => c.full = true,
        session::PRIVATE | session::AUTHORS => {
            c.cards
                .extend(keys().iter().filter_map(|k| k.parse::<u64>().ok()));
        }
        _ => {}
    }
    c.other.insert(root.to_string());
}

#[cfg(test)]
mod tests;
