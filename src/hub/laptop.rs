//! Laptops (and the facilitator's own canvas) on the hub: `GET /ws?token=T&client=C`
//! upgrades to a WebSocket speaking the binary protocol of [`super::proto`]. Each update is
//! taken only if its sender may make it ([`super::room::Room::import`]); the facilitator's
//! own connection (with the host token) may lock, end, kick and set roles.

use std::sync::atomic::Ordering;
use std::sync::{Arc, PoisonError};

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use futures_util::{SinkExt, StreamExt};

use super::{MAX_CLIENTS, Shared, proto, room, same};

pub(super) async fn upgrade(
    State(shared): State<Arc<Shared>>,
    Query(q): Query<std::collections::HashMap<String, String>>,
    ws: WebSocketUpgrade,
) -> Response {
    if !q.get("token").is_some_and(|t| same(t, &shared.token)) {
        return (StatusCode::FORBIDDEN, "missing or wrong session token\n").into_response();
    }
    if shared.clients.load(Ordering::Relaxed) >= MAX_CLIENTS {
        return (StatusCode::SERVICE_UNAVAILABLE, "the workshop is full\n").into_response();
    }
    let host = q.get("host").is_some_and(|h| same(h, &shared.host_token));
    let me = shared.next_client.fetch_add(1, Ordering::Relaxed);
    // A laptop names itself (its cards stay its own when it reconnects); one that does not
    // is known by its connection.
    let who = room::Who {
        id: match q.get("client").filter(|c| valid_client(c)) {
            Some(c) => format!("laptop-{c}"),
            None => format!("laptop-c{me}"),
        },
        host,
    };
    if super::people::removed(&shared, &who.id) {
        return (
            StatusCode::FORBIDDEN,
            format!("{}\n", super::people::REMOVED),
        )
            .into_response();
    }
    ws.max_message_size(proto::MAX_MESSAGE)
        .max_frame_size(proto::MAX_MESSAGE)
        .on_upgrade(move |socket| serve_client(shared, socket, who, me))
}

/// Whether a participant id a client made up is usable (letters and digits, 1–32).
pub(super) fn valid_client(c: &str) -> bool {
    (1..=32).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_alphanumeric())
}

async fn serve_client(shared: Arc<Shared>, socket: WebSocket, who: room::Who, me: u64) {
    shared.clients.fetch_add(1, Ordering::Relaxed);
    let mut others = shared.updates.subscribe();
    let mut kicks = shared.kicks.subscribe();
    let (mut tx, mut rx) = socket.split();
    loop {
        tokio::select! {
            msg = rx.next() => {
                let Some(Ok(msg)) = msg else { break };
                let replies = match msg {
                    Message::Binary(b) => handle(&shared, me, &who, &b),
                    Message::Text(_) => vec![Message::Text(
                        proto::error("text messages are not part of this protocol").into(),
                    )],
                    Message::Close(_) => break,
                    Message::Ping(_) | Message::Pong(_) => Vec::new(),
                };
                for r in replies {
                    if tx.send(r).await.is_err() {
                        break;
                    }
                }
            }
            kicked = kicks.recv() => {
                if kicked.is_ok_and(|k| k == who.id) {
                    let bye = proto::control(&serde_json::json!({ "removed": true }));
                    let _ = tx.send(Message::Binary(bye.into())).await;
                    let _ = tx.send(Message::Close(None)).await;
                    break;
                }
            }
            got = others.recv() => match got {
                Ok((from, bytes)) if from != me => {
                    if tx.send(Message::Binary(bytes.to_vec().into())).await.is_err() {
                        break;
                    }
                }
                Ok(_) => {}
                // Too slow to keep up: it reconnects and catches up by its version.
                Err(_) => break,
            }
        }
    }
    shared.clients.fetch_sub(1, Ordering::Relaxed);
    super::people::leave(&shared, me);
}

/// One binary message from client `me`: the replies to it.
fn handle(shared: &Shared, me: u64, who: &room::Who, bytes: &[u8]) -> Vec<Message> {
    let host = who.host;
    let err = |t: String| vec![Message::Text(proto::error(&t).into())];
    match proto::read(bytes) {
        Err(e) => err(format!("refused {e}")),
        Ok(proto::Message::Hello(v)) => {
            let room = shared.room.lock().unwrap_or_else(PoisonError::into_inner);
            let r = room.replica();
            match r.updates_since(&v) {
                Ok(u) => {
                    let locked = shared.locked.load(Ordering::Acquire);
                    let mut out = vec![
                        Message::Binary(proto::frame(proto::UPDATE, &u).into()),
                        Message::Binary(proto::hello(&r.version()).into()),
                        Message::Binary(
                            proto::control(&serde_json::json!({ "locked": locked })).into(),
                        ),
                    ];
                    // Who is there already.
                    let presences = shared
                        .presences
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner);
                    for (c, p) in presences.iter() {
                        if *c != me {
                            out.push(Message::Binary(proto::presence(p).into()));
                        }
                    }
                    out
                }
                Err(e) => err(format!("cannot answer the hello: {e}")),
            }
        }
        Ok(proto::Message::Presence(p)) => {
            super::people::arrive(shared, me, &who.id, p);
            Vec::new()
        }
        Ok(proto::Message::Control(v)) => {
            if !host {
                return err(
                    "only the facilitator can lock the map, remove someone or end the session"
                        .into(),
                );
            }
            if let Some(id) = v.get("remove").and_then(serde_json::Value::as_str) {
                super::people::remove(shared, id);
                return Vec::new();
            }
            let say = if let Some(lock) = v.get("lock").and_then(serde_json::Value::as_bool) {
                shared.locked.store(lock, Ordering::Release);
                // Phones are sent the map again, which says so.
                shared.changed.send_modify(|r| *r += 1);
                serde_json::json!({ "locked": lock })
            } else if v.get("end").and_then(serde_json::Value::as_bool) == Some(true) {
                serde_json::json!({ "ended": true })
            } else {
                return err(format!("refused an unknown control message {v}"));
            };
            let _ = shared.updates.send((0, Arc::new(proto::control(&say))));
            Vec::new()
        }
        Ok(proto::Message::Update(_)) if !host && shared.locked.load(Ordering::Acquire) => {
            err("the facilitator has locked the map: your change was not taken".into())
        }
        Ok(proto::Message::Update(u)) => {
            let imported = {
                let mut room = shared.room.lock().unwrap_or_else(PoisonError::into_inner);
                room.import(u, who).map(|i| (i, room.revision))
            };
            let (imported, rev) = match imported {
                Ok(i) => i,
                Err(e) => return err(format!("refused an update that cannot be read: {e}")),
            };
            shared.dirty.store(true, Ordering::Release);
            shared.changed.send_replace(rev);
            let everyone = |u: Vec<u8>| {
                let _ = shared
                    .updates
                    .send((0, Arc::new(proto::frame(proto::UPDATE, &u))));
            };
            match imported {
                room::Imported::Taken(None) => {
                    let _ = shared.updates.send((me, Arc::new(bytes.to_vec())));
                    Vec::new()
                }
                room::Imported::Taken(Some(all)) => {
                    everyone(all);
                    Vec::new()
                }
                room::Imported::Refused(all, why) => {
                    everyone(all);
                    err(why)
                }
            }
        }
    }
}
