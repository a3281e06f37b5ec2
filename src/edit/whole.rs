//! The ops that turn one whole map into another: restoring a saved version (one undo step),
//! bringing an editor in line with a merged or compared map. Applied in order to `old`
//! through the editor they give `new` (its content: the view, scale and owners' colour
//! order are settings no op changes). The order is one the editor can apply: what things
//! stand on first (personas, stages, lanes, curves), then cards, points and links, removals
//! of what things stand on last, the map's own fields at the end.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::diff;
use super::op::{CardField, CurveField, Op};
use crate::model::{Card, CardId, Curve, CurveId, Document, LinkId, Persona, PersonaId, PointId};

/// The ops that turn `old` into `new` (see the module).
#[must_use]
pub fn document_ops(old: &Document, new: &Document) -> Vec<Op> {
    let mut out = Vec::new();

    // Personas, in the new order; what named one taken out and put back names it again
    // below.
    let renamed = persona_ops(old, &new.personas, &mut out);

    for s in &new.stages {
        match old.stage(s.id) {
            Some(o) => out.extend(diff::stage_ops(o, s)),
            None => out.push(Op::InsertStage(Box::new(s.clone()))),
        }
    }
    // A map has one emotion lane: one the new map lacks goes before another comes.
    for l in &old.lanes {
        if l.kind == crate::model::LaneKind::Emotion && new.lane(l.id).is_none() {
            out.push(Op::RemoveLane(l.id));
        }
    }
    for l in &new.lanes {
        match old.lane(l.id) {
            Some(o) => out.extend(diff::lane_ops(o, l)),
            None => out.push(Op::InsertLane(Box::new(l.clone()))),
        }
    }

    let whole = curve_ops(old, &new.emotion.curves, &renamed, &mut out);

    cards(old, new, &renamed, &mut out);
    points(old, new, &whole, &mut out);
    links(old, new, &mut out);

    // What things stood on: removed last.
    for c in &old.emotion.curves {
        if new.emotion.curve(c.id).is_none() {
            out.push(Op::RemoveCurve(c.id));
        }
    }
    for s in &old.stages {
        if new.stage(s.id).is_none() {
            out.push(Op::RemoveStage(s.id));
        }
    }
    for l in &old.lanes {
        if new.lane(l.id).is_none() && l.kind != crate::model::LaneKind::Emotion {
            out.push(Op::RemoveLane(l.id));
        }
    }
    for p in &old.personas {
        if new.persona(p.id).is_none() {
            out.push(Op::RemovePersona(p.id));
        }
    }
    // The executive view names lanes, conflicts name anything: last.
    out.extend(diff::map_ops(old, new));
    out
}

/// `old`'s personas brought to `target`'s list: one out of order is taken out and put back,
/// new ones inserted where the target has them, fields set. Returns those taken out and put
/// back (what named them stopped naming them). The co-editing reconcile uses this too.
pub fn persona_ops(old: &Document, target: &[Persona], out: &mut Vec<Op>) -> Vec<PersonaId> {
    let ids: Vec<u64> = old.personas.iter().map(|p| p.id.0).collect();
    let (moved, add) = reorder(&ids, target, |p| p.id.0);
    out.extend(moved.iter().map(|id| Op::RemovePersona(PersonaId(*id))));
    for (p, at) in add {
        out.push(Op::InsertPersona {
            persona: Box::new(p.clone()),
            at: Some(at),
        });
    }
    for p in target {
        if let Some(o) = old.persona(p.id) {
            out.extend(diff::persona_ops(o, p));
        }
    }
    moved.into_iter().map(PersonaId).collect()
}

