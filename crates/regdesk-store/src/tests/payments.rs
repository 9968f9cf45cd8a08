//! Payments (payments.rs): transfers, four eyes, statements, refunds, invoices, the day report.

use chrono::NaiveDate;
use regdesk_domain::lifecycle::{CaseState, PaymentMethod};
use regdesk_domain::payment::{RefundInput, RefundMethod, TransferCommand, TransferInput, TransferState};

use super::fixtures::*;
use crate::*;

struct Desk {
    f: Fixture,
    clerk: Session,
    chen: Session,
    he: Session,
}

fn desk(cases: u32) -> Desk {
    let f = sample_office(cases);
    let clerk = sample_login(&f, "wangli");
    let chen = sample_login(&f, "chenxy");
    let he = sample_login(&f, "hejun");
    Desk { f, clerk, chen, he }
}

fn waiting(d: &Desk) -> Vec<PaymentCaseRow> {
    d.f.store
        .payment_cases(&d.chen, &PaymentCasesInput { search: None })
        .unwrap()
        .into_iter()
        .filter(|r| r.state == CaseState::AwaitingPayment)
        .collect()
}

#[test]
fn one_transfer_pays_two_works_the_maker_cannot_confirm_and_confirmation_starts_the_clock() {
    let d = desk(9);
    let open = waiting(&d);
    let same: Vec<&PaymentCaseRow> = open.iter().filter(|r| r.applicant_name == "林晓雨").collect();
    assert!(same.len() >= 2, "{open:?}");
    assert!(same.iter().all(|r| r.owed_fen == 15_000 && r.short_fen == 15_000));
    let (a, b) = (same[0], same[1]);
    let before = journal_count(&d.f);
    let t =
        d.f.store
            .record_transfer(
                &d.chen,
                &RecordTransferInput {
                    transfer: transfer(35_000, "ICBC20261125001"),
                    receipt_file_id: None,
                    shares: vec![share(&a.case_id, 15_000), share(&b.case_id, 15_000)],
                },
            )
            .unwrap();
    assert_eq!(journal_count(&d.f), before + 1, "one command, one journal entry");
    assert_eq!(
        (t.state, t.over_fen, t.allocations.len()),
        (TransferState::Recorded, 5_000, 2)
    );
    assert!(t
        .allocations
        .iter()
        .all(|x| x.case_state == CaseState::AwaitingPaymentCheck));
    assert!(!t.may_confirm, "the maker may not confirm");
    // The same bank reference is not recorded twice.
    let again =
        d.f.store
            .record_transfer(
                &d.chen,
                &RecordTransferInput {
                    transfer: transfer(15_000, "ICBC20261125001"),
                    receipt_file_id: None,
                    shares: vec![share(&open[0].case_id, 15_000)],
                },
            )
            .unwrap_err()
            .to_api();
    assert_eq!(again.fields[0].field, "transfer.reference");
    assert!(
        again.fields[0].message.contains("流水号 ICBC20261125001 已登记过")
            && again.fields[0].message.contains(&a.serial),
        "{}",
        again.fields[0].message
    );
    // Four eyes: the maker is refused, a second finance person confirms.
    let confirm = CheckTransferInput {
        id: t.id.clone(),
        version: t.version,
        command: TransferCommand::Confirm,
    };
    let e = d.f.store.check_transfer(&d.chen, &confirm).unwrap_err().to_api();
    assert_eq!(e.kind, ErrorKind::Refused);
    assert!(e.message.contains("另一位核款人员"), "{}", e.message);
    assert_eq!(
        d.f.store.check_transfer(&d.clerk, &confirm).unwrap_err().kind(),
        ErrorKind::Permission
    );
    let done = d.f.store.check_transfer(&d.he, &confirm).unwrap();
    assert_eq!(done.state, TransferState::Confirmed);
    assert_eq!(done.checked_by_name.as_deref(), Some("何军"));
    for c in [a, b] {
        let detail = d.f.store.case_detail(&d.he, &c.case_id).unwrap();
        assert_eq!(detail.state, CaseState::AwaitingFirstReview);
        assert_eq!(detail.accepted_on, NaiveDate::from_ymd_opt(2026, 11, 25));
        // The 30th working day falls in 2027, whose calendar is not loaded: the deadline waits for it.
        assert_eq!(detail.due_on, None);
    }
    // Loading the year (test data: 元旦 only) fills the deadlines in, in the same command.
    let admin = sample_login(&d.f, "admin");
    d.f.store
        .load_calendar_year(&admin, "year 2027\nsource 测试用日历\noff 2027-01-01 元旦\n")
        .unwrap();
    for c in [a, b] {
        let detail = d.f.store.case_detail(&d.he, &c.case_id).unwrap();
        assert_eq!(detail.due_on, NaiveDate::from_ymd_opt(2027, 1, 7));
    }
    // The over payment is the applicant's balance.
    let row =
        d.f.store
            .payment_cases(&d.chen, &PaymentCasesInput { search: None })
            .unwrap()
            .into_iter()
            .find(|r| r.applicant_name == "林晓雨")
            .map(|r| r.applicant_balance_fen);
    if let Some(balance) = row {
        assert_eq!(balance, 5_000);
    }
    assert!(d.f.store.verify_audit().unwrap().ok);
}

