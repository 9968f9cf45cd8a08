//! 工作日历 (the working-day calendar) and the case periods (办理期限) that are
//! counted on it (docs/DOMAIN.md §7).
//!
//! A day is a working day when it is listed as a make-up working day (调休上班),
//! or when it is a Monday to Friday that is not a statutory holiday. Weekends
//! and statutory holidays are off. Each year is data (`assets/calendar/YYYY.txt`,
//! format documented in those files and in [`YearCalendar::parse`]); an admin
//! loads later years. Asking about a year that is not loaded is always an
//! error ([`CalendarError::YearNotLoaded`]), never a weekends-only guess.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::FieldError;

/// Compiled-in years: (year, text of `assets/calendar/YYYY.txt`).
const BUILTIN_YEARS: [(i32, &str); 2] = [
    (2025, include_str!("../../../assets/calendar/2025.txt")),
    (2026, include_str!("../../../assets/calendar/2026.txt")),
];

/// 工作日历错误。
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// 该年份的日历尚未载入。
    #[error("尚未载入 {0} 年的工作日历，请管理员在“管理 → 工作日历”中载入")]
    YearNotLoaded(i32),
    /// 日历文件语法错误（第几行、错在哪里）。
    #[error("第 {line} 行：{message}")]
    Syntax { line: usize, message: String },
    /// 日历文件没有声明年份。
    #[error("日历文件没有声明年份，请在第一条有效行写上 year YYYY（如 year 2027）")]
    MissingYear,
    /// 日期不在声明的年份内。
    #[error("{}日期 {date} 不在声明的 {year} 年内，请改为 {year} 年的日期或放到该年的日历文件中", at(*line))]
    OutsideYear { line: usize, date: NaiveDate, year: i32 },
    /// 调休上班日不是周末。
    #[error("{}调休上班日 {date} 是{}，本来就要上班；调休上班日只能是周六或周日", at(*line), weekday_label(date.weekday()))]
    MakeUpNotWeekend { line: usize, date: NaiveDate },
    /// 同一天既是节假日又是调休上班日。
    #[error("{}{date} 已在{}列为{}，同一天不能既放假又调休上班", at(*line), at_short(*other_line), if *listed_as_holiday { "节假日" } else { "调休上班日" })]
    HolidayIsMakeUp {
        line: usize,
        date: NaiveDate,
        other_line: usize,
        listed_as_holiday: bool,
    },
    /// 同一天重复列出。
    #[error("{}{date} 重复列出（{}已列过），请删去重复的一处", at(*line), at_short(*first_line))]
    Duplicate {
        line: usize,
        date: NaiveDate,
        first_line: usize,
    },
    /// 日期超出可计算范围。
    #[error("日期超出可计算的范围")]
    DateOutOfRange,
}

impl CalendarError {
    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            CalendarError::YearNotLoaded(_) => "year_not_loaded",
            CalendarError::Syntax { .. } => "syntax",
            CalendarError::MissingYear => "missing_year",
            CalendarError::OutsideYear { .. } => "outside_year",
            CalendarError::MakeUpNotWeekend { .. } => "make_up_not_weekend",
            CalendarError::HolidayIsMakeUp { .. } => "holiday_is_make_up",
            CalendarError::Duplicate { .. } => "duplicate",
            CalendarError::DateOutOfRange => "date_out_of_range",
        }
    }
}

/// "第 N 行：" for a line of a file; nothing for data that did not come from a file (line 0).
fn at(line: usize) -> String {
    if line == 0 {
        String::new()
    } else {
        format!("第 {line} 行：")
    }
}

fn at_short(line: usize) -> String {
    if line == 0 {
        "日历中".to_string()
    } else {
        format!("第 {line} 行")
    }
}

fn weekday_label(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "星期一",
        Weekday::Tue => "星期二",
        Weekday::Wed => "星期三",
        Weekday::Thu => "星期四",
        Weekday::Fri => "星期五",
        Weekday::Sat => "星期六",
        Weekday::Sun => "星期日",
    }
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// 日历中的一天（节假日或调休上班日）及其名称。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CalendarDay {
    pub date: NaiveDate,
    /// 名称，如 春节、国庆节调休上班；可为空。
    pub name: String,
}

/// The serialised shape of a [`YearCalendar`]; validated on the way in.
#[derive(Deserialize)]
struct YearCalendarData {
    year: i32,
    source: String,
    holidays: Vec<CalendarDay>,
    make_up_workdays: Vec<CalendarDay>,
}

/// 一年的工作日历：法定节假日（放假日）和调休上班日。
///
/// Always valid: built by [`YearCalendar::parse`] or [`YearCalendar::new`], and
/// checked again when deserialised. Both lists are sorted by date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(try_from = "YearCalendarData")]
pub struct YearCalendar {
    year: i32,
    /// 来源通知，如 国办发明电〔2024〕12号
    source: String,
    /// 放假日（含落在周末的放假日）
    holidays: Vec<CalendarDay>,
    /// 调休上班日（均为周六或周日）
    make_up_workdays: Vec<CalendarDay>,
}

