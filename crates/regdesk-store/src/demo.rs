//! The sample office (示例机构): a realistic data directory made through the
//! same store commands a person would use, for trying the app and for tests.

use regdesk_domain::applicant::{ApplicantCategory, ApplicantInput};
use regdesk_domain::category::WorkCategory;
use regdesk_domain::filing::{AuthorDraft, Delivery, FilingDraft, OwnerDraft, PartyFile, WorkDraft, WriterDraft};
use regdesk_domain::identity::{gb11643_check_char, uscc_check_char, DocumentType};
use regdesk_domain::office::OfficeInput;
use regdesk_domain::party::{AttachmentKind, PartyKind, SignedAs};
use regdesk_domain::signature::{SignatureMethod, SignerRef};
use regdesk_domain::staff::{FilePurpose, Role};
use regdesk_domain::work::{Acquisition, Attribution, CreationNature, Ownership, PublicationStatus};
use serde::Serialize;

use crate::cases::{CaseRef, RecordSignatureInput, SaveDraftInput};
use crate::error::{Result, StoreError};
use crate::views::*;
use crate::{Session, Store};

/// The password every sample account ends up with.
pub const DEMO_PASSWORD: &str = "Banquan2026";

/// The sample staff: login name, name, roles.
pub const DEMO_STAFF: &[(&str, &str, &[Role])] = &[
    ("wangli", "王丽", &[Role::CounterClerk]),
    ("sunhao", "孙浩", &[Role::CounterClerk, Role::CertificateDesk]),
    ("chenxy", "陈晓燕", &[Role::Finance]),
    ("hejun", "何军", &[Role::Finance]),
    ("liwen", "李雯", &[Role::FirstReviewer]),
    ("zhangwei", "张伟", &[Role::FinalReviewer]),
    ("qianfang", "钱芳", &[Role::FirstReviewer, Role::FinalReviewer]),
    ("liuyang", "刘洋", &[Role::CertificateDesk]),
    ("zhaomin", "赵敏", &[Role::Supervisor]),
];

/// What the filler made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DemoSummary {
    pub office: String,
    pub admin_username: String,
    pub password: String,
    pub staff_added: u32,
    pub cases_made: u32,
}

/// Fills the store with the sample office: the office and station, the first
/// admin, and one or more people for every role, each of whom has signed in
/// once and chosen their password. Staff that already exist are left alone.
/// `cases` is the number of filings asked for; filings come with the counter desk.
pub fn fill(store: &Store, cases: u32) -> Result<DemoSummary> {
    let admin = match store.office()? {
        Some(_) => store.login(&LoginInput {
            username: "admin".into(),
            password: DEMO_PASSWORD.into(),
        })?,
        None => store.setup_office(&SetupInput {
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
                roles: vec![Role::Admin, Role::Supervisor],
                password: DEMO_PASSWORD.into(),
            },
        })?,
    };
    let existing: Vec<String> = store.list_staff(&admin)?.into_iter().map(|s| s.username).collect();
    let mut added = 0;
    for (username, name, roles) in DEMO_STAFF {
        if existing.iter().any(|u| u == username) {
            continue;
        }
        let first = "Linshi2026";
        store.add_staff(
            &admin,
            &NewStaffInput {
                username: (*username).into(),
                display_name: (*name).into(),
                roles: roles.to_vec(),
                password: first.into(),
            },
        )?;
        // Each person signs in once and chooses their own password.
        let s: Session = store.login(&LoginInput {
            username: (*username).into(),
            password: first.into(),
        })?;
        store.change_password(
            &s,
            &ChangePasswordInput {
                old_password: first.into(),
                new_password: DEMO_PASSWORD.into(),
            },
        )?;
        added += 1;
    }
    let cases_made = if cases > 0 {
        let clerk = store.login(&LoginInput {
            username: "wangli".into(),
            password: DEMO_PASSWORD.into(),
        })?;
        fill_cases(store, &clerk, cases)?
    } else {
        0
    };
    let office = store.office()?.map(|o| o.name).unwrap_or_default();
    Ok(DemoSummary {
        office,
        admin_username: "admin".into(),
        password: DEMO_PASSWORD.into(),
        staff_added: added,
        cases_made,
    })
}

fn resident_id(region: &str, birth: &str, seq: u32) -> String {
    let body = format!("{region}{birth}{:03}", seq % 1000);
    format!("{body}{}", gb11643_check_char(&body).unwrap_or('0'))
}

fn uscc(region: &str, org: &str) -> String {
    let body = format!("91{region}{org}");
    format!("{body}{}", uscc_check_char(&body).unwrap_or('0'))
}

