//! In-place text editing on the canvas — card text, new cards, stage and lane names — and
//! capture at talking speed: Enter commits a new card and opens the next in the same cell,
//! Tab commits and moves to the same lane in the next stage (Shift+Tab back), Alt+a channel's
//! letter sets the channel of the card being typed, Escape ends. The layout makes room for
//! the editor in its cell, so it never draws over another lane; past a dozen lines it scrolls.

use egui::{Key, Ui, WidgetInfo};

use super::{Canvas, Parts, Reveal};
use crate::edit::Command;
use crate::geom::Rect;
use crate::layout::{CELL_PAD, Layout};
use crate::model::{Card, CardId, Channel, Document, LaneId, StageId};
use crate::render::Element;
use crate::ui::app::Selection;
use crate::ui::paint::{c32, map_font};
use crate::ui::session::Session;

/// What an in-place text editor is editing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum EditTarget {
    NewCard {
        stage: StageId,
        lane: LaneId,
        index: usize,
    },
    Card(CardId),
    Stage(StageId),
    Lane(LaneId),
}

/// An in-place text edit on the canvas.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TextEditing {
    pub target: EditTarget,
    pub buf: String,
    pub focused_once: bool,
    /// Frames the editor has been shown: in its first few it takes the keyboard back if the
    /// click that opened it (the second of a double-click, released a frame later) took it.
    pub frames: u8,
    /// A channel chosen with Alt+letter while typing (when `channel_set`; `None`: cleared).
    pub channel: Option<Channel>,
    /// Whether a channel was chosen while typing.
    pub channel_set: bool,
    /// The editor's height on screen last frame (it is brought into sight when it grows).
    pub shown_h: f32,
    /// Whether the text starts selected (a name opened for renaming is retyped; text that
    /// started by typing is not).
    pub select_all: bool,
    /// Tells editing sessions apart (each has its own text field: no cursor or undo history
    /// carried over from the one before).
    pub serial: u64,
    /// Input that came in one frame after a Home or End the editor moves itself: put back in
    /// front of the next frame's, so that every key acts in the order it was typed.
    pub deferred: Vec<egui::Event>,
}

impl TextEditing {
    pub fn new(target: EditTarget, buf: String) -> Self {
        Self {
            target,
            buf,
            focused_once: false,
            frames: 0,
            channel: None,
            channel_set: false,
            shown_h: 0.0,
            select_all: matches!(target, EditTarget::Stage(_) | EditTarget::Lane(_)),
            deferred: Vec::new(),
            serial: {
                use std::sync::atomic::{AtomicU64, Ordering};
                static NEXT: AtomicU64 = AtomicU64::new(0);
                NEXT.fetch_add(1, Ordering::Relaxed)
            },
        }
    }
}

/// Starts editing the text of a card, stage or lane.
pub(crate) fn start_edit(canvas: &mut Canvas, doc: &Document, target: EditTarget) {
    let buf = match target {
        EditTarget::Card(id) => doc.card(id).map(|c| c.text.clone()),
        EditTarget::Stage(id) => doc.stage(id).map(|s| s.name.clone()),
        EditTarget::Lane(id) => doc.lane(id).map(|l| l.name.clone()),
        EditTarget::NewCard { .. } => Some(String::new()),
    };
    if let Some(buf) = buf {
        canvas.editing = Some(TextEditing::new(target, buf));
        canvas.reveal = Some(Reveal::Editor);
    }
}

