//! The workshop's own state in the shared document, beside the map (none of it is part of
//! the map file): who wrote each card, each participant's role, the private brainstorm.
//!
//! - `workshop` (root map): `timer_ends` (Unix ms), `vote` (the open round), `brainstorm`
//!   (the open private round's id). Written by the facilitator only.
//! - `authors`: card id → the participant who wrote it (`laptop-…`, `phone-…`). Written by
//!   the hub only, when it takes a card in.
//! - `private`: card id → the private round it was written in. Written by the hub only.
//! - `roles`: participant → `"contributor"` or `"editor"` (laptops are editors unless the
//!   facilitator says otherwise). Written by the facilitator only.
//!
//! A card written during an open private round is shown only to its author (and kept by
//! the hub, which sees everything) until the facilitator reveals the round: closing it shows
//! every card of it at once, on every screen, in one change.

use std::collections::{BTreeMap, HashSet};

use loro::{LoroDoc, LoroValue, ValueOrContainer};

/// The root map of the session's own state.
pub const WORKSHOP: &str = "workshop";
/// In [`WORKSHOP`]: the open private round's id.
pub const BRAINSTORM: &str = "brainstorm";
/// Who wrote each card.
pub const AUTHORS: &str = "authors";
/// Which private round each card was written in.
pub const PRIVATE: &str = "private";
/// Each participant's role, where the facilitator set one.
pub const ROLES: &str = "roles";
/// What the map file held when the session last knew it (`saved`: a hash of its JSON), so
/// that a session resumed from its history tells a file changed by hand from one merely
/// older than the history. Written by the hub only.
pub const FILES: &str = "files";

/// A map's fingerprint as its file would hold it (FNV-1a of the file's JSON, hex).
#[must_use]
pub fn file_hash(map: &crate::model::Document) -> String {
    let h = crate::io::to_json_string(map)
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    format!("{h:016x}")
}

/// The fingerprint of the map file as the session last knew it.
#[must_use]
pub fn saved_hash(doc: &LoroDoc) -> Option<String> {
    match doc.get_map(FILES).get("saved") {
        Some(ValueOrContainer::Value(LoroValue::String(s))) => Some(s.to_string()),
        _ => None,
    }
}

/// Notes the map file's fingerprint (the hub's edit; commit after).
///
/// # Errors
/// Loro's.
pub fn note_saved(doc: &LoroDoc, hash: &str) -> Result<(), loro::LoroError> {
    if saved_hash(doc).as_deref() == Some(hash) {
        return Ok(());
    }
    doc.get_map(FILES).insert("saved", hash)
}

/// What a participant may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// Everything, with lock, kick, timer, voting rounds and the end of the session.
    Facilitator,
    /// Every edit of the map (a laptop's default).
    Editor,
    /// Add cards, change and delete their own, vote (a phone's, and a laptop's the
    /// facilitator made one).
    Contributor,
}

impl Role {
    /// As the window says it.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Role::Facilitator => "facilitator",
            Role::Editor => "editor",
            Role::Contributor => "contributor",
        }
    }
}

/// The open private round, if one is open.
#[must_use]
pub fn brainstorm(doc: &LoroDoc) -> Option<i64> {
    match doc.get_map(WORKSHOP).get(BRAINSTORM) {
        Some(ValueOrContainer::Value(LoroValue::I64(r))) => Some(r),
        _ => None,
    }
}

/// A flat root map of id → string, read.
fn strings(doc: &LoroDoc, root: &str) -> BTreeMap<u64, String> {
    let mut out = BTreeMap::new();
    doc.get_map(root).for_each(|k, v| {
        if let (Ok(id), ValueOrContainer::Value(LoroValue::String(s))) = (k.parse::<u64>(), v) {
            out.insert(id, s.to_string());
        }
    });
    out
}

/// Who wrote which card.
#[must_use]
pub fn authors(doc: &LoroDoc) -> BTreeMap<u64, String> {
    strings(doc, AUTHORS)
}

/// Who wrote a card, if the hub noted it.
#[must_use]
pub fn author_of(doc: &LoroDoc, card: u64) -> Option<String> {
    match doc.get_map(AUTHORS).get(&card.to_string()) {
        Some(ValueOrContainer::Value(LoroValue::String(s))) => Some(s.to_string()),
        _ => None,
    }
}

