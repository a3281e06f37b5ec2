//! Phones in a workshop: the JSON protocol of the page the hub serves, spoken by a raw
//! WebSocket client against a real hub on loopback, with a real laptop client beside it.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly; allow-unwrap-in-tests covers only #[test] bodies"
)]

use std::net::TcpStream;
use std::time::{Duration, Instant};

use journeymap::hub::Hub;
use journeymap::hub::live::Live;
use journeymap::model::sample_map;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::{Message, WebSocket, stream::MaybeTlsStream};

type Ws = WebSocket<MaybeTlsStream<TcpStream>>;

fn hub() -> Hub {
    Hub::start(&sample_map(), "127.0.0.1:0".parse().unwrap(), None).unwrap()
}

fn phone(hub: &Hub, client: &str) -> Ws {
    let url = format!(
        "ws://{}/phone?token={}&client={client}",
        hub.addr(),
        hub.token()
    );
    let (mut ws, _) = tokio_tungstenite::tungstenite::connect(url).unwrap();
    if let MaybeTlsStream::Plain(s) = ws.get_mut() {
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    }
    ws
}

fn next(ws: &mut Ws) -> Value {
    loop {
        match ws.read().unwrap() {
            Message::Text(t) => return serde_json::from_str(&t).unwrap(),
            Message::Ping(_) | Message::Pong(_) => {}
            m => panic!("unexpected {m:?}"),
        }
    }
}

/// Reads until a message of `kind` (maps may come in between).
fn next_of(ws: &mut Ws, kind: &str) -> Value {
    loop {
        let m = next(ws);
        if m["type"] == kind {
            return m;
        }
    }
}

/// Reads maps until one satisfies `ok`.
fn map_until(ws: &mut Ws, ok: impl Fn(&Value) -> bool) -> Value {
    loop {
        let m = next_of(ws, "map");
        if ok(&m) {
            return m;
        }
    }
}

fn send(ws: &mut Ws, v: &Value) {
    ws.send(Message::Text(v.to_string().into())).unwrap();
}

