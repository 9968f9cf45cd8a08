//! Refunds (退费): the cases owed one and recording it.

use regdesk_domain::lifecycle::PaymentMethod;
use regdesk_domain::staff::{Desk, Permission, Role};
use rusqlite::params;
use serde_json::json;

use super::{money_event, prefixed, refunded_of};
use super::{RecordRefundInput, RefundDueRow};
use crate::cases::load as load_case;
use crate::codes::code;
use crate::error::{Result, StoreError};
use crate::journal::{uuid_v7, Change};
use crate::session::{actor, Session};
use crate::Store;

impl Store {
    /// 应退费的案件（不予登记等）。
    pub fn refunds_due(&self, session: &Session) -> Result<Vec<RefundDueRow>> {
        let conn = self.conn();
        actor(
            &conn,
            self.now(),
            Some(session),
            Some(Permission::OpenDesk(Desk::Payments)),
        )?;
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
        let a = actor(
            &conn,
            self.now(),
            Some(session),
            Some(Permission::OpenDesk(Desk::Payments)),
        )?;
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
}
