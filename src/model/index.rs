//! [`CardIndex`]: where each card stands in `Document::cards`, so that finding a card by id is
//! a hash lookup, not a scan. It is a cache beside the data: never saved, never compared, empty
//! in a copy, and checked on every use (the card found must have the id asked for).
//!
//! Each entry remembers a card's last known position *and* its place (stage, lane, key). While
//! nothing moved, the position answers in O(1); after cards were inserted or removed before
//! it, the place finds it again by binary search in the canonical order, O(log n) — so the
//! edit core, which notes the cards it inserts, moves and removes, never rebuilds the index.
//!
//! It also knows when it holds exactly the ids of `cards` (after a rebuild, kept by the notes
//! of the edit core): then an id it does not hold is absent, found so in O(1) — which is what
//! minting a fresh id and checking that an inserted card is new ask. Code that adds or removes
//! cards directly needs to do nothing (the count no longer matches, and the index rebuilds
//! once, O(n)); code that changes a card's id in place, or replaces a card by another, goes
//! through [`Document::card_at_mut`] or calls [`CardIndex::invalidate`].

use std::sync::{Arc, Mutex};

use super::normalize::CardOrder;
use super::order::IdMap;
use super::{Card, CardId, Document};

/// A card's last known position, and the card as it was then (its place: a shared pointer,
/// so noting a card costs no copy).
struct Entry {
    at: usize,
    card: Arc<Card>,
}

impl Entry {
    fn of(card: &Arc<Card>, at: usize) -> Self {
        Self {
            at,
            card: Arc::clone(card),
        }
    }
}

/// Positions of cards by id (see the module).
#[derive(Default)]
pub struct CardIndex(Mutex<Inner>);

#[derive(Default)]
struct Inner {
    map: IdMap<CardId, Entry>,
    /// `Some(n)`: `map` holds exactly the ids of `cards`, which has n cards.
    complete: Option<usize>,
    rebuilds: u64,
}

impl Inner {
    fn rebuild(&mut self, cards: &[Arc<Card>]) {
        self.map.clear();
        self.map.extend(
            cards
                .iter()
                .enumerate()
                .map(|(i, c)| (c.id, Entry::of(c, i))),
        );
        self.complete = Some(cards.len());
        self.rebuilds += 1;
    }

    /// Whether an id the map lacks is surely absent from `cards`.
    fn knows_all(&self, cards: &[Arc<Card>]) -> bool {
        self.complete == Some(cards.len()) && self.map.len() == cards.len()
    }
}

impl CardIndex {
    /// The position of the card with `id` in `doc.cards`.
    pub fn find(&self, doc: &Document, id: CardId) -> Option<usize> {
        let Ok(mut map) = self.0.lock() else {
            return doc.cards.iter().position(|c| c.id == id);
        };
        let mut order = None;
        match locate(&mut map, doc, &mut order, id) {
            Found::At(i) => Some(i),
            Found::Absent => None,
            Found::Unknown => {
                map.rebuild(&doc.cards);
                map.map.get(&id).map(|e| e.at)
            }
        }
    }

    /// The positions of the cards with `ids` (none for those `doc` lacks): O(k) while nothing
    /// moved, O(k log n) after inserts or removals, one rebuild at most.
    pub fn find_many(&self, doc: &Document, ids: &[CardId]) -> Vec<Option<usize>> {
        let Ok(mut map) = self.0.lock() else {
            return ids
                .iter()
                .map(|id| doc.cards.iter().position(|c| c.id == *id))
                .collect();
        };
        let mut order = None;
        let mut out: Vec<Option<usize>> = Vec::with_capacity(ids.len());
        let mut unknown = Vec::new();
        for (k, id) in ids.iter().enumerate() {
            match locate(&mut map, doc, &mut order, *id) {
                Found::At(i) => out.push(Some(i)),
                Found::Absent => out.push(None),
                Found::Unknown => {
                    out.push(None);
                    unknown.push(k);
                }
            }
        }
        if !unknown.is_empty() {
            map.rebuild(&doc.cards);
            for k in unknown {
                out[k] = map.map.get(&ids[k]).map(|e| e.at);
            }
        }
        out
    }

    /// Notes that `card` now stands at `at` (an edit put it there: new, or moved).
    pub fn placed(&self, card: &Arc<Card>, at: usize) {
        if let Ok(mut inner) = self.0.lock() {
            let new = inner.map.insert(card.id, Entry::of(card, at)).is_none();
            if new {
                inner.complete = inner.complete.map(|n| n + 1);
            }
        }
    }

    /// Forgets cards an edit removed.
    pub fn forget(&self, ids: impl Iterator<Item = CardId>) {
        if let Ok(mut inner) = self.0.lock() {
            for id in ids {
                if inner.map.remove(&id).is_some() {
                    inner.complete = inner.complete.map(|n| n.saturating_sub(1));
                }
            }
        }
    }

    /// Says that `cards` was changed in a way the index cannot see (an id changed in place,
    /// a card replaced by another): the next lookup of an id it lacks rebuilds it.
    pub fn invalidate(&self) {
        if let Ok(mut inner) = self.0.lock() {
            inner.complete = None;
        }
    }

    /// Forgets everything (an edit changed so much of `cards` that noting each card would cost
    /// more than a rebuild at the next lookup).
    pub fn reset(&self) {
        if let Ok(mut inner) = self.0.lock() {
            inner.map.clear();
            inner.complete = None;
        }
    }

