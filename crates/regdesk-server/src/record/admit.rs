//! Deciding one pushed entry against the record: the checks, in order, and
//! the accepting transaction.

use std::collections::HashSet;

use chrono::Utc;
use regdesk_domain::admission::{self, Need, FINAL_REVIEW, FIRST_REVIEW};
use regdesk_domain::lifecycle::{CaseFacts, CaseState, CommandKind, StaffId};
use regdesk_domain::staff::Role;
use regdesk_sync::protocol::{Entry, RejectCode, Row, RowEffect, Verdict};
use serde_json::Value;
use tokio_postgres::types::Json;
use tokio_postgres::Transaction;

use super::rows::{self, describe, text, Current};
use super::scope::{self, case_of, held_offices, office_of, StationScope, Tags};
use super::stmts::{Stmts, S};
use super::{corrupt, integrity, leases, numbers, RecordError};

/// A permanent refusal of one entry.
pub(crate) struct Rejection {
    pub code: RejectCode,
    pub reason: String,
    /// Rows of the record beyond the ones the entry touched that the station
    /// needs to see why (the row a unique value clashed with).
    pub also: Vec<RowEffect>,
}

impl Rejection {
    pub fn new(code: RejectCode, reason: impl Into<String>) -> Rejection {
        Rejection {
            code,
            reason: reason.into(),
            also: Vec::new(),
        }
    }
}

fn reject(code: RejectCode, reason: impl Into<String>) -> Rejection {
    Rejection::new(code, reason)
}

/// The record's rows for the keys an entry touches, in the entry's order.
pub(crate) type Touched = Vec<(String, String, Option<Current>)>;

/// The column lists the record knows, by table (`None`: no row of it yet).
type Known = std::collections::HashMap<String, Option<Vec<String>>>;

/// The push's transaction: the office's cursor, locked by the push until it
/// commits, and where it stands.
pub(crate) struct Batch {
    pub office_id: String,
    pub cursor: i64,
    pub moved: bool,
}

impl Batch {
    /// Locks the office's cursor row for the rest of the transaction: one
    /// accepting transaction of the office at a time, so entries commit in the
    /// order of their place and a pull never skips one.
    pub async fn lock(tx: &Transaction<'_>, stmts: &Stmts, office_id: &str) -> Result<Batch, RecordError> {
        let cursor: i64 = tx
            .query_opt(stmts.get(S::LockCursor), &[&office_id])
            .await?
            .ok_or(RecordError::NoOffice)?
            .get(0);
        Ok(Batch {
            office_id: office_id.to_string(),
            cursor,
            moved: false,
        })
    }

    /// Writes the cursor back when entries were accepted, and notifies every
    /// listening server instance (delivered at commit) once for them all.
    pub async fn finish(&self, tx: &Transaction<'_>, stmts: &Stmts) -> Result<(), RecordError> {
        if self.moved {
            let note = format!("{}:{}", self.office_id, self.cursor);
            tokio::try_join!(
                async {
                    tx.execute(stmts.get(S::MoveCursor), &[&self.office_id, &self.cursor])
                        .await
                },
                async { tx.query_opt(stmts.get(S::Notify), &[&super::CHANNEL, &note]).await },
            )?;
        }
        Ok(())
    }
}

/// Decides one entry in its own savepoint of the push's transaction: the
/// verdict kept for its id, or a new one (kept, with the entry when accepted).
/// The savepoint is made in the same round trip as the entry's first reads
/// and released in the same round trip as its writes; an error takes back
/// everything the entry did (`ROLLBACK TO`) before it is returned.
pub(crate) async fn decide(
    outer: &mut Transaction<'_>,
    stmts: &Stmts,
    batch: &mut Batch,
    scope: &StationScope,
    entry: Entry,
) -> Result<Verdict, RecordError> {
    match decide_in(outer, stmts, batch, scope, entry).await {
        Ok((verdict, true)) => Ok(verdict),
        // Decided without a write (a verdict kept from before, an entry out
        // of the station's order, one that must wait).
        Ok((verdict, false)) => {
            outer
                .batch_execute("ROLLBACK TO SAVEPOINT entry; RELEASE SAVEPOINT entry")
                .await?;
            Ok(verdict)
        }
        Err(e) => {
            outer
                .batch_execute("ROLLBACK TO SAVEPOINT entry; RELEASE SAVEPOINT entry")
                .await?;
            Err(e)
        }
    }
}

