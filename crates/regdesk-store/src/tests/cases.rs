//! Filings (cases.rs): drafts, signing, serials.

use chrono::Duration;
use regdesk_domain::filing::*;
use regdesk_domain::lifecycle::CaseState;
use regdesk_domain::queue::Queue;
use regdesk_domain::signature::{SignatureMethod, SignerRef, SignerStatus};

use super::fixtures::*;
use crate::*;

fn paper(n: u32) -> SignatureMethod {
    SignatureMethod::PaperScan {
        scan_ref: format!("scan-{n}"),
    }
}

#[test]
fn a_corporate_filing_from_draft_to_awaiting_payment() {
    let (f, admin) = office();
    let c = signed_in(&f, &admin, &CLERK);

    // A draft saves at any point, even empty, and gets a readable serial.
    let empty = f
        .store
        .save_draft(
            &c,
            &SaveDraftInput {
                case_id: None,
                version: None,
                applicant_id: None,
                draft: FilingDraft::default(),
            },
        )
        .unwrap();
    assert_eq!(empty.state, CaseState::Draft);
    let parts: Vec<&str> = empty.serial.split('-').collect();
    assert_eq!(parts.len(), 4, "{}", empty.serial);
    assert_eq!((parts[0], parts[2], parts[3]), ("ZJ", "20261125", "0001"));

    // Without a sample the submission names the field; nothing changes.
    let d = f
        .store
        .save_draft(
            &c,
            &SaveDraftInput {
                case_id: Some(empty.id.clone()),
                version: Some(empty.version),
                applicant_id: None,
                draft: corporate(&f, &c, false),
            },
        )
        .unwrap();
    let e = f
        .store
        .submit_for_signing(
            &c,
            &CaseRef {
                case_id: d.id.clone(),
                version: d.version,
            },
        )
        .unwrap_err()
        .to_api();
    assert_eq!(e.kind, ErrorKind::Validation);
    assert_eq!(
        e.fields.iter().map(|x| x.field.as_str()).collect::<Vec<_>>(),
        vec!["samples"]
    );

    let mut draft = corporate(&f, &c, true);
    let d = f
        .store
        .save_draft(
            &c,
            &SaveDraftInput {
                case_id: Some(d.id.clone()),
                version: Some(d.version),
                applicant_id: None,
                draft: draft.clone(),
            },
        )
        .unwrap();
    let d = f
        .store
        .submit_for_signing(
            &c,
            &CaseRef {
                case_id: d.id.clone(),
                version: d.version,
            },
        )
        .unwrap();
    assert_eq!(d.state, CaseState::AwaitingSignatures);
    let sheet: Vec<(&str, SignerStatus)> = d.signing.iter().map(|l| (l.signer.name.as_str(), l.status)).collect();
    assert_eq!(
        sheet,
        vec![
            ("杭州湖光影像文化传媒有限公司", SignerStatus::Current),
            ("宁波海曙文化发展有限公司", SignerStatus::Waiting),
            ("陈思远", SignerStatus::Waiting),
        ]
    );

    // Out of order is refused.
    let e = f
        .store
        .record_signature(
            &c,
            &RecordSignatureInput {
                case_id: d.id.clone(),
                version: d.version,
                signer: SignerRef::Writer,
                method: paper(9),
            },
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Refused);

    // The first owner signs; then an edit voids the signature and returns the case to draft.
    let d = f
        .store
        .record_signature(
            &c,
            &RecordSignatureInput {
                case_id: d.id.clone(),
                version: d.version,
                signer: SignerRef::Owner { index: 0 },
                method: paper(1),
            },
        )
        .unwrap();
    assert_eq!(d.signing[0].status, SignerStatus::Signed);
    draft.work.title = "西湖十景之断桥残雪（修订）".into();
    let d = f
        .store
        .save_draft(
            &c,
            &SaveDraftInput {
                case_id: Some(d.id.clone()),
                version: Some(d.version),
                applicant_id: None,
                draft: draft.clone(),
            },
        )
        .unwrap();
    assert_eq!(d.state, CaseState::Draft);
    assert!(d.signing.iter().all(|l| l.record.is_none()));

    // Submit again and sign in order: the case waits for payment.
    let mut d = f
        .store
        .submit_for_signing(
            &c,
            &CaseRef {
                case_id: d.id.clone(),
                version: d.version,
            },
        )
        .unwrap();
    for (n, who) in [
        SignerRef::Owner { index: 0 },
        SignerRef::Owner { index: 1 },
        SignerRef::Writer,
    ]
    .into_iter()
    .enumerate()
    {
        d = f
            .store
            .record_signature(
                &c,
                &RecordSignatureInput {
                    case_id: d.id.clone(),
                    version: d.version,
                    signer: who,
                    method: paper(n as u32),
                },
            )
            .unwrap();
    }
    assert_eq!(d.state, CaseState::AwaitingPayment);

    // It is in 待缴费, found by title, by serial and by the writer's ID number, and by two characters.
    for q in [
        None,
        Some("断桥残雪"),
        Some(d.serial.as_str()),
        Some("11010519491231002X"),
        Some("湖光"),
    ] {
        let page = f
            .store
            .list_queue(
                &c,
                &QueueInput {
                    queue: Queue::AwaitingPayment,
                    page: 1,
                    page_size: 20,
                    search: q.map(String::from),
                    sort: None,
                    office: None,
                    cursor: None,
                },
            )
            .unwrap();
        assert_eq!(page.total, 1, "{q:?}");
    }
    let none = f
        .store
        .list_queue(
            &c,
            &QueueInput {
                queue: Queue::AwaitingPayment,
                page: 1,
                page_size: 20,
                search: Some("没有这个".into()),
                sort: None,
                office: None,
                cursor: None,
            },
        )
        .unwrap();
    assert_eq!(none.total, 0);
    assert!(f.store.verify_audit().unwrap().ok);
    // Editing is over once it waits for payment.
    let e = f
        .store
        .save_draft(
            &c,
            &SaveDraftInput {
                case_id: Some(d.id.clone()),
                version: Some(d.version),
                applicant_id: None,
                draft,
            },
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Refused);
}

