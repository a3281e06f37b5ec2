//! The journey-map document: plain, serialisable data with stable ids and no UI types.
//!
//! It stores meaning, not pixels: stage order and width, lane order and kind, a card's cell
//! (stage × lane) and its order within that cell (the order of the `cards` vector), curves whose
//! points are anchored to a stage by an offset (so they follow stage moves and resizes), and
//! links between cards (a pain point to its root cause).

mod card;
mod conflict;
mod emotion;
mod executive;
mod index;
mod kinds;
mod map_link;
mod moments;
mod normalize;
pub mod order;
mod sample;
mod synthetic;
mod validate;

/// How big a map may be: a file over a limit is refused with a message naming it, and the
/// editor never builds a map over one (documented in docs/FORMAT.md).
pub mod limits {
    /// Stages.
    pub const MAX_STAGES: usize = 1_000;
    /// Lanes.
    pub const MAX_LANES: usize = 200;
    /// Cards.
    pub const MAX_CARDS: usize = 100_000;
    /// Links.
    pub const MAX_LINKS: usize = 100_000;
    /// Personas.
    pub const MAX_PERSONAS: usize = 200;
    /// Curves.
    pub const MAX_CURVES: usize = 50;
    /// Emotion points, over all curves.
    pub const MAX_POINTS: usize = 100_000;
    /// Characters of one text (a card, a note, a name, a description, a label).
    pub const MAX_TEXT: usize = 20_000;
    /// Metrics on one card.
    pub const MAX_METRICS: usize = 200;
    /// Steps of the emotion scale (and so its labels).
    pub const MAX_SCALE_STEPS: usize = 101;
}

pub use card::{Aggregate, Card, Evidence, EvidenceKind, MAX_LEVEL, Metric, MetricSource};
pub use conflict::{Conflict, REMOVED};
pub use emotion::{Curve, CurveKind, Emotion, EmotionPoint, EmotionScale, Units};
pub use executive::{
    ExecutiveView, MapView, always_shown, executive_view, inherited_owners, owners,
};
pub use index::CardIndex;
pub use kinds::{Blueprint, Channel, Hue, LaneKind, LaneKindInfo, NO_CHANNEL_KEY};
pub use map_link::{MAX_MAP_LINKS, MapLink, MapTarget, lexical, rebase, relative_name};
pub use moments::{
    CURVE_STEPS, GAP_LABEL_MIN, GAP_LABELS, StageGap, WORST_MOMENTS, experience_curve, largest,
    stage_gaps, tied_cards, worst_points,
};
pub use normalize::{CardOrder, Repairs};
pub use sample::{new_map, sample_map};
pub use synthetic::{synthetic_deep, synthetic_map};

use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
        )]
        #[serde(transparent)]
        pub struct $name(pub u64);
    };
}

id_type!(
    /// Stable id of a stage (column).
    StageId
);
id_type!(
    /// Stable id of a lane (row).
    LaneId
);
id_type!(
    /// Stable id of a card.
    CardId
);
id_type!(
    /// Stable id of an emotion-curve point.
    PointId
);
id_type!(
    /// Stable id of a persona.
    PersonaId
);
id_type!(
    /// Stable id of an emotion curve.
    CurveId
);
id_type!(
    /// Stable id of a link between two cards.
    LinkId
);

/// Default width of a new stage, in world units.
pub const DEFAULT_STAGE_WIDTH: f32 = 240.0;
/// Narrowest a stage may be, in world units.
pub const MIN_STAGE_WIDTH: f32 = 120.0;
/// Widest a stage may be, in world units.
pub const MAX_STAGE_WIDTH: f32 = 1200.0;
/// Most steps an emotion scale may have (−2..+2 has 5; 1–5 has 5; UXPressia-style up to 11).
pub const MAX_SCALE_STEPS: i64 = 21;
/// Largest id a map may use: integers above 2^53 do not survive JavaScript and many JSON tools.
pub const MAX_ID: u64 = 1 << 53;

