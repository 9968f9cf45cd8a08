//! What crosses to the desk's screens and the CLI: inputs and views.
//! The UI's TypeScript types are generated from these (see `bindings`).

use chrono::{DateTime, Utc};
use regdesk_domain::office::{Office, OfficeInput};
use regdesk_domain::staff::{Desk, Role};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// 省份选项。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProvinceOption {
    pub code: String,
    pub name: String,
}

/// 岗位选项。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RoleOption {
    pub role: Role,
    pub label: String,
}

/// 工作台菜单项。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DeskOption {
    pub desk: Desk,
    pub label: String,
}

/// 当前登录的人。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SessionView {
    pub staff_id: String,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    /// The desks this person opens, in menu order.
    pub desks: Vec<DeskOption>,
    pub locked: bool,
    pub must_change_password: bool,
    /// May change an applicant's category (用户类别) after checking credentials.
    pub may_change_applicant_category: bool,
    /// The purposes this person may attach files for (`staff::attachable`); screens offer only these.
    pub attachable: Vec<regdesk_domain::staff::FilePurpose>,
}

/// What the app needs on start and after each sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppStatus {
    pub setup_done: bool,
    pub office: Option<Office>,
    pub station_id: String,
    pub station_name: String,
    /// The office of the tree this station belongs to, when it is enrolled
    /// for a subordinate office (杭州市版权局): the top bar names it instead
    /// of the top office.
    pub station_office_name: Option<String>,
    pub session: Option<SessionView>,
    pub idle_lock_minutes: u32,
    /// Journal entries not yet shipped to the central server.
    pub pending_sync: u32,
    pub provinces: Vec<ProvinceOption>,
    pub role_options: Vec<RoleOption>,
    pub password_min_chars: u32,
    /// The office's time zone (hours east of UTC): dates typed and shown at
    /// the desk (today's date in a form) are the office's, not the machine's.
    pub office_utc_offset_hours: i32,
}

/// 新增工作人员。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NewStaffInput {
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub password: String,
}

/// 首次启动：机构、本工作站、首位管理员。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SetupInput {
    pub office: OfficeInput,
    pub station_name: String,
    pub admin: NewStaffInput,
}

/// 登录。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LoginInput {
    pub username: String,
    pub password: String,
}

/// 解锁。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UnlockInput {
    pub password: String,
}

/// 修改本人密码。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ChangePasswordInput {
    pub old_password: String,
    pub new_password: String,
}

/// 工作人员。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StaffView {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub disabled: bool,
    pub locked_until: Option<DateTime<Utc>>,
    pub must_change_password: bool,
    #[ts(type = "number")]
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// 修改工作人员（姓名、岗位）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UpdateStaffInput {
    pub id: String,
    #[ts(type = "number")]
    pub version: i64,
    pub display_name: String,
    pub roles: Vec<Role>,
}

/// 停用或启用。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SetDisabledInput {
    pub id: String,
    #[ts(type = "number")]
    pub version: i64,
    pub disabled: bool,
}

/// 重置密码。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ResetPasswordInput {
    pub id: String,
    #[ts(type = "number")]
    pub version: i64,
    pub new_password: String,
}

/// 系统设置。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SettingsView {
    #[ts(type = "number")]
    pub version: i64,
    pub idle_lock_minutes: u32,
    /// 办结时限（受理后工作日数）
    pub review_working_days: u32,
    /// 补正通知期限（自然日）
    pub correction_notice_days: u32,
    /// 补正期限（自然日）
    pub correction_period_days: u32,
    /// 每件作品登记费（分）
    #[ts(type = "number")]
    pub fee_per_work_fen: i64,
    /// 一人一表：同一申请人一并提交的作品可每位签章人一张签章表（`set_batch_signing_form`）
    pub batch_signing_form: bool,
    /// 登记号租用：每次租给终审工作站的号码数（`set_number_leases`）
    pub number_lease_size: u32,
    /// 登记号租用：未用号码剩几个时续租
    pub number_refill_at: u32,
}

/// 登记号租用设置（管理员）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NumberLeaseSettingsInput {
    /// The settings' version as read.
    #[ts(type = "number")]
    pub version: i64,
    pub lease_size: u32,
    pub refill_at: u32,
}

/// 修改系统设置。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UpdateSettingsInput {
    #[ts(type = "number")]
    pub version: i64,
    #[ts(type = "number")]
    pub idle_lock_minutes: i64,
    pub review_working_days: u32,
    pub correction_notice_days: u32,
    pub correction_period_days: u32,
    #[ts(type = "number")]
    pub fee_per_work_fen: i64,
}

/// 审计记录一条（管理台列表）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AuditEntryView {
    pub seq: u32,
    pub at: DateTime<Utc>,
    pub staff_name: Option<String>,
    pub command: String,
    pub entity: String,
    pub entity_id: String,
}

/// 审计记录查询。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RecentAuditInput {
    pub limit: u32,
}

/// 按编号取一条记录。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IdInput {
    pub id: String,
}
