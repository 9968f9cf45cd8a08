//! The work (作品) and the whole filing (作品填报): creation nature, dates,
//! publication, attribution, acquisition and ownership of rights
//! (docs/DOMAIN.md §4), and the check a filing must pass before submission.

use std::cmp::Ordering;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::category::WorkCategory;
use crate::error::{required_text, FieldError};
use crate::party::{validate_author, validate_owner, validate_writer, Author, Owner, PartyContext, PartyKind, Writer};

/// 部分日期：年必填，月、日可以不详（有日必有月）。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

/// Why a partial date is not a real date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PartialDateError {
    #[error("年份应在 1000 到 9999 之间")]
    Year,
    #[error("月份应在 1 到 12 之间")]
    Month,
    #[error("填写了日就必须填写月")]
    DayWithoutMonth,
    #[error("该月没有这一天")]
    Day,
}

impl PartialDateError {
    pub fn code(self) -> &'static str {
        match self {
            PartialDateError::Year => "year_range",
            PartialDateError::Month => "month_range",
            PartialDateError::DayWithoutMonth => "day_without_month",
            PartialDateError::Day => "day_range",
        }
    }
}

impl PartialDate {
    /// A checked partial date.
    pub fn new(year: i32, month: Option<u32>, day: Option<u32>) -> Result<Self, PartialDateError> {
        let d = PartialDate { year, month, day };
        d.validate()?;
        Ok(d)
    }

    pub fn full(date: NaiveDate) -> Self {
        use chrono::Datelike;
        PartialDate {
            year: date.year(),
            month: Some(date.month()),
            day: Some(date.day()),
        }
    }

    /// Checks that the date is real: year 1000–9999, month 1–12, a day only with a month and within it.
    pub fn validate(&self) -> Result<(), PartialDateError> {
        if !(1000..=9999).contains(&self.year) {
            return Err(PartialDateError::Year);
        }
        match (self.month, self.day) {
            (None, Some(_)) => Err(PartialDateError::DayWithoutMonth),
            (Some(m), _) if !(1..=12).contains(&m) => Err(PartialDateError::Month),
            (Some(m), Some(d)) if NaiveDate::from_ymd_opt(self.year, m, d).is_none() => Err(PartialDateError::Day),
            _ => Ok(()),
        }
    }

    /// The first day the date may stand for (`None` if the date is not valid).
    pub fn earliest(&self) -> Option<NaiveDate> {
        self.validate().ok()?;
        NaiveDate::from_ymd_opt(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The last day the date may stand for (`None` if the date is not valid).
    pub fn latest(&self) -> Option<NaiveDate> {
        self.validate().ok()?;
        match (self.month, self.day) {
            (Some(m), Some(d)) => NaiveDate::from_ymd_opt(self.year, m, d),
            (Some(m), None) => {
                let (ny, nm) = if m == 12 {
                    (self.year + 1, 1)
                } else {
                    (self.year, m + 1)
                };
                NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()
            }
            _ => NaiveDate::from_ymd_opt(self.year, 12, 31),
        }
    }

    /// Compares two partial dates where they can be compared: `Some(Less)` only when every day
    /// `self` may stand for lies before every day `other` may stand for; `None` when they overlap.
    pub fn certainly_cmp(&self, other: &PartialDate) -> Option<Ordering> {
        let (a0, a1, b0, b1) = (self.earliest()?, self.latest()?, other.earliest()?, other.latest()?);
        if a1 < b0 {
            Some(Ordering::Less)
        } else if a0 > b1 {
            Some(Ordering::Greater)
        } else if a0 == a1 && b0 == b1 && a0 == b0 {
            Some(Ordering::Equal)
        } else {
            None
        }
    }
}

impl fmt::Display for PartialDate {
    /// 2024年、2024年3月、2024年3月5日
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}年", self.year)?;
        if let Some(m) = self.month {
            write!(f, "{m}月")?;
            if let Some(d) = self.day {
                write!(f, "{d}日")?;
            }
        }
        Ok(())
    }
}

/// 创作性质。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CreationNature {
    /// 原创
    Original,
    /// 改编
    Adaptation,
    /// 翻译
    Translation,
    /// 汇编
    Compilation,
    /// 注释
    Annotation,
    /// 整理
    Arrangement,
    /// 其他
    Other,
}

