//! Staff (工作人员): roles, the desks each role opens, permissions, the
//! password policy and the login lockout.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{required_text, FieldError};

/// 岗位。One person may hold several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 窗口受理
    CounterClerk,
    /// 缴费核对
    Finance,
    /// 初审
    FirstReviewer,
    /// 终审
    FinalReviewer,
    /// 制证发证
    CertificateDesk,
    /// 系统管理员
    Admin,
    /// 主管
    Supervisor,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::CounterClerk,
        Role::Finance,
        Role::FirstReviewer,
        Role::FinalReviewer,
        Role::CertificateDesk,
        Role::Admin,
        Role::Supervisor,
    ];

    /// The Chinese name shown on screen.
    pub fn label(self) -> &'static str {
        match self {
            Role::CounterClerk => "窗口受理",
            Role::Finance => "缴费核对",
            Role::FirstReviewer => "初审",
            Role::FinalReviewer => "终审",
            Role::CertificateDesk => "制证发证",
            Role::Admin => "系统管理员",
            Role::Supervisor => "主管",
        }
    }

    /// Stable code used in storage and on the command line.
    pub fn code(self) -> &'static str {
        match self {
            Role::CounterClerk => "counter_clerk",
            Role::Finance => "finance",
            Role::FirstReviewer => "first_reviewer",
            Role::FinalReviewer => "final_reviewer",
            Role::CertificateDesk => "certificate_desk",
            Role::Admin => "admin",
            Role::Supervisor => "supervisor",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The desks this role opens.
    pub fn desks(self) -> &'static [Desk] {
        match self {
            Role::CounterClerk => &[Desk::Counter],
            Role::Finance => &[Desk::Payments, Desk::Reports],
            Role::FirstReviewer => &[Desk::FirstReview],
            Role::FinalReviewer => &[Desk::FinalReview],
            Role::CertificateDesk => &[Desk::Certificates],
            Role::Admin => &[Desk::Admin],
            Role::Supervisor => &[Desk::Reports],
        }
    }
}

/// 工作台（左侧菜单的一项）。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Desk {
    /// 受理
    Counter,
    /// 核款
    Payments,
    /// 初审
    FirstReview,
    /// 终审
    FinalReview,
    /// 制证发证
    Certificates,
    /// 统计
    Reports,
    /// 管理
    Admin,
}

impl Desk {
    /// Every desk, in menu order.
    pub const ALL: [Desk; 7] = [
        Desk::Counter,
        Desk::Payments,
        Desk::FirstReview,
        Desk::FinalReview,
        Desk::Certificates,
        Desk::Reports,
        Desk::Admin,
    ];
}

/// The desks of a person holding `roles`, in menu order, each once.
pub fn desks_for(roles: &[Role]) -> Vec<Desk> {
    let mut desks: Vec<Desk> = roles.iter().flat_map(|r| r.desks().iter().copied()).collect();
    desks.sort();
    desks.dedup();
    desks
}

/// 操作权限. Every command of the store names the permission it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// 管理工作人员账号
    ManageStaff,
    /// 修改系统设置
    ManageSettings,
    /// 查看审计记录
    ViewAudit,
    /// 建立、修改用户信息（申请人）
    ManageApplicants,
    /// 修改用户类别为代理公司或代理律师
    ChangeApplicantCategory,
    /// 查看完整的证件号码、地址和身份证明文件（个人信息）
    ViewPersonalData,
    /// 进入某个工作台
    OpenDesk(Desk),
    /// 上传某种用途的文件（回单、样本、身份证明材料、遗失声明……）
    AttachFile(FilePurpose),
    /// 制作证书：打印、重印证书，作废废证
    PrintCertificates,
    /// 查看审查人员的工作量（每人每周的审查决定，仅主管）
    ViewWorkload,
}

/// 文件用途：a file is added to the attachment store for one purpose, and the purpose decides
/// who may add it (docs/DOMAIN.md §2): the counter the filing's materials, finance the bank
/// receipt of a payment, the certificate desk the loss statement of a re-issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FilePurpose {
    /// 作品样本或其他附件（填报）
    Sample,
    /// 身份证明材料（用户信息与当事人的证明文件）
    IdentityProof,
    /// 纸质签章页扫描件
    SignedForm,
    /// 付款回单或支付凭证（核款）
    Receipt,
    /// 遗失声明（补发证书）或受理通知书的遗失说明（自领）
    LossStatement,
    /// 代理人领取证书的授权委托书
    PowerOfAttorney,
}