#[test]
fn short_payments_wait_and_a_rejection_returns_the_case_with_its_reason() {
    let d = desk(3);
    let case = waiting(&d).remove(0);
    let part =
        d.f.store
            .record_transfer(
                &d.chen,
                &RecordTransferInput {
                    transfer: transfer(10_000, "ALI-1"),
                    receipt_file_id: None,
                    shares: vec![share(&case.case_id, 10_000)],
                },
            )
            .unwrap();
    assert_eq!(part.allocations[0].case_state, CaseState::AwaitingPayment);
    let now = waiting(&d).into_iter().find(|r| r.case_id == case.case_id).unwrap();
    assert_eq!((now.covered_fen, now.short_fen), (10_000, 5_000));
    let rest =
        d.f.store
            .record_transfer(
                &d.he,
                &RecordTransferInput {
                    transfer: transfer(5_000, "ALI-2"),
                    receipt_file_id: None,
                    shares: vec![share(&case.case_id, 5_000)],
                },
            )
            .unwrap();
    assert_eq!(rest.allocations[0].case_state, CaseState::AwaitingPaymentCheck);
    // A reason is needed; the case returns to 待缴费 with it.
    let reject = |reason: &str| CheckTransferInput {
        id: rest.id.clone(),
        version: rest.version,
        command: TransferCommand::Reject { reason: reason.into() },
    };
    assert_eq!(
        d.f.store.check_transfer(&d.chen, &reject(" ")).unwrap_err().kind(),
        ErrorKind::Refused
    );
    let r = d.f.store.check_transfer(&d.chen, &reject("银行未到账")).unwrap();
    assert_eq!(r.state, TransferState::Rejected);
    assert_eq!(r.allocations[0].case_state, CaseState::AwaitingPayment);
    let back = waiting(&d).into_iter().find(|r| r.case_id == case.case_id).unwrap();
    assert_eq!(back.covered_fen, 10_000, "the rejected transfer no longer counts");
    // The first part still waits for checking; confirming it alone does not accept the case.
    let first =
        d.f.store
            .check_transfer(
                &d.he,
                &CheckTransferInput {
                    id: part.id.clone(),
                    version: part.version,
                    command: TransferCommand::Confirm,
                },
            )
            .unwrap();
    assert_eq!(first.allocations[0].case_state, CaseState::AwaitingPayment);
}

