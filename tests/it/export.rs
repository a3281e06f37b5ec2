//! Export: PNG goldens, SVG read back, PDF opened with a PDF library, canvas vs export, and the
//! export dialog driven in the real app.
//!
//! Goldens live in `tests/goldens/`; `UPDATE_GOLDENS=1 cargo test --test it export::` rewrites them
//! (look at the new images before committing them). A failing comparison writes
//! `NAME.new.png` and `NAME.diff.png` next to the golden.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly; allow-unwrap-in-tests covers only #[test] bodies"
)]

use crate::common;
use crate::common::rgb::{Rgb, png_size};

use base64::Engine as _;
use common::pdf::{pdf_page_size, pdf_text};
use egui_kittest::kittest::Queryable as _;

use std::path::PathBuf;

use journeymap::export::{self, Format, Options, Page, Size};
use journeymap::model::{Document, sample_map};
use journeymap::render::{ExportMeta, Item};
use journeymap::theme::ThemeKind;
use journeymap::view::View;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn meta() -> ExportMeta {
    ExportMeta {
        file_name: "surprise-bill.journeymap.json".into(),
        date: "2026-11-24".into(),
    }
}

const HOSTILE: &str = "</text><script>alert(1)</script> & \"q\"";

/// The sample with the awkward cases an export must survive: markup in card text, control
/// characters, characters the font lacks, a hidden lane, a wide stage.
fn edge_map() -> Document {
    let mut doc = sample_map();
    doc.stages[0].width = 600.0;
    doc.card_at_mut(0).text = HOSTILE.into();
    doc.card_at_mut(1).text = "Bell\u{7} and tab\there; accents: déjà vu, Straße; CJK: 漢字".into();
    doc.title = "Edge cases <& \"quotes\">".into();
    let hidden = doc
        .lanes
        .iter()
        .position(|l| l.kind == journeymap::model::LaneKind::Backstage)
        .unwrap();
    doc.lanes[hidden].hidden = true;
    doc
}

/// Exports into a temporary folder and returns the bytes and the report.
#[expect(
    clippy::needless_pass_by_value,
    reason = "callers build the options in place"
)]
fn export_bytes(doc: &Document, opts: Options) -> (Vec<u8>, export::Report) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("out.{}", opts.format.extension()));
    let report = export::export(doc, &meta(), &opts, &path, &|_| {}).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(bytes.len() as u64, report.bytes);
    // Nothing else (no temporary file) is left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    (bytes, report)
}

fn png_opts(scale: f32, theme: ThemeKind) -> Options {
    Options {
        format: Format::Png,
        size: Size::Scale(scale),
        page: Page::Map,
        view: View::export(theme, 1.0),
        ..Options::default()
    }
}

/// What PDF tiles must never cut: lines of text and card rectangles.
fn keepers(scene: &journeymap::render::ExportScene) -> Vec<journeymap::geom::Rect> {
    scene
        .list
        .parts
        .iter()
        .flat_map(|p| p.items.iter().map(move |i| (p.element, i)))
        .filter(|(element, (_, item))| {
            let card = matches!(element, journeymap::render::Element::Card(_))
                && matches!(item, Item::Rect { .. });
            card || matches!(item, Item::Text { .. })
        })
        .map(|(_, (b, _))| *b)
        .collect()
}

/// How far two images are apart: pixels whose largest channel difference is over 32, and
/// the mean absolute channel difference. (A plain loop: the test binary is unoptimised, and
/// this runs over every pixel of every golden.)
fn difference(a: &Rgb, b: &Rgb) -> (usize, f64) {
    let mut over = 0;
    let mut sum = 0u64;
    for (pa, pb) in a.data.chunks_exact(3).zip(b.data.chunks_exact(3)) {
        let (r, g, bl) = (
            pa[0].abs_diff(pb[0]),
            pa[1].abs_diff(pb[1]),
            pa[2].abs_diff(pb[2]),
        );
        sum += u64::from(r) + u64::from(g) + u64::from(bl);
        if r.max(g).max(bl) > 32 {
            over += 1;
        }
    }
    let mean = sum as f64 / (f64::from(a.width) * f64::from(a.height) * 3.0);
    (over, mean)
}