    /// How many times the index was rebuilt (for tests and benchmarks).
    #[must_use]
    pub fn rebuilds(&self) -> u64 {
        self.0.lock().map_or(0, |inner| inner.rebuilds)
    }
}

enum Found {
    At(usize),
    /// Not in `cards`.
    Absent,
    /// Not in the index, or not where its place says: rebuild.
    Unknown,
}

fn locate(inner: &mut Inner, doc: &Document, order: &mut Option<CardOrder>, id: CardId) -> Found {
    let knows_all = inner.knows_all(&doc.cards);
    let Some(e) = inner.map.get_mut(&id) else {
        return if knows_all {
            Found::Absent
        } else {
            Found::Unknown
        };
    };
    if doc.cards.get(e.at).is_some_and(|c| c.id == id) {
        return Found::At(e.at);
    }
    // Cards before it came or went: its place finds it.
    let o = order.get_or_insert_with(|| CardOrder::of(doc));
    let key = (
        o.cell_rank(e.card.stage, e.card.lane),
        e.card.pos.as_str(),
        id.0,
    );
    let i = doc.cards.partition_point(|c| {
        let (s, l, p, cid) = o.key(c);
        ((s, l), p, cid) < key
    });
    if doc.cards.get(i).is_some_and(|c| c.id == id) {
        e.at = i;
        Found::At(i)
    } else {
        Found::Unknown
    }
}

impl Clone for CardIndex {
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl PartialEq for CardIndex {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for CardIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CardIndex")
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    /// The index follows changes made to `cards` behind its back (it checks what it finds).
    #[test]
    fn a_stale_index_is_noticed() {
        let mut doc = crate::model::sample_map();
        let ids: Vec<_> = doc.cards.iter().map(|c| c.id).collect();
        assert_eq!(doc.card_position(ids[5]), Some(5));
        doc.cards.remove(0);
        assert_eq!(doc.card_position(ids[5]), Some(4));
        assert_eq!(doc.card_position(ids[0]), None);
        let mut c = crate::model::Card::clone(&doc.cards[3]);
        c.id = crate::model::CardId(doc.unused_id());
        let new = c.id;
        doc.cards.insert(0, Arc::new(c));
        assert_eq!(doc.card(ids[4]).map(|c| c.id), Some(ids[4]));
        assert_eq!(doc.card_position(ids[4]), Some(4));
        assert_eq!(doc.card_position(new), Some(0));
        // A copy starts with an empty index and finds the same.
        let copy = doc.clone();
        assert_eq!(copy.card_position(ids[7]), doc.card_position(ids[7]));
        // An id changed in place (through `card_at_mut`) is found under its new id.
        let old = doc.cards[2].id;
        assert_eq!(doc.card_position(old), Some(2));
        doc.card_at_mut(2).id = crate::model::CardId(doc.unused_id());
        let renamed = doc.cards[2].id;
        assert_eq!(doc.card_position(renamed), Some(2));
        assert_eq!(doc.card_position(old), None);
    }

    /// The edit core tells the index what it inserts, moves and removes: after bulk deletes,
    /// moves, inserts, undo and redo every card is found where it stands and every removed
    /// one is absent, and the index was never rebuilt (each lookup O(1) or O(log n)).
    #[test]
    fn edits_keep_the_index_without_rebuilding_it() {
        use crate::edit::{Command, Editor};
        use crate::model::{Card, CardId};
        let mut ed = Editor::with_seed(crate::model::synthetic_map(8, 1_500, 3), 9);
        let check = |ed: &Editor, gone: &[CardId]| {
            let doc = ed.doc();
            for (i, c) in doc.cards.iter().enumerate() {
                assert_eq!(doc.card_position(c.id), Some(i));
            }
            for id in gone {
                assert_eq!(doc.card_position(*id), None);
            }
        };
        check(&ed, &[]);
        let rebuilds = ed.doc().card_index.rebuilds();
        let mut gone = Vec::new();
        for round in 0..6_usize {
            let ids: Vec<CardId> = ed.doc().cards.iter().map(|c| c.id).collect();
            let del: Vec<CardId> = ids.iter().copied().skip(round).step_by(37).collect();
            ed.apply(&Command::DeleteCards(del.clone())).unwrap();
            check(&ed, &del);
            gone.extend(del);
            let doc = ed.doc();
            let some: Vec<CardId> = doc
                .cards
                .iter()
                .skip(round * 3)
                .step_by(23)
                .map(|c| c.id)
                .collect();
            let (stage, lane) = (doc.stages[round % 8].id, doc.cards[0].lane);
            ed.apply(&Command::MoveCards {
                ids: some,
                stage,
                lane,
                index: round,
            })
            .unwrap();
            check(&ed, &gone);
            let card = Card::new(CardId(0), stage, lane, format!("new {round}"));
            ed.apply(&Command::AddCards {
                cards: vec![card],
                index: 1,
            })
            .unwrap();
            check(&ed, &gone);
            ed.undo();
            check(&ed, &gone);
            ed.redo();
            check(&ed, &gone);
        }
        // Undo every step: the deleted cards come back, found where they stand.
        while ed.undo().is_some() {}
        check(&ed, &[]);
        assert_eq!(ed.doc().cards.len(), 1_500);
        assert_eq!(ed.doc().card_index.rebuilds(), rebuilds);
    }
}
