//! Dot voting in a live workshop: the facilitator opens a round (so many dots per person, on
//! chosen lanes), everyone — laptops and phones — puts dots on cards, the counts show on every
//! screen, and closing the round writes each card's count into the map as its "Dot votes"
//! metric (saved with the map; "colour by" that metric shows it in the editor and in exports).
//!
//! The round and the dots live in the session's shared document, not in the map: the round
//! in the `workshop` map (`vote`, JSON), each person's dots on each card under their own key
//! in the `votes` map (`ROUND/VOTER/CARD` → count), so two people voting at once never
//! overwrite each other.

use std::collections::BTreeMap;

use loro::{LoroDoc, LoroValue, ValueOrContainer};
use serde::{Deserialize, Serialize};

use crate::edit::{CardField, Op};
use crate::model::{CardId, Document, Metric};

/// The map of everyone's dots.
pub const VOTES: &str = "votes";
/// The round's key in the `workshop` map.
const ROUND: &str = "vote";
/// The metric closing a round writes.
pub const METRIC: &str = "Dot votes";

/// An open round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    /// Tells this round's dots from an earlier one's.
    pub id: u64,
    /// Dots each person has.
    pub dots: u32,
    /// The lanes whose cards take dots (empty: every lane).
    pub lanes: Vec<u64>,
}

/// The open round, if any.
#[must_use]
pub fn round(doc: &LoroDoc) -> Option<Round> {
    match doc.get_map(super::live::WORKSHOP).get(ROUND) {
        Some(ValueOrContainer::Value(LoroValue::String(s))) => serde_json::from_str(&s).ok(),
        _ => None,
    }
}

/// Opens a round (and commits).
///
/// # Errors
/// Loro's.
pub fn open(doc: &LoroDoc, dots: u32, lanes: Vec<u64>) -> Result<(), loro::LoroError> {
    let r = Round {
        id: super::new_peer(),
        dots: dots.clamp(1, 20),
        lanes,
    };
    doc.get_map(super::live::WORKSHOP)
        .insert(ROUND, serde_json::to_string(&r).unwrap_or_default())?;
    doc.commit();
    Ok(())
}

/// Closes the round (and commits); its dots stay in the history, unread.
///
/// # Errors
/// Loro's.
pub fn close(doc: &LoroDoc) -> Result<(), loro::LoroError> {
    doc.get_map(super::live::WORKSHOP).delete(ROUND)?;
    doc.commit();
    Ok(())
}

/// Each card's dots in a round, and each voter's dots on each card.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Dots per card.
    pub cards: BTreeMap<u64, u32>,
    /// Dots per voter per card.
    pub by_voter: BTreeMap<String, BTreeMap<u64, u32>>,
}

impl Tally {
    /// Dots `voter` has used.
    #[must_use]
    pub fn used(&self, voter: &str) -> u32 {
        self.by_voter.get(voter).map_or(0, |m| m.values().sum())
    }

    /// `voter`'s dots on `card`.
    #[must_use]
    pub fn mine(&self, voter: &str, card: u64) -> u32 {
        self.by_voter
            .get(voter)
            .and_then(|m| m.get(&card))
            .copied()
            .unwrap_or(0)
    }

    /// Cards by dots, most first (ties by id).
    #[must_use]
    pub fn ranked(&self) -> Vec<(u64, u32)> {
        let mut v: Vec<(u64, u32)> = self
            .cards
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(c, n)| (*c, *n))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }
}

/// The dots of a round.
#[must_use]
pub fn tally(doc: &LoroDoc, round: &Round) -> Tally {
    let mut t = Tally::default();
    let prefix = format!("{}/", round.id);
    doc.get_map(VOTES).for_each(|k, v| {
        let Some(rest) = k.strip_prefix(&prefix) else {
            return;
        };
        let (Some((voter, card)), ValueOrContainer::Value(LoroValue::I64(n))) =
            (rest.rsplit_once('/'), v)
        else {
            return;
        };
        let (Ok(card), Ok(n)) = (card.parse::<u64>(), u32::try_from(n)) else {
            return;
        };
        if n == 0 {
            return;
        }
        *t.cards.entry(card).or_default() += n;
        t.by_voter
            .entry(voter.to_string())
            .or_default()
            .insert(card, n);
    });
    t
}

