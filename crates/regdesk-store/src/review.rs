//! 审查（docs/DOMAIN.md §7–§8）：初审（通过、退回补正、拟不予登记）、终审（通过并分配登记号、
//! 退回初审、确认不予登记）、补正后重新提交、补正逾期视为撤回、撤销登记，以及疑似重复登记的提示。
//!
//! 每项操作都是一条命令：一个事务、一条日志、一条审计记录；状态变化一律经由领域层的
//! `lifecycle::execute`（岗位、状态与“初审终审不得为同一人”都由它检查）。
//!
//! 登记号在终审通过的同一事务中从计数器（按前缀、年份、类别字母）分配，并写入登记号台账；
//! 终审被拒绝时事务整体回滚，号码不被消耗。台账中的号码只会变为已作废或已撤销，永不删除、
//! 永不重用。

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone, Utc};
use regdesk_domain::category::WorkCategory;
use regdesk_domain::lifecycle::{self, CaseCommand, CaseState, CommandKind, RefusalGround, RevocationGround};
use regdesk_domain::regno::RegistrationNumber;
use regdesk_domain::staff::PermissionDenied;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::cases::{at_version, corrupt, detail, load, CaseDetail, Row};
use crate::codes::{code, from_code};
use crate::error::{Result, StoreError};
use crate::journal::uuid_v7;
use crate::session::{actor, Session};
use crate::{office_date, Store, OFFICE_UTC_OFFSET_HOURS};

// ---------------------------------------------------------------- inputs and views

/// 初审决定。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ReviewDecision {
    /// 初审通过，进入待终审
    Pass,
    /// 退回补正；补正期限按系统设置自动计算
    ReturnForCorrection { reasons: Vec<String> },
    /// 拟不予登记，交终审确认
    ProposeRefusal { ground: RefusalGround, note: String },
}

impl ReviewDecision {
    fn kind(&self) -> CommandKind {
        match self {
            ReviewDecision::Pass => CommandKind::PassFirstReview,
            ReviewDecision::ReturnForCorrection { .. } => CommandKind::ReturnForCorrection,
            ReviewDecision::ProposeRefusal { .. } => CommandKind::ProposeRefusal,
        }
    }
}

/// 初审：案件、读到的版本与决定。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReviewDecisionInput {
    pub case_id: String,
    #[ts(type = "number")]
    pub version: i64,
    pub decision: ReviewDecision,
}

/// 终审决定。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum FinalDecision {
    /// 终审通过：分配登记号，案件已登记
    Approve,
    /// 退回初审（须写明意见）
    SendBack { note: String },
    /// 确认不予登记（已缴费的应退费）
    ConfirmRefusal,
}

impl FinalDecision {
    fn kind(&self) -> CommandKind {
        match self {
            FinalDecision::Approve => CommandKind::Approve,
            FinalDecision::SendBack { .. } => CommandKind::SendBackToFirstReview,
            FinalDecision::ConfirmRefusal => CommandKind::ConfirmRefusal,
        }
    }
}

/// 终审：案件、读到的版本与决定。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FinalDecisionInput {
    pub case_id: String,
    #[ts(type = "number")]
    pub version: i64,
    pub decision: FinalDecision,
}

/// 撤销登记（系统管理员）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RevokeInput {
    pub case_id: String,
    #[ts(type = "number")]
    pub version: i64,
    pub ground: RevocationGround,
    pub note: String,
}

/// 补正并重新签章后重新提交（窗口）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ResubmitInput {
    pub case_id: String,
    #[ts(type = "number")]
    pub version: i64,
}

/// 撤回（窗口）：申请人的撤回申请，带读到的版本与撤回原因。
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WithdrawInput {
    pub case_id: String,
    #[ts(type = "number")]
    pub version: i64,
    /// 撤回原因（如 申请人书面申请撤回）
    pub reason: String,
}

/// 疑似重复登记的案件。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DuplicateView {
    pub case_id: String,
    /// 流水号
    pub serial: String,
    /// 作品名称
    pub title: String,
    pub state_label: String,
    pub registration_number: Option<String>,
    pub applicant_name: String,
    /// 历史登记（旧平台的登记，没有案件可打开；`case_id` 与 `serial` 为空）
    pub historic: bool,
}

/// 审查记录的一条：谁、何时、做了什么决定及其理由。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReviewRecordView {
    pub at: DateTime<Utc>,
    pub staff_id: String,
    pub staff_name: String,
    pub command: CommandKind,
    pub command_label: String,
    /// 补正理由
    pub reasons: Vec<String>,
    /// 不予登记或撤销登记的理由
    pub ground_label: Option<String>,
    /// 意见或说明
    pub note: String,
    /// 补正期限
    pub deadline: Option<DateTime<Utc>>,
    pub registration_number: Option<String>,
}

// ---------------------------------------------------------------- helpers

fn refused(code: &str, message: impl Into<String>) -> StoreError {
    StoreError::Refused {
        code: code.to_string(),
        message: message.into(),
    }
}

fn lifecycle_refused(e: lifecycle::Refusal) -> StoreError {
    refused(e.code(), e.to_string())
}

/// 检查岗位（在读取案件之前，错误归为“权限不足”）。
fn require_kind(who: &lifecycle::Actor, kind: CommandKind) -> Result<()> {
    let needed = kind.roles();
    if who.roles.iter().any(|r| needed.contains(r)) {
        return Ok(());
    }
    Err(PermissionDenied {
        action: kind.label().to_string(),
        needed: needed.iter().map(|r| r.label()).collect::<Vec<_>>().join("或"),
    }
    .into())
}

/// 办公地某日的最后一秒（23:59:59，北京时间）。
fn end_of_office_day(day: NaiveDate) -> Result<DateTime<Utc>> {
    FixedOffset::east_opt(OFFICE_UTC_OFFSET_HOURS * 3600)
        .and_then(|o| {
            day.and_hms_opt(23, 59, 59)
                .and_then(|t| o.from_local_datetime(&t).single())
        })
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| {
            refused(
                "date_out_of_range",
                format!("日期 {day} 超出可计算的范围，请检查系统时间"),
            )
        })
}

/// 补正期限：以退回之日（办公地日期）为补正通知日，按系统设置的补正期限（自然日）计算，
/// 至该日 23:59:59（北京时间）止。
fn correction_deadline(conn: &Connection, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
    let day = crate::settings::periods_of(conn)?
        .correction_deadline(office_date(now))
        .map_err(|e| {
            refused(
                e.code(),
                format!("无法计算补正期限：{e}。请管理员在系统设置中检查补正期限"),
            )
        })?;
    end_of_office_day(day)
}

/// 登记号中各作品类别的字母：the letter table in force on the day of approval
/// (`category_letter_tables`, else the built-in `regno::CategoryLetters`).
fn letter_of(conn: &Connection, category: WorkCategory, day: NaiveDate) -> Result<char> {
    let (_, letters) = crate::certificates::letters_on(conn, day)?;
    letters.letter_of(category).ok_or_else(|| {
        refused(
            "missing_category",
            format!("类别字母表中没有“{}”，无法分配登记号，请联系信息科", category.label()),
        )
    })
}

/// 分配下一个登记号并记入台账（在终审通过的事务中调用）。
fn allocate_number(tx: &Transaction<'_>, row: &Row, staff_id: &str, now: DateTime<Utc>) -> Result<String> {
    let prefix: String = tx
        .query_row("SELECT reg_prefix FROM office WHERE id = 1", [], |r| r.get(0))
        .optional()?
        .ok_or(StoreError::NotSetUp)?;
    let category = row.draft.work.category.ok_or_else(|| {
        refused(
            "no_category",
            "本案没有填写作品类别，无法分配登记号：请退回初审，由窗口补正作品类别后重新提交",
        )
    })?;
    let letter_char = letter_of(tx, category, office_date(now))?;
    let letter = letter_char.to_string();
    let year = office_date(now).year();
    tx.execute(
        "INSERT INTO registration_counters (prefix, year, letter, last) VALUES (?1, ?2, ?3, 1)
         ON CONFLICT (prefix, year, letter) DO UPDATE SET last = last + 1",
        params![prefix, year, letter],
    )?;
    let last: i64 = tx.query_row(
        "SELECT last FROM registration_counters WHERE prefix = ?1 AND year = ?2 AND letter = ?3",
        params![prefix, year, letter],
        |r| r.get(0),
    )?;
    let serial = u64::try_from(last).map_err(|_| StoreError::Corrupt(format!("登记号计数器的值 {last} 无效")))?;
    let number = RegistrationNumber::new(&prefix, year, letter_char, serial)
        .map_err(|e| {
            refused(
                e.code(),
                format!("无法生成登记号：{e}。请管理员检查登记机构的登记号前缀"),
            )
        })?
        .to_string();
    let taken: Option<String> = tx
        .query_row(
            "SELECT state FROM registration_numbers WHERE number = ?1 OR (prefix = ?2 AND year = ?3 AND letter = ?4
             AND serial = ?5)",
            params![number, prefix, year, letter, last],
            |r| r.get(0),
        )
        .optional()?;
    if taken.is_some() {
        return Err(StoreError::Corrupt(format!(
            "登记号 {number} 已在登记号台账中，计数器与台账不一致。请联系信息科核对台账后再终审"
        )));
    }
    tx.execute(
        "INSERT INTO registration_numbers (number, prefix, year, letter, serial, case_id, state, issued_at, issued_by,
            check_code)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'used', ?7, ?8, ?9)",
        params![
            number,
            prefix,
            year,
            letter,
            last,
            row.id,
            now,
            staff_id,
            crate::certificates::new_check_code()
        ],
    )?;
    Ok(number)
}

