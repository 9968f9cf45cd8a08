//! 费用 (fees): 150 CNY per work (docs/DOMAIN.md §6), kept as a setting, in integer fen.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::FieldError;

/// Upper bound of the per-work fee setting: 100,000 yuan.
pub const MAX_PER_WORK_FEN: i64 = 10_000_000;

/// 收费标准（设置）。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FeeSchedule {
    /// 每件作品登记费（分），默认 15000（150 元）
    #[ts(type = "number")]
    pub per_work_fen: i64,
}

impl Default for FeeSchedule {
    fn default() -> Self {
        FeeSchedule { per_work_fen: 15_000 }
    }
}

impl FeeSchedule {
    /// The fee may be zero (a free campaign) but not negative, and at most [`MAX_PER_WORK_FEN`].
    pub fn validate(&self) -> Result<(), FieldError> {
        if self.per_work_fen < 0 {
            return Err(FieldError::new(
                "per_work_fen",
                "negative",
                format!("每件作品登记费不能为负数，现在是 {}", format_yuan(self.per_work_fen)),
            ));
        }
        if self.per_work_fen > MAX_PER_WORK_FEN {
            return Err(FieldError::new(
                "per_work_fen",
                "too_large",
                format!(
                    "每件作品登记费最多 {}，现在是 {}，请改小",
                    format_yuan(MAX_PER_WORK_FEN),
                    format_yuan(self.per_work_fen)
                ),
            ));
        }
        Ok(())
    }
}

/// An amount in fen as yuan with two decimals, no currency sign and no
/// separators: `15000` → `150.00`, `-5` → `-0.05`. The fen-to-yuan arithmetic
/// of every crate is here and only here (a bank statement's amount cell, the
/// amount in a message through [`format_yuan`], documents through
/// [`grouped_yuan`]).
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    format!("{sign}{}", unsigned_yuan(fen.unsigned_abs()))
}

/// An amount in fen as messages show it: `15000` → `¥150.00`, `-150` → `-¥1.50`.
pub fn format_yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    format!("{sign}¥{}", unsigned_yuan(fen.unsigned_abs()))
}

/// An amount in fen as printed documents show it, with thousands separators:
/// `135000` → `1,350.00`, `-135000` → `-1,350.00`.
pub fn grouped_yuan(fen: i64) -> String {
    let abs = fen.unsigned_abs();
    let whole = (abs / 100).to_string();
    // Groups of three digits from the right; `whole` is ASCII digits only.
    let mut groups: Vec<&str> = Vec::with_capacity(whole.len() / 3 + 1);
    let mut end = whole.len();
    while end > 3 {
        groups.push(whole.get(end - 3..end).unwrap_or_default());
        end -= 3;
    }
    groups.push(whole.get(..end).unwrap_or_default());
    groups.reverse();
    let sign = if fen < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", groups.join(","), abs % 100)
}

fn unsigned_yuan(fen: u64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn amounts() {
        let f = FeeSchedule::default();
        assert_eq!(f.per_work_fen, 15_000);
    }

    #[test]
    fn formatting() {
        let table = [
            (15_000, "¥150.00"),
            (0, "¥0.00"),
            (1, "¥0.01"),
            (99, "¥0.99"),
            (100, "¥1.00"),
            (123_456_789, "¥1234567.89"),
            (-150, "-¥1.50"),
            (-1, "-¥0.01"),
            (i64::MIN, "-¥92233720368547758.08"),
        ];
        for (fen, want) in table {
            assert_eq!(format_yuan(fen), want, "{fen}");
        }
        for (fen, want) in [
            (15_000, "150.00"),
            (0, "0.00"),
            (5, "0.05"),
            (123_456_789, "1234567.89"),
            (-5, "-0.05"),
            (-150, "-1.50"),
            (i64::MIN, "-92233720368547758.08"),
        ] {
            assert_eq!(yuan(fen), want, "{fen}");
        }
        for (fen, want) in [
            (0, "0.00"),
            (5, "0.05"),
            (15_000, "150.00"),
            (135_000, "1,350.00"),
            (99_999, "999.99"),
            (100_000, "1,000.00"),
            (123_456_789, "1,234,567.89"),
            (-135_000, "-1,350.00"),
            (-5, "-0.05"),
            (i64::MIN, "-92,233,720,368,547,758.08"),
        ] {
            assert_eq!(grouped_yuan(fen), want, "{fen}");
        }
    }

    #[test]
    fn validation() {
        assert_eq!(FeeSchedule::default().validate(), Ok(()));
        assert_eq!(FeeSchedule { per_work_fen: 0 }.validate(), Ok(()));
        assert_eq!(
            FeeSchedule {
                per_work_fen: MAX_PER_WORK_FEN
            }
            .validate(),
            Ok(())
        );
        let e = FeeSchedule { per_work_fen: -1 }.validate().unwrap_err();
        assert_eq!((e.field.as_str(), e.code.as_str()), ("per_work_fen", "negative"));
        assert!(e.message.contains("-¥0.01"), "{}", e.message);
        let e = FeeSchedule {
            per_work_fen: MAX_PER_WORK_FEN + 1,
        }
        .validate()
        .unwrap_err();
        assert_eq!(e.code, "too_large");
        assert!(e.message.contains("最多 ¥100000.00"), "{}", e.message);
    }
}
