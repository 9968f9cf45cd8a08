//! Parties of a filing (当事人): owners (著作权人), authors (作者) and the
//! writer (执笔者), with guardians for minors and the attachments each party
//! must bring (docs/DOMAIN.md §3, §4, §5).
//!
//! The ID document itself is parsed elsewhere; a party here carries the number
//! as entered plus the facts derived from it ([`IdFacts`]), or `None` when the
//! number did not pass its check.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{required_text, FieldError};

/// 当事人类型：自然人 / 法人或非法人组织。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    /// 自然人
    NaturalPerson,
    /// 法人或非法人组织
    Organisation,
}

impl PartyKind {
    pub fn label(self) -> &'static str {
        match self {
            PartyKind::NaturalPerson => "自然人",
            PartyKind::Organisation => "法人或非法人组织",
        }
    }
}

/// 证件派生信息：由证件号码解析得到的事实（出生日期、签发地区、是否自然人证件）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IdFacts {
    /// 出生日期（居民身份证等含出生日期的证件）
    pub birth_date: Option<NaiveDate>,
    /// 签发地区的六位行政区划代码（可判断的证件才有）
    pub region_code: Option<String>,
    /// 是否自然人证件（统一社会信用代码为 false）
    pub is_natural_person: bool,
}

/// 证件：号码原样保存，另附解析结果。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IdDocument {
    /// 证件类型的中文名称（如 居民身份证），由证件解析模块给出，仅用于显示与签章内容
    pub type_label: String,
    /// 证件号码
    pub number: String,
    /// 解析结果；`None` 表示号码未通过校验
    pub facts: Option<IdFacts>,
}

/// 附件种类（每位当事人各自提供）。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentKind {
    /// 身份证明（身份证正反面等）
    IdentityProof,
    /// 在本省工作、学习或居住的证明
    ResidenceProof,
    /// 营业执照或统一社会信用代码证书
    BusinessLicence,
    /// 监护人身份证明
    GuardianIdentity,
    /// 户口簿（未成年人与监护人关系页）
    HouseholdRegister,
}

impl AttachmentKind {
    pub const ALL: [AttachmentKind; 5] = [
        AttachmentKind::IdentityProof,
        AttachmentKind::ResidenceProof,
        AttachmentKind::BusinessLicence,
        AttachmentKind::GuardianIdentity,
        AttachmentKind::HouseholdRegister,
    ];

    pub fn label(self) -> &'static str {
        match self {
            AttachmentKind::IdentityProof => "身份证明",
            AttachmentKind::ResidenceProof => "在本省工作、学习或居住的证明",
            AttachmentKind::BusinessLicence => "营业执照或统一社会信用代码证书",
            AttachmentKind::GuardianIdentity => "监护人身份证明",
            AttachmentKind::HouseholdRegister => "户口簿",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            AttachmentKind::IdentityProof => "identity_proof",
            AttachmentKind::ResidenceProof => "residence_proof",
            AttachmentKind::BusinessLicence => "business_licence",
            AttachmentKind::GuardianIdentity => "guardian_identity",
            AttachmentKind::HouseholdRegister => "household_register",
        }
    }
}

/// 监护人（未成年当事人的父母或其他监护人）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Guardian {
    /// 监护人姓名
    pub name: String,
    /// 监护人证件
    pub id: IdDocument,
}

/// 著作权人。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Owner {
    /// 类型
    pub kind: PartyKind,
    /// 姓名或名称
    pub name: String,
    /// 证件
    pub id: IdDocument,
    /// 经办人（组织必填）
    pub handling_person: Option<String>,
    /// 所在地区（省市区）
    pub region: String,
    /// 监护人（未成年人必填）
    pub guardian: Option<Guardian>,
    /// 已提供的附件
    pub attachments: Vec<AttachmentKind>,
}

