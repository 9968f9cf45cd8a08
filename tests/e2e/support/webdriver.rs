//! A small W3C WebDriver client and the harness that starts the real app
//! under Xvfb through tauri-driver (which runs WebKitWebDriver).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// One app at a time: on two cores, parallel desktop sessions starve each other.
static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Xvfb + tauri-driver + one WebDriver session on the app.
pub struct Desk {
    /// Released after `Drop::drop` has stopped the driver and the X server.
    _turn: std::sync::MutexGuard<'static, ()>,
    http: reqwest::blocking::Client,
    base: String,
    session: String,
    driver: Child,
    xvfb: Option<Child>,
    pub shots: PathBuf,
    shot_no: u32,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn tauri_driver() -> PathBuf {
    if let Ok(p) = std::env::var("TAURI_DRIVER") {
        return p.into();
    }
    let home = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(std::env::var("HOME").unwrap()).join(".cargo"));
    let p = home.join("bin/tauri-driver");
    if p.exists() {
        p
    } else {
        "tauri-driver".into()
    }
}

impl Desk {
    /// Starts the app binary on `office`'s data directory, with its key file
    /// and its own home folder (so nothing is left under the real home).
    pub fn start(app: &Path, office: &super::office::Office, shots: &Path) -> Desk {
        let turn = TURN.lock().unwrap_or_else(|p| p.into_inner());
        std::fs::create_dir_all(shots).unwrap();
        // Our own X display, so the test never touches a real desktop.
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let display_no = 90 + (std::process::id() % 50) * 4 + NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let display = format!(":{display_no}");
        let xvfb = Command::new("Xvfb")
            .args([display.as_str(), "-screen", "0", "1366x860x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb is needed for the end-to-end test (apt-get install xvfb)");
        std::thread::sleep(Duration::from_millis(700));
        let port = free_port();
        let native = free_port();
        // The office's stand-ins for system programs (print service, viewer) come first.
        let mut path = vec![office.tools()];
        path.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
        let driver = Command::new(tauri_driver())
            .args(["--port", &port.to_string(), "--native-port", &native.to_string()])
            .env("DISPLAY", &display)
            .env("PATH", std::env::join_paths(path).unwrap())
            .env("REGDESK_DATA_DIR", office.path())
            .env(regdesk_store::keys::KEY_FILE_ENV, office.key_file())
            .env("HOME", office.home())
            .env("XDG_CONFIG_HOME", office.home().join(".config"))
            .env("XDG_CACHE_HOME", office.home().join(".cache"))
            .env("XDG_DATA_HOME", office.home().join(".local/share"))
            .env_remove("REGDESK_DEMO")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("tauri-driver is needed (cargo install tauri-driver --locked)");
        let http = reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut session = None;
        while Instant::now() < deadline {
            let caps = json!({"capabilities": {"alwaysMatch": {
                "browserName": "wry",
                "tauri:options": {"application": app.to_str().unwrap()}
            }}});
            if let Ok(r) = http.post(format!("{base}/session")).json(&caps).send() {
                let v: Value = r.json().unwrap_or(Value::Null);
                if let Some(id) = v["value"]["sessionId"].as_str() {
                    session = Some(id.to_string());
                    break;
                }
                panic!("WebDriver refused the session: {v}");
            }
            std::thread::sleep(Duration::from_millis(300));
        }
        let session = session.expect("tauri-driver did not answer");
        Desk {
            _turn: turn,
            http,
            base,
            session,
            driver,
            xvfb: Some(xvfb),
            shots: shots.to_path_buf(),
            shot_no: 0,
        }
    }

    fn url(&self, p: &str) -> String {
        format!("{}/session/{}{}", self.base, self.session, p)
    }

    fn post(&self, p: &str, body: Value) -> Value {
        let v: Value = self.http.post(self.url(p)).json(&body).send().unwrap().json().unwrap();
        v["value"].clone()
    }

    fn get(&self, p: &str) -> Value {
        let v: Value = self.http.get(self.url(p)).send().unwrap().json().unwrap();
        v["value"].clone()
    }

    /// Runs JavaScript in the page.
    pub fn js(&self, script: &str, args: Value) -> Value {
        self.post("/execute/sync", json!({"script": script, "args": args}))
    }

    fn find_now(&self, css: &str) -> Vec<String> {
        let v = self.post("/elements", json!({"using": "css selector", "value": css}));
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e[ELEMENT_KEY].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Waits until an element matching `css` is displayed, and returns it.
    pub fn wait(&self, css: &str) -> String {
        self.wait_for(css, Duration::from_secs(20))
    }

    pub fn wait_for(&self, css: &str, limit: Duration) -> String {
        let deadline = Instant::now() + limit;
        loop {
            for id in self.find_now(css) {
                if self.get(&format!("/element/{id}/displayed")).as_bool() == Some(true) {
                    return id;
                }
            }
            if Instant::now() > deadline {
                let body = self.js("return document.body.innerText", json!([]));
                panic!("no visible element `{css}` after {limit:?}; the page says:\n{body}");
            }
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    /// Is an element matching `css` displayed right now?
    pub fn visible(&self, css: &str) -> bool {
        self.find_now(css)
            .iter()
            .any(|id| self.get(&format!("/element/{id}/displayed")).as_bool() == Some(true))
    }

    /// Waits until nothing matching `css` is displayed.
    pub fn wait_gone(&self, css: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.visible(css) {
            if Instant::now() > deadline {
                panic!("`{css}` is still visible");
            }
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    /// Clicks `css` once it is displayed. While something lies over it (a message
    /// that has not yet faded, a closing drawer) the driver refuses the click;
    /// it is tried again, as a person waits for the message to go, for up to 20 s.
    pub fn click(&self, css: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let id = self.wait(css);
            let v = self.post(&format!("/element/{id}/click"), json!({}));
            let Some(error) = v.get("error").and_then(Value::as_str) else {
                return;
            };
            let again = matches!(
                error,
                "element click intercepted" | "stale element reference" | "element not interactable"
            );
            if !again || Instant::now() > deadline {
                panic!("clicking `{css}`: {v}");
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    /// Clicks `css` as [`Desk::click`] does, after scrolling it to the middle of
    /// the window, and fails when the driver could not click it (covered, out of reach).
    pub fn click_checked(&self, css: &str) {
        if let Err(e) = self.try_click(css) {
            panic!("{e}");
        }
    }

    /// [`Desk::click_checked`], telling why the driver could not click (and
    /// what is on top of the element's middle) instead of failing.
    pub fn try_click(&self, css: &str) -> Result<(), String> {
        let id = self.wait(css);
        self.post(
            "/execute/sync",
            json!({"script": "arguments[0].scrollIntoView({block: 'center'})", "args": [{ELEMENT_KEY: id}]}),
        );
        let v = self.post(&format!("/element/{id}/click"), json!({}));
        if v.get("error").is_none() {
            return Ok(());
        }
        let on_top = self.js(
            "const e=document.querySelector(arguments[0]); const r=e.getBoundingClientRect(); \
             const t=document.elementFromPoint(r.x+r.width/2, r.y+r.height/2); \
             return JSON.stringify({rect:[r.x,r.y,r.width,r.height], view:[innerWidth,innerHeight], top:t?t.outerHTML.slice(0,300):null});",
            json!([css]),
        );
        Err(format!("clicking `{css}`: {v}; at its middle: {on_top}"))
    }

    /// Focuses the field and types, as a person would.
    pub fn type_into(&self, css: &str, text: &str) {
        let id = self.wait(css);
        self.post(&format!("/element/{id}/click"), json!({}));
        self.post(&format!("/element/{id}/value"), json!({"text": text}));
        let got = self.get(&format!("/element/{id}/property/value"));
        assert_eq!(got.as_str(), Some(text), "typing into {css}");
    }

    /// Clears a field with the keyboard (select all, delete) and types.
    pub fn retype(&self, css: &str, text: &str) {
        let id = self.wait(css);
        self.post(&format!("/element/{id}/click"), json!({}));
        // Ctrl+A, Backspace
        self.post(
            &format!("/element/{id}/value"),
            json!({"text": "\u{E009}a\u{E009}\u{E003}"}),
        );
        self.post(&format!("/element/{id}/value"), json!({"text": text}));
        let got = self.get(&format!("/element/{id}/property/value"));
        assert_eq!(got.as_str(), Some(text), "retyping into {css}");
    }

    /// Presses keys in the focused element (WebDriver key codes, e.g. "\u{E007}" = Enter).
    pub fn keys(&self, css: &str, keys: &str) {
        let id = self.wait(css);
        self.post(&format!("/element/{id}/value"), json!({"text": keys}));
    }

    /// Presses keys in whatever has the focus, as a person at the keyboard does
    /// (WebDriver key codes: "\u{E004}" Tab, "\u{E007}" Enter, "\u{E009}" Control).
    pub fn press(&self, keys: &str) {
        let active = self.get("/element/active");
        let id = active[ELEMENT_KEY].as_str().unwrap_or_default().to_string();
        assert!(!id.is_empty(), "nothing has the focus to press {keys:?} in");
        self.post(&format!("/element/{id}/value"), json!({"text": keys}));
    }

    /// The focused element, described by its id, test id or tag (for messages).
    pub fn focused(&self) -> String {
        self.js(
            "const e=document.activeElement; if(!e) return ''; \
             return e.id || (e.dataset && e.dataset.testid) || e.getAttribute('aria-label') || (e.outerHTML||'').slice(0,160);",
            json!([]),
        )
        .as_str()
        .unwrap_or_default()
        .to_string()
    }

    /// Does the focused element (or an ancestor) match `css`?
    pub fn focus_is(&self, css: &str) -> bool {
        self.js(
            "const e=document.activeElement; return !!(e && e.closest(arguments[0]));",
            json!([css]),
        )
        .as_bool()
        .unwrap_or(false)
    }

    /// Presses Tab until the focus is on `css` (at most `max` presses): the
    /// control is reachable from the keyboard, in a sensible order.
    pub fn tab_to(&self, css: &str, max: usize) {
        let mut path = Vec::new();
        for _ in 0..=max {
            if self.focus_is(css) {
                return;
            }
            path.push(self.focused());
            self.press("\u{E004}");
            std::thread::sleep(Duration::from_millis(60));
        }
        if self.focus_is(css) {
            return;
        }
        panic!("Tab never reached `{css}` in {max} presses; it went through {path:?}");
    }

    /// Waits until the focus is on `css`.
    /// Presses `keys` (a shortcut) until the focus is in `css`, as a person
    /// presses again when a busy desk missed the first press: up to three
    /// presses, three seconds each, then [`Desk::wait_focus`]'s failure.
    pub fn press_for_focus(&self, keys: &str, css: &str) {
        for _ in 0..3 {
            self.press(keys);
            let deadline = Instant::now() + Duration::from_secs(3);
            while Instant::now() < deadline {
                if self.focus_is(css) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        self.wait_focus(css);
    }

    pub fn wait_focus(&self, css: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.focus_is(css) {
            if Instant::now() > deadline {
                panic!("the focus never came to `{css}`; it is on {}", self.focused());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn text(&self, css: &str) -> String {
        let id = self.wait(css);
        self.get(&format!("/element/{id}/text"))
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub fn page_text(&self) -> String {
        self.js("return document.body.innerText", json!([]))
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Waits until the page shows `needle` somewhere.
    pub fn wait_text(&self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let t = self.page_text();
            if t.contains(needle) {
                return;
            }
            if Instant::now() > deadline {
                panic!("the page never showed “{needle}”; it says:\n{t}");
            }
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    /// Saves a PNG of the window as `NN-name.png`.
    pub fn shot(&mut self, name: &str) -> PathBuf {
        // The first frame after a change can be stale.
        std::thread::sleep(Duration::from_millis(400));
        let b64 = self.get("/screenshot");
        let png = base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap_or_default())
            .unwrap();
        self.shot_no += 1;
        let p = self.shots.join(format!("{:02}-{name}.png", self.shot_no));
        std::fs::write(&p, png).unwrap();
        p
    }
}

impl Drop for Desk {
    fn drop(&mut self) {
        let _ = self
            .http
            .delete(format!("{}/session/{}", self.base, self.session))
            .send();
        // SIGTERM, so tauri-driver takes WebKitWebDriver down with it.
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.driver.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.driver.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        if let Some(mut x) = self.xvfb.take() {
            let _ = x.kill();
            let _ = x.wait();
        }
    }
}
