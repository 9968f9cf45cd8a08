//! Staff accounts, first-start setup and sign-in.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use rand_core::OsRng;
use regdesk_domain::office::{Office, PROVINCES};
use regdesk_domain::staff::{
    check_password, desk_label, desks_for, parse_display_name, parse_roles, parse_username, AccountStanding,
    LockoutPolicy, LoginDecision, LoginRefusal, Permission, Role, PASSWORD_MIN_CHARS,
};
use regdesk_domain::{DomainError, FieldError};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde_json::json;

use crate::error::{Result, StoreError};
use crate::journal::{uuid_v7, Change};
use crate::session::{actor, Session};
use crate::views::*;
use crate::{Store, OFFICE_UTC_OFFSET_HOURS};

pub(crate) fn roles_column(roles: &[Role]) -> String {
    roles.iter().map(|r| r.code()).collect::<Vec<_>>().join(",")
}

pub(crate) fn parse_roles_column(s: &str) -> Result<Vec<Role>> {
    s.split(',')
        .filter(|c| !c.is_empty())
        .map(|c| Role::from_code(c).ok_or_else(|| StoreError::Corrupt(format!("未知岗位代码 {c}"))))
        .collect()
}

fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Corrupt(format!("密码哈希失败：{e}")))
}

fn password_matches(password: &str, phc: &str) -> bool {
    #[cfg(test)]
    verifications::record(phc);
    PasswordHash::new(phc)
        .map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

/// A hash no password is checked against in earnest: unknown login names are
/// verified against it so they take as long as known ones. Made once per process.
pub(crate) fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password("regdesk-no-such-account").unwrap_or_default())
}

const STAFF_COLS: &str =
    "id, username, display_name, roles, disabled, locked_until, must_change_password, version, created_at, updated_at";

fn staff_view(r: &Row<'_>) -> rusqlite::Result<(StaffView, String)> {
    let roles: String = r.get(3)?;
    Ok((
        StaffView {
            id: r.get(0)?,
            username: r.get(1)?,
            display_name: r.get(2)?,
            roles: Vec::new(),
            disabled: r.get(4)?,
            locked_until: r.get(5)?,
            must_change_password: r.get(6)?,
            version: r.get(7)?,
            created_at: r.get(8)?,
            updated_at: r.get(9)?,
        },
        roles,
    ))
}

fn finish_view((mut v, roles): (StaffView, String)) -> Result<StaffView> {
    v.roles = parse_roles_column(&roles)?;
    Ok(v)
}

fn load_staff(conn: &Connection, id: &str) -> Result<StaffView> {
    let row = conn
        .query_row(
            &format!("SELECT {STAFF_COLS} FROM staff WHERE id = ?1"),
            [id],
            staff_view,
        )
        .optional()?
        .ok_or_else(|| StoreError::NotFound {
            what: "工作人员",
            id: id.to_string(),
        })?;
    finish_view(row)
}

/// The staff row at the version the caller read, or a conflict.
fn load_at_version(conn: &Connection, id: &str, version: i64) -> Result<StaffView> {
    let v = load_staff(conn, id)?;
    StoreError::check_version("该工作人员的信息", version, v.version)?;
    Ok(v)
}

fn staff_payload(v: &StaffView) -> serde_json::Value {
    json!({
        "username": v.username,
        "display_name": v.display_name,
        "roles": v.roles,
        "disabled": v.disabled,
        "must_change_password": v.must_change_password,
    })
}

fn staff_change(v: &StaffView, extra: serde_json::Value) -> Change {
    let mut payload = staff_payload(v);
    if let (Some(p), Some(e)) = (payload.as_object_mut(), extra.as_object()) {
        p.extend(e.clone());
    }
    Change {
        entity: "staff",
        entity_id: v.id.clone(),
        version: v.version,
        payload,
    }
}

