//! The header row (表头) and which column holds which field.

use serde::{Deserialize, Serialize};

use crate::cell::{to_half_width, Cell};
use crate::error::StatementError;
use crate::ColumnMapping;

/// How many rows from the top are searched for the header row.
pub(crate) const HEADER_SCAN_ROWS: usize = 50;

/// A field of a statement line that a column can be recognized as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatementField {
    /// 交易日期 / 记账日期 (may also carry the time).
    Date,
    /// 交易时间, when a separate date column exists.
    Time,
    /// 贷方发生额 / 收入金额: money received.
    Credit,
    /// 借方发生额 / 支出金额: money paid out.
    Debit,
    /// 交易金额: one amount column, read with [`StatementField::Direction`].
    Amount,
    /// 借贷标志: says whether [`StatementField::Amount`] is 借 or 贷.
    Direction,
    /// 余额: recognized so it is not mistaken for an amount, otherwise ignored.
    Balance,
    /// 对方户名: the counterparty (payer of a credit).
    Payer,
    /// 对方账号.
    PayerAccount,
    /// 对方开户行.
    PayerBank,
    /// 摘要 / 用途 / 附言 / 备注 (every such column is kept).
    Memo,
    /// 交易流水号 / 凭证号.
    Reference,
}

impl StatementField {
    /// The field's name as shown to the finance staff.
    pub fn label(self) -> &'static str {
        match self {
            Self::Date => "交易日期",
            Self::Time => "交易时间",
            Self::Credit => "贷方金额（收入）",
            Self::Debit => "借方金额（支出）",
            Self::Amount => "交易金额",
            Self::Direction => "借贷标志",
            Self::Balance => "余额",
            Self::Payer => "对方户名",
            Self::PayerAccount => "对方账号",
            Self::PayerBank => "对方开户行",
            Self::Memo => "摘要/用途",
            Self::Reference => "交易流水号",
        }
    }

    /// The header names recognized for this field, best first.
    pub fn header_names(self) -> &'static [&'static str] {
        HEADER_TABLE
            .iter()
            .find(|(field, _)| *field == self)
            .map_or(&[], |(_, names)| names)
    }
}

/// Every recognized header name, per field, best first. Names are compared
/// after [`normalize_header`]. A name may serve two fields (交易时间 is the
/// date column when no 交易日期 exists, otherwise the time column); fields
/// are assigned in this table's order, each taking the best unused column.
pub(crate) const HEADER_TABLE: &[(StatementField, &[&str])] = &[
    (
        StatementField::Date,
        &[
            "交易日期",
            "记账日期",
            "入账日期",
            "交易日",
            "日期",
            "交易时间",
            "记账时间",
            "交易日期时间",
            "入账时间",
        ],
    ),
    (
        StatementField::Time,
        &["交易时间", "时间", "记账时间", "交易时刻", "入账时间"],
    ),
    (
        StatementField::Credit,
        &[
            "贷方发生额",
            "收入金额",
            "贷方金额",
            "收入",
            "贷方",
            "存入金额",
            "收款金额",
            "贷方发生金额",
            "收入发生额",
        ],
    ),
    (
        StatementField::Debit,
        &[
            "借方发生额",
            "支出金额",
            "借方金额",
            "支出",
            "借方",
            "取出金额",
            "借方发生金额",
            "支出发生额",
        ],
    ),
    (StatementField::Amount, &["交易金额", "金额", "发生额", "发生金额"]),
    (
        StatementField::Direction,
        &[
            "借贷标志",
            "借贷方向",
            "收支方向",
            "借贷",
            "借贷标识",
            "收支标志",
            "交易方向",
            "借贷类型",
        ],
    ),
    (
        StatementField::Balance,
        &["余额", "账户余额", "当前余额", "可用余额", "联机余额", "交易后余额"],
    ),
    (
        StatementField::Payer,
        &[
            "对方户名",
            "付款人名称",
            "对方名称",
            "对方账户名称",
            "付款方户名",
            "付款人",
            "对方账户名",
            "收/付方名称",
            "对方单位名称",
            "付款方名称",
            "收付方名称",
        ],
    ),
    (
        StatementField::PayerAccount,
        &[
            "对方账号",
            "付款人账号",
            "对方账户",
            "付款方账号",
            "对方卡号",
            "收/付方账号",
            "对方账户号",
            "收付方账号",
        ],
    ),
    (
        StatementField::PayerBank,
        &[
            "对方开户行",
            "对方行名",
            "付款人开户行",
            "对方开户机构",
            "对方银行",
            "对方开户行名",
            "收/付方开户行",
            "付款方开户行",
        ],
    ),
    (
        StatementField::Memo,
        &[
            "摘要",
            "用途",
            "附言",
            "备注",
            "交易附言",
            "交易摘要",
            "交易用途",
            "摘要说明",
        ],
    ),
    (
        StatementField::Reference,
        &[
            "交易流水号",
            "流水号",
            "凭证号",
            "交易参考号",
            "银行流水号",
            "业务流水号",
            "交易序号",
            "凭证号码",
            "柜员流水号",
        ],
    ),
];

