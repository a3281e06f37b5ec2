//! The room code: six characters a person can read off a projector and type
//! (`K7Q-X42`), in place of the 32-character session token.
//!
//! The code is made from the token (so a hub restarted on the same file keeps both) and is
//! traded for it: a phone's page asks `GET /code/K7QX42` of the address it was given; a
//! laptop with only the code asks the local network (a UDP broadcast to port
//! [`DISCOVERY_PORT`]) and the hub that has that code answers with its port and token. A code
//! has ≈30 bits, so wrong guesses are limited: after [`MAX_WRONG`] wrong codes in a minute,
//! the hub answers no code until the minute is over (a guesser needs decades; the token in
//! the address or QR code still works meanwhile).

use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::Ordering;
use std::sync::{Arc, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{HubError, Shared};

/// The letters a code is made of: no 0/O, 1/I/L, which people mix up.
const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Its length.
const LEN: usize = 6;
/// The UDP port hubs listen on for laptops that have only the code.
pub const DISCOVERY_PORT: u16 = 7117;
/// Wrong codes the hub takes in a minute before it answers none for the rest of it.
pub const MAX_WRONG: u32 = 30;
const ASK: &str = "journeymap-find ";
const ANSWER: &str = "journeymap-here ";

/// The room code of a session token (upper case, no dash).
#[must_use]
pub fn of_token(token: &str) -> String {
    // FNV-1a of the token, written in the code's alphabet.
    let mut h = token.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let n = ALPHABET.len() as u64;
    (0..LEN)
        .map(|_| {
            let c = ALPHABET[(h % n) as usize] as char;
            h /= n;
            c
        })
        .collect()
}

/// A code as it is shown: `K7Q-X42`.
#[must_use]
pub fn shown(code: &str) -> String {
    let (a, b) = code.split_at(code.len() / 2);
    format!("{a}-{b}")
}

/// What a person typed, as a code: letters upper-cased, dashes and spaces dropped; `None`
/// when it cannot be one.
#[must_use]
pub fn read(typed: &str) -> Option<String> {
    let c: String = typed
        .chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (c.len() == LEN && c.bytes().all(|b| ALPHABET.contains(&b))).then_some(c)
}

/// Why a code was not traded for the token.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// Not this room's code.
    Wrong,
    /// Too many wrong codes this minute.
    TooMany,
}

/// Checks a code against this room's, counting wrong ones.
pub(super) fn check(shared: &Shared, typed: &str) -> Result<(), Refused> {
    let mut w = shared
        .wrong_codes
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if w.0.elapsed() > Duration::from_secs(60) {
        *w = (Instant::now(), 0);
    }
    if w.1 >= MAX_WRONG {
        return Err(Refused::TooMany);
    }
    if read(typed).is_some_and(|c| super::same(&c, &of_token(&shared.token))) {
        Ok(())
    } else {
        w.1 += 1;
        Err(Refused::Wrong)
    }
}

/// `GET /code/CODE`: the token, for a page that was given the address and the code.
pub(super) async fn exchange(
    State(shared): State<Arc<Shared>>,
    Path(code): Path<String>,
) -> Response {
    match check(&shared, &code) {
        Ok(()) => (
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            serde_json::json!({ "token": shared.token }).to_string(),
        )
            .into_response(),
        Err(Refused::Wrong) => {
            (StatusCode::NOT_FOUND, "not this workshop's room code\n").into_response()
        }
        Err(Refused::TooMany) => (
            StatusCode::TOO_MANY_REQUESTS,
            "too many wrong room codes: wait a minute, or use the address with its token\n",
        )
            .into_response(),
    }
}

/// Answers laptops that ask the local network for a room code, on its own thread until
/// the hub stops.
pub(super) fn answer(shared: Arc<Shared>, port: u16, web: SocketAddr) -> Result<(), HubError> {
    let addr = SocketAddr::from(([0, 0, 0, 0], port));
    let socket = UdpSocket::bind(addr).map_err(|source| HubError::Bind { addr, source })?;
    socket
        .set_read_timeout(Some(Duration::from_millis(250)))
        .map_err(HubError::Start)?;
    std::thread::Builder::new()
        .name("journeymap-code".into())
        .spawn(move || {
            let mut buf = [0u8; 64];
            while !shared.stopping.load(Ordering::Acquire) {
                let Ok((n, from)) = socket.recv_from(&mut buf) else {
                    continue;
                };
                let asked = std::str::from_utf8(&buf[..n])
                    .ok()
                    .and_then(|s| s.strip_prefix(ASK));
                if let Some(code) = asked
                    && check(&shared, code).is_ok()
                {
                    // A hub bound to one address says which (else the asker uses the one the
                    // answer came from).
                    let mut reply = format!("{ANSWER}{} {}", web.port(), shared.token);
                    if !web.ip().is_unspecified() {
                        reply = format!("{reply} {}", web.ip());
                    }
                    let _ = socket.send_to(reply.as_bytes(), from);
                }
            }
        })
        .map_err(HubError::Start)?;
    Ok(())
}

