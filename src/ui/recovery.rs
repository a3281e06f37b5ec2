//! Never lose work: unsaved changes are written to a recovery file in the platform's data
//! folder (never over the user's file) a few seconds after a change and when the window loses
//! focus, on a background thread from a snapshot, so no frame waits for the disk. Each running
//! editor holds a lock on its own recovery files; files whose lock is free belong to an editor
//! that crashed or was killed, and the next start offers to restore them. A save, a close or
//! a discard removes them.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use crate::model::Document;

/// Unsaved changes are autosaved at the latest this long after the first of them.
pub const AUTOSAVE_AFTER_SECS: f64 = 10.0;

/// What is kept beside a recovered map.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RecoveryMeta {
    /// When it was written (seconds since 1970, UTC).
    pub saved_at: i64,
    /// The file the map belongs to, absolute and with links resolved (`None`: never saved).
    pub file: Option<PathBuf>,
    /// What that file held as the editor last read or wrote it, so that a restore still
    /// notices a change made to it since, by anyone (`None` in recovery files of older
    /// versions).
    #[serde(default)]
    pub stamp: Option<crate::io::FileStamp>,
    /// The map's title.
    pub title: String,
    /// How many cards it has.
    pub cards: usize,
}

/// Unsaved work left by an editor that did not close normally.
#[derive(Clone, Debug, PartialEq)]
pub struct Orphan {
    /// Its session id.
    pub id: String,
    /// What it is.
    pub meta: RecoveryMeta,
    /// The map file.
    pub map: PathBuf,
    dir: PathBuf,
}

impl Orphan {
    /// Removes its files.
    pub fn remove(&self) {
        for p in session_files(&self.dir, &self.id) {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// The recovery folder in the platform's data folder (`$XDG_DATA_HOME/journeymap/recovery`).
#[must_use]
pub fn default_dir() -> Option<PathBuf> {
    eframe::storage_dir("journeymap").map(|d| d.join("recovery"))
}

fn session_files(dir: &Path, id: &str) -> [PathBuf; 3] {
    [
        dir.join(format!("{id}.journeymap.json")),
        dir.join(format!("{id}.meta.json")),
        dir.join(format!("{id}.lock")),
    ]
}

/// Makes the recovery folder, readable by its owner only (and makes an existing one so).
fn private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir)?;
    #[cfg(unix)]
    std::fs::set_permissions(dir, std::os::unix::fs::PermissionsExt::from_mode(0o700))?;
    Ok(())
}

/// Makes a file owner-only before it is written (an atomic write keeps its mode).
fn private_file(path: &Path) {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    if o.open(path).is_ok() {
        #[cfg(unix)]
        let _ = std::fs::set_permissions(path, std::os::unix::fs::PermissionsExt::from_mode(0o600));
    }
}

fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// This editor's autosave.
pub(crate) struct Recovery {
    dir: PathBuf,
    id: String,
    lock: Option<File>,
    /// The revision last written (or being written).
    saved_rev: Option<u64>,
    /// When (egui time) the oldest change not yet autosaved was seen.
    changed_at: Option<f64>,
    worker: Option<mpsc::Receiver<Result<(), String>>>,
    /// Whether recovery files of this session are on disk.
    written: bool,
    was_focused: bool,
    /// The last autosave failure, said once in the status bar.
    pub error: Option<String>,
}

impl Recovery {
    pub fn new(dir: PathBuf) -> Self {
        let millis = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        Self {
            dir,
            id: format!("{}-{millis}", std::process::id()),
            lock: None,
            saved_rev: None,
            changed_at: None,
            worker: None,
            written: false,
            was_focused: true,
            error: None,
        }
    }

    /// The map and meta files this session writes.
    pub fn files(&self) -> (PathBuf, PathBuf) {
        let [map, meta, _] = session_files(&self.dir, &self.id);
        (map, meta)
    }

