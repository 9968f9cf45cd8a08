//! 统计与上报 (docs/DOMAIN.md §12): the national monthly form (作品登记情况月度统计表),
//! the announcement list (作品登记公告), the period summary the yearly bulletin
//! asks for, and the supervisor's picture (registrations per month against last
//! year, shares, backlog, working days to registration, overdue, each reviewer's
//! decisions per week). Every figure is counted here for one office or its
//! subtree over a [`Period`]; the screens and the CLI draw what they get.
//!
//! What counts as what:
//! - A registration is a number in the ledger (`registration_numbers`) given to
//!   a case, dated by when it was given (`issued_at`) in office time, so a
//!   number given at 23:59 on 30 November Beijing time is November's. Numbers
//!   standing (`used`) are counted; revoked ones are counted apart
//!   ([`MonthlyFormView::revoked`], [`AnnouncementView::revoked`]) so the form
//!   agrees with the 已登记 queue. Numbers of the old register
//!   (`historic_registrations`) were reported by the old platform and are not counted again.
//!   The forms, the summary and the supervisor's months read them as counts
//!   kept per office day, office, category, state and clock start
//!   (`registration_counts`, migration 026, kept by triggers as numbers and
//!   cases change), so a year costs its days, not its registrations; only the
//!   announcement lists them one by one.
//! - A case's office is `cases.office_code` (empty: this office's own).
//! - Working days to registration run from the day the clock last started
//!   (`cases.accepted_on`: acceptance, or resubmission after a correction) to
//!   the day of registration, on the office's working-day calendar.
//! - The review backlog at the end of a month is read from the case dates: a
//!   case is counted from the day its clock (last) started until the day of its
//!   final decision (登记, 不予登记, 撤回, or withdrawal by the rules, from
//!   `review_log`). A case returned for correction and not yet resubmitted still
//!   counts from its earlier clock start: the dates kept do not say when it left.
//!   Cases are read from the decisions made since the period began and from
//!   the cases still undecided (by their state), never from all the cases
//!   decided before.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use regdesk_domain::calendar::WorkCalendar;
use regdesk_domain::category::WorkCategory;
use regdesk_domain::queue::{queue_of, Queue};
use regdesk_domain::staff::{require, Desk, Permission};
use regdesk_domain::stats::{
    change_percent, column_of, form_columns, percent, percentile, week_start, FormColumn, Period,
};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::codes::from_code;
use crate::error::{Result, StoreError};
use crate::session::{actor, Session};
use crate::{office_date, Store, OFFICE_UTC_OFFSET_HOURS};

/// 统计条件：期间与机构（含其下级机构，或仅本级）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StatsInput {
    pub period: Period,
    /// 机构代码；空为本机构
    #[serde(default)]
    pub office: Option<String>,
    /// 仅统计该机构本级（不含下级机构）
    #[serde(default)]
    pub own_only: bool,
}

/// 统计表的一栏。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FormColumnView {
    pub column: FormColumn,
    pub label: String,
}

/// 统计表的一行：一个机构（或合计）各栏的件数。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FormRow {
    /// 机构代码；合计行为空
    pub office_code: String,
    pub label: String,
    /// 合计
    pub total: u64,
    /// 各栏件数，与 `columns` 一一对应
    pub counts: Vec<u64>,
}

/// 作品登记情况月度统计表（单位：件）。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MonthlyFormView {
    pub title: String,
    pub period: Period,
    pub period_label: String,
    pub office_code: String,
    pub office_name: String,
    pub unit: String,
    pub columns: Vec<FormColumnView>,
    /// 各机构一行：本级，然后各直属下级机构（含其下级）
    pub rows: Vec<FormRow>,
    pub total: FormRow,
    /// 期间内登记、其后已撤销的件数（不计入上表）
    pub revoked: u64,
}

/// 作品登记公告的一行。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AnnouncementRow {
    pub number: String,
    pub registered_on: NaiveDate,
    pub title: String,
    pub category: Option<WorkCategory>,
    pub category_label: String,
    /// 著作权人（多人以“、”分隔）
    pub owners: String,
    pub completed_on: String,
    /// 首次发表日期；未发表为空
    pub published_on: String,
    pub office_code: String,
}

/// 作品登记公告：按登记号排列；已撤销的另列。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AnnouncementView {
    pub title: String,
    pub period: Period,
    pub period_label: String,
    pub office_code: String,
    pub office_name: String,
    pub rows: Vec<AnnouncementRow>,
    pub revoked: Vec<AnnouncementRow>,
}

/// 构成中的一项：件数与占比（%）。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ShareRow {
    pub key: String,
    pub label: String,
    pub count: u64,
    pub percent: Option<f64>,
}

/// 期间汇总（年度通报所需）：总数、同比增减、按类别与按机构的构成。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SummaryView {
    pub period: Period,
    pub period_label: String,
    pub office_code: String,
    pub office_name: String,
    pub total: u64,
    pub previous_period_label: String,
    pub previous_total: u64,
    /// 同比增减（%）；上年同期为 0 时为空
    pub change_percent: Option<f64>,
    pub by_category: Vec<ShareRow>,
    pub by_office: Vec<ShareRow>,
}

/// 某月登记数：今年与上年同月。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MonthCompare {
    pub month: u32,
    pub this_year: u64,
    pub last_year: u64,
}

