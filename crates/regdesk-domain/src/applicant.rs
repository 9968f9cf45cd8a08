//! Applicant profiles (用户信息) and what an identity document means for a
//! filing (the ID check panel beside every ID input).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{required_text, FieldError};
use crate::identity::{check, DocumentType, IdentityDocument};

/// 用户类别。Fixed once chosen; only staff may change it to agency or lawyer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ApplicantCategory {
    /// 个人
    Individual,
    /// 法人或非法人组织
    Organisation,
    /// 代理公司
    Agency,
    /// 代理律师
    Lawyer,
}

impl ApplicantCategory {
    pub const ALL: [ApplicantCategory; 4] = [
        ApplicantCategory::Individual,
        ApplicantCategory::Organisation,
        ApplicantCategory::Agency,
        ApplicantCategory::Lawyer,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ApplicantCategory::Individual => "个人",
            ApplicantCategory::Organisation => "法人或非法人组织",
            ApplicantCategory::Agency => "代理公司",
            ApplicantCategory::Lawyer => "代理律师",
        }
    }

    /// Is the applicant a natural person (by category)?
    pub fn is_natural_person(self) -> bool {
        matches!(self, ApplicantCategory::Individual | ApplicantCategory::Lawyer)
    }

    /// The identity documents this category may use.
    pub fn allowed_documents(self) -> &'static [DocumentType] {
        match self {
            ApplicantCategory::Individual | ApplicantCategory::Lawyer => &[
                DocumentType::ResidentId,
                DocumentType::HkMacaoPermit,
                DocumentType::TaiwanPermit,
                DocumentType::ResidencePermit,
                DocumentType::ForeignPermanentId,
                DocumentType::Passport,
                DocumentType::Other,
            ],
            ApplicantCategory::Organisation | ApplicantCategory::Agency => &[DocumentType::Uscc, DocumentType::Other],
        }
    }
}

/// 用户信息（填写中，未校验）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ApplicantInput {
    pub category: ApplicantCategory,
    /// 姓名或名称
    pub name: String,
    pub id_type: DocumentType,
    pub id_number: String,
    /// 笔名（可选）
    pub pen_name: String,
    /// 经办人
    pub handler_name: String,
    /// 经办人联系手机
    pub handler_mobile: String,
    /// 所属地区（可选）
    pub region: String,
    /// 电子发票接收邮箱
    pub invoice_email: String,
    /// 纸质证书收件人
    pub recipient_name: String,
    /// 收件手机
    pub recipient_phone: String,
    /// 纸质证书收件地址
    pub postal_address: String,
}

/// 用户信息（已校验、已规范化）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicant {
    pub category: ApplicantCategory,
    pub name: String,
    pub id_type: DocumentType,
    /// Exactly as it must be stored: trimmed, upper-cased check character.
    pub id_number: String,
    pub pen_name: Option<String>,
    pub handler_name: String,
    pub handler_mobile: String,
    pub region: Option<String>,
    pub invoice_email: String,
    pub recipient_name: String,
    pub recipient_phone: String,
    pub postal_address: String,
}

fn optional(field: &str, label: &str, v: &str, max: usize) -> Result<Option<String>, FieldError> {
    if v.trim().is_empty() {
        Ok(None)
    } else {
        required_text(field, label, v, max).map(Some)
    }
}

/// 手机号：11 位，1 开头。
pub fn parse_mobile(field: &str, label: &str, v: &str) -> Result<String, FieldError> {
    let s: String = v.trim().chars().filter(|c| *c != '-').collect();
    if s.is_empty() {
        return Err(FieldError::new(field, "required", format!("请填写{label}")));
    }
    let s = s.strip_prefix("+86").unwrap_or(&s).to_string();
    if s.chars().count() != 11 || !s.starts_with('1') || !s.chars().all(|c| c.is_ascii_digit()) {
        return Err(FieldError::new(
            field,
            "format",
            format!("{label}应为 11 位手机号码（1 开头），请核对"),
        ));
    }
    Ok(s)
}

/// 邮箱：形如 name@example.cn。
pub fn parse_email(field: &str, label: &str, v: &str) -> Result<String, FieldError> {
    let s = v.trim();
    if s.is_empty() {
        return Err(FieldError::new(field, "required", format!("请填写{label}")));
    }
    let ok = s.len() <= 120
        && !s.chars().any(char::is_whitespace)
        && s.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty()
                && host.contains('.')
                && !host.starts_with('.')
                && !host.ends_with('.')
                && !host.contains('@')
        });
    if !ok {
        return Err(FieldError::new(
            field,
            "format",
            format!("{label}格式不对，应形如 name@example.cn"),
        ));
    }
    Ok(s.to_string())
}