/// A join address from what a person typed: an address with its token as it is; an
/// address and a code (`192.168.1.20:7117 K7Q-X42`) traded at that hub; a code alone
/// found on the local network (asking on `port`, [`DISCOVERY_PORT`] but in tests).
///
/// # Errors
/// A code no hub answers to, a hub that refuses it, an address that cannot be reached.
pub fn resolve(typed: &str, port: u16, timeout: Duration) -> Result<String, HubError> {
    let typed = typed.trim();
    if typed.contains("token=") {
        return Ok(typed.to_string());
    }
    let (addr, code) = match typed.rsplit_once(char::is_whitespace) {
        Some((a, c)) if read(c).is_some() => (Some(a.trim()), c),
        _ => (None, typed),
    };
    let code = read(code).ok_or_else(|| {
        HubError::Url(format!(
            "{typed:?} is neither a workshop address nor a room code (six letters and digits)"
        ))
    })?;
    match addr {
        Some(a) => ask_hub(a, &code, timeout),
        None => ask_network(&code, port, timeout),
    }
}

/// Trades a code for the token at a hub's address (`host:port`, with or without
/// `http://`).
fn ask_hub(addr: &str, code: &str, timeout: Duration) -> Result<String, HubError> {
    use std::io::{Read, Write};
    let host = addr
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let bad = |why: String| HubError::Url(format!("could not ask {host} for the room: {why}"));
    let target = std::net::ToSocketAddrs::to_socket_addrs(&host)
        .map_err(|e| bad(e.to_string()))?
        .next()
        .ok_or_else(|| bad("no such address".into()))?;
    let mut s =
        std::net::TcpStream::connect_timeout(&target, timeout).map_err(|e| bad(e.to_string()))?;
    s.set_read_timeout(Some(timeout))
        .map_err(|e| bad(e.to_string()))?;
    write!(s, "GET /code/{code} HTTP/1.0\r\nHost: {host}\r\n\r\n")
        .map_err(|e| bad(e.to_string()))?;
    let mut answer = Vec::new();
    // A token is a few dozen bytes: an answer past 4 KB is not a hub's.
    s.take(4096)
        .read_to_end(&mut answer)
        .map_err(|e| bad(e.to_string()))?;
    let answer = String::from_utf8_lossy(&answer);
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    if !head.starts_with("HTTP/1.") || head.split(' ').nth(1).is_none_or(|c| c != "200") {
        let why = body.trim();
        return Err(bad(if why.is_empty() {
            head.lines().next().unwrap_or("").to_string()
        } else {
            why.to_string()
        }));
    }
    let token = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("token")?.as_str().map(str::to_string))
        .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_alphanumeric()))
        .ok_or_else(|| bad("its answer is not a workshop's".into()))?;
    Ok(format!("http://{host}/?token={token}"))
}

/// Asks the local network which hub has this code.
fn ask_network(code: &str, port: u16, timeout: Duration) -> Result<String, HubError> {
    let fail =
        |why: String| HubError::Url(format!("could not look for room {}: {why}", shown(code)));
    let s = UdpSocket::bind("0.0.0.0:0").map_err(|e| fail(e.to_string()))?;
    s.set_broadcast(true).map_err(|e| fail(e.to_string()))?;
    let ask = format!("{ASK}{code}");
    // Everyone on this network, and this machine (a hub in the facilitator's own app).
    let mut sent = false;
    for to in [
        SocketAddr::from(([255, 255, 255, 255], port)),
        SocketAddr::from(([127, 0, 0, 1], port)),
    ] {
        sent |= s.send_to(ask.as_bytes(), to).is_ok();
    }
    if !sent {
        return Err(fail("this machine is on no network".into()));
    }
    let until = Instant::now() + timeout;
    let mut buf = [0u8; 128];
    loop {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(fail(format!(
                "no workshop on this network answered to {} (ask for the address, or scan the code)",
                shown(code)
            )));
        }
        s.set_read_timeout(Some(left))
            .map_err(|e| fail(e.to_string()))?;
        let Ok((n, from)) = s.recv_from(&mut buf) else {
            continue;
        };
        let Some(words) = std::str::from_utf8(&buf[..n])
            .ok()
            .and_then(|a| a.strip_prefix(ANSWER))
            .map(|a| a.split(' ').collect::<Vec<_>>())
        else {
            continue;
        };
        let ip = match words.get(2) {
            Some(ip) => ip.parse::<std::net::IpAddr>().ok(),
            None => Some(from.ip()),
        };
        if let (Some(ip), Some(Ok(p)), Some(token)) =
            (ip, words.first().map(|p| p.parse::<u16>()), words.get(1))
            && !token.is_empty()
            && token.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            return Ok(format!("http://{}/?token={token}", SocketAddr::new(ip, p)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_six_unmistakable_characters_read_back_however_typed() {
        let c = of_token("0123456789abcdef0123456789abcdef");
        assert_eq!(c.len(), 6);
        assert!(c.bytes().all(|b| ALPHABET.contains(&b)));
        assert_ne!(c, of_token("0123456789abcdef0123456789abcdee"));
        let s = shown(&c);
        assert_eq!(s.len(), 7);
        assert_eq!(read(&s.to_lowercase()), Some(c.clone()));
        assert_eq!(read(&format!(" {} ", s.replace('-', " "))), Some(c));
        assert_eq!(read("K7Q-X4"), None);
        assert_eq!(read("K0Q-X42"), None, "0 is not in the alphabet");
    }

    #[test]
    fn what_is_neither_an_address_nor_a_code_is_refused_with_a_sentence() {
        let e = resolve("hello world", 9, Duration::from_millis(10)).unwrap_err();
        assert!(
            e.to_string()
                .contains("neither a workshop address nor a room code"),
            "{e}"
        );
        let url = "http://10.0.0.2:7117/?token=abc";
        assert_eq!(resolve(url, 9, Duration::from_millis(10)).unwrap(), url);
    }
}
