//! Benchmarks of live co-editing, printed as median / p95 (no pass or fail: numbers for the
//! README):
//!
//! ```text
//! cargo run --release --example bench_collab
//! ```
//!
//! - edit-to-visible: a card's text set on laptop A, until laptop B's editor shows it, over a
//!   real hub on loopback (both clients stepping as their frames would);
//! - a laptop joining a 10,000-card map: from connecting to having the map to edit;
//! - applying one remote change to a 10,000-card map (import + ops into the editor);
//! - the `.loro` sidecar's size against the map's JSON at 10,000 cards.

use std::time::{Duration, Instant};

use journeymap::edit::{CardField, Editor, Op, Origin};
use journeymap::hub::Hub;
use journeymap::hub::live::Live;
use journeymap::model::{sample_map, synthetic_map};
use journeymap::sync::Replica;
use journeymap::sync::peer::{pull_remote, push_local};

#[path = "common/stats.rs"]
mod stats;
use stats::stats;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let any = "127.0.0.1:0".parse()?;
    // Edit to visible, two laptops on loopback.
    let hub = Hub::start(&sample_map(), any, None)?;
    let url = hub.join_url("127.0.0.1");
    let (mut la, da) = Live::join(&url, Duration::from_secs(10))?;
    let (mut lb, db) = Live::join(&url, Duration::from_secs(10))?;
    let (mut ea, mut eb) = (Live::editor(da), Live::editor(db));
    let id = ea.doc().cards[0].id;
    let mut times = Vec::new();
    for i in 0..300 {
        let text = format!("edit {i}");
        let t = Instant::now();
        ea.apply_ops(
            Origin::Local,
            vec![Op::SetCard(id, CardField::Text(text.clone()))],
        )?;
        la.step(&mut ea)?;
        while eb.doc().card(id).is_none_or(|c| c.text != text) {
            lb.step(&mut eb)?;
            std::thread::yield_now();
        }
        times.push(t.elapsed());
    }
    let (m, p) = stats(times);
    println!("edit to visible on another laptop (loopback): {m:.3} / {p:.3} ms");

    // A phone's card to the host's canvas (A is the host's canvas here).
    let (mut phone, _) = tokio_tungstenite::tungstenite::connect(format!(
        "ws://{}/phone?token={}&client=bench",
        hub.addr(),
        hub.token()
    ))?;
    let stage = ea.doc().stages[1].id.0;
    let lane = ea.doc().lanes[0].id.0;
    let mut times = Vec::new();
    for i in 0..100 {
        let text = format!("phone card {i}");
        let msg = serde_json::json!({"type": "add", "stage": stage, "lane": lane, "text": text});
        let t = Instant::now();
        phone.send(tokio_tungstenite::tungstenite::Message::Text(
            msg.to_string().into(),
        ))?;
        while !ea.doc().cards.iter().any(|c| c.text == text) {
            la.step(&mut ea)?;
            std::thread::yield_now();
        }
        times.push(t.elapsed());
        // Read what the hub sent the phone meanwhile (its own map), so its queue stays short.
        if let tokio_tungstenite::tungstenite::stream::MaybeTlsStream::Plain(s) = phone.get_mut() {
            s.set_nonblocking(true)?;
        }
        while phone.read().is_ok() {}
        if let tokio_tungstenite::tungstenite::stream::MaybeTlsStream::Plain(s) = phone.get_mut() {
            s.set_nonblocking(false)?;
        }
    }
    let (m, p) = stats(times);
    println!("a phone's card on the host's canvas (loopback): {m:.3} / {p:.3} ms");
    drop((la, lb));
    hub.stop();

    // Joining a 10k-card map.
    let big = synthetic_map(40, 10_000, 7);
    let hub = Hub::start(&big, any, None)?;
    let url = hub.join_url("127.0.0.1");
    let mut times = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let (_l, doc) = Live::join(&url, Duration::from_secs(30))?;
        let _e = Live::editor(doc);
        times.push(t.elapsed());
    }
    let (m, p) = stats(times);
    println!("a laptop joins a 10,000-card map: {m:.1} / {p:.1} ms");
    hub.stop();

    // One remote change applied at 10k cards.
    let mut a = Replica::from_document(&big, 1)?;
    let mut b = Replica::from_bytes(&a.snapshot()?, 2)?;
    let mut ea = Editor::new(a.document());
    let mut eb = Editor::new(b.document());
    ea.record_done(true);
    eb.record_done(true);
    let ids: Vec<_> = ea.doc().cards.iter().map(|c| c.id).collect();
    let mut times = Vec::new();
    for (i, id) in ids.iter().take(500).enumerate() {
        ea.apply_ops(
            Origin::Local,
            vec![Op::SetCard(*id, CardField::Text(format!("r{i}")))],
        )?;
        push_local(&mut ea, &mut a)?;
        let u = a.updates_since(&b.version())?;
        let t = Instant::now();
        b.import(&u)?;
        pull_remote(&mut eb, &mut b)?;
        times.push(t.elapsed());
    }
    let (m, p) = stats(times);
    println!("a remote change applied at 10,000 cards: {m:.3} / {p:.3} ms");
    let json = journeymap::io::to_json_string(eb.doc()).len();
    let sidecar = b.snapshot()?.len();
    println!(
        "sidecar at 10,000 cards: {:.2} MB = {:.2}x the JSON ({:.2} MB)",
        sidecar as f64 / 1e6,
        sidecar as f64 / json as f64,
        json as f64 / 1e6
    );
    Ok(())
}
