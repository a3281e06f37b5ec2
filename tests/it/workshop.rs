//! The editor in a live workshop, driven with real input events: a view that stays put,
//! frozen headers, capture from the keyboard, the add slot, channel keys, toasts with Undo,
//! long cards, presentation, text size, full screen and the side panel.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly; allow-unwrap-in-tests covers only #[test] bodies"
)]

use crate::common;

use common::*;
use egui::{Event, Key, Modifiers};
use egui_kittest::kittest::Queryable as _;
use journeymap::edit::Command;
use journeymap::geom::Pos;
use journeymap::model::{Channel, LaneKind};

const CTRL: Modifiers = Modifiers::COMMAND;
const CTRL_SHIFT: Modifiers = Modifiers {
    shift: true,
    ..Modifiers::COMMAND
};

/// Types text one character per frame, as a person does.
fn typed(h: &mut egui_kittest::Harness<'_, journeymap::ui::App>, text: &str) {
    for c in text.chars() {
        h.event(Event::Text(c.to_string()));
        h.run_steps(1);
    }
    h.run_steps(1);
}

/// The screen position of the centre of a cell.
fn cell_at(
    h: &egui_kittest::Harness<'_, journeymap::ui::App>,
    stage: usize,
    kind: LaneKind,
) -> egui::Pos2 {
    let doc = h.state().doc();
    let s = doc.stages[stage].id;
    let l = lane_of(doc, kind);
    let r = h.state().layout().cell_rect(s, l).unwrap();
    screen(h, Pos::new(r.center().x, r.max.y - 12.0))
}

#[test]
fn the_view_never_moves_on_selection_delete_or_paste() {
    let mut h = harness(None);
    h.run_steps(4);
    let view = h.state().viewport();
    let canvas = h.state().canvas_rect();
    let doc = h.state().doc().clone();
    // A card, then a point, a stage, a lane label, a cell: the side panel shows other things
    // each time, but its width, the canvas and the view stay.
    let card = card_by_text(&h, "Chat bot");
    let at = card_center(&h, card.id);
    click(&mut h, at);
    let p = h.state().layout().emotion.as_ref().unwrap().curves[0].points[2].pos;
    let at = screen(&h, p);
    click(&mut h, at);
    assert!(h.state().selection().point.is_some());
    let at = screen(&h, h.state().layout().stages[3].header.center());
    click(&mut h, at);
    let at = screen(&h, h.state().layout().lanes[2].label.center());
    click(&mut h, at);
    let at = cell_at(&h, 0, LaneKind::PainPoints);
    click(&mut h, at);
    assert!(h.state().selection().cell.is_some());
    assert_eq!(h.state().viewport(), view);
    assert_eq!(h.state().canvas_rect(), canvas);
    // Delete a card and paste lines: still the same view.
    let at = card_center(&h, card.id);
    click(&mut h, at);
    key(&mut h, Modifiers::NONE, Key::Delete);
    assert_eq!(h.state().doc().cards.len(), doc.cards.len() - 1);
    h.event(Event::Paste("One\nTwo".into()));
    h.run_steps(3);
    assert_eq!(h.state().doc().cards.len(), doc.cards.len() + 1);
    assert_eq!(h.state().viewport(), view);
    assert_eq!(h.state().canvas_rect(), canvas);
}

