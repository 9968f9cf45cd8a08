//! 历史登记（docs/DOMAIN.md §8.1）: the office's old register, loaded by an
//! admin from an export (xlsx or CSV), read-only afterwards; and the
//! registration counters (登记号计数器), which an admin may set — never below a
//! number already in the ledger.
//!
//! An import is one command: every good row goes in, in one transaction, with
//! its number in the registration-number ledger (`case_id` NULL) and the
//! counters moved past the highest imported number; bad rows are named and
//! skipped. Nothing is half-imported.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use regdesk_domain::category::WorkCategory;
use regdesk_domain::historic::{HistoricHeader, HistoricRegistration};
use regdesk_domain::intake::RowProblem;
use regdesk_domain::lifecycle::{CommandKind, RevocationGround};
use regdesk_domain::regno::RegistrationNumber;
use regdesk_domain::staff::{Permission, PermissionDenied};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

use crate::error::{Result, StoreError};
use crate::journal::Change;
use crate::session::{actor, Session};
use crate::{Store, OFFICE_UTC_OFFSET_HOURS};

/// 导入历史登记。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RegisterImportInput {
    /// The export (xlsx or CSV, UTF-8 or GBK).
    pub path: String,
    /// Only check and show what would be imported.
    pub dry_run: bool,
}

/// 导入结果：导入了几条、哪些行有问题（已跳过）、计数器现在的位置。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RegisterImportView {
    pub file_name: String,
    pub dry_run: bool,
    /// Rows below the header (blank rows not counted).
    pub rows: u32,
    /// Rows imported (or that would be, in a dry run).
    pub imported: u32,
    /// Every bad row, by line and column; these rows were skipped.
    pub problems: Vec<RowProblem>,
    /// The counters the import touched, after it.
    pub counters: Vec<CounterView>,
}

/// 登记号计数器。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CounterView {
    pub prefix: String,
    pub year: i32,
    pub letter: String,
    /// The next number's serial.
    #[ts(type = "number")]
    pub next: i64,
    /// The highest serial in the ledger (issued here or imported); the next may not go below it.
    #[ts(type = "number")]
    pub highest_known: i64,
}

/// 设置计数器的下一个号码（系统管理员）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SetCounterInput {
    pub prefix: String,
    pub year: i32,
    pub letter: String,
    #[ts(type = "number")]
    pub next: i64,
}

/// 一条历史登记（只读）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HistoricView {
    pub number: String,
    pub registered_on: NaiveDate,
    pub title: String,
    pub category_label: String,
    pub owners: Vec<String>,
    pub authors: Vec<String>,
    pub completed_on: Option<String>,
    pub published_on: Option<String>,
    /// 已撤销
    pub revoked: bool,
    pub revoke_reason: Option<String>,
}

/// 撤销一条历史登记（系统管理员）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RevokeHistoricInput {
    pub number: String,
    pub ground: RevocationGround,
    pub note: String,
}

fn problem(line: u32, column: &str, code: &str, message: String) -> RowProblem {
    RowProblem {
        line,
        column: column.into(),
        code: code.into(),
        message,
    }
}

fn unreadable(path: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid(vec![regdesk_domain::FieldError::new(
        "path",
        "unreadable",
        format!("无法读取文件“{path}”：{e}"),
    )])
}

/// A table's rows as (line, cells).
pub(crate) type Rows = Vec<(u32, Vec<String>)>;

/// The file's name and the rows of a table file (xlsx or CSV); `sheet` picks a worksheet by name.
pub(crate) fn read_rows(path: &str, sheet: Option<&str>) -> Result<(String, Rows)> {
    let p = Path::new(path);
    let bytes = std::fs::read(p).map_err(|e| unreadable(path, e))?;
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let table = regdesk_statement::read_table(&bytes, &name, sheet)
        .map_err(|e| StoreError::Invalid(vec![regdesk_domain::FieldError::new("path", e.code(), e.to_string())]))?;
    Ok((name, table.rows.into_iter().map(|r| (r.line, r.cells)).collect()))
}

/// The day's start in the office's time zone.
fn office_midnight(day: NaiveDate) -> Result<DateTime<Utc>> {
    FixedOffset::east_opt(OFFICE_UTC_OFFSET_HOURS * 3600)
        .and_then(|o| o.from_local_datetime(&day.and_hms_opt(0, 0, 0)?).single())
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| StoreError::Refused {
            code: "date_out_of_range".into(),
            message: format!("日期 {day} 超出可计算的范围"),
        })
}

