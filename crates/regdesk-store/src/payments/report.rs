//! The fee day report (收费日报): from `money_events`, as a view, PDF and xlsx.

use chrono::NaiveDate;
use regdesk_domain::lifecycle::PaymentMethod;
use regdesk_domain::payment::{self, MoneyEvent};
use regdesk_domain::FieldError;
use rusqlite::params;

use super::staff_name;
use super::{DayReportInput, DayReportLine, DayReportView};
use crate::codes::from_code;
use crate::error::{Result, StoreError};
use crate::session::{actor, Session};
use crate::Store;

impl Store {
    /// 收费日报：每日每种方式的到账、确认、待核、退回、退费。
    pub fn day_report(&self, session: &Session, input: &DayReportInput) -> Result<DayReportView> {
        let conn = self.conn();
        actor(&conn, self.now(), Some(session), None)?;
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
            let method: PaymentMethod = from_code("缴费方式", &method)?;
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
        drop(stmt);
        drop(conn);
        Ok(DayReportView {
            audit_head: self.audit_head()?,
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
        let audit_head = v
            .audit_head
            .map(|h| format!("审计链末条：第 {} 条，哈希 {}", h.seq, h.hash_prefix))
            .unwrap_or_default();
        Ok(regdesk_print::DayReport {
            audit_head,
            office_name: office,
            period_from: v.from.format("%Y年%-m月%-d日").to_string(),
            period_to: v.to.format("%Y年%-m月%-d日").to_string(),
            generated_by: by,
            generated_at: now.format("%Y年%-m月%-d日 %H:%M").to_string(),
            rows: v.lines.into_iter().map(printed_row).collect(),
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

/// The printed row (PDF and xlsx) of a line of the report: the domain's row as the desk shows
/// it, every figure of it. The only place the print crate's row is made; the domain's row is
/// taken apart field by field, so a figure added to it cannot be left off the printed report.
fn printed_row(line: DayReportLine) -> regdesk_print::DayReportRow {
    let DayReportLine { row, method_label } = line;
    let payment::DayReportRow {
        day,
        method: _,
        received_fen,
        received_count,
        confirmed_fen,
        confirmed_count,
        rejected_fen,
        rejected_count,
        pending_fen,
        pending_count,
        refunded_fen,
        refunded_count,
    } = row;
    regdesk_print::DayReportRow {
        date: day.format("%Y-%m-%d").to_string(),
        method: method_label,
        received_count,
        received_fen,
        confirmed_count,
        confirmed_fen,
        pending_count,
        pending_fen,
        rejected_count,
        rejected_fen,
        refund_count: refunded_count,
        refund_fen: refunded_fen,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn the_printed_row_carries_every_figure_of_the_domains_row() {
        let row = payment::DayReportRow {
            day: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            method: PaymentMethod::BankTransfer,
            received_fen: 45_000,
            received_count: 3,
            confirmed_fen: 30_000,
            confirmed_count: 2,
            rejected_fen: 15_000,
            rejected_count: 1,
            pending_fen: 0,
            pending_count: 0,
            refunded_fen: 12_000,
            refunded_count: 1,
        };
        let printed = printed_row(DayReportLine {
            method_label: PaymentMethod::BankTransfer.label().to_string(),
            row,
        });
        assert_eq!(
            printed,
            regdesk_print::DayReportRow {
                date: "2026-11-25".into(),
                method: "银行公对公转账".into(),
                received_count: 3,
                received_fen: 45_000,
                confirmed_count: 2,
                confirmed_fen: 30_000,
                pending_count: 0,
                pending_fen: 0,
                rejected_count: 1,
                rejected_fen: 15_000,
                refund_count: 1,
                refund_fen: 12_000,
            }
        );
    }
}
