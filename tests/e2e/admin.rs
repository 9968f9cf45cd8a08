//! The admin desk: the first start, staff and settings, the calendar, the office tree, corrections.

use std::time::Duration;

use crate::support::keys::{CLEAR, ENTER};
use crate::support::office::{app, fresh_shots, sample_office_with_2027, Office};
use crate::support::steps::{open_desk, pause, sign_in, sign_in_at_desk, sign_out};
use crate::support::webdriver::Desk;

#[test]
fn first_start_staff_roles_wrong_password_and_idle_lock() {
    let data = Office::empty();
    let shots = fresh_shots("foundation");
    let mut d = Desk::start(&app(), &data, &shots);

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
    open_desk(&d, "admin");
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
    // A workstation that is not enrolled with a central server says so in the header.
    d.wait_text("单机");
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
    open_desk(&d, "first_review");
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

#[test]
fn admin_loads_a_calendar_year_keeps_the_office_tree_and_corrects_a_payment_method() {
    let (data, waiting) = sample_office_with_2027();
    let case = waiting
        .iter()
        .find(|r| r.state == regdesk_domain::lifecycle::CaseState::AwaitingPayment)
        .expect("a case waiting for payment")
        .clone();
    let shots = fresh_shots("admin");
    let mut d = Desk::start(&app(), &data, &shots);
    sign_in_at_desk(&d, "admin");
    open_desk(&d, "admin");

    // 工作日历: 2025 and 2026 built in, 2027 loaded; a year pasted with a wrong line is named.
    d.click("[data-testid=admin-tab-calendar]");
    d.wait_text("国务院办公厅关于2026年部分节假日安排的通知");
    // Lines typed as a person types them: Enter between lines.
    let type_lines = |d: &Desk, lines: &[&str]| {
        d.click("[data-testid=calendar-text]");
        d.press(CLEAR);
        for (i, l) in lines.iter().enumerate() {
            if i > 0 {
                d.press(ENTER);
            }
            d.press(l);
        }
    };
    type_lines(&d, &["year 2028", "off 2028-02-30 错误的日期"]);
    d.click("[data-testid=calendar-load]");
    d.wait("[data-testid=calendar-error]");
    let err = d.text("[data-testid=calendar-error]");
    assert!(err.contains("第 2 行"), "{err}");
    d.shot("calendar-error");
    type_lines(&d, &["year 2028", "source 测试用日历", "off 2028-01-01 元旦"]);
    d.click("[data-testid=calendar-load]");
    d.wait_text("已载入 2028 年日历");
    d.shot("calendar-loaded");

    // 机构树: a second subordinate office under the province.
    d.click("[data-testid=admin-tab-offices]");
    d.wait("[data-testid=office-ZJHZ]");
    d.type_into("#office_code", "ZJNB");
    d.type_into("#office_name", "宁波市版权局");
    d.js(
        "document.getElementById('office_parent_code').focus()",
        serde_json::json!([]),
    );
    d.press("浙江");
    pause();
    d.press(ENTER);
    d.click("[data-testid=office-add]");
    d.wait("[data-testid=office-ZJNB]");
    d.shot("office-tree");

    // 更改缴费方式 with a reason.
    d.click("[data-testid=admin-tab-method]");
    d.type_into("[data-testid=method-key]", &case.serial);
    d.click("[data-testid=method-find]");
    d.wait_text("改为");
    d.js(
        "[...document.querySelectorAll('[data-testid=method-choice] label')].find(l=>l.innerText.includes('在线支付')).click()",
        serde_json::json!([]),
    );
    d.type_into("[data-testid=method-reason]", "申请人改为扫码支付");
    d.click("[data-testid=method-submit]");
    // No method was chosen yet: the core says so, and what was typed stays.
    d.wait("[data-testid=method-error]");
    let err = d.text("[data-testid=method-error]");
    assert!(err.contains("尚未选定缴费方式"), "{err}");
    d.shot("payment-method");

    // 撤销登记 only for registered works.
    d.click("[data-testid=admin-tab-revoke]");
    d.type_into("[data-testid=revoke-key]", &case.serial);
    d.click("[data-testid=revoke-find]");
    d.wait_text("只有已登记的作品可以撤销");
    d.shot("revoke-not-registered");
}
