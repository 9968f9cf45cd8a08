//! Registration numbers given by the record: a final approval made on an
//! enrolled station leaves the case registered with no number (待编号); the
//! accepting transaction takes the next serial of the prefix/year/letter under
//! the counter row's lock and adds the rows it wrote to the entry, so every
//! station (the sender too) gets the number when it pulls. A rejected or
//! rolled-back approval takes no number.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};
use rand_core::{OsRng, RngCore};
use regdesk_domain::category::WorkCategory;
use regdesk_domain::certificate::{check_code, CHECK_CODE_LEN};
use regdesk_domain::regno::{CategoryLetters, RegistrationNumber};
use regdesk_sync::protocol::{Cell, Column, Entry, RejectCode, Row, RowEffect, SeriesKey};
use serde_json::Value;
use tokio_postgres::Transaction;

use super::admit::Rejection;
use super::leases;
use super::rows::{self, describe, set, text};
use super::stmts::Stmts;
use super::{corrupt, RecordError};

/// The office's clock: UTC+8, as the workstations keep it.
const OFFICE_UTC_OFFSET_HOURS: i32 = 8;

pub(crate) enum Outcome {
    /// Nothing to number, or numbered.
    Done,
    /// The case cannot be numbered as it stands.
    Reject(Rejection),
    /// The record cannot number it now (its number table disagrees with its counter).
    Wait(String),
}

pub(crate) fn office_date(t: DateTime<Utc>) -> NaiveDate {
    FixedOffset::east_opt(OFFICE_UTC_OFFSET_HOURS * 3600)
        .map(|o| t.with_timezone(&o).date_naive())
        .unwrap_or_else(|| t.date_naive())
}

/// How the workstations store a time (`YYYY-MM-DD HH:MM:SS.fff+00:00`).
fn stored_time(t: DateTime<Utc>) -> String {
    t.format("%F %T%.f%:z").to_string()
}

fn col(name: &str, value: Cell) -> Column {
    Column {
        name: name.into(),
        value,
    }
}

/// Whether the entry is one [`complete`] may number (a final review).
pub(crate) fn may_number(entry: &Entry) -> bool {
    entry.command == "final_review"
}

/// Numbers every case the entry registers without a number.
pub(crate) async fn complete(
    tx: &Transaction<'_>,
    stmts: &Stmts,
    entry: &mut Entry,
    now: DateTime<Utc>,
) -> Result<Outcome, RecordError> {
    if !may_number(entry) {
        return Ok(Outcome::Done);
    }
    let waiting: Vec<usize> = entry
        .effects
        .iter()
        .enumerate()
        .filter(|(_, e)| e.table == "cases")
        .filter(|(_, e)| {
            e.after
                .as_deref()
                .is_some_and(|r| text(r, "state") == Some("registered") && text(r, "registration_number").is_none())
        })
        .map(|(i, _)| i)
        .collect();
    let mut added: Vec<RowEffect> = Vec::new();
    for i in waiting {
        let effect = entry.effects[i].clone();
        let Some(case_row) = effect.after else { continue };
        match number_one(tx, stmts, entry, &added, &effect.key, case_row, now).await? {
            Ok(more) => added.extend(more),
            Err(outcome) => return Ok(outcome),
        }
    }
    entry.effects.extend(added);
    Ok(Outcome::Done)
}

