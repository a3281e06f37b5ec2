//! Keeping an [`Editor`] and a [`Replica`] in step: once a frame (or whenever bytes arrive),
//! the local user's applied ops go into the shared document and other people's changes come
//! out of it as ops with a peer origin.

use super::{Replica, SyncError};
use crate::edit::{Editor, Origin};

/// The origin of changes that came from other replicas (undo never reverts them).
pub const REMOTE: Origin = Origin::Peer(0);

/// Writes the editor's local edits since the last call into the replica. Returns whether the
/// shared document changed (there is an update to send).
///
/// # Errors
/// Loro's.
pub fn push_local(editor: &mut Editor, replica: &mut Replica) -> Result<bool, SyncError> {
    let local: Vec<_> = editor
        .take_done()
        .into_iter()
        .filter(|(o, _)| !matches!(o, Origin::Peer(_)))
        .map(|(_, op)| op)
        .collect();
    if local.is_empty() {
        return Ok(false);
    }
    replica.write_ops(editor.doc(), &local)
}

/// Applies what other replicas changed (already imported into the replica) to the editor's
/// map, with the [`REMOTE`] origin, after writing any local edits not yet written (so none
/// is lost). Returns whether local edits changed the shared document, and how many remote
/// ops were applied; an op the editor refuses is left out (see [`apply_remote`]).
///
/// # Errors
/// Loro's.
pub fn pull_remote(editor: &mut Editor, replica: &mut Replica) -> Result<(bool, usize), SyncError> {
    let wrote = push_local(editor, replica)?;
    let (ops, again) = replica.take_ops(editor.doc());
    let applied = apply_remote(editor, replica, ops, again);
    Ok((wrote, applied.len()))
}

/// Applies ops [`Replica::take_ops`] gave (with the [`REMOTE`] origin); returns those the
/// editor took. An op can be refused where the shared state needs two steps in another order
/// (an emotion lane that replaces another), and a persona put back in its place needs the
/// cards that named it: then the whole map is compared again.
pub fn apply_remote(
    editor: &mut Editor,
    replica: &mut Replica,
    mut ops: Vec<crate::edit::Op>,
    mut again: bool,
) -> Vec<crate::edit::Op> {
    let mut applied = Vec::new();
    for _ in 0..3 {
        for op in ops {
            match editor.apply_ops(REMOTE, vec![op.clone()]) {
                Ok(_) => applied.push(op),
                Err(_) => again = true,
            }
        }
        if !again {
            break;
        }
        (ops, again) = replica.settle_ops(editor.doc());
    }
    // What the editor recorded of them is not ours to send back.
    drop(editor.take_done());
    applied
}
