//! Presentation mode (F5; Escape leaves): full screen, no menus or panels, larger text with
//! the stage headers and lane names frozen. It opens on the first stage at reading size;
//! Right/Left (Space, Page Down/Up of a presenter's clicker) step stage by stage with a short
//! animation and keep how far down the lanes the room is; Down/Up (or the wheel) move along
//! the lanes; Home shows the whole map. A band at the bottom shows where the room is in the
//! journey and names the lanes that are off screen.

use super::app::{App, Selection};
use super::canvas::Canvas;
use super::paint::c32;
use super::view::Viewport;
use crate::layout::{Layout, META_FONT, Style};
use crate::model::Document;
use crate::theme::Theme;

/// The smallest text on the canvas while stepping through stages at the presentation's
/// smallest text size, in screen pixels (the channel/owner line of a card and the scale's
/// labels; card text is a quarter larger). A larger View → Text size makes it larger.
pub const SMALLEST_TEXT_PX: f32 = 24.0;
/// The text size presenting uses at least (the editor's own if it is larger).
pub const PRESENT_TEXT_SCALE: f32 = 1.25;
/// How long a step takes.
const ANIM_SECS: f64 = 0.18;
/// Height of the overview strip's boxes, in points.
const STRIP_H: f32 = 44.0;
/// Height of the band at the bottom that holds the strip (nothing of the map is under it
/// once scrolled to the end).
pub const BAND_H: f32 = STRIP_H + 16.0;
/// Size of the stage names in the strip and of the off-screen lanes' note.
const STRIP_FONT: f32 = 20.0;
/// Size of the keys' hint (for the presenter, not the room).
const HINT_FONT: f32 = 15.0;
/// How much of the visible height Down/Up moves.
const SCROLL_SHARE: f32 = 0.6;

/// The presentation's state.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Presentation {
    /// The stage shown (`None`: the whole map).
    pub stage: Option<usize>,
    /// How far down the lanes a stage is shown: the map's y (world units) at the top of the
    /// canvas. Kept from stage to stage.
    top: f32,
    /// What the view was last aimed at: the stage, how far down and the canvas size.
    aimed: Option<(Option<usize>, f32, egui::Vec2)>,
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

/// The zoom of a stage step: the smallest text (12 at 100 %) at [`SMALLEST_TEXT_PX`] at the
/// presentation's own text size; the editor's larger text sizes show larger.
#[must_use]
pub fn step_zoom() -> f32 {
    SMALLEST_TEXT_PX / (META_FONT * PRESENT_TEXT_SCALE)
}

/// The furthest down a stage can be shown: the map's bottom just above the band.
fn max_top(layout: &Layout, size: egui::Vec2) -> f32 {
    (layout.bounds.max.y - (size.y - BAND_H) / step_zoom()).max(0.0)
}

/// The view that shows stage `i` at the left of the canvas, right of the frozen lane names,
/// `top` down the lanes (or the whole map above the band).
fn target(layout: &Layout, size: egui::Vec2, stage: Option<usize>, top: f32) -> Viewport {
    let mut v = Viewport::default();
    match stage.and_then(|i| layout.stages.get(i)) {
        Some(s) => {
            let z = step_zoom();
            let label = layout.style().label_w();
            v.zoom = z;
            // The stage at the left, right of the lane names; near the end, the last stages
            // fill the screen instead of leaving it empty on the right.
            let x = (label - s.column.min.x) * z;
            let right_edge = size.x - layout.bounds.max.x * z;
            let top = top.clamp(0.0, max_top(layout, size));
            v.offset = egui::vec2(x.max(right_edge.min(0.0)), -top * z);
        }
        None => v.fit(size - egui::vec2(0.0, BAND_H), &layout.bounds),
    }
    v
}

