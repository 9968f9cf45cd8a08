//! Personal data (个人信息): who sees the full identity numbers, postal
//! addresses and identity scans of applicants and parties, and how everyone
//! else (and everyone, until they ask) sees them masked.
//!
//! The rule: full values and scans go only to the roles whose work needs them
//! (`Permission::ViewPersonalData`: the counter, both reviews, the
//! certificate desk). Views show masked values by default, to those roles
//! too; a full value is read by an explicit reveal (or by the counter's edit
//! form and the printed application form), and every such read is logged.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::FieldError;
use crate::filing::FilingDraft;
use crate::identity::DocumentType;
use crate::signature::{SignerLine, SignerRef};
use crate::staff::{require, Permission, PermissionDenied, Role};

/// The character that stands for a hidden one.
pub const MASK: char = '*';

/// What a masked address shows after the province and city it keeps.
pub const ADDRESS_MASK: &str = "******";

/// Checks that one of `roles` may see full personal data.
pub fn require_full_view(roles: &[Role]) -> Result<(), PermissionDenied> {
    require(roles, Permission::ViewPersonalData)
}

/// May a person holding `roles` see full personal data?
pub fn may_see_full(roles: &[Role]) -> bool {
    require_full_view(roles).is_ok()
}

fn keep_ends(number: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = number.chars().collect();
    let n = chars.len();
    // At least 4 characters stay hidden; a number too short for that keeps a quarter at each end.
    let (head, tail) = if head + tail + 4 > n {
        (n / 4, n / 4)
    } else {
        (head, tail)
    };
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| if i < head || i + tail >= n { *c } else { MASK })
        .collect()
}

/// 证件号码打码，按证件种类：
/// - 居民身份证（and a number of unknown kind）: the region (first 6) and the
///   last 4 stay, `330106********123X`;
/// - 统一社会信用代码: unchanged — an organisation's code is public (it is on
///   its licence and in the national enterprise register);
/// - permits, residence cards, passports, other documents: the first 2 and the
///   last 2 stay, `H1*****78`.
///
/// At least 4 characters are always hidden; a number too short for that keeps
/// a quarter at each end (`1**4`). Empty stays empty.
pub fn mask_id(kind: Option<DocumentType>, number: &str) -> String {
    let number = number.trim();
    match kind {
        Some(DocumentType::Uscc) => number.to_string(),
        Some(DocumentType::ResidentId) | None => keep_ends(number, 6, 4),
        Some(_) => keep_ends(number, 2, 2),
    }
}

/// Where a province-level name ends (`浙江省`, `广西壮族自治区`, `北京市`), if in the first 12 characters.
fn province_end(chars: &[char]) -> Option<usize> {
    let text: String = chars.iter().take(12).collect();
    ["特别行政区", "自治区", "省", "市"]
        .iter()
        .filter_map(|suffix| {
            text.find(suffix)
                .map(|b| text[..b].chars().count() + suffix.chars().count())
        })
        .min()
}

/// Where a city-level name ends, searched in `chars` (`杭州市`, `延边朝鲜族自治州`, `锡林郭勒盟`, `阿里地区`).
fn city_end(chars: &[char]) -> Option<usize> {
    let text: String = chars.iter().take(10).collect();
    let end = ["市", "州", "盟", "地区"]
        .iter()
        .filter_map(|suffix| {
            text.find(suffix)
                .map(|b| text[..b].chars().count() + suffix.chars().count())
        })
        .min()?;
    // 广州市: the 州 of the name is not the end.
    Some(if chars.get(end - 1) == Some(&'州') && chars.get(end) == Some(&'市') {
        end + 1
    } else {
        end
    })
}

/// 地址打码：the province and the city stay, the rest is hidden
/// (`浙江省杭州市******`; a municipality keeps its name, `北京市******`). An
/// address whose province cannot be told is hidden whole. Empty stays empty.
pub fn mask_address(address: &str) -> String {
    let chars: Vec<char> = address.trim().chars().collect();
    if chars.is_empty() {
        return String::new();
    }
    let Some(p) = province_end(&chars) else {
        return ADDRESS_MASK.to_string();
    };
    let keep = p + city_end(&chars[p..]).unwrap_or(0);
    let kept: String = chars[..keep].iter().collect();
    if keep >= chars.len() {
        kept
    } else {
        format!("{kept}{ADDRESS_MASK}")
    }
}

/// The filing as those who have not asked for the full values see it: every
/// ID number (owners, guardians, the writer) masked by its kind and the postal
/// address masked.
pub fn mask_draft(draft: &FilingDraft) -> FilingDraft {
    let mut d = draft.clone();
    for o in &mut d.owners {
        o.id_number = mask_id(o.id_type, &o.id_number);
        o.guardian_id_number = mask_id(o.guardian_id_type, &o.guardian_id_number);
    }
    if let Some(w) = &mut d.writer {
        w.id_number = mask_id(w.id_type, &w.id_number);
        w.guardian_id_number = mask_id(w.guardian_id_type, &w.guardian_id_number);
    }
    d.postal_address = mask_address(&d.postal_address);
    d
}

