//! The compare view: the current map drawn with what changed since another version marked
//! on it — cards added (green), changed (amber, the old values on hover) and removed (red,
//! ghosted where they stood), the other version's experience curve dotted beside the
//! current one, and a summary an executive reads in one breath ("2 pain points resolved,
//! 1 new; CSAT at Call support 2.1 → 3.4").

use std::collections::HashMap;
use std::sync::Arc;

use super::{Change, MapDiff};
use crate::model::{
    Card, CardId, Curve, CurveId, CurveKind, Document, EmotionPoint, Hue, LaneKind, PointId,
};

/// What happened to a card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mark {
    /// New since the other version.
    Added,
    /// Changed: each field's name and its old value, as a person reads it.
    Changed(Vec<(String, String)>),
    /// Gone since (drawn as a ghost where it stood).
    Removed,
}

/// The marks a comparison puts on cards, and what it says about them (`Eq`, so that two
/// views holding the same marks compare by pointer, not card by card, every frame).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Marks {
    /// The other version's name (a file name, a version's name).
    pub other: String,
    /// Each card that is not the same.
    pub cards: HashMap<CardId, Mark>,
    /// The summary's lines.
    pub summary: Vec<String>,
    /// The other version's curves, drawn beside the map's own.
    pub other_curves: Vec<CurveId>,
}

impl Marks {
    /// What happened to a card (`None`: the same).
    #[must_use]
    pub fn of(&self, id: CardId) -> Option<&Mark> {
        self.cards.get(&id)
    }
}

/// A comparison ready to draw.
#[derive(Clone, Debug)]
pub struct Comparison {
    /// The current map with the removed cards back as ghosts and the other version's curves
    /// beside its own: what the canvas and exports draw (never saved or edited).
    pub shown: Document,
    /// The marks.
    pub marks: Arc<Marks>,
    /// What changed, change by change.
    pub diff: MapDiff,
}

/// Compares `current` with `other` (an older version, or the current state against a
/// future one), named `other_name`.
#[must_use]
pub fn comparison(current: &Document, other: &Document, other_name: &str) -> Comparison {
    let diff = super::maps(other, current);
    let mut display = current.clone();
    let mut cards = HashMap::new();
    let taken: std::collections::HashSet<u64> = current.all_ids().collect();
    let mut ghosts = Vec::new();
    for c in &diff.changes {
        if c.kind != "card" {
            continue;
        }
        let id = CardId(c.id);
        match c.what {
            "added" => {
                cards.insert(id, Mark::Added);
            }
            "removed" => {
                // Where it stood, if the map still has that stage and lane.
                if let Some(old) = other.card(id)
                    && !taken.contains(&id.0)
                    && current.stage(old.stage).is_some()
                    && current.lane(old.lane).is_some()
                {
                    ghosts.push(Arc::new(old.clone()));
                    cards.insert(id, Mark::Removed);
                }
            }
            _ => {
                let fields = c
                    .fields
                    .iter()
                    .map(|(f, old, _)| (f.clone(), super::shown(old)))
                    .collect();
                cards.insert(id, Mark::Changed(fields));
            }
        }
    }
    display.cards.extend(ghosts);
    let other_curves = add_other_curves(&mut display, other, other_name);
    display.conflicts.clear();
    display.normalize();
    let summary = summary(current, other, &diff, other_name);
    Comparison {
        shown: display,
        marks: Arc::new(Marks {
            other: other_name.to_string(),
            cards,
            summary,
            other_curves,
        }),
        diff,
    }
}

/// The other version's perceived curves, dotted and in grey, named after it, with new ids,
/// on the stages the current map still has.
fn add_other_curves(shown: &mut Document, other: &Document, other_name: &str) -> Vec<CurveId> {
    let mut added = Vec::new();
    let mut next = shown.all_ids().max().unwrap_or(0) + 1;
    let mut fresh = || {
        next += 1;
        next
    };
    for c in other
        .emotion
        .curves
        .iter()
        .filter(|c| c.kind == CurveKind::Perceived && !c.hidden)
    {
        if shown.emotion.curves.len() >= crate::model::limits::MAX_CURVES {
            break;
        }
        let points: Vec<EmotionPoint> = c
            .points
            .iter()
            .filter(|p| shown.stage(p.stage).is_some())
            .map(|p| EmotionPoint {
                id: PointId(fresh()),
                card: None,
                ..p.clone()
            })
            .collect();
        if points.is_empty() {
            continue;
        }
        let id = CurveId(fresh());
        added.push(id);
        shown.emotion.curves.push(Curve {
            id,
            name: format!("{} ({other_name})", c.name),
            kind: CurveKind::Future,
            persona: None,
            hue: Some(Hue::Stone),
            hidden: false,
            points,
            units: None,
        });
    }
    added
}

