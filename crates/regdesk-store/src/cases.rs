//! Filings at the counter (作品填报): drafts saved at any point, submission
//! for signing, signatures in order, the case serial, and case search.
//! Every transition goes through the domain's `lifecycle::execute`.

use chrono::{DateTime, NaiveDate, Utc};
use regdesk_domain::filing::FilingDraft;
use regdesk_domain::lifecycle::{self, CaseCommand, CaseFacts, CaseState};
use regdesk_domain::party::PartyContext;
use regdesk_domain::queue::{stage_of, Stage};
use regdesk_domain::signature::{
    fingerprint, signers, signing_sheet, ContentFingerprint, Fnv1a64, SignatureMethod, SignerLine, SignerRef,
};
use regdesk_domain::staff::{Desk, Permission};
use regdesk_domain::stored::{self, DRAFT_FORMAT, FACTS_FORMAT};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

use crate::codes::{code, from_code};
use crate::error::{Result, StoreError};
use crate::journal::{uuid_v7, Change};
use crate::session::{actor, Session};
use crate::Store;

/// 案件详情（受理台）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CaseDetail {
    pub id: String,
    /// 流水号
    pub serial: String,
    pub state: CaseState,
    pub state_label: String,
    pub stage: Stage,
    /// The counter may still change the filing.
    pub editable: bool,
    /// Saving a change now voids the signatures (the screen asks first).
    pub edit_voids_signatures: bool,
    /// 已登记（证书已生成，可撤销登记）
    pub registered: bool,
    /// The review desk that decides the case now (初审 / 终审), if any.
    pub decided_at: Option<regdesk_domain::staff::Desk>,
    /// A notice (补正通知书 / 不予登记通知书) can be printed in this state.
    pub has_notice: bool,
    /// Everyone signed again in a correction round: the counter may resubmit.
    pub awaits_resubmission: bool,
    /// 待编号: registered on a station enrolled with the central server, the
    /// registration number not yet come from the server (no certificate until it does).
    pub number_pending: bool,
    /// The case was accepted (payment confirmed, clock started): its 受理通知书
    /// exists (`Store::acceptance_notice_pdf`).
    pub has_acceptance_notice: bool,
    /// Not finished and not registered: the applicant may still withdraw it (撤回).
    pub withdrawable: bool,
    #[ts(type = "number")]
    pub version: i64,
    pub applicant_id: Option<String>,
    pub applicant_name: String,
    /// The filing. Its ID numbers and postal address are masked
    /// (`privacy::mask_draft`) unless `revealed`.
    pub draft: FilingDraft,
    /// The draft carries the full ID numbers and address: read by
    /// `reveal_case` (the reveal, the counter's edit form), and logged.
    pub revealed: bool,
    /// 签章表（提交签章后）
    pub signing: Vec<SignerLine>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub accepted_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub registration_number: Option<String>,
    /// Entries about this case the central server rejected, still in 需处理:
    /// the case shows the server's record with a banner linking to the inbox.
    pub sync_inbox: u32,
    /// A case of another office this station sees (a supervisor's station
    /// sees its subordinate offices' cases): why it may only look, in
    /// Chinese. Then nothing is editable or withdrawable here.
    pub read_only: Option<String>,
}

/// 暂存：新建（无 case_id）或保存已有草稿。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SaveDraftInput {
    pub case_id: Option<String>,
    #[ts(type = "number | null")]
    pub version: Option<i64>,
    pub applicant_id: Option<String>,
    pub draft: FilingDraft,
}

/// 对某案件的操作（带读到的版本）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CaseRef {
    pub case_id: String,
    #[ts(type = "number")]
    pub version: i64,
}

/// 记录签章。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RecordSignatureInput {
    pub case_id: String,
    #[ts(type = "number")]
    pub version: i64,
    pub signer: SignerRef,
    pub method: SignatureMethod,
}

/// 改变权利归属方式前：哪些当事人将不再适合。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AttributionCheckInput {
    pub draft: FilingDraft,
    pub attribution: regdesk_domain::work::Attribution,
}