#[test]
fn a_statement_line_with_the_serial_is_recorded_once_and_waits_for_a_second_person() {
    let d = desk(6);
    let case = waiting(&d).remove(0);
    let csv = format!(
        "中国工商银行账户明细\n账号,1202020209000012345\n\n交易日期,对方户名,对方账号,借方发生额,贷方发生额,摘要,交易流水号\n\
         2026-11-25,林晓雨,6222020200012345678,,150.00,{} 作品登记费,ICBC-A1\n\
         2026-11-25,杭州某某公司,6222020200099999999,,150.00,服务费,ICBC-A2\n\
         2026-11-25,国网杭州供电,,320.00,,电费,ICBC-A3\n合计,,,320.00,300.00,,\n",
        case.serial
    );
    let path = d.f.dir.path().join("流水.csv");
    std::fs::write(&path, csv).unwrap();
    let input = |dry_run| ImportStatementInput {
        path: path.to_str().unwrap().into(),
        dry_run,
    };
    let before = journal_count(&d.f);
    let preview = d.f.store.import_statement(&d.chen, &input(true)).unwrap();
    assert_eq!(journal_count(&d.f), before, "a preview writes nothing");
    let decisions: Vec<LineDecision> = preview.lines.iter().map(|l| l.decision).collect();
    assert_eq!(
        decisions,
        [LineDecision::Matched, LineDecision::Unmatched, LineDecision::Ignored]
    );
    assert_eq!(preview.lines[0].case_serial.as_deref(), Some(case.serial.as_str()));

    // Cancelled while matching (the desk's 取消): nothing is recorded.
    let seen = std::cell::RefCell::new(Vec::new());
    let e =
        d.f.store
            .import_statement_watched(&d.chen, &input(false), &|p| {
                seen.borrow_mut().push(p);
                p.done < 2
            })
            .unwrap_err();
    assert!(
        matches!(&e, StoreError::Refused { code, .. } if code == "import_cancelled"),
        "{e:?}"
    );
    assert!(
        e.to_string()
            .contains("比对到第 2 行（共 3 行）时停止，没有记录任何一行"),
        "{e}"
    );
    assert_eq!(journal_count(&d.f), before);
    assert_eq!(d.f.store.open_statement_lines(&d.he).unwrap().len(), 0);
    // Watched to the end: every line, in order, then all of them.
    seen.borrow_mut().clear();
    let watched =
        d.f.store
            .import_statement_watched(&d.chen, &input(true), &|p| {
                seen.borrow_mut().push(p);
                true
            })
            .unwrap();
    assert_eq!(watched.lines.len(), 3);
    let progress: Vec<(u32, u32)> = seen.borrow().iter().map(|p| (p.done, p.total)).collect();
    assert_eq!(progress, [(0, 3), (1, 3), (2, 3), (3, 3)]);

    let done = d.f.store.import_statement(&d.chen, &input(false)).unwrap();
    assert_eq!(journal_count(&d.f), before + 1);
    assert_eq!((done.matched, done.waiting, done.ignored), (1, 1, 1));
    let tid = done.lines[0].transfer_id.clone().unwrap();
    let t = d.f.store.transfer(&d.he, &tid).unwrap();
    assert!(t.from_statement && t.may_confirm);
    assert_eq!(t.allocations[0].case_state, CaseState::AwaitingPaymentCheck);

    // The same statement again counts nothing twice.
    let again = d.f.store.import_statement(&d.chen, &input(false)).unwrap();
    assert_eq!((again.matched, again.waiting, again.already_imported), (0, 0, 3));
    let n: i64 = raw_db(d.f.store.path())
        .unwrap()
        .query_row("SELECT COUNT(*) FROM transfers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);

    // The unmatched line waits for a person, who may dismiss it with a note.
    let open = d.f.store.open_statement_lines(&d.he).unwrap();
    assert_eq!(open.len(), 1);
    let line = open[0].id.clone().unwrap();
    assert_eq!(
        d.f.store
            .dismiss_statement_line(
                &d.he,
                &DismissLineInput {
                    line_id: line.clone(),
                    note: "".into()
                }
            )
            .unwrap_err()
            .to_api()
            .fields[0]
            .field,
        "note"
    );
    d.f.store
        .dismiss_statement_line(
            &d.he,
            &DismissLineInput {
                line_id: line,
                note: "其他业务收入".into(),
            },
        )
        .unwrap();
    assert!(d.f.store.open_statement_lines(&d.he).unwrap().is_empty());
}

#[test]
fn refunds_invoices_and_the_day_report() {
    let d = desk(3);
    let case = waiting(&d).remove(0);
    paid(&d.f, &d.chen, &d.he, &case.case_id, "ICBC-R1");
    // Paid: on the invoice list, exported, then marked issued.
    let due = d.f.store.invoices_due(&d.chen).unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].amount_fen, 15_000);
    let xlsx = d.f.store.invoice_list_xlsx(&d.chen).unwrap();
    assert!(xlsx.starts_with(b"PK"));
    let n =
        d.f.store
            .mark_invoices_issued(
                &d.chen,
                &MarkInvoicesInput {
                    case_ids: vec![case.case_id.clone()],
                    invoice_number: "FP2026112500001".into(),
                },
            )
            .unwrap();
    assert_eq!(n, 1);
    assert!(d.f.store.invoices_due(&d.chen).unwrap().is_empty());

    // The day: one received and confirmed transfer.
    let day = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let report =
        d.f.store
            .day_report(&d.chen, &DayReportInput { from: day, to: day })
            .unwrap();
    assert_eq!(report.lines.len(), 1);
    assert_eq!(
        (
            report.totals.received_fen,
            report.totals.confirmed_fen,
            report.totals.pending_fen
        ),
        (15_000, 15_000, 0)
    );
    // The report names the audit chain's head: its last entry and the start of its hash.
    let (seq, hash): (u32, String) = raw_db(d.f.store.path())
        .unwrap()
        .query_row("SELECT seq, entry_hash FROM audit ORDER BY seq DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    let head = report.audit_head.clone().unwrap();
    assert_eq!((head.seq, head.hash_prefix.as_str()), (seq, &hash[..16]));
    let pdf =
        d.f.store
            .day_report_pdf(&d.chen, &DayReportInput { from: day, to: day })
            .unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let xlsx =
        d.f.store
            .day_report_xlsx(&d.chen, &DayReportInput { from: day, to: day })
            .unwrap();
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    let range = calamine::Reader::worksheet_range(&mut wb, "收费日报").unwrap();
    let printed = format!("审计链末条：第 {seq} 条，哈希 {}", &hash[..16]);
    assert!(
        range.rows().any(|r| r.iter().any(|c| c.to_string() == printed)),
        "{printed} not on the sheet"
    );

    // A refund owed (as a refusal leaves it) is recorded once, for the amount owed.
    let c = raw_db(d.f.store.path()).unwrap();
    c.execute(
        "UPDATE cases SET facts = json_set(facts, '$.refund_owed_fen', 15000) WHERE id = ?1",
        [&case.case_id],
    )
    .unwrap();
    let owed = d.f.store.refunds_due(&d.chen).unwrap();
    assert_eq!((owed.len(), owed[0].owed_fen), (1, 15_000));
    let refund = |amount_fen| RecordRefundInput {
        case_id: case.case_id.clone(),
        refund: RefundInput {
            method: RefundMethod::BankTransfer,
            amount_fen,
            reference: "TK-0001".into(),
            refunded_on: day,
        },
    };
    let e = d.f.store.record_refund(&d.chen, &refund(10_000)).unwrap_err().to_api();
    assert_eq!(e.fields[0].field, "refund.amount_fen");
    assert_eq!(
        d.f.store.record_refund(&d.clerk, &refund(15_000)).unwrap_err().kind(),
        ErrorKind::Permission
    );
    d.f.store.record_refund(&d.chen, &refund(15_000)).unwrap();
    assert!(d.f.store.refunds_due(&d.chen).unwrap().is_empty());
    let report =
        d.f.store
            .day_report(&d.chen, &DayReportInput { from: day, to: day })
            .unwrap();
    assert_eq!(report.totals.refunded_fen, 15_000);
}

