//! The audit chain. Each entry holds the SHA-256 of its own content (the
//! journal entry it stands for, field by field) and of the previous entry;
//! its own entry hash is SHA-256(prev_hash ‖ content_hash). Altering,
//! inserting or removing any entry but the last breaks the chain there.
//!
//! The payload's format is part of the content, as an eleventh field, only
//! when it is not 1: every entry written before formats existed (format 1)
//! keeps the hash it was given, and changing any entry's format still breaks
//! the chain there. Entries from the row digests on (`journal.row_digests`,
//! see `rows.rs`) always carry the format and then their row digests, twelve
//! fields in all, so the chain covers what each command left in the tables.
//!
//! [`verify`] checks the chain, every current row of the audited tables
//! against its last recorded digest (naming the table, the record and the
//! column that differ), rows that no entry recorded and recorded rows that
//! are gone, the highest sequence number ever given, and the signed head kept
//! outside the database (`anchor.rs`), which finds a deleted tail.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::anchor::HeadState;
use crate::error::Result;
use crate::journal::{Change, Recording};
use crate::rows::{self, AuditedTable};
use crate::session::{actor, Session};
use crate::Store;
use regdesk_domain::staff::Permission;
use regdesk_domain::FieldError;

/// The hash before the first entry.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// 审计链校验结果。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AuditReport {
    /// Entries checked.
    pub entries: u32,
    pub ok: bool,
    /// The sequence number of the first broken entry (or of the first deleted one at the end).
    pub first_broken: Option<u32>,
    pub message: String,
    /// Rows of the audited tables compared with their recorded digests.
    pub rows_checked: u32,
    /// What differs, the first [`MAX_PROBLEMS`] of them.
    pub problems: Vec<AuditProblem>,
    /// How many problems there are in all.
    pub problems_total: u32,
    /// The entry the signed head outside the database names, when it checked out.
    pub anchored_seq: Option<u32>,
    /// On an enrolled station, how the chain stood against the heads the
    /// office's server recorded (compared, or why it could not be asked);
    /// `None` on a station that works alone.
    pub server: Option<ServerComparison>,
}

/// The chain compared with the office's server ([`Store::verify_audit_with_server`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ServerComparison {
    /// The server answered and its recorded heads were compared.
    pub compared: bool,
    /// How many recorded heads were compared.
    pub heads: u32,
    /// What the comparison found or why it could not be made, in words.
    pub message: String,
}

/// How many problems a report lists.
pub const MAX_PROBLEMS: usize = 50;

/// 审计问题的类别。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AuditProblemKind {
    /// The hash chain is broken at an entry.
    Chain,
    /// Entries at the end were deleted (the anchor or the high-water mark is ahead of the database).
    TailDeleted,
    /// The anchor is missing, forged, or was lost since an entry.
    Anchor,
    /// A row differs from its last recorded digest.
    RowChanged,
    /// A row that no journal entry recorded (written behind the store's back).
    RowAdded,
    /// A row recorded as present that is gone (deleted behind the store's back).
    RowMissing,
    /// A kept count (`case_counts`, `registration_counts`) differs from a full count,
    /// or the kept list of certificates to print (`certificate_waiting`) from the cases and sheets.
    CountDiffers,
}

/// 一处审计问题。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AuditProblem {
    pub kind: AuditProblemKind,
    /// The table (SQL name) of a row problem.
    pub table: Option<String>,
    /// The row: a case's serial, a person's login name, else its key.
    pub record: Option<String>,
    /// The columns that differ, when they can be named.
    pub columns: Vec<String>,
    /// The entry concerned (chain, tail and anchor problems).
    pub seq: Option<u32>,
    pub message: String,
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

const JOURNAL_COLS: &str = "j.seq, j.id, j.station_id, j.staff_id, j.at, j.command, j.entity, j.entity_id, \
     j.entity_version, j.payload, j.payload_format, j.row_digests, j.origin_id, j.origin_station, j.office_seq";

/// The columns of `audit` follow the journal's in [`verify`]'s rows.
const A: usize = 15;

/// The command that re-sets the anchor on purpose (after a restore from backup).
pub(crate) const RESET_COMMAND: &str = "audit_anchor_reset";

