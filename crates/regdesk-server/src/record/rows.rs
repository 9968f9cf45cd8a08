//! The record's current rows (`record_rows`) and the column lists it knows
//! (`record_tables`).

use regdesk_sync::protocol::{Cell, Column, Row, RowEffect};
use serde_json::Value;
use tokio_postgres::types::Json;
use tokio_postgres::Transaction;

use super::stmts::{Stmts, S};
use super::{corrupt, RecordError};

/// A row as the record holds it.
#[derive(Debug, Clone)]
pub(crate) struct Current {
    pub row: Row,
    pub digest: String,
}

/// The record's row `(table, key)`, locked for the rest of the transaction.
pub(crate) async fn current(
    tx: &Transaction<'_>,
    stmts: &Stmts,
    table: &str,
    key: &str,
) -> Result<Option<Current>, RecordError> {
    let found = tx.query_opt(stmts.get(S::RowForUpdate), &[&table, &key]).await?;
    match found {
        None => Ok(None),
        Some(r) => Ok(Some(Current {
            row: parse_row(table, &r, 0)?,
            digest: r.get(1),
        })),
    }
}

/// Column `idx` of `r`, a row of `table` as the record stores it (`jsonb`),
/// decoded straight from its JSON.
pub(crate) fn parse_row(table: &str, r: &tokio_postgres::Row, idx: usize) -> Result<Row, RecordError> {
    r.try_get::<_, Json<Row>>(idx)
        .map(|j| j.0)
        .map_err(|e| corrupt(format!("数据表 {table} 的一行无法读取：{e}")))
}

/// Every row of `table` whose columns contain `(name, text)`.
pub(crate) async fn find(tx: &Transaction<'_>, table: &str, name: &str, text: &str) -> Result<Vec<Row>, RecordError> {
    let probe = serde_json::json!([{ "name": name, "value": { "T": text } }]);
    let rows = tx
        .query(
            "SELECT row FROM record_rows WHERE tbl = $1 AND row @> $2",
            &[&table, &probe],
        )
        .await?;
    rows.iter().map(|r| parse_row(table, r, 0)).collect()
}

/// Every row of `table`.
pub(crate) async fn all(tx: &Transaction<'_>, table: &str) -> Result<Vec<Row>, RecordError> {
    let rows = tx
        .query("SELECT row FROM record_rows WHERE tbl = $1", &[&table])
        .await?;
    rows.iter().map(|r| parse_row(table, r, 0)).collect()
}

/// The column names of `table` as the record knows them, `None` before its first row.
pub(crate) async fn known_columns(
    tx: &Transaction<'_>,
    stmts: &Stmts,
    table: &str,
) -> Result<Option<Vec<String>>, RecordError> {
    let found = tx.query_opt(stmts.get(S::Columns), &[&table]).await?;
    match found {
        None => Ok(None),
        Some(r) => serde_json::from_value(r.get::<_, Value>(0))
            .map(Some)
            .map_err(|e| corrupt(format!("数据表 {table} 的列清单无法读取：{e}"))),
    }
}

/// What the record already holds of the rows an entry writes, read when the
/// entry was decided: [`apply`] then leaves out the writes that would change
/// nothing.
pub(crate) struct Holds {
    /// Per table, the column names the record knows (`None`: no row of it yet).
    pub columns: std::collections::HashMap<String, Option<Vec<String>>>,
    /// The cases whose office the record already holds as the entry leaves it.
    pub same_office: std::collections::HashSet<String>,
}

