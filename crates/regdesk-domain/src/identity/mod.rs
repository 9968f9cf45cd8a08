//! 证件 (identity documents, docs/DOMAIN.md §10): one parser per document type, a type guesser,
//! and the facts the desk wants at a glance (age, sex, region of issue).
//!
//! Every parser trims surrounding white space, refuses inner white space (`inner_space`) and
//! reads lowercase letters as uppercase where the number's alphabet is uppercase. Refusals are
//! [`IdError`]s (stable code + Chinese message); a stale table never refuses a real person: a
//! region code missing from the GB/T 2260 table is an [`IdWarning`] inside the `Ok` value.

mod error;
mod gb11643;
mod permits;
pub mod region;
mod uscc;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use error::{IdError, IdWarning};
pub use gb11643::{gb11643_check_char, parse_residence_permit, parse_resident_id, PersonalIdNumber};
pub use permits::{
    parse_foreign_permanent_id, parse_hk_macao_permit, parse_other, parse_passport, parse_taiwan_permit,
    ForeignPermanentId, HkMacao, HkMacaoPermit,
};
pub use region::{is_in_province, Region};
pub use uscc::{parse_uscc, uscc_check_char, Uscc, USCC_ALPHABET};

/// 证件类型。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DocumentType {
    /// 居民身份证
    ResidentId,
    /// 统一社会信用代码
    Uscc,
    /// 港澳居民来往内地通行证
    HkMacaoPermit,
    /// 台湾居民来往大陆通行证
    TaiwanPermit,
    /// 港澳台居民居住证
    ResidencePermit,
    /// 外国人永久居留身份证
    ForeignPermanentId,
    /// 护照
    Passport,
    /// 其他证件
    Other,
}

impl DocumentType {
    /// Every type, in the order the form lists them.
    pub const ALL: [DocumentType; 8] = [
        DocumentType::ResidentId,
        DocumentType::Uscc,
        DocumentType::HkMacaoPermit,
        DocumentType::TaiwanPermit,
        DocumentType::ResidencePermit,
        DocumentType::ForeignPermanentId,
        DocumentType::Passport,
        DocumentType::Other,
    ];

    /// Stable code (`resident-id`, `uscc`, ...), as used on the command line.
    pub fn code(self) -> &'static str {
        match self {
            DocumentType::ResidentId => "resident-id",
            DocumentType::Uscc => "uscc",
            DocumentType::HkMacaoPermit => "hk-macao-permit",
            DocumentType::TaiwanPermit => "taiwan-permit",
            DocumentType::ResidencePermit => "residence-permit",
            DocumentType::ForeignPermanentId => "foreign-permanent-id",
            DocumentType::Passport => "passport",
            DocumentType::Other => "other",
        }
    }

    /// Reads a stable code; the snake_case spelling of the transport (`resident_id`) is accepted too.
    pub fn from_code(code: &str) -> Option<DocumentType> {
        let c = code.trim().to_ascii_lowercase().replace('_', "-");
        DocumentType::ALL.into_iter().find(|t| t.code() == c)
    }

    /// Chinese label (居民身份证 ...).
    pub fn label(self) -> &'static str {
        match self {
            DocumentType::ResidentId => "居民身份证",
            DocumentType::Uscc => "统一社会信用代码",
            DocumentType::HkMacaoPermit => "港澳居民来往内地通行证",
            DocumentType::TaiwanPermit => "台湾居民来往大陆通行证",
            DocumentType::ResidencePermit => "港澳台居民居住证",
            DocumentType::ForeignPermanentId => "外国人永久居留身份证",
            DocumentType::Passport => "护照",
            DocumentType::Other => "其他证件",
        }
    }

    /// How messages name the number ("身份证号第 18 位 ...").
    pub fn number_label(self) -> &'static str {
        match self {
            DocumentType::ResidentId => "身份证号",
            DocumentType::Uscc => "统一社会信用代码",
            DocumentType::HkMacaoPermit => "港澳居民来往内地通行证号",
            DocumentType::TaiwanPermit => "台湾居民来往大陆通行证号",
            DocumentType::ResidencePermit => "港澳台居民居住证号",
            DocumentType::ForeignPermanentId => "外国人永久居留身份证号",
            DocumentType::Passport => "护照号",
            DocumentType::Other => "证件号码",
        }
    }
}

/// 性别（由证件号码第 17 位的奇偶得出：奇数为男）。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// 男
    Male,
    /// 女
    Female,
}

impl Sex {
    /// `M` or `F`.
    pub fn letter(self) -> char {
        match self {
            Sex::Male => 'M',
            Sex::Female => 'F',
        }
    }
    /// 男 or 女.
    pub fn label(self) -> &'static str {
        match self {
            Sex::Male => "男",
            Sex::Female => "女",
        }
    }
}

