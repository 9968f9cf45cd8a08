//! Test helpers shared by the payment modules' tests.

use chrono::NaiveDate;

use crate::error::FieldError;

pub(super) fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub(super) fn codes(errs: &[FieldError]) -> Vec<(&str, &str)> {
    errs.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect()
}