/// [`decide`] inside the entry's savepoint (made here); the verdict, and
/// whether the savepoint was released with the entry's writes.
async fn decide_in(
    outer: &mut Transaction<'_>,
    stmts: &Stmts,
    batch: &mut Batch,
    scope: &StationScope,
    mut entry: Entry,
) -> Result<(Verdict, bool), RecordError> {
    // The entry's own savepoint (all of it or nothing, whatever the batch
    // does), made in the same round trip as everything deciding the entry
    // reads: its kept verdict, its place in the station's order, the rows it
    // touches (locked), the column lists of its tables and its staff
    // member's row. What the checks below find does not depend on the order
    // of these reads; a verdict kept from before ends the savepoint without a
    // write.
    let tx = outer;
    let shared: Vec<&regdesk_sync::protocol::RowEffect> = entry
        .effects
        .iter()
        .filter(|e| regdesk_sync::is_shared_table(&e.table))
        .collect();
    // A text with a NUL character is refused by the checks before these two
    // are looked at (PostgreSQL cannot take it as a parameter): not read.
    let clean = !has_nul(&entry);
    let mut tables: Vec<&str> = entry
        .effects
        .iter()
        .filter(|_| clean)
        .map(|e| e.table.as_str())
        .collect();
    tables.sort_unstable();
    tables.dedup();
    let staff_key = match entry.staff_id.as_deref().filter(|s| clean && !s.is_empty()) {
        Some(id) => Some(serde_json::to_string(&[id]).map_err(corrupt)?),
        None => None,
    };
    let (_, kept, taken, progress, found, known, staff_row) = tokio::try_join!(
        // Sent first: the reads below run inside the savepoint.
        async { Ok::<_, RecordError>(tx.batch_execute("SAVEPOINT entry").await?) },
        async { Ok::<_, RecordError>(tx.query_opt(stmts.get(S::VerdictById), &[&entry.id]).await?) },
        async {
            Ok(tx
                .query_opt(stmts.get(S::SeqTaken), &[&entry.station_id, &entry.station_seq])
                .await?)
        },
        async { Ok(tx.query_opt(stmts.get(S::Progress), &[&entry.station_id]).await?) },
        futures_util::future::try_join_all(shared.iter().map(|e| rows::current(tx, stmts, &e.table, &e.key))),
        futures_util::future::try_join_all(tables.iter().map(|t| rows::known_columns(tx, stmts, t))),
        async {
            match &staff_key {
                Some(key) => rows::current(tx, stmts, "staff", key).await,
                None => Ok(None),
            }
        },
    )?;
    let known: Known = tables.iter().map(|t| t.to_string()).zip(known).collect();
    if let Some(r) = kept {
        return r
            .try_get::<_, Json<Verdict>>(0)
            .map(|v| (v.0, false))
            .map_err(|e| corrupt(format!("记录 {} 的结论无法读取：{e}", entry.id)));
    }
    if let Some(r) = taken {
        let other: uuid::Uuid = r.get(0);
        return Ok((Verdict::Rejected {
            code: RejectCode::Malformed,
            reason: format!(
                "本工作站的第 {} 条记录已由另一条记录（{other}）使用，这条记录的编号重复，服务器不能接收：请联系信息科检查本工作站的数据目录是否被复制或恢复过",
                entry.station_seq
            ),
            current: Vec::new(),
        }, false));
    }
    let progress: Option<i64> = progress.map(|r| r.get(0));
    if let Some(last) = progress {
        if entry.station_seq > last + 1 {
            return Ok((
                Verdict::RetryLater {
                    reason: format!(
                        "本工作站第 {} 至 {} 条记录还没有送到服务器，第 {} 条要等它们先送到",
                        last + 1,
                        entry.station_seq - 1,
                        entry.station_seq
                    ),
                },
                false,
            ));
        }
        if entry.station_seq <= last {
            return Ok((Verdict::Rejected {
                code: RejectCode::Malformed,
                reason: format!(
                    "本工作站第 {} 条之前的记录服务器都已处理，这条记录的编号（{}）落在其中，服务器不能接收：请联系信息科检查本工作站的数据目录是否被复制或恢复过",
                    last + 1,
                    entry.station_seq
                ),
                current: Vec::new(),
            }, false));
        }
    }

    let touched: Touched = shared
        .iter()
        .zip(found)
        .map(|(e, c)| (e.table.clone(), e.key.clone(), c))
        .collect();

    let now = Utc::now();
    let mut outcome = check(tx, stmts, &mut entry, &touched, &known, staff_row, scope).await?;
    if outcome.is_ok() && entry.command == admission::TRANSFER_CASE {
        restate_transferred(tx, &mut entry).await?;
    }
    if outcome.is_ok() && numbers::may_number(&entry) {
        // Numbering has its own savepoint: a case of the entry that cannot be
        // numbered takes back the serials taken for the ones before it.
        let numbering = tx.savepoint("numbering").await?;
        outcome = match numbers::complete(&numbering, stmts, &mut entry, now).await? {
            numbers::Outcome::Done => {
                numbering.commit().await?;
                Ok(())
            }
            numbers::Outcome::Reject(r) => {
                numbering.rollback().await?;
                Err(r)
            }
            numbers::Outcome::Wait(reason) => return Ok((Verdict::RetryLater { reason }, false)),
        };
    }
    let seq = batch.cursor + 1;
    let outcome = match outcome {
        // A refused approval's leased number is voided with the refusal as its reason.
        Err(mut r) => {
            let voided = leases::void_carried(tx, &entry, &r.reason).await?;
            if !voided.is_empty() {
                r.reason = format!(
                    "{}（本工作站离线终审时使用的登记号 {} 已作废，电子证书随之撤回；请按上述原因处理后重新终审）",
                    r.reason,
                    voided.join("、")
                );
            }
            Err(r)
        }
        Ok(()) => {
            leases::mark_used(tx, &entry).await?;
            Ok(())
        }
    };
    // What the record holds already of the rows the entry leaves (as the
    // entry stands now, numbered or restated).
    let holds = rows::Holds {
        same_office: touched
            .iter()
            .filter(|(table, _, _)| table == "cases")
            .filter_map(|(table, key, current)| {
                let held = office_of(&current.as_ref()?.row);
                let after = entry.effects.iter().find(|e| &e.table == table && &e.key == key)?;
                let left = office_of(after.after.as_deref()?);
                (held == left)
                    .then(|| case_of(table, key, after.after.as_deref()))
                    .flatten()
            })
            .collect(),
        columns: known,
    };
    let verdict = match outcome {
        Err(r) => Verdict::Rejected {
            code: r.code,
            reason: r.reason,
            // The touched rows first: a station puts them back in this
            // order, so a row it made is gone before the one it clashed with comes.
            current: touched
                .into_iter()
                .map(|(table, key, current)| RowEffect {
                    table,
                    key,
                    before: current.as_ref().map(|c| c.digest.clone()),
                    after: current.map(|c| c.row),
                    changed: None,
                })
                .chain(r.also)
                .collect(),
        },
        Ok(()) => Verdict::Accepted { office_seq: seq },
    };
    let accepted = matches!(verdict, Verdict::Accepted { .. });
    let kept = Json(&verdict);
    // The offices the entry touches, read before its rows are written.
    let tags = if accepted {
        scope::tag(&*tx, stmts, &entry.effects).await?
    } else {
        Tags::default()
    };
    // Every write of the entry goes to the database together, the
    // savepoint's release last.
    tokio::try_join!(
        async {
            if accepted {
                rows::apply(tx, stmts, &entry.effects, seq, Some(&holds)).await?;
            }
            Ok::<_, RecordError>(())
        },
        async {
            if accepted {
                record_entry(tx, stmts, &batch.office_id, seq, &entry, &tags).await?;
            }
            Ok(())
        },
        async {
            tx.execute(
                stmts.get(S::InsertVerdict),
                &[&entry.id, &entry.station_id, &entry.station_seq, &kept],
            )
            .await?;
            Ok(())
        },
        async {
            tx.execute(stmts.get(S::UpsertProgress), &[&entry.station_id, &entry.station_seq])
                .await?;
            Ok(())
        },
        async {
            tx.batch_execute("RELEASE SAVEPOINT entry").await?;
            Ok(())
        },
    )?;
    if matches!(verdict, Verdict::Accepted { .. }) {
        batch.cursor = seq;
        batch.moved = true;
    }
    Ok((verdict, true))
}

