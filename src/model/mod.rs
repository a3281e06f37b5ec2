//! The journey-map document: plain, serialisable data with stable ids and no UI types.
//!
//! It stores meaning, not pixels: stage order and width, lane order and kind, a card's cell
//! (stage × lane) and its order within that cell (the order of the `cards` vector), and emotion
//! points anchored to a stage by an offset, so they follow stage moves and resizes.

mod sample;
mod synthetic;

pub use sample::{new_map, sample_map};
pub use synthetic::synthetic_map;

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
    /// Whose journey this is (usually one persona per map).
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
    /// The customer's emotion curve.
    #[serde(default)]
    pub emotion: EmotionCurve,
    /// The next free id; every id in the map is below it.
    pub next_id: u64,
}

/// Whose journey it is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Persona {
    /// Stable id.
    pub id: PersonaId,
    /// Name, e.g. "Dana".
    pub name: String,
    /// Who they are and what they want.
    #[serde(default)]
    pub description: String,
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
}

/// What a lane holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LaneKind {
    /// What the customer does.
    Actions,
    /// Where the customer meets the company, each on a channel.
    Touchpoints,
    /// What the customer thinks and feels.
    Thoughts,
    /// The emotion curve (one per map; holds no cards).
    Emotion,
    /// Where the experience breaks.
    PainPoints,
    /// What could be better.
    Opportunities,
    /// What staff and systems do out of the customer's view.
    Backstage,
    /// Anything else (owners, metrics, evidence …).
    Custom,
}

impl LaneKind {
    /// Every kind, in the order menus list them.
    pub const ALL: [LaneKind; 8] = [
        LaneKind::Actions,
        LaneKind::Touchpoints,
        LaneKind::Thoughts,
        LaneKind::Emotion,
        LaneKind::PainPoints,
        LaneKind::Opportunities,
        LaneKind::Backstage,
        LaneKind::Custom,
    ];

    /// The name a facilitator uses.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            LaneKind::Actions => "Actions",
            LaneKind::Touchpoints => "Touchpoints",
            LaneKind::Thoughts => "Thoughts & feelings",
            LaneKind::Emotion => "Emotion",
            LaneKind::PainPoints => "Pain points",
            LaneKind::Opportunities => "Opportunities",
            LaneKind::Backstage => "Backstage",
            LaneKind::Custom => "Custom",
        }
    }

    /// Whether the lane holds cards (all but the emotion lane).
    #[must_use]
    pub fn holds_cards(self) -> bool {
        self != LaneKind::Emotion
    }
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
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
fn is_false(b: &bool) -> bool {
    !*b
}

/// The channel of a touchpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Telephone with a person.
    Phone,
    /// Email.
    Email,
    /// Chat or chat bot.
    Chat,
    /// Website.
    Web,
    /// Mobile app.
    App,
    /// Face to face, in a shop or at home.
    InPerson,
    /// Social media.
    Social,
    /// Letters and printed mail.
    Post,
    /// FAQ and other self-service.
    SelfService,
    /// Phone menu (interactive voice response).
    Ivr,
    /// Any other channel.
    Other,
}

impl Channel {
    /// Every channel, in the order menus list them.
    pub const ALL: [Channel; 11] = [
        Channel::Phone,
        Channel::Email,
        Channel::Chat,
        Channel::Web,
        Channel::App,
        Channel::InPerson,
        Channel::Social,
        Channel::Post,
        Channel::SelfService,
        Channel::Ivr,
        Channel::Other,
    ];

    /// The name shown on cards and in menus.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Channel::Phone => "Phone",
            Channel::Email => "Email",
            Channel::Chat => "Chat",
            Channel::Web => "Web",
            Channel::App => "App",
            Channel::InPerson => "In person",
            Channel::Social => "Social",
            Channel::Post => "Post",
            Channel::SelfService => "Self-service",
            Channel::Ivr => "IVR",
            Channel::Other => "Other",
        }
    }

    /// The letter that picks the channel from the keyboard (Alt+letter in the editor): the
    /// initial where it is free, else a letter of the word (m for post/mail, f for FAQ/self-
    /// service, v for IVR/voice menu). Unique among channels; `n` is kept for "no channel".
    #[must_use]
    pub fn key(self) -> char {
        match self {
            Channel::Phone => 'p',
            Channel::Email => 'e',
            Channel::Chat => 'c',
            Channel::Web => 'w',
            Channel::App => 'a',
            Channel::InPerson => 'i',
            Channel::Social => 's',
            Channel::Post => 'm',
            Channel::SelfService => 'f',
            Channel::Ivr => 'v',
            Channel::Other => 'o',
        }
    }

    /// The channel a letter picks (see [`Channel::key`]).
    #[must_use]
    pub fn from_key(c: char) -> Option<Channel> {
        let c = c.to_ascii_lowercase();
        Channel::ALL.into_iter().find(|ch| ch.key() == c)
    }
}