fn card(map: &Value, id: u64) -> Option<&Value> {
    map["cards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
}

#[test]
fn a_phone_adds_edits_and_deletes_its_card_and_the_laptop_sees_it() {
    let hub = hub();
    let (mut live, doc) = Live::join(&hub.join_url("127.0.0.1"), Duration::from_secs(10)).unwrap();
    let mut laptop = Live::editor(doc);
    let mut p = phone(&hub, "phoneA");
    let first = next_of(&mut p, "map");
    assert_eq!(first["title"], sample_map().title);
    // Only lanes that hold cards are offered.
    assert!(
        first["lanes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["kind"] != "emotion")
    );
    let stage = first["stages"][2]["id"].as_u64().unwrap();
    let lane = first["lanes"][0]["id"].as_u64().unwrap();
    send(
        &mut p,
        &json!({"type": "add", "stage": stage, "lane": lane, "text": "Waited a week for the refund"}),
    );
    let id = next_of(&mut p, "added")["card"].as_u64().unwrap();
    let m = map_until(&mut p, |m| card(m, id).is_some());
    assert_eq!(card(&m, id).unwrap()["mine"], true);
    let end = Instant::now() + Duration::from_secs(10);
    let cid = journeymap::model::CardId(id);
    while laptop
        .doc()
        .card(cid)
        .is_none_or(|c| c.text != "Waited a week for the refund")
    {
        live.step(&mut laptop).unwrap();
        assert!(
            Instant::now() < end,
            "the laptop never saw the phone's card"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let c = laptop.doc().card(cid).unwrap();
    assert_eq!((c.stage.0, c.lane.0), (stage, lane));

    send(
        &mut p,
        &json!({"type": "edit", "card": id, "text": "Waited two weeks"}),
    );
    map_until(&mut p, |m| {
        card(m, id).is_some_and(|c| c["text"] == "Waited two weeks")
    });
    send(&mut p, &json!({"type": "delete", "card": id}));
    map_until(&mut p, |m| card(m, id).is_none());
    assert!(hub.document().card(cid).is_none());
}

#[test]
fn a_phone_is_told_the_timer_on_the_hubs_clock() {
    let hub = hub();
    // The facilitator's own client: only she sets the timer.
    let (mut live, doc) = Live::join(&hub.host_url(), Duration::from_secs(10)).unwrap();
    let mut laptop = Live::editor(doc);
    let mut p = phone(&hub, "phoneT");
    let first = next_of(&mut p, "map");
    assert!(first["timer_ends"].is_null());
    assert!(first["now"].as_i64().is_some());
    let ends = journeymap::hub::live::now_ms() + 60_000;
    live.set_timer(Some(ends)).unwrap();
    live.step(&mut laptop).unwrap();
    let m = map_until(&mut p, |m| !m["timer_ends"].is_null());
    assert_eq!(m["timer_ends"].as_i64(), Some(ends));
}

#[test]
fn a_phone_cannot_change_cards_it_did_not_write() {
    let hub = hub();
    let mut a = phone(&hub, "phoneA");
    let mut b = phone(&hub, "phoneB");
    let m = next_of(&mut a, "map");
    next_of(&mut b, "map");
    let stage = m["stages"][0]["id"].as_u64().unwrap();
    let lane = m["lanes"][0]["id"].as_u64().unwrap();
    send(
        &mut a,
        &json!({"type": "add", "stage": stage, "lane": lane, "text": "A's card"}),
    );
    let id = next_of(&mut a, "added")["card"].as_u64().unwrap();
    let seen = map_until(&mut b, |m| card(m, id).is_some());
    assert_eq!(card(&seen, id).unwrap()["mine"], false);
    send(&mut b, &json!({"type": "delete", "card": id}));
    let e = next_of(&mut b, "error");
    assert!(
        e["error"]
            .as_str()
            .unwrap()
            .contains("only the cards you wrote"),
        "{e}"
    );
    send(
        &mut b,
        &json!({"type": "edit", "card": id, "text": "B was here"}),
    );
    next_of(&mut b, "error");
    // The facilitator's own cards are not a phone's either.
    let sample_card = sample_map().cards[0].id.0;
    send(&mut b, &json!({"type": "delete", "card": sample_card}));
    next_of(&mut b, "error");
    let doc = hub.document();
    assert_eq!(
        doc.card(journeymap::model::CardId(id)).unwrap().text,
        "A's card"
    );
    assert!(doc.card(journeymap::model::CardId(sample_card)).is_some());
    // A restarted phone with the same id still owns its card.
    drop(a);
    let mut a2 = phone(&hub, "phoneA");
    let m = next_of(&mut a2, "map");
    assert_eq!(card(&m, id).unwrap()["mine"], true);
}

#[test]
fn bad_phone_messages_get_an_error_and_the_hub_goes_on() {
    let hub = hub();
    let mut p = phone(&hub, "phoneA");
    let m = next_of(&mut p, "map");
    let stage = m["stages"][0]["id"].as_u64().unwrap();
    let lane = m["lanes"][0]["id"].as_u64().unwrap();
    for (msg, says) in [
        (Message::Text("{not json".into()), "not JSON"),
        (
            Message::Text(json!({"type": "explode"}).to_string().into()),
            "unknown message type",
        ),
        (
            Message::Text(json!({"stage": 1}).to_string().into()),
            "needs a type",
        ),
        (
            Message::Text(
                json!({"type": "add", "stage": 999, "lane": lane, "text": "x"})
                    .to_string()
                    .into(),
            ),
            "not on the map",
        ),
        (
            Message::Text(
                json!({"type": "add", "stage": stage, "lane": lane, "text": "   "})
                    .to_string()
                    .into(),
            ),
            "needs its text",
        ),
        (
            Message::Text(
                json!({"type": "add", "stage": stage, "lane": lane, "text": "x".repeat(20_001)})
                    .to_string()
                    .into(),
            ),
            "at most",
        ),
        (Message::Binary(vec![1, 2, 3].into()), "JSON text"),
    ] {
        p.send(msg).unwrap();
        let e = next_of(&mut p, "error");
        assert!(
            e["error"].as_str().unwrap().contains(says),
            "{e} should say {says}"
        );
    }
    // Still serving.
    send(
        &mut p,
        &json!({"type": "add", "stage": stage, "lane": lane, "text": "after the noise"}),
    );
    next_of(&mut p, "added");
    // No token, a wrong one, no participant id: refused before the socket opens.
    let base = format!("ws://{}/phone", hub.addr());
    for url in [
        format!("{base}?client=x"),
        format!("{base}?token=00000000000000000000000000000000&client=x"),
        format!("{base}?token={}", hub.token()),
        format!("{base}?token={}&client=has%20space", hub.token()),
    ] {
        assert!(
            tokio_tungstenite::tungstenite::connect(&url).is_err(),
            "{url} was let in"
        );
    }
}

#[test]
fn the_page_is_served_small_and_self_contained() {
    use std::io::{Read, Write};
    let hub = hub();
    let mut s = TcpStream::connect(hub.addr()).unwrap();
    write!(
        s,
        "GET /?token={} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        hub.token()
    )
    .unwrap();
    let mut body = String::new();
    s.read_to_string(&mut body).unwrap();
    assert!(
        body.starts_with("HTTP/1.1 200"),
        "{}",
        &body[..body.len().min(200)]
    );
    assert!(body.contains("text/html"));
    assert!(body.contains("<script>"), "the page carries its script");
    assert!(
        !body.contains("src=\"http"),
        "the page loads nothing from elsewhere"
    );
    assert!(body.len() < 300 * 1024, "the page is {} bytes", body.len());
}

#[test]
fn a_locked_map_refuses_phones_too() {
    let hub = hub();
    let (mut host, doc) = Live::join(&hub.host_url(), Duration::from_secs(10)).unwrap();
    let mut ed = Live::editor(doc);
    let mut p = phone(&hub, "phoneL");
    let m = next_of(&mut p, "map");
    assert_eq!(m["locked"], false);
    host.set_locked(true);
    host.step(&mut ed).unwrap();
    // The page is told, so it can disable its form.
    map_until(&mut p, |m| m["locked"] == true);
    let stage = m["stages"][0]["id"].as_u64().unwrap();
    let lane = m["lanes"][0]["id"].as_u64().unwrap();
    send(
        &mut p,
        &json!({"type": "add", "stage": stage, "lane": lane, "text": "while locked"}),
    );
    let e = next_of(&mut p, "error");
    assert!(e["error"].as_str().unwrap().contains("locked"), "{e}");
    assert!(
        hub.document()
            .cards
            .iter()
            .all(|c| c.text != "while locked")
    );
}

#[test]
fn a_phone_votes_within_its_dots() {
    let hub = hub();
    let (mut host, doc) = Live::join(&hub.host_url(), Duration::from_secs(10)).unwrap();
    let mut ed = Live::editor(doc);
    let mut p = phone(&hub, "phoneV");
    let m = next_of(&mut p, "map");
    assert!(m["vote"].is_null());
    let card = m["cards"][0]["id"].as_u64().unwrap();
    host.open_vote(1, Vec::new()).unwrap();
    host.step(&mut ed).unwrap();
    let m = map_until(&mut p, |m| !m["vote"].is_null());
    assert_eq!(m["vote"]["left"], 1);
    send(&mut p, &json!({"type": "vote", "card": card, "add": true}));
    let m = map_until(&mut p, |m| m["vote"]["left"] == 0);
    assert_eq!(m["vote"]["counts"][card.to_string()], 1);
    assert_eq!(m["vote"]["mine"][card.to_string()], 1);
    send(&mut p, &json!({"type": "vote", "card": card, "add": true}));
    let e = next_of(&mut p, "error");
    assert!(
        e["error"].as_str().unwrap().contains("dots are used"),
        "{e}"
    );
    // The host's laptop sees the phone's dot.
    let end = Instant::now() + Duration::from_secs(10);
    while host
        .vote()
        .is_none_or(|(_, t)| t.cards.get(&card) != Some(&1))
    {
        host.step(&mut ed).unwrap();
        assert!(Instant::now() < end, "the host never saw the phone's dot");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Steps a laptop until `done` holds (or fails after 10 s).
fn step_until(
    live: &mut Live,
    ed: &mut journeymap::edit::Editor,
    what: &str,
    done: impl Fn(&Live, &journeymap::edit::Editor) -> bool,
) {
    let end = Instant::now() + Duration::from_secs(10);
    loop {
        live.step(ed).unwrap();
        if done(live, ed) {
            return;
        }
        assert!(Instant::now() < end, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn a_private_brainstorm_hides_a_phones_card_from_everyone_else_until_revealed() {
    let hub = hub();
    let (mut host, doc) = Live::join(&hub.host_url(), Duration::from_secs(10)).unwrap();
    let mut host_ed = Live::editor(doc);
    let (mut laptop, doc) =
        Live::join(&hub.join_url("127.0.0.1"), Duration::from_secs(10)).unwrap();
    let mut laptop_ed = Live::editor(doc);
    let mut ana = phone(&hub, "phoneA");
    let mut ben = phone(&hub, "phoneB");
    let m = next_of(&mut ana, "map");
    next_of(&mut ben, "map");
    host.set_brainstorm(true).unwrap();
    host.step(&mut host_ed).unwrap();
    map_until(&mut ana, |m| m["brainstorm"] == true);
    map_until(&mut ben, |m| m["brainstorm"] == true);
    let (stage, lane) = (
        m["stages"][0]["id"].as_u64().unwrap(),
        m["lanes"][0]["id"].as_u64().unwrap(),
    );
    send(
        &mut ana,
        &json!({"type": "add", "stage": stage, "lane": lane, "text": "Ana's secret"}),
    );
    let id = next_of(&mut ana, "added")["card"].as_u64().unwrap();
    let mine = map_until(&mut ana, |m| card(m, id).is_some());
    assert_eq!(card(&mine, id).unwrap()["mine"], true);
    // The hub keeps it; nobody else is shown it.
    assert!(
        hub.document()
            .cards
            .iter()
            .any(|c| c.text == "Ana's secret")
    );
    send(&mut ben, &json!({"type": "name", "name": "Ben"}));
    step_until(
        &mut host,
        &mut host_ed,
        "the facilitator counts it",
        |l, _| l.brainstorm() == Some((1, 1)),
    );
    // The laptop's copy holds it (every replica converges), and does not show it.
    step_until(
        &mut laptop,
        &mut laptop_ed,
        "the laptop's copy holds it",
        |l, _| {
            l.replica()
                .loro()
                .get_map("cards")
                .get(&id.to_string())
                .is_some()
        },
    );
    assert!(
        laptop_ed
            .doc()
            .cards
            .iter()
            .all(|c| c.text != "Ana's secret")
    );
    assert!(host_ed.doc().cards.iter().all(|c| c.text != "Ana's secret"));
    let theirs = next_of(&mut ben, "map");
    assert!(
        card(&theirs, id).is_none(),
        "Ben's phone was shown Ana's card"
    );
    // Revealed: Ben's phone and the laptop show it.
    host.set_brainstorm(false).unwrap();
    host.step(&mut host_ed).unwrap();
    let m = map_until(&mut ben, |m| card(m, id).is_some());
    assert_eq!(m["brainstorm"], false);
    assert_eq!(card(&m, id).unwrap()["mine"], false);
    step_until(
        &mut laptop,
        &mut laptop_ed,
        "the laptop shows it",
        |_, e| e.doc().cards.iter().any(|c| c.text == "Ana's secret"),
    );
    step_until(
        &mut host,
        &mut host_ed,
        "the facilitator shows it",
        |_, e| e.doc().cards.iter().any(|c| c.text == "Ana's secret"),
    );
}

#[test]
fn the_facilitator_sees_phones_by_name_and_removes_one() {
    let hub = hub();
    let (mut host, doc) = Live::join(&hub.host_url(), Duration::from_secs(10)).unwrap();
    let mut ed = Live::editor(doc);
    let mut p = phone(&hub, "phoneN");
    next_of(&mut p, "map");
    // Named by what the hub knows, not by what the phone claims.
    send(&mut p, &json!({"type": "name", "name": "Nadia\u{7}"}));
    step_until(&mut host, &mut ed, "the facilitator lists Nadia", |l, _| {
        l.others()
            .any(|o| o.name == "Nadia" && o.id == "phone-phoneN")
    });
    host.remove("phone-phoneN");
    host.step(&mut ed).unwrap();
    let e = next_of(&mut p, "error");
    assert!(e["error"].as_str().unwrap().contains("removed you"), "{e}");
    step_until(
        &mut host,
        &mut ed,
        "the facilitator no longer lists her",
        |l, _| l.others().all(|o| o.id != "phone-phoneN"),
    );
    // She cannot come back with the same phone.
    let url = format!(
        "ws://{}/phone?token={}&client=phoneN",
        hub.addr(),
        hub.token()
    );
    let again = tokio_tungstenite::tungstenite::connect(url).unwrap_err();
    assert!(again.to_string().contains("403"), "{again}");
}
