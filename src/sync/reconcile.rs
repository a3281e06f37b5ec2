//! From the shared document to ops: what the editor's map must do to show what the shared
//! document now says, after other replicas' changes were imported.
//!
//! Everything but the cards is small and compared whole; cards are compared one by one for
//! the ids the import's events named (all of them only when a stage, lane or persona comes
//! back, since cards it held reappear with it). The ops come in an order the editor can
//! apply: what things stand on first (personas, stages, lanes, curves), then cards, points
//! and links, removals of what things stand on last.

use std::collections::BTreeSet;
use std::sync::Arc;

use loro::LoroDoc;

use super::project::{Frame, record};
use super::records;
use super::schema::{Fields, Kind, META, is_deleted, read};
use crate::edit::diff;
use crate::edit::op::{MapField, Op};
use crate::edit::whole::{self, reorder};
use crate::model::{Card, CardId, Document, LinkId, order::IdSet};

/// Which card records to compare.
#[derive(Clone, Copy, Debug)]
pub(super) enum Scope<'a> {
    /// The ones other replicas changed (and, if something cards stand on came back, those
    /// the index says may show or hide now).
    Named(&'a BTreeSet<u64>),
    /// Those, and those the index says may show or hide now (something cards stand on
    /// changed, or an op was refused).
    Wide(&'a BTreeSet<u64>),
    /// Every record (a check, or a map that may differ anywhere).
    All,
}

/// The ops that bring `map` in line with the shared document (see the module), for the
/// card records `scope` says.
pub(super) fn ops(
    doc: &LoroDoc,
    viewer: Option<&str>,
    map: &Document,
    meta: bool,
    scope: Scope<'_>,
    index: &mut super::index::CardIndex,
) -> (Vec<Op>, bool) {
    let frame = Frame::read(doc, viewer);
    let mut out = Vec::new();
    if meta {
        meta_ops(doc, map, &mut out);
    }

    // What things stand on: added and changed. A persona out of the shared order is taken
    // out and put back (cards that named it name it again in a second, full pass).
    let again = !whole::persona_ops(map, &frame.personas, &mut out).is_empty();
    let mut returned = frame.personas.iter().any(|p| map.persona(p.id).is_none());
    for s in &frame.stages {
        if let Some(old) = map.stage(s.id) {
            out.extend(diff::stage_ops(old, s));
        } else {
            out.push(Op::InsertStage(Box::new(s.clone())));
            returned = true;
        }
    }
    for l in &frame.lanes {
        if let Some(old) = map.lane(l.id) {
            out.extend(diff::lane_ops(old, l));
        } else {
            out.push(Op::InsertLane(Box::new(l.clone())));
            returned = true;
        }
    }
    // Curves put in whole, with their points: their points need no ops of their own (cards
    // and curves that named a persona put back name it again in the second, full pass).
    let whole = whole::curve_ops(map, &frame.curves, &[], &mut out);

    // Cards.
    let root = doc.get_map(Kind::Card.root());
    let named = |ids: &mut dyn Iterator<Item = u64>| -> Vec<(u64, Option<Fields>)> {
        ids.map(|id| (id, record(&root, id).map(|(_, f)| f)))
            .collect()
    };
    let records: Vec<(u64, Option<Fields>)> = match scope {
        Scope::All => {
            // Every record in one pass over the root, and the editor's cards it lacks.
            let mut all: std::collections::BTreeMap<u64, Option<Fields>> =
                map.cards.iter().map(|c| (c.id.0, None)).collect();
            root.for_each(|k, v| {
                if let (Ok(id), loro::ValueOrContainer::Container(loro::Container::Map(m))) =
                    (k.parse::<u64>(), v)
                {
                    all.insert(id, Some(read(&m)));
                }
            });
            let all: Vec<_> = all.into_iter().collect();
            index.rebuilt(&all);
            all
        }
        Scope::Named(ids) if !returned => {
            let r = named(&mut ids.iter().copied());
            for (id, f) in &r {
                index.note(*id, f.as_ref());
            }
            r
        }
        Scope::Named(ids) | Scope::Wide(ids) => {
            let mut want = index.unsettled(doc, &frame, map);
            want.extend(ids);
            let r = named(&mut want.into_iter());
            for (id, f) in &r {
                index.note(*id, f.as_ref());
            }
            r
        }
    };
    // The editor's cards by id, once: a lookup of a card the map lacks (one being added)
    // would make the map's own index rebuild itself each time.
    let cards_by_id = ById::new(map, records.len());
    let mut shown_now: crate::model::order::IdMap<u64, bool> =
        crate::model::order::IdMap::default();
    let (mut add, mut gone, mut places) = (Vec::new(), Vec::new(), Vec::new());
    for (id, fields) in records {
        let fields = fields.filter(|f| !is_deleted(f));
        let current = cards_by_id.get(id);
        // Most records say what the map has already: no need to decode them.
        if let (Some(c), Some(f)) = (current, &fields)
            && frame.holds(c.stage, c.lane)
            && !frame.hidden.contains(&id)
            && c.personas
                .iter()
                .all(|p| frame.personas.iter().any(|q| q.id == *p))
            && records::card(c) == *f
        {
            shown_now.insert(id, true);
            continue;
        }
        let target: Option<Card> = fields.and_then(|f| frame.card(id, f));
        shown_now.insert(id, target.is_some());
        match (current, target) {
            (None, Some(t)) => add.push(Arc::new(t)),
            (Some(_), None) => gone.push(CardId(id)),
            (Some(c), Some(t)) => {
                out.extend(diff::card_ops(c, &t));
                if let Some(p) = diff::card_place(c, &t) {
                    places.push((CardId(id), p));
                }
            }
            (None, None) => {}
        }
    }
    if !gone.is_empty() {
        out.push(Op::RemoveCards(gone));
    }
    if !add.is_empty() {
        out.push(Op::InsertCards(add));
    }
    if !places.is_empty() {
        out.push(Op::PlaceCards(places));
    }

    // Points of curves the map has: removed, added where the shared order puts them, moved.
    crate::edit::whole::point_ops(map, &frame.curves, &|c| whole.contains(&c), &mut out);

    // Links: those whose ends are both shown.
    let shown = |id: CardId| match shown_now.get(&id.0) {
        Some(s) => *s,
        None => map.card(id).is_some_and(|c| frame.holds(c.stage, c.lane)),
    };
    let links: Vec<&crate::model::Link> = frame
        .links
        .iter()
        .filter(|l| shown(l.from) && shown(l.to))
        .collect();
    let keep: IdSet<crate::model::LinkId> = links.iter().map(|l| l.id).collect();
    let dropped: Vec<_> = map
        .links
        .iter()
        .filter(|l| !keep.contains(&l.id))
        .map(|l| l.id)
        .collect();
    if !dropped.is_empty() {
        out.push(Op::RemoveLinks(dropped));
    }
    let ids: Vec<u64> = map
        .links
        .iter()
        .filter(|l| keep.contains(&l.id))
        .map(|l| l.id.0)
        .collect();
    let (moved, add) = reorder(&ids, &links, |l| l.id.0);
    let reinserted: IdSet<LinkId> = moved.iter().map(|id| LinkId(*id)).collect();
    if !moved.is_empty() {
        out.push(Op::RemoveLinks(moved.into_iter().map(LinkId).collect()));
    }
    for (l, at) in add {
        out.push(Op::InsertLinks {
            links: vec![(*l).clone()],
            at: vec![at],
        });
    }
    for l in &links {
        if let Some(old) = map.link(l.id).filter(|_| !reinserted.contains(&l.id)) {
            out.extend(diff::link_ops(old, l));
        }
    }

    // What things stood on: removed last.
    for c in &map.emotion.curves {
        if !frame.curves.iter().any(|f| f.id == c.id) {
            out.push(Op::RemoveCurve(c.id));
        }
    }
    for s in &map.stages {
        if !frame.stages.iter().any(|f| f.id == s.id) {
            out.push(Op::RemoveStage(s.id));
        }
    }
    for l in &map.lanes {
        if !frame.lanes.iter().any(|f| f.id == l.id) {
            out.push(Op::RemoveLane(l.id));
        }
    }
    for p in &map.personas {
        if !frame.personas.iter().any(|f| f.id == p.id) {
            out.push(Op::RemovePersona(p.id));
        }
    }
    (out, again)
}

/// The editor's cards by id: a map of its own when many are looked up, else the map's.
pub(super) struct ById<'a> {
    map: &'a Document,
    own: Option<crate::model::order::IdMap<u64, &'a Card>>,
}

