//! A signed-in person at this workstation, and the check every command makes.

use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use regdesk_domain::lifecycle::{Actor, StaffId};
use regdesk_domain::staff::{require, Permission};
use rusqlite::{Connection, OptionalExtension};

use crate::error::{Result, StoreError};
use crate::staff::parse_roles_column;

/// 登录会话：who is signed in here, whether the screen is locked, and when
/// they last acted. The desktop shell holds one; the CLI makes one per
/// invocation.
///
/// A clone is another handle on the same session: the lock and the last
/// activity are shared, so a command run on the shell's copy refreshes (or
/// locks) the session the shell holds. Signing in and unlocking make a new one.
#[derive(Debug, Clone)]
pub struct Session {
    pub staff_id: String,
    state: Arc<SessionState>,
}

#[derive(Debug)]
struct SessionState {
    locked: AtomicBool,
    /// When the person last acted, in epoch milliseconds of the store's clock.
    last_active_ms: AtomicI64,
}

impl Session {
    /// A fresh, unlocked session that has just acted at `now`.
    pub(crate) fn new(staff_id: String, now: DateTime<Utc>) -> Session {
        Session {
            staff_id,
            state: Arc::new(SessionState {
                locked: AtomicBool::new(false),
                last_active_ms: AtomicI64::new(now.timestamp_millis()),
            }),
        }
    }

    /// Whether the screen is locked (by the person, or by the core after the idle time).
    pub fn locked(&self) -> bool {
        self.state.locked.load(Ordering::SeqCst)
    }

    /// 锁屏: nothing passes until [`crate::Store::unlock`].
    pub fn lock(&self) {
        self.state.locked.store(true, Ordering::SeqCst);
    }

    /// When the person last acted (a command that passed [`actor`], or signing in / unlocking).
    pub fn last_active(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.state.last_active_ms.load(Ordering::SeqCst)).unwrap_or_default()
    }
}

/// Two sessions are equal when the same person is signed in and both are (un)locked.
impl PartialEq for Session {
    fn eq(&self, other: &Self) -> bool {
        self.staff_id == other.staff_id && self.locked() == other.locked()
    }
}

impl Eq for Session {}

/// Every command starts here: signed in, not locked, not idle past the
/// office's 空闲锁屏 minutes (an idle session is locked here, whatever the
/// screen does), account still active, and (when asked) holding a role that
/// grants `perm` — read fresh from the database, so a role taken away takes
/// effect at the next command. A command that passes counts as activity at
/// `now`. The answer is the domain's [`Actor`]: the id and the roles the rules
/// decide on.
pub(crate) fn actor(
    conn: &Connection,
    now: DateTime<Utc>,
    session: Option<&Session>,
    perm: Option<Permission>,
) -> Result<Actor> {
    let s = session.ok_or(StoreError::NotSignedIn)?;
    if s.locked() {
        return Err(StoreError::SessionLocked);
    }
    let idle_minutes: Option<i64> = conn
        .query_row("SELECT idle_lock_minutes FROM settings WHERE id = 1", [], |r| r.get(0))
        .optional()?;
    let idle_minutes = idle_minutes.unwrap_or(i64::from(crate::settings::DEFAULT_IDLE_LOCK_MINUTES));
    // The setting is 1–240 minutes (no "off"); a stray value ≤ 0 is read as off rather than locking at once.
    if idle_minutes > 0 && now - s.last_active() > chrono::Duration::minutes(idle_minutes) {
        s.lock();
        return Err(StoreError::SessionLocked);
    }
    let row: Option<(String, bool)> = conn
        .query_row("SELECT roles, disabled FROM staff WHERE id = ?1", [&s.staff_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let (roles, disabled) = row.ok_or(StoreError::NotSignedIn)?;
    if disabled {
        return Err(StoreError::NotSignedIn);
    }
    let roles = parse_roles_column(&roles)?;
    if let Some(p) = perm {
        require(&roles, p)?;
    }
    // Activity never goes backwards (two commands racing on the shell's copies).
    s.state
        .last_active_ms
        .fetch_max(now.timestamp_millis(), Ordering::SeqCst);
    Ok(Actor {
        staff_id: StaffId(s.staff_id.clone()),
        roles,
    })
}
