//! The store's errors, and their transport form for the desk's screens.

use regdesk_domain::{DomainError, FieldError};
use serde::Serialize;
use ts_rs::TS;

/// Everything a store command can refuse or fail with.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// 输入有误：逐字段说明。
    #[error("{}", summary(.0))]
    Invalid(Vec<FieldError>),
    /// A rule refused the command.
    #[error("{0}")]
    Domain(#[from] DomainError),
    /// 版本冲突：别人先改了这条记录。
    #[error("{what}已被其他人修改（您看到的是第 {read} 版，现在是第 {current} 版）。请刷新后再改，您填写的内容仍保留在表单中。")]
    Conflict {
        what: &'static str,
        read: i64,
        current: i64,
    },
    /// 案件状态或办理规则不允许这项操作。
    #[error("{message}")]
    Refused { code: String, message: String },
    /// 记录不存在。
    #[error("找不到{what}：{id}")]
    NotFound { what: &'static str, id: String },
    /// 尚未登录。
    #[error("请先登录")]
    NotSignedIn,
    /// 已锁屏。
    #[error("工作站已锁屏，请输入密码解锁")]
    SessionLocked,
    /// 机构已建立（首次启动只能做一次）。
    #[error("本工作站已建立登记机构，不能再次初始化")]
    AlreadySetUp,
    /// 机构尚未建立。
    #[error("本工作站尚未建立登记机构，请先完成首次启动设置")]
    NotSetUp,
    /// The database file was written by a newer RegDesk.
    #[error(
        "数据库版本为 {found}，高于本程序支持的 {supported}。请安装新版作品登记工作台后再打开，切勿用旧版本修改数据。"
    )]
    DatabaseTooNew { found: i64, supported: i64 },
    /// The database file is damaged: the desk must not go on with it.
    #[error("数据库文件已损坏，不能继续使用（{detail}）。请关闭本程序，用最近一次校验通过的备份恢复：regdesk restore 备份目录")]
    Damaged { detail: String },
    /// 数据库错误。
    #[error("数据库操作失败：{0}。您填写的内容未丢失，请稍后重试；如反复出现请联系信息科。")]
    Sqlite(#[from] rusqlite::Error),
    /// 迁移失败。
    #[error("数据库升级失败：{0}")]
    Migration(String),
    /// 文件系统错误。
    #[error("无法访问数据目录：{0}")]
    Io(#[from] std::io::Error),
    /// Stored data that should never be malformed is.
    #[error("数据已损坏：{0}")]
    Corrupt(String),
    /// The encryption key is missing or wrong, or a key file or recovery code is unusable.
    #[error("{0}")]
    Key(#[from] crate::keys::KeyError),
    /// A stored payload in a format this program cannot read (written by a newer version).
    #[error("{0}")]
    PayloadFormat(regdesk_domain::stored::FormatError),
    /// The audit anchor (the signed head outside the database) cannot be written or its key is wrong.
    #[error("{0}")]
    AuditAnchor(String),
}

fn summary(errs: &[FieldError]) -> String {
    match errs {
        [one] => one.message.clone(),
        many => format!(
            "有 {} 处需要修改：{}",
            many.len(),
            many.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("；")
        ),
    }
}

impl From<regdesk_domain::stored::FormatError> for StoreError {
    fn from(e: regdesk_domain::stored::FormatError) -> Self {
        StoreError::PayloadFormat(e)
    }
}

impl From<FieldError> for StoreError {
    fn from(e: FieldError) -> Self {
        StoreError::Invalid(vec![e])
    }
}

impl From<regdesk_domain::staff::PermissionDenied> for StoreError {
    fn from(e: regdesk_domain::staff::PermissionDenied) -> Self {
        StoreError::Domain(DomainError::Forbidden(e))
    }
}

/// 错误类别：the screen decides how to show an error by its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    Validation,
    Conflict,
    Permission,
    Auth,
    NotSignedIn,
    SessionLocked,
    NotFound,
    Refused,
    Storage,
    /// The database file is damaged (the screen shows the way back from a backup).
    Damaged,
}

/// The error as the desk's screens receive it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ApiError {
    pub kind: ErrorKind,
    /// Plain Chinese, ready to show.
    pub message: String,
    /// Per-field problems (validation only), shown under each field.
    pub fields: Vec<FieldError>,
}

impl StoreError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            StoreError::Invalid(_) | StoreError::AlreadySetUp | StoreError::NotSetUp => ErrorKind::Validation,
            StoreError::Domain(DomainError::Invalid(_)) => ErrorKind::Validation,
            StoreError::Domain(DomainError::Forbidden(_)) => ErrorKind::Permission,
            StoreError::Domain(DomainError::Login(_)) => ErrorKind::Auth,
            StoreError::Conflict { .. } => ErrorKind::Conflict,
            StoreError::NotFound { .. } => ErrorKind::NotFound,
            StoreError::Refused { .. } => ErrorKind::Refused,
            StoreError::NotSignedIn => ErrorKind::NotSignedIn,
            StoreError::SessionLocked => ErrorKind::SessionLocked,
            StoreError::Damaged { .. } => ErrorKind::Damaged,
            StoreError::DatabaseTooNew { .. }
            | StoreError::Sqlite(_)
            | StoreError::Migration(_)
            | StoreError::Io(_)
            | StoreError::Corrupt(_)
            | StoreError::Key(_)
            | StoreError::PayloadFormat(_)
            | StoreError::AuditAnchor(_) => ErrorKind::Storage,
        }
    }

    /// Whether the person may not stay signed in: the account is locked out
    /// after too many wrong passwords, or was disabled meanwhile.
    pub fn ends_session(&self) -> bool {
        matches!(
            self,
            StoreError::NotSignedIn
                | StoreError::Domain(DomainError::Login(
                    regdesk_domain::staff::LoginRefusal::Locked { .. } | regdesk_domain::staff::LoginRefusal::Disabled
                ))
        )
    }

    /// The transport form; field paths get `prefix.` in front (e.g. `admin.`).
    pub fn to_api(&self) -> ApiError {
        let fields = match self {
            StoreError::Invalid(f) => f.clone(),
            StoreError::Domain(DomainError::Invalid(f)) => vec![f.clone()],
            _ => Vec::new(),
        };
        ApiError {
            kind: self.kind(),
            message: self.to_string(),
            fields,
        }
    }

    /// The version a command read must still be the current one.
    pub fn check_version(what: &'static str, read: i64, current: i64) -> Result<()> {
        if read == current {
            Ok(())
        } else {
            Err(StoreError::Conflict { what, read, current })
        }
    }

    /// Puts `prefix.` in front of every field path (for nested forms).
    pub fn nest(self, prefix: &str) -> StoreError {
        let re = |mut f: FieldError| {
            f.field = format!("{prefix}.{}", f.field);
            f
        };
        match self {
            StoreError::Invalid(fs) => StoreError::Invalid(fs.into_iter().map(re).collect()),
            StoreError::Domain(DomainError::Invalid(f)) => StoreError::Invalid(vec![re(f)]),
            other => other,
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        e.to_api()
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