impl<'a> ById<'a> {
    pub fn new(map: &'a Document, lookups: usize) -> Self {
        let own = (lookups > 16).then(|| map.cards.iter().map(|c| (c.id.0, &**c)).collect());
        Self { map, own }
    }

    pub fn get(&self, id: u64) -> Option<&'a Card> {
        match &self.own {
            Some(m) => m.get(&id).copied(),
            None => self.map.card(CardId(id)),
        }
    }
}

fn meta_ops(doc: &LoroDoc, map: &Document, out: &mut Vec<Op>) {
    let mut want = super::empty();
    want.title.clone_from(&map.title);
    want.description.clone_from(&map.description);
    want.executive = map.executive.clone();
    want.conflicts.clone_from(&map.conflicts);
    want.based_on.clone_from(&map.based_on);
    records::to_meta(&mut want, &read(&doc.get_map(META)));
    if want.title != map.title {
        out.push(Op::SetMap(MapField::Title(want.title)));
    }
    if want.description != map.description {
        out.push(Op::SetMap(MapField::Description(want.description)));
    }
    if want.executive != map.executive {
        out.push(Op::SetMap(MapField::Executive(want.executive)));
    }
    if want.based_on != map.based_on {
        out.push(Op::SetMap(MapField::BasedOn(want.based_on)));
    }
    if want.conflicts != map.conflicts {
        out.push(Op::SetMap(MapField::Conflicts(want.conflicts)));
    }
}
