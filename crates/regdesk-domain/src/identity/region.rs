//! 行政区划代码 (GB/T 2260): the table shipped under `assets/regions/`, current and historic codes.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

const TABLE: &str = include_str!("../../../../assets/regions/gbt2260.tsv");

/// One row of the table.
#[derive(Debug, Clone, Copy)]
struct Division {
    name: &'static str,
    /// Abolished code (still printed on old cards).
    historic: bool,
}

fn table() -> &'static HashMap<&'static str, Division> {
    static MAP: OnceLock<HashMap<&'static str, Division>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = HashMap::with_capacity(8_000);
        for line in TABLE.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut cols = line.split('\t');
            let (Some(code), Some(name)) = (cols.next(), cols.next()) else {
                continue;
            };
            let historic = cols.next().is_some_and(|c| !c.is_empty());
            map.insert(code, Division { name, historic });
        }
        map
    })
}

/// Two-digit province codes (省级代码) that a mainland resident ID may start with:
/// the provinces of GB/T 2260 plus 71 (台湾省).
const PROVINCE_CODES: [&str; 32] = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43", "44",
    "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71",
];

/// Whether `code2` is a GB/T 2260 province-level code of the mainland or 71 (台湾省).
pub fn is_mainland_province_code(code2: &str) -> bool {
    PROVINCE_CODES.contains(&code2)
}

/// The name of a province-level division by its two-digit code.
pub fn province_name(code2: &str) -> Option<&'static str> {
    if code2 == "83" {
        return Some("台湾地区");
    }
    if code2.len() != 2 {
        return None;
    }
    table().get(format!("{code2}0000").as_str()).map(|d| d.name)
}

/// 行政区划（由 6 位代码查得）: the code and the names of its province, prefecture and county.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Region {
    /// 6 位行政区划代码
    pub code: String,
    /// 省级名称
    pub province: Option<String>,
    /// 地级名称（直辖市与省直辖县没有）
    pub city: Option<String>,
    /// 县级名称（代码本身是省级或地级时没有）
    pub county: Option<String>,
    /// 整个 6 位代码是否在行政区划表中
    pub known: bool,
    /// 是否为已撤销的旧代码（老证件仍在使用）
    pub historic: bool,
}

impl Region {
    /// Looks a 6-digit code up: province = code[0..2]+"0000", city = code[0..4]+"00", county = code.
    pub fn lookup(code6: &str) -> Region {
        let map = table();
        let valid = code6.len() == 6 && code6.bytes().all(|b| b.is_ascii_digit());
        if !valid {
            return Region {
                code: code6.to_string(),
                province: None,
                city: None,
                county: None,
                known: false,
                historic: false,
            };
        }
        let province = province_name(&code6[0..2]).map(str::to_string);
        let city_code = format!("{}00", &code6[0..4]);
        let city = if &code6[2..4] == "00" {
            None
        } else {
            map.get(city_code.as_str()).map(|d| d.name.to_string())
        };
        let county = if &code6[4..6] == "00" {
            None
        } else {
            map.get(code6).map(|d| d.name.to_string())
        };
        let own = map.get(code6);
        let special = matches!(code6, "830000");
        Region {
            code: code6.to_string(),
            province,
            city,
            county,
            known: own.is_some() || special,
            historic: own.is_some_and(|d| d.historic),
        }
    }

    /// "浙江省杭州市西湖区"-style joined name of the known parts.
    pub fn display_name(&self) -> String {
        let mut s = String::new();
        for part in [&self.province, &self.city, &self.county].into_iter().flatten() {
            s.push_str(part);
        }
        s
    }
}

