//! The station's side of sync (同步) with the central server.
//!
//! - **Effects**: every entry [`Store::run`] appends carries, besides its row
//!   digests, the effect of the command on each row of a shared table
//!   (`journal.effects`, see `rows.rs::record`): the row's digest before and
//!   its columns after. That is what another station needs to apply it.
//! - **Outbox**: the entries of this station made after enrolment that have
//!   shared effects and no verdict yet (`journal.synced_at` NULL). Entries
//!   made before enrolment (`sync_enrolment.since_seq`) and entries with no
//!   shared effect (the enrolment itself, an inbox item discarded) never go.
//! - **Verdicts**: accepted → `synced_at` and `office_seq`; rejected → the
//!   `sync_inbox` (需处理) with the whole entry, the reason and the server's
//!   current rows, which are put back into the tables so the station shows
//!   the server's truth (one journaled `sync_rejected` entry, never pushed);
//!   `retry_later` → untouched.
//! - **Pull**: each pulled entry in one transaction with its own journal and
//!   audit entry (`journal.origin_id`, `origin_station`, `office_seq`, chained
//!   with the entry), its rows written by column name; the station's own
//!   accepted entries only bring what the server added. The cursor moves in
//!   the same transaction. Refused while the outbox holds entries.
//! - **Snapshot**: a station that joins an existing office takes the
//!   office's rows in chunks (`apply_snapshot`), each chunk one journaled
//!   entry recording the rows' digests, resumable after the last row applied.
//!
//! `sync_state` (cursor, last round, snapshot progress) is the workstation's
//! own bookkeeping and not audited, like `integrity_checks`.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, Utc};
use regdesk_domain::category::WorkCategory;
use regdesk_domain::regno::RegistrationNumber;
use regdesk_domain::staff::Permission;
use regdesk_domain::FieldError;
use regdesk_sync::protocol::{
    Cell, Column, Entry, EntryVerdict, LeaseReply, LeaseRequest, OfficeInfo, PulledEntry, RejectCode, RowEffect,
    SeriesKey, SnapshotChunk, SnapshotRequest, SnapshotRow, Verdict,
};
use regdesk_sync::station::{Enrolment, StationRecord, SyncOutcome};
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Result, StoreError};
use crate::journal::{Change, Pulled, SyncMeta};
use crate::rows::{self, quote, AuditedTable};
use crate::session::{actor, Session};
use crate::Store;

/// The sync screen's and the header's view of this station's sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SyncStatusView {
    /// Enrolled with a central server (else the station works alone).
    pub enrolled: bool,
    pub server_url: Option<String>,
    /// The name the server's admin gave this station.
    pub station_name: Option<String>,
    pub office_name: Option<String>,
    /// The pinned office CA's SHA-256 fingerprint.
    pub ca_fingerprint: Option<String>,
    pub enrolled_at: Option<DateTime<Utc>>,
    pub last_success: Option<DateTime<Utc>>,
    pub last_attempt: Option<DateTime<Utc>>,
    /// Why the last round failed, in words (`None` after a successful one).
    pub last_error: Option<String>,
    /// The last round failed: the header shows 离线 · N 条待同步.
    pub offline: bool,
    /// Entries waiting for the server's verdict.
    pub pending: u32,
    /// Rejected entries in 需处理 not yet redone or discarded.
    pub inbox: u32,
    /// The office cursor applied up to.
    pub cursor: i64,
    /// A first sync under way.
    pub snapshot: Option<SnapshotProgress>,
}

/// How far a first sync's snapshot has come (the progress bar: rows and bytes of the total).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SnapshotProgress {
    pub snapshot_id: String,
    pub rows_done: u64,
    pub rows_total: u64,
    pub bytes_done: u64,
    pub bytes_total: u64,
    /// The snapshot is complete; pulls go on from its cursor.
    pub done: bool,
}

/// 需处理: one entry the server rejected, with everything the person entered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct InboxItemView {
    /// The rejected journal entry's id.
    pub entry_id: String,
    pub staff_id: Option<String>,
    /// Who made it (their display name at this station).
    pub staff_name: Option<String>,
    /// When they made it (their station's clock).
    pub at: DateTime<Utc>,
    /// The command's name (`final_review`, `save_draft`, …): the form 重做 opens.
    pub command: String,
    /// The command in words (终审、保存填报……).
    pub command_words: String,
    pub entity: String,
    pub entity_id: String,
    /// The case concerned, when the entry was about one: its screen shows the banner.
    pub case_id: Option<String>,
    /// What they entered, all of it: 重做 prefills the form from it.
    #[ts(type = "unknown")]
    pub payload: serde_json::Value,
    /// The server's reason code (`conflict`, `four_eyes`, …).
    pub code: String,
    /// The server's reason, in Chinese.
    pub reason: String,
    pub received_at: DateTime<Utc>,
    /// Each row the entry touched: their values beside the server's current ones.
    pub rows: Vec<InboxRowView>,
    /// Everything they entered, labelled and display-ready (ID numbers and
    /// addresses masked); `payload` keeps the values for 重做.
    pub entered: Vec<InboxLineView>,
}

/// One labelled value of what a person entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct InboxLineView {
    pub label: String,
    pub value: String,
}

/// One row of a rejected entry: what the person left it as and what the server holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct InboxRowView {
    pub table: String,
    /// The table's name in words (案件、申请人……).
    pub table_label: String,
    pub key: String,
    /// The row as people name it: a case's serial, a person's name, else its key's value.
    pub record: String,
    /// The row as the person's command left it is gone (a deletion).
    pub theirs_deleted: bool,
    /// The server has no such row.
    pub server_missing: bool,
    /// Each field in which the two differ (all fields when one side has no
    /// row), bookkeeping columns left out and a JSON column opened into its fields.
    pub fields: Vec<InboxFieldView>,
}

/// One column of [`InboxRowView`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct InboxFieldView {
    /// The column, or `column.path` of a field inside a JSON column.
    pub column: String,
    /// The field in words (作品名称、著作权人 1 · 证件号码……).
    pub label: String,
    /// Display-ready values: masked, money in yuan, codes in words.
    pub theirs: Option<String>,
    pub server: Option<String>,
}

/// 放弃 a rejected entry: asked again before it is done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DiscardInboxInput {
    pub entry_id: String,
    /// The person confirmed: the entry will never reach the server.
    pub confirm: bool,
}

/// 重做 done: the redone command was saved, so its inbox item closes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RedoneInboxInput {
    pub entry_id: String,
}

/// 加入服务器: what the server's administrator gave (`regdesk-server station add`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EnrolInput {
    /// `https://host:port`
    pub server_url: String,
    /// The one-time enrolment code.
    pub code: String,
    /// The office CA's SHA-256 fingerprint, however it was typed.
    pub fingerprint: String,
}

/// A command's name in words, for the inbox and the sync screen.
pub fn command_words(command: &str) -> &str {
    match command {
        "setup_office" => "建立登记机构",
        "add_staff" => "新增工作人员",
        "update_staff" => "修改工作人员",
        "reset_password" => "重置密码",
        "change_password" => "修改密码",
        "disable_staff" => "停用工作人员",
        "enable_staff" => "启用工作人员",
        "login" => "登录",
        "unlock" => "解锁",
        "set_batch_signing_form" => "设置一人一表",
        "set_number_leases" => "设置登记号租用",
        "record_batch_signature" => "记录批量签章",
        "discard_inbox_item" => "放弃需处理记录",
        "redo_inbox_item" => "重新办理需处理记录",
        "update_settings" => "修改系统设置",
        "create_applicant" => "新建申请人",
        "update_applicant" => "修改申请人",
        "change_applicant_category" => "修改申请人类别",
        "create_draft" => "新建填报",
        "save_draft" => "保存填报",
        "import_filing" => "导入填报",
        "add_file" => "上传附件",
        "add_identity_proof" => "上传身份证明文件",
        "remove_identity_proof" => "删除身份证明文件",
        "check_identity_proof" => "核验身份证明文件",
        "record_signature" => "记录签章",
        "submit_for_signing" => "提交签章",
        "choose_payment_method" => "选择缴费方式",
        "change_payment_method" => "变更缴费方式",
        "record_transfer" => "登记转账",
        "check_transfer" => "核款",
        "record_refund" => "登记退费",
        "import_statement" => "导入对账单",
        "resolve_statement_line" => "处理对账单明细",
        "dismiss_statement_line" => "忽略对账单明细",
        "mark_invoices_issued" => "登记电子发票",
        "first_review" => "初审",
        "final_review" => "终审",
        "resubmit" => "重新提交",
        "withdraw" => "撤回申请",
        "expire_correction" => "补正期满",
        "revoke_registration" => "撤销登记",
        "transfer_case" => "移交案件",
        "print_certificates" => "打印证书",
        "void_certificate_sheet" => "作废证书纸",
        "prepare_shipments" => "准备邮寄",
        "ship_by_waybill" => "登记运单",
        "hand_over" => "证书领取",
        "load_calendar_year" => "载入工作日历",
        "add_subordinate_office" => "新增下级机构",
        "set_category_letters" => "设置类别字母表",
        "set_registration_counter" => "设置登记号计数器",
        "import_register" => "导入历史登记",
        "revoke_historic" => "撤销历史登记",
        other => other,
    }
}

fn refused(code: &str, message: impl Into<String>) -> StoreError {
    StoreError::Refused {
        code: code.to_string(),
        message: message.into(),
    }
}

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

fn value_of(cell: &Cell) -> Value {
    match cell {
        Cell::Null => Value::Null,
        Cell::Int(i) => Value::Integer(*i),
        Cell::Real(f) => Value::Real(*f),
        Cell::Text(t) => Value::Text(t.clone()),
        Cell::Blob(b) => Value::Blob(b.clone()),
    }
}

