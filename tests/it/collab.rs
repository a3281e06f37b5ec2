//! Live co-editing over a real WebSocket hub on loopback: real clients join, edit, drop off
//! and come back; strangers and bad messages are refused without harming the session.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly; allow-unwrap-in-tests covers only #[test] bodies"
)]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use journeymap::edit::{CardField, Editor, Op, Origin, random::RandomOps};
use journeymap::hub::live::Live;
use journeymap::hub::{Hub, proto};
use journeymap::model::sample_map;

mod code;

mod roles;

fn loopback() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

fn join(hub: &Hub) -> (Live, Editor) {
    let (live, doc) = Live::join(&hub.join_url("127.0.0.1"), Duration::from_secs(10)).unwrap();
    (live, Live::editor(doc))
}

/// Steps every peer until `done` holds (or fails after 10 s).
fn until(peers: &mut [(Live, Editor)], what: &str, done: impl Fn(&[(Live, Editor)]) -> bool) {
    let end = Instant::now() + Duration::from_secs(10);
    loop {
        for (l, e) in peers.iter_mut() {
            l.step(e).unwrap();
        }
        if done(peers) {
            return;
        }
        assert!(Instant::now() < end, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn json(e: &Editor) -> String {
    serde_json::to_string(e.doc()).unwrap()
}

#[test]
fn an_edit_on_one_laptop_shows_on_the_other() {
    let hub = Hub::start(&sample_map(), loopback(), None).unwrap();
    let mut peers = vec![join(&hub), join(&hub)];
    let id = peers[0].1.doc().cards[0].id;
    peers[0]
        .1
        .apply_ops(
            Origin::Local,
            vec![Op::SetCard(id, CardField::Text("From A".into()))],
        )
        .unwrap();
    until(&mut peers, "B sees A's text", |p| {
        p[1].1.doc().card(id).is_some_and(|c| c.text == "From A")
    });
    // B's undo has none of A's edit; A's has.
    assert!(!peers[1].1.can_undo());
    assert!(peers[0].1.can_undo());
    assert_eq!(json(&peers[0].1), json(&peers[1].1));
    assert_eq!(hub.document().card(id).unwrap().text, "From A");
}

#[test]
fn five_laptops_with_random_edits_converge() {
    let hub = Hub::start(&sample_map(), loopback(), None).unwrap();
    let mut peers: Vec<_> = (0..5).map(|_| join(&hub)).collect();
    let mut gens: Vec<RandomOps> = (0..5).map(|i| RandomOps::new(1000 + i)).collect();
    for round in 0..40 {
        for (i, (l, e)) in peers.iter_mut().enumerate() {
            let op = gens[i].op(e.doc());
            let _ = e.apply_ops(Origin::Local, vec![op]);
            if round % 7 == i {
                e.undo();
            }
            l.step(e).unwrap();
        }
    }
    until(&mut peers, "all five have the hub's map", |p| {
        p.iter()
            .all(|(_, e)| json(e) == serde_json::to_string(&hub.document()).unwrap())
    });
    for (_, e) in &peers {
        e.doc().validate().unwrap();
    }
}

#[test]
fn a_laptop_that_drops_off_keeps_its_edits_and_catches_up() {
    let path = tempfile::tempdir().unwrap();
    let files = journeymap::hub::Files::beside(path.path().join("map.json"));
    // A private map: its sidecar must not be readable by others either.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let json = files.json.as_ref().unwrap();
        journeymap::io::save_atomic(json, &sample_map()).unwrap();
        std::fs::set_permissions(json, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let hub = Hub::start(&sample_map(), loopback(), Some(files.clone())).unwrap();
    let addr = hub.addr();
    let mut peers = vec![join(&hub), join(&hub)];
    let id = peers[0].1.doc().cards[1].id;
    // The hub goes away (a crash, the Wi-Fi): A goes on editing.
    hub.stop();
    peers[0]
        .1
        .apply_ops(
            Origin::Local,
            vec![Op::SetCard(id, CardField::Owner("Offline team".into()))],
        )
        .unwrap();
    for _ in 0..20 {
        let (l, e) = &mut peers[0];
        l.step(e).unwrap();
        std::thread::sleep(Duration::from_millis(10));
    }
    // It comes back on the same port, resuming from its sidecar.
    let hub = loop {
        match Hub::start(&sample_map(), addr, Some(files.clone())) {
            Ok(h) => break h,
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    };
    until(&mut peers, "B gets A's offline edit", |p| {
        p[1].1
            .doc()
            .card(id)
            .is_some_and(|c| c.owner == "Offline team")
    });
    assert_eq!(hub.document().card(id).unwrap().owner, "Offline team");
    drop(hub);
    // The hub wrote the map file.
    let (saved, _) = journeymap::io::load(files.json.as_ref().unwrap()).unwrap();
    assert_eq!(saved.card(id).unwrap().owner, "Offline team");
    assert!(files.sidecar.exists());
    // The token that lets a restarted hub keep its address is the owner's alone.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&files.token)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "token file mode {mode:o}");
        let mode = std::fs::metadata(&files.sidecar)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o777,
            0o600,
            "sidecar of a private map: mode {mode:o}"
        );
        let json = files.json.as_ref().unwrap();
        let mode = std::fs::metadata(json).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the map keeps its mode: {mode:o}");
    }
}

/// A raw WebSocket client, for what a well-behaved one never sends.
fn raw(
    url: &str,
) -> Result<
    tokio_tungstenite::tungstenite::WebSocket<
        tokio_tungstenite::tungstenite::stream::MaybeTlsStream<std::net::TcpStream>,
    >,
    String,
> {
    tokio_tungstenite::tungstenite::connect(url)
        .map(|(ws, _)| ws)
        .map_err(|e| e.to_string())
}

fn ws_url(hub: &Hub, token: &str) -> String {
    format!("ws://{}/ws?token={token}", hub.addr())
}

#[test]
fn strangers_without_the_token_are_refused() {
    let hub = Hub::start(&sample_map(), loopback(), None).unwrap();
    let no_token = raw(&format!("ws://{}/ws", hub.addr())).unwrap_err();
    assert!(no_token.contains("403"), "{no_token}");
    let wrong = raw(&ws_url(&hub, "0123456789abcdef0123456789abcdef")).unwrap_err();
    assert!(wrong.contains("403"), "{wrong}");
    assert!(hub.token().len() >= 32, "a token of at least 128 bits");
}

#[test]
fn bad_messages_get_an_error_and_the_hub_serves_the_others() {
    use tokio_tungstenite::tungstenite::Message;
    let hub = Hub::start(&sample_map(), loopback(), None).unwrap();
    let mut peers = vec![join(&hub), join(&hub)];
    let mut bad = raw(&ws_url(&hub, hub.token())).unwrap();
    let mut error_for = |msg: Message| -> String {
        bad.send(msg).unwrap();
        loop {
            match bad.read().unwrap() {
                Message::Text(t) => return t.to_string(),
                Message::Binary(_) | Message::Ping(_) | Message::Pong(_) => {}
                m => panic!("expected an error, got {m:?}"),
            }
        }
    };
    let e = error_for(Message::Binary(vec![proto::UPDATE, 1, 2, 3, 4].into()));
    assert!(e.contains("cannot be read"), "{e}");
    let e = error_for(Message::Binary(vec![99, 1].into()));
    assert!(e.contains("unknown kind"), "{e}");
    let e = error_for(Message::Binary(vec![proto::HELLO, 0xff, 0xff].into()));
    assert!(e.contains("hello"), "{e}");
    let e = error_for(Message::Text("{\"op\": \"delete everything\"}".into()));
    assert!(e.contains("not part of this protocol"), "{e}");
    // Over 1 MB: the hub closes that connection.
    let big = vec![proto::UPDATE; proto::MAX_MESSAGE + 10];
    let _ = bad.send(Message::Binary(big.into()));
    let closed = (0..10).any(|_| bad.read().is_err());
    assert!(closed, "a message over 1 MB closes the connection");
    // The others still edit together.
    let id = peers[0].1.doc().cards[2].id;
    peers[0]
        .1
        .apply_ops(
            Origin::Local,
            vec![Op::SetCard(id, CardField::Note("still here".into()))],
        )
        .unwrap();
    until(&mut peers, "B sees A's note after the bad client", |p| {
        p[1].1
            .doc()
            .card(id)
            .is_some_and(|c| c.note == "still here")
    });
}

#[test]
fn a_flood_of_connections_does_not_take_the_hub_down() {
    let hub = Hub::start(&sample_map(), loopback(), None).unwrap();
    // A thousand connections held open, made as fast as they go: when the hub's accept queue
    // is full for a moment, that attempt is given up after 300 ms instead of waiting a second
    // for the kernel to send its SYN again (one in ~300 here). Far more than the hub serves.
    let mut held = Vec::new();
    for _ in 0..1000 {
        if let Ok(s) = std::net::TcpStream::connect_timeout(&hub.addr(), Duration::from_millis(300))
        {
            held.push(s);
        }
    }
    assert!(
        held.len() > 2 * journeymap::hub::MAX_CLIENTS,
        "{} connections held",
        held.len()
    );
    // Plus tokenless upgrade attempts.
    for _ in 0..50 {
        let _ = raw(&format!("ws://{}/ws", hub.addr()));
    }
    let mut peers = vec![join(&hub), join(&hub)];
    let id = peers[0].1.doc().cards[0].id;
    peers[0]
        .1
        .apply_ops(
            Origin::Local,
            vec![Op::SetCard(id, CardField::Text("through the flood".into()))],
        )
        .unwrap();
    until(&mut peers, "B sees A's edit during a flood", |p| {
        p[1].1
            .doc()
            .card(id)
            .is_some_and(|c| c.text == "through the flood")
    });
    drop(held);
}

/// `journeymap serve` on a sample map in a temporary folder, on loopback: the folder, the
/// map's path, the process and its output lines.
fn serve_sample() -> (
    tempfile::TempDir,
    std::path::PathBuf,
    std::process::Child,
    std::io::Lines<std::io::BufReader<std::process::ChildStdout>>,
) {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("map.json");
    journeymap::io::save_atomic(&path, &sample_map()).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_journeymap"))
        .args(["serve", path.to_str().unwrap()])
        .args(["--port", "0", "--bind", "127.0.0.1"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    (dir, path, child, lines)
}

#[test]
fn journeymap_serve_runs_a_hub_that_saves_the_map() {
    let (_dir, path, mut child, mut lines) = serve_sample();
    let url = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| l.strip_prefix("Join: ").map(str::to_string))
        .expect("serve prints the join address");
    let (live, doc) = Live::join(&url, Duration::from_secs(10)).unwrap();
    let mut peers = [(live, Live::editor(doc))];
    let id = peers[0].1.doc().cards[0].id;
    peers[0]
        .1
        .apply_ops(
            Origin::Local,
            vec![Op::SetCard(id, CardField::Text("Saved by the hub".into()))],
        )
        .unwrap();
    let end = Instant::now() + Duration::from_secs(15);
    let saved = loop {
        let (l, e) = &mut peers[0];
        l.step(e).unwrap();
        let on_disk = journeymap::io::load(&path).ok();
        if let Some((d, _)) = on_disk
            && d.card(id).is_some_and(|c| c.text == "Saved by the hub")
        {
            break true;
        }
        if Instant::now() > end {
            break false;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let _ = child.kill();
    let _ = child.wait();
    assert!(saved, "the hub wrote the edit into the map file");
}

#[test]
fn each_laptop_sees_who_else_is_there_and_what_they_selected() {
    let hub = Hub::start(&sample_map(), loopback(), None).unwrap();
    let mut peers = vec![join(&hub), join(&hub)];
    let card = peers[0].1.doc().cards[4].id.0;
    peers[0].0.set_presence("Ana", vec![card], None);
    until(&mut peers, "B sees Ana's selection", |p| {
        p[1].0
            .others()
            .any(|o| o.name == "Ana" && o.cards == [card])
    });
    // A third joins later and still learns who is there.
    let mut late = vec![join(&hub)];
    until(&mut late, "the late laptop sees Ana", |p| {
        p[0].0.others().any(|o| o.name == "Ana")
    });
    // Ana leaves: she is gone from the others' canvases.
    let ana = peers.remove(0);
    drop(ana);
    until(&mut peers, "B no longer shows Ana", |p| {
        p[0].0.others().all(|o| o.name != "Ana")
    });
}

#[test]
fn the_facilitator_locks_the_map_and_ends_the_session() {
    let hub = Hub::start(&sample_map(), loopback(), None).unwrap();
    let (host, doc) = Live::join(&hub.host_url(), Duration::from_secs(10)).unwrap();
    let mut peers = vec![(host, Live::editor(doc)), join(&hub)];
    // Someone else cannot lock it.
    peers[1].0.set_locked(true);
    until(&mut peers, "the laptop is told it may not lock", |p| {
        p[1].0
            .refused
            .as_deref()
            .is_some_and(|r| r.contains("only the facilitator"))
    });
    assert!(!peers[1].0.locked);
    peers[0].0.set_locked(true);
    until(&mut peers, "the laptop hears the map is locked", |p| {
        p[1].0.locked
    });
    // A change sent anyway (a client that ignores the lock) is refused, not taken.
    let id = peers[1].1.doc().cards[0].id;
    peers[1]
        .1
        .apply_ops(
            Origin::Local,
            vec![Op::SetCard(id, CardField::Text("sneaked in".into()))],
        )
        .unwrap();
    peers[1].0.refused = None;
    until(&mut peers, "the change is refused", |p| {
        p[1].0
            .refused
            .as_deref()
            .is_some_and(|r| r.contains("locked"))
    });
    assert_ne!(hub.document().card(id).unwrap().text, "sneaked in");
    // The facilitator still edits.
    peers[0]
        .1
        .apply_ops(
            Origin::Local,
            vec![Op::SetCard(id, CardField::Owner("Facilitation".into()))],
        )
        .unwrap();
    until(
        &mut peers,
        "the facilitator's edit is taken while locked",
        |_| {
            hub.document()
                .card(id)
                .is_some_and(|c| c.owner == "Facilitation")
        },
    );
    // Unlocked: everyone edits again.
    peers[0].0.set_locked(false);
    until(&mut peers, "the laptop hears it is unlocked", |p| {
        !p[1].0.locked
    });
    // The end: every laptop is told, and keeps its copy.
    peers[0].0.end_session();
    until(&mut peers, "the laptop hears the session ended", |p| {
        p[1].0.ended.is_some()
    });
    assert!(peers[1].1.doc().card(id).is_some());
}

#[test]
fn a_dot_voting_round_ends_with_the_counts_saved_on_the_cards() {
    let hub = Hub::start(&sample_map(), loopback(), None).unwrap();
    let (host, doc) = Live::join(&hub.host_url(), Duration::from_secs(10)).unwrap();
    let mut peers = vec![(host, Live::editor(doc)), join(&hub)];
    peers[0].0.open_vote(2, Vec::new()).unwrap();
    until(&mut peers, "the laptop sees the round", |p| {
        p[1].0.vote().is_some()
    });
    let (a, b) = (
        peers[0].1.doc().cards[0].id.0,
        peers[0].1.doc().cards[1].id.0,
    );
    let doc = peers[1].1.doc().clone();
    peers[1].0.cast(&doc, a, true).unwrap();
    peers[1].0.cast(&doc, a, true).unwrap();
    let e = peers[1].0.cast(&doc, b, true).unwrap_err();
    assert!(e.contains("dots are used"), "{e}");
    let doc = peers[0].1.doc().clone();
    peers[0].0.cast(&doc, b, true).unwrap();
    until(&mut peers, "both see three dots", |p| {
        p.iter().all(|(l, _)| {
            l.vote()
                .is_some_and(|(_, t)| t.ranked() == vec![(a, 2), (b, 1)])
        })
    });
    let (l, e) = &mut peers[0];
    l.close_vote(e).unwrap();
    let votes = |e: &Editor, id: u64| {
        e.doc().card(journeymap::model::CardId(id)).and_then(|c| {
            c.metrics
                .iter()
                .find(|m| m.name == "Dot votes")
                .map(|m| m.value)
        })
    };
    until(
        &mut peers,
        "the counts are on the laptop's cards and the round is over",
        |p| {
            votes(&p[1].1, a) == Some(2.0)
                && votes(&p[1].1, b) == Some(1.0)
                && p[1].0.vote().is_none()
        },
    );
    let saved = hub.document();
    assert!(saved.cards.iter().any(|c| {
        c.id.0 == a
            && c.metrics
                .iter()
                .any(|m| m.name == "Dot votes" && (m.value - 2.0).abs() < 1e-9)
    }));
}

#[test]
fn a_resumed_session_keeps_what_was_changed_in_the_file_since() {
    let dir = tempfile::tempdir().unwrap();
    let files = journeymap::hub::Files::beside(dir.path().join("map.json"));
    let hub = Hub::start(&sample_map(), loopback(), Some(files.clone())).unwrap();
    let mut peers = vec![join(&hub)];
    let id = peers[0].1.doc().cards[0].id;
    peers[0]
        .1
        .apply_ops(
            Origin::Local,
            vec![Op::SetCard(id, CardField::Owner("In the session".into()))],
        )
        .unwrap();
    until(&mut peers, "the hub has the edit", |_| {
        hub.document()
            .card(id)
            .is_some_and(|c| c.owner == "In the session")
    });
    drop(peers);
    hub.stop();
    // Between sessions someone edits the file by hand; the sidecar still holds the old state.
    let (mut doc, _) = journeymap::io::load(files.json.as_ref().unwrap()).unwrap();
    assert_eq!(doc.card(id).unwrap().owner, "In the session");
    let mut c = (*doc.cards[0]).clone();
    c.text = "Edited in the file".into();
    doc.cards[0] = std::sync::Arc::new(c);
    let hub = Hub::start(&doc, loopback(), Some(files)).unwrap();
    let card = hub.document().card(id).unwrap().clone();
    assert_eq!(card.text, "Edited in the file");
    assert_eq!(card.owner, "In the session");
    // And a laptop joining gets that.
    let mut peers = vec![join(&hub)];
    until(&mut peers, "the laptop has the file's text", |p| {
        p[0].1
            .doc()
            .card(id)
            .is_some_and(|c| c.text == "Edited in the file")
    });
}

#[test]
fn a_laptop_is_woken_when_someone_elses_edit_arrives() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let hub = Hub::start(&sample_map(), loopback(), None).unwrap();
    let (a, mut ea) = join(&hub);
    let (b, _eb) = join(&hub);
    let woke = Arc::new(AtomicUsize::new(0));
    let w = Arc::clone(&woke);
    b.wake_with(Arc::new(move || {
        w.fetch_add(1, Ordering::SeqCst);
    }));
    let before = woke.load(Ordering::SeqCst);
    let id = ea.doc().cards[0].id;
    ea.apply_ops(
        Origin::Local,
        vec![Op::SetCard(id, CardField::Text("wake up".into()))],
    )
    .unwrap();
    let mut a = a;
    a.step(&mut ea).unwrap();
    // B's window is idle (nobody steps it): the connection wakes it.
    let end = Instant::now() + Duration::from_secs(10);
    while woke.load(Ordering::SeqCst) == before {
        assert!(Instant::now() < end, "B was never woken");
        std::thread::sleep(Duration::from_millis(5));
    }
}
