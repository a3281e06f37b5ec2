//! The map canvas: its room ([`Canvas`]: view, selection, gesture, in-place editing), and a
//! frame of it — pointer input against what is on screen, then the queued commands are
//! applied and the layout brought up to date, then it is painted with the stage headers and
//! lane names frozen at the top and left when the map is scrolled under them.

mod a11y;
pub(crate) use a11y::Labels;
mod context_menu;
mod drop;
mod gestures;
mod keys;
mod legend;
pub(crate) mod overlays;
mod text_edit;

pub(crate) use context_menu::channel_buttons_ui;
pub use gestures::Gesture;
pub(crate) use gestures::{add_lane, add_stage};
pub(crate) use keys::canvas_keys;
pub(crate) use legend::personas_ui;
pub(crate) use text_edit::{
    EditTarget, TextEditing, commit_editing, editing_status, start_edit, take_typed_before,
};

use egui::{Sense, Ui, WidgetInfo};

use super::app::{App, Selection};
use super::paint::{
    FAR_BELOW_PX, OVERVIEW_BELOW_PX, c32, overview_mesh, paint_overview, paint_parts,
};
use super::presentation::Presentation;
use super::scene_cache::SceneCache;
use super::session::Session;
use super::view::Viewport;
use crate::geom::{Pos, Rect};
use crate::layout::{EditBox, Hit, Layout, Live};
use crate::model::{CardId, Document, LaneId, StageId};
use crate::render::Element;
use crate::theme::Theme;

/// How much of the band right of the last stage (where new stages are dragged out) a zoom
/// to fit shows, in world units.
const FIT_BAND_W: f32 = 150.0;

/// Most selected cards shown whole (long cards unclamped) at once.
const EXPAND_AT_MOST: usize = 50;

/// Something to bring into sight once it is laid out (minimal pan).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Reveal {
    Card(CardId),
    Stage(StageId),
    Cell(StageId, LaneId),
    /// The in-place editor.
    Editor,
}

/// How far the frozen headers and labels are shifted this frame (screen points): the header
/// band down by `dy` to stay at the canvas's top, the label column right by `dx`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Frozen {
    pub dx: f32,
    pub dy: f32,
}

/// The canvas room.
pub(crate) struct Canvas {
    pub view: Viewport,
    /// Zoom to fit on the next frame.
    pub fit_pending: bool,
    /// The view right after the last zoom-to-fit and the window size it fitted.
    pub fitted: Option<(Viewport, egui::Vec2)>,
    pub selection: Selection,
    pub gesture: Gesture,
    pub editing: Option<TextEditing>,
    pub context_hit: Option<Hit>,
    /// The canvas on screen (excludes the side panel, menus and status bar).
    pub rect: egui::Rect,
    pub reveal: Option<Reveal>,
    pub presentation: Option<Presentation>,
    pub frozen: Frozen,
    /// A "−" typed in an emotion cell, waiting for its digit.
    pub minus: bool,
    /// The curve being edited (new points go to it; the others are dimmed).
    pub active_curve: Option<crate::model::CurveId>,
    /// What card colours say.
    pub colour_by: crate::render::ColourBy,
    /// Whether the executive view is shown.
    pub executive: bool,
    /// "Link to…": the card a link starts from, waiting for a click on its target.
    pub linking: Option<CardId>,
    /// The executive view of the document, with the document's revision it was made from.
    pub executive_doc: Option<(u64, Document)>,
    /// The compare view, when on: what the canvas shows is its map.
    pub compare: Option<super::compare::CompareView>,
}

impl Default for Canvas {
    fn default() -> Self {
        Self {
            view: Viewport::default(),
            fit_pending: true,
            fitted: None,
            selection: Selection::default(),
            gesture: Gesture::None,
            editing: None,
            context_hit: None,
            rect: egui::Rect::NOTHING,
            reveal: None,
            presentation: None,
            frozen: Frozen::default(),
            minus: false,
            active_curve: None,
            colour_by: crate::render::ColourBy::default(),
            executive: false,
            linking: None,
            executive_doc: None,
            compare: None,
        }
    }
}

/// The parts of the app the canvas's pointer and in-place editor work on: the view state, the
/// document room (its editor and command queue) and the laid-out map. What else they need
/// (a link made, a message, another map opened) they ask for.
pub(crate) struct Parts<'a> {
    pub canvas: &'a mut Canvas,
    pub session: &'a mut Session,
    pub layout: &'a Layout,
    pub asks: crate::ui::asks::Asks,
}