/// The WHERE clause that finds a row by its key, parameters from `?first`.
fn key_condition(t: &AuditedTable, first: usize) -> String {
    if t.pk.is_empty() {
        format!("rowid = ?{first}")
    } else {
        t.pk.iter()
            .enumerate()
            .map(|(i, c)| format!("{} = ?{}", quote(c), first + i))
            .collect::<Vec<_>>()
            .join(" AND ")
    }
}

/// Writes one row as the server holds it: `after` (columns by name) or, for
/// `None`, no row. Only shared tables, only the columns this database has, and
/// all of them: anything else is refused, never dropped. A case's search
/// entries follow it at once.
pub(crate) fn write_row(
    conn: &Connection,
    tables: &[AuditedTable],
    table: &str,
    key: &str,
    after: Option<&[Column]>,
) -> Result<()> {
    let mut later = Reindex::default();
    write_row_deferred(conn, tables, table, key, after, &mut later)?;
    later.run(conn)
}

/// Takes away, transitively, every row of this station that refers (by a
/// reference between shared tables, [`regdesk_sync::REFERENCES`]) to a row
/// in `gone`, which the record does not hold. Such rows are this station's
/// own work not yet decided: a row of the record cannot refer to a row the
/// record lacks. Each goes as a row the server sent away would.
fn take_away_dependents(conn: &Connection, tables: &[AuditedTable], gone: Vec<(String, String)>) -> Result<()> {
    let mut queue = gone;
    let mut seen: HashSet<(String, String)> = queue.iter().cloned().collect();
    while let Some((target, key)) = queue.pop() {
        let values = rows::key_values(&key)?;
        let [value] = values.as_slice() else {
            continue;
        };
        for r in regdesk_sync::REFERENCES.iter().filter(|r| r.target == target) {
            let Some(t) = tables.iter().find(|t| t.name == r.table) else {
                continue;
            };
            let children: Vec<String> = conn
                .prepare_cached(&format!(
                    "SELECT {} FROM main.{} WHERE {} = ?1",
                    t.key_expr(""),
                    quote(r.table),
                    quote(r.column)
                ))?
                .query_map([value], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for child in children {
                if seen.insert((r.table.to_string(), child.clone())) {
                    write_row(conn, tables, r.table, &child, None)?;
                    queue.push((r.table.to_string(), child));
                }
            }
        }
    }
    Ok(())
}

/// The cases whose search entries are to be written anew once a batch of
/// rows is in: each case once, with the search entry it had before the
/// batch (the one to take away).
#[derive(Default)]
pub(crate) struct Reindex {
    cases: Vec<(String, Option<i64>)>,
    seen: HashSet<String>,
}

impl Reindex {
    fn note(&mut self, case_id: String, old: Option<i64>) {
        if self.seen.insert(case_id.clone()) {
            self.cases.push((case_id, old));
        }
    }

    /// Takes away the search entries the noted cases had, then writes each
    /// case's entries as its row now stands: each index written by one
    /// statement for the whole batch, so the full-text indexes take the
    /// batch's terms together.
    pub(crate) fn run(self, conn: &Connection) -> Result<()> {
        if self.cases.is_empty() {
            return Ok(());
        }
        let old: Vec<i64> = self.cases.iter().filter_map(|(_, o)| *o).collect();
        let ids: Vec<&str> = self.cases.iter().map(|(id, _)| id.as_str()).collect();
        crate::cases::reindex_batch(conn, &old, &ids)
    }
}

/// [`write_row`], with a case's search entries left to `later` (a batch of
/// rows writes them once, after its last row).
pub(crate) fn write_row_deferred(
    conn: &Connection,
    tables: &[AuditedTable],
    table: &str,
    key: &str,
    after: Option<&[Column]>,
    later: &mut Reindex,
) -> Result<()> {
    let (t, key_values) = shared_row(tables, table, key)?;
    // A case's search entries are this station's own: they follow the row.
    let case = search_before(conn, table, &key_values)?;
    write_columns(conn, t, table, key, &key_values, after)?;
    if let Some((id, old_search)) = case {
        later.note(id, old_search);
    }
    Ok(())
}

/// For a row of `cases` (by its key values), the case's ID and the row id of
/// the search entry it has before the row is written; `None` for a row of
/// any other table.
fn search_before(conn: &Connection, table: &str, key_values: &[Value]) -> Result<Option<(String, Option<i64>)>> {
    let ("cases", Some(Value::Text(id))) = (table, key_values.first()) else {
        return Ok(None);
    };
    let old: Option<i64> = conn
        .prepare_cached("SELECT search_rowid FROM cases WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .flatten();
    Ok(Some((id.clone(), old)))
}

/// The table of a row the server sent, and the row's key values: only a
/// shared table this database has, and a key of its shape.
fn shared_row<'t>(tables: &'t [AuditedTable], table: &str, key: &str) -> Result<(&'t AuditedTable, Vec<Value>)> {
    if !regdesk_sync::is_shared_table(table) {
        return Err(refused(
            "sync_local_table",
            format!("服务器发来的数据写入本工作站自己的表“{table}”，已拒绝：请联系信息科检查服务器"),
        ));
    }
    let Some(t) = tables.iter().find(|t| t.name == table) else {
        return Err(refused(
            "sync_unknown_table",
            format!(
                "服务器发来的数据属于本工作站没有的表“{table}”：请把作品登记工作台升级到与服务器相同的版本后再同步"
            ),
        ));
    };
    let key_values = rows::key_values(key)?;
    let want = if t.pk.is_empty() { 1 } else { t.pk.len() };
    if key_values.len() != want {
        return Err(refused(
            "sync_bad_key",
            format!(
                "服务器发来的{}记录键 {key} 与本工作站的表结构不符：请联系信息科",
                rows::table_label(table)
            ),
        ));
    }
    Ok((t, key_values))
}

/// The rows of a snapshot page written in order, those that carry every
/// column of their table in its order (all of them, at stations of one
/// schema) many to a statement ([`AuditedTable::upsert_many`]): a statement
/// per row saved, for its undo, every page of the table and of its indexes
/// it was the first to change, which was a sixth of a page's time. The
/// rows' search entries are written once the snapshot is in.
struct PageWriter<'a> {
    conn: &'a Connection,
    tables: &'a [AuditedTable],
    /// Whether any row's columns are held (`sync_held_columns`): a row
    /// without columns to hold then has none to forget either.
    held: bool,
    /// Whole rows waiting for their statement, all of one table.
    waiting: Option<(&'a AuditedTable, Vec<&'a [Column]>)>,
}

impl<'a> PageWriter<'a> {
    fn new(conn: &'a Connection, tables: &'a [AuditedTable]) -> Result<PageWriter<'a>> {
        let held = conn.query_row("SELECT EXISTS (SELECT 1 FROM sync_held_columns)", [], |r| r.get(0))?;
        Ok(PageWriter {
            conn,
            tables,
            held,
            waiting: None,
        })
    }

    fn row(&mut self, r: &'a SnapshotRow) -> Result<()> {
        let (t, key_values) = shared_row(self.tables, &r.table, &r.key)?;
        let cols = r.row.as_slice();
        let whole = !t.pk.is_empty()
            && cols.len() >= t.columns.len()
            && cols.iter().zip(&t.columns).all(|(c, name)| c.name == *name);
        if !whole {
            self.flush()?;
            return write_columns(self.conn, t, &r.table, &r.key, &key_values, Some(cols));
        }
        // Columns past the table's own are held, once `fit_columns` has
        // checked them.
        let extra = &cols[t.columns.len()..];
        if !extra.is_empty() {
            fit_columns(self.conn, t, &r.table, cols)?;
            hold_columns(self.conn, &r.table, &r.key, extra)?;
        } else if self.held {
            hold_columns(self.conn, &r.table, &r.key, &[])?;
        }
        if self.waiting.as_ref().is_some_and(|(w, _)| !std::ptr::eq(*w, t)) {
            self.flush()?;
        }
        let (_, rows) = self
            .waiting
            .get_or_insert_with(|| (t, Vec::with_capacity(t.upsert_rows)));
        rows.push(&cols[..t.columns.len()]);
        if rows.len() == t.upsert_rows {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes the rows waiting: a full statement's worth together, fewer one
    /// by one.
    fn flush(&mut self) -> Result<()> {
        let Some((t, rows)) = self.waiting.take() else {
            return Ok(());
        };
        if rows.len() == t.upsert_rows {
            self.conn
                .prepare_cached(&t.upsert_many)?
                .execute(rusqlite::params_from_iter(
                    rows.iter().flat_map(|r| r.iter().map(|c| value_ref(&c.value))),
                ))?;
        } else {
            let mut one = self.conn.prepare_cached(&t.upsert)?;
            for r in rows {
                one.execute(rusqlite::params_from_iter(r.iter().map(|c| value_ref(&c.value))))?;
            }
        }
        Ok(())
    }
}

/// A column's value bound as it is, without a copy.
fn value_ref(cell: &Cell) -> rusqlite::types::ToSqlOutput<'_> {
    use rusqlite::types::{ToSqlOutput, ValueRef};
    ToSqlOutput::Borrowed(match cell {
        Cell::Null => ValueRef::Null,
        Cell::Int(i) => ValueRef::Integer(*i),
        Cell::Real(f) => ValueRef::Real(*f),
        Cell::Text(t) => ValueRef::Text(t.as_bytes()),
        Cell::Blob(b) => ValueRef::Blob(b),
    })
}

