//! Office-wide settings (系统设置).

use regdesk_domain::calendar::CasePeriods;
use regdesk_domain::fee::FeeSchedule;
use regdesk_domain::staff::{parse_idle_lock_minutes, Permission};
use rusqlite::params;
use serde_json::json;

use crate::error::{Result, StoreError};
use crate::journal::Change;
use crate::session::{actor, Session};
use crate::views::{SettingsView, UpdateSettingsInput};
use crate::Store;

pub(crate) const DEFAULT_IDLE_LOCK_MINUTES: u32 = 10;

pub(crate) fn load(conn: &rusqlite::Connection) -> Result<SettingsView> {
    conn.query_row(
        "SELECT version, idle_lock_minutes, review_working_days, correction_notice_days, correction_period_days,
                fee_per_work_fen, batch_signing_form FROM settings WHERE id = 1",
        [],
        |r| {
            Ok(SettingsView {
                version: r.get(0)?,
                idle_lock_minutes: r.get(1)?,
                review_working_days: r.get(2)?,
                correction_notice_days: r.get(3)?,
                correction_period_days: r.get(4)?,
                fee_per_work_fen: r.get(5)?,
                batch_signing_form: r.get(6)?,
            })
        },
    )
    .map_err(|e| match e {
        rusqlite::Error::QueryReturnedNoRows => StoreError::NotSetUp,
        e => e.into(),
    })
}

/// The case periods in force, read inside a command's transaction.
pub(crate) fn periods_of(conn: &rusqlite::Connection) -> Result<CasePeriods> {
    let v = load(conn)?;
    Ok(CasePeriods {
        review_working_days: v.review_working_days,
        correction_notice_days: v.correction_notice_days,
        correction_period_days: v.correction_period_days,
    })
}

impl Store {
    /// The case periods in force (办结时限、补正期限).
    pub fn case_periods(&self) -> Result<CasePeriods> {
        let v = load(&self.conn())?;
        Ok(CasePeriods {
            review_working_days: v.review_working_days,
            correction_notice_days: v.correction_notice_days,
            correction_period_days: v.correction_period_days,
        })
    }

    /// The fee in force.
    pub fn fee_schedule(&self) -> Result<FeeSchedule> {
        Ok(FeeSchedule {
            per_work_fen: load(&self.conn())?.fee_per_work_fen,
        })
    }

    /// 系统设置（任何已登录的人可读）。
    pub fn settings(&self, session: &Session) -> Result<SettingsView> {
        let conn = self.conn();
        actor(&conn, self.now(), Some(session), None)?;
        load(&conn)
    }

    /// 修改系统设置（管理员）。
    pub fn update_settings(&self, session: &Session, input: &UpdateSettingsInput) -> Result<SettingsView> {
        let admin = actor(
            &self.conn(),
            self.now(),
            Some(session),
            Some(Permission::ManageSettings),
        )?;
        let mut errs = Vec::new();
        let idle = parse_idle_lock_minutes(input.idle_lock_minutes)
            .map_err(|e| errs.push(e))
            .ok();
        let periods = CasePeriods {
            review_working_days: input.review_working_days,
            correction_notice_days: input.correction_notice_days,
            correction_period_days: input.correction_period_days,
        };
        if let Err(es) = periods.validate() {
            errs.extend(es);
        }
        let fee = FeeSchedule {
            per_work_fen: input.fee_per_work_fen,
        };
        if let Err(mut e) = fee.validate() {
            e.field = "fee_per_work_fen".into();
            errs.push(e);
        }
        let Some(idle) = idle.filter(|_| errs.is_empty()) else {
            return Err(StoreError::Invalid(errs));
        };
        self.run(Some(admin.id()), "update_settings", |tx, _now| {
            let current = load(tx)?;
            StoreError::check_version("系统设置", input.version, current.version)?;
            tx.execute(
                "UPDATE settings SET idle_lock_minutes = ?1, review_working_days = ?2, correction_notice_days = ?3,
                 correction_period_days = ?4, fee_per_work_fen = ?5, version = version + 1 WHERE id = 1",
                params![
                    idle,
                    periods.review_working_days,
                    periods.correction_notice_days,
                    periods.correction_period_days,
                    fee.per_work_fen
                ],
            )?;
            let v = load(tx)?;
            let change = Change {
                entity: "settings",
                entity_id: "office".into(),
                version: v.version,
                payload: json!(v),
            };
            Ok((change, v))
        })
    }
}