#[test]
fn a_straight_down_drag_keeps_a_point_in_its_place_and_widths_are_whole() {
    let mut h = ready();
    let emo = h.state().layout().emotion.clone().unwrap();
    let p = emo.curves[0].points[1].clone();
    let before = h.state().doc().point(p.id).unwrap().clone();
    let from = screen(&h, p.pos);
    // Down with a wobble of a few pixels sideways.
    let to = screen(&h, Pos::new(p.pos.x, emo.y_of(-2.0))) + egui::vec2(9.0, 0.0);
    drag(&mut h, from, to, 16);
    let after = h.state().doc().point(p.id).unwrap().clone();
    assert!((after.value + 2.0).abs() < 0.05, "{after:?}");
    assert_eq!(after.stage, before.stage);
    assert!((after.offset - before.offset).abs() < 1e-6, "{after:?}");
    // Far sideways it follows the pointer into the next stage.
    let next = h.state().layout().stages[2].column.center().x;
    let from = screen(
        &h,
        h.state().layout().emotion.as_ref().unwrap().curves[0].points[1].pos,
    );
    let to = screen(&h, Pos::new(next, emo.y_of(-2.0)));
    drag(&mut h, from, to, 16);
    assert_eq!(
        h.state().doc().point(p.id).unwrap().stage,
        h.state().doc().stages[2].id
    );
    // A stage edge dragged by a fraction of a unit stores a whole width.
    let s0 = h.state().layout().stages[0].clone();
    let edge = screen(&h, Pos::new(s0.column.max.x, s0.header.center().y));
    drag(&mut h, edge, edge + egui::vec2(37.3, 0.0), 9);
    let w = h.state().doc().stages[0].width;
    assert!((w - w.round()).abs() < f32::EPSILON, "{w}");
}

#[test]
fn frozen_headers_stay_at_the_top_and_left_and_take_clicks() {
    let mut h = ready();
    // Zoomed in and scrolled down and right: the headers and lane names scrolled away.
    h.state_mut().set_viewport(journeymap::ui::Viewport {
        offset: egui::vec2(-700.0, -600.0),
        zoom: 2.0,
    });
    h.run_steps(2);
    let canvas = h.state().canvas_rect();
    let doc = h.state().doc().clone();
    // The accessible node of a stage header sits at the canvas's top.
    let node = h.get_by_label("Stage: Look for help");
    let r = node.rect();
    assert!(
        (r.min.y - canvas.min.y).abs() < 1.0,
        "header at {r:?}, canvas {canvas:?}"
    );
    // A click at the top of the canvas hits the frozen header there.
    let x = r.center().x;
    click(&mut h, egui::pos2(x, canvas.min.y + 20.0));
    let sel = h.state().selection().stage.unwrap();
    assert_eq!(doc.stage(sel).unwrap().name, "Look for help");
    // A click at the canvas's left edge hits the lane name frozen there.
    let l = h.state().layout();
    let z = h.state().viewport().zoom;
    let y = canvas.min.y + l.header_h() * z + 30.0;
    let lane_at_y = l
        .lanes
        .iter()
        .find(|lane| {
            let top = screen(&h, lane.row.min);
            let bottom = screen(&h, lane.row.max);
            top.y <= y && bottom.y >= y
        })
        .unwrap()
        .id;
    click(&mut h, egui::pos2(canvas.min.x + 40.0, y));
    assert_eq!(h.state().selection().lane, Some(lane_at_y));
}

#[test]
fn typing_in_a_cell_starts_a_card_and_enter_and_tab_go_on() {
    let mut h = ready();
    let doc = h.state().doc().clone();
    let pain = lane_of(&doc, LaneKind::PainPoints);
    let (s0, s1) = (doc.stages[0].id, doc.stages[1].id);
    let n0 = doc.cell_cards(s0, pain).count();
    let n1 = doc.cell_cards(s1, pain).count();
    // Clicking empty space in a cell selects the cell; the status bar names it.
    let at = cell_at(&h, 0, LaneKind::PainPoints);
    click(&mut h, at);
    assert_eq!(h.state().selection().cell, Some((s0, pain)));
    // Typing starts a card there: no keystroke is dropped.
    typed(&mut h, "No price list");
    assert_eq!(h.state().editing_text(), Some("No price list"));
    key(&mut h, Modifiers::NONE, Key::Enter);
    // Enter commits and opens the next card in the same cell.
    assert!(h.state().is_editing_text());
    typed(&mut h, "Hidden fees");
    // Tab commits and moves to the same lane in the next stage.
    key(&mut h, Modifiers::NONE, Key::Tab);
    typed(&mut h, "Small print");
    key(&mut h, Modifiers::SHIFT, Key::Tab);
    // Shift+Tab went back: typing adds to the first stage's cell.
    typed(&mut h, "Back again");
    key(&mut h, Modifiers::NONE, Key::Escape);
    assert!(!h.state().is_editing_text(), "Escape ends");
    h.run_steps(2);
    let now = h.state().doc();
    // Escape is "done": "Back again" is kept, after the first stage's other new cards.
    let first: Vec<&str> = now.cell_cards(s0, pain).map(|c| c.text.as_str()).collect();
    assert_eq!(first.len(), n0 + 3, "{first:?}");
    assert_eq!(
        &first[first.len() - 3..],
        &["No price list", "Hidden fees", "Back again"]
    );
    let second: Vec<&str> = now.cell_cards(s1, pain).map(|c| c.text.as_str()).collect();
    assert_eq!(second.len(), n1 + 1);
    assert_eq!(second.last(), Some(&"Small print"));
    // Each card is one undo step: the first Ctrl+Z takes "Back again" away.
    let cards = now.cards.len();
    key(&mut h, CTRL, Key::Z);
    assert_eq!(h.state().doc().cards.len(), cards - 1);
    assert!(!h.state().doc().cards.iter().any(|c| c.text == "Back again"));
}