fn write_columns(
    conn: &Connection,
    t: &AuditedTable,
    table: &str,
    key: &str,
    key_values: &[Value],
    after: Option<&[Column]>,
) -> Result<()> {
    let cond = key_condition(t, 1);
    let Some(cols) = after else {
        conn.prepare_cached(&format!("DELETE FROM main.{} WHERE {cond}", quote(&t.name)))?
            .execute(rusqlite::params_from_iter(key_values.iter()))?;
        hold_columns(conn, table, key, &[])?;
        return Ok(());
    };
    let fitted = fit_columns(conn, t, table, cols)?;
    let whole = fitted.defaults.is_empty()
        && fitted.known.len() == t.columns.len()
        && fitted.known.iter().zip(&t.columns).all(|(c, name)| c.name == *name);
    if !t.pk.is_empty() && whole {
        // Every column, in the table's order: the statement made once for the table.
        conn.prepare_cached(&t.upsert)?.execute(rusqlite::params_from_iter(
            fitted.known.iter().map(|c| value_ref(&c.value)),
        ))?;
        return hold_columns(conn, table, key, &fitted.extra);
    }
    if !t.pk.is_empty() {
        // One statement whether the row is here or not (a first sync finds
        // none): the row's columns inserted, or set on the row of that key,
        // the columns it lacks taking their defaults either way.
        let names: Vec<String> = fitted.known.iter().map(|c| quote(&c.name)).collect();
        let marks = (1..=names.len())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut set: Vec<String> = names.iter().map(|n| format!("{n} = excluded.{n}")).collect();
        set.extend(
            fitted
                .defaults
                .iter()
                .map(|(name, default)| format!("{} = ({default})", quote(name))),
        );
        let target = t.pk.iter().map(|c| quote(c)).collect::<Vec<_>>().join(", ");
        conn.prepare_cached(&format!(
            "INSERT INTO main.{} ({}) VALUES ({marks}) ON CONFLICT ({target}) DO UPDATE SET {}",
            quote(&t.name),
            names.join(", "),
            set.join(", ")
        ))?
        .execute(rusqlite::params_from_iter(
            fitted.known.iter().map(|c| value_ref(&c.value)),
        ))?;
        return hold_columns(conn, table, key, &fitted.extra);
    }
    let values: Vec<Value> = fitted.known.iter().map(|c| value_of(&c.value)).collect();
    // A table keyed by its rowid: the row set where it is, inserted where not.
    let mut set: Vec<String> = fitted
        .known
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{} = ?{}", quote(&c.name), i + 1))
        .collect();
    set.extend(
        fitted
            .defaults
            .iter()
            .map(|(name, default)| format!("{} = ({default})", quote(name))),
    );
    let update = format!(
        "UPDATE main.{} SET {} WHERE {}",
        quote(&t.name),
        set.join(", "),
        key_condition(t, fitted.known.len() + 1)
    );
    let mut all: Vec<Value> = values.clone();
    all.extend(key_values.iter().cloned());
    let changed = conn
        .prepare_cached(&update)?
        .execute(rusqlite::params_from_iter(all.iter()))?;
    if changed == 0 {
        // The columns the row lacks take their defaults.
        let mut names: Vec<String> = fitted.known.iter().map(|c| quote(&c.name)).collect();
        let mut insert_values = values;
        if t.pk.is_empty() {
            names.insert(0, "rowid".into());
            insert_values.insert(0, key_values[0].clone());
        }
        let marks = (1..=names.len())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ");
        conn.prepare_cached(&format!(
            "INSERT INTO main.{} ({}) VALUES ({marks})",
            quote(&t.name),
            names.join(", ")
        ))?
        .execute(rusqlite::params_from_iter(insert_values.iter()))?;
    }
    hold_columns(conn, table, key, &fitted.extra)
}

/// A row from the record set against this database's columns.
struct Fitted<'a> {
    /// The columns this database has, as the row gives them.
    known: Vec<&'a Column>,
    /// The table's last columns the row lacks, each with its default (SQL).
    defaults: Vec<(String, String)>,
    /// The row's last columns this database lacks.
    extra: Vec<Column>,
}

/// Fits a row the record holds to this database's table. Migrations add
/// columns at the end of a table, and the record keeps each row as the last
/// station to write it sent it (docs/SYNC.md, "Mixed schemas"): a row from a
/// station of an older schema lacks the table's last columns — they take
/// their defaults, as a migration gives them to the rows it finds —, one from
/// a station of a newer schema has columns after this table's last — they are
/// held in `sync_held_columns` until an upgrade brings them. A column missing
/// elsewhere, a key column missing, a column repeated or one this database
/// does not know before its own columns end is refused, never dropped.
fn fit_columns<'a>(conn: &Connection, t: &AuditedTable, table: &str, cols: &'a [Column]) -> Result<Fitted<'a>> {
    let label = rows::table_label(table);
    let mut seen: HashSet<&str> = HashSet::with_capacity(cols.len());
    let repeated: Vec<&str> = cols
        .iter()
        .map(|c| c.name.as_str())
        .filter(|n| !seen.insert(n))
        .collect();
    if !repeated.is_empty() {
        return Err(refused(
            "sync_missing_column",
            format!(
                "服务器发来的{label}字段 {} 重复：服务器的数据有误，请联系信息科",
                repeated.join("、")
            ),
        ));
    }
    let is_known = |n: &str| t.columns.iter().any(|c| c == n);
    let last_known = cols.iter().rposition(|c| is_known(&c.name));
    let misplaced: Vec<&str> = cols
        .iter()
        .enumerate()
        .filter(|(i, c)| !is_known(&c.name) && last_known.is_some_and(|k| *i < k))
        .map(|(_, c)| c.name.as_str())
        .collect();
    if !misplaced.is_empty() || last_known.is_none() {
        let unknown: Vec<&str> = cols.iter().map(|c| c.name.as_str()).filter(|n| !is_known(n)).collect();
        return Err(refused(
            "sync_unknown_column",
            format!(
                "服务器发来的{label}含有本工作站没有的字段 {}：请把作品登记工作台升级到与服务器相同的版本后再同步",
                unknown.join("、")
            ),
        ));
    }
    let given = |n: &str| seen.contains(n);
    let kept = t.columns.iter().take_while(|c| given(c)).count();
    let gap: Vec<&str> = t.columns[kept..]
        .iter()
        .map(String::as_str)
        .filter(|c| given(c))
        .collect();
    let missing_key: Vec<&str> = t.pk.iter().map(String::as_str).filter(|c| !given(c)).collect();
    if !gap.is_empty() || !missing_key.is_empty() {
        let missing: Vec<&str> = t.columns.iter().map(String::as_str).filter(|c| !given(c)).collect();
        return Err(refused(
            "sync_missing_column",
            format!(
                "服务器发来的{label}缺少字段 {}：服务器的版本与本工作站不同，请联系信息科",
                missing.join("、")
            ),
        ));
    }
    let mut defaults = Vec::new();
    if kept < t.columns.len() {
        let mut stmt = conn.prepare_cached(
            "SELECT name, dflt_value, \"notnull\" FROM pragma_table_xinfo(?1) WHERE hidden = 0 ORDER BY cid",
        )?;
        let info: Vec<(String, Option<String>, bool)> = stmt
            .query_map([&t.name], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut required = Vec::new();
        for name in &t.columns[kept..] {
            match info.iter().find(|(n, _, _)| n == name) {
                Some((_, Some(default), _)) => defaults.push((name.clone(), default.clone())),
                Some((_, None, false)) => defaults.push((name.clone(), "NULL".into())),
                _ => required.push(name.as_str()),
            }
        }
        if !required.is_empty() {
            return Err(refused(
                "sync_missing_column",
                format!(
                    "服务器发来的{label}缺少本工作站必须有值的字段 {}：请把发出这条记录的工作站升级后再同步，或联系信息科",
                    required.join("、")
                ),
            ));
        }
    }
    let (known, extra): (Vec<&Column>, Vec<&Column>) = cols.iter().partition(|c| is_known(&c.name));
    Ok(Fitted {
        known,
        defaults,
        extra: extra.into_iter().cloned().collect(),
    })
}

/// Keeps the columns of the row `(table, key)` this database lacks (none:
/// forgets what was kept for it).
fn hold_columns(conn: &Connection, table: &str, key: &str, extra: &[Column]) -> Result<()> {
    if extra.is_empty() {
        conn.prepare_cached("DELETE FROM sync_held_columns WHERE tbl = ?1 AND key = ?2")?
            .execute(params![table, key])?;
    } else {
        conn.prepare_cached(
            "INSERT INTO sync_held_columns (tbl, key, columns) VALUES (?1, ?2, ?3)
             ON CONFLICT (tbl, key) DO UPDATE SET columns = excluded.columns",
        )?
        .execute(params![table, key, serde_json::to_string(extra).map_err(corrupt)?])?;
    }
    Ok(())
}

/// `sync_state`'s cursor, last success, last attempt and last error.
type RoundRow = (i64, Option<DateTime<Utc>>, Option<DateTime<Utc>>, Option<String>);

/// The enrolment and the sequence number it was made after.
fn enrolment_row(conn: &Connection) -> Result<Option<(Enrolment, i64)>> {
    Ok(conn
        .query_row(
            "SELECT server_url, station_name, office_id, office_code, office_name, ca_der, ca_fingerprint,
                    credential, enrolled_at, since_seq, station_office FROM sync_enrolment WHERE id = 1",
            [],
            |r| {
                Ok((
                    Enrolment {
                        server_url: r.get(0)?,
                        station_name: r.get(1)?,
                        office: OfficeInfo {
                            office_id: r.get(2)?,
                            code: r.get(3)?,
                            name: r.get(4)?,
                        },
                        ca_der: r.get(5)?,
                        ca_fingerprint: r.get(6)?,
                        credential: r.get(7)?,
                        enrolled_at: r.get(8)?,
                        station_office: r.get(10)?,
                    },
                    r.get(9)?,
                ))
            },
        )
        .optional()?)
}

