//! Random ops against a map as it is: the histories that property tests, convergence tests
//! and benchmarks replay. Every kind of op comes up, now and then one that names something
//! missing or breaks a rule (so refusals are exercised too).

use std::sync::Arc;

use rand_core::{Rng, SeedableRng};
use rand_xorshift::XorShiftRng;

use super::op::{
    CardField, CurveField, LaneField, LinkField, MapField, Op, PersonaField, Place, StageField,
};
use crate::model::{
    Card, CardId, Channel, Curve, CurveId, CurveKind, Document, EmotionPoint, Evidence,
    EvidenceKind, Lane, LaneId, LaneKind, Link, LinkId, LinkKind, MapLink, MapTarget, Metric,
    Persona, PersonaId, PointId, Stage, StageId, order,
};

/// A seeded source of random ops.
pub struct RandomOps {
    rng: XorShiftRng,
}

impl RandomOps {
    /// Ops from a seed: the same seed, the same ops against the same map.
    #[must_use]
    pub fn new(seed: u64) -> Self {
        Self {
            rng: XorShiftRng::seed_from_u64(seed),
        }
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            ((u128::from(self.rng.next_u64()) * n as u128) >> 64) as usize
        }
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy>(&mut self, v: &[T]) -> Option<T> {
        (!v.is_empty()).then(|| v[self.below(v.len())])
    }

