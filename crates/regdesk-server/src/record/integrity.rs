//! The store's constraints held by the record: every UNIQUE constraint of a
//! shared table (`regdesk_sync::UNIQUE_KEYS`) and every reference between
//! shared tables (`regdesk_sync::REFERENCES`). Two stations may take the
//! same value offline (one ID number made an applicant at both); the record
//! accepts the first and refuses the later as a clash, so no station is ever
//! sent rows its own database refuses. A row that refers to a row the record
//! does not hold (made by an entry the record refused) is refused the same
//! way. Only what an entry changes is checked: a new row, or a row whose
//! constrained columns it changes.

use regdesk_sync::protocol::{Cell, Entry, RejectCode, Row, RowEffect};
use regdesk_sync::{Reference, UniqueKey, REFERENCES, UNIQUE_KEYS};
use serde_json::Value;
use tokio_postgres::Transaction;

use super::admit::{Rejection, Touched};
use super::rows::{self, describe, table_label};
use super::stmts::{Stmts, S};
use super::{corrupt, RecordError};

/// The record's row that holds a value first.
struct Holder {
    key: String,
    row: Row,
    digest: String,
}

/// The entry's clashes with the record's unique values and its references to
/// rows the record does not hold: the first found, in the order of the
/// entry's effects and then its references, as a rejection carrying the
/// record's row it clashes with. Every look-up goes to the database in one
/// round trip; the answers are judged in that order after.
pub(crate) async fn check(
    tx: &Transaction<'_>,
    stmts: &Stmts,
    entry: &Entry,
    touched: &Touched,
) -> Result<Result<(), Rejection>, RecordError> {
    // What the entry leaves in each row it touches.
    let after_of = |table: &str, key: &str| -> Option<Option<&Row>> {
        entry
            .effects
            .iter()
            .find(|e| e.table == table && e.key == key)
            .map(|e| e.after.as_ref())
    };
    /// One unique value the entry sets, in order: refused within the entry
    /// itself, or to be looked up in the record.
    enum Step<'a> {
        Refused(Rejection),
        Lookup {
            e: &'a RowEffect,
            after: &'a Row,
            i: usize,
            k: &'a UniqueKey,
            values: Vec<Cell>,
        },
    }
    let mut steps: Vec<Step<'_>> = Vec::new();
    'effects: for (e, (_, _, current)) in entry.effects.iter().zip(touched) {
        let Some(after) = &e.after else { continue };
        for (i, k) in UNIQUE_KEYS.iter().enumerate().filter(|(_, k)| k.table == e.table) {
            let Some(values) = k.values(after) else { continue };
            if current.as_ref().and_then(|c| k.values(&c.row)).as_ref() == Some(&values) {
                continue;
            }
            // Another row of this entry with the same values.
            if let Some(other) = entry.effects.iter().find(|o| {
                o.table == e.table
                    && o.key != e.key
                    && o.after.as_deref().and_then(|r| k.values(r)) == Some(values.clone())
            }) {
                steps.push(Step::Refused(Rejection::new(
                    RejectCode::Malformed,
                    format!(
                        "这条记录中{}与{}的{}相同（{}），服务器不能接收",
                        describe(&e.table, &e.key, Some(after)),
                        describe(&other.table, &other.key, other.after.as_deref()),
                        k.label,
                        shown(&values)
                    ),
                )));
                // Nothing after the first refusal is judged.
                break 'effects;
            }
            steps.push(Step::Lookup { e, after, i, k, values });
        }
    }
    let lookups = steps.iter().filter_map(|s| match s {
        Step::Lookup { e, i, k, values, .. } => Some(holders(tx, stmts, *i, k, values, &e.key)),
        Step::Refused(_) => None,
    });
    let (found, referred) = tokio::try_join!(
        futures_util::future::try_join_all(lookups),
        references(tx, stmts, entry, touched),
    )?;
    let mut found = found.into_iter();
    for step in steps {
        let (e, after, k, values) = match step {
            Step::Refused(r) => return Ok(Err(r)),
            Step::Lookup {
                e, after, k, values, ..
            } => (e, after, k, values),
        };
        let holders = found.next().ok_or_else(|| corrupt("唯一值检查的结果无法对应"))?;
        for holder in holders {
            // A row this entry changes counts as the entry leaves it.
            let counted = match after_of(&e.table, &holder.key) {
                Some(left) => left.and_then(|r| k.values(r)).as_ref() == Some(&values),
                None => k.values(&holder.row).as_ref() == Some(&values),
            };
            if !counted {
                continue;
            }
            let theirs = describe(&e.table, &holder.key, Some(&holder.row));
            let mut r = Rejection::new(
                RejectCode::Conflict,
                format!(
                    "{}的{}“{}”在服务器上已由{}使用（另一工作站先登记），同一{}只能有一条{}：{}",
                    describe(&e.table, &e.key, Some(after)),
                    k.label,
                    shown(&values),
                    theirs,
                    k.label,
                    table_label(&e.table),
                    advice(k)
                ),
            );
            r.also.push(RowEffect {
                table: e.table.clone(),
                key: holder.key,
                before: Some(holder.digest),
                after: Some(holder.row),
                changed: None,
            });
            return Ok(Err(r));
        }
    }
    Ok(referred)
}

/// What the person whose entry clashed should do.
fn advice(k: &UniqueKey) -> String {
    match k.table {
        "applicants" => "请在“需处理”中放弃这条记录，在申请人中找到已有的这位申请人后重新办理".into(),
        "staff" => "请在“需处理”中放弃这条记录，换一个用户名重新添加".into(),
        "transfers" => "请核对这笔转账是否已由他人登记：已登记的请放弃这条记录，否则核对流水号后重新登记".into(),
        _ => format!(
            "请在“需处理”中对照服务器上的{}，放弃这条记录或换一个{}后重新办理",
            table_label(k.table),
            k.label
        ),
    }
}

