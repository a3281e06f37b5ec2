//! A card and its marks: channel, owner, note, moment of truth, severity (pain points),
//! priority (opportunities), evidence, and named metrics.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{CardId, Channel, LaneId, StageId, is_false};

/// Whether a card is backed by research or assumed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// Seen in research (interviews, analytics, surveys …).
    Researched,
    /// Believed, not yet checked.
    Assumed,
}

/// What a card rests on.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct Evidence {
    /// Researched or assumed.
    pub kind: EvidenceKind,
    /// Where it comes from ("12 interviews, May 2026", a link …).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
}

/// A named number on a card: CSAT, NPS, effort, contact volume …
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct Metric {
    /// Its name.
    pub name: String,
    /// Its value (finite).
    pub value: f64,
}

// Metrics compare by their bits, so cards stay `Eq` (values are checked to be finite).
impl PartialEq for Metric {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.value.to_bits() == other.value.to_bits()
    }
}

impl Eq for Metric {}

/// Highest severity of a pain point and priority of an opportunity.
pub const MAX_LEVEL: u8 = 3;

/// A card in one cell (stage × lane).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Card {
    /// Stable id.
    pub id: CardId,
    /// The stage (column) it sits in.
    pub stage: StageId,
    /// The lane (row) it sits in.
    pub lane: LaneId,
    /// Its place among the cards of its cell (see [`super::order`]).
    #[serde(default)]
    pub pos: String,
    /// What it says.
    pub text: String,
    /// The channel, for touchpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    /// The name of an "other" channel (a touchpoint on a channel the list lacks).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub channel_name: String,
    /// The department that owns it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub owner: String,
    /// A longer note (evidence, source, detail).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Whether this touchpoint decides if the customer stays.
    #[serde(default, skip_serializing_if = "is_false")]
    pub moment_of_truth: bool,
    /// How bad a pain point is: 1 (minor) to 3 (severe).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<u8>,
    /// How important an opportunity is: 1 (nice to have) to 3 (do first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<u8>,
    /// Whether it is researched (and where from) or assumed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
    /// Named numbers (CSAT, NPS, effort, contact volume …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<Metric>,
    /// Whose step or moment it is (the actors of a Mermaid task).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub personas: Vec<super::PersonaId>,
}

impl Card {
    /// A plain card with only text.
    #[must_use]
    pub fn new(id: CardId, stage: StageId, lane: LaneId, text: impl Into<String>) -> Self {
        Self {
            id,
            stage,
            lane,
            pos: String::new(),
            text: text.into(),
            channel: None,
            channel_name: String::new(),
            owner: String::new(),
            note: String::new(),
            moment_of_truth: false,
            severity: None,
            priority: None,
            evidence: None,
            metrics: Vec::new(),
            personas: Vec::new(),
        }
    }

    /// The value of a named metric.
    #[must_use]
    pub fn metric(&self, name: &str) -> Option<f64> {
        self.metrics
            .iter()
            .find(|m| m.name == name)
            .map(|m| m.value)
    }

    /// The channel as shown: its label, or the name of an "other" channel.
    #[must_use]
    pub fn channel_label(&self) -> Option<&str> {
        match self.channel? {
            Channel::Other if !self.channel_name.trim().is_empty() => {
                Some(self.channel_name.trim())
            }
            c => Some(c.label()),
        }
    }
}
