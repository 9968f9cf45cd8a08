//! The working-day calendar: the built-in years plus the years an admin loaded.

use regdesk_domain::calendar::{WorkCalendar, YearCalendar};
use regdesk_domain::staff::Permission;
use regdesk_domain::FieldError;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

use crate::error::{Result, StoreError};
use crate::journal::Change;
use crate::session::{actor, Session};
use crate::Store;

/// What loading a year did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LoadedYear {
    pub year: i32,
    pub holidays: u32,
    pub make_up_workdays: u32,
    /// A year loaded before was replaced.
    pub replaced: bool,
}

/// The calendar every deadline is counted on, read on a connection (inside a command too).
pub(crate) fn calendar_of(conn: &rusqlite::Connection) -> Result<WorkCalendar> {
    let mut cal = WorkCalendar::builtin();
    let mut stmt = conn.prepare("SELECT year, source FROM calendar_years ORDER BY year")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, i32>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (year, source) in rows {
        let y = YearCalendar::parse(&source)
            .map_err(|e| StoreError::Corrupt(format!("已载入的 {year} 年工作日历无法解析：{e}")))?;
        cal.insert(y);
    }
    Ok(cal)
}

/// 办结期限 of a case accepted on `accepted_on`, or `None` while the calendar of the
/// year it falls in is not loaded.
pub(crate) fn due_on_of(
    conn: &rusqlite::Connection,
    accepted_on: chrono::NaiveDate,
) -> Result<Option<chrono::NaiveDate>> {
    match crate::settings::periods_of(conn)?.due_on(accepted_on, &calendar_of(conn)?) {
        Ok(d) => Ok(Some(d)),
        Err(regdesk_domain::calendar::CalendarError::YearNotLoaded(_)) => Ok(None),
        Err(e) => Err(StoreError::Corrupt(format!("无法计算办结期限：{e}"))),
    }
}

/// After a year is loaded: the deadlines that waited for it, and those of cases under review
/// (a corrected calendar moves them).
fn recompute_due_dates(tx: &rusqlite::Transaction<'_>) -> Result<u32> {
    let rows: Vec<(String, chrono::NaiveDate, Option<chrono::NaiveDate>)> = tx
        .prepare(
            "SELECT id, accepted_on, due_on FROM cases WHERE accepted_on IS NOT NULL
               AND (due_on IS NULL OR state IN ('awaiting_first_review', 'awaiting_final_review', 'refusal_proposed'))",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut changed = 0;
    for (id, accepted_on, due_on) in rows {
        let due = due_on_of(tx, accepted_on)?;
        if due != due_on {
            tx.execute("UPDATE cases SET due_on = ?2 WHERE id = ?1", rusqlite::params![id, due])?;
            changed += 1;
        }
    }
    Ok(changed)
}

/// 工作日历中的一年（设置页列表）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CalendarYearView {
    pub year: i32,
    /// 来源通知
    pub source: String,
    pub holidays: u32,
    pub make_up_workdays: u32,
    /// 随软件提供（未被管理员替换）
    pub builtin: bool,
}

/// 载入一年的工作日历：粘贴的文本，或本机文件的路径（二选一）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LoadCalendarInput {
    pub text: String,
    pub path: Option<String>,
}

impl Store {
    /// 工作日历的各年份。
    pub fn calendar_years(&self, session: &Session) -> Result<Vec<CalendarYearView>> {
        let conn = self.conn();
        actor(&conn, self.now(), Some(session), None)?;
        let loaded: Vec<i32> = conn
            .prepare("SELECT year FROM calendar_years")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let cal = calendar_of(&conn)?;
        Ok(cal
            .years()
            .into_iter()
            .filter_map(|y| cal.year(y))
            .map(|y| CalendarYearView {
                year: y.year(),
                source: y.source().to_string(),
                holidays: u32::try_from(y.holidays().len()).unwrap_or(u32::MAX),
                make_up_workdays: u32::try_from(y.make_up_workdays().len()).unwrap_or(u32::MAX),
                builtin: !loaded.contains(&y.year()),
            })
            .collect())
    }

    /// 载入一年的工作日历，from pasted text or a file on this computer.
    pub fn load_calendar(&self, session: &Session, input: &LoadCalendarInput) -> Result<LoadedYear> {
        let text = match input.path.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            Some(path) => std::fs::read_to_string(path).map_err(|e| {
                StoreError::Invalid(vec![FieldError::new(
                    "path",
                    "unreadable",
                    format!("无法读取日历文件“{path}”：{e}（文件须为 UTF-8 文本）"),
                )])
            })?,
            None => input.text.clone(),
        };
        self.load_calendar_year(session, &text)
    }

    /// The calendar every deadline is counted on.
    pub fn work_calendar(&self) -> Result<WorkCalendar> {
        calendar_of(&self.conn())
    }

    /// 载入一年的工作日历（管理员）。
    pub fn load_calendar_year(&self, session: &Session, text: &str) -> Result<LoadedYear> {
        let admin = actor(
            &self.conn(),
            self.now(),
            Some(session),
            Some(Permission::ManageSettings),
        )?;
        let year = YearCalendar::parse(text)
            .map_err(|e| StoreError::Invalid(vec![FieldError::new("calendar", e.code(), e.to_string())]))?;
        let (y, holidays, make_up) = (
            year.year(),
            u32::try_from(year.holidays().len()).unwrap_or(u32::MAX),
            u32::try_from(year.make_up_workdays().len()).unwrap_or(u32::MAX),
        );
        self.run(Some(admin.id()), "load_calendar_year", |tx, now| {
            let prior: Option<i64> = tx
                .query_row("SELECT version FROM calendar_years WHERE year = ?1", [y], |r| r.get(0))
                .optional()?;
            let version = prior.unwrap_or(0) + 1;
            tx.execute(
                "INSERT INTO calendar_years (year, source, version, loaded_at, loaded_by) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (year) DO UPDATE SET source = ?2, version = ?3, loaded_at = ?4, loaded_by = ?5",
                params![y, text, version, now, admin.id()],
            )?;
            let recomputed = recompute_due_dates(tx)?;
            let change = Change {
                entity: "calendar_year",
                entity_id: y.to_string(),
                version,
                payload: json!({ "year": y, "source": text, "due_dates_recomputed": recomputed }),
            };
            Ok((
                change,
                LoadedYear {
                    year: y,
                    holidays,
                    make_up_workdays: make_up,
                    replaced: prior.is_some(),
                },
            ))
        })
    }
}
