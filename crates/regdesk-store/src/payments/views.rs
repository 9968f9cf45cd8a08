//! The payments desk's views and inputs (they cross to the UI and the CLI).

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use regdesk_domain::lifecycle::{CaseState, PaymentMethod};
use regdesk_domain::payment::{self, RefundInput, TransferCommand, TransferInput, TransferState};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

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
    /// 可登记在线支付（待缴费且方式为在线或未选）；与转账一样由核款人员登记、另一位核款人员确认
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
    /// The case was accepted (payment confirmed, clock started): its 受理通知书 can be printed.
    pub has_acceptance_notice: bool,
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

/// 流水行的处理结论。Stored in `statement_lines.decision` as its serde name
/// (`matched`, `ambiguous`, `unmatched`, `ignored`), which the CLI's JSON shows too.
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
    /// 发票接收邮箱（本案填写的，否则用户信息中的）
    pub email: String,
    /// 邮箱为空或格式不对时的说明（须先在用户信息中补正）；邮箱可用时没有
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub email_problem: Option<String>,
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
    /// The audit chain's last entry as the report is made (printed on it, so paper anchors the head too).
    pub audit_head: Option<crate::AuditHead>,
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