/// Where two images differ, to look at: red where a channel is off by more than 32, grey
/// darkening with the difference elsewhere.
fn difference_image(a: &Rgb, b: &Rgb) -> Rgb {
    let mut diff = Rgb::new(a.width, a.height);
    for ((pa, pb), pd) in a.pixels().zip(b.pixels()).zip(diff.pixels_mut()) {
        let d = (0..3).map(|i| pa[i].abs_diff(pb[i])).max().unwrap_or(0);
        if d > 32 {
            pd.copy_from_slice(&[255, 0, 0]);
        } else {
            let g = 255 - d / 2;
            pd.copy_from_slice(&[g, g, g]);
        }
    }
    diff
}

/// The one comparison helper: `png` against `tests/goldens/NAME.png`, tight tolerance
/// (at most 0.05 % of pixels off by more than 32 levels, mean difference under 0.5).
fn check_golden(name: &str, png: &[u8]) {
    let dir = root().join("tests/goldens");
    let golden = dir.join(format!("{name}.png"));
    let actual = Rgb::decode(png).unwrap();
    if std::env::var_os("UPDATE_GOLDENS").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        actual.save(&golden).unwrap();
    }
    let expected = Rgb::open(&golden).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run UPDATE_GOLDENS=1 cargo test --test it export::)",
            golden.display()
        )
    });
    let new_path = dir.join(format!("{name}.new.png"));
    if expected.dimensions() != actual.dimensions() {
        actual.save(&new_path).unwrap();
        panic!(
            "{name}: {:?} instead of {:?}; see {}",
            actual.dimensions(),
            expected.dimensions(),
            new_path.display()
        );
    }
    let (over, mean) = difference(&expected, &actual);
    let allowed = (actual.width * actual.height) as usize / 2000;
    if over > allowed || mean > 0.5 {
        actual.save(&new_path).unwrap();
        difference_image(&expected, &actual)
            .save(&dir.join(format!("{name}.diff.png")))
            .unwrap();
        panic!(
            "{name}: {over} pixels differ (allowed {allowed}), mean difference {mean:.3}; see {} and the .diff.png (UPDATE_GOLDENS=1 accepts)",
            new_path.display()
        );
    }
}

/// Every example map in `examples/` has a golden: `NAME-light-1x.png` for
/// `examples/NAME.journeymap.json`, exported with its own file name in the footer.
#[test]
fn golden_every_example_light_1x() {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(root().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        let file_name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let Some(name) = file_name.strip_suffix(".journeymap.json") else {
            continue;
        };
        let (doc, _) = journeymap::io::load(&path).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.png");
        let meta = ExportMeta {
            file_name: file_name.clone(),
            ..meta()
        };
        let opts = png_opts(1.0, ThemeKind::Light);
        let report = export::export(&doc, &meta, &opts, &out, &|_| {}).unwrap();
        assert!(report.warnings.is_empty(), "{name}: {:?}", report.warnings);
        check_golden(&format!("{name}-light-1x"), &std::fs::read(&out).unwrap());
        names.push(name.to_owned());
    }
    names.sort();
    assert_eq!(
        names,
        [
            "missed-parcel",
            "onboarding",
            "service-blueprint",
            "support-call",
            "surprise-bill"
        ]
    );
}

#[test]
fn golden_sample_dark_half() {
    let (png, _) = export_bytes(&sample_map(), png_opts(0.5, ThemeKind::Dark));
    check_golden("surprise-bill-dark-0.5x", &png);
}

#[test]
fn golden_edge_cases() {
    let (png, _) = export_bytes(&edge_map(), png_opts(1.0, ThemeKind::Light));
    check_golden("edge-cases-light-1x", &png);
}

#[test]
fn golden_helper_fails_on_a_changed_map() {
    // The helper must be able to fail: a map with one card's text changed does not match.
    let mut doc = sample_map();
    doc.card_at_mut(3).text = "Something else entirely, written over two lines of the card".into();
    let (png, _) = export_bytes(&doc, png_opts(1.0, ThemeKind::Light));
    if std::env::var_os("UPDATE_GOLDENS").is_some() {
        // Updating would overwrite the golden with the changed map.
        return;
    }
    // The real helper, against the sample's golden: it must panic.
    let result = std::panic::catch_unwind(|| check_golden("surprise-bill-light-1x", &png));
    assert!(result.is_err());
    // It left the actual image and the difference beside the golden: removed again.
    let dir = root().join("tests/goldens");
    for f in [
        "surprise-bill-light-1x.new.png",
        "surprise-bill-light-1x.diff.png",
    ] {
        let _ = std::fs::remove_file(dir.join(f));
    }
    // And it passes on the unchanged map.
    let (same, _) = export_bytes(&sample_map(), png_opts(1.0, ThemeKind::Light));
    check_golden("surprise-bill-light-1x", &same);
}