    /// Takes this session's lock (so other editors leave its files alone).
    fn ensure_lock(&mut self) -> std::io::Result<()> {
        if self.lock.is_some() {
            return Ok(());
        }
        private_dir(&self.dir)?;
        let [_, _, lock] = session_files(&self.dir, &self.id);
        private_file(&lock);
        let f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(lock)?;
        match f.try_lock() {
            Ok(()) => {
                self.lock = Some(f);
                Ok(())
            }
            Err(e) => Err(std::io::Error::other(e.to_string())),
        }
    }

    /// Called every frame: autosaves when a change is old enough or the window lost focus.
    /// Returns how long until it wants to look again.
    pub fn tick(
        &mut self,
        now: f64,
        focused: bool,
        dirty: bool,
        rev: u64,
        doc: &Document,
        file: Option<(&Path, Option<&crate::io::FileStamp>)>,
    ) -> Option<f64> {
        self.poll();
        // A write under way: look again soon, so that its failure is said at once.
        if self.worker.is_some() {
            return Some(0.1);
        }
        let lost_focus = self.was_focused && !focused;
        self.was_focused = focused;
        if !dirty {
            self.changed_at = None;
            if self.written {
                self.discard();
            }
            return None;
        }
        if self.saved_rev == Some(rev) {
            self.changed_at = None;
            return None;
        }
        let since = *self.changed_at.get_or_insert(now);
        if lost_focus || now - since >= AUTOSAVE_AFTER_SECS {
            if self.save(doc, file, rev) {
                self.changed_at = None;
                return Some(0.1);
            }
            return Some(0.25);
        }
        Some(AUTOSAVE_AFTER_SECS - (now - since))
    }

    /// Writes a snapshot of `doc` on a background thread (unless a write is running: then
    /// false, and the next tick tries again).
    pub fn save(
        &mut self,
        doc: &Document,
        file: Option<(&Path, Option<&crate::io::FileStamp>)>,
        rev: u64,
    ) -> bool {
        self.poll();
        if self.worker.is_some() {
            return false;
        }
        if let Err(e) = self.ensure_lock() {
            self.error = Some(format!(
                "Autosave is off: cannot use {}: {e}",
                self.dir.display()
            ));
            self.saved_rev = Some(rev);
            return true;
        }
        let snapshot = doc.clone();
        let meta = RecoveryMeta {
            saved_at: now_secs(),
            // Where it belongs, whatever folder the next start runs in.
            file: file.map(|(f, _)| {
                std::fs::canonicalize(f)
                    .or_else(|_| std::path::absolute(f))
                    .unwrap_or_else(|_| f.to_path_buf())
            }),
            stamp: file.and_then(|(_, s)| s.cloned()),
            title: doc.title.clone(),
            cards: doc.cards.len(),
        };
        let (map_path, meta_path) = self.files();
        let (tx, rx) = mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("autosave".into())
            .spawn(move || {
                // Owner-only from the first byte (the map may be private).
                private_file(&map_path);
                private_file(&meta_path);
                let r = crate::io::save_atomic(&map_path, &snapshot)
                    .map(|_| ())
                    .and_then(|()| {
                        let text = serde_json::to_string_pretty(&meta).unwrap_or_default();
                        crate::io::write_atomic(&meta_path, text.as_bytes())
                    })
                    .map_err(|e| e.to_string());
                let _ = tx.send(r);
            });
        match spawned {
            Ok(_) => {
                self.worker = Some(rx);
                self.saved_rev = Some(rev);
                self.written = true;
                true
            }
            Err(e) => {
                self.error = Some(format!("Autosave failed: {e}"));
                false
            }
        }
    }

    /// Notes a finished write.
    fn poll(&mut self) {
        if let Some(rx) = &self.worker {
            match rx.try_recv() {
                Ok(r) => {
                    if let Err(e) = r {
                        self.error = Some(format!("Autosave failed: {e}"));
                        self.saved_rev = None;
                    }
                    self.worker = None;
                }
                Err(mpsc::TryRecvError::Empty) => {}
                Err(mpsc::TryRecvError::Disconnected) => self.worker = None,
            }
        }
    }

