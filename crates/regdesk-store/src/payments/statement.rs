//! Bank-statement import (银行流水导入) and matching: each credit line scored
//! against the cases waiting for payment and the transfers waiting for
//! checking; a unique exact match is recorded as a transfer, the rest wait for
//! a person, who resolves or dismisses them.

use std::path::Path;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use regdesk_domain::lifecycle::{Actor, PaymentMethod};
use regdesk_domain::payment::{self, Candidate, CreditLine, MatchDecision, MatchReason, TransferInput};
use regdesk_domain::staff::{Desk, Permission};
use regdesk_domain::FieldError;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde_json::json;

use super::transfers::NewTransfer;
use super::{covered_of, owed_of};
use super::{
    CandidateView, DismissLineInput, ImportStatementInput, LineDecision, ResolveLineInput, ShareInput,
    StatementImportView, StatementLineView, StatementProgress, TransferView,
};
use crate::cases::{load as load_case, Row};
use crate::codes::{code, from_code};
use crate::error::{Result, StoreError};
use crate::journal::{uuid_v7, Change};
use crate::session::{actor, Session};
use crate::{office_date, Store};

/// The words a payer is known by on a case: the applicant and the owners.
fn names_of(row: &Row) -> Vec<String> {
    let mut names = vec![row.applicant_name.clone()];
    for o in &row.draft.owners {
        if !o.name.trim().is_empty() && !names.contains(&o.name) {
            names.push(o.name.clone());
        }
    }
    names
}

/// Cases waiting for payment that still owe something, and recorded transfers
/// not yet seen on a statement: what a statement line can match.
struct Candidates {
    list: Vec<Candidate>,
    /// For each candidate: the case id or the transfer id.
    ids: Vec<String>,
}

impl Candidates {
    /// What candidate `i` stands for, as data.
    fn target(&self, i: usize) -> Option<MatchedTarget> {
        Some(match (self.list.get(i)?, self.ids.get(i)?) {
            (Candidate::OpenCase { serial, .. }, id) => MatchedTarget::Case {
                case_id: id.clone(),
                serial: serial.clone(),
            },
            (Candidate::RecordedTransfer { .. }, id) => MatchedTarget::Transfer {
                transfer_id: id.clone(),
            },
        })
    }
}

fn candidates(conn: &Connection) -> Result<Candidates> {
    let mut list = Vec::new();
    let mut ids = Vec::new();
    let case_ids: Vec<String> = conn
        .prepare("SELECT id FROM cases WHERE state = 'awaiting_payment' ORDER BY created_at")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in case_ids {
        let row = load_case(conn, &id)?;
        // A bank statement line is a bank transfer: a case to be paid online or by Alipay is not its match.
        if !row.facts.takes_payment(PaymentMethod::BankTransfer) {
            continue;
        }
        let owed = owed_of(conn, &id)? - covered_of(conn, &id)?;
        if owed <= 0 {
            continue;
        }
        let since: Option<DateTime<Utc>> =
            conn.query_row("SELECT awaiting_payment_since FROM cases WHERE id = ?1", [&id], |r| {
                r.get(0)
            })?;
        list.push(Candidate::OpenCase {
            serial: row.serial.clone(),
            owed_fen: owed,
            names: names_of(&row),
            awaiting_since: office_date(since.unwrap_or(row.updated_at)),
        });
        ids.push(id);
    }
    let mut stmt = conn.prepare(
        "SELECT id, reference, amount_fen, payer, received_at FROM transfers
         WHERE state = 'recorded' AND statement_line_id IS NULL AND method <> 'online' ORDER BY received_at",
    )?;
    let transfers = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, NaiveDateTime>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (id, reference, amount_fen, payer, at) in transfers {
        list.push(Candidate::RecordedTransfer {
            id: id.clone(),
            reference,
            amount_fen,
            payer,
            received_on: at.date(),
        });
        ids.push(id);
    }
    Ok(Candidates { list, ids })
}