fn highest_known(conn: &Connection, prefix: &str, year: i32, letter: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT COALESCE(MAX(serial), 0) FROM registration_numbers WHERE prefix = ?1 AND year = ?2 AND letter = ?3",
        params![prefix, year, letter],
        |r| r.get(0),
    )?)
}

fn counter_view(conn: &Connection, prefix: &str, year: i32, letter: &str) -> Result<CounterView> {
    let last: i64 = conn
        .query_row(
            "SELECT last FROM registration_counters WHERE prefix = ?1 AND year = ?2 AND letter = ?3",
            params![prefix, year, letter],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0);
    Ok(CounterView {
        prefix: prefix.into(),
        year,
        letter: letter.into(),
        next: last + 1,
        highest_known: highest_known(conn, prefix, year, letter)?,
    })
}

/// The historic registrations whose number is `text` or whose title or names hold it (newest first).
pub(crate) fn historic_matching(conn: &Connection, text: &str, limit: u32) -> Result<Vec<HistoricView>> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(Vec::new());
    }
    let like = format!("%{}%", t.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    historic_where(
        conn,
        &format!(
            "h.number = ?1 OR h.search_text LIKE ?2 ESCAPE '\\' ORDER BY h.registered_on DESC, h.number DESC LIMIT {limit}"
        ),
        &[t, &like],
    )
}

pub(crate) fn historic_where(conn: &Connection, condition: &str, args: &[&str]) -> Result<Vec<HistoricView>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT h.number, h.registered_on, h.title, h.category, h.owners, h.authors, h.completed_on, h.published_on,
                n.state, n.reason
         FROM historic_registrations h JOIN registration_numbers n ON n.number = h.number WHERE {condition}"
    ))?;
    let raw = stmt
        .query_map(rusqlite::params_from_iter(args.iter()), |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, NaiveDate>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<String>>(7)?,
                r.get::<_, String>(8)?,
                r.get::<_, Option<String>>(9)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raw.into_iter()
        .map(
            |(number, registered_on, title, category, owners, authors, completed_on, published_on, state, reason)| {
                Ok(HistoricView {
                    number,
                    registered_on,
                    title,
                    category_label: WorkCategory::from_code(&category)
                        .map(|c| c.label().to_string())
                        .unwrap_or(category),
                    owners: serde_json::from_str(&owners).map_err(crate::cases::corrupt)?,
                    authors: serde_json::from_str(&authors).map_err(crate::cases::corrupt)?,
                    completed_on,
                    published_on,
                    revoked: state == "revoked",
                    revoke_reason: reason,
                })
            },
        )
        .collect()
}