impl Parts<'_> {
    /// The map point under a screen point.
    #[must_use]
    pub fn world_at(&self, p: egui::Pos2) -> Pos {
        self.canvas.world_at(self.layout, p)
    }

    /// Applies a command now (a live drag's step); says so when it cannot be done.
    pub fn apply_now(&mut self, cmd: &crate::edit::Command) {
        if let Err(e) = self.session.editor.apply(cmd) {
            self.asks
                .ask(crate::ui::asks::Ask::Say(format!("Not done: {e}")));
        }
    }
}

impl App {
    /// What the overlays are drawn from.
    fn over(&self) -> overlays::Over<'_> {
        overlays::Over {
            canvas: &self.canvas,
            layout: self.scene.layout(),
            look: &self.scene.look,
            doc: self.session.editor.doc(),
            workshop: self.session.workshop.as_ref(),
        }
    }

    /// The parts of the app the canvas works on, borrowed apart.
    pub(crate) fn parts(&mut self) -> Parts<'_> {
        Parts {
            canvas: &mut self.canvas,
            session: &mut self.session,
            layout: self.scene.layout(),
            asks: crate::ui::asks::Asks::default(),
        }
    }
}

/// The command that adds `point` to `curve` (with a new perceived curve first when the map
/// has no visible curve). Ids are minted when it is applied: the point's is the last of them.
pub(crate) fn add_point_cmd(
    doc: &crate::model::Document,
    curve: Option<crate::model::CurveId>,
    point: crate::model::EmotionPoint,
) -> crate::edit::Command {
    if let Some(curve) = curve {
        return crate::edit::Command::AddPoint { curve, point };
    }
    crate::edit::Command::AddCurve {
        index: usize::MAX,
        curve: crate::model::Curve {
            id: crate::model::CurveId(0),
            name: "Customer's experience".into(),
            kind: crate::model::CurveKind::Perceived,
            persona: doc.personas.first().map(|p| p.id),
            hue: None,
            hidden: false,
            points: vec![point],
            units: None,
        },
    }
}

impl Canvas {
    /// The curve new points go to: the one chosen (by its legend chip or a point), else the
    /// first visible perceived curve, else the first visible curve.
    #[must_use]
    pub fn curve_for_points(&self, doc: &crate::model::Document) -> Option<crate::model::CurveId> {
        let e = &doc.emotion;
        self.active_curve
            .filter(|id| e.curve(*id).is_some_and(|c| !c.hidden))
            .or_else(|| e.first_of(crate::model::CurveKind::Perceived).map(|c| c.id))
            .or_else(|| e.curves.iter().find(|c| !c.hidden).map(|c| c.id))
    }

    /// The editor's live state for layout: selected cards shown whole, the text being edited.
    pub fn live(&self) -> Live {
        let expanded = if self.selection.cards.len() <= EXPAND_AT_MOST {
            self.selection.cards.clone()
        } else {
            std::collections::BTreeSet::new()
        };
        let editing = self.editing.as_ref().and_then(|e| match e.target {
            EditTarget::Card(id) => Some(EditBox::Card {
                id,
                text: e.buf.clone(),
            }),
            EditTarget::NewCard { stage, lane, index } => Some(EditBox::New {
                stage,
                lane,
                index,
                text: e.buf.clone(),
            }),
            EditTarget::Stage(_) | EditTarget::Lane(_) => None,
        });
        Live { expanded, editing }
    }

    /// Forgets selections of things the document no longer has.
    pub fn forget_missing(&mut self, doc: &Document) {
        let s = &mut self.selection;
        if !s.cards.is_empty() {
            let ids: std::collections::HashSet<CardId> = doc.cards.iter().map(|c| c.id).collect();
            s.cards.retain(|id| ids.contains(id));
        }
        s.point = s.point.filter(|p| doc.point(*p).is_some());
        s.stage = s.stage.filter(|x| doc.stage(*x).is_some());
        s.lane = s.lane.filter(|l| doc.lane(*l).is_some());
        s.cell = s
            .cell
            .filter(|(st, l)| doc.stage(*st).is_some() && doc.lane(*l).is_some());
        s.link = s.link.filter(|id| doc.links.iter().any(|l| l.id == *id));
        self.linking = self.linking.filter(|id| doc.card(*id).is_some());
    }