/// The canonical content of a journal entry: a JSON array of its fields as stored
/// (`synced_at` is left out: sync sets it later), the payload format next
/// unless it is 1 (so that entries from before formats keep their hashes),
/// and the row digests last when the entry has them (the format is then
/// always there, so the field count tells the shapes apart). An entry that
/// applied a pulled one (sync) adds, as a thirteenth field, the pulled entry's
/// id, the station that made it and its place in the office's order; an entry of this station's own
/// keeps twelve (its office position, set when the server accepts it, is
/// left out like `synced_at`).
fn content_hash(row: &Row<'_>) -> rusqlite::Result<String> {
    let mut content = serde_json::json!([
        row.get::<_, i64>(0)?,
        row.get::<_, String>(1)?,
        row.get::<_, String>(2)?,
        row.get::<_, Option<String>>(3)?,
        row.get::<_, String>(4)?,
        row.get::<_, String>(5)?,
        row.get::<_, String>(6)?,
        row.get::<_, String>(7)?,
        row.get::<_, i64>(8)?,
        row.get::<_, String>(9)?,
    ]);
    let format: i64 = row.get(10)?;
    let digests: Option<String> = row.get(11)?;
    if let Some(fields) = content.as_array_mut() {
        if format != 1 || digests.is_some() {
            fields.push(format.into());
        }
        if let Some(d) = digests {
            fields.push(d.into());
        }
        let origin: Option<String> = row.get(12)?;
        if let Some(origin) = origin {
            fields.push(serde_json::json!([
                origin,
                row.get::<_, Option<String>>(13)?,
                row.get::<_, Option<i64>>(14)?
            ]));
        }
    }
    Ok(sha256_hex(content.to_string().as_bytes()))
}

/// Recomputes every content and entry hash of the chain from the journal as
/// it stands: what someone rewriting the journal with this program's own
/// code would do (tests of the server's record of the chain).
#[cfg(test)]
pub(crate) fn rehash_all(conn: &Connection) -> Result<()> {
    let seqs: Vec<i64> = conn
        .prepare("SELECT seq FROM audit ORDER BY seq")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut prev = GENESIS.to_string();
    for seq in seqs {
        let content = conn.query_row(
            &format!("SELECT {JOURNAL_COLS} FROM journal j WHERE j.seq = ?1"),
            [seq],
            content_hash,
        )?;
        let entry = entry_hash(&prev, &content);
        conn.execute(
            "UPDATE audit SET prev_hash = ?2, content_hash = ?3, entry_hash = ?4 WHERE seq = ?1",
            params![seq, prev, content, entry],
        )?;
        prev = entry;
    }
    Ok(())
}

fn entry_hash(prev: &str, content: &str) -> String {
    sha256_hex(format!("{prev}{content}").as_bytes())
}

/// Appends the audit entry of journal entry `seq`; returns its entry hash.
pub(crate) fn append(conn: &Connection, seq: i64, journal_id: &str) -> Result<String> {
    let prev: String = conn
        .query_row("SELECT entry_hash FROM audit ORDER BY seq DESC LIMIT 1", [], |r| {
            r.get(0)
        })
        .optional()?
        .unwrap_or_else(|| GENESIS.to_string());
    let content = conn.query_row(
        &format!("SELECT {JOURNAL_COLS} FROM journal j WHERE j.seq = ?1"),
        [seq],
        content_hash,
    )?;
    let entry = entry_hash(&prev, &content);
    conn.execute(
        "INSERT INTO audit (seq, journal_id, prev_hash, content_hash, entry_hash) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![seq, journal_id, prev, content, entry],
    )?;
    Ok(entry)
}

/// The last entry: its sequence number and entry hash.
pub(crate) fn head(conn: &Connection) -> Result<Option<(i64, String)>> {
    Ok(conn
        .query_row("SELECT seq, entry_hash FROM audit ORDER BY seq DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?)
}

/// The highest sequence number ever given (the database's own mark).
pub(crate) fn high_seq(conn: &Connection) -> Result<i64> {
    Ok(conn
        .query_row("SELECT high_seq FROM audit_state WHERE id = 1", [], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

pub(crate) fn set_high_seq(conn: &Connection, seq: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO audit_state (id, high_seq) VALUES (1, ?1) ON CONFLICT (id) DO UPDATE SET high_seq = excluded.high_seq",
    )?
    .execute([seq])?;
    Ok(())
}

/// Whether any entry before `seq` recorded row digests (from then on a head must be anchored).
pub(crate) fn digests_before(conn: &Connection, seq: i64) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM journal WHERE row_digests IS NOT NULL AND seq < ?1)",
        [seq],
        |r| r.get(0),
    )?)
}

fn to_u32(v: i64) -> Option<u32> {
    u32::try_from(v).ok()
}

/// The ranges of sequence numbers that deliberate anchor resets declared skipped.
fn declared_gaps(conn: &Connection) -> Result<Vec<(i64, i64)>> {
    let mut stmt = conn.prepare("SELECT payload FROM journal WHERE command = ?1")?;
    let payloads = stmt.query_map([RESET_COMMAND], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for p in payloads {
        let p: serde_json::Value = serde_json::from_str(&p?).unwrap_or_default();
        let ranges: Vec<(i64, i64)> = p
            .get("skipped")
            .cloned()
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default();
        out.extend(ranges);
    }
    Ok(out)
}

/// The gaps in the journal's sequence numbers that no reset has declared yet.
pub(crate) fn undeclared_gaps(conn: &Connection) -> Result<Vec<(i64, i64)>> {
    let declared = declared_gaps(conn)?;
    let mut stmt = conn.prepare(
        "SELECT j.seq, (SELECT MAX(p.seq) FROM journal p WHERE p.seq < j.seq) FROM journal j
         WHERE j.seq > 1 AND NOT EXISTS (SELECT 1 FROM journal q WHERE q.seq = j.seq - 1)",
    )?;
    let gaps = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Option<i64>>(1)?)))?;
    let mut out = Vec::new();
    for g in gaps {
        let (seq, prev) = g?;
        let range = (prev.unwrap_or(0) + 1, seq - 1);
        if !declared.contains(&range) {
            out.push(range);
        }
    }
    Ok(out)
}

