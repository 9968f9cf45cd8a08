//! Payments recorded at the desk — offline transfers (线下转账) and online
//! payments (在线支付, from the platform's record) — recording one with its
//! allocation to cases (the maker), listing them, and checking them (the
//! checker, four eyes). An online payment is a transfer whose method is
//! `online` and whose reference is the platform's transaction number.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDateTime, Utc};
use regdesk_domain::lifecycle::{CaseCommand, CaseState, PaymentMethod, StaffId};
use regdesk_domain::payment::{self, Due, TransferCommand, TransferInput, TransferState};
use regdesk_domain::staff::{Desk, FilePurpose, Permission, Role};
use regdesk_domain::FieldError;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde_json::json;

use super::{covered_of, money_event, owed_of, prefixed, staff_name};
use super::{AllocationView, CheckTransferInput, RecordTransferInput, ShareInput, TransferView, TransfersInput};
use crate::cases::load as load_case;
use crate::codes::{code, from_code};
use crate::error::{Result, StoreError};
use crate::journal::{uuid_v7, Change};
use crate::session::{actor, Session};
use crate::{office_date, Store};

fn refused_transfer(r: payment::TransferRefusal) -> StoreError {
    StoreError::Refused {
        code: r.code().to_string(),
        message: r.message(),
    }
}

/// Field paths of the domain's allocation (`requested[i]`) as the desk names them (`shares[i]`).
fn as_shares(errs: Vec<FieldError>) -> StoreError {
    StoreError::Invalid(
        errs.into_iter()
            .map(|mut e| {
                if let Some(rest) = e.field.strip_prefix("requested") {
                    e.field = format!("shares{rest}");
                }
                e
            })
            .collect(),
    )
}
struct TransferRow {
    id: String,
    method: PaymentMethod,
    payer: String,
    payer_account: String,
    payer_bank: String,
    amount_fen: i64,
    received_at: NaiveDateTime,
    reference: String,
    purpose: String,
    receipt_file_id: Option<String>,
    over_fen: i64,
    state: TransferState,
    recorded_by: String,
    recorded_at: DateTime<Utc>,
    checked_by: Option<String>,
    checked_at: Option<DateTime<Utc>>,
    reject_reason: Option<String>,
    statement_line_id: Option<String>,
    version: i64,
}

const TRANSFER_COLS: &str = "id, method, payer, payer_account, payer_bank, amount_fen, received_at, reference, purpose,
    receipt_file_id, over_fen, state, recorded_by, recorded_at, checked_by, checked_at, reject_reason,
    statement_line_id, version";

fn transfer_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(TransferRow, String, String)> {
    let method: String = r.get(1)?;
    let state: String = r.get(11)?;
    Ok((
        TransferRow {
            id: r.get(0)?,
            method: PaymentMethod::BankTransfer,
            payer: r.get(2)?,
            payer_account: r.get(3)?,
            payer_bank: r.get(4)?,
            amount_fen: r.get(5)?,
            received_at: r.get(6)?,
            reference: r.get(7)?,
            purpose: r.get(8)?,
            receipt_file_id: r.get(9)?,
            over_fen: r.get(10)?,
            state: TransferState::Recorded,
            recorded_by: r.get(12)?,
            recorded_at: r.get(13)?,
            checked_by: r.get(14)?,
            checked_at: r.get(15)?,
            reject_reason: r.get(16)?,
            statement_line_id: r.get(17)?,
            version: r.get(18)?,
        },
        method,
        state,
    ))
}

fn finish_transfer(raw: (TransferRow, String, String)) -> Result<TransferRow> {
    let (mut t, method, state) = raw;
    t.method = from_code("缴费方式", &method)?;
    t.state = from_code("转账状态", &state)?;
    Ok(t)
}

fn load_transfer(conn: &Connection, id: &str) -> Result<TransferRow> {
    let raw = conn
        .query_row(
            &format!("SELECT {TRANSFER_COLS} FROM transfers WHERE id = ?1"),
            [id],
            transfer_row,
        )
        .optional()?
        .ok_or_else(|| StoreError::NotFound {
            what: "转账记录",
            id: id.to_string(),
        })?;
    finish_transfer(raw)
}