    /// After another document was opened: nothing selected or being edited.
    pub fn reset(&mut self) {
        self.selection = Selection::default();
        self.editing = None;
        self.gesture = Gesture::None;
        self.context_hit = None;
        self.reveal = None;
        self.minus = false;
        self.active_curve = None;
        self.linking = None;
    }

    /// Opens the editor of a new card at `index` of a cell (`usize::MAX`: its end) and selects
    /// the cell.
    pub fn open_new_card(&mut self, stage: StageId, lane: LaneId, index: usize, text: String) {
        self.selection = Selection::only_cell(stage, lane);
        self.editing = Some(TextEditing::new(
            EditTarget::NewCard { stage, lane, index },
            text,
        ));
        self.reveal = Some(Reveal::Editor);
    }

    /// Whether a card's text (or a new card's) is being edited.
    pub fn editing_card(&self) -> bool {
        matches!(
            self.editing.as_ref().map(|e| e.target),
            Some(EditTarget::Card(_) | EditTarget::NewCard { .. })
        )
    }

    /// A world point under a screen point, with the frozen header band and label column
    /// taken into account (a click on a frozen stage header hits that header).
    pub fn world_at(&self, layout: &Layout, p: egui::Pos2) -> Pos {
        let mut w = self.view.world_from_screen(self.rect.min, p);
        let z = self.view.zoom;
        if self.frozen.dy > 0.0 && p.y < self.rect.min.y + layout.header_h() * z {
            w.y = (p.y - self.rect.min.y) / z;
        }
        if self.frozen.dx > 0.0 && p.x < self.rect.min.x + layout.style().label_w() * z {
            w.x = (p.x - self.rect.min.x) / z;
        }
        w
    }

    /// A world rectangle on screen, shifted as a frozen element is (`element`: a header,
    /// a label, or anything else).
    pub fn screen_rect_frozen(&self, r: &Rect, element: Element) -> egui::Rect {
        let s = self.view.screen_rect(self.rect.min, r);
        match element {
            Element::StageHeader(_) => s.translate(egui::vec2(0.0, self.frozen.dy)),
            Element::LaneLabel(_) => s.translate(egui::vec2(self.frozen.dx, 0.0)),
            _ => s,
        }
    }

    /// Pans as little as needed to show `world` in the part of the canvas not covered by the
    /// frozen headers and labels (its top-left if it is bigger than that).
    pub fn reveal_rect(&mut self, layout: &Layout, world: Rect, only_x: bool) {
        let z = self.view.zoom;
        let margin = 16.0;
        let left = self.rect.min.x + self.view.offset.x.max(0.0) + layout.style().label_w() * z;
        let top = self.rect.min.y + self.view.offset.y.max(0.0) + layout.header_h() * z;
        let r = self.view.screen_rect(self.rect.min, &world);
        let seen = egui::Rect::from_min_max(egui::pos2(left, top), self.rect.max);
        let (fits_x, fits_y) = (
            r.min.x >= seen.min.x - 0.5 && r.max.x <= seen.max.x + 0.5,
            r.min.y >= seen.min.y - 0.5 && r.max.y <= seen.max.y + 0.5,
        );
        if fits_x && (fits_y || only_x) {
            // Already in sight: the view stays put.
            return;
        }
        let area = egui::Rect::from_min_max(
            egui::pos2(left + margin, top + margin),
            self.rect.max - egui::vec2(margin, margin),
        );
        if area.width() < 20.0 || area.height() < 20.0 {
            return;
        }
        let shift = |lo: f32, hi: f32, a_lo: f32, a_hi: f32| -> f32 {
            if hi - lo > a_hi - a_lo || lo < a_lo {
                a_lo - lo
            } else if hi > a_hi {
                a_hi - hi
            } else {
                0.0
            }
        };
        let dx = if fits_x {
            0.0
        } else {
            shift(r.min.x, r.max.x, area.min.x, area.max.x)
        };
        let dy = if only_x || fits_y {
            0.0
        } else {
            shift(r.min.y, r.max.y, area.min.y, area.max.y)
        };
        self.view.offset += egui::vec2(dx, dy);
    }

