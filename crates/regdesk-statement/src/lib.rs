//! Bank-statement import (银行流水 / 对账单导入): turns the bytes of a statement
//! exported from online banking (网上银行) into credit (贷方 / 收入) and debit
//! (借方 / 支出) lines, so finance staff can match offline transfers (线下转账)
//! to registration cases.
//!
//! Pure: the input is the file's bytes and name, nothing is read from disk or
//! network and no clock is consulted.
//!
//! # Formats
//!
//! * **xlsx** (Excel 工作簿), recognized by the zip signature `PK\x03\x04` or a
//!   name ending in `.xlsx`: the first worksheet that has a header row is
//!   read. Numbers are amounts in 元, date cells become dates (and times).
//! * **Text** (CSV / TXT): a UTF-8 BOM is dropped; valid UTF-8 is read as
//!   such, anything else as GBK/GB18030 (国标编码, usual for Chinese banks).
//!   The delimiter is `,`, tab, `;` or `|`, chosen from the header row.
//!   Quoted fields, the Excel text trick `="6222…"` and a leading `'` are
//!   handled.
//!
//! Old binary `.xls` workbooks and UTF-16 text are refused with a clear
//! message asking for a re-export.
//!
//! # Header row (表头)
//!
//! The first 50 rows are searched for a row with a date column and either a
//! credit column or an amount column with a direction column. Header texts
//! are compared after removing spaces and bracketed suffixes such as
//! `（收入）`, `(元)`, `[人民币]`.
//!
//! | field | recognized header names (best first) |
//! | --- | --- |
//! | date 交易日期 | 交易日期, 记账日期, 入账日期, 交易日, 日期, 交易时间, 记账时间, 交易日期时间, 入账时间 |
//! | time 交易时间 (with a date column) | 交易时间, 时间, 记账时间, 交易时刻, 入账时间 |
//! | credit 贷方 / 收入 | 贷方发生额, 收入金额, 贷方金额, 收入, 贷方, 存入金额, 收款金额, 贷方发生金额, 收入发生额 |
//! | debit 借方 / 支出 | 借方发生额, 支出金额, 借方金额, 支出, 借方, 取出金额, 借方发生金额, 支出发生额 |
//! | amount 交易金额 | 交易金额, 金额, 发生额, 发生金额 |
//! | direction 借贷标志 | 借贷标志, 借贷方向, 收支方向, 借贷, 借贷标识, 收支标志, 交易方向, 借贷类型 |
//! | balance 余额 (ignored) | 余额, 账户余额, 当前余额, 可用余额, 联机余额, 交易后余额 |
//! | payer 对方户名 | 对方户名, 付款人名称, 对方名称, 对方账户名称, 付款方户名, 付款人, 对方账户名, 收/付方名称, 对方单位名称, 付款方名称, 收付方名称 |
//! | payer account 对方账号 | 对方账号, 付款人账号, 对方账户, 付款方账号, 对方卡号, 收/付方账号, 对方账户号, 收付方账号 |
//! | payer bank 对方开户行 | 对方开户行, 对方行名, 付款人开户行, 对方开户机构, 对方银行, 对方开户行名, 收/付方开户行, 付款方开户行 |
//! | memo 摘要 (all, joined by ` / `) | 摘要, 用途, 附言, 备注, 交易附言, 交易摘要, 交易用途, 摘要说明 |
//! | reference 流水号 | 交易流水号, 流水号, 凭证号, 交易参考号, 银行流水号, 业务流水号, 交易序号, 凭证号码, 柜员流水号 |
//!
//! Direction values: 贷, 收, 收入, C, CR (and 贷方, 收款, 来账, 转入, 存入, 入账)
//! are credits; 借, 支, 支出, 付, D, DR (and 借方, 付款, 往账, 转出, 取出, 出账)
//! are debits; otherwise the sign decides (negative = debit).
//!
//! # Rows below the header
//!
//! Blank rows, totals rows (合计, 总计, 小计, 本页合计, 累计, 笔数), rows without a
//! date (preamble and trailer text) and rows without an amount are returned
//! in [`Statement::skipped`] with a [`SkipReason`]; every other row is a
//! [`StatementLine`] with a [`fingerprint`](StatementLine::fingerprint) that
//! stays the same when the same statement is imported again.
//!
//! ```
//! let csv = "户名,浙江省版权保护中心\n\
//!            交易日期,对方户名,贷方发生额,借方发生额,摘要\n\
//!            2026-11-20,张伟,\"1,350.00\",,ZJ-7F3A-20261120-0001 作品登记费\n\
//!            合计,,\"1,350.00\",0.00,\n";
//! let statement = regdesk_statement::parse(csv.as_bytes(), "明细.csv")?;
//! assert_eq!(statement.header_line, 2);
//! assert_eq!(statement.lines[0].credit_fen, Some(135_000));
//! assert_eq!(statement.skipped[0].reason, regdesk_statement::SkipReason::Totals);
//! # Ok::<(), regdesk_statement::StatementError>(())
//! ```

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod amount;
mod cell;
mod datetime;
mod error;
mod header;
mod rows;
mod table;
mod text;
mod xlsx;

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

pub use amount::parse_amount_fen;
pub use datetime::parse_date_time;
pub use error::StatementError;
pub use header::StatementField;
pub use table::{read_table, Table, TableError, TableRow};