/// What the chain says each row was last recorded as: (seq, digest or deleted).
type Recorded = HashMap<(String, String), (i64, Option<String>)>;

struct Findings {
    problems: Vec<AuditProblem>,
    total: u32,
}

impl Findings {
    fn push(&mut self, p: AuditProblem) {
        self.total += 1;
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(p);
        }
    }
}

fn chain_problem(seq: i64, why: &str) -> AuditProblem {
    AuditProblem {
        kind: AuditProblemKind::Chain,
        table: None,
        record: None,
        columns: Vec::new(),
        seq: to_u32(seq),
        message: format!("审计链在第 {seq} 条处断裂：{why}"),
    }
}

/// Walks the chain; returns the entries seen and the rows they recorded, or the first break.
fn walk(conn: &Connection, found: &mut Findings) -> Result<(u32, Recorded, Option<i64>)> {
    // A gap is allowed only where an administrator's anchor reset declared it.
    let declared = declared_gaps(conn)?;
    let mut stmt = conn.prepare(&format!(
        "SELECT {JOURNAL_COLS}, a.seq, a.journal_id, a.prev_hash, a.content_hash, a.entry_hash
         FROM journal j LEFT JOIN audit a ON a.seq = j.seq
         ORDER BY j.seq"
    ))?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_string();
    let mut count: u32 = 0;
    let mut expected_seq: i64 = 1;
    let mut recorded: Recorded = HashMap::new();
    while let Some(row) = rows.next()? {
        let seq: i64 = row.get(0)?;
        count += 1;
        if seq != expected_seq && !(seq > expected_seq && declared.contains(&(expected_seq, seq - 1))) {
            found.push(chain_problem(expected_seq, "该条记录缺失（被删除）"));
            return Ok((count, recorded, Some(expected_seq)));
        }
        expected_seq = seq + 1;
        let audit_seq: Option<i64> = row.get(A)?;
        if audit_seq.is_none() {
            found.push(chain_problem(seq, "日志条目没有对应的审计记录"));
            return Ok((count, recorded, Some(seq)));
        }
        let journal_id: String = row.get(1)?;
        let a_journal: String = row.get(A + 1)?;
        let a_prev: String = row.get(A + 2)?;
        let a_content: String = row.get(A + 3)?;
        let a_entry: String = row.get(A + 4)?;
        let why = if a_journal != journal_id {
            Some("审计记录指向了别的日志条目")
        } else if a_prev != prev {
            Some("前一条的哈希不符（前面的记录被改动、插入或删除）")
        } else if content_hash(row)? != a_content {
            Some("内容与其哈希不符（该条记录被改动）")
        } else if entry_hash(&a_prev, &a_content) != a_entry {
            Some("条目哈希不符（审计记录被改动）")
        } else {
            None
        };
        if let Some(why) = why {
            found.push(chain_problem(seq, why));
            return Ok((count, recorded, Some(seq)));
        }
        if let Some(text) = row.get::<_, Option<String>>(11)? {
            let items = rows::parse_recorded(&text).map_err(|e| crate::StoreError::Corrupt(e.to_string()))?;
            for r in items {
                recorded.insert((r.table, r.key), (seq, r.digest));
            }
        }
        prev = a_entry;
    }
    drop(rows);
    let orphan: Option<i64> = conn.query_row(
        "SELECT MIN(a.seq) FROM audit a WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.seq = a.seq)",
        [],
        |r| r.get(0),
    )?;
    if let Some(seq) = orphan {
        found.push(chain_problem(seq, "审计记录对应的日志条目已被删除"));
        return Ok((count, recorded, Some(seq)));
    }
    Ok((count, recorded, None))
}

/// A row's name in a report: a case's serial, a person's login name, else its key.
fn record_name(key: &str, names: &[String], row: &Row<'_>, offset: usize) -> String {
    for wanted in ["serial", "username"] {
        if let Some(i) = names.iter().position(|n| n == wanted) {
            if let Ok(Some(v)) = row.get::<_, Option<String>>(offset + i) {
                return v;
            }
        }
    }
    plain_key(key)
}

/// `["abc"]` → `abc`; a compound key stays as it is.
fn plain_key(key: &str) -> String {
    match serde_json::from_str::<Vec<serde_json::Value>>(key) {
        Ok(v) if v.len() == 1 => match &v[0] {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        },
        _ => key.to_string(),
    }
}

