//! Refusals and warnings of the identity-document checks (证件号码校验).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::DocumentType;
use crate::error::FieldError;

/// 证件号码不合规：稳定的机器代码 + 指明改法的中文提示。
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// 未填写号码。
    #[error("请填写{}", .doc.number_label())]
    Empty { doc: DocumentType },
    /// 号码中间有空白。
    #[error("{}第 {position} 位是空格，号码中间不能有空格，请删去", .doc.number_label())]
    InnerSpace { doc: DocumentType, position: usize },
    /// 位数不对。
    #[error("{}应为 {expected} 位，现在是 {actual} 位", .doc.number_label())]
    Length {
        doc: DocumentType,
        expected: &'static str,
        actual: usize,
    },
    /// 超过最大长度（护照等自由格式号码）。
    #[error("{}最多 {max} 个字符，现在是 {actual} 个", .doc.number_label())]
    TooLong {
        doc: DocumentType,
        max: usize,
        actual: usize,
    },
    /// 某一位字符不允许。
    #[error("{}第 {position} 位“{found}”不对，此处应为{expected}{}", .doc.number_label(), full_width_hint(*.found))]
    Character {
        doc: DocumentType,
        position: usize,
        found: char,
        expected: &'static str,
    },
    /// 首位（证件种类标识）不对。
    #[error("{}第 1 位应为{expected}，现在是“{found}”", .doc.number_label())]
    Prefix {
        doc: DocumentType,
        found: char,
        expected: &'static str,
    },
    /// 校验码不符。
    #[error("{}第 {position} 位校验码应为 {expected}，请核对", .doc.number_label())]
    Checksum {
        doc: DocumentType,
        position: usize,
        expected: char,
        found: char,
    },
    /// 出生日期不存在。
    #[error("{}中的出生日期 {text} 不存在", .doc.number_label())]
    Date { doc: DocumentType, text: String },
    /// 出生日期晚于今天。
    #[error("{}中的出生日期 {date} 晚于今天，请核对", .doc.number_label())]
    FutureDate { doc: DocumentType, date: NaiveDate },
    /// 前两位不是省级行政区代码。
    #[error("{}前两位 {code} 不是有效的省级行政区代码，请核对", .doc.number_label())]
    Province { doc: DocumentType, code: String },
    /// 港澳台居民居住证的地区码不是 810000/820000/830000。
    #[error("{}前 6 位应为 810000（香港）、820000（澳门）或 830000（台湾），现在是 {code}", .doc.number_label())]
    Region { doc: DocumentType, code: String },
    /// 号码属于另一种证件。
    #[error("{}以 {prefix} 开头，是{}号码，请把证件类型改为“{}”", .doc.number_label(), .suggested.label(), .suggested.label())]
    WrongType {
        doc: DocumentType,
        prefix: String,
        suggested: DocumentType,
    },
}

fn full_width_hint(c: char) -> &'static str {
    if ('\u{FF01}'..='\u{FF5E}').contains(&c) {
        "（请改用半角字符）"
    } else {
        ""
    }
}

impl IdError {
    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            IdError::Empty { .. } => "required",
            IdError::InnerSpace { .. } => "inner_space",
            IdError::Length { .. } => "length",
            IdError::TooLong { .. } => "too_long",
            IdError::Character { .. } => "character",
            IdError::Prefix { .. } => "prefix",
            IdError::Checksum { .. } => "checksum",
            IdError::Date { .. } => "date",
            IdError::FutureDate { .. } => "future_date",
            IdError::Province { .. } => "province",
            IdError::Region { .. } => "region",
            IdError::WrongType { .. } => "wrong_type",
        }
    }

    /// The document type whose rules refused the number.
    pub fn doc_type(&self) -> DocumentType {
        match self {
            IdError::Empty { doc }
            | IdError::InnerSpace { doc, .. }
            | IdError::Length { doc, .. }
            | IdError::TooLong { doc, .. }
            | IdError::Character { doc, .. }
            | IdError::Prefix { doc, .. }
            | IdError::Checksum { doc, .. }
            | IdError::Date { doc, .. }
            | IdError::FutureDate { doc, .. }
            | IdError::Province { doc, .. }
            | IdError::Region { doc, .. }
            | IdError::WrongType { doc, .. } => *doc,
        }
    }

    /// As a form-field error (`field` is the form's field name, e.g. `id_number`).
    pub fn to_field_error(&self, field: &str) -> FieldError {
        FieldError::new(field, self.code(), self.to_string())
    }
}

/// 提醒（不拒绝）：例如行政区划表中查不到的地区代码。窗口人员看到后核对原件即可。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IdWarning {
    /// Stable machine code (`region_unknown`, ...).
    pub code: String,
    /// Plain Chinese for the clerk.
    pub message: String,
}

impl IdWarning {
    pub(crate) fn new(code: &str, message: String) -> Self {
        Self {
            code: code.to_string(),
            message,
        }
    }
}
