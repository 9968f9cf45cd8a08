//! 公民身份号码 (GB 11643) and the numbers built the same way: 居民身份证, 港澳台居民居住证, and the
//! new 外国人永久居留身份证 (first digit 9).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::region::{self, Region};
use super::{normalize, DocumentType, IdError, IdWarning, Sex};

/// Weights of positions 1..17 (2^(18-i) mod 11).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character indexed by (weighted sum mod 11).
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The GB 11643 (MOD 11-2) check character of the first 17 digits; `None` unless `body` is 17 ASCII digits.
pub fn gb11643_check_char(body: &str) -> Option<char> {
    let b = body.as_bytes();
    if b.len() != 17 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = b.iter().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    CHECK.get((sum % 11) as usize).copied()
}

/// Whether 18 bytes (17 digits + check) carry the right check character.
pub(crate) fn checksum_ok(digits: &[u8]) -> bool {
    if digits.len() != 18 {
        return false;
    }
    let Ok(body) = std::str::from_utf8(&digits[..17]) else {
        return false;
    };
    gb11643_check_char(body).is_some_and(|c| c as u32 == u32::from(digits[17]))
}

/// 号码中读出的个人信息（居民身份证、港澳台居民居住证、新版外国人永久居留身份证）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PersonalIdNumber {
    /// 规范化后的 18 位号码（校验码 X 大写）
    pub number: String,
    /// 地址码对应的行政区划（永居证为受理省份）
    pub region: Region,
    /// 出生日期
    pub birth_date: NaiveDate,
    /// 性别（第 17 位奇数为男）
    pub sex: Sex,
    /// 提醒（例如地区代码不在表中）
    pub warnings: Vec<IdWarning>,
}

impl PersonalIdNumber {
    /// Age in full years on `on`.
    pub fn age_on(&self, on: NaiveDate) -> u32 {
        super::age_on(self.birth_date, on)
    }
    /// Whether the holder is under 18 on `on`.
    pub fn is_minor_on(&self, on: NaiveDate) -> bool {
        super::is_minor_on(self.birth_date, on)
    }
}

/// Shape, birth date and check of any 18-character GB 11643-style number. Returns the normalised number
/// and the birth date; the region rules are each caller's.
fn parse_shape(
    doc: DocumentType,
    input: &str,
    today: NaiveDate,
    region_rule: impl FnOnce(&str) -> Result<(), IdError>,
) -> Result<(String, NaiveDate, Sex), IdError> {
    let v = normalize(doc, input, true)?;
    let chars: Vec<char> = v.chars().collect();
    if chars.len() != 18 {
        return Err(IdError::Length {
            doc,
            expected: "18",
            actual: chars.len(),
        });
    }
    for (i, &c) in chars.iter().enumerate().take(17) {
        if !c.is_ascii_digit() {
            return Err(IdError::Character {
                doc,
                position: i + 1,
                found: c,
                expected: "数字",
            });
        }
    }
    if !(chars[17].is_ascii_digit() || chars[17] == 'X') {
        return Err(IdError::Character {
            doc,
            position: 18,
            found: chars[17],
            expected: "数字或 X",
        });
    }
    // All ASCII from here on.
    region_rule(&v)?;
    let birth_date = birth_date(doc, &v[6..14], today)?;
    let expected = gb11643_check_char(&v[..17]).unwrap_or('?');
    if expected != chars[17] {
        return Err(IdError::Checksum {
            doc,
            position: 18,
            expected,
            found: chars[17],
        });
    }
    let sex = if (v.as_bytes()[16] - b'0') % 2 == 1 {
        Sex::Male
    } else {
        Sex::Female
    };
    Ok((v, birth_date, sex))
}

