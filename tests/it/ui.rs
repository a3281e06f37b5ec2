//! The editor driven like a user: real pointer and key events through `egui_kittest` into the
//! real `App` (logic + ui), asserting on the document and its history.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly; allow-unwrap-in-tests covers only #[test] bodies"
)]

use crate::common;

use common::*;
use egui::{Event, Key, Modifiers};
use egui_kittest::kittest::Queryable as _;
use journeymap::geom::Pos;
use journeymap::model::LaneKind;

const CTRL: Modifiers = Modifiers::COMMAND;

#[test]
fn starts_on_the_sample_map_with_accessible_cards_and_stages() {
    let h = harness(None);
    assert_eq!(h.state().doc().title, "Sorting out a surprise on my bill");
    h.get_by_label("Stage: Discover");
    h.get_by_label_contains("Card: Social media ad \u{2014} Discover (stage 1 of 7)");
}

#[test]
fn drag_out_a_stage_then_rename_it() {
    let mut h = ready();
    let before = h.state().doc().stages.len();
    let band = h.state().layout().new_stage_band;
    let from = screen(&h, Pos::new(band.min.x + 10.0, band.center().y));
    let to = from + egui::vec2(300.0, 0.0);
    drag(&mut h, from, to, 12);
    let doc = h.state().doc();
    assert_eq!(doc.stages.len(), before + 1);
    let stage = doc.stages.last().unwrap().clone();
    assert!(
        (stage.width - 300.0 / ZOOM).abs() < 2.0,
        "width {}",
        stage.width
    );
    // The new stage's name is being edited, all selected: typing replaces it.
    assert!(h.state().is_editing_text());
    type_text(&mut h, "Payment");
    key(&mut h, Modifiers::NONE, Key::Enter);
    assert_eq!(h.state().doc().stages.last().unwrap().name, "Payment");
    assert!(!h.state().is_editing_text());

    // Rename an existing stage by double-clicking its header (back at the map's start: the
    // view moved to show the new stage).
    reset_view(&mut h);
    let header = h.state().layout().stages[0].header;
    let at = screen(&h, header.center());
    double_click(&mut h, at);
    type_text(&mut h, "Notice");
    key(&mut h, Modifiers::NONE, Key::Enter);
    assert_eq!(h.state().doc().stages[0].name, "Notice");

    // Each of those is one undo step.
    key(&mut h, CTRL, Key::Z);
    assert_eq!(h.state().doc().stages[0].name, "Discover");
    key(&mut h, CTRL, Key::Z);
    assert_eq!(h.state().doc().stages.last().unwrap().name, "New stage");
    key(&mut h, CTRL, Key::Z);
    assert_eq!(h.state().doc().stages.len(), before);
    key(
        &mut h,
        Modifiers {
            shift: true,
            ..CTRL
        },
        Key::Z,
    );
    assert_eq!(h.state().doc().stages.len(), before + 1);
}

