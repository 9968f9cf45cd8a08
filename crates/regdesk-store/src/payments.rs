//! The payments desk (缴费与核款): the method of payment, offline transfers
//! and their allocation to cases, maker-checker checking, bank-statement
//! import and matching, refunds, e-invoices and the day report.
//!
//! The rules are the domain's (`regdesk_domain::payment`, `lifecycle`); every
//! change is one command: tables, one journal entry, one audit entry. A case
//! moves to 待核款 when transfers recorded for it cover its fee, and to 待初审
//! (its clock started) when they are all confirmed by someone other than the
//! person who recorded them.

use std::collections::HashSet;
use std::path::Path;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use regdesk_domain::lifecycle::{CaseCommand, CaseState, PaymentMethod, StaffId};
use regdesk_domain::payment::{
    self, Candidate, CreditLine, Due, MatchDecision, MatchReason, MoneyEvent, RefundInput, TransferCommand,
    TransferInput, TransferState,
};
use regdesk_domain::staff::{Desk, Permission, Role};
use regdesk_domain::FieldError;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

use crate::cases::{at_version, load as load_case, Row};
use crate::error::{Result, StoreError};
use crate::journal::{uuid_v7, Change};
use crate::queues::state_code;
use crate::session::{actor, Session};
use crate::{office_date, Store};

// ---------------------------------------------------------------- views and inputs

/// 待缴费 / 待核款的案件（核款台列表）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PaymentCaseRow {
    pub case_id: String,
    pub serial: String,
    pub title: String,
    pub applicant_id: Option<String>,
    pub applicant_name: String,
    pub state: CaseState,
    pub state_label: String,
    pub method: Option<PaymentMethod>,
    pub method_label: Option<String>,
    /// 应缴（分）
    #[ts(type = "number")]
    pub owed_fen: i64,
    /// 已登记到账（未退回的转账分配给本案的金额）
    #[ts(type = "number")]
    pub covered_fen: i64,
    /// 尚差（分）
    #[ts(type = "number")]
    pub short_fen: i64,
    /// 申请人余额（多付且已确认）
    #[ts(type = "number")]
    pub applicant_balance_fen: i64,
    pub awaiting_since: Option<DateTime<Utc>>,
    /// 可登记线下转账（待缴费且方式为线下或未选）
    pub takes_transfer: bool,
    /// 可确认在线支付（待缴费且方式为在线或未选）
    pub takes_online_payment: bool,
    #[ts(type = "number")]
    pub version: i64,
}

/// 查找待缴费案件（流水号、作品名称或申请人）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PaymentCasesInput {
    pub search: Option<String>,
}

/// 一笔转账分给一件作品的金额。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ShareInput {
    pub case_id: String,
    #[ts(type = "number")]
    pub amount_fen: i64,
}

/// 登记线下转账：转账信息、回单扫描件、分配到的案件。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RecordTransferInput {
    pub transfer: TransferInput,
    pub receipt_file_id: Option<String>,
    pub shares: Vec<ShareInput>,
}

/// 转账分配到的一件作品。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AllocationView {
    pub case_id: String,
    pub serial: String,
    pub title: String,
    #[ts(type = "number")]
    pub amount_fen: i64,
    pub case_state: CaseState,
    pub case_state_label: String,
}

/// 线下转账记录（显示用）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TransferView {
    pub id: String,
    pub method: PaymentMethod,
    pub method_label: String,
    pub payer: String,
    pub payer_account: String,
    pub payer_bank: String,
    #[ts(type = "number")]
    pub amount_fen: i64,
    pub received_at: NaiveDateTime,
    pub reference: String,
    pub purpose: String,
    pub receipt_file_id: Option<String>,
    /// 多付（分），确认后计入申请人余额
    #[ts(type = "number")]
    pub over_fen: i64,
    pub state: TransferState,
    pub state_label: String,
    pub recorded_by_name: String,
    pub recorded_at: DateTime<Utc>,
    pub checked_by_name: Option<String>,
    pub checked_at: Option<DateTime<Utc>>,
    pub reject_reason: Option<String>,
    /// 来自银行流水导入
    pub from_statement: bool,
    /// 当前登录人能否确认（核款岗位且不是登记人）
    pub may_confirm: bool,
    pub allocations: Vec<AllocationView>,
    #[ts(type = "number")]
    pub version: i64,
}

/// 转账列表的筛选。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TransfersInput {
    /// 只看某一状态；为空时看全部（最近 200 笔）
    pub state: Option<TransferState>,
}

/// 核款：确认或退回一笔转账。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CheckTransferInput {
    pub id: String,
    #[ts(type = "number")]
    pub version: i64,
    pub command: TransferCommand,
}

/// 选定缴费方式。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ChooseMethodInput {
    pub case_id: String,
    #[ts(type = "number")]
    pub version: i64,
    pub method: PaymentMethod,
}

/// 更改缴费方式（管理员，须说明原因）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ChangeMethodInput {
    pub case_id: String,
    #[ts(type = "number")]
    pub version: i64,
    pub method: PaymentMethod,
    pub reason: String,
}

/// 在线支付确认（平台回执）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OnlinePaymentInput {
    pub case_id: String,
    #[ts(type = "number")]
    pub version: i64,
    pub platform_reference: String,
    #[ts(type = "number")]
    pub amount_fen: i64,
}

/// 导入银行流水：文件路径；`dry_run` 只预览不入账。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportStatementInput {
    pub path: String,
    pub dry_run: bool,
}

/// 银行流水导入进度：已比对的行数 / 数据行总数。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StatementProgress {
    pub done: u32,
    pub total: u32,
}

/// 流水行的处理结论。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LineDecision {
    /// 唯一精确匹配，已自动登记（待另一人确认）
    Matched,
    /// 有多个可能，待人工处理
    Ambiguous,
    /// 未找到对应案件，待人工处理
    Unmatched,
    /// 支出行，不处理
    Ignored,
}

impl LineDecision {
    fn code(self) -> &'static str {
        match self {
            LineDecision::Matched => "matched",
            LineDecision::Ambiguous => "ambiguous",
            LineDecision::Unmatched => "unmatched",
            LineDecision::Ignored => "ignored",
        }
    }

    fn parse(code: &str) -> LineDecision {
        match code {
            "matched" => LineDecision::Matched,
            "ambiguous" => LineDecision::Ambiguous,
            "ignored" => LineDecision::Ignored,
            _ => LineDecision::Unmatched,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LineDecision::Matched => "已匹配",
            LineDecision::Ambiguous => "待确认",
            LineDecision::Unmatched => "未匹配",
            LineDecision::Ignored => "支出，不处理",
        }
    }
}

/// 匹配候选（显示用）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CandidateView {
    /// 案件：流水号；转账：登记的流水号
    pub label: String,
    pub case_id: Option<String>,
    pub transfer_id: Option<String>,
    pub score: u32,
    pub reasons: Vec<String>,
}

/// 银行流水的一行。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StatementLineView {
    /// 已导入的行有编号；预览时为空
    pub id: Option<String>,
    pub line: u32,
    pub date: NaiveDate,
    pub time: Option<chrono::NaiveTime>,
    pub payer: String,
    pub payer_account: String,
    /// 贷方（入账）金额（分）
    #[ts(type = "number | null")]
    pub amount_fen: Option<i64>,
    #[ts(type = "number | null")]
    pub debit_fen: Option<i64>,
    pub reference: String,
    pub memo: String,
    pub decision: LineDecision,
    pub decision_label: String,
    /// 匹配到的案件流水号
    pub case_serial: Option<String>,
    pub transfer_id: Option<String>,
    /// 此前已导入过（不会重复入账）
    pub already_imported: bool,
    pub candidates: Vec<CandidateView>,
}

/// 银行流水导入结果。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StatementImportView {
    pub import_id: Option<String>,
    pub file_name: String,
    pub format_label: String,
    pub header_line: u32,
    pub lines: Vec<StatementLineView>,
    /// 跳过的行（空行、合计行、说明文字）
    pub skipped: Vec<String>,
    pub matched: u32,
    pub waiting: u32,
    pub ignored: u32,
    pub already_imported: u32,
    pub dry_run: bool,
}

