//! Desk overviews and queue listings (作品列表).

use chrono::{DateTime, NaiveDate, Utc};
use regdesk_domain::calendar::{classify_deadline, DeadlineLevel};
use regdesk_domain::category::WorkCategory;
use regdesk_domain::lifecycle::CaseState;
use regdesk_domain::queue::{desk_queues, desks_handling, may_view_queue, queue_of, stage_of, Queue, Stage};
use regdesk_domain::staff::{desk_label, require, Desk, Permission};
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::codes::{code, from_code};
use crate::error::{Result, StoreError};
use crate::session::{actor, Session};
use crate::Store;

/// 队列计数。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct QueueCount {
    pub queue: Queue,
    pub label: String,
    pub count: u32,
    /// 已超过办结期限的案件数（审查中）
    pub overdue: u32,
}

/// 工作台概览：the desk's queues with their counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DeskOverview {
    pub desk: Desk,
    pub label: String,
    pub queues: Vec<QueueCount>,
}

/// 队列中的一行。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CaseRow {
    pub id: String,
    pub serial: String,
    pub title: String,
    pub category_label: String,
    pub state: CaseState,
    pub state_label: String,
    pub stage: Stage,
    pub applicant_name: String,
    pub created_at: DateTime<Utc>,
    /// 受理日期（办结时限起算日）
    pub accepted_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    /// 剩余工作日（审查中的案件）：0 为最后一天，负数为已超期
    #[ts(type = "number | null")]
    pub days_left: Option<i64>,
    /// 期限状态（正常、临近、已逾期），与剩余工作日一起给出
    pub deadline_level: Option<DeadlineLevel>,
    /// 已受理但办结期限所在年度的工作日历尚未载入
    pub due_pending: bool,
    /// 登记号（已登记、已撤销）
    pub registration_number: Option<String>,
}

/// 一页队列。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CasePage {
    pub rows: Vec<CaseRow>,
    /// 队列中的案件数；搜索时只数到 [`SEARCH_COUNT_CAP`] 为止（见 `more`）
    pub total: u32,
    pub page: u32,
    pub page_size: u32,
    /// 搜索到的案件多于 `total`（不再往下数，只列出最近录入或修改的 `total` 件）
    pub more: bool,
    /// 下一页的翻页位置（交回 `QueueInput.cursor`）；没有下一页时为空
    pub next: Option<String>,
    /// 上一页的翻页位置（交回 `QueueInput.cursor`）；第一页时为空
    pub previous: Option<String>,
}

/// 查询某个队列的一页。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct QueueInput {
    pub queue: Queue,
    /// From 1.
    pub page: u32,
    pub page_size: u32,
    /// 流水号、登记号、作品名称、姓名或证件号
    #[serde(default)]
    #[ts(optional)]
    pub search: Option<String>,
    /// 不指定时：办结期限最早的在前，再按填报时间
    #[serde(default)]
    #[ts(optional)]
    pub sort: Option<QueueSort>,
    /// 只看某一机构（机构代码）的案件；不指定时为全部
    #[serde(default)]
    #[ts(optional)]
    pub office: Option<String>,
    /// 翻页位置：上一次结果的 `next` 或 `previous`，原样交回（给出时不看 `page`）。
    /// 队列、机构、搜索、排序和每页条数须与那一次相同。
    #[serde(default)]
    #[ts(optional)]
    pub cursor: Option<String>,
}

impl QueueInput {
    /// The first page of `queue`, `page_size` rows in the default order: no
    /// search, every office.
    pub fn first(queue: Queue, page_size: u32) -> Self {
        QueueInput {
            queue,
            page: 1,
            page_size,
            search: None,
            sort: None,
            office: None,
            cursor: None,
        }
    }
}

/// 查找案件（顶栏搜索，Ctrl+K）：across every queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CaseSearchInput {
    /// 流水号、登记号、作品名称、姓名或证件号
    pub text: String,
    /// 最多返回几条（默认 10，至多 50）
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<u32>,
}

/// 查到的一件案件：its row, the queue it sits in, and the desks of the
/// searching person that work that queue (the working desk first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CaseHit {
    pub case: CaseRow,
    pub queue: Queue,
    pub queue_label: String,
    pub desks: Vec<Desk>,
    /// The case was accepted (payment confirmed, clock started) and the
    /// searching person may print its 受理通知书 (`Store::acceptance_notice_pdf`).
    pub has_acceptance_notice: bool,
}

