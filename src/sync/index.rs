//! What the projection needs of every card record, kept without reading the shared
//! document again: where the card is, which personas it names, whether it was removed.
//!
//! Reading a 10,000-card document back costs ≈ 20 ms (Loro's maps, then JSON), more than a
//! frame. When something cards stand on changes (a stage, lane or persona comes back, a
//! private round is revealed, an op was refused), this index says which cards may show or
//! hide or name a persona again, and only those records are read. It is kept up to date by
//! everything that reads a card record (the changes other replicas make) and everything
//! that writes one (our own); when neither could keep it (a change undone on the hub, the
//! changes forgotten) it is read again whole, once.

use std::collections::{BTreeSet, HashMap};

use loro::{Container, LoroDoc, ValueOrContainer};
use serde_json::Value;

use super::project::Frame;
use super::schema::{DELETED, Fields, Kind, read};
use crate::model::{Card, Document};

/// One card record, as far as showing it goes.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Facts {
    stage: u64,
    lane: u64,
    personas: Vec<u64>,
    deleted: bool,
}

impl Facts {
    fn of_fields(f: &Fields) -> Self {
        let place = f.get("place").and_then(Value::as_array);
        let at = |i: usize| {
            place
                .and_then(|p| p.get(i))
                .and_then(Value::as_u64)
                .unwrap_or(0)
        };
        Self {
            stage: at(0),
            lane: at(1),
            personas: f
                .get("personas")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_u64).collect())
                .unwrap_or_default(),
            deleted: f.get(DELETED).and_then(Value::as_bool) == Some(true),
        }
    }

    fn of_card(c: &Card) -> Self {
        Self {
            stage: c.stage.0,
            lane: c.lane.0,
            personas: c.personas.iter().map(|p| p.0).collect(),
            deleted: false,
        }
    }
}

/// The index (see the module).
#[derive(Debug, Default)]
pub(super) struct CardIndex {
    facts: HashMap<u64, Facts>,
    /// Whether `facts` holds every card record as it is now.
    ok: bool,
}

impl CardIndex {
    /// A record was read: `None` if it does not exist.
    pub fn note(&mut self, id: u64, fields: Option<&Fields>) {
        match fields {
            Some(f) => {
                self.facts.insert(id, Facts::of_fields(f));
            }
            None => {
                self.facts.remove(&id);
            }
        }
    }

    /// A card was written as the editor has it.
    pub fn wrote(&mut self, c: &Card) {
        self.facts.insert(c.id.0, Facts::of_card(c));
    }

    /// A record was marked removed (where it was no longer matters: it shows nowhere until
    /// someone's change to it, which names it, brings it back).
    pub fn removed(&mut self, id: u64) {
        self.facts
            .entry(id)
            .or_insert(Facts {
                stage: 0,
                lane: 0,
                personas: Vec::new(),
                deleted: true,
            })
            .deleted = true;
    }

    /// Every record was just written: the index is whole.
    pub fn whole(&mut self) {
        self.ok = true;
    }

    /// Something changed the records without telling: read them all again when next needed.
    pub fn forget(&mut self) {
        self.ok = false;
    }

    /// Every record was just read (in `all`): the index is whole again.
    pub fn rebuilt(&mut self, all: &[(u64, Option<Fields>)]) {
        self.facts.clear();
        for (id, f) in all {
            if let Some(f) = f {
                self.facts.insert(*id, Facts::of_fields(f));
            }
        }
        self.ok = true;
    }

    /// Reads every card record (≈ 20 ms at 10,000 cards: when a session starts).
    pub fn read_all(&mut self, doc: &LoroDoc) {
        let mut all = Vec::new();
        doc.get_map(Kind::Card.root()).for_each(|k, v| {
            if let (Ok(id), ValueOrContainer::Container(Container::Map(m))) = (k.parse::<u64>(), v)
            {
                all.push((id, Some(read(&m))));
            }
        });
        self.rebuilt(&all);
    }

    /// The cards whose showing may differ between `map` and the shared document given the
    /// frame (stages, lanes, personas, private cards) as it now is: shown but should not be,
    /// should be but is not, naming personas other than the record does. Reads every
    /// record first if the index is not whole.
    pub fn unsettled(&mut self, doc: &LoroDoc, frame: &Frame, map: &Document) -> BTreeSet<u64> {
        if !self.ok {
            self.read_all(doc);
        }
        let persona = |p: &u64| frame.personas.iter().any(|q| q.id.0 == *p);
        let cards = super::reconcile::ById::new(map, self.facts.len());
        let mut out = BTreeSet::new();
        for (id, f) in &self.facts {
            let want = !f.deleted
                && frame.holds(crate::model::StageId(f.stage), crate::model::LaneId(f.lane))
                && !frame.hidden.contains(id);
            let fine = match cards.get(*id) {
                None => !want,
                Some(c) => {
                    want && c.stage.0 == f.stage
                        && c.lane.0 == f.lane
                        && c.personas.iter().map(|p| p.0).eq(f
                            .personas
                            .iter()
                            .copied()
                            .filter(persona))
                }
            };
            if !fine {
                out.insert(*id);
            }
        }
        out.extend(
            map.cards
                .iter()
                .map(|c| c.id.0)
                .filter(|id| !self.facts.contains_key(id)),
        );
        out
    }
}