#[test]
fn png_size_follows_scale_and_width() {
    let scene = export::scene_of(&sample_map(), ThemeKind::Light, &meta());
    let view = scene.list.bounds;
    let (_, report) = export_bytes(&sample_map(), png_opts(2.0, ThemeKind::Light));
    assert_eq!(report.width as u32, (view.width() * 2.0).ceil() as u32);
    assert_eq!(report.height as u32, (view.height() * 2.0).ceil() as u32);
    let (png, report) = export_bytes(
        &sample_map(),
        Options {
            size: Size::Width(1000),
            ..png_opts(1.0, ThemeKind::Light)
        },
    );
    assert_eq!(png_size(&png).0, 1000);
    assert_eq!(report.width as u32, 1000);
    assert!(
        report.warnings.iter().any(|w| w.contains("smallest text")),
        "{:?}",
        report.warnings
    );
}

#[test]
fn png_over_the_cap_is_refused_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.png");
    std::fs::write(&path, b"keep me").unwrap();
    let err = export::export(
        &sample_map(),
        &meta(),
        &png_opts(40.0, ThemeKind::Light),
        &path,
        &|_| {},
    )
    .unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("SVG or PDF"), "{msg}");
    assert_eq!(std::fs::read(&path).unwrap(), b"keep me");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// The text of every `<text>` element, in order.
fn svg_texts(svg: &str) -> Vec<String> {
    let xml = roxmltree::Document::parse(svg).unwrap();
    xml.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or("").to_string())
        .collect()
}

#[test]
fn svg_reads_back_with_every_text_escaped_and_the_font_embedded() {
    let doc = edge_map();
    let (bytes, _) = export_bytes(
        &doc,
        Options {
            format: Format::Svg,
            ..Options::default()
        },
    );
    let svg = String::from_utf8(bytes).unwrap();
    let xml = roxmltree::Document::parse(&svg).unwrap();
    assert!(!xml.descendants().any(|n| n.has_tag_name("script")));
    let texts = svg_texts(&svg);
    // Exactly the text items of the export scene, in paint order (control characters
    // dropped, tabs as spaces).
    let scene = export::scene_of(&doc, ThemeKind::Light, &meta());
    let expected: Vec<String> = scene
        .list
        .items()
        .filter_map(|(_, i)| match i {
            Item::Text { text, .. } => Some(text.replace('\t', " ").replace('\u{7}', "")),
            _ => None,
        })
        .collect();
    assert_eq!(texts, expected);
    assert!(texts.iter().any(|t| t == HOSTILE), "{texts:?}");
    // Every visible card's text is there (its wrapped lines joined); hidden lanes' are not.
    let all = texts.join(" ");
    for c in &doc.cards {
        let hidden = doc.lanes.iter().any(|l| l.id == c.lane && l.hidden);
        if hidden {
            let start: Vec<&str> = c.text.split_whitespace().take(3).collect();
            assert!(!all.contains(&start.join(" ")), "{}", c.text);
        } else {
            for word in c.text.split_whitespace().filter(|w| !w.contains('\u{7}')) {
                assert!(all.contains(word), "{word}");
            }
        }
    }
    // The fonts are embedded: Inter's two faces and (the map has "漢字") the CJK face; the
    // regular face's bytes come back out of its @font-face rule.
    let style = xml
        .descendants()
        .find(|n| n.has_tag_name("style"))
        .and_then(|n| n.text())
        .unwrap();
    assert_eq!(style.matches("@font-face").count(), 3);
    let face = |rule: &str| {
        let at = style.find(rule).unwrap();
        let start = at + style[at..].find("base64,").unwrap() + "base64,".len();
        let end = start + style[start..].find(')').unwrap();
        base64::engine::general_purpose::STANDARD
            .decode(&style[start..end])
            .unwrap()
    };
    assert_eq!(
        face("font-family:'Journeymap Inter';font-weight:400"),
        journeymap::layout::FONT_REGULAR
    );
    assert_eq!(
        face("font-family:'Journeymap Fallback'"),
        journeymap::layout::FONT_FALLBACK
    );
}