/// On an enrolled station: the lowest serial the server leased to this station
/// for the case's prefix/year/letter, recorded as used by the case and entered
/// in the ledger as today's numbering does; `None` when no leased number is
/// left (or the case has no category): the approval then waits for the
/// server's number (待编号).
fn take_leased_number(tx: &Transaction<'_>, row: &Row, staff_id: &str, now: DateTime<Utc>) -> Result<Option<String>> {
    let prefix: Option<String> = tx
        .query_row("SELECT reg_prefix FROM office WHERE id = 1", [], |r| r.get(0))
        .optional()?;
    let (Some(prefix), Some(category)) = (prefix, row.draft.work.category) else {
        return Ok(None);
    };
    let Ok(letter_char) = letter_of(tx, category, office_date(now)) else {
        return Ok(None);
    };
    let letter = letter_char.to_string();
    let year = office_date(now).year();
    let serial: Option<i64> = tx
        .query_row(
            "SELECT min(serial) FROM sync_number_leases
             WHERE prefix = ?1 AND year = ?2 AND letter = ?3 AND state = 'held'",
            params![prefix, year, letter],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    let Some(serial) = serial else { return Ok(None) };
    let number = RegistrationNumber::new(&prefix, year, letter_char, serial.unsigned_abs())
        .map_err(|e| StoreError::Corrupt(format!("本站持有的号段无效：{e}")))?
        .to_string();
    tx.execute(
        "UPDATE sync_number_leases SET state = 'used', case_id = ?5, changed_at = ?6
         WHERE prefix = ?1 AND year = ?2 AND letter = ?3 AND serial = ?4",
        params![prefix, year, letter, serial, row.id, now],
    )?;
    tx.execute(
        "INSERT INTO registration_numbers (number, prefix, year, letter, serial, case_id, state, issued_at, issued_by,
            check_code)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'used', ?7, ?8, ?9)",
        params![
            number,
            prefix,
            year,
            letter,
            serial,
            row.id,
            now,
            staff_id,
            crate::certificates::new_check_code()
        ],
    )?;
    Ok(Some(number))
}

/// 记入审查记录：从命令与执行后的案件事实中取出理由、期限与登记号。
fn log_review(
    tx: &Transaction<'_>,
    row: &Row,
    cmd: &CaseCommand,
    who: &lifecycle::Actor,
    now: DateTime<Utc>,
) -> Result<()> {
    let f = &row.facts;
    let mut reasons: Vec<String> = Vec::new();
    let mut ground: Option<String> = None;
    let mut note = String::new();
    let mut deadline: Option<DateTime<Utc>> = None;
    let mut number: Option<String> = None;
    match cmd {
        CaseCommand::ReturnForCorrection { .. } | CaseCommand::ExpireCorrection => {
            if let Some(c) = &f.correction {
                reasons = c.reasons.clone();
                deadline = Some(c.deadline);
            }
        }
        CaseCommand::ProposeRefusal { .. } | CaseCommand::ConfirmRefusal => {
            if let Some(p) = &f.refusal_proposal {
                ground = Some(code(p.ground));
                note = p.note.clone();
            }
        }
        CaseCommand::SendBackToFirstReview { note: n } | CaseCommand::Withdraw { reason: n } => {
            note = n.trim().to_string()
        }
        CaseCommand::Approve { registration_number } => number = registration_number.clone(),
        CaseCommand::Revoke { .. } => {
            if let Some(r) = &f.revocation {
                ground = Some(code(r.ground));
                note = r.note.clone();
            }
            number = f.registration_number.clone();
        }
        _ => {}
    }
    tx.execute(
        "INSERT INTO review_log (id, case_id, command, staff_id, at, reasons, ground, note, deadline,
                                 registration_number)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            uuid_v7(now).to_string(),
            row.id,
            code(cmd.kind()),
            (!who.is_office_rule()).then(|| who.id()),
            now,
            serde_json::to_string(&reasons).map_err(corrupt)?,
            ground,
            note,
            deadline,
            number
        ],
    )?;
    Ok(())
}

/// 作品名称比对用的形式：去掉空白与标点，英文字母转小写。
fn normalize_title(title: &str) -> String {
    title
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// 名称相同或相近：规范化后相同，或较短者（至少 4 个字）包含于较长者之中。
fn titles_similar(a: &str, b: &str) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a == b {
        return true;
    }
    let (short, long) = if a.chars().count() <= b.chars().count() {
        (a, b)
    } else {
        (b, a)
    };
    short.chars().count() >= 4 && long.contains(short)
}

/// 案件的著作权人姓名与申请人名称（去掉首尾空白，去重）。
fn party_names(row: &Row) -> BTreeSet<String> {
    row.draft
        .owners
        .iter()
        .map(|o| o.name.trim().to_string())
        .chain(std::iter::once(row.applicant_name.trim().to_string()))
        .filter(|n| !n.is_empty())
        .collect()
}

/// 可能与之重复的案件所处的状态：已登记，或已提交尚未办结（草稿除外）。
fn counts_for_duplicates(state: CaseState) -> bool {
    state.is_registered() || (state.is_open() && state != CaseState::Draft)
}

/// The ids of the cases in a correction whose deadline has passed, by serial.
/// The cases with a correction notice whose deadline's UTC day is `?1` or earlier,
/// from their index (named: the planner would otherwise take the state's index
/// and read every case waiting for signatures).
const OVERDUE_SQL: &str = "SELECT id, facts, facts_format FROM cases INDEXED BY cases_correction_due
     WHERE state IN ('returned_for_correction', 'awaiting_signatures')
     AND json_extract(facts, '$.correction') IS NOT NULL
     AND substr(json_extract(facts, '$.correction.deadline'), 1, 10) <= ?1 ORDER BY serial";

