//! Applying one [`Op`] to a document: the change, its exact inverse, what it touched and the
//! ids it minted. A refused op leaves the document as it was (checks come before changes).
//!
//! Costs: a field op finds its card through the card index (a hash lookup); a bulk op over k
//! cards is one pass with a hash set and one merge, O(n + k log k), never one scan per card;
//! inserted cards find their cell's last key by binary search.

use std::collections::HashSet;
use std::sync::Arc;

use rand_core::Rng;
use rand_xorshift::XorShiftRng;

mod cards;
mod parts;

pub(super) use cards::set_field;
use cards::{insert_cards, place_cards, remove_cards, remove_links_where, set_card};
use parts::{
    check_link, insert_curve, insert_lane, insert_links, insert_stage, remove_lane, remove_stage,
    set_curve, set_lane, set_map, set_persona, set_stage,
};

use super::op::{Applied, CardField, CurveField, LaneField, LinkField, MapField, Op, StageField};
use super::{EditError, stage_width};
use crate::model::{
    Card, CardId, Document, LaneId, LinkId, MAX_ID, MAX_LEVEL, StageId, limits, order,
};

/// Where fresh ids come from: random 53-bit integers (safe as JavaScript numbers), so two
/// copies of a map never give out the same one.
#[derive(Clone, Debug)]
pub struct Mint {
    rng: XorShiftRng,
}

impl Mint {
    /// Ids from a seed (the editor seeds from the clock; tests from a number, to repeat).
    #[must_use]
    pub fn new(seed: u64) -> Self {
        use rand_core::SeedableRng;
        Self {
            rng: XorShiftRng::seed_from_u64(seed),
        }
    }

    /// A fresh id for which `taken` is false.
    pub fn fresh(&mut self, taken: impl Fn(u64) -> bool) -> u64 {
        loop {
            let id = self.rng.next_u64() >> 11;
            if (1..=MAX_ID).contains(&id) && !taken(id) {
                return id;
            }
        }
    }
}

fn missing<T>(what: &str, id: u64) -> Result<T, EditError> {
    Err(EditError::Missing(format!("{what} {id}")))
}

fn not_allowed<T>(why: impl Into<String>) -> Result<T, EditError> {
    Err(EditError::NotAllowed(why.into()))
}

fn finite(what: &str, values: &[f32]) -> Result<(), EditError> {
    if values.iter().all(|v| v.is_finite()) {
        Ok(())
    } else {
        not_allowed(format!("{what} must be a number"))
    }
}

fn long(what: &str, text: &str) -> Result<(), EditError> {
    if text.chars().count() > limits::MAX_TEXT {
        return not_allowed(format!(
            "{what} is longer than {} characters",
            limits::MAX_TEXT
        ));
    }
    Ok(())
}

fn key(what: &str, k: &str) -> Result<(), EditError> {
    if k.is_empty() || order::is_valid(k) {
        Ok(())
    } else {
        not_allowed(format!("{what}: {k:?} is not an order key"))
    }
}

fn check_cell(doc: &Document, stage: StageId, lane: LaneId) -> Result<(), EditError> {
    if doc.stage(stage).is_none() {
        return missing("stage", stage.0);
    }
    match doc.lane(lane) {
        None => missing("lane", lane.0),
        Some(l) if !l.kind.holds_cards() => not_allowed("the emotion lane holds no cards"),
        Some(_) => Ok(()),
    }
}

/// Whether a card keeps the limits an edit keeps (text lengths, metrics, levels …).
///
/// # Errors
/// The first limit it breaks.
pub fn check_card(c: &Card) -> Result<(), EditError> {
    for (what, text) in [
        ("a card's text", &c.text),
        ("a card's note", &c.note),
        ("a card's owner", &c.owner),
        ("a channel's name", &c.channel_name),
    ] {
        long(what, text)?;
    }
    if let Some(e) = &c.evidence {
        long("an evidence source", &e.source)?;
    }
    for m in &c.metrics {
        long("a metric's name", &m.name)?;
    }
    for l in &c.map_links {
        long("a link's map", &l.map)?;
        long("a link's label", &l.label)?;
        if l.map.trim().is_empty() {
            return not_allowed("a link to another map names its file");
        }
    }
    if c.map_links.len() > crate::model::MAX_MAP_LINKS {
        return not_allowed(format!(
            "a card has at most {} links to other maps",
            crate::model::MAX_MAP_LINKS
        ));
    }
    if c.metrics.len() > limits::MAX_METRICS {
        return not_allowed(format!(
            "a card has at most {} metrics",
            limits::MAX_METRICS
        ));
    }
    for (what, v) in [("severity", c.severity), ("priority", c.priority)] {
        if v.is_some_and(|v| !(1..=MAX_LEVEL).contains(&v)) {
            return not_allowed(format!("{what} is 1 to {MAX_LEVEL}"));
        }
    }
    if c.metrics
        .iter()
        .any(|m| !m.value.is_finite() || m.name.trim().is_empty())
    {
        return not_allowed("a metric needs a name and a number");
    }
    key("a card's place", &c.pos)
}

