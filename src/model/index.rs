//! [`CardIndex`]: where each card stands in `Document::cards`, so that finding a card by id is
//! a hash lookup, not a scan. It is a cache beside the data: never saved, never compared, empty
//! in a copy, and checked on every use (the card found at the remembered place must have the
//! id asked for), so a stale entry is noticed and the index rebuilt — code that changes
//! `cards` directly needs to do nothing about it.

use std::sync::{Arc, Mutex};

use super::order::IdMap;
use super::{Card, CardId};

/// Positions of cards by id (see the module).
#[derive(Default)]
pub struct CardIndex(Mutex<IdMap<CardId, usize>>);

impl CardIndex {
    /// The position of the card with `id` in `cards`: O(1) while `cards` keeps its order, one
    /// rebuild (O(n)) after it changed.
    pub fn find(&self, cards: &[Arc<Card>], id: CardId) -> Option<usize> {
        let Ok(mut map) = self.0.lock() else {
            return cards.iter().position(|c| c.id == id);
        };
        if let Some(&i) = map.get(&id)
            && cards.get(i).is_some_and(|c| c.id == id)
        {
            return Some(i);
        }
        map.clear();
        map.extend(cards.iter().enumerate().map(|(i, c)| (c.id, i)));
        map.get(&id).copied()
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
    }
}
