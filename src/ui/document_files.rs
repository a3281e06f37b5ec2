//! New, Open and Save for [`App`]: asking about unsaved changes, file dialogs (or a typed
//! path where none can be shown), refusing to overwrite what could not be read, recent files
//! and the window title.

use std::path::{Path, PathBuf};

use super::app::{App, Closing, Pending};
use super::dialogs::Modal;
use crate::edit::{Command, MapField, Op};
use crate::io::{self, FileStamp};

/// How many recent files File → Open recent lists.
const MAX_RECENT: usize = 10;
/// A file dialog that answers "nothing chosen" faster than this was never shown: rfd says
/// `None` both for "cancelled" and for "no dialog available".
const NO_DIALOG_WITHIN: std::time::Duration = std::time::Duration::from_millis(300);

impl App {
    /// Asks about unsaved changes first when needed, then does `p`.
    pub(crate) fn request(&mut self, p: Pending) {
        if self.is_dirty() {
            self.dialogs.modal = Some(Modal::Unsaved(p));
        } else {
            self.proceed(p);
        }
    }

    pub(crate) fn proceed(&mut self, p: Pending) {
        match p {
            Pending::New => {
                self.session.editor.replace(crate::model::new_map());
                self.end_workshop_for_new_document();
                self.after_replace(None, None);
                self.dialogs.status = Some("New map: not saved yet".into());
            }
            Pending::NewFrom(t) => match t.document() {
                Ok(doc) => {
                    self.session.editor.replace(doc);
                    self.end_workshop_for_new_document();
                    self.after_replace(None, None);
                    self.dialogs.status = Some(format!(
                        "New map from the {} template: not saved yet",
                        t.name.to_lowercase()
                    ));
                }
                Err(e) => {
                    self.dialogs.modal =
                        Some(Modal::Error("Could not open the template", e.to_string()));
                }
            },
            Pending::PickOpen => {
                let asked = std::time::Instant::now();
                match self.file_dialogs.pick_open() {
                    Some(path) => self.open_path(&path),
                    // No person cancels a dialog this fast: there was no dialog to show
                    // (rfd says `None` for both), so ask for the path instead.
                    None if asked.elapsed() < NO_DIALOG_WITHIN => {
                        self.dialogs.modal = Some(Modal::OpenPath(String::new()));
                        self.dialogs.status = Some(
                            "No file dialog is available here: type the path of the map.".into(),
                        );
                    }
                    None => self.dialogs.status = Some("No file chosen.".into()),
                }
            }
            Pending::Open(path) => self.import_or_open(&path),
            Pending::PickImport => {
                let asked = std::time::Instant::now();
                match self.file_dialogs.pick_import() {
                    Some(path) => self.import_path(&path),
                    None if asked.elapsed() < NO_DIALOG_WITHIN => {
                        self.dialogs.modal = Some(Modal::ImportPath(String::new()));
                    }
                    None => self.dialogs.status = Some("No file chosen.".into()),
                }
            }
            Pending::Close => {
                if self.session.closing == Closing::Ask {
                    self.session.closing = Closing::Allowed;
                }
            }
        }
    }

    pub(crate) fn after_replace(&mut self, file: Option<PathBuf>, stamp: Option<FileStamp>) {
        self.session.file = file;
        self.session.stamp = stamp;
        self.session.saved_revision = self.session.editor.revision();
        // The old map's unsaved work was saved or discarded when the user was asked.
        self.session.discard_recovery();
        self.canvas.reset();
        // Another map starts with its own view (a new or imported map with a clean one): the
        // last map's executive view, colouring and survey do not hide or colour its cards.
        let view = self.doc().view.clone();
        self.canvas.executive = view.executive;
        self.canvas.executive_doc = None;
        self.canvas.colour_by = crate::render::ColourBy::parse(&view.colour_by).unwrap_or_default();
        self.dialogs.drivers = None;
        self.canvas.fit_pending = true;
    }

