//! Benchmarks of the edit core on a 10,000-card map, printed as median / p95 (no pass or
//! fail: numbers for the README):
//!
//! ```text
//! cargo bench --bench bench_edit
//! ```
//!
//! - one field op (a card's text) applied through the editor and laid out incrementally;
//! - a bulk delete of all 10,000 cards (as Ctrl+A, Delete sends it) and its undo;
//! - a bulk move of 1,000 cards to another stage and its undo;
//! - deleting and moving 10 cards (and undo) on maps of 10,000 and 100,000 cards: what grows
//!   with the map's size (the cards are found by index, places by binary search);
//! - the memory an undo history of 50,000 field ops takes (resident set before and after).

use std::time::Instant;

use journeymap::edit::{CardField, Command, Editor, Op, Origin};
use journeymap::layout::{FontMeasure, Incremental, Live};
use journeymap::model::{CardId, synthetic_map};
use journeymap::view::View;

#[path = "common/stats.rs"]
mod stats;
use stats::{rss, stats};

fn main() {
    let doc = synthetic_map(50, 10_000, 7);
    println!(
        "Edit core, {} cards in {} stages (ms: median / p95)",
        doc.cards.len(),
        doc.stages.len()
    );
    let spec = View::editor(journeymap::theme::ThemeKind::Light, 1.0);
    let live = Live::default();
    let measure = FontMeasure::shared();

    // Memory of an undo history of 50,000 field ops (typing: 1,000 steps of 50 ops), first,
    // while no freed memory is there to reuse.
    let ids: Vec<CardId> = doc.cards.iter().map(|c| c.id).collect();
    let mut ed = Editor::with_seed(doc.clone(), 3);
    let before = rss();
    let mut n = 0;
    for step in 0..1_000 {
        let ops: Vec<Op> = (0..50)
            .map(|k| {
                n += 1;
                let id = ids[(step * 50 + k) * 13 % ids.len()];
                Op::SetCard(id, CardField::Text(format!("typed {step} {k}")))
            })
            .collect();
        ed.apply_ops(Origin::Local, ops).expect("cards exist");
    }
    let after = rss();
    println!(
        "undo history of {n} field ops ({} steps): {:.1} MB more resident memory",
        ed.undo_len(),
        (after.saturating_sub(before)) as f64 / 1e6
    );
    drop(ed);

    // One field op + incremental layout.
    let mut ed = Editor::with_seed(doc.clone(), 1);
    let mut inc = Incremental::default();
    let t = ed.take_touched();
    inc.update(ed.doc(), &spec, &live, &t, measure);
    let ids: Vec<CardId> = ed.doc().cards.iter().map(|c| c.id).collect();
    let (mut apply_t, mut both_t) = (Vec::new(), Vec::new());
    for i in 0..400 {
        let id = ids[(i * 7_919) % ids.len()];
        let op = Op::SetCard(id, CardField::Text(format!("Edited text number {i}")));
        let start = Instant::now();
        ed.apply_ops(Origin::Local, vec![op])
            .expect("the card exists");
        let applied = start.elapsed();
        let t = ed.take_touched();
        inc.update(ed.doc(), &spec, &live, &t, measure);
        both_t.push(start.elapsed());
        apply_t.push(applied);
    }
    let (m, p) = stats(apply_t);
    println!("one field op applied: {m:.4} / {p:.4}");
    let (m, p) = stats(both_t);
    println!("one field op applied + incremental layout: {m:.3} / {p:.3}");

    // Bulk delete of every card and its undo.
    let (mut del, mut undo) = (Vec::new(), Vec::new());
    let mut ed = Editor::with_seed(doc.clone(), 2);
    for _ in 0..20 {
        let all: Vec<CardId> = ed.doc().cards.iter().map(|c| c.id).collect();
        let start = Instant::now();
        ed.apply(&Command::DeleteCards(all)).expect("cards exist");
        del.push(start.elapsed());
        assert!(ed.doc().cards.is_empty());
        let start = Instant::now();
        ed.undo();
        undo.push(start.elapsed());
        assert_eq!(ed.doc().cards.len(), 10_000);
    }
    let (m, p) = stats(del);
    println!("delete all 10,000 cards: {m:.2} / {p:.2}");
    let (m, p) = stats(undo);
    println!("undo of that delete: {m:.2} / {p:.2}");

    // Recolour: every card's channel set at once (Ctrl+A, then Alt+a letter), and its undo.
    let (mut paint, mut unpaint) = (Vec::new(), Vec::new());
    for round in 0..10 {
        let channel = if round % 2 == 0 {
            journeymap::model::Channel::Phone
        } else {
            journeymap::model::Channel::Email
        };
        let cmds: Vec<Command> = ed
            .doc()
            .cards
            .iter()
            .map(|c| {
                let mut c = journeymap::model::Card::clone(c);
                c.channel = Some(channel);
                Command::UpdateCard(c)
            })
            .collect();
        let start = Instant::now();
        ed.apply(&Command::Batch(cmds)).expect("cards exist");
        paint.push(start.elapsed());
        let start = Instant::now();
        ed.undo();
        unpaint.push(start.elapsed());
    }
    let (m, p) = stats(paint);
    println!("set the channel of all 10,000 cards: {m:.2} / {p:.2}");
    let (m, p) = stats(unpaint);
    println!("undo of that: {m:.2} / {p:.2}");

    // Bulk move of 1,000 cards and its undo.
    let (mut mv, mut back) = (Vec::new(), Vec::new());
    for _ in 0..20 {
        let (stage, lane) = (ed.doc().stages[3].id, ed.doc().cards[0].lane);
        let some: Vec<CardId> = ed.doc().cards.iter().step_by(10).map(|c| c.id).collect();
        let start = Instant::now();
        ed.apply(&Command::MoveCards {
            ids: some,
            stage,
            lane,
            index: 0,
        })
        .expect("cards and cell exist");
        mv.push(start.elapsed());
        let start = Instant::now();
        ed.undo();
        back.push(start.elapsed());
    }
    let (m, p) = stats(mv);
    println!("move 1,000 cards to one cell: {m:.2} / {p:.2}");
    let (m, p) = stats(back);
    println!("undo of that move: {m:.2} / {p:.2}");

    // Small bulk edits as the map grows: 10 cards deleted / moved, and undone.
    for n in [10_000, 100_000] {
        let mut ed = Editor::with_seed(synthetic_map(50, n, 7), 4);
        let (mut del, mut undo, mut mv, mut back) = (vec![], vec![], vec![], vec![]);
        for round in 0..40 {
            let ids: Vec<CardId> = ed
                .doc()
                .cards
                .iter()
                .skip(round * 7)
                .step_by(n / 10)
                .map(|c| c.id)
                .collect();
            let start = Instant::now();
            ed.apply(&Command::DeleteCards(ids.clone()))
                .expect("cards exist");
            del.push(start.elapsed());
            let start = Instant::now();
            ed.undo();
            undo.push(start.elapsed());
            let (stage, lane) = (ed.doc().stages[round % 50].id, ed.doc().cards[0].lane);
            let start = Instant::now();
            ed.apply(&Command::MoveCards {
                ids,
                stage,
                lane,
                index: 0,
            })
            .expect("cards and cell exist");
            mv.push(start.elapsed());
            let start = Instant::now();
            ed.undo();
            back.push(start.elapsed());
        }
        let [d, u, m, b] = [del, undo, mv, back].map(stats);
        println!(
            "{n} cards: delete 10 {:.3} / {:.3}, its undo {:.3} / {:.3}; move 10 {:.3} / {:.3}, its undo {:.3} / {:.3}",
            d.0, d.1, u.0, u.1, m.0, m.1, b.0, b.1
        );
        println!(
            "  (card index rebuilt {} times in those 160 edits)",
            ed.doc().card_index.rebuilds()
        );
    }

    // Opening: normalise (repairs nothing on a valid map), validate (debug builds only).
    let (mut norm, mut valid) = (Vec::new(), Vec::new());
    for _ in 0..30 {
        let mut doc = synthetic_map(50, 10_000, 7);
        let start = Instant::now();
        let r = doc.normalize();
        norm.push(start.elapsed());
        assert!(r.is_empty());
        let start = Instant::now();
        doc.validate().expect("valid");
        valid.push(start.elapsed());
    }
    let (m, p) = stats(norm);
    println!("open: normalize a valid map: {m:.2} / {p:.2}");
    let (m, p) = stats(valid);
    println!("validate (debug builds, after normalize): {m:.2} / {p:.2}");
}