fn candidate_views(c: &Candidates, scored: &[payment::ScoredCandidate]) -> Vec<CandidateView> {
    scored
        .iter()
        .filter_map(|s| {
            let cand = c.list.get(s.index)?;
            let id = c.ids.get(s.index)?.clone();
            let reasons = s.reasons.iter().map(|r: &MatchReason| r.label().to_string()).collect();
            Some(match cand {
                Candidate::OpenCase { serial, .. } => CandidateView {
                    label: serial.clone(),
                    case_id: Some(id),
                    transfer_id: None,
                    score: s.score,
                    reasons,
                },
                Candidate::RecordedTransfer { reference, payer, .. } => CandidateView {
                    label: format!("已登记转账 {reference}（{payer}）"),
                    case_id: None,
                    transfer_id: Some(id),
                    score: s.score,
                    reasons,
                },
            })
        })
        .collect()
}

/// A parsed statement line as the domain's credit line.
fn credit_line(l: &regdesk_statement::StatementLine) -> Option<CreditLine> {
    Some(CreditLine {
        date: l.date,
        payer: l.payer.clone(),
        amount_fen: l.credit_fen?,
        memo: l.memo.clone(),
        reference: l.reference.clone(),
    })
}
/// A statement file read and parsed, with what the import reports about it.
struct ReadStatement {
    file_name: String,
    parsed: regdesk_statement::Statement,
    /// The format as the desk names it: "CSV（GBK，“,”分隔）", "Excel 工作簿（工作表“Sheet1”）".
    format_label: String,
    /// The rows that are not transactions (blank rows left out), as the desk lists them.
    skipped: Vec<String>,
}

/// Reads and parses the statement at `path` (as typed: trimmed here); an unreadable or
/// unparsable file is an error under `path`.
fn read_statement(path: &str) -> Result<ReadStatement> {
    let typed = path.trim();
    let path = Path::new(typed);
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let bytes = std::fs::read(path).map_err(|e| {
        StoreError::Invalid(vec![FieldError::new(
            "path",
            "unreadable",
            format!("无法读取银行流水文件“{typed}”：{e}"),
        )])
    })?;
    let parsed = regdesk_statement::parse(&bytes, &file_name)
        .map_err(|e| StoreError::Invalid(vec![FieldError::new("path", e.code(), e.to_string())]))?;
    let format_label = match &parsed.format {
        regdesk_statement::StatementFormat::Csv { encoding, delimiter } => {
            let enc = match encoding {
                regdesk_statement::TextEncoding::Utf8 => "UTF-8",
                regdesk_statement::TextEncoding::Gbk => "GBK",
            };
            let d = match delimiter {
                '\t' => "制表符".to_string(),
                c => format!("“{c}”"),
            };
            format!("CSV（{enc}，{d}分隔）")
        }
        regdesk_statement::StatementFormat::Xlsx { sheet } => format!("Excel 工作簿（工作表“{sheet}”）"),
    };
    let skipped = parsed
        .skipped
        .iter()
        .filter(|s| s.reason != regdesk_statement::SkipReason::Blank)
        .map(|s| format!("第 {} 行（{}）：{}", s.line, s.reason.label(), s.text))
        .collect();
    Ok(ReadStatement {
        file_name,
        parsed,
        format_label,
        skipped,
    })
}

/// What a statement line matched by itself (a unique exact match).
#[derive(Debug, Clone, PartialEq, Eq)]
enum MatchedTarget {
    /// A case waiting for payment: the line becomes a transfer paying it.
    Case { case_id: String, serial: String },
    /// A transfer recorded by hand: the line is the bank's record of it.
    Transfer { transfer_id: String },
}

/// One line of the statement as planned before anything is written: how it is shown, and what
/// it matched, if it matched by itself (never for a line imported before).
struct PlannedLine<'a> {
    source: &'a regdesk_statement::StatementLine,
    view: StatementLineView,
    matched: Option<MatchedTarget>,
}

/// A candidate already taken by an earlier line of the same statement: it matches nothing.
fn taken() -> Candidate {
    Candidate::RecordedTransfer {
        id: String::new(),
        reference: String::new(),
        amount_fen: -1,
        payer: String::new(),
        received_on: NaiveDate::MIN,
    }
}