#[test]
fn double_click_a_cell_and_type_a_card() {
    let mut h = ready();
    let doc = h.state().doc().clone();
    let stage = doc.stages[6].id;
    let lane = lane_of(&doc, LaneKind::PainPoints);
    assert_eq!(doc.cell_cards(stage, lane).count(), 0);
    let cell = h.state().layout().cell_rect(stage, lane).unwrap();
    let at = screen(&h, cell.center());
    double_click(&mut h, at);
    assert!(h.state().is_editing_text());
    type_text(&mut h, "Renewal price");
    key(&mut h, Modifiers::SHIFT, Key::Enter);
    type_text(&mut h, "is a surprise too");
    key(&mut h, Modifiers::NONE, Key::Enter);
    let doc2 = h.state().doc();
    let cards: Vec<_> = doc2.cell_cards(stage, lane).collect();
    assert_eq!(cards.len(), 1);
    assert_eq!(cards[0].text, "Renewal price\nis a surprise too");
    assert_eq!(h.state().editor().undo_len(), 1);

    // Escape is "done": the card typed is kept, selected, and one Ctrl+Z takes it away; an
    // empty new card is simply not made.
    let at = screen(&h, Pos::new(cell.center().x, cell.center().y + 30.0));
    double_click(&mut h, at);
    type_text(&mut h, "Escape test");
    key(&mut h, Modifiers::NONE, Key::Escape);
    assert!(!h.state().is_editing_text());
    let texts: Vec<String> = h
        .state()
        .doc()
        .cell_cards(stage, lane)
        .map(|c| c.text.clone())
        .collect();
    assert_eq!(texts, ["Renewal price\nis a surprise too", "Escape test"]);
    let new = h.state().doc().cell_cards(stage, lane).nth(1).unwrap().id;
    assert!(h.state().selection().cards.contains(&new));
    key(&mut h, CTRL, Key::Z);
    assert_eq!(h.state().doc().cell_cards(stage, lane).count(), 1);
    let at = screen(&h, Pos::new(cell.center().x, cell.center().y + 30.0));
    double_click(&mut h, at);
    key(&mut h, Modifiers::NONE, Key::Escape);
    assert_eq!(h.state().doc().cell_cards(stage, lane).count(), 1);

    // F2 edits the selected card; the edit is one undo step.
    let card = h.state().doc().cell_cards(stage, lane).next().unwrap().id;
    let r = h.state().layout().card(card).unwrap().rect;
    let at = screen(&h, r.center());
    click(&mut h, at);
    key(&mut h, Modifiers::NONE, Key::F2);
    type_text(&mut h, "!");
    key(&mut h, Modifiers::NONE, Key::Enter);
    assert_eq!(
        h.state().doc().card(card).unwrap().text,
        "Renewal price\nis a surprise too!"
    );
    key(&mut h, CTRL, Key::Z);
    assert_eq!(
        h.state().doc().card(card).unwrap().text,
        "Renewal price\nis a surprise too"
    );
    key(&mut h, CTRL, Key::Y);
    assert_eq!(
        h.state().doc().card(card).unwrap().text,
        "Renewal price\nis a surprise too!"
    );
}

#[test]
fn drag_a_card_to_another_stage_is_one_undo_step() {
    let mut h = ready();
    let doc = h.state().doc().clone();
    let card = card_by_text(&h, "Social media ad");
    let target_stage = doc.stages[2].id;
    let from = card_center(&h, card.id);
    let cell = h
        .state()
        .layout()
        .cell_rect(target_stage, card.lane)
        .unwrap();
    let to = screen(&h, Pos::new(cell.center().x, cell.max.y - 4.0));
    let undo_before = h.state().editor().undo_len();
    drag(&mut h, from, to, 30);
    let moved = h.state().doc().card(card.id).unwrap().clone();
    assert_eq!(moved.stage, target_stage);
    assert_eq!(
        h.state()
            .doc()
            .cell_cards(target_stage, card.lane)
            .last()
            .unwrap()
            .id,
        card.id
    );
    assert_eq!(
        h.state().editor().undo_len(),
        undo_before + 1,
        "a 30-frame drag is one undo step"
    );
    key(&mut h, CTRL, Key::Z);
    assert_eq!(h.state().doc(), &doc);
    key(
        &mut h,
        Modifiers {
            shift: true,
            ..CTRL
        },
        Key::Z,
    );
    assert_eq!(h.state().doc().card(card.id).unwrap().stage, target_stage);
}

