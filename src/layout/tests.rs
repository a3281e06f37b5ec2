//! Layout tests: cards inside their cells, text re-wrapped only when needed, the clamp, the
//! add slot and editor room, and incremental updates equal to laying out from scratch.
//! Compiled only under `#[cfg(test)]` (`mod tests` in `layout/mod.rs`).

use std::collections::BTreeSet;

use super::*;
use crate::edit::Touched;
use crate::model::sample_map;
use crate::theme::ThemeKind;

#[test]
fn cards_stay_inside_their_cells_and_do_not_overlap() {
    let doc = sample_map();
    let l = layout(&doc, FontMeasure::shared(), &mut TextCache::default());
    assert_eq!(l.cards.len(), doc.cards.len());
    for c in &l.cards {
        let cell = l.cell_rect(c.stage, c.lane).unwrap();
        assert!(
            cell.contains(c.rect.min) && cell.contains(c.rect.max),
            "card {:?} outside its cell",
            c.id
        );
        for line in &c.lines {
            let w = FontMeasure::shared().width(&line.text, line.size, line.bold);
            assert!(line.pos.x + w <= c.rect.max.x + 0.01);
            assert!(line.pos.y + line.size * LINE_HEIGHT <= c.rect.max.y + 0.01);
        }
        for d in &l.cards {
            if c.id != d.id {
                assert!(
                    !c.rect.intersects(&d.rect),
                    "{:?} overlaps {:?}",
                    c.id,
                    d.id
                );
            }
        }
    }
    let emo = l.emotion.unwrap();
    assert_eq!(emo.points().count(), doc.emotion.points().count());
}

#[test]
fn an_edit_rewraps_only_the_edited_card() {
    let mut doc = crate::model::synthetic_map(10, 500, 3);
    let mut cache = TextCache::default();
    let _ = layout(&doc, FontMeasure::shared(), &mut cache);
    assert_eq!(cache.wraps(), 500);
    doc.card_at_mut(42).text.push_str(" and more");
    let l = layout(&doc, FontMeasure::shared(), &mut cache);
    assert_eq!(cache.wraps(), 501);
    assert_eq!(l.cards.len(), 500);
    // Resizing a stage re-wraps that stage's cards only.
    let s = doc.stages[3].id;
    doc.stages[3].width += 40.0;
    let _ = layout(&doc, FontMeasure::shared(), &mut cache);
    let in_stage = doc.cards.iter().filter(|c| c.stage == s).count() as u64;
    assert_eq!(cache.wraps(), 501 + in_stage);
}

#[test]
fn long_lane_names_grow_their_lane() {
    let mut doc = sample_map();
    let l1 = layout(&doc, FontMeasure::shared(), &mut TextCache::default());
    for lane in &mut doc.lanes {
        lane.name = "A very long lane name that wraps onto many lines in the label".into();
    }
    let l2 = layout(&doc, FontMeasure::shared(), &mut TextCache::default());
    for (a, b) in l1.lanes.iter().zip(&l2.lanes) {
        let last = b.name.last().unwrap();
        assert!(
            last.pos.y + last.size * LINE_HEIGHT <= b.label.max.y,
            "{:?} name overflows",
            b.kind
        );
        assert!(b.label.height() >= a.label.height());
    }
    let e = l2.emotion.as_ref().unwrap();
    let lane = l2.lane(e.lane).unwrap();
    let last = lane.name.last().unwrap();
    assert!(
        last.pos.y + last.size * LINE_HEIGHT < e.y_max,
        "the name stays above the scale"
    );
}

#[test]
fn long_text_grows_the_row() {
    let mut doc = sample_map();
    let l1 = layout(&doc, FontMeasure::shared(), &mut TextCache::default());
    let lane = doc.cards[0].lane;
    doc.card_at_mut(0).text = "word ".repeat(200);
    let l2 = layout(&doc, FontMeasure::shared(), &mut TextCache::default());
    assert!(l2.lane(lane).unwrap().row.height() > l1.lane(lane).unwrap().row.height() + 100.0);
}

fn lay(doc: &Document, spec: &View, live: &Live) -> Layout {
    layout_with(
        doc,
        spec,
        live,
        FontMeasure::shared(),
        &mut TextCache::default(),
    )
}