fn row_problem(kind: AuditProblemKind, t: &str, record: String, columns: Vec<String>) -> AuditProblem {
    let label = rows::table_label(t);
    let message = match kind {
        AuditProblemKind::RowChanged if !columns.is_empty() => {
            format!(
                "{label} {record} 的 {} 与审计记录不符（在本程序之外被改动）",
                columns.join("、")
            )
        }
        AuditProblemKind::RowChanged => format!("{label} {record} 的内容与审计记录不符（在本程序之外被改动）"),
        AuditProblemKind::RowAdded => format!("{label} {record} 不在审计记录中（在本程序之外被写入）"),
        _ => format!("{label} {record} 已不在数据库中，审计记录中它仍然存在（在本程序之外被删除）"),
    };
    AuditProblem {
        kind,
        table: Some(t.to_string()),
        record: Some(record),
        columns,
        seq: None,
        message,
    }
}

/// Compares every current row of `t` with what the chain recorded; returns the rows checked.
fn check_table(conn: &Connection, t: &AuditedTable, recorded: &mut Recorded, found: &mut Findings) -> Result<u32> {
    let lit = t.name.replace('\'', "''");
    let sql = format!(
        "SELECT q.*, r.seq, r.digest, r.hints FROM ({}) q
         LEFT JOIN audit_rows r ON r.tbl = '{lit}' AND r.key = q.k",
        t.select_all()
    );
    let mut stmt = conn.prepare(&sql)?;
    let total = stmt.column_count();
    let names: Vec<String> = stmt
        .column_names()
        .into_iter()
        .skip(1)
        .take(total.saturating_sub(4))
        .map(String::from)
        .collect();
    let n = names.len();
    let mut rows = stmt.query([])?;
    let mut checked: u32 = 0;
    while let Some(row) = rows.next()? {
        checked += 1;
        let key: String = row.get(0)?;
        let expected = recorded.remove(&(t.name.clone(), key.clone()));
        let Some((seq, Some(digest))) = expected else {
            found.push(row_problem(
                AuditProblemKind::RowAdded,
                &t.name,
                record_name(&key, &names, row, 1),
                Vec::new(),
            ));
            continue;
        };
        let r_seq: Option<i64> = row.get(1 + n)?;
        let r_digest: Option<String> = row.get(2 + n)?;
        let r_hints: Option<String> = row.get(3 + n)?;
        let hints: Vec<&str> = r_hints.as_deref().map(rows::split_hints).unwrap_or_default();
        // The digest covers the columns recorded (a later migration may add some at the end).
        let width = if hints.is_empty() { n } else { hints.len() };
        let trusted = r_seq == Some(seq) && r_digest.as_deref() == Some(digest.as_str());
        let (now, now_hints) = if width <= n {
            rows::digest_row(&t.name, &key, &names, row, 1, width)?
        } else {
            (String::new(), Vec::new())
        };
        if now == digest {
            continue;
        }
        let columns: Vec<String> = if trusted && width <= n {
            hints
                .iter()
                .zip(now_hints.iter())
                .zip(names.iter())
                .filter(|((a, b), _)| a != b)
                .map(|(_, name)| name.clone())
                .collect()
        } else {
            Vec::new()
        };
        found.push(row_problem(
            AuditProblemKind::RowChanged,
            &t.name,
            record_name(&key, &names, row, 1),
            columns,
        ));
    }
    Ok(checked)
}

/// Compares the kept case counts with a full count of the cases, naming each
/// queue, state, office and deadline day whose count differs.
fn check_counts(conn: &Connection, found: &mut Findings) -> Result<()> {
    for p in count_problems(conn)?
        .into_iter()
        .chain(registration_count_problems(conn)?)
        .chain(certificate_waiting_problems(conn)?)
    {
        found.push(p);
    }
    Ok(())
}

/// Every kept case count that differs from a full count of the cases.
pub(crate) fn count_problems(conn: &Connection) -> Result<Vec<AuditProblem>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare(
        "WITH actual AS (
             SELECT queue, state, office_key AS office, COALESCE(due_on, '') AS due_on, COUNT(*) AS n
             FROM cases GROUP BY 1, 2, 3, 4)
         SELECT COALESCE(k.queue, a.queue), COALESCE(k.state, a.state), COALESCE(k.office, a.office),
                COALESCE(k.due_on, a.due_on), COALESCE(k.n, 0), COALESCE(a.n, 0)
         FROM case_counts k FULL JOIN actual a
           ON a.queue = k.queue AND a.state = k.state AND a.office = k.office AND a.due_on = k.due_on
         WHERE COALESCE(k.n, 0) <> COALESCE(a.n, 0)
         ORDER BY 1, 2, 3, 4",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, i64>(4)?,
            r.get::<_, i64>(5)?,
        ))
    })?;
    for row in rows {
        let (queue, state, office, due_on, kept, actual) = row?;
        let queue_label = crate::codes::from_code::<regdesk_domain::queue::Queue>("队列", &queue)
            .map(|q| q.label().to_string())
            .unwrap_or(queue);
        let state_label = crate::codes::from_code::<regdesk_domain::lifecycle::CaseState>("案件状态", &state)
            .map(|s| s.label().to_string())
            .unwrap_or(state);
        let office = if office.is_empty() {
            "本机构".to_string()
        } else {
            format!("机构 {office}")
        };
        let due = if due_on.is_empty() {
            "无办结期限".to_string()
        } else {
            format!("办结期限 {due_on}")
        };
        let record = format!("{queue_label}·{state_label}·{office}·{due}");
        out.push(AuditProblem {
            kind: AuditProblemKind::CountDiffers,
            table: Some("case_counts".into()),
            message: format!("案件计数（{record}）记为 {kept} 件，逐件清点为 {actual} 件（计数表在本程序之外被改动）"),
            record: Some(record),
            columns: vec!["n".into()],
            seq: None,
        });
    }
    Ok(out)
}

