//! Row digests (数据行摘要): what each command left in the office's tables,
//! recorded in its journal entry so the audit chain covers the state itself.
//!
//! Every table that holds office state is audited: all of the database's
//! ordinary tables but the chain's own ([`UNAUDITED`]) and the full-text
//! index (a virtual table whose shadow tables SQLite keeps). The store's
//! connection carries temporary triggers on each of them that note the
//! (table, primary key) of every row inserted, updated or deleted in
//! `temp.audit_touched`; these triggers exist only on the store's own
//! connection, so a change made with any other program is never noted.
//! [`record`] reads each noted row as the command left it, before the
//! transaction commits, and returns `[table, key, digest]` for the journal
//! entry (`null` for a deleted row); `audit_rows` keeps each row's latest
//! digest and a short digest of each column, which lets `audit verify` name
//! the field that differs.
//!
//! A row's key is SQLite's `json_array` of its primary key's values (its
//! rowid for a table without one), made by SQLite both when noted and when
//! verified. A row's digest is SHA-256 over the table, the key and, for each
//! column in the table's order, its name and the SHA-256 of its typed value;
//! `audit_rows.hints` holds the first 8 hex digits of each column's digest.
//! The digest covers the columns the row had when it was recorded (the
//! length of its hints): a later migration that adds a column (always at the
//! end) leaves recorded digests valid until the row is next written.

use rusqlite::types::ValueRef;
use rusqlite::{params, Connection, OptionalExtension, Row};
use sha2::{Digest, Sha256};

use regdesk_sync::protocol::{Cell, Column, RowEffect};

use crate::error::{Result, StoreError};

/// Tables that are not office state: the chain itself and what records it,
/// the workstation's own note of its last full integrity check, and the
/// counts and lists kept by triggers (`case_counts`, `registration_counts`,
/// `certificate_waiting`: derived data that `audit verify` recounts from the
/// cases, the ledger and the sheets instead).
pub(crate) const UNAUDITED: &[&str] = &[
    "journal",
    "audit",
    "audit_rows",
    "audit_state",
    "integrity_checks",
    "case_counts",
    "registration_counts",
    "certificate_waiting",
    "sync_state",
];

/// Rows written by one statement when sync writes many rows of a table
/// ([`AuditedTable::upsert_many`]).
const UPSERT_ROWS: usize = 64;

/// Hex digits kept per column in `audit_rows.hints`.
const HINT: usize = 8;

/// One audited table: its name, the columns of its primary key (none: the
/// rowid) and the columns it stores, in table order. A generated column
/// (computed from the others, such as a case's queue) is not stored and not
/// digested: a change to what it is computed from is already named.
#[derive(Debug, Clone)]
pub(crate) struct AuditedTable {
    pub name: String,
    pub pk: Vec<String>,
    pub columns: Vec<String>,
    /// Writing a whole row as sync does, every stored column in table order
    /// (`INSERT … ON CONFLICT (key) DO UPDATE SET` each of them); empty for
    /// a table keyed by its rowid. Made once, not for every row.
    pub upsert: String,
    /// The same for [`AuditedTable::upsert_rows`] rows at once (one
    /// statement: the pages each statement changes are saved for its undo
    /// once, not once per row); empty for a table keyed by its rowid.
    pub upsert_many: String,
    /// How many rows `upsert_many` writes.
    pub upsert_rows: usize,
    /// Reading one row by its key (`select_one`), made once.
    select_one: String,
}

pub(crate) fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

impl AuditedTable {
    /// The SQL expression of a row's key (`json_array` of its primary key).
    pub(crate) fn key_expr(&self, row: &str) -> String {
        if self.pk.is_empty() {
            format!("json_array({row}rowid)")
        } else {
            let cols: Vec<String> = self.pk.iter().map(|c| format!("{row}{}", quote(c))).collect();
            format!("json_array({})", cols.join(", "))
        }
    }

    fn make_select_one(&self) -> String {
        let cond = if self.pk.is_empty() {
            "rowid = ?1".to_string()
        } else {
            self.pk
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{} = ?{}", quote(c), i + 1))
                .collect::<Vec<_>>()
                .join(" AND ")
        };
        format!(
            "SELECT {} FROM main.{} WHERE {cond}",
            self.column_list(),
            quote(&self.name)
        )
    }

