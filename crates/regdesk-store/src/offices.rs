//! The office tree (机构树) and the supervisor's view of it: this office and
//! its subordinate offices, each with its cases counted by stage and overdue.
//! An admin keeps the tree; the cases of subordinate offices arrive by sync,
//! marked with their office's code (until then their counts are zero).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use regdesk_domain::office::{SubordinateOfficeInput, TransferCaseInput};
use regdesk_domain::queue::{queue_of, Queue};
use regdesk_domain::staff::{require, Desk, Permission};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

use crate::cases::CaseDetail;
use crate::codes::from_code;
use crate::error::{Result, StoreError};
use crate::journal::Change;
use crate::session::{actor, Session};
use crate::Store;

/// 机构的案件计数。
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OfficeCounts {
    /// 受理中（待提交、待签章）
    pub counter: u32,
    /// 缴费中（待缴费、待核款）
    pub payment: u32,
    /// 审查中（待初审、待终审）
    pub review: u32,
    /// 已登记（含已发证）
    pub registered: u32,
    /// 其他（不予登记、撤回、撤销）
    pub other: u32,
    /// 超过办结期限
    pub overdue: u32,
}

/// 机构树的一个节点。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OfficeNode {
    pub code: String,
    pub name: String,
    /// 上级机构代码；本机构为空
    pub parent_code: Option<String>,
    /// 层级：本机构 0，其下级 1，……
    pub depth: u32,
    /// 是否本机构
    pub own: bool,
    pub counts: OfficeCounts,
}