/// Every kept registration count (`registration_counts`, migration 026) that
/// differs from a full count of the registration ledger.
pub(crate) fn registration_count_problems(conn: &Connection) -> Result<Vec<AuditProblem>> {
    let mut stmt = conn.prepare(
        "WITH actual AS (
             SELECT date(r.issued_at, '+8 hours') AS day, c.office_key AS office, c.category AS category,
                    r.state AS state, COALESCE(c.accepted_on, '') AS accepted_on, COUNT(*) AS n
             FROM registration_numbers r JOIN cases c ON c.id = r.case_id
             WHERE r.state IN ('used', 'revoked') GROUP BY 1, 2, 3, 4, 5),
         kept AS (SELECT * FROM registration_counts WHERE n <> 0)
         SELECT COALESCE(k.day, a.day), COALESCE(k.office, a.office), COALESCE(k.category, a.category),
                COALESCE(k.state, a.state), COALESCE(k.n, 0), COALESCE(a.n, 0)
         FROM kept k FULL JOIN actual a
           ON a.day = k.day AND a.office = k.office AND a.category = k.category AND a.state = k.state
          AND a.accepted_on = k.accepted_on
         WHERE COALESCE(k.n, 0) <> COALESCE(a.n, 0)
         ORDER BY 1, 2, 3, 4",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, i64>(4)?,
            r.get::<_, i64>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (day, office, category, state, kept, actual) = row?;
        let office = if office.is_empty() {
            "本机构".to_string()
        } else {
            format!("机构 {office}")
        };
        let category = regdesk_domain::category::WorkCategory::from_code(&category)
            .map(|c| c.label().to_string())
            .unwrap_or(category);
        let state = if state == "revoked" { "已撤销" } else { "有效" };
        let record = format!("{day}·{office}·{category}·{state}");
        out.push(AuditProblem {
            kind: AuditProblemKind::CountDiffers,
            table: Some("registration_counts".into()),
            message: format!(
                "登记计数（{record}）记为 {kept} 件，按登记号台账清点为 {actual} 件（计数表在本程序之外被改动）"
            ),
            record: Some(record),
            columns: vec!["n".into()],
            seq: None,
        });
    }
    Ok(out)
}

/// Every registration number that the kept list of certificates to print
/// (`certificate_waiting`, migration 032) holds and should not, or lacks:
/// the list must be exactly the registered cases with no printed sheet.
pub(crate) fn certificate_waiting_problems(conn: &Connection) -> Result<Vec<AuditProblem>> {
    let mut stmt = conn.prepare(
        "WITH actual AS (
             SELECT c.registration_number AS number, c.id AS case_id, c.applicant_name AS applicant_name,
                    c.category AS category, json_extract(c.draft, '$.delivery') AS delivery,
                    (SELECT date(n.issued_at, '+8 hours') FROM registration_numbers n
                     WHERE n.number = c.registration_number) AS registered_on
             FROM cases c
             WHERE c.state = 'registered' AND c.registration_number IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM certificate_sheets s
                               WHERE s.registration_number = c.registration_number AND s.state = 'printed'))
         SELECT COALESCE(k.registration_number, a.number), k.case_id IS NOT NULL, a.case_id IS NOT NULL
         FROM certificate_waiting k FULL JOIN actual a ON a.number = k.registration_number
         WHERE k.case_id IS NOT a.case_id OR k.applicant_name IS NOT a.applicant_name
            OR k.category IS NOT a.category OR k.delivery IS NOT a.delivery
            OR k.registered_on IS NOT a.registered_on
         ORDER BY 1",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?, r.get::<_, bool>(2)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (number, kept, actual) = row?;
        let what = match (kept, actual) {
            (true, false) => "列在待制证清单上，但案件不在已登记待制证状态或证书已打印",
            (false, true) => "应在待制证清单上（已登记、证书未打印），清单中没有",
            _ => "在待制证清单上记的案件、申请人、类别、领取方式或登记日期与案件和登记号台账不符",
        };
        out.push(AuditProblem {
            kind: AuditProblemKind::CountDiffers,
            table: Some("certificate_waiting".into()),
            message: format!("登记号 {number} {what}（清单在本程序之外被改动）"),
            record: Some(number),
            columns: vec!["case_id".into()],
            seq: None,
        });
    }
    Ok(out)
}