/// `old`'s curves brought to `target`'s list: new and out-of-order ones put in whole, with
/// their points; the others' fields set (and their persona again where it is one of
/// `renamed`). Returns the curves put in whole (their points need no ops of their own). The
/// co-editing reconcile uses this too.
pub fn curve_ops(
    old: &Document,
    target: &[Curve],
    renamed: &[PersonaId],
    out: &mut Vec<Op>,
) -> HashSet<CurveId> {
    let ids: Vec<u64> = old.emotion.curves.iter().map(|c| c.id.0).collect();
    let (moved, add) = reorder(&ids, target, |c| c.id.0);
    out.extend(moved.iter().map(|id| Op::RemoveCurve(CurveId(*id))));
    let mut whole: HashSet<CurveId> = HashSet::new();
    for (c, at) in add {
        whole.insert(c.id);
        out.push(Op::InsertCurve {
            curve: Box::new(c.clone()),
            at: Some(at),
        });
    }
    for c in target {
        if let Some(o) = old.emotion.curve(c.id).filter(|_| !whole.contains(&c.id)) {
            out.extend(diff::curve_ops(o, c));
            if o.persona == c.persona && c.persona.is_some_and(|p| renamed.contains(&p)) {
                out.push(Op::SetCurve(c.id, CurveField::Persona(c.persona)));
            }
        }
    }
    whole
}

fn cards(old: &Document, new: &Document, renamed: &[PersonaId], out: &mut Vec<Op>) {
    let before: HashMap<CardId, &Arc<Card>> = old.cards.iter().map(|c| (c.id, c)).collect();
    let after: HashSet<CardId> = new.cards.iter().map(|c| c.id).collect();
    let gone: Vec<CardId> = old
        .cards
        .iter()
        .filter(|c| !after.contains(&c.id))
        .map(|c| c.id)
        .collect();
    if !gone.is_empty() {
        out.push(Op::RemoveCards(gone));
    }
    let mut add = Vec::new();
    let mut places = Vec::new();
    for c in &new.cards {
        match before.get(&c.id) {
            None => add.push(Arc::clone(c)),
            Some(o) if Arc::ptr_eq(o, c) || (***o == **c && !names_any(c, renamed)) => {}
            Some(o) => {
                out.extend(diff::card_ops(o, c));
                if o.personas == c.personas && names_any(c, renamed) {
                    out.push(Op::SetCard(c.id, CardField::Personas(c.personas.clone())));
                }
                if let Some(p) = diff::card_place(o, c) {
                    places.push((c.id, p));
                }
            }
        }
    }
    if !add.is_empty() {
        out.push(Op::InsertCards(add));
    }
    if !places.is_empty() {
        out.push(Op::PlaceCards(places));
    }
}

fn names_any(c: &Card, personas: &[PersonaId]) -> bool {
    !personas.is_empty() && c.personas.iter().any(|p| personas.contains(p))
}

fn points(old: &Document, new: &Document, whole: &HashSet<CurveId>, out: &mut Vec<Op>) {
    point_ops(old, &new.emotion.curves, &|c| whole.contains(&c), out);
}

/// The points of `old`'s curves brought to `target`'s (curves `whole` says are put in
/// whole, with their points, are left out): removed, added where the target order puts
/// them, moved, and put in again when anchored to another card. The co-editing reconcile
/// uses this too.
pub fn point_ops(
    old: &Document,
    target: &[Curve],
    whole: &dyn Fn(CurveId) -> bool,
    out: &mut Vec<Op>,
) {
    let keep: HashSet<PointId> = target
        .iter()
        .flat_map(|c| c.points.iter().map(|p| p.id))
        .collect();
    let mut gone: Vec<PointId> = old
        .emotion
        .points()
        .filter(|(c, p)| !keep.contains(&p.id) && !whole(c.id))
        .map(|(_, p)| p.id)
        .collect();
    let mut add = Vec::new();
    let mut moves = Vec::new();
    for c in target {
        let Some(o) = old.emotion.curve(c.id).filter(|_| !whole(c.id)) else {
            continue;
        };
        let was: HashMap<PointId, &crate::model::EmotionPoint> =
            o.points.iter().map(|p| (p.id, p)).collect();
        // A point anchored to another card (or none now) is put in again.
        let anchored: HashSet<PointId> = c
            .points
            .iter()
            .filter(|p| was.get(&p.id).is_some_and(|q| q.card != p.card))
            .map(|p| p.id)
            .collect();
        gone.extend(anchored.iter().copied());
        let ids: Vec<u64> = o
            .points
            .iter()
            .filter(|p| keep.contains(&p.id) && !anchored.contains(&p.id))
            .map(|p| p.id.0)
            .collect();
        let (moved, ins) = reorder(&ids, &c.points, |p| p.id.0);
        gone.extend(moved.iter().map(|id| PointId(*id)));
        for (p, at) in ins {
            add.push(Op::InsertPoint {
                curve: c.id,
                point: p.clone(),
                at: Some(at),
            });
        }
        for p in &c.points {
            if let Some(q) = was.get(&p.id)
                && !moved.contains(&p.id.0)
                && !anchored.contains(&p.id)
                && let Some(op) = diff::point_op(q, p)
            {
                moves.push(op);
            }
        }
    }
    if !gone.is_empty() {
        out.push(Op::RemovePoints(gone));
    }
    out.extend(add);
    out.extend(moves);
}

