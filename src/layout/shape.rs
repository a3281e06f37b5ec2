//! Shaping and direction for the scripts that need more than a glyph a character: Arabic
//! (joined letters, right to left), Hebrew (right to left), Devanagari (clusters, reordered
//! vowel signs) and Thai (stacked marks). A line with such text is shaped here, once for every
//! backend — the canvas, PNG, SVG and PDF draw the same glyphs at the same places — with the
//! bundled Noto faces, the bidirectional algorithm (UAX #9, direction from the first strong
//! character) and rustybuzz (`HarfBuzz`'s shaper). Other lines keep the quicker glyph-a-character
//! path; both measure with the same faces, so wrapping does not depend on the backend.

use std::ops::Range;
use std::sync::OnceLock;

use super::text::{FONT_BOLD, FONT_FALLBACK, FONT_REGULAR};

/// Noto Sans Arabic (OFL-1.1).
pub static FONT_ARABIC: &[u8] = include_bytes!("../../assets/fonts/NotoSansArabic-Regular.ttf");
/// Noto Sans Hebrew (OFL-1.1).
pub static FONT_HEBREW: &[u8] = include_bytes!("../../assets/fonts/NotoSansHebrew-Regular.ttf");
/// Noto Sans Devanagari (OFL-1.1).
pub static FONT_DEVANAGARI: &[u8] =
    include_bytes!("../../assets/fonts/NotoSansDevanagari-Regular.ttf");
/// Noto Sans Thai (OFL-1.1).
pub static FONT_THAI: &[u8] = include_bytes!("../../assets/fonts/NotoSansThai-Regular.ttf");

/// One of the bundled faces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FaceId {
    Regular,
    Bold,
    Cjk,
    Arabic,
    Hebrew,
    Devanagari,
    Thai,
}

impl FaceId {
    /// Every face.
    pub const ALL: [FaceId; 7] = [
        FaceId::Regular,
        FaceId::Bold,
        FaceId::Cjk,
        FaceId::Arabic,
        FaceId::Hebrew,
        FaceId::Devanagari,
        FaceId::Thai,
    ];

    /// The face's file.
    #[must_use]
    pub fn bytes(self) -> &'static [u8] {
        match self {
            FaceId::Regular => FONT_REGULAR,
            FaceId::Bold => FONT_BOLD,
            FaceId::Cjk => FONT_FALLBACK,
            FaceId::Arabic => FONT_ARABIC,
            FaceId::Hebrew => FONT_HEBREW,
            FaceId::Devanagari => FONT_DEVANAGARI,
            FaceId::Thai => FONT_THAI,
        }
    }

    /// The face of a script that needs shaping, for a character of it.
    #[must_use]
    pub fn of_script(c: char) -> Option<FaceId> {
        Some(match c as u32 {
            0x0590..=0x05FF | 0xFB1D..=0xFB4F => FaceId::Hebrew,
            0x0600..=0x06FF
            | 0x0750..=0x077F
            | 0x08A0..=0x08FF
            | 0xFB50..=0xFDFF
            | 0xFE70..=0xFEFF => FaceId::Arabic,
            0x0900..=0x097F | 0xA8E0..=0xA8FF => FaceId::Devanagari,
            0x0E00..=0x0E7F => FaceId::Thai,
            _ => return None,
        })
    }
}

/// Whether a line has text that needs shaping or reordering (a script above, or an explicit
/// direction mark).
#[must_use]
pub fn needs_shaping(text: &str) -> bool {
    text.chars().any(|c| {
        FaceId::of_script(c).is_some()
            || matches!(c as u32, 0x200E | 0x200F | 0x202A..=0x202E | 0x2066..=0x2069)
    })
}

/// Whether a line reads right to left: its first letter is Hebrew or Arabic (UAX #9's rule
/// for a paragraph's direction, without explicit marks).
#[must_use]
pub fn reads_rtl(text: &str) -> bool {
    text.chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(|c| matches!(FaceId::of_script(c), Some(FaceId::Arabic | FaceId::Hebrew)))
}

/// The parsed faces, for shaping and for drawing glyphs.
pub struct Faces {
    faces: Vec<rustybuzz::Face<'static>>,
}