impl FilePurpose {
    pub const ALL: [FilePurpose; 6] = [
        FilePurpose::Sample,
        FilePurpose::IdentityProof,
        FilePurpose::SignedForm,
        FilePurpose::Receipt,
        FilePurpose::LossStatement,
        FilePurpose::PowerOfAttorney,
    ];

    pub fn label(self) -> &'static str {
        match self {
            FilePurpose::Sample => "作品样本或附件",
            FilePurpose::IdentityProof => "身份证明材料",
            FilePurpose::SignedForm => "签章页扫描件",
            FilePurpose::Receipt => "付款回单",
            FilePurpose::LossStatement => "遗失声明",
            FilePurpose::PowerOfAttorney => "授权委托书",
        }
    }

    /// The roles that may attach a file for this purpose (any one suffices).
    pub fn roles(self) -> &'static [Role] {
        match self {
            FilePurpose::Sample | FilePurpose::IdentityProof | FilePurpose::SignedForm => &[Role::CounterClerk],
            FilePurpose::Receipt => &[Role::Finance],
            FilePurpose::LossStatement | FilePurpose::PowerOfAttorney => &[Role::CertificateDesk],
        }
    }
}

/// The purposes a person holding `roles` may attach files for, in [`FilePurpose::ALL`] order.
pub fn attachable(roles: &[Role]) -> Vec<FilePurpose> {
    FilePurpose::ALL
        .into_iter()
        .filter(|p| require(roles, Permission::AttachFile(*p)).is_ok())
        .collect()
}

impl Permission {
    /// The roles that grant this permission.
    pub fn granted_by(self, role: Role) -> bool {
        match self {
            Permission::ManageStaff | Permission::ManageSettings => role == Role::Admin,
            Permission::ViewAudit => matches!(role, Role::Admin | Role::Supervisor),
            Permission::ManageApplicants => role == Role::CounterClerk,
            Permission::ChangeApplicantCategory => role == Role::Admin,
            // The desks whose work needs them: the counter (profiles, the
            // application form the applicant signs), both reviews (checking
            // the IDs against the scans) and the certificate desk (the ID of
            // whoever picks up). Finance, the admin and the supervisor see
            // masked values.
            Permission::ViewPersonalData => matches!(
                role,
                Role::CounterClerk | Role::FirstReviewer | Role::FinalReviewer | Role::CertificateDesk
            ),
            Permission::OpenDesk(d) => role.desks().contains(&d),
            Permission::AttachFile(p) => p.roles().contains(&role),
            Permission::PrintCertificates => role == Role::CertificateDesk,
            Permission::ViewWorkload => role == Role::Supervisor,
        }
    }

    fn label(self) -> String {
        match self {
            Permission::ManageStaff => "管理工作人员".into(),
            Permission::ManageSettings => "修改系统设置".into(),
            Permission::ViewAudit => "查看审计记录".into(),
            Permission::ManageApplicants => "建立或修改用户信息".into(),
            Permission::ChangeApplicantCategory => "修改用户类别".into(),
            Permission::ViewPersonalData => "查看完整证件号码、地址或身份证明文件".into(),
            Permission::OpenDesk(d) => format!("进入{}", desk_label(d)),
            Permission::AttachFile(p) => format!("上传{}", p.label()),
            Permission::PrintCertificates => "打印证书".into(),
            Permission::ViewWorkload => "查看审查人员工作量".into(),
        }
    }
}

pub fn desk_label(d: Desk) -> &'static str {
    match d {
        Desk::Counter => "受理台",
        Desk::Payments => "核款台",
        Desk::FirstReview => "初审台",
        Desk::FinalReview => "终审台",
        Desk::Certificates => "制证发证台",
        Desk::Reports => "统计台",
        Desk::Admin => "管理台",
    }
}

/// 权限不足。
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("您没有“{action}”的权限，需要岗位：{needed}。请联系系统管理员分配岗位。")]
pub struct PermissionDenied {
    pub action: String,
    pub needed: String,
}

/// Checks that one of `roles` grants `perm`.
pub fn require(roles: &[Role], perm: Permission) -> Result<(), PermissionDenied> {
    if roles.iter().any(|r| perm.granted_by(*r)) {
        return Ok(());
    }
    let needed: Vec<&str> = Role::ALL
        .iter()
        .filter(|r| perm.granted_by(**r))
        .map(|r| r.label())
        .collect();
    Err(PermissionDenied {
        action: perm.label(),
        needed: needed.join("或"),
    })
}