impl Store {
    /// 导入历史登记（系统管理员）: checks every row, names the bad ones and skips them,
    /// and puts every good one in — numbers in the ledger, counters past the highest — in
    /// one command. A dry run only reports.
    pub fn import_register(&self, session: &Session, input: &RegisterImportInput) -> Result<RegisterImportView> {
        let conn = self.conn();
        let admin = actor(&conn, self.now(), Some(session), Some(Permission::ManageSettings))?;
        let prefix: String = conn
            .query_row("SELECT reg_prefix FROM office WHERE id = 1", [], |r| r.get(0))
            .optional()?
            .ok_or(StoreError::NotSetUp)?;
        drop(conn);
        let (file_name, rows) = read_rows(&input.path, None)?;
        let blank = |c: &[String]| c.iter().all(|x| x.trim().is_empty());
        let mut it = rows.iter().filter(|(_, c)| !blank(c));
        let mut view = RegisterImportView {
            file_name,
            dry_run: input.dry_run,
            rows: 0,
            imported: 0,
            problems: Vec::new(),
            counters: Vec::new(),
        };
        let Some((line, header)) = it.next() else {
            view.problems
                .push(problem(0, "", "empty_sheet", "文件中没有内容".into()));
            return Ok(view);
        };
        let header = match HistoricHeader::new(*line, header) {
            Ok(h) => h,
            Err(p) => {
                view.problems = p;
                return Ok(view);
            }
        };
        let mut good: Vec<(u32, HistoricRegistration)> = Vec::new();
        let mut seen = HashSet::new();
        {
            let conn = self.conn();
            for (line, cells) in it {
                view.rows += 1;
                match header.read(*line, cells) {
                    Err(p) => view.problems.extend(p),
                    Ok(r) => {
                        let number = r.number.to_string();
                        if r.number.prefix != prefix {
                            view.problems.push(problem(
                                *line,
                                "登记号",
                                "other_prefix",
                                format!(
                                    "登记号的前缀“{}”不是本机构的“{prefix}”，请核对是否为本机构的登记",
                                    r.number.prefix
                                ),
                            ));
                        } else if !seen.insert(number.clone()) {
                            view.problems.push(problem(
                                *line,
                                "登记号",
                                "duplicate_in_file",
                                format!("登记号 {number} 在文件中出现了不止一次，请删去重复的行"),
                            ));
                        } else if conn
                            .query_row(
                                "SELECT 1 FROM registration_numbers WHERE number = ?1",
                                [&number],
                                |_| Ok(()),
                            )
                            .optional()?
                            .is_some()
                        {
                            view.problems.push(problem(
                                *line,
                                "登记号",
                                "already_known",
                                format!("登记号 {number} 已在本机构的登记号台账中，不能再导入"),
                            ));
                        } else {
                            good.push((*line, r));
                        }
                    }
                }
            }
        }
        view.imported = good.len() as u32;
        let keys: Vec<(String, i32, String)> = {
            let mut k: Vec<_> = good
                .iter()
                .map(|(_, r)| (r.number.prefix.clone(), r.number.year, r.number.letter.to_string()))
                .collect();
            k.sort();
            k.dedup();
            k
        };
        if input.dry_run || good.is_empty() {
            let conn = self.conn();
            for (p, y, l) in &keys {
                let mut c = counter_view(&conn, p, *y, l)?;
                let top = good
                    .iter()
                    .filter(|(_, r)| r.number.prefix == *p && r.number.year == *y && r.number.letter.to_string() == *l)
                    .map(|(_, r)| r.number.serial as i64)
                    .max()
                    .unwrap_or(0);
                c.highest_known = c.highest_known.max(top);
                c.next = c.next.max(top + 1);
                view.counters.push(c);
            }
            return Ok(view);
        }
        let counters = self.run(Some(admin.id()), "import_register", |tx, now| {
            let mut tops: BTreeMap<(String, i32, String), i64> = BTreeMap::new();
            for (_, r) in &good {
                let n = &r.number;
                let number = n.to_string();
                let letter = n.letter.to_string();
                let serial = i64::try_from(n.serial).map_err(|_| StoreError::Corrupt(format!("登记号 {number} 过大")))?;
                tx.execute(
                    "INSERT INTO registration_numbers (number, prefix, year, letter, serial, case_id, state, issued_at, issued_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, NULL, 'used', ?6, ?7)",
                    params![number, n.prefix, n.year, letter, serial, office_midnight(r.registered_on)?, admin.id()],
                )?;
                let search = std::iter::once(number.as_str())
                    .chain(std::iter::once(r.title.as_str()))
                    .chain(r.owners.iter().map(String::as_str))
                    .chain(r.authors.iter().map(String::as_str))
                    .collect::<Vec<_>>()
                    .join(" ");
                tx.execute(
                    "INSERT INTO historic_registrations (number, registered_on, title, category, owners, authors,
                        completed_on, published_on, search_text, imported_at, imported_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                    params![
                        number,
                        r.registered_on,
                        r.title,
                        r.category.code(),
                        json!(r.owners).to_string(),
                        json!(r.authors).to_string(),
                        r.completed_on,
                        r.published_on,
                        search,
                        now,
                        admin.id()
                    ],
                )?;
                let top = tops.entry((n.prefix.clone(), n.year, letter)).or_insert(0);
                *top = (*top).max(serial);
            }
            let mut counters = Vec::new();
            for ((p, y, l), top) in &tops {
                tx.execute(
                    "INSERT INTO registration_counters (prefix, year, letter, last) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (prefix, year, letter) DO UPDATE SET last = MAX(last, excluded.last)",
                    params![p, y, l, top],
                )?;
                counters.push(counter_view(tx, p, *y, l)?);
            }
            let numbers: Vec<String> = good.iter().map(|(_, r)| r.number.to_string()).collect();
            let change = Change {
                entity: "historic_register",
                entity_id: crate::journal::uuid_v7(now).to_string(),
                version: 1,
                payload: json!({ "registrations": good.iter().map(|(_, r)| r).collect::<Vec<_>>(), "numbers": numbers }),
            };
            Ok((change, counters))
        })?;
        view.counters = counters;
        Ok(view)
    }