/// Whether this station is enrolled with a central server.
pub(crate) fn is_enrolled(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM sync_enrolment)", [], |r| r.get(0))?)
}

const OUTBOX_WHERE: &str = "j.synced_at IS NULL AND j.push_seq IS NOT NULL";

fn outbox_count(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row(
        &format!("SELECT COUNT(*) FROM journal j WHERE {OUTBOX_WHERE}"),
        [],
        |r| r.get(0),
    )?)
}

const ENTRY_COLS: &str =
    "COALESCE(j.push_seq, 0), j.id, j.station_id, j.staff_id, j.at, j.command, j.entity, j.entity_id, \
     j.entity_version, j.payload, j.payload_format, j.effects, j.seq";

/// A journal row as the protocol's [`Entry`].
fn entry_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<std::result::Result<Entry, String>> {
    let payload: String = r.get(9)?;
    let effects: Option<String> = r.get(11)?;
    let id: String = r.get(1)?;
    let parsed = (|| -> std::result::Result<Entry, String> {
        let payload: serde_json::Value = serde_json::from_str(&payload).map_err(|e| e.to_string())?;
        let mut effects: Vec<RowEffect> = match effects {
            Some(text) => serde_json::from_str(&text).map_err(|e| e.to_string())?,
            None => Vec::new(),
        };
        // An entry recorded while a table was still shared (serial_counters)
        // goes up without its effect there: the table is the station's own now.
        effects.retain(|e| regdesk_sync::is_shared_table(&e.table));
        // Attachments the entry created travel before it, by content hash.
        let blobs = effects
            .iter()
            .filter(|e| e.table == "files" && e.before.is_none())
            .filter_map(|e| e.after.as_ref())
            .filter_map(|row| row.iter().find(|c| c.name == "sha256"))
            .filter_map(|c| match &c.value {
                Cell::Text(t) => Some(t.clone()),
                _ => None,
            })
            .collect();
        Ok(Entry {
            id: uuid::Uuid::parse_str(&id).map_err(|e| e.to_string())?,
            station_id: String::new(),
            station_seq: 0,
            staff_id: None,
            at: DateTime::<Utc>::MIN_UTC,
            command: String::new(),
            entity: String::new(),
            entity_id: String::new(),
            entity_version: 0,
            payload,
            payload_format: 0,
            effects,
            blobs,
        })
    })();
    let Ok(mut entry) = parsed else {
        return Ok(Err(format!(
            "日志条目 {id} 无法读取：{}",
            parsed.err().unwrap_or_default()
        )));
    };
    entry.station_seq = r.get(0)?;
    entry.station_id = r.get(2)?;
    entry.staff_id = r.get(3)?;
    entry.at = r.get(4)?;
    entry.command = r.get(5)?;
    entry.entity = r.get(6)?;
    entry.entity_id = r.get(7)?;
    entry.entity_version = r.get(8)?;
    entry.payload_format = r.get(10)?;
    Ok(Ok(entry))
}

fn load_entry(conn: &Connection, id: &str) -> Result<Option<Entry>> {
    let found = conn
        .query_row(
            &format!("SELECT {ENTRY_COLS} FROM journal j WHERE j.id = ?1"),
            [id],
            entry_of,
        )
        .optional()?;
    found.map(|e| e.map_err(StoreError::Corrupt)).transpose()
}

fn set_cursor(conn: &Connection, cursor: i64) -> Result<()> {
    conn.prepare_cached("UPDATE sync_state SET cursor = MAX(cursor, ?1) WHERE id = 1")?
        .execute([cursor])?;
    Ok(())
}