/// Ends the in-place edit, queueing it as one undo step; returns what was edited (a new card
/// is selected once it exists).
pub(crate) fn commit_editing(canvas: &mut Canvas, session: &mut Session) -> Option<EditTarget> {
    let ed = canvas.editing.take()?;
    let doc = session.editor.doc();
    let cmd = match ed.target {
        EditTarget::NewCard { stage, lane, index } => {
            let text = ed.buf.trim_end().to_string();
            if text.trim().is_empty() {
                return Some(ed.target);
            }
            let mut card = Card::new(CardId(0), stage, lane, text);
            card.channel = ed.channel;
            // The new card is selected once it exists, unless the user has gone on to
            // something else meanwhile (the next card of a capture).
            canvas.selection = Selection::default();
            session.queue_then(
                Command::AddCards {
                    cards: vec![card],
                    index,
                },
                None,
                Box::new(|canvas, ids| {
                    if let Some(id) = ids.first()
                        && canvas.selection == Selection::default()
                        && canvas.editing.is_none()
                    {
                        canvas.selection = Selection::only_card(CardId(*id));
                    }
                }),
            );
            return Some(ed.target);
        }
        EditTarget::Card(id) => doc.card(id).and_then(|c| {
            let text = ed.buf.trim_end().to_string();
            let channel = if ed.channel_set {
                ed.channel
            } else {
                c.channel
            };
            (c.text != text || c.channel != channel).then(|| {
                let mut c = c.clone();
                c.text = text;
                c.channel = channel;
                Command::UpdateCard(c)
            })
        }),
        EditTarget::Stage(id) => {
            let name = ed.buf.trim().to_string();
            (doc.stage(id).is_some_and(|s| s.name != name))
                .then_some(Command::RenameStage { id, name })
        }
        EditTarget::Lane(id) => {
            let name = ed.buf.trim().to_string();
            (doc.lane(id).is_some_and(|l| l.name != name))
                .then_some(Command::RenameLane { id, name })
        }
    };
    if let Some(cmd) = cmd {
        session.queue(cmd);
    }
    Some(ed.target)
}

/// Where the in-place editor sits, in world units.
pub(crate) fn edit_rect(l: &Layout, target: EditTarget) -> Option<Rect> {
    match target {
        EditTarget::Card(id) => l.card(id).map(|c| c.rect),
        EditTarget::Stage(id) => l.stage(id).map(|s| s.header.expand(-6.0)),
        EditTarget::Lane(id) => l.lane(id).map(|r| {
            Rect::from_xywh(
                r.label.min.x + 8.0,
                r.label.min.y + 6.0,
                r.label.width() - 16.0,
                l.style().lane_font() * 2.4,
            )
        }),
        EditTarget::NewCard { stage, lane, .. } => l.edit_rect.or_else(|| {
            // Before the layout has made room (the first frame): the cell's top.
            let cell = l.cell_rect(stage, lane)?;
            Some(Rect::from_xywh(
                cell.min.x + CELL_PAD,
                cell.min.y + CELL_PAD,
                cell.width() - 2.0 * CELL_PAD,
                l.style().card_height(2, false),
            ))
        }),
    }
}

/// The cell after (or before) `(stage, lane)` in reading order: the same lane in the next
/// stage, then the next lane that holds cards, from its first stage.
pub(crate) fn next_cell(
    l: &Layout,
    stage: StageId,
    lane: LaneId,
    back: bool,
) -> Option<(StageId, LaneId)> {
    let lanes: Vec<LaneId> = l
        .lanes
        .iter()
        .filter(|x| x.kind.holds_cards())
        .map(|x| x.id)
        .collect();
    let cells: Vec<(StageId, LaneId)> = lanes
        .iter()
        .flat_map(|ln| l.stages.iter().map(move |s| (s.id, *ln)))
        .collect();
    let i = cells.iter().position(|c| *c == (stage, lane))?;
    let j = if back { i.checked_sub(1)? } else { i + 1 };
    cells.get(j).copied()
}

/// What Enter, Tab and Shift+Tab do while editing.
enum Move {
    /// Enter: commit; a new card opens the next one in its cell.
    Next,
    /// Tab (or Shift+Tab): commit and move on.
    Tab { back: bool },
}