fn overdue_corrections(conn: &Connection, now: DateTime<Utc>) -> Result<Vec<String>> {
    // The cases whose deadline's (UTC) day has come, from their index
    // (migration 031); each is then decided to the second below.
    let mut stmt = conn.prepare_cached(OVERDUE_SQL)?;
    let today = now.format("%Y-%m-%d").to_string();
    let rows = stmt
        .query_map([today], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::new();
    for (id, facts, format) in rows {
        let facts = crate::cases::read_facts(format, &facts)?;
        if facts.correction.is_some_and(|c| now > c.deadline) {
            out.push(id);
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------- the commands

impl Store {
    /// 初审（初审岗位）：通过、退回补正（补正期限按设置自动计算）或拟不予登记。
    /// 做过本案终审的人不能初审本案。
    pub fn first_review(&self, session: &Session, input: &ReviewDecisionInput) -> Result<CaseDetail> {
        let who = actor(&self.conn(), self.now(), Some(session), None)?;
        require_kind(&who, input.decision.kind())?;
        self.run(Some(&who.staff_id.0), "first_review", |tx, now| {
            let row = at_version(tx, &input.case_id, input.version)?;
            let cmd = match &input.decision {
                ReviewDecision::Pass => CaseCommand::PassFirstReview,
                ReviewDecision::ReturnForCorrection { reasons } => CaseCommand::ReturnForCorrection {
                    reasons: reasons.clone(),
                    deadline: correction_deadline(tx, now)?,
                },
                ReviewDecision::ProposeRefusal { ground, note } => CaseCommand::ProposeRefusal {
                    ground: *ground,
                    note: note.clone(),
                },
            };
            let (change, row) = self.apply_case_row(tx, row, &cmd, &who, now)?;
            log_review(tx, &row, &cmd, &who, now)?;
            Ok((change, detail(row)))
        })
    }

    /// 终审（终审岗位）：通过（在同一事务中分配登记号）、退回初审或确认不予登记。
    /// 做过本案初审的人不能终审本案。
    pub fn final_review(&self, session: &Session, input: &FinalDecisionInput) -> Result<CaseDetail> {
        let who = actor(&self.conn(), self.now(), Some(session), None)?;
        require_kind(&who, input.decision.kind())?;
        self.run(Some(&who.staff_id.0), "final_review", |tx, now| {
            let row = at_version(tx, &input.case_id, input.version)?;
            let cmd = match &input.decision {
                // On a station enrolled with the central server the number is
                // one the server leased to this station, else it comes from the
                // server in the transaction that accepts this approval: the
                // case is registered 待编号 until sync brings it.
                FinalDecision::Approve if crate::sync::is_enrolled(tx)? => {
                    let probe = CaseCommand::Approve {
                        registration_number: None,
                    };
                    lifecycle::decide(&row.facts, &probe, &who, now).map_err(lifecycle_refused)?;
                    CaseCommand::Approve {
                        registration_number: take_leased_number(tx, &row, &who.staff_id.0, now)?,
                    }
                }
                FinalDecision::Approve => {
                    // Check state, roles and four eyes before a number is taken.
                    let probe = CaseCommand::Approve {
                        registration_number: None,
                    };
                    lifecycle::decide(&row.facts, &probe, &who, now).map_err(lifecycle_refused)?;
                    CaseCommand::Approve {
                        registration_number: Some(allocate_number(tx, &row, &who.staff_id.0, now)?),
                    }
                }
                FinalDecision::SendBack { note } => CaseCommand::SendBackToFirstReview { note: note.clone() },
                FinalDecision::ConfirmRefusal => CaseCommand::ConfirmRefusal,
            };
            let (change, row) = self.apply_case_row(tx, row, &cmd, &who, now)?;
            if let CaseCommand::Approve {
                registration_number: Some(registration_number),
            } = &cmd
            {
                // The case is found by its number from now on.
                let search_rowid: Option<i64> =
                    tx.query_row("SELECT search_rowid FROM cases WHERE id = ?1", [&row.id], |r| r.get(0))?;
                if let Some(rowid) = search_rowid {
                    tx.execute(
                        "UPDATE case_search SET body = body || ' ' || ?2 WHERE rowid = ?1",
                        params![rowid, registration_number],
                    )?;
                    let body: String =
                        tx.query_row("SELECT body FROM case_search WHERE rowid = ?1", [rowid], |r| r.get(0))?;
                    crate::grams::put(tx, rowid, &body)?;
                }
            }
            log_review(tx, &row, &cmd, &who, now)?;
            Ok((change, detail(row)))
        })
    }

    /// 重新提交（窗口）：退回补正的案件修改并全部重新签章后，不再缴费，回到待初审；
    /// 办结时限自重新提交之日起重新计算。
    pub fn resubmit(&self, session: &Session, input: &ResubmitInput) -> Result<CaseDetail> {
        let who = actor(&self.conn(), self.now(), Some(session), None)?;
        require_kind(&who, CommandKind::Resubmit)?;
        self.run(Some(&who.staff_id.0), "resubmit", |tx, now| {
            let row = at_version(tx, &input.case_id, input.version)?;
            let cmd = CaseCommand::Resubmit;
            let (change, row) = self.apply_case_row(tx, row, &cmd, &who, now)?;
            log_review(tx, &row, &cmd, &who, now)?;
            Ok((change, detail(row)))
        })
    }

    /// 撤回（窗口）：申请人书面申请撤回一件尚未办结的作品；登记前的任何状态都可以，
    /// 规则由案件状态机决定（须写明原因）。原因记入审查记录。
    pub fn withdraw(&self, session: &Session, input: &WithdrawInput) -> Result<CaseDetail> {
        let who = actor(&self.conn(), self.now(), Some(session), None)?;
        require_kind(&who, CommandKind::Withdraw)?;
        self.run(Some(&who.staff_id.0), "withdraw", |tx, now| {
            let row = at_version(tx, &input.case_id, input.version)?;
            let cmd = CaseCommand::Withdraw {
                reason: input.reason.clone(),
            };
            let (change, row) = self.apply_case_row(tx, row, &cmd, &who, now)?;
            log_review(tx, &row, &cmd, &who, now)?;
            Ok((change, detail(row)))
        })
    }

    /// 补正逾期视为撤回（有人登录时）：the same as [`Store::expire_corrections_due`]
    /// for anyone signed in here; the cases withdrawn, by serial.
    pub fn expire_corrections(&self, session: &Session) -> Result<Vec<String>> {
        actor(&self.conn(), self.now(), Some(session), None)?;
        self.expire_corrections_due()
    }

    /// 补正逾期视为撤回：every correction left past its deadline is withdrawn,
    /// one command each, by the office's rules themselves (no person: the
    /// journal and the review history name none). The shell runs it on start
    /// and every hour whoever is signed in, the CLI on demand; the domain
    /// refuses a case whose deadline has not passed. Returns the serials.
    pub fn expire_corrections_due(&self) -> Result<Vec<String>> {
        let due = overdue_corrections(&self.conn(), self.now())?;
        let rule = lifecycle::Actor::office_rule();
        let mut withdrawn = Vec::new();
        for id in due {
            let done = self.run(None, "expire_correction", |tx, now| {
                let row = load(tx, &id)?;
                let cmd = CaseCommand::ExpireCorrection;
                let (change, row) = self.apply_case_row(tx, row, &cmd, &rule, now)?;
                log_review(tx, &row, &cmd, &rule, now)?;
                Ok((change, row.serial))
            });
            match done {
                Ok(serial) => withdrawn.push(serial),
                // Resubmitted or withdrawn in the meantime: nothing to do for this case.
                Err(StoreError::Refused { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(withdrawn)
    }

    /// 撤销登记（系统管理员）：案件变为已撤销；登记号保留在案件和台账中（台账标为已撤销），
    /// 永不再分配。
    pub fn revoke_registration(&self, session: &Session, input: &RevokeInput) -> Result<CaseDetail> {
        let who = actor(&self.conn(), self.now(), Some(session), None)?;
        require_kind(&who, CommandKind::Revoke)?;
        self.run(Some(&who.staff_id.0), "revoke_registration", |tx, now| {
            let row = at_version(tx, &input.case_id, input.version)?;
            let cmd = CaseCommand::Revoke {
                ground: input.ground,
                note: input.note.clone(),
            };
            let (change, row) = self.apply_case_row(tx, row, &cmd, &who, now)?;
            if let Some(number) = &row.facts.registration_number {
                let note = input.note.trim();
                let reason = if note.is_empty() {
                    input.ground.label().to_string()
                } else {
                    format!("{}：{note}", input.ground.label())
                };
                let n = tx.execute(
                    "UPDATE registration_numbers SET state = 'revoked', changed_at = ?2, changed_by = ?3, reason = ?4
                     WHERE number = ?1 AND state = 'used'",
                    params![number, now, who.staff_id.0, reason],
                )?;
                if n != 1 {
                    return Err(StoreError::Corrupt(format!(
                        "登记号 {number} 不在登记号台账中或已不是“已使用”，请联系信息科核对台账"
                    )));
                }
                // The certificate is recalled: its sheets are no longer valid and it is never printed again.
                crate::certificates::recall_sheets(tx, number, &who.staff_id.0, now, &format!("撤销登记：{reason}"))?;
            }
            log_review(tx, &row, &cmd, &who, now)?;
            Ok((change, detail(row)))
        })
    }

    /// 疑似重复登记：作品名称相同或相近（去掉空白和标点后相同，或一方包含另一方且至少 4 个字），
    /// 且著作权人或申请人相同的已登记或已提交未办结的案件（不含本案）。
    pub fn possible_duplicates(&self, session: &Session, case_id: &str) -> Result<Vec<DuplicateView>> {
        let conn = self.conn();
        actor(&conn, self.now(), Some(session), None)?;
        let me = load(&conn, case_id)?;
        let title = normalize_title(&me.draft.work.title);
        let names = party_names(&me);
        if title.is_empty() || names.is_empty() {
            return Ok(Vec::new());
        }
        let mut ids = BTreeSet::new();
        for name in &names {
            let (cond, param) = Store::search_filter(name);
            let mut stmt = conn.prepare(&format!("SELECT id FROM cases WHERE {cond} LIMIT 1000"))?;
            for id in stmt.query_map([param], |r| r.get::<_, String>(0))? {
                ids.insert(id?);
            }
        }
        ids.remove(&me.id);
        let mut out = Vec::new();
        for id in ids {
            let other = load(&conn, &id)?;
            if !counts_for_duplicates(other.state)
                || !titles_similar(&title, &normalize_title(&other.draft.work.title))
                || party_names(&other).is_disjoint(&names)
            {
                continue;
            }
            out.push(DuplicateView {
                case_id: other.id,
                serial: other.serial,
                title: other.draft.work.title,
                state_label: other.state.label().to_string(),
                registration_number: other.registration_number,
                applicant_name: other.applicant_name,
                historic: false,
            });
        }
        out.sort_by(|a, b| a.serial.cmp(&b.serial));
        // The old register's registrations by the same owners with a like title.
        let mut numbers = BTreeSet::new();
        for name in &names {
            let like = format!(
                "%{}%",
                name.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
            );
            for h in crate::register::historic_where(&conn, "h.owners LIKE ?1 ESCAPE '\\' LIMIT 1000", &[&like])? {
                let owners: BTreeSet<String> = h.owners.iter().map(|o| o.trim().to_string()).collect();
                if !h.revoked
                    && titles_similar(&title, &normalize_title(&h.title))
                    && !owners.is_disjoint(&names)
                    && numbers.insert(h.number.clone())
                {
                    out.push(DuplicateView {
                        case_id: String::new(),
                        serial: String::new(),
                        title: h.title,
                        state_label: "历史登记".into(),
                        registration_number: Some(h.number),
                        applicant_name: h.owners.join("、"),
                        historic: true,
                    });
                }
            }
        }
        Ok(out)
    }

    /// 审查记录（按时间先后）：初审、终审、补正、重新提交、撤回与撤销的决定及理由。
    pub fn review_history(&self, session: &Session, case_id: &str) -> Result<Vec<ReviewRecordView>> {
        let conn = self.conn();
        actor(&conn, self.now(), Some(session), None)?;
        let id = load(&conn, case_id)?.id;
        let mut stmt = conn.prepare(
            "SELECT l.at, COALESCE(l.staff_id, ''), COALESCE(s.display_name, l.staff_id, '到期自动处理'), l.command, l.reasons, l.ground, l.note,
                    l.deadline, l.registration_number
             FROM review_log l LEFT JOIN staff s ON s.id = l.staff_id
             WHERE l.case_id = ?1 ORDER BY l.at, l.rowid",
        )?;
        let raws = stmt
            .query_map([&id], |r| {
                Ok((
                    r.get::<_, DateTime<Utc>>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, Option<DateTime<Utc>>>(7)?,
                    r.get::<_, Option<String>>(8)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        raws.into_iter()
            .map(
                |(at, staff_id, staff_name, command, reasons, ground, note, deadline, number)| {
                    let command: CommandKind = from_code("审查操作", &command)?;
                    let ground_label = ground.map(|g| {
                        from_code::<RefusalGround>("不予登记理由", &g)
                            .map(|x| x.label().to_string())
                            .or_else(|_| from_code::<RevocationGround>("撤销理由", &g).map(|x| x.label().to_string()))
                            .unwrap_or(g)
                    });
                    Ok(ReviewRecordView {
                        at,
                        staff_id,
                        staff_name,
                        command_label: command.label().to_string(),
                        command,
                        reasons: serde_json::from_str(&reasons).map_err(corrupt)?,
                        ground_label,
                        note,
                        deadline,
                        registration_number: number,
                    })
                },
            )
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use crate::tests::raw_db;
    use chrono::{Duration, NaiveDate, TimeZone, Utc};
    use regdesk_domain::category::WorkCategory;
    use regdesk_domain::lifecycle::{CaseState, PaymentMethod, RefusalGround, RevocationGround};
    use regdesk_domain::payment::{TransferCommand, TransferInput};
    use regdesk_domain::regno::CategoryLetters;
    use regdesk_domain::signature::{SignatureMethod, SignerRef};

    use super::*;
    use crate::tests::{fixture, Fixture};
    use crate::*;

    struct Office {
        f: Fixture,
        admin: Session,
        clerk: Session,
        chen: Session,
        he: Session,
        li: Session,
        zhang: Session,
        qian: Session,
    }

    fn login(f: &Fixture, user: &str) -> Session {
        f.store
            .login(&LoginInput {
                username: user.into(),
                password: crate::demo::DEMO_PASSWORD.into(),
            })
            .unwrap()
    }

    /// The sample office with `cases` filings, and 2027 loaded (deadlines of late-2026 cases run into it).
    fn office(cases: u32) -> Office {
        let f = fixture();
        crate::demo::fill(&f.store, cases).unwrap();
        let admin = login(&f, "admin");
        f.store
            .load_calendar_year(&admin, "year 2027\nsource 测试用\noff 2027-01-01 元旦\n")
            .unwrap();
        everyone(f)
    }

    /// Everyone signs in (again).
    fn everyone(f: Fixture) -> Office {
        Office {
            admin: login(&f, "admin"),
            clerk: login(&f, "wangli"),
            chen: login(&f, "chenxy"),
            he: login(&f, "hejun"),
            li: login(&f, "liwen"),
            zhang: login(&f, "zhangwei"),
            qian: login(&f, "qianfang"),
            f,
        }
    }

    /// The clock set to `t`, days later: the idle lock has locked everyone, who sign in again.
    fn at(o: Office, t: chrono::DateTime<Utc>) -> Office {
        o.f.clock.set(t);
        everyone(o.f)
    }

    fn journal(o: &Office) -> i64 {
        let c = raw_db(o.f.store.path()).unwrap();
        c.query_row("SELECT COUNT(*) FROM journal", [], |r| r.get(0)).unwrap()
    }

    fn facts(o: &Office, id: &str) -> lifecycle::CaseFacts {
        load(&o.f.store.conn(), id).unwrap().facts
    }

    /// Runs `f`, checking that it adds exactly one journal entry.
    fn one<T>(o: &Office, f: impl FnOnce() -> T) -> T {
        let before = journal(o);
        let out = f();
        assert_eq!(journal(o), before + 1, "one command, one journal entry");
        out
    }

    /// Pays the cases awaiting payment (recorded by 陈晓燕, confirmed by 何军): they enter 待初审.
    fn pay_all(o: &Office) -> Vec<CaseDetail> {
        let open: Vec<String> =
            o.f.store
                .payment_cases(&o.chen, &PaymentCasesInput { search: None })
                .unwrap()
                .into_iter()
                .filter(|r| r.state == CaseState::AwaitingPayment)
                .map(|r| r.case_id)
                .collect();
        assert!(!open.is_empty());
        let t =
            o.f.store
                .record_transfer(
                    &o.chen,
                    &RecordTransferInput {
                        transfer: TransferInput {
                            method: PaymentMethod::BankTransfer,
                            payer: "林晓雨".into(),
                            payer_account: "6222 0202 0001 2345 678".into(),
                            payer_bank: "工商银行杭州分行".into(),
                            amount_fen: 15_000 * open.len() as i64,
                            received_at: NaiveDate::from_ymd_opt(2026, 11, 25)
                                .unwrap()
                                .and_hms_opt(9, 5, 0)
                                .unwrap(),
                            reference: "ICBC20261125777".into(),
                            purpose: "作品登记费".into(),
                        },
                        receipt_file_id: None,
                        shares: open
                            .iter()
                            .map(|id| ShareInput {
                                case_id: id.clone(),
                                amount_fen: 15_000,
                            })
                            .collect(),
                    },
                )
                .unwrap();
        o.f.store
            .check_transfer(
                &o.he,
                &CheckTransferInput {
                    id: t.id,
                    version: t.version,
                    command: TransferCommand::Confirm,
                },
            )
            .unwrap();
        open.iter()
            .map(|id| {
                let d = o.f.store.case_detail(&o.li, id).unwrap();
                assert_eq!(d.state, CaseState::AwaitingFirstReview);
                d
            })
            .collect()
    }

    fn decide(o: &Office, s: &Session, d: &CaseDetail, decision: ReviewDecision) -> Result<CaseDetail> {
        o.f.store.first_review(
            s,
            &ReviewDecisionInput {
                case_id: d.id.clone(),
                version: d.version,
                decision,
            },
        )
    }

    fn finish(o: &Office, s: &Session, d: &CaseDetail, decision: FinalDecision) -> Result<CaseDetail> {
        o.f.store.final_review(
            s,
            &FinalDecisionInput {
                case_id: d.id.clone(),
                version: d.version,
                decision,
            },
        )
    }

    fn number(d: &CaseDetail, serial: u32) -> String {
        let letter = CategoryLetters::default()
            .letter_of(d.draft.work.category.unwrap())
            .unwrap();
        format!("浙作登字-2026-{letter}-{serial:08}")
    }

    fn ledger(o: &Office) -> Vec<(String, i64, String, Option<String>)> {
        let c = o.f.store.conn();
        let mut stmt = c
            .prepare("SELECT number, serial, state, case_id FROM registration_numbers ORDER BY number")
            .unwrap();
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<rusqlite::Result<Vec<_>>>()
            .unwrap();
        rows
    }

    #[test]
    fn an_enrolled_station_registers_an_approval_awaiting_the_servers_number() {
        let o = office(9);
        let paid = pay_all(&o);
        let a = &paid[0];
        o.f.store
            .save_enrolment(&o.admin, &crate::tests::enrolment("终审室"))
            .unwrap();
        let a1 = decide(&o, &o.qian, a, ReviewDecision::Pass).unwrap();
        // Four eyes still hold: 钱芳 may not approve what she passed.
        let e = finish(&o, &o.qian, &a1, FinalDecision::Approve).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Refused);
        let a2 = finish(&o, &o.zhang, &a1, FinalDecision::Approve).unwrap();
        assert_eq!(a2.state, CaseState::Registered);
        assert_eq!(a2.registration_number, None);
        assert!(a2.number_pending && a2.registered);
        assert!(ledger(&o).is_empty(), "no number is taken at the station");
        let counters: i64 =
            o.f.store
                .conn()
                .query_row("SELECT COUNT(*) FROM registration_counters", [], |r| r.get(0))
                .unwrap();
        assert_eq!(counters, 0);
        assert_eq!(facts(&o, &a.id).registered_at, Some(o.f.clock.now()));
        // The approval goes to the server, which adds the number; no certificate before it.
        let out = o.f.store.outbox(500).unwrap();
        let approval = out.iter().find(|e| e.command == "final_review").unwrap();
        assert!(approval.effects.iter().any(|e| e.table == "cases"));
        assert!(approval.effects.iter().all(|e| !e.table.starts_with("registration_")));
        let liu = login(&o.f, "liuyang");
        let e = o.f.store.certificate_pdf(&liu, &a2.serial).unwrap_err();
        assert!(e.to_string().contains("待编号"), "{e}");
        let queue =
            o.f.store
                .certificate_queue(&liu, &CertificateQueueFilter::default())
                .unwrap()
                .rows;
        assert!(queue.iter().all(|r| r.case_id != a.id));
        assert!(o.f.store.verify_audit().unwrap().ok);
    }

    #[test]
    fn an_enrolled_station_approves_with_its_leased_numbers_then_waits() {
        use regdesk_sync::protocol::{Cell, EntryVerdict, HeldSerials, LeaseReply, RejectCode, SeriesKey, Verdict};
        let o = office(9);
        let paid = pay_all(&o);
        // Not enrolled: nothing to ask the server.
        assert_eq!(o.f.store.lease_request().unwrap(), None);
        o.f.store
            .save_enrolment(&o.admin, &crate::tests::enrolment("终审室"))
            .unwrap();
        let passed: Vec<CaseDetail> = paid
            .iter()
            .map(|c| decide(&o, &o.qian, c, ReviewDecision::Pass).unwrap())
            .collect();
        // The station asks for the series of the cases waiting for final review (three categories).
        let request = o.f.store.lease_request().unwrap().unwrap();
        assert!(request.give_back.is_empty());
        assert_eq!(request.top_up.len(), 3, "{request:?}");
        // The server leases two of them.
        let (s0, s1) = (request.top_up[0].clone(), request.top_up[1].clone());
        let held = |s: &SeriesKey, runs: Vec<(u64, u64)>| HeldSerials {
            series: s.clone(),
            runs,
        };
        let reply = LeaseReply {
            held: vec![held(&s0, vec![(7, 8)]), held(&s1, vec![(7, 8)])],
            not_taken_back: vec![],
            lease_size: 2,
            refill_at: 0,
        };
        o.f.store.apply_lease(&reply).unwrap();
        let number = |s: &SeriesKey, serial: u64| format!("{}-{}-{}-{serial:08}", s.prefix, s.year, s.letter);
        // Approvals take the lowest leased number of their series, as today's numbering records
        // them; the case whose series has no lease waits for the server's number (待编号).
        let done: Vec<CaseDetail> = passed
            .iter()
            .map(|c| finish(&o, &o.zhang, c, FinalDecision::Approve).unwrap())
            .collect();
        let mut numbered: Vec<String> = done.iter().filter_map(|d| d.registration_number.clone()).collect();
        numbered.sort();
        let mut want = vec![number(&s0, 7), number(&s1, 7)];
        want.sort();
        assert_eq!(numbered, want);
        assert_eq!(done.iter().filter(|d| d.number_pending).count(), 1);
        let mut in_ledger: Vec<String> = ledger(&o).into_iter().map(|(n, ..)| n).collect();
        in_ledger.sort();
        assert_eq!(in_ledger, want);
        // The approval carries its number to the server; no counter is touched.
        let out = o.f.store.outbox(500).unwrap();
        let approval = out
            .iter()
            .find(|e| {
                e.effects.iter().any(|x| {
                    x.table == "registration_numbers"
                        && x.after
                            .as_deref()
                            .is_some_and(|r| r.iter().any(|c| c.value == Cell::Text(number(&s0, 7))))
                })
            })
            .unwrap();
        assert_eq!(approval.command, "final_review");
        assert!(out
            .iter()
            .all(|e| e.effects.iter().all(|x| x.table != "registration_counters")));
        // The same answer again (nothing pushed yet) changes nothing and writes nothing.
        let before = journal(&o);
        o.f.store.apply_lease(&reply).unwrap();
        assert_eq!(journal(&o), before);
        // The server refuses the approval: its number is void, with the reason.
        let reason = "服务器上该案的初审人员是终审人员本人（登记号已作废）";
        o.f.store
            .record_verdicts(&[EntryVerdict {
                id: approval.id,
                verdict: Verdict::Rejected {
                    code: RejectCode::FourEyes,
                    reason: reason.into(),
                    current: vec![],
                },
            }])
            .unwrap();
        // The server then leases 9–10 of the first series and no longer lists the 8s
        // (taken back): those are not used again.
        let next = LeaseReply {
            held: vec![held(&s0, vec![(9, 10)])],
            ..reply
        };
        o.f.store.apply_lease(&next).unwrap();
        let states: Vec<(String, i64, String, Option<String>)> = {
            let conn = o.f.store.conn();
            let mut stmt = conn
                .prepare("SELECT letter, serial, state, reason FROM sync_number_leases ORDER BY letter, serial")
                .unwrap();
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .unwrap()
                .map(|r| r.unwrap())
                .collect();
            rows
        };
        let l0 = s0.letter.to_string();
        let l1 = s1.letter.to_string();
        let gone = Some("服务器已不再列为本站持有".to_string());
        let mut want = vec![
            (l0.clone(), 7, "voided".to_string(), Some(reason.to_string())),
            (l0.clone(), 8, "returned".to_string(), gone.clone()),
            (l0.clone(), 9, "held".to_string(), None),
            (l0.clone(), 10, "held".to_string(), None),
            (l1.clone(), 7, "used".to_string(), None),
            (l1.clone(), 8, "returned".to_string(), gone),
        ];
        want.sort();
        assert_eq!(states, want);
        // Leaving the server: the unused numbers are given back at the next sync.
        assert_eq!(o.f.store.give_back_leased_numbers(&o.admin).unwrap(), 2);
        let request = o.f.store.lease_request().unwrap().unwrap();
        assert_eq!(request.give_back, vec![number(&s0, 9), number(&s0, 10)]);
        o.f.store.apply_lease(&LeaseReply { held: vec![], ..next }).unwrap();
        // Given back, and no case waits for final review: nothing more to ask.
        assert_eq!(o.f.store.lease_request().unwrap(), None);
        assert!(o.f.store.verify_audit().unwrap().ok);
    }

    #[test]
    fn first_review_passes_final_review_registers_and_one_person_cannot_do_both() {
        let o = office(9);
        let paid = pay_all(&o);
        assert_eq!(paid.len(), 3);
        let (a, b) = (&paid[0], &paid[1]);

        // Only a first reviewer decides a first review; only a final reviewer a final one.
        let e = decide(&o, &o.zhang, a, ReviewDecision::Pass).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Permission);
        assert!(e.to_string().contains("初审通过"), "{e}");
        let e = finish(&o, &o.li, a, FinalDecision::Approve).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Permission);

        // 钱芳 passes the first review of A, then may not approve it (four eyes); no number is used.
        let a1 = one(&o, || decide(&o, &o.qian, a, ReviewDecision::Pass).unwrap());
        assert_eq!((a1.state, a1.version), (CaseState::AwaitingFinalReview, a.version + 1));
        assert_eq!(
            facts(&o, &a.id).first_reviewers,
            vec![lifecycle::StaffId(o.qian.staff_id.clone())]
        );
        let before = journal(&o);
        let e = finish(&o, &o.qian, &a1, FinalDecision::Approve).unwrap_err();
        assert_eq!(
            e.to_string(),
            "您已参与本案初审，不能再做终审：同一案件的初审与终审须由不同人员完成"
        );
        assert_eq!(e.kind(), ErrorKind::Refused);
        assert_eq!(journal(&o), before);
        assert!(ledger(&o).is_empty(), "a refused approval uses no number");
        // A stale version is a conflict, not a decision.
        let e = finish(&o, &o.zhang, a, FinalDecision::Approve).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Conflict);

        // 张伟 approves: the first number of the category, the case is registered.
        let a2 = one(&o, || finish(&o, &o.zhang, &a1, FinalDecision::Approve).unwrap());
        assert_eq!(a2.state, CaseState::Registered);
        let want = number(a, 1);
        assert_eq!(a2.registration_number.as_deref(), Some(want.as_str()));
        assert!(!a2.number_pending);
        let fa = facts(&o, &a.id);
        assert_eq!(fa.registered_at, Some(o.f.clock.now()));
        assert_eq!(fa.final_reviewers, vec![lifecycle::StaffId(o.zhang.staff_id.clone())]);
        assert_eq!(
            ledger(&o),
            vec![(want.clone(), 1, "used".to_string(), Some(a.id.clone()))]
        );
        // The number is found by search.
        let page =
            o.f.store
                .list_queue(
                    &o.admin,
                    &QueueInput {
                        queue: regdesk_domain::queue::Queue::Registered,
                        page: 1,
                        page_size: 10,
                        search: Some(want.clone()),
                        sort: None,
                        office: None,
                        cursor: None,
                    },
                )
                .unwrap();
        assert_eq!(
            page.rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            vec![a.id.as_str()]
        );
        // Approving again is refused by the state.
        let e = finish(&o, &o.zhang, &a2, FinalDecision::Approve).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Refused);
        assert_eq!(ledger(&o).len(), 1);

        // B: 李雯 passes, 钱芳 (who did not review it first) may do the final review.
        let b1 = one(&o, || decide(&o, &o.li, b, ReviewDecision::Pass).unwrap());
        let b2 = one(&o, || finish(&o, &o.qian, &b1, FinalDecision::Approve).unwrap());
        assert_eq!(b2.state, CaseState::Registered);
        assert!(b2.registration_number.is_some());
        // ...but a final reviewer may not then do the first review of a case sent back.
        let c = &paid[2];
        let c1 = one(&o, || decide(&o, &o.li, c, ReviewDecision::Pass).unwrap());
        let e = finish(&o, &o.qian, &c1, FinalDecision::SendBack { note: " ".into() }).unwrap_err();
        assert_eq!(e.to_string(), "请填写退回初审的意见");
        let c2 = one(&o, || {
            finish(
                &o,
                &o.qian,
                &c1,
                FinalDecision::SendBack {
                    note: "请核对作者署名".into(),
                },
            )
            .unwrap()
        });
        assert_eq!(c2.state, CaseState::AwaitingFirstReview);
        let e = decide(&o, &o.qian, &c2, ReviewDecision::Pass).unwrap_err();
        assert!(e.to_string().contains("您已参与本案终审"), "{e}");

        let history = o.f.store.review_history(&o.admin, &c.id).unwrap();
        let steps: Vec<(CommandKind, &str, &str)> = history
            .iter()
            .map(|h| (h.command, h.staff_name.as_str(), h.note.as_str()))
            .collect();
        assert_eq!(
            steps,
            vec![
                (CommandKind::PassFirstReview, "李雯", ""),
                (CommandKind::SendBackToFirstReview, "钱芳", "请核对作者署名"),
            ]
        );
        let ha = o.f.store.review_history(&o.admin, &a.id).unwrap();
        assert_eq!(ha.last().and_then(|h| h.registration_number.clone()), Some(want));
        assert!(o.f.store.verify_audit().unwrap().ok);
    }

    #[test]
    fn a_returned_case_is_signed_again_and_resubmitted_without_paying_and_late_ones_are_withdrawn() {
        let o = office(9);
        let paid = pay_all(&o);
        let (a, b) = (&paid[0], &paid[1]);
        let returned = || ReviewDecision::ReturnForCorrection {
            reasons: vec![" 样本图片不清晰，请重新提交 ".into(), "".into()],
        };
        let e = decide(
            &o,
            &o.li,
            a,
            ReviewDecision::ReturnForCorrection {
                reasons: vec![" ".into()],
            },
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "请填写补正理由");
        let a1 = one(&o, || decide(&o, &o.li, a, returned()).unwrap());
        assert_eq!(a1.state, CaseState::ReturnedForCorrection);
        assert!(a1.editable);
        // Returned on 25 Nov 2026: 30 days to correct, to the end of 25 Dec (Beijing time).
        let deadline = Utc.with_ymd_and_hms(2026, 12, 25, 15, 59, 59).unwrap();
        let c = facts(&o, &a.id).correction.unwrap();
        assert_eq!(
            (c.deadline, c.reasons.clone()),
            (deadline, vec!["样本图片不清晰，请重新提交".to_string()])
        );
        let h = o.f.store.review_history(&o.clerk, &a.id).unwrap();
        assert_eq!((h[0].deadline, h[0].reasons.clone()), (Some(deadline), c.reasons));
        one(&o, || decide(&o, &o.li, b, returned()).unwrap());

        // Two days later the counter has the applicant sign again and resubmits A: no new payment.
        let later = o.f.clock.now() + Duration::days(2);
        let o = at(o, later);
        let transfers_before =
            o.f.store
                .transfers(&o.chen, &TransfersInput { state: None })
                .unwrap()
                .len();
        let mut d = one(&o, || {
            o.f.store
                .submit_for_signing(
                    &o.clerk,
                    &CaseRef {
                        case_id: a1.id.clone(),
                        version: a1.version,
                    },
                )
                .unwrap()
        });
        assert_eq!(d.state, CaseState::AwaitingSignatures);
        // Not before every signer has signed.
        let e =
            o.f.store
                .resubmit(
                    &o.clerk,
                    &ResubmitInput {
                        case_id: d.id.clone(),
                        version: d.version,
                    },
                )
                .unwrap_err();
        assert_eq!(e.to_string(), "还有当事人未签章，全部签章后才能重新提交");
        let signers: Vec<SignerRef> = d.signing.iter().map(|l| l.signer.party).collect();
        for who in signers {
            d = one(&o, || {
                o.f.store
                    .record_signature(
                        &o.clerk,
                        &RecordSignatureInput {
                            case_id: d.id.clone(),
                            version: d.version,
                            signer: who,
                            method: SignatureMethod::PaperScan {
                                scan_ref: "补正签字扫描".into(),
                            },
                        },
                    )
                    .unwrap()
            });
        }
        assert_eq!(d.state, CaseState::AwaitingSignatures, "paid already: no payment step");
        let input = ResubmitInput {
            case_id: d.id.clone(),
            version: d.version,
        };
        assert_eq!(
            o.f.store.resubmit(&o.chen, &input).unwrap_err().kind(),
            ErrorKind::Permission
        );
        let back = one(&o, || o.f.store.resubmit(&o.clerk, &input).unwrap());
        assert_eq!(back.state, CaseState::AwaitingFirstReview);
        assert_eq!(back.accepted_on, NaiveDate::from_ymd_opt(2026, 11, 27));
        assert_ne!(back.due_on, a.due_on);
        assert!(back.due_on > a.due_on);
        let fa = facts(&o, &a.id);
        assert_eq!((fa.paid_fen, fa.correction.clone()), (15_000, None));
        assert_eq!(
            o.f.store
                .transfers(&o.chen, &TransfersInput { state: None })
                .unwrap()
                .len(),
            transfers_before
        );
        // Returned in its turn later, C's deadline is two days later than B's.
        let c = &paid[2];
        one(&o, || decide(&o, &o.li, c, returned()).unwrap());

        // Expiry is the rule's own, whoever is signed in (a reviewer too); before the
        // deadline nothing happens and nothing is journaled.
        let before = journal(&o);
        assert!(o.f.store.expire_corrections(&o.li).unwrap().is_empty());
        assert!(o.f.store.expire_corrections_due().unwrap().is_empty());
        assert_eq!(journal(&o), before);
        let o = at(o, deadline);
        let before = journal(&o); // signing in again is journaled
        assert!(
            o.f.store.expire_corrections(&o.admin).unwrap().is_empty(),
            "the last second still counts"
        );
        assert_eq!(journal(&o), before);
        // The day after B's deadline: B is withdrawn, C (deadline 27 Dec) and A stay.
        let o = at(o, deadline + Duration::hours(10));
        let gone = one(&o, || o.f.store.expire_corrections_due().unwrap());
        assert_eq!(gone, vec![b.serial.clone()]);
        let fb = facts(&o, &b.id);
        assert_eq!(
            (fb.state, fb.withdrawal),
            (
                CaseState::Withdrawn,
                Some(lifecycle::WithdrawalCause::CorrectionExpired)
            )
        );
        assert_eq!(
            o.f.store.case_detail(&o.clerk, &c.id).unwrap().state,
            CaseState::ReturnedForCorrection
        );
        assert_eq!(
            o.f.store.case_detail(&o.clerk, &a.id).unwrap().state,
            CaseState::AwaitingFirstReview
        );
        // Running it again withdraws nobody.
        let before = journal(&o);
        assert!(o.f.store.expire_corrections(&o.clerk).unwrap().is_empty());
        assert_eq!(journal(&o), before);
        let hb = o.f.store.review_history(&o.admin, &b.id).unwrap();
        let last = hb.last().unwrap();
        assert_eq!(last.command, CommandKind::ExpireCorrection);
        assert_eq!(
            (last.staff_id.as_str(), last.staff_name.as_str()),
            ("", "到期自动处理"),
            "no person: the rule"
        );
        let by: Option<String> =
            o.f.store
                .conn()
                .query_row("SELECT staff_id FROM journal ORDER BY seq DESC LIMIT 1", [], |r| {
                    r.get(0)
                })
                .unwrap();
        assert_eq!(by, None, "the journal names no person either");
        assert!(o.f.store.verify_audit().unwrap().ok);
    }

    #[test]
    fn a_confirmed_refusal_owes_the_fee_back() {
        let o = office(3);
        let paid = pay_all(&o);
        let a = &paid[0];
        let a1 = one(&o, || {
            decide(
                &o,
                &o.li,
                a,
                ReviewDecision::ProposeRefusal {
                    ground: RefusalGround::NotAWork,
                    note: "提交的内容为通用图形，不具独创性".into(),
                },
            )
            .unwrap()
        });
        assert_eq!(a1.state, CaseState::RefusalProposed);
        // A proposed refusal cannot simply be approved.
        let e = finish(&o, &o.zhang, &a1, FinalDecision::Approve).unwrap_err();
        assert_eq!(e.to_string(), "初审意见为拟不予登记：请确认不予登记，或退回初审");
        assert!(ledger(&o).is_empty());
        let a2 = one(&o, || finish(&o, &o.zhang, &a1, FinalDecision::ConfirmRefusal).unwrap());
        assert_eq!(a2.state, CaseState::Refused);
        assert_eq!(a2.registration_number, None);
        let fa = facts(&o, &a.id);
        assert_eq!((fa.paid_fen, fa.refund_owed_fen), (15_000, 15_000));
        let due = o.f.store.refunds_due(&o.chen).unwrap();
        assert!(due.iter().any(|r| r.case_id == a.id && r.owed_fen == 15_000), "{due:?}");
        let h = o.f.store.review_history(&o.admin, &a.id).unwrap();
        assert_eq!(
            h.iter().map(|x| x.ground_label.as_deref()).collect::<Vec<_>>(),
            vec![Some("不受著作权法保护的作品"), Some("不受著作权法保护的作品")]
        );
        // The refusal notice names the ground, the note, the refund and both reviewers.
        let (name, pdf) = o.f.store.notice_pdf(&o.zhang, &a.id).unwrap();
        assert!(name.ends_with("不予登记通知书.pdf"), "{name}");
        let text = pdf_text(&o, &pdf);
        for want in [
            "不受著作权法保护的作品",
            "不具独创性",
            "150.00",
            "李雯",
            "张伟",
            &a.serial,
        ] {
            assert!(text.contains(want), "{want} missing in:\n{text}");
        }
        assert!(o.f.store.verify_audit().unwrap().ok);
    }

    /// The text of a PDF, by pdftotext (poppler-utils).
    fn pdf_text(o: &Office, pdf: &[u8]) -> String {
        let path = o.f.dir.path().join("notice.pdf");
        std::fs::write(&path, pdf).unwrap();
        let out = std::process::Command::new("pdftotext")
            .args(["-layout"])
            .arg(&path)
            .arg("-")
            .output()
            .expect("pdftotext (poppler-utils) is installed");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    #[test]
    fn the_desk_counts_overdue_cases_and_rows_count_working_days_left() {
        use regdesk_domain::queue::Queue;
        use regdesk_domain::staff::Desk;
        let o = office(3);
        let paid = pay_all(&o);
        let a = &paid[0];
        assert_eq!(a.due_on, chrono::NaiveDate::from_ymd_opt(2027, 1, 7));
        let overview = |o: &Office| o.f.store.desk_overview(&o.li, Desk::FirstReview).unwrap().queues[0].clone();
        assert_eq!((overview(&o).count, overview(&o).overdue), (1, 0));
        let row = |o: &Office| {
            o.f.store
                .list_queue(&o.li, &crate::QueueInput::first(Queue::FirstReview, 20))
                .unwrap()
                .rows
                .remove(0)
        };
        assert_eq!(row(&o).days_left, Some(30));
        // Fifty days later the deadline has passed.
        let later = o.f.clock.now() + Duration::days(50);
        let o = at(o, later);
        assert_eq!(overview(&o).overdue, 1);
        let late = row(&o);
        assert!(late.days_left.is_some_and(|d| d < 0), "{late:?}");
    }

    #[test]
    fn the_correction_notice_lists_the_reasons_and_the_deadline() {
        let o = office(6);
        let paid = pay_all(&o);
        let a = &paid[0];
        let reasons = vec![
            "作品样本无法识别或与类别不符".to_string(),
            "请补充作品样本的高清图片".to_string(),
        ];
        let returned = decide(
            &o,
            &o.li,
            a,
            ReviewDecision::ReturnForCorrection {
                reasons: reasons.clone(),
            },
        )
        .unwrap();
        assert_eq!(returned.state, CaseState::ReturnedForCorrection);
        let (name, pdf) = o.f.store.notice_pdf(&o.li, &a.id).unwrap();
        assert!(name.ends_with("补正通知书.pdf"), "{name}");
        let text = pdf_text(&o, &pdf);
        for want in [
            reasons[0].as_str(),
            reasons[1].as_str(),
            "2026年12月25日",
            "李雯",
            a.serial.as_str(),
        ] {
            assert!(text.contains(want), "{want} missing in:\n{text}");
        }
        // A case in review has no notice to print.
        let other = &paid[1];
        assert_eq!(
            o.f.store.notice_pdf(&o.li, &other.id).unwrap_err().kind(),
            crate::ErrorKind::Refused
        );
    }

    #[test]
    fn a_revoked_number_stays_and_the_next_approval_takes_the_next_serial() {
        // Filings 9 and 21 of the sample are both photographs: the same category letter.
        let o = office(21);
        let paid = pay_all(&o);
        let photos: Vec<&CaseDetail> = paid
            .iter()
            .filter(|d| d.draft.work.category == Some(WorkCategory::Photography))
            .collect();
        assert_eq!(photos.len(), 2, "{paid:?}");
        let approve = |d: &CaseDetail| {
            let p = one(&o, || decide(&o, &o.li, d, ReviewDecision::Pass).unwrap());
            one(&o, || finish(&o, &o.zhang, &p, FinalDecision::Approve).unwrap())
        };
        let first = approve(photos[0]);
        let no1 = number(photos[0], 1);
        assert_eq!(first.registration_number.as_deref(), Some(no1.as_str()));

        let input = RevokeInput {
            case_id: first.id.clone(),
            version: first.version,
            ground: RevocationGround::DuplicateRegistration,
            note: "与已登记作品重复".into(),
        };
        assert_eq!(
            o.f.store.revoke_registration(&o.zhang, &input).unwrap_err().kind(),
            ErrorKind::Permission
        );
        let revoked = one(&o, || o.f.store.revoke_registration(&o.admin, &input).unwrap());
        assert_eq!(revoked.state, CaseState::Revoked);
        assert_eq!(
            revoked.registration_number.as_deref(),
            Some(no1.as_str()),
            "the number stays visible"
        );
        let reason: String =
            o.f.store
                .conn()
                .query_row(
                    "SELECT reason FROM registration_numbers WHERE number = ?1",
                    [&no1],
                    |r| r.get(0),
                )
                .unwrap();
        assert_eq!(reason, "重复登记：与已登记作品重复");

        let second = approve(photos[1]);
        let no2 = number(photos[1], 2);
        assert_eq!(second.registration_number.as_deref(), Some(no2.as_str()));
        assert_eq!(
            ledger(&o),
            vec![
                (no1, 1, "revoked".to_string(), Some(first.id.clone())),
                (no2, 2, "used".to_string(), Some(second.id.clone())),
            ]
        );
        // Revoking again is refused by the state.
        let e =
            o.f.store
                .revoke_registration(
                    &o.admin,
                    &RevokeInput {
                        version: revoked.version,
                        ..input
                    },
                )
                .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Refused);
        assert!(o.f.store.verify_audit().unwrap().ok);
    }

    #[test]
    fn the_old_register_is_imported_and_new_numbers_continue_after_it() {
        let o = office(21);
        let paid = pay_all(&o);
        let photos: Vec<&CaseDetail> = paid
            .iter()
            .filter(|d| d.draft.work.category == Some(WorkCategory::Photography))
            .collect();
        let letter = CategoryLetters::default().letter_of(WorkCategory::Photography).unwrap();
        let p = photos[0];
        let owner = p.draft.owners[0].name.clone();
        // The old platform's export, in GBK: two good rows (one the same work as a filing here), four bad.
        let csv = format!(
            "登记号,登记日期,作品名称,作品类别,著作权人,作者,创作完成日期,首次发表日期\n\
             浙作登字-2026-{letter}-00000500,2026-05-06,{title},摄影,{owner},{owner},2025-12,\n\
             浙作登字-2026-{letter}-00000120,2026-02-01,湖山晨雾,摄影,周明,周明,2025,2025-06-01\n\
             沪作登字-2026-{letter}-00000999,2026-05-06,外地作品,摄影,某人,,2025,\n\
             浙作登字-2026-A-00000007,2026-05-06,类别不符,摄影,某人,,2025,\n\
             浙作登字-2026-{letter}-00000120,2026-02-01,重复行,摄影,周明,,2025,\n\
             浙作登字-2026-{letter}-00000130,2026-02-30,,摄影,,,,\n",
            title = p.draft.work.title,
        );
        let (gbk, _, _) = encoding_rs::GBK.encode(&csv);
        let path = o.f.dir.path().join("旧登记簿.csv");
        std::fs::write(&path, &gbk).unwrap();
        let input = RegisterImportInput {
            path: path.to_string_lossy().into_owned(),
            dry_run: true,
        };
        // Only an admin imports.
        assert_eq!(
            o.f.store.import_register(&o.zhang, &input).unwrap_err().kind(),
            ErrorKind::Permission
        );
        let before = journal(&o);
        let preview = o.f.store.import_register(&o.admin, &input).unwrap();
        assert_eq!(journal(&o), before, "a dry run records nothing");
        assert_eq!((preview.rows, preview.imported), (6, 2));
        assert_eq!(preview.counters[0].next, 501);
        let lines: Vec<u32> = preview.problems.iter().map(|p| p.line).collect();
        for l in [4, 5, 6, 7] {
            assert!(lines.contains(&l), "line {l} named: {:?}", preview.problems);
        }
        assert!(preview.problems.iter().any(|p| p.code == "other_prefix"));
        assert!(preview.problems.iter().any(|p| p.code == "letter_mismatch"));
        assert!(preview.problems.iter().any(|p| p.code == "duplicate_in_file"));
        assert!(preview
            .problems
            .iter()
            .any(|p| p.line == 7 && p.column == "作品名称" && p.message.contains("请填写")));

        let done = one(&o, || {
            o.f.store
                .import_register(
                    &o.admin,
                    &RegisterImportInput {
                        dry_run: false,
                        ..input.clone()
                    },
                )
                .unwrap()
        });
        assert_eq!(done.imported, 2);
        assert_eq!(done.counters[0].next, 501);
        // Importing again names every row as known and imports nothing.
        let again =
            o.f.store
                .import_register(
                    &o.admin,
                    &RegisterImportInput {
                        dry_run: false,
                        ..input.clone()
                    },
                )
                .unwrap();
        assert_eq!(again.imported, 0);
        assert!(again.problems.iter().any(|p| p.code == "already_known" && p.line == 2));

        // The search and the duplicate check see the old register.
        let found =
            o.f.store
                .search_cases(
                    &o.li,
                    &CaseSearchInput {
                        text: "湖山晨雾".into(),
                        limit: None,
                    },
                )
                .unwrap();
        assert_eq!(found.historic.len(), 1);
        assert_eq!(found.historic[0].owners, vec!["周明"]);
        assert_eq!(found.historic[0].published_on.as_deref(), Some("2025年6月1日"));
        let dups = o.f.store.possible_duplicates(&o.li, &p.id).unwrap();
        assert!(
            dups.iter().any(|d| d.historic
                && d.registration_number.as_deref() == Some(&*format!("浙作登字-2026-{letter}-00000500"))),
            "{dups:?}"
        );

        // A new approval is numbered after the imported ones.
        let approve = |d: &CaseDetail| {
            let p = one(&o, || decide(&o, &o.li, d, ReviewDecision::Pass).unwrap());
            one(&o, || finish(&o, &o.zhang, &p, FinalDecision::Approve).unwrap())
        };
        let first = approve(photos[0]);
        assert_eq!(
            first.registration_number,
            Some(format!("浙作登字-2026-{letter}-00000501"))
        );

        // The admin may move the counter on, never back to a number already known.
        let set = |next: i64| {
            o.f.store.set_registration_counter(
                &o.admin,
                &SetCounterInput {
                    prefix: "浙作登字".into(),
                    year: 2026,
                    letter: letter.to_string(),
                    next,
                },
            )
        };
        let e = set(501).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Validation);
        assert!(e.to_string().contains("至少为 502"), "{e}");
        assert_eq!(
            o.f.store
                .set_registration_counter(
                    &o.zhang,
                    &SetCounterInput {
                        prefix: "浙作登字".into(),
                        year: 2026,
                        letter: letter.to_string(),
                        next: 900
                    }
                )
                .unwrap_err()
                .kind(),
            ErrorKind::Permission
        );
        assert_eq!(one(&o, || set(900).unwrap()).next, 900);
        let second = approve(photos[1]);
        assert_eq!(
            second.registration_number,
            Some(format!("浙作登字-2026-{letter}-00000900"))
        );
        let listed = o.f.store.registration_counters(&o.admin).unwrap();
        assert!(listed
            .iter()
            .any(|c| c.letter == letter.to_string() && c.next == 901 && c.highest_known == 900));

        // Revocation sees a historic registration too (admins only), once.
        let revoke = RevokeHistoricInput {
            number: format!("浙作登字-2026-{letter}-00000120"),
            ground: RevocationGround::FactsMismatch,
            note: "旧平台登记有误".into(),
        };
        assert_eq!(
            o.f.store.revoke_historic(&o.zhang, &revoke).unwrap_err().kind(),
            ErrorKind::Permission
        );
        let r = one(&o, || o.f.store.revoke_historic(&o.admin, &revoke).unwrap());
        assert!(r.revoked);
        assert_eq!(r.revoke_reason.as_deref(), Some("登记事项与事实不符：旧平台登记有误"));
        assert_eq!(
            o.f.store.revoke_historic(&o.admin, &revoke).unwrap_err().kind(),
            ErrorKind::Refused
        );
        assert!(o.f.store.verify_audit().unwrap().ok);
    }

    #[test]
    fn the_same_work_of_the_same_owner_is_flagged_as_a_possible_duplicate() {
        let o = office(6);
        let paid = pay_all(&o);
        let a = &paid[0];
        let p = decide(&o, &o.li, a, ReviewDecision::Pass).unwrap();
        let reg = finish(&o, &o.zhang, &p, FinalDecision::Approve).unwrap();
        // The same work filed again, its title written with other punctuation and spaces.
        let mut draft = o.f.store.reveal_case(&o.clerk, &reg.id).unwrap().draft;
        draft.work.title = format!(" {} ", draft.work.title.replace('（', " (").replace('）', ")"));
        let new =
            o.f.store
                .save_draft(
                    &o.clerk,
                    &SaveDraftInput {
                        case_id: None,
                        version: None,
                        applicant_id: reg.applicant_id.clone(),
                        draft,
                    },
                )
                .unwrap();
        // A draft does not count yet; submitted for signing, it does.
        assert!(o.f.store.possible_duplicates(&o.li, &a.id).unwrap().is_empty());
        let new =
            o.f.store
                .submit_for_signing(
                    &o.clerk,
                    &CaseRef {
                        case_id: new.id.clone(),
                        version: new.version,
                    },
                )
                .unwrap();
        let dups = o.f.store.possible_duplicates(&o.li, &new.id).unwrap();
        assert_eq!(dups.len(), 1, "{dups:?}");
        assert_eq!(dups[0].case_id, a.id);
        assert_eq!(dups[0].registration_number, reg.registration_number);
        assert_eq!(dups[0].state_label, "已登记");
        let back = o.f.store.possible_duplicates(&o.zhang, &a.id).unwrap();
        assert_eq!(
            back.iter().map(|d| d.case_id.as_str()).collect::<Vec<_>>(),
            vec![new.id.as_str()]
        );
        // The other sample filings have other titles.
        assert!(o.f.store.possible_duplicates(&o.li, &paid[1].id).unwrap().is_empty());
    }

    #[test]
    fn titles_compare_without_spaces_and_punctuation() {
        let n = normalize_title;
        assert_eq!(n(" 西湖·十景 《断桥残雪》（1） "), "西湖十景断桥残雪1");
        assert!(titles_similar(&n("Blue Lake!"), &n("blue lake")));
        assert!(titles_similar(&n("断桥残雪"), &n("西湖十景之断桥残雪")));
        assert!(
            !titles_similar(&n("残雪"), &n("西湖十景之断桥残雪")),
            "too short to count"
        );
        assert!(!titles_similar(&n("茶山晨雾"), &n("钱塘潮声")));
        assert!(!titles_similar("", ""));
        assert_eq!(
            end_of_office_day(NaiveDate::from_ymd_opt(2026, 12, 25).unwrap()).unwrap(),
            Utc.with_ymd_and_hms(2026, 12, 25, 15, 59, 59).unwrap()
        );
    }

    #[test]
    fn the_counter_withdraws_an_open_case_once_on_request() {
        let o = office(3);
        let id: String = raw_db(o.f.store.path())
            .unwrap()
            .query_row("SELECT id FROM cases ORDER BY serial LIMIT 1", [], |r| r.get(0))
            .unwrap();
        let d = o.f.store.case_detail(&o.clerk, &id).unwrap();
        let at = WithdrawInput {
            case_id: d.id.clone(),
            version: d.version,
            reason: " 申请人书面申请撤回 ".into(),
        };
        // Finance may not withdraw a case: the counter takes the applicant's request.
        let e = o.f.store.withdraw(&o.chen, &at).unwrap_err();
        assert!(e.to_string().contains("撤回"), "{e}");
        // The reason is asked for, by its field.
        let e =
            o.f.store
                .withdraw(
                    &o.clerk,
                    &WithdrawInput {
                        reason: " ".into(),
                        ..at.clone()
                    },
                )
                .unwrap_err();
        match &e {
            StoreError::Refused { code, message } => {
                assert_eq!(code, "required");
                assert!(message.contains("撤回原因"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        assert!(d.withdrawable);
        let w = one(&o, || o.f.store.withdraw(&o.clerk, &at).unwrap());
        assert_eq!(w.state, CaseState::Withdrawn);
        assert!(!w.withdrawable);
        let h = o.f.store.review_history(&o.clerk, &d.id).unwrap();
        assert_eq!(h.last().map(|r| r.command), Some(CommandKind::Withdraw));
        assert_eq!(h.last().map(|r| r.note.as_str()), Some("申请人书面申请撤回"));
        // A finished case cannot be withdrawn again.
        let again = WithdrawInput {
            case_id: w.id.clone(),
            version: w.version,
            ..at
        };
        assert!(o.f.store.withdraw(&o.clerk, &again).is_err());
    }

    #[test]
    fn the_hourly_expiry_reads_only_the_corrections_due_from_their_index() {
        let f = crate::tests::fixture();
        let conn = f.store.conn();
        let plan: Vec<String> = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {OVERDUE_SQL}"))
            .unwrap()
            .query_map(["2026-12-07"], |r| r.get::<_, String>(3))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert!(
            plan.iter().any(|p| p.contains("USING INDEX cases_correction_due")),
            "{plan:?}"
        );
    }
}