    /// Every row with its key first.
    pub fn select_all(&self) -> String {
        format!(
            "SELECT {} AS k, {} FROM main.{}",
            self.key_expr(""),
            self.column_list(),
            quote(&self.name)
        )
    }

    fn column_list(&self) -> String {
        self.columns.iter().map(|c| quote(c)).collect::<Vec<_>>().join(", ")
    }
}

/// The office's name for a table, for reports (its SQL name if it has none).
pub(crate) fn table_label(name: &str) -> &str {
    regdesk_sync::table_label(name)
}

/// The audited tables of the database, read from its schema.
pub(crate) fn audited_tables(conn: &Connection) -> Result<Vec<AuditedTable>> {
    let mut stmt = conn.prepare(
        "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table'
           AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )?;
    let names: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for name in names {
        if UNAUDITED.contains(&name.as_str()) {
            continue;
        }
        let mut info = conn.prepare("SELECT name, pk FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk")?;
        let pk: Vec<String> = info
            .query_map([&name], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        // hidden: 0 a stored column, 2 and 3 generated ones.
        let mut info = conn.prepare("SELECT name FROM pragma_table_xinfo(?1) WHERE hidden = 0 ORDER BY cid")?;
        let columns: Vec<String> = info
            .query_map([&name], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut t = AuditedTable {
            name,
            pk,
            columns,
            upsert: String::new(),
            upsert_many: String::new(),
            upsert_rows: 0,
            select_one: String::new(),
        };
        t.select_one = t.make_select_one();
        if !t.pk.is_empty() {
            let names: Vec<String> = t.columns.iter().map(|c| quote(c)).collect();
            let marks = (1..=names.len())
                .map(|i| format!("?{i}"))
                .collect::<Vec<_>>()
                .join(", ");
            let set: Vec<String> = names.iter().map(|n| format!("{n} = excluded.{n}")).collect();
            let target = t.pk.iter().map(|c| quote(c)).collect::<Vec<_>>().join(", ");
            t.upsert = format!(
                "INSERT INTO main.{} ({}) VALUES ({marks}) ON CONFLICT ({target}) DO UPDATE SET {}",
                quote(&t.name),
                names.join(", "),
                set.join(", ")
            );
            // Within SQLite's limit of bound values per statement (32,766).
            t.upsert_rows = (UPSERT_ROWS * names.len()).min(32_000) / names.len().max(1);
            let row = format!("({})", vec!["?"; names.len()].join(", "));
            t.upsert_many = format!(
                "INSERT INTO main.{} ({}) VALUES {} ON CONFLICT ({target}) DO UPDATE SET {}",
                quote(&t.name),
                names.join(", "),
                vec![row; t.upsert_rows].join(", "),
                set.join(", ")
            );
        }
        out.push(t);
    }
    Ok(out)
}

/// Creates the temporary table and triggers that note every row the store's
/// own connection changes.
pub(crate) fn install_capture(conn: &Connection, tables: &[AuditedTable]) -> Result<()> {
    conn.execute_batch(
        // No key: an OR IGNORE inside a trigger would yield to the outer
        // statement's conflict clause (an upsert's), so duplicates are kept
        // and read once.
        "CREATE TEMP TABLE IF NOT EXISTS audit_touched (tbl TEXT NOT NULL, key TEXT NOT NULL);
         CREATE TEMP TABLE IF NOT EXISTS audit_before (tbl TEXT NOT NULL, key TEXT NOT NULL, n INTEGER NOT NULL, v);
         CREATE INDEX IF NOT EXISTS temp.audit_before_row ON audit_before (tbl, key);",
    )?;
    for (i, t) in tables.iter().enumerate() {
        let table = quote(&t.name);
        let lit = t.name.replace('\'', "''");
        let note = |row: &str| {
            format!(
                "INSERT INTO audit_touched (tbl, key) VALUES ('{lit}', {});",
                t.key_expr(row)
            )
        };
        // A shared row's columns before the command changes it, for the
        // fields its entry names (`audit_before.v` has no type: every value
        // is kept exactly as stored). The first image of a row in a command
        // is the row before it.
        let before = if regdesk_sync::is_shared_table(&t.name) && !t.columns.is_empty() {
            let key = t.key_expr("OLD.");
            let values = t
                .columns
                .iter()
                .enumerate()
                .map(|(n, c)| format!("('{lit}', {key}, {n}, OLD.{})", quote(c)))
                .collect::<Vec<_>>()
                .join(", ");
            format!("INSERT INTO audit_before (tbl, key, n, v) VALUES {values};")
        } else {
            String::new()
        };
        conn.execute_batch(&format!(
            "CREATE TEMP TRIGGER IF NOT EXISTS audit_touch_{i}_i AFTER INSERT ON main.{table} BEGIN {} END;
             CREATE TEMP TRIGGER IF NOT EXISTS audit_touch_{i}_u AFTER UPDATE ON main.{table} BEGIN {} {} {before} END;
             CREATE TEMP TRIGGER IF NOT EXISTS audit_touch_{i}_d AFTER DELETE ON main.{table} BEGIN {} {before} END;",
            note("NEW."),
            note("OLD."),
            note("NEW."),
            note("OLD."),
        ))?;
    }
    Ok(())
}

/// Drops the triggers of [`install_capture`]: commands then note no rows
/// (benchmarks only, to measure what the capture costs).
#[cfg(feature = "bench-internals")]
pub(crate) fn remove_capture(conn: &Connection, tables: &[AuditedTable]) -> Result<()> {
    for i in 0..tables.len() {
        conn.execute_batch(&format!(
            "DROP TRIGGER IF EXISTS temp.audit_touch_{i}_i;
             DROP TRIGGER IF EXISTS temp.audit_touch_{i}_u;
             DROP TRIGGER IF EXISTS temp.audit_touch_{i}_d;"
        ))?;
    }
    Ok(())
}

#[cfg(feature = "bench-internals")]
impl crate::Store {
    /// Benchmarks only (feature `bench-internals`): commands stop noting the
    /// rows they touch, so their journal entries carry no row digests — what
    /// a command cost before the audit chain covered the state.
    #[doc(hidden)]
    pub fn bench_stop_row_capture(&self) -> Result<()> {
        remove_capture(&self.conn(), &self.audited)
    }
}

/// SHA-256 of a typed value: its type's letter, then its bytes (an integer's
/// or a real's eight, big-endian), fed to the hash as they are stored.
fn value_digest(v: ValueRef<'_>) -> [u8; 32] {
    let mut h = Sha256::new();
    match v {
        ValueRef::Null => h.update(b"N"),
        ValueRef::Integer(i) => {
            h.update(b"I");
            h.update(i.to_be_bytes());
        }
        ValueRef::Real(f) => {
            h.update(b"R");
            h.update(f.to_bits().to_be_bytes());
        }
        ValueRef::Text(t) => {
            h.update(b"T");
            h.update(t);
        }
        ValueRef::Blob(b) => {
            h.update(b"B");
            h.update(b);
        }
    }
    h.finalize().into()
}

/// A row's digest over its first `columns` columns (starting at `offset` in
/// `row`), and the hint of each of them.
pub(crate) fn digest_row(
    table: &str,
    key: &str,
    names: &[String],
    row: &Row<'_>,
    offset: usize,
    columns: usize,
) -> rusqlite::Result<(String, Vec<String>)> {
    let mut h = Sha256::new();
    h.update(b"regdesk-row/1\0");
    h.update(table.as_bytes());
    h.update(b"\0");
    h.update(key.as_bytes());
    let mut hints = Vec::with_capacity(columns);
    for (i, name) in names.iter().enumerate().take(columns) {
        let col = value_digest(row.get_ref(offset + i)?);
        h.update(b"\0");
        h.update(name.as_bytes());
        h.update(b"\0");
        h.update(col);
        // The first HINT hex digits: the first HINT / 2 bytes, encoded alone.
        hints.push(hex::encode(&col[..HINT / 2]));
    }
    Ok((hex::encode(h.finalize()), hints))
}

/// Splits `audit_rows.hints` into one hint per column.
pub(crate) fn split_hints(hints: &str) -> Vec<&str> {
    let mut out = Vec::with_capacity(hints.len() / HINT);
    let mut rest = hints;
    while rest.len() >= HINT && rest.is_char_boundary(HINT) {
        let (head, tail) = rest.split_at(HINT);
        out.push(head);
        rest = tail;
    }
    out
}

pub(crate) fn key_values(key: &str) -> Result<Vec<rusqlite::types::Value>> {
    use rusqlite::types::Value;
    let parsed: Vec<serde_json::Value> =
        serde_json::from_str(key).map_err(|e| StoreError::Corrupt(format!("审计行键 {key}：{e}")))?;
    parsed
        .into_iter()
        .map(|v| match v {
            serde_json::Value::Null => Ok(Value::Null),
            serde_json::Value::String(s) => Ok(Value::Text(s)),
            serde_json::Value::Number(n) => n
                .as_i64()
                .map(Value::Integer)
                .or_else(|| n.as_f64().map(Value::Real))
                .ok_or_else(|| StoreError::Corrupt(format!("审计行键 {key}"))),
            other => Err(StoreError::Corrupt(format!("审计行键 {key} 含 {other}"))),
        })
        .collect()
}

/// A column's value as the sync protocol carries it, typed as SQLite stores it.
pub(crate) fn cell_of(v: ValueRef<'_>) -> Cell {
    match v {
        ValueRef::Null => Cell::Null,
        ValueRef::Integer(i) => Cell::Int(i),
        ValueRef::Real(f) => Cell::Real(f),
        ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Cell::Blob(b.to_vec()),
    }
}

/// A row's columns (starting at `offset` in `row`) as the sync protocol carries them.
pub(crate) fn columns_of(names: &[String], row: &Row<'_>, offset: usize) -> rusqlite::Result<Vec<Column>> {
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            Ok(Column {
                name: name.clone(),
                value: cell_of(row.get_ref(offset + i)?),
            })
        })
        .collect()
}