/// Age in whole years on `on` (周岁). A 29 February birthday counts from 1 March in common years.
/// Zero when `on` is before the birth date.
pub fn age_on(birth_date: NaiveDate, on: NaiveDate) -> u32 {
    if on <= birth_date {
        return 0;
    }
    let mut years = on.year() - birth_date.year();
    if (on.month(), on.day()) < (birth_date.month(), birth_date.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

/// Age of majority (成年): 18 full years.
pub const AGE_OF_MAJORITY: u32 = 18;

/// Whether a person born on `birth_date` is a minor (未成年人, under 18) on `on`: they need a guardian.
pub fn is_minor_on(birth_date: NaiveDate, on: NaiveDate) -> bool {
    age_on(birth_date, on) < AGE_OF_MAJORITY
}

/// Trims surrounding white space and refuses inner white space; optionally upper-cases ASCII letters.
pub(crate) fn normalize(doc: DocumentType, input: &str, uppercase: bool) -> Result<String, IdError> {
    let v = input.trim();
    if v.is_empty() {
        return Err(IdError::Empty { doc });
    }
    if let Some((i, _)) = v.chars().enumerate().find(|(_, c)| c.is_whitespace()) {
        return Err(IdError::InnerSpace { doc, position: i + 1 });
    }
    Ok(if uppercase {
        v.to_ascii_uppercase()
    } else {
        v.to_string()
    })
}

/// Facts about a person read from the number (出生日期、性别、签发地).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PersonFacts {
    pub birth_date: NaiveDate,
    pub sex: Sex,
    /// 签发地（居民身份证为户籍地区；居住证为港澳台；永居证为受理省份）
    pub region: Region,
}

/// Facts about an organisation read from its 统一社会信用代码.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OrganisationFacts {
    /// 登记管理部门名称，如 工商/市场监管
    pub registering_body: Option<String>,
    /// 机构类别名称，如 企业
    pub entity_type: Option<String>,
    /// 登记管理机关行政区划
    pub region: Region,
    /// 主体标识码（组织机构代码），9 位
    pub organisation_code: String,
}

/// 校验通过的证件：规范化后的号码、能读出的事实和提醒。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IdentityDocument {
    pub doc_type: DocumentType,
    /// 规范化后的号码（去掉首尾空白，字母大写）
    pub number: String,
    pub person: Option<PersonFacts>,
    pub organisation: Option<OrganisationFacts>,
    /// 提醒（不影响通过）
    pub warnings: Vec<IdWarning>,
}

impl IdentityDocument {
    /// The region of issue, where the number carries one.
    pub fn region(&self) -> Option<&Region> {
        match (&self.person, &self.organisation) {
            (Some(p), _) => Some(&p.region),
            (None, Some(o)) => Some(&o.region),
            (None, None) => None,
        }
    }
    /// Age in full years on `on`, where the number carries a birth date.
    pub fn age_on(&self, on: NaiveDate) -> Option<u32> {
        self.person.as_ref().map(|p| age_on(p.birth_date, on))
    }
    /// Whether the holder is a minor on `on`, where the number carries a birth date.
    pub fn is_minor_on(&self, on: NaiveDate) -> Option<bool> {
        self.person.as_ref().map(|p| is_minor_on(p.birth_date, on))
    }
    /// Whether the region of issue lies in the given province ("33"); `None` when the number carries no region.
    pub fn is_in_province(&self, province_code: &str) -> Option<bool> {
        self.region().map(|r| is_in_province(&r.code, province_code))
    }
}

fn person_doc(doc_type: DocumentType, p: PersonalIdNumber) -> IdentityDocument {
    IdentityDocument {
        doc_type,
        number: p.number,
        person: Some(PersonFacts {
            birth_date: p.birth_date,
            sex: p.sex,
            region: p.region,
        }),
        organisation: None,
        warnings: p.warnings,
    }
}

fn plain_doc(doc_type: DocumentType, number: String) -> IdentityDocument {
    IdentityDocument {
        doc_type,
        number,
        person: None,
        organisation: None,
        warnings: Vec::new(),
    }
}