#[test]
fn svg_rendered_by_resvg_matches_the_png() {
    // The SVG (shaped by resvg from the embedded font's family) and the PNG (drawn from the
    // display list) show the same picture.
    let doc = sample_map();
    let scene = export::scene_of(&doc, ThemeKind::Light, &meta());
    let view = scene.list.bounds;
    let svg = export::to_svg(
        &scene.list,
        view,
        export::SvgSize {
            width: view.width(),
            height: view.height(),
        },
        &doc.title,
    );
    let tree = export::parse_svg(&svg).unwrap();
    let (w, h) = (view.width().ceil() as u32, view.height().ceil() as u32);
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w, h).unwrap();
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    let from_svg = Rgb::from_rgba(w, h, pixmap.data());
    let (png, _) = export_bytes(&doc, png_opts(1.0, ThemeKind::Light));
    let from_png = Rgb::decode(&png).unwrap();
    assert_eq!(from_svg.dimensions(), from_png.dimensions());
    let (over, mean) = difference(&from_svg, &from_png);
    eprintln!("resvg vs png: {over} pixels differ, mean {mean:.3}");
    if let Some(dir) = std::env::var_os("JOURNEYMAP_DEBUG_DIR") {
        from_svg
            .save(&PathBuf::from(&dir).join("from_svg.png"))
            .unwrap();
        difference_image(&from_svg, &from_png)
            .save(&PathBuf::from(&dir).join("svg_diff.png"))
            .unwrap();
    }
    let total = (w * h) as usize;
    // Shapes, line positions and line widths agree (`textLength`); inside a line resvg's
    // shaping places some glyphs a fraction of a pixel away from the layout's plain advances.
    assert!(
        over < total / 100 && mean < 1.0,
        "{over} of {total} pixels differ, mean {mean}"
    );
}

#[test]
fn pdf_has_one_page_of_the_map_with_selectable_text() {
    let doc = sample_map();
    let (bytes, report) = export_bytes(
        &doc,
        Options {
            format: Format::Pdf,
            ..Options::default()
        },
    );
    assert!(report.warnings.is_empty());
    let pdf = lopdf::Document::load_mem(&bytes).unwrap();
    assert_eq!(pdf.get_pages().len(), 1);
    let scene = export::scene_of(&doc, ThemeKind::Light, &meta());
    let (w, h) = pdf_page_size(&pdf);
    assert!((w - scene.list.bounds.width()).abs() < 1.0, "{w}");
    assert!((h - scene.list.bounds.height()).abs() < 1.0, "{h}");
    // Text is extractable (compared without white space: extractors differ in where they
    // put spaces and line breaks between positioned runs of glyphs).
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    let text = squeeze(&pdf_text(&bytes));
    for needle in [
        "Sorting out a surprise on my bill",
        "Persona: Dana",
        "Pain points",
    ] {
        assert!(text.contains(&squeeze(needle)), "{needle} not in {text}");
    }
    // Card text is selectable too.
    for c in &doc.cards {
        assert!(text.contains(&squeeze(&c.text)), "{}", c.text);
    }
    // Fonts are embedded.
    let embedded = pdf.objects.values().any(|o| {
        o.as_dict()
            .is_ok_and(|d| d.has(b"FontFile3") || d.has(b"FontFile2") || d.has(b"FontFile"))
    });
    assert!(embedded);
}

#[test]
fn pdf_pages_a4_a3_and_the_size_limit() {
    let (bytes, report) = export_bytes(
        &sample_map(),
        Options {
            format: Format::Pdf,
            page: Page::A4,
            ..Options::default()
        },
    );
    let pdf = lopdf::Document::load_mem(&bytes).unwrap();
    let (w, h) = pdf_page_size(&pdf);
    assert!(
        (w - 841.89).abs() < 0.5 && (h - 595.28).abs() < 0.5,
        "{w} × {h}"
    );
    assert!(
        report.warnings.iter().any(|w| w.contains("pt")),
        "{:?}",
        report.warnings
    );
    let (bytes, _) = export_bytes(
        &sample_map(),
        Options {
            format: Format::Pdf,
            page: Page::A3,
            ..Options::default()
        },
    );
    let (w, h) = pdf_page_size(&lopdf::Document::load_mem(&bytes).unwrap());
    assert!(
        (w - 1190.55).abs() < 0.5 && (h - 841.89).abs() < 0.5,
        "{w} × {h}"
    );
    // A map wider than 14,400 units gets a page scaled down to 14,400 pt.
    let wide = journeymap::model::synthetic_map(60, 120, 7);
    let (bytes, _) = export_bytes(
        &wide,
        Options {
            format: Format::Pdf,
            ..Options::default()
        },
    );
    let (w, h) = pdf_page_size(&lopdf::Document::load_mem(&bytes).unwrap());
    assert!((w - 14_400.0).abs() < 1.0 && h < w, "{w} × {h}");
}