fn cursor_of(conn: &Connection) -> Result<i64> {
    Ok(conn
        .query_row("SELECT cursor FROM sync_state WHERE id = 1", [], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

impl Store {
    /// The station's enrolment, `None` while it works alone.
    pub fn enrolment(&self) -> Result<Option<Enrolment>> {
        Ok(enrolment_row(&self.conn())?.map(|(e, _)| e))
    }

    /// Whether this station is enrolled with a central server.
    pub fn is_enrolled(&self) -> Result<bool> {
        is_enrolled(&self.conn())
    }

    /// 加入服务器（管理员）：an office that works on this station enrols with
    /// the central server that took it up (`regdesk-server adopt`). Entries
    /// made before are already the server's and are never pushed. The
    /// enrolment is station-local (`sync_enrolment`): its journal entry has
    /// no shared effect and is not pushed either.
    pub fn save_enrolment(&self, session: &Session, enrolment: &Enrolment) -> Result<()> {
        let admin = actor(
            &self.conn(),
            self.now(),
            Some(session),
            Some(Permission::ManageSettings),
        )?;
        let office: Option<String> = self
            .conn()
            .query_row("SELECT office_code FROM office WHERE id = 1", [], |r| r.get(0))
            .optional()?;
        let Some(code) = office else {
            return Err(StoreError::NotSetUp);
        };
        if code != enrolment.office.code {
            return Err(refused(
                "sync_other_office",
                format!(
                    "本工作站的登记机构（代码 {code}）与服务器的登记机构（{}，代码 {}）不是同一个：请在新的数据目录中选择“加入已有机构”",
                    enrolment.office.name, enrolment.office.code
                ),
            ));
        }
        self.enrol(Some(admin.id()), enrolment)
    }

    /// 加入已有机构: a new data directory (no office of its own, only its
    /// station row) enrols with the central server; the office's rows then
    /// come with [`Store::apply_snapshot`].
    pub fn join_office(&self, enrolment: &Enrolment) -> Result<()> {
        let office: bool = self
            .conn()
            .query_row("SELECT EXISTS (SELECT 1 FROM office)", [], |r| r.get(0))?;
        if office {
            return Err(refused(
                "sync_has_office",
                "本工作站已有自己的登记机构，不能再加入已有机构：请用新的数据目录加入，或由管理员在“管理 → 同步”中把本机构接入服务器",
            ));
        }
        self.enrol(None, enrolment)
    }

    fn enrol(&self, staff_id: Option<&str>, e: &Enrolment) -> Result<()> {
        if regdesk_sync::fingerprint(&e.ca_der) != e.ca_fingerprint {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "fingerprint",
                "ca_mismatch",
                "服务器证书的指纹与记录的不一致：请核对管理员给出的指纹后重新加入",
            )]));
        }
        // The enrolment is the station's own: never pushed (on a new data
        // directory it is the first entry, which records every row there is).
        let meta = SyncMeta {
            local_only: true,
            ..SyncMeta::default()
        };
        self.run_sync(staff_id, "sync_enrol", &meta, |tx, _now| {
            if is_enrolled(tx)? {
                let (current, _) = enrolment_row(tx)?.ok_or_else(|| corrupt("同步登记缺失"))?;
                return Err(refused(
                    "sync_enrolled",
                    format!(
                        "本工作站已加入服务器 {}（工作站名称 {}），不能再次加入",
                        current.server_url, current.station_name
                    ),
                ));
            }
            let since: i64 = tx.query_row("SELECT COALESCE(MAX(seq), 0) FROM journal", [], |r| r.get(0))?;
            // A station with no office of its own takes the office's rows first.
            let joining: bool = tx.query_row("SELECT NOT EXISTS (SELECT 1 FROM office)", [], |r| r.get(0))?;
            tx.execute("UPDATE sync_state SET snapshot_needed = ?1 WHERE id = 1", [joining])?;
            // A new data directory has no name of its own yet: it is the
            // station the server's administrator added (sign-in screen, header).
            tx.execute(
                "UPDATE station SET name = ?1 WHERE id = 1 AND name = ''",
                [&e.station_name],
            )?;
            tx.execute(
                "INSERT INTO sync_enrolment (id, server_url, station_name, office_id, office_code, office_name, ca_der,
                     ca_fingerprint, credential, enrolled_at, since_seq, station_office)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![
                    e.server_url,
                    e.station_name,
                    e.office.office_id,
                    e.office.code,
                    e.office.name,
                    e.ca_der,
                    e.ca_fingerprint,
                    e.credential,
                    e.enrolled_at,
                    since,
                    e.station_office
                ],
            )?;
            let change = Change {
                entity: "sync_enrolment",
                entity_id: e.station_name.clone(),
                version: 1,
                // Never the credential.
                payload: serde_json::json!({
                    "server_url": e.server_url, "station_name": e.station_name,
                    "office_code": e.office.code, "ca_fingerprint": e.ca_fingerprint,
                    "station_office": e.station_office,
                }),
            };
            Ok((change, ()))
        })
    }

    /// The outbox: entries without a verdict, in station order, at most `limit`.
    pub fn outbox(&self, limit: usize) -> Result<Vec<Entry>> {
        let conn = self.conn();
        if !is_enrolled(&conn)? {
            return Ok(Vec::new());
        }
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut stmt = conn.prepare(&format!(
            "SELECT {ENTRY_COLS} FROM journal j WHERE {OUTBOX_WHERE} ORDER BY j.seq LIMIT ?1"
        ))?;
        let rows = stmt.query_map([limit], entry_of)?;
        let mut out = Vec::new();
        for r in rows {
            out.push(r?.map_err(StoreError::Corrupt)?);
        }
        Ok(out)
    }

    /// Every entry of this station's own journal (not those applied from a
    /// pull), in order: what `regdesk-server adopt` keeps as the office's
    /// history when it takes a stand-alone office up. Entries from before
    /// effects were recorded come with no effects.
    pub fn journal_entries(&self) -> Result<Vec<Entry>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {ENTRY_COLS} FROM journal j WHERE j.origin_id IS NULL ORDER BY j.seq"
        ))?;
        // The history keeps each entry's place in this station's whole journal.
        let rows = stmt.query_map([], |r| {
            let seq: i64 = r.get(12)?;
            Ok(entry_of(r)?.map(|mut e| {
                e.station_seq = seq;
                e
            }))
        })?;
        let mut out = Vec::new();
        for r in rows {
            out.push(r?.map_err(StoreError::Corrupt)?);
        }
        Ok(out)
    }

    /// How many entries wait for the server's verdict.
    pub fn outbox_len(&self) -> Result<u32> {
        let conn = self.conn();
        if !is_enrolled(&conn)? {
            return Ok(0);
        }
        outbox_count(&conn)
    }

    /// Records the server's verdicts in one transaction (see the module's notes).
    pub fn record_verdicts(&self, verdicts: &[EntryVerdict]) -> Result<()> {
        let mut accepted: Vec<(String, i64)> = Vec::new();
        let mut rejected: Vec<(String, RejectCode, String, Vec<RowEffect>)> = Vec::new();
        {
            let conn = self.conn();
            for v in verdicts {
                let id = v.id.to_string();
                let ours: Option<Option<String>> = conn
                    .query_row(
                        "SELECT synced_at FROM journal WHERE id = ?1 AND origin_id IS NULL",
                        [&id],
                        |r| r.get(0),
                    )
                    .optional()?;
                if ours.is_none() {
                    return Err(corrupt(format!(
                        "服务器答复了本工作站没有的日志条目 {id}：请联系信息科检查服务器"
                    )));
                }
                match &v.verdict {
                    Verdict::Accepted { office_seq } => accepted.push((id, *office_seq)),
                    Verdict::Rejected { code, reason, current } => {
                        let known: bool = conn.query_row(
                            "SELECT EXISTS (SELECT 1 FROM sync_inbox WHERE entry_id = ?1)",
                            [&id],
                            |r| r.get(0),
                        )?;
                        if !known {
                            rejected.push((id, *code, reason.clone(), current.clone()));
                        }
                    }
                    Verdict::RetryLater { .. } => {}
                }
            }
        }
        let mark_accepted = |tx: &Transaction<'_>, now: DateTime<Utc>| -> Result<()> {
            for (id, office_seq) in &accepted {
                tx.prepare_cached(
                    "UPDATE journal SET synced_at = COALESCE(synced_at, ?2), office_seq = ?3 WHERE id = ?1",
                )?
                .execute(params![id, now, office_seq])?;
            }
            Ok(())
        };
        if rejected.is_empty() {
            let mut conn = self.conn();
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            mark_accepted(&tx, self.now())?;
            tx.commit()?;
            return Ok(());
        }
        let meta = SyncMeta {
            local_only: true,
            ..SyncMeta::default()
        };
        let first = rejected[0].0.clone();
        self.run_sync(None, "sync_rejected", &meta, |tx, now| {
            mark_accepted(tx, now)?;
            tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
            let mut listed = Vec::new();
            let mut taken_away: Vec<(String, String)> = Vec::new();
            for (id, code, reason, current) in &rejected {
                let entry = load_entry(tx, id)?.ok_or_else(|| corrupt(format!("日志条目 {id} 不见了")))?;
                let code_text = serde_json::to_value(code)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default();
                tx.execute(
                    "INSERT INTO sync_inbox (entry_id, entry, code, reason, current, received_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![
                        id,
                        serde_json::to_string(&entry).map_err(corrupt)?,
                        code_text,
                        reason,
                        serde_json::to_string(current).map_err(corrupt)?,
                        now
                    ],
                )?;
                tx.execute("UPDATE journal SET synced_at = ?2 WHERE id = ?1", params![id, now])?;
                // A leased number the refused approval used is void, with the server's reason.
                void_leased(tx, &entry, reason, now)?;
                // The station shows the server's truth; the person's version waits in 需处理.
                for row in current {
                    write_row(tx, &self.audited, &row.table, &row.key, row.after.as_deref())?;
                    if row.after.is_none() {
                        taken_away.push((row.table.clone(), row.key.clone()));
                    }
                }
                listed.push(serde_json::json!({"id": id, "code": code_text, "reason": reason}));
            }
            // Work still waiting here that was built on a row the record does not
            // hold (a filing naming a refused applicant, pushed in a later batch)
            // goes with it; its entries stay in the outbox and come back refused.
            take_away_dependents(tx, &self.audited, taken_away)?;
            let change = Change {
                entity: "sync_inbox",
                entity_id: first,
                version: 1,
                payload: serde_json::json!({ "rejected": listed }),
            };
            Ok((change, ()))
        })
    }

    /// What to ask of the server's leases: the numbers marked to give back,
    /// and the series to top up — those it holds numbers of this year, and
    /// those of the cases waiting for final review here. `None` when not
    /// enrolled or nothing to ask.
    pub fn lease_request(&self) -> Result<Option<LeaseRequest>> {
        let conn = self.conn();
        if !is_enrolled(&conn)? {
            return Ok(None);
        }
        let Some(prefix) = conn
            .query_row("SELECT reg_prefix FROM office WHERE id = 1", [], |r| {
                r.get::<_, String>(0)
            })
            .optional()?
        else {
            return Ok(None);
        };
        let day = crate::office_date(self.now());
        let year = day.year();
        let (_, letters) = crate::certificates::letters_on(&conn, day)?;
        let mut wanted: std::collections::BTreeSet<char> = std::collections::BTreeSet::new();
        let mut stmt = conn.prepare(
            "SELECT DISTINCT category FROM cases WHERE state = 'awaiting_final_review' AND category IS NOT NULL",
        )?;
        for code in stmt.query_map([], |r| r.get::<_, String>(0))? {
            if let Some(letter) = WorkCategory::from_code(&code?).and_then(|c| letters.letter_of(c)) {
                wanted.insert(letter);
            }
        }
        let mut stmt = conn.prepare(
            "SELECT DISTINCT letter FROM sync_number_leases WHERE state = 'held' AND prefix = ?1 AND year = ?2",
        )?;
        for letter in stmt.query_map(params![prefix, year], |r| r.get::<_, String>(0))? {
            if let Some(l) = letter?.chars().next().filter(|l| letters.category_of(*l).is_some()) {
                wanted.insert(l);
            }
        }
        let mut stmt = conn.prepare(
            "SELECT prefix, year, letter, serial FROM sync_number_leases WHERE state = 'returning'
             ORDER BY prefix, year, letter, serial",
        )?;
        let give_back = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i32>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                ))
            })?
            .map(|r| r.map(|(p, y, l, s)| format!("{p}-{y:04}-{l}-{s:08}")))
            .collect::<rusqlite::Result<Vec<String>>>()?;
        if wanted.is_empty() && give_back.is_empty() {
            return Ok(None);
        }
        Ok(Some(LeaseRequest {
            give_back,
            top_up: wanted
                .into_iter()
                .map(|letter| SeriesKey {
                    prefix: prefix.clone(),
                    year,
                    letter,
                })
                .collect(),
        }))
    }

    /// Takes the server's lease answer: numbers new to this station are held;
    /// a held number the server no longer lists for it is not used again
    /// (`returned`); numbers being given back are `returned`. Writes (one
    /// local journal entry) only when something changed.
    pub fn apply_lease(&self, reply: &LeaseReply) -> Result<()> {
        type Serial = (String, i32, String, i64);
        let mut server: std::collections::BTreeSet<Serial> = std::collections::BTreeSet::new();
        for h in &reply.held {
            for (first, last) in &h.runs {
                if last < first || last - first >= MAX_RUN_SERIALS {
                    return Err(corrupt(format!("服务器答复的号段 {first}–{last} 无效")));
                }
                for s in *first..=*last {
                    let s = i64::try_from(s).map_err(|_| corrupt(format!("服务器答复的流水号 {s} 超出范围")))?;
                    server.insert((h.series.prefix.clone(), h.series.year, h.series.letter.to_string(), s));
                }
            }
        }
        let (known, held, returning) = {
            let conn = self.conn();
            let mut stmt = conn.prepare("SELECT prefix, year, letter, serial, state FROM sync_number_leases")?;
            let rows = stmt
                .query_map([], |r| {
                    Ok(((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?), r.get::<_, String>(4)?))
                })?
                .collect::<rusqlite::Result<Vec<(Serial, String)>>>()?;
            let known: std::collections::BTreeSet<Serial> = rows.iter().map(|(k, _)| k.clone()).collect();
            let held: Vec<Serial> = rows
                .iter()
                .filter(|(_, s)| s == "held")
                .map(|(k, _)| k.clone())
                .collect();
            let returning: Vec<Serial> = rows
                .iter()
                .filter(|(_, s)| s == "returning")
                .map(|(k, _)| k.clone())
                .collect();
            (known, held, returning)
        };
        let new: Vec<&Serial> = server.iter().filter(|k| !known.contains(*k)).collect();
        let gone: Vec<&Serial> = held.iter().filter(|k| !server.contains(*k)).collect();
        let returned: Vec<&Serial> = returning.iter().filter(|k| !server.contains(*k)).collect();
        if new.is_empty() && gone.is_empty() && returned.is_empty() {
            return Ok(());
        }
        let meta = SyncMeta {
            local_only: true,
            ..SyncMeta::default()
        };
        self.run_sync(None, "sync_leases", &meta, |tx, now| {
            for (p, y, l, s) in &new {
                tx.execute(
                    "INSERT INTO sync_number_leases (prefix, year, letter, serial, state, leased_at)
                     VALUES (?1, ?2, ?3, ?4, 'held', ?5)",
                    params![p, y, l, s, now],
                )?;
            }
            for ((p, y, l, s), reason) in gone
                .iter()
                .map(|k| (k, Some("服务器已不再列为本站持有")))
                .chain(returned.iter().map(|k| (k, None)))
            {
                tx.execute(
                    "UPDATE sync_number_leases SET state = 'returned', reason = ?5, changed_at = ?6
                     WHERE prefix = ?1 AND year = ?2 AND letter = ?3 AND serial = ?4",
                    params![p, y, l, s, reason, now],
                )?;
            }
            let change = Change {
                entity: "sync_number_leases",
                entity_id: "leases".into(),
                version: 1,
                payload: serde_json::json!({
                    "new": new.len(), "gone": gone.len(), "returned": returned.len(),
                }),
            };
            Ok((change, ()))
        })
    }

    /// Marks every number this station holds unused to be given back at the
    /// next sync (before the station leaves the server or is enrolled anew).
    pub fn give_back_leased_numbers(&self, session: &Session) -> Result<u32> {
        let admin = actor(
            &self.conn(),
            self.now(),
            Some(session),
            Some(Permission::ManageSettings),
        )?;
        let meta = SyncMeta {
            local_only: true,
            ..SyncMeta::default()
        };
        self.run_sync(Some(admin.id()), "give_back_leased_numbers", &meta, |tx, now| {
            let n = tx.execute(
                "UPDATE sync_number_leases SET state = 'returning', changed_at = ?1 WHERE state = 'held'",
                params![now],
            )?;
            let change = Change {
                entity: "sync_number_leases",
                entity_id: "leases".into(),
                version: 1,
                payload: serde_json::json!({ "give_back": n }),
            };
            Ok((change, u32::try_from(n).unwrap_or(u32::MAX)))
        })
    }

    /// The office cursor this station has applied up to.
    pub fn pull_cursor(&self) -> Result<i64> {
        cursor_of(&self.conn())
    }

    /// Applies pulled entries in office order, each in its own transaction
    /// with its journal and audit entry; returns how many changed anything.
    /// Refused while the outbox holds entries without a verdict.
    pub fn apply_pulled(&self, entries: &[PulledEntry]) -> Result<u32> {
        {
            let conn = self.conn();
            if !is_enrolled(&conn)? {
                return Err(refused("sync_not_enrolled", "本工作站尚未加入服务器，不能接收同步数据"));
            }
            let pending = outbox_count(&conn)?;
            if pending > 0 {
                return Err(refused(
                    "sync_outbox_pending",
                    format!("还有 {pending} 条记录在等待服务器的答复：先把它们推送到服务器，再接收别的工作站的更改"),
                ));
            }
            let snapshot: bool = conn.query_row(
                "SELECT snapshot_id IS NOT NULL OR snapshot_needed FROM sync_state WHERE id = 1",
                [],
                |r| r.get(0),
            )?;
            if snapshot {
                return Err(refused(
                    "sync_snapshot_unfinished",
                    "首次同步的机构数据还没有下载完：请先完成首次同步",
                ));
            }
        }
        let mut applied = 0;
        for pe in entries {
            if self.apply_one(pe)? {
                applied += 1;
            }
        }
        Ok(applied)
    }

    fn apply_one(&self, pe: &PulledEntry) -> Result<bool> {
        let e = &pe.entry;
        let id = e.id.to_string();
        let to_apply: Vec<&RowEffect> = {
            let conn = self.conn();
            let done: bool = conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM journal WHERE origin_id = ?1)",
                [&id],
                |r| r.get(0),
            )?;
            let own: Option<Option<String>> = conn
                .query_row(
                    "SELECT effects FROM journal WHERE id = ?1 AND origin_id IS NULL",
                    [&id],
                    |r| r.get(0),
                )
                .optional()?;
            if done || pe.office_seq <= cursor_of(&conn)? {
                set_cursor(&conn, pe.office_seq)?;
                return Ok(false);
            }
            match own {
                // This station's own entry: only what the server added.
                Some(effects) => {
                    let mine: Vec<RowEffect> = match effects {
                        Some(text) => serde_json::from_str(&text).map_err(corrupt)?,
                        None => Vec::new(),
                    };
                    conn.execute(
                        "UPDATE journal SET office_seq = ?2, synced_at = COALESCE(synced_at, ?3) WHERE id = ?1",
                        params![id, pe.office_seq, self.now()],
                    )?;
                    e.effects
                        .iter()
                        .filter(|x| {
                            !mine
                                .iter()
                                .any(|m| m.table == x.table && m.key == x.key && m.after == x.after)
                        })
                        .collect()
                }
                None => e.effects.iter().collect(),
            }
        };
        if to_apply.is_empty() {
            set_cursor(&self.conn(), pe.office_seq)?;
            return Ok(false);
        }
        let meta = SyncMeta {
            pulled: Some(Pulled {
                origin_id: id,
                origin_station: e.station_id.clone(),
                office_seq: pe.office_seq,
                entity: e.entity.clone(),
                payload_format: e.payload_format,
            }),
            ..SyncMeta::default()
        };
        self.run_sync(e.staff_id.as_deref(), &e.command, &meta, |tx, _now| {
            tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
            let mut later = Reindex::default();
            for x in &to_apply {
                write_row_deferred(tx, &self.audited, &x.table, &x.key, x.after.as_deref(), &mut later)?;
            }
            later.run(tx)?;
            set_cursor(tx, pe.office_seq)?;
            let change = Change {
                entity: "sync",
                entity_id: e.entity_id.clone(),
                version: e.entity_version,
                payload: e.payload.clone(),
            };
            Ok((change, ()))
        })?;
        Ok(true)
    }

    /// After an upgrade: the columns held for rows of the record that a
    /// newer schema had added (`sync_held_columns`) and this database now has
    /// are written into their rows, so they hold the record's values rather
    /// than the migration's defaults. One journaled entry that never goes to
    /// the server (the record already has these values); columns still
    /// unknown stay held. Returns how many rows changed.
    pub(crate) fn apply_held_columns(&self) -> Result<u32> {
        let due: Vec<(String, String, Vec<Column>)> = {
            let conn = self.conn();
            let mut stmt = conn.prepare("SELECT tbl, key, columns FROM sync_held_columns ORDER BY tbl, key")?;
            let held = stmt
                .query_map([], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let mut due = Vec::new();
            for (tbl, key, text) in held {
                let cols: Vec<Column> = serde_json::from_str(&text).map_err(corrupt)?;
                let known = self
                    .audited
                    .iter()
                    .find(|t| t.name == tbl)
                    .is_some_and(|t| cols.iter().any(|c| t.columns.contains(&c.name)));
                if known {
                    due.push((tbl, key, cols));
                }
            }
            due
        };
        if due.is_empty() {
            return Ok(0);
        }
        let meta = SyncMeta {
            local_only: true,
            ..SyncMeta::default()
        };
        self.run_sync(None, "sync_held_columns", &meta, |tx, _now| {
            let mut later = Reindex::default();
            let mut changed = 0u32;
            for (tbl, key, cols) in &due {
                let Some(t) = self.audited.iter().find(|t| &t.name == tbl) else {
                    continue;
                };
                let (now_known, still): (Vec<&Column>, Vec<&Column>) =
                    cols.iter().partition(|c| t.columns.contains(&c.name));
                let key_values = rows::key_values(key)?;
                let case = search_before(tx, tbl, &key_values)?;
                let set = now_known
                    .iter()
                    .enumerate()
                    .map(|(i, c)| format!("{} = ?{}", quote(&c.name), i + 1))
                    .collect::<Vec<_>>()
                    .join(", ");
                let mut values: Vec<Value> = now_known.iter().map(|c| value_of(&c.value)).collect();
                values.extend(key_values.iter().cloned());
                let n = tx
                    .prepare(&format!(
                        "UPDATE main.{} SET {set} WHERE {}",
                        quote(&t.name),
                        key_condition(t, now_known.len() + 1)
                    ))?
                    .execute(rusqlite::params_from_iter(values.iter()))?;
                changed += n as u32;
                let still: Vec<Column> = still.into_iter().cloned().collect();
                hold_columns(tx, tbl, key, &still)?;
                if let (Some((id, old_search)), true) = (case, n > 0) {
                    later.note(id, old_search);
                }
            }
            later.run(tx)?;
            let change = Change {
                entity: "sync_held_columns",
                entity_id: due.first().map(|(_, key, _)| key.clone()).unwrap_or_default(),
                version: 1,
                payload: serde_json::json!({ "rows": changed }),
            };
            Ok((change, changed))
        })
    }

    /// Notes how a round of sync ended (the sync screen's last success and last error).
    pub fn note_sync(&self, at: DateTime<Utc>, outcome: &SyncOutcome) -> Result<()> {
        let text = serde_json::to_string(outcome).map_err(corrupt)?;
        self.conn().execute(
            "UPDATE sync_state SET last_attempt = ?1, last_outcome = ?2, last_error = ?3,
                 last_success = CASE WHEN ?3 IS NULL THEN ?1 ELSE last_success END
             WHERE id = 1",
            params![at, text, outcome.error],
        )?;
        Ok(())
    }

    /// The state hash of this station's record: [`regdesk_sync::state_hash`]
    /// over the digest of every row of the shared tables as they stand now
    /// (computed afresh, not read from `audit_rows`, whose digest of a row
    /// recorded before a migration added a column covers the older columns
    /// only); equal to the server's when both hold the same rows. On a
    /// station of a subordinate office, over the rows its scope sees (the
    /// server's hash for that station is over the same rows): the rows of a
    /// case transferred to an office outside it are left out.
    pub fn state_hash(&self) -> Result<String> {
        let rows = self.shared_rows()?;
        let rows = crate::scope::within(&self.conn(), rows)?;
        let digests: Vec<String> = rows
            .iter()
            .map(|r| regdesk_sync::row_digest(&r.table, &r.key, &r.row))
            .collect();
        Ok(regdesk_sync::state_hash(
            rows.iter()
                .zip(&digests)
                .map(|(r, d)| (r.table.as_str(), r.key.as_str(), d.as_str())),
        ))
    }

    /// Every row of the shared tables, by table and key: what a snapshot of
    /// this station's office holds (the server's `adopt`, tests).
    pub fn shared_rows(&self) -> Result<Vec<SnapshotRow>> {
        let conn = self.conn();
        let mut out = Vec::new();
        for t in self.audited.iter().filter(|t| regdesk_sync::is_shared_table(&t.name)) {
            let mut stmt = conn.prepare(&t.select_all())?;
            let names: Vec<String> = stmt.column_names().into_iter().skip(1).map(String::from).collect();
            let rows = stmt.query_map([], |r| {
                Ok(SnapshotRow {
                    table: t.name.clone(),
                    key: r.get(0)?,
                    row: rows::columns_of(&names, r, 1)?,
                })
            })?;
            for r in rows {
                out.push(r?);
            }
        }
        out.sort_by(|a, b| (&a.table, &a.key).cmp(&(&b.table, &b.key)));
        Ok(out)
    }

    /// The snapshot page to ask for next: from the start on a station that
    /// joined an office (`join_office`) and has not all its rows yet, after the
    /// last row applied when one was interrupted; `None` when no first sync is due.
    pub fn snapshot_request(&self, max_rows: u32) -> Result<Option<SnapshotRequest>> {
        let row: (Option<String>, Option<String>, bool) = self.conn().query_row(
            "SELECT snapshot_id, snapshot_after, snapshot_needed FROM sync_state WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let (Some(id), after, _) = row else {
            return Ok(row.2.then_some(SnapshotRequest {
                snapshot_id: None,
                after: None,
                max_rows,
            }));
        };
        let after = after
            .map(|a| serde_json::from_str::<(String, String)>(&a))
            .transpose()
            .map_err(corrupt)?;
        Ok(Some(SnapshotRequest {
            snapshot_id: Some(id),
            after,
            max_rows,
        }))
    }

    /// Applies one chunk of the office's snapshot on a station that joined
    /// the office: its rows straight into the tables, recorded by one
    /// journal entry (never pushed). The last chunk sets the pull cursor to
    /// the snapshot's; a chunk already applied changes nothing.
    pub fn apply_snapshot(&self, chunk: &SnapshotChunk) -> Result<SnapshotProgress> {
        let bytes: u64 = chunk.rows.iter().map(|r| regdesk_sync::row_json_len(&r.row)).sum();
        {
            let conn = self.conn();
            if !is_enrolled(&conn)? {
                return Err(refused("sync_not_enrolled", "本工作站尚未加入服务器，不能接收机构数据"));
            }
            if outbox_count(&conn)? > 0 {
                return Err(refused(
                    "sync_outbox_pending",
                    "本工作站还有未推送的记录，不能用服务器的机构数据覆盖：请先同步",
                ));
            }
            let (id, after, done_cursor): (Option<String>, Option<String>, i64) = conn.query_row(
                "SELECT snapshot_id, snapshot_after, cursor FROM sync_state WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            // A chunk at or before the last row applied is already here.
            if id.as_deref() == Some(chunk.snapshot_id.as_str()) {
                if let (Some(after), Some(first)) = (after, chunk.rows.first()) {
                    let after: (String, String) = serde_json::from_str(&after).map_err(corrupt)?;
                    if (first.table.as_str(), first.key.as_str()) <= (after.0.as_str(), after.1.as_str()) {
                        drop(conn);
                        return self.snapshot_progress()?.ok_or_else(|| corrupt("首次同步的进度缺失"));
                    }
                }
            } else if id.is_none() && done_cursor > 0 {
                return Err(refused(
                    "sync_snapshot_done",
                    "本工作站已有机构数据，不需要再次首次同步",
                ));
            }
            // Rows come in table order, not in the order their references
            // need: references are checked when the whole snapshot is in.
            conn.execute_batch("PRAGMA foreign_keys = OFF")?;
        }
        let meta = SyncMeta {
            local_only: true,
            no_effects: true,
            ..SyncMeta::default()
        };
        let applied = self.run_sync(None, "sync_snapshot", &meta, |tx, _now| {
            // The pages write no search entries: the last one writes every
            // case's at once, in a few large segments of each full-text
            // index instead of many small ones merged over and over. Until
            // then the app shows the join screen, not the desk.
            let mut page = PageWriter::new(tx, &self.audited)?;
            for r in &chunk.rows {
                page.row(r)?;
            }
            page.flush()?;
            if chunk.next.is_none() {
                crate::cases::reindex_all(tx)?;
            }
            let last = chunk.rows.last().map(|r| (r.table.clone(), r.key.clone()));
            let after = last.map(|l| serde_json::to_string(&l)).transpose().map_err(corrupt)?;
            let n = chunk.rows.len() as i64;
            if chunk.next.is_none() {
                let broken: Option<String> = tx
                    .query_row("SELECT \"table\" FROM pragma_foreign_key_check LIMIT 1", [], |r| {
                        r.get(0)
                    })
                    .optional()?;
                if let Some(t) = broken {
                    return Err(refused(
                        "sync_snapshot_broken",
                        format!(
                            "服务器的机构数据不完整（{}中的记录引用了不存在的记录）：请稍后重新首次同步，或联系信息科",
                            rows::table_label(&t)
                        ),
                    ));
                }
            }
            tx.execute(
                "UPDATE sync_state SET snapshot_id = ?1, snapshot_after = COALESCE(?2, snapshot_after),
                     snapshot_rows = CASE WHEN snapshot_id IS ?1 THEN snapshot_rows ELSE 0 END + ?3,
                     snapshot_bytes = CASE WHEN snapshot_id IS ?1 THEN snapshot_bytes ELSE 0 END + ?4,
                     snapshot_total = ?5, snapshot_total_bytes = ?6
                 WHERE id = 1",
                params![
                    chunk.snapshot_id,
                    after,
                    n,
                    i64::try_from(bytes).unwrap_or(i64::MAX),
                    i64::try_from(chunk.total_rows).unwrap_or(i64::MAX),
                    i64::try_from(chunk.total_bytes).unwrap_or(i64::MAX)
                ],
            )?;
            if chunk.next.is_none() {
                tx.execute(
                    "UPDATE sync_state SET snapshot_id = NULL, snapshot_after = NULL, snapshot_needed = 0, cursor = ?1
                     WHERE id = 1",
                    [chunk.cursor],
                )?;
            }
            let change = Change {
                entity: "sync_snapshot",
                entity_id: chunk.snapshot_id.clone(),
                version: chunk.cursor,
                payload: serde_json::json!({
                    "snapshot_id": chunk.snapshot_id, "cursor": chunk.cursor, "rows": n,
                    "complete": chunk.next.is_none(),
                }),
            };
            Ok((change, ()))
        });
        let on = self.conn().execute_batch("PRAGMA foreign_keys = ON");
        applied?;
        on?;
        let progress = self.snapshot_progress()?;
        Ok(progress.unwrap_or(SnapshotProgress {
            snapshot_id: chunk.snapshot_id.clone(),
            rows_done: chunk.total_rows,
            rows_total: chunk.total_rows,
            bytes_done: chunk.total_bytes,
            bytes_total: chunk.total_bytes,
            done: true,
        }))
    }

    /// A first sync's snapshot under way, `None` when there is none.
    pub fn snapshot_progress(&self) -> Result<Option<SnapshotProgress>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT snapshot_id, snapshot_rows, snapshot_total, snapshot_bytes, snapshot_total_bytes
                 FROM sync_state WHERE id = 1 AND snapshot_id IS NOT NULL",
                [],
                |r| {
                    let n = |i: usize| r.get::<_, i64>(i).map(|v| u64::try_from(v).unwrap_or(0));
                    Ok(SnapshotProgress {
                        snapshot_id: r.get(0)?,
                        rows_done: n(1)?,
                        rows_total: n(2)?,
                        bytes_done: n(3)?,
                        bytes_total: n(4)?,
                        done: false,
                    })
                },
            )
            .optional()?)
    }

    /// The sync screen's and the header's view (no sign-in needed: it shows
    /// no office data).
    pub fn sync_status(&self) -> Result<SyncStatusView> {
        let snapshot = self.snapshot_progress()?;
        let conn = self.conn();
        let enrolment = enrolment_row(&conn)?.map(|(e, _)| e);
        let (cursor, last_success, last_attempt, last_error): RoundRow = conn.query_row(
            "SELECT cursor, last_success, last_attempt, last_error FROM sync_state WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        let enrolled = enrolment.is_some();
        let pending = if enrolled { outbox_count(&conn)? } else { 0 };
        let inbox: u32 = conn.query_row("SELECT COUNT(*) FROM sync_inbox WHERE closed_at IS NULL", [], |r| {
            r.get(0)
        })?;
        Ok(SyncStatusView {
            enrolled,
            server_url: enrolment.as_ref().map(|e| e.server_url.clone()),
            station_name: enrolment.as_ref().map(|e| e.station_name.clone()),
            office_name: enrolment.as_ref().map(|e| e.office.name.clone()),
            ca_fingerprint: enrolment.as_ref().map(|e| e.ca_fingerprint.clone()),
            enrolled_at: enrolment.as_ref().map(|e| e.enrolled_at),
            last_success,
            last_attempt,
            offline: enrolled && last_error.is_some(),
            last_error,
            pending,
            inbox,
            cursor,
            snapshot,
        })
    }

    /// 需处理: the rejected entries not yet redone or discarded, newest first.
    /// Anyone signed in sees them (each shows who made it).
    pub fn sync_inbox(&self, session: &Session) -> Result<Vec<InboxItemView>> {
        let conn = self.conn();
        actor(&conn, self.now(), Some(session), None)?;
        let mut stmt = conn.prepare(
            "SELECT i.entry_id, i.entry, i.code, i.reason, i.current, i.received_at, s.display_name
             FROM sync_inbox i
             LEFT JOIN staff s ON s.id = json_extract(i.entry, '$.staff_id')
             WHERE i.closed_at IS NULL ORDER BY i.received_at DESC, i.entry_id DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, DateTime<Utc>>(5)?,
                r.get::<_, Option<String>>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (entry_id, entry, code, reason, current, received_at, staff_name) = row?;
            let entry: Entry = serde_json::from_str(&entry).map_err(corrupt)?;
            let current: Vec<RowEffect> = serde_json::from_str(&current).map_err(corrupt)?;
            out.push(InboxItemView {
                entry_id,
                staff_id: entry.staff_id.clone(),
                staff_name,
                at: entry.at,
                command_words: command_words(&entry.command).to_string(),
                command: entry.command.clone(),
                case_id: (entry.entity == "case").then(|| entry.entity_id.clone()),
                entity: entry.entity.clone(),
                entity_id: entry.entity_id.clone(),
                payload: entry.payload.clone(),
                code,
                reason,
                received_at,
                rows: crate::inbox_fields::side_by_side(&entry.effects, &current),
                entered: crate::inbox_fields::entered(&entry.payload),
            });
        }
        Ok(out)
    }

    /// 放弃 a rejected entry (its maker or an admin), confirmed and audited:
    /// it stays in the record as discarded and never reaches the server.
    pub fn discard_inbox_item(&self, session: &Session, input: &DiscardInboxInput) -> Result<()> {
        let who = actor(&self.conn(), self.now(), Some(session), None)?;
        let maker: Option<Option<String>> = self
            .conn()
            .query_row(
                "SELECT json_extract(entry, '$.staff_id') FROM sync_inbox WHERE entry_id = ?1 AND closed_at IS NULL",
                [&input.entry_id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(maker) = maker else {
            return Err(StoreError::NotFound {
                what: "需处理的记录",
                id: input.entry_id.clone(),
            });
        };
        if maker.as_deref() != Some(who.id()) {
            actor(
                &self.conn(),
                self.now(),
                Some(session),
                Some(Permission::ManageSettings),
            )?;
        }
        if !input.confirm {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "confirm",
                "confirm_required",
                "放弃后这条记录不会再提交到服务器：请确认放弃",
            )]));
        }
        self.run(Some(who.id()), "discard_inbox_item", |tx, now| {
            tx.execute(
                "UPDATE sync_inbox SET closed_at = ?2, closed_by = ?3, outcome = 'discarded'
                 WHERE entry_id = ?1 AND closed_at IS NULL",
                params![input.entry_id, now, who.id()],
            )?;
            let change = Change {
                entity: "sync_inbox",
                entity_id: input.entry_id.clone(),
                version: 1,
                payload: serde_json::json!({ "entry_id": input.entry_id, "outcome": "discarded" }),
            };
            Ok((change, ()))
        })
    }
}

