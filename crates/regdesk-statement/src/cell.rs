//! One cell (单元格) of a statement row, from a CSV field or a worksheet cell.

use std::borrow::Cow;

use chrono::{NaiveDate, NaiveTime};

/// A cleaned cell value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Empty,
    Text(String),
    /// A spreadsheet number.
    Number(f64),
    /// A date-formatted spreadsheet cell: a date, a time of day, or both.
    DateTime(Option<NaiveDate>, Option<NaiveTime>),
}

impl Cell {
    /// A cell from raw text: cleaned, and `Empty` when nothing is left.
    pub(crate) fn from_text(raw: &str) -> Self {
        let cleaned = clean_text(raw);
        if cleaned.is_empty() {
            Self::Empty
        } else {
            Self::Text(cleaned.to_owned())
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        matches!(self, Self::Empty)
    }

    /// The cell as text (numbers without a trailing `.0`, dates as ISO).
    pub(crate) fn text(&self) -> Cow<'_, str> {
        match self {
            Self::Empty => Cow::Borrowed(""),
            Self::Text(s) => Cow::Borrowed(s),
            Self::Number(x) => {
                if x.fract() == 0.0 && x.abs() < 1e15 {
                    Cow::Owned(format!("{}", *x as i64))
                } else {
                    Cow::Owned(format!("{x}"))
                }
            }
            Self::DateTime(date, time) => {
                let date = date.map(|d| d.format("%Y-%m-%d").to_string());
                let time = time.map(|t| t.format("%H:%M:%S").to_string());
                let parts: Vec<String> = [date, time].into_iter().flatten().collect();
                Cow::Owned(parts.join(" "))
            }
        }
    }
}

/// Cleans a raw cell text: trims whitespace (including full-width spaces),
/// unwraps the Excel text trick `="6222020200012345678"`, and removes a
/// leading apostrophe or tab that exports use to keep long numbers as text.
pub(crate) fn clean_text(raw: &str) -> &str {
    let mut s = raw.trim();
    if let Some(inner) = s.strip_prefix("=\"").and_then(|rest| rest.strip_suffix('"')) {
        s = inner.trim();
    }
    if let Some(rest) = s.strip_prefix('\'') {
        s = rest.trim();
    }
    s
}

/// Maps full-width ASCII forms (`１２３，．－＋：（）`) and the ideographic
/// space to their half-width counterparts, and `￥` to `¥`.
pub(crate) fn to_half_width(text: &str) -> Cow<'_, str> {
    let needs = text
        .chars()
        .any(|c| matches!(c, '\u{ff01}'..='\u{ff5e}' | '\u{3000}' | '\u{ffe5}'));
    if !needs {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                '\u{ff01}'..='\u{ff5e}' => char::from_u32(u32::from(c) - 0xfee0).unwrap_or(c),
                '\u{3000}' => ' ',
                '\u{ffe5}' => '¥',
                _ => c,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaning() {
        assert_eq!(clean_text("  =\"6222020200012345678\" "), "6222020200012345678");
        assert_eq!(clean_text("'6222020200012345678"), "6222020200012345678");
        assert_eq!(clean_text("\t6222020200012345678"), "6222020200012345678");
        assert_eq!(clean_text("\u{3000}张伟\u{3000}"), "张伟");
        assert_eq!(clean_text("=\"\""), "");
        assert_eq!(clean_text("=SUM(A1)"), "=SUM(A1)");
        assert_eq!(Cell::from_text("  "), Cell::Empty);
    }

    #[test]
    fn half_width() {
        assert_eq!(to_half_width("＋１，３５０．００"), "+1,350.00");
        assert_eq!(to_half_width("￥150"), "¥150");
        assert_eq!(to_half_width("对方户名（收入）"), "对方户名(收入)");
    }

    #[test]
    fn cell_text() {
        assert_eq!(Cell::Number(6222.0).text(), "6222");
        assert_eq!(Cell::Number(150.5).text(), "150.5");
        let date = NaiveDate::from_ymd_opt(2026, 11, 20);
        assert_eq!(Cell::DateTime(date, None).text(), "2026-11-20");
    }
}