impl Faces {
    /// The shared instance (parsed once).
    #[must_use]
    pub fn shared() -> &'static Faces {
        static SHARED: OnceLock<Faces> = OnceLock::new();
        SHARED.get_or_init(|| Faces {
            faces: FaceId::ALL
                .iter()
                .filter_map(|f| rustybuzz::Face::from_slice(f.bytes(), 0))
                .collect(),
        })
    }

    /// A face (`None` only if a bundled file failed to parse).
    #[must_use]
    pub fn get(&self, id: FaceId) -> Option<&rustybuzz::Face<'static>> {
        (self.faces.len() == FaceId::ALL.len()).then(|| &self.faces[id as usize])
    }

    fn has(&self, id: FaceId, c: char) -> bool {
        self.get(id).is_some_and(|f| f.glyph_index(c).is_some())
    }

    /// The face a character is drawn with, after `prev` (neutral characters — spaces,
    /// digits, punctuation — stay in the face of the text around them when it has them).
    fn face_for(&self, c: char, bold: bool, prev: Option<FaceId>) -> FaceId {
        let latin = if bold { FaceId::Bold } else { FaceId::Regular };
        if let Some(f) = FaceId::of_script(c) {
            return f;
        }
        if let Some(p) = prev
            && !c.is_alphabetic()
            && p != latin
            && self.has(p, c)
        {
            return p;
        }
        if self.has(latin, c) {
            latin
        } else if self.has(FaceId::Cjk, c) {
            FaceId::Cjk
        } else {
            latin
        }
    }
}

/// A glyph placed on a line: `x` from the line's start and `y` up from the baseline, in the
/// units of the size shaped at.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Glyph {
    pub face: FaceId,
    pub id: u16,
    pub x: f32,
    pub y: f32,
}

/// A shaped line: its glyphs left to right, its width, and whether it reads right to left.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Shaped {
    pub glyphs: Vec<Glyph>,
    pub width: f32,
    pub rtl: bool,
}

/// Shapes one line of text at `size` (no kerning nor ligatures in Latin, as the rest of the
/// map is drawn; what a script needs — Arabic joining, Indic reordering — is always on).
#[must_use]
pub fn shape(text: &str, size: f32, bold: bool) -> Shaped {
    let faces = Faces::shared();
    let bidi = unicode_bidi::BidiInfo::new(text, None);
    let mut out = Shaped::default();
    let mut pen = 0.0;
    for para in &bidi.paragraphs {
        if out.glyphs.is_empty() {
            out.rtl = para.level.is_rtl();
        }
        let (levels, runs) = bidi.visual_runs(para, para.range.clone());
        for run in runs {
            let rtl = levels
                .get(run.start)
                .is_some_and(unicode_bidi::Level::is_rtl);
            let mut segs = by_face(faces, text, run, bold);
            if rtl {
                segs.reverse();
            }
            for (range, face) in segs {
                pen = shape_run(faces, &text[range], face, rtl, size, pen, &mut out.glyphs);
            }
        }
    }
    out.width = pen;
    out
}

/// A run cut where its face changes, in logical order.
fn by_face(
    faces: &Faces,
    text: &str,
    run: Range<usize>,
    bold: bool,
) -> Vec<(Range<usize>, FaceId)> {
    let mut segs: Vec<(Range<usize>, FaceId)> = Vec::new();
    let mut prev = None;
    for (i, c) in text[run.clone()].char_indices() {
        let at = run.start + i;
        let f = faces.face_for(c, bold, prev);
        match segs.last_mut() {
            Some((r, last)) if *last == f => r.end = at + c.len_utf8(),
            _ => segs.push((at..at + c.len_utf8(), f)),
        }
        prev = Some(f);
    }
    segs
}

/// Shapes `text` in one face and direction from `pen`; returns the pen after it.
fn shape_run(
    faces: &Faces,
    text: &str,
    face: FaceId,
    rtl: bool,
    size: f32,
    pen: f32,
    out: &mut Vec<Glyph>,
) -> f32 {
    let Some(f) = faces.get(face) else {
        return pen;
    };
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.set_direction(if rtl {
        rustybuzz::Direction::RightToLeft
    } else {
        rustybuzz::Direction::LeftToRight
    });
    buffer.guess_segment_properties();
    let plan = plan(f, face, buffer.direction(), buffer.script());
    let shaped = rustybuzz::shape_with_plan(f, &plan, buffer);
    let scale = size / f.units_per_em() as f32;
    let mut pen = pen;
    for (info, pos) in shaped.glyph_infos().iter().zip(shaped.glyph_positions()) {
        out.push(Glyph {
            face,
            id: u16::try_from(info.glyph_id).unwrap_or(0),
            x: pen + pos.x_offset as f32 * scale,
            y: pos.y_offset as f32 * scale,
        });
        pen += pos.x_advance as f32 * scale;
    }
    pen
}