/// 登录名：3–32 个小写字母、数字、点、下划线或连字符。
pub fn parse_username(value: &str) -> Result<String, FieldError> {
    let v = value.trim().to_lowercase();
    let n = v.chars().count();
    if !(3..=32).contains(&n) {
        return Err(FieldError::new(
            "username",
            "length",
            "登录名应为 3–32 个字符（字母、数字、点、下划线或连字符）",
        ));
    }
    if let Some(bad) = v
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')))
    {
        return Err(FieldError::new(
            "username",
            "character",
            format!("登录名不能包含“{bad}”，只能用字母、数字、点、下划线或连字符"),
        ));
    }
    Ok(v)
}

/// 姓名：必填，最多 40 个字。
pub fn parse_display_name(value: &str) -> Result<String, FieldError> {
    required_text("display_name", "姓名", value, 40)
}

/// 岗位：至少一个。
pub fn parse_roles(roles: &[Role]) -> Result<Vec<Role>, FieldError> {
    let mut r = roles.to_vec();
    r.sort();
    r.dedup();
    if r.is_empty() {
        return Err(FieldError::new("roles", "required", "请至少选择一个岗位"));
    }
    Ok(r)
}

/// 密码的最短长度。
pub const PASSWORD_MIN_CHARS: usize = 8;

/// 密码规则：至少 8 位，同时含字母和数字，不能与登录名相同。
pub fn check_password(field: &str, password: &str, username: &str) -> Result<(), FieldError> {
    let n = password.chars().count();
    if n < PASSWORD_MIN_CHARS {
        return Err(FieldError::new(
            field,
            "too_short",
            format!("密码至少 {PASSWORD_MIN_CHARS} 位，现在是 {n} 位"),
        ));
    }
    if n > 128 {
        return Err(FieldError::new(field, "too_long", "密码最多 128 位"));
    }
    let letters = password.chars().any(|c| c.is_alphabetic());
    let digits = password.chars().any(|c| c.is_ascii_digit());
    if !(letters && digits) {
        return Err(FieldError::new(field, "weak", "密码需同时包含字母和数字"));
    }
    if password.trim().eq_ignore_ascii_case(username.trim()) {
        return Err(FieldError::new(field, "same_as_username", "密码不能与登录名相同"));
    }
    Ok(())
}

/// 登录锁定规则：连续失败若干次后锁定一段时间。
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    pub max_failures: u32,
    pub lock_minutes: i64,
}

impl Default for LockoutPolicy {
    fn default() -> Self {
        LockoutPolicy {
            max_failures: 5,
            lock_minutes: 15,
        }
    }
}

/// What the store knows of an account when someone tries to sign in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountStanding {
    pub disabled: bool,
    pub failed_logins: u32,
    pub locked_until: Option<DateTime<Utc>>,
}

/// 登录被拒的原因。The message never says whether the login name exists.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoginRefusal {
    /// 登录名或密码错误
    #[error("登录名或密码错误，请重新输入（连续错误 {remaining_hint} 将锁定账号）")]
    BadCredentials { remaining_hint: String },
    /// 账号已停用
    #[error("该账号已停用，请联系系统管理员")]
    Disabled,
    /// 锁定中
    #[error("密码连续错误次数过多，账号已锁定至 {until_local}，请稍后再试或请管理员重置密码")]
    Locked { until_local: String },
}

/// The outcome of a sign-in attempt, decided before and after the password check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginDecision {
    /// The password was right: clear the failure count.
    Accept,
    /// The password was wrong: store the new count and lock.
    Reject {
        failed_logins: u32,
        locked_until: Option<DateTime<Utc>>,
        refusal: LoginRefusal,
    },
}

impl LockoutPolicy {
    /// May this account try to sign in at `now`? (Checked before the password.)
    pub fn may_try(&self, a: &AccountStanding, now: DateTime<Utc>, offset_hours: i32) -> Result<(), LoginRefusal> {
        if a.disabled {
            return Err(LoginRefusal::Disabled);
        }
        if let Some(until) = a.locked_until {
            if until > now {
                return Err(LoginRefusal::Locked {
                    until_local: local_hm(until, offset_hours),
                });
            }
        }
        Ok(())
    }