/// 处理一行待匹配的流水：分配到案件（登记为转账），或说明不是登记费。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ResolveLineInput {
    pub line_id: String,
    pub shares: Vec<ShareInput>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DismissLineInput {
    pub line_id: String,
    pub note: String,
}

/// 应退费的案件。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RefundDueRow {
    pub case_id: String,
    pub serial: String,
    pub title: String,
    pub applicant_name: String,
    pub state_label: String,
    pub paid_by: Option<PaymentMethod>,
    #[ts(type = "number")]
    pub owed_fen: i64,
}

/// 登记退费。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RecordRefundInput {
    pub case_id: String,
    pub refund: RefundInput,
}

/// 待开电子发票的已缴费案件。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct InvoiceDueRow {
    pub case_id: String,
    pub serial: String,
    pub title: String,
    pub payer_name: String,
    /// 统一社会信用代码（单位）；个人为空
    pub tax_id: String,
    #[ts(type = "number")]
    pub amount_fen: i64,
    pub paid_on: Option<NaiveDate>,
    pub email: String,
}

/// 标记已开票。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MarkInvoicesInput {
    pub case_ids: Vec<String>,
    pub invoice_number: String,
}

/// 收费日报的期间。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DayReportInput {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// 日报的一行（带缴费方式名称）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DayReportLine {
    pub row: payment::DayReportRow,
    pub method_label: String,
}

/// 收费日报。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DayReportView {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub lines: Vec<DayReportLine>,
    pub totals: payment::DayReportTotals,
}

/// 导出的文件种类。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    /// 开票清单（xlsx）
    InvoiceListXlsx,
    /// 收费日报（PDF）
    DayReportPdf,
    /// 收费日报（xlsx）
    DayReportXlsx,
}

/// 导出文件：种类与（日报的）期间，默认今天。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ExportInput {
    pub kind: ExportKind,
    pub report: Option<DayReportInput>,
}

// ---------------------------------------------------------------- helpers

fn code<T: Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

fn from_code<T: for<'de> Deserialize<'de>>(c: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(c.to_string()))
        .map_err(|_| StoreError::Corrupt(format!("无法识别的代码：{c}")))
}

/// The domain names fields of the part it checked (`payer`); the desk's form nests them (`transfer.payer`).
fn prefixed(prefix: &str, errs: Vec<FieldError>) -> StoreError {
    StoreError::Invalid(
        errs.into_iter()
            .map(|mut e| {
                e.field = format!("{prefix}.{}", e.field);
                e
            })
            .collect(),
    )
}

fn refused_transfer(r: payment::TransferRefusal) -> StoreError {
    StoreError::Refused {
        code: r.code().to_string(),
        message: r.message(),
    }
}

/// Field paths of the domain's allocation (`requested[i]`) as the desk names them (`shares[i]`).
fn as_shares(errs: Vec<FieldError>) -> StoreError {
    StoreError::Invalid(
        errs.into_iter()
            .map(|mut e| {
                if let Some(rest) = e.field.strip_prefix("requested") {
                    e.field = format!("shares{rest}");
                }
                e
            })
            .collect(),
    )
}

/// What the case owes: its fee fixed on entering 待缴费, else the fee in force.
fn owed_of(conn: &Connection, case_id: &str) -> Result<i64> {
    let fee: Option<i64> = conn.query_row("SELECT fee_fen FROM cases WHERE id = ?1", [case_id], |r| r.get(0))?;
    match fee {
        Some(f) => Ok(f),
        None => Ok(crate::settings::load(conn)?.fee_per_work_fen),
    }
}

/// The amount recorded for a case by transfers that were not rejected.
fn covered_of(conn: &Connection, case_id: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT COALESCE(SUM(a.amount_fen), 0) FROM allocations a JOIN transfers t ON t.id = a.transfer_id
         WHERE a.case_id = ?1 AND t.state <> 'rejected'",
        [case_id],
        |r| r.get(0),
    )?)
}

fn balance_of(conn: &Connection, applicant_id: Option<&str>) -> Result<i64> {
    let Some(a) = applicant_id else { return Ok(0) };
    Ok(conn.query_row(
        "SELECT COALESCE(SUM(over_fen), 0) FROM transfers WHERE applicant_id = ?1 AND state = 'confirmed'",
        [a],
        |r| r.get(0),
    )?)
}

fn money_event(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    event: &str,
    subject: &str,
    day: NaiveDate,
    method: PaymentMethod,
    fen: i64,
) -> Result<()> {
    tx.execute(
        "INSERT INTO money_events (id, event, subject, day, method, fen) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![uuid_v7(now).to_string(), event, subject, day, code(method), fen],
    )?;
    Ok(())
}

fn staff_name(conn: &Connection, id: &str) -> Result<String> {
    Ok(conn
        .query_row("SELECT display_name FROM staff WHERE id = ?1", [id], |r| r.get(0))
        .optional()?
        .unwrap_or_default())
}

struct TransferRow {
    id: String,
    method: PaymentMethod,
    payer: String,
    payer_account: String,
    payer_bank: String,
    amount_fen: i64,
    received_at: NaiveDateTime,
    reference: String,
    purpose: String,
    receipt_file_id: Option<String>,
    over_fen: i64,
    state: TransferState,
    recorded_by: String,
    recorded_at: DateTime<Utc>,
    checked_by: Option<String>,
    checked_at: Option<DateTime<Utc>>,
    reject_reason: Option<String>,
    statement_line_id: Option<String>,
    version: i64,
}

const TRANSFER_COLS: &str = "id, method, payer, payer_account, payer_bank, amount_fen, received_at, reference, purpose,
    receipt_file_id, over_fen, state, recorded_by, recorded_at, checked_by, checked_at, reject_reason,
    statement_line_id, version";

fn transfer_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(TransferRow, String, String)> {
    let method: String = r.get(1)?;
    let state: String = r.get(11)?;
    Ok((
        TransferRow {
            id: r.get(0)?,
            method: PaymentMethod::BankTransfer,
            payer: r.get(2)?,
            payer_account: r.get(3)?,
            payer_bank: r.get(4)?,
            amount_fen: r.get(5)?,
            received_at: r.get(6)?,
            reference: r.get(7)?,
            purpose: r.get(8)?,
            receipt_file_id: r.get(9)?,
            over_fen: r.get(10)?,
            state: TransferState::Recorded,
            recorded_by: r.get(12)?,
            recorded_at: r.get(13)?,
            checked_by: r.get(14)?,
            checked_at: r.get(15)?,
            reject_reason: r.get(16)?,
            statement_line_id: r.get(17)?,
            version: r.get(18)?,
        },
        method,
        state,
    ))
}

fn finish_transfer(raw: (TransferRow, String, String)) -> Result<TransferRow> {
    let (mut t, method, state) = raw;
    t.method = from_code(&method)?;
    t.state = from_code(&state)?;
    Ok(t)
}

fn load_transfer(conn: &Connection, id: &str) -> Result<TransferRow> {
    let raw = conn
        .query_row(
            &format!("SELECT {TRANSFER_COLS} FROM transfers WHERE id = ?1"),
            [id],
            transfer_row,
        )
        .optional()?
        .ok_or_else(|| StoreError::NotFound {
            what: "转账记录",
            id: id.to_string(),
        })?;
    finish_transfer(raw)
}

