//! A live session on this machine: the editor's map, its replica and the connection to the
//! hub, kept in step by [`Live::step`] once a frame (the facilitator's canvas is a client of
//! its own hub like any other, so other people's edits never enter her undo).

use std::time::{Duration, Instant};

use loro::VersionVector;

use super::client::{Client, Event};
use super::proto::Presence;
use super::{HubError, new_peer};
use crate::edit::{Editor, Op};
use crate::sync::peer::{apply_remote, pull_remote, push_local};
use crate::sync::session::{self, Role};
use crate::sync::{Replica, SyncError};

pub use crate::sync::session::WORKSHOP;
/// When the countdown ends (Unix time, ms).
pub const TIMER_ENDS: &str = "timer_ends";

/// The countdown's end in a shared document, if one runs.
#[must_use]
pub fn timer_of(doc: &loro::LoroDoc) -> Option<i64> {
    match doc.get_map(WORKSHOP).get(TIMER_ENDS) {
        Some(loro::ValueOrContainer::Value(loro::LoroValue::I64(t))) => Some(t),
        _ => None,
    }
}

/// Now, in Unix milliseconds.
#[must_use]
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// How a session ended for this laptop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended {
    /// The facilitator ended it for everyone.
    ForEveryone,
    /// The facilitator removed this laptop.
    Removed,
}

/// Whether the session's connection is up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Link {
    /// Connecting for the first time.
    Connecting,
    /// Connected.
    Online,
    /// Lost; trying again (edits are kept and sent when back).
    Offline(String),
}

/// A live session (see the module).
#[derive(Debug)]
pub struct Live {
    /// We are the facilitator's own client.
    host: bool,
    /// Who we are (`laptop-` and our peer id).
    me_id: String,
    /// Cards added here (ours before the hub has noted it).
    mine: std::collections::HashSet<u64>,
    replica: Replica,
    client: Client,
    sent: VersionVector,
    link: Link,
    /// The last refusal the hub sent us, to show.
    pub refused: Option<String>,
    /// Where everyone else is, by peer id.
    others: std::collections::BTreeMap<u64, Presence>,
    /// What we last said of ourselves.
    me: Option<Presence>,
    /// The facilitator has locked the map for everyone else.
    pub locked: bool,
    /// The session is over for us (the facilitator ended it, or removed us).
    pub ended: Option<Ended>,
    /// We opened or revealed a private round: compare the whole map at the next step (our
    /// own change to the shared document shows or hides cards here too).
    reveal_pending: bool,
    /// The open voting round and its dots, read again only when the shared document changed
    /// (the canvas and the window show them every frame).
    vote: Option<(super::vote::Round, super::vote::Tally)>,
    /// The version `vote` was read at.
    vote_at: VersionVector,
}

/// What one step did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Step {
    /// Remote ops applied to the editor's map.
    pub applied: usize,
    /// Whether our own changes went out.
    pub sent: bool,
}