fn after_commit(p: &mut Parts, ed: &TextEditing, m: &Move) {
    let empty = ed.buf.trim().is_empty();
    commit_editing(p.canvas, p.session);
    let l = p.layout;
    // The cell Tab goes to, and the lane name it goes to, worked out before anything changes.
    let card_cell = match ed.target {
        EditTarget::Card(id) => l.card(id).map(|c| (c.stage, c.lane)),
        EditTarget::NewCard { stage, lane, .. } => Some((stage, lane)),
        _ => None,
    };
    let tab_cell = match m {
        Move::Tab { back } => card_cell.and_then(|(s, ln)| next_cell(l, s, ln, *back)),
        Move::Next => None,
    };
    let next_lane = match (ed.target, m) {
        (EditTarget::Lane(id), Move::Tab { back }) => {
            let i = l.lanes.iter().position(|x| x.id == id);
            let j = i.and_then(|i| if *back { i.checked_sub(1) } else { Some(i + 1) });
            j.and_then(|j| l.lanes.get(j)).map(|x| x.id)
        }
        _ => None,
    };
    match (ed.target, m) {
        (EditTarget::NewCard { stage, lane, index }, Move::Next) => {
            if empty {
                // Enter on an empty new card ends the capture; the cell stays selected.
                p.canvas.selection = Selection::only_cell(stage, lane);
                return;
            }
            let next = if index == usize::MAX {
                usize::MAX
            } else {
                index + 1
            };
            p.canvas.open_new_card(stage, lane, next, String::new());
        }
        // Past the last cell a new card is selected once it exists (see `commit_editing`).
        (EditTarget::NewCard { .. } | EditTarget::Card(_), Move::Tab { .. }) => {
            if let Some((s, ln)) = tab_cell {
                p.canvas.open_new_card(s, ln, usize::MAX, String::new());
            }
        }
        (EditTarget::Card(id), Move::Next) => p.canvas.selection = Selection::only_card(id),
        (EditTarget::Stage(id), Move::Tab { back }) => {
            let doc = p.session.editor.doc();
            let i = doc.stage_index(id).unwrap_or(0);
            let n = doc.stages.len();
            if *back {
                if let Some(s) = i.checked_sub(1).and_then(|j| doc.stages.get(j)) {
                    let s = s.id;
                    p.canvas.selection = Selection::only_stage(s);
                    start_edit(p.canvas, doc, EditTarget::Stage(s));
                }
            } else if i + 1 < n {
                let s = doc.stages[i + 1].id;
                p.canvas.selection = Selection::only_stage(s);
                start_edit(p.canvas, doc, EditTarget::Stage(s));
            } else {
                // Tab off the last stage's name adds the next stage.
                let width = doc
                    .stages
                    .get(i)
                    .map_or(crate::model::DEFAULT_STAGE_WIDTH, |s| s.width);
                super::add_stage(p.canvas, p.session, n, width);
            }
        }
        (EditTarget::Stage(id), Move::Next) => p.canvas.selection = Selection::only_stage(id),
        (EditTarget::Lane(_), Move::Tab { .. }) => {
            if let Some(next) = next_lane {
                start_edit(p.canvas, p.session.editor.doc(), EditTarget::Lane(next));
            }
        }
        (EditTarget::Lane(_), Move::Next) => {}
    }
}

