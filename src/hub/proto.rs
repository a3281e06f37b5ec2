//! The hub's wire protocol (WebSocket, binary frames; see `docs/collab.md`).
//!
//! Every binary frame is one kind byte and its body:
//! - `HELLO` + a Loro version vector: "this is what I have". A client sends it first (and on
//!   every reconnect); the hub answers with an `UPDATE` of what the client lacks and a
//!   `HELLO` of its own, so the client can send what the hub lacks (edits made offline).
//! - `UPDATE` + Loro update bytes: changes. A client sends its own; the hub imports them into
//!   its replica and passes them to every other client.
//!
//! Text frames from the hub are errors meant for that client only (`{"error": "…"}`).

use loro::VersionVector;

/// "This is what I have": a version vector follows.
pub const HELLO: u8 = 1;
/// Changes: Loro update bytes follow.
pub const UPDATE: u8 = 2;
/// Where someone is: JSON ([`Presence`]) follows. Not kept in the map; the hub passes it on
/// and tells newcomers who is there.
pub const PRESENCE: u8 = 3;
/// The facilitator's say: JSON follows. From the host's own client `{"lock": bool}` or
/// `{"end": true}`; from the hub to everyone `{"locked": bool}` or `{"ended": true}`.
pub const CONTROL: u8 = 4;
/// The largest message either side accepts.
pub const MAX_MESSAGE: usize = 1 << 20;

/// A message as it travels.
#[must_use]
pub fn frame(kind: u8, body: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(body.len() + 1);
    v.push(kind);
    v.extend_from_slice(body);
    v
}

/// A hello carrying a version vector.
#[must_use]
pub fn hello(version: &VersionVector) -> Vec<u8> {
    frame(HELLO, &version.encode())
}

/// Who someone is and what they have selected, shown on everyone else's canvas.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Presence {
    /// Their replica's peer id (a phone's: a number made from its participant id).
    pub peer: u64,
    /// The participant (`laptop-…`, `phone-…`), as the hub knows them: set by the hub
    /// whatever the sender says, so the facilitator's role and remove act on the right one.
    #[serde(default)]
    pub id: String,
    /// Their name.
    #[serde(default)]
    pub name: String,
    /// The cards they have selected.
    #[serde(default)]
    pub cards: Vec<u64>,
    /// The card they are typing in.
    #[serde(default)]
    pub typing: Option<u64>,
    /// They left.
    #[serde(default)]
    pub gone: bool,
}

/// A control message.
#[must_use]
pub fn control(v: &serde_json::Value) -> Vec<u8> {
    frame(CONTROL, v.to_string().as_bytes())
}

/// A presence message.
#[must_use]
pub fn presence(p: &Presence) -> Vec<u8> {
    frame(
        PRESENCE,
        serde_json::to_string(p).unwrap_or_default().as_bytes(),
    )
}

/// A message read: its kind and body.
#[derive(Debug)]
pub enum Message<'a> {
    /// Where someone is.
    Presence(Presence),
    /// The facilitator's say.
    Control(serde_json::Value),
    /// What the other side has.
    Hello(VersionVector),
    /// Changes.
    Update(&'a [u8]),
}

/// Reads a binary frame.
///
/// # Errors
/// A sentence saying what is wrong with it.
pub fn read(bytes: &[u8]) -> Result<Message<'_>, String> {
    match bytes.split_first() {
        None => Err("an empty message".into()),
        Some((&HELLO, body)) => VersionVector::decode(body)
            .map(Message::Hello)
            .map_err(|e| format!("a hello whose version cannot be read ({e})")),
        Some((&UPDATE, body)) => Ok(Message::Update(body)),
        Some((&CONTROL, body)) => serde_json::from_slice(body)
            .map(Message::Control)
            .map_err(|e| format!("a control message that cannot be read ({e})")),
        Some((&PRESENCE, body)) => serde_json::from_slice(body)
            .map(Message::Presence)
            .map_err(|e| format!("a presence that cannot be read ({e})")),
        Some((k, _)) => Err(format!("a message of unknown kind {k}")),
    }
}

/// An error message for one client.
#[must_use]
pub fn error(text: &str) -> String {
    serde_json::json!({ "error": text }).to_string()
}