#[test]
fn typing_on_a_selected_card_starts_the_next_card_after_it() {
    let mut h = ready();
    let card = card_by_text(&h, "FAQ");
    let at = card_center(&h, card.id);
    click(&mut h, at);
    typed(&mut h, "Forum");
    key(&mut h, Modifiers::NONE, Key::Enter);
    key(&mut h, Modifiers::NONE, Key::Escape);
    let doc = h.state().doc();
    let cell: Vec<&str> = doc
        .cell_cards(card.stage, card.lane)
        .map(|c| c.text.as_str())
        .collect();
    let i = cell.iter().position(|t| *t == "FAQ").unwrap();
    assert_eq!(cell[i + 1], "Forum");
    // Backspace on a selected card deletes it and says so.
    let forum = doc.cards.iter().find(|c| c.text == "Forum").unwrap().id;
    let at = card_center(&h, forum);
    click(&mut h, at);
    key(&mut h, Modifiers::NONE, Key::Backspace);
    h.run_steps(2);
    assert!(h.state().doc().card(forum).is_none());
    assert!(
        h.state().toasts().iter().any(|t| t == "Deleted 1 card"),
        "{:?}",
        h.state().toasts()
    );
}

#[test]
fn the_add_slot_opens_an_editor_that_stays_in_its_lane() {
    let mut h = ready();
    let doc = h.state().doc().clone();
    let card = card_by_text(&h, "Chat bot");
    let slot = h.state().layout().add_slot(card.stage, card.lane).unwrap();
    assert!(slot.height() >= 24.0, "{slot:?}");
    let at = screen(&h, slot.center());
    click(&mut h, at);
    assert!(h.state().is_editing_text());
    assert!(
        h.state().status().is_none() || !h.state().status().unwrap().is_empty(),
        "status"
    );
    // A long, many-line text grows the lane; the editor never covers the lane below.
    typed(&mut h, "first line");
    for _ in 0..6 {
        key(&mut h, Modifiers::SHIFT, Key::Enter);
        typed(&mut h, "more");
    }
    let l = h.state().layout().clone();
    let r = l.edit_rect.unwrap();
    let lane = l.lane(card.lane).unwrap();
    assert!(
        r.min.y >= lane.row.min.y && r.max.y <= lane.row.max.y,
        "{r:?} {lane:?}"
    );
    for c in &l.cards {
        assert!(!c.rect.intersects(&r), "{:?} is under the editor", c.id);
    }
    key(&mut h, Modifiers::NONE, Key::Enter);
    key(&mut h, Modifiers::NONE, Key::Escape);
    let added = h
        .state()
        .doc()
        .cell_cards(card.stage, card.lane)
        .last()
        .unwrap()
        .clone();
    assert!(added.text.starts_with("first line\nmore"), "{}", added.text);
    assert_eq!(h.state().doc().cards.len(), doc.cards.len() + 1);
}

