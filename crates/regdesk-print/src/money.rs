//! Money as printed on receipts and reports: integer fen (分) shown as yuan (元).

/// Formats an amount in fen as yuan with thousands separators and two
/// decimals: `135000` → "1,350.00", `-5` → "-0.05".
pub fn yuan(fen: i64) -> String {
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
    let grouped = groups.join(",");
    let sign = if fen < 0 { "-" } else { "" };
    format!("{sign}{grouped}.{:02}", abs % 100)
}

/// An amount in fen as a number of yuan, for spreadsheet cells.
pub(crate) fn yuan_number(fen: i64) -> f64 {
    // Amounts stay far below 2^53 fen, so the conversion is exact.
    fen as f64 / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_fen_as_yuan() {
        let cases: &[(i64, &str)] = &[
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
        ];
        for &(fen, text) in cases {
            assert_eq!(yuan(fen), text, "{fen}");
        }
        assert!((yuan_number(135_050) - 1350.5).abs() < 1e-9);
    }
}
