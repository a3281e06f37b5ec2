//! The executive view: the map cut down to what an executive session needs: pain points of
//! at least a severity with their root causes (the cards they are linked to as "caused by",
//! often backstage in another department, and their causes in turn), moments of truth,
//! opportunities, the curves and their gap with the cards the shown gaps and worst moments
//! are tied to (and their causes), plus the lanes the map's author picked. It is a document of its own with the same ids, so the
//! canvas can lay it out, and edits made in it (by id) go to the whole map.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Document, LaneId, LaneKind};

/// What the executive view shows, saved with the map so the command line exports the same.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ExecutiveView {
    /// Pain points below this severity are left out (unrated ones are shown).
    #[serde(default = "default_min_severity")]
    pub min_severity: u8,
    /// Further lanes to show whole (a touchpoints lane, a backstage lane …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lanes: Vec<LaneId>,
}

fn default_min_severity() -> u8 {
    2
}

impl Default for ExecutiveView {
    fn default() -> Self {
        Self {
            min_severity: default_min_severity(),
            lanes: Vec::new(),
        }
    }
}

impl ExecutiveView {
    /// Whether it is as a new map has it (not saved then).
    #[must_use]
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// How the map was last looked at in the editor, saved with it so that it opens the same:
/// the executive view on or off and what card colours say (`lane`, `owner`, `evidence`,
/// `metric:NAME`; empty is by lane). Not an edit: it is written when the map is saved.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MapView {
    /// The executive view is on.
    #[serde(default, skip_serializing_if = "super::is_false")]
    pub executive: bool,
    /// What card colours say.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub colour_by: String,
}

