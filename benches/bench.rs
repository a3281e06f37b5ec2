//! Benchmarks, printed as median and p95 (no pass/fail: numbers for the README):
//!
//! ```text
//! cargo bench --bench bench            # all
//! cargo bench --bench bench -- --quick # fewer samples
//! cargo bench --bench bench -- --depth # only the links-and-curves map
//! cargo bench --bench bench -- --scripts # only text that needs shaping
//! cargo bench --bench bench -- --reader  # only frames with a screen reader reading
//! ```
//!
//! Frame time is the CPU time (of this thread) of one full editor frame, headless:
//! `Context::run_ui` with the real app UI at 1920×1080, then `tessellate`. Maps come from `model::synthetic_map`, as
//! `examples/generate.rs` writes them.

use std::time::{Duration, Instant};

use egui::{Event, Pos2, RawInput, Rect};
use journeymap::model::{Document, synthetic_map};
use journeymap::ui::{App, Viewport};

#[path = "common/stats.rs"]
mod stats;
use stats::stats;

struct Frames {
    ctx: egui::Context,
    app: App,
    time: f64,
}

impl Frames {
    fn new(doc: Document) -> Self {
        let ctx = egui::Context::default();
        let app = App::headless(&ctx, doc);
        Self {
            ctx,
            app,
            time: 0.0,
        }
    }

    /// The view at 1:1, near the map's top left.
    fn one_to_one(&mut self) {
        self.app.set_viewport(Viewport {
            offset: egui::vec2(10.0, 10.0),
            zoom: 1.0,
        });
    }

    fn frame(&mut self, events: Vec<Event>) -> Duration {
        self.frame_focused(events, true).0
    }

    /// One frame with the window focused or not; CPU time of this thread and wall time.
    fn frame_focused(&mut self, events: Vec<Event>, focused: bool) -> (Duration, Duration) {
        self.time += 1.0 / 60.0;
        let input = RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, egui::vec2(1920.0, 1080.0))),
            events,
            time: Some(self.time),
            focused,
            ..RawInput::default()
        };
        let wall = Instant::now();
        let start = cpu_time::ThreadTime::now();
        let app = &mut self.app;
        let out = self.ctx.run_ui(input, |ui| app.frame_ui(ui));
        let prims = self.ctx.tessellate(out.shapes, out.pixels_per_point);
        let d = start.elapsed();
        let w = wall.elapsed();
        std::hint::black_box(prims);
        (d, w)
    }

    fn measure(&mut self, n: usize, mut events: impl FnMut() -> Vec<Event>) -> (f64, f64) {
        for _ in 0..5 {
            self.frame(events());
        }
        stats((0..n).map(|_| self.frame(events())).collect())
    }
}