/// Sample applicants: one of each category.
fn applicants(n: u32) -> Vec<ApplicantInput> {
    let base = |category, name: &str, id_type, id_number: String, handler: &str, mobile: &str| ApplicantInput {
        category,
        name: name.into(),
        id_type,
        id_number,
        pen_name: String::new(),
        handler_name: handler.into(),
        handler_mobile: mobile.into(),
        region: "浙江省杭州市".into(),
        invoice_email: "invoice@example.cn".into(),
        recipient_name: handler.into(),
        recipient_phone: mobile.into(),
        postal_address: "浙江省杭州市西湖区文三路 100 号".into(),
    };
    vec![
        base(
            ApplicantCategory::Individual,
            "林晓雨",
            DocumentType::ResidentId,
            resident_id("330106", "19900315", 22 + n * 2),
            "林晓雨",
            "13805710001",
        ),
        base(
            ApplicantCategory::Organisation,
            "杭州湖光影像文化传媒有限公司",
            DocumentType::Uscc,
            uscc("330106", "MA2H0K7Q1"),
            "周明",
            "13905710002",
        ),
        base(
            ApplicantCategory::Agency,
            "浙江之江版权代理有限公司",
            DocumentType::Uscc,
            uscc("330105", "MA27XYW81"),
            "吴倩",
            "13705710003",
        ),
        base(
            ApplicantCategory::Lawyer,
            "郑律师",
            DocumentType::ResidentId,
            resident_id("330102", "19800101", 11 + n * 2),
            "郑律师",
            "13605710004",
        ),
    ]
}

const TITLES: &[(&str, WorkCategory)] = &[
    ("西湖十景之断桥残雪", WorkCategory::Photography),
    ("运河人家（国画）", WorkCategory::FineArt),
    ("钱塘潮声", WorkCategory::Music),
    ("江南小镇手绘地图", WorkCategory::Map),
    ("茶山晨雾", WorkCategory::Photography),
    ("青瓷纹样设计", WorkCategory::ProductDrawing),
    ("越剧新编《梁祝别传》", WorkCategory::Drama),
    ("良渚文明图解", WorkCategory::Schematic),
];