/// Checks a number as the given document type and returns what the desk needs to see.
pub fn check(doc_type: DocumentType, input: &str, today: NaiveDate) -> Result<IdentityDocument, IdError> {
    Ok(match doc_type {
        DocumentType::ResidentId => person_doc(doc_type, parse_resident_id(input, today)?),
        DocumentType::ResidencePermit => person_doc(doc_type, parse_residence_permit(input, today)?),
        DocumentType::ForeignPermanentId => match parse_foreign_permanent_id(input, today)? {
            ForeignPermanentId::New(p) => person_doc(doc_type, p),
            ForeignPermanentId::Old { number, .. } => plain_doc(doc_type, number),
        },
        DocumentType::Uscc => {
            let u = parse_uscc(input)?;
            IdentityDocument {
                doc_type,
                number: u.number,
                person: None,
                organisation: Some(OrganisationFacts {
                    registering_body: u.registering_body,
                    entity_type: u.entity_type,
                    region: u.region,
                    organisation_code: u.organisation_code,
                }),
                warnings: u.warnings,
            }
        }
        DocumentType::HkMacaoPermit => plain_doc(doc_type, parse_hk_macao_permit(input)?.number),
        DocumentType::TaiwanPermit => plain_doc(doc_type, parse_taiwan_permit(input)?),
        DocumentType::Passport => plain_doc(doc_type, parse_passport(input)?),
        DocumentType::Other => plain_doc(doc_type, parse_other(input)?),
    })
}

