//! 统计与上报 (statistics and reporting upward, docs/DOMAIN.md §12): the
//! national monthly form's columns and which of our categories each one
//! counts (as data), the periods a report covers (a month, a quarter, a year
//! or a range of office days, each bounded at midnight office time), and the
//! small arithmetic the figures share (percentiles, shares, change on the
//! year). Pure: the store counts, this module says what is counted where.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::category::WorkCategory;
use crate::error::FieldError;

/// 作品登记情况月度统计表的栏目（合计之外）。The national form's columns, in its order;
/// 录音制品 and 录像制品 are the columns national reports added, shown only when some
/// category of the office is counted there ([`form_columns`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FormColumn {
    Text,
    Oral,
    Music,
    Drama,
    Quyi,
    Dance,
    Acrobatics,
    FineArt,
    Photography,
    Architecture,
    Film,
    Graphic,
    Model,
    Other,
    SoundRecording,
    VideoRecording,
}

impl FormColumn {
    /// Every column, in the national form's order.
    pub const ALL: [FormColumn; 16] = [
        FormColumn::Text,
        FormColumn::Oral,
        FormColumn::Music,
        FormColumn::Drama,
        FormColumn::Quyi,
        FormColumn::Dance,
        FormColumn::Acrobatics,
        FormColumn::FineArt,
        FormColumn::Photography,
        FormColumn::Architecture,
        FormColumn::Film,
        FormColumn::Graphic,
        FormColumn::Model,
        FormColumn::Other,
        FormColumn::SoundRecording,
        FormColumn::VideoRecording,
    ];

    /// The column's heading on the national form.
    pub fn label(self) -> &'static str {
        match self {
            FormColumn::Text => "文字",
            FormColumn::Oral => "口述",
            FormColumn::Music => "音乐",
            FormColumn::Drama => "戏剧",
            FormColumn::Quyi => "曲艺",
            FormColumn::Dance => "舞蹈",
            FormColumn::Acrobatics => "杂技",
            FormColumn::FineArt => "美术",
            FormColumn::Photography => "摄影",
            FormColumn::Architecture => "建筑",
            FormColumn::Film => "影视",
            FormColumn::Graphic => "图形",
            FormColumn::Model => "模型",
            FormColumn::Other => "其他",
            FormColumn::SoundRecording => "录音制品",
            FormColumn::VideoRecording => "录像制品",
        }
    }
}

/// Which column of the national form counts each of our categories: the
/// four drawing and map categories (工程设计图、产品设计图、地图、示意图) are the
/// form's 图形, 视听作品 its 影视, 杂技艺术 its 杂技. Data, not code: a new
/// category or a changed form is one line here.
pub const CATEGORY_COLUMNS: [(WorkCategory, FormColumn); 17] = [
    (WorkCategory::Text, FormColumn::Text),
    (WorkCategory::Oral, FormColumn::Oral),
    (WorkCategory::Music, FormColumn::Music),
    (WorkCategory::Drama, FormColumn::Drama),
    (WorkCategory::Quyi, FormColumn::Quyi),
    (WorkCategory::Dance, FormColumn::Dance),
    (WorkCategory::Acrobatics, FormColumn::Acrobatics),
    (WorkCategory::FineArt, FormColumn::FineArt),
    (WorkCategory::Architecture, FormColumn::Architecture),
    (WorkCategory::Photography, FormColumn::Photography),
    (WorkCategory::Audiovisual, FormColumn::Film),
    (WorkCategory::EngineeringDrawing, FormColumn::Graphic),
    (WorkCategory::ProductDrawing, FormColumn::Graphic),
    (WorkCategory::Map, FormColumn::Graphic),
    (WorkCategory::Schematic, FormColumn::Graphic),
    (WorkCategory::Model, FormColumn::Model),
    (WorkCategory::Other, FormColumn::Other),
];

/// The form's column that counts `category`.
pub fn column_of(category: WorkCategory) -> FormColumn {
    CATEGORY_COLUMNS
        .iter()
        .find(|(c, _)| *c == category)
        .map_or(FormColumn::Other, |(_, col)| *col)
}

/// The columns the office's form shows, in the national order: the form's
/// fourteen, and 录音制品/录像制品 only when a category is counted there (the
/// office registers no sound or video recordings today, so they are absent).
pub fn form_columns() -> Vec<FormColumn> {
    FormColumn::ALL
        .into_iter()
        .filter(|col| {
            !matches!(col, FormColumn::SoundRecording | FormColumn::VideoRecording)
                || CATEGORY_COLUMNS.iter().any(|(_, c)| c == col)
        })
        .collect()
}