/// Keys the editor takes before its text field sees them. Returns false when the editor
/// closed.
fn editor_keys(p: &mut Parts, ui: &Ui, ed: &TextEditing) -> bool {
    let card = matches!(ed.target, EditTarget::Card(_) | EditTarget::NewCard { .. });
    // Alt+letter: the channel of the card being typed.
    if card {
        for (action, s) in crate::ui::actions::Action::key_shortcuts() {
            let crate::ui::actions::Action::SetChannel(ch) = action else {
                continue;
            };
            if crate::ui::actions::consume_shortcut(ui.ctx(), *s) {
                let letter = s.logical_key.name().to_ascii_lowercase();
                ui.ctx().input_mut(|i| {
                    if let Some(at) = i.events.iter().position(
                        |e| matches!(e, egui::Event::Text(t) if t.to_ascii_lowercase() == letter),
                    ) {
                        i.events.remove(at);
                    }
                });
                if let Some(e) = p.canvas.editing.as_mut() {
                    e.channel = *ch;
                    e.channel_set = true;
                }
            }
        }
    }
    if card {
        home_end(p.canvas, ui, ed);
    }
    // Events go in arrival order: text typed in this frame before Enter or Tab belongs to
    // this card, text after it to the next one (a fast typist sends both in one frame).
    let Some((mv, before, after)) = ui.input_mut(split_at_move) else {
        return true;
    };
    let mut ed = ed.clone();
    if let Some(e) = p.canvas.editing.as_mut() {
        e.buf.push_str(&before);
        ed.buf.clone_from(&e.buf);
        ed.channel = e.channel;
        ed.channel_set = e.channel_set;
    }
    after_commit(p, &ed, &mv);
    if let Some(next) = p.canvas.editing.as_mut() {
        next.buf.push_str(&after);
    }
    false
}

/// Whether an event is a Home or End the editor moves itself (not Ctrl+Home/End: egui's own
/// start and end of the text).
fn is_home_end(e: &egui::Event) -> bool {
    matches!(e, egui::Event::Key { key: Key::Home | Key::End, pressed: true, modifiers, .. }
        if !modifiers.command && !modifiers.ctrl && !modifiers.alt)
}

/// Home and End go to the start and end of the line of text being typed (a card wraps its
/// text into rows, and egui's own Home/End stop at the row); Shift extends the selection.
/// Keys stay in the order typed: what came in this frame before a Home or End is left to the
/// text field this frame, and the Home or End with what followed it waits for the next.
fn home_end(canvas: &mut Canvas, ui: &Ui, ed: &TextEditing) {
    let deferred = canvas
        .editing
        .as_mut()
        .map(|e| std::mem::take(&mut e.deferred))
        .unwrap_or_default();
    let (mine, later) = ui.input_mut(|i| {
        if !deferred.is_empty() {
            i.events.splice(0..0, deferred);
        }
        let Some(at) = i.events.iter().position(is_home_end) else {
            return (None, Vec::new());
        };
        let typed_before = i.events[..at].iter().any(|e| {
            matches!(
                e,
                egui::Event::Text(_)
                    | egui::Event::Paste(_)
                    | egui::Event::Key { pressed: true, .. }
            )
        });
        if typed_before {
            return (None, i.events.split_off(at));
        }
        let mine = match i.events.remove(at) {
            egui::Event::Key { key, modifiers, .. } => Some((key, modifiers.shift)),
            _ => None,
        };
        let later = match i.events.iter().position(is_home_end) {
            Some(next) => i.events.split_off(next),
            None => Vec::new(),
        };
        (mine, later)
    });
    if !later.is_empty() {
        ui.ctx().request_repaint();
        if let Some(e) = canvas.editing.as_mut() {
            e.deferred = later;
        }
    }
    let Some((key, shift)) = mine else {
        return;
    };
    let id = editor_id(ui, ed);
    let mut state = egui::text_edit::TextEditState::load(ui.ctx(), id).unwrap_or_default();
    let chars: Vec<char> = ed.buf.chars().collect();
    let end = egui::text::CCursor::new(chars.len());
    let range = state
        .cursor
        .char_range()
        .unwrap_or(egui::text_selection::CCursorRange::one(end));
    let at = range.primary.index.0.min(chars.len());
    let to = if key == Key::Home {
        chars[..at]
            .iter()
            .rposition(|c| *c == '\n')
            .map_or(0, |p| p + 1)
    } else {
        chars[at..]
            .iter()
            .position(|c| *c == '\n')
            .map_or(chars.len(), |p| at + p)
    };
    let to = egui::text::CCursor::new(to);
    let range = if shift {
        egui::text_selection::CCursorRange::two(range.secondary, to)
    } else {
        egui::text_selection::CCursorRange::one(to)
    };
    state.cursor.set_char_range(Some(range));
    state.store(ui.ctx(), id);
}

