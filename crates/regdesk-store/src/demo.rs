//! The sample office (示例机构): a realistic data directory made through the
//! same store commands a person would use, for trying the app and for tests.

use regdesk_domain::office::OfficeInput;
use regdesk_domain::staff::Role;
use serde::Serialize;

use crate::error::Result;
use crate::views::*;
use crate::{Session, Store};

/// The password every sample account ends up with.
pub const DEMO_PASSWORD: &str = "Banquan2026";

/// The sample staff: login name, name, roles.
pub const DEMO_STAFF: &[(&str, &str, &[Role])] = &[
    ("wangli", "王丽", &[Role::CounterClerk]),
    ("sunhao", "孙浩", &[Role::CounterClerk, Role::CertificateDesk]),
    ("chenxy", "陈晓燕", &[Role::Finance]),
    ("hejun", "何军", &[Role::Finance]),
    ("liwen", "李雯", &[Role::FirstReviewer]),
    ("zhangwei", "张伟", &[Role::FinalReviewer]),
    ("qianfang", "钱芳", &[Role::FirstReviewer, Role::FinalReviewer]),
    ("liuyang", "刘洋", &[Role::CertificateDesk]),
    ("zhaomin", "赵敏", &[Role::Supervisor]),
];

/// What the filler made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DemoSummary {
    pub office: String,
    pub admin_username: String,
    pub password: String,
    pub staff_added: u32,
    pub cases_requested: u32,
}

/// Fills the store with the sample office: the office and station, the first
/// admin, and one or more people for every role, each of whom has signed in
/// once and chosen their password. Staff that already exist are left alone.
/// `cases` is the number of filings asked for; filings come with the counter desk.
pub fn fill(store: &Store, cases: u32) -> Result<DemoSummary> {
    let admin = match store.office()? {
        Some(_) => store.login(&LoginInput {
            username: "admin".into(),
            password: DEMO_PASSWORD.into(),
        })?,
        None => store.setup_office(&SetupInput {
            office: OfficeInput {
                name: "浙江省版权局".into(),
                office_code: "ZJ".into(),
                reg_prefix: "浙作登字".into(),
                province_code: "33".into(),
            },
            station_name: "受理窗口1".into(),
            admin: NewStaffInput {
                username: "admin".into(),
                display_name: "周建国".into(),
                roles: vec![Role::Admin, Role::Supervisor],
                password: DEMO_PASSWORD.into(),
            },
        })?,
    };
    let existing: Vec<String> = store.list_staff(&admin)?.into_iter().map(|s| s.username).collect();
    let mut added = 0;
    for (username, name, roles) in DEMO_STAFF {
        if existing.iter().any(|u| u == username) {
            continue;
        }
        let first = "Linshi2026";
        store.add_staff(
            &admin,
            &NewStaffInput {
                username: (*username).into(),
                display_name: (*name).into(),
                roles: roles.to_vec(),
                password: first.into(),
            },
        )?;
        // Each person signs in once and chooses their own password.
        let s: Session = store.login(&LoginInput {
            username: (*username).into(),
            password: first.into(),
        })?;
        store.change_password(
            &s,
            &ChangePasswordInput {
                old_password: first.into(),
                new_password: DEMO_PASSWORD.into(),
            },
        )?;
        added += 1;
    }
    let office = store.office()?.map(|o| o.name).unwrap_or_default();
    Ok(DemoSummary {
        office,
        admin_username: "admin".into(),
        password: DEMO_PASSWORD.into(),
        staff_added: added,
        cases_requested: cases,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_sample_office_has_every_role_and_a_whole_audit_chain() {
        let f = crate::tests::fixture();
        let sum = fill(&f.store, 0).unwrap();
        assert_eq!(sum.staff_added as usize, DEMO_STAFF.len());
        let admin = f
            .store
            .login(&LoginInput {
                username: "admin".into(),
                password: DEMO_PASSWORD.into(),
            })
            .unwrap();
        let staff = f.store.list_staff(&admin).unwrap();
        for r in Role::ALL {
            assert!(staff.iter().any(|s| s.roles.contains(&r)), "{r:?}");
        }
        assert!(staff.iter().all(|s| !s.must_change_password));
        // Filling again adds nobody.
        assert_eq!(fill(&f.store, 0).unwrap().staff_added, 0);
        assert!(f.store.verify_audit().unwrap().ok);
    }
}