/// 统计期间：一个月、一个季度、一年，或起止日期（含两端）。Dates are office (Beijing) days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Period {
    Month { year: i32, month: u32 },
    Quarter { year: i32, quarter: u32 },
    Year { year: i32 },
    Range { from: NaiveDate, to: NaiveDate },
}

fn bad_period(code: &str, message: impl Into<String>) -> FieldError {
    FieldError::new("period", code, message)
}

fn month_start(year: i32, month: u32) -> Result<NaiveDate, FieldError> {
    NaiveDate::from_ymd_opt(year, month, 1)
        .ok_or_else(|| bad_period("month", format!("统计月份 {year}-{month:02} 无效：月份应为 1 至 12")))
}

fn last_day_of_month(year: i32, month: u32) -> Result<NaiveDate, FieldError> {
    let (y, m) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    month_start(y, m)?
        .pred_opt()
        .ok_or_else(|| bad_period("month", "统计月份超出可计算的范围"))
}

/// The earliest and latest years a report may cover.
const YEARS: std::ops::RangeInclusive<i32> = 1990..=2200;

impl Period {
    /// A month written `2026-11` (or `2026-1`).
    pub fn parse_month(text: &str) -> Result<Period, FieldError> {
        let t = text.trim();
        let bad = || bad_period("month", format!("统计月份“{t}”无法识别：请写成 2026-11 这样的年-月"));
        let (y, m) = t.split_once('-').ok_or_else(bad)?;
        let year: i32 = y.trim().parse().map_err(|_| bad())?;
        let month: u32 = m.trim().parse().map_err(|_| bad())?;
        let p = Period::Month { year, month };
        p.days()?;
        Ok(p)
    }

    /// The first and last office day of the period, checked: a month 1–12, a
    /// quarter 1–4, a year in 1990–2200, a range whose end is not before its start
    /// and which spans at most ten years.
    pub fn days(&self) -> Result<(NaiveDate, NaiveDate), FieldError> {
        let check_year = |y: i32| {
            if YEARS.contains(&y) {
                Ok(())
            } else {
                Err(bad_period(
                    "year",
                    format!("统计年份 {y} 超出范围：请选择 1990 至 2200 年之间的年份"),
                ))
            }
        };
        match *self {
            Period::Month { year, month } => {
                check_year(year)?;
                Ok((month_start(year, month)?, last_day_of_month(year, month)?))
            }
            Period::Quarter { year, quarter } => {
                check_year(year)?;
                if !(1..=4).contains(&quarter) {
                    return Err(bad_period("quarter", format!("季度 {quarter} 无效：季度应为 1 至 4")));
                }
                let first = quarter * 3 - 2;
                Ok((month_start(year, first)?, last_day_of_month(year, first + 2)?))
            }
            Period::Year { year } => {
                check_year(year)?;
                Ok((month_start(year, 1)?, last_day_of_month(year, 12)?))
            }
            Period::Range { from, to } => {
                check_year(from.year())?;
                check_year(to.year())?;
                if to < from {
                    return Err(bad_period(
                        "to",
                        format!("结束日期 {to} 早于开始日期 {from}：请调换或重选日期"),
                    ));
                }
                if to - from > Duration::days(3660) {
                    return Err(bad_period("to", "统计期间最长十年：请缩短起止日期"));
                }
                Ok((from, to))
            }
        }
    }

    /// The instants the period covers, `[start, end)`: from midnight office time on its
    /// first day to midnight after its last day (`utc_offset_hours` east of UTC; Beijing is 8).
    pub fn instants(&self, utc_offset_hours: i32) -> Result<(DateTime<Utc>, DateTime<Utc>), FieldError> {
        let (first, last) = self.days()?;
        let end_day = last
            .succ_opt()
            .ok_or_else(|| bad_period("to", "统计期间超出可计算的范围"))?;
        Ok((
            office_midnight(first, utc_offset_hours)?,
            office_midnight(end_day, utc_offset_hours)?,
        ))
    }

    /// The same period one year earlier (for the change on the year); 29 February
    /// becomes 28 February.
    pub fn year_before(&self) -> Period {
        let back = |d: NaiveDate| {
            d.with_year(d.year() - 1)
                .or_else(|| NaiveDate::from_ymd_opt(d.year() - 1, d.month(), 28))
                .unwrap_or(d)
        };
        match *self {
            Period::Month { year, month } => Period::Month { year: year - 1, month },
            Period::Quarter { year, quarter } => Period::Quarter {
                year: year - 1,
                quarter,
            },
            Period::Year { year } => Period::Year { year: year - 1 },
            Period::Range { from, to } => Period::Range {
                from: back(from),
                to: back(to),
            },
        }
    }