/// 作者署名方式：本名 / 别名 / 匿名。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SignedAs {
    /// 本名
    RealName,
    /// 别名（笔名、艺名等）
    Alias,
    /// 匿名
    Anonymous,
}

impl SignedAs {
    pub fn label(self) -> &'static str {
        match self {
            SignedAs::RealName => "本名",
            SignedAs::Alias => "别名",
            SignedAs::Anonymous => "匿名",
        }
    }
}

/// 作者。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Author {
    /// 类型（法人作品的作者是组织）
    pub kind: PartyKind,
    /// 姓名或名称
    pub name: String,
    /// 署名方式
    pub signed_as: SignedAs,
    /// 作品上的署名（别名时必填；本名时即姓名；匿名时不填）
    pub signed_name: Option<String>,
}

/// 执笔者（法人作品中实际执笔的自然人）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Writer {
    /// 姓名
    pub name: String,
    /// 证件
    pub id: IdDocument,
    /// 监护人（未成年人必填）
    pub guardian: Option<Guardian>,
    /// 已提供的附件
    pub attachments: Vec<AttachmentKind>,
}

/// 校验当事人时需要的外部事实。
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyContext {
    /// 填报日期（判断是否未成年）
    pub filing_date: NaiveDate,
    /// 登记机构所在省份的两位代码，如 "33"
    pub home_province_code: String,
}

pub use crate::identity::{age_on, is_minor_on, AGE_OF_MAJORITY};

/// Whether a six-digit region code lies in the two-digit province.
pub fn region_in_province(region_code: &str, province_code: &str) -> bool {
    province_code.len() == 2 && region_code.len() >= 2 && region_code.get(0..2) == Some(province_code)
}

/// ID numbers are stored exactly: surrounding white space is trimmed, inner white space refused.
pub fn check_id_number(field: &str, value: &str) -> Result<String, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(FieldError::new(field, "required", "请填写证件号码"));
    }
    if v.chars().any(char::is_whitespace) {
        return Err(FieldError::new(
            field,
            "inner_space",
            "证件号码中间不能有空格，请删除空格后重新输入",
        ));
    }
    Ok(v.to_string())
}

fn check_id(prefix: &str, id: &IdDocument, expect_person: bool, errs: &mut Vec<FieldError>) {
    let field = format!("{prefix}.id_number");
    if let Err(e) = check_id_number(&field, &id.number) {
        errs.push(e);
        return;
    }
    match &id.facts {
        None => errs.push(FieldError::new(
            &field,
            "id_invalid",
            "证件号码未通过校验，请核对证件类型和号码",
        )),
        Some(f) if f.is_natural_person != expect_person => errs.push(FieldError::new(
            &field,
            "id_kind_mismatch",
            if expect_person {
                "自然人应填写个人证件（如居民身份证），请更换证件类型"
            } else {
                "组织应填写统一社会信用代码等组织证件，请更换证件类型"
            },
        )),
        Some(_) => {}
    }
}

fn is_minor(id: &IdDocument, on: NaiveDate) -> bool {
    id.facts
        .as_ref()
        .and_then(|f| f.birth_date)
        .is_some_and(|b| is_minor_on(b, on))
}

fn check_guardian(
    prefix: &str,
    person_id: &IdDocument,
    guardian: Option<&Guardian>,
    ctx: &PartyContext,
    errs: &mut Vec<FieldError>,
) {
    if !is_minor(person_id, ctx.filing_date) {
        return;
    }
    let Some(g) = guardian else {
        errs.push(FieldError::new(
            format!("{prefix}.guardian"),
            "guardian_required",
            "该当事人未满 18 周岁，请填写监护人姓名和证件",
        ));
        return;
    };
    let gp = format!("{prefix}.guardian");
    if let Err(e) = required_text(&format!("{gp}.name"), "监护人姓名", &g.name, 40) {
        errs.push(e);
    }
    check_id(&gp, &g.id, true, errs);
    if is_minor(&g.id, ctx.filing_date) {
        errs.push(FieldError::new(
            format!("{gp}.id_number"),
            "guardian_minor",
            "监护人应已满 18 周岁，请核对监护人证件",
        ));
    }
}