    /// Resolves the pending reveal against the (current) layout.
    fn do_reveal(&mut self, layout: &Layout) {
        let Some(target) = self.reveal.take() else {
            return;
        };
        let (world, only_x) = match target {
            Reveal::Card(id) => (layout.card(id).map(|c| c.rect), false),
            Reveal::Stage(id) => (layout.stage(id).map(|s| s.header), true),
            Reveal::Cell(s, l) => {
                let cards = layout.cell_cards(s, l).fold(None::<Rect>, |a, c| {
                    Some(a.map_or(c.rect, |a| a.union(&c.rect)))
                });
                let cell = layout.cell_rect(s, l);
                (cards.or(cell).or(cell), false)
            }
            Reveal::Editor => (
                self.editing
                    .as_ref()
                    .and_then(|e| text_edit::edit_rect(layout, e.target)),
                matches!(
                    self.editing.as_ref().map(|e| e.target),
                    Some(EditTarget::Stage(_))
                ),
            ),
        };
        if let Some(w) = world {
            self.reveal_rect(layout, w, only_x);
        }
    }
}

pub(crate) fn canvas_ui(app: &mut App, ui: &mut Ui) {
    let (rect, response) = ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
    response.widget_info(|| WidgetInfo::labeled(egui::Role::Canvas, true, "Map canvas"));
    app.canvas.rect = rect;
    if app.is_presenting() {
        super::presentation::input(&mut app.canvas, ui);
    } else {
        let modal = app.dialogs.modal.is_some();
        gestures::navigation(&mut app.canvas, ui, &response, modal);
        let mut parts = app.parts();
        gestures::pointer(&mut parts, ui, &response);
        let asks = parts.asks;
        app.answer(ui.ctx(), asks);
    }
    app.apply_queued();
    app.refresh();
    app.window_size = fit(&mut app.canvas, app.scene.layout(), ui, rect);
    app.canvas.do_reveal(app.scene.layout());
    if app.is_presenting() {
        super::presentation::animate(&mut app.canvas, app.scene.layout(), ui);
    }
    let v = app.canvas.view;
    app.canvas.frozen = Frozen {
        dx: (-v.offset.x).max(0.0),
        dy: (-v.offset.y).max(0.0),
    };

    let painter = ui.painter_at(rect);
    let theme = Theme::get(app.prefs.theme);
    painter.rect_filled(rect, 0.0, c32(theme.column_tint));
    let text_px = app.scene.layout().style().card_font() * v.zoom;
    if text_px < OVERVIEW_BELOW_PX {
        let parts = || app.scene.scene.parts();
        let mesh = if text_px < FAR_BELOW_PX {
            app.scene
                .far
                .get_or_insert_with(|| std::sync::Arc::new(overview_mesh(parts(), false)))
                .clone()
        } else {
            app.scene
                .overview
                .get_or_insert_with(|| std::sync::Arc::new(overview_mesh(parts(), true)))
                .clone()
        };
        paint_overview(&painter, &mesh, &v, rect.min);
        app.canvas.frozen = Frozen::default();
        overlays::overlays(ui, &painter, &theme, &app.over());
    } else {
        let o = rect.min;
        let body = app
            .scene
            .scene
            .parts()
            .filter(|p| !matches!(p.element, Element::StageHeader(_) | Element::LaneLabel(_)));
        paint_parts(&painter, body, &v, o);
        overlays::overlays(ui, &painter, &theme, &app.over());
        paint_frozen(
            &app.canvas,
            app.scene.layout(),
            &app.scene.scene,
            &painter,
            &theme,
        );
    }
    a11y::nodes(
        ui,
        app.session.editor.doc(),
        app.scene.engine.layout(),
        &app.canvas,
        &mut app.scene.labels,
    );
    if app.is_presenting() {
        super::presentation::strip_ui(
            ui,
            &theme,
            &mut app.canvas,
            app.scene.layout(),
            app.session.editor.doc(),
        );
    } else {
        legend_and_filter_note(ui, &mut app.canvas, app.session.editor.doc(), &app.scene);
        let mut parts = app.parts();
        text_edit::text_edit_ui(ui, &mut parts, &theme);
        let asks = parts.asks;
        app.answer(ui.ctx(), asks);
        if response.secondary_clicked() {
            // Right-clicking something unselected selects it, as in file managers and editors.
            if let Some(Hit::Card(id)) = app.canvas.context_hit
                && !app.canvas.selection.cards.contains(&id)
            {
                app.canvas.selection = Selection::only_card(id);
            }
        }
        response.context_menu(|ui| {
            let mut asks = crate::ui::asks::Asks::default();
            let can = |a| app.enabled(a);
            context_menu::context_menu_ui(ui, &app.shown(&can), app.canvas.context_hit, &mut asks);
            app.answer(ui.ctx(), asks);
        });
    }
}

