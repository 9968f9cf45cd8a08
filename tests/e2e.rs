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

fn shots_dir(test: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/e2e-screenshots")
        .join(test)
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
    let shots = shots_dir("foundation");
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

/// A sample office made through the store's own commands, as `regdesk demo --cases 6` makes it.
fn sample_office() -> tempfile::TempDir {
    let data = tempfile::tempdir().unwrap();
    let store = regdesk_store::Store::open(data.path(), std::sync::Arc::new(regdesk_store::SystemClock)).unwrap();
    regdesk_store::demo::fill(&store, 6).unwrap();
    data
}

#[test]
fn counter_clerk_finds_profiles_and_the_id_panel_checks_as_they_type() {
    let data = sample_office();
    let shots = shots_dir("counter");
    let _ = std::fs::remove_dir_all(&shots);
    let mut d = Desk::start(&app(), data.path(), &shots);

    sign_in(&d, "wangli", "Banquan2026");
    d.wait("[data-testid=menu-counter]");
    d.wait("[data-testid=desk-title]");
    // The counter desk opens on its queues; the sample drafts are there.
    d.wait_text("待签章");
    d.shot("counter-queues");

    // Profiles: find as you type; lists mask ID numbers.
    d.click("[data-testid=tab-applicants]");
    d.type_into(
        "[data-testid=applicant-search] input, input[data-testid=applicant-search]",
        "林晓",
    );
    d.wait_text("林晓雨");
    d.wait_text("330106********");
    d.shot("applicant-search");

    // A new profile: a wrong check character is named precisely, beside the field.
    d.click("[data-testid=applicant-new]");
    d.type_into("#applicant_name", "赵小川");
    d.type_into("#applicant_id_number", "110105194912310021");
    d.wait("[data-testid=id-panel-error]");
    let err = d.text("[data-testid=id-panel-error]");
    assert!(err.contains("校验码应为 X"), "{err}");
    d.shot("id-panel-error");
    d.retype("#applicant_id_number", "11010519491231002X");
    d.wait("[data-testid=id-panel-consequences]");
    let facts = d.text("[data-testid=id-panel-facts]");
    assert!(facts.contains("北京市"), "{facts}");
    let follows = d.text("[data-testid=id-panel-consequences]");
    assert!(follows.contains("浙江省"), "{follows}");
    d.type_into("#applicant_handler_name", "赵小川");
    d.type_into("#applicant_handler_mobile", "13905719999");
    d.type_into("#applicant_invoice_email", "zhao@example.cn");
    d.type_into("#applicant_recipient_name", "赵小川");
    d.type_into("#applicant_recipient_phone", "13905719999");
    d.type_into("#applicant_postal_address", "浙江省杭州市上城区解放路 1 号");
    d.shot("applicant-filled");
    d.click("[data-testid=applicant-save]");
    d.wait_text("已保存");
    d.shot("applicant-saved");
}

#[test]
fn counter_clerk_drafts_a_filing_and_records_a_signature() {
    let data = sample_office();
    let shots = shots_dir("filing");
    let _ = std::fs::remove_dir_all(&shots);
    let sample = data.path().join("样本-断桥.png");
    std::fs::copy(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/icons/icon.png"),
        &sample,
    )
    .unwrap();
    let mut d = Desk::start(&app(), data.path(), &shots);
    sign_in(&d, "wangli", "Banquan2026");
    d.wait("[data-testid=desk-title]");

    // A new filing: the title, then Ctrl+S saves a draft and the case gets its serial.
    d.click("[data-testid=filing-new]");
    d.type_into("#filing_work_title", "运河晨光");
    d.keys("#filing_work_title", "\u{E009}s\u{E009}");
    d.wait("[data-testid=filing-serial]");
    let serial = d.text("[data-testid=filing-serial]");
    assert!(serial.starts_with("ZJ-"), "{serial}");
    d.type_into("#filing_work_completed_on", "20260112");
    d.shot("step-work");

    // Every step shows; a sample file is attached by path.
    for step in 1..=6 {
        d.click(&format!("[data-testid=filing-step-{step}]"));
        std::thread::sleep(Duration::from_millis(300));
        if step == 3 {
            d.type_into(
                "[data-testid=path-sample] input, input[data-testid=path-sample]",
                sample.to_str().unwrap(),
            );
            d.click("[data-testid=add-sample]");
            d.wait_text("样本-断桥.png");
        }
        d.shot(&format!("step-{step}"));
    }

    // Submitting an incomplete filing names every problem and keeps what was typed.
    d.click("[data-testid=filing-submit]");
    d.wait("[data-testid=filing-errors]");
    let errs = d.text("[data-testid=filing-errors]");
    assert!(errs.contains("作品类别"), "{errs}");
    d.shot("submit-errors");
    d.click("[data-testid=filing-step-0]");
    let kept = d.js(
        "return document.querySelector('#filing_work_title').value",
        serde_json::json!([]),
    );
    assert_eq!(kept.as_str(), Some("运河晨光"));
    d.click("[data-testid=filing-close]");

    // A sample case waiting for signatures: only the current signer can sign; a paper scan records it.
    d.click("[data-testid=tab-awaiting_signature]");
    d.wait_text("待签章");
    d.js(
        "const r=document.querySelector('[data-testid=queue-awaiting_signature] .queue-row-open'); r && r.click();",
        serde_json::json!([]),
    );
    d.wait("[data-testid=signing-panel]");
    d.shot("signing-panel");
    let sign = d.js(
        "const b=[...document.querySelectorAll('[data-testid^=sign-]')].find(e=>/^sign-\\d+$/.test(e.dataset.testid)); return b ? b.dataset.testid : null",
        serde_json::json!([]),
    );
    let sign = sign
        .as_str()
        .expect("a 记录签章 button for the current signer")
        .to_string();
    d.click(&format!("[data-testid={sign}]"));
    d.wait("[data-testid=sign-modal]");
    d.type_into(
        "#sign_scan_path, [data-testid=sign_scan_path] input, input[data-testid=sign_scan_path]",
        sample.to_str().unwrap(),
    );
    d.shot("sign-modal");
    d.click("[data-testid=sign-confirm]");
    d.wait_gone("[data-testid=sign-modal]");
    d.wait_text("全部签章完成");
    d.shot("signing-done");
}