impl Store {
    /// 重做 saved: closes the inbox item of a rejected entry once the person
    /// signed in has saved, on this station after the rejection came back, a
    /// new entry on the same record (the redone command). Audited and
    /// journaled as the station's own work; nothing of it is pushed.
    pub fn close_redone_inbox_item(&self, session: &Session, input: &RedoneInboxInput) -> Result<()> {
        let who = actor(&self.conn(), self.now(), Some(session), None)?;
        let item: Option<(String, String, String)> = self
            .conn()
            .query_row(
                "SELECT json_extract(entry, '$.entity'), json_extract(entry, '$.entity_id'), received_at
                 FROM sync_inbox WHERE entry_id = ?1 AND closed_at IS NULL",
                [&input.entry_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((entity, entity_id, received_at)) = item else {
            return Err(StoreError::NotFound {
                what: "需处理的记录",
                id: input.entry_id.clone(),
            });
        };
        let redone: bool = self.conn().query_row(
            "SELECT EXISTS (SELECT 1 FROM journal
               WHERE entity = ?1 AND entity_id = ?2 AND staff_id = ?3 AND origin_id IS NULL
                 AND at >= ?4 AND id <> ?5
                 AND id NOT IN (SELECT entry_id FROM sync_inbox))",
            params![entity, entity_id, who.id(), received_at, input.entry_id],
            |r| r.get(0),
        )?;
        if !redone {
            return Err(refused(
                "inbox_not_redone",
                "这条被拒绝的记录还没有重新办理：请在重做的表单中保存后再关闭，或选择放弃",
            ));
        }
        self.run(Some(who.id()), "redo_inbox_item", |tx, now| {
            tx.execute(
                "UPDATE sync_inbox SET closed_at = ?2, closed_by = ?3, outcome = 'redone'
                 WHERE entry_id = ?1 AND closed_at IS NULL",
                params![input.entry_id, now, who.id()],
            )?;
            let change = Change {
                entity: "sync_inbox",
                entity_id: input.entry_id.clone(),
                version: 1,
                payload: serde_json::json!({ "entry_id": input.entry_id, "outcome": "redone" }),
            };
            Ok((change, ()))
        })
    }
}

impl StationRecord for Store {
    type Error = StoreError;

