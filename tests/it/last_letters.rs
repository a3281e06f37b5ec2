//! The last letters typed before the key that ends a card, arriving in the same frame as that
//! key (a fast typist's "…end⏎Esc"), stay with the card: as typed text or as input-method
//! commits (on X11 winit hands typed letters to a focused field as IME commits).
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly; allow-unwrap-in-tests covers only #[test] bodies"
)]

use crate::common::*;
use egui::{Event, ImeEvent, Key, Modifiers};
use egui_kittest::Harness;
use journeymap::model::{LaneId, LaneKind, StageId};
use journeymap::ui::App;

/// The sample map with its empty first pain-points cell selected, and `text` typed there.
fn typing_in_an_empty_cell(text: &str) -> (Harness<'static, App>, StageId, LaneId) {
    let mut h = ready();
    let doc = h.state().doc().clone();
    let stage = doc.stages[0].id;
    let pain = lane_of(&doc, LaneKind::PainPoints);
    let at = cell_center(&h, stage, pain);
    click(&mut h, at);
    type_text(&mut h, text);
    assert_eq!(h.state().editing_text(), Some(text));
    (h, stage, pain)
}

/// A key pressed and released, queued for the next frame.
fn press_key(h: &mut Harness<'_, App>, key: Key) {
    for pressed in [true, false] {
        h.input_mut().events.push(Event::Key {
            key,
            physical_key: None,
            pressed,
            repeat: false,
            modifiers: Modifiers::NONE,
        });
    }
}

fn commit(h: &mut Harness<'_, App>, text: &str) {
    h.input_mut()
        .events
        .push(Event::Ime(ImeEvent::Commit(text.into())));
}

fn cell_texts(h: &Harness<'_, App>, stage: StageId, lane: LaneId) -> Vec<String> {
    h.state()
        .doc()
        .cell_cards(stage, lane)
        .map(|c| c.text.clone())
        .collect()
}

#[test]
fn a_committed_letter_in_the_frame_of_enter_stays_with_its_card() {
    let (mut h, stage, pain) = typing_in_an_empty_cell("Hidden fe");
    // One frame: the last letter as a commit, Enter, then the next card's first letters.
    commit(&mut h, "e");
    press_key(&mut h, Key::Enter);
    commit(&mut h, "Ne");
    h.run_steps(2);
    assert_eq!(
        h.state().editing_text(),
        Some("Ne"),
        "the next card has its letters"
    );
    type_text(&mut h, "xt");
    key(&mut h, Modifiers::NONE, Key::Escape);
    h.run_steps(2);
    assert_eq!(cell_texts(&h, stage, pain), ["Hidden fee", "Next"]);
}

/// Enter then Escape, pressed at once after the last letters, as in the real window: the
/// escape must not commit the text as it was before this frame.
#[test]
fn letters_enter_and_escape_in_one_frame_keep_the_whole_card() {
    let (mut h, stage, pain) = typing_in_an_empty_cell("Typed fast right to");
    h.input_mut().events.push(Event::Text(" its".into()));
    commit(&mut h, " end");
    press_key(&mut h, Key::Enter);
    press_key(&mut h, Key::Escape);
    h.run_steps(3);
    assert!(!h.state().is_editing_text(), "Escape ends the typing");
    assert_eq!(cell_texts(&h, stage, pain), ["Typed fast right to its end"]);
}