#[test]
fn a_statement_pays_each_case_and_transfer_once_and_the_journal_names_what_was_applied() {
    let d = desk(9);
    let open = waiting(&d);
    let (a, b) = (&open[0], &open[1]);
    // A transfer recorded by hand, which the bank's line will confirm as seen.
    let t =
        d.f.store
            .record_transfer(
                &d.chen,
                &RecordTransferInput {
                    transfer: transfer(15_000, "ICBC-T9"),
                    receipt_file_id: None,
                    shares: vec![share(&b.case_id, 15_000)],
                },
            )
            .unwrap();
    let csv = format!(
        "交易日期,对方户名,对方账号,借方发生额,贷方发生额,摘要,交易流水号\n\
         2026-11-25,林晓雨,6222020200012345678,,150.00,{a} 作品登记费,ICBC-B1\n\
         2026-11-25,林晓雨,6222020200012345678,,150.00,{a} 作品登记费,ICBC-B2\n\
         2026-11-25,林晓雨,6222020200012345678,,150.00,作品登记费,ICBC-T9\n",
        a = a.serial
    );
    let path = d.f.dir.path().join("两次.csv");
    std::fs::write(&path, csv).unwrap();
    let done =
        d.f.store
            .import_statement(
                &d.chen,
                &ImportStatementInput {
                    path: path.to_str().unwrap().into(),
                    dry_run: false,
                },
            )
            .unwrap();
    let decisions: Vec<LineDecision> = done.lines.iter().map(|l| l.decision).collect();
    assert_eq!(decisions[0], LineDecision::Matched);
    assert_ne!(
        decisions[1],
        LineDecision::Matched,
        "the case was taken by the line before"
    );
    assert_eq!(decisions[2], LineDecision::Matched);
    assert_eq!(done.lines[0].case_serial.as_deref(), Some(a.serial.as_str()));
    assert_eq!(done.lines[2].transfer_id.as_deref(), Some(t.id.as_str()));
    assert_eq!((done.matched, done.waiting, done.ignored), (2, 1, 0));
    let c = raw_db(d.f.store.path()).unwrap();
    let seen: Option<String> = c
        .query_row("SELECT statement_line_id FROM transfers WHERE id = ?1", [&t.id], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(seen, done.lines[2].id);
    let payload: String = c
        .query_row(
            "SELECT payload FROM journal WHERE command = 'import_statement'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let payload: serde_json::Value = serde_json::from_str(&payload).unwrap();
    let new_transfer = done.lines[0].transfer_id.clone().unwrap();
    assert_eq!(
        payload,
        serde_json::json!({
            "file_name": "两次.csv",
            "new_lines": 3,
            "applied": [
                { "line": done.lines[0].line, "case": a.serial, "transfer": new_transfer },
                { "line": done.lines[2].line, "case": null, "transfer": t.id },
            ],
            "waiting": 1,
            "ignored": 0,
        })
    );
}

#[test]
fn the_applicants_balance_is_the_over_payment_of_confirmed_transfers() {
    let d = desk(9);
    let open = waiting(&d);
    let same: Vec<&PaymentCaseRow> = open.iter().filter(|r| r.applicant_name == "林晓雨").collect();
    assert!(same.len() >= 2, "{open:?}");
    let (a, b) = (same[0].case_id.clone(), same[1].case_id.clone());
    let balance = |d: &Desk| {
        d.f.store
            .payment_cases(&d.chen, &PaymentCasesInput { search: None })
            .unwrap()
            .into_iter()
            .find(|r| r.case_id == b)
            .unwrap()
            .applicant_balance_fen
    };
    let pay = |amount_fen, reference: &str| {
        d.f.store
            .record_transfer(
                &d.chen,
                &RecordTransferInput {
                    transfer: transfer(amount_fen, reference),
                    receipt_file_id: None,
                    shares: vec![share(&a, 15_000)],
                },
            )
            .unwrap()
    };
    let check = |t: &TransferView, command| {
        d.f.store
            .check_transfer(
                &d.he,
                &CheckTransferInput {
                    id: t.id.clone(),
                    version: t.version,
                    command,
                },
            )
            .unwrap()
    };
    // Over payment counts once confirmed, and a rejected transfer's never.
    let first = pay(18_000, "ICBC-O1");
    assert_eq!((first.over_fen, balance(&d)), (3_000, 0));
    check(
        &first,
        TransferCommand::Reject {
            reason: "金额不符".into(),
        },
    );
    assert_eq!(balance(&d), 0);
    let second = pay(20_000, "ICBC-O2");
    assert_eq!(balance(&d), 0);
    check(&second, TransferCommand::Confirm);
    assert_eq!(balance(&d), 5_000);
}

#[test]
fn a_paid_case_without_a_valid_invoice_email_is_listed_with_the_problem_named() {
    let d = desk(3);
    let case = waiting(&d).remove(0);
    let t =
        d.f.store
            .record_transfer(
                &d.chen,
                &RecordTransferInput {
                    transfer: transfer(15_000, "ICBC-E1"),
                    receipt_file_id: None,
                    shares: vec![share(&case.case_id, 15_000)],
                },
            )
            .unwrap();
    d.f.store
        .check_transfer(
            &d.he,
            &CheckTransferInput {
                id: t.id,
                version: t.version,
                command: TransferCommand::Confirm,
            },
        )
        .unwrap();
    let due = d.f.store.invoices_due(&d.chen).unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].email_problem, None, "{:?}", due[0]);
    assert!(due[0].email.contains('@'));
    // No e-mail on the filing, a mistyped one on the profile.
    let c = raw_db(d.f.store.path()).unwrap();
    c.execute(
        "UPDATE cases SET draft = json_set(draft, '$.invoice_email', '') WHERE id = ?1",
        [&case.case_id],
    )
    .unwrap();
    c.execute(
        "UPDATE applicants SET invoice_email = 'fapiao-at-example.cn'
         WHERE id = (SELECT applicant_id FROM cases WHERE id = ?1)",
        [&case.case_id],
    )
    .unwrap();
    let due = d.f.store.invoices_due(&d.chen).unwrap();
    assert_eq!(due.len(), 1, "still due: the case is paid");
    assert_eq!(due[0].email, "fapiao-at-example.cn");
    assert_eq!(
        due[0].email_problem.as_deref(),
        Some("电子发票接收邮箱格式不对，应形如 name@example.cn")
    );
    let json = serde_json::to_value(&due[0]).unwrap();
    assert!(json["email_problem"].is_string());
}

