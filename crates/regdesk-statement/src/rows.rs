//! Data rows (明细行) below the header: lines, skipped rows, fingerprints.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveTime};
use sha2::{Digest, Sha256};

use crate::amount::{fen_from_f64, parse_amount_fen};
use crate::cell::{to_half_width, Cell};
use crate::datetime::{from_excel_serial, parse_date_time, parse_time};
use crate::header::Layout;
use crate::{SkipReason, SkippedLine, StatementLine};

/// Words that mark a totals row (合计行).
const TOTALS_WORDS: &[&str] = &["合计", "总计", "小计", "本页合计", "累计", "笔数"];

/// One raw row: its 1-based line (CSV) or row (xlsx) number and its cells.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawRow {
    pub line: u32,
    pub cells: Vec<Cell>,
}

/// Reads the rows below the header into lines and skipped rows.
pub(crate) fn read_rows(layout: &Layout, rows: &[RawRow]) -> (Vec<StatementLine>, Vec<SkippedLine>) {
    let mut lines = Vec::new();
    let mut skipped = Vec::new();
    let mut seen: HashMap<String, u32> = HashMap::new();
    for row in rows {
        match read_row(layout, row) {
            Ok(mut line) => {
                let record = normalized_record(&line);
                let k = seen.entry(record.clone()).or_insert(0);
                line.fingerprint = fingerprint(&record, *k);
                *k += 1;
                lines.push(line);
            }
            Err(reason) => skipped.push(SkippedLine {
                line: row.line,
                reason,
                text: row_text(&row.cells),
            }),
        }
    }
    (lines, skipped)
}

/// The row's cells as one text for display: trailing empty cells dropped,
/// the others joined with ` | `.
fn row_text(cells: &[Cell]) -> String {
    let end = cells.iter().rposition(|c| !c.is_empty()).map_or(0, |i| i + 1);
    cells[..end]
        .iter()
        .map(|c| c.text().into_owned())
        .collect::<Vec<_>>()
        .join(" | ")
}

fn cell(row: &RawRow, index: Option<usize>) -> &Cell {
    index.and_then(|i| row.cells.get(i)).unwrap_or(&Cell::Empty)
}

fn text(row: &RawRow, index: Option<usize>) -> String {
    cell(row, index).text().trim().to_owned()
}

fn read_row(layout: &Layout, row: &RawRow) -> Result<StatementLine, SkipReason> {
    if row.cells.iter().all(Cell::is_empty) {
        return Err(SkipReason::Blank);
    }
    let Some((date, date_time)) = cell_date(cell(row, Some(layout.date))) else {
        return Err(if looks_like_totals(&row.cells, false) {
            SkipReason::Totals
        } else {
            SkipReason::NoDate
        });
    };
    if looks_like_totals(&row.cells, true) {
        return Err(SkipReason::Totals);
    }
    let time = match layout.time {
        Some(_) => cell_time(cell(row, layout.time)).or(date_time),
        None => date_time,
    };
    let (credit_fen, debit_fen) = amounts(layout, row);
    if credit_fen.is_none() && debit_fen.is_none() {
        return Err(SkipReason::NoAmount);
    }
    let mut memo: Vec<String> = Vec::new();
    for i in &layout.memo {
        let part = text(row, Some(*i));
        if !part.is_empty() && !memo.contains(&part) {
            memo.push(part);
        }
    }
    Ok(StatementLine {
        line: row.line,
        date,
        time,
        payer: text(row, layout.payer),
        payer_account: text(row, layout.payer_account),
        payer_bank: text(row, layout.payer_bank),
        credit_fen,
        debit_fen,
        memo: memo.join(" / "),
        reference: text(row, layout.reference),
        fingerprint: String::new(),
    })
}