#[test]
fn drag_an_emotion_point_sets_its_value() {
    let mut h = ready();
    let emo = h.state().layout().emotion.clone().unwrap();
    let p = emo.curves[0].points[0].clone();
    assert!((p.value - 1.0).abs() < 1e-6);
    let target_y = emo.y_of(-1.5);
    let from = screen(&h, p.pos);
    let to = screen(&h, Pos::new(p.pos.x, target_y));
    drag(&mut h, from, to, 20);
    let v = h.state().doc().point(p.id).unwrap().value;
    assert!((v + 1.5).abs() < 0.05, "value {v}");
    assert_eq!(h.state().editor().undo_len(), 1);
    key(&mut h, CTRL, Key::Z);
    assert!((h.state().doc().point(p.id).unwrap().value - 1.0).abs() < 1e-6);
    // Past the bottom of the scale it stops at the minimum.
    drag(&mut h, from, from + egui::vec2(0.0, 900.0), 10);
    assert!((h.state().doc().point(p.id).unwrap().value + 2.0).abs() < 1e-6);
}

#[test]
fn double_click_the_emotion_lane_adds_a_point() {
    let mut h = ready();
    let emo = h.state().layout().emotion.clone().unwrap();
    let n = h.state().doc().emotion.points().count();
    let stage = h.state().layout().stages[3].column;
    let at = screen(&h, Pos::new(stage.min.x + 20.0, emo.y_of(2.0)));
    double_click(&mut h, at);
    let doc = h.state().doc();
    assert_eq!(doc.emotion.points().count(), n + 1);
    let added = doc.emotion.curves[0].points.last().unwrap();
    assert_eq!(added.stage, doc.stages[3].id);
    assert!((added.value - 2.0).abs() < 0.01);
}

#[test]
fn copy_and_paste_cards_and_lines_of_text() {
    let mut h = ready();
    let doc = h.state().doc().clone();
    let card = card_by_text(&h, "Chat bot");
    let at = card_center(&h, card.id);
    click(&mut h, at);
    assert!(h.state().selection().cards.contains(&card.id));
    h.event(Event::Copy);
    h.run_steps(1);
    let copied = h
        .output()
        .platform_output
        .commands
        .iter()
        .find_map(|c| {
            if let egui::OutputCommand::CopyText(t) = c {
                Some(t.clone())
            } else {
                None
            }
        })
        .expect("copy puts the text on the clipboard");
    assert_eq!(copied, "Chat bot");
    h.event(Event::Paste(copied));
    h.run_steps(2);
    let now = h.state().doc();
    assert_eq!(now.cards.len(), doc.cards.len() + 1);
    let pasted: Vec<_> = now.cell_cards(card.stage, card.lane).collect();
    let i = pasted.iter().position(|c| c.id == card.id).unwrap();
    assert_eq!(pasted[i + 1].text, "Chat bot");
    assert_eq!(
        pasted[i + 1].channel,
        card.channel,
        "a pasted copy keeps its channel"
    );
    // Several lines of foreign text make several cards.
    h.event(Event::Paste(
        "Call back\nSend a text\n\nEmail a summary".into(),
    ));
    h.run_steps(2);
    assert_eq!(h.state().doc().cards.len(), doc.cards.len() + 4);
    key(&mut h, CTRL, Key::Z);
    key(&mut h, CTRL, Key::Z);
    assert_eq!(h.state().doc(), &doc);
}

#[test]
fn rectangle_select_and_delete_then_undo() {
    let mut h = ready();
    let doc = h.state().doc().clone();
    let l = h.state().layout().clone();
    // From an empty spot below the cards of stage 0's actions lane, over stages 0 and 1.
    let lane = &l.lanes[0];
    let from = screen(
        &h,
        Pos::new(l.stages[0].column.min.x + 3.0, lane.row.max.y - 2.0),
    );
    let to = screen(
        &h,
        Pos::new(l.stages[1].column.max.x - 20.0, lane.row.min.y + 20.0),
    );
    drag(&mut h, from, to, 8);
    let selected = h.state().selection().cards.clone();
    let expected: Vec<_> = doc
        .cards
        .iter()
        .filter(|c| {
            c.lane == lane.id && (c.stage == doc.stages[0].id || c.stage == doc.stages[1].id)
        })
        .map(|c| c.id)
        .collect();
    assert_eq!(selected.len(), expected.len(), "{selected:?}");
    key(&mut h, Modifiers::NONE, Key::Delete);
    assert_eq!(
        h.state().doc().cards.len(),
        doc.cards.len() - expected.len()
    );
    key(&mut h, CTRL, Key::Z);
    assert_eq!(h.state().doc(), &doc);
    // Ctrl+A selects every card.
    key(&mut h, CTRL, Key::A);
    assert_eq!(h.state().selection().cards.len(), doc.cards.len());
}