/// The attachments an owner must bring: identity proof always; an organisation its licence; a
/// person whose ID was issued outside the office's province residence proof; a minor the
/// guardian's ID and the household register.
pub fn required_owner_attachments(owner: &Owner, ctx: &PartyContext) -> Vec<AttachmentKind> {
    let mut need = Vec::new();
    match owner.kind {
        PartyKind::Organisation => need.push(AttachmentKind::BusinessLicence),
        PartyKind::NaturalPerson => {
            need.push(AttachmentKind::IdentityProof);
            let outside = owner
                .id
                .facts
                .as_ref()
                .and_then(|f| f.region_code.as_deref())
                .is_some_and(|r| !region_in_province(r, &ctx.home_province_code));
            if outside {
                need.push(AttachmentKind::ResidenceProof);
            }
            if is_minor(&owner.id, ctx.filing_date) {
                need.push(AttachmentKind::GuardianIdentity);
                need.push(AttachmentKind::HouseholdRegister);
            }
        }
    }
    need
}

/// The attachments a writer must bring: identity proof; a minor also the guardian's and the register.
pub fn required_writer_attachments(writer: &Writer, ctx: &PartyContext) -> Vec<AttachmentKind> {
    let mut need = vec![AttachmentKind::IdentityProof];
    if is_minor(&writer.id, ctx.filing_date) {
        need.push(AttachmentKind::GuardianIdentity);
        need.push(AttachmentKind::HouseholdRegister);
    }
    need
}

fn check_attachments(prefix: &str, need: &[AttachmentKind], have: &[AttachmentKind], errs: &mut Vec<FieldError>) {
    for k in need {
        if !have.contains(k) {
            errs.push(FieldError::new(
                format!("{prefix}.attachments"),
                format!("missing_{}", k.code()),
                format!("请上传{}", k.label()),
            ));
        }
    }
}

/// Checks one owner (`prefix` like `owners[1]`), pushing every problem.
pub fn validate_owner(prefix: &str, owner: &Owner, ctx: &PartyContext, errs: &mut Vec<FieldError>) {
    let name_label = match owner.kind {
        PartyKind::NaturalPerson => "著作权人姓名",
        PartyKind::Organisation => "著作权人名称",
    };
    if let Err(e) = required_text(&format!("{prefix}.name"), name_label, &owner.name, 100) {
        errs.push(e);
    }
    check_id(prefix, &owner.id, owner.kind == PartyKind::NaturalPerson, errs);
    if owner.kind == PartyKind::Organisation {
        let hp = owner.handling_person.as_deref().unwrap_or("");
        if let Err(e) = required_text(&format!("{prefix}.handling_person"), "经办人", hp, 40) {
            errs.push(e);
        }
    }
    if let Err(e) = required_text(&format!("{prefix}.region"), "所在地区", &owner.region, 100) {
        errs.push(e);
    }
    if owner.kind == PartyKind::NaturalPerson {
        check_guardian(prefix, &owner.id, owner.guardian.as_ref(), ctx, errs);
    }
    check_attachments(
        prefix,
        &required_owner_attachments(owner, ctx),
        &owner.attachments,
        errs,
    );
}

/// Checks one author (`prefix` like `authors[0]`).
pub fn validate_author(prefix: &str, author: &Author, errs: &mut Vec<FieldError>) {
    if let Err(e) = required_text(&format!("{prefix}.name"), "作者姓名或名称", &author.name, 100) {
        errs.push(e);
    }
    if author.signed_as == SignedAs::Alias {
        let sn = author.signed_name.as_deref().unwrap_or("");
        if let Err(e) = required_text(&format!("{prefix}.signed_name"), "作者署名（别名）", sn, 100) {
            errs.push(e);
        }
    }
}

