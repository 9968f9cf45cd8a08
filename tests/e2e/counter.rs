//! The counter desk: applicant profiles, the ID panel, a filing drafted and signed.

use std::path::PathBuf;
use std::time::Duration;

use crate::support::office::{app, fresh_shots, sample_office, scan};
use crate::support::steps::{pause, sign_in_as, sign_in_at_desk};
use crate::support::webdriver::Desk;

#[test]
fn counter_clerk_finds_profiles_and_the_id_panel_checks_as_they_type() {
    let data = sample_office();
    let shots = fresh_shots("counter");
    let mut d = Desk::start(&app(), &data, &shots);

    sign_in_as(&d, "wangli");
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

    // Identity proofs: a scan attached, checked by the clerk (who and when), previewed.
    let front = scan(data.path(), "身份证正面-赵小川.png");
    d.type_into("[data-testid=path-proof] input, input[data-testid=path-proof]", &front);
    d.click("[data-testid=add-proof]");
    d.wait_text("身份证正面-赵小川.png");
    d.wait_text("待核验");
    d.click("[data-testid=proof-check-0]");
    d.click("[data-testid=proof-check-ok]");
    d.wait("[data-testid=proof-checked-0]");
    let checked = d.text("[data-testid=proof-checked-0]");
    assert!(checked.contains("已核验：王丽"), "{checked}");
    d.shot("proof-checked");
    d.click("[data-testid=proof-preview-0]");
    d.wait("[data-testid=file-preview] img");
    let mut shown = false;
    for _ in 0..30 {
        shown = d
            .js(
                "const i=document.querySelector('[data-testid=file-preview] img'); return !!(i && i.complete && i.naturalWidth > 0);",
                serde_json::json!([]),
            )
            .as_bool()
            .unwrap_or(false);
        if shown {
            break;
        }
        pause();
    }
    assert!(shown, "the scan shows in the preview");
    d.shot("proof-preview");
}

#[test]
fn counter_clerk_drafts_a_filing_and_records_a_signature() {
    let data = sample_office();
    let shots = fresh_shots("filing");
    let sample = data.path().join("样本-断桥.png");
    std::fs::copy(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/icons/icon.png"),
        &sample,
    )
    .unwrap();
    let mut d = Desk::start(&app(), &data, &shots);
    sign_in_at_desk(&d, "wangli");

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
    d.wait("[data-testid=queue-awaiting_signature] .queue-row-open");
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