#[test]
fn resize_and_reorder_stages_by_dragging() {
    let mut h = ready();
    let doc = h.state().doc().clone();
    let s0 = h.state().layout().stages[0].clone();
    let edge = screen(&h, Pos::new(s0.column.max.x, s0.header.center().y));
    drag(&mut h, edge, edge + egui::vec2(48.0, 0.0), 16);
    assert!((h.state().doc().stages[0].width - (doc.stages[0].width + 80.0)).abs() < 1.5);
    assert_eq!(
        h.state().editor().undo_len(),
        1,
        "a live resize is one undo step"
    );
    // Emotion points of a stage follow its resize (they hold an offset, not pixels).
    let p = h.state().layout().emotion.as_ref().unwrap().curves[0].points[0]
        .pos
        .x;
    assert!((p - (s0.column.min.x + 0.5 * (doc.stages[0].width + 80.0))).abs() < 1.0);
    // Drag the first header past the third.
    let l = h.state().layout().clone();
    let from = screen(&h, l.stages[0].header.center());
    let to = screen(
        &h,
        Pos::new(
            l.stages[2].column.center().x + 30.0,
            l.stages[2].header.center().y,
        ),
    );
    drag(&mut h, from, to, 20);
    let ids: Vec<_> = h.state().doc().stages.iter().map(|s| s.id).collect();
    assert_eq!(ids[2], doc.stages[0].id);
    assert_eq!(ids[0], doc.stages[1].id);
}

#[test]
fn pan_and_zoom_do_not_touch_the_document() {
    let mut h = ready();
    let before = h.state().viewport();
    let p = h.state().canvas_origin() + egui::vec2(600.0, 400.0);
    h.hover_at(p);
    h.event(Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, -120.0),
        modifiers: Modifiers::NONE,
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
    });
    h.run_steps(20);
    let panned = h.state().viewport();
    assert!(panned.offset.y < before.offset.y - 10.0, "{panned:?}");
    h.event(Event::Zoom(1.5));
    h.run_steps(2);
    assert!((h.state().viewport().zoom - ZOOM * 1.5).abs() < 0.01);
    key(&mut h, CTRL, Key::Minus);
    assert!(h.state().viewport().zoom < ZOOM * 1.5);
    key(&mut h, Modifiers::SHIFT, Key::Num1);
    let fit = h.state().viewport();
    let b = h.state().layout().bounds;
    let tl = screen(&h, b.min);
    let br = screen(&h, b.max);
    // The whole map is on the canvas: its top-left and its bottom-right corners.
    let canvas = h.state().canvas_rect().expand(0.5);
    assert!(fit.zoom > 0.1, "{fit:?}");
    assert!(canvas.contains(tl), "top-left {tl:?} off {canvas:?}");
    assert!(canvas.contains(br), "bottom-right {br:?} off {canvas:?}");
    // And it fills it in one direction (not fitted into a corner).
    let used = (br.x - tl.x) / canvas.width();
    let used_y = (br.y - tl.y) / canvas.height();
    assert!(used.max(used_y) > 0.8, "{used} × {used_y}");
    assert!(!h.state().editor().can_undo());
}