/// The shaping plan of a face, direction and script, made once (making one is most of the
/// cost of shaping a short text).
fn plan(
    f: &rustybuzz::Face<'static>,
    face: FaceId,
    direction: rustybuzz::Direction,
    script: rustybuzz::Script,
) -> std::sync::Arc<rustybuzz::ShapePlan> {
    type Plans = std::collections::HashMap<
        (FaceId, bool, rustybuzz::Script),
        std::sync::Arc<rustybuzz::ShapePlan>,
    >;
    static PLANS: OnceLock<std::sync::Mutex<Plans>> = OnceLock::new();
    let key = (face, direction == rustybuzz::Direction::RightToLeft, script);
    let plans = PLANS.get_or_init(Default::default);
    if let Some(p) = plans.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return p;
    }
    let off =
        |tag: &[u8; 4]| rustybuzz::Feature::new(rustybuzz::ttf_parser::Tag::from_bytes(tag), 0, ..);
    // Latin as the rest of the map is drawn: no kerning, no ligatures.
    let features = if matches!(face, FaceId::Regular | FaceId::Bold) {
        vec![off(b"kern"), off(b"liga"), off(b"calt")]
    } else {
        Vec::new()
    };
    let p = std::sync::Arc::new(rustybuzz::ShapePlan::new(
        f,
        direction,
        Some(script),
        None,
        &features,
    ));
    if let Ok(mut m) = plans.lock() {
        m.insert(key, std::sync::Arc::clone(&p));
    }
    p
}

/// One outline command of a placed glyph (world units, y down).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PathCmd {
    Move(f32, f32),
    Line(f32, f32),
    Quad(f32, f32, f32, f32),
    Cubic(f32, f32, f32, f32, f32, f32),
    Close,
}

