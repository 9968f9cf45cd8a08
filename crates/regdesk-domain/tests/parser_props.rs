//! Quick properties of the parsers that read outside input: identity numbers, calendar files and
//! stored payloads. The same properties run for long under the coverage-guided fuzz targets in
//! `fuzz/` (docs/TESTING.md); these keep them in the normal test run.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{Datelike, Days, NaiveDate, Weekday};
use proptest::prelude::*;
use regdesk_domain::calendar::YearCalendar;
use regdesk_domain::identity::{check, gb11643_check_char, guess_type, DocumentType};
use regdesk_domain::lifecycle::{CaseFacts, CaseState, StaffId};
use regdesk_domain::stored::{read_draft, read_facts, upgrade_journal, FormatError, Payload};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 15).unwrap()
}

/// Text shaped like ID numbers: digits, the check letter, USCC letters, H/M prefixes, white space,
/// full-width digits and anything else now and then.
fn id_like() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{17}[0-9Xx]",
        "[0-9]{15,19}",
        "[0-9A-HJ-NPQRTUWXYa-z]{18}",
        "[HMhm][0-9]{8,10}",
        "[A-Za-z]{3}[0-9]{12}",
        "[ \t\u{3000}]?[0-9A-Z \u{ff10}-\u{ff19}]{0,20}[ \t]?",
        "\\PC{0,45}",
    ]
}

/// A year's calendar file: the year line, maybe a source, off days and ranges and make-up weekend
/// days inside the year (now and then outside it), comments, blank lines, stray text.
fn calendar_like() -> impl Strategy<Value = String> {
    (2025i32..=2027).prop_flat_map(|y| {
        let jan1 = NaiveDate::from_ymd_opt(y, 1, 1).unwrap();
        let day = move |k: u64| jan1.checked_add_days(Days::new(k)).unwrap();
        let weekend = move |k: u64| {
            let d = day(k);
            let to_sat = (5 + 7 - d.weekday().num_days_from_monday()) % 7;
            d.checked_add_days(Days::new(u64::from(to_sat))).unwrap()
        };
        let name = "[\u{4e00}-\u{4e20}]{0,4}";
        let line = prop_oneof![
            3 => (0u64..380, name).prop_map(move |(k, n)| format!("off {} {n}", day(k))),
            2 => (0u64..360, 0u64..6).prop_map(move |(k, len)| format!("off {}..{} 假期", day(k), day(k + len))),
            2 => (0u64..358, name).prop_map(move |(k, n)| format!("work {} {n}", weekend(k))),
            1 => Just("source 国务院办公厅通知".to_string()),
            1 => Just("# 注释".to_string()),
            1 => Just(String::new()),
            1 => "\\PC{0,20}",
        ];
        (prop::bool::weighted(0.95), prop::collection::vec(line, 0..8)).prop_map(move |(has_year, lines)| {
            let mut text = if has_year { format!("year {y}\n") } else { String::new() };
            for l in lines {
                text.push_str(&l);
                text.push('\n');
            }
            text
        })
    })
}

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

const DRAFT: &str = r#"{"work":{"title":"西湖晨雾","category":"photography"},"owners":[{"kind":"natural_person","name":"林晓雨","id_type":"resident_id","id_number":"330106198810101409"}],"samples":[],"delivery":"pickup"}"#;
/// Case facts as the store writes them.
fn facts_text() -> String {
    let facts = CaseFacts {
        state: CaseState::AwaitingFirstReview,
        paid_fen: 15_000,
        first_reviewers: vec![StaffId("01a21052-edc0-704b-b884-36ae5dec222f".to_string())],
        ..CaseFacts::default()
    };
    serde_json::to_string(&facts).unwrap()
}

/// Stored text: a valid payload, one with a value changed, or anything.
fn stored_like() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(DRAFT.to_string()),
        Just(facts_text()),
        (0..DRAFT.len(), "\\PC{0,3}").prop_map(|(i, s)| {
            let mut t = DRAFT.to_string();
            let i = (0..=i).rev().find(|i| t.is_char_boundary(*i)).unwrap_or(0);
            t.insert_str(i, &s);
            t
        }),
        "\\PC{0,60}",
    ]
}

