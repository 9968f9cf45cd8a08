//! Registration numbers leased to stations (`migrations/0004_leases.sql`).
//!
//! A final-review station holds, per prefix/year/letter, a few serials the
//! record handed it, so an approval made offline takes its number at once.
//! Every leased serial ends `used` (an accepted approval carried it), `voided`
//! (the record refused the approval that carried it) or `returned` (given back
//! unused; leased again first, lowest first, so the series stays dense). Every
//! taking of a serial — a lease or a number the record gives an approval
//! itself — locks the series row, so no serial is handed out twice.

use std::collections::BTreeMap;

use chrono::{Datelike, Utc};
use deadpool_postgres::Pool;
use regdesk_domain::regno::{audit_serials, runs_text, serial_runs, NumberAuditLine, RegistrationNumber, SerialFate};
use regdesk_sync::protocol::{Entry, HeldSerials, LeaseReply, LeaseRequest, NotTakenBack, RejectCode, SeriesKey};
use serde::Serialize;
use tokio_postgres::Transaction;

use super::admit::{Rejection, Touched};
use super::rows::{self, text};
use super::stmts::Stmts;
use super::{corrupt, RecordError};
use crate::auth::StationAuth;

/// Numbers per lease when the office has not set it.
pub const DEFAULT_LEASE_SIZE: u32 = 20;
/// Unused numbers at which a station asks for more, when the office has not set it.
pub const DEFAULT_REFILL_AT: u32 = 5;
/// Most numbers one station may hold in one series.
pub const MAX_LEASE_SIZE: u32 = 1000;

/// The office's lease settings: the record's `settings` row (its
/// `number_lease_size` and `number_refill_at`, set by an administrator at any
/// station with `set_number_leases`), else the defaults.
async fn settings(tx: &Transaction<'_>) -> Result<(u32, u32), RecordError> {
    let all = rows::all(tx, "settings").await?;
    let row = all.first();
    let get = |name: &str, default: u32| {
        row.and_then(|r| rows::int(r, name))
            .and_then(|v| u32::try_from(v).ok())
            .unwrap_or(default)
    };
    let size = get("number_lease_size", DEFAULT_LEASE_SIZE).clamp(1, MAX_LEASE_SIZE);
    let refill = get("number_refill_at", DEFAULT_REFILL_AT).min(size);
    Ok((size, refill))
}

fn counter_key(series: &SeriesKey) -> Result<String, RecordError> {
    serde_json::to_string(&(series.prefix.as_str(), series.year, series.letter.to_string())).map_err(corrupt)
}

fn to_i64(v: u64) -> Result<i64, RecordError> {
    i64::try_from(v).map_err(|_| corrupt(format!("流水号 {v} 超出范围")))
}

/// Locks the series row and returns the highest serial handed out so far:
/// the series row's, or the record's counter if higher (`counter_last`:
/// the counter as the caller sees it).
async fn lock_series(tx: &Transaction<'_>, series: &SeriesKey, counter_last: u64) -> Result<u64, RecordError> {
    let letter = series.letter.to_string();
    tx.execute(
        "INSERT INTO number_series (prefix, year, letter, high) VALUES ($1, $2, $3, 0)
         ON CONFLICT (prefix, year, letter) DO NOTHING",
        &[&series.prefix, &series.year, &letter],
    )
    .await?;
    let high: i64 = tx
        .query_one(
            "SELECT high FROM number_series WHERE prefix = $1 AND year = $2 AND letter = $3 FOR UPDATE",
            &[&series.prefix, &series.year, &letter],
        )
        .await?
        .get(0);
    Ok(high.unsigned_abs().max(counter_last))
}

async fn set_high(tx: &Transaction<'_>, series: &SeriesKey, high: u64) -> Result<(), RecordError> {
    tx.execute(
        "UPDATE number_series SET high = GREATEST(high, $4) WHERE prefix = $1 AND year = $2 AND letter = $3",
        &[&series.prefix, &series.year, &series.letter.to_string(), &to_i64(high)?],
    )
    .await?;
    Ok(())
}

async fn counter_last(tx: &Transaction<'_>, stmts: &Stmts, series: &SeriesKey) -> Result<u64, RecordError> {
    let counter = rows::current(tx, stmts, "registration_counters", &counter_key(series)?).await?;
    Ok(counter
        .and_then(|c| rows::int(&c.row, "last"))
        .unwrap_or(0)
        .unsigned_abs())
}

