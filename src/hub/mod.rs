//! The workshop hub: a WebSocket server (tokio + axum) on its own thread holding the
//! session's own replica. Clients (laptops, and the facilitator's own canvas) join with the
//! session token; each sends its changes, the hub imports them and passes them on to everyone
//! else. A client that was away says what it has and gets what it lacks.
//!
//! Strangers and bad input: no token or a wrong one is refused before the WebSocket opens;
//! more than [`MAX_CLIENTS`] at once are refused; a message over 1 MB, an unknown kind, bytes
//! Loro cannot read — each gets an error sent to that client only, and the hub goes on
//! serving the others.

pub mod client;
pub mod code;
mod laptop;
pub mod live;
mod people;
mod phone;
pub mod proto;
pub mod room;
pub mod vote;

pub use people::clean_name;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::{broadcast, oneshot};

use crate::model::Document;
use crate::sync::Replica;

/// Most clients connected at once (a room of 30 with laptops, phones and spares).
pub const MAX_CLIENTS: usize = 256;
/// How often the hub writes the map and its `.loro` sidecar when something changed.
pub const SAVE_EVERY: Duration = Duration::from_secs(2);

/// What stops a hub from starting.
#[derive(Debug, thiserror::Error)]
pub enum HubError {
    /// The address could not be bound (in use, not this machine's).
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// Where.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The runtime or a thread could not be started.
    #[error("cannot start the hub: {0}")]
    Start(std::io::Error),
    /// The shared document could not be made.
    #[error(transparent)]
    Sync(#[from] crate::sync::SyncError),
    /// The machine gave no randomness for the token.
    #[error("no randomness for the session token: {0}")]
    Random(String),
    /// A join address that cannot be read.
    #[error("not a workshop address: {0}")]
    Url(String),
}

/// A fresh random session token (128 bits, hex).
///
/// # Errors
/// The machine's randomness failing.
pub fn new_token() -> Result<String, HubError> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| HubError::Random(e.to_string()))?;
    Ok(b.iter().fold(String::with_capacity(32), |mut s, x| {
        use std::fmt::Write;
        let _ = write!(s, "{x:02x}");
        s
    }))
}

/// This machine's address on the local network (the one a route to the outside would
/// use; no packet is sent), or loopback when there is no network.
#[must_use]
pub fn lan_address() -> std::net::IpAddr {
    std::net::UdpSocket::bind("0.0.0.0:0")
        .and_then(|s| {
            s.connect("192.0.2.1:9")?;
            s.local_addr()
        })
        .map_or(std::net::IpAddr::from([127, 0, 0, 1]), |a| a.ip())
}

/// A random Loro peer id (each replica needs its own).
#[must_use]
pub fn new_peer() -> u64 {
    getrandom::u64().unwrap_or_else(|_| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(7, |d| d.as_nanos() as u64)
    }) & ((1 << 53) - 1)
}

struct Shared {
    room: Mutex<room::Room>,
    /// Bumped after every change: phones are sent the map again.
    changed: tokio::sync::watch::Sender<u64>,
    token: String,
    /// The facilitator's own client shows this beside the token (never shown to anyone).
    host_token: String,
    /// Read-only for everyone but the facilitator.
    locked: AtomicBool,
    updates: broadcast::Sender<(u64, Arc<Vec<u8>>)>,
    next_client: AtomicU64,
    /// Each connected client's last presence (by connection).
    presences: Mutex<std::collections::BTreeMap<u64, proto::Presence>>,
    clients: AtomicUsize,
    dirty: AtomicBool,
    /// Participants the facilitator removed (for the rest of the session).
    removed: Mutex<std::collections::HashSet<String>>,
    /// Tells every connection who was just removed.
    kicks: broadcast::Sender<String>,
    /// Wrong room codes this minute (since when, how many).
    wrong_codes: Mutex<(std::time::Instant, u32)>,
    /// The hub is stopping (threads of its own end).
    stopping: AtomicBool,
}

/// Where the hub keeps the session: the map's JSON file and its `.loro` sidecar.
#[derive(Clone, Debug)]
pub struct Files {
    /// The map (none when the facilitator's app saves it, as when hosting from the window).
    pub json: Option<PathBuf>,
    /// The session's shared history.
    pub sidecar: PathBuf,
    /// The session token, kept (readable by its owner only) so that a restarted hub takes
    /// back the same join address.
    pub token: PathBuf,
}

