//! Dates (交易日期 / 记账日期) and times (交易时间) as written by banks.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime};

use crate::cell::to_half_width;

/// Parses a bank date, optionally followed by a time of day.
///
/// Dates: `2026-11-20`, `2026/11/20`, `2026.11.20`, `20261120`,
/// `2026年11月20日` (month and day may have one digit, full-width digits are
/// accepted). An optional time follows after spaces or `T`: `10:31:05`,
/// `10:31`, `103105`, `10时31分05秒`; fractions of seconds are dropped. The
/// compact forms `20261120103105` and `202611201031` are also accepted.
///
/// Anything else after the date makes the whole text unparseable (`None`), so
/// that a line such as `打印日期：2026-12-01` or `2026-11-30 合计` is not
/// mistaken for a transaction date. Years outside 1900–2999 are refused.
pub fn parse_date_time(text: &str) -> Option<(NaiveDate, Option<NaiveTime>)> {
    let half = to_half_width(text);
    let s = half.trim();
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return match s.len() {
            8 => Some((compact_date(s)?, None)),
            12 | 14 => {
                let (d, t) = s.split_at(8);
                Some((compact_date(d)?, Some(parse_time(t)?)))
            }
            _ => None,
        };
    }
    let (date, rest) = split_date(s)?;
    let rest = rest.trim_start();
    let rest = rest.strip_prefix('T').unwrap_or(rest).trim_start();
    if rest.is_empty() {
        return Some((date, None));
    }
    Some((date, Some(parse_time(rest)?)))
}

/// Parses a time of day alone: `10:31:05`, `10:31`, `9:05`, `103105`,
/// `1031`, `10:31:05.250` (fraction dropped), `10时31分05秒`.
pub(crate) fn parse_time(text: &str) -> Option<NaiveTime> {
    let half = to_half_width(text);
    let s = half.trim();
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return match s.len() {
            4 => hms(num(&s[0..2])?, num(&s[2..4])?, 0),
            6 => hms(num(&s[0..2])?, num(&s[2..4])?, num(&s[4..6])?),
            _ => None,
        };
    }
    let s = s.strip_suffix('秒').unwrap_or(s);
    let parts: Vec<&str> = s.split([':', '时', '分']).collect();
    let (h, m, sec) = match parts.as_slice() {
        [h, m] => (*h, *m, "0"),
        [h, m, sec] => (*h, *m, *sec),
        _ => return None,
    };
    // Seconds may carry a fraction, which is dropped.
    let sec = match sec.split_once('.') {
        Some((whole, frac)) if !frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit()) => whole,
        Some(_) => return None,
        None => sec,
    };
    if h.is_empty() || h.len() > 2 || m.len() != 2 || sec.len() > 2 || sec.is_empty() {
        return None;
    }
    hms(num(h)?, num(m)?, num(sec)?)
}

fn hms(h: u32, m: u32, s: u32) -> Option<NaiveTime> {
    NaiveTime::from_hms_opt(h, m, s)
}