/// Reads YYYYMMDD (8 ASCII digits) as a real date not after today.
fn birth_date(doc: DocumentType, yyyymmdd: &str, today: NaiveDate) -> Result<NaiveDate, IdError> {
    let (y, m, d) = (&yyyymmdd[0..4], &yyyymmdd[4..6], &yyyymmdd[6..8]);
    let text = format!("{y}-{m}-{d}");
    let date = match (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>()) {
        (Ok(y), Ok(m), Ok(d)) if y >= 1800 => NaiveDate::from_ymd_opt(y, m, d),
        _ => None,
    };
    let Some(date) = date else {
        return Err(IdError::Date { doc, text });
    };
    if date > today {
        return Err(IdError::FutureDate { doc, date });
    }
    Ok(date)
}

fn region_warning(doc: DocumentType, region: &Region) -> Option<IdWarning> {
    if region.known {
        return None;
    }
    let label = doc.number_label();
    let code = &region.code;
    Some(IdWarning::new(
        "region_unknown",
        format!("{label}中的地区代码 {code} 不在行政区划表中（可能是新设或很早撤销的地区），请对照证件原件核对"),
    ))
}

/// 居民身份证号 (GB 11643): 6-digit region, YYYYMMDD birth date, 3-digit sequence (odd = male), check char.
///
/// Refuses an unknown two-digit province prefix; an unknown full region code is a warning.
pub fn parse_resident_id(input: &str, today: NaiveDate) -> Result<PersonalIdNumber, IdError> {
    let doc = DocumentType::ResidentId;
    let (number, birth_date, sex) = parse_shape(doc, input, today, |v| {
        let p = &v[0..2];
        if matches!(p, "81" | "82" | "83") {
            return Err(IdError::WrongType {
                doc,
                prefix: p.to_string(),
                suggested: DocumentType::ResidencePermit,
            });
        }
        if p.starts_with('9') {
            return Err(IdError::WrongType {
                doc,
                prefix: "9".to_string(),
                suggested: DocumentType::ForeignPermanentId,
            });
        }
        if !region::is_mainland_province_code(p) {
            return Err(IdError::Province {
                doc,
                code: p.to_string(),
            });
        }
        Ok(())
    })?;
    let region = Region::lookup(&number[0..6]);
    let warnings = region_warning(doc, &region).into_iter().collect();
    Ok(PersonalIdNumber {
        number,
        region,
        birth_date,
        sex,
        warnings,
    })
}

/// 港澳台居民居住证号: like the ID card, with region 810000 (香港), 820000 (澳门) or 830000 (台湾).
pub fn parse_residence_permit(input: &str, today: NaiveDate) -> Result<PersonalIdNumber, IdError> {
    let doc = DocumentType::ResidencePermit;
    let (number, birth_date, sex) = parse_shape(doc, input, today, |v| {
        let r = &v[0..6];
        if matches!(r, "810000" | "820000" | "830000") {
            Ok(())
        } else {
            Err(IdError::Region {
                doc,
                code: r.to_string(),
            })
        }
    })?;
    let region = Region::lookup(&number[0..6]);
    Ok(PersonalIdNumber {
        number,
        region,
        birth_date,
        sex,
        warnings: Vec::new(),
    })
}