impl Files {
    /// The files for a map at `json` (the sidecar beside it: `MAP.json.loro`).
    #[must_use]
    pub fn beside(json: PathBuf) -> Self {
        let with = |ext: &str| {
            let mut p = json.clone().into_os_string();
            p.push(ext);
            PathBuf::from(p)
        };
        Self {
            sidecar: with(".loro"),
            token: with(".token"),
            json: Some(json),
        }
    }
}

/// A running hub. Dropping it stops the server (and writes the files once more).
pub struct Hub {
    shared: Arc<Shared>,
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl Hub {
    /// Starts a hub for `map` on `bind` (port 0: any free port). With `files`, it resumes
    /// the session's history from the sidecar when there is one (with `map` written on top,
    /// so changes made to the file since are kept) and keeps both files up to date.
    ///
    /// # Errors
    /// The address taken, no runtime, no randomness.
    pub fn start(map: &Document, bind: SocketAddr, files: Option<Files>) -> Result<Self, HubError> {
        // Resume the session's history from its sidecar. The history may be newer than the
        // file (participants' cards the facilitator never saved, a crash): then it is kept.
        // A file changed since the session last knew it (by hand, an older version put back)
        // is the truth: its changes are written on top.
        let hash = crate::sync::session::file_hash(map);
        let replica = match files.as_ref().and_then(|f| std::fs::read(&f.sidecar).ok()) {
            Some(bytes) => match Replica::from_bytes(&bytes, new_peer()) {
                Ok(mut r) => {
                    if crate::sync::session::saved_hash(r.loro()).as_deref() != Some(&hash) {
                        r.write_all(map)?;
                    }
                    r.forget_changes();
                    r
                }
                Err(_) => Replica::from_document(map, new_peer())?,
            },
            None => Replica::from_document(map, new_peer())?,
        };
        crate::sync::session::note_saved(replica.loro(), &hash)
            .map_err(crate::sync::SyncError::from)?;
        replica.loro().commit();
        let (updates, _) = broadcast::channel(1024);
        let (changed, _) = tokio::sync::watch::channel(0);
        let shared = Arc::new(Shared {
            room: Mutex::new(room::Room::new(replica)),
            changed,
            token: match &files {
                Some(f) => kept_token(&f.token)?,
                None => new_token()?,
            },
            host_token: new_token()?,
            locked: AtomicBool::new(false),
            updates,
            next_client: AtomicU64::new(1),
            presences: Mutex::new(std::collections::BTreeMap::new()),
            clients: AtomicUsize::new(0),
            dirty: AtomicBool::new(files.is_some()),
            removed: Mutex::new(std::collections::HashSet::new()),
            kicks: broadcast::channel(64).0,
            wrong_codes: Mutex::new((std::time::Instant::now(), 0)),
            stopping: AtomicBool::new(false),
        });
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .map_err(HubError::Start)?;
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind(bind))
            .map_err(|source| HubError::Bind { addr: bind, source })?;
        let addr = listener.local_addr().map_err(HubError::Start)?;
        let (stop, stopped) = oneshot::channel::<()>();
        let app = axum::Router::new()
            .route("/ws", axum::routing::get(laptop::upgrade))
            .route("/", axum::routing::get(phone::page))
            .route("/phone", axum::routing::get(phone::upgrade))
            .route("/code/{code}", axum::routing::get(code::exchange))
            .with_state(Arc::clone(&shared));
        let saver = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("journeymap-hub".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let saving = async {
                        loop {
                            tokio::time::sleep(SAVE_EVERY).await;
                            if let Some(f) = &files {
                                save(&saver, f);
                            }
                        }
                    };
                    let serve = axum::serve(listener, app).with_graceful_shutdown(async {
                        let _ = stopped.await;
                    });
                    tokio::select! {
                        _ = serve => {}
                        () = saving => {}
                    }
                    if let Some(f) = &files {
                        save(&saver, f);
                    }
                });
            })
            .map_err(HubError::Start)?;
        Ok(Self {
            shared,
            addr,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// Where it listens.
    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The session token.
    #[must_use]
    pub fn token(&self) -> &str {
        &self.shared.token
    }

    /// The address a participant joins with, for a host name or IP the room can reach.
    #[must_use]
    pub fn join_url(&self, host: &str) -> String {
        format!(
            "http://{host}:{}/?token={}",
            self.addr.port(),
            self.shared.token
        )
    }

    /// The address the facilitator's own canvas joins with (on this machine): it may lock
    /// the map and end the session.
    #[must_use]
    pub fn host_url(&self) -> String {
        format!(
            "http://127.0.0.1:{}/?token={}&host={}",
            self.addr.port(),
            self.shared.token,
            self.shared.host_token
        )
    }

    /// The room code (shown `K7Q-X42`), traded for the token by people who type it.
    #[must_use]
    pub fn room_code(&self) -> String {
        code::of_token(&self.shared.token)
    }

    /// Answers laptops on the local network that look for this room by its code, on UDP
    /// `port` ([`code::DISCOVERY_PORT`] but in tests), until the hub stops.
    ///
    /// # Errors
    /// The port taken (another hub on this machine answers there).
    pub fn answer_room_code(&self, port: u16) -> Result<(), HubError> {
        code::answer(Arc::clone(&self.shared), port, self.addr)
    }

    /// How many clients are connected.
    #[must_use]
    pub fn clients(&self) -> usize {
        self.shared.clients.load(Ordering::Relaxed)
    }

    /// The map as the hub has it.
    #[must_use]
    pub fn document(&self) -> Document {
        self.shared
            .room
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .doc()
            .clone()
    }

    /// The facilitator's app saved the map file: the session notes what the file holds, so
    /// that a restart from it keeps the newer history (see [`Hub::start`]).
    pub fn note_saved(&self, map: &Document) {
        let hash = crate::sync::session::file_hash(map);
        self.session_edit(|doc| crate::sync::session::note_saved(doc, &hash).map(|()| true));
    }

    /// Reveals an open private brainstorm in the hub's own copy (the facilitator stops
    /// hosting: nobody's cards stay hidden in the files).
    pub fn reveal_brainstorm(&self) {
        self.session_edit(|doc| {
            let open = crate::sync::session::brainstorm(doc).is_some();
            if open {
                crate::sync::session::set_brainstorm(doc, None)?;
            }
            Ok(open)
        });
    }

    /// A change of the hub's own to the session's state in its copy: committed, and the
    /// files written at the next save, when `edit` says it changed something.
    fn session_edit(&self, edit: impl FnOnce(&loro::LoroDoc) -> Result<bool, loro::LoroError>) {
        let room = self
            .shared
            .room
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let doc = room.replica().loro();
        if edit(doc).unwrap_or(false) {
            doc.commit();
            self.shared.dirty.store(true, Ordering::Release);
        }
    }

    /// Stops the server and waits for it (the files are written once more).
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.shared.stopping.store(true, Ordering::Release);
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Writes the map and the sidecar if anything changed since the last time.
fn save(shared: &Shared, files: &Files) {
    if !shared.dirty.swap(false, Ordering::AcqRel) {
        return;
    }
    let (doc, snapshot) = {
        let r = shared.room.lock().unwrap_or_else(PoisonError::into_inner);
        // What the file will hold, noted in the history written beside it.
        if files.json.is_some() {
            let doc = r.replica().loro();
            if crate::sync::session::note_saved(doc, &crate::sync::session::file_hash(r.doc()))
                .is_ok()
            {
                doc.commit();
            }
        }
        (r.doc().clone(), r.replica().snapshot())
    };
    like_the_map(&files.sidecar);
    let ok = files
        .json
        .as_ref()
        .is_none_or(|j| crate::io::save_atomic(j, &doc).is_ok())
        && snapshot.is_ok_and(|s| crate::io::write_atomic(&files.sidecar, &s).is_ok());
    if !ok {
        // Try again next time.
        shared.dirty.store(true, Ordering::Release);
    }
}

/// A new sidecar is made with the map's own permissions (it holds the same content), so a
/// private map does not get a world-readable copy beside it.
fn like_the_map(sidecar: &std::path::Path) {
    if sidecar.exists() {
        return;
    }
    let map = sidecar.with_extension("");
    let Ok(meta) = std::fs::metadata(&map) else {
        return;
    };
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(
        &mut o,
        std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o777,
    );
    #[cfg(not(unix))]
    let _ = meta;
    let _ = o.open(sidecar);
}

/// The token kept in `path`, or a new one written there (owner-only).
fn kept_token(path: &std::path::Path) -> Result<String, HubError> {
    if let Ok(t) = std::fs::read_to_string(path) {
        let t = t.trim();
        if t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(t.to_string());
        }
    }
    let t = new_token()?;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    // Unwritable: the session runs with this token; a restart gets a new one.
    if let Ok(mut f) = o.open(path) {
        let _ = std::io::Write::write_all(&mut f, t.as_bytes());
    }
    Ok(t)
}

/// Constant-time comparison, so the token cannot be guessed byte by byte from timing.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}