/// Validates a new person's fields; all problems at once.
fn validate_new_staff(input: &NewStaffInput) -> Result<(String, String, Vec<Role>)> {
    let mut errs = Vec::new();
    let username = parse_username(&input.username).map_err(|e| errs.push(e)).ok();
    let name = parse_display_name(&input.display_name).map_err(|e| errs.push(e)).ok();
    let roles = parse_roles(&input.roles).map_err(|e| errs.push(e)).ok();
    if let Err(e) = check_password(
        "password",
        &input.password,
        username.as_deref().unwrap_or(&input.username),
    ) {
        errs.push(e);
    }
    match (username, name, roles) {
        (Some(u), Some(n), Some(r)) if errs.is_empty() => Ok((u, n, r)),
        _ => Err(StoreError::Invalid(errs)),
    }
}

fn insert_staff(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    username: &str,
    name: &str,
    roles: &[Role],
    password: &str,
    field_prefix: &str,
) -> Result<StaffView> {
    let taken: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM staff WHERE username = ?1)",
        [username],
        |r| r.get(0),
    )?;
    if taken {
        return Err(StoreError::Invalid(vec![FieldError::new(
            format!("{field_prefix}username"),
            "taken",
            format!("登录名“{username}”已被使用，请换一个"),
        )]));
    }
    let id = uuid_v7(now).to_string();
    let hash = hash_password(password)?;
    tx.execute(
        "INSERT INTO staff (id, username, display_name, roles, password_hash, version, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?6)",
        params![id, username, name, roles_column(roles), hash, now],
    )?;
    load_staff(tx, &id)
}

/// At least one active admin must remain after a change.
fn ensure_an_admin_remains(tx: &Transaction<'_>, field: &str) -> Result<()> {
    let mut stmt = tx.prepare("SELECT roles FROM staff WHERE disabled = 0")?;
    let admins = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .filter_map(|r| r.ok())
        .filter(|roles| roles.split(',').any(|c| c == Role::Admin.code()))
        .count();
    if admins == 0 {
        return Err(StoreError::Invalid(vec![FieldError::new(
            field,
            "last_admin",
            "至少要保留一名启用的系统管理员，请先给另一位工作人员分配“系统管理员”岗位",
        )]));
    }
    Ok(())
}

impl Store {
    /// The office, if first-start setup has been done.
    pub fn office(&self) -> Result<Option<Office>> {
        let conn = self.conn();
        Ok(conn
            .query_row(
                "SELECT name, office_code, reg_prefix, province_code, province_name FROM office WHERE id = 1",
                [],
                |r| {
                    Ok(Office {
                        name: r.get(0)?,
                        office_code: r.get(1)?,
                        reg_prefix: r.get(2)?,
                        province_code: r.get(3)?,
                        province_name: r.get(4)?,
                    })
                },
            )
            .optional()?)
    }

    /// Everything the app shows before and right after sign-in.
    pub fn app_status(&self, session: Option<&Session>) -> Result<AppStatus> {
        let office = self.office()?;
        let session_view = match session {
            Some(s) => self.session_view(s).ok(),
            None => None,
        };
        let (station_name, idle, station_office_name): (String, Option<u32>, Option<String>) = {
            let conn = self.conn();
            let name = conn.query_row("SELECT name FROM station WHERE id = 1", [], |r| r.get(0))?;
            let idle = conn
                .query_row("SELECT idle_lock_minutes FROM settings WHERE id = 1", [], |r| r.get(0))
                .optional()?;
            (name, idle, crate::scope::own_office_name(&conn)?)
        };
        Ok(AppStatus {
            setup_done: office.is_some(),
            office,
            station_id: self.station_id.clone(),
            station_name,
            station_office_name,
            session: session_view,
            idle_lock_minutes: idle.unwrap_or(crate::settings::DEFAULT_IDLE_LOCK_MINUTES),
            pending_sync: self.pending_sync()?,
            provinces: PROVINCES
                .iter()
                .map(|(c, n)| ProvinceOption {
                    code: (*c).into(),
                    name: (*n).into(),
                })
                .collect(),
            role_options: Role::ALL
                .iter()
                .map(|r| RoleOption {
                    role: *r,
                    label: r.label().into(),
                })
                .collect(),
            password_min_chars: PASSWORD_MIN_CHARS as u32,
            office_utc_offset_hours: crate::OFFICE_UTC_OFFSET_HOURS,
        })
    }