/// 当前各环节的案件数。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StageCount {
    pub key: String,
    pub label: String,
    pub count: u64,
}

/// 某月月末审查中积压的案件数。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BacklogPoint {
    pub year: i32,
    pub month: u32,
    pub label: String,
    pub in_review: u64,
}

/// 某月登记案件从受理到登记的工作日数。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DurationMonth {
    pub year: i32,
    pub month: u32,
    pub label: String,
    /// 计入的登记数
    pub registered: u64,
    /// 中位数（工作日）
    pub median: Option<u32>,
    /// 第 90 百分位（工作日）
    pub p90: Option<u32>,
    /// 在办结时限内登记的件数
    pub within_limit: u64,
    pub within_percent: Option<f64>,
    /// 工作日历未载入等原因无法计算的件数
    pub not_counted: u64,
}

/// 审查人员某周的审查决定数。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WorkloadRow {
    pub staff_id: String,
    pub staff_name: String,
    /// 该周的星期一
    pub week: NaiveDate,
    /// 初审决定（通过、退回补正、拟不予登记）
    pub first_review: u64,
    /// 终审决定（登记、退回初审、不予登记）
    pub final_review: u64,
}

/// 主管的统计概览。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SupervisorView {
    pub period: Period,
    pub period_label: String,
    pub office_code: String,
    pub office_name: String,
    /// 期间结束所在年份（与上年逐月比较）
    pub year: i32,
    pub monthly: Vec<MonthCompare>,
    pub summary: SummaryView,
    pub backlog_now: Vec<StageCount>,
    pub backlog_by_month: Vec<BacklogPoint>,
    pub durations: Vec<DurationMonth>,
    /// 办结时限（工作日）
    pub limit_working_days: u32,
    /// 当前超过办结期限的案件
    pub overdue_now: u64,
    /// 每位审查人员每周的决定；无权查看时为空
    pub workload: Option<Vec<WorkloadRow>>,
}

/// The offices a report covers and the row each falls in.
struct Scope {
    code: String,
    name: String,
    /// (code, label) of each row: the office itself, then its direct subordinates.
    rows: Vec<(String, String)>,
    /// `cases.office_key` → row index.
    row_of: HashMap<String, usize>,
}

impl Scope {
    fn row(&self, office_key: &str) -> Option<usize> {
        self.row_of.get(office_key).copied()
    }
}

fn may_report(conn: &Connection, now: DateTime<Utc>, session: &Session) -> Result<regdesk_domain::lifecycle::Actor> {
    let who = actor(conn, now, Some(session), None)?;
    require(&who.roles, Permission::OpenDesk(Desk::Reports))?;
    Ok(who)
}

fn scope(conn: &Connection, input: &StatsInput) -> Result<Scope> {
    let (own_code, own_name): (String, String) =
        conn.query_row("SELECT office_code, name FROM office WHERE id = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let mut names: HashMap<String, String> = HashMap::new();
    let mut children: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut stmt = conn.prepare("SELECT code, name, parent_code FROM office_tree ORDER BY code")?;
    for row in stmt.query_map([], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
    })? {
        let (code, name, parent) = row?;
        names.insert(code.clone(), name);
        children.entry(parent).or_default().push(code);
    }
    names.insert(own_code.clone(), own_name);
    // A station of a subordinate office reports on its office and those under it.
    let station = crate::scope::station_scope(conn)?;
    let root = station
        .as_ref()
        .filter(|s| !s.own.is_empty())
        .map_or_else(|| own_code.clone(), |s| s.own.clone());
    let wanted = input
        .office
        .as_deref()
        .map(|c| c.trim().to_uppercase())
        .filter(|c| !c.is_empty())
        .unwrap_or(root);
    let Some(name) = names.get(&wanted).cloned() else {
        return Err(regdesk_domain::FieldError::new(
            "office",
            "unknown",
            format!("机构 {wanted} 不在机构树中：请从机构列表中选择"),
        )
        .into());
    };
    if station.as_ref().is_some_and(|s| !s.sees(&wanted)) {
        return Err(regdesk_domain::FieldError::new(
            "office",
            "out_of_scope",
            format!(
                "机构 {name}（{wanted}）不在本工作站的范围内，这里没有它的案件：请从机构列表中选择本机构或其下级机构"
            ),
        )
        .into());
    }
    let key = |code: &str| {
        if code == own_code {
            String::new()
        } else {
            code.to_string()
        }
    };
    let kids = if input.own_only {
        Vec::new()
    } else {
        children.get(&wanted).cloned().unwrap_or_default()
    };
    let own_label = if kids.is_empty() {
        name.clone()
    } else {
        format!("{name}（本级）")
    };
    let mut rows = vec![(wanted.clone(), own_label)];
    let mut row_of = HashMap::from([(key(&wanted), 0usize)]);
    for kid in kids {
        let i = rows.len();
        rows.push((kid.clone(), names.get(&kid).cloned().unwrap_or_else(|| kid.clone())));
        let mut stack = vec![kid];
        while let Some(c) = stack.pop() {
            row_of.insert(key(&c), i);
            if let Some(more) = children.get(&c) {
                stack.extend(more.iter().cloned());
            }
        }
    }
    // Cases of an office not in the tree (arrived by sync before the tree was kept) are
    // reported on rows of their own when the whole office is asked for, never dropped.
    if wanted == own_code && !input.own_only {
        // From the kept counts (a row per queue, state, office and deadline), not the cases.
        let mut stmt = conn.prepare_cached("SELECT DISTINCT office FROM case_counts WHERE office <> '' AND n > 0")?;
        let keys = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for k in keys {
            if !row_of.contains_key(&k) {
                row_of.insert(k.clone(), rows.len());
                rows.push((k.clone(), format!("{k}（不在机构树中）")));
            }
        }
    }
    Ok(Scope {
        code: wanted,
        name,
        rows,
        row_of,
    })
}