impl CreationNature {
    pub const ALL: [CreationNature; 7] = [
        CreationNature::Original,
        CreationNature::Adaptation,
        CreationNature::Translation,
        CreationNature::Compilation,
        CreationNature::Annotation,
        CreationNature::Arrangement,
        CreationNature::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            CreationNature::Original => "原创",
            CreationNature::Adaptation => "改编",
            CreationNature::Translation => "翻译",
            CreationNature::Compilation => "汇编",
            CreationNature::Annotation => "注释",
            CreationNature::Arrangement => "整理",
            CreationNature::Other => "其他",
        }
    }
}

/// 发表状态。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PublicationStatus {
    /// 已发表
    Published,
    /// 未发表
    Unpublished,
}

impl PublicationStatus {
    pub fn label(self) -> &'static str {
        match self {
            PublicationStatus::Published => "已发表",
            PublicationStatus::Unpublished => "未发表",
        }
    }
}

/// 权利归属方式。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Attribution {
    /// 个人作品
    Individual,
    /// 合作作品
    Joint,
    /// 职务作品
    Employment,
    /// 法人作品
    Corporate,
    /// 委托作品
    Commissioned,
    /// 其他作品
    Other,
}

impl Attribution {
    pub const ALL: [Attribution; 6] = [
        Attribution::Individual,
        Attribution::Joint,
        Attribution::Employment,
        Attribution::Corporate,
        Attribution::Commissioned,
        Attribution::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Attribution::Individual => "个人作品",
            Attribution::Joint => "合作作品",
            Attribution::Employment => "职务作品",
            Attribution::Corporate => "法人作品",
            Attribution::Commissioned => "委托作品",
            Attribution::Other => "其他作品",
        }
    }

    /// The kind every author must be, where the attribution fixes it.
    pub fn required_author_kind(self) -> Option<PartyKind> {
        match self {
            Attribution::Individual | Attribution::Employment => Some(PartyKind::NaturalPerson),
            Attribution::Corporate => Some(PartyKind::Organisation),
            _ => None,
        }
    }

    /// Whether a 执笔者 belongs to this attribution (only 法人作品).
    pub fn has_writer(self) -> bool {
        self == Attribution::Corporate
    }
}

/// 权利取得方式。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Acquisition {
    /// 原始取得
    Original,
    /// 继承
    Inheritance,
    /// 承受
    Succession,
    /// 其他
    Other,
}

impl Acquisition {
    pub fn label(self) -> &'static str {
        match self {
            Acquisition::Original => "原始",
            Acquisition::Inheritance => "继承",
            Acquisition::Succession => "承受",
            Acquisition::Other => "其他",
        }
    }
}

/// 权利拥有状况。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Ownership {
    /// 全部
    Full,
    /// 部分
    Partial,
}

impl Ownership {
    pub fn label(self) -> &'static str {
        match self {
            Ownership::Full => "全部",
            Ownership::Partial => "部分",
        }
    }
}

/// 著作权的权利（著作权法第十条）。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Right {
    /// 发表权
    Publication,
    /// 署名权
    Attribution,
    /// 修改权
    Alteration,
    /// 保护作品完整权
    Integrity,
    /// 复制权
    Reproduction,
    /// 发行权
    Distribution,
    /// 出租权
    Rental,
    /// 展览权
    Exhibition,
    /// 表演权
    Performance,
    /// 放映权
    Presentation,
    /// 广播权
    Broadcasting,
    /// 信息网络传播权
    NetworkDissemination,
    /// 摄制权
    Cinematography,
    /// 改编权
    Adaptation,
    /// 翻译权
    Translation,
    /// 汇编权
    Compilation,
    /// 其他
    Other,
}

impl Right {
    pub const ALL: [Right; 17] = [
        Right::Publication,
        Right::Attribution,
        Right::Alteration,
        Right::Integrity,
        Right::Reproduction,
        Right::Distribution,
        Right::Rental,
        Right::Exhibition,
        Right::Performance,
        Right::Presentation,
        Right::Broadcasting,
        Right::NetworkDissemination,
        Right::Cinematography,
        Right::Adaptation,
        Right::Translation,
        Right::Compilation,
        Right::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Right::Publication => "发表权",
            Right::Attribution => "署名权",
            Right::Alteration => "修改权",
            Right::Integrity => "保护作品完整权",
            Right::Reproduction => "复制权",
            Right::Distribution => "发行权",
            Right::Rental => "出租权",
            Right::Exhibition => "展览权",
            Right::Performance => "表演权",
            Right::Presentation => "放映权",
            Right::Broadcasting => "广播权",
            Right::NetworkDissemination => "信息网络传播权",
            Right::Cinematography => "摄制权",
            Right::Adaptation => "改编权",
            Right::Translation => "翻译权",
            Right::Compilation => "汇编权",
            Right::Other => "其他",
        }
    }
}

