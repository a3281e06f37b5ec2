//! The library window (File → Open folder…): every map in a folder as a tile — a thumbnail
//! of where its cards are, title, persona, stages and cards, last change, pain points by
//! severity — opened with a click; search across all of them (a hit opens its map with the
//! card selected); pain points by owner across the maps saved as CSV. The folder is read in
//! the background with a progress bar (a cache makes the second time quick), so a folder of
//! thousands of files never blocks the window.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use super::app::{App, Pending};
use super::paint::c32;
use crate::library::search::Query;
use crate::library::{Entry, Library};
use crate::model::{CardId, LaneKind};

/// The window's state.
#[derive(Default)]
pub(crate) struct LibraryState {
    pub open: bool,
    /// The folder typed (or picked).
    pub folder: String,
    pub query: String,
    /// The library read, once read.
    pub lib: Option<Library>,
    /// Its links to other maps that do not reach their target (checked once it is read).
    broken: Vec<crate::library::links::Broken>,
    scan: Option<Scan>,
    /// Where the pain-points-by-owner table goes.
    pub csv_path: String,
    pub message: Option<String>,
    /// Focus the folder field on the next frame.
    focus: bool,
    /// Focus the search field on the next frame (a library just read: type to search).
    focus_search: bool,
}

/// A folder being read off the UI thread.
struct Scan {
    progress: Arc<(AtomicUsize, AtomicUsize)>,
    rx: mpsc::Receiver<Library>,
}

/// What was clicked in the library window.
struct Clicked {
    /// Read the folder typed.
    read: bool,
    /// Pick a folder.
    browse: bool,
    /// Open a map (and select a card in it).
    open_map: Option<(PathBuf, Option<CardId>)>,
    /// Write the pain points by owner.
    write_csv: bool,
}

/// The window, drawn from its state in `theme`; what was clicked.
fn library_window_ui(
    ctx: &egui::Context,
    st: &mut LibraryState,
    theme: &crate::theme::Theme,
) -> Clicked {
    let mut open = true;
    let mut read = false;
    let mut browse = false;
    let mut open_map: Option<(PathBuf, Option<CardId>)> = None;
    let mut write_csv = false;
    egui::Window::new("Library")
        .id(egui::Id::unique("library window"))
        .open(&mut open)
        .default_size(egui::vec2(760.0, 560.0))
        .default_pos(ctx.content_rect().center() - egui::vec2(380.0, 280.0))
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                let enter =
                    super::submit_field(ui, &mut st.folder, "Folder of maps", 420.0, &mut st.focus);
                if ui.button("Open").clicked() || enter {
                    read = true;
                }
                if ui.button("Browse…").clicked() {
                    browse = true;
                }
            });
            if let Some(m) = &st.message {
                ui.label(m);
            }
            if let Some(s) = &st.scan {
                let (done, total) = (
                    s.progress.0.load(Ordering::Relaxed),
                    s.progress.1.load(Ordering::Relaxed),
                );
                let f = if total == 0 {
                    0.0
                } else {
                    done as f32 / total as f32
                };
                ui.add(
                    egui::ProgressBar::new(f)
                        .text(format!("Reading maps: {done} of {total}"))
                        .desired_width(400.0),
                );
            }
            let Some(lib) = &st.lib else {
                return;
            };
            ui.horizontal(|ui| {
                ui.label(format!(
                    "{} in {}",
                    crate::text::count(lib.entries.len(), "map"),
                    lib.root.display()
                ));
                if !lib.skipped.is_empty() {
                    ui.collapsing(format!("{} skipped", lib.skipped.len()), |ui| {
                        for s in lib.skipped.iter().take(200) {
                            ui.label(format!("{}: {}", rel(lib, &s.path), s.why));
                        }
                    });
                }
                broken_ui(ui, lib, &st.broken, &mut open_map);
            });
            ui.horizontal(|ui| {
                let label = ui.label("Search:");
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut st.query)
                            .hint_text("words, owner:, channel:, severity:>=2, metric:CSAT<3")
                            .desired_width(520.0),
                    )
                    .labelled_by(label.id);
                if std::mem::take(&mut st.focus_search) {
                    field.request_focus();
                }
            });
            ui.separator();
            let height = ui.available_height() - 40.0;
            if st.query.trim().is_empty() {
                tiles_ui(ui, lib, theme, &mut open_map, height);
            } else {
                egui::ScrollArea::vertical()
                    .max_height(height)
                    .show(ui, |ui| hits_ui(ui, lib, &st.query, &mut open_map));
            }
            ui.separator();
            ui.horizontal(|ui| {
                ui.label("Pain points by owner, all maps:");
                ui.add(egui::TextEdit::singleline(&mut st.csv_path).desired_width(300.0));
                if ui.button("Save CSV").clicked() {
                    write_csv = true;
                }
            });
        });
    st.open = open;
    Clicked {
        read,
        browse,
        open_map,
        write_csv,
    }
}