/// One registration of the ledger given to a case.
struct Registration {
    case_id: String,
    number: String,
    registered_on: NaiveDate,
    category: Option<WorkCategory>,
    revoked: bool,
}

/// The registrations given in `[from, to)` to cases of `scope`, ordered by
/// number, one by one (the announcement lists each).
fn registrations(
    conn: &Connection,
    scope: &Scope,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Registration>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.case_id, r.number, r.issued_at, c.category, c.office_key, r.state
         FROM registration_numbers r JOIN cases c ON c.id = r.case_id
         WHERE r.issued_at >= ?1 AND r.issued_at < ?2 AND r.state IN ('used', 'revoked')
         ORDER BY r.prefix, r.year, r.letter, r.serial",
    )?;
    let rows = stmt.query_map(params![from, to], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, DateTime<Utc>>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (case_id, number, at, category, office_key, state) = row?;
        if scope.row(&office_key).is_none() {
            continue;
        }
        let category = if category.is_empty() {
            None
        } else {
            Some(from_code::<WorkCategory>("作品类别", &category)?)
        };
        out.push(Registration {
            case_id,
            number,
            registered_on: office_date(at),
            category,
            revoked: state == "revoked",
        });
    }
    Ok(out)
}

/// Registrations given on the same office day, to cases of the same office
/// and category whose clock started the same day, in the same state: one row
/// of the kept counts (`registration_counts`, migration 026).
struct Counted {
    registered_on: NaiveDate,
    office_key: String,
    category: Option<WorkCategory>,
    revoked: bool,
    accepted_on: Option<NaiveDate>,
    n: u64,
}

/// The kept registration counts of the office days `?1..=?2`.
pub(crate) const COUNTED_SQL: &str = "SELECT day, office, category, state, accepted_on, n FROM registration_counts
     WHERE day >= ?1 AND day <= ?2 AND n > 0";

fn stored_day(what: &str, text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| StoreError::Corrupt(format!("登记计数的{what}“{text}”")))
}

/// The registrations given on the office days `first..=last` to cases of
/// `scope`, as kept counts: the same registrations [`registrations`] reads
/// one by one, counted when each number was given or changed, so a period
/// costs its days, not its registrations.
fn counted(conn: &Connection, scope: &Scope, first: NaiveDate, last: NaiveDate) -> Result<Vec<Counted>> {
    let mut stmt = conn.prepare_cached(COUNTED_SQL)?;
    let rows = stmt.query_map(params![first, last], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, i64>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (day, office_key, category, state, accepted_on, n) = row?;
        if scope.row(&office_key).is_none() {
            continue;
        }
        let category = if category.is_empty() {
            None
        } else {
            Some(from_code::<WorkCategory>("作品类别", &category)?)
        };
        out.push(Counted {
            registered_on: stored_day("登记日期", &day)?,
            office_key,
            category,
            revoked: state == "revoked",
            accepted_on: if accepted_on.is_empty() {
                None
            } else {
                Some(stored_day("受理日期", &accepted_on)?)
            },
            n: u64::try_from(n).unwrap_or(0),
        });
    }
    Ok(out)
}

fn instants(period: &Period) -> Result<(DateTime<Utc>, DateTime<Utc>)> {
    Ok(period.instants(OFFICE_UTC_OFFSET_HOURS)?)
}

fn column_views(columns: &[FormColumn]) -> Vec<FormColumnView> {
    columns
        .iter()
        .map(|c| FormColumnView {
            column: *c,
            label: c.label().to_string(),
        })
        .collect()
}

/// The column index of a registration (a case without a category is 其他).
fn column_index(columns: &[FormColumn], category: Option<WorkCategory>) -> usize {
    let col = category.map_or(FormColumn::Other, column_of);
    columns
        .iter()
        .position(|c| *c == col)
        .or_else(|| columns.iter().position(|c| *c == FormColumn::Other))
        .unwrap_or(0)
}

fn monthly_form(conn: &Connection, input: &StatsInput) -> Result<MonthlyFormView> {
    let scope = scope(conn, input)?;
    let (first, last) = input.period.days()?;
    let columns = form_columns();
    let mut rows: Vec<FormRow> = scope
        .rows
        .iter()
        .map(|(code, label)| FormRow {
            office_code: code.clone(),
            label: label.clone(),
            total: 0,
            counts: vec![0; columns.len()],
        })
        .collect();
    let mut total = FormRow {
        office_code: String::new(),
        label: "合计".into(),
        total: 0,
        counts: vec![0; columns.len()],
    };
    let mut revoked = 0;
    for r in counted(conn, &scope, first, last)? {
        if r.revoked {
            revoked += r.n;
            continue;
        }
        let col = column_index(&columns, r.category);
        if let Some(row) = scope.row(&r.office_key).and_then(|i| rows.get_mut(i)) {
            row.total += r.n;
            if let Some(n) = row.counts.get_mut(col) {
                *n += r.n;
            }
        }
        total.total += r.n;
        if let Some(n) = total.counts.get_mut(col) {
            *n += r.n;
        }
    }
    Ok(MonthlyFormView {
        title: "作品登记情况月度统计表".into(),
        period: input.period,
        period_label: input.period.label(),
        office_code: scope.code.clone(),
        office_name: scope.name.clone(),
        unit: "件".into(),
        columns: column_views(&columns),
        rows,
        total,
        revoked,
    })
}

