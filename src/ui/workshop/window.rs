//! The workshop window: the join address and its QR code, who is here (with their roles,
//! and Remove for the facilitator), the lock, the timer, the private brainstorm and dot
//! voting, leave and end.

use super::{App, VoteAction};
use crate::hub::live::now_ms;
use crate::hub::proto::Presence;
use crate::sync::session::Role;

/// What the window asked for, done once it is drawn.
enum Request {
    Leave,
    End,
    Timer(Option<i64>),
    Lock(bool),
    Vote(VoteAction),
    Brainstorm(bool),
    Role(String, Role),
    Remove(String),
}

/// What the window shows of one participant.
struct Person {
    id: String,
    /// Their colour on the canvas.
    colour: egui::Color32,
    name: String,
    phone: bool,
    role: Role,
}

/// What the window edits in place: the name typed, a removal being confirmed, the dots each
/// person has and the lanes left out of a vote.
struct Form {
    name: String,
    confirm: Option<String>,
    dots: u32,
    skip: std::collections::BTreeSet<u64>,
}

/// The window, drawn from the workshop and the map (`selected`: the one selected card's id,
/// for voting on it); whether it stays open, and what it asked for.
fn workshop_window_ui(
    ctx: &egui::Context,
    w: &super::Workshop,
    doc: &crate::model::Document,
    selected: Option<u64>,
    theme: &crate::theme::Theme,
    form: &mut Form,
) -> (bool, Vec<Request>) {
    let mut open = true;
    let mut asked: Vec<Request> = Vec::new();
    let hosting = w.hub.is_some();
    let Form {
        name,
        confirm,
        dots,
        skip,
    } = form;
    let people: Vec<Person> = w
        .others()
        .map(|p: &Presence| Person {
            colour: theme
                .hue(crate::ui::canvas::overlays::presence_hue(p.peer))
                .accent
                .to_egui(),
            id: p.id.clone(),
            name: p.name.clone(),
            phone: p.id.starts_with("phone-"),
            role: w.role_of(&p.id),
        })
        .collect();
    let me = w.live.role();
    let brainstorm = w.live.brainstorm();
    egui::Window::new("Workshop")
        .open(&mut open)
        .resizable(false)
        .collapsible(false)
        .show(ctx, |ui| {
            ui.label(w.status());
            ui.horizontal(|ui| {
                let l = ui.label("Your name:");
                ui.add(egui::TextEdit::singleline(name).desired_width(200.0))
                    .labelled_by(l.id);
                if !hosting {
                    ui.label(format!("(you are {} {})", article(me), me.label()));
                }
            });
            people_ui(ui, &people, hosting, confirm, &mut asked);
            ui.add_space(6.0);
            address_ui(ui, w, hosting);
            ui.add_space(8.0);
            if hosting {
                let mut locked = w.live.locked;
                if ui
                    .checkbox(&mut locked, "Lock the map (read-only for everyone else)")
                    .changed()
                {
                    asked.push(Request::Lock(locked));
                }
                ui.add_space(8.0);
                timer_ui(ui, w.live.timer().is_some_and(|t| t > now_ms()), &mut asked);
            } else if w.live.locked {
                ui.label("The facilitator has locked the map: you can look, not change.");
            }
            ui.add_space(8.0);
            ui.separator();
            brainstorm_ui(ui, brainstorm, hosting, &mut asked);
            ui.separator();
            let voting = super::voting::VotingUi {
                doc,
                hosting,
                voter: w.live.voter(),
                selected,
            };
            if let Some(a) = voting.show(ui, w.live.vote(), dots, skip) {
                asked.push(Request::Vote(a));
            }
            ui.separator();
            ui.horizontal(|ui| {
                let label = if hosting {
                    "Stop hosting"
                } else {
                    "Leave workshop"
                };
                if ui.button(label).clicked() {
                    asked.push(Request::Leave);
                }
                if hosting
                    && ui
                        .button("End session for everyone")
                        .on_hover_text("Everyone keeps a copy of the map")
                        .clicked()
                {
                    asked.push(Request::End);
                }
            });
        });
    (open, asked)
}