#[test]
fn the_tab_count_and_the_table_of_cases_to_pay_agree() {
    // The sample office has cases waiting for payment and one whose transfer waits for checking.
    let d = desk(24);
    let listed =
        d.f.store
            .payment_cases(&d.chen, &PaymentCasesInput { search: None })
            .unwrap();
    assert!(
        listed.iter().all(|r| r.state == CaseState::AwaitingPayment),
        "{listed:?}"
    );
    let overview =
        d.f.store
            .desk_overview(&d.chen, regdesk_domain::staff::Desk::Payments)
            .unwrap();
    let count = overview
        .queues
        .iter()
        .find(|q| q.queue == regdesk_domain::queue::Queue::AwaitingPayment)
        .map(|q| q.count)
        .unwrap();
    assert!(count > 0);
    assert_eq!(count as usize, listed.len());
}

fn online(amount_fen: i64, reference: &str) -> TransferInput {
    TransferInput {
        method: PaymentMethod::Online,
        payer_account: String::new(),
        payer_bank: String::new(),
        ..transfer(amount_fen, reference)
    }
}

fn record(d: &Desk, who: &Session, t: TransferInput, shares: Vec<ShareInput>) -> Result<TransferView> {
    d.f.store.record_transfer(
        who,
        &RecordTransferInput {
            transfer: t,
            receipt_file_id: None,
            shares,
        },
    )
}

