//! The facilitator's window runs a private brainstorm, sets a laptop's role and removes
//! someone; a contributor's app adds and types its own cards but cannot delete others'.

use std::time::Duration;

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use journeymap::edit::Origin;
use journeymap::hub::live::{Ended, Live};
use journeymap::model::{Card, CardId, LaneKind};
use journeymap::sync::session::Role;

use super::common::{Opening, card_by_text, card_center, click, key, open, ready, screen};
use super::{click_label, host_from_menu, sample_hub, until};

#[test]
fn the_facilitator_runs_a_private_brainstorm_sets_a_role_and_removes_someone() {
    let mut h = ready();
    let local = host_from_menu(&mut h);
    let (mut live, doc) = Live::join(&local, Duration::from_secs(10)).unwrap();
    let mut ed = Live::editor(doc);
    live.set_presence("Sam", Vec::new(), None);
    let mut client = Some((&mut live, &mut ed));
    until(&mut h, &mut client, "the window lists Sam", |h, _| {
        h.query_by_label_contains("Sam · laptop").is_some()
    });

    // Private brainstorm: Sam's new card stays his until the facilitator reveals it.
    click_label(&mut h, "Start");
    until(&mut h, &mut client, "Sam's laptop hears of it", |_, _| true);
    let (l, e) = client.as_mut().unwrap();
    let end = std::time::Instant::now() + Duration::from_secs(10);
    while l.brainstorm().is_none() {
        h.run_steps(1);
        l.step(e).unwrap();
        assert!(
            std::time::Instant::now() < end,
            "the brainstorm never reached Sam"
        );
    }
    let d = e.doc();
    let lane = d.lanes.iter().find(|l| l.kind.holds_cards()).unwrap().id;
    let card = Card::new(CardId(0), d.stages[0].id, lane, "Sam's hidden idea");
    e.apply_ops(
        Origin::Local,
        vec![journeymap::edit::Op::InsertCards(vec![
            std::sync::Arc::new(card),
        ])],
    )
    .unwrap();
    until(
        &mut h,
        &mut client,
        "the facilitator is told of one hidden card",
        |h, _| {
            h.query_by_label_contains("1 hidden card from 1 person")
                .is_some()
        },
    );
    assert!(
        h.state()
            .doc()
            .cards
            .iter()
            .all(|c| c.text != "Sam's hidden idea"),
        "the facilitator's canvas shows Sam's private card"
    );
    click_label(&mut h, "Reveal all cards");
    until(
        &mut h,
        &mut client,
        "the canvas shows Sam's card",
        |h, _| {
            h.state()
                .doc()
                .cards
                .iter()
                .any(|c| c.text == "Sam's hidden idea")
        },
    );
    assert!(h.query_by_label_contains("hidden card").is_none());

    // Sam becomes a contributor.
    let combo = h.get_by_label("Role of Sam").rect();
    click(&mut h, combo.center());
    h.run_steps(2);
    click_label(&mut h, "contributor");
    until(
        &mut h,
        &mut client,
        "Sam's laptop knows it contributes",
        |_, _| true,
    );
    let end = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        h.run_steps(1);
        let (l, e) = client.as_mut().unwrap();
        l.step(e).unwrap();
        if l.role() == Role::Contributor {
            break;
        }
        assert!(
            std::time::Instant::now() < end,
            "Sam never became a contributor"
        );
    }

    // Removed, after a second click that names him.
    click_label(&mut h, "Remove…");
    h.run_steps(2);
    click_label(&mut h, "Remove Sam");
    let end = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        h.run_steps(1);
        let (l, e) = client.as_mut().unwrap();
        l.step(e).unwrap();
        if l.ended == Some(Ended::Removed) {
            break;
        }
        assert!(std::time::Instant::now() < end, "Sam was never removed");
    }
    until(
        &mut h,
        &mut client,
        "the window no longer lists Sam",
        |h, _| h.query_by_label_contains("Sam · laptop").is_none(),
    );
}

#[test]
fn a_contributor_app_types_its_own_cards_but_cannot_delete_others() {
    let hub = sample_hub();
    let (mut host, doc) = Live::join(&hub.host_url(), Duration::from_secs(10)).unwrap();
    let mut host_ed = Live::editor(doc);
    let mut h = ready();
    super::join_from_menu(&mut h, &hub);
    let mut facilitator = Some((&mut host, &mut host_ed));
    until(
        &mut h,
        &mut facilitator,
        "the app joined and said who it is",
        |_, _| true,
    );
    let end = std::time::Instant::now() + Duration::from_secs(10);
    let id = loop {
        h.run_steps(1);
        let (l, e) = facilitator.as_mut().unwrap();
        l.step(e).unwrap();
        if let Some(o) = l.others().next() {
            break o.id.clone();
        }
        assert!(std::time::Instant::now() < end, "the app never showed up");
    };
    facilitator
        .as_mut()
        .unwrap()
        .0
        .set_role(&id, Role::Contributor)
        .unwrap();
    until(
        &mut h,
        &mut facilitator,
        "the app knows it contributes",
        |h, _| h.state().workshop_role() == Some(Role::Contributor),
    );

    // Someone else's card: Delete does nothing but say why.
    let theirs = card_by_text(&h, "Social media ad").id;
    let at = card_center(&h, theirs);
    click(&mut h, at);
    key(&mut h, Modifiers::NONE, Key::Delete);
    h.run_steps(2);
    assert!(
        h.state().doc().card(theirs).is_some(),
        "a contributor deleted someone's card"
    );
    assert!(
        h.query_by_label_contains("As a contributor").is_some(),
        "the status says why nothing happened"
    );

    // A card of its own: clicked into an empty cell and typed, several keys a frame.
    let (stage, lane) = {
        let d = h.state().doc();
        let lane = d
            .lanes
            .iter()
            .find(|l| l.kind == LaneKind::Thoughts)
            .unwrap()
            .id;
        (d.stages[0].id, lane)
    };
    let cell = h.state().layout().cell_rect(stage, lane).unwrap();
    let at = screen(
        &h,
        journeymap::geom::Pos::new(cell.center().x, cell.max.y - 6.0),
    );
    click(&mut h, at);
    h.event(egui::Event::Text("I wonder".into()));
    h.event(egui::Event::Text(" what it costs".into()));
    h.run_steps(1);
    key(&mut h, Modifiers::NONE, Key::Enter);
    until(
        &mut h,
        &mut facilitator,
        "the facilitator has the typed card",
        |_, e| {
            e.unwrap()
                .doc()
                .cards
                .iter()
                .any(|c| c.text == "I wonder what it costs")
        },
    );
}

#[test]
fn journeymap_host_with_a_port_hosts_on_that_port() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let recovery = tempfile::tempdir().unwrap();
    let dir = recovery.path().to_path_buf();
    let h = open(Opening {
        size: egui::vec2(1400.0, 900.0),
        recovery: dir,
        workshop: Some(journeymap::ui::Start::Host(Some(port))),
        ..Opening::default()
    });
    let url = h.state().workshop_url().expect("hosting").to_string();
    assert!(url.contains(&format!(":{port}/?token=")), "{url}");
}
