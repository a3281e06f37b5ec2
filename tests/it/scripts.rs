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

use journeymap::layout::TextMeasure as _;
use journeymap::model::{CardId, Document};

use crate::common;

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/surprise-bill.journeymap.json"
);

/// A long Chinese card, a Japanese one with Latin and brackets, a Korean one, an Arabic one
/// with a number, a Hindi one, a Thai one (no spaces between words).
const TEXTS: [(&str, &str); 6] = [
    (
        "Bill differs from the advertised price",
        "账单与广告价格不符：多了一笔四十九欧元的开通费，客户完全没有想到。",
    ),
    (
        "FAQ has no entry for the fee",
        "FAQ に「手数料」の説明がない。サポートに電話するしかない。",
    ),
    ("Opens the first bill", "첫 번째 청구서를 엽니다"),
    (
        "Searches the FAQ, then tries the chat bot",
        "يبحث في الأسئلة الشائعة ثم يجرب روبوت المحادثة لمدة 30 دقيقة",
    ),
    (
        "Calls support and waits 30 minutes on hold",
        "सहायता को फ़ोन करता है और 30 मिनट प्रतीक्षा करता है",
    ),
    (
        "Gets part of the fee refunded",
        "ได้รับเงินคืนบางส่วนของค่าธรรมเนียมแรกเข้า",
    ),
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

/// Two maps in `dir` (`a`, `b`) that differ only in one card's text, exported as PNG: how
/// many pixels differ (characters drawn as boxes would look alike).
fn pixels_apart(dir: &Path, a: &str, b: &str) -> usize {
    let card = "Opens the first bill";
    for (m, text) in [("a", a), ("b", b)] {
        let map = dir.join(format!("{m}.journeymap.json"));
        with_texts(&map, &[(card, text)]);
        export(&map, &dir.join(format!("{m}.png")));
    }
    let a = common::rgb::Rgb::open(&dir.join("a.png")).unwrap();
    let b = common::rgb::Rgb::open(&dir.join("b.png")).unwrap();
    assert_eq!(a.dimensions(), b.dimensions(), "same layout");
    a.pixels().zip(b.pixels()).filter(|(x, y)| x != y).count()
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
        if text.starts_with('账') || text.starts_with('ي') {
            assert!(canvas.len() >= 2, "the long card wraps: {canvas:?}");
        }
        assert_eq!(canvas.concat().replace(' ', ""), text.replace(' ', ""));
        // Right-to-left lines end at the card's right edge, others start at its left.
        let b = h.state().layout().card(id).unwrap();
        for l in &b.lines {
            let (left, right) = (l.pos.x - b.rect.min.x, b.rect.max.x - (l.pos.x + l.width));
            if text.starts_with('ي') {
                assert!(right < left, "{} is not right-aligned", l.text);
            } else {
                assert!(left <= right + 1.0, "{} is not left-aligned", l.text);
            }
        }
    }
}

/// The ink of a text mask: `(width, height, alpha)`.
type Mask = (u32, u32, Vec<u8>);

fn mask(text: &str) -> Mask {
    journeymap::export::text_mask(text, 48.0, false).unwrap()
}

/// How unlike `big` from column `at` is to `small` (mean absolute difference of alpha over
/// `small`'s inked columns).
fn unlike(big: &Mask, at: i64, small: &Mask) -> f64 {
    let (mut sum, mut n) = (0.0_f64, 0.0_f64);
    for y in 0..small.1.min(big.1) {
        for x in 0..small.0 {
            let bx = at + i64::from(x);
            let b = if (0..i64::from(big.0)).contains(&bx) {
                big.2[(y * big.0) as usize + bx as usize]
            } else {
                0
            };
            let s = small.2[(y * small.0 + x) as usize];
            if s > 0 || b > 0 {
                sum += f64::from(b.abs_diff(s));
                n += 1.0;
            }
        }
    }
    sum / n.max(1.0)
}

/// Right to left in pixels: in "אב" (alef, bet) the alef is drawn on the right, the bet on
/// the left; Arabic letters join (the ink runs on without a gap); no glyph is a box.
#[test]
fn hebrew_is_drawn_right_to_left_and_arabic_joined() {
    let (alef, bet, both) = (mask("\u{5D0}"), mask("\u{5D1}"), mask("\u{5D0}\u{5D1}"));
    let m = journeymap::layout::FontMeasure::shared();
    let adv = |t: &str| m.width(t, 48.0, false).round() as i64;
    // Right to left: bet at the start, alef after the bet's advance.
    let rtl = unlike(&both, 0, &bet) + unlike(&both, adv("\u{5D1}"), &alef);
    let ltr = unlike(&both, 0, &alef) + unlike(&both, adv("\u{5D0}"), &bet);
    assert!(
        rtl * 2.0 < ltr,
        "right to left {rtl:.1}, left to right {ltr:.1}"
    );

    // Joined Arabic: every column between the first and last ink has ink.
    let word = mask("\u{628}\u{62D}\u{62B}");
    let inked: Vec<bool> = (0..word.0)
        .map(|x| (0..word.1).any(|y| word.2[(y * word.0 + x) as usize] > 64))
        .collect();
    let first = inked.iter().position(|i| *i).unwrap();
    let last = inked.iter().rposition(|i| *i).unwrap();
    assert!(
        inked[first..=last].iter().all(|i| *i),
        "a gap inside a joined word: {inked:?}"
    );
    // Different letters, different ink (boxes would all look alike).
    let (a, b) = (mask("\u{915}\u{93F}"), mask("\u{E01}\u{E34}"));
    assert!(unlike(&a, 0, &b) > 20.0);
}

#[test]
fn cjk_text_is_drawn_in_png_svg_and_pdf_not_as_boxes() {
    let dir = tempfile::tempdir().unwrap();
    let path = |n: &str| -> PathBuf { dir.path().join(n) };
    // Two maps that differ only in which characters one card has: boxes would look alike.
    let differ = pixels_apart(dir.path(), "東京駅前", "大阪城前");
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

/// Arabic in the exports: drawn (two texts differ in pixels), the SVG carries the outlines
/// and the text, the PDF embeds the face and reads back the words in their logical order.
#[test]
fn arabic_is_drawn_in_png_svg_and_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let path = |n: &str| -> PathBuf { dir.path().join(n) };
    let differ = pixels_apart(dir.path(), "يفتح الفاتورة الأولى", "يقرأ الرسالة الثانية");
    assert!(differ > 100, "only {differ} pixels differ");
    export(&path("a.journeymap.json"), &path("a.svg"));
    let svg = std::fs::read_to_string(path("a.svg")).unwrap();
    assert!(svg.contains("class=\"shaped-text\""));
    assert!(svg.contains("يفتح الفاتورة الأولى"));
    export(&path("a.journeymap.json"), &path("a.pdf"));
    let bytes = std::fs::read(path("a.pdf")).unwrap();
    let text = common::pdf::pdf_text(&bytes).replace('\n', "");
    // In the content stream the glyphs are in visual order (right to left), which viewers
    // turn back into reading order when copying.
    let word = "الفاتورة";
    let visual: String = word.chars().rev().collect();
    assert!(
        text.contains(word) || text.contains(&visual),
        "the word reads back"
    );
}