/// Whether a region code lies in the given province (`province_code` two digits, e.g. "33").
///
/// Used by the store to ask for residence proof from applicants outside the office's province.
pub fn is_in_province(region_code: &str, province_code: &str) -> bool {
    province_code.len() == 2
        && province_code.bytes().all(|b| b.is_ascii_digit())
        && region_code.len() >= 2
        && region_code.is_char_boundary(2)
        && &region_code[0..2] == province_code
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        struct Case {
            code: &'static str,
            province: Option<&'static str>,
            city: Option<&'static str>,
            county: Option<&'static str>,
            known: bool,
            historic: bool,
        }
        let cases = [
            Case {
                code: "330106",
                province: Some("浙江省"),
                city: Some("杭州市"),
                county: Some("西湖区"),
                known: true,
                historic: false,
            },
            // 下城区 was abolished in 2021; old cards keep it.
            Case {
                code: "330103",
                province: Some("浙江省"),
                city: Some("杭州市"),
                county: Some("下城区"),
                known: true,
                historic: true,
            },
            // 钱塘区, set up in 2021.
            Case {
                code: "330114",
                province: Some("浙江省"),
                city: Some("杭州市"),
                county: Some("钱塘区"),
                known: true,
                historic: false,
            },
            Case {
                code: "110105",
                province: Some("北京市"),
                city: None,
                county: Some("朝阳区"),
                known: true,
                historic: false,
            },
            Case {
                code: "330000",
                province: Some("浙江省"),
                city: None,
                county: None,
                known: true,
                historic: false,
            },
            Case {
                code: "330100",
                province: Some("浙江省"),
                city: Some("杭州市"),
                county: None,
                known: true,
                historic: false,
            },
            Case {
                code: "330199",
                province: Some("浙江省"),
                city: Some("杭州市"),
                county: None,
                known: false,
                historic: false,
            },
            // Chongqing before 1997 was a city of Sichuan.
            Case {
                code: "510202",
                province: Some("四川省"),
                city: Some("重庆市"),
                county: Some("渝中区"),
                known: true,
                historic: true,
            },
            Case {
                code: "810000",
                province: Some("香港特别行政区"),
                city: None,
                county: None,
                known: true,
                historic: false,
            },
            Case {
                code: "830000",
                province: Some("台湾地区"),
                city: None,
                county: None,
                known: true,
                historic: false,
            },
            Case {
                code: "990000",
                province: None,
                city: None,
                county: None,
                known: false,
                historic: false,
            },
            Case {
                code: "33A106",
                province: None,
                city: None,
                county: None,
                known: false,
                historic: false,
            },
        ];
        for c in cases {
            let r = Region::lookup(c.code);
            assert_eq!(r.province.as_deref(), c.province, "{}", c.code);
            assert_eq!(r.city.as_deref(), c.city, "{}", c.code);
            assert_eq!(r.county.as_deref(), c.county, "{}", c.code);
            assert_eq!(r.known, c.known, "{}", c.code);
            assert_eq!(r.historic, c.historic, "{}", c.code);
        }
    }

    #[test]
    fn table_is_substantial_and_well_formed() {
        let map = table();
        assert!(map.len() > 6_000, "{}", map.len());
        assert!(map
            .keys()
            .all(|k| k.len() == 6 && k.bytes().all(|b| b.is_ascii_digit())));
        assert!(map.values().all(|d| !d.name.is_empty()));
        for p in PROVINCE_CODES {
            assert!(province_name(p).is_some(), "{p}");
        }
    }

    #[test]
    fn province_membership() {
        let cases = [
            ("330106", "33", true),
            ("330106", "32", false),
            ("33", "33", true),
            ("3", "33", false),
            ("", "33", false),
            ("330106", "3", false),
            ("330106", "330", false),
            ("浙江", "33", false),
        ];
        for (region, province, want) in cases {
            assert_eq!(is_in_province(region, province), want, "{region} {province}");
        }
    }

    #[test]
    fn display_name_joins_parts() {
        assert_eq!(Region::lookup("330106").display_name(), "浙江省杭州市西湖区");
        assert_eq!(Region::lookup("110105").display_name(), "北京市朝阳区");
    }
}
