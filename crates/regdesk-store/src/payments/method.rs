//! The payment method (缴费方式) and the 待缴费 list: choosing the method, an
//! admin changing it with a reason. Payments themselves, online ones included,
//! are recorded and checked in `transfers.rs`.

use chrono::{DateTime, Utc};
use regdesk_domain::lifecycle::CaseCommand;
use regdesk_domain::payment::{self, BalanceEntry};
use regdesk_domain::staff::{Desk, Permission};
use rusqlite::Connection;

use super::{covered_of, owed_of};
use super::{ChangeMethodInput, ChooseMethodInput, PaymentCaseRow, PaymentCasesInput};
use crate::cases::{at_version, load_by_id};
use crate::codes::from_code;
use crate::error::{Result, StoreError};
use crate::session::{actor, Session};
use crate::Store;

/// The applicant's balance ledger as the tables hold it: the over payment of each transfer
/// recorded for them, with the transfer's state. Spending the balance on a case and refunding it
/// are not built (docs/DOMAIN.md §6), so no table holds such entries yet; the `refunds` table
/// holds refunds of a case's fee, which are not the balance's.
fn balance_ledger(conn: &Connection, applicant_id: &str) -> Result<Vec<BalanceEntry>> {
    let raws = conn
        .prepare("SELECT id, state, over_fen FROM transfers WHERE applicant_id = ?1 ORDER BY received_at, id")?
        .query_map([applicant_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raws.into_iter()
        .map(|(transfer, state, fen)| {
            Ok(BalanceEntry::OverPayment {
                transfer,
                state: from_code("转账状态", &state)?,
                fen,
            })
        })
        .collect()
}

/// 申请人余额: the domain's rule over the applicant's ledger; none without an applicant.
fn balance_of(conn: &Connection, applicant_id: Option<&str>) -> Result<i64> {
    let Some(a) = applicant_id else { return Ok(0) };
    Ok(payment::balance(&balance_ledger(conn, a)?))
}

/// How many cases the 待缴费 list shows: the oldest waiting, or the oldest a
/// search finds (a search narrows a longer list).
pub const PAYMENT_CASES_SHOWN: u32 = 200;

impl Store {
    /// 待缴费的案件：exactly the states of the 待缴费 queue, so the tab's count
    /// and its table agree (a case whose payment waits for checking is on the
    /// 待核款 tab, with its transfer).
    pub fn payment_cases(&self, session: &Session, input: &PaymentCasesInput) -> Result<Vec<PaymentCaseRow>> {
        let conn = self.conn();
        actor(
            &conn,
            self.now(),
            Some(session),
            Some(Permission::OpenDesk(Desk::Payments)),
        )?;
        let states: Vec<String> = regdesk_domain::queue::Queue::AwaitingPayment
            .states()
            .into_iter()
            .map(|s| format!("'{}'", crate::codes::code(s)))
            .collect();
        // One state (as today) is an equality, so the list comes from its own
        // index (migration 032) in its order, oldest first, with no sort. Left to
        // itself SQLite took the state's index and sorted every case waiting.
        let (source, in_queue) = match states.as_slice() {
            [one] => ("cases INDEXED BY cases_awaiting_payment", format!("state = {one}")),
            many => ("cases", format!("state IN ({})", many.join(", "))),
        };
        let (filter, param) = match input.search.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            Some(q) => {
                let (cond, p) = Self::search_filter(q);
                (cond, Some(p))
            }
            None => ("1 = 1".to_string(), None),
        };
        let sql = format!(
            "SELECT id, awaiting_payment_since, title FROM {source} WHERE {in_queue} AND {filter}
             ORDER BY COALESCE(awaiting_payment_since, updated_at), id LIMIT {PAYMENT_CASES_SHOWN}"
        );
        let read = |r: &rusqlite::Row<'_>| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<DateTime<Utc>>>(1)?,
                r.get::<_, String>(2)?,
            ))
        };
        let found: Vec<(String, Option<DateTime<Utc>>, String)> = match &param {
            Some(p) => conn
                .prepare_cached(&sql)?
                .query_map([p], read)?
                .collect::<rusqlite::Result<_>>()?,
            None => conn
                .prepare_cached(&sql)?
                .query_map([], read)?
                .collect::<rusqlite::Result<_>>()?,
        };
        // An applicant with many cases waiting has one balance: read their ledger once.
        let mut balances: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
        found
            .into_iter()
            .map(|(id, since, title)| {
                let row = load_by_id(&conn, &id)?;
                let owed = owed_of(&conn, &id)?;
                let covered = covered_of(&conn, &id)?;
                let balance = match row.applicant_id.as_deref() {
                    None => 0,
                    Some(a) => match balances.get(a) {
                        Some(b) => *b,
                        None => {
                            let b = balance_of(&conn, Some(a))?;
                            balances.insert(a.to_string(), b);
                            b
                        }
                    },
                };
                Ok(PaymentCaseRow {
                    applicant_balance_fen: balance,
                    case_id: row.id,
                    serial: row.serial,
                    // The case's own title column (what its queue rows show).
                    title,
                    applicant_id: row.applicant_id,
                    applicant_name: row.applicant_name,
                    state: row.state,
                    state_label: row.state.label().to_string(),
                    method: row.facts.payment_method,
                    method_label: row.facts.payment_method.map(|m| m.label().to_string()),
                    owed_fen: owed,
                    covered_fen: covered,
                    short_fen: (owed - covered).max(0),
                    awaiting_since: since,
                    takes_transfer: row.facts.takes_transfer(),
                    takes_online_payment: row.facts.takes_online_payment(),
                    version: row.version,
                })
            })
            .collect()
    }
    /// 选定缴费方式（一经选定不可更改）。
    pub fn choose_payment_method(&self, session: &Session, input: &ChooseMethodInput) -> Result<crate::CaseDetail> {
        let conn = self.conn();
        let a = actor(&conn, self.now(), Some(session), None)?;
        drop(conn);
        self.run(Some(a.id()), "choose_payment_method", |tx, now| {
            let row = at_version(tx, &input.case_id, input.version)?;
            self.apply_case(
                tx,
                row,
                &CaseCommand::ChoosePaymentMethod { method: input.method },
                &a,
                now,
            )
        })
    }

    /// 更改缴费方式（管理员，记录原因）；已有未退回的付款登记时不能更改。
    pub fn change_payment_method(&self, session: &Session, input: &ChangeMethodInput) -> Result<crate::CaseDetail> {
        let conn = self.conn();
        let a = actor(&conn, self.now(), Some(session), None)?;
        drop(conn);
        self.run(Some(a.id()), "change_payment_method", |tx, now| {
            let row = at_version(tx, &input.case_id, input.version)?;
            if covered_of(tx, &row.id)? > 0 {
                return Err(StoreError::Refused {
                    code: "payment_already_recorded".into(),
                    message: "本案已登记转账，不能更改缴费方式；如需更改请先由核款人员退回该笔转账".into(),
                });
            }
            let cmd = CaseCommand::ChangePaymentMethod {
                method: input.method,
                reason: input.reason.clone(),
            };
            self.apply_case(tx, row, &cmd, &a, now)
        })
    }
}