/// 作品信息。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WorkInfo {
    /// 作品名称
    pub title: String,
    /// 作品类别
    pub category: WorkCategory,
    /// 创作性质
    pub nature: CreationNature,
    /// 创作性质说明（非原创必填，如原作品名称与作者）
    pub nature_note: Option<String>,
    /// 创作完成日期
    pub completed_on: PartialDate,
    /// 创作完成地点
    pub completed_place: String,
    /// 发表状态
    pub publication: PublicationStatus,
    /// 首次发表日期（已发表时必填）
    pub first_published_on: Option<PartialDate>,
    /// 首次发表地点（已发表时必填）
    pub first_published_place: Option<String>,
    /// 权利归属方式
    pub attribution: Attribution,
    /// 权利取得方式
    pub acquisition: Acquisition,
    /// 权利拥有状况
    pub ownership: Ownership,
    /// 拥有的权利（部分时至少一项；全部时不填）
    pub rights: Vec<Right>,
    /// 其他权利的说明（勾选“其他”时必填）
    pub other_rights_note: Option<String>,
}

/// 作品填报：作品信息与当事人。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Filing {
    pub work: WorkInfo,
    /// 著作权人（按签章顺序）
    pub owners: Vec<Owner>,
    /// 作者
    pub authors: Vec<Author>,
    /// 执笔者（法人作品）
    pub writer: Option<Writer>,
}

fn note_required(field: &str, label: &str, note: Option<&str>, errs: &mut Vec<FieldError>) {
    if let Err(e) = required_text(field, label, note.unwrap_or(""), 500) {
        errs.push(e);
    }
}

fn check_partial_date(field: &str, label: &str, d: &PartialDate, errs: &mut Vec<FieldError>) -> bool {
    match d.validate() {
        Ok(()) => true,
        Err(e) => {
            errs.push(FieldError::new(field, e.code(), format!("{label}有误：{e}")));
            false
        }
    }
}

/// Checks the work's own fields; `today` is the filing date.
pub fn validate_work(w: &WorkInfo, today: NaiveDate, errs: &mut Vec<FieldError>) {
    if let Err(e) = required_text("work.title", "作品名称", &w.title, 100) {
        errs.push(e);
    }
    if w.nature != CreationNature::Original {
        note_required(
            "work.nature_note",
            &format!("创作性质说明（{}作品须说明原作品及作者）", w.nature.label()),
            w.nature_note.as_deref(),
            errs,
        );
    }
    let completed_ok = check_partial_date("work.completed_on", "创作完成日期", &w.completed_on, errs);
    if completed_ok && w.completed_on.earliest().is_some_and(|d| d > today) {
        errs.push(FieldError::new(
            "work.completed_on",
            "in_future",
            format!("创作完成日期 {} 晚于今天，请核对", w.completed_on),
        ));
    }
    if let Err(e) = required_text("work.completed_place", "创作完成地点", &w.completed_place, 100) {
        errs.push(e);
    }
    match w.publication {
        PublicationStatus::Published => {
            match &w.first_published_on {
                None => errs.push(FieldError::new(
                    "work.first_published_on",
                    "required",
                    "已发表作品请填写首次发表日期",
                )),
                Some(p) => {
                    if check_partial_date("work.first_published_on", "首次发表日期", p, errs) {
                        if p.earliest().is_some_and(|d| d > today) {
                            errs.push(FieldError::new(
                                "work.first_published_on",
                                "in_future",
                                format!("首次发表日期 {p} 晚于今天，请核对"),
                            ));
                        }
                        if completed_ok && p.certainly_cmp(&w.completed_on) == Some(Ordering::Less) {
                            errs.push(FieldError::new(
                                "work.first_published_on",
                                "before_completion",
                                format!("首次发表日期 {p} 早于创作完成日期 {}，请核对", w.completed_on),
                            ));
                        }
                    }
                }
            }
            note_required(
                "work.first_published_place",
                "首次发表地点",
                w.first_published_place.as_deref(),
                errs,
            );
        }
        PublicationStatus::Unpublished => {
            if w.first_published_on.is_some() {
                errs.push(FieldError::new(
                    "work.first_published_on",
                    "not_published",
                    "未发表作品不填首次发表日期；如已发表，请把发表状态改为已发表",
                ));
            }
            if w.first_published_place.as_deref().is_some_and(|p| !p.trim().is_empty()) {
                errs.push(FieldError::new(
                    "work.first_published_place",
                    "not_published",
                    "未发表作品不填首次发表地点；如已发表，请把发表状态改为已发表",
                ));
            }
        }
    }
    match w.ownership {
        Ownership::Partial => {
            if w.rights.is_empty() {
                errs.push(FieldError::new(
                    "work.rights",
                    "required",
                    "权利拥有状况为部分时，请至少勾选一项拥有的权利",
                ));
            }
        }
        Ownership::Full => {
            if !w.rights.is_empty() {
                errs.push(FieldError::new(
                    "work.rights",
                    "rights_with_full",
                    "权利拥有状况为全部时不勾选单项权利；如只拥有部分权利，请改为部分",
                ));
            }
        }
    }
    for (i, r) in w.rights.iter().enumerate() {
        if w.rights[..i].contains(r) {
            errs.push(FieldError::new(
                format!("work.rights[{i}]"),
                "duplicate",
                format!("{}重复勾选，请去掉一项", r.label()),
            ));
        }
    }
    if w.rights.contains(&Right::Other) {
        note_required(
            "work.other_rights_note",
            "其他权利的说明",
            w.other_rights_note.as_deref(),
            errs,
        );
    }
}

