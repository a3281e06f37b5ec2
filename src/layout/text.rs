//! Measuring and wrapping text with the bundled font, identically for every backend.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The bundled regular face (Inter, OFL-1.1).
pub static FONT_REGULAR: &[u8] = include_bytes!("../../assets/fonts/Inter-Regular.otf");
/// The bundled semibold face (Inter, OFL-1.1).
pub static FONT_BOLD: &[u8] = include_bytes!("../../assets/fonts/Inter-SemiBold.otf");
/// The bundled face for what Inter lacks: Chinese, Japanese and Korean (Droid Sans Fallback,
/// Apache-2.0). One face for regular and bold text.
pub static FONT_FALLBACK: &[u8] = include_bytes!("../../assets/fonts/DroidSansFallback.ttf");

/// Gives the width of text in world units.
pub trait TextMeasure {
    /// The advance of one character at `size` (em size in world units).
    fn advance(&self, c: char, size: f32, bold: bool) -> f32;

    /// The width of a line.
    fn width(&self, text: &str, size: f32, bold: bool) -> f32 {
        text.chars().map(|c| self.advance(c, size, bold)).sum()
    }
}

/// Advance widths of one face, per em.
struct FaceMetrics {
    advances: HashMap<char, f32>,
    missing: f32,
    /// Ascender and descender (negative), per em.
    ascender: f32,
    descender: f32,
}

impl FaceMetrics {
    fn parse(bytes: &[u8]) -> Self {
        let mut advances = HashMap::new();
        let mut missing = 0.5;
        let (mut ascender, mut descender) = (0.9, -0.25);
        if let Ok(face) = ttf_parser::Face::parse(bytes, 0) {
            let upem = f32::from(face.units_per_em());
            ascender = f32::from(face.ascender()) / upem;
            descender = f32::from(face.descender()) / upem;
            missing = face
                .glyph_hor_advance(ttf_parser::GlyphId(0))
                .map_or(0.5, |a| f32::from(a) / upem);
            if let Some(cmap) = face.tables().cmap {
                for sub in cmap.subtables {
                    if !sub.is_unicode() {
                        continue;
                    }
                    sub.codepoints(|cp| {
                        if let (Some(c), Some(g)) = (char::from_u32(cp), sub.glyph_index(cp))
                            && let Some(a) = face.glyph_hor_advance(g)
                        {
                            advances.insert(c, f32::from(a) / upem);
                        }
                    });
                }
            }
        }
        Self {
            advances,
            missing,
            ascender,
            descender,
        }
    }
}

/// [`TextMeasure`] backed by the bundled fonts: the same numbers on every machine and backend.
/// What Inter lacks comes from the bundled fallback face (Chinese, Japanese, Korean); what
/// neither has measures as Inter's missing-glyph box, which is also what every backend draws
/// for it. Never a system font.
pub struct FontMeasure {
    regular: FaceMetrics,
    bold: FaceMetrics,
    /// Parsed the first time a character Inter lacks is measured (3.4 MB: not at every
    /// start).
    fallback: OnceLock<FaceMetrics>,
}

impl FontMeasure {
    /// The shared instance (parsed once).
    #[must_use]
    pub fn shared() -> &'static FontMeasure {
        static SHARED: OnceLock<FontMeasure> = OnceLock::new();
        SHARED.get_or_init(|| FontMeasure {
            regular: FaceMetrics::parse(FONT_REGULAR),
            bold: FaceMetrics::parse(FONT_BOLD),
            fallback: OnceLock::new(),
        })
    }

    /// Distance from the top of a line box (`size` × line height) to the text's baseline: the
    /// font's ascender-to-descender box centred in the line box. Every backend puts text here.
    #[must_use]
    pub fn baseline(&self, size: f32) -> f32 {
        let f = &self.regular;
        let line = crate::layout::LINE_HEIGHT;
        size * ((line - (f.ascender - f.descender)) / 2.0 + f.ascender)
    }

    /// Whether a bundled font has a glyph for `c`.
    #[must_use]
    pub fn has_glyph(&self, c: char) -> bool {
        self.regular.advances.contains_key(&c)
            || self.fallback().advances.contains_key(&c)
            || script_advance(c).is_some()
    }

    fn fallback(&self) -> &FaceMetrics {
        self.fallback
            .get_or_init(|| FaceMetrics::parse(FONT_FALLBACK))
    }

    /// Whether `c` is drawn from the fallback face (Inter lacks it, the fallback has it).
    #[must_use]
    pub fn from_fallback(&self, c: char) -> bool {
        !self.regular.advances.contains_key(&c)
            && self.fallback().advances.contains_key(&c)
            && super::shape::FaceId::of_script(c).is_none()
    }
}

impl TextMeasure for FontMeasure {
    fn advance(&self, c: char, size: f32, bold: bool) -> f32 {
        let face = if bold { &self.bold } else { &self.regular };
        if super::shape::FaceId::of_script(c).is_some()
            && let Some(a) = script_advance(c)
        {
            return a * size;
        }
        face.advances
            .get(&c)
            .or_else(|| self.fallback().advances.get(&c))
            .copied()
            .unwrap_or(face.missing)
            * size
    }