#[test]
fn arrow_keys_and_tab_move_the_selection() {
    let mut h = ready();
    let doc = h.state().doc().clone();
    let first = journeymap::model::Card::clone(&doc.cards[0]);
    let at = card_center(&h, first.id);
    click(&mut h, at);
    key(&mut h, Modifiers::NONE, Key::ArrowDown);
    let second = doc.cell_cards(first.stage, first.lane).nth(1).unwrap().id;
    assert!(h.state().selection().cards.contains(&second));
    key(&mut h, Modifiers::NONE, Key::ArrowRight);
    let sel = *h.state().selection().cards.iter().next().unwrap();
    assert_eq!(h.state().doc().card(sel).unwrap().stage, doc.stages[1].id);
    key(&mut h, Modifiers::NONE, Key::Tab);
    assert_ne!(*h.state().selection().cards.iter().next().unwrap(), sel);
}

#[test]
fn closing_with_unsaved_changes_asks_first() {
    let mut h = ready();
    let card = h.state().doc().cards[0].id;
    let at = card_center(&h, card);
    click(&mut h, at);
    key(&mut h, Modifiers::NONE, Key::Delete);
    assert!(h.state().is_dirty());
    close_window(&mut h);
    assert!(h.state().is_asking_to_save());
    assert!(!h.state().close_allowed());
    h.get_by_label("Cancel").click();
    h.run_steps(2);
    assert!(!h.state().is_asking_to_save());
    assert!(h.state().is_dirty());
    close_window(&mut h);
    h.get_by_label("Don't save").click();
    h.run_steps(2);
    assert!(h.state().close_allowed());
}

#[test]
fn hiding_a_lane_is_saved_and_undoable() {
    let mut h = ready();
    let lane = h.state().layout().lanes[2].clone();
    let at = screen(&h, lane.label.center());
    click(&mut h, at);
    assert_eq!(h.state().selection().lane, Some(lane.id));
    h.get_by_label("Hide lane").click();
    h.run_steps(3);
    assert!(h.state().doc().lane(lane.id).unwrap().hidden);
    assert!(h.state().layout().lane(lane.id).is_none());
    key(&mut h, CTRL, Key::Z);
    assert!(!h.state().doc().lane(lane.id).unwrap().hidden);
}

#[test]
fn several_selected_cards_move_together() {
    let mut h = ready();
    let a = card_by_text(&h, "Social media ad");
    let b = card_by_text(&h, "Chat bot");
    let at = card_center(&h, a.id);
    click(&mut h, at);
    let at = card_center(&h, b.id);
    click_mods(&mut h, at, Modifiers::SHIFT);
    assert_eq!(h.state().selection().cards.len(), 2);
    let doc = h.state().doc().clone();
    let target = doc.stages[5].id;
    let lane = lane_of(&doc, LaneKind::Opportunities);
    let cell = h.state().layout().cell_rect(target, lane).unwrap();
    let from = card_center(&h, b.id);
    let to = screen(&h, Pos::new(cell.center().x, cell.max.y - 3.0));
    drag(&mut h, from, to, 15);
    let now = h.state().doc();
    let moved: Vec<_> = now.cell_cards(target, lane).map(|c| c.id).collect();
    assert_eq!(
        &moved[moved.len() - 2..],
        &[a.id, b.id],
        "both land at the end, in their order"
    );
    assert_eq!(h.state().editor().undo_len(), 1);
}

#[test]
fn duplicate_and_cut() {
    let mut h = ready();
    let doc = h.state().doc().clone();
    let card = card_by_text(&h, "FAQ");
    let at = card_center(&h, card.id);
    click(&mut h, at);
    key(&mut h, CTRL, Key::D);
    let now = h.state().doc().clone();
    assert_eq!(now.cards.len(), doc.cards.len() + 1);
    let copy = now
        .cell_cards(card.stage, card.lane)
        .nth(1)
        .unwrap()
        .clone();
    assert_eq!((copy.text.as_str(), copy.channel), ("FAQ", card.channel));
    assert_ne!(copy.id, card.id);
    assert_eq!(
        h.state()
            .selection()
            .cards
            .iter()
            .copied()
            .collect::<Vec<_>>(),
        vec![copy.id]
    );
    h.event(Event::Cut);
    h.run_steps(2);
    assert_eq!(h.state().doc().cards.len(), doc.cards.len());
    assert!(h.state().doc().card(copy.id).is_none());
}

