//! Links from a card to a card or stage in another map: the picker (a map of the library, then
//! one of its stages or cards), the card's list of them in the side panel, following one (the
//! other map opens with the card or stage selected; unsaved changes are asked about first) and
//! going back (Alt+←). The mark on a card opens its link with a click.

use std::path::{Path, PathBuf};

use egui::Ui;

use super::app::{App, Pending, Selection};
use super::asks::Asks;
use super::canvas::Reveal;
use crate::edit::Command;
use crate::model::{Card, CardId, Document, LinkKind, MapLink, MapTarget};
use crate::text::short;

/// The picker, what to select once a map opens, and where Back goes.
#[derive(Default)]
pub(crate) struct MapLinksState {
    picker: Option<Picker>,
    /// A card whose mark was clicked and that has several links: which to follow (the
    /// screen position of the menu).
    choose: Option<(CardId, egui::Pos2)>,
    /// The map a link was followed from, and its card: Back opens it again.
    pub back: Option<(PathBuf, CardId)>,
    /// A stage or card to select once its map is the one open.
    pub select: Option<(PathBuf, MapTarget)>,
    /// Whether linked files were there when last looked (and when, in seconds): the side
    /// panel asks the file system every two seconds, not every frame.
    there: std::collections::HashMap<PathBuf, (f64, bool)>,
}

/// Whether `file` is on disk, as `cache` last saw it within two seconds (`now`, seconds).
fn is_there(
    cache: &mut std::collections::HashMap<PathBuf, (f64, bool)>,
    file: &Path,
    now: f64,
) -> bool {
    match cache.get(file) {
        Some((at, there)) if now - at < 2.0 => *there,
        _ => {
            let there = file.is_file();
            if cache.len() > 1_000 {
                cache.clear();
            }
            cache.insert(file.to_path_buf(), (now, there));
            there
        }
    }
}

/// Choosing what a card links to.
struct Picker {
    card: CardId,
    kind: LinkKind,
    /// Narrows the maps, then the chosen map's stages and cards.
    filter: String,
    chosen: Option<(PathBuf, Document)>,
    /// The folder whose maps are listed (typed, or moved up, or picked).
    folder: String,
    error: Option<String>,
    focus: bool,
}

/// What the picker's window asked for.
enum Ask {
    Choose(PathBuf),
    Unchoose,
    Link(MapTarget),
    /// Read the folder typed.
    Read,
    Up,
    OtherFolder,
    BrowseFile,
}

/// What the picker shows besides its own state.
#[derive(Clone, Copy)]
struct PickerShown<'a> {
    /// The start of the linking card's text.
    card_text: &'a str,
    /// The open map's file (left out of the maps offered).
    own: Option<&'a Path>,
    /// The library read, if any, and how far a reading has got.
    lib: Option<&'a crate::library::Library>,
    progress: Option<(usize, usize)>,
}

