//! Presentation mode (F5; Escape leaves): full screen, no menus or panels, larger text with
//! the stage headers and lane names frozen; Right/Left (or Space) step stage by stage with a
//! short animation, Home shows the whole map, and a strip at the bottom shows where the room
//! is in the journey.

use super::app::{App, Selection};
use super::paint::c32;
use super::view::Viewport;
use crate::layout::{Layout, META_FONT, Style};
use crate::theme::Theme;

/// The smallest text on the canvas while stepping through stages, in screen pixels (the
/// channel/owner line of a card and the scale's labels; card text is a quarter larger).
pub const SMALLEST_TEXT_PX: f32 = 24.0;
/// The text size presenting uses at least (the editor's own if it is larger).
pub const PRESENT_TEXT_SCALE: f32 = 1.25;
/// How long a step takes.
const ANIM_SECS: f64 = 0.18;
/// Height of the overview strip, in points.
const STRIP_H: f32 = 34.0;

/// The presentation's state.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Presentation {
    /// The stage shown (`None`: the whole map).
    pub stage: Option<usize>,
    /// What the view was last aimed at: the stage and the canvas size.
    aimed: Option<(Option<usize>, egui::Vec2)>,
    /// A step under way: the view it started from and when.
    anim: Option<(Viewport, f64)>,
    /// The editor's view and full-screen state, restored on leaving.
    before: Viewport,
    was_fullscreen: bool,
}

/// The text style of the presentation.
#[must_use]
pub fn style(editor: Style) -> Style {
    Style::scaled(editor.text_scale.max(PRESENT_TEXT_SCALE))
}

/// The zoom of a stage step: the smallest text (12 at 100 %) at [`SMALLEST_TEXT_PX`].
#[must_use]
pub fn step_zoom(style: Style) -> f32 {
    SMALLEST_TEXT_PX / (META_FONT * style.text_scale)
}

/// The view that shows stage `i` at the left of the canvas, right of the frozen lane names,
/// from the top of the map (or the whole map).
fn target(layout: &Layout, size: egui::Vec2, stage: Option<usize>) -> Viewport {
    let mut v = Viewport::default();
    match stage.and_then(|i| layout.stages.get(i)) {
        Some(s) => {
            let z = step_zoom(layout.style());
            let label = layout.style().label_w();
            v.zoom = z;
            // The stage at the left, right of the lane names; near the end, the last stages
            // fill the screen instead of leaving it empty on the right.
            let x = (label - s.column.min.x) * z;
            let right_edge = size.x - layout.bounds.max.x * z;
            v.offset = egui::vec2(x.max(right_edge.min(0.0)), 0.0);
        }
        None => v.fit(size - egui::vec2(0.0, STRIP_H + 8.0), &layout.bounds),
    }
    v
}

impl App {
    pub(crate) fn enter_presentation(&mut self, ctx: &egui::Context) {
        self.finish_editing();
        self.canvas.selection = Selection::default();
        let was_fullscreen = ctx.input(|i| i.viewport().fullscreen.unwrap_or(false));
        self.canvas.presentation = Some(Presentation {
            stage: None,
            aimed: None,
            anim: None,
            before: self.canvas.view,
            was_fullscreen,
        });
        ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
    }

    pub(crate) fn leave_presentation(&mut self, ctx: &egui::Context) {
        if let Some(p) = self.canvas.presentation.take() {
            self.canvas.view = p.before;
            if !p.was_fullscreen {
                ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(false));
            }
        }
    }

    /// Steps to the next (`+1`) or previous (`-1`) stage; from the whole map, Right starts at
    /// the first stage and Left at the last.
    pub(crate) fn present_step(&mut self, d: i32) {
        let n = self.doc().stages.len();
        if let Some(p) = &mut self.canvas.presentation
            && n > 0
        {
            p.stage = Some(match (p.stage, d > 0) {
                (None, true) => 0,
                (None, false) => n - 1,
                (Some(i), true) => (i + 1).min(n - 1),
                (Some(i), false) => i.saturating_sub(1),
            });
        }
    }

    /// Shows the whole map.
    pub(crate) fn present_whole(&mut self) {
        if let Some(p) = &mut self.canvas.presentation {
            p.stage = None;
        }
    }
}

/// Pointer input while presenting: the wheel scrolls and zooms, a click on the strip jumps
/// to that stage.
pub(crate) fn input(app: &mut App, ui: &egui::Ui) {
    let rect = app.canvas.rect;
    let (scroll, zoom, hover, clicked) = ui.input(|i| {
        (
            i.smooth_scroll_delta,
            i.zoom_delta(),
            i.pointer.hover_pos(),
            i.pointer.primary_clicked(),
        )
    });
    let Some(h) = hover.filter(|h| rect.contains(*h)) else {
        return;
    };
    if (zoom - 1.0).abs() > f32::EPSILON {
        app.canvas.view.zoom_around(rect.min, h, zoom);
    } else if scroll != egui::Vec2::ZERO {
        app.canvas.view.offset += scroll;
    }
    if clicked
        && let Some(i) = strip_boxes(app.scene.layout(), rect)
            .iter()
            .position(|r| r.contains(h))
        && let Some(p) = &mut app.canvas.presentation
    {
        p.stage = Some(i);
    }
}

