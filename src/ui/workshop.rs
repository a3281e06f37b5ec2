//! File → Host workshop and Join workshop: the open map shared live with other laptops.
//!
//! Hosting starts a hub inside the app (on its own thread, listening on the local network)
//! and joins the facilitator's canvas to it as a client like any other, so other people's
//! edits never enter her undo. Joining connects to someone's hub in the background (the UI
//! never waits on the network) and opens the shared map. Once a frame, after the queued
//! commands, [`App::workshop_step`] sends this editor's edits and applies what arrived.

use std::sync::mpsc;
use std::time::Duration;

use super::App;
use crate::hub::live::{Link, Live, now_ms};
use crate::hub::{Files, Hub};
use crate::model::Document;

/// The port a hosted workshop listens on (another free one when it is taken).
pub const PORT: u16 = 7117;

/// A live workshop this app is in.
pub(crate) struct Workshop {
    live: Live,
    /// The hub, when this app hosts.
    hub: Option<Hub>,
    /// The address participants join with.
    pub url: String,
    /// The join address as a QR code: modules, row by row, and the side.
    qr: Option<(Vec<bool>, usize)>,
    /// The name others see.
    pub name: String,
    /// When the facilitator ended the session (the hub stops a moment later, once everyone
    /// has been told).
    ending: Option<std::time::Instant>,
    /// Dots per person for the next voting round.
    dots: u32,
    /// Lanes left out of the next voting round (by default every card lane takes dots).
    skip_lanes: std::collections::BTreeSet<u64>,
}

/// A join under way (connecting in the background).
pub(crate) struct Joining {
    url: String,
    result: mpsc::Receiver<Result<(Live, Document), String>>,
}

impl Workshop {
    fn new(live: Live, hub: Option<Hub>, url: String) -> Self {
        let qr = qrcode::QrCode::new(url.as_bytes()).ok().map(|c| {
            let w = c.width();
            let dark = c
                .to_colors()
                .into_iter()
                .map(|m| m == qrcode::Color::Dark)
                .collect();
            (dark, w)
        });
        let fallback = if hub.is_some() {
            "Facilitator"
        } else {
            "Participant"
        };
        let name = std::env::var("USER")
            .ok()
            .filter(|u| !u.is_empty() && u != "root")
            .map_or_else(
                || fallback.to_string(),
                |u| {
                    let mut c = u.chars();
                    c.next()
                        .map(|f| f.to_uppercase().chain(c).collect())
                        .unwrap_or(u)
                },
            );
        Self {
            live,
            hub,
            url,
            qr,
            name,
            ending: None,
            dots: 3,
            skip_lanes: std::collections::BTreeSet::new(),
        }
    }

    /// Whether this laptop may not change the map now (the facilitator locked it).
    pub fn read_only(&self) -> bool {
        self.hub.is_none() && self.live.locked
    }

    /// The open voting round's dots per card (for the canvas).
    pub fn vote_counts(&self) -> Option<&std::collections::BTreeMap<u64, u32>> {
        self.live.vote().map(|(_, t)| &t.cards)
    }

    /// Everyone else in the session.
    pub fn others(&self) -> impl Iterator<Item = &crate::hub::proto::Presence> {
        self.live.others()
    }

    /// One line for the menu bar: hosting or joined, online or not, how many are in.
    pub fn status(&self) -> String {
        let link = match self.live.link() {
            Link::Online => "online".to_string(),
            Link::Connecting => "connecting".to_string(),
            Link::Offline(_) => "offline, reconnecting".to_string(),
        };
        let lock = if self.live.locked {
            ", locked by the facilitator"
        } else {
            ""
        };
        match &self.hub {
            Some(h) => format!(
                "Hosting a workshop ({} connected, {link}{lock})",
                h.clients()
            ),
            None => format!("In a workshop ({link}{lock})"),
        }
    }
}