impl App {
    /// Opens the window (and reads the folder, when one is named).
    pub(crate) fn open_library(&mut self, folder: Option<PathBuf>) {
        let st = &mut self.dialogs.library;
        st.open = true;
        st.focus = st.lib.is_none();
        if let Some(f) = folder {
            st.folder = f.display().to_string();
            self.scan_library();
        }
    }

    /// Whether a folder is being read.
    pub(crate) fn library_scanning(&self) -> bool {
        self.dialogs.library.scan.is_some()
    }

    /// How far reading the folder has got (done, total), while it is read.
    pub(crate) fn library_progress(&self) -> Option<(usize, usize)> {
        self.dialogs.library.scan.as_ref().map(|s| {
            (
                s.progress.0.load(Ordering::Relaxed),
                s.progress.1.load(Ordering::Relaxed),
            )
        })
    }

    /// Reads the folder typed in the window, in the background.
    pub(crate) fn scan_library(&mut self) {
        let folder = PathBuf::from(self.dialogs.library.folder.trim());
        if !folder.is_dir() {
            self.dialogs.library.message = Some(format!("{} is not a folder", folder.display()));
            return;
        }
        let progress = Arc::new((AtomicUsize::new(0), AtomicUsize::new(0)));
        let (tx, rx) = mpsc::channel();
        let p = Arc::clone(&progress);
        let ctx = self.egui_ctx.clone();
        let cache = crate::library::default_cache_dir();
        let spawned = std::thread::Builder::new()
            .name("library".into())
            .spawn(move || {
                let lib = Library::open(&folder, cache.as_deref(), &|done, total| {
                    p.0.store(done, Ordering::Relaxed);
                    p.1.store(total, Ordering::Relaxed);
                    if let Some(c) = &ctx {
                        c.request_repaint();
                    }
                });
                let _ = tx.send(lib);
                if let Some(c) = &ctx {
                    c.request_repaint();
                }
            });
        let st = &mut self.dialogs.library;
        match spawned {
            Ok(_) => {
                st.scan = Some(Scan { progress, rx });
                st.message = None;
                st.lib = None;
            }
            Err(e) => st.message = Some(format!("Could not read the folder: {e}")),
        }
    }

    pub(crate) fn library_ui(&mut self, ctx: &egui::Context) {
        // Read also while the window is closed (the link picker reads a library too).
        if let Some(s) = &self.dialogs.library.scan
            && let Ok(lib) = s.rx.try_recv()
        {
            let st = &mut self.dialogs.library;
            st.scan = None;
            if st.csv_path.is_empty() {
                st.csv_path = lib
                    .root
                    .join("pain-points-by-owner.csv")
                    .display()
                    .to_string();
            }
            st.broken = lib.broken_links();
            st.lib = Some(lib);
            st.focus_search = true;
        }
        if !self.dialogs.library.open {
            return;
        }
        let theme = crate::theme::Theme::get(self.prefs.theme);
        let Clicked {
            mut read,
            browse,
            open_map,
            write_csv,
        } = library_window_ui(ctx, &mut self.dialogs.library, &theme);
        if browse && let Some(f) = self.file_dialogs.pick_folder() {
            self.dialogs.library.folder = f.display().to_string();
            read = true;
        }
        if read {
            self.scan_library();
        }
        if write_csv {
            self.write_pain_csv();
        }
        if let Some((path, card)) = open_map {
            if self.session.file.as_deref() != Some(path.as_path()) {
                self.request(Pending::Open(path.clone()));
            }
            self.dialogs.map_links.select = card.map(|c| (path, crate::model::MapTarget::Card(c)));
        }
    }