/// The picker's window over its state; whether it stays open, and what was clicked.
fn picker_window_ui(
    ctx: &egui::Context,
    p: &mut Picker,
    shown: &PickerShown,
) -> (bool, Option<Ask>) {
    let mut open = true;
    let mut ask = None;
    let PickerShown {
        card_text,
        own,
        lib,
        progress,
    } = *shown;
    egui::Window::new("Link to another map")
        .id(egui::Id::unique("map link picker"))
        .open(&mut open)
        .default_size(egui::vec2(520.0, 520.0))
        .default_pos(ctx.content_rect().center() - egui::vec2(260.0, 260.0))
        // Over the canvas's legend and toasts.
        .order(egui::Order::Foreground)
        .show(ctx, |ui| {
            ui.label(format!("\u{201c}{card_text}\u{201d}"));
            ui.horizontal(|ui| {
                for k in LinkKind::ALL {
                    ui.selectable_value(&mut p.kind, k, k.label());
                }
            });
            let hint = if p.chosen.is_some() {
                "Find a stage or card"
            } else {
                "Find a map"
            };
            let field = ui.add(
                egui::TextEdit::singleline(&mut p.filter)
                    .hint_text(hint)
                    .desired_width(f32::INFINITY),
            );
            if std::mem::take(&mut p.focus) {
                field.request_focus();
            }
            if let Some(e) = &p.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            ui.separator();
            // The list scrolls; the window stays on the screen with its buttons.
            let height = (ui.ctx().content_rect().height() - 320.0).clamp(120.0, 380.0);
            if let Some((path, doc)) = &p.chosen {
                ui.horizontal(|ui| {
                    if ui.button("\u{2039} Other maps").clicked() {
                        ask = Some(Ask::Unchoose);
                    }
                    ui.strong(map_title(doc, path));
                });
                egui::ScrollArea::vertical()
                    .min_scrolled_height(320.0)
                    .max_height(height)
                    .show(ui, |ui| targets_ui(ui, doc, &p.filter, &mut ask));
            } else {
                if let Some((done, total)) = progress {
                    ui.label(format!("Reading maps: {done} of {total}"));
                }
                if lib.is_none() && progress.is_none() {
                    ui.weak("Type a folder of maps below (or Browse\u{2026}), or pick a map file.");
                }
                if let Some(lib) = lib {
                    ui.weak(format!("Maps in {}", lib.root.display()));
                    egui::ScrollArea::vertical()
                        .min_scrolled_height(320.0)
                        .max_height(height)
                        .show(ui, |ui| {
                            maps_ui(ui, lib, own, &p.filter, &mut ask);
                        });
                }
            }
            ui.separator();
            ui.horizontal(|ui| {
                let label = ui.label("Folder:");
                let field = ui
                    .add(egui::TextEdit::singleline(&mut p.folder).desired_width(240.0))
                    .labelled_by(label.id);
                if super::entered(ui, &field) {
                    ask = Some(Ask::Read);
                }
                if ui.button("Up a folder").clicked() {
                    ask = Some(Ask::Up);
                }
                if ui.button("Browse\u{2026}").clicked() {
                    ask = Some(Ask::OtherFolder);
                }
                if ui.button("A map file\u{2026}").clicked() {
                    ask = Some(Ask::BrowseFile);
                }
            });
        });
    (open, ask)
}

impl App {
    /// Opens the picker for the selected card; reads the map's folder as a library when no
    /// library is open.
    pub(crate) fn open_map_link_picker(&mut self) {
        let Some(card) = self.canvas.selection.cards.iter().next().copied() else {
            return;
        };
        // The map's own folder, when it has one (an unsaved map has none: the folder is typed
        // or picked, never the working directory read by surprise).
        if self.dialogs.library.lib.is_none()
            && !self.library_scanning()
            && self.session.file.is_some()
        {
            let dir = self.map_dir();
            let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
            self.dialogs.library.folder = dir.display().to_string();
            self.scan_library();
        }
        self.dialogs.map_links.picker = Some(Picker {
            card,
            kind: LinkKind::RelatesTo,
            filter: String::new(),
            chosen: None,
            folder: self.dialogs.library.folder.clone(),
            error: None,
            focus: true,
        });
    }

    /// The picker's window, the menu of a clicked mark, and a pending selection.
    pub(crate) fn map_links_ui(&mut self, ctx: &egui::Context) {
        self.select_pending();
        self.choose_ui(ctx);
        let Some(mut p) = self.dialogs.map_links.picker.take() else {
            return;
        };
        if self.doc().card(p.card).is_none() {
            return;
        }
        let card_text = self
            .doc()
            .card(p.card)
            .map_or(String::new(), |c| short(&c.text, 50));
        let shown = PickerShown {
            card_text: &card_text,
            own: self.session.file.as_deref(),
            lib: self.dialogs.library.lib.as_ref(),
            progress: self.library_progress(),
        };
        let (open, ask) = picker_window_ui(ctx, &mut p, &shown);
        if !open {
            return;
        }
        match ask {
            Some(Ask::Choose(path)) => Self::choose_map(&mut p, path),
            Some(Ask::Unchoose) => {
                p.chosen = None;
                p.filter.clear();
            }
            Some(Ask::Link(to)) => {
                if let Some((path, doc)) = &p.chosen {
                    self.add_map_link(p.card, path, doc, to, p.kind);
                    return;
                }
            }
            Some(Ask::Read) => {
                let folder = PathBuf::from(p.folder.trim());
                self.read_folder(&mut p, &folder);
            }
            Some(Ask::Up) => {
                let here = PathBuf::from(p.folder.trim());
                let here = std::fs::canonicalize(&here).unwrap_or(here);
                if let Some(up) = here.parent() {
                    self.read_folder(&mut p, up);
                }
            }
            Some(Ask::OtherFolder) => {
                if let Some(f) = self.file_dialogs.pick_folder() {
                    self.read_folder(&mut p, &f);
                }
            }
            Some(Ask::BrowseFile) => {
                if let Some(f) = self.file_dialogs.pick_open() {
                    Self::choose_map(&mut p, f);
                }
            }
            None => {}
        }
        self.dialogs.map_links.picker = Some(p);
    }

