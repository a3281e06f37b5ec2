//! Benchmarks of live co-editing, printed as median / p95 (no pass or fail: numbers for the
//! README):
//!
//! ```text
//! cargo bench --bench bench_collab
//! ```
//!
//! - edit-to-visible: a card's text set on laptop A, until laptop B's editor shows it, over a
//!   real hub on loopback (both clients stepping as their frames would);
//! - a laptop joining a 10,000-card map: from connecting to having the map to edit;
//! - applying one remote change to a 10,000-card map (import + ops into the editor), and a
//!   change that brings back a stage with its cards (the wide pass);
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
use stats::{rss, stats};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // First, while nothing freed is there to be reused.
    replica_memory()?;
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
    // The wide pass: a stage and its cards come back (someone undid removing it), so every
    // card that may show again is found (from the index, without reading the document back)
    // and only those records are read.
    let mut times = Vec::new();
    for i in 0..10 {
        let stage = ea.doc().stages[i * 3].id;
        ea.apply_ops(Origin::Local, vec![Op::RemoveStage(stage)])?;
        push_local(&mut ea, &mut a)?;
        b.import(&a.updates_since(&b.version())?)?;
        pull_remote(&mut eb, &mut b)?;
        assert!(eb.doc().stage(stage).is_none());
        ea.undo();
        push_local(&mut ea, &mut a)?;
        let u = a.updates_since(&b.version())?;
        let t = Instant::now();
        b.import(&u)?;
        pull_remote(&mut eb, &mut b)?;
        times.push(t.elapsed());
        assert_eq!(
            eb.doc().cards.len(),
            ea.doc().cards.len(),
            "the stage came back whole"
        );
    }
    let (m, p) = stats(times);
    println!("a stage and its 250 cards come back at 10,000 cards (wide pass): {m:.2} / {p:.2} ms");
    // The true full comparison (every record read back): only when hosting starts, and in
    // the tests as a check.
    let mut times = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let (ops, _) = b.all_ops(eb.doc());
        times.push(t.elapsed());
        assert!(ops.is_empty(), "in step: {} ops", ops.len());
    }
    let (m, p) = stats(times);
    println!("every record compared at 10,000 cards (hosting starts): {m:.1} / {p:.1} ms");
    let json = journeymap::io::to_json_string(eb.doc()).len();
    let sidecar = b.snapshot()?.len();
    println!(
        "sidecar at 10,000 cards: {:.2} MB = {:.2}x the JSON ({:.2} MB)",
        sidecar as f64 / 1e6,
        sidecar as f64 / json as f64,
        json as f64 / 1e6
    );

    hub_cpu()?;
    Ok(())
}

/// CPU ticks (user + system) of a process, from /proc (Linux).
fn cpu_ticks(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1.split_whitespace().collect::<Vec<_>>();
            Some(rest.get(11)?.parse::<u64>().ok()? + rest.get(12)?.parse::<u64>().ok()?)
        })
        .unwrap_or(0)
}

/// 30 laptops at one edit a second each against `journeymap serve` in its own process: the
/// hub's share of one core.
fn hub_cpu() -> Result<(), Box<dyn std::error::Error>> {
    use std::io::BufRead;
    let dir = std::env::temp_dir().join(format!("jm-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("map.json");
    journeymap::io::save_atomic(&path, &sample_map())?;
    let exe = env!("CARGO_BIN_EXE_journeymap");
    let mut child = std::process::Command::new(exe)
        .args([
            "serve",
            path.to_str().ok_or("path")?,
            "--port",
            "0",
            "--bind",
            "127.0.0.1",
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()?;
    let out = child.stdout.take().ok_or("no stdout")?;
    let url = std::io::BufReader::new(out)
        .lines()
        .map_while(Result::ok)
        .find_map(|l| l.strip_prefix("Join: ").map(str::to_string))
        .ok_or("no join address")?;
    let mut peers = Vec::new();
    for _ in 0..30 {
        let (l, d) = Live::join(&url, Duration::from_secs(10))?;
        peers.push((l, Live::editor(d)));
    }
    let secs = 10;
    let start_ticks = cpu_ticks(child.id());
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < Duration::from_secs(secs) {
        // Each second, every laptop makes one edit (spread over the second).
        for (i, (l, e)) in peers.iter_mut().enumerate() {
            let due = Duration::from_millis(n * 1000 + (i as u64) * 1000 / 30);
            if start.elapsed() >= due {
                let id = e.doc().cards[i % e.doc().cards.len()].id;
                e.apply_ops(
                    Origin::Local,
                    vec![Op::SetCard(id, CardField::Note(format!("{n}-{i}")))],
                )?;
            }
            l.step(e)?;
        }
        if start.elapsed() >= Duration::from_millis((n + 1) * 1000) {
            n += 1;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let used = cpu_ticks(child.id()) - start_ticks;
    let elapsed = start.elapsed().as_secs_f64();
    let ticks_per_sec = 100.0; // USER_HZ on Linux
    println!(
        "hub with 30 laptops at 1 edit/s each: {:.1} % of one core",
        used as f64 / ticks_per_sec / elapsed * 100.0
    );
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(dir);
    Ok(())
}

/// A replica and its editor after 50,000 local field ops (as a busy workshop makes).
fn replica_memory() -> Result<(), Box<dyn std::error::Error>> {
    let map = sample_map();
    let before = rss();
    let mut r = Replica::from_document(&map, 9)?;
    let mut e = Editor::new(r.document());
    e.record_done(true);
    let ids: Vec<_> = e.doc().cards.iter().map(|c| c.id).collect();
    for i in 0..50_000usize {
        let id = ids[i % ids.len()];
        e.apply_ops(
            Origin::Local,
            vec![Op::SetCard(id, CardField::Note(format!("note {i}")))],
        )?;
        push_local(&mut e, &mut r)?;
    }
    let after = rss();
    println!(
        "a replica and its editor after 50,000 ops: {:.1} MB more resident memory (snapshot {:.2} MB)",
        (after.saturating_sub(before)) as f64 / 1e6,
        r.snapshot()?.len() as f64 / 1e6
    );
    Ok(())
}
