//! The emotion lane's geometry: the scale, each visible curve (points and a smooth line
//! through them), and the gap between the service as measured and the experience as
//! perceived, stage by stage.

use super::{EMOTION_PAD_BOTTOM, EMOTION_PAD_TOP, LaneBox, StageBox, monotone_curve};
use crate::geom::Pos;
use crate::model::{CurveId, CurveKind, Document, Hue, LaneId, PointId, StageId};

/// A placed emotion point.
#[derive(Clone, Debug, PartialEq)]
pub struct PointBox {
    /// Which point.
    pub id: PointId,
    /// Its curve.
    pub curve: CurveId,
    /// Its stage.
    pub stage: StageId,
    /// Where it is drawn.
    pub pos: Pos,
    /// Its value.
    pub value: f32,
}

/// A placed curve.
#[derive(Clone, Debug, PartialEq)]
pub struct CurveBox {
    /// Which curve.
    pub id: CurveId,
    /// What it shows.
    pub kind: CurveKind,
    /// Its colour: its own, else its persona's (`None`: the kind's colour).
    pub hue: Option<Hue>,
    /// Its points, left to right.
    pub points: Vec<PointBox>,
    /// The smooth line through the points.
    pub line: Vec<Pos>,
}

/// The gap between the service as measured and the experience as perceived in one stage.
#[derive(Clone, Debug, PartialEq)]
pub struct Gap {
    /// The stage.
    pub stage: StageId,
    /// Measured minus perceived, in scale steps, at the stage's middle.
    pub size: f32,
    /// Where the two curves are at the stage's middle (measured, perceived).
    pub at: (Pos, Pos),
    /// The perceived value there, on the scale.
    pub perceived: f32,
    /// The measured value there in the measured curve's own units ("CSAT 4.6 / 5"), if it
    /// has units.
    pub measured_said: Option<String>,
}

impl Gap {
    /// The gap said for a reader: in the measured curve's own units next to the feeling
    /// ("CSAT 4.6 / 5 measured, feels −2"; `feel` is the verb: "feels", "customers feel"),
    /// else in scale steps ("gap +3.5").
    #[must_use]
    pub fn said(&self, feel: &str) -> String {
        match &self.measured_said {
            Some(m) => format!(
                "{m} measured, {feel} {}",
                crate::text::signed(f64::from(self.perceived), 1)
            ),
            None => format!("gap {}", crate::text::signed(f64::from(self.size), 1)),
        }
    }
}

/// The emotion lane's geometry.
#[derive(Clone, Debug, PartialEq)]
pub struct EmotionBox {
    /// The lane.
    pub lane: LaneId,
    /// The row across all stages.
    pub row: crate::geom::Rect,
    /// The y of the top (max) and bottom (min) of the scale.
    pub y_max: f32,
    /// See `y_max`.
    pub y_min: f32,
    /// The scale's range.
    pub min: f32,
    /// See `min`.
    pub max: f32,
    /// The visible curves, in drawing order.
    pub curves: Vec<CurveBox>,
    /// The gap between the first "service as measured" curve and the first "perceived" one,
    /// per stage where both have a value (empty when the map has no such pair).
    pub gaps: Vec<Gap>,
    /// The worst moments (see [`crate::model::worst_points`]), lowest first.
    pub worst: Vec<PointId>,
    /// The journey's lowest value (its worst moment's), also when that point is on a stage
    /// this layout does not show (a page of some stages).
    pub lowest: Option<f32>,
}

impl EmotionBox {
    /// The y of a value.
    #[must_use]
    pub fn y_of(&self, value: f32) -> f32 {
        let t = (value - self.min) / (self.max - self.min);
        self.y_min + (self.y_max - self.y_min) * t
    }

    /// The scale's neutral value (see [`crate::model::EmotionScale::neutral`]).
    #[must_use]
    pub fn neutral(&self) -> f32 {
        if self.min <= 0.0 && self.max >= 0.0 {
            0.0
        } else {
            f32::midpoint(self.min, self.max).round()
        }
    }

    /// The value at a y, clamped into the scale.
    #[must_use]
    pub fn value_at(&self, y: f32) -> f32 {
        let t = (y - self.y_min) / (self.y_max - self.y_min);
        (self.min + t * (self.max - self.min)).clamp(self.min, self.max)
    }