/// A date the filing gives as `20260112` (or already `2026-01-12`) as `2026-01-12`; other text as written.
fn shown_date(text: &str) -> String {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%Y%m%d")
        .or_else(|_| NaiveDate::parse_from_str(t, "%Y-%m-%d"))
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|_| t.to_string())
}

fn announcement(conn: &Connection, input: &StatsInput) -> Result<AnnouncementView> {
    let scope = scope(conn, input)?;
    let (from, to) = instants(&input.period)?;
    let mut rows = Vec::new();
    let mut revoked = Vec::new();
    let mut stmt =
        conn.prepare_cached("SELECT title, draft, draft_format, COALESCE(office_code, '') FROM cases WHERE id = ?1")?;
    let own_code = scope.rows.first().map(|(c, _)| c.clone()).unwrap_or_default();
    for r in registrations(conn, &scope, from, to)? {
        let (title, draft, format, office): (String, String, i64, String) =
            stmt.query_row([&r.case_id], |x| Ok((x.get(0)?, x.get(1)?, x.get(2)?, x.get(3)?)))?;
        let draft = crate::cases::read_draft(format, &draft)?;
        let owners: Vec<&str> = draft
            .owners
            .iter()
            .map(|o| o.name.trim())
            .filter(|n| !n.is_empty())
            .collect();
        let row = AnnouncementRow {
            number: r.number,
            registered_on: r.registered_on,
            title,
            category: r.category,
            category_label: r.category.map(|c| c.label().to_string()).unwrap_or_default(),
            owners: owners.join("、"),
            completed_on: shown_date(&draft.work.completed_on),
            published_on: shown_date(&draft.work.first_published_on),
            office_code: if office.is_empty() { own_code.clone() } else { office },
        };
        if r.revoked {
            revoked.push(row);
        } else {
            rows.push(row);
        }
    }
    Ok(AnnouncementView {
        title: "作品登记公告".into(),
        period: input.period,
        period_label: input.period.label(),
        office_code: scope.code.clone(),
        office_name: scope.name.clone(),
        rows,
        revoked,
    })
}

fn summary(conn: &Connection, input: &StatsInput) -> Result<SummaryView> {
    let form = monthly_form(conn, input)?;
    let before = StatsInput {
        period: input.period.year_before(),
        ..input.clone()
    };
    let previous = monthly_form(conn, &before)?;
    let total = form.total.total;
    let by_category = form
        .columns
        .iter()
        .zip(&form.total.counts)
        .map(|(c, n)| ShareRow {
            key: crate::codes::code(c.column),
            label: c.label.clone(),
            count: *n,
            percent: percent(*n, total),
        })
        .collect();
    let by_office = form
        .rows
        .iter()
        .map(|r| ShareRow {
            key: r.office_code.clone(),
            label: r.label.clone(),
            count: r.total,
            percent: percent(r.total, total),
        })
        .collect();
    Ok(SummaryView {
        period: input.period,
        period_label: form.period_label,
        office_code: form.office_code,
        office_name: form.office_name,
        total,
        previous_period_label: before.period.label(),
        previous_total: previous.total.total,
        change_percent: change_percent(total, previous.total.total),
        by_category,
        by_office,
    })
}

fn stage_of(queue: Queue) -> (&'static str, &'static str) {
    match queue {
        Queue::Drafts | Queue::AwaitingSignature => ("counter", "受理中"),
        Queue::AwaitingPayment | Queue::AwaitingPaymentCheck => ("payment", "缴费中"),
        Queue::FirstReview => ("first_review", "待初审"),
        Queue::FinalReview => ("final_review", "待终审"),
        Queue::Registered => ("registered", "已登记"),
        Queue::Other => ("other", "其他"),
    }
}

