//! The emotion lane: one scale and several curves — the customer's perceived experience, the
//! service as the company measures it, a future state — each with its points anchored to
//! stages.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{CurveId, Hue, PersonaId, PointId, StageId, is_false};

/// The scale of the emotion curves: whole steps from `min` to `max`, each with a label.
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

    /// The neutral value: 0 when the scale has it, else its middle.
    #[must_use]
    pub fn neutral(&self) -> f32 {
        if self.min <= 0 && self.max >= 0 {
            0.0
        } else {
            ((self.min + self.max) as f32 / 2.0).round()
        }
    }
}

/// One point of a curve, anchored to a stage.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EmotionPoint {
    /// Stable id.
    pub id: PointId,
    /// The stage it belongs to.
    pub stage: StageId,
    /// Where in the stage, from 0 (left edge) to 1 (right edge).
    pub offset: f32,
    /// How the customer feels (or the service scores), within the scale.
    pub value: f32,
    /// The card (a task) this feeling was given for, if any: a Mermaid task's score stays
    /// with its task. A tie to a card that is gone means nothing (an undo may bring it back).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<super::CardId>,
}

/// What a curve shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CurveKind {
    /// How the customer perceives the experience.
    Perceived,
    /// The service as the company measures and reports it.
    Measured,
    /// The experience the company aims for.
    Future,
    /// Anything else.
    Custom,
}

impl CurveKind {
    /// Every kind, in the order menus list them.
    pub const ALL: [CurveKind; 4] = [
        CurveKind::Perceived,
        CurveKind::Measured,
        CurveKind::Future,
        CurveKind::Custom,
    ];

    /// The name shown in menus and legends.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            CurveKind::Perceived => "Perceived experience",
            CurveKind::Measured => "Service as measured",
            CurveKind::Future => "Future state",
            CurveKind::Custom => "Custom",
        }
    }
}

/// One curve of the emotion lane.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Curve {
    /// Stable id.
    pub id: CurveId,
    /// Its name ("Dana's experience", "CSAT by step" …).
    pub name: String,
    /// What it shows.
    pub kind: CurveKind,
    /// Whose curve it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persona: Option<PersonaId>,
    /// Its colour (the kind's colour when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hue: Option<Hue>,
    /// Hidden curves are kept but neither shown nor exported.
    #[serde(default, skip_serializing_if = "is_false")]
    pub hidden: bool,
    /// Its points (shown ordered by stage, then offset).
    #[serde(default)]
    pub points: Vec<EmotionPoint>,
    /// What its numbers are in their own units (a measured curve: CSAT 1 to 5 …), so that a
    /// gap can be told in them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units: Option<Units>,
}

/// A curve's own units: the metric's name and its values at the bottom and the top of the
/// map's emotion scale (CSAT from 1 to 5: a point at the scale's middle is CSAT 3).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Units {
    /// The metric's name ("CSAT", "NPS", "Resolved first time, %").
    pub name: String,
    /// Its value at the bottom of the scale.
    pub low: f64,
    /// Its value at the top of the scale.
    pub high: f64,
}

impl Units {
    /// Whether they can say anything: a name, finite ends, and two different ones.
    #[must_use]
    pub fn usable(&self) -> bool {
        !self.name.trim().is_empty()
            && self.low.is_finite()
            && self.high.is_finite()
            && (self.low - self.high).abs() > f64::EPSILON
    }

    /// A point's value (on `scale`) in these units.
    #[must_use]
    pub fn of(&self, value: f32, scale: &EmotionScale) -> f64 {
        let (lo, hi) = (f64::from(scale.min), f64::from(scale.max));
        if hi <= lo {
            return self.low;
        }
        self.low + (f64::from(value) - lo) / (hi - lo) * (self.high - self.low)
    }

    /// A point's value said in these units: "CSAT 4.6 / 5" (the top of the range after the
    /// slash when it is the higher end).
    #[must_use]
    pub fn say(&self, value: f32, scale: &EmotionScale) -> String {
        let v = crate::text::number(self.of(value, scale), 1);
        if self.high > self.low {
            format!(
                "{} {v} / {}",
                self.name.trim(),
                crate::text::number(self.high, 1)
            )
        } else {
            format!("{} {v}", self.name.trim())
        }
    }
}

/// The emotion lane's content.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Emotion {
    /// The scale all curves share.
    #[serde(default)]
    pub scale: EmotionScale,
    /// The curves, in drawing order.
    #[serde(default)]
    pub curves: Vec<Curve>,
}

impl Emotion {
    /// Every point of every curve, with its curve.
    pub fn points(&self) -> impl Iterator<Item = (&Curve, &EmotionPoint)> {
        self.curves
            .iter()
            .flat_map(|c| c.points.iter().map(move |p| (c, p)))
    }

    /// The curve with this id.
    #[must_use]
    pub fn curve(&self, id: CurveId) -> Option<&Curve> {
        self.curves.iter().find(|c| c.id == id)
    }

    /// The first visible curve of a kind.
    #[must_use]
    pub fn first_of(&self, kind: CurveKind) -> Option<&Curve> {
        self.curves.iter().find(|c| c.kind == kind && !c.hidden)
    }
}