impl Live {
    /// Joins the hub at a join address and waits (up to `timeout`) for its map. Returns the
    /// session and the map to edit.
    ///
    /// # Errors
    /// A bad address, the hub unreachable or refusing us, or its map unreadable.
    pub fn join(join: &str, timeout: Duration) -> Result<(Self, crate::model::Document), HubError> {
        let peer = new_peer();
        let mut replica = Replica::new(peer)?;
        // Who we are to the hub: our cards, role and dots go by it; an open private round's
        // cards show here only if they are ours.
        let me = format!("laptop-{peer}");
        replica.set_viewer(Some(me.clone()));
        let client = Client::connect(join, &peer.to_string(), replica.version())?;
        let mut live = Self {
            host: join.contains("host="),
            me_id: me,
            mine: std::collections::HashSet::new(),
            replica,
            client,
            sent: VersionVector::default(),
            link: Link::Connecting,
            refused: None,
            others: std::collections::BTreeMap::new(),
            me: None,
            locked: false,
            ended: None,
            reveal_pending: false,
            vote: None,
            vote_at: VersionVector::default(),
        };
        let until = Instant::now() + timeout;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            match live.client.wait_event(left) {
                Some(Event::Update(u)) => {
                    live.replica.import(&u)?;
                    live.replica.forget_changes();
                    live.replica.index_cards();
                    live.sent = live.replica.version();
                    live.client.set_version(live.sent.clone());
                    live.link = Link::Online;
                    live.refresh_vote();
                    let doc = live.replica.document();
                    return Ok((live, doc));
                }
                Some(Event::Offline(why)) => live.link = Link::Offline(why),
                Some(Event::Refused(why)) => return Err(HubError::Url(why)),
                Some(Event::Presence(p)) => live.note_presence(p),
                Some(Event::Control(v)) => live.note_control(&v),
                Some(Event::Connected | Event::Want(_)) => {}
                None => {
                    let why = match &live.link {
                        Link::Offline(w) => w.clone(),
                        _ => "no answer".into(),
                    };
                    return Err(HubError::Url(format!("could not join: {why}")));
                }
            }
        }
    }

    /// An editor for the map [`Live::join`] returned, recording what it applies so that
    /// [`Live::step`] can send it.
    #[must_use]
    pub fn editor(doc: crate::model::Document) -> Editor {
        let mut e = Editor::new(doc);
        e.record_done(true);
        e
    }

    /// Wakes the UI whenever something arrives (called from the connection's thread).
    pub fn wake_with(&self, wake: super::client::Waker) {
        self.client.wake_with(wake);
    }

    /// The connection's state.
    #[must_use]
    pub fn link(&self) -> &Link {
        &self.link
    }

    /// The replica.
    #[must_use]
    pub fn replica(&self) -> &Replica {
        &self.replica
    }

    /// The replica, to compare a map with it.
    pub fn replica_mut(&mut self) -> &mut Replica {
        &mut self.replica
    }

    /// Sends the editor's local edits, takes what arrived and applies it to the editor.
    ///
    /// # Errors
    /// Loro's (the shared document refused a write).
    pub fn step(&mut self, editor: &mut Editor) -> Result<Step, SyncError> {
        let mut step = Step::default();
        // Ours first, so nothing local is overtaken by what arrives.
        if push_local(editor, &mut self.replica)? {
            self.send_ours()?;
            step.sent = true;
        }
        let mut imported = false;
        let events: Vec<Event> = self.client.events().collect();
        for e in events {
            match e {
                Event::Connected => {
                    self.link = Link::Online;
                    // The hub forgot us while we were away.
                    if let Some(p) = &self.me {
                        self.client.send_presence(p);
                    }
                }
                Event::Presence(p) => self.note_presence(p),
                Event::Control(v) => self.note_control(&v),
                Event::Offline(why) => self.link = Link::Offline(why),
                Event::Refused(why) => self.refused = Some(why),
                Event::Update(u) => match self.replica.import(&u) {
                    Ok(()) => imported = true,
                    Err(e) => self.refused = Some(format!("an update from the hub: {e}")),
                },
                Event::Want(v) => {
                    let u = self.replica.updates_since(&v)?;
                    self.client.send_update(&u);
                }
            }
        }
        if imported {
            let (wrote, applied) = pull_remote(editor, &mut self.replica)?;
            step.applied = applied;
            if wrote {
                self.send_ours()?;
                step.sent = true;
            }
            // What arrived need not go back.
            self.sent = self.replica.version();
        }
        if std::mem::take(&mut self.reveal_pending) {
            let (ops, again) = self.replica.settle_ops(editor.doc());
            step.applied += apply_remote(editor, &mut self.replica, ops, again).len();
        }
        self.client.set_version(self.replica.version());
        self.refresh_vote();
        Ok(step)
    }

    fn note_control(&mut self, v: &serde_json::Value) {
        if let Some(l) = v.get("locked").and_then(serde_json::Value::as_bool) {
            self.locked = l;
        }
        if v.get("ended").and_then(serde_json::Value::as_bool) == Some(true) {
            self.ended = Some(Ended::ForEveryone);
        }
        if v.get("removed").and_then(serde_json::Value::as_bool) == Some(true) {
            self.ended = Some(Ended::Removed);
        }
    }

    /// Locks the map for everyone else, or unlocks it (heard only from the facilitator's own
    /// client).
    pub fn set_locked(&mut self, lock: bool) {
        self.client
            .send_control(&serde_json::json!({ "lock": lock }));
    }

    /// Removes a participant for the rest of the session (the facilitator's).
    pub fn remove(&mut self, who: &str) {
        self.client
            .send_control(&serde_json::json!({ "remove": who }));
    }

    /// Sets a participant's role (the facilitator's edit, sent at once).
    ///
    /// # Errors
    /// Loro's.
    pub fn set_role(&mut self, who: &str, role: Role) -> Result<(), SyncError> {
        session::set_role(self.replica.loro(), who, role)?;
        self.replica.loro().commit();
        self.send_ours()
    }

    /// Opens a private brainstorm (new cards show only to their author) or reveals it
    /// (every card of it shows at once): the facilitator's edit, sent at once. The editor's
    /// map is brought in line at the next step.
    ///
    /// # Errors
    /// Loro's.
    pub fn set_brainstorm(&mut self, open: bool) -> Result<(), SyncError> {
        let round = open.then(|| now_ms().max(1));
        session::set_brainstorm(self.replica.loro(), round)?;
        self.replica.loro().commit();
        self.reveal_pending = true;
        self.send_ours()
    }

    /// The open private brainstorm's cards so far, and from how many people, if one is open.
    #[must_use]
    pub fn brainstorm(&self) -> Option<(usize, usize)> {
        session::brainstorm(self.replica.loro())
            .map(|_| session::private_count(self.replica.loro()))
    }

    /// Ends the session for everyone (they keep their copies).
    pub fn end_session(&mut self) {
        self.client
            .send_control(&serde_json::json!({ "end": true }));
    }

    fn note_presence(&mut self, p: Presence) {
        if p.peer == self.replica.loro().peer_id() {
            return;
        }
        if p.gone {
            self.others.remove(&p.peer);
        } else {
            self.others.insert(p.peer, p);
        }
    }

    /// Everyone else in the session: names, selections, what they type in.
    pub fn others(&self) -> impl Iterator<Item = &Presence> {
        self.others.values()
    }

    /// Says who we are and what we have selected (sent only when it changed).
    pub fn set_presence(&mut self, name: &str, cards: Vec<u64>, typing: Option<u64>) {
        let p = Presence {
            peer: self.replica.loro().peer_id(),
            id: self.me_id.clone(),
            name: name.to_string(),
            cards,
            typing,
            gone: false,
        };
        if self.me.as_ref() != Some(&p) {
            self.client.send_presence(&p);
            self.me = Some(p);
        }
    }

    /// When the workshop's countdown ends (Unix time, ms), if one runs.
    #[must_use]
    pub fn timer(&self) -> Option<i64> {
        timer_of(self.replica.loro())
    }

    /// Starts a countdown that ends at `ends_ms` (Unix time, ms) on every screen, or stops it.
    ///
    /// # Errors
    /// Loro's.
    pub fn set_timer(&mut self, ends_ms: Option<i64>) -> Result<(), SyncError> {
        let doc = self.replica.loro();
        let m = doc.get_map(WORKSHOP);
        match ends_ms {
            Some(t) => m.insert(TIMER_ENDS, t)?,
            None => m.delete(TIMER_ENDS)?,
        }
        doc.commit();
        self.send_ours()
    }

    /// The open dot-voting round and its dots so far.
    #[must_use]
    pub fn vote(&self) -> Option<&(super::vote::Round, super::vote::Tally)> {
        self.vote.as_ref()
    }

    fn refresh_vote(&mut self) {
        let now = self.replica.version();
        if now == self.vote_at {
            return;
        }
        let doc = self.replica.loro();
        self.vote = super::vote::round(doc).map(|r| {
            let t = super::vote::tally(doc, &r);
            (r, t)
        });
        self.vote_at = now;
    }

    /// What we may do here (the facilitator sets each laptop's role).
    #[must_use]
    pub fn role(&self) -> Role {
        session::role_of(self.replica.loro(), &self.me_id, self.host)
    }

    /// Notes cards added here: ours (before the hub noted it, or while offline).
    pub fn note_mine(&mut self, ids: &[u64]) {
        self.mine.extend(ids);
    }

    /// Why we may not make a change, if we may not: a contributor adds cards and changes
    /// only their own (the hub would undo anything else).
    #[must_use]
    pub fn refuses(
        &self,
        doc: &crate::model::Document,
        cmd: &crate::edit::Command,
    ) -> Option<String> {
        if self.role() != Role::Contributor {
            return None;
        }
        let no = || Some("As a contributor you add cards and change only your own".to_string());
        if let crate::edit::Command::Batch(cs) = cmd {
            return cs.iter().find_map(|c| self.refuses(doc, c));
        }
        let Ok(ops) = crate::edit::lower(doc, cmd) else {
            return None;
        };
        let own = |id: &crate::model::CardId| {
            self.mine.contains(&id.0)
                || session::author_of(self.replica.loro(), id.0).is_some_and(|a| a == self.me_id)
        };
        let fine = ops.iter().all(|op| match op {
            Op::InsertCards(_) => true,
            Op::SetCard(id, _) => own(id),
            Op::RemoveCards(ids) => ids.iter().all(own),
            Op::PlaceCards(ps) => ps.iter().all(|(id, _)| own(id)),
            _ => false,
        });
        if fine { None } else { no() }
    }

    /// Who this laptop is to the hub (its cards, role and votes).
    #[must_use]
    pub fn voter(&self) -> String {
        self.me_id.clone()
    }

    /// Puts one of our dots on a card, or takes one back.
    ///
    /// # Errors
    /// A sentence for the user (see [`super::vote::cast`]).
    pub fn cast(
        &mut self,
        map: &crate::model::Document,
        card: u64,
        add: bool,
    ) -> Result<(), String> {
        let voter = self.voter();
        super::vote::cast(self.replica.loro(), map, &voter, card, add)?;
        self.send_ours().map_err(|e| e.to_string())
    }

    /// Opens a dot-voting round (the facilitator).
    ///
    /// # Errors
    /// Loro's.
    pub fn open_vote(&mut self, dots: u32, lanes: Vec<u64>) -> Result<(), SyncError> {
        super::vote::open(self.replica.loro(), dots, lanes)?;
        self.send_ours()
    }

    /// Closes the round, writing each card's dots into the map as its "Dot votes" metric (an
    /// edit of the facilitator's, sent with the next step).
    ///
    /// # Errors
    /// The editor refusing the ops, or Loro's.
    pub fn close_vote(&mut self, editor: &mut Editor) -> Result<(), String> {
        if let Some((_, t)) = self.vote() {
            let ops = super::vote::metric_ops(editor.doc(), t);
            if !ops.is_empty() {
                editor
                    .apply_ops(crate::edit::Origin::Local, ops)
                    .map_err(|e| e.to_string())?;
            }
        }
        super::vote::close(self.replica.loro()).map_err(|e| e.to_string())?;
        self.send_ours().map_err(|e| e.to_string())
    }

    fn send_ours(&mut self) -> Result<(), SyncError> {
        let u = self.replica.updates_since(&self.sent)?;
        self.client.send_update(&u);
        self.sent = self.replica.version();
        self.refresh_vote();
        Ok(())
    }
}