    /// Offers to restore the newest unsaved work of an editor that did not close normally.
    pub(crate) fn offer_recovery(&mut self) {
        if self.dialogs.modal.is_some() {
            return;
        }
        let newest = self
            .session
            .recovery
            .as_ref()
            .and_then(|r| r.orphans().into_iter().next());
        if let Some(o) = newest {
            self.dialogs.modal = Some(Modal::Restore(o));
        }
    }

    /// Restores unsaved work: the map as it was autosaved, belonging to its file (if it had
    /// one) and marked unsaved; its recovery files become this session's.
    pub(crate) fn restore(&mut self, orphan: &super::recovery::Orphan) {
        match io::load(&orphan.map) {
            Ok((doc, _)) => {
                self.session.editor.replace(doc);
                self.end_workshop_for_new_document();
                let file = orphan.meta.file.clone();
                // The file as the crashed editor knew it: a change made to it since (by
                // another program, or another editor) is noticed at the next save.
                let stamp = match &orphan.meta.stamp {
                    Some(s) => Some(s.clone()),
                    None => file.as_deref().and_then(FileStamp::read),
                };
                self.after_replace(file, stamp);
                // Unsaved: it differs from the file (or there is none).
                self.session.saved_revision = 0;
                orphan.remove();
                self.autosave_now();
                self.dialogs.status = Some(format!(
                    "Restored unsaved work from {}: save it to keep it.",
                    super::recovery::when(orphan.meta.saved_at)
                ));
            }
            Err(e) => {
                self.dialogs.modal = Some(Modal::Error(
                    "Could not restore the unsaved work",
                    format!("{e}. The recovery file was kept: {}", orphan.map.display()),
                ));
            }
        }
    }

    /// Saves unsaved work to the recovery file now, on the background thread (as losing focus
    /// does).
    pub fn autosave_now(&mut self) {
        let rev = self.session.editor.revision();
        if let Some(r) = &mut self.session.recovery {
            r.save(
                self.session.editor.doc(),
                super::session::Session::file_and_stamp(
                    self.session.file.as_ref(),
                    self.session.stamp.as_ref(),
                ),
                rev,
            );
        }
    }

    /// Waits for a running autosave to finish (for tests and benchmarks).
    pub fn wait_for_autosave(&mut self) {
        if let Some(r) = &mut self.session.recovery {
            r.wait();
        }
    }

