//! The office (登记机构) and its first-start setup.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{required_text, FieldError};

/// 省级行政区（登记机构所在省份）：GB/T 2260 two-digit code and name.
/// Hong Kong, Macao and Taiwan are absent: their works go to the national centre.
pub const PROVINCES: [(&str, &str); 31] = [
    ("11", "北京市"),
    ("12", "天津市"),
    ("13", "河北省"),
    ("14", "山西省"),
    ("15", "内蒙古自治区"),
    ("21", "辽宁省"),
    ("22", "吉林省"),
    ("23", "黑龙江省"),
    ("31", "上海市"),
    ("32", "江苏省"),
    ("33", "浙江省"),
    ("34", "安徽省"),
    ("35", "福建省"),
    ("36", "江西省"),
    ("37", "山东省"),
    ("41", "河南省"),
    ("42", "湖北省"),
    ("43", "湖南省"),
    ("44", "广东省"),
    ("45", "广西壮族自治区"),
    ("46", "海南省"),
    ("50", "重庆市"),
    ("51", "四川省"),
    ("52", "贵州省"),
    ("53", "云南省"),
    ("54", "西藏自治区"),
    ("61", "陕西省"),
    ("62", "甘肃省"),
    ("63", "青海省"),
    ("64", "宁夏回族自治区"),
    ("65", "新疆维吾尔自治区"),
];

/// The name of a province by its two-digit code.
pub fn province_name(code: &str) -> Option<&'static str> {
    PROVINCES.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

/// 首次启动时填写的登记机构信息（未校验）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OfficeInput {
    /// 机构名称，如 浙江省版权局
    pub name: String,
    /// 机构代码（用于流水号），2–8 位大写字母或数字，如 ZJ
    pub office_code: String,
    /// 登记号前缀，如 浙作登字
    pub reg_prefix: String,
    /// 所在省份的两位代码，如 33
    pub province_code: String,
}

/// 登记机构（已校验）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Office {
    pub name: String,
    pub office_code: String,
    pub reg_prefix: String,
    pub province_code: String,
    pub province_name: String,
}

impl OfficeInput {
    /// Validates every field; returns all problems at once so the form can show each under its field.
    pub fn validate(&self) -> Result<Office, Vec<FieldError>> {
        let mut errs = Vec::new();
        let name = required_text("name", "机构名称", &self.name, 60)
            .map_err(|e| errs.push(e))
            .ok();
        let office_code = parse_office_code("office_code", &self.office_code)
            .map_err(|e| errs.push(e))
            .ok();
        let reg_prefix = match required_text("reg_prefix", "登记号前缀", &self.reg_prefix, 10) {
            Ok(p) if p.contains('-') || p.chars().any(char::is_whitespace) => {
                errs.push(FieldError::new(
                    "reg_prefix",
                    "character",
                    "登记号前缀不能含连字符“-”或空格（如 浙作登字）",
                ));
                None
            }
            Ok(p) => Some(p),
            Err(e) => {
                errs.push(e);
                None
            }
        };
        let pc = self.province_code.trim();
        let province = province_name(pc);
        if province.is_none() {
            errs.push(FieldError::new("province_code", "unknown", "请从列表中选择所在省份"));
        }
        match (name, office_code, reg_prefix, province) {
            (Some(name), Some(office_code), Some(reg_prefix), Some(pn)) if errs.is_empty() => Ok(Office {
                name,
                office_code,
                reg_prefix,
                province_code: pc.to_string(),
                province_name: pn.to_string(),
            }),
            _ => Err(errs),
        }
    }
}

/// 机构代码: 2–8 capital letters or digits (ZJ, ZJHZ01); typed lowercase is accepted.
pub fn parse_office_code(field: &str, typed: &str) -> Result<String, FieldError> {
    let code = typed.trim().to_uppercase();
    if code.is_empty() {
        return Err(FieldError::new(field, "required", "请填写机构代码（如 ZJ）"));
    }
    if !(2..=8).contains(&code.chars().count()) || !code.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) {
        return Err(FieldError::new(
            field,
            "format",
            "机构代码应为 2–8 位大写字母或数字（如 ZJ、ZJHZ01）",
        ));
    }
    Ok(code)
}

/// 下级机构（机构树的一个节点），其案件由同步送达，主管可查看。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SubordinateOfficeInput {
    pub code: String,
    pub name: String,
    /// 上级机构代码：本机构或已有的下级机构
    pub parent_code: String,
}

