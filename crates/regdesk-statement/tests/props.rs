//! Property tests of the text parsers and of `parse` on arbitrary input.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{Duration, NaiveDate, NaiveTime};
use proptest::prelude::*;
use regdesk_statement::{parse, parse_amount_fen, parse_date_time};

/// `1234567` → `1,234,567`.
fn with_thousands(n: i64, separator: &str) -> String {
    let digits = n.to_string();
    let mut groups: Vec<&str> = Vec::new();
    let mut end = digits.len();
    while end > 3 {
        groups.push(&digits[end - 3..end]);
        end -= 3;
    }
    groups.push(&digits[..end]);
    groups.reverse();
    groups.join(separator)
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    let start = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    let end = NaiveDate::from_ymd_opt(2100, 1, 1).unwrap();
    (0..(end - start).num_days()).prop_map(move |d| start + Duration::days(d))
}

fn any_time() -> impl Strategy<Value = NaiveTime> {
    (0u32..86_400).prop_map(|s| NaiveTime::from_num_seconds_from_midnight_opt(s, 0).unwrap())
}

const DATE_FORMATS: &[&str] = &[
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%Y%m%d",
    "%Y年%m月%d日",
    "%Y/%-m/%-d",
    "%Y年%-m月%-d日",
];
const DATE_TIME_FORMATS: &[&str] = &[
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M:%S",
    "%Y.%m.%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y%m%d%H%M%S",
    "%Y%m%d %H%M%S",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y-%m-%d %H:%M:%S%.3f",
];

/// Pieces that make text look like a statement, mixed with random text.
fn statement_like_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("交易日期".to_owned()),
        Just("交易时间".to_owned()),
        Just("贷方发生额".to_owned()),
        Just("借方发生额".to_owned()),
        Just("交易金额".to_owned()),
        Just("借贷标志".to_owned()),
        Just("对方户名".to_owned()),
        Just("摘要".to_owned()),
        Just("合计".to_owned()),
        Just("贷".to_owned()),
        Just("2026-11-20".to_owned()),
        Just("20261120103105".to_owned()),
        Just("10:31:05".to_owned()),
        Just("1,350.00".to_owned()),
        Just("-20.00".to_owned()),
        Just("=\"6222\"".to_owned()),
        Just(",".to_owned()),
        Just("\t".to_owned()),
        Just(";".to_owned()),
        Just("|".to_owned()),
        Just("\"".to_owned()),
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("\r".to_owned()),
        "\\PC{0,8}",
    ];
    proptest::collection::vec(piece, 0..120).prop_map(|pieces| pieces.concat())
}

proptest! {
    #[test]
    fn amount_round_trips_with_separators(fen in 0i64..1_000_000_000_000) {
        let text = format!("{}.{:02}", with_thousands(fen / 100, ","), fen % 100);
        prop_assert_eq!(parse_amount_fen(&text), Some(fen), "{}", text);
        let spaced = format!(" {}.{:02} ", with_thousands(fen / 100, " "), fen % 100);
        prop_assert_eq!(parse_amount_fen(&spaced), Some(fen), "{}", spaced);
        let yen = format!("¥{text}");
        prop_assert_eq!(parse_amount_fen(&yen), Some(fen), "{}", yen);
    }

    #[test]
    fn amount_round_trips_without_separators(fen in 0i64..1_000_000_000_000) {
        let text = format!("{}.{:02}", fen / 100, fen % 100);
        prop_assert_eq!(parse_amount_fen(&text), Some(fen), "{}", text);
        let negative = format!("-{text}");
        prop_assert_eq!(parse_amount_fen(&negative), Some(-fen), "{}", negative);
        if fen % 100 == 0 {
            prop_assert_eq!(parse_amount_fen(&(fen / 100).to_string()), Some(fen));
        }
    }

    #[test]
    fn amount_never_panics(text in "\\PC{0,40}") {
        let _ = parse_amount_fen(&text);
    }

    #[test]
    fn date_round_trips(date in any_date(), format in proptest::sample::select(DATE_FORMATS)) {
        let text = date.format(format).to_string();
        prop_assert_eq!(parse_date_time(&text), Some((date, None)), "{}", text);
    }

    #[test]
    fn date_time_round_trips(
        date in any_date(),
        time in any_time(),
        format in proptest::sample::select(DATE_TIME_FORMATS),
    ) {
        let text = date.and_time(time).format(format).to_string();
        prop_assert_eq!(parse_date_time(&text), Some((date, Some(time))), "{}", text);
        let minutes = date.and_time(time).format("%Y-%m-%d %H:%M").to_string();
        let without_seconds = NaiveTime::from_hms_opt(
            chrono::Timelike::hour(&time),
            chrono::Timelike::minute(&time),
            0,
        );
        prop_assert_eq!(parse_date_time(&minutes), Some((date, without_seconds)), "{}", minutes);
    }

    #[test]
    fn date_never_panics(text in "\\PC{0,40}") {
        let _ = parse_date_time(&text);
    }

    #[test]
    fn parse_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let _ = parse(&bytes, "statement.csv");
    }

    #[test]
    fn parse_never_panics_on_zip_like_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let mut data = b"PK\x03\x04".to_vec();
        data.extend(bytes);
        let _ = parse(&data, "statement.xlsx");
    }

    #[test]
    fn parse_never_panics_on_statement_like_text(text in statement_like_text()) {
        let _ = parse(text.as_bytes(), "statement.csv");
        let (gbk, _, _) = encoding_rs::GBK.encode(&text);
        let _ = parse(&gbk, "statement.csv");
    }

    #[test]
    fn parse_never_panics_on_arbitrary_strings(text in "[\\PC,\"\n\r\t]{0,400}") {
        let _ = parse(text.as_bytes(), "statement.csv");
    }
}