/// Sends the outlines of a shaped line, its start at `x` and its baseline at `baseline`, to
/// `out` (every backend fills them: the same glyphs everywhere).
pub fn outline(shaped: &Shaped, size: f32, x: f32, baseline: f32, out: &mut dyn FnMut(PathCmd)) {
    struct Placed<'a> {
        out: &'a mut dyn FnMut(PathCmd),
        x: f32,
        y: f32,
        s: f32,
    }
    impl Placed<'_> {
        fn p(&self, px: f32, py: f32) -> (f32, f32) {
            (self.x + px * self.s, self.y - py * self.s)
        }
    }
    impl rustybuzz::ttf_parser::OutlineBuilder for Placed<'_> {
        fn move_to(&mut self, x: f32, y: f32) {
            let (a, b) = self.p(x, y);
            (self.out)(PathCmd::Move(a, b));
        }
        fn line_to(&mut self, x: f32, y: f32) {
            let (a, b) = self.p(x, y);
            (self.out)(PathCmd::Line(a, b));
        }
        fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
            let ((a, b), (c, d)) = (self.p(x1, y1), self.p(x, y));
            (self.out)(PathCmd::Quad(a, b, c, d));
        }
        fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
            let ((a, b), (c, d), (e, f)) = (self.p(x1, y1), self.p(x2, y2), self.p(x, y));
            (self.out)(PathCmd::Cubic(a, b, c, d, e, f));
        }
        fn close(&mut self) {
            (self.out)(PathCmd::Close);
        }
    }
    let faces = Faces::shared();
    for g in &shaped.glyphs {
        let Some(face) = faces.get(g.face) else {
            continue;
        };
        let mut placed = Placed {
            out: &mut *out,
            x: x + g.x,
            y: baseline - g.y,
            s: size / face.units_per_em() as f32,
        };
        face.outline_glyph(rustybuzz::ttf_parser::GlyphId(g.id), &mut placed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Letters of every shaped script, Latin, CJK, digits, spaces, combining marks, joiners
    /// and every direction control (embeddings and overrides unbalanced, too).
    const PIECES: &[&str] = &[
        "\u{5D0}",
        "\u{5B8}",
        "\u{628}",
        "\u{644}\u{627}",
        "\u{64B}",
        "\u{915}",
        "\u{94D}",
        "\u{93F}",
        "\u{E01}",
        "\u{E34}",
        "\u{E48}",
        "a",
        "Z",
        "4",
        " ",
        "漢",
        "\u{301}",
        "\u{200D}",
        "\u{200C}",
        "\u{200E}",
        "\u{200F}",
        "\u{202A}",
        "\u{202B}",
        "\u{202C}",
        "\u{202D}",
        "\u{202E}",
        "\u{2066}",
        "\u{2067}",
        "\u{2068}",
        "\u{2069}",
        "(",
        ")",
        "\u{1F600}",
        "\u{FFFD}",
        "\t",
    ];

    proptest! {
        /// Whatever a card says, shaping ends, places every glyph inside the line's width and
        /// measures it as the width; wrapping keeps every character and no line is wider than
        /// asked unless it is one letter (a grapheme cluster) alone.
        #[test]
        fn any_text_shapes_and_wraps_within_its_width(
            picks in proptest::collection::vec(0..PIECES.len(), 0..60),
            width in 10.0f32..200.0,
        ) {
            let text: String = picks.iter().map(|i| PIECES[*i]).collect();
            let s = shape(&text, 12.0, false);
            prop_assert!(s.width.is_finite() && s.width >= 0.0);
            prop_assert!(s.glyphs.len() <= text.chars().count() * 4 + 4);
            prop_assert!(s.glyphs.iter().all(|g| g.x.is_finite() && g.x >= -12.0 && g.x <= s.width + 12.0));
            let m = crate::layout::FontMeasure::shared();
            let lines = crate::layout::wrap(m, &text, 12.0, false, width);
            prop_assert_eq!(lines.concat().replace(' ', ""), text.replace(' ', ""));
            for l in &lines {
                let w = crate::layout::TextMeasure::width(m, l, 12.0, false);
                let one = unicode_segmentation::UnicodeSegmentation::graphemes(l.trim(), true).count() <= 1;
                prop_assert!(w <= width + 0.5 || one, "{:?} is {} wide, asked {}", l, w, width);
            }
        }
    }

    fn glyph_of(face: FaceId, c: char) -> u16 {
        Faces::shared().get(face).unwrap().glyph_index(c).unwrap().0
    }

    #[test]
    fn hebrew_reads_right_to_left_and_latin_stays_left_to_right_inside_it() {
        // Alef, bet, gimel: the first letter is drawn rightmost.
        let s = shape("\u{5D0}\u{5D1}\u{5D2}", 12.0, false);
        assert!(s.rtl);
        let ids: Vec<u16> = s.glyphs.iter().map(|g| g.id).collect();
        let abc = ['\u{5D0}', '\u{5D1}', '\u{5D2}'].map(|c| glyph_of(FaceId::Hebrew, c));
        assert_eq!(ids, vec![abc[2], abc[1], abc[0]]);
        assert!(s.glyphs.windows(2).all(|w| w[0].x < w[1].x));
        // "CSAT 4" inside Hebrew keeps its own order, on the left of the Hebrew word.
        let mixed = shape("\u{5D0}\u{5D1} CSAT 4", 12.0, false);
        assert!(mixed.rtl);
        let c = glyph_of(FaceId::Regular, 'C');
        let t = glyph_of(FaceId::Regular, 'T');
        let pos = |id: u16| mixed.glyphs.iter().position(|g| g.id == id).unwrap();
        assert!(pos(c) < pos(t), "CSAT reads left to right");
        let alef = mixed
            .glyphs
            .iter()
            .position(|g| g.face == FaceId::Hebrew && g.id == abc[0])
            .unwrap();
        assert_eq!(
            alef,
            mixed.glyphs.len() - 1,
            "the first Hebrew letter is rightmost"
        );
        // A Latin line starting with Latin is left to right.
        assert!(!shape("Call \u{5D0}\u{5D1}", 12.0, false).rtl);
    }

    #[test]
    fn arabic_letters_join_and_devanagari_clusters_reorder() {
        // Beh alone and beh in the middle of a word are different glyphs (joined forms).
        let alone = shape("\u{628}", 12.0, false);
        let joined = shape("\u{628}\u{628}\u{628}", 12.0, false);
        assert_eq!(joined.glyphs.len(), 3);
        assert!(joined.glyphs.iter().all(|g| g.face == FaceId::Arabic));
        assert_ne!(joined.glyphs[1].id, alone.glyphs[0].id, "the medial form");
        // Ki: the vowel sign i is written before ka although it comes after it.
        let ki = shape("\u{915}\u{93F}", 12.0, false);
        let ka = glyph_of(FaceId::Devanagari, '\u{915}');
        assert_eq!(ki.glyphs.len(), 2);
        assert_eq!(ki.glyphs[1].id, ka, "ka comes second, after its vowel sign");
        // Nothing in these texts falls back to a missing glyph.
        for s in [
            "\u{645}\u{631}\u{62D}\u{628}\u{627}",
            "\u{928}\u{92E}\u{938}\u{94D}\u{924}\u{947}",
            "\u{E2A}\u{E27}\u{E31}\u{E2A}\u{E14}\u{E35}",
        ] {
            assert!(
                shape(s, 12.0, false).glyphs.iter().all(|g| g.id != 0),
                "{s}"
            );
        }
    }

    #[test]
    fn latin_shapes_as_wide_as_it_measures() {
        use crate::layout::TextMeasure as _;
        let m = crate::layout::FontMeasure::shared();
        let text = "Waiting 30 minutes, AV fi";
        let s = shape(text, 12.0, false);
        let plain: f32 = text.chars().map(|c| m.advance(c, 12.0, false)).sum();
        assert!((s.width - plain).abs() < 0.01, "{} vs {plain}", s.width);
    }
}
