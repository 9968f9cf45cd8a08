//! 证书发放：mailing by label and waybill, pickup at the desk, the acceptance notice.

use chrono::NaiveDate;
use regdesk_domain::filing::Delivery;
use regdesk_domain::identity::DocumentType;
use regdesk_domain::lifecycle::{CaseState, PaymentMethod};
use regdesk_domain::payment::{TransferCommand, TransferInput};
use regdesk_domain::shipping::{CollectorKind, HandoverInput, LabelSize};

use super::fixtures::*;
use crate::*;

fn login(f: &Fixture, user: &str) -> Session {
    f.store
        .login(&LoginInput {
            username: user.into(),
            password: crate::demo::DEMO_PASSWORD.into(),
        })
        .unwrap()
}

struct Desk {
    f: Fixture,
    /// 刘洋, certificate desk only.
    liu: Session,
    chen: Session,
    clerk: Session,
    registered: Vec<CaseDetail>,
}

/// The sample office with `n` filings, every one paid, passed and approved.
fn registered(n: u32) -> Desk {
    let f = fixture();
    crate::demo::fill(&f.store, n).unwrap();
    let admin = login(&f, "admin");
    f.store
        .load_calendar_year(&admin, "year 2027\nsource 测试用\noff 2027-01-01 元旦\n")
        .unwrap();
    // Every draft (the sample's pickup filings among them) is submitted and signed in full.
    let clerk = login(&f, "wangli");
    let scan = f.dir.path().join("签章页.png");
    std::fs::write(&scan, include_bytes!("../../../../assets/icons/32x32.png")).unwrap();
    let signed = f.store.add_file(&clerk, &scan, FilePurpose::SignedForm).unwrap();
    let open_ids: Vec<String> = {
        let c = f.store.conn();
        let mut stmt = c
            .prepare("SELECT id FROM cases WHERE state IN ('draft', 'awaiting_signatures')")
            .unwrap();
        let ids = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .unwrap()
            .collect::<rusqlite::Result<Vec<_>>>()
            .unwrap();
        ids
    };
    for id in open_ids {
        let mut d = f.store.case_detail(&clerk, &id).unwrap();
        if d.state == CaseState::Draft {
            d = f
                .store
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
            d = f
                .store
                .record_signature(
                    &clerk,
                    &RecordSignatureInput {
                        case_id: d.id.clone(),
                        version: d.version,
                        signer: who,
                        method: regdesk_domain::signature::SignatureMethod::PaperScan {
                            scan_ref: signed.id.clone(),
                        },
                    },
                )
                .unwrap();
        }
    }
    let chen = login(&f, "chenxy");
    let he = login(&f, "hejun");
    let li = login(&f, "liwen");
    let zhang = login(&f, "zhangwei");
    let open: Vec<String> = f
        .store
        .payment_cases(&chen, &PaymentCasesInput { search: None })
        .unwrap()
        .into_iter()
        .filter(|r| r.state == CaseState::AwaitingPayment)
        .map(|r| r.case_id)
        .collect();
    if !open.is_empty() {
        let t = f
            .store
            .record_transfer(
                &chen,
                &RecordTransferInput {
                    transfer: TransferInput {
                        method: PaymentMethod::BankTransfer,
                        payer: "林晓雨".into(),
                        payer_account: "6222 0202 0001 2345 678".into(),
                        payer_bank: "工商银行杭州分行".into(),
                        amount_fen: 15_000 * open.len() as i64,
                        received_at: NaiveDate::from_ymd_opt(2026, 11, 25)
                            .unwrap()
                            .and_hms_opt(9, 5, 0)
                            .unwrap(),
                        reference: "ICBC20261125888".into(),
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
        f.store
            .check_transfer(
                &he,
                &CheckTransferInput {
                    id: t.id,
                    version: t.version,
                    command: TransferCommand::Confirm,
                },
            )
            .unwrap();
    }
    let ids: Vec<String> = {
        let c = f.store.conn();
        let mut stmt = c
            .prepare("SELECT id FROM cases WHERE state IN ('awaiting_first_review', 'awaiting_final_review')")
            .unwrap();
        let ids = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .unwrap()
            .collect::<rusqlite::Result<Vec<_>>>()
            .unwrap();
        ids
    };
    for id in ids {
        let mut d = f.store.case_detail(&li, &id).unwrap();
        if d.state == CaseState::AwaitingFirstReview {
            d = f
                .store
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
        f.store
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
    let liu = login(&f, "liuyang");
    let clerk = login(&f, "wangli");
    let registered: Vec<CaseDetail> = {
        let c = f.store.conn();
        let mut stmt = c
            .prepare("SELECT id FROM cases WHERE state = 'registered' ORDER BY registration_number")
            .unwrap();
        let ids = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .unwrap()
            .collect::<rusqlite::Result<Vec<_>>>()
            .unwrap();
        drop(stmt);
        drop(c);
        ids.iter().map(|id| f.store.case_detail(&liu, id).unwrap()).collect()
    };
    Desk {
        f,
        liu,
        chen,
        clerk,
        registered,
    }
}

fn of(d: &Desk, delivery: Delivery) -> Vec<CaseDetail> {
    d.registered
        .iter()
        .filter(|c| c.draft.delivery == Some(delivery))
        .cloned()
        .collect()
}

fn state(d: &Desk, id: &str) -> CaseState {
    d.f.store.case_detail(&d.liu, id).unwrap().state
}

#[test]
fn mailing_labels_waybill_scan_and_the_same_waybill_never_twice() {
    let d = registered(12);
    let mail = of(&d, Delivery::Mail);
    assert!(mail.len() >= 4, "{}", mail.len());
    let desk = d.f.store.mail_desk(&d.liu).unwrap();
    assert_eq!(desk.waiting.len(), mail.len());
    assert_eq!(desk.label_size, LabelSize::Mm100x150);
    assert!(desk.waiting[0].recipient_phone.contains("****"), "masked");

    // Only the certificate desk.
    let e =
        d.f.store
            .prepare_shipments(
                &d.clerk,
                &PrepareShipmentsInput {
                    case_ids: vec![mail[0].id.clone()],
                },
            )
            .unwrap_err();
    assert!(e.to_string().contains("制证发证"), "{e}");

    // Same recipient: one envelope.
    let before = journal_count(&d.f);
    let two =
        d.f.store
            .prepare_shipments(
                &d.liu,
                &PrepareShipmentsInput {
                    case_ids: vec![mail[0].id.clone(), mail[1].serial.clone()],
                },
            )
            .unwrap();
    assert_eq!(journal_count(&d.f), before + 1);
    assert_eq!(two.len(), 1);
    assert_eq!(two[0].cases.len(), 2);
    let one =
        d.f.store
            .prepare_shipments(
                &d.liu,
                &PrepareShipmentsInput {
                    case_ids: vec![mail[2].id.clone()],
                },
            )
            .unwrap();
    assert_ne!(one[0].code, two[0].code);
    // A case goes in one envelope only; a pickup case is not mailed.
    let again = d.f.store.prepare_shipments(
        &d.liu,
        &PrepareShipmentsInput {
            case_ids: vec![mail[0].id.clone()],
        },
    );
    assert!(again.unwrap_err().to_string().contains("已装入邮件"));
    let pickup = of(&d, Delivery::Pickup);
    let e =
        d.f.store
            .prepare_shipments(
                &d.liu,
                &PrepareShipmentsInput {
                    case_ids: vec![pickup[0].id.clone()],
                },
            )
            .unwrap_err();
    assert!(e.to_string().contains("自领"), "{e}");

    // Labels: one page per shipment, journaled.
    let before = journal_count(&d.f);
    let (name, pdf) =
        d.f.store
            .print_labels(
                &d.liu,
                &ShipmentsInput {
                    shipments: vec![two[0].code.clone(), one[0].id.clone()],
                },
            )
            .unwrap();
    assert_eq!(journal_count(&d.f), before + 1);
    assert!(name.ends_with(".pdf"));
    let t = pdf_text(&pdf);
    assert!(
        t.contains("到付") && t.contains("作品登记证书×2") && t.contains(&two[0].code),
        "{t}"
    );
    assert!(
        t.contains("浙江省杭州市拱墅区大关路100号"),
        "the full address on the label: {t}"
    );
    assert!(t.contains(mail[0].registration_number.as_deref().unwrap()));

    // SF's sheet with the mapping.
    let xlsx =
        d.f.store
            .export_sf_orders(
                &d.liu,
                &ShipmentsInput {
                    shipments: vec![two[0].id.clone()],
                },
            )
            .unwrap();
    assert!(xlsx.starts_with(b"PK"));

    // A wrong waybill is named; a good one ships both cases.
    let bad = d.f.store.scan_waybill(
        &d.liu,
        &ScanWaybillInput {
            shipment: two[0].code.clone(),
            waybill: "SF12345".into(),
        },
    );
    let e = bad.unwrap_err();
    assert!(e.to_string().contains("SF 后应为 13 位数字"), "{e}");
    let before = journal_count(&d.f);
    let shipped =
        d.f.store
            .scan_waybill(
                &d.liu,
                &ScanWaybillInput {
                    shipment: two[0].code.clone(),
                    waybill: "sf1234567890123".into(),
                },
            )
            .unwrap();
    assert_eq!(journal_count(&d.f), before + 1, "one command");
    assert_eq!(shipped.waybill.as_deref(), Some("SF1234567890123"));
    for c in &mail[..2] {
        assert_eq!(state(&d, &c.id), CaseState::Mailed);
    }
    // The same waybill never on two shipments, and nothing changes.
    let before = journal_count(&d.f);
    let e =
        d.f.store
            .scan_waybill(
                &d.liu,
                &ScanWaybillInput {
                    shipment: one[0].code.clone(),
                    waybill: "SF1234567890123".into(),
                },
            )
            .unwrap_err();
    assert!(e.to_string().contains(&format!("已用于邮件 {}", two[0].code)), "{e}");
    assert_eq!(journal_count(&d.f), before);
    assert_eq!(state(&d, &mail[2].id), CaseState::Registered);
    // A shipped shipment is not scanned again.
    let e =
        d.f.store
            .scan_waybill(
                &d.liu,
                &ScanWaybillInput {
                    shipment: two[0].id.clone(),
                    waybill: "123456789012".into(),
                },
            )
            .unwrap_err();
    assert!(e.to_string().contains("已于运单"), "{e}");

    // By case (the command line): not yet in an envelope → one is made and shipped.
    let by_case =
        d.f.store
            .ship_cases(
                &d.liu,
                &ShipCasesInput {
                    cases: vec![mail[3].registration_number.clone().unwrap()],
                    waybill: "123456789012".into(),
                },
            )
            .unwrap();
    assert_eq!(by_case.cases.len(), 1);
    assert_eq!(state(&d, &mail[3].id), CaseState::Mailed);

    // The day's list.
    let desk = d.f.store.mail_desk(&d.liu).unwrap();
    assert_eq!(desk.shipped_today.len(), 2);
    assert_eq!(desk.open.len(), 1);
    let today = crate::office_date(d.f.store.now());
    let (_, list) = d.f.store.shipping_list_pdf(&d.liu, today).unwrap();
    let t = pdf_text(&list);
    assert!(t.contains("SF1234567890123") && t.contains("123456789012"), "{t}");
    assert!(!t.contains("大关路100号"), "addresses masked in the list");
    let (_, x) = d.f.store.shipping_list_xlsx(&d.liu, today).unwrap();
    assert!(x.starts_with(b"PK"));

    let report = d.f.store.verify_audit().unwrap();
    assert!(report.ok, "{report:?}");
}

/// The day's list and the mail desk's 今日已寄 are the office day's range of
/// the shipping time's index: a shipment at 23:59:59 office time is that day's,
/// one a second later the next day's; no scan of every shipment.
#[test]
fn the_days_shipments_are_a_range_of_the_shipping_time_index_in_office_days() {
    use chrono::TimeZone;
    let d = registered(12);
    let mail = of(&d, Delivery::Mail);
    assert!(mail.len() >= 2);
    let ship = |at: chrono::DateTime<chrono::Utc>, case: &CaseDetail, waybill: &str| {
        d.f.clock.set(at);
        let liu = login(&d.f, "liuyang");
        d.f.store
            .ship_cases(
                &liu,
                &ShipCasesInput {
                    cases: vec![case.registration_number.clone().unwrap()],
                    waybill: waybill.into(),
                },
            )
            .unwrap();
        liu
    };
    ship(
        Utc.with_ymd_and_hms(2026, 11, 25, 15, 59, 59).unwrap(),
        &mail[0],
        "SF1234567890123",
    );
    let liu = ship(
        Utc.with_ymd_and_hms(2026, 11, 25, 16, 0, 0).unwrap(),
        &mail[1],
        "987654321098",
    );
    let day = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let text_of = |day: NaiveDate| pdf_text(&d.f.store.shipping_list_pdf(&liu, day).unwrap().1);
    let t = text_of(day);
    assert!(t.contains("SF1234567890123") && !t.contains("987654321098"), "{t}");
    let t = text_of(day.succ_opt().unwrap());
    assert!(t.contains("987654321098") && !t.contains("SF1234567890123"), "{t}");
    // Now it is 00:00:00 on the 26th, office time: today's one is the second.
    let desk = d.f.store.mail_desk(&liu).unwrap();
    assert_eq!(
        desk.shipped_today.iter().map(|s| s.waybill.clone()).collect::<Vec<_>>(),
        vec![Some("987654321098".to_string())]
    );

    let (from, to) = crate::delivery::office_day_range(day);
    assert_eq!(from, Utc.with_ymd_and_hms(2026, 11, 24, 16, 0, 0).unwrap());
    assert_eq!(to, Utc.with_ymd_and_hms(2026, 11, 25, 16, 0, 0).unwrap());
    let conn = d.f.store.conn();
    let plan = |sql: &str, params: &[&dyn rusqlite::ToSql]| -> String {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows: Vec<String> = stmt
            .query_map(params, |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        rows.join(" | ")
    };
    for p in [
        plan(crate::delivery::SHIPPED_BETWEEN, &[&from, &to]),
        plan(crate::delivery::OPEN_SHIPMENTS, &[]),
    ] {
        assert!(p.contains("USING INDEX shipments_by_shipped"), "{p}");
        assert!(!p.contains("SCAN"), "{p}");
    }
}

fn collector(kind: CollectorKind) -> HandoverInput {
    HandoverInput {
        collector: kind,
        name: "李代理".into(),
        id_type: DocumentType::ResidentId,
        id_number: "11010519491231002X".into(),
        id_checked: true,
        notice_seen: true,
        loss_statement_file: None,
        power_of_attorney_file: None,
    }
}

#[test]
fn pickup_waits_for_the_invoice_and_an_agency_collects_many_at_once() {
    let d = registered(12);
    let pickup = of(&d, Delivery::Pickup);
    let mail = of(&d, Delivery::Mail);
    assert!(pickup.len() >= 2, "{}", pickup.len());
    // Found by serial (the notice's barcode), by registration number, by name.
    let found =
        d.f.store
            .pickup_find(
                &d.liu,
                &PickupFindInput {
                    query: pickup[0].serial.clone(),
                },
            )
            .unwrap();
    assert_eq!(found.len(), 1);
    assert!(!found[0].can_hand_over);
    assert!(found[0].blocked_reason.as_deref().unwrap().contains("电子发票尚未发送"));
    let by_number =
        d.f.store
            .pickup_find(
                &d.liu,
                &PickupFindInput {
                    query: pickup[0].registration_number.clone().unwrap(),
                },
            )
            .unwrap();
    assert_eq!(by_number[0].case_id, pickup[0].id);

    // Refused before the e-invoice was sent; nothing is written.
    let ids: Vec<String> = pickup.iter().map(|c| c.id.clone()).collect();
    let before = journal_count(&d.f);
    let e =
        d.f.store
            .hand_over(
                &d.liu,
                &HandOverInput {
                    case_ids: ids.clone(),
                    collector: collector(CollectorKind::Own),
                },
            )
            .unwrap_err();
    assert!(e.to_string().contains("电子发票尚未发送"), "{e}");
    assert_eq!(journal_count(&d.f), before);

    d.f.store
        .mark_invoices_issued(
            &d.chen,
            &MarkInvoicesInput {
                case_ids: ids.iter().chain(mail.iter().map(|c| &c.id)).cloned().collect(),
                invoice_number: "FP-2026-0001".into(),
            },
        )
        .unwrap();

    // An agent needs the power of attorney.
    let e =
        d.f.store
            .hand_over(
                &d.liu,
                &HandOverInput {
                    case_ids: ids.clone(),
                    collector: collector(CollectorKind::Agent),
                },
            )
            .unwrap_err();
    assert!(e.to_string().contains("授权委托书"), "{e}");
    // A file added for another purpose is not a power of attorney.
    let scan = d.f.dir.path().join("授权委托书.png");
    std::fs::write(&scan, include_bytes!("../../../../assets/icons/32x32.png")).unwrap();
    let loss = d.f.store.add_file(&d.liu, &scan, FilePurpose::LossStatement).unwrap();
    let mut wrong = collector(CollectorKind::Agent);
    wrong.power_of_attorney_file = Some(loss.id.clone());
    let e =
        d.f.store
            .hand_over(
                &d.liu,
                &HandOverInput {
                    case_ids: ids.clone(),
                    collector: wrong,
                },
            )
            .unwrap_err();
    assert!(e.to_string().contains("不是为此用途上传"), "{e}");

    let poa = d.f.store.add_file(&d.liu, &scan, FilePurpose::PowerOfAttorney).unwrap();
    let mut agent = collector(CollectorKind::Agent);
    agent.power_of_attorney_file = Some(poa.id.clone());
    let before = journal_count(&d.f);
    let h =
        d.f.store
            .hand_over(
                &d.liu,
                &HandOverInput {
                    case_ids: ids.clone(),
                    collector: agent.clone(),
                },
            )
            .unwrap();
    assert_eq!(journal_count(&d.f), before + 1, "one handover, one command");
    assert_eq!(h.cases.len(), pickup.len());
    assert_eq!(h.id_number, "110105********002X");
    assert_eq!(h.documents, vec!["身份证件", "受理通知书", "授权委托书"]);
    for c in &pickup {
        assert_eq!(state(&d, &c.id), CaseState::PickedUp);
    }
    // Picked up once only.
    let e =
        d.f.store
            .hand_over(
                &d.liu,
                &HandOverInput {
                    case_ids: vec![ids[0].clone()],
                    collector: agent,
                },
            )
            .unwrap_err();
    assert!(e.to_string().contains("已领取"), "{e}");

    let (name, pdf) = d.f.store.handover_receipt_pdf(&d.liu, &h.number).unwrap();
    assert!(name.contains(&h.number));
    let t = pdf_text(&pdf);
    assert!(
        t.contains("作品登记证书签收单") && t.contains("李代理（代理人）"),
        "{t}"
    );
    for c in &pickup {
        assert!(t.contains(c.registration_number.as_deref().unwrap()), "{t}");
    }
    assert!(!t.contains("11010519491231002X"));
    let report = d.f.store.verify_audit().unwrap();
    assert!(report.ok, "{report:?}");
}

#[test]
fn the_acceptance_notice_once_accepted_at_the_counter_finance_and_the_desk() {
    let d = registered(4);
    let c = &d.registered[0];
    for s in [&d.liu, &d.chen, &d.clerk] {
        let (name, pdf) = d.f.store.acceptance_notice_pdf(s, &c.serial).unwrap();
        assert!(name.contains("受理通知书"));
        let t = pdf_text(&pdf);
        assert!(t.contains("作品登记受理通知书") && t.contains(&c.serial), "{t}");
        assert!(t.contains("30个工作日"), "{t}");
    }
    let li = login(&d.f, "liwen");
    let e = d.f.store.acceptance_notice_pdf(&li, &c.serial).unwrap_err();
    assert!(e.to_string().contains("打印受理通知书"), "{e}");
    // A filing not yet accepted has none.
    let draft =
        d.f.store
            .save_draft(
                &d.clerk,
                &SaveDraftInput {
                    case_id: None,
                    version: None,
                    applicant_id: None,
                    draft: regdesk_domain::filing::FilingDraft::default(),
                },
            )
            .unwrap()
            .serial;
    let e = d.f.store.acceptance_notice_pdf(&d.clerk, &draft).unwrap_err();
    assert!(e.to_string().contains("尚未受理"), "{e}");
    // The views say so, for the counter's and finance's print buttons.
    assert!(
        d.f.store
            .case_detail(&d.clerk, &c.serial)
            .unwrap()
            .has_acceptance_notice
    );
    assert!(!d.f.store.case_detail(&d.clerk, &draft).unwrap().has_acceptance_notice);
    // The top bar's search says so too, to those who may print it.
    let found = |s: &Session, text: &str| {
        d.f.store
            .search_cases(
                s,
                &CaseSearchInput {
                    text: text.to_string(),
                    limit: None,
                },
            )
            .unwrap()
            .hits
    };
    for s in [&d.liu, &d.chen, &d.clerk] {
        let hits = found(s, &c.serial);
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert!(hits[0].has_acceptance_notice, "{:?}", hits[0]);
        assert!(found(s, &draft).iter().all(|h| !h.has_acceptance_notice));
    }
    let hits = found(&li, &c.serial);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert!(!hits[0].has_acceptance_notice);
    let transfers = d.f.store.transfers(&d.chen, &TransfersInput { state: None }).unwrap();
    let mut accepted = 0;
    for a in transfers.iter().flat_map(|t| t.allocations.iter()) {
        let case = d.f.store.case_detail(&d.clerk, &a.case_id).unwrap();
        assert_eq!(a.has_acceptance_notice, case.accepted_on.is_some(), "{}", a.serial);
        accepted += usize::from(a.has_acceptance_notice);
    }
    assert!(accepted > 0);
}

#[test]
fn delivery_settings_are_the_admins_and_checked() {
    let d = registered(1);
    let admin = login(&d.f, "admin");
    let mut s = d.f.store.delivery_settings(&d.liu).unwrap();
    s.sf_columns
        .retain(|c| c.field != regdesk_domain::shipping::SfField::RecipientAddress);
    let input = |s: &DeliverySettingsView, size| UpdateDeliverySettingsInput {
        version: s.version,
        label_size: size,
        sender_name: "浙江版权服务中心".into(),
        sender_phone: "0571-85100000".into(),
        sender_address: "杭州市文二路 1 号".into(),
        sf_columns: s.sf_columns.clone(),
    };
    let e =
        d.f.store
            .update_delivery_settings(&admin, &input(&s, LabelSize::Mm76x130))
            .unwrap_err();
    assert!(e.to_string().contains("收件地址"), "{e}");
    let e =
        d.f.store
            .update_delivery_settings(&d.liu, &input(&s, LabelSize::Mm76x130))
            .unwrap_err();
    assert!(e.to_string().contains("系统管理员"), "{e}");
    let s = d.f.store.delivery_settings(&d.liu).unwrap();
    let v =
        d.f.store
            .update_delivery_settings(&admin, &input(&s, LabelSize::Mm76x130))
            .unwrap();
    assert_eq!(v.label_size, LabelSize::Mm76x130);
    assert_eq!(v.version, s.version + 1);
    assert!(
        d.f.store
            .update_delivery_settings(&admin, &input(&s, LabelSize::Mm100x150))
            .is_err(),
        "stale"
    );
}
