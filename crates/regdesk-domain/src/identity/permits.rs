//! Format-only numbers: 港澳居民来往内地通行证, 台湾居民来往大陆通行证, 外国人永久居留身份证 (old and new),
//! 护照 and 其他证件.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::gb11643::{parse_foreign_new, PersonalIdNumber};
use super::{normalize, DocumentType, IdError};

/// 签发地：香港或澳门。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum HkMacao {
    /// 香港 (H)
    HongKong,
    /// 澳门 (M)
    Macao,
}

impl HkMacao {
    pub fn label(self) -> &'static str {
        match self {
            HkMacao::HongKong => "香港",
            HkMacao::Macao => "澳门",
        }
    }
}

/// 港澳居民来往内地通行证号（已校验）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HkMacaoPermit {
    /// 规范化后的号码（首字母大写）
    pub number: String,
    pub issuer: HkMacao,
}

fn digits_from(doc: DocumentType, chars: &[char], start: usize) -> Result<(), IdError> {
    for (i, &c) in chars.iter().enumerate().skip(start) {
        if !c.is_ascii_digit() {
            return Err(IdError::Character {
                doc,
                position: i + 1,
                found: c,
                expected: "数字",
            });
        }
    }
    Ok(())
}

/// 港澳居民来往内地通行证: H (香港) or M (澳门) followed by 8 or 10 digits.
pub fn parse_hk_macao_permit(input: &str) -> Result<HkMacaoPermit, IdError> {
    let doc = DocumentType::HkMacaoPermit;
    let v = normalize(doc, input, true)?;
    let chars: Vec<char> = v.chars().collect();
    let issuer = match chars[0] {
        'H' => HkMacao::HongKong,
        'M' => HkMacao::Macao,
        found => {
            return Err(IdError::Prefix {
                doc,
                found,
                expected: " H（香港）或 M（澳门）",
            })
        }
    };
    if chars.len() != 9 && chars.len() != 11 {
        return Err(IdError::Length {
            doc,
            expected: "9 或 11",
            actual: chars.len(),
        });
    }
    digits_from(doc, &chars, 1)?;
    Ok(HkMacaoPermit { number: v, issuer })
}

/// 台湾居民来往大陆通行证: 8 digits (10 on old cards). Returns the normalised number.
pub fn parse_taiwan_permit(input: &str) -> Result<String, IdError> {
    let doc = DocumentType::TaiwanPermit;
    let v = normalize(doc, input, true)?;
    let chars: Vec<char> = v.chars().collect();
    if chars.len() != 8 && chars.len() != 10 {
        return Err(IdError::Length {
            doc,
            expected: "8 或 10",
            actual: chars.len(),
        });
    }
    digits_from(doc, &chars, 0)?;
    Ok(v)
}

/// 外国人永久居留身份证号（已校验）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ForeignPermanentId {
    /// 新版：18 位，首位 9，校验同居民身份证
    New(PersonalIdNumber),
    /// 旧版：3 位国籍字母 + 12 位数字
    Old { number: String, country_letters: String },
}

impl ForeignPermanentId {
    pub fn number(&self) -> &str {
        match self {
            ForeignPermanentId::New(p) => &p.number,
            ForeignPermanentId::Old { number, .. } => number,
        }
    }
}

/// 外国人永久居留身份证: new (18 characters, first '9', GB 11643 check, birth date at 7–14) or old
/// (3 letters + 12 digits, format only).
pub fn parse_foreign_permanent_id(input: &str, today: NaiveDate) -> Result<ForeignPermanentId, IdError> {
    let doc = DocumentType::ForeignPermanentId;
    let v = normalize(doc, input, true)?;
    let chars: Vec<char> = v.chars().collect();
    if chars[0].is_ascii_alphabetic() {
        if chars.len() != 15 {
            return Err(IdError::Length {
                doc,
                expected: "15",
                actual: chars.len(),
            });
        }
        for (i, &c) in chars.iter().enumerate().take(3) {
            if !c.is_ascii_uppercase() {
                return Err(IdError::Character {
                    doc,
                    position: i + 1,
                    found: c,
                    expected: "字母（旧版前 3 位是国籍代码）",
                });
            }
        }
        digits_from(doc, &chars, 3)?;
        return Ok(ForeignPermanentId::Old {
            country_letters: v[0..3].to_string(),
            number: v,
        });
    }
    if chars.len() != 18 {
        return Err(IdError::Length {
            doc,
            expected: "18（旧版为 15）",
            actual: chars.len(),
        });
    }
    parse_foreign_new(&v, today).map(ForeignPermanentId::New)
}

/// Longest free-text number (护照、其他证件).
pub const FREE_NUMBER_MAX_CHARS: usize = 40;

fn free_text(doc: DocumentType, input: &str) -> Result<String, IdError> {
    let v = normalize(doc, input, false)?;
    let n = v.chars().count();
    if n > FREE_NUMBER_MAX_CHARS {
        return Err(IdError::TooLong {
            doc,
            max: FREE_NUMBER_MAX_CHARS,
            actual: n,
        });
    }
    Ok(v)
}

