//! Office-wide settings (系统设置).

use regdesk_domain::calendar::CasePeriods;
use regdesk_domain::fee::FeeSchedule;
use regdesk_domain::staff::{parse_idle_lock_minutes, Permission};
use rusqlite::params;
use serde_json::json;

use crate::error::{Result, StoreError};
use crate::journal::Change;
use crate::session::{actor, Session};
use crate::views::{NumberLeaseSettingsInput, SettingsView, UpdateSettingsInput};
use crate::Store;
use regdesk_domain::error::FieldError;

pub(crate) const DEFAULT_IDLE_LOCK_MINUTES: u32 = 10;
/// Most numbers one lease may hold (the server's bound too).
pub(crate) const MAX_NUMBER_LEASE_SIZE: u32 = 1000;

pub(crate) fn load(conn: &rusqlite::Connection) -> Result<SettingsView> {
    conn.query_row(
        "SELECT version, idle_lock_minutes, review_working_days, correction_notice_days, correction_period_days,
                fee_per_work_fen, batch_signing_form, number_lease_size, number_refill_at FROM settings WHERE id = 1",
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
                number_lease_size: r.get(7)?,
                number_refill_at: r.get(8)?,
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

    /// 登记号租用设置（管理员）：how many registration numbers a final-review
    /// station is leased at a time and at how many unused it asks for more.
    /// Shared with every station; the server leases by them.
    pub fn set_number_leases(&self, session: &Session, input: &NumberLeaseSettingsInput) -> Result<SettingsView> {
        let admin = actor(
            &self.conn(),
            self.now(),
            Some(session),
            Some(Permission::ManageSettings),
        )?;
        let mut errs = Vec::new();
        if input.lease_size == 0 || input.lease_size > MAX_NUMBER_LEASE_SIZE {
            errs.push(FieldError::new(
                "lease_size",
                "out_of_range",
                format!(
                    "每次租用的号码数应在 1 到 {MAX_NUMBER_LEASE_SIZE} 之间，现在是 {}，请改正",
                    input.lease_size
                ),
            ));
        } else if input.refill_at >= input.lease_size {
            errs.push(FieldError::new(
                "refill_at",
                "too_large",
                format!(
                    "续租线（剩余 {} 个时续租）应小于每次租用的号码数 {}，请改小",
                    input.refill_at, input.lease_size
                ),
            ));
        }
        if !errs.is_empty() {
            return Err(StoreError::Invalid(errs));
        }
        self.run(Some(admin.id()), "set_number_leases", |tx, _now| {
            let current = load(tx)?;
            StoreError::check_version("系统设置", input.version, current.version)?;
            tx.execute(
                "UPDATE settings SET number_lease_size = ?1, number_refill_at = ?2, version = version + 1 WHERE id = 1",
                params![input.lease_size, input.refill_at],
            )?;
            let v = load(tx)?;
            let change = Change {
                entity: "settings",
                entity_id: "office".into(),
                version: v.version,
                payload: json!({ "number_lease_size": input.lease_size, "number_refill_at": input.refill_at }),
            };
            Ok((change, v))
        })
    }
}