/// 按流水号或编号打开案件。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CaseKey {
    /// 案件编号或流水号
    pub key: String,
}

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A short, readable code for this workstation, from the random bits of its id:
/// serials from different stations never collide without any coordination.
pub fn station_code(station_id: &str) -> String {
    let hex: String = station_id.chars().filter(char::is_ascii_hexdigit).collect();
    let tail = hex.get(hex.len().saturating_sub(5)..).unwrap_or("0");
    let n = u32::from_str_radix(tail, 16).unwrap_or(0);
    (0..4)
        .rev()
        .map(|i| CROCKFORD[((n >> (i * 5)) & 31) as usize] as char)
        .collect()
}

pub(crate) struct Row {
    pub(crate) id: String,
    pub(crate) serial: String,
    pub(crate) state: CaseState,
    pub(crate) version: i64,
    pub(crate) applicant_id: Option<String>,
    pub(crate) applicant_name: String,
    pub(crate) draft: FilingDraft,
    pub(crate) facts: CaseFacts,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) updated_at: DateTime<Utc>,
    pub(crate) accepted_on: Option<NaiveDate>,
    pub(crate) due_on: Option<NaiveDate>,
    pub(crate) registration_number: Option<String>,
}

pub(crate) fn corrupt(e: serde_json::Error) -> StoreError {
    StoreError::Corrupt(format!("案件数据无法读取：{e}"))
}

/// A case's draft as stored (`cases.draft` in `cases.draft_format`), read through the upgrade chain.
pub(crate) fn read_draft(format: i64, json: &str) -> Result<FilingDraft> {
    Ok(stored::read_draft(format, json)?)
}

/// A case's facts as stored (`cases.facts` in `cases.facts_format`), read through the upgrade chain.
pub(crate) fn read_facts(format: i64, json: &str) -> Result<CaseFacts> {
    Ok(stored::read_facts(format, json)?)
}

pub(crate) fn load(conn: &Connection, key: &str) -> Result<Row> {
    load_where(conn, "id = ?1 OR serial = ?1 OR registration_number = ?1", key.trim())
}

/// The case with the ID `id` (only the ID: one index look-up, the statement
/// cached, for applying many rows).
pub(crate) fn load_by_id(conn: &Connection, id: &str) -> Result<Row> {
    load_where(conn, "id = ?1", id)
}

fn load_where(conn: &Connection, condition: &str, key: &str) -> Result<Row> {
    let raw = conn
        .prepare_cached(&format!(
            "SELECT id, serial, state, version, applicant_id, applicant_name, draft, facts, created_at, updated_at,
                    accepted_on, due_on, registration_number, draft_format, facts_format
             FROM cases WHERE {condition}"
        ))?
        .query_row([key], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, DateTime<Utc>>(8)?,
                r.get::<_, DateTime<Utc>>(9)?,
                r.get::<_, Option<NaiveDate>>(10)?,
                r.get::<_, Option<NaiveDate>>(11)?,
                r.get::<_, Option<String>>(12)?,
                r.get::<_, i64>(13)?,
                r.get::<_, i64>(14)?,
            ))
        })
        .optional()?
        .ok_or_else(|| StoreError::NotFound {
            what: "案件",
            id: key.to_string(),
        })?;
    Ok(Row {
        id: raw.0,
        serial: raw.1,
        state: from_code("案件状态", &raw.2)?,
        version: raw.3,
        applicant_id: raw.4,
        applicant_name: raw.5,
        draft: read_draft(raw.13, &raw.6)?,
        facts: read_facts(raw.14, &raw.7)?,
        created_at: raw.8,
        updated_at: raw.9,
        accepted_on: raw.10,
        due_on: raw.11,
        registration_number: raw.12,
    })
}

/// The case as every view shows it: ID numbers and address masked.
pub(crate) fn detail(r: Row) -> CaseDetail {
    let mut d = detail_full(r);
    regdesk_domain::privacy::mask_signers(&mut d.signing, &d.draft);
    d.draft = regdesk_domain::privacy::mask_draft(&d.draft);
    d.revealed = false;
    d
}

