//! The certificate desk on a real database: the check code given on approval,
//! the electronic certificate, 待制证, printing with every sheet recorded,
//! reprints, spoiled sheets, revocation, the office's settings and the
//! category-letter tables.

use chrono::{NaiveDate, TimeZone, Utc};
use regdesk_domain::category::WorkCategory;
use regdesk_domain::certificate::PrintKind;
use regdesk_domain::filing::Delivery;
use regdesk_domain::lifecycle::CaseState;

use super::fixtures::*;
use crate::*;

/// The sample office: case 0 registered, case 7 registered then revoked.
fn desk() -> (Fixture, Session, Session) {
    let f = fixture();
    crate::demo::fill_office(&f.store, 24).unwrap();
    let liu = sample_login(&f, "liuyang");
    let admin = sample_login(&f, "admin");
    (f, liu, admin)
}

fn queue(f: &Fixture, s: &Session) -> Vec<CertificateRow> {
    f.store
        .certificate_queue(s, &CertificateQueueFilter::default())
        .unwrap()
        .rows
}

fn revoked_number(f: &Fixture) -> String {
    let c = raw_db(f.store.path()).unwrap();
    c.query_row(
        "SELECT number FROM registration_numbers WHERE state = 'revoked'",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

fn print(f: &Fixture, s: &Session, numbers: &[String], reason: &str) -> Result<(PrintSummary, Vec<u8>)> {
    f.store.print_certificates(
        s,
        &PrintCertificatesInput {
            numbers: numbers.to_vec(),
            reprint_reason: reason.into(),
            ..PrintCertificatesInput::default()
        },
        &mut |_, _| true,
    )
}

fn code_of(e: &StoreError) -> String {
    match e {
        StoreError::Refused { code, .. } => code.clone(),
        StoreError::Invalid(es) => es[0].code.clone(),
        other => format!("{other:?}"),
    }
}

#[test]
fn approval_gives_a_check_code_and_the_e_certificate_carries_it() {
    let (f, liu, admin) = desk();
    let rows = queue(&f, &liu);
    assert_eq!(rows.len(), 1, "only the registered case, not the revoked one: {rows:?}");
    let row = &rows[0];
    let c = raw_db(f.store.path()).unwrap();
    let check: String = c
        .query_row(
            "SELECT check_code FROM registration_numbers WHERE number = ?1",
            [&row.registration_number],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(check.len(), 10);
    assert!(check
        .chars()
        .all(|ch| ch.is_ascii_alphanumeric() && !"ILOU".contains(ch)));

    let (name, pdf) = f.store.certificate_pdf(&liu, &row.serial).unwrap();
    assert!(name.contains(&row.registration_number));
    assert!(pdf.starts_with(b"%PDF") && pdf.len() <= 150 * 1024);

    // Without the address the certificate is not made, and the message says where to set it.
    let settings = f.store.certificate_settings(&admin).unwrap();
    f.store
        .update_verification_url(
            &admin,
            &VerificationUrlInput {
                verification_url: String::new(),
                version: settings.version,
            },
        )
        .unwrap();
    let e = f.store.certificate_pdf(&liu, &row.registration_number).unwrap_err();
    assert_eq!(code_of(&e), "no_verification_url");
    assert!(e.to_string().contains("证书查验地址"));
    // A bad address is refused at the field.
    let e = f
        .store
        .update_verification_url(
            &admin,
            &VerificationUrlInput {
                verification_url: "ftp:/nothing".into(),
                version: settings.version + 1,
            },
        )
        .unwrap_err();
    assert_eq!(code_of(&e), "bad_url");
    assert!(f.store.verify_audit().unwrap().ok);
}

#[test]
fn the_verification_link_carries_the_number_and_the_check_code() {
    let (f, liu, _) = desk();
    let row = queue(&f, &liu).remove(0);
    let (_, pdf) = f.store.certificate_pdf(&liu, &row.registration_number).unwrap();
    let c = raw_db(f.store.path()).unwrap();
    let check: String = c
        .query_row(
            "SELECT check_code FROM registration_numbers WHERE number = ?1",
            [&row.registration_number],
            |r| r.get(0),
        )
        .unwrap();
    // Read the QR code back as a scanner would, when the tools are there.
    let have = |t: &str| std::process::Command::new(t).arg("-v").output().is_ok();
    if !(have("pdftoppm") && have("zbarimg")) {
        eprintln!("SKIPPED: pdftoppm/zbarimg not on PATH");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("c.pdf"), &pdf).unwrap();
    let ok = std::process::Command::new("pdftoppm")
        .args(["-r", "300", "-png", "-singlefile"])
        .arg(dir.path().join("c.pdf"))
        .arg(dir.path().join("c"))
        .status()
        .unwrap();
    assert!(ok.success());
    let out = std::process::Command::new("zbarimg")
        .args(["--raw", "-q"])
        .arg(dir.path().join("c.png"))
        .output()
        .unwrap();
    let link = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let url = url::Url::parse(&link).unwrap();
    assert!(link.starts_with(crate::demo::DEMO_VERIFICATION_URL), "{link}");
    let pairs: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into(), v.into())).collect();
    assert_eq!(
        pairs,
        vec![("no".into(), row.registration_number.clone()), ("code".into(), check)]
    );
}

#[test]
fn the_queue_filters_by_date_category_delivery_and_party() {
    let (f, liu, _) = desk();
    let row = queue(&f, &liu).remove(0);
    let with = |filter: CertificateQueueFilter| f.store.certificate_queue(&liu, &filter).unwrap().rows.len();
    let day = row.registered_on;
    let other = if row.category == Some(WorkCategory::Text) {
        WorkCategory::Music
    } else {
        WorkCategory::Text
    };
    let other_delivery = if row.delivery == Some(Delivery::Mail) {
        Delivery::Pickup
    } else {
        Delivery::Mail
    };
    let cases: Vec<(CertificateQueueFilter, usize)> = vec![
        (
            CertificateQueueFilter {
                registered_from: Some(day),
                registered_to: Some(day),
                ..Default::default()
            },
            1,
        ),
        (
            CertificateQueueFilter {
                registered_from: day.succ_opt(),
                ..Default::default()
            },
            0,
        ),
        (
            CertificateQueueFilter {
                registered_to: day.pred_opt(),
                ..Default::default()
            },
            0,
        ),
        (
            CertificateQueueFilter {
                category: row.category,
                ..Default::default()
            },
            1,
        ),
        (
            CertificateQueueFilter {
                category: Some(other),
                ..Default::default()
            },
            0,
        ),
        (
            CertificateQueueFilter {
                delivery: row.delivery,
                ..Default::default()
            },
            1,
        ),
        (
            CertificateQueueFilter {
                delivery: Some(other_delivery),
                ..Default::default()
            },
            0,
        ),
        (
            CertificateQueueFilter {
                party: row.applicant_name.chars().take(2).collect(),
                ..Default::default()
            },
            1,
        ),
        (
            CertificateQueueFilter {
                party: "没有这个申请人".into(),
                ..Default::default()
            },
            0,
        ),
    ];
    for (filter, n) in cases {
        assert_eq!(with(filter.clone()), n, "{filter:?}");
    }
    // Only the certificate desk works the queue.
    let clerk = sample_login(&f, "wangli");
    let e = f
        .store
        .certificate_queue(&clerk, &CertificateQueueFilter::default())
        .unwrap_err();
    assert!(e.to_string().contains("制证发证"), "{e}");
    assert!(f.store.certificate_pdf(&clerk, &row.serial).is_err());
}

#[test]
fn printing_records_each_sheet_and_a_reprint_needs_a_reason() {
    let (f, liu, _) = desk();
    let row = queue(&f, &liu).remove(0);
    let numbers = vec![row.registration_number.clone(), revoked_number(&f)];
    let before = journal_count(&f);
    let (summary, pdf) = f
        .store
        .print_certificates(
            &liu,
            &PrintCertificatesInput {
                numbers: numbers.clone(),
                mode: CertificateModeInput::Overprint,
                first_sheet_number: "ZJ-0099".into(),
                ..PrintCertificatesInput::default()
            },
            &mut |_, _| true,
        )
        .unwrap();
    assert_eq!(journal_count(&f), before + 1, "one command, one journal entry");
    assert!(pdf.starts_with(b"%PDF"));
    assert_eq!((summary.printed, summary.reprinted), (1, 0));
    assert_eq!(summary.skipped.len(), 1);
    assert!(summary.skipped[0].message.contains("已撤销"), "{:?}", summary.skipped);
    assert_eq!(summary.sheets.len(), 1);
    let sheet = &summary.sheets[0];
    assert_eq!(sheet.kind, PrintKind::First);
    assert_eq!(sheet.sheet_number.as_deref(), Some("ZJ-0099"));
    assert_eq!(sheet.printed_by, "刘洋");
    // Printed: no longer waiting.
    assert!(queue(&f, &liu).is_empty());
    let all = f
        .store
        .certificate_queue(
            &liu,
            &CertificateQueueFilter {
                include_printed: true,
                ..Default::default()
            },
        )
        .unwrap()
        .rows;
    assert_eq!(all[0].printed_sheets, 1);

    // A reprint without a reason prints nothing; with one it is recorded as a reprint.
    let e = print(&f, &liu, &numbers[..1], "").unwrap_err();
    assert_eq!(code_of(&e), "nothing_to_print");
    assert!(e.to_string().contains("重印原因"), "{e}");
    let (again, _) = print(&f, &liu, &numbers[..1], "申请人要求补打一份").unwrap();
    assert_eq!((again.printed, again.reprinted), (0, 1));
    assert_eq!(again.sheets[0].reprint_reason, "申请人要求补打一份");
    // The same pre-printed sheet is never recorded twice.
    let e = f
        .store
        .print_certificates(
            &liu,
            &PrintCertificatesInput {
                numbers: numbers[..1].to_vec(),
                reprint_reason: "卡纸".into(),
                first_sheet_number: "ZJ-0099".into(),
                ..PrintCertificatesInput::default()
            },
            &mut |_, _| true,
        )
        .unwrap_err();
    assert_eq!(code_of(&e), "sheet_number_used");

    // Cancelled: nothing recorded.
    let before = journal_count(&f);
    let e = f
        .store
        .print_certificates(
            &liu,
            &PrintCertificatesInput {
                numbers: numbers[..1].to_vec(),
                reprint_reason: "卡纸".into(),
                ..PrintCertificatesInput::default()
            },
            &mut |_, _| false,
        )
        .unwrap_err();
    assert_eq!(code_of(&e), "cancelled");
    assert_eq!(journal_count(&f), before);
    let history = f.store.certificate_sheets(&liu, &row.registration_number).unwrap();
    assert_eq!(history.len(), 2);
    assert!(f.store.verify_audit().unwrap().ok);
}

#[test]
fn a_spoiled_sheet_is_voided_with_a_reason_and_the_certificate_waits_again() {
    let (f, liu, _) = desk();
    let row = queue(&f, &liu).remove(0);
    let (summary, _) = print(&f, &liu, std::slice::from_ref(&row.registration_number), "").unwrap();
    let sheet = summary.sheets[0].clone();
    let e = f
        .store
        .void_certificate_sheet(
            &liu,
            &VoidSheetInput {
                sheet_id: sheet.id.clone(),
                reason: "  ".into(),
            },
        )
        .unwrap_err();
    assert_eq!(code_of(&e), "required");
    let before = journal_count(&f);
    let v = f
        .store
        .void_certificate_sheet(
            &liu,
            &VoidSheetInput {
                sheet_id: sheet.id.clone(),
                reason: "卡纸".into(),
            },
        )
        .unwrap();
    assert_eq!(journal_count(&f), before + 1);
    assert_eq!((v.state.as_str(), v.reason.as_deref()), ("voided", Some("卡纸")));
    assert_eq!(queue(&f, &liu).len(), 1, "back in 待制证");
    let e = f
        .store
        .void_certificate_sheet(
            &liu,
            &VoidSheetInput {
                sheet_id: sheet.id,
                reason: "再次".into(),
            },
        )
        .unwrap_err();
    assert_eq!(code_of(&e), "sheet_not_printed");
    // Printed again after the spoiled sheet: a first print, no reason needed.
    let (s2, _) = print(&f, &liu, std::slice::from_ref(&row.registration_number), "").unwrap();
    assert_eq!(s2.printed, 1);
}

#[test]
fn revocation_recalls_the_certificate_and_it_is_never_printed_again() {
    let (f, liu, admin) = desk();
    let row = queue(&f, &liu).remove(0);
    let (summary, _) = print(&f, &liu, std::slice::from_ref(&row.registration_number), "").unwrap();
    let d = f.store.case_detail(&admin, &row.case_id).unwrap();
    f.store
        .revoke_registration(
            &admin,
            &RevokeInput {
                case_id: d.id.clone(),
                version: d.version,
                ground: regdesk_domain::lifecycle::RevocationGround::ApplicantRequest,
                note: "与另案重复".into(),
            },
        )
        .unwrap();
    let sheets = f.store.certificate_sheets(&liu, &row.registration_number).unwrap();
    assert_eq!(sheets[0].id, summary.sheets[0].id);
    assert_eq!(sheets[0].state, "recalled");
    assert!(sheets[0].reason.as_deref().unwrap_or("").contains("撤销登记"));
    let e = print(&f, &liu, std::slice::from_ref(&row.registration_number), "补打").unwrap_err();
    assert!(e.to_string().contains("已撤销"), "{e}");
    let e = f.store.certificate_pdf(&liu, &row.registration_number).unwrap_err();
    assert_eq!(code_of(&e), "certificate_revoked");
    assert_eq!(
        f.store.case_detail(&admin, &row.case_id).unwrap().state,
        CaseState::Revoked
    );
    assert!(f.store.verify_audit().unwrap().ok);
}

#[test]
fn printers_keep_their_offsets_and_the_batch_uses_them() {
    let (f, liu, admin) = desk();
    let p = f
        .store
        .save_certificate_printer(
            &admin,
            &PrinterInput {
                name: "证书打印机".into(),
                offset_x_mm: 1.26,
                offset_y_mm: -2.0,
                version: 0,
            },
        )
        .unwrap();
    assert_eq!((p.offset_x_mm, p.offset_y_mm, p.version), (1.3, -2.0, 1));
    let e = f
        .store
        .save_certificate_printer(
            &admin,
            &PrinterInput {
                name: "证书打印机".into(),
                offset_x_mm: 25.0,
                offset_y_mm: 0.0,
                version: 1,
            },
        )
        .unwrap_err();
    assert_eq!(code_of(&e), "offset_range");
    // The desk stores what it measured on the calibration page: one journaled command.
    let p = f
        .store
        .save_certificate_printer(
            &liu,
            &PrinterInput {
                name: "证书打印机".into(),
                offset_x_mm: 1.5,
                offset_y_mm: -2.0,
                version: 1,
            },
        )
        .unwrap();
    assert_eq!((p.offset_x_mm, p.version), (1.5, 2));
    let c = raw_db(f.store.path()).unwrap();
    let (command, staff): (String, String) = c
        .query_row(
            "SELECT j.command, s.username FROM journal j JOIN staff s ON s.id = j.staff_id
             WHERE j.entity = 'certificate_printer' ORDER BY j.seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (command.as_str(), staff.as_str()),
        ("save_certificate_printer", "liuyang")
    );
    drop(c);
    // Nobody else: the counter clerk is refused, naming who may.
    let clerk = sample_login(&f, "wangli");
    let e = f
        .store
        .save_certificate_printer(
            &clerk,
            &PrinterInput {
                name: "证书打印机".into(),
                offset_x_mm: 0.0,
                offset_y_mm: 0.0,
                version: 2,
            },
        )
        .unwrap_err();
    assert!(e.to_string().contains("保存打印机偏移"), "{e}");
    assert_eq!(f.store.certificate_settings(&liu).unwrap().printers, vec![p.clone()]);
    let row = queue(&f, &liu).remove(0);
    let (summary, _) = f
        .store
        .print_certificates(
            &liu,
            &PrintCertificatesInput {
                numbers: vec![row.registration_number],
                mode: CertificateModeInput::Overprint,
                printer: "证书打印机".into(),
                ..PrintCertificatesInput::default()
            },
            &mut |_, _| true,
        )
        .unwrap();
    let c = raw_db(f.store.path()).unwrap();
    let (mode, printer, x, y): (String, String, f64, f64) = c
        .query_row(
            "SELECT mode, printer, offset_x_mm, offset_y_mm FROM certificate_prints WHERE id = ?1",
            [&summary.print_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(
        (mode.as_str(), printer.as_str(), x, y),
        ("overprint", "证书打印机", 1.5, -2.0)
    );
    let page = f
        .store
        .calibration_pdf(&liu, "证书打印机", CertificateModeInput::Overprint)
        .unwrap();
    assert!(page.starts_with(b"%PDF"));
}

#[test]
fn a_letter_table_used_for_numbers_changes_only_from_a_stated_later_day() {
    let (f, _, admin) = desk();
    let v = f.store.category_letters(&admin).unwrap();
    assert_eq!(v.in_force.starts_on, None, "the built-in default");
    assert_eq!(v.numbers_issued, 2);
    let photo = v
        .in_force
        .entries
        .iter()
        .find(|e| e.category == WorkCategory::Photography)
        .unwrap();
    assert_eq!((photo.letter.as_str(), photo.confirmed), ("G", true));
    let dance = v
        .in_force
        .entries
        .iter()
        .find(|e| e.category == WorkCategory::Dance)
        .unwrap();
    assert_eq!((dance.confirmed_letter.clone(), dance.confirmed), (None, false));

    let text = v.in_force.text.replace("H 舞蹈", "S 舞蹈");
    let e = f
        .store
        .set_category_letters(
            &admin,
            &SetLettersInput {
                text: text.clone(),
                starts_on: None,
            },
        )
        .unwrap_err();
    assert_eq!(code_of(&e), "start_required");
    let today = crate::office_date(f.clock.now());
    let e = f
        .store
        .set_category_letters(
            &admin,
            &SetLettersInput {
                text: text.clone(),
                starts_on: Some(today),
            },
        )
        .unwrap_err();
    assert_eq!(code_of(&e), "start_before_issued");
    let e = f
        .store
        .set_category_letters(
            &admin,
            &SetLettersInput {
                text: "A 文字".into(),
                starts_on: today.succ_opt(),
            },
        )
        .unwrap_err();
    assert_eq!(code_of(&e), "missing_category");
    let tomorrow = today.succ_opt().unwrap();
    let v = f
        .store
        .set_category_letters(
            &admin,
            &SetLettersInput {
                text,
                starts_on: Some(tomorrow),
            },
        )
        .unwrap();
    assert_eq!(v.in_force.starts_on, None, "today's numbers keep today's table");
    assert_eq!(v.scheduled.len(), 1);
    assert_eq!(v.scheduled[0].starts_on, Some(tomorrow));
    // From tomorrow the new table is in force, and nothing was issued under it yet.
    f.clock.set(Utc.with_ymd_and_hms(2026, 11, 26, 1, 0, 0).unwrap());
    let admin = sample_login(&f, "admin");
    let v = f.store.category_letters(&admin).unwrap();
    assert_eq!(
        v.in_force.starts_on,
        Some(NaiveDate::from_ymd_opt(2026, 11, 26).unwrap())
    );
    assert_eq!(v.numbers_issued, 0);
    let dance = v
        .in_force
        .entries
        .iter()
        .find(|e| e.category == WorkCategory::Dance)
        .unwrap();
    assert_eq!(dance.letter, "S");
    // Only an admin changes the table.
    let liu = sample_login(&f, "liuyang");
    assert!(f
        .store
        .set_category_letters(
            &liu,
            &SetLettersInput {
                text: v.in_force.text.clone(),
                starts_on: None
            }
        )
        .is_err());
    assert!(f.store.verify_audit().unwrap().ok);
}

#[test]
fn a_database_from_before_certificates_keeps_the_letters_it_issued_numbers_under() {
    let f = fixture();
    crate::demo::fill_office(&f.store, 12).unwrap();
    let path = f.store.path().to_path_buf();
    drop(f.store);
    super::db::as_version_12(&raw_db(&path).unwrap());
    let store = open_store(f.dir.path(), f.clock.clone()).unwrap();
    let conn = raw_db(&path).unwrap();
    let missing: i64 = conn
        .query_row(
            "SELECT count(*) FROM registration_numbers WHERE check_code IS NULL OR length(check_code) <> 10",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(missing, 0, "every registration has its check code");
    let admin = {
        store
            .login(&LoginInput {
                username: "admin".into(),
                password: crate::demo::DEMO_PASSWORD.into(),
            })
            .unwrap()
    };
    let v = store.category_letters(&admin).unwrap();
    assert_eq!(v.in_force.starts_on, NaiveDate::from_ymd_opt(1, 1, 1));
    let photo = v
        .in_force
        .entries
        .iter()
        .find(|e| e.category == WorkCategory::Photography)
        .unwrap();
    assert_eq!(
        (
            photo.letter.as_str(),
            photo.confirmed,
            photo.confirmed_letter.as_deref()
        ),
        ("K", false, Some("G"))
    );
    // Opened again: nothing more to record.
    let entries: i64 = conn
        .query_row("SELECT count(*) FROM journal", [], |r| r.get(0))
        .unwrap();
    drop(store);
    let store = open_store(f.dir.path(), f.clock.clone()).unwrap();
    let again: i64 = conn
        .query_row("SELECT count(*) FROM journal", [], |r| r.get(0))
        .unwrap();
    assert_eq!(again, entries);
    drop(store);
}

#[test]
fn a_kept_letter_table_is_recorded_in_the_audit_chain_on_open() {
    // What migration 017 does in a database that has row digests: the table
    // numbers were issued under is kept without a command; the next open
    // records it, once.
    let f = fixture();
    crate::demo::fill_office(&f.store, 12).unwrap();
    let path = f.store.path().to_path_buf();
    drop(f.store);
    raw_db(&path)
        .unwrap()
        .execute(
            "INSERT INTO category_letter_tables (starts_on, letters, set_at, set_by) VALUES ('0001-01-01', ?1, '', NULL)",
            [regdesk_domain::regno::CategoryLetters::default().to_text()],
        )
        .unwrap();
    let store = open_store(f.dir.path(), f.clock.clone()).unwrap();
    assert!(store.verify_audit().unwrap().ok, "{:?}", store.verify_audit().unwrap());
    let conn = raw_db(&path).unwrap();
    let kept: i64 = conn
        .query_row(
            "SELECT count(*) FROM journal WHERE command = 'keep_category_letters'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, 1);
    drop(store);
    let store = open_store(f.dir.path(), f.clock.clone()).unwrap();
    let kept: i64 = conn
        .query_row(
            "SELECT count(*) FROM journal WHERE command = 'keep_category_letters'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, 1, "recorded once");
    drop(store);
}

// ---------------------------------------------------------------- 待制证 at volume

/// The sample office grown with copies: enough registered cases to page through.
fn grown_desk() -> (Fixture, Session) {
    let f = fixture();
    crate::demo::fill_office(&f.store, 24).unwrap();
    crate::demo::grow_office(&f.store, 400, |_| {}).unwrap();
    let liu = sample_login(&f, "liuyang");
    (f, liu)
}

/// What the list must hold, counted the long way: registered cases with no printed sheet.
fn waiting_numbers(f: &Fixture) -> Vec<String> {
    let c = f.store.conn();
    let mut stmt = c
        .prepare(
            "SELECT c.registration_number FROM cases c
             WHERE c.state = 'registered' AND c.registration_number IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM certificate_sheets s
                               WHERE s.registration_number = c.registration_number AND s.state = 'printed')
             ORDER BY 1",
        )
        .unwrap();
    let out = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<Vec<String>>>()
        .unwrap();
    out
}

fn page_of(f: &Fixture, s: &Session, filter: &CertificateQueueFilter) -> CertificatePage {
    f.store.certificate_queue(s, filter).unwrap()
}

#[test]
fn the_queue_pages_forward_and_back_in_number_order() {
    let (f, liu) = grown_desk();
    let whole = waiting_numbers(&f);
    assert!(
        whole.len() > 12,
        "the grown office waits for {} certificates",
        whole.len()
    );
    let first = CertificateQueueFilter {
        page_size: Some(4),
        ..Default::default()
    };

    // Forward to the end: every waiting number once, in order; the count whole.
    let mut seen = Vec::new();
    let mut filter = first.clone();
    let mut pages = 0;
    let last_page = loop {
        let p = page_of(&f, &liu, &filter);
        assert_eq!((p.total as usize, p.more), (whole.len(), false));
        assert_eq!(p.previous.is_none(), pages == 0, "page {pages}");
        assert!(p.rows.len() <= 4 && !p.rows.is_empty());
        assert!(p.rows.iter().all(|r| r.printed_sheets == 0));
        seen.extend(p.rows.iter().map(|r| r.registration_number.clone()));
        pages += 1;
        match &p.next {
            Some(n) => filter.cursor = Some(n.clone()),
            None => break p,
        }
    };
    assert_eq!(seen, whole);
    assert_eq!(pages, whole.len().div_ceil(4));

    // And back from the last page to the first.
    let mut back: Vec<String> = last_page
        .rows
        .iter()
        .rev()
        .map(|r| r.registration_number.clone())
        .collect();
    let mut cursor = last_page.previous.clone();
    while let Some(c) = cursor {
        let p = page_of(
            &f,
            &liu,
            &CertificateQueueFilter {
                cursor: Some(c),
                ..first.clone()
            },
        );
        assert_eq!(p.rows.len(), 4, "every page but the last is full");
        assert!(p.next.is_some());
        back.extend(p.rows.iter().rev().map(|r| r.registration_number.clone()));
        cursor = p.previous;
    }
    back.reverse();
    assert_eq!(back, whole);

    // A page's size is bounded; a cursor from nowhere is refused with the field named.
    let big = page_of(
        &f,
        &liu,
        &CertificateQueueFilter {
            page_size: Some(100_000),
            ..Default::default()
        },
    );
    assert_eq!(big.rows.len(), whole.len().min(CERTIFICATE_PAGE_MAX as usize));
    let e = f
        .store
        .certificate_queue(
            &liu,
            &CertificateQueueFilter {
                cursor: Some("第三页".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(code_of(&e), "invalid");
    assert!(
        matches!(&e, StoreError::Invalid(es) if es[0].field == "cursor"),
        "{e:?}"
    );

    // Printed ones leave the list and stay in the one with the printed, with their sheets.
    let printed: Vec<String> = whole[..3].to_vec();
    print(&f, &liu, &printed, "").unwrap();
    assert_eq!(waiting_numbers(&f), whole[3..].to_vec());
    let p = page_of(&f, &liu, &CertificateQueueFilter::default());
    assert_eq!(p.total as usize, whole.len() - 3);
    assert_eq!(p.rows[0].registration_number, whole[3]);
    let with_printed = page_of(
        &f,
        &liu,
        &CertificateQueueFilter {
            include_printed: true,
            page_size: Some(CERTIFICATE_PAGE_MAX),
            ..Default::default()
        },
    );
    for n in &printed {
        let r = with_printed.rows.iter().find(|r| &r.registration_number == n).unwrap();
        assert_eq!(r.printed_sheets, 1);
    }
    let mut sorted: Vec<&String> = with_printed.rows.iter().map(|r| &r.registration_number).collect();
    sorted.sort();
    assert!(sorted
        .iter()
        .zip(with_printed.rows.iter())
        .all(|(a, r)| *a == &r.registration_number));

    // A filter pages its own matches and counts them.
    let party = p.rows[0].applicant_name.clone();
    let matching: Vec<String> = {
        let mut all = Vec::new();
        let mut filter = CertificateQueueFilter {
            party: party.clone(),
            page_size: Some(2),
            ..Default::default()
        };
        loop {
            let p = page_of(&f, &liu, &filter);
            assert!(p.rows.iter().all(|r| r.applicant_name.contains(&party)));
            all.extend(p.rows.iter().map(|r| r.registration_number.clone()));
            let total = p.total as usize;
            match p.next {
                Some(n) => filter.cursor = Some(n),
                None => {
                    assert_eq!(total, all.len());
                    break all;
                }
            }
        }
    };
    assert!(!matching.is_empty() && matching.len() < whole.len() - 3);
}

#[test]
fn the_kept_list_of_certificates_to_print_follows_every_write() {
    let (f, liu) = grown_desk();
    let problems = |f: &Fixture| -> Vec<String> {
        crate::audit::certificate_waiting_problems(&f.store.conn())
            .unwrap()
            .into_iter()
            .map(|p| p.message)
            .collect()
    };
    assert_eq!(problems(&f), Vec::<String>::new());
    // A real print first, so there is a batch for sheets written by hand below.
    let whole = waiting_numbers(&f);
    print(&f, &liu, &whole[..2], "").unwrap();
    assert_eq!(problems(&f), Vec::<String>::new());

    let numbered: Vec<(String, String)> = {
        let c = f.store.conn();
        let mut stmt = c
            .prepare(
                "SELECT c.id, c.registration_number FROM cases c
                 JOIN registration_numbers n ON n.number = c.registration_number ORDER BY c.id",
            )
            .unwrap();
        let out = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<Vec<_>>>()
            .unwrap();
        out
    };
    let states = ["registered", "mailed", "picked_up", "revoked", "registered"];
    let sheet_states = ["printed", "voided", "recalled"];
    let mut rng = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = |n: usize| {
        rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((rng >> 33) % n as u64) as usize
    };
    for step in 0..300 {
        let (case_id, number) = numbered[next(numbered.len())].clone();
        let rollback = next(10) == 0;
        let c = f.store.conn();
        c.execute_batch("BEGIN").unwrap();
        match next(9) {
            0 => {
                c.execute(
                    "UPDATE cases SET state = ?2 WHERE id = ?1",
                    rusqlite::params![case_id, states[next(states.len())]],
                )
                .unwrap();
            }
            1 => {
                // A sheet, as a pulled entry would write it.
                c.execute(
                    "INSERT INTO certificate_sheets (id, print_id, registration_number, case_id, kind, state,
                                                     printed_at, printed_by)
                     SELECT ?1, print_id, ?2, ?3, 'reprint', ?4, printed_at, printed_by
                     FROM certificate_sheets LIMIT 1",
                    rusqlite::params![
                        format!("sheet-{step}"),
                        number,
                        case_id,
                        sheet_states[next(sheet_states.len())]
                    ],
                )
                .unwrap();
            }
            2 => {
                c.execute(
                    "UPDATE certificate_sheets SET state = ?1
                     WHERE id = (SELECT id FROM certificate_sheets ORDER BY id LIMIT 1 OFFSET ?2)",
                    rusqlite::params![sheet_states[next(sheet_states.len())], next(4) as i64],
                )
                .unwrap();
            }
            3 => {
                c.execute(
                    "DELETE FROM certificate_sheets
                     WHERE id = (SELECT id FROM certificate_sheets ORDER BY id DESC LIMIT 1)",
                    [],
                )
                .unwrap();
            }
            4 => {
                // Many cases in one statement.
                c.execute(
                    "UPDATE cases SET state = ?1 WHERE registration_number IS NOT NULL AND rowid % 7 = ?2",
                    rusqlite::params![states[next(states.len())], next(7) as i64],
                )
                .unwrap();
            }
            5 => {
                // What the desk filters by: the applicant, the category, the delivery.
                c.execute(
                    "UPDATE cases SET applicant_name = applicant_name || '改',
                                      category = CASE WHEN ?2 THEN 'music' ELSE category END,
                                      draft = json_set(draft, '$.delivery', CASE WHEN ?3 THEN 'pickup' ELSE 'mail' END)
                     WHERE id = ?1",
                    rusqlite::params![case_id, next(2) == 0, next(2) == 0],
                )
                .unwrap();
            }
            6 => {
                // The day the number was issued (UTC: the office date may change with it).
                c.execute(
                    "UPDATE registration_numbers SET issued_at = ?2 WHERE number = ?1",
                    rusqlite::params![number, format!("2026-11-{:02} 17:30:00+00:00", 1 + next(28))],
                )
                .unwrap();
            }
            _ => {
                // A write that changes nothing the list depends on.
                c.execute("UPDATE cases SET title = title || '·' WHERE id = ?1", [&case_id])
                    .unwrap();
            }
        }
        c.execute_batch(if rollback { "ROLLBACK" } else { "COMMIT" }).unwrap();
        drop(c);
        assert_eq!(problems(&f), Vec::<String>::new(), "after step {step}");
    }
    // The desk's list is the kept one.
    let p = page_of(
        &f,
        &liu,
        &CertificateQueueFilter {
            page_size: Some(CERTIFICATE_PAGE_MAX),
            ..Default::default()
        },
    );
    let listed: Vec<String> = p.rows.into_iter().map(|r| r.registration_number).collect();
    // (The writes above also made cases registered whose number the ledger
    // holds as revoked, which no command does: the desk lists only numbers in use.)
    let in_use = |n: &String| -> bool {
        f.store
            .conn()
            .query_row(
                "SELECT state = 'used' FROM registration_numbers WHERE number = ?1",
                [n],
                |r| r.get(0),
            )
            .unwrap()
    };
    let expected: Vec<String> = waiting_numbers(&f).into_iter().filter(in_use).collect();
    assert_eq!(
        listed,
        expected[..expected.len().min(CERTIFICATE_PAGE_MAX as usize)].to_vec()
    );
    // And `audit verify` says nothing of it.
    assert!(problems(&f).is_empty());
}
