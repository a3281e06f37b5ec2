//! Design tokens: every colour the map and the editor use, for the light and dark themes.
//! The only place colours are written.

use crate::model::{Hue, LaneKind};

/// An sRGB colour with straight (unmultiplied) alpha.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Color(pub [u8; 4]);

/// A QR code's dark modules (always dark on light, whatever the theme: phones read it).
pub const QR_DARK: Color = Color::hex(0x00_00_00);
/// A QR code's light modules and quiet zone.
pub const QR_LIGHT: Color = Color::hex(0xFF_FF_FF);
/// Text drawn as a coverage mask (white, full alpha) for the canvas to tint in the text's
/// colour.
pub const MASK: Color = Color::hex(0xFF_FF_FF);

impl Color {
    /// An opaque colour from 0xRRGGBB.
    #[must_use]
    pub const fn hex(rgb: u32) -> Self {
        Self([(rgb >> 16) as u8, (rgb >> 8) as u8, rgb as u8, 255])
    }

    /// The colour for egui (the canvas).
    #[must_use]
    pub fn to_egui(self) -> egui::Color32 {
        let [r, g, b, a] = self.0;
        egui::Color32::from_rgba_unmultiplied(r, g, b, a)
    }

    /// The same colour with another alpha.
    #[must_use]
    pub const fn alpha(self, a: u8) -> Self {
        Self([self.0[0], self.0[1], self.0[2], a])
    }
}

/// Which theme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ThemeKind {
    /// Light (prints well; the default).
    #[default]
    Light,
    /// Dark.
    Dark,
}

/// The colours of one theme.
#[derive(Clone, Debug, PartialEq)]
pub struct Theme {
    /// Behind everything.
    pub background: Color,
    /// Stage-header band.
    pub header_fill: Color,
    /// Alternate stage columns.
    pub column_tint: Color,
    /// Lane-label column.
    pub label_fill: Color,
    /// Grid lines between lanes and stages.
    pub grid: Color,
    /// Main text.
    pub text: Color,
    /// Secondary text (meta lines, scale labels).
    pub text_muted: Color,
    /// Card outline.
    pub card_stroke: Color,
    /// Moment-of-truth marker.
    pub moment: Color,
    /// Emotion curve line.
    pub curve: Color,
    /// Fill under the curve where the customer feels good.
    pub good: Color,
    /// Fill above the curve where the customer feels bad.
    pub bad: Color,
    /// The neutral line of the emotion scale.
    pub neutral: Color,
    /// The "service as measured" curve.
    pub curve_measured: Color,
    /// The "future state" curve.
    pub curve_future: Color,
    /// The hatching of the gap between measured and perceived.
    pub gap: Color,
    /// The gap's bracket and label.
    pub gap_text: Color,
    /// Editor overlay: selection.
    pub selection: Color,
    /// Editor overlay: drop marker and the new-stage preview.
    pub accent: Color,
    /// Editor overlay: the hint in the new-stage band.
    pub hint: Color,
    /// Editor overlay: what a merge left to settle (magenta, apart from the moment of
    /// truth's gold).
    pub conflict: Color,
}

