//! End to end: the real built app under Xvfb, driven through tauri-driver and
//! WebKitWebDriver as a person at the desk would use it. Needs the app built
//! with the `custom-protocol` feature (the UI embedded): `bash .ci/test` does that.
//! Every visited screen is saved under `target/e2e-screenshots/`.
#![cfg(feature = "custom-protocol")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::PathBuf;
use std::time::Duration;

use support::webdriver::Desk;

const ENTER: &str = "\u{E007}";

fn shots_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/e2e-screenshots")
}

fn app() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_regdesk-app"))
}

fn sign_in(d: &Desk, user: &str, password: &str) {
    d.wait("#login_username");
    d.retype("#login_username", user);
    d.retype("#login_password", password);
    d.click("[data-testid=login-submit]");
}

fn sign_out(d: &Desk) {
    d.click("[data-testid=logout-button]");
    d.wait("#login_username");
}

#[test]
fn first_start_staff_roles_wrong_password_and_idle_lock() {
    let data = tempfile::tempdir().unwrap();
    let shots = shots_dir();
    let _ = std::fs::remove_dir_all(&shots);
    let mut d = Desk::start(&app(), data.path(), &shots);

    // First start: the office and the first admin, by keyboard (Enter moves on).
    d.wait("#setup_office_name");
    d.shot("setup-empty");
    d.type_into("#setup_office_name", "浙江省版权局");
    // Enter moves to the next field.
    d.keys("#setup_office_name", ENTER);
    let focused = d.js(
        "return document.activeElement && document.activeElement.id",
        serde_json::json!([]),
    );
    assert_eq!(focused.as_str(), Some("setup_office_office_code"));
    d.retype("#setup_office_office_code", "ZJ");
    d.type_into("#setup_station_name", "受理窗口1");
    d.type_into("#setup_admin_username", "admin");
    d.type_into("#setup_admin_display_name", "周建国");
    d.type_into("#setup_admin_password", "Banquan2026");
    d.type_into("#setup_admin_password_confirm", "Banquan2026");
    d.shot("setup-filled");
    d.click("[data-testid=setup-submit]");

    // The admin lands in the frame and sees only the admin desk.
    d.wait("[data-testid=current-user]");
    d.wait_text("周建国");
    assert!(d.visible("[data-testid=menu-admin]"));
    assert!(!d.visible("[data-testid=menu-first_review]"));
    d.shot("admin-frame");

    // Idle lock after one minute (a setting).
    d.click("[data-testid=menu-admin]");
    d.wait_text("系统设置");
    d.click("[data-testid=admin-tab-settings]");
    d.retype("#settings_idle_lock_minutes", "1");
    d.click("[data-testid=settings-save]");
    d.wait_text("已保存");
    d.shot("admin-settings");

    // Add a first reviewer.
    d.click("[data-testid=admin-tab-staff]");
    d.click("[data-testid=staff-add]");
    d.type_into("#staff_username", "liwen");
    d.type_into("#staff_display_name", "李雯");
    d.click("label:has([data-testid=role-first_reviewer])");
    d.type_into("#staff_password", "Chushen2026");
    d.shot("staff-add-form");
    d.click("[data-testid=staff-submit]");
    d.wait_gone("#staff_username");
    d.wait_text("李雯");
    // Setup, the settings change and the new person: three changes wait for sync.
    d.wait_text("3 条变更待同步");
    d.shot("staff-list");

    // The audit chain is whole, and says so.
    d.click("[data-testid=admin-tab-audit]");
    d.click("[data-testid=audit-verify]");
    let verdict = d.text("[data-testid=audit-result]");
    assert!(verdict.contains("审计链完整"), "{verdict}");
    d.shot("admin-audit");
    sign_out(&d);

    // A wrong password shows the core's message and keeps the login name.
    sign_in(&d, "liwen", "not-the-password1");
    let err = d.text("[data-testid=login-error]");
    assert!(err.contains("登录名或密码错误"), "{err}");
    let kept = d.js(
        "return document.querySelector('#login_username').value",
        serde_json::json!([]),
    );
    assert_eq!(kept.as_str(), Some("liwen"));
    d.shot("login-wrong-password");

    // The reviewer signs in, must choose a new password, and sees only the reviewer's desk.
    sign_in(&d, "liwen", "Chushen2026");
    d.type_into("#password_old_password", "Chushen2026");
    d.type_into("#password_new_password", "Liwen2026ok");
    d.type_into("#password_new_password_confirm", "Liwen2026ok");
    d.shot("change-password");
    d.keys("#password_new_password_confirm", ENTER);
    d.wait_gone("#password_new_password");
    d.wait("[data-testid=menu-first_review]");
    for other in [
        "counter",
        "payments",
        "final_review",
        "certificates",
        "reports",
        "admin",
    ] {
        assert!(
            !d.visible(&format!("[data-testid=menu-{other}]")),
            "{other} must not show"
        );
    }
    d.click("[data-testid=menu-first_review]");
    d.wait("[data-testid=desk-title]");
    d.shot("reviewer-desk");

    // Left alone for a minute, the workstation locks; the password unlocks it.
    d.wait_for("[data-testid=lock-screen]", Duration::from_secs(90));
    d.shot("idle-locked");
    d.type_into("#unlock_password", "wrong-one-1");
    d.click("[data-testid=unlock-submit]");
    d.wait_text("密码错误");
    d.retype("#unlock_password", "Liwen2026ok");
    d.click("[data-testid=unlock-submit]");
    d.wait_gone("[data-testid=lock-screen]");
    d.wait("[data-testid=desk-title]");
    d.shot("unlocked");
}
