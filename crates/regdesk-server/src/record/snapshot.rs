//! A new station's first sync: the record's rows at one cursor, in pages.
//!
//! Starting a snapshot copies every row of the record, in one REPEATABLE READ
//! transaction that also reads the office's cursor, into `record_snapshot_rows`
//! under a new snapshot id. Pages are then read from that copy ordered by
//! (table, key) after the last row given, from any server instance, for 24
//! hours: a snapshot resumed after an interruption gives exactly the rows of
//! the same moment, and the station pulls from the snapshot's cursor afterwards.

use deadpool_postgres::Pool;
use regdesk_sync::protocol::{SnapshotChunk, SnapshotRequest, SnapshotRow};
use tokio_postgres::IsolationLevel;
use uuid::Uuid;

use super::rows::parse_row;
use super::{RecordError, StationAuth};

/// Most rows in one snapshot page.
pub const MAX_SNAPSHOT_ROWS: u32 = 20_000;

/// One page of a snapshot: a new snapshot when `req.snapshot_id` is `None`.
pub async fn snapshot(pool: &Pool, auth: &StationAuth, req: SnapshotRequest) -> Result<SnapshotChunk, RecordError> {
    let mut client = pool.get().await?;
    let id = match &req.snapshot_id {
        Some(text) => Uuid::parse_str(text).map_err(|_| RecordError::SnapshotGone(text.clone()))?,
        None => start(&mut client, auth).await?,
    };
    let head = client
        .query_opt(
            "SELECT cursor, total_rows, total_bytes FROM record_snapshots
              WHERE id = $1 AND office_id = $2 AND (station_id IS NULL OR station_id = $3)",
            &[&id, &auth.office_id, &auth.station_id],
        )
        .await?
        .ok_or_else(|| RecordError::SnapshotGone(id.to_string()))?;
    let limit = i64::from(req.max_rows.clamp(1, MAX_SNAPSHOT_ROWS));
    // Both read the copy's primary key in order from where the station stands.
    let rows = match &req.after {
        None => {
            client
                .query(
                    "SELECT tbl, key, row FROM record_snapshot_rows WHERE snapshot_id = $1
                     ORDER BY snapshot_id, tbl, key LIMIT $2",
                    &[&id, &(limit + 1)],
                )
                .await?
        }
        Some((after_tbl, after_key)) => {
            client
                .query(
                    "SELECT tbl, key, row FROM record_snapshot_rows
                     WHERE snapshot_id = $1
                       AND (snapshot_id, tbl, key) > ($1, $2::text COLLATE \"C\", $3::text COLLATE \"C\")
                     ORDER BY snapshot_id, tbl, key LIMIT $4",
                    &[&id, after_tbl, after_key, &(limit + 1)],
                )
                .await?
        }
    };
    let more = rows.len() as i64 > limit;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows.iter().take(usize::try_from(limit).unwrap_or(usize::MAX)) {
        let table: String = r.get(0);
        let row = parse_row(&table, r, 2)?;
        out.push(SnapshotRow {
            table,
            key: r.get(1),
            row,
        });
    }
    let next = if more {
        out.last().map(|r| (r.table.clone(), r.key.clone()))
    } else {
        None
    };
    Ok(SnapshotChunk {
        snapshot_id: id.to_string(),
        cursor: head.get(0),
        total_rows: u64::try_from(head.get::<_, i64>(1)).unwrap_or(0),
        total_bytes: u64::try_from(head.get::<_, i64>(2)).unwrap_or(0),
        rows: out,
        next,
    })
}

/// Copies the record at one moment; returns the new snapshot's id.
async fn start(client: &mut deadpool_postgres::Client, auth: &StationAuth) -> Result<Uuid, RecordError> {
    client
        .execute(
            "DELETE FROM record_snapshot_rows WHERE snapshot_id IN
                 (SELECT id FROM record_snapshots WHERE made_at < now() - interval '24 hours')",
            &[],
        )
        .await?;
    client
        .execute(
            "DELETE FROM record_snapshots WHERE made_at < now() - interval '24 hours'",
            &[],
        )
        .await?;
    let tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
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
    let id = Uuid::now_v7();
    // The rows the station sees: every row but those of cases outside its scope.
    let seen = super::scope::StationScope::read(&*tx, auth.office_code.as_deref())
        .await?
        .sees;
    // The copy and its size (the rows' text, for the progress bar) in one
    // pass over the rows: each row's length is kept with it (`row_len`).
    let counted = tx
        .query_one(
            "WITH copied AS (
                 INSERT INTO record_snapshot_rows (snapshot_id, tbl, key, row, row_len)
                 SELECT $1, r.tbl, r.key, r.row, r.row_len FROM record_rows r
                   LEFT JOIN record_case_office o ON o.case_id = r.case_id
                  WHERE $2::text[] IS NULL OR r.case_id IS NULL OR o.office = ANY($2::text[])
                 RETURNING row_len AS n)
             SELECT count(*), COALESCE(SUM(n), 0)::bigint FROM copied",
            &[&id, &seen],
        )
        .await?;
    let copied: i64 = counted.get(0);
    let bytes: i64 = counted.get(1);
    let total = copied;
    tx.execute(
        "INSERT INTO record_snapshots (id, office_id, cursor, total_rows, total_bytes, station_id)
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[&id, &auth.office_id, &cursor, &total, &bytes, &auth.station_id],
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}