    fn enrolment(&self) -> Result<Option<Enrolment>> {
        Store::enrolment(self)
    }

    fn outbox(&self, limit: usize) -> Result<Vec<Entry>> {
        Store::outbox(self, limit)
    }

    fn chain_head(&self) -> Result<Option<regdesk_sync::protocol::ChainHead>> {
        Ok(crate::audit::head(&self.conn())?
            .map(|(seq, entry_hash)| regdesk_sync::protocol::ChainHead { seq, entry_hash }))
    }

    fn record_verdicts(&self, verdicts: &[EntryVerdict]) -> Result<()> {
        Store::record_verdicts(self, verdicts)
    }

    fn pull_cursor(&self) -> Result<i64> {
        Store::pull_cursor(self)
    }

    fn apply_pulled(&self, entries: &[PulledEntry]) -> Result<()> {
        Store::apply_pulled(self, entries).map(|_| ())
    }

    fn note_sync(&self, at: DateTime<Utc>, outcome: &SyncOutcome) -> Result<()> {
        Store::note_sync(self, at, outcome)
    }

    fn snapshot_request(&self, max_rows: u32) -> Result<Option<SnapshotRequest>> {
        Store::snapshot_request(self, max_rows)
    }

    fn apply_snapshot(&self, chunk: &SnapshotChunk) -> Result<()> {
        Store::apply_snapshot(self, chunk).map(|_| ())
    }