#[test]
fn channels_are_one_key_or_one_click_away() {
    let mut h = ready();
    let card = card_by_text(&h, "Chat bot");
    let at = card_center(&h, card.id);
    click(&mut h, at);
    key(&mut h, Modifiers::ALT, Key::P);
    assert_eq!(
        h.state().doc().card(card.id).unwrap().channel,
        Some(Channel::Phone)
    );
    key(&mut h, Modifiers::ALT, Key::N);
    assert_eq!(h.state().doc().card(card.id).unwrap().channel, None);
    // The inspector shows every channel at once: one click.
    // (Cards' nodes name their channel too: the side panel's button is the one that is not
    // a card.)
    {
        use egui_kittest::kittest::NodeT as _;
        h.query_all_by_label_contains("Self-service")
            .find(|n| {
                !n.accesskit_node()
                    .label()
                    .unwrap_or_default()
                    .starts_with("Card: ")
            })
            .unwrap()
            .click();
    }
    h.run_steps(3);
    assert_eq!(
        h.state().doc().card(card.id).unwrap().channel,
        Some(Channel::SelfService)
    );
    // While typing a new card, Alt+letter sets its channel (the letter is not typed).
    let at = cell_at(&h, 6, LaneKind::Touchpoints);
    click(&mut h, at);
    typed(&mut h, "Renewal call");
    key(&mut h, Modifiers::ALT, Key::V);
    key(&mut h, Modifiers::NONE, Key::Enter);
    key(&mut h, Modifiers::NONE, Key::Escape);
    let doc = h.state().doc();
    let c = doc.cards.iter().find(|c| c.text == "Renewal call").unwrap();
    assert_eq!(c.channel, Some(Channel::Ivr));
    // The context menu lists every channel with its key (as the inspector beside it does).
    let id = c.id;
    let at = card_center(&h, id);
    right_click(&mut h, at);
    for ch in Channel::ALL {
        let keys = format!("Alt+{}", ch.key().to_ascii_uppercase());
        let n = h.query_all_by_label_contains(&keys).count();
        assert!(
            n >= 2,
            "{} with {keys} in the menu and the inspector",
            ch.label()
        );
    }
}

#[test]
fn deleting_a_stage_says_what_went_and_its_toast_undoes_it() {
    let mut h = ready();
    let doc = h.state().doc().clone();
    let stage = doc.stages[2].clone();
    let at = screen(
        &h,
        h.state().layout().stage(stage.id).unwrap().header.center(),
    );
    click(&mut h, at);
    key(&mut h, Modifiers::NONE, Key::Delete);
    h.run_steps(2);
    let cards = doc.cards.iter().filter(|c| c.stage == stage.id).count();
    let points = doc
        .emotion
        .points()
        .filter(|(_, p)| p.stage == stage.id)
        .count();
    let in_stage = |id| doc.card(id).is_some_and(|c| c.stage == stage.id);
    let links = doc
        .links
        .iter()
        .filter(|l| in_stage(l.from) || in_stage(l.to))
        .count();
    assert!(
        points > 1 && links > 1,
        "the sample's stage has a point per curve and links"
    );
    let toasts = h.state().toasts();
    assert_eq!(
        toasts,
        vec![format!(
            "Deleted stage \u{201c}{}\u{201d} with {cards} cards, {points} emotion points and {links} links",
            stage.name
        )]
    );
    h.get_by_label("Undo").click();
    h.run_steps(3);
    assert_eq!(h.state().doc(), &doc);
    // The restored stage is in sight.
    let r = h.state().layout().stage(stage.id).unwrap().header;
    let canvas = h.state().canvas_rect();
    assert!(canvas.contains(screen(&h, r.center())));
}

#[test]
fn pasting_many_lines_says_so_and_can_make_them_one_card() {
    let mut h = ready();
    let doc = h.state().doc().clone();
    let at = cell_at(&h, 6, LaneKind::PainPoints);
    click(&mut h, at);
    let text = (1..=12)
        .map(|i| format!("line {i}"))
        .collect::<Vec<_>>()
        .join("\n");
    h.event(Event::Paste(text.clone()));
    h.run_steps(3);
    assert_eq!(h.state().doc().cards.len(), doc.cards.len() + 12);
    assert_eq!(
        h.state().toasts(),
        vec!["Pasted 12 lines as 12 cards".to_string()]
    );
    h.get_by_label("Make it one card").click();
    h.run_steps(3);
    let now = h.state().doc();
    assert_eq!(now.cards.len(), doc.cards.len() + 1);
    assert!(now.cards.iter().any(|c| c.text == text));
}