#[test]
fn canvas_and_export_hold_the_same_items() {
    let mut h = common::harness(None);
    h.run_steps(2);
    let app = h.state();
    let scene = journeymap::render::export_scene(
        app.doc(),
        app.layout(),
        &journeymap::theme::Theme::get(ThemeKind::Light),
        &journeymap::render::Look::default(),
        &meta(),
    );
    // The canvas keeps room for an add slot at the end of each cell (and clamps long cards);
    // otherwise it places every card, line and header as the export does.
    let canvas = app.display_list();
    assert!(canvas.item_count() > 0);
    let map = &scene.list.parts[scene.map_parts.clone()];
    assert_eq!(map.len(), canvas.parts.len());
    for (a, b) in map.iter().zip(&canvas.parts) {
        assert_eq!(a.element, b.element);
        if let journeymap::render::Element::Card(_) = a.element {
            let texts = |p: &journeymap::render::Part| -> Vec<(String, f32)> {
                p.items
                    .iter()
                    .filter_map(|(_, i)| match i {
                        // A note's number (exports only: the canvas shows a marker and the
                        // note on hover).
                        Item::Text { text, .. } if text.chars().all(|c| c.is_ascii_digit()) => None,
                        Item::Text { text, pos, .. } => Some((text.to_string(), pos.x)),
                        _ => None,
                    })
                    .collect()
            };
            assert_eq!(texts(a), texts(b));
            assert!((a.bounds.width() - b.bounds.width()).abs() < 0.01);
        }
    }
    // Laid out as an export is, the canvas's scene is the export's map exactly.
    let export_layout = journeymap::layout::layout(
        app.doc(),
        journeymap::layout::FontMeasure::shared(),
        &mut journeymap::layout::TextCache::default(),
    );
    let as_exported = journeymap::render::scene_with(
        app.doc(),
        &export_layout,
        &journeymap::theme::Theme::get(ThemeKind::Light),
        &journeymap::render::Look::numbered(app.doc(), &View::default(), &export_layout),
    );
    let fresh = export::scene_of(app.doc(), ThemeKind::Light, &meta());
    assert_eq!(
        &fresh.list.parts[fresh.map_parts.clone()],
        &as_exported.parts[..]
    );
}

#[test]
fn export_dialog_exports_and_export_again_repeats() {
    use egui::{Key, Modifiers};
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("bill.svg");
    let mut h = common::harness(None);
    common::key(&mut h, Modifiers::COMMAND, Key::E);
    assert!(h.state().export_dialog_open());
    h.get_by_label("SVG (vector)").click();
    h.run_steps(2);
    // Type the path into the File field, then Export.
    common::export_as(&mut h, &target);
    assert!(!h.state().export_dialog_open());
    common::wait_for_export(&mut h);
    let svg = std::fs::read_to_string(&target).unwrap();
    assert!(svg_texts(&svg).iter().any(|t| t.contains("Dana")));
    assert!(h.state().status().unwrap().starts_with("Exported"));
    // The settings are remembered: the dialog opens with them again.
    let remembered = h.state().export_settings().unwrap().clone();
    assert_eq!(remembered.opts.format, Format::Svg);
    assert_eq!(remembered.path, target.display().to_string());
    common::key(&mut h, Modifiers::COMMAND, Key::E);
    let shown = target.display().to_string();
    assert!(h.query_all_by_value(&shown).next().is_some());
    h.get_by_label("Cancel").click();
    h.run_steps(2);
    assert!(!h.state().export_dialog_open());
    // Export again (Ctrl+Shift+E) writes the same file without asking.
    std::fs::remove_file(&target).unwrap();
    common::key(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::E);
    assert!(!h.state().export_dialog_open());
    common::wait_for_export(&mut h);
    assert!(target.exists());
    // A failed export says why and leaves nothing behind.
    common::key(&mut h, Modifiers::COMMAND, Key::E);
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "File")
        .click();
    h.run_steps(2);
    common::key(&mut h, Modifiers::COMMAND, Key::A);
    let bad = dir.path().join("missing-folder/bill.png");
    common::type_text(&mut h, &bad.display().to_string());
    h.get_by_label("Export").click();
    common::wait_for_export(&mut h);
    h.run_steps(2);
    let msg = h.state().error_message().unwrap().to_string();
    assert!(msg.contains("missing-folder"), "{msg}");
    assert!(!bad.exists());
}