/// The serial the record gives an approval it numbers itself: the lowest
/// returned serial of the series (recorded as used by that approval), else
/// the next new one. `counter_last` is the counter as the entry sees it.
pub(crate) async fn take_for_record(
    tx: &Transaction<'_>,
    series: &SeriesKey,
    counter_last: u64,
    entry: &Entry,
    case_id: &str,
) -> Result<u64, RecordError> {
    let high = lock_series(tx, series, counter_last).await?;
    let letter = series.letter.to_string();
    let returned = tx
        .query_opt(
            "SELECT serial FROM number_leases WHERE prefix = $1 AND year = $2 AND letter = $3 AND state = 'returned'
             ORDER BY serial LIMIT 1 FOR UPDATE",
            &[&series.prefix, &series.year, &letter],
        )
        .await?;
    if let Some(r) = returned {
        let serial: i64 = r.get(0);
        tx.execute(
            "UPDATE number_leases SET state = 'used', station_id = $5, case_id = $6, entry_id = $7, changed_at = now()
             WHERE prefix = $1 AND year = $2 AND letter = $3 AND serial = $4",
            &[
                &series.prefix,
                &series.year,
                &letter,
                &serial,
                &entry.station_id,
                &case_id,
                &entry.id,
            ],
        )
        .await?;
        return Ok(serial.unsigned_abs());
    }
    let serial = high + 1;
    set_high(tx, series, serial).await?;
    Ok(serial)
}

/// The leased numbers a final approval carries: each `registration_numbers`
/// row it adds must be a serial leased to its station and unused, recorded as
/// `used` for a case the entry registers with that number. Anything else that
/// numbers a case is refused: numbers come from the record or its leases.
pub(crate) async fn check_carried(
    tx: &Transaction<'_>,
    entry: &Entry,
    touched: &Touched,
) -> Result<Result<(), Rejection>, RecordError> {
    let refuse = |what: String| Ok(Err(Rejection::new(RejectCode::Malformed, what)));
    let own_numbering = |what: String| {
        format!(
            "这条终审记录自行分配了登记号（{what}）：已加入服务器的工作站由服务器分配登记号，或使用服务器租给本工作站的号段。请升级本工作站的 RegDesk 后重新终审"
        )
    };
    let mut carried: BTreeMap<String, String> = BTreeMap::new();
    for (e, (_, _, current)) in entry.effects.iter().zip(touched) {
        match e.table.as_str() {
            "registration_counters" => {
                return refuse(own_numbering(rows::describe(&e.table, &e.key, e.after.as_deref())))
            }
            "registration_numbers" => {
                let Some(after) = e.after.as_deref() else {
                    return refuse(own_numbering(rows::describe(&e.table, &e.key, None)));
                };
                let number = text(after, "number").unwrap_or_default().to_string();
                let parsed: Option<RegistrationNumber> = number.parse().ok();
                let (Some(n), true, Some("used"), Some(case_id)) =
                    (parsed, current.is_none(), text(after, "state"), text(after, "case_id"))
                else {
                    return refuse(own_numbering(rows::describe(&e.table, &e.key, Some(after))));
                };
                let held = tx
                    .query_opt(
                        "SELECT state, station_id FROM number_leases
                         WHERE prefix = $1 AND year = $2 AND letter = $3 AND serial = $4 FOR UPDATE",
                        &[&n.prefix, &n.year, &n.letter.to_string(), &to_i64(n.serial)?],
                    )
                    .await?;
                let ok = held
                    .as_ref()
                    .is_some_and(|r| r.get::<_, String>(0) == "leased" && r.get::<_, String>(1) == entry.station_id);
                if !ok {
                    return refuse(format!(
                        "这条终审记录使用的登记号 {number} 不是服务器租给本工作站且尚未使用的号码，服务器不能接收：请重新终审，由服务器分配登记号"
                    ));
                }
                carried.insert(number, case_id.to_string());
            }
            _ => {}
        }
    }
    for (e, (_, _, current)) in entry.effects.iter().zip(touched) {
        if e.table != "cases" {
            continue;
        }
        let after = e.after.as_deref().and_then(|r| text(r, "registration_number"));
        let before = current.as_ref().and_then(|c| text(&c.row, "registration_number"));
        if after == before {
            continue;
        }
        let case_id = e.after.as_deref().and_then(|r| text(r, "id"));
        let fits = after.is_some_and(|n| carried.get(n).map(String::as_str) == case_id);
        if !fits {
            return refuse(own_numbering(rows::describe(&e.table, &e.key, e.after.as_deref())));
        }
    }
    Ok(Ok(()))
}