#[test]
fn long_cards_show_eight_lines_on_the_canvas_and_all_when_selected() {
    let mut h = ready();
    let card = card_by_text(&h, "FAQ");
    let mut long = card.clone();
    long.text = (1..=30)
        .map(|i| format!("Line {i} of a long note"))
        .collect::<Vec<_>>()
        .join("\n");
    h.state_mut()
        .queue_command(Command::UpdateCard(long.clone()));
    h.run_steps(2);
    let b = h.state().layout().card(card.id).unwrap().clone();
    assert_eq!(b.lines.len(), journeymap::layout::CLAMP_LINES);
    assert_eq!(b.hidden_lines, 30 - journeymap::layout::CLAMP_LINES);
    assert!(b.lines.last().unwrap().text.ends_with('\u{2026}'));
    let at = card_center(&h, card.id);
    click(&mut h, at);
    assert_eq!(h.state().layout().card(card.id).unwrap().lines.len(), 30);
    // An export shows all of it.
    let l = journeymap::layout::layout(
        h.state().doc(),
        journeymap::layout::FontMeasure::shared(),
        &mut journeymap::layout::TextCache::default(),
    );
    assert_eq!(l.card(card.id).unwrap().lines.len(), 30);
}

#[test]
fn a_key_inserts_a_stage_after_the_selected_one_in_sight_with_its_name_open() {
    let mut h = ready();
    let doc = h.state().doc().clone();
    let last = doc.stages.last().unwrap().id;
    let at = screen(&h, h.state().layout().stage(last).unwrap().header.center());
    click(&mut h, at);
    key(&mut h, CTRL_SHIFT, Key::N);
    h.run_steps(2);
    let now = h.state().doc().clone();
    assert_eq!(now.stages.len(), doc.stages.len() + 1);
    assert!(h.state().is_editing_text());
    typed(&mut h, "Recommend");
    key(&mut h, Modifiers::NONE, Key::Enter);
    assert_eq!(h.state().doc().stages.last().unwrap().name, "Recommend");
    let new = h.state().doc().stages.last().unwrap().id;
    let header = h.state().layout().stage(new).unwrap().header;
    let canvas = h.state().canvas_rect();
    assert!(
        canvas.contains(screen(&h, header.min)) && canvas.contains(screen(&h, header.max)),
        "the new stage is in sight"
    );
}

#[test]
fn an_emotion_cell_takes_numbers_arrows_and_tab() {
    let mut h = ready();
    let doc = h.state().doc().clone();
    let emo = h.state().layout().emotion.clone().unwrap();
    let s6 = doc.stages[6].id;
    // Stage 6 has a point already; a new map's stages have none: clear stage 5's first.
    let s5 = doc.stages[5].id;
    let p5: Vec<_> = doc
        .emotion
        .points()
        .filter(|(_, p)| p.stage == s5)
        .map(|(_, p)| p.id)
        .collect();
    h.state_mut().queue_command(Command::DeletePoints(p5));
    h.run_steps(2);
    let col = h.state().layout().stage(s5).unwrap().column;
    let at = screen(&h, Pos::new(col.min.x + 10.0, emo.y_of(1.5)));
    click(&mut h, at);
    typed(&mut h, "-2");
    let value = |h: &egui_kittest::Harness<'_, journeymap::ui::App>, s| {
        h.state()
            .doc()
            .emotion
            .points()
            .find(|(_, p)| p.stage == s)
            .map(|(_, p)| p.value)
    };
    assert_eq!(value(&h, s5), Some(-2.0), "a number creates the point");
    key(&mut h, Modifiers::NONE, Key::ArrowUp);
    assert_eq!(value(&h, s5), Some(-1.0));
    key(&mut h, Modifiers::NONE, Key::Tab);
    assert_eq!(h.state().selection().cell.map(|c| c.0), Some(s6));
    typed(&mut h, "2");
    assert_eq!(value(&h, s6), Some(2.0));
}