    /// Every visible point.
    pub fn points(&self) -> impl Iterator<Item = &PointBox> {
        self.curves.iter().flat_map(|c| c.points.iter())
    }

    /// The placed point with this id.
    #[must_use]
    pub fn point(&self, id: PointId) -> Option<&PointBox> {
        self.points().find(|p| p.id == id)
    }

    /// The placed curve with this id.
    #[must_use]
    pub fn curve(&self, id: CurveId) -> Option<&CurveBox> {
        self.curves.iter().find(|c| c.id == id)
    }

    /// The gaps a map shows: the largest, largest first (see [`crate::model::largest`]).
    #[must_use]
    pub fn largest_gaps(&self) -> Vec<&Gap> {
        crate::model::largest(&self.gaps, |g| g.size)
    }

    /// The worst moments' points, lowest first.
    pub fn worst_points(&self) -> impl Iterator<Item = &PointBox> {
        self.worst.iter().filter_map(|id| self.point(*id))
    }

    /// The first curve of a kind.
    #[must_use]
    pub fn first_of(&self, kind: CurveKind) -> Option<&CurveBox> {
        self.curves.iter().find(|c| c.kind == kind)
    }
}

pub(crate) fn emotion_box(doc: &Document, lane: &LaneBox, stages: &[StageBox]) -> EmotionBox {
    let scale = &doc.emotion.scale;
    let row = lane.row;
    let name_h = lane
        .name
        .last()
        .map_or(0.0, |l| l.pos.y + super::line_h(l.size) - row.min.y);
    let scale_top = EMOTION_PAD_TOP.max(name_h + 8.0);
    let mut b = EmotionBox {
        lane: lane.id,
        row,
        y_max: row.min.y + scale_top,
        y_min: row.max.y - EMOTION_PAD_BOTTOM,
        min: scale.min as f32,
        max: scale.max as f32,
        curves: Vec::new(),
        gaps: Vec::new(),
        worst: Vec::new(),
        lowest: None,
    };
    for curve in doc.emotion.curves.iter().filter(|c| !c.hidden) {
        let mut pts: Vec<PointBox> = curve
            .points
            .iter()
            .filter_map(|p| {
                let s = stages.iter().find(|s| s.id == p.stage)?;
                let x = s.column.min.x + p.offset * s.column.width();
                Some(PointBox {
                    id: p.id,
                    curve: curve.id,
                    stage: p.stage,
                    pos: Pos::new(x, b.y_of(p.value)),
                    value: p.value,
                })
            })
            .collect();
        pts.sort_by(|a, c| a.pos.x.total_cmp(&c.pos.x).then(a.id.cmp(&c.id)));
        let knots: Vec<Pos> = pts.iter().map(|p| p.pos).collect();
        let hue = curve.hue.or_else(|| {
            curve
                .persona
                .and_then(|p| doc.persona(p))
                .and_then(|p| p.hue)
        });
        b.curves.push(CurveBox {
            id: curve.id,
            kind: curve.kind,
            hue,
            line: monotone_curve(&knots, crate::model::CURVE_STEPS),
            points: pts,
        });
    }
    let units = doc
        .emotion
        .curves
        .iter()
        .find(|c| !c.hidden && c.kind == CurveKind::Measured)
        .and_then(|c| c.units.as_ref())
        .filter(|u| u.usable());
    b.gaps = gaps(&b, doc, stages, units);
    let worst = crate::model::worst_points(doc);
    b.lowest = worst.first().map(|p| p.value);
    b.worst = worst.iter().map(|p| p.id).collect();
    b
}

/// The gap at the middle of each stage where both curves reach (the model's, placed).
fn gaps(
    b: &EmotionBox,
    doc: &Document,
    stages: &[StageBox],
    units: Option<&crate::model::Units>,
) -> Vec<Gap> {
    crate::model::stage_gaps(doc)
        .into_iter()
        .filter_map(|g| {
            let x = stages.iter().find(|s| s.id == g.stage)?.column.center().x;
            Some(Gap {
                stage: g.stage,
                size: g.size(),
                at: (
                    Pos::new(x, b.y_of(g.measured)),
                    Pos::new(x, b.y_of(g.perceived)),
                ),
                perceived: g.perceived,
                measured_said: units.map(|u| u.say(g.measured, &doc.emotion.scale)),
            })
        })
        .collect()
}