/// Removes the emotion points (of any curve) for which `f` holds; the inverse puts each back
/// at its place in its curve.
fn remove_points_where(
    doc: &mut Document,
    f: impl Fn(&crate::model::EmotionPoint) -> bool,
    out: &mut Applied,
) {
    for c in &mut doc.emotion.curves {
        let mut i = 0;
        c.points.retain(|p| {
            let keep = !f(p);
            if !keep {
                out.inverse.push(Op::InsertPoint {
                    curve: c.id,
                    point: p.clone(),
                    at: Some(i),
                });
            }
            i += 1;
            keep
        });
    }
}

/// The key after the last of these (or the first key).
fn key_after_last<'a>(keys: impl Iterator<Item = &'a str>) -> String {
    order::between(keys.max(), None)
}

/// Applies `op` to `doc`: the one way a map changes. Removals and moves of several items
/// take those that exist (another person may have deleted some); inserts of several cards
/// take those whose cell exists. Anything else that names what is missing, or breaks a rule,
/// is refused and the document is unchanged.
///
/// # Errors
/// [`EditError`] naming what is missing or what rule the op breaks.
pub fn apply(doc: &mut Document, op: Op, mint: &mut Mint) -> Result<Applied, EditError> {
    let op = canonical(op);
    let set = is_set(&op).then(|| op.clone());
    let plain = (!matches!(
        op,
        Op::InsertCards(_) | Op::RemoveCards(_) | Op::PlaceCards(_)
    ))
    .then(|| op.clone());
    let mut out = Applied {
        done: Vec::new(),
        inverse: Vec::new(),
        touched: super::Touched::default(),
        new_ids: Vec::new(),
    };
    apply_into(doc, op, mint, &mut out)?;
    if let Some(op) = set {
        if out.inverse.len() == 1 && out.inverse[0] == op {
            // The field held that value already: nothing changed.
            out.inverse.clear();
            out.touched = super::Touched::default();
        } else {
            out.done = vec![op];
        }
    } else if let Some(op) = plain
        && out.done.is_empty()
        && !out.inverse.is_empty()
    {
        // A removal names what it took along, so that a replica where some of it has moved
        // elsewhere meanwhile removes the same things.
        if matches!(op, Op::RemoveStage(_) | Op::RemoveLane(_)) {
            let cards: Vec<CardId> = out
                .inverse
                .iter()
                .filter_map(|i| match i {
                    Op::InsertCards(cs) => Some(cs.iter().map(|c| c.id)),
                    _ => None,
                })
                .flatten()
                .collect();
            let points: Vec<crate::model::PointId> = out
                .inverse
                .iter()
                .filter_map(|i| match i {
                    Op::InsertPoint { point, .. } => Some(point.id),
                    _ => None,
                })
                .collect();
            if !cards.is_empty() {
                out.done.push(Op::RemoveCards(cards));
            }
            if !points.is_empty() {
                out.done.push(Op::RemovePoints(points));
            }
        }
        out.done.push(op);
    }
    Ok(out)
}

fn is_set(op: &Op) -> bool {
    matches!(
        op,
        Op::SetMap(_)
            | Op::SetPersona(..)
            | Op::SetStage(..)
            | Op::SetLane(..)
            | Op::SetCard(..)
            | Op::SetPoint { .. }
            | Op::SetCurve(..)
            | Op::SetLink(..)
    )
}

/// A set-op with the value the map will hold (a width rounded, a level clamped), so that
/// its inverse of a no-op is the op itself and undo can tell whether its value still holds.
fn canonical(op: Op) -> Op {
    match op {
        Op::SetStage(id, StageField::Width(w)) if w.is_finite() => {
            Op::SetStage(id, StageField::Width(stage_width(w)))
        }
        Op::SetPoint {
            id,
            stage,
            offset,
            value,
        } if offset.is_finite() => Op::SetPoint {
            id,
            stage,
            offset: offset.clamp(0.0, 1.0),
            value,
        },
        Op::SetMap(MapField::Executive(v)) => {
            Op::SetMap(MapField::Executive(crate::model::ExecutiveView {
                min_severity: v.min_severity.clamp(1, MAX_LEVEL),
                lanes: v.lanes,
            }))
        }
        op => op,
    }
}