#[test]
fn shift_1_fits_even_where_it_types_an_exclamation_mark() {
    let mut h = ready();
    h.state_mut().set_viewport(journeymap::ui::Viewport {
        offset: egui::vec2(-300.0, -200.0),
        zoom: 2.5,
    });
    h.run_steps(2);
    // A US layout: the key is "!", the physical key is 1, Shift is held.
    h.event(Event::Key {
        key: Key::Exclamationmark,
        physical_key: Some(Key::Num1),
        pressed: true,
        repeat: false,
        modifiers: Modifiers::SHIFT,
    });
    h.event(Event::Text("!".into()));
    h.run_steps(3);
    let v = h.state().viewport();
    assert!(v.zoom < 1.0, "{v:?}");
    // The "!" did not start a card.
    assert!(!h.state().is_editing_text());
}

#[test]
fn f11_goes_full_screen_and_ctrl_b_hides_the_side_panel() {
    let mut h = ready();
    h.get_by_label("Map");
    let canvas = h.state().canvas_rect();
    key(&mut h, CTRL, Key::B);
    assert!(!h.state().inspector_shown());
    assert!(h.query_by_label("Map").is_none(), "the panel is hidden");
    assert!(h.state().canvas_rect().width() > canvas.width() + 100.0);
    key(&mut h, CTRL, Key::B);
    assert!(h.state().inspector_shown());
    h.event(Event::Key {
        key: Key::F11,
        physical_key: Some(Key::F11),
        pressed: true,
        repeat: false,
        modifiers: Modifiers::NONE,
    });
    h.run_steps(1);
    let fullscreen = h
        .output()
        .viewport_output
        .values()
        .flat_map(|v| v.commands.iter())
        .any(|c| matches!(c, egui::ViewportCommand::Fullscreen(true)));
    assert!(fullscreen, "F11 asks for full screen");
}

#[test]
fn escape_closes_menus_and_a_dialog_closes_them_too() {
    let mut h = ready();
    open_menu(&mut h, "Lanes");
    let r = h.get_by_label_contains("Add lane").rect();
    click(&mut h, r.center());
    h.run_steps(4);
    assert!(
        h.query_by_label("Opportunities").is_some(),
        "the submenu lists the kinds"
    );
    key(&mut h, Modifiers::NONE, Key::Escape);
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("Add lane").is_none(),
        "Escape closed the menus"
    );
    // Escape did not clear the selection meant for the menu's owner: the menus took it.
    // A dialog opened from the keyboard closes open menus.
    open_menu(&mut h, "File");
    assert!(h.query_by_label_contains("Export again").is_some());
    h.event(Event::Key {
        key: Key::O,
        physical_key: Some(Key::O),
        pressed: true,
        repeat: false,
        modifiers: CTRL_SHIFT,
    });
    h.run_steps(3);
    assert!(
        h.query_by_label("Open path").is_some(),
        "the dialog is open"
    );
    assert!(
        h.query_by_label_contains("Export again").is_none(),
        "the menu is closed"
    );
}

#[test]
fn larger_text_rewraps_cards_for_the_room() {
    let mut h = ready();
    let lines = |h: &egui_kittest::Harness<'_, journeymap::ui::App>| {
        h.state()
            .layout()
            .cards
            .iter()
            .map(|c| c.lines.len())
            .sum::<usize>()
    };
    let before = lines(&h);
    let size = h.state().layout().cards[0].lines[0].size;
    open_submenu(&mut h, "View", "Text size (100");
    let r = h.get_by_label_contains("Larger text").rect();
    click(&mut h, r.center());
    h.run_steps(2);
    assert!((h.state().prefs().text_scale - 1.25).abs() < 1e-6);
    assert!(h.state().layout().cards[0].lines[0].size > size);
    assert!(lines(&h) > before, "bigger text wraps into more lines");
}
