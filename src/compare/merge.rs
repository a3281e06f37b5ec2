//! Three-way merge of two versions of a map that grew from one base (two consultants'
//! offline edits, two git branches), by ids and fields — the granularity a live session
//! shares a map at (a record a thing, a value a field), so a merge and a session agree on
//! what survives: edits to different fields of one thing both do; removals win over things
//! left alone.
//!
//! Where a session would let the last writer win, a merge keeps both values instead and
//! marks the thing ([`Conflict`]): a field changed two ways (the map holds ours, the conflict
//! theirs), or a thing removed on one side and changed on the other (the map keeps it). A
//! stage or lane removed on one side that the other side put or changed cards in comes back
//! with its cards, marked; so does a card removed on one side that the other linked to. No
//! card is lost or duplicated.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::model::{
    Card, CardId, Conflict, Curve, Document, EmotionPoint, LaneId, Link, REMOVED, StageId,
};

/// Fields merged as one: a card's cell and position are one place, a link's two ends one
/// pair, a point's stage and offset one place.
type Groups = &'static [(&'static str, &'static [&'static str])];

const CARD_GROUPS: Groups = &[("place", &["stage", "lane", "pos"])];
const LINK_GROUPS: Groups = &[("ends", &["from", "to"])];
const POINT_GROUPS: Groups = &[("place", &["stage", "offset"])];

/// A merge's result.
#[derive(Clone, Debug)]
pub struct Merged {
    /// The merged map (its `conflicts` hold both sides' unresolved ones and the new ones).
    pub doc: Document,
    /// How many conflicts this merge found.
    pub new_conflicts: usize,
    /// Settings both sides changed that are not marked (how the map was last viewed, the
    /// emotion scale, the owners' colour order): ours are kept; their names.
    pub kept_ours: Vec<&'static str>,
}

/// Merges `ours` and `theirs`, two versions of `base`.
#[must_use]
pub fn merge(base: &Document, ours: &Document, theirs: &Document) -> Merged {
    let mut m = Merger::default();

    // Stages, lanes and cards one side removed but the other still uses come back on the
    // removing side as the base had them.
    let (ours, theirs) = restored(base, ours, theirs, &mut m.conflicts);

    let mut doc = crate::sync::empty();
    m.map_fields(base, &ours, theirs.as_ref(), &mut doc);
    let theirs = theirs.as_ref();
    let ours = &ours;
    doc.personas = m.list(
        "persona",
        &base.personas,
        &ours.personas,
        &theirs.personas,
        |p| p.id.0,
        &[],
    );
    doc.stages = m.list(
        "stage",
        &base.stages,
        &ours.stages,
        &theirs.stages,
        |s| s.id.0,
        &[],
    );
    doc.lanes = m.list(
        "lane",
        &base.lanes,
        &ours.lanes,
        &theirs.lanes,
        |l| l.id.0,
        &[],
    );
    doc.cards = m.cards(base, ours, theirs);
    doc.emotion.curves = m.curves(base, ours, theirs);
    doc.links = m.list(
        "link",
        &base.links,
        &ours.links,
        &theirs.links,
        |l| l.id.0,
        LINK_GROUPS,
    );

    // Conflicts both sides already had stay (once), then the new ones.
    let new_conflicts = m.conflicts.len();
    let mut conflicts = ours.conflicts.clone();
    for c in theirs.conflicts.iter().chain(&m.conflicts) {
        if !conflicts
            .iter()
            .any(|k| (&k.kind, k.id, &k.field) == (&c.kind, c.id, &c.field))
        {
            conflicts.push(c.clone());
        }
    }
    doc.conflicts = conflicts;
    doc.normalize();
    Merged {
        doc,
        new_conflicts,
        kept_ours: m.kept_ours,
    }
}

#[derive(Default)]
struct Merger {
    conflicts: Vec<Conflict>,
    kept_ours: Vec<&'static str>,
}