    /// 登记号计数器（系统管理员）: every counter with its next number and the highest known.
    pub fn registration_counters(&self, session: &Session) -> Result<Vec<CounterView>> {
        let conn = self.conn();
        actor(&conn, self.now(), Some(session), Some(Permission::ManageSettings))?;
        let keys: Vec<(String, i32, String)> = conn
            .prepare(
                "SELECT prefix, year, letter FROM registration_counters
                 UNION SELECT prefix, year, letter FROM registration_numbers ORDER BY 2 DESC, 1, 3",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        keys.iter().map(|(p, y, l)| counter_view(&conn, p, *y, l)).collect()
    }

    /// 设置计数器的下一个号码（系统管理员）: never at or below a number already in the ledger.
    pub fn set_registration_counter(&self, session: &Session, input: &SetCounterInput) -> Result<CounterView> {
        let conn = self.conn();
        let admin = actor(&conn, self.now(), Some(session), Some(Permission::ManageSettings))?;
        drop(conn);
        let letter = input.letter.trim().to_uppercase();
        let first_letter = letter.chars().next().unwrap_or(' ');
        let serial = u64::try_from(input.next).unwrap_or(0);
        RegistrationNumber::new(input.prefix.trim(), input.year, first_letter, serial.max(1))
            .ok()
            .filter(|_| letter.chars().count() == 1 && input.next >= 1)
            .ok_or_else(|| {
                StoreError::Invalid(vec![regdesk_domain::FieldError::new(
                    "next",
                    "bad_counter",
                    "请填写有效的前缀、年份、类别字母（一个大写字母）和下一个流水号（从 1 起）",
                )])
            })?;
        let prefix = input.prefix.trim().to_string();
        self.run(Some(admin.id()), "set_registration_counter", |tx, _now| {
            let known = highest_known(tx, &prefix, input.year, &letter)?;
            if input.next <= known {
                return Err(StoreError::Invalid(vec![regdesk_domain::FieldError::new(
                    "next",
                    "below_known",
                    format!(
                        "{prefix}-{}-{letter} 已有流水号 {known:08} 的登记，下一个号码至少为 {}",
                        input.year,
                        known + 1
                    ),
                )]));
            }
            tx.execute(
                "INSERT INTO registration_counters (prefix, year, letter, last) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (prefix, year, letter) DO UPDATE SET last = excluded.last",
                params![prefix, input.year, letter, input.next - 1],
            )?;
            let view = counter_view(tx, &prefix, input.year, &letter)?;
            let change = Change {
                entity: "registration_counter",
                entity_id: format!("{prefix}-{}-{letter}", input.year),
                version: 1,
                payload: json!({ "prefix": prefix, "year": input.year, "letter": letter, "next": input.next }),
            };
            Ok((change, view))
        })
    }

    /// 查找历史登记：by whole number, or a part of the title, the owners' or authors' names.
    pub fn find_historic(&self, session: &Session, text: &str) -> Result<Vec<HistoricView>> {
        let conn = self.conn();
        actor(&conn, self.now(), Some(session), None)?;
        historic_matching(&conn, text, 50)
    }

    /// 撤销历史登记（系统管理员）: the number stays in the ledger, marked revoked.
    pub fn revoke_historic(&self, session: &Session, input: &RevokeHistoricInput) -> Result<HistoricView> {
        let who = actor(&self.conn(), self.now(), Some(session), None)?;
        let needed = CommandKind::Revoke.roles();
        if !who.roles.iter().any(|r| needed.contains(r)) {
            return Err(PermissionDenied {
                action: CommandKind::Revoke.label().to_string(),
                needed: needed.iter().map(|r| r.label()).collect::<Vec<_>>().join("或"),
            }
            .into());
        }
        let number = input.number.trim().to_string();
        self.run(Some(&who.staff_id.0), "revoke_historic", |tx, now| {
            let current =
                historic_where(tx, "h.number = ?1", &[&number])?
                    .pop()
                    .ok_or_else(|| StoreError::NotFound {
                        what: "历史登记",
                        id: number.clone(),
                    })?;
            if current.revoked {
                return Err(StoreError::Refused {
                    code: "already_revoked".into(),
                    message: format!("历史登记 {number} 已于此前撤销，不能再次撤销"),
                });
            }
            let note = input.note.trim();
            let reason = if note.is_empty() {
                input.ground.label().to_string()
            } else {
                format!("{}：{note}", input.ground.label())
            };
            tx.execute(
                "UPDATE registration_numbers SET state = 'revoked', changed_at = ?2, changed_by = ?3, reason = ?4
                 WHERE number = ?1 AND state = 'used'",
                params![number, now, who.staff_id.0, reason],
            )?;
            let view = historic_where(tx, "h.number = ?1", &[&number])?
                .pop()
                .ok_or_else(|| StoreError::Corrupt(format!("历史登记 {number} 撤销后读不到")))?;
            let change = Change {
                entity: "historic_registration",
                entity_id: number.clone(),
                version: 2,
                payload: json!({ "ground": input.ground, "note": note }),
            };
            Ok((change, view))
        })
    }
}
