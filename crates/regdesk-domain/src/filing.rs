//! The filing as the counter desk types it (作品填报暂存稿): every field may
//! still be empty, so a draft can be saved at any point; `to_filing` turns it
//! into a checked [`Filing`] for signing, naming every problem by its field.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::category::WorkCategory;
use crate::error::{required_text, FieldError};
use crate::identity::{check, DocumentType};
use crate::party::{
    AttachmentKind, Author, Guardian, IdDocument, IdFacts, Owner, PartyContext, PartyKind, SignedAs, Writer,
};
use crate::work::{
    unfit_parties, validate_filing, Acquisition, Attribution, CreationNature, Filing, Ownership, PartialDate,
    PublicationStatus, Right, UnfitParty, WorkInfo,
};

/// 纸质证书发放方式。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// 邮寄（顺丰到付）
    Mail,
    /// 自领（收到电子发票后）
    Pickup,
}

impl Delivery {
    pub fn label(self) -> &'static str {
        match self {
            Delivery::Mail => "邮寄（顺丰到付）",
            Delivery::Pickup => "自领",
        }
    }
}

/// 当事人的一份附件（已存入附件库的文件）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PartyFile {
    pub file_id: String,
    pub kind: AttachmentKind,
}

/// 作品信息（填写中）。
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct WorkDraft {
    pub title: String,
    pub category: Option<WorkCategory>,
    pub nature: Option<CreationNature>,
    pub nature_note: String,
    /// As typed: 2026-11-25, 2026/11/25, 20261125, 2026-11, 2026 or 2026年11月25日.
    pub completed_on: String,
    pub completed_place: String,
    pub publication: Option<PublicationStatus>,
    pub first_published_on: String,
    pub first_published_place: String,
    pub attribution: Option<Attribution>,
    pub acquisition: Option<Acquisition>,
    pub ownership: Option<Ownership>,
    pub rights: Vec<Right>,
    pub other_rights_note: String,
}

/// 著作权人（填写中）。
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct OwnerDraft {
    pub kind: Option<PartyKind>,
    pub name: String,
    pub id_type: Option<DocumentType>,
    pub id_number: String,
    pub handling_person: String,
    pub region: String,
    pub guardian_name: String,
    pub guardian_id_type: Option<DocumentType>,
    pub guardian_id_number: String,
    pub files: Vec<PartyFile>,
}

/// 作者（填写中）。
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct AuthorDraft {
    pub kind: Option<PartyKind>,
    pub name: String,
    pub signed_as: Option<SignedAs>,
    pub signed_name: String,
}

/// 执笔者（填写中）。
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct WriterDraft {
    pub name: String,
    pub id_type: Option<DocumentType>,
    pub id_number: String,
    pub guardian_name: String,
    pub guardian_id_type: Option<DocumentType>,
    pub guardian_id_number: String,
    pub files: Vec<PartyFile>,
}

/// 作品填报暂存稿。
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct FilingDraft {
    pub work: WorkDraft,
    pub owners: Vec<OwnerDraft>,
    pub authors: Vec<AuthorDraft>,
    pub writer: Option<WriterDraft>,
    /// 作品样本（附件库中的文件）
    pub samples: Vec<String>,
    /// 其他附件
    pub other_files: Vec<String>,
    /// 作品简介及创意
    pub description: String,
    /// 创作经过及意图
    pub creation_story: String,
    pub delivery: Option<Delivery>,
    pub recipient_name: String,
    pub recipient_phone: String,
    pub postal_address: String,
    pub invoice_email: String,
}