#[test]
fn a_draft_survives_closing_the_app() {
    let (f, admin) = office();
    let c = signed_in(&f, &admin, &CLERK);
    let mut draft = FilingDraft::default();
    draft.work.title = "未写完的作品".into();
    draft.work.completed_on = "2026-1".into();
    let d = new_draft(&f, &c, draft.clone());
    let dir = f.dir.path().to_path_buf();
    let clock = f.clock.clone();
    drop(f.store);
    let again = open_store(&dir, clock).unwrap();
    let c = again
        .login(&LoginInput {
            username: "wangli".into(),
            password: "Shouli2026".into(),
        })
        .unwrap();
    let back = again.case_detail(&c, &d.serial).unwrap();
    assert_eq!(back.draft, draft);
    assert_eq!(back.state, CaseState::Draft);
}

#[test]
fn serials_count_per_day_and_differ_between_stations() {
    let (f, admin) = office();
    let c = signed_in(&f, &admin, &CLERK);
    let save = |s: &Store, c: &Session| {
        s.save_draft(
            c,
            &SaveDraftInput {
                case_id: None,
                version: None,
                applicant_id: None,
                draft: FilingDraft::default(),
            },
        )
        .unwrap()
        .serial
    };
    let one = save(&f.store, &c);
    let two = save(&f.store, &c);
    assert!(one.ends_with("-0001") && two.ends_with("-0002"), "{one} {two}");
    f.clock.advance(Duration::days(1));
    // A day later the clerk, locked out by the idle lock, signs in again.
    let c = login(&f, CLERK.username, CLERK.password).unwrap();
    assert!(save(&f.store, &c).ends_with("20261126-0001"));
    assert_eq!(station_code(f.store.station_id()), one.split('-').nth(1).unwrap());
}
