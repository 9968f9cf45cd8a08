//! The certificate desk's delivery: registered certificates packed by recipient, their label
//! printed, the label's code and SF's waybill scanned (a wrong waybill named first), and an
//! agency's agent collecting a certificate at pickup with ID, notice and power of attorney.

use regdesk_domain::filing::Delivery;
use regdesk_domain::lifecycle::CaseState;
use regdesk_store::*;

use crate::support::keys::ENTER;
use crate::support::office::{app, fresh_shots, registered_office, scan};
use crate::support::steps::{pause, sign_in_at_desk};
use crate::support::webdriver::Desk;

#[test]
fn the_desk_ships_by_label_and_waybill_scan_and_hands_over_to_an_agent() {
    let (data, registered) = registered_office(6);
    let mail: Vec<&CaseDetail> = registered
        .iter()
        .filter(|c| c.draft.delivery == Some(Delivery::Mail))
        .collect();
    let pickup = registered
        .iter()
        .find(|c| c.draft.delivery == Some(Delivery::Pickup))
        .expect("a registered pickup case");
    assert!(mail.len() >= 2, "{}", mail.len());
    let shots = fresh_shots("delivery");
    let mut d = Desk::start(&app(), &data, &shots);

    // 刘洋 holds the certificate desk only; the desk opens on 待制证, 邮寄 is beside it.
    sign_in_at_desk(&d, "liuyang");
    d.click("[data-testid=tab-mail]");
    d.wait("[data-testid=mail-tab]");
    d.wait_text(mail[0].registration_number.as_deref().unwrap());
    d.shot("mail-waiting");
    for c in &mail[..2] {
        d.js(
            "const tr=[...document.querySelectorAll('[data-testid=mail-tab] tr')].find(r=>r.innerText.includes(arguments[0])); tr.querySelector('input[type=checkbox]').click();",
            serde_json::json!([c.registration_number.as_deref().unwrap()]),
        );
    }
    d.click("[data-testid=mail-prepare]");
    d.wait_text("已装入 1 个邮件");
    d.wait_text("YJ-");
    // The code printed on the label (the scanner reads it from there).
    let code = {
        let store = data.open();
        let s = store
            .login(&LoginInput {
                username: "liuyang".into(),
                password: "Banquan2026".into(),
            })
            .unwrap();
        store.mail_desk(&s).unwrap().open[0].code.clone()
    };
    d.wait_text(&code);
    d.shot("mail-packed-label-printed");

    // The scanner types the label's code, then SF's waybill, each ending with Enter.
    d.type_into("[data-testid=mail-scan]", &code);
    d.keys("[data-testid=mail-scan]", ENTER);
    d.wait_text(&format!("当前邮件：{code}"));
    d.type_into("[data-testid=mail-scan]", "SF123456789012");
    d.keys("[data-testid=mail-scan]", ENTER);
    d.wait_text("运单号 SF 后应为 13 位数字，现为 12 位");
    d.shot("mail-waybill-wrong");
    d.retype("[data-testid=mail-scan]", "SF1234567890123");
    d.keys("[data-testid=mail-scan]", ENTER);
    d.wait_text("运单号 SF1234567890123");
    pause();
    d.shot("mail-shipped");
    // One Enter, one scan: no second attempt on the shipped shipment.
    assert!(!d.page_text().contains("不能再次扫描运单号"), "{}", d.page_text());

    // 自领: the agent of the agency scans the acceptance notice's barcode (the serial).
    d.click("[data-testid=tab-pickup]");
    d.wait("[data-testid=pickup-search]");
    d.type_into("[data-testid=pickup-tab] input", &pickup.serial);
    d.press(ENTER);
    d.wait_text("可领取");
    // One case found by the scanned serial: it is picked at once.
    d.wait_text("已选 1 本证书");
    d.shot("pickup-found");
    d.click("[data-testid=pickup-agent]");
    d.type_into("[data-testid=pickup-name]", "李代理");
    d.type_into("[data-testid=pickup-id-number]", "11010519491231002X");
    d.wait_text("号码有效");
    d.click("[data-testid=pickup-id-checked]");
    d.click("[data-testid=pickup-notice-seen]");
    let poa = scan(data.path(), "授权委托书.png");
    d.type_into("[data-testid=path-poa]", &poa);
    d.click("[data-testid=add-poa]");
    d.wait("[data-testid=poa-file]");
    d.shot("pickup-agent-checked");
    d.click("[data-testid=pickup-submit]");
    d.wait_text("领取登记 LQ-");
    d.click("[data-testid=pickup-receipt]");
    d.wait_text("签收单");
    d.shot("pickup-handed-over");

    let store = data.open();
    let s = store
        .login(&LoginInput {
            username: "liuyang".into(),
            password: "Banquan2026".into(),
        })
        .unwrap();
    assert_eq!(store.case_detail(&s, &pickup.id).unwrap().state, CaseState::PickedUp);
    for c in &mail[..2] {
        assert_eq!(store.case_detail(&s, &c.id).unwrap().state, CaseState::Mailed);
    }
}
