//! The versions window (File → Versions…): save the map as it is now under a name, browse
//! the saved versions (newest first), compare one with the map (what changed since, each
//! change selecting its card), and restore one (one undo step). Versions are map files in a
//! folder beside the map ([`crate::io::versions`]).

use std::path::PathBuf;

use super::app::App;
use super::canvas::Reveal;
use crate::compare::{Change, MapDiff};
use crate::io::versions::{self, Version};

/// The window's state.
#[derive(Debug, Default)]
pub(crate) struct VersionsState {
    pub open: bool,
    /// The name typed for the next version.
    pub name: String,
    /// The versions of the map at this path (read when the window opens or one is saved).
    list: Option<(PathBuf, Vec<Version>, usize)>,
    /// A version compared with the map: its file, the version, and what changed since (as of
    /// the editor's revision).
    compared: Option<Compared>,
    /// What went wrong last (a folder that cannot be read, a version that cannot be opened).
    error: Option<String>,
    /// Focus the name field on the next frame.
    focus_name: bool,
}

#[derive(Debug)]
struct Compared {
    path: PathBuf,
    old: crate::model::Document,
    revision: u64,
    diff: MapDiff,
}

/// The most changes listed under a compared version.
const SHOWN: usize = 200;

/// What a click in the window asks for.
enum Ask {
    Save,
    Compare(Version),
    Restore(Version),
    Show(Version),
    Select(Change),
    CloseCompare,
}

/// The window, drawn from its state and the map's file; what was clicked.
fn versions_window_ui(
    ctx: &egui::Context,
    st: &mut VersionsState,
    file: &std::path::Path,
) -> Option<Ask> {
    let mut open = true;
    let mut ask: Option<Ask> = None;
    egui::Window::new("Versions")
        .id(egui::Id::unique("versions window"))
        .open(&mut open)
        .default_width(460.0)
        .default_pos(ctx.content_rect().right_top() + egui::vec2(-500.0, 60.0))
        .default_height(320.0)
        .vscroll(true)
        .show(ctx, |ui| {
            ui.label(format!(
                "Kept beside the map, in {}",
                versions::folder(file).display()
            ));
            ui.horizontal(|ui| {
                let hint = "Name, e.g. Before the workshop";
                let enter = super::submit_field(ui, &mut st.name, hint, 260.0, &mut st.focus_name);
                if ui.button("Save version").clicked() || enter {
                    ask = Some(Ask::Save);
                }
            });
            if let Some(e) = &st.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            ui.separator();
            let Some((_, list, more)) = &st.list else {
                return;
            };
            if list.is_empty() {
                ui.label("No versions yet.");
            }
            for v in list {
                ui.push_id(&v.path, |ui| {
                    ui.horizontal(|ui| {
                        ui.label(egui::RichText::new(&v.name).strong());
                        ui.label(egui::RichText::new(&v.saved).weak());
                    });
                    ui.horizontal(|ui| {
                        if ui
                            .button("Compare")
                            .on_hover_text("What changed since this version")
                            .clicked()
                        {
                            ask = Some(Ask::Compare(v.clone()));
                        }
                        if ui
                            .button("Show on map")
                            .on_hover_text(
                                "The compare view: changes since this version marked on the map",
                            )
                            .clicked()
                        {
                            ask = Some(Ask::Show(v.clone()));
                        }
                        if ui
                            .button("Restore")
                            .on_hover_text("Make the map what it was then (Ctrl+Z undoes it)")
                            .clicked()
                        {
                            ask = Some(Ask::Restore(v.clone()));
                        }
                    });
                    if let Some(c) = &st.compared
                        && c.path == v.path
                    {
                        changes_ui(ui, &c.diff, &mut ask);
                    }
                    ui.separator();
                });
            }
            if *more > 0 {
                ui.label(format!("{more} older versions are not listed."));
            }
        });
    st.open = open;
    ask
}

impl App {
    /// Opens the window with the name field focused (File → Save version…).
    pub(crate) fn open_versions(&mut self, focus_name: bool) {
        let v = &mut self.dialogs.versions;
        v.open = true;
        v.list = None;
        v.focus_name = focus_name;
    }

    pub(crate) fn versions_ui(&mut self, ctx: &egui::Context) {
        if !self.dialogs.versions.open {
            return;
        }
        // What changed since a compared version follows the map's edits.
        let rev = self.session.editor.revision();
        if let Some(c) = &mut self.dialogs.versions.compared
            && c.revision != rev
        {
            c.diff = crate::compare::maps(&c.old, self.session.editor.doc());
            c.revision = rev;
        }
        let Some(file) = self.session.file.clone() else {
            self.dialogs.versions.open = false;
            return;
        };
        if self
            .dialogs
            .versions
            .list
            .as_ref()
            .is_none_or(|(p, _, _)| *p != file)
        {
            self.reread_versions(&file);
        }
        let ask = versions_window_ui(ctx, &mut self.dialogs.versions, &file);
        match ask {
            Some(Ask::Save) => self.save_version(&file),
            Some(Ask::Compare(v)) => match versions::load(&v) {
                Ok(old) => {
                    self.dialogs.versions.compared = Some(Compared {
                        path: v.path,
                        diff: crate::compare::maps(&old, self.doc()),
                        old,
                        revision: self.session.editor.revision(),
                    });
                    self.dialogs.versions.error = None;
                }
                Err(e) => self.dialogs.versions.error = Some(e.to_string()),
            },
            Some(Ask::Restore(v)) => self.restore_version(&v),
            Some(Ask::Show(v)) => match versions::load(&v) {
                Ok(old) => self.start_compare(old, v.name.clone()),
                Err(e) => self.dialogs.versions.error = Some(e.to_string()),
            },
            Some(Ask::Select(c)) => self.select_change(&c),
            Some(Ask::CloseCompare) => self.dialogs.versions.compared = None,
            None => {}
        }
    }

