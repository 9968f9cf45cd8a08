//! The audit chain. Each entry holds the SHA-256 of its own content (the
//! journal entry it stands for, field by field) and of the previous entry;
//! its own entry hash is SHA-256(prev_hash ‖ content_hash). Altering,
//! inserting or removing any entry but the last breaks the chain there.
//!
//! The payload's format is part of the content, as an eleventh field, only
//! when it is not 1: every entry written before formats existed (format 1)
//! keeps the hash it was given, and changing any entry's format still breaks
//! the chain there.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::Result;
use crate::Store;

/// The hash before the first entry.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// 审计链校验结果。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AuditReport {
    /// Entries checked.
    pub entries: u32,
    pub ok: bool,
    /// The sequence number of the first broken entry.
    pub first_broken: Option<u32>,
    pub message: String,
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

const JOURNAL_COLS: &str = "j.seq, j.id, j.station_id, j.staff_id, j.at, j.command, j.entity, j.entity_id, \
     j.entity_version, j.payload, j.payload_format";

/// The columns of `audit` follow the journal's in [`verify`]'s rows.
const A: usize = 11;

/// The canonical content of a journal entry: a JSON array of its fields as stored
/// (`synced_at` is left out: sync sets it later), the payload format last
/// unless it is 1 (so that entries from before formats keep their hashes).
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
    if format != 1 {
        if let Some(fields) = content.as_array_mut() {
            fields.push(format.into());
        }
    }
    Ok(sha256_hex(content.to_string().as_bytes()))
}

fn entry_hash(prev: &str, content: &str) -> String {
    sha256_hex(format!("{prev}{content}").as_bytes())
}

pub(crate) fn append(conn: &Connection, seq: i64, journal_id: &str) -> Result<()> {
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
    Ok(())
}

/// Walks the whole chain.
pub(crate) fn verify(conn: &Connection) -> Result<AuditReport> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {JOURNAL_COLS}, a.seq, a.journal_id, a.prev_hash, a.content_hash, a.entry_hash
         FROM journal j LEFT JOIN audit a ON a.seq = j.seq
         ORDER BY j.seq"
    ))?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_string();
    let mut count: u32 = 0;
    let mut expected_seq: i64 = 1;
    let broken = |seq: i64, count: u32, why: String| AuditReport {
        entries: count,
        ok: false,
        first_broken: u32::try_from(seq).ok(),
        message: format!("审计链在第 {seq} 条处断裂：{why}"),
    };
    while let Some(row) = rows.next()? {
        let seq: i64 = row.get(0)?;
        count += 1;
        if seq != expected_seq {
            return Ok(broken(expected_seq, count, "该条记录缺失（被删除）".into()));
        }
        expected_seq += 1;
        let audit_seq: Option<i64> = row.get(A)?;
        if audit_seq.is_none() {
            return Ok(broken(seq, count, "日志条目没有对应的审计记录".into()));
        }
        let journal_id: String = row.get(1)?;
        let a_journal: String = row.get(A + 1)?;
        let a_prev: String = row.get(A + 2)?;
        let a_content: String = row.get(A + 3)?;
        let a_entry: String = row.get(A + 4)?;
        if a_journal != journal_id {
            return Ok(broken(seq, count, "审计记录指向了别的日志条目".into()));
        }
        if a_prev != prev {
            return Ok(broken(
                seq,
                count,
                "前一条的哈希不符（前面的记录被改动、插入或删除）".into(),
            ));
        }
        if content_hash(row)? != a_content {
            return Ok(broken(seq, count, "内容与其哈希不符（该条记录被改动）".into()));
        }
        if entry_hash(&a_prev, &a_content) != a_entry {
            return Ok(broken(seq, count, "条目哈希不符（审计记录被改动）".into()));
        }
        prev = a_entry;
    }
    drop(rows);
    let orphans: i64 = conn.query_row(
        "SELECT COUNT(*) FROM audit a WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.seq = a.seq)",
        [],
        |r| r.get(0),
    )?;
    if orphans > 0 {
        let seq: i64 = conn.query_row(
            "SELECT MIN(a.seq) FROM audit a WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.seq = a.seq)",
            [],
            |r| r.get(0),
        )?;
        return Ok(broken(seq, count, "审计记录对应的日志条目已被删除".into()));
    }
    Ok(AuditReport {
        entries: count,
        ok: true,
        first_broken: None,
        message: format!("审计链完整：共 {count} 条记录，逐条校验通过"),
    })
}

impl Store {
    /// `regdesk audit verify`: walks the chain from the first entry.
    pub fn verify_audit(&self) -> Result<AuditReport> {
        verify(&self.conn())
    }

    /// How many journal entries wait for sync.
    pub fn pending_sync(&self) -> Result<u32> {
        Ok(self
            .conn()
            .query_row("SELECT COUNT(*) FROM journal WHERE synced_at IS NULL", [], |r| r.get(0))?)
    }
}
