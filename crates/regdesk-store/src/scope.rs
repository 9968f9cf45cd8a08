//! 机构范围 (office tree scope) on an enrolled station: the office of the tree
//! the station belongs to (`sync_enrolment.station_office`, from its
//! enrolment; NULL: the top office), the offices it sees (its own and every
//! office under it: a city's supervisor station sees its counties' cases,
//! pulled read-only), and the refusal of a local change to a case of another
//! office. A station that is not enrolled is its whole office: no scope.
//! The rules are `regdesk_sync::scope`'s; `docs/SYNC.md` ("Scope").

use std::collections::HashMap;

use regdesk_sync::protocol::RowEffect;
use regdesk_sync::scope::case_of;
use rusqlite::{Connection, OptionalExtension};

use crate::error::{Result, StoreError};

/// An enrolled station's scope.
#[derive(Debug, Clone)]
pub(crate) struct Scope {
    top_code: String,
    top_name: String,
    names: HashMap<String, String>,
    /// The station's own office (`''`: the top office).
    pub own: String,
    /// The offices it sees (`None`: every office).
    pub sees: Option<Vec<String>>,
}

impl Scope {
    /// An office code as cases hold it: the top office's own code is `''`.
    pub fn norm<'a>(&self, code: &'a str) -> &'a str {
        if code == self.top_code {
            ""
        } else {
            code
        }
    }

    /// Whether the station sees the cases of `office`.
    pub fn sees(&self, office: &str) -> bool {
        match &self.sees {
            None => true,
            Some(list) => list.iter().any(|o| o == self.norm(office)),
        }
    }

    /// Why a change to case `serial` of `office` (not the station's own) is refused.
    pub fn refusal(&self, serial: &str, office: &str) -> String {
        let what = if self.sees(office) {
            "对该机构的案件只能查看，不能更改"
        } else {
            "不在本工作站的范围内"
        };
        format!(
            "案件 {serial} 属于{}，本工作站属于{}，{what}：请由该机构办理，或由管理员把案件移交到本机构",
            self.label(office),
            self.label(&self.own)
        )
    }

    /// `杭州市版权局（330100）`.
    pub fn label(&self, code: &str) -> String {
        let code = self.norm(code);
        if code.is_empty() {
            return format!("{}（{}）", self.top_name, self.top_code);
        }
        match self.names.get(code) {
            Some(name) => format!("{name}（{code}）"),
            None => format!("机构 {code}"),
        }
    }
}

/// The office of the tree this station belongs to, when it is enrolled as a
/// station of a subordinate office (`None`: not enrolled, or the top office).
pub(crate) fn own_office(conn: &Connection) -> Result<Option<String>> {
    let office: Option<Option<String>> = conn
        .prepare_cached("SELECT station_office FROM sync_enrolment WHERE id = 1")?
        .query_row([], |r| r.get(0))
        .optional()?;
    let top: Option<String> = conn
        .prepare_cached("SELECT office_code FROM office WHERE id = 1")?
        .query_row([], |r| r.get(0))
        .optional()?;
    Ok(office.flatten().filter(|o| !o.is_empty() && Some(o) != top.as_ref()))
}

/// The name of the office of the tree this station belongs to, when it is
/// enrolled for a subordinate office (`None`: not enrolled, or the top office).
pub(crate) fn own_office_name(conn: &Connection) -> Result<Option<String>> {
    let Some(code) = own_office(conn)? else {
        return Ok(None);
    };
    let name: Option<String> = conn
        .prepare_cached("SELECT name FROM office_tree WHERE code = ?1")?
        .query_row([&code], |r| r.get(0))
        .optional()?;
    Ok(Some(name.unwrap_or_else(|| format!("机构 {code}"))))
}

