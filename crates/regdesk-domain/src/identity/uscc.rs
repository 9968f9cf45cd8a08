//! 统一社会信用代码 (GB 32100): registering body, entity type, region, organisation code, check char.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::region::Region;
use super::{normalize, DocumentType, IdError, IdWarning};

/// The 31 characters of the code, in value order (no I O S V Z).
pub const USCC_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weights of positions 1..17: 3^(i-1) mod 31.
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

fn value_of(c: char) -> Option<u32> {
    USCC_ALPHABET
        .chars()
        .position(|a| a == c)
        .and_then(|p| u32::try_from(p).ok())
}

/// The GB 32100 check character of the first 17 characters (uppercase); `None` unless `body` is 17
/// characters of [`USCC_ALPHABET`]. A check value of 31 is written '0'.
pub fn uscc_check_char(body: &str) -> Option<char> {
    let mut sum = 0u32;
    let mut n = 0;
    for (c, w) in body.chars().zip(WEIGHTS) {
        sum += value_of(c)? * w;
        n += 1;
    }
    if n != 17 || body.chars().count() != 17 {
        return None;
    }
    let check = (31 - sum % 31) % 31;
    USCC_ALPHABET.chars().nth(check as usize)
}

/// Whether 18 characters carry the right check character.
pub(crate) fn checksum_ok(chars: &[char]) -> bool {
    if chars.len() != 18 {
        return false;
    }
    let body: String = chars[..17].iter().collect();
    uscc_check_char(&body).is_some_and(|c| c == chars[17])
}

/// 登记管理部门 (first character), GB 32100 table of registering bodies.
fn registering_body(c: char) -> Option<&'static str> {
    Some(match c {
        '1' => "机构编制",
        '2' => "外交",
        '3' => "司法行政",
        '4' => "文化",
        '5' => "民政",
        '6' => "旅游",
        '7' => "宗教",
        '8' => "工会",
        '9' => "工商/市场监管",
        'A' => "中央军委改革和编制办公室",
        'N' => "农业农村",
        'Y' => "其他",
        _ => return None,
    })
}

/// 机构类别 (second character, read with the first).
fn entity_type(body: char, kind: char) -> Option<&'static str> {
    Some(match (body, kind) {
        ('1', '1') => "机关",
        ('1', '2') => "事业单位",
        ('1', '3') => "中央编办直接管理机构编制的群众团体",
        ('2', '1') => "外国常驻新闻机构",
        ('3', '1') => "律师执业机构",
        ('3', '2') => "公证处",
        ('3', '3') => "基层法律服务所",
        ('3', '4') => "司法鉴定机构",
        ('3', '5') => "仲裁委员会",
        ('4', '1') => "外国在华文化中心",
        ('5', '1') => "社会团体",
        ('5', '2') => "民办非企业单位（社会服务机构）",
        ('5', '3') => "基金会",
        ('6', '1') => "外国旅游部门常驻代表机构",
        ('6', '2') => "港澳台地区旅游部门常驻内地（大陆）代表机构",
        ('7', '1') => "宗教活动场所",
        ('7', '2') => "宗教院校",
        ('8', '1') => "基层工会",
        ('9', '1') => "企业",
        ('9', '2') => "个体工商户",
        ('9', '3') => "农民专业合作社",
        ('A', '1') => "军队事业单位",
        ('N', '1') => "组级集体经济组织",
        ('N', '2') => "村级集体经济组织",
        ('N', '3') => "乡镇级集体经济组织",
        ('Y', '1') => "其他",
        (_, '9') => "其他",
        _ => return None,
    })
}

/// 统一社会信用代码（已校验）及其各部分的含义。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Uscc {
    /// 规范化后的 18 位代码（大写）
    pub number: String,
    /// 登记管理部门代码（第 1 位）
    pub registering_body_code: char,
    /// 登记管理部门名称
    pub registering_body: Option<String>,
    /// 机构类别代码（第 2 位）
    pub entity_type_code: char,
    /// 机构类别名称
    pub entity_type: Option<String>,
    /// 登记管理机关行政区划（第 3–8 位）
    pub region: Region,
    /// 主体标识码（组织机构代码，第 9–17 位）
    pub organisation_code: String,
    /// 提醒（地区代码或类别不在表中）
    pub warnings: Vec<IdWarning>,
}