    /// The period as printed on a form: 2026年11月, 2026年第四季度, 2026年, 2026年11月1日至2026年11月30日.
    pub fn label(&self) -> String {
        match *self {
            Period::Month { year, month } => format!("{year}年{month}月"),
            Period::Quarter { year, quarter } => {
                let q = ["一", "二", "三", "四"]
                    .get(quarter.saturating_sub(1) as usize)
                    .copied()
                    .unwrap_or("?");
                format!("{year}年第{q}季度")
            }
            Period::Year { year } => format!("{year}年"),
            Period::Range { from, to } => format!(
                "{}年{}月{}日至{}年{}月{}日",
                from.year(),
                from.month(),
                from.day(),
                to.year(),
                to.month(),
                to.day()
            ),
        }
    }

    /// The months the period touches, as (year, month), in order.
    pub fn months(&self) -> Result<Vec<(i32, u32)>, FieldError> {
        let (first, last) = self.days()?;
        let mut out = Vec::new();
        let (mut y, mut m) = (first.year(), first.month());
        while (y, m) <= (last.year(), last.month()) {
            out.push((y, m));
            (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        }
        Ok(out)
    }
}

/// Midnight at the start of office day `day`, as an instant.
pub fn office_midnight(day: NaiveDate, utc_offset_hours: i32) -> Result<DateTime<Utc>, FieldError> {
    let offset =
        chrono::FixedOffset::east_opt(utc_offset_hours * 3600).ok_or_else(|| bad_period("period", "办公时区无效"))?;
    offset
        .from_local_datetime(&day.and_time(chrono::NaiveTime::MIN))
        .single()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| bad_period("period", format!("{day} 的零时无法换算")))
}

