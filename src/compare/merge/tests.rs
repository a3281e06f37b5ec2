//! Three-way merge: a test per conflict kind, and properties over random histories.
//! Compiled only under `#[cfg(test)]` (`mod tests` in `compare/merge.rs`): its unwraps are
//! test code and touch no file or user data.

#![allow(clippy::unwrap_used, reason = "tests fail loudly")]

use std::collections::HashSet;
use std::sync::Arc;

use proptest::prelude::*;
use serde_json::Value;

use crate::compare::{Choice, merge, resolve};
use crate::edit::Editor;
use crate::edit::op::Origin;
use crate::edit::random::RandomOps;
use crate::model::{Card, CardId, Document, Link, LinkId, LinkKind, sample_map};

fn base() -> Document {
    Editor::new(sample_map()).doc().clone()
}

fn edit(d: &mut Document, i: usize, f: impl FnOnce(&mut Card)) {
    f(d.card_at_mut(i));
}

fn settle(d: &Document, i: usize, choice: Choice) -> Document {
    let mut e = Editor::new(d.clone());
    e.apply_ops(Origin::Local, resolve(d, i, choice).unwrap())
        .unwrap();
    e.doc().clone()
}

#[test]
fn edits_to_different_fields_of_one_card_both_survive() {
    let b = base();
    let (mut o, mut t) = (b.clone(), b.clone());
    edit(&mut o, 0, |c| c.owner = "Billing".into());
    edit(&mut t, 0, |c| c.text = "Compares plans on the phone".into());
    let m = merge(&b, &o, &t);
    assert_eq!(m.new_conflicts, 0, "{:?}", m.doc.conflicts);
    let c = m.doc.card(b.cards[0].id).unwrap();
    assert_eq!(
        (c.owner.as_str(), c.text.as_str()),
        ("Billing", "Compares plans on the phone")
    );
    assert_eq!(m.doc.cards.len(), b.cards.len());
}

#[test]
fn one_field_changed_two_ways_keeps_both_and_settles_in_one_click() {
    let b = base();
    let (mut o, mut t) = (b.clone(), b.clone());
    let id = b.cards[3].id;
    edit(&mut o, 3, |c| c.text = "ours".into());
    edit(&mut t, 3, |c| c.text = "theirs".into());
    // Something else on their side, which merges cleanly.
    t.title = "Their title".into();
    let m = merge(&b, &o, &t);
    assert_eq!(m.new_conflicts, 1);
    assert_eq!(m.doc.title, "Their title");
    assert_eq!(m.doc.card(id).unwrap().text, "ours");
    let k = &m.doc.conflicts[0];
    assert_eq!(
        (k.kind.as_str(), k.id, k.field.as_str()),
        ("card", id.0, "text")
    );
    assert_eq!(
        (&k.ours, &k.theirs),
        (&Value::from("ours"), &Value::from("theirs"))
    );

    let theirs = settle(&m.doc, 0, Choice::Theirs);
    assert_eq!(theirs.card(id).unwrap().text, "theirs");
    assert!(theirs.conflicts.is_empty());
    let ours = settle(&m.doc, 0, Choice::Ours);
    assert_eq!(ours.card(id).unwrap().text, "ours");
    assert!(ours.conflicts.is_empty());

    // Settling is one undoable step: undo brings the value and the mark back.
    let mut e = Editor::new(m.doc.clone());
    e.apply_ops(Origin::Local, resolve(&m.doc, 0, Choice::Theirs).unwrap())
        .unwrap();
    e.undo();
    assert_eq!(e.doc().card(id).unwrap().text, "ours");
    assert_eq!(e.doc().conflicts, m.doc.conflicts);
}

#[test]
fn a_card_moved_two_ways_is_marked_on_its_place() {
    let b = base();
    let (mut o, mut t) = (b.clone(), b.clone());
    let id = b.cards[0].id;
    let lane = b.cards[0].lane;
    let others: Vec<_> = b
        .stages
        .iter()
        .filter(|s| s.id != b.cards[0].stage)
        .map(|s| s.id)
        .collect();
    edit(&mut o, 0, |c| c.stage = others[0]);
    edit(&mut t, 0, |c| c.stage = others[1]);
    let m = merge(&b, &o, &t);
    assert_eq!(m.doc.card(id).unwrap().stage, others[0]);
    assert_eq!(m.doc.conflicts.len(), 1);
    assert_eq!(m.doc.conflicts[0].field, "place");
    let d = settle(&m.doc, 0, Choice::Theirs);
    let c = d.card(id).unwrap();
    assert_eq!((c.stage, c.lane), (others[1], lane));
}

