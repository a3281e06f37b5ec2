//! Benchmarks of data in and out, printed as median and p95 (numbers for the README):
//!
//! ```text
//! cargo bench --bench bench_data
//! ```
//!
//! - Mermaid import of a 1,000-task journey (20 sections);
//! - CSV import of a 10,000-row table (50 stages, 7 lanes, metrics), and its export;
//! - driver analysis of 10,000 respondents × 40 touchpoints: reading the survey, the point
//!   estimates (correlations, relative weights, betas), and the bootstrap of 1,000 replicates
//!   on every core (as the app runs it, off the UI thread).
//!
//! The inputs are generated here with a fixed seed.
#![allow(
    clippy::unwrap_used,
    reason = "a benchmark stops loudly on bad input it made itself"
)]

use std::fmt::Write as _;
use std::time::Instant;

use journeymap::drivers;
use journeymap::model::{Card, CardId, LaneKind, synthetic_map};

#[path = "common/stats.rs"]
mod stats;
use stats::stats;

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, f64) {
    let mut v = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        std::hint::black_box(f());
        v.push(t.elapsed());
    }
    stats(v)
}

/// The crate's seeded generator (as the bootstrap uses), with a uniform and a near-normal draw.
struct Rng(rand_xorshift::XorShiftRng);
impl Rng {
    fn unit(&mut self) -> f64 {
        use rand_core::Rng as _;
        (self.0.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f64 {
        // Irwin–Hall: close enough to normal for test data.
        (0..12).map(|_| self.unit()).sum::<f64>() - 6.0
    }
}

fn mermaid_journey(tasks: usize) -> String {
    let mut s = String::from("journey\n    title A long journey\n");
    for t in 0..tasks {
        if t % 50 == 0 {
            let _ = writeln!(s, "    section Stage {}", t / 50 + 1);
        }
        let _ = writeln!(
            s,
            "      Task number {t} with a few words: {}: Customer, Agent {}",
            t % 5 + 1,
            t % 7
        );
    }
    s
}

/// A library of 500 maps (the five example maps, a hundred times each: 23–46 cards) in ten
/// folders: opened the first time (every map read), again from the cache, and searched.
fn library() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let examples: Vec<_> = [
        "surprise-bill",
        "missed-parcel",
        "onboarding",
        "service-blueprint",
        "support-call",
    ]
    .iter()
    .map(|n| {
        let p = format!(
            "{}/examples/{n}.journeymap.json",
            env!("CARGO_MANIFEST_DIR")
        );
        journeymap::io::load(std::path::Path::new(&p)).unwrap().0
    })
    .collect();
    for i in 0..500u64 {
        let mut d = examples[(i % 5) as usize].clone();
        d.title = format!("{} {i}", d.title);
        let sub = dir.path().join(format!("team{}", i % 10));
        std::fs::create_dir_all(&sub).unwrap();
        journeymap::io::save_atomic(&sub.join(format!("map{i}.journeymap.json")), &d).unwrap();
    }
    let first = |c: &std::path::Path| {
        let _ = std::fs::remove_dir_all(c);
        journeymap::library::Library::open(dir.path(), Some(c), &|_, _| {})
    };
    let (m, p) = time(5, || first(cache.path()));
    let lib = first(cache.path());
    println!(
        "library of {} maps, first open (every map read): {m:.0} / {p:.0} ms",
        lib.entries.len()
    );
    let (m, p) = time(10, || {
        journeymap::library::Library::open(dir.path(), Some(cache.path()), &|_, _| {})
    });
    println!("library of 500 maps, from the cache: {m:.0} / {p:.0} ms");
    let cards: usize = lib.entries.iter().map(|e| e.cards).sum();
    for q in [
        "fee",
        "owner:billing severity:>=2",
        "metric:CSAT<3",
        "call channel:phone",
    ] {
        let query = journeymap::library::search::Query::parse(q).unwrap();
        let (m, p) = time(20, || lib.search(&query).len());
        println!(
            "search across 500 maps ({cards} cards) for `{q}` ({} hits): {m:.2} / {p:.2} ms",
            lib.search(&query).len()
        );
    }
}

fn main() {
    library();
    let text = mermaid_journey(1_000);
    let (m, p) = time(50, || {
        journeymap::io::mermaid::import(&text, "bench.mmd").unwrap()
    });
    println!(
        "Mermaid import, 1,000 tasks in 20 sections ({} KB): {m:.2} / {p:.2} ms",
        text.len() / 1024
    );

    let map = synthetic_map(50, 10_000, 7);
    let table = String::from_utf8(journeymap::io::table::export(&map)).unwrap();
    let rows = table.lines().count() - 1;
    let (m, p) = time(20, || {
        journeymap::io::table::import(&table, "bench.csv").unwrap()
    });
    println!(
        "CSV import, {rows} rows ({} KB): {m:.2} / {p:.2} ms",
        table.len() / 1024
    );
    let (m, p) = time(20, || journeymap::io::table::export(&map));
    println!("CSV export of the same map: {m:.2} / {p:.2} ms");
    // The size that took 112 s when every cell scanned every card: 1,000 stages, 199 card
    // lanes, 100,000 cards.
    let mut wide = synthetic_map(1_000, 100_000, 9);
    let kind = wide.lanes[0].kind;
    let mut id = wide.unused_id();
    while wide.lanes.iter().filter(|l| l.kind.holds_cards()).count() < 199 {
        let mut lane = wide.lanes[0].clone();
        lane.id = journeymap::model::LaneId(id);
        lane.kind = kind;
        lane.name = format!("Lane {id}");
        lane.pos = String::new();
        id += 1;
        wide.lanes.push(lane);
    }
    wide.normalize();
    let (m, p) = time(3, || journeymap::io::table::export(&wide));
    println!("CSV export, 1,000 stages x 199 card lanes x 100,000 cards: {m:.0} / {p:.0} ms");

    // Two versions of a 10,000-card map: every 50th card edited, every 100th removed, 100
    // added; and the same map with every id changed (matched by stage, lane and text).
    let mut newer = map.clone();
    for i in (0..newer.cards.len()).step_by(50) {
        newer.card_at_mut(i).owner = format!("Owner {i}");
    }
    let gone: Vec<_> = newer.cards.iter().step_by(100).map(|c| c.id).collect();
    newer.cards.retain(|c| !gone.contains(&c.id));
    for i in 0..100u64 {
        let mut c = (*newer.cards[0]).clone();
        c.id = journeymap::model::CardId(9_000_000 + i);
        c.text = format!("New card {i}");
        newer.cards.push(std::sync::Arc::new(c));
    }
    newer.normalize();
    let (m, p) = time(20, || journeymap::compare::maps(&map, &newer));
    let n = journeymap::compare::maps(&map, &newer).changes.len();
    println!("diff of two 10,000-card maps ({n} changes): {m:.2} / {p:.2} ms");
    // Three-way: ours as above; theirs edits every 70th card's text (some of ours' owners
    // too: a card edited on both sides in different fields), removes every 90th card
    // (some of them ours edited: marked) and adds 100.
    let mut theirs = map.clone();
    for i in (0..theirs.cards.len()).step_by(70) {
        theirs.card_at_mut(i).text = format!("Reworded {i}");
    }
    let gone: Vec<_> = theirs.cards.iter().step_by(90).map(|c| c.id).collect();
    theirs.cards.retain(|c| !gone.contains(&c.id));
    for i in 0..100u64 {
        let mut c = (*theirs.cards[0]).clone();
        c.id = journeymap::model::CardId(9_500_000 + i);
        c.text = format!("Their card {i}");
        theirs.cards.push(std::sync::Arc::new(c));
    }
    theirs.normalize();
    let (m, p) = time(20, || journeymap::compare::merge(&map, &newer, &theirs));
    let merged = journeymap::compare::merge(&map, &newer, &theirs);
    println!(
        "three-way merge of 10,000-card maps ({} cards after, {} conflicts): {m:.2} / {p:.2} ms",
        merged.doc.cards.len(),
        merged.new_conflicts
    );
    let mut reided = map.clone();
    for i in 0..reided.cards.len() {
        reided.card_at_mut(i).id.0 += 5_000_000;
    }
    reided.links.clear();
    let mut plain = map.clone();
    plain.links.clear();
    let (m, p) = time(20, || journeymap::compare::maps(&plain, &reided));
    let n = journeymap::compare::maps(&plain, &reided).changes.len();
    println!(
        "diff of a 10,000-card map with itself, every card id changed ({n} changes): {m:.2} / {p:.2} ms"
    );

    // A map with 40 touchpoints and a survey of 10,000 respondents: correlated scores
    // (a shared mood), overall from a known weighting plus noise, 2 % blanks.
    let mut doc = journeymap::model::new_map();
    let stage = doc.stages[0].id;
    let lane = doc
        .lanes
        .iter()
        .find(|l| l.kind == LaneKind::Touchpoints)
        .unwrap()
        .id;
    let k = 40;
    let mut ids = journeymap::model::IdGen::from(doc.unused_id());
    for j in 0..k {
        let id = CardId(ids.next_id());
        doc.cards.push(std::sync::Arc::new(Card::new(
            id,
            stage,
            lane,
            format!("Touchpoint {j}"),
        )));
    }
    doc.normalize();
    let mut rng = Rng(<rand_xorshift::XorShiftRng as rand_core::SeedableRng>::seed_from_u64(7));
    let mut csv = String::from("id");
    for j in 0..k {
        let _ = write!(csv, ",Touchpoint {j}");
    }
    csv.push_str(",overall\n");
    for r in 0..10_000 {
        let mood = rng.normal();
        let _ = write!(csv, "{r}");
        let mut overall = 5.0;
        for j in 0..k {
            let v = (3.0 + 0.6 * mood + rng.normal()).round().clamp(1.0, 5.0);
            overall += (f64::from(j) + 1.0) / f64::from(k) * 0.2 * (v - 3.0);
            if rng.unit() < 0.02 {
                csv.push(',');
            } else {
                let _ = write!(csv, ",{v}");
            }
        }
        let _ = writeln!(
            csv,
            ",{}",
            (overall + rng.normal()).round().clamp(0.0, 10.0)
        );
    }
    let (m, p) = time(10, || {
        drivers::prepare(&doc, &csv, "survey.csv", "overall").unwrap()
    });
    println!(
        "Survey read, 10,000 respondents × 40 touchpoints ({} KB): {m:.1} / {p:.1} ms",
        csv.len() / 1024
    );
    let prepared = drivers::prepare(&doc, &csv, "survey.csv", "overall").unwrap();
    let (m, p) = time(20, || drivers::fit(&prepared).unwrap());
    let fit = drivers::fit(&prepared).unwrap();
    println!(
        "Point estimates (n = {} complete, R² = {:.3}): {m:.2} / {p:.2} ms",
        fit.n, fit.r2
    );
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let (m, p) = time(3, || {
        drivers::bootstrap(
            &prepared,
            1_000,
            drivers::DEFAULT_SEED,
            threads,
            &drivers::Progress::default(),
        )
    });
    println!(
        "Bootstrap, 1,000 replicates on {threads} threads: {:.2} / {:.2} s",
        m / 1000.0,
        p / 1000.0
    );
}
