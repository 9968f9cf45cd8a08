//! Documents assembled from a case for printing (the application form).

use regdesk_domain::filing::{parse_partial_date, Delivery, FilingDraft};
use regdesk_domain::work::{Ownership, PartialDate, PublicationStatus};
use regdesk_print::{ApplicationForm, PartyLine, SignerLine as PrintSigner};

use crate::error::{Result, StoreError};
use crate::session::Session;
use crate::Store;

/// 2026年1月12日 / 2026年1月 / 2026年.
pub fn chinese_date(d: &PartialDate) -> String {
    match (d.month, d.day) {
        (Some(m), Some(day)) => format!("{}年{m}月{day}日", d.year),
        (Some(m), None) => format!("{}年{m}月", d.year),
        _ => format!("{}年", d.year),
    }
}

fn typed_date(s: &str) -> String {
    parse_partial_date("", "", s)
        .map(|d| chinese_date(&d))
        .unwrap_or_else(|_| s.trim().to_string())
}

fn or_dash(s: &str) -> String {
    if s.trim().is_empty() {
        "—".into()
    } else {
        s.trim().to_string()
    }
}

fn form_from(
    office: &str,
    serial: &str,
    printed_on: &str,
    d: &FilingDraft,
    signers: Vec<PrintSigner>,
) -> ApplicationForm {
    let w = &d.work;
    let label = |o: Option<&'static str>| o.unwrap_or("未填").to_string();
    let nature = match (w.nature.map(|n| n.label()), w.nature_note.trim()) {
        (Some(n), "") => n.to_string(),
        (Some(n), note) => format!("{n}（{note}）"),
        (None, _) => "未填".into(),
    };
    let publication = match w.publication {
        Some(PublicationStatus::Published) => format!(
            "已发表：{}首次发表于{}",
            typed_date(&w.first_published_on),
            or_dash(&w.first_published_place)
        ),
        Some(p) => p.label().to_string(),
        None => "未填".into(),
    };
    let ownership = match w.ownership {
        Some(Ownership::Partial) => format!(
            "部分：{}",
            w.rights.iter().map(|r| r.label()).collect::<Vec<_>>().join("、")
        ),
        Some(o) => o.label().to_string(),
        None => "未填".into(),
    };
    let id_label = |t: Option<regdesk_domain::identity::DocumentType>| t.map(|t| t.label()).unwrap_or("").to_string();
    ApplicationForm {
        office_name: office.to_string(),
        serial: serial.to_string(),
        printed_on: printed_on.to_string(),
        title: or_dash(&w.title),
        category: label(w.category.map(|c| c.label())),
        creation_nature: nature,
        completed: format!("{}，{}", typed_date(&w.completed_on), or_dash(&w.completed_place)),
        publication,
        attribution: label(w.attribution.map(|a| a.label())),
        acquisition: label(w.acquisition.map(|a| a.label())),
        ownership,
        owners: d
            .owners
            .iter()
            .map(|o| PartyLine {
                kind: o.kind.map(|k| k.label()).unwrap_or("").to_string(),
                name: o.name.trim().to_string(),
                id_type: id_label(o.id_type),
                id_number: o.id_number.trim().to_string(),
                extra: if o.handling_person.trim().is_empty() {
                    o.region.trim().to_string()
                } else {
                    format!("经办人 {}", o.handling_person.trim())
                },
            })
            .collect(),
        authors: d
            .authors
            .iter()
            .map(|a| PartyLine {
                kind: a.kind.map(|k| k.label()).unwrap_or("").to_string(),
                name: a.name.trim().to_string(),
                id_type: String::new(),
                id_number: String::new(),
                extra: match (a.signed_as, a.signed_name.trim()) {
                    (Some(s), "") => format!("署名：{}", s.label()),
                    (Some(s), n) => format!("署名：{}（{n}）", s.label()),
                    (None, _) => String::new(),
                },
            })
            .collect(),
        writer: d.writer.as_ref().map(|wr| PartyLine {
            kind: "自然人".into(),
            name: wr.name.trim().to_string(),
            id_type: id_label(wr.id_type),
            id_number: wr.id_number.trim().to_string(),
            extra: String::new(),
        }),
        description: or_dash(&d.description),
        creation_story: or_dash(&d.creation_story),
        delivery: match d.delivery {
            Some(Delivery::Mail) => format!(
                "{}：{} {} {}",
                Delivery::Mail.label(),
                d.recipient_name.trim(),
                d.recipient_phone.trim(),
                d.postal_address.trim()
            ),
            Some(Delivery::Pickup) => Delivery::Pickup.label().to_string(),
            None => "未填".into(),
        },
        invoice_email: or_dash(&d.invoice_email),
        signers,
    }
}

