//! 缴费与核款 (fee payment and its checking, docs/DOMAIN.md §6): offline transfers and their
//! maker-checker, allocation of one transfer to several works, the applicant's balance,
//! bank-statement matching, refunds, the e-invoice rule and the finance day report.
//!
//! Pure: no I/O, no clock. "Today" is always an argument. Amounts are integer fen.
//!
//! Decisions taken here (and tested below):
//! - **Maker-checker (四眼原则).** Only 缴费核对 (finance) may confirm or reject a recorded
//!   transfer. Whoever recorded it may never confirm it, but may reject it: rejecting one's own
//!   record corrects a mistake and moves no money. Only a transfer waiting for checking (待核款)
//!   can change. Checks run in the order roles → state → four eyes → reason, as in
//!   [`crate::lifecycle::decide`].
//! - **Allocation.** A case never receives more than it still owes; whatever is left of the
//!   transfer is over payment (多付) and goes to the applicant's balance. A share may be smaller
//!   than what the case owes (the case stays short and is not checked until it is covered).
//! - **Balance.** Over payment counts only once its transfer is confirmed.
//! - **Refunds.** A refund equals the refund owed: the office does not make partial refunds.
//!   Only an online payment can be refunded along its original route.
//! - **Day report.** Money events carry the transfer id; a transfer received on a day is pending
//!   when no confirmation or rejection of it is among the events given.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::applicant::parse_email;
use crate::error::{required_text, FieldError};
use crate::fee::format_yuan;
use crate::lifecycle::{PaymentMethod, StaffId};
use crate::staff::{PermissionDenied, Role};

// ---------------------------------------------------------------------------------------------
// 1. Transfers and maker-checker (线下转账记录与核款)
// ---------------------------------------------------------------------------------------------

/// 线下转账记录的状态。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TransferState {
    /// 待核款：已登记，等待另一位核款人员确认
    Recorded,
    /// 已确认：到账已核实
    Confirmed,
    /// 已退回：记录有误或款项未到
    Rejected,
}

impl TransferState {
    pub const ALL: [TransferState; 3] = [
        TransferState::Recorded,
        TransferState::Confirmed,
        TransferState::Rejected,
    ];

    pub fn label(self) -> &'static str {
        match self {
            TransferState::Recorded => "待核款",
            TransferState::Confirmed => "已确认",
            TransferState::Rejected => "已退回",
        }
    }
}

/// 核款操作。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case", tag = "command")]
pub enum TransferCommand {
    /// 确认收款
    Confirm,
    /// 退回付款（须写明原因）
    Reject { reason: String },
}

impl TransferCommand {
    pub fn label(&self) -> &'static str {
        match self {
            TransferCommand::Confirm => "确认收款",
            TransferCommand::Reject { .. } => "退回付款",
        }
    }
}

/// 核款操作被拒。
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransferRefusal {
    /// 缺少缴费核对岗位
    #[error("{0}")]
    Forbidden(PermissionDenied),
    /// 只有待核款的记录可以确认或退回
    #[error("这笔转账当前状态为{}，不能执行“{}”", state.label(), action)]
    WrongState { state: TransferState, action: &'static str },
    /// 四眼原则：登记人不能确认自己登记的转账
    #[error("这笔转账由您登记，不能由您本人确认收款，请由另一位核款人员确认")]
    FourEyes,
    /// 退回须写明原因
    #[error("请填写退回付款的原因")]
    ReasonRequired,
}

impl TransferRefusal {
    /// Stable machine code (the same codes as [`crate::lifecycle::Refusal`] where they mean the same).
    pub fn code(&self) -> &'static str {
        match self {
            TransferRefusal::Forbidden(_) => "forbidden",
            TransferRefusal::WrongState { .. } => "wrong_state",
            TransferRefusal::FourEyes => "four_eyes_payment",
            TransferRefusal::ReasonRequired => "required",
        }
    }

    /// The Chinese message for the desk.
    pub fn message(&self) -> String {
        self.to_string()
    }
}

/// Decides a finance command on a recorded transfer and returns the new state.
///
/// Checks, in order: the actor holds [`Role::Finance`]; the transfer is still
/// [`TransferState::Recorded`]; the actor did not record it (confirming only — rejecting one's own
/// record is allowed, it corrects a mistake and credits nothing); a rejection has a non-blank reason.
pub fn decide_transfer(
    state: TransferState,
    recorded_by: &StaffId,
    actor: &StaffId,
    actor_roles: &[Role],
    command: &TransferCommand,
) -> Result<TransferState, TransferRefusal> {
    if !actor_roles.contains(&Role::Finance) {
        return Err(TransferRefusal::Forbidden(PermissionDenied {
            action: command.label().to_string(),
            needed: Role::Finance.label().to_string(),
        }));
    }
    if state != TransferState::Recorded {
        return Err(TransferRefusal::WrongState {
            state,
            action: command.label(),
        });
    }
    match command {
        TransferCommand::Confirm if recorded_by == actor => Err(TransferRefusal::FourEyes),
        TransferCommand::Confirm => Ok(TransferState::Confirmed),
        TransferCommand::Reject { reason } if reason.trim().is_empty() => Err(TransferRefusal::ReasonRequired),
        TransferCommand::Reject { .. } => Ok(TransferState::Rejected),
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Transfer input (登记线下转账)
// ---------------------------------------------------------------------------------------------

/// Upper bound of one transfer: 1,000,000 yuan (more than 6,000 works at 150 yuan). A larger
/// amount is almost always a typo (extra digits, yuan typed into a fen field).
pub const MAX_TRANSFER_FEN: i64 = 100_000_000;

/// Bank account numbers (付款账号): 6–32 digits once the spaces are taken out.
pub const BANK_ACCOUNT_DIGITS: std::ops::RangeInclusive<usize> = 6..=32;

/// 登记线下转账（填写中，未校验）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TransferInput {
    /// 缴费方式：须为银行公对公转账或支付宝转账
    pub method: PaymentMethod,
    /// 付款人（户名）
    pub payer: String,
    /// 付款账号（可选）：银行账号只含数字和空格；支付宝账号为手机号或邮箱（常被打码）
    pub payer_account: String,
    /// 付款银行（可选）
    pub payer_bank: String,
    /// 到账金额（分）
    #[ts(type = "number")]
    pub amount_fen: i64,
    /// 到账时间
    pub received_at: NaiveDateTime,
    /// 转账流水号或凭证号
    pub reference: String,
    /// 用途或附言（可选）
    pub purpose: String,
}

impl TransferInput {
    /// Validates every field at once (`today` is the office's date). Field names are the struct's.
    ///
    /// - `method` must be offline: online payments are confirmed by the platform.
    /// - `payer` and `reference` are required (at most 100 and 64 characters).
    /// - `payer_account` is optional; for a bank transfer it holds digits and spaces only,
    ///   [`BANK_ACCOUNT_DIGITS`] digits; for Alipay it is free text of at most 100 characters
    ///   (a mobile number or e-mail, often masked with `*`).
    /// - `payer_bank` (≤ 60) and `purpose` (≤ 200) are optional.
    /// - `amount_fen` is more than 0 and at most [`MAX_TRANSFER_FEN`].
    /// - `received_at` is not after `today`.
    pub fn validate(&self, today: NaiveDate) -> Result<(), Vec<FieldError>> {
        let mut errs = Vec::new();
        if !self.method.is_offline() {
            errs.push(FieldError::new(
                "method",
                "not_offline",
                "在线支付由平台确认，无需登记转账；请选择银行公对公转账或支付宝转账",
            ));
        }
        if let Err(e) = required_text("payer", "付款人（户名）", &self.payer, 100) {
            errs.push(e);
        }
        if let Err(e) = check_account(self.method, &self.payer_account) {
            errs.push(e);
        }
        if let Err(e) = optional_text("payer_bank", "付款银行", &self.payer_bank, 60) {
            errs.push(e);
        }
        if let Err(e) = check_amount("amount_fen", "到账金额", self.amount_fen) {
            errs.push(e);
        }
        let day = self.received_at.date();
        if day > today {
            errs.push(FieldError::new(
                "received_at",
                "in_future",
                format!("到账时间 {day} 晚于今天 {today}，请按银行回单核对到账日期"),
            ));
        }
        if let Err(e) = required_text("reference", "转账流水号或凭证号", &self.reference, 64) {
            errs.push(e);
        }
        if let Err(e) = optional_text("purpose", "用途或附言", &self.purpose, 200) {
            errs.push(e);
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs)
        }
    }

    /// The input as it should be stored: text trimmed, spaces taken out of a bank account number.
    pub fn normalized(&self) -> TransferInput {
        let account = if self.method == PaymentMethod::BankTransfer {
            self.payer_account.chars().filter(|c| !c.is_whitespace()).collect()
        } else {
            self.payer_account.trim().to_string()
        };
        TransferInput {
            method: self.method,
            payer: self.payer.trim().to_string(),
            payer_account: account,
            payer_bank: self.payer_bank.trim().to_string(),
            amount_fen: self.amount_fen,
            received_at: self.received_at,
            reference: self.reference.trim().to_string(),
            purpose: self.purpose.trim().to_string(),
        }
    }
}

fn optional_text(field: &str, label: &str, value: &str, max_chars: usize) -> Result<(), FieldError> {
    if value.trim().is_empty() {
        Ok(())
    } else {
        required_text(field, label, value, max_chars).map(|_| ())
    }
}

fn check_amount(field: &str, label: &str, fen: i64) -> Result<(), FieldError> {
    if fen <= 0 {
        return Err(FieldError::new(
            field,
            "not_positive",
            format!("{label}应大于 0 元，现在是 {}", format_yuan(fen)),
        ));
    }
    if fen > MAX_TRANSFER_FEN {
        return Err(FieldError::new(
            field,
            "too_large",
            format!(
                "{label}最多 {}，现在是 {}，请核对是否多输了位数",
                format_yuan(MAX_TRANSFER_FEN),
                format_yuan(fen)
            ),
        ));
    }
    Ok(())
}

fn check_account(method: PaymentMethod, account: &str) -> Result<(), FieldError> {
    let v = account.trim();
    if v.is_empty() {
        return Ok(());
    }
    if method != PaymentMethod::BankTransfer {
        return required_text("payer_account", "付款账号", v, 100).map(|_| ());
    }
    if !v.chars().all(|c| c.is_ascii_digit() || c == ' ') {
        return Err(FieldError::new(
            "payer_account",
            "format",
            "付款账号只能含数字和空格，请按银行回单核对",
        ));
    }
    let digits = v.chars().filter(char::is_ascii_digit).count();
    if !BANK_ACCOUNT_DIGITS.contains(&digits) {
        return Err(FieldError::new(
            "payer_account",
            "length",
            format!(
                "付款账号应为 {}–{} 位数字，现在是 {digits} 位，请按银行回单核对",
                BANK_ACCOUNT_DIGITS.start(),
                BANK_ACCOUNT_DIGITS.end()
            ),
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 3. Allocation (一笔转账支付多件)
// ---------------------------------------------------------------------------------------------

/// 待缴费作品：应缴多少、已计入多少。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Due {
    /// 案件流水号或标识
    pub case: String,
    /// 应缴金额（分）
    #[ts(type = "number")]
    pub owed_fen: i64,
    /// 已计入本案的金额（分），如此前转账或余额抵扣
    #[ts(type = "number")]
    pub already_covered_fen: i64,
}

impl Due {
    /// 尚欠金额（分）：never negative.
    pub fn still_owed_fen(&self) -> i64 {
        self.owed_fen.saturating_sub(self.already_covered_fen).max(0)
    }
}

/// 分配结果：本次分配后是否缴足。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum ShareOutcome {
    /// 已缴足，可进入核款
    Covered,
    /// 仍差 `missing_fen`
    Short {
        #[ts(type = "number")]
        missing_fen: i64,
    },
}

/// 一件作品分得的金额。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Share {
    /// 案件流水号或标识
    pub case: String,
    /// 本次转账计入本案的金额（分）
    #[ts(type = "number")]
    pub amount_fen: i64,
    pub outcome: ShareOutcome,
}

impl Share {
    /// Is the case paid in full after this share? Only then is it ready for checking (待核款 → 待初审).
    pub fn covers(&self) -> bool {
        self.outcome == ShareOutcome::Covered
    }
}

/// 一笔转账的分配方案。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Allocation {
    /// 各作品分得的金额，按请求（或待缴费列表）的顺序
    pub shares: Vec<Share>,
    /// 多付（分），计入申请人余额
    #[ts(type = "number")]
    pub over_fen: i64,
    /// 短缺合计（分）：各作品仍差金额之和
    #[ts(type = "number")]
    pub short_fen: i64,
}