/// Checks the writer (`prefix` is `writer`).
pub fn validate_writer(prefix: &str, writer: &Writer, ctx: &PartyContext, errs: &mut Vec<FieldError>) {
    if let Err(e) = required_text(&format!("{prefix}.name"), "执笔者姓名", &writer.name, 40) {
        errs.push(e);
    }
    check_id(prefix, &writer.id, true, errs);
    check_guardian(prefix, &writer.id, writer.guardian.as_ref(), ctx, errs);
    check_attachments(
        prefix,
        &required_writer_attachments(writer, ctx),
        &writer.attachments,
        errs,
    );
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    pub(crate) fn person_id(number: &str, birth: NaiveDate, region: &str) -> IdDocument {
        IdDocument {
            type_label: "居民身份证".into(),
            number: number.into(),
            facts: Some(IdFacts {
                birth_date: Some(birth),
                region_code: Some(region.into()),
                is_natural_person: true,
            }),
        }
    }

    pub(crate) fn org_id(number: &str) -> IdDocument {
        IdDocument {
            type_label: "统一社会信用代码".into(),
            number: number.into(),
            facts: Some(IdFacts {
                birth_date: None,
                region_code: Some("330106".into()),
                is_natural_person: false,
            }),
        }
    }

    pub(crate) fn person(name: &str) -> Owner {
        Owner {
            kind: PartyKind::NaturalPerson,
            name: name.into(),
            id: person_id("330106199001011234", d(1990, 1, 1), "330106"),
            handling_person: None,
            region: "浙江省杭州市西湖区".into(),
            guardian: None,
            attachments: vec![AttachmentKind::IdentityProof],
        }
    }

    pub(crate) fn org(name: &str) -> Owner {
        Owner {
            kind: PartyKind::Organisation,
            name: name.into(),
            id: org_id("91330106MA2XXXXX0X"),
            handling_person: Some("王丽".into()),
            region: "浙江省杭州市西湖区".into(),
            guardian: None,
            attachments: vec![AttachmentKind::BusinessLicence],
        }
    }

    fn ctx() -> PartyContext {
        PartyContext {
            filing_date: d(2026, 3, 10),
            home_province_code: "33".into(),
        }
    }

    fn codes(o: &Owner) -> Vec<(String, String)> {
        let mut errs = Vec::new();
        validate_owner("owners[0]", o, &ctx(), &mut errs);
        errs.into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn ages() {
        let cases = [
            (d(2008, 3, 10), d(2026, 3, 10), 18),
            (d(2008, 3, 11), d(2026, 3, 10), 17),
            (d(2008, 2, 29), d(2026, 2, 28), 17),
            (d(2008, 2, 29), d(2026, 3, 1), 18),
            (d(2030, 1, 1), d(2026, 3, 10), 0),
        ];
        for (b, on, age) in cases {
            assert_eq!(age_on(b, on), age, "{b} {on}");
            assert_eq!(is_minor_on(b, on), age < 18);
        }
    }

    #[test]
    fn id_numbers_are_exact() {
        assert_eq!(
            check_id_number("f", " 330106199001011234\t").unwrap(),
            "330106199001011234"
        );
        assert_eq!(
            check_id_number("f", "330106 199001011234").unwrap_err().code,
            "inner_space"
        );
        assert_eq!(check_id_number("f", "  ").unwrap_err().code, "required");
    }

    #[test]
    fn owner_rules() {
        let ok = person("张三");
        assert!(codes(&ok).is_empty(), "{:?}", codes(&ok));
        assert!(codes(&org("某某文化有限公司")).is_empty());

        let mut minor = person("小明");
        minor.id = person_id("330106201001011234", d(2010, 1, 1), "330106");
        let mut with_guardian = minor.clone();
        with_guardian.guardian = Some(Guardian {
            name: "张大明".into(),
            id: person_id("330106198001011234", d(1980, 1, 1), "330106"),
        });
        with_guardian
            .attachments
            .extend([AttachmentKind::GuardianIdentity, AttachmentKind::HouseholdRegister]);
        let mut minor_guardian = with_guardian.clone();
        if let Some(g) = minor_guardian.guardian.as_mut() {
            g.id = person_id("330106200901011234", d(2009, 1, 1), "330106");
        }
        let mut bad_guardian_id = with_guardian.clone();
        if let Some(g) = bad_guardian_id.guardian.as_mut() {
            g.id.facts = None;
        }
        let mut outsider = person("李四");
        outsider.id = person_id("110101199001011234", d(1990, 1, 1), "110101");
        let mut outsider_ok = outsider.clone();
        outsider_ok.attachments.push(AttachmentKind::ResidenceProof);
        let mut spaced = person("王五");
        spaced.id.number = "330106 199001011234".into();
        let mut org_with_person_id = org("某某公司");
        org_with_person_id.id = person_id("330106199001011234", d(1990, 1, 1), "330106");
        let mut org_no_licence = org("某某公司");
        org_no_licence.attachments.clear();
        org_no_licence.handling_person = Some(" ".into());
        let mut invalid = person("赵六");
        invalid.id.facts = None;

        let f = |s: &str, c: &str| (s.to_string(), c.to_string());
        type Row = (&'static str, Owner, Vec<(String, String)>);
        let table: Vec<Row> = vec![
            (
                "minor without guardian",
                minor.clone(),
                vec![
                    f("owners[0].guardian", "guardian_required"),
                    f("owners[0].attachments", "missing_guardian_identity"),
                    f("owners[0].attachments", "missing_household_register"),
                ],
            ),
            ("minor with guardian", with_guardian, vec![]),
            (
                "guardian is a minor",
                minor_guardian,
                vec![f("owners[0].guardian.id_number", "guardian_minor")],
            ),
            (
                "guardian id invalid",
                bad_guardian_id,
                vec![f("owners[0].guardian.id_number", "id_invalid")],
            ),
            (
                "outside the province",
                outsider,
                vec![f("owners[0].attachments", "missing_residence_proof")],
            ),
            ("outside with proof", outsider_ok, vec![]),
            ("inner space", spaced, vec![f("owners[0].id_number", "inner_space")]),
            (
                "organisation with a person's id",
                org_with_person_id,
                vec![f("owners[0].id_number", "id_kind_mismatch")],
            ),
            (
                "organisation without licence or handler",
                org_no_licence,
                vec![
                    f("owners[0].handling_person", "required"),
                    f("owners[0].attachments", "missing_business_licence"),
                ],
            ),
            ("invalid id", invalid, vec![f("owners[0].id_number", "id_invalid")]),
        ];
        for (what, o, want) in table {
            assert_eq!(codes(&o), want, "{what}");
        }
    }

    #[test]
    fn authors_and_writers() {
        let mut errs = Vec::new();
        let a = Author {
            kind: PartyKind::NaturalPerson,
            name: "张三".into(),
            signed_as: SignedAs::Alias,
            signed_name: None,
        };
        validate_author("authors[1]", &a, &mut errs);
        assert_eq!(errs.len(), 1);
        assert_eq!(
            (errs[0].field.as_str(), errs[0].code.as_str()),
            ("authors[1].signed_name", "required")
        );

        let mut errs = Vec::new();
        let w = Writer {
            name: "".into(),
            id: org_id("91330106MA2XXXXX0X"),
            guardian: None,
            attachments: vec![],
        };
        validate_writer("writer", &w, &ctx(), &mut errs);
        let got: Vec<_> = errs.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(
            got,
            vec![
                ("writer.name", "required"),
                ("writer.id_number", "id_kind_mismatch"),
                ("writer.attachments", "missing_identity_proof"),
            ]
        );
    }
}
