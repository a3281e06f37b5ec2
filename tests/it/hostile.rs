//! Hostile text everywhere a map holds text (markup, control characters, right-to-left and
//! its overrides, combining marks, emoji, a 10,000-character card) through save and load,
//! layout, the canvas, every export, Mermaid and CSV: no panic, bounded layout, escaped output.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::assigning_clones,
    reason = "test helpers fail loudly; allow-unwrap-in-tests covers only #[test] bodies"
)]

use std::path::PathBuf;
use std::process::Command;

use journeymap::export::{self, Format, Options, Page, Size};
use journeymap::model::{Channel, Document, Metric, Persona, PersonaId};

use crate::common;

const HOSTILE: [&str; 10] = [
    "<script>alert('x')</script> & <b>bold</b>",
    "]]><!-- --> <?xml version=\"1.0\"?> &amp; &lt; \" '",
    "nul\u{0}bell\u{7}esc\u{1b}[31mred\u{1b}[0m cr\r\nline\ttab\u{8}back\u{7f}del",
    "\u{202e}gnp.exe\u{202c} and \u{2066}isolate\u{2069} \u{200f}rtl mark",
    "مرحبا بالعالم — עברית עם ניקוד שָׁלוֹם",
    "Z\u{351}\u{361}\u{300}a\u{300}\u{301}\u{302}\u{303}\u{304}\u{305}\u{306}l\u{307}\u{308}g\u{309}o",
    "👩\u{200d}👩\u{200d}👧\u{200d}👦 🏳\u{fe0f}\u{200d}🌈 🇪🇺 emoji",
    "\u{feff}bom \u{fffd} replacement \u{fdd0} noncharacter \u{e000} private",
    "tasks: a: 5: b; # c , d %% e",
    "=HYPERLINK(\"http://x\") +1 -1 @SUM(A1)",
];

/// The sample map with hostile text in every text field, and two 10,000-character cards (one
/// a single word).
fn hostile_map() -> Document {
    let mut doc = journeymap::model::sample_map();
    doc.title = HOSTILE.join(" | ");
    doc.description = HOSTILE[2].repeat(3);
    for (i, s) in doc.stages.iter_mut().enumerate() {
        s.name = HOSTILE[i % HOSTILE.len()].to_owned();
    }
    for (i, l) in doc.lanes.iter_mut().enumerate() {
        l.name = HOSTILE[(i + 3) % HOSTILE.len()].to_owned();
    }
    let n = doc.cards.len();
    for i in 0..n {
        let c = doc.card_at_mut(i);
        let h = HOSTILE[i % HOSTILE.len()];
        c.text = h.to_owned();
        c.owner = HOSTILE[(i + 1) % HOSTILE.len()].to_owned();
        c.note = HOSTILE[(i + 2) % HOSTILE.len()].to_owned();
        if i % 3 == 0 {
            c.channel = Some(Channel::Other);
            c.channel_name = HOSTILE[(i + 4) % HOSTILE.len()].to_owned();
        }
        c.metrics.push(Metric {
            name: HOSTILE[(i + 5) % HOSTILE.len()].to_owned(),
            value: i as f64,
            ..Default::default()
        });
    }
    doc.card_at_mut(0).text = "word ".repeat(2_000);
    doc.card_at_mut(1).text = "x".repeat(10_000);
    let id = PersonaId(doc.unused_id());
    let mut p = Persona::named(id, HOSTILE[3]);
    p.quote = HOSTILE[0].to_owned();
    doc.personas.push(p);
    doc.card_at_mut(2).personas.push(id);
    doc.validate().unwrap();
    doc
}

fn opts(format: Format) -> Options {
    Options {
        format,
        size: Size::Scale(1.0),
        page: Page::Map,
        view: journeymap::view::View::default().with_chart(true),
        ..Options::default()
    }
}

fn export_to(doc: &Document, format: Format) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("out.{}", format.extension()));
    let meta = journeymap::render::ExportMeta {
        file_name: HOSTILE[0].into(),
        date: "2026-11-25".into(),
    };
    export::export(doc, &meta, &opts(format), &path, &|_| {})
        .unwrap_or_else(|e| panic!("{format:?}: {e}"));
    std::fs::read(&path).unwrap()
}

#[test]
fn hostile_text_saves_loads_and_lays_out_within_bounds() {
    let doc = hostile_map();
    let json = journeymap::io::to_json_string(&doc);
    let back = journeymap::io::from_json_str(&json, "hostile.json").unwrap();
    assert_eq!(back, doc);
    let layout = journeymap::layout::layout(
        &doc,
        journeymap::layout::FontMeasure::shared(),
        &mut journeymap::layout::TextCache::default(),
    );
    let b = layout.bounds;
    assert!(b.min.x.is_finite() && b.max.y.is_finite());
    // Cards stay in their stage's column: as wide as the stages, whatever the text.
    let stages: f32 = doc.stages.iter().map(|s| s.width).sum();
    assert!(b.width() < stages + 1_000.0, "{b:?}");
    // The 10,000-character word wraps (broken inside the word) instead of widening the map.
    for c in &layout.cards {
        assert!(c.rect.width() <= 1_200.0, "{:?}", c.rect);
    }
    assert!(b.height() < 200_000.0, "{b:?}");
}