/// Checks the transfer amount and the dues (both come from the store; checked anyway).
fn check_dues(amount_fen: i64, dues: &[Due]) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if amount_fen <= 0 {
        errs.push(FieldError::new(
            "amount_fen",
            "not_positive",
            format!("转账金额应大于 0 元，现在是 {}", format_yuan(amount_fen)),
        ));
    }
    let mut seen = HashSet::new();
    for (i, d) in dues.iter().enumerate() {
        let case = d.case.trim();
        if case.is_empty() {
            errs.push(FieldError::new(
                format!("dues[{i}].case"),
                "required",
                "请填写案件流水号",
            ));
        } else if !seen.insert(case) {
            errs.push(FieldError::new(
                format!("dues[{i}].case"),
                "duplicate",
                format!("作品 {case} 重复出现，请只保留一行"),
            ));
        }
        if d.owed_fen < 0 {
            errs.push(FieldError::new(
                format!("dues[{i}].owed_fen"),
                "negative",
                format!("作品 {case} 的应缴金额不能为负数，现在是 {}", format_yuan(d.owed_fen)),
            ));
        }
        if d.already_covered_fen < 0 {
            errs.push(FieldError::new(
                format!("dues[{i}].already_covered_fen"),
                "negative",
                format!(
                    "作品 {case} 的已缴金额不能为负数，现在是 {}",
                    format_yuan(d.already_covered_fen)
                ),
            ));
        }
    }
    errs
}

/// Allocates one transfer of `amount_fen` to the cases named in `requested` (case, fen), in that
/// order. Every problem is reported at once, under `amount_fen`, `dues[i].…`, `requested[i].case`,
/// `requested[i].amount_fen` or `requested`.
///
/// Rules: each requested case is one of `dues`, named once, and receives more than 0 and at most
/// what it still owes ([`Due::still_owed_fen`]); the requested amounts together are at most the
/// transfer. What is left is over payment ([`Allocation::over_fen`], 计入申请人余额). A share
/// smaller than what the case still owes leaves it [`ShareOutcome::Short`]. An empty request puts
/// the whole transfer on the balance.
pub fn allocate(amount_fen: i64, dues: &[Due], requested: &[(String, i64)]) -> Result<Allocation, Vec<FieldError>> {
    let mut errs = check_dues(amount_fen, dues);
    let by_case: HashMap<&str, &Due> = dues.iter().map(|d| (d.case.trim(), d)).collect();
    let mut seen = HashSet::new();
    let mut shares = Vec::with_capacity(requested.len());
    let mut total: i128 = 0;
    for (i, (case, fen)) in requested.iter().enumerate() {
        let case = case.trim();
        let Some(due) = by_case.get(case) else {
            errs.push(FieldError::new(
                format!("requested[{i}].case"),
                "unknown",
                format!("作品 {case} 不在待缴费作品中，请重新选择"),
            ));
            continue;
        };
        if !seen.insert(case) {
            errs.push(FieldError::new(
                format!("requested[{i}].case"),
                "duplicate",
                format!("作品 {case} 分配了两次，请合并为一行"),
            ));
            continue;
        }
        let still = due.still_owed_fen();
        let field = format!("requested[{i}].amount_fen");
        if *fen <= 0 {
            errs.push(FieldError::new(
                field,
                "not_positive",
                format!("分配给作品 {case} 的金额应大于 0 元，现在是 {}", format_yuan(*fen)),
            ));
            continue;
        }
        if still == 0 {
            errs.push(FieldError::new(
                field,
                "nothing_owed",
                format!("作品 {case} 已缴足，不能再分配金额；多付的部分会计入申请人余额"),
            ));
            continue;
        }
        if *fen > still {
            errs.push(FieldError::new(
                field,
                "more_than_owed",
                format!(
                    "作品 {case} 还需缴 {}，不能分配 {}；多付的部分会计入申请人余额，无需分配给作品",
                    format_yuan(still),
                    format_yuan(*fen)
                ),
            ));
            continue;
        }
        total += i128::from(*fen);
        let missing = still - fen;
        shares.push(Share {
            case: case.to_string(),
            amount_fen: *fen,
            outcome: if missing == 0 {
                ShareOutcome::Covered
            } else {
                ShareOutcome::Short { missing_fen: missing }
            },
        });
    }
    if amount_fen > 0 && total > i128::from(amount_fen) {
        let excess = i64::try_from(total - i128::from(amount_fen)).unwrap_or(i64::MAX);
        errs.push(FieldError::new(
            "requested",
            "over_amount",
            format!(
                "分配合计 {} 超过转账金额 {}，请减少 {}",
                format_yuan(i64::try_from(total).unwrap_or(i64::MAX)),
                format_yuan(amount_fen),
                format_yuan(excess)
            ),
        ));
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    // total ≤ amount_fen here, so it fits in an i64.
    let allocated = i64::try_from(total).unwrap_or(amount_fen);
    let short = shares.iter().fold(0i64, |acc, s| match s.outcome {
        ShareOutcome::Short { missing_fen } => acc.saturating_add(missing_fen),
        ShareOutcome::Covered => acc,
    });
    Ok(Allocation {
        shares,
        over_fen: amount_fen - allocated,
        short_fen: short,
    })
}

/// Allocates `amount_fen` to `dues` in the order given: each case that still owes something gets
/// what it owes until the money runs out; the last case reached may get part of what it owes
/// (short); cases after it get nothing (no share). What is left after every case is covered is
/// over payment. Errors as [`allocate`].
pub fn auto_allocate(amount_fen: i64, dues: &[Due]) -> Result<Allocation, Vec<FieldError>> {
    let errs = check_dues(amount_fen, dues);
    if !errs.is_empty() {
        return Err(errs);
    }
    let mut left = amount_fen;
    let mut requested = Vec::new();
    for d in dues {
        if left == 0 {
            break;
        }
        let take = d.still_owed_fen().min(left);
        if take > 0 {
            requested.push((d.case.trim().to_string(), take));
            left -= take;
        }
    }
    allocate(amount_fen, dues, &requested)
}

// ---------------------------------------------------------------------------------------------
// 4. Applicant balance (申请人余额)
// ---------------------------------------------------------------------------------------------

/// 余额明细。Amounts are positive magnitudes; entries with `fen <= 0` are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case", tag = "entry")]
pub enum BalanceEntry {
    /// 多付计入余额；只有已确认的转账才计入
    OverPayment {
        /// 转账记录标识
        transfer: String,
        /// 该转账的核款状态
        state: TransferState,
        #[ts(type = "number")]
        fen: i64,
    },
    /// 余额抵扣某件作品的费用
    Applied {
        case: String,
        #[ts(type = "number")]
        fen: i64,
    },
    /// 余额退还申请人
    Refunded {
        #[ts(type = "number")]
        fen: i64,
    },
}

/// 申请人余额（分）: confirmed over payments minus what was applied or refunded. Negative only
/// if the ledger was written without [`apply_balance`] (a bookkeeping error to show, not hide).
pub fn balance(entries: &[BalanceEntry]) -> i64 {
    entries.iter().fold(0i64, |acc, e| match e {
        BalanceEntry::OverPayment {
            state: TransferState::Confirmed,
            fen,
            ..
        } if *fen > 0 => acc.saturating_add(*fen),
        BalanceEntry::Applied { fen, .. } | BalanceEntry::Refunded { fen } if *fen > 0 => acc.saturating_sub(*fen),
        _ => acc,
    })
}

/// How much of the balance goes to a case that still owes `owed_fen`: all of it up to what is
/// owed. Refused when the balance is empty or nothing is owed.
pub fn apply_balance(balance_fen: i64, owed_fen: i64) -> Result<i64, FieldError> {
    if balance_fen <= 0 {
        return Err(FieldError::new(
            "balance_fen",
            "empty",
            format!(
                "申请人余额为 {}，没有可抵扣的金额，请改用其他缴费方式",
                format_yuan(balance_fen)
            ),
        ));
    }
    if owed_fen <= 0 {
        return Err(FieldError::new(
            "owed_fen",
            "nothing_owed",
            "本案已缴足，无需使用余额抵扣",
        ));
    }
    Ok(balance_fen.min(owed_fen))
}

// ---------------------------------------------------------------------------------------------
// 5. Statement matching (银行流水匹配)
// ---------------------------------------------------------------------------------------------

/// A case awaiting payment matches lines dated from this many days before it started waiting…
pub const CASE_WINDOW_DAYS_BEFORE: i64 = 1;
/// …to this many days after.
pub const CASE_WINDOW_DAYS_AFTER: i64 = 60;
/// A recorded transfer matches lines dated within this many days of its receipt, either way.
pub const TRANSFER_WINDOW_DAYS: i64 = 3;

/// Weight of an identifier found ([`MatchReason::ReferenceEqual`], [`MatchReason::SerialInMemo`]):
/// the strongest single evidence, alone enough to list a candidate for a person.
pub const WEIGHT_IDENTIFIER: u32 = 50;
/// Weight of [`MatchReason::AmountEqual`]: strong with an identifier, weak alone (most cases owe
/// the same 150 yuan).
pub const WEIGHT_AMOUNT: u32 = 25;
/// Weight of [`MatchReason::PayerNameEqual`].
pub const WEIGHT_NAME_EQUAL: u32 = 15;
/// Weight of [`MatchReason::PayerNameSimilar`] (never together with an equal name).
pub const WEIGHT_NAME_SIMILAR: u32 = 8;
/// Weight of [`MatchReason::DateInWindow`].
pub const WEIGHT_DATE: u32 = 10;
/// A candidate that is not an exact match but scores at least this much is listed for a person
/// ([`MatchDecision::Ambiguous`]). Identifier alone (50) or amount + equal name (40) or amount +
/// similar name + date (43) reach it; amount + date (35), the everyday 150-yuan coincidence, does not.
pub const REVIEW_THRESHOLD: u32 = 40;

/// 银行流水中的一笔入账。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CreditLine {
    /// 入账日期
    pub date: NaiveDate,
    /// 付款人户名
    pub payer: String,
    /// 入账金额（分）
    #[ts(type = "number")]
    pub amount_fen: i64,
    /// 附言/摘要
    pub memo: String,
    /// 银行流水号
    pub reference: String,
}

/// 匹配候选：待缴费案件或已登记待核的转账。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Candidate {
    /// 待缴费的案件
    OpenCase {
        /// 案件流水号，如 ZJ-7F3A-20261120-0001
        serial: String,
        /// 尚欠金额（分）
        #[ts(type = "number")]
        owed_fen: i64,
        /// 申请人与著作权人的名称
        names: Vec<String>,
        /// 开始等待缴费的日期
        awaiting_since: NaiveDate,
    },
    /// 已登记、待核款的线下转账
    RecordedTransfer {
        id: String,
        /// 登记的转账流水号或凭证号
        reference: String,
        #[ts(type = "number")]
        amount_fen: i64,
        payer: String,
        received_on: NaiveDate,
    },
}

/// 匹配依据。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MatchReason {
    /// 流水号一致（已登记的转账）
    ReferenceEqual,
    /// 附言中有案件流水号
    SerialInMemo,
    /// 金额一致（案件：等于尚欠金额）
    AmountEqual,
    /// 付款人与申请人/著作权人名称一致
    PayerNameEqual,
    /// 付款人名称相近（截断、打码或简称）
    PayerNameSimilar,
    /// 日期在匹配期内
    DateInWindow,
}

impl MatchReason {
    pub fn label(self) -> &'static str {
        match self {
            MatchReason::ReferenceEqual => "流水号一致",
            MatchReason::SerialInMemo => "附言含案件流水号",
            MatchReason::AmountEqual => "金额一致",
            MatchReason::PayerNameEqual => "付款人一致",
            MatchReason::PayerNameSimilar => "付款人相近",
            MatchReason::DateInWindow => "日期相符",
        }
    }

    /// The points this reason adds to a score (see the `WEIGHT_*` constants; they sum to 100).
    pub fn weight(self) -> u32 {
        match self {
            MatchReason::ReferenceEqual | MatchReason::SerialInMemo => WEIGHT_IDENTIFIER,
            MatchReason::AmountEqual => WEIGHT_AMOUNT,
            MatchReason::PayerNameEqual => WEIGHT_NAME_EQUAL,
            MatchReason::PayerNameSimilar => WEIGHT_NAME_SIMILAR,
            MatchReason::DateInWindow => WEIGHT_DATE,
        }
    }
}

/// 一个候选的得分。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ScoredCandidate {
    /// 候选在输入列表中的位置
    pub index: usize,
    /// 0..=100：各依据权重之和
    pub score: u32,
    pub reasons: Vec<MatchReason>,
    /// 是否精确匹配：转账 = 流水号一致且金额一致；案件 = 附言含流水号、金额一致且日期相符
    pub exact: bool,
}

