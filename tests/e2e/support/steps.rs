//! The steps a person repeats at every desk: signing in and out, opening a desk,
//! opening a queue row, reading a row.

use std::time::Duration;

use super::webdriver::Desk;

/// Everyone's password in the sample office.
pub const PASSWORD: &str = "Banquan2026";

pub fn sign_in(d: &Desk, user: &str, password: &str) {
    d.wait("#login_username");
    d.retype("#login_username", user);
    d.retype("#login_password", password);
    d.click("[data-testid=login-submit]");
}

/// Signs in as `user` of the sample office.
pub fn sign_in_as(d: &Desk, user: &str) {
    sign_in(d, user, PASSWORD);
}

/// Signs in as `user` of the sample office and waits for their desk.
pub fn sign_in_at_desk(d: &Desk, user: &str) {
    sign_in_as(d, user);
    d.wait("[data-testid=desk-title]");
}

pub fn sign_out(d: &Desk) {
    // A dialog still fading out (its mask over the header) takes the click, as
    // it would a person's: click again, as they would, until the sign-in shows.
    for _ in 0..3 {
        d.click("[data-testid=logout-button]");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while std::time::Instant::now() < deadline {
            if d.visible("#login_username") {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(150));
        }
    }
    d.wait("#login_username");
}

/// Opens a desk from the menu (`counter`, `first_review`, `admin`, ...).
pub fn open_desk(d: &Desk, desk: &str) {
    d.click(&format!("[data-testid=menu-{desk}]"));
}

/// Clicks the row of `queue` that shows `serial`, once the page shows it.
pub fn open_row(d: &Desk, queue: &str, serial: &str) {
    d.wait_text(serial);
    d.js(
        "const r=[...document.querySelectorAll(`[data-testid=queue-${arguments[0]}] .queue-row-open`)].find(e=>e.innerText.includes(arguments[1])); r && r.click();",
        serde_json::json!([queue, serial]),
    );
}

/// The text of the row of `queue` that shows `serial`, once the page shows it.
pub fn row_text(d: &Desk, queue: &str, serial: &str) -> String {
    d.wait_text(serial);
    d.js(
        "const tr=[...document.querySelectorAll(`[data-testid=queue-${arguments[0]}] tr`)].find(r=>r.innerText.includes(arguments[1])); return tr ? tr.innerText : '';",
        serde_json::json!([queue, serial]),
    )
    .as_str()
    .unwrap_or_default()
    .to_string()
}

/// A short wait for the page to settle between key presses.
pub fn pause() {
    std::thread::sleep(Duration::from_millis(350));
}
