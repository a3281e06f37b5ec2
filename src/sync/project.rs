//! What the shared document says the map is: its records read into the map's own types.
//!
//! The projection is a function of the shared state alone — every replica that has the same
//! changes reads the same map. Things that stand on something removed are left out (a card
//! in a removed stage, a point of a removed curve, a link to a removed card, a persona a card
//! names that no longer exists); the records stay, so undoing the removal brings them back.

use loro::{Container, LoroDoc, LoroMap, ValueOrContainer};

use super::records;
use super::schema::{Fields, Kind, META, is_deleted, read};
use crate::model::{
    Card, CardId, Curve, Document, EmotionPoint, Lane, LaneId, Link, Persona, PersonaId, Stage,
    StageId, order,
};

/// The live records of one kind: id and fields, in id order.
pub(super) fn live(doc: &LoroDoc, kind: Kind) -> Vec<(u64, Fields)> {
    let mut out = Vec::new();
    doc.get_map(kind.root()).for_each(|k, v| {
        if let (Ok(id), ValueOrContainer::Container(Container::Map(m))) = (k.parse::<u64>(), v) {
            let f = read(&m);
            if !is_deleted(&f) {
                out.push((id, f));
            }
        }
    });
    out.sort_by_key(|(id, _)| *id);
    out
}

/// One record (live or removed), if it exists.
pub(super) fn record(root: &LoroMap, id: u64) -> Option<(LoroMap, Fields)> {
    match root.get(&id.to_string())? {
        ValueOrContainer::Container(Container::Map(m)) => {
            let f = read(&m);
            Some((m, f))
        }
        ValueOrContainer::Value(_) | ValueOrContainer::Container(_) => None,
    }
}

/// Sorts records of a listed kind by their order key, then id.
fn by_key<T>(mut v: Vec<(String, u64, T)>) -> Vec<T> {
    v.sort_by(|a, b| order::cmp((&a.0, a.1), (&b.0, b.1)));
    v.into_iter().map(|(_, _, t)| t).collect()
}

/// The live records of a listed kind as values, in their shared order.
fn listed<T>(doc: &LoroDoc, kind: Kind, to: impl Fn(u64, Fields) -> Option<T>) -> Vec<T> {
    by_key(
        live(doc, kind)
            .into_iter()
            .filter_map(|(id, f)| {
                let k = records::key_of(&f).to_string();
                to(id, f).map(|t| (k, id, t))
            })
            .collect(),
    )
}

/// Everything but the cards: small (tens to hundreds of records), read whole when touched.
#[derive(Clone, Debug, Default)]
pub(super) struct Frame {
    pub stages: Vec<Stage>,
    pub lanes: Vec<Lane>,
    pub personas: Vec<Persona>,
    /// Curves with their points.
    pub curves: Vec<Curve>,
    /// Links whose ends are live records (the caller checks the cards are shown).
    pub links: Vec<Link>,
    /// Cards of the open private round this viewer did not write.
    pub hidden: std::collections::HashSet<u64>,
}

impl Frame {
    pub fn read(doc: &LoroDoc, viewer: Option<&str>) -> Self {
        let mut stages: Vec<Stage> = live(doc, Kind::Stage)
            .into_iter()
            .filter_map(|(id, f)| records::to_stage(id, f))
            .collect();
        stages.sort_by(|a, b| order::cmp((&a.pos, a.id.0), (&b.pos, b.id.0)));
        let mut lanes: Vec<Lane> = live(doc, Kind::Lane)
            .into_iter()
            .filter_map(|(id, f)| records::to_lane(id, f))
            .collect();
        lanes.sort_by(|a, b| order::cmp((&a.pos, a.id.0), (&b.pos, b.id.0)));
        // A map has one emotion lane: when two people added one at once, the first in
        // order is shown (the other's record stays, and shows if the first is removed).
        let mut emotion = false;
        lanes.retain(|l| {
            let second = l.kind == crate::model::LaneKind::Emotion && emotion;
            emotion |= l.kind == crate::model::LaneKind::Emotion;
            !second
        });
        let personas: Vec<Persona> = listed(doc, Kind::Persona, records::to_persona);
        let has_persona = |p: PersonaId| personas.iter().any(|q| q.id == p);
        let mut curves: Vec<Curve> = listed(doc, Kind::Curve, records::to_curve);
        for c in &mut curves {
            c.persona = c.persona.filter(|p| has_persona(*p));
        }
        let points: Vec<(crate::model::CurveId, EmotionPoint)> =
            listed(doc, Kind::Point, records::to_point);
        for (curve, p) in points {
            if stages.iter().any(|s| s.id == p.stage)
                && let Some(c) = curves.iter_mut().find(|c| c.id == curve)
            {
                c.points.push(p);
            }
        }
        let links = listed(doc, Kind::Link, records::to_link);
        Self {
            stages,
            lanes,
            personas,
            curves,
            links,
            hidden: super::session::hidden(doc, viewer),
        }
    }

    /// Whether a card in this cell is shown.
    pub fn holds(&self, stage: StageId, lane: LaneId) -> bool {
        self.stages.iter().any(|s| s.id == stage)
            && self
                .lanes
                .iter()
                .any(|l| l.id == lane && l.kind.holds_cards())
    }

    /// A card as shown: none if its cell is gone or it is private to someone else;
    /// personas that are gone left out.
    pub fn card(&self, id: u64, f: Fields) -> Option<Card> {
        if self.hidden.contains(&id) {
            return None;
        }
        let mut c = records::to_card(id, f)?;
        if !self.holds(c.stage, c.lane) {
            return None;
        }
        c.personas
            .retain(|p| self.personas.iter().any(|q| q.id == *p));
        Some(c)
    }
}

/// The whole map the shared document holds.
pub(super) fn document(doc: &LoroDoc, viewer: Option<&str>) -> Document {
    let frame = Frame::read(doc, viewer);
    let mut d = super::empty();
    records::to_meta(&mut d, &read(&doc.get_map(META)));
    d.cards = live(doc, Kind::Card)
        .into_iter()
        .filter_map(|(id, f)| frame.card(id, f).map(std::sync::Arc::new))
        .collect();
    let shown: crate::model::order::IdSet<CardId> = d.cards.iter().map(|c| c.id).collect();
    d.links = frame
        .links
        .into_iter()
        .filter(|l| shown.contains(&l.from) && shown.contains(&l.to))
        .collect();
    d.stages = frame.stages;
    d.lanes = frame.lanes;
    d.personas = frame.personas;
    d.emotion.curves = frame.curves;
    d.normalize();
    d
}
