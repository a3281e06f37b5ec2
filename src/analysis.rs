//! What a journey map says to an executive, read off a laid-out map: the worst moments of the
//! customer's perceived experience (with the pain points there), the largest gaps between the
//! service as measured and the experience as perceived, the moments of truth and the top
//! opportunities with their owners. Exports print it as a summary; the curve marks the worst
//! moment.

use crate::layout::Layout;
use crate::model::{CardId, Document, LaneKind, PointId, StageId};

/// How many worst moments, gaps, moments of truth and opportunities a summary lists.
pub const SUMMARY_ITEMS: usize = 3;

/// A low point of the perceived experience.
#[derive(Clone, Debug, PartialEq)]
pub struct Worst {
    /// The point.
    pub point: PointId,
    /// Its stage.
    pub stage: StageId,
    /// Its value on the scale.
    pub value: f32,
    /// The pain points in that stage, most severe first.
    pub pains: Vec<CardId>,
}

/// The gap in one stage.
#[derive(Clone, Debug, PartialEq)]
pub struct GapAt {
    /// The stage.
    pub stage: StageId,
    /// Measured minus perceived, in scale steps.
    pub size: f32,
    /// The gap in the measured curve's own units, if it has them ("CSAT 4.6 / 5 measured,
    /// feels −2").
    pub in_units: Option<String>,
}

/// What an export's summary says.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    /// The lowest points of the perceived curve, lowest first (one per stage).
    pub worst: Vec<Worst>,
    /// The largest gaps, largest first.
    pub gaps: Vec<GapAt>,
    /// Moments of truth, in map order.
    pub moments: Vec<CardId>,
    /// Opportunities, highest priority first (then map order).
    pub opportunities: Vec<CardId>,
    /// Severe pain points nobody owns: no owner of their own and no owned cause (map order).
    pub unowned: Vec<CardId>,
}

impl Summary {
    /// Whether there is nothing to say.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.worst.is_empty()
            && self.gaps.is_empty()
            && self.moments.is_empty()
            && self.opportunities.is_empty()
            && self.unowned.is_empty()
    }
}

/// The cards a layout shows, in its order (looked up once by id: maps have thousands).
#[must_use]
pub fn shown_cards<'a>(doc: &'a Document, layout: &Layout) -> Vec<&'a crate::model::Card> {
    let by_id: std::collections::HashMap<CardId, &crate::model::Card> =
        doc.cards.iter().map(|c| (c.id, &**c)).collect();
    layout
        .cards
        .iter()
        .filter_map(|b| by_id.get(&b.id).copied())
        .collect()
}

/// Reads the summary off a laid-out map (only what the layout shows counts).
#[must_use]
pub fn summary(doc: &Document, layout: &Layout) -> Summary {
    let kinds: std::collections::HashMap<_, _> = doc.lanes.iter().map(|l| (l.id, l.kind)).collect();
    let shown = shown_cards(doc, layout);
    let mut s = Summary::default();
    if let Some(e) = &layout.emotion {
        s.worst = e
            .worst_points()
            .map(|p| {
                let mut pains: Vec<&crate::model::Card> = shown
                    .iter()
                    .copied()
                    .filter(|c| {
                        c.stage == p.stage && kinds.get(&c.lane) == Some(&LaneKind::PainPoints)
                    })
                    .collect();
                pains.sort_by_key(|c| std::cmp::Reverse(c.severity.unwrap_or(0)));
                Worst {
                    point: p.id,
                    stage: p.stage,
                    value: p.value,
                    pains: pains.into_iter().map(|c| c.id).collect(),
                }
            })
            .collect();
        s.gaps = e
            .largest_gaps()
            .into_iter()
            .map(|g| GapAt {
                stage: g.stage,
                size: g.size,
                in_units: g.measured_said.is_some().then(|| g.said("customers feel")),
            })
            .collect();
    }
    s.moments = shown
        .iter()
        .filter(|c| c.moment_of_truth)
        .map(|c| c.id)
        .collect();
    let mut opps: Vec<&crate::model::Card> = shown
        .iter()
        .copied()
        .filter(|c| kinds.get(&c.lane) == Some(&LaneKind::Opportunities))
        .collect();
    opps.sort_by_key(|c| std::cmp::Reverse(c.priority.unwrap_or(0)));
    s.opportunities = opps.into_iter().take(SUMMARY_ITEMS).map(|c| c.id).collect();
    s.unowned = unowned_severe(doc, &shown, &kinds);
    s
}

