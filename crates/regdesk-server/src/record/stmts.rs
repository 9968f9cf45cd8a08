//! The statements of deciding an entry, prepared once per connection: a
//! pushed entry costs one round trip per statement (a statement prepared
//! anew would cost two, and PostgreSQL's planning each time), and the writes
//! of an accepted entry go to the database together.

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
    HeldOffices,
    Absent,
    KeepHead,
}

const SQL: [&str; 18] = [
    "SELECT verdict FROM record_verdicts WHERE id = $1",
    "SELECT id FROM record_verdicts WHERE station_id = $1 AND station_seq = $2",
    "SELECT last_seq FROM record_station_progress WHERE station_id = $1 FOR UPDATE",
    "SELECT row, digest FROM record_rows WHERE tbl = $1 AND key = $2 FOR UPDATE",
    "SELECT columns FROM record_tables WHERE tbl = $1",
    "INSERT INTO record_rows (tbl, key, row, digest, office_seq, case_id, row_len) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (tbl, key) DO UPDATE SET row = EXCLUDED.row, digest = EXCLUDED.digest,
         office_seq = EXCLUDED.office_seq, case_id = EXCLUDED.case_id, row_len = EXCLUDED.row_len",
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
    "SELECT case_id, office FROM record_case_office WHERE case_id = ANY($1)",
    "SELECT u.n FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(t, k, n)
     WHERE NOT EXISTS (SELECT 1 FROM record_rows r WHERE r.tbl = u.t AND r.key = u.k)
     ORDER BY u.n LIMIT 1",
    super::KEEP_HEAD,
];

/// The prepared statements: the fixed ones, and per unique key
/// (`regdesk_sync::UNIQUE_KEYS`, same order) the search for the rows that
/// hold a value ([`super::integrity::holders_sql`]).
pub(crate) struct Stmts {
    fixed: Vec<Statement>,
    holders: Vec<Statement>,
}

impl Stmts {
    /// From the pooled connection's statement cache (prepared on its first use).
    pub async fn cached(client: &deadpool_postgres::ClientWrapper) -> Result<Stmts, Error> {
        let mut fixed = Vec::with_capacity(SQL.len());
        for sql in SQL {
            fixed.push(client.prepare_cached(sql).await?);
        }
        let mut holders = Vec::with_capacity(regdesk_sync::UNIQUE_KEYS.len());
        for k in regdesk_sync::UNIQUE_KEYS {
            holders.push(client.prepare_cached(&super::integrity::holders_sql(k)).await?);
        }
        Ok(Stmts { fixed, holders })
    }

    /// Prepared in a caller's transaction.
    pub async fn prepare(tx: &Transaction<'_>) -> Result<Stmts, Error> {
        let fixed = futures_util::future::try_join_all(SQL.iter().map(|sql| tx.prepare(sql))).await?;
        let texts: Vec<String> = regdesk_sync::UNIQUE_KEYS
            .iter()
            .map(super::integrity::holders_sql)
            .collect();
        let holders = futures_util::future::try_join_all(texts.iter().map(|sql| tx.prepare(sql))).await?;
        Ok(Stmts { fixed, holders })
    }

    pub fn get(&self, s: S) -> &Statement {
        &self.fixed[s as usize]
    }

    /// The search for the holders of unique key number `i` of `UNIQUE_KEYS`.
    pub fn holders(&self, i: usize) -> Option<&Statement> {
        self.holders.get(i)
    }
}