impl Merger {
    fn map_fields(
        &mut self,
        base: &Document,
        ours: &Document,
        theirs: &Document,
        doc: &mut Document,
    ) {
        doc.title = self.pick("title", &base.title, &ours.title, &theirs.title, true);
        doc.description = self.pick(
            "description",
            &base.description,
            &ours.description,
            &theirs.description,
            true,
        );
        doc.executive = self.pick(
            "executive",
            &base.executive,
            &ours.executive,
            &theirs.executive,
            true,
        );
        doc.based_on = self.pick(
            "based_on",
            &base.based_on,
            &ours.based_on,
            &theirs.based_on,
            true,
        );
        doc.view = self.pick("view", &base.view, &ours.view, &theirs.view, false);
        doc.emotion.scale = self.pick(
            "scale",
            &base.emotion.scale,
            &ours.emotion.scale,
            &theirs.emotion.scale,
            false,
        );
        doc.owner_order = self.pick(
            "owners",
            &base.owner_order,
            &ours.owner_order,
            &theirs.owner_order,
            false,
        );
    }

    /// One of the map's own fields: the side that changed it, or (both did, two ways) ours,
    /// marked when `mark`.
    fn pick<T: PartialEq + Clone + Serialize>(
        &mut self,
        field: &'static str,
        b: &T,
        o: &T,
        t: &T,
        mark: bool,
    ) -> T {
        if o == t || t == b {
            o.clone()
        } else if o == b {
            t.clone()
        } else {
            if mark {
                self.conflicts.push(Conflict {
                    kind: "map".into(),
                    id: 0,
                    field: field.into(),
                    ours: serde_json::to_value(o).unwrap_or(Value::Null),
                    theirs: serde_json::to_value(t).unwrap_or(Value::Null),
                });
            } else {
                self.kept_ours.push(field);
            }
            o.clone()
        }
    }

    /// One thing in three versions (`None`: not there).
    fn one<T: PartialEq + Clone + Serialize + DeserializeOwned>(
        &mut self,
        kind: &str,
        id: u64,
        (b, o, t): (Option<&T>, Option<&T>, Option<&T>),
        groups: Groups,
    ) -> Option<T> {
        match (b, o, t) {
            (_, None, None) => None,
            (None, Some(x), None) | (None, None, Some(x)) => Some(x.clone()),
            (Some(b), Some(x), None) | (Some(b), None, Some(x)) => {
                if x == b {
                    return None;
                }
                // Removed on one side, changed on the other: kept, marked.
                self.conflicts.push(Conflict {
                    kind: kind.into(),
                    id,
                    field: REMOVED.into(),
                    ours: Value::Bool(o.is_none()),
                    theirs: Value::Bool(t.is_none()),
                });
                Some(x.clone())
            }
            (b, Some(o), Some(t)) => {
                if o == t || b == Some(t) {
                    Some(o.clone())
                } else if b == Some(o) {
                    Some(t.clone())
                } else {
                    Some(self.fields(kind, id, b, o, t, groups))
                }
            }
        }
    }

    /// Both sides changed a thing: field by field.
    fn fields<T: Clone + Serialize + DeserializeOwned>(
        &mut self,
        kind: &str,
        id: u64,
        b: Option<&T>,
        o: &T,
        t: &T,
        groups: Groups,
    ) -> T {
        let (bv, ov, tv) = (
            b.map_or_else(|| Ok(Map::new()), object),
            object(o),
            object(t),
        );
        let (Ok(bv), Ok(ov), Ok(tv)) = (bv, ov, tv) else {
            return o.clone();
        };
        let (bv, ov, tv) = (
            grouped(bv, groups),
            grouped(ov, groups),
            grouped(tv, groups),
        );
        let mut keys: Vec<&String> = ov.keys().chain(tv.keys()).collect();
        keys.sort();
        keys.dedup();
        let mut out = Map::new();
        for k in keys {
            let none = Value::Null;
            let (x, y, z) = (
                bv.get(k).unwrap_or(&none),
                ov.get(k).unwrap_or(&none),
                tv.get(k).unwrap_or(&none),
            );
            let v = if y == z || z == x {
                y
            } else if y == x {
                z
            } else {
                self.conflicts.push(Conflict {
                    kind: kind.into(),
                    id,
                    field: k.clone(),
                    ours: y.clone(),
                    theirs: z.clone(),
                });
                y
            };
            if !v.is_null() {
                out.insert(k.clone(), v.clone());
            }
        }
        serde_json::from_value(Value::Object(ungrouped(out, groups))).unwrap_or_else(|_| o.clone())
    }

