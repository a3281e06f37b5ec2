//! [`Style`]: the sizes of everything with text in it, from a [`View`]'s text size: one value
//! passed to layout, scene and exporters instead of constants and globals.

use crate::view::View;

use super::{
    CARD_FONT, CARD_PAD, HEADER_FONT, HEADER_MIN_H, LABEL_W, LANE_FONT, LANE_MIN_H, META_FONT,
};

/// Font size of the emotion scale's labels at 100 %.
pub const SCALE_FONT: f32 = 12.0;

/// Sizes of everything with text in it, from one text scale (1.0 = 100 %): every font, the
/// padding inside cards, the lane-label column and the header band grow with it, so bigger
/// text re-wraps inside the same stage widths. The text cache keys on it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Style {
    /// Text size as a factor of the design size (1.0 to 2.0 in the editor).
    pub text_scale: f32,
}

impl Default for Style {
    fn default() -> Self {
        Self { text_scale: 1.0 }
    }
}

impl Style {
    /// Smallest text scale the editor offers.
    pub const MIN_SCALE: f32 = 1.0;
    /// Largest text scale the editor offers.
    pub const MAX_SCALE: f32 = 2.0;

    /// A style at `text_scale`, kept within what layout handles (0.5 to 4).
    #[must_use]
    pub fn scaled(text_scale: f32) -> Self {
        let s = if text_scale.is_finite() {
            text_scale.clamp(0.5, 4.0)
        } else {
            1.0
        };
        Self { text_scale: s }
    }

    /// The style of a view.
    #[must_use]
    pub fn of(view: &View) -> Self {
        Self::scaled(view.text_scale)
    }

    /// Card text size.
    #[must_use]
    pub fn card_font(self) -> f32 {
        CARD_FONT * self.text_scale
    }

    /// Size of a card's channel/owner line.
    #[must_use]
    pub fn meta_font(self) -> f32 {
        META_FONT * self.text_scale
    }

    /// Stage name size.
    #[must_use]
    pub fn header_font(self) -> f32 {
        HEADER_FONT * self.text_scale
    }

    /// Lane name size.
    #[must_use]
    pub fn lane_font(self) -> f32 {
        LANE_FONT * self.text_scale
    }

    /// Emotion scale label size.
    #[must_use]
    pub fn scale_font(self) -> f32 {
        SCALE_FONT * self.text_scale
    }

    /// Padding inside a card around its text.
    #[must_use]
    pub fn card_pad(self) -> f32 {
        super::grid(CARD_PAD * self.text_scale)
    }

    /// Width of the lane-label column.
    #[must_use]
    pub fn label_w(self) -> f32 {
        LABEL_W * self.text_scale
    }

    /// Smallest height of the header band.
    #[must_use]
    pub fn header_min_h(self) -> f32 {
        super::grid(HEADER_MIN_H * self.text_scale)
    }

    /// Smallest height of a lane.
    #[must_use]
    pub fn lane_min_h(self) -> f32 {
        super::grid(LANE_MIN_H * self.text_scale)
    }

    /// Height of one line of card text.
    #[must_use]
    pub fn card_line_h(self) -> f32 {
        super::line_h(self.card_font())
    }

    /// Height of a card's channel/owner line.
    #[must_use]
    pub fn meta_line_h(self) -> f32 {
        super::line_h(self.meta_font())
    }

    /// Height of a card whose text takes `lines` lines.
    #[must_use]
    pub fn card_height(self, lines: usize, has_meta: bool) -> f32 {
        let meta = if has_meta {
            self.meta_line_h() + 4.0
        } else {
            0.0
        };
        2.0 * self.card_pad() + meta + lines.max(1) as f32 * self.card_line_h()
    }
}