    /// Lists the maps of `folder` (read as the library, in the background).
    fn read_folder(&mut self, p: &mut Picker, folder: &Path) {
        p.folder = folder.display().to_string();
        p.chosen = None;
        self.dialogs.library.folder.clone_from(&p.folder);
        self.scan_library();
        p.error = self.dialogs.library.message.take();
    }

    fn choose_map(p: &mut Picker, path: PathBuf) {
        match crate::io::load_repaired(&path) {
            Ok((doc, _, _)) => {
                p.chosen = Some((path, doc));
                p.filter.clear();
                p.error = None;
                p.focus = true;
            }
            Err(e) => p.error = Some(e.to_string()),
        }
    }

    /// Adds the link to the card (one undo step), named relative to this map's folder.
    fn add_map_link(
        &mut self,
        card: CardId,
        path: &Path,
        doc: &Document,
        to: MapTarget,
        kind: LinkKind,
    ) {
        let Some(c) = self.doc().card(card).cloned() else {
            return;
        };
        let what = match to {
            MapTarget::Stage(s) => doc.stage(s).map(|s| format!("{} (stage)", s.name)),
            MapTarget::Card(id) => doc.card(id).map(|c| short(&c.text, 60)),
        }
        .unwrap_or_default();
        let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let map = match &self.session.file {
            Some(_) => {
                let dir = self.map_dir();
                let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
                crate::model::relative_name(&dir, &target)
            }
            None => target.display().to_string(),
        };
        let link = MapLink {
            map,
            to,
            kind,
            label: format!("{} \u{203a} {what}", map_title(doc, path)),
        };
        if c.map_links
            .iter()
            .any(|l| l.map == link.map && l.to == link.to)
        {
            self.dialogs.status = Some("The card already links there".into());
            return;
        }
        let said = link.describe();
        let mut new = c;
        new.map_links.push(link);
        self.queue(Command::UpdateCard(new));
        self.dialogs.status = Some(format!("Linked: {said}"));
    }

    /// Opens the map a link names with its stage or card selected (the same map: selects it).
    /// The file a link leads to, or why it cannot be followed from here (`there`: whether a
    /// file is on disk).
    /// For each of a card's links to other maps, the file it opens or why it opens nothing
    /// (whether a file is there is asked of the disk every two seconds, not every frame).
    pub(crate) fn map_links_reach(
        &mut self,
        links: &[MapLink],
        now: f64,
    ) -> Vec<Result<PathBuf, String>> {
        let mut there = std::mem::take(&mut self.dialogs.map_links.there);
        let reach = links
            .iter()
            .map(|l| self.map_link_file(l, |f| is_there(&mut there, f, now)))
            .collect();
        self.dialogs.map_links.there = there;
        reach
    }

    fn map_link_file(
        &self,
        link: &MapLink,
        there: impl FnOnce(&Path) -> bool,
    ) -> Result<PathBuf, String> {
        let Some(file) = link.file(&self.map_dir()) else {
            return Err("the link names no map".into());
        };
        // A relative name is read from the map's own folder, which a map without a file (not
        // saved yet, or a workshop joined over the network) does not have here.
        if self.session.file.is_none() && !Path::new(link.map.trim()).is_absolute() {
            return Err(format!(
                "this map has no file on this computer, and {} is named from the folder of the map the link was made in",
                link.map
            ));
        }
        if there(&file) {
            Ok(file)
        } else {
            Err(format!(
                "{} is not there (moved or renamed?)",
                file.display()
            ))
        }
    }

    /// Opens the map a link names with its stage or card selected (the same map: selects it).
    pub(crate) fn follow_map_link(&mut self, from: CardId, link: &MapLink) {
        // What the side panel last saw of files is looked at again after a click.
        self.dialogs.map_links.there.clear();
        let file = match self.map_link_file(link, Path::is_file) {
            Ok(f) => f,
            Err(why) => {
                self.dialogs.status = Some(format!(
                    "Not opened: {why}; the link was to {}",
                    link.describe()
                ));
                return;
            }
        };
        let same = |a: &Path, b: &Path| {
            a == b || std::fs::canonicalize(a).ok() == std::fs::canonicalize(b).ok()
        };
        if self.session.file.as_deref().is_some_and(|f| same(f, &file)) {
            let own = self.session.file.clone().unwrap_or_default();
            self.dialogs.map_links.select = Some((own, link.to));
            return;
        }
        self.dialogs.map_links.back = self.session.file.clone().map(|f| (f, from));
        self.dialogs.map_links.select = Some((file.clone(), link.to));
        self.request(Pending::Open(file));
    }

