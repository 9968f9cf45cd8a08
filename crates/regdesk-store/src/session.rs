//! A signed-in person at this workstation, and the check every command makes.

use regdesk_domain::lifecycle::{Actor, StaffId};
use regdesk_domain::staff::{require, Permission};
use rusqlite::{Connection, OptionalExtension};

use crate::error::{Result, StoreError};
use crate::staff::parse_roles_column;

/// 登录会话：who is signed in here, and whether the screen is locked.
/// The desktop shell holds one; the CLI makes one per invocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub staff_id: String,
    pub locked: bool,
}

/// Every command starts here: signed in, not locked, account still active,
/// and (when asked) holding a role that grants `perm` — read fresh from the
/// database, so a role taken away takes effect at the next command. The
/// answer is the domain's [`Actor`]: the id and the roles the rules decide on.
pub(crate) fn actor(conn: &Connection, session: Option<&Session>, perm: Option<Permission>) -> Result<Actor> {
    let s = session.ok_or(StoreError::NotSignedIn)?;
    if s.locked {
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
    Ok(Actor {
        staff_id: StaffId(s.staff_id.clone()),
        roles,
    })
}