/// The leased numbers an entry carries (its new `registration_numbers` rows).
fn carried_numbers(entry: &Entry) -> Vec<(RegistrationNumber, Option<String>)> {
    entry
        .effects
        .iter()
        .filter(|e| e.table == "registration_numbers" && e.before.is_none())
        .filter_map(|e| e.after.as_deref())
        .filter_map(|r| {
            let n = text(r, "number")?.parse().ok()?;
            Some((n, text(r, "case_id").map(str::to_string)))
        })
        .collect()
}

/// Records the leased numbers of an accepted approval as used.
pub(crate) async fn mark_used(tx: &Transaction<'_>, entry: &Entry) -> Result<(), RecordError> {
    for (n, case_id) in carried_numbers(entry) {
        tx.execute(
            "UPDATE number_leases SET state = 'used', case_id = $6, entry_id = $7, changed_at = now()
             WHERE prefix = $1 AND year = $2 AND letter = $3 AND serial = $4 AND station_id = $5 AND state = 'leased'",
            &[
                &n.prefix,
                &n.year,
                &n.letter.to_string(),
                &to_i64(n.serial)?,
                &entry.station_id,
                &case_id,
                &entry.id,
            ],
        )
        .await?;
    }
    Ok(())
}

/// Voids the leased numbers a refused approval carried (those leased to its
/// station and unused), with the refusal as the reason. Returns them.
pub(crate) async fn void_carried(
    tx: &Transaction<'_>,
    entry: &Entry,
    reason: &str,
) -> Result<Vec<String>, RecordError> {
    let mut voided = Vec::new();
    for (n, case_id) in carried_numbers(entry) {
        let changed = tx
            .execute(
                "UPDATE number_leases SET state = 'voided', case_id = $6, entry_id = $7, reason = $8, changed_at = now()
                 WHERE prefix = $1 AND year = $2 AND letter = $3 AND serial = $4 AND station_id = $5
                   AND state = 'leased'",
                &[
                    &n.prefix,
                    &n.year,
                    &n.letter.to_string(),
                    &to_i64(n.serial)?,
                    &entry.station_id,
                    &case_id,
                    &entry.id,
                    &reason,
                ],
            )
            .await?;
        if changed > 0 {
            voided.push(n.to_string());
        }
    }
    Ok(voided)
}

/// `POST /v1/leases`: takes back the numbers the station gives back unused,
/// tops up the series it asks for, and answers with all it holds.
pub async fn lease(pool: &Pool, auth: &StationAuth, req: LeaseRequest) -> Result<LeaseReply, RecordError> {
    let mut client = pool.get().await?;
    let stmts = Stmts::cached(&client).await?;
    let tx = client.transaction().await?;
    let (size, refill) = settings(&tx).await?;
    let mut not_taken_back = Vec::new();
    for text_number in &req.give_back {
        let n: RegistrationNumber = match text_number.parse() {
            Ok(n) => n,
            Err(e) => {
                not_taken_back.push(NotTakenBack {
                    number: text_number.clone(),
                    reason: e.to_string(),
                });
                continue;
            }
        };
        let held = tx
            .query_opt(
                "SELECT state, station_id FROM number_leases
                 WHERE prefix = $1 AND year = $2 AND letter = $3 AND serial = $4 FOR UPDATE",
                &[&n.prefix, &n.year, &n.letter.to_string(), &to_i64(n.serial)?],
            )
            .await?;
        let (state, holder) = match held {
            Some(r) => (r.get::<_, String>(0), r.get::<_, String>(1)),
            None => (String::new(), String::new()),
        };
        let mine = holder == auth.station_id;
        match state.as_str() {
            "leased" if mine => {
                tx.execute(
                    "UPDATE number_leases SET state = 'returned', changed_at = now(), reason = NULL
                     WHERE prefix = $1 AND year = $2 AND letter = $3 AND serial = $4",
                    &[&n.prefix, &n.year, &n.letter.to_string(), &to_i64(n.serial)?],
                )
                .await?;
            }
            // Given back before (a repeated request): nothing to do.
            "returned" if mine => {}
            _ => not_taken_back.push(NotTakenBack {
                number: n.to_string(),
                reason: match state.as_str() {
                    "used" if mine => "已用于终审通过的案件，不能交还".into(),
                    "voided" if mine => "已作废，不能交还".into(),
                    "" => "不是服务器租出的号码".into(),
                    _ => "不由本工作站持有".into(),
                },
            }),
        }
    }
    if !req.top_up.is_empty() {
        let office = rows::all(&tx, "office").await?;
        let prefix = office
            .first()
            .and_then(|r| text(r, "reg_prefix"))
            .map(str::to_string)
            .ok_or(RecordError::NoOffice)?;
        let day = super::numbers::office_date(Utc::now());
        let letters = super::numbers::letters_on(&tx, day).await?;
        for series in &req.top_up {
            if series.prefix != prefix {
                return Err(RecordError::BadRequest(format!(
                    "登记号前缀“{}”不是本机构的（{prefix}）：请先同步，取得机构的当前设置",
                    series.prefix
                )));
            }
            if series.year != day.year() {
                return Err(RecordError::BadRequest(format!(
                    "只能租用本年度（{}）的登记号，请求的是 {} 年：请检查本工作站的系统日期",
                    day.year(),
                    series.year
                )));
            }
            if letters.category_of(series.letter).is_none() {
                return Err(RecordError::BadRequest(format!(
                    "类别字母 {} 不在机构当前的类别字母表中：请先同步，取得机构的当前类别字母表",
                    series.letter
                )));
            }
            top_up(&tx, &stmts, auth, series, size, refill).await?;
        }
    }
    let held = held_by(&tx, &auth.station_id).await?;
    tx.commit().await?;
    Ok(LeaseReply {
        held,
        not_taken_back,
        lease_size: size,
        refill_at: refill,
    })
}