#[test]
fn context_menu_inserts_and_deletes_stages() {
    let mut h = ready();
    let doc = h.state().doc().clone();
    let header = h.state().layout().stages[2].header;
    let at = screen(&h, header.center());
    right_click(&mut h, at);
    h.get_by_label_contains("Insert stage after").click();
    h.run_steps(3);
    let now = h.state().doc().clone();
    assert_eq!(now.stages.len(), doc.stages.len() + 1);
    assert_eq!(now.stages[3].name, "New stage");
    assert!(
        h.state().is_editing_text(),
        "a new stage is named right away"
    );
    type_text(&mut h, "Complain");
    key(&mut h, Modifiers::NONE, Key::Enter);
    assert_eq!(h.state().doc().stages[3].name, "Complain");

    // Delete "First bill" with its cards and emotion points: one undo step.
    let first_bill = doc.stages[2].id;
    let header = h.state().layout().stage(first_bill).unwrap().header;
    let at = screen(&h, header.center());
    right_click(&mut h, at);
    h.get_by_label("Delete stage and its cards").click();
    h.run_steps(3);
    let after = h.state().doc();
    assert!(after.stage(first_bill).is_none());
    assert!(after.cards.iter().all(|c| c.stage != first_bill));
    assert!(after.emotion.points().all(|(_, p)| p.stage != first_bill));
    key(&mut h, CTRL, Key::Z);
    let back = h.state().doc();
    assert_eq!(
        back.cards.iter().filter(|c| c.stage == first_bill).count(),
        doc.cards.iter().filter(|c| c.stage == first_bill).count()
    );
    assert!(back.emotion.points().any(|(_, p)| p.stage == first_bill));
}

#[test]
fn drag_a_lane_label_to_reorder_lanes() {
    let mut h = ready();
    let doc = h.state().doc().clone();
    let l = h.state().layout().clone();
    let from = screen(&h, l.lanes[0].label.center());
    let to = screen(
        &h,
        Pos::new(
            l.lanes[2].label.center().x,
            l.lanes[2].row.center().y + 10.0,
        ),
    );
    drag(&mut h, from, to, 12);
    let ids: Vec<_> = h.state().doc().lanes.iter().map(|l| l.id).collect();
    assert_eq!(ids[2], doc.lanes[0].id);
    assert_eq!(ids[0], doc.lanes[1].id);
    key(&mut h, CTRL, Key::Z);
    assert_eq!(h.state().doc(), &doc);
}

