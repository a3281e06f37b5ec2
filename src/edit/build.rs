//! [`Build`]: a new map made through ops, the way importers make theirs. Every id is minted
//! inside `apply` (random, as any edit's, so an imported map shares no id with another map or
//! another import) and every order key is chosen by it; the checks are the edits' own (text
//! lengths, numbers, limits). No undo history is kept: the map is new.

use std::sync::Arc;

use super::{Applied, EditError, MapField, Mint, Op, apply};
use crate::model::{
    Card, CardId, Curve, CurveId, Document, Lane, LaneId, LaneKind, Persona, PersonaId, Stage,
    StageId,
};

/// A map being built through ops (see the module).
pub struct Build {
    doc: Document,
    mint: Mint,
}

impl Build {
    /// Starts from `doc` with its personas, stages, lanes, cards, curves and links taken off
    /// (what stays: the emotion scale, the executive view's settings, the view).
    #[must_use]
    pub fn from_empty(mut doc: Document) -> Self {
        doc.clear_content();
        Self {
            doc,
            mint: Mint::new(super::history::seed()),
        }
    }

    /// The same with ids from `seed` (tests).
    #[must_use]
    pub fn with_seed(doc: Document, seed: u64) -> Self {
        let mut b = Self::from_empty(doc);
        b.mint = Mint::new(seed);
        b
    }

    /// Applies one op.
    ///
    /// # Errors
    /// What the op breaks (the map stays as it was).
    pub fn apply(&mut self, op: Op) -> Result<Applied, EditError> {
        apply(&mut self.doc, op, &mut self.mint)
    }

    /// Applies an insert of one thing and returns the id it was given.
    fn insert(&mut self, op: Op) -> Result<u64, EditError> {
        let applied = self.apply(op)?;
        applied
            .new_ids
            .first()
            .copied()
            .ok_or_else(|| EditError::NotAllowed("no id was minted".into()))
    }

    /// Sets a field of the map.
    ///
    /// # Errors
    /// A text over the limits.
    pub fn set(&mut self, field: MapField) -> Result<(), EditError> {
        self.apply(Op::SetMap(field)).map(drop)
    }

    /// Adds a persona (its id is minted) after the others.
    ///
    /// # Errors
    /// Too many personas, a text over the limits.
    pub fn persona(&mut self, mut persona: Persona) -> Result<PersonaId, EditError> {
        persona.id = PersonaId(0);
        let id = self.insert(Op::InsertPersona {
            persona: Box::new(persona),
            at: None,
        })?;
        Ok(PersonaId(id))
    }

    /// Adds a stage after the others.
    ///
    /// # Errors
    /// Too many stages, a name over the limits.
    pub fn stage(&mut self, name: &str, width: f32) -> Result<StageId, EditError> {
        let id = self.insert(Op::InsertStage(Box::new(Stage {
            id: StageId(0),
            pos: String::new(),
            name: name.to_owned(),
            width,
        })))?;
        Ok(StageId(id))
    }

    /// Adds a lane after the others, or right after lane `after`.
    ///
    /// # Errors
    /// Too many lanes, a second emotion lane, a name over the limits.
    pub fn lane(
        &mut self,
        kind: LaneKind,
        name: &str,
        after: Option<LaneId>,
    ) -> Result<LaneId, EditError> {
        let pos = match after.and_then(|a| self.doc.lanes.iter().position(|l| l.id == a)) {
            Some(i) => crate::model::order::between(
                Some(self.doc.lanes[i].pos.as_str()),
                self.doc.lanes.get(i + 1).map(|l| l.pos.as_str()),
            ),
            None => String::new(),
        };
        let id = self.insert(Op::InsertLane(Box::new(Lane {
            id: LaneId(0),
            pos,
            name: name.to_owned(),
            kind,
            hidden: false,
        })))?;
        Ok(LaneId(id))
    }