fn apply_into(
    doc: &mut Document,
    op: Op,
    mint: &mut Mint,
    out: &mut Applied,
) -> Result<(), EditError> {
    let out = &mut *out;
    match op {
        Op::SetMap(f) => set_map(doc, f, out)?,
        Op::InsertPersona { mut persona, at } => {
            if doc.personas.len() >= limits::MAX_PERSONAS {
                return not_allowed(format!(
                    "a map has at most {} personas",
                    limits::MAX_PERSONAS
                ));
            }
            for (what, t) in [
                ("a persona's name", &persona.name),
                ("a persona's description", &persona.description),
                ("a persona's role", &persona.role),
                ("a persona's goals", &persona.goals),
                ("a persona's expectations", &persona.expectations),
                ("a persona's quote", &persona.quote),
            ] {
                long(what, t)?;
            }
            if persona.id.0 == 0 {
                persona.id.0 = mint.fresh(|id| doc.persona(crate::model::PersonaId(id)).is_some());
                out.new_ids.push(persona.id.0);
            } else if doc.persona(persona.id).is_some() {
                return not_allowed(format!("persona {} exists already", persona.id.0));
            }
            let i = at.unwrap_or(usize::MAX).min(doc.personas.len());
            out.inverse.push(Op::RemovePersona(persona.id));
            out.done = vec![Op::InsertPersona {
                persona: persona.clone(),
                at,
            }];
            doc.personas.insert(i, *persona);
            out.touched.meta = true;
            out.touched.points = true;
        }
        Op::RemovePersona(id) => {
            let Some(i) = doc.personas.iter().position(|p| p.id == id) else {
                return missing("persona", id.0);
            };
            let p = doc.personas.remove(i);
            out.inverse.push(Op::InsertPersona {
                persona: Box::new(p),
                at: Some(i),
            });
            for c in &mut doc.emotion.curves {
                if c.persona == Some(id) {
                    c.persona = None;
                    out.inverse
                        .push(Op::SetCurve(c.id, CurveField::Persona(Some(id))));
                }
            }
            for c in &mut doc.cards {
                if c.personas.contains(&id) {
                    out.inverse
                        .push(Op::SetCard(c.id, CardField::Personas(c.personas.clone())));
                    Arc::make_mut(c).personas.retain(|p| *p != id);
                    out.touched.cells.insert((c.stage, c.lane));
                }
            }
            out.touched.meta = true;
            out.touched.points = true;
        }
        Op::SetPersona(id, f) => set_persona(doc, id, f, out)?,
        Op::InsertStage(stage) => insert_stage(doc, *stage, mint, out)?,
        Op::RemoveStage(id) => remove_stage(doc, id, out)?,
        Op::SetStage(id, f) => set_stage(doc, id, f, out)?,
        Op::InsertLane(lane) => insert_lane(doc, *lane, mint, out)?,
        Op::RemoveLane(id) => remove_lane(doc, id, out)?,
        Op::SetLane(id, f) => set_lane(doc, id, f, out)?,
        Op::InsertCards(cards) => insert_cards(doc, cards, mint, out)?,
        Op::RemoveCards(ids) => {
            remove_cards(doc, &ids, out);
            out.done = match out.inverse.first() {
                Some(Op::InsertCards(gone)) => {
                    vec![Op::RemoveCards(gone.iter().map(|c| c.id).collect())]
                }
                _ => Vec::new(),
            };
        }
        Op::SetCard(id, f) => set_card(doc, id, f, out)?,
        Op::PlaceCards(places) => place_cards(doc, places, out)?,
        Op::InsertPoint {
            curve,
            mut point,
            at,
        } => {
            if doc.stage(point.stage).is_none() {
                return missing("stage", point.stage.0);
            }
            finite("a point's place", &[point.offset, point.value])?;
            if doc.emotion.points().count() >= limits::MAX_POINTS {
                return not_allowed(format!(
                    "a map has at most {} emotion points",
                    limits::MAX_POINTS
                ));
            }
            let Some(ci) = doc.emotion.curves.iter().position(|c| c.id == curve) else {
                return missing("curve", curve.0);
            };
            if point.id.0 == 0 {
                point.id.0 = mint.fresh(|id| doc.point(crate::model::PointId(id)).is_some());
                out.new_ids.push(point.id.0);
            } else if doc.point(point.id).is_some() {
                return not_allowed(format!("emotion point {} exists already", point.id.0));
            }
            point.value = doc.emotion.scale.clamp(point.value);
            point.offset = point.offset.clamp(0.0, 1.0);
            out.inverse.push(Op::RemovePoints(vec![point.id]));
            out.done = vec![Op::InsertPoint {
                curve,
                point: point.clone(),
                at,
            }];
            let points = &mut doc.emotion.curves[ci].points;
            let i = at.unwrap_or(usize::MAX).min(points.len());
            points.insert(i, point);
            out.touched.points = true;
        }
        Op::RemovePoints(ids) => {
            let ids: HashSet<_> = ids.into_iter().collect();
            remove_points_where(doc, |p| ids.contains(&p.id), out);
            out.touched.points = true;
        }
        Op::SetPoint {
            id,
            stage,
            offset,
            value,
        } => {
            if doc.stage(stage).is_none() {
                return missing("stage", stage.0);
            }
            finite("a point's place", &[offset, value])?;
            let value = doc.emotion.scale.clamp(value);
            let Some(p) = doc
                .emotion
                .curves
                .iter_mut()
                .flat_map(|c| c.points.iter_mut())
                .find(|p| p.id == id)
            else {
                return missing("emotion point", id.0);
            };
            out.inverse.push(Op::SetPoint {
                id,
                stage: p.stage,
                offset: p.offset,
                value: p.value,
            });
            out.done = vec![Op::SetPoint {
                id,
                stage,
                offset: offset.clamp(0.0, 1.0),
                value,
            }];
            p.stage = stage;
            p.offset = offset.clamp(0.0, 1.0);
            p.value = value;
            out.touched.points = true;
        }
        Op::InsertCurve { curve, at } => insert_curve(doc, *curve, at, mint, out)?,
        Op::RemoveCurve(id) => {
            let Some(i) = doc.emotion.curves.iter().position(|c| c.id == id) else {
                return missing("curve", id.0);
            };
            let c = doc.emotion.curves.remove(i);
            out.inverse.push(Op::InsertCurve {
                curve: Box::new(c),
                at: Some(i),
            });
            out.touched.points = true;
        }
        Op::SetCurve(id, f) => set_curve(doc, id, f, out)?,
        Op::InsertLinks { links, at } => insert_links(doc, links, &at, mint, out)?,
        Op::RemoveLinks(ids) => {
            let ids: HashSet<LinkId> = ids.into_iter().collect();
            remove_links_where(doc, |l| ids.contains(&l.id), out);
        }
        Op::SetLink(id, f) => {
            let Some(i) = doc.links.iter().position(|l| l.id == id) else {
                return missing("link", id.0);
            };
            let mut l = doc.links[i].clone();
            let old = match f {
                LinkField::Ends(from, to) => {
                    let old = LinkField::Ends(l.from, l.to);
                    l.from = from;
                    l.to = to;
                    old
                }
                LinkField::Kind(k) => LinkField::Kind(std::mem::replace(&mut l.kind, k)),
            };
            check_link(doc, &l)?;
            doc.links[i] = l;
            out.inverse.push(Op::SetLink(id, old));
            out.touched.links = true;
        }
    }
    Ok(())
}