fn transfer_view(conn: &Connection, t: TransferRow, viewer: &str, viewer_is_finance: bool) -> Result<TransferView> {
    let mut stmt = conn.prepare(
        "SELECT a.case_id, c.serial, c.title, a.amount_fen, c.state FROM allocations a JOIN cases c ON c.id = a.case_id
         WHERE a.transfer_id = ?1 ORDER BY c.serial",
    )?;
    let allocations = stmt
        .query_map([&t.id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .map(|(case_id, serial, title, amount_fen, state)| {
            let state = crate::queues::parse_state(&state)?;
            Ok(AllocationView {
                case_id,
                serial,
                title,
                amount_fen,
                case_state: state,
                case_state_label: state.label().to_string(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(TransferView {
        method_label: t.method.label().to_string(),
        state_label: t.state.label().to_string(),
        recorded_by_name: staff_name(conn, &t.recorded_by)?,
        checked_by_name: t.checked_by.as_deref().map(|id| staff_name(conn, id)).transpose()?,
        may_confirm: viewer_is_finance && t.state == TransferState::Recorded && t.recorded_by != viewer,
        from_statement: t.statement_line_id.is_some(),
        allocations,
        id: t.id,
        method: t.method,
        payer: t.payer,
        payer_account: t.payer_account,
        payer_bank: t.payer_bank,
        amount_fen: t.amount_fen,
        received_at: t.received_at,
        reference: t.reference,
        purpose: t.purpose,
        receipt_file_id: t.receipt_file_id,
        over_fen: t.over_fen,
        state: t.state,
        recorded_at: t.recorded_at,
        checked_at: t.checked_at,
        reject_reason: t.reject_reason,
        version: t.version,
    })
}

/// The words a payer is known by on a case: the applicant and the owners.
fn names_of(row: &Row) -> Vec<String> {
    let mut names = vec![row.applicant_name.clone()];
    for o in &row.draft.owners {
        if !o.name.trim().is_empty() && !names.contains(&o.name) {
            names.push(o.name.clone());
        }
    }
    names
}

/// Cases waiting for payment that still owe something, and recorded transfers
/// not yet seen on a statement: what a statement line can match.
struct Candidates {
    list: Vec<Candidate>,
    /// For each candidate: the case id or the transfer id.
    ids: Vec<String>,
}

fn candidates(conn: &Connection) -> Result<Candidates> {
    let mut list = Vec::new();
    let mut ids = Vec::new();
    let case_ids: Vec<String> = conn
        .prepare("SELECT id FROM cases WHERE state = 'awaiting_payment' ORDER BY created_at")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in case_ids {
        let row = load_case(conn, &id)?;
        let owed = owed_of(conn, &id)? - covered_of(conn, &id)?;
        if owed <= 0 {
            continue;
        }
        let since: Option<DateTime<Utc>> =
            conn.query_row("SELECT awaiting_payment_since FROM cases WHERE id = ?1", [&id], |r| {
                r.get(0)
            })?;
        list.push(Candidate::OpenCase {
            serial: row.serial.clone(),
            owed_fen: owed,
            names: names_of(&row),
            awaiting_since: office_date(since.unwrap_or(row.updated_at)),
        });
        ids.push(id);
    }
    let mut stmt = conn.prepare(
        "SELECT id, reference, amount_fen, payer, received_at FROM transfers
         WHERE state = 'recorded' AND statement_line_id IS NULL ORDER BY received_at",
    )?;
    let transfers = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, NaiveDateTime>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (id, reference, amount_fen, payer, at) in transfers {
        list.push(Candidate::RecordedTransfer {
            id: id.clone(),
            reference,
            amount_fen,
            payer,
            received_on: at.date(),
        });
        ids.push(id);
    }
    Ok(Candidates { list, ids })
}

fn candidate_views(c: &Candidates, scored: &[payment::ScoredCandidate]) -> Vec<CandidateView> {
    scored
        .iter()
        .filter_map(|s| {
            let cand = c.list.get(s.index)?;
            let id = c.ids.get(s.index)?.clone();
            let reasons = s.reasons.iter().map(|r: &MatchReason| r.label().to_string()).collect();
            Some(match cand {
                Candidate::OpenCase { serial, .. } => CandidateView {
                    label: serial.clone(),
                    case_id: Some(id),
                    transfer_id: None,
                    score: s.score,
                    reasons,
                },
                Candidate::RecordedTransfer { reference, payer, .. } => CandidateView {
                    label: format!("已登记转账 {reference}（{payer}）"),
                    case_id: None,
                    transfer_id: Some(id),
                    score: s.score,
                    reasons,
                },
            })
        })
        .collect()
}

/// A parsed statement line as the domain's credit line.
fn credit_line(l: &regdesk_statement::StatementLine) -> Option<CreditLine> {
    Some(CreditLine {
        date: l.date,
        payer: l.payer.clone(),
        amount_fen: l.credit_fen?,
        memo: l.memo.clone(),
        reference: l.reference.clone(),
    })
}

// ---------------------------------------------------------------- the commands

/// What `record_transfer_tx` records.
struct NewTransfer<'a> {
    input: &'a TransferInput,
    receipt_file_id: Option<&'a str>,
    shares: &'a [ShareInput],
    statement_line_id: Option<&'a str>,
}

impl Store {
    /// Records one offline transfer inside a command: checks the cases, allocates the
    /// amount, moves every case it covers to 待核款, notes the day's receipt.
    fn record_transfer_tx(
        &self,
        tx: &Transaction<'_>,
        now: DateTime<Utc>,
        who: &regdesk_domain::lifecycle::Actor,
        t: NewTransfer<'_>,
    ) -> Result<(String, serde_json::Value)> {
        let input = t.input.normalized();
        if t.shares.is_empty() {
            return Err(FieldError::new("shares", "required", "请选择本笔转账支付的案件（可选多件）").into());
        }
        let taken: Option<(String, i64, String)> = tx
            .query_row(
                "SELECT payer, amount_fen, state FROM transfers WHERE method = ?1 AND reference = ?2 AND state <> 'rejected'",
                params![code(input.method), input.reference],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        if let Some((payer, amount, state)) = taken {
            let state: TransferState = from_code(&state)?;
            return Err(FieldError::new(
                "reference",
                "taken",
                format!(
                    "流水号 {} 已登记过（{payer}，{}，{}），同一笔转账不能重复登记",
                    input.reference,
                    regdesk_domain::fee::format_yuan(amount),
                    state.label()
                ),
            )
            .into());
        }
        let mut dues = Vec::new();
        let mut rows = Vec::new();
        for (i, s) in t.shares.iter().enumerate() {
            let row = load_case(tx, &s.case_id).map_err(|_| {
                StoreError::Invalid(vec![FieldError::new(
                    format!("shares[{i}].case_id"),
                    "missing",
                    "所选案件不存在，请重新选择",
                )])
            })?;
            if row.state != CaseState::AwaitingPayment {
                return Err(FieldError::new(
                    format!("shares[{i}].case_id"),
                    "not_awaiting_payment",
                    format!("案件 {} 当前为{}，不能登记缴费", row.serial, row.state.label()),
                )
                .into());
            }
            dues.push(Due {
                case: row.id.clone(),
                owed_fen: owed_of(tx, &row.id)?,
                already_covered_fen: covered_of(tx, &row.id)?,
            });
            rows.push(row);
        }
        let requested: Vec<(String, i64)> = t.shares.iter().map(|s| (s.case_id.clone(), s.amount_fen)).collect();
        let alloc = payment::allocate(input.amount_fen, &dues, &requested).map_err(as_shares)?;
        let applicants: HashSet<Option<String>> = rows.iter().map(|r| r.applicant_id.clone()).collect();
        let applicant_id = if applicants.len() == 1 {
            applicants.into_iter().next().flatten()
        } else {
            None
        };
        let id = uuid_v7(now).to_string();
        tx.execute(
            &format!(
                "INSERT INTO transfers ({TRANSFER_COLS}, applicant_id) VALUES
                 (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'recorded', ?12, ?13, NULL, NULL, NULL, ?14, 1, ?15)"
            ),
            params![
                id,
                code(input.method),
                input.payer,
                input.payer_account,
                input.payer_bank,
                input.amount_fen,
                input.received_at,
                input.reference,
                input.purpose,
                t.receipt_file_id,
                alloc.over_fen,
                who.staff_id.0,
                now,
                t.statement_line_id,
                applicant_id
            ],
        )?;
        let mut moved = Vec::new();
        for (share, row) in alloc.shares.iter().zip(rows) {
            if share.amount_fen <= 0 {
                continue;
            }
            tx.execute(
                "INSERT INTO allocations (transfer_id, case_id, amount_fen) VALUES (?1, ?2, ?3)",
                params![id, row.id, share.amount_fen],
            )?;
            let mut row = row;
            if row.facts.payment_method.is_none() {
                let cmd = CaseCommand::ChoosePaymentMethod { method: input.method };
                row = self.apply_case_row(tx, row, &cmd, who, now)?.1;
            }
            if share.covers() {
                let cmd = CaseCommand::RecordOfflinePayment {
                    amount_fen: covered_of(tx, &row.id)?,
                    payer: input.payer.clone(),
                    reference: input.reference.clone(),
                    paid_on: input.received_at.date(),
                };
                row = self.apply_case_row(tx, row, &cmd, who, now)?.1;
            }
            moved.push(json!({ "case": row.serial, "amount_fen": share.amount_fen, "state": state_code(row.state) }));
        }
        money_event(
            tx,
            now,
            "received",
            &id,
            input.received_at.date(),
            input.method,
            input.amount_fen,
        )?;
        Ok((
            id,
            json!({ "transfer": input, "over_fen": alloc.over_fen, "short_fen": alloc.short_fen, "cases": moved }),
        ))
    }

    /// 待缴费与待核款的案件。
    pub fn payment_cases(&self, session: &Session, input: &PaymentCasesInput) -> Result<Vec<PaymentCaseRow>> {
        let conn = self.conn();
        actor(&conn, Some(session), Some(Permission::OpenDesk(Desk::Payments)))?;
        let (filter, param) = match input.search.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            Some(q) => {
                let (cond, p) = Self::search_filter(q);
                (cond, Some(p))
            }
            None => ("1 = 1".to_string(), None),
        };
        let sql = format!(
            "SELECT id FROM cases WHERE state IN ('awaiting_payment', 'awaiting_payment_check') AND {filter}
             ORDER BY COALESCE(awaiting_payment_since, updated_at) LIMIT 200"
        );
        let ids: Vec<String> = match &param {
            Some(p) => conn
                .prepare(&sql)?
                .query_map([p], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?,
            None => conn
                .prepare(&sql)?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?,
        };
        ids.iter()
            .map(|id| {
                let row = load_case(&conn, id)?;
                let owed = owed_of(&conn, id)?;
                let covered = covered_of(&conn, id)?;
                let since: Option<DateTime<Utc>> =
                    conn.query_row("SELECT awaiting_payment_since FROM cases WHERE id = ?1", [id], |r| {
                        r.get(0)
                    })?;
                Ok(PaymentCaseRow {
                    applicant_balance_fen: balance_of(&conn, row.applicant_id.as_deref())?,
                    case_id: row.id,
                    serial: row.serial,
                    title: row.draft.work.title.clone(),
                    applicant_id: row.applicant_id,
                    applicant_name: row.applicant_name,
                    state: row.state,
                    state_label: row.state.label().to_string(),
                    method: row.facts.payment_method,
                    method_label: row.facts.payment_method.map(|m| m.label().to_string()),
                    owed_fen: owed,
                    covered_fen: covered,
                    short_fen: (owed - covered).max(0),
                    awaiting_since: since,
                    takes_transfer: row.facts.takes_transfer(),
                    takes_online_payment: row.facts.takes_online_payment(),
                    version: row.version,
                })
            })
            .collect()
    }

    /// 登记线下转账（制单）：一笔转账可支付多件作品；足额的案件进入待核款。
    pub fn record_transfer(&self, session: &Session, input: &RecordTransferInput) -> Result<TransferView> {
        let conn = self.conn();
        let maker = actor(&conn, Some(session), Some(Permission::OpenDesk(Desk::Payments)))?;
        drop(conn);
        input
            .transfer
            .validate(self.office_today())
            .map_err(|errs| prefixed("transfer", errs))?;
        if let Some(f) = &input.receipt_file_id {
            if !Self::file_known(&self.conn(), f) {
                return Err(FieldError::new("receipt_file_id", "missing", "回单扫描件不在附件库中，请重新选择").into());
            }
        }
        let id = self.run(Some(maker.id()), "record_transfer", |tx, now| {
            let (id, payload) = self.record_transfer_tx(
                tx,
                now,
                &maker,
                NewTransfer {
                    input: &input.transfer,
                    receipt_file_id: input.receipt_file_id.as_deref(),
                    shares: &input.shares,
                    statement_line_id: None,
                },
            )?;
            Ok((
                Change {
                    entity: "transfer",
                    entity_id: id.clone(),
                    version: 1,
                    payload,
                },
                id,
            ))
        })?;
        self.transfer(session, &id)
    }

    /// 一笔转账。
    pub fn transfer(&self, session: &Session, id: &str) -> Result<TransferView> {
        let conn = self.conn();
        let a = actor(&conn, Some(session), Some(Permission::OpenDesk(Desk::Payments)))?;
        let finance = a.holds(Role::Finance);
        let t = load_transfer(&conn, id)?;
        transfer_view(&conn, t, a.id(), finance)
    }

    /// 转账记录（待核款在前，最近 200 笔）。
    pub fn transfers(&self, session: &Session, input: &TransfersInput) -> Result<Vec<TransferView>> {
        let conn = self.conn();
        let a = actor(&conn, Some(session), Some(Permission::OpenDesk(Desk::Payments)))?;
        let finance = a.holds(Role::Finance);
        let state = input.state.map(code);
        let mut stmt = conn.prepare(&format!(
            "SELECT {TRANSFER_COLS} FROM transfers WHERE (?1 IS NULL OR state = ?1)
             ORDER BY (state = 'recorded') DESC, received_at DESC LIMIT 200"
        ))?;
        let raws = stmt
            .query_map([state], transfer_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        raws.into_iter()
            .map(|raw| transfer_view(&conn, finance_row(raw)?, a.id(), finance))
            .collect()
    }

    /// 核款（审核）：另一位核款人员确认或退回。确认后足额的案件进入待初审，办结时限起算；
    /// 退回后案件回到待缴费并记录原因。
    pub fn check_transfer(&self, session: &Session, input: &CheckTransferInput) -> Result<TransferView> {
        let conn = self.conn();
        let checker = actor(&conn, Some(session), Some(Permission::OpenDesk(Desk::Payments)))?;
        drop(conn);
        self.run(Some(checker.id()), "check_transfer", |tx, now| {
            let t = load_transfer(tx, &input.id)?;
            StoreError::check_version("该转账记录", input.version, t.version)?;
            let next = payment::decide_transfer(
                t.state,
                &StaffId(t.recorded_by.clone()),
                &checker.staff_id,
                &checker.roles,
                &input.command,
            )
            .map_err(refused_transfer)?;
            let reason = match &input.command {
                TransferCommand::Reject { reason } => Some(reason.trim().to_string()),
                TransferCommand::Confirm => None,
            };
            tx.execute(
                "UPDATE transfers SET state = ?2, checked_by = ?3, checked_at = ?4, reject_reason = ?5,
                        version = version + 1 WHERE id = ?1",
                params![t.id, code(next), checker.id(), now, reason],
            )?;
            let cases: Vec<String> = tx
                .prepare("SELECT case_id FROM allocations WHERE transfer_id = ?1")?
                .query_map([&t.id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let mut moved = Vec::new();
            for case_id in cases {
                let row = load_case(tx, &case_id)?;
                if row.state != CaseState::AwaitingPaymentCheck {
                    continue;
                }
                let cmd = match &reason {
                    Some(r) => CaseCommand::RejectPayment {
                        reason: format!("转账 {} 被退回：{r}", t.reference),
                    },
                    None => {
                        let open: i64 = tx.query_row(
                            "SELECT COUNT(*) FROM allocations a JOIN transfers x ON x.id = a.transfer_id
                             WHERE a.case_id = ?1 AND x.state = 'recorded'",
                            [&case_id],
                            |r| r.get(0),
                        )?;
                        if open > 0 {
                            continue; // another transfer for this case still waits for checking
                        }
                        CaseCommand::ConfirmPayment {
                            credited_fen: covered_of(tx, &case_id)?,
                        }
                    }
                };
                let row = self.apply_case_row(tx, row, &cmd, &checker, now)?.1;
                moved.push(json!({ "case": row.serial, "state": state_code(row.state) }));
            }
            let today = office_date(now);
            money_event(
                tx,
                now,
                if reason.is_some() { "rejected" } else { "confirmed" },
                &t.id,
                today,
                t.method,
                t.amount_fen,
            )?;
            let version = t.version + 1;
            Ok((
                Change {
                    entity: "transfer",
                    entity_id: t.id.clone(),
                    version,
                    payload: json!({ "command": input.command, "state": code(next), "cases": moved }),
                },
                t.id,
            ))
        })
        .and_then(|id| self.transfer(session, &id))
    }

    /// 选定缴费方式（一经选定不可更改）。
    pub fn choose_payment_method(&self, session: &Session, input: &ChooseMethodInput) -> Result<crate::CaseDetail> {
        let conn = self.conn();
        let a = actor(&conn, Some(session), None)?;
        drop(conn);
        self.run(Some(a.id()), "choose_payment_method", |tx, now| {
            let row = at_version(tx, &input.case_id, input.version)?;
            self.apply_case(
                tx,
                row,
                &CaseCommand::ChoosePaymentMethod { method: input.method },
                &a,
                now,
            )
        })
    }

    /// 更改缴费方式（管理员，记录原因）；已有未退回的付款登记时不能更改。
    pub fn change_payment_method(&self, session: &Session, input: &ChangeMethodInput) -> Result<crate::CaseDetail> {
        let conn = self.conn();
        let a = actor(&conn, Some(session), None)?;
        drop(conn);
        self.run(Some(a.id()), "change_payment_method", |tx, now| {
            let row = at_version(tx, &input.case_id, input.version)?;
            if covered_of(tx, &row.id)? > 0 {
                return Err(StoreError::Refused {
                    code: "payment_already_recorded".into(),
                    message: "本案已登记转账，不能更改缴费方式；如需更改请先由核款人员退回该笔转账".into(),
                });
            }
            let cmd = CaseCommand::ChangePaymentMethod {
                method: input.method,
                reason: input.reason.clone(),
            };
            self.apply_case(tx, row, &cmd, &a, now)
        })
    }

    /// 在线支付确认：平台已收款，案件受理，办结时限起算。
    pub fn confirm_online_payment(&self, session: &Session, input: &OnlinePaymentInput) -> Result<crate::CaseDetail> {
        let conn = self.conn();
        let a = actor(&conn, Some(session), None)?;
        drop(conn);
        self.run(Some(a.id()), "confirm_online_payment", |tx, now| {
            let mut row = at_version(tx, &input.case_id, input.version)?;
            if row.facts.payment_method.is_none() && row.state == CaseState::AwaitingPayment {
                let cmd = CaseCommand::ChoosePaymentMethod {
                    method: PaymentMethod::Online,
                };
                row = self.apply_case_row(tx, row, &cmd, &a, now)?.1;
            }
            let cmd = CaseCommand::ConfirmOnlinePayment {
                platform_reference: input.platform_reference.clone(),
                amount_fen: input.amount_fen,
            };
            let (change, detail) = self.apply_case(tx, row, &cmd, &a, now)?;
            let today = office_date(now);
            money_event(
                tx,
                now,
                "received",
                &detail.id,
                today,
                PaymentMethod::Online,
                input.amount_fen,
            )?;
            money_event(
                tx,
                now,
                "confirmed",
                &detail.id,
                today,
                PaymentMethod::Online,
                input.amount_fen,
            )?;
            Ok((change, detail))
        })
    }

    /// 导入银行流水：预览（`dry_run`）或入账。只有唯一精确匹配自动登记（导入人为制单人，
    /// 须另一人确认）；其余留待人工处理。同一行（按指纹）永远只计一次。
    pub fn import_statement(&self, session: &Session, input: &ImportStatementInput) -> Result<StatementImportView> {
        self.import_statement_watched(session, input, &|_| true)
    }

    /// [`Store::import_statement`], telling `watch` how far the matching has
    /// come (a line at a time) and stopping when it answers `false`: then
    /// nothing is recorded and the import is refused as cancelled.
    pub fn import_statement_watched(
        &self,
        session: &Session,
        input: &ImportStatementInput,
        watch: &dyn Fn(StatementProgress) -> bool,
    ) -> Result<StatementImportView> {
        let conn = self.conn();
        let importer = actor(&conn, Some(session), Some(Permission::OpenDesk(Desk::Payments)))?;
        drop(conn);
        let path = Path::new(input.path.trim());
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let bytes = std::fs::read(path).map_err(|e| {
            StoreError::Invalid(vec![FieldError::new(
                "path",
                "unreadable",
                format!("无法读取银行流水文件“{}”：{e}", input.path.trim()),
            )])
        })?;
        let parsed = regdesk_statement::parse(&bytes, &file_name)
            .map_err(|e| StoreError::Invalid(vec![FieldError::new("path", e.code(), e.to_string())]))?;
        let format_label = match &parsed.format {
            regdesk_statement::StatementFormat::Csv { encoding, delimiter } => {
                let enc = match encoding {
                    regdesk_statement::TextEncoding::Utf8 => "UTF-8",
                    regdesk_statement::TextEncoding::Gbk => "GBK",
                };
                let d = match delimiter {
                    '\t' => "制表符".to_string(),
                    c => format!("“{c}”"),
                };
                format!("CSV（{enc}，{d}分隔）")
            }
            regdesk_statement::StatementFormat::Xlsx { sheet } => format!("Excel 工作簿（工作表“{sheet}”）"),
        };
        let skipped: Vec<String> = parsed
            .skipped
            .iter()
            .filter(|s| s.reason != regdesk_statement::SkipReason::Blank)
            .map(|s| format!("第 {} 行（{}）：{}", s.line, s.reason.label(), s.text))
            .collect();

        let plan = |conn: &Connection| -> Result<Vec<(StatementLineView, Option<usize>, String)>> {
            let mut cands = candidates(conn)?;
            let mut used = HashSet::new();
            let mut out = Vec::new();
            let total = parsed.lines.len() as u32;
            for (done, l) in parsed.lines.iter().enumerate() {
                if !watch(StatementProgress {
                    done: done as u32,
                    total,
                }) {
                    return Err(StoreError::Refused {
                        code: "import_cancelled".into(),
                        message: format!(
                            "已取消导入“{file_name}”：比对到第 {done} 行（共 {total} 行）时停止，没有记录任何一行。"
                        ),
                    });
                }
                let known: Option<(String, String, Option<String>, Option<String>)> = conn
                    .query_row(
                        "SELECT s.id, s.decision, c.serial, s.transfer_id FROM statement_lines s
                         LEFT JOIN cases c ON c.id = s.case_id WHERE s.fingerprint = ?1",
                        [&l.fingerprint],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                    )
                    .optional()?;
                let mut view = StatementLineView {
                    id: None,
                    line: l.line,
                    date: l.date,
                    time: l.time,
                    payer: l.payer.clone(),
                    payer_account: l.payer_account.clone(),
                    amount_fen: l.credit_fen,
                    debit_fen: l.debit_fen,
                    reference: l.reference.clone(),
                    memo: l.memo.clone(),
                    decision: LineDecision::Ignored,
                    decision_label: String::new(),
                    case_serial: None,
                    transfer_id: None,
                    already_imported: false,
                    candidates: Vec::new(),
                };
                let mut chosen = None;
                if let Some((id, decision, serial, transfer)) = known {
                    view.id = Some(id);
                    view.decision = LineDecision::parse(&decision);
                    view.case_serial = serial;
                    view.transfer_id = transfer;
                    view.already_imported = true;
                } else if let (true, Some(credit)) = (l.is_credit(), credit_line(l)) {
                    let available: Vec<Candidate> = cands
                        .list
                        .iter()
                        .enumerate()
                        .map(|(i, c)| {
                            if used.contains(&i) {
                                // already taken by an earlier line of this statement: matches nothing
                                Candidate::RecordedTransfer {
                                    id: String::new(),
                                    reference: String::new(),
                                    amount_fen: -1,
                                    payer: String::new(),
                                    received_on: NaiveDate::MIN,
                                }
                            } else {
                                c.clone()
                            }
                        })
                        .collect();
                    let m = payment::match_line(&credit, &available);
                    view.candidates = candidate_views(&cands, &m.scored);
                    match m.decision {
                        MatchDecision::Matched(i) => {
                            used.insert(i);
                            view.decision = LineDecision::Matched;
                            match cands.list.get(i) {
                                Some(Candidate::OpenCase { serial, .. }) => view.case_serial = Some(serial.clone()),
                                Some(Candidate::RecordedTransfer { .. }) => {
                                    view.transfer_id = cands.ids.get(i).cloned()
                                }
                                None => {}
                            }
                            chosen = Some(i);
                        }
                        MatchDecision::Ambiguous(_) => view.decision = LineDecision::Ambiguous,
                        MatchDecision::Unmatched => view.decision = LineDecision::Unmatched,
                    }
                }
                view.decision_label = view.decision.label().to_string();
                out.push((view, chosen, l.fingerprint.clone()));
            }
            watch(StatementProgress { done: total, total });
            // keep the candidate list for the caller's use of indexes
            cands.list.shrink_to_fit();
            Ok(out)
        };

        let count = |views: &[StatementLineView], dry_run: bool, import_id: Option<String>| StatementImportView {
            import_id,
            file_name: file_name.clone(),
            format_label: format_label.clone(),
            header_line: parsed.header_line,
            matched: views
                .iter()
                .filter(|v| !v.already_imported && v.decision == LineDecision::Matched)
                .count() as u32,
            waiting: views
                .iter()
                .filter(|v| {
                    !v.already_imported && matches!(v.decision, LineDecision::Ambiguous | LineDecision::Unmatched)
                })
                .count() as u32,
            ignored: views
                .iter()
                .filter(|v| !v.already_imported && v.decision == LineDecision::Ignored)
                .count() as u32,
            already_imported: views.iter().filter(|v| v.already_imported).count() as u32,
            lines: views.to_vec(),
            skipped: skipped.clone(),
            dry_run,
        };

        if input.dry_run {
            let conn = self.conn();
            let views: Vec<StatementLineView> = plan(&conn)?.into_iter().map(|(v, _, _)| v).collect();
            return Ok(count(&views, true, None));
        }

        self.run(Some(importer.id()), "import_statement", |tx, now| {
            let cands = candidates(tx)?;
            let planned = plan(tx)?;
            let import_id = uuid_v7(now).to_string();
            let new_lines = planned.iter().filter(|(v, _, _)| !v.already_imported).count() as i64;
            tx.execute(
                "INSERT INTO statement_imports (id, file_name, format, imported_by, imported_at, new_lines, known_lines)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    import_id,
                    file_name,
                    format_label,
                    importer.id(),
                    now,
                    new_lines,
                    planned.len() as i64 - new_lines
                ],
            )?;
            let mut views = Vec::new();
            let mut applied = Vec::new();
            for (mut view, chosen, fingerprint) in planned {
                if view.already_imported {
                    views.push(view);
                    continue;
                }
                let line_id = uuid_v7(now).to_string();
                let source = parsed.lines.iter().find(|l| l.fingerprint == fingerprint);
                let (payer_bank, time) = source.map(|l| (l.payer_bank.clone(), l.time)).unwrap_or_default();
                tx.execute(
                    "INSERT INTO statement_lines (id, import_id, fingerprint, line, day, time, payer, payer_account,
                        payer_bank, credit_fen, debit_fen, memo, reference, decision)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                    params![
                        line_id,
                        import_id,
                        fingerprint,
                        view.line,
                        view.date,
                        time,
                        view.payer,
                        view.payer_account,
                        payer_bank,
                        view.amount_fen,
                        view.debit_fen,
                        view.memo,
                        view.reference,
                        view.decision.code()
                    ],
                )?;
                view.id = Some(line_id.clone());
                if let Some(i) = chosen {
                    let target = cands.ids.get(i).cloned().unwrap_or_default();
                    match cands.list.get(i) {
                        Some(Candidate::OpenCase { .. }) => {
                            let transfer = line_transfer(&view, time, &fingerprint);
                            let (tid, _) = self.record_transfer_tx(
                                tx,
                                now,
                                &importer,
                                NewTransfer {
                                    input: &transfer,
                                    receipt_file_id: None,
                                    shares: &[ShareInput {
                                        case_id: target.clone(),
                                        amount_fen: view.amount_fen.unwrap_or(0),
                                    }],
                                    statement_line_id: Some(&line_id),
                                },
                            )?;
                            tx.execute(
                                "UPDATE statement_lines SET case_id = ?2, transfer_id = ?3 WHERE id = ?1",
                                params![line_id, target, tid],
                            )?;
                            view.transfer_id = Some(tid);
                        }
                        Some(Candidate::RecordedTransfer { .. }) => {
                            tx.execute(
                                "UPDATE transfers SET statement_line_id = ?2 WHERE id = ?1",
                                params![target, line_id],
                            )?;
                            tx.execute(
                                "UPDATE statement_lines SET transfer_id = ?2 WHERE id = ?1",
                                params![line_id, target],
                            )?;
                        }
                        None => {}
                    }
                    applied.push(json!({ "line": view.line, "case": view.case_serial, "transfer": view.transfer_id }));
                }
                views.push(view);
            }
            let out = count(&views, false, Some(import_id.clone()));
            Ok((
                Change {
                    entity: "statement_import",
                    entity_id: import_id,
                    version: 1,
                    payload: json!({
                        "file_name": file_name, "new_lines": new_lines, "applied": applied,
                        "waiting": out.waiting, "ignored": out.ignored,
                    }),
                },
                out,
            ))
        })
    }

    /// 待人工处理的流水（未匹配或有多个可能），附当前的候选。
    pub fn open_statement_lines(&self, session: &Session) -> Result<Vec<StatementLineView>> {
        let conn = self.conn();
        actor(&conn, Some(session), Some(Permission::OpenDesk(Desk::Payments)))?;
        let cands = candidates(&conn)?;
        let mut stmt = conn.prepare(&format!(
            "SELECT {LINE_COLS} FROM statement_lines
             WHERE decision IN ('ambiguous', 'unmatched') AND resolved_at IS NULL ORDER BY day, line"
        ))?;
        let rows = stmt
            .query_map([], line_row)?
            .map(|r| r.map(|(v, ..)| v))
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows
            .into_iter()
            .map(|mut v| {
                if let Some(amount) = v.amount_fen {
                    let credit = CreditLine {
                        date: v.date,
                        payer: v.payer.clone(),
                        amount_fen: amount,
                        memo: v.memo.clone(),
                        reference: v.reference.clone(),
                    };
                    v.candidates = candidate_views(&cands, &payment::match_line(&credit, &cands.list).scored);
                }
                v
            })
            .collect())
    }

    /// 处理一行流水：登记为转账并分配到所选案件（处理人为制单人）。
    pub fn resolve_statement_line(&self, session: &Session, input: &ResolveLineInput) -> Result<TransferView> {
        let conn = self.conn();
        let maker = actor(&conn, Some(session), Some(Permission::OpenDesk(Desk::Payments)))?;
        drop(conn);
        let id = self.run(Some(maker.id()), "resolve_statement_line", |tx, now| {
            let (view, time, fingerprint, resolved) = open_line(tx, &input.line_id)?;
            if resolved {
                return Err(StoreError::Refused {
                    code: "line_resolved".into(),
                    message: "这行流水已经处理过了，请刷新列表".into(),
                });
            }
            let transfer = line_transfer(&view, time, &fingerprint);
            let (tid, payload) = self.record_transfer_tx(
                tx,
                now,
                &maker,
                NewTransfer {
                    input: &transfer,
                    receipt_file_id: None,
                    shares: &input.shares,
                    statement_line_id: Some(&input.line_id),
                },
            )?;
            tx.execute(
                "UPDATE statement_lines SET transfer_id = ?2, resolved_by = ?3, resolved_at = ?4, resolution = 'transfer'
                 WHERE id = ?1",
                params![input.line_id, tid, maker.id(), now],
            )?;
            Ok((
                Change {
                    entity: "statement_line",
                    entity_id: input.line_id.clone(),
                    version: 2,
                    payload: json!({ "resolution": "transfer", "transfer_id": tid, "transfer": payload }),
                },
                tid,
            ))
        })?;
        self.transfer(session, &id)
    }

    /// 不是登记费的入账（如其他业务）：说明原因后不再列出。
    pub fn dismiss_statement_line(&self, session: &Session, input: &DismissLineInput) -> Result<()> {
        let conn = self.conn();
        let a = actor(&conn, Some(session), Some(Permission::OpenDesk(Desk::Payments)))?;
        drop(conn);
        let note = input.note.trim().to_string();
        if note.is_empty() {
            return Err(FieldError::new("note", "required", "请说明这笔入账为什么不是登记费").into());
        }
        self.run(Some(a.id()), "dismiss_statement_line", |tx, now| {
            let (_, _, _, resolved) = open_line(tx, &input.line_id)?;
            if resolved {
                return Err(StoreError::Refused {
                    code: "line_resolved".into(),
                    message: "这行流水已经处理过了，请刷新列表".into(),
                });
            }
            tx.execute(
                "UPDATE statement_lines SET resolved_by = ?2, resolved_at = ?3, resolution = 'dismissed' WHERE id = ?1",
                params![input.line_id, a.id(), now],
            )?;
            Ok((
                Change {
                    entity: "statement_line",
                    entity_id: input.line_id.clone(),
                    version: 2,
                    payload: json!({ "resolution": "dismissed", "note": note }),
                },
                (),
            ))
        })
    }

    /// 应退费的案件（不予登记等）。
    pub fn refunds_due(&self, session: &Session) -> Result<Vec<RefundDueRow>> {
        let conn = self.conn();
        actor(&conn, Some(session), Some(Permission::OpenDesk(Desk::Payments)))?;
        let ids: Vec<String> = conn
            .prepare("SELECT id FROM cases WHERE facts LIKE '%\"refund_owed_fen\":%' ORDER BY updated_at")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for id in ids {
            let row = load_case(&conn, &id)?;
            let owed = row.facts.refund_owed_fen - refunded_of(&conn, &id)?;
            if owed <= 0 {
                continue;
            }
            out.push(RefundDueRow {
                case_id: row.id,
                serial: row.serial,
                title: row.draft.work.title.clone(),
                applicant_name: row.applicant_name,
                state_label: row.state.label().to_string(),
                paid_by: row.facts.payment_method,
                owed_fen: owed,
            });
        }
        Ok(out)
    }

    /// 登记退费（方式、凭证号、日期）。
    pub fn record_refund(&self, session: &Session, input: &RecordRefundInput) -> Result<()> {
        let conn = self.conn();
        let a = actor(&conn, Some(session), Some(Permission::OpenDesk(Desk::Payments)))?;
        if !a.holds(Role::Finance) {
            return Err(StoreError::Refused {
                code: "forbidden".into(),
                message: "登记退费须由缴费核对人员办理".into(),
            });
        }
        drop(conn);
        let today = self.office_today();
        self.run(Some(a.id()), "record_refund", |tx, now| {
            let row = load_case(tx, &input.case_id)?;
            let owed = row.facts.refund_owed_fen - refunded_of(tx, &row.id)?;
            let paid_by = row.facts.payment_method.unwrap_or(PaymentMethod::BankTransfer);
            input
                .refund
                .validate(owed, paid_by, today)
                .map_err(|errs| prefixed("refund", errs))?;
            let id = uuid_v7(now).to_string();
            tx.execute(
                "INSERT INTO refunds (id, case_id, method, amount_fen, reference, refunded_on, recorded_by, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    id,
                    row.id,
                    code(input.refund.method),
                    input.refund.amount_fen,
                    input.refund.reference.trim(),
                    input.refund.refunded_on,
                    a.id(),
                    now
                ],
            )?;
            money_event(
                tx,
                now,
                "refunded",
                &id,
                input.refund.refunded_on,
                input.refund.method.channel(),
                input.refund.amount_fen,
            )?;
            Ok((
                Change {
                    entity: "refund",
                    entity_id: id,
                    version: 1,
                    payload: json!({ "case": row.serial, "refund": input.refund }),
                },
                (),
            ))
        })
    }

    /// 待开电子发票：已缴费、未退费、未开票的案件。
    pub fn invoices_due(&self, session: &Session) -> Result<Vec<InvoiceDueRow>> {
        let conn = self.conn();
        actor(&conn, Some(session), Some(Permission::OpenDesk(Desk::Payments)))?;
        let ids: Vec<String> = conn
            .prepare(
                "SELECT c.id FROM cases c LEFT JOIN invoices i ON i.case_id = c.id
                 WHERE i.case_id IS NULL AND c.accepted_on IS NOT NULL ORDER BY c.accepted_on, c.serial",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for id in ids {
            let row = load_case(&conn, &id)?;
            let paid = row.facts.paid_fen - refunded_of(&conn, &id)?;
            if paid <= 0 {
                continue;
            }
            let (tax_id, profile_email): (String, String) = match &row.applicant_id {
                Some(a) => conn
                    .query_row(
                        "SELECT CASE WHEN id_type = 'uscc' THEN id_number ELSE '' END, invoice_email
                         FROM applicants WHERE id = ?1",
                        [a],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?
                    .unwrap_or_default(),
                None => Default::default(),
            };
            let email = if row.draft.invoice_email.trim().is_empty() {
                profile_email
            } else {
                row.draft.invoice_email.trim().to_string()
            };
            out.push(InvoiceDueRow {
                case_id: row.id,
                serial: row.serial,
                title: row.draft.work.title.clone(),
                payer_name: row.applicant_name,
                tax_id,
                amount_fen: paid,
                paid_on: row.accepted_on,
                email,
            });
        }
        Ok(out)
    }

    /// 开票清单（xlsx，供开票系统导入）。
    pub fn invoice_list_xlsx(&self, session: &Session) -> Result<Vec<u8>> {
        let rows: Vec<regdesk_print::InvoiceRow> = self
            .invoices_due(session)?
            .into_iter()
            .map(|r| regdesk_print::InvoiceRow {
                serial: r.serial,
                paid_on: r.paid_on.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
                payer_name: r.payer_name,
                tax_id: r.tax_id,
                amount_fen: r.amount_fen,
                email: r.email,
                work_title: r.title,
                remark: "作品登记费".into(),
            })
            .collect();
        regdesk_print::invoice_list_xlsx(&rows).map_err(|e| StoreError::Corrupt(e.to_string()))
    }

    /// 标记已开具电子发票。
    pub fn mark_invoices_issued(&self, session: &Session, input: &MarkInvoicesInput) -> Result<u32> {
        let conn = self.conn();
        let a = actor(&conn, Some(session), Some(Permission::OpenDesk(Desk::Payments)))?;
        drop(conn);
        let number = input.invoice_number.trim().to_string();
        if number.is_empty() {
            return Err(FieldError::new("invoice_number", "required", "请填写发票号码（或开票批次号）").into());
        }
        if input.case_ids.is_empty() {
            return Err(FieldError::new("case_ids", "required", "请勾选已开票的案件").into());
        }
        let due: HashSet<String> = self.invoices_due(session)?.into_iter().map(|r| r.case_id).collect();
        self.run(Some(a.id()), "mark_invoices_issued", |tx, now| {
            for (i, id) in input.case_ids.iter().enumerate() {
                if !due.contains(id) {
                    return Err(FieldError::new(
                        format!("case_ids[{i}]"),
                        "not_due",
                        "所选案件不在待开票清单中（可能已开票或已退费），请刷新后重选",
                    )
                    .into());
                }
                tx.execute(
                    "INSERT INTO invoices (case_id, invoice_number, issued_by, issued_at) VALUES (?1, ?2, ?3, ?4)",
                    params![id, number, a.id(), now],
                )?;
            }
            Ok((
                Change {
                    entity: "invoice",
                    entity_id: number.clone(),
                    version: 1,
                    payload: json!({ "cases": input.case_ids, "invoice_number": number }),
                },
                input.case_ids.len() as u32,
            ))
        })
    }

    /// 收费日报：每日每种方式的到账、确认、待核、退回、退费。
    pub fn day_report(&self, session: &Session, input: &DayReportInput) -> Result<DayReportView> {
        let conn = self.conn();
        actor(&conn, Some(session), None)?;
        if input.to < input.from {
            return Err(FieldError::new("to", "before_from", "结束日期不能早于开始日期").into());
        }
        // Every event of the days asked for, and the checks (on any later day) of what was received then.
        let mut stmt = conn.prepare(
            "SELECT event, subject, day, method, fen FROM money_events
             WHERE day BETWEEN ?1 AND ?2
                OR (event IN ('confirmed', 'rejected') AND subject IN
                    (SELECT subject FROM money_events WHERE event = 'received' AND day BETWEEN ?1 AND ?2))",
        )?;
        let raw = stmt
            .query_map(params![input.from, input.to], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, NaiveDate>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, i64>(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut events = Vec::new();
        for (event, subject, day, method, fen) in raw {
            let method: PaymentMethod = from_code(&method)?;
            events.push(match event.as_str() {
                "received" => MoneyEvent::Received {
                    transfer: subject,
                    day,
                    method,
                    fen,
                },
                "confirmed" => MoneyEvent::Confirmed {
                    transfer: subject,
                    day,
                    method,
                    fen,
                },
                "rejected" => MoneyEvent::Rejected {
                    transfer: subject,
                    day,
                    method,
                    fen,
                },
                _ => MoneyEvent::Refunded {
                    refund: subject,
                    day,
                    method,
                    fen,
                },
            });
        }
        let rows: Vec<payment::DayReportRow> = payment::day_report(&events)
            .into_iter()
            .filter(|r| r.day >= input.from && r.day <= input.to)
            .collect();
        let totals = payment::day_report_totals(&rows);
        Ok(DayReportView {
            from: input.from,
            to: input.to,
            lines: rows
                .into_iter()
                .map(|row| DayReportLine {
                    method_label: row.method.label().to_string(),
                    row,
                })
                .collect(),
            totals,
        })
    }

    fn day_report_doc(&self, session: &Session, input: &DayReportInput) -> Result<regdesk_print::DayReport> {
        let v = self.day_report(session, input)?;
        let office = self.office()?.map(|o| o.name).unwrap_or_default();
        let by = staff_name(&self.conn(), &session.staff_id)?;
        let now = self.now() + chrono::Duration::hours(i64::from(crate::OFFICE_UTC_OFFSET_HOURS));
        Ok(regdesk_print::DayReport {
            office_name: office,
            period_from: v.from.format("%Y年%-m月%-d日").to_string(),
            period_to: v.to.format("%Y年%-m月%-d日").to_string(),
            generated_by: by,
            generated_at: now.format("%Y年%-m月%-d日 %H:%M").to_string(),
            rows: v
                .lines
                .into_iter()
                .map(|l| regdesk_print::DayReportRow {
                    date: l.row.day.format("%Y-%m-%d").to_string(),
                    method: l.method_label,
                    received_count: l.row.received_count,
                    received_fen: l.row.received_fen,
                    confirmed_count: l.row.confirmed_count,
                    confirmed_fen: l.row.confirmed_fen,
                    pending_count: l.row.pending_count,
                    pending_fen: l.row.pending_fen,
                    refund_count: l.row.refunded_count,
                    refund_fen: l.row.refunded_fen,
                })
                .collect(),
        })
    }

    /// 收费日报 PDF。
    pub fn day_report_pdf(&self, session: &Session, input: &DayReportInput) -> Result<Vec<u8>> {
        regdesk_print::day_report(&self.day_report_doc(session, input)?).map_err(|e| StoreError::Corrupt(e.to_string()))
    }

    /// 收费日报 xlsx。
    pub fn day_report_xlsx(&self, session: &Session, input: &DayReportInput) -> Result<Vec<u8>> {
        regdesk_print::day_report_xlsx(&self.day_report_doc(session, input)?)
            .map_err(|e| StoreError::Corrupt(e.to_string()))
    }
}

fn finance_row(raw: (TransferRow, String, String)) -> Result<TransferRow> {
    finish_transfer(raw)
}

fn refunded_of(conn: &Connection, case_id: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT COALESCE(SUM(amount_fen), 0) FROM refunds WHERE case_id = ?1",
        [case_id],
        |r| r.get(0),
    )?)
}

/// The columns of an imported statement line, as [`line_row`] reads them.
const LINE_COLS: &str = "id, line, day, time, payer, payer_account, credit_fen, debit_fen, reference, memo, decision,
    fingerprint, resolved_at IS NOT NULL OR decision IN ('matched', 'ignored')";

type LineRow = (StatementLineView, Option<chrono::NaiveTime>, String, bool);

/// An imported line: its view, time, fingerprint, and whether it is done with.
fn line_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<LineRow> {
    let time: Option<chrono::NaiveTime> = r.get(3)?;
    let decision = LineDecision::parse(&r.get::<_, String>(10)?);
    Ok((
        StatementLineView {
            id: Some(r.get(0)?),
            line: r.get(1)?,
            date: r.get(2)?,
            time,
            payer: r.get(4)?,
            payer_account: r.get(5)?,
            amount_fen: r.get(6)?,
            debit_fen: r.get(7)?,
            reference: r.get(8)?,
            memo: r.get(9)?,
            decision,
            decision_label: decision.label().to_string(),
            case_serial: None,
            transfer_id: None,
            already_imported: true,
            candidates: Vec::new(),
        },
        time,
        r.get(11)?,
        r.get(12)?,
    ))
}

/// An imported line waiting for a person.
fn open_line(conn: &Connection, id: &str) -> Result<LineRow> {
    conn.query_row(
        &format!("SELECT {LINE_COLS} FROM statement_lines WHERE id = ?1"),
        [id],
        line_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound {
        what: "银行流水行",
        id: id.to_string(),
    })
}

/// The transfer a credit line stands for: a corporate bank transfer, the bank's reference
/// (or, when the bank gave none, the line's fingerprint so it is still unique).
fn line_transfer(v: &StatementLineView, time: Option<chrono::NaiveTime>, fingerprint: &str) -> TransferInput {
    TransferInput {
        method: PaymentMethod::BankTransfer,
        payer: if v.payer.trim().is_empty() {
            "（流水未列户名）".into()
        } else {
            v.payer.clone()
        },
        payer_account: v
            .payer_account
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == ' ')
            .collect(),
        payer_bank: String::new(),
        amount_fen: v.amount_fen.unwrap_or(0),
        received_at: v.date.and_time(time.unwrap_or_default()),
        reference: if v.reference.trim().is_empty() {
            format!("流水-{}", &fingerprint[..fingerprint.len().min(16)])
        } else {
            v.reference.clone()
        },
        purpose: v.memo.clone(),
    }
}