impl TryFrom<YearCalendarData> for YearCalendar {
    type Error = CalendarError;
    fn try_from(d: YearCalendarData) -> Result<Self, Self::Error> {
        YearCalendar::new(d.year, d.source, d.holidays, d.make_up_workdays)
    }
}

/// Collects the days of one year, checking each as it comes (with its line number, 0 if none).
struct YearBuilder {
    year: i32,
    /// date → (line, is_holiday, name)
    days: BTreeMap<NaiveDate, (usize, bool, String)>,
}

impl YearBuilder {
    fn add(&mut self, line: usize, date: NaiveDate, holiday: bool, name: &str) -> Result<(), CalendarError> {
        if date.year() != self.year {
            return Err(CalendarError::OutsideYear {
                line,
                date,
                year: self.year,
            });
        }
        if !holiday && !is_weekend(date) {
            return Err(CalendarError::MakeUpNotWeekend { line, date });
        }
        if let Some((other_line, other_holiday, _)) = self.days.get(&date) {
            return Err(if *other_holiday == holiday {
                CalendarError::Duplicate {
                    line,
                    date,
                    first_line: *other_line,
                }
            } else {
                CalendarError::HolidayIsMakeUp {
                    line,
                    date,
                    other_line: *other_line,
                    listed_as_holiday: *other_holiday,
                }
            });
        }
        self.days.insert(date, (line, holiday, name.to_string()));
        Ok(())
    }

    fn finish(self, source: String) -> YearCalendar {
        let mut holidays = Vec::new();
        let mut make_up_workdays = Vec::new();
        for (date, (_, holiday, name)) in self.days {
            let day = CalendarDay { date, name };
            if holiday {
                holidays.push(day);
            } else {
                make_up_workdays.push(day);
            }
        }
        YearCalendar {
            year: self.year,
            source,
            holidays,
            make_up_workdays,
        }
    }
}

