//! The viewport: how world units map to screen points, with pan and zoom; and what the
//! canvas shows in it (the map, its executive view or a comparison) brought up to date.

use crate::geom::{Pos, Rect};

/// Smallest zoom.
pub const MIN_ZOOM: f32 = 0.01;
/// Largest zoom.
pub const MAX_ZOOM: f32 = 8.0;

/// Pan and zoom of the canvas. `screen = canvas_origin + offset + world × zoom`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    /// Screen offset of the world origin from the canvas's top-left, in points.
    pub offset: egui::Vec2,
    /// Screen points per world unit.
    pub zoom: f32,
}

impl Default for Viewport {
    fn default() -> Self {
        Self {
            offset: egui::vec2(24.0, 24.0),
            zoom: 1.0,
        }
    }
}

impl Viewport {
    /// World → screen, for a canvas whose top-left is `origin`.
    #[must_use]
    pub fn screen_from_world(&self, origin: egui::Pos2, p: Pos) -> egui::Pos2 {
        origin + self.offset + egui::vec2(p.x, p.y) * self.zoom
    }

    /// Screen → world.
    #[must_use]
    pub fn world_from_screen(&self, origin: egui::Pos2, p: egui::Pos2) -> Pos {
        let v = (p - origin - self.offset) / self.zoom;
        Pos::new(v.x, v.y)
    }

    /// A world rectangle on screen.
    #[must_use]
    pub fn screen_rect(&self, origin: egui::Pos2, r: &Rect) -> egui::Rect {
        egui::Rect::from_min_max(
            self.screen_from_world(origin, r.min),
            self.screen_from_world(origin, r.max),
        )
    }

    /// Zooms by `factor`, keeping the world point under `anchor` (screen) still.
    pub fn zoom_around(&mut self, origin: egui::Pos2, anchor: egui::Pos2, factor: f32) {
        let world = self.world_from_screen(origin, anchor);
        self.zoom = (self.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        let now = self.screen_from_world(origin, world);
        self.offset += anchor - now;
    }

    /// Shows all of `bounds` centred in a canvas of `size`, with a margin.
    pub fn fit(&mut self, size: egui::Vec2, bounds: &Rect) {
        let margin = 24.0;
        let w = bounds.width().max(1.0);
        let h = bounds.height().max(1.0);
        let zoom = ((size.x - 2.0 * margin) / w).min((size.y - 2.0 * margin) / h);
        self.zoom = zoom.clamp(MIN_ZOOM, 2.0);
        let c = bounds.center();
        self.offset = size / 2.0 - egui::vec2(c.x, c.y) * self.zoom;
    }
}

impl super::app::App {
    /// Brings layout and display list up to date with the document, the view and the live
    /// editing state; drops selections of things that no longer exist.
    pub(crate) fn refresh(&mut self) {
        let compared = self.update_compare();
        let view = self.view();
        let live = self.canvas.live();
        let mut touched = self.session.editor.take_touched();
        if compared || std::mem::take(&mut self.dialogs.compare.swapped) {
            touched = crate::edit::Touched::everything();
        }
        let doc = self.session.editor.doc();
        // The compare view draws its own map: the current one with ghosts and the other
        // version's curves.
        let doc = match &self.canvas.compare {
            Some(c) => &c.comparison.shown,
            None => doc,
        };
        if view.executive {
            // The executive view is a document of its own (same ids): derived again after any
            // change, when it is switched on, and laid out whole.
            let rev = self.session.editor.revision();
            if !touched.is_empty()
                || self
                    .canvas
                    .executive_doc
                    .as_ref()
                    .is_none_or(|(r, _)| *r != rev)
            {
                self.canvas.executive_doc = Some((rev, crate::model::executive_view(doc)));
                touched = crate::edit::Touched::everything();
            }
        } else if self.canvas.executive_doc.take().is_some() {
            touched = crate::edit::Touched::everything();
        }
        let shown = self.canvas.executive_doc.as_ref().map_or(doc, |(_, d)| d);
        self.scene.update(shown, &view, &live, &touched);
        if !touched.is_empty() {
            self.canvas.forget_missing(self.session.editor.doc());
        }
    }

    /// What the canvas shows and how: the editor's or the presentation's view of the map
    /// (or of its executive view, or of a comparison), in the user's theme, text size and
    /// colouring. Exports start from it ([`crate::view::View::exported`]).
    pub(crate) fn view(&self) -> crate::view::View {
        let theme = self.prefs.theme;
        let mut view = if self.canvas.presentation.is_some() {
            let style = super::presentation::style(self.prefs.style());
            crate::view::View::presentation(theme, style.text_scale)
        } else {
            crate::view::View::editor(theme, self.prefs.style().text_scale)
        };
        view.colour_by = self.canvas.colour_by.clone();
        view.executive = self.canvas.executive;
        view.compare = self
            .canvas
            .compare
            .as_ref()
            .map(|c| c.comparison.marks.clone());
        // With several curves, the one being edited stands out.
        let curves = &self.doc().emotion.curves;
        if self.canvas.presentation.is_none() && curves.iter().filter(|c| !c.hidden).count() > 1 {
            view.active_curve = self.active_curve();
        }
        view
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn world_from_screen_inverts_screen_from_world() {
        let mut v = Viewport {
            offset: egui::vec2(13.0, -40.0),
            zoom: 1.7,
        };
        let o = egui::pos2(100.0, 50.0);
        let p = Pos::new(321.5, 77.25);
        let back = v.world_from_screen(o, v.screen_from_world(o, p));
        assert!((back.x - p.x).abs() < 1e-3 && (back.y - p.y).abs() < 1e-3);
        let anchor = egui::pos2(400.0, 300.0);
        let before = v.world_from_screen(o, anchor);
        v.zoom_around(o, anchor, 1.5);
        let after = v.world_from_screen(o, anchor);
        assert!((before.x - after.x).abs() < 1e-3 && (before.y - after.y).abs() < 1e-3);
    }
}
