//! The statements of deciding an entry, prepared once per connection: a
//! pushed entry costs one round trip per statement, and the writes of an
//! accepted entry go to the database together.

use tokio_postgres::{Error, Statement, Transaction};

/// Which statement.
#[derive(Debug, Clone, Copy)]
pub(crate) enum S {
    VerdictById,
    SeqTaken,
    Progress,
    RowForUpdate,
    Columns,
    UpsertRow,
    DeleteRow,
    LearnTable,
    InsertEntry,
    Notify,
    InsertVerdict,
    UpsertProgress,
    LockCursor,
    MoveCursor,
    UpsertCaseOffice,
}

const SQL: [&str; 15] = [
    "SELECT verdict FROM record_verdicts WHERE id = $1",
    "SELECT id FROM record_verdicts WHERE station_id = $1 AND station_seq = $2",
    "SELECT last_seq FROM record_station_progress WHERE station_id = $1 FOR UPDATE",
    "SELECT row, digest FROM record_rows WHERE tbl = $1 AND key = $2 FOR UPDATE",
    "SELECT columns FROM record_tables WHERE tbl = $1",
    "INSERT INTO record_rows (tbl, key, row, digest, office_seq, case_id) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (tbl, key) DO UPDATE SET row = EXCLUDED.row, digest = EXCLUDED.digest,
         office_seq = EXCLUDED.office_seq, case_id = EXCLUDED.case_id",
    "DELETE FROM record_rows WHERE tbl = $1 AND key = $2",
    "INSERT INTO record_tables (tbl, columns) VALUES ($1, $2) ON CONFLICT (tbl) DO UPDATE SET columns = EXCLUDED.columns
     WHERE jsonb_array_length(EXCLUDED.columns) > jsonb_array_length(record_tables.columns)",
    "INSERT INTO record_entries (id, office_id, office_seq, station_id, station_seq, staff_id, at, command,
         entity, entity_id, entity_version, payload, payload_format, effects, blobs, offices, everyone,
         effect_offices)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
    "SELECT pg_notify($1, $2)",
    "INSERT INTO record_verdicts (id, station_id, station_seq, verdict) VALUES ($1, $2, $3, $4)",
    "INSERT INTO record_station_progress (station_id, last_seq) VALUES ($1, $2)
     ON CONFLICT (station_id) DO UPDATE SET last_seq = EXCLUDED.last_seq",
    "SELECT last_seq FROM record_cursor WHERE office_id = $1 FOR UPDATE",
    "UPDATE record_cursor SET last_seq = $2 WHERE office_id = $1",
    "INSERT INTO record_case_office (case_id, office) VALUES ($1, $2)
     ON CONFLICT (case_id) DO UPDATE SET office = EXCLUDED.office",
];

/// The prepared statements.
pub(crate) struct Stmts(Vec<Statement>);

impl Stmts {
    /// From the pooled connection's statement cache (prepared on its first use).
    pub async fn cached(client: &deadpool_postgres::ClientWrapper) -> Result<Stmts, Error> {
        let mut out = Vec::with_capacity(SQL.len());
        for sql in SQL {
            out.push(client.prepare_cached(sql).await?);
        }
        Ok(Stmts(out))
    }

    /// Prepared in a caller's transaction.
    pub async fn prepare(tx: &Transaction<'_>) -> Result<Stmts, Error> {
        let all = futures_util::future::try_join_all(SQL.iter().map(|sql| tx.prepare(sql))).await?;
        Ok(Stmts(all))
    }

    pub fn get(&self, s: S) -> &Statement {
        &self.0[s as usize]
    }
}
