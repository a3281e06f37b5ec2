//! Where the journey breaks, read off the map itself (no layout needed): the gap between the
//! service as measured and the experience as perceived in each stage, the largest of them,
//! and the worst moments of the perceived experience. The canvas, the exports' summary and
//! the executive view all take them from here, so they name the same stages and points.

use super::{CardId, Curve, CurveKind, Document, EmotionPoint, StageId};
use crate::geom::{Pos, monotone_curve, y_at};

/// How many of the largest gaps are shown (labelled on the curve, listed in summaries).
pub const GAP_LABELS: usize = 2;
/// Gaps smaller than this (scale steps) are not shown.
pub const GAP_LABEL_MIN: f32 = 0.5;
/// How many worst moments are marked and listed.
pub const WORST_MOMENTS: usize = 3;
/// Segments of a curve's line between two of its points (the drawn line is made of them).
pub const CURVE_STEPS: usize = 16;

/// The measured and the perceived value at the middle of one stage.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StageGap {
    /// The stage.
    pub stage: StageId,
    /// The first visible "service as measured" curve there.
    pub measured: f32,
    /// The first visible "perceived" curve there.
    pub perceived: f32,
}

impl StageGap {
    /// Measured minus perceived, in scale steps.
    #[must_use]
    pub fn size(&self) -> f32 {
        self.measured - self.perceived
    }
}

/// Where each stage starts and how wide it is, left to right from 0 (map units).
fn stage_spans(doc: &Document) -> std::collections::HashMap<StageId, (f32, f32)> {
    let mut x = 0.0;
    doc.stages
        .iter()
        .map(|s| {
            let span = (s.id, (x, s.width));
            x += s.width;
            span
        })
        .collect()
}

/// A curve's points with their x (on stages that exist), left to right (then by id): the
/// order the canvas draws them in.
fn placed<'a>(
    curve: &'a Curve,
    spans: &std::collections::HashMap<StageId, (f32, f32)>,
) -> Vec<(f32, &'a EmotionPoint)> {
    let mut pts: Vec<(f32, &EmotionPoint)> = curve
        .points
        .iter()
        .filter_map(|p| {
            let (x, w) = spans.get(&p.stage)?;
            Some((x + p.offset * w, p))
        })
        .collect();
    pts.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.id.cmp(&b.1.id)));
    pts
}

/// The line the canvas draws for a curve, in map units from the first stage's left edge (x)
/// and scale values (y).
fn line(curve: &Curve, spans: &std::collections::HashMap<StageId, (f32, f32)>) -> Vec<Pos> {
    let knots: Vec<Pos> = placed(curve, spans)
        .into_iter()
        .map(|(x, p)| Pos::new(x, p.value))
        .collect();
    monotone_curve(&knots, CURVE_STEPS)
}

/// The gap in every stage where both the first visible measured curve and the first visible
/// perceived curve reach the stage's middle, in stage order (empty without such a pair).
#[must_use]
pub fn stage_gaps(doc: &Document) -> Vec<StageGap> {
    let first = |kind| {
        doc.emotion
            .curves
            .iter()
            .find(|c| !c.hidden && c.kind == kind)
    };
    let (Some(measured), Some(perceived)) =
        (first(CurveKind::Measured), first(CurveKind::Perceived))
    else {
        return Vec::new();
    };
    let spans = stage_spans(doc);
    let (m, p) = (line(measured, &spans), line(perceived, &spans));
    let scale = &doc.emotion.scale;
    doc.stages
        .iter()
        .filter_map(|s| {
            let (x, w) = spans.get(&s.id)?;
            let mid = x + w / 2.0;
            Some(StageGap {
                stage: s.id,
                measured: scale.clamp(y_at(&m, mid)?),
                perceived: scale.clamp(y_at(&p, mid)?),
            })
        })
        .collect()
}

/// The largest of `gaps` (at least [`GAP_LABEL_MIN`] either way), largest first, at most
/// [`GAP_LABELS`]: the ones a map shows.
#[must_use]
pub fn largest<T>(gaps: &[T], size: impl Fn(&T) -> f32) -> Vec<&T> {
    let mut gs: Vec<&T> = gaps
        .iter()
        .filter(|g| size(g).abs() >= GAP_LABEL_MIN)
        .collect();
    gs.sort_by(|a, b| size(b).abs().total_cmp(&size(a).abs()));
    gs.truncate(GAP_LABELS);
    gs
}

