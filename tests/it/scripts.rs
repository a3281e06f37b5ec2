//! Text in other scripts: Chinese, Japanese and Korean are drawn from the bundled fallback
//! face on the canvas (the test harness stops at any missing glyph) and in every export
//! (different characters give different pixels, as boxes would not; the PDF embeds the face;
//! the SVG embeds it only when needed), and the canvas and the export wrap a CJK card at the
//! same places.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly; allow-unwrap-in-tests covers only #[test] bodies"
)]

use std::path::{Path, PathBuf};

use journeymap::model::{CardId, Document};

use crate::common;

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/surprise-bill.journeymap.json"
);

/// A long Chinese card, a Japanese one with Latin and brackets, a Korean one.
const TEXTS: [(&str, &str); 3] = [
    (
        "Bill differs from the advertised price",
        "账单与广告价格不符：多了一笔四十九欧元的开通费，客户完全没有想到。",
    ),
    (
        "FAQ has no entry for the fee",
        "FAQ に「手数料」の説明がない。サポートに電話するしかない。",
    ),
    ("Opens the first bill", "첫 번째 청구서를 엽니다"),
];

/// The sample with `texts` in place of some cards' texts; the ids of those cards.
fn with_texts(path: &Path, texts: &[(&str, &str)]) -> Vec<CardId> {
    let mut doc: Document = journeymap::io::load(Path::new(SAMPLE)).unwrap().0;
    let mut ids = Vec::new();
    for (old, new) in texts {
        let i = doc.cards.iter().position(|c| c.text == *old).unwrap();
        (*new).clone_into(&mut doc.card_at_mut(i).text);
        ids.push(doc.cards[i].id);
    }
    journeymap::io::save_atomic(path, &doc).unwrap();
    ids
}

fn export(map: &Path, out: &Path) {
    let o = common::bin()
        .args(["export", map.to_str().unwrap(), out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// The texts of a card's lines in an exported SVG (its group's `<text>` elements).
fn svg_card_lines(svg: &str, id: CardId) -> Vec<String> {
    let start = svg.find(&format!("id=\"card-{}\"", id.0)).unwrap();
    let group = &svg[start..start + svg[start..].find("</g>").unwrap()];
    group
        .split("<text")
        .skip(1)
        .map(|t| {
            let body = &t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()];
            body.replace("&amp;", "&")
        })
        .collect()
}

#[test]
fn cjk_cards_draw_on_the_canvas_and_wrap_as_in_the_export() {
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("cjk.journeymap.json");
    let ids = with_texts(&map, &TEXTS);
    // The harness panics at a character no installed font has: the canvas draws them all.
    let mut h = common::harness(Some(map.clone()));
    h.run_steps(4);
    let svg_path = dir.path().join("cjk.svg");
    export(&map, &svg_path);
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    for id in ids {
        let canvas: Vec<String> = h
            .state()
            .layout()
            .card(id)
            .unwrap()
            .lines
            .iter()
            .map(|l| l.text.to_string())
            .collect();
        let exported = svg_card_lines(&svg, id);
        assert!(
            exported.ends_with(&canvas),
            "canvas {canvas:?} vs export {exported:?}"
        );
        let text = &h.state().doc().card(id).unwrap().text;
        if text.starts_with('账') {
            assert!(canvas.len() >= 2, "the long card wraps: {canvas:?}");
        }
        assert_eq!(canvas.concat().replace(' ', ""), text.replace(' ', ""));
    }
}

#[test]
fn cjk_text_is_drawn_in_png_svg_and_pdf_not_as_boxes() {
    let dir = tempfile::tempdir().unwrap();
    let path = |n: &str| -> PathBuf { dir.path().join(n) };
    // Two maps that differ only in which characters one card has: boxes would look alike.
    let card = "Opens the first bill";
    with_texts(&path("a.journeymap.json"), &[(card, "東京駅前")]);
    with_texts(&path("b.journeymap.json"), &[(card, "大阪城前")]);
    for m in ["a", "b"] {
        export(
            &path(&format!("{m}.journeymap.json")),
            &path(&format!("{m}.png")),
        );
    }
    let a = common::rgb::Rgb::open(&path("a.png")).unwrap();
    let b = common::rgb::Rgb::open(&path("b.png")).unwrap();
    assert_eq!(a.dimensions(), b.dimensions(), "same layout");
    let differ = a.pixels().zip(b.pixels()).filter(|(x, y)| x != y).count();
    assert!(
        differ > 100,
        "only {differ} pixels differ: the glyphs are boxes"
    );

    // SVG: the fallback face is embedded when (and only when) the map needs it.
    export(&path("a.journeymap.json"), &path("a.svg"));
    let svg = std::fs::read_to_string(path("a.svg")).unwrap();
    assert!(svg.contains("font-family:'Journeymap Fallback'"));
    assert!(svg.contains("東京駅前"));
    let plain = path("plain.svg");
    export(Path::new(SAMPLE), &plain);
    let plain = std::fs::read_to_string(plain).unwrap();
    assert!(!plain.contains("font-family:'Journeymap Fallback'"));
    assert!(
        plain.len() < svg.len() / 3,
        "the face is left out of a Latin map"
    );

    // PDF: the fallback face is embedded (as a subset) and the text reads back.
    export(&path("a.journeymap.json"), &path("a.pdf"));
    let bytes = std::fs::read(path("a.pdf")).unwrap();
    let pdf = lopdf::Document::load_mem(&bytes).unwrap();
    let fonts: Vec<String> = pdf
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"Font".as_slice()))
        .filter_map(|d| d.get(b"BaseFont").and_then(|f| f.as_name()).ok())
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .collect();
    assert!(
        fonts.iter().any(|f| f.contains("DroidSansFallback")),
        "{fonts:?}"
    );
    let text = common::pdf::pdf_text(&bytes);
    // The map's glyphs are placed one by one (the helper puts a line break between them).
    assert!(text.replace('\n', "").contains("東京駅前"));
    assert!(bytes.len() < 1_000_000, "a subset, not the 3.4 MB face");
}
