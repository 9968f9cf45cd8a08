//! Applicant profiles and the ID panel (applicants.rs).

use regdesk_domain::applicant::{ApplicantCategory, ApplicantInput, IdConsequence};
use regdesk_domain::identity::DocumentType;

use super::fixtures::*;
use crate::*;

fn company() -> ApplicantInput {
    ApplicantInput {
        category: ApplicantCategory::Organisation,
        name: "杭州青山文化创意有限公司".into(),
        id_type: DocumentType::Uscc,
        id_number: "91350100m000100y43".into(),
        pen_name: "".into(),
        handler_name: "陈静".into(),
        handler_mobile: "13905710001".into(),
        region: "杭州市".into(),
        invoice_email: "finance@qingshan.cn".into(),
        recipient_name: "陈静".into(),
        recipient_phone: "13905710001".into(),
        postal_address: "浙江省杭州市拱墅区大关路 100 号".into(),
    }
}

#[test]
fn profiles_are_unique_per_document_and_found_as_you_type() {
    let (f, admin) = office();
    let c = signed_in(&f, &admin, &CLERK);
    let a = f.store.create_applicant(&c, &company()).unwrap();
    assert_eq!(a.id_number, "91350100M000100Y43");
    assert_eq!(a.id_number_masked, "913501********0Y43");
    assert_eq!(a.category_label, "法人或非法人组织");
    // The same number again is refused on its field, naming the existing profile.
    let e = f.store.create_applicant(&c, &company()).unwrap_err().to_api();
    assert_eq!(
        (e.fields[0].field.as_str(), e.fields[0].code.as_str()),
        ("id_number", "taken")
    );
    assert!(e.fields[0].message.contains("杭州青山文化创意有限公司"));
    for q in ["青山", "91350100m", "0Y43", "1390571"] {
        let found = f
            .store
            .find_applicants(
                &c,
                &FindApplicantsInput {
                    query: q.into(),
                    limit: 10,
                },
            )
            .unwrap();
        assert_eq!(found.len(), 1, "{q}");
    }
    assert!(f
        .store
        .find_applicants(
            &c,
            &FindApplicantsInput {
                query: "%".into(),
                limit: 10
            }
        )
        .unwrap()
        .is_empty());
    // Admins do not keep profiles; counter clerks do.
    assert_eq!(
        f.store.create_applicant(&admin, &company()).unwrap_err().kind(),
        ErrorKind::Permission
    );
}

#[test]
fn the_category_is_fixed_except_an_admin_promotion_with_a_reason() {
    let (f, admin) = office();
    let c = signed_in(&f, &admin, &CLERK);
    let a = f.store.create_applicant(&c, &company()).unwrap();
    let mut changed = company();
    changed.category = ApplicantCategory::Agency;
    let e = f
        .store
        .update_applicant(
            &c,
            &UpdateApplicantInput {
                id: a.id.clone(),
                version: a.version,
                applicant: changed,
            },
        )
        .unwrap_err()
        .to_api();
    assert_eq!(e.fields[0].code, "fixed");
    let input = ChangeCategoryInput {
        id: a.id.clone(),
        version: a.version,
        category: ApplicantCategory::Agency,
        reason: "已核实版权代理资质证明".into(),
    };
    assert_eq!(
        f.store.change_applicant_category(&c, &input).unwrap_err().kind(),
        ErrorKind::Permission
    );
    let v = f.store.change_applicant_category(&admin, &input).unwrap();
    assert_eq!((v.category, v.version), (ApplicantCategory::Agency, 2));
    // A stale version is a conflict.
    assert_eq!(
        f.store.change_applicant_category(&admin, &input).unwrap_err().kind(),
        ErrorKind::Conflict
    );
    assert!(f.store.verify_audit().unwrap().ok);
}

#[test]
fn the_id_panel_says_what_follows() {
    let (f, admin) = office();
    let c = signed_in(&f, &admin, &CLERK);
    let v = f
        .store
        .check_id(
            &c,
            &IdCheckInput {
                doc_type: None,
                number: "11010519491231002X".into(),
            },
        )
        .unwrap();
    assert!(v.valid);
    assert_eq!(v.doc_type, DocumentType::ResidentId);
    assert_eq!(v.age, Some(76));
    assert_eq!(v.sex_label.as_deref(), Some("女"));
    assert!(v.region_text.as_deref().unwrap_or_default().starts_with("北京市"));
    let codes: Vec<IdConsequence> = v.consequences.iter().map(|c| c.code).collect();
    assert_eq!(
        codes,
        vec![IdConsequence::IdScanRequired, IdConsequence::ResidenceProofRequired]
    );
    assert!(v.consequences[1].message.contains("浙江省"));
    let bad = f
        .store
        .check_id(
            &c,
            &IdCheckInput {
                doc_type: Some(DocumentType::ResidentId),
                number: "110105194912310021".into(),
            },
        )
        .unwrap();
    assert!(!bad.valid);
    let e = bad.error.unwrap();
    assert_eq!(e.code, "checksum");
    assert!(e.message.contains("校验码应为 X"), "{}", e.message);
    // A known number offers its profile.
    f.store.create_applicant(&c, &company()).unwrap();
    let known = f
        .store
        .check_id(
            &c,
            &IdCheckInput {
                doc_type: None,
                number: "91350100M000100Y43".into(),
            },
        )
        .unwrap();
    assert_eq!(
        known.known_applicant.map(|a| a.name),
        Some("杭州青山文化创意有限公司".to_string())
    );
}
