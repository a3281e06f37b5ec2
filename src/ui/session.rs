//! [`Session`]: the open document — its editor and history, the file it belongs to, the
//! commands the UI queued this frame, and the autosave that keeps unsaved work recoverable.

use std::path::PathBuf;

use super::app::{Closing, Pending};
use super::dialogs::Toast;
use super::recovery::Recovery;
use crate::edit::{Command, Editor};
use crate::io::FileStamp;

/// What the UI does once a queued command has been applied, given the ids it minted (in the
/// order of what it added): select the new card, open the new stage's name … The UI mints no
/// id; it learns them here, when what they name exists.
pub(crate) type Then = Box<dyn FnOnce(&mut super::canvas::Canvas, &[u64])>;

/// A command the UI queued, applied at the start of the next frame before layout.
pub(crate) struct Queued {
    pub cmd: Command,
    /// Said in a toast with an Undo button once applied (deletes, big pastes).
    pub toast: Option<Toast>,
    /// Run once it is applied.
    pub then: Option<Then>,
}

/// The document room.
pub(crate) struct Session {
    pub editor: Editor,
    pub file: Option<PathBuf>,
    pub stamp: Option<FileStamp>,
    pub saved_revision: u64,
    pub closing: Closing,
    /// What to do once the pending save succeeds (New, Open or Close after "Save").
    pub after_save: Option<Pending>,
    queue: Vec<Queued>,
    /// An action to run once the queue is applied (see `App::apply_queued`).
    pub after_drain: Option<super::actions::Action>,
    /// Autosave of unsaved work (`None`: no recovery folder, as in benchmarks).
    pub recovery: Option<Recovery>,
    /// The user chose to quit while an export runs (it is stopped, its temporary removed).
    pub quit_during_export: bool,
    /// The live workshop this map is shared in.
    pub workshop: Option<super::workshop::Workshop>,
    /// A join under way.
    pub joining: Option<super::workshop::Joining>,
}

impl Session {
    /// The map's file and what it held when last read or written (for the autosave; the
    /// fields apart, so the recovery can be borrowed beside them).
    pub fn file_and_stamp<'a>(
        file: Option<&'a PathBuf>,
        stamp: Option<&'a FileStamp>,
    ) -> Option<(&'a std::path::Path, Option<&'a FileStamp>)> {
        file.map(|f| (f.as_path(), stamp))
    }

    pub fn new(editor: Editor, recovery_dir: Option<PathBuf>) -> Self {
        let saved_revision = editor.revision();
        Self {
            editor,
            file: None,
            stamp: None,
            saved_revision,
            closing: Closing::Ask,
            after_save: None,
            queue: Vec::new(),
            after_drain: None,
            recovery: recovery_dir.map(Recovery::new),
            quit_during_export: false,
            workshop: None,
            joining: None,
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.editor.revision() != self.saved_revision
    }

    pub fn queue(&mut self, cmd: Command) {
        self.queue.push(Queued {
            cmd,
            toast: None,
            then: None,
        });
    }

    pub fn queue_then(&mut self, cmd: Command, toast: Option<Toast>, then: Then) {
        self.queue.push(Queued {
            cmd,
            toast,
            then: Some(then),
        });
    }

    pub fn queue_with_toast(&mut self, cmd: Command, toast: Toast) {
        self.queue.push(Queued {
            cmd,
            toast: Some(toast),
            then: None,
        });
    }

    pub fn has_queued(&self) -> bool {
        !self.queue.is_empty() || self.after_drain.is_some()
    }

    pub fn take_queued(&mut self) -> Vec<Queued> {
        std::mem::take(&mut self.queue)
    }

    /// The document was saved (or replaced by a file or a new map): nothing to recover.
    pub fn discard_recovery(&mut self) {
        if let Some(r) = &mut self.recovery {
            r.discard();
        }
    }

    /// At exit: a clean document leaves no recovery file behind (one with unsaved changes
    /// the user chose to keep unsaved keeps it only if the close was not confirmed).
    pub fn finish_recovery(&mut self, dirty: bool) {
        if let Some(r) = &mut self.recovery {
            if !dirty || self.closing != Closing::Ask {
                r.discard();
            }
            r.release();
        }
    }
}

impl super::App {
    /// Once a frame, before anything is applied: a transaction whose gesture is gone (its
    /// widget vanished mid-drag) is rolled back, so it cannot swallow later edits. A canvas
    /// drag that changes the map live holds it while it lasts; a dragged number holds its own.
    pub(crate) fn end_gestures(&mut self) {
        if matches!(
            self.canvas.gesture,
            super::canvas::Gesture::DragPoint { .. } | super::canvas::Gesture::ResizeStage { .. }
        ) {
            self.session.editor.hold();
        }
        self.session.editor.end_frame();
    }

    /// Applies the commands queued since the last drain (one undo step each), then runs an
    /// action that waited for them (a save pressed while typing saves the card typed). The
    /// one place a frame changes the map from the queue: the canvas calls it before layout.
    pub(crate) fn apply_queued(&mut self) {
        if self
            .session
            .workshop
            .as_ref()
            .is_some_and(super::workshop::Workshop::read_only)
            && self.session.has_queued()
        {
            drop(self.session.take_queued());
            self.dialogs.status =
                Some("The facilitator has locked the map: nothing was changed".into());
        }
        self.drain_queue();
        self.workshop_step();
        if let Some(action) = self.session.after_drain.take()
            && let Some(ctx) = self.egui_ctx.clone()
        {
            self.refresh();
            self.run(&ctx, action);
            self.drain_queue();
        }
    }

    fn drain_queue(&mut self) {
        for q in self.session.take_queued() {
            if let Some(why) = self
                .session
                .workshop
                .as_ref()
                .and_then(|w| w.refuses(self.session.editor.doc(), &q.cmd))
            {
                self.dialogs.status = Some(format!("{why}: nothing was changed"));
                continue;
            }
            match self
                .session
                .editor
                .apply_command(crate::edit::Origin::Local, &q.cmd)
            {
                Ok(new_ids) => {
                    if let Some(w) = &mut self.session.workshop {
                        w.note_mine(&new_ids);
                    }
                    if let Some(mut t) = q.toast {
                        t.undo_rev = Some(self.session.editor.revision());
                        self.dialogs.toasts.push_toast(t);
                    }
                    if let Some(then) = q.then {
                        then(&mut self.canvas, &new_ids);
                    }
                }
                Err(e) => self.dialogs.status = Some(format!("Not done: {e}")),
            }
        }
    }
}
