//! Property test: any sequence of commands (shorter than the history cap) can be undone to
//! the exact starting document and redone to the exact final one.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly; allow-unwrap-in-tests covers only #[test] bodies"
)]

use journeymap::edit::{Command, Editor, HISTORY_CAP};
use journeymap::model::{
    Card, CardId, Curve, CurveId, CurveKind, Document, EmotionPoint, Lane, LaneId, LaneKind, Link,
    LinkId, LinkKind, PointId, Stage, StageId, sample_map,
};
use proptest::prelude::*;

/// An abstract operation, made concrete against the document of the moment.
#[derive(Clone, Debug)]
struct Op {
    kind: u8,
    a: usize,
    b: usize,
    c: usize,
    x: f32,
}

fn pick<T: Copy>(v: &[T], i: usize) -> Option<T> {
    (!v.is_empty()).then(|| v[i % v.len()])
}

fn concrete(doc: &Document, op: &Op) -> Option<Command> {
    let stages: Vec<StageId> = doc.stages.iter().map(|s| s.id).collect();
    let lanes: Vec<LaneId> = doc
        .lanes
        .iter()
        .filter(|l| l.kind.holds_cards())
        .map(|l| l.id)
        .collect();
    let all_lanes: Vec<LaneId> = doc.lanes.iter().map(|l| l.id).collect();
    let cards: Vec<CardId> = doc.cards.iter().map(|c| c.id).collect();
    let points: Vec<PointId> = doc.emotion.points().map(|(_, p)| p.id).collect();
    let curves: Vec<CurveId> = doc.emotion.curves.iter().map(|c| c.id).collect();
    let links: Vec<LinkId> = doc.links.iter().map(|l| l.id).collect();
    let next = doc.next_id;
    Some(match op.kind % 20 {
        0 => Command::AddStage {
            index: op.a,
            stage: Stage {
                id: StageId(next),
                name: format!("S{}", op.b),
                width: 100.0 + op.x.abs() * 100.0,
            },
        },
        1 => Command::RenameStage {
            id: pick(&stages, op.a)?,
            name: format!("Stage {}", op.b),
        },
        2 => Command::ResizeStage {
            id: pick(&stages, op.a)?,
            width: op.x * 500.0,
        },
        3 => Command::MoveStage {
            id: pick(&stages, op.a)?,
            to_index: op.b,
        },
        4 => Command::DeleteStage(pick(&stages, op.a)?),
        5 => Command::AddLane {
            index: op.a,
            lane: Lane {
                id: LaneId(next),
                name: "L".into(),
                kind: LaneKind::Custom,
                hidden: false,
            },
        },
        6 => Command::MoveLane {
            id: pick(&all_lanes, op.a)?,
            to_index: op.b,
        },
        7 => Command::SetLaneHidden {
            id: pick(&all_lanes, op.a)?,
            hidden: op.b.is_multiple_of(2),
        },
        8 => Command::DeleteLane(pick(&lanes, op.a)?),
        9 => {
            let (s, l) = (pick(&stages, op.a)?, pick(&lanes, op.b)?);
            let n = 1 + op.c % 3;
            let cards = (0..n)
                .map(|i| Card::new(CardId(next + i as u64), s, l, format!("card {i}")))
                .collect();
            Command::AddCards { cards, index: op.c }
        }
        10 => {
            let mut c = doc.card(pick(&cards, op.a)?)?.clone();
            c.text = format!("edited {}", op.b);
            c.owner = "Billing".into();
            Command::UpdateCard(c)
        }
        11 => {
            let ids: Vec<CardId> = (0..=op.c % 3)
                .filter_map(|i| pick(&cards, op.a + i * 7))
                .collect();
            Command::MoveCards {
                ids,
                stage: pick(&stages, op.b)?,
                lane: pick(&lanes, op.c)?,
                index: op.a % 4,
            }
        }
        12 => Command::DeleteCards(vec![pick(&cards, op.a)?]),
        13 => Command::AddPoint {
            curve: pick(&curves, op.b)?,
            point: EmotionPoint {
                id: PointId(next),
                stage: pick(&stages, op.a)?,
                offset: op.x.abs(),
                value: op.x * 3.0,
            },
        },
        14 => Command::MovePoint {
            id: pick(&points, op.a)?,
            stage: pick(&stages, op.b)?,
            offset: op.x.abs(),
            value: op.x * 2.0,
        },
        16 => Command::AddLink(Link {
            id: LinkId(next),
            from: pick(&cards, op.a)?,
            to: pick(&cards, op.b)?,
            kind: LinkKind::Causes,
        }),
        17 => Command::DeleteLinks(vec![pick(&links, op.a)?]),
        18 => Command::AddCurve {
            index: op.a,
            curve: Curve {
                id: CurveId(next),
                name: format!("C{}", op.b),
                kind: CurveKind::Measured,
                persona: None,
                hue: None,
                hidden: op.c.is_multiple_of(2),
                points: Vec::new(),
            },
        },
        19 => Command::DeleteCurve(pick(&curves, op.a)?),
        _ => Command::Batch(vec![
            Command::SetTitle(format!("T{}", op.a)),
            Command::DeletePoints(vec![pick(&points, op.b)?]),
        ]),
    })
}

fn op() -> impl Strategy<Value = Op> {
    (
        any::<u8>(),
        0usize..50,
        0usize..50,
        0usize..50,
        -1.0f32..1.0,
    )
        .prop_map(|(kind, a, b, c, x)| Op { kind, a, b, c, x })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    #[test]
    fn undo_all_restores_and_redo_replays(ops in proptest::collection::vec(op(), 1..60)) {
        prop_assume!(ops.len() < HISTORY_CAP);
        let start = sample_map();
        let mut ed = Editor::new(start.clone());
        let mut steps = 0;
        for op in &ops {
            let Some(cmd) = concrete(ed.doc(), op) else { continue };
            let before = ed.doc().clone();
            let undo_before = ed.undo_len();
            if ed.apply(&cmd).is_ok() {
                prop_assert!(ed.doc().validate().is_ok(), "{:?} broke the map: {:?}", cmd, ed.doc().validate());
                if ed.doc() != &before {
                    steps += 1;
                    prop_assert_eq!(ed.undo_len(), undo_before + 1);
                }
            } else {
                prop_assert_eq!(ed.doc(), &before, "a refused command changed the map");
            }
        }
        let end = ed.doc().clone();
        let mut undone = 0;
        while ed.undo().is_some() { undone += 1; }
        prop_assert_eq!(undone, steps);
        prop_assert_eq!(ed.doc(), &start);
        while ed.redo().is_some() {}
        prop_assert_eq!(ed.doc(), &end);
    }
}