    /// Opens the map the last followed link was made in, with its card selected.
    pub(crate) fn back_to_map(&mut self) {
        let Some((file, card)) = self.dialogs.map_links.back.take() else {
            return;
        };
        self.dialogs.map_links.select = Some((file.clone(), MapTarget::Card(card)));
        self.request(Pending::Open(file));
    }

    /// Selects what a followed link (or a search hit) asked for, once its map is open; drops
    /// the wish when another map is open and nothing is being asked.
    fn select_pending(&mut self) {
        let Some((path, to)) = self.dialogs.map_links.select.clone() else {
            return;
        };
        if self.session.file.as_deref() != Some(path.as_path()) {
            if self.dialogs.modal.is_none() {
                self.dialogs.map_links.select = None;
            }
            return;
        }
        self.dialogs.map_links.select = None;
        self.dialogs.map_links.there.clear();
        let name_of = |p: &Path| {
            p.file_name()
                .map_or(String::new(), |n| n.to_string_lossy().into_owned())
        };
        let name = name_of(&path);
        if let Some((from, _)) = &self.dialogs.map_links.back {
            self.dialogs.status = Some(format!(
                "Opened {name} at the link; Alt+\u{2190} goes back to {}",
                name_of(from)
            ));
        }
        match to {
            MapTarget::Card(id) if self.doc().card(id).is_some() => {
                self.canvas.selection = Selection::only_card(id);
                self.canvas.reveal = Some(Reveal::Card(id));
            }
            MapTarget::Stage(id) if self.doc().stage(id).is_some() => {
                self.canvas.selection = Selection::only_stage(id);
                self.canvas.reveal = Some(Reveal::Stage(id));
            }
            MapTarget::Card(_) => {
                self.dialogs.status =
                    Some(format!("Opened {name}; the linked card is no longer in it"));
            }
            MapTarget::Stage(_) => {
                self.dialogs.status = Some(format!(
                    "Opened {name}; the linked stage is no longer in it"
                ));
            }
        }
    }

    /// A click on a card's mark: follows its one link, or offers its several.
    pub(crate) fn map_link_mark_clicked(&mut self, card: CardId, at: egui::Pos2) {
        let links = self
            .doc()
            .card(card)
            .map(|c| c.map_links.clone())
            .unwrap_or_default();
        match links.as_slice() {
            [] => {}
            [one] => self.follow_map_link(card, one),
            _ => self.dialogs.map_links.choose = Some((card, at)),
        }
    }

    fn choose_ui(&mut self, ctx: &egui::Context) {
        let Some((card, at)) = self.dialogs.map_links.choose else {
            return;
        };
        let links = self
            .doc()
            .card(card)
            .map(|c| c.map_links.clone())
            .unwrap_or_default();
        let mut follow = None;
        let area = egui::Area::new(egui::Id::unique("map link menu"))
            .order(egui::Order::Foreground)
            .fixed_pos(at)
            .show(ctx, |ui| {
                egui::Frame::menu(ui.style()).show(ui, |ui| {
                    for l in &links {
                        let open = format!("Open: {}", l.describe());
                        if ui.button(open).on_hover_text(&l.map).clicked() {
                            follow = Some(l.clone());
                        }
                    }
                });
            });
        let away = ctx.input(|i| i.pointer.any_pressed() || i.key_pressed(egui::Key::Escape))
            && !area.response.contains_pointer();
        if let Some(l) = follow {
            self.dialogs.map_links.choose = None;
            self.follow_map_link(card, &l);
        } else if away || links.len() < 2 {
            self.dialogs.map_links.choose = None;
        }
    }
}

/// The maps of the library (not the open one), narrowed by `filter`.
fn maps_ui(
    ui: &mut Ui,
    lib: &crate::library::Library,
    own: Option<&Path>,
    filter: &str,
    ask: &mut Option<Ask>,
) {
    let words = filter.to_lowercase();
    let own = own.and_then(|p| std::fs::canonicalize(p).ok());
    let mut any = false;
    for e in &lib.entries {
        if own.is_some() && std::fs::canonicalize(&e.path).ok() == own {
            continue;
        }
        let rel = e
            .path
            .strip_prefix(&lib.root)
            .unwrap_or(&e.path)
            .display()
            .to_string();
        if !words.trim().is_empty()
            && !format!("{} {rel}", e.title)
                .to_lowercase()
                .contains(words.trim())
        {
            continue;
        }
        any = true;
        let title = if e.title.trim().is_empty() {
            rel.as_str()
        } else {
            e.title.as_str()
        };
        let text = format!(
            "{title}\n{rel} \u{b7} {} \u{b7} {}",
            crate::text::count(e.stages.len(), "stage"),
            crate::text::count(e.cards, "card")
        );
        if row(ui, text) {
            *ask = Some(Ask::Choose(e.path.clone()));
        }
    }
    if !any {
        ui.weak("No other maps here: choose another folder or a map file.");
    }
}

