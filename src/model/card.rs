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
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct Metric {
    /// Its name.
    pub name: String,
    /// Its value (finite).
    pub value: f64,
    /// Where it is read from, when it is kept up to date from data (`journeymap refresh`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<MetricSource>,
    /// When it was last read from its source (UTC date, `YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refreshed: Option<String>,
}

/// Where a metric is read from: a column of a CSV table (a survey export, a contact-centre
/// report), over the rows a filter keeps, summed up one way.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MetricSource {
    /// The CSV file, relative to the map's folder (or absolute).
    pub file: String,
    /// The column (by its header, any case).
    pub column: String,
    /// Only rows where another column has a value: `Column=value` (any case; empty: all
    /// rows).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub filter: String,
    /// How the column's numbers become the value.
    #[serde(default)]
    pub how: Aggregate,
    /// After how many days since it was read the value is flagged as stale (0: never).
    #[serde(default = "default_max_age")]
    pub max_age_days: u32,
}

fn default_max_age() -> u32 {
    90
}

/// How a column's numbers become one value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Aggregate {
    /// Their mean (a score).
    #[default]
    Mean,
    /// Their sum (a volume).
    Sum,
    /// How many rows have a number.
    Count,
}

impl Aggregate {
    /// Every way, as menus list them.
    pub const ALL: [Aggregate; 3] = [Aggregate::Mean, Aggregate::Sum, Aggregate::Count];

    /// Its name.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Aggregate::Mean => "mean",
            Aggregate::Sum => "sum",
            Aggregate::Count => "count",
        }
    }
}

impl Metric {
    /// Whether its value is older than its source allows on day `today` (days since
    /// 1970-01-01): never read, or read more than `max_age_days` ago. `None`: it has no
    /// source, or no age limit. Else the days since it was read (`None` inside: never).
    #[must_use]
    pub fn stale(&self, today: i64) -> Option<Option<i64>> {
        let s = self.source.as_ref().filter(|s| s.max_age_days > 0)?;
        match self.refreshed.as_deref().and_then(crate::text::day_of) {
            None => Some(None),
            Some(day) => {
                let age = today - day;
                (age > i64::from(s.max_age_days)).then_some(Some(age))
            }
        }
    }
}

// Metrics compare by their bits, so cards stay `Eq` (values are checked to be finite).
impl PartialEq for Metric {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.value.to_bits() == other.value.to_bits()
            && self.source == other.source
            && self.refreshed == other.refreshed
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
    /// Links to cards or stages in other maps.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub map_links: Vec<super::MapLink>,
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
            map_links: Vec::new(),
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