/// 查找结果：an exact serial or registration number first, then the filings
/// most recently entered or edited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CaseSearchResult {
    pub hits: Vec<CaseHit>,
    /// 符合条件的案件数（可能多于返回的条数）；`more` 时只数到这里为止
    pub total: u32,
    /// 符合条件的案件多于 `total`（不再往下数）
    pub more: bool,
    /// 历史登记（本机构旧平台的登记，只读）中符合的
    pub historic: Vec<crate::register::HistoricView>,
}

/// A search by ID number from someone who may not see full numbers is
/// refused: a hit would confirm whose number it is (`privacy::asks_by_id_number`).
/// A whole serial or registration number is not one.
fn refuse_id_search(conn: &rusqlite::Connection, roles: &[regdesk_domain::staff::Role], query: &str) -> Result<()> {
    if !regdesk_domain::privacy::asks_by_id_number(query) || regdesk_domain::privacy::may_see_full(roles) {
        return Ok(());
    }
    let exact = query.trim().to_uppercase();
    let names_a_case: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM cases WHERE serial = ?1 OR registration_number = ?1)",
        [&exact],
        |r| r.get(0),
    )?;
    if !names_a_case {
        return Err(StoreError::Refused {
            code: "id_search_not_permitted".into(),
            message: regdesk_domain::privacy::id_search_refused(),
        });
    }
    Ok(())
}

/// How many matches the top bar's search counts before it says "more than".
pub const SEARCH_COUNT_CAP: u32 = 200;

/// 队列排序的列。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum QueueSortKey {
    Serial,
    Title,
    Applicant,
    Created,
    /// 办结期限（默认：最早的在前，未定的在后）
    Due,
}

/// 排序：列与方向。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct QueueSort {
    pub key: QueueSortKey,
    pub descending: bool,
}

/// 打开某个工作台。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DeskInput {
    pub desk: Desk,
}

/// The condition (on `cases`, its columns prefixed with `alias`) and values
/// that limit a page to its queue and, when given, one office.
pub(crate) fn queue_filter(alias: &str, queue: Queue, office: Option<&str>) -> (String, Vec<String>) {
    match office {
        Some(o) => (
            format!("{alias}queue = ? AND {alias}office_key = ?"),
            vec![code(queue), o.to_string()],
        ),
        None => (format!("{alias}queue = ?"), vec![code(queue)]),
    }
}

/// The ORDER BY of a queue page: exactly the columns of its index
/// (migration 019), each ascending or each descending, so SQLite walks the
/// index one way or the other and sorts nothing. `reverse` reads the order
/// from its far end.
pub(crate) fn page_order(sort: QueueSort, reverse: bool) -> String {
    let d = if sort.descending != reverse { " DESC" } else { "" };
    match sort.key {
        QueueSortKey::Due => format!("due_on IS NULL{d}, due_on{d}, created_at{d}, rowid{d}"),
        QueueSortKey::Serial => format!("serial{d}"),
        QueueSortKey::Title => format!("title{d}, serial{d}"),
        QueueSortKey::Applicant => format!("applicant_name{d}, serial{d}"),
        QueueSortKey::Created => format!("created_at{d}, serial{d}"),
    }
}

/// The SQL of a page of queue rows (no OFFSET when `offset` is 0).
pub(crate) fn page_sql(filter: &str, order: &str, limit: u32, offset: u64) -> String {
    let skip = if offset > 0 {
        format!(" OFFSET {offset}")
    } else {
        String::new()
    };
    format!(
        "SELECT id, serial, title, category, state, applicant_name, created_at, due_on, accepted_on, registration_number, rowid
         FROM cases WHERE {filter} ORDER BY {order} LIMIT {limit}{skip}"
    )
}

/// Where a page of a queue starts (`CasePage.next` and `previous`, handed
/// back as `QueueInput.cursor`): what the page was asked for (a cursor is
/// refused for another queue, office, search, order or page size), the page
/// it leads to and, without a search, the row it starts after or before.
/// Sent as the hex of its JSON: the screens only hand it back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Cursor {
    queue: String,
    office: Option<String>,
    search: Option<String>,
    sort: QueueSort,
    page_size: u32,
    page: u32,
    after: bool,
    at: Option<Boundary>,
}