/// Parses `YYYY-MM-DD` strictly (four-digit year, two-digit month and day).
fn parse_iso_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    if !b
        .iter()
        .enumerate()
        .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
    {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

impl YearCalendar {
    /// Builds a year from lists of days, with the same checks as [`YearCalendar::parse`].
    pub fn new(
        year: i32,
        source: String,
        holidays: Vec<CalendarDay>,
        make_up_workdays: Vec<CalendarDay>,
    ) -> Result<YearCalendar, CalendarError> {
        let mut b = YearBuilder {
            year,
            days: BTreeMap::new(),
        };
        for d in &holidays {
            b.add(0, d.date, true, &d.name)?;
        }
        for d in &make_up_workdays {
            b.add(0, d.date, false, &d.name)?;
        }
        Ok(b.finish(source.trim().to_string()))
    }

    /// Parses a year's calendar file.
    ///
    /// Format, one statement per line; blank lines and lines starting with `#` are ignored:
    /// - `year YYYY` — the year; the first statement, exactly once;
    /// - `source TEXT` — the notice the data comes from (optional, at most once);
    /// - `off YYYY-MM-DD [name]` or `off YYYY-MM-DD..YYYY-MM-DD [name]` — day(s) off, both ends included;
    /// - `work YYYY-MM-DD [name]` — a make-up working day (must be a Saturday or Sunday).
    ///
    /// Every date must lie in the declared year; no date may be listed twice, nor be both off and work.
    pub fn parse(text: &str) -> Result<YearCalendar, CalendarError> {
        let mut builder: Option<YearBuilder> = None;
        let mut source: Option<String> = None;
        for (idx, raw) in text.lines().enumerate() {
            let line = idx + 1;
            let l = raw.trim().trim_start_matches('\u{feff}');
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            let syntax = |message: String| CalendarError::Syntax { line, message };
            let (keyword, rest) = match l.split_once(char::is_whitespace) {
                Some((k, r)) => (k, r.trim()),
                None => (l, ""),
            };
            match keyword {
                "year" => {
                    if builder.is_some() {
                        return Err(syntax("年份只能声明一次，请删去多余的 year 行".to_string()));
                    }
                    let year = (rest.len() == 4 && rest.bytes().all(|c| c.is_ascii_digit()))
                        .then(|| rest.parse::<i32>().ok())
                        .flatten()
                        .filter(|y| *y >= 1990)
                        .ok_or_else(|| syntax(format!("年份“{rest}”无效，应写成四位数字，如 year 2027")))?;
                    builder = Some(YearBuilder {
                        year,
                        days: BTreeMap::new(),
                    });
                }
                "source" | "off" | "work" => {
                    let Some(b) = builder.as_mut() else {
                        return Err(syntax("请先在第一条有效行声明年份：year YYYY".to_string()));
                    };
                    if keyword == "source" {
                        if source.is_some() {
                            return Err(syntax("来源只能写一行，请删去多余的 source 行".to_string()));
                        }
                        if rest.is_empty() {
                            return Err(syntax("source 后面请写来源通知的名称或文号".to_string()));
                        }
                        source = Some(rest.to_string());
                        continue;
                    }
                    let (when, name) = match rest.split_once(char::is_whitespace) {
                        Some((w, n)) => (w, n.trim()),
                        None => (rest, ""),
                    };
                    if when.is_empty() {
                        return Err(syntax(format!("{keyword} 后面请写日期，格式 YYYY-MM-DD")));
                    }
                    let bad_date = |s: &str| syntax(format!("日期“{s}”无效，应写成 YYYY-MM-DD，如 2027-01-01"));
                    let (first, last) = match when.split_once("..") {
                        Some((a, z)) => {
                            if keyword == "work" {
                                return Err(syntax("调休上班日请逐日列出，每行一个日期，不能写日期范围".to_string()));
                            }
                            let a = parse_iso_date(a).ok_or_else(|| bad_date(a))?;
                            let z = parse_iso_date(z).ok_or_else(|| bad_date(z))?;
                            if z < a {
                                return Err(syntax(format!("日期范围 {a}..{z} 的结束日早于开始日，请对调")));
                            }
                            (a, z)
                        }
                        None => {
                            let d = parse_iso_date(when).ok_or_else(|| bad_date(when))?;
                            (d, d)
                        }
                    };
                    let mut d = first;
                    loop {
                        b.add(line, d, keyword == "off", name)?;
                        if d >= last {
                            break;
                        }
                        d = d.succ_opt().ok_or(CalendarError::DateOutOfRange)?;
                    }
                }
                other => {
                    return Err(syntax(format!(
                        "无法识别“{other}”，每行应以 year、source、off 或 work 开头（注释行以 # 开头）"
                    )))
                }
            }
        }
        let b = builder.ok_or(CalendarError::MissingYear)?;
        Ok(b.finish(source.unwrap_or_default()))
    }

    pub fn year(&self) -> i32 {
        self.year
    }

    /// 来源通知（可能为空）。
    pub fn source(&self) -> &str {
        &self.source
    }

    /// 放假日，按日期排序。
    pub fn holidays(&self) -> &[CalendarDay] {
        &self.holidays
    }

    /// 调休上班日，按日期排序。
    pub fn make_up_workdays(&self) -> &[CalendarDay] {
        &self.make_up_workdays
    }

    /// Whether `date` is a working day; `None` if `date` is not in this year.
    pub fn is_working_day(&self, date: NaiveDate) -> Option<bool> {
        if date.year() != self.year {
            return None;
        }
        if self.holidays.binary_search_by_key(&date, |d| d.date).is_ok() {
            return Some(false);
        }
        if self.make_up_workdays.binary_search_by_key(&date, |d| d.date).is_ok() {
            return Some(true);
        }
        Some(!is_weekend(date))
    }
}

/// The serialised shape of a [`WorkCalendar`]; validated on the way in.
#[derive(Deserialize)]
struct WorkCalendarData {
    years: Vec<YearCalendar>,
}

/// 工作日历（多个年份）。Serialisable so that the store can keep the years an admin loaded.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(try_from = "WorkCalendarData")]
pub struct WorkCalendar {
    /// Sorted by year, one entry per year.
    years: Vec<YearCalendar>,
}

impl TryFrom<WorkCalendarData> for WorkCalendar {
    type Error = CalendarError;
    fn try_from(d: WorkCalendarData) -> Result<Self, Self::Error> {
        let mut c = WorkCalendar::default();
        for y in d.years {
            let year = y.year;
            if c.insert(y).is_some() {
                return Err(CalendarError::Syntax {
                    line: 0,
                    message: format!("{year} 年的日历重复出现"),
                });
            }
        }
        Ok(c)
    }
}

impl WorkCalendar {
    /// An empty calendar (every question is [`CalendarError::YearNotLoaded`]).
    pub fn new() -> WorkCalendar {
        WorkCalendar::default()
    }

    /// The years compiled into the program (2025 and 2026, from `assets/calendar/`).
    /// The compiled-in files are checked by this module's tests.
    pub fn builtin() -> WorkCalendar {
        let mut c = WorkCalendar::default();
        for (_, text) in BUILTIN_YEARS {
            if let Ok(y) = YearCalendar::parse(text) {
                c.insert(y);
            }
        }
        c
    }

    /// Adds a year, replacing (and returning) the one loaded before for the same year.
    pub fn insert(&mut self, year: YearCalendar) -> Option<YearCalendar> {
        match self.years.binary_search_by_key(&year.year, |y| y.year) {
            Ok(i) => Some(std::mem::replace(&mut self.years[i], year)),
            Err(i) => {
                self.years.insert(i, year);
                None
            }
        }
    }

    /// The loaded years, ascending.
    pub fn years(&self) -> Vec<i32> {
        self.years.iter().map(|y| y.year).collect()
    }

    /// The calendar of one year, if loaded.
    pub fn year(&self, year: i32) -> Option<&YearCalendar> {
        self.years
            .binary_search_by_key(&year, |y| y.year)
            .ok()
            .and_then(|i| self.years.get(i))
    }

    /// Whether `date` is a working day (工作日).
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        self.year(date.year())
            .and_then(|y| y.is_working_day(date))
            .ok_or(CalendarError::YearNotLoaded(date.year()))
    }

    /// The `n`-th working day strictly after `date` (n = 1: the next working day).
    /// `n = 0` returns `date` itself without asking the calendar.
    /// Every day passed over must lie in a loaded year.
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let mut d = date;
        let mut left = n;
        while left > 0 {
            d = d.succ_opt().ok_or(CalendarError::DateOutOfRange)?;
            if self.is_working_day(d)? {
                left -= 1;
            }
        }
        Ok(d)
    }

    /// The number of working days `d` with `from < d <= to` (the start day is not counted, the end day is);
    /// 0 when `to <= from`. Thus `working_days_between(d, add_working_days(d, n)?) == n`.
    /// Every day in `(from, to]` must lie in a loaded year.
    /// 剩余工作日: working days from `today` to the deadline `due` — 0 on the last day,
    /// negative once it has passed (−1 the first working day after).
    pub fn working_days_left(&self, today: NaiveDate, due: NaiveDate) -> Result<i64, CalendarError> {
        if today <= due {
            Ok(i64::from(self.working_days_between(today, due)?))
        } else {
            Ok(-i64::from(self.working_days_between(due, today)?))
        }
    }

    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> Result<u32, CalendarError> {
        if to <= from {
            return Ok(0);
        }
        // Check every year of the span first, so that a long count fails fast.
        for y in from.succ_opt().map_or(to.year(), |d| d.year())..=to.year() {
            if self.year(y).is_none() {
                return Err(CalendarError::YearNotLoaded(y));
            }
        }
        let mut count = 0;
        let mut d = from;
        while d < to {
            d = d.succ_opt().ok_or(CalendarError::DateOutOfRange)?;
            if self.is_working_day(d)? {
                count += 1;
            }
        }
        Ok(count)
    }
}