impl Theme {
    /// The theme's tokens.
    #[must_use]
    pub fn get(kind: ThemeKind) -> Self {
        match kind {
            ThemeKind::Light => Self {
                background: Color::hex(0xFF_FF_FF),
                header_fill: Color::hex(0x2B_3A_55),
                column_tint: Color::hex(0xF5_F7_FA),
                label_fill: Color::hex(0xEE_F1_F5),
                grid: Color::hex(0xD5_DB_E3),
                text: Color::hex(0x1B_22_2C),
                text_muted: Color::hex(0x5B_66_75),
                card_stroke: Color::hex(0x00_00_00).alpha(40),
                moment: Color::hex(0xE0_8A_00),
                curve: Color::hex(0x2B_3A_55),
                good: Color::hex(0x2E_A0_5A).alpha(70),
                bad: Color::hex(0xD6_45_45).alpha(70),
                neutral: Color::hex(0x9A_A4_B2),
                curve_measured: Color::hex(0x3B_7D_D8),
                curve_future: Color::hex(0x2E_A0_5A),
                gap: Color::hex(0xE0_8A_00).alpha(150),
                gap_text: Color::hex(0xA8_5A_00),
                selection: Color::hex(0x1F_6F_EB),
                accent: Color::hex(0xE0_5A_00),
                hint: Color::hex(0x9A_A4_B2),
                conflict: Color::hex(0xD8_1B_60),
            },
            ThemeKind::Dark => Self {
                background: Color::hex(0x15_18_1D),
                header_fill: Color::hex(0x33_40_58),
                column_tint: Color::hex(0x1B_1F_26),
                label_fill: Color::hex(0x20_25_2D),
                grid: Color::hex(0x33_3A_45),
                text: Color::hex(0xE6_EA_F0),
                text_muted: Color::hex(0xA0_AA_B8),
                card_stroke: Color::hex(0xFF_FF_FF).alpha(30),
                moment: Color::hex(0xFF_B3_33),
                curve: Color::hex(0xE6_EA_F0),
                good: Color::hex(0x3C_C8_73).alpha(80),
                bad: Color::hex(0xF0_60_60).alpha(80),
                neutral: Color::hex(0x6A_74_82),
                curve_measured: Color::hex(0x6A_A8_FF),
                curve_future: Color::hex(0x5C_D6_8A),
                gap: Color::hex(0xFF_B3_33).alpha(150),
                gap_text: Color::hex(0xFF_C8_66),
                selection: Color::hex(0x5A_9B_FF),
                accent: Color::hex(0xFF_8A_3D),
                hint: Color::hex(0x6A_74_82),
                conflict: Color::hex(0xF0_4E_8C),
            },
        }
    }

    /// Text on the stage-header band.
    #[must_use]
    pub fn header_text(&self) -> Color {
        Color::hex(0xFF_FF_FF)
    }

    /// The colours of a named hue: a strong accent (stripes, curves, legend) and a soft fill
    /// (cards) for this theme.
    #[must_use]
    pub fn hue(&self, h: Hue) -> HueColors {
        let dark = self.background.0[0] < 128;
        let (accent, light, deep) = match h {
            Hue::Blue => (0x3B_7D_D8, 0xDC_EA_FB, 0x24_3B_5A),
            Hue::Teal => (0x1E_A3_93, 0xD5_F2_EE, 0x1E_4A_45),
            Hue::Violet => (0x8A_5C_D6, 0xEC_E3_FA, 0x3B_2F_55),
            Hue::Slate => (0x5B_66_75, 0xE3_E8_EF, 0x2A_31_3B),
            Hue::Red => (0xD6_45_45, 0xFD_DE_DE, 0x5A_26_2A),
            Hue::Green => (0x2E_A0_5A, 0xDD_F5_E0, 0x22_4A_2D),
            Hue::Grey => (0x6B_76_86, 0xE6_E9_EE, 0x2E_34_3D),
            Hue::Amber => (0xC9_8A_12, 0xFF_F1_D0, 0x4D_3F_1E),
            Hue::Indigo => (0x55_61_D6, 0xE3_E6_FB, 0x2C_31_60),
            Hue::Stone => (0x8C_7B_6A, 0xEF_EA_E4, 0x3D_38_32_u32),
            Hue::Pink => (0xD1_46_8C, 0xFC_E4_F1, 0x53_2A_42),
            Hue::Orange => (0xE0_71_1C, 0xFF_E8_D6, 0x55_34_1C),
        };
        HueColors {
            accent: Color::hex(accent),
            fill: Color::hex(if dark { deep } else { light }),
        }
    }

    /// The fill of a card in a lane of this kind.
    #[must_use]
    pub fn card_fill(&self, kind: LaneKind) -> Color {
        self.hue(kind.info().hue).fill
    }

    /// The marker colour of a lane kind (label stripe, legend).
    #[must_use]
    pub fn kind_accent(&self, kind: LaneKind) -> Color {
        self.hue(kind.info().hue).accent
    }
}

/// The colours of one hue in a theme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HueColors {
    /// Strong: stripes, curves, legend swatches.
    pub accent: Color,
    /// Soft: card backgrounds.
    pub fill: Color,
}