    /// Lines in scripts that need shaping measure as shaped (joined Arabic letters are
    /// narrower than their isolated forms); others glyph by glyph.
    fn width(&self, text: &str, size: f32, bold: bool) -> f32 {
        if super::shape::needs_shaping(text) {
            super::shape::shape(text, size, bold).width
        } else {
            text.chars().map(|c| self.advance(c, size, bold)).sum()
        }
    }
}

/// The advance (per em) of a letter of a script that needs shaping, alone, from its face.
fn script_advance(c: char) -> Option<f32> {
    let face = super::shape::Faces::shared().get(super::shape::FaceId::of_script(c)?)?;
    let id = face.glyph_index(c)?;
    Some(f32::from(face.glyph_hor_advance(id)?) / face.units_per_em() as f32)
}

/// Chinese, Japanese and Korean characters (and their punctuation and full-width forms):
/// lines may break before and after each, as UAX #14 allows for ideographs.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF
            | 0x2E80..=0x2FDF
            | 0x3000..=0x303F
            | 0x3040..=0x31FF
            | 0x3200..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xA960..=0xA97F
            | 0xAC00..=0xD7AF
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFFEF
            | 0x20000..=0x3FFFF)
}

/// Characters a line does not start with (closing punctuation, small kana, the prolonged
/// sound mark: Japanese kinsoku and UAX #14's CL, CP, NS, EX and IS).
const NO_BREAK_BEFORE: &str = ",.:;!?)]}%\u{2026}\u{3001}\u{3002}\u{FF0C}\u{FF0E}\u{FF1A}\u{FF1B}\u{FF1F}\u{FF01}\u{FF09}\u{300D}\u{300F}\u{3011}\u{3015}\u{3009}\u{300B}\u{3019}\u{3017}\u{301F}\u{FF5D}\u{30FB}\u{30FC}\u{3063}\u{3083}\u{3085}\u{3087}\u{3041}\u{3043}\u{3045}\u{3047}\u{3049}\u{30C3}\u{30E3}\u{30E5}\u{30E7}\u{30A1}\u{30A3}\u{30A5}\u{30A7}\u{30A9}\u{301C}";

/// Characters a line does not end with (opening brackets).
const NO_BREAK_AFTER: &str =
    "([{\u{FF08}\u{300C}\u{300E}\u{3010}\u{3014}\u{3008}\u{300A}\u{3018}\u{3016}\u{301D}\u{FF5B}";

/// A space-separated word cut where a line may break inside it: around CJK characters.
fn segments(word: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev: Option<char> = None;
    for (i, c) in word.char_indices() {
        if let Some(p) = prev
            && (is_cjk(p) || is_cjk(c))
            && !NO_BREAK_BEFORE.contains(c)
            && !NO_BREAK_AFTER.contains(p)
        {
            out.push(&word[start..i]);
            start = i;
        }
        prev = Some(c);
    }
    out.push(&word[start..]);
    out
}

/// One line no wider than `max_width`: the text itself if it fits, else cut with "…". Linear
/// in the text's length.
#[must_use]
pub fn elide(
    measure: &dyn TextMeasure,
    text: &str,
    size: f32,
    bold: bool,
    max_width: f32,
) -> String {
    if measure.width(text, size, bold) <= max_width {
        return text.to_owned();
    }
    let room = max_width - measure.advance('\u{2026}', size, bold);
    let mut out = String::new();
    let mut w = 0.0;
    for g in unicode_segmentation::UnicodeSegmentation::graphemes(text, true) {
        let a = measure.width(g, size, bold);
        if w + a > room {
            break;
        }
        w += a;
        out.push_str(g);
    }
    let mut out = out.trim_end().to_owned();
    out.push('\u{2026}');
    out
}

