//! Allocation (一笔转账支付多件): one transfer shared among several works; short and over payment.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::FieldError;
use crate::fee::format_yuan;

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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    use crate::payment::test_support::codes;

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
    }
}