/// The in-place editor's widget id.
fn editor_id(ui: &Ui, ed: &TextEditing) -> egui::Id {
    ui.scope_id().with(("in-place-edit", ed.serial))
}

/// The channel letters, shown beside a touchpoint being typed (where the eye is).
fn channel_keys_hint() -> String {
    let keys: Vec<String> = Channel::ALL
        .iter()
        .map(|c| format!("{} {}", c.key().to_ascii_uppercase(), c.label()))
        .chain(std::iter::once(format!(
            "{} none",
            crate::model::NO_CHANNEL_KEY.to_ascii_uppercase()
        )))
        .collect();
    format!("Alt+ channel: {}", keys.join(" \u{b7} "))
}

/// Whether the editor is typing a card of a lane whose cards have channels.
fn types_a_touchpoint(doc: &Document, ed: &TextEditing) -> bool {
    let lane = match ed.target {
        EditTarget::NewCard { lane, .. } => Some(lane),
        EditTarget::Card(id) => doc.card(id).map(|c| c.lane),
        EditTarget::Stage(_) | EditTarget::Lane(_) => None,
    };
    lane.and_then(|l| doc.lane(l))
        .is_some_and(|l| l.kind == crate::model::LaneKind::Touchpoints)
}

/// The channel letters in a small box under the editor (above it near the bottom).
fn paint_channel_hint(
    ui: &Ui,
    canvas: egui::Rect,
    editor: egui::Rect,
    theme: &crate::theme::Theme,
) {
    let width = editor.width().max(420.0).min(canvas.width() - 16.0);
    let galley = ui.painter().layout(
        channel_keys_hint(),
        egui::FontId::proportional(13.0),
        c32(theme.text_muted),
        width - 16.0,
    );
    let size = galley.size() + egui::vec2(16.0, 10.0);
    let below = editor.max.y + 4.0;
    let y = if below + size.y <= canvas.max.y {
        below
    } else {
        editor.min.y - 4.0 - size.y
    };
    let x = editor
        .min
        .x
        .min(canvas.max.x - size.x - 8.0)
        .max(canvas.min.x + 8.0);
    let r = egui::Rect::from_min_size(egui::pos2(x, y), size);
    let painter = ui.painter().clone().with_layer_id(egui::LayerId::new(
        egui::Order::Foreground,
        egui::Id::unique("channel keys"),
    ));
    painter.rect_filled(r, 4.0, c32(theme.background));
    painter.rect_stroke(
        r,
        4.0,
        egui::Stroke::new(1.0, c32(theme.grid)),
        egui::StrokeKind::Inside,
    );
    painter.galley(r.min + egui::vec2(8.0, 5.0), galley, c32(theme.text_muted));
}

/// Takes this frame's events up to and including the one at `at` (a key that ends or leaves
/// the typing) out of the frame, and returns the text typed among them: events go in arrival
/// order, and the text field has not seen them yet.
pub(crate) fn take_typed_before(i: &mut egui::InputState, at: usize) -> String {
    i.events
        .drain(..=at)
        .filter_map(|e| typed(&e).map(str::to_owned))
        .collect()
}

/// The text an event puts into the editor: typed, pasted, or committed by the input method
/// (on X11, winit hands typed letters to the focused field as IME commits).
fn typed(e: &egui::Event) -> Option<&str> {
    match e {
        egui::Event::Text(t)
        | egui::Event::Paste(t)
        | egui::Event::Ime(egui::ImeEvent::Commit(t)) => Some(t),
        _ => None,
    }
}

