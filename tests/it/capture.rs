//! A facilitator captures the reduced reference journey (6 stages; 18 cards in three lanes; a
//! channel on 7 touchpoints; 6 emotion points) from File → New at 1920×1080, with real input
//! events, and the test counts every click and key press (typed characters aside).
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly; allow-unwrap-in-tests covers only #[test] bodies"
)]

use crate::common;

use common::*;
use egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use journeymap::geom::Pos;
use journeymap::model::{Channel, LaneKind};
use journeymap::ui::App;

/// The app, with a count of the input events sent besides typed characters.
struct Facilitator {
    h: Harness<'static, App>,
    events: usize,
}

impl Facilitator {
    fn click(&mut self, at: egui::Pos2) {
        self.events += 1;
        click(&mut self.h, at);
    }

    fn click_label(&mut self, label: &str) {
        let r = self.h.get_by_label_contains(label).rect();
        self.click(r.center());
    }

    fn key(&mut self, mods: Modifiers, k: Key) {
        self.events += 1;
        self.h.event(Event::Key {
            key: k,
            physical_key: Some(k),
            pressed: true,
            repeat: false,
            modifiers: mods,
        });
        self.h.run_steps(1);
        self.h.event(Event::Key {
            key: k,
            physical_key: Some(k),
            pressed: false,
            repeat: false,
            modifiers: mods,
        });
        self.h.run_steps(1);
    }

    fn tab(&mut self) {
        self.key(Modifiers::NONE, Key::Tab);
    }

    /// Typed characters (not counted): one per frame, as a person types.
    fn say(&mut self, text: &str) {
        for c in text.chars() {
            self.h.event(Event::Text(c.to_string()));
            self.h.run_steps(1);
        }
    }

    /// Alt+the channel's letter.
    fn channel(&mut self, ch: Channel) {
        let k = Key::from_name(&ch.key().to_ascii_uppercase().to_string()).unwrap();
        self.key(Modifiers::ALT, k);
    }

    /// Where to click in a cell (below whatever it holds).
    fn cell(&self, stage: usize, kind: LaneKind) -> egui::Pos2 {
        let app = self.h.state();
        let doc = app.doc();
        let l = app
            .layout()
            .cell_rect(doc.stages[stage].id, lane_of(doc, kind))
            .unwrap();
        screen(&self.h, Pos::new(l.center().x, l.max.y - 6.0))
    }
}

const ACTIONS: [&str; 6] = [
    "Sees an ad, compares plans",
    "Signs the contract online",
    "Opens the first bill",
    "Searches the FAQ, tries the chat bot",
    "Calls support, waits 30 minutes",
    "Gets part of the fee refunded",
];
const TOUCHPOINTS: [(&str, Channel); 7] = [
    ("Social media ad", Channel::Social),
    ("Online contract", Channel::Web),
    ("First bill", Channel::Email),
    ("FAQ", Channel::SelfService),
    ("Chat bot", Channel::Chat),
    ("Phone menu", Channel::Ivr),
    ("Agent explains and refunds", Channel::Phone),
];
const PAIN: [&str; 5] = [
    "A clause on early fees is hard to understand",
    "Bill differs from the advertised price",
    "FAQ has no entry for the fee",
    "Long queue; repeats details to two agents",
    "Survey asks only about the agent",
];
const STAGES: [&str; 6] = [
    "Discover",
    "Sign up",
    "First bill",
    "Look for help",
    "Call support",
    "Resolution",
];
const FEELINGS: [&str; 6] = ["1", "2", "-1", "-1", "-2", "0"];