/// The cases of `scope` by stage now, and those overdue, from the kept counts.
fn backlog_now(conn: &Connection, scope: &Scope, today: NaiveDate) -> Result<(Vec<StageCount>, u64)> {
    let order = [
        Queue::Drafts,
        Queue::AwaitingPayment,
        Queue::FirstReview,
        Queue::FinalReview,
        Queue::Registered,
        Queue::Other,
    ];
    let mut stages: Vec<StageCount> = order
        .iter()
        .map(|q| {
            let (key, label) = stage_of(*q);
            StageCount {
                key: key.into(),
                label: label.into(),
                count: 0,
            }
        })
        .collect();
    let mut overdue = 0;
    let mut stmt = conn.prepare(
        "SELECT office, state, SUM(n), SUM(CASE WHEN due_on <> '' AND due_on < ?1 THEN n ELSE 0 END)
         FROM case_counts GROUP BY office, state",
    )?;
    let rows = stmt
        .query_map([today], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, u64>(2)?,
                r.get::<_, u64>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (office, state, n, late) in rows {
        if scope.row(&office).is_none() {
            continue;
        }
        let state = from_code("案件状态", &state)?;
        let (key, _) = stage_of(queue_of(state));
        if let Some(s) = stages.iter_mut().find(|s| s.key == key) {
            s.count += n;
        }
        if state.clock_runs() {
            overdue += late;
        }
    }
    Ok((stages, overdue))
}

fn month_label(year: i32, month: u32) -> String {
    format!("{year}年{month}月")
}

fn last_day(year: i32, month: u32) -> Result<NaiveDate> {
    Ok(Period::Month { year, month }.days()?.1)
}

/// The final decisions of review (the backlog ends at the first of them).
const DECISIONS: &str = "'approve', 'confirm_refusal', 'withdraw', 'expire_correction'";

/// The states no final decision has ended (every state but 已登记, 已邮寄,
/// 已领取, 不予登记, 已撤回 and 已撤销): a case in one of them whose clock
/// started is in review, or returned for correction and on its way back
/// (signing again, or edited since).
pub(crate) const UNDECIDED: &str = "'draft', 'awaiting_signatures', 'awaiting_payment', 'awaiting_payment_check',
    'awaiting_first_review', 'awaiting_final_review', 'refusal_proposed', 'returned_for_correction'";

/// The two reads of the backlog: cases decided at or after `?1` (the
/// period's first instant; each by its first decision, from the review log
/// by its time) and accepted on or before `?2` (the period's last day), and
/// cases still undecided (by their state, from an index that holds what is
/// read) accepted on or before `?1`. Neither reads the cases decided before
/// the period, however many the office holds.
pub(crate) fn backlog_sql() -> [String; 2] {
    [
        format!(
            "SELECT c.office_key, c.accepted_on, l.at FROM review_log l JOIN cases c ON c.id = l.case_id
             WHERE l.at >= ?1 AND l.command IN ({DECISIONS}) AND c.accepted_on <= ?2
               AND NOT EXISTS (SELECT 1 FROM review_log e WHERE e.case_id = l.case_id AND e.command IN ({DECISIONS})
                               AND (e.at < l.at OR (e.at = l.at AND e.rowid < l.rowid)))"
        ),
        format!(
            "SELECT COALESCE(office_code, ''), accepted_on, NULL FROM cases INDEXED BY cases_state_accepted
             WHERE state IN ({UNDECIDED}) AND accepted_on <= ?1"
        ),
    ]
}

/// The review backlog at the end of each month of `period` (see the module's note).
fn backlog_by_month(conn: &Connection, scope: &Scope, period: &Period) -> Result<Vec<BacklogPoint>> {
    let (first, last) = period.days()?;
    let (start, _) = instants(period)?;
    let [decided, undecided] = backlog_sql();
    let span = |r: &rusqlite::Row<'_>| -> rusqlite::Result<(String, NaiveDate, Option<DateTime<Utc>>)> {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    };
    let mut spans = conn
        .prepare_cached(&decided)?
        .query_map(params![start, last], span)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    spans.extend(
        conn.prepare_cached(&undecided)?
            .query_map(params![last], span)?
            .collect::<rusqlite::Result<Vec<_>>>()?,
    );
    let spans: Vec<(NaiveDate, Option<NaiveDate>)> = spans
        .into_iter()
        .filter(|(office, _, decided)| scope.row(office).is_some() && decided.is_none_or(|d| office_date(d) >= first))
        .map(|(_, accepted, decided)| (accepted, decided.map(office_date)))
        .collect();
    period
        .months()?
        .into_iter()
        .map(|(y, m)| {
            let end = last_day(y, m)?;
            let in_review = spans
                .iter()
                .filter(|(accepted, decided)| *accepted <= end && decided.is_none_or(|d| d > end))
                .count() as u64;
            Ok(BacklogPoint {
                year: y,
                month: m,
                label: month_label(y, m),
                in_review,
            })
        })
        .collect()
}

fn durations(
    conn: &Connection,
    scope: &Scope,
    period: &Period,
    calendar: &WorkCalendar,
    limit: u32,
) -> Result<Vec<DurationMonth>> {
    let (first, last) = period.days()?;
    let mut by_month: BTreeMap<(i32, u32), (Vec<u32>, u64)> =
        period.months()?.into_iter().map(|k| (k, (Vec::new(), 0))).collect();
    for r in counted(conn, scope, first, last)? {
        let key = (r.registered_on.year(), r.registered_on.month());
        let slot = by_month.entry(key).or_default();
        match r.accepted_on.map(|a| calendar.working_days_between(a, r.registered_on)) {
            Some(Ok(days)) => {
                let n = usize::try_from(r.n).unwrap_or(0);
                slot.0.resize(slot.0.len() + n, days);
            }
            _ => slot.1 += r.n,
        }
    }
    Ok(by_month
        .into_iter()
        .map(|((y, m), (days, not_counted))| {
            let within = days.iter().filter(|d| **d <= limit).count() as u64;
            DurationMonth {
                year: y,
                month: m,
                label: month_label(y, m),
                registered: days.len() as u64,
                median: percentile(&days, 50),
                p90: percentile(&days, 90),
                within_limit: within,
                within_percent: percent(within, days.len() as u64),
                not_counted,
            }
        })
        .collect())
}

fn workload(conn: &Connection, scope: &Scope, period: &Period) -> Result<Vec<WorkloadRow>> {
    let (from, to) = instants(period)?;
    let mut stmt = conn.prepare(
        "SELECT l.staff_id, s.display_name, l.at, l.command, c.office_key
         FROM review_log l JOIN staff s ON s.id = l.staff_id JOIN cases c ON c.id = l.case_id
         WHERE l.at >= ?1 AND l.at < ?2 AND l.staff_id IS NOT NULL
           AND l.command IN ('pass_first_review', 'return_for_correction', 'propose_refusal',
                             'approve', 'send_back_to_first_review', 'confirm_refusal')",
    )?;
    let rows = stmt
        .query_map(params![from, to], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, DateTime<Utc>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out: BTreeMap<(String, NaiveDate), WorkloadRow> = BTreeMap::new();
    for (staff_id, name, at, command, office) in rows {
        if scope.row(&office).is_none() {
            continue;
        }
        let week = week_start(office_date(at));
        let row = out.entry((name.clone(), week)).or_insert_with(|| WorkloadRow {
            staff_id,
            staff_name: name,
            week,
            first_review: 0,
            final_review: 0,
        });
        match command.as_str() {
            "pass_first_review" | "return_for_correction" | "propose_refusal" => row.first_review += 1,
            _ => row.final_review += 1,
        }
    }
    Ok(out.into_values().collect())
}

fn supervisor(conn: &Connection, input: &StatsInput, today: NaiveDate, sees_workload: bool) -> Result<SupervisorView> {
    let scope = scope(conn, input)?;
    let (_, last) = input.period.days()?;
    let year = last.year();
    let mut by_month: HashMap<(i32, u32), u64> = HashMap::new();
    let (from_day, _) = Period::Year { year: year - 1 }.days()?;
    let (_, to_day) = Period::Year { year }.days()?;
    for r in counted(conn, &scope, from_day, to_day)? {
        if !r.revoked {
            *by_month
                .entry((r.registered_on.year(), r.registered_on.month()))
                .or_default() += r.n;
        }
    }
    let monthly = (1..=12)
        .map(|month| MonthCompare {
            month,
            this_year: by_month.get(&(year, month)).copied().unwrap_or(0),
            last_year: by_month.get(&(year - 1, month)).copied().unwrap_or(0),
        })
        .collect();
    let (backlog, overdue_now) = backlog_now(conn, &scope, today)?;
    let calendar = crate::calendar::calendar_of(conn)?;
    let limit = crate::settings::periods_of(conn)?.review_working_days;
    Ok(SupervisorView {
        period: input.period,
        period_label: input.period.label(),
        office_code: scope.code.clone(),
        office_name: scope.name.clone(),
        year,
        monthly,
        summary: summary(conn, input)?,
        backlog_now: backlog,
        backlog_by_month: backlog_by_month(conn, &scope, &input.period)?,
        durations: durations(conn, &scope, &input.period, &calendar, limit)?,
        limit_working_days: limit,
        overdue_now,
        workload: if sees_workload {
            Some(workload(conn, &scope, &input.period)?)
        } else {
            None
        },
    })
}

impl Store {
    /// 作品登记情况月度统计表（任意期间）：各机构一行并合计，单位：件。
    pub fn monthly_form(&self, session: &Session, input: &StatsInput) -> Result<MonthlyFormView> {
        let conn = self.conn();
        may_report(&conn, self.now(), session)?;
        monthly_form(&conn, input)
    }

    /// 作品登记公告：期间内的登记，按登记号排列，已撤销的另列。
    pub fn announcement(&self, session: &Session, input: &StatsInput) -> Result<AnnouncementView> {
        let conn = self.conn();
        may_report(&conn, self.now(), session)?;
        announcement(&conn, input)
    }

    /// 期间汇总：总数、同比增减、按类别与按机构的构成（年度通报）。
    pub fn stats_summary(&self, session: &Session, input: &StatsInput) -> Result<SummaryView> {
        let conn = self.conn();
        may_report(&conn, self.now(), session)?;
        summary(&conn, input)
    }

    /// 主管的统计概览；每位审查人员的工作量只给主管。
    pub fn supervisor_stats(&self, session: &Session, input: &StatsInput) -> Result<SupervisorView> {
        let conn = self.conn();
        let who = may_report(&conn, self.now(), session)?;
        let sees_workload = require(&who.roles, Permission::ViewWorkload).is_ok();
        supervisor(&conn, input, office_date(self.now()), sees_workload)
    }
}

/// 统计报表（导出）。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// 作品登记情况月度统计表
    MonthlyForm,
    /// 作品登记公告
    Announcement,
    /// 期间汇总（年度通报）
    Summary,
    /// 主管统计概览（各图表的数据表）
    Supervisor,
}

/// 导出格式。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    Xlsx,
    Pdf,
}

