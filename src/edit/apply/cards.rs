//! Applying ops to cards: insert, remove, move (place) and set a field, keeping `cards` in
//! its canonical order.
//!
//! Costs for k cards of n: the cards are found through the card index (O(1) each, O(log n)
//! after other cards moved), new places by binary search (O(log n) each), and the list is
//! changed in one pass that moves the pointers after the first changed position (a memory
//! move: no card is read or compared there). Removing a stage or lane finds its cards by a
//! pass over all of them.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::super::EditError;
use super::super::op::{Applied, CardField, Op, Place};
use super::{Mint, check_card, check_cell, key, missing, not_allowed};
use crate::model::{Card, CardId, CardOrder, Document, LaneId, Link, StageId, limits, order};

/// Removes the cards for which `f` holds and the links that join them; the inverse puts both
/// back. Returns how many cards went.
pub(super) fn remove_cards_where(
    doc: &mut Document,
    f: impl Fn(&Card) -> bool,
    out: &mut Applied,
) -> usize {
    let mut gone = Vec::new();
    doc.cards.retain(|c| {
        if f(c) {
            out.touched.cells.insert((c.stage, c.lane));
            gone.push(c.clone());
            false
        } else {
            true
        }
    });
    let n = gone.len();
    if n > 0 {
        doc.card_index.forget(gone.iter().map(|c| c.id));
        let ids: HashSet<CardId> = gone.iter().map(|c| c.id).collect();
        out.inverse.push(Op::InsertCards(gone));
        remove_links_where(doc, |l| ids.contains(&l.from) || ids.contains(&l.to), out);
    }
    n
}

/// Removes the cards with `ids` that the map has, and the links that join them; the inverse
/// puts both back. O(k log n) to find them (see the module).
pub(super) fn remove_cards(doc: &mut Document, ids: &[CardId], out: &mut Applied) -> usize {
    let mut at: Vec<usize> = doc
        .card_index
        .find_many(doc, ids)
        .into_iter()
        .flatten()
        .collect();
    if at.is_empty() {
        return 0;
    }
    at.sort_unstable();
    at.dedup();
    let gone = take_at(&mut doc.cards, &at);
    if much(gone.len(), doc.cards.len()) {
        doc.card_index.reset();
    } else {
        doc.card_index.forget(gone.iter().map(|c| c.id));
    }
    for c in &gone {
        out.touched.cells.insert((c.stage, c.lane));
    }
    let n = gone.len();
    let links = !doc.links.is_empty();
    let ids: HashSet<CardId> = if links {
        gone.iter().map(|c| c.id).collect()
    } else {
        HashSet::new()
    };
    out.inverse.push(Op::InsertCards(gone));
    if links {
        remove_links_where(doc, |l| ids.contains(&l.from) || ids.contains(&l.to), out);
    }
    n
}

/// Whether changing `k` cards of a list that keeps `rest` others is better told to the card
/// index by a reset (a rebuild at the next lookup, O(n)) than card by card.
fn much(k: usize, rest: usize) -> bool {
    k > 64 && k >= rest
}

/// Takes the items at the ascending positions `at` out of `v`, in order; the rest keep theirs.
/// Items before the first position stay where they are; the runs between positions are moved
/// as blocks.
fn take_at<T>(v: &mut Vec<T>, at: &[usize]) -> Vec<T> {
    let Some(&first) = at.first() else {
        return Vec::new();
    };
    let mut rest = v.split_off(first.min(v.len())).into_iter();
    let mut gone = Vec::with_capacity(at.len());
    let mut done = first;
    for &p in at {
        v.extend(rest.by_ref().take(p.saturating_sub(done)));
        gone.extend(rest.next());
        done = p + 1;
    }
    v.extend(rest);
    gone
}

pub(super) fn remove_links_where(doc: &mut Document, f: impl Fn(&Link) -> bool, out: &mut Applied) {
    let mut links = Vec::new();
    let mut at = Vec::new();
    let mut i = 0;
    doc.links.retain(|l| {
        let gone = f(l);
        if gone {
            links.push(l.clone());
            at.push(i);
        }
        i += 1;
        !gone
    });
    if !links.is_empty() {
        out.inverse.push(Op::InsertLinks { links, at });
        out.touched.links = true;
    }
}