impl Store {
    /// 申请表 PDF of a case (by id or serial), with the full ID numbers and
    /// address the applicant signs: only for the desks that may see them, and
    /// logged.
    pub fn application_form_pdf(&self, session: &Session, key: &str) -> Result<(String, Vec<u8>)> {
        let case = self.case_for_form(session, key)?;
        let office = self.office()?.map(|o| o.name).unwrap_or_default();
        let printed_on = chinese_date(&PartialDate::full(self.office_today()));
        let signers = if case.signing.is_empty() {
            // Not yet submitted: the signers as the parties stand, none signed.
            case.draft
                .owners
                .iter()
                .map(|o| (o.name.trim().to_string(), "著作权人签章"))
                .chain(
                    case.draft
                        .writer
                        .iter()
                        .map(|w| (w.name.trim().to_string(), "执笔者签章")),
                )
                .enumerate()
                .map(|(i, (name, role))| PrintSigner {
                    order: i as u32 + 1,
                    name,
                    role: role.into(),
                    status: if i == 0 { "待签章" } else { "准备签章" }.into(),
                    signed: String::new(),
                })
                .collect()
        } else {
            case.signing
                .iter()
                .enumerate()
                .map(|(i, l)| PrintSigner {
                    order: i as u32 + 1,
                    name: l.signer.name.clone(),
                    role: match l.signer.party {
                        regdesk_domain::signature::SignerRef::Writer => "执笔者签章",
                        _ => "著作权人签章",
                    }
                    .into(),
                    status: l.status.label().into(),
                    signed: l
                        .record
                        .as_ref()
                        .map(|r| {
                            format!(
                                "{} {}",
                                chinese_date(&PartialDate::full(crate::office_date(r.signed_at))),
                                r.method.label()
                            )
                        })
                        .unwrap_or_default(),
                })
                .collect()
        };
        let form = form_from(&office, &case.serial, &printed_on, &case.draft, signers);
        let pdf = regdesk_print::application_form(&form).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok((case.serial, pdf))
    }
}

impl Store {
    /// The notice a review decision sends the applicant: 补正通知书 for a case returned for
    /// correction, 不予登记通知书 for a refused one. Returns a file name and the PDF.
    pub fn notice_pdf(&self, session: &Session, key: &str) -> Result<(String, Vec<u8>)> {
        use regdesk_domain::lifecycle::{CaseState, CommandKind};
        let case = self.case_detail(session, key)?;
        let history = self.review_history(session, &case.id)?;
        let office = self.office()?.map(|o| o.name).unwrap_or_default();
        let day = |t: chrono::DateTime<chrono::Utc>| chinese_date(&PartialDate::full(crate::office_date(t)));
        let category = case
            .draft
            .work
            .category
            .map(|c| c.label().to_string())
            .unwrap_or_default();
        let submitted_on = case
            .accepted_on
            .map(|d| chinese_date(&PartialDate::full(d)))
            .unwrap_or_default();
        let year = crate::office_date(self.now()).format("%Y");
        let last = |k: CommandKind| history.iter().rev().find(|r| r.command == k);
        match case.state {
            CaseState::ReturnedForCorrection => {
                let r = last(CommandKind::ReturnForCorrection).ok_or_else(|| StoreError::Refused {
                    code: "no_correction".into(),
                    message: "找不到本案的补正记录，无法打印补正通知书".into(),
                })?;
                let pdf = regdesk_print::correction_notice(&regdesk_print::CorrectionNotice {
                    office_name: office,
                    notice_number: format!("补正〔{year}〕{}", case.serial),
                    serial: case.serial.clone(),
                    applicant: case.applicant_name.clone(),
                    work_title: case.draft.work.title.trim().to_string(),
                    category,
                    submitted_on,
                    reasons: r.reasons.clone(),
                    deadline: r.deadline.map(day).unwrap_or_default(),
                    contact: String::new(),
                    reviewer: r.staff_name.clone(),
                    issued_on: day(r.at),
                })
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                Ok((format!("{}-补正通知书.pdf", case.serial), pdf))
            }
            CaseState::Refused => {
                let proposed = last(CommandKind::ProposeRefusal);
                let confirmed = last(CommandKind::ConfirmRefusal);
                let mut reviewers = Vec::new();
                if let Some(p) = proposed {
                    reviewers.push(regdesk_print::Reviewer {
                        role: "审查员".into(),
                        name: p.staff_name.clone(),
                    });
                }
                if let Some(c) = confirmed {
                    reviewers.push(regdesk_print::Reviewer {
                        role: "复核员".into(),
                        name: c.staff_name.clone(),
                    });
                }
                let owed = crate::cases::load(&self.conn(), &case.id)?.facts.refund_owed_fen;
                let refund = (owed > 0).then_some(owed);
                let pdf = regdesk_print::refusal_notice(&regdesk_print::RefusalNotice {
                    office_name: office,
                    notice_number: format!("不予登记〔{year}〕{}", case.serial),
                    serial: case.serial.clone(),
                    applicant: case.applicant_name.clone(),
                    work_title: case.draft.work.title.trim().to_string(),
                    category,
                    submitted_on,
                    ground: proposed.and_then(|p| p.ground_label.clone()).unwrap_or_default(),
                    legal_basis: "《作品自愿登记试行办法》第五条".into(),
                    note: proposed.map(|p| p.note.clone()).unwrap_or_default(),
                    refund_fen: refund,
                    reviewers,
                    issued_on: confirmed.map(|c| day(c.at)).unwrap_or_default(),
                })
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                Ok((format!("{}-不予登记通知书.pdf", case.serial), pdf))
            }
            s => Err(StoreError::Refused {
                code: "no_notice".into(),
                message: format!("本案当前为{}，没有需要打印的通知书", s.label()),
            }),
        }
    }
}