/// The chosen map's stages, each with its cards, narrowed by `filter`; a click links.
fn targets_ui(ui: &mut Ui, doc: &Document, filter: &str, ask: &mut Option<Ask>) {
    let words = filter.trim().to_lowercase();
    let hit = |t: &str| words.is_empty() || t.to_lowercase().contains(&words);
    let order = crate::model::CardOrder::of(doc);
    let mut cards: Vec<&Card> = doc.cards.iter().map(AsRef::as_ref).collect();
    cards.sort_by(|a, b| order.cmp(a, b));
    for s in &doc.stages {
        let in_stage: Vec<&&Card> = cards
            .iter()
            .filter(|c| c.stage == s.id && hit(&c.text))
            .collect();
        if !hit(&s.name) && in_stage.is_empty() {
            continue;
        }
        ui.push_id(("stage", s.id.0), |ui| {
            if ui
                .button(egui::RichText::new(format!("Stage: {}", s.name)).strong())
                .on_hover_text("Link to this stage")
                .clicked()
            {
                *ask = Some(Ask::Link(MapTarget::Stage(s.id)));
            }
            ui.indent("cards", |ui| {
                for c in in_stage {
                    let lane = doc.lane(c.lane).map_or("", |l| l.name.as_str());
                    let text = format!("{} \u{b7} {lane}", short(&c.text, 70));
                    if row(ui, text) {
                        *ask = Some(Ask::Link(MapTarget::Card(c.id)));
                    }
                }
            });
        });
    }
}

/// A row of a list, as wide as the list, its text wrapped: whether it was clicked.
fn row(ui: &mut Ui, text: String) -> bool {
    ui.add(
        egui::Button::new(text)
            .wrap()
            .min_size(egui::vec2(ui.available_width(), 0.0)),
    )
    .clicked()
}

/// `s` with its first letter a capital (a reason said on its own).
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A map's title, or its file's name when it has none.
fn map_title(doc: &Document, path: &Path) -> String {
    if doc.title.trim().is_empty() {
        path.file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into_owned())
    } else {
        doc.title.trim().to_owned()
    }
}

/// The card's links to other maps in the side panel: each follows with a click, says where
/// its file is (or that it is missing) on hover, and can be taken off.
/// `reach`: for each of the card's links, the file it opens or why it opens nothing
/// ([`App::map_links_reach`]).
pub(crate) fn card_map_links_ui(
    ui: &mut Ui,
    card: &Card,
    reach: &[Result<PathBuf, String>],
    asks: &mut Asks,
) {
    ui.label("Other maps");
    let mut follow = None;
    let mut remove = None;
    for (i, (l, reach)) in card.map_links.iter().zip(reach).enumerate() {
        ui.horizontal_wrapped(|ui| {
            let (text, hover) = match reach {
                Ok(f) => (
                    egui::RichText::new(l.describe()),
                    format!("Open {}", f.display()),
                ),
                Err(why) => (
                    egui::RichText::new(format!("{} (missing)", l.describe()))
                        .color(ui.visuals().error_fg_color),
                    capitalised(why),
                ),
            };
            if ui.link(text).on_hover_text(hover).clicked() {
                follow = Some(l.clone());
            }
            if ui
                .small_button("\u{d7}")
                .on_hover_text("Remove this link")
                .clicked()
            {
                remove = Some(i);
            }
        });
    }
    if ui
        .button(super::actions::Action::LinkToMap.label())
        .on_hover_text("A card or stage in another map of the library")
        .clicked()
    {
        asks.run(super::actions::Action::LinkToMap);
    }
    if let Some(l) = follow {
        asks.ask(super::asks::Ask::FollowMapLink(card.id, l));
    }
    if let Some(i) = remove {
        let mut c = card.clone();
        c.map_links.remove(i);
        asks.edit(Command::UpdateCard(c));
    }
}