/// Two layouts place everything the same (card order aside).
fn assert_same(a: &Layout, b: &Layout) {
    assert_eq!(a.stages, b.stages);
    assert_eq!(a.lanes, b.lanes);
    assert_eq!(a.emotion, b.emotion);
    assert_eq!(a.bounds, b.bounds);
    assert_eq!(a.edit_rect, b.edit_rect);
    assert_eq!(a.cards.len(), b.cards.len());
    for c in &a.cards {
        assert_eq!(Some(c), b.card(c.id), "card {:?}", c.id);
    }
    assert_eq!(a.cells, b.cells);
}

#[test]
fn long_cards_are_clamped_on_the_canvas_and_whole_in_exports() {
    let mut doc = sample_map();
    doc.card_at_mut(0).text = "word ".repeat(300);
    let id = doc.cards[0].id;
    let export = lay(&doc, &View::default(), &Live::default());
    let canvas = lay(&doc, &View::editor(ThemeKind::Light, 1.0), &Live::default());
    let whole = export.card(id).unwrap();
    let clamped = canvas.card(id).unwrap();
    assert!(whole.lines.len() > CLAMP_LINES);
    assert_eq!(whole.hidden_lines, 0);
    assert_eq!(clamped.lines.len(), CLAMP_LINES);
    assert_eq!(clamped.hidden_lines, whole.lines.len() - CLAMP_LINES);
    assert!(clamped.lines.last().unwrap().text.ends_with('\u{2026}'));
    // Selected (expanded), it shows every line.
    let live = Live {
        expanded: [id].into(),
        editing: None,
    };
    let open = lay(&doc, &View::editor(ThemeKind::Light, 1.0), &live);
    assert_eq!(open.card(id).unwrap().lines.len(), whole.lines.len());
}

#[test]
fn add_slots_and_the_new_card_editor_get_room_in_their_cell() {
    let doc = sample_map();
    let spec = View::editor(ThemeKind::Light, 1.0);
    let l = lay(&doc, &spec, &Live::default());
    let c = &doc.cards[0];
    let slot = l.add_slot(c.stage, c.lane).unwrap();
    let cell = l.cell_rect(c.stage, c.lane).unwrap();
    let last = l.cell_cards(c.stage, c.lane).last().unwrap().rect;
    assert!(slot.height() >= 24.0);
    assert!(
        slot.min.y >= last.max.y && slot.max.y <= cell.max.y,
        "{slot:?} in {cell:?}"
    );
    // A new card's editor in the middle of the cell pushes the cards after it down, inside
    // the lane, which grows.
    let n = l.cell_cards(c.stage, c.lane).count();
    let live = Live {
        expanded: BTreeSet::new(),
        editing: Some(EditBox::New {
            stage: c.stage,
            lane: c.lane,
            index: 1,
            text: "line\n".repeat(5),
        }),
    };
    let e = lay(&doc, &spec, &live);
    let r = e.edit_rect.unwrap();
    let cell2 = e.cell_rect(c.stage, c.lane).unwrap();
    assert!(cell2.contains(r.min) && cell2.contains(r.max));
    let cards: Vec<_> = e.cell_cards(c.stage, c.lane).collect();
    assert_eq!(cards.len(), n);
    assert!(cards[0].rect.max.y <= r.min.y && cards[1].rect.min.y >= r.max.y);
    for other in &e.cards {
        assert!(
            !other.rect.intersects(&r),
            "{:?} under the editor",
            other.id
        );
    }
}

/// Takes the editor's changes into the incremental layout.
fn step(inc: &mut Incremental, ed: &mut crate::edit::Editor, spec: &View, live: &Live) -> Relaid {
    let t = ed.take_touched();
    inc.update(ed.doc(), spec, live, &t, FontMeasure::shared())
}

