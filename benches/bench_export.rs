//! Export benchmarks: the real `journeymap export` command on synthetic maps (as
//! `examples/generate.rs` writes them), wall time per run (median) and peak resident memory
//! (the largest of the runs), and a check that big PNGs are complete.
//!
//! ```text
//! cargo bench --bench bench_export [-- --quick]
//! ```

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use journeymap::model::synthetic_map;

/// The release build of the app, built by `cargo bench` beside this benchmark.
fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_journeymap"))
}

struct Run {
    seconds: f64,
    peak_mb: f64,
    summary: String,
}

fn run(bin: &Path, input: &Path, output: &Path, args: &[&str]) -> Run {
    let start = Instant::now();
    let out = Command::new(bin)
        .arg("export")
        .arg(input)
        .arg(output)
        .args(args)
        .env("JOURNEYMAP_REPORT_PEAK", "1")
        .output()
        .expect("run journeymap");
    let seconds = start.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{}", stderr);
    let peak_kb: f64 = stderr
        .lines()
        .find_map(|l| l.strip_prefix("peak-rss-kb: "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(f64::NAN);
    Run {
        seconds,
        peak_mb: peak_kb / 1024.0,
        summary: String::from_utf8_lossy(&out.stdout).trim().to_string(),
    }
}

/// Every card of the map is drawn in the PNG: the pixel just inside each card's left edge
/// (clear of its outline, marks and text) has the card's fill, not the background (no blank or cut bands). The PNG is read row by
/// row, so even a gigapixel image is checked in little memory.
fn check_png_complete(
    doc: &journeymap::model::Document,
    png_path: &Path,
    width_px: Option<u32>,
    scale: f32,
) {
    let meta = journeymap::render::ExportMeta {
        file_name: String::new(),
        date: String::new(),
    };
    let scene = journeymap::export::scene_of(doc, journeymap::theme::ThemeKind::Light, &meta);
    let view = scene.list.bounds;
    let scale = width_px.map_or(scale, |w| w as f32 / view.width());
    // Pixel row → (column, expected colour) of each card's probe.
    let mut probes: std::collections::HashMap<u32, Vec<(u32, [u8; 4])>> =
        std::collections::HashMap::new();
    let mut cards = 0;
    let card_rects = scene
        .list
        .parts
        .iter()
        .filter(|p| matches!(p.element, journeymap::render::Element::Card(_)))
        .filter_map(|p| p.items.first());
    for (bounds, item) in card_rects {
        if let journeymap::render::Item::Rect { fill, .. } = item {
            cards += 1;
            let x = ((bounds.min.x + 6.5 - view.min.x) * scale) as u32;
            let y = ((bounds.center().y - view.min.y) * scale) as u32;
            probes.entry(y).or_default().push((x, fill.0));
        }
    }
    let file = std::io::BufReader::new(std::fs::File::open(png_path).expect("open png"));
    let mut reader = png::Decoder::new(file).read_info().expect("png header");
    let (w, h) = (reader.info().width, reader.info().height);
    let mut found = 0;
    let mut y = 0;
    while let Some(row) = reader.next_row().expect("png row") {
        if let Some(ps) = probes.get(&y) {
            for (x, fill) in ps {
                let i = (*x).min(w - 1) as usize * 3;
                let d = (0..3)
                    .map(|c| row.data()[i + c].abs_diff(fill[c]))
                    .max()
                    .unwrap_or(0);
                if d <= 40 {
                    found += 1;
                }
            }
        }
        y += 1;
    }
    println!("    check: {w} × {h} px, {found} of {cards} cards drawn");
    assert_eq!(found, cards, "cards missing from {}", png_path.display());
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let bin = binary();
    let dir = std::env::temp_dir().join(format!("journeymap-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    println!("journeymap export, wall time per run (median) and peak resident memory (max)");
    for cards in [1_000usize, 10_000] {
        let doc = synthetic_map(50, cards, 1);
        let input = dir.join(format!("map-{cards}.json"));
        journeymap::io::save_atomic(&input, &doc).expect("write map");
        let runs = if quick || cards > 1_000 { 3 } else { 7 };
        let cases: Vec<(&str, &str, Vec<&str>)> = vec![
            ("SVG", "svg", vec![]),
            ("PNG 3840 px wide", "png", vec!["--width", "3840"]),
            ("PNG ×1", "png", vec!["--scale", "1"]),
            ("PNG ×3", "png", vec!["--scale", "3"]),
            ("PDF (map page)", "pdf", vec![]),
        ];
        println!("{cards} cards, 50 stages:");
        for (label, ext, args) in cases {
            let output = dir.join(format!("out-{cards}.{ext}"));
            let mut times = Vec::new();
            let mut peak: f64 = 0.0;
            let mut summary = String::new();
            if cards > 1_000 && args == ["--scale", "3"] {
                // Over the pixel cap: check that it is refused, quickly and with the message.
                let out = Command::new(&bin)
                    .arg("export")
                    .arg(&input)
                    .arg(&output)
                    .args(&args)
                    .output()
                    .expect("run journeymap");
                let msg = String::from_utf8_lossy(&out.stderr);
                assert_eq!(out.status.code(), Some(1));
                println!("  {label:<18} refused: {}", msg.trim());
                continue;
            }
            for _ in 0..runs {
                let r = run(&bin, &input, &output, &args);
                times.push(r.seconds);
                peak = peak.max(r.peak_mb);
                summary = r.summary;
            }
            times.sort_by(f64::total_cmp);
            let median = times[times.len() / 2];
            let size = summary.split(": ").nth(1).unwrap_or("");
            println!(
                "  {label:<18} {:>8.1} ms  {:>6.0} MB peak   ({size})",
                median * 1000.0,
                peak
            );
            if ext == "png" {
                let width = args
                    .iter()
                    .position(|a| *a == "--width")
                    .and_then(|i| args[i + 1].parse().ok());
                let scale = if args.contains(&"3") { 3.0 } else { 1.0 };
                check_png_complete(&doc, &output, width, scale);
            }
        }
    }
    // The journey's depth: 1,000 cards with 200 links and 3 curves, as a 3840 px PNG.
    let doc = journeymap::model::synthetic_deep(50, 1_000, 200, 1);
    let input = dir.join("deep-1000.json");
    journeymap::io::save_atomic(&input, &doc).expect("write map");
    let output = dir.join("deep-1000.png");
    let mut times = Vec::new();
    let mut peak: f64 = 0.0;
    for _ in 0..if quick { 3 } else { 7 } {
        let r = run(&bin, &input, &output, &["--width", "3840"]);
        times.push(r.seconds);
        peak = peak.max(r.peak_mb);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "1000 cards, 200 links, 3 curves: PNG 3840 px wide {:>8.1} ms  {:>6.0} MB peak",
        times[times.len() / 2] * 1000.0,
        peak
    );
    check_png_complete(&doc, &output, Some(3840), 1.0);
    let _ = std::fs::remove_dir_all(&dir);
}