/// 护照号: non-empty, at most 40 characters, no inner white space. Kept as typed.
pub fn parse_passport(input: &str) -> Result<String, IdError> {
    free_text(DocumentType::Passport, input)
}

/// 其他证件号码: non-empty, at most 40 characters, no inner white space. Kept as typed.
pub fn parse_other(input: &str) -> Result<String, IdError> {
    free_text(DocumentType::Other, input)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::identity::gb11643_check_char;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 15).unwrap()
    }

    #[test]
    fn hk_macao() {
        type Want = Result<(&'static str, HkMacao), &'static str>;
        let cases: Vec<(&str, Want)> = vec![
            ("H12345678", Ok(("H12345678", HkMacao::HongKong))),
            (" m1234567890 ", Ok(("M1234567890", HkMacao::Macao))),
            ("H1234567", Err("length")),
            ("H123456789", Err("length")),
            ("H123456789012", Err("length")),
            ("K12345678", Err("prefix")),
            ("12345678", Err("prefix")),
            ("H1234567A", Err("character")),
            ("H1234 5678", Err("inner_space")),
            ("", Err("required")),
        ];
        for (input, want) in cases {
            match (parse_hk_macao_permit(input), want) {
                (Ok(p), Ok((n, issuer))) => assert_eq!((p.number.as_str(), p.issuer), (n, issuer)),
                (Err(e), Err(code)) => assert_eq!(e.code(), code, "{input}: {e}"),
                (got, want) => panic!("{input}: got {got:?}, want {want:?}"),
            }
        }
        assert_eq!(
            parse_hk_macao_permit("K12345678").unwrap_err().to_string(),
            "港澳居民来往内地通行证号第 1 位应为 H（香港）或 M（澳门），现在是“K”"
        );
        assert_eq!(
            parse_hk_macao_permit("H1234567").unwrap_err().to_string(),
            "港澳居民来往内地通行证号应为 9 或 11 位，现在是 8 位"
        );
    }

    #[test]
    fn taiwan() {
        let cases: Vec<(&str, Result<&str, &str>)> = vec![
            ("12345678", Ok("12345678")),
            ("1234567890", Ok("1234567890")),
            ("1234567", Err("length")),
            ("123456789", Err("length")),
            ("1234567A", Err("character")),
            ("1234 5678", Err("inner_space")),
        ];
        for (input, want) in cases {
            match (parse_taiwan_permit(input), want) {
                (Ok(n), Ok(w)) => assert_eq!(n, w),
                (Err(e), Err(code)) => assert_eq!(e.code(), code, "{input}: {e}"),
                (got, want) => panic!("{input}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn foreign() {
        let body = "93384019850615001";
        let new = format!("{body}{}", gb11643_check_char(body).unwrap());
        match parse_foreign_permanent_id(&new, today()).unwrap() {
            ForeignPermanentId::New(p) => assert_eq!(p.number, new),
            other => panic!("{other:?}"),
        }
        match parse_foreign_permanent_id(" usa330012345678 ", today()).unwrap() {
            ForeignPermanentId::Old {
                number,
                country_letters,
            } => {
                assert_eq!(number, "USA330012345678");
                assert_eq!(country_letters, "USA");
            }
            other => panic!("{other:?}"),
        }
        for (input, code) in [
            ("USA33001234567", "length"),
            ("US1330012345678", "character"),
            ("USA33001234567A", "character"),
            ("93384019850615001", "length"),
            ("13384019850615001X", "prefix"),
            ("", "required"),
        ] {
            assert_eq!(
                parse_foreign_permanent_id(input, today()).unwrap_err().code(),
                code,
                "{input}"
            );
        }
        let mut bad = new.clone();
        let last = bad.pop().unwrap();
        bad.push(if last == '1' { '2' } else { '1' });
        assert_eq!(
            parse_foreign_permanent_id(&bad, today()).unwrap_err().code(),
            "checksum"
        );
    }

    #[test]
    fn free_text_numbers() {
        let forty = "E".repeat(40);
        let forty_one = "护".repeat(41);
        let cases: Vec<(&str, Result<&str, &str>)> = vec![
            ("E12345678", Ok("E12345678")),
            ("  e12345678\t", Ok("e12345678")),
            (&forty, Ok(&forty)),
            (&forty_one, Err("too_long")),
            ("E1234 5678", Err("inner_space")),
            ("  ", Err("required")),
        ];
        for (input, want) in cases {
            for parse in [parse_passport, parse_other] {
                match (parse(input), want) {
                    (Ok(n), Ok(w)) => assert_eq!(n, w),
                    (Err(e), Err(code)) => assert_eq!(e.code(), code, "{input}: {e}"),
                    (got, want) => panic!("{input}: got {got:?}, want {want:?}"),
                }
            }
        }
        assert_eq!(
            parse_passport(&forty_one).unwrap_err().to_string(),
            "护照号最多 40 个字符，现在是 41 个"
        );
    }
}
