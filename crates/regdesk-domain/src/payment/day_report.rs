//! Day report (缴费日报): money events summed per day and payment method, with the totals.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::lifecycle::PaymentMethod;

/// 资金事件（日报的来源）。`transfer` links the events of one payment so that pending ones can be
/// told apart; an online payment is recorded and confirmed like a transfer.
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
    /// 退费；`method` 为退款渠道（见 [`RefundMethod::channel`](super::RefundMethod::channel)）
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

    use crate::payment::test_support::day;

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
}