/// A row of a queue: the values its page's order compares (as stored) and its row id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Boundary {
    values: Vec<Option<String>>,
    rowid: i64,
}

fn invalid_cursor() -> StoreError {
    StoreError::Invalid(vec![regdesk_domain::FieldError::new(
        "cursor",
        "cursor_invalid",
        "翻页位置无效，或队列、机构、搜索、排序已改变：请回到第一页再翻页。",
    )])
}

impl Cursor {
    fn encode(&self) -> Result<String> {
        Ok(hex::encode(serde_json::to_vec(self).map_err(|_| invalid_cursor())?))
    }

    fn decode(text: &str) -> Result<Cursor> {
        let bytes = hex::decode(text.trim()).map_err(|_| invalid_cursor())?;
        serde_json::from_slice(&bytes).map_err(|_| invalid_cursor())
    }
}

/// A queue row with what its page's cursors are made of.
struct Keyed {
    row: CaseRow,
    rowid: i64,
    created_at: String,
    due_on: Option<String>,
}

impl Keyed {
    /// The row as the order `key` compares it.
    fn boundary(&self, key: QueueSortKey) -> Boundary {
        let r = &self.row;
        let values = match key {
            QueueSortKey::Due => vec![self.due_on.clone(), Some(self.created_at.clone())],
            QueueSortKey::Serial => vec![Some(r.serial.clone())],
            QueueSortKey::Title => vec![Some(r.title.clone()), Some(r.serial.clone())],
            QueueSortKey::Applicant => vec![Some(r.applicant_name.clone()), Some(r.serial.clone())],
            QueueSortKey::Created => vec![Some(self.created_at.clone()), Some(r.serial.clone())],
        };
        Boundary {
            values,
            rowid: self.rowid,
        }
    }
}

/// The walks (condition, order, values) that give the rows after (`after`)
/// or before `at` in the order `sort`, one after the other: each one walk of
/// the page's index (migration 019) from the row on, by a row-value
/// comparison on the index's columns, never an OFFSET. The deadline order
/// is walked in its two parts (with a deadline, then without), and rows
/// that tie on deadline and filing time by their row id, the index's last
/// column.
pub(crate) fn keyset_walks(
    queue: Queue,
    office: Option<&str>,
    sort: QueueSort,
    at: &Boundary,
    after: bool,
) -> Vec<(String, String, Vec<rusqlite::types::Value>)> {
    use rusqlite::types::Value;
    let up = after != sort.descending;
    let (op, d) = if up { (">", "") } else { ("<", " DESC") };
    let (qf, qparams) = queue_filter("", queue, office);
    let with = |extra: Vec<Value>| -> Vec<Value> { qparams.iter().cloned().map(Value::Text).chain(extra).collect() };
    let text = |i: usize| Value::Text(at.values.get(i).cloned().flatten().unwrap_or_default());
    let rowid = Value::Integer(at.rowid);
    let mut walks = Vec::new();
    match sort.key {
        QueueSortKey::Due => {
            let dated = format!("{qf} AND (due_on IS NULL) = 0");
            let undated = format!("{qf} AND (due_on IS NULL) = 1 AND due_on IS NULL");
            let dated_order = format!("due_on{d}, created_at{d}, rowid{d}");
            let undated_order = format!("created_at{d}, rowid{d}");
            if at.values.first().cloned().flatten().is_some() {
                walks.push((
                    format!("{dated} AND (due_on, created_at) = (?, ?) AND rowid {op} ?"),
                    format!("rowid{d}"),
                    with(vec![text(0), text(1), rowid]),
                ));
                walks.push((
                    format!("{dated} AND (due_on, created_at) {op} (?, ?)"),
                    dated_order,
                    with(vec![text(0), text(1)]),
                ));
                if up {
                    walks.push((undated, undated_order, with(Vec::new())));
                }
            } else {
                walks.push((
                    format!("{undated} AND created_at = ? AND rowid {op} ?"),
                    format!("rowid{d}"),
                    with(vec![text(1), rowid]),
                ));
                walks.push((
                    format!("{undated} AND created_at {op} ?"),
                    undated_order,
                    with(vec![text(1)]),
                ));
                if !up {
                    walks.push((dated, dated_order, with(Vec::new())));
                }
            }
        }
        key => {
            let columns: &[&str] = match key {
                QueueSortKey::Title => &["title", "serial"],
                QueueSortKey::Applicant => &["applicant_name", "serial"],
                QueueSortKey::Created => &["created_at", "serial"],
                _ => &["serial"],
            };
            let marks = vec!["?"; columns.len()].join(", ");
            let order = columns.iter().map(|c| format!("{c}{d}")).collect::<Vec<_>>().join(", ");
            walks.push((
                format!("{qf} AND ({}) {op} ({marks})", columns.join(", ")),
                order,
                with((0..columns.len()).map(text).collect()),
            ));
        }
    }
    walks
}

