//! The certificate desk: 刘洋 prints the waiting certificates in one batch,
//! voids a spoiled sheet, and the produced PDF is kept as PNG beside the
//! screenshots to be looked at.

use std::time::Duration;

use crate::support::office::{app, fresh_shots, Office};
use crate::support::steps::{open_desk, sign_in_at_desk, sign_out};
use crate::support::webdriver::Desk;

/// The sample office (as the app's demo makes it: one case registered, one
/// revoked), with two more cases approved, so three certificates wait.
fn office_with_registrations() -> (Office, Vec<String>) {
    let data = Office::empty();
    let store = data.open();
    regdesk_store::demo::fill_office(&store, 24).unwrap();
    let login = |u: &str| {
        store
            .login(&regdesk_store::LoginInput {
                username: u.into(),
                password: "Banquan2026".into(),
            })
            .unwrap()
    };
    let (li, zhang) = (login("liwen"), login("zhangwei"));
    let first = |key: &str| {
        let c = store.case_detail(&li, key).unwrap();
        store
            .first_review(
                &li,
                &regdesk_store::ReviewDecisionInput {
                    case_id: c.id,
                    version: c.version,
                    decision: regdesk_store::ReviewDecision::Pass,
                },
            )
            .unwrap()
    };
    let last = |c: regdesk_store::CaseDetail| {
        store
            .final_review(
                &zhang,
                &regdesk_store::FinalDecisionInput {
                    case_id: c.id,
                    version: c.version,
                    decision: regdesk_store::FinalDecision::Approve,
                },
            )
            .unwrap()
    };
    let page = |q: regdesk_domain::queue::Queue, s: &regdesk_store::Session| {
        store
            .list_queue(
                s,
                &regdesk_store::QueueInput {
                    queue: q,
                    page: 1,
                    page_size: 50,
                    search: None,
                    sort: None,
                    office: None,
                    cursor: None,
                },
            )
            .unwrap()
            .rows
    };
    for r in page(regdesk_domain::queue::Queue::FinalReview, &zhang) {
        last(store.case_detail(&zhang, &r.serial).unwrap());
    }
    for r in page(regdesk_domain::queue::Queue::FirstReview, &li) {
        last(first(&r.serial));
    }
    let liu = login("liuyang");
    let numbers = store
        .certificate_queue(&liu, &regdesk_store::CertificateQueueFilter::default())
        .unwrap()
        .into_iter()
        .map(|r| r.registration_number)
        .collect();
    (data, numbers)
}

#[test]
fn the_certificate_desk_prints_a_batch_and_voids_a_spoiled_sheet() {
    let (data, numbers) = office_with_registrations();
    assert!(numbers.len() >= 3, "{numbers:?}");
    let shots = fresh_shots("certificates");
    let mut d = Desk::start(&app(), &data, &shots);
    sign_in_at_desk(&d, "liuyang");
    open_desk(&d, "certificates");
    d.wait("[data-testid=cert-to-print]");
    for n in &numbers {
        d.wait_text(n);
    }
    d.shot("to-print");

    // Everything waiting, printed at once on plain paper.
    d.js(
        "document.querySelector('[data-testid=cert-queue] thead input[type=checkbox]').click()",
        serde_json::json!([]),
    );
    d.wait_text(&format!("已选 {} 份", numbers.len()));
    d.shot("selected");
    d.click("[data-testid=print-selected]");
    d.wait_for("[data-testid=print-summary]", Duration::from_secs(60));
    let summary = d.text("[data-testid=print-summary]");
    assert!(
        summary.contains(&format!("已打印 {} 份，重印 0 份", numbers.len())),
        "{summary}"
    );
    d.wait_text("没有待制证的证书");
    d.shot("printed");

    // A spoiled sheet is voided with its reason, and the certificate waits again.
    d.click(&format!("[data-testid='void-{}']", numbers[0]));
    d.wait("[data-testid=void-reason]");
    d.type_into("[data-testid=void-reason]", "卡纸");
    d.shot("void-dialog");
    d.click("[data-testid=void-ok]");
    d.wait_text("已作废");
    d.wait_text(&numbers[0]);
    d.shot("voided");
    sign_out(&d);

    // The PDF the batch wrote, as pages to look at.
    let prints = data
        .open()
        .documents_dir(regdesk_store::DocumentFolder::Prints)
        .unwrap();
    let pdf = std::fs::read_dir(&prints)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "pdf"))
        .expect("the batch's PDF among the prints");
    let info = std::process::Command::new("pdfinfo").arg(&pdf).output();
    if let Ok(info) = info {
        let text = String::from_utf8_lossy(&info.stdout);
        assert!(text.contains(&format!("Pages:           {}", numbers.len())), "{text}");
        assert!(text.contains("(A4)"), "{text}");
        let _ = std::process::Command::new("pdftoppm")
            .args(["-r", "70", "-png", "-f", "1", "-l", "1"])
            .arg(&pdf)
            .arg(shots.join("certificate-page"))
            .status();
    }
}