    fn write_pain_csv(&mut self) {
        let st = &mut self.dialogs.library;
        let Some(lib) = &st.lib else { return };
        let path = PathBuf::from(st.csv_path.trim());
        let text = lib.pain_by_owner_csv();
        // A byte-order mark, so spreadsheet programs read the names as UTF-8.
        let bytes = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        st.message = Some(match crate::io::write_atomic(&path, &bytes) {
            Ok(()) => format!("Saved {}", path.display()),
            Err(e) => e.to_string(),
        });
    }
}

fn rel(lib: &Library, p: &Path) -> String {
    p.strip_prefix(&lib.root).unwrap_or(p).display().to_string()
}

/// Links to other maps that no longer reach their target; a click opens the map they are
/// in with their card selected.
fn broken_ui(
    ui: &mut egui::Ui,
    lib: &Library,
    broken: &[crate::library::links::Broken],
    open_map: &mut Option<(PathBuf, Option<CardId>)>,
) {
    if broken.is_empty() {
        return;
    }
    let head = crate::text::count(broken.len(), "broken link");
    ui.collapsing(head, |ui| {
        for b in broken.iter().take(200) {
            let text = format!(
                "{}: \u{201c}{}\u{201d} {} \u{2014} {}",
                rel(lib, &b.from),
                crate::text::short(&b.text, 40),
                b.link.describe(),
                b.why
            );
            if ui
                .link(text)
                .on_hover_text("Open the map with this card selected")
                .clicked()
            {
                *open_map = Some((b.from.clone(), Some(CardId(b.card))));
            }
        }
    });
}

/// The maps as tiles, three a row.
/// A tile's width and height (room for the thumbnail and five lines).
const TILE: egui::Vec2 = egui::vec2(230.0, 224.0);

/// The maps as tiles, as many a row as fit; only the rows in view are laid out (a folder of
/// thousands of maps scrolls as smoothly as one of ten).
fn tiles_ui(
    ui: &mut egui::Ui,
    lib: &Library,
    theme: &crate::theme::Theme,
    open: &mut Option<(PathBuf, Option<CardId>)>,
    height: f32,
) {
    let gap = 12.0;
    let per_row = ((ui.available_width() / (TILE.x + gap)) as usize).max(1);
    let rows = lib.entries.len().div_ceil(per_row);
    egui::ScrollArea::vertical().max_height(height).show_rows(
        ui,
        TILE.y + gap,
        rows,
        |ui, range| {
            for row in range {
                ui.horizontal(|ui| {
                    for i in row * per_row..((row + 1) * per_row).min(lib.entries.len()) {
                        let e = &lib.entries[i];
                        let r = ui
                            .push_id(i, |ui| {
                                ui.allocate_ui(TILE, |ui| {
                                    ui.set_min_size(TILE);
                                    ui.vertical(|ui| tile_ui(ui, lib, e, theme, TILE.x));
                                })
                            })
                            .response
                            .interact(egui::Sense::click())
                            .on_hover_text(format!("Open {}", rel(lib, &e.path)));
                        if r.clicked() {
                            *open = Some((e.path.clone(), None));
                        }
                        ui.add_space(gap);
                    }
                });
                ui.add_space(gap);
            }
        },
    );
}

