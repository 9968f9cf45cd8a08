//! The office's record: the one authority that admits each station's journal
//! entries, orders them, and gives them back to every station.
//!
//! - [`push`]: each entry is decided again from the server's own rows
//!   (`admit`), in its own transaction; its verdict is kept, so a repeated
//!   push gets the same answer.
//! - Accepted entries take the office's next `office_seq` under the row lock
//!   of the office's `record_cursor` row, held until commit: entries commit in
//!   the order of their place, so a pull never skips one that commits late.
//! - A final approval made on a station gets its registration number here, in
//!   the accepting transaction (`numbers`).
//! - [`pull`] gives accepted entries after a cursor, waiting for new ones
//!   (long-poll) on PostgreSQL notifications (`Waker`), which every server
//!   instance over the same database receives.
//! - [`state`] and [`snapshot`]: the record's rows, for comparing and for a
//!   new station's first sync.
//!
//! `docs/SYNC.md` ("The record") describes the rules.

mod admit;
mod integrity;
pub mod leases;
mod numbers;
mod recent;
mod rows;
mod scope;
mod snapshot;
mod stmts;
mod waker;

pub use recent::Pulled;

#[cfg(test)]
mod tests;

use chrono::Utc;
use deadpool_postgres::Pool;
use regdesk_sync::protocol::{
    ChainReply, Entry, EntryVerdict, ErrorCode, ErrorReply, PullRequest, PushReply, PushRequest, RecordedHead, Row,
    RowEffect, StateReply, Verdict, MAX_PUSH_ENTRIES,
};
use serde::Serialize;
use serde_json::Value;
use tokio_postgres::{IsolationLevel, Transaction};
use uuid::Uuid;

use crate::auth::StationAuth;
use crate::blobs::BlobStore;

pub use leases::{audit as numbers_audit, lease, NumbersAudit};
pub use snapshot::snapshot;
pub use waker::Waker;

/// The PostgreSQL notification channel an accepting transaction notifies
/// (payload: `office_id:office_seq`).
pub const CHANNEL: &str = "regdesk_record";

/// Most entries in one pull page.
pub const MAX_PULL: u32 = 1000;
/// The longest a pull waits for a new entry.
pub const MAX_WAIT_MS: u32 = 60_000;