fn check(d: &Desk, who: &Session, t: &TransferView) -> Result<TransferView> {
    d.f.store.check_transfer(
        who,
        &CheckTransferInput {
            id: t.id.clone(),
            version: t.version,
            command: TransferCommand::Confirm,
        },
    )
}

#[test]
fn an_online_payment_is_recorded_by_finance_and_confirmed_by_another_like_a_transfer() {
    let d = desk(12);
    let open: Vec<PaymentCaseRow> = waiting(&d).into_iter().filter(|r| r.method.is_none()).collect();
    assert!(open.len() >= 3, "{open:?}");
    let (a, b, c) = (&open[0], &open[1], &open[2]);
    assert!(a.takes_online_payment && a.takes_transfer);
    // The counter cannot mark a case paid online.
    let e = record(
        &d,
        &d.clerk,
        online(15_000, "WX42000001"),
        vec![share(&a.case_id, 15_000)],
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Permission);
    // Finance records it: the platform reference is stored normalized, the case waits for the check.
    let before = journal_count(&d.f);
    let t = record(
        &d,
        &d.chen,
        online(15_000, " wx 4200 0001 "),
        vec![share(&a.case_id, 15_000)],
    )
    .unwrap();
    assert_eq!(journal_count(&d.f), before + 1, "one command, one journal entry");
    assert_eq!(
        (t.method, t.reference.as_str(), t.state, t.over_fen),
        (PaymentMethod::Online, "WX42000001", TransferState::Recorded, 0)
    );
    assert_eq!(t.allocations[0].case_state, CaseState::AwaitingPaymentCheck);
    assert!(!t.may_confirm, "the maker may not confirm");
    // The same platform reference, however typed, is refused for any other case, naming the case holding it.
    let e = record(
        &d,
        &d.he,
        online(15_000, "ｗｘ４２０００００１"),
        vec![share(&b.case_id, 15_000)],
    )
    .unwrap_err()
    .to_api();
    assert_eq!(
        (e.fields[0].field.as_str(), e.fields[0].code.as_str()),
        ("transfer.reference", "taken")
    );
    assert_eq!(
        e.fields[0].message,
        format!(
            "平台交易号 WX42000001 已登记过（林晓雨，¥150.00，待核款，案件 {}），同一笔在线支付不能重复登记",
            a.serial
        )
    );
    // Four eyes: the maker is refused, the counter is refused, a second finance person confirms.
    let e = check(&d, &d.chen, &t).unwrap_err().to_api();
    assert_eq!(e.kind, ErrorKind::Refused);
    assert!(e.message.contains("另一位核款人员"), "{}", e.message);
    assert_eq!(check(&d, &d.clerk, &t).unwrap_err().kind(), ErrorKind::Permission);
    let done = check(&d, &d.he, &t).unwrap();
    assert_eq!(done.state, TransferState::Confirmed);
    let detail = d.f.store.case_detail(&d.he, &a.case_id).unwrap();
    assert_eq!(detail.state, CaseState::AwaitingFirstReview);

    // Short: the case keeps waiting with what is missing; its method is now online, so a bank
    // transfer for it is refused, naming the case.
    let short = record(
        &d,
        &d.chen,
        online(10_000, "WX42000002"),
        vec![share(&b.case_id, 10_000)],
    )
    .unwrap();
    assert_eq!(short.allocations[0].case_state, CaseState::AwaitingPayment);
    let row = waiting(&d).into_iter().find(|r| r.case_id == b.case_id).unwrap();
    assert_eq!((row.covered_fen, row.short_fen), (10_000, 5_000));
    assert!(row.takes_online_payment && !row.takes_transfer);
    let e = record(
        &d,
        &d.chen,
        transfer(5_000, "ICBC-REST"),
        vec![share(&b.case_id, 5_000)],
    )
    .unwrap_err()
    .to_api();
    assert_eq!(e.fields[0].field, "shares[0].case_id");
    assert_eq!(
        e.fields[0].message,
        format!(
            "案件 {} 的缴费方式为在线支付，不能登记银行公对公转账；请按案件选定的方式登记",
            b.serial
        )
    );
    let rest = record(&d, &d.chen, online(5_000, "WX42000003"), vec![share(&b.case_id, 5_000)]).unwrap();
    assert_eq!(rest.allocations[0].case_state, CaseState::AwaitingPaymentCheck);
    check(&d, &d.he, &short).unwrap();
    // Still one payment of the case to check: it waits.
    assert_eq!(
        d.f.store.case_detail(&d.he, &b.case_id).unwrap().state,
        CaseState::AwaitingPaymentCheck
    );
    check(&d, &d.he, &rest).unwrap();
    assert_eq!(
        d.f.store.case_detail(&d.he, &b.case_id).unwrap().state,
        CaseState::AwaitingFirstReview
    );

    // Over: the case receives what it owes, the rest is the applicant's balance once confirmed.
    let over = record(
        &d,
        &d.chen,
        online(20_000, "WX42000004"),
        vec![share(&c.case_id, 15_000)],
    )
    .unwrap();
    assert_eq!(over.over_fen, 5_000);
    check(&d, &d.he, &over).unwrap();
    let c_case = d.f.store.case_detail(&d.he, &c.case_id).unwrap();
    assert_eq!(c_case.state, CaseState::AwaitingFirstReview);

    // Refused: the refund owed is what was confirmed for the case (the fee), never what was typed.
    let liwen = sample_login(&d.f, "liwen");
    let zhangwei = sample_login(&d.f, "zhangwei");
    let proposed =
        d.f.store
            .first_review(
                &liwen,
                &ReviewDecisionInput {
                    case_id: c_case.id.clone(),
                    version: c_case.version,
                    decision: ReviewDecision::ProposeRefusal {
                        ground: regdesk_domain::lifecycle::RefusalGround::NotAWork,
                        note: "通用图案".into(),
                    },
                },
            )
            .unwrap();
    d.f.store
        .final_review(
            &zhangwei,
            &FinalDecisionInput {
                case_id: proposed.id.clone(),
                version: proposed.version,
                decision: FinalDecision::ConfirmRefusal,
            },
        )
        .unwrap();
    let due = d.f.store.refunds_due(&d.chen).unwrap();
    let owed = due.iter().find(|r| r.case_id == c.case_id).unwrap();
    assert_eq!((owed.owed_fen, owed.paid_by), (15_000, Some(PaymentMethod::Online)));
    assert!(d.f.store.verify_audit().unwrap().ok);
}

