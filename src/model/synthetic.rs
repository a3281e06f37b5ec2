//! Synthetic maps of any size, for benchmarks and stress tests (deterministic for a seed).

use super::{
    Card, CardId, Channel, Document, EmotionPoint, LaneKind, PointId, Stage, StageId, new_map,
};

const WORDS: &[&str] = &[
    "customer",
    "bill",
    "call",
    "agent",
    "waits",
    "price",
    "fee",
    "contract",
    "email",
    "chat",
    "app",
    "website",
    "support",
    "refund",
    "queue",
    "survey",
    "renewal",
    "setup",
    "router",
    "delivery",
    "confusing",
    "clear",
    "fast",
    "slow",
    "again",
    "first",
    "team",
    "billing",
    "legal",
    "marketing",
    "promise",
    "explains",
    "finds",
    "asks",
];

/// A small deterministic random number generator (xorshift), so no crate is needed for this.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A valid map with `stages` stages and `cards` cards spread over the card lanes, with
/// texts of 2 to 24 words, channels on touchpoints, and one or two emotion points a stage.
#[must_use]
pub fn synthetic_map(stages: usize, cards: usize, seed: u64) -> Document {
    let mut rng = Rng(seed.max(1).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut doc = new_map();
    let mut id_gen = crate::model::IdGen::from(doc.unused_id());
    doc.title = format!("Synthetic journey: {stages} stages, {cards} cards");
    doc.stages.clear();
    for i in 0..stages.max(1) {
        let id = StageId(id_gen.next_id());
        doc.stages.push(Stage {
            pos: String::new(),
            id,
            name: format!("Stage {}", i + 1),
            width: 220.0 + (rng.below(5) * 20) as f32,
        });
    }
    let lanes: Vec<(super::LaneId, LaneKind)> = doc
        .lanes
        .iter()
        .filter(|l| l.kind.holds_cards())
        .map(|l| (l.id, l.kind))
        .collect();
    for i in 0..cards {
        let stage = doc.stages[i % doc.stages.len()].id;
        let (lane, kind) = lanes[rng.below(lanes.len())];
        let n = 2 + rng.below(23);
        let text: Vec<&str> = (0..n).map(|_| WORDS[rng.below(WORDS.len())]).collect();
        let mut text = text.join(" ");
        if let Some(f) = text.get_mut(0..1) {
            f.make_ascii_uppercase();
        }
        let mut card = Card::new(CardId(id_gen.next_id()), stage, lane, text);
        if kind == LaneKind::Touchpoints {
            card.channel = Some(Channel::ALL[rng.below(Channel::ALL.len())]);
            card.moment_of_truth = rng.below(10) == 0;
        }
        if rng.below(3) == 0 {
            card.owner =
                ["Billing", "Marketing", "Customer service", "IT", "Legal"][rng.below(5)].into();
        }
        doc.cards.push(std::sync::Arc::new(card));
    }
    let stage_ids: Vec<StageId> = doc.stages.iter().map(|s| s.id).collect();
    for stage in stage_ids {
        for k in 0..=rng.below(2) {
            let id = PointId(id_gen.next_id());
            let value = (rng.below(17) as f32 - 8.0) / 4.0;
            doc.emotion.curves[0].points.push(EmotionPoint {
                id,
                stage,
                offset: 0.3 + 0.4 * k as f32,
                value,
                card: None,
            });
        }
    }
    // Built in order: the order becomes order keys.
    doc.normalize();
    doc
}

/// A synthetic map with the journey's depth: `links` links (pain points to causes in other
/// lanes and stages, and others), a measured and a future curve beside the perceived one,
/// severities, priorities, evidence, notes and metrics.
#[must_use]
pub fn synthetic_deep(stages: usize, cards: usize, links: usize, seed: u64) -> Document {
    use super::{
        Curve, CurveId, CurveKind, Evidence, EvidenceKind, Link, LinkId, LinkKind, Metric,
    };
    let mut doc = synthetic_map(stages, cards, seed);
    let mut id_gen = crate::model::IdGen::from(doc.unused_id());
    let mut rng = Rng(seed.max(1).wrapping_mul(0xA24B_AED4_963E_E407) | 1);
    let kinds: std::collections::HashMap<super::LaneId, LaneKind> =
        doc.lanes.iter().map(|l| (l.id, l.kind)).collect();
    for c in &mut doc.cards {
        let kind = kinds.get(&c.lane).copied();
        let c = std::sync::Arc::make_mut(c);
        match kind {
            Some(LaneKind::PainPoints) => c.severity = Some(1 + rng.below(3) as u8),
            Some(LaneKind::Opportunities) => c.priority = Some(1 + rng.below(3) as u8),
            Some(LaneKind::Touchpoints) => {
                c.metrics.push(Metric {
                    name: "CSAT".into(),
                    value: 1.0 + rng.below(40) as f64 / 10.0,
                    ..Default::default()
                });
            }
            _ => {}
        }
        match rng.below(4) {
            0 => {
                c.evidence = Some(Evidence {
                    kind: EvidenceKind::Researched,
                    source: "Interviews".into(),
                });
            }
            1 => {
                c.evidence = Some(Evidence {
                    kind: EvidenceKind::Assumed,
                    source: String::new(),
                });
            }
            _ => {}
        }
        if rng.below(20) == 0 {
            c.note = "Seen in three of five interviews.".into();
        }
    }
    let ids: Vec<(super::CardId, Option<LaneKind>)> = doc
        .cards
        .iter()
        .map(|c| (c.id, kinds.get(&c.lane).copied()))
        .collect();
    let pains: Vec<super::CardId> = ids
        .iter()
        .filter(|(_, k)| *k == Some(LaneKind::PainPoints))
        .map(|(id, _)| *id)
        .collect();
    let backstage: Vec<super::CardId> = ids
        .iter()
        .filter(|(_, k)| *k == Some(LaneKind::Backstage))
        .map(|(id, _)| *id)
        .collect();
    let mut seen = std::collections::HashSet::new();
    let mut tries = 0;
    while doc.links.len() < links && ids.len() > 1 && tries < links * 20 {
        tries += 1;
        let (from, to, kind) = if rng.below(4) > 0 && !pains.is_empty() && !backstage.is_empty() {
            (
                pains[rng.below(pains.len())],
                backstage[rng.below(backstage.len())],
                LinkKind::Causes,
            )
        } else {
            let a = ids[rng.below(ids.len())].0;
            let b = ids[rng.below(ids.len())].0;
            let kind = if rng.below(2) == 0 {
                LinkKind::LeadsTo
            } else {
                LinkKind::RelatesTo
            };
            (a, b, kind)
        };
        if from == to || !seen.insert((from, to)) {
            continue;
        }
        let id = LinkId(id_gen.next_id());
        doc.links.push(Link { id, from, to, kind });
    }
    let stage_ids: Vec<StageId> = doc.stages.iter().map(|s| s.id).collect();
    for (kind, name) in [
        (CurveKind::Measured, "CSAT per contact"),
        (CurveKind::Future, "Future state"),
    ] {
        let id = CurveId(id_gen.next_id());
        let points = stage_ids
            .iter()
            .map(|stage| EmotionPoint {
                id: PointId(id_gen.next_id()),
                stage: *stage,
                offset: 0.5,
                value: (rng.below(17) as f32 - 8.0) / 4.0,
                card: None,
            })
            .collect();
        doc.emotion.curves.push(Curve {
            id,
            name: name.into(),
            kind,
            persona: None,
            hue: None,
            hidden: false,
            points,
            units: None,
        });
    }
    // Built in order: the order becomes order keys.
    doc.normalize();
    doc
}

#[cfg(test)]
mod tests {
    #[test]
    fn deep_maps_are_valid_with_their_links_and_curves() {
        let doc = super::synthetic_deep(20, 2_000, 400, 3);
        assert!(doc.validate().is_ok(), "{:?}", doc.validate());
        assert_eq!(doc.links.len(), 400);
        assert_eq!(doc.emotion.curves.len(), 3);
    }

    #[test]
    fn synthetic_maps_are_valid_and_deterministic() {
        let a = super::synthetic_map(50, 1000, 7);
        a.validate().unwrap();
        assert_eq!(a.cards.len(), 1000);
        assert_eq!(a, super::synthetic_map(50, 1000, 7));
    }
}