#[test]
fn examples_export_to_every_format() {
    for entry in std::fs::read_dir(root().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let (doc, _) = journeymap::io::load(&path).unwrap();
        for format in Format::ALL {
            let (bytes, report) = export_bytes(
                &doc,
                Options {
                    format,
                    size: Size::Scale(1.0),
                    ..Options::default()
                },
            );
            let magic: &[u8] = match format {
                Format::Png => b"\x89PNG",
                Format::Svg => b"<?xml",
                Format::Pdf => b"%PDF",
                Format::Mermaid => b"journey\n",
                Format::Csv => "\u{feff}stage,".as_bytes(),
            };
            if format.is_image() {
                assert!(report.width > 100.0 && report.height > 100.0);
            }
            assert!(bytes.starts_with(magic), "{} {format:?}", path.display());
        }
    }
}

#[test]
fn big_pdf_is_made_in_bands_with_every_text_once() {
    // 300 cards make about 1,800 lines of text: more than one band of 1,000 (the export's
    // bands hold 5,000: the same code with a smaller bound keeps the test quick).
    let doc = journeymap::model::synthetic_map(10, 300, 3);
    let scene = export::scene_of(&doc, ThemeKind::Light, &meta());
    let bands = export::text_bands(&scene.list, scene.list.bounds, 1_000);
    assert!(bands.len() >= 2, "{bands:?}");
    // Bands tile the map and never cut a line of text.
    assert!((bands[0].0 - scene.list.bounds.min.y).abs() < f32::EPSILON);
    assert!((bands.last().unwrap().1 - scene.list.bounds.max.y).abs() < f32::EPSILON);
    for w in bands.windows(2) {
        assert!((w[0].1 - w[1].0).abs() < f32::EPSILON);
    }
    for b in keepers(&scene) {
        assert!(
            bands.iter().any(|(t, u)| b.min.y >= *t && b.max.y <= *u),
            "{b:?} is cut"
        );
    }
    let bytes = export::pdf_bytes_tiled(&scene, &doc.title, Page::Map, 1_000, &|_| {})
        .unwrap()
        .bytes;
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    let text = squeeze(&pdf_text(&bytes));
    assert_eq!(
        text.matches(&squeeze(&doc.title)).count(),
        1,
        "{}",
        &text[..200]
    );
    assert_eq!(
        text.matches("MadewithJourneymap").count(),
        1,
        "{}",
        &text[text.len() - 300..]
    );
    for c in &doc.cards {
        assert!(text.contains(&squeeze(&c.text)), "{}", c.text);
    }
    // With smaller tiles, bands full of cards are split into columns too, again never
    // through a card or a line; the PDF has the same text.
    let tiles = export::pdf_tiles(&scene.list, scene.list.bounds, 200);
    assert!(tiles.len() > bands.len(), "{} tiles", tiles.len());
    for b in keepers(&scene) {
        let holding = tiles
            .iter()
            .filter(|t| t.contains(b.min) && t.contains(b.max))
            .count();
        assert_eq!(holding, 1, "{b:?} is cut");
    }
    let small = export::pdf_bytes_tiled(&scene, &doc.title, Page::Map, 200, &|_| {}).unwrap();
    if let Some(dir) = std::env::var_os("JOURNEYMAP_DEBUG_DIR") {
        std::fs::write(PathBuf::from(dir).join("tiled.pdf"), &small.bytes).unwrap();
    }
    let small_text = squeeze(&pdf_text(&small.bytes));
    for c in &doc.cards {
        assert!(small_text.contains(&squeeze(&c.text)), "{}", c.text);
    }
    assert_eq!(small_text.matches("MadewithJourneymap").count(), 1);
}