fn counts_of(conn: &Connection, today: NaiveDate) -> Result<HashMap<String, OfficeCounts>> {
    let own: String = conn.query_row("SELECT office_code FROM office WHERE id = 1", [], |r| r.get(0))?;
    // The kept counts (migration 019), not a scan of the cases.
    let mut stmt = conn.prepare(
        "SELECT CASE office WHEN '' THEN ?1 ELSE office END, state, SUM(n),
                SUM(CASE WHEN due_on <> '' AND due_on < ?2 THEN n ELSE 0 END)
         FROM case_counts GROUP BY 1, 2",
    )?;
    let rows = stmt
        .query_map(params![own, today], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, u32>(2)?,
                r.get::<_, u32>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out: HashMap<String, OfficeCounts> = HashMap::new();
    for (office, state, n, late) in rows {
        let state = from_code("案件状态", &state)?;
        let c = out.entry(office).or_default();
        match queue_of(state) {
            Queue::Drafts | Queue::AwaitingSignature => c.counter += n,
            Queue::AwaitingPayment | Queue::AwaitingPaymentCheck => c.payment += n,
            Queue::FirstReview | Queue::FinalReview => c.review += n,
            Queue::Registered => c.registered += n,
            Queue::Other => c.other += n,
        }
        if state.clock_runs() {
            c.overdue += late;
        }
    }
    Ok(out)
}

/// May this person see the tree? A supervisor (统计) or an admin.
fn may_see_tree(conn: &Connection, now: DateTime<Utc>, session: &Session) -> Result<()> {
    let roles = actor(conn, now, Some(session), None)?.roles;
    if require(&roles, Permission::OpenDesk(Desk::Reports)).is_ok() {
        return Ok(());
    }
    require(&roles, Permission::ManageSettings)?;
    Ok(())
}

impl Store {
    /// 机构树：本机构及各级下级机构，先序排列，附案件计数。On a station
    /// enrolled for a subordinate office the tree is rooted at that office
    /// (`sync_enrolment.station_office`): the offices it sees.
    pub fn office_tree(&self, session: &Session) -> Result<Vec<OfficeNode>> {
        let conn = self.conn();
        may_see_tree(&conn, self.now(), session)?;
        let (mut own_code, mut own_name): (String, String) =
            conn.query_row("SELECT office_code, name FROM office WHERE id = 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        if let Some(station) = crate::scope::own_office(&conn)? {
            let name: Option<String> = conn
                .query_row("SELECT name FROM office_tree WHERE code = ?1", [&station], |r| r.get(0))
                .optional()?;
            own_name = name.unwrap_or_else(|| format!("机构 {station}"));
            own_code = station;
        }
        let mut children: HashMap<String, Vec<(String, String)>> = HashMap::new();
        let mut stmt = conn.prepare("SELECT code, name, parent_code FROM office_tree ORDER BY code")?;
        for row in stmt.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })? {
            let (code, name, parent) = row?;
            children.entry(parent).or_default().push((code, name));
        }
        let mut counts = counts_of(&conn, crate::office_date(self.now()))?;
        let mut out = Vec::new();
        let mut stack = vec![(own_code.clone(), own_name, None::<String>, 0u32)];
        while let Some((code, name, parent, depth)) = stack.pop() {
            if let Some(kids) = children.get(&code) {
                for (c, n) in kids.iter().rev() {
                    stack.push((c.clone(), n.clone(), Some(code.clone()), depth + 1));
                }
            }
            out.push(OfficeNode {
                counts: counts.remove(&code).unwrap_or_default(),
                own: code == own_code,
                code,
                name,
                parent_code: parent,
                depth,
            });
        }
        Ok(out)
    }

    /// 添加下级机构（管理员）：上级须为本机构或已有的下级机构。
    pub fn add_subordinate_office(&self, session: &Session, input: &SubordinateOfficeInput) -> Result<Vec<OfficeNode>> {
        let admin = actor(
            &self.conn(),
            self.now(),
            Some(session),
            Some(Permission::ManageSettings),
        )?;
        let (code, name, parent) = input.validate().map_err(StoreError::Invalid)?;
        self.run(Some(admin.id()), "add_subordinate_office", |tx, now| {
            let own: String = tx.query_row("SELECT office_code FROM office WHERE id = 1", [], |r| r.get(0))?;
            let known = |c: &str| -> Result<bool> {
                Ok(c == own
                    || tx
                        .query_row("SELECT 1 FROM office_tree WHERE code = ?1", [c], |_| Ok(()))
                        .optional()?
                        .is_some())
            };
            if known(&code)? {
                return Err(regdesk_domain::FieldError::new(
                    "code",
                    "taken",
                    format!("机构代码 {code} 已在机构树中，请换一个代码"),
                )
                .into());
            }
            if !known(&parent)? {
                return Err(regdesk_domain::FieldError::new(
                    "parent_code",
                    "unknown",
                    format!("上级机构 {parent} 不在机构树中：请填写本机构（{own}）或已添加的下级机构"),
                )
                .into());
            }
            tx.execute(
                "INSERT INTO office_tree (code, name, parent_code, added_at, added_by) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![code, name, parent, now, admin.id()],
            )?;
            Ok((
                Change {
                    entity: "office_tree",
                    entity_id: code.clone(),
                    version: 1,
                    payload: json!({ "code": code, "name": name, "parent_code": parent }),
                },
                (),
            ))
        })?;
        self.office_tree(session)
    }

    /// 案件移交（管理员）：把案件移交到机构树中的另一机构（本机构或下级机构），附原因。
    /// On an enrolled station the case must be one its scope sees; the case
    /// then leaves the view of the old office's stations and reaches the new
    /// office's (the server re-decides it and sends the case's rows along).
    pub fn transfer_case(&self, session: &Session, input: &TransferCaseInput) -> Result<CaseDetail> {
        let admin = actor(
            &self.conn(),
            self.now(),
            Some(session),
            Some(Permission::ManageSettings),
        )?;
        let (to, reason) = input.validate().map_err(StoreError::Invalid)?;
        self.run(Some(admin.id()), regdesk_domain::admission::TRANSFER_CASE, |tx, now| {
            let row = crate::cases::at_version(tx, &input.case_id, input.version)?;
            let (own, own_name): (String, String) =
                tx.query_row("SELECT office_code, name FROM office WHERE id = 1", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
            let from: String = tx
                .query_row("SELECT COALESCE(office_code, '') FROM cases WHERE id = ?1", [&row.id], |r| {
                    r.get(0)
                })?;
            let from = if from == own { String::new() } else { from };
            let target = if to == own { None } else { Some(to.clone()) };
            let name_of = |code: &str| -> Result<Option<String>> {
                if code.is_empty() || code == own {
                    return Ok(Some(own_name.clone()));
                }
                Ok(tx
                    .query_row("SELECT name FROM office_tree WHERE code = ?1", [code], |r| r.get(0))
                    .optional()?)
            };
            let Some(to_name) = name_of(&to)? else {
                return Err(regdesk_domain::FieldError::new(
                    "office_code",
                    "unknown",
                    format!("机构 {to} 不在机构树中：请选择本机构（{own}）或已添加的下级机构"),
                )
                .into());
            };
            if target.as_deref().unwrap_or("") == from {
                return Err(regdesk_domain::FieldError::new(
                    "office_code",
                    "same",
                    format!("案件 {} 已属于{to_name}（{to}）：请选择另一个机构", row.serial),
                )
                .into());
            }
            if let Some(scope) = crate::scope::station_scope(tx)? {
                if !scope.sees(&from) {
                    return Err(StoreError::Refused {
                        code: "out_of_scope".into(),
                        message: format!(
                            "案件 {} 属于{}，不在本工作站（{}）的范围内，不能由本工作站移交：请由该机构或其上级机构的管理员办理",
                            row.serial,
                            scope.label(&from),
                            scope.label(&scope.own)
                        ),
                    });
                }
            }
            let version = row.version + 1;
            tx.execute(
                "UPDATE cases SET office_code = ?2, version = ?3, updated_at = ?4 WHERE id = ?1",
                params![row.id, target, version, now],
            )?;
            let from_code = if from.is_empty() { own.clone() } else { from.clone() };
            Ok((
                Change {
                    entity: "case",
                    entity_id: row.id.clone(),
                    version,
                    payload: json!({
                        "serial": row.serial, "from_office": from_code, "office_code": to,
                        "office_name": to_name, "reason": reason,
                    }),
                },
                row.id.clone(),
            ))
        })
        .and_then(|id| Ok(crate::cases::detail(crate::cases::load(&self.conn(), &id)?)))
    }
}