/// The case with the full ID numbers and address: only for a logged read (`reveal_case`).
pub(crate) fn detail_full(r: Row) -> CaseDetail {
    CaseDetail {
        revealed: true,
        signing: signing_sheet(&r.facts.signers, &r.facts.signatures),
        state_label: r.state.label().to_string(),
        stage: stage_of(r.state),
        editable: r.state.filing_editable(),
        edit_voids_signatures: r.state.edit_voids_signatures(),
        registered: r.state.is_registered(),
        decided_at: r.state.decided_at(),
        has_notice: r.state.has_notice(),
        awaits_resubmission: r.facts.awaits_resubmission(),
        number_pending: r.state.is_registered() && r.registration_number.is_none(),
        has_acceptance_notice: r.accepted_on.is_some(),
        withdrawable: r.state.is_open(),
        id: r.id,
        serial: r.serial,
        state: r.state,
        version: r.version,
        applicant_id: r.applicant_id,
        applicant_name: r.applicant_name,
        draft: r.draft,
        created_at: r.created_at,
        updated_at: r.updated_at,
        accepted_on: r.accepted_on,
        due_on: r.due_on,
        registration_number: r.registration_number,
        sync_inbox: 0,
        read_only: None,
    }
}

/// How many rejected entries about case `id` wait in 需处理.
pub(crate) fn inbox_count(conn: &Connection, id: &str) -> Result<u32> {
    Ok(conn
        .prepare_cached(
            "SELECT COUNT(*) FROM sync_inbox WHERE closed_at IS NULL
                 AND json_extract(entry, '$.entity') = 'case' AND json_extract(entry, '$.entity_id') = ?1",
        )?
        .query_row([id], |r| r.get(0))?)
}

pub(crate) fn at_version(conn: &Connection, id: &str, version: i64) -> Result<Row> {
    let r = load(conn, id)?;
    StoreError::check_version("该案件", version, r.version)?;
    Ok(r)
}

/// The signed-content fingerprint of a draft: of the checked filing when it
/// converts, else of the draft's text (so any change still counts as a change).
pub(crate) fn draft_fingerprint(draft: &FilingDraft, ctx: &PartyContext) -> ContentFingerprint {
    match draft.to_filing(ctx, &|_| true) {
        Ok(f) => fingerprint(&f),
        Err(_) => {
            let mut h = Fnv1a64::default();
            h.write(serde_json::to_string(draft).unwrap_or_default().as_bytes());
            ContentFingerprint(format!("draft-{:016x}", h.finish()))
        }
    }
}

