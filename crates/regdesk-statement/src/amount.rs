//! Amounts (金额) as integer fen (分): exact decimal parsing, never floats.

use crate::cell::to_half_width;

/// Parses a money amount written as text into integer fen (分, 1 元 = 100 分).
///
/// Accepted: `1350`, `1350.5`, `1,350.00`, ` 1 350.00 ` (groups of three
/// separated by `,` or spaces), full-width digits and signs (`＋１，３５０．００`),
/// a currency mark before the number (`¥`, `￥`, `RMB`, `CNY`, `人民币`) or `元`
/// after it, a leading `+` or `-` sign, and accounting negatives `(150.00)`.
/// Negative amounts come back negative.
///
/// Returns `None` for empty cells and placeholders (`""`, `-`, `--`), for
/// malformed digit groups (`1,5`), and for more than two decimals unless the
/// extra decimals are zeros (`1350.500` is fine, `1350.505` is not). The text
/// is parsed as a decimal string; no floating point is involved.
pub fn parse_amount_fen(text: &str) -> Option<i64> {
    let half = to_half_width(text);
    let mut s = half.trim();
    let mut negative = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|rest| rest.strip_suffix(')')) {
        negative = true;
        s = inner.trim();
    }
    let mut signed = negative;
    loop {
        let before = s;
        if !signed {
            if let Some(rest) = s.strip_prefix('-') {
                negative = true;
                signed = true;
                s = rest.trim_start();
            } else if let Some(rest) = s.strip_prefix('+') {
                signed = true;
                s = rest.trim_start();
            }
        }
        for mark in ["¥", "RMB", "CNY", "人民币"] {
            if let Some(rest) = s.strip_prefix(mark) {
                s = rest.trim_start();
            }
        }
        if s == before {
            break;
        }
    }
    if let Some(rest) = s.strip_suffix('元') {
        s = rest.trim_end();
    }
    let (int_text, frac_text) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let yuan = parse_grouped_integer(int_text)?;
    let fen_part = match frac_text {
        None => 0,
        Some(f) => parse_fraction_fen(f)?,
    };
    let fen = yuan.checked_mul(100)?.checked_add(fen_part)?;
    Some(if negative { -fen } else { fen })
}

/// Integer part, optionally grouped by thousands with `,` or spaces.
fn parse_grouped_integer(text: &str) -> Option<i64> {
    let groups: Vec<&str> = text.split([',', ' ', '\u{a0}']).collect();
    if groups
        .iter()
        .any(|g| g.is_empty() || !g.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    if groups.len() > 1 {
        let first_ok = groups.first().is_some_and(|g| g.len() <= 3);
        let rest_ok = groups.iter().skip(1).all(|g| g.len() == 3);
        if !first_ok || !rest_ok {
            return None;
        }
    }
    let mut value: i64 = 0;
    for b in groups.iter().flat_map(|g| g.bytes()) {
        value = value.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
    }
    Some(value)
}

/// Decimals after the point: one or two digits, further digits only zeros.
fn parse_fraction_fen(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if bytes.is_empty() || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if bytes.iter().skip(2).any(|&b| b != b'0') {
        return None;
    }
    let tens = i64::from(bytes.first().map_or(0, |b| b - b'0'));
    let ones = i64::from(bytes.get(1).map_or(0, |b| b - b'0'));
    Some(tens * 10 + ones)
}

/// A spreadsheet number (元, as `f64`) to fen, rounding to the nearest fen.
///
/// Refuses non-finite numbers, amounts of 10^10 元 or more, and numbers that
/// are not within a thousandth of a fen of a whole fen (sub-fen amounts).
pub(crate) fn fen_from_f64(yuan: f64) -> Option<i64> {
    if !yuan.is_finite() || yuan.abs() >= 1e10 {
        return None;
    }
    let fen = yuan * 100.0;
    let rounded = fen.round();
    if (fen - rounded).abs() > 1e-3 {
        return None;
    }
    Some(rounded as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_grouped() {
        assert_eq!(parse_amount_fen("1,350.00"), Some(135_000));
        assert_eq!(parse_amount_fen("¥1,350.00"), Some(135_000));
        assert_eq!(parse_amount_fen("￥1,350.00"), Some(135_000));
        assert_eq!(parse_amount_fen("1350"), Some(135_000));
        assert_eq!(parse_amount_fen("1350.5"), Some(135_050));
        assert_eq!(parse_amount_fen(" 1 350.00 "), Some(135_000));
        assert_eq!(parse_amount_fen("＋1,350.00"), Some(135_000));
        assert_eq!(parse_amount_fen("＋１，３５０．００"), Some(135_000));
        assert_eq!(parse_amount_fen("150.00元"), Some(15_000));
        assert_eq!(parse_amount_fen("RMB 300.00"), Some(30_000));
        assert_eq!(parse_amount_fen("人民币300"), Some(30_000));
        assert_eq!(parse_amount_fen("0.00"), Some(0));
        assert_eq!(parse_amount_fen("0.07"), Some(7));
        assert_eq!(parse_amount_fen("1350.500"), Some(135_050));
    }

    #[test]
    fn negatives() {
        assert_eq!(parse_amount_fen("-20.00"), Some(-2_000));
        assert_eq!(parse_amount_fen("－20.00"), Some(-2_000));
        assert_eq!(parse_amount_fen("-¥20.00"), Some(-2_000));
        assert_eq!(parse_amount_fen("¥-20.00"), Some(-2_000));
        assert_eq!(parse_amount_fen("(1,350.00)"), Some(-135_000));
    }

    #[test]
    fn refused() {
        for text in [
            "",
            " ",
            "-",
            "--",
            "+",
            "¥",
            "1,5",
            "1,35,000.00",
            "12,3456.00",
            "1350.505",
            "1350.",
            ".5",
            "1.2.3",
            "abc",
            "1350.00.00",
            "--5",
            "+-5",
            "1e5",
            "NaN",
            "—",
        ] {
            assert_eq!(parse_amount_fen(text), None, "{text:?}");
        }
    }

    #[test]
    fn overflow_is_none() {
        assert_eq!(parse_amount_fen("92233720368547758.07"), Some(i64::MAX));
        assert_eq!(parse_amount_fen("92233720368547758.08"), None);
        assert_eq!(parse_amount_fen("999999999999999999999"), None);
    }

    #[test]
    fn from_float() {
        assert_eq!(fen_from_f64(1350.0), Some(135_000));
        assert_eq!(fen_from_f64(150.1), Some(15_010));
        assert_eq!(fen_from_f64(0.07), Some(7));
        assert_eq!(fen_from_f64(-20.0), Some(-2_000));
        assert_eq!(fen_from_f64(150.005), None);
        assert_eq!(fen_from_f64(f64::NAN), None);
        assert_eq!(fen_from_f64(f64::INFINITY), None);
        assert_eq!(fen_from_f64(1e11), None);
    }
}
