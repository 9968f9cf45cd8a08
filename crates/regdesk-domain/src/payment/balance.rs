//! Applicant balance (申请人余额): over payments credited once confirmed, less what was applied
//! or refunded.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::transfer::TransferState;

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
/// if more was applied or refunded than the over payments hold (a bookkeeping error to show,
/// not hide). Spending and refunding a balance are not built (docs/DOMAIN.md §6): today's
/// ledgers hold over payments only.
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

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
}
