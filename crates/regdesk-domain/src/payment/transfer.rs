//! Payments recorded at the payments desk: offline transfers (线下转账) and online payments
//! (在线支付, from the platform's record): their state, the finance commands and their
//! maker-checker decision, and the input recorded at the desk with its validation.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

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

/// 登记付款（线下转账或在线支付；填写中，未校验）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TransferInput {
    /// 缴费方式：银行公对公转账、支付宝转账或在线支付
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
    /// 转账流水号或凭证号；在线支付为平台交易号（见 [`normalize_platform_reference`]）
    pub reference: String,
    /// 用途或附言（可选）
    pub purpose: String,
}

impl TransferInput {
    /// Validates every field at once (`today` is the office's date). Field names are the struct's.
    ///
    /// - `payer` and `reference` are required (at most 100 and 64 characters); an online
    ///   payment's reference is the platform's transaction number (平台交易号): once normalized,
    ///   letters, digits, `-` and `_` only.
    /// - `payer_account` is optional; for a bank transfer it holds digits and spaces only,
    ///   [`BANK_ACCOUNT_DIGITS`] digits; for Alipay it is free text of at most 100 characters
    ///   (a mobile number or e-mail, often masked with `*`).
    /// - `payer_bank` (≤ 60) and `purpose` (≤ 200) are optional.
    /// - `amount_fen` is more than 0 and at most [`MAX_TRANSFER_FEN`].
    /// - `received_at` is not after `today`.
    pub fn validate(&self, today: NaiveDate) -> Result<(), Vec<FieldError>> {
        let mut errs = Vec::new();
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
        if self.method == PaymentMethod::Online {
            if let Err(e) = check_platform_reference(&self.reference) {
                errs.push(e);
            }
        } else if let Err(e) = required_text("reference", "转账流水号或凭证号", &self.reference, 64) {
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

    /// The input as it should be stored: text trimmed, spaces taken out of a bank account number,
    /// an online payment's platform reference normalized ([`normalize_platform_reference`]).
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
            reference: if self.method == PaymentMethod::Online {
                normalize_platform_reference(&self.reference)
            } else {
                self.reference.trim().to_string()
            },
            purpose: self.purpose.trim().to_string(),
        }
    }

    /// What the reference is called on the desk: 平台交易号 for an online payment.
    pub fn reference_label(&self) -> &'static str {
        if self.method == PaymentMethod::Online {
            "平台交易号"
        } else {
            "流水号"
        }
    }
}

/// 平台交易号 as it is stored and compared: full-width letters and digits made half-width,
/// every space (the ideographic one included) taken out, letters upper case. The same payment
/// typed as `wx 2026 0001` or `ＷＸ２０２６０００１` is `WX20260001`, so it is recorded once.
pub fn normalize_platform_reference(reference: &str) -> String {
    reference
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn check_platform_reference(reference: &str) -> Result<(), FieldError> {
    let v = normalize_platform_reference(reference);
    if v.is_empty() {
        return Err(FieldError::new(
            "reference",
            "required",
            "请填写平台交易号（平台支付记录上的交易号）",
        ));
    }
    let chars = v.chars().count();
    if chars > 64 {
        return Err(FieldError::new(
            "reference",
            "too_long",
            format!("平台交易号最多 64 个字符，现在是 {chars} 个，请按平台支付记录核对"),
        ));
    }
    if !v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(FieldError::new(
            "reference",
            "format",
            "平台交易号只能含字母、数字、“-”和“_”，请按平台支付记录核对",
        ));
    }
    Ok(())
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    use crate::payment::test_support::{codes, day};

    fn sid(s: &str) -> StaffId {
        StaffId(s.into())
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
            // An online payment from the platform's record: finance records it like a transfer.
            TransferInput {
                method: PaymentMethod::Online,
                payer_account: String::new(),
                payer_bank: String::new(),
                reference: "ｗｘ 4200 0012_34".into(),
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
                    reference: "WX-2026/11".into(),
                    ..transfer()
                },
                vec![("reference", "format")],
            ),
            (
                TransferInput {
                    method: PaymentMethod::Online,
                    reference: " \u{3000} ".into(),
                    ..transfer()
                },
                vec![("reference", "required")],
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
                    reference: "微信-0001".into(),
                    ..transfer()
                },
                "平台交易号只能含字母、数字、“-”和“_”，请按平台支付记录核对",
            ),
            (
                TransferInput {
                    method: PaymentMethod::Online,
                    reference: String::new(),
                    ..transfer()
                },
                "请填写平台交易号（平台支付记录上的交易号）",
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
        // The platform reference: one payment, however it was typed.
        for typed in [
            "wx20260001",
            " WX 2026 0001 ",
            "ＷＸ２０２６０００１",
            "wx\u{3000}2026\t0001",
        ] {
            let o = TransferInput {
                method: PaymentMethod::Online,
                reference: typed.into(),
                ..transfer()
            }
            .normalized();
            assert_eq!(o.reference, "WX20260001", "{typed:?}");
            assert_eq!(o.normalized(), o, "idempotent");
        }
        // A bank reference keeps its letters as the bank printed them.
        let b = TransferInput {
            reference: " hz 01 ".into(),
            ..transfer()
        }
        .normalized();
        assert_eq!(b.reference, "hz 01");
    }
}