    /// A list of things: merged one by one, in ours' order with theirs' new ones after the
    /// thing they follow on their side.
    fn list<T: PartialEq + Clone + Serialize + DeserializeOwned>(
        &mut self,
        kind: &str,
        base: &[T],
        ours: &[T],
        theirs: &[T],
        id: impl Fn(&T) -> u64,
        groups: Groups,
    ) -> Vec<T> {
        let by = |l: &'_ [T]| -> HashMap<u64, usize> {
            l.iter().enumerate().map(|(i, t)| (id(t), i)).collect()
        };
        let (bi, oi, ti) = (by(base), by(ours), by(theirs));
        let mut merged: HashMap<u64, T> = HashMap::new();
        let ids = ordered(ours.iter().map(&id), theirs.iter().map(&id), &oi);
        let mut order = Vec::with_capacity(ids.len());
        let mut done: HashSet<u64> = HashSet::with_capacity(ids.len());
        for i in base.iter().map(&id).chain(ids.iter().copied()) {
            if !done.insert(i) {
                continue;
            }
            let three = (
                bi.get(&i).map(|&k| &base[k]),
                oi.get(&i).map(|&k| &ours[k]),
                ti.get(&i).map(|&k| &theirs[k]),
            );
            if let Some(v) = self.one(kind, i, three, groups) {
                merged.insert(i, v);
            }
        }
        for i in ids {
            if let Some(v) = merged.remove(&i) {
                order.push(v);
            }
        }
        order
    }

    /// Cards: as [`Merger::list`], without copying the ones only one side (or neither)
    /// changed.
    fn cards(&mut self, base: &Document, ours: &Document, theirs: &Document) -> Vec<Arc<Card>> {
        let (bi, oi, ti) = (by_id(base), by_id(ours), by_id(theirs));
        let mut out = Vec::with_capacity(ours.cards.len().max(theirs.cards.len()));
        let mut seen: HashSet<CardId> = HashSet::with_capacity(out.capacity());
        for c in ours.cards.iter().chain(&theirs.cards).chain(&base.cards) {
            if !seen.insert(c.id) {
                continue;
            }
            let (b, o, t) = (bi.get(&c.id), oi.get(&c.id), ti.get(&c.id));
            // Most cards: the same on three sides, or changed on one.
            let same = |x: Option<&&Arc<Card>>, y: Option<&&Arc<Card>>| match (x, y) {
                (Some(x), Some(y)) => Arc::ptr_eq(x, y) || x == y,
                (None, None) => true,
                _ => false,
            };
            let pick = if same(o, t) || same(b, t) {
                Some(o)
            } else if same(b, o) {
                Some(t)
            } else {
                None
            };
            match pick {
                Some(Some(c)) => out.push(Arc::clone(c)),
                Some(None) => {}
                None => {
                    let three = (b.map(|c| &***c), o.map(|c| &***c), t.map(|c| &***c));
                    if let Some(c) = self.one("card", c.id.0, three, CARD_GROUPS) {
                        out.push(Arc::new(c));
                    }
                }
            }
        }
        out
    }

    /// Curves, then each kept curve's points.
    fn curves(&mut self, base: &Document, ours: &Document, theirs: &Document) -> Vec<Curve> {
        // A curve's own fields, its points left out (merged next).
        let bare = |d: &Document| -> Vec<Curve> {
            d.emotion
                .curves
                .iter()
                .map(|c| Curve {
                    points: Vec::new(),
                    ..c.clone()
                })
                .collect()
        };
        let points = |d: &Document, id| -> Vec<EmotionPoint> {
            d.emotion
                .curve(id)
                .map(|c| c.points.clone())
                .unwrap_or_default()
        };
        let (b, o, t) = (bare(base), bare(ours), bare(theirs));
        // A curve one side removed whose points the other changed is kept, as when its
        // fields changed.
        let changed_points = |d: &Document, id| points(d, id) != points(base, id);
        let mut curves = self.list("curve", &b, &o, &t, |c| c.id.0, &[]);
        for (side, other, ours_removed) in [(&o, theirs, true), (&t, ours, false)] {
            for c in &b {
                let gone = !side.iter().any(|x| x.id == c.id);
                let kept = curves.iter().any(|x| x.id == c.id);
                if gone
                    && !kept
                    && other.emotion.curve(c.id).is_some()
                    && changed_points(other, c.id)
                {
                    if let Some(x) = other.emotion.curve(c.id) {
                        curves.push(Curve {
                            points: Vec::new(),
                            ..x.clone()
                        });
                    }
                    self.conflicts.push(Conflict {
                        kind: "curve".into(),
                        id: c.id.0,
                        field: REMOVED.into(),
                        ours: Value::Bool(ours_removed),
                        theirs: Value::Bool(!ours_removed),
                    });
                }
            }
        }
        for c in &mut curves {
            // A side that removed a curve kept anyway left its points as they were.
            let side = |d: &Document| {
                if d.emotion.curve(c.id).is_some() {
                    points(d, c.id)
                } else {
                    points(base, c.id)
                }
            };
            let (bp, op, tp) = (points(base, c.id), side(ours), side(theirs));
            c.points = self.list("point", &bp, &op, &tp, |p| p.id.0, POINT_GROUPS);
        }
        curves
    }
}