/// 匹配结论。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MatchDecision {
    /// 唯一精确匹配
    Matched(usize),
    /// 需人工确认：多个精确匹配，或没有精确匹配但有得分达到阈值的候选（按得分排序）
    Ambiguous(Vec<usize>),
    /// 未匹配
    Unmatched,
}

/// 一笔入账的匹配结果。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MatchResult {
    pub decision: MatchDecision,
    /// 得分大于 0 的候选，得分从高到低（同分按输入顺序）
    pub scored: Vec<ScoredCandidate>,
}

/// Full-width ASCII (U+FF01–U+FF5E, including （）－) to half-width, ideographic space to space.
fn half_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Hyphens and dashes people type between the parts of a serial.
fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}')
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || is_hyphen(c)
}

/// Crockford base-32, the alphabet of station codes (hex digits are a subset).
fn is_station_char(c: char) -> bool {
    c.is_ascii_digit() || (c.is_ascii_uppercase() && !matches!(c, 'I' | 'L' | 'O' | 'U'))
}

/// A character of a memo after folding, and whether a separator stood before it.
#[derive(Debug, Clone, Copy)]
struct Unit {
    c: char,
    gap_before: bool,
}

/// Splits folded text into runs of ASCII letters and digits, separators allowed inside a run;
/// any other character (Chinese, punctuation) ends a run.
fn runs(text: &str) -> Vec<Vec<Unit>> {
    let mut out = Vec::new();
    let mut cur: Vec<Unit> = Vec::new();
    let mut gap = false;
    for c in text.chars().map(|c| half_width(c).to_ascii_uppercase()) {
        if c.is_ascii_alphanumeric() {
            cur.push(Unit { c, gap_before: gap });
            gap = false;
        } else if is_separator(c) {
            gap = true;
        } else {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            gap = false;
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn digits_value(units: &[Unit]) -> Option<u32> {
    units.iter().try_fold(0u32, |acc, u| Some(acc * 10 + u.c.to_digit(10)?))
}

/// A serial starting at `units[s]`: office (2–8 letters/digits, at least one letter), station
/// (4 Crockford base-32), date (YYYYMMDD, 2000–2099, a real day), sequence (4 digits, not followed
/// by a fifth digit). Separators may stand between the parts, never inside one.
fn serial_at(units: &[Unit], s: usize) -> Option<(String, usize)> {
    for office_len in 2..=8 {
        let end = s + office_len + 16;
        let Some(span) = units.get(s..end) else {
            break;
        };
        let (office, rest) = span.split_at(office_len);
        let (station, rest) = rest.split_at(4);
        let (date, seq) = rest.split_at(8);
        if [office, station, date, seq]
            .iter()
            .any(|part| part.iter().skip(1).any(|u| u.gap_before))
        {
            continue;
        }
        if !office.iter().any(|u| u.c.is_ascii_alphabetic())
            || !station.iter().all(|u| is_station_char(u.c))
            || !date.iter().chain(seq).all(|u| u.c.is_ascii_digit())
        {
            continue;
        }
        let (Some(y), Some(m), Some(d)) = (
            digits_value(&date[..4]),
            digits_value(&date[4..6]),
            digits_value(&date[6..]),
        ) else {
            continue;
        };
        if !(2000..=2099).contains(&y)
            || i32::try_from(y)
                .ok()
                .and_then(|y| NaiveDate::from_ymd_opt(y, m, d))
                .is_none()
        {
            continue;
        }
        if units.get(end).is_some_and(|u| !u.gap_before && u.c.is_ascii_digit()) {
            continue;
        }
        let text = |part: &[Unit]| part.iter().map(|u| u.c).collect::<String>();
        let serial = format!("{}-{}-{}-{}", text(office), text(station), text(date), text(seq));
        return Some((serial, end));
    }
    None
}

/// The case serials (`OFFICE-STAT-YYYYMMDD-NNNN`, e.g. `ZJ-7F3A-20261120-0001`) found in free
/// text such as a bank memo, normalized to upper case with hyphens, each once, in order.
///
/// Tolerates lower case, full-width characters (ＺＪ－７Ｆ３Ａ…), and spaces, hyphens or dashes
/// (or nothing) between the parts. A serial must start a word: at the start of the text, after a
/// separator, or after any other non-letter non-digit character (Chinese, punctuation); letters
/// glued before it would be read as part of the office code. The office code must contain a
/// letter, so ID-card and account numbers (all digits) are never taken for serials.
pub fn serials_in_text(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for run in runs(text) {
        let mut i = 0;
        let mut after_serial = false;
        while i < run.len() {
            let starts_word = i == 0 || after_serial || run.get(i).is_some_and(|u| u.gap_before);
            after_serial = false;
            if starts_word {
                if let Some((serial, end)) = serial_at(&run, i) {
                    if !found.contains(&serial) {
                        found.push(serial);
                    }
                    i = end;
                    after_serial = true;
                    continue;
                }
            }
            i += 1;
        }
    }
    found
}

/// Letters and digits only, half-width, upper case: `zj－7f3a 2026` → `ZJ7F3A2026`.
fn compact(text: &str) -> String {
    text.chars()
        .map(|c| half_width(c).to_ascii_uppercase())
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// A transfer reference as compared: half-width, upper case, without spaces and hyphens.
fn reference_key(text: &str) -> String {
    text.chars()
        .map(|c| half_width(c).to_ascii_uppercase())
        .filter(|c| !is_separator(*c))
        .collect()
}

/// Does `memo` name the case `serial`? Either [`serials_in_text`] finds it, or its letters and
/// digits appear in the memo's letters and digits, not followed by another digit (this also
/// catches a serial glued to the word before it).
fn serial_in_memo(serial: &str, memo: &LineKeys) -> bool {
    let canonical = serials_in_text(serial).into_iter().next();
    if let Some(c) = &canonical {
        if memo.memo_serials.contains(c) {
            return true;
        }
    }
    let needle = compact(serial);
    if needle.len() < 18 {
        return false;
    }
    let hay = &memo.memo_compact;
    hay.match_indices(&needle).any(|(at, _)| {
        !hay.get(at + needle.len()..)
            .and_then(|rest| rest.chars().next())
            .is_some_and(|c| c.is_ascii_digit())
    })
}

/// A name as compared: half-width (（）→()), without white space, ASCII upper case, and
/// 有限责任公司 written 有限公司.
pub fn normalize_name(name: &str) -> String {
    let s: String = name
        .chars()
        .map(half_width)
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    s.replace("有限责任公司", "有限公司")
}

/// Similar names (both normalized, not equal): one contains the other and the shorter has at least
/// two characters and half the longer's length (a truncated 户名 or a short form); or they have the
/// same length and agree wherever neither has `*` (Alipay masks names: `*小明`, `张*明`).
fn names_similar(a: &str, b: &str) -> bool {
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la == 0 || lb == 0 {
        return false;
    }
    let masked = la == lb
        && (a.contains('*') || b.contains('*'))
        && a.chars().zip(b.chars()).any(|(x, y)| x != '*' && y != '*')
        && a.chars().zip(b.chars()).all(|(x, y)| x == '*' || y == '*' || x == y);
    let (short, long, ls, ll) = if la <= lb { (a, b, la, lb) } else { (b, a, lb, la) };
    let contained = ls >= 2 && ls * 2 >= ll && long.contains(short);
    masked || contained
}

fn name_reason(p: &str, names: &[&str]) -> Option<MatchReason> {
    if p.is_empty() {
        return None;
    }
    let normalized: Vec<String> = names
        .iter()
        .map(|n| normalize_name(n))
        .filter(|n| !n.is_empty())
        .collect();
    if normalized.iter().any(|n| n == p) {
        Some(MatchReason::PayerNameEqual)
    } else if normalized.iter().any(|n| names_similar(p, n)) {
        Some(MatchReason::PayerNameSimilar)
    } else {
        None
    }
}

fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    to.signed_duration_since(from).num_days()
}

/// What a line is compared by, worked out once for all the candidates.
struct LineKeys {
    reference: String,
    memo_serials: Vec<String>,
    memo_compact: String,
    payer: String,
}

impl LineKeys {
    fn of(line: &CreditLine) -> LineKeys {
        LineKeys {
            reference: reference_key(&line.reference),
            memo_serials: serials_in_text(&line.memo),
            memo_compact: compact(&line.memo),
            payer: normalize_name(&line.payer),
        }
    }
}

/// Scores one candidate against a line: the reasons found, their weights summed, and whether it is
/// an exact match.
pub fn score_candidate(line: &CreditLine, index: usize, candidate: &Candidate) -> ScoredCandidate {
    score_with(line, &LineKeys::of(line), index, candidate)
}

fn score_with(line: &CreditLine, keys: &LineKeys, index: usize, candidate: &Candidate) -> ScoredCandidate {
    let mut reasons = Vec::new();
    let exact = match candidate {
        Candidate::RecordedTransfer {
            reference,
            amount_fen,
            payer,
            received_on,
            ..
        } => {
            let key = reference_key(reference);
            let reference_equal = !key.is_empty() && key == keys.reference;
            let amount_equal = *amount_fen > 0 && *amount_fen == line.amount_fen;
            if reference_equal {
                reasons.push(MatchReason::ReferenceEqual);
            }
            if amount_equal {
                reasons.push(MatchReason::AmountEqual);
            }
            reasons.extend(name_reason(&keys.payer, &[payer.as_str()]));
            if days_between(*received_on, line.date).abs() <= TRANSFER_WINDOW_DAYS {
                reasons.push(MatchReason::DateInWindow);
            }
            reference_equal && amount_equal
        }
        Candidate::OpenCase {
            serial,
            owed_fen,
            names,
            awaiting_since,
        } => {
            let in_memo = serial_in_memo(serial, keys);
            let amount_equal = *owed_fen > 0 && *owed_fen == line.amount_fen;
            let offset = days_between(*awaiting_since, line.date);
            let in_window = (-CASE_WINDOW_DAYS_BEFORE..=CASE_WINDOW_DAYS_AFTER).contains(&offset);
            if in_memo {
                reasons.push(MatchReason::SerialInMemo);
            }
            if amount_equal {
                reasons.push(MatchReason::AmountEqual);
            }
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            reasons.extend(name_reason(&keys.payer, &names));
            if in_window {
                reasons.push(MatchReason::DateInWindow);
            }
            in_memo && amount_equal && in_window
        }
    };
    let score = reasons.iter().map(|r| r.weight()).sum::<u32>().min(100);
    ScoredCandidate {
        index,
        score,
        reasons,
        exact,
    }
}

/// Matches one credit line of a bank statement against the candidates.
///
/// [`MatchDecision::Matched`] only when exactly one candidate is exact (see
/// [`ScoredCandidate::exact`]); two or more exact → [`MatchDecision::Ambiguous`] with those;
/// none exact but some scoring at least [`REVIEW_THRESHOLD`] → `Ambiguous` with those, for a
/// person to choose; otherwise [`MatchDecision::Unmatched`]. `scored` lists every candidate with a
/// score above 0, best first.
pub fn match_line(line: &CreditLine, candidates: &[Candidate]) -> MatchResult {
    let keys = LineKeys::of(line);
    let mut scored: Vec<ScoredCandidate> = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| score_with(line, &keys, i, c))
        .filter(|s| s.score > 0)
        .collect();
    scored.sort_by(|a, b| b.score.cmp(&a.score).then(a.index.cmp(&b.index)));
    let exact: Vec<usize> = scored.iter().filter(|s| s.exact).map(|s| s.index).collect();
    let decision = match exact.as_slice() {
        [one] => MatchDecision::Matched(*one),
        [] => {
            let strong: Vec<usize> = scored
                .iter()
                .filter(|s| s.score >= REVIEW_THRESHOLD)
                .map(|s| s.index)
                .collect();
            if strong.is_empty() {
                MatchDecision::Unmatched
            } else {
                MatchDecision::Ambiguous(strong)
            }
        }
        _ => MatchDecision::Ambiguous(exact),
    };
    MatchResult { decision, scored }
}

// ---------------------------------------------------------------------------------------------
// 6. Refunds (退费)
// ---------------------------------------------------------------------------------------------

/// 退费方式。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RefundMethod {
    /// 银行转账退回
    BankTransfer,
    /// 支付宝退回
    Alipay,
    /// 原路退回（在线支付平台）
    Online,
}

impl RefundMethod {
    pub fn label(self) -> &'static str {
        match self {
            RefundMethod::BankTransfer => "银行转账退费",
            RefundMethod::Alipay => "支付宝退费",
            RefundMethod::Online => "原路退回",
        }
    }

    /// The channel the money leaves through (for the day report).
    pub fn channel(self) -> PaymentMethod {
        match self {
            RefundMethod::BankTransfer => PaymentMethod::BankTransfer,
            RefundMethod::Alipay => PaymentMethod::AlipayTransfer,
            RefundMethod::Online => PaymentMethod::Online,
        }
    }
}