/// Keeps an accepted entry at `seq`. The caller moves the office's cursor
/// and notifies the listening server instances ([`Batch::finish`]).
pub(crate) async fn record_entry(
    tx: &Transaction<'_>,
    stmts: &Stmts,
    office_id: &str,
    seq: i64,
    entry: &Entry,
    tags: &Tags,
) -> Result<(), RecordError> {
    // Written as JSON straight from the entry (no `Value` built first).
    let effects = Json(&entry.effects);
    let effect_offices = Json(&tags.per_effect);
    let blobs = Json(&entry.blobs);
    tx.execute(
        stmts.get(S::InsertEntry),
        &[
            &entry.id,
            &office_id,
            &seq,
            &entry.station_id,
            &entry.station_seq,
            &entry.staff_id,
            &entry.at,
            &entry.command,
            &entry.entity,
            &entry.entity_id,
            &entry.entity_version,
            &entry.payload,
            &entry.payload_format,
            &effects,
            &blobs,
            &tags.offices,
            &tags.everyone,
            &effect_offices,
        ],
    )
    .await?;
    Ok(())
}

/// The checks, in order: the command, the entry's shape, the staff member,
/// the versions of the rows, the case state changes, four eyes.
async fn check(
    tx: &Transaction<'_>,
    stmts: &Stmts,
    entry: &mut Entry,
    touched: &Touched,
    known: &Known,
    staff_row: Option<Current>,
    scope: &StationScope,
) -> Result<Result<(), Rejection>, RecordError> {
    let Some(rule) = admission::admission(&entry.command) else {
        return Ok(Err(reject(
            RejectCode::UnknownCommand,
            format!(
                "服务器不接收操作“{}”：这一操作不能从工作站同步。请把这条记录放弃，或联系信息科",
                entry.command
            ),
        )));
    };
    if let Err(r) = shape(entry, rule.need, known)? {
        return Ok(Err(r));
    }
    let staff = match staff(entry, rule.need, staff_row)? {
        Ok(s) => s,
        Err(r) => return Ok(Err(r)),
    };
    // Every row is as the station saw it when the command ran, or — field by
    // field — every field the command changed still is: then its fields land
    // on the record's row and the rest of the row stays as the record has it
    // (before the reach is checked, so that it judges what the entry changed).
    let landed = land_fields(entry, touched);
    let entry: &Entry = entry;
    if let Some(r) = reach(entry, touched, &staff) {
        return Ok(Err(r));
    }
    if let Err(why) = landed {
        return Ok(Err(unlanded(tx, why).await?));
    }
    // Scope: a station changes only its own office's cases; a transfer moves a
    // case it sees. Then the store's unique values and references, against the
    // record. Both are read in one round trip, and the scope is judged first,
    // so a station is never told of rows outside it.
    let (scoped, integral) = tokio::try_join!(
        in_scope(tx, stmts, entry, touched, scope),
        integrity::check(tx, stmts, entry, touched),
    )?;
    if let Some(r) = scoped {
        return Ok(Err(r));
    }
    if let Err(r) = integral {
        return Ok(Err(r));
    }
    // Registration numbers of enrolled stations come from the record, or from the station's lease.
    if entry.command == "final_review" {
        if let Err(r) = leases::check_carried(tx, entry, touched).await? {
            return Ok(Err(r));
        }
    }
    let staff_id = entry.staff_id.clone().unwrap_or_default();
    // Case state changes the command may make, and four eyes.
    for (e, (_, _, current)) in entry.effects.iter().zip(touched) {
        if e.table != "cases" {
            continue;
        }
        let (Some(current), Some(after)) = (current, &e.after) else {
            continue;
        };
        let from = state_of(&current.row)?;
        let to = match state_of(after) {
            Ok(s) => s,
            Err(_) => {
                return Ok(Err(reject(
                    RejectCode::Malformed,
                    format!(
                        "{}的状态无法识别，服务器不能接收",
                        describe("cases", &e.key, Some(after))
                    ),
                )))
            }
        };
        let kind = if from == to {
            None
        } else {
            match admission::transition(rule.kinds, from, to) {
                Some(k) => Some(k),
                None => {
                    return Ok(Err(reject(
                        RejectCode::Transition,
                        format!(
                            "{}在服务器上的状态为“{}”，不能由这一操作改为“{}”：请打开该案件查看服务器上的当前状态后重新办理",
                            describe("cases", &e.key, Some(&current.row)),
                            from.label(),
                            to.label()
                        ),
                    )))
                }
            }
        };
        let case_id = text(&current.row, "id").unwrap_or_default().to_string();
        let name = describe("cases", &e.key, Some(&current.row));
        if let Some(r) = four_eyes_review(tx, entry, &staff_id, &staff, &case_id, &name, after).await? {
            return Ok(Err(r));
        }
        if kind == Some(CommandKind::ConfirmPayment) {
            let before = facts_of(&current.row)?;
            if let Some(p) = before.offline_payment.filter(|p| p.recorded_by.0 == staff_id) {
                return Ok(Err(reject(
                    RejectCode::FourEyes,
                    format!(
                        "{name}的付款由{}于 {} 登记，不能由同一人确认收款：请由另一位核款人员确认",
                        staff.name,
                        p.recorded_at.format("%Y-%m-%d %H:%M")
                    ),
                )));
            }
        }
    }
    for (e, (_, _, current)) in entry.effects.iter().zip(touched) {
        if e.table != "transfers" {
            continue;
        }
        let Some(after) = &e.after else { continue };
        let checked_before = current.as_ref().and_then(|c| text(&c.row, "checked_by"));
        let checked_after = text(after, "checked_by");
        if checked_after.is_none() || checked_after == checked_before {
            continue;
        }
        // The maker as the record holds it; a transfer new to the record names its own.
        let maker = match current {
            Some(c) => text(&c.row, "recorded_by"),
            None => text(after, "recorded_by"),
        };
        if maker.is_some() && maker == checked_after {
            return Ok(Err(reject(
                RejectCode::FourEyes,
                format!(
                    "{}由{}登记，不能由同一人核对：请由另一位核款人员确认或退回这笔转账",
                    describe("transfers", &e.key, Some(after)),
                    staff.name
                ),
            )));
        }
    }
    Ok(Ok(()))
}