/// The words a case can be found by.
fn search_body(serial: &str, applicant: &str, d: &FilingDraft, regno: Option<&str>) -> String {
    let mut parts: Vec<&str> = vec![serial, applicant, d.work.title.as_str()];
    for o in &d.owners {
        parts.push(&o.name);
        parts.push(&o.id_number);
    }
    for a in &d.authors {
        parts.push(&a.name);
        parts.push(&a.signed_name);
    }
    if let Some(w) = &d.writer {
        parts.push(&w.name);
        parts.push(&w.id_number);
    }
    if let Some(r) = regno {
        parts.push(r);
    }
    parts
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The row id of a case's search entry, made where the case is indexed (each
/// time it changes) and then carried with the case row to every station: the
/// milliseconds of the change then 15 bits of SHA-256 of the case id, so the
/// cases changed last sort last (a search lists them first) and two stations
/// almost never pick one number.
pub(crate) fn new_search_rowid(
    conn: &rusqlite::Connection,
    case_id: &str,
    at: DateTime<Utc>,
    old: Option<i64>,
) -> Result<i64> {
    use sha2::{Digest, Sha256};
    let d = Sha256::digest(format!("regdesk-search\0{case_id}").as_bytes());
    let low = i64::from(u16::from_be_bytes([d[0], d[1]]) >> 1);
    let ms = at.timestamp_millis().max(0);
    // Past every entry here too, should the clock be behind them.
    let last: i64 = conn
        .query_row("SELECT rowid FROM case_search ORDER BY rowid DESC LIMIT 1", [], |r| {
            r.get(0)
        })
        .optional()?
        .unwrap_or(0);
    let rowid = (ms << 15 | low).max(old.map_or(1, |o| o + 1)).max(last + 1);
    Ok(rowid)
}

/// The search entries of cases whose rows came from the server (they are
/// this station's own and follow the rows), many cases at once: the entries `old`
/// taken away, then those of the cases `ids` written as their rows now
/// stand, one statement per index for all of them.
pub(crate) fn reindex_batch(conn: &rusqlite::Connection, old: &[i64], ids: &[&str]) -> Result<()> {
    let mut entries: Vec<serde_json::Value> = Vec::with_capacity(ids.len());
    let mut rowids: Vec<i64> = old.to_vec();
    for id in ids {
        let named: Option<(Option<i64>, Option<String>)> = conn
            .prepare_cached("SELECT search_rowid, queue FROM cases WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((Some(rowid), queue)) = named else {
            continue;
        };
        let r = load_by_id(conn, id)?;
        let body = search_body(&r.serial, &r.applicant_name, &r.draft, r.registration_number.as_deref());
        rowids.push(rowid);
        entries.push(serde_json::json!([rowid, id, body, queue]));
    }
    entries.sort_by_key(|e| e[0].as_i64());
    let rowids = json_text(&serde_json::json!(rowids))?;
    for table in SEARCH_INDEXES {
        conn.prepare_cached(&format!(
            "DELETE FROM {table} WHERE rowid IN (SELECT value FROM json_each(?1))"
        ))?
        .execute([&rowids])?;
    }
    write_search_entries(conn, entries)
}

/// The three search indexes of a case, each a full-text table.
const SEARCH_INDEXES: [&str; 3] = ["case_search", "case_grams", "case_queue_search"];

fn json_text(v: &serde_json::Value) -> Result<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Writes search entries `[rowid, case id, search text, queue]` into the three
/// indexes, one statement per index for all of them. In ascending row id
/// order: FTS5 writes out what it holds in memory whenever a row id comes
/// below the last one written, so entries out of order would each make a
/// segment of their own.
fn write_search_entries(conn: &rusqlite::Connection, entries: Vec<serde_json::Value>) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let entries = json_text(&serde_json::Value::Array(entries))?;
    conn.prepare_cached(
        "INSERT INTO case_search (rowid, case_id, body)
         SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]')
         FROM json_each(?1)",
    )?
    .execute([&entries])?;
    conn.prepare_cached(
        "INSERT INTO case_grams (rowid, grams)
         SELECT json_extract(value, '$[0]'), regdesk_grams(json_extract(value, '$[2]')) FROM json_each(?1)",
    )?
    .execute([&entries])?;
    conn.prepare_cached(
        "INSERT INTO case_queue_search (rowid, grams, tris)
         SELECT json_extract(value, '$[0]'), regdesk_queue_grams(json_extract(value, '$[3]'), json_extract(value, '$[2]')),
                regdesk_queue_trigrams(json_extract(value, '$[3]'), json_extract(value, '$[2]'))
         FROM json_each(?1)",
    )?
    .execute([&entries])?;
    Ok(())
}

/// How much of its terms a full-text index holds in memory before writing
/// them out as a segment (FTS5's `hashsize`, 1 MiB by default), while
/// [`reindex_all`] fills it: each statement's terms in one segment.
const FILL_HASH_BYTES: i64 = 64 * 1024 * 1024;
const DEFAULT_HASH_BYTES: i64 = 1024 * 1024;

/// Cases whose search entries [`reindex_all`] writes with one statement per
/// index. Each statement leaves a segment in the index's lowest level, and
/// FTS5 merges a level once it holds 16 (migration 033): segments of this
/// size are merged during the fill, so the desk's later saves, each adding a
/// small segment, merge small ones. One segment of the whole office would
/// wait in the lowest level to be merged, all of it, by the sixteenth save
/// after the first sync (most of a second).
const FILL_CASES: usize = 5_000;