impl App {
    /// File → Host workshop: shares the open map (or shows the workshop window if live).
    pub(crate) fn host_workshop(&mut self) {
        if self.session.workshop.is_some() {
            self.dialogs.workshop_open = true;
            return;
        }
        let files = self.session.file.clone().map(|f| Files {
            json: None,
            ..Files::beside(f)
        });
        let bind = |port| std::net::SocketAddr::from(([0, 0, 0, 0], port));
        let hub = match Hub::start(self.session.editor.doc(), bind(PORT), files.clone())
            .or_else(|_| Hub::start(self.session.editor.doc(), bind(0), files))
        {
            Ok(h) => h,
            Err(e) => {
                self.dialogs.status = Some(format!("Could not host a workshop: {e}"));
                return;
            }
        };
        let own = hub.host_url();
        match Live::join(&own, Duration::from_secs(5)) {
            Ok((mut live, _)) => {
                // The hub's map is this one (normalised): bring the editor in line without
                // touching its history, then record what it applies for sending.
                let (ops, _) = live.replica_mut().all_ops(self.session.editor.doc());
                let _ = self
                    .session
                    .editor
                    .apply_ops(crate::edit::Origin::Import, ops);
                self.session.editor.record_done(true);
                let url = hub.join_url(&crate::hub::lan_address().to_string());
                self.session.workshop = Some(Workshop::new(live, Some(hub), url));
                self.dialogs.workshop_open = true;
            }
            Err(e) => self.dialogs.status = Some(format!("Could not host a workshop: {e}")),
        }
    }

    /// File → Join workshop: connects in the background; the map opens when it arrives.
    pub(crate) fn join_workshop(&mut self, url: &str) {
        let (tx, rx) = mpsc::channel();
        let target = url.trim().to_string();
        let ctx = self.egui_ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("journeymap-join".into())
            .spawn(move || {
                let r = Live::join(&target, Duration::from_secs(15)).map_err(|e| e.to_string());
                let _ = tx.send(r);
                if let Some(c) = ctx {
                    c.request_repaint();
                }
            });
        match spawned {
            Ok(_) => {
                self.session.joining = Some(Joining {
                    url: url.trim().to_string(),
                    result: rx,
                });
                self.dialogs.status = Some(format!("Joining {}…", url.trim()));
            }
            Err(e) => self.dialogs.status = Some(format!("Could not join: {e}")),
        }
    }

    /// Leaves the workshop (stops hosting: the hub closes; everyone keeps their copy).
    pub(crate) fn leave_workshop(&mut self) {
        if let Some(w) = self.session.workshop.take() {
            self.dialogs.status = Some(if w.hub.is_some() {
                "Stopped hosting; participants keep their copies".into()
            } else {
                "Left the workshop; the map stays open here".into()
            });
        }
        self.session.editor.record_done(false);
        self.dialogs.workshop_open = false;
    }

    /// Another map was opened in this window: it is not the shared one, so the workshop ends.
    pub(crate) fn end_workshop_for_new_document(&mut self) {
        if self.session.workshop.is_some() {
            self.leave_workshop();
        }
    }