    /// Waits for a running write.
    pub fn wait(&mut self) {
        if let Some(rx) = self.worker.take()
            && let Ok(Err(e)) = rx.recv()
        {
            self.error = Some(format!("Autosave failed: {e}"));
            self.saved_rev = None;
        }
    }

    /// Removes this session's recovery files (the work was saved, or discarded on purpose).
    pub fn discard(&mut self) {
        self.wait();
        let (map, meta) = self.files();
        let _ = std::fs::remove_file(meta);
        let _ = std::fs::remove_file(map);
        self.written = false;
        self.saved_rev = None;
        self.changed_at = None;
    }

    /// Lets go of the lock (at exit).
    pub fn release(&mut self) {
        self.wait();
        if self.lock.take().is_some() && !self.written {
            let [_, _, lock] = session_files(&self.dir, &self.id);
            let _ = std::fs::remove_file(lock);
        }
    }

    /// Unsaved work of editors that are not running any more, newest first.
    pub fn orphans(&self) -> Vec<Orphan> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut found: Vec<Orphan> = entries
            .filter_map(Result::ok)
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let id = name.strip_suffix(".meta.json")?.to_string();
                if id == self.id {
                    return None;
                }
                let [map, meta, lock] = session_files(&self.dir, &id);
                // A lock someone holds: that editor is running.
                if let Ok(f) = File::open(&lock)
                    && f.try_lock().is_err()
                {
                    return None;
                }
                let meta: RecoveryMeta =
                    serde_json::from_str(&std::fs::read_to_string(&meta).ok()?).ok()?;
                map.is_file().then(|| Orphan {
                    id,
                    meta,
                    map,
                    dir: self.dir.clone(),
                })
            })
            .collect();
        found.sort_by_key(|o| std::cmp::Reverse(o.meta.saved_at));
        found
    }
}

/// "3 minutes ago" and the like.
#[must_use]
pub fn ago(secs: i64) -> String {
    let d = (now_secs() - secs).max(0);
    let (n, unit) = match d {
        0..60 => return "less than a minute ago".into(),
        60..3600 => (d / 60, "minute"),
        3600..86_400 => (d / 3600, "hour"),
        _ => (d / 86_400, "day"),
    };
    format!("{} ago", crate::text::count(n as usize, unit))
}

/// A Unix time as `YYYY-MM-DD HH:MM` UTC.
#[must_use]
pub fn when(secs: i64) -> String {
    let day = crate::render::date_of(secs);
    let s = secs.rem_euclid(86_400);
    format!("{day} {:02}:{:02} UTC", s / 3600, (s % 3600) / 60)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly")]
    use super::*;

    #[test]
    fn a_failed_autosave_is_said_without_waiting_for_input() {
        let dir = tempfile::tempdir().unwrap();
        let mut r = Recovery::new(dir.path().to_path_buf());
        // The map file's place is taken by a folder: the background write fails.
        let (map, _) = r.files();
        std::fs::create_dir_all(&map).unwrap();
        let doc = crate::model::sample_map();
        // The window loses focus with unsaved work: the write starts, and the tick asks to
        // look again (a frame with no input still comes to say how it went).
        assert!(r.tick(0.0, true, true, 1, &doc, None).is_some());
        let again = r.tick(0.1, false, true, 1, &doc, None);
        assert!(again.is_some_and(|s| s <= 0.1), "{again:?}");
        let mut seen = None;
        for i in 0..200 {
            std::thread::sleep(std::time::Duration::from_millis(10));
            let _ = r.tick(0.2 + f64::from(i) * 0.01, false, true, 1, &doc, None);
            if let Some(e) = r.error.take() {
                seen = Some(e);
                break;
            }
        }
        assert!(seen.is_some_and(|e| e.contains("Autosave failed")));
    }
}