async fn number_one(
    tx: &Transaction<'_>,
    stmts: &Stmts,
    entry: &Entry,
    prior: &[RowEffect],
    case_key: &str,
    case_row: Row,
    now: DateTime<Utc>,
) -> Result<Result<Vec<RowEffect>, Outcome>, RecordError> {
    let name = describe("cases", case_key, Some(&case_row));
    let case_id = text(&case_row, "id").unwrap_or_default().to_string();
    let office = rows::all(tx, "office").await?;
    let Some(prefix) = office.first().and_then(|r| text(r, "reg_prefix")).map(str::to_string) else {
        return Ok(Err(Outcome::Wait(
            "服务器记录中没有登记机构的登记号前缀，暂不能分配登记号：请管理员检查服务器的机构记录".into(),
        )));
    };
    let day = office_date(now);
    let year = day.year();
    let letters = letters_on(tx, day).await?;
    let category_code = text(&case_row, "category").unwrap_or("");
    let Some(category) = WorkCategory::from_code(category_code) else {
        return Ok(Err(Outcome::Reject(Rejection::new(
            RejectCode::Malformed,
            format!("{name}的作品类别“{category_code}”无法识别，不能分配登记号：请退回初审，由窗口补正作品类别"),
        ))));
    };
    let Some(letter) = letters.letter_of(category) else {
        return Ok(Err(Outcome::Wait(format!(
            "类别字母表中没有“{}”，暂不能分配登记号：请管理员在类别字母表中补上该类别",
            category.label()
        ))));
    };
    let letter_text = letter.to_string();
    let counter_key = serde_json::to_string(&(prefix.as_str(), year, letter_text.as_str())).map_err(corrupt)?;
    // The counter as this entry left it (an entry approving two cases), else as the record holds it.
    let counter = match prior
        .iter()
        .rev()
        .find(|e| e.table == "registration_counters" && e.key == counter_key)
    {
        Some(e) => e.after.clone().map(|row| rows::Current {
            digest: regdesk_sync::row_digest(&e.table, &e.key, &row),
            row,
        }),
        None => rows::current(tx, stmts, "registration_counters", &counter_key).await?,
    };
    let last = counter.as_ref().and_then(|c| rows::int(&c.row, "last")).unwrap_or(0);
    // A serial given back unused by a station first, else the next new one
    // (above the counter and every lease).
    let series = SeriesKey {
        prefix: prefix.clone(),
        year,
        letter,
    };
    let serial = leases::take_for_record(tx, &series, last.unsigned_abs(), entry, &case_id).await?;
    let serial = i64::try_from(serial).map_err(|_| corrupt(format!("流水号 {serial} 超出范围")))?;
    let number = match RegistrationNumber::new(&prefix, year, letter, serial.unsigned_abs()) {
        Ok(n) => n.to_string(),
        Err(e) => {
            return Ok(Err(Outcome::Wait(format!(
                "无法生成登记号：{e}。请管理员检查登记机构的登记号前缀"
            ))))
        }
    };
    let number_key = serde_json::to_string(&[number.as_str()]).map_err(corrupt)?;
    if rows::current(tx, stmts, "registration_numbers", &number_key)
        .await?
        .is_some()
    {
        return Ok(Err(Outcome::Wait(format!(
            "登记号 {number} 已在服务器的登记号台账中，计数器与台账不一致，暂不能分配：请联系信息科核对台账"
        ))));
    }
    let staff = entry.staff_id.clone().map_or(Cell::Null, Cell::Text);
    let counter_row = vec![
        col("prefix", Cell::Text(prefix.clone())),
        col("year", Cell::Int(i64::from(year))),
        col("letter", Cell::Text(letter_text.clone())),
        col("last", Cell::Int(serial)),
    ];
    let mut random = [0u8; CHECK_CODE_LEN];
    OsRng.fill_bytes(&mut random);
    let ledger_row = vec![
        col("number", Cell::Text(number.clone())),
        col("prefix", Cell::Text(prefix.clone())),
        col("year", Cell::Int(i64::from(year))),
        col("letter", Cell::Text(letter_text)),
        col("serial", Cell::Int(serial)),
        col("case_id", Cell::Text(case_id.clone())),
        col("state", Cell::Text("used".into())),
        col("issued_at", Cell::Text(stored_time(now))),
        col("issued_by", staff),
        col("changed_at", Cell::Null),
        col("changed_by", Cell::Null),
        col("reason", Cell::Null),
        col("check_code", Cell::Text(check_code(&random))),
    ];
    let mut numbered = case_row.clone();
    set(&mut numbered, "registration_number", Cell::Text(number.clone()));
    if let Some(facts) = text(&case_row, "facts") {
        if let Ok(Value::Object(mut map)) = serde_json::from_str::<Value>(facts) {
            map.insert("registration_number".into(), Value::String(number.clone()));
            let facts = serde_json::to_string(&Value::Object(map)).map_err(corrupt)?;
            set(&mut numbered, "facts", Cell::Text(facts));
        }
    }
    let mut added = Vec::new();
    // A returned serial below the counter leaves the counter as it is.
    if serial > last {
        added.push(RowEffect {
            table: "registration_counters".into(),
            key: counter_key,
            before: counter.map(|c| c.digest),
            after: Some(counter_row),
            changed: None,
        });
    }
    added.extend([
        RowEffect {
            table: "registration_numbers".into(),
            key: number_key,
            before: None,
            after: Some(ledger_row),
            changed: None,
        },
        RowEffect {
            table: "cases".into(),
            key: case_key.to_string(),
            before: Some(regdesk_sync::row_digest("cases", case_key, &case_row)),
            after: Some(numbered),
            changed: None,
        },
    ]);
    // The review history's approval names the number too.
    let approve = "approve";
    for e in &entry.effects {
        let Some(log) = &e.after else { continue };
        if e.table == "review_log"
            && text(log, "case_id") == Some(case_id.as_str())
            && text(log, "command") == Some(approve)
            && text(log, "registration_number").is_none()
        {
            let mut with = log.clone();
            set(&mut with, "registration_number", Cell::Text(number.clone()));
            added.push(RowEffect {
                table: "review_log".into(),
                key: e.key.clone(),
                before: Some(regdesk_sync::row_digest("review_log", &e.key, log)),
                after: Some(with),
                changed: None,
            });
        }
    }
    Ok(Ok(added))
}

/// The category letters in force on `day`: the record's latest table starting
/// on or before it, else the built-in default.
pub(crate) async fn letters_on(tx: &Transaction<'_>, day: NaiveDate) -> Result<CategoryLetters, RecordError> {
    let day_text = day.format("%Y-%m-%d").to_string();
    let mut best: Option<(String, String)> = None;
    for r in rows::all(tx, "category_letter_tables").await? {
        let (Some(starts), Some(letters)) = (text(&r, "starts_on"), text(&r, "letters")) else {
            continue;
        };
        if starts <= day_text.as_str() && best.as_ref().is_none_or(|(b, _)| starts > b.as_str()) {
            best = Some((starts.to_string(), letters.to_string()));
        }
    }
    match best {
        None => Ok(CategoryLetters::default()),
        Some((starts, text)) => {
            CategoryLetters::parse(&text).map_err(|e| corrupt(format!("{starts} 起的类别字母表无法读取：{e}")))
        }
    }
}