/// How a key's values are shown: the last column's (the ID number, the
/// reference, the serial), which names it for a person.
fn shown(values: &[Cell]) -> String {
    match values.last() {
        Some(Cell::Text(t)) => t.clone(),
        Some(Cell::Int(i)) => i.to_string(),
        Some(Cell::Real(f)) => f.to_string(),
        _ => String::new(),
    }
}

/// How the record finds a column's value in a row (`record_rows.row`, a
/// `Vec<Column>`): the expression of the indexes of migration 0007.
fn column_expr(column: &str) -> String {
    format!("jsonb_path_query_first(row, '$[*] ? (@.name == \"{column}\").value')")
}

/// The search for the record's rows of the key's table, other than `$1`,
/// holding the values `$2…` (prepared once per connection, [`Stmts`]).
pub(crate) fn holders_sql(k: &UniqueKey) -> String {
    // The table and column names come from the fixed list, never from a station.
    let mut sql = format!(
        "SELECT key, row, digest FROM record_rows WHERE tbl = '{}' AND key <> $1",
        k.table
    );
    for (i, c) in k.columns.iter().enumerate() {
        sql.push_str(&format!(" AND {} = ${}", column_expr(c), i + 2));
    }
    sql.push_str(" ORDER BY office_seq LIMIT 5");
    sql
}

/// The record's rows of the key's table (key number `i` of `UNIQUE_KEYS`),
/// other than `key`, holding `values`.
async fn holders(
    tx: &Transaction<'_>,
    stmts: &Stmts,
    i: usize,
    k: &UniqueKey,
    values: &[Cell],
    key: &str,
) -> Result<Vec<Holder>, RecordError> {
    let cells: Vec<Value> = values
        .iter()
        .map(|v| serde_json::to_value(v).map_err(corrupt))
        .collect::<Result<_, _>>()?;
    let mut params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = vec![&key];
    for c in &cells {
        params.push(c);
    }
    let statement = stmts
        .holders(i)
        .ok_or_else(|| corrupt(format!("唯一值 {} 的查询没有准备", k.label)))?;
    let found = tx.query(statement, &params).await?;
    found
        .into_iter()
        .map(|r| {
            Ok(Holder {
                key: r.get(0),
                row: rows::parse_row(k.table, &r, 1)?,
                digest: r.get(2),
            })
        })
        .collect()
}

/// The record's key of the row a reference names.
fn target_key(value: &Cell) -> Option<String> {
    match value {
        Cell::Text(t) => serde_json::to_string(&[t]).ok(),
        Cell::Int(i) => Some(format!("[{i}]")),
        _ => None,
    }
}

/// Every row the entry leaves refers only to rows the record holds (or the
/// entry makes).
async fn references(
    tx: &Transaction<'_>,
    stmts: &Stmts,
    entry: &Entry,
    touched: &Touched,
) -> Result<Result<(), Rejection>, RecordError> {
    // (effect, reference, the target's key) to look up in the record.
    let mut wanted: Vec<(&RowEffect, &Reference, String, &Cell)> = Vec::new();
    for (e, (_, _, current)) in entry.effects.iter().zip(touched) {
        let Some(after) = &e.after else { continue };
        for r in REFERENCES.iter().filter(|r| r.table == e.table) {
            let Some(value) = rows::cell(after, r.column).filter(|v| !matches!(v, Cell::Null)) else {
                continue;
            };
            if current.as_ref().and_then(|c| rows::cell(&c.row, r.column)) == Some(value) {
                continue;
            }
            let Some(target) = target_key(value) else { continue };
            match entry.effects.iter().find(|o| o.table == r.target && o.key == target) {
                Some(o) if o.after.is_some() => continue,
                Some(_) => return Ok(Err(missing(e, r, value, after, true))),
                None => wanted.push((e, r, target, value)),
            }
        }
    }
    if wanted.is_empty() {
        return Ok(Ok(()));
    }
    let tables: Vec<&str> = wanted.iter().map(|w| w.1.target).collect();
    let keys: Vec<&str> = wanted.iter().map(|w| w.2.as_str()).collect();
    let absent = tx.query(stmts.get(S::Absent), &[&tables, &keys]).await?;
    let Some(first) = absent.first() else {
        return Ok(Ok(()));
    };
    let n: i64 = first.get(0);
    let (e, r, _, value) = usize::try_from(n - 1)
        .ok()
        .and_then(|i| wanted.get(i))
        .ok_or_else(|| corrupt("引用检查的结果无法对应"))?;
    let after = e.after.as_deref().unwrap_or_default();
    Ok(Err(missing(e, r, value, after, false)))
}

fn missing(
    e: &RowEffect,
    r: &Reference,
    value: &Cell,
    after: &[regdesk_sync::protocol::Column],
    deleted: bool,
) -> Rejection {
    let what = shown(std::slice::from_ref(value));
    let why = if deleted {
        "这条记录同时删除了它".to_string()
    } else {
        "建立它的记录可能已被服务器退回（见“需处理”）".to_string()
    };
    Rejection::new(
        RejectCode::Conflict,
        format!(
            "{}引用的{}（{what}）不在服务器的记录中，{why}：请先处理那条记录，再重新办理这一条",
            describe(&e.table, &e.key, Some(after)),
            table_label(r.target)
        ),
    )
}