    /// Adds a curve with its points (their ids minted too) after the others.
    ///
    /// # Errors
    /// A point in a stage the map lacks, a number that is not one.
    pub fn curve(&mut self, mut curve: Curve) -> Result<CurveId, EditError> {
        curve.id = CurveId(0);
        for p in &mut curve.points {
            p.id.0 = 0;
        }
        let id = self.insert(Op::InsertCurve {
            curve: Box::new(curve),
            at: None,
        })?;
        Ok(CurveId(id))
    }

    /// Adds cards, each after the last of its cell, in the order given (one op, however many).
    ///
    /// # Errors
    /// A card in a cell the map lacks, a text over the limits, too many cards.
    pub fn cards(&mut self, cards: Vec<Card>) -> Result<Vec<CardId>, EditError> {
        if cards.is_empty() {
            return Ok(Vec::new());
        }
        let cards = cards
            .into_iter()
            .map(|mut c| {
                c.id = CardId(0);
                c.pos.clear();
                Arc::new(c)
            })
            .collect();
        let applied = self.apply(Op::InsertCards(cards))?;
        Ok(applied.new_ids.into_iter().map(CardId).collect())
    }

    /// The map so far.
    #[must_use]
    pub fn doc(&self) -> &Document {
        &self.doc
    }

    /// The map built.
    #[must_use]
    pub fn finish(self) -> Document {
        self.doc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A map built through ops is valid, its ids are random (not 1, 2, 3 …) and differ from
    /// another build's, and its order is the order things were added in.
    #[test]
    fn a_built_map_is_valid_with_fresh_ids_in_the_order_given() {
        let build = |seed| {
            let mut b = Build::with_seed(crate::model::new_map(), seed);
            let s1 = b.stage("One", 260.0).unwrap();
            let s2 = b.stage("Two", 260.0).unwrap();
            let actions = b.lane(LaneKind::Actions, "Actions", None).unwrap();
            let pains = b.lane(LaneKind::PainPoints, "Pains", None).unwrap();
            let thoughts = b
                .lane(LaneKind::Thoughts, "Thoughts", Some(actions))
                .unwrap();
            let p = b.persona(Persona::named(PersonaId(7), "Ann")).unwrap();
            let mut c = Card::new(CardId(5), s2, actions, "second");
            c.personas.push(p);
            let ids = b
                .cards(vec![
                    Card::new(CardId(5), s1, actions, "first"),
                    c,
                    Card::new(CardId(0), s1, actions, "after first"),
                    Card::new(CardId(0), s1, pains, "pain"),
                ])
                .unwrap();
            assert_eq!(ids.len(), 4);
            let doc = b.finish();
            doc.validate().unwrap();
            let lanes: Vec<LaneId> = doc.lanes.iter().map(|l| l.id).collect();
            assert_eq!(lanes, [actions, thoughts, pains]);
            let texts: Vec<&str> = doc.cards.iter().map(|c| c.text.as_str()).collect();
            assert_eq!(texts, ["first", "after first", "pain", "second"]);
            assert!(
                doc.all_ids().all(|id| id > 1_000),
                "{:?}",
                doc.all_ids().collect::<Vec<_>>()
            );
            doc
        };
        let (a, b) = (build(1), build(2));
        let ids_a: std::collections::HashSet<u64> = a.all_ids().collect();
        assert!(b.all_ids().all(|id| !ids_a.contains(&id)));
    }

    /// A card in a stage that was never added is refused with the reason.
    #[test]
    fn a_card_in_a_missing_cell_is_refused() {
        let mut b = Build::with_seed(crate::model::new_map(), 3);
        let lane = b.lane(LaneKind::Actions, "Actions", None).unwrap();
        let e = b
            .cards(vec![Card::new(CardId(0), StageId(99), lane, "x")])
            .unwrap_err();
        assert_eq!(e.to_string(), "stage 99 does not exist");
        assert!(b.doc().cards.is_empty());
    }
}
