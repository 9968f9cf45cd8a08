//! Set-ups the store tests share: a store in a temporary directory, the office
//! and its admin, staff who sign in, the sample office, a filing, a payment.

use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use regdesk_domain::category::WorkCategory;
use regdesk_domain::filing::*;
use regdesk_domain::identity::{uscc_check_char, DocumentType};
use regdesk_domain::lifecycle::PaymentMethod;
use regdesk_domain::office::OfficeInput;
use regdesk_domain::party::{AttachmentKind, PartyKind, SignedAs};
use regdesk_domain::payment::{TransferCommand, TransferInput};
pub(crate) use regdesk_domain::staff::FilePurpose;
use regdesk_domain::staff::Role;
use regdesk_domain::work::{Acquisition, Attribution, CreationNature, Ownership, PublicationStatus};
use rusqlite::Connection;

use crate::*;

// ---- The store ----

pub(crate) struct Fixture {
    pub dir: tempfile::TempDir,
    pub clock: Arc<FixedClock>,
    pub store: Store,
}

/// The keys every store test opens with (finding and keeping keys is tested in `tests/keys.rs`).
pub(crate) fn test_keys() -> crate::keys::StationKeys {
    crate::keys::StationKeys::from_secret([0x5a; 32], crate::keys::KeyHome::EnvFile("tests.key".into()))
}

/// Opens the store in `dir` with [`test_keys`].
pub(crate) fn open_store(dir: &std::path::Path, clock: Arc<dyn Clock>) -> Result<Store> {
    Store::open_with_keys(dir, clock, test_keys())
}

/// A connection behind the store's back, keyed with [`test_keys`].
pub(crate) fn raw_db(path: &std::path::Path) -> Result<Connection> {
    crate::db::connect(path, &test_keys().database())
}

/// A fresh store in a temporary directory, its clock standing at 2026-11-25 09:30 office time.
pub(crate) fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2026, 11, 25, 1, 30, 0).unwrap()));
    let store = open_store(dir.path(), clock.clone()).unwrap();
    Fixture { dir, clock, store }
}

/// How many journal entries the database holds, read behind the store's back.
pub(crate) fn journal_count(f: &Fixture) -> i64 {
    let c = raw_db(f.store.path()).unwrap();
    c.query_row("SELECT COUNT(*) FROM journal", [], |r| r.get(0)).unwrap()
}

// ---- Sync ----

/// An enrolment with the central server of the office set up by [`setup_input`] (code ZJ).
pub(crate) fn enrolment(station: &str) -> regdesk_sync::station::Enrolment {
    let ca = b"office CA certificate (DER)".to_vec();
    regdesk_sync::station::Enrolment {
        server_url: "https://127.0.0.1:8443".into(),
        station_name: station.into(),
        office: regdesk_sync::protocol::OfficeInfo {
            office_id: "office-1".into(),
            code: "ZJ".into(),
            name: "浙江省版权局".into(),
        },
        ca_fingerprint: regdesk_sync::fingerprint(&ca),
        ca_der: ca,
        credential: format!("{station}.secret"),
        enrolled_at: Utc.with_ymd_and_hms(2026, 11, 25, 1, 0, 0).unwrap(),
        station_office: None,
    }
}

// ---- The office and its staff ----

pub(crate) fn setup_input() -> SetupInput {
    SetupInput {
        office: OfficeInput {
            name: "浙江省版权局".into(),
            office_code: "ZJ".into(),
            reg_prefix: "浙作登字".into(),
            province_code: "33".into(),
        },
        station_name: "受理窗口1".into(),
        admin: NewStaffInput {
            username: "admin".into(),
            display_name: "周建国".into(),
            roles: vec![Role::Admin],
            password: "Banquan2026".into(),
        },
    }
}

/// Sets the office up on `f`'s store; the admin's session.
pub(crate) fn set_up(f: &Fixture) -> Session {
    f.store.setup_office(&setup_input()).unwrap()
}

/// A fresh store with the office set up and its admin (周建国) signed in.
pub(crate) fn office() -> (Fixture, Session) {
    let f = fixture();
    let admin = set_up(&f);
    (f, admin)
}

/// Someone the admin adds, with their roles and first password.
pub(crate) struct Staff {
    pub username: &'static str,
    pub display_name: &'static str,
    pub roles: &'static [Role],
    pub password: &'static str,
}