/// 登记退费（填写中，未校验）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RefundInput {
    pub method: RefundMethod,
    /// 退费金额（分）
    #[ts(type = "number")]
    pub amount_fen: i64,
    /// 退费流水号
    pub reference: String,
    /// 退费日期
    pub refunded_on: NaiveDate,
}

impl RefundInput {
    /// Validates a refund of a case that owes `owed_fen` and was paid by `paid_by`, on `today`.
    ///
    /// The amount equals the refund owed (the office does not make partial refunds); something
    /// must be owed; [`RefundMethod::Online`] (原路退回) only for an online payment; the reference
    /// is required (≤ 64); the date is not after today.
    pub fn validate(&self, owed_fen: i64, paid_by: PaymentMethod, today: NaiveDate) -> Result<(), Vec<FieldError>> {
        let mut errs = Vec::new();
        if owed_fen <= 0 {
            errs.push(FieldError::new(
                "amount_fen",
                "nothing_owed",
                "本案没有应退费用，不能登记退费",
            ));
        } else if self.amount_fen != owed_fen {
            errs.push(FieldError::new(
                "amount_fen",
                "not_owed_amount",
                format!(
                    "退费金额应等于应退金额 {}（不办理部分退费），现在是 {}",
                    format_yuan(owed_fen),
                    format_yuan(self.amount_fen)
                ),
            ));
        }
        if self.method == RefundMethod::Online && paid_by.is_offline() {
            errs.push(FieldError::new(
                "method",
                "not_original_route",
                format!(
                    "本案通过{}缴费，不能原路退回到在线支付，请选择银行转账退费或支付宝退费",
                    paid_by.label()
                ),
            ));
        }
        if let Err(e) = required_text("reference", "退费流水号", &self.reference, 64) {
            errs.push(e);
        }
        if self.refunded_on > today {
            errs.push(FieldError::new(
                "refunded_on",
                "in_future",
                format!("退费日期 {} 晚于今天 {today}，请核对", self.refunded_on),
            ));
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 7. E-invoice (电子发票)
// ---------------------------------------------------------------------------------------------

/// Is an e-invoice (电子发票) due, and to which address? `paid_fen` is what the case has paid net
/// of refunds. Nothing paid → `Ok(None)`; paid → `Ok(Some(email))` (trimmed); paid but the
/// applicant has no valid invoice e-mail → an error under `invoice_email`.
pub fn invoice_due(paid_fen: i64, invoice_email: Option<&str>) -> Result<Option<String>, FieldError> {
    if paid_fen <= 0 {
        return Ok(None);
    }
    match invoice_email.map(str::trim).filter(|e| !e.is_empty()) {
        None => Err(FieldError::new(
            "invoice_email",
            "required",
            format!(
                "已缴费 {}，需开具电子发票：请在用户信息中填写电子发票接收邮箱",
                format_yuan(paid_fen)
            ),
        )),
        Some(e) => parse_email("invoice_email", "电子发票接收邮箱", e).map(Some),
    }
}

// ---------------------------------------------------------------------------------------------
// 8. Day report (缴费日报)
// ---------------------------------------------------------------------------------------------

/// 资金事件（日报的来源）。`transfer` links the events of one payment so that pending ones can be
/// told apart; an online payment is given as received and confirmed on the same day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case", tag = "event")]
pub enum MoneyEvent {
    /// 到账登记
    Received {
        transfer: String,
        day: NaiveDate,
        method: PaymentMethod,
        #[ts(type = "number")]
        fen: i64,
    },
    /// 核款确认
    Confirmed {
        transfer: String,
        day: NaiveDate,
        method: PaymentMethod,
        #[ts(type = "number")]
        fen: i64,
    },
    /// 核款退回
    Rejected {
        transfer: String,
        day: NaiveDate,
        method: PaymentMethod,
        #[ts(type = "number")]
        fen: i64,
    },
    /// 退费；`method` 为退款渠道（见 [`RefundMethod::channel`]）
    Refunded {
        refund: String,
        day: NaiveDate,
        method: PaymentMethod,
        #[ts(type = "number")]
        fen: i64,
    },
}

/// 日报的一行：某日某缴费方式的合计。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DayReportRow {
    pub day: NaiveDate,
    pub method: PaymentMethod,
    /// 当日到账
    #[ts(type = "number")]
    pub received_fen: i64,
    pub received_count: u32,
    /// 当日核款确认（不论哪天到账）
    #[ts(type = "number")]
    pub confirmed_fen: i64,
    pub confirmed_count: u32,
    /// 当日核款退回
    #[ts(type = "number")]
    pub rejected_fen: i64,
    pub rejected_count: u32,
    /// 当日到账、至今未确认也未退回
    #[ts(type = "number")]
    pub pending_fen: i64,
    pub pending_count: u32,
    /// 当日退费
    #[ts(type = "number")]
    pub refunded_fen: i64,
    pub refunded_count: u32,
}

/// 日报合计行。
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DayReportTotals {
    #[ts(type = "number")]
    pub received_fen: i64,
    pub received_count: u32,
    #[ts(type = "number")]
    pub confirmed_fen: i64,
    pub confirmed_count: u32,
    #[ts(type = "number")]
    pub rejected_fen: i64,
    pub rejected_count: u32,
    #[ts(type = "number")]
    pub pending_fen: i64,
    pub pending_count: u32,
    #[ts(type = "number")]
    pub refunded_fen: i64,
    pub refunded_count: u32,
}

/// The order of methods in the report: as declared (online, bank, Alipay).
fn method_rank(m: PaymentMethod) -> u8 {
    match m {
        PaymentMethod::Online => 0,
        PaymentMethod::BankTransfer => 1,
        PaymentMethod::AlipayTransfer => 2,
    }
}

fn add(fen: &mut i64, count: &mut u32, amount: i64) {
    *fen = fen.saturating_add(amount);
    *count = count.saturating_add(1);
}

/// The day report: one row per day and method that has any event, sorted by day, then method.
///
/// Received, confirmed, rejected and refunded count on the day of their event. Pending counts a
/// transfer on the day it was received when no `Confirmed` or `Rejected` event for the same
/// `transfer` is among `events` — pass every event up to the moment the report is as of.
pub fn day_report(events: &[MoneyEvent]) -> Vec<DayReportRow> {
    let settled: HashSet<&str> = events
        .iter()
        .filter_map(|e| match e {
            MoneyEvent::Confirmed { transfer, .. } | MoneyEvent::Rejected { transfer, .. } => Some(transfer.as_str()),
            _ => None,
        })
        .collect();
    let mut rows: BTreeMap<(NaiveDate, u8), DayReportRow> = BTreeMap::new();
    for e in events {
        let (MoneyEvent::Received { day, method, .. }
        | MoneyEvent::Confirmed { day, method, .. }
        | MoneyEvent::Rejected { day, method, .. }
        | MoneyEvent::Refunded { day, method, .. }) = e;
        let row = rows
            .entry((*day, method_rank(*method)))
            .or_insert_with(|| DayReportRow {
                day: *day,
                method: *method,
                received_fen: 0,
                received_count: 0,
                confirmed_fen: 0,
                confirmed_count: 0,
                rejected_fen: 0,
                rejected_count: 0,
                pending_fen: 0,
                pending_count: 0,
                refunded_fen: 0,
                refunded_count: 0,
            });
        match e {
            MoneyEvent::Received { transfer, fen, .. } => {
                add(&mut row.received_fen, &mut row.received_count, *fen);
                if !settled.contains(transfer.as_str()) {
                    add(&mut row.pending_fen, &mut row.pending_count, *fen);
                }
            }
            MoneyEvent::Confirmed { fen, .. } => add(&mut row.confirmed_fen, &mut row.confirmed_count, *fen),
            MoneyEvent::Rejected { fen, .. } => add(&mut row.rejected_fen, &mut row.rejected_count, *fen),
            MoneyEvent::Refunded { fen, .. } => add(&mut row.refunded_fen, &mut row.refunded_count, *fen),
        }
    }
    rows.into_values().collect()
}

/// 合计行 of a day report (or of any selection of its rows).
pub fn day_report_totals(rows: &[DayReportRow]) -> DayReportTotals {
    rows.iter().fold(DayReportTotals::default(), |mut t, r| {
        t.received_fen = t.received_fen.saturating_add(r.received_fen);
        t.received_count = t.received_count.saturating_add(r.received_count);
        t.confirmed_fen = t.confirmed_fen.saturating_add(r.confirmed_fen);
        t.confirmed_count = t.confirmed_count.saturating_add(r.confirmed_count);
        t.rejected_fen = t.rejected_fen.saturating_add(r.rejected_fen);
        t.rejected_count = t.rejected_count.saturating_add(r.rejected_count);
        t.pending_fen = t.pending_fen.saturating_add(r.pending_fen);
        t.pending_count = t.pending_count.saturating_add(r.pending_count);
        t.refunded_fen = t.refunded_fen.saturating_add(r.refunded_fen);
        t.refunded_count = t.refunded_count.saturating_add(r.refunded_count);
        t
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use chrono::{Days, NaiveTime};
    use proptest::prelude::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn sid(s: &str) -> StaffId {
        StaffId(s.into())
    }

    fn codes(errs: &[FieldError]) -> Vec<(&str, &str)> {
        errs.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect()
    }

    // ---- 1. maker-checker -------------------------------------------------------------------

    #[derive(Debug, Clone, Copy)]
    enum Who {
        Maker,
        OtherFinance,
        NonFinance,
    }

    fn who(w: Who) -> (StaffId, Vec<Role>) {
        match w {
            Who::Maker => (sid("fin-1"), vec![Role::CounterClerk, Role::Finance]),
            Who::OtherFinance => (sid("fin-2"), vec![Role::Finance]),
            Who::NonFinance => (
                sid("clerk-9"),
                Role::ALL.into_iter().filter(|r| *r != Role::Finance).collect(),
            ),
        }
    }

    #[test]
    fn decide_transfer_table() {
        use TransferState as S;
        use Who::*;
        let confirm = TransferCommand::Confirm;
        let reject = TransferCommand::Reject {
            reason: "金额与回单不符".into(),
        };
        // (state, command, actor, Ok(new state) or Err(code))
        let table: Vec<(S, &TransferCommand, Who, Result<S, &str>)> = vec![
            (S::Recorded, &confirm, Maker, Err("four_eyes_payment")),
            (S::Recorded, &confirm, OtherFinance, Ok(S::Confirmed)),
            (S::Recorded, &confirm, NonFinance, Err("forbidden")),
            (S::Recorded, &reject, Maker, Ok(S::Rejected)),
            (S::Recorded, &reject, OtherFinance, Ok(S::Rejected)),
            (S::Recorded, &reject, NonFinance, Err("forbidden")),
            (S::Confirmed, &confirm, Maker, Err("wrong_state")),
            (S::Confirmed, &confirm, OtherFinance, Err("wrong_state")),
            (S::Confirmed, &confirm, NonFinance, Err("forbidden")),
            (S::Confirmed, &reject, Maker, Err("wrong_state")),
            (S::Confirmed, &reject, OtherFinance, Err("wrong_state")),
            (S::Confirmed, &reject, NonFinance, Err("forbidden")),
            (S::Rejected, &confirm, Maker, Err("wrong_state")),
            (S::Rejected, &confirm, OtherFinance, Err("wrong_state")),
            (S::Rejected, &confirm, NonFinance, Err("forbidden")),
            (S::Rejected, &reject, Maker, Err("wrong_state")),
            (S::Rejected, &reject, OtherFinance, Err("wrong_state")),
            (S::Rejected, &reject, NonFinance, Err("forbidden")),
        ];
        assert_eq!(table.len(), S::ALL.len() * 2 * 3, "every state × command × actor");
        for (state, cmd, w, want) in table {
            let (actor, roles) = who(w);
            let got = decide_transfer(state, &sid("fin-1"), &actor, &roles, cmd).map_err(|e| e.code());
            assert_eq!(got, want, "{state:?} {cmd:?} {w:?}");
        }
        // A counter clerk who recorded the transfer can neither confirm nor reject it.
        for cmd in [&confirm, &reject] {
            let e = decide_transfer(
                S::Recorded,
                &sid("clerk-1"),
                &sid("clerk-1"),
                &[Role::CounterClerk],
                cmd,
            );
            assert_eq!(e.map_err(|e| e.code()), Err("forbidden"));
        }
    }

    #[test]
    fn decide_transfer_reason_and_messages() {
        let (maker, roles) = who(Who::Maker);
        for blank in ["", "  ", "\u{3000}"] {
            let cmd = TransferCommand::Reject { reason: blank.into() };
            let e = decide_transfer(TransferState::Recorded, &maker, &maker, &roles, &cmd).unwrap_err();
            assert_eq!((e.code(), e.message().as_str()), ("required", "请填写退回付款的原因"));
        }
        // The state is checked before the reason.
        let cmd = TransferCommand::Reject { reason: " ".into() };
        let e = decide_transfer(TransferState::Confirmed, &maker, &maker, &roles, &cmd).unwrap_err();
        assert_eq!(e.code(), "wrong_state");
        let table = [
            (
                decide_transfer(
                    TransferState::Recorded,
                    &maker,
                    &maker,
                    &roles,
                    &TransferCommand::Confirm,
                ),
                "这笔转账由您登记，不能由您本人确认收款，请由另一位核款人员确认",
            ),
            (
                decide_transfer(
                    TransferState::Rejected,
                    &maker,
                    &maker,
                    &roles,
                    &TransferCommand::Confirm,
                ),
                "这笔转账当前状态为已退回，不能执行“确认收款”",
            ),
            (
                decide_transfer(TransferState::Confirmed, &maker, &maker, &roles, &cmd),
                "这笔转账当前状态为已确认，不能执行“退回付款”",
            ),
            (
                decide_transfer(
                    TransferState::Recorded,
                    &maker,
                    &sid("x"),
                    &[Role::CounterClerk],
                    &TransferCommand::Confirm,
                ),
                "您没有“确认收款”的权限，需要岗位：缴费核对。请联系系统管理员分配岗位。",
            ),
        ];
        for (got, want) in table {
            assert_eq!(got.unwrap_err().message(), want);
        }
        let labels: Vec<&str> = TransferState::ALL.iter().map(|s| s.label()).collect();
        assert_eq!(labels, ["待核款", "已确认", "已退回"]);
        let json = serde_json::to_string(&TransferCommand::Reject { reason: "x".into() }).unwrap();
        assert_eq!(json, r#"{"command":"reject","reason":"x"}"#);
    }

    // ---- 2. transfer input ------------------------------------------------------------------

    fn at(d: NaiveDate) -> NaiveDateTime {
        d.and_time(NaiveTime::from_hms_opt(10, 30, 0).unwrap())
    }

    fn transfer() -> TransferInput {
        TransferInput {
            method: PaymentMethod::BankTransfer,
            payer: " 杭州某某文化传媒有限公司 ".into(),
            payer_account: "6222 0212 3456 7890".into(),
            payer_bank: "工商银行杭州分行".into(),
            amount_fen: 45_000,
            received_at: at(day(2026, 11, 20)),
            reference: " 20261120HZ0001 ".into(),
            purpose: "登记费 ZJ-7F3A-20261120-0001".into(),
        }
    }

    #[test]
    fn transfer_input_validation() {
        let today = day(2026, 11, 20);
        assert_eq!(transfer().validate(today), Ok(()));
        let ok_variants: Vec<TransferInput> = vec![
            TransferInput {
                payer_account: String::new(),
                payer_bank: String::new(),
                purpose: String::new(),
                ..transfer()
            },
            TransferInput {
                method: PaymentMethod::AlipayTransfer,
                payer_account: "138****5678".into(),
                ..transfer()
            },
            TransferInput {
                amount_fen: MAX_TRANSFER_FEN,
                received_at: today.and_hms_opt(23, 59, 59).unwrap(),
                ..transfer()
            },
            TransferInput {
                payer_account: "123456".into(),
                ..transfer()
            },
        ];
        for t in ok_variants {
            assert_eq!(t.validate(today), Ok(()), "{t:?}");
        }
        let long = "字".repeat(201);
        let table: Vec<(TransferInput, Vec<(&str, &str)>)> = vec![
            (
                TransferInput {
                    method: PaymentMethod::Online,
                    ..transfer()
                },
                vec![("method", "not_offline")],
            ),
            (
                TransferInput {
                    payer: "  ".into(),
                    ..transfer()
                },
                vec![("payer", "required")],
            ),
            (
                TransferInput {
                    payer_account: "6222-0212-3456".into(),
                    ..transfer()
                },
                vec![("payer_account", "format")],
            ),
            (
                TransferInput {
                    payer_account: "12 345".into(),
                    ..transfer()
                },
                vec![("payer_account", "length")],
            ),
            (
                TransferInput {
                    payer_account: "1".repeat(33),
                    ..transfer()
                },
                vec![("payer_account", "length")],
            ),
            (
                TransferInput {
                    method: PaymentMethod::AlipayTransfer,
                    payer_account: "a".repeat(101),
                    ..transfer()
                },
                vec![("payer_account", "too_long")],
            ),
            (
                TransferInput {
                    payer_bank: "行".repeat(61),
                    ..transfer()
                },
                vec![("payer_bank", "too_long")],
            ),
            (
                TransferInput {
                    amount_fen: 0,
                    ..transfer()
                },
                vec![("amount_fen", "not_positive")],
            ),
            (
                TransferInput {
                    amount_fen: -100,
                    ..transfer()
                },
                vec![("amount_fen", "not_positive")],
            ),
            (
                TransferInput {
                    amount_fen: MAX_TRANSFER_FEN + 1,
                    ..transfer()
                },
                vec![("amount_fen", "too_large")],
            ),
            (
                TransferInput {
                    received_at: at(day(2026, 11, 21)),
                    ..transfer()
                },
                vec![("received_at", "in_future")],
            ),
            (
                TransferInput {
                    reference: String::new(),
                    ..transfer()
                },
                vec![("reference", "required")],
            ),
            (
                TransferInput {
                    reference: "R".repeat(65),
                    ..transfer()
                },
                vec![("reference", "too_long")],
            ),
            (
                TransferInput {
                    purpose: long,
                    ..transfer()
                },
                vec![("purpose", "too_long")],
            ),
            (
                TransferInput {
                    method: PaymentMethod::Online,
                    payer: String::new(),
                    amount_fen: 0,
                    reference: String::new(),
                    ..transfer()
                },
                vec![
                    ("method", "not_offline"),
                    ("payer", "required"),
                    ("amount_fen", "not_positive"),
                    ("reference", "required"),
                ],
            ),
        ];
        for (t, want) in table {
            let errs = t.validate(today).unwrap_err();
            assert_eq!(codes(&errs), want, "{t:?}");
        }
        let messages = [
            (
                TransferInput {
                    method: PaymentMethod::Online,
                    ..transfer()
                },
                "在线支付由平台确认，无需登记转账；请选择银行公对公转账或支付宝转账",
            ),
            (
                TransferInput {
                    payer: String::new(),
                    ..transfer()
                },
                "请填写付款人（户名）",
            ),
            (
                TransferInput {
                    payer_account: "6222-0212".into(),
                    ..transfer()
                },
                "付款账号只能含数字和空格，请按银行回单核对",
            ),
            (
                TransferInput {
                    payer_account: "12345".into(),
                    ..transfer()
                },
                "付款账号应为 6–32 位数字，现在是 5 位，请按银行回单核对",
            ),
            (
                TransferInput {
                    amount_fen: -150,
                    ..transfer()
                },
                "到账金额应大于 0 元，现在是 -¥1.50",
            ),
            (
                TransferInput {
                    amount_fen: MAX_TRANSFER_FEN * 10,
                    ..transfer()
                },
                "到账金额最多 ¥1000000.00，现在是 ¥10000000.00，请核对是否多输了位数",
            ),
            (
                TransferInput {
                    received_at: at(day(2026, 12, 1)),
                    ..transfer()
                },
                "到账时间 2026-12-01 晚于今天 2026-11-20，请按银行回单核对到账日期",
            ),
            (
                TransferInput {
                    reference: String::new(),
                    ..transfer()
                },
                "请填写转账流水号或凭证号",
            ),
            (
                TransferInput {
                    reference: "R".repeat(65),
                    ..transfer()
                },
                "转账流水号或凭证号最多 64 个字，现在是 65 个",
            ),
        ];
        for (t, want) in messages {
            let errs = t.validate(today).unwrap_err();
            assert_eq!(errs.len(), 1);
            assert_eq!(errs[0].message, want);
        }
    }

    #[test]
    fn transfer_input_normalized() {
        let n = transfer().normalized();
        assert_eq!(n.payer, "杭州某某文化传媒有限公司");
        assert_eq!(n.payer_account, "6222021234567890");
        assert_eq!(n.reference, "20261120HZ0001");
        let a = TransferInput {
            method: PaymentMethod::AlipayTransfer,
            payer_account: " pay@example.cn ".into(),
            ..transfer()
        }
        .normalized();
        assert_eq!(a.payer_account, "pay@example.cn");
        assert_eq!(n.normalized(), n, "idempotent");
    }

    // ---- 3. allocation ----------------------------------------------------------------------

    fn due(case: &str, owed: i64, covered: i64) -> Due {
        Due {
            case: case.into(),
            owed_fen: owed,
            already_covered_fen: covered,
        }
    }

    fn req(list: &[(&str, i64)]) -> Vec<(String, i64)> {
        list.iter().map(|(c, f)| (c.to_string(), *f)).collect()
    }

    fn short(missing_fen: i64) -> ShareOutcome {
        ShareOutcome::Short { missing_fen }
    }

    #[test]
    fn allocation_rules() {
        let dues = vec![due("A", 15_000, 0), due("B", 15_000, 5_000), due("C", 15_000, 15_000)];
        assert_eq!(dues[1].still_owed_fen(), 10_000);
        assert_eq!(due("X", 100, 300).still_owed_fen(), 0);
        // (amount, requested, shares (case, fen, outcome), over, short)
        type Want<'a> = (Vec<(&'a str, i64, ShareOutcome)>, i64, i64);
        type Row<'a> = (i64, Vec<(&'a str, i64)>, Want<'a>);
        let table: Vec<Row> = vec![
            (
                25_000,
                vec![("A", 15_000), ("B", 10_000)],
                (
                    vec![
                        ("A", 15_000, ShareOutcome::Covered),
                        ("B", 10_000, ShareOutcome::Covered),
                    ],
                    0,
                    0,
                ),
            ),
            (
                30_000,
                vec![("B", 10_000), ("A", 15_000)],
                (
                    vec![
                        ("B", 10_000, ShareOutcome::Covered),
                        ("A", 15_000, ShareOutcome::Covered),
                    ],
                    5_000,
                    0,
                ),
            ),
            (
                20_000,
                vec![("A", 15_000), ("B", 5_000)],
                (
                    vec![("A", 15_000, ShareOutcome::Covered), ("B", 5_000, short(5_000))],
                    0,
                    5_000,
                ),
            ),
            (
                20_000,
                vec![("A", 10_000), (" B ", 4_000)],
                (
                    vec![("A", 10_000, short(5_000)), ("B", 4_000, short(6_000))],
                    6_000,
                    11_000,
                ),
            ),
            (7_000, vec![], (vec![], 7_000, 0)),
        ];
        for (amount, requested, (shares, over, short_fen)) in table {
            let a = allocate(amount, &dues, &req(&requested)).unwrap();
            let got: Vec<(&str, i64, ShareOutcome)> = a
                .shares
                .iter()
                .map(|s| (s.case.as_str(), s.amount_fen, s.outcome))
                .collect();
            assert_eq!(got, shares, "{requested:?}");
            assert_eq!((a.over_fen, a.short_fen), (over, short_fen), "{requested:?}");
            for s in &a.shares {
                assert_eq!(s.covers(), s.outcome == ShareOutcome::Covered);
            }
        }
    }

    #[test]
    fn allocation_errors() {
        let dues = vec![due("A", 15_000, 0), due("B", 15_000, 5_000), due("C", 15_000, 15_000)];
        type Row<'a> = (i64, Vec<(&'a str, i64)>, Vec<(&'a str, &'a str)>);
        let table: Vec<Row> = vec![
            (0, vec![], vec![("amount_fen", "not_positive")]),
            (30_000, vec![("Z", 100)], vec![("requested[0].case", "unknown")]),
            (
                30_000,
                vec![("A", 100), ("A", 200)],
                vec![("requested[1].case", "duplicate")],
            ),
            (
                30_000,
                vec![("A", 0)],
                vec![("requested[0].amount_fen", "not_positive")],
            ),
            (
                30_000,
                vec![("A", -5)],
                vec![("requested[0].amount_fen", "not_positive")],
            ),
            (
                30_000,
                vec![("B", 10_001)],
                vec![("requested[0].amount_fen", "more_than_owed")],
            ),
            (
                30_000,
                vec![("C", 1)],
                vec![("requested[0].amount_fen", "nothing_owed")],
            ),
            (
                20_000,
                vec![("A", 15_000), ("B", 10_000)],
                vec![("requested", "over_amount")],
            ),
            (
                -1,
                vec![("A", 15_000), ("Q", 1), ("B", 0)],
                vec![
                    ("amount_fen", "not_positive"),
                    ("requested[1].case", "unknown"),
                    ("requested[2].amount_fen", "not_positive"),
                ],
            ),
        ];
        for (amount, requested, want) in table {
            let errs = allocate(amount, &dues, &req(&requested)).unwrap_err();
            assert_eq!(codes(&errs), want, "{amount} {requested:?}");
        }
        let bad_dues = vec![due("A", -1, 0), due("A", 100, -2), due(" ", 100, 0)];
        let errs = allocate(100, &bad_dues, &[]).unwrap_err();
        assert_eq!(
            codes(&errs),
            vec![
                ("dues[0].owed_fen", "negative"),
                ("dues[1].case", "duplicate"),
                ("dues[1].already_covered_fen", "negative"),
                ("dues[2].case", "required"),
            ]
        );
        assert_eq!(auto_allocate(100, &bad_dues).unwrap_err().len(), 4);
        let messages = [
            (
                allocate(30_000, &dues, &req(&[("B", 12_000)])),
                "作品 B 还需缴 ¥100.00，不能分配 ¥120.00；多付的部分会计入申请人余额，无需分配给作品",
            ),
            (
                allocate(20_000, &dues, &req(&[("A", 15_000), ("B", 10_000)])),
                "分配合计 ¥250.00 超过转账金额 ¥200.00，请减少 ¥50.00",
            ),
            (
                allocate(20_000, &dues, &req(&[("Z", 1)])),
                "作品 Z 不在待缴费作品中，请重新选择",
            ),
            (
                allocate(20_000, &dues, &req(&[("C", 1)])),
                "作品 C 已缴足，不能再分配金额；多付的部分会计入申请人余额",
            ),
            (
                allocate(20_000, &dues, &req(&[("A", 1), ("A", 1)])),
                "作品 A 分配了两次，请合并为一行",
            ),
            (allocate(0, &dues, &[]), "转账金额应大于 0 元，现在是 ¥0.00"),
        ];
        for (got, want) in messages {
            assert_eq!(got.unwrap_err()[0].message, want);
        }
    }