#[test]
fn sparse_maps_export_to_every_format() {
    // A new map, one with no stages, one with every lane hidden, one with an empty title.
    let mut no_stages = journeymap::model::new_map();
    no_stages.stages.clear();
    for c in &mut no_stages.emotion.curves {
        c.points.clear();
    }
    let mut all_hidden = sample_map();
    for l in &mut all_hidden.lanes {
        l.hidden = true;
    }
    let mut untitled = journeymap::model::new_map();
    untitled.title.clear();
    untitled.personas.clear();
    for doc in [
        journeymap::model::new_map(),
        no_stages,
        all_hidden,
        untitled,
    ] {
        for format in Format::ALL {
            let (bytes, report) = export_bytes(
                &doc,
                Options {
                    format,
                    size: Size::Scale(1.0),
                    ..Options::default()
                },
            );
            if !format.is_image() {
                assert!(
                    bytes.starts_with(b"journey\n")
                        || bytes.starts_with("\u{feff}stage,".as_bytes())
                );
                continue;
            }
            assert!(report.width >= 600.0 && report.height > 100.0, "{report:?}");
            assert!(!bytes.is_empty());
        }
    }
}

/// The links, channel icons, summary and numbered notes of the sample read back from its
/// SVG; the summary, notes and legend read back from its PDF.
#[test]
fn svg_and_pdf_read_back_links_icons_and_the_summary() {
    let doc = sample_map();
    let (bytes, _) = export_bytes(
        &doc,
        Options {
            format: Format::Svg,
            ..Options::default()
        },
    );
    let svg = String::from_utf8(bytes).unwrap();
    let xml = roxmltree::Document::parse(&svg).unwrap();
    let group = |id: &str| {
        xml.descendants()
            .find(|n| n.has_tag_name("g") && n.attribute("id") == Some(id))
    };
    // Every link is a group holding its line and arrowhead (paths), none drawn as text.
    for l in &doc.links {
        let g = group(&format!("link-{}", l.id.0)).unwrap_or_else(|| panic!("link {}", l.id.0));
        let paths = g.children().filter(|n| n.has_tag_name("path")).count();
        assert!(paths >= 2, "link {} has {paths} paths", l.id.0);
    }
    // A touchpoint on a channel carries its icon (paths); a plain action card has none.
    let paths_of = |text: &str| {
        let c = doc.cards.iter().find(|c| c.text == text).unwrap();
        group(&format!("card-{}", c.id.0))
            .unwrap()
            .children()
            .filter(|n| n.has_tag_name("path"))
            .count()
    };
    assert!(paths_of("Social media ad") >= 1);
    assert!(paths_of("Plan comparison page") >= 1);
    assert_eq!(paths_of("Sees an ad for a broadband + phone bundle"), 0);
    // The summary names the worst moment with its pain point, the largest gap, the moments
    // of truth and the top opportunity with its owner.
    let summary = xml
        .descendants()
        .find(|n| n.has_tag_name("g") && n.attribute("class") == Some("summary"))
        .unwrap();
    let said: String = summary
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or(""))
        .collect::<Vec<_>>()
        .join(" ");
    for needle in [
        "Worst moments",
        "Call support (\u{2212}2.0): Long queue with irritating music",
        "Largest gaps",
        // In the measured curve's own units (CSAT 1–5): +1.5 on −2..+2 is CSAT 4.5.
        "Call support: CSAT 4.5 / 5 measured, customers feel \u{2212}2 (3.5 steps apart)",
        "Moments of truth",
        "Top opportunities",
        "Show all fees up front \u{2014} Marketing",
    ] {
        assert!(said.contains(needle), "{needle} not in {said}");
    }
    // The worst moment is ringed and labelled on the curve.
    assert!(svg_texts(&svg).iter().any(|t| t == "Worst moment"));
    // Notes are numbered on the cards and listed under the map.
    let notes = xml
        .descendants()
        .find(|n| n.has_tag_name("g") && n.attribute("class") == Some("notes"))
        .unwrap();
    let listed: Vec<&str> = notes
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    let with_notes = doc.cards.iter().filter(|c| !c.note.is_empty()).count();
    assert_eq!(
        listed
            .iter()
            .filter(|t| t.ends_with('.') && t.len() <= 3)
            .count(),
        with_notes
    );

    let (pdf, _) = export_bytes(
        &doc,
        Options {
            format: Format::Pdf,
            ..Options::default()
        },
    );
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    let text = squeeze(&pdf_text(&pdf));
    for needle in [
        "Worst moments",
        "Largest gaps",
        "Top opportunities",
        "Worst moment",
        "Is caused by (arrow to the root cause)",
        "Line of interaction",
        "Notes",
    ] {
        assert!(text.contains(&squeeze(needle)), "{needle} not in the PDF");
    }
}