/// Filings through the counter's own commands: drafts, partly signed, and awaiting payment.
fn fill_cases(store: &Store, clerk: &Session, n: u32) -> Result<u32> {
    let existing = store.find_applicants(
        clerk,
        &crate::FindApplicantsInput {
            query: "林晓雨".into(),
            limit: 1,
        },
    )?;
    let mut profiles = Vec::new();
    if existing.is_empty() {
        for a in applicants(0) {
            profiles.push(store.create_applicant(clerk, &a)?);
        }
    } else {
        profiles = existing;
    }
    let dir = store.path().parent().map(|p| p.join("demo-files")).unwrap_or_default();
    std::fs::create_dir_all(&dir)?;
    let sample_path = dir.join("作品样本.png");
    std::fs::write(&sample_path, include_bytes!("../../../assets/icons/128x128.png"))?;
    let licence_path = dir.join("营业执照.png");
    std::fs::write(&licence_path, include_bytes!("../../../assets/icons/32x32.png"))?;
    let mut made = 0;
    for i in 0..n {
        let (title, category) = TITLES[i as usize % TITLES.len()];
        let sample = store.add_file(clerk, &sample_path, FilePurpose::Sample)?;
        let licence = store.add_file(clerk, &licence_path, FilePurpose::IdentityProof)?;
        let corporate = i % 2 == 1;
        let person_id = resident_id("330106", "19881010", 100 + i * 2);
        let draft = FilingDraft {
            work: WorkDraft {
                title: format!("{title}（{}）", i + 1),
                category: Some(category),
                nature: Some(CreationNature::Original),
                completed_on: "2026-3".into(),
                completed_place: "浙江省杭州市".into(),
                publication: Some(PublicationStatus::Unpublished),
                attribution: Some(if corporate {
                    Attribution::Corporate
                } else {
                    Attribution::Individual
                }),
                acquisition: Some(Acquisition::Original),
                ownership: Some(Ownership::Full),
                ..WorkDraft::default()
            },
            owners: vec![if corporate {
                OwnerDraft {
                    kind: Some(PartyKind::Organisation),
                    name: "杭州湖光影像文化传媒有限公司".into(),
                    id_type: Some(DocumentType::Uscc),
                    id_number: uscc("330106", "MA2H0K7Q1"),
                    handling_person: "周明".into(),
                    region: "浙江省杭州市".into(),
                    files: vec![PartyFile {
                        file_id: licence.id.clone(),
                        kind: AttachmentKind::BusinessLicence,
                    }],
                    ..OwnerDraft::default()
                }
            } else {
                OwnerDraft {
                    kind: Some(PartyKind::NaturalPerson),
                    name: "林晓雨".into(),
                    id_type: Some(DocumentType::ResidentId),
                    id_number: person_id.clone(),
                    region: "浙江省杭州市".into(),
                    files: vec![PartyFile {
                        file_id: licence.id.clone(),
                        kind: AttachmentKind::IdentityProof,
                    }],
                    ..OwnerDraft::default()
                }
            }],
            authors: vec![AuthorDraft {
                kind: Some(if corporate {
                    PartyKind::Organisation
                } else {
                    PartyKind::NaturalPerson
                }),
                name: if corporate {
                    "杭州湖光影像文化传媒有限公司"
                } else {
                    "林晓雨"
                }
                .into(),
                signed_as: Some(SignedAs::RealName),
                signed_name: String::new(),
            }],
            writer: corporate.then(|| WriterDraft {
                name: "陈思远".into(),
                id_type: Some(DocumentType::ResidentId),
                id_number: resident_id("330106", "19920202", 300 + i * 2),
                files: vec![PartyFile {
                    file_id: licence.id.clone(),
                    kind: AttachmentKind::IdentityProof,
                }],
                ..WriterDraft::default()
            }),
            samples: vec![sample.id.clone()],
            description: "作品以杭州风物为题材，构图简洁，色调清雅。".into(),
            creation_story: "作者多次实地采风后独立完成。".into(),
            delivery: Some(if i % 3 == 0 { Delivery::Pickup } else { Delivery::Mail }),
            recipient_name: "周明".into(),
            recipient_phone: "13905710002".into(),
            postal_address: "浙江省杭州市拱墅区大关路 100 号".into(),
            invoice_email: "invoice@example.cn".into(),
            ..FilingDraft::default()
        };
        let applicant = profiles.get(if corporate { 1 } else { 0 }).map(|a| a.id.clone());
        let mut d = store.save_draft(
            clerk,
            &SaveDraftInput {
                case_id: None,
                version: None,
                applicant_id: applicant,
                draft,
            },
        )?;
        made += 1;
        // Every third stays a draft; the others are submitted, and some signed in full.
        if i % 3 == 0 {
            continue;
        }
        d = store.submit_for_signing(
            clerk,
            &CaseRef {
                case_id: d.id.clone(),
                version: d.version,
            },
        )?;
        let signers: Vec<SignerRef> = d.signing.iter().map(|l| l.signer.party).collect();
        let how_many = if i % 3 == 1 {
            1.min(signers.len().saturating_sub(1))
        } else {
            signers.len()
        };
        for who in signers.into_iter().take(how_many) {
            d = store.record_signature(
                clerk,
                &RecordSignatureInput {
                    case_id: d.id.clone(),
                    version: d.version,
                    signer: who,
                    method: SignatureMethod::PaperScan {
                        scan_ref: sample.id.clone(),
                    },
                },
            )?;
        }
    }
    if made == 0 {
        return Err(StoreError::Corrupt("示例作品未能生成".into()));
    }
    Ok(made)
}

/// The sample office's certificate verification address (证书查验地址).
pub const DEMO_VERIFICATION_URL: &str = "https://bqdj.example.cn/zsyz";

/// The sample office as the app and `regdesk demo` make it: [`fill`], then (with three or more
/// filings waiting for payment) payments checked and one case through both reviews, and a sample
/// bank statement among the demo files.
pub fn fill_office(store: &Store, cases: u32) -> Result<DemoSummary> {
    let sum = fill(store, cases)?;
    // Two subordinate offices, whose cases will arrive by sync.
    let admin = sign_in_as(store, "admin")?;
    let known: Vec<String> = store.office_tree(&admin)?.into_iter().map(|n| n.code).collect();
    for (code, name, parent) in [("ZJHZ", "杭州市版权局", "ZJ"), ("ZJNB", "宁波市版权局", "ZJ")] {
        if !known.iter().any(|k| k == code) {
            store.add_subordinate_office(
                &admin,
                &regdesk_domain::office::SubordinateOfficeInput {
                    code: code.into(),
                    name: name.into(),
                    parent_code: parent.into(),
                },
            )?;
        }
    }
    // The sample office's verification address, so its certificates carry a QR code.
    let cert = store.certificate_settings(&admin)?;
    if cert.verification_url.is_empty() {
        store.update_verification_url(
            &admin,
            &crate::VerificationUrlInput {
                verification_url: DEMO_VERIFICATION_URL.into(),
                version: cert.version,
            },
        )?;
    }
    if sum.cases_made > 0 {
        let dir = store.path().parent().map(|p| p.join("demo-files")).unwrap_or_default();
        pay_and_review(store, &dir)?;
    }
    Ok(sum)
}