/// The signing sheet as those who have not asked see it: each signer's ID
/// number (or their guardian's) masked by the kind the filing gives it.
pub fn mask_signers(lines: &mut [SignerLine], draft: &FilingDraft) {
    for l in lines {
        let s = &mut l.signer;
        let guardian = s.guardian_name.is_some();
        let kind = match s.party {
            SignerRef::Owner { index } => {
                draft
                    .owners
                    .get(index)
                    .and_then(|o| if guardian { o.guardian_id_type } else { o.id_type })
            }
            SignerRef::Writer => draft
                .writer
                .as_ref()
                .and_then(|w| if guardian { w.guardian_id_type } else { w.id_type }),
        };
        s.id_number = mask_id(kind, &s.id_number);
    }
}

/// Does a value carry the mask (a masked number or address sent back)?
pub fn is_masked(value: &str) -> bool {
    value.contains(MASK)
}

fn masked_error(field: &str, what: &str) -> FieldError {
    FieldError::new(
        field,
        "masked",
        format!("{what}是遮蔽显示的（含 *），不能这样保存：请先点“显示完整号码”再修改，或重新输入完整的{what}"),
    )
}

/// Masked values in a filing about to be saved: saving one would overwrite
/// the real number or address with stars, so each is refused by its path.
pub fn masked_in_draft(draft: &FilingDraft) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (i, o) in draft.owners.iter().enumerate() {
        if is_masked(&o.id_number) {
            errs.push(masked_error(&format!("owners[{i}].id_number"), "证件号"));
        }
        if is_masked(&o.guardian_id_number) {
            errs.push(masked_error(&format!("owners[{i}].guardian_id_number"), "监护人证件号"));
        }
    }
    if let Some(w) = &draft.writer {
        if is_masked(&w.id_number) {
            errs.push(masked_error("writer.id_number", "证件号"));
        }
        if is_masked(&w.guardian_id_number) {
            errs.push(masked_error("writer.guardian_id_number", "监护人证件号"));
        }
    }
    if is_masked(&draft.postal_address) {
        errs.push(masked_error("postal_address", "收件地址"));
    }
    errs
}

/// Masked values in an applicant profile about to be saved (see [`masked_in_draft`]).
pub fn masked_in_applicant(id_number: &str, postal_address: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if is_masked(id_number) {
        errs.push(masked_error("id_number", "证件号"));
    }
    if is_masked(postal_address) {
        errs.push(masked_error("postal_address", "收件地址"));
    }
    errs
}