/// Why the rows of an entry do not land (see [`land_fields`]).
enum Unlanded {
    /// Rows changed since, with no fields named: how each is named.
    Stale(Vec<String>),
    /// Fields changed on both sides: the row's name, its table, the field.
    Clash(Vec<(String, String, regdesk_sync::fields::Clash)>),
}

/// The versions of the rows an entry changes. A row whose record digest is
/// the one the station decided against is taken as the station left it. A
/// row changed on the record since (by another station, or written by a
/// station of another schema) is checked field by field when the entry names
/// its fields (payload format 2): each field it changed must still hold, in
/// the record, the value the station saw; the entry's row is then replaced by
/// the record's row with those fields set (`regdesk_sync::fields::merge`), so
/// the checks after this one decide the merged row and every station —
/// the sender too — pulls the same row. A field changed on both sides, a row
/// made or deleted on both, or an entry of format 1 → not landed.
fn land_fields(entry: &mut Entry, touched: &Touched) -> Result<(), Unlanded> {
    let mut stale: Vec<String> = Vec::new();
    let mut clashes = Vec::new();
    for (e, (_, _, current)) in entry.effects.iter_mut().zip(touched) {
        let now = current.as_ref().map(|c| c.digest.as_str());
        if e.before.as_deref() == now {
            continue;
        }
        let (Some(current), Some(_), Some(after), Some(changed)) = (current, &e.before, &e.after, &e.changed) else {
            let row = current.as_ref().map(|c| c.row.as_slice()).or(e.after.as_deref());
            stale.push(describe(&e.table, &e.key, row));
            continue;
        };
        match regdesk_sync::fields::merge(&current.row, after, changed) {
            Ok(merged) => {
                e.after = Some(merged);
                e.before = Some(current.digest.clone());
            }
            Err(found) => {
                let name = describe(&e.table, &e.key, Some(&current.row));
                clashes.extend(found.into_iter().map(|c| (name.clone(), e.table.clone(), c)));
            }
        }
    }
    if !clashes.is_empty() {
        return Err(Unlanded::Clash(clashes));
    }
    if !stale.is_empty() {
        return Err(Unlanded::Stale(stale));
    }
    Ok(())
}