/// Puts a dot on a card (`add`) or takes one back, for `voter`, within the round's rules;
/// commits.
///
/// # Errors
/// A sentence for the voter (no round, a card not in the round's lanes, no dots left, none to
/// take back), or Loro's.
pub fn cast(
    doc: &LoroDoc,
    map: &Document,
    voter: &str,
    card: u64,
    add: bool,
) -> Result<(), String> {
    let round = round(doc).ok_or("no dot voting round is open")?;
    let c = map
        .card(CardId(card))
        .ok_or_else(|| format!("there is no card {card}"))?;
    if !round.lanes.is_empty() && !round.lanes.contains(&c.lane.0) {
        return Err("this round's dots go on cards of other lanes".into());
    }
    let t = tally(doc, &round);
    let mine = t.mine(voter, card);
    let n = if add {
        if t.used(voter) >= round.dots {
            return Err(format!("all your {} dots are used", round.dots));
        }
        mine + 1
    } else {
        mine.checked_sub(1)
            .ok_or("you have no dot on this card to take back")?
    };
    doc.get_map(VOTES)
        .insert(&format!("{}/{voter}/{card}", round.id), i64::from(n))
        .map_err(|e| e.to_string())?;
    doc.commit();
    Ok(())
}

/// The ops that write a round's counts into the map: each card's "Dot votes" metric (set on
/// cards with dots, taken off cards that had it from an earlier round and have none now).
#[must_use]
pub fn metric_ops(map: &Document, tally: &Tally) -> Vec<Op> {
    let mut ops = Vec::new();
    for c in &map.cards {
        let n = tally.cards.get(&c.id.0).copied().unwrap_or(0);
        let mut metrics: Vec<Metric> = c
            .metrics
            .iter()
            .filter(|m| m.name != METRIC)
            .cloned()
            .collect();
        if n > 0 {
            metrics.push(Metric {
                name: METRIC.into(),
                value: f64::from(n),
                ..Default::default()
            });
        }
        if metrics != c.metrics {
            ops.push(Op::SetCard(c.id, CardField::Metrics(metrics)));
        }
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sample_map;

    #[test]
    fn dots_follow_the_rounds_rules_and_merge() {
        let map = sample_map();
        let a = LoroDoc::new();
        a.set_peer_id(1).unwrap();
        let lane = map.lanes.iter().find(|l| l.kind.holds_cards()).unwrap().id;
        let in_lane: Vec<u64> = map
            .cards
            .iter()
            .filter(|c| c.lane == lane)
            .map(|c| c.id.0)
            .collect();
        let other = map.cards.iter().find(|c| c.lane != lane).unwrap().id.0;
        assert!(
            cast(&a, &map, "ann", in_lane[0], true).is_err(),
            "no round yet"
        );
        open(&a, 2, vec![lane.0]).unwrap();
        let b = LoroDoc::new();
        b.set_peer_id(2).unwrap();
        b.import(&a.export(loro::ExportMode::Snapshot).unwrap())
            .unwrap();
        cast(&a, &map, "ann", in_lane[0], true).unwrap();
        cast(&a, &map, "ann", in_lane[0], true).unwrap();
        let e = cast(&a, &map, "ann", in_lane[1], true).unwrap_err();
        assert!(e.contains("all your 2 dots"), "{e}");
        let e = cast(&b, &map, "bo", other, true).unwrap_err();
        assert!(e.contains("other lanes"), "{e}");
        cast(&b, &map, "bo", in_lane[0], true).unwrap();
        cast(&b, &map, "bo", in_lane[1], true).unwrap();
        // Both replicas hear each other: three dots on the first card, one on the second.
        a.import(&b.export(loro::ExportMode::all_updates()).unwrap())
            .unwrap();
        b.import(&a.export(loro::ExportMode::all_updates()).unwrap())
            .unwrap();
        let r = round(&a).unwrap();
        let (ta, tb) = (tally(&a, &r), tally(&b, &r));
        assert_eq!(ta, tb);
        assert_eq!(ta.ranked(), vec![(in_lane[0], 3), (in_lane[1], 1)]);
        // Taking one back frees a dot.
        cast(&a, &map, "ann", in_lane[0], false).unwrap();
        cast(&a, &map, "ann", in_lane[1], true).unwrap();
        assert!(cast(&a, &map, "ann", in_lane[2], false).is_err());
        // Closing writes the counts as a metric, and a new round starts from nothing.
        let t = tally(&a, &round(&a).unwrap());
        let ops = metric_ops(&map, &t);
        assert_eq!(ops.len(), 2);
        close(&a).unwrap();
        assert!(round(&a).is_none());
        open(&a, 3, Vec::new()).unwrap();
        assert!(tally(&a, &round(&a).unwrap()).cards.is_empty());
    }
}