    /// What follows from the password check.
    pub fn decide(
        &self,
        a: &AccountStanding,
        password_ok: bool,
        now: DateTime<Utc>,
        offset_hours: i32,
    ) -> LoginDecision {
        if password_ok {
            return LoginDecision::Accept;
        }
        // A lock that has run out starts a fresh count.
        let lock_expired = a.locked_until.is_some_and(|u| u <= now);
        let prior = if lock_expired { 0 } else { a.failed_logins };
        let failed = prior.saturating_add(1);
        if failed >= self.max_failures {
            let until = now + Duration::minutes(self.lock_minutes);
            LoginDecision::Reject {
                failed_logins: failed,
                locked_until: Some(until),
                refusal: LoginRefusal::Locked {
                    until_local: local_hm(until, offset_hours),
                },
            }
        } else {
            LoginDecision::Reject {
                failed_logins: failed,
                locked_until: None,
                refusal: LoginRefusal::BadCredentials {
                    remaining_hint: format!("{} 次", self.max_failures),
                },
            }
        }
    }
}

fn local_hm(t: DateTime<Utc>, offset_hours: i32) -> String {
    match chrono::FixedOffset::east_opt(offset_hours * 3600) {
        Some(off) => t.with_timezone(&off).format("%H:%M").to_string(),
        None => t.format("%H:%M UTC").to_string(),
    }
}

/// 空闲锁屏分钟数：1–240。
pub fn parse_idle_lock_minutes(v: i64) -> Result<u32, FieldError> {
    if !(1..=240).contains(&v) {
        return Err(FieldError::new(
            "idle_lock_minutes",
            "range",
            "空闲锁屏时间应在 1 到 240 分钟之间",
        ));
    }
    Ok(v as u32)
}

