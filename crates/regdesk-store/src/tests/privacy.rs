//! Personal data (access.rs and the views that mask): full ID numbers,
//! addresses and identity scans only for the desks whose work needs them,
//! masked by default, every full read logged.

use chrono::Duration;
use regdesk_domain::applicant::{ApplicantInput, ProofKind};
use regdesk_domain::privacy::PersonalDataView;
use regdesk_domain::queue::Queue;

use super::fixtures::*;
use crate::*;

const WRITER_ID: &str = "11010519491231002X";
const ADDRESS: &str = "浙江省杭州市西湖区文三路 100 号";

struct Office {
    f: Fixture,
    admin: Session,
    clerk: Session,
    finance: Session,
    reviewer: Session,
    case: CaseDetail,
    id_scan: String,
    sample: String,
}

/// The sample office's staff and one corporate filing (a writer with a resident ID and an ID scan).
fn office() -> Office {
    let f = sample_office(1);
    let admin = sample_login(&f, "admin");
    let clerk = sample_login(&f, "wangli");
    let finance = sample_login(&f, "chenxy");
    let reviewer = sample_login(&f, "liwen");
    let draft = corporate(&f, &clerk, true);
    let id_scan = draft.writer.as_ref().unwrap().files[0].file_id.clone();
    let sample = draft.samples[0].clone();
    let case = new_draft(&f, &clerk, draft);
    Office {
        f,
        admin,
        clerk,
        finance,
        reviewer,
        case,
        id_scan,
        sample,
    }
}

fn log(o: &Office, input: AccessLogInput) -> Vec<AccessLogEntry> {
    o.f.store.access_log(&o.admin, &input).unwrap()
}

#[test]
fn case_views_are_masked_for_everyone_and_a_reveal_is_for_the_desks_that_need_it_and_logged() {
    let o = office();
    assert!(!o.case.revealed);
    for who in [&o.clerk, &o.finance, &o.reviewer, &o.admin] {
        let d = o.f.store.case_detail(who, &o.case.serial).unwrap();
        assert!(!d.revealed);
        let w = d.draft.writer.as_ref().unwrap();
        assert_eq!(w.id_number, "110105********002X");
        assert_eq!(d.draft.postal_address, "浙江省杭州市******");
        // An organisation's credit code is public.
        assert_eq!(d.draft.owners[0].id_number.len(), 18);
        assert!(!d.draft.owners[0].id_number.contains('*'));
    }

    // Finance and the admin may not reveal; nothing is logged.
    let before = journal_count(&o.f);
    for who in [&o.finance, &o.admin] {
        let e = o.f.store.reveal_case(who, &o.case.serial).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Permission);
        assert!(e.to_string().contains("查看完整证件号码"), "{e}");
    }
    assert_eq!(journal_count(&o.f), before);

    // The first reviewer reveals: the full values, one journal entry.
    o.f.clock.advance(Duration::minutes(5));
    let full = o.f.store.reveal_case(&o.reviewer, &o.case.serial).unwrap();
    assert!(full.revealed);
    assert_eq!(full.draft.writer.as_ref().unwrap().id_number, WRITER_ID);
    assert_eq!(full.draft.postal_address, ADDRESS);
    assert_eq!(journal_count(&o.f), before + 1);
    assert!(o.f.store.verify_audit().unwrap().ok);

    let entries = log(&o, AccessLogInput::default());
    assert_eq!(entries.len(), 1);
    let e = &entries[0];
    assert_eq!(e.what, PersonalDataView::FullIdentity);
    assert_eq!(e.what_label, "完整证件号码与地址");
    assert_eq!(e.serial.as_deref(), Some(o.case.serial.as_str()));
    assert_eq!(e.case_id.as_deref(), Some(o.case.id.as_str()));
    assert_eq!(e.staff_username.as_deref(), Some("liwen"));
    assert_eq!(e.staff_name.as_deref(), Some("李雯"));
    assert_eq!(e.at, o.f.clock.now());

    // Filters: by person, by case (serial or id), by office date.
    let staff = |s: &str| AccessLogInput {
        staff: Some(s.into()),
        ..AccessLogInput::default()
    };
    assert_eq!(log(&o, staff("LIWEN")).len(), 1);
    assert!(log(&o, staff("wangli")).is_empty());
    let case = |c: &str| AccessLogInput {
        case: Some(c.into()),
        ..AccessLogInput::default()
    };
    assert_eq!(log(&o, case(&o.case.serial.to_lowercase())).len(), 1);
    assert_eq!(log(&o, case(&o.case.id)).len(), 1);
    assert!(log(&o, case("ZJ-0000-20260101-0001")).is_empty());
    let today = o.f.store.office_today();
    let dates = |from, to| AccessLogInput {
        from,
        to,
        ..AccessLogInput::default()
    };
    assert_eq!(log(&o, dates(Some(today), Some(today))).len(), 1);
    assert!(log(&o, dates(Some(today + Duration::days(1)), None)).is_empty());
    assert!(log(&o, dates(None, Some(today - Duration::days(1)))).is_empty());
    let e =
        o.f.store
            .access_log(&o.admin, &dates(Some(today), Some(today - Duration::days(1))))
            .unwrap_err()
            .to_api();
    assert_eq!(e.fields[0].field, "from");

    // Only the admin and the supervisor read the log.
    let e =
        o.f.store
            .access_log(&o.reviewer, &AccessLogInput::default())
            .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Permission);
}

