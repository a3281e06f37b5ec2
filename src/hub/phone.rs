//! Phones join in the browser: the hub serves a small page at the join address (embedded in
//! the binary, plain HTML/JS, no build step) that speaks JSON over a WebSocket. The hub
//! turns what a phone asks for into ordinary ops on its own editor and passes the change to
//! every laptop as an update; each phone is sent the map again after every change.
//!
//! A phone is a contributor: it adds cards, and edits and deletes only the cards it wrote
//! (the hub records who wrote each card in the shared document, so this holds after a
//! restart). Messages (JSON, one object each):
//! - to the hub: `{"type":"add","stage":ID,"lane":ID,"text":"…"}`,
//!   `{"type":"edit","card":ID,"text":"…"}`, `{"type":"delete","card":ID}`;
//! - from the hub: `{"type":"map",…}` (title, stages, lanes that hold cards, cards with
//!   `mine`), `{"type":"added","card":ID}`, `{"type":"error","error":"…"}`.

use std::sync::atomic::Ordering;
use std::sync::{Arc, PoisonError};
use std::time::Duration;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};

use super::Shared;
use crate::edit::{CardField, Op};
use crate::model::{Card, CardId, Document, LaneId, StageId, limits};

/// The page (HTML, CSS and JS in one file).
const PAGE: &str = include_str!("../../assets/phone.html");
/// The largest message a phone may send.
const MAX_PHONE_MESSAGE: usize = 64 * 1024;

/// `GET /`: the phone page (it holds no data; the map comes over the WebSocket with the
/// token from the address).
pub(super) async fn page() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        PAGE,
    )
        .into_response()
}

/// A phone as a participant (its cards, votes, role), apart from laptops (`laptop-…`).
fn phone_id(client: &str) -> String {
    format!("phone-{client}")
}

/// `GET /phone?token=T&client=C`: a phone's WebSocket.
pub(super) async fn upgrade(
    State(shared): State<Arc<Shared>>,
    Query(q): Query<std::collections::HashMap<String, String>>,
    ws: WebSocketUpgrade,
) -> Response {
    if !q
        .get("token")
        .is_some_and(|t| super::same(t, &shared.token))
    {
        return (StatusCode::FORBIDDEN, "missing or wrong session token\n").into_response();
    }
    let Some(client) = q
        .get("client")
        .filter(|c| super::laptop::valid_client(c))
        .map(|c| phone_id(c))
    else {
        return (StatusCode::BAD_REQUEST, "missing or bad participant id\n").into_response();
    };
    if shared.clients.load(Ordering::Relaxed) >= super::MAX_CLIENTS {
        return (StatusCode::SERVICE_UNAVAILABLE, "the workshop is full\n").into_response();
    }
    if super::people::removed(&shared, &client) {
        return (
            StatusCode::FORBIDDEN,
            format!("{}\n", super::people::REMOVED),
        )
            .into_response();
    }
    ws.max_message_size(MAX_PHONE_MESSAGE)
        .max_frame_size(MAX_PHONE_MESSAGE)
        .on_upgrade(move |socket| serve_phone(shared, socket, client))
}