/// Checks a whole filing for submission and returns every problem (empty: ready to submit).
/// Field paths name the exact party: `owners[1].id_number`, `authors[0].signed_name`.
pub fn validate_filing(filing: &Filing, ctx: &PartyContext) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let w = &filing.work;
    validate_work(w, ctx.filing_date, &mut errs);

    if filing.owners.is_empty() {
        errs.push(FieldError::new("owners", "required", "请至少填写一位著作权人"));
    }
    for (i, o) in filing.owners.iter().enumerate() {
        validate_owner(&format!("owners[{i}]"), o, ctx, &mut errs);
    }
    if filing.authors.is_empty() {
        errs.push(FieldError::new("authors", "required", "请至少填写一位作者"));
    }
    for (i, a) in filing.authors.iter().enumerate() {
        validate_author(&format!("authors[{i}]"), a, &mut errs);
    }

    match w.attribution {
        Attribution::Individual if filing.authors.len() > 1 => errs.push(FieldError::new(
            "authors",
            "one_author",
            format!(
                "个人作品只有一位作者，现在有 {} 位；多人创作请选合作作品",
                filing.authors.len()
            ),
        )),
        Attribution::Joint if filing.authors.len() == 1 => errs.push(FieldError::new(
            "authors",
            "two_authors",
            "合作作品至少有两位作者；一人创作请选个人作品",
        )),
        _ => {}
    }
    for p in parties_not_fitting(filing, w.attribution) {
        errs.push(FieldError::new(p.field(), p.code, p.message));
    }
    if w.attribution == Attribution::Corporate {
        for (i, a) in filing.authors.iter().enumerate() {
            let is_owner = filing
                .owners
                .iter()
                .any(|o| o.kind == PartyKind::Organisation && o.name.trim() == a.name.trim());
            if a.kind == PartyKind::Organisation && !is_owner {
                errs.push(FieldError::new(
                    format!("authors[{i}].name"),
                    "author_not_owner",
                    "法人作品的作者应是著作权人（该组织），请填写与著作权人相同的名称",
                ));
            }
        }
        if filing.writer.is_none() {
            errs.push(FieldError::new("writer", "required", "法人作品请填写执笔者"));
        }
    }
    if let Some(wr) = &filing.writer {
        if w.attribution.has_writer() {
            validate_writer("writer", wr, ctx, &mut errs);
        }
    }
    errs
}

/// 当事人角色。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PartyRole {
    /// 著作权人
    Owner,
    /// 作者
    Author,
    /// 执笔者
    Writer,
}

impl PartyRole {
    pub fn label(self) -> &'static str {
        match self {
            PartyRole::Owner => "著作权人",
            PartyRole::Author => "作者",
            PartyRole::Writer => "执笔者",
        }
    }
}

/// A party that does not fit the attribution and should be removed (or changed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct UnfitParty {
    pub role: PartyRole,
    /// Index in `owners` or `authors`; 0 for the writer.
    pub index: usize,
    pub name: String,
    /// Stable code (`author_must_be_person`, `author_must_be_organisation`, `owner_must_be_organisation`, `writer_not_applicable`).
    pub code: String,
    /// Chinese explanation for the clerk.
    pub message: String,
}