impl App {
    /// The workshop window (see the module).
    pub(crate) fn workshop_window(&mut self, ctx: &egui::Context) {
        if !self.dialogs.workshop_open {
            return;
        }
        let Some(w) = &self.session.workshop else {
            self.dialogs.workshop_open = false;
            return;
        };
        let mut form = Form {
            name: w.name.clone(),
            confirm: w.confirm_remove.clone(),
            dots: w.dots,
            skip: w.skip_lanes.clone(),
        };
        let theme = crate::theme::Theme::get(self.prefs.theme);
        let doc = self.session.editor.doc();
        let selected: Option<u64> = (self.canvas.selection.cards.len() == 1)
            .then(|| self.canvas.selection.cards.iter().next().map(|c| c.0))
            .flatten();
        let (open, asked) = workshop_window_ui(ctx, w, doc, selected, &theme, &mut form);
        if let Some(w) = &mut self.session.workshop {
            w.name = crate::hub::clean_name(&form.name);
            w.dots = form.dots;
            w.skip_lanes = form.skip;
            w.confirm_remove = form.confirm;
        }
        for r in asked {
            self.workshop_request(r);
        }
        if !open {
            self.dialogs.workshop_open = false;
        }
    }

    /// Does what the window asked for.
    fn workshop_request(&mut self, r: Request) {
        if let Request::Leave = r {
            self.leave_workshop();
            return;
        }
        let Some(w) = &mut self.session.workshop else {
            return;
        };
        let done: Result<(), String> = match r {
            Request::Leave => Ok(()),
            Request::End => {
                w.end_session();
                Ok(())
            }
            Request::Timer(t) => w.live.set_timer(t).map_err(|e| e.to_string()),
            Request::Lock(l) => {
                w.live.set_locked(l);
                Ok(())
            }
            Request::Brainstorm(on) => w.live.set_brainstorm(on).map_err(|e| e.to_string()),
            Request::Role(who, role) => w.live.set_role(&who, role).map_err(|e| e.to_string()),
            Request::Remove(who) => {
                w.live.remove(&who);
                Ok(())
            }
            Request::Vote(a) => {
                let lanes = w.vote_lanes(self.session.editor.doc());
                match a {
                    VoteAction::Open => w.live.open_vote(w.dots, lanes).map_err(|e| e.to_string()),
                    VoteAction::Cast(card, add) => {
                        w.live.cast(self.session.editor.doc(), card, add)
                    }
                    VoteAction::Close => w.live.close_vote(&mut self.session.editor),
                }
            }
        };
        if let Err(e) = done {
            self.dialogs.status = Some(format!("Workshop: {e}"));
        }
    }
}

fn article(r: Role) -> &'static str {
    match r {
        Role::Editor => "an",
        Role::Facilitator | Role::Contributor => "a",
    }
}

/// Who is here: each person's name, device and role; the facilitator sets laptops' roles
/// and can remove someone (after a second click that names them).
fn people_ui(
    ui: &mut egui::Ui,
    people: &[Person],
    hosting: bool,
    confirm: &mut Option<String>,
    asked: &mut Vec<Request>,
) {
    if people.is_empty() {
        ui.label("Nobody else here yet");
        return;
    }
    ui.label(format!("Also here ({}):", people.len()));
    egui::ScrollArea::vertical()
        .max_height(160.0)
        .id_salt("workshop-people")
        .show(ui, |ui| {
            for p in people {
                ui.horizontal(|ui| {
                    let (dot, _) =
                        ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
                    ui.painter().circle_filled(dot.center(), 5.0, p.colour);
                    let device = if p.phone { "phone" } else { "laptop" };
                    ui.label(format!("{} · {device}", p.name));
                    if !hosting || p.id.is_empty() {
                        ui.weak(p.role.label());
                        return;
                    }
                    if p.phone {
                        ui.weak("contributor");
                    } else {
                        let mut role = p.role;
                        let combo = egui::ComboBox::from_id_salt(("role", &p.id))
                            .selected_text(role.label())
                            .show_ui(ui, |ui| {
                                ui.selectable_value(&mut role, Role::Editor, "editor")
                                    .on_hover_text("Changes anything on the map");
                                ui.selectable_value(&mut role, Role::Contributor, "contributor")
                                    .on_hover_text("Adds cards, changes only their own, votes");
                            });
                        let label = format!("Role of {}", p.name);
                        combo.response.widget_info(|| {
                            egui::WidgetInfo::labeled(egui::Role::ComboBox, true, &label)
                        });
                        if role != p.role {
                            asked.push(Request::Role(p.id.clone(), role));
                        }
                    }
                    if confirm.as_deref() == Some(p.id.as_str()) {
                        if ui.button(format!("Remove {}", p.name)).clicked() {
                            asked.push(Request::Remove(p.id.clone()));
                            *confirm = None;
                        }
                        if ui.button("Keep").clicked() {
                            *confirm = None;
                        }
                    } else if ui
                        .button("Remove…")
                        .on_hover_text("Disconnects them for the rest of this session")
                        .clicked()
                    {
                        *confirm = Some(p.id.clone());
                    }
                });
            }
        });
}

