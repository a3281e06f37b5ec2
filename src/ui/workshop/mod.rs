//! File → Host workshop and Join workshop: the open map shared live with other laptops.
//!
//! Hosting starts a hub inside the app (on its own thread, listening on the local network)
//! and joins the facilitator's canvas to it as a client like any other, so other people's
//! edits never enter her undo. Joining connects to someone's hub in the background (the UI
//! never waits on the network) and opens the shared map. Once a frame, after the queued
//! commands, [`App::workshop_step`] sends this editor's edits and applies what arrived.

use std::sync::mpsc;
use std::time::Duration;

mod voting;
mod window;

use super::App;
use crate::hub::live::{Ended, Link, Live, now_ms};
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
    /// The room code (`K7Q-X42`) and whether laptops find it on the network by itself
    /// (else they type the address with it), when this app hosts.
    code: Option<(String, bool)>,
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
    /// The participant whose Remove was clicked once (a second click removes them).
    confirm_remove: Option<String>,
    /// The voting round last seen open (a new one opens the workshop window on a laptop).
    round_seen: Option<u64>,
}

/// A join under way (connecting in the background).
pub(crate) struct Joining {
    result: mpsc::Receiver<Result<(Live, Document, String), String>>,
}

impl Workshop {
    fn new(live: Live, hub: Option<Hub>, url: String, ctx: Option<&egui::Context>) -> Self {
        // What arrives wakes the window at once, shown or not (no polling).
        if let Some(ctx) = ctx.cloned() {
            live.wake_with(std::sync::Arc::new(move || ctx.request_repaint()));
        }
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
            code: hub.as_ref().map(|h| {
                let findable = h.answer_room_code(crate::hub::code::DISCOVERY_PORT).is_ok();
                (crate::hub::code::shown(&h.room_code()), findable)
            }),
            live,
            hub,
            url,
            qr,
            name,
            ending: None,
            dots: 3,
            skip_lanes: std::collections::BTreeSet::new(),
            confirm_remove: None,
            round_seen: None,
        }
    }

    /// Whether this laptop may not change the map now (the facilitator locked it).
    pub fn read_only(&self) -> bool {
        self.hub.is_none() && self.live.locked
    }

    /// The map was saved to its file: a hub of ours notes what the file holds.
    pub fn note_saved(&self, doc: &Document) {
        if let Some(h) = &self.hub {
            h.note_saved(doc);
        }
    }

    /// A participant's role (from the shared document).
    fn role_of(&self, id: &str) -> crate::sync::session::Role {
        crate::sync::session::role_of(self.live.replica().loro(), id, false)
    }

    /// Ends the session for everyone: a private brainstorm still open is revealed first, so
    /// nobody's cards stay hidden in anyone's copy; the hub stops a moment later, once
    /// everyone has been told.
    fn end_session(&mut self) {
        if self.live.brainstorm().is_some() {
            let _ = self.live.set_brainstorm(false);
        }
        self.live.end_session();
        self.ending = Some(std::time::Instant::now());
    }

    /// The lanes of the next voting round: every card lane chosen says "all" (an empty
    /// list, so lanes added later take dots too).
    fn vote_lanes(&self, doc: &Document) -> Vec<u64> {
        if self.skip_lanes.is_empty() {
            return Vec::new();
        }
        doc.lanes
            .iter()
            .filter(|l| l.kind.holds_cards() && !self.skip_lanes.contains(&l.id.0))
            .map(|l| l.id.0)
            .collect()
    }

    /// Why this laptop may not make a change now (a contributor's limits), if it may not.
    pub fn refuses(&self, doc: &Document, cmd: &crate::edit::Command) -> Option<String> {
        self.live.refuses(doc, cmd)
    }

    /// Notes cards this laptop added (its own).
    pub fn note_mine(&mut self, ids: &[u64]) {
        self.live.note_mine(ids);
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
        self.host_workshop_on(None);
    }

    /// Hosts on `port` if given (and free), else on [`PORT`] or another free one.
    pub(crate) fn host_workshop_on(&mut self, port: Option<u16>) {
        if self.session.workshop.is_some() {
            self.dialogs.workshop_open = true;
            return;
        }
        let files = self.session.file.clone().map(|f| Files {
            json: None,
            ..Files::beside(f)
        });
        let bind = |port| std::net::SocketAddr::from(([0, 0, 0, 0], port));
        let hub = match Hub::start(
            self.session.editor.doc(),
            bind(port.unwrap_or(PORT)),
            files.clone(),
        )
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
                self.session.workshop =
                    Some(Workshop::new(live, Some(hub), url, self.egui_ctx.as_ref()));
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
                // An address with its token, an address and a room code, or a code alone
                // (looked for on the local network).
                let r = crate::hub::code::resolve(
                    &target,
                    crate::hub::code::DISCOVERY_PORT,
                    Duration::from_secs(3),
                )
                .and_then(|url| Live::join(&url, Duration::from_secs(15)).map(|(l, d)| (l, d, url)))
                .map_err(|e| e.to_string());
                let _ = tx.send(r);
                if let Some(c) = ctx {
                    c.request_repaint();
                }
            });
        match spawned {
            Ok(_) => {
                self.session.joining = Some(Joining { result: rx });
                self.dialogs.status = Some(format!("Joining {}…", url.trim()));
            }
            Err(e) => self.dialogs.status = Some(format!("Could not join: {e}")),
        }
    }

    /// Leaves the workshop (stops hosting: the hub closes; everyone keeps their copy).
    pub(crate) fn leave_workshop(&mut self) {
        if let Some(w) = &mut self.session.workshop
            && w.hub.is_some()
            && w.live.brainstorm().is_some()
        {
            // Nobody's cards stay hidden once the hub is gone: reveal them here (this map is
            // what gets saved) and in the hub's copy.
            let _ = w.live.set_brainstorm(false);
            let _ = w.live.step(&mut self.session.editor);
            if let Some(h) = &w.hub {
                h.reveal_brainstorm();
            }
        }
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
            self.session.joining = None;
            match result {
                Ok((live, doc, url)) => {
                    self.session.workshop = None;
                    self.session.editor.replace(doc);
                    self.session.editor.record_done(true);
                    self.session.file = None;
                    self.session.stamp = None;
                    self.session.workshop =
                        Some(Workshop::new(live, None, url, self.egui_ctx.as_ref()));
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
        let round = w.live.vote().map(|(r, _)| r.id);
        if round != w.round_seen {
            if round.is_some() && w.hub.is_none() {
                // The facilitator opened a round: its buttons are in the workshop window.
                self.dialogs.workshop_open = true;
                self.dialogs.status = Some(
                    "Dot voting is open: select a card, then + Dot in the Workshop window".into(),
                );
            }
            w.round_seen = round;
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
        if w.live.ended == Some(Ended::ForEveryone) && w.hub.is_none() {
            self.leave_workshop();
            self.dialogs.status =
                Some("The facilitator ended the session; the map stays open here".into());
            return;
        }
        if w.live.ended == Some(Ended::Removed) {
            self.leave_workshop();
            self.dialogs.status = Some(
                "The facilitator removed you from the workshop; the map stays open here".into(),
            );
            return;
        }
        if let Some(ctx) = &self.egui_ctx {
            // What arrives wakes the window (see `Workshop::new`); this is a safety net.
            ctx.request_repaint_after(Duration::from_millis(500));
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

impl App {
    /// What this laptop may do in its live workshop, if it is in one.
    #[must_use]
    pub fn workshop_role(&self) -> Option<crate::sync::session::Role> {
        self.session.workshop.as_ref().map(|w| w.live.role())
    }
}

/// While a private brainstorm or a voting round is open, a banner on every screen's canvas
/// (`canvas`: its rectangle) says so (bottom middle): nobody wonders where the others' cards
/// are, and everyone sees how many dots they have left.
fn banner_ui(ctx: &egui::Context, w: &Workshop, canvas: egui::Rect, theme: &crate::theme::Theme) {
    let lines: Vec<String> = [brainstorm_line(w), voting_line(w)]
        .into_iter()
        .flatten()
        .collect();
    if lines.is_empty() {
        return;
    }
    // At the bottom, clear of the workshop window and the timer.
    let at = canvas.center_bottom() - egui::vec2(0.0, 12.0);
    notice_ui(
        ctx,
        "workshop-banner",
        egui::Align2::CENTER_BOTTOM,
        at,
        |ui| {
            for text in lines {
                ui.label(
                    egui::RichText::new(text)
                        .size(18.0)
                        .strong()
                        .color(theme.text.to_egui()),
                );
            }
        },
    );
}

/// A notice over the canvas, `pivot` at `at`, that takes no clicks; its lines never wrap,
/// however narrow it was last frame ("0:59" must not wrap).
fn notice_ui(
    ctx: &egui::Context,
    id: &str,
    pivot: egui::Align2,
    at: egui::Pos2,
    contents: impl FnOnce(&mut egui::Ui),
) {
    egui::Area::new(egui::Id::unique(id))
        .order(egui::Order::Foreground)
        .pivot(pivot)
        .fixed_pos(at)
        .interactable(false)
        .show(ctx, |ui| {
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
            egui::Frame::popup(ui.style()).show(ui, contents);
        });
}

/// An open voting round: the dots this person has left (the facilitator: the dots cast).
fn voting_line(w: &Workshop) -> Option<String> {
    let (round, tally) = w.live.vote()?;
    Some(if w.hub.is_some() {
        let cast: u32 = tally.cards.values().sum();
        format!(
            "Dot voting: {cast} dot{} cast — end the round in the Workshop window",
            if cast == 1 { "" } else { "s" }
        )
    } else {
        let left = round.dots.saturating_sub(tally.used(&w.live.voter()));
        format!(
            "Dot voting: {left} of {} dots left — select a card, then + Dot in the Workshop window",
            round.dots
        )
    })
}

/// A private brainstorm: where the cards are.
fn brainstorm_line(w: &Workshop) -> Option<String> {
    let (cards, people) = w.live.brainstorm()?;
    Some(if w.hub.is_some() && cards == 0 {
        "Private brainstorm: new cards stay with whoever writes them until you reveal them"
            .to_string()
    } else if w.hub.is_some() {
        format!(
            "Private brainstorm: {cards} hidden card{} from {people} {} — reveal them in the \
                 Workshop window",
            if cards == 1 { "" } else { "s" },
            if people == 1 { "person" } else { "people" },
        )
    } else {
        "Private brainstorm: your new cards are only yours until the facilitator reveals \
             everyone's"
            .to_string()
    })
}

/// How long "Time's up" stays on screen after a countdown ends.
const TIMES_UP_MS: i64 = 15_000;

/// The workshop's countdown, top right of the canvas (`canvas`: its rectangle) on every screen
/// (in presentation mode too): minutes and seconds left, then "Time's up" for a while; and the
/// banner of a private brainstorm or a voting round.
pub(crate) fn workshop_timer_ui(
    ctx: &egui::Context,
    w: &Workshop,
    canvas: egui::Rect,
    theme: &crate::theme::Theme,
) {
    banner_ui(ctx, w, canvas, theme);
    let Some(ends) = w.live.timer() else {
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
    let at = canvas.right_top() + egui::vec2(-16.0, 16.0);
    notice_ui(ctx, "workshop-timer", egui::Align2::RIGHT_TOP, at, |ui| {
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
    ctx.request_repaint_after(std::time::Duration::from_millis(250));
}