/// The lane kind of a card in a map.
fn kind_of(d: &Document, c: &Card) -> Option<LaneKind> {
    d.lane(c.lane).map(|l| l.kind)
}

/// "2 pain points resolved, 1 new", metrics of touchpoints that moved ("CSAT at Call
/// support 2.1 → 3.4"), and the counts.
fn summary(current: &Document, other: &Document, diff: &MapDiff, other_name: &str) -> Vec<String> {
    let count = |w: &str| diff.changes.iter().filter(|c| c.what == w).count();
    let pain = |d: &Document, c: &Change| {
        d.card(CardId(c.id))
            .is_some_and(|k| kind_of(d, k) == Some(LaneKind::PainPoints))
    };
    let cards = |w: &'static str| {
        diff.changes
            .iter()
            .filter(move |c| c.kind == "card" && c.what == w)
    };
    let resolved = cards("removed").filter(|c| pain(other, c)).count();
    let new = cards("added").filter(|c| pain(current, c)).count();
    let mut out = Vec::new();
    if resolved + new > 0 {
        out.push(format!(
            "{} resolved, {new} new",
            crate::text::count(resolved, "pain point")
        ));
    }
    let mut metrics = Vec::new();
    for c in diff.changes.iter().filter(|c| c.kind == "card") {
        let Some(card) = current.card(CardId(c.id)) else {
            continue;
        };
        let stage = current.stage(card.stage).map_or("?", |s| s.name.as_str());
        for (f, old, new) in &c.fields {
            if let (Some(name), Some(a), Some(b)) =
                (f.strip_prefix("metric:"), old.as_f64(), new.as_f64())
            {
                metrics.push(format!("{name} at {stage} {} \u{2192} {}", num(a), num(b)));
            }
        }
    }
    let more = metrics.len().saturating_sub(4);
    metrics.truncate(4);
    if more > 0 {
        metrics.push(format!("{more} more metric changes"));
    }
    out.extend(metrics);
    out.push(format!(
        "{} added, {} changed, {} removed since {other_name}",
        count("added"),
        count("changed") + count("moved"),
        count("removed"),
    ));
    out
}

/// A metric's value as people write it (no trailing zeros).
fn num(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly")]
    use super::*;
    use crate::model::{Metric, sample_map};

    #[test]
    fn marks_ghosts_curves_and_a_summary() {
        let old = sample_map();
        let mut new = old.clone();
        // A pain point resolved, one added, a touchpoint's CSAT up, a card reworded.
        let pain = |d: &Document| {
            d.cards
                .iter()
                .position(|c| kind_of(d, c) == Some(LaneKind::PainPoints))
                .unwrap()
        };
        let resolved = new.cards[pain(&new)].clone();
        new.cards.retain(|c| c.id != resolved.id);
        new.links
            .retain(|l| l.from != resolved.id && l.to != resolved.id);
        let mut added = (*new.cards[pain(&new)]).clone();
        added.id = CardId(9_000_001);
        added.text = "Refund takes two bills".into();
        new.cards.push(Arc::new(added));
        let csat = new
            .cards
            .iter()
            .position(|c| c.metric("CSAT").is_some())
            .unwrap();
        let touch = new.cards[csat].clone();
        let was = touch.metric("CSAT").unwrap();
        new.card_at_mut(csat).metrics = vec![Metric {
            name: "CSAT".into(),
            value: 3.4,
            ..Default::default()
        }];
        new.card_at_mut(0).text = "Reworded".into();
        new.emotion.curves[0].points[0].value = 2.0;
        new.normalize();

        let cmp = comparison(&new, &old, "v1");
        let m = &cmp.marks;
        assert_eq!(m.of(CardId(9_000_001)), Some(&Mark::Added));
        assert_eq!(m.of(resolved.id), Some(&Mark::Removed));
        assert!(cmp.shown.card(resolved.id).is_some(), "the ghost stands in");
        match m.of(new.cards[0].id) {
            Some(Mark::Changed(f)) => assert_eq!(f[0], ("text".into(), old.cards[0].text.clone())),
            other => panic!("{other:?}"),
        }
        let before = cmp
            .shown
            .emotion
            .curves
            .iter()
            .find(|c| c.name.ends_with("(v1)"))
            .unwrap();
        assert_eq!(before.kind, CurveKind::Future);
        assert!((before.points[0].value - old.emotion.curves[0].points[0].value).abs() < 1e-6);
        let stage = new.stage(touch.stage).unwrap().name.clone();
        assert_eq!(m.summary[0], "1 pain point resolved, 1 new");
        assert_eq!(
            m.summary[1],
            format!("CSAT at {stage} {} \u{2192} 3.4", num(was))
        );
        assert!(
            m.summary.last().unwrap().starts_with("1 added, "),
            "{:?}",
            m.summary
        );
        // The current map itself is untouched.
        assert!(new.card(resolved.id).is_none());
    }
}