impl ApplicantInput {
    /// Validates every field (all problems at once); the ID number through its document's parser.
    pub fn validate(&self, today: NaiveDate) -> Result<(Applicant, IdentityDocument), Vec<FieldError>> {
        let mut errs = Vec::new();
        let mut take = |r: Result<String, FieldError>| r.map_err(|e| errs.push(e)).ok();
        let name = take(required_text("name", "姓名或名称", &self.name, 100));
        let handler_name = take(required_text("handler_name", "经办人", &self.handler_name, 40));
        let handler_mobile = take(parse_mobile("handler_mobile", "经办人联系手机", &self.handler_mobile));
        let invoice_email = take(parse_email("invoice_email", "电子发票接收邮箱", &self.invoice_email));
        let recipient_name = take(required_text("recipient_name", "收件人", &self.recipient_name, 40));
        let recipient_phone = take(parse_mobile("recipient_phone", "收件手机", &self.recipient_phone));
        let postal_address = take(required_text(
            "postal_address",
            "纸质证书收件地址",
            &self.postal_address,
            200,
        ));
        let pen_name = optional("pen_name", "笔名", &self.pen_name, 40)
            .map_err(|e| errs.push(e))
            .ok();
        let region = optional("region", "所属地区", &self.region, 60)
            .map_err(|e| errs.push(e))
            .ok();
        let doc = if !self.category.allowed_documents().contains(&self.id_type) {
            errs.push(FieldError::new(
                "id_type",
                "not_allowed",
                format!(
                    "{}不能使用“{}”，请改选证件类型",
                    self.category.label(),
                    self.id_type.label()
                ),
            ));
            None
        } else {
            check(self.id_type, &self.id_number, today)
                .map_err(|e| errs.push(e.to_field_error("id_number")))
                .ok()
        };
        match (
            name,
            handler_name,
            handler_mobile,
            invoice_email,
            recipient_name,
            recipient_phone,
            postal_address,
            pen_name,
            region,
            doc,
        ) {
            (
                Some(name),
                Some(handler_name),
                Some(handler_mobile),
                Some(invoice_email),
                Some(recipient_name),
                Some(recipient_phone),
                Some(postal_address),
                Some(pen_name),
                Some(region),
                Some(doc),
            ) if errs.is_empty() => Ok((
                Applicant {
                    category: self.category,
                    name,
                    id_type: self.id_type,
                    id_number: doc.number.clone(),
                    pen_name,
                    handler_name,
                    handler_mobile,
                    region,
                    invoice_email,
                    recipient_name,
                    recipient_phone,
                    postal_address,
                },
                doc,
            )),
            _ => Err(errs),
        }
    }
}

/// May staff change an applicant's category? Only to agency or lawyer, with a reason.
pub fn check_category_change(
    from: ApplicantCategory,
    to: ApplicantCategory,
    reason: &str,
) -> Result<String, FieldError> {
    if from == to {
        return Err(FieldError::new("category", "unchanged", "用户类别没有变化"));
    }
    if !matches!(to, ApplicantCategory::Agency | ApplicantCategory::Lawyer) {
        return Err(FieldError::new(
            "category",
            "not_allowed",
            "用户类别选定后不可修改，只能在核实代理资质后改为代理公司或代理律师",
        ));
    }
    if from.is_natural_person() != to.is_natural_person() {
        return Err(FieldError::new(
            "category",
            "kind_mismatch",
            format!(
                "{}不能改为{}：个人只能改为代理律师，单位只能改为代理公司",
                from.label(),
                to.label()
            ),
        ));
    }
    required_text("reason", "修改原因（核实的代理资质）", reason, 200)
}

/// 列表中的证件号打码：330106********1234 (the first 6 and last 4 characters stay).
pub fn mask_id_number(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    let n = chars.len();
    if n <= 4 {
        return "*".repeat(n);
    }
    let keep_head = if n >= 14 { 6 } else { (n - 4) / 2 };
    let head: String = chars[..keep_head].iter().collect();
    let tail: String = chars[n - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(n - keep_head - 4))
}

/// 证件核验提示：what follows from an identity document for a filing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum IdConsequence {
    /// 未成年：需监护人及其证件
    GuardianRequired,
    /// 省外：需在本省工作、学习或居住的证明
    ResidenceProofRequired,
    /// 单位：需营业执照或统一社会信用代码证书
    LicenceRequired,
    /// 证件正反面扫描件
    IdScanRequired,
}

impl IdConsequence {
    pub fn message(self, province_name: &str) -> String {
        match self {
            IdConsequence::GuardianRequired => "未满 18 周岁：需填写监护人并上传监护人身份证及户口簿页".into(),
            IdConsequence::ResidenceProofRequired => {
                format!("证件地区不在{province_name}：需上传近期在{province_name}工作、学习或居住的证明")
            }
            IdConsequence::LicenceRequired => "单位：需上传营业执照或统一社会信用代码证书".into(),
            IdConsequence::IdScanRequired => "需上传身份证件正反面扫描件".into(),
        }
    }
}