    fn state_hash(&self) -> Result<String> {
        Store::state_hash(self)
    }

    fn blob(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        Store::blob_plaintext(self, sha256)
    }

    fn blob_reader(&self, sha256: &str) -> Result<Option<(u64, Box<dyn std::io::Read + Send>)>> {
        Ok(Store::blob_stream(self, sha256)?.map(|(size, r)| {
            let reader: Box<dyn std::io::Read + Send> = Box::new(r);
            (size, reader)
        }))
    }

    fn save_blob(&self, sha256: &str, bytes: &[u8]) -> Result<()> {
        Store::save_fetched_blob(self, sha256, bytes)
    }

    fn missing_blobs(&self) -> Result<Vec<String>> {
        Store::missing_blobs(self)
    }

    fn lease_request(&self) -> Result<Option<LeaseRequest>> {
        Store::lease_request(self)
    }

    fn apply_lease(&self, reply: &LeaseReply) -> Result<()> {
        Store::apply_lease(self, reply)
    }
}

/// Voids the leased numbers a refused approval used, with the server's reason.
fn void_leased(tx: &Transaction<'_>, entry: &Entry, reason: &str, now: DateTime<Utc>) -> Result<()> {
    for e in entry
        .effects
        .iter()
        .filter(|e| e.table == "registration_numbers" && e.before.is_none())
    {
        let Some(number) = e.after.as_deref().and_then(|row| {
            row.iter().find(|c| c.name == "number").and_then(|c| match &c.value {
                Cell::Text(t) => t.parse::<RegistrationNumber>().ok(),
                _ => None,
            })
        }) else {
            continue;
        };
        let serial = i64::try_from(number.serial).map_err(|_| corrupt(format!("登记号 {number} 超出范围")))?;
        tx.execute(
            "UPDATE sync_number_leases SET state = 'voided', reason = ?5, changed_at = ?6
             WHERE prefix = ?1 AND year = ?2 AND letter = ?3 AND serial = ?4 AND state = 'used'",
            params![
                number.prefix,
                number.year,
                number.letter.to_string(),
                serial,
                reason,
                now
            ],
        )?;
    }
    Ok(())
}

/// Most serials the station takes from one run of a lease answer.
const MAX_RUN_SERIALS: u64 = 10_000;