/// A whole journey map.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Document {
    /// The map's title.
    pub title: String,
    /// What the map is about: scope, goal, sources.
    #[serde(default)]
    pub description: String,
    /// Whose journeys these are.
    #[serde(default)]
    pub personas: Vec<Persona>,
    /// Stages (columns), left to right.
    pub stages: Vec<Stage>,
    /// Lanes (rows), top to bottom.
    pub lanes: Vec<Lane>,
    /// Cards; within one cell they are shown in the order they have here.
    // Shared (`Arc`): an undo snapshot or an autosave copies ten thousand cards as pointers.
    #[serde(default)]
    pub cards: Vec<Arc<Card>>,
    /// The emotion lane's scale and curves.
    #[serde(default)]
    pub emotion: Emotion,
    /// Links between cards (a pain point to its root cause …).
    #[serde(default)]
    pub links: Vec<Link>,
    /// What the executive view shows.
    #[serde(default, skip_serializing_if = "ExecutiveView::is_default")]
    pub executive: ExecutiveView,
    /// How the editor last showed the map (executive view, colouring).
    #[serde(default, skip_serializing_if = "MapView::is_default")]
    pub view: MapView,
    /// Where each card stands in `cards` (a cache: not saved, not compared).
    #[serde(skip)]
    #[schemars(skip)]
    pub card_index: index::CardIndex,
    /// The owners in the order their colours are given, saved with the map so that an owner
    /// keeps its colour in every view, export and session (owners new since follow in the
    /// order of their first card; see [`owners`]).
    #[serde(default, rename = "owners", skip_serializing_if = "Vec::is_empty")]
    pub owner_order: Vec<String>,
    /// The map this one is based on (the current state a future state improves on, the
    /// version it grew from): a path relative to this map's folder; empty: none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub based_on: String,
    /// What a three-way merge left for a person to decide (see [`Conflict`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<Conflict>,
}

/// Hands out ids 1, 2, 3 … for a map being built from scratch (the sample, an import, a
/// synthetic map): such a map is new, so counting is unique. Edits mint random ids instead
/// (see `edit`), so that two copies of a map never give out the same id.
#[derive(Clone, Debug)]
pub struct IdGen(u64);

impl Default for IdGen {
    fn default() -> Self {
        Self(1)
    }
}

impl IdGen {
    /// Counting from `first`.
    #[must_use]
    pub fn from(first: u64) -> Self {
        Self(first.max(1))
    }

    /// The next id.
    pub fn next_id(&mut self) -> u64 {
        let id = self.0;
        self.0 += 1;
        id
    }
}

/// Whose journey it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Persona {
    /// Stable id.
    pub id: PersonaId,
    /// Name, e.g. "Dana".
    pub name: String,
    /// Who they are.
    #[serde(default)]
    pub description: String,
    /// Their role or segment ("small-business owner").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub role: String,
    /// What they want to get done.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub goals: String,
    /// What they expect of the company.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub expectations: String,
    /// A quote in their words.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub quote: String,
    /// Their colour (their curves and marks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hue: Option<Hue>,
}

impl Persona {
    /// A persona with a name only.
    #[must_use]
    pub fn named(id: PersonaId, name: impl Into<String>) -> Self {
        Self {
            id,
            name: name.into(),
            description: String::new(),
            role: String::new(),
            goals: String::new(),
            expectations: String::new(),
            quote: String::new(),
            hue: None,
        }
    }
}

/// A journey stage (a column).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Stage {
    /// Stable id.
    pub id: StageId,
    /// Name shown in the header.
    pub name: String,
    /// Width in world units.
    pub width: f32,
    /// Its place among the stages (see [`order`]); stages are kept in this order.
    #[serde(default)]
    pub pos: String,
}

/// A lane (a row).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Lane {
    /// Stable id.
    pub id: LaneId,
    /// Name shown at the left.
    pub name: String,
    /// What the lane holds.
    pub kind: LaneKind,
    /// Hidden lanes are neither shown nor exported, but kept.
    #[serde(default, skip_serializing_if = "is_false")]
    pub hidden: bool,
    /// Its place among the lanes (see [`order`]); lanes are kept in this order.
    #[serde(default)]
    pub pos: String,
}

/// How one card relates to another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// The target causes this card (a pain point → its root cause).
    Causes,
    /// This card leads to the target.
    LeadsTo,
    /// Related, without a direction that matters.
    RelatesTo,
}

impl LinkKind {
    /// Every kind, in the order menus list them.
    pub const ALL: [LinkKind; 3] = [LinkKind::Causes, LinkKind::LeadsTo, LinkKind::RelatesTo];

    /// The name shown in menus and legends.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            LinkKind::Causes => "is caused by",
            LinkKind::LeadsTo => "leads to",
            LinkKind::RelatesTo => "relates to",
        }
    }
}

/// A link from one card to another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Link {
    /// Stable id.
    pub id: LinkId,
    /// Where it starts.
    pub from: CardId,
    /// Where it points.
    pub to: CardId,
    /// What it means.
    pub kind: LinkKind,
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
pub(crate) fn is_false(b: &bool) -> bool {
    !*b
}