fn by_id(d: &Document) -> HashMap<CardId, &Arc<Card>> {
    d.cards.iter().map(|c| (c.id, c)).collect()
}

/// Ours' ids in their order, then theirs' new ones each after the one it follows on their
/// side (or first).
fn ordered(
    ours: impl Iterator<Item = u64>,
    theirs: impl Iterator<Item = u64>,
    in_ours: &HashMap<u64, usize>,
) -> Vec<u64> {
    let ours: Vec<u64> = ours.collect();
    let mut after: HashMap<Option<u64>, Vec<u64>> = HashMap::new();
    let mut prev: Option<u64> = None;
    for id in theirs {
        if in_ours.contains_key(&id) {
            prev = Some(id);
        } else {
            // Anchored to the last of theirs that ours has (a run of new ones stays in order).
            after.entry(prev).or_default().push(id);
        }
    }
    let mut out = Vec::with_capacity(ours.len() + after.values().map(Vec::len).sum::<usize>());
    out.extend(after.remove(&None).unwrap_or_default());
    for id in ours {
        out.push(id);
        out.extend(after.remove(&Some(id)).unwrap_or_default());
    }
    out
}

fn object<T: Serialize>(t: &T) -> Result<Map<String, Value>, ()> {
    match serde_json::to_value(t) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(()),
    }
}

/// The keys of each group gathered into one value (an object of them).
fn grouped(mut m: Map<String, Value>, groups: Groups) -> Map<String, Value> {
    for (name, keys) in groups {
        let mut g = Map::new();
        for k in *keys {
            if let Some(v) = m.remove(*k) {
                g.insert((*k).to_string(), v);
            }
        }
        m.insert((*name).to_string(), Value::Object(g));
    }
    m
}

/// The groups' keys back in place.
fn ungrouped(mut m: Map<String, Value>, groups: Groups) -> Map<String, Value> {
    for (name, _) in groups {
        if let Some(Value::Object(g)) = m.remove(*name) {
            m.extend(g);
        }
    }
    m
}