/// Writes each effect's row (or deletes it), with the digest the record
/// computes itself, and learns the columns of a table it sees for the first
/// time (and the columns a newer schema added at its end). The statements go
/// to the database together, in order. With `holds`, a table's columns the
/// record knows already and a case's office that stays are not written again
/// (each such write locked a row and logged it, for every entry).
pub(crate) async fn apply(
    tx: &Transaction<'_>,
    stmts: &Stmts,
    effects: &[RowEffect],
    office_seq: i64,
    holds: Option<&Holds>,
) -> Result<(), RecordError> {
    struct Write<'a> {
        table: String,
        key: String,
        /// The row, its digest, its column names and its JSON's length.
        row: Option<(Json<&'a Row>, String, Value, i64)>,
        case_id: Option<String>,
        /// A case's office (`cases` rows only).
        office: Option<String>,
    }
    let mut writes = Vec::with_capacity(effects.len());
    for e in effects {
        let row = match &e.after {
            Some(row) => {
                let digest = regdesk_sync::row_digest(&e.table, &e.key, row);
                let value = Json(row);
                let names: Vec<&str> = row.iter().map(|c| c.name.as_str()).collect();
                let names = serde_json::to_value(names).map_err(corrupt)?;
                let len = i64::try_from(regdesk_sync::row_json_len(row)).unwrap_or(i64::MAX);
                Some((value, digest, names, len))
            }
            None => None,
        };
        let case_id = e
            .after
            .as_deref()
            .and_then(|r| super::scope::case_of(&e.table, &e.key, Some(r)));
        let office = match (&e.after, e.table == "cases") {
            (Some(r), true) => Some(super::scope::office_of(r)),
            _ => None,
        };
        writes.push(Write {
            table: e.table.clone(),
            key: e.key.clone(),
            row,
            case_id,
            office,
        });
    }
    type Pending<'a> =
        std::pin::Pin<Box<dyn std::future::Future<Output = Result<u64, tokio_postgres::Error>> + Send + 'a>>;
    // Per table, the longest column list written: the record learns a
    // table's columns from its first row, and the new ones a newer schema adds.
    let mut learnt: Vec<(&str, &Value)> = Vec::new();
    for w in &writes {
        let Some((_, _, names, _)) = &w.row else { continue };
        let len = names.as_array().map_or(0, Vec::len);
        match learnt.iter_mut().find(|(t, _)| *t == w.table.as_str()) {
            Some(slot) => {
                if slot.1.as_array().map_or(0, Vec::len) < len {
                    slot.1 = names;
                }
            }
            None => learnt.push((&w.table, names)),
        }
    }
    let mut pending: Vec<Pending<'_>> = Vec::with_capacity(writes.len() * 2);
    for w in &writes {
        match &w.row {
            Some((value, digest, _, len)) => {
                pending.push(Box::pin(async move {
                    tx.execute(
                        stmts.get(S::UpsertRow),
                        &[&w.table, &w.key, value, digest, &office_seq, &w.case_id, len],
                    )
                    .await
                }));
                if let (Some(case_id), Some(office)) = (&w.case_id, &w.office) {
                    if holds.is_some_and(|h| h.same_office.contains(case_id)) {
                        continue;
                    }
                    pending.push(Box::pin(async move {
                        tx.execute(stmts.get(S::UpsertCaseOffice), &[case_id, office]).await
                    }));
                }
            }
            None => pending.push(Box::pin(async move {
                tx.execute(stmts.get(S::DeleteRow), &[&w.table, &w.key]).await
            })),
        }
    }
    for (table, names) in learnt {
        let known = holds
            .and_then(|h| h.columns.get(table))
            .and_then(Option::as_ref)
            .map(Vec::len);
        // The record learns only a longer list than it has (`LearnTable`).
        if known.is_some_and(|n| n >= names.as_array().map_or(0, Vec::len)) {
            continue;
        }
        pending.push(Box::pin(async move {
            tx.execute(stmts.get(S::LearnTable), &[&table, names]).await
        }));
    }
    futures_util::future::try_join_all(pending).await?;
    Ok(())
}

/// A column's value.
pub(crate) fn cell<'a>(row: &'a [Column], name: &str) -> Option<&'a Cell> {
    row.iter().find(|c| c.name == name).map(|c| &c.value)
}

/// A text column's value (`None`: missing, NULL or not text).
pub(crate) fn text<'a>(row: &'a [Column], name: &str) -> Option<&'a str> {
    match cell(row, name) {
        Some(Cell::Text(t)) => Some(t.as_str()),
        _ => None,
    }
}

/// An integer column's value.
pub(crate) fn int(row: &[Column], name: &str) -> Option<i64> {
    match cell(row, name) {
        Some(Cell::Int(i)) => Some(*i),
        _ => None,
    }
}

/// Sets a column's value, in place.
pub(crate) fn set(row: &mut [Column], name: &str, value: Cell) -> bool {
    match row.iter_mut().find(|c| c.name == name) {
        Some(c) => {
            c.value = value;
            true
        }
        None => false,
    }
}

/// A table's name as the office says it.
pub(crate) fn table_label(name: &str) -> &str {
    regdesk_sync::table_label(name)
}

/// How a row is named in a message: a case by its serial, a staff member by
/// name, anything else by its table and key.
pub(crate) fn describe(table: &str, key: &str, row: Option<&[Column]>) -> String {
    let named = row.and_then(|r| match table {
        "cases" => text(r, "serial").map(|s| format!("案件 {s}")),
        "staff" => text(r, "display_name").map(|n| format!("工作人员 {n}")),
        "applicants" => text(r, "name").map(|n| format!("申请人 {n}")),
        _ => None,
    });
    named.unwrap_or_else(|| format!("{}（{key}）", table_label(table)))
}