    fn reread_versions(&mut self, file: &std::path::Path) {
        let st = &mut self.dialogs.versions;
        match versions::list(file) {
            Ok((list, more)) => {
                st.list = Some((file.to_path_buf(), list, more));
                st.error = None;
            }
            Err(e) => {
                st.list = Some((file.to_path_buf(), Vec::new(), 0));
                st.error = Some(format!(
                    "Cannot read {}: {e}",
                    versions::folder(file).display()
                ));
            }
        }
    }

    fn save_version(&mut self, file: &std::path::Path) {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let name = std::mem::take(&mut self.dialogs.versions.name);
        match versions::save(file, self.doc(), &name, now) {
            Ok(v) => {
                self.dialogs.status = Some(format!("Saved version \u{201c}{}\u{201d}", v.name));
                self.reread_versions(file);
            }
            Err(e) => {
                self.dialogs.versions.name = name;
                self.dialogs.versions.error = Some(e.to_string());
            }
        }
    }

    fn restore_version(&mut self, v: &Version) {
        let old = match versions::load(v) {
            Ok(d) => d,
            Err(e) => {
                self.dialogs.versions.error = Some(e.to_string());
                return;
            }
        };
        self.finish_editing();
        let ops = crate::edit::whole::document_ops(self.doc(), &old);
        let r = self
            .session
            .editor
            .apply_ops(crate::edit::Origin::Local, ops);
        match r {
            Ok(_) => {
                self.dialogs.status = Some(format!(
                    "Restored \u{201c}{}\u{201d} (Ctrl+Z brings back what was there)",
                    v.name
                ));
                self.dialogs.versions.compared = None;
                self.dialogs.versions.error = None;
            }
            Err(e) => self.dialogs.versions.error = Some(format!("Not restored: {e}")),
        }
    }

    /// Selects what a change is about, when the map has it.
    pub(crate) fn select_change(&mut self, c: &Change) {
        use crate::model::{CardId, LaneId, StageId};
        let s = &mut self.canvas.selection;
        match c.kind {
            "card" if self.session.editor.doc().card(CardId(c.id)).is_some() => {
                *s = super::Selection::default();
                s.cards.insert(CardId(c.id));
                self.canvas.reveal = Some(Reveal::Card(CardId(c.id)));
            }
            "stage" if self.session.editor.doc().stage(StageId(c.id)).is_some() => {
                *s = super::Selection::default();
                s.stage = Some(StageId(c.id));
                self.canvas.reveal = Some(Reveal::Stage(StageId(c.id)));
            }
            "lane" if self.session.editor.doc().lane(LaneId(c.id)).is_some() => {
                *s = super::Selection::default();
                s.lane = Some(LaneId(c.id));
            }
            _ => {}
        }
    }
}

/// The changes since a version: a summary, then a row a change (the ones on the map
/// clickable).
fn changes_ui(ui: &mut egui::Ui, d: &MapDiff, ask: &mut Option<Ask>) {
    let text = d.to_text();
    let summary = text.lines().last().unwrap_or_default().to_string();
    ui.horizontal(|ui| {
        ui.label(egui::RichText::new(format!("Since then: {summary}")).italics());
        if ui.small_button("\u{d7}").on_hover_text("Hide").clicked() {
            *ask = Some(Ask::CloseCompare);
        }
    });
    let mut select = None;
    changes_list_ui(ui, d, &mut select);
    if let Some(c) = select {
        *ask = Some(Ask::Select(c));
    }
}

/// A row a change (`+ card added: …`, its fields under it), those on the map clickable.
pub(crate) fn changes_list_ui(ui: &mut egui::Ui, d: &MapDiff, select: &mut Option<Change>) {
    for c in d.changes.iter().take(SHOWN) {
        let mark = match c.what {
            "added" => "+",
            "removed" => "\u{2212}",
            _ => "~",
        };
        let line = format!("{mark} {} {}: {}", c.kind, c.what, c.label);
        if c.what == "removed" {
            ui.label(line);
        } else if ui.link(line).clicked() {
            *select = Some(c.clone());
        }
        for (f, old, new) in c.fields.iter().take(6) {
            ui.label(
                egui::RichText::new(format!(
                    "    {f}: {} \u{2192} {}",
                    crate::compare::shown(old),
                    crate::compare::shown(new)
                ))
                .weak(),
            );
        }
    }
    if d.changes.len() > SHOWN {
        ui.label(format!("… and {} more", d.changes.len() - SHOWN));
    }
}