/// The SQL (and its values) of a queue's own search for `text`: the queue
/// search index (migration 023), whose tokens carry the queue, in its own
/// order (newest first), each match looked up by its row id, stopping one
/// past [`SEARCH_COUNT_CAP`]. Only the queue's own matches are read, so it
/// stops after the cap whatever the other queues hold.
pub(crate) fn queue_search_sql(queue: Queue, office: Option<&str>, text: &str) -> (String, Vec<String>) {
    let queue_code = code(queue);
    let expr = crate::grams::queue_query(&queue_code, text).unwrap_or_default();
    let (filter, mut params) = queue_filter("c.", queue, office);
    params.insert(0, expr);
    (
        format!(
            "SELECT c.rowid FROM case_queue_search s CROSS JOIN cases c ON c.search_rowid = s.rowid
             WHERE s.case_queue_search MATCH ? AND {filter} ORDER BY s.rowid DESC LIMIT {}",
            SEARCH_COUNT_CAP + 1
        ),
        params,
    )
}

/// The default order: oldest deadline first (none last), then oldest filing.
const DEFAULT_SORT: QueueSort = QueueSort {
    key: QueueSortKey::Due,
    descending: false,
};

/// The hits of a search: each case with its queue and the person's desks that work it.
fn hits_of(rows: Vec<CaseRow>, roles: &[regdesk_domain::staff::Role]) -> Vec<CaseHit> {
    let may_print_notice = regdesk_domain::shipping::may_print_acceptance_notice(roles).is_ok();
    rows.into_iter()
        .map(|case| {
            let queue = queue_of(case.state);
            CaseHit {
                queue,
                queue_label: queue.label().to_string(),
                desks: desks_handling(roles, queue),
                has_acceptance_notice: may_print_notice && case.accepted_on.is_some(),
                case,
            }
        })
        .collect()
}