impl UnfitParty {
    /// The field path of the party (`authors[2]`, `writer`).
    pub fn field(&self) -> String {
        match self.role {
            PartyRole::Owner => format!("owners[{}]", self.index),
            PartyRole::Author => format!("authors[{}]", self.index),
            PartyRole::Writer => "writer".to_string(),
        }
    }
}

/// The parties that no longer fit when the attribution becomes `attribution`, so the UI can ask
/// the clerk to remove them: 个人/职务 — authors that are organisations; 法人 — authors and owners
/// that are natural persons; anything but 法人 — the writer.
pub fn parties_not_fitting(filing: &Filing, attribution: Attribution) -> Vec<UnfitParty> {
    let owners: Vec<(Option<PartyKind>, &str)> =
        filing.owners.iter().map(|o| (Some(o.kind), o.name.as_str())).collect();
    let authors: Vec<(Option<PartyKind>, &str)> =
        filing.authors.iter().map(|a| (Some(a.kind), a.name.as_str())).collect();
    unfit_parties(
        &owners,
        &authors,
        filing.writer.as_ref().map(|w| w.name.as_str()),
        attribution,
    )
}

/// [`parties_not_fitting`] over the parties' kinds and names (a party whose kind is not chosen yet fits).
pub fn unfit_parties(
    owners: &[(Option<PartyKind>, &str)],
    authors: &[(Option<PartyKind>, &str)],
    writer: Option<&str>,
    attribution: Attribution,
) -> Vec<UnfitParty> {
    let mut out = Vec::new();
    if let Some(kind) = attribution.required_author_kind() {
        for (i, (a_kind, a_name)) in authors.iter().enumerate() {
            if a_kind.is_some_and(|k| k != kind) {
                let (code, message) = match kind {
                    PartyKind::NaturalPerson => (
                        "author_must_be_person",
                        format!("{}的作者应为自然人，请删除作者“{}”", attribution.label(), a_name.trim()),
                    ),
                    PartyKind::Organisation => (
                        "author_must_be_organisation",
                        format!(
                            "法人作品的作者是组织，请删除作者“{}”（执笔的个人请填为执笔者）",
                            a_name.trim()
                        ),
                    ),
                };
                out.push(UnfitParty {
                    role: PartyRole::Author,
                    index: i,
                    name: a_name.trim().to_string(),
                    code: code.into(),
                    message,
                });
            }
        }
    }
    if attribution == Attribution::Corporate {
        for (i, (o_kind, o_name)) in owners.iter().enumerate() {
            if *o_kind == Some(PartyKind::NaturalPerson) {
                out.push(UnfitParty {
                    role: PartyRole::Owner,
                    index: i,
                    name: o_name.trim().to_string(),
                    code: "owner_must_be_organisation".into(),
                    message: format!("法人作品的著作权人是组织，请删除著作权人“{}”", o_name.trim()),
                });
            }
        }
    }
    if !attribution.has_writer() {
        if let Some(w) = writer {
            out.push(UnfitParty {
                role: PartyRole::Writer,
                index: 0,
                name: w.trim().to_string(),
                code: "writer_not_applicable".into(),
                message: format!("只有法人作品填写执笔者，请删除执笔者“{}”", w.trim()),
            });
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
pub(crate) mod tests {
    use super::*;
    use crate::party::tests::{d, org, person, person_id};
    use crate::party::{AttachmentKind, SignedAs};
    use chrono::Datelike;
    use proptest::prelude::*;

    pub(crate) fn author(name: &str, kind: PartyKind) -> Author {
        Author {
            kind,
            name: name.into(),
            signed_as: SignedAs::RealName,
            signed_name: None,
        }
    }

    pub(crate) fn writer(name: &str) -> Writer {
        Writer {
            name: name.into(),
            id: person_id("330106198501011234", d(1985, 1, 1), "330106"),
            guardian: None,
            attachments: vec![AttachmentKind::IdentityProof],
        }
    }

    pub(crate) fn pd(y: i32, m: Option<u32>, day: Option<u32>) -> PartialDate {
        PartialDate { year: y, month: m, day }
    }

    pub(crate) fn filing() -> Filing {
        Filing {
            work: WorkInfo {
                title: "西湖春晓".into(),
                category: WorkCategory::FineArt,
                nature: CreationNature::Original,
                nature_note: None,
                completed_on: pd(2025, Some(6), None),
                completed_place: "浙江杭州".into(),
                publication: PublicationStatus::Unpublished,
                first_published_on: None,
                first_published_place: None,
                attribution: Attribution::Individual,
                acquisition: Acquisition::Original,
                ownership: Ownership::Full,
                rights: vec![],
                other_rights_note: None,
            },
            owners: vec![person("张三")],
            authors: vec![author("张三", PartyKind::NaturalPerson)],
            writer: None,
        }
    }

    pub(crate) fn ctx() -> PartyContext {
        PartyContext {
            filing_date: d(2026, 3, 10),
            home_province_code: "33".into(),
        }
    }

    fn problems(f: &Filing) -> Vec<(String, String)> {
        validate_filing(f, &ctx())
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn partial_dates() {
        type Row = (PartialDate, Result<(), &'static str>, Option<(NaiveDate, NaiveDate)>);
        let cases: [Row; 9] = [
            (pd(2024, None, None), Ok(()), Some((d(2024, 1, 1), d(2024, 12, 31)))),
            (pd(2024, Some(2), None), Ok(()), Some((d(2024, 2, 1), d(2024, 2, 29)))),
            (pd(2023, Some(2), None), Ok(()), Some((d(2023, 2, 1), d(2023, 2, 28)))),
            (
                pd(2024, Some(12), None),
                Ok(()),
                Some((d(2024, 12, 1), d(2024, 12, 31))),
            ),
            (
                pd(2024, Some(2), Some(29)),
                Ok(()),
                Some((d(2024, 2, 29), d(2024, 2, 29))),
            ),
            (pd(2023, Some(2), Some(29)), Err("day_range"), None),
            (pd(2023, None, Some(5)), Err("day_without_month"), None),
            (pd(2023, Some(13), None), Err("month_range"), None),
            (pd(999, None, None), Err("year_range"), None),
        ];
        for (p, ok, range) in cases {
            assert_eq!(p.validate().map_err(|e| e.code()), ok, "{p:?}");
            assert_eq!(p.earliest().zip(p.latest()), range, "{p:?}");
        }
        assert_eq!(pd(2024, Some(3), Some(5)).to_string(), "2024年3月5日");
        assert_eq!(pd(2024, None, None).to_string(), "2024年");
    }

    #[test]
    fn partial_date_comparison() {
        let cases = [
            (pd(2024, None, None), pd(2025, None, None), Some(Ordering::Less)),
            (pd(2024, None, None), pd(2024, Some(6), None), None),
            (
                pd(2024, Some(5), None),
                pd(2024, Some(6), Some(1)),
                Some(Ordering::Less),
            ),
            (pd(2024, Some(6), Some(2)), pd(2024, Some(6), None), None),
            (
                pd(2024, Some(6), Some(2)),
                pd(2024, Some(6), Some(2)),
                Some(Ordering::Equal),
            ),
            (
                pd(2024, Some(7), None),
                pd(2024, Some(6), Some(30)),
                Some(Ordering::Greater),
            ),
        ];
        for (a, b, want) in cases {
            assert_eq!(a.certainly_cmp(&b), want, "{a} vs {b}");
        }
    }

    proptest! {
        #[test]
        fn partial_date_bounds_hold(y in 1000i32..=9999, m in proptest::option::of(0u32..=13), dd in proptest::option::of(0u32..=32)) {
            let p = pd(y, m, dd);
            match p.validate() {
                Ok(()) => {
                    let (a, b) = (p.earliest().unwrap(), p.latest().unwrap());
                    prop_assert!(a <= b);
                    let single = if a == b { Some(Ordering::Equal) } else { None };
                    prop_assert_eq!(PartialDate::full(a).certainly_cmp(&p), single);
                    prop_assert_eq!(p.certainly_cmp(&p), single);
                    if let Some(next) = b.succ_opt().filter(|x| x.year() <= 9999) {
                        prop_assert_eq!(PartialDate::full(next).certainly_cmp(&p), Some(Ordering::Greater));
                    }
                    if let Some(prev) = a.pred_opt().filter(|x| x.year() >= 1000) {
                        prop_assert_eq!(PartialDate::full(prev).certainly_cmp(&p), Some(Ordering::Less));
                    }
                }
                Err(_) => {
                    prop_assert!(p.earliest().is_none() && p.latest().is_none());
                }
            }
        }
    }

    #[test]
    fn a_good_filing_passes() {
        assert_eq!(problems(&filing()), vec![]);
    }

    #[test]
    fn work_rules() {
        type Edit = fn(&mut Filing);
        type Row = (&'static str, Edit, Vec<(&'static str, &'static str)>);
        let table: Vec<Row> = vec![
            (
                "blank title",
                |f| f.work.title = "  ".into(),
                vec![("work.title", "required")],
            ),
            (
                "adaptation without note",
                |f| f.work.nature = CreationNature::Adaptation,
                vec![("work.nature_note", "required")],
            ),
            (
                "adaptation with note",
                |f| {
                    f.work.nature = CreationNature::Translation;
                    f.work.nature_note = Some("译自英文原著".into());
                },
                vec![],
            ),
            (
                "completed in the future",
                |f| f.work.completed_on = pd(2026, Some(3), Some(11)),
                vec![("work.completed_on", "in_future")],
            ),
            (
                "completed this month",
                |f| f.work.completed_on = pd(2026, Some(3), None),
                vec![],
            ),
            (
                "bad completion date",
                |f| f.work.completed_on = pd(2025, Some(2), Some(30)),
                vec![("work.completed_on", "day_range")],
            ),
            (
                "published without date and place",
                |f| f.work.publication = PublicationStatus::Published,
                vec![
                    ("work.first_published_on", "required"),
                    ("work.first_published_place", "required"),
                ],
            ),
            (
                "published before completion",
                |f| {
                    f.work.publication = PublicationStatus::Published;
                    f.work.first_published_on = Some(pd(2025, Some(5), Some(31)));
                    f.work.first_published_place = Some("杭州".into());
                },
                vec![("work.first_published_on", "before_completion")],
            ),
            (
                "published in the month of completion",
                |f| {
                    f.work.publication = PublicationStatus::Published;
                    f.work.first_published_on = Some(pd(2025, Some(6), Some(1)));
                    f.work.first_published_place = Some("杭州".into());
                },
                vec![],
            ),
            (
                "published in the year of completion, month unknown",
                |f| {
                    f.work.publication = PublicationStatus::Published;
                    f.work.first_published_on = Some(pd(2025, None, None));
                    f.work.first_published_place = Some("杭州".into());
                },
                vec![],
            ),
            (
                "published in the future",
                |f| {
                    f.work.publication = PublicationStatus::Published;
                    f.work.first_published_on = Some(pd(2026, Some(4), None));
                    f.work.first_published_place = Some("杭州".into());
                },
                vec![("work.first_published_on", "in_future")],
            ),
            (
                "unpublished with a date",
                |f| f.work.first_published_on = Some(pd(2025, None, None)),
                vec![("work.first_published_on", "not_published")],
            ),
            (
                "partial without rights",
                |f| f.work.ownership = Ownership::Partial,
                vec![("work.rights", "required")],
            ),
            (
                "partial with rights",
                |f| {
                    f.work.ownership = Ownership::Partial;
                    f.work.rights = vec![Right::Reproduction, Right::Distribution];
                },
                vec![],
            ),
            (
                "partial with a duplicate and other without note",
                |f| {
                    f.work.ownership = Ownership::Partial;
                    f.work.rights = vec![Right::Reproduction, Right::Other, Right::Reproduction];
                },
                vec![("work.rights[2]", "duplicate"), ("work.other_rights_note", "required")],
            ),
            (
                "full with rights",
                |f| f.work.rights = vec![Right::Reproduction],
                vec![("work.rights", "rights_with_full")],
            ),
        ];
        for (what, edit, want) in table {
            let mut f = filing();
            edit(&mut f);
            let want: Vec<(String, String)> = want.into_iter().map(|(a, b)| (a.into(), b.into())).collect();
            assert_eq!(problems(&f), want, "{what}");
        }
    }

    #[test]
    fn attribution_rules() {
        type Edit = fn(&mut Filing);
        type Row = (&'static str, Edit, Vec<(&'static str, &'static str)>);
        let table: Vec<Row> = vec![
            (
                "individual with two authors",
                |f| f.authors.push(author("李四", PartyKind::NaturalPerson)),
                vec![("authors", "one_author")],
            ),
            (
                "joint with one author",
                |f| f.work.attribution = Attribution::Joint,
                vec![("authors", "two_authors")],
            ),
            (
                "joint with two authors",
                |f| {
                    f.work.attribution = Attribution::Joint;
                    f.authors.push(author("李四", PartyKind::NaturalPerson));
                    f.owners.push(person("李四"));
                },
                vec![],
            ),
            (
                "employment with an organisation author",
                |f| {
                    f.work.attribution = Attribution::Employment;
                    f.authors.push(author("某某公司", PartyKind::Organisation));
                },
                vec![("authors[1]", "author_must_be_person")],
            ),
            (
                "corporate, all right",
                |f| {
                    f.work.attribution = Attribution::Corporate;
                    f.owners = vec![org("某某文化有限公司")];
                    f.authors = vec![author("某某文化有限公司", PartyKind::Organisation)];
                    f.writer = Some(writer("王五"));
                },
                vec![],
            ),
            (
                "corporate without writer, with a person",
                |f| f.work.attribution = Attribution::Corporate,
                vec![
                    ("authors[0]", "author_must_be_organisation"),
                    ("owners[0]", "owner_must_be_organisation"),
                    ("writer", "required"),
                ],
            ),
            (
                "corporate, author is not the owner, writer without id",
                |f| {
                    f.work.attribution = Attribution::Corporate;
                    f.owners = vec![org("某某文化有限公司")];
                    f.authors = vec![author("另一家公司", PartyKind::Organisation)];
                    let mut w = writer("王五");
                    w.id.number = "".into();
                    f.writer = Some(w);
                },
                vec![
                    ("authors[0].name", "author_not_owner"),
                    ("writer.id_number", "required"),
                ],
            ),
            (
                "writer on a commissioned work",
                |f| {
                    f.work.attribution = Attribution::Commissioned;
                    f.writer = Some(writer("王五"));
                },
                vec![("writer", "writer_not_applicable")],
            ),
            (
                "no parties, with a bad second owner",
                |f| {
                    f.authors.clear();
                    let mut o = person("李四");
                    o.id.number = "33010 6".into();
                    f.owners.push(o);
                },
                vec![("owners[1].id_number", "inner_space"), ("authors", "required")],
            ),
        ];
        for (what, edit, want) in table {
            let mut f = filing();
            edit(&mut f);
            let want: Vec<(String, String)> = want.into_iter().map(|(a, b)| (a.into(), b.into())).collect();
            assert_eq!(problems(&f), want, "{what}");
        }
    }

    #[test]
    fn changing_the_attribution_lists_unfit_parties() {
        let mut f = filing();
        f.owners.push(org("某某文化有限公司"));
        f.authors.push(author("某某文化有限公司", PartyKind::Organisation));
        f.writer = Some(writer("王五"));
        let list = |a| -> Vec<(PartyRole, usize, String)> {
            parties_not_fitting(&f, a)
                .into_iter()
                .map(|p| (p.role, p.index, p.code))
                .collect()
        };
        let s = |x: &str| x.to_string();
        let table = [
            (
                Attribution::Individual,
                vec![
                    (PartyRole::Author, 1, s("author_must_be_person")),
                    (PartyRole::Writer, 0, s("writer_not_applicable")),
                ],
            ),
            (
                Attribution::Employment,
                vec![
                    (PartyRole::Author, 1, s("author_must_be_person")),
                    (PartyRole::Writer, 0, s("writer_not_applicable")),
                ],
            ),
            (
                Attribution::Corporate,
                vec![
                    (PartyRole::Author, 0, s("author_must_be_organisation")),
                    (PartyRole::Owner, 0, s("owner_must_be_organisation")),
                ],
            ),
            (
                Attribution::Joint,
                vec![(PartyRole::Writer, 0, s("writer_not_applicable"))],
            ),
            (
                Attribution::Commissioned,
                vec![(PartyRole::Writer, 0, s("writer_not_applicable"))],
            ),
            (
                Attribution::Other,
                vec![(PartyRole::Writer, 0, s("writer_not_applicable"))],
            ),
        ];
        assert_eq!(table.len(), Attribution::ALL.len());
        for (a, want) in table {
            assert_eq!(list(a), want, "{a:?}");
        }
        let msg = &parties_not_fitting(&f, Attribution::Corporate)[1];
        assert_eq!(msg.message, "法人作品的著作权人是组织，请删除著作权人“张三”");
        assert_eq!(msg.field(), "owners[0]");
    }

    #[test]
    fn labels() {
        let rights: Vec<&str> = Right::ALL.iter().map(|r| r.label()).collect();
        assert_eq!(
            rights.join(" "),
            "发表权 署名权 修改权 保护作品完整权 复制权 发行权 出租权 展览权 表演权 放映权 广播权 信息网络传播权 摄制权 改编权 翻译权 汇编权 其他"
        );
        let natures: Vec<&str> = CreationNature::ALL.iter().map(|n| n.label()).collect();
        assert_eq!(natures.join(" "), "原创 改编 翻译 汇编 注释 整理 其他");
        assert_eq!(
            serde_json::to_string(&Right::NetworkDissemination).unwrap(),
            "\"network_dissemination\""
        );
        assert_eq!(serde_json::to_string(&Attribution::Corporate).unwrap(), "\"corporate\"");
    }
}
