//! What a three-way merge could not decide: one thing changed two ways on the two sides, or
//! removed on one side and changed (or still used) on the other. The map keeps both values
//! (one in place, the other here) until a person picks one; the editor lists them and marks
//! what they are on.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The field name a conflict has when one side removed the thing and the other changed it
/// or still used it.
pub const REMOVED: &str = "removed";

/// One conflict a merge left.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Conflict {
    /// What it is on: `map`, `persona`, `stage`, `lane`, `card`, `curve`, `point` or `link`.
    pub kind: String,
    /// Its id (0 for the map itself).
    pub id: u64,
    /// The field both sides changed, as the file names it (a card's `place` is its stage,
    /// lane and position together); `removed` when one side removed the thing and the other
    /// changed or used it (the map keeps it).
    pub field: String,
    /// Our side's value, the one the map holds (for `removed`: whether our side removed it).
    pub ours: Value,
    /// Their side's value (for `removed`: whether their side removed it).
    pub theirs: Value,
}

impl Conflict {
    /// Whether it is a removal on one side against a change on the other.
    #[must_use]
    pub fn is_removal(&self) -> bool {
        self.field == REMOVED
    }
}

impl super::Document {
    /// Whether the map has the thing a conflict is on.
    #[must_use]
    pub fn has_thing(&self, kind: &str, id: u64) -> bool {
        use super::{CardId, CurveId, LaneId, LinkId, PersonaId, StageId};
        match kind {
            "map" => id == 0,
            "persona" => self.persona(PersonaId(id)).is_some(),
            "stage" => self.stage(StageId(id)).is_some(),
            "lane" => self.lane(LaneId(id)).is_some(),
            "card" => self.card(CardId(id)).is_some(),
            "curve" => self.emotion.curve(CurveId(id)).is_some(),
            "point" => self.emotion.points().any(|(_, p)| p.id.0 == id),
            "link" => self.link(LinkId(id)).is_some(),
            _ => false,
        }
    }

    /// The conflicts on one thing.
    pub fn conflicts_on(&self, kind: &str, id: u64) -> impl Iterator<Item = &Conflict> {
        let kind = kind.to_string();
        self.conflicts
            .iter()
            .filter(move |c| c.kind == kind && c.id == id)
    }

    /// Drops conflicts on what the map does not have (any more), and repeats.
    pub(super) fn repair_conflicts(&mut self, r: &mut super::Repairs) {
        let before = self.conflicts.len();
        let mut seen = std::collections::HashSet::new();
        let conflicts = std::mem::take(&mut self.conflicts);
        self.conflicts = conflicts
            .into_iter()
            .filter(|c| {
                self.has_thing(&c.kind, c.id)
                    && seen.insert((c.kind.clone(), c.id, c.field.clone()))
            })
            .collect();
        if self.conflicts.len() != before {
            r.add(format!(
                "{} merge conflict(s) on things the map does not have, or repeated, were dropped",
                before - self.conflicts.len()
            ));
        }
    }
}
