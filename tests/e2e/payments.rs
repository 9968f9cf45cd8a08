//! The payments desk: a transfer recorded by one person (with the bank receipt she attached
//! herself, holding finance only) and confirmed by another, an online payment confirmed by the
//! second finance person, a statement import cancelled.

use std::time::Duration;

use crate::support::office::{app, fresh_shots, sample_office_with_2027, scan};
use crate::support::steps::{row_text, sign_in_as, sign_out};
use crate::support::webdriver::Desk;

#[test]
fn one_finance_user_records_a_transfer_and_another_confirms_it() {
    let (data, waiting) = sample_office_with_2027();
    let case = waiting
        .iter()
        .find(|r| r.state == regdesk_domain::lifecycle::CaseState::AwaitingPayment)
        .expect("a case waiting for payment")
        .clone();
    // A second case, paid online: 陈晓燕 records it from the platform's payment record.
    let online = waiting
        .iter()
        .find(|r| r.state == regdesk_domain::lifecycle::CaseState::AwaitingPayment && r.case_id != case.case_id)
        .expect("a second case waiting for payment")
        .clone();
    let shots = fresh_shots("payments");
    let mut d = Desk::start(&app(), &data, &shots);

    // 陈晓燕 records the transfer for the case (the maker).
    sign_in_as(&d, "chenxy");
    d.wait("[data-testid=pay-cases]");
    d.wait_text(&case.serial);
    d.shot("cases-awaiting-payment");
    d.js(
        "const tr=[...document.querySelectorAll('[data-testid=pay-cases] tr')].find(r=>r.innerText.includes(arguments[0])); tr.querySelector('input[type=checkbox]').click();",
        serde_json::json!([case.serial]),
    );
    d.click("[data-testid=transfer-new]");
    d.wait("[data-testid=transfer-form]");
    d.wait_text(&case.serial);
    d.type_into("#transfer_payer", &case.applicant_name);
    d.type_into("#transfer_payer_account", "6222020200012345678");
    d.type_into("#transfer_amount", "150.00");
    d.type_into("#transfer_reference", "ICBC20261125E2E01");
    // 陈晓燕 holds finance only: she attaches the bank receipt (回单) herself.
    let receipt = scan(data.path(), "工行回单.png");
    d.type_into("[data-testid=path-receipt]", &receipt);
    d.click("[data-testid=add-receipt]");
    d.wait("[data-testid=receipt-file]");
    let attached = d.text("[data-testid=receipt-file]");
    assert!(attached.contains("工行回单.png"), "{attached}");
    assert!(!d.page_text().contains("添加文件失败"), "the receipt was refused");
    d.shot("transfer-form-receipt-attached-by-finance");
    d.click("[data-testid=transfer-submit]");
    d.wait_text("待另一位核款人员确认");
    d.wait_gone("[data-testid=transfer-form]");

    // The online payment, recorded like a transfer under its 平台交易号, with the platform's record.
    d.wait_text(&online.serial);
    d.js(
        "const tr=[...document.querySelectorAll('[data-testid=pay-cases] tr')].find(r=>r.innerText.includes(arguments[0])); tr.querySelector('input[type=checkbox]').click();",
        serde_json::json!([online.serial]),
    );
    d.click("[data-testid=online-new]");
    d.wait("[data-testid=transfer-form]");
    d.wait_text("平台交易号");
    d.wait_text(&online.serial);
    d.type_into("#transfer_payer", &online.applicant_name);
    d.type_into("#transfer_amount", "150.00");
    d.type_into("#transfer_reference", "wx4200 e2e 0001");
    let record = scan(data.path(), "支付记录.png");
    d.type_into("[data-testid=path-receipt]", &record);
    d.click("[data-testid=add-receipt]");
    d.wait("[data-testid=receipt-file]");
    d.shot("online-payment-form");
    d.click("[data-testid=transfer-submit]");
    d.wait_text("待另一位核款人员确认");
    d.wait_gone("[data-testid=transfer-form]");
    d.click("[data-testid=tab-pay-check]");
    d.wait("[data-testid=transfer-0]");
    d.wait_text("ICBC20261125E2E01");
    let disabled = d
        .js(
            "return document.querySelector('[data-testid=confirm-0]').disabled",
            serde_json::json!([]),
        )
        .as_bool();
    assert_eq!(disabled, Some(true), "the maker cannot confirm");
    // Nor the online payment she recorded; its platform reference is stored normalized.
    d.wait_text(&online.serial);
    d.wait_text("WX4200E2E0001");
    let online_disabled = d
        .js(
            "const c=[...document.querySelectorAll('[data-testid^=transfer-]')].find(e=>/^transfer-\\d+$/.test(e.dataset.testid)&&e.innerText.includes(arguments[0])); return c.querySelector('button[data-testid^=confirm-]').disabled",
            serde_json::json!([online.serial]),
        )
        .as_bool();
    assert_eq!(
        online_disabled,
        Some(true),
        "the maker cannot confirm an online payment"
    );
    d.shot("maker-cannot-confirm");
    sign_out(&d);

    // 何军 confirms it (the checker): the case is accepted and its clock starts.
    sign_in_as(&d, "hejun");
    d.wait("[data-testid=pay-cases]");
    d.click("[data-testid=tab-pay-check]");
    d.wait("[data-testid=transfer-0]");
    d.shot("checker-sees-transfer");
    let confirm_card = |d: &Desk, text: &str| {
        d.js(
            "const c=[...document.querySelectorAll('[data-testid^=transfer-]')].find(e=>/^transfer-\\d+$/.test(e.dataset.testid)&&e.innerText.includes(arguments[0])); c.querySelector('button[data-testid^=confirm-]').click();",
            serde_json::json!([text]),
        );
        d.click("[data-testid=confirm-ok]");
        d.wait("[data-testid=check-result]");
    };
    confirm_card(&d, "ICBC20261125E2E01");
    d.wait_text("待初审");
    d.shot("confirmed");
    // The online payment: 平台交易号 shown like a transfer's reference, confirmed by the second person.
    d.wait_text(&online.serial);
    d.wait_text("平台交易号");
    d.shot("online-payment-to-confirm");
    d.click("[data-testid=check-result] .ant-alert-close-icon");
    d.wait_gone("[data-testid=check-result]");
    confirm_card(&d, &online.serial);
    let said = d.text("[data-testid=check-result]");
    assert!(said.contains(&online.serial), "{said}");
    d.shot("online-payment-confirmed");

    // A long statement shows how far the matching has come; 取消 stops it and
    // nothing is recorded.
    let long = data.path().join("整月流水.csv");
    let mut csv = String::from("交易日期,对方户名,对方账号,借方发生额,贷方发生额,摘要,交易流水号\n");
    for i in 0..60_000 {
        csv.push_str(&format!(
            "2026-11-{:02},付款单位{i},6222{i:012},,{}.00,货款,LONG{i:08}\n",
            1 + i % 24,
            100 + i % 50
        ));
    }
    std::fs::write(&long, csv).unwrap();
    d.click("[data-testid=tab-pay-statement]");
    d.type_into("[data-testid=statement-path]", long.to_str().unwrap());
    d.click("[data-testid=statement-preview]");
    d.wait_for("[data-testid=statement-progress]", Duration::from_secs(60));
    d.shot("statement-progress");
    d.click("[data-testid=statement-cancel]");
    d.wait_for("[data-testid=statement-cancelled]", Duration::from_secs(60));
    let said = d.text("[data-testid=statement-cancelled]");
    assert!(
        said.contains("没有记录任何一行") && said.contains("共 60000 行"),
        "{said}"
    );
    d.shot("statement-cancelled");
    sign_out(&d);

    // The first reviewer finds it in 待初审 with its deadline and the working days left.
    sign_in_as(&d, "liwen");
    d.wait("[data-testid=queue-first_review]");
    let row = row_text(&d, "first_review", &case.serial);
    assert!(row.contains("2027-01-") && row.contains("个工作日"), "{row}");
    d.shot("first-review-queue-with-deadline");
}