/// Both sides as the merge sees them: where one side removed a stage, lane or card the
/// other side still uses (put or changed cards or emotion points in it, linked to it), the
/// removing side gets it back as the base had it, with what it held, and the thing is
/// marked. Returns the two sides (copies only where something came back).
fn restored<'a>(
    base: &Document,
    ours: &'a Document,
    theirs: &'a Document,
    conflicts: &mut Vec<Conflict>,
) -> (
    std::borrow::Cow<'a, Document>,
    std::borrow::Cow<'a, Document>,
) {
    use std::borrow::Cow;
    let originals = [ours, theirs];
    let mut sides = [Cow::Borrowed(ours), Cow::Borrowed(theirs)];
    for (i, j) in [(0, 1), (1, 0)] {
        // What both sides did, not what the other side got back.
        let (side, other) = (originals[i], originals[j]);
        let base_cards: HashMap<CardId, &Arc<Card>> =
            base.cards.iter().map(|c| (c.id, c)).collect();
        // What the other side has new or changed.
        let touched: Vec<&Arc<Card>> = other
            .cards
            .iter()
            .filter(|c| {
                base_cards
                    .get(&c.id)
                    .is_none_or(|b| !Arc::ptr_eq(b, c) && ***b != ***c)
            })
            .collect();
        // Emotion points the other side has new or moved, by stage.
        let base_points: HashMap<u64, &EmotionPoint> =
            base.emotion.points().map(|(_, p)| (p.id.0, p)).collect();
        let pointed: HashSet<StageId> = other
            .emotion
            .points()
            .filter(|(_, p)| base_points.get(&p.id.0).is_none_or(|b| *b != *p))
            .map(|(_, p)| p.stage)
            .collect();
        // Cards removed on this side that the other side links to (with a new or changed
        // link): they come back, and the stage and lane they stood in if this side removed
        // those too.
        let base_links: HashMap<crate::model::LinkId, &Link> =
            base.links.iter().map(|l| (l.id, l)).collect();
        let side_cards: HashSet<CardId> = side.cards.iter().map(|c| c.id).collect();
        let mut cards: Vec<CardId> = Vec::new();
        for l in &other.links {
            if base_links.get(&l.id).is_none_or(|b| *b != l) {
                for end in [l.from, l.to] {
                    if base_cards.contains_key(&end)
                        && !side_cards.contains(&end)
                        && other.card(end).is_some()
                        && !cards.contains(&end)
                    {
                        cards.push(end);
                    }
                }
            }
        }
        let stages: Vec<StageId> = base
            .stages
            .iter()
            .filter(|s| side.stage(s.id).is_none() && other.stage(s.id).is_some())
            .filter(|s| {
                pointed.contains(&s.id)
                    || touched.iter().any(|c| c.stage == s.id)
                    || cards.iter().any(|c| base_cards[c].stage == s.id)
            })
            .map(|s| s.id)
            .collect();
        let lanes: Vec<LaneId> = base
            .lanes
            .iter()
            .filter(|l| side.lane(l.id).is_none() && other.lane(l.id).is_some())
            .filter(|l| {
                touched.iter().any(|c| c.lane == l.id)
                    || cards.iter().any(|c| base_cards[c].lane == l.id)
            })
            .map(|l| l.id)
            .collect();
        let held: Vec<CardId> = base
            .cards
            .iter()
            .filter(|c| stages.contains(&c.stage) || lanes.contains(&c.lane))
            // Not those the other side removed too.
            .filter(|c| !side_cards.contains(&c.id) && other.card(c.id).is_some())
            .map(|c| c.id)
            .collect();
        if stages.is_empty() && lanes.is_empty() && cards.is_empty() {
            continue;
        }
        let mark = |kind: &str, id: u64| Conflict {
            kind: kind.into(),
            id,
            field: REMOVED.into(),
            ours: Value::Bool(i == 0),
            theirs: Value::Bool(i == 1),
        };
        conflicts.extend(stages.iter().map(|s| mark("stage", s.0)));
        conflicts.extend(lanes.iter().map(|l| mark("lane", l.0)));
        // A card that comes back with its stage or lane is settled with those.
        conflicts.extend(
            cards
                .iter()
                .filter(|c| !stages.contains(&base_cards[*c].stage))
                .filter(|c| !lanes.contains(&base_cards[*c].lane))
                .map(|c| mark("card", c.0)),
        );
        let side = sides[i].to_mut();
        side.stages.extend(
            base.stages
                .iter()
                .filter(|s| stages.contains(&s.id))
                .cloned(),
        );
        side.lanes
            .extend(base.lanes.iter().filter(|l| lanes.contains(&l.id)).cloned());
        let back: HashSet<CardId> = cards.iter().chain(&held).copied().collect();
        side.cards
            .extend(base.cards.iter().filter(|c| back.contains(&c.id)).cloned());
        side.card_index.invalidate();
    }
    let [o, t] = sides;
    (o, t)
}

#[cfg(test)]
mod tests;
