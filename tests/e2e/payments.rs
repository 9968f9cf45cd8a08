//! The payments desk: a transfer recorded by one person and confirmed by another, a statement import cancelled.

use std::time::Duration;

use crate::support::office::{app, fresh_shots, sample_office_with_2027};
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
    let shots = fresh_shots("payments");
    let mut d = Desk::start(&app(), data.path(), &shots);

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
    d.shot("transfer-form");
    d.click("[data-testid=transfer-submit]");
    d.wait_text("待另一位核款人员确认");
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
    d.shot("maker-cannot-confirm");
    sign_out(&d);

    // 何军 confirms it (the checker): the case is accepted and its clock starts.
    sign_in_as(&d, "hejun");
    d.wait("[data-testid=pay-cases]");
    d.click("[data-testid=tab-pay-check]");
    d.wait("[data-testid=transfer-0]");
    d.shot("checker-sees-transfer");
    d.click("[data-testid=confirm-0]");
    d.click("[data-testid=confirm-ok]");
    d.wait("[data-testid=check-result]");
    d.wait_text("待初审");
    d.shot("confirmed");

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