#[test]
fn a_card_edited_on_one_side_and_removed_on_the_other_is_kept_and_marked() {
    let b = base();
    let (mut o, mut t) = (b.clone(), b.clone());
    let id = b.cards[2].id;
    edit(&mut o, 2, |c| {
        c.note = "checked with the call centre".into();
    });
    t.cards.retain(|c| c.id != id);
    t.links.retain(|l| l.from != id && l.to != id);
    t.card_index.invalidate();
    let m = merge(&b, &o, &t);
    let c = m.doc.card(id).unwrap();
    assert_eq!(c.note, "checked with the call centre");
    let k = &m.doc.conflicts[0];
    assert_eq!((k.kind.as_str(), k.field.as_str()), ("card", "removed"));
    assert_eq!(
        (&k.ours, &k.theirs),
        (&Value::Bool(false), &Value::Bool(true))
    );
    assert!(!k.removes(Choice::Ours) && k.removes(Choice::Theirs));
    assert!(settle(&m.doc, 0, Choice::Theirs).card(id).is_none());
    assert!(settle(&m.doc, 0, Choice::Ours).card(id).is_some());
    // The other way round: removed on our side.
    let m = merge(&b, &t, &o);
    assert!(m.doc.card(id).is_some());
    assert!(m.doc.conflicts[0].removes(Choice::Ours));
}

#[test]
fn a_stage_removed_on_one_side_comes_back_with_its_cards_if_the_other_added_to_it() {
    let b = base();
    let stage = b.stages[1].id;
    let held: Vec<CardId> = b
        .cards
        .iter()
        .filter(|c| c.stage == stage)
        .map(|c| c.id)
        .collect();
    assert!(!held.is_empty());
    let mut o = b.clone();
    o.stages.retain(|s| s.id != stage);
    o.cards.retain(|c| c.stage != stage);
    o.normalize();
    let mut t = b.clone();
    let mut new = Card::clone(b.cards.iter().find(|c| c.stage == stage).unwrap());
    new.id = CardId(9_000_001);
    new.text = "Added in the workshop".into();
    t.cards.push(Arc::new(new));
    t.normalize();
    let m = merge(&b, &o, &t);
    assert!(m.doc.stage(stage).is_some());
    for id in held.iter().chain([&CardId(9_000_001)]) {
        assert!(m.doc.card(*id).is_some(), "card {id:?} lost");
    }
    let k: Vec<_> = m
        .doc
        .conflicts
        .iter()
        .map(|k| (k.kind.as_str(), k.id))
        .collect();
    assert_eq!(k, [("stage", stage.0)]);
    // Settled for our side (which removed it): the stage goes, with its cards.
    let d = settle(&m.doc, 0, Choice::Ours);
    assert!(d.stage(stage).is_none());
    assert!(d.card(CardId(9_000_001)).is_none());

    // Left alone on their side, the removal simply wins.
    let m = merge(&b, &o, &b);
    assert!(m.doc.stage(stage).is_none() && m.doc.conflicts.is_empty());
}

#[test]
fn a_card_removed_on_one_side_and_linked_to_on_the_other_comes_back() {
    let b = base();
    let (from, to) = (b.cards[0].id, b.cards[5].id);
    let mut o = b.clone();
    o.cards.retain(|c| c.id != to);
    o.links.retain(|l| l.from != to && l.to != to);
    o.normalize();
    let mut t = b.clone();
    t.links.push(Link {
        id: LinkId(9_000_002),
        from,
        to,
        kind: LinkKind::Causes,
    });
    t.normalize();
    let m = merge(&b, &o, &t);
    assert!(m.doc.card(to).is_some());
    assert!(m.doc.link(LinkId(9_000_002)).is_some());
    assert_eq!(m.doc.conflicts.len(), 1);
    assert_eq!(m.doc.conflicts[0].kind, "card");
    // Removing it settles the link too.
    let d = settle(&m.doc, 0, Choice::Ours);
    assert!(d.card(to).is_none() && d.link(LinkId(9_000_002)).is_none());
}

#[test]
fn the_title_changed_two_ways_is_marked_on_the_map() {
    let b = base();
    let (mut o, mut t) = (b.clone(), b.clone());
    o.title = "Ours".into();
    t.title = "Theirs".into();
    let m = merge(&b, &o, &t);
    assert_eq!(m.doc.title, "Ours");
    assert_eq!(m.doc.conflicts[0].kind, "map");
    assert_eq!(settle(&m.doc, 0, Choice::Theirs).title, "Theirs");
}

#[test]
fn new_personas_on_both_sides_keep_their_places() {
    let b = base();
    let (mut o, mut t) = (b.clone(), b.clone());
    let mut p = b.personas[0].clone();
    p.id = crate::model::PersonaId(9_000_010);
    p.name = "Ours".into();
    o.personas.insert(0, p.clone());
    p.id = crate::model::PersonaId(9_000_011);
    p.name = "Theirs".into();
    t.personas.push(p);
    let m = merge(&b, &o, &t);
    let names: Vec<_> = m.doc.personas.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names.first(), Some(&"Ours"));
    assert_eq!(names.last(), Some(&"Theirs"));
    assert_eq!(names.len(), b.personas.len() + 2);
}