/// 李雯, a first reviewer.
pub(crate) const REVIEWER: Staff = Staff {
    username: "liwen",
    display_name: "李雯",
    roles: &[Role::FirstReviewer],
    password: "Chushen2026",
};

/// 王丽, a counter clerk.
pub(crate) const CLERK: Staff = Staff {
    username: "wangli",
    display_name: "王丽",
    roles: &[Role::CounterClerk],
    password: "Shouli2026",
};

/// `who`, added by `admin`.
pub(crate) fn add_staff(f: &Fixture, admin: &Session, who: &Staff) -> StaffView {
    f.store
        .add_staff(
            admin,
            &NewStaffInput {
                username: who.username.into(),
                display_name: who.display_name.into(),
                roles: who.roles.to_vec(),
                password: who.password.into(),
            },
        )
        .unwrap()
}

/// `who`, added by `admin` and signed in with their first password.
pub(crate) fn signed_in(f: &Fixture, admin: &Session, who: &Staff) -> Session {
    add_staff(f, admin, who);
    login(f, who.username, who.password).unwrap()
}

pub(crate) fn login(f: &Fixture, user: &str, pw: &str) -> Result<Session> {
    f.store.login(&LoginInput {
        username: user.into(),
        password: pw.into(),
    })
}

pub(crate) fn settings_input(version: i64, idle: i64) -> UpdateSettingsInput {
    UpdateSettingsInput {
        version,
        idle_lock_minutes: idle,
        review_working_days: 30,
        correction_notice_days: 7,
        correction_period_days: 30,
        fee_per_work_fen: 15_000,
    }
}

// ---- The sample office (crate::demo) ----

/// A fresh store filled with the sample office, its staff and `cases` filings.
pub(crate) fn sample_office(cases: u32) -> Fixture {
    let f = fixture();
    crate::demo::fill(&f.store, cases).unwrap();
    f
}

/// One of the sample office's staff (`wangli`, `chenxy`, `hejun`, `zhaomin`, `admin`, ...), signed in.
pub(crate) fn sample_login(f: &Fixture, user: &str) -> Session {
    login(f, user, crate::demo::DEMO_PASSWORD).unwrap()
}

// ---- Filings ----

/// `bytes` stored as the file `name`, added by `s` as a sample of the work (the counter's).
pub(crate) fn file(f: &Fixture, s: &Session, name: &str, bytes: &[u8]) -> FileView {
    file_for(f, s, name, bytes, FilePurpose::Sample)
}

/// `bytes` stored as the file `name`, added by `s` for `purpose`.
pub(crate) fn file_for(f: &Fixture, s: &Session, name: &str, bytes: &[u8], purpose: FilePurpose) -> FileView {
    let p = f.dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    f.store.add_file(s, &p, purpose).unwrap()
}

fn uscc(body: &str) -> String {
    format!("{body}{}", uscc_check_char(body).unwrap())
}

