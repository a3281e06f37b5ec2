//! A client's connection to a hub, on its own thread: it connects, says what it has,
//! passes updates both ways through channels the UI thread drains once a frame, and when
//! the network drops it keeps trying, catching up by version when it is back. Nothing here
//! blocks the UI thread.

use std::sync::mpsc;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use loro::VersionVector;
use tokio_tungstenite::tungstenite::Message;

use super::{HubError, proto};

/// What the connection reports.
#[derive(Debug)]
pub enum Event {
    /// Connected (again).
    Connected,
    /// The connection dropped or could not be made; it keeps trying.
    Offline(String),
    /// Changes from the hub, to import.
    Update(Vec<u8>),
    /// The hub has this: send it what it lacks.
    Want(VersionVector),
    /// The hub refused something of ours.
    Refused(String),
    /// Where someone else is.
    Presence(proto::Presence),
    /// The facilitator's say (`{"locked": bool}`, `{"ended": true}`).
    Control(serde_json::Value),
}

/// Called from the connection's thread whenever something arrived (the UI wakes up to
/// take it instead of polling).
pub type Waker = Arc<dyn Fn() + Send + Sync>;

/// A connection to a hub (see the module).
pub struct Client {
    out: tokio::sync::mpsc::UnboundedSender<Vec<u8>>,
    events: mpsc::Receiver<Event>,
    version: Arc<Mutex<VersionVector>>,
    waker: Arc<Mutex<Option<Waker>>>,
    _thread: std::thread::JoinHandle<()>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").finish_non_exhaustive()
    }
}

/// The WebSocket address for a join address: `http://host:port/?token=T` (what the hub
/// shows), `ws://…/ws?token=T`, or `host:port/?token=T`.
///
/// # Errors
/// An address without a host or token.
pub fn ws_url(join: &str) -> Result<String, HubError> {
    let join = join.trim();
    let rest = join
        .strip_prefix("http://")
        .or_else(|| join.strip_prefix("ws://"))
        .unwrap_or(join);
    let (host, query) = rest
        .split_once('?')
        .ok_or_else(|| HubError::Url(format!("{join:?} has no session token")))?;
    let host = host.trim_end_matches('/').trim_end_matches("/ws");
    let token = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("token="))
        .filter(|t| !t.is_empty() && t.chars().all(|c| c.is_ascii_alphanumeric()))
        .ok_or_else(|| HubError::Url(format!("{join:?} has no session token")))?;
    if host.is_empty() || host.contains('/') {
        return Err(HubError::Url(format!("{join:?} has no host")));
    }
    let own = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("host="))
        .filter(|t| !t.is_empty() && t.chars().all(|c| c.is_ascii_alphanumeric()));
    Ok(match own {
        Some(h) => format!("ws://{host}/ws?token={token}&host={h}"),
        None => format!("ws://{host}/ws?token={token}"),
    })
}

impl Client {
    /// Connects (in the background) to the hub at a join address as participant `me`
    /// (letters and digits), saying it has `version`.
    ///
    /// # Errors
    /// An address that cannot be read, or no thread.
    pub fn connect(join: &str, me: &str, version: VersionVector) -> Result<Self, HubError> {
        let url = format!("{}&client={me}", ws_url(join)?);
        let (out, mut out_rx) = tokio::sync::mpsc::unbounded_channel::<Vec<u8>>();
        let (events_tx, events) = mpsc::channel();
        let version = Arc::new(Mutex::new(version));
        let have = Arc::clone(&version);
        let waker: Arc<Mutex<Option<Waker>>> = Arc::new(Mutex::new(None));
        let wake = Arc::clone(&waker);
        let thread = std::thread::Builder::new()
            .name("journeymap-client".into())
            .spawn(move || {
                let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                else {
                    let _ = events_tx.send(Event::Offline("no network runtime".into()));
                    return;
                };
                let events = Events {
                    tx: events_tx,
                    wake,
                };
                rt.block_on(run(url, &mut out_rx, &events, &have));
            })
            .map_err(HubError::Start)?;
        Ok(Self {
            out,
            events,
            version,
            waker,
            _thread: thread,
        })
    }

    /// Wakes the UI (`wake` is called from the connection's thread) whenever something
    /// arrives.
    pub fn wake_with(&self, wake: Waker) {
        *self.waker.lock().unwrap_or_else(PoisonError::into_inner) = Some(wake);
    }

    /// Sends our changes (dropped while offline: the next hello catches the hub up).
    pub fn send_update(&self, update: &[u8]) {
        let _ = self.out.send(proto::frame(proto::UPDATE, update));
    }