fn links(old: &Document, new: &Document, out: &mut Vec<Op>) {
    let keep: HashSet<LinkId> = new.links.iter().map(|l| l.id).collect();
    // A link whose old end was removed went with it: it is put in again whole.
    let cards: HashSet<CardId> = new.cards.iter().map(|c| c.id).collect();
    let ids: Vec<u64> = old
        .links
        .iter()
        .filter(|l| keep.contains(&l.id) && cards.contains(&l.from) && cards.contains(&l.to))
        .map(|l| l.id.0)
        .collect();
    let current: HashSet<u64> = ids.iter().copied().collect();
    let (moved, add) = reorder(&ids, &new.links, |l| l.id.0);
    let mut gone: Vec<LinkId> = old
        .links
        .iter()
        .filter(|l| !keep.contains(&l.id))
        .map(|l| l.id)
        .collect();
    let reinserted: HashSet<LinkId> = moved.iter().map(|id| LinkId(*id)).collect();
    gone.extend(reinserted.iter().copied());
    if !gone.is_empty() {
        out.push(Op::RemoveLinks(gone));
    }
    for (l, at) in add {
        out.push(Op::InsertLinks {
            links: vec![l.clone()],
            at: vec![at],
        });
    }
    for l in &new.links {
        if let Some(o) = old
            .link(l.id)
            .filter(|_| current.contains(&l.id.0) && !reinserted.contains(&l.id))
        {
            out.extend(diff::link_ops(o, l));
        }
    }
}

/// How a list becomes its target order: the ids of items that stand out of order (to be
/// removed and inserted again), then each item to insert with the index it goes to (after
/// the target item before it), in target order. Linear when `current` holds only items the
/// target has; quadratic in the list's length otherwise (personas, curves: short lists).
pub fn reorder<'t, T>(
    current: &[u64],
    target: &'t [T],
    id: impl Fn(&T) -> u64,
) -> (Vec<u64>, Vec<(&'t T, usize)>) {
    let rank: HashMap<u64, usize> = target.iter().enumerate().map(|(i, t)| (id(t), i)).collect();
    let mut moved = Vec::new();
    let mut sim = Vec::with_capacity(target.len());
    let mut last: Option<usize> = None;
    for x in current {
        // What the target lacks stays where it is until it is removed (after the inserts).
        let Some(&r) = rank.get(x) else {
            sim.push(*x);
            continue;
        };
        if last.is_some_and(|l| r < l) {
            moved.push(*x);
        } else {
            last = Some(r);
            sim.push(*x);
        }
    }
    if sim.len() + moved.len() == current.len() && current.iter().all(|x| rank.contains_key(x)) {
        // Nothing the target lacks is in the way (the usual case: it was removed first):
        // each item goes to its index in the target, in target order.
        let kept: HashSet<u64> = sim.iter().copied().collect();
        let out = target
            .iter()
            .enumerate()
            .filter(|(_, t)| !kept.contains(&id(t)))
            .map(|(i, t)| (t, i))
            .collect();
        return (moved, out);
    }
    let mut out = Vec::new();
    let mut prev: Option<usize> = None;
    for t in target {
        let tid = id(t);
        if let Some(p) = sim.iter().position(|x| *x == tid) {
            prev = Some(p);
        } else {
            let at = prev.map_or(0, |p| p + 1);
            sim.insert(at, tid);
            out.push((t, at));
            prev = Some(at);
        }
    }
    (moved, out)
}