/// The new 外国人永久居留身份证号 (since 2023): '9', 2-digit province of the accepting office, 3-digit
/// country code, YYYYMMDD birth date, sequence (17th digit odd = male) and the GB 11643 check.
pub(crate) fn parse_foreign_new(input: &str, today: NaiveDate) -> Result<PersonalIdNumber, IdError> {
    let doc = DocumentType::ForeignPermanentId;
    let (number, birth_date, sex) = parse_shape(doc, input, today, |v| {
        let first = v.chars().next().unwrap_or('?');
        if first == '9' {
            Ok(())
        } else {
            Err(IdError::Prefix {
                doc,
                found: first,
                expected: " 9（新版）",
            })
        }
    })?;
    let province = &number[1..3];
    let region = Region::lookup(&format!("{province}0000"));
    let mut warnings = Vec::new();
    if !region::is_mainland_province_code(province) {
        warnings.push(IdWarning::new(
            "province_unknown",
            format!(
                "{}第 2–3 位 {province} 不是已知的省级代码，请对照证件原件核对",
                doc.number_label()
            ),
        ));
    }
    Ok(PersonalIdNumber {
        number,
        region,
        birth_date,
        sex,
        warnings,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn today() -> NaiveDate {
        d(2026, 1, 15)
    }

    /// Appends the right check character.
    fn with_check(body: &str) -> String {
        format!("{body}{}", gb11643_check_char(body).unwrap())
    }

    #[test]
    fn standard_example() {
        // The example of GB 11643-1999.
        let p = parse_resident_id("11010519491231002X", today()).unwrap();
        assert_eq!(p.number, "11010519491231002X");
        assert_eq!(p.birth_date, d(1949, 12, 31));
        assert_eq!(p.sex, Sex::Female);
        assert_eq!(p.region.code, "110105");
        assert_eq!(p.region.province.as_deref(), Some("北京市"));
        assert_eq!(p.region.county.as_deref(), Some("朝阳区"));
        assert!(p.warnings.is_empty());
        assert_eq!(p.age_on(d(2026, 1, 15)), 76);
        assert!(!p.is_minor_on(d(2026, 1, 15)));
        assert_eq!(gb11643_check_char("11010519491231002"), Some('X'));
        assert_eq!(gb11643_check_char("1101051949123100"), None);
        assert_eq!(gb11643_check_char("1101051949123100A"), None);
    }

    #[test]
    fn resident_id_table() {
        let valid_m = with_check("33010619900101001");
        let leap = with_check("33010620000229002");
        let non_leap = "330106200102290021".to_string();
        let future = with_check("33010620260116002");
        let today_born = with_check("33010620260115002");
        let unknown_region = with_check("33019919900101001");
        let bad_province = with_check("99010619900101001");
        let bad_province2 = with_check("39010619900101001");
        let hk = with_check("81000019900101001");
        let bad_check = {
            let mut s = valid_m.clone();
            let last = s.pop().unwrap();
            s.push(if last == '0' { '1' } else { '0' });
            s
        };
        let lower_x = "11010519491231002x".to_string();
        let padded = format!(" \t{valid_m}\n");
        let inner = format!("{} {}", &valid_m[..6], &valid_m[6..]);
        let full_width = format!("３{}", &valid_m[1..]);
        let cases: Vec<(&str, &str, Option<&str>)> = vec![
            (&valid_m, "ok", None),
            (&padded, "ok", None),
            (&lower_x, "ok", None),
            (&leap, "ok", None),
            (&today_born, "ok", None),
            (&unknown_region, "ok", None),
            (&non_leap, "date", Some("身份证号中的出生日期 2001-02-29 不存在")),
            (
                &future,
                "future_date",
                Some("身份证号中的出生日期 2026-01-16 晚于今天，请核对"),
            ),
            (&bad_province, "wrong_type", None),
            (
                &bad_province2,
                "province",
                Some("身份证号前两位 39 不是有效的省级行政区代码，请核对"),
            ),
            (&hk, "wrong_type", None),
            (&bad_check, "checksum", None),
            (
                &inner,
                "inner_space",
                Some("身份证号第 7 位是空格，号码中间不能有空格，请删去"),
            ),
            ("3301061990010100", "length", Some("身份证号应为 18 位，现在是 16 位")),
            ("33010619900101001", "length", Some("身份证号应为 18 位，现在是 17 位")),
            ("3301061990010100123", "length", None),
            ("", "required", Some("请填写身份证号")),
            (
                "33010619900101A012",
                "character",
                Some("身份证号第 15 位“A”不对，此处应为数字"),
            ),
            (
                "33010619900101001Y",
                "character",
                Some("身份证号第 18 位“Y”不对，此处应为数字或 X"),
            ),
            (
                &full_width,
                "character",
                Some("身份证号第 1 位“３”不对，此处应为数字（请改用半角字符）"),
            ),
            (
                "330106199013010012",
                "date",
                Some("身份证号中的出生日期 1990-13-01 不存在"),
            ),
            ("330106199001000012", "date", None),
            ("330106000001010012", "date", None),
        ];
        for (input, code, message) in cases {
            match parse_resident_id(input, today()) {
                Ok(p) => {
                    assert_eq!(code, "ok", "{input:?} passed");
                    assert_eq!(p.number, input.trim().to_ascii_uppercase());
                }
                Err(e) => {
                    assert_eq!(e.code(), code, "{input:?}: {e}");
                    if let Some(m) = message {
                        assert_eq!(e.to_string(), m);
                    }
                }
            }
        }
        let e = parse_resident_id(&bad_check, today()).unwrap_err();
        let want = gb11643_check_char(&bad_check[..17]).unwrap();
        assert_eq!(e.to_string(), format!("身份证号第 18 位校验码应为 {want}，请核对"));
    }

    #[test]
    fn unknown_region_is_a_warning_and_historic_is_not() {
        let p = parse_resident_id(&with_check("33019919900101001"), today()).unwrap();
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].code, "region_unknown");
        assert!(p.warnings[0].message.contains("330199"));
        assert_eq!(p.region.province.as_deref(), Some("浙江省"));
        assert!(!p.region.known);
        // 杭州市下城区 (abolished 2021) on an old card.
        let old = parse_resident_id(&with_check("33010319800101001"), today()).unwrap();
        assert!(old.warnings.is_empty());
        assert!(old.region.historic);
        assert_eq!(old.region.county.as_deref(), Some("下城区"));
    }

    #[test]
    fn sex_from_17th_digit() {
        for (seq, sex) in [
            ("001", Sex::Male),
            ("002", Sex::Female),
            ("019", Sex::Male),
            ("990", Sex::Female),
        ] {
            let n = with_check(&format!("33010619900101{seq}"));
            assert_eq!(parse_resident_id(&n, today()).unwrap().sex, sex, "{n}");
        }
    }

    #[test]
    fn residence_permit_table() {
        let cases: Vec<(String, Result<&str, &str>)> = vec![
            (with_check("81000019900101001"), Ok("香港特别行政区")),
            (with_check("82000019900101002"), Ok("澳门特别行政区")),
            (with_check("83000019900101003"), Ok("台湾地区")),
            (with_check("81010019900101001"), Err("region")),
            (with_check("33010619900101001"), Err("region")),
            (with_check("83000020300101003"), Err("future_date")),
            ("830000199002300031".to_string(), Err("date")),
        ];
        for (input, want) in cases {
            match (parse_residence_permit(&input, today()), want) {
                (Ok(p), Ok(province)) => {
                    assert_eq!(p.region.province.as_deref(), Some(province));
                    assert!(p.warnings.is_empty());
                }
                (Err(e), Err(code)) => assert_eq!(e.code(), code, "{input}"),
                (got, want) => panic!("{input}: got {got:?}, want {want:?}"),
            }
        }
        let e = parse_residence_permit(&with_check("33010619900101001"), today()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "港澳台居民居住证号前 6 位应为 810000（香港）、820000（澳门）或 830000（台湾），现在是 330106"
        );
        let e = parse_resident_id(&with_check("81000019900101001"), today()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "身份证号以 81 开头，是港澳台居民居住证号码，请把证件类型改为“港澳台居民居住证”"
        );
    }

    #[test]
    fn foreign_new_table() {
        let ok = parse_foreign_new(&with_check("93384019850615001"), today()).unwrap();
        assert_eq!(ok.birth_date, d(1985, 6, 15));
        assert_eq!(ok.sex, Sex::Male);
        assert_eq!(ok.region.province.as_deref(), Some("浙江省"));
        assert!(ok.warnings.is_empty());
        let odd = parse_foreign_new(&with_check("99984019850615002"), today()).unwrap();
        assert_eq!(odd.warnings[0].code, "province_unknown");
        assert_eq!(odd.sex, Sex::Female);
        for (input, code) in [
            (with_check("13384019850615001"), "prefix"),
            (with_check("93384019851315001"), "date"),
            (with_check("93384020300615001"), "future_date"),
            ("9338401985061500".to_string(), "length"),
        ] {
            assert_eq!(parse_foreign_new(&input, today()).unwrap_err().code(), code, "{input}");
        }
    }

    /// Valid ID bodies: a real province, a real date in 1900..=2025, any sequence.
    fn id_body() -> impl Strategy<Value = String> {
        (
            prop::sample::select(vec!["11", "33", "44", "65", "71"]),
            0u32..10_000,
            0i64..(125 * 365),
            0u32..1000,
        )
            .prop_map(|(p, rest, days, seq)| {
                let date = d(1900, 1, 1) + chrono::Duration::days(days);
                format!("{p}{rest:04}{}{seq:03}", date.format("%Y%m%d"))
            })
    }

    proptest! {
        #[test]
        fn valid_numbers_validate_and_every_substitution_is_caught(body in id_body(), pos in 0usize..18, k in 1u32..11) {
            let n = with_check(&body);
            prop_assert!(parse_resident_id(&n, today()).is_ok(), "{}", n);
            prop_assert!(parse_resident_id(&n.to_lowercase(), today()).is_ok());
            // Substitute position `pos` by another allowed character.
            let alphabet: Vec<char> = if pos == 17 { "0123456789X".chars().collect() } else { "0123456789".chars().collect() };
            let cur = n.chars().nth(pos).unwrap_or('?');
            let idx = alphabet.iter().position(|c| *c == cur).unwrap_or(0);
            let repl = alphabet[(idx + k as usize) % alphabet.len()];
            prop_assume!(repl != cur);
            let mut changed: Vec<char> = n.chars().collect();
            changed[pos] = repl;
            let changed: String = changed.into_iter().collect();
            prop_assert!(parse_resident_id(&changed, today()).is_err(), "{} -> {}", n, changed);
            prop_assert!(!checksum_ok(changed.as_bytes()));
        }

        #[test]
        fn residence_permit_checksum(days in 0i64..(100 * 365), seq in 0u32..1000, r in prop::sample::select(vec!["810000", "820000", "830000"]), pos in 0usize..18, k in 1u32..11) {
            let date = d(1920, 1, 1) + chrono::Duration::days(days);
            let n = with_check(&format!("{r}{}{seq:03}", date.format("%Y%m%d")));
            prop_assert!(parse_residence_permit(&n, today()).is_ok());
            let alphabet: Vec<char> = if pos == 17 { "0123456789X".chars().collect() } else { "0123456789".chars().collect() };
            let mut chars: Vec<char> = n.chars().collect();
            let idx = alphabet.iter().position(|c| *c == chars[pos]).unwrap_or(0);
            let repl = alphabet[(idx + k as usize) % alphabet.len()];
            prop_assume!(repl != chars[pos]);
            chars[pos] = repl;
            let changed: String = chars.into_iter().collect();
            prop_assert!(parse_residence_permit(&changed, today()).is_err(), "{} -> {}", n, changed);
        }

        #[test]
        fn foreign_new_checksum(p in prop::sample::select(vec!["11", "31", "33", "44"]), country in 0u32..1000, days in 0i64..(100 * 365), seq in 0u32..1000, pos in 0usize..18, k in 1u32..11) {
            let date = d(1920, 1, 1) + chrono::Duration::days(days);
            let n = with_check(&format!("9{p}{country:03}{}{seq:03}", date.format("%Y%m%d")));
            prop_assert!(parse_foreign_new(&n, today()).is_ok());
            let alphabet: Vec<char> = if pos == 17 { "0123456789X".chars().collect() } else { "0123456789".chars().collect() };
            let mut chars: Vec<char> = n.chars().collect();
            let idx = alphabet.iter().position(|c| *c == chars[pos]).unwrap_or(0);
            let repl = alphabet[(idx + k as usize) % alphabet.len()];
            prop_assume!(repl != chars[pos]);
            chars[pos] = repl;
            let changed: String = chars.into_iter().collect();
            prop_assert!(parse_foreign_new(&changed, today()).is_err(), "{} -> {}", n, changed);
        }
    }
}