/// Normalizes a header text for lookup: full-width forms to half-width,
/// whitespace removed, a trailing colon and any bracketed suffixes such as
/// `（收入）`, `(元)`, `(CNY)`, `[人民币]`, `【元】` removed.
pub(crate) fn normalize_header(text: &str) -> String {
    let half = to_half_width(text);
    let mut s: String = half.chars().filter(|c| !c.is_whitespace()).collect();
    loop {
        let trimmed = s.trim_end_matches(':').to_owned();
        let stripped = strip_bracket_suffix(&trimmed).unwrap_or(&trimmed).to_owned();
        if stripped == s {
            return s;
        }
        s = stripped;
    }
}

fn strip_bracket_suffix(s: &str) -> Option<&str> {
    for (open, close) in [('(', ')'), ('[', ']'), ('【', '】')] {
        if let Some(rest) = s.strip_suffix(close) {
            if let Some(pos) = rest.rfind(open) {
                if pos > 0 {
                    return Some(&s[..pos]);
                }
            }
        }
    }
    None
}

/// Which column holds which field, as found in the header row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Layout {
    pub date: usize,
    pub time: Option<usize>,
    pub credit: Option<usize>,
    pub debit: Option<usize>,
    pub amount: Option<usize>,
    pub direction: Option<usize>,
    pub payer: Option<usize>,
    pub payer_account: Option<usize>,
    pub payer_bank: Option<usize>,
    pub memo: Vec<usize>,
    pub reference: Option<usize>,
    pub columns: Vec<ColumnMapping>,
}

/// What a row looks like as a header candidate.
pub(crate) enum HeaderMatch {
    /// Not a header row.
    No,
    /// Looks like a header but lacks a required column.
    Incomplete {
        missing: StatementField,
        tried: Vec<String>,
    },
    /// A usable header row.
    Yes(Layout),
}

/// How a header cell names a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum MatchKind {
    /// The whole (normalized) cell is a known name.
    Exact,
    /// A whole part of a compound cell (`账户明细编号-交易流水号`) is a known name.
    Part,
}

/// A field a header cell can stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Claim {
    field: StatementField,
    kind: MatchKind,
    /// The position of the matched name in the field's list (best first).
    name_rank: usize,
}

/// Characters that join the parts of a compound header name (after
/// full-width forms are made half-width): `账户明细编号-交易流水号`,
/// `借方发生额/元(支取)`, `交易流水号_凭证号`, `(人民币)贷方发生额`.
/// Colons and commas are not separators, so that a preamble line such as
/// `交易日期：2026-11-01` is not taken for a header.
fn is_part_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '_'
                | '/'
                | '\\'
                | '|'
                | '、'
                | '·'
                | '~'
                | '—'
                | '–'
                | '('
                | ')'
                | '['
                | ']'
                | '【'
                | '】'
                | '<'
                | '>'
                | '《'
                | '》'
        )
}

/// The fields (with the name's rank) that one name stands for.
fn fields_named(name: &str) -> Vec<(StatementField, usize)> {
    HEADER_TABLE
        .iter()
        .filter_map(|(field, names)| names.iter().position(|n| *n == name).map(|rank| (*field, rank)))
        .collect()
}