fn anchor_problem(kind: AuditProblemKind, seq: Option<i64>, message: String) -> AuditProblem {
    AuditProblem {
        kind,
        table: None,
        record: None,
        columns: Vec::new(),
        seq: seq.and_then(to_u32),
        message,
    }
}

/// The chain alone: converting a plain database to an encrypted one compares
/// it before and after.
pub(crate) fn verify_chain(conn: &Connection) -> Result<AuditReport> {
    let mut found = Findings {
        problems: Vec::new(),
        total: 0,
    };
    let (count, _, broken_at) = walk(conn, &mut found)?;
    let ok = found.total == 0;
    Ok(AuditReport {
        entries: count,
        ok,
        first_broken: broken_at.and_then(to_u32),
        message: match found.problems.first() {
            Some(p) => p.message.clone(),
            None => format!("审计链完整：共 {count} 条记录，逐条校验通过"),
        },
        rows_checked: 0,
        problems: found.problems,
        problems_total: found.total,
        anchored_seq: None,
        server: None,
    })
}

/// Walks the whole chain, then checks the rows and the anchor.
pub(crate) fn verify(store: &Store, conn: &Connection) -> Result<AuditReport> {
    let mut found = Findings {
        problems: Vec::new(),
        total: 0,
    };
    let (count, mut recorded, broken_at) = walk(conn, &mut found)?;
    let db_head = head(conn)?;
    let head_seq = db_head.as_ref().map_or(0, |h| h.0);
    let mut first_broken = broken_at;

    // The database's own high-water mark.
    let high = high_seq(conn)?;
    if high > head_seq {
        found.push(anchor_problem(
            AuditProblemKind::TailDeleted,
            Some(head_seq + 1),
            format!("审计记录的末尾被删除：曾写到第 {high} 条，数据库里只到第 {head_seq} 条"),
        ));
        first_broken.get_or_insert(head_seq + 1);
    }

    // The signed head outside the database, once every head this store
    // committed is written (or has failed to be).
    let mut anchored_seq = None;
    let anchor = &store.anchor;
    let unwritten = anchor.flush();
    match anchor.read(&store.station_id) {
        HeadState::Missing => {
            if digests_before(conn, i64::MAX)? {
                found.push(anchor_problem(
                    AuditProblemKind::Anchor,
                    None,
                    format!("审计锚点缺失（{}）：末尾是否被删除无从核对", anchor.describe()),
                ));
            }
        }
        HeadState::Invalid(why) => found.push(anchor_problem(
            AuditProblemKind::Anchor,
            None,
            format!("审计锚点无效（{}）：{why}", anchor.describe()),
        )),
        HeadState::Valid(h) => {
            if h.seq > head_seq {
                found.push(anchor_problem(
                    AuditProblemKind::TailDeleted,
                    Some(head_seq + 1),
                    format!(
                        "审计记录的末尾被删除：签名锚点记到第 {} 条，数据库里只到第 {head_seq} 条",
                        h.seq
                    ),
                ));
                first_broken.get_or_insert(head_seq + 1);
            } else {
                let at: Option<String> = conn
                    .query_row("SELECT entry_hash FROM audit WHERE seq = ?1", [h.seq], |r| r.get(0))
                    .optional()?;
                if at.as_deref() != Some(h.entry_hash.as_str()) {
                    found.push(anchor_problem(
                        AuditProblemKind::Anchor,
                        Some(h.seq),
                        format!("第 {} 条与签名锚点记下的不符（其后的记录被改写或删除）", h.seq),
                    ));
                    first_broken.get_or_insert(h.seq);
                } else {
                    anchored_seq = to_u32(h.seq);
                }
            }
            if let Some(since) = h.unanchored_since {
                found.push(anchor_problem(
                    AuditProblemKind::Anchor,
                    Some(since),
                    format!("写第 {since} 条时审计锚点缺失或无效，此前的末尾无从核对；请管理员核查后重设锚点"),
                ));
            }
        }
    }

    if let Some(why) = unwritten {
        found.push(anchor_problem(
            AuditProblemKind::Anchor,
            None,
            format!(
                "最近一次保存后审计锚点没有写进（{why}）：记录都已保存，锚点落在链后，末尾是否被删除只能核对到锚点记下的那一条；请检查数据目录所在磁盘的剩余空间与写权限，下一次保存会重写锚点"
            ),
        ));
    }

    // The rows, against a whole chain only (past a break every row would differ).
    let mut rows_checked: u32 = 0;
    if broken_at.is_none() {
        for t in &store.audited {
            rows_checked += check_table(conn, t, &mut recorded, &mut found)?;
        }
        let mut gone: Vec<_> = recorded
            .into_iter()
            .filter(|(_, (_, d))| d.is_some())
            .map(|((t, k), _)| (t, k))
            .collect();
        gone.sort();
        for (t, k) in gone {
            found.push(row_problem(AuditProblemKind::RowMissing, &t, plain_key(&k), Vec::new()));
        }
    }

    check_counts(conn, &mut found)?;

    let ok = found.total == 0;
    let message = if ok {
        format!("审计链完整：共 {count} 条记录，逐条校验通过；{rows_checked} 行数据与审计记录一致")
    } else {
        let first = found.problems.first().map(|p| p.message.clone()).unwrap_or_default();
        if found.total > 1 {
            format!("{first}（共 {} 处问题）", found.total)
        } else {
            first
        }
    };
    Ok(AuditReport {
        entries: count,
        ok,
        first_broken: first_broken.and_then(to_u32),
        message,
        rows_checked,
        problems: found.problems,
        problems_total: found.total,
        anchored_seq,
        server: None,
    })
}