/// Plans every line of the statement against the database as it is: a line whose fingerprint is
/// known is shown as imported before; a new credit line is matched against the candidates not yet
/// taken by an earlier line; a debit line is ignored. Tells `watch` before each line (and once at
/// the end) and stops, refusing the import as cancelled, when it answers `false`.
fn plan_lines<'a>(
    conn: &Connection,
    read: &'a ReadStatement,
    watch: &dyn Fn(StatementProgress) -> bool,
) -> Result<Vec<PlannedLine<'a>>> {
    let cands = candidates(conn)?;
    // The list matched against: as `cands`, but a candidate taken by a line is replaced by one
    // that matches nothing, so that two lines never pay the same case or transfer.
    let mut open = cands.list.clone();
    let lines = &read.parsed.lines;
    let total = lines.len() as u32;
    let mut out = Vec::with_capacity(lines.len());
    for (done, l) in lines.iter().enumerate() {
        if !watch(StatementProgress {
            done: done as u32,
            total,
        }) {
            return Err(StoreError::Refused {
                code: "import_cancelled".into(),
                message: format!(
                    "已取消导入“{}”：比对到第 {done} 行（共 {total} 行）时停止，没有记录任何一行。",
                    read.file_name
                ),
            });
        }
        let known: Option<(String, String, Option<String>, Option<String>)> = conn
            .query_row(
                "SELECT s.id, s.decision, c.serial, s.transfer_id FROM statement_lines s
                 LEFT JOIN cases c ON c.id = s.case_id WHERE s.fingerprint = ?1",
                [&l.fingerprint],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let mut view = StatementLineView {
            id: None,
            line: l.line,
            date: l.date,
            time: l.time,
            payer: l.payer.clone(),
            payer_account: l.payer_account.clone(),
            amount_fen: l.credit_fen,
            debit_fen: l.debit_fen,
            reference: l.reference.clone(),
            memo: l.memo.clone(),
            decision: LineDecision::Ignored,
            decision_label: String::new(),
            case_serial: None,
            transfer_id: None,
            already_imported: false,
            candidates: Vec::new(),
        };
        let mut matched = None;
        if let Some((id, decision, serial, transfer)) = known {
            view.id = Some(id);
            view.decision = from_code("流水行结论", &decision).unwrap_or(LineDecision::Unmatched);
            view.case_serial = serial;
            view.transfer_id = transfer;
            view.already_imported = true;
        } else if let (true, Some(credit)) = (l.is_credit(), credit_line(l)) {
            let m = payment::match_line(&credit, &open);
            view.candidates = candidate_views(&cands, &m.scored);
            view.decision = match m.decision {
                MatchDecision::Matched(i) => {
                    if let Some(c) = open.get_mut(i) {
                        *c = taken();
                    }
                    matched = cands.target(i);
                    match &matched {
                        Some(MatchedTarget::Case { serial, .. }) => view.case_serial = Some(serial.clone()),
                        Some(MatchedTarget::Transfer { transfer_id }) => view.transfer_id = Some(transfer_id.clone()),
                        None => {}
                    }
                    LineDecision::Matched
                }
                MatchDecision::Ambiguous(_) => LineDecision::Ambiguous,
                MatchDecision::Unmatched => LineDecision::Unmatched,
            };
        }
        view.decision_label = view.decision.label().to_string();
        out.push(PlannedLine {
            source: l,
            view,
            matched,
        });
    }
    watch(StatementProgress { done: total, total });
    Ok(out)
}

/// The import's result: the lines as shown and the counts of the new ones by decision (lines
/// imported before count only as such).
fn import_summary(
    read: &ReadStatement,
    lines: Vec<StatementLineView>,
    dry_run: bool,
    import_id: Option<String>,
) -> StatementImportView {
    let new =
        |d: fn(LineDecision) -> bool| lines.iter().filter(|v| !v.already_imported && d(v.decision)).count() as u32;
    StatementImportView {
        import_id,
        file_name: read.file_name.clone(),
        format_label: read.format_label.clone(),
        header_line: read.parsed.header_line,
        matched: new(|d| d == LineDecision::Matched),
        waiting: new(|d| matches!(d, LineDecision::Ambiguous | LineDecision::Unmatched)),
        ignored: new(|d| d == LineDecision::Ignored),
        already_imported: lines.iter().filter(|v| v.already_imported).count() as u32,
        skipped: read.skipped.clone(),
        lines,
        dry_run,
    }
}