/// The first Enter (not Shift+Enter: a new line) or Tab among this frame's events, with the
/// text typed before and after it; the key and the text are taken out of the frame.
fn split_at_move(i: &mut egui::InputState) -> Option<(Move, String, String)> {
    let at = i.events.iter().position(|e| match e {
        egui::Event::Key {
            key: Key::Enter,
            pressed: true,
            modifiers,
            ..
        } => !modifiers.shift && !modifiers.command && !modifiers.alt,
        egui::Event::Key {
            key: Key::Tab,
            pressed: true,
            modifiers,
            ..
        } => !modifiers.command && !modifiers.alt,
        _ => false,
    })?;
    let mv = match &i.events[at] {
        egui::Event::Key {
            key: Key::Tab,
            modifiers,
            ..
        } => Move::Tab {
            back: modifiers.shift,
        },
        _ => Move::Next,
    };
    let text = |es: &[egui::Event]| -> String { es.iter().filter_map(typed).collect() };
    let before = text(&i.events[..at]);
    let after = text(&i.events[at + 1..]);
    i.events.remove(at);
    i.events.retain(|e| typed(e).is_none());
    Some((mv, before, after))
}

/// Frames after opening in which the editor takes the keyboard back.
pub(crate) const EDITOR_SETTLES: u8 = 3;

/// The in-place editor over the canvas, drawn in `theme`.
pub(crate) fn text_edit_ui(ui: &mut Ui, p: &mut Parts, theme: &crate::theme::Theme) {
    let Some(ed) = p.canvas.editing.clone() else {
        return;
    };
    let Some(world) = edit_rect(p.layout, ed.target) else {
        p.canvas.editing = None;
        return;
    };
    let id = editor_id(ui, &ed);
    let focused = ui.memory(|m| m.has_focus(id));
    if focused && !editor_keys(p, ui, &ed) {
        return;
    }
    let style = p.layout.style();
    let element = match ed.target {
        EditTarget::Stage(s) => Element::StageHeader(s),
        EditTarget::Lane(l) => Element::LaneLabel(l),
        _ => Element::Body,
    };
    let rect = p.canvas.screen_rect_frozen(&world, element);
    let (size, bold, multiline) = match ed.target {
        EditTarget::Card(_) | EditTarget::NewCard { .. } => (style.card_font(), false, true),
        EditTarget::Stage(_) => (style.header_font(), true, false),
        EditTarget::Lane(_) => (style.lane_font(), true, false),
    };
    let zoom = p.canvas.view.zoom;
    let font = map_font(size, zoom, bold);
    let margin = egui::Margin::same((style.card_pad() * zoom * 0.6).clamp(2.0, 20.0) as i8);
    let label = match ed.target {
        EditTarget::NewCard { .. } => "New card text",
        EditTarget::Card(_) => "Card text",
        EditTarget::Stage(_) => "Stage name",
        EditTarget::Lane(_) => "Lane name",
    };
    // Just opened: the click that opened it may end a frame later and take the keyboard
    // (egui gives up focus on a click elsewhere); the editor takes it back.
    let young = ed.frames < EDITOR_SETTLES;
    if !focused && young && ed.focused_once {
        ui.memory_mut(|m| m.request_focus(id));
    }
    if !ed.focused_once {
        // Focus and cursor are set before the field takes this frame's keys, so nothing typed
        // right after the editor opened is lost or lands in the wrong place.
        ui.memory_mut(|m| m.request_focus(id));
        // Names are usually retyped: select them all. Card text keeps the cursor at the end.
        let mut state = egui::text_edit::TextEditState::load(ui.ctx(), id).unwrap_or_default();
        let n = ed.buf.chars().count();
        let range = if multiline || n == 0 || !ed.select_all {
            egui::text_selection::CCursorRange::one(egui::text::CCursor::new(n))
        } else {
            egui::text_selection::CCursorRange::two(
                egui::text::CCursor::new(0),
                egui::text::CCursor::new(n),
            )
        };
        state.cursor.set_char_range(Some(range));
        state.store(ui.ctx(), id);
        p.canvas.reveal = Some(Reveal::Editor);
    }
    let mut buf = ed.buf.clone();
    let te = if multiline {
        egui::TextEdit::multiline(&mut buf).desired_rows(1)
    } else {
        egui::TextEdit::singleline(&mut buf)
    };
    let te = te
        .id(id)
        .font(font)
        .margin(margin)
        .desired_width(rect.width() - 12.0)
        .hint_text(label);
    let mut child = ui.new_child(
        egui::UiBuilder::new()
            .max_rect(rect)
            .layout(egui::Layout::top_down(egui::Align::Min)),
    );
    child.set_clip_rect(rect.intersect(p.canvas.rect));
    child
        .painter()
        .rect_filled(rect, 6.0 * zoom, c32(theme.background));
    let resp = if multiline {
        egui::ScrollArea::vertical()
            .id_salt("in-place-scroll")
            .max_height(rect.height())
            .auto_shrink([false, false])
            .show(&mut child, |ui| {
                ui.add_sized(egui::vec2(rect.width() - 12.0, rect.height()), te)
            })
            .inner
    } else {
        child.add_sized(rect.size(), te)
    };
    resp.widget_info(|| {
        WidgetInfo::labeled(
            if multiline {
                egui::Role::MultilineTextInput
            } else {
                egui::Role::TextInput
            },
            true,
            label,
        )
    });
    if let Some(ch) = ed.channel.filter(|_| ed.channel_set) {
        // The channel chosen while typing, over the editor's top-right corner.
        let text = ch.label().to_uppercase();
        let f = map_font(style.meta_font(), zoom, true);
        let g = ui.painter().layout_no_wrap(text, f, c32(theme.text_muted));
        // Inside the editor's top-right corner, clear of the card above.
        let at = rect.right_top() + egui::vec2(-g.size().x - 16.0, 6.0);
        ui.painter().galley(at, g, c32(theme.text_muted));
    }

    if types_a_touchpoint(p.session.editor.doc(), &ed) {
        paint_channel_hint(ui, p.canvas.rect, rect, theme);
    }

    if rect.height() > ed.shown_h + 0.5 && ed.focused_once {
        // It grew with the text: keep it in sight.
        p.canvas.reveal = Some(Reveal::Editor);
    }
    if let Some(e) = p.canvas.editing.as_mut() {
        e.buf = buf;
        e.focused_once = true;
        e.shown_h = rect.height();
        e.frames = e.frames.saturating_add(1);
    }
    if resp.lost_focus() && !young {
        commit_editing(p.canvas, p.session);
    }
}