/// A date typed at the desk, with month and day possibly unknown.
pub fn parse_partial_date(field: &str, label: &str, typed: &str) -> Result<PartialDate, FieldError> {
    let t = typed.trim();
    let bad = || {
        FieldError::new(
            field,
            "date_format",
            format!("{label}请按 2026-11-25、2026/11/25、20261125 填写（月、日不详可只填 2026-11 或 2026）"),
        )
    };
    if t.is_empty() {
        return Err(FieldError::new(field, "required", format!("请填写{label}")));
    }
    let cleaned: String = t
        .replace(['年', '月', '/', '.'], "-")
        .replace('日', "")
        .trim_end_matches('-')
        .to_string();
    let parts: Vec<&str> = if cleaned.contains('-') {
        cleaned.split('-').collect()
    } else if cleaned.len() == 8 {
        vec![&cleaned[0..4], &cleaned[4..6], &cleaned[6..8]]
    } else if cleaned.len() == 6 {
        vec![&cleaned[0..4], &cleaned[4..6]]
    } else {
        vec![cleaned.as_str()]
    };
    let num = |s: &str| -> Result<u32, FieldError> {
        if s.is_empty() || s.len() > 4 || !s.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        s.parse::<u32>().map_err(|_| bad())
    };
    let (y, m, d) = match parts.as_slice() {
        [y] => (num(y)?, None, None),
        [y, m] => (num(y)?, Some(num(m)?), None),
        [y, m, d] => (num(y)?, Some(num(m)?), Some(num(d)?)),
        _ => return Err(bad()),
    };
    if !(1000..=9999).contains(&y) {
        return Err(bad());
    }
    PartialDate::new(y as i32, m, d).map_err(|e| FieldError::new(field, e.code(), format!("{label}有误：{e}")))
}

fn id_document(
    field: &str,
    id_type: Option<DocumentType>,
    number: &str,
    today: NaiveDate,
    errs: &mut Vec<FieldError>,
) -> IdDocument {
    let Some(t) = id_type else {
        errs.push(FieldError::new(
            field.replace("id_number", "id_type"),
            "required",
            "请选择证件类型",
        ));
        return IdDocument {
            type_label: String::new(),
            number: number.trim().to_string(),
            facts: None,
        };
    };
    match check(t, number, today) {
        Ok(doc) => IdDocument {
            type_label: t.label().to_string(),
            number: doc.number.clone(),
            facts: Some(IdFacts {
                birth_date: doc.person.as_ref().map(|p| p.birth_date),
                region_code: doc.region().map(|r| r.code.clone()),
                is_natural_person: doc.organisation.is_none() && t != DocumentType::Uscc,
            }),
        },
        Err(e) => {
            errs.push(e.to_field_error(field));
            IdDocument {
                type_label: t.label().to_string(),
                number: number.trim().to_string(),
                facts: None,
            }
        }
    }
}

fn guardian(
    prefix: &str,
    name: &str,
    id_type: Option<DocumentType>,
    number: &str,
    today: NaiveDate,
    errs: &mut Vec<FieldError>,
) -> Option<Guardian> {
    if name.trim().is_empty() && number.trim().is_empty() {
        return None;
    }
    Some(Guardian {
        name: name.trim().to_string(),
        id: id_document(&format!("{prefix}.guardian_id_number"), id_type, number, today, errs),
    })
}