    /// Once a frame: a finished join opens its map; a live workshop exchanges edits.
    pub(crate) fn workshop_step(&mut self) {
        if let Some(j) = &self.session.joining
            && let Ok(result) = j.result.try_recv()
        {
            let url = j.url.clone();
            self.session.joining = None;
            match result {
                Ok((live, doc)) => {
                    self.session.workshop = None;
                    self.session.editor.replace(doc);
                    self.session.editor.record_done(true);
                    self.session.file = None;
                    self.session.stamp = None;
                    self.session.workshop = Some(Workshop::new(live, None, url));
                    self.dialogs.status =
                        Some("Joined the workshop: Save As keeps a copy of the map".into());
                }
                Err(e) => self.dialogs.status = Some(format!("Could not join: {e}")),
            }
        }
        let Some(w) = &mut self.session.workshop else {
            return;
        };
        if w.ending
            .is_some_and(|t| t.elapsed() > Duration::from_millis(500))
        {
            self.leave_workshop();
            self.dialogs.status = Some("Ended the session; everyone keeps their copy".into());
            return;
        }
        if let Err(e) = w.live.step(&mut self.session.editor) {
            self.dialogs.status = Some(format!("Workshop: {e}"));
        }
        let typing = self.canvas.editing.as_ref().and_then(|e| match e.target {
            super::canvas::EditTarget::Card(id) => Some(id.0),
            _ => None,
        });
        let cards = self.canvas.selection.cards.iter().map(|c| c.0).collect();
        w.live.set_presence(&w.name, cards, typing);
        if let Some(r) = w.live.refused.take() {
            self.dialogs.status = Some(format!("The workshop hub refused: {r}"));
        }
        if w.live.ended && w.hub.is_none() {
            self.leave_workshop();
            self.dialogs.status =
                Some("The facilitator ended the session; the map stays open here".into());
            return;
        }
        if let Some(ctx) = &self.egui_ctx {
            // Others' edits show without waiting for this user's input.
            ctx.request_repaint_after(Duration::from_millis(50));
        }
    }