/// The map as a phone shows it.
/// The map as a phone shows it: the cards of an open private round only if they are its
/// own.
fn map_json(doc: &Document, shared: &loro::LoroDoc, locked: bool, me: &str) -> String {
    let authors = crate::sync::session::authors(shared);
    let hidden = crate::sync::session::hidden(shared, Some(me));
    let vote = super::vote::round(shared).map(|r| {
        let t = super::vote::tally(shared, &r);
        (r, t)
    });
    let lanes: Vec<Value> = doc
        .lanes
        .iter()
        .filter(|l| l.kind.holds_cards() && !l.hidden)
        .map(|l| json!({"id": l.id.0, "name": l.name, "kind": l.kind}))
        .collect();
    let voter = me;
    let vote = vote.map(|(r, t)| {
        let counts: serde_json::Map<String, Value> = t
            .cards
            .iter()
            .map(|(c, n)| (c.to_string(), json!(n)))
            .collect();
        let mine: serde_json::Map<String, Value> = t
            .by_voter
            .get(voter)
            .into_iter()
            .flatten()
            .map(|(c, n)| (c.to_string(), json!(n)))
            .collect();
        json!({
            "dots": r.dots, "lanes": r.lanes, "left": r.dots.saturating_sub(t.used(voter)),
            "counts": counts, "mine": mine,
        })
    });
    let cards: Vec<Value> = doc
        .cards
        .iter()
        .filter(|c| !hidden.contains(&c.id.0))
        .map(|c| {
            json!({
                "id": c.id.0, "stage": c.stage.0, "lane": c.lane.0, "text": c.text,
                "mine": authors.get(&c.id.0).is_some_and(|a| a == me),
            })
        })
        .collect();
    json!({
        "type": "map",
        "now": super::live::now_ms(),
        "timer_ends": super::live::timer_of(shared),
        "brainstorm": crate::sync::session::brainstorm(shared).is_some(),
        "locked": locked,
        "vote": vote,
        "title": doc.title,
        "stages": doc.stages.iter().map(|s| json!({"id": s.id.0, "name": s.name})).collect::<Vec<_>>(),
        "lanes": lanes,
        "cards": cards,
    })
    .to_string()
}

fn error(text: &str) -> Message {
    Message::Text(json!({"type": "error", "error": text}).to_string().into())
}