/// 导出统计报表。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReportExportInput {
    pub kind: ReportKind,
    pub format: ReportFormat,
    pub stats: StatsInput,
}

use regdesk_print::{Cell, ReportTable};

fn heading_lines(office_name: &str, period_label: &str, unit: bool) -> Vec<String> {
    let mut lines = vec![format!("填报单位：{office_name}"), format!("统计期间：{period_label}")];
    if unit {
        lines.push("单位：件".into());
    }
    lines
}

fn opt_count(n: Option<u32>) -> Cell {
    Cell::Decimal(n.map(f64::from))
}

fn monthly_form_table(v: &MonthlyFormView) -> ReportTable {
    let mut header = vec!["填报单位".to_string(), "合计".to_string()];
    header.extend(v.columns.iter().map(|c| c.label.clone()));
    let row = |r: &FormRow| {
        let mut cells = vec![Cell::Text(r.label.clone()), Cell::Count(r.total)];
        cells.extend(r.counts.iter().map(|n| Cell::Count(*n)));
        cells
    };
    let mut widths = vec![3.0, 1.2];
    widths.extend(v.columns.iter().map(|_| 1.0));
    ReportTable {
        title: v.title.clone(),
        sheet: String::new(),
        lines: heading_lines(&v.office_name, &v.period_label, true),
        header,
        rows: v.rows.iter().map(row).collect(),
        total: Some(row(&v.total)),
        notes: if v.revoked > 0 {
            vec![format!("注：本期登记后已撤销 {} 件，未计入上表。", v.revoked)]
        } else {
            Vec::new()
        },
        widths,
    }
}

