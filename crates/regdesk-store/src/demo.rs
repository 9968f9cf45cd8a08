//! The sample office (示例机构): a realistic data directory made through the
//! same store commands a person would use, for trying the app and for tests.

use regdesk_domain::applicant::{ApplicantCategory, ApplicantInput};
use regdesk_domain::category::WorkCategory;
use regdesk_domain::filing::{AuthorDraft, Delivery, FilingDraft, OwnerDraft, PartyFile, WorkDraft, WriterDraft};
use regdesk_domain::identity::{gb11643_check_char, uscc_check_char, DocumentType};
use regdesk_domain::office::OfficeInput;
use regdesk_domain::party::{AttachmentKind, PartyKind, SignedAs};
use regdesk_domain::signature::{SignatureMethod, SignerRef};
use regdesk_domain::staff::Role;
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
        let sample = store.add_file(clerk, &sample_path)?;
        let licence = store.add_file(clerk, &licence_path)?;
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
                .list_queue(
                    &clerk,
                    &crate::QueueInput {
                        queue: q,
                        page: 1,
                        page_size: 50,
                        search: None,
                    },
                )
                .unwrap()
                .total
        };
        assert_eq!(count(Queue::Drafts), 2);
        assert_eq!(count(Queue::AwaitingSignature) + count(Queue::AwaitingPayment), 4);
        assert!(count(Queue::AwaitingSignature) >= 1);
        assert!(count(Queue::AwaitingPayment) >= 1);
        assert!(f.store.verify_audit().unwrap().ok);
    }
}