#[test]
fn the_reduced_reference_journey_takes_at_most_50_input_events() {
    let h = harness_sized(None, egui::vec2(1920.0, 1080.0), scratch_recovery_dir());
    let mut f = Facilitator { h, events: 0 };

    // File → New.
    f.click_label("File");
    f.click_label("Ctrl+N");
    f.h.run_steps(3);
    assert_eq!(f.h.state().doc().stages.len(), 3);

    // Stages: click the first header and type; Tab goes to the next name, past the last it
    // adds a stage.
    let at = screen(&f.h, f.h.state().layout().stages[0].header.center());
    f.click(at);
    for (i, name) in STAGES.iter().enumerate() {
        f.say(name);
        if i + 1 < STAGES.len() {
            f.tab();
        }
    }
    f.key(Modifiers::NONE, Key::Enter);
    // The view followed the new stages to the right: fit the whole map (Shift+1).
    f.key(Modifiers::SHIFT, Key::Num1);

    // Actions: click the first cell, then type and Tab through the stages; Tab after the
    // last stage goes on to the touchpoints lane.
    let at = f.cell(0, LaneKind::Actions);
    f.click(at);
    for a in ACTIONS {
        f.say(a);
        f.tab();
    }
    // Touchpoints, each with its channel (Alt+letter while typing); two in one stage (Enter).
    for (i, (t, ch)) in TOUCHPOINTS.iter().enumerate() {
        f.say(t);
        f.channel(*ch);
        match i {
            3 => f.key(Modifiers::NONE, Key::Enter),
            6 => {}
            _ => f.tab(),
        }
    }
    // Pain points from the second stage on (a click commits the touchpoint being typed).
    let at = f.cell(1, LaneKind::PainPoints);
    f.click(at);
    for (i, p) in PAIN.iter().enumerate() {
        f.say(p);
        if i + 1 < PAIN.len() {
            f.tab();
        }
    }
    // The emotion curve: click the first stage's emotion cell, type a value, Tab, …
    let emo = f.h.state().layout().emotion.clone().unwrap();
    let col = f.h.state().layout().stages[0].column;
    let at = screen(&f.h, Pos::new(col.center().x, emo.y_of(0.5)));
    f.click(at);
    for (i, v) in FEELINGS.iter().enumerate() {
        f.say(v);
        if i + 1 < FEELINGS.len() {
            f.tab();
        }
    }
    f.h.run_steps(3);

    let doc = f.h.state().doc().clone();
    let names: Vec<&str> = doc.stages.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, STAGES);
    let texts = |kind| -> Vec<(String, usize)> {
        let lane = lane_of(&doc, kind);
        doc.cards
            .iter()
            .filter(|c| c.lane == lane)
            .map(|c| (c.text.clone(), doc.stage_index(c.stage).unwrap()))
            .collect()
    };
    let actions = texts(LaneKind::Actions);
    assert_eq!(
        actions,
        ACTIONS
            .iter()
            .enumerate()
            .map(|(i, a)| (a.to_string(), i))
            .collect::<Vec<_>>()
    );
    let touch_lane = lane_of(&doc, LaneKind::Touchpoints);
    let touch: Vec<(&str, Option<Channel>, usize)> = doc
        .cards
        .iter()
        .filter(|c| c.lane == touch_lane)
        .map(|c| {
            (
                c.text.as_str(),
                c.channel,
                doc.stage_index(c.stage).unwrap(),
            )
        })
        .collect();
    let stage_of = [0, 1, 2, 3, 3, 4, 5];
    let expected: Vec<(&str, Option<Channel>, usize)> = TOUCHPOINTS
        .iter()
        .zip(stage_of)
        .map(|((t, ch), s)| (*t, Some(*ch), s))
        .collect();
    assert_eq!(touch, expected);
    let pain = texts(LaneKind::PainPoints);
    assert_eq!(
        pain,
        PAIN.iter()
            .enumerate()
            .map(|(i, p)| (p.to_string(), i + 1))
            .collect::<Vec<_>>()
    );
    assert_eq!(doc.cards.len(), 18);
    let values: Vec<(usize, f32)> = doc
        .emotion
        .points()
        .map(|(_, p)| (doc.stage_index(p.stage).unwrap(), p.value))
        .collect();
    assert_eq!(
        values,
        vec![
            (0, 1.0),
            (1, 2.0),
            (2, -1.0),
            (3, -1.0),
            (4, -2.0),
            (5, 0.0)
        ]
    );
    println!(
        "reduced reference journey: {} input events besides typed characters",
        f.events
    );
    assert!(f.events <= 50, "{} input events", f.events);
}

fn key_event(key: Key, pressed: bool, modifiers: Modifiers) -> Event {
    Event::Key {
        key,
        physical_key: Some(key),
        pressed,
        repeat: false,
        modifiers,
    }
}

