//! The certificate desk: 刘洋 prints the waiting certificates in one batch,
//! voids a spoiled sheet, and the produced PDF is kept as PNG beside the
//! screenshots to be looked at.

use std::time::Duration;

use crate::support::documents;
use crate::support::keys::{CTRL_K, ENTER};
use crate::support::office::{app, fresh_shots, Office, PRINTER};
use crate::support::steps::{open_desk, pause, sign_in_as, sign_in_at_desk, sign_out};
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
        .rows
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
    d.wait_gone("[data-testid=void-reason]");
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

/// The numbers of `queue`'s rows on screen, in order.
fn numbers_on_screen(d: &Desk) -> Vec<String> {
    d.js(
        "return [...document.querySelectorAll('[data-testid=cert-queue] tbody tr[data-row-key]')].map(r=>r.dataset.rowKey)",
        serde_json::json!([]),
    )
    .as_array()
    .unwrap()
    .iter()
    .map(|v| v.as_str().unwrap().to_string())
    .collect()
}

/// Selects every row on the queue's page, as the header's checkbox does.
fn select_page(d: &Desk) {
    d.js(
        "document.querySelector('[data-testid=cert-queue] thead input[type=checkbox]').click()",
        serde_json::json!([]),
    );
}

/// 刘洋 prints a batch big enough to watch (the bar with its counts, then the summary),
/// cancels a second one half-way (nothing recorded for it), and calibrates the office's
/// printer: the offsets measured on the calibration page are kept and shown again.
/// The batch and the calibration page are kept as PNG beside the screenshots.
#[test]
fn a_long_batch_shows_its_progress_a_cancelled_one_records_nothing_and_the_printer_is_calibrated() {
    let (data, registered) = crate::support::office::registered_office(110);
    let data = data.with_print_service();
    assert!(registered.len() >= 80, "{}", registered.len());
    let shots = fresh_shots("certificate-batches");
    let mut d = Desk::start(&app(), &data, &shots);
    sign_in_at_desk(&d, "liuyang");
    open_desk(&d, "certificates");
    d.wait("[data-testid=cert-to-print]");
    d.wait("[data-testid=cert-queue] tbody tr[data-row-key]");
    // The print service's printer is offered beside the viewer.
    d.click("[data-testid=print-printer]");
    d.wait(&format!(".ant-select-item-option[title='{PRINTER}']"));
    d.shot("printers-offered");
    d.click(".ant-select-item-option[title='看图程序（不直接打印）']");

    // The first page of 待制证 (50 certificates) in one batch: the bar counts the pages.
    let first: Vec<String> = numbers_on_screen(&d);
    assert_eq!(first.len(), 50, "{first:?}");
    select_page(&d);
    d.wait_text("已选 50 份");
    d.click("[data-testid=print-selected]");
    d.wait_for("[data-testid=print-progress]", Duration::from_secs(60));
    let said = d.text("[data-testid=print-progress-text]");
    assert!(said.starts_with("已排版 ") && said.ends_with("/50"), "{said}");
    d.shot("batch-progress");
    d.wait_for("[data-testid=print-summary]", Duration::from_secs(120));
    let summary = d.text("[data-testid=print-summary]");
    assert!(summary.contains("已打印 50 份，重印 0 份"), "{summary}");
    d.shot("batch-summary");

    // A second batch, cancelled while it is being laid out: nothing is recorded.
    d.wait("[data-testid=cert-queue] tbody tr[data-row-key]");
    let second: Vec<String> = numbers_on_screen(&d);
    assert!(second.iter().all(|n| !first.contains(n)), "{second:?}");
    select_page(&d);
    d.wait_text(&format!("已选 {} 份", second.len()));
    d.click("[data-testid=print-selected]");
    d.wait_for("[data-testid=print-progress]", Duration::from_secs(60));
    d.click("[data-testid=print-cancel]");
    d.shot("batch-cancelling");
    d.wait_for("[data-testid=print-cancelled]", Duration::from_secs(120));
    let said = d.text("[data-testid=print-cancelled]");
    assert!(said.contains("已取消打印，未记录任何证书纸"), "{said}");
    assert!(!d.visible("[data-testid=print-summary]"));
    // The cancelled certificates still wait, none printed.
    d.wait("[data-testid=cert-queue] tbody tr[data-row-key]");
    assert_eq!(numbers_on_screen(&d), second);
    d.shot("batch-cancelled");

    // The printer's calibration: the page printed, the measured offsets typed and kept.
    d.click("[data-testid=print-printer]");
    d.click(&format!(".ant-select-item-option[title='{PRINTER}']"));
    d.click("[data-testid=print-offsets]");
    let x = "[data-testid=offsets-x] input, input[data-testid=offsets-x]";
    let y = "[data-testid=offsets-y] input, input[data-testid=offsets-y]";
    d.wait(x);
    d.retype(x, "1.5");
    d.retype(y, "-0.8");
    d.shot("calibration-offsets-typed");
    d.click("[data-testid=offsets-save]");
    d.wait_text(&format!("{PRINTER} 的偏移已保存：X 1.5 mm，Y -0.8 mm"));
    // The dialog fades out before the desk is clicked again.
    d.wait_gone(".ant-modal-content");
    pause();
    d.click("[data-testid=print-calibration]");
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while data.printed().is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
    }
    d.shot("calibration-printed");
    // Opened again, the dialog shows what was kept.
    d.click("[data-testid=print-offsets]");
    d.wait(x);
    let kept = |css: &str| {
        d.js(
            "return document.querySelector(arguments[0]).value",
            serde_json::json!([css]),
        )
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while kept(x).as_str() != Some("1.5") && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(150));
    }
    assert_eq!(kept(x).as_str(), Some("1.5"));
    assert_eq!(kept(y).as_str(), Some("-0.8"));
    d.shot("calibration-offsets-kept");
    d.click(".ant-modal-close");
    d.wait_gone(".ant-modal-content");
    sign_out(&d);

    let store = data.open();
    let liu = store
        .login(&regdesk_store::LoginInput {
            username: "liuyang".into(),
            password: "Banquan2026".into(),
        })
        .unwrap();
    for n in &first {
        assert_eq!(store.certificate_sheets(&liu, n).unwrap().len(), 1, "{n}");
    }
    for n in &second {
        assert!(
            store.certificate_sheets(&liu, n).unwrap().is_empty(),
            "{n} was recorded"
        );
    }
    let settings = store.certificate_settings(&liu).unwrap();
    let printer = settings.printers.iter().find(|p| p.name == PRINTER).unwrap();
    assert_eq!((printer.offset_x_mm, printer.offset_y_mm), (1.5, -0.8));

    // What was written: the batch (50 A4 pages, sorted by number, each number on its page), and
    // the calibration page the printer received.
    let prints = store.documents_dir(regdesk_store::DocumentFolder::Prints).unwrap();
    let pdfs = documents::pdfs_in(&prints);
    let batch = pdfs
        .iter()
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("证书-"))
        .expect("the batch's PDF");
    assert_eq!(
        pdfs.iter()
            .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("证书-"))
            .count(),
        1,
        "the cancelled batch wrote nothing: {pdfs:?}"
    );
    let info = documents::info(batch);
    assert!(info.contains("Pages:           50"), "{info}");
    assert!(info.contains("(A4)"), "{info}");
    let text = documents::text(batch);
    let mut at = 0;
    for n in &first {
        let found = text[at..]
            .find(n.as_str())
            .unwrap_or_else(|| panic!("{n} not in order in the batch"));
        at += found + n.len();
    }
    documents::pages_as_png(batch, &shots, "batch-page", 100, 1, 2);
    let jobs = data.printed();
    let calibration = jobs
        .iter()
        .find(|p| p.to_string_lossy().contains("校准页"))
        .unwrap_or_else(|| panic!("the calibration page among the printer's jobs: {jobs:?}"));
    let text = documents::text(calibration);
    assert!(text.contains(PRINTER), "{text}");
    documents::pages_as_png(calibration, &shots, "calibration-page", 100, 1, 1);
}