#[test]
fn space_drag_and_middle_drag_pan_without_touching_the_map() {
    let mut h = ready();
    let doc = h.state().doc().clone();
    let before = h.state().viewport();
    // Space+drag starting on a card pans instead of moving the card.
    let card = card_by_text(&h, "Social media ad");
    let from = card_center(&h, card.id);
    h.key_down(Key::Space);
    h.run_steps(1);
    drag(&mut h, from, from + egui::vec2(120.0, 60.0), 8);
    h.key_up(Key::Space);
    h.run_steps(1);
    let after = h.state().viewport();
    assert!(
        (after.offset - before.offset - egui::vec2(120.0, 60.0)).length() < 8.0,
        "{before:?} -> {after:?}"
    );
    // Middle-drag pans too.
    let p = from + egui::vec2(120.0, 60.0);
    h.hover_at(p);
    h.event(Event::PointerButton {
        pos: p,
        button: egui::PointerButton::Middle,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    for i in 1..=6 {
        h.hover_at(p - egui::vec2(20.0 * i as f32, 0.0));
        h.run_steps(1);
    }
    h.event(Event::PointerButton {
        pos: p - egui::vec2(120.0, 0.0),
        button: egui::PointerButton::Middle,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    h.run_steps(2);
    let last = h.state().viewport();
    assert!(
        last.offset.x < after.offset.x - 80.0,
        "{after:?} -> {last:?}"
    );
    assert_eq!(h.state().doc(), &doc);
    assert!(!h.state().editor().can_undo());
}

#[test]
fn f1_lists_every_action_with_its_keys() {
    let mut h = ready();
    key(&mut h, Modifiers::NONE, Key::F1);
    for a in journeymap::ui::Action::all() {
        if a.shortcuts().is_empty() {
            continue;
        }
        let label = a.label();
        let label = label.trim_end_matches('…');
        assert!(
            h.query_all_by_label(label).count() >= 1,
            "{label} is not listed"
        );
    }
    // The keys column comes from the same table: Redo lists both of its shortcuts.
    h.get_by_label_contains("Ctrl+Y");
    key(&mut h, Modifiers::NONE, Key::F1);
    assert!(
        h.query_by_label("Zoom to fit").is_none(),
        "F1 again closes it"
    );
}

/// Typing a card and pressing Ctrl+S in the same frame (as a fast typist does) saves the map
/// with that card in it, all of its text, and ends the typing; F5 while typing presents.
#[test]
fn ctrl_s_while_typing_saves_the_card_being_typed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("map.json");
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/surprise-bill.journeymap.json"
        ),
        &path,
    )
    .unwrap();
    let mut h = common::harness(Some(path.clone()));
    reset_view(&mut h);
    let doc = h.state().doc().clone();
    let stage = doc.stages[6].id;
    let lane = lane_of(&doc, LaneKind::PainPoints);
    let at = cell_center(&h, stage, lane);
    double_click(&mut h, at);
    assert!(h.state().is_editing_text());
    type_text(&mut h, "Saved while ");
    // The rest of the text and Ctrl+S arrive in one frame.
    text_then_ctrl_s_in_one_frame(&mut h, "typing");
    assert!(!h.state().is_editing_text());
    let saved = journeymap::io::load(&path).unwrap().0;
    let texts: Vec<&str> = saved
        .cell_cards(stage, lane)
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(texts, ["Saved while typing"]);
    assert!(!h.state().is_dirty());
}

/// Keys that arrive in one frame with Tab or Enter land where they were typed: the text before
/// the key in the card being typed, the text after it in the next card (fast typing).
#[test]
fn text_in_the_same_frame_as_tab_or_enter_is_not_lost() {
    let mut h = ready();
    let doc = h.state().doc().clone();
    let lane = lane_of(&doc, LaneKind::PainPoints);
    let (s0, s1) = (doc.stages[0].id, doc.stages[1].id);
    let before: Vec<String> = doc.cell_cards(s1, lane).map(|c| c.text.clone()).collect();
    let at = cell_center(&h, s0, lane);
    double_click(&mut h, at);
    type_text(&mut h, "Fee ");
    let key = |key: Key, pressed: bool, modifiers: Modifiers| Event::Key {
        key,
        physical_key: None,
        pressed,
        repeat: false,
        modifiers,
    };
    // "hidden" + Enter + "No" in one frame, then " warning" + Tab + "Clause" in one frame.
    let events = &mut h.input_mut().events;
    events.push(Event::Text("hidden".into()));
    events.push(key(Key::Enter, true, Modifiers::NONE));
    events.push(key(Key::Enter, false, Modifiers::NONE));
    events.push(Event::Text("No".into()));
    h.run_steps(2);
    let events = &mut h.input_mut().events;
    events.push(Event::Text(" warning".into()));
    events.push(key(Key::Tab, true, Modifiers::NONE));
    events.push(key(Key::Tab, false, Modifiers::NONE));
    events.push(Event::Text("Clause".into()));
    h.run_steps(2);
    key_press(&mut h, Key::Escape);
    let doc = h.state().doc();
    let first: Vec<&str> = doc.cell_cards(s0, lane).map(|c| c.text.as_str()).collect();
    assert_eq!(first, ["Fee hidden", "No warning"]);
    let second: Vec<&str> = doc.cell_cards(s1, lane).map(|c| c.text.as_str()).collect();
    let mut want: Vec<&str> = before.iter().map(String::as_str).collect();
    want.push("Clause");
    assert_eq!(second, want);
}

fn key_press(h: &mut egui_kittest::Harness<'_, journeymap::ui::App>, k: Key) {
    key(h, Modifiers::NONE, k);
}

/// On a map that has no file yet, Ctrl+S pressed while typing keeps the card and asks where to
/// save (the typed path, with no file dialog here): what is typed next goes into the path, not
/// into a card, and the saved file holds the card.
#[test]
fn ctrl_s_while_typing_on_an_unsaved_map_keeps_the_card_and_asks_for_a_path() {
    let mut h = ready();
    let doc = h.state().doc().clone();
    let cards = doc.cards.len();
    let stage = doc.stages[6].id;
    let lane = lane_of(&doc, LaneKind::PainPoints);
    let at = cell_center(&h, stage, lane);
    double_click(&mut h, at);
    text_then_ctrl_s_in_one_frame(&mut h, "Unsaved card");
    assert!(!h.state().is_editing_text());
    assert_eq!(h.state().doc().cards.len(), cards + 1);
    h.get_by_label("Save as path");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("typed.json");
    // The path field has the focus: select what it holds and type over it.
    key(&mut h, Modifiers::COMMAND, Key::A);
    type_text(&mut h, &path.display().to_string());
    key(&mut h, Modifiers::NONE, Key::Enter);
    h.run_steps(3);
    assert_eq!(
        h.state().doc().cards.len(),
        cards + 1,
        "no card made of the path"
    );
    let saved = journeymap::io::load(&path).unwrap().0;
    assert!(
        saved
            .cell_cards(stage, lane)
            .any(|c| c.text == "Unsaved card")
    );
}

/// Text and Ctrl+S (down and up) in one frame, as a fast typist sends them; then a few frames.
fn text_then_ctrl_s_in_one_frame(
    h: &mut egui_kittest::Harness<'_, journeymap::ui::App>,
    text: &str,
) {
    let events = &mut h.input_mut().events;
    events.push(Event::Text(text.into()));
    for pressed in [true, false] {
        events.push(Event::Key {
            key: Key::S,
            physical_key: None,
            pressed,
            repeat: false,
            modifiers: CTRL,
        });
    }
    h.run_steps(3);
}

#[test]
fn a_double_click_at_a_person_s_pace_edits_the_card_with_the_keyboard() {
    // Two clicks 40 to 200 ms apart (frames between them), then typing at once (in the frame
    // of the second release, or the next): the card is edited, no card is added.
    for (gap_frames, same_frame) in [(2usize, false), (5, false), (10, false), (5, true)] {
        let mut h = ready();
        let card = card_by_text(&h, "Chat bot");
        let before = h.state().doc().cards.len();
        let at = card_center(&h, card.id);
        h.hover_at(at);
        h.run_steps(1);
        press(&h, at, Modifiers::NONE);
        h.run_steps(1);
        release(&h, at, Modifiers::NONE);
        h.run_steps(gap_frames);
        press(&h, at, Modifiers::NONE);
        h.run_steps(1);
        release(&h, at, Modifiers::NONE);
        if !same_frame {
            h.run_steps(1);
        }
        h.event(egui::Event::Text("!".into()));
        h.run_steps(1);
        h.event(egui::Event::Text("?".into()));
        h.run_steps(1);
        key(&mut h, Modifiers::NONE, Key::Enter);
        assert_eq!(
            h.state().doc().cards.len(),
            before,
            "gap {gap_frames}: a stray card"
        );
        let text = &h.state().doc().card(card.id).unwrap().text;
        assert!(text.contains("!?"), "gap {gap_frames}: {text:?}");
    }
}