/// Wraps text into lines no wider than `max_width`: at spaces and between CJK characters
/// where possible (never before closing punctuation nor after an opening bracket), inside a
/// word when the word alone is too wide. Newlines in the text always break.
#[must_use]
pub fn wrap(
    measure: &dyn TextMeasure,
    text: &str,
    size: f32,
    bold: bool,
    max_width: f32,
) -> Vec<String> {
    let mut lines = Vec::new();
    let space = measure.advance(' ', size, bold);
    // The width of `line` with `piece` after it (`line_w`: the line's own): a sum where
    // every glyph has its own width; where shaping joins, reorders or changes faces across
    // the pieces (Arabic, Indic, right to left) the sum can be far off (a mark alone is drawn
    // on a dotted circle, a letter before a joiner takes another form), so the whole is
    // shaped again (a line is short: this stays linear in the text).
    let grown = |line: &str, line_w: f32, glue: bool, piece: &str, piece_w: f32| {
        let sum = line_w + if glue { space } else { 0.0 } + piece_w;
        if super::shape::needs_shaping(line) || super::shape::needs_shaping(piece) {
            let mut both = String::with_capacity(line.len() + piece.len() + 1);
            both.push_str(line);
            if glue {
                both.push(' ');
            }
            both.push_str(piece);
            measure.width(&both, size, bold)
        } else {
            sum
        }
    };
    for para in text.split('\n') {
        let mut line = String::new();
        let mut line_w = 0.0;
        for (word, first) in para
            .split(' ')
            .flat_map(|w| segments(w).into_iter().enumerate())
            .map(|(i, s)| (s, i == 0))
        {
            // A word's first segment follows a space; its others follow it directly.
            let word_w = measure.width(word, size, bold);
            let glue = !line.is_empty() && first;
            let with = grown(&line, line_w, glue, word, word_w);
            if with <= max_width {
                if glue {
                    line.push(' ');
                }
                line.push_str(word);
                line_w = with;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_w = 0.0;
            }
            if word_w <= max_width {
                line.push_str(word);
                line_w = word_w;
                continue;
            }
            // A word wider than the line: break it between letters (a letter with its marks,
            // a Devanagari or Thai cluster, stays whole).
            for g in unicode_segmentation::UnicodeSegmentation::graphemes(word, true) {
                let w = measure.width(g, size, bold);
                let with = grown(&line, line_w, false, g, w);
                if with > max_width && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    line.push_str(g);
                    line_w = w;
                } else {
                    line.push_str(g);
                    line_w = with;
                }
            }
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Chinese and Japanese break between characters (filling each line), never before
    /// closing punctuation or after an opening bracket; Latin words stay whole; the lines
    /// give back the text.
    #[test]
    fn cjk_wraps_between_characters_with_kinsoku() {
        let m = FontMeasure::shared();
        let size = 12.0;
        let em = m.advance('漢', size, false);
        assert!(
            (em - size).abs() < 0.01,
            "a full-width glyph is one em: {em}"
        );
        let text = "账单与广告价格不符：多了一笔四十九欧元的开通费。FAQ に「手数料」の説明がない。";
        for chars in 3..12 {
            let width = em * chars as f32 + 0.5;
            let lines = wrap(m, text, size, false, width);
            assert_eq!(lines.concat().replace(' ', ""), text.replace(' ', ""));
            for (i, l) in lines.iter().enumerate() {
                assert!(
                    m.width(l, size, false) <= width,
                    "{l} wider than {chars} em"
                );
                let first = l.chars().next().unwrap_or(' ');
                assert!(
                    !NO_BREAK_BEFORE.contains(first),
                    "line {i} starts with {first}: {lines:?}"
                );
                let last = l.chars().last().unwrap_or(' ');
                assert!(
                    !NO_BREAK_AFTER.contains(last),
                    "line {i} ends with {last}: {lines:?}"
                );
                assert!(!l.contains("FA\n") && !l.ends_with("FA"), "{lines:?}");
            }
            // Lines are full: what the next line starts with, up to where a line may break,
            // would not have fit.
            let mut at = 0;
            for w in lines.windows(2) {
                at = text[at..].find(w[1].as_str()).map_or(at, |i| at + i);
                let sep = if text[..at].ends_with(' ') {
                    m.advance(' ', size, false)
                } else {
                    0.0
                };
                let next = segments(w[1].split(' ').next().unwrap_or(""))[0];
                if next.starts_with(is_cjk) {
                    assert!(
                        m.width(&w[0], size, false) + sep + m.width(next, size, false) > width,
                        "{:?} could have taken {next}",
                        w[0]
                    );
                }
            }
        }
        // Korean keeps its spaces.
        let ko = wrap(m, "첫 번째 청구서를 엽니다", size, false, em * 20.0);
        assert_eq!(ko, vec!["첫 번째 청구서를 엽니다"]);
    }

    #[test]
    fn elides_to_width() {
        let m = FontMeasure::shared();
        assert_eq!(
            elide(m, "+2 Very positive", 12.0, false, 500.0),
            "+2 Very positive"
        );
        let long = "Delighted ".repeat(2_000);
        let e = elide(m, &long, 12.0, false, 120.0);
        assert!(e.ends_with('\u{2026}') && e.starts_with("Delighted"), "{e}");
        assert!(m.width(&e, 12.0, false) <= 120.0 + 0.01, "{e}");
    }

    #[test]
    fn wraps_within_width() {
        let m = FontMeasure::shared();
        let text =
            "A clause on early fees is hard to understand and Supercalifragilisticexpialidocious";
        let lines = wrap(m, text, 15.0, false, 120.0);
        assert!(lines.len() > 2);
        for l in &lines {
            assert!(m.width(l, 15.0, false) <= 120.0 + 0.01, "{l}");
        }
        assert_eq!(lines.join(" ").replace(' ', ""), text.replace(' ', ""));
        assert_eq!(wrap(m, "a\nb", 15.0, false, 500.0), vec!["a", "b"]);
    }

    #[test]
    fn font_has_latin_not_cjk() {
        let m = FontMeasure::shared();
        assert!(m.has_glyph('é'));
        assert!(m.has_glyph('漢'), "from the fallback face");
        assert!(m.from_fallback('漢') && !m.from_fallback('é'));
        assert!(!m.has_glyph('\u{10FFFD}'));
        assert!(m.width("MMMM", 10.0, false) > m.width("iiii", 10.0, false));
    }
}