#[test]
fn every_export_of_hostile_text_is_well_formed_and_escaped() {
    let doc = hostile_map();
    let mut dir_for_chart = doc.clone();
    // Importance and score on a few cards, so the chart draws hostile labels too.
    for i in 0..4 {
        let c = dir_for_chart.card_at_mut(i);
        c.metrics.push(Metric {
            name: "importance".into(),
            value: 0.1 * (i + 1) as f64,
            ..Default::default()
        });
        c.metrics.push(Metric {
            name: "score".into(),
            value: 2.0 + i as f64,
            ..Default::default()
        });
    }
    let doc = dir_for_chart;

    let svg = String::from_utf8(export_to(&doc, Format::Svg)).unwrap();
    // Well-formed XML (no raw control characters, markup escaped) with the text as text.
    let tree = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("SVG: {e}"));
    assert!(!svg.contains("<script"), "markup is escaped");
    assert!(svg.contains("&lt;script&gt;"));
    let raw: Vec<(usize, char)> = svg
        .char_indices()
        .filter(|(_, c)| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
        .collect();
    assert!(
        raw.is_empty(),
        "raw control characters in the SVG: {:?}",
        raw.iter()
            .take(3)
            .map(|(i, c)| (c, &svg[i.saturating_sub(80)..(*i + 20).min(svg.len())]))
            .collect::<Vec<_>>()
    );
    assert!(
        tree.descendants()
            .any(|n| n.text().is_some_and(|t| t.contains("مرحبا")))
    );

    let png = export_to(&doc, Format::Png);
    let (w, h) = common::rgb::png_size(&png);
    assert!(w > 100 && h > 100);

    let pdf = export_to(&doc, Format::Pdf);
    assert!(pdf.starts_with(b"%PDF"));
    lopdf::Document::load_mem(&pdf).unwrap();

    let mmd = String::from_utf8(export_to(&doc, Format::Mermaid)).unwrap();
    let j = journeymap::io::mermaid::parse(&mmd, "hostile.mmd")
        .unwrap_or_else(|e| panic!("Mermaid: {e}\n{mmd}"));
    assert_eq!(j.sections.len(), doc.stages.len());
    assert!(!mmd.chars().any(|c| c.is_control() && c != '\n'));

    let csv = String::from_utf8(export_to(&doc, Format::Csv)).unwrap();
    let back = journeymap::io::table::import(&csv, "hostile.csv")
        .unwrap()
        .doc;
    let texts = |d: &Document| -> Vec<String> {
        let mut v: Vec<String> = d.cards.iter().map(|c| c.text.clone()).collect();
        v.sort();
        v
    };
    assert_eq!(
        texts(&back),
        texts(&doc),
        "CSV keeps every card's text, byte for byte"
    );
}

#[test]
fn hostile_text_on_the_canvas_and_in_the_terminal() {
    let doc = hostile_map();
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("hostile.json");
    journeymap::io::save_atomic(&path, &doc).unwrap();
    // The editor opens it, draws it, selects and edits the long card: no panic. (Emoji have
    // no glyphs in the bundled faces: they show as boxes, as in the app; Arabic and Hebrew
    // are shaped, direction marks and overrides included.)
    let mut h = common::harness_allowing_tofu(Some(path.clone()));
    h.run_steps(4);
    assert_eq!(h.state().doc(), &doc);
    let id = doc.cards[1].id;
    let at = common::card_center(&h, id);
    common::double_click(&mut h, at);
    h.run_steps(3);
    common::type_text(&mut h, " \u{202e}more");
    common::key(&mut h, egui::Modifiers::NONE, egui::Key::Escape);
    h.run_steps(3);
    // `info` escapes what could take over a terminal.
    let out = Command::new(env!("CARGO_BIN_EXE_journeymap"))
        .arg("info")
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{202e}'),
        "{text}"
    );
    assert!(
        text.contains("\\u{1b}") && text.contains("\\u{202e}"),
        "{text}"
    );
}

/// Puts a text into one field of a map.
type Poke = fn(&mut Document, &str);