#[test]
fn incremental_updates_equal_a_fresh_layout() {
    use crate::edit::{Command, Editor};
    let doc = crate::model::synthetic_map(12, 600, 7);
    let spec = View::editor(ThemeKind::Light, 1.0);
    let mut ed = Editor::new(doc);
    let mut inc = Incremental::default();
    let live = Live::default();
    assert_eq!(step(&mut inc, &mut ed, &spec, &live), Relaid::Full);
    let wraps = inc.text_cache().wraps();
    // Edit a card to many lines, move one across stages, delete one, add two.
    let mut c = crate::model::Card::clone(&ed.doc().cards[5]);
    c.text = "a much longer text ".repeat(12);
    ed.apply(&Command::UpdateCard(c.clone())).unwrap();
    let r = step(&mut inc, &mut ed, &spec, &live);
    assert!(matches!(r, Relaid::Partial { .. }), "{r:?}");
    assert_same(inc.layout(), &lay(ed.doc(), &spec, &live));
    assert!(
        inc.text_cache().wraps() <= wraps + 1,
        "one card re-wrapped, not all"
    );
    let mv = crate::model::Card::clone(&ed.doc().cards[40]);
    let to = ed.doc().stages[9].id;
    ed.apply(&Command::MoveCards {
        ids: vec![mv.id],
        stage: to,
        lane: mv.lane,
        index: 0,
    })
    .unwrap();
    ed.apply(&Command::DeleteCards(vec![ed.doc().cards[3].id]))
        .unwrap();
    let first = crate::model::Card::clone(&ed.doc().cards[0]);
    let new = |id: u64, t: &str| crate::model::Card::new(CardId(id), first.stage, first.lane, t);
    let (a, b) = (0, 0);
    ed.apply(&Command::AddCards {
        cards: vec![new(a, "one"), new(b, "two")],
        index: 1,
    })
    .unwrap();
    step(&mut inc, &mut ed, &spec, &live);
    assert_same(inc.layout(), &lay(ed.doc(), &spec, &live));
    // Undo all of it, then the editor and the expansion change as live state.
    while ed.undo().is_some() {}
    step(&mut inc, &mut ed, &spec, &live);
    assert_same(inc.layout(), &lay(ed.doc(), &spec, &live));
    let live2 = Live {
        expanded: [c.id].into(),
        editing: Some(EditBox::Card {
            id: first.id,
            text: "typed\n".repeat(7),
        }),
    };
    inc.update(
        ed.doc(),
        &spec,
        &live2,
        &Touched::default(),
        FontMeasure::shared(),
    );
    assert_same(inc.layout(), &lay(ed.doc(), &spec, &live2));
    let live3 = Live {
        expanded: BTreeSet::new(),
        editing: Some(EditBox::New {
            stage: first.stage,
            lane: first.lane,
            index: 0,
            text: "x\n".repeat(4),
        }),
    };
    inc.update(
        ed.doc(),
        &spec,
        &live3,
        &Touched::default(),
        FontMeasure::shared(),
    );
    assert_same(inc.layout(), &lay(ed.doc(), &spec, &live3));
    inc.update(
        ed.doc(),
        &spec,
        &live,
        &Touched::default(),
        FontMeasure::shared(),
    );
    assert_same(inc.layout(), &lay(ed.doc(), &spec, &live));
    // A point moved: nothing but the curve.
    let p = ed.doc().emotion.curves[0].points[0].clone();
    ed.apply(&Command::MovePoint {
        id: p.id,
        stage: p.stage,
        offset: p.offset,
        value: -1.0,
    })
    .unwrap();
    step(&mut inc, &mut ed, &spec, &live);
    assert_same(inc.layout(), &lay(ed.doc(), &spec, &live));
    // A stage resize lays out everything.
    let s = ed.doc().stages[2].id;
    ed.apply(&Command::ResizeStage {
        id: s,
        width: 400.0,
    })
    .unwrap();
    assert_eq!(step(&mut inc, &mut ed, &spec, &live), Relaid::Full);
}

#[test]
fn bigger_text_rewraps_into_more_lines() {
    let doc = sample_map();
    let a = lay(&doc, &View::default(), &Live::default());
    let b = lay(&doc, &View::export(ThemeKind::Light, 1.6), &Live::default());
    let lines = |l: &Layout| l.cards.iter().map(|c| c.lines.len()).sum::<usize>();
    assert!(lines(&b) > lines(&a));
    assert!((b.cards[0].lines[0].size - 24.0).abs() < 0.01);
    assert!(b.bounds.height() > a.bounds.height());
}