/// Writes the search entries of every case anew, as the rows stand: what a
/// station's first sync does once its last snapshot page is in (the pages
/// themselves write none). One statement per index for every [`FILL_CASES`]
/// cases, in row id order.
pub(crate) fn reindex_all(conn: &rusqlite::Connection) -> Result<()> {
    conn.execute("DELETE FROM case_search", [])?;
    conn.execute("INSERT INTO case_grams (case_grams) VALUES ('delete-all')", [])?;
    conn.execute(
        "INSERT INTO case_queue_search (case_queue_search) VALUES ('delete-all')",
        [],
    )?;
    let mut entries: Vec<serde_json::Value> = Vec::new();
    {
        let mut stmt = conn.prepare(
            "SELECT search_rowid, id, serial, applicant_name, draft_format, draft, registration_number, queue
             FROM cases WHERE search_rowid IS NOT NULL ORDER BY search_rowid",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let rowid: i64 = r.get(0)?;
            let id: String = r.get(1)?;
            let serial: String = r.get(2)?;
            let applicant: String = r.get(3)?;
            let draft = read_draft(r.get(4)?, r.get_ref(5)?.as_str().map_err(rusqlite::Error::from)?)?;
            let regno: Option<String> = r.get(6)?;
            let queue: Option<String> = r.get(7)?;
            let body = search_body(&serial, &applicant, &draft, regno.as_deref());
            entries.push(serde_json::json!([rowid, id, body, queue]));
        }
    }
    let hash = |bytes: i64| -> Result<()> {
        for table in SEARCH_INDEXES {
            conn.execute(
                &format!("INSERT INTO {table} ({table}, rank) VALUES ('hashsize', ?1)"),
                [bytes],
            )?;
        }
        Ok(())
    };
    hash(FILL_HASH_BYTES)?;
    let written = (|| {
        let mut entries = entries.into_iter().peekable();
        while entries.peek().is_some() {
            write_search_entries(conn, entries.by_ref().take(FILL_CASES).collect())?;
        }
        Ok::<_, StoreError>(())
    })();
    let restored = hash(DEFAULT_HASH_BYTES);
    written?;
    restored
}

fn reindex(tx: &Transaction<'_>, r: &Row) -> Result<()> {
    // Every statement cached: a save runs them all, and preparing them again
    // each time was a tenth of a save's time at the design volume.
    let old: Option<i64> = tx
        .prepare_cached("SELECT search_rowid FROM cases WHERE id = ?1")?
        .query_row([&r.id], |row| row.get(0))
        .optional()?
        .flatten();
    if let Some(old) = old {
        tx.prepare_cached("DELETE FROM case_search WHERE rowid = ?1")?
            .execute([old])?;
        crate::grams::remove(tx, old)?;
    }
    let body = search_body(&r.serial, &r.applicant_name, &r.draft, r.registration_number.as_deref());
    let rowid = new_search_rowid(tx, &r.id, r.updated_at, old)?;
    tx.prepare_cached("INSERT INTO case_search (rowid, case_id, body) VALUES (?3, ?1, ?2)")?
        .execute(params![r.id, body, rowid])?;
    crate::grams::put(tx, rowid, &body)?;
    tx.prepare_cached("UPDATE cases SET search_rowid = ?2 WHERE id = ?1")?
        .execute(params![r.id, rowid])?;
    tx.prepare_cached("DELETE FROM case_identity_files WHERE case_id = ?1")?
        .execute([&r.id])?;
    let party_files = r
        .draft
        .owners
        .iter()
        .flat_map(|o| o.files.iter())
        .chain(r.draft.writer.iter().flat_map(|w| w.files.iter()));
    for f in party_files {
        tx.prepare_cached("INSERT OR IGNORE INTO case_identity_files (case_id, file_id) VALUES (?1, ?2)")?
            .execute(params![r.id, f.file_id])?;
    }
    Ok(())
}

fn refused(e: lifecycle::Refusal) -> StoreError {
    StoreError::Refused {
        code: e.code().to_string(),
        message: e.to_string(),
    }
}

impl Store {
    pub(crate) fn party_context(&self, conn: &Connection) -> Result<PartyContext> {
        let province: String = conn
            .query_row("SELECT province_code FROM office WHERE id = 1", [], |r| r.get(0))
            .optional()?
            .ok_or(StoreError::NotSetUp)?;
        Ok(PartyContext {
            filing_date: self.office_today(),
            home_province_code: province,
        })
    }

    /// The next serial of this station today: OFFICE-STATION-YYYYMMDD-NNNN.
    fn next_serial(&self, tx: &Transaction<'_>) -> Result<String> {
        let day = self.office_today().format("%Y%m%d").to_string();
        let office: String = tx.query_row("SELECT office_code FROM office WHERE id = 1", [], |r| r.get(0))?;
        tx.execute(
            "INSERT INTO serial_counters (day, last) VALUES (?1, 1)
             ON CONFLICT (day) DO UPDATE SET last = last + 1",
            [&day],
        )?;
        let n: i64 = tx.query_row("SELECT last FROM serial_counters WHERE day = ?1", [&day], |r| r.get(0))?;
        Ok(format!("{office}-{}-{day}-{n:04}", station_code(&self.station_id)))
    }