    #[test]
    fn auto_allocation_fills_in_order() {
        let dues = vec![
            due("A", 15_000, 0),
            due("B", 15_000, 15_000),
            due("C", 15_000, 5_000),
            due("D", 15_000, 0),
        ];
        type Row<'a> = (i64, Vec<(&'a str, i64, ShareOutcome)>, i64, i64);
        let table: Vec<Row> = vec![
            (10_000, vec![("A", 10_000, short(5_000))], 0, 5_000),
            (15_000, vec![("A", 15_000, ShareOutcome::Covered)], 0, 0),
            (
                20_000,
                vec![("A", 15_000, ShareOutcome::Covered), ("C", 5_000, short(5_000))],
                0,
                5_000,
            ),
            (
                40_000,
                vec![
                    ("A", 15_000, ShareOutcome::Covered),
                    ("C", 10_000, ShareOutcome::Covered),
                    ("D", 15_000, ShareOutcome::Covered),
                ],
                0,
                0,
            ),
            (
                45_000,
                vec![
                    ("A", 15_000, ShareOutcome::Covered),
                    ("C", 10_000, ShareOutcome::Covered),
                    ("D", 15_000, ShareOutcome::Covered),
                ],
                5_000,
                0,
            ),
        ];
        for (amount, shares, over, short_fen) in table {
            let a = auto_allocate(amount, &dues).unwrap();
            let got: Vec<(&str, i64, ShareOutcome)> = a
                .shares
                .iter()
                .map(|s| (s.case.as_str(), s.amount_fen, s.outcome))
                .collect();
            assert_eq!(got, shares, "{amount}");
            assert_eq!((a.over_fen, a.short_fen), (over, short_fen), "{amount}");
        }
        assert_eq!(
            auto_allocate(500, &[]).unwrap(),
            Allocation {
                shares: vec![],
                over_fen: 500,
                short_fen: 0
            }
        );
        assert_eq!(
            codes(&auto_allocate(0, &dues).unwrap_err()),
            vec![("amount_fen", "not_positive")]
        );
    }

    // ---- 4. balance -------------------------------------------------------------------------

    #[test]
    fn balance_counts_confirmed_over_payments_only() {
        let over = |transfer: &str, state, fen| BalanceEntry::OverPayment {
            transfer: transfer.into(),
            state,
            fen,
        };
        let table: Vec<(Vec<BalanceEntry>, i64)> = vec![
            (vec![], 0),
            (vec![over("T1", TransferState::Confirmed, 5_000)], 5_000),
            (vec![over("T1", TransferState::Recorded, 5_000)], 0),
            (vec![over("T1", TransferState::Rejected, 5_000)], 0),
            (
                vec![
                    over("T1", TransferState::Confirmed, 5_000),
                    over("T2", TransferState::Confirmed, 20_000),
                    BalanceEntry::Applied {
                        case: "A".into(),
                        fen: 15_000,
                    },
                    BalanceEntry::Refunded { fen: 2_000 },
                ],
                8_000,
            ),
            (
                vec![
                    over("T1", TransferState::Confirmed, -5_000),
                    BalanceEntry::Applied {
                        case: "A".into(),
                        fen: 0,
                    },
                ],
                0,
            ),
            (
                vec![BalanceEntry::Applied {
                    case: "A".into(),
                    fen: 100,
                }],
                -100,
            ),
        ];
        for (entries, want) in table {
            assert_eq!(balance(&entries), want, "{entries:?}");
        }
        let json = serde_json::to_string(&over("T1", TransferState::Confirmed, 1)).unwrap();
        assert_eq!(
            json,
            r#"{"entry":"over_payment","transfer":"T1","state":"confirmed","fen":1}"#
        );
    }

    #[test]
    fn applying_the_balance() {
        type Row<'a> = (i64, i64, Result<i64, (&'a str, &'a str)>);
        let table: Vec<Row> = vec![
            (5_000, 15_000, Ok(5_000)),
            (20_000, 15_000, Ok(15_000)),
            (15_000, 15_000, Ok(15_000)),
            (0, 15_000, Err(("balance_fen", "empty"))),
            (-10, 15_000, Err(("balance_fen", "empty"))),
            (5_000, 0, Err(("owed_fen", "nothing_owed"))),
        ];
        for (bal, owed, want) in table {
            let got = apply_balance(bal, owed);
            assert_eq!(
                got.as_ref()
                    .map(|v| *v)
                    .map_err(|e| (e.field.as_str(), e.code.as_str())),
                want,
                "{bal} {owed}"
            );
        }
        assert_eq!(
            apply_balance(0, 100).unwrap_err().message,
            "申请人余额为 ¥0.00，没有可抵扣的金额，请改用其他缴费方式"
        );
        assert_eq!(apply_balance(1, 0).unwrap_err().message, "本案已缴足，无需使用余额抵扣");
    }

    // ---- 5. statement matching --------------------------------------------------------------

    #[test]
    fn serials_in_text_table() {
        let s = "ZJ-7F3A-20261120-0001";
        let table: Vec<(&str, Vec<&str>)> = vec![
            ("ZJ-7F3A-20261120-0001", vec![s]),
            ("登记费zj-7f3a-20261120-0001号", vec![s]),
            ("ＺＪ－７Ｆ３Ａ－２０２６１１２０－０００１", vec![s]),
            ("ｚｊ－７ｆ３ａ－２０２６１１２０－０００１", vec![s]),
            ("付款 ZJ 7F3A 20261120 0001 谢谢", vec![s]),
            ("ZJ7F3A202611200001", vec![s]),
            ("ZJ—7F3A—20261120—0001", vec![s]),
            ("ZJ - 7F3A - 20261120 - 0001", vec![s]),
            ("ZJ\u{3000}7F3A\u{3000}20261120\u{3000}0001", vec![s]),
            ("（ZJ-7F3A-20261120-0001）", vec![s]),
            ("作品ZJ-7F3A-20261120-0001 150元", vec![s]),
            ("ZJ-7F3A-20261120-0001 23", vec![s]),
            (
                "ZJ-7F3A-20261120-0001，zj-7f3a-20261120-0002；ZJ-7F3A-20261120-0001",
                vec![s, "ZJ-7F3A-20261120-0002"],
            ),
            (
                "ZJ-7F3A-20261120-0001ZJ-7F3A-20261120-0002",
                vec![s, "ZJ-7F3A-20261120-0002"],
            ),
            ("ZJHZ01-KQ7M-20261120-0001", vec!["ZJHZ01-KQ7M-20261120-0001"]),
            ("33ZJ-7F3A-20260229-0001", vec![]),
            ("33ZJ-7F3A-20280229-0001", vec!["33ZJ-7F3A-20280229-0001"]),
            ("ZJ-7F3A-20261120-00012", vec![]),
            ("ZJ-7F3A-20261320-0001", vec![]),
            ("ZJ-7F3A-19991120-0001", vec![]),
            ("ZJ-7F3-A20261120-0001", vec![]),
            ("ZJ-7FIA-20261120-0001", vec![]),
            ("Z-7F3A-20261120-0001", vec![]),
            ("ZJ-7F3A-20261120-001", vec![]),
            ("330106200501011234", vec![]),
            ("33010620050101123X", vec![]),
            ("6222 0212 3456 7890 1234", vec![]),
            ("", vec![]),
            ("货款", vec![]),
        ];
        for (text, want) in table {
            assert_eq!(serials_in_text(text), want, "{text}");
        }
    }

    #[test]
    fn name_normalization() {
        let table = [
            ("杭州某某文化有限责任公司", "杭州某某文化有限公司"),
            ("（杭州）某某 科技有限公司", "(杭州)某某科技有限公司"),
            ("abc Studio", "ABCSTUDIO"),
            ("张\u{3000}三", "张三"),
        ];
        for (raw, want) in table {
            assert_eq!(normalize_name(raw), want, "{raw}");
        }
        // (payer, names, reason)
        let reasons: Vec<(&str, Vec<&str>, Option<MatchReason>)> = vec![
            (
                "杭州某某文化有限责任公司",
                vec!["杭州某某文化有限公司"],
                Some(MatchReason::PayerNameEqual),
            ),
            (
                "(杭州)某某",
                vec!["张三", "（杭州）某某"],
                Some(MatchReason::PayerNameEqual),
            ),
            (
                "杭州某某文化传媒有限公",
                vec!["杭州某某文化传媒有限公司"],
                Some(MatchReason::PayerNameSimilar),
            ),
            ("*小明", vec!["王小明"], Some(MatchReason::PayerNameSimilar)),
            ("王*明", vec!["王小明"], Some(MatchReason::PayerNameSimilar)),
            ("**", vec!["王明"], None),
            ("李*明", vec!["王小明"], None),
            ("张三", vec!["张三工作室有限公司"], None),
            ("杭州", vec!["杭州某某文化传媒有限公司"], None),
            ("", vec![""], None),
            ("张三", vec![], None),
        ];
        for (payer, names, want) in reasons {
            assert_eq!(name_reason(&normalize_name(payer), &names), want, "{payer} {names:?}");
        }
    }

    fn line() -> CreditLine {
        CreditLine {
            date: day(2026, 11, 22),
            payer: "杭州某某文化有限责任公司".into(),
            amount_fen: 15_000,
            memo: "登记费 zj－7f3a－20261120－0001".into(),
            reference: "BK 2026 1122 0001".into(),
        }
    }

    fn open_case(serial: &str, owed: i64, names: &[&str], since: NaiveDate) -> Candidate {
        Candidate::OpenCase {
            serial: serial.into(),
            owed_fen: owed,
            names: names.iter().map(|n| n.to_string()).collect(),
            awaiting_since: since,
        }
    }

    fn recorded(id: &str, reference: &str, amount: i64, payer: &str, on: NaiveDate) -> Candidate {
        Candidate::RecordedTransfer {
            id: id.into(),
            reference: reference.into(),
            amount_fen: amount,
            payer: payer.into(),
            received_on: on,
        }
    }

    #[test]
    fn scoring_table() {
        use MatchReason as R;
        let since = day(2026, 11, 20);
        let company = "杭州某某文化有限公司";
        // (candidate, reasons, score, exact)
        let table: Vec<(Candidate, Vec<MatchReason>, u32, bool)> = vec![
            (
                open_case("ZJ-7F3A-20261120-0001", 15_000, &[company], since),
                vec![R::SerialInMemo, R::AmountEqual, R::PayerNameEqual, R::DateInWindow],
                100,
                true,
            ),
            (
                open_case("ZJ-7F3A-20261120-0001", 15_000, &["别人"], since),
                vec![R::SerialInMemo, R::AmountEqual, R::DateInWindow],
                85,
                true,
            ),
            (
                open_case("ZJ-7F3A-20261120-0001", 30_000, &["别人"], since),
                vec![R::SerialInMemo, R::DateInWindow],
                60,
                false,
            ),
            (
                open_case("ZJ-7F3A-20261120-0001", 15_000, &["别人"], day(2026, 9, 1)),
                vec![R::SerialInMemo, R::AmountEqual],
                75,
                false,
            ),
            (
                open_case("ZJ-7F3A-20261120-0002", 15_000, &["别人"], since),
                vec![R::AmountEqual, R::DateInWindow],
                35,
                false,
            ),
            (
                open_case("ZJ-7F3A-20261120-0002", 15_000, &["杭州某某文化"], since),
                vec![R::AmountEqual, R::PayerNameSimilar, R::DateInWindow],
                43,
                false,
            ),
            (
                recorded("T1", "bk-2026-1122-0001", 15_000, company, day(2026, 11, 21)),
                vec![R::ReferenceEqual, R::AmountEqual, R::PayerNameEqual, R::DateInWindow],
                100,
                true,
            ),
            (
                recorded("T1", "BK202611220001", 15_000, "别人", day(2026, 12, 1)),
                vec![R::ReferenceEqual, R::AmountEqual],
                75,
                true,
            ),
            (
                recorded("T1", "BK202611220001", 14_999, "别人", day(2026, 11, 22)),
                vec![R::ReferenceEqual, R::DateInWindow],
                60,
                false,
            ),
            (
                recorded("T1", "", 15_000, company, day(2026, 11, 22)),
                vec![R::AmountEqual, R::PayerNameEqual, R::DateInWindow],
                50,
                false,
            ),
            (recorded("T1", "X", 1, "别人", day(2027, 1, 1)), vec![], 0, false),
        ];
        for (c, reasons, score, exact) in table {
            let s = score_candidate(&line(), 7, &c);
            assert_eq!(
                (s.index, &s.reasons, s.score, s.exact),
                (7, &reasons, score, exact),
                "{c:?}"
            );
        }
        let weights: u32 = [R::SerialInMemo, R::AmountEqual, R::PayerNameEqual, R::DateInWindow]
            .iter()
            .map(|r| r.weight())
            .sum();
        assert_eq!(weights, 100);
        assert_eq!(R::PayerNameSimilar.label(), "付款人相近");
    }

    #[test]
    fn date_windows() {
        let since = day(2026, 11, 20);
        let case = open_case("ZJ-0000-20000101-0000", 1, &[], since);
        let table = [(-2, false), (-1, true), (0, true), (60, true), (61, false)];
        for (offset, want) in table {
            let l = CreditLine {
                date: since + chrono::Duration::days(offset),
                ..line()
            };
            let s = score_candidate(&l, 0, &case);
            assert_eq!(s.reasons.contains(&MatchReason::DateInWindow), want, "case {offset}");
        }
        let received = day(2026, 11, 20);
        let t = recorded("T", "Z", 1, "", received);
        for (offset, want) in [(-4, false), (-3, true), (0, true), (3, true), (4, false)] {
            let l = CreditLine {
                date: received + chrono::Duration::days(offset),
                ..line()
            };
            let s = score_candidate(&l, 0, &t);
            assert_eq!(
                s.reasons.contains(&MatchReason::DateInWindow),
                want,
                "transfer {offset}"
            );
        }
    }

    #[test]
    fn match_decisions() {
        let since = day(2026, 11, 20);
        let exact_case = open_case("ZJ-7F3A-20261120-0001", 15_000, &["别人"], since);
        let exact_transfer = recorded("T1", "BK202611220001", 15_000, "别人", since);
        let weak = open_case("ZJ-7F3A-20261120-0009", 15_000, &["别人"], since);
        let named = open_case("ZJ-7F3A-20261120-0008", 15_000, &["杭州某某文化有限公司"], since);
        let nothing = recorded("T9", "ZZZ", 1, "", day(2020, 1, 1));
        let table: Vec<(Vec<Candidate>, MatchDecision)> = vec![
            (vec![], MatchDecision::Unmatched),
            (vec![nothing.clone()], MatchDecision::Unmatched),
            (vec![weak.clone(), weak.clone()], MatchDecision::Unmatched),
            (vec![weak.clone(), exact_case.clone()], MatchDecision::Matched(1)),
            (
                vec![exact_transfer.clone(), weak.clone(), named.clone()],
                MatchDecision::Matched(0),
            ),
            (
                vec![weak.clone(), exact_case.clone(), exact_transfer.clone()],
                MatchDecision::Ambiguous(vec![1, 2]),
            ),
            (vec![weak.clone(), named.clone()], MatchDecision::Ambiguous(vec![1])),
            (
                vec![nothing.clone(), exact_case.clone(), exact_case.clone()],
                MatchDecision::Ambiguous(vec![1, 2]),
            ),
        ];
        for (candidates, want) in table {
            let r = match_line(&line(), &candidates);
            assert_eq!(r.decision, want, "{candidates:?}");
            assert!(r.scored.windows(2).all(|w| w[0].score >= w[1].score));
            assert!(r.scored.iter().all(|s| s.score > 0 && s.score <= 100));
        }
        // One transfer for two works: both cases named in the memo, neither amount equal.
        let two = CreditLine {
            amount_fen: 30_000,
            memo: "ZJ-7F3A-20261120-0001、ZJ-7F3A-20261120-0002 登记费".into(),
            ..line()
        };
        let cases = vec![
            open_case("ZJ-7F3A-20261120-0002", 15_000, &["别人"], since),
            weak.clone(),
            open_case("ZJ-7F3A-20261120-0001", 15_000, &["别人"], since),
        ];
        let r = match_line(&two, &cases);
        assert_eq!(r.decision, MatchDecision::Ambiguous(vec![0, 2]));
        assert_eq!(r.scored.iter().map(|s| s.index).collect::<Vec<_>>(), vec![0, 2, 1]);
        // A serial glued to the word before it is still found for a known case.
        let glued = CreditLine {
            memo: "NO.ZJ7F3A202611200001".into(),
            ..line()
        };
        assert_eq!(
            match_line(&glued, std::slice::from_ref(&exact_case)).decision,
            MatchDecision::Matched(0)
        );
        let glued = CreditLine {
            memo: "NOZJ7F3A202611200001".into(),
            ..line()
        };
        assert_eq!(
            match_line(&glued, std::slice::from_ref(&exact_case)).decision,
            MatchDecision::Matched(0)
        );
        let longer = CreditLine {
            memo: "ZJ-7F3A-20261120-00012".into(),
            ..line()
        };
        assert_eq!(match_line(&longer, &[exact_case]).decision, MatchDecision::Unmatched);
        let json = serde_json::to_string(&MatchDecision::Ambiguous(vec![1, 2])).unwrap();
        assert_eq!(json, r#"{"ambiguous":[1,2]}"#);
        assert_eq!(
            serde_json::to_string(&MatchDecision::Unmatched).unwrap(),
            r#""unmatched""#
        );
    }

    // ---- 6. refunds -------------------------------------------------------------------------

    fn refund() -> RefundInput {
        RefundInput {
            method: RefundMethod::BankTransfer,
            amount_fen: 15_000,
            reference: "TK20261201".into(),
            refunded_on: day(2026, 12, 1),
        }
    }

    #[test]
    fn refund_validation() {
        let today = day(2026, 12, 1);
        let bank = PaymentMethod::BankTransfer;
        assert_eq!(refund().validate(15_000, bank, today), Ok(()));
        let online = RefundInput {
            method: RefundMethod::Online,
            ..refund()
        };
        assert_eq!(online.validate(15_000, PaymentMethod::Online, today), Ok(()));
        let alipay = RefundInput {
            method: RefundMethod::Alipay,
            ..refund()
        };
        assert_eq!(alipay.validate(15_000, PaymentMethod::Online, today), Ok(()));
        type Row<'a> = (RefundInput, i64, PaymentMethod, Vec<(&'a str, &'a str)>);
        let table: Vec<Row> = vec![
            (refund(), 0, bank, vec![("amount_fen", "nothing_owed")]),
            (
                RefundInput {
                    amount_fen: 10_000,
                    ..refund()
                },
                15_000,
                bank,
                vec![("amount_fen", "not_owed_amount")],
            ),
            (
                RefundInput {
                    amount_fen: 20_000,
                    ..refund()
                },
                15_000,
                bank,
                vec![("amount_fen", "not_owed_amount")],
            ),
            (online.clone(), 15_000, bank, vec![("method", "not_original_route")]),
            (
                online.clone(),
                15_000,
                PaymentMethod::AlipayTransfer,
                vec![("method", "not_original_route")],
            ),
            (
                RefundInput {
                    reference: " ".into(),
                    ..refund()
                },
                15_000,
                bank,
                vec![("reference", "required")],
            ),
            (
                RefundInput {
                    refunded_on: day(2026, 12, 2),
                    ..refund()
                },
                15_000,
                bank,
                vec![("refunded_on", "in_future")],
            ),
        ];
        for (r, owed, paid_by, want) in table {
            assert_eq!(codes(&r.validate(owed, paid_by, today).unwrap_err()), want, "{r:?}");
        }
        let msg = |r: RefundInput, owed, paid_by| r.validate(owed, paid_by, today).unwrap_err()[0].message.clone();
        assert_eq!(
            msg(
                RefundInput {
                    amount_fen: 10_000,
                    ..refund()
                },
                15_000,
                bank
            ),
            "退费金额应等于应退金额 ¥150.00（不办理部分退费），现在是 ¥100.00"
        );
        assert_eq!(msg(refund(), 0, bank), "本案没有应退费用，不能登记退费");
        assert_eq!(
            msg(online, 15_000, bank),
            "本案通过银行公对公转账缴费，不能原路退回到在线支付，请选择银行转账退费或支付宝退费"
        );
        assert_eq!(
            msg(
                RefundInput {
                    refunded_on: day(2026, 12, 2),
                    ..refund()
                },
                15_000,
                bank
            ),
            "退费日期 2026-12-02 晚于今天 2026-12-01，请核对"
        );
        let channels: Vec<PaymentMethod> = [RefundMethod::BankTransfer, RefundMethod::Alipay, RefundMethod::Online]
            .iter()
            .map(|m| m.channel())
            .collect();
        assert_eq!(
            channels,
            [
                PaymentMethod::BankTransfer,
                PaymentMethod::AlipayTransfer,
                PaymentMethod::Online
            ]
        );
        assert_eq!(RefundMethod::Online.label(), "原路退回");
    }

    // ---- 7. invoice -------------------------------------------------------------------------

    #[test]
    fn invoice_rule() {
        type Row<'a> = (i64, Option<&'a str>, Result<Option<&'a str>, &'a str>);
        let table: Vec<Row> = vec![
            (0, None, Ok(None)),
            (0, Some("bad"), Ok(None)),
            (-100, Some("a@b.cn"), Ok(None)),
            (15_000, Some(" fapiao@example.cn "), Ok(Some("fapiao@example.cn"))),
            (15_000, None, Err("required")),
            (15_000, Some("  "), Err("required")),
            (15_000, Some("not-an-email"), Err("format")),
        ];
        for (paid, email, want) in table {
            let got = invoice_due(paid, email);
            assert_eq!(
                got.as_ref().map(|o| o.as_deref()).map_err(|e| e.code.as_str()),
                want,
                "{paid} {email:?}"
            );
            if let Err(e) = got {
                assert_eq!(e.field, "invoice_email");
            }
        }
        assert_eq!(
            invoice_due(15_000, None).unwrap_err().message,
            "已缴费 ¥150.00，需开具电子发票：请在用户信息中填写电子发票接收邮箱"
        );
    }

    // ---- 8. day report ----------------------------------------------------------------------

    #[test]
    fn day_report_rows_and_totals() {
        let d1 = day(2026, 11, 20);
        let d2 = day(2026, 11, 21);
        let bank = PaymentMethod::BankTransfer;
        let ali = PaymentMethod::AlipayTransfer;
        let online = PaymentMethod::Online;
        let recv = |t: &str, d, m, fen| MoneyEvent::Received {
            transfer: t.into(),
            day: d,
            method: m,
            fen,
        };
        let conf = |t: &str, d, m, fen| MoneyEvent::Confirmed {
            transfer: t.into(),
            day: d,
            method: m,
            fen,
        };
        let events = vec![
            recv("T1", d1, bank, 45_000),
            recv("T2", d1, bank, 15_000),
            recv("T3", d1, ali, 15_000),
            recv("P1", d1, online, 15_000),
            conf("P1", d1, online, 15_000),
            conf("T1", d2, bank, 45_000),
            MoneyEvent::Rejected {
                transfer: "T3".into(),
                day: d2,
                method: ali,
                fen: 15_000,
            },
            recv("T4", d2, bank, 30_000),
            MoneyEvent::Refunded {
                refund: "R1".into(),
                day: d2,
                method: bank,
                fen: 15_000,
            },
        ];
        let rows = day_report(&events);
        // (day, method, received, confirmed, rejected, pending, refunded) as (fen, count)
        type Cell = (i64, u32);
        let want: Vec<(NaiveDate, PaymentMethod, Cell, Cell, Cell, Cell, Cell)> = vec![
            (d1, online, (15_000, 1), (15_000, 1), (0, 0), (0, 0), (0, 0)),
            (d1, bank, (60_000, 2), (0, 0), (0, 0), (15_000, 1), (0, 0)),
            (d1, ali, (15_000, 1), (0, 0), (0, 0), (0, 0), (0, 0)),
            (d2, bank, (30_000, 1), (45_000, 1), (0, 0), (30_000, 1), (15_000, 1)),
            (d2, ali, (0, 0), (0, 0), (15_000, 1), (0, 0), (0, 0)),
        ];
        let got: Vec<_> = rows
            .iter()
            .map(|r| {
                (
                    r.day,
                    r.method,
                    (r.received_fen, r.received_count),
                    (r.confirmed_fen, r.confirmed_count),
                    (r.rejected_fen, r.rejected_count),
                    (r.pending_fen, r.pending_count),
                    (r.refunded_fen, r.refunded_count),
                )
            })
            .collect();
        assert_eq!(got, want);
        let t = day_report_totals(&rows);
        assert_eq!(
            t,
            DayReportTotals {
                received_fen: 120_000,
                received_count: 5,
                confirmed_fen: 60_000,
                confirmed_count: 2,
                rejected_fen: 15_000,
                rejected_count: 1,
                pending_fen: 45_000,
                pending_count: 2,
                refunded_fen: 15_000,
                refunded_count: 1,
            }
        );
        // Pending is judged over the events given: without the later confirmation T1 is pending.
        let early = day_report(&events[..5]);
        assert_eq!(day_report_totals(&early).pending_fen, 75_000);
        assert_eq!(day_report(&[]), vec![]);
        assert_eq!(day_report_totals(&[]), DayReportTotals::default());
    }

    // ---- properties -------------------------------------------------------------------------

    fn dues_strategy() -> impl Strategy<Value = Vec<Due>> {
        prop::collection::vec((0i64..=50_000, 0i64..=60_000), 0..8).prop_map(|v| {
            v.into_iter()
                .enumerate()
                .map(|(i, (owed, covered))| due(&format!("C{i}"), owed, covered.min(owed + 100)))
                .collect()
        })
    }

    fn check_invariants(amount: i64, a: &Allocation) {
        let shares: i64 = a.shares.iter().map(|s| s.amount_fen).sum();
        assert!(shares <= amount, "allocated {shares} of {amount}");
        assert_eq!(shares + a.over_fen, amount);
        assert!(a.over_fen >= 0 && a.short_fen >= 0);
        let missing: i64 = a
            .shares
            .iter()
            .map(|s| match s.outcome {
                ShareOutcome::Short { missing_fen } => missing_fen,
                ShareOutcome::Covered => 0,
            })
            .sum();
        assert_eq!(a.short_fen, missing);
        assert!(a.shares.iter().all(|s| s.amount_fen > 0));
    }

    const CROCKFORD: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    const SEPARATORS: [&str; 9] = ["-", "", " ", "－", "—", " - ", "\u{2010}", "\u{3000}", "--"];
    const BOUNDARIES: [&str; 8] = ["，", "：", "付", "(", "#", "。", "（", "/"];

    /// (office, station, date, sequence) of a serial; the station ends with a letter so that the
    /// parts of a serial written without separators cannot be read another way.
    fn serial_strategy() -> impl Strategy<Value = (String, String, String, String)> {
        (
            "[A-Z][A-Z0-9]{1,7}",
            prop::collection::vec(0..CROCKFORD.len(), 3),
            10..CROCKFORD.len(),
            0u64..36_500,
            0u32..10_000,
        )
            .prop_map(|(office, station, last, days, seq)| {
                let mut st: String = station.iter().map(|i| CROCKFORD[*i] as char).collect();
                st.push(CROCKFORD[last] as char);
                let date = day(2000, 1, 1).checked_add_days(Days::new(days)).unwrap();
                (office, st, date.format("%Y%m%d").to_string(), format!("{seq:04}"))
            })
    }

    /// Writes `s` with each character lower-cased and/or full-width as the flags say.
    fn vary(s: &str, flags: &[(bool, bool)]) -> String {
        s.chars()
            .zip(flags.iter().cycle())
            .map(|(c, (lower, wide))| {
                let c = if *lower { c.to_ascii_lowercase() } else { c };
                if *wide && ('!'..='~').contains(&c) {
                    char::from_u32(u32::from(c) + 0xFEE0).unwrap()
                } else {
                    c
                }
            })
            .collect()
    }

    fn candidates_strategy() -> impl Strategy<Value = Vec<Candidate>> {
        let case =
            (serial_strategy(), 0i64..40_000, 0u64..120).prop_map(|((o, s, d, q), owed, back)| Candidate::OpenCase {
                serial: format!("{o}-{s}-{d}-{q}"),
                owed_fen: owed,
                names: vec!["某某".into()],
                awaiting_since: day(2026, 11, 22).checked_sub_days(Days::new(back)).unwrap(),
            });
        let transfer =
            ("[A-Z0-9]{0,8}", 0i64..40_000, 0u64..10).prop_map(|(r, amount, back)| Candidate::RecordedTransfer {
                id: format!("T-{r}"),
                reference: r,
                amount_fen: amount,
                payer: "某某".into(),
                received_on: day(2026, 11, 22).checked_sub_days(Days::new(back)).unwrap(),
            });
        prop::collection::vec(prop_oneof![case, transfer], 0..6)
    }

    proptest! {
        #[test]
        fn allocate_invariants(
            amount in 1i64..=200_000,
            dues in dues_strategy(),
            picks in prop::collection::vec((0usize..8, 1i64..=60_000), 0..8),
        ) {
            let requested: Vec<(String, i64)> = picks.iter().map(|(i, f)| (format!("C{i}"), *f)).collect();
            match allocate(amount, &dues, &requested) {
                Ok(a) => {
                    check_invariants(amount, &a);
                    prop_assert_eq!(a.shares.len(), requested.len());
                    for (s, (case, fen)) in a.shares.iter().zip(&requested) {
                        prop_assert_eq!((&s.case, s.amount_fen), (case, *fen));
                    }
                }
                Err(errs) => prop_assert!(!errs.is_empty() && errs.iter().all(|e| !e.message.is_empty())),
            }
        }

        #[test]
        fn auto_allocate_covers_cases_in_order(amount in 1i64..=200_000, dues in dues_strategy()) {
            let a = auto_allocate(amount, &dues).unwrap();
            check_invariants(amount, &a);
            // Shares follow the order of the dues, skipping only cases that owe nothing.
            let owing: Vec<&Due> = dues.iter().filter(|d| d.still_owed_fen() > 0).collect();
            prop_assert!(a.shares.len() <= owing.len());
            for (s, d) in a.shares.iter().zip(&owing) {
                prop_assert_eq!(&s.case, &d.case);
            }
            // Every share but the last covers its case; only the last may be short.
            if let Some((_, init)) = a.shares.split_last() {
                prop_assert!(init.iter().all(Share::covers));
            }
            // Money is left over only when every case is covered; a case is left out only when money ran out.
            if a.over_fen > 0 {
                prop_assert_eq!(a.shares.len(), owing.len());
                prop_assert!(a.shares.iter().all(Share::covers));
            }
            if a.shares.len() < owing.len() {
                prop_assert_eq!(a.over_fen, 0);
            }
            // The same request made by hand gives the same allocation.
            let by_hand: Vec<(String, i64)> = a.shares.iter().map(|s| (s.case.clone(), s.amount_fen)).collect();
            prop_assert_eq!(allocate(amount, &dues, &by_hand).unwrap(), a);
        }

        #[test]
        fn serials_are_found_however_embedded(
            (office, station, date, seq) in serial_strategy(),
            seps in prop::collection::vec(0..SEPARATORS.len(), 3),
            flags in prop::collection::vec((any::<bool>(), any::<bool>()), 1..24),
            prefix in "[a-zA-Z0-9付款登记费号 ]{0,10}",
            before in 0..BOUNDARIES.len(),
            suffix in "[a-zA-Z0-9元款 ]{0,10}",
            after in 0..BOUNDARIES.len(),
            wrap in 0u8..4,
        ) {
            let written = format!(
                "{}{}{}{}{}{}{}",
                office,
                SEPARATORS[seps[0]],
                station,
                SEPARATORS[seps[1]],
                date,
                SEPARATORS[seps[2]],
                seq
            );
            let written = vary(&written, &flags);
            let head = if wrap & 1 == 1 { format!("{prefix}{}", BOUNDARIES[before]) } else { String::new() };
            let tail = if wrap & 2 == 2 { format!("{}{suffix}", BOUNDARIES[after]) } else { String::new() };
            let text = format!("{head}{written}{tail}");
            let want = format!("{office}-{station}-{date}-{seq}");
            prop_assert_eq!(serials_in_text(&text), vec![want.clone()], "{}", text);
            // Each serial found is in normal form and finds itself.
            prop_assert_eq!(serials_in_text(&want), vec![want]);
        }

        #[test]
        fn two_exact_candidates_are_never_matched(
            others in candidates_strategy(),
            amount in 1i64..=100_000,
            reference in "[A-Z0-9]{6,12}",
            (o, s, d, q) in serial_strategy(),
            kinds in (any::<bool>(), any::<bool>()),
            at in (0usize..8, 0usize..8),
            lower in any::<bool>(),
        ) {
            let serial = format!("{o}-{s}-{d}-{q}");
            let l = CreditLine {
                date: day(2026, 11, 22),
                payer: "付款人".into(),
                amount_fen: amount,
                memo: format!("登记费 {}", if lower { serial.to_lowercase() } else { serial.clone() }),
                reference: reference.clone(),
            };
            let exact = |transfer: bool| if transfer {
                recorded("TX", &reference.to_lowercase(), amount, "x", day(2026, 1, 1))
            } else {
                open_case(&serial, amount, &[], day(2026, 11, 1))
            };
            let mut candidates = others;
            let i = at.0.min(candidates.len());
            candidates.insert(i, exact(kinds.0));
            let j = at.1.min(candidates.len());
            candidates.insert(j, exact(kinds.1));
            let r = match_line(&l, &candidates);
            let exact_count = r.scored.iter().filter(|s| s.exact).count();
            prop_assert!(exact_count >= 2);
            match &r.decision {
                MatchDecision::Ambiguous(list) => {
                    prop_assert_eq!(list.len(), exact_count);
                    prop_assert!(list.iter().all(|k| r.scored.iter().any(|s| s.index == *k && s.exact)));
                }
                other => prop_assert!(false, "expected ambiguous, got {:?}", other),
            }
        }

        #[test]
        fn matched_means_exactly_one_exact(
            candidates in candidates_strategy(),
            amount in 0i64..40_000,
            memo in "[a-zA-Z0-9 -]{0,30}",
            reference in "[A-Z0-9]{0,8}",
        ) {
            let l = CreditLine { date: day(2026, 11, 22), payer: "某某".into(), amount_fen: amount, memo, reference };
            let r = match_line(&l, &candidates);
            let exact: Vec<usize> = r.scored.iter().filter(|s| s.exact).map(|s| s.index).collect();
            match r.decision {
                MatchDecision::Matched(i) => prop_assert_eq!(exact, vec![i]),
                MatchDecision::Ambiguous(list) => {
                    prop_assert!(!list.is_empty());
                    let strong = |k: &usize| r.scored.iter().any(|s| s.index == *k && s.score >= REVIEW_THRESHOLD);
                    prop_assert!(exact.len() >= 2 || list.iter().all(strong));
                }
                MatchDecision::Unmatched => {
                    prop_assert!(exact.is_empty());
                    prop_assert!(r.scored.iter().all(|s| s.score < REVIEW_THRESHOLD));
                }
            }
        }
    }
}