/// 何军 confirms a transfer at the payments desk: the case is accepted and the transfer's card
/// offers its 受理通知书, which is written, opened, and read back as the applicant's paper and
/// the pickup desk's scanner read it (the text in order, the serial's Code 128 at 300 dpi).
/// 王丽 at the counter then finds the accepted case from the top bar and prints it too.
#[test]
fn the_acceptance_notice_is_printed_from_the_confirmed_transfer_and_reads_back() {
    use regdesk_domain::lifecycle::{CaseState, PaymentMethod};
    use regdesk_domain::payment::TransferInput;
    let (data, waiting) = crate::support::office::sample_office_with_2027();
    let data = data.with_print_service();
    let case = waiting
        .iter()
        .find(|r| r.state == CaseState::AwaitingPayment)
        .expect("a case waiting for payment")
        .clone();
    {
        let store = data.open();
        let chen = store
            .login(&regdesk_store::LoginInput {
                username: "chenxy".into(),
                password: "Banquan2026".into(),
            })
            .unwrap();
        store
            .record_transfer(
                &chen,
                &regdesk_store::RecordTransferInput {
                    transfer: TransferInput {
                        method: PaymentMethod::BankTransfer,
                        payer: case.applicant_name.clone(),
                        payer_account: "6222020200012345678".into(),
                        payer_bank: "工商银行杭州分行".into(),
                        amount_fen: case.owed_fen,
                        received_at: chrono::Local::now().naive_local() - chrono::Duration::hours(1),
                        reference: "ICBC-E2E-NOTICE".into(),
                        purpose: "作品登记费".into(),
                    },
                    receipt_file_id: None,
                    shares: vec![regdesk_store::ShareInput {
                        case_id: case.case_id.clone(),
                        amount_fen: case.owed_fen,
                    }],
                },
            )
            .unwrap();
    }
    let shots = fresh_shots("acceptance-notice");
    let mut d = Desk::start(&app(), &data, &shots);
    crate::support::steps::sign_in_as(&d, "hejun");
    d.wait("[data-testid=pay-cases]");
    d.click("[data-testid=tab-pay-check]");
    d.wait("[data-testid=transfer-0]");
    d.wait_text("ICBC-E2E-NOTICE");
    // Not accepted yet: no notice.
    assert!(!d.visible(&format!("[data-testid='acceptance-notice-{}']", case.serial)));
    d.click("[data-testid=confirm-0]");
    d.click("[data-testid=confirm-ok]");
    d.wait("[data-testid=check-result]");
    d.wait_text("待初审");
    d.shot("transfer-confirmed");
    // The confirmed transfers: the case's notice is offered on its card.
    d.click("[data-testid=check-filter]");
    d.click(".ant-select-item-option[title='已确认']");
    d.wait_text("ICBC-E2E-NOTICE");
    d.click(&format!("[data-testid='acceptance-notice-{}']", case.serial));
    d.wait_text("受理通知书已生成");
    d.shot("notice-printed-from-transfer");
    sign_out(&d);

    // 王丽 at the counter: the accepted case has left her queues; she finds it from
    // the top bar (Ctrl+K, its serial, Enter) and prints its notice from the glance.
    sign_in_as(&d, "wangli");
    d.wait("[data-testid=global-search]");
    d.press_for_focus(CTRL_K, "[data-testid=global-search]");
    d.press(&case.serial);
    d.wait("[data-testid=global-search-option-0]");
    d.press(ENTER);
    d.wait("[data-testid=case-glance]");
    let glance = d.text("[data-testid=case-glance]");
    assert!(
        glance.contains("待初审") && glance.contains("打印受理通知书"),
        "{glance}"
    );
    // The drawer slides in: let it settle before the click.
    pause();
    d.shot("accepted-case-found");
    let before = data.opened_files().len();
    d.click("[data-testid=glance-acceptance-notice]");
    d.wait_text("受理通知书已生成");
    d.shot("notice-printed-from-search");
    let opened = data.opened_files();
    assert_eq!(opened.len(), before + 1, "{opened:?}");
    assert!(
        opened[before].to_string_lossy().ends_with("受理通知书.pdf"),
        "{opened:?}"
    );
    // The message sits over the drawer's close button until it fades.
    d.wait_gone(".ant-message-notice");
    d.click(".ant-drawer-close");
    d.wait_gone(".ant-drawer-mask");
    sign_out(&d);

    let opened = data.opened_files();
    let notice = opened
        .iter()
        .find(|p| p.to_string_lossy().ends_with("受理通知书.pdf"))
        .unwrap_or_else(|| panic!("the notice among the opened files: {opened:?}"));
    let info = documents::info(notice);
    assert!(info.contains("(A4)"), "{info}");
    let text = documents::text(notice);
    let store = data.open();
    let he = store
        .login(&regdesk_store::LoginInput {
            username: "hejun".into(),
            password: "Banquan2026".into(),
        })
        .unwrap();
    let detail = store.case_detail(&he, &case.case_id).unwrap();
    assert_eq!(detail.state, CaseState::AwaitingFirstReview);
    let accepted = detail.accepted_on.expect("accepted");
    let mut at = 0;
    for needle in [
        "作品登记受理通知书".to_string(),
        case.serial.clone(),
        detail.draft.work.title.trim().to_string(),
        case.applicant_name.clone(),
        accepted.format("%Y年%-m月%-d日").to_string(),
        "30 个工作日".to_string(),
    ] {
        let found = text[at..]
            .find(&needle)
            .unwrap_or_else(|| panic!("“{needle}” not found in order in the notice:\n{text}"));
        at += found + needle.len();
    }
    if let Some(due) = detail.due_on {
        assert!(text.contains(&due.format("%Y年%-m月%-d日").to_string()), "{text}");
    }
    let codes = documents::barcodes(notice, 1, &shots);
    assert!(
        codes.contains(&format!("CODE-128:{}", case.serial)),
        "the serial's Code 128 at 300 dpi: {codes:?}"
    );
    documents::pages_as_png(notice, &shots, "notice-page", 100, 1, 1);
}