fn announcement_tables(v: &AnnouncementView) -> Vec<ReportTable> {
    let header: Vec<String> = [
        "登记号",
        "登记日期",
        "作品名称",
        "作品类别",
        "著作权人",
        "作品完成日期",
        "首次发表日期",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let row = |r: &AnnouncementRow| {
        vec![
            Cell::Text(r.number.clone()),
            Cell::Text(r.registered_on.format("%Y-%m-%d").to_string()),
            Cell::Text(r.title.clone()),
            Cell::Text(r.category_label.clone()),
            Cell::Text(r.owners.clone()),
            Cell::Text(r.completed_on.clone()),
            Cell::Text(r.published_on.clone()),
        ]
    };
    let widths = vec![2.6, 1.2, 3.0, 1.0, 3.0, 1.3, 1.3];
    let mut lines = heading_lines(&v.office_name, &v.period_label, false);
    lines.push(format!("共 {} 件", v.rows.len()));
    let mut out = vec![ReportTable {
        title: v.title.clone(),
        sheet: String::new(),
        lines,
        header: header.clone(),
        rows: v.rows.iter().map(row).collect(),
        total: None,
        notes: Vec::new(),
        widths: widths.clone(),
    }];
    if !v.revoked.is_empty() {
        out.push(ReportTable {
            title: format!("{}（已撤销）", v.title),
            sheet: "已撤销".into(),
            lines: vec![
                format!("填报单位：{}", v.office_name),
                format!(
                    "统计期间：{}，登记后已撤销的作品，共 {} 件",
                    v.period_label,
                    v.revoked.len()
                ),
            ],
            header,
            rows: v.revoked.iter().map(row).collect(),
            total: None,
            notes: Vec::new(),
            widths,
        });
    }
    out
}

fn share_table(
    title: &str,
    sheet: &str,
    lines: Vec<String>,
    first: &str,
    rows: &[ShareRow],
    total: u64,
) -> ReportTable {
    ReportTable {
        title: title.into(),
        sheet: sheet.into(),
        lines,
        header: vec![first.into(), "件数".into(), "占比（%）".into()],
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    Cell::Text(r.label.clone()),
                    Cell::Count(r.count),
                    Cell::Decimal(r.percent),
                ]
            })
            .collect(),
        total: Some(vec![
            Cell::Text("合计".into()),
            Cell::Count(total),
            Cell::Decimal(percent(total, total)),
        ]),
        notes: Vec::new(),
        widths: vec![3.0, 1.0, 1.0],
    }
}

fn summary_tables(v: &SummaryView) -> Vec<ReportTable> {
    let lines = heading_lines(&v.office_name, &v.period_label, true);
    vec![
        ReportTable {
            title: "作品登记情况汇总".into(),
            sheet: "汇总".into(),
            lines: lines.clone(),
            header: vec![
                "本期登记".into(),
                format!("上年同期（{}）", v.previous_period_label),
                "同比增减（%）".into(),
            ],
            rows: vec![vec![
                Cell::Count(v.total),
                Cell::Count(v.previous_total),
                Cell::Decimal(v.change_percent),
            ]],
            total: None,
            notes: Vec::new(),
            widths: Vec::new(),
        },
        share_table(
            "按作品类别",
            "按作品类别",
            lines.clone(),
            "作品类别",
            &v.by_category,
            v.total,
        ),
        share_table("按登记机构", "按登记机构", lines, "登记机构", &v.by_office, v.total),
    ]
}