/// After every random op (one step each, through the editor, with undo now and then), the
/// incremental layout equals a fresh layout of the same map, to the last bit (also at a text
/// size whose sizes are not whole numbers).
#[test]
fn incremental_layout_equals_fresh_after_random_ops() {
    use crate::edit::random::RandomOps;
    use crate::edit::{Editor, Origin};
    let live = Live::default();
    // The sample at three text sizes, then a tall 1,200-card map (random ops are spread
    // over it, so fewer steps).
    for seed in 0..26_u64 {
        let scale = [1.0, 1.37, 1.9][seed as usize % 3];
        let spec = View::editor(ThemeKind::Light, scale);
        let (map, steps) = if seed < 24 {
            (crate::model::sample_map(), 60)
        } else {
            (crate::model::synthetic_map(4, 1_200, seed), 20)
        };
        let mut ed = Editor::with_seed(map, seed);
        let mut inc = Incremental::default();
        step(&mut inc, &mut ed, &spec, &live);
        if seed >= 24 {
            // Tall enough that a difference in the last bit would show.
            assert!(inc.layout().bounds.height() > 10_000.0);
        }
        let mut ops = RandomOps::new(seed);
        for i in 0..steps {
            if i % 11 == 10 {
                ed.undo();
            } else {
                let op = ops.op(ed.doc());
                let origin = if i % 3 == 0 {
                    Origin::Peer(1)
                } else {
                    Origin::Local
                };
                let _ = ed.apply_ops(origin, vec![op]);
            }
            step(&mut inc, &mut ed, &spec, &live);
            assert_same(inc.layout(), &lay(ed.doc(), &spec, &live));
        }
    }
}

/// With more than one persona, a card names its personas in its marks row (a second actor of
/// a Mermaid task showed only in the persona header); with one, no card names it.
#[test]
fn cards_name_their_personas_when_the_map_has_several() {
    let text = "journey\n  section Home\n    Make tea: 5: Me, Cat\n    Nap: 4: Cat\n    Read: 3\n";
    let mut doc = crate::io::mermaid::import(text, "t.mmd").unwrap().doc;
    assert_eq!(doc.personas.len(), 2);
    let spec = View::editor(ThemeKind::Light, 1.0);
    let l = lay(&doc, &spec, &Live::default());
    let meta = |l: &Layout, doc: &Document, text: &str| {
        let id = doc.cards.iter().find(|c| c.text == text).unwrap().id;
        l.card(id)
            .unwrap()
            .meta
            .as_ref()
            .map(|m| m.text.to_string())
    };
    assert_eq!(meta(&l, &doc, "Make tea").as_deref(), Some("Me, Cat"));
    assert_eq!(meta(&l, &doc, "Nap").as_deref(), Some("Cat"));
    assert_eq!(meta(&l, &doc, "Read"), None);
    // Renaming a persona reaches every card, incrementally too.
    let mut ed = crate::edit::Editor::with_seed(doc.clone(), 1);
    let mut inc = Incremental::default();
    step(&mut inc, &mut ed, &spec, &Live::default());
    let cat = doc.personas[1].id;
    ed.apply_ops(
        crate::edit::Origin::Local,
        vec![crate::edit::Op::SetPersona(
            cat,
            crate::edit::PersonaField::Name("Tom".into()),
        )],
    )
    .unwrap();
    step(&mut inc, &mut ed, &spec, &Live::default());
    assert_eq!(
        meta(inc.layout(), ed.doc(), "Make tea").as_deref(),
        Some("Me, Tom")
    );
    assert_same(inc.layout(), &lay(ed.doc(), &spec, &Live::default()));
    // One persona: nobody is named.
    doc.personas.truncate(1);
    let l = lay(&doc, &spec, &Live::default());
    assert_eq!(meta(&l, &doc, "Make tea"), None);
}

/// A gap is told in the measured curve's own units next to the feeling (issue 18, item 11),
/// in scale steps without them; units may run downwards (fewer minutes waited is better).
#[test]
fn gaps_are_told_in_the_measured_curve_s_own_units() {
    let doc = sample_map();
    let call = doc
        .stages
        .iter()
        .find(|s| s.name == "Call support")
        .unwrap()
        .id;
    let said = |doc: &Document| {
        let l = lay(doc, &View::default(), &Live::default());
        let e = l.emotion.unwrap();
        e.gaps
            .iter()
            .find(|g| g.stage == call)
            .unwrap()
            .said("feels")
    };
    // CSAT 1 to 5 over −2..+2: the measured +1.5 is CSAT 4.5.
    assert_eq!(said(&doc), "CSAT 4.5 / 5 measured, feels \u{2212}2");
    let mut plain = doc.clone();
    for c in &mut plain.emotion.curves {
        c.units = None;
    }
    assert_eq!(said(&plain), "gap +3.5");
    let mut down = doc.clone();
    for c in &mut down.emotion.curves {
        if c.units.is_some() {
            c.units = Some(crate::model::Units {
                name: "Minutes waited".into(),
                low: 20.0,
                high: 0.0,
            });
        }
    }
    assert_eq!(said(&down), "Minutes waited 2.5 measured, feels \u{2212}2");
}