#[test]
fn a_receipt_scan_is_attached_by_finance_alone() {
    let d = desk(12);
    let open = waiting(&d);
    let (case, other) = (open[0].clone(), open[1].clone());
    // 陈晓燕 holds finance only: she attaches the bank receipt and records the transfer with it.
    let receipt = file_for(&d.f, &d.chen, "回单.pdf", b"%PDF-1.4 receipt", FilePurpose::Receipt);
    assert_eq!(receipt.purpose, Some(FilePurpose::Receipt));
    let t =
        d.f.store
            .record_transfer(
                &d.chen,
                &RecordTransferInput {
                    transfer: transfer(15_000, "ICBC-RECEIPT-1"),
                    receipt_file_id: Some(receipt.id.clone()),
                    shares: vec![share(&case.case_id, 15_000)],
                },
            )
            .unwrap();
    assert_eq!(t.receipt_file_id.as_deref(), Some(receipt.id.as_str()));
    // A file added for another purpose is not a receipt.
    let sample = file(&d.f, &d.clerk, "样本.png", b"\x89PNG sample");
    let e =
        d.f.store
            .record_transfer(
                &d.chen,
                &RecordTransferInput {
                    transfer: transfer(15_000, "ICBC-RECEIPT-2"),
                    receipt_file_id: Some(sample.id),
                    shares: vec![share(&other.case_id, 15_000)],
                },
            )
            .unwrap_err()
            .to_api();
    assert_eq!(
        (e.fields[0].field.as_str(), e.fields[0].message.as_str()),
        (
            "receipt_file_id",
            "所选文件是作为作品样本或附件上传的，不是付款回单；请上传回单扫描件"
        )
    );
}
