//! The payments desk (缴费与核款): the method of payment, offline transfers
//! and their allocation to cases, maker-checker checking, bank-statement
//! import and matching, refunds, e-invoices and the day report.
//!
//! The rules are the domain's (`regdesk_domain::payment`, `lifecycle`); every
//! change is one command: tables, one journal entry, one audit entry. A case
//! moves to 待核款 when transfers recorded for it cover its fee, and to 待初审
//! (its clock started) when they are all confirmed by someone other than the
//! person who recorded them.
//!
//! One file per subject, all re-exported here (and from the crate root):
//! - `views.rs` — the views and inputs that cross to the UI and the CLI.
//! - `method.rs` — the 待缴费 list, choosing and changing the payment method.
//! - `transfers.rs` — payments, offline transfers and online payments alike:
//!   recording (the maker), listing, checking (the checker).
//! - `statement.rs` — bank-statement import and matching, the lines waiting
//!   for a person, resolving and dismissing them.
//! - `refunds.rs` — refunds owed and recorded.
//! - `invoices.rs` — the e-invoice list, its xlsx, marking invoices issued.
//! - `report.rs` — the fee day report, as a view, PDF and xlsx.
//!
//! This file holds what several of them share: money sums of a case, the
//! `money_events` the day report is built from, field-path helpers.

mod invoices;
mod method;
mod refunds;
mod report;
mod statement;
mod transfers;
mod views;

pub use views::*;

use chrono::{DateTime, NaiveDate, Utc};
use regdesk_domain::lifecycle::PaymentMethod;
use regdesk_domain::FieldError;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::codes::code;
use crate::error::{Result, StoreError};
use crate::journal::uuid_v7;

/// The domain names fields of the part it checked (`payer`); the desk's form nests them (`transfer.payer`).
fn prefixed(prefix: &str, errs: Vec<FieldError>) -> StoreError {
    StoreError::Invalid(
        errs.into_iter()
            .map(|mut e| {
                e.field = format!("{prefix}.{}", e.field);
                e
            })
            .collect(),
    )
}

/// What the case owes: its fee fixed on entering 待缴费, else the fee in force.
fn owed_of(conn: &Connection, case_id: &str) -> Result<i64> {
    let fee: Option<i64> = conn.query_row("SELECT fee_fen FROM cases WHERE id = ?1", [case_id], |r| r.get(0))?;
    match fee {
        Some(f) => Ok(f),
        None => Ok(crate::settings::load(conn)?.fee_per_work_fen),
    }
}

/// The amount recorded for a case by transfers that were not rejected.
fn covered_of(conn: &Connection, case_id: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT COALESCE(SUM(a.amount_fen), 0) FROM allocations a JOIN transfers t ON t.id = a.transfer_id
         WHERE a.case_id = ?1 AND t.state <> 'rejected'",
        [case_id],
        |r| r.get(0),
    )?)
}
fn money_event(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    event: &str,
    subject: &str,
    day: NaiveDate,
    method: PaymentMethod,
    fen: i64,
) -> Result<()> {
    tx.execute(
        "INSERT INTO money_events (id, event, subject, day, method, fen) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![uuid_v7(now).to_string(), event, subject, day, code(method), fen],
    )?;
    Ok(())
}

fn staff_name(conn: &Connection, id: &str) -> Result<String> {
    Ok(conn
        .query_row("SELECT display_name FROM staff WHERE id = ?1", [id], |r| r.get(0))
        .optional()?
        .unwrap_or_default())
}
fn refunded_of(conn: &Connection, case_id: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT COALESCE(SUM(amount_fen), 0) FROM refunds WHERE case_id = ?1",
        [case_id],
        |r| r.get(0),
    )?)
}