/// Parses a 统一社会信用代码. Lowercase letters are accepted and upper-cased. An unknown region,
/// registering body or entity type is a warning, never a refusal.
pub fn parse_uscc(input: &str) -> Result<Uscc, IdError> {
    let doc = DocumentType::Uscc;
    let v = normalize(doc, input, true)?;
    let chars: Vec<char> = v.chars().collect();
    if chars.len() != 18 {
        return Err(IdError::Length {
            doc,
            expected: "18",
            actual: chars.len(),
        });
    }
    for (i, &c) in chars.iter().enumerate() {
        let region_part = (2..8).contains(&i);
        if region_part && !c.is_ascii_digit() {
            return Err(IdError::Character {
                doc,
                position: i + 1,
                found: c,
                expected: "数字（第 3–8 位是行政区划代码）",
            });
        }
        if value_of(c).is_none() {
            return Err(IdError::Character {
                doc,
                position: i + 1,
                found: c,
                expected: "数字或大写字母（不用 I、O、S、V、Z）",
            });
        }
    }
    let body: String = chars[..17].iter().collect();
    let expected = uscc_check_char(&body).unwrap_or('?');
    if expected != chars[17] {
        return Err(IdError::Checksum {
            doc,
            position: 18,
            expected,
            found: chars[17],
        });
    }
    let (b, t) = (chars[0], chars[1]);
    let region = Region::lookup(&v[2..8]);
    let registering_body = registering_body(b);
    let entity_type = registering_body.and_then(|_| entity_type(b, t));
    let mut warnings = Vec::new();
    if !region.known {
        warnings.push(IdWarning::new(
            "region_unknown",
            format!(
                "统一社会信用代码中的地区代码 {} 不在行政区划表中（可能是新设或很早撤销的地区），请对照营业执照或证书核对",
                region.code
            ),
        ));
    }
    if registering_body.is_none() {
        warnings.push(IdWarning::new(
            "registering_body_unknown",
            format!("统一社会信用代码第 1 位“{b}”不是已知的登记管理部门代码，请对照证书核对"),
        ));
    } else if entity_type.is_none() {
        warnings.push(IdWarning::new(
            "entity_type_unknown",
            format!("统一社会信用代码第 2 位“{t}”不是已知的机构类别代码，请对照证书核对"),
        ));
    }
    Ok(Uscc {
        number: v.clone(),
        registering_body_code: b,
        registering_body: registering_body.map(str::to_string),
        entity_type_code: t,
        entity_type: entity_type.map(str::to_string),
        region,
        organisation_code: v[8..17].to_string(),
        warnings,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn weights_are_powers_of_three() {
        let mut w = 1u32;
        for expected in WEIGHTS {
            assert_eq!(w, expected);
            w = w * 3 % 31;
        }
        assert_eq!(USCC_ALPHABET.len(), 31);
        for c in ['I', 'O', 'S', 'V', 'Z'] {
            assert!(!USCC_ALPHABET.contains(c));
        }
    }

    #[test]
    fn real_format_example() {
        let u = parse_uscc("91350100M000100Y43").unwrap();
        assert_eq!(u.registering_body.as_deref(), Some("工商/市场监管"));
        assert_eq!(u.entity_type.as_deref(), Some("企业"));
        assert_eq!(u.region.code, "350100");
        assert_eq!(u.region.province.as_deref(), Some("福建省"));
        assert_eq!(u.region.city.as_deref(), Some("福州市"));
        assert_eq!(u.organisation_code, "M000100Y4");
        assert!(u.warnings.is_empty());
        let lower = parse_uscc("  91350100m000100y43 ").unwrap();
        assert_eq!(lower.number, "91350100M000100Y43");
    }

    #[test]
    fn check_value_31_is_written_zero() {
        // Search the organisation codes for one whose check value is 31 (written '0').
        let mut found = None;
        for i in 0..31u32 {
            let c = USCC_ALPHABET.chars().nth(i as usize).unwrap();
            let body = format!("91330106MA2{c}00000");
            if uscc_check_char(&body) == Some('0') {
                found = Some(body);
                break;
            }
        }
        let body = found.expect("one of 31 consecutive values gives check value 31");
        let sum: u32 = body.chars().zip(WEIGHTS).map(|(c, w)| value_of(c).unwrap() * w).sum();
        assert_eq!(sum % 31, 0, "check value 31 means sum ≡ 0 mod 31");
        let n = format!("{body}0");
        let u = parse_uscc(&n).unwrap();
        assert_eq!(u.region.county.as_deref(), Some("西湖区"));
        // Fixed vector with check value 31 (computed independently).
        assert_eq!(n, "91330106MA2R000000");
        // Writing the check value as 31 or 'Y' (30) is wrong.
        assert_eq!(parse_uscc(&format!("{body}Y")).unwrap_err().code(), "checksum");
    }

    #[test]
    fn table() {
        let cases: Vec<(&str, &str, Option<&str>)> = vec![
            ("91350100M000100Y43", "ok", None),
            (
                "91350100M000100Y4",
                "length",
                Some("统一社会信用代码应为 18 位，现在是 17 位"),
            ),
            ("", "required", None),
            ("91350100 M000100Y43", "inner_space", None),
            (
                "91350100M000100Y44",
                "checksum",
                Some("统一社会信用代码第 18 位校验码应为 3，请核对"),
            ),
            (
                "91350100M0001I0Y43",
                "character",
                Some("统一社会信用代码第 14 位“I”不对，此处应为数字或大写字母（不用 I、O、S、V、Z）"),
            ),
            ("913501O0M000100Y43", "character", None),
            ("9135A100M000100Y43", "character", None),
            ("91350100M000100Y4中", "character", None),
        ];
        for (input, code, message) in cases {
            match parse_uscc(input) {
                Ok(_) => assert_eq!(code, "ok", "{input}"),
                Err(e) => {
                    assert_eq!(e.code(), code, "{input}: {e}");
                    if let Some(m) = message {
                        assert_eq!(e.to_string(), m);
                    }
                }
            }
        }
    }

    #[test]
    fn names_and_warnings() {
        let make = |body: &str| format!("{body}{}", uscc_check_char(body).unwrap());
        let cases = [
            ("11330000002482111", Some("机构编制"), Some("机关"), vec![]),
            ("12330000470000000", Some("机构编制"), Some("事业单位"), vec![]),
            ("51330000MJ8800000", Some("民政"), Some("社会团体"), vec![]),
            (
                "52330106MJ8800000",
                Some("民政"),
                Some("民办非企业单位（社会服务机构）"),
                vec![],
            ),
            ("53330000MJ8800000", Some("民政"), Some("基金会"), vec![]),
            ("92330106MA2B00000", Some("工商/市场监管"), Some("个体工商户"), vec![]),
            (
                "93330106MA2B00000",
                Some("工商/市场监管"),
                Some("农民专业合作社"),
                vec![],
            ),
            ("Y1330106MA2B00000", Some("其他"), Some("其他"), vec![]),
            (
                "91330199MA2B00000",
                Some("工商/市场监管"),
                Some("企业"),
                vec!["region_unknown"],
            ),
            ("B1330106MA2B00000", None, None, vec!["registering_body_unknown"]),
            (
                "95330106MA2B00000",
                Some("工商/市场监管"),
                None,
                vec!["entity_type_unknown"],
            ),
        ];
        for (body, reg, kind, warns) in cases {
            let u = parse_uscc(&make(body)).unwrap();
            assert_eq!(u.registering_body.as_deref(), reg, "{body}");
            assert_eq!(u.entity_type.as_deref(), kind, "{body}");
            let codes: Vec<&str> = u.warnings.iter().map(|w| w.code.as_str()).collect();
            assert_eq!(codes, warns, "{body}");
        }
    }

    fn alphabet() -> Vec<char> {
        USCC_ALPHABET.chars().collect()
    }

    fn uscc_body() -> impl Strategy<Value = String> {
        (
            prop::sample::select(vec!["91", "92", "93", "11", "12", "51", "52", "53", "Y1"]),
            prop::sample::select(vec!["330106", "110105", "350100", "330199"]),
            prop::collection::vec(prop::sample::select(alphabet()), 9),
        )
            .prop_map(|(t, r, org)| format!("{t}{r}{}", org.into_iter().collect::<String>()))
    }

    proptest! {
        #[test]
        fn valid_codes_validate_and_every_substitution_is_caught(body in uscc_body(), pos in 0usize..18, k in 1usize..31) {
            let n = format!("{body}{}", uscc_check_char(&body).unwrap_or('?'));
            prop_assert!(parse_uscc(&n).is_ok(), "{}", n);
            prop_assert!(parse_uscc(&n.to_lowercase()).is_ok(), "{}", n);
            let a = alphabet();
            let mut chars: Vec<char> = n.chars().collect();
            let idx = a.iter().position(|c| *c == chars[pos]).unwrap_or(0);
            chars[pos] = a[(idx + k) % a.len()];
            let changed: String = chars.iter().collect();
            prop_assert!(parse_uscc(&changed).is_err(), "{} -> {}", n, changed);
            prop_assert!(!checksum_ok(&chars));
        }
    }
}
