//! Letters that arrive as input-method commits (on X11 winit hands typed letters to a focused
//! field as IME commits, and one can reach the app in the same frame as the Enter after it)
//! are typed text like any other: none is lost at Enter.
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
