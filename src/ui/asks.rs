//! [`Asks`]: what a panel or menu asks of the app while it is drawn. Panels read the parts of
//! the app they show (the document, the selection) and write only here; the app carries the
//! asks out, in order, once the panel is drawn. So a panel cannot reach the file dialogs, the
//! workshop or the preferences, and its edits go through the same queue as every other.

use egui::Response;

use super::actions::Action;
use super::app::Selection;
use super::canvas::EditTarget;
use super::dialogs::Toast;
use super::session::Then;
use crate::edit::Command;
use crate::model::{CardId, LaneId, LaneKind, MapLink, StageId};

/// One thing a panel asks for.
pub(crate) enum Ask {
    /// Queue a command (applied at the start of the next frame).
    Edit(Command),
    /// Queue a command said in a toast with an Undo button.
    EditSaid(Command, Toast),
    /// Queue a command and what to do on the canvas once it is applied.
    EditThen(Command, Then),
    /// A dragged value: open one undo step, keep it open, apply a change now, close it.
    Begin,
    Hold,
    Apply(Command),
    Commit,
    /// Run an action of the action table (menus, keys, buttons share them).
    Run(Action),
    Select(Selection),
    /// Make a curve the one new points go to.
    ActiveCurve(crate::model::CurveId),
    /// Open a card's, stage's or lane's text for typing.
    StartEdit(EditTarget),
    /// What Enter does: edit the selected card, or start one in the selected cell.
    EditSelected,
    DeleteSelection,
    DeleteStage(StageId),
    DeleteLane(LaneId),
    /// Add a stage at an index, select it and open its name.
    AddStage(usize),
    /// Add a lane of a kind at an index and select it.
    AddLane(usize, LaneKind),
    /// Open a new card for typing in a cell, at an index.
    NewCard {
        stage: StageId,
        lane: LaneId,
        index: usize,
    },
    /// Open the map (and card or stage) a card links to.
    FollowMapLink(CardId, MapLink),
    /// Say something in the status bar.
    Say(String),
    /// End the in-place edit (kept as typed) before what comes next.
    FinishEditing,
    /// New, open, import or close: asked about unsaved changes first.
    Request(super::app::Pending),
    /// The canvas's text size (1.0 = 100 %).
    TextScale(f32),
    /// What the cards are coloured by.
    ColourBy(crate::render::ColourBy),
    /// Link two cards (a pain point is caused by what it links to; others lead to it).
    AddLink(CardId, CardId),
    /// The mark of a card's links to other maps was clicked at a screen point: open its one
    /// link, or offer its links there.
    MapLinkMark(CardId, egui::Pos2),
}

/// What a panel asked for this frame, in order.
#[derive(Default)]
#[must_use = "asks do nothing until the app answers them"]
pub(crate) struct Asks(pub Vec<Ask>);

impl Asks {
    pub fn ask(&mut self, a: Ask) {
        self.0.push(a);
    }

    pub fn edit(&mut self, cmd: Command) {
        self.0.push(Ask::Edit(cmd));
    }

    pub fn run(&mut self, a: Action) {
        self.0.push(Ask::Run(a));
    }

    pub fn select(&mut self, s: Selection) {
        self.0.push(Ask::Select(s));
    }

    /// The edit of a dragged or typed number widget: a drag is one transaction (one undo
    /// step), a single change is one step.
    pub fn live(&mut self, r: &Response, cmd: impl FnOnce() -> Command) {
        if r.drag_started() {
            self.0.push(Ask::Begin);
        } else if r.dragged() {
            self.0.push(Ask::Hold);
        }
        if r.changed() {
            self.0.push(Ask::Apply(cmd()));
        }
        if r.drag_stopped() {
            self.0.push(Ask::Commit);
        }
    }
}

impl super::App {
    /// Carries out what a panel asked for, in the order it asked.
    pub(crate) fn answer(&mut self, ctx: &egui::Context, asks: Asks) {
        for a in asks.0 {
            match a {
                Ask::Edit(cmd) => self.session.queue(cmd),
                Ask::EditSaid(cmd, toast) => self.session.queue_with_toast(cmd, toast),
                Ask::EditThen(cmd, then) => self.session.queue_then(cmd, None, then),
                Ask::Begin => self.session.editor.begin(),
                Ask::Hold => self.session.editor.hold(),
                Ask::Apply(cmd) => self.apply_now(&cmd),
                Ask::Commit => self.session.editor.commit(),
                Ask::Run(action) => self.run(ctx, action),
                Ask::Select(s) => self.canvas.selection = s,
                Ask::ActiveCurve(id) => self.canvas.active_curve = Some(id),
                Ask::StartEdit(target) => {
                    super::canvas::start_edit(&mut self.canvas, self.session.editor.doc(), target);
                }
                Ask::EditSelected => self.edit_selected(None),
                Ask::DeleteSelection => self.delete_selection(),
                Ask::DeleteStage(id) => self.delete_stage(id),
                Ask::DeleteLane(id) => self.delete_lane(id),
                Ask::AddStage(index) => {
                    let width = crate::model::DEFAULT_STAGE_WIDTH;
                    super::canvas::add_stage(&mut self.canvas, &mut self.session, index, width);
                }
                Ask::AddLane(index, kind) => {
                    super::canvas::add_lane(&mut self.session, index, kind);
                }
                Ask::NewCard { stage, lane, index } => {
                    self.canvas.open_new_card(stage, lane, index, String::new());
                }
                Ask::FollowMapLink(card, link) => self.follow_map_link(card, &link),
                Ask::Say(s) => self.dialogs.status = Some(s),
                Ask::FinishEditing => self.finish_editing(),
                Ask::Request(p) => self.request(p),
                Ask::TextScale(s) => self.set_text_scale(s),
                Ask::ColourBy(c) => self.canvas.colour_by = c,
                Ask::AddLink(from, to) => {
                    self.add_link(from, to);
                }
                Ask::MapLinkMark(card, at) => self.map_link_mark_clicked(card, at),
            }
        }
    }
}