/// What [`record`] wrote for one entry.
pub(crate) struct RecordedEntry {
    /// The entry's `row_digests` JSON.
    pub digests: String,
    /// The entry's `effects` JSON: each touched row of a shared table (`None`
    /// when asked for none, as for a baseline or a snapshot's rows).
    pub effects: Option<String>,
}

/// Records the rows this command changed (every audited row when `all`)
/// under entry `seq`; returns the entry's `row_digests` JSON and, when
/// `with_effects`, its `effects`: for each touched row of a table the office
/// shares ([`regdesk_sync::is_shared_table`]), its digest before the command
/// (read from `audit_rows` before it is overwritten) and its columns after.
pub(crate) fn record(
    conn: &Connection,
    tables: &[AuditedTable],
    seq: i64,
    all: bool,
    with_effects: bool,
) -> Result<RecordedEntry> {
    let mut touched: Vec<(String, String)> = Vec::new();
    if all {
        for t in tables {
            let mut stmt = conn.prepare(&format!("SELECT {} FROM main.{}", t.key_expr(""), quote(&t.name)))?;
            let keys = stmt.query_map([], |r| r.get::<_, String>(0))?;
            for k in keys {
                touched.push((t.name.clone(), k?));
            }
        }
        touched.sort();
    } else {
        let mut stmt = conn.prepare_cached("SELECT DISTINCT tbl, key FROM temp.audit_touched ORDER BY tbl, key")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for r in rows {
            touched.push(r?);
        }
    }
    conn.execute("DELETE FROM temp.audit_touched", [])?;
    // The rows' columns before the command, read before they are cleared.
    let before_images = if with_effects {
        read_before(conn)?
    } else {
        Default::default()
    };
    conn.execute("DELETE FROM temp.audit_before", [])?;
    let mut out: Vec<serde_json::Value> = Vec::with_capacity(touched.len());
    let mut effects: Vec<RowEffect> = Vec::new();
    for (tbl, key) in touched {
        let Some(t) = tables.iter().find(|t| t.name == tbl) else {
            continue;
        };
        let shared = with_effects && regdesk_sync::is_shared_table(&tbl);
        let before: Option<String> = if shared {
            conn.prepare_cached("SELECT digest FROM audit_rows WHERE tbl = ?1 AND key = ?2")?
                .query_row(params![tbl, key], |r| r.get(0))
                .optional()?
        } else {
            None
        };
        let values = key_values(&key)?;
        let mut stmt = conn.prepare_cached(&t.select_one)?;
        let names: Vec<String> = stmt.column_names().into_iter().map(String::from).collect();
        let found = stmt
            .query_row(rusqlite::params_from_iter(values.iter()), |r| {
                let (digest, hints) = digest_row(&tbl, &key, &names, r, 0, names.len())?;
                let after = if shared { Some(columns_of(&names, r, 0)?) } else { None };
                Ok((digest, hints, after))
            })
            .optional()?;
        match found {
            Some((digest, hints, after)) => {
                conn.prepare_cached(
                    "INSERT INTO audit_rows (tbl, key, seq, digest, hints) VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (tbl, key) DO UPDATE SET seq = ?3, digest = ?4, hints = ?5",
                )?
                .execute(params![tbl, key, seq, digest, hints.concat()])?;
                out.push(serde_json::json!([tbl, key, digest]));
                if shared && before.as_deref() != Some(digest.as_str()) {
                    // The fields an existing row's command changed, with their values before.
                    let changed = match (&before, &after, before_images.get(&(tbl.clone(), key.clone()))) {
                        (Some(_), Some(after), Some(image)) => {
                            let old: Vec<Column> = image
                                .iter()
                                .filter_map(|(n, value)| {
                                    t.columns.get(*n).map(|name| Column {
                                        name: name.clone(),
                                        value: value.clone(),
                                    })
                                })
                                .collect();
                            Some(regdesk_sync::fields::changes(&old, after))
                        }
                        _ => None,
                    };
                    effects.push(RowEffect {
                        table: tbl,
                        key,
                        before,
                        after,
                        changed,
                    });
                }
            }
            None => {
                conn.prepare_cached("DELETE FROM audit_rows WHERE tbl = ?1 AND key = ?2")?
                    .execute(params![tbl, key])?;
                out.push(serde_json::json!([tbl, key, null]));
                if shared && before.is_some() {
                    effects.push(RowEffect {
                        table: tbl,
                        key,
                        before,
                        after: None,
                        changed: None,
                    });
                }
            }
        }
    }
    let effects = if with_effects {
        Some(serde_json::to_string(&effects).map_err(|e| StoreError::Corrupt(e.to_string()))?)
    } else {
        None
    };
    Ok(RecordedEntry {
        digests: serde_json::Value::Array(out).to_string(),
        effects,
    })
}