fn transfer_view(conn: &Connection, t: TransferRow, viewer: &str, viewer_is_finance: bool) -> Result<TransferView> {
    let mut stmt = conn.prepare(
        "SELECT a.case_id, c.serial, c.title, a.amount_fen, c.state, c.accepted_on IS NOT NULL
         FROM allocations a JOIN cases c ON c.id = a.case_id
         WHERE a.transfer_id = ?1 ORDER BY c.serial",
    )?;
    let allocations = stmt
        .query_map([&t.id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, bool>(5)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .map(|(case_id, serial, title, amount_fen, state, accepted)| {
            let state: CaseState = from_code("案件状态", &state)?;
            Ok(AllocationView {
                case_id,
                serial,
                title,
                amount_fen,
                case_state: state,
                case_state_label: state.label().to_string(),
                has_acceptance_notice: accepted,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(TransferView {
        method_label: t.method.label().to_string(),
        state_label: t.state.label().to_string(),
        recorded_by_name: staff_name(conn, &t.recorded_by)?,
        checked_by_name: t.checked_by.as_deref().map(|id| staff_name(conn, id)).transpose()?,
        may_confirm: viewer_is_finance && t.state == TransferState::Recorded && t.recorded_by != viewer,
        from_statement: t.statement_line_id.is_some(),
        allocations,
        id: t.id,
        method: t.method,
        payer: t.payer,
        payer_account: t.payer_account,
        payer_bank: t.payer_bank,
        amount_fen: t.amount_fen,
        received_at: t.received_at,
        reference: t.reference,
        purpose: t.purpose,
        receipt_file_id: t.receipt_file_id,
        over_fen: t.over_fen,
        state: t.state,
        recorded_at: t.recorded_at,
        checked_at: t.checked_at,
        reject_reason: t.reject_reason,
        version: t.version,
    })
}
/// What `record_transfer_tx` records.
pub(super) struct NewTransfer<'a> {
    pub(super) input: &'a TransferInput,
    pub(super) receipt_file_id: Option<&'a str>,
    pub(super) shares: &'a [ShareInput],
    pub(super) statement_line_id: Option<&'a str>,
}

impl Store {
    /// Records one offline transfer inside a command: checks the cases, allocates the
    /// amount, moves every case it covers to 待核款, notes the day's receipt.
    pub(super) fn record_transfer_tx(
        &self,
        tx: &Transaction<'_>,
        now: DateTime<Utc>,
        who: &regdesk_domain::lifecycle::Actor,
        t: NewTransfer<'_>,
    ) -> Result<(String, serde_json::Value)> {
        let input = t.input.normalized();
        if t.shares.is_empty() {
            return Err(FieldError::new("shares", "required", "请选择本笔转账支付的案件（可选多件）").into());
        }
        let taken: Option<(String, String, i64, String, Option<String>)> = tx
            .query_row(
                "SELECT t.id, t.payer, t.amount_fen, t.state,
                        (SELECT group_concat(serial, '、') FROM (SELECT c.serial FROM allocations a
                         JOIN cases c ON c.id = a.case_id WHERE a.transfer_id = t.id ORDER BY c.serial))
                 FROM transfers t WHERE t.method = ?1 AND t.reference = ?2 AND t.state <> 'rejected'",
                params![code(input.method), input.reference],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        if let Some((_, payer, amount, state, serials)) = taken {
            let state: TransferState = from_code("转账状态", &state)?;
            let held = serials.map(|s| format!("，案件 {s}")).unwrap_or_default();
            let what = if input.method == PaymentMethod::Online {
                "在线支付"
            } else {
                "转账"
            };
            return Err(FieldError::new(
                "transfer.reference",
                "taken",
                format!(
                    "{} {} 已登记过（{payer}，{}，{}{held}），同一笔{what}不能重复登记",
                    input.reference_label(),
                    input.reference,
                    regdesk_domain::fee::format_yuan(amount),
                    state.label()
                ),
            )
            .into());
        }
        let mut dues = Vec::new();
        let mut rows = Vec::new();
        for (i, s) in t.shares.iter().enumerate() {
            let row = load_case(tx, &s.case_id).map_err(|_| {
                StoreError::Invalid(vec![FieldError::new(
                    format!("shares[{i}].case_id"),
                    "missing",
                    "所选案件不存在，请重新选择",
                )])
            })?;
            if row.state != CaseState::AwaitingPayment {
                return Err(FieldError::new(
                    format!("shares[{i}].case_id"),
                    "not_awaiting_payment",
                    format!("案件 {} 当前为{}，不能登记缴费", row.serial, row.state.label()),
                )
                .into());
            }
            if !row.facts.takes_payment(input.method) {
                let chosen = row.facts.payment_method.map_or("", PaymentMethod::label);
                return Err(FieldError::new(
                    format!("shares[{i}].case_id"),
                    "method_mismatch",
                    format!(
                        "案件 {} 的缴费方式为{chosen}，不能登记{}；请按案件选定的方式登记",
                        row.serial,
                        input.method.label()
                    ),
                )
                .into());
            }
            dues.push(Due {
                case: row.id.clone(),
                owed_fen: owed_of(tx, &row.id)?,
                already_covered_fen: covered_of(tx, &row.id)?,
            });
            rows.push(row);
        }
        let requested: Vec<(String, i64)> = t.shares.iter().map(|s| (s.case_id.clone(), s.amount_fen)).collect();
        let alloc = payment::allocate(input.amount_fen, &dues, &requested).map_err(as_shares)?;
        let applicants: HashSet<Option<String>> = rows.iter().map(|r| r.applicant_id.clone()).collect();
        let applicant_id = if applicants.len() == 1 {
            applicants.into_iter().next().flatten()
        } else {
            None
        };
        let id = uuid_v7(now).to_string();
        tx.execute(
            &format!(
                "INSERT INTO transfers ({TRANSFER_COLS}, applicant_id) VALUES
                 (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'recorded', ?12, ?13, NULL, NULL, NULL, ?14, 1, ?15)"
            ),
            params![
                id,
                code(input.method),
                input.payer,
                input.payer_account,
                input.payer_bank,
                input.amount_fen,
                input.received_at,
                input.reference,
                input.purpose,
                t.receipt_file_id,
                alloc.over_fen,
                who.staff_id.0,
                now,
                t.statement_line_id,
                applicant_id
            ],
        )?;
        let mut moved = Vec::new();
        for (share, row) in alloc.shares.iter().zip(rows) {
            if share.amount_fen <= 0 {
                continue;
            }
            tx.execute(
                "INSERT INTO allocations (transfer_id, case_id, amount_fen) VALUES (?1, ?2, ?3)",
                params![id, row.id, share.amount_fen],
            )?;
            let mut row = row;
            if row.facts.payment_method.is_none() {
                let cmd = CaseCommand::ChoosePaymentMethod { method: input.method };
                row = self.apply_case_row(tx, row, &cmd, who, now)?.1;
            }
            if share.covers() {
                let cmd = CaseCommand::RecordPayment {
                    method: input.method,
                    amount_fen: covered_of(tx, &row.id)?,
                    payer: input.payer.clone(),
                    reference: input.reference.clone(),
                    paid_on: input.received_at.date(),
                };
                row = self.apply_case_row(tx, row, &cmd, who, now)?.1;
            }
            moved.push(json!({ "case": row.serial, "amount_fen": share.amount_fen, "state": code(row.state) }));
        }
        money_event(
            tx,
            now,
            "received",
            &id,
            input.received_at.date(),
            input.method,
            input.amount_fen,
        )?;
        Ok((
            id,
            json!({ "transfer": input, "over_fen": alloc.over_fen, "short_fen": alloc.short_fen, "cases": moved }),
        ))
    }

    /// 登记付款（制单）：线下转账或在线支付（平台交易号），一笔可支付多件作品；
    /// 足额的案件进入待核款，由另一位核款人员确认。
    pub fn record_transfer(&self, session: &Session, input: &RecordTransferInput) -> Result<TransferView> {
        let conn = self.conn();
        let maker = actor(
            &conn,
            self.now(),
            Some(session),
            Some(Permission::OpenDesk(Desk::Payments)),
        )?;
        drop(conn);
        input
            .transfer
            .validate(self.office_today())
            .map_err(|errs| prefixed("transfer", errs))?;
        if let Some(f) = &input.receipt_file_id {
            match Self::file_purpose(&self.conn(), f)? {
                None => {
                    return Err(
                        FieldError::new("receipt_file_id", "missing", "回单扫描件不在附件库中，请重新选择").into(),
                    );
                }
                Some(Some(p)) if p != FilePurpose::Receipt => {
                    return Err(FieldError::new(
                        "receipt_file_id",
                        "not_receipt",
                        format!("所选文件是作为{}上传的，不是付款回单；请上传回单扫描件", p.label()),
                    )
                    .into());
                }
                Some(_) => {}
            }
        }
        let id = self.run(Some(maker.id()), "record_transfer", |tx, now| {
            let (id, payload) = self.record_transfer_tx(
                tx,
                now,
                &maker,
                NewTransfer {
                    input: &input.transfer,
                    receipt_file_id: input.receipt_file_id.as_deref(),
                    shares: &input.shares,
                    statement_line_id: None,
                },
            )?;
            Ok((
                Change {
                    entity: "transfer",
                    entity_id: id.clone(),
                    version: 1,
                    payload,
                },
                id,
            ))
        })?;
        self.transfer(session, &id)
    }

    /// 一笔转账。
    pub fn transfer(&self, session: &Session, id: &str) -> Result<TransferView> {
        let conn = self.conn();
        let a = actor(
            &conn,
            self.now(),
            Some(session),
            Some(Permission::OpenDesk(Desk::Payments)),
        )?;
        let finance = a.holds(Role::Finance);
        let t = load_transfer(&conn, id)?;
        transfer_view(&conn, t, a.id(), finance)
    }

    /// 转账记录（待核款在前，最近 200 笔）。
    pub fn transfers(&self, session: &Session, input: &TransfersInput) -> Result<Vec<TransferView>> {
        let conn = self.conn();
        let a = actor(
            &conn,
            self.now(),
            Some(session),
            Some(Permission::OpenDesk(Desk::Payments)),
        )?;
        let finance = a.holds(Role::Finance);
        let state = input.state.map(code);
        let mut stmt = conn.prepare(&format!(
            "SELECT {TRANSFER_COLS} FROM transfers WHERE (?1 IS NULL OR state = ?1)
             ORDER BY (state = 'recorded') DESC, received_at DESC LIMIT 200"
        ))?;
        let raws = stmt
            .query_map([state], transfer_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        raws.into_iter()
            .map(|raw| transfer_view(&conn, finish_transfer(raw)?, a.id(), finance))
            .collect()
    }

    /// 核款（审核）：另一位核款人员确认或退回。确认后足额的案件进入待初审，办结时限起算；
    /// 退回后案件回到待缴费并记录原因。
    pub fn check_transfer(&self, session: &Session, input: &CheckTransferInput) -> Result<TransferView> {
        let conn = self.conn();
        let checker = actor(
            &conn,
            self.now(),
            Some(session),
            Some(Permission::OpenDesk(Desk::Payments)),
        )?;
        drop(conn);
        self.run(Some(checker.id()), "check_transfer", |tx, now| {
            let t = load_transfer(tx, &input.id)?;
            StoreError::check_version("该转账记录", input.version, t.version)?;
            let next = payment::decide_transfer(
                t.state,
                &StaffId(t.recorded_by.clone()),
                &checker.staff_id,
                &checker.roles,
                &input.command,
            )
            .map_err(refused_transfer)?;
            let reason = match &input.command {
                TransferCommand::Reject { reason } => Some(reason.trim().to_string()),
                TransferCommand::Confirm => None,
            };
            tx.execute(
                "UPDATE transfers SET state = ?2, checked_by = ?3, checked_at = ?4, reject_reason = ?5,
                        version = version + 1 WHERE id = ?1",
                params![t.id, code(next), checker.id(), now, reason],
            )?;
            let cases: Vec<String> = tx
                .prepare("SELECT case_id FROM allocations WHERE transfer_id = ?1")?
                .query_map([&t.id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let mut moved = Vec::new();
            for case_id in cases {
                let row = load_case(tx, &case_id)?;
                if row.state != CaseState::AwaitingPaymentCheck {
                    continue;
                }
                let cmd = match &reason {
                    Some(r) => CaseCommand::RejectPayment {
                        reason: format!("转账 {} 被退回：{r}", t.reference),
                    },
                    None => {
                        let open: i64 = tx.query_row(
                            "SELECT COUNT(*) FROM allocations a JOIN transfers x ON x.id = a.transfer_id
                             WHERE a.case_id = ?1 AND x.state = 'recorded'",
                            [&case_id],
                            |r| r.get(0),
                        )?;
                        if open > 0 {
                            continue; // another transfer for this case still waits for checking
                        }
                        CaseCommand::ConfirmPayment {
                            credited_fen: covered_of(tx, &case_id)?,
                        }
                    }
                };
                let row = self.apply_case_row(tx, row, &cmd, &checker, now)?.1;
                moved.push(json!({ "case": row.serial, "state": code(row.state) }));
            }
            let today = office_date(now);
            money_event(
                tx,
                now,
                if reason.is_some() { "rejected" } else { "confirmed" },
                &t.id,
                today,
                t.method,
                t.amount_fen,
            )?;
            let version = t.version + 1;
            Ok((
                Change {
                    entity: "transfer",
                    entity_id: t.id.clone(),
                    version,
                    payload: json!({ "command": input.command, "state": code(next), "cases": moved }),
                },
                t.id,
            ))
        })
        .and_then(|id| self.transfer(session, &id))
    }
}