/// Copies made per command when an office is grown ([`grow_office`]).
pub const GROW_BATCH: u64 = 50_000;

/// Copies of the office's own filings (those made by commands; a copy's id is
/// its filing's id, a dot and its copy number) with varied titles, applicant
/// names and ID numbers, copy numbers `?1`..=`?2`. A copy carries its case's
/// state and facts but no filing detail (what queues and search read).
const COPY_CASES: &str = "
WITH RECURSIVE k(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM k WHERE i < ?2),
     made AS MATERIALIZED (SELECT * FROM cases WHERE instr(id, '.') = 0 ORDER BY rowid)
INSERT INTO cases (id, serial, title, category, state, applicant_name, created_at, accepted_on, due_on,
                   registration_number, version, updated_at, applicant_id, draft, facts, created_by,
                   fee_fen, awaiting_payment_since, office_code, draft_format, facts_format)
SELECT c.id || '.' || k.i,
       c.serial || '-' || k.i,
       substr('西湖春色钱塘潮声青瓷纹样山水画卷江南烟雨', k.i % 19 + 1, 2)
         || substr('小桥流水秋月平湖断桥残雪柳浪闻莺花港观鱼', (k.i / 19) % 19 + 1, 2) || '（' || k.i || '）',
       c.category, c.state,
       substr('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗', k.i % 20 + 1, 1)
         || substr('伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平', (k.i / 20) % 20 + 1, 1)
         || CASE WHEN k.i % 3 = 0 THEN substr('伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平', (k.i / 400) % 20 + 1, 1) ELSE '' END,
       c.created_at, c.accepted_on, c.due_on,
       CASE WHEN c.registration_number IS NULL THEN NULL ELSE c.registration_number || '-' || k.i END,
       c.version, c.updated_at, c.applicant_id, '{}', c.facts, c.created_by,
       c.fee_fen, c.awaiting_payment_since,
       CASE k.i % 10 WHEN 1 THEN 'ZJHZ' WHEN 2 THEN 'ZJNB' ELSE c.office_code END,
       c.draft_format, c.facts_format
FROM k CROSS JOIN made c";

/// The registration ledger's row of each copy made after row `?1` that
/// carries a registration number (registered, handed over or revoked), as its
/// filing's row: a registered case always has one, and the certificate desk
/// and the reports read it. A copy's number is its filing's with the copy
/// number; its ledger prefix is marked as a sample's (`·样例`, with the
/// case's row as the serial), so the office's own counters never meet it;
/// its issue day is spread over the two years before its filing's.
const COPY_NUMBERS: &str = "
INSERT INTO registration_numbers (number, prefix, year, letter, serial, case_id, state, issued_at, issued_by,
                                  changed_at, changed_by, reason, check_code)
SELECT c.registration_number, n.prefix || '·样例', n.year, n.letter, c.rowid, c.id, n.state,
       strftime('%Y-%m-%d %H:%M:%S+00:00', n.issued_at, '-' || (c.rowid % 730) || ' days'),
       n.issued_by, n.changed_at, n.changed_by, n.reason, substr(hex(randomblob(5)), 1, 10)
FROM cases c
JOIN cases o ON o.id = substr(c.id, 1, instr(c.id, '.') - 1)
JOIN registration_numbers n ON n.number = o.registration_number
WHERE c.rowid > ?1 AND c.registration_number IS NOT NULL";

/// Grows the sample office ([`fill_office`], with its filings) to about
/// `total` cases (rounded up to whole copies of its filings) for trying the
/// app and measuring it at the design volume (docs/DOMAIN.md §1: a million).
/// The copies are made in SQL, [`GROW_BATCH`] at a time, each batch one
/// command (`demo_copy_cases`, journalled and in the audit chain like any
/// other, but with no sync effects: sample copies are never pushed to a
/// server), with varied titles, names and ID numbers; one in ten belongs to
/// each subordinate office. `progress` hears the cases there are after each
/// batch. Returns the cases there are.
pub fn grow_office(store: &Store, total: u64, mut progress: impl FnMut(u64)) -> Result<u64> {
    let admin_id: String = store
        .conn()
        .query_row("SELECT id FROM staff WHERE username = 'admin'", [], |r| r.get(0))?;
    // A batch inserts into every index of the cases and the search tables at
    // places all over the file; with the usual cache each insert reads and
    // decrypts its pages again. While growing, the connection keeps up to
    // 1 GiB of pages, and gives them back after.
    store.conn().pragma_update(None, "cache_size", GROW_PAGE_CACHE_KIB)?;
    let grown = grow_batches(store, total, &admin_id, &mut progress);
    store
        .conn()
        .pragma_update(None, "cache_size", crate::db::PAGE_CACHE_KIB)?;
    grown
}

