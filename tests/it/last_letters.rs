//! The last letters typed before the key that ends a card, arriving in the same frame as that
//! key (a fast typist's "…end⏎Esc"), stay with the card: as typed text or as input-method
//! commits (on X11 winit hands typed letters to a focused field as IME commits).
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly; allow-unwrap-in-tests covers only #[test] bodies"
)]

use crate::common::*;
use egui::{Event, ImeEvent, Key, Modifiers};
use journeymap::model::LaneKind;

#[test]
fn a_committed_letter_in_the_frame_of_enter_stays_with_its_card() {
    let mut h = ready();
    let doc = h.state().doc().clone();
    let stage = doc.stages[0].id;
    let pain = lane_of(&doc, LaneKind::PainPoints);
    let cell = h.state().layout().cell_rect(stage, pain).unwrap();
    let at = screen(&h, cell.center());
    click(&mut h, at);
    type_text(&mut h, "Hidden fe");
    assert_eq!(h.state().editing_text(), Some("Hidden fe"));
    // One frame: the last letter as a commit, Enter, then the next card's first letters.
    let events = &mut h.input_mut().events;
    events.push(Event::Ime(ImeEvent::Commit("e".into())));
    for pressed in [true, false] {
        events.push(Event::Key {
            key: Key::Enter,
            physical_key: None,
            pressed,
            repeat: false,
            modifiers: Modifiers::NONE,
        });
    }
    events.push(Event::Ime(ImeEvent::Commit("Ne".into())));
    h.run_steps(2);
    assert_eq!(
        h.state().editing_text(),
        Some("Ne"),
        "the next card has its letters"
    );
    type_text(&mut h, "xt");
    key(&mut h, Modifiers::NONE, Key::Escape);
    h.run_steps(2);
    let texts: Vec<String> = h
        .state()
        .doc()
        .cell_cards(stage, pain)
        .map(|c| c.text.clone())
        .collect();
    assert_eq!(texts, ["Hidden fee", "Next"]);
}

/// Enter then Escape, pressed at once after the last letters, as in the real window: the
/// escape must not commit the text as it was before this frame.
#[test]
fn letters_enter_and_escape_in_one_frame_keep_the_whole_card() {
    let mut h = ready();
    let doc = h.state().doc().clone();
    let stage = doc.stages[0].id;
    let pain = lane_of(&doc, LaneKind::PainPoints);
    let cell = h.state().layout().cell_rect(stage, pain).unwrap();
    let at = screen(&h, cell.center());
    click(&mut h, at);
    type_text(&mut h, "Typed fast right to");
    let events = &mut h.input_mut().events;
    events.push(Event::Text(" its".into()));
    events.push(Event::Ime(ImeEvent::Commit(" end".into())));
    for key in [Key::Enter, Key::Escape] {
        for pressed in [true, false] {
            events.push(Event::Key {
                key,
                physical_key: None,
                pressed,
                repeat: false,
                modifiers: Modifiers::NONE,
            });
        }
    }
    h.run_steps(3);
    assert!(!h.state().is_editing_text(), "Escape ends the typing");
    let texts: Vec<String> = h
        .state()
        .doc()
        .cell_cards(stage, pain)
        .map(|c| c.text.clone())
        .collect();
    assert_eq!(texts, ["Typed fast right to its end"]);
}