    fn applicant_name(tx: &Connection, applicant_id: Option<&str>, draft: &FilingDraft) -> Result<String> {
        if let Some(id) = applicant_id {
            let name: Option<String> = tx
                .query_row("SELECT name FROM applicants WHERE id = ?1", [id], |r| r.get(0))
                .optional()?;
            return name.ok_or_else(|| StoreError::NotFound {
                what: "用户信息",
                id: id.to_string(),
            });
        }
        Ok(draft
            .owners
            .first()
            .map(|o| o.name.trim().to_string())
            .unwrap_or_default())
    }

    /// Creates a case in 草稿 with its serial, inside the caller's command.
    pub(crate) fn insert_draft(
        &self,
        tx: &Transaction<'_>,
        clerk_id: &str,
        applicant_id: Option<&str>,
        draft: &FilingDraft,
        now: DateTime<Utc>,
    ) -> Result<(Change, Row)> {
        let draft_json = serde_json::to_string(draft).map_err(corrupt)?;
        let title = draft.work.title.trim().to_string();
        let category = draft.work.category.map(|c| c.code()).unwrap_or("").to_string();
        let id = uuid_v7(now).to_string();
        let serial = self.next_serial(tx)?;
        let applicant = Self::applicant_name(tx, applicant_id, draft)?;
        // A station of a subordinate office opens its cases under that office.
        let office = crate::scope::own_office(tx)?;
        tx.execute(
            "INSERT INTO cases (id, serial, title, category, state, applicant_name, created_at, version,
                                updated_at, applicant_id, draft, facts, created_by, draft_format, facts_format,
                                office_code)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                id,
                serial,
                title,
                category,
                code(CaseState::Draft),
                applicant,
                now,
                applicant_id,
                draft_json,
                serde_json::to_string(&CaseFacts::default()).map_err(corrupt)?,
                clerk_id,
                DRAFT_FORMAT,
                FACTS_FORMAT,
                office
            ],
        )?;
        let row = load(tx, &id)?;
        reindex(tx, &row)?;
        let change = Change {
            entity: "case",
            entity_id: id,
            version: 1,
            payload: json!({ "serial": row.serial, "applicant_id": applicant_id, "draft": draft }),
        };
        Ok((change, row))
    }

    /// 暂存：creates the case (with its serial) or saves the draft. Saving signed
    /// content that changed voids every signature and returns the case to draft.
    pub fn save_draft(&self, session: &Session, input: &SaveDraftInput) -> Result<CaseDetail> {
        let conn = self.conn();
        let clerk = actor(
            &conn,
            self.now(),
            Some(session),
            Some(Permission::OpenDesk(Desk::Counter)),
        )?;
        let ctx = self.party_context(&conn)?;
        drop(conn);
        // A masked number or address sent back would overwrite the real one.
        let masked = regdesk_domain::privacy::masked_in_draft(&input.draft);
        if !masked.is_empty() {
            return Err(StoreError::Invalid(masked));
        }
        let draft_json = serde_json::to_string(&input.draft).map_err(corrupt)?;
        let title = input.draft.work.title.trim().to_string();
        let category = input.draft.work.category.map(|c| c.code()).unwrap_or("").to_string();
        match (&input.case_id, input.version) {
            (None, _) => self.run(Some(clerk.id()), "create_draft", |tx, now| {
                let (change, row) =
                    self.insert_draft(tx, clerk.id(), input.applicant_id.as_deref(), &input.draft, now)?;
                Ok((change, detail(row)))
            }),
            (Some(case_id), Some(version)) => self.run(Some(clerk.id()), "save_draft", |tx, now| {
                let row = at_version(tx, case_id, version)?;
                let mut facts = row.facts.clone();
                let mut events = Vec::new();
                if !row.state.filing_editable() {
                    return Err(StoreError::Refused {
                        code: "not_editable".into(),
                        message: format!("该作品当前状态为{}，填报内容不能再修改", row.state.label()),
                    });
                }
                if row.state.edit_voids_signatures() {
                    let fp = draft_fingerprint(&input.draft, &ctx);
                    if facts.fingerprint.as_ref() != Some(&fp) {
                        let (f, ev) =
                            lifecycle::execute(&facts, &CaseCommand::VoidSignatures { fingerprint: fp }, &clerk, now)
                                .map_err(refused)?;
                        facts = f;
                        events = ev;
                    }
                }
                let applicant = Self::applicant_name(tx, input.applicant_id.as_deref(), &input.draft)?;
                tx.execute(
                    "UPDATE cases SET title = ?2, category = ?3, applicant_name = ?4, applicant_id = ?5, draft = ?6,
                     facts = ?7, state = ?8, version = version + 1, updated_at = ?9, draft_format = ?10,
                     facts_format = ?11 WHERE id = ?1",
                    params![
                        row.id,
                        title,
                        category,
                        applicant,
                        input.applicant_id,
                        draft_json,
                        serde_json::to_string(&facts).map_err(corrupt)?,
                        code(facts.state),
                        now,
                        DRAFT_FORMAT,
                        FACTS_FORMAT
                    ],
                )?;
                let row = load(tx, &row.id)?;
                reindex(tx, &row)?;
                let change = Change {
                    entity: "case",
                    entity_id: row.id.clone(),
                    version: row.version,
                    payload: json!({ "draft": input.draft, "applicant_id": input.applicant_id, "events": events }),
                };
                Ok((change, detail(row)))
            }),
            (Some(_), None) => Err(StoreError::Invalid(vec![regdesk_domain::FieldError::new(
                "version",
                "required",
                "保存已有草稿时须带上读到的版本",
            )])),
        }
    }

    /// 提交签章：checks the whole filing (every problem named by its field) and lists the signers.
    pub fn submit_for_signing(&self, session: &Session, input: &CaseRef) -> Result<CaseDetail> {
        let conn = self.conn();
        let clerk = actor(
            &conn,
            self.now(),
            Some(session),
            Some(Permission::OpenDesk(Desk::Counter)),
        )?;
        let ctx = self.party_context(&conn)?;
        drop(conn);
        self.run(Some(clerk.id()), "submit_for_signing", |tx, now| {
            let row = at_version(tx, &input.case_id, input.version)?;
            let filing = row
                .draft
                .to_filing(&ctx, &|id| Self::file_known(tx, id))
                .map_err(StoreError::Invalid)?;
            let cmd = CaseCommand::SubmitForSigning {
                signers: signers(&filing, ctx.filing_date),
                fingerprint: fingerprint(&filing),
            };
            self.apply_case(tx, row, &cmd, &clerk, now)
        })
    }

    /// 记录签章（按顺序）。When the last signer has signed the case moves to 待缴费.
    pub fn record_signature(&self, session: &Session, input: &RecordSignatureInput) -> Result<CaseDetail> {
        let conn = self.conn();
        let clerk = actor(
            &conn,
            self.now(),
            Some(session),
            Some(Permission::OpenDesk(Desk::Counter)),
        )?;
        let ctx = self.party_context(&conn)?;
        drop(conn);
        self.run(Some(clerk.id()), "record_signature", |tx, now| {
            let row = at_version(tx, &input.case_id, input.version)?;
            let cmd = CaseCommand::RecordSignature {
                signer: input.signer,
                method: input.method.clone(),
                fingerprint: draft_fingerprint(&row.draft, &ctx),
            };
            self.apply_case(tx, row, &cmd, &clerk, now)
        })
    }

    /// Runs one lifecycle command on a loaded case and writes the outcome,
    /// with the columns that follow from the facts: the fee fixed on entering
    /// 待缴费, the day the clock started and the deadline (from the calendar),
    /// the registration number.
    pub(crate) fn apply_case(
        &self,
        tx: &Transaction<'_>,
        row: Row,
        cmd: &CaseCommand,
        clerk: &lifecycle::Actor,
        now: DateTime<Utc>,
    ) -> Result<(Change, CaseDetail)> {
        let (change, row) = self.apply_case_row(tx, row, cmd, clerk, now)?;
        Ok((change, detail(row)))
    }

    /// [`Self::apply_case`], giving back the stored row (for commands that touch several cases).
    pub(crate) fn apply_case_row(
        &self,
        tx: &Transaction<'_>,
        row: Row,
        cmd: &CaseCommand,
        clerk: &lifecycle::Actor,
        now: DateTime<Utc>,
    ) -> Result<(Change, Row)> {
        let (facts, events) = lifecycle::execute(&row.facts, cmd, clerk, now).map_err(refused)?;
        tx.execute(
            "UPDATE cases SET facts = ?2, state = ?3, version = version + 1, updated_at = ?4,
                    registration_number = COALESCE(?5, registration_number), facts_format = ?6 WHERE id = ?1",
            params![
                row.id,
                serde_json::to_string(&facts).map_err(corrupt)?,
                code(facts.state),
                now,
                facts.registration_number,
                FACTS_FORMAT
            ],
        )?;
        if facts.state == CaseState::AwaitingPayment && row.state != CaseState::AwaitingPayment {
            let fee = crate::settings::load(tx)?.fee_per_work_fen;
            tx.execute(
                "UPDATE cases SET fee_fen = COALESCE(fee_fen, ?2), awaiting_payment_since = ?3 WHERE id = ?1",
                params![row.id, fee, now],
            )?;
        }
        if let Some(started) = facts
            .clock_started_at
            .filter(|t| Some(*t) != row.facts.clock_started_at)
        {
            let accepted_on = crate::office_date(started);
            // A deadline in a year whose calendar is not loaded yet waits for it (loading the year fills
            // it in); acceptance is not held up by calendar data.
            let due_on = crate::calendar::due_on_of(tx, accepted_on)?;
            tx.execute(
                "UPDATE cases SET accepted_on = ?2, due_on = ?3 WHERE id = ?1",
                params![row.id, accepted_on, due_on],
            )?;
        }
        let row = load(tx, &row.id)?;
        let change = Change {
            entity: "case",
            entity_id: row.id.clone(),
            version: row.version,
            payload: json!({ "command": cmd, "events": events }),
        };
        Ok((change, row))
    }

    /// The parties that no longer fit a new attribution (the clerk is asked to remove them).
    pub fn parties_not_fitting(
        &self,
        session: &Session,
        input: &AttributionCheckInput,
    ) -> Result<Vec<regdesk_domain::work::UnfitParty>> {
        actor(&self.conn(), self.now(), Some(session), None)?;
        Ok(input.draft.parties_not_fitting(input.attribution))
    }

    /// 案件详情（按编号或流水号），ID numbers and address masked for everyone
    /// (the full values: `reveal_case`).
    pub fn case_detail(&self, session: &Session, key: &str) -> Result<CaseDetail> {
        let conn = self.conn();
        actor(&conn, self.now(), Some(session), None)?;
        let mut d = load(&conn, key).map(detail)?;
        d.sync_inbox = inbox_count(&conn, &d.id)?;
        crate::scope::mark_read_only(&conn, &mut d)?;
        Ok(d)
    }

    /// The SQL condition (on `cases.id`) and its parameter for a search: trigram
    /// full text from 3 characters, a plain scan of the same text below that.
    /// The search as a condition on `cases`: its row in the search index matches.
    pub(crate) fn search_filter(query: &str) -> (String, String) {
        let (table, cond, param) = Store::search_match(query);
        (
            format!("search_rowid IN (SELECT rowid FROM {table} WHERE {cond})"),
            param,
        )
    }

    /// The same search on the index that answers it: the full-text index's
    /// trigrams from three characters, the short-search index (grams.rs)
    /// below. Returns the table, the condition on it and its one parameter;
    /// rows of either table have the case's `search_rowid` as their row id.
    pub(crate) fn search_match(query: &str) -> (&'static str, &'static str, String) {
        let q = query.trim();
        match crate::grams::query(q) {
            Some(token) => ("case_grams", "case_grams MATCH ?", token),
            None => ("case_search", "body MATCH ?", format!("\"{}\"", q.replace('"', "\"\""))),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn station_codes_are_four_readable_characters() {
        let c = station_code("01a210c1-9f6f-7bda-84a0-162a016b650d");
        assert_eq!(c.len(), 4);
        assert!(c.chars().all(|ch| CROCKFORD.contains(&(ch as u8))));
        assert_ne!(c, station_code("01a210c1-9f6f-7bda-84a0-162a016b650e"));
    }
}
