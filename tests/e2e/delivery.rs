//! The certificate desk's delivery: registered certificates packed by recipient, their label
//! printed, the label's code and SF's waybill scanned (a wrong waybill named first), and an
//! agency's agent collecting a certificate at pickup with ID, notice and power of attorney.

use regdesk_domain::filing::Delivery;
use regdesk_domain::lifecycle::{CaseState, PaymentMethod};
use regdesk_domain::payment::{TransferCommand, TransferInput};
use regdesk_domain::signature::SignatureMethod;
use regdesk_store::*;

use crate::support::keys::ENTER;
use crate::support::office::{app, fresh_shots, sample_office_with_2027, scan, Office};
use crate::support::steps::{pause, sign_in_at_desk};
use crate::support::webdriver::Desk;

/// Every filing of the sample office signed, paid, passed and approved; the e-invoice of every
/// pickup case sent. Returns the registered cases.
fn registered_office() -> (Office, Vec<CaseDetail>) {
    let (data, _) = sample_office_with_2027();
    let store = data.open();
    let login = |u: &str| {
        store
            .login(&LoginInput {
                username: u.into(),
                password: "Banquan2026".into(),
            })
            .unwrap()
    };
    let ids = |states: &str| -> Vec<String> {
        let c = regdesk_store::connect(&data.path().join(DB_FILE), &store.keys().database()).unwrap();
        let mut stmt = c
            .prepare(&format!("SELECT id FROM cases WHERE state IN ({states})"))
            .unwrap();
        let out = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        out
    };
    let clerk = login("wangli");
    let signed = store
        .add_file(
            &clerk,
            std::path::Path::new(&scan(data.path(), "签章页.png")),
            regdesk_domain::staff::FilePurpose::SignedForm,
        )
        .unwrap();
    for id in ids("'draft', 'awaiting_signatures'") {
        let mut d = store.case_detail(&clerk, &id).unwrap();
        if d.state == CaseState::Draft {
            d = store
                .submit_for_signing(
                    &clerk,
                    &CaseRef {
                        case_id: d.id.clone(),
                        version: d.version,
                    },
                )
                .unwrap();
        }
        let waiting: Vec<_> = d
            .signing
            .iter()
            .filter(|l| l.record.is_none())
            .map(|l| l.signer.party)
            .collect();
        for who in waiting {
            d = store
                .record_signature(
                    &clerk,
                    &RecordSignatureInput {
                        case_id: d.id.clone(),
                        version: d.version,
                        signer: who,
                        method: SignatureMethod::PaperScan {
                            scan_ref: signed.id.clone(),
                        },
                    },
                )
                .unwrap();
        }
    }
    let chen = login("chenxy");
    let open = ids("'awaiting_payment'");
    let t = store
        .record_transfer(
            &chen,
            &RecordTransferInput {
                transfer: TransferInput {
                    method: PaymentMethod::BankTransfer,
                    payer: "杭州某某版权代理有限公司".into(),
                    payer_account: "6222020200012345678".into(),
                    payer_bank: "工商银行杭州分行".into(),
                    amount_fen: 15_000 * open.len() as i64,
                    received_at: chrono::Utc::now().naive_utc(),
                    reference: "ICBC-E2E-DELIVERY".into(),
                    purpose: "作品登记费".into(),
                },
                receipt_file_id: None,
                shares: open
                    .iter()
                    .map(|id| ShareInput {
                        case_id: id.clone(),
                        amount_fen: 15_000,
                    })
                    .collect(),
            },
        )
        .unwrap();
    store
        .check_transfer(
            &login("hejun"),
            &CheckTransferInput {
                id: t.id,
                version: t.version,
                command: TransferCommand::Confirm,
            },
        )
        .unwrap();
    let li = login("liwen");
    let zhang = login("zhangwei");
    for id in ids("'awaiting_first_review', 'awaiting_final_review'") {
        let mut d = store.case_detail(&li, &id).unwrap();
        if d.state == CaseState::AwaitingFirstReview {
            d = store
                .first_review(
                    &li,
                    &ReviewDecisionInput {
                        case_id: d.id.clone(),
                        version: d.version,
                        decision: ReviewDecision::Pass,
                    },
                )
                .unwrap();
        }
        store
            .final_review(
                &zhang,
                &FinalDecisionInput {
                    case_id: d.id.clone(),
                    version: d.version,
                    decision: FinalDecision::Approve,
                },
            )
            .unwrap();
    }
    let registered: Vec<CaseDetail> = ids("'registered'")
        .iter()
        .map(|id| store.case_detail(&li, id).unwrap())
        .collect();
    let due: Vec<String> = store
        .invoices_due(&chen)
        .unwrap()
        .into_iter()
        .map(|r| r.case_id)
        .collect();
    store
        .mark_invoices_issued(
            &chen,
            &MarkInvoicesInput {
                case_ids: due,
                invoice_number: "FP-E2E-0001".into(),
            },
        )
        .unwrap();
    (data, registered)
}

#[test]
fn the_desk_ships_by_label_and_waybill_scan_and_hands_over_to_an_agent() {
    let (data, registered) = registered_office();
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