/// The scope of an enrolled station; `None` when it is not enrolled.
pub(crate) fn station_scope(conn: &Connection) -> Result<Option<Scope>> {
    let enrolled: Option<Option<String>> = conn
        .prepare_cached("SELECT station_office FROM sync_enrolment WHERE id = 1")?
        .query_row([], |r| r.get(0))
        .optional()?;
    let Some(office) = enrolled else {
        return Ok(None);
    };
    let (top_code, top_name): (String, String) = conn
        .query_row("SELECT office_code, name FROM office WHERE id = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?
        .unwrap_or_default();
    let mut stmt = conn.prepare_cached("SELECT code, name, parent_code FROM office_tree")?;
    let tree = stmt
        .query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let own = office.filter(|o| !o.is_empty() && *o != top_code).unwrap_or_default();
    let pairs: Vec<(String, String)> = tree.iter().map(|(c, _, p)| (c.clone(), p.clone())).collect();
    let sees = (!own.is_empty()).then(|| regdesk_sync::scope::subtree(&own, &pairs));
    Ok(Some(Scope {
        top_code,
        top_name,
        names: tree.into_iter().map(|(c, n, _)| (c, n)).collect(),
        own,
        sees,
    }))
}

/// Refuses a local command that changed a case of another office than the
/// station's own, or a row that belongs to one (`effects`: the entry's
/// effects JSON). A transfer checks its case itself.
pub(crate) fn check_local(conn: &Connection, command: &str, effects: &str) -> Result<()> {
    if command == regdesk_domain::admission::TRANSFER_CASE {
        return Ok(());
    }
    let effects: Vec<RowEffect> =
        serde_json::from_str(effects).map_err(|e| StoreError::Corrupt(format!("记录的行变化无法读取：{e}")))?;
    let mut cases: Vec<String> = effects
        .iter()
        .filter_map(|e| case_of(&e.table, &e.key, e.after.as_deref()))
        .collect();
    if cases.is_empty() {
        return Ok(());
    }
    cases.sort();
    cases.dedup();
    let Some(scope) = station_scope(conn)? else {
        return Ok(());
    };
    for id in cases {
        let found: Option<(Option<String>, String)> = conn
            .prepare_cached("SELECT office_code, serial FROM cases WHERE id = ?1")?
            .query_row([&id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((office, serial)) = found else { continue };
        let office = office.unwrap_or_default();
        if scope.norm(&office) == scope.own {
            continue;
        }
        return Err(StoreError::Refused {
            code: "out_of_scope".into(),
            message: scope.refusal(&serial, &office),
        });
    }
    Ok(())
}

/// Marks `d` read-only when it is a case of another office than the
/// station's own (a subordinate's case on a supervisor's station): the desk
/// shows why and offers no change, which [`check_local`] would refuse.
pub(crate) fn mark_read_only(conn: &Connection, d: &mut crate::cases::CaseDetail) -> Result<()> {
    let Some(scope) = station_scope(conn)? else {
        return Ok(());
    };
    let office: Option<Option<String>> = conn
        .prepare_cached("SELECT office_code FROM cases WHERE id = ?1")?
        .query_row([&d.id], |r| r.get(0))
        .optional()?;
    let office = office.flatten().unwrap_or_default();
    if scope.norm(&office) != scope.own {
        d.read_only = Some(scope.refusal(&d.serial, &office));
        d.editable = false;
        d.withdrawable = false;
        d.awaits_resubmission = false;
        d.decided_at = None;
    }
    Ok(())
}

/// Keeps of `rows` (shared rows) those the station's scope sees: a row of a
/// case of an office outside it (a case transferred away) is left out.
pub(crate) fn within(
    conn: &Connection,
    rows: Vec<regdesk_sync::protocol::SnapshotRow>,
) -> Result<Vec<regdesk_sync::protocol::SnapshotRow>> {
    let Some(scope) = station_scope(conn)? else {
        return Ok(rows);
    };
    if scope.sees.is_none() {
        return Ok(rows);
    }
    let office: HashMap<String, String> = rows
        .iter()
        .filter(|r| r.table == "cases")
        .filter_map(|r| case_of(&r.table, &r.key, Some(&r.row)).map(|c| (c, regdesk_sync::scope::office_of(&r.row))))
        .collect();
    Ok(rows
        .into_iter()
        .filter(|r| match case_of(&r.table, &r.key, Some(&r.row)) {
            None => true,
            Some(c) => office.get(&c).is_some_and(|o| scope.sees(o)),
        })
        .collect())
}