impl Store {
    /// 导入银行流水：预览（`dry_run`）或入账。只有唯一精确匹配自动登记（导入人为制单人，
    /// 须另一人确认）；其余留待人工处理。同一行（按指纹）永远只计一次。
    pub fn import_statement(&self, session: &Session, input: &ImportStatementInput) -> Result<StatementImportView> {
        self.import_statement_watched(session, input, &|_| true)
    }

    /// [`Store::import_statement`], telling `watch` how far the matching has
    /// come (a line at a time) and stopping when it answers `false`: then
    /// nothing is recorded and the import is refused as cancelled.
    pub fn import_statement_watched(
        &self,
        session: &Session,
        input: &ImportStatementInput,
        watch: &dyn Fn(StatementProgress) -> bool,
    ) -> Result<StatementImportView> {
        let conn = self.conn();
        let importer = actor(
            &conn,
            self.now(),
            Some(session),
            Some(Permission::OpenDesk(Desk::Payments)),
        )?;
        drop(conn);
        let read = read_statement(&input.path)?;

        if input.dry_run {
            let planned = plan_lines(&self.conn(), &read, watch)?;
            let views = planned.into_iter().map(|p| p.view).collect();
            return Ok(import_summary(&read, views, true, None));
        }

        self.run(Some(importer.id()), "import_statement", |tx, now| {
            let planned = plan_lines(tx, &read, watch)?;
            let import_id = uuid_v7(now).to_string();
            let new_lines = planned.iter().filter(|p| !p.view.already_imported).count() as i64;
            tx.execute(
                "INSERT INTO statement_imports (id, file_name, format, imported_by, imported_at, new_lines, known_lines)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    import_id,
                    read.file_name,
                    read.format_label,
                    importer.id(),
                    now,
                    new_lines,
                    planned.len() as i64 - new_lines
                ],
            )?;
            let mut views = Vec::new();
            let mut applied = Vec::new();
            for line in planned {
                let (view, applied_to) = self.record_line(tx, now, &importer, &import_id, line)?;
                applied.extend(applied_to);
                views.push(view);
            }
            let out = import_summary(&read, views, false, Some(import_id.clone()));
            Ok((
                Change {
                    entity: "statement_import",
                    entity_id: import_id,
                    version: 1,
                    payload: json!({
                        "file_name": read.file_name, "new_lines": new_lines, "applied": applied,
                        "waiting": out.waiting, "ignored": out.ignored,
                    }),
                },
                out,
            ))
        })
    }

    /// Records one planned line of an import: a line seen before is only shown again; a new one
    /// is stored, and when it matched, applied — to a case as a transfer recorded by the importer
    /// (someone else confirms it), or to the recorded transfer it is the bank's line of. Returns
    /// the line as shown and, when applied, the journal's note of it.
    fn record_line(
        &self,
        tx: &Transaction<'_>,
        now: DateTime<Utc>,
        importer: &Actor,
        import_id: &str,
        line: PlannedLine<'_>,
    ) -> Result<(StatementLineView, Option<serde_json::Value>)> {
        let PlannedLine {
            source,
            mut view,
            matched,
        } = line;
        if view.already_imported {
            return Ok((view, None));
        }
        let line_id = uuid_v7(now).to_string();
        tx.execute(
            "INSERT INTO statement_lines (id, import_id, fingerprint, line, day, time, payer, payer_account,
                payer_bank, credit_fen, debit_fen, memo, reference, decision)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                line_id,
                import_id,
                source.fingerprint,
                view.line,
                view.date,
                source.time,
                view.payer,
                view.payer_account,
                source.payer_bank,
                view.amount_fen,
                view.debit_fen,
                view.memo,
                view.reference,
                code(view.decision)
            ],
        )?;
        view.id = Some(line_id.clone());
        let Some(target) = matched else {
            return Ok((view, None));
        };
        match target {
            MatchedTarget::Case { case_id, .. } => {
                let transfer = line_transfer(&view, source.time, &source.fingerprint);
                let (tid, _) = self.record_transfer_tx(
                    tx,
                    now,
                    importer,
                    NewTransfer {
                        input: &transfer,
                        receipt_file_id: None,
                        shares: &[ShareInput {
                            case_id: case_id.clone(),
                            amount_fen: view.amount_fen.unwrap_or(0),
                        }],
                        statement_line_id: Some(&line_id),
                    },
                )?;
                tx.execute(
                    "UPDATE statement_lines SET case_id = ?2, transfer_id = ?3 WHERE id = ?1",
                    params![line_id, case_id, tid],
                )?;
                view.transfer_id = Some(tid);
            }
            MatchedTarget::Transfer { transfer_id } => {
                tx.execute(
                    "UPDATE transfers SET statement_line_id = ?2 WHERE id = ?1",
                    params![transfer_id, line_id],
                )?;
                tx.execute(
                    "UPDATE statement_lines SET transfer_id = ?2 WHERE id = ?1",
                    params![line_id, transfer_id],
                )?;
            }
        }
        let note = json!({ "line": view.line, "case": view.case_serial, "transfer": view.transfer_id });
        Ok((view, Some(note)))
    }

    /// 待人工处理的流水（未匹配或有多个可能），附当前的候选。
    pub fn open_statement_lines(&self, session: &Session) -> Result<Vec<StatementLineView>> {
        let conn = self.conn();
        actor(
            &conn,
            self.now(),
            Some(session),
            Some(Permission::OpenDesk(Desk::Payments)),
        )?;
        let cands = candidates(&conn)?;
        let mut stmt = conn.prepare(&format!(
            "SELECT {LINE_COLS} FROM statement_lines
             WHERE decision IN ('ambiguous', 'unmatched') AND resolved_at IS NULL ORDER BY day, line"
        ))?;
        let rows = stmt
            .query_map([], line_row)?
            .map(|r| r.map(|(v, ..)| v))
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows
            .into_iter()
            .map(|mut v| {
                if let Some(amount) = v.amount_fen {
                    let credit = CreditLine {
                        date: v.date,
                        payer: v.payer.clone(),
                        amount_fen: amount,
                        memo: v.memo.clone(),
                        reference: v.reference.clone(),
                    };
                    v.candidates = candidate_views(&cands, &payment::match_line(&credit, &cands.list).scored);
                }
                v
            })
            .collect())
    }

    /// 处理一行流水：登记为转账并分配到所选案件（处理人为制单人）。
    pub fn resolve_statement_line(&self, session: &Session, input: &ResolveLineInput) -> Result<TransferView> {
        let conn = self.conn();
        let maker = actor(
            &conn,
            self.now(),
            Some(session),
            Some(Permission::OpenDesk(Desk::Payments)),
        )?;
        drop(conn);
        let id = self.run(Some(maker.id()), "resolve_statement_line", |tx, now| {
            let (view, time, fingerprint, resolved) = open_line(tx, &input.line_id)?;
            if resolved {
                return Err(StoreError::Refused {
                    code: "line_resolved".into(),
                    message: "这行流水已经处理过了，请刷新列表".into(),
                });
            }
            let transfer = line_transfer(&view, time, &fingerprint);
            let (tid, payload) = self.record_transfer_tx(
                tx,
                now,
                &maker,
                NewTransfer {
                    input: &transfer,
                    receipt_file_id: None,
                    shares: &input.shares,
                    statement_line_id: Some(&input.line_id),
                },
            )?;
            tx.execute(
                "UPDATE statement_lines SET transfer_id = ?2, resolved_by = ?3, resolved_at = ?4, resolution = 'transfer'
                 WHERE id = ?1",
                params![input.line_id, tid, maker.id(), now],
            )?;
            Ok((
                Change {
                    entity: "statement_line",
                    entity_id: input.line_id.clone(),
                    version: 2,
                    payload: json!({ "resolution": "transfer", "transfer_id": tid, "transfer": payload }),
                },
                tid,
            ))
        })?;
        self.transfer(session, &id)
    }

    /// 不是登记费的入账（如其他业务）：说明原因后不再列出。
    pub fn dismiss_statement_line(&self, session: &Session, input: &DismissLineInput) -> Result<()> {
        let conn = self.conn();
        let a = actor(
            &conn,
            self.now(),
            Some(session),
            Some(Permission::OpenDesk(Desk::Payments)),
        )?;
        drop(conn);
        let note = input.note.trim().to_string();
        if note.is_empty() {
            return Err(FieldError::new("note", "required", "请说明这笔入账为什么不是登记费").into());
        }
        self.run(Some(a.id()), "dismiss_statement_line", |tx, now| {
            let (_, _, _, resolved) = open_line(tx, &input.line_id)?;
            if resolved {
                return Err(StoreError::Refused {
                    code: "line_resolved".into(),
                    message: "这行流水已经处理过了，请刷新列表".into(),
                });
            }
            tx.execute(
                "UPDATE statement_lines SET resolved_by = ?2, resolved_at = ?3, resolution = 'dismissed' WHERE id = ?1",
                params![input.line_id, a.id(), now],
            )?;
            Ok((
                Change {
                    entity: "statement_line",
                    entity_id: input.line_id.clone(),
                    version: 2,
                    payload: json!({ "resolution": "dismissed", "note": note }),
                },
                (),
            ))
        })
    }
}

