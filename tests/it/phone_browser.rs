//! The phone page in a real headless Chromium (Debian's `chromium`; `.ci/run` installs it),
//! driven over the Chrome debugging protocol with real input events: it opens the join address,
//! shows the map, adds a card by tapping and typing, and the host's map has it.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly; allow-unwrap-in-tests covers only #[test] bodies"
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use journeymap::hub::Hub;
use journeymap::model::sample_map;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::{Message, WebSocket, stream::MaybeTlsStream};

/// Headless Chromium, killed on drop.
struct Browser {
    child: Child,
    _profile: tempfile::TempDir,
    port: u16,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn chromium() -> std::path::PathBuf {
    for p in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] {
        if std::path::Path::new(p).exists() {
            return p.into();
        }
    }
    panic!(
        "this test needs Chromium: install Debian's package with \
         `apt-get install -y chromium` (.ci/run does), then run it again"
    );
}

fn launch(url: &str) -> Browser {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=412,915",
            "--remote-debugging-port=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(url)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("DevTools listening on ws://127.0.0.1:").nth(1) {
                let port: u16 = rest.split('/').next().unwrap().parse().unwrap();
                let _ = tx.send(port);
            }
        }
    });
    let port = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("Chromium did not start its DevTools endpoint");
    Browser {
        child,
        _profile: profile,
        port,
    }
}

/// `GET /json/list` of the `DevTools` endpoint: the page's WebSocket address.
fn page_target(port: u16) -> String {
    let end = Instant::now() + Duration::from_secs(20);
    loop {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        write!(
            s,
            "GET /json/list HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
        )
        .unwrap();
        // The endpoint may keep the connection open: read until the body is complete.
        let mut bytes = Vec::new();
        let mut buf = [0u8; 8192];
        let r = loop {
            match s.read(&mut buf) {
                Ok(0) | Err(_) => break String::from_utf8_lossy(&bytes).into_owned(),
                Ok(n) => bytes.extend_from_slice(&buf[..n]),
            }
            let text = String::from_utf8_lossy(&bytes).into_owned();
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let len = head.lines().find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                });
                if len.is_some_and(|n| body.len() >= n) {
                    break text;
                }
            }
        };
        let body = r.split("\r\n\r\n").nth(1).unwrap_or("[]");
        if let Ok(Value::Array(targets)) = serde_json::from_str::<Value>(body)
            && let Some(t) = targets.iter().find(|t| t["type"] == "page")
        {
            return t["webSocketDebuggerUrl"].as_str().unwrap().to_string();
        }
        assert!(Instant::now() < end, "no page in Chromium");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A debugging session on one page.
struct Page {
    ws: WebSocket<MaybeTlsStream<TcpStream>>,
    next: u64,
}

impl Page {
    fn call(&mut self, method: &str, params: &Value) -> Value {
        self.next += 1;
        let id = self.next;
        self.ws
            .send(Message::Text(
                json!({"id": id, "method": method, "params": params})
                    .to_string()
                    .into(),
            ))
            .unwrap();
        loop {
            if let Message::Text(t) = self.ws.read().unwrap() {
                let v: Value = serde_json::from_str(&t).unwrap();
                if v["id"] == id {
                    assert!(v.get("error").is_none(), "{method}: {v}");
                    return v["result"].clone();
                }
            }
        }
    }

