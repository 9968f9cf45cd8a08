//! Refunds (退费): the way the money goes back and the refund recorded at the desk.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{required_text, FieldError};
use crate::fee::format_yuan;
use crate::lifecycle::PaymentMethod;

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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    use crate::payment::test_support::{codes, day};

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
}