/// The letter that clears a touchpoint's channel.
pub const NO_CHANNEL_KEY: char = 'n';

/// A card in one cell (stage × lane).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Card {
    /// Stable id.
    pub id: CardId,
    /// The stage (column) it sits in.
    pub stage: StageId,
    /// The lane (row) it sits in.
    pub lane: LaneId,
    /// What it says.
    pub text: String,
    /// The channel, for touchpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    /// The department that owns it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub owner: String,
    /// A longer note (evidence, source, detail).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Whether this touchpoint decides if the customer stays.
    #[serde(default, skip_serializing_if = "is_false")]
    pub moment_of_truth: bool,
}

impl Card {
    /// A plain card with only text.
    #[must_use]
    pub fn new(id: CardId, stage: StageId, lane: LaneId, text: impl Into<String>) -> Self {
        Self {
            id,
            stage,
            lane,
            text: text.into(),
            channel: None,
            owner: String::new(),
            note: String::new(),
            moment_of_truth: false,
        }
    }
}

/// The scale of the emotion curve: whole steps from `min` to `max`, each with a label.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EmotionScale {
    /// Lowest value (worst feeling).
    pub min: i32,
    /// Highest value (best feeling).
    pub max: i32,
    /// One label per step from `min` to `max`.
    pub labels: Vec<String>,
}

impl Default for EmotionScale {
    fn default() -> Self {
        Self {
            min: -2,
            max: 2,
            labels: [
                "Very negative",
                "Negative",
                "Neutral",
                "Positive",
                "Very positive",
            ]
            .map(String::from)
            .to_vec(),
        }
    }
}

impl EmotionScale {
    /// The label of a whole step, if it has one.
    #[must_use]
    pub fn label(&self, value: i32) -> Option<&str> {
        let i = usize::try_from(value - self.min).ok()?;
        self.labels.get(i).map(String::as_str)
    }

    /// `value` clamped into the scale.
    #[must_use]
    pub fn clamp(&self, value: f32) -> f32 {
        value.clamp(self.min as f32, self.max as f32)
    }
}

/// One point of the emotion curve, anchored to a stage.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EmotionPoint {
    /// Stable id.
    pub id: PointId,
    /// The stage it belongs to.
    pub stage: StageId,
    /// Where in the stage, from 0 (left edge) to 1 (right edge).
    pub offset: f32,
    /// How the customer feels, within the scale.
    pub value: f32,
}

/// The customer's emotion curve across the stages.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EmotionCurve {
    /// Its scale.
    #[serde(default)]
    pub scale: EmotionScale,
    /// Its points (shown ordered by stage, then offset).
    #[serde(default)]
    pub points: Vec<EmotionPoint>,
}

impl Document {
    /// A fresh id, unique in this map.
    pub fn alloc_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
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

    /// The card with this id.
    #[must_use]
    pub fn card(&self, id: CardId) -> Option<&Card> {
        self.cards.iter().find(|c| c.id == id).map(|c| &**c)
    }

    /// The card at `index` of `cards`, to change (copied first if a snapshot shares it).
    pub fn card_at_mut(&mut self, index: usize) -> &mut Card {
        Arc::make_mut(&mut self.cards[index])
    }