/// The refusal of an entry whose rows did not land: each clashing field with
/// the station's value and the record's, in the office's words (states by
/// their names, people by the record's staff names).
async fn unlanded(tx: &Transaction<'_>, why: Unlanded) -> Result<Rejection, RecordError> {
    let clashes = match why {
        Unlanded::Stale(stale) => {
            return Ok(reject(
                RejectCode::Conflict,
                format!(
                    "{}在服务器上已被其他工作站先改过，这条记录是按旧内容办理的：请对照服务器上的当前内容重新办理",
                    stale.join("、")
                ),
            ))
        }
        Unlanded::Clash(c) => c,
    };
    let staff: std::collections::HashMap<String, String> = rows::all(tx, "staff")
        .await?
        .iter()
        .filter_map(|r| Some((text(r, "id")?.to_string(), text(r, "display_name")?.to_string())))
        .collect();
    let words = |table: &str, c: &regdesk_sync::fields::Clash, cell: &regdesk_sync::protocol::Cell| {
        use regdesk_sync::protocol::Cell;
        let code = match cell {
            Cell::Text(t) if c.path.is_empty() => Some(t.clone()),
            Cell::Text(t) => serde_json::from_str::<Value>(t)
                .ok()
                .and_then(|v| v.as_str().map(String::from)),
            _ => None,
        };
        let field = c.path.last().unwrap_or(&c.column).as_str();
        let named = code.as_deref().and_then(|code| match (table, field) {
            ("cases", "state") => serde_json::from_value::<CaseState>(Value::String(code.into()))
                .ok()
                .map(|s| s.label().to_string()),
            ("transfers", "state") => {
                serde_json::from_value::<regdesk_domain::payment::TransferState>(Value::String(code.into()))
                    .ok()
                    .map(|s| s.label().to_string())
            }
            (_, f) if f.ends_with("_by") || f == "staff_id" => staff.get(code).cloned(),
            _ => None,
        });
        match named {
            Some(n) => format!("“{n}”"),
            None => regdesk_sync::fields::value_words(cell),
        }
    };
    let mut seen: Vec<(&str, String, String)> = Vec::new();
    let mut text: Vec<String> = Vec::new();
    for (name, table, c) in &clashes {
        let (theirs, server) = (words(table, c, &c.theirs), words(table, c, &c.server));
        // The same change seen twice in one row (a case's state and its facts' state): once.
        let key = (name.as_str(), theirs.clone(), server.clone());
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        text.push(format!(
            "{name}的{}：本工作站改为{theirs}，服务器上已被其他工作站改为{server}（办理时为{}）",
            regdesk_sync::fields::field_label(&c.column, &c.path),
            words(table, c, &c.before)
        ));
    }
    Ok(reject(
        RejectCode::Conflict,
        format!(
            "同一内容在两个工作站上都改过，以先送到服务器的为准：{}。请对照服务器上的当前内容，确需更改时重新办理",
            text.join("；")
        ),
    ))
}

/// What the entry may change whatever its person's roles: the office's
/// reference tables only by the commands made for them, and a person's own
/// account (password, sign-in count) only in their own staff row's columns
/// for it.
fn reach(entry: &Entry, touched: &Touched, staff: &Staff) -> Option<Rejection> {
    let words = regdesk_store::command_words(&entry.command);
    for e in &entry.effects {
        if !admission::may_change(&entry.command, &e.table) {
            return Some(reject(
                RejectCode::NotPermitted,
                format!(
                    "操作“{words}”不能更改{}，服务器不接收这条记录：{}只能由相应的管理操作更改，请由管理员办理",
                    describe(&e.table, &e.key, e.after.as_deref()),
                    rows::table_label(&e.table)
                ),
            ));
        }
    }
    if let Some(tables) = admission::confined_to(&entry.command) {
        if let Some(e) = entry.effects.iter().find(|e| !tables.contains(&e.table.as_str())) {
            return Some(reject(
                RejectCode::NotPermitted,
                format!(
                    "操作“{words}”只能更改{}，这条记录却更改了{}：服务器不接收",
                    tables
                        .iter()
                        .map(|t| rows::table_label(t))
                        .collect::<Vec<_>>()
                        .join("、"),
                    describe(&e.table, &e.key, e.after.as_deref())
                ),
            ));
        }
    }
    // A case is opened only by intake, and always as a draft.
    for (e, (_, _, current)) in entry.effects.iter().zip(touched) {
        let (true, None, Some(after)) = (e.table == "cases", current, &e.after) else {
            continue;
        };
        if !admission::OPENS_CASES.contains(&entry.command.as_str()) {
            return Some(reject(
                RejectCode::NotPermitted,
                format!(
                    "操作“{words}”不能新建案件，这条记录却新建了{}：案件只能在受理台新建或导入，服务器不接收",
                    describe("cases", &e.key, Some(after))
                ),
            ));
        }
        let state = state_of(after).ok();
        if state != Some(admission::NEW_CASE_STATE) {
            return Some(reject(
                RejectCode::Transition,
                format!(
                    "{}是新建的案件，状态却为“{}”：新建的案件只能是“{}”，服务器不接收",
                    describe("cases", &e.key, Some(after)),
                    state.map_or("无法识别", |s| s.label()),
                    admission::NEW_CASE_STATE.label()
                ),
            ));
        }
    }
    let columns = admission::own_account_columns(&entry.command)?;
    let own = serde_json::to_string(&[entry.staff_id.as_deref().unwrap_or_default()]).unwrap_or_default();
    for (e, (_, _, current)) in entry.effects.iter().zip(touched) {
        if e.table != "staff" {
            continue;
        }
        let changed: Vec<&str> = match (current, &e.after) {
            (Some(current), Some(after)) if e.key == own => after
                .iter()
                .filter(|c| current.row.iter().find(|o| o.name == c.name).map(|o| &o.value) != Some(&c.value))
                .map(|c| c.name.as_str())
                .filter(|n| !columns.contains(n))
                .collect(),
            _ => {
                return Some(reject(
                    RejectCode::NotPermitted,
                    format!(
                        "操作“{words}”只能更改{}本人的账号，这条记录却更改了{}：服务器不接收，请由管理员办理",
                        staff.name,
                        describe("staff", &e.key, e.after.as_deref())
                    ),
                ))
            }
        };
        if !changed.is_empty() {
            return Some(reject(
                RejectCode::NotPermitted,
                format!(
                    "操作“{words}”不能更改{}账号的{}：服务器不接收这条记录，岗位、姓名与停用只能由管理员更改",
                    staff.name,
                    changed.join("、")
                ),
            ));
        }
    }
    None
}