fn tile_ui(ui: &mut egui::Ui, lib: &Library, e: &Entry, theme: &crate::theme::Theme, w: f32) {
    ui.set_max_width(w);
    let (rect, _) = ui.allocate_exact_size(egui::vec2(w, 110.0), egui::Sense::hover());
    thumbnail(ui.painter(), rect, e, theme);
    ui.label(egui::RichText::new(&e.title).strong());
    if !e.persona.is_empty() {
        ui.label(egui::RichText::new(&e.persona).weak());
    }
    ui.label(format!(
        "{} \u{b7} {} \u{b7} {}",
        crate::text::count(e.stages.len(), "stage"),
        crate::text::count(e.cards, "card"),
        super::recovery::ago(e.modified)
    ));
    let [none, s1, s2, s3] = e.pain;
    ui.horizontal_wrapped(|ui| {
        for (n, label, hue) in [
            (s3, "severe", crate::model::Hue::Red),
            (s2, "major", crate::model::Hue::Orange),
            (s1, "minor", crate::model::Hue::Amber),
            (none, "unrated", crate::model::Hue::Grey),
        ] {
            if n == 0 && label == "unrated" {
                continue;
            }
            let c = c32(theme.hue(hue).accent);
            ui.colored_label(c, "\u{25cf}");
            ui.label(format!("{n} {label}"));
        }
    });
    ui.label(egui::RichText::new(rel(lib, &e.path)).small().weak());
}

/// Where a map's cards are: a cell a lane × stage, as dark as it has cards, in its lane's
/// colour (pain points red).
fn thumbnail(p: &egui::Painter, rect: egui::Rect, e: &Entry, theme: &crate::theme::Theme) {
    p.rect_filled(rect, 4.0, c32(theme.background));
    p.rect_stroke(
        rect,
        4.0,
        egui::Stroke::new(1.0, c32(theme.grid)),
        egui::StrokeKind::Inside,
    );
    let cols = e.stages.len().max(1);
    let rows = e.thumb.len().max(1);
    let inner = rect.shrink(6.0);
    let header = 8.0;
    let (cw, rh) = (
        inner.width() / cols as f32,
        (inner.height() - header) / rows as f32,
    );
    p.rect_filled(
        egui::Rect::from_min_size(inner.min, egui::vec2(inner.width(), header - 2.0)),
        1.0,
        c32(theme.header_fill),
    );
    let most = e
        .thumb
        .iter()
        .flat_map(|(_, cells)| cells.iter().copied())
        .max()
        .unwrap_or(1)
        .max(1);
    for (r, (kind, cells)) in e.thumb.iter().enumerate() {
        let accent = if *kind == LaneKind::PainPoints {
            theme.hue(crate::model::Hue::Red).accent
        } else {
            theme.kind_accent(*kind)
        };
        for (c, n) in cells.iter().enumerate() {
            if *n == 0 {
                continue;
            }
            let alpha = 70 + (185 * u32::from(*n) / u32::from(most)) as u8;
            let cell = egui::Rect::from_min_size(
                inner.min + egui::vec2(c as f32 * cw, header + r as f32 * rh),
                egui::vec2(cw, rh),
            )
            .shrink(1.0);
            p.rect_filled(cell, 1.5, c32(accent.alpha(alpha)));
        }
    }
}

/// Search hits: the map, then each card; a click opens the map with the card selected.
fn hits_ui(
    ui: &mut egui::Ui,
    lib: &Library,
    query: &str,
    open: &mut Option<(PathBuf, Option<CardId>)>,
) {
    let q = match Query::parse(query) {
        Ok(q) => q,
        Err(e) => {
            ui.colored_label(ui.visuals().error_fg_color, e);
            return;
        }
    };
    let hits = lib.search(&q);
    let maps: std::collections::HashSet<_> = hits.iter().map(|h| h.path).collect();
    ui.label(format!(
        "{} in {} of {} maps",
        crate::text::count(hits.len(), "card"),
        maps.len(),
        lib.entries.len()
    ));
    let mut last: Option<&Path> = None;
    for h in hits.iter().take(500) {
        if last != Some(h.path) {
            ui.add_space(4.0);
            ui.label(
                egui::RichText::new(format!("{} \u{2014} {}", h.map, rel(lib, h.path))).strong(),
            );
            last = Some(h.path);
        }
        let c = h.card;
        let mut line = format!("{} \u{b7} {}: {}", c.stage, c.kind.label(), c.text);
        if !c.owner.is_empty() {
            line = format!("{line} ({})", c.owner);
        }
        if ui.link(line).clicked() {
            *open = Some((h.path.to_path_buf(), Some(CardId(c.id))));
        }
    }
}
