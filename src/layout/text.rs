//! Measuring and wrapping text with the bundled font, identically for every backend.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The bundled regular face (Inter, OFL-1.1).
pub static FONT_REGULAR: &[u8] = include_bytes!("../../assets/fonts/Inter-Regular.otf");
/// The bundled semibold face (Inter, OFL-1.1).
pub static FONT_BOLD: &[u8] = include_bytes!("../../assets/fonts/Inter-SemiBold.otf");

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

/// [`TextMeasure`] backed by the bundled font: the same numbers on every machine and backend.
/// Characters the font lacks (CJK, emoji) measure as the font's missing-glyph box, which is
/// also what every backend draws for them: the defined fallback, never a system font.
pub struct FontMeasure {
    regular: FaceMetrics,
    bold: FaceMetrics,
}

impl FontMeasure {
    /// The shared instance (parsed once).
    #[must_use]
    pub fn shared() -> &'static FontMeasure {
        static SHARED: OnceLock<FontMeasure> = OnceLock::new();
        SHARED.get_or_init(|| FontMeasure {
            regular: FaceMetrics::parse(FONT_REGULAR),
            bold: FaceMetrics::parse(FONT_BOLD),
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

    /// Whether the bundled font has a glyph for `c`.
    #[must_use]
    pub fn has_glyph(&self, c: char) -> bool {
        self.regular.advances.contains_key(&c)
    }
}

impl TextMeasure for FontMeasure {
    fn advance(&self, c: char, size: f32, bold: bool) -> f32 {
        let face = if bold { &self.bold } else { &self.regular };
        face.advances.get(&c).copied().unwrap_or(face.missing) * size
    }
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
    for c in text.chars() {
        let a = measure.advance(c, size, bold);
        if w + a > room {
            break;
        }
        w += a;
        out.push(c);
    }
    let mut out = out.trim_end().to_owned();
    out.push('\u{2026}');
    out
}

/// Wraps text into lines no wider than `max_width`: at spaces where possible, inside a word
/// when the word alone is too wide. Newlines in the text always break.
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
    for para in text.split('\n') {
        let mut line = String::new();
        let mut line_w = 0.0;
        for word in para.split(' ') {
            let word_w = measure.width(word, size, bold);
            let sep = if line.is_empty() { 0.0 } else { space };
            if line_w + sep + word_w <= max_width {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
                line_w += sep + word_w;
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
            // A word wider than the line: break it between characters.
            for c in word.chars() {
                let w = measure.advance(c, size, bold);
                if line_w + w > max_width && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    line_w = 0.0;
                }
                line.push(c);
                line_w += w;
            }
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(!m.has_glyph('漢'));
        assert!(m.width("MMMM", 10.0, false) > m.width("iiii", 10.0, false));
    }
}