    fn word(&mut self) -> String {
        const WORDS: [&str; 8] = [
            "bill", "call", "wait", "app", "fee", "refund", "chat", "letter",
        ];
        let n = 1 + self.below(3);
        (0..n)
            .map(|_| WORDS[self.below(WORDS.len())])
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// A key at a random place among `keys` (in order).
    fn key_among(&mut self, keys: &[&str]) -> String {
        let i = self.below(keys.len() + 1);
        let lo = i.checked_sub(1).map(|j| keys[j]);
        let hi = keys.get(i).copied();
        order::between(lo, hi)
    }

    /// An id that exists in `ids`, or (rarely) one that does not.
    fn id_of(&mut self, ids: &[u64]) -> u64 {
        if ids.is_empty() || self.chance(3) {
            1 + self.below(1_000_000) as u64 * 7_919
        } else {
            ids[self.below(ids.len())]
        }
    }

    fn card_field(&mut self, doc: &Document) -> CardField {
        match self.below(12) {
            0 => CardField::Text(self.word()),
            1 => CardField::Channel(
                self.pick(&[
                    None,
                    Some(Channel::Phone),
                    Some(Channel::Email),
                    Some(Channel::App),
                ])
                .flatten(),
            ),
            2 => CardField::ChannelName(self.word()),
            3 => CardField::Owner(
                self.pick(&["", "Billing", "IT", "Legal"])
                    .unwrap_or("")
                    .into(),
            ),
            4 => CardField::Note(self.word()),
            5 => CardField::MomentOfTruth(self.chance(50)),
            6 => CardField::Severity(
                self.pick(&[None, Some(1), Some(2), Some(3), Some(9)])
                    .flatten(),
            ),
            7 => CardField::Priority(self.pick(&[None, Some(1), Some(3)]).flatten()),
            8 => CardField::Evidence(self.chance(50).then(|| Evidence {
                kind: EvidenceKind::Researched,
                source: self.word(),
            })),
            9 => CardField::Metrics(if self.chance(70) {
                vec![Metric {
                    name: "CSAT".into(),
                    value: self.below(50) as f64 / 10.0,
                    ..Default::default()
                }]
            } else {
                Vec::new()
            }),
            10 => CardField::MapLinks(if self.chance(60) {
                vec![MapLink {
                    map: format!("../{}.journeymap.json", self.word()),
                    to: if self.chance(50) {
                        MapTarget::Card(CardId(1 + self.below(50) as u64))
                    } else {
                        MapTarget::Stage(StageId(1 + self.below(9) as u64))
                    },
                    kind: LinkKind::LeadsTo,
                    label: self.word(),
                }]
            } else {
                Vec::new()
            }),
            _ => CardField::Personas(
                doc.personas
                    .iter()
                    .take(self.below(2) + 1)
                    .map(|p| p.id)
                    .collect(),
            ),
        }
    }

    /// A random op against `doc`.
    #[must_use]
    pub fn op(&mut self, doc: &Document) -> Op {
        let stages: Vec<u64> = doc.stages.iter().map(|s| s.id.0).collect();
        let all_lanes: Vec<u64> = doc.lanes.iter().map(|l| l.id.0).collect();
        let lanes: Vec<u64> = doc
            .lanes
            .iter()
            .filter(|l| l.kind.holds_cards())
            .map(|l| l.id.0)
            .collect();
        let cards: Vec<u64> = doc.cards.iter().map(|c| c.id.0).collect();
        let points: Vec<u64> = doc.emotion.points().map(|(_, p)| p.id.0).collect();
        let curves: Vec<u64> = doc.emotion.curves.iter().map(|c| c.id.0).collect();
        let links: Vec<u64> = doc.links.iter().map(|l| l.id.0).collect();
        let personas: Vec<u64> = doc.personas.iter().map(|p| p.id.0).collect();
        match self.below(30) {
            0 => Op::SetMap(if self.chance(50) {
                MapField::Title(self.word())
            } else {
                MapField::Description(self.word())
            }),
            1 => Op::InsertPersona {
                persona: Box::new(Persona::named(PersonaId(0), self.word())),
                at: self.chance(50).then(|| self.below(4)),
            },
            2 => Op::RemovePersona(PersonaId(self.id_of(&personas))),
            3 => Op::SetPersona(
                PersonaId(self.id_of(&personas)),
                if self.chance(50) {
                    PersonaField::Name(self.word())
                } else {
                    PersonaField::Quote(self.word())
                },
            ),
            4 => {
                let keys: Vec<&str> = doc.stages.iter().map(|s| s.pos.as_str()).collect();
                let pos = if self.chance(30) {
                    String::new()
                } else {
                    self.key_among(&keys)
                };
                Op::InsertStage(Box::new(Stage {
                    id: StageId(0),
                    name: self.word(),
                    width: 100.0 + self.below(600) as f32,
                    pos,
                }))
            }
            5 => Op::RemoveStage(StageId(self.id_of(&stages))),
            6 | 7 => {
                let keys: Vec<&str> = doc.stages.iter().map(|s| s.pos.as_str()).collect();
                let f = match self.below(3) {
                    0 => StageField::Name(self.word()),
                    1 => StageField::Width(self.below(1500) as f32 + 0.4),
                    _ => StageField::Pos(self.key_among(&keys)),
                };
                Op::SetStage(StageId(self.id_of(&stages)), f)
            }
            8 => {
                let keys: Vec<&str> = doc.lanes.iter().map(|l| l.pos.as_str()).collect();
                let kind = if self.chance(10) {
                    LaneKind::Emotion
                } else {
                    LaneKind::Custom
                };
                Op::InsertLane(Box::new(Lane {
                    id: LaneId(0),
                    name: self.word(),
                    kind,
                    hidden: false,
                    pos: self.key_among(&keys),
                }))
            }
            9 => Op::RemoveLane(LaneId(self.id_of(&all_lanes))),
            10 => {
                let keys: Vec<&str> = doc.lanes.iter().map(|l| l.pos.as_str()).collect();
                let f = match self.below(3) {
                    0 => LaneField::Name(self.word()),
                    1 => LaneField::Hidden(self.chance(50)),
                    _ => LaneField::Pos(self.key_among(&keys)),
                };
                Op::SetLane(LaneId(self.id_of(&all_lanes)), f)
            }
            11..=13 => {
                let (s, l) = (StageId(self.id_of(&stages)), LaneId(self.id_of(&lanes)));
                let keys: Vec<&str> = doc.cell_cards(s, l).map(|c| c.pos.as_str()).collect();
                let lo_hi = self.below(keys.len() + 1);
                let lo = lo_hi.checked_sub(1).map(|j| keys[j]);
                let hi = keys.get(lo_hi).copied();
                let n = 1 + self.below(3);
                let place = self.chance(70);
                let ks = order::spread(lo, hi, n);
                let cards = ks
                    .into_iter()
                    .map(|k| {
                        let mut c = Card::new(CardId(0), s, l, self.word());
                        if place {
                            c.pos = k;
                        }
                        Arc::new(c)
                    })
                    .collect();
                Op::InsertCards(cards)
            }
            14 | 15 => {
                let n = 1 + self.below(3);
                Op::RemoveCards((0..n).map(|_| CardId(self.id_of(&cards))).collect())
            }
            16..=19 => {
                let f = self.card_field(doc);
                Op::SetCard(CardId(self.id_of(&cards)), f)
            }
            20 | 21 => {
                let (s, l) = (StageId(self.id_of(&stages)), LaneId(self.id_of(&lanes)));
                let keys: Vec<&str> = doc.cell_cards(s, l).map(|c| c.pos.as_str()).collect();
                let n = 1 + self.below(3);
                let i = self.below(keys.len() + 1);
                let lo = i.checked_sub(1).map(|j| keys[j]);
                let hi = keys.get(i).copied();
                let ks = order::spread(lo, hi, n);
                Op::PlaceCards(
                    ks.into_iter()
                        .map(|pos| {
                            (
                                CardId(self.id_of(&cards)),
                                Place {
                                    stage: s,
                                    lane: l,
                                    pos,
                                },
                            )
                        })
                        .collect(),
                )
            }
            22 => Op::InsertPoint {
                curve: CurveId(self.id_of(&curves)),
                point: EmotionPoint {
                    id: PointId(0),
                    stage: StageId(self.id_of(&stages)),
                    offset: self.below(11) as f32 / 10.0,
                    value: self.below(7) as f32 - 3.0,
                    // Half of them tied to a card (one that may be removed later).
                    card: (self.below(2) == 0).then(|| CardId(self.id_of(&cards))),
                },
                at: None,
            },
            23 => Op::RemovePoints(vec![PointId(self.id_of(&points))]),
            24 => Op::SetPoint {
                id: PointId(self.id_of(&points)),
                stage: StageId(self.id_of(&stages)),
                offset: self.below(11) as f32 / 10.0,
                value: self.below(5) as f32 - 2.0,
            },
            25 => Op::InsertCurve {
                curve: Box::new(Curve {
                    id: CurveId(0),
                    name: self.word(),
                    kind: CurveKind::Measured,
                    persona: None,
                    hue: None,
                    hidden: false,
                    points: vec![EmotionPoint {
                        id: PointId(0),
                        stage: StageId(self.id_of(&stages)),
                        offset: 0.5,
                        value: 1.0,
                        card: None,
                    }],
                    units: None,
                }),
                at: Some(self.below(3)),
            },
            26 => Op::RemoveCurve(CurveId(self.id_of(&curves))),
            27 => Op::SetCurve(
                CurveId(self.id_of(&curves)),
                match self.below(3) {
                    0 => CurveField::Hidden(self.chance(50)),
                    1 => CurveField::Name(self.word()),
                    _ => CurveField::Units(self.chance(50).then(|| {
                        Box::new(crate::model::Units {
                            name: self.word(),
                            low: 1.0,
                            high: 5.0,
                        })
                    })),
                },
            ),
            28 => {
                let (a, b) = (CardId(self.id_of(&cards)), CardId(self.id_of(&cards)));
                if self.chance(50) {
                    Op::InsertLinks {
                        links: vec![Link {
                            id: LinkId(0),
                            from: a,
                            to: b,
                            kind: LinkKind::Causes,
                        }],
                        at: Vec::new(),
                    }
                } else {
                    Op::SetLink(LinkId(self.id_of(&links)), LinkField::Ends(a, b))
                }
            }
            _ => Op::RemoveLinks(vec![LinkId(self.id_of(&links))]),
        }
    }
}