/// Every effect on a shared table, with a key and a row shaped as the record
/// knows the table (`known`: the record's column lists of the entry's tables).
fn shape(entry: &Entry, need: Need, known: &Known) -> Result<Result<(), Rejection>, RecordError> {
    let max_format = regdesk_domain::stored::JOURNAL_FORMAT;
    if entry.payload_format < 1 || entry.payload_format > max_format {
        return Ok(Err(reject(
            RejectCode::Malformed,
            format!(
                "这条记录的格式版本为 {}，服务器只认识 1 至 {max_format}：请升级服务器或本工作站的 RegDesk 后重新同步",
                entry.payload_format
            ),
        )));
    }
    // PostgreSQL text and JSON hold no NUL character, nor do the store's rows.
    if has_nul(entry) {
        return Ok(Err(reject(
            RejectCode::Malformed,
            "这条记录含有空字符（\\0），服务器不能接收：请联系信息科检查该工作站的数据".to_string(),
        )));
    }
    if need == Need::StationOnly && !entry.effects.is_empty() {
        return Ok(Err(reject(
            RejectCode::Malformed,
            format!(
                "操作“{}”只属于工作站本身，却改动了机构的数据，服务器不能接收",
                entry.command
            ),
        )));
    }
    let mut seen = HashSet::new();
    for e in &entry.effects {
        let label = rows::table_label(&e.table);
        if !regdesk_sync::is_shared_table(&e.table) {
            return Ok(Err(reject(
                RejectCode::Malformed,
                format!("这条记录改动了只属于工作站本身的数据表“{label}”，服务器不能接收"),
            )));
        }
        if !seen.insert((e.table.as_str(), e.key.as_str())) {
            return Ok(Err(reject(
                RejectCode::Malformed,
                format!("这条记录对{label}（{}）列出了两次改动，服务器不能接收", e.key),
            )));
        }
        let key_ok = matches!(serde_json::from_str::<Value>(&e.key), Ok(Value::Array(a)) if !a.is_empty());
        if !key_ok {
            return Ok(Err(reject(
                RejectCode::Malformed,
                format!("这条记录中{label}一行的主键“{}”无法识别，服务器不能接收", e.key),
            )));
        }
        let Some(row) = &e.after else { continue };
        let names: Vec<String> = row.iter().map(|c| c.name.clone()).collect();
        let unique: HashSet<&str> = names.iter().map(String::as_str).collect();
        if names.is_empty() || unique.len() != names.len() {
            return Ok(Err(reject(
                RejectCode::Malformed,
                format!("这条记录中{label}（{}）一行的列为空或重复，服务器不能接收", e.key),
            )));
        }
        if let Some(Some(known)) = known.get(e.table.as_str()) {
            // A newer schema adds columns at the end of a table: a station
            // on an older one sends fewer (the record keeps the rest as it
            // has them), a station on a newer one more (the record learns them).
            let widened = names.starts_with(known) || known.starts_with(&names);
            if !widened {
                let unknown: Vec<&str> = names
                    .iter()
                    .filter(|n| !known.contains(n))
                    .map(String::as_str)
                    .collect();
                let detail = if unknown.is_empty() {
                    "列与服务器记录中的不一致".to_string()
                } else {
                    format!("有服务器不认识的列：{}", unknown.join("、"))
                };
                return Ok(Err(reject(
                    RejectCode::Malformed,
                    format!(
                        "这条记录中{label}（{}）一行{detail}：工作站与服务器的版本可能不一致，请升级后重新同步",
                        e.key
                    ),
                )));
            }
        }
    }
    Ok(Ok(()))
}

/// Whether any text of the entry holds a NUL character.
fn has_nul(entry: &Entry) -> bool {
    fn value(v: &Value) -> bool {
        match v {
            Value::String(t) => t.contains('\0'),
            Value::Array(a) => a.iter().any(value),
            Value::Object(o) => o.iter().any(|(k, v)| k.contains('\0') || value(v)),
            _ => false,
        }
    }
    let texts = [
        entry.station_id.as_str(),
        entry.command.as_str(),
        entry.entity.as_str(),
        entry.entity_id.as_str(),
        entry.staff_id.as_deref().unwrap_or(""),
    ];
    texts.iter().any(|t| t.contains('\0'))
        || entry.blobs.iter().any(|b| b.contains('\0'))
        || value(&entry.payload)
        || entry.effects.iter().any(|e| {
            e.table.contains('\0')
                || e.key.contains('\0')
                || e.before.as_deref().is_some_and(|b| b.contains('\0'))
                || e.after.iter().flatten().any(|c| {
                    c.name.contains('\0')
                        || matches!(&c.value, regdesk_sync::protocol::Cell::Text(t) if t.contains('\0'))
                })
        })
}