fn supervisor_tables(v: &SupervisorView) -> Vec<ReportTable> {
    let lines = heading_lines(&v.office_name, &v.period_label, true);
    let mut out = vec![ReportTable {
        title: format!("逐月登记数（{} 年与 {} 年）", v.year, v.year - 1),
        sheet: "逐月登记".into(),
        lines: vec![format!("填报单位：{}", v.office_name), "单位：件".into()],
        header: vec!["月份".into(), format!("{}年", v.year), format!("{}年", v.year - 1)],
        rows: v
            .monthly
            .iter()
            .map(|m| {
                vec![
                    Cell::Text(format!("{}月", m.month)),
                    Cell::Count(m.this_year),
                    Cell::Count(m.last_year),
                ]
            })
            .collect(),
        total: Some(vec![
            Cell::Text("合计".into()),
            Cell::Count(v.monthly.iter().map(|m| m.this_year).sum()),
            Cell::Count(v.monthly.iter().map(|m| m.last_year).sum()),
        ]),
        notes: Vec::new(),
        widths: Vec::new(),
    }];
    out.extend(summary_tables(&v.summary));
    out.push(ReportTable {
        title: "当前各环节案件数".into(),
        sheet: "当前积压".into(),
        lines: vec![format!("填报单位：{}", v.office_name), "单位：件".into()],
        header: vec!["环节".into(), "件数".into()],
        rows: v
            .backlog_now
            .iter()
            .map(|s| vec![Cell::Text(s.label.clone()), Cell::Count(s.count)])
            .chain(std::iter::once(vec![
                Cell::Text("其中超过办结期限".into()),
                Cell::Count(v.overdue_now),
            ]))
            .collect(),
        total: None,
        notes: Vec::new(),
        widths: Vec::new(),
    });
    out.push(ReportTable {
        title: "各月末审查中积压".into(),
        sheet: "积压走势".into(),
        lines: lines.clone(),
        header: vec!["月份".into(), "审查中（件）".into()],
        rows: v
            .backlog_by_month
            .iter()
            .map(|b| vec![Cell::Text(b.label.clone()), Cell::Count(b.in_review)])
            .collect(),
        total: None,
        notes: vec!["注：自受理（补正后重新提交则自重新提交）之日起，至登记、不予登记或撤回之日止计为审查中。".into()],
        widths: Vec::new(),
    });
    out.push(ReportTable {
        title: "受理至登记的工作日数".into(),
        sheet: "办理时长".into(),
        lines,
        header: vec![
            "月份".into(),
            "登记数".into(),
            "中位数（工作日）".into(),
            "90%分位（工作日）".into(),
            format!("{}个工作日内", v.limit_working_days),
            "期限内占比（%）".into(),
            "无法计算".into(),
        ],
        rows: v
            .durations
            .iter()
            .map(|d| {
                vec![
                    Cell::Text(d.label.clone()),
                    Cell::Count(d.registered),
                    opt_count(d.median),
                    opt_count(d.p90),
                    Cell::Count(d.within_limit),
                    Cell::Decimal(d.within_percent),
                    Cell::Count(d.not_counted),
                ]
            })
            .collect(),
        total: None,
        notes: Vec::new(),
        widths: Vec::new(),
    });
    if let Some(w) = &v.workload {
        out.push(ReportTable {
            title: "审查人员每周审查决定".into(),
            sheet: "审查工作量".into(),
            lines: vec![
                format!("填报单位：{}", v.office_name),
                format!("统计期间：{}", v.period_label),
                "单位：件".into(),
            ],
            header: vec![
                "审查人员".into(),
                "周（自星期一）".into(),
                "初审决定".into(),
                "终审决定".into(),
            ],
            rows: w
                .iter()
                .map(|r| {
                    vec![
                        Cell::Text(r.staff_name.clone()),
                        Cell::Text(r.week.format("%Y-%m-%d").to_string()),
                        Cell::Count(r.first_review),
                        Cell::Count(r.final_review),
                    ]
                })
                .collect(),
            total: None,
            notes: Vec::new(),
            widths: Vec::new(),
        });
    }
    out
}

impl Store {
    /// 统计报表的文件：文件名与内容（xlsx 或 PDF）。
    pub fn report_document(&self, session: &Session, input: &ReportExportInput) -> Result<(String, Vec<u8>)> {
        let (title, period, office, tables) = match input.kind {
            ReportKind::MonthlyForm => {
                let v = self.monthly_form(session, &input.stats)?;
                let t = vec![monthly_form_table(&v)];
                (v.title, v.period_label, v.office_code, t)
            }
            ReportKind::Announcement => {
                let v = self.announcement(session, &input.stats)?;
                let t = announcement_tables(&v);
                (v.title, v.period_label, v.office_code, t)
            }
            ReportKind::Summary => {
                let v = self.stats_summary(session, &input.stats)?;
                let t = summary_tables(&v);
                ("作品登记情况汇总".to_string(), v.period_label, v.office_code, t)
            }
            ReportKind::Supervisor => {
                let v = self.supervisor_stats(session, &input.stats)?;
                let t = supervisor_tables(&v);
                ("统计概览".to_string(), v.period_label, v.office_code, t)
            }
        };
        let bytes = match input.format {
            ReportFormat::Xlsx => regdesk_print::report_xlsx(&tables),
            ReportFormat::Pdf => regdesk_print::report_pdf(&format!("{title} {period}"), &tables),
        }
        .map_err(|e| crate::error::StoreError::Refused {
            code: "report_output".into(),
            message: format!("{title}无法生成：{e}"),
        })?;
        let ext = match input.format {
            ReportFormat::Xlsx => "xlsx",
            ReportFormat::Pdf => "pdf",
        };
        Ok((format!("{title}-{period}-{office}.{ext}"), bytes))
    }
}