/// Resource bombs: a file of a megabyte must not become a map of a gigabyte.
#[test]
fn every_text_has_a_limit_on_load_and_import() {
    let huge = "x".repeat(journeymap::model::limits::MAX_TEXT + 1);
    // A Mermaid actor (a persona's name) of more than the limit.
    let mmd = format!("journey\n  title Bomb\n  section S\n    Task: 3: {huge}\n");
    let e = journeymap::io::mermaid::import(&mmd, "bomb.mmd").unwrap_err();
    assert!(
        e.to_string().contains("bomb.mmd:4") && e.to_string().contains("persona's name"),
        "{e}"
    );
    // In a map file: a persona's name and role, a channel's, an evidence source, a metric's
    // name, a curve's name, a scale label.
    let pokes: [(&str, Poke); 7] = [
        ("persona name", |d, t| d.personas[0].name = t.into()),
        ("persona's role", |d, t| d.personas[0].role = t.into()),
        ("channel name", |d, t| {
            d.card_at_mut(0).channel_name = t.into();
        }),
        ("evidence source", |d, t| {
            d.card_at_mut(0).evidence = Some(journeymap::model::Evidence {
                kind: journeymap::model::EvidenceKind::Researched,
                source: t.into(),
            });
        }),
        ("metric name", |d, t| {
            d.card_at_mut(0).metrics = vec![Metric {
                name: t.into(),
                value: 1.0,
                ..Default::default()
            }];
        }),
        ("curve name", |d, t| d.emotion.curves[0].name = t.into()),
        ("emotion scale label", |d, t| {
            d.emotion.scale.labels[0] = t.into();
        }),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (what, poke) in pokes {
        let mut d = journeymap::ui::sample_document();
        poke(&mut d, &huge);
        let p = dir.path().join("bomb.json");
        std::fs::write(&p, journeymap::io::to_json_string(&d)).unwrap();
        let e = journeymap::io::load(&p).unwrap_err().to_string();
        assert!(e.contains(what) && e.contains("at most"), "{what}: {e}");
    }
    // Metrics on one card: counted too.
    let mut d = journeymap::ui::sample_document();
    d.card_at_mut(0).metrics = (0..=journeymap::model::limits::MAX_METRICS)
        .map(|i| Metric {
            name: format!("m{i}"),
            value: 1.0,
            ..Default::default()
        })
        .collect();
    let p = dir.path().join("metrics.json");
    std::fs::write(&p, journeymap::io::to_json_string(&d)).unwrap();
    let e = journeymap::io::load(&p).unwrap_err().to_string();
    assert!(e.contains("metrics on one card"), "{e}");
}

#[test]
fn a_column_bomb_is_refused_before_it_is_read_and_left_out_columns_are_counted() {
    let wide = format!("stage,text{}\nA,x\n", ",c".repeat(5_000));
    let e = journeymap::io::table::import(&wide, "wide.csv")
        .unwrap_err()
        .to_string();
    assert!(e.contains("row 1 has 5002 columns: at most 1000"), "{e}");
    let (doc, _, _) = (journeymap::ui::sample_document(), 0, 0);
    let survey = format!("overall{}\n1\n", ",c".repeat(3_000));
    let e = journeymap::drivers::prepare(&doc, &survey, "s.csv", "overall")
        .unwrap_err()
        .to_string();
    assert!(e.contains("at most 2000"), "{e}");
    // 50 columns the map does not know: ten named, the rest counted in one line.
    let header: String = (0..50).fold(String::new(), |mut h, i| {
        use std::fmt::Write as _;
        let _ = write!(h, ",odd{i}");
        h
    });
    let t = format!("stage,text{header}\nA,x\n");
    let imported = journeymap::io::table::import(&t, "odd.csv").unwrap();
    assert_eq!(imported.warnings.len(), 11, "{:?}", imported.warnings);
    assert!(
        imported.warnings[10].contains("40 more columns"),
        "{:?}",
        imported.warnings
    );
}

/// A long scale label stays in the label column: the page is as wide as with the usual
/// labels and every export works (a 160-character label widened the page by 783 px; 20,000
/// characters made the PNG too large and the PDF text 0.7 pt).
#[test]
fn long_scale_labels_stay_in_the_label_column() {
    let plain = journeymap::model::sample_map();
    let meta = journeymap::render::ExportMeta {
        file_name: "scale.json".into(),
        date: "2026-12-04".into(),
    };
    let width = |doc: &Document| {
        export::scene_of(doc, journeymap::theme::ThemeKind::Light, &meta)
            .list
            .bounds
            .width()
    };
    for n in [160, 20_000] {
        let mut doc = plain.clone();
        doc.emotion.scale.labels[4] = format!("Delighted {}", "very ".repeat(n / 5));
        assert!(
            (width(&doc) - width(&plain)).abs() < 0.5,
            "{n} characters: {} vs {}",
            width(&doc),
            width(&plain)
        );
        let png = export_to(&doc, Format::Png);
        let (w, _) = common::rgb::png_size(&png);
        assert!(w < 4_000, "{n} characters: {w} px wide");
        let pdf = export_to(&doc, Format::Pdf);
        assert!(pdf.starts_with(b"%PDF"));
    }
}