impl Store {
    /// The desk's queues and their counts (only for a person who opens that desk).
    pub fn desk_overview(&self, session: &Session, desk: Desk) -> Result<DeskOverview> {
        let conn = self.conn();
        let roles = actor(&conn, self.now(), Some(session), None)?.roles;
        require(&roles, Permission::OpenDesk(desk))?;
        // The kept counts (migration 019): one row per queue, state, office
        // and deadline day, however many cases. Overdue: the clock runs and
        // the last day has passed (office date).
        let today = crate::office_date(self.now());
        let mut counts = std::collections::HashMap::new();
        let mut overdue = std::collections::HashMap::new();
        let mut stmt = conn.prepare(
            "SELECT queue, state, SUM(n), SUM(CASE WHEN due_on <> '' AND due_on < ?1 THEN n ELSE 0 END)
             FROM case_counts GROUP BY queue, state",
        )?;
        let rows = stmt.query_map([today], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, u32>(2)?,
                r.get::<_, u32>(3)?,
            ))
        })?;
        for row in rows {
            let (queue, state, n, late) = row?;
            let queue = from_code::<Queue>("队列", &queue)?;
            *counts.entry(queue).or_insert(0u32) += n;
            if from_code::<CaseState>("案件状态", &state)?.clock_runs() {
                *overdue.entry(queue).or_insert(0u32) += late;
            }
        }
        Ok(DeskOverview {
            desk,
            label: desk_label(desk).to_string(),
            queues: desk_queues(desk)
                .iter()
                .map(|q| QueueCount {
                    queue: *q,
                    label: q.label().to_string(),
                    count: counts.get(q).copied().unwrap_or(0),
                    overdue: overdue.get(q).copied().unwrap_or(0),
                })
                .collect(),
        })
    }

    /// One page of a queue, oldest deadline first, then oldest filing (or
    /// the order asked for). Without a search the total is the kept count and
    /// the page one walk of the index in its order, from whichever end of the
    /// queue is nearer; a search lists the queue's [`SEARCH_COUNT_CAP`]
    /// matches most recently entered or edited, in the order asked for.
    pub fn list_queue(&self, session: &Session, input: &QueueInput) -> Result<CasePage> {
        let conn = self.conn();
        let roles = actor(&conn, self.now(), Some(session), None)?.roles;
        may_view_queue(&roles, input.queue)?;
        let page_size = input.page_size.clamp(1, 200);
        let office = match input.office.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
            Some(o) => {
                // A case of this office has no office code of its own.
                let own: String = conn
                    .query_row("SELECT office_code FROM office WHERE id = 1", [], |r| r.get(0))
                    .optional()?
                    .unwrap_or_default();
                let o = o.to_uppercase();
                Some(if o == own { String::new() } else { o })
            }
            None => None,
        };
        let sort = input.sort.unwrap_or(DEFAULT_SORT);
        let search = input.search.as_deref().map(str::trim).filter(|q| !q.is_empty());
        // What a cursor of this page must have been made for.
        let mut cursor = Cursor {
            queue: code(input.queue),
            office: office.clone(),
            search: search.map(String::from),
            sort,
            page_size,
            page: input.page.max(1),
            after: true,
            at: None,
        };
        let given = match input.cursor.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            Some(text) => {
                let given = Cursor::decode(text)?;
                let fits = Cursor {
                    page: given.page,
                    after: given.after,
                    at: given.at.clone(),
                    ..cursor.clone()
                } == given;
                if !fits || given.page == 0 || given.at.is_some() == search.is_some() {
                    return Err(invalid_cursor());
                }
                cursor.page = given.page;
                Some(given)
            }
            None => None,
        };
        let mut page = cursor.page;
        if let Some(q) = search {
            refuse_id_search(&conn, &roles, q)?;
            let (sql, params) = queue_search_sql(input.queue, office.as_deref(), q);
            let found: Vec<i64> = conn
                .prepare(&sql)?
                .query_map(rusqlite::params_from_iter(params.iter()), |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let more = found.len() > SEARCH_COUNT_CAP as usize;
            let kept: Vec<String> = found
                .iter()
                .take(SEARCH_COUNT_CAP as usize)
                .map(|r| r.to_string())
                .collect();
            let total = kept.len() as u32;
            // At most the cap's rows: a page of them by its number.
            let offset = u64::from(page - 1) * u64::from(page_size);
            let rows = if kept.is_empty() || offset >= u64::from(total) {
                Vec::new()
            } else {
                let filter = format!("rowid IN ({})", kept.join(", "));
                self.case_rows(&conn, &filter, &page_order(sort, false), &[], page_size, offset)?
            };
            let next = (!rows.is_empty() && u64::from(page) * u64::from(page_size) < u64::from(total))
                .then(|| {
                    Cursor {
                        page: page + 1,
                        ..cursor.clone()
                    }
                    .encode()
                })
                .transpose()?;
            let previous = (page > 1)
                .then(|| {
                    Cursor {
                        page: page - 1,
                        after: false,
                        ..cursor.clone()
                    }
                    .encode()
                })
                .transpose()?;
            return Ok(CasePage {
                rows,
                total,
                page,
                page_size,
                more,
                next,
                previous,
            });
        }
        let (filter, params) = queue_filter("", input.queue, office.as_deref());
        let total: i64 = conn.query_row(
            &format!(
                "SELECT COALESCE(SUM(n), 0) FROM case_counts WHERE {}",
                filter.replace("office_key", "office")
            ),
            rusqlite::params_from_iter(params.iter()),
            |r| r.get(0),
        )?;
        let total = u64::try_from(total).unwrap_or(0);
        let texts: Vec<rusqlite::types::Value> = params.iter().cloned().map(rusqlite::types::Value::Text).collect();
        let rows = match given.as_ref().and_then(|c| c.at.as_ref().map(|at| (c.after, at))) {
            Some((after, at)) => {
                // From the row the cursor names, one walk of the index.
                let mut rows = Vec::new();
                for (cond, order, values) in keyset_walks(input.queue, office.as_deref(), sort, at, after) {
                    let left = page_size - rows.len() as u32;
                    if left == 0 {
                        break;
                    }
                    rows.extend(self.keyed_rows(&conn, &cond, &order, &values, left, 0)?);
                }
                if !after {
                    rows.reverse();
                    if rows.len() < page_size as usize {
                        // Cases left the queue before this page: it is the first.
                        page = 1;
                        rows = self.keyed_rows(&conn, &filter, &page_order(sort, false), &texts, page_size, 0)?;
                    }
                }
                rows
            }
            None => {
                // A page by its number, from whichever end of the queue is nearer.
                let offset = u64::from(page - 1) * u64::from(page_size);
                if offset >= total {
                    Vec::new()
                } else {
                    let end = (offset + u64::from(page_size)).min(total);
                    let take = (end - offset) as u32;
                    if offset > total - end {
                        // Nearer the far end: the same index walked backwards.
                        let mut rows =
                            self.keyed_rows(&conn, &filter, &page_order(sort, true), &texts, take, total - end)?;
                        rows.reverse();
                        rows
                    } else {
                        self.keyed_rows(&conn, &filter, &page_order(sort, false), &texts, take, offset)?
                    }
                }
            }
        };
        let next = match rows.last() {
            Some(last) if u64::from(page) * u64::from(page_size) < total => Some(
                Cursor {
                    page: page + 1,
                    after: true,
                    at: Some(last.boundary(sort.key)),
                    ..cursor.clone()
                }
                .encode()?,
            ),
            _ => None,
        };
        let previous = match rows.first() {
            Some(first) if page > 1 => Some(
                Cursor {
                    page: page - 1,
                    after: false,
                    at: Some(first.boundary(sort.key)),
                    ..cursor.clone()
                }
                .encode()?,
            ),
            _ => None,
        };
        Ok(CasePage {
            rows: rows.into_iter().map(|k| k.row).collect(),
            total: u32::try_from(total).unwrap_or(u32::MAX),
            page,
            page_size,
            more: false,
            next,
            previous,
        })
    }

    /// 查找案件：every case whose serial, registration number, title, names
    /// or ID numbers match, for anyone signed in (the case itself opens at the
    /// desks the person holds). An exact serial or registration number comes
    /// first, then the filings most recently entered or edited.
    pub fn search_cases(&self, session: &Session, input: &CaseSearchInput) -> Result<CaseSearchResult> {
        self.search_cases_counting(session, input, SEARCH_COUNT_CAP)
    }

    /// [`Store::search_cases`], counting at most `cap` matches. The search stops
    /// as soon as it has what it shows, so a fragment every serial holds costs
    /// no more than a rare name.
    pub(crate) fn search_cases_counting(
        &self,
        session: &Session,
        input: &CaseSearchInput,
        cap: u32,
    ) -> Result<CaseSearchResult> {
        let conn = self.conn();
        let roles = actor(&conn, self.now(), Some(session), None)?.roles;
        let text = input.text.trim();
        if text.is_empty() {
            return Ok(CaseSearchResult {
                hits: Vec::new(),
                total: 0,
                more: false,
                historic: Vec::new(),
            });
        }
        let limit = input.limit.unwrap_or(10).clamp(1, 50);
        // Serials and registration numbers are stored in upper case.
        let exact = text.to_uppercase();
        let ids: Vec<String> = conn
            .prepare("SELECT id FROM cases WHERE serial = ?1 OR registration_number = ?1")?
            .query_map([&exact], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if !ids.is_empty() {
            // A whole serial or registration number names its case.
            let rows = self.rows_in_order(&conn, &ids)?;
            return Ok(CaseSearchResult {
                total: rows.len() as u32,
                hits: hits_of(rows, &roles),
                more: false,
                historic: Vec::new(),
            });
        }
        refuse_id_search(&conn, &roles, text)?;
        let (table, cond, param) = Store::search_match(text);
        let ids: Vec<String> = conn
            .prepare(&format!(
                "SELECT c.id FROM cases c JOIN (SELECT rowid AS r FROM {table} WHERE {cond} ORDER BY rowid DESC LIMIT {limit}) s
                 ON c.search_rowid = s.r ORDER BY s.r DESC"
            ))?
            .query_map([&param], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let counted: u32 = conn.query_row(
            &format!("SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {cond} LIMIT {cap})"),
            [&param],
            |r| r.get(0),
        )?;
        let total = counted.max(ids.len() as u32);
        let rows = self.rows_in_order(&conn, &ids)?;
        Ok(CaseSearchResult {
            hits: hits_of(rows, &roles),
            total,
            more: total >= cap,
            historic: crate::register::historic_matching(&conn, text, limit)?,
        })
    }

    /// Queue rows of the cases `ids`, in that order.
    fn rows_in_order(&self, conn: &rusqlite::Connection, ids: &[String]) -> Result<Vec<CaseRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let marks = vec!["?"; ids.len()].join(", ");
        let mut rows = self.case_rows(conn, &format!("id IN ({marks})"), "serial", ids, ids.len() as u32, 0)?;
        rows.sort_by_key(|r| ids.iter().position(|id| *id == r.id));
        Ok(rows)
    }

    /// Queue rows of the cases matching `filter` (SQL on `cases`, with `params`
    /// for its placeholders and then the order's), in `order`.
    fn case_rows(
        &self,
        conn: &rusqlite::Connection,
        filter: &str,
        order: &str,
        params: &[String],
        limit: u32,
        offset: u64,
    ) -> Result<Vec<CaseRow>> {
        let values: Vec<rusqlite::types::Value> = params.iter().cloned().map(rusqlite::types::Value::Text).collect();
        Ok(self
            .keyed_rows(conn, filter, order, &values, limit, offset)?
            .into_iter()
            .map(|k| k.row)
            .collect())
    }

    /// [`Store::case_rows`], each row with what a cursor is made of.
    fn keyed_rows(
        &self,
        conn: &rusqlite::Connection,
        filter: &str,
        order: &str,
        params: &[rusqlite::types::Value],
        limit: u32,
        offset: u64,
    ) -> Result<Vec<Keyed>> {
        let mut stmt = conn.prepare(&page_sql(filter, order, limit, offset))?;
        let raw = stmt
            .query_map(rusqlite::params_from_iter(params.iter()), |r| {
                Ok((
                    (
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, DateTime<Utc>>(6)?,
                        r.get::<_, Option<NaiveDate>>(7)?,
                        r.get::<_, Option<NaiveDate>>(8)?,
                        r.get::<_, Option<String>>(9)?,
                    ),
                    (
                        r.get::<_, i64>(10)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, Option<String>>(7)?,
                    ),
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let calendar = crate::calendar::calendar_of(conn)?;
        let today = crate::office_date(self.now());
        raw.into_iter()
            .map(
                |(
                    (
                        id,
                        serial,
                        title,
                        category,
                        state,
                        applicant_name,
                        created_at,
                        due_on,
                        accepted_on,
                        registration_number,
                    ),
                    (rowid, created_raw, due_raw),
                )| {
                    let state = from_code::<CaseState>("案件状态", &state)?;
                    let clock = state.clock_runs();
                    let deadline = due_on
                        .filter(|_| clock)
                        .and_then(|due| classify_deadline(today, due, &calendar).ok());
                    let row = CaseRow {
                        id,
                        serial,
                        title,
                        category_label: WorkCategory::from_code(&category)
                            .map(|c| c.label().to_string())
                            .unwrap_or(category),
                        state,
                        state_label: state.label().to_string(),
                        stage: stage_of(state),
                        applicant_name,
                        created_at,
                        accepted_on,
                        due_on,
                        days_left: deadline.map(|d| d.working_days_left),
                        deadline_level: deadline.map(|d| d.level),
                        due_pending: clock && accepted_on.is_some() && due_on.is_none(),
                        registration_number,
                    };
                    Ok(Keyed {
                        row,
                        rowid,
                        created_at: created_raw,
                        due_on: due_raw,
                    })
                },
            )
            .collect::<Result<Vec<_>>>()
    }
}

#[cfg(test)]
impl Boundary {
    /// A boundary row made up by a test.
    pub(crate) fn for_test(values: Vec<Option<String>>, rowid: i64) -> Self {
        Boundary { values, rowid }
    }
}