#[test]
fn a_masked_value_sent_back_is_refused_not_stored() {
    let o = office();
    let masked = o.f.store.case_detail(&o.clerk, &o.case.serial).unwrap();
    let save = |draft| {
        o.f.store.save_draft(
            &o.clerk,
            &SaveDraftInput {
                case_id: Some(o.case.id.clone()),
                version: Some(masked.version),
                applicant_id: None,
                draft,
            },
        )
    };
    let e = save(masked.draft.clone()).unwrap_err().to_api();
    let fields: Vec<&str> = e.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["writer.id_number", "postal_address"]);
    assert!(e.fields[0].message.contains("显示完整号码"));
    // The counter's edit form reads the full filing (logged) and saves it.
    let full = o.f.store.reveal_case(&o.clerk, &o.case.serial).unwrap();
    save(full.draft).unwrap();
    let stored = o.f.store.reveal_case(&o.clerk, &o.case.serial).unwrap();
    assert_eq!(stored.draft.writer.unwrap().id_number, WRITER_ID);
}

#[test]
fn applicant_views_are_masked_and_the_counter_reveals_them_logged() {
    let o = office();
    let found =
        o.f.store
            .find_applicants(
                &o.clerk,
                &FindApplicantsInput {
                    query: "林晓雨".into(),
                    limit: 1,
                },
            )
            .unwrap()
            .remove(0);
    assert!(!found.revealed);
    assert_eq!(found.id_number, found.id_number_masked);
    assert!(found.id_number.contains("********"));
    assert!(found.postal_address.ends_with("******"), "{}", found.postal_address);
    let one = o.f.store.applicant(&o.clerk, &found.id).unwrap();
    assert_eq!(one.id_number, found.id_number);

    let before = journal_count(&o.f);
    let full = o.f.store.reveal_applicant(&o.clerk, &found.id).unwrap();
    assert!(full.revealed && !full.id_number.contains('*'));
    assert_eq!(journal_count(&o.f), before + 1);
    let e = &log(&o, AccessLogInput::default())[0];
    assert_eq!(e.applicant_id.as_deref(), Some(found.id.as_str()));
    assert_eq!(e.applicant_name.as_deref(), Some("林晓雨"));
    assert_eq!(e.serial, None);
    assert_eq!(
        o.f.store.reveal_applicant(&o.finance, &found.id).unwrap_err().kind(),
        ErrorKind::Permission
    );

    // Saving the masked profile back is refused; the full one saves.
    let input = |v: &ApplicantView| ApplicantInput {
        category: v.category,
        name: v.name.clone(),
        id_type: v.id_type,
        id_number: v.id_number.clone(),
        pen_name: v.pen_name.clone().unwrap_or_default(),
        handler_name: v.handler_name.clone(),
        handler_mobile: v.handler_mobile.clone(),
        region: v.region.clone().unwrap_or_default(),
        invoice_email: v.invoice_email.clone(),
        recipient_name: v.recipient_name.clone(),
        recipient_phone: v.recipient_phone.clone(),
        postal_address: v.postal_address.clone(),
    };
    let update = |v: &ApplicantView| {
        o.f.store.update_applicant(
            &o.clerk,
            &UpdateApplicantInput {
                id: v.id.clone(),
                version: v.version,
                applicant: input(v),
            },
        )
    };
    let e = update(&found).unwrap_err().to_api();
    assert!(e.fields.iter().all(|f| f.code == "masked"), "{e:?}");
    assert_eq!(e.fields.len(), 2);
    let saved = update(&full).unwrap();
    assert_eq!(saved.id_number, full.id_number);

    // The ID panel names a profile's owner only to those who may see full numbers.
    let check = |who: &Session| {
        o.f.store
            .check_id(
                who,
                &IdCheckInput {
                    doc_type: Some(full.id_type),
                    number: full.id_number.clone(),
                },
            )
            .unwrap()
            .known_applicant
    };
    assert_eq!(check(&o.finance), None);
    let known = check(&o.clerk).unwrap();
    assert_eq!(known.id, full.id);
    assert!(known.id_number.contains('*'));
}

