//! The side panel drawn alone, from a document and a selection, as the app draws it: what it
//! shows and what it asks for, with no app around it. Compiled only under `#[cfg(test)]`.
#![allow(clippy::unwrap_used, reason = "tests fail loudly")]

use egui::{Event, Key, Modifiers, PointerButton};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use super::{Shown, inspector_ui};
use crate::edit::Command;
use crate::model::{Document, sample_map};
use crate::ui::app::Selection;
use crate::ui::asks::{Ask, Asks};

/// What the panel is drawn from, and everything it asked for, frame after frame.
struct Panel {
    doc: Document,
    selection: Selection,
    asked: Vec<Ask>,
}

fn panel(selection: impl FnOnce(&Document) -> Selection) -> Harness<'static, Panel> {
    let doc = sample_map();
    let selection = selection(&doc);
    let state = Panel {
        doc,
        selection,
        asked: Vec::new(),
    };
    Harness::builder()
        .with_size(egui::vec2(320.0, 700.0))
        .build_ui_state(
            |ui, p: &mut Panel| {
                // The app's own fonts (the panel's arrows are not in egui's).
                if ui.ctx().cumulative_pass_nr() == 0 {
                    crate::ui::install_fonts(ui.ctx());
                }
                let can = |_| true;
                let shown = Shown {
                    doc: &p.doc,
                    selection: &p.selection,
                    active_curve: None,
                    executive: false,
                    can: &can,
                    map_links: Vec::new(),
                };
                let mut asks = Asks::default();
                inspector_ui(ui, &shown, &mut asks);
                p.asked.extend(asks.0);
            },
            state,
        )
}

/// A stage's name typed in the panel is asked for as one rename when the field is left; the
/// panel changes nothing itself.
#[test]
fn a_stage_renamed_in_the_panel_is_asked_for_once_when_the_field_is_left() {
    let mut h = panel(|d| Selection::only_stage(d.stages[0].id));
    h.run_steps(2);
    let id = h.state().doc.stages[0].id;
    let before = h.state().doc.clone();
    h.get_by_label("Name").focus();
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.event(Event::Text("Notice the fee".into()));
    h.run_steps(2);
    assert!(
        h.state().asked.is_empty(),
        "asked while typing: {} asks",
        h.state().asked.len()
    );
    h.key_press(Key::Enter);
    h.run_steps(2);
    let edits: Vec<&Command> = h
        .state()
        .asked
        .iter()
        .filter_map(|a| match a {
            Ask::Edit(c) => Some(c),
            _ => None,
        })
        .collect();
    assert_eq!(
        edits,
        [&Command::RenameStage {
            id,
            name: "Notice the fee".into()
        }]
    );
    assert_eq!(h.state().doc, before, "the panel changed the map itself");
}

/// Dragging the stage's width is one transaction: it opens, changes the width live and is
/// closed when the drag ends (one undo step), asked in that order.
#[test]
fn dragging_a_width_in_the_panel_asks_for_one_transaction() {
    let mut h = panel(|d| Selection::only_stage(d.stages[0].id));
    h.run_steps(2);
    let width = h.state().doc.stages[0].width;
    let from = h.get_by_label("Width").rect().center();
    h.hover_at(from);
    h.drag_at(from);
    h.run_steps(1);
    for dx in [10.0, 20.0, 30.0, 40.0] {
        h.hover_at(from + egui::vec2(dx, 0.0));
        h.run_steps(1);
    }
    h.event(Event::PointerButton {
        pos: from + egui::vec2(40.0, 0.0),
        button: PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    h.run_steps(2);
    let asked = &h.state().asked;
    let kinds: Vec<&str> = asked
        .iter()
        .map(|a| match a {
            Ask::Begin => "begin",
            Ask::Hold => "hold",
            Ask::Apply(_) => "apply",
            Ask::Commit => "commit",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds.first(), Some(&"begin"), "{kinds:?}");
    assert_eq!(kinds.last(), Some(&"commit"), "{kinds:?}");
    assert_eq!(
        kinds.iter().filter(|k| **k == "begin").count(),
        1,
        "{kinds:?}"
    );
    assert!(!kinds.contains(&"other"), "{kinds:?}");
    let widths: Vec<f32> = asked
        .iter()
        .filter_map(|a| match a {
            Ask::Apply(Command::ResizeStage { width, .. }) => Some(*width),
            _ => None,
        })
        .collect();
    assert!(
        widths.iter().any(|w| *w > width),
        "no wider stage asked for: {widths:?} (from {width})"
    );
}