    /// The facilitator's say (only the host's own client is heard).
    pub fn send_control(&self, v: &serde_json::Value) {
        let _ = self.out.send(proto::control(v));
    }

    /// Where we are (selection, typing), for everyone else's canvas.
    pub fn send_presence(&self, p: &proto::Presence) {
        let _ = self.out.send(proto::presence(p));
    }

    /// What we have now (said again on every reconnect).
    pub fn set_version(&self, v: VersionVector) {
        *self.version.lock().unwrap_or_else(PoisonError::into_inner) = v;
    }

    /// What happened since the last call.
    pub fn events(&self) -> impl Iterator<Item = Event> + '_ {
        self.events.try_iter()
    }

    /// Waits up to `timeout` for the next event (tests, and a join that waits for the map).
    #[must_use]
    pub fn wait_event(&self, timeout: Duration) -> Option<Event> {
        self.events.recv_timeout(timeout).ok()
    }
}

/// The events channel, and who to wake when one is sent.
struct Events {
    tx: mpsc::Sender<Event>,
    wake: Arc<Mutex<Option<Waker>>>,
}

impl Events {
    fn send(&self, e: Event) -> Result<(), mpsc::SendError<Event>> {
        self.tx.send(e)?;
        let wake = self
            .wake
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        if let Some(w) = wake {
            w();
        }
        Ok(())
    }
}

async fn run(
    url: String,
    out: &mut tokio::sync::mpsc::UnboundedReceiver<Vec<u8>>,
    events: &Events,
    have: &Mutex<VersionVector>,
) {
    let mut backoff = Duration::from_millis(100);
    loop {
        let config = tokio_tungstenite::tungstenite::protocol::WebSocketConfig::default()
            .max_message_size(Some(proto::MAX_MESSAGE * 64))
            .max_frame_size(Some(proto::MAX_MESSAGE * 64));
        let connect = tokio_tungstenite::connect_async_with_config(&url, Some(config), false);
        match tokio::time::timeout(Duration::from_secs(5), connect).await {
            Ok(Ok((ws, _))) => {
                backoff = Duration::from_millis(100);
                if events.send(Event::Connected).is_err() {
                    return;
                }
                let why = session(ws, out, events, have).await;
                if events.send(Event::Offline(why)).is_err() {
                    return;
                }
            }
            Ok(Err(e)) => {
                if events.send(Event::Offline(e.to_string())).is_err() {
                    return;
                }
            }
            Err(_) => {
                if events.send(Event::Offline("timed out".into())).is_err() {
                    return;
                }
            }
        }
        // Offline: what the UI sends meanwhile is in its replica; the next hello catches up.
        while out.try_recv().is_ok() {}
        if out.is_closed() {
            return;
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(2));
    }
}

/// One connection's life; returns why it ended.
async fn session(
    ws: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
    out: &mut tokio::sync::mpsc::UnboundedReceiver<Vec<u8>>,
    events: &Events,
    have: &Mutex<VersionVector>,
) -> String {
    let (mut tx, mut rx) = ws.split();
    let hello = proto::hello(&have.lock().unwrap_or_else(PoisonError::into_inner));
    if let Err(e) = tx.send(Message::Binary(hello.into())).await {
        return e.to_string();
    }
    loop {
        tokio::select! {
            msg = out.recv() => {
                let Some(bytes) = msg else { return "closed".into() };
                if let Err(e) = tx.send(Message::Binary(bytes.into())).await {
                    return e.to_string();
                }
            }
            msg = rx.next() => {
                let ev = match msg {
                    None => return "the hub closed the connection".into(),
                    Some(Err(e)) => return e.to_string(),
                    Some(Ok(Message::Binary(b))) => match proto::read(&b) {
                        Ok(proto::Message::Hello(v)) => Event::Want(v),
                        Ok(proto::Message::Update(u)) => Event::Update(u.to_vec()),
                        Ok(proto::Message::Presence(p)) => Event::Presence(p),
                        Ok(proto::Message::Control(v)) => Event::Control(v),
                        Err(e) => Event::Refused(format!("the hub sent {e}")),
                    },
                    Some(Ok(Message::Text(t))) => Event::Refused(
                        serde_json::from_str::<serde_json::Value>(&t)
                            .ok()
                            .and_then(|v| v.get("error")?.as_str().map(str::to_string))
                            .unwrap_or_else(|| t.to_string()),
                    ),
                    Some(Ok(Message::Close(_))) => return "the hub ended the session".into(),
                    Some(Ok(_)) => continue,
                };
                if events.send(ev).is_err() {
                    return "closed".into();
                }
            }
        }
    }
}