/// The legend and the executive view's note, each given the parts of the app it reads.
fn legend_and_filter_note(ui: &Ui, canvas: &mut Canvas, doc: &Document, scene: &SceneCache) {
    let drawn = canvas.compare.as_ref().map_or(doc, |c| &c.comparison.shown);
    let shown = canvas.executive_doc.as_ref().map_or(doc, |(_, d)| d);
    let legend = legend::Legend {
        drawn,
        shown,
        layout: scene.layout(),
        look: &scene.look,
        active: canvas.curve_for_points(doc),
        rect: canvas.rect,
    };
    let picked = legend::legend_ui(ui, &legend);
    let show_all = canvas.executive_doc.is_some()
        && legend::filter_note_ui(ui, (shown.cards.len(), doc.cards.len()), canvas.rect);
    if let Some(id) = picked {
        canvas.active_curve = Some(id);
    }
    if show_all {
        canvas.executive = false;
    }
}

/// Zoom to fit on request, and again when the window (not the side panel) changes size while
/// the view is still the fitted one. Returns the window's size.
fn fit(canvas: &mut Canvas, layout: &Layout, ui: &Ui, rect: egui::Rect) -> egui::Vec2 {
    let window = ui.ctx().content_rect().size();
    let refit = canvas
        .fitted
        .is_some_and(|(v, size)| v == canvas.view && size != window);
    if (canvas.fit_pending || refit) && rect.width() > 50.0 && rect.height() > 50.0 {
        let mut bounds = layout.bounds;
        if canvas.presentation.is_none() {
            // Room for the "add a stage" band right of the last stage.
            bounds.max.x += FIT_BAND_W;
        }
        canvas.view.fit(rect.size(), &bounds);
        canvas.fit_pending = false;
        canvas.fitted = Some((canvas.view, window));
    }
    window
}

/// The lane labels and stage headers, kept at the left and top of the canvas when the map is
/// scrolled under them, with the corner where they meet.
fn paint_frozen(
    canvas: &Canvas,
    l: &Layout,
    scene: &crate::render::LiveScene,
    painter: &egui::Painter,
    theme: &Theme,
) {
    let v = &canvas.view;
    let o = canvas.rect.min;
    let f = canvas.frozen;
    let labels = scene
        .parts()
        .filter(|p| matches!(p.element, Element::LaneLabel(_)));
    paint_parts(painter, labels, v, o + egui::vec2(f.dx, 0.0));
    let headers = scene
        .parts()
        .filter(|p| matches!(p.element, Element::StageHeader(_)));
    paint_parts(painter, headers, v, o + egui::vec2(0.0, f.dy));
    let corner = Rect::from_xywh(0.0, 0.0, l.style().label_w(), l.header_h());
    let c = v.screen_rect(o, &corner).translate(egui::vec2(f.dx, f.dy));
    painter.rect_filled(c, 0.0, c32(theme.background));
    if f.dy > 0.0 {
        // A shadow under the frozen header band says the map scrolls under it.
        let y = o.y + l.header_h() * v.zoom;
        painter.hline(
            canvas.rect.x_range(),
            y,
            egui::Stroke::new(1.5, c32(theme.grid)),
        );
    }
    let sel = egui::Stroke::new(2.5, c32(theme.selection));
    if let Some(s) = canvas.selection.stage.and_then(|id| l.stage(id)) {
        let r = canvas.screen_rect_frozen(&s.header, Element::StageHeader(s.id));
        painter.rect_stroke(r, 0.0, sel, egui::StrokeKind::Inside);
    }
    if let Some(lane) = canvas.selection.lane.and_then(|id| l.lane(id)) {
        let r = canvas.screen_rect_frozen(&lane.label, Element::LaneLabel(lane.id));
        painter.rect_stroke(r, 0.0, sel, egui::StrokeKind::Inside);
    }
}