/// What the status bar says while editing: which cell, and the keys.
pub(crate) fn editing_status(canvas: &Canvas, doc: &Document) -> Option<String> {
    let ed = canvas.editing.as_ref()?;
    let cell = |s: StageId, l: LaneId| {
        format!(
            "{} · {}",
            doc.stage(s).map_or("?", |s| s.name.as_str()),
            doc.lane(l).map_or("?", |l| l.name.as_str())
        )
    };
    let channel = match (ed.channel_set, ed.channel) {
        (true, Some(c)) => format!(" · channel {}", c.label()),
        (true, None) => " · no channel".into(),
        (false, _) => String::new(),
    };
    Some(match ed.target {
        EditTarget::NewCard { stage, lane, .. } => format!(
            "New card in {}{channel} — Enter: next card · Tab: next stage · Alt+letter: channel · Esc: done",
            cell(stage, lane)
        ),
        EditTarget::Card(id) => {
            let c = doc.card(id)?;
            format!(
                "Editing a card in {}{channel} — Enter: done · Shift+Enter: new line · Tab: next stage · Esc: cancel",
                cell(c.stage, c.lane)
            )
        }
        EditTarget::Stage(_) => {
            "Naming the stage — Tab: next stage (a new one after the last) · Enter: done · Esc: cancel".into()
        }
        EditTarget::Lane(_) => "Naming the lane — Tab: next lane · Enter: done · Esc: cancel".into(),
    })
}
