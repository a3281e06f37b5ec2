//! The menu bar drawn alone, from the parts it reads: what it greys out, marks and asks for.
//! Compiled only under `#[cfg(test)]`.
#![allow(clippy::unwrap_used, reason = "tests fail loudly")]

use egui::accesskit::Toggled;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

use super::{Bar, menu_bar_ui};
use crate::model::{Document, sample_map};
use crate::render::ColourBy;
use crate::ui::actions::Action;
use crate::ui::asks::{Ask, Asks};

struct Menus {
    doc: Document,
    asked: Vec<Ask>,
}

fn menus() -> Harness<'static, Menus> {
    let state = Menus {
        doc: sample_map(),
        asked: Vec::new(),
    };
    Harness::builder()
        .with_size(egui::vec2(1000.0, 700.0))
        .build_ui_state(
            |ui, m: &mut Menus| {
                if ui.ctx().cumulative_pass_nr() == 0 {
                    crate::ui::install_fonts(ui.ctx());
                }
                // Nothing to undo; the map is shown dark.
                let can = |a| a != Action::Undo;
                let on = |a| a == Action::DarkMap;
                let bar = Bar {
                    doc: &m.doc,
                    can: &can,
                    on: &on,
                    recent: &[],
                    text_scale: 1.0,
                    colour_by: &ColourBy::Lane,
                    zoom: 1.0,
                };
                let mut asks = Asks::default();
                menu_bar_ui(ui, &bar, &mut asks);
                m.asked.extend(asks.0);
            },
            state,
        )
}

fn runs(asked: &[Ask]) -> Vec<Action> {
    asked
        .iter()
        .filter_map(|a| match a {
            Ask::Run(a) => Some(*a),
            _ => None,
        })
        .collect()
}

/// Redo clicked in the Edit menu is asked for after the in-place edit is finished; Undo,
/// which cannot run, is greyed out and asks for nothing.
#[test]
fn a_menu_entry_asks_for_its_action_and_one_that_cannot_run_is_greyed_out() {
    let mut h = menus();
    h.run_steps(2);
    h.get_by_label("Edit").click();
    h.run_steps(2);
    let undo = h.get_by_label_contains("Undo");
    assert!(
        undo.accesskit_node().is_disabled(),
        "Undo is not greyed out"
    );
    undo.click();
    h.run_steps(2);
    assert!(runs(&h.state().asked).is_empty(), "a greyed-out entry ran");
    if h.query_by_label_contains("Redo").is_none() {
        // The click closed the menu: open it again.
        h.get_by_label("Edit").click();
        h.run_steps(2);
    }
    h.get_by_label_contains("Redo").click();
    h.run_steps(2);
    assert_eq!(runs(&h.state().asked), [Action::Redo]);
    assert!(
        matches!(
            h.state().asked.as_slice(),
            [Ask::FinishEditing, Ask::Run(Action::Redo)]
        ),
        "the edit is not finished first"
    );
}

/// The View menu marks what is on (the dark map) and not what is off (the executive view).
#[test]
fn the_view_menu_marks_what_is_on() {
    let mut h = menus();
    h.run_steps(2);
    h.get_by_label("View").click();
    h.run_steps(2);
    let (dark, exec) = (Action::DarkMap.label(), Action::ExecutiveView.label());
    let dark = h.get_by_label_contains(&dark);
    let exec = h.get_by_label_contains(&exec);
    assert_eq!(dark.accesskit_node().toggled(), Some(Toggled::True));
    assert_eq!(exec.accesskit_node().toggled(), Some(Toggled::False));
}

/// The status bar names the selected cell and its keys, shows the workshop and says when its
/// link is clicked.
#[test]
fn the_status_bar_names_the_cell_and_its_workshop_link_is_reported() {
    struct Bar {
        doc: Document,
        canvas: crate::ui::canvas::Canvas,
        clicked: bool,
    }
    let doc = sample_map();
    let lane = doc.lanes.iter().find(|l| l.kind.holds_cards()).unwrap();
    let (stage, lane, lane_name) = (doc.stages[0].id, lane.id, lane.name.clone());
    let canvas = crate::ui::canvas::Canvas {
        selection: crate::ui::app::Selection::only_cell(stage, lane),
        ..Default::default()
    };
    let state = Bar {
        doc,
        canvas,
        clicked: false,
    };
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 40.0))
        .build_ui_state(
            |ui, b: &mut Bar| {
                if ui.ctx().cumulative_pass_nr() == 0 {
                    crate::ui::install_fonts(ui.ctx());
                }
                let s = super::Status {
                    doc: &b.doc,
                    canvas: &b.canvas,
                    export_progress: None,
                    workshop: Some("Hosting a workshop · 2 people".into()),
                    said: Some("Saved"),
                };
                b.clicked |= super::status_bar_ui(ui, &s).workshop;
            },
            state,
        );
    h.run_steps(2);
    let stage_name = h.state().doc.stages[0].name.clone();
    h.get_by_label_contains(&format!("{stage_name} · {lane_name} — type to add a card"));
    h.get_by_label("Saved");
    assert!(!h.state().clicked);
    h.get_by_label("Hosting a workshop · 2 people").click();
    h.run_steps(2);
    assert!(
        h.state().clicked,
        "the workshop link's click was not reported"
    );
}
