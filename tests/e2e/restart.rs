//! The counter desk across an app restart: a draft survives it.

use crate::support::keys::{CTRL_S, ENTER};
use crate::support::office::{app, fresh_shots, sample_office};
use crate::support::steps::{open_row, pause, sign_in_at_desk};
use crate::support::webdriver::Desk;

#[test]
fn a_draft_survives_an_app_restart() {
    let data = sample_office();
    let shots = fresh_shots("restart");
    let serial = {
        let mut d = Desk::start(&app(), &data, &shots);
        sign_in_at_desk(&d, "wangli");
        d.click("[data-testid=filing-new]");
        d.wait_focus("#filing_work_title");
        d.press("西溪湿地四季");
        d.press(ENTER);
        d.press("摄影");
        pause();
        d.press(ENTER);
        pause();
        d.press(ENTER);
        d.press("2026-10-01");
        d.press(CTRL_S);
        d.wait("[data-testid=filing-serial]");
        let serial = d.text("[data-testid=filing-serial]");
        d.click("[data-testid=filing-step-2]");
        d.wait("#filing_owners_0_name");
        d.type_into("#filing_owners_0_name", "林晓雨");
        d.press(CTRL_S);
        d.wait_text("已暂存");
        d.shot("before-restart");
        serial
        // the app is closed here
    };
    let mut d = Desk::start(&app(), &data, &shots);
    sign_in_at_desk(&d, "wangli");
    d.click("[data-testid=tab-drafts]");
    open_row(&d, "drafts", &serial);
    d.wait("#filing_work_title");
    let value = |d: &Desk, css: &str| {
        d.js(
            "return document.querySelector(arguments[0]).value",
            serde_json::json!([css]),
        )
        .as_str()
        .unwrap_or_default()
        .to_string()
    };
    assert_eq!(value(&d, "#filing_work_title"), "西溪湿地四季");
    assert_eq!(value(&d, "#filing_work_completed_on"), "2026-10-01");
    assert!(d.text("[data-testid=filing-serial]").contains(&serial));
    d.shot("after-restart");
    d.click("[data-testid=filing-step-2]");
    d.wait("#filing_owners_0_name");
    assert_eq!(value(&d, "#filing_owners_0_name"), "林晓雨");
    d.shot("after-restart-parties");
}