/// Frames of a 10,000-card map while it is autosaved: each frame applies an edit, and every
/// tenth frame the window loses focus, which snapshots the map for the background writer.
fn autosave_frames(doc: &Document, n: usize) {
    let dir =
        std::env::temp_dir().join(format!("journeymap-bench-recovery-{}", std::process::id()));
    let ctx = egui::Context::default();
    let app = App::headless_with_recovery(&ctx, doc.clone(), dir.clone());
    let mut f = Frames {
        ctx,
        app,
        time: 0.0,
    };
    f.frame(Vec::new());
    let mut cpu = Vec::new();
    let mut wall = Vec::new();
    let mut saves = 0;
    for k in 0..n * 2 + 10 {
        let mut card = journeymap::model::Card::clone(&doc.cards[(k * 53) % doc.cards.len()]);
        card.text = format!("{} (autosave {k})", card.text);
        f.app
            .queue_command(journeymap::edit::Command::UpdateCard(card));
        let focused = k % 10 != 9;
        if !focused {
            saves += 1;
        }
        let (c, w) = f.frame_focused(Vec::new(), focused);
        if k >= 10 {
            cpu.push(c);
            wall.push(w);
        }
    }
    f.app.wait_for_autosave();
    let p99 = |mut v: Vec<Duration>| {
        v.sort();
        v[((v.len() as f64 * 0.99).ceil() as usize).min(v.len()) - 1].as_secs_f64() * 1000.0
    };
    let (cm, _) = stats(cpu.clone());
    let (wm, _) = stats(wall.clone());
    println!(
        "10,000 cards, an edit every frame and an autosave every 10th ({saves} autosaves): CPU {cm:.2} ms median, {:.2} ms p99; wall {wm:.2} ms median, {:.2} ms p99",
        p99(cpu),
        p99(wall)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The journey's depth at scale: 10,000 cards, 2,000 links, 3 curves, with the canvas at
/// 1:1, fitted, dragging a linked card (its links and causes highlighted, the ghost and drop
/// marker following the pointer), and the frame after an edit of a linked card.
fn depth(n: usize) {
    let links: usize = std::env::var("BENCH_LINKS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2_000);
    let doc = journeymap::model::synthetic_deep(50, 10_000, links, 1);
    let mut f = Frames::new(doc.clone());
    f.frame(Vec::new());
    f.app.set_viewport(Viewport {
        offset: egui::vec2(10.0, 10.0),
        zoom: 1.0,
    });
    f.frame(Vec::new());
    let one = f.measure(n, Vec::new);
    f.app.request_fit();
    let fit = f.measure(n, Vec::new);
    f.app.set_viewport(Viewport {
        offset: egui::vec2(10.0, 10.0),
        zoom: 1.0,
    });
    f.frame(Vec::new());
    // A linked card on screen: the first link's start.
    let linked = doc.links[0].from;
    f.app.begin_card_drag(linked);
    let mut x = 400.0;
    let drag = f.measure(n, || {
        x = if x > 900.0 { 400.0 } else { x + 7.0 };
        vec![Event::PointerMoved(Pos2::new(x, 500.0))]
    });
    let mut e = Frames::new(doc.clone());
    e.frame(Vec::new());
    e.app.set_viewport(Viewport {
        offset: egui::vec2(10.0, 10.0),
        zoom: 1.0,
    });
    let mut times = Vec::with_capacity(n);
    for k in 0..n + 5 {
        let id = doc.links[k % doc.links.len()].from;
        let mut card = journeymap::model::Card::clone(doc.card(id).unwrap_or(&doc.cards[0]));
        card.text = format!("{} (edited {k})", card.text);
        e.app
            .queue_command(journeymap::edit::Command::UpdateCard(card));
        let d = e.frame(Vec::new());
        if k >= 5 {
            times.push(d);
        }
    }
    let edit = stats(times);
    let fmt = |(m, p): (f64, f64)| format!("{m:.2} / {p:.2}");
    println!();
    println!(
        "10,000 cards, 2,000 links, 3 curves: 1:1 {}, fit {}, dragging a linked card {}, after an edit of a linked card {}",
        fmt(one),
        fmt(fit),
        fmt(drag),
        fmt(edit)
    );
}

/// Text that needs shaping: 1,000 cards in Arabic, Hebrew, Hindi and Thai (and 10,000 for
/// the first frame): the first frame (every card wrapped, as shaped), frames at 1:1 (each
/// visible line a texture, made once) and frames while zooming (textures at 9 % steps).
fn scripts(n: usize) {
    const TEXTS: [&str; 4] = [
        "\u{64a}\u{628}\u{62d}\u{62b} \u{641}\u{64a} \u{627}\u{644}\u{623}\u{633}\u{626}\u{644}\u{629} \u{627}\u{644}\u{634}\u{627}\u{626}\u{639}\u{629} \u{62b}\u{645} \u{64a}\u{62c}\u{631}\u{628} \u{627}\u{644}\u{631}\u{648}\u{628}\u{648}\u{62a} 30",
        "\u{5d7}\u{5d5}\u{5ea}\u{5dd} \u{5e2}\u{5dc} \u{5d4}\u{5d7}\u{5d5}\u{5d6}\u{5d4} \u{5d1}\u{5d0}\u{5d9}\u{5e0}\u{5d8}\u{5e8}\u{5e0}\u{5d8} CSAT 4.5",
        "\u{938}\u{939}\u{93e}\u{92f}\u{924}\u{93e} \u{915}\u{94b} \u{92b}\u{93c}\u{94b}\u{928} \u{915}\u{930}\u{924}\u{93e} \u{939}\u{948} \u{914}\u{930} 30 \u{92e}\u{93f}\u{928}\u{91f}",
        "\u{e44}\u{e14}\u{e49}\u{e23}\u{e31}\u{e1a}\u{e40}\u{e07}\u{e34}\u{e19}\u{e04}\u{e37}\u{e19}\u{e1a}\u{e32}\u{e07}\u{e2a}\u{e48}\u{e27}\u{e19}",
    ];
    let with_scripts = |cards: usize| {
        let mut doc = synthetic_map(50, cards, 1);
        for i in 0..doc.cards.len() {
            TEXTS[i % TEXTS.len()].clone_into(&mut doc.card_at_mut(i).text);
        }
        doc
    };
    let first_frame = |doc: &Document| {
        stats(
            (0..if n > 50 { 11 } else { 5 })
                .map(|_| {
                    let mut f = Frames::new(doc.clone());
                    f.frame(Vec::new())
                })
                .collect(),
        )
    };
    let first = first_frame(&with_scripts(10_000));
    let latin = first_frame(&synthetic_map(50, 10_000, 1));
    let mut f = Frames::new(with_scripts(1_000));
    f.frame(Vec::new());
    f.one_to_one();
    let one = f.measure(n, Vec::new);
    let mut zooming = Vec::with_capacity(n);
    for i in 0..n {
        f.app.set_viewport(Viewport {
            offset: egui::vec2(10.0, 10.0),
            zoom: 0.8 + 0.6 * ((i as f32) * 0.05).sin().abs(),
        });
        zooming.push(f.frame(Vec::new()));
    }
    let zooming = stats(zooming);
    println!(
        "Arabic, Hebrew, Hindi, Thai: first frame of 10,000 cards (all wrapped as shaped) {:.1} / {:.1} ms (Latin {:.1} / {:.1} ms); 1,000 cards at 1:1 {:.2} / {:.2} ms; zooming {:.2} / {:.2} ms",
        first.0, first.1, latin.0, latin.1, one.0, one.1, zooming.0, zooming.1
    );
}

/// Frames while a screen reader reads the tree (AccessKit on): every card on screen a node,
/// and up to 2,000 off screen.
fn reader(n: usize) {
    let mut f = Frames::new(synthetic_map(50, 10_000, 1));
    f.ctx.enable_accesskit();
    f.frame(Vec::new());
    f.one_to_one();
    let one = f.measure(n, Vec::new);
    f.app.request_fit();
    let fit = f.measure(n, Vec::new);
    println!(
        "10,000 cards with a screen reader reading the tree: 1:1 {:.2} / {:.2} ms, fit {:.2} / {:.2} ms",
        one.0, one.1, fit.0, fit.1
    );
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let n = if quick { 30 } else { 200 };
    if std::env::args().any(|a| a == "--depth") {
        depth(n);
        return;
    }
    if std::env::args().any(|a| a == "--scripts") {
        scripts(n);
        return;
    }
    if std::env::args().any(|a| a == "--reader") {
        reader(n);
        return;
    }
    println!("Journeymap benchmarks ({n} frames each; CPU ms per frame: median / p95)");
    println!(
        "{:<10} {:>16} {:>16} {:>16} {:>16} {:>16} {:>16}",
        "cards", "1:1", "fit", "20 %", "dragging", "typing", "after an edit"
    );
    for cards in [100, 1_000, 10_000] {
        let doc = synthetic_map(50, cards, 1);
        let mut f = Frames::new(doc.clone());
        f.frame(Vec::new());
        f.one_to_one();
        let one = f.measure(n, Vec::new);
        f.app.request_fit();
        let fit = f.measure(n, Vec::new);
        // Zoomed out to 20 %: text is too small to read (the overview drawing, with text bars).
        f.app.set_viewport(Viewport {
            offset: egui::vec2(10.0, 10.0),
            zoom: 0.2,
        });
        let fifth = f.measure(n, Vec::new);
        f.app.set_viewport(Viewport {
            offset: egui::vec2(10.0, 10.0),
            zoom: 1.0,
        });
        f.frame(Vec::new());
        f.app.begin_card_drag(doc.cards[0].id);
        let drag = f.measure(n, Vec::new);
        let mut t = Frames::new(doc.clone());
        t.frame(Vec::new());
        t.app.set_viewport(Viewport {
            offset: egui::vec2(10.0, 10.0),
            zoom: 1.0,
        });
        t.frame(Vec::new());
        t.app.begin_typing(doc.cards[0].id, &doc.cards[0].text);
        let typing = t.measure(n, || vec![Event::Text("x".into())]);
        // The frame in which a committed edit of one card's text is applied: the command
        // (with its undo snapshot), then only the edited cell laid out again and the lanes
        // below it moved, then the frame drawn.
        let mut e = Frames::new(doc.clone());
        e.frame(Vec::new());
        e.app.set_viewport(Viewport {
            offset: egui::vec2(10.0, 10.0),
            zoom: 1.0,
        });
        let mut times = Vec::with_capacity(n);
        for k in 0..n + 5 {
            let mut card = journeymap::model::Card::clone(&doc.cards[(k * 37) % doc.cards.len()]);
            card.text = format!("{} (edited {k})", card.text);
            e.app
                .queue_command(journeymap::edit::Command::UpdateCard(card));
            let d = e.frame(Vec::new());
            if k >= 5 {
                times.push(d);
            }
        }
        let edit = stats(times);
        let fmt = |(m, p): (f64, f64)| format!("{m:.2} / {p:.2}");
        println!(
            "{cards:<10} {:>16} {:>16} {:>16} {:>16} {:>16} {:>16}",
            fmt(one),
            fmt(fit),
            fmt(fifth),
            fmt(drag),
            fmt(typing),
            fmt(edit)
        );
    }

    depth(n);
    scripts(n);
    reader(n);

    let doc = synthetic_map(50, 10_000, 1);
    autosave_frames(&doc, n);
    let text = journeymap::io::to_json_string(&doc);
    let reps = if quick { 5 } else { 21 };
    let open = stats(
        (0..reps)
            .map(|_| {
                let s = Instant::now();
                std::hint::black_box(journeymap::io::from_json_str(&text, "bench.json").ok());
                s.elapsed()
            })
            .collect(),
    );
    let dir = std::env::temp_dir().join(format!("journeymap-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let plain = dir.join("plain.json");
    let atomic = dir.join("atomic.json");
    let save = stats(
        (0..reps)
            .map(|_| {
                let s = Instant::now();
                let t = journeymap::io::to_json_string(&doc);
                let _ = std::fs::write(&plain, t.as_bytes());
                s.elapsed()
            })
            .collect(),
    );
    let save_fsync = stats(
        (0..reps)
            .map(|_| {
                let s = Instant::now();
                let _ = journeymap::io::save_atomic(&atomic, &doc);
                s.elapsed()
            })
            .collect(),
    );
    let _ = std::fs::remove_dir_all(&dir);
    println!();
    println!(
        "10,000 cards, {} bytes ({:.0} bytes per card)",
        text.len(),
        text.len() as f64 / 10_000.0
    );
    println!("open (parse + validate): {:.2} / {:.2} ms", open.0, open.1);
    println!(
        "save (serialise + write, no fsync): {:.2} / {:.2} ms",
        save.0, save.1
    );
    println!(
        "save atomic (temp file + fsync + rename): {:.2} / {:.2} ms",
        save_fsync.0, save_fsync.1
    );
}
