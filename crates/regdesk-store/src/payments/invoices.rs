//! E-invoices (电子发票): the paid cases still without one, the list for the
//! invoicing system as xlsx, and marking them issued.

use std::collections::HashSet;

use regdesk_domain::payment;
use regdesk_domain::staff::{Desk, Permission};
use regdesk_domain::FieldError;
use rusqlite::{params, OptionalExtension};
use serde_json::json;

use super::refunded_of;
use super::{InvoiceDueRow, MarkInvoicesInput};
use crate::cases::load as load_case;
use crate::error::{Result, StoreError};
use crate::journal::Change;
use crate::session::{actor, Session};
use crate::Store;

impl Store {
    /// 待开电子发票：已缴费、未退费、未开票的案件（`payment::invoice_due`），with the address the
    /// invoice goes to, or the problem with it named when there is no valid one.
    pub fn invoices_due(&self, session: &Session) -> Result<Vec<InvoiceDueRow>> {
        let conn = self.conn();
        actor(
            &conn,
            self.now(),
            Some(session),
            Some(Permission::OpenDesk(Desk::Payments)),
        )?;
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
            // The filing's own invoice e-mail, else the profile's.
            let email = if row.draft.invoice_email.trim().is_empty() {
                profile_email
            } else {
                row.draft.invoice_email.trim().to_string()
            };
            let (email, email_problem) = match payment::invoice_due(paid, Some(&email)) {
                Ok(None) => continue,
                Ok(Some(address)) => (address, None),
                Err(problem) => (email, Some(problem.message)),
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
                email_problem,
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
        let a = actor(
            &conn,
            self.now(),
            Some(session),
            Some(Permission::OpenDesk(Desk::Payments)),
        )?;
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
}
