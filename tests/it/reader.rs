//! What a screen reader is told keeps up with the map: the labels of the cards (kept between
//! frames) change with an edit to the card and with an edit to a card it is linked to, and
//! change back with an undo.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly; allow-unwrap-in-tests covers only #[test] bodies"
)]

use crate::common;

use common::*;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use journeymap::model::LinkKind;
use journeymap::ui::App;

/// The label of the one card node whose label has `text` after "Card: ".
fn label(h: &Harness<'_, App>, text: &str) -> String {
    h.get_by_label_contains(&format!("Card: {text}"))
        .accesskit_node()
        .label()
        .unwrap_or_default()
}

#[test]
fn a_card_s_label_follows_edits_to_it_and_to_its_cause() {
    let mut h = ready();
    let doc = h.state().doc().clone();
    // A pain point whose cause has a short, one-line text (read out whole in the link).
    let link = doc
        .links
        .iter()
        .find(|l| {
            l.kind == LinkKind::Causes
                && doc
                    .card(l.to)
                    .is_some_and(|c| c.text.len() < 40 && !c.text.contains('\n'))
        })
        .unwrap();
    let pain = doc.card(link.from).unwrap().clone();
    let cause = doc.card(link.to).unwrap().clone();
    let before = format!("is caused by: {}", cause.text);
    assert!(label(&h, &pain.text).contains(&before));

    // The cause's text is edited in place: its own label and the pain point's change.
    let at = card_center(&h, cause.id);
    double_click(&mut h, at);
    type_text(&mut h, " (a day late)");
    key(&mut h, Modifiers::NONE, Key::Enter);
    let edited = format!("{} (a day late)", cause.text);
    assert_eq!(h.state().doc().card(cause.id).unwrap().text, edited);
    h.run_steps(2);
    assert!(label(&h, &edited).starts_with(&format!("Card: {edited} \u{2014}")));
    let said = label(&h, &pain.text);
    assert!(
        said.contains(&format!("is caused by: {edited}")),
        "the pain point still says {said:?}"
    );

    // Undone: both say what they said before.
    key(&mut h, Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().doc().card(cause.id).unwrap().text, cause.text);
    let said = label(&h, &pain.text);
    assert!(said.contains(&before), "after undo: {said:?}");
    assert!(!said.contains("a day late"), "after undo: {said:?}");
    assert!(
        h.query_all_by_label_contains(&format!("Card: {edited}"))
            .next()
            .is_none()
    );
}