/// The staff member as the record holds them.
pub(crate) struct Staff {
    pub name: String,
}

/// The entry's staff member checked against `row`, their row in the record
/// (read with the entry's other rows).
fn staff(entry: &Entry, need: Need, row: Option<Current>) -> Result<Result<Staff, Rejection>, RecordError> {
    let Some(id) = entry.staff_id.as_deref().filter(|s| !s.is_empty()) else {
        return Ok(match need {
            Need::OfficeRule | Need::StationOnly => Ok(Staff {
                name: "到期自动处理".into(),
            }),
            _ => Err(reject(
                RejectCode::StaffInactive,
                format!(
                    "这条记录没有记下操作人员，服务器不能接收“{}”：请登录后重新办理",
                    entry.command
                ),
            )),
        });
    };
    let Some(row) = row else {
        return Ok(Err(reject(
            RejectCode::StaffInactive,
            format!("服务器上没有工作人员 {id} 的账号，不能接收其办理的记录：请由管理员核对账号后重新办理"),
        )));
    };
    let row = row.row;
    let name = format!(
        "{}（{}）",
        text(&row, "display_name").unwrap_or(id),
        text(&row, "username").unwrap_or("")
    );
    if rows::int(&row, "disabled").unwrap_or(0) != 0 {
        return Ok(Err(reject(
            RejectCode::StaffInactive,
            format!("工作人员 {name} 的账号已停用，服务器不接收其办理的记录：请由在岗人员重新办理"),
        )));
    }
    let roles: Vec<Role> = text(&row, "roles")
        .unwrap_or("")
        .split(',')
        .filter_map(|c| Role::from_code(c.trim()))
        .collect();
    if let Err(denied) = admission::require_roles(&entry.command, need, &roles) {
        return Ok(Err(reject(
            RejectCode::NotPermitted,
            format!("服务器记录中工作人员 {name} 没有这项权限：{denied}"),
        )));
    }
    Ok(Ok(Staff { name }))
}

fn state_of(row: &Row) -> Result<CaseState, RecordError> {
    let code = text(row, "state").ok_or_else(|| corrupt("案件没有状态"))?;
    serde_json::from_value(Value::String(code.to_string())).map_err(|_| corrupt(format!("案件状态“{code}”无法识别")))
}

fn facts_of(row: &Row) -> Result<CaseFacts, RecordError> {
    let format = rows::int(row, "facts_format").unwrap_or(1);
    let text = text(row, "facts").unwrap_or("{}");
    regdesk_domain::stored::read_facts(format, text).map_err(|e| corrupt(format!("案件事实无法读取：{e}")))
}

fn kind_code(k: CommandKind) -> String {
    match serde_json::to_value(k) {
        Ok(Value::String(s)) => s,
        _ => String::new(),
    }
}

/// Four eyes on reviews: a person who reviewed a case at one stage never
/// decides it at the other, by the record's own review history and by the
/// case's facts as the command left them.
async fn four_eyes_review(
    tx: &Transaction<'_>,
    entry: &Entry,
    staff_id: &str,
    staff: &Staff,
    case_id: &str,
    name: &str,
    after: &Row,
) -> Result<Option<Rejection>, RecordError> {
    let (done, wanted, other) = match entry.command.as_str() {
        "first_review" => ("终审", "初审", FINAL_REVIEW),
        "final_review" => ("初审", "终审", FIRST_REVIEW),
        _ => return Ok(None),
    };
    let others: Vec<String> = other.iter().map(|k| kind_code(*k)).collect();
    for log in rows::find(tx, "review_log", "case_id", case_id).await? {
        let by = text(&log, "staff_id");
        let command = text(&log, "command").unwrap_or("");
        if by == Some(staff_id) && others.iter().any(|o| o == command) {
            let at = text(&log, "at").unwrap_or("");
            let at = at.get(..16).unwrap_or(at);
            return Ok(Some(reject(
                RejectCode::FourEyes,
                format!(
                    "{name}已由{}于 {at} {done}，同一案件的初审与终审须由不同人员完成，不能再由其{wanted}：请由另一位{wanted}人员办理",
                    staff.name
                ),
            )));
        }
    }
    if let Ok(facts) = facts_of(after) {
        let me = StaffId(staff_id.to_string());
        if facts.first_reviewers.contains(&me) && facts.final_reviewers.contains(&me) {
            return Ok(Some(reject(
                RejectCode::FourEyes,
                format!(
                    "{name}的初审与终审都记为{}：同一案件的初审与终审须由不同人员完成，请由另一位{wanted}人员办理",
                    staff.name
                ),
            )));
        }
    }
    Ok(None)
}