/// The cards of the open private round that `viewer` did not write: not shown to them.
/// `None` sees everything (the hub, which keeps and saves every card).
#[must_use]
pub fn hidden(doc: &LoroDoc, viewer: Option<&str>) -> HashSet<u64> {
    let mut out = HashSet::new();
    let (Some(viewer), Some(round)) = (viewer, brainstorm(doc)) else {
        return out;
    };
    let authors = doc.get_map(AUTHORS);
    doc.get_map(PRIVATE).for_each(|k, v| {
        if let (Ok(id), ValueOrContainer::Value(LoroValue::I64(r))) = (k.parse::<u64>(), v)
            && r == round
        {
            let mine = matches!(
                authors.get(k),
                Some(ValueOrContainer::Value(LoroValue::String(s))) if s.as_str() == viewer
            );
            if !mine {
                out.insert(id);
            }
        }
    });
    out
}

/// How many cards the open private round holds so far, and from how many people.
#[must_use]
pub fn private_count(doc: &LoroDoc) -> (usize, usize) {
    let Some(round) = brainstorm(doc) else {
        return (0, 0);
    };
    // Shown every frame while a round is open: only the round's cards are looked at.
    let mut cards = 0;
    let mut people = HashSet::new();
    doc.get_map(PRIVATE).for_each(|k, v| {
        if let (Ok(id), ValueOrContainer::Value(LoroValue::I64(r))) = (k.parse::<u64>(), v)
            && r == round
        {
            cards += 1;
            people.insert(author_of(doc, id).unwrap_or_default());
        }
    });
    (cards, people.len())
}

/// A participant's role: the facilitator's own connection is the facilitator; others are
/// what the facilitator set, else their default (phones contribute, laptops edit).
#[must_use]
pub fn role_of(doc: &LoroDoc, who: &str, host: bool) -> Role {
    if host {
        return Role::Facilitator;
    }
    match doc.get_map(ROLES).get(who) {
        Some(ValueOrContainer::Value(LoroValue::String(s))) if s.as_str() == "contributor" => {
            Role::Contributor
        }
        Some(ValueOrContainer::Value(LoroValue::String(s))) if s.as_str() == "editor" => {
            Role::Editor
        }
        _ if who.starts_with("phone-") => Role::Contributor,
        _ => Role::Editor,
    }
}

/// Sets a participant's role (the facilitator's edit; commit after).
///
/// # Errors
/// Loro's.
pub fn set_role(doc: &LoroDoc, who: &str, role: Role) -> Result<(), loro::LoroError> {
    let m = doc.get_map(ROLES);
    match role {
        Role::Contributor => m.insert(who, "contributor"),
        Role::Editor | Role::Facilitator => m.insert(who, "editor"),
    }
}

/// Opens a private round (`Some(id)`, a fresh id) or reveals the open one (`None`): every
/// card of it shows at once (the facilitator's edit; commit after).
///
/// # Errors
/// Loro's.
pub fn set_brainstorm(doc: &LoroDoc, round: Option<i64>) -> Result<(), loro::LoroError> {
    let m = doc.get_map(WORKSHOP);
    match round {
        Some(r) => m.insert(BRAINSTORM, r),
        None => m.delete(BRAINSTORM),
    }
}

/// Notes who wrote cards the hub took in, and the open private round they belong to (the
/// hub's edit; commit after).
///
/// # Errors
/// Loro's.
pub fn note_authors(doc: &LoroDoc, cards: &[u64], who: &str) -> Result<(), loro::LoroError> {
    let round = brainstorm(doc);
    let authors = doc.get_map(AUTHORS);
    let private = doc.get_map(PRIVATE);
    for id in cards {
        let k = id.to_string();
        // A card keeps its first author (a card put back by an undo is still theirs).
        if authors.get(&k).is_none() {
            authors.insert(&k, who)?;
        }
        if let Some(r) = round
            && private.get(&k).is_none()
        {
            private.insert(&k, r)?;
        }
    }
    Ok(())
}