fn num(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn ymd(y: u32, m: u32, d: u32) -> Option<NaiveDate> {
    if !(1900..=2999).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

fn compact_date(s: &str) -> Option<NaiveDate> {
    ymd(num(s.get(0..4)?)?, num(s.get(4..6)?)?, num(s.get(6..8)?)?)
}

/// Splits `YYYY-M-D`, `YYYY/M/D`, `YYYY.M.D`, `YYYYMMDD` or `YYYY年M月D日`
/// off the front of `s`, returning the date and the rest.
fn split_date(s: &str) -> Option<(NaiveDate, &str)> {
    let digits_end = |t: &str| t.bytes().take_while(u8::is_ascii_digit).count();
    let year_len = digits_end(s);
    if year_len == 8 {
        let (d, rest) = s.split_at(8);
        return Some((compact_date(d)?, rest));
    }
    if year_len != 4 {
        return None;
    }
    let year = num(&s[..4])?;
    let rest = &s[4..];
    let sep = rest.chars().next()?;
    let month_sep = match sep {
        '-' | '/' | '.' => sep,
        '年' => '月',
        _ => return None,
    };
    let rest = &rest[sep.len_utf8()..];
    let month_len = digits_end(rest);
    if !(1..=2).contains(&month_len) {
        return None;
    }
    let month = num(&rest[..month_len])?;
    let rest = rest[month_len..].strip_prefix(month_sep)?;
    let day_len = digits_end(rest);
    if !(1..=2).contains(&day_len) {
        return None;
    }
    let day = num(&rest[..day_len])?;
    let mut rest = &rest[day_len..];
    if sep == '年' {
        rest = rest.strip_prefix('日').unwrap_or(rest);
    }
    Some((ymd(year, month, day)?, rest))
}

/// An Excel serial date-time (1900 date system) to a date and time of day.
///
/// The integer part counts days (1 = 1900-01-01, with Excel's fictitious
/// 1900-02-29 at 60); the fraction is the time of day, rounded to the second.
/// Returns `(None, Some(time))` for a pure time (serial below 1) and
/// `(Some(date), None)` when the time is exactly midnight.
pub(crate) fn from_excel_serial(serial: f64) -> Option<(Option<NaiveDate>, Option<NaiveTime>)> {
    if !serial.is_finite() || !(0.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let seconds = (serial * 86_400.0).round() as i64;
    let days = seconds.div_euclid(86_400);
    let second_of_day = seconds.rem_euclid(86_400);
    let time = NaiveTime::from_num_seconds_from_midnight_opt(u32::try_from(second_of_day).ok()?, 0)?;
    if days == 0 {
        return Some((None, Some(time)));
    }
    // Day 60 is Excel's non-existent 1900-02-29.
    if days == 60 {
        return None;
    }
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let offset = if days < 60 { days + 1 } else { days };
    let date = epoch.checked_add_signed(Duration::days(offset))?;
    let time = (second_of_day != 0).then_some(time);
    Some((Some(date), time))
}

/// A date-formatted workbook cell: its serial `value` and the calendar day
/// that the workbook reader computed for it (which knows whether the workbook
/// uses the 1904 date system). The 1900 system is assumed unless the reader's
/// day disagrees, in which case the 1904 offset (1462 days) is applied.
pub(crate) fn from_excel_cell(value: f64, reader_ymd: (u16, u8, u8)) -> Option<(Option<NaiveDate>, Option<NaiveTime>)> {
    let mut serial = value;
    if value >= 1.0 {
        if let Some((Some(day), _)) = from_excel_serial(value.floor()) {
            let ours = (day.year_ce().1, day.month(), day.day());
            let theirs = (
                u32::from(reader_ymd.0),
                u32::from(reader_ymd.1),
                u32::from(reader_ymd.2),
            );
            if ours != theirs {
                serial += 1462.0;
            }
        }
    }
    from_excel_serial(serial)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn t(h: u32, m: u32, s: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, s).unwrap_or_default()
    }

    #[test]
    fn dates() {
        let day = d(2026, 11, 20);
        for text in [
            "2026-11-20",
            "2026/11/20",
            "2026.11.20",
            "20261120",
            "2026年11月20日",
            "2026年11月20",
            " 2026-11-20 ",
            "２０２６－１１－２０",
        ] {
            assert_eq!(parse_date_time(text), Some((day, None)), "{text:?}");
        }
        assert_eq!(parse_date_time("2026/1/5"), Some((d(2026, 1, 5), None)));
    }

    #[test]
    fn date_times() {
        let want = Some((d(2026, 11, 20), Some(t(10, 31, 5))));
        for text in [
            "2026-11-20 10:31:05",
            "2026-11-20T10:31:05",
            "2026/11/20 10:31:05",
            "20261120103105",
            "20261120 103105",
            "2026年11月20日 10:31:05",
            "2026年11月20日10时31分05秒",
            "2026-11-20 10:31:05.000",
        ] {
            assert_eq!(parse_date_time(text), want, "{text:?}");
        }
        assert_eq!(
            parse_date_time("2026-11-20 10:31"),
            Some((d(2026, 11, 20), Some(t(10, 31, 0))))
        );
        assert_eq!(
            parse_date_time("202611201031"),
            Some((d(2026, 11, 20), Some(t(10, 31, 0))))
        );
    }

    #[test]
    fn refused_dates() {
        for text in [
            "",
            "合计",
            "打印日期：2026-12-01",
            "2026-11-20 合计",
            "2026-13-01",
            "2026-02-30",
            "2026-11/20",
            "26-11-20",
            "2026112",
            "1350.00",
            "2026-11-20 25:00",
            "0001-01-01",
            "2026-11-201",
        ] {
            assert_eq!(parse_date_time(text), None, "{text:?}");
        }
    }

    #[test]
    fn times() {
        assert_eq!(parse_time("10:31:05"), Some(t(10, 31, 5)));
        assert_eq!(parse_time("9:05"), Some(t(9, 5, 0)));
        assert_eq!(parse_time("103105"), Some(t(10, 31, 5)));
        assert_eq!(parse_time("1031"), Some(t(10, 31, 0)));
        assert_eq!(parse_time("10时31分05秒"), Some(t(10, 31, 5)));
        assert_eq!(parse_time("10:31:05.999"), Some(t(10, 31, 5)));
        assert_eq!(parse_time("10:3"), None);
        assert_eq!(parse_time("24:00:00"), None);
        assert_eq!(parse_time(""), None);
    }

    #[test]
    fn excel_serials() {
        // 2026-11-20 is serial 46346.
        assert_eq!(from_excel_serial(46346.0), Some((Some(d(2026, 11, 20)), None)));
        let serial = 46346.0 + (10.0 * 3600.0 + 31.0 * 60.0 + 5.0) / 86_400.0;
        assert_eq!(
            from_excel_serial(serial),
            Some((Some(d(2026, 11, 20)), Some(t(10, 31, 5))))
        );
        assert_eq!(from_excel_serial(0.5), Some((None, Some(t(12, 0, 0)))));
        assert_eq!(from_excel_serial(1.0), Some((Some(d(1900, 1, 1)), None)));
        assert_eq!(from_excel_serial(61.0), Some((Some(d(1900, 3, 1)), None)));
        assert_eq!(from_excel_serial(-1.0), None);
        assert_eq!(from_excel_serial(f64::NAN), None);
    }

    #[test]
    fn excel_cells() {
        assert_eq!(
            from_excel_cell(46346.25, (2026, 11, 20)),
            Some((Some(d(2026, 11, 20)), Some(t(6, 0, 0))))
        );
        // The same day in a 1904-system workbook has a serial 1462 smaller.
        assert_eq!(
            from_excel_cell(44884.0, (2026, 11, 20)),
            Some((Some(d(2026, 11, 20)), None))
        );
        assert_eq!(from_excel_cell(0.5, (1900, 1, 0)), Some((None, Some(t(12, 0, 0)))));
    }
}