/// Each row's columns (by position in its table) as they were before the
/// command, from `temp.audit_before`: the first image noted of a row wins.
type BeforeImages = std::collections::HashMap<(String, String), Vec<(usize, Cell)>>;

fn read_before(conn: &Connection) -> Result<BeforeImages> {
    let mut out: BeforeImages = Default::default();
    let mut stmt = conn.prepare_cached("SELECT tbl, key, n, v FROM temp.audit_before ORDER BY rowid")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let n: i64 = r.get(2)?;
        let image = out.entry((r.get(0)?, r.get(1)?)).or_default();
        let n = usize::try_from(n).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        if !image.iter().any(|(m, _)| *m == n) {
            image.push((n, cell_of(r.get_ref(3)?)));
        }
    }
    Ok(out)
}

/// One recorded row in an entry's `row_digests`.
pub(crate) struct Recorded {
    pub table: String,
    pub key: String,
    pub digest: Option<String>,
}

/// Reads an entry's `row_digests`.
pub(crate) fn parse_recorded(text: &str) -> std::result::Result<Vec<Recorded>, String> {
    let items: Vec<(String, String, Option<String>)> = serde_json::from_str(text).map_err(|e| e.to_string())?;
    Ok(items
        .into_iter()
        .map(|(table, key, digest)| Recorded { table, key, digest })
        .collect())
}