    /// Evaluates an expression in the page; its value.
    fn eval(&mut self, expr: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            &json!({"expression": expr, "returnByValue": true, "awaitPromise": true}),
        );
        r["result"]["value"].clone()
    }

    /// With the environment variable `var` set to a path, saves a screenshot of the page there
    /// (to look at it).
    fn screenshot_to(&mut self, var: &str) {
        if let Ok(path) = std::env::var(var) {
            let shot = self.call("Page.captureScreenshot", &json!({"format": "png"}));
            let png = base64::Engine::decode(
                &base64::engine::general_purpose::STANDARD,
                shot["data"].as_str().unwrap(),
            )
            .unwrap();
            std::fs::write(path, png).unwrap();
        }
    }

    /// Waits until an expression is true in the page.
    fn wait_for(&mut self, expr: &str, what: &str) {
        let end = Instant::now() + Duration::from_secs(15);
        while self.eval(expr) != json!(true) {
            assert!(Instant::now() < end, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// A real tap (mouse press and release) at the middle of the element `selector`.
    fn tap(&mut self, selector: &str) {
        let r = self.eval(&format!(
            "(() => {{ const e = document.querySelector({selector:?}); e.scrollIntoView({{block: 'center'}});
               const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})()"
        ));
        let (x, y) = (r[0].as_f64().unwrap(), r[1].as_f64().unwrap());
        for kind in ["mousePressed", "mouseReleased"] {
            self.call(
                "Input.dispatchMouseEvent",
                &json!({"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}),
            );
        }
    }
}

#[test]
fn a_phone_adds_a_card_from_the_page_and_the_host_has_it() {
    let hub = Hub::start(&sample_map(), "127.0.0.1:0".parse().unwrap(), None).unwrap();
    let browser = launch(&hub.join_url("127.0.0.1"));
    let target = page_target(browser.port);
    let (mut ws, _) = tokio_tungstenite::tungstenite::connect(target).unwrap();
    if let MaybeTlsStream::Plain(s) = ws.get_mut() {
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    }
    let mut page = Page { ws, next: 0 };
    // The page shows the map: its title and the stages in the picker.
    page.wait_for(
        "document.querySelectorAll('#stage option').length > 0",
        "the map to arrive",
    );
    assert_eq!(
        page.eval("document.getElementById('title').textContent"),
        json!(sample_map().title)
    );
    assert_eq!(
        page.eval("document.getElementById('state').textContent"),
        json!("Connected")
    );
    // Pick the third stage and the pain points lane, as a participant would.
    let doc = sample_map();
    let stage = &doc.stages[2];
    let lane = doc
        .lanes
        .iter()
        .find(|l| l.kind == journeymap::model::LaneKind::PainPoints)
        .unwrap();
    page.eval(&format!(
        "(() => {{ const s = document.getElementById('stage'); s.value = '{}'; s.dispatchEvent(new Event('change')); \
                   const l = document.getElementById('lane'); l.value = '{}'; l.dispatchEvent(new Event('change')); return true; }})()",
        stage.id.0, lane.id.0
    ));
    page.tap("#text");
    page.call(
        "Input.insertText",
        &json!({"text": "The app logs me out while I pay"}),
    );
    page.tap("#send");
    // The host's map has it, in that cell.
    let end = Instant::now() + Duration::from_secs(15);
    let card = loop {
        if let Some(c) = hub
            .document()
            .cards
            .iter()
            .find(|c| c.text == "The app logs me out while I pay")
        {
            break (**c).clone();
        }
        assert!(Instant::now() < end, "the host never got the phone's card");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!((card.stage, card.lane), (stage.id, lane.id));
    // The page shows it as the participant's own, and cleared the field.
    page.wait_for(
        &format!(
            "!!document.querySelector('li.mine[data-card=\"{}\"]')",
            card.id.0
        ),
        "the card in the page's list as mine",
    );
    assert_eq!(
        page.eval("document.getElementById('text').value"),
        json!("")
    );
    // The facilitator starts a timer: the phone shows the countdown.
    let (mut live, doc) =
        journeymap::hub::live::Live::join(&hub.host_url(), Duration::from_secs(10)).unwrap();
    let mut ed = journeymap::hub::live::Live::editor(doc);
    live.set_timer(Some(journeymap::hub::live::now_ms() + 5 * 60_000))
        .unwrap();
    live.step(&mut ed).unwrap();
    page.wait_for(
        "!document.getElementById('timer').hidden && /^Timer [45]:[0-9][0-9]$/.test(document.getElementById('timer').textContent)",
        "the countdown on the phone",
    );
    // A dot-voting round: the participant taps + on their card.
    live.open_vote(3, Vec::new()).unwrap();
    live.step(&mut ed).unwrap();
    let plus = format!(
        "li[data-card=\"{}\"] button[aria-label=\"Add a dot\"]",
        card.id.0
    );
    page.wait_for(
        &format!("!!document.querySelector({plus:?})"),
        "the + on the card",
    );
    page.tap(&plus);
    let end = Instant::now() + Duration::from_secs(15);
    loop {
        live.step(&mut ed).unwrap();
        if live
            .vote()
            .is_some_and(|(_, t)| t.cards.get(&card.id.0) == Some(&1))
        {
            break;
        }
        assert!(Instant::now() < end, "the phone's dot never arrived");
        std::thread::sleep(Duration::from_millis(20));
    }
    page.wait_for(
        "document.getElementById('vote').textContent.includes('2 of 3 dots left')",
        "the page to count the dot",
    );
    page.screenshot_to("JOURNEYMAP_PHONE_SHOT");
}

#[test]
fn a_phone_joins_with_the_room_code_names_itself_and_sees_a_private_brainstorm() {
    let hub = Hub::start(&sample_map(), "127.0.0.1:0".parse().unwrap(), None).unwrap();
    let (mut host, doc) =
        journeymap::hub::live::Live::join(&hub.host_url(), Duration::from_secs(10)).unwrap();
    let mut ed = journeymap::hub::live::Live::editor(doc);
    // The address alone, as typed from the projector.
    let browser = launch(&format!("http://{}/", hub.addr()));
    let target = page_target(browser.port);
    let (mut ws, _) = tokio_tungstenite::tungstenite::connect(target).unwrap();
    if let MaybeTlsStream::Plain(s) = ws.get_mut() {
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    }
    let mut page = Page { ws, next: 0 };
    page.wait_for(
        "!document.getElementById('join').hidden",
        "the page to ask for the room code",
    );
    // A wrong code is refused with a sentence.
    let right = journeymap::hub::code::shown(&hub.room_code());
    let wrong = if right == "222-222" {
        "333-333"
    } else {
        "222-222"
    };
    page.tap("#code");
    page.call("Input.insertText", &json!({ "text": wrong }));
    page.tap("#join button");
    page.wait_for(
        "document.getElementById('code-error').textContent.includes('not this workshop')",
        "the wrong code refused",
    );
    // The right one, typed in lower case: the page joins.
    page.eval("document.getElementById('code').value = ''");
    page.tap("#code");
    page.call("Input.insertText", &json!({ "text": right.to_lowercase() }));
    page.tap("#join button");
    page.wait_for(
        "location.search.includes('token=') && document.querySelectorAll('#stage option').length > 0",
        "the map after the code",
    );
    // The participant's name reaches the facilitator.
    page.tap("#name");
    page.call("Input.insertText", &json!({ "text": "Priya" }));
    page.tap("#text");
    let end = Instant::now() + Duration::from_secs(15);
    while !host
        .others()
        .any(|o| o.name == "Priya" && o.id.starts_with("phone-"))
    {
        host.step(&mut ed).unwrap();
        assert!(Instant::now() < end, "the facilitator never saw Priya");
        std::thread::sleep(Duration::from_millis(20));
    }
    // A private brainstorm: the page says so.
    host.set_brainstorm(true).unwrap();
    host.step(&mut ed).unwrap();
    page.wait_for(
        "!document.getElementById('private').hidden",
        "the private brainstorm notice",
    );
    page.screenshot_to("JOURNEYMAP_PHONE_CODE_SHOT");
}