/// The most severe rating a pain point can have.
pub const SEVERE: u8 = crate::model::MAX_LEVEL;

/// Severe pain points with no owner: neither their own nor one of a cause they are linked
/// to ("caused by" a backstage card of Billing gives Billing the problem).
fn unowned_severe(
    doc: &Document,
    shown: &[&crate::model::Card],
    kinds: &std::collections::HashMap<crate::model::LaneId, LaneKind>,
) -> Vec<CardId> {
    let owned_cause = crate::model::inherited_owners(doc);
    shown
        .iter()
        .filter(|c| kinds.get(&c.lane) == Some(&LaneKind::PainPoints))
        .filter(|c| c.severity.is_some_and(|v| v >= SEVERE))
        .filter(|c| c.owner.trim().is_empty() && !owned_cause.contains_key(&c.id))
        .map(|c| c.id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn laid_out(doc: &Document) -> Layout {
        let mut cache = crate::layout::TextCache::default();
        crate::layout::layout(doc, crate::layout::FontMeasure::shared(), &mut cache)
    }

    #[test]
    fn severe_pain_points_without_an_owner_are_named() {
        let mut doc = crate::model::sample_map();
        let s = summary(&doc, &laid_out(&doc));
        let pains = doc
            .lanes
            .iter()
            .find(|l| l.kind == LaneKind::PainPoints)
            .map(|l| l.id);
        // A severe pain point of its own owner's, or caused by an owned card, is owned.
        for id in &s.unowned {
            let c = doc.card(*id).unwrap();
            assert!(c.owner.trim().is_empty() && c.severity == Some(SEVERE));
        }
        // Make every pain point severe and take their causes away: those without an owner
        // are named.
        doc.links.clear();
        let mut expected = Vec::new();
        for i in 0..doc.cards.len() {
            if Some(doc.cards[i].lane) == pains {
                let c = doc.card_at_mut(i);
                c.severity = Some(SEVERE);
                if c.owner.trim().is_empty() {
                    expected.push(c.id);
                }
            }
        }
        assert!(!expected.is_empty());
        let s = summary(&doc, &laid_out(&doc));
        assert_eq!(s.unowned, expected);
    }

    #[test]
    fn the_worst_moment_is_the_lowest_perceived_point_with_its_pain_points() {
        let doc = crate::model::sample_map();
        let layout = laid_out(&doc);
        let s = summary(&doc, &layout);
        let curve = doc
            .emotion
            .first_of(crate::model::CurveKind::Perceived)
            .unwrap();
        let lowest = curve
            .points
            .iter()
            .min_by(|a, b| a.value.total_cmp(&b.value))
            .unwrap();
        let w = &s.worst[0];
        assert_eq!(w.point, lowest.id);
        assert_eq!(w.stage, lowest.stage);
        for p in &w.pains {
            let c = doc.card(*p).unwrap();
            assert_eq!(c.stage, lowest.stage);
        }
        // Lowest first, one per stage.
        for pair in s.worst.windows(2) {
            assert!(pair[0].value <= pair[1].value);
            assert_ne!(pair[0].stage, pair[1].stage);
        }
    }

    #[test]
    fn opportunities_are_listed_by_priority() {
        let mut doc = crate::model::sample_map();
        for c in &mut doc.cards {
            std::sync::Arc::make_mut(c).priority = None;
        }
        let lane = doc
            .lanes
            .iter()
            .find(|l| l.kind == LaneKind::Opportunities)
            .unwrap()
            .id;
        let stage = doc.stages[0].id;
        let mut top = crate::model::Card::new(CardId(9001), stage, lane, "Top priority");
        top.priority = Some(2);
        doc.cards.push(std::sync::Arc::new(top));
        let s = summary(&doc, &laid_out(&doc));
        assert_eq!(s.opportunities.first(), Some(&CardId(9001)));
    }
}