async fn top_up(
    tx: &Transaction<'_>,
    stmts: &Stmts,
    auth: &StationAuth,
    series: &SeriesKey,
    size: u32,
    refill: u32,
) -> Result<(), RecordError> {
    let letter = series.letter.to_string();
    let last = counter_last(tx, stmts, series).await?;
    let high = lock_series(tx, series, last).await?;
    let holding: i64 = tx
        .query_one(
            "SELECT count(*) FROM number_leases
             WHERE prefix = $1 AND year = $2 AND letter = $3 AND station_id = $4 AND state = 'leased'",
            &[&series.prefix, &series.year, &letter, &auth.station_id],
        )
        .await?
        .get(0);
    let holding = holding.unsigned_abs();
    if holding > u64::from(refill) {
        return Ok(());
    }
    let want = u64::from(size).saturating_sub(holding);
    // Returned serials first, lowest first.
    let again = tx
        .execute(
            "UPDATE number_leases SET state = 'leased', station_id = $4, leased_at = now(), changed_at = NULL,
                    reason = NULL, case_id = NULL, entry_id = NULL, times_leased = times_leased + 1
             WHERE (prefix, year, letter, serial) IN (
                 SELECT prefix, year, letter, serial FROM number_leases
                 WHERE prefix = $1 AND year = $2 AND letter = $3 AND state = 'returned'
                 ORDER BY serial LIMIT $5 FOR UPDATE)",
            &[&series.prefix, &series.year, &letter, &auth.station_id, &to_i64(want)?],
        )
        .await?;
    let fresh = want.saturating_sub(again);
    if fresh > 0 {
        tx.execute(
            "INSERT INTO number_leases (prefix, year, letter, serial, station_id, state)
             SELECT $1, $2, $3, s, $4, 'leased' FROM generate_series($5::bigint, $6::bigint) AS s",
            &[
                &series.prefix,
                &series.year,
                &letter,
                &auth.station_id,
                &to_i64(high + 1)?,
                &to_i64(high + fresh)?,
            ],
        )
        .await?;
        set_high(tx, series, high + fresh).await?;
    }
    Ok(())
}

/// Everything leased to a station and unused, per series.
async fn held_by(client: &Transaction<'_>, station_id: &str) -> Result<Vec<HeldSerials>, RecordError> {
    let rows = client
        .query(
            "SELECT prefix, year, letter, serial FROM number_leases WHERE station_id = $1 AND state = 'leased'
             ORDER BY prefix, year, letter, serial",
            &[&station_id],
        )
        .await?;
    let mut by: BTreeMap<SeriesKey, Vec<u64>> = BTreeMap::new();
    for r in rows {
        let letter: String = r.get(2);
        let key = SeriesKey {
            prefix: r.get(0),
            year: r.get(1),
            letter: letter.chars().next().unwrap_or('?'),
        };
        by.entry(key).or_default().push(r.get::<_, i64>(3).unsigned_abs());
    }
    Ok(by
        .into_iter()
        .map(|(series, serials)| HeldSerials {
            series,
            runs: serial_runs(serials).into_iter().map(|r| (r.first, r.last)).collect(),
        })
        .collect())
}

/// The numbers a station holds unused in one series (for the audit and the admin's view).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StationLease {
    pub station_id: String,
    pub station_name: String,
    pub prefix: String,
    pub year: i32,
    pub letter: char,
    pub unused: u64,
    /// The unused numbers, runs as `FIRST–LAST`.
    pub numbers: Vec<String>,
}

