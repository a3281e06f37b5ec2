//! Hosting and joining a workshop from the window: real menu clicks and typing through
//! `egui_kittest` into the real app, a real hub and a real client on loopback.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly; allow-unwrap-in-tests covers only #[test] bodies"
)]

use crate::common;

mod people;

use std::time::{Duration, Instant};

use common::{card_by_text, card_center, click, key, ready, type_text};
use egui::{Key, Modifiers};
use egui_kittest::{Harness, kittest::Queryable};
use journeymap::edit::{CardField, Op, Origin};
use journeymap::hub::Hub;
use journeymap::hub::live::Live;
use journeymap::ui::App;

fn click_label(h: &mut Harness<'_, App>, label: &str) {
    let r = h.get_by_label(label).rect();
    click(h, r.center());
}

/// Runs app frames (and steps the client) until `done` holds, or fails after 10 s.
fn until(
    h: &mut Harness<'_, App>,
    client: &mut Option<(&mut Live, &mut journeymap::edit::Editor)>,
    what: &str,
    done: impl Fn(&Harness<'_, App>, Option<&journeymap::edit::Editor>) -> bool,
) {
    let end = Instant::now() + Duration::from_secs(10);
    loop {
        h.run_steps(1);
        if let Some((l, e)) = client {
            l.step(e).unwrap();
        }
        if done(h, client.as_ref().map(|(_, e)| &**e)) {
            return;
        }
        assert!(Instant::now() < end, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// File → Join workshop…, the hub's address typed, Enter.
fn join_from_menu(h: &mut Harness<'_, App>, hub: &Hub) {
    click_label(h, "File");
    click_label(h, "Join workshop…");
    h.run_steps(2);
    type_text(h, &hub.join_url("127.0.0.1"));
    key(h, Modifiers::NONE, Key::Enter);
}

fn sample_hub() -> Hub {
    Hub::start(
        &journeymap::model::sample_map(),
        "127.0.0.1:0".parse().unwrap(),
        None,
    )
    .unwrap()
}

/// File → Host workshop in the app; the join address over loopback.
fn host_from_menu(h: &mut Harness<'_, App>) -> String {
    click_label(h, "File");
    click_label(h, "Host workshop…");
    h.run_steps(2);
    let url = h.state().workshop_url().expect("hosting").to_string();
    assert!(url.contains("token="), "{url}");
    let port_and_token = url.split_once(':').unwrap().1.split_once(':').unwrap().1;
    format!("http://127.0.0.1:{port_and_token}")
}

#[test]
fn the_facilitator_hosts_and_a_laptop_edits_with_her() {
    let mut h = ready();
    let local = host_from_menu(&mut h);
    // The window shows the address as a QR code.
    h.get_by_label("QR code of the join address");

    // A laptop joins (through loopback, whatever the LAN address is).
    let (mut live, doc) = Live::join(&local, Duration::from_secs(10)).unwrap();
    let mut ed = Live::editor(doc);
    let id = card_by_text(&h, "Social media ad").id;
    ed.apply_ops(
        Origin::Local,
        vec![Op::SetCard(id, CardField::Owner("Growth".into()))],
    )
    .unwrap();
    let mut client = Some((&mut live, &mut ed));
    until(
        &mut h,
        &mut client,
        "the canvas shows the laptop's edit",
        |h, _| {
            h.state()
                .doc()
                .card(id)
                .is_some_and(|c| c.owner == "Growth")
        },
    );
    // The laptop's person shows in the workshop window.
    client
        .as_mut()
        .unwrap()
        .0
        .set_presence("Sam", vec![id.0], None);
    until(&mut h, &mut client, "the window lists Sam", |h, _| {
        h.query_by_label_contains("Sam · laptop").is_some()
    });
    // It is not in the facilitator's undo.
    assert!(
        !h.state().editor().can_undo(),
        "someone else's edit entered the local undo"
    );

    // The facilitator types into a card; the laptop sees it.
    h.get_by_label("Close window").click();
    h.run_steps(2);
    let at = card_center(&h, id);
    click(&mut h, at);
    key(&mut h, Modifiers::NONE, Key::F2);
    type_text(&mut h, " (paid)");
    key(&mut h, Modifiers::NONE, Key::Enter);
    until(
        &mut h,
        &mut client,
        "the laptop shows the facilitator's text",
        |_, e| {
            e.is_some_and(|e| {
                e.doc()
                    .card(id)
                    .is_some_and(|c| c.text == "Social media ad (paid)")
            })
        },
    );
    // Her undo reverts her own text only; the laptop's owner stays.
    key(&mut h, Modifiers::COMMAND, Key::Z);
    until(&mut h, &mut client, "the laptop sees the undo", |_, e| {
        e.is_some_and(|e| {
            e.doc()
                .card(id)
                .is_some_and(|c| c.text == "Social media ad")
        })
    });
    assert_eq!(h.state().doc().card(id).unwrap().owner, "Growth");
}

#[test]
fn a_laptop_joins_from_the_menu() {
    let hub = sample_hub();
    let mut h = ready();
    click_label(&mut h, "File");
    click_label(&mut h, "Join workshop…");
    h.run_steps(2);
    type_text(&mut h, &hub.join_url("127.0.0.1"));
    key(&mut h, Modifiers::NONE, Key::Enter);
    let mut none = None;
    until(&mut h, &mut none, "the joined map is open", |h, _| {
        h.state().workshop_url().is_some()
    });
    assert!(h.state().file().is_none(), "a joined map has no file here");
    let id = h.state().doc().cards[0].id;
    h.run_steps(2);
    let at = card_center(&h, id);
    click(&mut h, at);
    key(&mut h, Modifiers::NONE, Key::F2);
    type_text(&mut h, " (typed on a laptop)");
    key(&mut h, Modifiers::NONE, Key::Enter);
    let want = format!(
        "{} (typed on a laptop)",
        journeymap::model::sample_map().cards[0].text
    );
    assert_eq!(h.state().doc().card(id).unwrap().text, want);
    until(
        &mut h,
        &mut none,
        "the hub has the laptop's text",
        |_, _| hub.document().card(id).is_some_and(|c| c.text == want),
    );
}

#[test]
fn the_facilitator_starts_a_timer_that_every_screen_shows() {
    let mut h = ready();
    let local = host_from_menu(&mut h);
    let (mut live, doc) = Live::join(&local, Duration::from_secs(10)).unwrap();
    let mut ed = Live::editor(doc);
    assert!(live.timer().is_none());
    click_label(&mut h, "3 min");
    let mut client = Some((&mut live, &mut ed));
    until(
        &mut h,
        &mut client,
        "the canvas shows the countdown",
        |h, _| {
            h.query_by_label_contains("Timer 3:00").is_some()
                || h.query_by_label_contains("Timer 2:59").is_some()
        },
    );
    let (l, _) = client.take().unwrap();
    let end = Instant::now() + Duration::from_secs(10);
    loop {
        let mut e2 = Live::editor(journeymap::model::sample_map());
        l.step(&mut e2).unwrap();
        if let Some(t) = l.timer() {
            let left = t - journeymap::hub::live::now_ms();
            assert!((170_000..=180_000).contains(&left), "{left} ms left");
            break;
        }
        assert!(Instant::now() < end, "the laptop never got the timer");
        std::thread::sleep(Duration::from_millis(10));
    }
    // Closed, the workshop window comes back from the status bar.
    h.get_by_label("Close window").click();
    h.run_steps(2);
    assert!(h.query_by_label("Stop timer").is_none());
    let status = h.get_by_label_contains("Hosting a workshop").rect();
    click(&mut h, status.center());
    h.run_steps(2);
    // Stopping it clears every screen.
    click_label(&mut h, "Stop timer");
    let mut none = None;
    until(&mut h, &mut none, "the countdown is gone", |h, _| {
        h.query_by_label_contains("Timer 3:").is_none()
            && h.query_by_label_contains("Timer 2:").is_none()
    });
}

#[test]
fn a_locked_map_cannot_be_changed_from_a_joined_laptop_and_the_end_keeps_its_copy() {
    let hub = sample_hub();
    let (mut host, doc) = Live::join(&hub.host_url(), Duration::from_secs(10)).unwrap();
    let mut host_ed = Live::editor(doc);
    let mut h = ready();
    join_from_menu(&mut h, &hub);
    let mut client = Some((&mut host, &mut host_ed));
    until(&mut h, &mut client, "joined", |h, _| {
        h.state().workshop_url().is_some()
    });
    client.as_mut().unwrap().0.set_locked(true);
    until(&mut h, &mut client, "the laptop shows the lock", |h, _| {
        h.state().status().is_some_and(|s| s.contains("locked"))
            || h.query_by_label_contains("locked").is_some()
    });
    h.run_steps(5);
    let id = h.state().doc().cards[0].id;
    let before = h.state().doc().card(id).unwrap().text.clone();
    let at = card_center(&h, id);
    click(&mut h, at);
    key(&mut h, Modifiers::NONE, Key::F2);
    type_text(&mut h, " changed");
    key(&mut h, Modifiers::NONE, Key::Enter);
    h.run_steps(3);
    assert_eq!(h.state().doc().card(id).unwrap().text, before);
    assert!(h.state().status().is_some_and(|s| s.contains("locked")));
    // The facilitator ends the session: the laptop leaves it and keeps the map.
    client.as_mut().unwrap().0.end_session();
    until(
        &mut h,
        &mut client,
        "the laptop left the ended session",
        |h, _| h.state().workshop_url().is_none(),
    );
    assert_eq!(
        h.state().doc().cards.len(),
        journeymap::model::sample_map().cards.len()
    );
}

/// Clicks the card that says `text` on the canvas; its id.
fn select_card(h: &mut Harness<'_, App>, text: &str) -> journeymap::model::CardId {
    let id = card_by_text(h, text).id;
    let at = card_center(h, id);
    click(h, at);
    h.run_steps(1);
    id
}

/// The workshop window's button that puts a dot on the selected card.
fn dot_on_selected(h: &mut Harness<'_, App>) {
    click_label(h, "+ Dot on the selected card");
    h.run_steps(1);
}

#[test]
fn the_facilitator_runs_a_dot_voting_round_from_the_window() {
    let mut h = ready();
    let _ = host_from_menu(&mut h);
    click_label(&mut h, "Start round");
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("you have 3 of 3 dots left")
            .is_some()
    );
    // Select a card on the canvas, then put two dots on it.
    let id = select_card(&mut h, "Agent call");
    dot_on_selected(&mut h);
    dot_on_selected(&mut h);
    let mut none = None;
    until(
        &mut h,
        &mut none,
        "the ranked list shows the card",
        |h, _| {
            h.query_by_label_contains("1. 2 dots · Agent call")
                .is_some()
        },
    );
    assert!(
        h.query_by_label_contains("you have 1 of 3 dots left")
            .is_some()
    );
    click_label(&mut h, "− Take one back");
    until(&mut h, &mut none, "one dot left on it", |h, _| {
        h.query_by_label_contains("1. 1 dot · Agent call").is_some()
    });
    click_label(&mut h, "End round and save the counts on the cards");
    until(
        &mut h,
        &mut none,
        "the count is saved on the card",
        |h, _| {
            h.state().doc().card(id).is_some_and(|c| {
                c.metrics
                    .iter()
                    .any(|m| m.name == "Dot votes" && (m.value - 1.0).abs() < 1e-9)
            })
        },
    );
    // Saving the count is one undo step of the facilitator's.
    assert!(h.state().editor().can_undo());
}

#[test]
fn a_voting_round_on_chosen_lanes_takes_dots_only_there() {
    let mut h = ready();
    let _ = host_from_menu(&mut h);
    // Only pain points take dots this round.
    let card_lanes: Vec<String> = h
        .state()
        .doc()
        .lanes
        .iter()
        .filter(|l| l.kind.holds_cards())
        .map(|l| l.name.clone())
        .collect();
    for name in card_lanes.iter().filter(|n| n.as_str() != "Pain points") {
        click_label(&mut h, name);
        h.run_steps(1);
    }
    click_label(&mut h, "Start round");
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("Dot voting on Pain points:")
            .is_some()
    );
    select_card(&mut h, "Agent call");
    dot_on_selected(&mut h);
    h.run_steps(1);
    assert!(
        h.state()
            .status()
            .is_some_and(|s| s.contains("other lanes")),
        "{:?}",
        h.state().status()
    );
    select_card(&mut h, "Long queue with irritating music");
    dot_on_selected(&mut h);
    let mut none = None;
    until(&mut h, &mut none, "the pain point has the dot", |h, _| {
        h.query_by_label_contains("1. 1 dot · Long queue").is_some()
    });
}

/// When the facilitator opens a voting round, a joined laptop opens its workshop window (where
/// the dots are given) and says so, and every screen's canvas shows the round: the dots each
/// person has left, the dots cast on the facilitator's.
#[test]
fn a_laptop_is_shown_a_voting_round_when_it_opens() {
    let mut host = ready();
    let url = host_from_menu(&mut host);
    let mut laptop = ready();
    click_label(&mut laptop, "File");
    click_label(&mut laptop, "Join workshop…");
    laptop.run_steps(2);
    type_text(&mut laptop, &url);
    key(&mut laptop, Modifiers::NONE, Key::Enter);
    let mut none = None;
    until(&mut laptop, &mut none, "the laptop has joined", |h, _| {
        h.state().workshop_url().is_some()
    });
    assert!(
        laptop
            .query_by_label("+ Dot on the selected card")
            .is_none()
    );
    // The facilitator's window now lists the laptop (its buttons moved down).
    until(&mut host, &mut none, "the host lists the laptop", |h, _| {
        h.query_by_label_contains("Also here (1)").is_some()
    });
    click_label(&mut host, "Start round");
    let end = Instant::now() + Duration::from_secs(10);
    while laptop
        .query_by_label_contains("Dot voting: 3 of 3 dots left")
        .is_none()
    {
        host.run_steps(1);
        laptop.run_steps(1);
        assert!(
            Instant::now() < end,
            "the laptop was never shown the round; host: {:?} {:?}; laptop: {:?}",
            host.query_by_label_contains("Dot voting on every card")
                .is_some(),
            host.state().status(),
            laptop.state().status()
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    laptop.run_steps(2);
    assert!(
        laptop
            .query_by_label("+ Dot on the selected card")
            .is_some(),
        "the laptop's workshop window did not open"
    );
    let said = laptop.state().status().unwrap_or_default().to_string();
    assert!(said.starts_with("Dot voting is open"), "{said}");
    assert!(
        host.query_by_label_contains("Dot voting: 0 dots cast")
            .is_some()
    );
}