/// Guesses the most likely document type from the shape of the input (for input without a type).
///
/// 18 characters: 81/82/83 → 居住证; first digit 9 → 永居证 unless only the USCC check fits;
/// 1–8 with digits → 身份证 unless only the USCC check fits; other letters → USCC.
/// H/M + 8 or 10 digits → 港澳通行证; 8 or 10 digits → 台湾通行证; 3 letters + 12 digits → old 永居证;
/// other letters-and-digits → 护照; anything else → 其他. Inner white space is ignored for the guess
/// (the chosen type's parser then refuses it by name).
pub fn guess_type(input: &str) -> DocumentType {
    // Inner white space is ignored here so that the type's own parser can name it.
    let v: String = input
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    let chars: Vec<char> = v.chars().collect();
    let n = chars.len();
    let all_digits = |s: &[char]| !s.is_empty() && s.iter().all(|c| c.is_ascii_digit());
    if n == 18 {
        let id_shape = all_digits(&chars[..17]) && (chars[17].is_ascii_digit() || chars[17] == 'X');
        if !id_shape {
            return DocumentType::Uscc;
        }
        let head: String = chars[..2].iter().collect();
        if matches!(head.as_str(), "81" | "82" | "83") {
            return DocumentType::ResidencePermit;
        }
        let digits: Vec<u8> = chars.iter().map(|c| *c as u8).collect();
        let id_ok = gb11643::checksum_ok(&digits);
        let uscc_ok = uscc::checksum_ok(&chars);
        let id_type = if chars[0] == '9' {
            DocumentType::ForeignPermanentId
        } else {
            DocumentType::ResidentId
        };
        return if !id_ok && uscc_ok { DocumentType::Uscc } else { id_type };
    }
    if (n == 9 || n == 11) && matches!(chars[0], 'H' | 'M') && all_digits(&chars[1..]) {
        return DocumentType::HkMacaoPermit;
    }
    if (n == 8 || n == 10) && all_digits(&chars) {
        return DocumentType::TaiwanPermit;
    }
    if n == 15 && chars[..3].iter().all(|c| c.is_ascii_uppercase()) && all_digits(&chars[3..]) {
        return DocumentType::ForeignPermanentId;
    }
    // A resident ID with a character too few or too many: judge it as one, so
    // the clerk hears "应为 18 位" instead of it passing as a passport number.
    if (15..=19).contains(&n) && all_digits(&chars[..n - 1]) && (chars[n - 1].is_ascii_digit() || chars[n - 1] == 'X') {
        return DocumentType::ResidentId;
    }
    if (5..=20).contains(&n)
        && chars.iter().all(|c| c.is_ascii_alphanumeric())
        && chars.iter().any(|c| c.is_ascii_digit())
    {
        return DocumentType::Passport;
    }
    DocumentType::Other
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn codes_round_trip() {
        for t in DocumentType::ALL {
            assert_eq!(DocumentType::from_code(t.code()), Some(t));
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(DocumentType::from_code(json.trim_matches('"')), Some(t));
        }
        assert_eq!(DocumentType::from_code("Resident_ID"), Some(DocumentType::ResidentId));
        assert_eq!(DocumentType::from_code("id"), None);
    }

    #[test]
    fn ages() {
        let cases = [
            (d(2000, 5, 10), d(2018, 5, 9), 17, true),
            (d(2000, 5, 10), d(2018, 5, 10), 18, false),
            (d(2000, 2, 29), d(2018, 2, 28), 17, true),
            (d(2000, 2, 29), d(2018, 3, 1), 18, false),
            (d(2000, 2, 29), d(2020, 2, 29), 20, false),
            (d(2000, 1, 1), d(1999, 1, 1), 0, true),
            (d(1949, 12, 31), d(2026, 1, 1), 76, false),
        ];
        for (birth, on, age, minor) in cases {
            assert_eq!(age_on(birth, on), age, "{birth} {on}");
            assert_eq!(is_minor_on(birth, on), minor, "{birth} {on}");
        }
    }

    #[test]
    fn guesses() {
        let cases = [
            ("11010519491231002X", DocumentType::ResidentId),
            ("11010519491231002x", DocumentType::ResidentId),
            (" 110105194912310021 ", DocumentType::ResidentId),
            ("91350100M000100Y43", DocumentType::Uscc),
            ("91350100m000100y43", DocumentType::Uscc),
            ("810000199001010013", DocumentType::ResidencePermit),
            ("830000199001010013", DocumentType::ResidencePermit),
            ("933156199001010016", DocumentType::ForeignPermanentId),
            ("H12345678", DocumentType::HkMacaoPermit),
            ("H1234 5678", DocumentType::HkMacaoPermit),
            ("330106 19900101001X", DocumentType::ResidentId),
            ("m1234567890", DocumentType::HkMacaoPermit),
            ("12345678", DocumentType::TaiwanPermit),
            ("1234567890", DocumentType::TaiwanPermit),
            ("USA330012345678", DocumentType::ForeignPermanentId),
            ("E12345678", DocumentType::Passport),
            ("G1234567", DocumentType::Passport),
            ("军官证第123号", DocumentType::Other),
            // One character short or long: still an ID card, so its parser names the length.
            ("11010519491231002", DocumentType::ResidentId),
            ("1101051949123100211", DocumentType::ResidentId),
            ("110105491231002", DocumentType::ResidentId),
            ("", DocumentType::Other),
        ];
        for (input, want) in cases {
            assert_eq!(guess_type(input), want, "{input:?}");
        }
    }

    #[test]
    fn guess_prefers_uscc_when_only_its_check_fits() {
        // An all-digit USCC (机关, 浙江省) whose GB 32100 check fits and whose GB 11643 check does not.
        let n = "113300000024800001";
        assert_eq!(uscc_check_char(&n[..17]), Some('1'));
        assert_eq!(gb11643_check_char(&n[..17]), Some('8'));
        assert_eq!(guess_type(n), DocumentType::Uscc);
        assert!(check(DocumentType::Uscc, n, d(2026, 1, 1)).is_ok());
        // Same shape with the ID check: an ID card.
        assert_eq!(guess_type("113300000024800008"), DocumentType::ResidentId);
    }

    #[test]
    fn check_summarises_each_type() {
        let today = d(2026, 1, 15);
        let id = check(DocumentType::ResidentId, "11010519491231002X", today).unwrap();
        let p = id.person.as_ref().unwrap();
        assert_eq!(p.birth_date, d(1949, 12, 31));
        assert_eq!(p.sex, Sex::Female);
        assert_eq!(id.age_on(today), Some(76));
        assert_eq!(id.is_minor_on(today), Some(false));
        assert_eq!(id.is_in_province("11"), Some(true));
        assert_eq!(id.is_in_province("33"), Some(false));

        let u = check(DocumentType::Uscc, "91350100M000100Y43", today).unwrap();
        let o = u.organisation.as_ref().unwrap();
        assert_eq!(o.entity_type.as_deref(), Some("企业"));
        assert_eq!(u.region().unwrap().code, "350100");
        assert_eq!(u.age_on(today), None);

        let hk = check(DocumentType::HkMacaoPermit, "h12345678", today).unwrap();
        assert_eq!(hk.number, "H12345678");
        assert!(hk.region().is_none());
        assert_eq!(hk.is_in_province("33"), None);

        let other = check(DocumentType::Other, "  军官证123 ", today).unwrap();
        assert_eq!(other.number, "军官证123");
        let e = check(DocumentType::Passport, "E 1234567", today).unwrap_err();
        assert_eq!(e.code(), "inner_space");
        assert_eq!(e.doc_type(), DocumentType::Passport);
    }

    #[test]
    fn normalize_rules() {
        let cases: [(&str, Result<&str, &str>); 6] = [
            ("  abc\t", Ok("ABC")),
            ("\u{3000}abc\u{3000}", Ok("ABC")),
            ("", Err("required")),
            ("   ", Err("required")),
            ("a b", Err("inner_space")),
            ("a\u{3000}b", Err("inner_space")),
        ];
        for (input, want) in cases {
            let got = normalize(DocumentType::Uscc, input, true);
            match (got, want) {
                (Ok(v), Ok(w)) => assert_eq!(v, w),
                (Err(e), Err(code)) => assert_eq!(e.code(), code, "{input:?}"),
                (g, w) => panic!("{input:?}: got {g:?}, want {w:?}"),
            }
        }
        let e = normalize(DocumentType::ResidentId, "1101 05", true).unwrap_err();
        assert_eq!(e.to_string(), "身份证号第 5 位是空格，号码中间不能有空格，请删去");
        let f = e.to_field_error("id_number");
        assert_eq!((f.field.as_str(), f.code.as_str()), ("id_number", "inner_space"));
    }
}