/// The room code, the join address with Copy, and its QR code.
fn address_ui(ui: &mut egui::Ui, w: &super::Workshop, hosting: bool) {
    if let Some((code, findable)) = &w.code {
        let r = ui.label(
            egui::RichText::new(format!("Room code  {code}"))
                .size(30.0)
                .strong(),
        );
        r.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::Label, true, format!("Room code {code}"))
        });
        let web = w
            .url
            .split_once("/?")
            .map_or(w.url.as_str(), |(a, _)| a)
            .to_string();
        let host = web.trim_start_matches("http://");
        ui.label(format!(
            "Phones: scan the code below, or open {web} and type the room code."
        ));
        ui.label(if *findable {
            "Laptops: File → Join workshop, and type the room code.".to_string()
        } else {
            format!("Laptops: File → Join workshop, and type {host} {code}")
        });
        ui.add_space(4.0);
    }
    if hosting {
        ui.label("Or the full address (same Wi-Fi):");
    } else {
        ui.label("Joined at:");
    }
    ui.horizontal(|ui| {
        ui.monospace(&w.url);
        if ui.button("Copy").clicked() {
            ui.ctx().copy_text(w.url.clone());
        }
    });
    if let Some((modules, side)) = &w.qr {
        ui.add_space(8.0);
        qr_ui(ui, modules, *side);
    }
}

/// The countdown on every screen (the facilitator's).
fn timer_ui(ui: &mut egui::Ui, running: bool, asked: &mut Vec<Request>) {
    ui.horizontal(|ui| {
        ui.label("Timer on every screen:");
        for min in [1, 3, 5, 10] {
            if ui.button(format!("{min} min")).clicked() {
                asked.push(Request::Timer(Some(now_ms() + min * 60_000)));
            }
        }
        if running && ui.button("Stop timer").clicked() {
            asked.push(Request::Timer(None));
        }
    });
}

/// The private brainstorm: the facilitator opens it and reveals it; everyone is told.
fn brainstorm_ui(
    ui: &mut egui::Ui,
    open: Option<(usize, usize)>,
    hosting: bool,
    asked: &mut Vec<Request>,
) {
    match (open, hosting) {
        (None, true) => {
            ui.horizontal(|ui| {
                ui.label("Private brainstorm:");
                if ui
                    .button("Start")
                    .on_hover_text(
                        "New cards show only to the person who wrote them, until you reveal them",
                    )
                    .clicked()
                {
                    asked.push(Request::Brainstorm(true));
                }
            });
        }
        (None, false) => {}
        (Some((cards, people)), true) => {
            ui.label(format!(
                "Private brainstorm open: {cards} card{} from {people} {} so far, seen only by \
                 whoever wrote them.",
                if cards == 1 { "" } else { "s" },
                if people == 1 { "person" } else { "people" },
            ));
            if ui.button("Reveal all cards").clicked() {
                asked.push(Request::Brainstorm(false));
            }
        }
        (Some(_), false) => {
            ui.label(
                "Private brainstorm: your new cards are visible only to you until the \
                 facilitator reveals everyone's at once.",
            );
        }
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