/// The curve whose low points are "the worst moments": the first visible perceived curve,
/// else the first visible curve.
#[must_use]
pub fn experience_curve(doc: &Document) -> Option<&Curve> {
    let mut visible = doc.emotion.curves.iter().filter(|c| !c.hidden);
    let first = visible.clone().next();
    visible.find(|c| c.kind == CurveKind::Perceived).or(first)
}

/// The worst moments: the lowest points of the experience curve, lowest first (then left to
/// right), one per stage, at most [`WORST_MOMENTS`]; only points below neutral count,
/// unless none is (then the single lowest). Points of stages the document does not hold (a
/// page of some of a map's stages) still count, so a page never calls its own low point the
/// journey's worst; they are not drawn.
#[must_use]
pub fn worst_points(doc: &Document) -> Vec<&EmotionPoint> {
    let Some(curve) = experience_curve(doc) else {
        return Vec::new();
    };
    let spans = stage_spans(doc);
    let mut pts: Vec<(f32, &EmotionPoint)> = curve
        .points
        .iter()
        .map(|p| {
            let x = spans
                .get(&p.stage)
                .map_or(f32::MAX, |(x, w)| x + p.offset * w);
            (x, p)
        })
        .collect();
    pts.sort_by(|a, b| {
        a.1.value
            .total_cmp(&b.1.value)
            .then(a.0.total_cmp(&b.0))
            .then(a.1.id.cmp(&b.1.id))
    });
    let neutral = doc.emotion.scale.neutral();
    let mut out: Vec<&EmotionPoint> = Vec::new();
    for (_, p) in pts {
        if out.len() >= WORST_MOMENTS || (!out.is_empty() && p.value >= neutral) {
            break;
        }
        if out.iter().all(|q| q.stage != p.stage) {
            out.push(p);
        }
    }
    out
}

/// The cards the map's shown gaps and worst moments are tied to: the cards of the worst
/// points, and of every point of the measured and perceived curves in a stage whose gap is
/// shown (a task's score, a touchpoint's measured CSAT). Cards that are gone are left out.
#[must_use]
pub fn tied_cards(doc: &Document) -> Vec<CardId> {
    let mut out: Vec<CardId> = worst_points(doc).iter().filter_map(|p| p.card).collect();
    let gaps = stage_gaps(doc);
    let shown: Vec<StageId> = largest(&gaps, StageGap::size)
        .iter()
        .map(|g| g.stage)
        .collect();
    if !shown.is_empty() {
        for kind in [CurveKind::Measured, CurveKind::Perceived] {
            if let Some(c) = doc
                .emotion
                .curves
                .iter()
                .find(|c| !c.hidden && c.kind == kind)
            {
                out.extend(
                    c.points
                        .iter()
                        .filter(|p| shown.contains(&p.stage))
                        .filter_map(|p| p.card),
                );
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|id| seen.insert(*id) && doc.card(*id).is_some());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_samples_largest_gap_is_at_call_support() {
        let doc = crate::model::sample_map();
        let gaps = stage_gaps(&doc);
        let top = largest(&gaps, StageGap::size);
        let call = doc
            .stages
            .iter()
            .find(|s| s.name == "Call support")
            .unwrap();
        assert_eq!(top[0].stage, call.id);
        // Measured +1.5 (CSAT 4.5 of 1..5), perceived −2, at the stage's middle.
        assert!((top[0].measured - 1.5).abs() < 0.05, "{:?}", top[0]);
        assert!((top[0].perceived + 2.0).abs() < 0.05, "{:?}", top[0]);
        assert!(top.len() <= GAP_LABELS);
    }

    #[test]
    fn worst_moments_are_below_the_scales_own_neutral() {
        let mut doc = crate::model::sample_map();
        doc.emotion.scale = crate::model::EmotionScale {
            min: 1,
            max: 5,
            labels: Vec::new(),
        };
        let curve = doc
            .emotion
            .curves
            .iter_mut()
            .find(|c| c.kind == CurveKind::Perceived)
            .unwrap();
        let stages: Vec<StageId> = doc.stages.iter().map(|s| s.id).collect();
        for (i, p) in curve.points.iter_mut().enumerate() {
            p.stage = stages[i % stages.len()];
            p.value = 4.0;
        }
        curve.points[0].value = 2.0;
        curve.points[1].value = 1.0;
        let worst: Vec<f32> = worst_points(&doc).iter().map(|p| p.value).collect();
        // 1 and 2 are below 3, the middle of 1..5; 4 is not.
        assert_eq!(worst, vec![1.0, 2.0]);
    }
}