/// 办理期限设置（docs/DOMAIN.md §7）。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CasePeriods {
    /// 办结时限：受理后多少个工作日内办结（默认 30）
    pub review_working_days: u32,
    /// 补正通知：退回后多少个自然日内发出补正通知（默认 7）
    pub correction_notice_days: u32,
    /// 补正期限：补正通知发出后多少个自然日内未补正视为撤回（默认 30）
    pub correction_period_days: u32,
}

impl Default for CasePeriods {
    fn default() -> Self {
        CasePeriods {
            review_working_days: 30,
            correction_notice_days: 7,
            correction_period_days: 30,
        }
    }
}

/// Upper bounds of the period settings.
pub const MAX_REVIEW_WORKING_DAYS: u32 = 250;
pub const MAX_CORRECTION_NOTICE_DAYS: u32 = 60;
pub const MAX_CORRECTION_PERIOD_DAYS: u32 = 366;

fn checked_add_calendar_days(date: NaiveDate, days: u32) -> Result<NaiveDate, CalendarError> {
    date.checked_add_days(Days::new(u64::from(days)))
        .ok_or(CalendarError::DateOutOfRange)
}

impl CasePeriods {
    /// Every setting must be at least 1 and at most its bound; returns all problems at once.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errs = Vec::new();
        let checks = [
            (
                "review_working_days",
                "办结时限（工作日）",
                self.review_working_days,
                MAX_REVIEW_WORKING_DAYS,
            ),
            (
                "correction_notice_days",
                "补正通知期限（天）",
                self.correction_notice_days,
                MAX_CORRECTION_NOTICE_DAYS,
            ),
            (
                "correction_period_days",
                "补正期限（天）",
                self.correction_period_days,
                MAX_CORRECTION_PERIOD_DAYS,
            ),
        ];
        for (field, label, value, max) in checks {
            if value == 0 {
                errs.push(FieldError::new(
                    field,
                    "not_positive",
                    format!("{label}至少为 1，请改为 1 到 {max} 之间的数"),
                ));
            } else if value > max {
                errs.push(FieldError::new(
                    field,
                    "too_large",
                    format!("{label}最多为 {max}，现在是 {value}，请改小"),
                ));
            }
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs)
        }
    }

    /// 办结期限: the last day to finish a case accepted (or resubmitted) on `accepted_on`:
    /// the `review_working_days`-th working day after it.
    pub fn due_on(&self, accepted_on: NaiveDate, calendar: &WorkCalendar) -> Result<NaiveDate, CalendarError> {
        calendar.add_working_days(accepted_on, self.review_working_days)
    }

    /// 补正期限: the last day on which the applicant may correct after a notice sent on `notice_date`
    /// (calendar days); a filing not corrected by the end of that day is deemed withdrawn.
    pub fn correction_deadline(&self, notice_date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        checked_add_calendar_days(notice_date, self.correction_period_days)
    }
}

/// How many working days before a deadline count as "soon".
pub const SOON_WORKING_DAYS: i64 = 5;