/// 审计链的末条（打印在收费日报上，纸面也记下它）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
pub struct AuditHead {
    pub seq: u32,
    /// The first 16 hex digits of its entry hash.
    pub hash_prefix: String,
}

/// 重设审计锚点（管理员）：the reason is recorded in the journal.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, Serialize, TS)]
pub struct ResetAnchorInput {
    pub reason: String,
}

impl Store {
    /// The chain's last entry, for the day report (none before the first command).
    pub fn audit_head(&self) -> Result<Option<AuditHead>> {
        Ok(head(&self.conn())?.and_then(|(seq, hash)| {
            Some(AuditHead {
                seq: to_u32(seq)?,
                hash_prefix: hash.chars().take(16).collect(),
            })
        }))
    }

    /// Records every audited row of a database from before row digests, in
    /// one entry (`audit_baseline`), when it is first opened by this version:
    /// a database with entries none of which recorded rows. (A new database's
    /// first command records every row anyway.)
    pub(crate) fn audit_baseline(&self) -> Result<()> {
        let needed: bool = self.conn().query_row(
            "SELECT EXISTS (SELECT 1 FROM journal) AND NOT EXISTS (SELECT 1 FROM journal WHERE row_digests IS NOT NULL)",
            [],
            |r| r.get(0),
        )?;
        if !needed {
            return Ok(());
        }
        let entries_before = self
            .conn()
            .query_row("SELECT COUNT(*) FROM journal", [], |r| r.get::<_, i64>(0))?;
        let station = self.station_id.clone();
        self.run_recording(None, "audit_baseline", Recording::All, |_tx, _now| {
            let change = Change {
                entity: "audit",
                entity_id: station,
                version: 1,
                payload: serde_json::json!({ "entries_before": entries_before }),
            };
            Ok((change, ()))
        })
    }

    /// 重设审计锚点（管理员）: after a restore from backup, or once an
    /// administrator has looked into a missing or invalid anchor, the signed
    /// head is set to a new entry that records the reason, what the anchor
    /// and the database held, and the ranges of sequence numbers skipped
    /// (numbers already given are never given again: the restore must leave
    /// the current anchor file in place, so the entries made after it take
    /// numbers past those given since the backup). `audit verify` accepts
    /// exactly the gaps a reset declared.
    pub fn reset_audit_anchor(&self, session: &Session, input: &ResetAnchorInput) -> Result<AuditReport> {
        let admin = actor(
            &self.conn(),
            self.now(),
            Some(session),
            Some(Permission::ManageSettings),
        )?;
        let reason = input.reason.trim();
        if reason.is_empty() {
            return Err(FieldError::new(
                "reason",
                "required",
                "请填写重设审计锚点的原因（例如：从某日的备份恢复）",
            )
            .into());
        }
        self.reset_anchor(Some(admin.id()), reason)?;
        self.verify_audit()
    }

    /// Re-sets the signed head to the chain as it now is, declaring any gap and
    /// the head it replaces, with the reason, in one journal entry: an admin's
    /// deliberate reset, or (no person) a restore from backup.
    pub(crate) fn reset_anchor(&self, by: Option<&str>, reason: &str) -> Result<()> {
        let anchor = &self.anchor;
        let station = self.station_id.clone();
        self.run_recording(by, RESET_COMMAND, Recording::ResetAnchor, |tx, _now| {
            let state = anchor.read(&station);
            let db_head = head(tx)?.map_or(0, |h| h.0);
            let next = self.next_seq(tx, Some(&state))?;
            let before = match &state {
                HeadState::Missing => serde_json::json!({ "state": "missing" }),
                HeadState::Invalid(why) => serde_json::json!({ "state": "invalid", "why": why }),
                HeadState::Valid(h) => serde_json::json!({
                    "state": "valid", "seq": h.seq, "entry_hash": h.entry_hash,
                    "unanchored_since": h.unanchored_since,
                }),
            };
            let mut skipped = undeclared_gaps(tx)?;
            if next > db_head + 1 {
                skipped.push((db_head + 1, next - 1));
            }
            let change = Change {
                entity: "audit",
                entity_id: station.clone(),
                version: next,
                payload: serde_json::json!({
                    "reason": reason, "database_head": db_head, "anchor_before": before, "skipped": skipped,
                }),
            };
            Ok((change, ()))
        })?;
        Ok(())
    }