/// The columns of an imported statement line, as [`line_row`] reads them.
const LINE_COLS: &str = "id, line, day, time, payer, payer_account, credit_fen, debit_fen, reference, memo, decision,
    fingerprint, resolved_at IS NOT NULL OR decision IN ('matched', 'ignored')";

type LineRow = (StatementLineView, Option<chrono::NaiveTime>, String, bool);

/// An imported line: its view, time, fingerprint, and whether it is done with.
fn line_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<LineRow> {
    let time: Option<chrono::NaiveTime> = r.get(3)?;
    let decision = from_code("流水行结论", &r.get::<_, String>(10)?).unwrap_or(LineDecision::Unmatched);
    Ok((
        StatementLineView {
            id: Some(r.get(0)?),
            line: r.get(1)?,
            date: r.get(2)?,
            time,
            payer: r.get(4)?,
            payer_account: r.get(5)?,
            amount_fen: r.get(6)?,
            debit_fen: r.get(7)?,
            reference: r.get(8)?,
            memo: r.get(9)?,
            decision,
            decision_label: decision.label().to_string(),
            case_serial: None,
            transfer_id: None,
            already_imported: true,
            candidates: Vec::new(),
        },
        time,
        r.get(11)?,
        r.get(12)?,
    ))
}

/// An imported line waiting for a person.
fn open_line(conn: &Connection, id: &str) -> Result<LineRow> {
    conn.query_row(
        &format!("SELECT {LINE_COLS} FROM statement_lines WHERE id = ?1"),
        [id],
        line_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound {
        what: "银行流水行",
        id: id.to_string(),
    })
}

/// The transfer a credit line stands for: a corporate bank transfer, the bank's reference
/// (or, when the bank gave none, the line's fingerprint so it is still unique).
fn line_transfer(v: &StatementLineView, time: Option<chrono::NaiveTime>, fingerprint: &str) -> TransferInput {
    TransferInput {
        method: PaymentMethod::BankTransfer,
        payer: if v.payer.trim().is_empty() {
            "（流水未列户名）".into()
        } else {
            v.payer.clone()
        },
        payer_account: v
            .payer_account
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == ' ')
            .collect(),
        payer_bank: String::new(),
        amount_fen: v.amount_fen.unwrap_or(0),
        received_at: v.date.and_time(time.unwrap_or_default()),
        reference: if v.reference.trim().is_empty() {
            format!("流水-{}", &fingerprint[..fingerprint.len().min(16)])
        } else {
            v.reference.clone()
        },
        purpose: v.memo.clone(),
    }
}