/// Moves the view towards what is presented (an animated step of at most [`ANIM_SECS`]).
pub(crate) fn animate(app: &mut App, ui: &egui::Ui) {
    let size = app.canvas.rect.size();
    let now = ui.input(|i| i.time);
    let layout = app.scene.layout();
    let Some(p) = &mut app.canvas.presentation else {
        return;
    };
    let goal = target(layout, size, p.stage);
    if p.aimed != Some((p.stage, size)) {
        // A new stage (or the screen changed size): start a step from where the view is.
        let first = p.aimed.is_none();
        p.aimed = Some((p.stage, size));
        if first {
            app.canvas.view = goal;
            return;
        }
        p.anim = Some((app.canvas.view, now));
    }
    if let Some((from, t0)) = p.anim {
        let t = ((now - t0) / ANIM_SECS).clamp(0.0, 1.0) as f32;
        // Ease out: fast start, soft landing.
        let e = 1.0 - (1.0 - t).powi(3);
        app.canvas.view = Viewport {
            zoom: from.zoom + (goal.zoom - from.zoom) * e,
            offset: from.offset + (goal.offset - from.offset) * e,
        };
        if t >= 1.0 {
            p.anim = None;
        } else {
            ui.ctx().request_repaint();
        }
    }
}

/// The strip's boxes on screen, one per stage, as wide as the stages are relative to one
/// another.
fn strip_boxes(layout: &Layout, canvas: egui::Rect) -> Vec<egui::Rect> {
    let total: f32 = layout.stages.iter().map(|s| s.column.width()).sum();
    if total <= 0.0 {
        return Vec::new();
    }
    let w = (canvas.width() * 0.6).min(900.0);
    let left = canvas.center().x - w / 2.0;
    let top = canvas.max.y - STRIP_H - 8.0;
    let mut x = left;
    layout
        .stages
        .iter()
        .map(|s| {
            let bw = s.column.width() / total * w;
            let r = egui::Rect::from_min_size(egui::pos2(x, top), egui::vec2(bw, STRIP_H))
                .shrink2(egui::vec2(1.5, 0.0));
            x += bw;
            r
        })
        .collect()
}

/// The overview strip at the bottom: every stage, the one shown highlighted.
pub(crate) fn strip_ui(app: &App, ui: &egui::Ui) {
    let layout = app.scene.layout();
    let theme = Theme::get(app.prefs.theme);
    let boxes = strip_boxes(layout, app.canvas.rect);
    let Some(p) = &app.canvas.presentation else {
        return;
    };
    let painter = ui.painter_at(app.canvas.rect);
    if let (Some(first), Some(last)) = (boxes.first(), boxes.last()) {
        let bg = first.union(*last).expand(5.0);
        painter.rect_filled(bg, 6.0, c32(theme.background.alpha(235)));
        painter.rect_stroke(
            bg,
            6.0,
            egui::Stroke::new(1.0, c32(theme.grid)),
            egui::StrokeKind::Outside,
        );
    }
    // The stage shown is marked on the canvas too: a bar under its header.
    if let Some(s) = p.stage.and_then(|i| layout.stages.get(i)) {
        let r = app
            .canvas
            .screen_rect_frozen(&s.header, crate::render::Element::StageHeader(s.id));
        let bar = egui::Rect::from_min_max(egui::pos2(r.min.x, r.max.y - 6.0), r.max);
        painter.rect_filled(bar, 0.0, c32(theme.accent));
    }
    let doc = app.doc();
    for (i, (r, s)) in boxes.iter().zip(&doc.stages).enumerate() {
        let current = p.stage == Some(i) || p.stage.is_none();
        let fill = if p.stage == Some(i) {
            theme.accent
        } else if current {
            theme.header_fill
        } else {
            theme.label_fill
        };
        painter.rect_filled(*r, 4.0, c32(fill));
        let text_color = if current {
            theme.header_text()
        } else {
            theme.text_muted
        };
        let galley = painter.layout(
            s.name.clone(),
            egui::FontId::proportional(13.0),
            c32(text_color),
            r.width() - 6.0,
        );
        if galley.rows.len() == 1 {
            painter.galley(r.center() - galley.size() / 2.0, galley, c32(text_color));
        }
    }
    let hint = "\u{2190} \u{2192} stages \u{b7} Home: whole map \u{b7} Esc: leave";
    if let Some(last) = boxes.last() {
        painter.text(
            egui::pos2(app.canvas.rect.max.x - 16.0, last.center().y),
            egui::Align2::RIGHT_CENTER,
            hint,
            egui::FontId::proportional(13.0),
            c32(theme.hint),
        );
    }
}
