//! New, Open and Save for [`App`]: asking about unsaved changes, file dialogs (or a typed
//! path where none can be shown), refusing to overwrite what could not be read, recent files
//! and the window title.

use std::path::{Path, PathBuf};

use super::app::{App, Closing, Modal, Pending, Selection};
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
            self.modal = Some(Modal::Unsaved(p));
        } else {
            self.proceed(p);
        }
    }

    pub(crate) fn proceed(&mut self, p: Pending) {
        match p {
            Pending::New => {
                self.editor.replace(crate::model::new_map());
                self.after_replace(None, None);
            }
            Pending::PickOpen => {
                let asked = std::time::Instant::now();
                match self.dialogs.pick_open() {
                    Some(path) => self.open_path(&path),
                    // No person cancels a dialog this fast: there was no dialog to show
                    // (rfd says `None` for both), so ask for the path instead.
                    None if asked.elapsed() < NO_DIALOG_WITHIN => {
                        self.modal = Some(Modal::OpenPath(String::new()));
                        self.status = Some(
                            "No file dialog is available here: type the path of the map.".into(),
                        );
                    }
                    None => self.status = Some("No file chosen.".into()),
                }
            }
            Pending::Open(path) => self.open_path(&path),
            Pending::Close => {
                if self.closing == Closing::Ask {
                    self.closing = Closing::Allowed;
                }
            }
        }
    }

    pub(crate) fn after_replace(&mut self, file: Option<PathBuf>, stamp: Option<FileStamp>) {
        self.file = file;
        self.stamp = stamp;
        self.saved_revision = self.editor.revision();
        self.selection = Selection::default();
        self.editing = None;
        self.gesture = super::canvas::Gesture::None;
        self.fit_pending = true;
    }

    /// Opens a map file; on failure the open map stays as it was and the error is shown.
    pub fn open_path(&mut self, path: &Path) {
        match io::load(path) {
            Ok((doc, stamp)) => {
                self.editor.replace(doc);
                self.after_replace(Some(path.to_path_buf()), Some(stamp));
                self.remember(path);
                self.status = Some(format!("Opened {}", path.display()));
            }
            Err(e) => self.modal = Some(Modal::Error("Could not open the map", e.to_string())),
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
        let Some(path) = self.file.clone() else {
            self.save_as();
            return;
        };
        let on_disk = FileStamp::read(&path);
        if let (Some(known), Some(now)) = (&self.stamp, &on_disk)
            && known != now
        {
            self.modal = Some(Modal::ChangedOnDisk(path));
            return;
        }
        if self.stamp.is_none() && on_disk.is_some() {
            // A file we never read: only replace it if it is not a map we cannot read.
            if let Err(e) = io::load(&path)
                && matches!(e, io::LoadError::NewerVersion { .. })
            {
                self.modal = Some(Modal::Error(
                    "Could not save the map",
                    format!("{e}. It was not overwritten."),
                ));
                return;
            }
        }
        self.write_to(&path);
    }

    pub(crate) fn write_to(&mut self, path: &Path) {
        match io::save_atomic(path, self.editor.doc()) {
            Ok(stamp) => {
                self.file = Some(path.to_path_buf());
                self.stamp = Some(stamp);
                self.saved_revision = self.editor.revision();
                self.remember(path);
                self.status = Some(format!("Saved {}", path.display()));
                if let Some(p) = self.after_save.take() {
                    self.proceed_after(p);
                }
            }
            Err(e) => {
                self.after_save = None;
                self.modal = Some(Modal::Error("Could not save the map", e.to_string()));
            }
        }
    }

    /// Saves under a name picked in a dialog (or typed, when no dialog can be shown).
    pub fn save_as(&mut self) {
        let suggested = self.suggested_name();
        let asked = std::time::Instant::now();
        match self.dialogs.pick_save(&suggested) {
            Some(path) => self.save_as_path(&path),
            // As for Open: an instant `None` means no dialog could be shown.
            None if asked.elapsed() < NO_DIALOG_WITHIN => {
                self.modal = Some(Modal::SaveAsPath(self.suggested_path()));
            }
            None => {
                self.after_save = None;
                self.status = Some("Not saved.".into());
            }
        }
    }

    /// Saves to a path the user chose, refusing to replace a file from a newer Journeymap.
    pub fn save_as_path(&mut self, path: &Path) {
        if path.exists()
            && let Err(e @ io::LoadError::NewerVersion { .. }) = io::load(path)
        {
            self.modal = Some(Modal::Error(
                "Could not save the map",
                format!("{e}. It was not overwritten."),
            ));
            return;
        }
        self.write_to(path);
    }

    pub(crate) fn suggested_name(&self) -> String {
        if let Some(n) = self.file.as_ref().and_then(|f| f.file_name()) {
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
            .file
            .as_ref()
            .and_then(|f| f.parent().map(Path::to_path_buf))
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default();
        dir.join(self.suggested_name()).display().to_string()
    }

    pub(crate) fn window_title(&self) -> String {
        let name = self.file.as_ref().and_then(|f| f.file_name()).map_or_else(
            || format!("{} (not saved yet)", self.doc().title),
            |n| n.to_string_lossy().into_owned(),
        );
        let dirty = if self.is_dirty() { "\u{25cf} " } else { "" };
        format!("{dirty}{name} \u{2014} Journeymap")
    }
}