/// A parsed bank statement (对账单 / 交易明细).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    /// The detected file format.
    pub format: StatementFormat,
    /// The 1-based line (CSV) or row (xlsx) of the header row (表头).
    pub header_line: u32,
    /// Which header text became which field, in column order.
    pub columns: Vec<ColumnMapping>,
    /// The transaction lines (交易明细), in file order.
    pub lines: Vec<StatementLine>,
    /// Rows below the header that are not transactions, in file order.
    pub skipped: Vec<SkippedLine>,
}

/// The detected file format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StatementFormat {
    /// Delimited text (CSV / TXT).
    Csv {
        /// The text encoding (编码).
        encoding: TextEncoding,
        /// The field delimiter (分隔符): `,`, tab, `;` or `|`.
        delimiter: char,
    },
    /// An Excel workbook (.xlsx).
    Xlsx {
        /// The name of the worksheet (工作表) that was read.
        sheet: String,
    },
}

/// The encoding of a text statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextEncoding {
    /// UTF-8, with or without BOM.
    Utf8,
    /// GBK / GB18030 (国标编码).
    Gbk,
}

/// One recognized column of the header row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMapping {
    /// 1-based column number (A = 1).
    pub column: u32,
    /// The header text as written in the file.
    pub header: String,
    /// The field it was recognized as.
    pub field: StatementField,
}

/// One transaction line (一笔交易).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementLine {
    /// 1-based line number in the CSV file / row number in the sheet.
    pub line: u32,
    /// 交易日期 (serialized as `2026-11-20`).
    pub date: NaiveDate,
    /// 交易时间, when the statement has one (serialized as `10:31:05`).
    pub time: Option<NaiveTime>,
    /// 对方户名: the counterparty, trimmed; may be empty.
    pub payer: String,
    /// 对方账号, as written (the `="…"` wrapper removed).
    pub payer_account: String,
    /// 对方开户行.
    pub payer_bank: String,
    /// 贷方 / 收入 in integer fen (分), > 0 when present.
    pub credit_fen: Option<i64>,
    /// 借方 / 支出 in integer fen (分), > 0 when present.
    pub debit_fen: Option<i64>,
    /// 摘要 / 用途 / 附言 / 备注: every memo column that is not empty, joined with ` / `.
    pub memo: String,
    /// 交易流水号 / 凭证号.
    pub reference: String,
    /// Lowercase hex SHA-256 identifying the line across imports.
    ///
    /// Computed over date (`YYYY-MM-DD`), time (`HH:MM:SS` or empty), credit
    /// and debit fen (or empty), payer account (whitespace removed), payer,
    /// reference and memo (whitespace runs collapsed), joined with `\u{1f}`,
    /// followed by `\u{1f}` and the occurrence index k (0 for the first such
    /// record in the statement, 1 for the second identical one, …). The line
    /// number, format, encoding and preamble do not enter it.
    pub fingerprint: String,
}

impl StatementLine {
    /// Whether money came in (贷方 / 收入).
    pub fn is_credit(&self) -> bool {
        self.credit_fen.is_some()
    }
}

/// A row below the header that is not a transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedLine {
    /// 1-based line number in the CSV file / row number in the sheet.
    pub line: u32,
    /// Why the row was skipped.
    pub reason: SkipReason,
    /// The row's cells joined with ` | ` (trailing empty cells dropped).
    pub text: String,
}

/// Why a row was skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// 空行: nothing in the row.
    Blank,
    /// 合计行: a totals row (合计, 总计, 小计, 本页合计, 累计, 笔数).
    Totals,
    /// 无日期: no parseable date (preamble, trailer or a repeated header).
    NoDate,
    /// 无金额: neither a credit nor a debit amount.
    NoAmount,
}

impl SkipReason {
    /// The reason as shown to the finance staff.
    pub fn label(self) -> &'static str {
        match self {
            Self::Blank => "空行",
            Self::Totals => "合计行",
            Self::NoDate => "无交易日期",
            Self::NoAmount => "无收支金额",
        }
    }
}

/// Parses a bank-statement export (CSV or xlsx bytes) into lines.
///
/// `file_name` is only a hint: a name ending in `.xlsx` is read as a
/// workbook even without the zip signature. A `.xls` name alone decides
/// nothing (some banks save tab-separated text under that name); only the
/// Excel 97–2003 file signature is refused as [`StatementError::LegacyXls`].
pub fn parse(bytes: &[u8], file_name: &str) -> Result<Statement, StatementError> {
    if bytes.is_empty() {
        return Err(StatementError::Empty);
    }
    let name = file_name.trim().to_lowercase();
    if bytes.starts_with(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") {
        return Err(StatementError::LegacyXls);
    }
    if bytes.starts_with(b"PK\x03\x04") || name.ends_with(".xlsx") {
        let sheet = xlsx::read(bytes)?;
        return Ok(assemble(
            StatementFormat::Xlsx { sheet: sheet.name },
            sheet.header_index,
            &sheet.layout,
            &sheet.rows,
        ));
    }
    let (text, encoding) = text::decode(bytes)?;
    if text.trim().is_empty() {
        return Err(StatementError::Empty);
    }
    let (delimiter, header_index, layout, rows) = text::detect(&text)?;
    Ok(assemble(
        StatementFormat::Csv { encoding, delimiter },
        header_index,
        &layout,
        &rows,
    ))
}

fn assemble(format: StatementFormat, header_index: usize, layout: &header::Layout, all: &[rows::RawRow]) -> Statement {
    let header_line = all.get(header_index).map_or(0, |r| r.line);
    let below = all.get(header_index + 1..).unwrap_or(&[]);
    let (lines, skipped) = rows::read_rows(layout, below);
    Statement {
        format,
        header_line,
        columns: layout.columns.clone(),
        lines,
        skipped,
    }
}