/// Whether the first non-empty cells of a row mark it as a totals row.
///
/// For rows without a date any of the first three non-empty cells may
/// contain a totals word (`合计：`, `本页合计`, `笔数 5`). When the row has
/// a date, a cell must be a totals label itself (`本日合计`, `合计：`), so
/// that a payer such as 累计科技有限公司 is not taken for a totals row.
fn looks_like_totals(cells: &[Cell], has_date: bool) -> bool {
    cells
        .iter()
        .filter(|c| !c.is_empty())
        .take(3)
        .filter_map(|c| match c {
            Cell::Text(t) => Some(t),
            _ => None,
        })
        .any(|t| {
            let half = to_half_width(t);
            let label: String = half.chars().filter(|c| !c.is_whitespace()).collect();
            let label = label.trim_end_matches([':', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
            if has_date {
                label.chars().count() <= 6 && TOTALS_WORDS.iter().any(|w| label.ends_with(w))
            } else {
                TOTALS_WORDS.iter().any(|w| label.contains(w))
            }
        })
}

fn cell_date(cell: &Cell) -> Option<(NaiveDate, Option<NaiveTime>)> {
    match cell {
        Cell::Empty => None,
        Cell::Text(t) => parse_date_time(t),
        Cell::DateTime(date, time) => date.map(|d| (d, *time)),
        Cell::Number(x) => {
            // 20261120 typed as a number, or a serial that lost its format.
            if x.fract() == 0.0 && (19_000_101.0..=29_991_231.0).contains(x) {
                parse_date_time(&format!("{}", *x as i64))
            } else if (1.0..2_958_466.0).contains(x) {
                match from_excel_serial(*x)? {
                    (Some(d), t) => Some((d, t)),
                    (None, _) => None,
                }
            } else {
                None
            }
        }
    }
}

fn cell_time(cell: &Cell) -> Option<NaiveTime> {
    match cell {
        Cell::Empty => None,
        Cell::Text(t) => parse_time(t).or_else(|| parse_date_time(t).and_then(|(_, time)| time)),
        Cell::DateTime(_, time) => *time,
        Cell::Number(x) if (0.0..1.0).contains(x) => from_excel_serial(*x).and_then(|(_, t)| t),
        Cell::Number(x) if x.fract() == 0.0 && (0.0..=235_959.0).contains(x) => {
            parse_time(&format!("{:06}", *x as i64))
        }
        Cell::Number(_) => None,
    }
}

fn cell_fen(cell: &Cell) -> Option<i64> {
    match cell {
        Cell::Text(t) => parse_amount_fen(t),
        Cell::Number(x) => fen_from_f64(*x),
        Cell::Empty | Cell::DateTime(..) => None,
    }
}

/// Direction words of the 借贷标志 column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Credit,
    Debit,
}

fn direction(text: &str) -> Option<Direction> {
    let half = to_half_width(text);
    let t: String = half
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    match t.as_str() {
        "贷" | "贷方" | "收" | "收入" | "收款" | "来账" | "转入" | "存入" | "入账" | "C" | "CR" | "CREDIT" | "+" => {
            Some(Direction::Credit)
        }
        "借" | "借方" | "支" | "支出" | "付" | "付款" | "往账" | "转出" | "取出" | "出账" | "D" | "DR" | "DEBIT"
        | "-" => Some(Direction::Debit),
        _ => None,
    }
}

/// The credit and debit amounts of a row, each positive when present.
///
/// With credit/debit columns a zero counts as absent (banks fill `0.00` in
/// the other column); a negative credit is a reversal and is read as a debit,
/// and a negative debit is read as a debit of the same size. With one amount
/// column the direction decides; an empty or unknown direction falls back to
/// the sign (negative = debit).
fn amounts(layout: &Layout, row: &RawRow) -> (Option<i64>, Option<i64>) {
    let positive = |fen: Option<i64>| fen.filter(|v| *v > 0);
    if layout.credit.is_some() {
        let credit = cell_fen(cell(row, layout.credit)).unwrap_or(0);
        let debit = cell_fen(cell(row, layout.debit)).unwrap_or(0);
        if credit < 0 && debit == 0 {
            return (None, credit.checked_abs());
        }
        return (positive(Some(credit)), positive(debit.checked_abs()));
    }
    let Some(amount) = cell_fen(cell(row, layout.amount)) else {
        return (None, None);
    };
    let dir = direction(&cell(row, layout.direction).text());
    match (dir, amount) {
        (_, 0) => (None, None),
        (Some(Direction::Credit), a) if a > 0 => (Some(a), None),
        (Some(Direction::Debit), a) => (None, a.checked_abs()),
        (None, a) if a > 0 => (Some(a), None),
        (_, a) => (None, a.checked_abs()),
    }
}

/// Collapses runs of whitespace to one space and trims.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The normalized record that the fingerprint is computed from.
fn normalized_record(line: &StatementLine) -> String {
    let fen = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
    let account: String = line.payer_account.chars().filter(|c| !c.is_whitespace()).collect();
    [
        line.date.format("%Y-%m-%d").to_string(),
        line.time.map(|t| t.format("%H:%M:%S").to_string()).unwrap_or_default(),
        fen(line.credit_fen),
        fen(line.debit_fen),
        account,
        squash(&line.payer),
        squash(&line.reference),
        squash(&line.memo),
    ]
    .join("\u{1f}")
}

/// Lowercase hex SHA-256 of the record and its occurrence index `k`.
fn fingerprint(record: &str, k: u32) -> String {
    let mut hasher = Sha256::new();
    hasher.update(record.as_bytes());
    hasher.update("\u{1f}".as_bytes());
    hasher.update(k.to_string().as_bytes());
    hex::encode(hasher.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::{match_header, HeaderMatch};

    fn layout(headers: &[&str]) -> Layout {
        let cells: Vec<Cell> = headers.iter().map(|t| Cell::from_text(t)).collect();
        match match_header(&cells) {
            HeaderMatch::Yes(layout) => layout,
            _ => unreachable!("not a header: {headers:?}"),
        }
    }

    fn raw(line: u32, texts: &[&str]) -> RawRow {
        RawRow {
            line,
            cells: texts.iter().map(|t| Cell::from_text(t)).collect(),
        }
    }

    #[test]
    fn zero_in_credit_column_means_debit_line() {
        let l = layout(&["日期", "贷方金额", "借方金额"]);
        let (lines, skipped) = read_rows(&l, &[raw(2, &["2026-11-20", "0.00", "580.00"])]);
        assert!(skipped.is_empty());
        assert_eq!((lines[0].credit_fen, lines[0].debit_fen), (None, Some(58_000)));
        assert!(!lines[0].is_credit());
    }

    #[test]
    fn negative_credit_is_a_reversal() {
        let l = layout(&["日期", "贷方金额", "借方金额"]);
        let (lines, _) = read_rows(&l, &[raw(2, &["2026-11-20", "-150.00", ""])]);
        assert_eq!((lines[0].credit_fen, lines[0].debit_fen), (None, Some(15_000)));
    }

    #[test]
    fn directions() {
        let l = layout(&["日期", "交易金额", "借贷标志"]);
        let rows = [
            raw(2, &["2026-11-20", "150.00", "贷"]),
            raw(3, &["2026-11-20", "150.00", "借"]),
            raw(4, &["2026-11-20", "-20.00", ""]),
            raw(5, &["2026-11-20", "300.00", "CR"]),
            raw(6, &["2026-11-20", "0.00", "贷"]),
        ];
        let (lines, skipped) = read_rows(&l, &rows);
        let got: Vec<(Option<i64>, Option<i64>)> = lines.iter().map(|l| (l.credit_fen, l.debit_fen)).collect();
        assert_eq!(
            got,
            vec![
                (Some(15_000), None),
                (None, Some(15_000)),
                (None, Some(2_000)),
                (Some(30_000), None)
            ]
        );
        assert_eq!(skipped[0].reason, SkipReason::NoAmount);
    }

    #[test]
    fn skip_reasons() {
        let l = layout(&["日期", "对方户名", "贷方金额"]);
        let rows = [
            raw(2, &["", "", ""]),
            raw(3, &["合计", "", "450.00"]),
            raw(4, &["", "本页合计：", "450.00"]),
            raw(5, &["2026-11-30", "本日合计", "450.00"]),
            raw(6, &["2026-11-30", "累计科技有限公司", "450.00"]),
            raw(7, &["打印时间：2026-12-01", "", ""]),
            raw(8, &["2026-11-20", "张伟", ""]),
            raw(9, &["笔数：3"]),
        ];
        let (lines, skipped) = read_rows(&l, &rows);
        let reasons: Vec<(u32, SkipReason)> = skipped.iter().map(|s| (s.line, s.reason)).collect();
        assert_eq!(
            reasons,
            vec![
                (2, SkipReason::Blank),
                (3, SkipReason::Totals),
                (4, SkipReason::Totals),
                (5, SkipReason::Totals),
                (7, SkipReason::NoDate),
                (8, SkipReason::NoAmount),
                (9, SkipReason::Totals),
            ]
        );
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].payer, "累计科技有限公司");
        assert_eq!(skipped[1].text, "合计 |  | 450.00");
    }

    #[test]
    fn identical_lines_get_different_fingerprints() {
        let l = layout(&["日期", "对方户名", "贷方金额", "摘要"]);
        let row = raw(2, &["2026-11-20", "张伟", "150.00", "登记费"]);
        let mut second = row.clone();
        second.line = 3;
        let (lines, _) = read_rows(&l, &[row.clone(), second.clone()]);
        assert_ne!(lines[0].fingerprint, lines[1].fingerprint);
        let (again, _) = read_rows(&l, &[row, second]);
        assert_eq!(lines, again);
        assert_eq!(lines[0].fingerprint.len(), 64);
        assert!(lines[0]
            .fingerprint
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    }

    #[test]
    fn memos_are_joined_without_repeats() {
        let l = layout(&["日期", "贷方金额", "摘要", "用途", "附言"]);
        let (lines, _) = read_rows(&l, &[raw(2, &["2026-11-20", "150", "转账", "作品登记费", "转账"])]);
        assert_eq!(lines[0].memo, "转账 / 作品登记费");
    }
}