/// `regdesk-server numbers audit`: per prefix/year/letter, issued = used +
/// voided + returned + outstanding, the numbers whose fate is unknown, and
/// each station's unused leases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NumbersAudit {
    pub series: Vec<NumberAuditLine>,
    pub leases: Vec<StationLease>,
    pub balanced: bool,
}

type Key = (String, i32, char);

/// Audits every series (of `year` only, if given) from the record's ledger,
/// its counters and the leases, in one consistent read.
pub async fn audit(pool: &Pool, year: Option<i32>) -> Result<NumbersAudit, RecordError> {
    let mut client = pool.get().await?;
    let tx = client
        .build_transaction()
        .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await?;
    let mut high: BTreeMap<Key, u64> = BTreeMap::new();
    let mut fates: BTreeMap<Key, Vec<(u64, SerialFate)>> = BTreeMap::new();
    let letter_of = |s: &str| s.chars().next().unwrap_or('?');
    for r in tx
        .query("SELECT prefix, year, letter, high FROM number_series", &[])
        .await?
    {
        let key = (r.get(0), r.get(1), letter_of(&r.get::<_, String>(2)));
        let h = high.entry(key).or_default();
        *h = (*h).max(r.get::<_, i64>(3).unsigned_abs());
    }
    for r in rows::all(&tx, "registration_counters").await? {
        let (Some(prefix), Some(y), Some(letter), Some(last)) = (
            text(&r, "prefix"),
            rows::int(&r, "year"),
            text(&r, "letter"),
            rows::int(&r, "last"),
        ) else {
            continue;
        };
        let key = (
            prefix.to_string(),
            i32::try_from(y).unwrap_or_default(),
            letter_of(letter),
        );
        let h = high.entry(key).or_default();
        *h = (*h).max(last.unsigned_abs());
    }
    for r in rows::all(&tx, "registration_numbers").await? {
        let (Some(prefix), Some(y), Some(letter), Some(serial), Some(state)) = (
            text(&r, "prefix"),
            rows::int(&r, "year"),
            text(&r, "letter"),
            rows::int(&r, "serial"),
            text(&r, "state"),
        ) else {
            continue;
        };
        let fate = if state == "voided" {
            SerialFate::Voided
        } else {
            SerialFate::Used
        };
        let key = (
            prefix.to_string(),
            i32::try_from(y).unwrap_or_default(),
            letter_of(letter),
        );
        high.entry(key.clone()).or_default();
        fates.entry(key).or_default().push((serial.unsigned_abs(), fate));
    }
    for r in tx
        .query("SELECT prefix, year, letter, serial, state FROM number_leases", &[])
        .await?
    {
        let key = (r.get(0), r.get(1), letter_of(&r.get::<_, String>(2)));
        let fate = match r.get::<_, &str>(4) {
            "used" => SerialFate::Used,
            "voided" => SerialFate::Voided,
            "returned" => SerialFate::Returned,
            _ => SerialFate::Outstanding,
        };
        high.entry(key.clone()).or_default();
        fates
            .entry(key)
            .or_default()
            .push((r.get::<_, i64>(3).unsigned_abs(), fate));
    }
    let series: Vec<NumberAuditLine> = high
        .into_iter()
        .filter(|((_, y, _), _)| year.is_none_or(|want| want == *y))
        .map(|(key, h)| {
            let f = fates.get(&key).map(Vec::as_slice).unwrap_or_default();
            audit_serials(&key.0, key.1, key.2, h, f)
        })
        .collect();
    let mut leases = Vec::new();
    for r in tx
        .query(
            "SELECT l.station_id, COALESCE(s.name, l.station_id), l.prefix, l.year, l.letter,
                    array_agg(l.serial ORDER BY l.serial)
             FROM number_leases l LEFT JOIN stations s ON s.id = l.station_id
             WHERE l.state = 'leased' AND ($1::int IS NULL OR l.year = $1)
             GROUP BY 1, 2, 3, 4, 5 ORDER BY 2, 3, 4, 5",
            &[&year],
        )
        .await?
    {
        let serials: Vec<i64> = r.get(5);
        let (prefix, y, letter): (String, i32, char) = (r.get(2), r.get(3), letter_of(&r.get::<_, String>(4)));
        let runs = serial_runs(serials.iter().map(|s| s.unsigned_abs()));
        leases.push(StationLease {
            station_id: r.get(0),
            station_name: r.get(1),
            numbers: runs_text(&prefix, y, letter, &runs),
            prefix,
            year: y,
            letter,
            unused: serials.len() as u64,
        });
    }
    tx.commit().await?;
    let balanced = series.iter().all(NumberAuditLine::balanced);
    Ok(NumbersAudit {
        series,
        leases,
        balanced,
    })
}