    /// The workshop window: the join address, its QR code, who is in, leave.
    pub(crate) fn workshop_window(&mut self, ctx: &egui::Context) {
        if !self.dialogs.workshop_open {
            return;
        }
        let Some(w) = &self.session.workshop else {
            self.dialogs.workshop_open = false;
            return;
        };
        let mut open = true;
        let mut leave = false;
        let mut timer: Option<Option<i64>> = None;
        let mut locked = w.live.locked;
        let was_locked = locked;
        let mut end = false;
        let mut vote_action: Option<VoteAction> = None;
        let mut dots = w.dots;
        let mut skip = w.skip_lanes.clone();
        let vote = w.live.vote().cloned();
        let voter = w.live.voter();
        let selected: Option<u64> = (self.canvas.selection.cards.len() == 1)
            .then(|| self.canvas.selection.cards.iter().next().map(|c| c.0))
            .flatten();
        let doc = self.session.editor.doc();
        let card_text = |id: u64| {
            doc.card(crate::model::CardId(id))
                .map_or_else(|| "(removed)".to_string(), |c| c.text.clone())
        };
        let running = w.live.timer().is_some_and(|t| t > now_ms());
        let status = w.status();
        let hosting = w.hub.is_some();
        let url = w.url.clone();
        let qr = w.qr.clone();
        let mut name = w.name.clone();
        let people: Vec<String> = w.others().map(|p| p.name.clone()).collect();
        egui::Window::new("Workshop")
            .open(&mut open)
            .resizable(false)
            .collapsible(false)
            .show(ctx, |ui| {
                ui.label(status);
                ui.horizontal(|ui| {
                    let l = ui.label("Your name:");
                    ui.add(egui::TextEdit::singleline(&mut name).desired_width(200.0))
                        .labelled_by(l.id);
                });
                ui.label(if people.is_empty() {
                    "Nobody else with a laptop here yet".to_string()
                } else {
                    format!("Also here: {}", people.join(", "))
                });
                ui.add_space(6.0);
                if hosting {
                    ui.label("Participants open this address (same Wi-Fi), or scan the code:");
                } else {
                    ui.label("Joined at:");
                }
                ui.horizontal(|ui| {
                    ui.monospace(&url);
                    if ui.button("Copy").clicked() {
                        ui.ctx().copy_text(url.clone());
                    }
                });
                if let Some((modules, side)) = &qr {
                    ui.add_space(8.0);
                    qr_ui(ui, modules, *side);
                }
                if hosting {
                    ui.add_space(8.0);
                    ui.checkbox(&mut locked, "Lock the map (read-only for everyone else)");
                } else if locked {
                    ui.label("The facilitator has locked the map: you can look, not change.");
                }
                if hosting {
                    ui.add_space(8.0);
                    ui.horizontal(|ui| {
                        ui.label("Timer on every screen:");
                        for min in [1, 3, 5, 10] {
                            if ui.button(format!("{min} min")).clicked() {
                                timer = Some(Some(now_ms() + min * 60_000));
                            }
                        }
                        if running && ui.button("Stop timer").clicked() {
                            timer = Some(None);
                        }
                    });
                }
                ui.add_space(8.0);
                ui.separator();
                match &vote {
                    None if hosting => {
                        ui.horizontal(|ui| {
                            ui.label("Dot voting:");
                            ui.add(
                                egui::DragValue::new(&mut dots)
                                    .range(1..=20)
                                    .suffix(" dots"),
                            );
                            ui.label("each, on cards of:");
                        });
                        ui.horizontal_wrapped(|ui| {
                            for l in doc.lanes.iter().filter(|l| l.kind.holds_cards()) {
                                let mut on = !skip.contains(&l.id.0);
                                if ui.checkbox(&mut on, &l.name).changed() {
                                    if on {
                                        skip.remove(&l.id.0);
                                    } else {
                                        skip.insert(l.id.0);
                                    }
                                }
                            }
                        });
                        let any = doc
                            .lanes
                            .iter()
                            .any(|l| l.kind.holds_cards() && !skip.contains(&l.id.0));
                        if ui
                            .add_enabled(any, egui::Button::new("Start round"))
                            .clicked()
                        {
                            vote_action = Some(VoteAction::Open);
                        }
                    }
                    None => {
                        ui.label("No dot voting round is open.");
                    }
                    Some((round, tally)) => {
                        let left = round.dots.saturating_sub(tally.used(&voter));
                        let on = if round.lanes.is_empty() {
                            "every card".to_string()
                        } else {
                            doc.lanes
                                .iter()
                                .filter(|l| round.lanes.contains(&l.id.0))
                                .map(|l| l.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        };
                        ui.label(format!(
                            "Dot voting on {on}: you have {left} of {} dots left.",
                            round.dots
                        ));
                        ui.horizontal(|ui| {
                            let add = ui.add_enabled(
                                selected.is_some() && left > 0,
                                egui::Button::new("+ Dot on the selected card"),
                            );
                            if add.clicked() {
                                vote_action = selected.map(|c| VoteAction::Cast(c, true));
                            }
                            let mine = selected.is_some_and(|c| tally.mine(&voter, c) > 0);
                            let back = ui.add_enabled(mine, egui::Button::new("− Take one back"));
                            if back.clicked() {
                                vote_action = selected.map(|c| VoteAction::Cast(c, false));
                            }
                        });
                        for (i, (card, n)) in tally.ranked().iter().take(10).enumerate() {
                            ui.label(format!(
                                "{}. {n} dot{} · {}",
                                i + 1,
                                if *n == 1 { "" } else { "s" },
                                card_text(*card)
                            ));
                        }
                        if hosting
                            && ui
                                .button("End round and save the counts on the cards")
                                .clicked()
                        {
                            vote_action = Some(VoteAction::Close);
                        }
                    }
                }
                ui.separator();
                let label = if hosting {
                    "Stop hosting"
                } else {
                    "Leave workshop"
                };
                ui.horizontal(|ui| {
                    if ui.button(label).clicked() {
                        leave = true;
                    }
                    if hosting
                        && ui
                            .button("End session for everyone")
                            .on_hover_text("Everyone keeps a copy of the map")
                            .clicked()
                    {
                        end = true;
                    }
                });
            });
        if let Some(w) = &mut self.session.workshop {
            w.name = name.chars().filter(|c| !c.is_control()).take(40).collect();
            if locked != was_locked {
                w.live.set_locked(locked);
            }
            w.dots = dots;
            w.skip_lanes = skip;
            // Every card lane chosen: the round says "all" (lanes added later take dots too).
            let lanes: Vec<u64> = if w.skip_lanes.is_empty() {
                Vec::new()
            } else {
                self.session
                    .editor
                    .doc()
                    .lanes
                    .iter()
                    .filter(|l| l.kind.holds_cards() && !w.skip_lanes.contains(&l.id.0))
                    .map(|l| l.id.0)
                    .collect()
            };
            let done = match vote_action {
                Some(VoteAction::Open) => w.live.open_vote(dots, lanes).map_err(|e| e.to_string()),
                Some(VoteAction::Cast(card, add)) => {
                    w.live.cast(self.session.editor.doc(), card, add)
                }
                Some(VoteAction::Close) => w.live.close_vote(&mut self.session.editor),
                None => Ok(()),
            };
            if let Err(e) = done {
                self.dialogs.status = Some(format!("Dot voting: {e}"));
            }
            if end {
                w.live.end_session();
                w.ending = Some(std::time::Instant::now());
            }
        }
        if let Some(t) = timer
            && let Some(w) = &mut self.session.workshop
            && let Err(e) = w.live.set_timer(t)
        {
            self.dialogs.status = Some(format!("Workshop: {e}"));
        }
        if leave {
            self.leave_workshop();
        } else if !open {
            self.dialogs.workshop_open = false;
        }
    }
}

/// What the voting part of the workshop window asked for.
enum VoteAction {
    /// Open a round.
    Open,
    /// A dot on a card, or one taken back.
    Cast(u64, bool),
    /// Close the round, saving the counts.
    Close,
}

/// How long "Time's up" stays on screen after a countdown ends.
const TIMES_UP_MS: i64 = 15_000;

impl App {
    /// The workshop's countdown, top right of the canvas on every screen (in presentation
    /// mode too): minutes and seconds left, then "Time's up" for a while.
    pub(crate) fn workshop_timer_ui(&self, ctx: &egui::Context) {
        let Some(ends) = self.session.workshop.as_ref().and_then(|w| w.live.timer()) else {
            return;
        };
        let left = ends - now_ms();
        if left < -TIMES_UP_MS {
            return;
        }
        let text = if left > 0 {
            let s = (left + 999) / 1000;
            format!("{}:{:02}", s / 60, s % 60)
        } else {
            "Time's up".to_string()
        };
        let theme = crate::theme::Theme::get(self.prefs.theme);
        let at = self.canvas.rect.right_top() + egui::vec2(-16.0, 16.0);
        egui::Area::new(egui::Id::unique("workshop-timer"))
            .order(egui::Order::Foreground)
            .pivot(egui::Align2::RIGHT_TOP)
            .fixed_pos(at)
            .interactable(false)
            .show(ctx, |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.label(egui::RichText::new("Timer").color(theme.text_muted.to_egui()));
                    let colour = if left > 0 { theme.text } else { theme.bad };
                    let r = ui.label(
                        egui::RichText::new(&text)
                            .size(36.0)
                            .strong()
                            .color(colour.to_egui()),
                    );
                    r.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::Timer, true, format!("Timer {text}"))
                    });
                });
            });
        ctx.request_repaint_after(std::time::Duration::from_millis(250));
    }
}

/// Draws a QR code large enough to scan from a few metres (with its quiet zone).
fn qr_ui(ui: &mut egui::Ui, modules: &[bool], side: usize) {
    let quiet = 4;
    let cells = side + 2 * quiet;
    let px = (320.0 / cells as f32).floor().max(2.0);
    let size = egui::vec2(px * cells as f32, px * cells as f32);
    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::hover());
    response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Image, true, "QR code of the join address")
    });
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, crate::theme::QR_LIGHT.to_egui());
    let dark = crate::theme::QR_DARK.to_egui();
    for (i, on) in modules.iter().enumerate() {
        if *on {
            let (x, y) = ((i % side + quiet) as f32, (i / side + quiet) as f32);
            let min = rect.min + egui::vec2(x * px, y * px);
            painter.rect_filled(
                egui::Rect::from_min_size(min, egui::vec2(px, px)),
                0.0,
                dark,
            );
        }
    }
}