/// The executive export: only severe pain points, moments of truth and opportunities, with
/// the curves, the gap and the summary; looked at, and kept as a golden.
#[test]
fn golden_executive_view_and_owner_colours() {
    let doc = sample_map();
    let (png, _) = export_bytes(
        &doc,
        Options {
            view: View {
                executive: true,
                colour_by: journeymap::render::ColourBy::Owner,
                ..View::default()
            },
            ..png_opts(1.0, ThemeKind::Light)
        },
    );
    check_golden("surprise-bill-executive-owner-1x", &png);
    let scene = export::scene_with(
        &doc,
        &View {
            executive: true,
            ..View::default()
        },
        &meta(),
    );
    let texts: String = scene
        .list
        .items()
        .filter_map(|(_, i)| match i {
            Item::Text { text, .. } => Some(text.to_string()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(" ");
    assert!(texts.contains("Bill differs from the advertised"));
    assert!(
        !texts.contains("Compares plans on the"),
        "actions are not in it"
    );
    assert!(
        !texts.contains("A clause on early fees"),
        "a minor pain point is not in it"
    );
}

/// PDF exports are reproducible byte for byte (svg2pdf writes fonts in hash-map order: the
/// export numbers and lays out objects canonically), also for a title that reads like a
/// PDF reference, and they still open.
#[test]
fn pdf_bytes_are_the_same_every_time() {
    let mut doc = sample_map();
    doc.title = "Journey 4 0 R (draft) \\ 12 0 R".into();
    let opts = Options {
        format: Format::Pdf,
        ..Options::default()
    };
    let runs: Vec<Vec<u8>> = (0..4).map(|_| export_bytes(&doc, opts.clone()).0).collect();
    for r in &runs[1..] {
        assert!(r == &runs[0], "two exports of one map differ");
    }
    let pdf = lopdf::Document::load_mem(&runs[0]).unwrap();
    assert_eq!(pdf.get_pages().len(), 1);
    let text: String = pdf_text(&runs[0]).split_whitespace().collect();
    assert!(text.contains("Worstmoments"), "the page still has its text");
    let info = pdf
        .trailer
        .get(b"Info")
        .and_then(lopdf::Object::as_reference)
        .unwrap();
    let title = pdf.get_dictionary(info).unwrap().get(b"Title").unwrap();
    assert_eq!(
        title.as_str().unwrap(),
        "Journey 4 0 R (draft) \\ 12 0 R".as_bytes()
    );
}

/// Layout stays bounded with hostile content: an owner thousands of characters long does
/// not widen the export, and a hundred personas do not make the title block endless.
#[test]
fn long_owners_and_many_personas_keep_exports_bounded() {
    let plain = export::scene_of(&sample_map(), ThemeKind::Light, &meta());
    let mut doc = sample_map();
    doc.card_at_mut(0).owner = "Department of ".repeat(400);
    for i in 0..100 {
        let id = journeymap::model::PersonaId(doc.unused_id());
        let mut p = journeymap::model::Persona::named(id, format!("Persona {i}"));
        p.quote = "A long quote that goes on and on ".repeat(10);
        doc.personas.push(p);
    }
    let scene = export::scene_of(&doc, ThemeKind::Light, &meta());
    let (w0, w1) = (plain.list.bounds.width(), scene.list.bounds.width());
    assert!(
        (w1 - w0).abs() < 1.0,
        "{w0} → {w1}: the owner widened the export"
    );
    let extra = scene.list.bounds.height() - plain.list.bounds.height();
    assert!(extra < 1_500.0, "{extra} units more for the personas");
    let texts: Vec<String> = scene
        .list
        .items()
        .filter_map(|(_, i)| match i {
            Item::Text { text, .. } => Some(text.to_string()),
            _ => None,
        })
        .collect();
    assert!(
        texts.iter().any(|t| t.contains("more personas")),
        "the rest are counted"
    );
}