/// The fields a header cell may stand for.
///
/// A cell whose whole normalized text is a known name claims that name's
/// fields (and nothing else). Otherwise the cell is split into parts; the
/// parts that are known names must agree: the cell claims the fields every
/// such part names (`交易日期/交易时间` is the date; `摘要/用途` a memo).
/// A date part with a time part (`交易日期/时间`) is the date column, which
/// may carry the time. Parts naming different roles (`交易时间-交易金额`,
/// `对方户名/对方账号`) make the cell claim nothing: it is ignored rather
/// than guessed. Parts are compared whole, never as substrings, so `账号`
/// never stands for `对方账号`.
fn cell_claims(text: &str) -> Vec<Claim> {
    let whole = normalize_header(text);
    if whole.is_empty() {
        return Vec::new();
    }
    let exact = fields_named(&whole);
    if !exact.is_empty() {
        return exact
            .into_iter()
            .map(|(field, name_rank)| Claim {
                field,
                kind: MatchKind::Exact,
                name_rank,
            })
            .collect();
    }
    let half = to_half_width(text);
    let named: Vec<Vec<(StatementField, usize)>> = half
        .split(is_part_separator)
        .map(normalize_header)
        .filter(|part| !part.is_empty())
        .map(|part| fields_named(&part))
        .filter(|fields| !fields.is_empty())
        .collect();
    let Some(first) = named.first() else {
        return Vec::new();
    };
    let best_rank = |field: StatementField| {
        named
            .iter()
            .flatten()
            .filter(|(f, _)| *f == field)
            .map(|(_, rank)| *rank)
            .min()
    };
    let part_claim = |field: StatementField| {
        best_rank(field).map(|name_rank| Claim {
            field,
            kind: MatchKind::Part,
            name_rank,
        })
    };
    let common: Vec<Claim> = first
        .iter()
        .map(|(field, _)| *field)
        .filter(|field| named.iter().all(|fields| fields.iter().any(|(f, _)| f == field)))
        .filter_map(part_claim)
        .collect();
    if !common.is_empty() {
        return common;
    }
    let date_and_time = named
        .iter()
        .flatten()
        .all(|(f, _)| matches!(f, StatementField::Date | StatementField::Time));
    if date_and_time {
        return part_claim(StatementField::Date).into_iter().collect();
    }
    Vec::new()
}

/// Assigns fields to the columns of a row of header texts.
///
/// Fields are assigned in [`HEADER_TABLE`]'s order; each takes the unused
/// column that names it best: the better name (earlier in the field's list)
/// first, then an exact name before a part of a compound name, then the
/// leftmost column. So `交易流水号` beats `凭证号` even when it is only a part
/// of CCB's `账户明细编号-交易流水号`, and of two cells naming the same field
/// by the same name the exact one wins; the losing cell is ignored. A cell
/// serves at most one field. Every memo column is kept.
fn assign(cells: &[Cell]) -> Vec<(usize, StatementField, String)> {
    let claims: Vec<Vec<Claim>> = cells.iter().map(|c| cell_claims(&c.text())).collect();
    let claim_of = |i: usize, field: StatementField| claims[i].iter().find(|c| c.field == field).copied();
    let mut used = vec![false; cells.len()];
    let mut out = Vec::new();
    for (field, _) in HEADER_TABLE {
        if *field == StatementField::Memo {
            for i in 0..cells.len() {
                if !used[i] && claim_of(i, *field).is_some() {
                    used[i] = true;
                    out.push((i, *field, cells[i].text().into_owned()));
                }
            }
            continue;
        }
        let best = (0..cells.len())
            .filter(|i| !used[*i])
            .filter_map(|i| claim_of(i, *field).map(|c| (c.name_rank, c.kind, i)))
            .min();
        if let Some((_, _, i)) = best {
            used[i] = true;
            out.push((i, *field, cells[i].text().into_owned()));
        }
    }
    out.sort_by_key(|(i, _, _)| *i);
    out
}

fn names_of(fields: &[StatementField]) -> Vec<String> {
    fields
        .iter()
        .flat_map(|f| f.header_names().iter().map(|n| (*n).to_owned()))
        .collect()
}