pub(super) fn insert_cards(
    doc: &mut Document,
    cards: Vec<Arc<Card>>,
    mint: &mut Mint,
    out: &mut Applied,
) -> Result<(), EditError> {
    if doc.cards.len() + cards.len() > limits::MAX_CARDS {
        return not_allowed(format!("a map has at most {} cards", limits::MAX_CARDS));
    }
    // Through the card index: O(1) an id (after at most one rebuild, for all of them).
    let given: Vec<CardId> = cards.iter().map(|c| c.id).filter(|id| id.0 != 0).collect();
    if let Some(k) = doc
        .card_index
        .find_many(doc, &given)
        .iter()
        .position(Option::is_some)
    {
        return not_allowed(format!("card {} exists already", given[k].0));
    }
    let exists = |id: CardId| doc.card_position(id).is_some();
    let mut seen = HashSet::new();
    // Several cards: those whose cell is gone (someone deleted the stage) are left out.
    let several = cards.len() > 1;
    let mut first_error = None;
    // Each cell is checked once (finding a stage is a scan of the stages).
    let mut cells: HashMap<(StageId, LaneId), bool> = HashMap::new();
    let cards: Vec<Arc<Card>> = cards
        .into_iter()
        .filter(|c| {
            *cells.entry((c.stage, c.lane)).or_insert_with(|| {
                match check_cell(doc, c.stage, c.lane) {
                    Ok(()) => true,
                    Err(e) => {
                        first_error.get_or_insert(e);
                        false
                    }
                }
            })
        })
        .collect();
    if let Some(e) = first_error
        && (!several || cards.is_empty())
    {
        return Err(e);
    }
    for c in &cards {
        check_card(c)?;
        if c.id.0 != 0 && !seen.insert(c.id) {
            return not_allowed(format!("card {} exists already", c.id.0));
        }
    }
    // Cards without a key go after the last of their cell, in the order given.
    let mut last: HashMap<(StageId, LaneId), String> = HashMap::new();
    let mut ids = Vec::with_capacity(cards.len());
    let mut new = Vec::with_capacity(cards.len());
    for mut c in cards {
        // A persona deleted meanwhile (by someone else) is no longer named, as its removal
        // took it off every card that was there.
        if c.personas.iter().any(|p| doc.persona(*p).is_none()) {
            let personas: Vec<_> = c
                .personas
                .iter()
                .copied()
                .filter(|p| doc.persona(*p).is_some())
                .collect();
            Arc::make_mut(&mut c).personas = personas;
        }
        if c.id.0 == 0 || c.pos.is_empty() {
            let card = Arc::make_mut(&mut c);
            if card.id.0 == 0 {
                card.id.0 = mint.fresh(|id| exists(CardId(id)) || seen.contains(&CardId(id)));
                seen.insert(card.id);
                out.new_ids.push(card.id.0);
            }
            if card.pos.is_empty() {
                let cell = (card.stage, card.lane);
                // The cell's cards stand in key order: its last has the greatest key.
                let after = last.entry(cell).or_insert_with(|| {
                    doc.cell_slice(cell.0, cell.1)
                        .last()
                        .map(|c| c.pos.clone())
                        .unwrap_or_default()
                });
                let k = order::between((!after.is_empty()).then_some(after.as_str()), None);
                after.clone_from(&k);
                card.pos = k;
            }
        }
        out.touched.cells.insert((c.stage, c.lane));
        ids.push(c.id);
        new.push(c);
    }
    out.done = vec![Op::InsertCards(new.clone())];
    merge_cards(doc, new);
    out.inverse.push(Op::RemoveCards(ids));
    Ok(())
}

/// Adds cards to the canonically ordered list: each place found by binary search
/// (O(k log n)), then one pass that moves the pointers after the first new card.
pub(super) fn merge_cards(doc: &mut Document, mut new: Vec<Arc<Card>>) {
    let rank = CardOrder::of(doc);
    if let [c] = &new[..] {
        let i = doc.cards.partition_point(|x| rank.cmp(x, c).is_lt());
        doc.cards.insert(i, Arc::clone(c));
        doc.card_index.placed(c, i);
        return;
    }
    new.sort_by(|a, b| rank.cmp(a, b));
    let at: Vec<usize> = new
        .iter()
        .map(|c| doc.cards.partition_point(|x| rank.cmp(x, c).is_lt()))
        .collect();
    let Some(&first) = at.first() else {
        return;
    };
    let note = !much(new.len(), doc.cards.len());
    if !note {
        doc.card_index.reset();
    }
    let mut rest = doc.cards.split_off(first).into_iter();
    let mut done = first;
    doc.cards.reserve(rest.len() + new.len());
    for (c, i) in new.into_iter().zip(at) {
        doc.cards.extend(rest.by_ref().take(i - done));
        done = i;
        if note {
            doc.card_index.placed(&c, doc.cards.len());
        }
        doc.cards.push(c);
    }
    doc.cards.extend(rest);
}

