//! Office-wide settings (系统设置).

use regdesk_domain::staff::{parse_idle_lock_minutes, Permission};
use rusqlite::params;
use serde_json::json;

use crate::error::{Result, StoreError};
use crate::journal::Change;
use crate::session::{actor, Session};
use crate::views::{SettingsView, UpdateSettingsInput};
use crate::Store;

pub(crate) const DEFAULT_IDLE_LOCK_MINUTES: u32 = 10;

fn load(conn: &rusqlite::Connection) -> Result<SettingsView> {
    conn.query_row(
        "SELECT version, idle_lock_minutes FROM settings WHERE id = 1",
        [],
        |r| {
            Ok(SettingsView {
                version: r.get(0)?,
                idle_lock_minutes: r.get(1)?,
            })
        },
    )
    .map_err(|e| match e {
        rusqlite::Error::QueryReturnedNoRows => StoreError::NotSetUp,
        e => e.into(),
    })
}

impl Store {
    /// 系统设置（任何已登录的人可读）。
    pub fn settings(&self, session: &Session) -> Result<SettingsView> {
        let conn = self.conn();
        actor(&conn, Some(session), None)?;
        load(&conn)
    }

    /// 修改系统设置（管理员）。
    pub fn update_settings(&self, session: &Session, input: &UpdateSettingsInput) -> Result<SettingsView> {
        let admin = actor(&self.conn(), Some(session), Some(Permission::ManageSettings))?;
        let idle = parse_idle_lock_minutes(input.idle_lock_minutes)?;
        self.run(Some(&admin.id), "update_settings", |tx, _now| {
            let current = load(tx)?;
            if current.version != input.version {
                return Err(StoreError::Conflict {
                    what: "系统设置",
                    read: input.version,
                    current: current.version,
                });
            }
            tx.execute(
                "UPDATE settings SET idle_lock_minutes = ?1, version = version + 1 WHERE id = 1",
                params![idle],
            )?;
            let v = load(tx)?;
            let change = Change {
                entity: "settings",
                entity_id: "office".into(),
                version: v.version,
                payload: json!({ "idle_lock_minutes": v.idle_lock_minutes }),
            };
            Ok((change, v))
        })
    }
}