fn check_format<T>(r: &Result<T, FormatError>, format: i64, current: i64) -> Result<(), TestCaseError> {
    match r {
        Err(FormatError::TooNew { found, .. }) => prop_assert!(format > current && *found == format),
        Err(FormatError::Invalid { found, .. }) => prop_assert!(format < 1 && *found == format),
        Err(FormatError::Malformed { .. }) | Ok(_) => prop_assert!((1..=current).contains(&format)),
    }
    Ok(())
}

proptest! {
    #[test]
    fn an_accepted_id_number_is_the_trimmed_input_and_checks_again(input in id_like(), days in 0u64..400) {
        let today = today().checked_add_days(Days::new(days)).unwrap();
        let _ = guess_type(&input);
        for doc_type in DocumentType::ALL {
            match check(doc_type, &input, today) {
                Ok(doc) => {
                    let free = matches!(doc_type, DocumentType::Passport | DocumentType::Other);
                    let want = if free { input.trim().to_string() } else { input.trim().to_ascii_uppercase() };
                    prop_assert_eq!(&doc.number, &want);
                    prop_assert_eq!(check(doc_type, &doc.number, today), Ok(doc.clone()));
                    if matches!(doc_type, DocumentType::ResidentId | DocumentType::ResidencePermit) {
                        prop_assert_eq!(gb11643_check_char(&doc.number[..17]), doc.number.chars().last());
                        prop_assert!(doc.person.as_ref().unwrap().birth_date <= today);
                    }
                }
                Err(e) => {
                    prop_assert_eq!(e.doc_type(), doc_type);
                    prop_assert!(!e.to_string().is_empty());
                }
            }
        }
    }

    #[test]
    fn an_accepted_calendar_is_well_formed_and_reads_back(text in calendar_like()) {
        let Ok(year) = YearCalendar::parse(&text) else {
            return Ok(());
        };
        for list in [year.holidays(), year.make_up_workdays()] {
            prop_assert!(list.windows(2).all(|w| w[0].date < w[1].date));
            prop_assert!(list.iter().all(|d| d.date.year() == year.year()));
        }
        for d in year.make_up_workdays() {
            prop_assert!(matches!(d.date.weekday(), Weekday::Sat | Weekday::Sun));
            prop_assert!(!year.holidays().iter().any(|h| h.date == d.date));
        }
        prop_assert_eq!(YearCalendar::parse(&write_out(&year)), Ok(year.clone()));
        let json = serde_json::to_string(&year).unwrap();
        prop_assert_eq!(serde_json::from_str::<YearCalendar>(&json).unwrap(), year);
    }

    #[test]
    fn stored_payloads_never_panic_and_refuse_by_format(
        text in stored_like(),
        format in prop_oneof![Just(1i64), Just(2i64), Just(0i64), Just(i64::MIN), Just(i64::MAX), any::<i64>()],
    ) {
        let draft = read_draft(format, &text);
        check_format(&draft, format, Payload::Draft.current())?;
        if let Ok(d) = &draft {
            let again = read_draft(Payload::Draft.current(), &serde_json::to_string(d).unwrap());
            prop_assert_eq!(again.as_ref(), Ok(d));
        }
        let facts = read_facts(format, &text);
        check_format(&facts, format, Payload::Facts.current())?;
        if let Ok(f) = &facts {
            let again = read_facts(Payload::Facts.current(), &serde_json::to_string(f).unwrap());
            prop_assert_eq!(again.as_ref(), Ok(f));
        }
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
            check_format(&upgrade_journal(format, v), format, Payload::Journal.current())?;
        }
    }
}

/// The generators above reach the accepting paths, so the properties are not vacuous.
#[test]
fn the_generators_reach_accepted_input() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    read_draft(1, DRAFT).unwrap();
    read_facts(1, &facts_text()).unwrap();
    let mut runner = TestRunner::deterministic();
    let strategy = calendar_like();
    let accepted = (0..200)
        .filter(|_| YearCalendar::parse(&strategy.new_tree(&mut runner).unwrap().current()).is_ok())
        .count();
    assert!(accepted >= 40, "{accepted} of 200 calendars accepted");
    let ids = id_like();
    let accepted = (0..500)
        .filter(|_| {
            let input = ids.new_tree(&mut runner).unwrap().current();
            [
                DocumentType::ResidentId,
                DocumentType::Uscc,
                DocumentType::HkMacaoPermit,
            ]
            .into_iter()
            .any(|t| check(t, &input, today()).is_ok())
        })
        .count();
    assert!(accepted >= 20, "{accepted} of 500 ID-like inputs accepted");
}