#[test]
fn parallel_links_get_tracks_of_their_own_off_the_grid_lines() {
    let mut doc = sample_map();
    let stage = |i: usize| doc.stages[i].id;
    let (s0, s1, s5) = (stage(0), stage(1), stage(5));
    let lane = |k: LaneKind| doc.lanes.iter().find(|l| l.kind == k).unwrap().id;
    let (pains, back) = (lane(LaneKind::PainPoints), lane(LaneKind::Backstage));
    let mut card = |id: u64, stage, lane| {
        let c = crate::model::Card::new(crate::model::CardId(id), stage, lane, format!("c{id}"));
        doc.cards.push(std::sync::Arc::new(c));
    };
    // One pain point with four causes far away, and a neighbour's link through the same
    // corridors.
    card(7001, s0, pains);
    card(7002, s1, pains);
    for k in 0..4 {
        card(7010 + k, s5, back);
    }
    let mut links: Vec<(u64, u64)> = (0..4).map(|k| (7001, 7010 + k)).collect();
    links.push((7002, 7010));
    links.push((7001, 7002));
    for (i, (a, b)) in links.iter().enumerate() {
        doc.links.push(crate::model::Link {
            id: crate::model::LinkId(8000 + i as u64),
            from: crate::model::CardId(*a),
            to: crate::model::CardId(*b),
            kind: crate::model::LinkKind::Causes,
        });
    }
    let layout = lay(&doc, &View::default(), &Live::default());
    let ours: Vec<&LinkBox> = layout.links.iter().filter(|l| l.id.0 >= 8000).collect();
    assert_eq!(ours.len(), links.len());
    // Segments as (upright, coordinate, from, to).
    let segs = |l: &LinkBox| -> Vec<(bool, f32, f32, f32)> {
        l.route
            .windows(2)
            .filter(|w| (w[0].x - w[1].x).abs() + (w[0].y - w[1].y).abs() > 0.5)
            .map(|w| {
                if (w[0].x - w[1].x).abs() < 1e-3 {
                    (true, w[0].x, w[0].y.min(w[1].y), w[0].y.max(w[1].y))
                } else {
                    (false, w[0].y, w[0].x.min(w[1].x), w[0].x.max(w[1].x))
                }
            })
            .collect()
    };
    for (i, a) in ours.iter().enumerate() {
        for b in &ours[i + 1..] {
            for sa in segs(a) {
                for sb in segs(b) {
                    let on_top = sa.0 == sb.0
                        && (sa.1 - sb.1).abs() < 2.0
                        && sa.3.min(sb.3) - sa.2.max(sb.2) > 1.0;
                    assert!(
                        !on_top,
                        "{:?} and {:?} run on top of each other: {sa:?} {sb:?}",
                        a.id, b.id
                    );
                }
            }
        }
        // Never along a stage's or a lane's edge (where grid and blueprint lines are).
        for (up, at, lo, hi) in segs(a) {
            if hi - lo < 1.0 {
                continue;
            }
            let edges: Vec<f32> = if up {
                layout
                    .stages
                    .iter()
                    .flat_map(|s| [s.column.min.x, s.column.max.x])
                    .collect()
            } else {
                layout
                    .lanes
                    .iter()
                    .flat_map(|l| [l.row.min.y, l.row.max.y])
                    .collect()
            };
            assert!(
                edges.iter().all(|e| (e - at).abs() > 1.0),
                "{:?} runs along an edge at {at}: {:?}",
                a.id,
                a.route
            );
            // And inside the corridor: clear of every card.
            for c in &layout.cards {
                let r = c.rect;
                let crosses = if up {
                    at > r.min.x + 0.5
                        && at < r.max.x - 0.5
                        && hi > r.min.y + 0.5
                        && lo < r.max.y - 0.5
                } else {
                    at > r.min.y + 0.5
                        && at < r.max.y - 0.5
                        && hi > r.min.x + 0.5
                        && lo < r.max.x - 0.5
                };
                assert!(!crosses, "{:?} crosses card {:?}", a.id, c.id);
            }
        }
    }
}