/// 身份证明文件的种类（用户信息所附扫描件）。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProofKind {
    /// 证件正面
    IdFront,
    /// 证件反面
    IdBack,
    /// 营业执照或统一社会信用代码证书
    Licence,
    /// 户口簿页
    HouseholdRegister,
    /// 监护人证件
    GuardianId,
    /// 在本省工作、学习或居住的证明
    ResidenceProof,
    /// 授权委托书
    PowerOfAttorney,
    /// 其他证明
    Other,
}

impl ProofKind {
    pub const ALL: [ProofKind; 8] = [
        ProofKind::IdFront,
        ProofKind::IdBack,
        ProofKind::Licence,
        ProofKind::HouseholdRegister,
        ProofKind::GuardianId,
        ProofKind::ResidenceProof,
        ProofKind::PowerOfAttorney,
        ProofKind::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ProofKind::IdFront => "证件正面",
            ProofKind::IdBack => "证件反面",
            ProofKind::Licence => "营业执照或信用代码证书",
            ProofKind::HouseholdRegister => "户口簿页",
            ProofKind::GuardianId => "监护人证件",
            ProofKind::ResidenceProof => "居住、工作或学习证明",
            ProofKind::PowerOfAttorney => "授权委托书",
            ProofKind::Other => "其他证明",
        }
    }
}

/// An identity proof is a scan: an image or a PDF (`mime` as the attachment store recorded it).
pub fn check_proof_file(mime: &str, file_name: &str) -> Result<(), FieldError> {
    if mime.starts_with("image/") || mime == "application/pdf" {
        return Ok(());
    }
    Err(FieldError::new(
        "file_id",
        "not_a_scan",
        format!("身份证明文件须为图片或 PDF 扫描件，“{file_name}”的类型是 {mime}，请重新扫描后上传"),
    ))
}