/// Scope: a station changes only its own office's cases and the rows that
/// belong to them (a new case only under its own office's code); a transfer
/// moves a case of an office the station sees to an office of the tree.
async fn in_scope(
    tx: &Transaction<'_>,
    stmts: &Stmts,
    entry: &Entry,
    touched: &Touched,
    scope: &StationScope,
) -> Result<Option<Rejection>, RecordError> {
    let cases: Vec<Option<String>> = entry
        .effects
        .iter()
        .zip(touched)
        .map(|(e, (_, _, current))| {
            let row = e.after.as_deref().or(current.as_ref().map(|c| c.row.as_slice()));
            case_of(&e.table, &e.key, row)
        })
        .collect();
    if cases.iter().all(Option::is_none) {
        return Ok(None);
    }
    let mut ids: Vec<&str> = cases.iter().flatten().map(String::as_str).collect();
    ids.sort_unstable();
    ids.dedup();
    let held = held_offices(tx, stmts, &ids).await?;
    let mut after: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
    for (e, c) in entry.effects.iter().zip(&cases) {
        if let (true, Some(c), Some(row)) = (e.table == "cases", c, &e.after) {
            after.insert(c.as_str(), office_of(row));
        }
    }
    let tree = &scope.tree;
    let transfer = entry.command == admission::TRANSFER_CASE;
    for ((e, (_, _, current)), c) in entry.effects.iter().zip(touched).zip(&cases) {
        let Some(c) = c else { continue };
        let (before, later) = if e.table == "cases" {
            (
                current.as_ref().map(|cur| office_of(&cur.row)),
                e.after.as_deref().map(office_of),
            )
        } else {
            (held.get(c.as_str()).cloned(), after.get(c.as_str()).cloned())
        };
        let name = describe(
            &e.table,
            &e.key,
            e.after.as_deref().or(current.as_ref().map(|cur| cur.row.as_slice())),
        );
        if transfer {
            if let Some(b) = before.as_deref().filter(|b| !scope.sees(b)) {
                return Ok(Some(reject(
                    RejectCode::OutOfScope,
                    format!(
                        "{name}属于{}，不在本工作站（{}）所见的范围内，不能由本工作站移交：请由该机构或其上级机构的管理员办理",
                        tree.label(b),
                        tree.label(&scope.own)
                    ),
                )));
            }
            let changed: Vec<&str> = match (current, &e.after) {
                (Some(cur), Some(row)) if e.table == "cases" => row
                    .iter()
                    .filter(|col| cur.row.iter().find(|o| o.name == col.name).map(|o| &o.value) != Some(&col.value))
                    .map(|col| col.name.as_str())
                    .filter(|n| !admission::TRANSFER_COLUMNS.contains(n))
                    .collect(),
                _ => vec![e.table.as_str()],
            };
            if !changed.is_empty() {
                return Ok(Some(reject(
                    RejectCode::NotPermitted,
                    format!(
                        "移交案件只能改变{name}所属的机构，这条记录却还改动了{}：服务器不接收",
                        changed.join("、")
                    ),
                )));
            }
            if let Some(l) = later.as_deref().filter(|l| !tree.knows(l)) {
                return Ok(Some(reject(
                    RejectCode::OutOfScope,
                    format!("{name}要移交到的机构 {l} 不在机构树中：请先在机构树中添加该机构，或选择已有的机构"),
                )));
            }
            continue;
        }
        for office in [before.as_deref(), later.as_deref()].into_iter().flatten() {
            if tree.norm(office) == scope.own {
                continue;
            }
            let reason = if e.table == "cases" && current.is_none() {
                format!(
                    "新建的{name}登记在{}名下，而本工作站属于{}：工作站只能为本机构新建案件，服务器不接收",
                    tree.label(office),
                    tree.label(&scope.own)
                )
            } else if scope.sees(office) {
                format!(
                    "{name}属于{}，本工作站属于{}，对该机构的案件只能查看，不能更改：请由该机构办理，或由管理员把案件移交到本机构",
                    tree.label(office),
                    tree.label(&scope.own)
                )
            } else {
                format!(
                    "{name}属于{}，不在本工作站（{}）的范围内，服务器不接收：请由该机构办理",
                    tree.label(office),
                    tree.label(&scope.own)
                )
            };
            return Ok(Some(reject(RejectCode::OutOfScope, reason)));
        }
    }
    Ok(None)
}

/// A transferred case's rows go with it: every row of the record that belongs
/// to the case is appended to the entry as it stands, so the stations of the
/// new office receive them (the `cases` row is the entry's own).
async fn restate_transferred(tx: &Transaction<'_>, entry: &mut Entry) -> Result<(), RecordError> {
    let mut moved: Vec<String> = entry
        .effects
        .iter()
        .filter(|e| e.table == "cases" && e.after.is_some())
        .filter_map(|e| case_of(&e.table, &e.key, e.after.as_deref()))
        .collect();
    moved.dedup();
    for case_id in moved {
        let rows = tx
            .query(
                "SELECT tbl, key, row, digest FROM record_rows
                  WHERE case_id = $1 AND tbl <> 'cases' ORDER BY tbl COLLATE \"C\", key COLLATE \"C\"",
                &[&case_id],
            )
            .await?;
        for r in rows {
            let table: String = r.get(0);
            let key: String = r.get(1);
            if entry.effects.iter().any(|e| e.table == table && e.key == key) {
                continue;
            }
            let row = rows::parse_row(&table, &r, 2)?;
            entry.effects.push(RowEffect {
                table,
                key,
                before: Some(r.get(3)),
                after: Some(row),
                changed: None,
            });
        }
    }
    Ok(())
}