impl MapView {
    /// Whether it is the view a new map opens with (not saved then).
    #[must_use]
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// Whether a lane of this kind is always in the executive view.
#[must_use]
pub fn always_shown(kind: LaneKind) -> bool {
    matches!(
        kind,
        LaneKind::Emotion | LaneKind::PainPoints | LaneKind::Opportunities
    )
}

/// A map's owners in the order their colours are given: the order saved with the map (or, in
/// a view of part of a map, the whole map's), then owners new since, in the order of their
/// first card. Colours stay put when a card of a new owner comes first.
#[must_use]
pub fn owners(doc: &Document) -> Vec<String> {
    let mut seen: std::collections::HashSet<&str> =
        doc.owner_order.iter().map(String::as_str).collect();
    let mut out = doc.owner_order.clone();
    for c in &doc.cards {
        let o = c.owner.trim();
        if !o.is_empty() && seen.insert(o) {
            out.push(o.to_owned());
        }
    }
    out
}

/// Owners cards take from their causes: a card without an owner that is "caused by" a card
/// with one (a pain point linked to a backstage card of Billing) is Billing's problem. The
/// first such cause in the map's link order gives it; a card's own owner always wins.
#[must_use]
pub fn inherited_owners(doc: &Document) -> std::collections::HashMap<super::CardId, String> {
    let mut out = std::collections::HashMap::new();
    for l in doc
        .links
        .iter()
        .filter(|l| l.kind == super::LinkKind::Causes)
    {
        if out.contains_key(&l.from) {
            continue;
        }
        let (Some(card), Some(cause)) = (doc.card(l.from), doc.card(l.to)) else {
            continue;
        };
        let owner = cause.owner.trim();
        if card.owner.trim().is_empty() && !owner.is_empty() {
            out.insert(l.from, owner.to_owned());
        }
    }
    out
}

/// The executive view of a map: lanes of pain points, opportunities and emotion, the picked
/// lanes, and other lanes only for their moments of truth; pain points of at least the
/// view's severity (and unrated ones); links between cards that stay.
#[must_use]
pub fn executive_view(doc: &Document) -> Document {
    let view = &doc.executive;
    let picked = |id: LaneId| view.lanes.contains(&id);
    let kind_of: std::collections::HashMap<LaneId, LaneKind> =
        doc.lanes.iter().map(|l| (l.id, l.kind)).collect();
    let mut keep: std::collections::HashSet<super::CardId> = doc
        .cards
        .iter()
        .filter(|c| {
            let kind = kind_of.get(&c.lane).copied().unwrap_or(LaneKind::Custom);
            if picked(c.lane) || c.moment_of_truth {
                return true;
            }
            match kind {
                LaneKind::PainPoints => c.severity.is_none_or(|s| s >= view.min_severity),
                LaneKind::Opportunities => true,
                _ => false,
            }
        })
        .map(|c| c.id)
        .collect();
    // Where it breaks: the cards the shown gaps and worst moments are tied to (a task's
    // score, a touchpoint's measured CSAT), whatever their lane or severity.
    keep.extend(super::tied_cards(doc));
    // Why it breaks: the causes of what is shown, and their causes, to the root.
    let mut todo: Vec<super::CardId> = keep.iter().copied().collect();
    let causes: std::collections::HashMap<super::CardId, Vec<super::CardId>> = doc
        .links
        .iter()
        .filter(|l| l.kind == super::LinkKind::Causes)
        .fold(std::collections::HashMap::new(), |mut m, l| {
            m.entry(l.from).or_insert_with(Vec::new).push(l.to);
            m
        });
    while let Some(id) = todo.pop() {
        for c in causes.get(&id).into_iter().flatten() {
            if keep.insert(*c) {
                todo.push(*c);
            }
        }
    }
    let cards: Vec<_> = doc
        .cards
        .iter()
        .filter(|c| keep.contains(&c.id))
        .cloned()
        .collect();
    let with_cards: std::collections::HashSet<LaneId> = cards.iter().map(|c| c.lane).collect();
    let lanes = doc
        .lanes
        .iter()
        .filter(|l| always_shown(l.kind) || picked(l.id) || with_cards.contains(&l.id))
        .cloned()
        .collect();
    let kept: std::collections::HashSet<_> = cards.iter().map(|c| c.id).collect();
    let links = doc.links_among(&kept);
    Document {
        lanes,
        cards,
        links,
        // Owners keep the colours the whole map gives them.
        owner_order: owners(doc),
        ..doc.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners_keep_their_saved_order_and_new_ones_follow() {
        let mut doc = crate::model::sample_map();
        let first = owners(&doc);
        assert!(first.len() >= 3, "{first:?}");
        // Saved in this order; then a card of a new owner becomes the map's first card and
        // the last saved owner's cards go: colours of the others do not move.
        doc.owner_order = first.clone();
        doc.card_at_mut(0).owner = "Procurement".into();
        let last = first.last().cloned().unwrap_or_default();
        for i in 0..doc.cards.len() {
            if doc.cards[i].owner.trim() == last {
                doc.card_at_mut(i).owner.clear();
            }
        }
        let now = owners(&doc);
        assert_eq!(now[..first.len()], first[..]);
        assert_eq!(now.last().map(String::as_str), Some("Procurement"));
    }

    #[test]
    fn the_executive_view_keeps_severe_pains_moments_and_opportunities() {
        let doc = crate::model::sample_map();
        let ex = executive_view(&doc);
        let kind = |id| doc.lane(id).map(|l| l.kind);
        assert!(!ex.cards.is_empty());
        let severe = |c: &crate::model::Card| {
            kind(c.lane) == Some(LaneKind::PainPoints) && c.severity.is_none_or(|s| s >= 2)
        };
        let cause_of_severe = |c: &crate::model::Card| {
            doc.links.iter().any(|l| {
                l.to == c.id
                    && l.kind == crate::model::LinkKind::Causes
                    && doc.card(l.from).is_some_and(severe)
            })
        };
        for c in &ex.cards {
            let ok = c.moment_of_truth
                || kind(c.lane) == Some(LaneKind::Opportunities)
                || severe(c)
                || cause_of_severe(c);
            assert!(ok, "{c:?} should not be in the executive view");
        }
        // The causes of the severe pain points come along, with their links.
        let bill = doc
            .cards
            .iter()
            .find(|c| c.text == "Bill differs from the advertised price")
            .unwrap();
        let causes: Vec<_> = doc.links.iter().filter(|l| l.from == bill.id).collect();
        assert!(!causes.is_empty());
        for l in causes {
            assert!(ex.card(l.to).is_some());
            assert!(ex.links.iter().any(|x| x.id == l.id));
        }
        // Every severe pain point, every opportunity and every moment of truth stays.
        for c in &doc.cards {
            let wanted = c.moment_of_truth
                || kind(c.lane) == Some(LaneKind::Opportunities)
                || (kind(c.lane) == Some(LaneKind::PainPoints) && c.severity >= Some(2));
            if wanted {
                assert!(ex.card(c.id).is_some(), "{} is missing", c.text);
            }
        }
        // Links only between cards that stay.
        for l in &ex.links {
            assert!(ex.card(l.from).is_some() && ex.card(l.to).is_some());
        }
        assert!(ex.lanes.iter().any(|l| l.kind == LaneKind::Emotion));
        assert_eq!(ex.emotion, doc.emotion);
    }

    #[test]
    fn picked_lanes_are_shown_whole() {
        let mut doc = crate::model::sample_map();
        let backstage = doc
            .lanes
            .iter()
            .find(|l| l.kind == LaneKind::Backstage)
            .unwrap()
            .id;
        doc.executive.lanes.push(backstage);
        let ex = executive_view(&doc);
        let n = |d: &Document| d.cards.iter().filter(|c| c.lane == backstage).count();
        assert!(n(&doc) > 0);
        assert_eq!(n(&ex), n(&doc));
    }

    #[test]
    fn cards_tied_to_a_shown_gap_or_worst_moment_stay_with_their_causes() {
        let mut doc = crate::model::sample_map();
        let stage_named = |d: &Document, name: &str| {
            d.stages
                .iter()
                .find(|s| s.name == name)
                .map(|s| s.id)
                .unwrap()
        };
        let lane_of = |d: &Document, kind: LaneKind| {
            d.lanes
                .iter()
                .find(|l| l.kind == kind)
                .map(|l| l.id)
                .unwrap()
        };
        // The sample's largest gap: "Call support", CSAT 4.5 measured, customers feel −2.
        let call = stage_named(&doc, "Call support");
        let card = |id: u64, lane, stage, text: &str, severity| {
            let mut c = crate::model::Card::new(crate::model::CardId(id), stage, lane, text);
            c.severity = severity;
            c
        };
        let touch = lane_of(&doc, LaneKind::Touchpoints);
        let pains = lane_of(&doc, LaneKind::PainPoints);
        let back = lane_of(&doc, LaneKind::Backstage);
        let thoughts = lane_of(&doc, LaneKind::Thoughts);
        doc.cards.extend(
            [
                card(9001, touch, call, "Phone line", None),
                card(9002, pains, call, "Agent reads a script", Some(1)),
                card(9003, back, call, "Scripts written by legal", None),
                card(9004, pains, call, "Hold music is loud", Some(1)),
                card(9005, thoughts, call, "Why is this so hard?", None),
            ]
            .map(std::sync::Arc::new),
        );
        let link = |id: u64, from: u64, to: u64| crate::model::Link {
            id: crate::model::LinkId(id),
            from: crate::model::CardId(from),
            to: crate::model::CardId(to),
            kind: crate::model::LinkKind::Causes,
        };
        // The phone line is caused by the script, which is caused by legal.
        doc.links.push(link(9101, 9001, 9002));
        doc.links.push(link(9102, 9002, 9003));
        let measured = doc
            .emotion
            .curves
            .iter()
            .position(|c| c.kind == crate::model::CurveKind::Measured)
            .unwrap();
        let at_call = doc.emotion.curves[measured]
            .points
            .iter()
            .position(|p| p.stage == call)
            .unwrap();
        doc.emotion.curves[measured].points[at_call].card = Some(crate::model::CardId(9001));
        // The worst moment's point is tied to a thought.
        let worst = crate::model::worst_points(&doc)[0].id;
        for c in &mut doc.emotion.curves {
            for p in &mut c.points {
                if p.id == worst {
                    p.card = Some(crate::model::CardId(9005));
                }
            }
        }
        let ex = executive_view(&doc);
        let shown = |id: u64| ex.card(crate::model::CardId(id)).is_some();
        assert!(shown(9001), "the touchpoint the gap is measured at");
        assert!(shown(9002), "the severity-1 pain point that causes it");
        assert!(shown(9003), "and its own cause");
        assert!(shown(9005), "the thought the worst moment was given for");
        assert!(
            !shown(9004),
            "an untied severity-1 pain point is still left out"
        );
        assert!(ex.links.iter().any(|l| l.id == crate::model::LinkId(9102)));
        // Untied, the touchpoint and its causes go.
        doc.emotion.curves[measured].points[at_call].card = None;
        let ex = executive_view(&doc);
        assert!(ex.card(crate::model::CardId(9001)).is_none());
        assert!(ex.card(crate::model::CardId(9002)).is_none());
    }
}