fn choose<T: Copy>(field: &str, label: &str, v: Option<T>, errs: &mut Vec<FieldError>) -> Option<T> {
    if v.is_none() {
        errs.push(FieldError::new(field, "required", format!("请选择{label}")));
    }
    v
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

impl FilingDraft {
    /// The parties that would not fit if the attribution became `attribution` (to ask the clerk to remove them).
    pub fn parties_not_fitting(&self, attribution: Attribution) -> Vec<UnfitParty> {
        let owners: Vec<(Option<PartyKind>, &str)> = self.owners.iter().map(|o| (o.kind, o.name.as_str())).collect();
        let authors: Vec<(Option<PartyKind>, &str)> = self.authors.iter().map(|a| (a.kind, a.name.as_str())).collect();
        unfit_parties(
            &owners,
            &authors,
            self.writer.as_ref().map(|w| w.name.as_str()),
            attribution,
        )
    }

    /// The checked filing, or every problem at once (one per field, the most precise first).
    /// `file_exists` tells whether a referenced file is in the attachment store.
    pub fn to_filing(&self, ctx: &PartyContext, file_exists: &dyn Fn(&str) -> bool) -> Result<Filing, Vec<FieldError>> {
        let today = ctx.filing_date;
        let mut errs = Vec::new();
        let w = &self.work;
        let category = choose("work.category", "作品类别", w.category, &mut errs);
        let nature = choose("work.nature", "作品创作性质", w.nature, &mut errs);
        let completed = parse_partial_date("work.completed_on", "创作完成日期", &w.completed_on)
            .map_err(|e| errs.push(e))
            .ok();
        let publication = choose("work.publication", "发表状态", w.publication, &mut errs);
        let first_published = if publication == Some(PublicationStatus::Published) {
            parse_partial_date("work.first_published_on", "首次发表日期", &w.first_published_on)
                .map_err(|e| errs.push(e))
                .ok()
        } else {
            None
        };
        let attribution = choose("work.attribution", "权利归属方式", w.attribution, &mut errs);
        let acquisition = choose("work.acquisition", "权利取得方式", w.acquisition, &mut errs);
        let ownership = choose("work.ownership", "权利拥有状况", w.ownership, &mut errs);

        let mut owners = Vec::new();
        for (i, o) in self.owners.iter().enumerate() {
            let p = format!("owners[{i}]");
            let kind = choose(&format!("{p}.kind"), "著作权人类型", o.kind, &mut errs);
            let id = id_document(&format!("{p}.id_number"), o.id_type, &o.id_number, today, &mut errs);
            let g = guardian(
                &p,
                &o.guardian_name,
                o.guardian_id_type,
                &o.guardian_id_number,
                today,
                &mut errs,
            );
            for f in &o.files {
                if !file_exists(&f.file_id) {
                    errs.push(FieldError::new(
                        format!("{p}.files"),
                        "missing_file",
                        "附件文件已不在附件库中，请重新上传",
                    ));
                }
            }
            owners.push(Owner {
                kind: kind.unwrap_or(PartyKind::NaturalPerson),
                name: o.name.trim().to_string(),
                id,
                handling_person: non_empty(&o.handling_person),
                region: o.region.trim().to_string(),
                guardian: g,
                attachments: o.files.iter().map(|f| f.kind).collect(),
            });
        }
        let mut authors = Vec::new();
        for (i, a) in self.authors.iter().enumerate() {
            let p = format!("authors[{i}]");
            let kind = choose(&format!("{p}.kind"), "作者类型", a.kind, &mut errs);
            let signed_as = choose(&format!("{p}.signed_as"), "署名方式", a.signed_as, &mut errs);
            authors.push(Author {
                kind: kind.unwrap_or(PartyKind::NaturalPerson),
                name: a.name.trim().to_string(),
                signed_as: signed_as.unwrap_or(SignedAs::RealName),
                signed_name: non_empty(&a.signed_name),
            });
        }
        let writer = self.writer.as_ref().map(|wr| {
            let id = id_document("writer.id_number", wr.id_type, &wr.id_number, today, &mut errs);
            let g = guardian(
                "writer",
                &wr.guardian_name,
                wr.guardian_id_type,
                &wr.guardian_id_number,
                today,
                &mut errs,
            );
            Writer {
                name: wr.name.trim().to_string(),
                id,
                guardian: g,
                attachments: wr.files.iter().map(|f| f.kind).collect(),
            }
        });

        if self.samples.is_empty() {
            errs.push(FieldError::new("samples", "required", "请上传作品样本"));
        }
        for id in self.samples.iter().chain(&self.other_files) {
            if !file_exists(id) {
                errs.push(FieldError::new(
                    "samples",
                    "missing_file",
                    "有样本或附件已不在附件库中，请重新上传",
                ));
                break;
            }
        }
        if let Err(e) = required_text("description", "作品简介及创意", &self.description, 2000) {
            errs.push(e);
        }
        if let Err(e) = required_text("creation_story", "创作经过及意图", &self.creation_story, 2000) {
            errs.push(e);
        }
        if let Err(e) = crate::applicant::parse_email("invoice_email", "电子发票接收邮箱", &self.invoice_email)
        {
            errs.push(e);
        }
        if choose("delivery", "纸质证书发放方式", self.delivery, &mut errs) == Some(Delivery::Mail) {
            for (field, label, v, max) in [
                ("recipient_name", "收件人", &self.recipient_name, 40),
                ("postal_address", "纸质证书收件地址", &self.postal_address, 200),
            ] {
                if let Err(e) = required_text(field, label, v, max) {
                    errs.push(e);
                }
            }
            if let Err(e) = crate::applicant::parse_mobile("recipient_phone", "收件手机", &self.recipient_phone) {
                errs.push(e);
            }
        }

        let filing = match (
            category,
            nature,
            completed,
            publication,
            attribution,
            acquisition,
            ownership,
        ) {
            (
                Some(category),
                Some(nature),
                Some(completed_on),
                Some(publication),
                Some(attribution),
                Some(acquisition),
                Some(ownership),
            ) => Some(Filing {
                work: WorkInfo {
                    title: w.title.trim().to_string(),
                    category,
                    nature,
                    nature_note: non_empty(&w.nature_note),
                    completed_on,
                    completed_place: w.completed_place.trim().to_string(),
                    publication,
                    first_published_on: first_published,
                    first_published_place: non_empty(&w.first_published_place),
                    attribution,
                    acquisition,
                    ownership,
                    rights: w.rights.clone(),
                    other_rights_note: non_empty(&w.other_rights_note),
                },
                owners,
                authors,
                writer,
            }),
            _ => None,
        };
        if let Some(f) = &filing {
            errs.extend(validate_filing(f, ctx));
        }
        // One message per field: the first (most precise) wins.
        let mut seen = std::collections::HashSet::new();
        errs.retain(|e| seen.insert(e.field.clone()));
        match filing {
            Some(f) if errs.is_empty() => Ok(f),
            _ => Err(errs),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
pub(crate) mod tests {
    use super::*;
    use crate::party::PartyKind::{NaturalPerson, Organisation};

    pub(crate) fn ctx() -> PartyContext {
        PartyContext {
            filing_date: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            home_province_code: "33".into(),
        }
    }

    fn file(kind: AttachmentKind) -> PartyFile {
        PartyFile {
            file_id: format!("f-{}", kind.code()),
            kind,
        }
    }

    /// A complete 法人作品 with two owners and a 执笔者.
    pub(crate) fn corporate_draft() -> FilingDraft {
        FilingDraft {
            work: WorkDraft {
                title: "西湖十景（系列摄影作品之一：断桥残雪）".into(),
                category: Some(WorkCategory::Photography),
                nature: Some(CreationNature::Original),
                completed_on: "2026/1/12".into(),
                completed_place: "浙江省杭州市".into(),
                publication: Some(PublicationStatus::Unpublished),
                attribution: Some(Attribution::Corporate),
                acquisition: Some(Acquisition::Original),
                ownership: Some(Ownership::Full),
                ..WorkDraft::default()
            },
            owners: vec![
                OwnerDraft {
                    kind: Some(Organisation),
                    name: "杭州湖光影像文化传媒有限公司".into(),
                    id_type: Some(DocumentType::Uscc),
                    id_number: "91350100M000100Y43".into(),
                    handling_person: "周明".into(),
                    region: "浙江省杭州市".into(),
                    files: vec![file(AttachmentKind::BusinessLicence)],
                    ..OwnerDraft::default()
                },
                OwnerDraft {
                    kind: Some(Organisation),
                    name: "宁波海曙文化发展有限公司".into(),
                    id_type: Some(DocumentType::Uscc),
                    id_number: uscc_with_check("91330203MA2ABCDE1"),
                    handling_person: "林娜".into(),
                    region: "浙江省宁波市".into(),
                    files: vec![file(AttachmentKind::BusinessLicence)],
                    ..OwnerDraft::default()
                },
            ],
            authors: vec![AuthorDraft {
                kind: Some(Organisation),
                name: "杭州湖光影像文化传媒有限公司".into(),
                signed_as: Some(SignedAs::RealName),
                signed_name: "".into(),
            }],
            writer: Some(WriterDraft {
                name: "陈思远".into(),
                id_type: Some(DocumentType::ResidentId),
                id_number: "11010519491231002X".into(),
                files: vec![
                    file(AttachmentKind::IdentityProof),
                    file(AttachmentKind::ResidenceProof),
                ],
                ..WriterDraft::default()
            }),
            samples: vec!["sample-1".into()],
            other_files: vec![],
            description: "以西湖断桥为主体，雪后清晨拍摄。".into(),
            creation_story: "作者连续三年冬季守候拍摄。".into(),
            delivery: Some(Delivery::Mail),
            recipient_name: "周明".into(),
            recipient_phone: "13800000000".into(),
            postal_address: "浙江省杭州市西湖区文三路 100 号".into(),
            invoice_email: "finance@huguang.example.cn".into(),
        }
    }

    /// A valid USCC from its first 17 characters.
    pub(crate) fn uscc_with_check(body: &str) -> String {
        format!("{body}{}", crate::identity::uscc_check_char(body).unwrap())
    }

    fn all_files(_: &str) -> bool {
        true
    }

    #[test]
    fn a_complete_corporate_filing_converts() {
        let d = corporate_draft();
        let f = d.to_filing(&ctx(), &all_files).unwrap();
        assert_eq!(f.owners.len(), 2);
        assert_eq!(f.work.completed_on, PartialDate::new(2026, Some(1), Some(12)).unwrap());
        assert_eq!(f.writer.as_ref().map(|w| w.name.as_str()), Some("陈思远"));
        assert_eq!(f.owners[0].kind, Organisation);
    }

    #[test]
    fn an_empty_draft_names_every_missing_choice() {
        let errs = FilingDraft::default().to_filing(&ctx(), &all_files).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        for f in [
            "work.category",
            "work.nature",
            "work.completed_on",
            "work.publication",
            "work.attribution",
            "work.acquisition",
            "work.ownership",
            "samples",
            "description",
            "creation_story",
            "invoice_email",
            "delivery",
        ] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
    }

    #[test]
    fn a_bad_id_number_is_named_precisely_once() {
        let mut d = corporate_draft();
        d.writer.as_mut().unwrap().id_number = "110105194912310021".into();
        let errs = d.to_filing(&ctx(), &all_files).unwrap_err();
        let e: Vec<&FieldError> = errs.iter().filter(|e| e.field == "writer.id_number").collect();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].code, "checksum");
    }

    #[test]
    fn corporate_works_need_a_writer_and_mail_needs_an_address() {
        let mut d = corporate_draft();
        d.writer = None;
        d.postal_address = "".into();
        let errs = d.to_filing(&ctx(), &all_files).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"writer"), "{fields:?}");
        assert!(fields.contains(&"postal_address"), "{fields:?}");
        let mut d = corporate_draft();
        d.delivery = Some(Delivery::Pickup);
        d.postal_address = "".into();
        assert!(d.to_filing(&ctx(), &all_files).is_ok());
    }

    #[test]
    fn missing_files_are_reported() {
        let d = corporate_draft();
        let errs = d.to_filing(&ctx(), &|id| id != "sample-1").unwrap_err();
        assert_eq!(errs[0].field, "samples");
        assert_eq!(errs[0].code, "missing_file");
    }

    #[test]
    fn changing_the_attribution_lists_the_parties_that_no_longer_fit() {
        let d = corporate_draft();
        // 法人作品 → 个人作品: the organisation author and the writer no longer fit.
        let unfit: Vec<(String, usize)> = d
            .parties_not_fitting(Attribution::Individual)
            .iter()
            .map(|u| (u.field(), u.index))
            .collect();
        assert_eq!(unfit, vec![("authors[0]".to_string(), 0), ("writer".to_string(), 0)]);
        assert!(d.parties_not_fitting(Attribution::Corporate).is_empty());
        // A party whose kind is not chosen yet fits anything.
        let mut d2 = FilingDraft::default();
        d2.authors.push(AuthorDraft::default());
        assert!(d2.parties_not_fitting(Attribution::Employment).is_empty());
    }

    #[test]
    fn typed_dates() {
        let ok = [
            ("2026-11-25", (2026, Some(11), Some(25))),
            ("2026/11/25", (2026, Some(11), Some(25))),
            ("20261125", (2026, Some(11), Some(25))),
            ("2026年11月25日", (2026, Some(11), Some(25))),
            ("2026-11", (2026, Some(11), None)),
            ("202611", (2026, Some(11), None)),
            ("2026年", (2026, None, None)),
            (" 2026 ", (2026, None, None)),
        ];
        for (t, (y, m, d)) in ok {
            assert_eq!(
                parse_partial_date("f", "日期", t),
                Ok(PartialDate::new(y, m, d).unwrap()),
                "{t}"
            );
        }
        for (t, code) in [
            ("", "required"),
            ("2026-13-01", "month_range"),
            ("2026-02-30", "day_range"),
            ("26-1-1", "date_format"),
            ("2026-1-1-1", "date_format"),
            ("二〇二六", "date_format"),
        ] {
            assert_eq!(
                parse_partial_date("f", "日期", t).map_err(|e| e.code),
                Err(code.to_string()),
                "{t}"
            );
        }
    }

    #[test]
    fn drafts_round_trip_through_json_even_when_partial() {
        let d = FilingDraft {
            work: WorkDraft {
                title: "半成品".into(),
                ..WorkDraft::default()
            },
            ..FilingDraft::default()
        };
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(serde_json::from_str::<FilingDraft>(&json).unwrap(), d);
        // Missing keys read as empty.
        let sparse: FilingDraft = serde_json::from_str(r#"{"work":{"title":"x"}}"#).unwrap();
        assert_eq!(sparse.work.title, "x");
        let _ = NaturalPerson;
    }
}