impl App {
    pub(crate) fn enter_presentation(&mut self, ctx: &egui::Context) {
        self.finish_editing();
        self.canvas.selection = Selection::default();
        let was_fullscreen = ctx.input(|i| i.viewport().fullscreen.unwrap_or(false));
        // The first stage at reading size: the whole map (Home) is an overview, too small to
        // read from the back of a room.
        let stage = (!self.doc().stages.is_empty()).then_some(0);
        self.canvas.presentation = Some(Presentation {
            stage,
            top: 0.0,
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

    /// Moves down (`+1`) or up (`-1`) the lanes of the stage shown (from the whole map, down
    /// starts at the first stage).
    pub(crate) fn present_scroll(&mut self, d: i32) {
        let size = self.canvas.rect.size();
        let layout = self.scene.layout();
        let Some(p) = &mut self.canvas.presentation else {
            return;
        };
        if p.stage.is_none() {
            if d > 0 && !layout.stages.is_empty() {
                p.stage = Some(0);
            }
            return;
        }
        let step = (size.y - BAND_H).max(0.0) / step_zoom() * SCROLL_SHARE;
        let top = p.top.clamp(0.0, max_top(layout, size));
        p.top = (top + step * d.signum() as f32).clamp(0.0, max_top(layout, size));
    }
}

/// Pointer input while presenting: the wheel scrolls and zooms (the strip's boxes are
/// buttons of their own, see [`strip_ui`]).
pub(crate) fn input(canvas: &mut Canvas, ui: &egui::Ui) {
    let rect = canvas.rect;
    let (scroll, zoom, hover) =
        ui.input(|i| (i.smooth_scroll_delta, i.zoom_delta(), i.pointer.hover_pos()));
    let Some(h) = hover.filter(|h| rect.contains(*h)) else {
        return;
    };
    if (zoom - 1.0).abs() > f32::EPSILON {
        canvas.view.zoom_around(rect.min, h, zoom);
    } else if scroll != egui::Vec2::ZERO {
        canvas.view.offset += scroll;
        // Scrolled down a stage: the next stage is shown as far down.
        let v = canvas.view;
        if let Some(p) = &mut canvas.presentation
            && p.stage.is_some()
        {
            p.top = -v.offset.y / v.zoom;
            p.aimed = Some((p.stage, p.top, rect.size()));
        }
    }
}

/// Moves the view towards what is presented (an animated step of at most [`ANIM_SECS`]).
pub(crate) fn animate(canvas: &mut Canvas, layout: &Layout, ui: &egui::Ui) {
    let size = canvas.rect.size();
    let now = ui.input(|i| i.time);
    let Some(p) = &mut canvas.presentation else {
        return;
    };
    let goal = target(layout, size, p.stage, p.top);
    if p.aimed != Some((p.stage, p.top, size)) {
        // A new stage, further down (or the screen changed size): a step from where the view is.
        let first = p.aimed.is_none();
        p.aimed = Some((p.stage, p.top, size));
        if first {
            canvas.view = goal;
            return;
        }
        p.anim = Some((canvas.view, now));
    }
    if let Some((from, t0)) = p.anim {
        let t = ((now - t0) / ANIM_SECS).clamp(0.0, 1.0) as f32;
        // Ease out: fast start, soft landing.
        let e = 1.0 - (1.0 - t).powi(3);
        canvas.view = Viewport {
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

/// The band at the bottom of the canvas.
fn band(canvas: egui::Rect) -> egui::Rect {
    egui::Rect::from_min_max(egui::pos2(canvas.min.x, canvas.max.y - BAND_H), canvas.max)
}

/// The strip's boxes on screen, one per stage, as wide as the stages are relative to one
/// another.
fn strip_boxes(layout: &Layout, canvas: egui::Rect) -> Vec<egui::Rect> {
    let total: f32 = layout.stages.iter().map(|s| s.column.width()).sum();
    if total <= 0.0 {
        return Vec::new();
    }
    let w = (canvas.width() * 0.5).min(1100.0);
    let left = canvas.center().x - w / 2.0;
    let top = band(canvas).center().y - STRIP_H / 2.0;
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

/// One line of text no wider than `width` (cut with "…").
fn one_line(
    painter: &egui::Painter,
    text: String,
    size: f32,
    color: egui::Color32,
    width: f32,
) -> std::sync::Arc<egui::Galley> {
    let mut job =
        egui::text::LayoutJob::simple_singleline(text, egui::FontId::proportional(size), color);
    job.wrap = egui::text::TextWrapping::truncate_at_width(width.max(1.0));
    painter.layout_job(job)
}

/// The lanes of the stage shown that are off screen: above (under the frozen stage names)
/// and below the band.
fn lanes_off_screen(
    canvas: &Canvas,
    layout: &Layout,
    doc: &Document,
) -> (Vec<String>, Vec<String>) {
    let v = canvas.view;
    let rect = canvas.rect;
    let header = layout.stages.first().map_or(0.0, |s| s.header.height());
    let top = -v.offset.y / v.zoom;
    let seen_top = if top > 0.0 { top + header } else { top };
    let seen_bottom = (rect.height() - BAND_H - v.offset.y) / v.zoom;
    let name = |id| doc.lane(id).map_or(String::new(), |l| l.name.clone());
    let above = layout
        .lanes
        .iter()
        .filter(|l| l.row.center().y < seen_top)
        .map(|l| name(l.id))
        .collect();
    let below = layout
        .lanes
        .iter()
        .filter(|l| l.row.center().y > seen_bottom)
        .map(|l| name(l.id))
        .collect();
    (above, below)
}

/// The band at the bottom: every stage (the one shown highlighted; a click goes there), the
/// lanes off screen, and the keys.
pub(crate) fn strip_ui(
    ui: &egui::Ui,
    theme: &Theme,
    shown: &mut Canvas,
    layout: &Layout,
    doc: &Document,
) {
    let canvas = shown.rect;
    let boxes = strip_boxes(layout, canvas);
    let Some(stage) = shown.presentation.as_ref().map(|p| p.stage) else {
        return;
    };
    let painter = ui.painter_at(canvas);
    // The stage shown is marked on the canvas too: a bar under its header.
    if let Some(s) = stage.and_then(|i| layout.stages.get(i)) {
        let r = shown.screen_rect_frozen(&s.header, crate::render::Element::StageHeader(s.id));
        let bar = egui::Rect::from_min_max(egui::pos2(r.min.x, r.max.y - 6.0), r.max);
        painter.rect_filled(bar, 0.0, c32(theme.accent));
    }
    // Opaque: the map scrolls to end above it, and nothing of it shows through the text.
    let band = band(canvas);
    painter.rect_filled(band, 0.0, c32(theme.background));
    painter.hline(
        band.x_range(),
        band.min.y,
        egui::Stroke::new(1.0, c32(theme.grid)),
    );
    let mut go = None;
    for (i, r) in boxes.iter().enumerate() {
        let name = doc.stages.get(i).map_or("", |s| s.name.as_str()).to_owned();
        let response = ui
            .interact(
                *r,
                ui.make_persistent_id(("present strip", i)),
                egui::Sense::click(),
            )
            .on_hover_cursor(egui::CursorIcon::PointingHand);
        response.widget_info(|| {
            egui::WidgetInfo::labeled(
                egui::Role::Button,
                true,
                format!("Go to stage {}: {name}", i + 1),
            )
        });
        if response.clicked() {
            go = Some(i);
        }
        let current = stage == Some(i) || stage.is_none();
        let fill = if stage == Some(i) {
            theme.accent
        } else if current {
            theme.header_fill
        } else {
            theme.label_fill
        };
        painter.rect_filled(*r, 4.0, c32(fill));
        let text_color = c32(if current {
            theme.header_text()
        } else {
            theme.text_muted
        });
        let galley = one_line(&painter, name, STRIP_FONT, text_color, r.width() - 8.0);
        painter.galley(r.center() - galley.size() / 2.0, galley, text_color);
    }
    let (strip_left, strip_right) = match (boxes.first(), boxes.last()) {
        (Some(f), Some(l)) => (f.min.x, l.max.x),
        _ => (band.center().x, band.center().x),
    };
    if stage.is_some() {
        let (above, below) = lanes_off_screen(shown, layout, doc);
        let mut note = Vec::new();
        if !above.is_empty() {
            note.push(format!("\u{2191} {}", above.join(" \u{b7} ")));
        }
        if !below.is_empty() {
            note.push(format!("\u{2193} {}", below.join(" \u{b7} ")));
        }
        if !note.is_empty() {
            let width = strip_left - band.min.x - 32.0;
            let galley = one_line(
                &painter,
                note.join("   "),
                STRIP_FONT,
                c32(theme.text),
                width,
            );
            let pos = egui::pos2(band.min.x + 16.0, band.center().y - galley.size().y / 2.0);
            painter.galley(pos, galley, c32(theme.text));
        }
    }
    let hint = "\u{2190} \u{2192} stages \u{b7} \u{2193} \u{2191} lanes \u{b7} Home: whole map \u{b7} Esc: leave";
    let galley = one_line(
        &painter,
        hint.to_owned(),
        HINT_FONT,
        c32(theme.hint),
        f32::INFINITY,
    );
    let x = band.max.x - 16.0 - galley.size().x;
    if x > strip_right + 16.0 {
        let pos = egui::pos2(x, band.center().y - galley.size().y / 2.0);
        painter.galley(pos, galley, c32(theme.hint));
    }
    if let (Some(i), Some(p)) = (go, &mut shown.presentation) {
        p.stage = Some(i);
    }
}