/// The page cache while an office is grown, in KiB (negative `cache_size`).
const GROW_PAGE_CACHE_KIB: i64 = -1_048_576;

fn grow_batches(store: &Store, total: u64, admin_id: &str, progress: &mut impl FnMut(u64)) -> Result<u64> {
    loop {
        let (have, originals, copied): (u64, u64, u64) = store.conn().query_row(
            "SELECT (SELECT COALESCE(SUM(n), 0) FROM case_counts),
                    (SELECT COUNT(*) FROM cases WHERE instr(id, '.') = 0),
                    (SELECT COALESCE(MAX(CAST(substr(id, instr(id, '.') + 1) AS INTEGER)), 0) FROM cases WHERE instr(id, '.') > 0)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        progress(have);
        if have >= total || originals == 0 {
            return Ok(have);
        }
        let copies = (total - have).min(GROW_BATCH).div_ceil(originals);
        let (from, to) = (copied + 1, copied + copies);
        // Sample data for trying and measuring the app: the rows are in the
        // audit chain, but the entry carries no sync effects (a batch's
        // effects would be every column of 50,000 cases), so it is never
        // pushed to a server.
        let meta = crate::journal::SyncMeta {
            no_effects: true,
            ..crate::journal::SyncMeta::default()
        };
        store.run_sync(Some(admin_id), "demo_copy_cases", &meta, |tx, _now| {
            let last_case: i64 = tx.query_row("SELECT COALESCE(MAX(rowid), 0) FROM cases", [], |r| r.get(0))?;
            let last_search: i64 = tx.query_row("SELECT COALESCE(MAX(rowid), 0) FROM case_search", [], |r| r.get(0))?;
            let made = tx.execute(COPY_CASES, rusqlite::params![from, to])?;
            tx.execute(COPY_NUMBERS, [last_case])?;
            // Each copy's search entry takes the row id after the last one, in case order.
            let shift = last_search - last_case;
            tx.execute(
                "INSERT INTO case_search (rowid, case_id, body)
                 SELECT rowid + ?2, id, serial || ' ' || title || ' ' || applicant_name || ' '
                        || printf('330106%012d', rowid) || COALESCE(' ' || registration_number, '')
                 FROM cases WHERE rowid > ?1",
                rusqlite::params![last_case, shift],
            )?;
            tx.execute(
                "INSERT INTO case_grams (rowid, grams)
                 SELECT rowid, regdesk_grams(body) FROM case_search WHERE rowid > ?1",
                [last_search],
            )?;
            tx.execute(
                "UPDATE cases SET search_rowid = rowid + ?2 WHERE rowid > ?1",
                rusqlite::params![last_case, shift],
            )?;
            let change = crate::journal::Change {
                entity: "cases",
                entity_id: "demo".into(),
                version: 1,
                payload: serde_json::json!({ "copies_from": from, "copies_to": to, "cases": made }),
            };
            Ok((change, ()))
        })?;
    }
}

fn sign_in_as(store: &Store, username: &str) -> Result<Session> {
    store.login(&LoginInput {
        username: username.into(),
        password: DEMO_PASSWORD.into(),
    })
}

/// With three or more filings waiting for payment: one paid, checked and registered, one paid
/// online and checked (待初审), one paid online and waiting for checking (待核款, with the
/// platform's receipt attached by finance), one paid short; the rest wait. Every payment is
/// recorded by 陈晓燕 and confirmed by 何军. A sample bank statement for the rest is left in the
/// demo files.
fn pay_and_review(store: &Store, dir: &std::path::Path) -> Result<()> {
    use regdesk_domain::lifecycle::{CaseState, PaymentMethod};
    use regdesk_domain::payment::{TransferCommand, TransferInput};
    let chen = sign_in_as(store, "chenxy")?;
    let he = sign_in_as(store, "hejun")?;
    let waiting: Vec<crate::PaymentCaseRow> = store
        .payment_cases(&chen, &crate::PaymentCasesInput { search: None })?
        .into_iter()
        .filter(|r| r.state == CaseState::AwaitingPayment)
        .collect();
    if waiting.len() < 3 {
        return Ok(());
    }
    let now = store.now() + chrono::Duration::hours(i64::from(crate::OFFICE_UTC_OFFSET_HOURS));
    let received_at = now.naive_utc() - chrono::Duration::minutes(30);
    // The platform's payment record of an online payment, attached by finance.
    let receipt_path = dir.join("在线支付凭证.png");
    std::fs::write(&receipt_path, include_bytes!("../../../assets/icons/32x32.png"))?;
    let receipt = store.add_file(&chen, &receipt_path, FilePurpose::Receipt)?;
    let record = |i: usize, row: &crate::PaymentCaseRow, amount_fen: i64, method: PaymentMethod| {
        let online = method == PaymentMethod::Online;
        store.record_transfer(
            &chen,
            &crate::RecordTransferInput {
                transfer: TransferInput {
                    method,
                    payer: row.applicant_name.clone(),
                    payer_account: if online {
                        String::new()
                    } else {
                        "6222 0202 0000 1234 567".into()
                    },
                    payer_bank: if online {
                        String::new()
                    } else {
                        "中国工商银行杭州分行".into()
                    },
                    amount_fen,
                    received_at,
                    reference: if online {
                        format!("4200{}{:04}", received_at.format("%Y%m%d%H%M"), i + 1)
                    } else {
                        format!("DEMO-{}-{}", row.serial, i + 1)
                    },
                    purpose: format!("{} 作品登记费", row.serial),
                },
                receipt_file_id: online.then(|| receipt.id.clone()),
                shares: vec![crate::ShareInput {
                    case_id: row.case_id.clone(),
                    amount_fen,
                }],
            },
        )
    };
    let confirm = |t: crate::TransferView| {
        store.check_transfer(
            &he,
            &crate::CheckTransferInput {
                id: t.id,
                version: t.version,
                command: TransferCommand::Confirm,
            },
        )
    };
    for (i, row) in waiting.iter().enumerate().take(8) {
        match i {
            1 => {
                confirm(record(i, row, row.owed_fen, PaymentMethod::Online)?)?;
            }
            2 => {
                record(i, row, row.owed_fen, PaymentMethod::Online)?;
            }
            3 => {
                record(i, row, row.owed_fen / 2, PaymentMethod::BankTransfer)?;
            }
            _ => {
                confirm(record(i, row, row.owed_fen, PaymentMethod::BankTransfer)?)?;
            }
        }
    }
    // Review: 0 registered, 1 waits for first review, 4 for final review, 5 returned for
    // correction, 6 refused (a refund owed), 7 registered and then revoked.
    let liwen = sign_in_as(store, "liwen")?;
    let zhangwei = sign_in_as(store, "zhangwei")?;
    let first = |i: usize, decision: crate::ReviewDecision| -> Result<Option<crate::CaseDetail>> {
        let Some(row) = waiting.get(i) else { return Ok(None) };
        let c = store.case_detail(&liwen, &row.case_id)?;
        let input = crate::ReviewDecisionInput {
            case_id: c.id,
            version: c.version,
            decision,
        };
        Ok(Some(store.first_review(&liwen, &input)?))
    };
    let last = |c: Option<crate::CaseDetail>, decision: crate::FinalDecision| -> Result<Option<crate::CaseDetail>> {
        let Some(c) = c else { return Ok(None) };
        let input = crate::FinalDecisionInput {
            case_id: c.id,
            version: c.version,
            decision,
        };
        Ok(Some(store.final_review(&zhangwei, &input)?))
    };
    last(first(0, crate::ReviewDecision::Pass)?, crate::FinalDecision::Approve)?;
    first(4, crate::ReviewDecision::Pass)?;
    first(
        5,
        crate::ReviewDecision::ReturnForCorrection {
            reasons: vec!["作品样本无法识别或与类别不符".into(), "请补充作品创作过程的说明".into()],
        },
    )?;
    last(
        first(
            6,
            crate::ReviewDecision::ProposeRefusal {
                ground: regdesk_domain::lifecycle::RefusalGround::NotAWork,
                note: "提交的内容为通用图案，不具独创性".into(),
            },
        )?,
        crate::FinalDecision::ConfirmRefusal,
    )?;
    if let Some(c) = last(first(7, crate::ReviewDecision::Pass)?, crate::FinalDecision::Approve)? {
        let admin = sign_in_as(store, "admin")?;
        store.revoke_registration(
            &admin,
            &crate::RevokeInput {
                case_id: c.id,
                version: c.version,
                ground: regdesk_domain::lifecycle::RevocationGround::ApplicantRequest,
                note: "申请人书面申请撤销".into(),
            },
        )?;
    }
    // A statement to try the import with: the cases still waiting, paid in full, and a stranger's transfer.
    let mut csv = String::from(
        "中国工商银行 账户明细\n账号,1202020209000012345\n户名,浙江省版权局\n\n\
         交易日期,对方户名,对方账号,借方发生额,贷方发生额,摘要,交易流水号\n",
    );
    // What is still owed: the rest of the short payment, and the cases not paid at all.
    let still: Vec<crate::PaymentCaseRow> = store
        .payment_cases(&chen, &crate::PaymentCasesInput { search: None })?
        .into_iter()
        .filter(|r| r.state == CaseState::AwaitingPayment && r.short_fen > 0)
        .collect();
    for (i, row) in still.iter().enumerate() {
        csv.push_str(&format!(
            "{},{},6222020200001234{:03},,{},{} 登记费,ICBC{}{:03}\n",
            now.format("%Y-%m-%d"),
            row.applicant_name,
            i,
            regdesk_domain::fee::yuan(row.short_fen),
            row.serial,
            now.format("%Y%m%d"),
            i
        ));
    }
    csv.push_str(&format!(
        "{},杭州某某文化有限公司,6222020200009999999,,300.00,服务费,ICBC{}999\n{},国网杭州供电公司,,1280.00,,电费,ICBC{}998\n合计,,,,,,\n",
        now.format("%Y-%m-%d"),
        now.format("%Y%m%d"),
        now.format("%Y-%m-%d"),
        now.format("%Y%m%d")
    ));
    std::fs::write(dir.join("银行流水示例.csv"), csv)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_sample_office_has_every_role_and_a_whole_audit_chain() {
        let f = crate::tests::fixture();
        let sum = fill(&f.store, 0).unwrap();
        assert_eq!(sum.staff_added as usize, DEMO_STAFF.len());
        let admin = f
            .store
            .login(&LoginInput {
                username: "admin".into(),
                password: DEMO_PASSWORD.into(),
            })
            .unwrap();
        let staff = f.store.list_staff(&admin).unwrap();
        for r in Role::ALL {
            assert!(staff.iter().any(|s| s.roles.contains(&r)), "{r:?}");
        }
        assert!(staff.iter().all(|s| !s.must_change_password));
        // Filling again adds nobody.
        assert_eq!(fill(&f.store, 0).unwrap().staff_added, 0);
        assert!(f.store.verify_audit().unwrap().ok);
    }

    #[test]
    fn a_larger_sample_office_has_payments_and_a_registration() {
        use regdesk_domain::queue::Queue;
        let f = crate::tests::fixture();
        fill_office(&f.store, 12).unwrap();
        let admin = sign_in_as(&f.store, "admin").unwrap();
        let zhaomin = sign_in_as(&f.store, "zhaomin").unwrap();
        let count = |s: &Session, q| {
            f.store
                .list_queue(s, &crate::QueueInput::first(q, 50))
                .map(|p| p.total)
                .unwrap_or(0)
        };
        let _ = admin;
        assert_eq!(count(&zhaomin, Queue::Registered), 1);
        assert_eq!(count(&zhaomin, Queue::FirstReview), 1);
        assert_eq!(count(&zhaomin, Queue::AwaitingPaymentCheck), 1);
        // With 24 filings every state of the desks is there.
        let g = crate::tests::fixture();
        fill_office(&g.store, 24).unwrap();
        let zhaomin = sign_in_as(&g.store, "zhaomin").unwrap();
        let count = |q| {
            g.store
                .list_queue(&zhaomin, &crate::QueueInput::first(q, 50))
                .map(|p| p.total)
                .unwrap_or(0)
        };
        assert_eq!(count(Queue::Registered), 1);
        assert_eq!(count(Queue::FinalReview), 1);
        assert_eq!(count(Queue::FirstReview), 1);
        assert_eq!(count(Queue::Other), 2, "refused and revoked");
        assert!(count(Queue::Drafts) >= 1);
        assert!(g.store.verify_audit().unwrap().ok);
        assert!(f
            .store
            .path()
            .parent()
            .unwrap()
            .join("demo-files/银行流水示例.csv")
            .exists());
        assert!(f.store.verify_audit().unwrap().ok);
    }

    #[test]
    fn sample_filings_land_in_their_queues() {
        use regdesk_domain::queue::Queue;
        let f = crate::tests::fixture();
        let sum = fill(&f.store, 6).unwrap();
        assert_eq!(sum.cases_made, 6);
        let clerk = f
            .store
            .login(&LoginInput {
                username: "wangli".into(),
                password: DEMO_PASSWORD.into(),
            })
            .unwrap();
        let count = |q| {
            f.store
                .list_queue(&clerk, &crate::QueueInput::first(q, 50))
                .unwrap()
                .total
        };
        assert_eq!(count(Queue::Drafts), 2);
        assert_eq!(count(Queue::AwaitingSignature) + count(Queue::AwaitingPayment), 4);
        assert!(count(Queue::AwaitingSignature) >= 1);
        assert!(count(Queue::AwaitingPayment) >= 1);
        assert!(f.store.verify_audit().unwrap().ok);
    }

    #[test]
    fn the_top_bar_search_finds_any_case_and_names_the_desks_that_work_it() {
        use crate::{CaseSearchInput, QueueInput};
        use regdesk_domain::queue::Queue;
        use regdesk_domain::staff::Desk;
        let f = crate::tests::fixture();
        fill_office(&f.store, 24).unwrap();
        let wangli = sign_in_as(&f.store, "wangli").unwrap();
        let liwen = sign_in_as(&f.store, "liwen").unwrap();
        let zhaomin = sign_in_as(&f.store, "zhaomin").unwrap();
        let search = |s: &Session, text: &str, limit: Option<u32>| {
            f.store
                .search_cases(
                    s,
                    &CaseSearchInput {
                        text: text.into(),
                        limit,
                    },
                )
                .unwrap()
        };
        let first_of = |q| {
            f.store
                .list_queue(&zhaomin, &QueueInput::first(q, 1))
                .unwrap()
                .rows
                .remove(0)
        };

        // A registration number, typed in lower case, finds its case for a clerk
        // who has no desk for it; the supervisor may open it at the reports desk.
        let registered = first_of(Queue::Registered);
        let regno = registered.registration_number.clone().unwrap();
        let r = search(&wangli, &regno.to_lowercase(), None);
        assert_eq!(r.total, 1);
        assert_eq!(r.hits[0].case.serial, registered.serial);
        assert_eq!(r.hits[0].queue, Queue::Registered);
        assert_eq!(r.hits[0].queue_label, "已登记");
        assert!(r.hits[0].desks.is_empty());
        assert_eq!(search(&zhaomin, &regno, None).hits[0].desks, vec![Desk::Reports]);

        // A case in first review, found by its serial: the reviewer's desk.
        let reviewing = first_of(Queue::FirstReview);
        let r = search(&liwen, &reviewing.serial, None);
        assert_eq!(r.hits[0].case.serial, reviewing.serial);
        assert_eq!(r.hits[0].desks, vec![Desk::FirstReview]);
        assert_eq!(r.hits[0].case.days_left, reviewing.days_left);

        // The office code is in every serial: all cases match, ten come back by
        // default, and the limit is honoured.
        let prefix: String = registered.serial.chars().take_while(|c| *c != '-').collect();
        let all = search(&zhaomin, &prefix, None);
        assert_eq!((all.total, all.more, all.hits.len()), (24, false, 10));
        assert_eq!(search(&zhaomin, &prefix, Some(50)).hits.len(), 24);
        // Counting stops at the cap and says there are more.
        let capped = f
            .store
            .search_cases_counting(
                &zhaomin,
                &CaseSearchInput {
                    text: prefix.clone(),
                    limit: Some(3),
                },
                5,
            )
            .unwrap();
        assert_eq!((capped.total, capped.more, capped.hits.len()), (5, true, 3));
        // The filing edited last comes first: the oldest draft, saved again.
        let wangli_drafts = f
            .store
            .list_queue(&wangli, &QueueInput::first(Queue::Drafts, 50))
            .unwrap()
            .rows;
        let oldest = wangli_drafts.iter().min_by_key(|r| r.created_at).unwrap();
        assert_ne!(all.hits[0].case.serial, oldest.serial);
        let detail = f.store.reveal_case(&wangli, &oldest.serial).unwrap();
        f.store
            .save_draft(
                &wangli,
                &crate::SaveDraftInput {
                    case_id: Some(detail.id.clone()),
                    version: Some(detail.version),
                    applicant_id: detail.applicant_id.clone(),
                    draft: detail.draft.clone(),
                },
            )
            .unwrap();
        assert_eq!(search(&zhaomin, &prefix, None).hits[0].case.serial, oldest.serial);
        // An exact serial still comes before it.
        assert_eq!(
            search(&liwen, &reviewing.serial, Some(50)).hits[0].case.serial,
            reviewing.serial
        );

        // One or two characters search too (no trigram); blank finds nothing.
        let two: String = reviewing.title.chars().take(2).collect();
        assert!(search(&liwen, &two, Some(50))
            .hits
            .iter()
            .any(|h| h.case.serial == reviewing.serial));
        let none = search(&liwen, "   ", None);
        assert_eq!((none.total, none.hits.len()), (0, 0));
        assert_eq!(search(&liwen, "不存在的作品名称", None).total, 0);
    }
}