/// Opens a new card in an empty cell of the sample with a double click.
fn new_card_in(h: &mut Harness<'_, App>, stage: usize, kind: LaneKind) {
    let doc = h.state().doc().clone();
    let s = doc.stages[stage].id;
    let l = lane_of(&doc, kind);
    let cell = h.state().layout().cell_rect(s, l).unwrap();
    double_click(h, screen(h, Pos::new(cell.center().x, cell.max.y - 12.0)));
    assert!(h.state().is_editing_text());
}

/// Home and End go to the start and end of the card's text, not of the row it wrapped into;
/// Shift+Home selects to the start. Keys and text arrive in one frame, as fast typing sends
/// them.
#[test]
fn home_and_end_go_to_the_start_and_end_of_a_wrapped_card() {
    let mut h = ready();
    let doc = h.state().doc().clone();
    let (stage, lane) = (doc.stages[6].id, lane_of(&doc, LaneKind::PainPoints));
    let before = doc.cell_cards(stage, lane).count();
    new_card_in(&mut h, 6, LaneKind::PainPoints);
    let text = "Customers wait on hold for a long time before anyone answers the phone";
    type_text(&mut h, text);
    let events = &mut h.input_mut().events;
    events.push(key_event(Key::Home, true, Modifiers::NONE));
    events.push(key_event(Key::Home, false, Modifiers::NONE));
    events.push(Event::Text("[".into()));
    events.push(key_event(Key::End, true, Modifiers::NONE));
    events.push(key_event(Key::End, false, Modifiers::NONE));
    events.push(Event::Text("]".into()));
    h.run_steps(2);
    // A second card: Shift+Home selects what was typed, the next letters replace it.
    key(&mut h, Modifiers::NONE, Key::Enter);
    type_text(
        &mut h,
        "A draft that wraps over more than one row of the card, retyped",
    );
    let events = &mut h.input_mut().events;
    events.push(key_event(Key::Home, true, Modifiers::SHIFT));
    events.push(key_event(Key::Home, false, Modifiers::SHIFT));
    events.push(Event::Text("Short".into()));
    h.run_steps(2);
    key(&mut h, Modifiers::NONE, Key::Escape);
    let doc = h.state().doc();
    let texts: Vec<&str> = doc
        .cell_cards(stage, lane)
        .skip(before)
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(texts, [format!("[{text}]").as_str(), "Short"]);
    let card = doc.cell_cards(stage, lane).nth(before).unwrap().id;
    let rows = h
        .state()
        .layout()
        .cards
        .iter()
        .find(|c| c.id == card)
        .unwrap()
        .lines
        .len();
    assert!(rows >= 2, "the card wraps ({rows} rows)");
}

/// While a touchpoint is typed, the channel letters are shown next to the editor; other lanes
/// have no channels and show none.
#[test]
fn the_channel_letters_are_shown_beside_a_touchpoint_being_typed() {
    let mut h = ready();
    let hint = |h: &Harness<'_, App>| {
        h.output().shapes.iter().find_map(|s| match &s.shape {
            egui::Shape::Text(t) if t.galley.text().starts_with("Alt+ channel:") => {
                Some((t.galley.text().to_owned(), t.visual_bounding_rect()))
            }
            _ => None,
        })
    };
    new_card_in(&mut h, 2, LaneKind::Touchpoints);
    type_text(&mut h, "Call");
    let editor = h.get_by_label("New card text").rect();
    let (text, at) = hint(&h).expect("the channel letters are shown");
    for letters in ["P Phone", "E Email", "W Web", "F Self-service", "N none"] {
        assert!(text.contains(letters), "{text}");
    }
    // Right under (or over) the editor, not somewhere else on the screen.
    let gap = (at.min.y - editor.max.y).max(editor.min.y - at.max.y);
    assert!(gap < 40.0, "{at:?} is {gap} px from the editor {editor:?}");
    assert!((at.min.x - editor.min.x).abs() < 60.0, "{at:?} {editor:?}");
    // Alt+P picks Phone; Escape keeps the card and the letters go.
    key(&mut h, Modifiers::ALT, Key::P);
    key(&mut h, Modifiers::NONE, Key::Escape);
    assert!(hint(&h).is_none());
    let card = card_by_text(&h, "Call");
    assert_eq!(card.channel, Some(Channel::Phone));
    new_card_in(&mut h, 2, LaneKind::PainPoints);
    type_text(&mut h, "Queue");
    assert!(hint(&h).is_none(), "pain points have no channel");
}