impl Document {
    /// Takes off its personas, stages, lanes, cards, curves and links; what stays is the map's
    /// own settings (title, scale, executive view, view), for a map to be filled again.
    pub fn clear_content(&mut self) {
        self.personas.clear();
        self.stages.clear();
        self.lanes.clear();
        self.cards.clear();
        self.emotion.curves.clear();
        self.links.clear();
    }

    /// An id no part of the map uses (one above the largest): for adding to a map outside
    /// an editor, e.g. while building it. Scans the map.
    #[must_use]
    pub fn unused_id(&self) -> u64 {
        self.all_ids().max().unwrap_or(0) + 1
    }

    /// Every id in the map (personas, stages, lanes, cards, curves, points, links).
    pub fn all_ids(&self) -> impl Iterator<Item = u64> + '_ {
        self.personas
            .iter()
            .map(|p| p.id.0)
            .chain(self.stages.iter().map(|s| s.id.0))
            .chain(self.lanes.iter().map(|l| l.id.0))
            .chain(self.cards.iter().map(|c| c.id.0))
            .chain(self.emotion.curves.iter().map(|c| c.id.0))
            .chain(self.emotion.points().map(|(_, p)| p.id.0))
            .chain(self.links.iter().map(|l| l.id.0))
    }

    /// The stage with this id.
    #[must_use]
    pub fn stage(&self, id: StageId) -> Option<&Stage> {
        self.stages.iter().find(|s| s.id == id)
    }

    /// Index of the stage with this id.
    #[must_use]
    pub fn stage_index(&self, id: StageId) -> Option<usize> {
        self.stages.iter().position(|s| s.id == id)
    }

    /// The lane with this id.
    #[must_use]
    pub fn lane(&self, id: LaneId) -> Option<&Lane> {
        self.lanes.iter().find(|l| l.id == id)
    }

    /// Index of the lane with this id.
    #[must_use]
    pub fn lane_index(&self, id: LaneId) -> Option<usize> {
        self.lanes.iter().position(|l| l.id == id)
    }

    /// The links whose both ends are among `cards` (a view of part of a map keeps them).
    #[must_use]
    pub fn links_among(&self, cards: &std::collections::HashSet<CardId>) -> Vec<Link> {
        self.links
            .iter()
            .filter(|l| cards.contains(&l.from) && cards.contains(&l.to))
            .cloned()
            .collect()
    }

    /// The card with this id.
    #[must_use]
    pub fn card(&self, id: CardId) -> Option<&Card> {
        self.card_position(id).map(|i| &*self.cards[i])
    }

    /// Where the card with this id stands in `cards` (a hash lookup; see `CardIndex`).
    #[must_use]
    pub fn card_position(&self, id: CardId) -> Option<usize> {
        self.card_index.find(self, id)
    }

    /// The card at `index` of `cards`, to change (copied first if a snapshot shares it). The
    /// card index is told (its id or place may change).
    pub fn card_at_mut(&mut self, index: usize) -> &mut Card {
        self.card_index.invalidate();
        Arc::make_mut(&mut self.cards[index])
    }

    /// The emotion point with this id (in whichever curve).
    #[must_use]
    pub fn point(&self, id: PointId) -> Option<&EmotionPoint> {
        self.emotion
            .points()
            .find(|(_, p)| p.id == id)
            .map(|(_, p)| p)
    }

    /// The curve a point belongs to.
    #[must_use]
    pub fn curve_of(&self, id: PointId) -> Option<&Curve> {
        self.emotion
            .points()
            .find(|(_, p)| p.id == id)
            .map(|(c, _)| c)
    }

    /// The persona with this id.
    #[must_use]
    pub fn persona(&self, id: PersonaId) -> Option<&Persona> {
        self.personas.iter().find(|p| p.id == id)
    }

    /// The link with this id.
    #[must_use]
    pub fn link(&self, id: LinkId) -> Option<&Link> {
        self.links.iter().find(|l| l.id == id)
    }

    /// The cards of one cell, in their order.
    pub fn cell_cards(&self, stage: StageId, lane: LaneId) -> impl Iterator<Item = &Card> {
        self.cards
            .iter()
            .filter(move |c| c.stage == stage && c.lane == lane)
            .map(|c| &**c)
    }

    /// The map's emotion lane, if it has one.
    #[must_use]
    pub fn emotion_lane(&self) -> Option<&Lane> {
        self.lanes.iter().find(|l| l.kind == LaneKind::Emotion)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn broken(f: impl FnOnce(&mut Document)) -> String {
        let mut doc = sample_map();
        f(&mut doc);
        doc.validate().expect_err("should be refused")
    }

    #[test]
    fn validate_refuses_what_would_break_the_editor() {
        sample_map().validate().unwrap();
        assert!(broken(|d| d.emotion.scale.max = i32::MAX).contains("1000"));
        assert!(broken(|d| d.emotion.scale.min = i32::MIN).contains("1000"));
        assert!(broken(|d| d.emotion.scale.max = 900).contains("steps"));
        assert!(
            broken(|d| d.emotion.curves[0].points[0].value = 9.0).contains("outside the scale")
        );
        assert!(broken(|d| d.emotion.curves[0].points[0].offset = -1.0).contains("offset"));
        assert!(broken(|d| d.card_at_mut(0).severity = Some(4)).contains("severity"));
        let m = crate::model::Metric {
            name: "CSAT".into(),
            value: f64::NAN,
            ..Default::default()
        };
        assert!(broken(|d| d.card_at_mut(0).metrics.push(m)).contains("not a number"));
        let link = |d: &Document| Link {
            id: LinkId(d.unused_id()),
            from: d.cards[0].id,
            to: CardId(99_999),
            kind: LinkKind::Causes,
        };
        assert!(
            broken(|d| {
                let l = link(d);
                d.links.push(l);
            })
            .contains("does not exist")
        );
        assert!(
            broken(|d| d.emotion.curves[0].persona = Some(PersonaId(77_777))).contains("persona")
        );
        assert!(broken(|d| d.stages[0].width = 0.0).contains("wide"));
        assert!(broken(|d| d.stages[0].width = f32::NAN).contains("wide"));
        assert!(broken(|d| d.stages[0].id = StageId(0)).contains("is not 1 to"));
        assert!(broken(|d| d.stages[0].id = StageId(MAX_ID + 1)).contains("is not 1 to"));
        assert!(broken(|d| d.card_at_mut(0).pos = "0".into()).contains("order key"));
        assert!(broken(|d| d.stages.swap(0, 1)).contains("out of key order"));
        assert!(broken(|d| d.card_at_mut(0).id = d.cards[1].id).contains("twice"));
        assert!(broken(|d| d.card_at_mut(0).stage = StageId(99_999)).contains("does not exist"));
        let emotion = d_emotion_lane(&sample_map());
        assert!(broken(|d| d.card_at_mut(0).lane = emotion).contains("holds no cards"));
    }

    /// Every kind of damage `validate` finds, `normalize` repairs, saying so, and a second
    /// pass finds nothing.
    #[test]
    fn normalize_repairs_what_validate_refuses_and_is_idempotent() {
        type Damage = Box<dyn Fn(&mut Document)>;
        let damage: Vec<Damage> = vec![
            Box::new(|d| d.emotion.scale.max = 900),
            Box::new(|d| d.emotion.curves[0].points[0].value = 9.0),
            Box::new(|d| d.emotion.curves[0].points[0].offset = f32::NAN),
            Box::new(|d| d.card_at_mut(0).severity = Some(4)),
            Box::new(|d| {
                let l = Link {
                    id: LinkId(d.unused_id()),
                    from: d.cards[0].id,
                    to: CardId(99_999),
                    kind: LinkKind::Causes,
                };
                d.links.push(l);
            }),
            Box::new(|d| d.emotion.curves[0].persona = Some(PersonaId(77_777))),
            Box::new(|d| d.stages[0].width = f32::NAN),
            Box::new(|d| d.stages[0].id = StageId(0)),
            Box::new(|d| d.card_at_mut(0).id = d.cards[1].id),
            Box::new(|d| d.card_at_mut(0).stage = StageId(99_999)),
            Box::new(|d| {
                let e = d.emotion_lane().unwrap().id;
                d.card_at_mut(0).lane = e;
            }),
            Box::new(|d| d.card_at_mut(0).pos = "bad key".into()),
            Box::new(|d| d.stages.swap(0, 2)),
            Box::new(|d| d.lanes[1].pos = String::new()),
            Box::new(|d| d.cards.reverse()),
            Box::new(|d| d.lanes[0].kind = LaneKind::Emotion),
        ];
        for (i, f) in damage.iter().enumerate() {
            let mut doc = sample_map();
            f(&mut doc);
            assert!(doc.validate().is_err(), "damage {i} not found by validate");
            let r = doc.normalize();
            assert!(doc.validate().is_ok(), "damage {i}: {:?}", doc.validate());
            let again = doc.clone();
            assert!(
                doc.normalize().is_empty(),
                "damage {i}: second pass repaired"
            );
            assert_eq!(doc, again);
            // Reordering a list is silent only where no key said otherwise.
            assert!(
                !r.is_empty() || i == 14,
                "damage {i} repaired without a word"
            );
        }
    }

    fn d_emotion_lane(d: &Document) -> LaneId {
        d.emotion_lane().unwrap().id
    }
}