/// A 法人作品 with two owners and a 执笔者 (a Beijing ID: residence proof needed).
pub(crate) fn corporate(f: &Fixture, s: &Session, with_sample: bool) -> FilingDraft {
    let lic1 = file_for(
        f,
        s,
        "营业执照1.pdf",
        b"%PDF-1.4 licence one",
        FilePurpose::IdentityProof,
    );
    let lic2 = file_for(
        f,
        s,
        "营业执照2.pdf",
        b"%PDF-1.4 licence two",
        FilePurpose::IdentityProof,
    );
    let idp = file_for(f, s, "身份证.jpg", b"\xff\xd8\xff id card", FilePurpose::IdentityProof);
    let res = file_for(f, s, "居住证明.pdf", b"%PDF-1.4 residence", FilePurpose::IdentityProof);
    let party_file = |v: &FileView, kind| PartyFile {
        file_id: v.id.clone(),
        kind,
    };
    FilingDraft {
        work: WorkDraft {
            title: "西湖十景之断桥残雪".into(),
            category: Some(WorkCategory::Photography),
            nature: Some(CreationNature::Original),
            completed_on: "20260112".into(),
            completed_place: "浙江省杭州市".into(),
            publication: Some(PublicationStatus::Unpublished),
            attribution: Some(Attribution::Corporate),
            acquisition: Some(Acquisition::Original),
            ownership: Some(Ownership::Full),
            ..WorkDraft::default()
        },
        owners: vec![
            OwnerDraft {
                kind: Some(PartyKind::Organisation),
                name: "杭州湖光影像文化传媒有限公司".into(),
                id_type: Some(DocumentType::Uscc),
                id_number: uscc("91330106MA2H0K7Q1"),
                handling_person: "周明".into(),
                region: "浙江省杭州市".into(),
                files: vec![party_file(&lic1, AttachmentKind::BusinessLicence)],
                ..OwnerDraft::default()
            },
            OwnerDraft {
                kind: Some(PartyKind::Organisation),
                name: "宁波海曙文化发展有限公司".into(),
                id_type: Some(DocumentType::Uscc),
                id_number: uscc("91330203MA2ABCDE1"),
                handling_person: "林娜".into(),
                region: "浙江省宁波市".into(),
                files: vec![party_file(&lic2, AttachmentKind::BusinessLicence)],
                ..OwnerDraft::default()
            },
        ],
        authors: vec![AuthorDraft {
            kind: Some(PartyKind::Organisation),
            name: "杭州湖光影像文化传媒有限公司".into(),
            signed_as: Some(SignedAs::RealName),
            signed_name: "".into(),
        }],
        writer: Some(WriterDraft {
            name: "陈思远".into(),
            id_type: Some(DocumentType::ResidentId),
            id_number: "11010519491231002X".into(),
            files: vec![
                party_file(&idp, AttachmentKind::IdentityProof),
                party_file(&res, AttachmentKind::ResidenceProof),
            ],
            ..WriterDraft::default()
        }),
        samples: if with_sample {
            vec![file(f, s, "断桥残雪.jpg", b"\xff\xd8\xff the photograph").id]
        } else {
            vec![]
        },
        description: "以西湖断桥为主体，雪后清晨拍摄。".into(),
        creation_story: "连续三年冬季守候拍摄。".into(),
        delivery: Some(Delivery::Mail),
        recipient_name: "周明".into(),
        recipient_phone: "13800000000".into(),
        postal_address: "浙江省杭州市西湖区文三路 100 号".into(),
        invoice_email: "finance@huguang.example.cn".into(),
        ..FilingDraft::default()
    }
}

/// `draft` saved by `s` as a new case.
pub(crate) fn new_draft(f: &Fixture, s: &Session, draft: FilingDraft) -> CaseDetail {
    f.store
        .save_draft(
            s,
            &SaveDraftInput {
                case_id: None,
                version: None,
                applicant_id: None,
                draft,
            },
        )
        .unwrap()
}

// ---- Payments ----

/// A bank transfer from 林晓雨 received on the office's sample day.
pub(crate) fn transfer(amount_fen: i64, reference: &str) -> TransferInput {
    TransferInput {
        method: PaymentMethod::BankTransfer,
        payer: "林晓雨".into(),
        payer_account: "6222 0202 0001 2345 678".into(),
        payer_bank: "工商银行杭州分行".into(),
        amount_fen,
        received_at: NaiveDate::from_ymd_opt(2026, 11, 25)
            .unwrap()
            .and_hms_opt(9, 5, 0)
            .unwrap(),
        reference: reference.into(),
        purpose: "作品登记费".into(),
    }
}

/// `amount_fen` of a transfer paid towards `case_id`.
pub(crate) fn share(case_id: &str, amount_fen: i64) -> ShareInput {
    ShareInput {
        case_id: case_id.into(),
        amount_fen,
    }
}

/// `case_id` paid in full by one bank transfer, recorded by `maker` and confirmed by `checker`:
/// the case waits for first review.
pub(crate) fn paid(f: &Fixture, maker: &Session, checker: &Session, case_id: &str, reference: &str) -> TransferView {
    let t = f
        .store
        .record_transfer(
            maker,
            &RecordTransferInput {
                transfer: transfer(15_000, reference),
                receipt_file_id: None,
                shares: vec![share(case_id, 15_000)],
            },
        )
        .unwrap();
    f.store
        .check_transfer(
            checker,
            &CheckTransferInput {
                id: t.id,
                version: t.version,
                command: TransferCommand::Confirm,
            },
        )
        .unwrap()
}

/// A PDF's text as pdftotext reads it, white space squeezed out.
pub(crate) fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.pdf");
    std::fs::write(&p, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(&p)
        .arg("-")
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}