/// Decides whether a row is the header row.
///
/// A header has a date column and either a credit column or an amount column
/// together with a direction column. A row with at least two recognized
/// columns, one of them a date or money column, but without those, is
/// reported as incomplete so the user learns which column is missing.
pub(crate) fn match_header(cells: &[Cell]) -> HeaderMatch {
    let assigned = assign(cells);
    let find = |field: StatementField| assigned.iter().find(|(_, f, _)| *f == field).map(|(i, _, _)| *i);
    let has = |field: StatementField| find(field).is_some();
    let key_fields = [
        StatementField::Date,
        StatementField::Credit,
        StatementField::Debit,
        StatementField::Amount,
        StatementField::Direction,
    ];
    let looks_like_header = assigned.len() >= 2 && key_fields.iter().any(|f| has(*f));
    if !looks_like_header {
        return HeaderMatch::No;
    }
    let Some(date) = find(StatementField::Date) else {
        return HeaderMatch::Incomplete {
            missing: StatementField::Date,
            tried: names_of(&[StatementField::Date]),
        };
    };
    let use_amount = !has(StatementField::Credit);
    if use_amount {
        if !has(StatementField::Amount) {
            return HeaderMatch::Incomplete {
                missing: StatementField::Credit,
                tried: names_of(&[StatementField::Credit, StatementField::Amount]),
            };
        }
        if !has(StatementField::Direction) {
            return HeaderMatch::Incomplete {
                missing: StatementField::Direction,
                tried: names_of(&[StatementField::Direction]),
            };
        }
    }
    let columns = assigned
        .iter()
        .filter(|(_, field, _)| {
            // With credit/debit columns an amount/direction column is unused.
            use_amount || !matches!(field, StatementField::Amount | StatementField::Direction)
        })
        .map(|(i, field, header)| ColumnMapping {
            column: u32::try_from(*i + 1).unwrap_or(u32::MAX),
            header: header.clone(),
            field: *field,
        })
        .collect();
    HeaderMatch::Yes(Layout {
        date,
        time: find(StatementField::Time),
        credit: find(StatementField::Credit),
        debit: find(StatementField::Debit),
        amount: find(StatementField::Amount).filter(|_| use_amount),
        direction: find(StatementField::Direction).filter(|_| use_amount),
        payer: find(StatementField::Payer),
        payer_account: find(StatementField::PayerAccount),
        payer_bank: find(StatementField::PayerBank),
        memo: assigned
            .iter()
            .filter(|(_, f, _)| *f == StatementField::Memo)
            .map(|(i, _, _)| *i)
            .collect(),
        reference: find(StatementField::Reference),
        columns,
    })
}

/// The first header among the first rows of one table, or why there is none.
pub(crate) enum HeaderSearch {
    Found {
        index: usize,
        layout: Layout,
    },
    Incomplete {
        line: u32,
        missing: StatementField,
        tried: Vec<String>,
    },
    NotFound,
}

/// Searches the first [`HEADER_SCAN_ROWS`] rows for the header.
pub(crate) fn find_header<'a>(rows: impl IntoIterator<Item = (u32, &'a [Cell])>) -> HeaderSearch {
    let mut incomplete = None;
    for (index, (line, cells)) in rows.into_iter().take(HEADER_SCAN_ROWS).enumerate() {
        match match_header(cells) {
            HeaderMatch::Yes(layout) => return HeaderSearch::Found { index, layout },
            HeaderMatch::Incomplete { missing, tried } => {
                if incomplete.is_none() {
                    incomplete = Some(HeaderSearch::Incomplete { line, missing, tried });
                }
            }
            HeaderMatch::No => {}
        }
    }
    incomplete.unwrap_or(HeaderSearch::NotFound)
}

/// The error for a failed header search.
pub(crate) fn header_error(search: HeaderSearch) -> StatementError {
    match search {
        HeaderSearch::Incomplete { line, missing, tried } => StatementError::MissingColumn {
            line,
            field: missing.label().to_owned(),
            tried,
        },
        HeaderSearch::Found { .. } | HeaderSearch::NotFound => no_header(),
    }
}