#[test]
fn identity_scans_open_only_for_the_desks_that_need_them_and_each_opening_is_logged() {
    let o = office();
    let before = journal_count(&o.f);
    // A sample of the work is no identity scan: anyone opens it, unlogged.
    o.f.store.verified_file_path(&o.finance, &o.sample).unwrap();
    assert_eq!(journal_count(&o.f), before);
    for who in [&o.finance, &o.admin] {
        let e = o.f.store.verified_file_path(who, &o.id_scan).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Permission);
    }
    assert_eq!(journal_count(&o.f), before);
    o.f.store.verified_file_path(&o.reviewer, &o.id_scan).unwrap();
    assert_eq!(journal_count(&o.f), before + 1);
    let e = &log(&o, AccessLogInput::default())[0];
    assert_eq!(e.what, PersonalDataView::IdentityScan);
    assert_eq!(e.file_name.as_deref(), Some("身份证.jpg"));
    assert_eq!(e.serial.as_deref(), Some(o.case.serial.as_str()));

    // A profile's identity proof likewise.
    let applicant =
        o.f.store
            .find_applicants(
                &o.clerk,
                &FindApplicantsInput {
                    query: "林晓雨".into(),
                    limit: 1,
                },
            )
            .unwrap()
            .remove(0);
    let scan = file(&o.f, &o.clerk, "身份证正面.jpg", b"\xff\xd8\xff front");
    o.f.store
        .add_identity_proof(
            &o.clerk,
            &AddProofInput {
                applicant_id: applicant.id.clone(),
                file_id: scan.id.clone(),
                kind: ProofKind::IdFront,
            },
        )
        .unwrap();
    assert_eq!(
        o.f.store.verified_file_path(&o.finance, &scan.id).unwrap_err().kind(),
        ErrorKind::Permission
    );
    o.f.store.verified_file_path(&o.clerk, &scan.id).unwrap();
    let e = &log(&o, AccessLogInput::default())[0];
    assert_eq!(e.applicant_name.as_deref(), Some("林晓雨"));
    assert_eq!(e.file_name.as_deref(), Some("身份证正面.jpg"));

    // A party's scan removed from the filing is no longer the case's.
    let mut draft = o.f.store.reveal_case(&o.clerk, &o.case.id).unwrap().draft;
    let current = o.f.store.case_detail(&o.clerk, &o.case.id).unwrap();
    draft.writer.as_mut().unwrap().files.clear();
    o.f.store
        .save_draft(
            &o.clerk,
            &SaveDraftInput {
                case_id: Some(o.case.id.clone()),
                version: Some(current.version),
                applicant_id: None,
                draft,
            },
        )
        .unwrap();
    o.f.store.verified_file_path(&o.finance, &o.id_scan).unwrap();
}

#[test]
fn the_application_form_prints_for_the_counter_only_and_is_logged() {
    let o = office();
    let e = o.f.store.application_form_pdf(&o.finance, &o.case.serial).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Permission);
    let before = journal_count(&o.f);
    let (serial, pdf) = o.f.store.application_form_pdf(&o.clerk, &o.case.serial).unwrap();
    assert_eq!(serial, o.case.serial);
    assert!(pdf.starts_with(b"%PDF"));
    assert_eq!(journal_count(&o.f), before + 1);
    let e = &log(&o, AccessLogInput::default())[0];
    assert_eq!(e.what, PersonalDataView::ApplicationForm);
    assert_eq!(e.staff_username.as_deref(), Some("wangli"));
}

#[test]
fn a_search_by_id_number_is_refused_to_those_who_may_not_see_full_numbers() {
    let o = office();
    let search = |who: &Session, text: &str| {
        o.f.store.search_cases(
            who,
            &CaseSearchInput {
                text: text.into(),
                limit: None,
            },
        )
    };
    for q in [WRITER_ID, "110105194912"] {
        let e = search(&o.finance, q).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Refused, "{q}");
        assert!(e.to_string().contains("按证件号码查找"), "{e}");
        assert_eq!(search(&o.admin, q).unwrap_err().kind(), ErrorKind::Refused);
        let hits = search(&o.clerk, q).unwrap().hits;
        assert!(hits.iter().any(|h| h.case.id == o.case.id), "{q}");
    }
    // A whole serial, a title or a name is no ID number.
    assert_eq!(search(&o.finance, &o.case.serial).unwrap().hits.len(), 1);
    assert!(!search(&o.finance, "断桥残雪").unwrap().hits.is_empty());
    // The queue's search alike.
    let queue = |who: &Session, q: &str| {
        o.f.store.list_queue(
            who,
            &QueueInput {
                search: Some(q.into()),
                ..QueueInput::first(Queue::Registered, 10)
            },
        )
    };
    assert_eq!(queue(&o.admin, WRITER_ID).unwrap_err().kind(), ErrorKind::Refused);
    queue(&o.admin, "断桥残雪").unwrap();
}

#[test]
fn a_version_12_database_links_its_filings_identity_scans_when_opened() {
    let o = office();
    let path = o.f.store.path().to_path_buf();
    let Office { f, id_scan, .. } = o;
    drop(f.store);
    {
        let conn = raw_db(&path).unwrap();
        super::db::as_version_12(&conn);
    }
    let store = open_store(f.dir.path(), f.clock.clone()).unwrap();
    let f = Fixture { store, ..f };
    let finance = sample_login(&f, "chenxy");
    assert_eq!(
        f.store.verified_file_path(&finance, &id_scan).unwrap_err().kind(),
        ErrorKind::Permission
    );
    let conn = raw_db(&path).unwrap();
    let linked: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM case_identity_files WHERE file_id = ?1",
            [&id_scan],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(linked, 1);
}