    /// 首次启动：建立机构、命名本工作站、创建首位管理员，并让其登录。
    pub fn setup_office(&self, input: &SetupInput) -> Result<Session> {
        let mut errs: Vec<FieldError> = Vec::new();
        let office = input.office.validate().map_err(|es| {
            errs.extend(es.into_iter().map(|mut e| {
                e.field = format!("office.{}", e.field);
                e
            }))
        });
        let station_name = regdesk_domain::error::required_text("station_name", "工作站名称", &input.station_name, 30)
            .map_err(|e| errs.push(e));
        let mut admin_input = input.admin.clone();
        if !admin_input.roles.contains(&Role::Admin) {
            admin_input.roles.push(Role::Admin);
        }
        let admin = validate_new_staff(&admin_input).map_err(|e| {
            if let StoreError::Invalid(fs) = e.nest("admin") {
                errs.extend(fs);
            }
        });
        let (office, station_name, (username, name, roles)) = match (office, station_name, admin) {
            (Ok(o), Ok(s), Ok(a)) if errs.is_empty() => (o, s, a),
            _ => return Err(StoreError::Invalid(errs)),
        };
        let staff_id = self.run(None, "setup_office", |tx, now| {
            let exists: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM office)", [], |r| r.get(0))?;
            if exists {
                return Err(StoreError::AlreadySetUp);
            }
            tx.execute(
                "INSERT INTO office (id, name, office_code, reg_prefix, province_code, province_name, version, created_at)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5, 1, ?6)",
                params![office.name, office.office_code, office.reg_prefix, office.province_code, office.province_name, now],
            )?;
            tx.execute("UPDATE station SET name = ?1 WHERE id = 1", [&station_name])?;
            tx.execute(
                "INSERT INTO settings (id, idle_lock_minutes, version) VALUES (1, ?1, 1)",
                [crate::settings::DEFAULT_IDLE_LOCK_MINUTES],
            )?;
            let admin = insert_staff(tx, now, &username, &name, &roles, &input.admin.password, "admin.")?;
            let change = Change {
                entity: "office",
                entity_id: office.office_code.clone(),
                version: 1,
                payload: json!({
                    "office": office,
                    "station_name": station_name,
                    "first_admin": staff_payload(&admin),
                    "first_admin_id": admin.id,
                }),
            };
            Ok((change, admin.id))
        })?;
        Ok(Session::new(staff_id, self.now()))
    }

    /// The view of a session, read fresh (roles may have changed).
    pub fn session_view(&self, s: &Session) -> Result<SessionView> {
        let conn = self.conn();
        let v = load_staff(&conn, &s.staff_id).map_err(|_| StoreError::NotSignedIn)?;
        if v.disabled {
            return Err(StoreError::NotSignedIn);
        }
        Ok(SessionView {
            desks: desks_for(&v.roles)
                .into_iter()
                .map(|d| DeskOption {
                    desk: d,
                    label: desk_label(d).trim_end_matches('台').to_string(),
                })
                .collect(),
            staff_id: v.id,
            username: v.username,
            display_name: v.display_name,
            locked: s.locked(),
            must_change_password: v.must_change_password,
            may_change_applicant_category: regdesk_domain::staff::require(
                &v.roles,
                Permission::ChangeApplicantCategory,
            )
            .is_ok(),
            attachable: regdesk_domain::staff::attachable(&v.roles),
            roles: v.roles,
        })
    }

    /// Checks a password for a login name, counting failures and locking the
    /// account after too many. Every attempt on a known account is journaled.
    ///
    /// The Argon2 check runs before the write lock is taken; the counter is
    /// then read and written inside the one IMMEDIATE transaction of
    /// [`Store::run`], so parallel attempts (other threads, other processes on
    /// the same file) each count.
    fn check_credentials(&self, username: &str, password: &str, command: &str) -> Result<String> {
        let policy = LockoutPolicy::default();
        let username = username.trim().to_lowercase();
        let row = self
            .conn()
            .query_row(
                "SELECT id, password_hash FROM staff WHERE username = ?1",
                [&username],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
            )
            .optional()?;
        let bad_credentials = || -> StoreError {
            DomainError::Login(LoginRefusal::BadCredentials {
                remaining_hint: format!("{} 次", policy.max_failures),
            })
            .into()
        };
        let Some((id, hash)) = row else {
            // Unknown names get the same answer as wrong passwords, after the
            // same Argon2 work, so timing does not tell which names exist.
            // Nothing to record.
            let _ = password_matches(password, dummy_hash());
            return Err(bad_credentials());
        };
        let ok = password_matches(password, &hash);
        let outcome = self.run(Some(&id), command, |tx, now| {
            let (current_hash, standing) = tx.query_row(
                "SELECT password_hash, disabled, failed_logins, locked_until FROM staff WHERE id = ?1",
                [&id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        AccountStanding {
                            disabled: r.get(1)?,
                            failed_logins: r.get(2)?,
                            locked_until: r.get(3)?,
                        },
                    ))
                },
            )?;
            // Refusals before the check leave no trace (the transaction rolls back).
            policy
                .may_try(&standing, now, OFFICE_UTC_OFFSET_HOURS)
                .map_err(|e| StoreError::Domain(e.into()))?;
            if current_hash != hash {
                // The password was changed while this attempt was checked.
                return Err(bad_credentials());
            }
            let v = load_staff(tx, &id)?;
            match policy.decide(&standing, ok, now, OFFICE_UTC_OFFSET_HOURS) {
                LoginDecision::Accept => {
                    tx.execute(
                        "UPDATE staff SET failed_logins = 0, locked_until = NULL WHERE id = ?1",
                        [&id],
                    )?;
                    Ok((staff_change(&v, json!({ "result": "accepted" })), Ok(())))
                }
                LoginDecision::Reject {
                    failed_logins,
                    locked_until,
                    refusal,
                } => {
                    tx.execute(
                        "UPDATE staff SET failed_logins = ?2, locked_until = ?3 WHERE id = ?1",
                        params![id, failed_logins, locked_until],
                    )?;
                    let change = staff_change(
                        &v,
                        json!({ "result": "rejected", "failed_logins": failed_logins, "locked_until": locked_until }),
                    );
                    Ok((change, Err(refusal)))
                }
            }
        })?;
        outcome.map_err(|r| StoreError::Domain(r.into()))?;
        Ok(id)
    }

    /// 登录。
    pub fn login(&self, input: &LoginInput) -> Result<Session> {
        if self.office()?.is_none() {
            return Err(StoreError::NotSetUp);
        }
        let staff_id = self.check_credentials(&input.username, &input.password, "login")?;
        Ok(Session::new(staff_id, self.now()))
    }

    /// 解锁：the signed-in person's password (wrong ones count toward the lockout).
    pub fn unlock(&self, session: &Session, input: &UnlockInput) -> Result<Session> {
        let username: String = {
            let conn = self.conn();
            load_staff(&conn, &session.staff_id)
                .map_err(|_| StoreError::NotSignedIn)?
                .username
        };
        self.check_credentials(&username, &input.password, "unlock")?;
        Ok(Session::new(session.staff_id.clone(), self.now()))
    }

    /// 修改本人密码。
    pub fn change_password(&self, session: &Session, input: &ChangePasswordInput) -> Result<()> {
        let me = {
            let conn = self.conn();
            let a = actor(&conn, self.now(), Some(session), None)?;
            load_staff(&conn, a.id())?
        };
        check_password("new_password", &input.new_password, &me.username)?;
        if input.new_password == input.old_password {
            return Err(FieldError::new("new_password", "unchanged", "新密码不能与原密码相同").into());
        }
        let hash: String = self
            .conn()
            .query_row("SELECT password_hash FROM staff WHERE id = ?1", [&me.id], |r| r.get(0))?;
        if !password_matches(&input.old_password, &hash) {
            return Err(FieldError::new("old_password", "wrong", "原密码不正确，请重新输入").into());
        }
        let new_hash = hash_password(&input.new_password)?;
        self.run(Some(&me.id), "change_password", |tx, now| {
            tx.execute(
                "UPDATE staff SET password_hash = ?2, must_change_password = 0, version = version + 1, updated_at = ?3
                 WHERE id = ?1",
                params![me.id, new_hash, now],
            )?;
            let v = load_staff(tx, &me.id)?;
            Ok((staff_change(&v, json!({})), ()))
        })
    }

    /// 工作人员列表（管理员）。
    pub fn list_staff(&self, session: &Session) -> Result<Vec<StaffView>> {
        let conn = self.conn();
        actor(&conn, self.now(), Some(session), Some(Permission::ManageStaff))?;
        let mut stmt = conn.prepare(&format!("SELECT {STAFF_COLS} FROM staff ORDER BY disabled, created_at"))?;
        let rows = stmt.query_map([], staff_view)?.collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(finish_view).collect()
    }

    /// 新增工作人员（管理员）。
    pub fn add_staff(&self, session: &Session, input: &NewStaffInput) -> Result<StaffView> {
        let admin = actor(&self.conn(), self.now(), Some(session), Some(Permission::ManageStaff))?;
        let (username, name, roles) = validate_new_staff(input)?;
        self.run(Some(admin.id()), "add_staff", |tx, now| {
            let mut v = insert_staff(tx, now, &username, &name, &roles, &input.password, "")?;
            // The first password is set by an admin: the person chooses their own at first sign-in.
            tx.execute("UPDATE staff SET must_change_password = 1 WHERE id = ?1", [&v.id])?;
            v.must_change_password = true;
            Ok((staff_change(&v, json!({})), v))
        })
    }

    /// 修改姓名与岗位（管理员）。
    pub fn update_staff(&self, session: &Session, input: &UpdateStaffInput) -> Result<StaffView> {
        let admin = actor(&self.conn(), self.now(), Some(session), Some(Permission::ManageStaff))?;
        let mut errs = Vec::new();
        let name = parse_display_name(&input.display_name).map_err(|e| errs.push(e)).ok();
        let roles = parse_roles(&input.roles).map_err(|e| errs.push(e)).ok();
        let (Some(name), Some(roles)) = (name, roles) else {
            return Err(StoreError::Invalid(errs));
        };
        self.run(Some(admin.id()), "update_staff", |tx, now| {
            load_at_version(tx, &input.id, input.version)?;
            tx.execute(
                "UPDATE staff SET display_name = ?2, roles = ?3, version = version + 1, updated_at = ?4 WHERE id = ?1",
                params![input.id, name, roles_column(&roles), now],
            )?;
            ensure_an_admin_remains(tx, "roles")?;
            let v = load_staff(tx, &input.id)?;
            Ok((staff_change(&v, json!({})), v))
        })
    }

    /// 停用或启用账号（管理员；不能停用自己）。
    pub fn set_staff_disabled(&self, session: &Session, input: &SetDisabledInput) -> Result<StaffView> {
        let admin = actor(&self.conn(), self.now(), Some(session), Some(Permission::ManageStaff))?;
        if input.disabled && input.id == admin.id() {
            return Err(FieldError::new("disabled", "self", "不能停用自己正在使用的账号").into());
        }
        let command = if input.disabled {
            "disable_staff"
        } else {
            "enable_staff"
        };
        self.run(Some(admin.id()), command, |tx, now| {
            load_at_version(tx, &input.id, input.version)?;
            tx.execute(
                "UPDATE staff SET disabled = ?2, failed_logins = 0, locked_until = NULL, version = version + 1,
                 updated_at = ?3 WHERE id = ?1",
                params![input.id, input.disabled, now],
            )?;
            ensure_an_admin_remains(tx, "disabled")?;
            let v = load_staff(tx, &input.id)?;
            Ok((staff_change(&v, json!({})), v))
        })
    }

    /// 重置密码（管理员）：clears any lockout; the person must choose a new one at sign-in.
    pub fn reset_password(&self, session: &Session, input: &ResetPasswordInput) -> Result<StaffView> {
        let admin = actor(&self.conn(), self.now(), Some(session), Some(Permission::ManageStaff))?;
        let target = load_staff(&self.conn(), &input.id)?;
        check_password("new_password", &input.new_password, &target.username)?;
        let hash = hash_password(&input.new_password)?;
        self.run(Some(admin.id()), "reset_password", |tx, now| {
            load_at_version(tx, &input.id, input.version)?;
            tx.execute(
                "UPDATE staff SET password_hash = ?2, must_change_password = 1, failed_logins = 0, locked_until = NULL,
                 version = version + 1, updated_at = ?3 WHERE id = ?1",
                params![input.id, hash, now],
            )?;
            let v = load_staff(tx, &input.id)?;
            Ok((staff_change(&v, json!({})), v))
        })
    }

    /// Staff by login name (the CLI's `staff disable NAME`).
    pub fn staff_by_username(&self, session: &Session, username: &str) -> Result<StaffView> {
        let conn = self.conn();
        actor(&conn, self.now(), Some(session), Some(Permission::ManageStaff))?;
        let id: String = conn
            .query_row(
                "SELECT id FROM staff WHERE username = ?1",
                [username.trim().to_lowercase()],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "登录名",
                id: username.to_string(),
            })?;
        load_staff(&conn, &id)
    }

    /// 最近的审计记录（管理员、主管）。
    pub fn recent_audit(&self, session: &Session, limit: u32) -> Result<Vec<AuditEntryView>> {
        let conn = self.conn();
        actor(&conn, self.now(), Some(session), Some(Permission::ViewAudit))?;
        let mut stmt = conn.prepare(
            "SELECT j.seq, j.at, s.display_name, j.command, j.entity, j.entity_id
             FROM journal j LEFT JOIN staff s ON s.id = j.staff_id
             ORDER BY j.seq DESC LIMIT ?1",
        )?;
        let rows = stmt
            .query_map([limit.clamp(1, 500)], |r| {
                Ok(AuditEntryView {
                    seq: r.get(0)?,
                    at: r.get(1)?,
                    staff_name: r.get(2)?,
                    command: r.get(3)?,
                    entity: r.get(4)?,
                    entity_id: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// 校验审计链（管理员、主管）。
    pub fn verify_audit_as(&self, session: &Session) -> Result<crate::AuditReport> {
        actor(&self.conn(), self.now(), Some(session), Some(Permission::ViewAudit))?;
        self.verify_audit()
    }
}

/// Which hashes this thread verified (test builds only).
#[cfg(test)]
pub(crate) mod verifications {
    use std::cell::RefCell;

    thread_local! {
        static SEEN: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    }

    pub(crate) fn record(phc: &str) {
        SEEN.with(|s| s.borrow_mut().push(phc.to_string()));
    }

    /// The hashes verified on this thread since the last call.
    pub(crate) fn take() -> Vec<String> {
        SEEN.with(|s| std::mem::take(&mut *s.borrow_mut()))
    }
}