async fn serve_phone(shared: Arc<Shared>, socket: WebSocket, client: String) {
    shared.clients.fetch_add(1, Ordering::Relaxed);
    let conn = shared.next_client.fetch_add(1, Ordering::Relaxed);
    // Everyone sees the phone among who is here (named once the phone says its name).
    let presence = |name: String| super::proto::Presence {
        peer: super::people::number_of(&client),
        name,
        ..Default::default()
    };
    let short: String = client
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    super::people::arrive(&shared, conn, &client, presence(format!("Phone {short}")));
    let mut kicks = shared.kicks.subscribe();
    let mut changed = shared.changed.subscribe();
    let (mut tx, mut rx) = socket.split();
    let map = |shared: &Shared| {
        let room = shared.room.lock().unwrap_or_else(PoisonError::into_inner);
        let locked = shared.locked.load(Ordering::Acquire);
        map_json(room.doc(), room.replica().loro(), locked, &client)
    };
    // After a change the map is sent once the burst is over (at most 100 ms later), without
    // keeping the phone's own messages waiting meanwhile.
    let mut send_at: Option<tokio::time::Instant> = None;
    if tx.send(Message::Text(map(&shared).into())).await.is_ok() {
        loop {
            let due = async {
                match send_at {
                    Some(t) => tokio::time::sleep_until(t).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                msg = rx.next() => {
                    let Some(Ok(msg)) = msg else { break };
                    let reply = match msg {
                        Message::Text(t) => match named(&t) {
                            Some(name) => {
                                super::people::arrive(&shared, conn, &client, presence(name));
                                None
                            }
                            None => handle(&shared, &client, &t),
                        },
                        Message::Binary(_) => Some(error("send JSON text messages")),
                        Message::Close(_) => break,
                        Message::Ping(_) | Message::Pong(_) => None,
                    };
                    if let Some(r) = reply
                        && tx.send(r).await.is_err()
                    {
                        break;
                    }
                }
                kicked = kicks.recv() => {
                    if kicked.is_ok_and(|k| k == client) {
                        let _ = tx.send(error(super::people::REMOVED)).await;
                        let _ = tx.send(Message::Close(None)).await;
                        break;
                    }
                }
                got = changed.changed() => {
                    if got.is_err() {
                        break;
                    }
                    changed.mark_unchanged();
                    send_at.get_or_insert_with(|| tokio::time::Instant::now() + Duration::from_millis(100));
                }
                () = due => {
                    send_at = None;
                    if tx.send(Message::Text(map(&shared).into())).await.is_err() {
                        break;
                    }
                }
            }
        }
    }
    shared.clients.fetch_sub(1, Ordering::Relaxed);
    super::people::leave(&shared, conn);
}

/// A phone saying its name (`{"type":"name","name":"…"}`), shown to everyone.
fn named(text: &str) -> Option<String> {
    let v: Value = serde_json::from_str(text).ok()?;
    if v.get("type")?.as_str()? != "name" {
        return None;
    }
    let name = v.get("name")?.as_str()?.trim();
    (!name.is_empty()).then(|| name.to_string())
}

/// One message from a phone: what to answer (none when all went well: the new map follows).
fn handle(shared: &Shared, client: &str, text: &str) -> Option<Message> {
    let v: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return Some(error(&format!("not JSON: {e}"))),
    };
    let id = |k: &str| v.get(k).and_then(Value::as_u64);
    let words = || -> Result<String, String> {
        let t = v
            .get("text")
            .and_then(Value::as_str)
            .ok_or("a card needs its text")?
            .trim();
        if t.is_empty() {
            return Err("a card needs its text".into());
        }
        if t.chars().count() > limits::MAX_TEXT {
            return Err(format!(
                "a card's text has at most {} characters",
                limits::MAX_TEXT
            ));
        }
        Ok(t.to_string())
    };
    if shared.locked.load(Ordering::Acquire) {
        return Some(error("the facilitator has locked the map for now"));
    }
    let mut room = shared.room.lock().unwrap_or_else(PoisonError::into_inner);
    let own = |room: &super::room::Room, card: u64| -> Result<(), String> {
        if room.doc().card(CardId(card)).is_none() {
            return Err(format!("there is no card {card}"));
        }
        if crate::sync::session::author_of(room.replica().loro(), card).is_none_or(|a| a != client)
        {
            return Err("you can change only the cards you wrote".into());
        }
        Ok(())
    };
    let result: Result<(Vec<u8>, Option<u64>), String> = match v.get("type").and_then(Value::as_str)
    {
        Some("add") => (|| {
            let (stage, lane) = (
                StageId(id("stage").ok_or("which stage?")?),
                LaneId(id("lane").ok_or("which lane?")?),
            );
            let ok = room.doc().stage(stage).is_some()
                && room.doc().lane(lane).is_some_and(|l| l.kind.holds_cards());
            if !ok {
                return Err("that stage or lane is not on the map (any more)".to_string());
            }
            let card = Card::new(CardId(0), stage, lane, words()?);
            let (update, ids) =
                room.apply(vec![Op::InsertCards(vec![Arc::new(card)])], Some(client))?;
            let new = ids.first().copied().ok_or("the card was not added")?;
            Ok((update, Some(new)))
        })(),
        Some("edit") => (|| {
            let card = id("card").ok_or("which card?")?;
            own(&room, card)?;
            let text = words()?;
            room.apply(vec![Op::SetCard(CardId(card), CardField::Text(text))], None)
                .map(|(u, _)| (u, None))
        })(),
        Some("delete") => (|| {
            let card = id("card").ok_or("which card?")?;
            own(&room, card)?;
            room.apply(vec![Op::RemoveCards(vec![CardId(card)])], None)
                .map(|(u, _)| (u, None))
        })(),
        Some("vote") => (|| {
            let card = id("card").ok_or("which card?")?;
            let add = v.get("add").and_then(Value::as_bool).unwrap_or(true);
            room.cast(client, card, add).map(|u| (u, None))
        })(),
        Some(other) => Err(format!("unknown message type {other:?}")),
        None => Err("a message needs a type".into()),
    };
    let rev = room.revision;
    drop(room);
    match result {
        Ok((update, added)) => {
            shared.dirty.store(true, Ordering::Release);
            let _ = shared.updates.send((
                0,
                Arc::new(super::proto::frame(super::proto::UPDATE, &update)),
            ));
            shared.changed.send_replace(rev);
            added.map(|id| Message::Text(json!({"type": "added", "card": id}).to_string().into()))
        }
        Err(e) => Some(error(&e)),
    }
}
