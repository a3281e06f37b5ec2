//! The room code: traded for the token at a hub's address, found on the local network
//! (loopback here), guessed wrong too often → refused for a minute; `journeymap serve`
//! prints it and saves on Ctrl+C; a session resumed from a file older than its history keeps
//! the history.

use std::time::{Duration, Instant};

use journeymap::edit::{CardField, Op, Origin};
use journeymap::hub::Hub;
use journeymap::hub::code::{self, resolve};
use journeymap::hub::live::Live;
use journeymap::model::sample_map;

use super::{loopback, until};

/// A UDP port nothing listens on now.
fn free_udp_port() -> u16 {
    std::net::UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn a_laptop_joins_with_the_room_code_alone_or_with_the_address() {
    let hub = Hub::start(&sample_map(), loopback(), None).unwrap();
    let port = free_udp_port();
    hub.answer_room_code(port).unwrap();
    let shown = code::shown(&hub.room_code());
    assert_eq!(shown.len(), 7, "{shown}");

    // The code alone, typed in lower case: found on the network.
    let url = resolve(&shown.to_lowercase(), port, Duration::from_secs(5)).unwrap();
    assert!(
        url.ends_with(&format!(":{}/?token={}", hub.addr().port(), hub.token())),
        "{url}"
    );
    let (live, doc) = Live::join(&url, Duration::from_secs(10)).unwrap();
    // The address and the code: traded at that hub.
    let typed = format!("{} {shown}", hub.addr());
    let url2 = resolve(&typed, port, Duration::from_secs(5)).unwrap();
    assert_eq!(url2, hub.join_url("127.0.0.1"));
    let (live2, doc2) = Live::join(&url2, Duration::from_secs(10)).unwrap();
    let mut peers = vec![(live, Live::editor(doc)), (live2, Live::editor(doc2))];
    let id = peers[0].1.doc().cards[0].id;
    peers[0]
        .1
        .apply_ops(
            Origin::Local,
            vec![Op::SetCard(id, CardField::Text("by code".into()))],
        )
        .unwrap();
    until(&mut peers, "the other laptop sees it", |p| {
        p[1].1.doc().card(id).is_some_and(|c| c.text == "by code")
    });

    // A code no hub has: nobody answers, and the sentence says what to do.
    let other = if hub.room_code() == "222222" {
        "333333"
    } else {
        "222222"
    };
    let e = resolve(other, port, Duration::from_millis(400)).unwrap_err();
    assert!(
        e.to_string()
            .contains("no workshop on this network answered"),
        "{e}"
    );
}

#[test]
fn wrong_room_codes_are_refused_and_a_guesser_is_stopped() {
    let hub = Hub::start(&sample_map(), loopback(), None).unwrap();
    let right = hub.room_code();
    let wrong: Vec<String> = ["222222", "333333"]
        .iter()
        .map(|s| (*s).to_string())
        .filter(|c| *c != right)
        .collect();
    let at = |c: &str| resolve(&format!("{} {c}", hub.addr()), 9, Duration::from_secs(5));
    let e = at(&wrong[0]).unwrap_err();
    assert!(
        e.to_string().contains("not this workshop's room code"),
        "{e}"
    );
    for _ in 1..code::MAX_WRONG {
        assert!(at(&wrong[0]).is_err());
    }
    // The guesser is stopped: for the rest of the minute no code is taken, not even the
    // right one; the address with its token still works.
    let e = at(&right).unwrap_err();
    assert!(e.to_string().contains("too many wrong room codes"), "{e}");
    Live::join(&hub.join_url("127.0.0.1"), Duration::from_secs(10)).unwrap();
}

#[test]
fn serve_prints_the_room_code_and_saves_on_ctrl_c() {
    let (dir, path, mut child, mut lines) = super::serve_sample();
    let mut url = None;
    let mut room = None;
    for l in lines.by_ref().map_while(Result::ok) {
        if let Some(u) = l.strip_prefix("Join: ") {
            url = Some(u.to_string());
        }
        if let Some(c) = l.strip_prefix("Room code: ") {
            room = c.split_whitespace().next().map(str::to_string);
            break;
        }
    }
    let url = url.expect("serve prints the join address");
    let room = room.expect("serve prints the room code");
    assert_eq!(
        code::read(&room).map(|c| code::shown(&c)),
        Some(room.clone())
    );
    let (a, doc_a) = Live::join(&url, Duration::from_secs(10)).unwrap();
    let (b, doc_b) = Live::join(&url, Duration::from_secs(10)).unwrap();
    let mut peers = vec![(a, Live::editor(doc_a)), (b, Live::editor(doc_b))];
    let id = peers[0].1.doc().cards[0].id;
    peers[0]
        .1
        .apply_ops(
            Origin::Local,
            vec![Op::SetCard(
                id,
                CardField::Text("just before Ctrl+C".into()),
            )],
        )
        .unwrap();
    until(&mut peers, "the hub passed it on", |p| {
        p[1].1
            .doc()
            .card(id)
            .is_some_and(|c| c.text == "just before Ctrl+C")
    });
    // Stopped at once, well within the 2 s between saves: the edit is on disk anyway.
    let stopped = Instant::now();
    // The shell's own `kill` (no procps needed).
    let sent = std::process::Command::new("sh")
        .args(["-c", &format!("kill -INT {}", child.id())])
        .status()
        .unwrap();
    assert!(sent.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "exits as a Ctrl+C'd process does");
    assert!(stopped.elapsed() < Duration::from_secs(5));
    let (saved, _) = journeymap::io::load(&path).unwrap();
    assert_eq!(saved.card(id).unwrap().text, "just before Ctrl+C");
    let sidecar = dir.path().join("map.json.loro");
    assert!(
        sidecar.exists(),
        "the session's history is kept beside the map"
    );
}

#[test]
fn a_session_resumed_from_an_older_file_keeps_what_the_room_added() {
    // Hosting from the window: the hub keeps the history; the map file is the facilitator's
    // to save, and she did not save after the laptop's card (her app crashed).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("map.json");
    journeymap::io::save_atomic(&path, &sample_map()).unwrap();
    let files = journeymap::hub::Files {
        json: None,
        ..journeymap::hub::Files::beside(path.clone())
    };
    let hub = Hub::start(&sample_map(), loopback(), Some(files.clone())).unwrap();
    let mut peers = vec![super::join(&hub)];
    let id = peers[0].1.doc().cards[0].id;
    peers[0]
        .1
        .apply_ops(
            Origin::Local,
            vec![Op::SetCard(
                id,
                CardField::Text("only in the history".into()),
            )],
        )
        .unwrap();
    until(&mut peers, "the hub has the edit", |_| {
        hub.document()
            .card(id)
            .is_some_and(|c| c.text == "only in the history")
    });
    drop(peers);
    hub.stop();
    // Hosting again from the (older) file keeps the room's edit.
    let (old, _) = journeymap::io::load(&path).unwrap();
    assert_ne!(old.card(id).unwrap().text, "only in the history");
    let hub = Hub::start(&old, loopback(), Some(files.clone())).unwrap();
    assert_eq!(hub.document().card(id).unwrap().text, "only in the history");
    // Once the facilitator saves, a change made to the file by hand afterwards wins.
    let saved = hub.document();
    journeymap::io::save_atomic(&path, &saved).unwrap();
    hub.note_saved(&saved);
    hub.stop();
    let mut by_hand = saved.clone();
    by_hand.title = "Retitled by hand".into();
    let hub = Hub::start(&by_hand, loopback(), Some(files)).unwrap();
    let d = hub.document();
    assert_eq!(d.title, "Retitled by hand");
    assert_eq!(d.card(id).unwrap().text, "only in the history");
}