    /// Waits until the signed head of every command this store committed is
    /// written outside the database (it is written off the command's path,
    /// `anchor.rs`), and says why the last write failed, if it did.
    pub fn flush_audit_anchor(&self) -> Option<String> {
        self.anchor.flush()
    }

    /// `regdesk audit verify`: walks the chain from the first entry.
    pub fn verify_audit(&self) -> Result<AuditReport> {
        verify(self, &self.conn())
    }

    /// [`Store::verify_audit`], and the chain compared with the heads the
    /// office's server recorded as this station pushed (`heads`, by place):
    /// an entry the server saw that is gone here (the journal's tail deleted),
    /// or one whose hash differs (the journal rewritten, even with every hash
    /// recomputed) is named, with the last place that still agrees.
    pub fn verify_audit_with_server(&self, heads: &[regdesk_sync::protocol::RecordedHead]) -> Result<AuditReport> {
        let conn = self.conn();
        let mut report = verify(self, &conn)?;
        let mut agreed: Option<i64> = None;
        let mut found = Vec::new();
        for h in heads {
            let here: Option<String> = conn
                .query_row("SELECT entry_hash FROM audit WHERE seq = ?1", [h.seq], |r| r.get(0))
                .optional()?;
            let at = h.recorded_at.format("%Y-%m-%d %H:%M:%S UTC");
            let since = match agreed {
                Some(a) => format!("第 {} 至 {} 条之间", a + 1, h.seq),
                None => format!("第 {} 条或其之前", h.seq),
            };
            match here {
                Some(hash) if hash == h.entry_hash => agreed = Some(h.seq),
                Some(hash) => found.push(anchor_problem(
                    AuditProblemKind::Chain,
                    Some(h.seq),
                    format!(
                        "第 {} 条记录的哈希与服务器于 {at} 记下的不同（本机 {}…，服务器 {}…）：本机日志在{since}被改写过",
                        h.seq,
                        hash.get(..16).unwrap_or(&hash),
                        h.entry_hash.get(..16).unwrap_or(&h.entry_hash)
                    ),
                )),
                None => found.push(anchor_problem(
                    AuditProblemKind::TailDeleted,
                    Some(h.seq),
                    format!(
                        "服务器于 {at} 记下本工作站的审计链已到第 {} 条，本机却没有这一条：日志的末尾（或这一条）被删除",
                        h.seq
                    ),
                )),
            }
        }
        let heads_n = u32::try_from(heads.len()).unwrap_or(u32::MAX);
        report.server = Some(ServerComparison {
            compared: true,
            heads: heads_n,
            message: match (heads.last(), found.first()) {
                (_, Some(p)) => format!("与服务器记下的 {heads_n} 个链头核对：{}", p.message),
                (Some(last), None) => format!(
                    "与服务器记下的 {heads_n} 个链头核对一致（服务器最近记下第 {} 条）",
                    last.seq
                ),
                (None, None) => "服务器尚未记下本工作站的审计链：同步一次后可与服务器核对".to_string(),
            },
        });
        if let Some(first) = found.first() {
            report.ok = false;
            let seq = first.seq;
            if report.first_broken.is_none() || seq < report.first_broken {
                report.first_broken = seq;
            }
            if report.problems_total == 0 {
                report.message = first.message.clone();
            }
            report.problems_total += u32::try_from(found.len()).unwrap_or(u32::MAX);
            let room = MAX_PROBLEMS.saturating_sub(report.problems.len());
            report.problems.extend(found.into_iter().take(room));
            if report.problems_total > 1 && !report.message.contains("处问题") {
                report.message = format!("{}（共 {} 处问题）", report.message, report.problems_total);
            }
        }
        Ok(report)
    }

    /// The audit check of 管理 → 审计 (who may view the audit): on an
    /// enrolled station `server` is what the office's server answered — its
    /// recorded heads (`Ok(Some)`) compared as [`Store::verify_audit_with_server`]
    /// does, or why it could not be asked (`Err`), the local check then
    /// standing alone and saying so; `Ok(None)` on a station that works alone.
    pub fn verify_audit_against(
        &self,
        session: &Session,
        server: std::result::Result<Option<Vec<regdesk_sync::protocol::RecordedHead>>, String>,
    ) -> Result<AuditReport> {
        actor(&self.conn(), self.now(), Some(session), Some(Permission::ViewAudit))?;
        match server {
            Ok(None) => self.verify_audit(),
            Ok(Some(heads)) => self.verify_audit_with_server(&heads),
            Err(why) => {
                let mut r = self.verify_audit()?;
                r.server = Some(ServerComparison {
                    compared: false,
                    heads: 0,
                    message: format!(
                        "无法向服务器核对本工作站的审计链（{why}）：以上只是本机的校验，联网后请再校验一次"
                    ),
                });
                Ok(r)
            }
        }
    }

    /// How many journal entries wait for sync.
    pub fn pending_sync(&self) -> Result<u32> {
        Ok(self
            .conn()
            .query_row("SELECT COUNT(*) FROM journal WHERE synced_at IS NULL", [], |r| r.get(0))?)
    }
}