#[cfg(test)]
#[allow(clippy::panic)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, h, m, 0).single().unwrap_or_default()
    }

    #[test]
    fn every_role_opens_its_desks_and_only_those() {
        let table: &[(Role, &[Desk])] = &[
            (Role::CounterClerk, &[Desk::Counter]),
            (Role::Finance, &[Desk::Payments, Desk::Reports]),
            (Role::FirstReviewer, &[Desk::FirstReview]),
            (Role::FinalReviewer, &[Desk::FinalReview]),
            (Role::CertificateDesk, &[Desk::Certificates]),
            (Role::Admin, &[Desk::Admin]),
            (Role::Supervisor, &[Desk::Reports]),
        ];
        for (role, desks) in table {
            assert_eq!(desks_for(&[*role]), desks.to_vec(), "{role:?}");
            for d in Desk::ALL {
                assert_eq!(
                    require(&[*role], Permission::OpenDesk(d)).is_ok(),
                    desks.contains(&d),
                    "{role:?} {d:?}"
                );
            }
        }
        assert_eq!(
            desks_for(&[Role::FinalReviewer, Role::FirstReviewer, Role::FirstReviewer]),
            vec![Desk::FirstReview, Desk::FinalReview]
        );
    }

    /// Who may attach a file for which purpose: every role × every purpose.
    #[test]
    fn who_attaches_which_file() {
        use FilePurpose as P;
        let table: &[(Role, &[FilePurpose])] = &[
            (Role::CounterClerk, &[P::Sample, P::IdentityProof, P::SignedForm]),
            (Role::Finance, &[P::Receipt]),
            (Role::FirstReviewer, &[]),
            (Role::FinalReviewer, &[]),
            (Role::CertificateDesk, &[P::LossStatement, P::PowerOfAttorney]),
            (Role::Admin, &[]),
            (Role::Supervisor, &[]),
        ];
        assert_eq!(table.len(), Role::ALL.len());
        for (role, may) in table {
            assert_eq!(attachable(&[*role]), may.to_vec(), "{role:?}");
            for p in FilePurpose::ALL {
                assert_eq!(
                    require(&[*role], Permission::AttachFile(p)).is_ok(),
                    may.contains(&p),
                    "{role:?} {p:?}"
                );
            }
        }
        // Several roles: what each of them may.
        assert_eq!(
            attachable(&[Role::CounterClerk, Role::CertificateDesk]),
            vec![
                P::Sample,
                P::IdentityProof,
                P::SignedForm,
                P::LossStatement,
                P::PowerOfAttorney
            ]
        );
        let e = require(&[Role::Finance], Permission::AttachFile(P::Sample))
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some("您没有“上传作品样本或附件”的权限，需要岗位：窗口受理。请联系系统管理员分配岗位。")
        );
        let e = require(&[Role::CounterClerk], Permission::AttachFile(P::Receipt))
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some("您没有“上传付款回单”的权限，需要岗位：缴费核对。请联系系统管理员分配岗位。")
        );
    }

    #[test]
    fn only_the_desks_whose_work_needs_them_see_personal_data() {
        let table = [
            (Role::CounterClerk, true),
            (Role::Finance, false),
            (Role::FirstReviewer, true),
            (Role::FinalReviewer, true),
            (Role::CertificateDesk, true),
            (Role::Admin, false),
            (Role::Supervisor, false),
        ];
        assert_eq!(table.len(), Role::ALL.len());
        for (role, sees) in table {
            assert_eq!(require(&[role], Permission::ViewPersonalData).is_ok(), sees, "{role:?}");
        }
        // An admin who also works the counter sees them; finance with the admin role does not.
        assert!(require(&[Role::Admin, Role::CounterClerk], Permission::ViewPersonalData).is_ok());
        let e = require(&[Role::Admin, Role::Finance], Permission::ViewPersonalData)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("窗口受理或初审或终审或制证发证"), "{e}");
    }

    #[test]
    fn only_supervisors_see_each_reviewers_workload() {
        for r in Role::ALL {
            assert_eq!(
                require(&[r], Permission::ViewWorkload).is_ok(),
                r == Role::Supervisor,
                "{r:?}"
            );
        }
    }

    #[test]
    fn only_admins_manage_staff() {
        for r in Role::ALL {
            assert_eq!(require(&[r], Permission::ManageStaff).is_ok(), r == Role::Admin);
        }
        let e = require(&[Role::FirstReviewer], Permission::ManageStaff)
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some("您没有“管理工作人员”的权限，需要岗位：系统管理员。请联系系统管理员分配岗位。")
        );
    }

    #[test]
    fn role_codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(r));
        }
        assert_eq!(Role::from_code("boss"), None);
    }

    #[test]
    fn usernames() {
        assert_eq!(parse_username("  Wang.Li ").as_deref(), Ok("wang.li"));
        assert_eq!(parse_username("ab").map_err(|e| e.code), Err("length".into()));
        assert_eq!(parse_username("王丽").map_err(|e| e.code), Err("length".into()));
        assert_eq!(parse_username("wang li").map_err(|e| e.code), Err("character".into()));
    }

    #[test]
    fn passwords() {
        let cases = [
            ("abc123", "too_short"),
            ("abcdefgh", "weak"),
            ("12345678", "weak"),
            ("wangli01", "same_as_username"),
        ];
        for (pw, code) in cases {
            assert_eq!(
                check_password("password", pw, "wangli01").map_err(|e| e.code),
                Err(code.into()),
                "{pw}"
            );
        }
        assert!(check_password("password", "Banquan2026", "wangli01").is_ok());
        assert!(check_password("password", "版权登记2026a", "wangli01").is_ok());
    }

    #[test]
    fn lockout_after_five_failures_and_release_after_fifteen_minutes() {
        let p = LockoutPolicy::default();
        let mut a = AccountStanding {
            disabled: false,
            failed_logins: 0,
            locked_until: None,
        };
        for i in 1..=5 {
            assert!(p.may_try(&a, t(9, 0), 8).is_ok(), "try {i}");
            match p.decide(&a, false, t(9, 0), 8) {
                LoginDecision::Reject {
                    failed_logins,
                    locked_until,
                    refusal,
                } => {
                    assert_eq!(failed_logins, i);
                    assert_eq!(locked_until.is_some(), i == 5);
                    a.failed_logins = failed_logins;
                    a.locked_until = locked_until;
                    if i == 5 {
                        assert_eq!(
                            refusal,
                            LoginRefusal::Locked {
                                until_local: "17:15".into()
                            }
                        );
                    }
                }
                LoginDecision::Accept => panic!("wrong password accepted"),
            }
        }
        assert!(matches!(p.may_try(&a, t(9, 14), 8), Err(LoginRefusal::Locked { .. })));
        assert!(p.may_try(&a, t(9, 15), 8).is_ok());
        // After the lock has run out, one more wrong password does not lock again.
        assert!(matches!(
            p.decide(&a, false, t(9, 16), 8),
            LoginDecision::Reject {
                failed_logins: 1,
                locked_until: None,
                ..
            }
        ));
        assert_eq!(p.decide(&a, true, t(9, 16), 8), LoginDecision::Accept);
    }

    #[test]
    fn disabled_accounts_cannot_try() {
        let a = AccountStanding {
            disabled: true,
            failed_logins: 0,
            locked_until: None,
        };
        assert_eq!(
            LockoutPolicy::default().may_try(&a, t(9, 0), 8),
            Err(LoginRefusal::Disabled)
        );
    }

    #[test]
    fn idle_minutes_bounds() {
        assert!(parse_idle_lock_minutes(0).is_err());
        assert_eq!(parse_idle_lock_minutes(10), Ok(10));
        assert!(parse_idle_lock_minutes(241).is_err());
    }
}