/// Whether a set-op's value is still what the map holds (undo of an op whose field someone
/// else has since changed would overwrite their change: it is skipped instead).
pub(super) fn still_holds(doc: &Document, op: &Op) -> bool {
    match op {
        Op::SetCard(id, f) => doc.card(*id).is_none_or(|c| match f {
            CardField::Text(t) => c.text == *t,
            CardField::Channel(v) => c.channel == *v,
            CardField::ChannelName(t) => c.channel_name == *t,
            CardField::Owner(t) => c.owner == *t,
            CardField::Note(t) => c.note == *t,
            CardField::MomentOfTruth(b) => c.moment_of_truth == *b,
            CardField::Severity(v) => c.severity == *v,
            CardField::Priority(v) => c.priority == *v,
            CardField::Evidence(e) => c.evidence == *e,
            CardField::Metrics(m) => c.metrics == *m,
            CardField::Personas(p) => c.personas == *p,
            CardField::MapLinks(l) => c.map_links == *l,
        }),
        Op::SetMap(MapField::Title(t)) => doc.title == *t,
        Op::SetMap(MapField::Description(t)) => doc.description == *t,
        Op::SetStage(id, StageField::Name(n)) => doc.stage(*id).is_none_or(|s| s.name == *n),
        Op::SetLane(id, LaneField::Name(n)) => doc.lane(*id).is_none_or(|l| l.name == *n),
        _ => true,
    }
}