pub(crate) fn no_header() -> StatementError {
    let list = |f: StatementField| f.header_names().join("、");
    StatementError::NoHeader {
        scanned: HEADER_SCAN_ROWS as u32,
        looked_for: format!(
            "日期列（{}）和金额列（{}；或 {} 加 {}）",
            list(StatementField::Date),
            list(StatementField::Credit),
            list(StatementField::Amount),
            list(StatementField::Direction),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(texts: &[&str]) -> Vec<Cell> {
        texts.iter().map(|t| Cell::from_text(t)).collect()
    }

    #[test]
    fn normalization() {
        assert_eq!(normalize_header(" 收入金额（收入） "), "收入金额");
        assert_eq!(normalize_header("交易金额(元)(CNY)"), "交易金额");
        assert_eq!(normalize_header("余额[人民币]"), "余额");
        assert_eq!(normalize_header("贷方发生额【元】"), "贷方发生额");
        assert_eq!(normalize_header("对方 户名："), "对方户名");
        assert_eq!(normalize_header("(元)"), "(元)");
    }

    #[test]
    fn every_name_belongs_to_its_field() {
        for (field, names) in HEADER_TABLE {
            for name in *names {
                assert_eq!(normalize_header(name), *name, "{name} must be normalized already");
                assert!(!name.is_empty(), "{field:?}");
            }
        }
    }

    #[test]
    fn date_and_time_columns() {
        let HeaderMatch::Yes(layout) = match_header(&row(&["交易日期", "交易时间", "贷方发生额"])) else {
            unreachable!("header expected");
        };
        assert_eq!((layout.date, layout.time, layout.credit), (0, Some(1), Some(2)));
        let HeaderMatch::Yes(layout) = match_header(&row(&["交易时间", "收入"])) else {
            unreachable!("header expected");
        };
        assert_eq!((layout.date, layout.time), (0, None));
    }

    #[test]
    fn credit_wins_over_balance_and_memos_are_all_kept() {
        let HeaderMatch::Yes(layout) =
            match_header(&row(&["日期", "余额", "摘要", "贷方金额", "借方金额", "用途", "附言"]))
        else {
            unreachable!("header expected");
        };
        assert_eq!((layout.credit, layout.debit), (Some(3), Some(4)));
        assert_eq!(layout.memo, vec![2, 5, 6]);
        let fields: Vec<StatementField> = layout.columns.iter().map(|c| c.field).collect();
        assert_eq!(fields[1], StatementField::Balance);
    }

    #[test]
    fn incomplete_rows() {
        assert!(matches!(match_header(&row(&["账号", "户名"])), HeaderMatch::No));
        assert!(matches!(match_header(&row(&["日期"])), HeaderMatch::No));
        assert!(matches!(
            match_header(&row(&["日期", "借方金额", "摘要"])),
            HeaderMatch::Incomplete {
                missing: StatementField::Credit,
                ..
            }
        ));
        assert!(matches!(
            match_header(&row(&["日期", "交易金额", "摘要"])),
            HeaderMatch::Incomplete {
                missing: StatementField::Direction,
                ..
            }
        ));
        assert!(matches!(
            match_header(&row(&["对方户名", "贷方金额"])),
            HeaderMatch::Incomplete {
                missing: StatementField::Date,
                ..
            }
        ));
    }

    /// The field a lone header cell is assigned to, if any.
    fn field_of(text: &str) -> Option<StatementField> {
        match assign(&row(&[text])).as_slice() {
            [] => None,
            [(_, field, _)] => Some(*field),
            more => unreachable!("one cell, several fields: {more:?}"),
        }
    }

    #[test]
    fn compound_names_table() {
        use StatementField as F;
        let table: &[(&str, Option<StatementField>)] = &[
            // CCB's reference column, and other compounds of one known name.
            ("账户明细编号-交易流水号", Some(F::Reference)),
            ("账户明细编号－交易流水号", Some(F::Reference)),
            ("账户明细编号 交易流水号", Some(F::Reference)),
            ("交易流水号/凭证号", Some(F::Reference)),
            ("借方发生额/元(支取)", Some(F::Debit)),
            ("贷方发生额/元（收入）", Some(F::Credit)),
            ("（人民币）贷方发生额", Some(F::Credit)),
            ("对方账号_卡号", Some(F::PayerAccount)),
            ("摘要/用途", Some(F::Memo)),
            ("交易日期/交易时间", Some(F::Date)),
            ("交易日期/时间", Some(F::Date)),
            // Exact names with separators inside are still exact.
            ("收/付方名称", Some(F::Payer)),
            ("收/付方账号", Some(F::PayerAccount)),
            // Two roles in one cell: ignored, never guessed.
            ("交易时间-交易金额", None),
            ("对方户名/对方账号", None),
            ("收入/支出", None),
            ("交易金额/余额", None),
            ("摘要-交易流水号", None),
            // Parts are compared whole: no substring matches.
            ("账号", None),
            ("本方账号", None),
            ("原交易流水号", None),
            ("企业流水号", None),
            ("借/贷", None),
            // Colons do not split: a preamble line is not a header cell.
            ("交易日期：2026-11-01", None),
        ];
        for (text, expected) in table {
            assert_eq!(field_of(text), *expected, "{text}");
        }
    }

    #[test]
    fn ccb_header_row() {
        let HeaderMatch::Yes(layout) = match_header(&row(&[
            "账号",
            "账户名称",
            "交易时间",
            "借方发生额/元(支取)",
            "贷方发生额/元(收入)",
            "余额",
            "对方户名",
            "对方账号",
            "记账日期",
            "摘要",
            "账户明细编号-交易流水号",
            "凭证号",
        ])) else {
            unreachable!("header expected");
        };
        assert_eq!((layout.date, layout.time), (8, Some(2)));
        assert_eq!((layout.debit, layout.credit), (Some(3), Some(4)));
        assert_eq!((layout.payer, layout.payer_account), (Some(6), Some(7)));
        // 交易流水号 is a better name than 凭证号, even as a part.
        assert_eq!(layout.reference, Some(10));
        assert_eq!(layout.memo, vec![9]);
    }

    #[test]
    fn the_exact_cell_wins_a_tie_whatever_the_order() {
        for cells in [
            ["交易日期", "贷方发生额", "流水号", "账户明细编号-流水号"],
            ["交易日期", "贷方发生额", "账户明细编号-流水号", "流水号"],
        ] {
            let HeaderMatch::Yes(layout) = match_header(&row(&cells)) else {
                unreachable!("header expected");
            };
            let exact = cells.iter().position(|c| *c == "流水号");
            assert_eq!(layout.reference, exact, "{cells:?}");
            assert_eq!(layout.columns.len(), 3, "the other cell is ignored: {cells:?}");
        }
    }

    /// Parts that are no known name.
    const NOISE: &[&str] = &[
        "账户明细编号",
        "元",
        "人民币",
        "CNY",
        "本币",
        "明细",
        "No",
        "01",
        "企业",
    ];
    const SEPARATORS: &[&str] = &["-", "－", "/", "／", "_", " ", "　", "、", "|"];

    #[test]
    fn noise_is_no_name() {
        for noise in NOISE {
            assert!(fields_named(noise).is_empty(), "{noise}");
        }
    }

    fn all_names() -> Vec<&'static str> {
        HEADER_TABLE
            .iter()
            .flat_map(|(_, names)| names.iter().copied())
            .collect()
    }

    /// The field a known name is assigned to when it stands alone.
    fn first_field(name: &str) -> Option<StatementField> {
        fields_named(name).first().map(|(field, _)| *field)
    }

    fn compound(parts: &[&str], seps: &[usize], bracket: bool) -> String {
        let mut text = String::new();
        for (k, part) in parts.iter().enumerate() {
            if k > 0 {
                text.push_str(SEPARATORS[seps[k % seps.len()] % SEPARATORS.len()]);
            }
            if bracket && k == 0 {
                text.push_str(&format!("（{part}）"));
            } else {
                text.push_str(part);
            }
        }
        text
    }

    proptest::proptest! {
        /// A known name joined with noise parts is recognized as that name alone.
        #[test]
        fn a_known_name_among_noise_is_recognized(
            name in proptest::sample::select(all_names()),
            noise in proptest::collection::vec(proptest::sample::select(NOISE), 1..3),
            at in 0usize..3,
            seps in proptest::collection::vec(0usize..SEPARATORS.len(), 1..4),
            bracket in proptest::bool::ANY,
        ) {
            let mut parts: Vec<&str> = noise.clone();
            parts.insert(at.min(parts.len()), name);
            let text = compound(&parts, &seps, bracket);
            let expected = first_field(name);
            // `收/付方名称` splits into parts that are no name; it is only
            // recognized whole.
            proptest::prop_assume!(!name.contains('/'));
            proptest::prop_assert_eq!(field_of(&text), expected, "{}", text);
        }

        /// A cell naming two different roles is never taken for either.
        #[test]
        fn two_roles_in_one_cell_are_ignored(
            a in proptest::sample::select(all_names()),
            b in proptest::sample::select(all_names()),
            noise in proptest::collection::vec(proptest::sample::select(NOISE), 0..2),
            seps in proptest::collection::vec(0usize..SEPARATORS.len(), 1..4),
            swap in proptest::bool::ANY,
        ) {
            let fa: Vec<StatementField> = fields_named(a).iter().map(|(f, _)| *f).collect();
            let fb: Vec<StatementField> = fields_named(b).iter().map(|(f, _)| *f).collect();
            let shared = fa.iter().any(|f| fb.contains(f));
            let date_time = fa.iter().chain(&fb).all(|f| matches!(f, StatementField::Date | StatementField::Time));
            proptest::prop_assume!(!shared && !date_time && !a.contains('/') && !b.contains('/'));
            let mut parts = vec![a, b];
            if swap {
                parts.reverse();
            }
            parts.extend(noise);
            let text = compound(&parts, &seps, false);
            // `收入 金额` is the exact name 收入金额 with a space in it.
            proptest::prop_assume!(fields_named(&normalize_header(&text)).is_empty());
            proptest::prop_assert_eq!(field_of(&text), None, "{}", text);
        }
    }
}