/// Why the record refused a request as a whole.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("工作站“{station}”推送的记录中有其他工作站（{claimed}）的记录，整批拒收：每个工作站只能推送自己的记录，请检查该工作站的数据目录是否复制自另一工作站")]
    ForeignEntry { station: String, claimed: String },
    #[error("一次最多推送 {max} 条记录，本次有 {got} 条：请分批推送")]
    TooMany { max: usize, got: usize },
    #[error("服务器还没有登记机构的记录：请管理员先运行 regdesk-server init（新建机构）或 adopt（接收单机机构）")]
    NoOffice,
    #[error("快照 {0} 已失效（超过保留时间或服务器已清理）：请重新开始首次同步")]
    SnapshotGone(String),
    #[error("本工作站已同步到第 {cursor} 条，而服务器的记录只到第 {last} 条：服务器的数据库可能是从备份恢复的，或换了一台服务器。本工作站的记录保持不变，请联系信息科核对服务器")]
    AheadOfRecord { cursor: i64, last: i64 },
    #[error("请求无法读取：{0}")]
    BadRequest(String),
    #[error("数据库暂时无法使用（{0}）：请稍后再试，工作站上的记录不受影响")]
    Pool(#[from] deadpool_postgres::PoolError),
    #[error("数据库操作失败（{0}）：本次没有写入任何内容，请稍后再试")]
    Db(#[from] tokio_postgres::Error),
    #[error("服务器记录无法读取：{0}。请联系信息科检查服务器数据库")]
    Corrupt(String),
}

impl RecordError {
    /// The HTTP status the refusal is answered with.
    pub fn status(&self) -> u16 {
        match self {
            RecordError::ForeignEntry { .. } => 403,
            RecordError::TooMany { .. } => 413,
            RecordError::NoOffice | RecordError::AheadOfRecord { .. } => 409,
            RecordError::SnapshotGone(_) => 410,
            RecordError::BadRequest(_) => 400,
            RecordError::Pool(_) | RecordError::Db(_) => 503,
            RecordError::Corrupt(_) => 500,
        }
    }

    /// The protocol's code for the refusal.
    pub fn code(&self) -> ErrorCode {
        match self {
            RecordError::ForeignEntry { .. }
            | RecordError::BadRequest(_)
            | RecordError::SnapshotGone(_)
            | RecordError::AheadOfRecord { .. } => ErrorCode::BadRequest,
            RecordError::TooMany { .. } => ErrorCode::TooLarge,
            RecordError::NoOffice | RecordError::Pool(_) | RecordError::Db(_) => ErrorCode::Unavailable,
            RecordError::Corrupt(_) => ErrorCode::Internal,
        }
    }

    /// The body of the refusal.
    pub fn reply(&self) -> ErrorReply {
        ErrorReply {
            code: self.code(),
            message: self.to_string(),
        }
    }
}

impl From<&RecordError> for ErrorReply {
    fn from(e: &RecordError) -> ErrorReply {
        e.reply()
    }
}

pub(crate) fn corrupt(what: impl std::fmt::Display) -> RecordError {
    RecordError::Corrupt(what.to_string())
}

/// Decides each pushed entry in order, each all or nothing; stops after the
/// first `retry_later`. An entry naming a blob not yet complete in `blobs`
/// waits (`retry_later`). An entry of another station refuses the
/// whole request (nothing is decided).
pub async fn push(
    pool: &Pool,
    blobs: &BlobStore,
    auth: &StationAuth,
    req: PushRequest,
) -> Result<PushReply, RecordError> {
    if req.entries.len() > MAX_PUSH_ENTRIES {
        return Err(RecordError::TooMany {
            max: MAX_PUSH_ENTRIES,
            got: req.entries.len(),
        });
    }
    if let Some(e) = req.entries.iter().find(|e| e.station_id != auth.station_id) {
        tracing::warn!(
            station = %auth.station_id,
            name = %auth.station_name,
            claimed = %e.station_id,
            entry = %e.id,
            "push refused: it carries an entry of another station"
        );
        return Err(RecordError::ForeignEntry {
            station: auth.station_name.clone(),
            claimed: e.station_id.clone(),
        });
    }
    if let Some(head) = &req.head {
        if head.seq < 1
            || head.entry_hash.len() != 64
            || !head.entry_hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        {
            return Err(RecordError::BadRequest(format!(
                "审计链头（第 {} 条，{}）无法识别：应为正的序号与 64 位小写十六进制哈希",
                head.seq,
                head.entry_hash.chars().take(80).collect::<String>()
            )));
        }
    }
    let mut client = pool.get().await?;
    // Where the station's chain stood, kept in the first chunk's transaction
    // before its entries are decided (one commit to flush, not two).
    let mut head = req.head;
    let stmts = stmts::Stmts::cached(&client).await?;
    // The station's office and what it sees, by the record's office tree as it stands.
    let scope = scope::StationScope::read_cached(&client, auth.office_code.as_deref()).await?;
    let mut verdicts = Vec::with_capacity(req.entries.len());
    let mut entries = req.entries.into_iter().peekable();
    // Entries are decided in chunks, each one transaction that commits once
    // (one flush to disk per chunk); within it each entry has its own
    // savepoint, so an entry is applied whole or not at all. The verdicts a
    // station receives are exactly the ones kept. The office's cursor row stays
    // locked from the start of a chunk to its commit.
    while let Some(first) = entries.peek().map(|e| e.id) {
        let mut tx = match tokio_postgres::Client::transaction(&mut client).await {
            Ok(tx) => tx,
            Err(e) if verdicts.is_empty() => return Err(e.into()),
            Err(e) => {
                verdicts.push(EntryVerdict {
                    id: first,
                    verdict: not_now(&e.into()),
                });
                break;
            }
        };
        if let Some(head) = head.take() {
            tx.execute(
                stmts.get(stmts::S::KeepHead),
                &[&auth.station_id, &head.seq, &head.entry_hash],
            )
            .await?;
        }
        let mut batch = match admit::Batch::lock(&tx, &stmts, &auth.office_id).await {
            Ok(b) => b,
            Err(e) if verdicts.is_empty() => return Err(e),
            Err(e) => {
                verdicts.push(EntryVerdict {
                    id: first,
                    verdict: not_now(&e),
                });
                break;
            }
        };
        let mut chunk = Vec::new();
        let mut stop = false;
        for entry in entries.by_ref().take(CHUNK) {
            let id = entry.id;
            let verdict = if let Some(sha) = entry.blobs.iter().find(|s| !blobs.is_complete(s)) {
                // An attachment still on its way: the entry waits, it never fails.
                Verdict::RetryLater {
                    reason: format!("附件尚未上传完成（{sha}）：上传完成后自动重新发送"),
                }
            } else {
                match admit::decide(&mut tx, &stmts, &mut batch, &scope, entry).await {
                    Ok(v) => v,
                    Err(e) => {
                        tracing::warn!(station = %auth.station_id, entry = %id, error = %e, "entry not decided now");
                        not_now(&e)
                    }
                }
            };
            match &verdict {
                Verdict::Rejected { code, reason, .. } => {
                    tracing::info!(station = %auth.station_id, entry = %id, ?code, %reason, "entry rejected")
                }
                Verdict::RetryLater { reason } => {
                    tracing::info!(station = %auth.station_id, entry = %id, %reason, "entry waits")
                }
                Verdict::Accepted { .. } => {}
            }
            stop = matches!(verdict, Verdict::RetryLater { .. });
            chunk.push(EntryVerdict { id, verdict });
            if stop {
                break;
            }
        }
        let committed = async {
            batch.finish(&tx, &stmts).await?;
            tx.commit().await?;
            Ok::<_, RecordError>(())
        }
        .await;
        match committed {
            Ok(()) => verdicts.extend(chunk),
            Err(e) => {
                tracing::warn!(station = %auth.station_id, error = %e, "push chunk not committed");
                verdicts.push(EntryVerdict {
                    id: first,
                    verdict: not_now(&e),
                });
                break;
            }
        }
        if stop {
            break;
        }
    }
    if let Some(head) = head {
        // A push with no entries: the head alone.
        client
            .execute(
                stmts.get(stmts::S::KeepHead),
                &[&auth.station_id, &head.seq, &head.entry_hash],
            )
            .await?;
    }
    Ok(PushReply { verdicts })
}

/// Keeps where a station's audit chain stood when it pushed.
pub(crate) const KEEP_HEAD: &str = "INSERT INTO station_chain (station_id, seq, entry_hash) VALUES ($1, $2, $3)
     ON CONFLICT (station_id, seq) DO NOTHING";

/// Entries decided per transaction of a push: bounds how long the office's
/// cursor stays locked and keeps each transaction's savepoints few.
const CHUNK: usize = 50;

fn not_now(e: &RecordError) -> Verdict {
    Verdict::RetryLater {
        reason: format!("服务器暂时无法处理这条记录（{e}），稍后会自动重新发送"),
    }
}

/// The top office's code and the codes of the office tree, as the record holds them.
pub async fn office_tree(client: &impl tokio_postgres::GenericClient) -> Result<(String, Vec<String>), RecordError> {
    let tree = scope::Tree::read(client).await?;
    let mut codes: Vec<String> = tree.offices.into_keys().collect();
    codes.sort();
    Ok((tree.top_code, codes))
}

/// The heads of the asking station's audit chain the record kept, by place.
pub async fn chain(pool: &Pool, auth: &StationAuth) -> Result<ChainReply, RecordError> {
    let client = pool.get().await?;
    let rows = client
        .query(
            "SELECT seq, entry_hash, recorded_at FROM station_chain WHERE station_id = $1 ORDER BY seq",
            &[&auth.station_id],
        )
        .await?;
    Ok(ChainReply {
        heads: rows
            .iter()
            .map(|r| RecordedHead {
                seq: r.get(0),
                entry_hash: r.get(1),
                recorded_at: r.get(2),
            })
            .collect(),
    })
}

/// Accepted entries of the station's office after `req.cursor`, in order; when
/// there are none, waits up to `req.wait_ms` for one (woken by `waker`).
pub async fn pull(pool: &Pool, waker: &Waker, auth: &StationAuth, req: PullRequest) -> Result<PullAnswer, RecordError> {
    if req.cursor < 0 {
        return Err(RecordError::BadRequest(format!(
            "游标 {} 无效：游标从 0 开始",
            req.cursor
        )));
    }
    // A workstation whose office was adopted holds the rows of the entry
    // that brought them: its pulls begin after it.
    let start = adopted_from(pool, &auth.station_id)
        .await?
        .map_or(req.cursor, |s| s.max(req.cursor));
    let limit = i64::from(req.limit.clamp(1, MAX_PULL));
    let seen = {
        let client = pool.get().await?;
        scope::StationScope::read_cached(&client, auth.office_code.as_deref())
            .await?
            .sees
    };
    let wait = std::time::Duration::from_millis(u64::from(req.wait_ms.min(MAX_WAIT_MS)));
    let deadline = tokio::time::Instant::now() + wait;
    // Subscribed before the first read: a commit between the read and the wait still wakes it.
    let mut woken = waker.subscribe();
    let mut since = recent::Since::Moment(tokio::time::Instant::now());
    loop {
        let page = read_page(pool, waker, &auth.office_id, start, limit, seen.as_deref(), since).await?;
        let now = tokio::time::Instant::now();
        if !page.entries.is_empty() || now >= deadline {
            return Ok(page);
        }
        // A notification wakes the pull at once; the record is read again at least
        // every second in case one was missed (the listening connection reconnecting).
        let nap = (deadline - now).min(std::time::Duration::from_secs(1));
        since = match tokio::time::timeout(nap, woken.changed()).await {
            Ok(Ok(())) => {
                let linger = LINGER.min(deadline.saturating_duration_since(tokio::time::Instant::now()));
                tokio::time::sleep(linger).await;
                recent::Since::Notified(*woken.borrow_and_update())
            }
            Ok(Err(_)) => {
                tokio::time::sleep(nap).await;
                recent::Since::Moment(tokio::time::Instant::now())
            }
            Err(_) => recent::Since::Moment(tokio::time::Instant::now()),
        };
    }
}

/// How long a woken pull waits before it reads: the commits of the other
/// stations' pushes in that time come in the same answer (with eight
/// stations pushing, fewer answers crowding the pushes; `docs/BENCHMARKS.md`,
/// "Load").
const LINGER: std::time::Duration = std::time::Duration::from_millis(60);

/// The office position an adopted workstation's record begins after (`adoptions`).
async fn adopted_from(pool: &Pool, station_id: &str) -> Result<Option<i64>, RecordError> {
    let client = pool.get().await?;
    let stmt = client
        .prepare_cached("SELECT office_seq FROM adoptions WHERE station_id = $1")
        .await?;
    let row = client.query_opt(&stmt, &[&station_id]).await?;
    Ok(row.map(|r| r.get(0)))
}

/// A page of the entries after `cursor` a station seeing `seen` (`None`:
/// every office) receives, each with only the effects it sees: from the
/// instance's window of the latest entries when the cursor is in it
/// ([`recent`]), else read from the database.
async fn read_page(
    pool: &Pool,
    waker: &Waker,
    office_id: &str,
    cursor: i64,
    limit: i64,
    seen: Option<&[String]>,
    since: recent::Since,
) -> Result<PullAnswer, RecordError> {
    let mut page = match waker
        .recent()
        .page(
            pool,
            office_id,
            cursor,
            usize::try_from(limit).unwrap_or(0),
            seen,
            since,
            || waker.notified(),
        )
        .await?
    {
        Some(page) => page,
        None => {
            let client = pool.get().await?;
            let mut read = recent::read(&**client, office_id, cursor, limit + 1, seen).await?;
            let more = read.len() as i64 > limit;
            read.truncate(usize::try_from(limit).unwrap_or(0));
            recent::Page {
                entries: read.iter().filter_map(|k| k.for_scope(seen)).collect(),
                more,
            }
        }
    };
    // The station's scope was read from the office tree before these entries:
    // an entry that adds an office under one it sees widens it for the
    // entries after it, which the old scope would leave out for good (its
    // cursor passes them). The page ends at such an entry; the next pull
    // reads the tree again.
    if let Some(i) = seen.and_then(|seen| page.entries.iter().position(|p| widens(seen, p))) {
        if i + 1 < page.entries.len() {
            page.entries.truncate(i + 1);
            page.more = true;
        }
    }
    if page.entries.is_empty() {
        // A station past the record's end holds entries this record never gave.
        let last: i64 = pool
            .get()
            .await?
            .query_opt("SELECT last_seq FROM record_cursor WHERE office_id = $1", &[&office_id])
            .await?
            .ok_or(RecordError::NoOffice)?
            .get(0);
        if cursor > last {
            return Err(RecordError::AheadOfRecord { cursor, last });
        }
    }
    let next = page.entries.last().map_or(cursor, |e| e.office_seq);
    Ok(PullAnswer {
        entries: page.entries,
        cursor: next,
        more: page.more,
    })
}

/// A pull's answer: the JSON of the protocol's [`PullReply`], its entries
/// shared with the other pulls given them ([`recent::Pulled`]).
#[derive(Debug, Clone, Serialize)]
pub struct PullAnswer {
    pub entries: Vec<recent::Pulled>,
    /// The cursor to ask from next.
    pub cursor: i64,
    /// More entries wait after this page.
    pub more: bool,
}

/// Whether a pulled entry widens the scope `seen` of a station of an office
/// of the tree: it adds an office under one the station sees (offices are
/// only ever added), or changes the top office's row.
fn widens(seen: &[String], p: &regdesk_sync::protocol::PulledEntry) -> bool {
    let mut sees: std::collections::HashSet<&str> = seen.iter().map(String::as_str).collect();
    let mut wider = false;
    for e in &p.entry.effects {
        match (e.table.as_str(), e.after.as_deref()) {
            ("office", _) => wider = true,
            ("office_tree", Some(row)) => {
                let field = |name: &str| rows::text(row, name).unwrap_or("");
                if sees.contains(field("parent_code")) && sees.insert(field("code")) {
                    wider = true;
                }
            }
            _ => {}
        }
    }
    wider
}

/// The record's cursor, row count and state hash (over every row of the
/// record the station sees — every row for a station of the top office —,
/// as `regdesk_sync::state_hash` computes it), read at one moment.
pub async fn state(pool: &Pool, auth: &StationAuth) -> Result<StateReply, RecordError> {
    let mut client = pool.get().await?;
    let tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await?;
    let cursor: i64 = tx
        .query_opt(
            "SELECT last_seq FROM record_cursor WHERE office_id = $1",
            &[&auth.office_id],
        )
        .await?
        .ok_or(RecordError::NoOffice)?
        .get(0);
    let seen = scope::StationScope::read(&*tx, auth.office_code.as_deref()).await?.sees;
    let rows = tx
        .query(
            "SELECT r.tbl, r.key, r.digest FROM record_rows r
               LEFT JOIN record_case_office o ON o.case_id = r.case_id
              WHERE $1::text[] IS NULL OR r.case_id IS NULL OR o.office = ANY($1::text[])",
            &[&seen],
        )
        .await?;
    let triples: Vec<(String, String, String)> = rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect();
    tx.commit().await?;
    let state_hash = regdesk_sync::state_hash(triples.iter().map(|(t, k, d)| (t.as_str(), k.as_str(), d.as_str())));
    Ok(StateReply {
        cursor,
        rows: triples.len() as u64,
        state_hash,
    })
}

/// Whether the station may download the attachment `sha256`: a station of
/// an office of the tree not the file of a case outside its scope
/// (`scope::blob_visible`).
pub async fn blob_in_scope(pool: &Pool, auth: &StationAuth, sha256: &str) -> Result<bool, RecordError> {
    let client = pool.get().await?;
    let scope = scope::StationScope::read(&**client, auth.office_code.as_deref()).await?;
    scope::blob_visible(&**client, &scope, sha256).await
}

/// Puts an office's first rows (office, office tree, settings, staff …, or a
/// whole adopted workstation's record) into the record as accepted entries of
/// the office (`seed_office`, station `server`, at most [`SEED_ROWS`] rows
/// each), inside the caller's transaction; returns the last entry's
/// `office_seq`. Made by `regdesk-server init` and `adopt`: the rows are the
/// server's own word, not re-decided.
pub async fn seed_rows(
    tx: &Transaction<'_>,
    office_id: &str,
    rows: &[(String, String, Row)],
) -> Result<i64, RecordError> {
    seed(tx, office_id, rows, "seed_office", serde_json::json!({})).await
}

/// As [`seed_rows`], for `regdesk-server adopt`: the entries are
/// `adopt_office` with `payload` (which station, how many of what).
pub async fn adopt_rows(
    tx: &Transaction<'_>,
    office_id: &str,
    rows: &[(String, String, Row)],
    payload: Value,
) -> Result<i64, RecordError> {
    seed(tx, office_id, rows, "adopt_office", payload).await
}

async fn seed(
    tx: &Transaction<'_>,
    office_id: &str,
    rows: &[(String, String, Row)],
    command: &str,
    payload: Value,
) -> Result<i64, RecordError> {
    let mut seen = std::collections::HashSet::new();
    for (table, key, _) in rows {
        if !regdesk_sync::is_shared_table(table) {
            return Err(RecordError::BadRequest(format!(
                "数据表 {table} 只属于工作站本身，不能放入机构记录"
            )));
        }
        if !seen.insert((table.as_str(), key.as_str())) {
            return Err(RecordError::BadRequest(format!(
                "{}（{key}）在机构的初始数据中出现了两次",
                rows::table_label(table)
            )));
        }
    }
    tx.execute(
        "INSERT INTO record_cursor (office_id, last_seq) VALUES ($1, 0) ON CONFLICT (office_id) DO NOTHING",
        &[&office_id],
    )
    .await?;
    let stmts = stmts::Stmts::prepare(tx).await?;
    let mut batch = admit::Batch::lock(tx, &stmts, office_id).await?;
    for chunk in rows.chunks(SEED_ROWS) {
        let seq = batch.cursor + 1;
        let before = futures_util::future::try_join_all(
            chunk
                .iter()
                .map(|(table, key, _)| rows::current(tx, &stmts, table, key)),
        )
        .await?;
        let effects: Vec<RowEffect> = chunk
            .iter()
            .zip(before)
            .map(|((table, key, row), current)| RowEffect {
                table: table.clone(),
                key: key.clone(),
                before: current.map(|c| c.digest),
                after: Some(row.clone()),
                changed: None,
            })
            .collect();
        let tags = scope::tag(tx, &stmts, &effects).await?;
        rows::apply(tx, &stmts, &effects, seq, None).await?;
        let mut chunk_payload = payload.clone();
        if let Some(map) = chunk_payload.as_object_mut() {
            map.insert("rows".into(), Value::from(chunk.len()));
        }
        let entry = Entry {
            id: Uuid::now_v7(),
            station_id: "server".into(),
            station_seq: seq,
            staff_id: None,
            at: Utc::now(),
            command: command.into(),
            entity: "office".into(),
            entity_id: office_id.into(),
            entity_version: 0,
            payload: chunk_payload,
            payload_format: regdesk_domain::stored::JOURNAL_FORMAT,
            effects,
            blobs: Vec::new(),
        };
        admit::record_entry(tx, &stmts, office_id, seq, &entry, &tags).await?;
        batch.cursor = seq;
        batch.moved = true;
    }
    batch.finish(tx, &stmts).await?;
    Ok(batch.cursor)
}

/// Most rows in one `seed_office` entry.
pub const SEED_ROWS: usize = 2000;
