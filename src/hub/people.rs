//! Who is in the room: each connection's presence (laptops say theirs; the hub makes one
//! for each phone), and the people the facilitator removed, who cannot come back in this
//! session.

use std::sync::{Arc, PoisonError};

use super::{Shared, proto};

/// A stable number for a participant id (phones have no peer id of their own).
#[must_use]
pub fn number_of(id: &str) -> u64 {
    // FNV-1a, kept within JavaScript's safe integers like peer ids.
    id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    }) & ((1 << 53) - 1)
}

/// A participant's name as everyone sees it: no control characters, at most 40 characters
/// (the hub keeps to it whatever a client sends; the window keeps to it as it is typed).
#[must_use]
pub fn clean_name(name: &str) -> String {
    name.chars().filter(|c| !c.is_control()).take(40).collect()
}

/// Notes connection `conn`'s presence (with the participant id the hub knows it by, not
/// one it claims) and tells everyone else.
pub fn arrive(shared: &Shared, conn: u64, id: &str, mut p: proto::Presence) {
    p.gone = false;
    p.id = id.to_string();
    p.name = clean_name(&p.name);
    p.cards.truncate(1000);
    shared
        .presences
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(conn, p.clone());
    let _ = shared.updates.send((conn, Arc::new(proto::presence(&p))));
}

/// Connection `conn` left: everyone else stops showing it.
pub fn leave(shared: &Shared, conn: u64) {
    let left = shared
        .presences
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .remove(&conn);
    if let Some(mut p) = left {
        p.gone = true;
        let _ = shared.updates.send((conn, Arc::new(proto::presence(&p))));
    }
}

/// Whether the facilitator removed this participant.
pub fn removed(shared: &Shared, id: &str) -> bool {
    shared
        .removed
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .contains(id)
}

/// Removes a participant for the rest of the session: their connections close (they keep
/// their copy) and they cannot join again with this address.
pub fn remove(shared: &Shared, id: &str) {
    shared
        .removed
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(id.to_string());
    let _ = shared.kicks.send(id.to_string());
}

/// What a removed participant is told (and answered when they try again).
pub const REMOVED: &str = "the facilitator removed you from this workshop";