    /// The emotion point with this id.
    #[must_use]
    pub fn point(&self, id: PointId) -> Option<&EmotionPoint> {
        self.emotion.points.iter().find(|p| p.id == id)
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

    /// Checks the references and ids that the type system cannot: every card and point refers
    /// to an existing stage and lane, ids are unique and below `next_id`, at most one emotion
    /// lane, and numbers are finite.
    ///
    /// # Errors
    /// A sentence naming the first problem found.
    pub fn validate(&self) -> Result<(), String> {
        if self.next_id > MAX_ID {
            return Err(format!("next_id {} is larger than {MAX_ID}", self.next_id));
        }
        let mut seen = std::collections::BTreeSet::new();
        let mut check_id = |kind: &str, id: u64| -> Result<(), String> {
            if id >= self.next_id {
                return Err(format!(
                    "{kind} id {id} is not below next_id {}",
                    self.next_id
                ));
            }
            if !seen.insert(id) {
                return Err(format!("id {id} is used twice (a {kind})"));
            }
            Ok(())
        };
        for p in &self.personas {
            check_id("persona", p.id.0)?;
        }
        for s in &self.stages {
            check_id("stage", s.id.0)?;
            if !s.width.is_finite() || !(MIN_STAGE_WIDTH..=MAX_STAGE_WIDTH).contains(&s.width) {
                return Err(format!(
                    "stage {} has width {}; a stage is {MIN_STAGE_WIDTH} to {MAX_STAGE_WIDTH} wide",
                    s.id.0, s.width
                ));
            }
        }
        for l in &self.lanes {
            check_id("lane", l.id.0)?;
        }
        if self
            .lanes
            .iter()
            .filter(|l| l.kind == LaneKind::Emotion)
            .count()
            > 1
        {
            return Err("a map has at most one emotion lane".into());
        }
        for c in &self.cards {
            check_id("card", c.id.0)?;
            if self.stage(c.stage).is_none() {
                return Err(format!(
                    "card {} is in stage {}, which does not exist",
                    c.id.0, c.stage.0
                ));
            }
            match self.lane(c.lane) {
                None => {
                    return Err(format!(
                        "card {} is in lane {}, which does not exist",
                        c.id.0, c.lane.0
                    ));
                }
                Some(l) if !l.kind.holds_cards() => {
                    return Err(format!(
                        "card {} is in the emotion lane, which holds no cards",
                        c.id.0
                    ));
                }
                Some(_) => {}
            }
        }
        let scale = &self.emotion.scale;
        if scale.min >= scale.max {
            return Err(format!(
                "emotion scale min {} is not below max {}",
                scale.min, scale.max
            ));
        }
        if i64::from(scale.max) - i64::from(scale.min) + 1 > MAX_SCALE_STEPS {
            return Err(format!(
                "emotion scale {}..{} has more than {MAX_SCALE_STEPS} steps",
                scale.min, scale.max
            ));
        }
        for p in &self.emotion.points {
            check_id("emotion point", p.id.0)?;
            if self.stage(p.stage).is_none() {
                return Err(format!(
                    "emotion point {} is in stage {}, which does not exist",
                    p.id.0, p.stage.0
                ));
            }
            if !(0.0..=1.0).contains(&p.offset) {
                return Err(format!(
                    "emotion point {} has offset {}; an offset is 0 (stage start) to 1 (stage end)",
                    p.id.0, p.offset
                ));
            }
            if !(scale.min as f32..=scale.max as f32).contains(&p.value) {
                return Err(format!(
                    "emotion point {} has value {}, outside the scale {}..{}",
                    p.id.0, p.value, scale.min, scale.max
                ));
            }
        }
        Ok(())
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
    fn channel_keys_are_unique() {
        let mut keys: Vec<char> = Channel::ALL.iter().map(|c| c.key()).collect();
        keys.push(NO_CHANNEL_KEY);
        let n = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), n);
        for c in Channel::ALL {
            assert_eq!(Channel::from_key(c.key()), Some(c));
        }
    }

    #[test]
    fn validate_refuses_what_would_break_the_editor() {
        sample_map().validate().unwrap();
        assert!(broken(|d| d.emotion.scale.max = i32::MAX).contains("steps"));
        assert!(broken(|d| d.emotion.scale.min = i32::MIN).contains("steps"));
        assert!(broken(|d| d.emotion.points[0].value = 9.0).contains("outside the scale"));
        assert!(broken(|d| d.emotion.points[0].offset = -1.0).contains("offset"));
        assert!(broken(|d| d.stages[0].width = 0.0).contains("wide"));
        assert!(broken(|d| d.stages[0].width = f32::NAN).contains("wide"));
        assert!(broken(|d| d.next_id = u64::MAX).contains("next_id"));
        assert!(broken(|d| d.card_at_mut(0).id = d.cards[1].id).contains("twice"));
        assert!(broken(|d| d.card_at_mut(0).stage = StageId(99_999)).contains("does not exist"));
        let emotion = d_emotion_lane(&sample_map());
        assert!(broken(|d| d.card_at_mut(0).lane = emotion).contains("holds no cards"));
    }

    fn d_emotion_lane(d: &Document) -> LaneId {
        d.emotion_lane().unwrap().id
    }
}