/// Does a search ask by an identity number? A run of 6 or more digits is
/// what a resident ID, a permit or a passport number has and a name or a
/// title does not; those without [`Permission::ViewPersonalData`] may not
/// search by it (a hit would confirm whose number it is). Whole serials and
/// registration numbers are looked up before this question is asked.
pub fn asks_by_id_number(query: &str) -> bool {
    let mut run = 0;
    for c in query.chars() {
        if c.is_ascii_digit() {
            run += 1;
            if run >= 6 {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

/// The refusal of a search by ID number.
pub fn id_search_refused() -> String {
    "按证件号码查找需要窗口受理、初审、终审或制证发证岗位；请用完整的流水号、登记号、作品名称或姓名查找".to_string()
}

/// 个人信息查阅：what a logged read of personal data showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PersonalDataView {
    /// 完整证件号码与地址（显示完整号码，或受理台的编辑表单）
    FullIdentity,
    /// 身份证明文件（扫描件）
    IdentityScan,
    /// 申请表（打印，含完整号码与地址）
    ApplicationForm,
}

impl PersonalDataView {
    pub const ALL: [PersonalDataView; 3] = [
        PersonalDataView::FullIdentity,
        PersonalDataView::IdentityScan,
        PersonalDataView::ApplicationForm,
    ];

    pub fn label(self) -> &'static str {
        match self {
            PersonalDataView::FullIdentity => "完整证件号码与地址",
            PersonalDataView::IdentityScan => "身份证明文件",
            PersonalDataView::ApplicationForm => "申请表（打印）",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            PersonalDataView::FullIdentity => "full_identity",
            PersonalDataView::IdentityScan => "identity_scan",
            PersonalDataView::ApplicationForm => "application_form",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.code() == code)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::filing::{OwnerDraft, WriterDraft};

    #[test]
    fn ids_are_masked_by_their_kind() {
        use DocumentType::*;
        let table = [
            (Some(ResidentId), "33010619900101123X", "330106********123X"),
            (None, "33010619900101123X", "330106********123X"),
            (Some(ResidentId), "330106900101123", "330106*****1123"),
            (Some(Uscc), "91330106MA2H0K7Q1X", "91330106MA2H0K7Q1X"),
            (Some(HkMacaoPermit), "H12345678", "H1*****78"),
            (Some(Passport), "E12345678", "E1*****78"),
            (Some(TaiwanPermit), "12345678", "12****78"),
            (Some(Other), "ABC", "***"),
            (Some(Other), "ABCDEF", "A****F"),
            (Some(ResidentId), "1234", "1**4"),
            (Some(ResidentId), "", ""),
            (Some(ResidentId), " 33010619900101123X ", "330106********123X"),
        ];
        for (kind, number, masked) in table {
            assert_eq!(mask_id(kind, number), masked, "{kind:?} {number}");
        }
    }

    #[test]
    fn masking_always_hides_enough() {
        for n in 0..30 {
            let number: String = "9".repeat(n);
            for kind in [Some(DocumentType::ResidentId), Some(DocumentType::Passport), None] {
                let m = mask_id(kind, &number);
                assert_eq!(m.chars().count(), n);
                let hidden = m.chars().filter(|c| *c == MASK).count();
                let needed = if n < 14 { n.div_ceil(2) } else { 4 };
                assert!(hidden >= needed, "{n} {m}");
            }
        }
    }

    #[test]
    fn addresses_keep_province_and_city() {
        let table = [
            ("浙江省杭州市西湖区文三路 100 号", "浙江省杭州市******"),
            ("广东省广州市天河区体育西路 1 号", "广东省广州市******"),
            ("北京市朝阳区建国路 88 号", "北京市******"),
            ("广西壮族自治区南宁市青秀区民族大道 1 号", "广西壮族自治区南宁市******"),
            ("吉林省延边朝鲜族自治州延吉市光明街", "吉林省延边朝鲜族自治州******"),
            ("内蒙古自治区锡林郭勒盟锡林浩特市", "内蒙古自治区锡林郭勒盟******"),
            ("杭州市西湖区文三路", "杭州市******"),
            ("浙江省杭州市", "浙江省杭州市"),
            ("文三路 100 号", "******"),
            ("", ""),
        ];
        for (address, masked) in table {
            assert_eq!(mask_address(address), masked, "{address}");
        }
    }

    fn draft() -> FilingDraft {
        FilingDraft {
            owners: vec![OwnerDraft {
                id_type: Some(DocumentType::ResidentId),
                id_number: "33010620100101123X".into(),
                guardian_id_type: Some(DocumentType::ResidentId),
                guardian_id_number: "330106198001011234".into(),
                ..OwnerDraft::default()
            }],
            writer: Some(WriterDraft {
                id_type: Some(DocumentType::Passport),
                id_number: "E12345678".into(),
                ..WriterDraft::default()
            }),
            postal_address: "浙江省杭州市西湖区文三路 100 号".into(),
            ..FilingDraft::default()
        }
    }

    #[test]
    fn a_masked_draft_shows_no_full_number_and_cannot_be_saved_back() {
        let full = draft();
        assert!(masked_in_draft(&full).is_empty());
        let m = mask_draft(&full);
        assert_eq!(m.owners[0].id_number, "330106********123X");
        assert_eq!(m.owners[0].guardian_id_number, "330106********1234");
        assert_eq!(m.writer.as_ref().unwrap().id_number, "E1*****78");
        assert_eq!(m.postal_address, "浙江省杭州市******");
        let fields: Vec<String> = masked_in_draft(&m).into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "owners[0].id_number",
                "owners[0].guardian_id_number",
                "writer.id_number",
                "postal_address"
            ]
        );
        assert_eq!(masked_in_applicant("330106********123X", "浙江省").len(), 1);
    }

    #[test]
    fn signers_are_masked_by_the_kind_of_their_document() {
        use crate::signature::{Signer, SignerStatus};
        let line = |party, id_number: &str, guardian: Option<&str>| SignerLine {
            signer: Signer {
                party,
                name: "某".into(),
                id_number: id_number.into(),
                guardian_name: guardian.map(str::to_string),
            },
            status: SignerStatus::Waiting,
            record: None,
        };
        let mut lines = vec![
            line(SignerRef::Owner { index: 0 }, "330106198001011234", Some("监护人")),
            line(SignerRef::Writer, "E12345678", None),
        ];
        mask_signers(&mut lines, &draft());
        assert_eq!(lines[0].signer.id_number, "330106********1234");
        assert_eq!(lines[1].signer.id_number, "E1*****78");
    }

    #[test]
    fn a_run_of_six_digits_asks_by_id_number() {
        for (q, asks) in [
            ("330106", true),
            ("33010619900101123X", true),
            ("H12345678", true),
            ("张三", false),
            ("星空 2026", false),
            ("12345", false),
            ("ZJ-0A1B-2026", false),
        ] {
            assert_eq!(asks_by_id_number(q), asks, "{q}");
        }
    }

    #[test]
    fn view_codes_round_trip() {
        for v in PersonalDataView::ALL {
            assert_eq!(PersonalDataView::from_code(v.code()), Some(v));
        }
    }
}