#[test]
fn a_curve_removed_on_one_side_whose_points_moved_on_the_other_is_kept() {
    let b = base();
    let curve = b.emotion.curves[0].id;
    let mut o = b.clone();
    o.emotion.curves.retain(|c| c.id != curve);
    let mut t = b.clone();
    t.emotion.curves[0].points[0].value = -1.5;
    let m = merge(&b, &o, &t);
    let c = m.doc.emotion.curve(curve).unwrap();
    assert_eq!(c.points.len(), b.emotion.curves[0].points.len());
    assert!((c.points[0].value + 1.5).abs() < 1e-6);
    assert_eq!(m.doc.conflicts[0].kind, "curve");
}

// ---- Properties over random histories --------------------------------------------------

/// `b` after `n` random ops from `seed` (those the editor refuses are left out).
fn history(b: &Document, seed: u64, n: usize) -> Document {
    let mut e = Editor::with_seed(b.clone(), seed);
    let mut r = RandomOps::new(seed);
    for _ in 0..n {
        let op = r.op(e.doc());
        let _ = e.apply_ops(Origin::Local, vec![op]);
    }
    e.doc().clone()
}

/// A map's content as JSON with its lists in id order (where merge order is a choice) and
/// without the settings a merge keeps ours of.
fn canonical(d: &Document) -> Value {
    let mut d = d.clone();
    d.personas.sort_by_key(|p| p.id);
    d.links.sort_by_key(|l| l.id);
    d.emotion.curves.sort_by_key(|c| c.id);
    for c in &mut d.emotion.curves {
        c.points.sort_by_key(|p| p.id);
    }
    d.view = crate::model::MapView::default();
    d.owner_order.clear();
    serde_json::to_value(&d).unwrap()
}

fn settle_all(d: &Document, field: Choice) -> Document {
    let mut d = d.clone();
    while let Some(k) = d.conflicts.first() {
        // Removals are kept (both merges keep the thing); fields go `field`'s way.
        let choice = if k.is_removal() {
            if k.removes(Choice::Ours) {
                Choice::Theirs
            } else {
                Choice::Ours
            }
        } else {
            field
        };
        d = settle(&d, 0, choice);
    }
    d
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn merges_of_random_histories_agree(so in 1u64..1_000_000, st in 1u64..1_000_000, n in 1usize..40) {
        let b = base();
        let o = history(&b, so, n);
        let t = history(&b, st.wrapping_add(7_777_777), n);

        // Nothing changed on one side: the merge is the other.
        prop_assert_eq!(canonical(&merge(&b, &o, &b).doc), canonical(&o));
        prop_assert_eq!(canonical(&merge(&b, &b, &t).doc), canonical(&t));
        // diff(A, A) is empty, and A's changes applied to the base give A.
        prop_assert!(crate::compare::maps(&o, &o).is_empty());
        prop_assert!(crate::compare::maps(&merge(&b, &b, &o).doc, &o).is_empty());

        // Either order: the same map once the marks are settled the same way.
        let ot = merge(&b, &o, &t);
        let to = merge(&b, &t, &o);
        prop_assert_eq!(ot.new_conflicts, to.new_conflicts);
        prop_assert_eq!(
            canonical(&settle_all(&ot.doc, Choice::Theirs)),
            canonical(&settle_all(&to.doc, Choice::Ours))
        );

        // No card lost or duplicated.
        let m = &ot.doc;
        let ids: Vec<CardId> = m.cards.iter().map(|c| c.id).collect();
        let unique: HashSet<CardId> = ids.iter().copied().collect();
        prop_assert_eq!(ids.len(), unique.len());
        let has = |d: &Document, id| d.card(id).is_some();
        for id in &ids {
            prop_assert!(has(&o, *id) || has(&t, *id), "card {} from nowhere", id.0);
        }
        for side in [&o, &t] {
            for c in &side.cards {
                let changed = b.card(c.id).is_none_or(|x| x != &**c);
                let kept_by_both = has(&o, c.id) && has(&t, c.id);
                if changed || kept_by_both {
                    prop_assert!(has(m, c.id), "card {} lost", c.id.0);
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// The ops from one map to another (a version restored) give the other, as one undo
    /// step.
    #[test]
    fn whole_map_ops_turn_one_history_into_another(so in 1u64..1_000_000, st in 1u64..1_000_000, n in 1usize..40) {
        let b = base();
        let o = history(&b, so, n);
        let t = history(&b, st.wrapping_add(7_777_777), n);
        let mut e = Editor::new(o.clone());
        e.apply_ops(Origin::Local, crate::edit::whole::document_ops(&o, &t)).unwrap();
        prop_assert_eq!(whole(e.doc()), whole(&t));
        prop_assert!(crate::compare::maps(e.doc(), &t).is_empty());
        e.undo();
        prop_assert_eq!(whole(e.doc()), whole(&o));
        prop_assert!(crate::edit::whole::document_ops(&t, &t).is_empty());
    }
}

/// A map's content in its own order (restoring keeps every list's order).
fn whole(d: &Document) -> Value {
    let mut d = d.clone();
    d.view = crate::model::MapView::default();
    d.owner_order.clear();
    serde_json::to_value(&d).unwrap()
}
