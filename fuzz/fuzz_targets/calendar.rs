//! Working-day calendar files (工作日历, what `regdesk calendar load` and the admin screen read).
//!
//! Properties: no panic; a refusal has a message and a code; an accepted year has a year ≥ 1990,
//! sorted, distinct days inside that year, make-up working days on weekends only, no day both off and
//! work; writing it out in the file format and reading it again gives the same year; its JSON form
//! (as the store keeps it) reads back to the same year; and counting working days on it agrees
//! with `add_working_days`.
#![no_main]

use chrono::{Datelike, NaiveDate, Weekday};
use libfuzzer_sys::fuzz_target;
use regdesk_domain::calendar::{WorkCalendar, YearCalendar};

fn write_out(y: &YearCalendar) -> String {
    let mut text = format!("year {}\n", y.year());
    if !y.source().is_empty() {
        text.push_str(&format!("source {}\n", y.source()));
    }
    for d in y.holidays() {
        text.push_str(&format!("off {} {}\n", d.date.format("%Y-%m-%d"), d.name));
    }
    for d in y.make_up_workdays() {
        text.push_str(&format!("work {} {}\n", d.date.format("%Y-%m-%d"), d.name));
    }
    text
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let year = match YearCalendar::parse(text) {
        Ok(y) => y,
        Err(e) => {
            assert!(!e.code().is_empty());
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    assert!(year.year() >= 1990);
    for list in [year.holidays(), year.make_up_workdays()] {
        assert!(list.windows(2).all(|w| w[0].date < w[1].date), "not sorted");
        assert!(list.iter().all(|d| d.date.year() == year.year()), "outside the year");
    }
    for d in year.make_up_workdays() {
        assert!(
            matches!(d.date.weekday(), Weekday::Sat | Weekday::Sun),
            "{} not a weekend",
            d.date
        );
        assert_eq!(year.is_working_day(d.date), Some(true));
    }
    for d in year.holidays() {
        assert_eq!(year.is_working_day(d.date), Some(false));
    }
    let again = YearCalendar::parse(&write_out(&year));
    assert_eq!(again.as_ref(), Ok(&year), "written out: {}", write_out(&year));
    let json = serde_json::to_string(&year).expect("serialise");
    let back: YearCalendar = serde_json::from_str(&json).expect("stored year reads back");
    assert_eq!(back, year);

    let mut calendar = WorkCalendar::new();
    calendar.insert(year.clone());
    let Some(jan1) = NaiveDate::from_ymd_opt(year.year(), 1, 1) else {
        return;
    };
    for n in [1u32, 5, 20] {
        match calendar.add_working_days(jan1, n) {
            Ok(due) => {
                assert_eq!(calendar.is_working_day(due), Ok(true));
                assert_eq!(calendar.working_days_between(jan1, due), Ok(n));
                assert_eq!(calendar.working_days_left(jan1, due), Ok(i64::from(n)));
            }
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
});