/// 期限状态级别。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineLevel {
    /// 正常
    Normal,
    /// 临近（剩余 5 个工作日以内，含当天到期）
    Soon,
    /// 已逾期
    Overdue,
}

/// 期限状态：剩余工作日和级别，供界面显示。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DeadlineStatus {
    /// Working days left: the working days `d` with `today < d <= due` when not overdue; when overdue,
    /// minus the working days `d` with `due < d <= today` (0 when only days off have passed since).
    #[ts(type = "number")]
    pub working_days_left: i64,
    pub level: DeadlineLevel,
}

/// Classifies a deadline `due` as seen on `today` (both are arguments; no clock).
/// Overdue when `today > due`; soon when at most [`SOON_WORKING_DAYS`] working days are left
/// (a deadline of today is soon, not overdue); normal otherwise.
pub fn classify_deadline(
    today: NaiveDate,
    due: NaiveDate,
    calendar: &WorkCalendar,
) -> Result<DeadlineStatus, CalendarError> {
    let left = calendar.working_days_left(today, due)?;
    let level = if today > due {
        DeadlineLevel::Overdue
    } else if left <= SOON_WORKING_DAYS {
        DeadlineLevel::Soon
    } else {
        DeadlineLevel::Normal
    };
    Ok(DeadlineStatus {
        working_days_left: left,
        level,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn working_days_left_counts_down_and_past_the_deadline() {
        let cal = WorkCalendar::builtin();
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        // After Thu 24 Sep 2026: 中秋 (25–27 Sep) and 国庆 (1–7 Oct) are off: 28–30 Sep, 8–9 Oct.
        assert_eq!(cal.working_days_left(d(9, 24), d(10, 9)).unwrap(), 5);
        assert_eq!(cal.working_days_left(d(10, 9), d(10, 9)).unwrap(), 0);
        // Sat 10 Oct is a make-up working day.
        assert_eq!(cal.working_days_left(d(10, 12), d(10, 9)).unwrap(), -2);
    }
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn cal() -> WorkCalendar {
        WorkCalendar::builtin()
    }

    #[test]
    fn builtin_files_parse() {
        for (year, text) in BUILTIN_YEARS {
            let y = YearCalendar::parse(text).unwrap();
            assert_eq!(y.year(), year);
            assert!(!y.source().is_empty());
        }
        assert_eq!(cal().years(), vec![2025, 2026]);
        // 2025: 1 + 8 + 3 + 5 + 3 + 8 = 28 days off, 5 make-up days.
        let y25 = cal().year(2025).cloned().unwrap();
        assert_eq!((y25.holidays().len(), y25.make_up_workdays().len()), (28, 5));
        // 2026: 3 + 9 + 3 + 5 + 3 + 3 + 7 = 33 days off, 6 make-up days.
        let y26 = cal().year(2026).cloned().unwrap();
        assert_eq!((y26.holidays().len(), y26.make_up_workdays().len()), (33, 6));
    }

    /// Every holiday block: (working day before, first day, last day, day after).
    /// The day after is the first working day after the block (a weekend in between is skipped by hand).
    #[test]
    fn every_holiday_edge() {
        let c = cal();
        let blocks = [
            // 2025
            ("2024-12-31", "2025-01-01", "2025-01-01", "2025-01-02"), // 2024-12-31 not loaded: checked below
            ("2025-01-27", "2025-01-28", "2025-02-04", "2025-02-05"),
            ("2025-04-03", "2025-04-04", "2025-04-06", "2025-04-07"),
            ("2025-04-30", "2025-05-01", "2025-05-05", "2025-05-06"),
            ("2025-05-30", "2025-05-31", "2025-06-02", "2025-06-03"),
            ("2025-09-30", "2025-10-01", "2025-10-08", "2025-10-09"),
            // 2026
            ("2025-12-31", "2026-01-01", "2026-01-03", "2026-01-04"), // 01-04 is a make-up Sunday
            ("2026-02-14", "2026-02-15", "2026-02-23", "2026-02-24"), // 02-14 is a make-up Saturday
            ("2026-04-03", "2026-04-04", "2026-04-06", "2026-04-07"),
            ("2026-04-30", "2026-05-01", "2026-05-05", "2026-05-06"),
            ("2026-06-18", "2026-06-19", "2026-06-21", "2026-06-22"),
            ("2026-09-24", "2026-09-25", "2026-09-27", "2026-09-28"),
            ("2026-09-30", "2026-10-01", "2026-10-07", "2026-10-08"),
        ];
        for (before, first, last, after) in blocks {
            if before != "2024-12-31" {
                assert_eq!(c.is_working_day(d(before)), Ok(true), "day before {first}");
            }
            assert_eq!(c.is_working_day(d(first)), Ok(false), "first day {first}");
            assert_eq!(c.is_working_day(d(last)), Ok(false), "last day {last}");
            assert_eq!(c.is_working_day(d(after)), Ok(true), "day after {last}");
            // No working day inside the block.
            let mut x = d(first);
            while x <= d(last) {
                assert_eq!(c.is_working_day(x), Ok(false), "inside block {x}");
                x = x.succ_opt().unwrap();
            }
        }
        assert_eq!(
            c.is_working_day(d("2024-12-31")),
            Err(CalendarError::YearNotLoaded(2024))
        );
    }

    #[test]
    fn make_up_days_and_ordinary_weekends() {
        let c = cal();
        for s in [
            "2025-01-26",
            "2025-02-08",
            "2025-04-27",
            "2025-09-28",
            "2025-10-11",
            "2026-01-04",
            "2026-02-14",
            "2026-02-28",
            "2026-05-09",
            "2026-09-20",
            "2026-10-10",
        ] {
            assert!(is_weekend(d(s)), "{s} is a weekend day");
            assert_eq!(c.is_working_day(d(s)), Ok(true), "make-up day {s}");
        }
        // Ordinary weekends and ordinary weekdays.
        let table = [
            ("2025-03-08", false), // Saturday
            ("2025-03-09", false), // Sunday
            ("2026-03-07", false), // Saturday
            ("2026-11-29", false), // Sunday
            ("2025-03-10", true),  // Monday
            ("2026-11-25", true),  // Wednesday
            ("2025-10-12", false), // Sunday right after the make-up Saturday
            ("2026-02-22", false), // Sunday inside the Spring Festival block
        ];
        for (s, want) in table {
            assert_eq!(c.is_working_day(d(s)), Ok(want), "{s}");
        }
    }

    #[test]
    fn add_working_days_by_hand() {
        let c = cal();
        let table: [(&str, u32, &str); 12] = [
            // 2025 Spring Festival: from Fri 01-24: 01-26 (Sun, make-up) = 1, Mon 01-27 = 2,
            // 01-28..02-04 off, Wed 02-05 = 3, Thu 02-06 = 4, Fri 02-07 = 5, Sat 02-08 (make-up) = 6,
            // Mon 02-10 = 7.
            ("2025-01-24", 1, "2025-01-26"),
            ("2025-01-24", 2, "2025-01-27"),
            ("2025-01-24", 3, "2025-02-05"),
            ("2025-01-24", 6, "2025-02-08"),
            ("2025-01-24", 7, "2025-02-10"),
            // 2025 National Day: from Fri 09-26: Sun 09-28 (make-up) = 1, Mon 09-29 = 2, Tue 09-30 = 3,
            // 10-01..10-08 off, Thu 10-09 = 4, Fri 10-10 = 5, Sat 10-11 (make-up) = 6, Mon 10-13 = 7.
            ("2025-09-26", 3, "2025-09-30"),
            ("2025-09-26", 4, "2025-10-09"),
            ("2025-09-26", 7, "2025-10-13"),
            // 2026 Spring Festival: from Fri 02-13: Sat 02-14 (make-up) = 1, 02-15..02-23 off,
            // Tue 02-24 = 2, Wed 25 = 3, Thu 26 = 4, Fri 27 = 5, Sat 02-28 (make-up) = 6, Mon 03-02 = 7.
            ("2026-02-13", 2, "2026-02-24"),
            ("2026-02-13", 7, "2026-03-02"),
            // 2026 National Day: from Wed 09-30: 10-01..10-07 off, Thu 10-08 = 1, Fri 10-09 = 2,
            // Sat 10-10 (make-up) = 3, Mon 10-12 = 4.
            ("2026-09-30", 3, "2026-10-10"),
            ("2026-09-30", 4, "2026-10-12"),
        ];
        for (from, n, want) in table {
            assert_eq!(c.add_working_days(d(from), n), Ok(d(want)), "{from} + {n}");
            assert_eq!(
                c.working_days_between(d(from), d(want)),
                Ok(n),
                "between {from} and {want}"
            );
        }
        assert_eq!(c.add_working_days(d("2026-02-13"), 0), Ok(d("2026-02-13")));
        // Across the new year: from Wed 2025-12-31: 2026-01-01..03 off, Sun 01-04 (make-up) = 1.
        assert_eq!(c.add_working_days(d("2025-12-31"), 1), Ok(d("2026-01-04")));
    }

    #[test]
    fn between_definition() {
        let c = cal();
        let table = [
            ("2026-11-25", "2026-11-25", 0), // same day
            ("2026-11-26", "2026-11-25", 0), // to before from
            ("2026-11-24", "2026-11-25", 1), // end day counted
            ("2026-11-27", "2026-11-30", 1), // Fri → Mon: Sat, Sun off, Mon counted
            ("2026-11-27", "2026-11-29", 0), // Fri → Sun
            ("2025-01-01", "2025-12-31", 248),
            ("2026-01-01", "2026-12-31", 248),
        ];
        for (from, to, want) in table {
            assert_eq!(c.working_days_between(d(from), d(to)), Ok(want), "{from}..{to}");
        }
        // An unloaded start day does not matter when only later days are counted.
        assert_eq!(c.working_days_between(d("2024-12-31"), d("2025-01-02")), Ok(1));
    }

    #[test]
    fn year_not_loaded_errors() {
        let c = cal();
        // Counting from mid-December 2026 into 2027 must fail, not guess.
        assert_eq!(
            c.add_working_days(d("2026-12-20"), 30),
            Err(CalendarError::YearNotLoaded(2027))
        );
        assert_eq!(
            c.working_days_between(d("2026-12-01"), d("2027-01-05")),
            Err(CalendarError::YearNotLoaded(2027))
        );
        assert_eq!(
            c.is_working_day(d("2027-03-01")),
            Err(CalendarError::YearNotLoaded(2027))
        );
        let e = c.add_working_days(d("2026-12-30"), 5).unwrap_err();
        assert_eq!(e.code(), "year_not_loaded");
        assert_eq!(
            e.to_string(),
            "尚未载入 2027 年的工作日历，请管理员在“管理 → 工作日历”中载入"
        );
        // A gap between loaded years is also an error.
        let mut gap = WorkCalendar::new();
        gap.insert(YearCalendar::parse("year 2025").unwrap());
        gap.insert(YearCalendar::parse("year 2027").unwrap());
        assert_eq!(
            gap.working_days_between(d("2025-12-30"), d("2027-01-05")),
            Err(CalendarError::YearNotLoaded(2026))
        );
        assert_eq!(
            WorkCalendar::new().is_working_day(d("2026-01-05")),
            Err(CalendarError::YearNotLoaded(2026))
        );
    }

    #[test]
    fn parser_errors() {
        let table: [(&str, &str, &str); 14] = [
            ("", "missing_year", "year YYYY"),
            ("# only a comment\n\n", "missing_year", "year YYYY"),
            ("off 2027-01-01", "syntax", "第 1 行：请先在第一条有效行声明年份"),
            ("year 27", "syntax", "第 1 行：年份“27”无效"),
            ("year 2027\nyear 2027", "syntax", "第 2 行：年份只能声明一次"),
            ("year 2027\nholiday 2027-01-01", "syntax", "第 2 行：无法识别“holiday”"),
            ("year 2027\noff 2027/01/01", "syntax", "第 2 行：日期“2027/01/01”无效"),
            ("year 2027\noff 2027-02-30", "syntax", "第 2 行：日期“2027-02-30”无效"),
            (
                "year 2027\noff 2027-02-05..2027-02-01",
                "syntax",
                "第 2 行：日期范围 2027-02-05..2027-02-01 的结束日早于开始日",
            ),
            (
                "year 2027\n\noff 2026-12-31",
                "outside_year",
                "第 3 行：日期 2026-12-31 不在声明的 2027 年内",
            ),
            (
                "year 2027\noff 2027-12-30..2028-01-01",
                "outside_year",
                "第 2 行：日期 2028-01-01 不在声明的 2027 年内",
            ),
            // 2027-01-04 is a Monday.
            (
                "year 2027\nwork 2027-01-04",
                "make_up_not_weekend",
                "第 2 行：调休上班日 2027-01-04 是星期一",
            ),
            // 2027-01-02 is a Saturday.
            (
                "year 2027\noff 2027-01-01..2027-01-03\nwork 2027-01-02",
                "holiday_is_make_up",
                "第 3 行：2027-01-02 已在第 2 行列为节假日",
            ),
            (
                "year 2027\noff 2027-01-01\n# x\noff 2026-12-31..2027-01-01",
                "outside_year",
                "第 4 行",
            ),
        ];
        for (text, code, msg) in table {
            let e = YearCalendar::parse(text).unwrap_err();
            assert_eq!(e.code(), code, "{text:?}: {e}");
            assert!(e.to_string().contains(msg), "{text:?}: {e}");
        }
        let dup = YearCalendar::parse("year 2027\noff 2027-01-01\noff 2026-12-31").unwrap_err();
        assert_eq!(dup.code(), "outside_year");
        let dup = YearCalendar::parse("year 2027\noff 2027-01-01 元旦\noff 2027-01-01").unwrap_err();
        assert_eq!(dup.code(), "duplicate");
        assert!(
            dup.to_string()
                .contains("第 3 行：2027-01-01 重复列出（第 2 行已列过）"),
            "{dup}"
        );
        let dup = YearCalendar::parse("year 2027\nwork 2027-01-02\nwork 2027-01-02").unwrap_err();
        assert_eq!(dup.code(), "duplicate");
        let both = YearCalendar::parse("year 2027\nwork 2027-01-02\noff 2027-01-02").unwrap_err();
        assert!(both.to_string().contains("列为调休上班日"), "{both}");
        let range = YearCalendar::parse("year 2027\nwork 2027-01-02..2027-01-03").unwrap_err();
        assert_eq!(range.code(), "syntax");
    }

    #[test]
    fn parse_accepts_names_sources_and_later_year() {
        let y = YearCalendar::parse(
            "\u{feff}# 2027\nyear 2027\nsource 某通知\n\noff 2027-01-01 元旦\noff 2027-02-06..2027-02-08 春节 假期\nwork 2027-01-02",
        )
        .unwrap();
        assert_eq!(y.year(), 2027);
        assert_eq!(y.source(), "某通知");
        assert_eq!(y.holidays().len(), 4);
        assert_eq!(y.holidays()[1].name, "春节 假期");
        assert_eq!(y.is_working_day(d("2027-01-02")), Some(true));
        assert_eq!(y.is_working_day(d("2027-02-08")), Some(false));
        assert_eq!(y.is_working_day(d("2026-02-08")), None);
        let mut c = cal();
        assert!(c.insert(y.clone()).is_none());
        assert_eq!(c.years(), vec![2025, 2026, 2027]);
        assert_eq!(c.insert(y).map(|o| o.year()), Some(2027));
        // Now the count into 2027 works: from Thu 2026-12-31: Fri 2027-01-01 off, Sat 01-02 make-up = 1.
        assert_eq!(c.add_working_days(d("2026-12-31"), 1), Ok(d("2027-01-02")));
    }

    #[test]
    fn serde_round_trip_and_validation() {
        let c = cal();
        let json = serde_json::to_string(&c).unwrap();
        let back: WorkCalendar = serde_json::from_str(&json).unwrap();
        assert_eq!(back, c);
        // A stored year that breaks the rules is refused on load.
        let bad = r#"{"years":[{"year":2027,"source":"","holidays":[],"make_up_workdays":[{"date":"2027-01-04","name":""}]}]}"#;
        let e = serde_json::from_str::<WorkCalendar>(bad).unwrap_err();
        assert!(e.to_string().contains("调休上班日 2027-01-04 是星期一"), "{e}");
        let dup = r#"{"years":[{"year":2027,"source":"","holidays":[],"make_up_workdays":[]},{"year":2027,"source":"","holidays":[],"make_up_workdays":[]}]}"#;
        assert!(serde_json::from_str::<WorkCalendar>(dup).is_err());
    }

    #[test]
    fn case_periods() {
        let p = CasePeriods::default();
        assert_eq!(p.validate(), Ok(()));
        let c = cal();
        // Accepted Mon 2026-09-14. Working days after it: 09-15..18 (4), Sun 09-20 make-up (5), 09-21..24 (9),
        // 09-25..27 off, 09-28..30 (12), 10-01..07 off, 10-08, 10-09 (14), Sat 10-10 make-up (15),
        // 10-12..16 (20), 10-19..23 (25), 10-26..30 (30) → due Fri 2026-10-30.
        assert_eq!(p.due_on(d("2026-09-14"), &c), Ok(d("2026-10-30")));
        assert_eq!(p.correction_deadline(d("2026-01-30")), Ok(d("2026-03-01")));
        assert_eq!(p.due_on(d("2026-12-01"), &c), Err(CalendarError::YearNotLoaded(2027)));

        let bad = CasePeriods {
            review_working_days: 0,
            correction_notice_days: 61,
            correction_period_days: 60,
        };
        let errs = bad.validate().unwrap_err();
        let got: Vec<_> = errs.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(
            got,
            vec![
                ("review_working_days", "not_positive"),
                ("correction_notice_days", "too_large")
            ]
        );
        assert!(errs[1].message.contains("补正通知期限（天）最多为 60，现在是 61"));
    }

    #[test]
    fn deadline_levels() {
        let c = cal();
        let due = d("2026-10-30"); // Friday
        let table = [
            ("2026-10-16", 10, DeadlineLevel::Normal),
            ("2026-10-22", 6, DeadlineLevel::Normal),
            ("2026-10-23", 5, DeadlineLevel::Soon),
            ("2026-10-30", 0, DeadlineLevel::Soon),
            ("2026-10-31", 0, DeadlineLevel::Overdue), // Saturday after: overdue, no working day passed
            ("2026-11-02", -1, DeadlineLevel::Overdue),
            ("2026-11-06", -5, DeadlineLevel::Overdue),
        ];
        for (today, left, level) in table {
            let s = classify_deadline(d(today), due, &c).unwrap();
            assert_eq!(
                s,
                DeadlineStatus {
                    working_days_left: left,
                    level
                },
                "{today}"
            );
        }
        assert_eq!(
            classify_deadline(d("2026-12-30"), d("2027-01-10"), &c),
            Err(CalendarError::YearNotLoaded(2027))
        );
    }

    proptest! {
        #[test]
        fn between_inverts_add(offset in 0u64..730, n in 1u32..=60) {
            let c = cal();
            let start = d("2025-01-01").checked_add_days(Days::new(offset)).unwrap();
            match c.add_working_days(start, n) {
                Ok(end) => {
                    prop_assert!(end > start);
                    prop_assert_eq!(c.is_working_day(end), Ok(true));
                    prop_assert_eq!(c.working_days_between(start, end), Ok(n));
                    prop_assert_eq!(c.working_days_between(start, end.pred_opt().unwrap()), Ok(n - 1));
                }
                Err(e) => {
                    prop_assert_eq!(e, CalendarError::YearNotLoaded(2027));
                    prop_assert!(start.year() == 2026 && start.month() >= 10);
                }
            }
        }
    }
}