/// What the desk must ask for, given a checked document, the filing date and the office's province.
pub fn id_consequences(doc: &IdentityDocument, on: NaiveDate, province_code: &str) -> Vec<IdConsequence> {
    let mut out = Vec::new();
    if doc.organisation.is_some() || doc.doc_type == DocumentType::Uscc {
        out.push(IdConsequence::LicenceRequired);
        return out;
    }
    out.push(IdConsequence::IdScanRequired);
    if doc.is_minor_on(on) == Some(true) {
        out.push(IdConsequence::GuardianRequired);
    }
    // A mainland ID card from another province, or any document of a person from outside the mainland.
    let outside = match doc.doc_type {
        DocumentType::ResidentId => doc.is_in_province(province_code) == Some(false),
        DocumentType::Other => false,
        _ => true,
    };
    if outside {
        out.push(IdConsequence::ResidenceProofRequired);
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn proofs_are_images_or_pdfs() {
        assert!(check_proof_file("image/jpeg", "正面.jpg").is_ok());
        assert!(check_proof_file("image/png", "反面.png").is_ok());
        assert!(check_proof_file("application/pdf", "执照.pdf").is_ok());
        let e = check_proof_file("video/mp4", "录像.mp4").unwrap_err();
        assert_eq!((e.field.as_str(), e.code.as_str()), ("file_id", "not_a_scan"));
        assert!(e.message.contains("录像.mp4"), "{}", e.message);
        let labels: std::collections::HashSet<_> = ProofKind::ALL.iter().map(|k| k.label()).collect();
        assert_eq!(labels.len(), ProofKind::ALL.len());
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    fn person() -> ApplicantInput {
        ApplicantInput {
            category: ApplicantCategory::Individual,
            name: " 王小明 ".into(),
            id_type: DocumentType::ResidentId,
            id_number: " 11010519491231002x ".into(),
            pen_name: "".into(),
            handler_name: "王小明".into(),
            handler_mobile: "138-0571-1234".into(),
            region: "杭州市西湖区".into(),
            invoice_email: "wang@example.cn".into(),
            recipient_name: "王小明".into(),
            recipient_phone: "13805711234".into(),
            postal_address: "浙江省杭州市西湖区文三路 1 号".into(),
        }
    }

    #[test]
    fn a_good_profile_is_normalised() {
        let (a, doc) = person().validate(today()).unwrap();
        assert_eq!(a.name, "王小明");
        assert_eq!(a.id_number, "11010519491231002X");
        assert_eq!(a.handler_mobile, "13805711234");
        assert_eq!(a.pen_name, None);
        assert_eq!(doc.doc_type, DocumentType::ResidentId);
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let mut i = person();
        i.name = "".into();
        i.id_number = "11010519491231002".into();
        i.handler_mobile = "0571-8888".into();
        i.invoice_email = "wang@".into();
        i.postal_address = " ".into();
        let errs = i.validate(today()).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec!["name", "handler_mobile", "invoice_email", "postal_address", "id_number"]
        );
        assert!(errs[4].message.contains("18 位"), "{}", errs[4].message);
    }

    #[test]
    fn inner_spaces_in_id_numbers_are_refused() {
        let mut i = person();
        i.id_number = "110105 19491231002X".into();
        let errs = i.validate(today()).unwrap_err();
        assert_eq!(errs[0].field, "id_number");
        assert_eq!(errs[0].code, "inner_space");
    }

    #[test]
    fn categories_and_document_types_must_fit() {
        let table = [
            (ApplicantCategory::Individual, DocumentType::Uscc, false),
            (ApplicantCategory::Organisation, DocumentType::ResidentId, false),
            (ApplicantCategory::Organisation, DocumentType::Uscc, true),
            (ApplicantCategory::Agency, DocumentType::Uscc, true),
            (ApplicantCategory::Lawyer, DocumentType::ResidentId, true),
            (ApplicantCategory::Lawyer, DocumentType::Passport, true),
        ];
        for (cat, doc, ok) in table {
            assert_eq!(cat.allowed_documents().contains(&doc), ok, "{cat:?} {doc:?}");
        }
        let mut i = person();
        i.id_type = DocumentType::Uscc;
        let errs = i.validate(today()).unwrap_err();
        assert_eq!(
            (errs[0].field.as_str(), errs[0].code.as_str()),
            ("id_type", "not_allowed")
        );
    }

    #[test]
    fn category_changes() {
        use ApplicantCategory::*;
        let table = [
            (Individual, Lawyer, "律师执业证 12345", Ok(())),
            (Organisation, Agency, "版权代理资质证明", Ok(())),
            (Individual, Agency, "x", Err("kind_mismatch")),
            (Organisation, Individual, "x", Err("not_allowed")),
            (Lawyer, Individual, "x", Err("not_allowed")),
            (Individual, Individual, "x", Err("unchanged")),
            (Individual, Lawyer, " ", Err("required")),
        ];
        for (from, to, reason, want) in table {
            let got = check_category_change(from, to, reason).map(|_| ()).map_err(|e| e.code);
            assert_eq!(got, want.map_err(String::from), "{from:?} → {to:?}");
        }
    }

    #[test]
    fn what_follows_from_a_document() {
        let on = today();
        let doc = |t, n: &str| check(t, n, on).unwrap();
        // Beijing ID, adult, filed in Zhejiang: scans and residence proof.
        assert_eq!(
            id_consequences(&doc(DocumentType::ResidentId, "11010519491231002X"), on, "33"),
            vec![IdConsequence::IdScanRequired, IdConsequence::ResidenceProofRequired]
        );
        // The same person filing in Beijing: scans only.
        assert_eq!(
            id_consequences(&doc(DocumentType::ResidentId, "11010519491231002X"), on, "11"),
            vec![IdConsequence::IdScanRequired]
        );
        // A Zhejiang child born 2015: a guardian.
        let child = format!(
            "33010620150101001{}",
            crate::identity::gb11643_check_char("33010620150101001").unwrap()
        );
        assert_eq!(
            id_consequences(&doc(DocumentType::ResidentId, &child), on, "33"),
            vec![IdConsequence::IdScanRequired, IdConsequence::GuardianRequired]
        );
        // An organisation: its licence.
        assert_eq!(
            id_consequences(&doc(DocumentType::Uscc, "91350100M000100Y43"), on, "33"),
            vec![IdConsequence::LicenceRequired]
        );
        assert!(IdConsequence::ResidenceProofRequired
            .message("浙江省")
            .contains("在浙江省工作"));
    }

    #[test]
    fn masks() {
        assert_eq!(mask_id_number("330106199001011234"), "330106********1234");
        assert_eq!(mask_id_number("H12345678"), "H1***5678");
        assert_eq!(mask_id_number("1234"), "****");
        assert_eq!(mask_id_number("91350100M000100Y43"), "913501********0Y43");
    }

    #[test]
    fn mobiles_and_emails() {
        assert_eq!(
            parse_mobile("m", "手机", "+86 138 0571 1234").map_err(|e| e.code),
            Err("format".into())
        );
        assert_eq!(parse_mobile("m", "手机", "+8613805711234").unwrap(), "13805711234");
        assert_eq!(
            parse_mobile("m", "手机", "").map_err(|e| e.code),
            Err("required".into())
        );
        for bad in ["a@b", "@b.cn", "a b@c.cn", "a@.cn", "a@b.cn."] {
            assert!(parse_email("e", "邮箱", bad).is_err(), "{bad}");
        }
        assert!(parse_email("e", "邮箱", "li.wen@zj-banquan.org.cn").is_ok());
    }
}