    /// Autosaves unsaved work when it is due (called once a frame).
    pub(crate) fn autosave(&mut self, ctx: &egui::Context) {
        let dirty = self.is_dirty();
        let rev = self.session.editor.revision();
        let (now, focused) = ctx.input(|i| (i.time, i.viewport().focused.unwrap_or(i.focused)));
        let Some(r) = &mut self.session.recovery else {
            return;
        };
        let again = r.tick(
            now,
            focused,
            dirty,
            rev,
            self.session.editor.doc(),
            super::session::Session::file_and_stamp(
                self.session.file.as_ref(),
                self.session.stamp.as_ref(),
            ),
        );
        if let Some(e) = r.error.take() {
            self.dialogs.status = Some(e);
        }
        if let Some(secs) = again {
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(secs.max(0.05)));
        }
    }

    /// Opens a map file; on failure the open map stays as it was and the error is shown.
    pub fn open_path(&mut self, path: &Path) {
        match io::load_repaired(path) {
            Ok((doc, stamp, repairs)) => {
                self.session.editor.replace(doc);
                self.end_workshop_for_new_document();
                self.after_replace(Some(path.to_path_buf()), Some(stamp));
                self.remember(path);
                self.dialogs.status = Some(if repairs.is_empty() {
                    format!("Opened {}", path.display())
                } else {
                    format!("Opened {}; repaired: {repairs}", path.display())
                });
            }
            Err(e) => {
                self.dialogs.modal = Some(Modal::Error("Could not open the map", e.to_string()));
            }
        }
    }

    /// Opens a map, or imports a Mermaid or CSV file given where a map was expected
    /// (Open, a dropped file, the command line).
    pub(crate) fn import_or_open(&mut self, path: &Path) {
        if io::import_format(path).is_some() {
            self.import_path(path);
        } else {
            self.open_path(path);
        }
    }

    /// Reads a Mermaid journey or a CSV table into a new, unsaved map (it belongs to no file:
    /// Save asks where). On failure the open map stays as it was and the error is shown, with
    /// its line and column; warnings (odd scores …) are listed after importing.
    pub fn import_path(&mut self, path: &Path) {
        match io::import(path) {
            Ok(imported) => {
                let cards = imported.doc.cards.len();
                let stages = imported.doc.stages.len();
                self.session.editor.replace(imported.doc);
                self.end_workshop_for_new_document();
                self.after_replace(None, None);
                // Unsaved: it exists only here until saved.
                self.session.saved_revision = u64::MAX;
                let what = format!(
                    "Imported {}: {}, {}. Not saved yet.",
                    path.display(),
                    crate::text::count(stages, "stage"),
                    crate::text::count(cards, "card"),
                );
                if imported.warnings.is_empty() {
                    self.dialogs.status = Some(what);
                } else {
                    let n = imported.warnings.len();
                    self.dialogs.status = Some(what.clone());
                    self.dialogs.modal = Some(Modal::Notice(
                        format!("Imported, with {}", crate::text::count(n, "warning")),
                        format!("{what}\n\n{}", imported.warnings.join("\n")),
                    ));
                }
            }
            Err(e) => {
                self.dialogs.modal = Some(Modal::Error("Could not import the file", e.to_string()));
            }
        }
    }

    fn remember(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.prefs.recent.retain(|p| p != &path);
        self.prefs.recent.insert(0, path);
        self.prefs.recent.truncate(MAX_RECENT);
    }

    /// Saves to the document's file (asks for one if it has none).
    pub fn save(&mut self) {
        let Some(path) = self.session.file.clone() else {
            self.save_as();
            return;
        };
        let on_disk = FileStamp::read(&path);
        if let (Some(known), Some(now)) = (&self.session.stamp, &on_disk)
            && known != now
        {
            self.dialogs.modal = Some(Modal::ChangedOnDisk(path));
            return;
        }
        if self.session.stamp.is_none() && on_disk.is_some() {
            // A file we never read: only replace it if it is not a map we cannot read.
            if let Err(e) = io::load(&path)
                && matches!(e, io::LoadError::NewerVersion { .. })
            {
                self.dialogs.modal = Some(Modal::Error(
                    "Could not save the map",
                    format!("{e}. It was not overwritten."),
                ));
                return;
            }
        }
        self.write_to(&path);
    }

    /// Notes in the document the view it is shown in (executive view, colouring) and its
    /// owners' colour order, so that the saved map opens the same and owners keep their
    /// colours.
    fn note_look(&mut self) {
        let view = crate::model::MapView {
            executive: self.canvas.executive,
            // Saved in the colouring it had before a comparison.
            colour_by: match self
                .canvas
                .compare
                .as_ref()
                .map_or(&self.canvas.colour_by, |c| &c.before)
            {
                crate::render::ColourBy::Lane | crate::render::ColourBy::Changes => String::new(),
                c => c.as_arg(),
            },
        };
        let owners = crate::model::owners(self.session.editor.doc());
        self.session.editor.note_saved_look(view, owners);
    }

    pub(crate) fn write_to(&mut self, path: &Path) {
        self.note_look();
        match io::save_atomic(path, self.session.editor.doc()) {
            Ok(stamp) => {
                if let Some(w) = &self.session.workshop {
                    w.note_saved(self.session.editor.doc());
                }
                self.session.file = Some(path.to_path_buf());
                self.session.stamp = Some(stamp);
                self.session.saved_revision = self.session.editor.revision();
                self.remember(path);
                self.session.discard_recovery();
                self.dialogs.status = Some(format!("Saved {}", path.display()));
                if let Some(p) = self.session.after_save.take() {
                    self.proceed_after(p);
                }
            }
            Err(e) => {
                self.session.after_save = None;
                self.dialogs.modal = Some(Modal::Error("Could not save the map", e.to_string()));
            }
        }
    }

    /// Saves under a name picked in a dialog (or typed, when no dialog can be shown).
    pub fn save_as(&mut self) {
        let suggested = self.suggested_name();
        let asked = std::time::Instant::now();
        match self.file_dialogs.pick_save(&suggested) {
            Some(path) => self.save_as_path(&path),
            // As for Open: an instant `None` means no dialog could be shown.
            None if asked.elapsed() < NO_DIALOG_WITHIN => {
                self.dialogs.modal = Some(Modal::SaveAsPath(self.suggested_path()));
            }
            None => {
                self.session.after_save = None;
                self.dialogs.status = Some("Not saved.".into());
            }
        }
    }

    /// Saves to a path the user chose, refusing to replace a file from a newer Journeymap.
    pub fn save_as_path(&mut self, path: &Path) {
        if path.exists()
            && let Err(e @ io::LoadError::NewerVersion { .. }) = io::load(path)
        {
            self.dialogs.modal = Some(Modal::Error(
                "Could not save the map",
                format!("{e}. It was not overwritten."),
            ));
            return;
        }
        self.rebase_map_links(path);
        self.write_to(path);
    }

    /// Links to other maps and the base map are named relative to the map's folder: saved into
    /// another folder, they are renamed to reach the same files (one undo step).
    fn rebase_map_links(&mut self, path: &Path) {
        let real = |p: PathBuf| std::fs::canonicalize(&p).unwrap_or(p);
        let old = real(self.map_dir());
        let new = real(
            path.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
        );
        if old == new && self.session.file.is_some() {
            return;
        }
        let mut cmds: Vec<Command> = self
            .doc()
            .cards
            .iter()
            .filter(|c| !c.map_links.is_empty())
            .filter_map(|c| {
                let mut c = crate::model::Card::clone(c);
                let before = c.map_links.clone();
                crate::model::rebase(&mut c.map_links, &old, &new);
                (c.map_links != before).then_some(Command::UpdateCard(c))
            })
            .collect();
        let base = self.doc().based_on.trim();
        if !base.is_empty() {
            let moved = crate::model::relative_name(&new, &crate::model::lexical(&old.join(base)));
            if moved != base {
                cmds.push(Command::Ops(vec![Op::SetMap(MapField::BasedOn(moved))]));
            }
        }
        if !cmds.is_empty() {
            self.apply_now(&Command::Batch(cmds));
        }
    }

    pub(crate) fn suggested_name(&self) -> String {
        if let Some(n) = self.session.file.as_ref().and_then(|f| f.file_name()) {
            return n.to_string_lossy().into_owned();
        }
        let slug: String = self
            .doc()
            .title
            .chars()
            .map(|c| {
                if c.is_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        let slug = slug
            .split('-')
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        format!(
            "{}.journeymap.json",
            if slug.is_empty() { "journey" } else { &slug }
        )
    }

    /// A full path to offer when the path is typed: next to the open file, or in the current
    /// folder, so the user sees where it will go.
    pub(crate) fn suggested_path(&self) -> String {
        let dir = self
            .session
            .file
            .as_ref()
            .and_then(|f| f.parent().map(Path::to_path_buf))
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default();
        dir.join(self.suggested_name()).display().to_string()
    }

    pub(crate) fn window_title(&self) -> String {
        let name = self
            .session
            .file
            .as_ref()
            .and_then(|f| f.file_name())
            .map_or_else(
                || format!("{} (not saved yet)", self.doc().title),
                |n| n.to_string_lossy().into_owned(),
            );
        let dirty = if self.is_dirty() { "\u{25cf} " } else { "" };
        format!("{dirty}{name} \u{2014} Journeymap")
    }
}