/// The `p`-th percentile (0 < p ≤ 100) of `values` by the nearest-rank method:
/// the smallest value with at least p% of the values at or below it. `None` for
/// no values. The median is `percentile(values, 50)`; a value from the data,
/// so working days stay whole days.
pub fn percentile(values: &[u32], p: u32) -> Option<u32> {
    if values.is_empty() || p == 0 || p > 100 {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_unstable();
    let n = v.len();
    // rank = ceil(p/100 × n), 1-based.
    let rank = (p as usize * n).div_ceil(100).max(1);
    v.get(rank - 1).copied()
}

/// `part` of `whole` in percent, to one decimal; `None` when `whole` is zero.
pub fn percent(part: u64, whole: u64) -> Option<f64> {
    if whole == 0 {
        return None;
    }
    Some(((part as f64) * 1000.0 / (whole as f64)).round() / 10.0)
}

/// The change from `before` to `now` in percent, to one decimal (the national
/// bulletin's 同比); `None` when there was nothing before.
pub fn change_percent(now: u64, before: u64) -> Option<f64> {
    if before == 0 {
        return None;
    }
    Some((((now as f64) - (before as f64)) * 1000.0 / (before as f64)).round() / 10.0)
}

/// The Monday of the ISO week `day` falls in (weeks for workload figures).
pub fn week_start(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn every_category_has_one_column_and_the_form_shows_the_national_fourteen() {
        assert_eq!(CATEGORY_COLUMNS.len(), WorkCategory::ALL.len());
        for c in WorkCategory::ALL {
            assert_eq!(CATEGORY_COLUMNS.iter().filter(|(k, _)| *k == c).count(), 1, "{c:?}");
        }
        let labels: Vec<&str> = form_columns().into_iter().map(FormColumn::label).collect();
        assert_eq!(
            labels,
            [
                "文字", "口述", "音乐", "戏剧", "曲艺", "舞蹈", "杂技", "美术", "摄影", "建筑", "影视", "图形", "模型",
                "其他"
            ]
        );
        assert_eq!(column_of(WorkCategory::Map), FormColumn::Graphic);
        assert_eq!(column_of(WorkCategory::ProductDrawing), FormColumn::Graphic);
        assert_eq!(column_of(WorkCategory::Audiovisual), FormColumn::Film);
        assert_eq!(column_of(WorkCategory::Acrobatics), FormColumn::Acrobatics);
        assert_eq!(column_of(WorkCategory::Photography), FormColumn::Photography);
    }

    #[test]
    fn periods_have_their_days_and_begin_at_midnight_beijing_time() {
        assert_eq!(
            Period::parse_month("2026-11").unwrap(),
            Period::Month { year: 2026, month: 11 }
        );
        assert_eq!(
            Period::Month { year: 2026, month: 2 }.days().unwrap(),
            (d(2026, 2, 1), d(2026, 2, 28))
        );
        assert_eq!(
            Period::Month { year: 2028, month: 2 }.days().unwrap(),
            (d(2028, 2, 1), d(2028, 2, 29))
        );
        assert_eq!(
            Period::Quarter { year: 2026, quarter: 4 }.days().unwrap(),
            (d(2026, 10, 1), d(2026, 12, 31))
        );
        assert_eq!(
            Period::Year { year: 2026 }.days().unwrap(),
            (d(2026, 1, 1), d(2026, 12, 31))
        );
        // November 2026 in Beijing: from 31 Oct 16:00 UTC to 30 Nov 16:00 UTC.
        let (start, end) = Period::Month { year: 2026, month: 11 }.instants(8).unwrap();
        assert_eq!(start, Utc.with_ymd_and_hms(2026, 10, 31, 16, 0, 0).unwrap());
        assert_eq!(end, Utc.with_ymd_and_hms(2026, 11, 30, 16, 0, 0).unwrap());
        let (s, e) = Period::Range {
            from: d(2026, 11, 3),
            to: d(2026, 11, 3),
        }
        .instants(8)
        .unwrap();
        assert_eq!(e - s, Duration::days(1));
        assert_eq!(
            Period::Quarter { year: 2026, quarter: 4 }.months().unwrap(),
            vec![(2026, 10), (2026, 11), (2026, 12)]
        );
    }

    #[test]
    fn bad_periods_name_the_field_and_the_fix() {
        for (p, field) in [
            (Period::Month { year: 2026, month: 13 }, "period"),
            (Period::Quarter { year: 2026, quarter: 5 }, "period"),
            (Period::Year { year: 1800 }, "period"),
            (
                Period::Range {
                    from: d(2026, 11, 3),
                    to: d(2026, 11, 2),
                },
                "period",
            ),
        ] {
            let e = p.days().unwrap_err();
            assert_eq!(e.field, field, "{p:?}");
            assert!(!e.message.is_empty());
        }
        let e = Period::parse_month("11/2026").unwrap_err();
        assert!(e.message.contains("2026-11"), "{}", e.message);
        assert_eq!(
            Period::Range {
                from: d(2026, 11, 3),
                to: d(2026, 11, 2)
            }
            .days()
            .unwrap_err()
            .code,
            "to"
        );
    }

    #[test]
    fn labels_and_the_year_before() {
        assert_eq!(Period::Month { year: 2026, month: 11 }.label(), "2026年11月");
        assert_eq!(Period::Quarter { year: 2026, quarter: 4 }.label(), "2026年第四季度");
        assert_eq!(Period::Year { year: 2026 }.label(), "2026年");
        let r = Period::Range {
            from: d(2028, 2, 29),
            to: d(2028, 3, 5),
        };
        assert_eq!(r.label(), "2028年2月29日至2028年3月5日");
        assert_eq!(
            r.year_before(),
            Period::Range {
                from: d(2027, 2, 28),
                to: d(2027, 3, 5)
            }
        );
        assert_eq!(Period::Year { year: 2026 }.year_before(), Period::Year { year: 2025 });
    }

    #[test]
    fn percentiles_shares_and_change() {
        assert_eq!(percentile(&[], 50), None);
        assert_eq!(percentile(&[7], 90), Some(7));
        assert_eq!(percentile(&[5, 1, 3, 2, 4], 50), Some(3));
        assert_eq!(percentile(&[1, 2, 3, 4], 50), Some(2));
        let ten: Vec<u32> = (1..=10).collect();
        assert_eq!(percentile(&ten, 90), Some(9));
        assert_eq!(percentile(&ten, 100), Some(10));
        let eleven: Vec<u32> = (1..=11).collect();
        assert_eq!(percentile(&eleven, 90), Some(10));
        assert_eq!(percent(1, 3), Some(33.3));
        assert_eq!(percent(2, 3), Some(66.7));
        assert_eq!(percent(1, 0), None);
        assert_eq!(change_percent(110, 100), Some(10.0));
        assert_eq!(change_percent(90, 120), Some(-25.0));
        assert_eq!(change_percent(5, 0), None);
        assert_eq!(week_start(d(2026, 11, 29)), d(2026, 11, 23));
        assert_eq!(week_start(d(2026, 11, 23)), d(2026, 11, 23));
    }
}