impl SubordinateOfficeInput {
    /// The code and name as stored; whether the parent exists is the store's to check.
    pub fn validate(&self) -> Result<(String, String, String), Vec<FieldError>> {
        let mut errs = Vec::new();
        let code = parse_office_code("code", &self.code).map_err(|e| errs.push(e)).ok();
        let name = required_text("name", "机构名称", &self.name, 60)
            .map_err(|e| errs.push(e))
            .ok();
        let parent = parse_office_code("parent_code", &self.parent_code)
            .map_err(|e| errs.push(e))
            .ok();
        match (code, name, parent) {
            (Some(c), Some(n), Some(p)) if errs.is_empty() => {
                if c == p {
                    return Err(vec![FieldError::new("parent_code", "self", "上级机构不能是它自己")]);
                }
                Ok((c, n, p))
            }
            _ => Err(errs),
        }
    }
}

/// 案件移交：an administrator moves a case to another office of the office
/// tree, with the reason (DOMAIN §2.1). Whether the office exists and the
/// case may be moved from where it is is the store's to check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TransferCaseInput {
    pub case_id: String,
    #[ts(type = "number")]
    pub version: i64,
    /// 移交到的机构代码：本机构或机构树中的下级机构
    pub office_code: String,
    /// 移交原因
    pub reason: String,
}

impl TransferCaseInput {
    /// The office code and the reason as stored.
    pub fn validate(&self) -> Result<(String, String), Vec<FieldError>> {
        let mut errs = Vec::new();
        let code = parse_office_code("office_code", &self.office_code)
            .map_err(|e| errs.push(e))
            .ok();
        let reason = required_text("reason", "移交原因", &self.reason, 200)
            .map_err(|e| errs.push(e))
            .ok();
        match (code, reason) {
            (Some(c), Some(r)) if errs.is_empty() => Ok((c, r)),
            _ => Err(errs),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_transfer_names_an_office_and_a_reason() {
        let ok = TransferCaseInput {
            case_id: "c1".into(),
            version: 3,
            office_code: " zjnb ".into(),
            reason: " 申请人迁居宁波 ".into(),
        };
        assert_eq!(
            ok.validate().unwrap(),
            ("ZJNB".to_string(), "申请人迁居宁波".to_string())
        );
        let bad = TransferCaseInput {
            office_code: "".into(),
            reason: "  ".into(),
            ..ok
        };
        let fields: Vec<String> = bad.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["office_code", "reason"]);
    }

    #[test]
    fn subordinate_offices_have_a_code_a_name_and_another_parent() {
        let ok = SubordinateOfficeInput {
            code: "zjhz".into(),
            name: "杭州市版权局".into(),
            parent_code: "ZJ".into(),
        };
        assert_eq!(
            ok.validate().unwrap(),
            ("ZJHZ".into(), "杭州市版权局".into(), "ZJ".into())
        );
        let bad = SubordinateOfficeInput {
            code: "杭州".into(),
            name: " ".into(),
            parent_code: "ZJ".into(),
        };
        let fields: Vec<String> = bad.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["code", "name"]);
        let own = SubordinateOfficeInput {
            code: "ZJ".into(),
            name: "浙江".into(),
            parent_code: "zj".into(),
        };
        assert_eq!(own.validate().unwrap_err()[0].code, "self");
    }

    fn input() -> OfficeInput {
        OfficeInput {
            name: " 浙江省版权局 ".into(),
            office_code: "zj".into(),
            reg_prefix: "浙作登字".into(),
            province_code: "33".into(),
        }
    }

    #[test]
    fn a_good_office_is_normalised() {
        let o = input().validate();
        assert_eq!(
            o,
            Ok(Office {
                name: "浙江省版权局".into(),
                office_code: "ZJ".into(),
                reg_prefix: "浙作登字".into(),
                province_code: "33".into(),
                province_name: "浙江省".into(),
            })
        );
    }

    #[test]
    fn every_bad_field_is_named() {
        type Case = (fn(&mut OfficeInput), &'static str, &'static str);
        let table: &[Case] = &[
            (|i| i.name = "  ".into(), "name", "required"),
            (|i| i.office_code = "".into(), "office_code", "required"),
            (|i| i.office_code = "Z".into(), "office_code", "format"),
            (|i| i.office_code = "浙江".into(), "office_code", "format"),
            (|i| i.reg_prefix = "浙作-登".into(), "reg_prefix", "character"),
            (|i| i.reg_prefix = "".into(), "reg_prefix", "required"),
            (|i| i.province_code = "81".into(), "province_code", "unknown"),
        ];
        for (mutate, field, code) in table {
            let mut i = input();
            mutate(&mut i);
            let errs = i.validate().err().unwrap_or_default();
            assert_eq!(errs.len(), 1, "{field}");
            assert_eq!((errs[0].field.as_str(), errs[0].code.as_str()), (*field, *code));
        }
    }

    #[test]
    fn all_problems_at_once() {
        let i = OfficeInput {
            name: "".into(),
            office_code: "".into(),
            reg_prefix: "".into(),
            province_code: "".into(),
        };
        assert_eq!(i.validate().err().map(|e| e.len()), Some(4));
    }
}