pub(super) fn set_card(
    doc: &mut Document,
    id: CardId,
    f: CardField,
    out: &mut Applied,
) -> Result<(), EditError> {
    let Some(i) = doc.card_position(id) else {
        return missing("card", id.0);
    };
    if let CardField::Personas(ps) = &f
        && let Some(p) = ps.iter().find(|p| doc.persona(**p).is_none())
    {
        return missing("persona", p.0);
    }
    let mut card = Card::clone(&doc.cards[i]);
    let old = set_field(&mut card, f);
    check_card(&card)?;
    out.touched.cells.insert((card.stage, card.lane));
    doc.cards[i] = Arc::new(card);
    doc.card_index.placed(&doc.cards[i], i);
    out.inverse.push(Op::SetCard(id, old));
    Ok(())
}

/// Sets one field of a card; returns the field with its old value.
pub(in crate::edit) fn set_field(card: &mut Card, f: CardField) -> CardField {
    match f {
        CardField::Text(t) => CardField::Text(std::mem::replace(&mut card.text, t)),
        CardField::Channel(c) => CardField::Channel(std::mem::replace(&mut card.channel, c)),
        CardField::ChannelName(t) => {
            CardField::ChannelName(std::mem::replace(&mut card.channel_name, t))
        }
        CardField::Owner(t) => CardField::Owner(std::mem::replace(&mut card.owner, t)),
        CardField::Note(t) => CardField::Note(std::mem::replace(&mut card.note, t)),
        CardField::MomentOfTruth(b) => {
            CardField::MomentOfTruth(std::mem::replace(&mut card.moment_of_truth, b))
        }
        CardField::Severity(v) => CardField::Severity(std::mem::replace(&mut card.severity, v)),
        CardField::Priority(v) => CardField::Priority(std::mem::replace(&mut card.priority, v)),
        CardField::Evidence(e) => CardField::Evidence(std::mem::replace(&mut card.evidence, e)),
        CardField::Metrics(m) => CardField::Metrics(std::mem::replace(&mut card.metrics, m)),
        CardField::Personas(p) => CardField::Personas(std::mem::replace(&mut card.personas, p)),
        CardField::MapLinks(l) => CardField::MapLinks(std::mem::replace(&mut card.map_links, l)),
    }
}

pub(super) fn place_cards(
    doc: &mut Document,
    places: Vec<(CardId, Place)>,
    out: &mut Applied,
) -> Result<(), EditError> {
    // Several: moves to a cell that is gone, or of cards that are gone, are left out.
    let several = places.len() > 1;
    let mut to: HashMap<CardId, Place> = HashMap::with_capacity(places.len());
    for (id, p) in places {
        key("a card's place", &p.pos)?;
        match check_cell(doc, p.stage, p.lane) {
            Ok(()) => {
                to.insert(id, p);
            }
            Err(e) if !several => return Err(e),
            Err(_) => {}
        }
    }
    let mut old = Vec::with_capacity(to.len());
    let ids: Vec<CardId> = to.keys().copied().collect();
    let mut at: Vec<usize> = doc
        .card_index
        .find_many(doc, &ids)
        .into_iter()
        .flatten()
        .collect();
    at.sort_unstable();
    at.dedup();
    let mut moving = take_at(&mut doc.cards, &at);
    if moving.is_empty() {
        return match to.keys().next() {
            Some(id) if !several => missing("card", id.0),
            _ => Ok(()),
        };
    }
    // Keys left empty go after the target cell's last card, in the order given.
    let mut last: HashMap<(StageId, LaneId), String> = HashMap::new();
    for c in &mut moving {
        let p = &to[&c.id];
        old.push((
            c.id,
            Place {
                stage: c.stage,
                lane: c.lane,
                pos: c.pos.clone(),
            },
        ));
        out.touched.cells.insert((c.stage, c.lane));
        out.touched.cells.insert((p.stage, p.lane));
        let pos = if p.pos.is_empty() {
            let after = last.entry((p.stage, p.lane)).or_insert_with(|| {
                doc.cell_slice(p.stage, p.lane)
                    .last()
                    .map(|c| c.pos.clone())
                    .unwrap_or_default()
            });
            let k = order::between((!after.is_empty()).then_some(after.as_str()), None);
            after.clone_from(&k);
            k
        } else {
            p.pos.clone()
        };
        let card = Arc::make_mut(c);
        card.stage = p.stage;
        card.lane = p.lane;
        card.pos = pos;
    }
    out.done = vec![Op::PlaceCards(
        moving
            .iter()
            .map(|c| {
                (
                    c.id,
                    Place {
                        stage: c.stage,
                        lane: c.lane,
                        pos: c.pos.clone(),
                    },
                )
            })
            .collect(),
    )];
    merge_cards(doc, moving);
    out.inverse.push(Op::PlaceCards(old));
    Ok(())
}
